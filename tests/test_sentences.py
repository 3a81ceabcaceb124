"""Every sentence the analysis writes for a reader has its Chinese in messages.yaml.

The result tables (CSV files and workbook) carry each English sentence column with its
Chinese beside it; `roadmap plan` prints its summary and tables in the asked language."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from roadmap.decisions import portfolio as portfolio_module
from roadmap.decisions.roadmap import select_measures
from roadmap.model.pathway import fossil_added
from roadmap.rendering.document import (
    SENTENCE_COLUMNS,
    grade_cost_lines,
    investment_lines,
    method_section,
    near_zero_lines,
    roadmap_section,
    scenario_table,
    uncertainty_lines,
)
from roadmap.rendering.messages import column as header_words
from roadmap.rendering.messages import measure_names, sentence
from roadmap.rendering.numbers import money
from roadmap.rendering.report import column_sheet, report_context, result_tables
from roadmap.workflow import Options, analyse_file
from tests.helpers import run

SITES = Path(__file__).resolve().parents[1] / "catalogs" / "sites"
XIAOLAN = SITES / "xiaolan-town.yaml"
# What may stay Latin in a Chinese sentence: measure ids, profile keys, units.
LATIN_ALLOWED = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+|[a-z_]+(?:\.[A-Za-z_]+)+|[a-z]+_[a-z_]+"
                           r"|CO2e?")
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def analyses(catalog):
    """Every bundled site, without Monte Carlo draws (they write no sentence)."""
    quick = Options(draws=20, uncertainty_draws=0, compare=("topsis",))
    return {path.stem: analyse_file(catalog, path, quick)
            for path in sorted(SITES.glob("*.yaml"))}


def _untranslated(chinese: str) -> list[str]:
    return ENGLISH_WORD.findall(LATIN_ALLOWED.sub("", chinese))


def test_every_sentence_cell_of_every_site_has_its_chinese_beside_it(analyses):
    cells, portfolio_reasons = 0, set()
    for site, analysis in analyses.items():
        for name, frame in result_tables(analysis).items():
            for column in (c for c in SENTENCE_COLUMNS if c in frame):
                columns = list(frame.columns)
                assert columns[columns.index(column) + 1] == f"{column}_zh", (site, name)
                for english, chinese in zip(frame[column], frame[f"{column}_zh"], strict=True):
                    with measure_names(analysis.catalog):
                        assert chinese == sentence(english, "zh"), (site, name, english)
                    assert not _untranslated(chinese), (site, name, english, chinese)
                    cells += bool(english)
                    if name == "portfolio":
                        portfolio_reasons.add(english.split(",")[0])
    assert cells > 800  # 899 sentences on 11 sites
    # the budget's reasons for leaving a measure out, as the bundled sites have them (a
    # prerequisite that does not apply: test_every_reason_the_budget_gives_is_translated)
    assert {"the budget buys more combined abatement elsewhere",
            "adds nothing to the chosen measures"} <= portfolio_reasons
    assert any(r.startswith("overlaps ") for r in portfolio_reasons)


def test_the_tables_keep_their_english_columns_in_place(analyses):
    tables = result_tables(analyses["xiaolan-town"])
    assert list(tables["excluded"].columns) == ["id", "domain", "name_zh", "name_en", "reason",
                                                "reason_zh"]
    assert list(tables["portfolio"].columns)[-3:] == ["chosen", "reason", "reason_zh"]
    assert list(tables["ranking"].columns)[-4:] == ["why", "why_zh", "note", "note_zh"]
    roadmap = tables["roadmap"].set_index("id")
    assert roadmap.loc["town-building-solar-pv", "reason_zh"] == "由场地资料纳入"
    assert tables["economics"].drop(columns="year").equals(
        analyses["xiaolan-town"].economics)  # no sentence


def test_the_economics_sheet_says_its_cost_year(analyses):
    """The workbook's economics sheet had no year: its figures are of the target year
    (`cost_year`), in a first `year` column as the other sheets', labelled in both languages."""
    from roadmap.rendering.report import column_sheet

    analysis = analyses["community"]
    sheet = result_tables(analysis)["economics"]
    assert list(sheet.columns[:2]) == ["year", "id"]
    assert set(sheet["year"]) == {analysis.site.target_year} == {2050}
    columns = column_sheet({"economics": sheet}, "both").set_index(["sheet", "column"])
    assert tuple(columns.loc[("economics", "year")]) == ("年份", "year")
    assert "(the target year)" in columns.loc[("economics", ""), "label_en"]


