"""Issue 13: start-up, inputs as consultants have them, init/check, the CLI's help."""

from __future__ import annotations

import gc
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import typer

from roadmap import Site, load_catalog, load_site, profile_template, read_catalog_file
from roadmap.cli.common import WORKFLOW, TownPart, app
from roadmap.errors import InputError
from roadmap.inputs.site import SECTOR_OF_DOMAIN
from roadmap.inputs.template import GUIDE
from roadmap.inputs.vocabulary import DOMAINS
from roadmap.rendering.gantt import TOWN_PARTS
from tests.helpers import run


@pytest.fixture(scope="module")
def park_csv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("csv")
    path = folder / "park.csv"
    path.write_text(load_catalog().filter(domain="park").to_frame().to_csv(index=False),
                    encoding="utf-8")
    return path


def test_bom_and_gbk_csv_read_like_utf8(park_csv, tmp_path, capsys):
    expected = read_catalog_file(park_csv)
    text = park_csv.read_text(encoding="utf-8")
    bom, gbk = tmp_path / "bom.csv", tmp_path / "gbk.csv"
    bom.write_text(text, encoding="utf-8-sig")
    gbk.write_text(text, encoding="gbk")
    assert read_catalog_file(bom) == expected
    assert capsys.readouterr().err == ""
    assert read_catalog_file(gbk) == expected
    assert "read as GB18030" in capsys.readouterr().err
    assert len(expected) == 29


def test_xlsx_export_reads_back_identically(tmp_path, capsys):
    path = tmp_path / "catalog.xlsx"
    assert run(capsys, "catalog", "export", "-f", "xlsx", "-o", str(path))[0] == 0
    assert read_catalog_file(path) == list(load_catalog())


def test_init_writes_a_valid_profile_for_every_domain(tmp_path, capsys):
    catalog = load_catalog()
    for domain in DOMAINS:
        path = tmp_path / f"{domain}.yaml"
        assert run(capsys, "init", "--domain", domain, "-o", str(path))[0] == 0
        site = load_site(path, catalog)
        assert site.domain == domain
        # a building, a transport system or an enterprise is not a town: its example
        # inventory holds its own sector only
        sectors = {sector for sector, _ in site.cells()}
        assert SECTOR_OF_DOMAIN[domain] in sectors
        if domain in ("building", "transport", "enterprise"):
            assert sectors == {SECTOR_OF_DOMAIN[domain]}
        status, out, _ = run(capsys, "check", str(path))
        assert status == 0 and "valid" in out and "electricity" in out
        # the template's example name and source are remarked on until they are replaced
        assert "仍是模板示例：name、sources·budget；请替换为本场地的数据" in out
    path.write_text(path.read_text(encoding="utf-8").replace("示例 Example site", "园区 A"),
                    encoding="utf-8")
    site = load_site(path, catalog)
    assert site.remarks() == (
        "still the template's example: sources.budget; replace it with the site's own",
        f"the plan is taken to start in {site.base_year + 1}, the year after the base year "
        f"{site.base_year} (the profile gives no start_year); set start_year for a plan that "
        "starts later")


def test_init_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "site.yaml"
    path.write_text("mine")
    status, _, err = run(capsys, "init", "-o", str(path))
    assert status == 2 and "exists" in err and path.read_text() == "mine"


def test_template_covers_every_site_field():
    user_keys = set(Site.model_fields) - {"notes"}  # notes are written by the loader
    assert set(GUIDE) == user_keys
    text = profile_template("town")
    for name in user_keys:
        assert f"\n{name}:" in text and f"# {name}" in text


def test_template_shows_the_default_assumptions_without_pinning_them(tmp_path):
    """Written out live, the defaults would stay in the profile when a release improves
    them; the template lists them as comments and sets none."""
    from roadmap.inputs.assumptions import Assumptions

    text = profile_template("enterprise")
    assert "\nassumptions: {}\n" in text
    assert "\n#   grid_factor: {2012: 0.5271, 2022: 0.387, 2050: 0.144}\n" in text
    path = tmp_path / "site.yaml"
    path.write_text(text.replace("assumptions: {}", "assumptions: {lifetime_years: 20}"))
    assumptions = load_site(path).assumptions
    assert assumptions.lifetime_years == 20
    assert assumptions.grid_factor == Assumptions().grid_factor


