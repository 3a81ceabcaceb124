"""`roadmap pathway`: emissions, targets, contributions and costs of a site's roadmap."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import METHOD_OPTION, InputError, Message, naming_the_profile
from ..inputs.counts import MAX_DRAWS
from ..rendering.cells import to_csv
from ..rendering.messages import column, each_language, term, text
from ..rendering.numbers import number, percent, tonnes
from ..rendering.style import bracketed, label
from .common import (
    ChartForceOption,
    DependenciesOption,
    Lang,
    ListFormat,
    MethodOption,
    Scenario,
    WeightsOption,
    WithDomainOption,
    app,
    check_chart_files,
    check_chart_path,
    console,
    errors_in,
    records,
    say,
    site_ranking,
)

if TYPE_CHECKING:
    from ..inputs.catalog import Catalog
    from ..inputs.site import Site
    from ..model.pathway import NearZeroGap, Pathway, TargetCheck
    from ..model.uncertainty import Uncertainty


@app.command("pathway")
def pathway_command(
    ctx: typer.Context,
    site_file: Annotated[Path, typer.Argument(
        metavar="SITE.yaml", help="Site profile (see `roadmap init`).")],
    output_format: Annotated[ListFormat, typer.Option(
        "--format", "-f", help="Output as a table, CSV or JSON.")] = ListFormat.table,
    scenario: Annotated[Scenario, typer.Option(
        help="bau: business as usual (with the autonomous uptake of mature technologies); "
        "roadmap: the recommended measures; potential: every applicable measure at its "
        "technical potential.")] = Scenario.roadmap,
    chart: Annotated[Path | None, typer.Option(
        help="Draw the wedge chart here; -contributions and -cost-curve charts beside it.")]
    = None,
    force: ChartForceOption = False,
    lang: Annotated[Lang, typer.Option(callback=errors_in,
        help="Chart labels and the printed tables and sentences: Chinese, English or both.")]
    = Lang.both,
    draws: Annotated[int, typer.Option(
        min=0, max=MAX_DRAWS, help="Monte Carlo draws through the site model (0: none): "
        "P10/P50/P90 of emissions and each measure's abatement, the chance of meeting each "
        "target.")] = 0,
    seed: Annotated[int, typer.Option(min=0, help="Seed of the Monte Carlo draws.")] = 20201,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="Roadmap size.")] = 15,
    years: Annotated[str | None, typer.Option(
        help="Comma-separated years for the contributions (default: 2025, 2035, target).")]
    = None,
    dependencies: DependenciesOption = None,
    method: MethodOption = None,
    weights: WeightsOption = None,
    with_domain: WithDomainOption = None,
) -> None:
    """Emission pathway of a site by scenario: wedges, target check, contributions, costs,
    and what near zero still needs."""
    from ..decisions.ranking import rank
    from ..decisions.roadmap import build_roadmap
    from ..inputs.dependencies import load_dependencies
    from ..model.economics import cost_year, measure_economics
    from ..model.pathway import (
        check_targets,
        contributions,
        near_zero_gap,
        scenario_pathways,
        site_model,
    )
    from ..model.uncertainty import monte_carlo
    from ..rendering.charts import contribution_chart, cost_curve_chart, wedge_chart
    from ..rendering.outputs import save_figure


    loaded, site, matrix, chosen, used = site_ranking(ctx, site_file, method, weights, None,
                                                      with_domain, lang.value)
    check_chart_path(chart)
    charts = [] if chart is None else [chart, _beside(chart, "contributions"),
                                       _beside(chart, "cost-curve")]
    check_chart_files(charts, force, "--chart")
    graph = load_dependencies(loaded, *(dependencies or []))
    with naming_the_profile(site.file, METHOD_OPTION if method else None):
        ranking = rank(matrix, chosen, used)
    roadmap = build_roadmap(ranking, loaded, graph, site, top)
    model = site_model(site, loaded, [*matrix.ids, *roadmap.frame["id"]])
    scenarios = scenario_pathways(model, roadmap.starts())
    spread = monte_carlo(model, roadmap.starts(), draws, seed) if draws else None
    pathway = scenarios[scenario.value]
    gap = near_zero_gap(scenarios["potential"])
    checks = check_targets(pathway)
    chosen_years = _years(years, site)
    shares = contributions(pathway, loaded, chosen_years, by="function")
    # the costs of the year `run` costs (the target year), whatever --years: the last of
    # those (the target's year, by default) had `pathway` cost another year than the report
    costed = cost_year(site)
    economics = measure_economics(pathway, loaded, costed)
    if charts:
        figures = (wedge_chart(pathway, loaded, checks, lang.value,
                               spread.band if spread else None),
                   contribution_chart(shares, loaded, lang.value),
                   cost_curve_chart(economics, costed, lang.value,
                                    largest=pathway.by_year["bau"].max()))
        for path, figure in zip(charts, figures, strict=True):
            save_figure(figure, path)
            say("wrote_file", lang.value, path=path)
    _print_pathway(output_format, pathway, checks, shares, economics, scenarios, gap, spread,
                   lang.value, loaded)


def _beside(path: Path, name: str) -> Path:
    return path.with_name(f"{path.stem}-{name}{path.suffix}")


def _years(text: str | None, site: Site) -> list[int]:
    from ..workflow import report_years


    if text is None:
        return report_years(site)
    try:
        chosen = sorted({int(y) for y in text.split(",") if y.strip()})
    except ValueError:
        raise InputError("--years", "not_a_list_of_years", value=text,
                         allowed=Message("for_example_years")) from None
    outside = [y for y in chosen if not site.base_year <= y <= site.target_year]
    if outside or not chosen:
        raise InputError("--years", "year_outside_pathway",
                         year=outside[0] if outside else Message("no_year"),
                         allowed=f"{site.base_year}-{site.target_year}")
    return chosen


def _print_pathway(output_format: ListFormat, pathway: Pathway, checks: list[TargetCheck],
                   shares, economics, scenarios: dict[str, Pathway], gap: NearZeroGap,
                   spread: Uncertainty | None, lang: str, catalog: Catalog) -> None:
    from rich.table import Table

    from ..model.economics import cost_year
    from ..model.pathway import targets_frame
    from ..rendering.document import shown_shares



    if output_format is ListFormat.csv:
        typer.echo(to_csv(pathway.frame), nl=False)
        return
    targets = targets_frame(checks)
    if output_format is ListFormat.json:
        typer.echo(json.dumps({
            "site": pathway.site.name, "scenario": pathway.scenario,
            "by_year": records(pathway.by_year),
            "scenarios": {name: records(p.by_year) for name, p in scenarios.items()},
            **({} if spread is None else {"uncertainty": {
                "draws": spread.draws, "seed": spread.seed, "by_year": records(spread.by_year),
                "measures": records(spread.measures), "targets": records(spread.targets),
                "costs": records(spread.costs),
                "investment": records(spread.investment)}}),
            "targets": records(targets), "contributions": records(shares),
            "cost_year": cost_year(pathway.site), "economics": records(economics),
            "pathway": records(pathway.frame),
        }, ensure_ascii=False, indent=1))
        return
    screen = console()
    _print_scenarios(screen, scenarios, gap, lang)
    if spread is not None:
        _print_spread(screen, spread, catalog, lang)
    table = Table(title=each_language(lambda one: text(
        "pathway_title", one, site=pathway.site.name,
        scenario=term("scenario", pathway.scenario, one)), lang, " / "), title_justify="left")
    for name in ("year", "bau", "abatement", "sink", "net"):
        table.add_column(column(name, lang), justify="right")
    by_year = pathway.by_year
    for _, row in by_year[(by_year["year"] % 5 == 0) | (by_year.index == len(by_year) - 1)
                          ].iterrows():
        table.add_row(str(int(row["year"])), *(f"{row[c]:,.0f}" for c in
                                               ("bau", "abatement", "sink", "net")))
    screen.print(table)
    for check in checks:
        screen.print(each_language(lambda one, c=check: _target_text(c, one), lang))
    shown = Table(title=text("contributions", lang), title_justify="left")
    shown.add_column(column("year", lang), justify="right")
    shown.add_column(column("group", lang))
    for name in ("abatement", "share"):
        shown.add_column(column(name, lang), justify="right")
    for _, row in shown_shares(shares, 0).iterrows():
        shown.add_row(str(row["year"]), term("function", row["group"], lang),
                      f"{row['abatement']:,.0f}", row["share"])
    screen.print(shown)


def _target_text(check: TargetCheck, lang: str) -> str:
    """A target, the pathway's value and the verdict, with the gap if it is missed."""
    # a target in t/yr reads in tonnes (万吨 in Chinese), its gap being the abatement needed,
    # said once; another (intensity) in its own unit, with the abatement that closes it
    suffix = "_tonnes" if check.unit == "tCO2e/yr" else ""
    shown = (lambda v: tonnes(v, lang)) if suffix else number
    unit = term("unit", check.unit, lang)
    verdict = text("pathway_met", lang, year=check.met_year) if check.met else \
        text("pathway_not_met", lang)
    if check.gap > 0:
        verdict += text("pathway_gap" + suffix, lang, gap=number(check.gap), unit=unit,
                        extra=tonnes(check.extra_abatement, lang))
    if check.late_year:
        verdict += text("pathway_late", lang, year=check.late_year)
    return text("pathway_target" + suffix, lang, kind=term("target_kind", check.kind, lang),
                year=check.year, required=shown(check.required), unit=unit,
                value=shown(check.value), verdict=verdict)


