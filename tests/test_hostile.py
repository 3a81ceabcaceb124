"""Hostile inputs, faults and concurrency: nothing lost, no formula run, no traceback."""

from __future__ import annotations

import errno
import io
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from roadmap.errors import InputError
from roadmap.inputs.files import MAX_INPUT_BYTES, read_yaml
from roadmap.rendering import outputs
from roadmap.rendering.cells import safe_frame, to_csv
from roadmap.rendering.outputs import MARKER, check_output_folder, publish_folder
from roadmap.rendering.report import write_workbook
from tests.helpers import run, run_en

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "catalogs" / "sites"


def write_text(folder: Path, text: str):
    return lambda staging: (staging / "result.txt").write_text(text)


def roadmap_folder(path: Path, text: str = "old") -> Path:
    publish_folder(path, write_text(path, text))
    return path


# --- safe output folders -------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("/", "filesystem root"), (".", "working directory"), ("..", "working directory")])
def test_force_never_replaces_root_or_working_directory(tmp_path, monkeypatch, name, expected):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=expected):
        check_output_folder(Path(name), force=True)


def test_force_never_replaces_the_folder_holding_the_input(tmp_path, capsys):
    precious = tmp_path / "precious"
    precious.mkdir()
    profile = precious / "site.yaml"
    shutil.copy(SITES / "building.yaml", profile)
    status, _, err = run(capsys, "run", str(profile), "-o", str(precious), "--force")
    assert status == 2
    assert "folder holding" in err and "Traceback" not in err
    assert profile.exists()