def test_undeclared_feature_is_refused_with_a_suggestion(tmp_path):
    base = profile_template("town")
    typo = tmp_path / "typo.yaml"
    typo.write_text(base.replace("features: []", "features: [fishry]", 1))
    with pytest.raises(InputError, match="did you mean 'fishery'"):
        load_site(typo)
    undeclared = tmp_path / "island.yaml"
    undeclared.write_text(base.replace("features: []", "features: [island]", 1))
    with pytest.raises(InputError, match="custom_features"):
        load_site(undeclared)
    declared = tmp_path / "declared.yaml"
    declared.write_text(base.replace("features: []", "features: [island]", 1)
                        .replace("custom_features: []", "custom_features: [island]"))
    assert load_site(declared).features == ("island",)


def test_version_prints_the_package_version(capsys):
    status, out, _ = run(capsys, "--version")
    assert status == 0 and out.strip() == f"roadmap {version('roadmap')}"


def _commands(group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))


def test_every_option_and_argument_has_help_text():
    root = typer.main.get_command(app)
    missing = [f"{' '.join(path)} {param.name}"
               for path, command in [((), root), *_commands(root)]
               for param in command.params
               if param.name != "help" and not getattr(param, "help", None)
               and param.name != "ctx"]
    assert missing == []


def test_commands_are_listed_in_workflow_order():
    root = typer.main.get_command(app)
    assert root.list_commands(None) == list(WORKFLOW)


def test_town_part_choices_match_the_charts():
    assert [part.value for part in TownPart] == list(TOWN_PARTS)


def test_help_and_catalog_validate_import_neither_pandas_nor_matplotlib(tmp_path, park_csv):
    code = ("import sys; from roadmap.cli import main\n"
            "try: main(sys.argv[1:])\nexcept SystemExit: pass\n"
            "print(sorted(m for m in ('pandas', 'matplotlib', 'pymcdm') if m in sys.modules))")
    for args in (["--help"], ["--version"], ["catalog", "validate", str(park_csv)]):
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                              text=True, check=True)
        assert done.stdout.strip().splitlines()[-1] == "[]", args


