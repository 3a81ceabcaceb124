"""Rank acceptability (SMAA-2): how likely each rank is for each measure when both the weights
and the criteria values are uncertain.

Each draw takes a weight vector and a full set of criteria values, ranks the measures, and
counts ranks. Results (Lahdelma & Salminen, SMAA-2, Operations Research 49(3), 2001):

- rank acceptability b_i^r: the share of draws in which measure i takes rank r;
- central weight vector of i: the mean of the weights of the draws in which i ranks first;
- confidence factor of i: the share of performance draws in which i ranks first when the
  weights are fixed at its central weight vector.

Weights: `"spread"` (default) is the sensitivity scheme, each weight scaled by
U(1 - s, 1 + s) and renormalised (s = the assumptions' `weight_spread`); `"uniform"` draws
uniformly on the whole simplex (SMAA with no weight information at all).

Criteria values (`performance`):

- `"grades"` (default, the project's assumption): each value moves uniformly within
  `PERFORMANCE_HALF_WIDTH` of the catalog's, clipped to the criterion's scale. A grade of the
  study (▼, ➕, ★) is a rounded judgement, so the true value lies within half a grade;
  readiness moves by half a step of its 0.2 grid (one period); a value whose spread the matrix
  knows (`DecisionMatrix.half_widths`: a site's levelised cost moves by `COST_SPREAD` of its
  gross terms, capital and O&M plus savings per t, not of the difference, which may be near
  zero) by that; any other criterion (relevance, site abatement) by ±`RELATIVE_HALF_WIDTH`
  of its value.
- `"fixed"`: the catalog's values in every draw (weights only: the sensitivity analysis).
- a draws x measures x criteria array, or a callable `(matrix, draws, rng)` returning one.

With `"fixed"` values the draws are the sensitivity analysis's, for the same seed: the
probability of ranks 1..k summed is `sensitivity(...).frame["p_top_k"]`.

TOPSIS and WSM score all draws at once in numpy (per-draw normalisation along the measures
axis, the formulas pymcdm uses); the other methods call pymcdm once per draw.
Cost criteria (matrix types of -1) are normalised lower-is-better, as pymcdm does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

import numpy as np
import pandas as pd

from ..inputs.assumptions import Assumptions
from ..inputs.counts import MIN_DRAWS, check_count
from .matrix import CRITERION_BOUNDS, DecisionMatrix
from .ranking import method_spec, preferences, ranks_from_scores
from .sensitivity import draw_weights, rank_percentiles, scores_for_weights

# Half-widths of the uniform perturbation of each criterion: the project's assumption (see
# the module docstring); grades are the study's 1-5 scales (seed 003, notes ②-④).
PERFORMANCE_HALF_WIDTH = {"abatement": 0.5, "economics": 0.5, "stars": 0.5, "readiness": 0.1}
RELATIVE_HALF_WIDTH = 0.2
WEIGHT_SCHEMES = ("spread", "uniform")

Performance = str | np.ndarray | Callable[[DecisionMatrix, int, np.random.Generator], np.ndarray]


def uniform_weights(criteria: int, draws: int, seed: int) -> np.ndarray:
    """`draws` x criteria weights uniform on the simplex (Dirichlet(1, ..., 1))."""
    return np.random.default_rng(seed).dirichlet(np.ones(criteria), draws)


def grade_draws(matrix: DecisionMatrix, draws: int, rng: np.random.Generator) -> np.ndarray:
    """draws x measures x criteria: each value +- its half-width, clipped to its scale."""
    values = matrix.values
    half = np.array([matrix.half_widths[c] if c in matrix.half_widths
                     else np.full(len(values), PERFORMANCE_HALF_WIDTH[c])
                     if c in PERFORMANCE_HALF_WIDTH else RELATIVE_HALF_WIDTH * np.abs(values[:, j])
                     for j, c in enumerate(matrix.criteria)]).T
    drawn = values + half * rng.uniform(-1.0, 1.0, (draws, *values.shape))
    low = np.array([CRITERION_BOUNDS.get(c, (-np.inf, np.inf))[0] for c in matrix.criteria])
    high = np.array([CRITERION_BOUNDS.get(c, (-np.inf, np.inf))[1] for c in matrix.criteria])
    return np.clip(drawn, low, high)


def _minmax(values: np.ndarray, types: np.ndarray) -> np.ndarray:
    """pymcdm's min-max normalisation along the measures axis of draws x measures x criteria
    (a column equal for all measures normalises to 1, as in pymcdm)."""
    low, high = values.min(axis=1, keepdims=True), values.max(axis=1, keepdims=True)
    span = np.where(high > low, high - low, 1.0)
    normal = np.where(types > 0, values - low, high - values) / span
    return np.where(high > low, normal, 1.0)


def _sum(values: np.ndarray, types: np.ndarray) -> np.ndarray:
    """pymcdm's sum normalisation along the measures axis (costs as 1/x)."""
    oriented = np.where(types > 0, values, 1.0 / values)
    return oriented / oriented.sum(axis=1, keepdims=True)


