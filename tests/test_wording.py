"""What a client reads in the bundled sites' reports: units suited to the site's size, one
per report; no statement that cannot be otherwise; the sites' own years; one language."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from roadmap.rendering.charts import sensitivity_chart, wedge_chart
from roadmap.rendering.document import (
    annex_section,
    bau_lines,
    chance_lines,
    economics_lines,
    method_section,
    milestone_table,
    pathway_section,
    uncertainty_lines,
)
from roadmap.rendering.messages import assumption_origin
from roadmap.rendering.report import column_sheet, result_tables, with_labels
from roadmap.workflow import Options, analyse_file
from tests.helpers import run

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


def test_a_site_of_megatonnes_counts_them_in_its_english_tables_as_on_its_charts(sites):
    """Xiaolan's English charts read Mt while its tables counted 2,105,713 tCO2e/yr: from
    1 Mt a year the English milestone, pathway, scenario and Monte Carlo tables count in Mt,
    to the thousand tonnes of the Chinese tables' 0.1 万吨."""
    analysis = sites["xiaolan-town"]
    assert _ylabel(analysis, "en") == "Mt CO2e per year"
    summary = milestone_table(analysis, "en")
    tables = pathway_section(analysis, "en")["tables"]
    for table in (summary, tables[0][1]):
        assert "business as usual, before sinks (Mt CO2e/yr)" in table.columns
    assert tables[1][0] == "Scenarios: net emissions after sinks (Mt CO2e/yr)"
    assert "net P50 (Mt CO2e/yr)" in tables[2][1].columns
    last = analysis.pathway.by_year.set_index("year")["bau"][int(summary.iloc[-1, 0])]
    assert summary.iloc[-1, 1] == f"{last / 1e6:.3f}"  # 2.106
    chinese = milestone_table(analysis, "zh").iloc[-1, 1]  # the same kilotonnes: 210.6 万吨
    assert chinese.replace(",", "") == f"{last / 1e4:.1f}"


def test_no_certain_top_k_chance_where_every_candidate_is_in_the_roadmap(sites):
    """The hub has 8 candidates, all in its roadmap: a 100 % chance of the top 10 says
    nothing; the chance of meeting its target would, but its targets are met in none of the
    draws, a certainty: the rank's range is said, without a chance of the top 10."""
    analysis = sites["transport-hub"]
    assert analysis.stability.top_k >= len(analysis.stability.frame)
    quick = SimpleNamespace(**{**vars(analysis), "uncertainty": None})
    assert list(analysis.uncertainty.targets["probability"]) == [0.0, 0.0]
    for lang in ("zh", "en"):
        assert chance_lines(analysis, lang, uncertain=True) == []
        assert uncertainty_lines(analysis, lang)[0] == uncertainty_lines(quick, lang)[0]
    assert uncertainty_lines(quick, "zh")[0].startswith("权重变化下，")
    assert "90%的抽样中排名第" in uncertainty_lines(quick, "zh")[0]
    assert "前10名" not in uncertainty_lines(quick, "zh")[0]
    community = uncertainty_lines(sites["community"], "en")[0]
    assert "probability of the top 10" in community  # 22 candidates, 16 in the roadmap


def test_the_baseline_sentences_use_the_sites_target_year_and_its_figures(sites):
    """The hub's target is 2030, not 2035; its business as usual falls (6,307 t in 2017,
    6,218 t in 2030: the uptake under way since 2018 outweighs growth); the community's
    rises to its target's year (18,534 t in 2016, 19,440 t in 2035): no 'it may fall while
    the economy grows'."""
    hub = sites["transport-hub"]
    growth = uncertainty_lines(hub, "zh")[1]
    assert "决定2030年的基准排放" in growth
    bau = hub.scenarios["bau"].by_year.set_index("year")["net"]
    assert bau[2030] < bau[2017]
    zh, en = bau_lines(hub, "zh")[0], bau_lines(hub, "en")[0]
    assert "2030年6,218吨" in zh and "经济增长时基准排放仍下降" in zh
    assert "falls while the economy grows" in en and "6,218 tCO2e/yr in 2030" in en
    community = sites["community"]
    bau = community.scenarios["bau"].by_year.set_index("year")["net"]
    assert bau[2035] > bau[2016]
    zh, en = bau_lines(community, "zh")[0], bau_lines(community, "en")[0]
    assert "2035年1.94万吨" in zh and "下降：" not in zh and "仍使基准排放上升" in zh
    assert "growth still raises it" in en and "may fall" not in en
    xiaolan = bau_lines(sites["xiaolan-town"], "en")[0]
    falls = sites["xiaolan-town"].scenarios["bau"].by_year.set_index("year")["net"]
    assert ("falls while the economy grows" in xiaolan) == bool(falls[2050] < falls[2010])
    still = SimpleNamespace(**{**vars(hub), "site": hub.site.model_copy(
        update={"growth_rate": 0.0})})
    assert "assumes no growth" in bau_lines(still, "en")[0]


