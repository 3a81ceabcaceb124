"""Dependencies, the roadmap builder, and the Gantt charts (structure, fonts, formats)."""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from pathlib import Path

import networkx as nx
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba

from roadmap import InputError
from roadmap.decisions.matrix import decision_matrix
from roadmap.decisions.portfolio import budget_portfolio
from roadmap.decisions.ranking import rank
from roadmap.decisions.roadmap import build_roadmap, phases
from roadmap.decisions.weights import choose_weights
from roadmap.inputs.catalog import application_year, popularization_year
from roadmap.inputs.dependencies import load_dependencies
from roadmap.inputs.site import load_site, site_from_dict
from roadmap.model.pathway import site_model
from roadmap.rendering.gantt import (
    LIGHT_ALPHA,
    TOWN_PARTS,
    domain_chart,
    roadmap_chart,
    thickness_of_grade,
)
from roadmap.rendering.outputs import save_figure
from roadmap.rendering.style import category_colour
from tests.helpers import run, run_en

ROOT = Path(__file__).resolve().parents[1]
XIAOLAN = ROOT / "catalogs" / "sites" / "xiaolan-town.yaml"
CERAMICS = ROOT / "catalogs" / "sites" / "ceramics-plant.yaml"




def plan_for(catalog, graph, site, top=15):
    matrix = decision_matrix(catalog, site)
    weights = choose_weights(matrix, site)
    return build_roadmap(rank(matrix, "topsis", weights), catalog, graph, site, top=top)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- dependencies

def test_builtin_dependencies(graph):
    assert graph.number_of_edges() == 45
    edge = graph.edges["ent-co2-storage", "ent-co2-capture"]
    assert edge["kind"] == "prerequisite" and edge["reason"].startswith(
        "captured CO2 needs a permanent store")
    assert graph.edges["town-distributed-energy", "town-smart-microgrid"]["kind"] == "prerequisite"
    assert all(data["reason"] for _, _, data in graph.edges(data=True))


def test_a_cycle_is_an_error_naming_the_ids(tmp_path, catalog):
    extra = write(tmp_path, "deps.yaml", "edges:\n"
                  "  - {before: ent-co2-utilisation, after: ent-co2-capture, kind: prerequisite,"
                  " reason: made up}\n")
    with pytest.raises(InputError, match="prerequisites form a cycle: ent-co2-capture -> "
                       "ent-co2-utilisation -> ent-co2-capture"):
        load_dependencies(catalog, extra)


def test_a_synergy_loop_is_allowed(tmp_path, catalog):
    extra = write(tmp_path, "deps.yaml", "edges:\n"
                  "  - {before: ent-co2-utilisation, after: ent-co2-capture, kind: synergy,"
                  " reason: made up}\n")
    assert load_dependencies(catalog, extra).number_of_edges() == 46


def test_an_unknown_id_is_an_error(tmp_path, catalog, capsys):
    extra = write(tmp_path, "deps.yaml", "edges:\n"
                  "  - {before: no-such-thing, after: ent-co2-capture, kind: prerequisite,"
                  " reason: x}\n")
    status, _, err = run_en(capsys, "plan", str(XIAOLAN), "--dependencies", str(extra))
    assert status == 2
    assert err.strip() == (f"error: {extra}: unknown id 'no-such-thing' in the edge "
                           "no-such-thing -> ent-co2-capture (allowed: ids from `roadmap "
                           "catalog list`)")


# --------------------------------------------------------------------------- the builder

def test_xiaolan_roadmap_pulls_in_prerequisites(catalog, graph):
    site = load_site(XIAOLAN).model_copy(update={
        "include": ("town-building-solar-pv", "town-co2-utilisation"),
        "baseline": {**load_site(XIAOLAN).baseline, "industry": {
            **load_site(XIAOLAN).baseline["industry"], "non_energy": 50000.0}}})
    roadmap = plan_for(catalog, graph, site)
    frame = roadmap.frame.set_index("id")
    assert frame.loc["town-co2-capture", "reason"] == "prerequisite of town-co2-utilisation"
    assert frame.loc["town-building-solar-pv", "reason"] == "included by the site profile"
    assert set(frame["phase"]) == {"near", "mid", "long"}
    assert ("town-co2-capture", "town-co2-utilisation") in roadmap.graph.edges
    # the plan's PV programme is in, so the umbrella row that includes it is left out
    left_out = roadmap.left_out.set_index("id")["reason"]
    assert left_out["town-renewable-energy"].startswith("overlaps town-building-solar-pv")


