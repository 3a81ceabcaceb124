"""report.docx: the report's sections (document.py) as a Word file with real headings,
tables and the charts as PNG images of print resolution (300 dpi at the text width); the
same bytes for the same input (fixed core properties and zip timestamps)."""

from __future__ import annotations

import io
import math
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FIXED_TIME = datetime(2020, 1, 1)
CJK_FONT = "Microsoft YaHei"  # Word's usual Chinese UI font; LibreOffice substitutes its own
TEXT_WIDTH_CM = 16
HEADER_WEIGHT = 12  # 2014年1-3月 on two lines at most
CELL_PADDING_CM = 0.45  # a cell's margins: a year of four digits still fits on one line
IMAGE_WIDTH = Cm(TEXT_WIDTH_CM)
PRINT_WIDTH_PX = math.ceil(300 * TEXT_WIDTH_CM / 2.54)  # a chart's pixels for 300 dpi in print
LIST_PARTS = ("verdicts", "investment", "uncertainties")


def write_docx(title: str, subtitle: str, sections: list[dict], images: dict[str, bytes],
               path: Path) -> None:
    """Write the sections; `images` maps a chart name to its PNG bytes."""
    document = Document()
    _fonts(document)
    document.core_properties.title = title
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
    _fixed_zip(buffer.getvalue(), path)


def _fonts(document) -> None:
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        style.font.name = CJK_FONT
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)
    document.styles["Normal"].font.size = Pt(10)


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
    table = document.add_table(rows=1, cols=len(frame.columns), style="Light Grid Accent 1")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _plain_first_column(table)
    for cell, name in zip(table.rows[0].cells, frame.columns, strict=True):
        cell.text = str(name)
    for values in frame.itertuples(index=False):
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = str(value)
    widths = _widths(frame)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice reads; Word reads the cells'
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8)


def _widths(frame) -> list[Cm]:
    """Column widths after the longest text a column holds (a Chinese character counts
    twice; a header up to HEADER_WEIGHT, it may wrap), within 5 to 40 characters: equal
    widths squeezed the implementation plan's action names to three characters a line."""
    def wide(value: object) -> int:
        return sum(2 if ord(char) >= 0x2E80 else 1 for char in str(value))

    weights = [min(40, max(5, min(wide(name), HEADER_WEIGHT),
                           *(wide(v) for v in frame.iloc[:, i])))
               for i, name in enumerate(frame.columns)]
    per_weight = (TEXT_WIDTH_CM - CELL_PADDING_CM * len(weights)) / sum(weights)
    return [Cm(CELL_PADDING_CM + per_weight * w) for w in weights]


def _plain_first_column(table) -> None:
    """The table style would set the first column in bold, as if it were a second header;
    our first columns are ids and names."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.set(qn("w:firstColumn"), "0")
        look.set(qn("w:val"), f"{int(look.get(qn('w:val'), '04A0'), 16) & ~0x0080:04X}")


def _fixed_zip(data: bytes, path: Path) -> None:
    """python-docx stamps the zip members with the current time: rewrite them."""
    source = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member in sorted(source.infolist(), key=lambda m: m.filename != "[Content_Types].xml"):
            info = zipfile.ZipInfo(member.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(member.filename))
