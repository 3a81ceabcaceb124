"""A profile's tables as consultants keep them: a sheet of a workbook or a CSV file.

`baseline: {file: baseline.xlsx}` (or `.csv`, optionally `sheet: NAME` for a workbook) in a
profile stands for the table written out in YAML: one row per sector, one column per
carrier (`energy`: per quantity), the top-left cell free (a label), an empty cell = nothing.
The path is relative to the profile. Every error names the table's file, the row or cell,
the field and what is allowed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError, Message
from .files import LINE_KEY, decoded_csv, sheet_rows
from .vocabulary import SECTORS

REFERENCE_KEYS = ("file", "sheet")
SUFFIXES = (".xlsx", ".csv")
# A number as Excel may write it into a CSV: 172800, 172800.5, 172,800 (thousands).
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|\d{1,3}(,\d{3})+(\.\d*)?")


def is_reference(value: Any) -> bool:
    """Whether a profile value points to a table file rather than giving the table."""
    return isinstance(value, dict) and "file" in value


def with_tables(data: dict[str, Any], profile: Path,
                columns: Mapping[str, Iterable[str]]) -> dict[str, Any]:
    """The profile's data with each table reference under a key of `columns` replaced by
    the table it names ({sector: {column: number}}); `columns`: the allowed column names."""
    resolved = dict(data)
    for key, allowed in columns.items():
        if is_reference(data.get(key)):
            resolved[key] = read_table(data[key], profile, key, tuple(allowed))
    return resolved


def read_table(reference: dict[str, Any], profile: Path, key: str,
               columns: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """The table a reference `{file: ..., sheet: ...}` of the profile's `key` names."""
    where = Message("line", line=reference[LINE_KEY]) if LINE_KEY in reference else None
    unknown = [k for k in reference if k not in (*REFERENCE_KEYS, LINE_KEY)]
    if unknown:
        raise InputError(profile, "unknown_field", where=where, field=f"{key}.{unknown[0]}",
                         allowed=", ".join(REFERENCE_KEYS))
    name = reference["file"]
    path = profile.parent / str(name)
    if path.suffix.lower() not in SUFFIXES or not isinstance(name, str):
        raise InputError(profile, "unsupported_table_file", name=name, where=where,
                         field=f"{key}.file", allowed=", ".join(SUFFIXES))
    if not path.is_file():
        raise InputError(profile, "table_file_not_found", name=name, folder=path.parent,
                         where=where, field=f"{key}.file", allowed=Message("a_relative_path"))
    sheet = reference.get("sheet")
    if path.suffix.lower() == ".csv":
        if sheet is not None:
            raise InputError(profile, "csv_has_no_sheets", where=where,
                             field=f"{key}.sheet", allowed=Message("sheet_for_xlsx_only"))
        rows = enumerate(csv.reader(io.StringIO(decoded_csv(path))), start=1)
        return _table(path, rows, key, columns, lambda line, column: Message(
            "line_column", line=line, column=column))
    from openpyxl.utils import get_column_letter

    return _table(path, sheet_rows(path, None if sheet is None else str(sheet)), key, columns,
                  lambda line, column: Message("sheet_cell", sheet=sheet,
                                               cell=f"{get_column_letter(column)}{line}")
                  if sheet else Message("cell", cell=f"{get_column_letter(column)}{line}"))


def _table(path: Path, rows: Iterator[tuple[int, Any]], key: str, columns: tuple[str, ...],
           place: Any) -> dict[str, dict[str, float]]:
    """Rows (number, cells) as {sector: {column: number}}; `place(row, column)` names a cell."""
    header_line, header = next(((n, r) for n, r in rows if _filled(r)), (1, ()))
    names = [_text(cell) for cell in header[1:]]
    for position, name in enumerate(names, start=2):
        if name and name not in columns:
            raise InputError(path, "unknown_column", name=name, where=place(header_line, position),
                             field=key, allowed=", ".join(columns))
    table: dict[str, dict[str, float]] = {}
    for line, row in rows:
        if not _filled(row):
            continue
        sector = _text(row[0])
        if sector not in SECTORS:
            raise InputError(path, "unknown_sector", sector=sector, where=place(line, 1),
                             field=key, allowed=", ".join(SECTORS))
        if sector in table:
            raise InputError(path, "sector_twice", sector=sector, where=place(line, 1),
                             field=key, allowed=Message("one_row_per_sector"))
        table[sector] = {}
        for position, cell in enumerate(row[1:], start=2):
            column = names[position - 2] if position - 2 < len(names) else ""
            if _text(cell) == "":
                continue
            if not column:
                raise InputError(path, "value_without_column", where=place(line,
                                 position), field=key, allowed=", ".join(columns))
            table[sector][column] = _number(cell, path, place(line, position),
                                            f"{key}.{sector}.{column}")
    return table


def _number(cell: Any, path: Path, where: str, field: str) -> float:
    if isinstance(cell, bool) or not isinstance(cell, int | float | str):
        value = None
    elif isinstance(cell, str):
        text = cell.strip()
        value = float(text.replace(",", "")) if _NUMBER.fullmatch(text) else None
    else:
        value = float(cell)
    if value is None or value != value or value in (float("inf"), float("-inf")) or value < 0:
        raise InputError(path, "not_allowed", value=repr(_text(cell)), where=where, field=field,
                         allowed=Message("a_number_or_empty"))
    return value


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _filled(row: Any) -> bool:
    return any(_text(cell) for cell in row)
