"""The CJK fonts: the everyday cut the charts and pages use first, the full font behind it."""

from __future__ import annotations

import base64
import io
import re
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
from fontTools.ttLib import TTFont

from roadmap.rendering.fonts import chart_rc, cjk_font_families, cjk_font_paths, embedded_font_css
from roadmap.rendering.outputs import save_figure

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import make_common_font  # noqa: E402


def woff_of(css: str) -> TTFont:
    data = re.search(r"base64,([A-Za-z0-9+/=]+)", css).group(1)
    return TTFont(io.BytesIO(base64.b64decode(data)))


def test_the_everyday_cut_is_the_tools_output_and_holds_every_bundled_character(monkeypatch):
    """Regenerated from the bundled font, it is the file shipped: the same characters,
    glyphs and names (the bytes may differ with another fontTools; `make_common_font.py
    --check` compares them). It holds every character of the catalogs, messages, templates
    and profiles that the full font has, in under a third of its glyphs, under a family of
    its own."""
    monkeypatch.delenv("ROADMAP_CJK_FONT", raising=False)
    common, full = (TTFont(str(path), fontNumber=0) for path in cjk_font_paths())
    again = TTFont(io.BytesIO(make_common_font.common_font()))
    assert again.getBestCmap() == common.getBestCmap()
    assert again.getGlyphOrder() == common.getGlyphOrder()
    assert [n.toUnicode() for n in again["name"].names] == \
        [n.toUnicode() for n in common["name"].names]
    held, whole = (set(map(chr, font.getBestCmap())) for font in (common, full))
    assert make_common_font.bundled_text() & whole <= held  # ➕ is neither's: DejaVu's
    assert common["maxp"].numGlyphs < full["maxp"].numGlyphs / 3
    assert cjk_font_families() == ("WenQuanYi Micro Hei Common", "WenQuanYi Micro Hei")
    assert "滘" not in held  # not GB 2312: the full font's
    assert chart_rc()["font.family"][:2] == list(cjk_font_families())


def test_a_rarer_character_comes_from_the_full_font_in_charts_and_pages(tmp_path, monkeypatch):
    """北滘 (a Foshan town) in a chart: no missing glyph, the PDF embeds both fonts; in a
    page, the embedded subset is cut from the full font and holds 滘."""
    monkeypatch.delenv("ROADMAP_CJK_FONT", raising=False)
    with plt.rc_context(chart_rc()):
        figure = plt.figure(figsize=(3, 1))
        figure.text(0.1, 0.5, "北滘镇 光伏")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would raise here
        pdf = save_figure(figure, tmp_path / "rare.pdf").read_bytes()
    assert set(re.findall(rb"/BaseFont /[A-Z]{6}\+(WenQuanYiMicroHei\w*)", pdf)) == \
        {b"WenQuanYiMicroHei", b"WenQuanYiMicroHeiCommon"}
    rare, everyday = woff_of(embedded_font_css("北滘镇")), woff_of(embedded_font_css("北京镇"))
    assert ord("滘") in rare.getBestCmap()
    assert everyday["name"].getDebugName(1) == "WenQuanYi Micro Hei Common"
    assert rare["name"].getDebugName(1) == "WenQuanYi Micro Hei"


def test_a_user_font_that_cannot_be_used_is_one_line_naming_the_variable(tmp_path, capsys,
                                                                         monkeypatch):
    """$ROADMAP_CJK_FONT naming a missing file was reported as the output folder's "cannot
    write the output"; a file that is no font ended in FreeType's traceback. Both are one
    line naming the variable, exit 2, and no output folder."""
    from roadmap.rendering import fonts
    from tests.helpers import run_en

    site = Path(__file__).resolve().parents[1] / "catalogs" / "sites" / "building.yaml"
    (tmp_path / "notes.ttf").write_text("not a font")
    for chosen, why in ((tmp_path / "missing.ttf", "No such file"),
                        (tmp_path / "notes.ttf", "not a font file")):
        monkeypatch.setenv("ROADMAP_CJK_FONT", str(chosen))
        fonts.cjk_font_families.cache_clear()
        status, _, err = run_en(capsys, "run", str(site), "-o", str(tmp_path / "out"))
        assert status == 2 and err.startswith(f"error: $ROADMAP_CJK_FONT: cannot use '{chosen}'")
        assert why in err and err.count("\n") == 1 and not (tmp_path / "out").exists()
    monkeypatch.delenv("ROADMAP_CJK_FONT")
    fonts.cjk_font_families.cache_clear()
