"""The decision matrix of a site: its candidate measures, their criteria, and the exclusions.

Criteria (`COST_CRITERIA` are lower-is-better, the others more-is-better):

- site_abatement (t/yr): the site model, the measure adopted alone against business as
  usual, in the target year;
- cost (yuan/t): the levelised cost of that same run (model.economics; negative when the
  savings outweigh the capital); without a site (`catalog_matrix`), from the ➕ grade;
- timing (0-2): the phase the measure is widespread in;
- abatement, economics, stars (1-5): the study's ▼, ➕ and ★ (★ only when named);
- readiness (0-1): the two periods, (application score 0-3 + popularisation 0-2) / 5;
- relevance (0-1): share of the site's baseline on the cells the measure acts on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..errors import InputError, Message
from ..inputs.assumptions import Assumptions
from ..inputs.catalog import Catalog, Technology
from ..inputs.site import Site
from ..inputs.vocabulary import COST_CRITERIA, expand_cells, period_index
from ..model.economics import GRADE, cost_data, cost_year, crf, standalone_economics
from ..model.pathway import SiteModel, credit_in, site_model, standalone_runs

# The range of each criterion, used by SPOTIS (which needs bounds) and for documentation.
CRITERION_BOUNDS = {
    "abatement": (1.0, 5.0),
    "economics": (1.0, 5.0),
    "readiness": (0.0, 1.0),
    "relevance": (0.0, 1.0),
    "stars": (1.0, 5.0),
    "timing": (0.0, 2.0),
}  # site_abatement and cost have no fixed scale: their bounds are the candidates' range
EXCLUDED_COLUMNS = ["id", "domain", "name_zh", "name_en", "reason"]
INFO_COLUMNS = ["id", "domain", "category", "category_en", "name_zh", "name_en",
                "application_period",
                "popularization_period", "recommendation", "cost_basis", "note"]
# SMAA's spread of a site's levelised cost: this share of its gross terms (annualised capital
# and O&M plus the energy saving, per t). Project assumption: the families' capex ranges and
# the prices' x0.7-x1.3 (docs/economics.md) move each term by about this much.
COST_SPREAD = 0.2


def readiness(tech: Technology) -> float:
    """1.0 = applied before 2020 and widespread by 2025; 0.0 = both only after 2035."""
    application = 2 - period_index(tech.application_period)  # before 2020: 3, ..., 2035-50: 0
    popularization = min(2, 2 - period_index(tech.popularization_period))
    return (application + popularization) / 5


def cell_shares(site: Site) -> dict[tuple[str, str], float]:
    """Share of the site's base-year emissions in each sector x carrier cell."""
    total = site.total_baseline
    return {cell: value / total for cell, value in site.cells().items()}


def acted_on(tech: Technology, shares: dict[tuple[str, str], float]) -> list[tuple[str, str]]:
    """The site's cells a measure acts on (supply: its electricity; sink, enabling: none)."""
    effect = tech.acts
    if effect.type == "supply":
        return [cell for cell in shares if cell[1] == "electricity"]
    if effect.type == "sink" or (effect.type == "enabling" and not effect.cells):
        return []
    wanted = set(expand_cells(effect.cells))
    return [cell for cell in shares if cell in wanted]


def untouched_cells(ids: Iterable[str], catalog: Catalog, site: Site,
                    ) -> list[tuple[str, str]]:
    """The site's baseline cells none of the measures `ids` acts on (`acted_on`), in the
    baseline's order: a plan-wide enabling share or a sink changes no cell's fuel."""
    shares = cell_shares(site)
    touched = {cell for tech_id in ids for cell in acted_on(catalog.get(tech_id), shares)}
    return [cell for cell in shares if cell not in touched]


def acting_on(cells: Iterable[tuple[str, str]], techs: Iterable[Technology],
              ) -> dict[tuple[str, str], list[Technology]]:
    """For each cell, the measures among `techs` acting on it (`acted_on`), in their order;
    cells without one left out."""
    shares = {cell: 1.0 for cell in cells}
    found: dict[tuple[str, str], list[Technology]] = {}
    for tech in techs:
        for cell in acted_on(tech, shares):
            found.setdefault(cell, []).append(tech)
    return found


def other_domains_acting_on(cells: Iterable[tuple[str, str]], catalog: Catalog, site: Site,
                            ) -> dict[tuple[str, str], list[str]]:
    """For each cell, the domains outside the site's whose catalogs have a measure acting on
    it (what `extra_domains` would add), in the catalog's order; cells without one left out."""
    found = acting_on(cells, (tech for tech in catalog if tech.domain not in site.domains))
    return {cell: list(dict.fromkeys(tech.domain for tech in techs))
            for cell, techs in found.items()}


