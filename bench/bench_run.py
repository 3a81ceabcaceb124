"""Benchmark: `roadmap run` on the default site end to end, as a ratio to the import floor
(`python -c "import pandas, matplotlib.pyplot, pymcdm"`), and `roadmap batch` over N
generated profiles with --jobs 1 and --jobs 2; all timed in one run, as subprocesses.
Target: a run within 3x the import floor.

Run: .venv/bin/python bench/bench_run.py [PROFILES]   (default 200)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
ROADMAP = str(Path(sys.executable).with_name("roadmap"))
SOURCES = ("electricity", "industrial_fuel", "transport_fuel", "building_fuel", "waste")
DOMAINS = ("town", "park", "community", "building", "transport", "enterprise")


def seconds(command: list[str], repeats: int = 1) -> float:
    """Best wall time of `repeats` runs of a command."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        best = min(best, time.perf_counter() - start)
    return best


def generate_profiles(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """`count` plausible site profiles, drawn with a fixed seed."""
    rng = np.random.default_rng(seed)
    paths = []
    for index in range(count):
        shares = rng.dirichlet(np.ones(len(SOURCES)))
        total = float(rng.uniform(1e4, 5e6))
        profile = {
            "name": f"generated site {index}", "domain": DOMAINS[index % len(DOMAINS)],
            "baseline": {s: round(total * w) for s, w in zip(SOURCES, shares, strict=True)},
            "growth_rate": round(float(rng.uniform(0, 0.04)), 3),
            "target": {"reduction": round(float(rng.uniform(0.2, 0.8)), 2), "year": 2040},
            "features": [f for f in ("port", "rail", "airport") if rng.random() < 0.3],
            "budget": round(total / 50),
        }
        path = folder / f"site-{index:03d}.yaml"
        path.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths


def main(count: int = 200) -> None:
    work = Path(tempfile.mkdtemp())
    floor = seconds([sys.executable, "-c", "import pandas, matplotlib.pyplot, pymcdm"], 3)
    site = str(ROOT / "catalogs" / "sites" / "xiaolan-town.yaml")
    run = seconds([ROADMAP, "run", site, "-o", str(work / "run"), "--force"], 3)
    print(f"import floor {floor:.2f} s   roadmap run {run:.2f} s   ratio {run / floor:.1f}x")
    (work / "profiles").mkdir()
    profiles = [str(p) for p in generate_profiles(work / "profiles", count)]
    for jobs in (1, 2):
        took = seconds([ROADMAP, "batch", *profiles, "-o", str(work / f"batch{jobs}"),
                        "--jobs", str(jobs), "--force"])
        print(f"batch of {count} profiles, --jobs {jobs}: {took:.1f} s "
              f"({took / count:.2f} s per site)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
