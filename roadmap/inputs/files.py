"""Reading the user's input files: YAML with line numbers, and pydantic errors as one line."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from difflib import get_close_matches
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..catalogue import catalogue
from ..errors import InputError, InvalidValue, Message, note
from .vocabulary import DOMAIN_NAMES_ZH

LINE_KEY = "__line__"
# A choice written by its Chinese name (园区) -> the value a file needs (park)
VALUES_OF_CHINESE = {chinese: value for value, chinese in DOMAIN_NAMES_ZH.items()}
M = TypeVar("M", bound=BaseModel)


# libyaml's C parser when PyYAML was built with it (5x faster), the pure-Python one otherwise.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Bounds on what one input file may cost. The largest shipped catalog is 14 KB, nests 4
# levels deep and uses no alias: these limits are far above any real file and far below
# what exhausts memory or the stack (a "billion laughs" file of 1 KB expands past 6 GB).
MAX_INPUT_BYTES = 4 * 1024 * 1024
MAX_ALIAS_VALUES = 100_000  # values that aliases may repeat, counted expanded
MAX_DEPTH = 64
MAX_UNPACKED_BYTES = 16 * MAX_INPUT_BYTES  # a workbook's XML, once unzipped


class _LineLoader(_SafeLoader):
    """Safe YAML loader that remembers the line of every mapping (for error messages),
    refuses duplicate keys, and bounds aliases and nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.repeated = 0
        self.sizes: dict[yaml.Node, int] = {}
        self.depth = 0

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:  # a node seen before: an alias (*name)
            self.repeated += _expanded_size(node, self.sizes)
            if self.repeated > MAX_ALIAS_VALUES:
                raise _refused(Message("aliases_repeat", count=MAX_ALIAS_VALUES),
                               node.start_mark)
        if isinstance(node, yaml.ScalarNode) and not node.style:  # plain, not quoted
            _check_full_width(node)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _refused(Message("nested_deeper", depth=MAX_DEPTH), node.start_mark)
            return super().construct_object(node, deep)
        finally:
            self.depth -= 1


def _refused(message: Message, mark: yaml.Mark,
             allowed: Message | None = None) -> yaml.constructor.ConstructorError:
    """PyYAML's error for what the loader refuses, with its catalogue message (and what is
    allowed) kept for the error line (`read_yaml`)."""
    error = yaml.constructor.ConstructorError(None, None, message.said("en"), mark)
    error.message, error.allowed = message, allowed
    return error


# A plain scalar that is keys or values typed with a Chinese input method's full-width
# punctuation: `electricity：100` (read as one word), `[rooftop，parking]` (one item). Only
# ASCII words around it: Chinese text may hold full-width punctuation of its own.
_FULL_WIDTH_COLON = re.compile(r"[A-Za-z0-9_.-]+ *：")
_FULL_WIDTH_COMMA = re.compile(r"[A-Za-z0-9_.-]+( *， *[A-Za-z0-9_.-]+)+")


def _check_full_width(node: yaml.ScalarNode) -> None:
    if _FULL_WIDTH_COLON.match(node.value):
        raise _refused(Message("full_width_colon"), node.start_mark, Message("ascii_colon"))
    if _FULL_WIDTH_COMMA.fullmatch(node.value):
        raise _refused(Message("full_width_comma"), node.start_mark, Message("ascii_comma"))


def _expanded_size(node: yaml.Node, sizes: dict[yaml.Node, int]) -> int:
    """How many values `node` stands for once every alias inside it is expanded."""
    if node not in sizes:
        children = (node.value if isinstance(node, yaml.SequenceNode) else
                    [v for pair in node.value for v in pair]
                    if isinstance(node, yaml.MappingNode) else [])
        sizes[node] = 1 + sum(_expanded_size(child, sizes) for child in children)
    return sizes[node]


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    seen: set[tuple[str, str]] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
            continue  # a merge key (<<) may override; a complex key is refused by PyYAML
        key = (key_node.tag, key_node.value)
        if key in seen:
            raise _refused(Message("duplicate_key", key=key_node.value), key_node.start_mark)
        seen.add(key)
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; refused when it is not a regular file or is larger than the limit."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "folder_not_file")
    try:
        with path.open("rb") as handle:
            if not path.is_file():  # /dev/zero, a pipe: may never end
                raise InputError(path, "not_a_regular_file")
            data = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise InputError(path, "file_not_found") from None
    except OSError as exc:
        raise InputError(path, "cannot_read", reason=exc.strerror) from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(path, "larger_than", size=MAX_INPUT_BYTES // 1024 // 1024,
                         allowed=Message("a_file_under_the_limit"))
    return data


