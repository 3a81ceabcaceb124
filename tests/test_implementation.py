"""The implementation plan of the first phase: Xiaolan's from seed 000 (tables 5-2 to 5-4,
figure 4-1), defaults by category, input errors, the two charts and the report section."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text

from roadmap import implementation_plan, map_chart, schedule_chart
from roadmap.decisions.implementation import CATEGORY_DEFAULTS, FUNDING_SOURCES
from roadmap.errors import InputError
from roadmap.inputs.site import load_site
from roadmap.model.economics import measure_capex, measure_spending
from roadmap.rendering import report as report_module
from roadmap.rendering.document import plan_lines
from roadmap.rendering.numbers import money
from roadmap.rendering.style import PALETTE
from roadmap.workflow import Options, analyse_file, analyse_site
from tests.helpers import run

SITES = Path(__file__).resolve().parents[1] / "catalogs" / "sites"
PLAN = [f"2014Q{q}" for q in range(1, 5)] + [f"2015Q{q}" for q in range(1, 5)]
# seed 000 table 5-4 (10k yuan): total, market, higher-level and international, town
TABLE_5_4 = {"a1": (25060, 25000, 50, 10), "a2": (3000, 2500, 500, 0),
             "a3": (400, 0, 300, 100), "a4": (21500, 21500, 0, 0),
             "a5": (3000, 2000, 0, 1000), "a6": (100, 0, 0, 100),
             "a7-map": (60, 0, 50, 10), "a7-inventory": (60, 0, 50, 10),
             "a7-capacity": (310, 0, 300, 10), "a8": (20070, 20000, 60, 10),
             "a9-schools": (10, 0, 0, 10), "a9-forum": (210, 0, 200, 10),
             "a10": (510, 0, 500, 10)}


@pytest.fixture(scope="module")
def xiaolan(catalog):
    return analyse_file(catalog, SITES / "xiaolan-town.yaml", Options(draws=50,
                                                                      uncertainty_draws=0))


@pytest.fixture(scope="module")
def default_plan(xiaolan):
    site = xiaolan.site.model_copy(update={"implementation": None})
    spent = pd.DataFrame({2011: [60.0], 2012: [40.0], 2013: [900.0]},  # 10k yuan a year
                         index=["town-enterprise-energy-management"])
    return implementation_plan(site, xiaolan.roadmap, spent)  # its plan: 2011-2012


def test_the_default_plan_is_funded_with_what_its_measures_spend_in_its_years(catalog):
    """Ceramics' plan for 2021-2022 read "总投资1.37亿元", its measures' capital at full
    adoption, beside 1.32亿元 for the whole roadmap to 2050 and 850万 spent by 2022."""
    analysis = analyse_file(catalog, SITES / "ceramics-plant.yaml",
                            Options(draws=50, uncertainty_draws=0))
    plan = analysis.implementation
    assert (plan.quarters[0], plan.quarters[-1]) == ("2021Q1", "2022Q4")
    spent = measure_spending(analysis.scenarios["roadmap"],
                             measure_capex(analysis.model, analysis.model.effects.ids))
    in_plan = spent.loc[list(plan.schedule["id"]), [2021, 2022]].to_numpy().sum()
    assert plan.schedule["total"].sum() == pytest.approx(in_plan)
    sheet = analysis.investment.query("scenario == 'roadmap' and 2021 <= year <= 2022")
    assert 0 < in_plan <= sheet["investment_10k_yuan"].sum()  # the rest: mid-phase measures
    full = analysis.economics.set_index("id").loc[list(plan.schedule["id"]),
                                                  "investment_10k_yuan"].sum()
    lines = " ".join(plan_lines(analysis, "en"))
    # an enterprise pays its own plan: one source, not a split with 2,760 yuan of local
    # government (the town's contracting split) nor a list of zeros
    assert "Investment in the plan's period 1.62 million yuan, all of it market funding." \
        in lines
    assert "计划期投资162万元，全部为市场资金。" in plan_lines(analysis, "zh")
    assert f"(2021–2022) as they spread, {money(in_plan, 'en')}" in lines
    whole = money(sheet["investment_10k_yuan"].sum(), "en")
    assert whole == "1.71 million yuan"
    assert f"all the roadmap's measures spend {whole} in those years" in lines
    assert f"need {money(full, 'en')}, spent as adoption grows to 2050" in lines
    assert money(full, "en") == "32.1 million yuan"  # what the plan read as its total


def test_xiaolan_schedule_is_seed_000_table_5_3(xiaolan):
    plan = xiaolan.implementation
    schedule = plan.schedule.set_index("id")
    assert plan.from_profile and plan.quarters == tuple(PLAN)
    assert list(schedule.index) == list(TABLE_5_4)  # the 13 rows of tables 5-3 and 5-4
    assert schedule["action"].nunique() == 10  # the ten actions
    # the quarter cells of table 5-3 are lost: the plan's period, except where sec. 4 names
    # the year (action 6: 2014; the forum of action 9: 2015)
    spans = {i: (r.start, r.end) for i, r in schedule.iterrows()}
    assert spans.pop("a6") == ("2014Q1", "2014Q4")
    assert spans.pop("a9-forum") == ("2015Q1", "2015Q4")
    assert set(spans.values()) == {("2014Q1", "2015Q4")}


def test_xiaolan_funding_is_seed_000_table_5_4(xiaolan):
    schedule = xiaolan.implementation.schedule.set_index("id")
    for row, (total, market, higher, local) in TABLE_5_4.items():
        assert tuple(schedule.loc[row, ["total", "market", "higher_government",
                                        "local_government"]]) == (total, market, higher, local)
    sums = schedule[["total", "market", "higher_government", "local_government"]].sum()
    assert tuple(sums) == (74290, 71000, 2010, 1280)  # sec. 5.3: 7.4亿, 7.1亿, 2010万, 1280万
    assert schedule.loc["a1", "lead_zh"] == "小榄镇经信局" and schedule.loc["a1", "mode"] == "emc"
    # table 5-2 leaves action 6's operating mode empty: the planning default, marked
    assert schedule.loc["a6", "mode"] == "government" and schedule.loc["a6", "defaults"] == "mode"
    assert (schedule.drop("a6")["defaults"] == "").all()


def test_xiaolan_map_is_figure_4_1(xiaolan):
    graph = xiaolan.implementation.graph
    layers = [d["layer"] for _, d in graph.nodes(data=True)]
    assert (layers.count("challenge"), layers.count("action"), layers.count("indicator")) \
        == (10, 10, 13)
    assert all(graph.nodes[u]["layer"] == "challenge" and graph.nodes[v]["layer"] == "action"
               or graph.nodes[u]["layer"] == "action" and graph.nodes[v]["layer"] == "indicator"
               for u, v in graph.edges())
    assert ("challenge:c2", "action:a5") in graph.edges  # car trips -> transport
    indicators = xiaolan.implementation.indicators.set_index("id")
    assert tuple(indicators.loc["i2", ["base", "2015", "2017", "2020"]]) == (1.21, 0.97, 0.94,
                                                                            0.91)


def test_a_profile_without_the_section_gets_the_category_defaults(default_plan, xiaolan):
    schedule = default_plan.schedule.set_index("id")
    first = xiaolan.roadmap.frame
    assert not default_plan.from_profile and not default_plan.has_map
    assert list(schedule.index) == list(first[first["phase"] == "near"]["id"])
    assert default_plan.quarters == tuple(f"{y}Q{q}" for y in (2011, 2012) for q in range(1, 5))
    row = schedule.loc["town-enterprise-energy-management"]
    lead, mode = CATEGORY_DEFAULTS["industry"]
    assert (row["category"], row["lead_zh"], row["mode"]) == ("industry", lead[0], mode)
    assert row["market"] == pytest.approx(100 * 25000 / 25060)  # table 5-4 action 1's split
    assert row["defaults"] == "lead;mode;start;end;funding"
    assert schedule.drop("town-enterprise-energy-management")["total"].isna().all()
    assert sum(FUNDING_SOURCES["transport"]) == 3000


def test_waste_and_measures_saving_no_energy_are_not_energy_contracting(catalog):
    """The community's default plan had waste sorting, recovery and smart waste management
    led by the housing bureau as energy performance contracting, which pays a contractor
    from energy saved: waste is the urban management bureau's, government-run (seed 001,
    projects 23-24), and a sink in an emc category is government-run too; green building
    design, for new buildings only, was contracting as well."""
    from roadmap.decisions.implementation import operating_mode

    analysis = analyse_file(catalog, SITES / "community.yaml",
                            Options(draws=50, uncertainty_draws=0))
    schedule = analysis.implementation.schedule.set_index("id")
    waste = ["com-waste-valorisation", "com-waste-sorting-recycling",
             "com-smart-waste-management"]
    lead, mode = CATEGORY_DEFAULTS["waste"]
    assert (lead, mode) == (("城市管理和综合执法局", "urban management bureau"), "government")
    for tech_id in waste:
        row = schedule.loc[tech_id]
        assert (row["category"], row["lead_zh"], row["mode"]) == ("waste", lead[0], mode)
    # it saves electricity too, so it stays a building measure a contractor can run
    assert schedule.loc["com-water-system-efficiency", ["category", "mode"]].tolist() == \
        ["building", "emc"]
    # a design only a new building can have is its developer's, paid as an enterprise's
    design = schedule.loc["com-green-building-design"]
    assert (design["category"], design["mode"], design["market_share"]) == \
        ("building", "enterprise", 1.0)
    assert schedule.loc["com-water-system-efficiency", "market_share"] == \
        pytest.approx(2500 / 3400)  # the building split, seed 000 actions 2 and 3
    techs = {i: catalog.get(i) for i in ("com-vertical-greening",
                                         "com-water-system-efficiency")}
    assert operating_mode(["com-vertical-greening"], "emc", techs) == "government"
    assert operating_mode(["com-water-system-efficiency"], "emc", techs) == "emc"
    assert operating_mode(["com-vertical-greening"], "emc", {}) == "emc"  # not known
    assert operating_mode(["park-water-recycling"], "government", techs) == "enterprise"


def test_default_starts_follow_the_dependency_order(xiaolan, catalog):
    roadmap = xiaolan.roadmap
    near = roadmap.frame[roadmap.frame["phase"] == "near"]["id"].tolist()
    graph = roadmap.graph.copy()
    graph.add_edge(near[0], near[1])
    graph.add_edge(near[1], near[2])
    site = xiaolan.site.model_copy(update={"implementation": None})
    changed = type(roadmap)(roadmap.frame, graph, site)
    schedule = implementation_plan(site, changed).schedule.set_index("id")
    assert [schedule.loc[i, "start"] for i in near[:3]] == ["2011Q1", "2011Q3", "2012Q1"]


def test_old_profiles_load_without_the_section(catalog):
    for path in SITES.glob("*.yaml"):
        site = load_site(path, catalog)
        assert (site.implementation is None) == (path.name != "xiaolan-town.yaml")


SECTION = """\
name: test
domain: town
baseline: {industry: {coal: 1000}}
implementation:
  actions:
    - id: a1
      name: {zh: 行动一}
      start: 2014Q1
    - id: a2
      name: {zh: 行动二, en: two}
      funding: {market: 10}
  challenges:
    - {id: c1, name: {zh: 挑战}, actions: [a1]}
