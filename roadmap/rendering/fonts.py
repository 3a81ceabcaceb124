"""A CJK font for charts that works on a fresh machine and embeds cleanly in PDF.

The font is WenQuanYi Micro Hei 0.2.0-beta (Apache-2.0 or GPL-3+ with font exception), the
TrueType collection of Debian's `fonts-wqy-microhei` 0.2.0-beta-3.1, shipped inside the package
(`fonts/`, its licence beside it), so `make demo` needs no system fonts. Charts and pages use
first its everyday cut, "WenQuanYi Micro Hei Common" (`tools/make_common_font.py`: the GB 2312
characters and every character of the bundled texts, under a third of the glyphs, so
embedding it costs a PDF a third of the time and a page about 60 %), and the full font for
any other character. TrueType matters: matplotlib embeds fonts in PDF as Type 42, which needs
TrueType outlines; the CFF-based Noto CJK OpenType fonts (Debian's or PyPI's) come out of
matplotlib as PDFs that poppler reports as "mismatch between font type and embedded font
file". $ROADMAP_CJK_FONT may name another TrueType font file (used alone).
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

from ..errors import InputError, Message

FALLBACK = "DejaVu Sans"  # for the symbols the CJK font lacks


FONT_FILES = ("wqy-microhei-common.ttf", "wqy-microhei.ttc")  # in the order they are tried
FONT_VARIABLE = "ROADMAP_CJK_FONT"  # a user's own font instead


def cjk_font_paths() -> tuple[Path, ...]:
    """The CJK fonts in the order a character is looked for: $ROADMAP_CJK_FONT alone, else
    the everyday cut, then the full font."""
    if os.environ.get(FONT_VARIABLE):
        return (Path(os.environ[FONT_VARIABLE]),)
    folder = files("roadmap.rendering") / "fonts"
    return tuple(Path(str(folder / name)) for name in FONT_FILES)


@cache
def cjk_font_families() -> tuple[str, ...]:
    """Register the CJK fonts with matplotlib once; return their family names."""
    families = []
    for path in cjk_font_paths():
        try:
            font_manager.fontManager.addfont(str(path))
        except (OSError, RuntimeError) as error:  # missing, unreadable, not a font
            raise InputError(f"${FONT_VARIABLE}", "font_unusable", path=path,
                             reason=getattr(error, "strerror", None) or Message("not_a_font_file"),
                             allowed=Message("a_truetype_font")) from None
        families.append(font_manager.FontProperties(fname=str(path)).get_name())
    return tuple(families)


def embedded_font_css(text: str, family: str = "RoadmapCJK") -> str:
    """An @font-face rule carrying the CJK font cut down to the characters of `text`
    (fontTools' subsetter, WOFF), so that an HTML report shows Chinese on any machine
    without fetching anything: the first font holding every printable character, else the
    last (a character no font has is left to the reader's browser)."""
    characters = "".join(sorted(set(text)))
    for path in cjk_font_paths():
        woff, missing = _woff_subset(path, characters)
        if not any(chr(code).isprintable() for code in missing):
            break
    data = base64.b64encode(woff).decode()
    return (f"@font-face {{ font-family: '{family}'; "
            f"src: url(data:font/woff;base64,{data}) format('woff'); }}")


def _woff_subset(path: Path, characters: str) -> tuple[bytes, set[int]]:
    """The font at `path` cut down to `characters` as WOFF, and the code points it lacks."""
    options = Options(flavor="woff", layout_features=["*"], hinting=False)  # screens only
    options.drop_tables += ["FFTM"]  # FontForge's timestamp: not needed, and noisy to subset
    subsetter = Subsetter(options)
    subsetter.populate(text=characters)
    buffer = io.BytesIO()
    with TTFont(str(path), fontNumber=0, recalcTimestamp=False, lazy=True) as font:
        subsetter.subset(font)
        font.flavor = "woff"
        font.save(buffer)
    return buffer.getvalue(), subsetter.unicodes_missing


def chart_rc() -> dict[str, object]:
    """matplotlib settings shared by every chart: fonts, text kept as text, embedded fonts."""
    return {
        "font.family": [*cjk_font_families(), FALLBACK],
        "pdf.fonttype": 42,      # embed TrueType outlines, text stays selectable
        "svg.fonttype": "none",  # SVG text stays text, editable by report authors
        "svg.hashsalt": "roadmap",  # deterministic SVG ids
        "axes.unicode_minus": False,
        # no hinting: at 200 dpi and more it changes nothing a reader sees, and the CJK
        # font's autohinting was a fifth of the time spent drawing the charts
        "text.hinting": "no_hinting",
    }
