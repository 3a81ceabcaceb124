"""`roadmap chart` and `roadmap plan`: catalog roadmaps and site roadmaps."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import METHOD_OPTION, InputError, Message, naming_the_profile
from ..rendering.cells import to_csv
from ..rendering.messages import column, each_language, measure_names, sentence, term, text
from ..rendering.numbers import amounts, number, percent, tonnes
from ..rendering.style import label
from .common import (
    AhpOption,
    ChartForceOption,
    ChartFormat,
    DependenciesOption,
    DomainChoice,
    Lang,
    ListFormat,
    MethodOption,
    Objective,
    TownPart,
    WeightsOption,
    WithDomainOption,
    app,
    check_chart_files,
    check_chart_path,
    check_domain,
    console,
    errors_in,
    records,
    say,
    site_ranking,
    user_catalog,
)

if TYPE_CHECKING:
    import pandas as pd
    from rich.table import Table

    from ..decisions.portfolio import Portfolio
    from ..decisions.roadmap import Roadmap



def chart_target(output: Path | None, chart_format: ChartFormat | None,
                 domain: str) -> tuple[Path, ChartFormat]:
    """The chart's file and format: -o's extension when it has one (checked as `plan
    --chart` checks its file), else --format, else png."""
    if output is None or not output.suffix:
        chart_format = chart_format or ChartFormat.png
        name = output or Path("output") / "charts" / domain
        return name.with_name(f"{name.name}.{chart_format.value}"), chart_format
    check_chart_path(output, interactive=True)
    given = ChartFormat(output.suffix.lower().lstrip("."))
    if chart_format not in (None, given):
        raise InputError("--format", "format_against_suffix", asked=chart_format.value,
                         output=output, given=given.value,
                         allowed=Message("format_or_suffix", given=given.value,
                                         asked=chart_format.value))
    return output, given


@app.command("chart")
def chart_command(
    ctx: typer.Context,
    domain: Annotated[DomainChoice, typer.Option(
        "--domain", "-d", help="The catalog's domain.")],
    lang: Annotated[Lang, typer.Option(callback=errors_in,
        help="Labels in Chinese, English or both.")] = Lang.both,
    chart_format: Annotated[ChartFormat | None, typer.Option(
        "--format", "-f", help="Chart file format (default: -o's extension, else png).")]
    = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="File to write; its extension (.png, .svg, .pdf, .html) sets "
        "the format. The town in parts writes one file per part, -<part> added to the name "
        "(-o town.svg: town-planning.svg ...). Default output/charts/<domain>.<format>.")]
    = None,
    part: Annotated[TownPart | None, typer.Option(help="Town only: draw this part.")] = None,
    whole: Annotated[bool, typer.Option("--whole", help="Town: all 86 rows in one chart.")] = False,
    force: ChartForceOption = False,
) -> None:
    """Draw a domain's catalog roadmap like the study's figures (town in its five parts)."""
    from ..rendering.gantt import TOWN_PARTS, domain_chart, domain_rows
    from ..rendering.interactive import interactive_gantt, save_interactive
    from ..rendering.outputs import save_figure

    check_domain(domain)
    target, chart_format = chart_target(output, chart_format, domain)
    parts: list[str | None] = [part]
    if domain == "town" and part is None and not whole:
        parts = list(TOWN_PARTS)
    paths = [target.with_name(f"{target.stem}-{name}{target.suffix}") if name and not part
             else target for name in parts]
    check_chart_files(paths, force)
    loaded = user_catalog(ctx)
    for name, path in zip(parts, paths, strict=True):
        if chart_format is ChartFormat.html:
            rows, text = domain_rows(loaded, domain, name)
            save_interactive(interactive_gantt(rows, text, lang.value), path)
        else:
            save_figure(domain_chart(loaded, domain, name, lang.value), path)
        say("wrote_file", lang.value, path=path)


@app.command("plan")
def plan_command(
    ctx: typer.Context,
    site_file: Annotated[Path, typer.Argument(
        metavar="SITE.yaml", help="Site profile (see `roadmap init`).")],
    top: Annotated[int | None, typer.Option("--top", "-n", min=1,
                                            help="Select the first N measures.")] = 15,
    min_score: Annotated[float | None, typer.Option(
        help="Select every measure scoring at least this (at most, for VIKOR/SPOTIS).")] = None,
    output_format: Annotated[ListFormat, typer.Option(
        "--format", "-f", help="Output as a table, CSV or JSON.")] = ListFormat.table,
    chart: Annotated[Path | None, typer.Option(
        help="Also draw the roadmap Gantt chart here: .png, .svg, .pdf, .html (interactive).")]
    = None,
    force: ChartForceOption = False,
    lang: Annotated[Lang, typer.Option(callback=errors_in,
        help="Chart labels and the printed summary and tables: Chinese, English or both.")]
    = Lang.both,
    arrows: Annotated[bool, typer.Option(
        "--arrows", help="Draw dependency arrows on the chart.")] = False,
    dependencies: DependenciesOption = None,
    budget: Annotated[bool, typer.Option(
        "--budget", help="Select the measures the profile's budget buys best (exact MILP).")]
    = False,
    budget_amount: Annotated[float | None, typer.Option(
        help="Budget in 10k yuan instead of the profile's (implies --budget).")] = None,
    objective: Annotated[Objective, typer.Option(
        help="What the budget maximises: abatement, or score (abatement x site score).")]
    = Objective.abatement,
    max_cost: Annotated[float | None, typer.Option(
        min=0, metavar="YUAN_PER_T",
        help="The budget buys no measure of a higher levelised cost (yuan/t; default: the "
             "profile's budget_max_cost, else no ceiling).")] = None,
    method: MethodOption = None,
    weights: WeightsOption = None,
    ahp: AhpOption = None,
    with_domain: WithDomainOption = None,
) -> None:
    """A phased roadmap for a site: top measures or what the budget buys, with prerequisites."""
    from ..decisions.portfolio import budget_portfolio
    from ..decisions.ranking import rank
    from ..decisions.roadmap import build_roadmap
    from ..inputs.dependencies import load_dependencies
    from ..model.pathway import site_model
    from ..rendering.gantt import roadmap_chart, site_rows
    from ..rendering.interactive import interactive_gantt, save_interactive
    from ..rendering.outputs import save_figure

    if budget_amount is not None and not (math.isfinite(budget_amount) and budget_amount > 0):
        raise InputError("--budget-amount", "not_allowed", value=budget_amount,
                         allowed=Message("a_positive_amount"))
    if max_cost is not None and not budget and budget_amount is None:
        raise InputError("--max-cost", "max_cost_needs_budget",
                         allowed=Message("with_a_budget"))
    loaded, site, matrix, chosen, used = site_ranking(ctx, site_file, method, weights, ahp,
                                                      with_domain, lang.value)
    graph = load_dependencies(loaded, *(dependencies or []))
    check_chart_path(chart, interactive=True)
    check_chart_files([] if chart is None else [chart], force, "--chart")
    with naming_the_profile(site.file, METHOD_OPTION if method else None):
        ranking = rank(matrix, chosen, used)
    portfolio = None
    if budget or budget_amount is not None:
        model = site_model(site, loaded, matrix.ids)
        portfolio = budget_portfolio(ranking, loaded, graph, model, budget_amount,
                                     objective=objective, max_cost=max_cost)
        selected = portfolio.frame.loc[portfolio.frame["chosen"], "id"].tolist()
        roadmap = build_roadmap(ranking, loaded, graph, site, selected=selected)
    else:
        top = None if min_score is not None and top == 15 else top
        roadmap = build_roadmap(ranking, loaded, graph, site, top, min_score)
    if chart is not None:
        if chart.suffix.lower() == ".html":
            rows, text, _ = site_rows(roadmap)
            save_interactive(interactive_gantt(rows, text, lang.value), chart)
        else:
            save_figure(roadmap_chart(roadmap, lang.value, arrows), chart)
        say("wrote_file", lang.value, path=chart)
    with measure_names(loaded):  # the printed reasons name measures, not ids
        _print_roadmap(output_format, roadmap, portfolio, lang.value)


def _print_roadmap(output_format: ListFormat, roadmap: Roadmap,
                   portfolio: Portfolio | None, lang: str) -> None:
    from ..decisions.roadmap import phases

    frame = roadmap.frame
    if output_format is ListFormat.csv:
        typer.echo(to_csv(frame), nl=False)
        return
    if output_format is ListFormat.json:
        edges = [{"before": a, "after": b, **data} for a, b, data in roadmap.graph.edges(data=True)]
        document = {"site": roadmap.site.name, "measures": records(frame),
                    "left_out": records(roadmap.left_out), "dependencies": edges}
        if portfolio is not None:
            document["portfolio"] = {**_portfolio_summary(portfolio),
                                     "measures": records(portfolio.frame)}
        typer.echo(json.dumps(document, ensure_ascii=False, indent=1))
        return
    screen = console()
    if portfolio is not None:
        screen.print(each_language(lambda one: _portfolio_text(portfolio, one), lang))
    for phase, start, end in phases(roadmap.site):
        rows = frame[frame["phase"] == phase]
        if not rows.empty:
            screen.print(_phase_table(rows, phase, start, end, lang))
    if len(roadmap.left_out):
        screen.print(_left_out_table(roadmap.left_out, lang))


def _phase_table(rows, phase: str, start: int, end: int, lang: str) -> Table:
    """A phase's measures: years, id, name, ★ and why each is in, in `lang`."""
    from rich.table import Table

    title = each_language(lambda one: text("plan_phase", one, phase=term("phase_title", phase, one),
                                           start=start, end=end, count=len(rows)), lang, " / ")
    table = Table(title=title, title_justify="left")
    for name in ("start_year", "popularization_year", "widespread_year", "id", "measure"):
        table.add_column(column(name, lang))
    table.add_column("★")
    table.add_column(column("reason", lang))
    for _, row in rows.iterrows():
        reason = row["reason"] + (f"; starts with {row['delayed_by']}"
                                  if row["delayed_by"] else "")
        table.add_row(str(row["start_year"]), str(row["popularization_year"]),
                      str(row["widespread_year"]), row["id"],
                      label(row["name_zh"], row["name_en"], lang), str(row["recommendation"]),
                      sentence(reason, lang))
    return table