def test_scheduling_respects_every_dependency(catalog, graph):
    site = site_from_dict({"name": "all", "domain": "enterprise",
                           "features": ["steel", "cement", "aluminium", "energy_intensive"],
                           "baseline": {"electricity": 1, "industrial_fuel": 1, "process": 1}})
    roadmap = plan_for(catalog, graph, site, top=30)
    start = roadmap.frame.set_index("id")["start_year"]
    hard = [(a, b) for a, b, k in roadmap.graph.edges(data="kind") if k == "prerequisite"]
    assert len(hard) >= 7
    for before, after in hard:
        assert start[after] >= start[before], (before, after)


def test_a_later_prerequisite_delays_the_measure(tmp_path, catalog):
    # town-smart-grid is first applied 2025-2035; make clean energy (2020-2025) wait for it
    extra = write(tmp_path, "deps.yaml", "edges:\n"
                  "  - {before: town-smart-grid, after: town-clean-energy, kind: prerequisite,"
                  " reason: test}\n")
    graph = load_dependencies(catalog, extra)
    site = site_from_dict({"name": "t", "domain": "town", "baseline": {"electricity": 1},
                           "include": ["town-clean-energy"]})
    frame = plan_for(catalog, graph, site, top=1).frame.set_index("id")
    assert frame.loc["town-smart-grid", "reason"] == "prerequisite of town-clean-energy"
    assert frame.loc["town-clean-energy", "start_year"] == 2025
    assert frame.loc["town-clean-energy", "delayed_by"] == "town-smart-grid"
    assert frame.loc["town-clean-energy", "popularization_year"] == 2025


def test_include_and_excluded_prerequisite(catalog, graph):
    # ranked on timing alone, so that CO2 capture (widespread 2035-2050) is not picked first
    base = {"name": "t", "domain": "enterprise", "features": ["energy_intensive", "cement"],
            "baseline": {"electricity": 1, "process": 1}, "weights": {"timing": 1}}
    included = plan_for(catalog, graph, site_from_dict(
        {**base, "include": ["ent-co2-utilisation"]}), top=1).frame.set_index("id")
    assert included.loc["ent-co2-utilisation", "reason"] == "included by the site profile"
    assert included.loc["ent-co2-capture", "reason"] == "prerequisite of ent-co2-utilisation"
    # capture needs a store: the chain's first link comes in with it, for the included one
    assert included.loc["ent-co2-storage", "reason"] == "prerequisite of ent-co2-utilisation"
    conflict = site_from_dict({**base, "include": ["ent-co2-utilisation"],
                               "exclude": ["ent-co2-capture"]})
    # refused before any selection, so whatever the top: on the field that contradicts
    for top in (1, 30):
        with pytest.raises(InputError, match="field 'include': 'ent-co2-utilisation' needs "
                           "'ent-co2-capture', which the profile excludes"):
            plan_for(catalog, graph, conflict, top=top)


def xiaolan_excluding(tmp_path, *ids: str, include: str = "town-building-solar-pv") -> Path:
    """Xiaolan's profile with `exclude: [ids]` (and `include: [include]`)."""
    text = XIAOLAN.read_text(encoding="utf-8")
    assert "\nexclude: []\n" in text and "\ninclude: [town-building-solar-pv]" in text
    return write(tmp_path, "xiaolan.yaml", text.replace(
        "\nexclude: []\n", f"\nexclude: [{', '.join(ids)}]\n").replace(
        "\ninclude: [town-building-solar-pv]", f"\ninclude: [{include}]"))


