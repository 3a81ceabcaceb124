"""The report's summary and sentences after the fifth review (milestones, uncertainties,
near-zero remainder, investment figures, remaining cells)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from roadmap.rendering.document import (
    chance_lines,
    milestone_table,
    near_zero_text,
    uncertainty_lines,
)
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


def test_green_power_closing_the_whole_gap_offers_no_sink(analyses):
    """The office building's gap (25.5 t) is all bought electricity: "the rest, 0 t, needs
    about 0 ha of new sink" read as a template."""
    office = analyses["building"]
    gap = office.near_zero
    assert gap.gap > 0 and gap.green_closes == gap.gap
    for lang in ("zh", "en"):
        said = near_zero_text(gap, lang)
        assert not any(word in said for word in ("公顷", "碳汇", " ha ", "sink", "offset")), said
    assert near_zero_text(gap, "zh").endswith("弥合全部差距。")
    assert near_zero_text(gap, "en").endswith("the whole gap.")
    # the gap needs 177 MWh of green power, of the 586 MWh still bought: it read "green
    # power for the 177 MWh still bought", as if the office bought no more than that
    assert gap.bought_mwh == pytest.approx(586, abs=1) and gap.green_mwh < gap.bought_mwh / 3
    assert "green power for 177 of the 586 MWh still bought" in near_zero_text(gap, "en")
    assert "剩余外购电力586兆瓦时中，177兆瓦时改用绿色电力" in near_zero_text(gap, "zh")
    park = analyses["industrial-park"].near_zero  # coal is left: the sink clause stays
    assert park.green_closes < park.gap and "ha of new sink" in near_zero_text(park, "en")


def _ranked(chances: list[float]) -> SimpleNamespace:
    """Two measures, both in the roadmap, and targets met in `chances` of the draws."""
    frame = pd.DataFrame({"id": ["a", "b"], "name_zh": ["甲", "乙"], "name_en": ["A", "B"],
                          "rank": [1, 2], "rank_p5": [1, 1], "rank_p95": [2, 2],
                          "p_top_k": [1.0, 1.0], "unstable": [False, False]})
    targets = pd.DataFrame({"kind": ["absolute"] * len(chances),
                            "year": [2035 + 5 * i for i in range(len(chances))],
                            "probability": chances})
    return SimpleNamespace(stability=SimpleNamespace(frame=frame, top_k=2),
                           roadmap=SimpleNamespace(frame=frame[["id"]]),
                           site=SimpleNamespace(growth_rate=0.02, goal_year=2035),
                           uncertainty=SimpleNamespace(targets=targets), years=[2035])


def test_a_target_met_in_none_or_all_of_the_draws_is_no_uncertainty():
    """The electronics factory's first "uncertainty" was its 2035 target, met in 0 % of the
    draws: a certainty. The next uncertainty takes its place; a real chance stays first."""
    for certain in ([0.0], [1.0], [0.001, 0.999]):
        first = uncertainty_lines(_ranked(certain), "en")[0]
        assert first == "A: its rank is 1 to 2 in 90% of the weight draws.", first
    assert uncertainty_lines(_ranked([0.0, 0.42]), "en")[0] == \
        "Absolute target (2040): met in 42% of the draws."
    assert len(chance_lines(_ranked([0.0, 1.0]), "en")) == 2  # the pathway section says both


def test_a_sink_without_an_area_is_explained_in_chinese(catalog):
    """Jiangmen's four sink rows: the Chinese reason read "请给出land_area_ha或
    measures.ID.area_ha", raw keys with a template placeholder for a sentence."""
    from roadmap import load_site
    from roadmap.decisions.matrix import cell_shares, exclusion_reason
    from roadmap.rendering.messages import sentence

    site = load_site(SITES / "jiangmen-city.yaml", catalog)
    assert not site.land_area_ha
    afforestation = catalog.get("town-carbon-sink-afforestation")
    reason = exclusion_reason(afforestation, site, cell_shares(site))
    zh = sentence(reason, "zh")
    assert zh == ("碳汇措施需要面积：请给出场地的土地面积（land_area_ha），或在场地资料的措施条目下"
                  "给出该措施的造林面积（area_ha）")
    assert "ID" not in reason and "land_area_ha" in reason and "area_ha under" in reason