def read_text(path: Path) -> str:
    """The file's text (`read_bytes`), which must be UTF-8."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:  # often GBK, as Chinese Windows saves by default
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(path, "not_utf8", reason=exc.reason, byte=exc.start,
                         where=Message("line", line=line),
                         allowed=Message("save_as_utf8")) from None


# Encodings a consultant's CSV comes in: Excel's "CSV UTF-8" (with a BOM), plain UTF-8, and
# Excel on Chinese Windows (GBK, of which GB18030 is a superset).
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def decoded_csv(path: Path) -> str:
    """The CSV's text; a file that is not UTF-8 is read as GB18030 and said so on stderr."""
    data = read_bytes(path)
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != CSV_ENCODINGS[0]:
            note(Message("read_as", path=path, encoding=encoding.upper()))
        return text
    raise InputError(path, "not_utf8_or_gb18030", allowed=Message("save_csv_as_utf8"))


def sheet_rows(path: Path, sheet: str | None = None) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cell values) of a workbook's sheet (the first by default), openpyxl."""
    from openpyxl import load_workbook

    packed = io.BytesIO(read_bytes(path))
    try:
        unpacked = sum(member.file_size for member in zipfile.ZipFile(packed).infolist())
        if unpacked > MAX_UNPACKED_BYTES:  # a "zip bomb": a few MB that unpack to GBs
            raise InputError(path, "unpacks_to_more", size=MAX_UNPACKED_BYTES // 2**20,
                             allowed=Message("a_workbook_under_the_limit"))
        book = load_workbook(packed, read_only=True, data_only=True)
        # the formulas too: one a program wrote has no value until Excel calculates it
        written = load_workbook(packed, read_only=True)
    except InputError:
        raise
    except Exception as exc:  # zipfile, openpyxl raise BadZipFile, KeyError... when damaged
        raise InputError(path, "not_a_workbook", reason=exc) from None
    if sheet is not None and sheet not in book.sheetnames:
        raise InputError(path, "no_sheet", sheet=sheet, field="sheet",
                         allowed=", ".join(book.sheetnames))
    name = sheet or book.sheetnames[0]
    rows = zip(book[name].iter_rows(values_only=True),
               written[name].iter_rows(values_only=True), strict=False)
    for number, (values, formulas) in enumerate(rows, start=1):
        _check_calculated(path, name, number, values, formulas)
        yield number, values


def _check_calculated(path: Path, sheet: str, number: int, values: tuple[Any, ...],
                      formulas: tuple[Any, ...]) -> None:
    """A formula cell without the value Excel keeps beside it (a workbook a program wrote
    and no one opened) would read as empty: refused, naming the cell."""
    from openpyxl.utils import get_column_letter

    for column, (value, formula) in enumerate(zip(values, formulas, strict=False), start=1):
        if value is None and str(getattr(formula, "text", formula) or "").startswith("="):
            raise InputError(path, "formula_without_value", where=Message(
                "sheet_cell", sheet=sheet, cell=f"{get_column_letter(column)}{number}"),
                allowed=Message("calculated_value"))