"""


@pytest.mark.parametrize(("old", "new", "line", "field", "allowed"), [
    ("start: 2014Q1", "start: 2014Q5", 6, "implementation.actions.start", "a quarter like"),
    ("start: 2014Q1", "start: spring", 6, "implementation.actions.start", "a quarter like"),
    ("start: 2014Q1", "start: 2014Q1\n      end: 2013Q4", 6, "implementation.actions.end",
     "a quarter like"),
    ("{market: 10}", "{market: -10}", 11, "implementation.actions.funding.market",
     "an amount >= 0"),
    ("actions: [a1]}", "actions: [a9]}", 13, "implementation.challenges.actions", "a1, a2"),
    ("start: 2014Q1", "lede: x", 6, "implementation.actions.lede", "lead"),
    ("name: {zh: 行动一}", "name: {zh: 行动一}\n      mode: state", 6,
     "implementation.actions.mode", "government, enterprise, emc, ppp"),
])
def test_bad_plans_are_one_line_errors(  # the line of the action, challenge or mapping
        tmp_path, catalog, old, new, line, field, allowed):
    path = tmp_path / "site.yaml"
    path.write_text(SECTION.replace(old, new), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_site(path, catalog)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))
    assert f"line {line}" in message and f"field '{field}'" in message
    assert "(allowed: " in message and allowed in message


def test_an_unknown_catalog_id_in_an_action_is_refused(tmp_path, catalog):
    path = tmp_path / "site.yaml"
    path.write_text(SECTION.replace("start: 2014Q1", "measures: [town-nope]"), "utf-8")
    with pytest.raises(InputError, match=r"line 4: field 'implementation.actions.measures': "
                                         r"action 'a1': unknown id 'town-nope'"):
        load_site(path, catalog)


def test_schedule_chart_has_one_bar_per_row_in_its_quarters(xiaolan):
    plan = xiaolan.implementation
    figure = schedule_chart(plan, xiaolan.site.name, "zh")
    bars = {p.get_gid().split(":")[0]: p for p in figure.axes[0].patches
            if isinstance(p, Rectangle) and (p.get_gid() or "").endswith(":quarters")}
    assert list(bars) == list(plan.schedule["id"])
    forum, sub_centre = bars["a9-forum"], bars["a6"]
    assert (forum.get_x(), forum.get_width()) == (4, 4)  # 2015Q1-Q4
    assert (sub_centre.get_x(), sub_centre.get_width()) == (0, 4)  # 2014Q1-Q4
    assert {to_hex(b.get_facecolor()) for b in bars.values()} <= {c.lower() for c in PALETTE}
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert len(labels) == 8 and labels[0] == "1-3月\n2014年"


def test_map_chart_has_three_columns_and_the_edges(xiaolan):
    plan = xiaolan.implementation
    figure = map_chart(plan, xiaolan.site.name, "en")
    ax = figure.axes[0]
    nodes = [t for t in ax.texts if not isinstance(t, Annotation) and isinstance(t, Text)
             and (t.get_gid() or "").startswith("node:")]
    columns = {}
    for node in nodes:
        columns.setdefault(node.get_position()[0], []).append(node.get_gid().split(":")[1])
    assert {x: len(v) for x, v in columns.items()} == {0: 10, 1: 10, 2: 13}
    assert set(columns[0]) == {"challenge"} and set(columns[2]) == {"indicator"}
    edges = [a for a in ax.texts if isinstance(a, Annotation)]
    assert len(edges) == plan.graph.number_of_edges() > 0
    assert {a.get_gid() for a in edges} == {f"edge:{u}->{v}" for u, v in plan.graph.edges()}


@pytest.fixture(scope="module")
def zh_run(xiaolan, tmp_path_factory):
    return report_module.write_outputs(xiaolan, tmp_path_factory.mktemp("plan") / "x", "zh")


def test_the_chinese_report_has_the_plan_in_chinese(zh_run):
    markdown = (zh_run / "report.md").read_text(encoding="utf-8")
    part = re.split(r"^## \d+\. 首阶段实施计划$", markdown, flags=re.MULTILINE)[1].split("\n## ")[0]
    assert "charts/implementation.png" in part and "charts/implementation-map.png" in part
    assert "| 合计 " in part and "74,290" in part and "市场资金7.1亿元" in part
    assert "政府主导（默认）" in part  # action 6's mode
    # an amount and its share is a figure: right-aligned as the other columns of figures
    assert re.search(r"\| +71,000（95\.6%） \|", part) and "10（<0.1%）" in part.replace("\\<", "<")
    assert "| —  " in part  # an indicator without a base value: a dash, not an empty cell
    latin = set(re.findall(r"[A-Za-z]{2,}", re.sub(r"\b[a-z]\d+\b|charts/[\w./-]+", "", part)))
    assert latin <= {"GDP", "PM"}


def test_the_docx_and_the_outputs_have_the_plan(zh_run):
    document = docx.Document(str(zh_run / "report.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert any(h.endswith("首阶段实施计划") for h in headings)
    assert len(document.inline_shapes) == 7
    # UTF-8 with a byte-order mark: Excel on a Chinese Windows shows the Chinese
    assert (zh_run / "implementation.csv").read_bytes().startswith(b"\xef\xbb\xbfid,")
    csv = (zh_run / "implementation.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv[0].startswith("id,action,") and len(csv) == 1 + len(TABLE_5_4)
    assert (zh_run / "charts" / "implementation-map.svg").exists()


def test_a_site_without_a_plan_section_is_reported_as_defaults(catalog, tmp_path):
    site = load_site(SITES / "xiaolan-town.yaml", catalog).model_copy(
        update={"implementation": None})
    analysis = analyse_site(catalog, site, Options(draws=20, uncertainty_draws=0))
    folder = report_module.write_outputs(analysis, tmp_path / "d", "en")
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    assert "gives no implementation plan" in markdown and "no map is drawn" in markdown
    assert not (folder / "charts" / "implementation-map.png").exists()
    assert (folder / "charts" / "implementation.png").exists()


def test_an_enterprise_leads_its_own_projects(catalog):
    """A government bureau leads a town's actions; an enterprise's plan is its own, led by
    its energy management and paid by it (the ceramics plant gave no leads)."""
    analysis = analyse_file(catalog, SITES / "ceramics-plant.yaml",
                            Options(draws=20, uncertainty_draws=0, compare=("topsis",)))
    schedule = analysis.implementation.schedule
    assert set(schedule["lead_zh"]) == {"企业能源管理部门"}
    assert set(schedule["mode"]) == {"enterprise"}
    assert all("lead" in defaults for defaults in schedule["defaults"])
    # all market: an industry row was split as the town's contracting (0.2 % higher-level)
    assert (schedule["market_share"] == 1.0).all()
    assert (schedule[["higher_government", "local_government"]] == 0).all().all()


def test_a_parks_management_committee_leads_its_actions(catalog):
    """A park is run by its own administration: its default plan had the town's development
    and reform bureau lead 7 of its 8 actions, water recycling and land use included."""
    analysis = analyse_file(catalog, SITES / "industrial-park.yaml",
                            Options(draws=20, uncertainty_draws=0, compare=("topsis",)))
    schedule = analysis.implementation.schedule
    assert set(schedule["lead_zh"]) == {"园区管理委员会"}
    assert set(schedule["lead_en"]) == {"the park's management committee"}
    assert len(set(schedule["mode"])) > 1  # each category keeps its operating mode


def test_market_mechanisms_are_run_and_paid_by_the_market(catalog):
    """The park's default plan had energy performance contracting government-led and paid
    87.3 % from higher-level funds (its catalog category is management and service): it is
    an energy service company's contract, funded as Xiaolan's contracting action (seed 000
    table 5-4, action 1); water recycling is the park's enterprises' own; land use stays a
    government's plan."""
    analysis = analyse_file(catalog, SITES / "industrial-park.yaml",
                            Options(draws=20, uncertainty_draws=0, compare=("topsis",)))
    schedule = analysis.implementation.schedule.set_index("id")
    contracting = schedule.loc["park-energy-performance-contracting"]
    assert contracting["mode"] == "emc"
    assert contracting["market_share"] == pytest.approx(25000 / 25060)
    water = schedule.loc["park-water-recycling"]
    assert (water["mode"], water["market_share"]) == ("enterprise", 1.0)
    land = schedule.loc["park-land-use"]
    assert (land["mode"], land["market_share"]) == ("government", 0.0)


