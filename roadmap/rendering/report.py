"""Everything a consultant hands over for one site, written atomically into one folder.

`write_outputs(analysis, folder)` writes the tables (CSV and one XLSX), the charts (PNG and
SVG, PDF for the Gantt chart), `report.html` (one self-contained file) and `report.md`.
Files are written into a temporary folder next to the target and moved into place only
when all succeeded; an existing folder is replaced only with `force`.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .. import __version__
from ..decisions.portfolio import budget_phases
from ..decisions.roadmap import phases as site_phases
from ..errors import InputError
from ..model.economics import investment_totals, money_of
from ..model.pathway import targets_frame
from ..workflow import SiteAnalysis
from .charts import contribution_chart, cost_curve_chart, sensitivity_chart, wedge_chart
from .fonts import embedded_font_css
from .gantt import roadmap_chart
from .outputs import current_umask, save_figure
from .style import check_lang, label

# Chart name -> (builder, formats). The Gantt chart is also wanted as PDF for print.
CHARTS: dict[str, tuple[Callable[[SiteAnalysis, str], object], tuple[str, ...]]] = {
    "roadmap": (lambda a, lang: roadmap_chart(a.roadmap, lang, arrows=True),
                ("png", "svg", "pdf")),
    "pathway": (lambda a, lang: wedge_chart(a.pathway, a.catalog, a.targets, lang),
                ("png", "svg")),
    "contributions": (lambda a, lang: contribution_chart(a.contributions, a.catalog, lang),
                      ("png", "svg")),
    "cost-curve": (lambda a, lang: cost_curve_chart(a.economics, a.years[-1], lang,
                                                    money_of(a.site).carbon_price),
                   ("png", "svg")),
    "sensitivity": (lambda a, lang: sensitivity_chart(a.stability, 20, lang), ("png", "svg")),
}
# Workbook timestamps are fixed so that the same input gives the same bytes.
FIXED_TIME = datetime(2020, 1, 1)

# Report headings and fixed phrases: (中文, English).
WORDS = {
    "report": ("近零碳技术路线图报告", "Near-zero-carbon technology roadmap report"),
    "summary": ("场地概况", "Site summary"),
    "method": ("方法与权重", "Method and weights"),
    "ranking": ("措施排序", "Ranked measures"),
    "excluded": ("排除的措施", "Excluded measures"),
    "roadmap": ("技术路线图", "Roadmap"),
    "pathway": ("排放路径与目标", "Emission pathway and targets"),
    "contributions": ("减排贡献", "Contributions to abatement"),
    "economics": ("经济性与预算组合", "Economics and budget portfolio"),
    "sensitivity": ("敏感性分析", "Sensitivity"),
    "experts": ("与研究专家评级的一致性", "Agreement with the study's experts"),
    "sources": ("数据来源与假设", "Data sources and assumptions"),
    "near": ("近期", "near term"), "mid": ("中期", "mid term"), "long": ("远期", "long term"),
}


def slug_of(path: str | Path) -> str:
    """Output folder name for a profile file: its name without the suffix."""
    return Path(path).stem


def write_outputs(analysis: SiteAnalysis, folder: str | Path, lang: str = "both",
                  force: bool = False) -> Path:
    """Write every output for the analysis into `folder`, atomically."""
    check_lang(lang)
    folder = Path(folder)
    if folder.exists() and not force:
        raise InputError(folder, "the output folder exists already",
                         allowed="--force to replace it, or another -o")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        _write_all(analysis, staging, lang)
        _swap_into_place(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def _swap_into_place(staging: Path, folder: Path) -> None:
    staging.chmod(0o777 & ~current_umask())
    if not folder.exists():
        staging.rename(folder)
        return
    previous = folder.with_name(f".{folder.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    folder.rename(previous)
    staging.rename(folder)
    shutil.rmtree(previous)


def _write_all(analysis: SiteAnalysis, folder: Path, lang: str) -> None:
    tables = result_tables(analysis)
    for name in ("ranking", "roadmap", "pathway"):
        tables[name].to_csv(folder / f"{name}.csv", index=False)
    write_workbook(tables, folder / "roadmap.xlsx")
    charts = folder / "charts"
    charts.mkdir()
    images = {}
    for name, (build, formats) in CHARTS.items():
        save_figure(build(analysis, lang), *(charts / f"{name}.{suffix}" for suffix in formats))
        images[name] = (charts / f"{name}.png").read_bytes()
    context = report_context(analysis, lang, tables)
    environment = _environment(lang)
    html = environment.get_template("report.html.j2").render(
        **context, font_css="", images={k: "data:image/png;base64," +
                                        base64.b64encode(v).decode() for k, v in images.items()})
    # embed the CJK font, cut to the characters the page uses: no tofu on any machine
    html = html.replace("/*FONT*/", embedded_font_css(html), 1)
    (folder / "report.html").write_text(html, encoding="utf-8")
    markdown = environment.get_template("report.md.j2").render(
        **context, images={k: f"charts/{k}.png" for k in images})
    (folder / "report.md").write_text(markdown, encoding="utf-8")


def result_tables(analysis: SiteAnalysis) -> dict[str, pd.DataFrame]:
    """The analysis as named DataFrames: the CSV files and the workbook's sheets."""
    tables = {
        "ranking": analysis.ranking.frame,
        "excluded": analysis.ranking.excluded,
        "roadmap": analysis.roadmap.frame,
        "pathway": analysis.pathway.frame,
        "by_year": analysis.pathway.by_year,
        "targets": targets_frame(analysis.targets),
        "contributions": analysis.contributions,
        "economics": analysis.economics,
        "sensitivity": analysis.stability.frame,
        "methods": analysis.comparison.ranks,
    }
    tables["investment"] = analysis.investment
    if analysis.portfolio is not None:
        tables["portfolio"] = analysis.portfolio.frame
    return tables


