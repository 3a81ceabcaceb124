"""Monte Carlo through the site model: the uncertain inputs drawn within their documented
ranges, many draws computed at once (the draws laid side by side on the years axis of the
same model the central pathway runs), and percentiles of emissions, of each measure's
abatement and levelised cost, of the roadmap's investment, and the probability that each
target is met.

What is drawn (each independently; `central_draw` holds every input at its central value,
and its run is the central pathway exactly):
- each grade-based technical potential (cap, supply share, sink area): x U(0.6, 1.4),
  around x1; a size the site gives itself is its decision and is not drawn;
- each measure's wide-adoption year: the central year (the end of its popularisation
  period, at least `min_ramp_years` after its start) +- half the period's length, uniform:
  as likely sooner as later. Drawing it only inside the period made every draw at least as
  fast as the central case, and put the whole band below the central pathway;
- each sector's growth rate: the profile's +- 1 point a year, uniform. Emissions
  compound it, so the band is genuinely wider above the central pathway than below;
- the grid factor's path: x a multiplier drawn in the `grid_factor` range and reached in
  the target year, rising linearly from the later of the base year and the path's latest
  measured year (its last point up to 2022, the latest published factor; else its first
  point): measured years are not drawn;
- the autonomous uptake of mature technologies, uniform in its range around its default;
- the forest uptake per 亩, uniform in its range: genuinely one-sided, as the source gives
  the typical 0.5 t (the central value) and 1.2 t for forests growing well, and nothing
  lower; the draws only add sink (median 0.85 t, 1.7x the central value);
- the share of transport energy used at each of port, cargo port and airport, and of
  building energy used by new buildings (`Assumptions.feature_shares`), split uniform around
  the share in force as multipliers of its documented range (port 0.03-0.30 around 0.10: x0.3
  to x3): the potential of a measure that acts only on the sectors of the features limiting
  it (those it requires; new buildings for a new-build design) follows the drawn share;
  drawn after the money inputs, so that every other draw keeps its bytes;
- for the costs, split uniform around the value in force (inputs/ranges.py): each energy
  carrier's price in its documented range (one quantile per carrier, all its sectors
  together), each technology family's capex in its range, each ➕ grade's t/yr per 10k
  yuan /1.58 to x1.58, and the discount rate +- 2 points. A measure's capex also follows
  its drawn potential (it is sized on its stand-alone effect), not the drawn growth.
Every range may be narrowed, widened or fixed by the profile's `uncertainty:` key.
The draws are seeded: the same seed gives the same bytes.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

from ..inputs.assumptions import (
    DEFAULT_FEATURE_SHARES,
    DEFAULT_PRICES,
    FEATURE_SECTORS,
    FEATURE_SHARE_RANGES,
    GRADES,
    GRID_MEASURED_UNTIL,
    PRICE_CARRIERS,
    PRICE_RANGES,
)
from ..inputs.catalog import popularization_year
from ..inputs.counts import check_count
from ..inputs.ranges import DRAWN, FIXED, RATE_SPREAD
from ..inputs.site import rate_in
from ..parallel import forked_helper, inherited
from .economics import (
    FUEL_SECTOR,
    GRADE,
    bought_as,
    burned_fuel,
    chain_positions,
    cost_data,
    crf,
    measure_capex,
    money_of,
    programme_bases,
    stock_scales,
)
from .pathway import (
    GREEN_POWER,
    SiteModel,
    _credits,
    _Inputs,
    _Logs,
    _model_of,
    _removed,
    _simulate,
    _State,
    adopted,
    bau_curves,
    bau_shares,
    bau_uptake,
    check_targets,
)

PERCENTILES = (10, 50, 90)
INPUTS = ("cap", "shift", "growth", "grid", "autonomous", "uptake", "feature")  # physical
MONEY = ("price", "capex", "effectiveness", "rate")  # what only the costs read
CENTRAL_QUANTILE = 0.5  # a split-uniform draw at its median is the central value
# The batch size, the fastest on Xiaolan (bench/bench_uncertainty.py): about 1,000 years x
# draws side by side (every year: 24 draws; the report years: 111)
BATCH_COLUMNS = 1000
SECOND_CORE_FROM = 15_000  # years x draws: below, forking costs more than it saves
TABLES = ("net", "bau", "credit", "cost", "investment")  # the summary's percentiles
HELPER_TABLES = ("credit",)  # those the helper computes: about half the work


@dataclass(frozen=True)
class Draws:
    """The uncertain inputs of `count` draws: multipliers of each measure's potential
    (draws x measures), the years added to each measure's wide-adoption year (draws x
    measures), each sector's growth shift (draws x sectors), the grid factor's multiplier
    reached in the target year, the autonomous uptake and the forest uptake per 亩 (draws),
    the multiplier of each measure's potential from its feature's drawn share (draws x
    measures, 1 for a measure no feature share limits); and for the costs: each energy
    carrier's quantile in its price range (draws x `PRICE_CARRIERS`, 0.5 = the price in
    force), multipliers of each technology family's capex (draws x families) and of each ➕
    grade's t/yr per 10k yuan (draws x grades), and the discount rate (draws)."""

    cap: np.ndarray
    shift: np.ndarray
    growth: np.ndarray
    grid: np.ndarray
    autonomous: np.ndarray
    uptake: np.ndarray
    feature: np.ndarray
    price: np.ndarray
    capex: np.ndarray
    effectiveness: np.ndarray
    rate: np.ndarray

    @property
    def count(self) -> int:
        return len(self.grid)

    def part(self, rows: slice) -> Draws:
        return Draws(*(getattr(self, name)[rows] for name in (*INPUTS, *MONEY)))


