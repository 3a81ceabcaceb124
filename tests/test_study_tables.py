"""Cross-checks of the catalogs against the study itself (seed 003) and between its tables.

The decoder in tools/ is the executable form of the README's period-decoding rule. These
tests need the seed beside the repository (../shared/seeds), as on a developer's machine
and in CI; elsewhere they are skipped.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from roadmap import load_catalog

ROOT = Path(__file__).resolve().parents[1]
TABLE_OF = {"building": "2-2", "transport": "3-2", "enterprise": "4-5", "park": "5-2",
            "community": "6-2", "town": "7-2"}
STUDY_FIELDS = ("application_period", "popularization_period", "abatement", "economics",
                "recommendation", "applicability")


def _decoder():
    path = ROOT / "tools" / "decode_study_tables.py"
    spec = importlib.util.spec_from_file_location("decode", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def decoded():
    decoder = _decoder()
    if not decoder.DEFAULT_SEED.exists():
        pytest.skip(f"seed not found at {decoder.DEFAULT_SEED}")
    return decoder.decode_all()


def test_decoder_finds_every_row(decoded):
    assert {t: len(rows) for t, rows in decoded.items()} == {
        "2-2": 35, "3-2": 30, "4-5": 24, "5-2": 29, "6-2": 26, "7-2": 86}


def test_every_catalog_row_matches_the_decoded_table(catalog, decoded):
    for tech in catalog:
        row = decoded[TABLE_OF[tech.domain]][tech.source.row - 1]
        assert {f: getattr(tech, f) for f in STUDY_FIELDS} == {f: row[f] for f in STUDY_FIELDS}, (
            tech.id)
        # The decoded text holds the headings before the name; the name ends it, but for
        # the one name the source truncates, which the catalog completes and says so.
        text, name = row["text"].replace(" ", ""), tech.name_zh.replace(" ", "")
        completed = tech.note is not None and "completes it" in tech.note
        assert text.endswith(name[:-1] if completed else name), tech.id


def test_wrapped_row_is_rejoined(decoded):
    row = decoded["6-2"][12]
    assert row["text"].endswith("废弃物资源化技术") and row["abatement"] == 5 and row["wrapped"]


def test_decoding_rule_on_the_layouts_seen():
    decode = _decoder().decode_periods
    assert decode(" ○   ") == (None, "2020-2025")
    assert decode(" △ ○  ") == ("2020-2025", "2025-2035")
    assert decode(" △  ○ ") == ("2020-2025", "2035-2050")
    assert decode("  △ ○ ") == ("2025-2035", "2035-2050")
    # Table 3-2 spaces its marks more widely; the trailing gap still decides.
    assert decode(" △  〇  ") == ("2020-2025", "2025-2035")
    assert decode(" △   〇 ") == ("2020-2025", "2035-2050")


def test_town_rows_restating_one_row_agree_on_periods(catalog):
    """The decoding cross-check: the town table repeats rows of the other tables."""
    single = [(t, catalog.get(t.restates[0])) for t in catalog if len(t.restates) == 1]
    assert len(single) == 24
    for town, other in single:
        assert (town.application_period, town.popularization_period) == (
            other.application_period, other.popularization_period), (town.id, other.id)
