"""Derive the charts' and reports' everyday CJK font from the bundled WenQuanYi Micro Hei.

    python tools/make_common_font.py          # rewrites fonts/wqy-microhei-common.ttf
    python tools/make_common_font.py --check  # exit 1 if that file is out of date

Why: embedding a font in a PDF or an HTML page means subsetting it with fontTools, which
parses the whole font first: 49,531 glyphs for WenQuanYi Micro Hei, 0.4 s each time. The
derived font keeps what Chinese planning text uses (every character below U+2E80, the
GB 2312 set, and every character of the bundled catalogs, messages, templates and site
profiles),
under a third of the glyphs, under its own family name; the charts list it first and the
full font after it, so a rarer character (北滘's 滘) still comes from the full font.
The same input file gives the same bytes (fixed timestamp, sorted code points).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roadmap.rendering.fonts import FONT_FILES  # noqa: E402

FONTS = ROOT / "roadmap" / "rendering" / "fonts"
TARGET, SOURCE = (FONTS / name for name in FONT_FILES)  # the everyday cut, the full font
SUFFIX = "Common"  # added to every family, full and unique name (and the PostScript name)
BELOW = 0x2E80  # Latin, Greek, Cyrillic, symbols, arrows, box drawing: all kept
TEXT_FILES = ("catalogs/*.csv", "catalogs/**/*.yaml", "catalogs/*.yaml",
              "roadmap/**/*.yaml", "roadmap/**/*.j2")


def bundled_text() -> set[str]:
    """Every character of the repository's catalogs, messages, templates and profiles."""
    return {char for pattern in TEXT_FILES for path in sorted(ROOT.glob(pattern))
            for char in path.read_text(encoding="utf-8")}


def kept(code: int, bundled: set[str]) -> bool:
    char = chr(code)
    if code < BELOW or char in bundled:
        return True
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def common_font() -> bytes:
    bundled = bundled_text()
    font = TTFont(str(SOURCE), fontNumber=0, recalcTimestamp=False)
    codes = sorted(code for code in font.getBestCmap() if kept(code, bundled))
    options = Options(layout_features=["*"], name_IDs=["*"], name_languages=["*"],
                      notdef_outline=True, glyph_names=False, legacy_kern=True)
    options.drop_tables += ["FFTM"]  # FontForge's timestamp
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    for record in font["name"].names:  # its own family: matplotlib tells the two apart
        if record.nameID in (1, 3, 4, 6, 16):
            separator = "" if record.nameID == 6 else " "
            record.string = f"{record.toUnicode()}{separator}{SUFFIX}"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    data = common_font()
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_bytes() != data:
            print(f"{TARGET.relative_to(ROOT)} is out of date: "
                  "run python tools/make_common_font.py")
            return 1
        return 0
    TARGET.write_bytes(data)
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
