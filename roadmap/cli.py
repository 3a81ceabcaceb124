"""The `roadmap` command line: a thin layer over the package's public functions."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .batch import compare_variants, method_variants, run_batch, run_site, weight_variants
from .catalog import Catalog, load_catalog
from .charts import contribution_chart, cost_curve_chart, wedge_chart
from .dependencies import load_dependencies
from .economics import measure_economics
from .errors import InputError
from .experts import expert_agreement
from .gantt import TOWN_PARTS, domain_chart, roadmap_chart
from .matrix import decision_matrix
from .outputs import CHART_FORMATS, save_figure, write_atomically
from .pathway import (
    Pathway,
    TargetCheck,
    check_targets,
    contributions,
    emission_pathway,
    targets_frame,
)
from .plan import PHASES, Roadmap, build_roadmap
from .portfolio import Portfolio, budget_portfolio
from .ranking import Ranking, compare_methods, rank
from .report import slug_of
from .sensitivity import Sensitivity, sensitivity
from .site import Site, load_site
from .vocabulary import CRITERIA, DOMAIN_NAMES_ZH, DOMAINS, METHODS
from .weights import WEIGHT_SCHEMES, choose_weights, parse_weights, read_ahp_file
from .workflow import Options

app = typer.Typer(help="Technology-roadmap decision support for near-zero-carbon planning.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
catalog_app = typer.Typer(help="Browse, export and validate the technology catalogs.",
                          no_args_is_help=True)
app.add_typer(catalog_app, name="catalog")


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


def _console() -> Console:
    # Piped output keeps full rows instead of wrapping at 80 columns.
    return Console(width=None if sys.stdout.isatty() else 200)


@app.callback()
def _options(
    ctx: typer.Context,
    catalog: Annotated[list[Path] | None, typer.Option(
        "--catalog", "-c", help="A user catalog file (YAML or CSV) merged over the built-ins; "
        "repeatable.")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    ctx.obj = {"catalog_files": catalog or [], "debug": debug}


def _catalog(ctx: typer.Context) -> Catalog:
    loaded = load_catalog(*ctx.obj["catalog_files"])
    for override in loaded.overrides:
        typer.echo(f"note: {override.file} overrides '{override.id}' ({override.replaced})",
                   err=True)
    return loaded


DomainOption = Annotated[str | None, typer.Option(
    "--domain", "-d", help="Only this domain: " + ", ".join(DOMAINS) + ".")]


def _check_domain(domain: str | None) -> None:
    if domain is not None and domain not in DOMAINS:
        raise InputError("--domain", f"unknown domain '{domain}'", allowed=", ".join(DOMAINS))


@catalog_app.command("list")
def catalog_list(
    ctx: typer.Context,
    domain: DomainOption = None,
    category: Annotated[str | None, typer.Option(help="Only this category (Chinese or English).")]
    = None,
    min_stars: Annotated[int, typer.Option(help="Minimum recommendation grade ★.", min=1, max=5)]
    = 1,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List technologies, optionally of one domain."""
    _check_domain(domain)
    selected = _catalog(ctx).filter(domain=domain, category=category, min_recommendation=min_stars)
    frame = selected.to_frame()
    if output_format is ListFormat.csv:
        typer.echo(frame.to_csv(index=False), nl=False)
    elif output_format is ListFormat.json:
        typer.echo(frame.to_json(orient="records", force_ascii=False, indent=1))
    else:
        _console().print(_list_table(selected))


def _list_table(selected: Catalog) -> Table:
    table = Table(title=f"{len(selected)} technologies", show_lines=False)
    for column in ("id", "技术名称", "name", "category", "△ applied", "○ widespread"):
        table.add_column(column)
    for column in ("▼", "➕", "★"):
        table.add_column(column, justify="right")
    for tech in selected:
        table.add_row(tech.id, tech.name_zh, tech.name_en, tech.subcategory or tech.category,
                      tech.application_period or "before 2020", tech.popularization_period or "-",
                      str(tech.abatement), str(tech.economics), str(tech.recommendation))
    return table


