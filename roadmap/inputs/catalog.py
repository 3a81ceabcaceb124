"""Technology catalogs: the typed entry, file readers (YAML, CSV) and the merged `Catalog`.

The built-in catalogs hold every row of the study's tables 2-2, 3-2, 4-5, 5-2, 6-2
and 7-2 (seed 003). A user's files are read the same way and merged on top: an
entry whose id already exists replaces it, and the replacement is recorded in
`Catalog.overrides`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..display import preview
from ..errors import InputError, InvalidValue, Message, note

if TYPE_CHECKING:
    import pandas as pd
from .files import LINE_KEY, decoded_csv, read_yaml, validated, without_lines, xlsx_rows
from .vocabulary import (
    ADDRESSES,
    APPLICABILITIES,
    CELLS_OF_SOURCE,
    DOMAINS,
    EFFECT_TYPES,
    FEATURES,
    FUELS,
    PERIODS,
    SUPPLY_SCALES,
    Address,
    Applicability,
    Carrier,
    Domain,
    EffectType,
    Period,
    SupplyScale,
    expand_cells,
    period_index,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
LIST_FIELDS = ("addresses", "requires", "requires_any", "restates", "covers", "alternatives")

# What each field accepts, quoted in error messages.
ALLOWED = {
    "id": Message("entry_id"),
    "domain": ", ".join(DOMAINS),
    "application_period": Message("application_period", periods=", ".join(PERIODS)),
    "popularization_period": Message("popularization_period", periods=", ".join(PERIODS)),
    "abatement": Message("a_grade"),
    "economics": Message("a_grade"),
    "recommendation": Message("a_grade"),
    "applicability": Message("entry_applicability", values=", ".join(APPLICABILITIES)),
    "addresses": Message("entry_addresses", sources=", ".join(ADDRESSES)),
    "requires": Message("entry_requires", features=", ".join(FEATURES)),
    "requires_any": Message("entry_requires_any"),
    "restates": Message("entry_restates"),
    "covers": Message("entry_covers"),
    "alternatives": Message("entry_alternatives"),
    "effect": Message("entry_effect", types="|".join(EFFECT_TYPES),
                      scales="|".join(SUPPLY_SCALES)),
    "effect.*": "type, cells, to, ratio, priced_as, scale, cap, why, completes",
    "effect.completes": Message("a_catalog_id"),
}

# Columns of `Catalog.to_frame()`, in order; documented in the README.
FRAME_COLUMNS = [
    "id", "domain", "category", "subcategory", "name_zh", "name_en",
    "application_period", "popularization_period",
    "abatement", "economics", "recommendation", "applicability",
    "addresses", "requires", "requires_any", "restates", "covers", "alternatives", "effect",
    "new_build_only", "category_en", "subcategory_en", "source", "origin", "note",
]


class Source(BaseModel):
    """Where an entry's figures come from: a document and, for the study, its table and row.

    >>> str(catalog.get("trn-electric-vehicles").source)
    '003_3ce55c4074478d6b.txt table 3-2 row 1'
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    document: str
    table: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        text = self.document
        if self.table:
            text += f" table {self.table}"
        if self.row is not None:
            text += f" row {self.row}"
        return text

    @classmethod
    def parse(cls, text: str) -> Source:
        """Inverse of `str()`, so that a CSV export reads back unchanged."""
        match = re.fullmatch(r"(?P<document>.+?) table (?P<table>\S+)(?: row (?P<row>\d+))?", text)
        if match is None:
            return cls(document=text)
        return cls(**{k: v for k, v in match.groupdict().items() if v is not None})


# The first year of each study period; a measure applied before 2020 starts in 2020.
PERIOD_START = {"2020-2025": 2020, "2025-2035": 2025, "2035-2050": 2035}


def application_year(tech: Technology) -> int:
    """First year of expected application (△); measures applied before 2020: 2020."""
    return PERIOD_START[tech.application_period] if tech.application_period else 2020


