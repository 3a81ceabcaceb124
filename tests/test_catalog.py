"""The built-in catalogs against the study, and the catalog loader's merge and queries."""

from __future__ import annotations

import re

import pytest

from roadmap import DOMAINS, Technology, load_catalog, read_catalog_file
from roadmap.errors import InputError
from roadmap.inputs.catalog import FRAME_COLUMNS

EXPECTED_COUNTS = {"building": 35, "transport": 30, "enterprise": 24, "park": 29,
                   "community": 26, "town": 86}

# (domain, table row) -> (name_zh, application, popularisation, ▼, ➕, ★, applicability),
# read off seed 003 by hand.
PINNED = {
    ("building", 1): ("优化建筑朝向", None, "2020-2025", 3, 5, 4, None),
    ("building", 6): ("外墙、屋面材料隔热技术", None, "2020-2025", 5, 3, 5, None),
    ("building", 22): ("LED 节能照明灯具", "2020-2025", "2025-2035", 4, 3, 5, None),
    ("building", 33): ("生物柴油三联供技术", "2025-2035", "2035-2050", 4, 3, 3, None),
    ("transport", 1): ("电动汽车", "2020-2025", "2025-2035", 5, 4, 5, None),
    ("transport", 2): ("燃料电池汽车", "2020-2025", "2035-2050", 5, 3, 4, None),
    ("transport", 22): ("绿色船舶营运技术", None, "2020-2025", 2, 1, 1, None),
    ("enterprise", 2): ("动态谐波抑制及无功补偿节能技术", None, "2020-2025", 4, 5, 4, "both"),
    ("enterprise", 8): ("无引风机无换向阀蓄热燃烧节能技术", "2020-2025", "2025-2035", 3, 4, 3,
                        "both"),
    ("enterprise", 20): ("钢铁电解铁矿石工艺", "2025-2035", "2035-2050", 4, 2, 3,
                         "energy_intensive"),
    ("enterprise", 23): ("二氧化碳储存技术", "2020-2025", "2035-2050", 5, 1, 1, "energy_intensive"),
    ("park", 13): ("淘汰高耗能工艺、设备和产品", "2020-2025", "2025-2035", 5, 5, 5, None),
    ("park", 29): ("低碳发展基金", "2020-2025", "2035-2050", 2, 2, 2, None),
    ("community", 13): ("废弃物资源化技术", "2020-2025", "2025-2035", 5, 3, 3, None),
    ("community", 26): ("智能微电网技术", "2020-2025", "2035-2050", 3, 2, 5, None),
    ("town", 4): ("智能信息化碳排放监测平台", "2020-2025", "2035-2050", 5, 1, 5, None),
    ("town", 14): ("推进智能电网建设", "2025-2035", "2035-2050", 5, 2, 5, None),
    ("town", 86): ("推广林业碳普惠", None, "2020-2025", 2, 5, 5, None),
}



def by_row(catalog, domain: str, row: int) -> Technology:
    (tech,) = [t for t in catalog if t.domain == domain and t.source.row == row]
    return tech


def test_every_row_of_the_six_tables_is_there(catalog):
    counts = {d: sum(1 for t in catalog if t.domain == d) for d in DOMAINS}
    assert counts == EXPECTED_COUNTS
    assert len(catalog) == 230


def test_rows_are_numbered_one_to_n_per_table(catalog):
    for domain, count in EXPECTED_COUNTS.items():
        rows = [t.source.row for t in catalog if t.domain == domain]
        assert rows == list(range(1, count + 1))


def test_ids_are_unique_ascii_slugs(catalog):
    ids = [t.id for t in catalog]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", i) for i in ids)


@pytest.mark.parametrize(("key", "expected"), PINNED.items(), ids=lambda v: str(v))
def test_pinned_rows_match_the_study(catalog, key, expected):
    tech = by_row(catalog, *key)
    actual = (tech.name_zh, tech.application_period, tech.popularization_period,
              tech.abatement, tech.economics, tech.recommendation, tech.applicability)
    assert actual == expected


def test_every_enterprise_row_says_which_enterprises_it_fits(catalog):
    fits = [t.applicability for t in catalog if t.domain == "enterprise"]
    assert None not in fits
    assert fits.count("energy_intensive") == 10 and fits.count("both") == 14


def test_provenance_names_the_seed_and_table(catalog):
    tables = {"building": "2-2", "transport": "3-2", "enterprise": "4-5", "park": "5-2",
              "community": "6-2", "town": "7-2"}
    for tech in catalog:
        assert tech.source.document == "003_3ce55c4074478d6b.txt"
        assert tech.source.table == tables[tech.domain]


def test_town_links_point_to_other_domains(catalog):
    linked = [t for t in catalog if t.restates]
    assert all(t.domain == "town" for t in linked)
    for tech in linked:
        assert all(catalog.get(target).domain != "town" for target in tech.restates)
    assert catalog.restated_by("trn-shore-power") == ["town-port-shore-power"]


