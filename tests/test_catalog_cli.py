"""The `roadmap catalog` commands, including every bad input the loader must reject."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import openpyxl
import pytest

from roadmap.cli import main
from tests.helpers import run, run_en

GOOD_ENTRY = {
    "id": "my-tech", "domain": "park", "category": "低碳能源技术", "name_zh": "屋顶光伏",
    "name_en": "Rooftop PV", "application_period": "2020-2025",
    "popularization_period": "2025-2035", "abatement": 3, "economics": 3, "recommendation": 3,
    "addresses": ["electricity"],
}




def yaml_file(tmp_path, text: str, name: str = "user.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def entry_yaml(**changes) -> str:
    entry = {**GOOD_ENTRY, **changes}
    lines = ["technologies:"]
    for i, (key, value) in enumerate(entry.items()):
        prefix = "  - " if i == 0 else "    "
        if isinstance(value, list):
            value = "[" + ", ".join(value) + "]"
        lines.append(f"{prefix}{key}: {'' if value is None else value}")
    return "\n".join(lines) + "\n"


def test_export_csv_lists_all_230_entries_with_required_columns(capsys):
    status, out, _ = run(capsys, "catalog", "export", "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 230
    required = ["id", "domain", "category", "name_zh", "name_en", "application_period",
                "popularization_period", "abatement", "economics", "recommendation",
                "applicability", "source"]
    assert set(required) <= set(rows[0])
    by_domain = {}
    for row in rows:
        by_domain[row["domain"]] = by_domain.get(row["domain"], 0) + 1
    assert by_domain == {"building": 35, "transport": 30, "enterprise": 24, "park": 29,
                         "community": 26, "town": 86}
    for row in rows:  # every field the study gives is filled
        assert all(row[c] for c in ("category", "name_zh", "name_en", "popularization_period",
                                    "abatement", "economics", "recommendation", "source"))
        assert bool(row["applicability"]) == (row["domain"] == "enterprise")


def test_export_xlsx_writes_a_workbook(tmp_path, capsys):
    target = tmp_path / "catalog.xlsx"
    status, _, err = run(capsys, "catalog", "export", "--format", "xlsx", "-o", str(target))
    assert status == 0 and "230" in err
    sheet = openpyxl.load_workbook(target)["catalog"]
    assert sheet.max_row == 231
    assert sheet.cell(2, 5).value == "优化建筑朝向"
    again = tmp_path / "again.xlsx"
    run(capsys, "catalog", "export", "--format", "xlsx", "-o", str(again))
    assert again.read_bytes() == target.read_bytes()
    with zipfile.ZipFile(target) as workbook:  # no time of writing inside (runs a second apart
        # could otherwise give the same bytes by luck)
        assert {m.date_time for m in workbook.infolist()} == {(2020, 1, 1, 0, 0, 0)}
        core = workbook.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:\w+[^>]*>([^<]*)<", core) == ["2020-01-01T00:00:00Z"] * 2


def test_xlsx_needs_a_file(capsys):
    status, out, err = run(capsys, "catalog", "export", "--format", "xlsx")
    assert status == 2 and out == "" and "-o FILE.xlsx" in err


def test_list_table_shows_chinese_names(capsys):
    status, out, _ = run(capsys, "catalog", "list", "--domain", "transport")
    assert status == 0
    assert "电动汽车" in out and "trn-electric-vehicles" in out and "30 technologies" in out


def test_list_json_and_csv_carry_the_same_rows(capsys):
    _, out_json, _ = run(capsys, "catalog", "list", "-d", "community", "--format", "json")
    _, out_csv, _ = run(capsys, "catalog", "list", "-d", "community", "--format", "csv")
    from_json = [r["id"] for r in json.loads(out_json)]
    from_csv = [r["id"] for r in csv.DictReader(io.StringIO(out_csv))]
    assert from_json == from_csv and len(from_json) == 26


def test_unknown_domain_is_one_line(capsys):
    status, _, err = run(capsys, "catalog", "list", "--domain", "airport")
    assert status == 2
    assert err.strip().splitlines() == [
        "错误：--domain：取值 'airport' 无效（允许的值：building, transport, enterprise, park, "
        "community, town） / error: --domain: 'airport' is not allowed (allowed: building, "
        "transport, enterprise, park, community, town)"]


def test_show_prints_one_entry_in_full(capsys):
    status, out, _ = run(capsys, "catalog", "show", "bld-solar-pv")
    assert status == 0
    assert "太阳能光伏发电技术" in out and "table 2-2 row 25" in out and "restated by" in out


@pytest.mark.parametrize(("tech_id", "effect"), [
    ("trn-electric-vehicles", "electrification of transport.oil to electricity, energy ratio "
                              "0.3: electric drive uses about 0.3 of the fuel energy"),
    ("town-carbon-monitoring-platform", "enabling: planning, management or market measure"),
    ("bld-biodiesel-cchp", "supply burning biomass (priced as oil), energy ratio 2.5, scale chp")])
def test_show_spells_out_the_effect_not_the_source(capsys, tech_id, effect):
    status, out, _ = run(capsys, "catalog", "show", tech_id)
    rows, field = {}, ""  # field -> its value, the wrapped lines joined
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if len(cells) == 2:
            field = cells[0] or field
            rows[field] = (rows.get(field, "") + " " + cells[1]).strip()
    assert status == 0 and rows["effect"].startswith(effect)
    assert "table" in rows["source"] and "table" not in rows["effect"]


def test_search_in_chinese_and_english(capsys):
    status, out, _ = run(capsys, "catalog", "search", "光伏", "--format", "csv")
    assert status == 0
    assert [r["id"] for r in csv.DictReader(io.StringIO(out))] == [
        "bld-solar-pv", "ent-distributed-pv", "town-building-solar-pv", "town-agrivoltaics"]
    status, out, _ = run(capsys, "catalog", "search", "Heat Pump", "--domain", "building",
                         "--format", "json")
    assert status == 0 and [r["id"] for r in json.loads(out)] == [
        "bld-ground-source-heat-pump", "bld-water-source-heat-pump", "bld-air-source-heat-pump"]
    status, out, _ = run(capsys, "catalog", "search", "光伏", "-d", "town")
    assert status == 0 and out.splitlines()[0].strip() == "2 technologies"
    assert "town-agrivoltaics" in out and "bld-solar-pv" not in out
    status, out, err = run(capsys, "catalog", "search", "zzz")
    assert status == 0 and err.strip() == "no technology has 'zzz' in its id, names or categories"
    status, _, err = run(capsys, "catalog", "search", "pv", "-d", "moon")
    assert status == 2


def test_show_unknown_id(capsys):
    status, _, err = run(capsys, "catalog", "show", "nope")
    assert status == 2 and "unknown technology id 'nope'" in err


def test_validate_accepts_a_good_file_and_reports_overrides(tmp_path, capsys):
    good = yaml_file(tmp_path, entry_yaml())
    status, out, _ = run(capsys, "catalog", "validate", str(good))
    assert status == 0 and out.strip() == f"{good}: 1 technology valid"
    full = tmp_path / "full.csv"
    run(capsys, "catalog", "export", "-o", str(full))
    status, out, _ = run(capsys, "catalog", "validate", str(full))
    assert status == 0
    assert out.splitlines() == [f"{full}: 230 technologies valid, overrides 230 built-in entries"]
    status, out, _ = run(capsys, "catalog", "validate", "--verbose", str(full))
    lines = out.splitlines()
    assert len(lines) == 231 and lines[1] == "  overrides bld-building-orientation"


def test_list_says_one_technology_in_the_singular(capsys):
    status, out, _ = run(capsys, "catalog", "list", "--domain", "building", "--category",
                         "围护结构", "--min-stars", "5")
    assert status == 0 and out.splitlines()[0].strip() == "1 technology"


def test_user_catalog_option_merges_and_notes_the_override(tmp_path, capsys):
    user = yaml_file(tmp_path, entry_yaml(id="park-solar-projects", abatement=5))
    status, out, err = run(capsys, "--catalog", str(user), "catalog", "export")
    assert status == 0
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert len(rows) == 230 and rows["park-solar-projects"]["abatement"] == "5"
    assert "overrides 'park-solar-projects' (built-in park.yaml)" in err


BAD_YAML = {
    "malformed": ("technologies:\n  - id: x\n   name: [unclosed\n", "malformed YAML", None),
    "unknown field": (entry_yaml(colour="green"), "unknown field", "colour"),
    "wrong type": (entry_yaml(abatement="lots"), "'lots' is not allowed", "abatement"),
    "grade outside 1-5": (entry_yaml(recommendation=7), "7 is not allowed", "recommendation"),
    "application after popularisation": (
        entry_yaml(application_period="2035-2050", popularization_period="2025-2035"),
        "application 2035-2050 comes after popularisation 2025-2035", "application_period"),
    "unknown period": (entry_yaml(application_period="2030"), "2030 is not allowed",
                       "application_period"),
    "unknown source": (entry_yaml(addresses=["steam"]), "'steam' is not allowed", "addresses"),
    "duplicate id": (entry_yaml() + entry_yaml().replace("technologies:\n", ""),
                     "duplicate id 'my-tech', first defined at entry 'my-tech' (line 2)", "id"),
    "enterprise without applicability": (entry_yaml(domain="enterprise"), "missing",
                                         "applicability"),
    # the park's umbrella addressed electricity and cut every fuel 10 %: a made-up saving
    "fuel cut, electricity addressed": (
        entry_yaml(effect="{type: efficiency, cells: [all.electricity, all.fossil]}"),
        "acts on fuel cells (all.fossil) while addresses lists only electricity", "effect"),
}


@pytest.mark.parametrize("case", BAD_YAML, ids=str)
def test_bad_yaml_is_one_line_with_file_entry_and_field(tmp_path, capsys, case):
    text, problem, field = BAD_YAML[case]
    path = yaml_file(tmp_path, text)
    status, out, err = run_en(capsys, "catalog", "validate", str(path))
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith(f"error: {path}: ")
    assert problem in lines[0]
    if field:
        assert f"field '{field}'" in lines[0] and "(allowed: " in lines[0]
        assert "entry 'my-tech' (line " in lines[0]


def test_malformed_csv_names_the_line(tmp_path, capsys):
    path = tmp_path / "user.csv"
    path.write_text("id,domain,category\nmy-tech,park,x,extra\n", encoding="utf-8")
    status, _, err = run_en(capsys, "catalog", "validate", str(path))
    assert status == 2
    assert err.strip() == f"error: {path}: line 2: more cells than header columns"


def test_csv_grade_error_names_entry_and_field(tmp_path, capsys):
    path = tmp_path / "user.csv"
    header = ",".join(GOOD_ENTRY)
    values = {**GOOD_ENTRY, "economics": 0, "addresses": "electricity"}
    path.write_text(header + "\n" + ",".join(str(v) for v in values.values()) + "\n",
                    encoding="utf-8")
    status, _, err = run(capsys, "catalog", "validate", str(path))
    assert status == 2
    assert f"{path}: entry 'my-tech' (line 2): field 'economics': '0' is not allowed" in err


def test_unknown_restates_target_is_rejected(tmp_path, capsys):
    path = yaml_file(tmp_path, entry_yaml(restates=["no-such-id"]))
    status, _, err = run(capsys, "catalog", "validate", str(path))
    assert status == 2 and "field 'restates': unknown id 'no-such-id'" in err


def test_alternatives_name_catalog_ids(tmp_path, capsys):
    path = yaml_file(tmp_path, entry_yaml(alternatives=["no-such-id"]))
    status, _, err = run(capsys, "catalog", "validate", str(path))
    assert status == 2 and "field 'alternatives': unknown id 'no-such-id'" in err
    good = yaml_file(tmp_path, entry_yaml(alternatives=["ent-regenerative-combustion"]))
    status, out, _ = run(capsys, "catalog", "validate", str(good))
    assert status == 0, out


def test_debug_shows_the_traceback(tmp_path):
    path = yaml_file(tmp_path, entry_yaml(abatement=9))
    from roadmap.errors import InputError
    with pytest.raises(InputError):
        main(["--debug", "catalog", "validate", str(path)])


def test_failed_export_keeps_the_earlier_file(tmp_path, capsys):
    target = tmp_path / "catalog.csv"
    target.write_text("earlier result\n", encoding="utf-8")
    bad = yaml_file(tmp_path, entry_yaml(abatement=0))
    status, _, _ = run(capsys, "--catalog", str(bad), "catalog", "export", "-o", str(target))
    assert status == 2
    assert target.read_text(encoding="utf-8") == "earlier result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.csv", "user.yaml"]
