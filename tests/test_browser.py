"""report.html in a real browser (headless Chromium through Playwright): every image decodes,
no request leaves the file, no console error; a screenshot is kept for people to look at."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from roadmap.workflow import Options, analyse_file

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags for a closed network: no background fetches that would be refused.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if CHROMIUM is None and os.environ.get("CI"):
    pytest.fail("CI must install Chromium (see .ci/run)", pytrace=False)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def test_report_in_chromium(tmp_path, catalog):
    from playwright.sync_api import sync_playwright

    from roadmap.rendering.report import write_outputs

    analysis = analyse_file(catalog, ROOT / "catalogs" / "sites" / "xiaolan-town.yaml",
                            Options(draws=100))
    folder = write_outputs(analysis, tmp_path / "xiaolan-town")
    page_url = (folder / "report.html").as_uri()
    requests, errors = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 1600})
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda message: errors.append(message.text)
                if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_url, wait_until="load")
        page.evaluate("document.fonts.ready")
        widths = page.eval_on_selector_all("img", "images => images.map(i => i.naturalWidth)")
        font_loaded = page.evaluate("document.fonts.check('16px RoadmapCJK', '小榄镇')")
        shot = tmp_path / "report-screenshot.png"  # the tests write nothing into the tree
        page.screenshot(path=str(shot), full_page=False)
        browser.close()
    assert len(widths) == 7 and all(w > 0 for w in widths)
    assert font_loaded
    outside = [u for u in requests if not u.startswith(("file://", "data:"))]
    assert outside == [] and requests[0] == page_url
    assert errors == []
    assert shot.stat().st_size > 10_000


def test_interactive_chart_in_chromium(tmp_path, catalog):
    from playwright.sync_api import sync_playwright

    from roadmap.rendering.gantt import domain_rows
    from roadmap.rendering.interactive import interactive_gantt, save_interactive

    town = save_interactive(interactive_gantt(*domain_rows(catalog, "town"), "both"),
                            tmp_path / "town.html")
    assert town.stat().st_size < 1_000_000
    page_path = save_interactive(interactive_gantt(*domain_rows(catalog, "park"), "zh"),
                                 tmp_path / "park.html")
    requests, errors = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_path.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready")
        tips = page.eval_on_selector_all("g.block[id$=':popularization'] > title",
                                         "titles => titles.length")
        font_loaded = page.evaluate("document.fonts.check('16px RoadmapCJK', '低碳')")
        family = page.eval_on_selector("svg text", "t => getComputedStyle(t).fontFamily")
        browser.close()
    assert tips == 29  # a tooltip on every row's block (a 0-wide block is not drawn)
    assert font_loaded and family.startswith("RoadmapCJK")
    assert [u for u in requests if not u.startswith(("file://", "data:"))] == []
    assert errors == []


def test_printed_report_keeps_narrow_text_columns_readable(tmp_path, catalog):
    """Printed on A4 (Chromium's print media, the page's 718 px between its margins), the
    plan's 12-column schedule gives its last column, 默认项, three characters a line or more
    (it wrapped one a line) and every name column six; no table runs off the page."""
    from playwright.sync_api import sync_playwright

    from roadmap.rendering.report import write_outputs

    analysis = analyse_file(catalog, ROOT / "catalogs" / "sites" / "xiaolan-town.yaml",
                            Options(draws=20, uncertainty_draws=0))
    folder = write_outputs(analysis, tmp_path / "xiaolan-town", "zh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 718, "height": 1000})
        page.emulate_media(media="print")
        page.goto((folder / "report.html").as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready")
        cells = page.evaluate("""() => [...document.querySelectorAll('table.data')].flatMap(
            table => [...table.rows[0].cells].map((cell, index) => {
                const style = getComputedStyle(cell);
                return {header: cell.textContent, index: index,
                        text: cell.clientWidth - parseFloat(style.paddingLeft)
                              - parseFloat(style.paddingRight),
                        em: parseFloat(style.fontSize), right: table.getBoundingClientRect().right};
            }))""")
        browser.close()
    defaults = next(c for c in cells if c["header"] == "默认项")
    assert defaults["text"] >= 3 * defaults["em"] - 0.5
    assert all(c["text"] >= 3 * c["em"] - 0.5 for c in cells)
    assert all(c["text"] >= 6 * c["em"] - 0.5 for c in cells if c["index"] == 0)
    assert max(c["right"] for c in cells) <= 718
