"""`roadmap pathway`: emissions, targets, contributions and costs of a site's roadmap."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..decisions.ranking import rank
from ..decisions.roadmap import build_roadmap
from ..errors import InputError
from ..inputs.dependencies import load_dependencies
from ..inputs.site import Site
from ..model.economics import measure_economics
from ..model.pathway import (
    Pathway,
    TargetCheck,
    check_targets,
    contributions,
    emission_pathway,
    targets_frame,
)
from ..rendering.cells import to_csv
from ..rendering.charts import contribution_chart, cost_curve_chart, wedge_chart
from ..rendering.outputs import save_figure
from ..workflow import report_years
from .common import (
    DependenciesOption,
    Lang,
    ListFormat,
    MethodOption,
    WeightsOption,
    WithDomainOption,
    app,
    check_chart_path,
    console,
    records,
    site_ranking,
)


@app.command("pathway")
def pathway_command(
    ctx: typer.Context,
    site_file: Annotated[Path, typer.Argument(metavar="SITE.yaml")],
    output_format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    chart: Annotated[Path | None, typer.Option(
        help="Draw the wedge chart here; -contributions and -cost-curve charts beside it.")]
    = None,
    lang: Annotated[Lang, typer.Option(help="Chart labels.")] = Lang.both,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="Roadmap size.")] = 15,
    years: Annotated[str | None, typer.Option(
        help="Comma-separated years for the contributions (default: 2025, 2035, target).")]
    = None,
    dependencies: DependenciesOption = None,
    method: MethodOption = None,
    weights: WeightsOption = None,
    with_domain: WithDomainOption = None,
) -> None:
    """Emission pathway of a site's roadmap: wedges, target check, contributions, costs."""
    loaded, site, matrix, chosen, used = site_ranking(ctx, site_file, method, weights, None,
                                                      with_domain)
    check_chart_path(chart)
    graph = load_dependencies(loaded, *(dependencies or []))
    roadmap = build_roadmap(rank(matrix, chosen, used), loaded, graph, site, top)
    pathway = emission_pathway(roadmap, loaded)
    checks = check_targets(pathway)
    chosen_years = _years(years, site)
    shares = contributions(pathway, loaded, chosen_years, by="function")
    economics = measure_economics(pathway, loaded, chosen_years[-1])
    if chart is not None:
        for path, figure in (
                (chart, wedge_chart(pathway, loaded, checks, lang.value)),
                (_beside(chart, "contributions"), contribution_chart(shares, loaded, lang.value)),
                (_beside(chart, "cost-curve"),
                 cost_curve_chart(economics, chosen_years[-1], lang.value))):
            save_figure(figure, path)
            typer.echo(f"wrote {path}", err=True)
    _print_pathway(output_format, pathway, checks, shares, economics)


def _beside(path: Path, name: str) -> Path:
    return path.with_name(f"{path.stem}-{name}{path.suffix}")


def _years(text: str | None, site: Site) -> list[int]:
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
                   shares, economics) -> None:
    if output_format is ListFormat.csv:
        typer.echo(to_csv(pathway.frame), nl=False)
        return
    targets = targets_frame(checks)
    if output_format is ListFormat.json:
        typer.echo(json.dumps({
            "site": pathway.site.name, "by_year": records(pathway.by_year),
            "targets": records(targets), "contributions": records(shares),
            "economics": records(economics), "pathway": records(pathway.frame),
        }, ensure_ascii=False, indent=1))
        return
    screen = console()
    table = Table(title=f"{pathway.site.name}: emissions (tCO2e/yr)", title_justify="left")
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
        gap = (f"; gap {check.gap:,.3g} {check.unit}, {check.extra_abatement:,.0f} t/yr more "
               "abatement needed") if check.gap > 0 else ""
        screen.print(f"{check.kind} target {check.year}: at most {check.required:,.3g} "
                      f"{check.unit}, pathway {check.value:,.3g}: {met}{gap}")
    shown = Table(title="Contributions to abatement", title_justify="left")
    for column in ("year", "group", "t/yr", "share"):
        shown.add_column(column, justify="left" if column == "group" else "right")
    for _, row in shares.iterrows():
        shown.add_row(str(row["year"]), row["group"], f"{row['abatement']:,.0f}",
                      f"{row['share']:.0%}")
    screen.print(shown)
