"""`roadmap rank` and `roadmap experts`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import METHOD_OPTION, naming_the_profile
from ..inputs.counts import MAX_DRAWS, MIN_DRAWS
from ..rendering.cells import to_csv
from ..rendering.messages import column, each_language, sentence, term, text, word
from ..rendering.numbers import number
from ..rendering.style import label
from .common import (
    AhpOption,
    Lang,
    ListFormat,
    MethodChoice,
    MethodOption,
    PrintedLangOption,
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
                   stability: Sensitivity | None, lang: str) -> Table:
    from rich.table import Table

    from ..decisions.ranking import score_name, without_stand_in_costs

    shown = without_stand_in_costs(ranking.frame.head(top) if top else ranking.frame)
    table = Table(title=each_language(lambda one: text(
        "rank_title", one, site=site.name, count=len(ranking.frame),
        method=term("method", ranking.method, one), weights=", ".join(
            f"{term('criterion', c, one)} {w:.2f}" for c, w in ranking.weights.items())),
        lang), title_justify="left")
    table.add_column("#", justify="right")
    for name in ("id", "measure"):
        table.add_column(column(name, lang))
    for name in (score_name(ranking.method), *ranking.criteria):
        table.add_column(column(name, lang), justify="right")
    if stability is not None:
        table.add_column(text("rank_top", lang, k=stability.top_k), justify="right")
        table.add_column(text("rank_span", lang), justify="right")
        stable = stability.frame.set_index("id")
    table.add_column(column("why", lang))
    for _, row in shown.iterrows():
        cells = [str(row["rank"]), row["id"], label(row["name_zh"], row["name_en"], lang),
                 f"{row['score']:.3f}", *(number(row[c]) for c in ranking.criteria)]
        if stability is not None:
            s_row = stable.loc[row["id"]]
            flag = " !" if s_row["unstable"] else ""
            cells += [f"{s_row['p_top_k']:.0%}{flag}",
                      f"{s_row['rank_p5']:.0f}-{s_row['rank_p95']:.0f}"]
        table.add_row(*cells, sentence(row["why"], lang))
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
        "--sensitivity", min=MIN_DRAWS, max=MAX_DRAWS,
        help="Weight draws for the sensitivity analysis.")] = None,
    top_k: Annotated[int, typer.Option(help="k of 'probability of staying in the top k'.",
                                       min=1)] = 10,
    seed: Annotated[int, typer.Option(min=0, help="Seed of the weight draws.")] = 20201,
    with_domain: WithDomainOption = None,
    smaa: Annotated[int | None, typer.Option(
        "--smaa", min=MIN_DRAWS, max=MAX_DRAWS,
        help="Draws of weights and criteria values for the rank acceptability (SMAA-2).")] = None,
    lang: PrintedLangOption = Lang.both,
) -> None:
    """Rank the catalog's measures for a site, explained."""
    from ..decisions.acceptability import acceptability
    from ..decisions.ranking import compare_methods, rank
    from ..decisions.sensitivity import sensitivity

    _, site, matrix, chosen, used = site_ranking(ctx, site_file, method, weights, ahp,
                                                 with_domain, lang.value)
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
    _print_ranking(output_format, ranking, site, top, stability, compared, accepted, lang)


def _print_ranking(output_format: ListFormat, ranking: Ranking, site: Site, top: int | None,
                   stability: Sensitivity | None, compared: dict[str, object] | None,
                   accepted: Acceptability | None = None, lang: str = "both") -> None:
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
            "ranking": records(flat), "excluded": records(ranking.excluded),
        }
        if accepted is not None:
            document["central_weights"] = records(accepted.central_weights)
        if compared is not None:
            document["weighted_spearman"] = json.loads(compared["weighted_spearman"].to_json())
            document["ws"] = json.loads(compared["ws"].to_json())
        typer.echo(json.dumps(document, ensure_ascii=False, indent=1))
        return
    screen = console()
    screen.print(_ranking_table(ranking, site, top, stability, lang))
    for criterion, reason in ranking.dropped.items():
        screen.print(each_language(lambda one, c=criterion, r=reason: text(
            "rank_dropped", one, criterion=term("criterion", c, one), reason=sentence(r, one)),
            lang))
    if stability is not None:
        screen.print(text("rank_sensitivity", lang, draws=stability.draws,
                          spread=number(stability.spread), seed=stability.seed,
                          unstable=int(stability.frame["unstable"].sum()), k=stability.top_k))
    if accepted is not None:
        screen.print(_acceptability_table(accepted, top or accepted.top_k, lang))
        screen.print(_frame_table(text("rank_central", lang),
                                  _central_weights(accepted.central_weights, lang)))
    if compared is not None:
        screen.print(_matrix_table(text("correlations", lang), compared["weighted_spearman"]))
        screen.print(_matrix_table(text("rank_ws", lang), compared["ws"]))
    if len(ranking.excluded):
        screen.print(_excluded_table(ranking.excluded, lang))


SMAA_RANKS = 5  # rank acceptabilities b^1..b^5 shown, with P(top k)


def _smaa_columns(accepted: Acceptability):
    frame = accepted.frame.set_index("id")
    columns = accepted.indices.loc[:, 1:SMAA_RANKS].add_prefix("smaa_p_rank_")
    return columns.join(frame[["p_top_k", "expected_rank"]].add_prefix("smaa_"))


