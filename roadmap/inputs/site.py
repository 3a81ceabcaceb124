"""Site profiles: the YAML contract of a concrete town, park, enterprise... (see the README)."""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from difflib import get_close_matches
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ..errors import InputError, InvalidValue, Message
from .assumptions import PRICES_ALLOWED, Assumptions, check_prices, check_year_path
from .catalog import Catalog
from .dependencies import exclusive_conflicts
from .files import LINE_KEY, read_yaml, validated, without_lines, written_fields
from .implementation import Implementation, check_implementation
from .ranges import UNCERTAINTY_ALLOWED, check_rate_range, check_uncertainty
from .tables import with_tables
from .vocabulary import (
    CARRIERS,
    CRITERIA,
    DOMAINS,
    METHODS,
    REGIONS,
    SECTORS,
    SITE_FEATURES,
    Carrier,
    Criterion,
    Domain,
    Method,
    Region,
    Sector,
)

DEFAULT_WEIGHTS = {"site_abatement": 0.5, "cost": 0.5}
# Criteria an older profile may weight, and what replaced them (with a note on loading).
RENAMED_CRITERIA = {
    "relevance": ("site_abatement", "relevance (share of the baseline in reach) is replaced by "
                  "site_abatement, the t/yr the site model expects by the target year"),
    "readiness": ("timing", "readiness is replaced by timing, the phase the measure is "
                  "widespread in (earlier is better)"),
}

# Energy quantities a profile may give under `energy:` (per sector): the carrier, MWh per unit
# (net calorific values of GB/T 2589-2008, appendix A) and tCO2 per unit (those NCVs x the
# IPCC 2006 factors of `Assumptions.emission_factors`, per fuel).
QUANTITIES = {
    "electricity_mwh": ("electricity", 1.0, None),
    "coal_t": ("coal", 5.808, 5.808 * 0.3406),          # raw coal 20,908 kJ/kg
    "fuel_oil_t": ("oil", 11.616, 11.616 * 0.2786),     # fuel oil 41,816 kJ/kg, 77.4 t/TJ
    "diesel_t": ("oil", 11.848, 11.848 * 0.2668),       # diesel 42,652 kJ/kg, 74.1 t/TJ
    "gasoline_t": ("oil", 11.964, 11.964 * 0.2495),     # gasoline 43,070 kJ/kg, 69.3 t/TJ
    "gas_m3": ("gas", 0.010814, 0.010814 * 0.2020),     # natural gas 38,931 kJ/m3
    "lpg_t": ("lpg", 13.939, 13.939 * 0.2272),          # LPG 50,179 kJ/kg
    "heat_gj": ("heat", 1 / 3.6, 0.11),                  # 0.11 tCO2/GJ
    "biomass_mwh": ("biomass", 1.0, 0.0),
}
# The old one-level baseline (`baseline: {source: t}`) as sector x carrier cells. Electricity
# of a town goes to the sectors by `Assumptions.electricity_split`; a single-sector domain's
# electricity and building fuel go to its own sector. Industrial fuel is read as coal (the
# main industrial fuel of Guangdong's boilers and kilns) and building fuel as LPG (the main
# cooking and hot-water fuel of its homes and businesses): the project's mapping, noted in
# the report.
LEGACY_SOURCES = ("electricity", "industrial_fuel", "process", "transport_fuel",
                  "building_fuel", "waste", "agriculture")
LEGACY_CELLS = {
    "industrial_fuel": ("industry", "coal"), "process": ("industry", "non_energy"),
    "transport_fuel": ("transport", "oil"), "waste": ("waste", "non_energy"),
    "agriculture": ("agriculture", "non_energy"),
}
# seed 003 sec. 5.1 (fig. 5-1): all of Guangdong's industrial parks emitted about 3.03亿 t of
# CO2 in 2016; a site's baseline above it is a unit slip far more often than a site.
GUANGDONG_PARKS_T = 3.03e8
# The project's own bound (an assumption): a million times that is no site's baseline, nor
# kg written as t; refused, as an overflow to infinity broke the budget's linear program
# with a traceback (1e308 MWh of electricity).
MAX_BASELINE_T = 1e6 * GUANGDONG_PARKS_T
# `roadmap init`'s example name and source: a profile still holding them is remarked on
TEMPLATE_NAME = "示例 Example site"
TEMPLATE_SOURCE = "the document, table and row it comes from"
SECTOR_OF_DOMAIN = {"building": "commercial", "transport": "transport",
                    "enterprise": "industry", "park": "industry", "community": "residential",
                    "town": "residential"}
