"""Weight sensitivity: re-rank under many weight vectors drawn around the chosen ones.

TOPSIS and WSM are computed for all draws at once with matrix products (10,000 draws
over 230 measures take well under a second); the other methods call pymcdm per draw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pymcdm.helpers import normalize_matrix
from pymcdm.normalizations import minmax_normalization

from ..inputs.assumptions import Assumptions
from ..inputs.counts import MIN_DRAWS, check_count
from .matrix import DecisionMatrix
from .ranking import method_spec, preferences, ranks_from_scores


def draw_weights(weights: dict[str, float], draws: int, spread: float, seed: int) -> np.ndarray:
    """`draws` x criteria: each weight scaled by U(1 - spread, 1 + spread), rows summing to 1."""
    base = np.array(list(weights.values()))
    factors = np.random.default_rng(seed).uniform(1 - spread, 1 + spread, (draws, len(base)))
    sampled = base * factors
    return sampled / sampled.sum(axis=1, keepdims=True)


def topsis_scores(matrix: DecisionMatrix, weight_rows: np.ndarray) -> np.ndarray:
    """pymcdm's TOPSIS (min-max normalisation) for every weight row: draws x alternatives.

    With non-negative weights the ideal point of w * n is w * max(n), so both distances
    are matrix products of squared gaps and squared weights.
    """
    normal = normalize_matrix(matrix.values, minmax_normalization, matrix.types)
    squared_weights = (weight_rows ** 2).T
    to_best = np.sqrt(((normal - normal.max(axis=0)) ** 2) @ squared_weights)
    to_worst = np.sqrt(((normal - normal.min(axis=0)) ** 2) @ squared_weights)
    return (to_worst / (to_worst + to_best)).T


def wsm_scores(matrix: DecisionMatrix, weight_rows: np.ndarray) -> np.ndarray:
    """The engine's WSM (min-max normalisation) for every weight row: draws x alternatives."""
    normal = normalize_matrix(matrix.values, minmax_normalization, matrix.types)
    return (normal @ weight_rows.T).T


VECTORISED = {"topsis": topsis_scores, "wsm": wsm_scores}


def scores_for_weights(matrix: DecisionMatrix, method: str, weight_rows: np.ndarray) -> np.ndarray:
    if method in VECTORISED:
        return VECTORISED[method](matrix, weight_rows)
    return np.array([preferences(matrix, method, dict(zip(matrix.criteria, row, strict=True)))
                     for row in weight_rows])


@dataclass(frozen=True)
class Sensitivity:
    """How stable a ranking is under weights drawn around the chosen ones.

    `frame` columns: id, name_zh, name_en, rank (with the chosen weights), p_top_k (share
    of draws in which the measure is in the top k), best_rank, worst_rank, rank_p5,
    rank_p95, unstable (p_top_k strictly inside the assumptions' unstable band). Sorted
    by rank.

    >>> matrix = roadmap.decision_matrix(catalog, site)
    >>> stability = roadmap.sensitivity(matrix, "wsm", roadmap.choose_weights(matrix, site),
    ...                                 draws=100, top_k=5)
    >>> stability.draws, bool(stability.frame["p_top_k"].between(0, 1).all())
    (100, True)
    """

    frame: pd.DataFrame
    draws: int
    top_k: int
    seed: int
    spread: float
    weight_rows: np.ndarray


def sensitivity(matrix: DecisionMatrix, method: str, weights: dict[str, float], *,
                draws: int = 1000, top_k: int = 10, seed: int = 20201,
                assumptions: Assumptions | None = None) -> Sensitivity:
    """Rank the matrix `draws` times with each weight scaled by a seeded uniform factor
    (`assumptions.weight_spread`, default [0.7, 1.3]) and renormalised; see `Sensitivity`.

    >>> matrix = roadmap.decision_matrix(catalog, site)
    >>> stability = roadmap.sensitivity(matrix, "topsis", roadmap.choose_weights(matrix, site),
    ...                                 draws=200, seed=1)
    >>> list(stability.frame.columns[3:6])
    ['rank', 'p_top_k', 'best_rank']
    """
    check_count("sensitivity", "draws", draws, MIN_DRAWS)
    assumptions = assumptions or Assumptions()
    spread = assumptions.weight_spread
    weight_rows = draw_weights({c: weights[c] for c in matrix.criteria}, draws, spread, seed)
    scores = scores_for_weights(matrix, method, weight_rows)
    higher = method_spec(method).higher_is_better
    ranks = ranks_from_scores(scores, higher)
    base = ranks_from_scores(preferences(matrix, method, weights), higher)
    low, high = assumptions.unstable_band
    in_top = (ranks <= top_k).mean(axis=0)
    frame = pd.DataFrame({
        "id": matrix.ids,
        "name_zh": matrix.frame["name_zh"],
        "name_en": matrix.frame["name_en"],
        "rank": base,
        "p_top_k": in_top,
        "best_rank": ranks.min(axis=0),
        "worst_rank": ranks.max(axis=0),
        **rank_percentiles(ranks),
        "unstable": (in_top > low) & (in_top < high),
    })
    return Sensitivity(frame.sort_values("rank").reset_index(drop=True), draws, top_k, seed,
                       spread, weight_rows)


def rank_percentiles(ranks: np.ndarray) -> dict[str, np.ndarray]:
    """Each measure's 5th and 95th percentile rank over the draws (rows): a rank the draws
    give (17, not 17.1 between two of them)."""
    return {"rank_p5": np.percentile(ranks, 5, axis=0, method="inverted_cdf"),
            "rank_p95": np.percentile(ranks, 95, axis=0, method="inverted_cdf")}
