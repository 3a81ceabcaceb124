"""Decision matrix, pymcdm ranking, weights, sensitivity and the agreement with the study's ★."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pymcdm import methods as mcdm
from pymcdm import weights as pymcdm_weights
from pymcdm.normalizations import minmax_normalization

from roadmap import DOMAINS, InputError, load_site
from roadmap.decisions import weights as weights_module
from roadmap.decisions.experts import expert_agreement
from roadmap.decisions.matrix import DecisionMatrix, catalog_matrix, decision_matrix
from roadmap.decisions.ranking import (
    METHOD_SPECS,
    compare_methods,
    no_gain,
    preferences,
    rank,
    without_stand_in_costs,
)
from roadmap.decisions.sensitivity import draw_weights, sensitivity, topsis_scores, wsm_scores
from roadmap.decisions.weights import ahp_weights, choose_weights
from roadmap.inputs.site import site_from_dict
from roadmap.model.economics import measure_economics
from roadmap.model.pathway import SiteModel, credit_in, site_model
from roadmap.rendering.messages import sentence

SITES = Path(__file__).resolve().parents[1] / "catalogs" / "sites"
TOWN = {"name": "test town", "domain": "town", "land_area_ha": 5000,
        "baseline": {"electricity": 690, "industrial_fuel": 160, "transport_fuel": 100,
                     "building_fuel": 50}}



GRADES = ("abatement", "economics", "readiness", "relevance")


@pytest.fixture(scope="module")
def town_matrix(catalog):
    """The grade-based criteria of the earlier default, named explicitly."""
    return decision_matrix(catalog, site_from_dict(TOWN), criteria=GRADES)


def row(matrix, tech_id):
    return matrix.frame.set_index("id").loc[tech_id]


def excluded_reasons(matrix):
    return dict(zip(matrix.excluded["id"], matrix.excluded["reason"], strict=True))


# --------------------------------------------------------------------------- the matrix

def test_matrix_keeps_the_sites_domain_and_explains_exclusions(town_matrix):
    assert set(town_matrix.frame["domain"]) == {"town"}
    reasons = excluded_reasons(town_matrix)
    assert reasons["town-port-shore-power"] == "needs port, which the site does not have"
    assert reasons["town-co2-capture"] == ("acts only on industry.non_energy, energy_supply.coal, "
                                           "energy_supply.gas, absent from the site's baseline")
    assert reasons["town-fishing-vessel-efficiency"] == \
        "needs fishery, which the site does not have"
    assert len(town_matrix.frame) + len(town_matrix.excluded) == 86


def test_features_bring_measures_back(catalog):
    site = site_from_dict({**TOWN, "features": ["port"]})
    assert "town-port-shore-power" in decision_matrix(catalog, site).ids


def test_criteria_values_of_known_rows(town_matrix):
    # trn: △ 2020-2025, ○ 2025-2035 -> (2 + 1) / 5
    assert row(town_matrix, "town-new-energy-vehicles")["readiness"] == pytest.approx(0.6)
    # ○ only, 2020-2025 -> (3 + 2) / 5
    assert row(town_matrix, "town-building-energy-management")["readiness"] == 1.0
    # △ 2025-2035, ○ 2035-2050 -> (1 + 0) / 5
    assert row(town_matrix, "town-smart-grid")["readiness"] == pytest.approx(0.2)
    assert row(town_matrix, "town-smart-grid")["relevance"] == 0.5  # enabling, on electricity
    assert row(town_matrix, "town-new-energy-vehicles")["relevance"] == pytest.approx(0.10)
    # supply displaces grid electricity: all of it is in reach
    assert row(town_matrix, "town-renewable-energy")["relevance"] == pytest.approx(0.69)
    # building electricity (the town split: commercial 0.17 + residential 0.17 of 690) + LPG 50
    assert row(town_matrix, "town-modern-building-efficiency")["relevance"] == \
        pytest.approx((0.34 * 690 + 50) / 1000)
    assert row(town_matrix, "town-low-carbon-development-plan")["relevance"] == 0.5  # cross-cutting
    assert row(town_matrix, "town-carbon-sink-afforestation")["relevance"] == 0.2  # sink
    tech = row(town_matrix, "town-renewable-energy")
    assert (tech["abatement"], tech["economics"]) == (5, 5)


def test_enterprise_energy_intensity_filters(catalog):
    plant = {"name": "p", "domain": "enterprise", "baseline": {"electricity": 1}}
    light = decision_matrix(catalog, site_from_dict(plant))
    assert excluded_reasons(light)["ent-steel-scrap-ratio"] == \
        "needs steel, which the site does not have"
    assert excluded_reasons(light)["ent-bf-top-gas-recycling"].startswith("needs steel")
    assert "fits energy-intensive enterprises only" in excluded_reasons(light).values()
    heavy = decision_matrix(catalog, site_from_dict({**plant, "features": ["energy_intensive"]}))
    assert "fits energy-intensive enterprises only" not in excluded_reasons(heavy).values()


def test_exclude_and_include(catalog):
    site = site_from_dict({**TOWN, "exclude": ["town-smart-grid"],
                           "include": ["town-port-shore-power", "bld-led-lighting"]})
    matrix = decision_matrix(catalog, site)
    assert excluded_reasons(matrix)["town-smart-grid"] == "excluded by the site profile"
    assert row(matrix, "town-port-shore-power")["note"] == (
        "included by the profile (needs port, which the site does not have)")
    assert "bld-led-lighting" in matrix.ids


def test_extra_domains_widen_the_candidates(catalog):
    park = {"name": "p", "domain": "park", "baseline": {"electricity": 1, "building_fuel": 1}}
    alone = decision_matrix(catalog, site_from_dict(park))
    widened = decision_matrix(catalog, site_from_dict({**park, "extra_domains": ["building"]}))
    assert set(widened.frame["domain"]) == {"park", "building"}
    assert len(widened.frame) > len(alone.frame)


def test_a_criterion_equal_for_all_is_dropped(catalog):
    only_power = {"name": "b", "domain": "building", "baseline": {"electricity": 100}}
    matrix = decision_matrix(catalog, site_from_dict(only_power), criteria=GRADES)
    # every candidate left acts on electricity, so relevance cannot discriminate
    assert "relevance" not in matrix.criteria and "relevance" in matrix.dropped


# --------------------------------------------------------------------------- the site's cost

# An office whose electricity is nearly free (15 yuan/MWh): saving it no longer pays for the
# capital (positive costs), while heat pumps that replace its gas still save money
# (negative costs), so the cost criterion crosses zero.
CHEAP_POWER_OFFICE = {"name": "office", "domain": "building", "base_year": 2020,
                      "target_year": 2040, "prices": {"electricity": 15},
                      "baseline": {"commercial": {"electricity": 5000.0, "gas": 1500.0}}}


@pytest.fixture(scope="module")
def office_matrix(catalog):
    return decision_matrix(catalog, site_from_dict(CHEAP_POWER_OFFICE),
                           criteria=("site_abatement", "cost"))


def test_cost_is_the_levelised_cost_of_the_measure_adopted_alone(catalog, office_matrix):
    site = site_from_dict(CHEAP_POWER_OFFICE)
    model = site_model(site, catalog, office_matrix.ids)
    for tech_id in ("bld-led-lighting", "bld-air-source-heat-pump", "bld-solar-pv"):
        alone = model.run("alone", {tech_id: 0}, green_power=False)
        economics = measure_economics(alone, catalog, 2040).iloc[0]
        assert row(office_matrix, tech_id)["cost"] == pytest.approx(economics["cost_yuan_per_t"])
        assert row(office_matrix, tech_id)["cost_basis"] == economics["cost_basis"]
        assert row(office_matrix, tech_id)["site_abatement"] == pytest.approx(
            credit_in(alone, 2040))
    costs = office_matrix.frame.set_index("id")["cost"]
    assert costs["bld-air-source-heat-pump"] < 0 < costs["bld-led-lighting"]
    # a family's capital per MWh saved is the same whatever the grade: LED and insulation
    # differ only by their interactions with business as usual
    assert costs["bld-led-lighting"] == pytest.approx(costs["bld-wall-roof-insulation"], rel=1e-2)


def test_the_matrix_runs_the_site_model_once_per_candidate(catalog, monkeypatch):
    calls = []
    original = SiteModel.run
    monkeypatch.setattr(SiteModel, "run", lambda self, *a, **k: calls.append(a[1]) or
                        original(self, *a, **k))
    matrix = decision_matrix(catalog, site_from_dict(CHEAP_POWER_OFFICE),
                             criteria=("site_abatement", "cost"))
    assert sorted(tuple(c) for c in calls) == sorted((i,) for i in matrix.ids)


def test_without_a_site_the_cost_is_the_grades(catalog):
    matrix = catalog_matrix(catalog, "town", ("abatement", "cost"))
    assert set(matrix.frame["cost_basis"]) == {"grade"}
    # ➕3: 10,000 yuan buys 10 t/yr; annualised at 8 % over 15 years plus 2 % O&M
    third = matrix.frame[matrix.frame["id"] == "town-carbon-sink-afforestation"].iloc[0]
    assert third["cost"] == pytest.approx(1000 * (0.08 * 1.08 ** 15 / (1.08 ** 15 - 1) + 0.02))
    frame = matrix.frame.assign(grade=[catalog.get(i).economics for i in matrix.ids])
    assert frame.groupby("grade")["cost"].nunique().eq(1).all()
    assert frame.groupby("grade")["cost"].first().is_monotonic_decreasing


@pytest.mark.parametrize("method", ["topsis", "vikor", "promethee_ii", "spotis", "copras",
                                    "wsm"])
def test_the_cost_criterion_ranks_lower_is_better_in_every_method(office_matrix, method):
    alone = rank(office_matrix, method, {"site_abatement": 0.0, "cost": 1.0}).frame
    assert alone["cost"].is_monotonic_increasing  # sorted by rank
    assert alone["cost"].iloc[0] < 0 < alone["cost"].iloc[-1]
    # with both criteria, a measure never ranks below one it beats on both
    both = rank(office_matrix, method, {"site_abatement": 0.5, "cost": 0.5}).frame
    ranks = both.set_index("id")
    best = ranks.loc["bld-ground-source-heat-pump"]
    beaten = ranks[(ranks["cost"] > best["cost"]) &
                   (ranks["site_abatement"] < best["site_abatement"])]
    assert len(beaten) > 20 and (beaten["rank"] > best["rank"]).all()


def test_copras_keeps_the_textbook_formula_for_positive_costs(office_matrix):
    """Costs above zero go to COPRAS as they are; a column that crosses zero is shifted so
    that the cheapest stands at the column's range (the order kept)."""
    positive = office_matrix.frame[office_matrix.frame["cost"] > 0]
    matrix = DecisionMatrix(positive.reset_index(drop=True), office_matrix.criteria,
                            office_matrix.excluded, {})
    weights = {"site_abatement": 0.5, "cost": 0.5}
    gain, cost = matrix.values[:, 0], matrix.values[:, 1]
    s_plus, s_minus = 0.5 * gain / gain.sum(), 0.5 * cost / cost.sum()
    q = s_plus + s_minus.sum() / (s_minus * (1 / s_minus).sum())
    np.testing.assert_allclose(preferences(matrix, "copras", weights), q / q.max())
    shifted = office_matrix.values[:, 1] - office_matrix.values[:, 1].min() + \
        np.ptp(office_matrix.values[:, 1])
    gain, cost = office_matrix.values[:, 0], shifted
    s_plus, s_minus = 0.5 * gain / gain.sum(), 0.5 * cost / cost.sum()
    q = s_plus + s_minus.sum() / (s_minus * (1 / s_minus).sum())
    np.testing.assert_allclose(preferences(office_matrix, "copras", weights), q / q.max())