def earliest_start(tech: Technology, first_year: int) -> int:
    """The first year a site can start a measure: the site's first year (`Site.
    first_start_year`), and not before the study's application period (a measure in use
    before 2020 can start at once)."""
    return first_year if tech.mature else max(application_year(tech), first_year)


def popularization_year(tech: Technology) -> int:
    """First year of the popularisation period (○)."""
    return PERIOD_START[tech.popularization_period] if tech.popularization_period else 2020


# Effect types that act on named cells, and those that need a `to` carrier and a ratio.
CELL_EFFECTS = ("efficiency", "structure", "electrification", "fuel_switch", "capture")
MOVING_EFFECTS = ("electrification", "fuel_switch")


class Effect(BaseModel):
    """What a measure does in the site model (the README's model page): its type, the
    sector x carrier cells it acts on, where moved energy goes and at what ratio (energy of
    `to` per unit of energy removed; for supply, the fuel burned per unit generated), the
    supply technology, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: EffectType
    cells: tuple[str, ...] = ()
    to: Carrier | None = None
    ratio: float | None = Field(None, ge=0, le=5)
    # the carrier whose price the `to` fuel is bought at, when the fuel's own price is not
    # its price (biodiesel and bio-jet fuel are liquid fuels, not pellets: priced as oil)
    priced_as: Carrier | None = None
    scale: SupplyScale | None = None
    # the share of its cells (supply: of the site's electricity) it reaches at full
    # adoption where the ▼ grade's (`Assumptions.caps`) does not fit the technology (a
    # chain's part: the share of the chain's tonnes it handles, which sizes its capex; 0: it
    # cuts nothing at the site, as a load shift that saves no energy): a project
    # assumption, which `why` explains
    cap: float | None = Field(None, ge=0, le=1)
    why: str | None = None
    # the measure whose chain this one completes (CO2 storage completes capture): no cut of
    # its own, the chain's tonnes are credited on that measure and size this one's capex
    completes: str | None = None

    @property
    def non_energy_only(self) -> bool:
        """Whether it acts on non-energy emissions only (process, waste, farming): it saves
        no energy."""
        return bool(self.cells) and all(carrier == "non_energy"
                                        for _, carrier in expand_cells(self.cells))

    @model_validator(mode="after")
    def _consistent(self) -> Effect:
        expand_cells(self.cells)
        if self.type in CELL_EFFECTS and not self.cells:
            raise InvalidValue("effect_needs_cells", type=self.type)
        if self.type in ("supply", "sink") and self.cells:
            raise InvalidValue("effect_takes_no_cells", type=self.type)
        if self.type == "electrification" and self.to not in (None, "electricity"):
            raise InvalidValue("electrification_to")
        if self.type in MOVING_EFFECTS and self.ratio is None:
            raise InvalidValue("effect_needs_ratio", type=self.type)
        if self.type == "supply" and self.to is not None:
            # the fuel a generator burns is costed (model.economics) but its emissions are
            # not modelled, so only a zero-carbon fuel can be named
            if self.to != "biomass":
                raise InvalidValue("supply_burns_biomass")
            if self.ratio is None:
                raise InvalidValue("supply_needs_ratio")
        if self.priced_as is not None and self.to is None:
            raise InvalidValue("priced_as_needs_fuel")
        if self.completes is not None and self.type != "enabling":
            raise InvalidValue("completes_enabling_only", type=self.type)
        return self

    @property
    def target(self) -> str | None:
        """The carrier moved energy goes to (None: renewable heat that emits nothing)."""
        return "electricity" if self.type == "electrification" else self.to

    @classmethod
    def from_addresses(cls, addresses: tuple[str, ...]) -> Effect:
        """The documented default for an entry without `effect`: efficiency on the cells of
        the sources it addresses; cross_cutting -> enabling; sink alone -> sink."""
        if "cross_cutting" in addresses:
            return cls(type="enabling", why="default for cross_cutting")
        sources = [a for a in addresses if a != "sink"]
        if not sources:
            return cls(type="sink", why="default for sink")
        cells = tuple(cell for source in sources for cell in CELLS_OF_SOURCE[source])
        return cls(type="efficiency", cells=cells, why="default for " + ", ".join(sources))


class Technology(BaseModel):
    """One technology (measure) of a catalog.

    >>> tech = catalog.get("trn-electric-vehicles")
    >>> tech.abatement, tech.economics, tech.popularization_period
    (5, 4, '2025-2035')
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    id: str = Field(pattern=ID_PATTERN)
    domain: Domain
    # 200 characters, as a site's name: a 20,000-character category drew an 838-megapixel
    # Gantt chart (groups are labelled with it) and a 35 MB report.html in 48 s
    category: str = Field(min_length=1, max_length=200)
    subcategory: str | None = Field(None, max_length=200)
    category_en: str | None = Field(None, max_length=200)
    subcategory_en: str | None = Field(None, max_length=200)
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    application_period: Period | None = None
    popularization_period: Period | None = None
    abatement: int = Field(ge=1, le=5)
    economics: int = Field(ge=1, le=5)
    recommendation: int = Field(ge=1, le=5)
    applicability: Applicability | None = None
    addresses: tuple[Address, ...] = Field(min_length=1)
    requires: tuple[str, ...] = ()  # every one needed; checked against FEATURES and the tags
    requires_any: tuple[str, ...] = ()  # at least one needed (aquaculture: farmland or fishery)
    restates: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()  # the same equipment's other technologies: one of them
    new_build_only: bool = False
    effect: Effect | None = None
    source: Source
    note: str | None = None

    @field_validator("source", mode="before")
    @classmethod
    def _source_from_text(cls, value: Any) -> Any:
        return Source.parse(value) if isinstance(value, str) else value

    @field_validator("abatement", "economics", "recommendation", mode="before")
    @classmethod
    def _no_booleans(cls, value: Any) -> Any:
        """YAML reads `true` as 1: a grade must be written as a number."""
        if isinstance(value, bool):
            raise InvalidValue("not_a_grade", value=str(value).lower())
        return value

    @field_validator("effect", mode="before")
    @classmethod
    def _effect_from_text(cls, value: Any) -> Any:
        """A CSV export writes the effect as JSON."""
        return json.loads(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> Technology:
        if period_index(self.application_period) > period_index(self.popularization_period):
            raise InvalidValue("application_after", field="application_period",
                               application=self.application_period,
                               popularization=self.popularization_period
                               or Message("before_2020"))
        if self.domain == "enterprise" and self.applicability is None:
            raise InvalidValue("applicability_for_enterprise", field="applicability")
        self._fuels_addressed()
        return self

    def _fuels_addressed(self) -> None:
        """An effect that cuts fuel cells addresses more than electricity or sinks: a row
        whose `addresses` say electricity only must not cut coal, oil or gas in the model."""
        if self.effect is None or not self.effect.cells or \
                not set(self.addresses) <= {"electricity", "sink"}:
            return
        fuels = [cells for cells in self.effect.cells
                 if any(carrier in FUELS for _, carrier in expand_cells([cells]))]
        if fuels:
            raise InvalidValue("fuel_not_addressed", field="effect", cells=", ".join(fuels),
                               addresses=", ".join(self.addresses))

    @property
    def limiting_features(self) -> tuple[str, ...]:
        """The site features whose share of a cell (`Assumptions.feature_shares`) is the
        part this measure acts on: those it requires, and new buildings for a design choice
        only they can make."""
        return (*self.requires, "new_build") if self.new_build_only else self.requires

    @property
    def label(self) -> str:
        return f"{self.name_zh} {self.name_en}"

    @property
    def acts(self) -> Effect:
        """The measure's effect: its own, or the default from `addresses`."""
        return self.effect or Effect.from_addresses(self.addresses)

    @property
    def mature(self) -> bool:
        """Applied before 2020 (the study marks only its popularisation)."""
        return self.application_period is None


@dataclass(frozen=True)
class Override:
    """A user entry that replaced an earlier entry with the same id."""

    id: str
    file: str
    replaced: str  # origin of the entry that was replaced


@dataclass
class Catalog:
    """Technologies in catalog order (domain, then the study's row order, then user files).

    >>> len(catalog), len(catalog.filter(domain="park"))
    (230, 29)
    >>> catalog.get("trn-electric-vehicles").name_en
    'Electric vehicles'
    """

    entries: dict[str, Technology] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Technology]:
        return iter(self.entries.values())

    def __contains__(self, tech_id: object) -> bool:
        return tech_id in self.entries

    def get(self, tech_id: str) -> Technology:
        try:
            return self.entries[tech_id]
        except KeyError:
            raise KeyError(f"unknown technology id '{tech_id}'") from None

    def add(self, entries: Iterable[Technology], origin: str) -> None:
        """Merge entries; a known id is replaced in place and the override recorded."""
        for tech in entries:
            if tech.id in self.entries:
                self.overrides.append(Override(tech.id, origin, self.origins[tech.id]))
            self.entries[tech.id] = tech
            self.origins[tech.id] = origin

    def filter(
        self,
        *,
        domain: str | None = None,
        category: str | None = None,
        application_period: str | None = None,
        popularization_period: str | None = None,
        min_recommendation: int = 1,
        min_abatement: int = 1,
        min_economics: int = 1,
    ) -> Catalog:
        """A new catalog with the entries matching every given condition."""

        def keep(t: Technology) -> bool:
            return (
                (domain is None or t.domain == domain)
                and (category is None or category in (t.category, t.category_en, t.subcategory))
                and (application_period is None or t.application_period == application_period)
                and (popularization_period is None
                     or t.popularization_period == popularization_period)
                and t.recommendation >= min_recommendation
                and t.abatement >= min_abatement
                and t.economics >= min_economics
            )

        return self._subset(keep)

    def _subset(self, keep: Callable[[Technology], bool]) -> Catalog:
        kept = {i: t for i, t in self.entries.items() if keep(t)}
        return Catalog(kept, {i: self.origins[i] for i in kept}, list(self.overrides))

    def search(self, text: str) -> Catalog:
        """Entries whose id, names or categories (Chinese or English) contain `text`.

        >>> [t.id for t in load_catalog().search("光伏")][:2]
        ['bld-solar-pv', 'ent-distributed-pv']
        """
        wanted = text.casefold()

        def matches(t: Technology) -> bool:
            words = (t.id, t.name_zh, t.name_en, t.category, t.category_en, t.subcategory,
                     t.subcategory_en)
            return any(wanted in word.casefold() for word in words if word)

        return self._subset(matches)

    def __repr__(self) -> str:
        return f"<Catalog of {len(self)} technologies>"

    def _repr_html_(self) -> str:
        return preview(f"Catalog of {len(self)} technologies", self.to_frame(),
                       ["id", "domain", "category", "name_zh", "name_en", "application_period",
                        "popularization_period", "abatement", "economics", "recommendation"])

    def restated_by(self, tech_id: str) -> list[str]:
        """Ids of the (town) entries that restate `tech_id`."""
        return [t.id for t in self if tech_id in t.restates]

    def to_frame(self) -> pd.DataFrame:
        """One row per entry, columns `FRAME_COLUMNS`; list fields joined with ';'."""
        import pandas as pd  # here, so that reading catalogs does not pay for pandas

        rows = [_frame_row(t, self.origins[t.id]) for t in self]
        return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def _frame_row(tech: Technology, origin: str) -> dict[str, Any]:
    row = tech.model_dump(exclude={"source", "effect"})
    for name in LIST_FIELDS:
        row[name] = ";".join(row[name])
    row["effect"] = tech.effect.model_dump_json(exclude_none=True) if tech.effect else None
    row["source"] = str(tech.source)
    row["origin"] = origin
    return row


