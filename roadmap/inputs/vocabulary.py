"""The closed vocabularies shared by catalogs, site profiles and the CLI.

Domains and periods come from the study (seed 003); emission sources and site
features are the project's own vocabulary (documented in the README).
"""

from typing import Literal, get_args

from ..errors import InvalidValue

Domain = Literal["building", "transport", "enterprise", "park", "community", "town"]
DOMAINS: tuple[str, ...] = get_args(Domain)

# The study's three planning periods, in order (column 1, 2, 3 of its tables).
Period = Literal["2020-2025", "2025-2035", "2035-2050"]
PERIODS: tuple[str, ...] = get_args(Period)

# Emission sources a measure acts on. sink and cross_cutting are not baseline sources.
Address = Literal[
    "electricity",
    "industrial_fuel",
    "process",
    "transport_fuel",
    "building_fuel",
    "waste",
    "agriculture",
    "sink",
    "cross_cutting",
]
ADDRESSES: tuple[str, ...] = get_args(Address)

# Site features a measure only makes sense with. cargo_port: a port with cranes and yard
# machinery (container or bulk terminals), not only ferries and fishing boats. waste_fuel:
# combustible waste of the site's own (or taken in) to burn for power. furnace: fuel-fired
# industrial kilns or furnaces burning cold combustion air, which the study's burner
# technologies preheat (seed 003 sec. 4.3.1 (3), 工业炉窑); not a cement rotary kiln, whose
# clinker cooler already preheats it; waste_heat_boiler: a boiler raising steam from a kiln's,
# furnace's or process's exhaust (sec. 4.3.1 (2)). Gas-fired steam boilers are neither.
Feature = Literal["port", "cargo_port", "airport", "rail", "steel", "cement", "aluminium",
                  "farmland", "fishery", "waste_fuel", "furnace", "waste_heat_boiler"]
FEATURES: tuple[str, ...] = get_args(Feature)

# Which enterprises an enterprise-table technology fits (seed 003 table 4-5, 适用领域).
Applicability = Literal["energy_intensive", "non_energy_intensive", "both"]
APPLICABILITIES: tuple[str, ...] = get_args(Applicability)

DOMAIN_NAMES_ZH = {
    "building": "建筑",
    "transport": "交通",
    "enterprise": "工业企业",
    "park": "园区",
    "community": "社区",
    "town": "城镇",
}


def period_index(period: str | None) -> int:
    """0, 1, 2 for the study's periods; -1 for 'already applied before 2020'."""
    return -1 if period is None else PERIODS.index(period)

# Emission sources a site's baseline may list (addresses minus the two non-sources).
BaselineSource = Literal[
    "electricity", "industrial_fuel", "process", "transport_fuel", "building_fuel", "waste",
    "agriculture",
]
BASELINE_SOURCES: tuple[str, ...] = get_args(BaselineSource)

# What a site profile's `features` may name: the catalog's `requires` and site traits.
SiteFeature = Literal[
    "port", "cargo_port", "airport", "rail", "steel", "cement", "aluminium", "farmland", "fishery",
    "waste_fuel", "furnace", "waste_heat_boiler", "energy_intensive", "coastal", "new_build",
]
SITE_FEATURES: tuple[str, ...] = get_args(SiteFeature)

Region = Literal["prd", "east-west-wings", "northern-mountains"]
REGIONS: tuple[str, ...] = get_args(Region)

# Ranking criteria: what the site model predicts (site_abatement, t/yr in the target year;
# cost, yuan/t), the study's grades (▼ abatement, ➕ economics, ★ stars), timing (the phase
# a measure is widespread in) and the earlier readiness and relevance (README).
Criterion = Literal["site_abatement", "cost", "timing", "abatement", "economics", "stars",
                    "readiness", "relevance"]
CRITERIA: tuple[str, ...] = get_args(Criterion)
COST_CRITERIA = ("cost", "timing")  # lower is better

Method = Literal["topsis", "vikor", "promethee_ii", "spotis", "copras", "wsm"]
METHODS: tuple[str, ...] = get_args(Method)

# The site model's table: emissions by sector x energy carrier (see the README's model page).
# energy_supply holds power or heat generated on site from fuels; non_energy carries process,
# waste and agricultural emissions (tCO2e, no energy content).
Sector = Literal["industry", "commercial", "residential", "transport", "agriculture", "waste",
                 "energy_supply"]
SECTORS: tuple[str, ...] = get_args(Sector)
Carrier = Literal["electricity", "coal", "oil", "gas", "lpg", "heat", "biomass", "non_energy"]
CARRIERS: tuple[str, ...] = get_args(Carrier)
FUELS = ("coal", "oil", "gas", "lpg", "heat", "biomass")  # carriers with an energy content
FOSSIL = ("coal", "oil", "gas", "lpg")
# Shorthands a catalog's `effect.cells` may use: `buildings.electricity`, `all.fossil`.
SECTOR_GROUPS = {"all": SECTORS, "buildings": ("commercial", "residential")}
CARRIER_GROUPS = {"all": CARRIERS, "fossil": FOSSIL, "fuels": FUELS}

# What a measure does to the sector x carrier table (the README's model page).
EffectType = Literal["efficiency", "structure", "electrification", "fuel_switch", "supply",
                     "capture", "sink", "enabling"]
EFFECT_TYPES: tuple[str, ...] = get_args(EffectType)
# The study's grouping of contributions (seed 003 ch. 8), plus CCUS and enabling measures.
FUNCTION_OF_EFFECT = {
    "efficiency": "efficiency", "structure": "structure", "electrification": "electrification",
    "fuel_switch": "clean_power", "supply": "clean_power", "capture": "ccus", "sink": "sink",
    "enabling": "enabling",
}
FUNCTIONS = ("efficiency", "electrification", "clean_power", "structure", "ccus", "sink",
             "enabling")
SCENARIOS = ("bau", "roadmap", "potential")
SupplyScale = Literal["pv", "wind", "chp", "mixed"]
SUPPLY_SCALES: tuple[str, ...] = get_args(SupplyScale)

# The old one-level baseline sources, as the sector x carrier cells a measure addressing them
# acts on (for catalog entries without an `effect`; see the README).
CELLS_OF_SOURCE = {
    "electricity": ("all.electricity",),
    "industrial_fuel": ("industry.fuels",),
    "process": ("industry.non_energy",),
    "transport_fuel": ("transport.fuels",),
    "building_fuel": ("buildings.fuels",),
    "waste": ("waste.non_energy",),
    "agriculture": ("agriculture.all",),
}


def expand_cells(expressions: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """`sector.carrier` expressions (with the groups above) as (sector, carrier) pairs, in
    table order; raises ValueError naming a bad expression."""
    wanted = set()
    for expression in expressions:
        sector, _, carrier = expression.partition(".")
        sectors = SECTOR_GROUPS.get(sector, (sector,) if sector in SECTORS else None)
        carriers = CARRIER_GROUPS.get(carrier, (carrier,) if carrier in CARRIERS else None)
        if not sectors or not carriers:
            raise InvalidValue("not_sector_carrier", expression=expression,
                               sectors=", ".join([*SECTORS, *SECTOR_GROUPS]),
                               carriers=", ".join([*CARRIERS, *CARRIER_GROUPS]))
        wanted.update((s, c) for s in sectors for c in carriers)
    return [(s, c) for s in SECTORS for c in CARRIERS if (s, c) in wanted]
