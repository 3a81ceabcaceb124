"""report.docx: the report's sections (document.py) as a Word file with real headings,
tables and the charts as PNG images of print resolution (300 dpi at the text width); the
same bytes for the same input (fixed core properties and zip timestamps)."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from .numbers import figures
from .office import FIXED_TIME, fixed_zip

CJK_FONT = "Microsoft YaHei"  # Word's usual Chinese UI font; LibreOffice substitutes its own
PAGE_MM = (210, 297)  # A4, the paper of Chinese clients (python-docx's template is US Letter)
TEXT_WIDTH_CM = 16
MARGIN_MM = (PAGE_MM[0] - 10 * TEXT_WIDTH_CM) / 2  # 25 mm each side: a 16 cm text width
IMAGE_WIDTH = Cm(TEXT_WIDTH_CM)
PRINT_WIDTH_PX = math.ceil(300 * TEXT_WIDTH_CM / 2.54)  # a chart's pixels for 300 dpi in print
LIST_PARTS = ("verdicts", "investment", "uncertainties")
# The document's language (Word's spelling, hyphenation and its choice of CJK glyphs): a report
# with Chinese in it is zh-CN, the English one en-US; Chinese text is zh-CN in either.
LANGUAGE = {"zh": "zh-CN", "en": "en-US", "both": "zh-CN"}

# Table layout. Widths are counted in characters, a Chinese one counting double; a Latin
# character is taken as 0.64 em (DejaVu Sans's digits, LibreOffice's substitute, are 0.636).
TABLE_FONT_PT = 8
SMALLEST_FONT_PT = 6.5  # a table whose least widths overflow at 8 pt is set smaller
LATIN_EM = 0.64
CELL_MARGIN_CM = 0.1  # each side of a cell's text
CELL_PADDING_CM = 2 * CELL_MARGIN_CM + 0.05  # the margins and the borders
HEADER_WEIGHT = 12  # the most a header asks for: it may wrap
HEADER_LINE = 8  # a header in two lines gets up to this: 2014年 / 10-12月 (6 and 7)
LONGEST = 40  # characters on a line, the longest a column is made
SHORTEST = 6  # and the shortest, when its text is longer: 3 Chinese characters a line
OPENING, CLOSING = "（(《“", "）)，。、：；%》”,.;:"
MINUS_AFTER_IDEOGRAPH = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef])-(?=\d)")


def write_docx(title: str, subtitle: str, sections: list[dict], images: dict[str, bytes],
               path: Path, lang: str = "both") -> None:
    """Write the sections, in `lang` (the document's language); `images` maps a chart name
    to its PNG bytes. Each page's footer has its number."""
    document = Document()
    _page(document)
    _fonts(document)
    _language(document, LANGUAGE[lang])
    _page_numbers(document)
    document.core_properties.title = title
    document.core_properties.language = LANGUAGE[lang]
    document.core_properties.author = "roadmap"
    document.core_properties.created = FIXED_TIME
    document.core_properties.modified = FIXED_TIME
    document.core_properties.last_printed = FIXED_TIME
    document.core_properties.revision = 1
    document.add_heading(title, level=0)
    document.add_paragraph(subtitle)
    for number, part in enumerate(sections, start=1):
        _section(document, number, part, images)
    buffer = io.BytesIO()
    document.save(buffer)
    fixed_zip(buffer.getvalue(), path)


def _page(document) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        section.left_margin = section.right_margin = Mm(MARGIN_MM)
        section.top_margin = section.bottom_margin = Mm(MARGIN_MM)


def _fonts(document) -> None:
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        style.font.name = CJK_FONT
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)
    document.styles["Normal"].font.size = Pt(10)


