"""The documents generated from the engine are up to date."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import readme_figures  # noqa: E402
import review_top_ten  # noqa: E402


def test_the_readme_quotes_the_engine_s_figures(capsys):
    """Every figure between `<!-- fig:NAME -->` markers in the README is what the engine gives
    now (`make docs` rewrites them)."""
    assert readme_figures.main(check=True) == 0, capsys.readouterr().out


def test_the_top_ten_review_shows_today_s_ranking_and_a_note_on_each_measure(capsys):
    """docs/review-top-ten.md: each site's table is the engine's top ten now, and the
    planner's notes below it name exactly those measures, in order (`make docs` rewrites
    the tables; a moved ranking needs its notes written again)."""
    assert review_top_ten.main(check=True) == 0, capsys.readouterr().out


def test_the_top_ten_check_fails_when_a_note_is_missing(monkeypatch, tmp_path, capsys):
    review = tmp_path / "review.md"
    text = review_top_ten.REVIEW.read_text("utf-8")
    review.write_text(text.replace("- `town-boiler-coal-to-electric`:", "- coal boilers:"),
                      encoding="utf-8")
    monkeypatch.setattr(review_top_ten, "REVIEW", review)
    monkeypatch.setattr(review_top_ten, "ROOT", tmp_path)
    assert review_top_ten.main(check=True) == 1
    assert "xiaolan-town: the notes name" in capsys.readouterr().out


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