def test_a_measure_needing_an_excluded_one_is_left_out_whatever_the_top(tmp_path, capsys):
    # process electrification (rank 2 without it) needs enterprise energy management; the evaluation
    # indicators (rank 44, reached at --top 30) need the monitoring platform
    profile = xiaolan_excluding(tmp_path, "town-enterprise-energy-management",
                                "town-carbon-monitoring-platform")
    left_out = {}
    for top in ("15", "30"):
        status, out, err = run(capsys, "plan", str(profile), "--top", top, "--format", "json")
        assert status == 0 and err == ""
        document = json.loads(out)
        left_out[top] = {m["id"]: m["reason"] for m in document["left_out"]}
        chosen = {m["id"] for m in document["measures"]}
        assert not chosen & {"town-enterprise-energy-management", "town-process-electrification",
                             "town-carbon-monitoring-platform",
                             "town-carbon-evaluation-indicators"}
    needs = "needs town-enterprise-energy-management, which the profile excludes"
    assert left_out["15"]["town-process-electrification"] == needs
    assert left_out["30"]["town-process-electrification"] == needs
    assert "town-carbon-evaluation-indicators" not in left_out["15"]
    assert left_out["30"]["town-carbon-evaluation-indicators"] == (
        "needs town-carbon-monitoring-platform, which the profile excludes")
    # printed by name, in both languages, from the message catalogue
    status, out, _ = run(capsys, "plan", str(profile), "--lang", "zh")
    line = next(line for line in out.splitlines() if "town-process-electrification" in line)
    assert "需要场地资料排除的企业用能综合管理技术" in line
    status, out, _ = run(capsys, "plan", str(profile), "--lang", "en")
    line = next(line for line in out.splitlines() if "town-process-electrification" in line)
    assert "needs Integrated enterprise energy management, which the profile excludes" in line
    # roadmap check lists every ranked measure an exclusion leaves out, by its reason
    status, out, _ = run(capsys, "check", str(profile), "--lang", "en")
    assert status == 0
    group = out.split("Ranked, but left out of the roadmap (they need a measure the profile "
                      "excludes)")[1].split("Ranked, but left out")[0]
    rows = {row.split("│")[1].strip(): row.split("│")[2].strip()
            for row in group.splitlines() if row.startswith("│ needs")}
    assert rows == {
        "needs town-enterprise-energy-management, which the profile excludes":
            "town-process-electrification",
        "needs town-carbon-monitoring-platform, which the profile excludes":
            "town-carbon-evaluation-indicators, town-low-carbon-market-system, "
            "town-carbon-sink-management"}


@pytest.mark.parametrize("command", [("check",), ("plan", "--top", "1"), ("plan", "--budget")])
def test_an_include_needing_an_excluded_measure_is_one_line(tmp_path, capsys, command):
    profile = xiaolan_excluding(tmp_path, "town-carbon-monitoring-platform",
                                include="town-carbon-evaluation-indicators")
    status, out, err = run(capsys, command[0], str(profile), *command[1:], "--lang", "en")
    assert status == 2 and out == ""
    assert err == (f"error: {profile}: field 'include': 'town-carbon-evaluation-indicators' "
                   "needs 'town-carbon-monitoring-platform', which the profile excludes "
                   "(allowed: measures whose prerequisites are not excluded: drop "
                   "'town-carbon-evaluation-indicators' from include or "
                   "'town-carbon-monitoring-platform' from exclude)\n")


@pytest.mark.parametrize(("included", "why"), [
    ("town-renewable-energy, town-building-solar-pv",
     "town-renewable-energy includes town-building-solar-pv"),
    ("town-carbon-target-accountability, park-targets-and-indicators",
     "town-carbon-target-accountability restates park-targets-and-indicators")])
