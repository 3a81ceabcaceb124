"""Reading the user's input files: YAML with line numbers, and pydantic errors as one line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from difflib import get_close_matches
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import InputError

LINE_KEY = "__line__"
M = TypeVar("M", bound=BaseModel)


# libyaml's C parser when PyYAML was built with it (5x faster), the pure-Python one otherwise.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):
    """Safe YAML loader that remembers the line of every mapping (for error messages)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise InputError(path, "file not found") from None


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise InputError(path, "file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def read_yaml(path: Path) -> Any:
    """Parsed YAML where every mapping carries its line under `LINE_KEY`."""
    try:
        return yaml.load(read_text(path), Loader=_LineLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(path, f"malformed YAML: {problem}", where=where) from None


def without_lines(value: Any) -> Any:
    """The same data without the line markers."""
    if isinstance(value, dict):
        return {k: without_lines(v) for k, v in value.items() if k != LINE_KEY}
    if isinstance(value, list):
        return [without_lines(v) for v in value]
    return value


def validated(model: type[M], data: Any, path: str | Path, where: str | None,
              allowed: Mapping[str, str]) -> M:
    """`model` built from `data`, or one validation error as one `InputError`.

    An unknown field is reported before anything else: a misspelt key also makes its
    correct spelling "missing", and the misspelling is what the user must fix."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        raise _input_error(Path(path), where, error, model.model_fields, allowed) from None


def _input_error(path: Path, where: str | None, error: Mapping[str, Any],
                 fields: Iterable[str], allowed: Mapping[str, str]) -> InputError:
    """One pydantic error as an `InputError` naming the field and what it allows."""
    location = [str(part) for part in error["loc"] if not isinstance(part, int)]
    if location and location[-1] == "[key]":  # a mapping key outside its vocabulary
        location.pop()
        parent = ".".join(location[:-1])
        return InputError(path, "unknown key", where=where, field=".".join(location),
                          allowed=allowed.get(parent + ".*"))
    name = ".".join(location) if location else None
    described = allowed.get(location[0]) if location else None
    if error["type"] == "extra_forbidden":
        parent = location[:-1]
        options = allowed.get(".".join(parent) + ".*") if parent else ", ".join(fields)
        close = get_close_matches(location[-1], list(fields) if not parent else [], n=1)
        problem = f"unknown field; did you mean '{close[0]}'?" if close else "unknown field"
        return InputError(path, problem, where=where, field=name, allowed=options)
    if error["type"] == "missing":
        return InputError(path, "missing", where=where, field=name, allowed=described)
    message = str(error["msg"]).removeprefix("Value error, ")
    if name is None and ": " in message:  # a model-level check names its field first
        name, message = message.split(": ", 1)
        return InputError(path, message, where=where, field=name, allowed=allowed.get(name))
    value = error.get("input")
    shown = message if isinstance(value, dict | list) else f"{value!r} is not allowed"
    shown += _did_you_mean(error, value)
    return InputError(path, shown, where=where, field=name, allowed=described or message)


def _did_you_mean(error: Mapping[str, Any], value: Any) -> str:
    """A hint for the two usual slips: a percentage for a fraction, a misspelt choice."""
    limit = (error.get("ctx") or {}).get("le")
    if error["type"] == "less_than_equal" and limit == 1 and isinstance(value, int | float) \
            and 1 < value <= 100:
        return f"; did you mean {value / 100:g}?"
    if error["type"] == "literal_error" and isinstance(value, str):
        choices = re.findall(r"'([^']*)'", str((error.get("ctx") or {}).get("expected", "")))
        close = get_close_matches(value, choices, n=1, cutoff=0.75)
        if close:
            return f"; did you mean '{close[0]}'?"
    return ""