SIZE_KEYS = {"share": "a fraction 0-1 of the cells it acts on (supply: of the site's "
             "electricity; sink: of its land area)",
             "mw": "supply: installed MW (x full-load hours)",
             "mwh": "supply: MWh generated per year",
             "area_ha": "sink: hectares", "area_mu": "sink: 亩 (15 亩 = 1 ha)"}
# The largest size of each kind: the project's own bounds (assumptions), far above any
# site's measure and far below the overflow to infinity that broke the budget's linear
# program with a traceback (1e308 MW)
SIZE_LIMITS = {"share": 1, "mw": 1e6, "mwh": 1e10, "area_ha": 1e8, "area_mu": 1.5e9}

ALLOWED = {
    "name": Message("any_text"),
    "domain": ", ".join(DOMAINS),
    "region": ", ".join(REGIONS),
    "base_year": Message("a_year"),
    "target_year": Message("a_target_year"),
    "start_year": Message("a_start_year"),
    "baseline": Message("site_baseline", sectors=", ".join(SECTORS),
                        carriers=", ".join(CARRIERS), sources=", ".join(LEGACY_SOURCES)),
    "baseline.*": Message("site_baseline_keys", sectors=", ".join(SECTORS),
                          sources=", ".join(LEGACY_SOURCES)),
    "energy": Message("site_energy", quantities=", ".join(QUANTITIES)),
    "energy.*": ", ".join(SECTORS),
    "grid": Message("site_grid"),
    "green_power": Message("site_green_power"),
    "land_area_ha": Message("site_land_area"),
    "measures": Message("site_measures", keys=", ".join(
        f"{key} (0-{limit:,.0f})" for key, limit in SIZE_LIMITS.items())),
    "growth_rate": Message("site_growth_rate"),
    "gdp": Message("site_gdp"),
    "gdp_growth": Message("site_gdp_growth"),
    "intensity_target": Message("site_intensity_target"),
    "intensity_target.*": "reduction, year",
    "target": Message("site_target"),
    "target.*": "reduction, year",
    "features": Message("site_features", features=", ".join(SITE_FEATURES)),
    "custom_features": Message("site_custom_features"),
    "budget": Message("a_positive_amount"),
    "budget_max_cost": Message("yuan_per_tonne"),
    "prices": PRICES_ALLOWED,
    "phase_budgets": Message("site_phase_budgets"),
    "discount_rate": Message("site_discount_rate"),
    "price_escalation": Message("site_price_escalation"),
    "carbon_price": Message("site_carbon_price"),
    "uncertainty": UNCERTAINTY_ALLOWED,
    "weights": Message("site_weights", criteria=", ".join(CRITERIA)),
    "weights.*": ", ".join(CRITERIA),
    "method": ", ".join(METHODS),
    "include": Message("catalog_ids"),
    "exclude": Message("catalog_ids"),
    "extra_domains": Message("site_extra_domains", domains=", ".join(DOMAINS)),
    "assumptions": Message("site_assumptions"),
    "assumptions.*": ", ".join(Assumptions.model_fields),
    "sources": Message("site_sources"),
    "implementation": Message("site_implementation"),
}
Rates = float | dict[int, float]


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    reduction: float = Field(ge=0, le=1)
    year: int = Field(ge=1990, le=2100)


