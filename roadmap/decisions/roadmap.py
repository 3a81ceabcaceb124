"""Roadmaps: select measures from a ranking, pull in prerequisites, schedule them by phase."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from ..display import preview
from ..errors import InputError
from ..inputs.catalog import Catalog, Technology
from ..inputs.dependencies import prerequisites_only
from ..inputs.site import Site
from .ranking import Ranking, method_spec

HORIZON = 2050
PERIOD_START = {"2020-2025": 2020, "2025-2035": 2025, "2035-2050": 2035}
PHASES = (("near", 2020, 2025), ("mid", 2025, 2035), ("long", 2035, 2050))
COLUMNS = ["id", "domain", "category", "category_en", "name_zh", "name_en", "phase",
           "start_year", "popularization_year", "rank", "score", "recommendation", "reason",
           "delayed_by"]


def application_year(tech: Technology) -> int:
    """First year of expected application; measures applied before 2020 start in 2020."""
    return PERIOD_START[tech.application_period] if tech.application_period else 2020


def popularization_year(tech: Technology) -> int:
    return PERIOD_START[tech.popularization_period] if tech.popularization_period else 2020


def phase_of(year: int) -> str:
    return next(name for name, start, end in PHASES if start <= year < end or end == HORIZON)


@dataclass(frozen=True)
class Roadmap:
    """A site's phased roadmap.

    `frame` columns: id, domain, category, category_en, name_zh, name_en, phase
    (near 2020-2025 / mid 2025-2035 / long 2035-2050: when the measure is expected to be
    widespread, its ○ period; nearly every measure of the study is first applied in
    2020-2025, so the start year alone would put them all in the near term), start_year,
    popularization_year, rank and score (empty for a prerequisite outside the ranking),
    recommendation (★), reason (why it is in), delayed_by (the prerequisite that pushed its
    start, if any). Sorted by popularisation year, start year, then rank. `graph`: the
    selected measures and every dependency edge between them (attributes kind, reason).
    """

    frame: pd.DataFrame
    graph: nx.DiGraph
    site: Site

    def _repr_html_(self) -> str:
        return preview(f"Roadmap of {self.site.name}", self.frame,
                       ["phase", "start_year", "popularization_year", "id", "name_zh",
                        "name_en", "reason"], rows=len(self.frame))


def select_measures(ranking: Ranking, top: int | None = 15,
                    min_score: float | None = None) -> list[str]:
    """Ids by rank: the first `top`, or all with a score of at least `min_score` (or both)."""
    frame = ranking.frame
    if min_score is not None:
        higher = method_spec(ranking.method).higher_is_better
        frame = frame[frame["score"] >= min_score] if higher else frame[frame["score"] <= min_score]
    if top is not None:
        frame = frame.head(top)
    return frame["id"].tolist()


def build_roadmap(ranking: Ranking, catalog: Catalog, dependencies: nx.DiGraph, site: Site,
                  top: int | None = 15, min_score: float | None = None,
                  selected: list[str] | None = None) -> Roadmap:
    """Select (the first `top`, those scoring `min_score`, or the `selected` ids, e.g. a
    budget portfolio's), complete with prerequisites, and schedule so nothing starts
    before them."""
    ranked = ranking.frame.set_index("id")
    reasons: dict[str, str] = {}
    chosen = selected if selected is not None else select_measures(ranking, top, min_score)
    for tech_id in chosen:
        reasons[tech_id] = f"rank {ranked.loc[tech_id, 'rank']} of {len(ranked)}"
        if selected is not None:
            reasons[tech_id] = "bought by the budget; " + reasons[tech_id]
    for tech_id in site.include:
        reasons.setdefault(tech_id, "included by the site profile")
    hard = prerequisites_only(dependencies)
    for tech_id in list(reasons):
        _pull_prerequisites(tech_id, hard, reasons, site)
    graph = dependencies.subgraph(reasons).copy()
    graph.add_nodes_from(reasons)
    rows = _schedule(graph, catalog, ranked, reasons)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame = frame.sort_values(["popularization_year", "start_year", "rank"], na_position="last",
                              kind="stable")
    return Roadmap(frame.reset_index(drop=True), graph, site)


def _pull_prerequisites(tech_id: str, hard: nx.DiGraph, reasons: dict[str, str],
                        site: Site) -> None:
    if tech_id not in hard:
        return
    for before in sorted(nx.ancestors(hard, tech_id)):  # a set: sort for a stable order
        if before in site.exclude:
            raise InputError("site", f"'{tech_id}' needs '{before}', which the profile excludes",
                             field="exclude", allowed="drop the exclusion or the measure")
        reasons.setdefault(before, f"prerequisite of {tech_id}")


def _schedule(graph: nx.DiGraph, catalog: Catalog, ranked: pd.DataFrame,
              reasons: dict[str, str]) -> list[dict]:
    """Start each measure at its application year, later if a prerequisite starts later."""
    start: dict[str, int] = {}
    rows = []
    hard = prerequisites_only(graph)
    hard.add_nodes_from(graph)
    for tech_id in nx.lexicographical_topological_sort(hard):
        tech = catalog.get(tech_id)
        year, delayed_by = application_year(tech), ""
        for before in sorted(hard.predecessors(tech_id)):
            if start[before] > year:
                year, delayed_by = start[before], before
        start[tech_id] = year
        rows.append({
            "id": tech_id, "domain": tech.domain, "category": tech.category,
            "category_en": tech.category_en, "name_zh": tech.name_zh, "name_en": tech.name_en,
            "phase": phase_of(max(year, popularization_year(tech))), "start_year": year,
            "popularization_year": max(year, popularization_year(tech)),
            "rank": ranked["rank"].get(tech_id), "score": ranked["score"].get(tech_id),
            "recommendation": tech.recommendation, "reason": reasons[tech_id],
            "delayed_by": delayed_by,
        })
    return rows