def test_two_overlapping_includes_are_refused_before_any_output(tmp_path, capsys, included,
                                                                 why):
    profile = xiaolan_excluding(tmp_path, include=included)
    first, second = included.split(", ")
    status, out, err = run(capsys, "run", str(profile), "-o", str(tmp_path / "out"),
                           "--draws", "10", "--lang", "en")
    assert status == 2 and out == ""
    line = next(n for n, text in enumerate(profile.read_text().splitlines(), 1)
                if text.startswith("include:"))  # the include key's line
    assert err == (f"error: {profile}: line {line}: field 'include': '{first}' and '{second}' "
                   "overlap "
                   f"({why}) (allowed: at most one measure of an overlapping group: drop one "
                   "of them)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["xiaolan.yaml"]


# --------------------------------------------------------------------------- charts

def blocks(figure):
    """{gid: rectangle} of the chart's blocks."""
    return {p.get_gid(): p for p in figure.axes[0].patches if p.get_gid()}


@pytest.mark.parametrize("domain", ["building", "enterprise"])
def test_chart_bars_match_the_catalog(catalog, domain):
    figure = domain_chart(catalog, domain, lang="both")
    drawn = blocks(figure)
    techs = [t for t in catalog if t.domain == domain]
    assert sum(gid.endswith(":popularization") for gid in drawn) == len(techs)
    assert sum(gid.endswith(":application") for gid in drawn) == \
        sum(application_year(t) < popularization_year(t) for t in techs)
    for tech in techs:
        dark = drawn[f"{tech.id}:popularization"]
        assert dark.get_x() == popularization_year(tech)
        assert dark.get_x() + dark.get_width() == 2050
        assert dark.get_height() == pytest.approx(thickness_of_grade(tech.recommendation))
        if tech.application_period:
            light = drawn[f"{tech.id}:application"]
            assert light.get_x() == application_year(tech)
            assert light.get_width() == popularization_year(tech) - application_year(tech)
            assert light.get_facecolor()[3] == pytest.approx(LIGHT_ALPHA)
            assert light.get_edgecolor()[:3] == pytest.approx(dark.get_facecolor()[:3])
    # rows run top to bottom in the study's order (the y axis is inverted)
    ys = [drawn[f"{t.id}:popularization"].get_y() for t in techs]
    assert ys == sorted(ys)


def test_groups_get_distinct_colours(catalog):
    figure = domain_chart(catalog, "building")
    drawn = blocks(figure)
    first = drawn["bld-building-orientation:popularization"].get_facecolor()
    envelope = drawn["bld-wall-roof-insulation:popularization"].get_facecolor()
    assert first == to_rgba(category_colour("规划与布局")) and envelope != first


def test_town_parts_cover_the_town_table(catalog):
    counts = {}
    for part in TOWN_PARTS:
        figure = domain_chart(catalog, "town", part)
        counts[part] = sum(g.endswith(":popularization") for g in blocks(figure))
    assert counts == {"planning": 10, "energy-industry": 20, "transport": 22, "building": 21,
                      "agriculture-forestry": 13}
    assert sum(counts.values()) == 86


def chart_texts(figure):
    return [t.get_text() for t in figure.axes[0].texts]


def test_languages(catalog):
    zh, en = domain_chart(catalog, "park", lang="zh"), domain_chart(catalog, "park", lang="en")
    assert "土地合理利用" in chart_texts(zh) and "Solar energy projects" not in chart_texts(zh)
    assert "Solar energy projects" in chart_texts(en) and "土地合理利用" not in chart_texts(en)


def test_formats_keep_text_and_embed_fonts(tmp_path, catalog):
    figure = domain_chart(catalog, "community", lang="both")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would raise here
        svg = save_figure(figure, tmp_path / "c.svg").read_text(encoding="utf-8")
        pdf = save_figure(figure, tmp_path / "c.pdf").read_bytes()
        png = save_figure(figure, tmp_path / "c.png").read_bytes()
    assert "低碳社区规划" in svg and "<text" in svg
    assert b"/FontFile2" in pdf and re.search(rb"/BaseFont /[A-Z]{6}\+WenQuanYiMicroHei", pdf)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # at least 200 dpi: a 11-inch-wide figure is over 2000 px wide
    assert int.from_bytes(png[16:20], "big") > 2000


def test_charts_are_byte_for_byte_reproducible(tmp_path, catalog):
    for suffix in ("png", "svg", "pdf"):
        first = save_figure(domain_chart(catalog, "park"), tmp_path / f"a.{suffix}").read_bytes()
        again = save_figure(domain_chart(catalog, "park"), tmp_path / f"b.{suffix}").read_bytes()
        assert first == again, suffix


def test_site_chart_marks_prerequisites_and_draws_arrows(catalog, graph):
    site = load_site(XIAOLAN).model_copy(update={"include": ("town-co2-utilisation",)})
    roadmap = plan_for(catalog, graph, site)
    figure = roadmap_chart(roadmap, "zh", arrows=True)
    assert "二氧化碳捕捉技术*" in chart_texts(figure)
    arrows = [p.get_gid() for p in figure.axes[0].patches if (p.get_gid() or "").startswith(
        "arrow:")]
    assert "arrow:town-co2-capture->town-co2-utilisation" in arrows
    assert len(arrows) == roadmap.graph.number_of_edges()
    drawn = blocks(figure)
    assert len([g for g in drawn if g.endswith(":popularization")]) == len(roadmap.frame)
    assert figure.axes[0].get_xlim() == (2010, 2050)  # the site's base to target year
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert legend == ["预期应用", "预期普及", "排名最靠后（名称后带*者为纳入的前置措施）",
                      "排名最靠前", "前置关系（箭头指向后续措施）", "协同关系"]


def test_the_site_chart_names_the_phases_the_tables_name(catalog, graph):
    """The community's measures start in 2027: its Gantt chart, like its tables, has a mid
    term from 2026 and no near term from its base year 2016 (the study's periods)."""
    site = load_site(ROOT / "catalogs" / "sites" / "community.yaml")
    roadmap = plan_for(catalog, graph, site)
    shown = chart_texts(roadmap_chart(roadmap, "en"))
    assert [name for name in shown if "\n" in name] == [
        f"{start}-{end}\n{phase} term" for phase, start, end in phases(site)]
    assert "2026-2035\nmid term" in shown and not any("near" in name for name in shown)


def _arrows(figure):
    return [p for p in figure.axes[0].patches if (p.get_gid() or "").startswith("arrow:")]


def test_the_roadmap_legend_says_what_the_chart_draws_and_arrows_stay_on_the_plot(
        catalog, graph):
    """No △/○/* the chart does not draw; each arrow style drawn is in the legend; every
    arrow, however many rows it spans and whichever way it runs, stays right of the names."""
    roadmap = plan_for(catalog, graph, load_site(CERAMICS))
    figure = roadmap_chart(roadmap, "zh", arrows=True)
    ax = figure.axes[0]
    # the one measure pulled in as a prerequisite (capture's store) has its *, said in the key
    assert [name for name in chart_texts(figure) if "*" in name] == ["二氧化碳储存技术*"]
    styles = {p.get_linestyle() for p in _arrows(figure)}
    assert styles == {"-", "--"}  # prerequisites and synergies
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "预期应用", "预期普及", "排名最靠后（名称后带*者为纳入的前置措施）", "排名最靠前",
        "前置关系（箭头指向后续措施）", "协同关系"]
    keys = [h.get_linestyle() for h in legend.legend_handles[-2:]]
    assert keys == ["-", "--"]
    renderer = FigureCanvasAgg(figure).get_renderer()
    plot = ax.get_window_extent(renderer)
    drawn = {arrow.get_gid(): arrow.get_window_extent(renderer) for arrow in _arrows(figure)}
    # an arrow across most of the chart (the reviewer's case)
    assert max(box.height for box in drawn.values()) > plot.height / 2
    for gid, box in drawn.items():
        assert plot.x0 < box.x0 and box.x1 < plot.x1, gid
    headers = [t for t in ax.texts if t.get_bbox_patch() is not None]
    assert headers and all(t.get_zorder() > _arrows(figure)[0].get_zorder() for t in headers)



