"""Abatement economics: each measure's investment, levelised cost per tonne, and the
roadmap's spending over time (docs/economics.md).

Levelised cost of abatement (yuan/tCO2e) in a year =
    (CRF(r, L) x capex + O&M - energy saved x price) / tCO2 abated,
with CRF(r, L) = r(1+r)^L / ((1+r)^L - 1). Capex is a technology family's cost per unit of
scale (catalogs/costs.yaml: per kW of PV or wind, per MWh/yr of energy saved or of
electricity saved, fuel counted at its primary-energy equivalent, per t/yr abated) times
the measure's stand-alone size at full adoption in the site's target year; a measure no
family fits is costed from its ➕ grade (`cost_basis` "grade"). The energy
saved, the energy added (electrification buys electricity), the local generation and the
abatement all come from the pathway's arrays in that year, after interactions; the capital
in place that year is the capex x the adoption the scenario adds to business as usual.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from ..inputs.assumptions import Assumptions
from ..inputs.catalog import Catalog, Technology, builtin_catalog_dir
from ..inputs.files import read_yaml, without_lines
from ..inputs.site import Site
from ..inputs.vocabulary import expand_cells
from .pathway import Pathway, SiteModel, credit_in, removed_by_cell, standalone_runs

GRADE = "grade"
# effects that replace a stock's equipment: a bus gets one drivetrain, so measures converting
# the same stock share it (`stock_scales`); efficiency measures each buy their own equipment
CONVERTING = ("electrification", "fuel_switch")
FUEL_SECTOR = "energy_supply"  # whose prices a generator's fuel is bought at
PRICE_YEAR = 2024  # the year of the default prices (escalation runs from it)
COLUMNS = ["id", "name_zh", "name_en", "category", "category_en", "function", "economics",
           "cost_basis", "investment_10k_yuan", "capital_in_place_10k_yuan",
           "annual_cost_10k_yuan",
           "saving_10k_yuan_per_yr", "abatement_t_per_yr", "cost_yuan_per_t", "payback_years"]
INVESTMENT_COLUMNS = ["scenario", "year", "investment_10k_yuan", "discounted_10k_yuan"]


@dataclass(frozen=True)
class Family:
    """Cost parameters of one technology family (catalogs/costs.yaml)."""

    name: str
    unit: str  # kw | mwh_saved | mwh_e_saved | t_abated | programme
    capex: float  # yuan per unit
    low: float
    high: float
    lifetime: int
    om: float  # share of capex per year
    source: str
    types: tuple[str, ...]
    scales: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    hours: str | None = None  # unit kw: the supply scale whose full-load hours size a kW

    @property
    def per_site(self) -> bool:
        """One programme per site: its cost does not grow with what the measure achieves."""
        return self.unit == "programme"

    @property
    def per_mwh(self) -> bool:
        """Sized on the energy the measure saves (MWh, or MWh of electricity)."""
        return self.unit in ("mwh_saved", "mwh_e_saved")


@dataclass(frozen=True)
class CostData:
    families: tuple[Family, ...]
    grade_lifetime: int
    grade_om: float
    grade_source: str
    fuel_as_power: float  # MWh of electricity a MWh of fuel or heat counts as (mwh_e_saved)


@cache
def cost_data() -> CostData:
    """The built-in family parameters."""
    raw = without_lines(read_yaml(builtin_catalog_dir() / "costs.yaml"))
    families = tuple(
        Family(name, entry["unit"], float(entry["capex"]), *map(float, entry["range"]),
               int(entry["lifetime"]), float(entry["om"]), entry["source"],
               tuple(entry["match"]["types"]), tuple(entry["match"].get("scales", ())),
               tuple(entry["match"].get("sectors", ())), tuple(entry["match"].get("ids", ())),
               entry.get("hours"))
        for name, entry in raw["families"].items())
    grade, primary = raw["grade"], raw["primary_energy"]
    return CostData(families, int(grade["lifetime"]), float(grade["om"]), grade["source"],
                    float(primary["fuel"]) / float(primary["electricity"]))


def crf(rate: float, years: int) -> float:
    """Capital recovery factor: the yearly payment that repays 1 over `years` at `rate`."""
    growth = (1 + rate) ** years
    return rate * growth / (growth - 1)


def levelised_cost(capex: float, om: float, saving: float, abatement: float, rate: float,
                   lifetime: int) -> float:
    """yuan/t: (CRF x capex + yearly O&M - yearly saving) / yearly t abated (NaN if none)."""
    if abatement <= 0:
        return float("nan")
    return (crf(rate, lifetime) * capex + om - saving) / abatement


def programme_bases() -> frozenset[str]:
    """Cost bases priced per programme (one per site): their capex is the programme's own
    cost, not that of what it steers, so the energy the steered measures save is not the
    programme's saving either (its levelised cost is what the programme costs per tonne)."""
    return frozenset(family.name for family in cost_data().families if family.per_site)