class MeasureSize(BaseModel):
    """How big a measure is at this site, instead of its grade's default (one key)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    share: float | None = Field(None, ge=0, le=SIZE_LIMITS["share"])
    mw: float | None = Field(None, ge=0, le=SIZE_LIMITS["mw"])
    mwh: float | None = Field(None, ge=0, le=SIZE_LIMITS["mwh"])
    area_ha: float | None = Field(None, ge=0, le=SIZE_LIMITS["area_ha"])
    area_mu: float | None = Field(None, ge=0, le=SIZE_LIMITS["area_mu"])

    @model_validator(mode="after")
    def _one(self) -> MeasureSize:
        given = [k for k in SIZE_KEYS if getattr(self, k) is not None]
        if len(given) != 1:
            raise InvalidValue("one_size_key", keys=", ".join(SIZE_KEYS))
        return self

    @property
    def kind(self) -> str:
        return next(k for k in SIZE_KEYS if getattr(self, k) is not None)


class Site(BaseModel):
    """A site profile. Defaults: base year 2020, target year 2050, no growth, TOPSIS.

    `baseline` is normalised to {sector: {carrier: tCO2e/yr}} (the old one-level form and
    `energy` quantities are converted on loading; `notes` says what was converted).

    >>> site.domain, site.base_year, site.target_year, round(site.total_baseline)
    ('town', 2010, 2050, 2160000)
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    LOADER_FIELDS: ClassVar[tuple[str, ...]] = ("notes",)  # no file sets them

    # 200 characters: a long Chinese place name with its English one fits; a 10 KB name
    # drew a 183-megapixel chart title in 42 s
    name: str = Field(min_length=1, max_length=200)
    domain: Domain
    region: Region | None = None
    base_year: int = Field(2020, ge=1990, le=2100)
    target_year: int = Field(2050, ge=1990, le=2100)
    # the first year the roadmap's measures can start, when the data year is long past
    start_year: int | None = Field(None, ge=1990, le=2100)
    baseline: dict[Sector, dict[Carrier, float]] = Field(default_factory=dict)
    energy: dict[Sector, dict[str, float]] = Field(default_factory=dict)
    grid: dict[int, float] | None = None
    green_power: dict[int, float] = Field(default_factory=dict)
    land_area_ha: float | None = Field(None, gt=0, le=SIZE_LIMITS["area_ha"])
    measures: dict[str, MeasureSize] = Field(default_factory=dict)
    growth_rate: Rates | dict[Sector, Rates] = 0.0
    target: Target | None = None
    gdp: float | None = Field(None, gt=0)
    gdp_growth: Rates = 0.0
    intensity_target: Target | None = None
    features: tuple[str, ...] = ()
    custom_features: tuple[str, ...] = ()  # the site's own feature names, declared
    budget: float | None = Field(None, gt=0)
    budget_max_cost: float | None = Field(None, ge=0)  # yuan/t: the budget buys none dearer
    prices: dict[str, Any] = Field(default_factory=dict)
    phase_budgets: dict[str, Annotated[float, Field(gt=0)]] = Field(default_factory=dict)
    discount_rate: float | None = Field(None, gt=0, le=0.3)
    price_escalation: float | None = Field(None, ge=-0.1, le=0.1)
    carbon_price: float | None = Field(None, ge=0, le=5000)
    # Monte Carlo ranges: {input: "fixed" or (low, high)} (inputs/ranges.py)
    uncertainty: dict[str, Any] = Field(default_factory=dict)
    weights: dict[Criterion, float] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    method: Method = "topsis"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extra_domains: tuple[Domain, ...] = ()
    assumptions: Assumptions = Field(default_factory=Assumptions)
    notes: tuple[str, ...] = ()
    # key path -> source of its value: text, {zh: ..., en: ...} or "illustrative"
    sources: dict[str, str | dict[Literal["zh", "en"], str]] = Field(default_factory=dict)
    # the file the profile was read from ("site" when built from a dict), so that errors
    # found later in the analysis name it
    _file: str = PrivateAttr("site")
    # the first phase's actions, challenges and indicators (inputs/implementation.py)
    implementation: Implementation | None = None

    @property
    def file(self) -> str:
        return self._file

    @model_validator(mode="before")
    @classmethod
    def _old_baseline(cls, data: Any) -> Any:
        """The one-level `baseline: {source: t}` as the sector x carrier table."""
        if not isinstance(data, dict) or not isinstance(data.get("baseline"), dict):
            return data
        baseline = data["baseline"]
        if not baseline or not all(k in LEGACY_SOURCES for k in baseline):
            return data
        if not all(isinstance(v, int | float) for v in baseline.values()):
            return data  # let field validation report the bad value
        _refuse_negative(baseline, "baseline.")  # as written: the split would hide it
        assumptions = Assumptions.model_validate(data.get("assumptions") or {})
        table = legacy_table(baseline, data.get("domain"), assumptions)
        note = ("baseline: the one-level sources were split into sectors and carriers by "
                "the engine's documented mapping (README, 'Old baseline form')")
        return {**data, "baseline": table, "notes": (*data.get("notes", ()), note)}

    @model_validator(mode="before")
    @classmethod
    def _renamed_criteria(cls, data: Any) -> Any:
        """Weights on retired criteria move to their successors, with a note."""
        weights = data.get("weights") if isinstance(data, dict) else None
        if not isinstance(weights, dict) or not set(weights) & set(RENAMED_CRITERIA):
            return data
        moved, notes = dict(weights), list(data.get("notes", ()))
        for old, (new, note) in RENAMED_CRITERIA.items():
            if old in moved and isinstance(moved[old], int | float):
                moved[new] = moved.get(new, 0.0) + moved.pop(old)
                notes.append(f"weights: {note}")
        return {**data, "weights": moved, "notes": tuple(notes)}

    @field_validator("energy")
    @classmethod
    def _quantities(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for amounts in value.values():
            for key, amount in amounts.items():
                if key not in QUANTITIES:
                    raise InvalidValue("unknown_quantity", key=key)
                if not amount >= 0:
                    raise InvalidValue("amounts_not_negative", key=key)
        return value

    @field_validator("baseline")
    @classmethod
    def _non_negative(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for sector, cells in value.items():
            _refuse_negative(cells, f"{sector}.")
        return value

    @field_validator("prices")
    @classmethod
    def _prices(cls, value: dict[str, Any]) -> dict[str, Any]:
        return check_prices(value) if value else value

    @field_validator("grid")
    @classmethod
    def _grid(cls, value: dict[int, float] | None) -> dict[int, float] | None:
        return None if value is None else check_year_path(value, 0, 2, "tCO2/MWh")

    @field_validator("green_power")
    @classmethod
    def _green(cls, value: dict[int, float]) -> dict[int, float]:
        return check_year_path(value, 0, 1, Message("unit_share")) if value else value

    @model_validator(mode="after")
    def _known_features(self) -> Site:
        known = (*SITE_FEATURES, *self.custom_features)
        for feature in self.features:
            if feature not in known:
                close = get_close_matches(feature, known, n=1)
                hint = Message("did_you_mean", suggestion=close[0]) if close else \
                    Message("declare_custom_feature")
                raise InvalidValue("unknown_site_feature", field="features", feature=feature,
                                   hint=hint)
        return self

    @field_validator("growth_rate", "gdp_growth")
    @classmethod
    def _rates(cls, value: Any) -> Any:
        paths = value.values() if isinstance(value, dict) and all(
            isinstance(k, str) for k in value) else [value]
        for rates in paths:
            numbers = rates.values() if isinstance(rates, dict) else [rates]
            if any(not -0.5 <= r <= 0.5 for r in numbers):  # `le` for the hint 2 -> 0.02
                raise PydanticCustomError("rate_range", "rates must lie between -0.5 and "
                                          "0.5 per year", {"le": 0.5})
        return value

    @field_validator("weights")
    @classmethod
    def _usable_weights(cls, value: dict[str, float]) -> dict[str, float]:
        if any(not v >= 0 for v in value.values()) or not 0 < sum(value.values()) < math.inf:
            raise InvalidValue("weights_positive_sum")
        return value

    @model_validator(mode="after")
    def _uncertainty(self) -> Site:
        """Checked here, not per field, so that an error names `uncertainty.INPUT`."""
        ranges = check_uncertainty(self.uncertainty)
        check_rate_range(ranges, self.discount_rate or self.assumptions.discount_rate)
        return self

    @property
    def first_start_year(self) -> int:
        """The first year a measure can start: `start_year`, else the year after the base
        year (the emissions data's year)."""
        return self.start_year or self.base_year + 1

    @property
    def goal_year(self) -> int:
        """The year of the site's target, or its target year when it sets none."""
        return self.target.year if self.target else self.target_year

    def drawn_range(self, name: str) -> tuple[float, float] | str | None:
        """The profile's Monte Carlo range of an input: (low, high), "fixed" or None."""
        given = self.uncertainty.get(name)
        return given if given is None or isinstance(given, str) else tuple(given)

    @model_validator(mode="after")
    def _years(self) -> Site:
        if self.target_year <= self.base_year:
            raise InvalidValue("target_year_not_after", field="target_year",
                               year=self.target_year, base=self.base_year)
        if self.start_year is not None and not \
                self.base_year < self.start_year <= self.target_year:
            raise InvalidValue("start_year_outside", field="start_year", year=self.start_year,
                               first=self.base_year + 1, last=self.target_year)
        for key in ("target", "intensity_target"):
            target = getattr(self, key)
            if target and not self.base_year < target.year <= self.target_year:
                raise InvalidValue("target_year_outside", field=key, year=target.year,
                                   first=self.base_year + 1, last=self.target_year)
        if self.intensity_target and self.gdp is None:
            raise InvalidValue("gdp_needed", field="gdp")
        both = sorted(set(self.include) & set(self.exclude))
        if both:
            raise InvalidValue("also_excluded", field="include", id=both[0])
        if self.total_baseline <= 0:
            raise InvalidValue("no_emissions", field="baseline")
        if not self.total_baseline <= MAX_BASELINE_T:
            raise InvalidValue("beyond_any_site", field="baseline",
                               total=f"{self.total_baseline:.3g}", limit=f"{MAX_BASELINE_T:.3g}")
        overlap = [f"{s}.{QUANTITIES[q][0]}" for s, amounts in self.energy.items()
                   for q in amounts if QUANTITIES[q][0] in self.baseline.get(s, {})]
        if overlap:
            raise InvalidValue("given_twice", field="energy", cell=overlap[0])
        self._check_factors()
        return self

    def _check_factors(self) -> None:
        """The model keeps a cell's energy as its emissions over its factor in the base
        year: a cell with energy needs a factor above 0 there."""
        electric = any("electricity" in cells for cells in self.baseline.values()) or any(
            "electricity_mwh" in amounts for amounts in self.energy.values())
        if electric and interpolate(self.grid_path(), [self.base_year])[0] <= 0:
            field, prefix = ("grid", "") if self.grid else ("assumptions", "grid_factor: ")
            raise InvalidValue("zero_base_factor", field=field, prefix=prefix,
                               year=self.base_year)
        factors = self.assumptions.emission_factors
        for sector, cells in self.baseline.items():
            for carrier, tonnes in cells.items():
                if tonnes > 0 and factors.get(carrier, 1.0) <= 0:
                    raise InvalidValue("zero_factor_baseline", field="baseline",
                                       cell=f"{sector}.{carrier}", tonnes=f"{tonnes:g}",
                                       carrier=carrier)
        for sector, amounts in self.energy.items():
            for key, amount in amounts.items():
                carrier, _, tonnes = QUANTITIES[key]
                if amount > 0 and tonnes and factors.get(carrier, 1.0) <= 0:
                    raise InvalidValue("zero_factor_energy", field="assumptions",
                                       carrier=carrier, cell=f"{sector}.{key}")

    def grid_path(self) -> dict[int, float]:
        """The site's grid emission factor path (its own, or the Guangdong default)."""
        return self.grid or self.assumptions.grid_factor

    def cells(self) -> dict[tuple[str, str], float]:
        """Base-year tCO2e/yr by (sector, carrier): `baseline` plus `energy` converted."""
        table = {(s, c): v for s, cells in self.baseline.items() for c, v in cells.items()}
        base_factor = interpolate(self.grid_path(), [self.base_year])[0]
        for sector, amounts in self.energy.items():
            for key, amount in amounts.items():
                carrier, _, tonnes = QUANTITIES[key]
                per_unit = base_factor if tonnes is None else tonnes
                table[sector, carrier] = table.get((sector, carrier), 0.0) + amount * per_unit
        return {cell: v for cell, v in table.items() if v > 0}

    @property
    def total_baseline(self) -> float:
        return float(sum(self.cells().values()))

    def remarks(self) -> tuple[str, ...]:
        """What a reader of the profile should know, as sentences: what is valid but
        implausible (a unit slip, most likely), what `roadmap init` wrote as an example and
        is still there, then the loader's `notes`."""
        implausible = (f"baseline: {self.total_baseline:,.0f} tCO2e/yr is more than all of "
                       "Guangdong's industrial parks emitted in 2016: check the units (t, not "
                       "kg)",) if self.total_baseline > GUANGDONG_PARKS_T else ()
        examples = [*(["name"] if self.name == TEMPLATE_NAME else []),
                    *(f"sources.{key}" for key, text in self.sources.items()
                      if text == TEMPLATE_SOURCE)]
        template = (f"still the template's example: {', '.join(examples)}; replace it with "
                    "the site's own",) if examples else ()
        # a historical base year otherwise puts the first phase decades back, unremarked
        start = () if self.start_year else (
            f"the plan is taken to start in {self.base_year + 1}, the year after the base "
            f"year {self.base_year} (the profile gives no start_year); set start_year for a "
            "plan that starts later",)
        return (*implausible, *template, *start, *self.notes)

    def sector_shares(self) -> dict[str, float]:
        total, shares = self.total_baseline, dict.fromkeys(SECTORS, 0.0)
        for (sector, _), value in self.cells().items():
            shares[sector] += value / total
        return shares

    def growth_of(self, sector: str) -> Rates:
        """The growth rate(s) of one sector (a sector not named in a by-sector table: 0)."""
        rates = self.growth_rate
        if isinstance(rates, dict) and rates and all(isinstance(k, str) for k in rates):
            return rates.get(sector, 0.0)
        return rates

    def growth_path(self, rates: Rates, years: range) -> list[float]:
        """Index (base year = 1) for each year under a constant or piecewise growth rate."""
        index, values = 1.0, []
        for year in years:
            values.append(index)
            index *= 1 + rate_in(rates, year)
        return values

    @property
    def domains(self) -> tuple[str, ...]:
        return (self.domain, *[d for d in self.extra_domains if d != self.domain])


def legacy_table(baseline: dict[str, float], domain: str | None,
                 assumptions: Assumptions) -> dict[str, dict[str, float]]:
    """The old {source: t} baseline as {sector: {carrier: t}} (see `LEGACY_CELLS`)."""
    own = SECTOR_OF_DOMAIN.get(domain or "", "residential")
    building_sector = "commercial" if domain in ("building", "park", "enterprise",
                                                 "transport") else "residential"
    split = assumptions.electricity_split.get(domain or "", {own: 1.0})
    table: dict[str, dict[str, float]] = {}

    def add(sector: str, carrier: str, amount: float) -> None:
        if amount != 0:  # a negative amount stays, for validation to refuse
            cells = table.setdefault(sector, {})
            cells[carrier] = cells.get(carrier, 0.0) + amount

    for source, amount in baseline.items():
        if source == "electricity":
            for sector, share in split.items():
                add(sector, "electricity", amount * share)
        elif source == "building_fuel":
            add(building_sector, "lpg", amount)
        else:
            add(*LEGACY_CELLS[source], amount)
    return table


def interpolate(path: dict[int, float], years: Any) -> list[float]:
    """A {year: value} path at `years`: linear between points, flat beyond the ends."""
    points = sorted(path.items())
    values = []
    for year in years:
        after = bisect_left(points, (year, float("-inf")))
        if after == 0 or after == len(points):
            values.append(points[min(after, len(points) - 1)][1])
            continue
        (y0, v0), (y1, v1) = points[after - 1], points[after]
        values.append(v0 + (v1 - v0) * (year - y0) / (y1 - y0))
    return values


def rate_in(rates: Rates, year: int) -> float:
    """The rate in force in `year`: a constant, or the latest {year: rate} entry at or before
    it (years before the first entry take the first rate)."""
    if not isinstance(rates, dict):
        return rates
    started = [y for y in rates if y <= year]
    return rates[max(started)] if started else rates[min(rates)]


def _refuse_negative(amounts: dict[str, float], prefix: str) -> None:
    """Emissions below zero (or NaN) refused, naming the cell (`prefix` + key) and value."""
    for key, amount in amounts.items():
        if not amount >= 0:
            raise InvalidValue("not_allowed_hint", value=f"{amount:g}", hint="",
                               field=prefix + key, allowed=Message("emission_cell"))


def load_site(path: str | Path, catalog: Catalog | None = None) -> Site:
    """Read and validate a site profile (with the tables it names by `{file: ...}`, see
    `inputs.tables`); with a catalog, its include/exclude ids are checked.

    >>> site = roadmap.load_site("catalogs/sites/xiaolan-town.yaml", catalog)
    >>> site.name
    '小榄镇 Xiaolan Town'
    """
    path = Path(path)
    data = read_yaml(path)
    if data is None:  # nothing but blanks and comments
        raise InputError(path, "file_is_empty", allowed=Message("a_site_profile"))
    if not isinstance(data, dict):
        raise InputError(path, "expected_site_keys", allowed=", ".join(ALLOWED))
    if data.get("implementation") is not None:  # its errors name the item's own line
        check_implementation(data["implementation"], path)
    raw, data = data, with_tables(data, path, {"baseline": CARRIERS, "energy": QUANTITIES})
    try:
        site = site_from_dict(without_lines(data), path)
        if catalog is not None:
            check_ids(site, catalog, path)
    except InputError as error:
        raise _with_line(error, path, raw) from None
    return site


def _with_line(error: InputError, path: Path, data: Any = None) -> InputError:
    """The error with the line of the key it is about, when the file has one: the deepest
    key of its field (an unknown id under `measures`: the id's own) found through the
    mappings of `data` (the file as read, with their lines), else the top-level key's."""
    if error.where or not error.field:
        return error
    lines = path.read_text(encoding="utf-8").splitlines()
    keys = error.field.split(".")
    if error.field == "measures" and error.message.key == "unknown_id_hint":
        keys.append(error.message.params["id"])
    number = next((n for n, line in enumerate(lines, 1)
                   if re.match(rf"{re.escape(keys[0])}\s*:", line)), None)
    node = data.get(keys[0]) if isinstance(data, dict) else None
    for key in keys[1:] if number else ():
        if not (isinstance(node, dict) and key in node):
            break
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*:", re.MULTILINE)
        found = next((n for n in range(max(node.get(LINE_KEY, number), number), len(lines) + 1)
                      if pattern.search(_flow_split(lines[n - 1]))), None)
        if found is None:
            break
        number, node = found, node[key]
    if number is None:
        return error
    return error.replaced(where=Message("line", line=number))


def _flow_split(line: str) -> str:
    """A line without its comment, each entry of a flow mapping (`{a: 1, b: 2}`) on a line
    of its own, so that a key starts one."""
    return re.sub(r"[{,]\s*", "\n", line.split("#")[0])


def check_ids(site: Site, catalog: Catalog, path: str | Path = "site") -> None:
    known = [tech.id for tech in catalog]
    for key in ("include", "exclude", "measures"):
        for tech_id in getattr(site, key):
            if tech_id not in catalog:
                close = get_close_matches(tech_id, known, n=1)
                hint = Message("did_you_mean", suggestion=close[0]) if close else ""
                raise InputError(path, "unknown_id_hint", id=tech_id, hint=hint, field=key,
                                 allowed=Message("ids_from_the_list"))
    _check_overlapping_include(site, catalog, path)
    for action in site.implementation.actions if site.implementation else ():
        for tech_id in action.measures:
            if tech_id not in catalog:
                raise _with_line(InputError(
                    path, "action_unknown_id", action=action.id, id=tech_id,
                    field="implementation.actions.measures",
                    allowed=Message("ids_from_the_list")), Path(path))


def _check_overlapping_include(site: Site, catalog: Catalog, path: str | Path) -> None:
    """Two included measures that count the same abatement (one restates or includes the
    other, or both include a third) cannot both be in a roadmap."""
    conflicts = exclusive_conflicts(catalog)
    for position, first in enumerate(site.include):
        for second in site.include[position + 1:]:
            if conflicts.has_edge(first, second):
                raise InputError(path, "includes_overlap", first=first, second=second,
                                 detail=conflicts.edges[first, second]["why"],
                                 field="include", allowed=Message("one_of_overlapping"))


def site_from_dict(data: dict[str, Any], name: str | Path = "site") -> Site:
    """Build a site from plain data (a notebook's dict); errors name `name` as the file,
    now and later in the analysis (`Site.file`).

    >>> office = roadmap.site_from_dict({"name": "office", "domain": "building",
    ...                                  "baseline": {"commercial": {"electricity": 800}}})
    >>> office.cells()
    {('commercial', 'electricity'): 800.0}
    """
    if isinstance(data, dict) and "notes" in data:  # the loader's own remarks, not a key
        raise InputError(name, "unknown_field", field="notes",
                         allowed=", ".join(written_fields(Site)))
    if isinstance(data, dict) and data.get("implementation") is not None:
        check_implementation(data["implementation"], name)
    site = validated(Site, data, name, None, ALLOWED)
    site._file = str(name)
    return site
