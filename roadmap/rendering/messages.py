"""The one message catalogue (messages.yaml): report words, column headers, vocabulary values,
the charts' words and the analysis' English sentences, in zh, en or both."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from types import MappingProxyType

from ..catalogue import catalogue, wording
from .style import label

VOCABULARIES = ("domain", "region", "phase", "criterion", "method", "target_kind", "source",
                "feature", "function", "period", "sector", "carrier", "scenario", "effect",
                "scale", "cost_basis")


def _both(entry: dict, lang: str, **params: object) -> str:
    if lang == "both" and "both" in entry:  # an entry that lays out both languages itself
        return entry["both"].format(**params)
    zh, en = (wording(entry, one, params.get("count")).format(**params) for one in ("zh", "en"))
    return label(zh, en, lang)


def text(key: str, lang: str, **params: object) -> str:
    """A report phrase; a missing key is a KeyError (the test suite checks every key)."""
    return _both(catalogue()["text"][key], lang, **params)


def each_language(build: Callable[[str], str], lang: str, joiner: str = "\n") -> str:
    """`build(lang)`; in both, the Chinese then the English, for text whose parts (numbers,
    terms) are written in one language each (`text` in both would repeat every term)."""
    if lang != "both":
        return build(lang)
    return joiner.join(build(one) for one in ("zh", "en"))


def plan_text(key: str, lang: str, **params: object) -> str:
    """A phrase of the implementation plan (messages.yaml `plan_text`)."""
    return _both(catalogue()["plan_text"][key], lang, **params)


def chart_text(key: str, lang: str, **params: object) -> str:
    """A chart's legend entry, axis label or one-line title (messages.yaml `chart`)."""
    return _both(catalogue()["chart"][key], lang, **params)


def chart_title(key: str, lang: str, **params: object) -> str:
    """A chart's title: in both languages on two lines, Chinese first, unless the entry
    lays them out itself (a site's bilingual name is not written twice)."""
    entry = catalogue()["chart"][key]
    if lang == "both" and "both" not in entry:
        return "\n".join(_both(entry, one, **params) for one in ("zh", "en"))
    return _both(entry, lang, **params)


def column(name: str, lang: str) -> str:
    """A table header; a column without an entry keeps its name (ids, criteria handled)."""
    if name.isdigit():  # a year
        return name
    criterion = name.removeprefix("contribution_")
    if criterion != name and criterion in catalogue()["criterion"]:  # its share of the score
        return label(*(text("contribution", one, criterion=term("criterion", criterion, one))
                       for one in ("zh", "en")), lang)
    entry = catalogue()["column"].get(name) or catalogue()["criterion"].get(name)
    if entry is None:
        raise KeyError(f"no header for column '{name}' in messages.yaml")
    return _both(entry, lang)


_SEED = re.compile(r"种子文件(\d{3})(?!\d)|seed (\d{3})(?!\d)")  # not "seed 20201" (a draw's)


def cite(value: str) -> str:
    """Text with the project's names of its source documents ("seed 000", 种子文件000)
    replaced by the documents' titles, in the language of each reference."""
    def title(match: re.Match) -> str:
        zh, en = match.groups()
        document = catalogue()["document"].get(zh or en)
        return match.group(0) if document is None else document["zh" if zh else "en"]

    return _SEED.sub(title, value)


def term(kind: str, value: str, lang: str) -> str:
    """A vocabulary value (domain, region, source...) in the report's language."""
    return _both(catalogue()[kind][value], lang)


def assumption_origin(name: str, lang: str) -> str:
    entry = catalogue()["assumption"][name]
    return label(entry["origin_zh"], entry["origin_en"], lang)


def profile_key(path: str, lang: str) -> str:
    """A profile key path (baseline.electricity) in words: 基准排放 · 电力."""
    parts = path.split(".")
    words = [_both(catalogue()["profile_key"][parts[0]], lang)
             if parts[0] in catalogue()["profile_key"] else parts[0]]
    return " · ".join(words + [_vocabulary_word(p, lang) for p in parts[1:]])


def word(value: str, lang: str) -> str:
    """A vocabulary word of any kind (a cell industry.coal word by word) in `lang`; anything
    else (an id, a number) as it is."""
    return _vocabulary_word(value, lang)


def _vocabulary_word(word: str, lang: str) -> str:
    if "." in word and not word.replace(".", "").isdigit():  # a cell: industry.coal
        return "·".join(_vocabulary_word(part, lang) for part in word.split("."))
    for kind in VOCABULARIES:
        if word in catalogue()[kind]:
            return _both(catalogue()[kind][word], lang)
    names = _NAMES.get()
    return _both(names[word], lang) if word in names else word  # an id (named), a number


NUMBER = re.compile(r"-?\d{1,3}(,\d{3})*(\.\d+)?%?")


@cache
def _patterns() -> list[tuple[re.Pattern, dict]]:
    patterns = []
    for entry in catalogue()["sentence"]:
        regex = re.escape(entry["en"])
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", regex)
        patterns.append((re.compile(f"^{regex}$"), entry))
    return patterns


# The measures' names by id, {id: {"zh": ..., "en": ...}}, while a report or a table is
# written (`measure_names`): a sentence a reader sees names a measure, never its id.
_NAMES: ContextVar[Mapping[str, Mapping[str, str]]] = ContextVar("measure_names",
                                                                default=MappingProxyType({}))


@contextmanager
def measure_names(catalog: Iterable) -> Iterator[None]:
    """Within the block, `sentence` writes the id of a measure of the catalog (anything with
    id, name_zh and name_en) as its name in the sentence's language (调整产业结构,
    Industrial restructuring)."""
    token = _NAMES.set({tech.id: {"zh": tech.name_zh, "en": tech.name_en} for tech in catalog})
    try:
        yield
    finally:
        _NAMES.reset(token)


def sentence(english: str, lang: str) -> str:
    """An English sentence of the analysis (an exclusion reason, a 'why') in `lang`; parts
    joined by '; ' are translated one by one, measure ids named (`measure_names`). Unknown
    sentences are a KeyError."""
    if not english or (lang == "en" and not _NAMES.get()):
        return english
    return ("；" if lang == "zh" else "; ").join(_part(p, lang) for p in english.split("; "))


def _part(english: str, lang: str) -> str:
    for pattern, entry in _patterns():
        match = pattern.match(english)
        if match:
            said = {one: entry[one].format(**{k: _parameter(v, one)
                                              for k, v in match.groupdict().items()})
                    for one in ("zh", "en")}
            return said[lang] if lang in said else f"{said['zh']} ({said['en']})"
    raise KeyError(f"no translation for '{english}' in messages.yaml")


def listed(items: Iterable[str], lang: str) -> str:
    """Items as a list in one language: 甲、乙 in Chinese, a, b in English."""
    return ("、" if lang == "zh" else ", ").join(items)


def _parameter(value: str, one: str) -> str:
    """A nested sentence ("included by the profile (needs port, ...)") or a word list (one
    word, a measure's id, alike: `_vocabulary_word`), in the language `one`."""
    if NUMBER.fullmatch(value):  # "-2,671" is a number, not a list of two words
        return value
    try:
        return _part(value, one)
    except KeyError:
        return listed((_vocabulary_word(w.strip(), one) for w in value.split(",")), one)
