"""The documents generated from the engine are up to date."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import readme_figures  # noqa: E402


def test_the_readme_quotes_the_engine_s_figures(capsys):
    """Every figure between `<!-- fig:NAME -->` markers in the README is what the engine gives
    now (`make docs` rewrites them)."""
    assert readme_figures.main(check=True) == 0, capsys.readouterr().out


def test_the_readme_python_api_snippet_runs_as_written(tmp_path):
    """Every line of README's Python API example works (in a folder beside the catalogs)."""
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text("utf-8")
    section = readme.split("## Python API", 1)[1]
    snippet = section.split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "catalogs").symlink_to(root / "catalogs")
    done = subprocess.run([sys.executable, "-c", snippet], cwd=tmp_path, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "output" / "roadmap.svg").exists()
    assert (tmp_path / "output" / "my-site" / "report.html").exists()
