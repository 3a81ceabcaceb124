"""The decision matrix of a site: its candidate measures, their criteria, and the exclusions.

Criteria (all benefit criteria: more is better):

| criterion | scale | from |
|---|---|---|
| abatement | 1-5 | the study's ▼ |
| economics | 1-5 | the study's ➕ (tCO2 abated per 10k yuan) |
| readiness | 0-1 | the two periods: (application score 0-3 + popularisation score 0-2) / 5 |
| relevance | 0-1 | share of the site's baseline on the sources the measure addresses |
| stars     | 1-5 | the study's ★, only when the weights name it explicitly |
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..inputs.assumptions import Assumptions
from ..inputs.catalog import Catalog, Technology
from ..inputs.site import Site
from ..inputs.vocabulary import period_index

# The range of each criterion, used by SPOTIS (which needs bounds) and for documentation.
CRITERION_BOUNDS = {
    "abatement": (1.0, 5.0),
    "economics": (1.0, 5.0),
    "readiness": (0.0, 1.0),
    "relevance": (0.0, 1.0),
    "stars": (1.0, 5.0),
}
EXCLUDED_COLUMNS = ["id", "domain", "name_zh", "name_en", "reason"]
INFO_COLUMNS = ["id", "domain", "category", "name_zh", "name_en", "application_period",
                "popularization_period", "recommendation", "note"]


def readiness(tech: Technology) -> float:
    """1.0 = applied before 2020 and widespread by 2025; 0.0 = both only after 2035."""
    application = 2 - period_index(tech.application_period)  # before 2020: 3, ..., 2035-50: 0
    popularization = min(2, 2 - period_index(tech.popularization_period))
    return (application + popularization) / 5


def relevance(tech: Technology, shares: dict[str, float], assumptions: Assumptions) -> float:
    """Share of the site's baseline the measure acts on (see `Assumptions` for the two others)."""
    if "cross_cutting" in tech.addresses:
        return assumptions.cross_cutting_relevance
    share = sum(shares.get(source, 0.0) for source in tech.addresses)
    if "sink" in tech.addresses:
        share += assumptions.sink_relevance
    return min(1.0, share)


@dataclass(frozen=True)
class DecisionMatrix:
    """Alternatives (rows) by criteria (columns), with the measures left out and why.

    `frame` has `INFO_COLUMNS` then one column per criterion, indexed by position;
    `excluded` has id, domain, name_zh, name_en, reason.
    """

    frame: pd.DataFrame
    criteria: tuple[str, ...]
    excluded: pd.DataFrame
    dropped: dict[str, str]  # criteria left out, with the reason

    @property
    def values(self) -> np.ndarray:
        return self.frame[list(self.criteria)].to_numpy(dtype=float)

    @property
    def types(self) -> np.ndarray:
        return np.ones(len(self.criteria))

    @property
    def ids(self) -> list[str]:
        return self.frame["id"].tolist()

    def subset(self, criteria: tuple[str, ...]) -> DecisionMatrix:
        """The same alternatives judged on fewer criteria."""
        return DecisionMatrix(self.frame, criteria, self.excluded, self.dropped)


def exclusion_reason(tech: Technology, site: Site, shares: dict[str, float]) -> str | None:
    """Why a measure of the site's domains does not apply to this site, or None."""
    if tech.id in site.exclude:
        return "excluded by the site profile"
    missing = [f for f in tech.requires if f not in site.features]
    if missing:
        return f"needs {', '.join(missing)}, which the site does not have"
    if tech.requires_any and not set(tech.requires_any) & set(site.features):
        return f"needs one of {', '.join(tech.requires_any)}, which the site does not have"
    if site.domain == "enterprise" and tech.applicability not in (None, "both"):
        wanted = "energy_intensive" if "energy_intensive" in site.features else \
            "non_energy_intensive"
        if tech.applicability != wanted:
            return f"fits {tech.applicability.replace('_', '-')} enterprises only"
    acted_on = [s for s in tech.addresses if s not in ("sink", "cross_cutting")]
    if acted_on and len(acted_on) == len(tech.addresses) and not any(shares[s] for s in acted_on):
        return f"acts only on {', '.join(acted_on)}, absent from the site's baseline"
    return None


def criterion_values(tech: Technology, shares: dict[str, float] | None = None,
                     assumptions: Assumptions | None = None) -> dict[str, float]:
    """Every criterion's value for one measure; relevance only when a baseline is given."""
    values = {
        "abatement": float(tech.abatement),
        "economics": float(tech.economics),
        "readiness": readiness(tech),
        "stars": float(tech.recommendation),
    }
    if shares is not None:
        values["relevance"] = relevance(tech, shares, assumptions or Assumptions())
    return values


def decision_matrix(catalog: Catalog, site: Site, criteria: tuple[str, ...] | None = None,
                    extra_domains: tuple[str, ...] = ()) -> DecisionMatrix:
    """The site's candidate measures and their criteria values.

    Candidates are the measures of the site's domain (and of `extra_domains`, the profile's
    or the argument's), less those that do not apply (kept in `excluded` with the reason);
    ids in the profile's `include` are always candidates. A criterion with the same value
    for every candidate cannot discriminate and is dropped (normalisation would divide by 0).
    """
    criteria = criteria or tuple(site.weights)
    domains = set(site.domains) | set(extra_domains)
    shares = site.baseline_shares()
    rows, excluded = [], []
    for tech in catalog:
        if tech.domain not in domains and tech.id not in site.include:
            continue
        reason = exclusion_reason(tech, site, shares)
        if reason and tech.id not in site.include:
            excluded.append({"id": tech.id, "domain": tech.domain, "name_zh": tech.name_zh,
                             "name_en": tech.name_en, "reason": reason})
            continue
        note = f"included by the profile ({reason})" if reason else (
            "included by the profile" if tech.id in site.include else "")
        rows.append(_row(tech, criteria, criterion_values(tech, shares, site.assumptions), note))
    return _matrix(rows, criteria, excluded)


def catalog_matrix(catalog: Catalog, domain: str,
                   criteria: tuple[str, ...] = ("abatement", "economics", "readiness"),
                   ) -> DecisionMatrix:
    """Every measure of a domain, no site: the study's own view (no relevance criterion)."""
    rows = [_row(t, criteria, criterion_values(t), "") for t in catalog if t.domain == domain]
    return _matrix(rows, criteria, [])


def _matrix(rows: list[dict], criteria: tuple[str, ...], excluded: list[dict]) -> DecisionMatrix:
    frame = pd.DataFrame(rows, columns=INFO_COLUMNS + list(criteria))
    dropped = {c: f"same value ({frame[c].iloc[0]:g}) for every measure"
               for c in criteria if len(frame) > 1 and frame[c].nunique() == 1}
    kept = tuple(c for c in criteria if c not in dropped)
    return DecisionMatrix(frame.drop(columns=list(dropped)), kept,
                          pd.DataFrame(excluded, columns=EXCLUDED_COLUMNS), dropped)


def _row(tech: Technology, criteria: tuple[str, ...], values: dict[str, float],
         note: str) -> dict:
    return {"id": tech.id, "domain": tech.domain, "category": tech.category,
            "name_zh": tech.name_zh, "name_en": tech.name_en,
            "application_period": tech.application_period,
            "popularization_period": tech.popularization_period,
            "recommendation": tech.recommendation, "note": note,
            **{c: values[c] for c in criteria}}
