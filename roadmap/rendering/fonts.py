"""A CJK font for charts that works on a fresh machine and embeds cleanly in PDF.

The font is WenQuanYi Micro Hei 0.2.0-beta (Apache-2.0 or GPL-3+ with font exception), the
TrueType collection of Debian's `fonts-wqy-microhei` 0.2.0-beta-3.1, shipped inside the package
(`fonts/`, its licence beside it), so `make demo` needs no system fonts. TrueType matters:
matplotlib embeds fonts in PDF as Type 42, which needs TrueType outlines; the CFF-based
Noto CJK OpenType fonts (Debian's or PyPI's) come out of matplotlib as PDFs that poppler
reports as "mismatch between font type and embedded font file". $ROADMAP_CJK_FONT may name
another TrueType font file.
"""

from __future__ import annotations

import base64
import io
import os
from functools import cache
from importlib.resources import files
from pathlib import Path

from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont
from matplotlib import font_manager

FALLBACK = "DejaVu Sans"  # for the symbols the CJK font lacks


def cjk_font_path() -> Path:
    return Path(os.environ.get("ROADMAP_CJK_FONT") or
                str(files("roadmap.rendering") / "fonts" / "wqy-microhei.ttc"))


@cache
def cjk_font_family() -> str:
    """Register the CJK font with matplotlib once; return its family name."""
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def embedded_font_css(text: str, family: str = "RoadmapCJK") -> str:
    """An @font-face rule carrying the CJK font cut down to the characters of `text`
    (fontTools' subsetter, WOFF), so that an HTML report shows Chinese on any machine
    without fetching anything."""
    options = Options(flavor="woff", layout_features=["*"], hinting=False)  # screens only
    options.drop_tables += ["FFTM"]  # FontForge's timestamp: not needed, and noisy to subset
    subsetter = Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text))))
    buffer = io.BytesIO()
    with TTFont(str(cjk_font_path()), fontNumber=0, recalcTimestamp=False, lazy=True) as font:
        subsetter.subset(font)
        font.flavor = "woff"
        font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode()
    return (f"@font-face {{ font-family: '{family}'; "
            f"src: url(data:font/woff;base64,{data}) format('woff'); }}")


def chart_rc() -> dict[str, object]:
    """matplotlib settings shared by every chart: fonts, text kept as text, embedded fonts."""
    return {
        "font.family": [cjk_font_family(), FALLBACK],
        "pdf.fonttype": 42,      # embed TrueType outlines, text stays selectable
        "svg.fonttype": "none",  # SVG text stays text, editable by report authors
        "svg.hashsalt": "roadmap",  # deterministic SVG ids
        "axes.unicode_minus": False,
        # no hinting: at 200 dpi and more it changes nothing a reader sees, and the CJK
        # font's autohinting was a fifth of the time spent drawing the charts
        "text.hinting": "no_hinting",
    }
