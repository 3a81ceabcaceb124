"""The message catalogue file (rendering/messages.yaml), read once. It sits with the
utilities that import nothing of the package, so that errors.py words its lines from it
as rendering/messages.py words the reports."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml


def wording(entry: dict, lang: str, count: object = None) -> str:
    """An entry's text in zh or en; in en, its singular (`en_one`) when `count` is 1."""
    return entry["en_one"] if lang == "en" and count == 1 and "en_one" in entry else \
        entry[lang]


@cache
def catalogue() -> dict:
    text = files("roadmap.rendering").joinpath("messages.yaml").read_text("utf-8")
    # libyaml's C loader when PyYAML has it: 0.01 s instead of 0.1 s for this file
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
