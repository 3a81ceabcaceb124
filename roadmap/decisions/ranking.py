"""Multi-criteria ranking of a site's measures with pymcdm, explained, and method comparison."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd
from pymcdm import methods as mcdm
from pymcdm.correlations import weighted_spearman, ws
from pymcdm.normalizations import minmax_normalization

from ..display import preview
from ..errors import METHOD_OPTION, PROFILE, InputError, Message
from ..inputs.vocabulary import COST_CRITERIA, METHODS
from ..model.economics import GRADE
from .matrix import DecisionMatrix
from .refusals import refusal


def _as_given(matrix: DecisionMatrix) -> tuple[np.ndarray, np.ndarray]:
    return matrix.values, matrix.types


def _copras_inputs(matrix: DecisionMatrix) -> tuple[np.ndarray, np.ndarray]:
    """Textbook COPRAS turns a cost column x into sum(S-) / (S-_i * sum_j 1/S-_j), which
    equals w * (1/x_i) / sum(1/x). pymcdm 1.4's COPRAS adds S- as it is (Q = S+ + S-), so
    each cost column is handed over as its reciprocal 1/x (timing as 1/(1 + phase)), marked
    as a cost column: pymcdm's arithmetic then equals the textbook's. Without a cost
    criterion, the cost of abatement 1/➕ is used, i.e. ➕ itself marked as a cost column.
    Cost columns at or below zero are first made positive (DecisionMatrix.positive_values);
    benefit columns are summed as they are, a zero too (a measure that abates nothing at the
    site adds nothing to S+), not a negative (one that adds emissions).
    tests/test_ranking.py checks the result against the textbook formula."""
    types = matrix.types.copy()
    benefits = types > 0
    if (matrix.values[:, benefits] < 0).any():
        raise InputError(METHOD_OPTION, "copras_negative_benefit",
                         allowed=Message("another_method"))
    values = matrix.positive_values()
    values[:, benefits] = matrix.values[:, benefits]
    for column, criterion in enumerate(matrix.criteria):
        if criterion in COST_CRITERIA:
            values[:, column] = 1 / values[:, column]
    if (types > 0).all() and "economics" in matrix.criteria:
        types[matrix.criteria.index("economics")] = -1
    return values, types


@dataclass(frozen=True)
class MethodSpec:
    """How to build a pymcdm method for a matrix, which way its preferences point, and the
    (values, types) it is given."""

    build: Callable[[DecisionMatrix], mcdm.mcda_method.MCDA_method]
    higher_is_better: bool
    inputs: Callable[[DecisionMatrix], tuple[np.ndarray, np.ndarray]] = _as_given


def _spotis(matrix: DecisionMatrix) -> mcdm.SPOTIS:
    # SPOTIS needs each criterion's range: fixed by definition where there is one
    return mcdm.SPOTIS(matrix.bounds())


METHOD_SPECS: dict[str, MethodSpec] = {
    "topsis": MethodSpec(lambda m: mcdm.TOPSIS(), True),
    "vikor": MethodSpec(lambda m: mcdm.VIKOR(), False),
    "promethee_ii": MethodSpec(lambda m: mcdm.PROMETHEE_II("usual"), True),
    "spotis": MethodSpec(_spotis, False),
    "copras": MethodSpec(lambda m: mcdm.COPRAS(), True, _copras_inputs),
    # min-max normalisation: site abatement may be zero or negative, which pymcdm's default
    # sum normalisation refuses
    "wsm": MethodSpec(lambda m: mcdm.WSM(minmax_normalization), True),
}
assert tuple(METHOD_SPECS) == METHODS


def method_spec(name: str) -> MethodSpec:
    try:
        return METHOD_SPECS[name]
    except KeyError:
        raise InputError(METHOD_OPTION, "unknown_method", method=name, allowed=", ".join(METHODS)) \
            from None


def score_name(method: str) -> str:
    """The name a table gives a method's score: `score_lower_better` where its lowest score
    ranks first (VIKOR, SPOTIS), which a reader would otherwise take the other way round."""
    return "score" if method_spec(method).higher_is_better else "score_lower_better"


def preferences(matrix: DecisionMatrix, method: str, weights: dict[str, float]) -> np.ndarray:
    """pymcdm's preference values, one per alternative.

    Criteria with zero weight cannot change the result and are left out of the call
    (pymcdm expects strictly positive weights)."""
    matrix = matrix.subset(tuple(c for c in matrix.criteria if weights[c] > 0))
    spec = method_spec(method)
    values, types = spec.inputs(matrix)
    if method == "copras" and (types > 0).all():
        raise InputError(METHOD_OPTION, "copras_needs_cost",
                         allowed=Message("weights_keeping_cost"))
    vector = np.array([weights[c] for c in matrix.criteria], dtype=float)
    vector /= vector.sum()  # pymcdm expects weights summing to 1
    with warnings.catch_warnings():
        # A catalog always holds dominated measures (▼2 ➕2 next to ▼4 ➕4); that is what
        # ranking is for, so pymcdm's advice to remove them is noise here.
        warnings.filterwarnings("ignore", message="Alternatives with indices",
                                category=UserWarning)
        try:
            return spec.build(matrix)(values, vector, types)
        except ValueError as error:  # e.g. VIKOR on one or two measures, sum normalisation
            raise InputError(METHOD_OPTION, "method_cannot_rank", method=method.upper(),
                             count=len(values), reason=refusal(error),
                             allowed=Message("another_method")) from error


def ranks_from_scores(scores: np.ndarray, higher_is_better: bool) -> np.ndarray:
    """Ranks 1..n along the last axis; ties keep catalog order (stable sort).

    Scores are rounded to 12 decimals first so that floating-point noise cannot reorder
    measures whose scores are equal.
    """
    key = np.round(scores, 12)
    order = np.argsort(-key if higher_is_better else key, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, scores.shape[-1] + 1), axis=-1)
    return ranks


@dataclass(frozen=True)
class Ranking:
    """A ranked decision matrix.

    `frame` columns: rank, id, domain, category, category_en, name_zh, name_en,
    application_period, popularization_period, recommendation, score, one column per
    criterion (its value), `contribution_<criterion>` (weight x min-max-normalised value;
    they add up to a 0-1 weighted-sum score and show which criteria lift a measure), why,
    note.
    Sorted by rank. `excluded`: id, domain, name_zh, name_en, reason.

    >>> ranking = roadmap.rank(roadmap.decision_matrix(catalog, site), "vikor")
    >>> ranking.method, ranking.frame["rank"].head(3).tolist()
    ('vikor', [1, 2, 3])
    """

    frame: pd.DataFrame
    excluded: pd.DataFrame
    method: str
    weights: dict[str, float]
    criteria: tuple[str, ...]
    dropped: dict[str, str]

    def top(self, n: int) -> pd.DataFrame:
        return self.frame.head(n)

    def _repr_html_(self) -> str:
        return preview(f"Ranking by {self.method.upper()}", self.frame,
                       ["rank", "id", "name_zh", "name_en", "score", "why"])


def rank(matrix: DecisionMatrix, method: str = "topsis",
         weights: dict[str, float] | None = None) -> Ranking:
    """Rank the matrix's alternatives with a pymcdm method (TOPSIS by default).

    >>> ranking = roadmap.rank(roadmap.decision_matrix(catalog, site), "topsis")
    >>> list(ranking.frame.columns[:4]), int(ranking.frame["rank"].iloc[0])
    (['rank', 'id', 'domain', 'category'], 1)
    """
    if len(matrix.frame) == 0:
        raise InputError(PROFILE, "nothing_applies", allowed=Message("fewer_exclusions"))
    weights = weights or {c: 1 / len(matrix.criteria) for c in matrix.criteria}
    with np.errstate(all="ignore"):  # a score that is no number is refused below instead
        scores = preferences(matrix, method, weights)
    if not np.isfinite(scores).all():  # TOPSIS, PROMETHEE II of a single measure: 0 / 0
        raise InputError(METHOD_OPTION, "method_cannot_rank", method=method.upper(),
                         count=len(scores), reason=Message(
                             "one_measure_to_compare" if len(scores) == 1 else "measures_alike"),
                         allowed=Message("another_method"))
    frame = matrix.frame.copy()
    frame.insert(0, "rank", ranks_from_scores(scores, method_spec(method).higher_is_better))
    frame.insert(frame.columns.get_loc("recommendation") + 1, "score", scores)
    for criterion in matrix.criteria:
        normalised = minmax_normalization(frame[criterion].to_numpy(dtype=float),
                                          criterion in COST_CRITERIA)
        frame[f"contribution_{criterion}"] = weights[criterion] * normalised
    frame["why"] = [_why(row, matrix.criteria) for _, row in frame.iterrows()]
    frame = frame[[c for c in frame.columns if c != "note"] + ["note"]]
    return Ranking(frame.sort_values("rank").reset_index(drop=True), matrix.excluded, method,
                   weights, matrix.criteria, matrix.dropped)


# words and digits only: every font renders them (➕ is missing from most CJK fonts)
_CRITERION_TEXT = {
    "abatement": "abatement {:.0f}/5",
    "economics": "economics {:.0f}/5",
    "stars": "study grade {:.0f}/5",
    "relevance": "acts on {:.0%} of the baseline",
    "site_abatement": "abates {:,.0f} t/yr at this site",
    "cost": "levelised cost {:,.0f} yuan/t",
}


def no_gain(row: pd.Series) -> str:
    """Why a ranked measure gains nothing at the site on its own: it abates nothing (a plan
    with nothing to steer, a cap business as usual already fills) or adds emissions
    (electrifying on a grid dirtier than the fuel); "" for the others and for a ranking
    without the site model's abatement."""
    abatement = row.get("site_abatement", 1.0)
    if abatement < 0:
        return "adds emissions at this site on its own"
    return "abates nothing at this site on its own" if abatement == 0 else ""