def xlsx_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The first sheet's rows as {header: text}, like `csv.DictReader`'s."""
    rows = (row for _, row in sheet_rows(path))
    header = [str(cell) if cell is not None else "" for cell in next(rows, ())]
    for row in rows:
        cells = ["" if cell is None else str(cell) for cell in row]
        if any(cells):  # Excel leaves formatted but empty rows behind
            yield dict(zip(header, cells, strict=False))


def read_yaml(path: Path) -> Any:
    """Parsed YAML where every mapping carries its line under `LINE_KEY`."""
    text = read_text(path)
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader
    except RecursionError:
        raise InputError(path, "malformed_yaml",
                         detail=Message("nested_deeper", depth=MAX_DEPTH)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Message("line", line=mark.line + 1) if mark else None
        problem = getattr(exc, "message", None) or getattr(exc, "problem", None) \
            or str(exc).splitlines()[0]  # PyYAML's own words are English
        if (line := _full_width_line(text, exc, "：")) is not None:
            raise InputError(path, "malformed_yaml", detail=Message("full_width_colon"),
                             where=Message("line", line=line),
                             allowed=Message("ascii_colon")) from None
        if "expected ','" in str(problem) and (line := _full_width_line(text, exc, "，")):
            raise InputError(path, "malformed_yaml", detail=Message("full_width_comma"),
                             where=Message("line", line=line),
                             allowed=Message("ascii_comma")) from None
        raise InputError(path, "malformed_yaml", detail=_yaml_problem(problem), where=where,
                         allowed=getattr(exc, "allowed", None)) from None


def _yaml_problem(problem: str | Message) -> str | Message:
    """PyYAML's problem as the catalogue's `yaml_` message whose English it is; any other
    as PyYAML words it."""
    for key, pattern in _yaml_patterns().items():
        if isinstance(problem, str) and (match := pattern.fullmatch(problem)):
            return Message(key, **match.groupdict())
    return problem


@cache
def _yaml_patterns() -> dict[str, re.Pattern]:
    """The `yaml_` messages' English as patterns: "found character {character} that..."
    matches PyYAML's "found character '\\t' that..."."""
    return {key: re.compile("".join(re.escape(text) + (f"(?P<{name}>.+)" if name else "")
                                    for text, name, _, _ in Formatter().parse(entry["en"])))
            for key, entry in catalogue()["error"].items() if key.startswith("yaml_")}


def _full_width_line(text: str, exc: yaml.YAMLError, mark: str) -> int | None:
    """The line (1-based) with a full-width colon where a key ends (or a full-width comma,
    `mark`), among those the parser's error points at (the key it was reading, where it
    stopped and the line before): `budget：20000` is read as one word, and the error comes
    on the next line."""
    lines = text.splitlines()
    marks = [mark.line for mark in (getattr(exc, "context_mark", None),
                                    getattr(exc, "problem_mark", None)) if mark]
    for index in sorted({*marks, *(line - 1 for line in marks[-1:])}):
        head = lines[index].split("#")[0] if 0 <= index < len(lines) else ""
        if mark in head and (mark == "，" or ":" not in head.split(mark)[0]):
            return index + 1
    return None


def without_lines(value: Any) -> Any:
    """The same data without the line markers."""
    if isinstance(value, dict):
        return {k: without_lines(v) for k, v in value.items() if k != LINE_KEY}
    if isinstance(value, list):
        return [without_lines(v) for v in value]
    return value


def validated(model: type[M], data: Any, path: str | Path, where: str | Message | None,
              allowed: Mapping[str, str]) -> M:
    """`model` built from `data`, or one validation error as one `InputError`.

    An unknown field is reported before anything else: a misspelt key also makes its
    correct spelling "missing", and the misspelling is what the user must fix."""
    try:
        value = model.model_validate(data)
    except ValidationError as exc:
        errors = [_in_data(data, e) for e in exc.errors()]
        error = next((e for e in errors if e["type"] == "extra_forbidden"), None) or \
            _closest(errors)
        raise _input_error(Path(path), where, error, written_fields(model), allowed) from None
    if (found := _unwritable(value.model_dump())) is not None:
        location, character = found
        raise InputError(path, "control_character", code=f"{ord(character):04X}",
                         where=where, field=".".join(location) or None,
                         allowed=Message("no_control_characters"))
    return value