def investment_summary(analysis: SiteAnalysis, lang: str) -> dict[str, object]:
    """The roadmap's investment (total, discounted), the technical potential's, and the
    phases against the site's budget (the first phase whose cumulative spend overruns it)."""
    site = analysis.site
    total, discounted = investment_totals(analysis.investment)
    by_phase = budget_phases(analysis.investment, site, site.budget)
    over = by_phase[by_phase["over_budget"]]
    return {"total": total, "discounted": discounted,
            "potential": investment_totals(analysis.investment, "potential")[0],
            "rate": money_of(site).rate, "budget": site.budget,
            "times_budget": total / site.budget if site.budget else None,
            "overrun_phase": None if over.empty else label(*WORDS[over.iloc[0]["phase"]],
                                                           lang),
            "phases": by_phase.round(1)}


def write_workbook(tables: dict[str, pd.DataFrame], path: Path) -> None:
    """One sheet per table, with fixed timestamps inside and in the zip."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in tables.items():
            frame.to_excel(writer, sheet_name=name, index=False)
        writer.book.properties.created = FIXED_TIME
        writer.book.properties.modified = FIXED_TIME
    # openpyxl stamps every zip member with the current time: rewrite them with a fixed one
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "docProps/core.xml":
                data = _fixed_core_times(data)
            info = zipfile.ZipInfo(member.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)


def _fixed_core_times(xml: bytes) -> bytes:
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2",
                  xml)


# --------------------------------------------------------------------------- the report

def _environment(lang: str) -> Environment:
    environment = Environment(loader=PackageLoader("roadmap.rendering", "templates"),
                              autoescape=select_autoescape(["html.j2"]),
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.globals["t"] = lambda key: label(*WORDS[key], lang)
    environment.globals["both"] = lambda zh, en: label(zh, en, lang)
    environment.filters["html_table"] = _html_table
    environment.filters["md_table"] = _md_table
    environment.filters["num"] = lambda v, digits=0: f"{v:,.{digits}f}"
    environment.filters["pct"] = lambda v: f"{v:.0%}"
    return environment


def _number(value: float) -> str:
    """Large figures in full with separators, small ones to 3 significant digits."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _html_table(frame: pd.DataFrame) -> Markup:
    """pandas escapes every cell (a name like <b> stays text)."""
    return Markup(frame.to_html(index=False, escape=True, border=0, classes="data",
                                float_format=_number, na_rep="", justify="left"))


