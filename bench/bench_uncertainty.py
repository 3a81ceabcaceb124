"""Benchmark: 10,000 Monte Carlo draws of the Xiaolan pathway with all its candidates.

    python bench/bench_uncertainty.py [DRAWS]

Times `monte_carlo` (draws batched: draws x pairs x years in numpy) against running the
same draws one at a time in a loop (`run_draws` with one draw, as a single run), in one run;
the loop is timed on its first 300 draws and its results are asserted identical to the
batched ones for those draws. `model.run` (the public single-run pathway, every year) is
timed for reference.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roadmap import load_catalog, load_site  # noqa: E402
from roadmap.decisions.matrix import decision_matrix  # noqa: E402
from roadmap.model.pathway import site_model  # noqa: E402
from roadmap.model.uncertainty import (  # noqa: E402
    draw_inputs,
    monte_carlo,
    report_columns,
    run_draws,
)

LOOPED = 300


def main(draws: int = 10_000) -> None:
    catalog = load_catalog()
    site = load_site(ROOT / "catalogs" / "sites" / "xiaolan-town.yaml", catalog)
    ids = decision_matrix(catalog, site).ids
    model = site_model(site, catalog, ids)
    starts = dict.fromkeys(ids, 0)
    start = time.perf_counter()
    spread = monte_carlo(model, starts, draws=draws, seed=1)
    batched = time.perf_counter() - start
    sample, columns = draw_inputs(model, draws, seed=1), report_columns(model)
    start = time.perf_counter()
    looped = [run_draws(model, starts, sample.part(slice(i, i + 1)), columns)[0][0]
              for i in range(LOOPED)]
    per_draw = (time.perf_counter() - start) / LOOPED
    assert np.array_equal(np.array(looped), spread.net[:LOOPED])
    start = time.perf_counter()
    for _ in range(50):
        model.run("roadmap", starts)
    single = (time.perf_counter() - start) / 50
    print(f"Xiaolan, {len(ids)} candidates, {len(model.pairs.share)} measure x cell pairs, "
          f"{len(columns)} report years")
    print(f"{draws:,} draws batched:               {batched:6.2f} s "
          f"({batched / draws * 1e3:.3f} ms a draw)")
    print(f"the same draws one at a time in a loop: {per_draw * draws:6.2f} s "
          f"(from {LOOPED} draws, identical results): batched is "
          f"{per_draw * draws / batched:.1f}x faster")
    print(f"model.run, one full pathway (every year, credits): {single * 1e3:.2f} ms: "
          f"{draws:,} of them would take {single * draws:.1f} s, {single * draws / batched:.1f}x "
          "the batched draws")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