def _acceptability_table(accepted: Acceptability, shown: int, lang: str) -> Table:
    from rich.table import Table

    table = Table(title=text("rank_smaa", lang, draws=accepted.draws,
                             scheme=accepted.weight_scheme, performance=accepted.performance,
                             seed=accepted.seed), title_justify="left")
    ranks = list(accepted.indices.columns[:SMAA_RANKS])
    table.add_column("#", justify="right")
    for name in ("id", "measure"):
        table.add_column(column(name, lang))
    for header in (*(text("rank_p_rank", lang, rank=r) for r in ranks),
                   text("rank_top", lang, k=accepted.top_k), text("rank_mean", lang)):
        table.add_column(header, justify="right")
    for _, row in accepted.frame.head(shown).iterrows():
        shares = accepted.indices.loc[row["id"], ranks]
        table.add_row(str(row["rank"]), row["id"], label(row["name_zh"], row["name_en"], lang),
                      *(f"{p:.0%}" for p in shares), f"{row['p_top_k']:.0%}",
                      f"{row['expected_rank']:.1f}")
    return table


def _matrix_table(title: str, frame) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column("")
    for header in frame.columns:
        table.add_column(header, justify="right")
    for name, row in frame.iterrows():
        table.add_row(name, *(f"{v:.3f}" for v in row))
    return table


def _excluded_table(excluded, lang: str) -> Table:
    from rich.table import Table

    table = Table(title=text("rank_excluded", lang, count=len(excluded)), title_justify="left")
    for name in ("id", "measure", "reason"):
        table.add_column(column(name, lang))
    for _, row in excluded.iterrows():
        table.add_row(row["id"], label(row["name_zh"], row["name_en"], lang),
                      sentence(row["reason"], lang))
    return table


@app.command("experts")
def experts_command(
    ctx: typer.Context,
    method: Annotated[MethodChoice, typer.Option(
        "--method", "-m", help="Ranking method of the engine's score.")] = MethodChoice.topsis,
    largest: Annotated[int, typer.Option(help="Disagreements listed per domain.", min=0)] = 5,
    output_format: Annotated[ListFormat, typer.Option(
        "--format", "-f", help="Output as a table, CSV or JSON.")] = ListFormat.table,
    lang: PrintedLangOption = Lang.both,
) -> None:
    """The study's ★ as a benchmark: the engine's score (▼, ➕), the ▼+➕ sum and an
    out-of-sample fit, each against ★."""
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
    screen.print(each_language(lambda one: text("experts_stars", one), lang))
    screen.print(_experts_summary_table(agreement, method, lang))
    screen.print(_fits_table(agreement.fits, lang))
    if largest:
        screen.print(_disagreements_table(agreement.disagreements, lang))


def _disagreements_table(disagreements, lang: str) -> Table:
    from rich.table import Table

    table = Table(title=text("experts_largest", lang), title_justify="left")
    for header in (column("domain", lang), column("id", lang), column("measure", lang), "★",
                   text("experts_engine_rank", lang), text("experts_stars_rank", lang),
                   text("experts_difference", lang), column("reason", lang)):
        table.add_column(header)
    for _, row in disagreements.iterrows():
        table.add_row(word(row["domain"], lang), row["id"],
                      label(row["name_zh"], row["name_en"], lang), f"{row['stars']:.0f}",
                      str(row["engine_rank"]), f"{row['stars_rank']:g}",
                      f"{row['difference']:+g}", sentence(row["reason"], lang))
    return table


def _experts_summary_table(agreement, method: str, lang: str) -> Table:
    from rich.table import Table

    table = Table(title=each_language(lambda one: text(
        "experts_title", one, method=term("method", method, one), weights=", ".join(
            f"{term('criterion', c, one)} {w:.2f}" for c, w in agreement.weights.items())),
        lang, " / "), title_justify="left")
    columns = {"domain": column("domain", lang), "measures": column("measures", lang),
               "kendall_tau": text("experts_engine", lang), "p_value": text("experts_p", lang),
               "benchmark_tau": text("experts_sum", lang),
               "out_of_sample_tau": text("experts_held_out", lang),
               "readiness_tau": term("criterion", "readiness", lang)}
    for name, header in columns.items():
        table.add_column(header, justify="left" if name == "domain" else "right")
    for _, row in agreement.summary.iterrows():
        table.add_row(word(row["domain"], lang), str(row["measures"]),
                      *(_p_value(row[c]) if c == "p_value" else f"{row[c]:.3f}"
                        for c in list(columns)[2:]))
    return table


def _fits_table(fits, lang: str) -> Table:
    """The held-out fits: each domain's training rows and least-squares coefficients."""
    from rich.table import Table

    table = Table(title=text("experts_fits", lang), title_justify="left")
    figures = ("intercept", *(f"coefficient_{c}" for c in ("abatement", "economics",
                                                             "readiness")))
    for name in ("held_out", "training_rows", *figures):
        table.add_column(column(name, lang), justify="left" if name == "held_out" else "right")
    for _, row in fits.iterrows():
        table.add_row(word(row["held_out"], lang), str(row["training_rows"]),
                      *(f"{row[name.removeprefix('coefficient_')]:.3f}" for name in figures))
    return table


def _p_value(p: float) -> str:
    """As papers write it: below 0.001 the figure says nothing more (no 7e-20)."""
    return "< 0.001" if p < 0.001 else number(p)


def _central_weights(central, lang: str):
    """SMAA's central weights as a reader reads them: the measure's name, the shares and
    each criterion's weight in words, to 3 decimals."""
    shown = central.drop(columns=["name_zh", "name_en"]).round(3)
    shown.insert(1, "measure", [label(z, e, lang) for z, e in
                                zip(central["name_zh"], central["name_en"], strict=True)])
    return shown.rename(columns=lambda c: column(c, lang) if c in (
        "id", "measure", "p_first", "confidence") else term("criterion", c, lang))


def _frame_table(title: str, frame) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for header in frame.columns:
        numeric = frame[header].dtype.kind in "iuf"
        table.add_column(str(header), justify="right" if numeric else "left")
    for _, row in frame.iterrows():
        table.add_row(*(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row))
    return table