# --------------------------------------------------------------------------- CLI

def test_chart_command_writes_the_town_in_five_parts(tmp_path, capsys):
    target = tmp_path / "town.svg"
    status, _, err = run(capsys, "chart", "--domain", "town", "--format", "svg", "-o",
                         str(target))
    assert status == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"town-{part}.svg" for part in TOWN_PARTS)
    status, _, _ = run(capsys, "chart", "-d", "town", "--whole", "-o", str(tmp_path / "w.png"))
    assert status == 0 and (tmp_path / "w.png").exists()


def test_chart_format_follows_the_output_extension(tmp_path, capsys):
    status, _, err = run(capsys, "chart", "-d", "park", "-o", str(tmp_path / "det1.pdf"))
    assert status == 0 and f"wrote {tmp_path / 'det1.pdf'}" in err
    assert (tmp_path / "det1.pdf").read_bytes().startswith(b"%PDF")
    status, _, _ = run(capsys, "chart", "-d", "town", "--part", "planning",
                       "-o", str(tmp_path / "plan.html"))
    assert status == 0 and "<svg" in (tmp_path / "plan.html").read_text("utf-8")
    status, _, _ = run(capsys, "chart", "-d", "park", "-o", str(tmp_path / "bare"))
    assert status == 0 and (tmp_path / "bare.png").read_bytes().startswith(b"\x89PNG")
    status, _, err = run(capsys, "chart", "-d", "park", "--format", "svg",
                         "-o", str(tmp_path / "x.pdf"))
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert "--format: 'svg' but -o" in err and "is a pdf file" in err
    status, _, err = run(capsys, "chart", "-d", "park", "-o", str(tmp_path / "x.jpg"))
    assert status == 2 and "unsupported chart format '.jpg'" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bare.png", "det1.pdf", "plan.html"]


def test_bad_part_and_lang(capsys):
    status, _, err = run(capsys, "chart", "-d", "park", "--part", "transport")
    assert status == 2 and "unknown part 'transport' for park" in err
    status, _, err = run(capsys, "chart", "-d", "park", "--lang", "fr")
    assert status == 2


