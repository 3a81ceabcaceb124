"""Everything a consultant hands over for one site, written atomically into one folder.

`write_outputs(analysis, folder)` writes the tables (CSV and one XLSX), the charts (PNG and
SVG, PDF for the Gantt chart), `report.html` (one self-contained file) and `report.md`.
Files are written into a temporary folder next to the target and moved into place only
when all succeeded; an existing folder is replaced only with `force`.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .. import __version__
from ..decisions.ranking import score_name
from ..errors import InputError, Message
from ..model.economics import cost_year, money_of
from ..model.pathway import targets_frame
from ..parallel import forked_helper, inherited
from ..workflow import SiteAnalysis
from .cells import rounded, to_csv
from .charts import contribution_chart, cost_curve_chart, sensitivity_chart, wedge_chart
from .document import (
    SENTENCE_COLUMNS,
    VOCABULARY_COLUMNS,
    cost_draws,
    report_sections,
    term_or_value,
)
from .docx import PRINT_WIDTH_PX, write_docx
from .fonts import embedded_font_css
from .gantt import roadmap_chart
from .messages import column, measure_names, sentence, term, text
from .numbers import figures
from .office import write_sheets
from .outputs import publish_folder, save_figure
from .schedule import map_chart, schedule_chart
from .style import check_lang

# Chart name -> (builder, formats). The Gantt chart is also wanted as PDF for print.
CHARTS: dict[str, tuple[Callable[[SiteAnalysis, str], object], tuple[str, ...]]] = {
    "roadmap": (lambda a, lang: roadmap_chart(a.roadmap, lang, arrows=True),
                ("png", "svg", "pdf")),
    "pathway": (lambda a, lang: wedge_chart(a.pathway, a.catalog, a.targets, lang, None if
                                            a.uncertainty is None else a.uncertainty.band),
                ("png", "svg")),
    "contributions": (lambda a, lang: contribution_chart(a.contributions, a.catalog, lang),
                      ("png", "svg")),
    "cost-curve": (lambda a, lang: cost_curve_chart(
        a.economics, cost_year(a.site), lang, money_of(a.site).carbon_price,
        cost_draws(a), a.pathway.by_year["bau"].max()),
                   ("png", "svg")),
    "sensitivity": (lambda a, lang: sensitivity_chart(a.stability, lang=lang), ("png", "svg")),
    # the implementation plan's (None: not drawn, for an analysis without a plan or a map)
    "implementation": (lambda a, lang: None if a.implementation is None else schedule_chart(
        a.implementation, a.site.name, lang, measure_categories(a)), ("png", "svg")),
    "implementation-map": (lambda a, lang: map_chart(a.implementation, a.site.name, lang)
                           if a.implementation is not None and a.implementation.has_map
                           else None, ("png", "svg")),
}
# Drawn by a second process (which then writes the Word file) while this one writes the
# tables and draws the rest: on Xiaolan these three take 2.0 s of the 3.4 s of drawing.
HELPER_CHARTS = ("roadmap", "pathway", "implementation-map")
# Where the font CSS goes: escaped user text cannot contain it (its "<" becomes "&lt;").
FONT_PLACEHOLDER = "<!--FONT-CSS-->"



def slug_of(path: str | Path) -> str:
    """Output folder name for a profile file: its name without the suffix. A name that
    would be no folder of its own ('..yaml' gives '.', the folder holding all sites; '...yaml'
    gives '..') or a hidden one (the staging folders' `.NAME.tmp-*`) is refused."""
    slug = Path(path).stem
    if not slug or slug.startswith("."):
        raise InputError(path, "no_output_folder_name", slug=slug,
                         allowed=Message("a_profile_file_name"))
    return slug


def write_outputs(analysis: SiteAnalysis, folder: str | Path, lang: str = "both",
                  force: bool = False) -> Path:
    """Write every output for the analysis into `folder`, atomically (see `publish_folder`)."""
    check_lang(lang)
    return publish_folder(folder, lambda staging: _write_all(analysis, staging, lang), force)


def _write_all(analysis: SiteAnalysis, folder: Path, lang: str) -> None:
    charts = folder / "charts"
    charts.mkdir()
    with forked_helper(analysis) as submit:  # a second core: some charts, then Word
        helped = submit(_render_forked, list(HELPER_CHARTS), charts, lang)
        context = report_context(analysis, lang)
        images = _render_charts(analysis, [n for n in CHARTS if n not in HELPER_CHARTS],
                                charts, lang)
        # the helper is one process taking its work in order: Word runs after its charts,
        # and this process's are written by now, so every chart's file is there
        word = submit(_write_word, analysis.site.name, context["sections"], charts,
                      folder / "report.docx", lang)
        tables = result_tables(analysis)
        for name in ("ranking", "roadmap", "pathway", "scenarios", "implementation",
                     "uncertainty_costs"):
            if name in tables:  # no plan or no Monte Carlo: no such CSV
                to_csv(tables[name], folder / f"{name}.csv")
        write_workbook(tables, folder / "roadmap.xlsx", lang)
        images.update(helped.result())
        environment = _environment(lang)
        html = environment.get_template("report.html.j2").render(
            **context, font_css="", images={name: "data:image/png;base64," +
                                            base64.b64encode(png).decode()
                                            for name, png in images.items()})
        # embed the CJK font, cut to the characters the page uses: no tofu on any machine
        html = html.replace(FONT_PLACEHOLDER, f"<style>{embedded_font_css(html)}</style>", 1)
        (folder / "report.html").write_text(html, encoding="utf-8")
        markdown = environment.get_template("report.md.j2").render(
            **context, images={k: f"charts/{k}.png" for k in images})
        (folder / "report.md").write_text(markdown, encoding="utf-8")
        word.result()


def _write_word(title: str, sections: list[dict], charts: Path, path: Path, lang: str,
                ) -> None:
    """`write_docx` of the report's sections with the charts' PNG files in `charts`."""
    write_docx(title, f"{text('report', lang)} · roadmap {__version__}", sections,
               {chart.stem: chart.read_bytes() for chart in sorted(charts.glob("*.png"))},
               path, lang)


def _render_charts(analysis: SiteAnalysis, names: list[str], folder: Path, lang: str,
                   ) -> dict[str, bytes]:
    """Build and save the named charts (those a builder returns None for are not drawn);
    {name: PNG bytes}. One PNG serves the screen and print: 300 dpi across the Word file's
    text width (more pixels only cost drawing and compressing time)."""
    rendered = {}
    for name in names:
        build, formats = CHARTS[name]
        figure = build(analysis, lang)
        if figure is None:
            continue
        save_figure(figure, *(folder / f"{name}.{suffix}" for suffix in formats),
                    width_px=PRINT_WIDTH_PX)
        rendered[name] = (folder / f"{name}.png").read_bytes()
    return rendered


def measure_categories(analysis: SiteAnalysis) -> dict[str, tuple[str, str]]:
    """Each roadmap measure's catalog category (zh, en): the roadmap chart's colours, which
    the implementation chart keeps for a row carrying out one measure."""
    frame = analysis.roadmap.frame
    return {row.id: (row.category, row.category_en if isinstance(row.category_en, str)
                     else row.category) for row in frame.itertuples()}


def _render_forked(names: list[str], folder: Path, lang: str) -> dict[str, bytes]:
    """`_render_charts` of the analysis a forked helper inherited."""
    return _render_charts(inherited(), names, folder, lang)


def result_tables(analysis: SiteAnalysis) -> dict[str, pd.DataFrame]:
    """The analysis as named DataFrames: the CSV files and the workbook's sheets (a
    lower-is-better method's score named so: `score_name`)."""
    score = {"score": score_name(analysis.ranking.method)}
    tables = {
        "ranking": analysis.ranking.frame.rename(columns=score),
        "excluded": analysis.ranking.excluded,
        "roadmap": analysis.roadmap.frame.rename(columns=score),
        "left_out": analysis.roadmap.left_out,
        "pathway": analysis.pathway.frame,
        "by_year": analysis.pathway.by_year,
        "scenarios": pd.concat([p.by_year.assign(scenario=name) for name, p in
                                analysis.scenarios.items()], ignore_index=True)[
            ["scenario", "year", "bau", "abatement", "sink", "net"]],
        "cells": analysis.pathway.cells,
        **({} if analysis.uncertainty is None else {
            "uncertainty": analysis.uncertainty.by_year,
            "uncertainty_measures": analysis.uncertainty.measures,
            "target_probabilities": analysis.uncertainty.targets,
            "uncertainty_costs": analysis.uncertainty.costs,
            "uncertainty_investment": analysis.uncertainty.investment}),
        "targets": targets_frame(analysis.targets),
        "contributions": analysis.contributions,
        "economics": economics_sheet(analysis),
        "sensitivity": analysis.stability.frame,
        "methods": analysis.comparison.ranks,
    }
    tables["investment"] = analysis.investment
    if analysis.portfolio is not None:
        tables["portfolio"] = analysis.portfolio.frame
    if analysis.implementation is not None:
        tables["implementation"] = analysis.implementation.schedule
    with measure_names(analysis.catalog):  # the Chinese sentences name measures, not ids
        return {name: with_chinese(frame) for name, frame in tables.items()}


def economics_sheet(analysis: SiteAnalysis) -> pd.DataFrame:
    """The economics table with the year its figures are of (`cost_year`, the target year)
    first, as the other sheets' years: the workbook's reader saw none."""
    return analysis.economics.assign(year=cost_year(analysis.site))[
        ["year", *analysis.economics.columns]]


def with_chinese(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each English sentence column followed by its Chinese one (reason,
    reason_zh), as names come in name_zh and name_en: a reader of the CSV or the workbook
    gets both, and the English columns keep their names and places."""
    sentences = [name for name in frame.columns if name in SENTENCE_COLUMNS]
    if not sentences:
        return frame
    frame = frame.copy()
    for name in sentences:
        frame.insert(frame.columns.get_loc(name) + 1, f"{name}_zh",
                     [sentence(str(value), "zh") for value in frame[name]])
    return frame


# A workbook column of codes -> the vocabulary its values are words of (a `_label` column
# beside it says them in the report's language; the CSV files keep the codes alone).
LABELLED_COLUMNS = {**VOCABULARY_COLUMNS, "function": "function", "kind": "target_kind",
                    "unit": "unit", "mode": "mode"}


def write_workbook(tables: dict[str, pd.DataFrame], path: Path, lang: str = "both") -> None:
    """One sheet per table, its figures `rounded` as in the CSV files, each code column
    followed by its words (`with_labels`), after a `columns` sheet saying in words (`lang`)
    what each holds and what each column means, with fixed timestamps inside and in the
    zip."""
    tables = {name: with_labels(frame, lang) for name, frame in tables.items()}
    write_sheets({"columns": column_sheet(tables, lang),
                  **{name: rounded(frame) for name, frame in tables.items()}}, path)


def with_labels(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame with each column of codes (`LABELLED_COLUMNS`: phase near, function
    efficiency, unit tCO2e/yr...) followed by `<name>_label`, its values in `lang` (both:
    Chinese and English): a client reads the words, a program or a filter the codes."""
    codes = [name for name in frame.columns if name in LABELLED_COLUMNS]
    if not codes:
        return frame
    frame = frame.copy()
    for name in codes:
        frame.insert(frame.columns.get_loc(name) + 1, f"{name}_label", [
            "" if pd.isna(value) else term_or_value(LABELLED_COLUMNS[name], value, lang)
            for value in frame[name]])
    return frame


def column_sheet(tables: dict[str, pd.DataFrame], lang: str) -> pd.DataFrame:
    """Sheet by sheet: a row saying what it holds, then a row for each column with its header
    in words, in `label_zh` and/or `label_en`. The sheets keep their columns' short names,
    which are the CSV files' and what a program reads."""
    languages = ("zh", "en") if lang == "both" else (lang,)
    rows = []
    for name, frame in {"columns": None, **tables}.items():
        rows.append({"sheet": name, "column": "",
                     **{f"label_{one}": term("sheet", name, one) for one in languages}})
        rows += [{"sheet": name, "column": str(header),
                  **{f"label_{one}": _header(frame, str(header), one) for one in languages}}
                 for header in ([] if frame is None else frame.columns)]
    return pd.DataFrame(rows)


def _header(frame: pd.DataFrame, name: str, lang: str) -> str:
    """A column's header in words; an English sentence column with a `_zh` twin says so,
    a column of codes' `_label` says it holds them in words."""
    code = name.removesuffix("_label")
    if code != name and code in LABELLED_COLUMNS:
        return text("in_words", lang, words=column(code, lang))
    words = column(name, lang)
    return text("in_english", lang, words=words) if f"{name}_zh" in frame.columns else words


# --------------------------------------------------------------------------- the report
# The report is one list of sections (document.py builds it); HTML, Markdown and Word
# render the same list, so the three have the same structure.

def _environment(lang: str) -> Environment:
    environment = Environment(loader=PackageLoader("roadmap.rendering", "templates"),
                              autoescape=select_autoescape(["html.j2"]),
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.globals["t"] = lambda key, **params: text(key, lang, **params)
    environment.filters["html_table"] = _html_table
    environment.filters["md_table"] = _md_table
    environment.filters["md"] = md_escape
    environment.filters["md_paragraph"] = md_paragraph
    return environment


def md_escape(value: object) -> str:
    """Text as Markdown shows it, never as markup: HTML tags, links, images, headings and
    table cells are escaped (a name like `<script>` or `[x](javascript:...)` stays text), and
    line breaks become spaces (one would end a table row or start a block)."""
    escaped = " ".join(str(value).splitlines())
    for char in "\\`*_[]<>|!#":  # without [ ] no link or image can form
        escaped = escaped.replace(char, "\\" + char)
    return escaped


def md_paragraph(value: object) -> str:
    """`md_escape`d text that starts a block (a paragraph, a list item's text): a list item
    (`- `, `+ `, `1. `), an underline (`===`) or a fence (`~~~`) it would open is escaped
    too."""
    escaped = re.sub(r"^([-+=~])", r"\\\1", md_escape(value))
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", escaped)


def _md_table(frame: pd.DataFrame) -> str:
    """Cells are already formatted text: tabulate must not parse them again (it would drop
    the thousands separators of -2,880); columns of figures are aligned right."""
    align = ["right" if figures(frame[name]) else "left" for name in frame.columns]
    return frame.map(md_escape).to_markdown(index=False, disable_numparse=True, colalign=align)


def _html_table(frame: pd.DataFrame) -> Markup:
    """Cells are already formatted text; pandas escapes them (a name like <b> stays text)."""
    return Markup(frame.to_html(index=False, escape=True, border=0, classes="data",
                                na_rep="", justify="left"))


def report_context(analysis: SiteAnalysis, lang: str) -> dict[str, object]:
    """Everything the templates show: the site, the sections, the version."""
    with measure_names(analysis.catalog):
        sections = report_sections(analysis, lang)
    return {"site": analysis.site, "lang": lang, "version": __version__,
            "input_hash": analysis.input_hash, "sections": sections}
