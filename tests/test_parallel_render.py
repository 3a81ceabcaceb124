"""`roadmap run` draws some charts and writes the Word file in a forked helper process: the
files are the same bytes as when one process does it all."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

import roadmap.parallel as parallel
import roadmap.rendering.report as report
from roadmap import Options, analyse_site, load_site

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the helper is Linux-only")
def test_helper_process_writes_the_same_bytes(catalog, tmp_path, monkeypatch):
    site = load_site(ROOT / "catalogs" / "sites" / "building.yaml", catalog)
    analysis = analyse_site(catalog, site, Options(draws=100, uncertainty_draws=20))
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    helpers = []
    helper = report.forked_helper

    @contextmanager
    def recording(*args):
        with helper(*args) as submit:
            helpers.append(submit)
            yield submit

    monkeypatch.setattr(report, "forked_helper", recording)
    report.write_outputs(analysis, tmp_path / "two")
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    report.write_outputs(analysis, tmp_path / "one")
    assert helpers[0] is not parallel._done and helpers[1] is parallel._done  # two, then one
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*")
                   if p.is_file())
    assert len(files) >= 16
    for name in files:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), \
            name


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the helper is Linux-only")
def test_the_experts_agreement_is_the_same_from_the_helper(catalog, monkeypatch):
    """The analysis works out the experts' agreement on a second core: the same tables as
    on one."""
    site = load_site(ROOT / "catalogs" / "sites" / "building.yaml", catalog)
    options = Options(draws=20, uncertainty_draws=0)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    two = analyse_site(catalog, site, options).experts
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    one = analyse_site(catalog, site, options).experts
    for name in ("summary", "fits", "disagreements"):
        assert getattr(two, name).equals(getattr(one, name)), name
    assert two.weights == one.weights