def _topsis_gaps(values: np.ndarray, types: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Squared gaps of the normalised values to the best and the worst measure of each draw.

    With non-negative weights the ideal point of w * n is w * max(n), so TOPSIS's distances
    are these gaps weighted by w**2: the normalisation is done once for any weights."""
    normal = _minmax(values, types)
    return ((normal.max(axis=1, keepdims=True) - normal) ** 2,
            (normal - normal.min(axis=1, keepdims=True)) ** 2)


def _topsis_scores(gaps: tuple[np.ndarray, np.ndarray], weight_rows: np.ndarray) -> np.ndarray:
    to_best, to_worst = (np.sqrt(np.einsum("dac,dc->da", gap, weight_rows ** 2))
                         for gap in gaps)
    return to_worst / (to_worst + to_best)


def _wsm_scores(normal: np.ndarray, weight_rows: np.ndarray) -> np.ndarray:
    return np.einsum("dac,dc->da", normal, weight_rows)


# method: (preparation of the values, done once; scores for draws x criteria weights)
VECTORISED = {"topsis": (_topsis_gaps, _topsis_scores), "wsm": (_minmax, _wsm_scores)}


def topsis_draws(values: np.ndarray, types: np.ndarray, weight_rows: np.ndarray) -> np.ndarray:
    """pymcdm's TOPSIS for every draw of values and weights: draws x measures."""
    return _topsis_scores(_topsis_gaps(values, types), weight_rows)


def wsm_draws(values: np.ndarray, types: np.ndarray, weight_rows: np.ndarray) -> np.ndarray:
    """The engine's WSM (min-max normalisation) for every draw of values and weights."""
    return _wsm_scores(_minmax(values, types), weight_rows)


def draw_scorer(matrix: DecisionMatrix, method: str,
                values: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A function of draws x criteria weights giving draws x measures preference values on
    the drawn `values` (one row of weights per draw of values; a single row is broadcast)."""
    if method in VECTORISED:
        prepare, score = VECTORISED[method]
        prepared = prepare(values, matrix.types)
        return lambda weight_rows: score(prepared, np.broadcast_to(
            weight_rows, (len(values), weight_rows.shape[-1])))
    columns = list(matrix.criteria)

    def looped(weight_rows: np.ndarray) -> np.ndarray:
        weight_rows = np.broadcast_to(weight_rows, (len(values), len(columns)))
        return np.array([
            preferences(replace(matrix, frame=matrix.frame.assign(
                **dict(zip(columns, v.T, strict=True)))), method,
                dict(zip(columns, w, strict=True)))
            for v, w in zip(values, weight_rows, strict=True)])
    return looped


@dataclass(frozen=True)
class Acceptability:
    """SMAA-2 over weights and criteria values.

    `indices`: rank acceptability b_i^r, index = measure id, columns 1..n (rank r), each row
    summing to 1; rows in the order of `frame`.
    `frame`: id, name_zh, name_en, rank (with the given weights and values), p_first (b_i^1),
    p_top_k (b_i^1 + ... + b_i^k), expected_rank, rank_p5, rank_p95. Sorted by rank.
    `central_weights`: the (at most top_k) measures most often first, by p_first (descending):
    id, name_zh, name_en, p_first, confidence, then one column per criterion (the mean
    weights of the draws where the measure ranks first).

    >>> matrix = roadmap.decision_matrix(catalog, site)
    >>> smaa = roadmap.acceptability(matrix, "wsm", roadmap.choose_weights(matrix, site),
    ...                              draws=100, weight_scheme="uniform")
    >>> smaa.weight_scheme, smaa.top_k
    ('uniform', 10)
    """

    indices: pd.DataFrame
    frame: pd.DataFrame
    central_weights: pd.DataFrame
    draws: int
    top_k: int
    seed: int
    weight_scheme: str
    performance: str
    weight_rows: np.ndarray


def acceptability(matrix: DecisionMatrix, method: str, weights: dict[str, float], *,
                  draws: int = 1000, top_k: int = 10, seed: int = 20201,
                  weight_scheme: str = "spread", performance: Performance = "grades",
                  assumptions: Assumptions | None = None) -> Acceptability:
    """Rank acceptability, central weights and confidence factors (see the module docstring).

    >>> matrix = roadmap.decision_matrix(catalog, site)
    >>> smaa = roadmap.acceptability(matrix, "topsis", roadmap.choose_weights(matrix, site),
    ...                              draws=200)
    >>> smaa.draws, len(smaa.frame) == len(matrix.ids)
    (200, True)
    """
    check_count("acceptability", "draws", draws, MIN_DRAWS)
    assumptions = assumptions or Assumptions()
    base_weights = {c: weights[c] for c in matrix.criteria}
    weight_rows = _weight_rows(base_weights, draws, seed, weight_scheme, assumptions)
    performance_rng = np.random.default_rng([seed, 1])  # independent of the weight draws
    values, performance_name = _values(matrix, draws, performance, performance_rng)
    higher = method_spec(method).higher_is_better
    scorer = (partial(scores_for_weights, matrix, method) if values is None
              else draw_scorer(matrix, method, values))
    ranks = ranks_from_scores(scorer(weight_rows), higher)
    n = ranks.shape[1]
    counts = np.bincount((np.arange(n) * n + ranks - 1).ravel(), minlength=n * n)
    shares = counts.reshape(n, n) / draws
    base = ranks_from_scores(preferences(matrix, method, base_weights), higher)
    order = np.argsort(base, kind="stable")
    names = matrix.frame[["id", "name_zh", "name_en"]]
    frame = names.assign(
        rank=base, p_first=shares[:, 0], p_top_k=(ranks <= top_k).mean(axis=0),
        expected_rank=shares @ np.arange(1, n + 1),
        **rank_percentiles(ranks))
    indices = pd.DataFrame(shares, index=pd.Index(matrix.ids, name="id"),
                           columns=range(1, n + 1))
    central = _central_weights(matrix, method, ranks, weight_rows, scorer, shares[:, 0], top_k)
    return Acceptability(indices.iloc[order], frame.iloc[order].reset_index(drop=True),
                         central, draws, top_k, seed, weight_scheme, performance_name,
                         weight_rows)


def _weight_rows(weights: dict[str, float], draws: int, seed: int, scheme: str,
                 assumptions: Assumptions) -> np.ndarray:
    if scheme == "spread":
        return draw_weights(weights, draws, assumptions.weight_spread, seed)
    if scheme == "uniform":
        return uniform_weights(len(weights), draws, seed)
    raise ValueError(f"unknown weight scheme '{scheme}' (allowed: {', '.join(WEIGHT_SCHEMES)})")


def _values(matrix: DecisionMatrix, draws: int, performance: Performance,
            rng: np.random.Generator) -> tuple[np.ndarray | None, str]:
    """The draws of criteria values (None: the catalog's in every draw) and their name."""
    if isinstance(performance, str):
        if performance == "fixed":
            return None, "fixed"
        if performance == "grades":
            return grade_draws(matrix, draws, rng), "grades"
        raise ValueError(f"unknown performance '{performance}' "
                         "(allowed: grades, fixed, an array or a callable)")
    values = performance(matrix, draws, rng) if callable(performance) else performance
    values = np.asarray(values, dtype=float)
    expected = (draws, *matrix.values.shape)
    if values.shape != expected:
        raise ValueError(f"performance draws have shape {values.shape}, expected {expected}")
    return values, "callable" if callable(performance) else "array"


def _central_weights(matrix: DecisionMatrix, method: str, ranks: np.ndarray,
                     weight_rows: np.ndarray, scorer: Callable[[np.ndarray], np.ndarray],
                     p_first: np.ndarray, shown: int) -> pd.DataFrame:
    """Central weight vector and confidence factor of the `shown` measures most often first."""
    rows = []
    higher = method_spec(method).higher_is_better
    ever_first = np.flatnonzero(p_first)
    for i in ever_first[np.argsort(-p_first[ever_first], kind="stable")][:shown]:
        central = weight_rows[ranks[:, i] == 1].mean(axis=0)
        fixed = scorer(central[None, :])  # every draw of values, the central weights
        confidence = float((ranks_from_scores(fixed, higher)[:, i] == 1).mean())
        rows.append({"id": matrix.ids[i], "name_zh": matrix.frame["name_zh"].iloc[i],
                     "name_en": matrix.frame["name_en"].iloc[i], "p_first": p_first[i],
                     "confidence": confidence,
                     **dict(zip(matrix.criteria, central, strict=True))})
    columns = ["id", "name_zh", "name_en", "p_first", "confidence", *matrix.criteria]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("p_first", ascending=False, kind="stable").reset_index(drop=True)