def written_fields(model: type[BaseModel]) -> list[str]:
    """The fields a file may set: all but those the loader fills (`LOADER_FIELDS`)."""
    return [name for name in model.model_fields
            if name not in getattr(model, "LOADER_FIELDS", ())]


# What no output can hold: XML 1.0 (Word, Excel, SVG) refuses the C0 control characters but
# tab and line breaks, and a lone surrogate (from a JSON escape) is not UTF-8.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _unwritable(value: Any, location: tuple[str, ...] = ()) -> tuple[tuple[str, ...], str] | None:
    """(field path, character) of the first text in `value` that no output can hold."""
    if isinstance(value, str):
        match = UNWRITABLE.search(value)
        return (location, match[0]) if match else None
    items = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, list | tuple) else ()
    for key, item in items:
        inner = location if isinstance(key, int) else (*location, str(key))
        if (found := _unwritable(key, inner) or _unwritable(item, inner)) is not None:
            return found
    return None


# How pydantic names a union's branches in an error's location: float, dict[int,float]...
UNION_BRANCH = re.compile(r"(float|int|str|bool|none|[a-z][\w-]*\[.*\]|[A-Z]\w*)")


def _in_data(data: Any, error: Mapping[str, Any]) -> dict[str, Any]:
    """The error located in the data the user wrote: the names of union branches on the
    way ('growth_rate.float') are kept apart under `branch`."""
    kept, branch, node = [], [], data
    for part in error["loc"]:
        walkable = isinstance(node, dict) and part in node or isinstance(node, list) and \
            isinstance(part, int) and 0 <= part < len(node)
        if walkable or part == "[key]":
            node = node[part] if walkable else None
            kept.append(part)
        elif isinstance(part, str) and UNION_BRANCH.fullmatch(part):
            branch.append((len(kept), part))
        else:
            node = None
            kept.append(part)
    return {**error, "loc": tuple(kept), "branch": tuple(branch)}


