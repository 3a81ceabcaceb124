"""The study's experts' ★ as a benchmark for the engine's score, honestly.

What ★ measures (seed 003, note ④ under each table): a synthesis of ▼ (abatement) and ➕
(economics) saying how hard R&D and promotion of a technology should be pushed in the
province. It is not a site's deployment priority, and agreeing with it is not validation: a
score that adds ▼ and ➕ with no parameter at all is the benchmark the engine is set against.

Per domain (and over all rows pooled), Kendall's tau-b between ★ and:
- the engine's default score: TOPSIS on ▼ and ➕ with the default weights. Readiness is left
  out: ★ runs against it (★ is highest for technologies not yet widespread);
- the ▼+➕ sum (parameter-free benchmark);
- an out-of-sample fit: least squares of ★ on ▼, ➕ and readiness fitted on the other five
  domains (less the rows that restate or are restated by the held-out domain's), tested on
  the held-out domain;
- readiness alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..inputs.catalog import Catalog
from ..inputs.vocabulary import DOMAINS
from .matrix import catalog_matrix, readiness
from .ranking import method_spec, rank
from .weights import normalised

STARS_MEANING = ("★ (seed 003, note ④) grades from ▼ and ➕ how hard R&D and promotion of a "
                 "technology should be pushed; it is a benchmark, not validation.")
SCORE_CRITERIA = ("abatement", "economics")  # the engine's default score, without readiness
# The study's view has no site: ▼ and ➕ in the earlier default's proportions (0.35 : 0.30).
EXPERT_WEIGHTS = {"abatement": 0.35, "economics": 0.30}
FIT_FEATURES = ("abatement", "economics", "readiness")
# The criteria a disagreement is explained by; "timing" is readiness, the periods' earliness.
DRIVERS = {"abatement": "abatement", "economics": "economics", "timing": "readiness"}


@dataclass(frozen=True)
class ExpertAgreement:
    """The engine's score, the ▼+➕ benchmark and an out-of-sample fit against ★.

    `summary`: domain (the six, then `all`: every row, scores pooled), measures, kendall_tau
    (tau-b, engine score vs ★), p_value, benchmark_tau (▼+➕ vs ★), out_of_sample_tau
    (least-squares fit on the other domains vs ★), readiness_tau (readiness vs ★).
    `fits`: held_out (domain), training_rows, intercept, abatement, economics, readiness
    (the least-squares coefficients fitted without that domain).
    `disagreements`: domain, id, name_zh, name_en, stars, engine_rank, stars_rank (average
    rank of ★, 1 = best), difference (engine - stars), driver (abatement, economics or
    timing: the criterion whose place in the domain departs most from the place of ★, in the
    direction of the gap), reason (in words); the largest per domain.

    >>> agreement = roadmap.expert_agreement(catalog, method="wsm")
    >>> agreement.summary["domain"].iloc[-1], agreement.method
    ('all', 'wsm')
    """

    summary: pd.DataFrame
    fits: pd.DataFrame
    disagreements: pd.DataFrame
    weights: dict[str, float]
    method: str


def expert_agreement(catalog: Catalog, method: str = "topsis",
                     weights: dict[str, float] | None = None,
                     largest: int = 5) -> ExpertAgreement:
    """Kendall's tau per domain between ★ and the engine, the benchmark and the fit.

    >>> agreement = roadmap.expert_agreement(catalog)
    >>> list(agreement.summary.columns[:3])
    ['domain', 'measures', 'kendall_tau']
    """
    # Importing scipy.stats costs half a second; only this function needs it, so every other
    # command starts without it.
    from scipy.stats import kendalltau

    weights = weights or dict(EXPERT_WEIGHTS)
    criteria = tuple(c for c in (*SCORE_CRITERIA, "readiness") if weights.get(c, 0) > 0)
    rows = _catalog_rows(catalog)
    held_out, fits = _out_of_sample(catalog, rows)
    summary, disagreements, scored = [], [], []
    used: dict[str, float] = {}
    for domain in DOMAINS:
        matrix = catalog_matrix(catalog, domain, criteria)
        used = normalised(weights, matrix.criteria)
        ranking = rank(matrix, method, used).frame
        sign = 1 if method_spec(method).higher_is_better else -1  # VIKOR, SPOTIS: lower wins
        ranking = ranking.assign(engine=sign * ranking["score"])
        scored.append(ranking[["id", "engine"]])
        disagreements.append(_disagreements(ranking, rows.loc[ranking["id"]], domain, largest))
    rows = rows.join(pd.concat(scored).set_index("id")).join(held_out)
    for domain, group in [*((d, rows[rows["domain"] == d]) for d in DOMAINS), ("all", rows)]:
        tau, p_value = kendalltau(group["engine"], group["stars"])
        summary.append({
            "domain": domain, "measures": len(group), "kendall_tau": float(tau),
            "p_value": float(p_value),
            "benchmark_tau": float(kendalltau(group["abatement"] + group["economics"],
                                              group["stars"])[0]),
            "out_of_sample_tau": float(kendalltau(group["fitted"], group["stars"])[0]),
            "readiness_tau": float(kendalltau(group["readiness"], group["stars"])[0])})
    return ExpertAgreement(pd.DataFrame(summary), fits,
                           pd.concat(disagreements).reset_index(drop=True), used, method)


def _catalog_rows(catalog: Catalog) -> pd.DataFrame:
    """id-indexed: domain, stars, the fit's features, the popularisation period, restates."""
    return pd.DataFrame([{
        "id": t.id, "domain": t.domain, "stars": float(t.recommendation),
        "abatement": float(t.abatement), "economics": float(t.economics),
        "readiness": readiness(t), "popularization_period": t.popularization_period,
        "restates": t.restates} for t in catalog]).set_index("id")