def test_copras_ranks_measures_that_abate_nothing_last_and_says_so(catalog):
    """A waste-only community: its planning and management measures have nothing to act on.
    COPRAS sums their zero abatement as it is (it refused them before) and ranks them last;
    the why does not quote their stand-in cost as a cost per tonne."""
    site = site_from_dict({"name": "w", "domain": "community", "method": "copras",
                           "baseline": {"waste": {"non_energy": 5000}}})
    frame = rank(decision_matrix(catalog, site), "copras",
                 {"site_abatement": 0.5, "cost": 0.5}).frame
    nothing = frame["site_abatement"] == 0
    assert 3 <= nothing.sum() < len(frame)
    assert frame.loc[nothing, "rank"].min() > frame.loc[~nothing, "rank"].max()
    assert not frame.loc[nothing, "why"].str.contains("yuan/t").any()
    assert frame.loc[nothing, "why"].str.contains(
        "abates nothing at this site on its own: no cost per tonne").all()
    assert sentence("abates nothing at this site on its own: no cost per tonne", "zh") == \
        "在本场地单独采用时无减排量：无单位减排成本"
    # one that adds emissions (electrifying on a dirty grid) is said to, in both languages
    adds = no_gain(pd.Series({"site_abatement": -5.0}))
    assert adds == "adds emissions at this site on its own"
    assert sentence(f"{adds}: no cost per tonne", "zh") == \
        "在本场地单独采用时反而增加排放：无单位减排成本"
    assert no_gain(pd.Series({"site_abatement": 5.0})) == no_gain(pd.Series({"cost": 1.0})) == ""
    # tables show no cost for them: the one they rank with is a stand-in
    shown = without_stand_in_costs(frame).set_index("id")["cost"]
    assert shown[list(frame.loc[nothing, "id"])].isna().all()
    assert shown[list(frame.loc[~nothing, "id"])].notna().all()


