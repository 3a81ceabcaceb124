"""Criteria weights: the site's, equal, entropy, CRITIC (pymcdm), or AHP pairwise judgements."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from pymcdm import weights as pymcdm_weights
from pymcdm.weights.subjective import AHP

from ..errors import InputError, Message
from ..inputs.files import read_yaml, without_lines
from ..inputs.site import Site
from ..inputs.vocabulary import CRITERIA
from .matrix import DecisionMatrix
from .refusals import refusal

OBJECTIVE = {
    "equal": pymcdm_weights.equal_weights,
    "entropy": pymcdm_weights.entropy_weights,
    "critic": pymcdm_weights.critic_weights,
}
WEIGHT_SCHEMES = ("site", *OBJECTIVE, "ahp")
MAX_CONSISTENCY_RATIO = 0.1


def normalised(weights: dict[str, float], criteria: tuple[str, ...]) -> dict[str, float]:
    """Weights restricted to `criteria` (others dropped), summing to 1."""
    kept = {c: float(weights.get(c, 0.0)) for c in criteria}
    total = sum(kept.values())
    if total <= 0:
        raise InputError("weights", "no_positive_weight",
                         allowed=", ".join(criteria))
    return {c: w / total for c, w in kept.items()}


def objective_weights(matrix: DecisionMatrix, scheme: str) -> dict[str, float]:
    """Equal, entropy or CRITIC weights computed by pymcdm from the matrix itself.

    Entropy's sum normalisation needs values above zero: it is given the matrix's positive
    values (a negative cost shifted as for COPRAS)."""
    values = matrix.positive_values() if scheme == "entropy" else matrix.values
    if scheme != "equal" and len(values) < 2:  # how measures differ: one differs from none
        raise _not_computed(matrix, scheme, Message("one_measure_to_compare"))
    try:
        # pymcdm and numpy warn of what the result shows (NaN), checked below
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            values = OBJECTIVE[scheme](values)
    except ValueError as error:  # e.g. a constant column
        raise _not_computed(matrix, scheme, error) from None
    if not (np.isfinite(values).all() and values.sum() > 0):
        raise _not_computed(matrix, scheme, Message("measures_alike"))
    return dict(zip(matrix.criteria, (float(v) for v in values), strict=True))


def _not_computed(matrix: DecisionMatrix, scheme: str, reason: object) -> InputError:
    return InputError("--weights", "weights_not_computed", scheme=scheme,
                      count=len(matrix.frame), reason=reason, allowed=Message("weight_options"))


def parse_weights(text: str) -> dict[str, float]:
    """'abatement=0.4,economics=0.3' -> {'abatement': 0.4, 'economics': 0.3}."""
    weights = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            raise InputError("--weights", "not_criterion_number", part=part,
                             allowed=Message("weights_example_or",
                                             schemes=", ".join(WEIGHT_SCHEMES[:-1]))) from None
        if not 0 <= weights[name.strip()] < float("inf"):  # refuses NaN too, as a profile does
            raise InputError("--weights", "weight_not_finite", part=part,
                             allowed=Message("weights_example"))
    if weights and not sum(weights.values()) > 0:
        raise InputError("--weights", "weights_sum_to_zero", allowed=Message("a_positive_weight"))
    if sum(weights.values()) == float("inf"):  # 1e308 twice: every score would be NaN
        raise InputError("--weights", "weights_overflow", allowed=Message("weights_example"))
    return weights


def ahp_weights(criteria: list[str], pairwise: list[list[float]],
                source: str = "AHP matrix") -> tuple[dict[str, float], float]:
    """Weights and consistency ratio from a Saaty pairwise comparison matrix (pymcdm's AHP).

    `pairwise[i][j]` says how much more important criteria[i] is than criteria[j] (1-9,
    reciprocals below the diagonal). A consistency ratio above 0.1 is rejected.

    >>> weights, ratio = roadmap.ahp_weights(["site_abatement", "cost"], [[1, 3], [1 / 3, 1]])
    >>> {name: round(value, 2) for name, value in weights.items()}, round(ratio, 3)
    ({'site_abatement': 0.75, 'cost': 0.25}, 0.0)
    """
    n = len(criteria)
    rows = pairwise if isinstance(pairwise, list | tuple) else ()
    if len(rows) != n or any(not isinstance(row, list | tuple) or len(row) != n or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in row) for row in rows):
        raise InputError(source, "matrix_not_square", n=n, field="matrix",
                         allowed=Message("one_row_per_criterion"))
    matrix = np.asarray(rows, dtype=float)
    if not np.allclose(matrix * matrix.T, 1.0, rtol=1e-2):
        raise InputError(source, "matrix_not_reciprocal", field="matrix",
                         allowed=Message("a_reciprocal_matrix"))
    try:
        ahp = AHP(matrix=matrix)
    except ValueError as exc:  # pymcdm: a value off the Saaty scale (-3, 1e308)
        raise InputError(source, "matrix_refused", reason=refusal(exc), field="matrix",
                         allowed=Message("saaty_scale")) from exc
    weights = ahp()
    ratio = float(ahp.get_cr())
    if ratio > MAX_CONSISTENCY_RATIO:
        raise InputError(source, "inconsistent", ratio=f"{ratio:.3f}",
                         limit=MAX_CONSISTENCY_RATIO, field="matrix",
                         allowed=Message("a_consistent_matrix"))
    return dict(zip(criteria, (float(w) for w in weights), strict=True)), ratio


def read_ahp_file(path: str | Path) -> tuple[dict[str, float], float]:
    """An AHP file: `criteria: [..]` and `matrix: [[..], ..]` (YAML)."""
    path = Path(path)
    data = without_lines(read_yaml(path))
    if not isinstance(data, dict) or set(data) != {"criteria", "matrix"}:
        raise InputError(path, "expected_criteria_matrix",
                         allowed=Message("criteria_matrix_layout"))
    criteria = data["criteria"]
    if not isinstance(criteria, list) or not all(c in CRITERIA for c in criteria) \
            or len(set(criteria)) != len(criteria):
        raise InputError(path, "not_distinct_criteria", criteria=repr(criteria),
                         field="criteria", allowed=", ".join(CRITERIA))
    return ahp_weights(criteria, data["matrix"], source=str(path))


def choose_weights(matrix: DecisionMatrix, site: Site,
                   scheme: str | dict[str, float] | None = None) -> dict[str, float]:
    """Weights over the matrix's criteria: explicit, 'site' (default) or an objective scheme.

    >>> matrix = roadmap.decision_matrix(catalog, site)
    >>> roadmap.choose_weights(matrix, site, "equal") == dict.fromkeys(matrix.criteria,
    ...                                                                1 / len(matrix.criteria))
    True
    """
    if isinstance(scheme, dict):
        unknown = set(scheme) - set(matrix.criteria) - set(matrix.dropped)
        if unknown:
            raise InputError("weights", "unknown_criterion", criterion=sorted(unknown)[0],
                             allowed=", ".join(matrix.criteria))
        return normalised(scheme, matrix.criteria)
    if scheme in (None, "site"):
        return normalised(site.weights, matrix.criteria)
    if scheme in OBJECTIVE:
        return objective_weights(matrix, scheme)
    raise InputError("weights", "unknown_weighting", scheme=scheme,
                     allowed=Message("schemes_or_numbers", schemes=", ".join(WEIGHT_SCHEMES[:-1])))