def _left_out_table(left_out: pd.DataFrame, lang: str) -> Table:
    """The ranked measures left out (they overlap one in the roadmap, or gain nothing at the
    site), in `lang`."""
    from rich.table import Table

    title = each_language(lambda one: text("left_out", one), lang, " / ")
    table = Table(title=f"{title} ({len(left_out)})", title_justify="left")
    for name in ("rank", "id", "measure", "reason"):
        table.add_column(column(name, lang))
    for row in left_out.itertuples():
        table.add_row(str(row.rank), row.id, label(row.name_zh, row.name_en, lang),
                      sentence(row.reason, lang))
    return table


def _portfolio_summary(portfolio: Portfolio) -> dict[str, float]:
    return {"budget_10k_yuan": portfolio.budget,
            "portfolio_spend_10k_yuan": portfolio.portfolio_spend,
            "portfolio_abatement_t_per_yr": portfolio.portfolio_abatement,
            "bau_emissions_t_per_yr": portfolio.bau_emissions, "year": portfolio.year,
            "objective": portfolio.objective, "optimality_gap": portfolio.gap,
            "shadow_price_t_per_yr_per_10k_yuan": portfolio.shadow_price,
            "phase_shadow_prices_t_per_yr_per_10k_yuan": portfolio.phase_shadow_prices,
            "step_gain_t_per_yr_per_10k_yuan": portfolio.step_gain,
            "committed": list(portfolio.committed),
            "committed_spend_10k_yuan": portfolio.committed_spend}


