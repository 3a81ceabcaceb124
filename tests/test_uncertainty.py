"""Monte Carlo through the site model: reproducible draws, the deterministic case, targets."""

from __future__ import annotations

import numpy as np
import pytest

from roadmap import load_site
from roadmap.decisions.matrix import decision_matrix
from roadmap.errors import InputError
from roadmap.inputs.site import site_from_dict
from roadmap.model.economics import investment_totals, measure_capex, measure_economics, spending
from roadmap.model.pathway import site_model
from roadmap.model.uncertainty import (
    _run_chunked,
    band_drivers,
    central_draw,
    draw_costs,
    draw_inputs,
    draw_model,
    monte_carlo,
    report_columns,
    run_draws,
)
from roadmap.rendering.charts import cost_curve_chart
from tests.test_pathway import OFFICE, XIAOLAN


@pytest.fixture(scope="module")
def xiaolan(catalog):
    site = load_site(XIAOLAN, catalog)
    ids = decision_matrix(catalog, site).ids
    return site_model(site, catalog, ids), dict.fromkeys(ids[:15], 0)


def test_a_central_draw_is_the_central_pathway_exactly(xiaolan):
    model, starts = xiaolan
    net, bau, credit = run_draws(model, starts, central_draw(model))[:3]
    pathway = model.run("roadmap", starts)
    assert net[0].tobytes() == pathway.net.tobytes()
    bau_state = model.bau_state
    assert bau[0].tobytes() == (bau_state.emissions.sum(axis=0) -
                                bau_state.sinks.sum(axis=0)).tobytes()
    final = pathway.frame[pathway.frame["year"] == 2050].groupby("measure")["abatement"].sum()
    names = [*model.effects.ids, "green_power"]
    for tech_id, value in final.items():
        assert credit[0, names.index(tech_id)] == pytest.approx(value, rel=1e-12, abs=1e-9)


def test_batched_draws_equal_the_public_single_run_of_each_draw(xiaolan):
    model, starts = xiaolan
    sample, columns = draw_inputs(model, 12, seed=3), report_columns(model)
    net = run_draws(model, starts, sample, columns)[0]
    single = [draw_model(model, sample, i).run("roadmap", starts).net[columns]
              for i in range(12)]
    assert net.tobytes() == np.array(single).tobytes()


def test_batched_draws_with_delayed_starts_equal_the_public_single_runs(xiaolan):
    # business as usual on its own pairs, the removed energy split every year only where
    # it moves, the empty cells left out: none of it changes a byte of any year
    model, _ = xiaolan
    ids = model.effects.ids
    starts = {**dict.fromkeys(ids[:20], 0), **dict.fromkeys(ids[20:30], 2032)}
    sample = draw_inputs(model, 5, seed=11)
    net, bau, credit = run_draws(model, starts, sample)[:3]
    runs = [draw_model(model, sample, i).run("roadmap", starts) for i in range(5)]
    assert net.tobytes() == np.array([run.net for run in runs]).tobytes()
    # the credits, computed one year a draw, sum the same terms in the same order
    single = np.array([run.credit.sum(axis=-2)[:, -1] for run in runs])
    single[:, :-1] += np.array([(run.state.sinks - run.model.bau_state.sinks)[:, -1]
                                for run in runs])
    assert credit.tobytes() == single.tobytes()
    bau_state = draw_model(model, sample, 4).bau_state
    assert bau[4].tobytes() == (bau_state.emissions.sum(axis=0) -
                                bau_state.sinks.sum(axis=0)).tobytes()


def test_draws_do_not_depend_on_the_chunk_even_for_one_draw_left_over(xiaolan):
    model, starts = xiaolan
    # 29 draws in chunks of 7 leave one over (it joins the batch before it)
    sample, columns = draw_inputs(model, 29, seed=2), report_columns(model)
    runs = [_run_chunked(model, starts, sample, columns, chunk) for chunk in (7, 10, 29)]
    for first, other in zip(runs[0], runs[1], strict=True):
        assert first.tobytes() == other.tobytes()
    for first, other in zip(runs[0], runs[2], strict=True):
        assert first.tobytes() == other.tobytes()


def test_draws_on_two_cores_are_the_bytes_of_one(xiaolan, monkeypatch):
    model, starts = xiaolan
    # the second core takes the later draws from 400 (half, in whole batches of 10 draws x 9
    # report years); 801 leaves the helper a single draw over
    sample, columns = draw_inputs(model, 801, seed=3), report_columns(model)
    runs = []
    for threshold in (10**9, 1):
        monkeypatch.setattr("roadmap.model.uncertainty.SECOND_CORE_FROM", threshold)
        runs.append(_run_chunked(model, starts, sample, columns, 10))
    for one, two in zip(*runs, strict=True):  # the helper's rows reached this process
        assert np.abs(two[400:]).sum() > 0 and one.tobytes() == two.tobytes()


