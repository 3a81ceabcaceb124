"""Office files (xlsx, docx) with fixed timestamps: the same content gives the same bytes.

openpyxl and python-docx stamp the document properties and every zip member with the
current time; these are replaced with FIXED_TIME."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from .cells import safe_frame
from .numbers import PERCENT_COLUMNS, excel_format

FIXED_TIME = datetime(2020, 1, 1)
ALREADY_COMPRESSED = (".png", ".jpeg", ".jpg")  # stored as they are: deflating gains nothing


def write_sheets(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    """One sheet per frame, text cells neutralised, formatted for reading (frozen header,
    number formats, column widths), with fixed timestamps."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            safe_frame(frame).to_excel(writer, sheet_name=name, index=False)
            _format_sheet(writer.sheets[name], frame)
        writer.book.properties.created = FIXED_TIME
        writer.book.properties.modified = FIXED_TIME
    fixed_zip(buffer.getvalue(), path, {"docProps/core.xml": _fixed_core_times})


def fixed_zip(data: bytes, path: Path,
              rewrite: dict[str, Callable[[bytes], bytes]] | None = None) -> None:
    """Write the zip `data` to `path` with every member stamped FIXED_TIME ([Content_Types].xml
    first), passing the members named in `rewrite` through its function."""
    rewrite = rewrite or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member in sorted(source.infolist(), key=lambda m: m.filename != "[Content_Types].xml"):
            content = source.read(member.filename)
            if member.filename in rewrite:
                content = rewrite[member.filename](content)
            info = zipfile.ZipInfo(member.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED if member.filename.lower().endswith(
                ALREADY_COMPRESSED) else zipfile.ZIP_DEFLATED
            target.writestr(info, content)


def _format_sheet(sheet, frame: pd.DataFrame) -> None:
    """Frozen header row, number formats (no 28699.99999999999), readable column widths."""
    sheet.freeze_panes = "A2"
    for index, name in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        values = frame[name]
        if pd.api.types.is_float_dtype(values):
            number_format = "0.0%" if name in PERCENT_COLUMNS else excel_format(values)
            for cell in sheet[letter][1:]:
                cell.number_format = number_format
        longest = max([len(str(name)), *(len(str(v)) for v in values.head(200))])
        sheet.column_dimensions[letter].width = min(50, max(8, longest + 2))


def _fixed_core_times(xml: bytes) -> bytes:
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2",
                  xml)