@catalog_app.command("show")
def catalog_show(ctx: typer.Context, tech_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Show one technology in full."""
    loaded = _catalog(ctx)
    if tech_id not in loaded:
        raise InputError("catalog", f"unknown technology id '{tech_id}'",
                         allowed="an id from `roadmap catalog list`")
    tech = loaded.get(tech_id)
    table = Table(show_header=False, title=tech.label)
    table.add_column("field", style="bold")
    table.add_column("value")
    for name, value in tech.model_dump().items():
        if isinstance(value, list | tuple):
            value = ", ".join(value) or "-"
        elif isinstance(value, dict):
            value = str(tech.source)
        table.add_row(name, "-" if value is None else str(value))
    table.add_row("origin", loaded.origins[tech_id])
    table.add_row("restated by", ", ".join(loaded.restated_by(tech_id)) or "-")
    _console().print(table)


@catalog_app.command("export")
def catalog_export(
    ctx: typer.Context,
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.csv,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; CSV goes "
                                                "to standard output when omitted.")] = None,
    domain: DomainOption = None,
) -> None:
    """Export the catalog (all columns) as CSV or an Excel workbook."""
    _check_domain(domain)
    frame = _catalog(ctx).filter(domain=domain).to_frame()
    if output is None:
        if output_format is ExportFormat.xlsx:
            raise InputError("--output", "an xlsx export needs a file", allowed="-o FILE.xlsx")
        typer.echo(frame.to_csv(index=False), nl=False)
        return
    if output_format is ExportFormat.xlsx:
        write_atomically(output, lambda tmp: frame.to_excel(tmp, index=False, sheet_name="catalog"))
    else:
        write_atomically(output, lambda tmp: frame.to_csv(tmp, index=False))
    typer.echo(f"wrote {len(frame)} technologies to {output}", err=True)


@catalog_app.command("validate")
def catalog_validate(
    ctx: typer.Context, files: Annotated[list[Path], typer.Argument(metavar="FILE...")]
) -> None:
    """Check user catalog files (YAML or CSV), each on its own and merged with the built-ins."""
    failures = 0
    for path in files:
        try:
            merged = load_catalog(path)
        except InputError as error:
            if ctx.obj["debug"]:
                raise
            typer.echo(f"error: {error}", err=True)
            failures += 1
            continue
        count = sum(1 for origin in merged.origins.values() if origin == str(path))
        replaced = [o.id for o in merged.overrides if o.file == str(path)]
        note = f", overriding {', '.join(replaced)}" if replaced else ""
        typer.echo(f"{path}: {count} technologies valid{note}")
    if failures:
        raise typer.Exit(2)


@catalog_app.command("summary")
def catalog_summary(ctx: typer.Context) -> None:
    """Entries, categories and grades per domain."""
    frame = _catalog(ctx).to_frame()
    table = Table(title="Technology catalogs (seed 003, tables 2-2 to 7-2)")
    columns = ("domain", "领域", "technologies", "categories", "applied now", "mean ★", "★★★★★")
    for column in columns:
        table.add_column(column, justify="left" if column in ("domain", "领域") else "right")
    for domain, group in frame.groupby("domain", sort=False):
        table.add_row(domain, DOMAIN_NAMES_ZH.get(str(domain), ""), str(len(group)),
                      str(group["category"].nunique()),
                      str(int(group["application_period"].isna().sum())),
                      f"{group['recommendation'].mean():.2f}",
                      str(int((group["recommendation"] == 5).sum())))
    table.add_row("all", "", str(len(frame)), "", "", f"{frame['recommendation'].mean():.2f}", "")
    _console().print(table)


# --------------------------------------------------------------------------- ranking

def _method(name: str | None, site: Site) -> str:
    chosen = name or site.method
    if chosen not in METHODS:
        raise InputError("--method", f"unknown method '{chosen}'", allowed=", ".join(METHODS))
    return chosen


def _weights_spec(weights: str | None) -> str | dict[str, float] | None:
    if weights is None or weights in WEIGHT_SCHEMES:
        return weights
    parsed = parse_weights(weights)
    unknown = set(parsed) - set(CRITERIA)
    if unknown:
        raise InputError("--weights", f"unknown criterion '{sorted(unknown)[0]}'",
                         allowed=", ".join(CRITERIA) + " or " + ", ".join(WEIGHT_SCHEMES[:-1]))
    return parsed


def _ranking_table(ranking: Ranking, site: Site, top: int | None,
                   stability: Sensitivity | None) -> Table:
    weights = ", ".join(f"{c} {w:.2f}" for c, w in ranking.weights.items())
    shown = ranking.frame.head(top) if top else ranking.frame
    table = Table(title=f"{site.name}: {len(ranking.frame)} measures ranked by "
                  f"{ranking.method.upper()} ({weights})", title_justify="left")
    for column in ("#", "id", "技术名称", "name", "score", *ranking.criteria):
        table.add_column(column, justify="right" if column in ("#", "score") else "left")
    if stability is not None:
        table.add_column(f"P(top {stability.top_k})", justify="right")
        table.add_column("rank 5-95%", justify="right")
        stable = stability.frame.set_index("id")
    table.add_column("why")
    for _, row in shown.iterrows():
        cells = [str(row["rank"]), row["id"], row["name_zh"], row["name_en"],
                 f"{row['score']:.3f}", *(f"{row[c]:.2f}" for c in ranking.criteria)]
        if stability is not None:
            s_row = stable.loc[row["id"]]
            flag = " !" if s_row["unstable"] else ""
            cells += [f"{s_row['p_top_k']:.0%}{flag}",
                      f"{s_row['rank_p5']:.0f}-{s_row['rank_p95']:.0f}"]
        table.add_row(*cells, row["why"])
    return table


def _flat_ranking(ranking: Ranking, top: int | None, stability: Sensitivity | None,
                  compared: dict[str, object] | None) -> object:
    frame = ranking.frame.head(top) if top else ranking.frame
    if stability is not None:
        extra = stability.frame.set_index("id")[["p_top_k", "best_rank", "worst_rank",
                                                 "rank_p5", "rank_p95", "unstable"]]
        frame = frame.join(extra, on="id")
    if compared is not None:
        ranks = compared["ranks"].set_index("id").drop(columns=["name_zh", "name_en"])
        frame = frame.join(ranks.add_prefix("rank_"), on="id")
    return frame


def _site_ranking(ctx: typer.Context, site_file: Path, method: str | None, weights: str | None,
                  ahp: Path | None, with_domain: list[str] | None):
    """Catalog, site, matrix, method and weights, as `rank` and `plan` both need them."""
    loaded = _catalog(ctx)
    site = load_site(site_file, loaded)
    for domain in with_domain or []:
        _check_domain(domain)
    chosen = _method(method, site)
    criteria = tuple(site.weights)
    spec: str | dict[str, float] | None = _weights_spec(weights)
    if ahp is not None:
        spec, ratio = read_ahp_file(ahp)
        criteria = tuple(spec)
        typer.echo(f"AHP weights from {ahp}: consistency ratio {ratio:.3f}", err=True)
    matrix = decision_matrix(loaded, site, criteria, tuple(with_domain or ()))
    return loaded, site, matrix, chosen, choose_weights(matrix, site, spec)


DependenciesOption = Annotated[list[Path] | None, typer.Option(
    "--dependencies", help="Extra dependency file (YAML edges); repeatable.")]
MethodOption = Annotated[str | None, typer.Option(
    "--method", "-m", help="One of " + ", ".join(METHODS) + " (default: the site's, or topsis).")]
WeightsOption = Annotated[str | None, typer.Option(
    "--weights", "-w", help="criterion=value,... or one of site, equal, entropy, critic.")]
AhpOption = Annotated[Path | None, typer.Option(
    help="AHP pairwise comparison file (criteria, matrix); rejected if CR > 0.1.")]
WithDomainOption = Annotated[list[str] | None, typer.Option(
    "--with-domain", help="Also consider this domain's measures (repeatable).")]


@app.command("rank")
def rank_command(
    ctx: typer.Context,
    site_file: Annotated[Path, typer.Argument(metavar="SITE.yaml")],
    method: MethodOption = None,
    weights: WeightsOption = None,
    ahp: AhpOption = None,
    top: Annotated[int | None, typer.Option("--top", "-n", min=1, help="Show the first N.")]
    = None,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    compare: Annotated[str | None, typer.Option(
        help="Comma-separated methods to compare with (rank correlations).")] = None,
    draws: Annotated[int | None, typer.Option(
        "--sensitivity", min=10, help="Weight draws for the sensitivity analysis.")] = None,
    top_k: Annotated[int, typer.Option(help="k of 'probability of staying in the top k'.",
                                       min=1)] = 10,
    seed: Annotated[int, typer.Option(help="Seed of the weight draws.")] = 20201,
    with_domain: WithDomainOption = None,
) -> None:
    """Rank the catalog's measures for a site, explained."""
    _, site, matrix, chosen, used = _site_ranking(ctx, site_file, method, weights, ahp,
                                                 with_domain)
    ranking = rank(matrix, chosen, used)
    stability = sensitivity(matrix, chosen, used, draws=draws, top_k=top_k, seed=seed,
                            assumptions=site.assumptions) if draws else None
    compared = None
    if compare:
        methods = [chosen] + [m.strip() for m in compare.split(",") if m.strip() != chosen]
        for name in methods:
            _method(name, site)
        comparison = compare_methods(matrix, methods, used)
        compared = {"ranks": comparison.ranks, "weighted_spearman": comparison.weighted_spearman,
                    "ws": comparison.ws}
    _print_ranking(output_format, ranking, site, top, stability, compared)


def _print_ranking(output_format: ListFormat, ranking: Ranking, site: Site, top: int | None,
                   stability: Sensitivity | None, compared: dict[str, object] | None) -> None:
    flat = _flat_ranking(ranking, top, stability, compared)
    if output_format is ListFormat.csv:
        typer.echo(flat.to_csv(index=False), nl=False)
        return
    if output_format is ListFormat.json:
        document = {
            "site": site.name, "method": ranking.method, "weights": ranking.weights,
            "dropped_criteria": ranking.dropped,
            "ranking": json.loads(flat.to_json(orient="records", force_ascii=False)),
            "excluded": json.loads(ranking.excluded.to_json(orient="records",
                                                            force_ascii=False)),
        }
        if compared is not None:
            document["weighted_spearman"] = json.loads(compared["weighted_spearman"].to_json())
            document["ws"] = json.loads(compared["ws"].to_json())
        typer.echo(json.dumps(document, ensure_ascii=False, indent=1))
        return
    console = _console()
    console.print(_ranking_table(ranking, site, top, stability))
    for criterion, reason in ranking.dropped.items():
        console.print(f"criterion {criterion} left out: {reason}")
    if stability is not None:
        unstable = int(stability.frame["unstable"].sum())
        console.print(f"sensitivity: {stability.draws} weight draws (each weight x U(1 ± "
                      f"{stability.spread:g}), seed {stability.seed}); {unstable} measures "
                      f"flagged '!' (unstable in the top {stability.top_k})")
    if compared is not None:
        console.print(_matrix_table("Weighted Spearman r_w between methods",
                                    compared["weighted_spearman"]))
        console.print(_matrix_table("WS rank similarity (row = reference)", compared["ws"]))
    if len(ranking.excluded):
        console.print(_excluded_table(ranking.excluded))


def _matrix_table(title: str, frame) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("")
    for column in frame.columns:
        table.add_column(column, justify="right")
    for name, row in frame.iterrows():
        table.add_row(name, *(f"{v:.3f}" for v in row))
    return table


def _excluded_table(excluded) -> Table:
    table = Table(title=f"{len(excluded)} measures excluded", title_justify="left")
    for column in ("id", "技术名称", "reason"):
        table.add_column(column)
    for _, row in excluded.iterrows():
        table.add_row(row["id"], row["name_zh"], row["reason"])
    return table


@app.command("experts")
def experts_command(
    ctx: typer.Context,
    method: Annotated[str, typer.Option("--method", "-m")] = "topsis",
    largest: Annotated[int, typer.Option(help="Disagreements listed per domain.", min=0)] = 5,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Agreement between the engine's default score (▼, ➕, readiness; no ★) and the study's ★."""
    if method not in METHODS:
        raise InputError("--method", f"unknown method '{method}'", allowed=", ".join(METHODS))
    agreement = expert_agreement(_catalog(ctx), method, largest=largest)
    if output_format is ListFormat.csv:
        typer.echo(agreement.summary.to_csv(index=False), nl=False)
        return
    if output_format is ListFormat.json:
        typer.echo(json.dumps({
            "method": method, "weights": agreement.weights,
            "summary": json.loads(agreement.summary.to_json(orient="records")),
            "disagreements": json.loads(agreement.disagreements.to_json(
                orient="records", force_ascii=False)),
        }, ensure_ascii=False, indent=1))
        return
    weights = ", ".join(f"{c} {w:.2f}" for c, w in agreement.weights.items())
    summary = Table(title=f"Engine score ({method.upper()}: {weights}) vs the study's ★",
                    title_justify="left")
    for column in ("domain", "measures", "Kendall tau", "p-value"):
        summary.add_column(column, justify="left" if column == "domain" else "right")
    for _, row in agreement.summary.iterrows():
        summary.add_row(row["domain"], str(row["measures"]), f"{row['kendall_tau']:.3f}",
                        f"{row['p_value']:.3g}")
    console = _console()
    console.print(summary)
    if largest:
        table = Table(title="Largest disagreements (rank difference, engine - ★)",
                      title_justify="left")
        for column in ("domain", "id", "技术名称", "★", "engine rank", "★ rank", "difference"):
            table.add_column(column)
        for _, row in agreement.disagreements.iterrows():
            table.add_row(row["domain"], row["id"], row["name_zh"], str(row["stars"]),
                          str(row["engine_rank"]), f"{row['stars_rank']:g}",
                          f"{row['difference']:+g}")
        console.print(table)


# --------------------------------------------------------------------------- roadmaps

class Lang(StrEnum):
    zh = "zh"
    en = "en"
    both = "both"


class ChartFormat(StrEnum):
    png = "png"
    svg = "svg"
    pdf = "pdf"


@app.command("chart")
def chart_command(
    ctx: typer.Context,
    domain: Annotated[str, typer.Option("--domain", "-d", help="One of " + ", ".join(DOMAINS))],
    lang: Annotated[Lang, typer.Option(help="Labels in Chinese, English or both.")] = Lang.both,
    chart_format: Annotated[ChartFormat, typer.Option("--format", "-f")] = ChartFormat.png,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="File to write (town in parts: -<part> is added to its name). "
        "Default output/charts/<domain>.<format>.")] = None,
    part: Annotated[str | None, typer.Option(
        help="Town only: one of " + ", ".join(TOWN_PARTS) + ".")] = None,
    whole: Annotated[bool, typer.Option(help="Town: all 86 rows in one chart.")] = False,
) -> None:
    """Draw a domain's catalog roadmap like the study's figures (town in its five parts)."""
    _check_domain(domain)
    loaded = _catalog(ctx)
    target = output or Path("output") / "charts" / f"{domain}.{chart_format.value}"
    if target.suffix.lstrip(".") != chart_format.value:
        target = target.with_suffix(f".{chart_format.value}")
    parts: list[str | None] = [part]
    if domain == "town" and part is None and not whole:
        parts = list(TOWN_PARTS)
    for name in parts:
        figure = domain_chart(loaded, domain, name, lang.value)
        path = target.with_name(f"{target.stem}-{name}{target.suffix}") if name and not part \
            else target
        save_figure(figure, path)
        typer.echo(f"wrote {path}", err=True)


@app.command("plan")
def plan_command(
    ctx: typer.Context,
    site_file: Annotated[Path, typer.Argument(metavar="SITE.yaml")],
    top: Annotated[int | None, typer.Option("--top", "-n", min=1,
                                            help="Select the first N measures.")] = 15,
    min_score: Annotated[float | None, typer.Option(
        help="Select every measure scoring at least this (at most, for VIKOR/SPOTIS).")] = None,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    chart: Annotated[Path | None, typer.Option(
        help="Also draw the roadmap Gantt chart here (.png, .svg or .pdf).")] = None,
    lang: Annotated[Lang, typer.Option(help="Chart labels.")] = Lang.both,
    arrows: Annotated[bool, typer.Option(help="Draw dependency arrows on the chart.")] = False,
    dependencies: DependenciesOption = None,
    budget: Annotated[bool, typer.Option(
        "--budget", help="Select the measures the profile's budget buys best (exact MILP).")]
    = False,
    budget_amount: Annotated[float | None, typer.Option(
        help="Budget in 10k yuan instead of the profile's (implies --budget).")] = None,
    objective: Annotated[str, typer.Option(
        help="What the budget maximises: abatement, or score (abatement x site score).")]
    = "abatement",
    method: MethodOption = None,
    weights: WeightsOption = None,
    ahp: AhpOption = None,
    with_domain: WithDomainOption = None,
) -> None:
    """A phased roadmap for a site: top measures (or what the budget buys best), their
    prerequisites, near/mid/long term."""
    loaded, site, matrix, chosen, used = _site_ranking(ctx, site_file, method, weights, ahp,
                                                      with_domain)
    graph = load_dependencies(loaded, *(dependencies or []))
    _check_chart_path(chart)
    ranking = rank(matrix, chosen, used)
    portfolio = None
    if budget or budget_amount is not None:
        portfolio = budget_portfolio(ranking, loaded, graph, site, budget_amount,
                                     objective=objective)
        selected = portfolio.frame.loc[portfolio.frame["chosen"], "id"].tolist()
        roadmap = build_roadmap(ranking, loaded, graph, site, selected=selected)
    else:
        top = None if min_score is not None and top == 15 else top
        roadmap = build_roadmap(ranking, loaded, graph, site, top, min_score)
    if chart is not None:
        figure = roadmap_chart(roadmap, lang.value, arrows)
        save_figure(figure, chart)
        typer.echo(f"wrote {chart}", err=True)
    _print_roadmap(output_format, roadmap, portfolio)


def _check_chart_path(chart: Path | None) -> None:
    """Reject a chart file name before any work, so nothing is written for a bad one."""
    if chart is not None and chart.suffix.lower().lstrip(".") not in CHART_FORMATS:
        raise InputError(chart, f"unsupported chart format '{chart.suffix}'",
                         allowed=", ".join(CHART_FORMATS))


def _records(frame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False))


def _print_roadmap(output_format: ListFormat, roadmap: Roadmap,
                   portfolio: Portfolio | None) -> None:
    frame = roadmap.frame
    if output_format is ListFormat.csv:
        typer.echo(frame.to_csv(index=False), nl=False)
        return
    if output_format is ListFormat.json:
        edges = [{"before": a, "after": b, **data} for a, b, data in roadmap.graph.edges(data=True)]
        document = {"site": roadmap.site.name, "measures": _records(frame),
                    "dependencies": edges}
        if portfolio is not None:
            document["portfolio"] = {**_portfolio_summary(portfolio),
                                     "measures": _records(portfolio.frame)}
        typer.echo(json.dumps(document, ensure_ascii=False, indent=1))
        return
    console = _console()
    if portfolio is not None:
        console.print(_portfolio_text(portfolio))
    for phase, start, end in PHASES:
        rows = frame[frame["phase"] == phase]
        if rows.empty:
            continue
        table = Table(title=f"{phase} term: widespread {start}-{end} ({len(rows)} measures)",
                      title_justify="left")
        for column in ("start", "widespread", "id", "技术名称", "name", "★", "reason"):
            table.add_column(column)
        for _, row in rows.iterrows():
            reason = row["reason"] + (f"; starts with {row['delayed_by']}"
                                      if row["delayed_by"] else "")
            table.add_row(str(row["start_year"]), str(row["popularization_year"]), row["id"],
                          row["name_zh"], row["name_en"], str(row["recommendation"]), reason)
        console.print(table)


def _portfolio_summary(portfolio: Portfolio) -> dict[str, float]:
    return {"budget": portfolio.budget, "spent": portfolio.spent,
            "abatement": portfolio.abatement, "year": portfolio.year,
            "objective": portfolio.objective, "shadow_price": portfolio.shadow_price,
            "step_gain": portfolio.step_gain}


def _portfolio_text(portfolio: Portfolio) -> str:
    left_out = portfolio.frame[~portfolio.frame["chosen"]]
    return (f"budget {portfolio.budget:,.0f} (10k yuan) buys {int(portfolio.frame['chosen'].sum())}"
            f" measures for {portfolio.spent:,.0f}, abating {portfolio.abatement:,.0f} t/yr by "
            f"{portfolio.year} (stand-alone sum); {len(left_out)} left out. Shadow price of the "
            f"budget: {portfolio.shadow_price:,.1f} t/yr per extra 10k yuan (LP), "
            f"{portfolio.step_gain:,.1f} for a 10% larger budget.")


# --------------------------------------------------------------------------- pathways

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
    loaded, site, matrix, chosen, used = _site_ranking(ctx, site_file, method, weights, None,
                                                      with_domain)
    _check_chart_path(chart)
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
        last = site.target.year if site.target else site.target_year
        return sorted({y for y in (2025, 2035, last) if site.base_year <= y <= site.target_year})
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
        typer.echo(pathway.frame.to_csv(index=False), nl=False)
        return
    targets = targets_frame(checks)
    if output_format is ListFormat.json:
        typer.echo(json.dumps({
            "site": pathway.site.name, "by_year": _records(pathway.by_year),
            "targets": _records(targets), "contributions": _records(shares),
            "economics": _records(economics), "pathway": _records(pathway.frame),
        }, ensure_ascii=False, indent=1))
        return
    console = _console()
    table = Table(title=f"{pathway.site.name}: emissions (tCO2e/yr)", title_justify="left")
    for column in ("year", "business as usual", "abatement", "sinks", "net"):
        table.add_column(column, justify="right")
    by_year = pathway.by_year
    for _, row in by_year[(by_year["year"] % 5 == 0) | (by_year.index == len(by_year) - 1)
                          ].iterrows():
        table.add_row(str(int(row["year"])), *(f"{row[c]:,.0f}" for c in
                                               ("bau", "abatement", "sink", "net")))
    console.print(table)
    for check in checks:
        met = f"met in {check.met_year}" if check.met_year else "not met"
        gap = (f"; gap {check.gap:,.3g} {check.unit}, {check.extra_abatement:,.0f} t/yr more "
               "abatement needed") if check.gap > 0 else ""
        console.print(f"{check.kind} target {check.year}: at most {check.required:,.3g} "
                      f"{check.unit}, pathway {check.value:,.3g}: {met}{gap}")
    shown = Table(title="Contributions to abatement", title_justify="left")
    for column in ("year", "group", "t/yr", "share"):
        shown.add_column(column, justify="left" if column == "group" else "right")
    for _, row in shares.iterrows():
        shown.add_row(str(row["year"]), row["group"], f"{row['abatement']:,.0f}",
                      f"{row['share']:.0%}")
    console.print(shown)


# --------------------------------------------------------------------------- run, batch

@app.command("run")
def run_command(
    ctx: typer.Context,
    site_file: Annotated[Path, typer.Argument(metavar="SITE.yaml")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Output folder (default output/<site file name>).")] = None,
    lang: Annotated[Lang, typer.Option(help="Report and chart language.")] = Lang.both,
    force: Annotated[bool, typer.Option(help="Replace an existing output folder.")] = False,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="Roadmap size.")] = 15,
    draws: Annotated[int, typer.Option(min=10, help="Sensitivity draws.")] = 1000,
    method: MethodOption = None,
    weights: WeightsOption = None,
    dependencies: DependenciesOption = None,
) -> None:
    """Everything for one site: tables, charts, report.html and report.md, in one folder."""
    folder = output or Path("output") / slug_of(site_file)
    options = Options(method=method, weights=_weights_spec(weights), top=top, draws=draws,
                      dependency_files=tuple(dependencies or ()))
    if method is not None and method not in METHODS:
        raise InputError("--method", f"unknown method '{method}'", allowed=", ".join(METHODS))
    analysis = run_site(_catalog(ctx), site_file, folder, lang.value, force, options)
    met = [f"{c.kind} {c.year}: {'met ' + str(c.met_year) if c.met_year else 'not met'}"
           for c in analysis.targets]
    typer.echo(f"wrote {folder}/ ({len(analysis.roadmap.frame)} measures; {'; '.join(met)})")


@app.command("batch")
def batch_command(
    ctx: typer.Context,
    site_files: Annotated[list[Path], typer.Argument(metavar="SITES...")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for all sites.")]
    = Path("output") / "batch",
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Parallel processes.")] = 1,
    lang: Annotated[Lang, typer.Option(help="Report and chart language.")] = Lang.both,
    force: Annotated[bool, typer.Option(help="Replace existing site folders.")] = False,
) -> None:
    """Many profiles in parallel: one folder per site and a summary.csv comparing them."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=Console(stderr=True)) as progress:
        task = progress.add_task("sites", total=len(site_files))

        def advance(row: dict[str, object]) -> None:
            if row.get("error"):
                progress.console.print(f"error: {row['error']}")
            progress.advance(task)

        summary = run_batch(site_files, output, jobs, lang.value, force,
                            tuple(ctx.obj["catalog_files"]), advance)
    write_atomically(output / "summary.csv", lambda tmp: summary.to_csv(tmp, index=False))
    failed = int((summary["error"].fillna("") != "").sum())
    typer.echo(f"wrote {output}/summary.csv: {len(summary) - failed} sites done, {failed} failed")
    if failed:
        raise typer.Exit(1)


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    site_file: Annotated[Path, typer.Argument(metavar="SITE.yaml")],
    methods: Annotated[str | None, typer.Option(
        help="Comma-separated methods, one variant each.")] = None,
    weights: Annotated[str | None, typer.Option(
        help="Weight sets separated by ';', e.g. 'abatement=1;economics=1'.")] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="Roadmap size.")] = 15,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Variants of one site side by side: rankings, roadmaps and pathways."""
    base = Options(top=top, draws=10, compare=())
    if bool(methods) == bool(weights):
        raise InputError("compare", "give either --methods or --weights",
                         allowed="--methods topsis,vikor or --weights 'a=1;b=1'")
    if methods:
        names = [m.strip() for m in methods.split(",") if m.strip()]
        for name in names:
            if name not in METHODS:
                raise InputError("--methods", f"unknown method '{name}'",
                                 allowed=", ".join(METHODS))
        variants = method_variants(names, base)
    else:
        variants = weight_variants([_weights_spec(w) for w in weights.split(";") if w.strip()],
                                   base)
    if len(variants) < 2:
        raise InputError("compare", "only one variant", allowed="two or more variants")
    tables = compare_variants(_catalog(ctx), site_file, variants)
    if output_format is ListFormat.csv:
        typer.echo(tables["ranks"].join(tables["roadmaps"].set_index("id").drop(
            columns=["name_zh", "name_en"]).add_prefix("in_roadmap:"), on="id").to_csv(
            index=False), nl=False)
        return
    if output_format is ListFormat.json:
        typer.echo(json.dumps({name: _records(frame) for name, frame in tables.items()},
                              ensure_ascii=False, indent=1))
        return
    console = _console()
    pathways = Table(title="Variants", title_justify="left")
    for column in tables["pathways"].columns:
        pathways.add_column(column)
    for _, row in tables["pathways"].iterrows():
        pathways.add_row(*(f"{v:,.0f}" if isinstance(v, float) else str(v) for v in row))
    console.print(pathways)
    ranks = Table(title="Ranks of the measures in any variant's roadmap (- = not in it)",
                  title_justify="left")
    for column in ("id", "技术名称", *variants):
        ranks.add_column(column)
    in_roadmap = tables["roadmaps"].set_index("id")
    for _, row in tables["ranks"].iterrows():
        ranks.add_row(row["id"], row["name_zh"], *(
            str(int(row[v])) + ("" if in_roadmap.loc[row["id"], v] else " -")
            for v in variants))
    console.print(ranks)


def main(argv: list[str] | None = None) -> None:
    """Entry point: bad input ends with one line on stderr and status 2 (tracebacks: --debug)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        app(args=args, prog_name="roadmap")
    except InputError as error:
        if "--debug" in args:
            raise
        typer.echo(f"error: {error}", err=True)
        sys.exit(2)