def test_force_refuses_a_folder_roadmap_did_not_write(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("years of work")
    with pytest.raises(InputError, match="only a folder roadmap wrote"):
        publish_folder(mine, write_text(mine, "new"), force=True)
    assert (mine / "thesis.docx").read_text() == "years of work"


def test_force_refuses_a_version_controlled_tree(tmp_path):
    checkout = roadmap_folder(tmp_path / "checkout")
    (checkout / ".git").mkdir()
    with pytest.raises(InputError, match="version-controlled"):
        check_output_folder(checkout, force=True)


def test_output_named_as_a_file_or_a_symlink_is_refused(tmp_path):
    a_file = tmp_path / "out.txt"
    a_file.write_text("keep")
    link = tmp_path / "link"
    link.symlink_to(roadmap_folder(tmp_path / "real"))
    with pytest.raises(InputError, match="is a file"):
        check_output_folder(a_file, force=True)
    with pytest.raises(InputError, match="symbolic link"):
        check_output_folder(link, force=True)


def test_run_checks_the_output_before_the_analysis(tmp_path, capsys, monkeypatch):
    import roadmap.batch

    monkeypatch.setattr(roadmap.batch, "analyse_file", lambda *a: pytest.fail("analysed"))
    a_file = tmp_path / "out"
    a_file.write_text("keep")
    status, _, err = run(capsys, "run", str(SITES / "building.yaml"), "-o", str(a_file),
                         "--force")
    assert (status, err.count("\n")) == (2, 1)
    assert "is a file" in err


def test_force_replaces_a_roadmap_folder_and_marks_it(tmp_path):
    folder = roadmap_folder(tmp_path / "out")
    assert (folder / MARKER).read_text().startswith("roadmap ")
    publish_folder(folder, write_text(folder, "new"), force=True)
    assert (folder / "result.txt").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_kill_between_the_renames_leaves_the_old_folder_recoverable(tmp_path, monkeypatch):
    """The portable two-rename swap, killed after the first rename: the next run puts the
    old folder back before doing anything."""
    folder = roadmap_folder(tmp_path / "out")
    staging = tmp_path / ".out.tmp-dead"
    staging.mkdir()
    (staging / MARKER).write_text("roadmap 0.1.0\n")  # a staging folder is marked at once
    real_rename = Path.rename

    def killed_on_second(self, target):
        if self == staging:
            raise SystemExit("killed")  # nothing after this point runs
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", killed_on_second)
    with pytest.raises(SystemExit):
        outputs.swap_by_renames(staging, folder)
    monkeypatch.setattr(Path, "rename", real_rename)
    assert not folder.exists()
    [hidden] = tmp_path.glob(".out.previous-*")
    assert (hidden / "result.txt").read_text() == "old"
    outputs.recover_leftovers(folder)
    assert (folder / "result.txt").read_text() == "old"
    assert not list(tmp_path.glob(".out.previous-*")) and not staging.exists()


def test_a_failure_during_the_portable_swap_keeps_the_old_folder(tmp_path, monkeypatch):
    folder = roadmap_folder(tmp_path / "out")
    monkeypatch.setattr(outputs, "exchange", lambda a, b: False)

    def fail_after_writing(staging):
        (staging / "result.txt").write_text("new")
        monkeypatch.setattr(outputs, "swap_by_renames", broken_swap)

    def broken_swap(staging, target):
        target.rename(target.with_name(".out.previous-x"))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        publish_folder(folder, fail_after_writing, force=True)
    assert (folder / "result.txt").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_stale_staging_folders_of_dead_runs_are_removed(tmp_path):
    (tmp_path / ".out.tmp-12345678").mkdir()
    (tmp_path / ".out.tmp-12345678" / MARKER).write_text("roadmap 0.1.0\n")
    publish_folder(tmp_path / "out", write_text(tmp_path, "new"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_full_disk_gives_one_line_and_keeps_the_old_folder(tmp_path):
    folder = roadmap_folder(tmp_path / "out")

    def full(staging):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(InputError, match="No space left"):
        publish_folder(folder, full, force=True)
    assert (folder / "result.txt").read_text() == "old"


def test_two_concurrent_runs_cannot_replace_one_another(tmp_path):
    folder = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from roadmap.rendering.outputs import claimed_folder
        with claimed_folder({str(folder)!r}, False):
            print("holding", flush=True)
            time.sleep(30)
        """)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(InputError, match="another roadmap run"):
            publish_folder(folder, write_text(folder, "second"))
        assert not folder.exists()
    finally:
        holder.kill()
        holder.wait()
    publish_folder(folder, write_text(folder, "second"))  # the lock died with its process


# --- formula-safe exports --------------------------------------------------------------

HOSTILE = pd.DataFrame({"name_en": ['=HYPERLINK("http://x","click")', "=cmd|' /C calc'!A0",
                                    "+1", "-2+3", "@SUM(A1)", "\tx", "Solar PV"],
                        "value": [1.0, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0]})


def test_formula_cells_are_written_as_text_in_xlsx(tmp_path):
    write_workbook({"ranking": HOSTILE}, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["ranking"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    assert [c.value for c in cells][:2] == ["'" + HOSTILE.name_en[0], "'" + HOSTILE.name_en[1]]
    assert cells[-1].value == "Solar PV"
    assert [row[1].value for row in sheet.iter_rows(min_row=2)][1] == -2.0  # numbers stay


def test_formula_cells_get_an_apostrophe_in_csv():
    lines = to_csv(HOSTILE).splitlines()
    assert lines[1].startswith('"\'=HYPERLINK(')
    assert [line[0] for line in lines[3:6]] == ["'", "'", "'"]
    assert lines[7] == "Solar PV,7.0"
    assert safe_frame(HOSTILE.tail(1)) is not None


# --- bounded YAML ----------------------------------------------------------------------

def yaml_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(text)
    return path


def test_billion_laughs_is_refused(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    with pytest.raises(InputError, match="aliases repeat more than 100000 values"):
        read_yaml(yaml_file(tmp_path, "\n".join(lines)))


def test_deep_nesting_is_refused(tmp_path):
    with pytest.raises(InputError, match="nested deeper"):
        read_yaml(yaml_file(tmp_path, "a: " + "[" * 20000 + "]" * 20000))


def test_duplicate_keys_are_refused_with_their_line(tmp_path):
    text = "name: x\nbaseline:\n  building_fuel: 1\nbaseline:\n  grid: 2\n"
    with pytest.raises(InputError, match=r"line 4: malformed YAML: duplicate key 'baseline'"):
        read_yaml(yaml_file(tmp_path, text))


def test_oversized_folder_and_endless_inputs_are_refused(tmp_path):
    big = yaml_file(tmp_path, "a: " + "x" * MAX_INPUT_BYTES)
    with pytest.raises(InputError, match="larger than 4 MB"):
        read_yaml(big)
    with pytest.raises(InputError, match="is a folder"):
        read_yaml(tmp_path)
    with pytest.raises(InputError, match="not a regular file"):
        read_yaml(Path("/dev/zero"))


# --- batch -----------------------------------------------------------------------------

def test_batch_never_overwrites_an_earlier_summary_without_force(tmp_path, capsys):
    (tmp_path / "summary.csv").write_text("earlier results\n")
    status, _, err = run(capsys, "batch", str(SITES / "building.yaml"), "-o", str(tmp_path))
    assert status == 2 and "earlier batch summary" in err
    status, _, err = run(capsys, "batch", str(SITES / "building.yaml"), "-o", str(tmp_path),
                         "--force")
    assert status == 2 and "only a batch summary roadmap wrote" in err
    assert (tmp_path / "summary.csv").read_text() == "earlier results\n"


def test_a_member_crashing_is_a_summary_row(tmp_path, monkeypatch):
    import roadmap.batch

    real = roadmap.batch.analyse_file

    def crash_on_park(catalog, path, options=None):
        if "park" in str(path):
            raise ZeroDivisionError("boom")
        return real(catalog, path, options)

    monkeypatch.setattr(roadmap.batch, "analyse_file", crash_on_park)
    summary = roadmap.batch.run_batch([SITES / "industrial-park.yaml", SITES / "building.yaml"],
                                      tmp_path)
    assert "ZeroDivisionError: boom" in summary.loc[0, "error"]
    assert summary.loc[1, "error"] == "" and summary.loc[1, "baseline_t_per_yr"] > 0


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in text:
            found.append(int(status.parent.name))
    return found


def test_ctrl_c_stops_a_two_worker_batch_and_writes_the_summary(tmp_path):
    profiles = []
    for index in range(6):
        for source in sorted(SITES.glob("*.yaml"))[:2]:
            copy = tmp_path / "in" / f"{index}-{source.name}"
            copy.parent.mkdir(exist_ok=True)
            shutil.copy(source, copy)
            profiles.append(str(copy))
    out = tmp_path / "out"
    # Ctrl-C as at a terminal: a test run started in the background (`cmd &` in a script)
    # hands its children SIGINT ignored, and Python then never installs KeyboardInterrupt
    batch = subprocess.Popen([str(Path(sys.executable).parent / "roadmap"), "batch", "--jobs", "2",
                              "-o", str(out), *profiles], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    def finished() -> list[Path]:  # not the hidden staging folders
        return [p for p in out.glob("*/" + MARKER) if not p.parent.name.startswith(".")]

    while not finished() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # the finished site's summary row reaches the parent
    workers = _children(batch.pid)
    batch.send_signal(signal.SIGINT)
    _, err = batch.communicate(timeout=60)
    assert batch.returncode == 130, err
    assert "已中断：已为完成的" in err and "interrupted: wrote" in err  # in both languages
    summary = pd.read_csv(out / "summary.csv")
    assert 1 <= len(summary) <= len(finished()) < len(profiles)
    assert summary["error"].isna().all() and summary["baseline_t_per_yr"].gt(0).all()
    time.sleep(0.5)
    assert workers and not [p for p in workers if Path(f"/proc/{p}").exists()
                            and "State:\tZ" not in Path(f"/proc/{p}/status").read_text()]


# --- numbers --------------------------------------------------------------------------

@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_nan_and_infinity_are_refused_in_a_profile(tmp_path, catalog, value):
    from roadmap.inputs.site import load_site

    text = (SITES / "building.yaml").read_text()
    profile = yaml_file(tmp_path, text.replace("lpg: 60", f"lpg: {value}"))
    with pytest.raises(InputError, match=r"baseline.commercial.lpg.: -?(nan|inf) is not allowed"):
        load_site(profile, catalog)


@pytest.mark.parametrize(("extra", "expected"), [
    ({"grid": {2020: 0.0, 2050: 0.0}}, "grid.: the factor in the base year 2020 is 0"),
    ({"baseline": {"industry": {"electricity": 100, "biomass": 50}}},
     "baseline.: industry.biomass has 50 t, but biomass counts 0 tCO2 per MWh"),
    ({"assumptions": {"grid_factor": {2010: 0.0, 2050: 0.0}}},
     "assumptions.: grid_factor: the factor in the base year 2020 is 0"),
    ({"energy": {"industry": {"coal_t": 1000}}, "assumptions": {"emission_factors": {"coal": 0}}},
     "assumptions.: emission_factors.coal is 0, but energy gives industry.coal_t"),
])
def test_emissions_without_a_factor_are_refused(extra, expected):
    """The model holds a cell's energy as its emissions over the base year's factor: a zero
    factor there divided by zero and ended in scipy's traceback (grid) or NaN."""
    from roadmap.inputs.site import site_from_dict
    with pytest.raises(InputError, match=expected):
        site_from_dict({"name": "t", "domain": "town", "base_year": 2020,
                        "baseline": {"industry": {"electricity": 100}}, **extra})


def test_catalog_validate_warns_about_formula_names(tmp_path, capsys):
    _, out, _ = run(capsys, "catalog", "export", "-f", "csv")
    frame = pd.read_csv(io.StringIO(out)).head(1)
    frame.loc[0, "id"] = "usr-formula"
    frame.loc[0, "name_en"] = '=HYPERLINK("http://x","click")'
    frame.to_csv(tmp_path / "mine.csv", index=False)
    status, out, err = run(capsys, "catalog", "validate", str(tmp_path / "mine.csv"))
    assert status == 0, err
    assert "usr-formula: field 'name_en' starts like a formula" in err


# --- smaller items ------------------------------------------------------------------------

def test_an_id_both_included_and_excluded_is_refused(tmp_path):
    from roadmap.inputs.site import site_from_dict
    with pytest.raises(InputError, match="'town-tod' is also in exclude"):
        site_from_dict({"name": "t", "domain": "town", "baseline": {"electricity": 1},
                        "include": ["town-tod"], "exclude": ["town-tod"]})


@pytest.mark.parametrize("weights", ["site_abatement=-1,cost=3", "cost=nan", "cost=0"])
def test_cli_weights_are_checked_like_the_profile(capsys, weights):
    status, out, err = run(capsys, "rank", str(SITES / "xiaolan-town.yaml"), "--weights",
                           weights)
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "--weights" in err


def test_a_method_that_cannot_rank_the_candidates_is_one_error(catalog):
    from roadmap.decisions.matrix import decision_matrix
    from roadmap.decisions.ranking import compare_methods, rank
    from roadmap.inputs.site import site_from_dict
    matrix = decision_matrix(catalog, site_from_dict(
        {"name": "t", "domain": "town", "baseline": {"industry": {"coal": 1}}}),
        criteria=("abatement", "economics"))
    one = type(matrix)(matrix.frame.head(1), matrix.criteria, matrix.excluded, matrix.dropped)
    weights = {"abatement": 1, "economics": 1}
    with pytest.raises(InputError, match="VIKOR cannot rank 1 measure"):
        rank(one, "vikor", weights)
    assert "vikor" in compare_methods(one, ["wsm", "vikor"], weights).skipped


def test_a_boolean_grade_and_a_huge_name_are_refused(tmp_path):
    from roadmap.inputs.catalog import read_catalog_file
    from roadmap.inputs.site import site_from_dict
    entry = ("technologies:\n  - {id: x, domain: park, category: c, name_zh: 名, name_en: n,"
             " abatement: 3, economics: 3, recommendation: true, addresses: [electricity]}\n")
    with pytest.raises(InputError, match="recommendation"):
        path = tmp_path / "cat.yaml"
        path.write_text(entry, encoding="utf-8")
        read_catalog_file(path)
    with pytest.raises(InputError, match="'name'"):
        site_from_dict({"name": "x" * 10_000, "domain": "town",
                        "baseline": {"electricity": 1}})


def test_markdown_and_the_font_placeholder_are_safe_from_names(tmp_path):
    from roadmap.rendering.report import md_escape
    assert md_escape("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"
    assert md_escape("<script>") == "\\<script\\>" and md_escape("a|b") == "a\\|b"
    assert md_escape("![i](http://x/y.png)") == "\\!\\[i\\](http://x/y.png)"


# Errors found deep in the analysis name the profile file and the true origin of the value.
TOWN = "name: t\ndomain: town\nbaseline: {industry: {coal: 100000, electricity: 50000}}\n"
DEEP_ERRORS = [
    ("method: copras\nweights: {site_abatement: 1}\n", ["rank"],
     "field 'method': COPRAS needs a cost criterion"),
    ("method: copras\nweights: {site_abatement: 1}\n", ["run", "-o", "{out}"],
     "field 'method': COPRAS needs a cost criterion"),
    ("include: [town-carbon-evaluation-indicators]\n"
     "exclude: [town-carbon-monitoring-platform]\n", ["plan"],
     "field 'include': 'town-carbon-evaluation-indicators' needs "
     "'town-carbon-monitoring-platform'"),
    ("", ["plan", "--budget"], "field 'budget': no budget to allocate"),
    ("budget: 1000\nphase_budgets: {someday: 100}\n", ["run", "-o", "{out}"],
     "field 'phase_budgets': unknown phase 'someday' (allowed: near, mid, long)"),
]


@pytest.mark.parametrize(("extra", "command", "expected"), DEEP_ERRORS)
def test_errors_deep_in_the_analysis_name_the_profile_and_its_field(
        tmp_path, capsys, extra, command, expected):
    profile = tmp_path / "my-town.yaml"
    profile.write_text(TOWN + extra, encoding="utf-8")
    out = tmp_path / "out"
    args = [a.format(out=out) for a in command]
    status, stdout, err = run_en(capsys, args[0], str(profile), *args[1:])
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith(f"error: {profile}: {expected}")
    assert "Traceback" not in err and not out.exists()


def test_no_measure_for_the_site_names_the_profile(tmp_path, capsys):
    profile = tmp_path / "farm.yaml"
    profile.write_text("name: f\ndomain: transport\nbaseline: {agriculture: {non_energy: 1}}\n")
    status, _, err = run_en(capsys, "rank", str(profile))
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith(f"error: {profile}: no measure applies to this site")


@pytest.mark.parametrize("command", ["rank", "check", "run"])
def test_a_site_no_measure_abates_anything_at_is_one_error_naming_the_profile(
        tmp_path, capsys, command):
    """A community that emits only farming's non-energy gases: its catalog's planning rows
    apply but steer nothing; ranking them would recommend measures that abate nothing."""
    profile = tmp_path / "farm.yaml"
    profile.write_text("name: f\ndomain: community\nbaseline: {agriculture: {non_energy: 1}}\n")
    out = tmp_path / "out"
    status, _, err = run_en(capsys, command, str(profile), *(["-o", str(out)] if command == "run"
                                                          else []))
    assert status == 2 and len(err.strip().splitlines()) == 1 and not out.exists()
    assert err.startswith(f"error: {profile}: no measure abates anything at this site by 2050 (it "
                          "emits agriculture.non_energy) (allowed: extra_domains")


def test_a_method_from_the_command_line_is_named_as_the_option(tmp_path, capsys):
    profile = tmp_path / "my-town.yaml"
    profile.write_text(TOWN + "weights: {site_abatement: 1}\n")
    status, _, err = run_en(capsys, "rank", str(profile), "--method", "copras")
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith("error: --method: COPRAS needs a cost criterion")
    assert str(profile) not in err
    status, _, err = run_en(capsys, "compare", str(profile), "--methods", "topsis,copras")
    assert status == 2 and err.startswith("error: --methods: COPRAS needs a cost criterion")


def test_a_method_named_in_code_names_the_profile_it_came_from():
    from roadmap.decisions.ranking import method_spec
    from roadmap.errors import naming_the_profile
    for option, expected in ((None, r"^p\.yaml: field 'method': unknown method 'x'"),
                             ("--method", r"^--method: unknown method 'x'"),
                             ("--methods", r"^--methods: unknown method 'x'")):
        with pytest.raises(InputError, match=expected), naming_the_profile("p.yaml", option):
            method_spec("x")


def test_a_value_after_a_switch_is_one_line_pointing_to_the_option_that_takes_it(capsys):
    """`--budget` is a switch; `--budget-amount` takes the amount."""
    site = str(SITES / "transport-hub.yaml")
    status, out, err = run_en(capsys, "plan", site, "--budget", "20000")
    assert (status, out) == (2, "")
    assert err == ("error: roadmap plan: unexpected argument(s): 20000; did you mean "
                   "'--budget-amount 20000'? (allowed: what `roadmap plan --help` lists)\n")
    status, _, err = run_en(capsys, "plan", site, "more", "words")
    assert err == ("error: roadmap plan: unexpected argument(s): more words (allowed: what "
                   "`roadmap plan --help` lists)\n")
    status, _, err = run_en(capsys, "plan", site, "--budget", "20000", "--lang", "zh")
    assert err.startswith("错误：roadmap plan：多余的参数：20000；"
                          "是否应为 '--budget-amount 20000'？")


def test_a_missing_choice_is_one_line_listing_the_choices(tmp_path, capsys):
    status, out, err = run_en(capsys, "chart", "-o", str(tmp_path / "x.png"))
    assert (status, out) == (2, "") and len(err.strip().splitlines()) == 1
    assert err == ("error: roadmap chart: --domain is missing (allowed: building, "
                   "transport, enterprise, park, community, town)\n")
    assert not (tmp_path / "x.png").exists()