def test_a_sentence_a_reader_sees_names_measures_by_their_names(analyses):
    """The English `reason` column keeps the ids (what a program reads); its Chinese twin and
    the report's tables, in either language, name the measures."""
    analysis = analyses["xiaolan-town"]
    left_out = result_tables(analysis)["left_out"].set_index("id")
    row = left_out.loc["town-low-carbon-industry-system"]
    assert row["reason"] == ("overlaps town-industrial-restructuring, already in the roadmap "
                             "(town-low-carbon-industry-system includes "
                             "town-industrial-restructuring)")
    assert row["reason_zh"] == "与已入选的调整产业结构重叠（构建低碳产业体系包含调整产业结构）"
    for lang, name in (("zh", "调整产业结构"), ("en", "Industrial restructuring")):
        cells = [cell for section in report_context(analysis, lang)["sections"]
                 for _, table in section["tables"] for cell in table.to_numpy().ravel()]
        overlaps = [cell for cell in cells if "重叠" in cell or cell.startswith("overlaps ")]
        assert overlaps and not any(re.search(r"[a-z]+-[a-z]+-", cell) for cell in overlaps)
        assert any(name in cell for cell in overlaps), lang
    with measure_names(analysis.catalog):
        assert sentence("prerequisite of town-industrial-restructuring", "both") == (
            "调整产业结构的前提 (prerequisite of Industrial restructuring)")
    assert sentence("prerequisite of town-industrial-restructuring", "en") == (
        "prerequisite of town-industrial-restructuring")  # no names outside a report


def test_every_workbook_column_of_every_site_is_said_in_words(analyses):
    for site, analysis in analyses.items():
        tables = result_tables(analysis)
        words = column_sheet(tables, "both")
        for name, frame in {"columns": [], **tables}.items():
            said = words[words["sheet"] == name]
            assert said["column"].tolist() == ["", *map(str, getattr(frame, "columns", []))]
        assert words["label_zh"].str.contains(CJK).all(), site
        assert not words["label_en"].str.contains(CJK).any(), site
    ranking = words[words["sheet"] == "ranking"].set_index("column")
    assert ranking.loc["why", "label_zh"] == "排序依据（英文）"  # its Chinese is why_zh
    assert ranking.loc["cost", "label_en"] == "levelised cost, adopted alone (yuan/t)"
    # every criterion a profile may weigh has its share of the score in words
    assert header_words("contribution_economics", "zh") == "得分贡献：经济性"
    assert header_words("contribution_stars", "en") == "contribution to the score: study stars"


def test_a_technology_in_two_catalogs_is_noted_on_both_rows(analyses):
    """Nan'ao plans with the town and the transport catalogs: shore power is ranked 9th and
    10th, once from each; both rows say they are the same technology."""
    notes = analyses["nanao-county"].ranking.frame.set_index("id")["note"]
    assert notes["trn-shore-power"] == ("the same technology as town-port-shore-power, also a "
                                        "candidate")
    assert notes["town-port-shore-power"].endswith("trn-shore-power, also a candidate")
    tables = result_tables(analyses["nanao-county"])
    ranking = tables["ranking"].set_index("id")
    assert ranking.loc["trn-shore-power", "note_zh"] == "与候选措施港口岸电使用为同一技术"
    assert not analyses["xiaolan-town"].ranking.frame["note"].str.contains("same technology").any()


def test_a_row_restating_several_of_a_catalog_includes_them_not_the_same_technology(analyses):
    """Nan'ao's natural-gas vehicles read "the same technology as" the town's new-energy
    vehicles, which restate four transport rows (electric, fuel-cell, gas and solar): a
    gas vehicle is no new-energy vehicle in Chinese policy. The town row includes each; one
    transport and one park row restated (intelligent traffic) stay the same technology."""
    frame = analyses["nanao-county"].ranking.frame.set_index("id")["note"]
    assert frame["trn-natural-gas-vehicles"] == \
        "included in town-new-energy-vehicles, also a candidate"
    assert frame["town-new-energy-vehicles"] == (
        "includes trn-electric-vehicles, trn-fuel-cell-vehicles, trn-natural-gas-vehicles, "
        "trn-solar-vehicles, also a candidate")
    assert frame["trn-intelligent-traffic-management"].startswith("the same technology as")
    zh = result_tables(analyses["nanao-county"])["ranking"].set_index("id")["note_zh"]
    assert zh["trn-natural-gas-vehicles"] == "包含于候选措施新能源汽车"
    assert zh["town-new-energy-vehicles"].startswith("包含候选措施电动汽车、燃料电池汽车")


