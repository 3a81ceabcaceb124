"""Benchmark: the whole 86-row town Gantt chart to PNG, against a bare matplotlib save of a
figure of the same size, in one run; prints both times and their ratio.

Run: .venv/bin/python bench/bench_gantt.py [REPEATS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from matplotlib.figure import Figure

from roadmap import load_catalog
from roadmap.rendering.gantt import domain_chart
from roadmap.rendering.outputs import save_figure


def best_of(repeats: int, work) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(repeats: int = 3) -> None:
    catalog = load_catalog()
    folder = Path(tempfile.mkdtemp())
    size = domain_chart(catalog, "town").get_size_inches()

    def town_chart() -> None:
        figure = domain_chart(catalog, "town")
        save_figure(figure, folder / "town.png")

    def bare_figure() -> None:
        figure = Figure(figsize=size)
        figure.savefig(folder / "bare.png", dpi=200)

    chart, bare = best_of(repeats, town_chart), best_of(repeats, bare_figure)
    print(f"figure {size[0]:.1f} x {size[1]:.1f} in at 200 dpi, best of {repeats}")
    print(f"town chart (86 rows) to PNG: {chart:.3f} s   bare figure save: {bare:.3f} s")
    print(f"ratio: {chart / bare:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
