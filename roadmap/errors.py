"""Errors about a user's input, reported as one line naming the file, the place and the field."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# What analysis code that holds no file name raises about: the profile the analysis runs on,
# and the ranking method, which may come from the profile (field `method`) or the command line.
PROFILE = "site profile"
METHOD_OPTION = "--method"


class InputError(Exception):
    """Bad input: the CLI prints the message on one line and exits with status 2.

    >>> try:
    ...     roadmap.site_from_dict({"name": "x", "domain": "planet"}, "my-site.yaml")
    ... except roadmap.InputError as error:
    ...     print(error.file, error.field)
    my-site.yaml domain
    """

    def __init__(self, file: str | Path, problem: str, *, where: str | None = None,
                 field: str | None = None, allowed: str | None = None) -> None:
        self.file, self.where, self.field, self.allowed = str(file), where, field, allowed
        self.problem = problem
        super().__init__(self._line())

    def _line(self) -> str:
        parts = [self.file]
        if self.where:
            parts.append(self.where)
        if self.field:
            parts.append(f"field '{self.field}'")
        message = ": ".join(parts) + f": {self.problem}"
        if self.allowed:
            message += f" (allowed: {self.allowed})"
        return message.translate(_ESCAPED)


# Control characters from the user's files (a key "bad\nkey", a terminal's escape sequence)
# written as escapes: the error stays one line and cannot restyle or retitle the terminal.
_ESCAPED = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F)}


@contextmanager
def naming_the_profile(file: str | Path, method_option: str | None) -> Iterator[None]:
    """Errors raised inside name the profile `file` instead of PROFILE; those about the
    ranking method (METHOD_OPTION) name the option that chose it (`method_option`, e.g.
    "--methods"), or the profile's field `method` when it is None (the profile chose)."""
    try:
        yield
    except InputError as error:
        if error.file == PROFILE:
            raise InputError(file, error.problem, where=error.where, field=error.field,
                             allowed=error.allowed) from None
        if error.file == METHOD_OPTION and method_option != METHOD_OPTION:
            raise InputError(method_option or file, error.problem, where=error.where,
                             field=None if method_option else "method",
                             allowed=error.allowed) from None
        raise