def test_plan_command(tmp_path, capsys):
    chart = tmp_path / "xiaolan" / "roadmap.png"
    status, out, err = run(capsys, "plan", str(XIAOLAN), "--format", "csv", "--chart",
                           str(chart))
    assert status == 0 and chart.exists() and f"wrote {chart}" in err
    rows = list(csv.DictReader(io.StringIO(out)))
    # 15 ranked measures (ranks 4, 5, 11, 16, 17 and 19 overlap a measure taken before them
    # and are left out) and the plan's PV programme the profile includes
    assert len(rows) == 16 and {r["phase"] for r in rows} == {"near", "mid", "long"}
    assert sorted(int(r["rank"]) for r in rows if r["reason"].startswith("rank")) == [
        1, 2, 3, *range(6, 11), 12, 13, 14, 15, 18, 20, 21]
    status, out, _ = run(capsys, "plan", str(XIAOLAN), "--format", "json", "--top", "5")
    document = json.loads(out)
    ranked = [m["rank"] for m in document["measures"] if m["reason"].startswith("rank")]
    # rank 4 (the low-carbon industrial system) covers rank 1 (industrial restructuring) and
    # rank 5 (full use of renewable energy) the plan's PV programme, which the profile
    # includes: both are left out with the reason, and ranks 6 and 7 are taken instead
    assert sorted(ranked) == [1, 2, 3, 6, 7]
    left_out = {m["id"]: m["reason"] for m in document["left_out"]}
    assert left_out["town-renewable-energy"].startswith("overlaps town-building-solar-pv")
    assert left_out["town-low-carbon-industry-system"].startswith(
        "overlaps town-industrial-restructuring")
    status, out, _ = run(capsys, "plan", str(XIAOLAN), "--lang", "en")
    assert "Near term: widespread 2010-2025" in out
    # after the phases, the ranked rows left out (6 of the first 21 ranks), rank 5 because
    # the profile includes the PV programme it covers
    left_out = out.split("Left out of the roadmap: ranked measures that overlap one in it")[1]
    assert left_out.split("\n")[0].rstrip().endswith("(6)")
    renewable = next(line for line in left_out.splitlines() if "town-renewable-energy" in line)
    assert "│ 5 " in renewable and "included by the site profile" in renewable
    assert "overlaps Building solar" in renewable  # a measure by its name, not its id
    status, out, _ = run(capsys, "plan", str(XIAOLAN), "--lang", "zh")
    renewable = next(line for line in out.split("未纳入路线图的排名措施")[1].splitlines()
                     if "town-renewable-energy" in line)
    assert "与场地资料纳入的建筑" in renewable


def test_plan_rejects_a_bad_chart_suffix_before_writing(tmp_path, capsys):
    status, _, err = run(capsys, "plan", str(XIAOLAN), "--chart", str(tmp_path / "x.gif"))
    assert status == 2 and "unsupported chart format '.gif'" in err
    assert list(tmp_path.iterdir()) == []


def test_dependency_graph_is_a_dag(graph):
    hard = graph.edge_subgraph([(a, b) for a, b, k in graph.edges(data="kind")
                                if k == "prerequisite"])
    assert nx.is_directed_acyclic_graph(hard)


def test_interactive_html_chart_is_offline_and_reproducible(tmp_path, capsys):
    first, again = tmp_path / "a.html", tmp_path / "b.html"
    for target in (first, again):
        status, _, _ = run(capsys, "chart", "-d", "park", "--format", "html", "-o", str(target))
        assert status == 0
    html = first.read_text(encoding="utf-8")
    assert first.read_bytes() == again.read_bytes()
    assert "土地合理利用" in html and "Rational (compact, mixed) land use" in html
    assert "<script" not in html and re.findall(r'(?:src|href)="?http', html) == []
    assert "@font-face" in html and len(html) < 1_000_000
    status, _, _ = run(capsys, "plan", str(XIAOLAN), "--chart", str(tmp_path / "site.html"),
                       "--format", "csv")
    site_html = (tmp_path / "site.html").read_text("utf-8")
    assert status == 0 and "<title>建筑太阳能光伏发电技术" in site_html


def test_interactive_blocks_follow_the_catalog(catalog):
    from roadmap.rendering.gantt import domain_rows
    from roadmap.rendering.interactive import interactive_gantt

    rows, text = domain_rows(catalog, "building")
    chart = interactive_gantt(rows, text, "zh")
    techs = [t for t in catalog if t.domain == "building"]
    for tech in techs:
        tip = chart.hover[f"{tech.id}:popularization"]
        assert tip.startswith(tech.name_zh)
        assert tip.endswith(f"△ {application_year(tech)} → ○ {popularization_year(tech)}")
    drawn = blocks(chart.figure)
    assert {g.split(":")[0] for g in drawn} == {t.id for t in techs}