def test_every_overlap_left_out_of_a_roadmap_is_translated(analyses):
    reasons = {reason for analysis in analyses.values()
               for reason in select_measures(analysis.ranking, analysis.catalog, top=None)[1][
                   "reason"]}
    assert len(reasons) > 10
    for reason in reasons:
        assert not _untranslated(sentence(reason, "zh")), reason
    assert sentence("overlaps town-a, already in the roadmap (town-b and town-c both include "
                    "town-d)", "zh") == "与已入选的town-a重叠（town-b与town-c都包含town-d）"


def test_every_reason_the_budget_gives_is_translated():
    """Each reason the portfolio gives a measure left out (`_Why`), those no bundled site
    reaches included: m0 dearer than the whole budget (at 9.5, too dear for what is left),
    m1 chosen, m2 and m7 missing a prerequisite (m7's excluded by the profile), m3 abating
    nothing, m4 adding nothing, m5 overlapping m1, m6 above the cost ceiling, m8 needing m6,
    m9 over the near term's budget;
    and, the included measures costing more than the budget, that reason; m0 converting a
    stock that m1 holds."""
    chosen = np.array([False, True] + [False] * 8)
    closed = np.isin(np.arange(10), [2, 6, 7, 8])
    near = np.where(np.arange(10) == 9, 5.0, 0.0)
    rules = portfolio_module.Rules(np.array([100.0] + [1.0] * 8 + [2.0]), 10.0, [(8, 6)], [(1, 5)],
                  ((near, 3.0),), None, closed)
    standalone = [10.0] * 3 + [0.0] + [10.0] * 6
    why = portfolio_module._Why([f"m{i}" for i in range(10)], rules, ("near",), chosen,
                                {2, 7}, {6}, {"m7": "needs m-out, which the profile excludes"},
                                1000.0, {4}, standalone, [])
    reasons = [why.reason(i) for i in range(10)]
    assert reasons[1] == "" and reasons[8] == (
        "needs m6: its levelised cost is above the ceiling of 1,000 yuan/t")
    assert [sentence(r, "zh") for r in reasons] == [
        "全面推广需投资100万元，超过预算可用于它的10万元：在场地资料中为其设定较小的推广比例即"
        "可纳入预算", "", "其前提措施不适用于本场地",
        "至评估年尚无减排量", "在已选措施之外不增加减排量", "与已选的m1重叠",
        "平准化减排成本高于上限1,000元/吨", "需要场地资料排除的m-out",
        "需要m6：平准化减排成本高于上限1,000元/吨", "近期阶段的预算已用完"]
    dear = why._replace(rules=rules._replace(costs=np.r_[9.5, rules.costs[1:]]))
    assert sentence(dear.reason(0), "zh") == "同样的预算用于其他措施可获得更多综合减排量"
    spent = why._replace(rules=rules._replace(budget=0.5, committed=chosen))
    assert sentence(spent.reason(0), "zh") == "预算已用于场地资料纳入的措施"
    stock = np.array([0.5, 0.7] + [0.0] * 8)  # m0 and m1 convert the gas
    rivals = why._replace(rules=rules._replace(stocks=((stock, 1.0),)),
                          stock_cells=["commercial.lpg"])
    assert sentence(rivals.reason(0), "zh") == (
        "其可替代的公共及商业建筑·液化石油气存量已由已选的m1占满")