def test_why_names_the_levelised_cost_and_its_basis_in_both_languages(office_matrix):
    frame = rank(office_matrix, "topsis", {"site_abatement": 0.5, "cost": 0.5}).frame
    why = frame.set_index("id")["why"]
    assert "levelised cost 8,250 yuan/t (from the grade)" in why["bld-biodiesel-cchp"]
    assert "levelised cost 706 yuan/t" in why["bld-led-lighting"]
    assert "from the grade" not in why["bld-led-lighting"]
    assert "平准化减排成本8,250元/吨（按经济性等级估算）" in sentence(
        why["bld-biodiesel-cchp"], "zh")
    assert "平准化减排成本706元/吨" in sentence(why["bld-led-lighting"], "zh")
    # a number with thousands separators stays one number in the translation
    assert sentence("abates 198,471 t/yr at this site", "zh") == "在本场地减排198,471吨/年"


# --------------------------------------------------------------------------- methods

@pytest.mark.parametrize("method", ["topsis", "vikor", "promethee_ii", "spotis", "wsm"])
def test_each_method_matches_pymcdm_called_directly(town_matrix, method):
    weights = {"abatement": 0.4, "economics": 0.3, "readiness": 0.1, "relevance": 0.2}
    direct = {
        "topsis": mcdm.TOPSIS(), "vikor": mcdm.VIKOR(), "promethee_ii": mcdm.PROMETHEE_II("usual"),
        "spotis": mcdm.SPOTIS(np.array([[1, 5], [1, 5], [0, 1], [0, 1]])),
        "wsm": mcdm.WSM(minmax_normalization),
    }[method]
    expected = direct(town_matrix.values, np.array(list(weights.values())), np.ones(4))
    ranking = rank(town_matrix, method, weights)
    scores = ranking.frame.set_index("id").loc[town_matrix.ids, "score"].to_numpy()
    np.testing.assert_allclose(scores, expected)
    # our ranks order the measures as pymcdm's own rank() does (it averages ties; scores
    # equal to 12 decimals count as ties for both)
    pymcdm_ranks = direct.rank(np.round(expected, 12))
    ours = ranking.frame.set_index("id").loc[town_matrix.ids, "rank"].to_numpy()
    assert np.all(np.diff(pymcdm_ranks[np.argsort(ours)]) >= 0)


