"""Regenerate the tables of docs/review-top-ten.md from the engine, and check its notes.

    python tools/review_top_ten.py            # rewrites the marked tables
    python tools/review_top_ten.py --check    # exit 1 if a table or the notes are out of date

Each reviewed site's table sits between `<!-- top-ten:SITE -->` and `<!-- /top-ten -->`:
its ten best-ranked measures under the profile's own method and weights, as `roadmap run`
ranks and plans them. Below the table, the planner's note on each measure is a bullet
starting with its id in backquotes; the check fails when the notes do not name exactly the
table's measures, in its order (a ranking that moved needs its review written again). The
notes quote no results: the table holds them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roadmap import load_catalog, load_site  # noqa: E402
from roadmap.workflow import Options, SiteAnalysis, analyse_site  # noqa: E402

REVIEW = ROOT / "docs" / "review-top-ten.md"
SITES = ROOT / "catalogs" / "sites"
TOP = 10
TABLE = re.compile(r"(<!-- top-ten:([\w-]+) -->\n)(.*?)(<!-- /top-ten -->)", re.DOTALL)
NOTE = re.compile(r"^- `([\w-]+)`", re.MULTILINE)
# the ranking and the plan only: no weight draws, Monte Carlo or method comparison to wait for
QUICK = Options(draws=10, uncertainty_draws=0, compare=("topsis",))


def analysis_of(slug: str, catalog) -> SiteAnalysis:
    return analyse_site(catalog, load_site(SITES / f"{slug}.yaml", catalog), QUICK)


def table(analysis: SiteAnalysis) -> str:
    """The site's top ten as a Markdown table, after a line saying how it was ranked."""
    ranking = analysis.ranking
    weights = ", ".join(f"{name} {weight:.2f}" for name, weight in ranking.weights.items())
    lines = [f"{len(ranking.frame)} candidates ranked by {ranking.method.upper()} on "
             f"{weights}; target year {analysis.site.target_year}.", "",
             "| rank | measure | site abatement t/yr | levelised cost yuan/t (basis) | "
             "widespread | ★ | in the roadmap |", "|---|---|---|---|---|---|---|"]
    planned = set(analysis.roadmap.frame["id"])
    left_out = analysis.roadmap.left_out.set_index("id")["reason"]
    for row in ranking.frame.head(TOP).itertuples():
        cost = "n/a" if pd.isna(row.cost) else f"{row.cost:,.0f}"
        if row.id in planned:
            kept = "yes"
        elif row.id in left_out:
            kept = f"no: {left_out[row.id]}"
        else:
            kept = "no: below its top"
        lines.append(f"| {row.rank} | `{row.id}` {row.name_en} | {row.site_abatement:,.0f} | "
                     f"{cost} ({row.cost_basis}) | {row.popularization_period} | "
                     f"{row.recommendation} | {kept} |")
    return "\n".join(lines) + "\n"


def rewritten(text: str) -> tuple[str, list[str]]:
    """The review with every table regenerated, and what is wrong with its notes."""
    catalog = load_catalog()
    analyses = {match.group(2): analysis_of(match.group(2), catalog)
                for match in TABLE.finditer(text)}
    problems = []
    for slug, section in _sections(text):
        ids = list(analyses[slug].ranking.frame["id"].head(TOP))
        noted = NOTE.findall(section)
        if noted != ids:
            problems.append(f"{slug}: the notes name {noted}, the top ten is {ids}")
    text = TABLE.sub(lambda m: m.group(1) + table(analyses[m.group(2)]) + m.group(4), text)
    return text, problems


def _sections(text: str):
    """(site, the text from its table to the next table or the end)."""
    matches = list(TABLE.finditer(text))
    for match, after in zip(matches, [*matches[1:], None], strict=True):
        yield match.group(2), text[match.end():after.start() if after else len(text)]


def main(check: bool = False) -> int:
    text = REVIEW.read_text("utf-8")
    new, problems = rewritten(text)
    for problem in problems:
        print(problem)
    if check:
        if new != text:
            print(f"{REVIEW.relative_to(ROOT)}: a table is out of date "
                  "(python tools/review_top_ten.py)")
            return 1
        return 1 if problems else 0
    REVIEW.write_text(new, encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv[1:]))
