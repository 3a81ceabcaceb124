"""Emission pathways by scenario, each measure's order-free contribution, targets, and what
near zero still needs.

The engine (README, "The site model"): on each sector x carrier cell the measures acting on
it combine multiplicatively (each cuts a share of what is there, so the cell never goes
below zero and nothing is cut twice); removed energy goes to its target carrier for
electrification and fuel switches; electricity demand less local zero-carbon generation and
green power is bought from the grid at the factor of the year; sinks take up CO2 by area.

Attribution: a cell's combined cut is split among its measures by the log-share rule
(ln(1 - share) of each over the sum); the change in the electricity bought from the grid
among demand, local generation and green power by the three-party Shapley value, the
demand part among the pairs by the demand each cuts, the local part among the generators
by the generation each adds. So the shares do not depend on the order of the measures and add up
exactly to the total. A scenario is credited only with what it adds to business as usual,
which already holds the autonomous uptake of mature technologies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

from ..display import preview
from ..inputs.assumptions import GRADES, Assumptions
from ..inputs.catalog import Catalog
from ..inputs.dependencies import exclusive_conflicts
from ..inputs.site import Site, interpolate
from ..inputs.vocabulary import FOSSIL, FUNCTION_OF_EFFECT
from .baseline import Baseline, build_baseline
from .effects import Effects, measure_effects

GREEN_POWER = "green_power"  # the profile's green-power lever, reported like a measure
GREEN_POWER_CATEGORY = "绿色电力"  # its category, the catalogs' kind of key (zh)
SINK = "sink"  # the sector of sink rows in `Pathway.frame`
FRAME_COLUMNS = ["year", "measure", "sector", "function", "abatement"]
CELL_COLUMNS = ["year", "sector", "carrier", "bau", "emissions"]
BY_YEAR_COLUMNS = ["year", "bau", "abatement", "sink", "net"]
_TINY = 1e-12


@dataclass(frozen=True)
class Pathway:
    """One scenario of a site, yearly from its base year to its target year.

    `by_year`: year, bau (business-as-usual emissions, tCO2e/yr), abatement (bau less the
    scenario's emissions), sink (the scenario's removals), net (emissions less removals).
    `frame` (tidy): year, measure, sector, function, abatement: each measure's credit
    against business as usual by sector (sinks: sector "sink"); they add up to
    abatement + (sink - business-as-usual sink). `cells`: year, sector, carrier, bau,
    emissions (tCO2e/yr). `measures`: the ids the scenario adopts beyond business as usual.
    The tables are built on first use from the model's arrays: `state` (energy and
    emissions by cell x year, removed energy by (measure, cell) pair x year) and `credit`
    (measures and green power x sectors x years, tCO2e/yr).

    >>> model = roadmap.site_model(site, catalog, ["town-building-solar-pv"])
    >>> pathway = model.run("roadmap", {"town-building-solar-pv": 2021})
    >>> list(pathway.frame.columns)
    ['year', 'measure', 'sector', 'function', 'abatement']
    """

    scenario: str
    site: Site
    measures: tuple[str, ...]
    model: SiteModel
    state: _State
    credit: np.ndarray

    @property
    def years(self) -> np.ndarray:
        return self.model.base.years

    @property
    def net(self) -> np.ndarray:
        return self.state.emissions.sum(axis=0) - self.state.sinks.sum(axis=0)

    @cached_property
    def by_year(self) -> pd.DataFrame:
        bau_gross = self.model.bau_state.emissions.sum(axis=0)
        gross = self.state.emissions.sum(axis=0)
        sinks = self.state.sinks.sum(axis=0)
        return pd.DataFrame({"year": self.years, "bau": bau_gross, "abatement": bau_gross - gross,
                             "sink": sinks, "net": gross - sinks})[BY_YEAR_COLUMNS]

    @cached_property
    def frame(self) -> pd.DataFrame:
        return _credit_frame(self.model.base, self.model.effects, self.credit,
                             self.state.sinks - self.model.bau_state.sinks)

    @cached_property
    def cells(self) -> pd.DataFrame:
        base, years = self.model.base, self.years
        cells = pd.DataFrame({
            "year": np.tile(years, len(base.cells)),
            "sector": np.repeat([s for s, _ in base.cells], len(years)),
            "carrier": np.repeat([c for _, c in base.cells], len(years)),
            "bau": self.model.bau_state.emissions.ravel(),
            "emissions": self.state.emissions.ravel()})
        return cells[(cells["bau"] != 0) | (cells["emissions"] != 0)].reset_index(drop=True)

    def _repr_html_(self) -> str:
        return preview(f"Emission pathway of {self.site.name} (tCO2e/yr by year)", self.by_year)

    def __repr__(self) -> str:  # the dataclass's would print the site and every array
        years = self.model.base.years
        count = len(self.measures)
        return (f"Pathway({self.scenario!r}, site={self.site.name!r}, {count} "
                f"measure{'' if count == 1 else 's'}, {years[0]}-{years[-1]})")


@dataclass(frozen=True)
class _Pairs:
    """The (measure, cell) pairs a measure acts on, the only places the model computes:
    their measure, cell, share at full adoption, ratio and target cell (the same sector),
    and sparse matrices that sum the acting measures' logs into cells (`plain_to_cell`:
    the measures that are not enabling; `enabling_to_cell`: those that are), the removed
    energy x ratio of the pairs `moving` energy into the cells receiving it (`to_target`)
    and all pairs' into measure x sector credits (`to_credit`). A sparse product adds each
    row's terms in one fixed order, so a year's result is the same bytes whatever else is
    computed beside it (Monte Carlo draws)."""

    measure: np.ndarray
    cell: np.ndarray
    share: np.ndarray
    ratio: np.ndarray
    target: np.ndarray
    moving: np.ndarray  # the pairs moving energy to another cell (positions)
    to_target: sparse.csr_array  # cells x `moving`
    to_credit: sparse.csr_array
    on_power: np.ndarray  # the pair's cell is electricity
    to_power: np.ndarray  # the pair moves energy to electricity
    to_fuel: np.ndarray  # the pair moves energy to a fuel
    enabling: np.ndarray  # the pair's measure is enabling
    enabling_floor: np.ndarray  # cells: ln(1 - the most enabling measures remove together)
    acting: np.ndarray  # the measures that have pairs, each once
    of_acting: np.ndarray  # each pair's measure, as a position in `acting`
    plain_to_cell: sparse.csr_array  # cells x acting: the measures that are not enabling
    enabling_to_cell: sparse.csr_array  # cells x acting: the enabling measures
    generating: np.ndarray  # the measures generating electricity (rows)

    @classmethod
    def of(cls, fx: Effects, base: Baseline, enabling_floor: np.ndarray) -> _Pairs:
        """The pairs of `fx`, under the enabling measures' joint cap (`enabling_floor`)."""
        cells, sectors = len(base.cells), len(base.sectors)
        measure, cell = np.nonzero(fx.share > 0)
        target = fx.target[measure, cell]
        index = np.arange(len(cell))
        moving = np.nonzero(target >= 0)[0]
        to_target = _summing(target[moving], np.arange(len(moving)), (cells, len(moving)),
                             fx.ratio[measure[moving]])
        to_credit = _summing(measure * sectors + base.sector_index[cell], index,
                             (len(fx.ids) * sectors, len(cell)))
        power = base.carrier_of == "electricity"
        to_power = (target >= 0) & power[np.maximum(target, 0)]
        enabling = np.array(fx.types)[measure] == "enabling"
        acting, of_acting = np.unique(measure, return_inverse=True)
        to_cells = [_summing(cell[kind], of_acting[kind], (cells, len(acting)))
                    for kind in (~enabling, enabling)]
        return cls(measure, cell, fx.share[measure, cell], fx.ratio[measure], target, moving,
                   to_target, to_credit, power[cell], to_power, (target >= 0) & ~to_power,
                   enabling, enabling_floor, acting, of_acting, *to_cells,
                   np.flatnonzero(fx.generation.any(axis=1)))