def family_of(tech: Technology, families: Iterable[Family] | None = None) -> Family | None:
    """The first family whose type, supply scale, main sector and ids fit the measure."""
    effect = tech.acts
    sectors = [s for s, _ in expand_cells(effect.cells)] if effect.cells else []
    main = max(dict.fromkeys(sectors), key=sectors.count) if sectors else None  # ties: first
    for family in families if families is not None else cost_data().families:
        if effect.type not in family.types:
            continue
        if family.per_mwh and effect.non_energy_only:  # no MWh to size it on
            continue
        if family.scales and (effect.scale or "mixed") not in family.scales:
            continue
        if family.sectors and main not in family.sectors:
            continue
        if family.ids and tech.id not in family.ids:
            continue
        return family
    return None


# --------------------------------------------------------------------------- money

@dataclass(frozen=True)
class Money:
    """The site's discount rate, price escalation, carbon price and energy prices."""

    rate: float
    escalation: float
    carbon_price: float
    assumptions: Assumptions

    def price(self, carrier: str, sector: str, year: int) -> float:
        """yuan/MWh in `year`."""
        return (self.assumptions.price(carrier, sector)
                * (1 + self.escalation) ** (year - PRICE_YEAR))


def money_of(site: Site) -> Money:
    """Profile keys (`prices`, `discount_rate`, `price_escalation`, `carbon_price`) over the
    documented defaults."""
    assumptions = site.assumptions
    if site.prices:
        assumptions = assumptions.model_copy(update={"energy_prices": {
            **assumptions.energy_prices, **site.prices}})

    def given(name: str) -> float:
        value = getattr(site, name)
        return getattr(assumptions, name) if value is None else value

    return Money(given("discount_rate"), given("price_escalation"), given("carbon_price"),
                 assumptions)


# --------------------------------------------------------------------------- capex

def measure_capex(model: SiteModel, ids: Iterable[str],
                  runs: Mapping[str, Pathway] | None = None) -> pd.DataFrame:
    """Each measure's investment for full adoption beyond business as usual, from its
    stand-alone size in the site's target year (`runs`: the measures' `standalone_runs`,
    when already made). Columns: id, cost_basis, capex (yuan), lifetime, om (share of capex
    per year), standalone (t/yr at full adoption)."""
    fx, bau, site = model.effects, model.bau_state, model.site
    row_of = {tech_id: row for row, tech_id in enumerate(fx.ids)}
    data, rows = cost_data(), []
    for tech_id in ids:
        row, tech = row_of[tech_id], model.catalog.get(tech_id)
        alone = runs[tech_id] if runs is not None else standalone_runs(model, [tech_id])[tech_id]
        added = alone.state.adoption[row, -1] - bau.adoption[row, -1]
        abated = credit_in(alone, site.target_year)
        per_adoption = 1 / added if added > 1e-9 else 0.0
        family = family_of(tech, data.families)
        if family is None:
            # a chain's part (CO2 storage, reuse) is sized on the tonnes of the measure it
            # completes, or on its `cap` share of them (reuse takes part of what is captured)
            sized_on = abated * per_adoption if tech.acts.completes not in row_of else \
                measure_capex(model, [tech.acts.completes]).loc[0, "standalone"] * (
                    1.0 if tech.acts.cap is None else tech.acts.cap)
            capex = sized_on / site.assumptions.cost_effectiveness[tech.economics] * 1e4
            basis, lifetime, om = GRADE, data.grade_lifetime, data.grade_om
        else:
            size = _size(model, family, row, alone, abated) * per_adoption
            capex, basis, lifetime, om = size * family.capex, family.name, \
                family.lifetime, family.om
        rows.append({"id": tech_id, "cost_basis": basis, "capex": capex,
                     "lifetime": lifetime, "om": om, "standalone": abated * per_adoption})
    return pd.DataFrame(rows, columns=["id", "cost_basis", "capex", "lifetime", "om",
                                       "standalone"])