def draw_inputs(model: SiteModel, count: int, seed: int = 20201) -> Draws:
    """`count` seeded draws of the uncertain inputs of a site model, within the documented
    ranges or the profile's `uncertainty:` (inputs/ranges.py)."""
    rng = np.random.default_rng(seed)
    site, fx = model.site, model.effects
    central = central_draw(model)
    measures = len(fx.ids)
    sized = np.array([i in site.measures for i in fx.ids])

    def uniform(name: str, size: int | tuple[int, int]) -> np.ndarray:
        return rng.uniform(*_bounds(site, name, getattr(central, name)[0].flat[0]), size)

    cap = np.where(sized, 1.0, uniform("cap", (count, measures)))
    period = fx.end - np.array([popularization_year(model.catalog.get(i)) for i in fx.ids])
    shift = uniform("shift", (count, measures)) * period
    growth = uniform("growth", (count, len(model.base.sectors)))
    grid, autonomous, uptake = (uniform(name, count) for name in ("grid", "autonomous", "uptake"))
    # the money inputs come after the physical ones, so that these keep their bytes
    price = rng.uniform(0, 1, (count, len(PRICE_CARRIERS)))
    if site.drawn_range("energy_prices") == FIXED:
        price[:] = CENTRAL_QUANTILE
    families = cost_data().families
    capex = _split(rng.uniform(0, 1, (count, len(families))), *_family_ranges(site, families))
    effectiveness = _split(rng.uniform(0, 1, (count, len(GRADES))), *_multiplier_range(
        site, "cost_effectiveness"))
    rate = float(central.rate[0])
    rate = _split(rng.uniform(0, 1, count), *_bounds(
        site, "discount_rate", rate, (max(rate - RATE_SPREAD, rate / 2), rate + RATE_SPREAD)),
        rate)
    # last, so that the draws before keep their bytes
    shares = _split(rng.uniform(0, 1, (count, len(FEATURE_SHARE_RANGES))),
                    *_multipliers(site, "feature_shares", *_documented_feature_ranges()))
    feature = np.where(sized, 1.0, _feature_factors(model, shares))
    return Draws(cap, shift, growth, grid, autonomous, uptake, feature, price, capex,
                 effectiveness, rate)


def _documented_feature_ranges() -> tuple[list[float], list[float]]:
    """Each feature share's documented range as multipliers of its default."""
    defaults = DEFAULT_FEATURE_SHARES
    return ([low / defaults[name] for name, (low, _) in FEATURE_SHARE_RANGES.items()],
            [high / defaults[name] for name, (_, high) in FEATURE_SHARE_RANGES.items()])


def _feature_factors(model: SiteModel, multipliers: np.ndarray) -> np.ndarray:
    """Draws x measures: each measure's potential under the drawn feature shares (draws x
    `FEATURE_SHARE_RANGES`, multipliers of the shares in force) over its central one. A
    measure acting only on cells of the sectors its limiting features are shares of
    (transport for a port, buildings for new buildings) reaches the smallest of their
    shares (`Assumptions.feature_share`); any other measure, 1 (a cell outside those
    sectors is acted on whole, and a measure's one share is its largest)."""
    fx, base, in_force = model.effects, model.base, model.site.assumptions.feature_shares
    names = list(FEATURE_SHARE_RANGES)
    drawn = np.minimum(multipliers * [in_force[name] for name in names], 1.0)
    factors = np.ones((len(multipliers), len(fx.ids)))
    for row, tech_id in enumerate(fx.ids):
        limiting = [names.index(f) for f in model.catalog.get(tech_id).limiting_features
                    if f in names]
        sectors = {s for i in limiting for s in FEATURE_SECTORS[names[i]]}
        outside = np.array([sector not in sectors for sector, _ in base.cells])
        acted = fx.share[row] > 0
        central = min((in_force[names[i]] for i in limiting), default=0.0)
        if central > 0 and acted.any() and not (acted & outside).any():
            factors[:, row] = drawn[:, limiting].min(axis=1) / central
    return factors


def _bounds(site, name: str, central: float, default: tuple[float, float] | None = None,
            ) -> tuple[float, float]:
    """The (low, high) an input is drawn in: the profile's, its central value twice when
    the profile fixes it, or its documented range (`default`, else `DRAWN`'s)."""
    given = site.drawn_range(name)
    if given == FIXED:
        return central, central
    return given or default or DRAWN[name][0]


def _multiplier_range(site, name: str) -> tuple[float, float]:
    return _bounds(site, name, 1.0)