# --------------------------------------------------------------------------- reading files


# Keys a catalog file may set once for all its entries.
FILE_KEYS = {"document", "table", "domain", "project_fields", "tags", "technologies"}


def read_catalog_file(path: str | Path) -> list[Technology]:
    """Read and validate a catalog file (.yaml/.yml or .csv); raises `InputError`.

    >>> entries = roadmap.read_catalog_file("catalogs/transport.yaml")
    >>> len(entries), entries[0].id
    (30, 'trn-electric-vehicles')
    """
    path = Path(path)
    suffix = path.suffix.lower()
    tags: tuple[str, ...] = ()
    if suffix in (".yaml", ".yml"):
        data = read_yaml(path)
        records, tags = _yaml_records(path, data), _declared_tags(path, data)
    elif suffix == ".csv":
        records = _table_records(path, csv.DictReader(io.StringIO(decoded_csv(path))))
    elif suffix == ".xlsx":
        records = _table_records(path, xlsx_rows(path))
    else:
        raise InputError(path, "unsupported_file_type", suffix=path.suffix,
                         allowed=".yaml, .yml, .csv, .xlsx")
    technologies = [_validate(path, where, record) for where, record in records]
    wheres = [where for where, _ in records]
    _check_unique(path, technologies, wheres)
    _check_features(path, technologies, wheres, tags)
    return technologies


