"""Benchmark: vectorised sensitivity (10,000 weight draws x all 230 entries) against calling
pymcdm's TOPSIS once per draw, in one run. Target: >= 30x faster, identical rankings.

Run: .venv/bin/python bench/bench_sensitivity.py [DRAWS]
"""

from __future__ import annotations

import sys
import time

import numpy as np
from pymcdm.methods import TOPSIS

from roadmap import DOMAINS, FEATURES, load_catalog
from roadmap.decisions.matrix import decision_matrix
from roadmap.decisions.ranking import ranks_from_scores
from roadmap.decisions.sensitivity import draw_weights, topsis_scores
from roadmap.inputs.site import site_from_dict
from roadmap.inputs.vocabulary import BASELINE_SOURCES


def every_entry_matrix():
    """A site that admits all 230 entries: every domain, feature and source."""
    site = site_from_dict({
        "name": "benchmark", "domain": "town", "extra_domains": list(DOMAINS),
        "features": list(FEATURES), "baseline": {s: 1.0 for s in BASELINE_SOURCES},
    })
    return decision_matrix(load_catalog(), site)


def main(draws: int = 10_000) -> None:
    matrix = every_entry_matrix()
    weights = {"abatement": 0.35, "economics": 0.30, "readiness": 0.15, "relevance": 0.20}
    rows = draw_weights({c: weights[c] for c in matrix.criteria}, draws, 0.3, seed=20201)

    start = time.perf_counter()
    vectorised = ranks_from_scores(topsis_scores(matrix, rows), True)
    fast = time.perf_counter() - start

    topsis, values, types = TOPSIS(), matrix.values, matrix.types
    start = time.perf_counter()
    looped = np.array([ranks_from_scores(topsis(values, w, types), True) for w in rows])
    slow = time.perf_counter() - start

    identical = int((vectorised == looped).all(axis=1).sum())
    print(f"alternatives {len(matrix.frame)}, criteria {len(matrix.criteria)}, draws {draws}")
    print(f"vectorised: {fast:.3f} s   pymcdm TOPSIS per draw: {slow:.3f} s")
    print(f"ratio: {slow / fast:.1f}x faster   identical rankings: {identical}/{draws} draws")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
