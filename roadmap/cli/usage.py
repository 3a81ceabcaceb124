"""typer's (click's) own errors about the command line (`--method topsys`, `--draws -5`, an
unknown option) as the one-line InputError every other bad input gives, in the catalogue's
words: typer checks a value with pydantic and keeps pydantic's error as the cause."""

from __future__ import annotations

import re
import sys
import typing
from enum import Enum
from typing import Any

import typer

from ..errors import InputError, Message
from .common import ERRORS_IN, Lang

# click's exceptions: click.exceptions, or the copy typer bundles since 0.2x
_click = sys.modules[typer.BadParameter.__module__]
UsageError = _click.UsageError
# `roadmap` or `roadmap catalog` alone: the help, shown as click shows it (older click: none)
NoArgsIsHelp = getattr(_click, "NoArgsIsHelpError", ())
# click names words left over after the options and arguments only in its message
EXTRA = re.compile(r"unexpected extra arguments?(?:\(s\))? \((?P<words>.*)\)$")


def usage_error(error: Any, args: list[str]) -> InputError:
    """The InputError of click's `error` (a UsageError) on the command line `args`: the
    option (or the command) it is about, the problem in our words and, for a choice, the
    values allowed."""
    param, command = getattr(error, "param", None), _command(error)
    if extra := EXTRA.search(error.format_message()):
        return InputError(command, "unexpected_argument", words=extra["words"],
                          hint=_value_option_hint(error, args, extra["words"].split()[0]),
                          allowed=Message("see_help", command=command))
    if isinstance(error, _click.MissingParameter) and param is not None:
        choices = _choices(param)
        return InputError(command, "missing_argument", name=_option_name(param),
                          allowed=", ".join(choices) if choices else None)
    if isinstance(error, _click.BadParameter) and param is not None:
        option = _option_name(param)
        cause = error.__cause__
        details = cause.errors(include_url=False) if hasattr(cause, "errors") else []
        if choices := _choices(param):
            given = details[0]["input"] if details else None
            return InputError(option, "not_allowed", value=repr(given),
                              allowed=", ".join(choices))
        if details:
            from ..inputs.files import pydantic_message

            return InputError(option, pydantic_message(details[0]))
    name = getattr(error, "option_name", None)
    if isinstance(error, _click.NoSuchOption):
        close = getattr(error, "possibilities", None)  # click's own near misses, closest first
        hint = Message("did_you_mean", suggestion=close[0]) if close else ""
        return InputError(command, "no_such_option", option=name, hint=hint,
                          allowed=Message("see_help", command=command))
    if isinstance(error, _click.BadOptionUsage) and name:
        return InputError(name, "option_needs_value")
    return InputError(command, "command_line", text=error.format_message(),
                      allowed=Message("see_help", command=command))


def _value_option_hint(error: Any, args: list[str], word: str) -> Message | str:
    """`--budget 20000`: the option taking a value whose name starts with the switch's
    (`--budget-amount 20000`), when the word left over follows a switch; else no hint."""
    context = getattr(error, "ctx", None)
    if context is None or word not in args or args.index(word) == 0:
        return ""
    flag = args[args.index(word) - 1]
    params = context.command.params
    if not any(flag in param.opts and getattr(param, "is_flag", False) for param in params):
        return ""
    valued = sorted(name for param in params if not getattr(param, "is_flag", True)
                    for name in param.opts if name.startswith(flag + "-"))
    return Message("did_you_mean", suggestion=f"{valued[0]} {word}") if valued else ""


def _command(error: Any) -> str:
    context = getattr(error, "ctx", None)
    return context.command_path if context is not None else "roadmap"


def _option_name(param: Any) -> str:
    """`--method` for an option (its long name), `SITE.yaml` for an argument."""
    long_names = [name for name in param.opts if name.startswith("--")]
    return long_names[0] if long_names else param.metavar or param.name.upper()


def _choices(param: Any) -> tuple[str, ...]:
    """The values an option of an Enum (or a list of one) takes; () for any other."""
    runtime = getattr(param, "get_runtime_param", None)  # typer's own parameters (0.2x)
    annotation = runtime().annotation if runtime else None
    for kind in (annotation, *typing.get_args(annotation)):
        if isinstance(kind, type) and issubclass(kind, Enum):
            return tuple(str(member.value) for member in kind)
    return ()


def asked_language(args: list[str]) -> str:
    """The command's --lang as written anywhere on the command line (the last), for an
    error click finds before it reaches the option; else the language set so far."""
    values = [value for flag, value in zip(args, args[1:], strict=False) if flag == "--lang"]
    values += [arg.removeprefix("--lang=") for arg in args if arg.startswith("--lang=")]
    known = [value for value in values if value in Lang.__members__]
    return known[-1] if known else ERRORS_IN.get()
