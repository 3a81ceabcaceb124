"""Errors about a user's input, reported as one line naming the file, the place and the field."""

from __future__ import annotations

from pathlib import Path


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
        return message
