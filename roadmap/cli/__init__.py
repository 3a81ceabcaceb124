"""The `roadmap` command line: a thin layer over the package's public functions.

One module per group of commands; each registers its commands on the shared Typer app.
"""

from __future__ import annotations

import gc
import sys

import typer

from ..errors import InputError, Message, holding_notes
from ..rendering.messages import each_language
from . import (  # noqa: F401 - importing registers the commands
    catalog_commands,
    pathway_commands,
    plan_commands,
    rank_commands,
    run_commands,
    setup_commands,
)
from .common import ERRORS_IN, app
from .usage import NoArgsIsHelp, UsageError, asked_language, usage_error


def main(argv: list[str] | None = None) -> None:
    """Run a command (`argv`, default the process's arguments): bad input ends with one line
    on stderr, in the command's --lang, and status 2 (tracebacks: --debug). The collector is
    left as it was."""
    args = sys.argv[1:] if argv is None else argv
    language = ERRORS_IN.set("both")  # until the command's --lang is parsed
    collecting = gc.isenabled()
    gc.disable()  # while the command imports its libraries: see `common.imports_done`
    try:
        with holding_notes() as notes:
            status = app(args=args, prog_name="roadmap", standalone_mode=False)
        for said in notes:  # after the work, so that an error's line stays alone
            typer.echo(each_language(Message("note", line=said).said, ERRORS_IN.get(), " / "),
                       err=True)
    except InputError as error:
        if "--debug" in args:
            raise
        typer.echo(error.line(ERRORS_IN.get()), err=True)
        sys.exit(2)
    except UsageError as error:  # click's own (a bad option value), as our one line too
        if isinstance(error, NoArgsIsHelp):
            error.show()
        else:
            typer.echo(usage_error(error).line(asked_language(args)), err=True)
        sys.exit(2)
    except typer.Abort:
        sys.exit(1)
    finally:  # as it was, unfrozen (a caller's own freeze too): the tests run commands in-process
        ERRORS_IN.reset(language)
        gc.unfreeze()
        if collecting:
            gc.enable()
    sys.exit(status if isinstance(status, int) else 0)


def program() -> None:
    """The `roadmap` program: `main`, then every object left frozen, as the process ends with
    the command: the interpreter's exit collects all it can (0.4 s after a run), never the
    frozen."""
    try:
        main()
    finally:
        gc.freeze()
