"""Decode the technology tables of the Guangdong near-zero-carbon study (seed 003).

The PDF extraction lost the table borders; this script recovers each row's
period marks and grades from the text that is left.  It is the executable
record of the decoding rule documented in the README ("How the periods were
decoded") and the reference the catalog tests compare against.

Usage: python tools/decode_study_tables.py [SEED_FILE] > rows.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

SEED_NAME = "003_3ce55c4074478d6b.txt"
DEFAULT_SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / SEED_NAME

# Table number -> (first line, line of the notes that close it), 1-based, in seed 003.
TABLE_LINES = {
    "2-2": (646, 816),
    "3-2": (1360, 1614),
    "4-5": (2321, 2729),
    "5-2": (3318, 3532),
    "6-2": (4050, 4233),
    "7-2": (4795, 5404),
}
PERIODS = ("2020-2025", "2025-2035", "2035-2050")
FITS = "√"
# The column header, repeated at the top of every page the table spans.
HEADER = re.compile(r"\s*(?:表 \S+ \S+ )?技术 ?类[别型] .*?2035- 2050 ")
ROW = re.compile(
    r"(?P<prefix>[^△○〇√▼➕★]*?)"
    r"(?P<marks>(?: *[△○〇√])+ *)"
    r"(?P<down>▼+) (?P<plus>➕+) (?P<star>★+) *"
)
# A row whose name and ▼ run both wrapped: the tail of the name and the
# remaining ▼ stand alone before the next row.
WRAPPED_TAIL = re.compile(r"^\s*(?P<tail>[^△○〇√▼➕★\s]*)\s*(?P<down>▼*)\s*$")


def table_stream(lines: list[str], table: str) -> str:
    """The table's lines joined as one string; cells stay separated by spaces."""
    first, last = TABLE_LINES[table]
    text = "".join(lines[first - 1 : last - 1])
    return HEADER.sub(" ", text)


def column_of_last_mark(marks: str) -> int:
    """Spaces between the last mark and the ▼ run: 1 -> column 3, 2 -> 2, 3+ -> 1."""
    trailing = len(marks) - len(marks.rstrip(" "))
    return max(1, 4 - trailing)


def column_of_first_mark(marks: str) -> int:
    """Spaces before the first mark: 1 -> column 1 (a cell separator), 2 -> 2, 3 -> 3."""
    leading = len(marks) - len(marks.lstrip(" "))
    return min(3, max(1, leading))


def decode_periods(marks: str) -> tuple[str | None, str]:
    """(application period, popularisation period) from a row's period marks.

    A row with only ○ has no application period: the technology is applied
    already and spreads within the column of its ○.
    """
    symbols = marks.replace(" ", "")
    if symbols not in ("△○", "△〇", "○", "〇"):
        raise ValueError(f"unexpected period marks {marks!r}")
    popular = PERIODS[column_of_last_mark(marks) - 1]
    if len(symbols) == 1:
        return None, popular
    return PERIODS[column_of_first_mark(marks) - 1], popular


def split_applicability(marks: str) -> tuple[str, str]:
    """Enterprise rows: two √ columns (energy-intensive, not) before the periods.

    The √ cells follow the strict layout " a1 a2 rest": a cell left empty
    leaves two spaces in a row.
    """
    cells = marks[1:].split(" ", 2)
    high, low, rest = cells[0] == FITS, cells[1] == FITS, " " + cells[2]
    fits = {(True, True): "both", (True, False): "energy_intensive",
            (False, True): "non_energy_intensive"}[(high, low)]
    return fits, rest


def decode_table(lines: list[str], table: str) -> list[dict]:
    stream = table_stream(lines, table)
    rows: list[dict] = []
    position = 0
    for match in ROW.finditer(stream):
        skipped = stream[position : match.start()]
        position = match.end()
        if skipped.strip():
            tail = WRAPPED_TAIL.match(skipped)
            if tail is None or not rows:
                raise ValueError(f"table {table}: cannot place {skipped!r}")
            rows[-1]["text"] += tail["tail"]
            rows[-1]["abatement"] += len(tail["down"])
            rows[-1]["wrapped"] = True
        marks = match["marks"]
        applicability = None
        if table == "4-5":
            applicability, marks = split_applicability(marks)
        application, popularization = decode_periods(marks)
        rows.append({
            "table": table,
            "row": len(rows) + 1,
            "text": match["prefix"].strip(),
            "marks": match["marks"],
            "application_period": application,
            "popularization_period": popularization,
            "abatement": len(match["down"]),
            "economics": len(match["plus"]),
            "recommendation": len(match["star"]),
            "applicability": applicability,
        })
    if stream[position:].strip():
        raise ValueError(f"table {table}: trailing text {stream[position:]!r}")
    return rows


def decode_all(seed: Path = DEFAULT_SEED) -> dict[str, list[dict]]:
    lines = seed.read_text(encoding="utf-8").split("\n")
    return {table: decode_table(lines, table) for table in TABLE_LINES}


if __name__ == "__main__":
    seed = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SEED
    json.dump(decode_all(seed), sys.stdout, ensure_ascii=False, indent=1)
