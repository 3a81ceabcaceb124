"""Pathway arithmetic, S-curves, targets, economics, the budget portfolio and their charts."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from roadmap import load_site
from roadmap.decisions.matrix import decision_matrix
from roadmap.decisions.portfolio import budget_portfolio, solve_knapsack
from roadmap.decisions.ranking import rank
from roadmap.decisions.roadmap import build_roadmap
from roadmap.decisions.weights import choose_weights
from roadmap.inputs.site import site_from_dict
from roadmap.model.economics import cost_per_tonne, investment, measure_economics, potential
from roadmap.model.pathway import adoption, check_targets, contributions, emission_pathway
from roadmap.rendering.charts import contribution_chart, cost_curve_chart, wedge_chart
from tests.helpers import run

ROOT = Path(__file__).resolve().parents[1]
XIAOLAN = ROOT / "catalogs" / "sites" / "xiaolan-town.yaml"
OFFICE = {"name": "office", "domain": "building", "base_year": 2020, "target_year": 2050,
          "baseline": {"electricity": 1000.0, "building_fuel": 0.0}}




def ranking_for(catalog, site):
    matrix = decision_matrix(catalog, site)
    return rank(matrix, "topsis", choose_weights(matrix, site))


def pathway_of(catalog, graph, site, ids):
    roadmap = build_roadmap(ranking_for(catalog, site), catalog, graph, site, selected=ids)
    return emission_pathway(roadmap, catalog)


# --------------------------------------------------------------------------- S-curve

def test_s_curve_by_hand():
    shares = adoption(np.array([2015, 2020, 2025, 2030, 2045]), 2020, 2030, 0.95)
    # logistic 5 % at the start and 95 % at the end, rescaled to leave 0 at the start:
    # (0.5 - 0.05) / 0.95 in the middle, (0.95 - 0.05) / 0.95 at the end
    assert shares == pytest.approx([0.0, 0.0, 0.45 / 0.95, 0.90 / 0.95, 1.0], abs=2e-4)


def test_s_curve_bounds():
    years = np.arange(2000, 2100)
    for start, end, at_end in ((2020, 2025, 0.95), (2025, 2050, 0.8), (2035, 2050, 0.99)):
        shares = adoption(years, start, end, at_end)
        assert shares.min() == 0.0 and shares.max() <= 1.0
        assert np.all(np.diff(shares) >= 0)
        assert np.all(shares[years < start] == 0)
        assert shares[years == end][0] == pytest.approx((2 * at_end - 1) / at_end)


# --------------------------------------------------------------------------- arithmetic

def test_two_measures_on_one_source_by_hand(catalog, graph):
    # bld-solar-pv and bld-led-lighting: both ▼4 (10 %), on electricity, △ 2020-2025,
    # ○ 2025-2035: adoption from 2020, 0.9474 of full in 2035
    site = site_from_dict(OFFICE)
    pathway = pathway_of(catalog, graph, site, ["bld-led-lighting", "bld-solar-pv"])
    rows = pathway.frame[(pathway.frame["year"] == 2035)].set_index("measure")
    share = 0.90 / 0.95
    first = 1000 * 0.10 * share                  # 94.737: on the whole source
    second = (1000 - first) * 0.10 * share       # 85.762: on what the first left
    order = list(rows.index)
    assert rows.loc[order[0], "abatement"] == pytest.approx(first, rel=1e-3)
    assert rows.loc[order[1], "abatement"] == pytest.approx(second, rel=1e-3)
    assert rows["net"].unique() == pytest.approx([1000 - first - second], rel=1e-3)
    assert rows["bau"].unique() == [1000.0]
    totals = pathway.by_year.set_index("year").loc[2035]
    assert totals["abatement"] == pytest.approx(first + second, rel=1e-3)
    assert totals["net"] == pytest.approx(1000 - first - second, rel=1e-3)
    assert pathway.by_year.set_index("year").loc[2020, "abatement"] == pytest.approx(0.0,
                                                                                  abs=1e-9)


def test_growth_and_untouched_sources(catalog, graph):
    site = site_from_dict({**OFFICE, "growth_rate": 0.02,
                           "baseline": {"electricity": 1000.0, "waste": 100.0}})
    pathway = pathway_of(catalog, graph, site, ["bld-led-lighting"])
    waste = pathway.frame[pathway.frame["source"] == "waste"].set_index("year")
    assert waste.loc[2030, "measure"] == "" and waste.loc[2030, "abatement"] == 0
    assert waste.loc[2030, "bau"] == pytest.approx(100 * 1.02 ** 10)
    assert waste.loc[2030, "net"] == waste.loc[2030, "bau"]


def test_cross_cutting_and_sink_treatment(catalog, graph):
    site = site_from_dict({"name": "t", "domain": "town", "base_year": 2020,
                           "baseline": {"electricity": 600.0, "transport_fuel": 400.0}})
    pathway = pathway_of(catalog, graph, site, ["town-carbon-target-accountability",
                                                "town-carbon-sink-afforestation"])
    year = pathway.frame[pathway.frame["year"] == 2050]
    # cross-cutting ▼2: 4 % x 0.25 on every source; sink ▼3: 7 % x 0.1 x 1000 t removed
    plan = year[year["measure"] == "town-carbon-target-accountability"].set_index("source")
    share = float(adoption(np.array([2050]), 2020, 2025, 0.95)[0])
    assert plan.loc["electricity", "abatement"] == pytest.approx(600 * 0.04 * 0.25 * share)
    assert plan.loc["transport_fuel", "abatement"] == pytest.approx(400 * 0.04 * 0.25 * share)
    sink = year[year["source"] == "sink"].iloc[0]
    assert sink["abatement"] == pytest.approx(0.07 * 0.1 * 1000 * share)
    assert sink["bau"] == 0 and sink["net"] == pytest.approx(-sink["abatement"])
    totals = pathway.by_year.set_index("year").loc[2050]
    assert totals["net"] == pytest.approx(totals["bau"] - totals["abatement"] - totals["sink"])


# --------------------------------------------------------------------------- targets

def test_target_years_and_gaps(catalog, graph):
    site = site_from_dict({**OFFICE, "target": {"reduction": 0.10, "year": 2035},
                           "gdp": 500.0, "gdp_growth": 0.05,
                           "intensity_target": {"reduction": 0.5, "year": 2030}})
    pathway = pathway_of(catalog, graph, site, ["bld-led-lighting", "bld-solar-pv"])
    checks = {c.kind: c for c in check_targets(pathway)}
    net = pathway.by_year.set_index("year")["net"]
    absolute = checks["absolute"]
    assert absolute.required == 900.0
    assert absolute.met_year == int(net[net <= 900].index[0])
    assert absolute.gap == 0.0 and absolute.met_year < 2035
    # intensity: emissions fall and GDP grows 5 %/yr; half the 2020 intensity of 2 t/10k yuan
    intensity = checks["intensity"]
    assert intensity.required == pytest.approx(1.0)
    expected = net / (500 * 1.05 ** (net.index - 2020))
    assert intensity.met_year == int(expected[expected <= 1.0].index[0])
    near_zero = checks["near-zero"]
    assert near_zero.met_year is None and near_zero.required == pytest.approx(50.0)
    assert near_zero.gap == pytest.approx(net[2050] - 50.0)
    assert near_zero.extra_abatement == pytest.approx(near_zero.gap)


def test_intensity_gap_converts_to_tonnes(catalog, graph):
    site = site_from_dict({**OFFICE, "gdp": 500.0,
                           "intensity_target": {"reduction": 0.9, "year": 2030}})
    pathway = pathway_of(catalog, graph, site, ["bld-led-lighting"])
    check = next(c for c in check_targets(pathway) if c.kind == "intensity")
    net = pathway.by_year.set_index("year")["net"][2030]
    assert check.value == pytest.approx(net / 500)
    assert check.gap == pytest.approx(net / 500 - 0.2)
    assert check.extra_abatement == pytest.approx(net - 0.2 * 500)


def test_xiaolan_targets(catalog, graph):
    site = load_site(XIAOLAN, catalog)
    roadmap = build_roadmap(ranking_for(catalog, site), catalog, graph, site, top=15)
    checks = {c.kind: c for c in check_targets(emission_pathway(roadmap, catalog))}
    assert checks["intensity"].met_year is not None and checks["intensity"].met_year <= 2020
    assert checks["absolute"].met_year is None and checks["absolute"].gap > 0


# --------------------------------------------------------------------------- contributions

def test_contribution_shares(catalog, graph):
    site = load_site(XIAOLAN, catalog)
    roadmap = build_roadmap(ranking_for(catalog, site), catalog, graph, site, top=15)
    pathway = emission_pathway(roadmap, catalog)
    table = contributions(pathway, catalog, [2030, 2050], by="function")
    for year in (2030, 2050):
        shares = table[table["year"] == year]
        assert shares["share"].sum() == pytest.approx(1.0)
        total = pathway.by_year.set_index("year").loc[year]
        assert shares["abatement"].sum() == pytest.approx(total["abatement"] + total["sink"])
    assert {"能效提升", "电气化"} <= set(table["group"])
    by_measure = contributions(pathway, catalog, [2050], by="measure")
    assert set(by_measure["group"]) <= set(roadmap.frame["id"])


# --------------------------------------------------------------------------- economics

def test_investment_follows_the_documented_mapping(catalog):
    site = site_from_dict(OFFICE)
    tech = catalog.get("bld-led-lighting")  # ▼4 -> 10 %; ➕3 -> 10 t/yr per 10k yuan
    assert potential(tech, site, 2035) == pytest.approx(100.0)
    low, centre, high = investment(tech, site, 2035)
    assert centre == pytest.approx(10.0)
    assert low == pytest.approx(10.0 / 2.5 ** 0.5) and high == pytest.approx(10.0 * 2.5 ** 0.5)
    assert cost_per_tonne(tech, site.assumptions) == pytest.approx(10_000 / (10 * 15))
    cheap = catalog.get("bld-building-orientation")  # ➕5 -> 62.5
    assert cost_per_tonne(cheap, site.assumptions) == pytest.approx(10_000 / (62.5 * 15))


def test_measure_economics_table(catalog, graph):
    site = site_from_dict(OFFICE)
    pathway = pathway_of(catalog, graph, site, ["bld-led-lighting", "bld-solar-pv"])
    table = measure_economics(pathway, catalog, 2035)
    assert list(table["cost_per_tonne"]) == sorted(table["cost_per_tonne"])
    rows = pathway.frame[pathway.frame["year"] == 2035].set_index("measure")["abatement"]
    for _, row in table.iterrows():
        assert row["abatement"] == pytest.approx(rows[row["id"]])


# --------------------------------------------------------------------------- portfolio

def brute_force(values, costs, budget, requires):
    best = 0.0
    for pick in itertools.product([0, 1], repeat=len(values)):
        if np.dot(pick, costs) > budget + 1e-9:
            continue
        if any(pick[i] and not pick[j] for i, j in requires):
            continue
        best = max(best, float(np.dot(pick, values)))
    return best


@pytest.mark.parametrize("seed", range(12))
def test_knapsack_is_optimal_on_small_cases(seed):
    rng = np.random.default_rng(seed)
    n = 9
    values, costs = rng.uniform(1, 100, n), rng.uniform(1, 50, n)
    budget = float(costs.sum() * rng.uniform(0.2, 0.7))
    requires = [(int(i), int(j)) for i, j in rng.integers(0, n, (4, 2)) if i > j]
    chosen = solve_knapsack(values, costs, budget, requires)
    assert costs[chosen].sum() <= budget + 1e-9
    assert all(chosen[j] for i, j in requires if chosen[i])
    assert values[chosen].sum() == pytest.approx(brute_force(values, costs, budget, requires))


def test_xiaolan_portfolio(catalog, graph):
    site = load_site(XIAOLAN, catalog)
    portfolio = budget_portfolio(ranking_for(catalog, site), catalog, graph, site)
    frame = portfolio.frame.set_index("id")
    chosen = set(frame.index[frame["chosen"]])
    assert portfolio.budget == 74290 and portfolio.spent <= 74290
    assert portfolio.spent == pytest.approx(frame.loc[list(chosen), "investment"].sum())
    for before, after, kind in graph.edges(data="kind"):
        if kind == "prerequisite" and after in chosen:
            assert before in chosen
    assert portfolio.shadow_price > 0 and portfolio.step_gain >= 0
    left_out = frame[~frame["chosen"]]
    assert (left_out["reason"] != "").all()


def test_more_budget_never_buys_less(catalog, graph):
    site = load_site(XIAOLAN, catalog)
    ranking = ranking_for(catalog, site)
    small = budget_portfolio(ranking, catalog, graph, site, budget=20_000)
    large = budget_portfolio(ranking, catalog, graph, site, budget=80_000)
    assert large.abatement >= small.abatement and small.spent <= 20_000


# --------------------------------------------------------------------------- charts

def test_wedge_chart_lines_follow_the_pathway(catalog, graph):
    site = load_site(XIAOLAN, catalog)
    roadmap = build_roadmap(ranking_for(catalog, site), catalog, graph, site, top=15)
    pathway = emission_pathway(roadmap, catalog)
    figure = wedge_chart(pathway, catalog, check_targets(pathway), lang="en")
    lines = {line.get_label(): line for line in figure.axes[0].get_lines()}
    net = lines["net emissions"].get_ydata()
    assert net == pytest.approx(pathway.by_year["net"] / 1e6)
    assert lines["business as usual"].get_ydata() == pytest.approx(pathway.by_year["bau"] / 1e6)
    assert lines["target 2050"].get_ydata()[0] == pytest.approx(1.08)
    shares = contributions(pathway, catalog, [2035], by="category")
    bars = [p for p in contribution_chart(shares, catalog, "en").axes[0].patches
            if (p.get_gid() or "").startswith("share:")]
    assert sum(b.get_width() for b in bars) == pytest.approx(1.0)
    economics = measure_economics(pathway, catalog, 2035)
    blocks = [p for p in cost_curve_chart(economics, 2035, "zh").axes[0].patches
              if (p.get_gid() or "").startswith("mac:")]
    heights = [b.get_height() for b in blocks]
    assert heights == sorted(heights) and len(blocks) == (economics["abatement"] > 0).sum()


# --------------------------------------------------------------------------- CLI and input

def test_pathway_command(tmp_path, capsys):
    chart = tmp_path / "pathway.svg"
    status, out, err = run(capsys, "pathway", str(XIAOLAN), "--format", "csv", "--chart",
                           str(chart))
    assert status == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "pathway-contributions.svg", "pathway-cost-curve.svg", "pathway.svg"]
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["year", "source", "measure", "bau", "abatement", "net"]
    _, out, _ = run(capsys, "pathway", str(XIAOLAN), "--format", "json", "--years", "2030")
    document = json.loads(out)
    assert {t["kind"] for t in document["targets"]} == {"absolute", "intensity", "near-zero"}
    assert {c["year"] for c in document["contributions"]} == {2030}
    status, out, _ = run(capsys, "pathway", str(XIAOLAN))
    assert "intensity target 2020" in out and "met in" in out


def test_plan_with_budget(capsys):
    status, out, _ = run(capsys, "plan", str(XIAOLAN), "--budget", "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert document["portfolio"]["spent"] <= 74290
    bought = {m["id"] for m in document["portfolio"]["measures"] if m["chosen"]}
    assert bought <= {m["id"] for m in document["measures"]}
    status, out, _ = run(capsys, "plan", str(XIAOLAN), "--budget-amount", "5000")
    assert status == 0 and "budget 5,000 (10k yuan) buys" in out


BAD_ASSUMPTIONS = {
    "unknown key": ("{magic: 1}", "field 'assumptions.magic': unknown field"),
    "fraction above 1": ("{abatement_fraction: {1: 0.1, 2: 0.2, 3: 0.3, 4: 0.4, 5: 1.5}}",
                         "fractions must be <= 1"),
    "missing grade": ("{cost_effectiveness: {1: 1, 2: 2}}", "give a value for each grade 1-5"),
    "decreasing": ("{abatement_fraction: {1: 0.5, 2: 0.2, 3: 0.3, 4: 0.4, 5: 0.5}}",
                   "must not decrease with the grade"),
    "wrong type": ("{lifetime_years: long}", "field 'assumptions.lifetime_years': 'long'"),
    "out of range": ("{adoption_at_end: 1.5}", "field 'assumptions.adoption_at_end': 1.5"),
}


@pytest.mark.parametrize("case", BAD_ASSUMPTIONS, ids=str)
def test_bad_assumptions_are_one_line(tmp_path, capsys, case):
    text, expected = BAD_ASSUMPTIONS[case]
    path = tmp_path / "site.yaml"
    path.write_text(f"name: t\ndomain: town\nbaseline: {{electricity: 1}}\nassumptions: {text}\n",
                    encoding="utf-8")
    status, out, err = run(capsys, "pathway", str(path))
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert expected in err and err.startswith(f"error: {path}: ")


def test_assumptions_override_changes_the_pathway(catalog, graph):
    base = site_from_dict(OFFICE)
    bolder = site_from_dict({**OFFICE, "assumptions": {
        "abatement_fraction": {1: 0.05, 2: 0.1, 3: 0.2, 4: 0.3, 5: 0.4}}})
    ids = ["bld-led-lighting"]
    first = pathway_of(catalog, graph, base, ids).by_year.set_index("year").loc[2050]
    second = pathway_of(catalog, graph, bolder, ids).by_year.set_index("year").loc[2050]
    assert second["abatement"] == pytest.approx(3 * first["abatement"])