def _portfolio_text(portfolio: Portfolio, lang: str) -> str:
    """What the budget buys, what of it costs more to run than it saves, what the profile
    commits it to, and its shadow price, in zh or en."""
    from ..decisions.portfolio import BINDING
    from ..rendering.document import committed_line, running_cost_line

    chosen = int(portfolio.frame["chosen"].sum())
    bought = text("plan_portfolio", lang, count=chosen, **amounts(
                      lang, budget=portfolio.budget, spent=portfolio.portfolio_spend),
                  abatement=tonnes(portfolio.portfolio_abatement, lang), year=portfolio.year,
                  bau=tonnes(portfolio.bau_emissions, lang), left=len(portfolio.frame) - chosen,
                  optimality=text("is_best", lang) if percent(portfolio.gap, 1) == "0.0%"
                  else text("within_best", lang, gap=percent(portfolio.gap, 1)))
    shadow = None if portfolio.shadow_price is None else text(  # None: commitments overspend
        "plan_shadow", lang, shadow=number(portfolio.shadow_price),
        step=number(portfolio.step_gain))
    phases = [text("plan_phase_shadow", lang, phase=term("phase", name, lang),
                   shadow=number(value))
              for name, value in portfolio.phase_shadow_prices.items() if value > BINDING]
    return (" " if lang == "en" else "").join(
        filter(None, [bought, running_cost_line(portfolio, lang),
                      committed_line(portfolio, lang), shadow, *phases]))