def test_the_monte_carlo_investment_is_set_against_the_capital_in_place(catalog):
    """Nan'ao: the text's 16.7亿 is the cumulative spend, the economics table's capital in
    place sums to 16.0亿, and the Monte Carlo median (17.6亿) of the capital in place was
    set against the spend. The report now names both and centres the range on the second."""
    from roadmap.model.economics import investment_totals
    from roadmap.rendering.document import SKEWED, economics_lines
    from roadmap.rendering.numbers import money

    nanao = analyse_file(catalog, SITES / "nanao-county.yaml",
                         Options(draws=20, uncertainty_draws=60, compare=("topsis",)))
    in_place = nanao.economics["capital_in_place_10k_yuan"].sum()
    total, _ = investment_totals(nanao.investment)
    assert total > in_place * 1.01
    lines = economics_lines(nanao, "en")
    spend = next(line for line in lines if line.startswith("The cumulative spend"))
    assert f"{money(total, 'en')} by 2050 exceeds the {money(in_place, 'en')} in place" in spend
    middle = nanao.uncertainty.investment.iloc[0, 1]
    ranged = next(line for line in lines if line.startswith("Across the Monte Carlo"))
    assert f"(central {money(in_place, 'en')}, the economics table's sum)" in ranged
    assert f"median {money(middle, 'en')}" in ranged
    skewed = any(line.startswith("The central estimate") for line in lines)
    assert skewed == (in_place < SKEWED * middle)
    zh = economics_lines(nanao, "zh")
    assert any(line.startswith("至2050年的累计投资") for line in zh)
    assert any(f"中心估计{money(in_place, 'zh')}" in line for line in zh)


def test_the_report_names_the_remaining_cells_and_what_no_measure_touches(analyses, catalog):
    """The park's report ended "…or measures on the largest remaining cells" without naming
    them (coal first); Nan'ao's industry (its oil) is acted on by no roadmap measure, while
    other domains' catalogs have measures for it: extra_domains says so."""
    from roadmap.decisions.matrix import other_domains_acting_on, untouched_cells
    from roadmap.rendering.document import near_zero_lines, untouched_lines

    park = near_zero_lines(analyses["industrial-park"], "en")
    assert any(line.startswith("The largest remaining cells: industry·coal ") for line in park)
    nanao = analyses["nanao-county"]
    left = untouched_cells(nanao.roadmap.frame["id"], catalog, nanao.site)
    assert ("industry", "oil") in left and ("residential", "lpg") not in left
    for tech_id in nanao.roadmap.frame["id"]:  # none of them acts on industry's oil
        cells = catalog.get(tech_id).acts.cells
        assert not {"industry.oil", "industry.fossil", "industry.all"} & set(cells), tech_id
    elsewhere = other_domains_acting_on(left, catalog, nanao.site)
    assert not set(elsewhere[("industry", "oil")]) & set(nanao.site.domains)
    cells = nanao.pathway.cells.query("year == 2050").set_index(["sector", "carrier"])
    oil = cells.loc[("industry", "oil"), "emissions"]
    lines = untouched_lines(nanao, "en")
    assert lines[0].startswith("No measure of the roadmap acts on these cells (their emissions "
                               "in the roadmap's 2050): waste·non-energy ")
    assert lines[0].endswith(f", industry·oil products {oil:,.0f} tCO2e/yr.")
    assert lines[3] == ("The park, community catalogs have measures acting on "
                        "waste·non-energy: extra_domains: [park, community] in the profile "
                        "makes them candidates.")
    assert untouched_lines(nanao, "zh")[3].endswith(
        "在场地资料的extra_domains中列出这些领域即可将其纳入候选。")
    assert untouched_lines(analyses["building"], "en") == []


def test_the_report_names_what_the_budget_buys_that_costs_more_to_run(analyses):
    """The budget pays capital: Nan'ao's bought biodiesel CCHP, whose fuel costs more
    than the electricity it makes, with nothing said of the yearly bill."""
    from roadmap.rendering.document import economics_lines

    nanao = analyses["nanao-county"]
    chosen = nanao.portfolio.frame[nanao.portfolio.frame["chosen"]].set_index("id")
    saving = chosen["saving_10k_yuan_per_yr"]
    assert list(saving[saving < 0].index) == ["town-biodiesel-cchp"]
    assert -saving["town-biodiesel-cchp"] == pytest.approx(5830, abs=1)
    assert (saving.drop("town-biodiesel-cchp") >= 0).all()
    line = next(x for x in economics_lines(nanao, "en") if "capital only" in x)
    assert line == ("The budget counts capital only: of what it buys, Biodiesel combined "
                    "cooling, heat and power spends more on energy each year than it saves, "
                    "58.3 million yuan a year in 2050 (adopted alone).")
    assert "2050年合计每年多支出5,830万元" in " ".join(economics_lines(nanao, "zh"))
    from roadmap.cli.plan_commands import _portfolio_text
    assert line in _portfolio_text(nanao.portfolio, "en")  # `roadmap plan --budget` says it
    park = analyses["industrial-park"].portfolio.frame  # all nine bought save energy
    assert (park.loc[park["chosen"], "saving_10k_yuan_per_yr"] >= 0).sum() == 9
    assert not any("capital only" in x for x in economics_lines(
        analyses["industrial-park"], "en"))