def test_a_start_year_moves_the_roadmap_its_phases_and_plan_after_the_data_year(catalog, graph):
    """The park's data are of 2016; planned in 2026, nothing can start before 2027: the
    roadmap, its phases, the default implementation plan and the pathway all begin then."""
    from roadmap.decisions.implementation import implementation_plan
    from roadmap.decisions.roadmap import phases
    from roadmap.model.pathway import site_model

    path = ROOT / "catalogs" / "sites" / "industrial-park.yaml"
    site = load_site(path, catalog).model_copy(update={"start_year": None})
    later = site.model_copy(update={"start_year": 2027})  # as the bundled profile has it
    assert site.first_start_year == 2017 and later.first_start_year == 2027
    matrix = decision_matrix(catalog, later)
    ranking = rank(matrix, "topsis", choose_weights(matrix, later))
    plan = build_roadmap(ranking, catalog, graph, later, top=10)
    assert plan.frame["start_year"].min() == 2027
    assert (plan.frame["popularization_year"] >= 2027).all()
    assert phases(later) == [("mid", 2026, 2035), ("long", 2035, 2050)]
    assert set(plan.frame["phase"]) <= {"mid", "long"}
    assert implementation_plan(later, plan, catalog=catalog).quarters[0] == "2027Q1"
    run = site_model(later, catalog, list(plan.frame["id"])).run(
        "roadmap", {i: 0 for i in plan.frame["id"]}).by_year.set_index("year")
    assert (run.loc[:2027, "abatement"] == 0).all() and run.loc[2028, "abatement"] > 0
    with pytest.raises(InputError, match="start_year.: 2016 is outside 2017-2050"):
        site_from_dict({**site.model_dump(exclude_none=True, exclude={"notes"}),
                        "start_year": 2016}, path)


def test_a_roadmap_leaves_out_measures_that_gain_nothing_at_the_site(catalog):
    """A waste-only community: its planning and management rows have nothing to steer. They
    are ranked (last) but left out of the roadmap with the reason, unless the profile
    includes one; on a grid of 2 t/MWh electrifying boilers adds emissions."""
    waste = {"name": "w", "domain": "community", "baseline": {"waste": {"non_energy": 5000}}}
    graph = load_dependencies(catalog)
    for profile, included in ((waste, None), ({**waste, "include": ["com-low-carbon-planning"]},
                                              "com-low-carbon-planning")):
        site = site_from_dict(profile)
        matrix = decision_matrix(catalog, site)
        ranking = rank(matrix, "topsis", choose_weights(matrix, site))
        plan = build_roadmap(ranking, catalog, graph, site, top=15)
        nothing = set(ranking.frame.loc[ranking.frame["site_abatement"] == 0, "id"])
        left = plan.left_out.set_index("id")["reason"]
        assert len(nothing) >= 5 and set(left.index) == nothing - {included}
        assert set(left) == {"abates nothing at this site on its own"}
        assert set(plan.frame["id"]) == set(ranking.frame["id"]) - set(left.index)
    town = site_from_dict({"name": "t", "domain": "town", "grid": {2020: 2.0, 2050: 2.0},
                           "baseline": {"industry": {"gas": 1000, "coal": 1000}}})
    matrix = decision_matrix(catalog, town)
    plan = build_roadmap(rank(matrix, "topsis", choose_weights(matrix, town)), catalog, graph,
                         town, top=None)
    left = plan.left_out.set_index("id")["reason"]
    assert left["town-boiler-coal-to-electric"] == "adds emissions at this site on its own"
    assert "town-boiler-coal-to-electric" not in set(plan.frame["id"])


def test_a_row_left_out_for_no_gain_comes_back_only_as_a_prerequisite(catalog):
    """A farming town with land: its sink management needs the monitoring platform, which
    abates nothing on its own; it is in the roadmap as the prerequisite, not left out."""
    site = site_from_dict({"name": "f", "domain": "town", "land_area_ha": 5000,
                           "baseline": {"agriculture": {"non_energy": 5000}}})
    matrix = decision_matrix(catalog, site)
    ranking = rank(matrix, "topsis", choose_weights(matrix, site))
    plan = build_roadmap(ranking, catalog, load_dependencies(catalog), site, top=15)
    reasons = plan.frame.set_index("id")["reason"]
    assert reasons["town-carbon-monitoring-platform"] == \
        "prerequisite of town-carbon-sink-management"
    assert "town-carbon-monitoring-platform" not in set(plan.left_out["id"])
    assert set(plan.left_out["reason"]) == {"abates nothing at this site on its own"}


def test_a_row_that_gains_nothing_is_left_out_whatever_the_weights(catalog):
    """Ranked on cost alone, the matrix still carries each row's site abatement, so the
    waste-only community's planning rows stay out of the roadmap."""
    site = site_from_dict({"name": "w", "domain": "community", "weights": {"cost": 1},
                           "baseline": {"waste": {"non_energy": 5000}}})
    matrix = decision_matrix(catalog, site)
    assert matrix.criteria == ("cost",) and "site_abatement" in matrix.frame
    ranking = rank(matrix, "topsis", choose_weights(matrix, site))
    plan = build_roadmap(ranking, catalog, load_dependencies(catalog), site, top=15)
    assert len(plan.left_out) >= 5 and len(plan.frame) == len(ranking.frame) - len(
        plan.left_out)