def _closest(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The error of the union branch the value came closest to matching: the one found
    deepest in the data, then the one whose branch has the fewest errors ({industri: 0.01}
    is a misspelt sector, not a misspelt year)."""
    same_field = [e for e in errors if e["loc"][:1] == errors[0]["loc"][:1]]
    deepest = max(len(e["loc"]) for e in same_field)
    return min((e for e in same_field if len(e["loc"]) == deepest),
               key=lambda e: sum(o["branch"][:1] == e["branch"][:1] for o in errors))


def _input_error(path: Path, where: str | Message | None, error: Mapping[str, Any],
                 fields: Iterable[str], allowed: Mapping[str, str]) -> InputError:
    """One pydantic error as an `InputError` naming the field and what it allows."""
    location = [str(part) for part in error["loc"] if not isinstance(part, int)]
    if location and location[-1] == "[key]":  # a mapping key outside its vocabulary
        location.pop()
        parent = ".".join(location[:-1])
        return InputError(path, "unknown_key_hint", hint=_did_you_mean(error, location[-1]),
                          where=where, field=".".join(location),
                          allowed=allowed.get(parent + ".*") or ", ".join(_choices(error))
                          or allowed.get(location[0]))
    name = ".".join(location) if location else None
    described = allowed.get(location[0]) if location else None
    if error["type"] == "extra_forbidden":
        parent = location[:-1]
        options = allowed.get(".".join(parent) + ".*") if parent else ", ".join(fields)
        close = get_close_matches(location[-1], list(fields) if not parent else [], n=1)
        problem = Message("unknown_field_did_you_mean", suggestion=close[0]) if close \
            else Message("unknown_field")
        return InputError(path, problem, where=where, field=name, allowed=options)
    if error["type"] == "missing":
        return InputError(path, "missing", where=where, field=name, allowed=described)
    message, checked = pydantic_message(error), (error.get("ctx") or {}).get("error")
    if isinstance(checked, InvalidValue) and checked.field:
        # a check of the whole model, or of an entry of a list, names the field it is about
        field = checked.field if name is None else f"{name}.{checked.field}"
        return InputError(path, message, where=where, field=field,
                          allowed=checked.allowed or allowed.get(checked.field))
    value = error.get("input")
    shown = message if isinstance(value, dict | list) else \
        Message("not_allowed_hint", value=_quoted(value), hint=_did_you_mean(error, value))
    return InputError(path, shown, where=where, field=name, allowed=described or message)


# The pydantic error types our models meet, worded by messages.yaml `error` pydantic_TYPE
# with the error's ctx (the English is pydantic's own); any other keeps pydantic's English.
PYDANTIC_TYPES = ("missing", "extra_forbidden", "float_parsing", "float_type", "int_parsing",
                  "int_type", "int_from_float", "bool_parsing", "bool_type", "greater_than",
                  "greater_than_equal", "less_than", "less_than_equal", "finite_number",
                  "string_type", "list_type", "dict_type", "model_type",
                  "string_pattern_mismatch", "string_too_short", "string_too_long",
                  "too_short", "too_long", "tuple_type", "model_attributes_type",
                  "rate_range")  # the last, site.py's own (a PydanticCustomError for its `le`)


def pydantic_message(error: Mapping[str, Any]) -> Message:
    """A pydantic error's message in the catalogue's words: a check of ours (`InvalidValue`)
    its own, a choice of values ('a', 'b' or 'c') in each language's words."""
    context = error.get("ctx") or {}
    if isinstance(context.get("error"), InvalidValue):
        return context["error"].message
    if error["type"] in ("literal_error", "enum"):
        quoted = [f"'{choice}'" for choice in _choices(error)]
        expected = Message("choices", some=", ".join(quoted[:-1]), last=quoted[-1]) \
            if len(quoted) > 1 else context.get("expected", "")
        return Message("pydantic_literal_error", expected=expected)
    if error["type"] in PYDANTIC_TYPES:
        length = context.get("min_length", context.get("max_length"))
        shown = {name: _as_pydantic_writes(value) for name, value in context.items()}
        return Message(f"pydantic_{error['type']}", **shown, count=length)
    return Message("pydantic", text=str(error["msg"]).removeprefix("Value error, "))


def _as_pydantic_writes(value: Any) -> Any:
    """A limit as pydantic's message writes it: a whole float without its '.0' (0, 1)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _quoted(value: Any, limit: int = 60) -> str | Message:
    """The value as the error line shows it: a 20,000-character text is cut short."""
    if isinstance(value, str) and len(value) > limit:
        return Message("cut_short", start=repr(value[:limit]), count=f"{len(value):,}")
    return repr(value)


def _did_you_mean(error: Mapping[str, Any], value: Any) -> Message | str:
    """A hint for the usual slips: a percentage for a fraction (80, 8 or '2%': the field's
    limit `le` is at most 1 and the hundredth fits it), a misspelt choice or one named in
    Chinese (园区)."""
    limit = (error.get("ctx") or {}).get("le")
    if limit is not None and limit <= 1 and isinstance(value, int | float) \
            and 1 < abs(value) <= 100 and abs(value) / 100 <= limit:
        return Message("did_you_mean_number", suggestion=f"{value / 100:g}")
    if error["type"] == "literal_error" and isinstance(value, str):
        close = [VALUES_OF_CHINESE[value]] if VALUES_OF_CHINESE.get(value) in _choices(error) \
            else get_close_matches(value, _choices(error), n=1, cutoff=0.75)
        if close:
            return Message("did_you_mean", suggestion=close[0])
    percentage = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*%\s*", value) \
        if isinstance(value, str) else None
    if percentage:  # growth_rate: 2%
        return Message("did_you_mean_number", suggestion=f"{float(percentage[1]) / 100:g}")
    return ""


def _choices(error: Mapping[str, Any]) -> list[str]:
    """The values a Literal allows, from pydantic's error ('a', 'b' or 'c')."""
    return re.findall(r"'([^']*)'", str((error.get("ctx") or {}).get("expected", "")))