def test_a_line_said_in_one_language_only_is_said_in_neither(catalog):
    """The community's cumulative spend (3,374万) and capital in place (3,365万) differ in
    Chinese but both read 33.7 million yuan in English: the line was written in zh only,
    and the bilingual report stopped with a traceback pairing the two lists."""
    from roadmap.rendering.document import economics_lines, read_apart, report_sections

    assert not read_apart(3374, 3368) and read_apart(3374, 3300)  # 33.7 million twice
    community = analyse_file(catalog, SITES / "community.yaml",
                             Options(draws=20, uncertainty_draws=0, compare=("topsis",)))
    zh, en = economics_lines(community, "zh"), economics_lines(community, "en")
    assert len(zh) == len(en)
    assert report_sections(community, "both")


def test_cells_a_roadmap_leaves_name_the_sites_own_candidates_first(analyses, catalog,
                                                                      tmp_path):
    """Nan'ao's industry oil and fishing fleet were sent to other domains' catalogs while
    its own ranking has measures for them below the roadmap's cut of 15. The line names the
    best-ranked five (one of two rows restating each other), the cells they act on and an
    `include` that loads and adds them; other domains only for the cell none of them
    reaches (waste)."""
    import yaml

    from roadmap.rendering.document import untouched_lines

    nanao = analyses["nanao-county"]
    ids = ["town-fishing-vessel-efficiency", "town-enterprise-energy-management",
           "town-waste-heat-pressure-recovery", "town-slow-traffic-system",
           "trn-low-carbon-road-design"]
    line = untouched_lines(nanao, "en")[2]
    assert line == (
        "The site's own candidates ranked outside the roadmap act on industry·oil products, "
        "agriculture·oil products, transport·natural gas: Fishing vessel energy saving "
        "(rank 30), Integrated enterprise energy management (rank 31), Waste heat and "
        "pressure recovery (rank 32), Walking and cycling network (rank 34), Low-carbon road "
        f"design (rank 35); include: [{', '.join(ids)}] in the profile adds them.")
    assert "town-low-carbon-road-design" not in line  # restates the transport row named
    assert untouched_lines(nanao, "zh")[2].startswith(
        "本场地排名在路线图之外的候选措施作用于工业·油品、农业·油品、交通·天然气：渔船节能技术（第30名）")
    profile = yaml.safe_load((SITES / "nanao-county.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "nanao.yaml"
    path.write_text(yaml.safe_dump({**profile, "include": ids}, allow_unicode=True),
                    encoding="utf-8")
    included = analyse_file(catalog, path, Options(draws=20, uncertainty_draws=0,
                                                   compare=("topsis",)))
    assert set(ids) <= set(included.roadmap.frame["id"])
    assert untouched_lines(included, "en")[0].endswith(": waste·non-energy 13,478 tCO2e/yr.")


def test_the_report_names_the_large_fuel_cells_the_roadmap_barely_cuts(analyses):
    """Nan'ao's fishing fleet (agriculture's oil, 42 % of its net 2050) and the park's coal
    (48 %) are acted on by a roadmap measure, so no line named them: the first is cut 4 %,
    the second 20 %. Cells cut by less than a quarter and holding 5 % of the net are named
    with their change; electricity is left to the grid and green power."""
    from roadmap.rendering.document import untouched_lines

    nanao = untouched_lines(analyses["nanao-county"], "en")[1]
    assert nanao.startswith("The roadmap cuts these cells by less than 25% of business as "
                            "usual, or raises them (their emissions in the roadmap's 2050, "
                            "and the change): agriculture·oil products 54,139 tCO2e/yr (-4%), "
                            "transport·natural gas ")
    assert nanao.endswith(" (+43%).")
    park = untouched_lines(analyses["industrial-park"], "en")
    assert park[0].endswith("industry·coal 79,422 tCO2e/yr (-20%), industry·oil products "
                            "22,670 tCO2e/yr (-20%), industry·natural gas 8,825 tCO2e/yr "
                            "(-20%).")
    assert "electricity" not in park[0] and "extra_domains: [enterprise, town]" in park[1]
    assert untouched_lines(analyses["industrial-park"], "zh")[0].startswith(
        "以下排放单元在路线图中削减不足基准情景的25%或有所增加（路线图情景2050年排放及相对"
        "基准情景的变化）：工业·煤炭7.94万吨CO2e/年（-20%）")