def no_gain_reasons(frame: pd.DataFrame) -> pd.Series:
    """`no_gain` of each row of a decision matrix's or a ranking's frame ("" for most)."""
    return pd.Series([no_gain(row) for _, row in frame.iterrows()], index=frame.index,
                     dtype=str)


def without_stand_in_costs(frame: pd.DataFrame) -> pd.DataFrame:
    """The ranked rows as a reader is shown them: no cost where a row gains nothing at the
    site (`no_gain`), whose cost is the stand-in it ranks with (the candidates' highest)."""
    if "cost" not in frame:
        return frame
    return frame.assign(cost=frame["cost"].mask(no_gain_reasons(frame).ne("")))


def _describe(criterion: str, row: pd.Series) -> str:
    if criterion == "cost" and row["cost_basis"] == GRADE:
        return _CRITERION_TEXT[criterion].format(row[criterion]) + " (from the grade)"
    if criterion in _CRITERION_TEXT:
        return _CRITERION_TEXT[criterion].format(row[criterion])
    if pd.isna(row["application_period"]):
        return f"in use now, widespread {row['popularization_period']}"
    return f"applied {row['application_period']}, widespread {row['popularization_period']}"


def _why(row: pd.Series, criteria: tuple[str, ...]) -> str:
    """The two criteria that contribute most to this measure, in words; first, for one
    that gains nothing at the site, that it does (its cost is a stand-in, the candidates'
    highest, so no cost per tonne is quoted)."""
    strongest = sorted(criteria, key=lambda c: -row[f"contribution_{c}"])[:2]
    gain = no_gain(row)
    if gain:
        return "; ".join([f"{gain}: no cost per tonne", *(
            _describe(c, row) for c in strongest if c not in ("site_abatement", "cost"))])
    return "; ".join(_describe(c, row) for c in strongest)


