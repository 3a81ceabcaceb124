"""Short rich displays for notebooks: a title, a row count and the first rows as HTML.

Jupyter calls an object's `_repr_html_`; the result objects delegate to `preview`, so a
cell showing a catalog or a ranking prints a few rows instead of every one.
"""

from __future__ import annotations

from html import escape
from typing import Any

ROWS = 8


def preview(title: str, frame: Any, columns: list[str] | None = None, rows: int = ROWS) -> str:
    """HTML of `title`, the row count of `frame` and its first `rows` rows.

    >>> import pandas as pd
    >>> "3 rows" in preview("t", pd.DataFrame({"a": [1, 2, 3]}))
    True
    """
    shown = frame[[c for c in columns if c in frame.columns]] if columns else frame
    # figures as people read them: 2,160,000 and 0.3853, not 2.160000e+06 or 7.2e-15
    table = shown.head(rows).to_html(index=False, border=0, max_cols=12, na_rep="–",
                                     float_format=_figure)
    more = f", first {rows} shown" if len(frame) > rows else ""
    return (f"<div><strong>{escape(title)}</strong> ({len(frame)} rows{more})"
            f"{table}</div>")


def _figure(value: float) -> str:
    """A float to four significant decimals below 100, thousands-separated integers above."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.4g}" if abs(value) >= 1e-4 else "0"
