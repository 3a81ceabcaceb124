"""SMAA-2 rank acceptability over weights and criteria values."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import methods as mcdm
from pymcdm.normalizations import minmax_normalization

from roadmap.decisions.acceptability import (
    acceptability,
    grade_draws,
    topsis_draws,
    uniform_weights,
    wsm_draws,
)
from roadmap.decisions.matrix import COST_SPREAD, DecisionMatrix, decision_matrix
from roadmap.decisions.sensitivity import sensitivity
from roadmap.inputs.site import site_from_dict
from roadmap.model.economics import measure_economics
from roadmap.model.pathway import site_model

TOWN = {"name": "test town", "domain": "town",
        "baseline": {"electricity": 690, "industrial_fuel": 160, "transport_fuel": 100,
                     "building_fuel": 50}}
WEIGHTS = {"abatement": 0.35, "economics": 0.3, "readiness": 0.15, "relevance": 0.2}


@pytest.fixture(scope="module")
def town_matrix(catalog):
    """The grade-based criteria of the earlier default, named explicitly."""
    return decision_matrix(catalog, site_from_dict(TOWN), criteria=tuple(WEIGHTS))


@pytest.fixture(scope="module")
def town_smaa(town_matrix):
    return acceptability(town_matrix, "topsis", WEIGHTS, draws=2000, seed=11)


def test_each_measures_rank_probabilities_sum_to_one(town_smaa, town_matrix):
    n = len(town_matrix.frame)
    assert town_smaa.indices.shape == (n, n)
    np.testing.assert_allclose(town_smaa.indices.sum(axis=1), 1.0)
    np.testing.assert_allclose(town_smaa.indices.sum(axis=0), 1.0)  # each rank taken once
    frame = town_smaa.frame
    assert frame["id"].tolist() == town_smaa.indices.index.tolist()
    np.testing.assert_allclose(frame["p_first"], town_smaa.indices[1])
    np.testing.assert_allclose(frame["p_top_k"], town_smaa.indices.loc[:, 1:10].sum(axis=1))
    assert frame["rank"].tolist() == list(range(1, n + 1))


def test_central_weights_and_confidence(town_smaa, town_matrix):
    central = town_smaa.central_weights
    assert 0 < len(central) <= 10
    assert central["p_first"].is_monotonic_decreasing
    np.testing.assert_allclose(central[list(town_matrix.criteria)].sum(axis=1), 1.0)
    assert central["confidence"].between(0, 1).all()
    assert central["p_first"].sum() <= 1.0
    leader = central.iloc[0]
    assert leader["id"] == town_smaa.frame.loc[town_smaa.frame["p_first"].idxmax(), "id"]


def test_varying_the_values_spreads_the_ranks_more_than_the_weights_alone(town_matrix):
    both = acceptability(town_matrix, "topsis", WEIGHTS, draws=1000, seed=2)
    weights_only = acceptability(town_matrix, "topsis", WEIGHTS, draws=1000, seed=2,
                                 performance="fixed")
    spread = (both.frame["rank_p95"] - both.frame["rank_p5"]).mean()
    assert spread > (weights_only.frame["rank_p95"] - weights_only.frame["rank_p5"]).mean()
    assert both.performance == "grades" and weights_only.performance == "fixed"


def test_weights_only_is_the_sensitivity_analysis(town_matrix):
    smaa = acceptability(town_matrix, "topsis", WEIGHTS, draws=500, seed=3, top_k=8,
                         performance="fixed")
    stability = sensitivity(town_matrix, "topsis", WEIGHTS, draws=500, seed=3, top_k=8)
    np.testing.assert_array_equal(smaa.weight_rows, stability.weight_rows)
    assert smaa.frame["id"].tolist() == stability.frame["id"].tolist()
    assert smaa.frame["p_top_k"].tolist() == stability.frame["p_top_k"].tolist()
    assert smaa.frame["rank_p95"].tolist() == stability.frame["rank_p95"].tolist()


def test_seeded_draws_are_reproducible_byte_for_byte(town_matrix):
    def run(seed):
        result = acceptability(town_matrix, "wsm", WEIGHTS, draws=300, seed=seed)
        return (result.indices.to_csv() + result.frame.to_csv() +
                result.central_weights.to_csv()).encode(), result.weight_rows.tobytes()

    assert run(5) == run(5)
    assert run(5) != run(6)


def test_grade_draws_stay_within_half_a_grade_and_on_the_scale(town_matrix):
    drawn = grade_draws(town_matrix, 400, np.random.default_rng(0))
    values = town_matrix.values
    criteria = list(town_matrix.criteria)
    abatement = drawn[:, :, criteria.index("abatement")]
    assert abatement.min() >= 1.0 and abatement.max() <= 5.0
    assert np.abs(abatement - values[:, criteria.index("abatement")]).max() <= 0.5
    relevance = criteria.index("relevance")
    assert np.all(np.abs(drawn[:, :, relevance] - values[:, relevance])
                  <= 0.2 * values[:, relevance] + 1e-12)
    assert drawn.std(axis=0).min() >= 0.0 and drawn.std(axis=0).max() > 0.2


def test_a_sites_cost_is_drawn_within_its_gross_terms(catalog):
    """A levelised cost near zero is uncertain by its capital and its savings, not by 20 %
    of the small difference between them."""
    office = {"name": "office", "domain": "building", "target_year": 2040,
              "prices": {"electricity": 165},
              "baseline": {"commercial": {"electricity": 5000.0, "gas": 1500.0}}}
    matrix = decision_matrix(catalog, site_from_dict(office))
    model = site_model(site_from_dict(office), catalog, matrix.ids)
    led = matrix.ids.index("bld-led-lighting")
    economics = measure_economics(model.run("alone", {"bld-led-lighting": 0}, green_power=False),
                                  catalog, 2040).iloc[0]
    gross = 1e4 * (economics["annual_cost_10k_yuan"] + economics["saving_10k_yuan_per_yr"]
                   ) / economics["abatement_t_per_yr"]
    assert matrix.half_widths["cost"][led] == pytest.approx(COST_SPREAD * gross)
    cost = matrix.values[led, matrix.criteria.index("cost")]
    assert 0 < cost < COST_SPREAD * gross  # 56 yuan/t of 1,486 yuan/t gross
    drawn = grade_draws(matrix, 400, np.random.default_rng(0))[:, led,
                                                               matrix.criteria.index("cost")]
    assert np.abs(drawn - cost).max() <= COST_SPREAD * gross
    assert drawn.min() < 0 < drawn.max()  # the draws cross zero: it may or may not pay


@pytest.mark.parametrize("types", [[1, 1, 1, 1], [1, -1, 1, -1]])
def test_vectorised_draws_equal_pymcdm_with_benefit_and_cost_criteria(town_matrix, types):
    types = np.array(types, dtype=float)
    values = grade_draws(town_matrix, 20, np.random.default_rng(4))
    rows = uniform_weights(4, 20, seed=4)
    topsis, wsm = topsis_draws(values, types, rows), wsm_draws(values, types, rows)
    for i in (0, 7, 19):
        np.testing.assert_allclose(topsis[i], mcdm.TOPSIS()(values[i], rows[i], types))
        np.testing.assert_allclose(wsm[i], mcdm.WSM(minmax_normalization)(values[i], rows[i],
                                                                         types))


class CostMatrix(DecisionMatrix):
    """A matrix whose every criterion is a cost (the lead's matrix will carry its types)."""

    @property
    def types(self):
        return -np.ones(len(self.criteria))

    def subset(self, criteria):
        return CostMatrix(self.frame, criteria, self.excluded, self.dropped)


@pytest.mark.parametrize("method", ["topsis", "wsm", "vikor"])
def test_a_cost_criterion_ranks_lower_is_better(town_matrix, method):
    """Cost = 6 - ➕: the cheapest measures (➕ 5) take rank 1 in every draw."""
    matrix = town_matrix.subset(("economics",))
    cost = matrix.frame.assign(economics=6 - matrix.frame["economics"])
    costly = CostMatrix(cost, ("economics",), matrix.excluded, matrix.dropped)
    result = acceptability(costly, method, {"economics": 1.0}, draws=30, seed=1)
    first = result.frame.iloc[0]
    assert cost.set_index("id").loc[first["id"], "economics"] == 1.0
    ever_first = result.indices.index[result.indices[1] > 0]
    assert set(cost.set_index("id").loc[ever_first, "economics"]) <= {1.0, 2.0}
    assert result.indices[1].sum() == pytest.approx(1.0)


def test_caller_supplied_performance_draws(town_matrix):
    values = np.broadcast_to(town_matrix.values, (50, *town_matrix.values.shape)).copy()
    given = acceptability(town_matrix, "topsis", WEIGHTS, draws=50, seed=9, performance=values)
    fixed = acceptability(town_matrix, "topsis", WEIGHTS, draws=50, seed=9, performance="fixed")
    np.testing.assert_allclose(given.indices.to_numpy(), fixed.indices.to_numpy())
    called = acceptability(town_matrix, "topsis", WEIGHTS, draws=50, seed=9,
                           performance=lambda m, n, rng: grade_draws(m, n, rng))
    drawn = acceptability(town_matrix, "topsis", WEIGHTS, draws=50, seed=9)
    assert called.indices.equals(drawn.indices)
    with pytest.raises(ValueError, match="shape"):
        acceptability(town_matrix, "topsis", WEIGHTS, draws=10, performance=values)


def test_a_looped_method_and_uniform_weights(town_matrix):
    result = acceptability(town_matrix, "vikor", WEIGHTS, draws=40, seed=1, top_k=3,
                           weight_scheme="uniform")
    np.testing.assert_allclose(result.indices.sum(axis=1), 1.0)
    assert len(result.central_weights) <= 3
    assert not np.allclose(result.weight_rows, result.weight_rows[0])


def test_acceptability_chart_stacks_each_measures_ranks(town_smaa):
    from roadmap.rendering.charts import acceptability_chart

    figure = acceptability_chart(town_smaa, top=6, ranks=3, lang="en")
    ax = figure.axes[0]
    assert len(ax.containers) == 4  # ranks 1, 2, 3 and below
    widths = np.array([[bar.get_width() for bar in c] for c in ax.containers])
    np.testing.assert_allclose(widths.sum(axis=0), 1.0)
    top = town_smaa.frame.head(6).iloc[::-1]
    np.testing.assert_allclose(widths[0], town_smaa.indices.loc[top["id"], 1])
    assert [t.get_text() for t in ax.get_yticklabels()] == top["name_en"].tolist()
    assert len({c.patches[0].get_facecolor() for c in ax.containers}) == 4