def test_an_empty_first_phase_gives_an_empty_plan_that_still_draws(xiaolan):
    site = xiaolan.site.model_copy(update={"implementation": None})
    roadmap = xiaolan.roadmap
    empty = type(roadmap)(roadmap.frame.iloc[0:0], roadmap.graph.subgraph([]).copy(), site)
    plan = implementation_plan(site, empty)
    assert plan.schedule.empty and len(plan.quarters) == 8 and not plan.has_map
    figure = schedule_chart(plan, site.name, "en")
    assert not [p for p in figure.axes[0].patches if (p.get_gid() or "").endswith(":quarters")]


def test_an_action_takes_its_measures_category_and_investment(xiaolan, catalog):
    from roadmap import site_from_dict

    site = site_from_dict({"name": "t", "domain": "town", "baseline": {"industry": {"coal": 1}},
                           "implementation": {"actions": [
                               {"id": "pv", "name": {"en": "rooftop PV"},
                                "measures": ["town-building-solar-pv"], "start": 2021}]}})
    spent = pd.DataFrame({2020: [300.0], 2021: [500.0]}, index=["town-building-solar-pv"])
    plan = implementation_plan(site, xiaolan.roadmap, spent, catalog)
    row = plan.schedule.iloc[0]
    assert (row["category"], row["mode"], row["market"], row["name_zh"]) == \
        ("building", "emc", 500 * 2500 / 3400, "rooftop PV")  # town 建筑 category
    assert (row["start"], row["end"], plan.quarters[-1]) == ("2021Q1", "2021Q1", "2021Q1")
    assert row["defaults"] == "lead;mode;end;funding"