def _family_ranges(site, families) -> tuple[np.ndarray, np.ndarray]:
    """Each family's capex range as multipliers (the profile's one range for all, if any)."""
    return _multipliers(site, "capex", [f.low / f.capex for f in families],
                        [f.high / f.capex for f in families])


def _multipliers(site, name: str, lows, highs) -> tuple[np.ndarray, np.ndarray]:
    """Each item's documented range of input `name` as multipliers (`lows`, `highs`), or
    the profile's one range for all of them."""
    if site.drawn_range(name) is not None:
        low, high = _multiplier_range(site, name)
        return np.full(len(lows), low), np.full(len(lows), high)
    return np.array(lows), np.array(highs)


def _split(quantile: np.ndarray, low, high, central=1.0) -> np.ndarray:
    """Split uniform (inputs/ranges.py): quantiles below 0.5 spread uniformly from `low` to
    `central`, those above from `central` to `high`; the median is `central` exactly."""
    twice = 2 * quantile
    return np.where(quantile < CENTRAL_QUANTILE, low + (central - low) * twice,
                    central + (high - central) * (twice - 1))


def central_draw(model: SiteModel) -> Draws:
    """One draw with every input at its central value: its run is the central pathway."""
    measures, assumptions = len(model.effects.ids), model.site.assumptions
    return Draws(cap=np.ones((1, measures)), shift=np.zeros((1, measures)),
                 growth=np.zeros((1, len(model.base.sectors))), grid=np.ones(1),
                 autonomous=np.array([assumptions.autonomous_uptake]),
                 uptake=np.array([assumptions.sink_uptake_per_mu]),
                 feature=np.ones((1, measures)),
                 price=np.full((1, len(PRICE_CARRIERS)), CENTRAL_QUANTILE),
                 capex=np.ones((1, len(cost_data().families))),
                 effectiveness=np.ones((1, len(GRADES))),
                 rate=np.array([money_of(model.site).rate]))


def _inputs(model: SiteModel, draws: Draws, columns: np.ndarray,
            paths: _Paths | None = None) -> _Inputs:
    """The model's arrays for the draws in the years `columns`, the draws side by side on
    the years axis (year-major: position year x draws + draw, so that a year's draws are
    side by side); `paths`: the model's `_paths`, if already known."""
    base, fx, site = model.base, model.effects, model.site
    count, span = draws.count, len(columns)
    ramp, rates = paths or _paths(model)
    grid = base.grid[columns, None] * (1 + (draws.grid - 1) * ramp[columns, None])
    growth = np.ones((len(rates.T) + 1, len(base.sectors), count))  # years x sectors x draws
    np.add(1 + rates.T[..., None], draws.growth.T, out=growth[1:])  # as in `growth_path`
    np.multiply.accumulate(growth, axis=0, out=growth)  # year after year, every draw at once
    growth = growth[columns].transpose(1, 0, 2)
    energy = base.energy[:, :1, None] * growth[base.sector_index]
    factor = np.broadcast_to(base.factor[:, columns, None], energy.shape).copy()
    factor[model.electric] = grid
    reach = fx.reach
    share = np.minimum(reach[:, None] * (draws.cap * draws.feature).T,
                       np.maximum(reach, 0.99)[:, None])
    uptake = draws.uptake / site.assumptions.sink_uptake_per_mu
    generation = fx.generation[:, columns, None] * draws.cap.T[:, None]
    removal = fx.removal[:, None] * draws.cap.T * uptake
    return _Inputs(*(values.reshape(len(values), -1) for values in (energy, factor)),
                   grid.ravel(), np.tile(share, span),
                   generation.reshape(len(generation), -1), np.tile(removal, span))


class _Paths(NamedTuple):
    """What the drawn grid and growth paths start from: the grid multiplier's ramp (the
    share of the drawn change reached each year) and each sector's growth rates (sectors x
    years but the last)."""

    ramp: np.ndarray
    rates: np.ndarray


def _paths(model: SiteModel) -> _Paths:
    site, years = model.site, model.base.years
    path = site.grid_path()  # drawn after its latest measured point, else its first
    first = max(years[0], max((y for y in path if y <= GRID_MEASURED_UNTIL),
                              default=min(path)))
    ramp = np.clip((years - first) / max(years[-1] - first, 1), 0.0, 1.0)
    return _Paths(ramp, np.array([[rate_in(sector_rates, year) for year in years[:-1]]
                                  for sector_rates in map(site.growth_of, model.base.sectors)]))


def _flat(values: np.ndarray) -> np.ndarray:
    """Draws x rows x years as rows x (years x draws), year-major, in C order (numpy adds
    the rows of a C-ordered array one after the other, as the single run does; a sum
    along contiguous memory is pairwise: other bytes)."""
    return np.ascontiguousarray(values.transpose(1, 2, 0).reshape(values.shape[1], -1))


def draw_model(model: SiteModel, draws: Draws, index: int) -> SiteModel:
    """The site model of one draw, every year: its public `run` is the single-run pathway
    under that draw's inputs (the benchmark's loop, and a check of the batched draws)."""
    one = draws.part(slice(index, index + 1))
    inputs = _inputs(model, one, np.arange(len(model.base.years)))
    return model.varied(inputs, one.shift[0], float(one.autonomous[0]))


