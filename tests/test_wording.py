"""What a client reads in the bundled sites' reports: units suited to the site's size, one
per report; no statement that cannot be otherwise; the sites' own years; one language."""

from __future__ import annotations

from pathlib import Path

import pytest

from roadmap.rendering.charts import wedge_chart
from roadmap.rendering.document import milestone_table, pathway_section
from roadmap.workflow import Options, analyse_file

SITES = Path(__file__).resolve().parents[1] / "catalogs" / "sites"


@pytest.fixture(scope="module")
def sites(catalog):
    quick = Options(draws=50, uncertainty_draws=20, compare=("topsis",))
    return {name: analyse_file(catalog, SITES / f"{name}.yaml", quick) for name in
            ("community", "transport-hub", "xiaolan-town")}


def _ylabel(analysis, lang: str) -> str:
    return wedge_chart(analysis.pathway, analysis.catalog, analysis.targets, lang,
                       ).axes[0].get_ylabel()


@pytest.mark.parametrize("name", ["community", "transport-hub"])
def test_a_small_site_counts_tonnes_in_its_charts_and_tables_alike(sites, name):
    """The community's chart read 0.000-0.020 Mt, the hub's summary 0.673 万吨 beside a
    chart and tables in 吨: a site of thousands of tonnes is counted in tonnes."""
    analysis = sites[name]
    assert _ylabel(analysis, "zh") == "排放量（吨CO2e/年）"
    assert _ylabel(analysis, "en") == "t CO2e per year"
    table = milestone_table(analysis, "zh")
    assert "基准情景排放（碳汇前，吨CO2e/年）" in table.columns
    assert all("." not in cell for cell in table.iloc[:, 1])  # whole tonnes, no 0.673


def test_a_large_site_counts_in_wan_tonnes_with_one_decimal_everywhere(sites):
    analysis = sites["xiaolan-town"]
    assert _ylabel(analysis, "zh") == "排放量（万吨CO2e/年）"
    summary = milestone_table(analysis, "zh")
    pathway = pathway_section(analysis, "zh")["tables"]
    assert "基准情景排放（碳汇前，万吨CO2e/年）" in summary.columns
    assert "基准情景排放（碳汇前，万吨CO2e/年）" in pathway[0][1].columns
    assert "万吨" in pathway[1][0]  # the scenarios' caption
    for cell in [*summary.iloc[:, 1], *pathway[0][1].iloc[:, 1]]:
        assert cell.split(".")[1].isdigit() and len(cell.split(".")[1]) == 1, cell