def relevance(tech: Technology, shares: dict[tuple[str, str], float],
              assumptions: Assumptions) -> float:
    """Share of the site's baseline the measure acts on (see `Assumptions` for the two others)."""
    effect = tech.acts
    if effect.type == "enabling":
        return assumptions.cross_cutting_relevance
    if effect.type == "sink":
        return assumptions.sink_relevance
    return min(1.0, sum(shares[cell] for cell in acted_on(tech, shares)))


@dataclass(frozen=True)
class DecisionMatrix:
    """Alternatives (rows) by criteria (columns), with the measures left out and why.

    `frame` has `INFO_COLUMNS` then one column per criterion, indexed by position (and
    `site_abatement` last when the site model ran but it is no criterion: `no_gain` reads it);
    `excluded` has id, domain, name_zh, name_en, reason.

    >>> matrix = roadmap.decision_matrix(catalog, site)
    >>> len(matrix.ids) == len(matrix.frame), "site_abatement" in matrix.criteria
    (True, True)
    """

    frame: pd.DataFrame
    criteria: tuple[str, ...]
    excluded: pd.DataFrame
    dropped: dict[str, str]  # criteria left out, with the reason
    # criterion -> each alternative's uncertainty (half-width of a uniform draw), where the
    # matrix knows it (the site's cost); acceptability's draws use it
    half_widths: dict[str, np.ndarray] = field(default_factory=dict, compare=False)
    # the site model the site figures came from (None without them): its stand-alone runs
    # are made, and the analysis reuses it when the roadmap adds no measure to it
    model: SiteModel | None = field(default=None, compare=False, repr=False)

    @property
    def values(self) -> np.ndarray:
        return self.frame[list(self.criteria)].to_numpy(dtype=float)

    @property
    def types(self) -> np.ndarray:
        """pymcdm's criterion types: 1 benefit (more is better), -1 cost."""
        return np.array([-1.0 if c in COST_CRITERIA else 1.0 for c in self.criteria])

    def positive_values(self) -> np.ndarray:
        """The values with every column above zero, for pymcdm's sum normalisation (COPRAS,
        entropy weights): timing as 1 + phase; a column holding zero or less (a levelised
        cost whose savings outweigh the capital) shifted so that its lowest value stands at
        the column's range and its highest at twice it. The order and the differences are
        kept; the ratios are the project's choice (values that cross zero have none)."""
        values = self.values.copy()
        for column, criterion in enumerate(self.criteria):
            if criterion == "timing":
                values[:, column] += 1.0
            if (values[:, column] <= 0).any():
                shifted = values[:, column] - values[:, column].min()
                values[:, column] = shifted + (np.ptp(values[:, column]) or 1.0)
        return values

    def bounds(self) -> np.ndarray:
        """Each criterion's range: fixed by definition, else the candidates' own."""
        return np.array([CRITERION_BOUNDS.get(c) or (float(self.frame[c].min()),
                                                     float(self.frame[c].max()))
                         for c in self.criteria])

    @property
    def ids(self) -> list[str]:
        return self.frame["id"].tolist()

    def subset(self, criteria: tuple[str, ...]) -> DecisionMatrix:
        """The same alternatives judged on fewer criteria."""
        return DecisionMatrix(self.frame, criteria, self.excluded, self.dropped,
                              self.half_widths)


def exclusion_reason(tech: Technology, site: Site,
                     shares: dict[tuple[str, str], float]) -> str | None:
    """Why a measure of the site's domains does not apply to this site, or None."""
    if tech.id in site.exclude:
        return "excluded by the site profile"
    missing = [f for f in tech.requires if f not in site.features]
    if missing:
        return f"needs {', '.join(missing)}, which the site does not have"
    if tech.requires_any and not set(tech.requires_any) & set(site.features):
        return f"needs one of {', '.join(tech.requires_any)}, which the site does not have"
    if site.domain == "enterprise" and tech.applicability not in (None, "both"):
        wanted = "energy_intensive" if "energy_intensive" in site.features else \
            "non_energy_intensive"
        if tech.applicability != wanted:
            return f"fits {tech.applicability.replace('_', '-')} enterprises only"
    if tech.new_build_only and "new_build" not in site.features:
        return "a design choice for new buildings, and the site lists no new_build"
    effect = tech.acts
    if effect.type == "sink" and not site.land_area_ha and tech.id not in site.measures:
        return ("a sink needs an area: give the site's land_area_ha, or the measure's area_ha "
                "under measures")
    if (effect.type not in ("sink", "enabling") or effect.cells) and not acted_on(tech, shares):
        cells = "electricity" if effect.type == "supply" else ", ".join(effect.cells)
        return f"acts only on {cells}, absent from the site's baseline"
    return None


