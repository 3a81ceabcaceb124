"""`roadmap init` and `roadmap check`: start a profile from a template, and check one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..rendering.messages import column, each_language, listed, sentence, term, text
from ..rendering.numbers import money, tonnes
from .common import DomainChoice, Lang, PrintedLangOption, app, console, say, user_catalog

if TYPE_CHECKING:
    import pandas as pd
    from rich.table import Table

    from ..inputs.site import Site


@app.command("init")
def init_command(
    domain: Annotated[DomainChoice, typer.Option(
        "--domain", "-d", help="The site's domain.")] = DomainChoice.town,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="File to write (refused if it exists); standard output when "
        "omitted.")] = None,
) -> None:
    """Write a commented site-profile template: every key, its unit and an example."""
    from ..errors import InputError, Message
    from ..inputs.template import profile_template
    from ..rendering.outputs import write_atomically

    text = profile_template(domain.value)
    if output is None:
        typer.echo(text, nl=False)
        return
    if output.exists():
        raise InputError(output, "file_exists_already", allowed=Message("a_new_file_name"))
    write_atomically(output, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    say("wrote_file", path=output)


@app.command("check")
def check_command(
    ctx: typer.Context,
    site_file: Annotated[Path, typer.Argument(
        metavar="SITE.yaml", help="Site profile to validate.")],
    lang: PrintedLangOption = Lang.both,
) -> None:
    """Validate a site profile and summarise it: baseline shares, measures excluded and why."""
    from rich.table import Table

    from ..decisions.matrix import decision_matrix
    from ..decisions.ranking import no_gain_reasons
    from ..decisions.roadmap import budgeted_phases, exclusion_reasons
    from ..inputs.dependencies import check_include, load_dependencies
    from ..inputs.site import load_site

    loaded = user_catalog(ctx)
    site = load_site(site_file, loaded)
    graph = load_dependencies(loaded)
    check_include(site, graph)
    budgeted_phases(site, site.phase_budgets)
    matrix = decision_matrix(loaded, site)
    screen = console()
    screen.print(each_language(lambda one: text(
        "check_valid", one, file=site_file, site=site.name,
        domain=term("domain", site.domain, one), year=site.base_year,
        baseline=tonnes(site.total_baseline, one), count=len(matrix.frame),
        domains=listed((term("domain", d, one) for d in site.domains), one),
        excluded=len(matrix.excluded)), lang.value))
    for note in site.remarks():
        screen.print(each_language(lambda one, n=note: text("check_note", one,
                                                            note=sentence(n, one)), lang.value))
    screen.print(each_language(lambda one: _plan_summary(site, one), lang.value))
    shares = Table(title=text("check_baseline", lang), title_justify="left")
    for name in ("sector", "carrier"):
        shares.add_column(column(name, lang))
    shares.add_column(text("check_tonnes", lang), justify="right")
    shares.add_column(column("share", lang), justify="right")
    for (sector, carrier), emitted in site.cells().items():
        shares.add_row(term("sector", sector, lang), term("carrier", carrier, lang),
                       f"{emitted:,.0f}", f"{emitted / site.total_baseline:.0%}")
    screen.print(shares)
    if len(matrix.excluded):
        screen.print(_by_reason(text("excluded", lang), matrix.excluded, lang))
    blocked = exclusion_reasons(graph, site)
    shown = matrix.frame[matrix.frame["id"].isin(list(blocked))]
    if len(shown):
        screen.print(_by_reason(text("check_blocked", lang),
                                shown.assign(reason=shown["id"].map(blocked)), lang))
    if "site_abatement" in matrix.frame:  # the site model ran: what it finds gains nothing
        idle = matrix.frame.assign(reason=no_gain_reasons(matrix.frame))
        idle = idle[(idle["reason"] != "") & ~idle["id"].isin([*site.include, *blocked])]
        if len(idle):
            screen.print(_by_reason(text("check_no_gain", lang), idle, lang))


def _by_reason(title: str, measures: pd.DataFrame, lang: str) -> Table:
    """The ids of `measures` (id, reason) grouped by their reason, in `lang`."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for name in ("reason", "measures"):
        table.add_column(column(name, lang))
    for reason, ids in measures.groupby("reason", sort=False)["id"].agg(list).items():
        table.add_row(sentence(str(reason), lang), ", ".join(ids))
    return table


def _plan_summary(site: Site, lang: str) -> str:
    """One line on the profile's implementation section (or the default plan run will draw)."""
    plan = site.implementation
    if plan is None:
        return text("check_no_plan", lang)
    works = [work for action in plan.actions for work in (action, *action.parts)]
    funded = sum(w.funding.market + w.funding.higher_government + w.funding.local_government
                 for w in works if w.funding is not None)
    return text("check_plan", lang, actions=len(plan.actions),
                parts=sum(len(action.parts) for action in plan.actions),
                challenges=len(plan.challenges), indicators=len(plan.indicators),
                funding=money(funded, lang))
