"""What each measure does to the site's table, as arrays the pathway combines.

A measure's `effect` (catalog) names its type and cells; its technical potential (the share
of those cells it reaches at full adoption) comes from its ▼ grade (`Assumptions.caps`), its
catalog row's own `cap` where the grade's does not fit the technology, or the site's own
sizing (`measures: {ID: {share | mw | mwh | area_ha | area_mu}}`). Adoption follows a
logistic S-curve from the measure's start to the end of its popularisation period.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from ..inputs.assumptions import Assumptions
from ..inputs.catalog import Catalog, Technology, earliest_start, popularization_year
from ..inputs.vocabulary import FUELS, FUNCTION_OF_EFFECT, expand_cells
from .baseline import Baseline

PERIOD_END = {2020: 2025, 2025: 2035, 2035: 2050}
REMOVING = ("efficiency", "structure", "electrification", "fuel_switch", "capture", "enabling")
MU_PER_HA = 15.0


def widespread_year(tech: Technology, start: int, min_ramp: int) -> int:
    """The year a measure started in `start` reaches `adoption_at_end` of full adoption:
    the end of its popularisation period, at least `min_ramp` years after its start, as
    `Effects.curves` draws it (without a Monte Carlo shift)."""
    return max(PERIOD_END[popularization_year(tech)], start + min_ramp)


def adoption(years: np.ndarray, start, end, at_end: float, midpoint=None) -> np.ndarray:
    """Share of full adoption by year: 0 up to `start`, a logistic S-curve through half at
    `midpoint` (default: halfway from `start` to `end`), rising to `at_end` in `end` and
    towards 1 after; rescaled so that it leaves 0 at `start`. `start`, `end` and `midpoint`
    may be arrays (broadcast together): the result has their shape + years."""
    start = np.asarray(start, dtype=float)[..., None]
    end = np.maximum(np.asarray(end, dtype=float)[..., None], start + 1)
    # never before halfway (the curve would rise before `start`), nor at `end` (a step)
    midpoint = (start + end) / 2 if midpoint is None else np.clip(
        np.asarray(midpoint, dtype=float)[..., None], (start + end) / 2, end - 0.5)
    steepness = math.log(at_end / (1 - at_end)) / (end - midpoint)
    curve = years - midpoint  # worked in place from here (Monte Carlo: thousands of rows)
    np.multiply(-steepness, curve, out=curve)
    np.divide(1, np.add(1, np.exp(curve, out=curve), out=curve), out=curve)  # the logistic
    floor = 1 / (1 + np.exp(steepness * (midpoint - start)))  # the logistic's value at `start`
    np.divide(np.subtract(curve, floor, out=curve), 1 - floor, out=curve)
    return np.multiply(np.clip(curve, 0.0, 1.0, out=curve), years >= start, out=curve)


@dataclass(frozen=True)
class Effects:
    """Measures (rows) x what they do. `share`: measures x cells, the share of each cell
    removed at full adoption; `target`: the cell that receives removed energy (-1: none);
    `ratio`: energy received per unit removed; `generation`: measures x years, MWh of local
    zero-carbon power at full adoption; `removal`: t/yr a sink takes up at full adoption;
    `begin`, `end`: each measure's default start and wide-adoption years (the curve's ends);
    `spread`: the length of its popularisation period in years (the curve passes half
    adoption in its middle, not before); `mature`: applied before 2020; `shift`: years added
    to each wide-adoption year (0 in the central case; a Monte Carlo draw's, with a leading
    draws axis for many draws)."""

    ids: list[str]
    types: list[str]
    share: np.ndarray
    target: np.ndarray
    ratio: np.ndarray
    generation: np.ndarray
    removal: np.ndarray
    begin: np.ndarray
    end: np.ndarray
    spread: np.ndarray
    mature: np.ndarray
    unsized: list[str]  # sinks with no area to act on
    shift: np.ndarray

    @property
    def reach(self) -> np.ndarray:
        """Each measure's share of each cell it acts on, at full adoption: one share for all
        its cells (`_cells`), 0 for a measure acting on none."""
        return self.share.max(axis=1, initial=0.0)

    @property
    def functions(self) -> list[str]:
        return [FUNCTION_OF_EFFECT[t] for t in self.types]

    def curves(self, years: np.ndarray, at_end: float, min_ramp: int,
               starts: Mapping[str, int] | None = None,
               rows: list[int] | None = None, since: int | None = None) -> np.ndarray:
        """Full adoption paths (the `rows` given, else every measure, x years; with a
        leading draws axis if `shift` has one), from `starts[id]` where later (a roadmap
        delays a measure behind its prerequisites), the mature ones from `since` if given.
        A measure is widespread at the end of its popularisation period, at least
        `min_ramp` years after its start, plus its shift; half adopted halfway from its
        start, or in the middle of that period where later: what the study first applies in
        2020-2025 and popularises in 2035-2050 (CO2 capture) is not half adopted by 2035."""
        rows = np.arange(len(self.ids)) if rows is None else np.asarray(rows, dtype=int)
        begin = self.begin[rows]
        if since is not None:
            begin = np.where(self.mature[rows], since, begin)
        if starts:
            begin = np.maximum(begin, [starts.get(self.ids[row], 0) for row in rows])
        end = np.maximum(self.end[rows], begin + min_ramp) + self.shift[..., rows]
        return adoption(years, begin, end, at_end, end - self.spread[rows] / 2)


def measure_effects(baseline: Baseline, catalog: Catalog, ids: Iterable[str]) -> Effects:
    """The arrays of `ids`; a measure starts at its application year, never before the year
    after the site's base year, and is widespread by the end of its popularisation period."""
    site, years = baseline.site, baseline.years
    techs = [catalog.get(i) for i in ids]
    share = np.zeros((len(techs), len(baseline.cells)))
    target = np.full((len(techs), len(baseline.cells)), -1)
    ratio, removal = np.zeros(len(techs)), np.zeros(len(techs))
    generation = np.zeros((len(techs), len(years)))
    begin, end = np.zeros(len(techs), dtype=int), np.zeros(len(techs), dtype=int)
    demand = baseline.energy[baseline.rows("electricity")].sum(axis=0)
    unsized = []
    for row, tech in enumerate(techs):
        effect, size = tech.acts, site.measures.get(tech.id)
        if size and size.kind == "share":
            cap = size.share
        elif effect.cap is not None:  # the row's own, 0 included
            cap = effect.cap
        else:
            cap = site.assumptions.cap(effect.type, tech.abatement)
        if effect.type in REMOVING:
            if not effect.completes:  # a chain's part: its tonnes are credited on the other
                _cells(baseline, tech, cap, share[row], target[row],
                       None if size and size.kind == "share" else site.assumptions)
            ratio[row] = effect.ratio or 0.0
        elif effect.type == "supply":
            generation[row] = _generation(tech, cap, demand, site)
        else:
            removal[row] = _sink_removal(tech, cap, site)
            if removal[row] == 0:
                unsized.append(tech.id)
        begin[row] = earliest_start(tech, site.first_start_year)
        end[row] = PERIOD_END[popularization_year(tech)]
    return Effects([t.id for t in techs], [t.acts.type for t in techs], share, target, ratio,
                   generation, removal, begin, end, end - [popularization_year(t) for t in techs],
                   np.array([t.mature for t in techs], dtype=bool), unsized,
                   np.zeros(len(techs)))