@dataclass(frozen=True)
class Uncertainty:
    """Percentiles over the draws.

    `by_year`: year, bau_p10, bau_p50, bau_p90, net_p10, net_p50, net_p90 (tCO2e/yr), in
    the years of `report_columns`; `band`: year, net_p10, net_p50, net_p90 in every year
    computed (the chart's band). `measures`: measure, abatement_p10, abatement_p50,
    abatement_p90 (t/yr in the target year, credits against business as usual). `costs`:
    each roadmap measure's levelised cost in the target year, measure,
    cost_yuan_per_t_p10/p50/p90 (docs/economics.md; NaN where a draw abates nothing).
    `investment`: the roadmap's capital in place in the target year,
    investment_10k_yuan_p10/p50/p90 (one row). `targets`: kind, year, required, probability
    (share of draws meeting it). `net`: draws x the years computed (every year by default).

    >>> model = roadmap.site_model(site, catalog, ["town-building-solar-pv"])
    >>> band = roadmap.monte_carlo(model, {"town-building-solar-pv": 2021}, draws=50, seed=1)
    >>> bool((band.by_year["net_p10"] <= band.by_year["net_p90"]).all())
    True
    """

    draws: int
    seed: int
    by_year: pd.DataFrame
    measures: pd.DataFrame
    targets: pd.DataFrame
    net: np.ndarray
    band: pd.DataFrame
    costs: pd.DataFrame
    investment: pd.DataFrame


class DrawRun(NamedTuple):
    """`run_draws`' result: net and business-as-usual emissions (draws x years), each
    measure's credit in the last year (draws x (measures + green power)), and what its
    cost reads in that year: adoption beyond business as usual (draws x measures), energy
    removed beyond business as usual (draws x pairs, MWh), the electricity demand of each
    electric cell (draws x cells) and the local generation beyond business as usual
    (draws x measures, MWh)."""

    net: np.ndarray
    bau: np.ndarray
    credit: np.ndarray
    added: np.ndarray
    removed: np.ndarray
    power: np.ndarray
    generated: np.ndarray


def monte_carlo(model: SiteModel, starts: Mapping[str, int], draws: int = 1000,
                seed: int = 20201, chunk: int | None = None,
                capex: pd.DataFrame | None = None,
                every_year: bool = True) -> Uncertainty:
    """The roadmap scenario (`starts` adopted, the profile's green power) under `draws`
    seeded draws of the uncertain inputs, computed `chunk` draws at a time (default: about
    `BATCH_COLUMNS` years x draws), every year (the chart's band) or only in the
    `report_columns` years (about 3x less work); the costs from `capex` (`measure_capex` of
    the roadmap's measures, computed if None).

    >>> model = roadmap.site_model(site, catalog, ["town-building-solar-pv"])
    >>> band = roadmap.monte_carlo(model, {"town-building-solar-pv": 2021}, draws=50, seed=1)
    >>> list(band.by_year.columns[-3:]), band.draws, list(band.costs["measure"])
    (['net_p10', 'net_p50', 'net_p90'], 50, ['town-building-solar-pv'])
    """
    check_count("monte_carlo", "draws", draws, 1)
    sample = draw_inputs(model, draws, seed)
    columns = np.arange(len(model.base.years)) if every_year else report_columns(model)
    ids = [i for i in starts if i in model.catalog]
    capex = measure_capex(model, ids) if capex is None else capex.set_index("id").loc[
        ids].reset_index()
    # measures converting one stock share it (the central roadmap's shares, every draw)
    capex = capex.assign(capex=capex["capex"] * stock_scales(model.run("roadmap", starts),
                                                             ids)[:, -1])
    job = _job(model, starts, sample, columns, capex)
    with _drawn(job, chunk) as submit:
        helper = submit(_tables_inherited, HELPER_TABLES)  # half the summary on the helper
        tables = _tables(job, [name for name in TABLES if name not in HELPER_TABLES])
        tables |= helper.result()
    return _summary(model, draws, seed, columns, job.out, capex["id"].tolist(), tables)


class _Job(NamedTuple):
    """What the draws are computed from and into (a forked helper inherits it): the plan,
    the adopted `starts`, the drawn inputs and their results `out`; for `monte_carlo`, the
    costs too: of the `capex` rows (the roadmap's measures) on the site `model`, into `cost`
    and `capital` (draws x those rows). The results are in memory the helper shares."""

    plan: _Plan
    starts: Mapping[str, int]
    sample: Draws
    out: DrawRun
    model: SiteModel
    capex: pd.DataFrame | None
    cost: np.ndarray
    capital: np.ndarray


def _job(model: SiteModel, starts: Mapping[str, int], sample: Draws, columns: np.ndarray,
         capex: pd.DataFrame | None = None) -> _Job:
    plan = _plan(model, columns)
    costed = 0 if capex is None else len(capex)
    return _Job(plan, starts, sample, _shared_run(plan, sample.count), model, capex,
                _shared(sample.count, costed), _shared(sample.count, costed))