def _size(model: SiteModel, family: Family, row: int, alone: Pathway, abated: float) -> float:
    """The measure's stand-alone scale in the target year in the family's unit."""
    if family.per_site:  # one programme at full adoption, whatever it abates
        return float(alone.state.adoption[row, -1] - model.bau_state.adoption[row, -1])
    if family.unit == "kw":  # kW of the family's technology making the same MWh
        generated = model.effects.generation[row, -1] * (
            alone.state.adoption[row, -1] - model.bau_state.adoption[row, -1])
        return generated / model.site.assumptions.full_load_hours[family.hours] * 1000
    if family.per_mwh:
        added = removed_by_cell(model, alone.state) - removed_by_cell(model, model.bau_state)
        return float(added[row, :, -1] @ _mwh_weights(model.base.carrier_of, family))
    return abated


def _mwh_weights(carriers: np.ndarray, family: Family) -> np.ndarray:
    """What a MWh removed from a cell of each carrier counts in the family's unit: a process
    cell's tonnes are no MWh (0); for `mwh_e_saved`, a fuel's MWh counts as the electricity
    the same primary energy makes (`CostData.fuel_as_power`)."""
    fuel = cost_data().fuel_as_power if family.unit == "mwh_e_saved" else 1.0
    return np.select([carriers == "non_energy", carriers == "electricity"], [0.0, 1.0], fuel)


# --------------------------------------------------------------------------- levelised cost

def yearly_flows(pathway: Pathway, capex: pd.DataFrame, year: int, money: Money,
                 ) -> pd.DataFrame:
    """Per measure of the pathway in `year`: capital in place (yuan), O&M, energy saving
    (yuan/yr, net of energy added; none for a programme, `programme_bases`), abatement
    (t/yr, after interactions)."""
    model = pathway.model
    fx, bau, state, base = model.effects, model.bau_state, pathway.state, model.base
    column = int(np.searchsorted(base.years, year))
    prices = np.array([money.price(c, s, year) for s, c in base.cells])
    electric = base.rows("electricity")
    demand = state.energy[electric, column]
    power_price = float(prices[electric] @ demand / demand.sum()) if demand.sum() > 0 else \
        money.price("electricity", "all", year)
    row_of = {tech_id: row for row, tech_id in enumerate(fx.ids)}
    removed = removed_by_cell(model, state) - removed_by_cell(model, bau)
    rows, programmes = [], programme_bases()
    scales = stock_scales(pathway, capex["id"])[:, column]
    for item, scale in zip(capex.itertuples(), scales, strict=True):
        row = row_of[item.id]
        added = state.adoption[row, column] - bau.adoption[row, column]
        saved = removed[row, :, column]
        moved_to, tech = fx.target[row], model.catalog.get(item.id)
        bought = sum(saved[c] * fx.ratio[row] * money.price(
            bought_as(tech, base.cells[t][1]), base.cells[t][0], year)
            for c, t in enumerate(moved_to) if t >= 0)
        generated = fx.generation[row, column] * added
        fuel = burned_fuel(tech)
        saving = 0.0 if item.cost_basis in programmes else (
            float(saved @ prices) - bought + generated * power_price - (
                0.0 if fuel is None else generated * fuel[1] * money.price(
                    fuel[0], FUEL_SECTOR, year)))
        abated = float(pathway.credit[row, :, column].sum()
                       + (state.sinks - bau.sinks)[row, column])
        capital = item.capex * added * scale  # in place that year
        rows.append({"id": item.id, "capital": capital, "om": capital * item.om,
                     "saving": saving,
                     "abatement": abated})
    return pd.DataFrame(rows, columns=["id", "capital", "om", "saving", "abatement"])