def _declared_tags(path: Path, data: Any) -> tuple[str, ...]:
    """The file's own `requires` vocabulary: `tags: {ceramics: "kilns on site"}`."""
    tags = data.get("tags", {}) if isinstance(data, dict) else {}
    if not isinstance(tags, dict):
        raise InputError(path, "tags_mapping", field="tags",
                         allowed=Message("tags_layout"))
    return tuple(tag for tag in tags if tag != LINE_KEY)


def _check_features(path: Path, technologies: list[Technology], wheres: list[Message],
                    tags: tuple[str, ...]) -> None:
    """Every required feature is a known one or a declared tag; a typo gets a suggestion."""
    known = (*FEATURES, *tags)
    for tech, where in zip(technologies, wheres, strict=True):
        for name in ("requires", "requires_any"):
            for feature in getattr(tech, name):
                if feature not in known:
                    close = get_close_matches(feature, known, n=1)
                    hint = Message("did_you_mean", suggestion=close[0]) if close else \
                        Message("declare_the_tag")
                    raise InputError(path, "unknown_feature", feature=feature, hint=hint,
                                     where=where,
                                     field=name, allowed=", ".join(known))


def _yaml_records(path: Path, data: Any) -> list[tuple[str, dict[str, Any]]]:
    if isinstance(data, dict) and "technologies" in data:
        defaults = {k: v for k, v in data.items() if k not in ("technologies", "tags", LINE_KEY)}
        unknown = set(defaults) - FILE_KEYS
        if unknown:
            raise InputError(path, "unknown_key", key=sorted(unknown)[0],
                             where=Message("line", line=data[LINE_KEY]),
                             allowed=", ".join(sorted(FILE_KEYS)))
        entries = data["technologies"]
    else:
        defaults, entries = {}, data
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InputError(path, "expected_technologies")
    return [(_where(entry), _with_defaults(entry, defaults)) for entry in entries]