def test_a_budgets_prerequisite_of_an_included_measure_says_so(catalog, graph):
    """The near-zero action plan, included, needs the development plan: the budget pays both
    first, and the roadmap said the budget bought the development plan."""
    site = load_site(XIAOLAN).model_copy(update={"include": ("town-near-zero-action-plan",)})
    matrix = decision_matrix(catalog, site)
    ranking = rank(matrix, site.method, choose_weights(matrix, site))
    portfolio = budget_portfolio(ranking, catalog, graph, site_model(site, catalog, matrix.ids),
                                 step_gain=False)
    chosen = portfolio.frame.loc[portfolio.frame["chosen"], "id"].tolist()
    reasons = build_roadmap(ranking, catalog, graph, site, selected=chosen).frame.set_index(
        "id")["reason"]
    assert reasons["town-near-zero-action-plan"].startswith("included by the site profile")
    assert reasons["town-low-carbon-development-plan"].startswith(
        "needed by a measure the site profile includes; rank")


def test_widespread_year_is_where_the_model_reaches_wide_adoption(catalog, graph):
    """The community's mid-term measures start in 2027, inside their popularisation period:
    the study's ○ column reads 2027 for all, while the model's S-curve reaches about
    `adoption_at_end` at the period's end, or `min_ramp_years` after the start if later."""
    from roadmap.model.pathway import site_model

    site = load_site(ROOT / "catalogs" / "sites" / "community.yaml")
    frame = plan_for(catalog, graph, site).frame.set_index("id")
    assert frame.loc["com-biomass-energy", ["start_year", "popularization_year",
                                            "widespread_year"]].tolist() == [2027, 2027, 2035]
    assert frame.loc["com-green-travel", ["start_year", "popularization_year",
                                          "widespread_year"]].tolist() == [2027, 2027, 2032]
    ids = list(frame.index)
    model = site_model(site, catalog, ids)
    starts = frame["start_year"].to_dict()
    curves = model.effects.curves(model.base.years, site.assumptions.adoption_at_end,
                                  site.assumptions.min_ramp_years, starts)
    for tech_id in ("com-biomass-energy", "com-green-travel"):
        year = int(frame.loc[tech_id, "widespread_year"])
        column = list(model.base.years).index(year)
        curve = curves[model.effects.ids.index(tech_id)]
        # the logistic reaches 0.95 there, rescaled to leave 0 at the start: 0.947
        assert curve[column] == pytest.approx(0.9 / 0.95) and curve[column - 1] < 0.93


def test_the_roadmap_chart_draws_the_first_ranked_thickest_for_every_method(catalog, graph):
    """SPOTIS ranks the lowest score first: the electronics factory's chart drew its ranks
    9-10 thickest and rank 1 thinnest. Thickness now falls with rank whatever the method,
    and the tables name a lower-is-better score so."""
    from roadmap.decisions.ranking import score_name
    from roadmap.rendering.messages import column

    site = load_site(ROOT / "catalogs" / "sites" / "electronics-factory.yaml", catalog)
    matrix = decision_matrix(catalog, site)
    for method in ("spotis", "vikor", "topsis"):
        plan = build_roadmap(rank(matrix, method, choose_weights(matrix, site)), catalog,
                             graph, site, top=10)
        drawn = blocks(roadmap_chart(plan, lang="en"))
        ranked = plan.frame.dropna(subset=["score"]).sort_values("rank")
        heights = [drawn[f"{i}:popularization"].get_height() for i in ranked["id"]]
        assert heights == sorted(heights, reverse=True), method
        assert heights[0] > heights[-1], method
    assert (score_name("spotis"), score_name("vikor"), score_name("topsis")) == (
        "score_lower_better", "score_lower_better", "score")
    assert column("score_lower_better", "en") == "score (lower is better)"


def test_the_ceramics_plant_takes_one_burner_system(capsys):
    """The cement plant's roadmap held both burner systems for the same kilns; a kiln
    plant's lower-ranked one is left out, saying which it is an alternative to."""
    ceramics = ROOT / "catalogs" / "sites" / "ceramics-plant.yaml"
    status, out, _ = run(capsys, "plan", str(ceramics), "--format", "json")
    assert status == 0
    document = json.loads(out)
    taken = {m["id"] for m in document["measures"]}
    burners = {"ent-regenerative-combustion", "ent-concentrated-combustion"}
    assert len(taken & burners) == 1
    left_out = {m["id"]: m["reason"] for m in document["left_out"]}
    (other,) = burners - taken
    assert left_out[other] == (
        f"overlaps {min(taken & burners)}, already in the roadmap (ent-concentrated-combustion "
        "and ent-regenerative-combustion are alternatives)")
