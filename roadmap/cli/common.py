"""What every command shares: the Typer app, options, loading the catalog and a site's ranking."""

from __future__ import annotations

import gc
import json
import sys
from contextvars import ContextVar
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from ..errors import InputError, Message
from ..inputs.vocabulary import CRITERIA, DOMAINS, METHODS
from ..rendering.messages import each_language, text

if TYPE_CHECKING:
    from rich.console import Console

    from ..inputs.catalog import Catalog
    from ..inputs.site import Site

# Heavy modules (pandas, matplotlib, pymcdm) are imported inside the functions that use them,
# so that `roadmap --help` and `catalog validate` start fast (see bench/bench_startup.py).

# Commands in the order of the work: start a profile, check it, rank, plan... (for --help).
WORKFLOW = ("init", "check", "rank", "plan", "pathway", "run", "batch", "compare", "catalog",
            "chart", "experts")


class WorkflowGroup(TyperGroup):
    def list_commands(self, ctx: typer.Context) -> list[str]:
        return sorted(self.commands, key=lambda name: (WORKFLOW + (name,)).index(name))


# Plain (click) help rather than Typer's rich panels: rich's layout tags every flag `<bool>`
# and wraps option help into a narrow column; plain help lists flags as flags.
app = typer.Typer(cls=WorkflowGroup,
                  help="Technology-roadmap decision support for near-zero-carbon planning.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                  rich_markup_mode=None)
catalog_app = typer.Typer(help="Browse, search, export and validate the technology catalogs.",
                          no_args_is_help=True, rich_markup_mode=None)
app.add_typer(catalog_app, name="catalog")


def _choices(name: str, values: tuple[str, ...]) -> type[StrEnum]:
    """An enum of a vocabulary, so that --help lists the choices and typer checks them."""
    return StrEnum(name, {value: value for value in values})


DomainChoice = _choices("DomainChoice", DOMAINS)
MethodChoice = _choices("MethodChoice", METHODS)
# The town catalog's five parts, as drawn in the study's figures 7-3 to 7-7 (rendering.gantt).
TownPart = _choices("TownPart", ("planning", "energy-industry", "transport", "building",
                                 "agriculture-forestry"))
Objective = _choices("Objective", ("abatement", "score"))


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class Scenario(StrEnum):
    bau = "bau"
    roadmap = "roadmap"
    potential = "potential"


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


def console() -> Console:
    from rich.console import Console

    # Piped output keeps full rows instead of wrapping at 80 columns. Names and notes come
    # from the user's files: `[/x]` or `:smile:` in one is text, not rich markup or an emoji.
    return Console(width=None if sys.stdout.isatty() else 200, markup=False, emoji=False)


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"roadmap {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    ctx: typer.Context,
    catalog: Annotated[list[Path] | None, typer.Option(
        "--catalog", "-c", metavar="FILE",
        help="A user catalog file (YAML or CSV) merged over the built-ins; repeatable.")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    show_version: Annotated[bool, typer.Option(
        "--version", help="Print the package version and exit.", is_eager=True,
        callback=_print_version)] = False,
) -> None:
    """Technology-roadmap decision support for near-zero-carbon planning."""
    del show_version  # handled by its callback
    ctx.obj = {"catalog_files": catalog or [], "debug": debug}


def say(key: str, lang: str = "both", **params: object) -> None:
    """A note on stderr (`text` `key`), in `lang`; in both, the Chinese / the English."""
    typer.echo(each_language(lambda one: text(key, one, **params), lang, " / "), err=True)


def imports_done() -> None:
    """The garbage collector again, once a command has imported its libraries (`main` turns
    it off for them): their objects (about 340,000 for `run`) live as long as the process, so
    they are frozen out of every later collection, which then looks at what the work
    allocates only. Full collections went through them all: 0.4 s of CPU in `roadmap run`."""
    gc.freeze()
    gc.enable()


def user_catalog(ctx: typer.Context) -> Catalog:
    """The catalogs a command works on (every command that loads them has imported what
    it uses by then: `imports_done`)."""
    from ..inputs.catalog import load_catalog, note_overrides

    imports_done()
    loaded = load_catalog(*ctx.obj["catalog_files"])
    note_overrides(loaded)
    return loaded


DomainOption = Annotated[DomainChoice | None, typer.Option(
    "--domain", "-d", help="Only this domain.")]


def check_domain(domain: str | None) -> None:
    if domain is not None and domain not in DOMAINS:
        raise InputError("--domain", "unknown_domain", domain=domain, allowed=", ".join(DOMAINS))


def check_method(name: str, option: str = "--method") -> str:
    """`name` if it is a ranking method, else the one-line error naming the option."""
    if name not in METHODS:
        raise InputError(option, "unknown_method", method=name, allowed=", ".join(METHODS))
    return name


def method_name(name: str | None, site: Site) -> str:
    """The method asked for, or the site's."""
    return check_method(name or site.method)


def weights_spec(weights: str | None) -> str | dict[str, float] | None:
    from ..decisions.weights import WEIGHT_SCHEMES, parse_weights

    if weights is None or weights in WEIGHT_SCHEMES:
        return weights
    parsed = parse_weights(weights)
    unknown = set(parsed) - set(CRITERIA)
    if unknown:
        raise InputError("--weights", "unknown_criterion", criterion=sorted(unknown)[0],
                         allowed=Message("criteria_or_schemes", criteria=", ".join(CRITERIA),
                                         schemes=", ".join(WEIGHT_SCHEMES[:-1])))
    return parsed


def site_ranking(ctx: typer.Context, site_file: Path, method: str | None, weights: str | None,
                  ahp: Path | None, with_domain: list[str] | None, lang: str = "both"):
    """Catalog, site, matrix, method and weights, as `rank` and `plan` both need them (the
    notes on stderr in `lang`)."""
    from ..decisions.matrix import decision_matrix
    from ..decisions.weights import choose_weights, read_ahp_file
    from ..inputs.site import load_site

    loaded = user_catalog(ctx)
    site = load_site(site_file, loaded)
    for domain in with_domain or []:
        check_domain(domain)
    chosen = method_name(method, site)
    criteria = tuple(site.weights)
    spec: str | dict[str, float] | None = weights_spec(weights)
    if isinstance(spec, dict):  # rank on exactly the criteria the weights name
        criteria = tuple(spec)
    if ahp is not None:
        spec, ratio = read_ahp_file(ahp)
        criteria = tuple(spec)
        say("ahp_weights", lang, file=ahp, ratio=f"{ratio:.3f}")
    matrix = decision_matrix(loaded, site, criteria, tuple(with_domain or ()))
    return loaded, site, matrix, chosen, choose_weights(matrix, site, spec)


DependenciesOption = Annotated[list[Path] | None, typer.Option(
    "--dependencies", metavar="FILE", help="Extra dependency file (YAML edges); repeatable.")]
MethodOption = Annotated[MethodChoice | None, typer.Option(
    "--method", "-m", help="Ranking method (default: the site's, or topsis).")]
WeightsOption = Annotated[str | None, typer.Option(
    "--weights", "-w", metavar="WEIGHTS",
    help="criterion=value,... or one of site, equal, entropy, critic.")]
AhpOption = Annotated[Path | None, typer.Option(
    help="AHP pairwise comparison file (criteria, matrix); rejected if CR > 0.1.")]
WithDomainOption = Annotated[list[DomainChoice] | None, typer.Option(
    "--with-domain", metavar="DOMAIN", help="Also consider this domain's measures (repeatable).")]


class Lang(StrEnum):
    zh = "zh"
    en = "en"
    both = "both"


# The language of the error line `main` prints: the command's --lang, set by the option's
# callback as click parses it; for a command without --lang, or an error before, both.
ERRORS_IN: ContextVar[str] = ContextVar("errors_in", default="both")


def errors_in(lang: Lang | None) -> Lang | None:
    """--lang's callback: the command's errors are said in its language too."""
    if lang is not None:
        ERRORS_IN.set(lang.value)
    return lang


PrintedLangOption = Annotated[Lang, typer.Option(
    "--lang", callback=errors_in,
    help="Printed titles, headers and sentences in Chinese, English or both "
    "(CSV and JSON keep their English).")]


class ChartFormat(StrEnum):
    png = "png"
    svg = "svg"
    pdf = "pdf"
    html = "html"  # interactive (inline SVG with tooltips), self-contained


ChartForceOption = Annotated[bool, typer.Option(
    "--force", help="Replace chart files an earlier roadmap command wrote (never others).")]


def check_chart_path(chart: Path | None, interactive: bool = False) -> None:
    """Reject a chart file name before any work, so nothing is written for a bad one."""
    from ..rendering.outputs import CHART_FORMATS, check_chart_format

    if chart is not None:
        check_chart_format(chart, (*CHART_FORMATS, "html") if interactive else CHART_FORMATS)


def check_chart_files(paths: list[Path], force: bool, option: str = "-o") -> None:
    """Before any work: a chart file already there is replaced only with --force, and only
    if roadmap wrote it (the error suggests another `option`, the command's own)."""
    from ..rendering.outputs import check_chart_file

    for path in paths:
        check_chart_file(path, force, option)


def records(frame) -> list[dict]:
    """A table as JSON records, its figures `rounded` as in the CSV files."""
    from ..rendering.cells import rounded

    return json.loads(rounded(frame).to_json(orient="records", force_ascii=False))