def test_copras_equals_the_textbook_formula_with_the_cost_of_abatement(town_matrix):
    """COPRAS with 1/➕ as its cost column, computed by hand from the method's definition."""
    weights = {"abatement": 0.4, "economics": 0.3, "readiness": 0.1, "relevance": 0.2}
    values = town_matrix.values.copy()
    values[:, 1] = 1 / values[:, 1]
    w = np.array(list(weights.values()))
    weighted = values / values.sum(axis=0) * w
    s_plus = weighted[:, [0, 2, 3]].sum(axis=1)
    s_minus = weighted[:, 1]
    q = s_plus + s_minus.sum() / (s_minus * (1 / s_minus).sum())
    ours = preferences(town_matrix, "copras", weights)
    np.testing.assert_allclose(ours, q / q.max())


def test_ties_keep_catalog_order(town_matrix):
    frame = rank(town_matrix, "topsis", {c: 0.25 for c in town_matrix.criteria}).frame
    tied = frame[frame["id"].isin(["town-enterprise-energy-management",
                                   "town-waste-heat-pressure-recovery"])]
    assert tied["score"].nunique() == 1
    assert tied["id"].tolist() == ["town-enterprise-energy-management",
                                   "town-waste-heat-pressure-recovery"]
    assert frame["rank"].tolist() == list(range(1, len(frame) + 1))