def _print_scenarios(screen, scenarios: dict[str, Pathway], gap: NearZeroGap,
                     lang: str) -> None:
    """Net emissions of the three scenarios side by side, and the near-zero check."""
    from rich.table import Table

    from ..rendering.document import near_zero_text, remaining_cells_text

    site = next(iter(scenarios.values())).site
    years = sorted({site.base_year, *[y for y in (2025, 2030, 2035, 2040, 2050)
                                      if site.base_year < y < site.target_year],
                    site.target_year})
    table = Table(title=text("scenarios", lang), title_justify="left")
    table.add_column(column("scenario", lang))
    for year in years:
        table.add_column(str(year), justify="right")
    for name, pathway in scenarios.items():
        net = pathway.by_year.set_index("year")["net"]
        table.add_row(term("scenario", name, lang), *(f"{net[y]:,.0f}" for y in years))
    screen.print(table)
    screen.print(each_language(lambda one: near_zero_text(gap, one, site.land_area_ha), lang))
    if gap.gap > 0:
        screen.print(each_language(lambda one: remaining_cells_text(gap, one), lang))


def _print_spread(screen, spread: Uncertainty, catalog: Catalog, lang: str) -> None:
    from rich.table import Table

    table = Table(title=text("uncertainty_table", lang, draws=spread.draws, seed=spread.seed),
                  title_justify="left")
    for name in ("year", "net_p10", "net_p50", "net_p90"):
        table.add_column(column(name, lang), justify="right")
    for row in spread.by_year.itertuples():
        table.add_row(str(row.year), *(f"{v:,.0f}" for v in (row.net_p10, row.net_p50,
                                                              row.net_p90)))
    screen.print(table)
    for row in spread.targets.itertuples():
        screen.print(each_language(lambda one, r=row: text(
            "target_chance", one, kind=term("target_kind", r.kind, one), year=r.year,
            p=percent(r.probability)), lang))
    costs = Table(title=each_language(lambda one: text(
        "cost_range_table", one, year=int(spread.by_year["year"].iloc[-1]),
        draws=spread.draws, seed=spread.seed),
        lang, " / "), title_justify="left")
    costs.add_column(column("measure", lang))
    for name in ("cost_yuan_per_t_p10", "cost_yuan_per_t_p50", "cost_yuan_per_t_p90"):
        costs.add_column(column(name, lang), justify="right")
    for row in spread.costs.itertuples(index=False):
        costs.add_row(_measure(catalog, row[0], lang), *(f"{v:,.0f}" for v in row[1:]))
    screen.print(costs)


def _measure(catalog: Catalog, tech_id: str, lang: str) -> str:
    """A measure as a reader knows it: its name in `lang`, its id after it."""
    if tech_id not in catalog:
        return tech_id
    tech = catalog.get(tech_id)
    return bracketed(label(tech.name_zh, tech.name_en, lang), tech_id, lang)
