"""`roadmap pathway`: emissions, targets, contributions and costs of a site's roadmap."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import METHOD_OPTION, InputError, naming_the_profile
from ..rendering.cells import to_csv
from ..rendering.numbers import number
from .common import (
    DependenciesOption,
    Lang,
    ListFormat,
    MethodOption,
    Scenario,
    WeightsOption,
    WithDomainOption,
    app,
    check_chart_path,
    console,
    records,
    site_ranking,
)

if TYPE_CHECKING:
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
    lang: Annotated[Lang, typer.Option(help="Chart labels.")] = Lang.both,
    draws: Annotated[int, typer.Option(
        min=0, help="Monte Carlo draws through the site model (0: none): P10/P50/P90 of "
        "emissions and each measure's abatement, the chance of meeting each target.")] = 0,
    seed: Annotated[int, typer.Option(help="Seed of the Monte Carlo draws.")] = 20201,
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
    from ..model.economics import measure_economics
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
                                                      with_domain)
    check_chart_path(chart)
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
    economics = measure_economics(pathway, loaded, chosen_years[-1])
    if chart is not None:
        for path, figure in (
                (chart, wedge_chart(pathway, loaded, checks, lang.value,
                                    spread.band if spread else None)),
                (_beside(chart, "contributions"), contribution_chart(shares, loaded, lang.value)),
                (_beside(chart, "cost-curve"),
                 cost_curve_chart(economics, chosen_years[-1], lang.value))):
            save_figure(figure, path)
            typer.echo(f"wrote {path}", err=True)
    _print_pathway(output_format, pathway, checks, shares, economics, scenarios, gap, spread)


def _beside(path: Path, name: str) -> Path:
    return path.with_name(f"{path.stem}-{name}{path.suffix}")


def _years(text: str | None, site: Site) -> list[int]:
    from ..workflow import report_years


    if text is None:
        return report_years(site)
    try:
        chosen = sorted({int(y) for y in text.split(",") if y.strip()})
    except ValueError:
        raise InputError("--years", f"'{text}' is not a list of years",
                         allowed="e.g. 2030,2050") from None
    outside = [y for y in chosen if not site.base_year <= y <= site.target_year]
    if outside or not chosen:
        raise InputError("--years", f"{outside[0] if outside else 'no year'} is outside the "
                         "pathway", allowed=f"{site.base_year}-{site.target_year}")
    return chosen


def _print_pathway(output_format: ListFormat, pathway: Pathway, checks: list[TargetCheck],
                   shares, economics, scenarios: dict[str, Pathway], gap: NearZeroGap,
                   spread: Uncertainty | None) -> None:
    from rich.table import Table

    from ..model.pathway import targets_frame



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
            "economics": records(economics), "pathway": records(pathway.frame),
        }, ensure_ascii=False, indent=1))
        return
    screen = console()
    _print_scenarios(screen, scenarios, gap)
    if spread is not None:
        _print_spread(screen, spread)
    table = Table(title=f"{pathway.site.name}: emissions, {pathway.scenario} scenario "
                  "(tCO2e/yr)", title_justify="left")
    for column in ("year", "business as usual", "abatement", "sinks", "net"):
        table.add_column(column, justify="right")
    by_year = pathway.by_year
    for _, row in by_year[(by_year["year"] % 5 == 0) | (by_year.index == len(by_year) - 1)
                          ].iterrows():
        table.add_row(str(int(row["year"])), *(f"{row[c]:,.0f}" for c in
                                               ("bau", "abatement", "sink", "net")))
    screen.print(table)
    for check in checks:
        met = f"met in {check.met_year}" if check.met_year else "not met"
        gap = (f"; gap {number(check.gap)} {check.unit}, {check.extra_abatement:,.0f} t/yr "
               "more abatement needed") if check.gap > 0 else ""
        screen.print(f"{check.kind} target {check.year}: at most {number(check.required)} "
                      f"{check.unit}, pathway {number(check.value)}: {met}{gap}")
    shown = Table(title="Contributions to abatement", title_justify="left")
    for column in ("year", "group", "t/yr", "share"):
        shown.add_column(column, justify="left" if column == "group" else "right")
    for _, row in shares.iterrows():
        shown.add_row(str(row["year"]), row["group"], f"{row['abatement']:,.0f}",
                      f"{row['share']:.0%}")
    screen.print(shown)


def _print_scenarios(screen, scenarios: dict[str, Pathway], gap: NearZeroGap) -> None:
    """Net emissions of the three scenarios side by side, and the near-zero check."""
    from rich.table import Table


    site = next(iter(scenarios.values())).site
    years = sorted({site.base_year, *[y for y in (2025, 2030, 2035, 2040, 2050)
                                      if site.base_year < y < site.target_year],
                    site.target_year})
    table = Table(title="Net emissions by scenario (tCO2e/yr)", title_justify="left")
    table.add_column("scenario")
    for year in years:
        table.add_column(str(year), justify="right")
    for name, pathway in scenarios.items():
        net = pathway.by_year.set_index("year")["net"]
        table.add_row(name, *(f"{net[y]:,.0f}" for y in years))
    screen.print(table)
    if gap.gap <= 0:
        screen.print(f"near zero ({gap.required:,.0f} t/yr) is within the technical potential "
                     f"by {gap.year}")
        return
    top = gap.residual.head(3)
    cells = ", ".join(f"{r.sector} {r.carrier} {r.emissions:,.0f}" for r in top.itertuples())
    screen.print(f"near zero by {gap.year} needs {gap.gap:,.0f} t/yr beyond the technical "
                 f"potential: green power for the {gap.green_mwh:,.0f} MWh/yr still bought "
                 f"closes {gap.green_closes:,.0f} t/yr; the rest needs {gap.sink_ha:,.0f} ha "
                 f"of new sink or measures on the largest remaining cells ({cells} t/yr)")


def _print_spread(screen, spread: Uncertainty) -> None:
    from rich.table import Table

    table = Table(title=f"Net emissions over {spread.draws} Monte Carlo draws (tCO2e/yr)",
                  title_justify="left")
    for column in ("year", "P10", "P50", "P90"):
        table.add_column(column, justify="right")
    for row in spread.by_year.itertuples():
        table.add_row(str(row.year), *(f"{v:,.0f}" for v in (row.net_p10, row.net_p50,
                                                              row.net_p90)))
    screen.print(table)
    for row in spread.targets.itertuples():
        screen.print(f"{row.kind} target {row.year}: met in {row.probability:.0%} of the draws")
    costs = Table(title="Levelised cost in the target year over the draws (yuan/t)",
                  title_justify="left")
    for column in ("measure", "P10", "P50", "P90"):
        costs.add_column(column, justify="right" if column != "measure" else "left")
    for row in spread.costs.itertuples(index=False):
        costs.add_row(row[0], *(f"{v:,.0f}" for v in row[1:]))
    screen.print(costs)