def stock_scales(pathway: Pathway, ids: Iterable[str]) -> np.ndarray:
    """Per measure of `ids` x year: the share of its stand-alone scale, and so of its capex,
    that it has in the scenario. Measures converting the same cells' stock (`CONVERTING`:
    electric, fuel-cell and gas buses) convert it together as the pathway combines them,
    1 - prod(1 - cut), and share what they convert in proportion to their logs, as the
    pathway splits energy: with electric buses converting 60 % of a fleet and fuel-cell
    buses 60 % alone, together 84 %, each 42 %: 0.7 of its stand-alone fleet. The share is
    taken against the measure's own stand-alone run in the same year (business as usual
    may already convert part of the stock), so 1 alone; 1 for any other measure."""
    model = pathway.model
    rows = [model.effects.ids.index(i) for i in ids]
    alone = standalone_runs(model, [model.effects.ids[r] for r in rows
                                    if model.effects.types[r] in CONVERTING])
    scales = np.ones((len(rows), len(model.base.years)))
    for n, row in enumerate(rows):
        own = alone.get(model.effects.ids[row])
        if own is not None and own is not pathway:  # its own stand-alone run: 1 by definition
            by_itself = _converted(own, row)
            np.divide(_converted(pathway, row), by_itself, out=scales[n], where=by_itself > 0)
    return scales


def _converted(pathway: Pathway, row: int) -> np.ndarray:
    """By year: the share of its cells' stock (weighted by their energy in business as
    usual) that the converting measure `row` converts in the scenario, its part of what
    the converting measures convert together."""
    model = pathway.model
    fx = model.effects
    converting = np.isin(fx.types, CONVERTING)
    cells = np.flatnonzero(fx.share[row] > 0)
    cut = fx.share[converting][:, cells, None] * pathway.state.adoption[converting][:, None]
    logs = np.log1p(-np.minimum(cut, 1.0 - 1e-12))  # converting measures x cells x years
    total = logs.sum(axis=0)
    own = logs[int(np.flatnonzero(converting).searchsorted(row))]
    part = np.divide(own * -np.expm1(total), total, out=np.zeros_like(total), where=total < 0)
    weights = model.bau_state.energy[cells]
    return (part * weights).sum(axis=0) / np.maximum(weights.sum(axis=0), 1e-300)


def bought_as(tech: Technology, carrier: str) -> str:
    """The carrier whose price a measure pays for the `carrier` energy it buys or burns: its
    effect's `priced_as` (bio-jet fuel and biodiesel are bought as oil), else `carrier`."""
    return tech.acts.priced_as or carrier


def burned_fuel(tech: Technology) -> tuple[str, float] | None:
    """(carrier it is bought as, MWh per MWh generated) of the fuel a generator burns (a
    supply effect's `to` and `ratio`), bought in the FUEL_SECTOR; None if it burns none."""
    effect = tech.acts
    if effect.type != "supply" or effect.to is None:
        return None
    return bought_as(tech, effect.to), effect.ratio


