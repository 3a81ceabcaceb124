"""Spreadsheet-safe cells: text a spreadsheet would evaluate is written as plain text.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel and
LibreOffice as a formula (CSV injection, OWASP); their full-width forms `＝`, `＋`, `－`,
`＠` (what a Chinese input method types) are treated alike, as a spreadsheet may turn them
into the ASCII signs when the cell is edited. Such text gets a leading apostrophe: the
spreadsheet shows it as text and the apostrophe marks it as neutralised. Numbers are
untouched (a negative number is a number, not a formula)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported by whoever has a frame
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def is_formula_like(text: object) -> bool:
    return isinstance(text, str) and text.startswith(FORMULA_STARTS)


def safe_cell(value: object) -> object:
    return "'" + value if is_formula_like(value) else value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells cannot be evaluated (the frame itself if none)."""
    from pandas.api.types import is_numeric_dtype

    text = [c for c in frame.columns if not is_numeric_dtype(frame[c].dtype)]
    if not any(frame[c].map(is_formula_like).any() for c in text):
        return frame
    safe = frame.copy()
    for column in text:
        safe[column] = safe[column].map(safe_cell)
    return safe


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """Decimals past the sixth dropped: float noise (7e-15 t of sink, 2203200.0000000005 t)
    is not a figure to hand on; -0 reads 0."""
    floats = frame.select_dtypes("float").columns
    return frame.assign(**{name: frame[name].round(6) + 0.0 for name in floats})


def to_csv(frame: pd.DataFrame, target=None, exact: bool = False, **options) -> str | None:
    """`DataFrame.to_csv` with every text cell neutralised and the figures `rounded` (unless
    `exact`: a catalog reads back as it was); a file in UTF-8 with a byte-order mark (Excel
    on a Chinese Windows reads a CSV without one as GBK: mojibake), the text for the
    terminal without."""
    if target is not None:
        options.setdefault("encoding", "utf-8-sig")
    return safe_frame(frame if exact else rounded(frame)).to_csv(target, index=False, **options)


def formula_warnings(records: list[dict], source: object) -> list[str]:
    """One warning per text value a spreadsheet would evaluate (exports neutralise it)."""
    return [f"warning: {source}: {record.get('id', index)}: field '{column}' starts like a "
            f"formula ({value[:20]!r}); exports write it with a leading apostrophe"
            for index, record in enumerate(records) for column, value in record.items()
            if is_formula_like(value)]
