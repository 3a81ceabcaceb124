"""`roadmap run`, `batch` and `compare`: whole sites end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..errors import InputError, Message
from ..inputs.counts import MAX_DRAWS, MIN_DRAWS
from ..rendering.messages import column, each_language, term, text
from ..rendering.style import label
from .common import (
    DependenciesOption,
    Lang,
    ListFormat,
    MethodOption,
    PrintedLangOption,
    WeightsOption,
    app,
    check_method,
    console,
    errors_in,
    imports_done,
    records,
    say,
    user_catalog,
    weights_spec,
)

TopOption = Annotated[int, typer.Option("--top", "-n", min=1, help="Roadmap size.")]
DrawsOption = Annotated[int, typer.Option(min=MIN_DRAWS, max=MAX_DRAWS, help="Sensitivity draws.")]


@app.command("run")
def run_command(
    ctx: typer.Context,
    site_file: Annotated[Path, typer.Argument(
        metavar="SITE.yaml", help="Site profile (see `roadmap init`).")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Output folder (default output/<site file name>).")] = None,
    lang: Annotated[Lang, typer.Option(callback=errors_in,
        help="Language of the report, the charts and the printed summary.")] = Lang.both,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an existing output folder.")] = False,
    top: TopOption = 15,
    draws: DrawsOption = 1000,
    method: MethodOption = None,
    weights: WeightsOption = None,
    dependencies: DependenciesOption = None,
) -> None:
    """Everything for one site: tables, charts, report.html and report.md, in one folder."""
    from ..batch import run_site
    from ..rendering.report import slug_of

    folder = output or Path("output") / slug_of(site_file)
    options = _options(top, draws, method, weights, dependencies)
    analysis = run_site(user_catalog(ctx), site_file, folder, lang.value, force, options)
    typer.echo(each_language(lambda one: text(
        "run_done", one, folder=folder, count=len(analysis.roadmap.frame),
        targets=("；" if one == "zh" else "; ").join(
            text("run_target_met" if c.met else "run_target_late" if c.late_year else
                 "run_target_missed", one, kind=term("target_kind", c.kind, one), year=c.year,
                 met=c.met_year)
            for c in analysis.targets)), lang.value))


def _options(top: int, draws: int, method: str | None, weights: str | None,
             dependencies: list[Path] | None):
    """The analysis options `run` and `batch` share."""
    from ..workflow import Options

    return Options(method=method, weights=weights_spec(weights), top=top, draws=draws,
                   dependency_files=tuple(dependencies or ()))


@app.command("batch")
def batch_command(
    ctx: typer.Context,
    site_files: Annotated[list[Path], typer.Argument(
        metavar="SITES...", help="Site profiles.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for all sites.")]
    = Path("output") / "batch",
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Parallel processes.")] = 1,
    lang: Annotated[Lang, typer.Option(callback=errors_in,
        help="Language of the report, the charts and the printed summary.")] = Lang.both,
    force: Annotated[bool, typer.Option("--force", help="Replace existing site folders.")] = False,
    top: TopOption = 15,
    draws: DrawsOption = 1000,
    method: MethodOption = None,
    weights: WeightsOption = None,
    dependencies: DependenciesOption = None,
) -> None:
    """Many profiles in parallel: one folder per site and a summary.csv comparing them."""
    from ..batch import (
        SUMMARY_FILE,
        BatchInterrupted,
        check_site_folders,
        check_summary_file,
        run_batch,
    )
    from ..rendering.cells import to_csv
    from ..rendering.outputs import write_atomically

    imports_done()  # its workers load the catalogs themselves: no `user_catalog` here

    summary_file = check_summary_file(output / SUMMARY_FILE, force)
    check_site_folders(site_files, output)  # its error alone, before the progress line
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=Console(stderr=True, markup=False)) as progress:
        task = progress.add_task(each_language(lambda one: text("batch_sites", one),
                                               lang.value, " / "), total=len(site_files))

        def advance(row: dict[str, object]) -> None:
            if row.get("error"):  # a crash's words are Python's English
                progress.console.print(row.get("line") or Message(
                    "error", line=row["error"]).said("en"), soft_wrap=True)  # one line
            progress.advance(task)

        try:
            summary = run_batch(site_files, output, jobs, lang.value, force,
                                tuple(ctx.obj["catalog_files"]), advance,
                                _options(top, draws, method, weights, dependencies))
        except BatchInterrupted as interrupted:
            finished = interrupted.summary
            write_atomically(summary_file, lambda tmp: to_csv(finished, tmp))
            say("batch_interrupted", lang.value, file=summary_file, count=len(finished))
            raise typer.Exit(130) from None
    write_atomically(summary_file, lambda tmp: to_csv(summary, tmp))
    failed = int((summary["error"].fillna("") != "").sum())
    typer.echo(each_language(lambda one: text("batch_done", one, file=summary_file,
                                              count=len(summary) - failed, failed=failed),
                             lang.value))
    if failed:
        raise typer.Exit(1)


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    site_file: Annotated[Path, typer.Argument(
        metavar="SITE.yaml", help="Site profile (see `roadmap init`).")],
    methods: Annotated[str | None, typer.Option(
        help="Comma-separated methods, one variant each.")] = None,
    weights: Annotated[str | None, typer.Option(
        help="Weight sets separated by ';', e.g. 'abatement=1;economics=1'.")] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="Roadmap size.")] = 15,
    output_format: Annotated[ListFormat, typer.Option(
        "--format", "-f", help="Output as a table, CSV or JSON.")] = ListFormat.table,
    lang: PrintedLangOption = Lang.both,
) -> None:
    """Variants of one site side by side: rankings, roadmaps and pathways."""
    from rich.table import Table

    from ..batch import compare_variants, method_variants, weight_variants
    from ..rendering.cells import to_csv
    from ..workflow import Options

    base = Options(top=top, draws=10, compare=())
    if bool(methods) == bool(weights):
        raise InputError("compare", "methods_or_weights",
                         allowed=Message("methods_or_weights_example"))
    if methods:
        names = [m.strip() for m in methods.split(",") if m.strip()]
        for name in names:
            check_method(name, "--methods")
        variants = method_variants(names, base)
    else:
        variants = weight_variants([weights_spec(w) for w in weights.split(";") if w.strip()],
                                   base)
    if len(variants) < 2:
        raise InputError("compare", "only_one_variant", allowed=Message("two_or_more_variants"))
    tables = compare_variants(user_catalog(ctx), site_file, variants)
    if output_format is ListFormat.csv:
        typer.echo(to_csv(tables["ranks"].join(tables["roadmaps"].set_index("id").drop(
            columns=["name_zh", "name_en"]).add_prefix("in_roadmap:"), on="id")), nl=False)
        return
    if output_format is ListFormat.json:
        typer.echo(json.dumps({name: records(frame) for name, frame in tables.items()},
                              ensure_ascii=False, indent=1))
        return
    screen = console()
    pathways = Table(title=text("compare_variants", lang.value), title_justify="left")
    for name in tables["pathways"].columns:
        pathways.add_column(column(name, lang.value))
    for _, row in tables["pathways"].iterrows():
        pathways.add_row(*(f"{v:,.0f}" if isinstance(v, float) else str(v) for v in row))
    screen.print(pathways)
    ranks = Table(title=text("compare_ranks", lang.value), title_justify="left")
    for header in (column("id", lang.value), column("measure", lang.value), *variants):
        ranks.add_column(header)
    in_roadmap = tables["roadmaps"].set_index("id")
    for _, row in tables["ranks"].iterrows():
        ranks.add_row(row["id"], label(row["name_zh"], row["name_en"], lang.value), *(
            str(int(row[v])) + ("" if in_roadmap.loc[row["id"], v] else " -")
            for v in variants))
    screen.print(ranks)