def test_ranking_explains_each_measure(town_matrix):
    weights = {"abatement": 0.35, "economics": 0.3, "readiness": 0.15, "relevance": 0.2}
    frame = rank(town_matrix, "topsis", weights).frame
    first = frame.iloc[0]
    assert first["id"] == "town-renewable-energy"
    contributions = [first[f"contribution_{c}"] for c in town_matrix.criteria]
    # weight x min-max position: readiness 0.4 on 0.2..1.0; relevance 0.69, the highest
    assert contributions == pytest.approx([0.35, 0.3, 0.15 * 0.25, 0.2])
    assert first["why"] == "abatement 5/5; economics 5/5"
    later = frame.set_index("id").loc["town-forestry-carbon-inclusion", "why"]
    assert later.endswith("in use now, widespread 2020-2025")


def test_method_comparison_correlations(town_matrix):
    weights = {"abatement": 0.35, "economics": 0.3, "readiness": 0.15, "relevance": 0.2}
    comparison = compare_methods(town_matrix, ["topsis", "wsm", "copras", "vikor"], weights)
    assert list(comparison.ranks.columns) == ["id", "name_zh", "name_en", "topsis", "wsm",
                                              "copras", "vikor"]
    rw = comparison.weighted_spearman
    assert np.allclose(np.diag(rw), 1.0) and np.allclose(rw, rw.T)
    assert 0.9 < rw.loc["topsis", "vikor"] < 1.0 and 0.9 < rw.loc["wsm", "copras"] <= 1.0


def test_a_method_that_cannot_apply_is_skipped_in_the_comparison(catalog):
    # a town on a grid of 2 t/MWh: electrifying its boilers adds emissions, a negative
    # benefit COPRAS (sum normalisation) cannot weigh
    site = site_from_dict({"name": "t", "domain": "town", "grid": {2020: 2.0, 2050: 2.0},
                           "baseline": {"industry": {"gas": 1000, "coal": 1000}}})
    matrix = decision_matrix(catalog, site)
    assert matrix.frame.set_index("id").loc["town-boiler-coal-to-electric",
                                            "site_abatement"] < 0
    comparison = compare_methods(matrix, ["topsis", "copras", "vikor"], {"site_abatement": 1,
                                                                         "cost": 1})
    assert "adds emissions" in comparison.skipped["copras"] and "copras" not in comparison.ranks
    assert "vikor" in comparison.ranks


def test_unknown_method_is_an_input_error(town_matrix):
    with pytest.raises(InputError, match="unknown method 'electre'"):
        rank(town_matrix, "electre", {c: 1 for c in town_matrix.criteria})
    assert set(METHOD_SPECS) == {"topsis", "vikor", "promethee_ii", "spotis", "copras", "wsm"}


# --------------------------------------------------------------------------- weights

def test_site_and_explicit_weights_are_normalised(town_matrix):
    site = site_from_dict({**TOWN, "weights": {"abatement": 2, "economics": 2}})
    assert choose_weights(town_matrix, site) == {"abatement": 0.5, "economics": 0.5,
                                                 "readiness": 0.0, "relevance": 0.0}
    explicit = choose_weights(town_matrix, site, {"abatement": 3, "relevance": 1})
    assert explicit["abatement"] == 0.75 and explicit["relevance"] == 0.25
    with pytest.raises(InputError, match="unknown criterion 'cost'"):
        choose_weights(town_matrix, site, {"cost": 1})


