"""Emission pathways: business as usual by source, each roadmap measure's cut along an
adoption S-curve, sinks, and the check against the site's targets.

Every number this needs beyond the site and the study's grades is in `Assumptions`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..decisions.roadmap import Roadmap
from ..display import preview
from ..inputs.assumptions import Assumptions
from ..inputs.catalog import Catalog, Technology
from ..inputs.site import Site

PERIOD_END = {2020: 2025, 2025: 2035, 2035: 2050}
SINK = "sink"
FRAME_COLUMNS = ["year", "source", "measure", "bau", "abatement", "net"]


def adoption(years: np.ndarray, start: int, end: int, at_end: float) -> np.ndarray:
    """Share of full adoption by year: 0 before `start`, a logistic S-curve rising to
    `at_end` in `end` and towards 1 after; rescaled so that it leaves 0 at `start`."""
    end = max(end, start + 1)
    midpoint, half_span = (start + end) / 2, (end - start) / 2
    steepness = math.log(at_end / (1 - at_end)) / half_span
    logistic = 1 / (1 + np.exp(-steepness * (years - midpoint)))
    floor = 1 - at_end  # the logistic's value at `start`
    return np.clip((logistic - floor) / (1 - floor), 0.0, 1.0) * (years >= start)


@dataclass(frozen=True)
class Pathway:
    """A site's yearly emissions from its base year to its target year.

    `frame` (tidy): year, source, measure, bau, abatement, net. One row per (year, source,
    measure acting on it); `bau` and `net` are the source's business-as-usual and
    remaining emissions that year (the same on each of its rows), `abatement` is the
    measure's own cut. A source no measure acts on has one row with an empty measure.
    Sinks are the source "sink": bau 0, abatement = the removal, net = minus the removals.
    `by_year`: year, bau, abatement, sink, net (= bau - abatement - sink), tCO2e/yr.
    """

    frame: pd.DataFrame
    by_year: pd.DataFrame
    site: Site

    def _repr_html_(self) -> str:
        return preview(f"Emission pathway of {self.site.name} (tCO2e/yr by year)", self.by_year)


def measure_curves(roadmap: Roadmap, catalog: Catalog, years: np.ndarray,
                   assumptions: Assumptions) -> dict[str, np.ndarray]:
    """Each roadmap measure's adoption share by year."""
    curves = {}
    for _, row in roadmap.frame.iterrows():
        end = PERIOD_END[row["popularization_year"]]
        curves[row["id"]] = adoption(years, int(row["start_year"]), end,
                                     assumptions.adoption_at_end)
    return curves


def _cuts(tech: Technology, sources: list[str], assumptions: Assumptions) -> dict[str, float]:
    """Fraction of each baseline source this measure cuts at full adoption."""
    fraction = assumptions.abatement_fraction[tech.abatement]
    if "cross_cutting" in tech.addresses:
        return {s: fraction * assumptions.cross_cutting_effect for s in sources}
    return {s: fraction for s in tech.addresses if s in sources}


def emission_pathway(roadmap: Roadmap, catalog: Catalog,
                     assumptions: Assumptions | None = None) -> Pathway:
    """Business as usual less the roadmap's measures, in roadmap order (each on what is left)."""
    site = roadmap.site
    assumptions = assumptions or site.assumptions
    years = np.arange(site.base_year, site.target_year + 1)
    growth = np.array(site.growth_path(site.growth_rate, range(site.base_year,
                                                               site.target_year + 1)))
    sources = [s for s, v in site.baseline.items() if v > 0]
    curves = measure_curves(roadmap, catalog, years, assumptions)
    techs = [catalog.get(i) for i in roadmap.frame["id"]]
    rows: list[pd.DataFrame] = []
    for source in sources:
        bau = site.baseline[source] * growth
        remaining, cuts = bau.copy(), []
        for tech in techs:
            fraction = _cuts(tech, sources, assumptions).get(source)
            if fraction:
                cut = remaining * fraction * curves[tech.id]
                remaining = remaining - cut
                cuts.append((tech.id, cut))
        for measure, cut in cuts or [("", np.zeros_like(bau))]:
            rows.append(pd.DataFrame({"year": years, "source": source, "measure": measure,
                                      "bau": bau, "abatement": cut, "net": remaining}))
    removals = _sinks(techs, curves, site, assumptions)
    total_removal = sum(removals.values(), np.zeros(len(years)))
    for measure, removal in removals.items():
        rows.append(pd.DataFrame({"year": years, "source": SINK, "measure": measure,
                                  "bau": 0.0, "abatement": removal, "net": -total_removal}))
    frame = pd.concat(rows, ignore_index=True)[FRAME_COLUMNS]
    return Pathway(frame, _by_year(frame), site)


