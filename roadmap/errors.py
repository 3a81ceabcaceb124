"""Errors about a user's input, reported as one line naming the file, the place and the field,
in Chinese, English or both (the words from messages.yaml `error`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from .catalogue import catalogue, wording

# What analysis code that holds no file name raises about: the profile the analysis runs on,
# and the ranking method, which may come from the profile (field `method`) or the command line.
PROFILE = "site profile"
METHOD_OPTION = "--method"


class Message:
    """A message of the catalogue (messages.yaml `error`) and its parameters, said in zh or
    en when the line is written. A parameter that is a Message is said in the same language;
    any other (a file name, a value, a number) is shown as it is."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key, self.params = key, params
        catalogue()["error"][key]  # an unknown key fails where it is raised, not when shown

    def said(self, lang: str) -> str:
        params = {name: said(value, lang) for name, value in self.params.items()}
        return wording(catalogue()["error"][self.key], lang,
                       self.params.get("count")).format(**params)


def said(part: object, lang: str) -> str:
    """A Message in `lang` (zh or en); anything else (a list of allowed values) as it is."""
    return part.said(lang) if isinstance(part, Message) else str(part)


class InvalidValue(ValueError):
    """What a model's own check finds wrong (raised inside a pydantic validator, which keeps
    it as the error's ctx 'error'): the message, and for a check of the whole model the
    field it is about and what that allows. Its text is the English line's."""

    def __init__(self, problem: str | Message, *, field: str | None = None,
                 allowed: str | Message | None = None, **params: object) -> None:
        self.message = problem if isinstance(problem, Message) else Message(problem, **params)
        self.field, self.allowed = field, allowed
        english = self.message.said("en")
        super().__init__(f"{field}: {english}" if field else english)


class InputError(Exception):
    """Bad input: the CLI prints the message on one line and exits with status 2.

    `problem` is a key of messages.yaml `error` (its parameters given as keywords) or a
    Message; `where` and `allowed` are Messages, or text shown as it is in every language
    (a list of values). `str(error)`, `.problem`, `.where` and `.allowed` are English;
    `line(lang)` is the whole line in zh, en or both.

    >>> try:
    ...     roadmap.site_from_dict({"name": "x", "domain": "planet"}, "my-site.yaml")
    ... except roadmap.InputError as error:
    ...     print(error.file, error.field)
    my-site.yaml domain
    """

    def __init__(self, file: str | Path, problem: str | Message, *,
                 where: str | Message | None = None, field: str | None = None,
                 allowed: str | Message | None = None, **params: object) -> None:
        self.message = problem if isinstance(problem, Message) else Message(problem, **params)
        self.file, self.field, self._where, self._allowed = str(file), field, where, allowed
        self.where = None if where is None else said(where, "en")
        self.allowed = None if allowed is None else said(allowed, "en")
        self.problem = self.message.said("en")
        super().__init__(self._body("en"))

    def replaced(self, **parts: object) -> InputError:
        """The same error with other parts (file, where, field, allowed), in every language."""
        given = {"file": self.file, "where": self._where, "field": self.field,
                 "allowed": self._allowed} | parts
        return InputError(given.pop("file"), self.message, **given)

    def line(self, lang: str = "both") -> str:
        """The line the command line prints: `error: FILE: ...` in en, in zh, or in both the
        Chinese line / the English line (still one line)."""
        if lang == "both":
            return " / ".join(self.line(one) for one in ("zh", "en"))
        return Message("error", line=self._body(lang)).said(lang)

    def _body(self, lang: str) -> str:
        parts = [self.file, self._where and said(self._where, lang),
                 self.field and Message("field", field=self.field).said(lang),
                 self.message.said(lang)]
        line = Message("separator").said(lang).join(part for part in parts if part)
        if self._allowed:
            line += Message("allowed", allowed=said(self._allowed, lang)).said(lang)
        return line.translate(_ESCAPED)


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
            raise error.replaced(file=file) from None
        if error.file == METHOD_OPTION and method_option != METHOD_OPTION:
            raise error.replaced(file=method_option or file,
                                 field=None if method_option else "method") from None
        raise


# The notes a command has made so far (`note`), while the command line runs it; None elsewhere.
_HELD_NOTES: ContextVar[list[Message] | None] = ContextVar("held_notes", default=None)


def note(message: Message) -> None:
    """A note for the user on stderr (a CSV read as GBK): held while the command line runs
    a command, which prints it in the command's language unless the command ends in an
    error (whose line stays alone); elsewhere (the package used as a library) printed at
    once, in English."""
    held = _HELD_NOTES.get()
    if held is None:
        print(Message("note", line=message).said("en"), file=sys.stderr)
    else:
        held.append(message)


@contextmanager
def holding_notes() -> Iterator[list[Message]]:
    """The notes made inside (`note`), to be printed by the caller."""
    token = _HELD_NOTES.set([])
    try:
        yield _HELD_NOTES.get()
    finally:
        _HELD_NOTES.reset(token)

