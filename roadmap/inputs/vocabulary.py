"""The closed vocabularies shared by catalogs, site profiles and the CLI.

Domains and periods come from the study (seed 003); emission sources and site
features are the project's own vocabulary (documented in the README).
"""

from typing import Literal, get_args

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

# Site features a measure only makes sense with.
Feature = Literal["port", "airport", "rail", "steel", "cement", "aluminium", "farmland", "fishery"]
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
    "port", "airport", "rail", "steel", "cement", "aluminium", "farmland", "fishery",
    "energy_intensive", "coastal",
]
SITE_FEATURES: tuple[str, ...] = get_args(SiteFeature)

Region = Literal["prd", "east-west-wings", "northern-mountains"]
REGIONS: tuple[str, ...] = get_args(Region)

# Ranking criteria: the four defaults and the study's ★, used only when weighted explicitly.
Criterion = Literal["abatement", "economics", "readiness", "relevance", "stars"]
CRITERIA: tuple[str, ...] = get_args(Criterion)

Method = Literal["topsis", "vikor", "promethee_ii", "spotis", "copras", "wsm"]
METHODS: tuple[str, ...] = get_args(Method)
