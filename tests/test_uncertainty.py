"""Monte Carlo through the site model: reproducible draws, the deterministic case, targets."""

from __future__ import annotations

import numpy as np
import pytest

from roadmap import load_site
from roadmap.decisions.matrix import decision_matrix
from roadmap.inputs.catalog import popularization_year
from roadmap.inputs.site import site_from_dict
from roadmap.model.effects import PERIOD_END
from roadmap.model.pathway import site_model
from roadmap.model.uncertainty import Draws, monte_carlo, report_columns, run_draws
from tests.test_pathway import OFFICE, XIAOLAN


@pytest.fixture(scope="module")
def xiaolan(catalog):
    site = load_site(XIAOLAN, catalog)
    ids = decision_matrix(catalog, site).ids
    return site_model(site, catalog, ids), dict.fromkeys(ids[:15], 0)


def central(model, catalog) -> Draws:
    """One draw at every input's central value: the deterministic model."""
    fx, assumptions = model.effects, model.site.assumptions
    end = [[PERIOD_END[popularization_year(catalog.get(i))] for i in fx.ids]]
    return Draws(cap=np.ones((1, len(fx.ids))), end=np.array(end, float),
                 growth=np.zeros((1, len(model.base.sectors))), grid=np.ones(1),
                 autonomous=np.array([assumptions.autonomous_uptake]),
                 uptake=np.array([assumptions.sink_uptake_per_mu]))


def test_a_central_draw_is_the_deterministic_pathway(xiaolan, catalog):
    model, starts = xiaolan
    net, bau, credit = run_draws(model, starts, central(model, catalog))
    pathway = model.run("roadmap", starts)
    assert net[0] == pytest.approx(pathway.net, rel=1e-9)
    final = pathway.frame[pathway.frame["year"] == 2050].groupby("measure")["abatement"].sum()
    names = [*model.effects.ids, "green_power"]
    for tech_id, value in final.items():
        assert credit[0, names.index(tech_id)] == pytest.approx(value, rel=1e-9, abs=1e-6)


def test_seeded_draws_are_reproducible_byte_for_byte(xiaolan):
    model, starts = xiaolan
    first = monte_carlo(model, starts, draws=120, seed=7, chunk=50)
    again = monte_carlo(model, starts, draws=120, seed=7, chunk=40)
    other = monte_carlo(model, starts, draws=120, seed=8)
    assert first.net.tobytes() == again.net.tobytes()
    assert first.by_year.equals(again.by_year) and first.measures.equals(again.measures)
    assert not np.array_equal(first.net, other.net)


def test_percentiles_converge_on_a_simple_case(catalog):
    # one efficiency measure sized by the site (not drawn), a flat grid, no growth: only
    # the wide-adoption year is uncertain, and by 2050 every draw has reached it
    site = site_from_dict({**OFFICE, "measures": {"bld-led-lighting": {"share": 0.2}}})
    model = site_model(site, catalog, ["bld-led-lighting"])
    starts = {"bld-led-lighting": 0}
    spread = monte_carlo(model, starts, draws=2000, seed=1)
    final = spread.by_year.set_index("year").loc[2050]
    deterministic = model.run("roadmap", starts).net[-1]
    # growth is drawn +-1 point a year around 0: the median stays on the central run
    assert final["net_p50"] == pytest.approx(deterministic, rel=0.01)
    assert final["net_p10"] < final["net_p50"] < final["net_p90"]
    # the band follows the growth draws: (1 +- 0.01)^30 at the 10th/90th percentile
    assert final["net_p90"] / final["net_p50"] == pytest.approx(1.008 ** 30, rel=0.03)


def test_target_probabilities_of_zero_and_one(catalog):
    ids = ["bld-led-lighting"]
    easy = site_from_dict({**OFFICE, "target": {"reduction": 0.01, "year": 2050},
                           "green_power": {2030: 1.0}})
    hard = site_from_dict({**OFFICE, "target": {"reduction": 0.99, "year": 2050}})
    for site, expected in ((easy, 1.0), (hard, 0.0)):
        spread = monte_carlo(site_model(site, catalog, ids), dict.fromkeys(ids, 0), draws=200)
        absolute = spread.targets.set_index("kind").loc["absolute", "probability"]
        assert absolute == expected


def test_report_years_include_the_targets(xiaolan):
    model, _ = xiaolan
    years = set(model.base.years[report_columns(model)])
    assert {2010, 2015, 2020, 2050} <= years and 2011 not in years