@pytest.mark.parametrize("scheme", ["equal", "entropy", "critic"])
def test_objective_weights_are_pymcdms(town_matrix, scheme):
    site = site_from_dict(TOWN)
    expected = getattr(pymcdm_weights, f"{scheme}_weights")(town_matrix.values)
    assert list(choose_weights(town_matrix, site, scheme).values()) == pytest.approx(expected)


def test_entropy_weights_on_a_site_whose_costs_are_negative(catalog):
    site = load_site(SITES / "xiaolan-town.yaml", catalog)
    matrix = decision_matrix(catalog, site)
    assert (matrix.values[:, matrix.criteria.index("cost")] < 0).any()
    weights = np.array(list(choose_weights(matrix, site, "entropy").values()))
    assert np.isfinite(weights).all() and (weights > 0).all()
    assert weights.sum() == pytest.approx(1.0)
    shifted = matrix.positive_values()
    assert (shifted > 0).all()
    # the shift keeps each column's order and differences
    np.testing.assert_allclose(np.ptp(shifted, axis=0), np.ptp(matrix.values, axis=0))


def test_a_weighting_pymcdm_refuses_is_an_input_error(town_matrix, monkeypatch):
    def refuse(values):
        raise ValueError("sum_normalization requires all positive values.")
    monkeypatch.setitem(weights_module.OBJECTIVE, "entropy", refuse)
    with pytest.raises(InputError, match="entropy weights cannot be computed"):
        choose_weights(town_matrix, site_from_dict(TOWN), "entropy")


def test_ahp_weights_and_consistency_ratio():
    criteria = ["abatement", "economics", "readiness", "relevance"]
    consistent = [[1, 2, 4, 2], [1 / 2, 1, 2, 1], [1 / 4, 1 / 2, 1, 1 / 2], [1 / 2, 1, 2, 1]]
    weights, ratio = ahp_weights(criteria, consistent)
    assert ratio == pytest.approx(0.0, abs=1e-9)
    assert [weights[c] for c in criteria] == pytest.approx([4 / 9, 2 / 9, 1 / 9, 2 / 9])
    contradictory = [[1, 9, 1 / 9, 1], [1 / 9, 1, 9, 1], [9, 1 / 9, 1, 1], [1, 1, 1, 1]]
    with pytest.raises(InputError, match=r"consistency ratio \d\.\d+ is above 0.1"):
        ahp_weights(criteria, contradictory)
    with pytest.raises(InputError, match="reciprocal"):
        ahp_weights(criteria, [[1, 2, 1, 1], [2, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]])


def test_pymcdms_refusals_are_said_in_the_lines_language():
    """pymcdm's English reason stood in the Chinese line ("判断矩阵无效：Valid values in the
    matrix are: {0.5, ...}"): its known refusals are said in Chinese and English, another
    one generally, and pymcdm's exception is the cause (--debug shows it)."""
    from roadmap.decisions.refusals import refusal

    with pytest.raises(InputError) as refused:
        ahp_weights(["abatement", "economics"], [[1, -3], [-1 / 3, 1]])
    assert refused.value.line("zh") == ("错误：AHP matrix：字段 'matrix'：判断矩阵无效："
                                        "矩阵中有不在 Saaty 标度上的值"
                                        "（允许的值：Saaty 标度 1-9 及其倒数）")
    assert "a value is not on Saaty's scale" in refused.value.line("en")
    assert isinstance(refused.value.__cause__, ValueError)
    vikor = refusal(ValueError("Criteria with indexes [0] contains equal values for all "
                               "alternatives. VIKOR method could not be applied"))
    assert vikor.said("zh") == "有一项准则对所有措施取值相同"
    other = refusal(ValueError("something pymcdm says"))
    assert other.said("zh") == "排序库 pymcdm 拒绝了这些数值（原因见 --debug）"
    assert "something" not in other.said("en")


# --------------------------------------------------------------------------- sensitivity

def test_vectorised_scores_equal_pymcdm_per_draw(town_matrix):
    rows = draw_weights({c: 0.25 for c in town_matrix.criteria}, 50, 0.3, seed=7)
    topsis, wsm = topsis_scores(town_matrix, rows), wsm_scores(town_matrix, rows)
    for i in (0, 17, 49):
        np.testing.assert_allclose(topsis[i], mcdm.TOPSIS()(town_matrix.values, rows[i],
                                                            town_matrix.types))
        np.testing.assert_allclose(wsm[i], mcdm.WSM(minmax_normalization)(
            town_matrix.values, rows[i], town_matrix.types))


