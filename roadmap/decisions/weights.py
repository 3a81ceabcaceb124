"""Criteria weights: the site's, equal, entropy, CRITIC (pymcdm), or AHP pairwise judgements."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pymcdm import weights as pymcdm_weights
from pymcdm.weights.subjective import AHP

from ..errors import InputError
from ..inputs.files import read_yaml, without_lines
from ..inputs.site import Site
from ..inputs.vocabulary import CRITERIA
from .matrix import DecisionMatrix

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
        raise InputError("weights", "no positive weight on the criteria in use",
                         allowed=", ".join(criteria))
    return {c: w / total for c, w in kept.items()}


def objective_weights(matrix: DecisionMatrix, scheme: str) -> dict[str, float]:
    """Equal, entropy or CRITIC weights computed by pymcdm from the matrix itself.

    Entropy's sum normalisation needs values above zero: it is given the matrix's positive
    values (a negative cost shifted as for COPRAS)."""
    values = matrix.positive_values() if scheme == "entropy" else matrix.values
    try:
        values = OBJECTIVE[scheme](values)
    except ValueError as error:  # e.g. a single measure, a constant column
        raise InputError("--weights", f"{scheme} weights cannot be computed for these "
                         f"{len(matrix.frame)} measures ({error})",
                         allowed="site, equal or criterion=number,...") from None
    return dict(zip(matrix.criteria, (float(v) for v in values), strict=True))


def parse_weights(text: str) -> dict[str, float]:
    """'abatement=0.4,economics=0.3' -> {'abatement': 0.4, 'economics': 0.3}."""
    weights = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            raise InputError("--weights", f"'{part}' is not criterion=number",
                             allowed="e.g. abatement=0.4,economics=0.3 or " +
                             ", ".join(WEIGHT_SCHEMES[1:-1])) from None
        if not 0 <= weights[name.strip()] < float("inf"):  # refuses NaN too, as a profile does
            raise InputError("--weights", f"'{part}': a weight must be a finite number >= 0",
                             allowed="e.g. abatement=0.4,economics=0.3")
    if weights and not sum(weights.values()) > 0:
        raise InputError("--weights", "the weights sum to 0", allowed="at least one weight > 0")
    if sum(weights.values()) == float("inf"):  # 1e308 twice: every score would be NaN
        raise InputError("--weights", "the weights' sum overflows",
                         allowed="e.g. abatement=0.4,economics=0.3")
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
        raise InputError(source, f"the matrix is not {n}x{n} numbers", field="matrix",
                         allowed="one row and one column per criterion")
    matrix = np.asarray(rows, dtype=float)
    if not np.allclose(matrix * matrix.T, 1.0, rtol=1e-2):
        raise InputError(source, "matrix[j][i] must be 1 / matrix[i][j] (and the diagonal 1)",
                         field="matrix", allowed="a reciprocal Saaty matrix")
    try:
        ahp = AHP(matrix=matrix)
    except ValueError as exc:  # pymcdm: a value off the Saaty scale (-3, 1e308)
        raise InputError(source, " ".join(str(exc).split()), field="matrix",
                         allowed="Saaty's 1-9 and their reciprocals") from None
    weights = ahp()
    ratio = float(ahp.get_cr())
    if ratio > MAX_CONSISTENCY_RATIO:
        raise InputError(source, f"consistency ratio {ratio:.3f} is above "
                         f"{MAX_CONSISTENCY_RATIO}: the judgements contradict each other",
                         field="matrix", allowed="a matrix with CR <= 0.1; revise the "
                         "comparisons that disagree most")
    return dict(zip(criteria, (float(w) for w in weights), strict=True)), ratio


def read_ahp_file(path: str | Path) -> tuple[dict[str, float], float]:
    """An AHP file: `criteria: [..]` and `matrix: [[..], ..]` (YAML)."""
    path = Path(path)
    data = without_lines(read_yaml(path))
    if not isinstance(data, dict) or set(data) != {"criteria", "matrix"}:
        raise InputError(path, "expected the keys criteria and matrix",
                         allowed="criteria: [names], matrix: [[row], ...]")
    criteria = data["criteria"]
    if not isinstance(criteria, list) or not all(c in CRITERIA for c in criteria) \
            or len(set(criteria)) != len(criteria):
        raise InputError(path, f"{criteria!r} is not a list of distinct criteria",
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
            raise InputError("weights", f"unknown criterion '{sorted(unknown)[0]}'",
                             allowed=", ".join(matrix.criteria))
        return normalised(scheme, matrix.criteria)
    if scheme in (None, "site"):
        return normalised(site.weights, matrix.criteria)
    if scheme in OBJECTIVE:
        return objective_weights(matrix, scheme)
    raise InputError("weights", f"unknown weighting '{scheme}'",
                     allowed=", ".join(WEIGHT_SCHEMES[:-1]) + " or criterion=number,...")