@dataclass(frozen=True)
class MethodComparison:
    """Ranks of several methods side by side, and their rank correlations.

    `ranks`: id, name_zh, name_en, then one column per method. `weighted_spearman` and
    `ws`: square frames (method x method) of pymcdm's r_w and WS coefficients.

    >>> matrix = roadmap.decision_matrix(catalog, site)
    >>> comparison = roadmap.compare_methods(matrix, ["topsis", "vikor"],
    ...                                      roadmap.choose_weights(matrix, site))
    >>> bool(0 < comparison.weighted_spearman.loc["topsis", "vikor"] <= 1)
    True
    """

    ranks: pd.DataFrame
    weighted_spearman: pd.DataFrame
    ws: pd.DataFrame
    skipped: dict[str, str] = field(default_factory=dict)  # method -> why it cannot apply


def compare_methods(matrix: DecisionMatrix, methods: list[str],
                    weights: dict[str, float]) -> MethodComparison:
    """The first method's ranking against the others'; a method that cannot apply to these
    candidates is skipped with the reason (the first must apply).

    >>> matrix = roadmap.decision_matrix(catalog, site)
    >>> comparison = roadmap.compare_methods(matrix, ["topsis", "wsm"],
    ...                                      roadmap.choose_weights(matrix, site))
    >>> list(comparison.ranks.columns)
    ['id', 'name_zh', 'name_en', 'topsis', 'wsm']
    """
    rankings, skipped = {methods[0]: rank(matrix, methods[0], weights)}, {}
    for method in methods[1:]:
        try:
            rankings[method] = rank(matrix, method, weights)
        except InputError as error:
            skipped[method] = error.problem
    methods = list(rankings)
    ranks = matrix.frame[["id", "name_zh", "name_en"]].copy()
    for name, ranking in rankings.items():
        ranks[name] = ranks["id"].map(ranking.frame.set_index("id")["rank"])
    ranks = ranks.sort_values(methods[0]).reset_index(drop=True)
    rw = pd.DataFrame(np.eye(len(methods)), index=methods, columns=methods)
    wsc = rw.copy()
    for a, b in combinations(methods, 2):
        x, y = ranks[a].to_numpy(float), ranks[b].to_numpy(float)
        rw.loc[a, b] = rw.loc[b, a] = weighted_spearman(x, y)
        wsc.loc[a, b], wsc.loc[b, a] = ws(x, y), ws(y, x)
    return MethodComparison(ranks, rw, wsc, skipped)