def enabling_floor(fx: Effects, joint: float) -> np.ndarray:
    """Cells: ln(1 - the most enabling measures remove of a cell together): `joint`, or
    the largest share one of them is sized at."""
    enabling = np.array(fx.types) == "enabling"
    return np.log1p(-fx.share[enabling].max(axis=0, initial=joint))


@dataclass(frozen=True)
class _Inputs:
    """What a run reads that Monte Carlo draws vary: energy and factor (cells x years), grid
    (years), share (measures x years, or x 1 when constant: `Effects.reach`), generation
    (measures x years) and removal (measures x years, or x 1). Monte Carlo lays many draws
    side by side on the years axis (each year is computed independently of the others)."""

    energy: np.ndarray
    factor: np.ndarray
    grid: np.ndarray
    share: np.ndarray
    generation: np.ndarray
    removal: np.ndarray


class _Logs(NamedTuple):
    """A scenario's cuts as logs, ln(1 - share cut) (x years): each acting measure's on
    every cell it acts on (`measure`), the enabling measures' together on each cell, capped
    (`enabling`), all measures' together (`cell`), and the factor the cap scaled the
    enabling measures' additions by on each cell (`scale`, 1 where it does not bind); a
    scenario's `prior` is business as usual's, beyond which its additions are capped.
    Business as usual's single run keeps each pair's (`pairs`: every scenario run on it
    reads them)."""

    measure: np.ndarray
    enabling: np.ndarray
    cell: np.ndarray
    scale: np.ndarray
    prior: _Logs | None
    pairs: np.ndarray | None = None


@dataclass(frozen=True)
class _State:
    """One scenario's physical result: its logs, removed energy by pair x year, energy and
    emissions by cell x year, electricity bookkeeping by year, sinks by measure x year
    (Monte Carlo: draws side by side on the years axis)."""

    adoption: np.ndarray
    logs: _Logs
    removed: np.ndarray  # pairs (or the pairs moving energy only) x years, MWh (non_energy: t)
    energy: np.ndarray
    demand: np.ndarray
    generated: np.ndarray  # MWh of local zero-carbon generation
    green: np.ndarray
    emissions: np.ndarray
    sinks: np.ndarray


def _summing(rows: np.ndarray, pairs: np.ndarray, shape: tuple[int, int],
             weights: np.ndarray | None = None) -> sparse.csr_array:
    """The matrix (`shape`: rows x all pairs) adding each of `pairs` to its row, times its
    weight (default 1)."""
    weights = np.ones(len(pairs)) if weights is None else weights
    return sparse.csr_array((weights, (rows, pairs)), shape=shape)


def _sum_pairs(matrix: sparse.csr_array, values: np.ndarray) -> np.ndarray:
    """Pairs x years summed into the rows of a 0/1 matrix."""
    return matrix @ values


