"""Roadmaps: select measures from a ranking, pull in prerequisites, schedule them by phase."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from ..display import preview
from ..errors import InputError, Message
from ..inputs.catalog import Catalog, earliest_start, popularization_year
from ..inputs.dependencies import (
    check_include,
    excluded_prerequisites,
    exclusive_conflicts,
    prerequisites_only,
)
from ..inputs.site import Site
from ..model.effects import widespread_year
from .ranking import Ranking, method_spec, no_gain_reasons

HORIZON = 2050
PHASE_NAMES = ("near", "mid", "long")
STUDY_BOUNDARIES = (2025, 2035)  # the study's periods 2020-2025 / 2025-2035 / 2035-2050
COLUMNS = ["id", "domain", "category", "category_en", "name_zh", "name_en", "phase",
           "start_year", "popularization_year", "widespread_year", "rank", "score",
           "recommendation", "reason", "delayed_by"]
LEFT_OUT_COLUMNS = ["id", "name_zh", "name_en", "rank", "reason"]


def phases(site: Site) -> list[tuple[str, int, int]]:
    """The site's phases: the study's periods cut to the year before its first start year
    (the base year unless the profile's `start_year` is later) and its target year (a
    2025-2035 plan has one phase)."""
    first = site.first_start_year - 1
    inside = [y for y in STUDY_BOUNDARIES if first < y < site.target_year]
    edges = [first, *inside, site.target_year]
    names = PHASE_NAMES[len(PHASE_NAMES) - len(edges) + 1:]
    return [(name, edges[i], edges[i + 1]) for i, name in enumerate(names)]


def budgeted_phases(site: Site, budgets: Mapping[str, float]) -> dict[str, tuple[int, int]]:
    """The site's phases, name -> (start, end); `budgets` (the profile's `phase_budgets`)
    for a phase the site does not have are refused."""
    spans = {name: (start, end) for name, start, end in phases(site)}
    unknown = set(budgets) - set(spans)
    if unknown:
        raise InputError(site.file, "unknown_phase", phase=sorted(unknown)[0],
                         field="phase_budgets", allowed=", ".join(spans))
    return spans


def phase_of(year: int, site: Site) -> str:
    """The phase in which a measure widespread in `year` falls."""
    spans = phases(site)
    return next((name for name, _, end in spans if year < end), spans[-1][0])


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

    >>> ranking = roadmap.rank(roadmap.decision_matrix(catalog, site), site.method)
    >>> plan = roadmap.build_roadmap(ranking, catalog, roadmap.load_dependencies(catalog), site)
    >>> set(plan.starts()) == set(plan.frame["id"]), plan.graph.number_of_nodes() == len(plan.frame)
    (True, True)
    """

    frame: pd.DataFrame
    graph: nx.DiGraph
    site: Site
    left_out: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=LEFT_OUT_COLUMNS))
    candidates: tuple[str, ...] = ()

    def starts(self) -> dict[str, int]:
        """id -> start year, for the site model."""
        return dict(zip(self.frame["id"], self.frame["start_year"].astype(int), strict=True))

    def _repr_html_(self) -> str:
        return preview(f"Roadmap of {self.site.name}", self.frame,
                       ["phase", "start_year", "popularization_year", "id", "name_zh",
                        "name_en", "reason"], rows=len(self.frame))


def select_measures(ranking: Ranking, catalog: Catalog, top: int | None = 15,
                    min_score: float | None = None, taken: tuple[str, ...] = (),
                    blocked: dict[str, str] | None = None,
                    ) -> tuple[list[str], pd.DataFrame]:
    """Ids by rank: the first `top`, or all with a score of at least `min_score` (or both),
    never two that count the same abatement (a row restating or including one already
    taken), nor one that gains nothing at the site on its own (`no_gain`), nor one needing
    a measure the profile excludes (`blocked`, `exclusion_reasons`): those are left out
    with the reason. `taken` (the profile's `include`) is taken first, so it displaces a
    higher-ranked row it overlaps, and is kept whatever it gains."""
    frame = ranking.frame
    if min_score is not None:
        higher = method_spec(ranking.method).higher_is_better
        frame = frame[frame["score"] >= min_score] if higher else frame[frame["score"] <= min_score]
    conflicts = exclusive_conflicts(catalog)
    idle = no_gain_reasons(frame)
    chosen, left_out = [], []
    for index, row in frame.iterrows():
        if top is not None and len(chosen) >= top:
            break
        reason = idle[index] if row["id"] not in taken else ""
        clash = next((o for o in (*taken, *chosen) if conflicts.has_edge(row["id"], o)), None)
        if clash is not None:
            why = "included by the site profile" if clash in taken else "already in the roadmap"
            reason = (f"overlaps {clash}, {why} "
                      f"({conflicts.edges[row['id'], clash]['reason']})")
        reason = (blocked or {}).get(row["id"], reason)  # the one no prerequisite brings back
        if reason:
            left_out.append({"id": row["id"], "name_zh": row["name_zh"],
                             "name_en": row["name_en"], "rank": row["rank"], "reason": reason})
        else:
            chosen.append(row["id"])
    return chosen, pd.DataFrame(left_out, columns=LEFT_OUT_COLUMNS)