def test_the_experts_disagreements_are_translated(analyses):
    reasons = analyses["xiaolan-town"].experts.disagreements["reason"]
    assert len(reasons) >= 10
    for reason in reasons:
        assert not _untranslated(sentence(reason, "zh")), reason
    assert sentence("economics 4/5 lifts the engine's rank above ★ 3", "zh") == \
        "经济性4/5使模型排名高于★3"
    assert sentence("widespread only 2035-2050: ★ 4 asks to push its R&D and promotion",
                    "zh") == "2035—2050年才普及：★4表示需加强研发与推广"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_prints_its_summary_in_the_asked_language(capsys, lang):
    status, out, _ = run(capsys, "plan", str(XIAOLAN), "--budget", "--lang", lang)
    assert status == 0
    if lang == "zh":
        assert "buys" not in out and "Shadow price" not in out and "left out" not in out
        assert "可购买12项措施" in out and "预算影子价格" in out
        assert "中期：2025—2035年普及（5项措施）" in out
        assert "纳入预算组合；排名第10（共58项）" in out
        assert "由场地资料纳入；排名第36（共58项）" in out and "由预算先行支付" in out
        assert not _untranslated(out)
    else:
        assert "The budget of 743 million yuan buys 12 measures for 736 million yuan" in out
        assert "Shadow price of the budget" in out
        assert "Near term: widespread 2010-2025 (4 measures)" in out
        assert "bought by the budget; rank 10 of 58" in out
        assert "included by the site profile; rank 36 of 58" in out
        assert not CJK.search(out)


def test_plan_in_both_languages_prints_chinese_then_english(capsys):
    status, out, _ = run(capsys, "plan", str(XIAOLAN), "--top", "5", "--lang", "both")
    assert status == 0
    assert "近期：2010—2025年普及（2项措施） / Near term: widespread 2010-2025 (2 measures)" in out
    assert "排名第1（共58项） (rank 1 of 58)" in out


def test_the_investment_total_names_the_year_it_runs_to(analyses):
    """The community's target is 2035 but its pathway runs to 2050: the total (all years'
    spend) was written "by 2035", one line above the cumulative spend by 2035."""
    for analysis in (analyses["community"], analyses["xiaolan-town"]):
        spend = analysis.investment.query("scenario == 'roadmap'")
        total = money(spend["investment_10k_yuan"].sum(), "zh")
        line = investment_lines(analysis, "zh")[0]
        assert f"至{analysis.site.target_year}年投资约{total}" in line, line
    assert analyses["community"].years[-1] == 2035


def test_the_scenarios_table_reaches_the_near_zero_checks_year(analyses):
    """The community's target is of 2035, its near-zero check of 2050: the table stopped at
    2035 while the text judged 2050."""
    frame = scenario_table(analyses["community"])
    assert list(frame.columns) == ["scenario", "2016", "2025", "2035", "2050"]
    assert list(scenario_table(analyses["xiaolan-town"]).columns)[-1] == "2050"


def test_measures_that_pay_back_within_a_year_are_named_for_checking(analyses):
    """Nan'ao's natural-gas vehicles and livestock models (the latter costed from the ➕
    grade) pay back within a year at their central costs: the report names them. (Solar
    water heating and heat pumps did, at every town, until a cost family priced them.)"""
    from roadmap.rendering.document import economics_lines

    nanao = analyses["nanao-county"]
    quick = nanao.economics.query("payback_years < 1")
    assert set(quick["id"]) == {"trn-natural-gas-vehicles", "town-efficient-animal-farming"}
    line = next(x for x in economics_lines(nanao, "en") if "pay back within a year" in x)
    assert line.startswith("2 measures pay back within a year at their central unit costs")
    assert not analyses["xiaolan-town"].economics.query("payback_years < 1").size


def test_a_dropped_criterion_reads_once_in_each_language():
    """In both languages the note is the Chinese sentence, then the English one (formatting
    one sentence with bilingual parts wrote every term twice)."""
    ranking = SimpleNamespace(weights={"timing": 1.0}, method="copras",
                              dropped={"cost": "same value (0) for every measure"})
    items = method_section(SimpleNamespace(ranking=ranking), "both")["items"]
    assert items == ["平准化减排成本：所有措施取值相同（0） / levelised cost: same value (0) for "
                     "every measure"]