# --------------------------------------------------------------------------- simulation

def _simulate(inputs: _Inputs, pairs: _Pairs, electric: np.ndarray, adoption: np.ndarray,
              green: np.ndarray, prior: _State | None = None,
              moving_only: bool = False) -> _State:
    """The scenario's state; with `prior` (business as usual), removals are allocated as
    the prior's plus the log-share split of what this scenario adds. The cuts are summed
    into cells measure by measure (a measure's log is the same on all its cells). With
    `moving_only` (Monte Carlo, and the prior's too), only the pairs moving energy get
    their removed energy."""
    logs = np.take(adoption, pairs.acting, axis=0)
    logs *= np.take(inputs.share, pairs.acting, axis=0)
    logs = np.log1p(np.negative(logs, out=logs), out=logs)
    enabling, scale = _cap_enabling(logs, pairs, None if prior is None else prior.logs)
    total = _sum_pairs(pairs.plain_to_cell, logs)
    total += enabling
    logs = _Logs(logs, enabling, total, scale, None if prior is None else prior.logs)
    if prior is None and not moving_only:
        logs = logs._replace(pairs=pair_logs(pairs, logs))
    remaining = np.exp(total)
    removed = _removed(inputs.energy, pairs, logs, remaining, prior,
                       pairs.moving if moving_only else None)
    energy = inputs.energy * remaining + _sum_pairs(
        pairs.to_target, removed if moving_only else removed[pairs.moving])
    demand = energy[electric].sum(axis=0)
    generating = pairs.generating
    generated = (inputs.generation[generating] * adoption[generating]).sum(axis=0)
    local = np.minimum(np.divide(generated, demand, out=np.zeros_like(demand),
                                 where=demand > 0), 1.0)  # zero-carbon share of demand
    emissions = energy * inputs.factor
    emissions[electric] *= (1 - local) * (1 - green)
    return _State(adoption, logs, removed, energy, demand, generated, green, emissions,
                  inputs.removal * adoption)


def _cap_enabling(logs: np.ndarray, pairs: _Pairs, prior: _Logs | None,
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Enabling measures (plans, platforms, programmes) act through the same management of
    a cell's energy: together they remove no more of it than the strongest alone (README,
    "Enabling measures"). Where their logs beyond the `prior`'s (business as usual) would
    go past that floor, those additions are scaled down in proportion. Cells x years:
    their capped log cut of each cell, and that scale (1 where nothing binds)."""
    own = _sum_pairs(pairs.enabling_to_cell, logs)
    before = 0.0 if prior is None else prior.enabling
    added = own - before
    scale = np.clip(np.divide(pairs.enabling_floor[:, None] - before, added,
                              out=np.ones_like(added), where=added < -_TINY), 0.0, 1.0)
    binds = scale < 1
    if binds.any():  # else nothing binds (business as usual, most sites)
        np.add(before, added * scale, out=own, where=binds)
    return own, scale


def pair_logs(pairs: _Pairs, logs: _Logs, rows: np.ndarray | None = None) -> np.ndarray:
    """Pairs (`rows`, default all) x years: each pair's log cut, ln(1 - its share cut),
    the enabling cap applied; they add up to `logs.cell` in each cell."""
    if logs.pairs is not None:
        return logs.pairs if rows is None else logs.pairs[rows]
    before = None if logs.prior is None else pair_logs(pairs, logs.prior, rows)
    return _capped(pairs, logs, rows, before)


def _capped(pairs: _Pairs, logs: _Logs, rows: np.ndarray | None,
            before: np.ndarray | None) -> np.ndarray:
    """`pair_logs` given the prior's (`before`, the same rows)."""
    picked = slice(None) if rows is None else rows
    values = np.take(logs.measure, pairs.of_acting[picked], axis=0)
    enabling = pairs.enabling[picked]
    if enabling.any():
        own = values[enabling]
        scale = np.take(logs.scale, pairs.cell[picked][enabling], axis=0)
        if before is None:
            values[enabling] = own * scale
        else:
            prior = before[enabling]
            values[enabling] = np.where(scale < 1, prior + (own - prior) * scale, own)
    return values


def _removed(energy: np.ndarray, pairs: _Pairs, logs: _Logs, remaining: np.ndarray,
             prior: _State | None, rows: np.ndarray | None) -> np.ndarray:
    """Pairs (`rows`, default all) x years: each cell's cut energy split among its pairs
    by their logs (`remaining`: the exponential of the cell's), or with `prior` (its removed
    energy on the same rows), the prior's plus the split of what this scenario adds."""
    picked = slice(None) if rows is None else rows
    cells = pairs.cell[picked]
    if prior is None:
        part = _split(np.array(pair_logs(pairs, logs, rows)), logs.cell, cells,  # a copy
                      energy * (1 - remaining))
    else:
        before = prior.logs.cell
        pair_before = pair_logs(pairs, prior.logs, rows)
        own = _capped(pairs, logs, rows, pair_before)
        part = _split(np.subtract(own, pair_before, out=own), logs.cell - before, cells,
                      energy * (np.exp(before) - remaining))
        part += prior.removed
    return part


def _split(logs: np.ndarray, cell_logs: np.ndarray, cells: np.ndarray,
           total: np.ndarray) -> np.ndarray:
    """`total` (cells x years) split among the pairs of `cells` (their cell) in proportion
    to their logs (`cell_logs`: the logs summed by cell); overwrites and returns `logs`."""
    per_log = np.divide(total, cell_logs, out=np.zeros_like(total), where=cell_logs < -_TINY)
    logs *= np.take(per_log, cells, axis=0)
    return logs


