"""Site profiles: the bundled examples, the defaults, bad input, and `roadmap rank`/`experts`."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from roadmap import load_catalog
from roadmap.inputs.assumptions import Assumptions, range_of
from roadmap.inputs.site import load_site
from tests.helpers import run, run_en

ROOT = Path(__file__).resolve().parents[1]
SITES = sorted((ROOT / "catalogs" / "sites").glob("*.yaml"))
XIAOLAN = ROOT / "catalogs" / "sites" / "xiaolan-town.yaml"
MINIMAL = "name: t\ndomain: town\nbaseline: {electricity: 100}\n"


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_examples_cover_every_kind_of_site():
    names = {p.stem for p in SITES}
    assert {"xiaolan-town", "jiangmen-city"} <= names
    domains = {load_site(p).domain for p in SITES}
    assert domains == {"town", "building", "transport", "enterprise", "park", "community"}
    enterprises = [load_site(p) for p in SITES if load_site(p).domain == "enterprise"]
    assert sorted("energy_intensive" in s.features for s in enterprises) == [False, True, True]


def test_xiaolan_carries_the_plans_figures():
    site = load_site(XIAOLAN)
    assert site.total_baseline == pytest.approx(2_160_000)
    cells = site.cells()
    electricity = sum(v for (_, carrier), v in cells.items() if carrier == "electricity")
    assert electricity == pytest.approx(0.69 * 2_160_000)
    assert cells["industry", "coal"] == cells["industry", "oil"] == pytest.approx(0.08 * 2_160_000)
    assert site.land_area_ha == 7540 and site.measures["town-building-solar-pv"].mw == 150
    assert site.budget == 74290 and site.base_year == 2010


def test_defaults(tmp_path):
    site = load_site(write(tmp_path, MINIMAL))
    assert (site.base_year, site.target_year, site.growth_rate, site.method) == (
        2020, 2050, 0.0, "topsis")
    assert site.weights == {"site_abatement": 0.5, "cost": 0.5}
    assert site.target is None and site.features == () and site.budget is None


@pytest.mark.parametrize("path", SITES, ids=lambda p: p.stem)
def test_every_example_profile_ranks(capsys, path):
    status, out, err = run(capsys, "rank", str(path), "--format", "csv")
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) >= 5 and rows[0]["rank"] == "1"


def test_rank_prints_a_ranked_explained_list(capsys):
    status, out, _ = run(capsys, "rank", str(XIAOLAN), "--top", "5", "--lang", "en")
    assert status == 0
    assert "TOPSIS" in out and "Industrial restructuring" in out and "abates 172,923" in out
    assert "measures excluded" in out and "needs port" in out
    # criteria values as people read them: 172,923 t/yr and -1,991 yuan/t, not 172923.05
    assert re.search(r"│ +172,923 │ +-1,991 │ +1 │", out) and not re.search(r"172923\.\d", out)
    status, out, _ = run(capsys, "rank", str(XIAOLAN), "--top", "5", "--lang", "zh")
    assert status == 0
    assert "按TOPSIS排序" in out and "调整产业结构" in out and "吨/年" in out
    assert "项措施被排除" in out and "需要港口，场地不具备" in out and "needs" not in out


def test_csv_and_json_carry_the_same_rows(capsys):
    args = ("rank", str(XIAOLAN), "--top", "12", "--sensitivity", "200", "--compare", "wsm")
    _, out_csv, _ = run(capsys, *args, "--format", "csv")
    _, out_json, _ = run(capsys, *args, "--format", "json")
    from_csv = list(csv.DictReader(io.StringIO(out_csv)))
    document = json.loads(out_json)
    assert [r["id"] for r in from_csv] == [r["id"] for r in document["ranking"]]
    assert len(from_csv) == 12
    assert set(from_csv[0]) == set(document["ranking"][0])
    assert {"p_top_k", "rank_p5", "rank_topsis", "rank_wsm"} <= set(from_csv[0])
    # the two methods agree (weighted Spearman 0.88 on Xiaolan) but not perfectly
    assert document["excluded"] and 0.5 < document["weighted_spearman"]["wsm"]["topsis"] < 1


def test_rank_acceptability_option(capsys):
    args = ("rank", str(XIAOLAN), "--top", "6", "--smaa", "300", "--seed", "4")
    status, out, _ = run(capsys, *args)
    assert status == 0
    assert "Rank acceptability (SMAA-2): 300 draws" in out and "P(rank 1)" in out
    assert "Central weights" in out and "town-renewable-energy" in out
    _, out, _ = run(capsys, *args, "--lang", "zh")
    assert "排名可接受度（SMAA-2）：300次" in out and "第1名概率" in out and "Central" not in out
    # the central weights in words: the measure's name, the shares, each criterion's weight
    assert re.search(r"┃ 编号 +┃ 措施 +┃ 排第一的概率 +┃ 置信度 +┃ 场地减排量 +┃", out)
    assert "p_first" not in out and "name_zh" not in out
    _, out_json, _ = run(capsys, *args, "--format", "json")
    document = json.loads(out_json)
    first = document["ranking"][0]
    shares = [first[f"smaa_p_rank_{r}"] for r in range(1, 6)]
    assert 0 < sum(shares) <= 1 and first["smaa_p_top_k"] >= sum(shares) - 1e-12
    central = document["central_weights"]
    assert central[0]["p_first"] >= central[-1]["p_first"]
    assert sum(central[0][c] for c in document["weights"]) == pytest.approx(1.0)
    _, again, _ = run(capsys, *args, "--format", "json")
    assert again == out_json


def test_rank_options_change_the_order(capsys):
    _, default, _ = run(capsys, "rank", str(XIAOLAN), "--format", "csv")
    _, cheap, _ = run(capsys, "rank", str(XIAOLAN), "--format", "csv",
                      "--weights", "economics=1")
    first = [r["id"] for r in csv.DictReader(io.StringIO(default))]
    cheap_rows = list(csv.DictReader(io.StringIO(cheap)))
    assert first != [r["id"] for r in cheap_rows]
    assert cheap_rows[0]["economics"] == "5.0"


def test_ahp_file_is_used_and_its_ratio_reported(tmp_path, capsys):
    ahp = tmp_path / "ahp.yaml"
    ahp.write_text("criteria: [abatement, economics, readiness, relevance]\n"
                   "matrix: [[1, 2, 4, 2], [0.5, 1, 2, 1], [0.25, 0.5, 1, 0.5], [0.5, 1, 2, 1]]\n",
                   encoding="utf-8")
    status, out, err = run(capsys, "rank", str(XIAOLAN), "--ahp", str(ahp), "--format", "json")
    assert status == 0 and "consistency ratio 0.000" in err and "一致性比率0.000" in err
    assert json.loads(out)["weights"]["abatement"] == pytest.approx(4 / 9)
    # the note in the language asked for, only
    for lang, said, unsaid in (("en", "consistency ratio", "一致性"),
                               ("zh", "一致性比率", "ratio")):
        status, _, err = run(capsys, "rank", str(XIAOLAN), "--ahp", str(ahp), "--lang", lang,
                             "--format", "json")
        assert status == 0 and said in err and unsaid not in err, lang


def test_experts_command(capsys):
    status, out, _ = run(capsys, "experts", "--format", "csv")
    assert status == 0
    rows = {r["domain"]: float(r["kendall_tau"]) for r in csv.DictReader(io.StringIO(out))}
    assert rows["transport"] == pytest.approx(0.780, abs=1e-3)
    status, out, _ = run(capsys, "experts", "--lang", "en")
    assert "Largest disagreements" in out and "bld-cross-ventilation" in out
    assert "benchmark, not validation" in out and "sum of ▼ and +" in out and "fit, held out" in out
    assert "economics 4/5 lifts the engine's rank above ★ 3" in out
    # the held-out fits: headers in words, every figure to 3 decimals (0.300, not 0.3)
    assert re.search(r"held-out domain +┃ training rows ┃ intercept ┃ coefficient of ▼ ┃", out)
    assert re.search(r"│ transport +│ +182 │ +1\.707 │ +0\.316 │ +0\.300 │ +-0\.601 │", out)
    assert "training_rows" not in out and "held_out" not in out
    status, out, _ = run(capsys, "experts", "--lang", "zh")
    assert "最大分歧" in out and "经济性4/5使模型排名高于★3" in out and "lifts" not in out
    assert re.search(r"│ 交通 +│ +182 │ 1\.707 │", out) and "留出领域" in out and "截距" in out


BAD_SITES = {
    "unknown key": (MINIMAL + "colour: red\n", "field 'colour': unknown field"),
    "misspelt key": ("name: t\ndomian: town\nbaseline: {electricity: 1}\n",
                     "field 'domian': unknown field; did you mean 'domain'?"),
    "wrong type": (MINIMAL + "budget: lots\n", "field 'budget': 'lots' is not allowed"),
    "unknown source": ("name: t\ndomain: town\nbaseline: {coal: 5}\n",
                       "field 'baseline.coal'"),
    "empty baseline": ("name: t\ndomain: town\nbaseline: {}\n",
                       "at least one cell with emissions > 0 is needed"),
    "unknown domain": ("name: t\ndomain: city\nbaseline: {electricity: 1}\n",
                       "field 'domain': 'city' is not allowed (allowed: building, transport"),
    "unknown feature": (MINIMAL + "features: [harbour]\n",
                        "field 'features': unknown feature 'harbour'"),
    "unknown id": (MINIMAL + "include: [no-such-tech]\n", "field 'include': unknown id"),
    "target outside the horizon": (MINIMAL + "target: {reduction: 0.5, year: 2060}\n",
                                   "field 'target': year 2060 is outside 2021-2050"),
    "reduction above 1": (MINIMAL + "target: {reduction: 1.5, year: 2040}\n",
                          "field 'target.reduction': 1.5 is not allowed"),
    "unknown weight": (MINIMAL + "weights: {beauty: 1}\n", "field 'weights.beauty'"),
    "malformed": ("name: [t\n", "malformed YAML"),
    "missing name": ("domain: town\nbaseline: {electricity: 1}\n", "field 'name': missing"),
    # a union's branch ('growth_rate.float') is not named; the misspelt sector is
    "misspelt growth sector": (MINIMAL + "growth_rate: {industry: 0.02, industri: 0.01}\n",
                               "field 'growth_rate.industri': unknown key; did you mean "
                               "'industry'? (allowed: industry, commercial, residential, "),
    "growth in per cent": (MINIMAL + "growth_rate: 2%\n", "field 'growth_rate': '2%' is not "
                           "allowed; did you mean 0.02? (allowed: a fraction per year"),
    "growth as a number of per cent": (MINIMAL + "growth_rate: 2\n", "line 4: field "
                                       "'growth_rate': 2 is not allowed; did you mean 0.02?"),
    "decline as a number of per cent": (MINIMAL + "growth_rate: -3\n",
                                        "-3 is not allowed; did you mean -0.03?"),
    "discount rate in per cent": (MINIMAL + "discount_rate: 8\n", "field 'discount_rate': 8 "
                                  "is not allowed; did you mean 0.08? (allowed: a fraction"),
    "domain in Chinese": ("name: t\ndomain: 园区\nbaseline: {electricity: 1}\n",
                          "line 2: field 'domain': '园区' is not allowed; did you mean 'park'?"),
    "full-width colon": ("name: t\ndomain: town\nbudget：20000   # 万元\nbaseline: "
                         "{electricity: 1}\n", "line 3: malformed YAML: a full-width colon "
                         "'：' after a key (allowed: key: value, with the ASCII colon"),
    "full-width colon on the first line": ("name：t\ndomain: town\n",
                                           "line 1: malformed YAML: a full-width colon"),
    "misspelt carrier": ("name: t\ndomain: town\nbaseline: {industry: {cole: 100}}\n",
                         "line 3: field 'baseline.industry.cole': unknown key; did you mean "
                         "'coal'? (allowed: electricity, coal, oil, gas, lpg, heat, biomass, "
                         "non_energy)"),
    "misspelt sector": ("name: t\ndomain: town\nbaseline: {industri: {coal: 100}}\n",
                        "line 3: field 'baseline.industri': unknown key; did you mean "
                        "'industry'? (allowed: sectors industry, "),
    "empty file": ("# to fill in\n\n", ": the file is empty (allowed: a site profile; "
                   "`roadmap init -o FILE` writes a template)"),
}


@pytest.mark.parametrize("case", BAD_SITES, ids=str)
def test_bad_site_is_one_line_and_exit_2(tmp_path, capsys, case):
    text, expected = BAD_SITES[case]
    path = write(tmp_path, text)
    status, out, err = run_en(capsys, "rank", str(path))
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"error: {path}: ") and expected in err


def test_a_profile_saved_as_gbk_names_the_line(tmp_path, capsys):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("name: t\ndomain: town\n# 小榄镇\nbaseline: {electricity: 1}\n"
                     .encode("gbk"))
    status, _, err = run_en(capsys, "check", str(path))
    assert status == 2 and err.strip() == (
        f"error: {path}: line 3: not UTF-8 text (invalid continuation byte at byte 25) "
        "(allowed: UTF-8 text: save the file as UTF-8)")


def test_bad_options(capsys):
    status, _, err = run(capsys, "rank", str(XIAOLAN), "--method", "electre")
    assert status == 2 and "--method: 'electre' is not allowed (allowed: topsis, " in err
    status, _, err = run(capsys, "rank", str(XIAOLAN), "--weights", "price=1")
    assert status == 2 and "unknown criterion 'price'" in err
    status, _, err = run(capsys, "rank", str(XIAOLAN), "--weights", "abatement=high")
    assert status == 2 and "'abatement=high' is not criterion=number" in err


def test_site_ids_are_checked_against_the_merged_catalog(tmp_path):
    path = write(tmp_path, MINIMAL + "exclude: [town-smart-grid]\n")
    assert load_site(path, load_catalog()).exclude == ("town-smart-grid",)


def test_a_profile_without_start_year_is_told_when_its_measures_start(capsys):
    """Jiangmen (data of 2009, no start_year) had a first phase of 2010-2011 and money
    discounted to 2010, unremarked: check, and the report's notes, say so in both
    languages; a profile giving start_year (the community: 2027) gets no such note."""
    status, out, _ = run(capsys, "check", str(XIAOLAN.with_name("jiangmen-city.yaml")))
    assert status == 0
    assert "the plan is taken to start in 2010, the year after the base year 2009 (the " \
           "profile gives no start_year); set start_year for a plan that starts later" in out
    assert "规划视为自基准年2009的次年2010起实施（场地资料未给出start_year）；" \
           "规划晚于此开始时请设定start_year" in out
    status, out, _ = run(capsys, "check", str(XIAOLAN.with_name("community.yaml")))
    assert status == 0 and "start_year" not in out


def test_a_baseline_beyond_all_guangdong_s_parks_is_flagged(tmp_path, capsys):
    """1e12 t (kg written as t) is valid YAML and a valid profile, but more than all of
    Guangdong's parks emitted in 2016 (3.03亿 t, seed 003 sec. 5.1): check says so, in both
    languages; Xiaolan's 2.16 Mt gets no such note."""
    profile = tmp_path / "kg.yaml"
    profile.write_text("name: kg\ndomain: enterprise\nbaseline: {industry: {coal: 1.0e12}}\n")
    status, out, _ = run(capsys, "check", str(profile))
    assert status == 0
    assert "is more than all of Guangdong's industrial parks emitted in 2016" in out
    assert "超过广东全省园区2016年的排放总量（3.03亿吨）：请检查单位" in out
    status, out, _ = run(capsys, "check", str(XIAOLAN))
    assert status == 0 and "Guangdong's industrial parks" not in out


def test_every_default_assumption_lies_in_its_own_range():
    """A range that misses its default is a misread source (the gas factor's IPCC range was
    once divided where it should have been multiplied: 0.1508-0.1619 around 0.2020)."""
    defaults = Assumptions()
    checked = 0

    def inside(value, bounds, name):
        nonlocal checked
        if isinstance(bounds, dict):
            for key, sub in bounds.items():
                inside(value[key], sub, f"{name}.{key}")
        else:
            low, high = bounds
            assert low <= value <= high, (name, value, bounds)
            checked += 1

    for name in Assumptions.model_fields:
        bounds = range_of(name)
        multiplier = name == "grid_factor"  # a spread of the whole path, x0.8 to x1.2
        if isinstance(bounds, str) or multiplier:
            continue
        inside(getattr(defaults, name), bounds, name)
    assert checked >= 30