def test_a_rank_the_weights_never_move_is_said_as_kept():
    """A rank no draw moves stays; one that 90 % of the draws keep is said so."""
    frame = pd.DataFrame({"id": ["a", "b"], "name_zh": ["甲", "乙"], "name_en": ["A", "B"],
                          "rank": [1, 2], "rank_p5": [1, 2], "rank_p95": [1, 2],
                          "best_rank": [1, 2], "worst_rank": [1, 2],
                          "p_top_k": [1.0, 1.0], "unstable": [False, False]})
    analysis = SimpleNamespace(stability=SimpleNamespace(frame=frame, top_k=1),
                               roadmap=SimpleNamespace(frame=frame[["id"]].head(1)),
                               site=SimpleNamespace(growth_rate=0.02, goal_year=2035),
                               uncertainty=None, years=[2035])
    assert uncertainty_lines(analysis, "en")[0] == \
        "A: its rank stays 1 whatever the weights (probability of the top 1: 100%)."
    assert uncertainty_lines(analysis, "zh")[0] == \
        "甲的排名在权重变化下保持第1名（进入前1名的概率100%）。"
    frame.loc[0, "worst_rank"] = 2
    assert uncertainty_lines(analysis, "en")[0] == (
        "A: its rank is 1 in at least 90% of the weight draws (probability of the top 1: 100%).")
    assert uncertainty_lines(analysis, "zh")[0] == \
        "权重变化下，甲在至少90%的抽样中排名第1（进入前1名的概率100%）。"


def test_a_phase_without_measures_is_a_sentence_not_an_empty_table(analyses):
    """The electronics factory's and Jiangmen's roadmaps have no long-term measure."""
    for name in ("electronics-factory", "jiangmen-city"):
        part = roadmap_section(analyses[name], "both")
        assert all(len(table) for _, table in part["tables"]), name
        assert not any("2035-2050" in caption for caption, _ in part["tables"]), name
        assert part["paragraphs"] == ["没有措施在以下阶段普及：远期（2035—2050年）。 / No measure "
                                      "becomes widespread in these phases: Long term (2035-2050)."]
    part = roadmap_section(analyses["xiaolan-town"], "en")
    assert part["paragraphs"] == [] and len(part["tables"]) >= 3


def test_a_roadmap_that_is_the_technical_potential_says_so(analyses):
    """The ceramics plant's roadmap takes its 15 applicable measures, none delayed: its
    technical potential is the same pathway, which the near-zero text says first. Xiaolan's
    top 15 leave measures out: no such sentence."""
    ceramics, xiaolan = analyses["ceramics-plant"], analyses["xiaolan-town"]
    for analysis in (ceramics, xiaolan):
        same = (analysis.scenarios["roadmap"].by_year["net"]
                .equals(analysis.scenarios["potential"].by_year["net"]))
        assert same == (analysis is ceramics)
    assert near_zero_lines(ceramics, "en")[0] == (
        "The roadmap already takes every applicable measure, none of them delayed: the "
        "technical potential is the roadmap.")
    assert near_zero_lines(ceramics, "zh")[1].startswith("即使全部适用措施达到技术潜力")
    assert not any("is the roadmap" in line for line in near_zero_lines(xiaolan, "en"))


def test_a_roadmap_leaving_out_only_capped_programmes_says_why_it_is_the_potential(analyses):
    """The park's roadmap leaves out nine plans and platforms, and its potential is the
    same pathway: the report said the roadmap 'already takes every applicable measure'. The
    enabling measures share one cap, which the roadmap's own reach."""
    park = analyses["industrial-park"]
    roadmap, potential = (park.scenarios[name] for name in ("roadmap", "potential"))
    left = [i for i in potential.measures if i not in roadmap.measures]
    assert len(left) == 9 and {park.catalog.get(i).acts.type for i in left} == {"enabling"}
    assert near_zero_lines(park, "en")[0] == (
        "The 9 plans, platforms and programmes the roadmap leaves out would abate nothing "
        "more: enabling measures share one cap, which the roadmap's own already reach. The "
        "technical potential is the roadmap.")
    assert near_zero_lines(park, "zh")[0].startswith("路线图未纳入的9项规划、平台与管理类措施")