# --------------------------------------------------------------------------- attribution

def _credits(inputs: _Inputs, pairs: _Pairs, electric: np.ndarray, sectors: int,
             bau: _State, scenario: _State) -> np.ndarray:
    """(measures + green power) x sectors x years: each measure's cut against business as
    usual, in the sector where it shows (module docstring). Moved energy stays in its
    sector."""
    delta = scenario.removed - bau.removed
    moved = delta * pairs.ratio[:, None]
    fuel_value = (delta * ~pairs.on_power[:, None] * inputs.factor[..., pairs.cell, :]
                  - moved * pairs.to_fuel[:, None] *
                  inputs.factor[..., np.maximum(pairs.target, 0), :])
    demand_cut = delta * pairs.on_power[:, None] - moved * pairs.to_power[:, None]
    by_demand, local_part, green_part = _electricity_shapley(
        (bau.demand, scenario.demand), (bau.generated, scenario.generated),
        (bau.green, scenario.green))
    cut = bau.demand - scenario.demand  # the pairs' demand cuts add up to it
    # Per MWh cut. While generation stays below demand (every combination), exactly
    # 1 - the mean green share: dividing the Shapley share by the cut would lose that to
    # rounding where efficiency and electrification nearly cancel. Where local generation
    # covers demand in some combination, the share over the cut (0 if demand hardly moves).
    short = np.minimum(bau.demand, scenario.demand) >= np.maximum(bau.generated,
                                                                   scenario.generated)
    moves = np.abs(cut) > 1e-9 * (bau.demand + scenario.demand)
    per_mwh = np.where(short, 1 - (bau.green + scenario.green) / 2, np.divide(
        by_demand, cut, out=np.zeros_like(cut), where=moves & ~short))
    credit = _sum_pairs(pairs.to_credit, fuel_value + demand_cut * (
        inputs.grid * per_mwh)[..., None, :])
    credit = credit.reshape(*credit.shape[:-2], -1, sectors, credit.shape[-1])
    power = scenario.energy[..., electric, :]
    demand = scenario.demand[..., None, :]
    sector_share = np.divide(power, demand, out=np.zeros_like(power), where=demand > 0)
    generation = inputs.generation * scenario.adoption
    added = generation - inputs.generation * bau.adoption
    weights = np.where(added.sum(axis=-2, keepdims=True) > _TINY, added, generation)
    weight_sum = weights.sum(axis=-2, keepdims=True)
    per_measure = np.divide(weights, weight_sum, out=np.zeros_like(weights),
                            where=weight_sum > _TINY) * (inputs.grid * local_part)[..., None, :]
    credit += per_measure[..., :, None, :] * sector_share[..., None, :, :]
    green_row = ((inputs.grid * green_part)[..., None, :] * sector_share)[..., None, :, :]
    return np.concatenate([credit, green_row], axis=-3)


