"""`roadmap catalog ...`: browse, export and validate the catalogs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputError, Message
from ..inputs.vocabulary import DOMAIN_NAMES_ZH
from ..rendering.cells import formula_warnings, to_csv
from ..rendering.messages import text
from ..rendering.numbers import number
from .common import (
    ERRORS_IN,
    DomainOption,
    ExportFormat,
    ListFormat,
    catalog_app,
    check_domain,
    console,
    user_catalog,
)

# The catalog commands print English, as their ids, field names and the catalog files do.
LANG = "en"

if TYPE_CHECKING:
    from rich.table import Table

    from ..inputs.catalog import Catalog, Technology


@catalog_app.command("list")
def catalog_list(
    ctx: typer.Context,
    domain: DomainOption = None,
    category: Annotated[str | None, typer.Option(help="Only this category (Chinese or English).")]
    = None,
    min_stars: Annotated[int, typer.Option(help="Minimum recommendation grade ★.", min=1, max=5)]
    = 1,
    output_format: Annotated[ListFormat, typer.Option(
        "--format", "-f", help="Output as a table, CSV or JSON.")] = ListFormat.table,
) -> None:
    """List technologies, optionally of one domain."""
    check_domain(domain)
    _print_catalog(user_catalog(ctx).filter(domain=domain, category=category,
                                            min_recommendation=min_stars), output_format)


@catalog_app.command("search")
def catalog_search(
    ctx: typer.Context,
    words: Annotated[str, typer.Argument(
        metavar="TEXT", help="Part of an id, a name or a category, in Chinese or English "
        "(case ignored): 光伏, heat pump, park-.")],
    domain: DomainOption = None,
    output_format: Annotated[ListFormat, typer.Option(
        "--format", "-f", help="Output as a table, CSV or JSON.")] = ListFormat.table,
) -> None:
    """Find technologies by a word of their id, names or categories (as `catalog list`)."""
    check_domain(domain)
    found = user_catalog(ctx).filter(domain=domain).search(words)
    if not len(found):
        typer.echo(text("catalog_no_match", LANG, words=words), err=True)
    _print_catalog(found, output_format)


def _print_catalog(selected: Catalog, output_format: ListFormat) -> None:
    """The entries as a table, CSV or JSON on standard output."""
    if output_format is ListFormat.csv:
        typer.echo(to_csv(selected.to_frame(), exact=True), nl=False)
    elif output_format is ListFormat.json:
        typer.echo(selected.to_frame().to_json(orient="records", force_ascii=False, indent=1))
    else:  # the table needs no pandas
        console().print(_list_table(selected))


def _list_table(selected: Catalog) -> Table:
    from rich.table import Table

    table = Table(title=text("catalog_count", LANG, count=len(selected)), show_lines=False)
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
def catalog_show(ctx: typer.Context,
    tech_id: Annotated[str, typer.Argument(metavar="ID", help="A technology id.")]) -> None:
    """Show one technology in full."""
    from rich.table import Table

    loaded = user_catalog(ctx)
    if tech_id not in loaded:
        raise InputError("catalog", "unknown_technology_id", id=tech_id,
                         allowed=Message("an_id_from_the_list"))
    tech = loaded.get(tech_id)
    table = Table(show_header=False, title=tech.label)
    table.add_column("field", style="bold")
    table.add_column("value")
    for name, value in tech.model_dump().items():
        if name == "effect":
            value = _effect_text(tech)
        elif isinstance(value, list | tuple):
            value = ", ".join(value) or "-"
        elif isinstance(value, dict):
            value = str(getattr(tech, name))
        table.add_row(name, "-" if value is None else str(value))
    table.add_row("origin", loaded.origins[tech_id])
    table.add_row("restated by", ", ".join(loaded.restated_by(tech_id)) or "-")
    console().print(table)


def _effect_text(tech: Technology) -> str:
    """What the measure does in the site model, in words: 'electrification of transport.oil
    to electricity, energy ratio 0.3: electric drive uses...' (the default from `addresses`
    said so when the entry has no `effect`)."""
    effect = tech.acts
    text = effect.type + (f" of {', '.join(effect.cells)}" if effect.cells else "")
    if effect.to:
        text += (" burning " if effect.type == "supply" else " to ") + effect.to + \
            (f" (priced as {effect.priced_as})" if effect.priced_as else "")
    if effect.ratio is not None:
        text += f", energy ratio {number(effect.ratio)}"
    if effect.scale:
        text += f", scale {effect.scale}"
    if tech.effect is None:
        text += " (the default for its `addresses`)"
    return text + (f": {effect.why}" if effect.why else "")


@catalog_app.command("export")
def catalog_export(
    ctx: typer.Context,
    output_format: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="File format.")] = ExportFormat.csv,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; CSV goes "
                                                "to standard output when omitted.")] = None,
    domain: DomainOption = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an earlier export (only a catalog export).")] = False,
) -> None:
    """Export the catalog (all columns) as CSV or an Excel workbook."""
    from ..inputs.catalog import FRAME_COLUMNS
    from ..rendering.outputs import check_output_file, write_atomically

    check_domain(domain)
    if output is not None:
        check_output_file(output, force, FRAME_COLUMNS, "catalog_export")
    frame = user_catalog(ctx).filter(domain=domain).to_frame()
    if output is None:
        if output_format is ExportFormat.xlsx:
            raise InputError("--output", "xlsx_needs_a_file", allowed="-o FILE.xlsx")
        typer.echo(to_csv(frame, exact=True), nl=False)
        return
    if output_format is ExportFormat.xlsx:
        from ..rendering.office import write_sheets

        write_atomically(output, lambda tmp: write_sheets({"catalog": frame}, tmp))
    else:
        write_atomically(output, lambda tmp: to_csv(frame, tmp, exact=True))
    typer.echo(text("catalog_written", LANG, count=len(frame), file=output), err=True)


@catalog_app.command("validate")
def catalog_validate(
    ctx: typer.Context, files: Annotated[list[Path], typer.Argument(
        metavar="FILE...", help="Catalog files: .yaml, .yml, .csv or .xlsx.")],
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="List the built-in entries each file overrides.")] = False,
) -> None:
    """Check user catalog files (YAML or CSV), each on its own and merged with the built-ins."""
    from ..inputs.catalog import load_catalog

    failures = 0
    for path in files:
        try:
            merged = load_catalog(path)
        except InputError as error:
            if ctx.obj["debug"]:
                raise
            typer.echo(error.line(ERRORS_IN.get()), err=True)
            failures += 1
            continue
        count = sum(1 for origin in merged.origins.values() if origin == str(path))
        replaced = [o.id for o in merged.overrides if o.file == str(path)]
        note = text("catalog_overrides", LANG, count=len(replaced)) if replaced else ""
        typer.echo(text("catalog_valid", LANG, path=path, count=count) + note)
        for tech_id in replaced if verbose else ():
            typer.echo(text("catalog_overridden", LANG, id=tech_id))
        mine = [tech.model_dump(mode="json") for tech in merged
                if merged.origins[tech.id] == str(path)]
        for line in formula_warnings(mine, path):
            typer.echo(line, err=True)
    if failures:
        raise typer.Exit(2)


@catalog_app.command("summary")
def catalog_summary(ctx: typer.Context) -> None:
    """Entries, categories and grades per domain."""
    from rich.table import Table

    frame = user_catalog(ctx).to_frame()
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
    console().print(table)
