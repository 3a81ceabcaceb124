"""How far the engine's synthesis of ▼, ➕ and readiness follows the study's experts' ★."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..inputs.catalog import Catalog
from ..inputs.vocabulary import DOMAINS
from .matrix import catalog_matrix
from .ranking import method_spec, rank
from .weights import normalised

# The study's own view has no site: its grades and timing, in the earlier default's
# proportions (▼ 0.35, ➕ 0.30, readiness 0.15).
EXPERT_WEIGHTS = {"abatement": 0.35, "economics": 0.30, "readiness": 0.15}


@dataclass(frozen=True)
class ExpertAgreement:
    """`summary`: domain, measures, kendall_tau (tau-b, engine score vs ★), p_value.
    `disagreements`: domain, id, name_zh, name_en, stars, engine_rank, stars_rank
    (average rank of ★, 1 = best), difference (engine - stars); the largest per domain."""

    summary: pd.DataFrame
    disagreements: pd.DataFrame
    weights: dict[str, float]
    method: str


def expert_agreement(catalog: Catalog, method: str = "topsis",
                     weights: dict[str, float] | None = None,
                     largest: int = 5) -> ExpertAgreement:
    """Kendall's tau per domain between the default score (without ★) and the study's ★."""
    # Importing scipy.stats costs half a second; only this function needs it, so every other
    # command starts without it.
    from scipy.stats import kendalltau, rankdata

    summary, disagreements = [], []
    used: dict[str, float] = {}
    for domain in DOMAINS:
        matrix = catalog_matrix(catalog, domain)
        used = normalised(weights or EXPERT_WEIGHTS, matrix.criteria)
        ranking = rank(matrix, method, used).frame
        stars = ranking["recommendation"].to_numpy()
        tau, p_value = kendalltau(ranking["score"], stars)
        if not method_spec(method).higher_is_better:  # VIKOR, SPOTIS: lower is better
            tau = -tau
        summary.append({"domain": domain, "measures": len(ranking),
                        "kendall_tau": float(tau), "p_value": float(p_value)})
        table = ranking[["id", "name_zh", "name_en"]].assign(
            domain=domain, stars=stars, engine_rank=ranking["rank"],
            stars_rank=rankdata(-stars))
        table["difference"] = table["engine_rank"] - table["stars_rank"]
        order = table["difference"].abs().sort_values(ascending=False, kind="stable").index
        disagreements.append(table.loc[order[:largest]])
    columns = ["domain", "id", "name_zh", "name_en", "stars", "engine_rank", "stars_rank",
               "difference"]
    return ExpertAgreement(pd.DataFrame(summary),
                           pd.concat(disagreements)[columns].reset_index(drop=True), used, method)