def test_the_program_ends_with_everything_frozen():
    """The `roadmap` program (`program`, the script's entry point) leaves nothing for the
    interpreter's exit to collect (it collected every object: 0.4 s after a run); `main`
    called in-process leaves the collector as it was."""
    code = ("import atexit, gc, sys; from roadmap.cli import main, program\n"
            "try: main(['--version'])\nexcept SystemExit: pass\n"
            "print('main', gc.isenabled(), gc.get_freeze_count())\n"
            "atexit.register(lambda: print('exit', len(gc.get_objects())))\n"
            "sys.argv = ['roadmap', 'catalog', 'list', '--domain', 'park']\nprogram()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    lines = done.stdout.strip().splitlines()
    assert lines[1] == "main True 0"  # after the version
    label, tracked = lines[-1].split()
    assert label == "exit" and int(tracked) < 1_000  # of about 120,000 objects


def test_commands_freeze_their_imports_out_of_garbage_collection_and_restore_it(
        capsys, monkeypatch, tmp_path):
    """A command's work runs with the collector on and its imported modules' objects frozen
    (full collections went through them all: 0.4 s of CPU in a run), a batch's sites too
    (they load no catalog in the command: left off, a batch grew by 45 MB a site);
    afterwards, even after bad input, the collector is as it was and nothing stays frozen
    (the tests run commands in-process)."""
    import roadmap.batch
    import roadmap.inputs.catalog

    seen = []

    def spying(function):
        def spy(*args):
            seen.append((gc.isenabled(), gc.get_freeze_count()))
            return function(*args)
        return spy

    for module, name in ((roadmap.inputs.catalog, "load_catalog"), (roadmap.batch, "_run_job")):
        monkeypatch.setattr(module, name, spying(getattr(module, name)))
    assert run(capsys, "catalog", "list", "--domain", "park")[0] == 0
    building = Path(__file__).resolve().parents[1] / "catalogs" / "sites" / "building.yaml"
    assert run(capsys, "batch", str(building), "-o", str(tmp_path / "b"))[0] == 0
    assert len(seen) >= 2 and all(on and frozen > 10_000 for on, frozen in seen)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert run(capsys, "rank", "no-such-site.yaml")[0] == 2
    assert gc.isenabled() and gc.get_freeze_count() == 0


@pytest.mark.parametrize(("old", "new", "message"), [
    ("reduction: 0.5", "reduction: 90", "line 35: field 'target.reduction': 90 is not allowed; "
     "did you mean 0.9?"),
    ("\nmethod: topsis", "\nmethod: topsys", "field 'method': 'topsys' is not allowed; did you "
     "mean 'topsis'?"),
])
def test_site_errors_name_the_line_and_suggest(tmp_path, old, new, message):
    path = tmp_path / "site.yaml"
    path.write_text(profile_template("town").replace(old, new, 1))
    with pytest.raises(InputError) as raised:
        load_site(path)
    assert message in str(raised.value)


def test_search_and_short_displays():
    catalog = load_catalog()
    found = catalog.search("光伏")
    assert [t.id for t in found] == ["bld-solar-pv", "ent-distributed-pv",
                                     "town-building-solar-pv", "town-agrivoltaics"]
    assert [t.id for t in catalog.search("PHOTOVOLTAIC")] == [
        t.id for t in catalog if "photovoltaic" in t.name_en.lower()]
    html = catalog._repr_html_()
    assert "230 rows, first 8 shown" in html and html.count("<tr") == 9
    assert repr(catalog) == "<Catalog of 230 technologies>"


def test_every_public_name_resolves():
    import roadmap

    for name in roadmap.__all__:
        assert getattr(roadmap, name) is not None, name


CERAMICS = """\
tags: {ceramics: "kilns of a ceramics plant on site"}
document: own survey
domain: enterprise
technologies:
  - {id: kiln-heat-recovery, category: 节能, name_zh: 窑炉余热回收, name_en: Kiln heat recovery,
     abatement: 4, economics: 4, recommendation: 4, applicability: energy_intensive,
     addresses: [industrial_fuel], requires: [%s], source: {table: "1"}}
"""


def test_catalog_tags_are_declared_and_typos_refused(tmp_path):
    good = tmp_path / "ceramics.yaml"
    good.write_text(CERAMICS % "ceramics")
    assert read_catalog_file(good)[0].requires == ("ceramics",)
    typo = tmp_path / "typo.yaml"
    typo.write_text(CERAMICS % "ceramic")
    with pytest.raises(InputError, match="unknown feature 'ceramic'; did you mean 'ceramics'"):
        read_catalog_file(typo)
    undeclared = tmp_path / "undeclared.yaml"
    undeclared.write_text((CERAMICS % "glass").split("\n", 1)[1])
    with pytest.raises(InputError, match="declare it under the file's `tags:`"):
        read_catalog_file(undeclared)


def test_requires_any_lets_a_fishery_site_keep_aquaculture(tmp_path):
    from roadmap import decision_matrix, site_from_dict

    catalog = load_catalog()
    assert catalog.get("town-efficient-animal-farming").requires_any == ("farmland", "fishery")
    base = {"name": "t", "domain": "town", "baseline": {"agriculture": 10, "electricity": 10}}
    for features, kept in (([], False), (["fishery"], True), (["farmland"], True)):
        matrix = decision_matrix(catalog, site_from_dict({**base, "features": features}))
        assert ("town-efficient-animal-farming" in matrix.ids) is kept, features


def test_check_names_the_ranked_measures_that_gain_nothing(tmp_path, capsys):
    profile = tmp_path / "waste.yaml"
    profile.write_text("name: w\ndomain: community\nbaseline: {waste: {non_energy: 5000}}\n")
    status, out, _ = run(capsys, "check", str(profile), "--lang", "en")
    assert status == 0
    idle = out.split("Ranked, but left out of the roadmap unless a chosen measure needs them")[1]
    assert "abates nothing at this site on its own" in idle
    assert "com-low-carbon-planning" in idle and "com-waste-valorisation" not in idle
    xiaolan = Path(__file__).resolve().parents[1] / "catalogs" / "sites" / "xiaolan-town.yaml"
    status, out, _ = run(capsys, "check", str(xiaolan), "--lang", "en")
    assert status == 0 and "Ranked, but left out" not in out
