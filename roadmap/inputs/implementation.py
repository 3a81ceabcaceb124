"""The profile's `implementation:` section: the first phase's actions (lead agency, operating
mode, quarters, funding split), the challenges they answer and the indicators they serve.

Errors name the line of the action, challenge or indicator they are about (see README,
'Implementation plan')."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ..errors import InputError, InvalidValue, Message
from .files import LINE_KEY, pydantic_message, without_lines

# The plan's categories: the town catalog's six (seed 003 table 7-2), by which defaults go.
PLAN_CATEGORIES = {"planning": "规划管理", "energy": "能源", "industry": "工业",
                   "transport": "交通", "building": "建筑", "agriculture": "农林业",
                   "waste": "环境卫生"}
PlanCategory = Literal["planning", "energy", "industry", "transport", "building",
                       "agriculture", "waste"]
MODES = ("government", "enterprise", "emc", "ppp")
Mode = Literal["government", "enterprise", "emc", "ppp"]
FUNDING_KEYS = ("market", "higher_government", "local_government")
QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
QUARTER_ALLOWED = Message("a_quarter")
NAME_ALLOWED = Message("a_name")
# What each field allows, by its name (the last part of the field's path).
ALLOWED = {
    "start": QUARTER_ALLOWED, "end": QUARTER_ALLOWED,
    **dict.fromkeys(FUNDING_KEYS, Message("an_amount")),
    "funding": Message("plan_funding", keys=", ".join(FUNDING_KEYS)),
    "mode": ", ".join(MODES), "category": ", ".join(PLAN_CATEGORIES),
    "name": NAME_ALLOWED, "lead": NAME_ALLOWED, "how": NAME_ALLOWED, "unit": NAME_ALLOWED,
    "measures": Message("plan_measures"),
    "actions": Message("plan_actions"), "id": Message("a_text_id"),
    "base": Message("a_number_or_name"), "targets": Message("plan_targets"),
}


class Text(BaseModel):
    """A name in Chinese and English (either may be missing; the other is shown)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str = Field("", max_length=200)
    en: str = Field("", max_length=200)

    @model_validator(mode="after")
    def _some(self) -> Text:
        if not (self.zh.strip() or self.en.strip()):
            raise InvalidValue("give_zh_or_en")
        return self


class Funding(BaseModel):
    """10k yuan (万元) from the market, higher-level (and international) government funds and
    the local government; a key left out is 0."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    market: float = Field(0.0, ge=0)
    higher_government: float = Field(0.0, ge=0)
    local_government: float = Field(0.0, ge=0)


def quarter_index(value: str | int, end: bool = False) -> int:
    """'2014Q3' -> 2014 * 4 + 2; a year is its first (or, for an end, its last) quarter."""
    if isinstance(value, int):
        return value * 4 + (3 if end else 0)
    year, quarter = QUARTER.match(value).groups()
    return int(year) * 4 + int(quarter) - 1


def quarter_label(index: int) -> str:
    return f"{index // 4}Q{index % 4 + 1}"


def _quarter(value: Any) -> Any:
    if value is None:
        return value
    if isinstance(value, bool) or not (isinstance(value, int) and 1990 <= value <= 2100 or
                                       isinstance(value, str) and QUARTER.match(value)
                                       and 1990 <= int(value[:4]) <= 2100):
        raise InvalidValue("not_a_quarter", value=repr(value))
    return value


class Work(BaseModel):
    """What an action and a part of one share: who leads, how, when, with what money."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=60)
    name: Text
    lead: Text | None = None
    mode: Mode | None = None
    how: Text | None = None  # the operating mode in the plan's words
    start: str | int | None = None
    end: str | int | None = None
    funding: Funding | None = None

    @field_validator("start", "end", mode="before")
    @classmethod
    def _quarters(cls, value: Any) -> Any:
        return _quarter(value)

    @model_validator(mode="after")
    def _order(self) -> Work:
        if self.start is not None and self.end is not None and \
                quarter_index(self.end, True) < quarter_index(self.start):
            raise InvalidValue("end_before_start", field="end", end=self.end, start=self.start)
        return self


