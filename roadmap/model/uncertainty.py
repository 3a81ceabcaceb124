"""Monte Carlo through the site model: the uncertain inputs drawn within their documented
ranges, all draws computed at once (draws x pairs x years in numpy), and percentiles of
emissions, of each measure's abatement, and the probability that each target is met.

What is drawn (each independently, uniform within the range `Assumptions` documents):
- each grade-based technical potential (cap, supply share, sink area): x `CAP_SPREAD`;
  a size the site gives itself is its decision and is not drawn;
- each measure's wide-adoption year: anywhere in its popularisation period (never sooner
  than `min_ramp_years` after its start);
- each sector's growth rate: +- `growth_spread` per year;
- the grid factor's path: x `grid_factor` range, reached in the target year (the base year
  is what the inventory measured);
- the autonomous uptake of mature technologies and the forest uptake per 亩, within their
  ranges.
The draws are seeded: the same seed gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..inputs.assumptions import CAP_SPREAD, range_of
from ..inputs.catalog import popularization_year
from ..inputs.site import rate_in
from .effects import PERIOD_END
from .pathway import GREEN_POWER, SiteModel, _credits, _Inputs, _simulate, check_targets

PERCENTILES = (10, 50, 90)
GROWTH_SPREAD = 0.01  # +- 1 point a year on each sector's growth: project assumption


@dataclass(frozen=True)
class Draws:
    """The uncertain inputs of `count` draws: multipliers of each measure's potential
    (draws x measures), each measure's wide-adoption year, each sector's growth shift
    (draws x sectors), the grid factor's multiplier reached in the target year, the
    autonomous uptake and the forest uptake per 亩 (draws)."""

    cap: np.ndarray
    end: np.ndarray
    growth: np.ndarray
    grid: np.ndarray
    autonomous: np.ndarray
    uptake: np.ndarray

    @property
    def count(self) -> int:
        return len(self.grid)

    def part(self, rows: slice) -> Draws:
        return Draws(*(getattr(self, name)[rows] for name in
                       ("cap", "end", "growth", "grid", "autonomous", "uptake")))


def draw_inputs(model: SiteModel, count: int, seed: int = 20201) -> Draws:
    """`count` seeded draws of the uncertain inputs of a site model."""
    rng = np.random.default_rng(seed)
    site, fx = model.site, model.effects
    measures = len(fx.ids)
    sized = np.array([i in site.measures for i in fx.ids])
    cap = np.where(sized, 1.0, rng.uniform(*CAP_SPREAD, (count, measures)))
    first = np.array([popularization_year(model.catalog.get(i)) for i in fx.ids])
    last = np.array([PERIOD_END[y] for y in first])
    end = first + rng.uniform(0, 1, (count, measures)) * (last - first)
    low, high = range_of("grid_factor")
    return Draws(cap=cap, end=end,
                 growth=rng.uniform(-GROWTH_SPREAD, GROWTH_SPREAD,
                                    (count, len(model.base.sectors))),
                 grid=rng.uniform(low, high, count),
                 autonomous=rng.uniform(*range_of("autonomous_uptake"), count),
                 uptake=rng.uniform(*range_of("sink_uptake_per_mu"), count))


def _curves(model: SiteModel, draws: Draws, starts: Mapping[str, int]) -> np.ndarray:
    """Draws x measures x years: adoption S-curves from each start to the drawn end."""
    fx, assumptions = model.effects, model.site.assumptions
    begin = np.array([max(int(b), starts.get(i, 0)) for i, b in zip(fx.ids, fx.begin,
                                                                   strict=True)])
    end = np.maximum(draws.end, begin + assumptions.min_ramp_years)[..., None]
    begin = begin[None, :, None]
    years = model.base.years[None, None, :]
    at_end = assumptions.adoption_at_end
    steepness = math.log(at_end / (1 - at_end)) / ((end - begin) / 2)
    logistic = 1 / (1 + np.exp(-steepness * (years - (begin + end) / 2)))
    floor = 1 - at_end
    return np.clip((logistic - floor) / (1 - floor), 0.0, 1.0) * (years >= begin)


def _inputs(model: SiteModel, draws: Draws) -> _Inputs:
    """The model's arrays for each draw (leading axis: draws)."""
    base, pairs, fx = model.base, model.pairs, model.effects
    years = base.years
    span = max(years[-1] - years[0], 1)
    ramp = (years - years[0]) / span
    grid = base.grid * (1 + (draws.grid[:, None] - 1) * ramp)
    rates = np.array([[_rate(model, sector, year) for year in years] for sector in
                      base.sectors])
    steps = np.log1p(rates[None] + draws.growth[:, :, None])
    growth = np.exp(np.concatenate([np.zeros((draws.count, len(base.sectors), 1)),
                                    np.cumsum(steps[..., :-1], axis=-1)], axis=-1))
    energy = base.energy[:, :1] * growth[:, base.sector_index, :]
    factor = np.broadcast_to(base.factor, energy.shape).copy()
    factor[:, model.electric, :] = grid[:, None, :]
    share = np.minimum(pairs.share * draws.cap[:, pairs.measure], 0.99)
    uptake = draws.uptake / model.site.assumptions.sink_uptake_per_mu
    return _Inputs(energy, factor, grid, share, fx.generation * draws.cap[..., None],
                   fx.removal * draws.cap * uptake[:, None])