def test_costs_and_percentiles_on_two_cores_are_the_bytes_of_one(xiaolan, monkeypatch):
    model, starts = xiaolan
    # each process costs its own draws (400 and 401), the helper takes the credits'
    # percentiles; with 11 draws in batches of 10, the last draw joins the first batch and
    # no helper is needed: it was left uncosted when the second core was due
    for draws in (801, 11):
        spreads = []
        for threshold in (10**9, 1):
            monkeypatch.setattr("roadmap.model.uncertainty.SECOND_CORE_FROM", threshold)
            spreads.append(monte_carlo(model, starts, draws=draws, seed=3, chunk=10,
                                       every_year=False))
        one, two = spreads
        for name in ("by_year", "measures", "costs", "investment", "targets"):
            assert getattr(one, name).equals(getattr(two, name)), (draws, name)
        assert two.costs.filter(like="cost").notna().all().all()
        assert two.investment.iloc[0, -1] > two.investment.iloc[0, -3] > 0


def test_every_draw_is_centred_on_its_central_value(xiaolan):
    model, _ = xiaolan
    sample, central = draw_inputs(model, 4000, seed=5), central_draw(model)
    for name in ("cap", "shift", "growth", "grid", "autonomous"):
        drawn, middle = getattr(sample, name), getattr(central, name)[0]
        assert np.median(drawn, axis=0) == pytest.approx(middle, abs=0.05 * np.ptp(drawn) + 1e-9)
    # the shift spans the popularisation period's length, half before and half after
    assert sample.shift.min() < -2 and sample.shift.max() > 2
    # the one documented one-sided input: forest uptake from the typical 0.5 t up to 1.2 t
    assert sample.uptake.min() >= central.uptake[0]


def test_the_central_pathway_is_the_median_of_each_input_on_its_own(xiaolan):
    # before the fix the adoption years were drawn only before the central one: with them
    # alone, P50 sat 6 % below the central pathway in 2030 and even P90 below it
    model, starts = xiaolan
    central = model.run("roadmap", starts).by_year.set_index("year")["net"]
    bands = band_drivers(model, starts, draws=400, seed=2)
    for row in bands[bands["input"] != "uptake"].itertuples():
        # within the band, give or take 5 % of its width: before its popularisation period
        # a measure's adoption is in the S-curve's convex foot, where a drawn year earlier
        # adds more than a year later takes away (Xiaolan 2020, adoption years alone: 1,477 t
        # above P90, the band 35,977 t wide); 10 ppm where the band is narrow
        slack = max(1e-5 * central[row.year], 0.05 * row.width)
        assert row.net_p10 - slack <= central[row.year] <= row.net_p90 + slack
        # growth compounds (convex), so its median lies a little above the central run
        spread = 0.04 if row.input in ("growth", "all") else 0.01
        assert row.net_p50 == pytest.approx(central[row.year], rel=spread)
    widths = bands[bands["year"] == 2050].set_index("input")["width"]
    assert widths.idxmax() == "all" and widths.drop("all").idxmax() == "growth"
    # the default grid path starts with the measured factor of 2022: no draw before it
    grid = bands[bands["input"] == "grid"].set_index("year")["width"]
    assert (grid[grid.index <= 2020] == 0).all() and grid[2050] > 0


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


# --------------------------------------------------------------------------- costs

ONLY_PRICES = {name: "fixed" for name in ("cap", "shift", "growth", "grid", "autonomous",
                                          "uptake", "capex", "cost_effectiveness",
                                          "discount_rate")}


def test_a_central_draw_gives_the_central_levelised_costs(xiaolan, catalog):
    model, starts = xiaolan
    capex = measure_capex(model, list(starts))
    draw = central_draw(model)
    cost, capital = draw_costs(model, capex, draw, run_draws(model, starts, draw))
    pathway = model.run("roadmap", starts)
    central = measure_economics(pathway, catalog, 2050, capex).set_index("id")
    expected = central.loc[capex["id"], "cost_yuan_per_t"].to_numpy()
    # the same arithmetic, summed in another order: equal to the last few bits
    assert cost[0] == pytest.approx(expected, rel=1e-12)
    assert np.isfinite(expected).sum() >= 10
    total = investment_totals(spending(pathway, capex))[0]
    assert capital.sum() / 1e4 == pytest.approx(total, rel=1e-9)


