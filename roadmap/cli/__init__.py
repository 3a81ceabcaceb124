"""The `roadmap` command line: a thin layer over the package's public functions.

One module per group of commands; each registers its commands on the shared Typer app.
"""

from __future__ import annotations

import gc
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

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
    with interrupts_seen() as interrupted:
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
                typer.echo(usage_error(error, args).line(asked_language(args)), err=True)
            sys.exit(2)
        except typer.Abort:
            sys.exit(1)
        except Exception:
            if not interrupted or "--debug" in args:
                raise
            sys.exit(130)  # Ctrl-C, which a library's C code reported as an error of its own
        finally:  # as it was, unfrozen (a caller's own freeze too): tests run commands in-process
            ERRORS_IN.reset(language)
            gc.unfreeze()
            if collecting:
                gc.enable()
    sys.exit(status if isinstance(status, int) else 0)


@contextmanager
def interrupts_seen() -> Iterator[list[int]]:
    """Ctrl-C raises KeyboardInterrupt as usual and is remembered (the list is not empty):
    C code that sees the KeyboardInterrupt may raise an error of its own instead
    (matplotlib: ImportError "initialization failed" while loading its renderer, ValueError
    "Invalid bounding box"), and the command still ends as interrupted. Only where Python's
    own handler is in place (the main thread; not where the signal is ignored)."""
    seen: list[int] = []
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield seen
        return

    def remembered(number: int, frame) -> None:
        seen.append(number)
        signal.default_int_handler(number, frame)

    previous = signal.signal(signal.SIGINT, remembered)
    try:
        yield seen
    finally:
        signal.signal(signal.SIGINT, previous)


def program() -> None:
    """The `roadmap` program: `main`, then every object left frozen, as the process ends with
    the command: the interpreter's exit collects all it can (0.4 s after a run), never the
    frozen."""
    try:
        main()
    finally:
        gc.freeze()