def _language(document, language: str) -> None:
    """The language of every run that does not say otherwise (the template's is en-US, and
    en-US for East Asian text too)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    tag = run.find(qn("w:lang"))
    if tag is None:
        tag = OxmlElement("w:lang")
        run.append(tag)
    tag.set(qn("w:val"), language)
    tag.set(qn("w:eastAsia"), LANGUAGE["zh"])


def _page_numbers(document) -> None:
    """The page's number, centred in the footer: a PAGE field, which Word and LibreOffice
    fill in as they lay the pages out."""
    for section in document.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        paragraph._p.append(field)
        field.append(paragraph.add_run("1")._r)  # shown until the field is updated


def _section(document, number: int, part: dict, images: dict[str, bytes]) -> None:
    document.add_heading(f"{number}. {part['title']}", level=1)
    for paragraph in part["paragraphs"]:
        document.add_paragraph(paragraph)
    if part["items_title"]:
        document.add_heading(part["items_title"], level=2)
    for item in part["items"]:
        document.add_paragraph(item, style="List Bullet")
    for name in part["figures"]:
        document.add_picture(io.BytesIO(images[name]), width=IMAGE_WIDTH)
    for caption, table in part["tables"]:
        if caption:
            document.add_heading(caption, level=2)
        _table(document, table)
    for key in LIST_PARTS:
        if part.get(key):
            document.add_heading(part[key][0], level=2)
            for line in part[key][1:]:
                document.add_paragraph(line, style="List Bullet")


def _table(document, frame) -> None:
    size, widths = table_layout(frame)
    # columns of figures right-aligned, their header too: digits line up
    right = [figures(frame.iloc[:, i]) for i in range(len(frame.columns))]
    table = document.add_table(rows=len(frame) + 1, cols=len(frame.columns),
                               style="Light Grid Accent 1")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _plain_first_column(table)
    _cell_margins(table)
    _repeated_header(table.rows[0])
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice reads; Word reads the cells'
    texts = [*map(str, frame.columns), *(_joined_minus(str(value)) for values in
                                         frame.itertuples(index=False) for value in values)]
    cells = table._cells  # every cell, row after row (python-docx's own list)
    for cell, text, width, figure in zip(cells, texts, widths * (len(frame) + 1),
                                         right * (len(frame) + 1), strict=True):
        cell.width = width
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        if figure:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _joined_minus(text: str) -> str:
    """A minus sign after a Chinese character is joined to its number (LibreOffice broke
    平准化减排成本- / 2,878 across lines): a word joiner (U+2060) after it."""
    return MINUS_AFTER_IDEOGRAPH.sub("-\u2060", text)


def table_layout(frame) -> tuple[float, list[Cm]]:
    """The font size and the column widths of a table. A table whose texts fit on one line
    each shares the text width by them; otherwise each column gets at least its longest
    unbreakable piece (a number, a word, half its header) and SHORTEST characters, then a
    share of the rest by how much more its cells want (up to LONGEST), and a table whose
    least widths overflow at 8 pt is set smaller (the plan's schedule, of 12 columns)."""
    columns = [[str(name), *map(str, frame.iloc[:, i])] for i, name in enumerate(frame.columns)]
    body = [min(LONGEST, max(map(width, c[1:]), default=0)) for c in columns]
    wanted = [max(min(width(c[0]), HEADER_WEIGHT), b, 1) for c, b in zip(columns, body,
                                                                         strict=True)]
    least = [max(_least(c), min(w, SHORTEST)) for c, w in zip(columns, wanted, strict=True)]
    size = TABLE_FONT_PT
    while size > SMALLEST_FONT_PT and sum(least) > _room(len(columns), size):
        size -= 0.5
    room = _room(len(columns), size)
    if sum(wanted) <= room:  # everything on one line: the rest shared alike
        units = [w * room / sum(wanted) for w in wanted]
    else:  # the rest goes to the cells' text, the headers wrap
        extra = [max(0, b - low) for b, low in zip(body, least, strict=True)]
        spare = max(0.0, room - sum(least)) / (sum(extra) or 1)
        units = [low + e * spare for low, e in zip(least, extra, strict=True)]
    scale = min(1.0, room / sum(units))  # only when even the least widths overflow
    return size, [Cm(CELL_PADDING_CM + u * scale * character_cm(size)) for u in units]


def character_cm(size: float) -> float:
    """A Latin character's width at `size` points (a Chinese one is twice this)."""
    return LATIN_EM * size / 72 * 2.54


def width(text: str) -> int:
    """Characters, a Chinese one counting double."""
    return sum(2 if _chinese(char) else 1 for char in text)


def _chinese(char: str) -> bool:
    """A character of the CJK blocks (ideographs, their punctuation, full-width forms)."""
    return ord(char) >= 0x2E80


def pieces(text: str) -> list[str]:
    """The parts a line may not break inside, as line breaking (UAX #14) roughly has it:
    a break before and after each Chinese character, after a hyphen before a letter, at
    spaces; none inside a number (-2,880 or 21,500), nor after an opening bracket or
    before a closing one or a per cent sign."""
    found, current = [], ""
    for char in text:
        if char.isspace():
            found, current = found + [current] * bool(current), ""
            continue
        previous = current[-1:]
        ideograph = _chinese(char) and char not in OPENING + CLOSING
        after_ideograph = previous and _chinese(previous) and previous not in OPENING
        if current and previous not in OPENING and char not in CLOSING and (
                ideograph or char in OPENING or after_ideograph
                or previous == "-" and len(current) > 1 and not char.isdigit()):
            found.append(current)
            current = ""
        current += char
    return found + [current] * bool(current)


def _least(column: list[str]) -> int:
    """The narrowest a column can be without breaking a piece, a header in two lines
    (2014年 / 10-12月) if that takes no more than HEADER_LINE characters."""
    parts = [width(p) for p in pieces(column[0])]
    two_lines = min((max(sum(parts[:i]), sum(parts[i:])) for i in range(len(parts) + 1)),
                    default=0)
    return max(min(two_lines, HEADER_LINE), *(width(p) for text in column
                                              for p in pieces(text)), 1)


def _room(columns: int, size: float) -> float:
    """The characters of `size` points the text width holds besides the cells' padding."""
    return (TEXT_WIDTH_CM - CELL_PADDING_CM * columns) / character_cm(size)


def _cell_margins(table) -> None:
    """Narrow cell margins (the style's 0.19 cm a side cost a 12-column table 4.6 cm)."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(CELL_MARGIN_CM / 2.54 * 1440)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))
    if look is None:
        properties.append(margins)
    else:
        look.addprevious(margins)


def _repeated_header(row) -> None:
    """The header row is repeated at the top of each page a table runs onto."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _plain_first_column(table) -> None:
    """The table style would set the first column in bold, as if it were a second header;
    our first columns are ids and names."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.set(qn("w:firstColumn"), "0")
        look.set(qn("w:val"), f"{int(look.get(qn('w:val'), '04A0'), 16) & ~0x0080:04X}")
