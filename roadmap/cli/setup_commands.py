"""`roadmap init` and `roadmap check`: start a profile from a template, and check one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .common import DomainChoice, app, console, user_catalog

if TYPE_CHECKING:
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
    from ..errors import InputError
    from ..inputs.template import profile_template
    from ..rendering.outputs import write_atomically

    text = profile_template(domain.value)
    if output is None:
        typer.echo(text, nl=False)
        return
    if output.exists():
        raise InputError(output, "the file exists already", allowed="a new file name")
    write_atomically(output, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    typer.echo(f"wrote {output}", err=True)


@app.command("check")
def check_command(
    ctx: typer.Context,
    site_file: Annotated[Path, typer.Argument(
        metavar="SITE.yaml", help="Site profile to validate.")],
) -> None:
    """Validate a site profile and summarise it: baseline shares, measures excluded and why."""
    from rich.table import Table

    from ..decisions.matrix import decision_matrix
    from ..inputs.site import load_site

    loaded = user_catalog(ctx)
    site = load_site(site_file, loaded)
    matrix = decision_matrix(loaded, site)
    screen = console()
    screen.print(f"{site_file}: valid. {site.name} ({site.domain}), base year {site.base_year}, "
                 f"{site.total_baseline:,.0f} tCO2e/yr; {len(matrix.frame)} measures of "
                 f"{', '.join(site.domains)} will be ranked, {len(matrix.excluded)} excluded.")
    for note in site.notes:
        screen.print(f"note: {note}")
    screen.print(_plan_summary(site))
    shares = Table(title="Baseline by sector and carrier", title_justify="left")
    for column in ("sector", "carrier", "tCO2e/yr", "share"):
        shares.add_column(column, justify="left" if column in ("sector", "carrier") else "right")
    for (sector, carrier), tonnes in site.cells().items():
        shares.add_row(sector, carrier, f"{tonnes:,.0f}", f"{tonnes / site.total_baseline:.0%}")
    screen.print(shares)
    if len(matrix.excluded):
        reasons = matrix.excluded.groupby("reason", sort=False)["id"].agg(list)
        excluded = Table(title="Excluded measures", title_justify="left")
        for column in ("reason", "measures"):
            excluded.add_column(column)
        for reason, ids in reasons.items():
            excluded.add_row(str(reason), ", ".join(ids))
        screen.print(excluded)


def _plan_summary(site: Site) -> str:
    """One line on the profile's implementation section (or the default plan run will draw)."""
    plan = site.implementation
    if plan is None:
        return ("implementation: none in the profile; `roadmap run` drafts a first-phase plan "
                "of the roadmap's near-term measures with defaults by category.")
    works = [work for action in plan.actions for work in (action, *action.parts)]
    funded = sum(w.funding.market + w.funding.higher_government + w.funding.local_government
                 for w in works if w.funding is not None)
    parts = sum(len(action.parts) for action in plan.actions)
    return (f"implementation: {len(plan.actions)} actions ({parts} parts), "
            f"{len(plan.challenges)} challenges, {len(plan.indicators)} indicators, "
            f"funding {funded:,.0f} 10k yuan given.")
