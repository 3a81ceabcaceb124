"""Site profiles: the YAML contract of a concrete town, park, enterprise... (see the README)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..errors import InputError
from .assumptions import Assumptions
from .catalog import Catalog
from .files import read_yaml, validated, without_lines
from .vocabulary import (
    BASELINE_SOURCES,
    CRITERIA,
    DOMAINS,
    METHODS,
    REGIONS,
    SITE_FEATURES,
    BaselineSource,
    Criterion,
    Domain,
    Method,
    Region,
    SiteFeature,
)

DEFAULT_WEIGHTS = {"abatement": 0.35, "economics": 0.30, "readiness": 0.15, "relevance": 0.20}

ALLOWED = {
    "name": "any text",
    "domain": ", ".join(DOMAINS),
    "region": ", ".join(REGIONS),
    "base_year": "a year 1990-2100",
    "target_year": "a year 1990-2100 after base_year",
    "baseline": "tCO2e/yr by source: " + ", ".join(BASELINE_SOURCES),
    "baseline.*": ", ".join(BASELINE_SOURCES),
    "growth_rate": "a fraction per year between -0.5 and 0.5, or {YEAR: fraction, ...}",
    "gdp": "base-year GDP in 10k yuan (万元)",
    "gdp_growth": "a fraction per year, or {YEAR: fraction, ...} (each from that year on)",
    "intensity_target": "{reduction: fraction 0-1 of CO2 per GDP below the base year, "
                        "year: YEAR}; needs gdp",
    "intensity_target.*": "reduction, year",
    "target": "{reduction: fraction 0-1, year: YEAR}",
    "target.*": "reduction, year",
    "features": "any of " + ", ".join(SITE_FEATURES),
    "budget": "a positive amount in 10k yuan (万元)",
    "weights": "non-negative numbers for " + ", ".join(CRITERIA),
    "weights.*": ", ".join(CRITERIA),
    "method": ", ".join(METHODS),
    "include": "catalog ids",
    "exclude": "catalog ids",
    "extra_domains": "other domains whose measures are also considered: " + ", ".join(DOMAINS),
    "assumptions": "the project's assumptions (see the README)",
    "assumptions.*": ", ".join(Assumptions.model_fields),
}


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    reduction: float = Field(ge=0, le=1)
    year: int = Field(ge=1990, le=2100)


class Site(BaseModel):
    """A site profile. Defaults: base year 2020, target year 2050, no growth, TOPSIS."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    name: str = Field(min_length=1)
    domain: Domain
    region: Region | None = None
    base_year: int = Field(2020, ge=1990, le=2100)
    target_year: int = Field(2050, ge=1990, le=2100)
    baseline: dict[BaselineSource, float]
    growth_rate: float | dict[int, float] = 0.0
    target: Target | None = None
    gdp: float | None = Field(None, gt=0)
    gdp_growth: float | dict[int, float] = 0.0
    intensity_target: Target | None = None
    features: tuple[SiteFeature, ...] = ()
    budget: float | None = Field(None, gt=0)
    weights: dict[Criterion, float] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    method: Method = "topsis"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extra_domains: tuple[Domain, ...] = ()
    assumptions: Assumptions = Field(default_factory=Assumptions)

    @field_validator("baseline")
    @classmethod
    def _positive_baseline(cls, value: dict[str, float]) -> dict[str, float]:
        if any(v < 0 for v in value.values()):
            raise ValueError("emissions must be >= 0")
        if sum(value.values()) <= 0:
            raise ValueError("at least one source with emissions > 0 is needed")
        return value

    @field_validator("growth_rate", "gdp_growth")
    @classmethod
    def _rates(cls, value: float | dict[int, float]) -> float | dict[int, float]:
        rates = value.values() if isinstance(value, dict) else [value]
        if any(not -0.5 <= r <= 0.5 for r in rates):
            raise ValueError("rates must lie between -0.5 and 0.5 per year")
        return value

    @field_validator("weights")
    @classmethod
    def _usable_weights(cls, value: dict[str, float]) -> dict[str, float]:
        if any(v < 0 for v in value.values()) or sum(value.values()) <= 0:
            raise ValueError("weights must be >= 0 with a positive sum")
        return value

    @model_validator(mode="after")
    def _years(self) -> Site:
        if self.target_year <= self.base_year:
            raise ValueError(f"target_year: {self.target_year} is not after base_year "
                             f"{self.base_year}")
        for key in ("target", "intensity_target"):
            target = getattr(self, key)
            if target and not self.base_year < target.year <= self.target_year:
                raise ValueError(f"{key}: year {target.year} is outside "
                                 f"{self.base_year + 1}-{self.target_year}")
        if self.intensity_target and self.gdp is None:
            raise ValueError("gdp: missing; an intensity target needs the base-year GDP")
        return self

    @property
    def total_baseline(self) -> float:
        return float(sum(self.baseline.values()))

    def baseline_shares(self) -> dict[str, float]:
        total = self.total_baseline
        return {source: self.baseline.get(source, 0.0) / total for source in BASELINE_SOURCES}

    def growth_path(self, rates: float | dict[int, float], years: range) -> list[float]:
        """Index (base year = 1) for each year under a constant or piecewise growth rate."""
        index, values = 1.0, []
        for year in years:
            values.append(index)
            index *= 1 + rate_in(rates, year)
        return values

    @property
    def domains(self) -> tuple[str, ...]:
        return (self.domain, *[d for d in self.extra_domains if d != self.domain])


def rate_in(rates: float | dict[int, float], year: int) -> float:
    """The rate in force in `year`: a constant, or the latest {year: rate} entry at or before
    it (years before the first entry take the first rate)."""
    if not isinstance(rates, dict):
        return rates
    started = [y for y in rates if y <= year]
    return rates[max(started)] if started else rates[min(rates)]


def load_site(path: str | Path, catalog: Catalog | None = None) -> Site:
    """Read and validate a site profile; with a catalog, its include/exclude ids are checked."""
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError(path, "expected a mapping of site keys", allowed=", ".join(ALLOWED))
    site = site_from_dict(without_lines(data), path)
    if catalog is not None:
        check_ids(site, catalog, path)
    return site


def check_ids(site: Site, catalog: Catalog, path: str | Path = "site") -> None:
    for key in ("include", "exclude"):
        for tech_id in getattr(site, key):
            if tech_id not in catalog:
                raise InputError(path, f"unknown id '{tech_id}'", field=key,
                                 allowed="ids from `roadmap catalog list`")


def site_from_dict(data: dict[str, Any], name: str | Path = "site") -> Site:
    """Build a site from plain data (a notebook's dict); errors name `name` as the file."""
    return validated(Site, data, name, None, ALLOWED)