def test_sensitivity_is_seeded_and_bounded(town_matrix):
    weights = {"abatement": 0.35, "economics": 0.3, "readiness": 0.15, "relevance": 0.2}
    first = sensitivity(town_matrix, "topsis", weights, draws=500, seed=3)
    again = sensitivity(town_matrix, "topsis", weights, draws=500, seed=3)
    other = sensitivity(town_matrix, "topsis", weights, draws=500, seed=4)
    assert first.frame.equals(again.frame)
    assert not np.array_equal(first.weight_rows, other.weight_rows)
    frame = first.frame
    assert frame["p_top_k"].between(0, 1).all()
    assert (frame["best_rank"] <= frame["rank"]).all()
    assert (frame["rank"] <= frame["worst_rank"]).all()
    assert frame["p_top_k"].iloc[0] == 1.0  # the leader never leaves the top 10
    assert frame["unstable"].sum() == ((frame["p_top_k"] > 0.1) & (frame["p_top_k"] < 0.9)).sum()
    np.testing.assert_allclose(first.weight_rows.sum(axis=1), 1.0)


def test_sensitivity_with_a_looped_method(town_matrix):
    weights = {c: 0.25 for c in town_matrix.criteria}
    result = sensitivity(town_matrix, "vikor", weights, draws=20, seed=1)
    assert len(result.frame) == len(town_matrix.frame)


# --------------------------------------------------------------------------- experts

def taus(agreement, column):
    return dict(zip(agreement.summary["domain"], agreement.summary[column].round(3),
                    strict=True))


def test_agreement_with_the_studys_stars(catalog):
    """The engine (▼, ➕; no readiness) next to the ▼+➕ benchmark; readiness runs against ★."""
    agreement = expert_agreement(catalog)
    assert agreement.weights == pytest.approx({"abatement": 0.35 / 0.65,
                                               "economics": 0.30 / 0.65})
    assert taus(agreement, "kendall_tau") == {
        "building": 0.380, "transport": 0.780, "enterprise": 0.340, "park": 0.874,
        "community": 0.181, "town": 0.450, "all": 0.458}
    assert taus(agreement, "benchmark_tau") == {
        "building": 0.389, "transport": 0.820, "enterprise": 0.465, "park": 0.885,
        "community": 0.163, "town": 0.453, "all": 0.489}
    assert taus(agreement, "readiness_tau") == {
        "building": 0.015, "transport": -0.347, "enterprise": 0.129, "park": -0.470,
        "community": -0.415, "town": -0.167, "all": -0.187}
    assert agreement.summary.set_index("domain").loc["all", "measures"] == 230


def test_dropping_readiness_raises_the_agreement(catalog):
    with_readiness = expert_agreement(catalog, weights={"abatement": 0.35, "economics": 0.30,
                                                        "readiness": 0.15})
    assert taus(with_readiness, "kendall_tau")["park"] == 0.783
    before, after = taus(with_readiness, "kendall_tau"), taus(expert_agreement(catalog),
                                                                "kendall_tau")
    raised = [d for d in DOMAINS if after[d] > before[d]]
    assert raised == ["building", "enterprise", "park", "community", "town"]
    assert after["transport"] == before["transport"]


def test_out_of_sample_fit_on_five_domains(catalog):
    agreement = expert_agreement(catalog)
    assert taus(agreement, "out_of_sample_tau") == {
        "building": 0.280, "transport": 0.747, "enterprise": 0.093, "park": 0.859,
        "community": 0.211, "town": 0.408, "all": 0.405}
    fits = agreement.fits.set_index("held_out")
    assert list(fits.index) == list(DOMAINS)
    assert (fits["readiness"] < 0).all()  # ★ favours what is not yet widespread
    assert (fits[["abatement", "economics"]] > 0).all().all()
    # Town restates rows of the other tables: those are kept out of its training set.
    assert fits.loc["town", "training_rows"] < 230 - 86
    assert fits.loc["park", "training_rows"] <= 230 - 29


