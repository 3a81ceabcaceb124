"""Benchmark: 10,000 Monte Carlo draws of the Xiaolan pathway with all its candidates.

    python bench/bench_uncertainty.py [DRAWS]

In one run: `monte_carlo` (the draws side by side on the years axis of the model, about
1,000 years x draws at a time, the later half of the draws on the second core; the cuts
summed into cells measure by measure, the removed energy of every pair split in the last
year only, the cells that never hold energy left out; then each process's costs and half
the percentiles) against a loop over the public single-run pathway function,
`SiteModel.run`, on each draw's model (`draw_model`: the same site model under that draw's
inputs, every year). The loop runs the first 300 draws and its net emissions in the report
years are asserted identical, byte for byte, to the batched ones. For scale, the central
`model.run` (no draw applied: the floor of any loop) is timed too. Times are the median
of 3 and are given as wall time and as CPU time, this process's and its helper's (other jobs
on the machine inflate the wall time; the CPU time counts both cores).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import scipy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roadmap import load_catalog, load_site  # noqa: E402
from roadmap.decisions.matrix import decision_matrix  # noqa: E402
from roadmap.model.pathway import site_model  # noqa: E402
from roadmap.model.uncertainty import (  # noqa: E402
    draw_inputs,
    draw_model,
    monte_carlo,
    report_columns,
)

LOOPED = 300
REPEATS = 3


def cpu_time() -> float:
    """CPU seconds of this process and of its helpers that have ended."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timed(work) -> tuple[float, float, object]:
    """Median wall and CPU seconds of `REPEATS` calls, and the last result."""
    walls, cpus = [], []
    for _ in range(REPEATS):
        wall, cpu = time.perf_counter(), cpu_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def machine() -> str:
    """The processor, its cores, memory and the versions the figures depend on."""
    cpuinfo = Path("/proc/cpuinfo")  # Linux; elsewhere, what `platform` knows
    names = [line.split(":", 1)[1].strip() for line in
             (cpuinfo.read_text().splitlines() if cpuinfo.exists() else [])
             if line.startswith("model name")]
    cpu = names[0] if names else platform.processor()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB; Python "
            f"{platform.python_version()}, NumPy {np.__version__}, SciPy {scipy.__version__}")


def main(draws: int = 10_000) -> None:
    catalog = load_catalog()
    site = load_site(ROOT / "catalogs" / "sites" / "xiaolan-town.yaml", catalog)
    ids = decision_matrix(catalog, site).ids
    model = site_model(site, catalog, ids)
    starts = dict.fromkeys(ids, 0)
    sample, columns = draw_inputs(model, draws, seed=1), report_columns(model)

    def loop() -> list:  # keeps what it compares only, as a user's loop would
        return [draw_model(model, sample, i).run("roadmap", starts).net[columns]
                for i in range(LOOPED)]

    batched_wall, batched_cpu, spread = timed(
        lambda: monte_carlo(model, starts, draws=draws, seed=1, every_year=False))
    yearly_wall, yearly_cpu, _ = timed(lambda: monte_carlo(model, starts, draws=draws, seed=1))
    loop_wall, loop_cpu, nets = timed(loop)
    central_wall, central_cpu, _ = timed(
        lambda: [model.run("roadmap", starts) for _ in range(LOOPED)])
    assert np.array(nets).tobytes() == \
        spread.net[:LOOPED].tobytes()
    scale = draws / LOOPED
    print(machine())
    print(f"Xiaolan, {len(ids)} candidates, {len(model.pairs.share)} measure x cell pairs, "
          f"{len(columns)} report years; wall time / CPU time, median of {REPEATS}")
    print(f"{draws:,} draws batched:                {batched_wall:6.2f} s / "
          f"{batched_cpu:5.2f} s ({batched_cpu / draws * 1e6:.0f} us CPU a draw)")
    print(f"{draws:,} draws batched, every year:    {yearly_wall:6.2f} s / "
          f"{yearly_cpu:5.2f} s (the chart's band, {len(model.base.years)} years)")
    print(f"the same draws, one public run each:  {loop_wall * scale:6.2f} s / "
          f"{loop_cpu * scale:5.2f} s (from {LOOPED} draws, identical bytes): batched is "
          f"{loop_wall * scale / batched_wall:.1f}x / {loop_cpu * scale / batched_cpu:.1f}x "
          "faster")
    print(f"floor: {draws:,} central model.run:   {central_wall * scale:6.2f} s / "
          f"{central_cpu * scale:5.2f} s ({central_cpu / LOOPED * 1e3:.2f} ms CPU each, no "
          f"draw applied): batched is {central_wall * scale / batched_wall:.1f}x / "
          f"{central_cpu * scale / batched_cpu:.1f}x faster")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