def grade_cost(tech: Technology, assumptions: Assumptions) -> float:
    """Levelised yuan per tCO2e from the ➕ grade alone, for a catalog without a site (no
    energy to price): the grade's investment per t/yr, annualised at the discount rate over
    the grade fallback's life, plus its O&M (model.economics' "from the grade")."""
    data = cost_data()
    capex = 10_000 / assumptions.cost_effectiveness[tech.economics]
    return capex * (crf(assumptions.discount_rate, data.grade_lifetime) + data.grade_om)


def timing(tech: Technology) -> float:
    """0, 1, 2: widespread in 2020-2025 (or already), 2025-2035, 2035-2050."""
    return float(max(0, period_index(tech.popularization_period)))


def criterion_values(tech: Technology, shares: dict[tuple[str, str], float] | None = None,
                     assumptions: Assumptions | None = None,
                     site_figures: pd.Series | None = None) -> dict[str, float]:
    """Every criterion's value for one measure; relevance only when a baseline is given,
    site_abatement and the site's cost only with the site model's figures (`_site_figures`;
    without them cost is `grade_cost`)."""
    assumptions = assumptions or Assumptions()
    values = {
        "abatement": float(tech.abatement),
        "economics": float(tech.economics),
        "readiness": readiness(tech),
        "stars": float(tech.recommendation),
        "timing": timing(tech),
        "cost": grade_cost(tech, assumptions),
    }
    if shares is not None:
        values["relevance"] = relevance(tech, shares, assumptions)
    if site_figures is not None:
        values["site_abatement"] = float(site_figures["site_abatement"])
        values["cost"] = float(site_figures["cost"])
    return values


def decision_matrix(catalog: Catalog, site: Site, criteria: tuple[str, ...] | None = None,
                    extra_domains: tuple[str, ...] = ()) -> DecisionMatrix:
    """The site's candidate measures and their criteria values.

    Candidates are the measures of the site's domain (and of `extra_domains`, the profile's
    or the argument's), less those that do not apply (kept in `excluded` with the reason);
    ids in the profile's `include` are always candidates. A criterion with the same value
    for every candidate cannot discriminate and is dropped (normalisation would divide by 0).

    >>> matrix = roadmap.decision_matrix(catalog, site)
    >>> list(matrix.excluded.columns)
    ['id', 'domain', 'name_zh', 'name_en', 'reason']
    """
    criteria = criteria or tuple(site.weights)
    domains = set(site.domains) | set(extra_domains)
    shares = cell_shares(site)
    candidates, notes, excluded = [], [], []
    for tech in catalog:
        if tech.domain not in domains and tech.id not in site.include:
            continue
        reason = exclusion_reason(tech, site, shares)
        if reason and tech.id not in site.include:
            excluded.append({"id": tech.id, "domain": tech.domain, "name_zh": tech.name_zh,
                             "name_en": tech.name_en, "reason": reason})
            continue
        candidates.append(tech)
        notes.append(f"included by the profile ({reason})" if reason else (
            "included by the profile" if tech.id in site.include else ""))
    notes = [_with_twins(note, tech, candidates, catalog) for note, tech in zip(notes, candidates,
                                                                         strict=True)]
    if not {"site_abatement", "cost"} & set(criteria) or not candidates:
        rows = [_row(tech, criteria, criterion_values(tech, shares, site.assumptions), note)
                for tech, note in zip(candidates, notes, strict=True)]
        return _matrix(rows, criteria, excluded)
    model = site_model(site, catalog, [t.id for t in candidates])
    figures = _site_figures(model)
    if not (figures["site_abatement"] > 0).any():  # a ranking would recommend nothing real
        emitted = ", ".join(f"{sector}.{carrier}" for sector, carrier in site.cells())
        raise InputError(site.file, "nothing_abated", year=site.target_year, emitted=emitted,
                         allowed=Message("more_measures"))
    ids = [t.id for t in candidates]
    rows = [_row(tech, criteria, criterion_values(tech, shares, site.assumptions,
                                                  figures.loc[tech.id]),
                 note, figures.at[tech.id, "cost_basis"])
            for tech, note in zip(candidates, notes, strict=True)]
    matrix = _matrix(rows, criteria, excluded, {"cost": figures.loc[ids, "cost_spread"]
                                                .to_numpy()})
    if "site_abatement" not in matrix.frame:  # not weighted: still what says a row gains
        matrix = replace(matrix, frame=matrix.frame.assign(
            site_abatement=figures.loc[ids, "site_abatement"].to_numpy()))
    return replace(matrix, model=model)