def test_disagreements_carry_a_reason(catalog):
    disagreements = expert_agreement(catalog, largest=3).disagreements
    assert len(disagreements) == 3 * len(DOMAINS)
    assert set(disagreements["driver"]) <= {"abatement", "economics", "timing"}
    assert disagreements["reason"].str.len().gt(0).all()
    first = disagreements.iloc[0]
    assert (first["id"], first["difference"], first["driver"]) == (
        "bld-cross-ventilation", -23.0, "economics")
    assert first["reason"] == "economics 4/5 lifts the engine's rank above ★ 3"
    town = disagreements.set_index("id").loc["town-carbon-sink-management"]
    assert town["driver"] == "timing" and "only 2035-2050" in town["reason"]


def test_applicability_follows_the_sites_fuels_and_stock(catalog):
    from roadmap import load_site
    from tests.test_pathway import SITES
    ceramics = decision_matrix(catalog, load_site(SITES / "ceramics-plant.yaml", catalog))
    reasons = excluded_reasons(ceramics)
    # a plant already on gas gets no coal-to-gas, nor oil-to-gas
    assert reasons["ent-coal-to-gas"] == \
        "acts only on industry.coal, absent from the site's baseline"
    assert "ent-oil-to-gas" in reasons and "ent-distributed-pv" in ceramics.ids
    office = decision_matrix(catalog, load_site(SITES / "building.yaml", catalog))
    assert excluded_reasons(office)["bld-building-orientation"] == \
        "a design choice for new buildings, and the site lists no new_build"
    assert "bld-wall-roof-insulation" in office.ids
    town = decision_matrix(catalog, load_site(SITES / "xiaolan-town.yaml", catalog))
    assert "town-building-orientation-layout" in town.ids  # Xiaolan builds (new_build)


FURNACE_ROWS = {"ent-waste-heat-boiler-surface": "waste_heat_boiler",
                "ent-regenerative-combustion": "furnace", "ent-concentrated-combustion": "furnace"}


def test_furnace_and_waste_heat_boiler_measures_need_the_equipment(catalog):
    """The electronics plant burns its gas in steam boilers and oxidisers: its roadmap took a
    waste-heat boiler's tail surface and two kiln-burner retrofits (review 5, finding 9). The
    ceramics plant keeps them; the cement plant's rotary kiln takes its combustion air hot
    from the clinker cooler (no `furnace`): no burner retrofit. Every exclusion says what
    is missing."""
    electronics = decision_matrix(catalog, load_site(SITES / "electronics-factory.yaml", catalog))
    reasons = excluded_reasons(electronics)
    for tech_id, feature in FURNACE_ROWS.items():
        assert reasons[tech_id] == f"needs {feature}, which the site does not have"
    assert sentence(reasons["ent-regenerative-combustion"], "zh") == "需要工业炉窑，场地不具备"
    ceramics = decision_matrix(catalog, load_site(SITES / "ceramics-plant.yaml", catalog))
    assert set(FURNACE_ROWS) <= set(ceramics.ids)
    cement = decision_matrix(catalog, load_site(SITES / "cement-plant.yaml", catalog))
    assert "ent-waste-heat-boiler-surface" in cement.ids
    burners = [i for i, feature in FURNACE_ROWS.items() if feature == "furnace"]
    assert {i: excluded_reasons(cement)[i] for i in burners} == dict.fromkeys(
        burners, "needs furnace, which the site does not have")


def test_the_sensitivity_chart_counts_ranks_in_whole_numbers(catalog):
    """The axis read 2.5, 5.0, 7.5 ... 17.5 (the transport catalog's 26 rows of ★3 and
    more): a rank is a whole number."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from roadmap.rendering.charts import sensitivity_chart

    few = catalog_matrix(catalog.filter(domain="transport", min_recommendation=3), "transport")
    weights = {"abatement": 0.4, "economics": 0.4, "readiness": 0.2}
    figure = sensitivity_chart(sensitivity(few, "topsis", weights, draws=200, seed=3), 20, "en")
    FigureCanvasAgg(figure).draw()
    ticks = figure.axes[0].get_xticks()
    assert len(ticks) >= 3 and all(float(t).is_integer() for t in ticks)