def _electricity_shapley(demand: tuple, generated: tuple, green: tuple,
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The fall in bought electricity's emissions per unit grid factor, from business as
    usual (each pair's first) to the scenario (second), split exactly among demand (MWh),
    local generation (MWh) and green power (share) by the three-party Shapley value of
    max(demand - generated, 0) x (1 - green): a party that does not change gets nothing, and
    while local generation stays below demand each MWh of demand cut counts in full."""
    def bought(d: int, q: int, h: int) -> np.ndarray:
        return np.maximum(demand[d] - generated[q], 0.0) * (1 - green[h])

    value = {(d, q, h): bought(d, q, h) for d in (0, 1) for q in (0, 1) for h in (0, 1)}
    shares = []
    for party in range(3):
        share = 0.0
        for others in ((0, 0), (1, 0), (0, 1), (1, 1)):  # the other two parties' states
            weight = 1 / 3 if others[0] == others[1] else 1 / 6
            before, after = list(others), list(others)
            before.insert(party, 0)
            after.insert(party, 1)
            share = share + weight * (value[tuple(before)] - value[tuple(after)])
        shares.append(share)
    return shares[0], shares[1], shares[2]


# --------------------------------------------------------------------------- scenarios

@dataclass(frozen=True)
class SiteModel:
    """A site's baseline and the effects of its candidate measures, built once and run for
    any set of adopted measures (`run`).

    >>> model = roadmap.site_model(site, catalog, ["town-building-solar-pv"])
    >>> with_pv = model.run("pv", {"town-building-solar-pv": 2021})
    >>> bool((with_pv.by_year["abatement"] >= 0).all())
    True
    """

    site: Site
    catalog: Catalog
    base: Baseline
    effects: Effects
    pairs: _Pairs
    inputs: _Inputs
    bau_state: _State
    bau_ids: tuple[str, ...]
    default_curves: np.ndarray
    twins: dict[int, tuple[int, ...]]  # measure row -> its twins in business as usual
    autonomous: float  # the share of a mature measure's market adopting it on its own
    # id -> its stand-alone run: the ranking, the costs and the portfolio each read them
    alone: dict[str, Pathway] = field(init=False, default_factory=dict, repr=False,
                                      compare=False)

    @property
    def electric(self) -> np.ndarray:
        return self.base.rows("electricity")

    def adoption(self, starts: Mapping[str, int]) -> np.ndarray:
        """Measures x years: business as usual's uptake, and for adopted ids the rest of
        their market along their own curves."""
        return adopted(self.effects, self.default_curves, self.bau_state.adoption,
                       bau_shares(self.effects, self.bau_ids, self.autonomous), starts,
                       self.base.years, self.site.assumptions, self.twins)

    def green(self, on: bool) -> np.ndarray:
        path = self.site.green_power
        if not on or not path:
            return np.zeros(len(self.base.years))
        anchored = path if min(path) <= self.site.base_year else {self.site.base_year: 0.0,
                                                                  **path}
        return np.array(interpolate(anchored, self.base.years))

    def run(self, scenario: str, starts: Mapping[str, int], green_power: bool = True,
            ) -> Pathway:
        """The pathway when `starts` (id -> start year) are adopted on top of business as
        usual, with the profile's green power if `green_power`."""
        state = _simulate(self.inputs, self.pairs, self.electric, self.adoption(starts),
                          self.green(green_power), self.bau_state)
        credit = _credits(self.inputs, self.pairs, self.electric, len(self.base.sectors),
                          self.bau_state, state)
        return Pathway(scenario, self.site, tuple(starts), self, state, credit)

    def varied(self, inputs: _Inputs, shift: np.ndarray, autonomous: float) -> SiteModel:
        """The same model under other values of its uncertain inputs (one Monte Carlo
        draw): the arrays a run reads, each measure's shift of its wide-adoption year, and
        the autonomous uptake of business as usual."""
        return _assemble(self.site, self.catalog, self.base, replace(self.effects, shift=shift),
                         self.pairs, inputs, self.bau_ids, autonomous, self.twins)


def site_model(site: Site, catalog: Catalog, candidates: Iterable[str]) -> SiteModel:
    """Baseline and effects for the site's candidate measures; business as usual holds the
    autonomous uptake of the mature ones (one of each group of restating rows).

    >>> model = roadmap.site_model(site, catalog, [t.id for t in catalog.filter(domain="town")])
    >>> bau = model.run("bau", {})
    >>> int(bau.by_year["year"].iloc[0]), round(bau.by_year["bau"].iloc[0])
    (2010, 2160000)
    """
    ids = list(dict.fromkeys(candidates))
    base = build_baseline(site)
    fx = measure_effects(base, catalog, ids)
    bau_ids = non_conflicting([i for i, mature in zip(ids, fx.mature, strict=True)
                               if mature and _market_sized(site, i)], catalog)
    return _model_of(site, catalog, base, fx, tuple(bau_ids))


def _market_sized(site: Site, tech_id: str) -> bool:
    """Whether business as usual may adopt part of a mature measure on its own: not one the
    profile sizes as a project (MW, MWh, hectares: the plan's wind farm or forest, not the
    market's), only one at its grade's or the profile's share of a market."""
    size = site.measures.get(tech_id)
    return size is None or size.kind == "share"


def _model_of(site: Site, catalog: Catalog, base: Baseline, fx: Effects,
              bau_ids: tuple[str, ...]) -> SiteModel:
    """The model of a baseline and effects, with its central inputs."""
    pairs = _Pairs.of(fx, base, enabling_floor(fx, site.assumptions.cap("enabling",
                                                                         max(GRADES))))
    inputs = _Inputs(base.energy, base.factor, base.grid, fx.reach[:, None], fx.generation,
                     fx.removal[:, None])
    return _assemble(site, catalog, base, fx, pairs, inputs, bau_ids,
                     site.assumptions.autonomous_uptake, bau_twins(catalog, fx.ids, bau_ids))


def _assemble(site: Site, catalog: Catalog, base: Baseline, fx: Effects, pairs: _Pairs,
              inputs: _Inputs, bau_ids: tuple[str, ...], autonomous: float,
              twins: dict[int, tuple[int, ...]]) -> SiteModel:
    """The model with its adoption curves and business as usual."""
    assumptions = site.assumptions
    curves = fx.curves(base.years, assumptions.adoption_at_end, assumptions.min_ramp_years)
    state = _simulate(inputs, pairs, base.rows("electricity"),
                      bau_uptake(bau_curves(fx, curves, base.years, site),
                                 bau_shares(fx, bau_ids, autonomous)),
                      np.zeros(len(base.years)))
    return SiteModel(site, catalog, base, fx, pairs, inputs, state, bau_ids, curves, twins,
                     autonomous)


def bau_twins(catalog: Catalog, ids: list[str], bau_ids: tuple[str, ...],
              ) -> dict[int, tuple[int, ...]]:
    """Measure row -> its twins in business as usual: the rows it restates, or that
    restate it (the same technology in another table)."""
    bau = [ids.index(i) for i in bau_ids]
    twins = {row: tuple(twin for twin in bau if _restating(catalog, i, ids[twin]))
             for row, i in enumerate(ids) if i not in bau_ids}
    return {row: found for row, found in twins.items() if found}


def bau_curves(fx: Effects, curves: np.ndarray, years: np.ndarray, site: Site) -> np.ndarray:
    """The curves business as usual's uptake follows: the measures' `curves`, the mature
    ones from the year after the base year where the plan starts later (`start_year`):
    what spreads on its own does not wait for the plan."""
    since = site.base_year + 1
    if site.first_start_year == since:
        return curves
    assumptions = site.assumptions
    return fx.curves(years, assumptions.adoption_at_end, assumptions.min_ramp_years,
                     since=since)


def bau_shares(fx: Effects, bau_ids: Iterable[str], autonomous: float | np.ndarray,
               ) -> np.ndarray:
    """Each measure's share of its market that business as usual adopts on its own
    (measures, with a leading draws axis if `autonomous` has one): `autonomous` for its
    mature measures (`bau_ids`), 0 for the others."""
    in_bau = np.array([tech_id in bau_ids for tech_id in fx.ids])
    return in_bau * np.asarray(autonomous)[..., None]


def bau_uptake(curves: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Business as usual's adoption (measures x years, any leading draws axis): each
    measure's `shares` (`bau_shares`) of its `curves` (`bau_curves`)."""
    return curves * shares[..., None]


def adopted(fx: Effects, curves: np.ndarray, bau: np.ndarray, shares: np.ndarray,
            starts: Mapping[str, int], years: np.ndarray, assumptions: Assumptions,
            twins: dict[int, tuple[int, ...]]) -> np.ndarray:
    """Adoption (measures x years, any leading draws axis) when `starts` are adopted:
    business as usual's `bau` (its `shares` of each market), and for each adopted measure
    the rest of its market along its curve (from a later start where the plan or a
    prerequisite delays it; on top of a `twins`' uptake in business as usual). Started
    with business as usual's uptake, a measure's adoption is its curve; started later, it
    adds from its first year to what is already under way."""
    later = [row for row, tech_id in enumerate(fx.ids) if starts.get(tech_id, 0) > fx.begin[row]]
    if later:
        curves = curves.copy()
        curves[..., later, :] = fx.curves(years, assumptions.adoption_at_end,
                                          assumptions.min_ramp_years, starts, later)
    chosen = np.array([tech_id in starts for tech_id in fx.ids])
    curves = _on_twins(fx, curves, bau, chosen, twins)
    return np.where(chosen[:, None], bau + (1 - shares[..., None]) * curves, bau)


def _on_twins(fx: Effects, curves: np.ndarray, bau: np.ndarray, chosen: np.ndarray,
              twins: dict[int, tuple[int, ...]]) -> np.ndarray:
    """A chosen measure whose twins are in business as usual (and not chosen) is the same
    technology: it adds to their autonomous uptake instead of beside it. Its adoption x is
    what, on top of the twins' b_t, cuts its cells as its curve c would alone:
    prod_t (1 - s_t b_t) (1 - s x) = 1 - s c, with s_t a twin's share of those cells
    (supply and sinks: x = c - sum_t b_t)."""
    rows = {row: [t for t in found if not chosen[t]] for row, found in twins.items()
            if chosen[row]}
    if not any(rows.values()):
        return curves
    curves = curves.copy()
    for row, found in rows.items():
        own, curve = fx.share[row].max(), curves[..., row, :]
        if own > 0:
            left = np.prod([1 - fx.share[t][fx.share[row] > 0].max() * bau[..., t, :]
                            for t in found], axis=0)
            curves[..., row, :] = np.clip((1 - (1 - own * curve) / left) / own, 0.0, 1.0)
        else:
            curves[..., row, :] = np.maximum(curve - bau[..., found, :].sum(axis=-2), 0.0)
    return curves


def _restating(catalog: Catalog, first: str, second: str) -> bool:
    return second in catalog.get(first).restates or first in catalog.get(second).restates


def non_conflicting(ids: Iterable[str], catalog: Catalog) -> list[str]:
    """`ids` in order, leaving out any that restates or overlaps one already taken."""
    conflicts = exclusive_conflicts(catalog)
    taken: list[str] = []
    for tech_id in ids:
        if not any(conflicts.has_edge(tech_id, other) for other in taken):
            taken.append(tech_id)
    return taken


def scenario_pathways(model: SiteModel, roadmap_starts: Mapping[str, int],
                      ) -> dict[str, Pathway]:
    """Business as usual, the roadmap, and the technical potential: the roadmap's measures
    and every candidate overlapping none of them, all at their caps from the start (of a
    group of overlapping rows, the one abating most alone in the target year, so that no
    row the roadmap credits gives way to a weaker one), with the profile's green power.

    >>> ranking = roadmap.rank(roadmap.decision_matrix(catalog, site), site.method)
    >>> plan = roadmap.build_roadmap(ranking, catalog, roadmap.load_dependencies(catalog), site)
    >>> model = roadmap.site_model(site, catalog, ranking.frame["id"])
    >>> scenarios = roadmap.scenario_pathways(model, plan.starts())
    >>> list(scenarios), list(scenarios["roadmap"].by_year.columns)
    (['bau', 'roadmap', 'potential'], ['year', 'bau', 'abatement', 'sink', 'net'])
    """
    alone = standalone_runs(model, model.effects.ids)
    by_abatement = sorted(model.effects.ids,  # stable: ties keep the candidates' order
                          key=lambda i: -credit_in(alone[i], model.site.target_year))
    in_roadmap = [i for i in roadmap_starts if i in alone]
    potential = set(non_conflicting(dict.fromkeys([*in_roadmap, *by_abatement]), model.catalog))
    return {
        "bau": model.run("bau", {}, green_power=False),
        "roadmap": model.run("roadmap", roadmap_starts),
        "potential": model.run("potential", dict.fromkeys(
            [i for i in model.effects.ids if i in potential], 0)),
    }


@dataclass(frozen=True)
class BauChange:
    """Business as usual's net emissions from year `first` to `last` (tCO2e/yr), and why:
    `activity`, the growth of the site's activity alone (business as usual run with the grid
    held at its `first`-year factor and no autonomous uptake); `grid`, the grid's changing
    emission factor; `uptake`, the autonomous uptake of mature technologies (their local
    power and sinks included). The grid's and the uptake's parts are measured on the grown
    activity, and their overlap (a mature measure saving electricity abates less on a
    cleaner grid) is split half and half (each part is the mean of its effect with and
    without the other). activity + grid + uptake = total.

    >>> model = roadmap.site_model(site, catalog, [t.id for t in catalog.filter(domain="town")])
    >>> change = roadmap.bau_change(model, 2010, 2050)
    >>> change.grid < 0 < change.activity  # Xiaolan grows on a cleaner grid
    True
    """

    first: int
    last: int
    total: float
    activity: float
    grid: float
    uptake: float


def bau_change(model: SiteModel, first: int, last: int) -> BauChange:
    """Business as usual's change from `first` to `last`, split (see `BauChange`).

    >>> model = roadmap.site_model(site, catalog, [t.id for t in catalog.filter(domain="town")])
    >>> change = roadmap.bau_change(model, 2010, 2050)
    >>> round(change.activity + change.grid + change.uptake - change.total, 6)
    0.0
    """
    columns = [list(model.base.years).index(year) for year in (first, last)]

    def change(grid_moves: bool, uptake: bool) -> float:
        inputs = model.inputs
        if not grid_moves:  # every year at the `first` year's factor
            held = inputs.grid[columns[0]]
            factor = inputs.factor.copy()
            factor[model.electric] = held
            inputs = replace(inputs, factor=factor, grid=np.full_like(inputs.grid, held))
        autonomous = model.site.assumptions.autonomous_uptake if uptake else 0.0
        net = model.varied(inputs, model.effects.shift, autonomous).run(
            "bau", {}, green_power=False).net
        return float(net[columns[1]] - net[columns[0]])

    neither, grid, uptake, both = (change(*case) for case in (
        (False, False), (True, False), (False, True), (True, True)))
    return BauChange(first, last, both, neither,
                     grid=((grid - neither) + (both - uptake)) / 2,
                     uptake=((uptake - neither) + (both - grid)) / 2)


def _credit_frame(base: Baseline, fx: Effects, credit: np.ndarray,
                  sink_credit: np.ndarray) -> pd.DataFrame:
    """Tidy rows (year, measure, sector, function, abatement) for every non-zero credit."""
    parts = [
        _tidy(base.years, credit, [*fx.ids, GREEN_POWER], base.sectors,
              [*fx.functions, FUNCTION_OF_EFFECT["supply"]]),
        _tidy(base.years, sink_credit[:, None, :], fx.ids, [SINK], ["sink"] * len(fx.ids)),
    ]
    return pd.concat(parts, ignore_index=True)[FRAME_COLUMNS]


def _tidy(years: np.ndarray, values: np.ndarray, measures: list[str], sectors: list[str],
          functions: list[str]) -> pd.DataFrame:
    """Rows of the measure x sector pairs of `values` (x years) that are ever non-zero."""
    rows, columns = np.nonzero(np.abs(values).max(axis=2, initial=0) > 1e-6)
    return pd.DataFrame({
        "year": np.tile(years, len(rows)),
        "measure": np.repeat(np.array(measures, dtype=object)[rows], len(years)),
        "sector": np.repeat(np.array(sectors, dtype=object)[columns], len(years)),
        "function": np.repeat(np.array(functions, dtype=object)[rows], len(years)),
        "abatement": values[rows, columns].ravel(),
    })


# --------------------------------------------------------------------------- contributions

def contributions(pathway: Pathway, catalog: Catalog, years: list[int],
                  by: str = "category") -> pd.DataFrame:
    """The scenario's credits against business as usual, grouped in the given years.

    `by`: measure, category (the study's 技术类别), function (efficiency, electrification,
    clean_power, structure, ccus, sink, enabling) or sector. Columns: year, group,
    abatement (tCO2e/yr), share (of that year's total credit). Shares add up to 1 and do not
    depend on the order of the measures. A year with no credit yet (the measures start
    later) is left out: it has no shares to give.

    >>> model = roadmap.site_model(site, catalog, ["town-building-solar-pv"])
    >>> pathway = model.run("roadmap", {"town-building-solar-pv": 2021})
    >>> shares = roadmap.contributions(pathway, catalog, [2050], by="function")
    >>> list(shares.columns), round(float(shares["share"].sum()), 6)
    (['year', 'group', 'abatement', 'share'], 1.0)
    """
    frame = pathway.frame[pathway.frame["year"].isin(years)].copy()

    def category(tech_id: str) -> str:
        return GREEN_POWER_CATEGORY if tech_id == GREEN_POWER else catalog.get(tech_id).category

    key = {"measure": "measure", "function": "function", "sector": "sector"}.get(by)
    frame["group"] = frame[key] if key else frame["measure"].map(category)
    table = frame.groupby(["year", "group"], sort=False)["abatement"].sum().reset_index()
    totals = table.groupby("year")["abatement"].transform("sum")
    credited = np.abs(totals) > _TINY
    table = table[credited].assign(share=table["abatement"][credited] / totals[credited])
    return table.sort_values(["year", "abatement"], ascending=[True, False],
                             kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- targets

MET_TOLERANCE = 1e-9  # a level equal to the target's, but for rounding, meets it


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

    @property
    def met(self) -> bool:
        """Met in its own year (a 2035 target first reached in 2039 is not met)."""
        return self.value <= self.required + MET_TOLERANCE

    @property
    def late_year(self) -> int | None:
        """The year the pathway first reaches a target it misses in the target's year."""
        return self.met_year if not self.met and self.met_year and \
            self.met_year > self.year else None


def check_targets(pathway: Pathway) -> list[TargetCheck]:
    """Absolute, intensity and near-zero targets against the pathway.

    >>> pathway = roadmap.site_model(site, catalog, []).run("bau", {})
    >>> [(check.kind, check.year) for check in roadmap.check_targets(pathway)]
    [('absolute', 2050), ('intensity', 2020), ('near-zero', 2050)]
    """
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
        required = (1 - site.intensity_target.reduction) * base / site.gdp
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
    met = values[values <= required + MET_TOLERANCE]
    value = float(values[year])
    gap = max(0.0, value - required)
    return TargetCheck(kind, year, required, value, int(met.index[0]) if len(met) else None,
                       gap, gap * scale, unit)


def targets_frame(checks: list[TargetCheck]) -> pd.DataFrame:
    """Columns: kind, year, required, value, met_year, gap, extra_abatement, unit."""
    return pd.DataFrame([c.__dict__ for c in checks]).astype({"met_year": "Int64"})


@dataclass(frozen=True)
class NearZeroGap:
    """What the technical potential still leaves above near zero in the target year, and
    what would close it: green power for the electricity still bought from the grid
    (`bought_mwh`; as far as the gap needs: `green_mwh`, closing `green_closes` t/yr), then
    new sink area for the rest (`sink_ha`), or measures on the largest remaining cells
    (`residual`)."""

    year: int
    required: float
    potential_net: float
    gap: float
    green_mwh: float
    green_closes: float
    bought_mwh: float
    sink_ha: float
    residual: pd.DataFrame  # sector, carrier, emissions (tCO2e/yr), largest first


def near_zero_gap(potential: Pathway) -> NearZeroGap:
    """The near-zero check of the technical-potential scenario.

    >>> pathway = roadmap.site_model(site, catalog, []).run("bau", {})
    >>> gap = roadmap.near_zero_gap(pathway)
    >>> gap.year, gap.required == 0.05 * site.total_baseline
    (2050, True)
    """
    site = potential.site
    year = site.target_year
    required = site.assumptions.near_zero_share * site.total_baseline
    net = float(potential.by_year.set_index("year").loc[year, "net"])
    gap = max(0.0, net - required)
    cells = potential.cells[potential.cells["year"] == year]
    residual = cells[cells["emissions"] > 0].sort_values("emissions", ascending=False)[
        ["sector", "carrier", "emissions"]].reset_index(drop=True)
    electricity = float(residual.loc[residual["carrier"] == "electricity", "emissions"].sum())
    grid = interpolate(site.grid_path(), [year])[0]
    green_closes = min(gap, electricity)
    uptake_per_ha = site.assumptions.sink_uptake_per_mu * 15
    per_mwh = 1 / grid if grid > 0 else 0.0
    return NearZeroGap(year, required, net, gap, green_closes * per_mwh, green_closes,
                       electricity * per_mwh, (gap - green_closes) / uptake_per_ha, residual)


def fossil_added(pathway: Pathway) -> dict[str, float]:
    """tCO2e/yr each of the scenario's measures that moves energy to a fossil fuel (natural-
    gas buses, coal-to-gas) emits from that fuel in the target year beyond business as
    usual, where it does: its credit is net of them, but they stay in a near-zero year."""
    model = pathway.model
    pairs, column = model.pairs, -1
    moved = (pathway.state.removed - model.bau_state.removed)[:, column] * pairs.ratio
    fossil = np.isin([model.base.cells[t][1] if t >= 0 else "" for t in pairs.target], FOSSIL)
    emitted = moved * model.inputs.factor[np.maximum(pairs.target, 0), column] * fossil
    added: dict[str, float] = {}
    for pair in np.flatnonzero(emitted > 0):
        tech_id = model.effects.ids[pairs.measure[pair]]
        added[tech_id] = added.get(tech_id, 0.0) + float(emitted[pair])
    return added


def standalone_runs(model: SiteModel, ids: Iterable[str]) -> dict[str, Pathway]:
    """Each measure adopted alone on top of business as usual, without green power (Kausal
    Paths' "the model with it against the model without it"): one run per measure, made
    once per model."""
    for tech_id in ids:
        if tech_id not in model.alone:
            model.alone[tech_id] = model.run("alone", {tech_id: 0}, green_power=False)
    return {tech_id: model.alone[tech_id] for tech_id in ids}


def credit_in(pathway: Pathway, year: int) -> float:
    """The scenario's whole credit against business as usual in `year`, sinks included,
    tCO2e/yr."""
    column = int(np.searchsorted(pathway.model.base.years, year))
    return float(pathway.credit[..., column].sum() +
                 (pathway.state.sinks - pathway.model.bau_state.sinks)[:, column].sum())


def removed_by_cell(model: SiteModel, state: _State) -> np.ndarray:
    """Measures x cells x years: the energy each measure removed from each cell (MWh; t on
    non-energy cells), from the model's (measure, cell) pairs."""
    pairs = model.pairs
    dense = np.zeros((len(model.effects.ids), len(model.base.cells), state.removed.shape[-1]))
    dense[pairs.measure, pairs.cell] = state.removed
    return dense