def _run_chunked(model: SiteModel, starts: Mapping[str, int], sample: Draws,
                 columns: np.ndarray, chunk: int | None) -> DrawRun:
    """`run_draws` over `sample` as `monte_carlo` computes it (`_drawn`)."""
    job = _job(model, starts, sample, columns)
    with _drawn(job, chunk):
        return job.out


@contextmanager
def _drawn(job: _Job, chunk: int | None) -> Iterator[Callable[..., Future]]:
    """Fills `job`'s results, `chunk` draws at a time (bounded memory; default about
    `BATCH_COLUMNS` years x draws), then each process the costs of its draws. From
    `SECOND_CORE_FROM` years x draws, the later half runs on a second core: both processes
    write their batches into the same shared arrays, batch by batch as one process would
    (the same bytes). Yields, the draws done, a `submit` of more work to the helper (this
    process when there is none)."""
    count, years = job.sample.count, len(job.plan.columns)
    chunk = chunk or max(1, BATCH_COLUMNS // years)
    split = count if count * years < SECOND_CORE_FROM else \
        max(chunk, round(count / 2 / chunk) * chunk)
    earlier, later = ([rows for rows in _batches(count, chunk) if (rows.start < split) == first]
                      for first in (True, False))
    # where the batches split, each process costs its own draws (a last single draw joined
    # to the batch before it may carry the earlier batches past `split`)
    split = later[0].start if later else count
    with forked_helper(job, fork=bool(later)) as submit:
        helper = submit(_fill_inherited, later, slice(split, count))
        _fill(job, earlier, slice(0, split))
        helper.result()
        yield submit


def _shared(count: int, width: int) -> np.ndarray:
    """A `count` x `width` array in memory a forked helper shares."""
    return np.frombuffer(mmap.mmap(-1, max(8 * count * width, 1)),  # 0 bytes: refused
                         count=count * width).reshape(count, width)


def _shared_run(plan: _Plan, count: int) -> DrawRun:
    """A `DrawRun` of `count` draws to be filled, in memory a forked helper shares."""
    model = plan.model
    measures = len(model.effects.ids)
    widths = (len(plan.columns), len(plan.columns), measures + 1, measures, len(model.pairs.cell),
              len(model.electric), measures)
    return DrawRun(*(_shared(count, width) for width in widths))


def _fill(job: _Job, batches: list[slice], mine: slice) -> None:
    """`job`'s results in the rows of `batches`, then the costs of the draws `mine` (those
    batches' rows)."""
    plan, starts, sample, out = job.plan, job.starts, job.sample, job.out
    for rows in batches:
        for target, values in zip(out, _run(plan, starts, sample.part(rows)), strict=True):
            target[rows] = values
    if job.capex is not None and mine.stop > mine.start:  # a draw's costs are its row's own
        job.cost[mine], job.capital[mine] = draw_costs(
            job.model, job.capex, sample.part(mine), DrawRun(*(part[mine] for part in out)))


def _fill_inherited(batches: list[slice], mine: slice) -> None:
    _fill(inherited(), batches, mine)


def _batches(count: int, size: int) -> list[slice]:
    """`count` draws in slices of `size`, a last single draw joined to the slice before it:
    a year computed alone is one column, whose sums numpy takes pairwise (other bytes)."""
    starts = list(range(0, count, size))
    if len(starts) > 1 and count - starts[-1] == 1:
        starts.pop()
    return [slice(first, end) for first, end in zip(starts, [*starts[1:], count], strict=True)]


def band_drivers(model: SiteModel, starts: Mapping[str, int], draws: int = 1000,
                 seed: int = 20201, chunk: int | None = None) -> pd.DataFrame:
    """What makes the band: the percentiles of net emissions with one input drawn at a time
    (the others at their central values; `all`: every input drawn), in the report years.
    Columns: input (all, cap, shift, growth, grid, autonomous, uptake, feature), year, net_p10,
    net_p50, net_p90, width (P90 - P10), tCO2e/yr.

    >>> model = roadmap.site_model(site, catalog, ["town-building-solar-pv"])
    >>> drivers = roadmap.band_drivers(model, {"town-building-solar-pv": 2021}, draws=50)
    >>> sorted(set(drivers["input"]))
    ['all', 'autonomous', 'cap', 'feature', 'grid', 'growth', 'shift', 'uptake']
    """
    sample, columns = draw_inputs(model, draws, seed), report_columns(model)
    central = Draws(*(np.repeat(getattr(central_draw(model), name), draws, axis=0)
                      for name in (*INPUTS, *MONEY)))
    frames = []
    for name in ("all", *INPUTS):
        varied = sample if name == "all" else replace(central, **{name: getattr(sample, name)})
        net = _run_chunked(model, starts, varied, columns, chunk).net
        low, middle, high = np.percentile(net, PERCENTILES, axis=0)
        frames.append(pd.DataFrame({"input": name, "year": model.base.years[columns],
                                    "net_p10": low, "net_p50": middle, "net_p90": high,
                                    "width": high - low}))
    return pd.concat(frames, ignore_index=True)


def report_columns(model: SiteModel) -> np.ndarray:
    """The years of the report's tables: every fifth year, the base and target years and
    the years of the site's targets."""
    site, years = model.site, model.base.years
    wanted = {y for y in years if y % 5 == 0} | {site.base_year, site.target_year}
    wanted |= {t.year for t in (site.target, site.intensity_target) if t}
    return np.array([i for i, y in enumerate(years) if y in wanted])


def run_draws(model: SiteModel, starts: Mapping[str, int], draws: Draws,
              columns: np.ndarray | None = None) -> DrawRun:
    """Net and business-as-usual emissions (draws x years, the `columns` of the model's
    years, default all), each measure's credit and what its cost reads in the last of them
    (`DrawRun`) for the given draws: the central model's own functions, run once with
    the draws side by side on the years axis."""
    columns = np.arange(len(model.base.years)) if columns is None else columns
    return _run(_plan(model, columns), starts, draws)


class _Plan(NamedTuple):
    """What `run_draws` prepares once for many draws: the model on the cells that can hold
    energy (`_compact`), the years `columns` and their `_paths`, and the green-power path."""

    model: SiteModel
    columns: np.ndarray
    paths: _Paths
    green: np.ndarray


def _plan(model: SiteModel, columns: np.ndarray) -> _Plan:
    model = _compact(model)
    return _Plan(model, columns, _paths(model), model.green(True))


def _compact(model: SiteModel) -> SiteModel:
    """The same model on the cells that can hold energy: those with energy in the
    baseline, those receiving it from a measure, and electricity (the others stay empty
    and emit nothing: leaving them out changes no sum)."""
    base, fx = model.base, model.effects
    keep = base.energy.any(axis=1) | (base.carrier_of == "electricity")
    keep[fx.target[fx.target >= 0]] = True
    index = np.cumsum(keep) - 1
    cells = np.flatnonzero(keep)
    base = replace(base, cells=[base.cells[i] for i in cells], energy=base.energy[cells],
                   factor=base.factor[cells])
    fx = replace(fx, share=fx.share[:, cells],
                 target=np.where(fx.target >= 0, index[fx.target], -1)[:, cells])
    return _model_of(model.site, model.catalog, base, fx, model.bau_ids)


def _run(plan: _Plan, starts: Mapping[str, int], draws: Draws) -> DrawRun:
    """`run_draws` as planned: net and business-as-usual emissions (draws x the plan's
    years), then the credits and what the costs read in the last of them, from the same
    states."""
    inputs, bau, state = _states(plan, starts, draws)
    net, bau_net = _net(state), _net(bau)
    shape, last = (len(plan.columns), draws.count), slice(-draws.count, None)  # year-major
    inputs, bau, state = (_in_columns(values, last) for values in (inputs, bau, state))
    return DrawRun(net.reshape(shape).T, bau_net.reshape(shape).T,
                   *_last_year(plan, inputs, *_every_pair(plan, inputs, bau, state)))


def _net(state: _State) -> np.ndarray:
    return state.emissions.sum(axis=0) - state.sinks.sum(axis=0)


def _in_columns(values: _Inputs | _State, columns: slice) -> _Inputs | _State:
    """The same inputs or state in the years x draws `columns` only."""
    return replace(values, **{field.name: _columns_of(getattr(values, field.name), columns)
                              for field in fields(values)})


def _columns_of(values: np.ndarray | _Logs | None, columns: slice,
                ) -> np.ndarray | _Logs | None:
    if isinstance(values, _Logs):
        return _Logs(*(_columns_of(part, columns) for part in values))
    return None if values is None else values[..., columns]


def _last_year(plan: _Plan, inputs: _Inputs, bau: _State, state: _State,
               ) -> tuple[np.ndarray, ...]:
    """`DrawRun`'s credits and what the costs read, from the inputs and states of the
    draws in the last of the plan's years."""
    model = plan.model
    credit = _credits(inputs, model.pairs, model.electric, len(model.base.sectors), bau,
                      state).sum(axis=-2).T
    credit[:, :-1] += (state.sinks - bau.sinks).T
    added = state.adoption - bau.adoption
    return (credit, added.T, (state.removed - bau.removed).T,
            state.energy[model.electric].T, (inputs.generation * added).T)


def _states(plan: _Plan, starts: Mapping[str, int], draws: Draws,
            ) -> tuple[_Inputs, _State, _State]:
    """The inputs, business as usual and the scenario of the draws in the plan's years,
    with the removed energy of the pairs moving energy only (`_every_pair` gives the
    others')."""
    model, count, columns = plan.model, draws.count, plan.columns
    years, assumptions, electric = model.base.years[columns], model.site.assumptions, \
        model.electric
    fx = replace(model.effects, shift=draws.shift)
    curves = fx.curves(years, assumptions.adoption_at_end, assumptions.min_ramp_years)
    shares = bau_shares(fx, model.bau_ids, draws.autonomous)
    bau_adoption = bau_uptake(bau_curves(fx, curves, years, model.site), shares)
    adoption = _flat(adopted(fx, curves, bau_adoption, shares, starts, years, assumptions,
                             model.twins))
    inputs = _inputs(model, draws, columns, plan.paths)
    bau = _simulate(inputs, model.pairs, electric, _flat(bau_adoption),
                    np.zeros(len(columns) * count), moving_only=True)
    state = _simulate(inputs, model.pairs, electric, adoption,
                      np.repeat(plan.green[columns], count), bau, moving_only=True)
    return inputs, bau, state


def _every_pair(plan: _Plan, inputs: _Inputs, bau: _State, state: _State,
                ) -> tuple[_State, _State]:
    """Business as usual and the scenario (`_states`', in the same columns) with the
    removed energy of every pair, split as `_simulate` splits it when asked for every pair
    (the same bytes: each column's numbers are its own)."""
    pairs = plan.model.pairs
    bau = replace(bau, removed=_removed(inputs.energy, pairs, bau.logs,
                                        np.exp(bau.logs.cell), None, None))
    return bau, replace(state, removed=_removed(inputs.energy, pairs, state.logs,
                                                np.exp(state.logs.cell), bau, None))


# --------------------------------------------------------------------------- costs

def draw_costs(model: SiteModel, capex: pd.DataFrame, draws: Draws, run: DrawRun,
               ) -> tuple[np.ndarray, np.ndarray]:
    """Each measure's levelised cost (yuan/t, draws x `capex` rows; NaN without abatement)
    and its capital in place (yuan) in the last year, `yearly_flows`' arithmetic on the
    drawn prices, capex, grade costs and discount rate. A measure's capex follows its
    drawn potential (its size is its stand-alone effect at full adoption), except a
    programme's (one per site, whatever it achieves)."""
    fx, pairs = model.effects, model.pairs
    rows = np.array([fx.ids.index(i) for i in capex["id"]], dtype=int)
    per_site = capex["cost_basis"].isin(programme_bases()).to_numpy()
    size = np.where(per_site, 1.0, draws.cap[:, rows] * draws.feature[:, rows])
    capital = (capex["capex"].to_numpy() * size * _unit_cost(model, capex, draws)
               * run.added[:, rows])
    prices = _cell_prices(model, draws)  # cells x draws
    saved = run.removed.T * prices[pairs.cell]  # yuan a year, pairs x draws (moving: net below)
    for pair in np.flatnonzero(pairs.target >= 0):
        sector, carrier = model.base.cells[pairs.target[pair]]
        tech = model.catalog.get(fx.ids[pairs.measure[pair]])
        bought = pairs.ratio[pair] * _drawn_price(model, draws, bought_as(tech, carrier), sector)
        saved[pair] = run.removed[:, pair] * (prices[pairs.cell[pair]] - bought)
    to_measure = sparse.csr_array((np.ones(len(pairs.cell)), (pairs.measure,
                                   np.arange(len(pairs.cell)))), shape=(len(fx.ids),
                                                                       len(pairs.cell)))
    electric = prices[model.electric].T
    demand = run.power.sum(axis=1)
    power_price = np.where(demand > 0, (electric * run.power).sum(axis=1) / np.where(
        demand > 0, demand, 1.0), _drawn_price(model, draws, "electricity", "all"))
    saving = (to_measure @ saved).T + run.generated * power_price[:, None]
    for row in rows:
        fuel = burned_fuel(model.catalog.get(fx.ids[row]))
        if fuel is not None:
            saving[:, row] -= run.generated[:, row] * fuel[1] * _drawn_price(
                model, draws, fuel[0], FUEL_SECTOR)
    saving = saving[:, rows]
    saving[:, per_site] = 0.0  # a programme saves no energy of its own (`programme_bases`)
    abated = run.credit[:, rows]
    lifetimes, of_row = np.unique(capex["lifetime"].to_numpy(), return_inverse=True)
    recovery = crf(draws.rate[:, None], lifetimes)[:, of_row]  # a power per lifetime, not row
    annual = recovery * capital + capital * capex["om"].to_numpy() - saving
    for measure, parts in chain_positions(model.catalog, capex["id"].tolist()).items():
        annual[:, measure] += annual[:, parts].sum(axis=1)  # capture pays for its store
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = np.where(abated > 0, annual / abated, np.nan)
    return cost, capital


def _unit_cost(model: SiteModel, capex: pd.DataFrame, draws: Draws) -> np.ndarray:
    """Draws x measures: the drawn capex multiplier of each measure's family, or for a
    measure costed from its ➕ grade, 1 / the drawn multiplier of that grade's t/yr per
    10k yuan."""
    families = [f.name for f in cost_data().families]
    columns = []
    for item in capex.itertuples():
        if item.cost_basis == GRADE:
            grade = model.catalog.get(item.id).economics
            columns.append(1 / draws.effectiveness[:, GRADES.index(grade)])
        else:
            columns.append(draws.capex[:, families.index(item.cost_basis)])
    return np.stack(columns, axis=1) if columns else np.zeros((draws.count, 0))


def _cell_prices(model: SiteModel, draws: Draws) -> np.ndarray:
    """Cells x draws: each cell's `_drawn_price`."""
    return np.stack([_drawn_price(model, draws, carrier, sector)
                     for sector, carrier in model.base.cells])


def _drawn_price(model: SiteModel, draws: Draws, carrier: str, sector: str) -> np.ndarray:
    """Draws: yuan/MWh of `carrier` in `sector` in the last year, the price in force times
    the drawn multiplier of its carrier (split uniform in the carrier's range for that
    sector, or the profile's one range); a carrier without a price range is not drawn."""
    central = money_of(model.site).price(carrier, sector, int(model.base.years[-1]))
    if carrier not in PRICE_CARRIERS:
        return np.full(draws.count, central)
    given = model.site.drawn_range("energy_prices")
    low, high = given if isinstance(given, tuple) else _price_range(carrier, sector)
    return central * _split(draws.price[:, PRICE_CARRIERS.index(carrier)], low, high)


def _price_range(carrier: str, sector: str) -> tuple[float, float]:
    """The documented range of a carrier's price in a sector, as multipliers of its default."""
    key = sector if sector in PRICE_RANGES[carrier] else "all"
    low, high = PRICE_RANGES[carrier][key]
    default = DEFAULT_PRICES[carrier][key]
    return low / default, high / default


# --------------------------------------------------------------------------- summary

def _summarised(job: _Job) -> dict[str, np.ndarray]:
    """What the summary gives the percentiles of, by name (draws x columns each)."""
    run, shown = job.out, np.isin(job.plan.columns, report_columns(job.model))
    return {"net": run.net, "bau": run.bau[:, shown], "credit": run.credit, "cost": job.cost,
            "investment": _by_draw(job.capital) / 1e4}


def _by_draw(values: np.ndarray) -> np.ndarray:
    """Draws x 1: each draw's row summed column after column, whatever the array's memory
    layout (numpy sums along contiguous memory pairwise: the bytes would follow the layout,
    which is numpy's choice and differs between a large run, its halves and a small one)."""
    return np.asfortranarray(values).sum(axis=1, keepdims=True)


def _tables(job: _Job, names: list[str]) -> dict[str, np.ndarray]:
    """The percentiles (`PERCENTILES` x columns) over the draws of the results `names`
    (`_summarised`), NaN draws left out (NaN where every draw is)."""
    values = _summarised(job)
    return {name: _percentile_table(values[name]) for name in names}


def _tables_inherited(names: list[str]) -> dict[str, np.ndarray]:
    return _tables(inherited(), names)


def _percentile_table(values: np.ndarray) -> np.ndarray:
    # sorted first (NaN last): the same percentiles, and faster, numpy's vectorised sort
    # leaving its partition column by column little to do
    values = np.sort(values, axis=0)
    finite = ~np.isnan(values).all(axis=0)
    table = np.full((len(PERCENTILES), values.shape[1]), np.nan)
    if finite.any():
        table[:, finite] = np.nanpercentile(values[:, finite], PERCENTILES, axis=0)
    return table


def _percentiles(frame: pd.DataFrame, name: str, table: np.ndarray) -> pd.DataFrame:
    """`frame` with `name`_p10/_p50/_p90 columns from a `_percentile_table`."""
    for p, row in zip(PERCENTILES, table, strict=True):
        frame[f"{name}_p{p}"] = row
    return frame


def _summary(model: SiteModel, draws: int, seed: int, columns: np.ndarray, run: DrawRun,
             ids: list[str], tables: dict[str, np.ndarray]) -> Uncertainty:
    years = model.base.years[columns]
    shown = np.isin(columns, report_columns(model))
    band = _percentiles(pd.DataFrame({"year": years}), "net", tables["net"])
    by_year = _percentiles(pd.DataFrame({"year": years[shown]}), "bau", tables["bau"])
    for p in PERCENTILES:  # the band's in the report years (a column's percentiles are its own)
        by_year[f"net_p{p}"] = band[f"net_p{p}"].to_numpy()[shown]
    measures = _percentiles(pd.DataFrame({"measure": [*model.effects.ids, GREEN_POWER]}),
                            "abatement", tables["credit"])
    measures = measures[measures.filter(like="abatement").abs().max(axis=1) > 1e-6]
    costs = _percentiles(pd.DataFrame({"measure": ids}), "cost_yuan_per_t", tables["cost"])
    investment = _percentiles(pd.DataFrame(index=[0]), "investment_10k_yuan",
                              tables["investment"])
    return Uncertainty(draws, seed, by_year, measures.reset_index(drop=True),
                       _probabilities(model, years, run.net), run.net, band, costs,
                       investment)


def _probabilities(model: SiteModel, years: np.ndarray, net: np.ndarray) -> pd.DataFrame:
    """Share of draws meeting each target in its year (intensity: on the profile's GDP)."""
    site, years = model.site, list(years)
    gdp = (site.gdp * np.array(site.growth_path(site.gdp_growth, range(site.base_year,
                                                                         years[-1] + 1)))
           [np.array(years) - site.base_year] if site.gdp else None)
    rows = []
    for check in check_targets(model.run("bau", {}, green_power=False)):
        column = years.index(check.year)
        values = net[:, column] / gdp[column] if check.kind == "intensity" else net[:, column]
        rows.append({"kind": check.kind, "year": check.year, "required": check.required,
                     "probability": float(np.mean(values <= check.required + 1e-9))})
    return pd.DataFrame(rows, columns=["kind", "year", "required", "probability"])