def _with_twins(note: str, tech: Technology, candidates: list[Technology],
                catalog: Catalog) -> str:
    """`note` and, for a row that restates another candidate or is restated by one, how
    they overlap: the same technology in two catalogs (shore power in the town's and
    transport's), or a row restating several of one catalog, which includes each (the
    town's new-energy vehicles include natural-gas vehicles, not the same technology as
    them). Both are ranked, the roadmap takes one."""
    def umbrella(row: Technology, domain: str) -> bool:
        return sum(catalog.get(i).domain == domain for i in row.restates) > 1

    relations = {"the same technology as": [], "includes": [], "included in": []}
    for other in candidates:
        if other.id in tech.restates:
            relations["includes" if umbrella(tech, other.domain) else
                      "the same technology as"].append(other.id)
        elif tech.id in other.restates:
            relations["included in" if umbrella(other, tech.domain) else
                      "the same technology as"].append(other.id)
    phrases = [f"{relation} {', '.join(ids)}, also a candidate"
               for relation, ids in relations.items() if ids]
    return "; ".join(filter(None, [note, *phrases]))


def _site_figures(model: SiteModel) -> pd.DataFrame:
    """Each of the model's candidates adopted alone on top of business as usual, in the
    target year, from one run of the site model each. Indexed by id: site_abatement (t/yr,
    the model with it against the model without it), cost (its levelised yuan/t in that
    run, as the cost curve computes it: model.economics), cost_basis (its cost family, or
    "grade"), cost_spread (yuan/t: `COST_SPREAD` of the cost's gross terms, SMAA's
    half-width).

    A measure that abates nothing at the site has no cost per tonne: it takes the highest
    cost of the candidates (it buys nothing), and a spread of `COST_SPREAD` of that cost."""
    site = model.site
    runs = standalone_runs(model, model.effects.ids)
    economics = standalone_economics(model, runs, cost_year(site)).set_index("id")
    cost = economics["cost_yuan_per_t"]
    cost = cost.fillna(cost.max() if cost.notna().any() else 0.0)
    gross = 1e4 * (economics["annual_cost_10k_yuan"] + economics["saving_10k_yuan_per_yr"].abs()
                   ) / economics["abatement_t_per_yr"].where(economics["abatement_t_per_yr"] > 0)
    abatement = pd.Series({i: credit_in(run, site.target_year) for i, run in runs.items()})
    # to a millionth: measures that are equal but for rounding tie, and ties keep catalog order
    return pd.DataFrame({
        "site_abatement": abatement.round(6), "cost": cost.round(6),
        "cost_basis": economics["cost_basis"],
        "cost_spread": (COST_SPREAD * gross).fillna(COST_SPREAD * cost.abs())})


def catalog_matrix(catalog: Catalog, domain: str,
                   criteria: tuple[str, ...] = ("abatement", "economics", "readiness"),
                   ) -> DecisionMatrix:
    """Every measure of a domain, no site: the study's own view (no relevance criterion;
    cost, if named, from the grade: `grade_cost`)."""
    rows = [_row(t, criteria, criterion_values(t), "") for t in catalog if t.domain == domain]
    return _matrix(rows, criteria, [])


def _matrix(rows: list[dict], criteria: tuple[str, ...], excluded: list[dict],
            half_widths: dict[str, np.ndarray] | None = None) -> DecisionMatrix:
    frame = pd.DataFrame(rows, columns=INFO_COLUMNS + list(criteria))
    dropped = {c: f"same value ({np.format_float_positional(frame[c].iloc[0], trim='-')}) "
                   "for every measure"
               for c in criteria if len(frame) > 1 and frame[c].nunique() == 1}
    kept = tuple(c for c in criteria if c not in dropped)
    return DecisionMatrix(frame.drop(columns=list(dropped)), kept,
                          pd.DataFrame(excluded, columns=EXCLUDED_COLUMNS), dropped,
                          {c: w for c, w in (half_widths or {}).items() if c in kept})


def _row(tech: Technology, criteria: tuple[str, ...], values: dict[str, float],
         note: str, cost_basis: str = GRADE) -> dict:
    return {"id": tech.id, "domain": tech.domain, "category": tech.category,
            "category_en": tech.category_en, "name_zh": tech.name_zh, "name_en": tech.name_en,
            "application_period": tech.application_period,
            "popularization_period": tech.popularization_period,
            "recommendation": tech.recommendation, "cost_basis": cost_basis, "note": note,
            **{c: values[c] for c in criteria}}
