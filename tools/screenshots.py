"""Regenerate the first-page screenshots in docs/img/: the HTML report in headless Chromium and
the Word report through LibreOffice (docx -> PDF -> PNG), for Xiaolan and Nan'ao, in zh, en and
both languages.

    .venv/bin/python tools/screenshots.py

Needs Chromium (Playwright drives it), LibreOffice (`soffice`), poppler's `pdftoppm` and a CJK
system font for LibreOffice's substitute of the document's font (`fonts-wqy-microhei`), all
from Debian. The screenshots are for people to look at; the tests check the reports."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roadmap.inputs.catalog import load_catalog  # noqa: E402
from roadmap.rendering.report import write_outputs  # noqa: E402
from roadmap.workflow import analyse_file  # noqa: E402

SITES = ("xiaolan-town", "nanao-county")
LANGS = ("zh", "en", "both")
IMAGES = ROOT / "docs" / "img"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update"]
PAGE = {"width": 1200, "height": 1600}  # one A4-like screen of the report


def main() -> None:
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as scratch:
        for site in SITES:
            analysis = analyse_file(catalog, ROOT / "catalogs" / "sites" / f"{site}.yaml")
            for lang in LANGS:
                folder = write_outputs(analysis, Path(scratch) / f"{site}-{lang}", lang)
                html_shot(folder / "report.html", IMAGES / f"report-{site}-{lang}.png")
                docx_shot(folder / "report.docx", IMAGES / f"docx-{site}-{lang}.png", scratch)
                print(f"{site} {lang}: report and docx first pages written")


def html_shot(report: Path, target: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                             args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport=PAGE)
        page.goto(report.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(target), full_page=False)
        browser.close()


def docx_shot(docx: Path, target: Path, scratch: str) -> None:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", scratch,
                    str(docx)], check=True, capture_output=True)
    pdf = Path(scratch) / "report.pdf"
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(stem)], check=True)
    pdf.unlink()


if __name__ == "__main__":
    main()