def test_a_retrofit_of_existing_buildings_includes_no_new_build_design(catalog):
    """Nan'ao's report left the retrofit out because it and the modern-building umbrella
    'both include' optimised orientation: a standing building is not re-oriented."""
    from roadmap.inputs.dependencies import exclusive_conflicts
    retrofits = [t for t in catalog if "既有" in t.name_zh or "改造" in t.name_zh]
    assert "town-existing-building-retrofit" in {t.id for t in retrofits}
    for tech in retrofits:
        included = [catalog.get(i) for i in (*tech.covers, *tech.restates)]
        assert [t.id for t in included if t.new_build_only or "设计" in t.name_zh] == []
    reason = exclusive_conflicts(catalog).edges[
        "town-existing-building-retrofit", "town-modern-building-efficiency"]["reason"]
    assert reason.endswith("both include bld-efficient-windows-doors")


def test_a_kiln_takes_one_burner_system(catalog):
    """Two burner technologies for the same kilns were both in the cement plant's roadmap,
    each credited 11,768 t/yr and charged 2,543万 on the same furnaces: they are
    alternatives, exclusive as a row and its restatement are; the town row restating both
    stays one measure."""
    from roadmap.inputs.dependencies import exclusive_conflicts
    from roadmap.rendering.messages import sentence
    burners = ("ent-concentrated-combustion", "ent-regenerative-combustion")
    conflicts = exclusive_conflicts(catalog)
    assert conflicts.edges[burners]["reason"] == f"{burners[0]} and {burners[1]} are alternatives"
    zh = sentence(conflicts.edges[burners]["reason"], "zh")
    assert zh.endswith("为同一设备的替代技术，择一采用")
    assert conflicts.edges["town-combustion-efficiency", burners[1]]["reason"].endswith(
        "restates ent-regenerative-combustion")
    assert catalog.to_frame().set_index("id").loc[burners[0], "alternatives"] == burners[1]


def test_frame_has_documented_columns_and_one_row_per_entry(catalog):
    frame = catalog.to_frame()
    assert list(frame.columns) == FRAME_COLUMNS
    assert len(frame) == 230
    row = frame.set_index("id").loc["trn-electric-vehicles"]
    assert (row["name_zh"], row["abatement"], row["source"]) == (
        "电动汽车", 5, "003_3ce55c4074478d6b.txt table 3-2 row 1")


def test_queries_by_domain_category_period_and_grade(catalog):
    assert len(catalog.filter(domain="park")) == 29
    lighting = catalog.filter(domain="building", category="照明系统")
    assert [t.name_zh for t in lighting][:2] == ["自然采光最大化", "LED 节能照明灯具"]
    late = catalog.filter(application_period="2025-2035")
    assert {t.name_zh for t in late} >= {"生物柴油三联供技术", "推进智能电网建设"}
    top = catalog.filter(domain="transport", min_recommendation=5)
    assert all(t.recommendation == 5 for t in top) and len(top) == 6


def test_user_yaml_adds_and_overrides_visibly(tmp_path, catalog):
    user = tmp_path / "mine.yaml"
    user.write_text(
        "domain: building\n"
        "technologies:\n"
        "  - id: bld-building-orientation\n"
        "    category: 规划与布局\n    name_zh: 优化建筑朝向\n"
        "    name_en: Orientation (our grades)\n"
        "    popularization_period: 2020-2025\n"
        "    abatement: 4\n    economics: 5\n    recommendation: 5\n    addresses: [electricity]\n"
        "  - id: my-cool-roof\n    category: 围护结构\n    name_zh: 冷屋面涂料\n"
        "    name_en: Cool roof coating\n    application_period: 2020-2025\n"
        "    popularization_period: 2025-2035\n"
        "    abatement: 2\n    economics: 4\n    recommendation: 3\n    addresses: [electricity]\n",
        encoding="utf-8")
    merged = load_catalog(user)
    assert len(merged) == 231
    assert merged.get("bld-building-orientation").abatement == 4
    assert [o.id for o in merged.overrides] == ["bld-building-orientation"]
    assert merged.overrides[0].replaced == "built-in building.yaml"
    assert merged.origins["my-cool-roof"] == str(user)
    assert merged.get("my-cool-roof").source.document == "mine.yaml"


def test_csv_export_reads_back_as_the_same_entries(tmp_path, catalog):
    path = tmp_path / "all.csv"
    catalog.to_frame().to_csv(path, index=False)
    assert read_catalog_file(path) == list(catalog)


@pytest.mark.parametrize("effect, problem", [
    ("{type: enabling, completes: no-such-measure}",
     "entry 'my-chain-part': field 'effect.completes': unknown id 'no-such-measure' "
     "\\(allowed: a catalog id\\)"),
    ("{type: efficiency, cells: [buildings.electricity], completes: bld-led-lighting}",
     "completes: only an enabling effect completes another measure's chain "
     "\\(this one is efficiency\\)")])
def test_a_chain_part_completes_a_known_measure_with_an_enabling_effect(tmp_path, effect,
                                                                        problem):
    user = tmp_path / "mine.yaml"
    user.write_text(
        "domain: building\ntechnologies:\n"
        "  - id: my-chain-part\n    category: 围护结构\n    name_zh: 链条\n"
        "    name_en: Chain part\n    popularization_period: 2025-2035\n"
        "    abatement: 2\n    economics: 4\n    recommendation: 3\n    addresses: [electricity]\n"
        f"    effect: {effect}\n", encoding="utf-8")
    with pytest.raises(InputError, match=problem):
        load_catalog(user)