def _where(entry: dict[str, Any]) -> Message:
    line = entry.get(LINE_KEY)
    name = entry.get("id")
    label = Message("entry_named", id=name) if isinstance(name, str) else Message("entry")
    return Message("entry_line", entry=label, line=line) if line else label


def _with_defaults(entry: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    record = without_lines(entry)
    record.setdefault("domain", defaults.get("domain"))
    if "document" in defaults and isinstance(record.get("source"), dict):
        record["source"] = {"document": defaults["document"], "table": defaults.get("table"),
                            **record["source"]}
    if record["domain"] is None:
        del record["domain"]
    return record


def _table_records(path: Path,
                   reader: Iterable[dict[str, Any]]) -> list[tuple[Message, dict[str, Any]]]:
    """Records of a CSV or a workbook: one row per entry, lists joined with ';'."""
    records = []
    for line, row in enumerate(reader, start=2):
        if None in row:
            raise InputError(path, "more_cells_than_columns", where=Message("line", line=line))
        record: dict[str, Any] = {k: v for k, v in row.items() if v not in ("", None)}
        record.pop("origin", None)  # an export's own column, not part of an entry
        for name in LIST_FIELDS:
            if name in record:
                record[name] = [item.strip() for item in record[name].split(";") if item.strip()]
        name = record.get("id")
        records.append((Message("entry_line", entry=Message("entry_named", id=name), line=line)
                        if name else Message("line", line=line), record))
    return records


def _validate(path: Path, where: Message, record: dict[str, Any]) -> Technology:
    if "source" not in record:
        record = {**record, "source": {"document": path.name}}
    return validated(Technology, record, path, where, ALLOWED)


def _check_unique(path: Path, technologies: list[Technology], wheres: list[Message]) -> None:
    seen: dict[str, str] = {}
    for tech, where in zip(technologies, wheres, strict=True):
        if tech.id in seen:
            raise InputError(path, "duplicate_id", id=tech.id, first=seen[tech.id],
                             where=where, field="id", allowed=Message("unique_ids"))
        seen[tech.id] = where


# --------------------------------------------------------------------------- the built-ins


def builtin_catalog_dir() -> Path:
    """The folder of the built-in catalogs: $ROADMAP_CATALOGS, the wheel's copy, or catalogs/."""
    if env := os.environ.get("ROADMAP_CATALOGS"):
        return Path(env)
    package = Path(__file__).resolve().parents[1]
    packaged = package / "_catalogs"
    return packaged if packaged.is_dir() else package.parent / "catalogs"


def load_catalog(*user_files: str | Path, builtin: bool = True) -> Catalog:
    """The built-in catalogs (one file per domain) merged with the user's files, in order.

    >>> catalog = roadmap.load_catalog()  # the built-in catalogs; user files may follow
    >>> len(catalog)
    230
    """
    catalog = Catalog()
    if builtin:
        folder = builtin_catalog_dir()
        for domain in DOMAINS:
            path = folder / f"{domain}.yaml"
            catalog.add(read_catalog_file(path), origin=f"built-in {path.name}")
    for user_file in user_files:
        catalog.add(read_catalog_file(user_file), origin=str(user_file))
    _check_references(catalog)
    return catalog


def note_overrides(catalog: Catalog) -> None:
    """A note (`errors.note`) for each entry of a user's file that replaced another: what
    `run` and each site of `batch` say about the `--catalog` files."""
    for override in catalog.overrides:
        name = override.replaced.removeprefix("built-in ")  # `load_catalog`'s origin of a row
        note(Message("catalog_override", file=override.file, id=override.id, replaced=Message(
            "builtin_catalog", name=name) if name != override.replaced else override.replaced))


def _check_references(catalog: Catalog) -> None:
    for tech in catalog:
        for key in ("restates", "covers", "alternatives"):
            for target in getattr(tech, key):
                if target not in catalog or target == tech.id:
                    problem = "refers_to_itself" if target == tech.id else "unknown_id"
                    raise InputError(catalog.origins[tech.id], problem, id=target,
                                     where=Message("entry_named", id=tech.id), field=key,
                                     allowed=ALLOWED[key])
        completed = tech.acts.completes
        if completed is not None and (completed not in catalog or completed == tech.id):
            raise InputError(catalog.origins[tech.id], "refers_to_itself"
                             if completed == tech.id else "unknown_id", id=completed,
                             where=Message("entry_named", id=tech.id),
                             field="effect.completes", allowed=ALLOWED["effect.completes"])
