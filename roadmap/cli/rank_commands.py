"""`roadmap rank` and `roadmap experts`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..decisions.experts import expert_agreement
from ..decisions.ranking import Ranking, compare_methods, rank
from ..decisions.sensitivity import Sensitivity, sensitivity
from ..inputs.site import Site
from ..rendering.cells import to_csv
from .common import (
    AhpOption,
    ListFormat,
    MethodOption,
    WeightsOption,
    WithDomainOption,
    app,
    check_method,
    console,
    site_ranking,
    user_catalog,
)


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
    _, site, matrix, chosen, used = site_ranking(ctx, site_file, method, weights, ahp,
                                                 with_domain)
    ranking = rank(matrix, chosen, used)
    stability = sensitivity(matrix, chosen, used, draws=draws, top_k=top_k, seed=seed,
                            assumptions=site.assumptions) if draws else None
    compared = None
    if compare:
        methods = [chosen] + [m.strip() for m in compare.split(",") if m.strip() != chosen]
        for name in methods:
            check_method(name, "--compare")
        comparison = compare_methods(matrix, methods, used)
        compared = {"ranks": comparison.ranks, "weighted_spearman": comparison.weighted_spearman,
                    "ws": comparison.ws}
    _print_ranking(output_format, ranking, site, top, stability, compared)


def _print_ranking(output_format: ListFormat, ranking: Ranking, site: Site, top: int | None,
                   stability: Sensitivity | None, compared: dict[str, object] | None) -> None:
    flat = _flat_ranking(ranking, top, stability, compared)
    if output_format is ListFormat.csv:
        typer.echo(to_csv(flat), nl=False)
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
    screen = console()
    screen.print(_ranking_table(ranking, site, top, stability))
    for criterion, reason in ranking.dropped.items():
        screen.print(f"criterion {criterion} left out: {reason}")
    if stability is not None:
        unstable = int(stability.frame["unstable"].sum())
        screen.print(f"sensitivity: {stability.draws} weight draws (each weight x U(1 ± "
                      f"{stability.spread:g}), seed {stability.seed}); {unstable} measures "
                      f"flagged '!' (unstable in the top {stability.top_k})")
    if compared is not None:
        screen.print(_matrix_table("Weighted Spearman r_w between methods",
                                    compared["weighted_spearman"]))
        screen.print(_matrix_table("WS rank similarity (row = reference)", compared["ws"]))
    if len(ranking.excluded):
        screen.print(_excluded_table(ranking.excluded))


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
    check_method(method)
    agreement = expert_agreement(user_catalog(ctx), method, largest=largest)
    if output_format is ListFormat.csv:
        typer.echo(to_csv(agreement.summary), nl=False)
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
    screen = console()
    screen.print(summary)
    if largest:
        table = Table(title="Largest disagreements (rank difference, engine - ★)",
                      title_justify="left")
        for column in ("domain", "id", "技术名称", "★", "engine rank", "★ rank", "difference"):
            table.add_column(column)
        for _, row in agreement.disagreements.iterrows():
            table.add_row(row["domain"], row["id"], row["name_zh"], str(row["stars"]),
                          str(row["engine_rank"]), f"{row['stars_rank']:g}",
                          f"{row['difference']:+g}")
        screen.print(table)
