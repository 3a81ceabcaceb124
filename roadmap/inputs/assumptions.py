"""Every default the engine needs beyond a site profile, in one place, each with its source
and its range.

A value from a document names it (seed file and table or section, or the published standard);
a value the documents do not give is marked "project assumption" with its reasoning. A site
profile may override any of them under `assumptions:` (tables may be given in part: the rest
keeps its defaults). `source_of(name)` and `range_of(name)` feed the README's table, the
report's assumptions annex and the Monte Carlo draws.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..errors import InvalidValue, Message
from .vocabulary import (
    CARRIERS,
    DOMAINS,
    EFFECT_TYPES,
    SECTOR_GROUPS,
    SECTORS,
    SUPPLY_SCALES,
)

GRADES = (1, 2, 3, 4, 5)
IPCC_2006 = ("IPCC 2006 Guidelines vol. 2 ch. 1 table 1.4 (default CO2 emission factors, "
             "kg/TJ) x 3.6e-6 (TJ per MWh, kg to t)")
# Old assumption names that a profile may still use, and what became of them.
RENAMED = {"abatement_fraction": "caps.efficiency"}
RETIRED = {
    "cross_cutting_effect": "enabling measures now have their own caps (caps.enabling)",
    "sink_scale": "sinks are now sized by area (land_area_ha, measures.ID.area_ha)",
}


def _field(default: Any, source: str, low_high: tuple[float, float] | str, **limits: Any) -> Any:
    """A field with its source and its range (a (low, high) pair, or a rule in words for
    tables, whose ranges are given by `range_of`)."""
    factory = {"default_factory": (lambda: dict(default))} if isinstance(default, dict) else {
        "default": default}
    return Field(**factory, **limits, json_schema_extra={"source": source, "range": low_high})


def _grade_table(values: tuple[float, ...]) -> dict[int, float]:
    return dict(zip(GRADES, values, strict=True))


# Technical potential of one measure by ▼ grade and effect type: the largest share of its
# cells it reaches at full adoption (supply: of the site's electricity; sink: of its land).
DEFAULT_CAPS = {
    # 2-15 %: the earlier one-level model's shares, calibrated on Xiaolan's direct actions
    # (catalog rows nearest to them cut 24 % of the 2010 inventory against the plan's 27 %,
    # seed 000 table 5-5); now applied to the narrower cells a measure acts on.
    "efficiency": _grade_table((0.02, 0.04, 0.07, 0.10, 0.15)),
    "structure": _grade_table((0.03, 0.06, 0.10, 0.15, 0.20)),
    "electrification": _grade_table((0.05, 0.10, 0.20, 0.35, 0.50)),
    "fuel_switch": _grade_table((0.05, 0.10, 0.20, 0.35, 0.50)),
    "supply": _grade_table((0.01, 0.02, 0.04, 0.07, 0.10)),
    "capture": _grade_table((0.05, 0.10, 0.20, 0.30, 0.40)),
    "sink": _grade_table((0.005, 0.01, 0.02, 0.03, 0.05)),
    "enabling": _grade_table((0.005, 0.01, 0.015, 0.02, 0.03)),
}
# The part of a site's transport energy that the measures requiring a feature act on, and
# the part of its building energy that new buildings use, with their ranges (project
# assumption: `Assumptions.feature_shares`); FEATURE_SECTORS: the sectors each share is of.
FEATURE_SHARE_TABLE = {"port": (0.10, 0.03, 0.30), "cargo_port": (0.02, 0.005, 0.05),
                       "airport": (0.10, 0.03, 0.30), "new_build": (0.40, 0.20, 0.50)}
FEATURE_SECTORS = {"port": ("transport",), "cargo_port": ("transport",),
                   "airport": ("transport",), "new_build": SECTOR_GROUPS["buildings"]}
DEFAULT_FEATURE_SHARES = {name: value for name, (value, _, _) in FEATURE_SHARE_TABLE.items()}
FEATURE_SHARE_RANGES = {name: (low, high) for name, (_, low, high) in FEATURE_SHARE_TABLE.items()}
# The latest published grid factor: Monte Carlo draws vary a grid path only after it.
GRID_MEASURED_UNTIL = 2022
CAP_SPREAD = (0.6, 1.4)  # each cap's range: x0.6 to x1.4 (project assumption)

# Guangdong energy prices, yuan/MWh of final energy, tax included: (default, low, high) by
# carrier and sector ("all": any sector not named). docs/economics.md gives each source with
# its date and the conversion; calorific values are GB/T 2589's (as `energy:` quantities in
# site.py), except coal, priced as 5500 kcal/kg thermal coal (6.397 MWh/t), and steam at
# 2.8 GJ/t (project assumption). PRICE_SOURCES says where each carrier's figures come from.
PRICE_TABLE = {
    "electricity": {"all": (650, 560, 750), "industry": (650, 560, 750),
                    "commercial": (700, 600, 800), "residential": (600, 500, 750),
                    "energy_supply": (463, 372, 554)},
    "coal": {"all": (122, 98, 149)}, "oil": {"all": (755, 667, 864)},
    "gas": {"all": (409, 327, 424)}, "lpg": {"all": (555, 366, 612)},
    "heat": {"all": (341, 251, 579)}, "biomass": {"all": (183, 129, 258)},
}
PRICE_SOURCES = {
    "electricity": "energy_supply = Guangdong's 2024 power-market reference price 0.463 "
                   "yuan/kWh, annual trades capped at 0.372-0.554 (Guangdong Energy Bureau and "
                   "NEA Southern office, notice on 2024 market trading, reported by solarbe.com "
                   "2023-12-01); industry = that energy price + 0.19 yuan/kWh of network charges "
                   "and surcharges (project assumption: no citable Guangdong transmission tariff "
                   "found), against China Briefing's national industrial average of about "
                   "US$0.088/kWh in 2024 (0.62 yuan at 7.06 yuan/US$); commercial (+0.05 for "
                   "lower voltage) and residential (the tiers' order) are project assumptions",
    "coal": "5500 kcal thermal coal at Qinhuangdao: long-term composite 720, spot 895 yuan/t "
            "(Bohai-Rim index report of 2022-03-29, cei.cn), NDRC's reasonable long-term range "
            "570-770 (Reuters, 2022-02-24); + 60 yuan/t sea freight and handling to Guangdong "
            "(project assumption)",
    "oil": "Guangdong's maximum retail prices from 2024-09-21 (Guangdong DRC): 0# diesel 8,200 "
           "yuan/t (692 yuan/MWh), 92# petrol 9,779 (817), mean of the two; low = diesel "
           "wholesale 7,900, high = 95# petrol 10,332",
    "gas": "Guangzhou's ceiling for non-residential pipeline gas, 4.42 yuan/m3 from 2024-07-20 "
           "(4.58 before; Guangzhou Development announcement, futunn.com); low = 20 % below the "
           "ceiling for large contracts (project assumption)",
    "lpg": "Zhongshan's ceiling for a 15 kg cylinder, 116 yuan (128 at the year's high; "
           "zw-screw.com, year not stated); low = Argus Pearl River Delta wholesale index, 2024 "
           "average 5,097 yuan/t (argusmedia.com, 2025)",
    "heat": "steam 265 yuan/t: the 900-1,800 t/month band of a coal-fired central-heating "
            "tariff in Zhejiang (Huachuan Group, from 2024-03-25; 235-315 by volume, 195-275 "
            "from 2025-05-25), no Guangdong tariff found; high = Guangdong gas-fired industrial "
            "steam 390-450 yuan/t (comicbopk.com, undated)",
    "biomass": "mixed-wood pellets 850 yuan/t at 4,000 kcal/kg (richimachinery.com, undated, "
               "'a certain area of China'); low = straw pellets 450 yuan/t at 3,000 kcal/kg; "
               "high = 1,200 yuan/t, the project's earlier delivered-price assumption",
}
DEFAULT_PRICES = {carrier: {sector: float(value) for sector, (value, _, _) in table.items()}
                  for carrier, table in PRICE_TABLE.items()}
PRICE_RANGES = {carrier: {sector: (float(low), float(high))
                          for sector, (_, low, high) in table.items()}
                for carrier, table in PRICE_TABLE.items()}
PRICE_CARRIERS = tuple(DEFAULT_PRICES)


class Assumptions(BaseModel):
    """Numbers the engine needs that a site profile does not give (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    # ----------------------------------------------------------------- ranking
    cross_cutting_relevance: float = _field(
        0.5, "project assumption: planning and management act on every source, but only "
        "through the measures they enable", (0.25, 0.75), ge=0, le=1)
    sink_relevance: float = _field(
        0.2, "project assumption: a sink offsets emissions without cutting a source",
        (0.1, 0.3), ge=0, le=1)
    weight_spread: float = _field(
        0.3, "project assumption: sensitivity draws scale each weight by U(1-s, 1+s)",
        (0.1, 0.5), gt=0, lt=1)
    unstable_band: tuple[float, float] = _field(
        (0.1, 0.9), "project assumption: a top-k share inside this band flags an unstable "
        "place", "each bound 0-1, low < high")

    # ----------------------------------------------------------------- energy and emissions
    emission_factors: dict[str, float] = _field(
        {"coal": 0.3406, "oil": 0.2668, "gas": 0.2020, "lpg": 0.2272, "heat": 0.396,
         "biomass": 0.0},
        f"tCO2/MWh of fuel: {IPCC_2006}: other bituminous coal 94,600, gas/diesel oil 74,100 "
        "(oil products), natural gas 56,100, LPG 63,100; heat 0.11 tCO2/GJ, the default of "
        "GB/T 32150-2015 and the NDRC enterprise accounting guidelines; biomass CO2 is "
        "biogenic (IPCC reports it separately). Ranges: the same table's lower and upper "
        "values (coal 89,500-99,700, gas 54,300-58,300, LPG 61,600-65,600); oil from motor "
        "gasoline's 69,300 to residual fuel oil's 77,400 (the product mix); heat from a gas "
        "boiler at 90 % efficiency to a coal boiler at 75 % (project assumption)",
        {"coal": (0.3222, 0.3589), "oil": (0.2495, 0.2786), "gas": (0.1955, 0.2099),
         "lpg": (0.2218, 0.2362), "heat": (0.22, 0.45), "biomass": (0.0, 0.0)})
    grid_factor: dict[int, float] = _field(
        {2012: 0.5271, GRID_MEASURED_UNTIL: 0.387, 2050: 0.144},
        "tCO2/MWh: 2012 = the Southern regional grid's average factor (NDRC Department of "
        "Climate Change, 2011 and 2012 average CO2 emission factors of China's regional "
        "grids, 2014); 2022 = the Southern region's average electricity factor (MEE and NBS, "
        "notice on 2022 electricity CO2 emission factors, 2024); 2050 = (1 - 0.82) x 0.80: "
        "the 82 % non-fossil power of 2050 in the study's outlook (seed 003 ch. 8) times a "
        "fossil-fleet intensity of 0.80 (MEE's 2022 national fossil-power factor 0.8325, "
        "with more gas); linear between, the 2012 value before (earlier factors were "
        "higher: give a site's own `grid` for them); range x0.8 to x1.2 of the path after "
        "2022 (project assumption)", (0.8, 1.2))
    full_load_hours: dict[str, float] = _field(
        {"pv": 1000.0, "wind": 2200.0, "chp": 4000.0, "mixed": 1500.0},
        "h/yr: PV = Xiaolan's plan (seed 000 sec. 4.1 action 4: 150 MW give 1.5亿 kWh a "
        "year); wind, chp and mixed are project assumptions (onshore wind in Guangdong "
        "below IRENA's 2021 global capacity factor of 39 %; a CHP unit run for heat "
        "demand; a PV-heavy mix)",
        {"pv": (900, 1150), "wind": (1800, 2600), "chp": (3000, 5000), "mixed": (1100, 2000)})
    electricity_split: dict[str, dict[str, float]] = _field(
        {"town": {"industry": 0.62, "commercial": 0.17, "residential": 0.17, "transport": 0.01,
                  "agriculture": 0.01, "waste": 0.02}},
        "share of a town's electricity by sector when a profile gives it as one figure: "
        "project assumption informed by Guangdong's 2016 energy use (seed 003 table 4-1: "
        "industry and construction 60 %, households 16 %, trade and other services 11 %; "
        "transport's 11 % is mostly oil); other domains map to their own sector (README)",
        "each share +-30 %, renormalised")
    sink_uptake_per_mu: float = _field(
        0.5, "tCO2 per 亩 per year: the typical forest uptake quoted by Jiangmen's plan "
        "(seed 001 ch. 5: 0.5 t CO2 per 亩 a year, up to 1.2 when growing well)",
        (0.5, 1.2), gt=0, le=5)

    # ----------------------------------------------------------------- measures
    caps: dict[str, dict[int, float]] = _field(
        DEFAULT_CAPS, "project assumption: technical potential of one measure by ▼ grade "
        "(README's model page)", f"each cap x{CAP_SPREAD[0]}-x{CAP_SPREAD[1]}")
    feature_shares: dict[str, float] = _field(
        DEFAULT_FEATURE_SHARES,
        "project assumption: the share of a site's transport energy used by the equipment "
        "of a feature, the part of the transport cells that a measure requiring the feature "
        "acts on: ships calling at the site's ports (port), cargo-port cranes and yard "
        "machinery (cargo_port), aircraft fuelled at its airport (airport); road vehicles "
        "and rail use the rest. An order of magnitude for a town or city with the feature "
        "(road transport burns most of a Chinese city's transport fuel); the documents give "
        "no split: give the site's own. And the share of its building energy used in its "
        "target year by buildings built after the plan starts, the part that design "
        "choices for new buildings act on (new_build): a stock grown and renewed by 1-3 % "
        "a year over the 24 years from 2027 to 2050 is 21-52 % new (2 %: 38 %); give the "
        "site's own, smaller for a nearer target year", FEATURE_SHARE_RANGES)
    adoption_at_end: float = _field(
        0.95, "project assumption: the S-curve reaches this share of full adoption at the end "
        "of the popularisation period (the study's ○: widespread)", (0.85, 0.99),
        gt=0.5, lt=1)
    autonomous_uptake: float = _field(
        0.5, "project assumption: mature technologies (applied before 2020) keep spreading "
        "without a programme; business as usual takes this share of their adoption curve "
        "and the roadmap is credited with the rest", (0.25, 0.75), ge=0, le=1)
    min_ramp_years: int = _field(
        5, "project assumption: a measure takes at least this many years from its start to "
        "wide adoption (when the site's base year is late in the study's period)", (3, 8),
        ge=1, le=30)
    near_zero_share: float = _field(
        0.05, "project assumption: near zero = net emissions at most this share of the base "
        "year", (0.02, 0.1), ge=0, lt=1)

    # ----------------------------------------------------------------- economics
    cost_effectiveness: dict[int, float] = _field(
        _grade_table((1.6, 4.0, 10.0, 25.0, 62.5)),
        "t/yr abated per 10k yuan invested by ➕ grade; 2.5-fold per grade, ➕3 = 10, about "
        "the 10.6 of Xiaolan's direct actions 1-6 (560,000 t/yr for 53,060 10k yuan, seed "
        "000 tables 5-4/5-5)",
        "each grade /1.58 to x1.58")
    lifetime_years: int = _field(
        15, "project assumption: the period an investment is spread over", (10, 25),
        ge=1, le=60)
    energy_prices: dict[str, dict[str, float]] = _field(
        DEFAULT_PRICES,
        "yuan per MWh of final energy in Guangdong, tax included, 2022-2024 prices: "
        + "; ".join(f"{carrier}: {source}" for carrier, source in PRICE_SOURCES.items()),
        PRICE_RANGES)
    price_escalation: float = _field(
        0.0, "project assumption: real energy prices constant; a yearly escalation applies "
        "from 2024, the year of the default prices", (-0.02, 0.03), ge=-0.1, le=0.1)
    discount_rate: float = _field(
        0.08, "social discount rate 8 %: NDRC & MOHURD, 建设项目经济评价方法与参数 (3rd ed., "
        "2006); SL 72-2013 allows 6 % for public-good projects", (0.06, 0.10), gt=0, le=0.3)
    carbon_price: float = _field(
        80.0, "yuan/tCO2e, the reference line of the cost curve: national ETS traded 43-106 "
        "yuan/t in 2021-2024 (first trade 52.78 on 2021-07-16; 2024 high 106.02: the "
        "Shanghai Environment and Energy Exchange's daily prices, figure to verify against "
        "its records); Guangdong's pilot below the national price in 2024; the reference "
        "line and its range are the project's", (40, 110), ge=0, le=5000)

    @model_validator(mode="before")
    @classmethod
    def _merge_partial_tables(cls, data: Any) -> Any:
        """A profile may give part of a table; the rest keeps its defaults. Old names map."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for old, new in RENAMED.items():
            if old in data:
                table, key = new.split(".")
                data[table] = {**data.get(table, {}), key: data.pop(old)}
        for old in RETIRED:
            data.pop(old, None)
        for name in ("emission_factors", "full_load_hours", "grid_factor",
                     "electricity_split", "caps", "feature_shares"):
            if isinstance(data.get(name), dict):
                default = cls.model_fields[name].default_factory()
                if name == "caps":
                    data[name] = {k: {**default.get(k, {}), **v} if isinstance(v, dict) else v
                                  for k, v in {**default, **data[name]}.items()}
                elif name != "grid_factor":  # a grid path replaces the default whole
                    data[name] = {**default, **data[name]}
        return data

    @field_validator("cost_effectiveness")
    @classmethod
    def _every_grade(cls, value: dict[int, float]) -> dict[int, float]:
        return _increasing_by_grade(value)

    @field_validator("caps")
    @classmethod
    def _caps(cls, value: dict[str, dict[int, float]]) -> dict[str, dict[int, float]]:
        for effect, table in value.items():
            if effect not in EFFECT_TYPES:
                raise InvalidValue("unknown_effect_type", effect=effect,
                                   types=", ".join(EFFECT_TYPES))
            _increasing_by_grade(table)
            if any(v >= 1 for v in table.values()):
                raise InvalidValue("shares_below_one", effect=effect)
        return value

    @field_validator("feature_shares")
    @classmethod
    def _feature_shares(cls, value: dict[str, float]) -> dict[str, float]:
        if set(value) - set(DEFAULT_FEATURE_SHARES) or any(not 0 <= v <= 1
                                                           for v in value.values()):
            raise InvalidValue("feature_shares_allowed",
                               features=", ".join(DEFAULT_FEATURE_SHARES))
        return value

    def feature_share(self, features: tuple[str, ...], sector: str) -> float:
        """The part of a cell in `sector` a measure limited by `features` (its
        `limiting_features`) acts on: the smallest share of those features that are
        shares of that sector (FEATURE_SECTORS); all of it where none is."""
        return min((self.feature_shares[f] for f in features
                    if f in self.feature_shares and sector in FEATURE_SECTORS[f]), default=1.0)

    @field_validator("emission_factors")
    @classmethod
    def _factors(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = set(value) - set(CARRIERS)
        if unknown or any(not 0 <= v <= 2 for v in value.values()):
            raise InvalidValue("factors_allowed", carriers=", ".join(
                c for c in CARRIERS if c not in ("electricity", "non_energy")))
        return value

    @field_validator("full_load_hours")
    @classmethod
    def _hours(cls, value: dict[str, float]) -> dict[str, float]:
        if set(value) - set(SUPPLY_SCALES) or any(not 0 < v <= 8760 for v in value.values()):
            raise InvalidValue("hours_allowed", scales=", ".join(SUPPLY_SCALES))
        return value

    @field_validator("electricity_split")
    @classmethod
    def _splits(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for domain, split in value.items():
            if domain not in DOMAINS or set(split) - set(SECTORS):
                raise InvalidValue("split_allowed", domains=", ".join(DOMAINS),
                                   sectors=", ".join(SECTORS))
            if abs(sum(split.values()) - 1) > 1e-6 or any(v < 0 for v in split.values()):
                raise InvalidValue("shares_sum_to_one", domain=domain)
        return value

    @field_validator("grid_factor")
    @classmethod
    def _grid(cls, value: dict[int, float]) -> dict[int, float]:
        return check_year_path(value, 0, 2, "tCO2/MWh")

    @field_validator("unstable_band")
    @classmethod
    def _band(cls, value: tuple[float, float]) -> tuple[float, float]:
        low, high = value
        if not 0 <= low < high <= 1:
            raise InvalidValue("two_shares")
        return value

    @field_validator("energy_prices", mode="before")
    @classmethod
    def _prices(cls, value: Any) -> dict[str, dict[str, float]]:
        return {**DEFAULT_PRICES, **check_prices(value)}

    def cap(self, effect: str, grade: int) -> float:
        return self.caps[effect][grade]

    def price(self, carrier: str, sector: str) -> float:
        """yuan/MWh of `carrier` in `sector` (non-energy cells: 0)."""
        table = self.energy_prices.get(carrier)
        return 0.0 if table is None else table.get(sector, table["all"])


PRICES_ALLOWED = Message("site_prices", carriers=", ".join(PRICE_CARRIERS),
                         sectors=", ".join(SECTORS))


def check_prices(value: Any) -> dict[str, dict[str, float]]:
    """Prices as {carrier: {sector or 'all': yuan/MWh}}; a number means every sector."""
    if not isinstance(value, dict):
        raise InvalidValue("not_a_mapping", value=repr(value))
    table = {}
    for carrier, given in value.items():
        by_sector = _carrier_prices(carrier, given)
        # a number replaces the carrier's table; sectors given refine its default
        default = DEFAULT_PRICES[carrier] if isinstance(given, dict) else {}
        table[carrier] = {**default, **{k: float(v) for k, v in by_sector.items()}}
        table[carrier].setdefault("all", DEFAULT_PRICES[carrier]["all"])
    return table


def _carrier_prices(carrier: Any, given: Any) -> dict:
    """One carrier's prices as {sector or 'all': yuan/MWh} (a number: 'all'); what is
    wrong is the error's problem, PRICES_ALLOWED what is allowed."""
    if carrier not in PRICE_CARRIERS:
        raise InvalidValue("unknown_carrier", carrier=carrier)
    by_sector = given if isinstance(given, dict) else {"all": given}
    for sector, price in by_sector.items():
        place = f"{carrier}.{sector}" if isinstance(given, dict) else carrier
        if sector not in (*SECTORS, "all"):
            raise InvalidValue("unknown_sector", sector=place)
        if isinstance(price, bool) or not isinstance(price, int | float) or \
                not 0 <= price <= 20000:
            raise InvalidValue("price_not_allowed", place=place, price=repr(price))
    return by_sector


def _increasing_by_grade(value: dict[int, float]) -> dict[int, float]:
    if sorted(value) != list(GRADES):
        raise InvalidValue("a_value_per_grade")
    ordered = [value[g] for g in GRADES]
    if any(v <= 0 for v in ordered):
        raise InvalidValue("values_positive")
    if ordered != sorted(ordered):
        raise InvalidValue("values_not_decreasing")
    return value


def check_year_path(value: dict[int, float], low: float, high: float,
                    unit: str | Message) -> dict[int, float]:
    """A {YEAR: value} path: years 1990-2100, values within [low, high]."""
    if not value:
        raise InvalidValue("at_least_one_year", unit=unit)
    for year, number in value.items():
        if not 1990 <= year <= 2100:
            raise InvalidValue("year_outside", year=year)
        if not low <= number <= high:
            raise InvalidValue("number_outside", year=year, number=number, low=low, high=high,
                               unit=unit)
    return dict(sorted(value.items()))


def source_of(name: str) -> str:
    return Assumptions.model_fields[name].json_schema_extra["source"]


def range_of(name: str) -> tuple[float, float] | str | dict:
    return Assumptions.model_fields[name].json_schema_extra["range"]