def measure_economics(pathway: Pathway, catalog: Catalog, year: int,
                      capex: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each measure the pathway adopts: cost basis, investment (10k yuan, full adoption), the
    capital in place in `year` (10k yuan: the investment x the adoption added by then),
    annualised cost and energy saving in `year` (10k yuan), abatement in `year` after
    interactions (t/yr), levelised cost (yuan/t; NaN without abatement) and simple payback
    (years: the capital in place in `year` over the yearly saving net of O&M; NaN when the saving
    does not cover the O&M). Columns `COLUMNS`, sorted by cost (cheapest first)."""
    ids = [i for i in pathway.measures if i in catalog]
    capex = capex if capex is not None else measure_capex(pathway.model, ids)
    capex = capex.set_index("id").loc[ids].reset_index()
    money = money_of(pathway.site)
    flows = yearly_flows(pathway, capex, year, money).set_index("id")
    rows = []
    for item, scale in zip(capex.itertuples(), stock_scales(pathway, ids)[:, -1], strict=True):
        tech = catalog.get(item.id)
        rows.append({
            "id": tech.id, "name_zh": tech.name_zh, "name_en": tech.name_en,
            "category": tech.category, "category_en": tech.category_en or tech.category,
            "function": pathway.model.effects.functions[
                pathway.model.effects.ids.index(tech.id)],
            "economics": tech.economics, "cost_basis": item.cost_basis,
            "investment_10k_yuan": item.capex * scale / 1e4,
            **_cost_terms(item, flows.loc[item.id], money.rate)})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    net = (frame["annual_cost_10k_yuan"] - frame["saving_10k_yuan_per_yr"]).to_numpy() * 1e4
    for measure, parts in chain_positions(catalog, ids).items():  # capture pays for its store
        abated = frame.at[measure, "abatement_t_per_yr"]
        frame.at[measure, "cost_yuan_per_t"] = (net[measure] + net[parts].sum()) / abated \
            if abated > 0 else float("nan")
    return frame.sort_values(["cost_yuan_per_t", "abatement_t_per_yr"],
                             ascending=[True, False], kind="stable",
                             na_position="last").reset_index(drop=True)


def _cost_terms(item, flow: pd.Series, rate: float) -> dict[str, float]:
    """A measure's yearly cost terms in 10k yuan, abatement and levelised cost, from its
    capex row (`measure_capex`) and its flows (`yearly_flows`)."""
    annual = crf(rate, item.lifetime) * flow["capital"] + flow["om"]
    return {"capital_in_place_10k_yuan": flow["capital"] / 1e4,
            "annual_cost_10k_yuan": annual / 1e4, "saving_10k_yuan_per_yr": flow["saving"] / 1e4,
            "abatement_t_per_yr": flow["abatement"],
            "cost_yuan_per_t": levelised_cost(flow["capital"], flow["om"], flow["saving"],
                                              flow["abatement"], rate, item.lifetime),
            "payback_years": flow["capital"] / (flow["saving"] - flow["om"])
            if flow["saving"] > flow["om"] else float("nan")}


def standalone_economics(model: SiteModel, runs: Mapping[str, Pathway], year: int,
                         ) -> pd.DataFrame:
    """What `measure_economics` in `year` gives each measure adopted alone on top of
    business as usual (`runs`: `standalone_runs` of the model, reused), with the parts that
    complete its chain (capture pays for its store), one row per run in its order: id,
    cost_basis, annual_cost_10k_yuan, saving_10k_yuan_per_yr, abatement_t_per_yr,
    cost_yuan_per_t."""
    capex, money = measure_capex(model, runs, runs), money_of(model.site)
    capex = capex.assign(capex=capex["capex"] + _chain_parts_capex(model, capex["id"]))
    rows = []
    for n, (item, run) in enumerate(zip(capex.itertuples(), runs.values(), strict=True)):
        flow = yearly_flows(run, capex.iloc[[n]], year, money).iloc[0]
        rows.append({"id": item.id, "cost_basis": item.cost_basis,
                     **_cost_terms(item, flow, money.rate)})
    return pd.DataFrame(rows)


def chain_positions(catalog: Catalog, ids: list[str]) -> dict[int, list[int]]:
    """The position in `ids` of each measure whose chain others of `ids` complete (CO2
    capture, `Effect.completes`), with theirs (its store): its cost per tonne is the
    chain's, since it abates nothing without them and they abate nothing of their own."""
    position = {tech_id: n for n, tech_id in enumerate(ids)}
    chains: dict[int, list[int]] = {}
    for n, tech_id in enumerate(ids):
        completed = catalog.get(tech_id).acts.completes
        if completed in position:
            chains.setdefault(position[completed], []).append(n)
    return chains


def _chain_parts_capex(model: SiteModel, ids: Iterable[str]) -> np.ndarray:
    """Per measure of `ids`: the capex of the model's measures completing its chain (CO2
    capture's store, `Effect.completes`), which it needs to work alone; 0 for most."""
    parts: dict[str, list[str]] = {}
    for tech_id in model.effects.ids:
        completed = model.catalog.get(tech_id).acts.completes
        if completed:
            parts.setdefault(completed, []).append(tech_id)
    return np.array([measure_capex(model, parts[i])["capex"].sum() if i in parts else 0.0
                     for i in ids])


# --------------------------------------------------------------------------- over time

def measure_spending(pathway: Pathway, capex: pd.DataFrame) -> pd.DataFrame:
    """10k yuan each measure of the pathway spends each year (rows: ids, columns: years):
    the yearly growth of its capital in place, its capex x the adoption the scenario adds
    to business as usual x its share of a stock it converts with others (`stock_scales`)."""
    model = pathway.model
    row_of = {tech_id: row for row, tech_id in enumerate(model.effects.ids)}
    known = capex.set_index("id")["capex"]
    ids = [i for i in pathway.measures if i in known.index]
    rows = [row_of[i] for i in ids]
    added = pathway.state.adoption[rows] - model.bau_state.adoption[rows]
    in_place = known.loc[ids].to_numpy()[:, None] * added * stock_scales(pathway, ids)
    steps = np.clip(np.diff(in_place, axis=1, prepend=0.0), 0.0, None)
    return pd.DataFrame(steps / 1e4, index=ids, columns=model.base.years)


def spending(pathway: Pathway, capex: pd.DataFrame) -> pd.DataFrame:
    """Capex by year as the scenario's adoption (beyond business as usual) grows: columns
    `INVESTMENT_COLUMNS`, discounted at the site's rate to `decision_year`: the first year a
    measure may start, when the plan is decided (not the emissions data's base year)."""
    model = pathway.model
    by_year = measure_spending(pathway, capex).sum().to_numpy()
    rate = money_of(pathway.site).rate
    discount = (1 + rate) ** -(model.base.years - decision_year(model.site)).astype(float)
    return pd.DataFrame({"scenario": pathway.scenario, "year": model.base.years,
                         "investment_10k_yuan": by_year,
                         "discounted_10k_yuan": by_year * discount})[INVESTMENT_COLUMNS]


def cost_year(site: Site) -> int:
    """The one year every cost of a deliverable is of: the site's target year, for the
    ranking's stand-alone costs, the roadmap's economics table and cost curve and their
    Monte Carlo ranges alike (the budget's abatement is judged in its target's year)."""
    return site.target_year


def decision_year(site: Site) -> int:
    """The year investment is discounted to: the site's first start year."""
    return site.first_start_year


def scenario_spending(scenarios: dict[str, Pathway], capex: pd.DataFrame) -> pd.DataFrame:
    """`spending` of every scenario, one table."""
    return pd.concat([spending(p, capex) for p in scenarios.values()], ignore_index=True)


def investment_totals(spending_table: pd.DataFrame, scenario: str = "roadmap",
                      ) -> tuple[float, float]:
    """(total, discounted) investment of one scenario, 10k yuan."""
    rows = spending_table[spending_table["scenario"] == scenario]
    return float(rows["investment_10k_yuan"].sum()), float(rows["discounted_10k_yuan"].sum())
