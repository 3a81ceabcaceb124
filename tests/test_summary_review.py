"""The report's summary and sentences after the fifth review (milestones, uncertainties,
near-zero remainder, investment figures, remaining cells)."""

from __future__ import annotations

from pathlib import Path

import pytest

from roadmap.rendering.document import milestone_table
from roadmap.workflow import Options, analyse_file

SITES = Path(__file__).resolve().parents[1] / "catalogs" / "sites"


@pytest.fixture(scope="module")
def analyses(catalog):
    quick = Options(draws=20, uncertainty_draws=0, compare=("topsis",))
    return {name: analyse_file(catalog, SITES / f"{name}.yaml", quick)
            for name in ("industrial-park", "building", "nanao-county")}


def test_the_milestones_reach_the_target_year(analyses):
    """The park's target is of 2035, its target year 2050: the summary's table stopped at
    2035 and hid the net rise after it."""
    park = analyses["industrial-park"]
    assert park.site.target_year == 2050 and park.site.goal_year == 2035
    table = milestone_table(park, "en")
    assert list(table.iloc[:, 0]) == ["2025", "2035", "2050"]
    net = park.pathway.by_year.set_index("year").loc[2050, "net"]
    assert table.iloc[-1, -1] == f"{net:,.0f}"
