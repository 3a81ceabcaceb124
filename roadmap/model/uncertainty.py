"""Monte Carlo through the site model: the uncertain inputs drawn within their documented
ranges, many draws computed at once (the draws laid side by side on the years axis of the
same model the central pathway runs), and percentiles of emissions, of each measure's
abatement, and the probability that each target is met.

What is drawn (each independently; `central_draw` holds every input at its central value,
and its run is the central pathway exactly):
- each grade-based technical potential (cap, supply share, sink area): x U(`CAP_SPREAD`),
  around x1; a size the site gives itself is its decision and is not drawn;
- each measure's wide-adoption year: the central year (the end of its popularisation
  period, at least `min_ramp_years` after its start) +- half the period's length, uniform:
  as likely sooner as later. Drawing it only inside the period made every draw at least as
  fast as the central case, and put the whole band below the central pathway;
- each sector's growth rate: the profile's +- `GROWTH_SPREAD` a year, uniform. Emissions
  compound it, so the band is genuinely wider above the central pathway than below;
- the grid factor's path: x a multiplier drawn in the `grid_factor` range and reached in
  the target year, rising linearly from the later of the base year and the path's first
  year (the default path starts with a measured factor, 2022; years before it are not
  drawn);
- the autonomous uptake of mature technologies, uniform in its range around its default;
- the forest uptake per 亩, uniform in its range: genuinely one-sided, as the source gives
  the typical 0.5 t (the central value) and 1.2 t for forests growing well, and nothing
  lower; the draws only add sink (median 0.85 t, 1.7x the central value).
The draws are seeded: the same seed gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..inputs.assumptions import CAP_SPREAD, range_of
from ..inputs.catalog import popularization_year
from ..inputs.site import rate_in
from .pathway import (
    GREEN_POWER,
    SiteModel,
    _credits,
    _Inputs,
    _simulate,
    adopted,
    bau_uptake,
    check_targets,
)

PERCENTILES = (10, 50, 90)
GROWTH_SPREAD = 0.01  # +- 1 point a year on each sector's growth: project assumption
INPUTS = ("cap", "shift", "growth", "grid", "autonomous", "uptake")


@dataclass(frozen=True)
class Draws:
    """The uncertain inputs of `count` draws: multipliers of each measure's potential
    (draws x measures), the years added to each measure's wide-adoption year (draws x
    measures), each sector's growth shift (draws x sectors), the grid factor's multiplier
    reached in the target year, the autonomous uptake and the forest uptake per 亩 (draws)."""

    cap: np.ndarray
    shift: np.ndarray
    growth: np.ndarray
    grid: np.ndarray
    autonomous: np.ndarray
    uptake: np.ndarray

    @property
    def count(self) -> int:
        return len(self.grid)

    def part(self, rows: slice) -> Draws:
        return Draws(*(getattr(self, name)[rows] for name in INPUTS))


def draw_inputs(model: SiteModel, count: int, seed: int = 20201) -> Draws:
    """`count` seeded draws of the uncertain inputs of a site model."""
    rng = np.random.default_rng(seed)
    site, fx = model.site, model.effects
    measures = len(fx.ids)
    sized = np.array([i in site.measures for i in fx.ids])
    cap = np.where(sized, 1.0, rng.uniform(*CAP_SPREAD, (count, measures)))
    period = fx.end - np.array([popularization_year(model.catalog.get(i)) for i in fx.ids])
    shift = (rng.uniform(0, 1, (count, measures)) - 0.5) * period
    low, high = range_of("grid_factor")
    return Draws(cap=cap, shift=shift,
                 growth=rng.uniform(-GROWTH_SPREAD, GROWTH_SPREAD,
                                    (count, len(model.base.sectors))),
                 grid=rng.uniform(low, high, count),
                 autonomous=rng.uniform(*range_of("autonomous_uptake"), count),
                 uptake=rng.uniform(*range_of("sink_uptake_per_mu"), count))


def central_draw(model: SiteModel) -> Draws:
    """One draw with every input at its central value: its run is the central pathway."""
    measures, assumptions = len(model.effects.ids), model.site.assumptions
    return Draws(cap=np.ones((1, measures)), shift=np.zeros((1, measures)),
                 growth=np.zeros((1, len(model.base.sectors))), grid=np.ones(1),
                 autonomous=np.array([assumptions.autonomous_uptake]),
                 uptake=np.array([assumptions.sink_uptake_per_mu]))


def _inputs(model: SiteModel, draws: Draws, columns: np.ndarray) -> _Inputs:
    """The model's arrays for the draws in the years `columns`, the draws side by side on
    the years axis (draw-major: position draw x len(columns) + year)."""
    base, pairs, fx, site = model.base, model.pairs, model.effects, model.site
    years, count, span = base.years, draws.count, len(columns)
    first = max(years[0], min(site.grid_path()))
    ramp = np.clip((years - first) / max(years[-1] - first, 1), 0.0, 1.0)[columns]
    grid = base.grid[columns] * (1 + (draws.grid[:, None] - 1) * ramp)
    rates = np.array([[rate_in(sector_rates, year) for year in years[:-1]]
                      for sector_rates in map(site.growth_of, base.sectors)])
    steps = 1 + rates[:, None] + draws.growth.T[..., None]  # the same product as `growth_path`
    growth = np.cumprod(np.concatenate([np.ones((len(base.sectors), count, 1)), steps],
                                       axis=-1), axis=-1)[..., columns]
    energy = base.energy[:, :1, None] * growth[base.sector_index]
    factor = np.broadcast_to(base.factor[:, None, columns], energy.shape).copy()
    factor[model.electric] = grid
    share = np.minimum(pairs.share[:, None] * draws.cap.T[pairs.measure],
                       np.maximum(pairs.share, 0.99)[:, None])
    uptake = draws.uptake / site.assumptions.sink_uptake_per_mu
    generation = fx.generation[:, None, columns] * draws.cap.T[..., None]
    removal = fx.removal[:, None] * draws.cap.T * uptake
    return _Inputs(*(values.reshape(len(values), -1) for values in (energy, factor)),
                   grid.ravel(), np.repeat(share, span, axis=1),
                   generation.reshape(len(generation), -1), np.repeat(removal, span, axis=1))


def _flat(values: np.ndarray) -> np.ndarray:
    """Draws x rows x years as rows x (draws x years), draw-major."""
    return values.transpose(1, 0, 2).reshape(values.shape[1], -1)


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
    the years of `report_columns`.
    `measures`: measure, abatement_p10, abatement_p50, abatement_p90 (t/yr in the target
    year, credits against business as usual). `targets`: kind, year, required,
    probability (share of draws meeting it). `net`: draws x years, kept for charts.

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


def monte_carlo(model: SiteModel, starts: Mapping[str, int], draws: int = 1000,
                seed: int = 20201, chunk: int = 100) -> Uncertainty:
    """The roadmap scenario (`starts` adopted, the profile's green power) under `draws`
    seeded draws of the uncertain inputs, computed `chunk` draws at a time.

    >>> model = roadmap.site_model(site, catalog, ["town-building-solar-pv"])
    >>> band = roadmap.monte_carlo(model, {"town-building-solar-pv": 2021}, draws=50, seed=1)
    >>> list(band.by_year.columns[-3:]), band.draws
    (['net_p10', 'net_p50', 'net_p90'], 50)
    """
    columns = report_columns(model)
    net, bau, credit = _run_chunked(model, starts, draw_inputs(model, draws, seed), columns,
                                    chunk)
    return _summary(model, draws, seed, model.base.years[columns], net, bau, credit)


def _run_chunked(model: SiteModel, starts: Mapping[str, int], sample: Draws,
                 columns: np.ndarray, chunk: int) -> tuple[np.ndarray, ...]:
    """`run_draws` over `sample`, `chunk` draws at a time (bounded memory)."""
    parts = [run_draws(model, starts, sample.part(slice(first, first + chunk)), columns)
             for first in range(0, sample.count, chunk)]
    return tuple(np.concatenate(arrays) for arrays in zip(*parts, strict=True))


def band_drivers(model: SiteModel, starts: Mapping[str, int], draws: int = 1000,
                 seed: int = 20201, chunk: int = 100) -> pd.DataFrame:
    """What makes the band: the percentiles of net emissions with one input drawn at a time
    (the others at their central values; `all`: every input drawn), in the report years.
    Columns: input (all, cap, shift, growth, grid, autonomous, uptake), year, net_p10,
    net_p50, net_p90, width (P90 - P10), tCO2e/yr.

    >>> model = roadmap.site_model(site, catalog, ["town-building-solar-pv"])
    >>> drivers = roadmap.band_drivers(model, {"town-building-solar-pv": 2021}, draws=50)
    >>> sorted(set(drivers["input"]))
    ['all', 'autonomous', 'cap', 'grid', 'growth', 'shift', 'uptake']
    """
    sample, columns = draw_inputs(model, draws, seed), report_columns(model)
    central = Draws(*(np.repeat(getattr(central_draw(model), name), draws, axis=0)
                      for name in INPUTS))
    frames = []
    for name in ("all", *INPUTS):
        varied = sample if name == "all" else replace(central, **{name: getattr(sample, name)})
        net = _run_chunked(model, starts, varied, columns, chunk)[0]
        low, middle, high = np.percentile(net, PERCENTILES, axis=0)
        frames.append(pd.DataFrame({"input": name, "year": model.base.years[columns],
                                    "net_p10": low, "net_p50": middle, "net_p90": high,
                                    "width": high - low}))
    return pd.concat(frames, ignore_index=True)


def report_columns(model: SiteModel) -> np.ndarray:
    """The years Monte Carlo computes (every year is independent of the others): every
    fifth year, the base and target years and the years of the site's targets."""
    site, years = model.site, model.base.years
    wanted = {y for y in years if y % 5 == 0} | {site.base_year, site.target_year}
    wanted |= {t.year for t in (site.target, site.intensity_target) if t}
    return np.array([i for i, y in enumerate(years) if y in wanted])


def run_draws(model: SiteModel, starts: Mapping[str, int], draws: Draws,
              columns: np.ndarray | None = None,
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Net and business-as-usual emissions (draws x years, the `columns` of the model's
    years, default all) and each measure's credit in the last of them (draws x (measures
    + green power)) for the given draws: the central model's own functions, run once with
    the draws side by side on the years axis."""
    columns = np.arange(len(model.base.years)) if columns is None else columns
    years, count, span = model.base.years[columns], draws.count, len(columns)
    assumptions, pairs, electric = model.site.assumptions, model.pairs, model.electric
    fx = replace(model.effects, shift=draws.shift)
    curves = fx.curves(years, assumptions.adoption_at_end, assumptions.min_ramp_years)
    bau_adoption = bau_uptake(fx, curves, model.bau_ids, draws.autonomous[:, None, None])
    adoption = adopted(fx, curves, bau_adoption, starts, years, assumptions)
    inputs = _inputs(model, draws, columns)
    bau = _simulate(inputs, pairs, electric, _flat(bau_adoption), np.zeros(count * span))
    state = _simulate(inputs, pairs, electric, _flat(adoption),
                      np.tile(model.green(True)[columns], count), bau)
    last = slice(span - 1, None, span)  # the credits are needed in the last year only
    credit = _credits(_year(inputs, last), pairs, electric, len(model.base.sectors),
                      _year(bau, last), _year(state, last)).sum(axis=-2).T
    credit[:, :-1] += (state.sinks - bau.sinks)[:, last].T
    return ((state.emissions.sum(axis=0) - state.sinks.sum(axis=0)).reshape(count, span),
            (bau.emissions.sum(axis=0) - bau.sinks.sum(axis=0)).reshape(count, span), credit)


def _year(arrays, columns: slice | np.ndarray):
    """The same inputs or state restricted to some columns of the years axis."""
    return replace(arrays, **{name: value[..., columns] for name, value in vars(arrays).items()})


def _summary(model: SiteModel, draws: int, seed: int, years: np.ndarray, net: np.ndarray,
             bau: np.ndarray, credit: np.ndarray) -> Uncertainty:
    by_year = pd.DataFrame({"year": years})
    for name, values in (("bau", bau), ("net", net)):
        for p, row in zip(PERCENTILES, np.percentile(values, PERCENTILES, axis=0),
                          strict=True):
            by_year[f"{name}_p{p}"] = row
    names = [*model.effects.ids, GREEN_POWER]
    measures = pd.DataFrame({"measure": names})
    for p, row in zip(PERCENTILES, np.percentile(credit, PERCENTILES, axis=0), strict=True):
        measures[f"abatement_p{p}"] = row
    measures = measures[measures.filter(like="abatement").abs().max(axis=1) > 1e-6]
    return Uncertainty(draws, seed, by_year, measures.reset_index(drop=True),
                       _probabilities(model, years, net), net)


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
