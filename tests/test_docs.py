"""The documents generated from the engine are up to date."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import readme_figures  # noqa: E402


def test_the_readme_quotes_the_engine_s_figures(capsys):
    """Every figure between `<!-- fig:NAME -->` markers in the README is what the engine gives
    now (`make docs` rewrites them)."""
    assert readme_figures.main(check=True) == 0, capsys.readouterr().out