def test_a_switch_to_a_fossil_fuel_is_named_with_what_it_still_emits(analyses):
    """The hub's natural-gas buses: their gas emits 523 t/yr beyond business as usual in
    2050 (440 while solar cars took a share of the buses as electric ones), said after the
    near-zero gap."""
    hub = analyses["transport-hub"]
    added = fossil_added(hub.scenarios["roadmap"])
    assert list(added) == ["trn-natural-gas-vehicles"]
    cells = hub.scenarios["roadmap"].cells.query("year == 2050 and carrier == 'gas'")
    assert added["trn-natural-gas-vehicles"] == pytest.approx(
        (cells["emissions"] - cells["bau"]).sum())
    assert near_zero_lines(hub, "en")[-1].startswith("Switched to a fossil fuel")
    assert near_zero_lines(hub, "en")[-1].endswith(": Natural-gas vehicles (522 tCO2e/yr).")
    assert near_zero_lines(hub, "zh")[-1].endswith("：天然气汽车（522吨CO2e/年）。")
    assert fossil_added(analyses["xiaolan-town"].scenarios["roadmap"]) == {}


def test_the_summary_says_how_much_is_costed_from_the_grade_alone(analyses):
    """Over a third of the community's roadmap has no cost family: the executive summary
    says so beside the investment, with the capital those indicative costs add up to."""
    community = analyses["community"]
    graded = community.economics.query("cost_basis == 'grade'")
    assert (len(graded), len(community.economics)) == (6, 16)
    assert grade_cost_lines(community, "en") == [
        f"6 of the roadmap's 16 measures have no cost family and are costed from the study's "
        f"economics grade alone ({money(graded['investment_10k_yuan'].sum(), 'en')} at full "
        "adoption): indicative figures the ranking and the budget read; check them against "
        "quotes."]
    summary = report_context(community, "zh")["sections"][0]
    assert any(line.startswith("路线图的16项措施中有6项没有适用的成本类别")
               for line in summary["investment"])


def test_every_site_report_pairs_each_chinese_line_with_its_english_one(analyses):
    """The bilingual report (`roadmap run`'s default) pairs the lines of the two languages
    one to one: the community's stopped with a traceback when a line was said in Chinese
    only (`test_a_line_said_in_one_language_only_is_said_in_neither`)."""
    from roadmap.rendering.document import report_sections

    for site, analysis in analyses.items():
        sections = report_sections(analysis, "both")
        paired = [p for s in sections for p in s.get("paragraphs", []) if " / " in p]
        assert paired, site


def test_a_verdict_says_when_a_target_is_reached_late_and_when_no_roadmap_is_needed(analyses):
    """The cement plant's 2035 target, first reached in 2043, read "the pathway meets it in"
    that year; Jiangmen's intensity target for 2020 read as met by the pathway in 2013, as
    business as usual meets it too (GDP grows 14 %/yr, emissions 3 %)."""
    from roadmap.rendering.document import verdict_lines

    cement = analyses["cement-plant"]
    target = cement.targets[0]
    assert (target.kind, target.year, target.met, target.late_year) == \
        ("absolute", 2035, False, 2043)
    assert verdict_lines(cement, "en")[0] == (
        "Absolute target (2035): not met then, 89,127 tCO2e/yr short in 2035; the pathway "
        "reaches it in 2043.")
    assert verdict_lines(cement, "zh")[0].startswith("绝对减排目标（2035年）：未按期达成")
    jiangmen = analyses["jiangmen-city"]
    assert verdict_lines(jiangmen, "en")[0] == (
        "Intensity target (2020): the pathway meets it in 2013. Business as usual alone meets "
        "it too, in 2013.")
    assert verdict_lines(jiangmen, "zh")[0].endswith("不实施路线图，基准情景也于2013年达成。")


def test_a_budget_bought_in_whole_measures_says_what_it_leaves_unspent(analyses):
    """The electronics factory's budget buys whole measures and leaves about half of its
    1,500万 unspent, while the report read "each extra 10k yuan would abate 0.478 t/yr
    more" (the LP relaxation's dual, buying part of a measure) and nothing of the rest."""
    from roadmap.rendering.document import shadow_lines

    portfolio = analyses["electronics-factory"].portfolio
    unspent = portfolio.budget - portfolio.portfolio_spend
    assert unspent > 0.3 * portfolio.budget and portfolio.shadow_price > 0
    lines = shadow_lines(portfolio, "en")
    assert lines[0].startswith("The budget's shadow price is ") and \
        "if measures could be bought in part" in lines[0]
    assert lines[1].startswith("Bought as whole measures, the choice leaves ") and \
        lines[1].endswith(" of the budget unspent.")
    assert shadow_lines(portfolio, "zh")[1].startswith("措施整项购买，预算尚余")
