"""A CJK font for charts that works on a fresh machine and embeds cleanly in PDF.

The font is WenQuanYi Micro Hei, a TrueType collection installed from PyPI with the
package (`paperang-p2-fonts-cjk`), so `make demo` needs no system fonts. TrueType matters:
matplotlib embeds fonts in PDF as Type 42, which needs TrueType outlines; the CFF-based
Noto CJK OpenType fonts (Debian's or PyPI's) come out of matplotlib as PDFs that poppler
reports as "mismatch between font type and embedded font file". $ROADMAP_CJK_FONT may name
another TrueType font file.
"""

from __future__ import annotations

import os
from functools import cache
from importlib.resources import files
from pathlib import Path

from matplotlib import font_manager

FALLBACK = "DejaVu Sans"  # for the symbols the CJK font lacks


@cache
def cjk_font_family() -> str:
    """Register the CJK font with matplotlib once; return its family name."""
    path = Path(os.environ.get("ROADMAP_CJK_FONT") or
                str(files("paperang_p2_fonts_cjk") / "fonts" / "wqy-microhei.ttc"))
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def chart_rc() -> dict[str, object]:
    """matplotlib settings shared by every chart: fonts, text kept as text, embedded fonts."""
    return {
        "font.family": [cjk_font_family(), FALLBACK],
        "pdf.fonttype": 42,      # embed TrueType outlines, text stays selectable
        "svg.fonttype": "none",  # SVG text stays text, editable by report authors
        "svg.hashsalt": "roadmap",  # deterministic SVG ids
        "axes.unicode_minus": False,
    }