def _md_table(frame: pd.DataFrame) -> str:
    shown = frame.copy()
    for column in shown.select_dtypes("float").columns:
        shown[column] = shown[column].map(_number)
    return shown.to_markdown(index=False)


def _name_columns(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One display column for the measure's name in the report's language(s)."""
    names = [label(z, e, lang) for z, e in zip(frame["name_zh"], frame["name_en"], strict=True)]
    shown = frame.drop(columns=["name_zh", "name_en"])
    shown.insert(min(1, len(shown.columns)), "measure", names)
    return shown


def report_context(analysis: SiteAnalysis, lang: str,
                   tables: dict[str, pd.DataFrame]) -> dict[str, object]:
    """Everything the templates show, as plain values and small DataFrames."""
    site, ranking = analysis.site, analysis.ranking
    criteria = list(ranking.criteria)
    ranked = _name_columns(ranking.frame[["rank", "id", "name_zh", "name_en", "score", "why"]],
                           lang)
    for position, criterion in enumerate(criteria, start=4):
        # value (contribution to the score): both in one cell keeps the table readable
        ranked.insert(position, criterion, [
            f"{v:.2f} ({c:.2f})" for v, c in zip(ranking.frame[criterion],
                                                 ranking.frame[f"contribution_{criterion}"],
                                                 strict=True)])
    phases = []
    for phase, start, end in site_phases(site):
        rows = analysis.roadmap.frame[analysis.roadmap.frame["phase"] == phase]
        phases.append({"name": label(*WORDS[phase], lang), "start": start, "end": end,
                       "table": _name_columns(rows[["id", "name_zh", "name_en", "start_year",
                                                    "popularization_year", "reason"]], lang)})
    by_year = analysis.pathway.by_year
    shown_years = by_year[(by_year["year"] % 5 == 0) | (by_year["year"] == by_year["year"].max())]
    experts = analysis.experts
    own = experts.disagreements[experts.disagreements["domain"] == site.domain]
    stability = analysis.stability.frame
    return {
        "site": site, "lang": lang, "version": __version__, "input_hash": analysis.input_hash,
        "baseline": pd.DataFrame({
            "source": list(site.baseline),
            "tCO2e/yr": list(site.baseline.values()),
            "share": [f"{v / site.total_baseline:.1%}" for v in site.baseline.values()]}),
        "method": ranking.method, "weights": ranking.weights, "dropped": ranking.dropped,
        "ranked": ranked, "measure_names": ranking.frame["name_zh"].tolist(),
        "excluded": _name_columns(ranking.excluded[["id", "name_zh", "name_en", "reason"]], lang),
        "phases": phases,
        "by_year": shown_years, "targets": analysis.targets,
        "contributions": analysis.contributions, "economics": _name_columns(
            analysis.economics[["id", "name_zh", "name_en", "cost_basis", "investment_10k_yuan",
                                "saving_10k_yuan_per_yr", "abatement_t_per_yr",
                                "cost_yuan_per_t"]].round(1), lang),
        "economics_year": analysis.years[-1],
        "investment": investment_summary(analysis, lang),
        "portfolio": analysis.portfolio,
        "portfolio_bought": None if analysis.portfolio is None else _name_columns(
            analysis.portfolio.frame[analysis.portfolio.frame["chosen"]][
                ["id", "name_zh", "name_en", "capex_10k_yuan", "standalone_t_per_yr"]], lang),
        "stability": analysis.stability,
        "unstable": _name_columns(stability[stability["unstable"]][
            ["id", "name_zh", "name_en", "rank", "p_top_k", "rank_p5", "rank_p95"]], lang),
        "rank_correlations": analysis.comparison.weighted_spearman.round(3).reset_index(
            names="method"),
        "experts_summary": experts.summary.round(3),
        "experts_own": _name_columns(own[["id", "name_zh", "name_en", "stars", "engine_rank",
                                          "stars_rank", "difference"]], lang),
        "assumptions": pd.DataFrame([{"assumption": k, "value": str(v)} for k, v in
                                     site.assumptions.model_dump().items()]),
        "dependency_edges": analysis.dependencies.number_of_edges(),
        "tables": list(tables),
    }
