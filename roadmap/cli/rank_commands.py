"""`roadmap rank` and `roadmap experts`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import METHOD_OPTION, naming_the_profile
from ..rendering.cells import to_csv
from ..rendering.numbers import number
from .common import (
    AhpOption,
    ListFormat,
    MethodChoice,
    MethodOption,
    WeightsOption,
    WithDomainOption,
    app,
    check_method,
    console,
    records,
    site_ranking,
    user_catalog,
)

if TYPE_CHECKING:
    from rich.table import Table

    from ..decisions.acceptability import Acceptability
    from ..decisions.ranking import Ranking
    from ..decisions.sensitivity import Sensitivity
    from ..inputs.site import Site


def _ranking_table(ranking: Ranking, site: Site, top: int | None,
                   stability: Sensitivity | None) -> Table:
    from rich.table import Table

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
    site_file: Annotated[Path, typer.Argument(
        metavar="SITE.yaml", help="Site profile (see `roadmap init`).")],
    method: MethodOption = None,
    weights: WeightsOption = None,
    ahp: AhpOption = None,
    top: Annotated[int | None, typer.Option("--top", "-n", min=1, help="Show the first N.")]
    = None,
    output_format: Annotated[ListFormat, typer.Option(
        "--format", "-f", help="Output as a table, CSV or JSON.")] = ListFormat.table,
    compare: Annotated[str | None, typer.Option(
        help="Comma-separated methods to compare with (rank correlations).")] = None,
    draws: Annotated[int | None, typer.Option(
        "--sensitivity", min=10, help="Weight draws for the sensitivity analysis.")] = None,
    top_k: Annotated[int, typer.Option(help="k of 'probability of staying in the top k'.",
                                       min=1)] = 10,
    seed: Annotated[int, typer.Option(help="Seed of the weight draws.")] = 20201,
    with_domain: WithDomainOption = None,
    smaa: Annotated[int | None, typer.Option(
        "--smaa", min=10, help="Draws of weights and criteria values for the rank "
        "acceptability (SMAA-2).")] = None,
) -> None:
    """Rank the catalog's measures for a site, explained."""
    from ..decisions.acceptability import acceptability
    from ..decisions.ranking import compare_methods, rank
    from ..decisions.sensitivity import sensitivity

    _, site, matrix, chosen, used = site_ranking(ctx, site_file, method, weights, ahp,
                                                 with_domain)
    with naming_the_profile(site.file, METHOD_OPTION if method else None):
        ranking = rank(matrix, chosen, used)
    stability = sensitivity(matrix, chosen, used, draws=draws, top_k=top_k, seed=seed,
                            assumptions=site.assumptions) if draws else None
    accepted = acceptability(matrix, chosen, used, draws=smaa, top_k=top_k, seed=seed,
                             assumptions=site.assumptions) if smaa else None
    compared = None
    if compare:
        methods = [chosen] + [m.strip() for m in compare.split(",") if m.strip() != chosen]
        for name in methods:
            check_method(name, "--compare")
        comparison = compare_methods(matrix, methods, used)
        compared = {"ranks": comparison.ranks, "weighted_spearman": comparison.weighted_spearman,
                    "ws": comparison.ws}
    _print_ranking(output_format, ranking, site, top, stability, compared, accepted)


def _print_ranking(output_format: ListFormat, ranking: Ranking, site: Site, top: int | None,
                   stability: Sensitivity | None, compared: dict[str, object] | None,
                   accepted: Acceptability | None = None) -> None:
    flat = _flat_ranking(ranking, top, stability, compared)
    if accepted is not None:
        flat = flat.join(_smaa_columns(accepted), on="id")
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
        if accepted is not None:
            document["central_weights"] = records(accepted.central_weights)
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
                      f"{number(stability.spread)}), seed {stability.seed}); {unstable} measures "
                      f"flagged '!' (unstable in the top {stability.top_k})")
    if accepted is not None:
        screen.print(_acceptability_table(accepted, top or accepted.top_k))
        screen.print(_frame_table("Central weights of the measures most often first "
                                  "(confidence: P(first) at those weights)",
                                  accepted.central_weights.drop(columns="name_en").round(3)))
    if compared is not None:
        screen.print(_matrix_table("Weighted Spearman r_w between methods",
                                    compared["weighted_spearman"]))
        screen.print(_matrix_table("WS rank similarity (row = reference)", compared["ws"]))
    if len(ranking.excluded):
        screen.print(_excluded_table(ranking.excluded))


SMAA_RANKS = 5  # rank acceptabilities b^1..b^5 shown, with P(top k)


def _smaa_columns(accepted: Acceptability):
    frame = accepted.frame.set_index("id")
    columns = accepted.indices.loc[:, 1:SMAA_RANKS].add_prefix("smaa_p_rank_")
    return columns.join(frame[["p_top_k", "expected_rank"]].add_prefix("smaa_"))


