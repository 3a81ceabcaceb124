"""Benchmark: start-up of everyday commands against the import floor, in one run.

Each command runs REPEATS times as a subprocess; the median wall time is printed with its
ratio to the floor, `python -c "import pandas, matplotlib.pyplot, pymcdm"`.
Targets (2-core machine): --help and --version < 0.3 s, catalog list < 0.8 s, run <= 3x floor.

Run: .venv/bin/python bench/bench_startup.py [REPEATS]   (default 5)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROADMAP = [str(Path(sys.executable).parent / "roadmap")]  # the installed entry point
SITE = str(ROOT / "catalogs" / "sites" / "xiaolan-town.yaml")


def median_time(command: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT,
                       env={**os.environ, "COLUMNS": "120"})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(repeats: int = 5) -> None:
    floor = median_time([sys.executable, "-c", "import pandas, matplotlib.pyplot, pymcdm"],
                        repeats)
    with tempfile.TemporaryDirectory() as folder:
        commands = {
            "roadmap --help": ["--help"],
            "roadmap --version": ["--version"],
            "roadmap catalog list -d park": ["catalog", "list", "-d", "park"],
            "roadmap rank xiaolan-town": ["rank", SITE],
            "roadmap run xiaolan-town": ["run", SITE, "-o", str(Path(folder) / "run"),
                                         "--force"],
        }
        print(f"import floor (pandas, matplotlib.pyplot, pymcdm): {floor:.3f} s "
              f"(median of {repeats})")
        for name, args in commands.items():
            seconds = median_time([*ROADMAP, *args], repeats)
            print(f"{name:32s} {seconds:7.3f} s  {seconds / floor:5.2f}x floor")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