def _sinks(techs: list[Technology], curves: dict[str, np.ndarray], site: Site,
           assumptions: Assumptions) -> dict[str, np.ndarray]:
    return {t.id: assumptions.abatement_fraction[t.abatement] * assumptions.sink_scale *
            site.total_baseline * curves[t.id] for t in techs if SINK in t.addresses}


def _by_year(frame: pd.DataFrame) -> pd.DataFrame:
    sources = frame[frame["source"] != SINK]
    per_source = sources.groupby(["year", "source"]).agg(bau=("bau", "first"),
                                                         net=("net", "first"))
    totals = per_source.groupby("year").sum()
    totals["abatement"] = sources.groupby("year")["abatement"].sum()
    totals["sink"] = frame[frame["source"] == SINK].groupby("year")["abatement"].sum()
    totals["sink"] = totals["sink"].fillna(0.0)
    totals["net"] = totals["net"] - totals["sink"]
    return totals.reset_index()[["year", "bau", "abatement", "sink", "net"]]


# --------------------------------------------------------------------------- targets

@dataclass(frozen=True)
class TargetCheck:
    """One target: the level required in its year, the pathway's value then, the first year
    the pathway meets it (None if never by the target year), and the gap left (>= 0) with
    the extra abatement it would take, in tCO2e/yr (for intensity targets too)."""

    kind: str  # absolute | intensity | near-zero
    year: int
    required: float
    value: float
    met_year: int | None
    gap: float
    extra_abatement: float
    unit: str


def check_targets(pathway: Pathway) -> list[TargetCheck]:
    """Absolute, intensity and near-zero targets against the pathway."""
    site, by_year = pathway.site, pathway.by_year.set_index("year")
    base = site.total_baseline
    checks = []
    if site.target:
        required = (1 - site.target.reduction) * base
        checks.append(_check("absolute", site.target.year, by_year["net"], required, 1.0,
                             "tCO2e/yr"))
    if site.intensity_target:
        gdp = site.gdp * pd.Series(site.growth_path(site.gdp_growth, by_year.index),
                                   index=by_year.index)
        base_intensity = base / site.gdp
        required = (1 - site.intensity_target.reduction) * base_intensity
        checks.append(_check("intensity", site.intensity_target.year, by_year["net"] / gdp,
                             required, float(gdp[site.intensity_target.year]),
                             "tCO2e per 10k yuan"))
    near_zero = site.assumptions.near_zero_share * base
    checks.append(_check("near-zero", site.target_year, by_year["net"], near_zero, 1.0,
                         "tCO2e/yr"))
    return checks


def _check(kind: str, year: int, values: pd.Series, required: float, scale: float,
           unit: str) -> TargetCheck:
    """`scale` turns a gap in the target's unit into tCO2e/yr (GDP for intensity)."""
    met = values[values <= required + 1e-9]
    value = float(values[year])
    gap = max(0.0, value - required)
    return TargetCheck(kind, year, required, value, int(met.index[0]) if len(met) else None,
                       gap, gap * scale, unit)


def targets_frame(checks: list[TargetCheck]) -> pd.DataFrame:
    """Columns: kind, year, required, value, met_year, gap, extra_abatement, unit."""
    return pd.DataFrame([c.__dict__ for c in checks]).astype({"met_year": "Int64"})


# --------------------------------------------------------------------------- contributions

def contributions(pathway: Pathway, catalog: Catalog, years: list[int],
                  by: str = "category") -> pd.DataFrame:
    """Abatement (sinks included) by category, subcategory or measure in the given years.

    Columns: year, group, abatement (tCO2e/yr), share (of that year's total abatement).
    `by="function"` groups by subcategory where the study's table has one (the town
    table's 电气化, 能效提升, 清洁电力...), else by category.
    """
    frame = pathway.frame[(pathway.frame["measure"] != "") &
                          pathway.frame["year"].isin(years)].copy()

    def group_of(tech_id: str) -> str:
        tech = catalog.get(tech_id)
        if by == "measure":
            return tech_id
        if by == "function":
            return tech.subcategory or tech.category
        return tech.category

    frame["group"] = frame["measure"].map(group_of)
    table = frame.groupby(["year", "group"], sort=False)["abatement"].sum().reset_index()
    totals = table.groupby("year")["abatement"].transform("sum")
    table["share"] = (table["abatement"] / totals).fillna(0.0)
    return table.sort_values(["year", "abatement"], ascending=[True, False]).reset_index(
        drop=True)