def test_cost_percentiles_converge_on_a_price_drawn_uniformly(catalog):
    # one efficiency measure, sized by the site; only the energy prices drawn, uniform in
    # x0.8-x1.2: its cost (annual cost - m x saving) / abatement is linear in the multiplier
    # m, so its P10/P50/P90 are the costs at m = 1.16, 1.00 and 0.84
    site = site_from_dict({**OFFICE, "measures": {"bld-led-lighting": {"share": 0.2}},
                           "uncertainty": {**ONLY_PRICES, "energy_prices": [0.8, 1.2]}})
    model = site_model(site, catalog, ["bld-led-lighting"])
    starts = {"bld-led-lighting": 0}
    central = measure_economics(model.run("roadmap", starts), catalog, 2050).iloc[0]
    annual, saving = central["annual_cost_10k_yuan"] * 1e4, central["saving_10k_yuan_per_yr"] * 1e4
    abated = central["abatement_t_per_yr"]
    assert saving > 0 and abated > 0
    sample = draw_inputs(model, 50, seed=4)  # the profile fixed all but the prices
    assert (sample.rate == 0.08).all() and (sample.capex == 1).all()
    assert (sample.growth == 0).all() and (sample.grid == 1).all()
    assert sample.price.min() < 0.1 and sample.price.max() > 0.9
    costs = monte_carlo(model, starts, draws=20_000, seed=4).costs.iloc[0]
    for p, multiplier in ((10, 1.16), (50, 1.0), (90, 0.84)):
        expected = (annual - multiplier * saving) / abated
        tolerance = 0.002 * saving / abated
        assert costs[f"cost_yuan_per_t_p{p}"] == pytest.approx(expected, abs=tolerance)


def test_split_uniform_draws_have_their_median_at_the_value_in_force(xiaolan):
    model, _ = xiaolan
    sample = draw_inputs(model, 4000, seed=9)
    assert np.median(sample.rate) == pytest.approx(0.08, abs=0.001)
    assert sample.rate.min() >= 0.06 and sample.rate.max() <= 0.10
    # half the draws below the value in force, half above, however lopsided the range
    assert (sample.capex <= 1).mean(axis=0) == pytest.approx(0.5, abs=0.03)
    # PV's capex: 3,000-4,500 around 3,500 yuan/kW, a lopsided range
    assert sample.capex[:, 0].min() >= 3000 / 3500 and sample.capex[:, 0].max() <= 4500 / 3500
    assert np.median(sample.effectiveness, axis=0) == pytest.approx(1.0, abs=0.03)


def test_seeded_costs_are_reproducible_byte_for_byte(xiaolan):
    model, starts = xiaolan
    first = monte_carlo(model, starts, draws=120, seed=7, chunk=50)
    again = monte_carlo(model, starts, draws=120, seed=7, chunk=40)
    assert first.costs.to_csv().encode() == again.costs.to_csv().encode()
    assert first.costs.equals(again.costs) and first.investment.equals(again.investment)
    assert first.band.equals(again.band) and len(first.band) == len(model.base.years)
    low, middle, high = (first.costs[f"cost_yuan_per_t_p{p}"] for p in (10, 50, 90))
    assert ((low <= middle) & (middle <= high)).all()


def test_the_band_every_year_agrees_with_the_report_years(xiaolan):
    model, starts = xiaolan
    every = monte_carlo(model, starts, draws=60, seed=3)
    milestones = monte_carlo(model, starts, draws=60, seed=3, every_year=False)
    assert every.by_year.equals(milestones.by_year)
    band = every.band.set_index("year").loc[milestones.by_year["year"]]
    assert band["net_p50"].to_numpy().tobytes() == \
        milestones.by_year["net_p50"].to_numpy().tobytes()


