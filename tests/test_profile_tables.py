"""A profile's baseline and energy given as a workbook sheet or a CSV file (inputs/tables.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from roadmap import InputError, load_site
from tests.helpers import run

ROOT = Path(__file__).resolve().parents[1]
TOWN = ROOT / "catalogs" / "sites" / "guangdong-town.yaml"


def town_profile() -> dict:
    return yaml.safe_load(TOWN.read_text(encoding="utf-8"))


def write_profile(folder: Path, data: dict) -> Path:
    path = folder / "site.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def table_rows(table: dict[str, dict[str, float]], corner: str) -> list[list[object]]:
    """The table as a consultant's sheet: sectors down, carriers across, empty = none."""
    columns = sorted({c for cells in table.values() for c in cells})
    return [[corner, *columns], *([sector, *(cells.get(c) for c in columns)]
                                  for sector, cells in table.items())]


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_an_xlsx_and_a_gbk_csv_baseline_load_as_the_yaml_form(tmp_path, capsys):
    data = town_profile()
    expected = load_site(TOWN)
    rows = table_rows(data["baseline"], "部门 \\ 能源品种")  # a Chinese label: GBK matters
    write_workbook(tmp_path / "inventory.xlsx", {"notes": [["read me"]], "baseline": rows})
    with_xlsx = load_site(write_profile(tmp_path, {
        **data, "baseline": {"file": "inventory.xlsx", "sheet": "baseline"}}))
    csv_text = "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows)
    (tmp_path / "baseline.csv").write_bytes(csv_text.encode("gbk"))
    with_csv = load_site(write_profile(tmp_path, {**data, "baseline": {"file": "baseline.csv"}}))
    assert "read as GB18030" in capsys.readouterr().err
    # the same site but for the file each was read from (Site.file, for error messages)
    assert with_xlsx.model_dump() == expected.model_dump() == with_csv.model_dump()
    assert with_csv.cells() == expected.cells() and expected.total_baseline > 0


def test_an_energy_table_converts_like_the_yaml_form(tmp_path):
    data = {"name": "plant", "domain": "enterprise",
            "energy": {"industry": {"electricity_mwh": 12000.0, "gas_m3": 3_000_000.0}}}
    expected = load_site(write_profile(tmp_path, data))
    write_workbook(tmp_path / "energy.xlsx", {"energy": table_rows(data["energy"], "")})
    site = load_site(write_profile(tmp_path, {**data, "energy": {"file": "energy.xlsx"}}))
    assert site.model_dump() == expected.model_dump()
    assert site.total_baseline == pytest.approx(expected.total_baseline)


def test_thousands_separators_and_empty_cells_in_a_csv(tmp_path):
    (tmp_path / "b.csv").write_text('sector,coal,electricity\nindustry,"172,800",\n'
                                    "residential,,1500.5\n", encoding="utf-8-sig")
    site = load_site(write_profile(tmp_path, {"name": "t", "domain": "town",
                                              "baseline": {"file": "b.csv"}}))
    assert site.baseline == {"industry": {"coal": 172800.0},
                             "residential": {"electricity": 1500.5}}


@pytest.mark.parametrize(("text", "message"), [
    ("sector,coal\nindustri,5\n", "b.csv: line 2, column 1: field 'baseline': unknown sector "
     "'industri' (allowed: industry, commercial,"),
    ("sector,kohle\nindustry,5\n", "b.csv: line 1, column 2: field 'baseline': unknown column "
     "'kohle' (allowed: electricity, coal,"),
    ("sector,coal\nindustry,-5\n", "b.csv: line 2, column 2: field 'baseline.industry.coal': "
     "'-5' is not allowed (allowed: a number >= 0"),
    ("sector,coal\nindustry,lots\n", "field 'baseline.industry.coal': 'lots' is not allowed"),
    ("sector,coal\nindustry,1\nindustry,2\n", "line 3, column 1: field 'baseline': sector "
     "'industry' given twice"),
])
def test_bad_csv_cells_are_named_by_file_line_and_column(tmp_path, text, message):
    (tmp_path / "b.csv").write_text(text, encoding="utf-8")
    profile = write_profile(tmp_path, {"name": "t", "domain": "town",
                                       "baseline": {"file": "b.csv"}})
    with pytest.raises(InputError) as error:
        load_site(profile)
    assert str(error.value).startswith(str(tmp_path / "b.csv") + ": ")
    assert message in str(error.value)


def test_bad_workbook_cells_and_references_name_the_cell_or_the_key(tmp_path, capsys):
    write_workbook(tmp_path / "t.xlsx", {"baseline": [["", "coal"], ["industry", "x"]]})
    profile = write_profile(tmp_path, {"name": "t", "domain": "town",
                                       "baseline": {"file": "t.xlsx", "sheet": "baseline"}})
    status, _, err = run(capsys, "check", str(profile))
    assert status == 2 and "t.xlsx: sheet 'baseline', cell B2: field 'baseline.industry.coal'" \
        in err and "Traceback" not in err
    for reference, message in [
        ({"file": "t.xlsx", "sheet": "other"}, "t.xlsx: field 'sheet': no sheet 'other' "
                                               "(allowed: baseline)"),
        ({"file": "missing.csv"}, "field 'baseline.file': table file 'missing.csv' not found"),
        ({"file": "t.ods"}, "field 'baseline.file': unsupported table file 't.ods' "
                            "(allowed: .xlsx, .csv)"),
        ({"file": "t.xlsx", "sheets": "x"}, "field 'baseline.sheets': unknown field "
                                            "(allowed: file, sheet)"),
    ]:
        profile = write_profile(tmp_path, {"name": "t", "domain": "town", "baseline": reference})
        with pytest.raises(InputError, match=None) as error:
            load_site(profile)
        assert message in str(error.value)
