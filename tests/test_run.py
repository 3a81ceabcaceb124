"""`roadmap run`, `batch` and `compare`: outputs, their content, atomic writes, the report."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from roadmap import load_site
from roadmap.batch import target_year_totals
from roadmap.cli import main
from roadmap.model.pathway import standalone_runs
from roadmap.rendering import report as report_module
from roadmap.rendering.document import SENTENCE_COLUMNS
from roadmap.rendering.outputs import publish_folder
from roadmap.rendering.report import with_chinese
from roadmap.workflow import Options, analyse_file
from tests.helpers import run, run_en

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "catalogs" / "sites"
XIAOLAN = SITES / "xiaolan-town.yaml"
FAST = ("--draws", "100")


@pytest.fixture(scope="module")
def xiaolan_run(tmp_path_factory):
    """One full run of the default site, shared by the tests that only read it."""
    folder = tmp_path_factory.mktemp("run") / "xiaolan-town"
    with pytest.raises(SystemExit) as exit_:
        main(["run", str(XIAOLAN), "-o", str(folder), *FAST])
    assert exit_.value.code == 0
    return folder


@pytest.fixture(scope="module")
def analysis(catalog):
    return analyse_file(catalog, XIAOLAN, Options(draws=100))


def test_run_writes_every_output(xiaolan_run):
    files = sorted(str(p.relative_to(xiaolan_run)) for p in xiaolan_run.rglob("*") if p.is_file())
    charts = [f"charts/{name}.{suffix}" for name in ("contributions", "cost-curve", "pathway",
                                                     "sensitivity", "implementation",
                                                     "implementation-map")
              for suffix in ("png", "svg")]
    charts += ["charts/roadmap.pdf", "charts/roadmap.png", "charts/roadmap.svg"]
    assert files == sorted(charts + [".roadmap-output", "implementation.csv", "pathway.csv",
                                     "ranking.csv",
                                     "report.docx", "report.html", "report.md", "roadmap.csv",
                                     "roadmap.xlsx", "scenarios.csv", "uncertainty_costs.csv"])


def test_tables_match_the_api(xiaolan_run, analysis):
    for name, frame in (("ranking", analysis.ranking.frame), ("roadmap", analysis.roadmap.frame),
                        ("pathway", analysis.pathway.frame)):
        written = pd.read_csv(xiaolan_run / f"{name}.csv", keep_default_na=False)
        # the API's columns in their order, each sentence column followed by its Chinese
        assert list(written.columns) == list(with_chinese(frame).columns)
        assert list(written.columns.drop([f"{c}_zh" for c in SENTENCE_COLUMNS],
                                         errors="ignore")) == list(frame.columns)
        assert written["id" if "id" in written else "measure"].tolist() == \
            frame["id" if "id" in frame else "measure"].tolist()
        assert len(written) == len(frame)
    costs = pd.read_csv(xiaolan_run / "uncertainty_costs.csv")
    assert list(costs.columns) == list(analysis.uncertainty.costs.columns) == [
        "measure", "cost_yuan_per_t_p10", "cost_yuan_per_t_p50", "cost_yuan_per_t_p90"]
    assert sorted(costs["measure"]) == sorted(analysis.roadmap.frame["id"])
    pathway = pd.read_csv(xiaolan_run / "pathway.csv")
    assert pathway["abatement"].to_numpy() == pytest.approx(
        analysis.pathway.frame["abatement"].to_numpy(), abs=1e-6)
    # to the sixth decimal: float noise (2011's 7e-15 t of sink) is not written as a figure
    scenarios = (xiaolan_run / "scenarios.csv").read_text()
    assert "bau,2011,2203200.0,0.0,0.0,2203200.0" in scenarios
    assert not re.search(r"e-\d|\.\d{7}", scenarios + (xiaolan_run / "pathway.csv").read_text())
    book = openpyxl.load_workbook(xiaolan_run / "roadmap.xlsx", read_only=True)
    assert {"ranking", "roadmap", "pathway", "targets", "economics", "portfolio",
            "sensitivity"} <= set(book.sheetnames)
    assert book["roadmap"].max_row == len(analysis.roadmap.frame) + 1


def test_each_measure_is_run_alone_once(analysis):
    # the ranking's site figures, the costs and the portfolio read the same stand-alone
    # runs, on the matrix's site model (the roadmap adds no measure to it at Xiaolan)
    model = analysis.model
    assert model is analysis.matrix.model and list(model.alone) == analysis.matrix.ids
    again = standalone_runs(model, analysis.matrix.ids[:3])
    assert len(again) == 3 and all(again[i] is model.alone[i] for i in again)
    assert len(model.alone) == 58


def test_summaries_count_abatement_against_business_as_usual_net(analysis):
    # batch and compare: the roadmap's abatement, not the sink business as usual holds anyway
    totals = target_year_totals(analysis)
    roadmap, bau = (analysis.scenarios[n].by_year.set_index("year").loc[2050]
                    for n in ("roadmap", "bau"))
    assert bau["sink"] > 900 and roadmap["sink"] == pytest.approx(bau["sink"])
    assert totals["abatement"] == pytest.approx(roadmap["abatement"])  # no sink of its own
    assert totals["bau"] == pytest.approx(bau["net"]) and totals["net"] == roadmap["net"]


def test_a_python_session_shows_short_reprs(analysis):
    assert repr(analysis) == ("SiteAnalysis(site='小榄镇 Xiaolan Town', method='topsis', "
                              "58 ranked, 16 in the roadmap)")
    assert repr(analysis.pathway) == ("Pathway('roadmap', site='小榄镇 Xiaolan Town', "
                                      "16 measures, 2010-2050)")


def test_report_names_every_selected_measure(xiaolan_run, analysis):
    html = (xiaolan_run / "report.html").read_text(encoding="utf-8")
    markdown = (xiaolan_run / "report.md").read_text(encoding="utf-8")
    for _, row in analysis.roadmap.frame.iterrows():
        assert row["name_zh"] in html and row["name_en"] in html
        assert row["name_zh"] in markdown
    assert "场地概况 Site summary" in html and "TOPSIS" in html
    assert analysis.input_hash in html and "roadmap 0.1.0" in html
    assert "![" in markdown and "](charts/roadmap.png)" in markdown


def test_the_rows_left_out_of_the_roadmap_say_why(xiaolan_run, analysis):
    """Xiaolan's roadmap jumps from rank 3 to 6: ranks 4 and 5 overlap a measure in it (rank 5
    the PV programme of rank 49 the profile includes). The report and the workbook say so."""
    left_out = analysis.roadmap.left_out.set_index("id")
    reasons = left_out["reason"]
    assert left_out.loc[["town-low-carbon-industry-system", "town-renewable-energy"],
                        "rank"].tolist() == [4, 5]
    assert reasons["town-low-carbon-industry-system"] == (
        "overlaps town-industrial-restructuring, already in the roadmap "
        "(town-low-carbon-industry-system includes town-industrial-restructuring)")
    assert reasons["town-renewable-energy"] == (
        "overlaps town-building-solar-pv, included by the site profile "
        "(town-renewable-energy includes town-building-solar-pv)")
    roadmap = analysis.roadmap.frame.set_index("id")
    overlapped = {reason.split(",")[0].removeprefix("overlaps ") for reason in reasons}
    assert overlapped <= set(roadmap.index) and not set(reasons.index) & set(roadmap.index)
    assert roadmap.loc["town-building-solar-pv", "reason"] == "included by the site profile"
    for report in ("report.md", "report.html"):
        lines = (xiaolan_run / report).read_text(encoding="utf-8").splitlines()
        # the report names the measures, in both languages; the ids stay in their column
        assert sum("included by the site profile (Full use of renewable energy includes "
                   "Building solar photovoltaic power)" in line for line in lines) == 1
        assert any("与已入选的调整产业结构重叠" in line and "overlaps Industrial restructuring"
                   in line for line in lines)
    sheet = openpyxl.load_workbook(xiaolan_run / "roadmap.xlsx", read_only=True)["left_out"]
    rows = list(sheet.values)
    assert rows[0] == ("id", "name_zh", "name_en", "rank", "reason", "reason_zh")
    assert [row[0] for row in rows[1:]] == list(left_out.index) and len(rows) == 7
    assert rows[2][3:5] == (5, reasons["town-renewable-energy"])
    assert rows[2][5] == ("与场地资料纳入的建筑太阳能光伏发电技术重叠（充分利用可再生能源包含"
                          "建筑太阳能光伏发电技术）")


def test_report_is_self_contained(xiaolan_run):
    html = (xiaolan_run / "report.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == 7  # 5 charts + the plan's two
    assert "@font-face" in html and "data:font/woff;base64," in html
    for reference in ("http://", "https://", "src=\"charts", "<link", "<script"):
        assert reference not in html


def test_english_report_has_no_chinese_headings(tmp_path, capsys):
    status, _, _ = run(capsys, "run", str(XIAOLAN), "-o", str(tmp_path / "en"), "--lang", "en",
                       *FAST)
    html = (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    assert status == 0 and "Site summary" in html and "场地概况" not in html


def test_an_existing_folder_is_not_overwritten(xiaolan_run, capsys):
    before = {p: p.stat().st_mtime_ns for p in xiaolan_run.rglob("*")}
    status, out, err = run_en(capsys, "run", str(XIAOLAN), "-o", str(xiaolan_run), *FAST)
    assert status == 2 and out == ""
    assert err.strip() == (f"error: {xiaolan_run}: the output folder exists already (allowed: "
                           "--force to replace it, or another -o)")
    assert {p: p.stat().st_mtime_ns for p in xiaolan_run.rglob("*")} == before


def test_force_replaces_and_a_failure_leaves_nothing(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "site"  # as if roadmap wrote it (its marker lists old.txt)
    publish_folder(folder, lambda staging: (staging / "old.txt").write_text(
        "earlier result", encoding="utf-8"))

    def broken(analysis, lang):
        raise RuntimeError("injected failure")

    monkeypatch.setitem(report_module.CHARTS, "sensitivity", (broken, ("png",)))
    with pytest.raises(RuntimeError, match="injected failure"):
        run(capsys, "run", str(XIAOLAN), "-o", str(folder), "--force", *FAST)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left
    assert (folder / "old.txt").read_text(encoding="utf-8") == "earlier result"
    monkeypatch.undo()
    status, _, _ = run(capsys, "run", str(XIAOLAN), "-o", str(folder), "--force", *FAST)
    assert status == 0 and not (folder / "old.txt").exists() and (folder / "report.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failure_on_a_new_folder_leaves_no_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(report_module, "write_workbook", lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        run(capsys, "run", str(XIAOLAN), "-o", str(tmp_path / "new"), *FAST)
    assert list(tmp_path.iterdir()) == []


def test_html_special_names_are_escaped(tmp_path, capsys):
    catalog = tmp_path / "mine.yaml"
    catalog.write_text(
        "technologies:\n"
        "  - id: my-bold-tech\n    domain: town\n    category: 能源\n"
        "    name_zh: 测试<script>alert(1)</script>\n    name_en: \"<b>Bold & co</b>\"\n"
        "    application_period: 2020-2025\n    popularization_period: 2025-2035\n"
        "    abatement: 5\n    economics: 5\n    recommendation: 5\n"
        "    addresses: [electricity]\n", encoding="utf-8")
    site = tmp_path / "site.yaml"
    site.write_text(XIAOLAN.read_text(encoding="utf-8").replace(
        "include: []", "include: [my-bold-tech]"), encoding="utf-8")
    status, _, err = run(capsys, "--catalog", str(catalog), "run", str(site), "-o",
                         str(tmp_path / "out"), *FAST)
    assert status == 0, err
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;Bold &amp; co&lt;/b&gt;" in html and "<b>Bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html


def test_batch_with_one_broken_profile(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: b\ndomain: town\nbaseline: {electricity: -5}\n", encoding="utf-8")
    good = [SITES / "building.yaml", SITES / "transport-hub.yaml"]
    out = tmp_path / "batch"
    status, stdout, err = run(capsys, "batch", str(good[0]), str(broken), str(good[1]), "-o",
                              str(out), "--jobs", "2")
    assert status == 1
    assert "2 sites done, 1 failed" in stdout and "0 or more" in err
    summary = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8-sig")))
    assert [Path(r["file"]).name for r in summary] == ["building.yaml", "broken.yaml",
                                                       "transport-hub.yaml"]
    assert summary[1]["error"] == (f"{broken}: line 3: field 'baseline.electricity': -5 is not "
                                   "allowed (allowed: a number of tCO2e/yr, 0 or more)")
    assert summary[0]["error"] == ""
    assert summary[0]["target"] == "60% below 2013 by 2035"  # no minus for the neutraliser
    assert float(summary[0]["baseline_t_per_yr"]) == pytest.approx(
        load_site(good[0]).total_baseline)
    assert sorted(p.name for p in out.iterdir()) == ["building", "summary.csv", "transport-hub"]
    assert (out / "building" / "report.html").exists()


def test_compare_methods_and_weights(capsys):
    status, out, _ = run(capsys, "compare", str(XIAOLAN), "--methods", "topsis,vikor",
                         "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert [v["variant"] for v in document["pathways"]] == ["topsis", "vikor"]
    assert {"topsis", "vikor"} <= set(document["ranks"][0])
    status, out, _ = run(capsys, "compare", str(XIAOLAN), "--weights",
                         "abatement=1;economics=1", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0 and {"abatement=1", "economics=1"} <= set(rows[0])
    status, _, err = run(capsys, "compare", str(XIAOLAN))
    assert status == 2 and "give either --methods or --weights" in err
    status, out, _ = run(capsys, "compare", str(XIAOLAN), "--methods", "topsis,vikor",
                         "--lang", "zh")
    assert status == 0 and "各方案的路线图" in out and "净排放（吨CO2e/年）" in out
    assert "调整产业结构" in out and "Variants" not in out and "Industrial restructuring" not in out


def test_same_input_same_bytes(tmp_path, catalog):
    analysis = analyse_file(catalog, SITES / "building.yaml", Options(draws=50))
    first = report_module.write_outputs(analysis, tmp_path / "a")
    second = report_module.write_outputs(analysis, tmp_path / "b")
    for path in first.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path



def test_rank_with_entropy_weights(capsys):
    status, out, err = run(capsys, "rank", str(XIAOLAN), "--weights", "entropy", "--lang", "en")
    assert status == 0, err
    assert "ranked by TOPSIS (site abatement 0.87, levelised cost 0.01, timing 0.12)" in out