@pytest.mark.parametrize(("given", "message"), [
    ("discount_rate: [0.09, 0.12]", "field 'uncertainty.discount_rate': [0.09, 0.12] is not "
     "allowed (allowed: fixed or [low, high] around the central value, low <= 0.08 <= high)"),
    ("capex: [2, 1]", "field 'uncertainty.capex': [2, 1] is not allowed (allowed: fixed or "
     "[low, high] with 0 <= low <= high <= 20"),
    ("prices: fixed", "field 'uncertainty': unknown input 'prices' (allowed: {INPUT: fixed or "
     "[low, high]} with inputs cap, shift, growth, grid, autonomous, uptake, feature_shares, "
     "energy_prices"),
])
def test_a_bad_distribution_is_one_line_naming_file_line_and_field(tmp_path, given, message):
    path = tmp_path / "site.yaml"
    path.write_text("name: t\ndomain: town\nbaseline: {industry: {electricity: 1000}}\n"
                    f"uncertainty:\n  {given}\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_site(path)
    line = 4 if message.startswith("field 'uncertainty':") else 5  # the key's own line
    assert str(error.value).startswith(f"{path}: line {line}: {message}")
    assert "\n" not in str(error.value)


def test_the_cost_curve_shows_each_measures_p10_to_p90(catalog):
    site = site_from_dict(OFFICE)
    ids = ["bld-led-lighting", "bld-smart-lighting-control", "bld-solar-pv"]
    model = site_model(site, catalog, ids)
    starts = dict.fromkeys(ids, 0)
    table = measure_economics(model.run("roadmap", starts), catalog, 2050)
    costs = monte_carlo(model, starts, draws=300, seed=2).costs
    ax = cost_curve_chart(table, 2050, "en", 80.0, costs).axes[0]
    ranges = {line.get_gid().removeprefix("cost-range:"): line.get_ydata()
              for line in ax.get_lines() if (line.get_gid() or "").startswith("cost-range:")}
    shown = table[(table["abatement_t_per_yr"] > 0) & table["cost_yuan_per_t"].notna()]
    assert sorted(ranges) == sorted(shown["id"])
    expected = costs.set_index("measure")
    for tech_id, (low, high) in ranges.items():
        assert (low, high) == (expected.loc[tech_id, "cost_yuan_per_t_p10"],
                               expected.loc[tech_id, "cost_yuan_per_t_p90"])
    # the axis reaches every range
    bottom, top = ax.get_ylim()
    assert bottom < min(v for pair in ranges.values() for v in pair)
    assert top > max(v for pair in ranges.values() for v in pair)


def test_a_central_draw_pays_for_burned_and_priced_as_fuel_like_the_central_costs(catalog):
    """Biodiesel CCHP burns fuel bought at the oil price; bio-jet fuel replaces jet fuel and
    is bought at the oil price too (`priced_as`): the drawn costs carry both, as
    `measure_economics` does."""
    site = load_site(XIAOLAN, catalog)
    starts = {"town-biodiesel-cchp": 0, "trn-aviation-biofuels": 0}
    model = site_model(site.model_copy(update={"features": (*site.features, "airport")}),
                       catalog, list(starts))
    capex = measure_capex(model, list(starts))
    draw = central_draw(model)
    cost = draw_costs(model, capex, draw, run_draws(model, starts, draw))[0]
    central = measure_economics(model.run("roadmap", starts), catalog, 2050, capex)
    expected = central.set_index("id").loc[capex["id"], "cost_yuan_per_t"].to_numpy()
    assert np.isfinite(expected).all()
    assert cost[0] == pytest.approx(expected, rel=1e-12)


def test_a_programme_costs_the_same_whatever_potential_is_drawn(catalog):
    """A drawn potential moves what a measure is credited, and so the size of a measure
    costed per kW, MWh or tonne, but not the cost of one programme (a plan, a platform)."""
    site = load_site(XIAOLAN, catalog)
    site = site.model_copy(update={"uncertainty": {
        name: "fixed" for name in ("shift", "growth", "grid", "autonomous", "uptake", "capex",
                                   "energy_prices", "cost_effectiveness", "discount_rate")}})
    starts = {"town-carbon-monitoring-platform": 0, "town-enterprise-energy-management": 0}
    model = site_model(site, catalog, list(starts))
    capex = measure_capex(model, list(starts)).set_index("id")
    sample = draw_inputs(model, 200, seed=3)
    run = run_draws(model, starts, sample)
    capital = draw_costs(model, capex.reset_index(), sample, run)[1]
    rows = [model.effects.ids.index(i) for i in capex.index]
    per_adoption = capital / run.added[:, rows]
    assert capex.loc["town-carbon-monitoring-platform", "cost_basis"] == "enabling_programme"
    assert per_adoption[:, 0] == pytest.approx(capex["capex"].iloc[0], rel=1e-12)
    assert np.ptp(per_adoption[:, 1]) > 0.1 * capex["capex"].iloc[1]  # an efficiency size


NANAO = XIAOLAN.parent / "nanao-county.yaml"
PORT_MEASURES = ["trn-shore-power", "trn-ship-green-propulsion", "trn-ship-hull-optimisation",
                 "trn-ship-green-operation", "town-port-shore-power",
                 "town-ship-green-propulsion", "town-ship-green-operation"]


def _nanao(catalog, tmp_path, extra: str = ""):
    """Nan'ao (ferry and fishing ports) with `extra` profile lines, and its model."""
    path = tmp_path / "nanao.yaml"
    path.write_text(NANAO.read_text(encoding="utf-8") + extra, encoding="utf-8")
    site = load_site(path, catalog)
    ids = decision_matrix(catalog, site).ids
    return site_model(site, catalog, ids), dict.fromkeys(ids, 0)


def test_the_feature_shares_are_drawn_for_the_measures_they_limit(catalog, tmp_path, xiaolan):
    """The port's share of transport energy (0.10, range 0.03-0.30) was never drawn: the
    band of a port measure ignored an order-of-magnitude guess."""
    model, _ = _nanao(catalog, tmp_path)
    sample = draw_inputs(model, 4000, seed=5)
    limited = [model.effects.ids[row] for row in np.flatnonzero((sample.feature != 1).any(0))]
    designs = [i for i in model.effects.ids if catalog.get(i).new_build_only]
    assert designs and set(limited) == {*PORT_MEASURES, *designs}  # and the new buildings'
    drawn = sample.feature[:, model.effects.ids.index("trn-shore-power")]
    # split uniform over x0.3 to x3 (0.03-0.30 around 0.10): the median at the central share
    assert drawn.min() == pytest.approx(0.3, abs=0.01) and drawn.max() == \
        pytest.approx(3.0, abs=0.01)
    assert np.median(drawn) == pytest.approx(1.0, abs=0.02)
    assert (drawn < 1).mean() == pytest.approx(0.5, abs=0.02)
    # one draw of the port's share for all its measures
    assert (sample.feature[:, [model.effects.ids.index(i) for i in PORT_MEASURES]]
            == drawn[:, None]).all()
    # a site without port, cargo port or airport: only its designs for new buildings are
    # drawn, one share for all (0.20-0.50 around 0.40: x0.5 to x1.25)
    town = xiaolan[0]
    feature = draw_inputs(town, 2000, seed=5).feature
    designs = [row for row, i in enumerate(town.effects.ids) if catalog.get(i).new_build_only]
    assert list(np.flatnonzero((feature != 1).any(0))) == designs and len(designs) >= 3
    assert (feature[:, designs] == feature[:, designs[:1]]).all()
    assert feature.min() == pytest.approx(0.5, abs=0.01) and \
        feature.max() == pytest.approx(1.25, abs=0.01)


def test_a_port_measures_band_follows_its_drawn_share(catalog, tmp_path):
    model, starts = _nanao(catalog, tmp_path)
    fixed, _ = _nanao(catalog, tmp_path, "uncertainty:\n  feature_shares: fixed\n")
    drawn, held = (monte_carlo(m, starts, draws=400, seed=2).measures.set_index("measure")
                   for m in (model, fixed))
    widths = [(frame.loc["trn-shore-power", "abatement_p90"]
               - frame.loc["trn-shore-power", "abatement_p10"]) for frame in (drawn, held)]
    assert widths[0] > 1.5 * widths[1]  # x0.44 to x2.6 of the share between P10 and P90
    # held at its central value, every other draw keeps its bytes (the shares come last)
    same = draw_inputs(model, 50, seed=2), draw_inputs(fixed, 50, seed=2)
    for name in ("cap", "shift", "growth", "grid", "price", "capex", "rate"):
        assert getattr(same[0], name).tobytes() == getattr(same[1], name).tobytes()
    assert (same[1].feature == 1).all()
    sample, columns = draw_inputs(model, 8, seed=3), report_columns(model)
    single = [draw_model(model, sample, i).run("roadmap", starts).net[columns] for i in range(8)]
    assert run_draws(model, starts, sample, columns)[0].tobytes() == np.array(single).tobytes()


def test_a_profiles_own_share_and_range_are_drawn_around(catalog, tmp_path):
    model, _ = _nanao(catalog, tmp_path, "assumptions: {feature_shares: {port: 0.2}}\n"
                                         "uncertainty:\n  feature_shares: [0.5, 2]\n")
    drawn = draw_inputs(model, 2000, seed=4).feature[:, model.effects.ids.index(
        "trn-shore-power")]
    assert 0.5 <= drawn.min() < 0.52 and 1.98 < drawn.max() <= 2.0
    assert np.median(drawn) == pytest.approx(1.0, abs=0.03)
    # the potential around the profile's share: 0.35 x 0.2 (the default's 0.10 gives 0.035)
    assert model.effects.reach[model.effects.ids.index("trn-shore-power")] == \
        pytest.approx(0.07)
    with pytest.raises(InputError, match=r"feature_shares': \[1.5, 2.0\] is not allowed "
                                         r"\(allowed: .* low <= 1 <= high\)"):
        _nanao(catalog, tmp_path, "uncertainty:\n  feature_shares: [1.5, 2]\n")