def _rate(model: SiteModel, sector: str, year: int) -> float:
    return rate_in(model.site.growth_of(sector), year)


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
                seed: int = 20201, chunk: int = 250) -> Uncertainty:
    """The roadmap scenario (`starts` adopted, the profile's green power) under `draws`
    seeded draws of the uncertain inputs.

    >>> model = roadmap.site_model(site, catalog, ["town-building-solar-pv"])
    >>> band = roadmap.monte_carlo(model, {"town-building-solar-pv": 2021}, draws=50, seed=1)
    >>> list(band.by_year.columns[-3:]), band.draws
    (['net_p10', 'net_p50', 'net_p90'], 50)
    """
    sample = draw_inputs(model, draws, seed)
    columns = report_columns(model)
    parts = [run_draws(model, starts, sample.part(slice(first, first + chunk)), columns)
             for first in range(0, draws, chunk)]
    net, bau, credit = (np.concatenate(arrays) for arrays in zip(*parts, strict=True))
    return _summary(model, draws, seed, model.base.years[columns], net, bau, credit)


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
    + green power)) for the given draws."""
    columns = np.arange(len(model.base.years)) if columns is None else columns
    inputs = _year(_inputs(model, draws), columns)
    curves = _curves(model, draws, {})[..., columns]
    in_bau = np.array([i in model.bau_ids for i in model.effects.ids])
    bau_adoption = curves * in_bau[:, None] * draws.autonomous[:, None, None]
    adopted = np.array([i in starts for i in model.effects.ids])
    delayed = _curves(model, draws, starts)[..., columns] if starts else curves
    adoption = np.where(adopted[:, None], np.maximum(delayed, bau_adoption), bau_adoption)
    green = model.green(True)[columns]
    bau = _simulate(inputs, model.pairs, model.electric, bau_adoption,
                    np.zeros_like(green), None)
    state = _simulate(inputs, model.pairs, model.electric, adoption, green, bau)
    last = slice(-1, None)  # the credits are needed in the target year only
    credit = _credits(_year(inputs, last), model.pairs, model.electric,
                      len(model.base.sectors), _year(bau, last),
                      _year(state, last))[..., 0].sum(axis=-1)
    sinks = state.sinks.sum(axis=-2)
    credit[:, :-1] += (state.sinks - bau.sinks)[..., -1]
    return (state.emissions.sum(axis=-2) - sinks, bau.emissions.sum(axis=-2) -
            bau.sinks.sum(axis=-2), credit)


def _year(arrays, columns: slice | np.ndarray):
    """The same inputs or state restricted to some years (the last axis of each array;
    the per-measure removal and the pairs' shares have none)."""
    return replace(arrays, **{name: value[..., columns] for name, value in vars(arrays).items()
                              if name not in ("removal", "share")})


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