def test_a_budget_choice_at_its_bound_is_said_to_be_the_best(monkeypatch):
    from roadmap.cli import plan_commands

    portfolio = SimpleNamespace(
        budget=100.0, portfolio_spend=90.0, portfolio_abatement=50.0, year=2035,
        bau_emissions=1000.0, gap=0.0, frame=pd.DataFrame({
            "chosen": [True, False], "saving_10k_yuan_per_yr": [5.0, -5.0]}),
        shadow_price=None, step_gain=0.0, phase_shadow_prices={}, committed=(),
        cost_year=2050)
    en = plan_commands._portfolio_text(portfolio, "en")
    zh = plan_commands._portfolio_text(portfolio, "zh")
    assert "the best choice (it meets the bound)" in en and "0.0%" not in en
    assert "为最优选择（达到上界）" in zh and "0.0%" not in zh
    portfolio.gap = 0.013
    assert "within 1.3% of the best choice" in plan_commands._portfolio_text(portfolio, "en")


def test_a_chinese_report_names_no_repository_file_nor_library(sites):
    analysis = sites["community"]
    method = method_section(analysis, "zh")["paragraphs"][0]
    assert "pymcdm" not in method and method.startswith("COPRAS · ")
    said = " ".join([*economics_lines(analysis, "zh"), *economics_lines(analysis, "en"),
                     *[assumption_origin(k, one) for k in analysis.site.assumptions.model_dump()
                       for one in ("zh", "en")]])
    assert "docs/" not in said and ".md" not in said


def test_the_unstable_ranks_header_names_k(sites):
    tables = dict(annex_section(sites["community"], "zh")["tables"])
    unstable = tables["排名不稳定的措施"]
    assert "进入前10名的概率" in unstable.columns
    english = dict(annex_section(sites["community"], "en")["tables"])
    assert "probability of the top 10" in english["Measures with an unstable rank"].columns


def test_the_workbook_says_codes_in_words_beside_them_and_names_why_alike(sites):
    """A zh workbook showed near/mid/long, efficiency, tCO2e/yr, emc: each code column keeps
    its codes (as the CSV files) and is followed by its words."""
    analysis = sites["transport-hub"]
    tables = result_tables(analysis)
    roadmap = with_labels(tables["roadmap"], "zh")
    phase = list(roadmap.columns).index("phase")
    assert roadmap.columns[phase + 1] == "phase_label"
    assert set(roadmap["phase_label"]) <= {"近期", "中期", "远期"}
    assert set(roadmap["phase"]) <= {"near", "mid", "long"}
    for name, code, words in (("contributions", "group", "电气化"),
                              ("economics", "function", "能效提升"),
                              ("targets", "unit", "吨CO2e/年"),
                              ("targets", "kind", "绝对减排"),
                              ("implementation", "mode", "政府主导")):
        assert words in set(with_labels(tables[name], "zh")[f"{code}_label"]), (name, code)
    both = with_labels(tables["targets"], "both")
    assert "绝对减排" in both["kind_label"].iloc[0] and "Absolute" in both["kind_label"].iloc[0]
    assert "category_en" in tables["ranking"].columns
    sheet = column_sheet({"ranking": tables["ranking"], "roadmap": roadmap}, "zh")
    said = dict(zip(sheet["column"], sheet["label_zh"], strict=True))
    assert said["why"] == "排序依据（英文）" and said["why_zh"] == "排序依据（中文）"
    assert said["phase_label"] == "阶段（文字）"


def test_the_pathway_command_names_measures_in_chinese(capsys):
    status, out, _ = run(capsys, "pathway", str(SITES / "transport-hub.yaml"), "--lang", "zh",
                         "--draws", "10")
    assert status == 0
    assert "电动汽车（trn-electric-vehicles）" in out


@pytest.mark.parametrize("name", ["community", "transport-hub"])
def test_the_sensitivity_chart_shows_the_top_k_the_text_names_ranked_from_1(sites, name):
    """The community's chart showed 20 measures beside 'top 10' and a rank 0 tick; the
    ceramics chart had no 1."""
    result = sites[name].stability
    axes = sensitivity_chart(result, lang="en").axes[0]
    assert len(axes.get_yticks()) == min(result.top_k, len(result.frame))
    ticks = [float(t) for t in axes.get_xticks()]
    assert ticks[0] == 1 and all(t.is_integer() and t >= 1 for t in ticks)
    assert axes.get_xlim()[1] == 0.5  # the best rank on the right, nothing left of 1