def _out_of_sample(catalog: Catalog, rows: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """★ predicted for each domain by least squares fitted on the others, and the fits."""
    predicted, fits = [], []
    for domain in DOMAINS:
        test = rows[rows["domain"] == domain]
        linked = set(test["restates"].explode().dropna()) | {
            tech_id for tech_id in test.index for tech_id in catalog.restated_by(tech_id)}
        train = rows[(rows["domain"] != domain) & ~rows.index.isin(list(linked))]
        coefficients, *_ = np.linalg.lstsq(_design(train), train["stars"].to_numpy(),
                                           rcond=None)
        predicted.append(pd.Series(_design(test) @ coefficients, index=test.index))
        fits.append({"held_out": domain, "training_rows": len(train),
                     **dict(zip(("intercept", *FIT_FEATURES), coefficients, strict=True))})
    return pd.concat(predicted).rename("fitted"), pd.DataFrame(fits)


def _design(rows: pd.DataFrame) -> np.ndarray:
    return np.column_stack([np.ones(len(rows)), rows[list(FIT_FEATURES)].to_numpy()])


def _disagreements(ranking: pd.DataFrame, rows: pd.DataFrame, domain: str,
                   largest: int) -> pd.DataFrame:
    """The largest rank gaps between the engine and ★ in a domain, each with its driver."""
    from scipy.stats import rankdata

    stars = ranking["recommendation"].to_numpy(dtype=float)
    table = ranking[["id", "name_zh", "name_en"]].assign(
        domain=domain, stars=stars, engine_rank=ranking["rank"], stars_rank=rankdata(-stars))
    table["difference"] = table["engine_rank"] - table["stars_rank"]
    order = table["difference"].abs().sort_values(ascending=False, kind="stable").index
    # Each criterion's and ★'s place in the domain, 0 (lowest) to 1 (highest).
    places = rows[["stars", *DRIVERS.values()]].rank(pct=True).to_numpy()
    table = table.loc[order[:largest]]
    drivers, reasons = [], []
    for i in order[:largest]:
        engine_higher = table.loc[i, "difference"] < 0
        gaps = (places[i, 1:] - places[i, 0]) * (1 if engine_higher else -1)
        driver = list(DRIVERS)[int(np.argmax(gaps))]
        drivers.append(driver)
        reasons.append(_reason(driver, rows.iloc[i], engine_higher))
    return table.assign(driver=drivers, reason=reasons)[[
        "domain", "id", "name_zh", "name_en", "stars", "engine_rank", "stars_rank",
        "difference", "driver", "reason"]]


def _reason(driver: str, row: pd.Series, engine_higher: bool) -> str:
    stars = f"★ {row['stars']:.0f}"
    if driver == "timing":
        spread = row["popularization_period"]
        return (f"widespread {spread} already: {stars} asks less push for it" if engine_higher
                else f"widespread only {spread}: {stars} asks to push its R&D and promotion")
    grade = f"{driver} {row[driver]:.0f}/5"
    return (f"{grade} lifts the engine's rank above {stars}" if engine_higher
            else f"{grade} holds the engine's rank below {stars}")
