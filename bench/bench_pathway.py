"""Benchmark: the site model's pathway for an 86-measure town, all years.

    python bench/bench_pathway.py

Every town measure is a candidate and adopted (all features, a land area, every sector
and carrier of the table). Prints the median of repeated runs of: building the model
(baseline, effects, business as usual), one scenario run (the arrays: energy, emissions and
every measure's order-free credit by cell and year), and the tidy table built from it, with
the run's cost per measure x cell x year element. The target: a run costs a few
milliseconds, so that thousands of Monte Carlo draws stay interactive.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from roadmap import load_catalog  # noqa: E402
from roadmap.inputs.site import site_from_dict  # noqa: E402
from roadmap.inputs.vocabulary import CARRIERS, FEATURES, SECTORS  # noqa: E402
from roadmap.model.pathway import site_model  # noqa: E402

REPEAT = 30


def median_seconds(action, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    catalog = load_catalog()
    town = [t.id for t in catalog if t.domain == "town"]
    baseline = {s: {c: 1000.0 for c in CARRIERS if c != "biomass"} for s in SECTORS}
    site = site_from_dict({"name": "bench town", "domain": "town", "baseline": baseline,
                           "features": list(FEATURES), "land_area_ha": 5000,
                           "green_power": {2050: 0.5}, "base_year": 2020,
                           "target_year": 2050})
    model = site_model(site, catalog, town)
    starts = dict.fromkeys(town, 0)
    build = median_seconds(lambda: site_model(site, catalog, town), 10)
    run = median_seconds(lambda: model.run("roadmap", starts))
    table = median_seconds(lambda: model.run("roadmap", starts).frame)
    elements = len(town) * len(model.base.cells) * len(model.base.years)
    print(f"{len(town)} measures x {len(model.base.cells)} cells x {len(model.base.years)} years "
          f"= {elements:,} elements")
    print(f"build the model (baseline, effects, business as usual): {build * 1e3:7.1f} ms")
    print(f"one scenario run (arrays and credits):                   {run * 1e3:7.1f} ms "
          f"({run / elements * 1e9:.0f} ns per element)")
    print(f"the same run with its tidy table:                        {table * 1e3:7.1f} ms "
          f"(the table is {table / run:.1f}x the run)")


if __name__ == "__main__":
    main()