def _acceptability_table(accepted: Acceptability, shown: int) -> Table:
    from rich.table import Table

    table = Table(title=f"Rank acceptability (SMAA-2): {accepted.draws} draws of weights "
                  f"({accepted.weight_scheme}) and criteria values ({accepted.performance}), "
                  f"seed {accepted.seed}", title_justify="left")
    ranks = list(accepted.indices.columns[:SMAA_RANKS])
    for column in ("#", "id", "技术名称", *(f"P(rank {r})" for r in ranks),
                   f"P(top {accepted.top_k})", "mean rank"):
        table.add_column(column, justify="left" if column in ("id", "技术名称") else "right")
    for _, row in accepted.frame.head(shown).iterrows():
        shares = accepted.indices.loc[row["id"], ranks]
        table.add_row(str(row["rank"]), row["id"], row["name_zh"],
                      *(f"{p:.0%}" for p in shares), f"{row['p_top_k']:.0%}",
                      f"{row['expected_rank']:.1f}")
    return table


def _matrix_table(title: str, frame) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column("")
    for column in frame.columns:
        table.add_column(column, justify="right")
    for name, row in frame.iterrows():
        table.add_row(name, *(f"{v:.3f}" for v in row))
    return table


def _excluded_table(excluded) -> Table:
    from rich.table import Table

    table = Table(title=f"{len(excluded)} measures excluded", title_justify="left")
    for column in ("id", "技术名称", "reason"):
        table.add_column(column)
    for _, row in excluded.iterrows():
        table.add_row(row["id"], row["name_zh"], row["reason"])
    return table


@app.command("experts")
def experts_command(
    ctx: typer.Context,
    method: Annotated[MethodChoice, typer.Option(
        "--method", "-m", help="Ranking method of the engine's score.")] = MethodChoice.topsis,
    largest: Annotated[int, typer.Option(help="Disagreements listed per domain.", min=0)] = 5,
    output_format: Annotated[ListFormat, typer.Option(
        "--format", "-f", help="Output as a table, CSV or JSON.")] = ListFormat.table,
) -> None:
    """The study's ★ as a benchmark: the engine's score (▼, ➕), the ▼+➕ sum and an
    out-of-sample fit, each against ★."""
    from rich.table import Table

    from ..decisions.experts import STARS_MEANING, expert_agreement

    check_method(method)
    agreement = expert_agreement(user_catalog(ctx), method, largest=largest)
    if output_format is ListFormat.csv:
        typer.echo(to_csv(agreement.summary), nl=False)
        return
    if output_format is ListFormat.json:
        typer.echo(json.dumps({
            "method": method, "weights": agreement.weights, "stars": STARS_MEANING,
            "summary": records(agreement.summary), "fits": records(agreement.fits),
            "disagreements": records(agreement.disagreements),
        }, ensure_ascii=False, indent=1))
        return
    screen = console()
    screen.print(STARS_MEANING)
    screen.print(_experts_summary_table(agreement, method))
    screen.print(_frame_table("Out-of-sample fit: least squares of ★ on ▼, ➕ and readiness "
                              "without the held-out domain", agreement.fits.round(3)))
    if largest:
        table = Table(title="Largest disagreements (rank difference, engine - ★)",
                      title_justify="left")
        for column in ("domain", "id", "技术名称", "★", "engine rank", "★ rank", "difference",
                       "reason"):
            table.add_column(column)
        for _, row in agreement.disagreements.iterrows():
            table.add_row(row["domain"], row["id"], row["name_zh"], f"{row['stars']:.0f}",
                          str(row["engine_rank"]), f"{row['stars_rank']:g}",
                          f"{row['difference']:+g}", row["reason"])
        screen.print(table)


def _experts_summary_table(agreement, method: str) -> Table:
    from rich.table import Table

    weights = ", ".join(f"{c} {w:.2f}" for c, w in agreement.weights.items())
    table = Table(title=f"Kendall tau-b against the study's ★ (engine: {method.upper()}, "
                  f"{weights})", title_justify="left")
    columns = {"domain": "domain", "measures": "measures", "kendall_tau": "engine",
               "p_value": "p (engine)", "benchmark_tau": "▼+➕ sum",
               "out_of_sample_tau": "fit, held out", "readiness_tau": "readiness"}
    for label in columns.values():
        table.add_column(label, justify="left" if label == "domain" else "right")
    for _, row in agreement.summary.iterrows():
        table.add_row(row["domain"], str(row["measures"]),
                      *(_p_value(row[c]) if c == "p_value" else f"{row[c]:.3f}"
                        for c in list(columns)[2:]))
    return table


def _p_value(p: float) -> str:
    """As papers write it: below 0.001 the figure says nothing more (no 7e-20)."""
    return "< 0.001" if p < 0.001 else number(p)


def _frame_table(title: str, frame) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        numeric = frame[column].dtype.kind in "iuf"
        table.add_column(str(column), justify="right" if numeric else "left")
    for _, row in frame.iterrows():
        table.add_row(*(str(v) for v in row))
    return table