class Action(Work):
    """One action of the plan; `parts` (each a row of the schedule) inherit its lead, mode,
    quarters and category where they give none."""

    category: PlanCategory | None = None
    measures: tuple[str, ...] = ()
    parts: tuple[Work, ...] = ()


class Challenge(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=60)
    name: Text
    actions: tuple[str, ...] = ()


class Indicator(Challenge):
    """An indicator with its unit, current value and target values by year."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    unit: Text | None = None
    base: float | Text | None = None
    targets: dict[int, float | Text] = Field(default_factory=dict)


class Implementation(BaseModel):
    """The profile's `implementation:` section."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    actions: tuple[Action, ...] = Field(min_length=1)
    challenges: tuple[Challenge, ...] = ()
    indicators: tuple[Indicator, ...] = ()

    @model_validator(mode="after")
    def _references(self) -> Implementation:
        ids = [a.id for a in self.actions] + [p.id for a in self.actions for p in a.parts]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise InvalidValue("id_used_twice", field="actions.id", id=repeated[0])
        known = [a.id for a in self.actions]
        for kind in ("challenges", "indicators"):
            for index, item in enumerate(getattr(self, kind)):
                unknown = [a for a in item.actions if a not in known]
                if unknown:
                    raise InvalidValue("unknown_action", field=f"{kind}.{index}.actions",
                                       action=unknown[0], allowed=", ".join(known))
        return self


def check_implementation(raw: Any, path: Any) -> Implementation:
    """The section validated; an error is one line naming the line of the item it is in."""
    try:
        return Implementation.model_validate(without_lines(raw))
    except ValidationError as exc:
        errors = exc.errors()
        error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        raise _error(raw, path, error) from None


def _error(raw: Any, path: Any, error: dict) -> InputError:
    location, message = list(error["loc"]), pydantic_message(error)
    checked, allowed = (error.get("ctx") or {}).get("error"), None
    if isinstance(checked, InvalidValue) and checked.field:
        # a check of the whole section, or of one of its items, names its field
        location += [int(p) if p.isdigit() else p for p in checked.field.split(".")]
        allowed = checked.allowed
    where = _line_at(raw, location)
    names = [str(p) for p in location if not isinstance(p, int)]
    if error["type"] == "extra_forbidden":
        return InputError(path, "unknown_field", where=where,
                          field=".".join(["implementation", *names]),
                          allowed=", ".join(_model_at(names[:-1]).model_fields))
    value = error.get("input")
    if error["type"] == "missing":
        problem = Message("missing")
    elif error["loc"] and not isinstance(value, dict | list):
        problem = Message("not_allowed", value=repr(value))
    else:
        problem = message
    leaf = next((n for n in reversed(names) if n in ALLOWED), None)
    if len(names) == 1 and names[0] in Implementation.model_fields:  # `actions: 5`
        allowed = allowed or Message("plan_section", section=names[0])
    return InputError(path, problem, where=where, field=".".join(["implementation", *names]),
                      allowed=allowed or ALLOWED.get(leaf or "", message))


def _model_at(names: list[str]) -> type[BaseModel]:
    """The model of the mapping at a field path (for the keys an unknown field could be)."""
    models = {"actions": Action, "parts": Work, "challenges": Challenge,
              "indicators": Indicator, "funding": Funding, "name": Text, "lead": Text,
              "how": Text, "unit": Text}
    return models[names[-1]] if names else Implementation


def _line_at(raw: Any, location: list) -> Message | None:
    """The line of the innermost mapping along `location` in the YAML as read."""
    line, node = None, raw
    for part in location:
        if isinstance(node, dict):
            line = node.get(LINE_KEY, line)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            break
    if isinstance(node, dict):
        line = node.get(LINE_KEY, line)
    return Message("line", line=line) if line else None