def _cells(baseline: Baseline, tech: Technology, cap: float, share: np.ndarray,
           target: np.ndarray, assumptions: Assumptions | None) -> None:
    """Fill one measure's share (and target) row: `cap` of the part of each cell its
    limiting features use (`assumptions.feature_share`: its required feature's equipment,
    or new buildings; None: a share the site gave itself, of the whole cell). Enabling
    measures without cells act on every energy cell of the site."""
    effect = tech.acts
    cells = expand_cells(effect.cells) if effect.cells else [
        (s, c) for s, c in baseline.cells if c in (*FUELS, "electricity")]
    for sector, carrier in cells:
        row = baseline.index(sector, carrier)
        if row is None or not baseline.energy[row].any():
            continue
        if effect.target == carrier:  # a fuel does not switch to itself
            continue
        share[row] = cap if assumptions is None else \
            cap * assumptions.feature_share(tech.limiting_features, sector)
        if effect.target:
            target[row] = baseline.index(sector, effect.target)


def _generation(tech: Technology, cap: float, demand: np.ndarray, site) -> np.ndarray:
    """MWh/yr at full adoption: installed MW x full-load hours, MWh given, or a share of the
    site's business-as-usual electricity."""
    size = site.measures.get(tech.id)
    if size and size.kind == "mw":
        scale = tech.acts.scale or "mixed"
        return np.full(len(demand), size.mw * site.assumptions.full_load_hours[scale])
    if size and size.kind == "mwh":
        return np.full(len(demand), size.mwh)
    return cap * demand


def _sink_removal(tech: Technology, cap: float, site) -> float:
    """t/yr at full adoption: the area (the site's, or its grade's share of the site's land)
    x the uptake rate."""
    size = site.measures.get(tech.id)
    if size and size.kind in ("area_ha", "area_mu"):
        hectares = size.area_ha if size.kind == "area_ha" else size.area_mu / MU_PER_HA
    elif site.land_area_ha:
        hectares = cap * site.land_area_ha
    else:
        return 0.0
    return hectares * MU_PER_HA * site.assumptions.sink_uptake_per_mu


def acted_cells(baseline: Baseline, tech: Technology) -> list[tuple[str, str]]:
    """The site's non-empty cells a measure acts on (supply: its electricity)."""
    effect = tech.acts
    if effect.type == "supply":
        wanted = [cell for cell in baseline.cells if cell[1] == "electricity"]
    elif effect.type == "sink":
        return []
    elif effect.cells:
        wanted = expand_cells(effect.cells)
    else:
        wanted = [cell for cell in baseline.cells if cell[1] in (*FUELS, "electricity")]
    return [cell for cell in wanted if (row := baseline.index(*cell)) is not None
            and baseline.energy[row].any()]