def spare_candidates(plan: Roadmap, catalog: Catalog) -> list[str]:
    """The ranked candidates outside the roadmap that the profile's `include` could add, in
    rank order: not left out with a reason (ranked below its cut or score, or not bought),
    and counting no abatement twice with a roadmap measure or an earlier one of the list."""
    conflicts = exclusive_conflicts(catalog)
    taken = [*plan.frame["id"]]
    refused = {*taken, *plan.left_out["id"]}
    spare: list[str] = []
    for tech_id in plan.candidates:
        if tech_id not in refused and not any(
                conflicts.has_edge(tech_id, other) for other in (*taken, *spare)):
            spare.append(tech_id)
    return spare


def exclusion_reasons(dependencies: nx.DiGraph, site: Site) -> dict[str, str]:
    """id -> why it cannot be in the site's roadmap: it needs a measure the profile excludes
    (an included one is refused: `check_include`)."""
    return {tech_id: f"needs {before}, which the profile excludes" for tech_id, before
            in excluded_prerequisites(dependencies, site.exclude).items()}


def build_roadmap(ranking: Ranking, catalog: Catalog, dependencies: nx.DiGraph, site: Site,
                  top: int | None = 15, min_score: float | None = None,
                  selected: list[str] | None = None) -> Roadmap:
    """Select (the first `top`, those scoring `min_score`, or the `selected` ids, e.g. a
    budget portfolio's), complete with prerequisites, and schedule so nothing starts
    before them.

    >>> ranking = roadmap.rank(roadmap.decision_matrix(catalog, site), site.method)
    >>> plan = roadmap.build_roadmap(ranking, catalog, roadmap.load_dependencies(catalog), site,
    ...                              top=10)
    >>> len(plan.frame) >= 10, set(plan.frame["phase"]) <= {"near", "mid", "long"}
    (True, True)
    """
    check_include(site, dependencies)
    ranked = ranking.frame.set_index("id")
    reasons: dict[str, str] = {}
    if selected is not None:
        chosen, left_out = selected, pd.DataFrame(columns=LEFT_OUT_COLUMNS)
    else:
        chosen, left_out = select_measures(ranking, catalog, top, min_score, site.include,
                                           exclusion_reasons(dependencies, site))
    hard = prerequisites_only(dependencies)
    for tech_id in chosen:
        reasons[tech_id] = f"rank {ranked.loc[tech_id, 'rank']} of {len(ranked)}"
        if selected is not None:
            reasons[tech_id] = f"{_paid(tech_id, site, hard)}; {reasons[tech_id]}"
    for tech_id in site.include:
        reasons.setdefault(tech_id, "included by the site profile")
    conflicts = exclusive_conflicts(catalog)
    for tech_id in list(reasons):
        _pull_prerequisites(tech_id, hard, reasons, site, conflicts)
    # a row left out for gaining nothing on its own comes back as a chosen one's prerequisite
    left_out = left_out[~left_out["id"].isin(list(reasons))].reset_index(drop=True)
    graph = dependencies.subgraph(reasons).copy()
    graph.add_nodes_from(reasons)
    rows = _schedule(graph, catalog, ranked, reasons, site)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame = frame.sort_values(["popularization_year", "start_year", "rank"], na_position="last",
                              kind="stable")
    return Roadmap(frame.reset_index(drop=True), graph, site, left_out,
                   tuple(ranking.frame["id"]))


def _paid(tech_id: str, site: Site, hard: nx.DiGraph) -> str:
    """Why a budget's measure is in: the profile includes it, or one it includes needs it
    (both paid first), or the budget bought it."""
    if tech_id in site.include:
        return "included by the site profile"
    if any(tech_id in nx.ancestors(hard, i) for i in site.include if i in hard):
        return "needed by a measure the site profile includes"
    return "bought by the budget"


def _pull_prerequisites(tech_id: str, hard: nx.DiGraph, reasons: dict[str, str],
                        site: Site, conflicts: nx.Graph) -> None:
    """Add what `tech_id` needs, unless a measure restating it is already in (it serves)."""
    if tech_id not in hard:
        return
    for before in sorted(nx.ancestors(hard, tech_id)):  # a set: sort for a stable order
        if before in site.exclude:
            raise InputError(site.file, "needs_excluded", measure=tech_id, before=before,
                             field="exclude", allowed=Message("drop_exclusion"))
        if before not in reasons and any(conflicts.has_edge(before, i) for i in reasons):
            continue
        reasons.setdefault(before, f"prerequisite of {tech_id}")


def _schedule(graph: nx.DiGraph, catalog: Catalog, ranked: pd.DataFrame,
              reasons: dict[str, str], site: Site) -> list[dict]:
    """Start each measure at its application year (never before the site's first start
    year), later if a prerequisite starts later."""
    start: dict[str, int] = {}
    rows = []
    hard = prerequisites_only(graph)
    hard.add_nodes_from(graph)
    for tech_id in nx.lexicographical_topological_sort(hard):
        tech = catalog.get(tech_id)
        year, delayed_by = earliest_start(tech, site.first_start_year), ""
        for before in sorted(hard.predecessors(tech_id)):
            if start[before] > year:
                year, delayed_by = start[before], before
        start[tech_id] = year
        rows.append({
            "id": tech_id, "domain": tech.domain, "category": tech.category,
            "category_en": tech.category_en, "name_zh": tech.name_zh, "name_en": tech.name_en,
            "phase": phase_of(max(year, popularization_year(tech)), site), "start_year": year,
            "popularization_year": max(year, popularization_year(tech)),
            "widespread_year": widespread_year(tech, year, site.assumptions.min_ramp_years),
            "rank": ranked["rank"].get(tech_id), "score": ranked["score"].get(tech_id),
            "recommendation": tech.recommendation, "reason": reasons[tech_id],
            "delayed_by": delayed_by,
        })
    return rows