def test_check_summarises_the_plan_section(capsys):
    status, out, _ = run(capsys, "check", str(SITES / "xiaolan-town.yaml"))
    assert status == 0
    assert ("implementation: 10 actions (5 parts), 10 challenges, 13 indicators, "
            "funding 743 million yuan given.") in " ".join(out.split())
    assert "实施计划：10项行动（5项子行动），10项挑战，13项指标，已给出资金7.43亿元。" in out
    status, out, _ = run(capsys, "check", str(SITES / "nanao-county.yaml"))
    assert status == 0 and "implementation: none in the profile" in out


def test_a_funding_share_of_nothing_reads_zero_not_below_a_tenth_of_a_percent():
    """The hub's plan had no higher-level funds: "0 million yuan (<0.1%)"."""
    from roadmap.rendering.document import _share

    assert [_share(s) for s in (0.0, 0.0004, 0.0456)] == ["0%", "<0.1%", "4.6%"]


def test_a_measure_has_one_colour_in_the_roadmap_and_the_plan_chart(catalog):
    """Nan'ao's shore power was purple (港口交通) in the roadmap chart and green (the plan's
    交通 category) in the implementation chart: a row carrying out one roadmap measure now
    takes its catalog category's colour (its gas buses: 道路交通), and the legend names that
    category."""
    from roadmap.rendering.gantt import roadmap_chart

    analysis = analyse_file(catalog, SITES / "nanao-county.yaml",
                            Options(draws=20, uncertainty_draws=0, compare=("topsis",)))
    plan = analysis.implementation
    figure = schedule_chart(plan, analysis.site.name, "zh",
                            report_module.measure_categories(analysis))
    bars = {p.get_gid().split(":")[0]: p for p in figure.axes[0].patches
            if (p.get_gid() or "").endswith(":quarters")}
    roadmap = {p.get_gid().split(":")[0]: p for p in roadmap_chart(
        analysis.roadmap, "zh").axes[0].patches if (p.get_gid() or "").endswith(
        ":popularization")}
    singles = plan.schedule[~plan.schedule["measures"].str.contains(";")]
    assert "trn-natural-gas-vehicles" in set(singles["measures"])
    for row in singles.itertuples():
        assert to_hex(bars[row.id].get_edgecolor()) == to_hex(
            roadmap[row.measures].get_facecolor()), row.measures
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert "道路交通" in legend and "交通" not in legend
