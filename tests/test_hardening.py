"""The hardening audit's findings: each test failed before its fix."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from roadmap.decisions.acceptability import acceptability
from roadmap.decisions.matrix import decision_matrix
from roadmap.decisions.sensitivity import sensitivity
from roadmap.errors import InputError
from roadmap.inputs.files import MAX_INPUT_BYTES, MAX_UNPACKED_BYTES
from roadmap.inputs.site import load_site, site_from_dict
from roadmap.model.pathway import site_model
from roadmap.model.uncertainty import monte_carlo
from roadmap.rendering.cells import FORMULA_STARTS, formula_warnings, to_csv
from roadmap.rendering.outputs import MARKER, first_unlisted, listed_files, publish_folder
from roadmap.rendering.report import write_workbook
from roadmap.workflow import Options
from tests.helpers import run, run_en

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "catalogs" / "sites"
FAST = ("--draws", "10", "--lang", "en")

# A user's catalog whose text a spreadsheet, a terminal or a report could take for commands.
HOSTILE_CATALOG = textwrap.dedent("""\
    technologies:
      - id: usr-full-width
        domain: building
        category: "＝1+1"
        name_zh: "＝HYPERLINK(\\"http://x\\",\\"点\\")"
        name_en: "＠SUM(A1) [bold]loud[/] [/oops]"
        abatement: 5
        economics: 5
        recommendation: 5
        addresses: [electricity]
        note: "＋1 <script>alert(1)</script>"
      - id: usr-ascii
        domain: building
        category: "@SUM(A1)"
        name_zh: "－2+3"
        name_en: "=cmd|' /C calc'!A0"
        abatement: 5
        economics: 5
        recommendation: 5
        addresses: [electricity]
    """)


def hostile_site(tmp_path: Path) -> tuple[Path, Path]:
    """A user catalog of hostile names, and the building profile that includes them."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(HOSTILE_CATALOG, encoding="utf-8")
    profile = tmp_path / "site.yaml"
    profile.write_text((SITES / "building.yaml").read_text(encoding="utf-8").replace(
        "include: []", "include: [usr-full-width, usr-ascii]"), encoding="utf-8")
    return mine, profile


def formula_cells(folder: Path) -> list[tuple[str, str]]:
    """(file, text) of every text cell of the folder's CSV and XLSX files that starts like
    a formula (numbers such as -5.2 are numbers)."""
    def evaluated(value: object) -> bool:
        if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
            return False
        try:
            float(value)
        except ValueError:
            return True
        return False

    found = []
    for path in sorted(folder.rglob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            found += [(path.name, v) for row in csv.reader(handle) for v in row if evaluated(v)]
    for path in sorted(folder.rglob("*.xlsx")):
        for sheet in openpyxl.load_workbook(path).worksheets:
            found += [(f"{path.name}:{sheet.title}", str(cell.value))
                      for row in sheet.iter_rows() for cell in row
                      if evaluated(cell.value) or cell.data_type == "f"]
    return found


# --- spreadsheet cells: the full-width signs -------------------------------------------

FULL_WIDTH = pd.DataFrame({"name_en": ["＝1+1", "＋1", "－2+3", "＠SUM(A1)", "－"],
                           "value": [1.0, 2.0, 3.0, 4.0, 5.0]})


def test_full_width_formula_signs_get_an_apostrophe_in_csv_and_xlsx(tmp_path):
    lines = to_csv(FULL_WIDTH).splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["'＝1+1", "'＋1", "'－2+3",
                                                           "'＠SUM(A1)", "'－"]
    write_workbook({"ranking": FULL_WIDTH}, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["ranking"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)][:2] == ["'＝1+1", "'＋1"]


def test_catalog_validate_warns_about_full_width_formula_names():
    warnings = formula_warnings([{"id": "usr-x", "name_zh": "＝1+1", "name_en": "plain"}],
                                "mine.yaml")
    assert warnings == ["warning: mine.yaml: usr-x: field 'name_zh' starts like a formula "
                        "('＝1+1'); exports write it with a leading apostrophe"]


def test_no_output_of_a_run_holds_a_formula_from_a_user_catalog(tmp_path, capsys):
    mine, profile = hostile_site(tmp_path)
    status, _, err = run(capsys, "-c", str(mine), "run", str(profile),
                         "-o", str(tmp_path / "out"), *FAST)
    assert status == 0, err
    assert formula_cells(tmp_path / "out") == []
    ranking = pd.read_csv(tmp_path / "out" / "ranking.csv")
    assert set(ranking["name_zh"]) >= {"'＝HYPERLINK(\"http://x\",\"点\")", "'－2+3"}


# --- --force replaces only what roadmap wrote ----------------------------------------------

def roadmap_folder(path: Path) -> Path:
    """A folder as roadmap writes it: two files, one in a subfolder, and the marker."""
    def write(staging: Path) -> None:
        (staging / "charts").mkdir()
        (staging / "charts" / "a.svg").write_text("<svg/>")
        (staging / "ranking.csv").write_text("rank,id\n")

    return publish_folder(path, write)


def replace(folder: Path) -> None:
    publish_folder(folder, lambda staging: (staging / "new.txt").write_text("new"), force=True)


def test_the_marker_lists_every_file_with_its_sha256(tmp_path):
    folder = roadmap_folder(tmp_path / "out")
    lines = (folder / MARKER).read_text().splitlines()
    svg, csv_ = (hashlib.sha256(text).hexdigest() for text in (b"<svg/>", b"rank,id\n"))
    assert lines[0].startswith("roadmap ")
    assert lines[1:] == [f"{svg}  charts/a.svg", f"{csv_}  ranking.csv"]


def test_a_marker_copied_into_a_foreign_folder_lets_force_delete_nothing(tmp_path):
    foreign = tmp_path / "thesis"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("years of work")
    shutil.copy(roadmap_folder(tmp_path / "out") / MARKER, foreign / MARKER)
    with pytest.raises(InputError, match="'thesis.docx' is not listed in .roadmap-output"):
        replace(foreign)
    assert (foreign / "thesis.docx").read_text() == "years of work"


@pytest.mark.parametrize("change, entry", [
    (lambda f: (f / "notes.txt").write_text("mine"), "notes.txt"),
    (lambda f: (f / "charts" / "mine.png").write_bytes(b"png"), "charts/mine.png"),
    (lambda f: (f / "ranking.csv").write_text("rank,id\n1,my-edit\n"), "ranking.csv"),
    (lambda f: (f / "drafts").mkdir(), "drafts"),
    (lambda f: (f / "link").symlink_to(f / "ranking.csv"), "link"),
])
def test_force_keeps_a_roadmap_folder_the_user_added_to_or_edited(tmp_path, change, entry):
    folder = roadmap_folder(tmp_path / "out")
    change(folder)
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    with pytest.raises(InputError, match=f"'{entry}' is not listed in .roadmap-output or was "
                                         "changed since"):
        replace(folder)
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before


def test_a_marker_listing_no_file_is_not_enough_for_force(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "ranking.csv").write_text("rank,id\n")
    (folder / MARKER).write_text("roadmap 0.1.0\n")  # planted, or from an earlier roadmap
    with pytest.raises(InputError, match="lists no file"):
        replace(folder)
    assert (folder / "ranking.csv").exists()


def test_force_replaces_a_roadmap_folder_as_it_was_written(tmp_path, capsys):
    folder = roadmap_folder(tmp_path / "out")
    replace(folder)
    assert sorted(p.name for p in folder.iterdir()) == [MARKER, "new.txt"]
    assert first_unlisted(folder, listed_files(folder)) is None


# --- the terminal: a name is text, not rich markup ----------------------------------------

@pytest.mark.parametrize("command", [("catalog", "list", "-d", "building"),
                                     ("catalog", "show", "usr-full-width")])
def test_markup_in_a_catalog_name_is_printed_as_it_is(tmp_path, capsys, command):
    mine, _ = hostile_site(tmp_path)
    status, out, err = run(capsys, "-c", str(mine), *command)
    assert (status, err.count("Traceback")) == (0, 0), err
    assert "＠SUM(A1) [bold]loud[/] [/oops]" in out


def test_markup_in_a_profile_name_is_printed_as_it_is(tmp_path, capsys):
    profile = tmp_path / "site.yaml"
    profile.write_text((SITES / "building.yaml").read_text(encoding="utf-8").replace(
        "\nname: ", "\nname: '[/x] :smile:' # "), encoding="utf-8")
    status, out, err = run(capsys, "check", str(profile), "--lang", "en")
    assert status == 0, err
    assert "[/x] :smile:" in out


# --- text no output can hold -------------------------------------------------------------

def test_a_control_character_in_a_profile_is_one_line_before_any_output(tmp_path, capsys):
    profile = tmp_path / "site.yaml"
    profile.write_text((SITES / "building.yaml").read_text(encoding="utf-8").replace(
        "\nname: ", '\nname: "Office\\x01\\x0b" # '), encoding="utf-8")
    status, _, err = run_en(capsys, "run", str(profile), "-o", str(tmp_path / "out"), *FAST)
    assert (status, err) == (2, f"error: {profile}: line 15: field 'name': control character "
                                "U+0001 in the text (allowed: text without control characters; "
                                "tab and line breaks are fine)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site.yaml"]


def test_a_control_character_in_a_csv_catalog_names_the_entry(tmp_path, capsys):
    _, out, _ = run_en(capsys, "catalog", "export", "-d", "building")
    frame = pd.read_csv(io.StringIO(out)).head(1).assign(id="usr-bell", note="ring\x07")
    frame.to_csv(tmp_path / "mine.csv", index=False)
    status, _, err = run_en(capsys, "catalog", "validate", str(tmp_path / "mine.csv"))
    assert status == 2
    assert err.startswith(f"error: {tmp_path / 'mine.csv'}: entry 'usr-bell' (line 2): field "
                          "'note': control character U+0007 in the text")


# --- numbers past any site, and keys that are the engine's own -----------------------------

def building(**changes) -> dict:
    return {**yaml.safe_load((SITES / "building.yaml").read_text(encoding="utf-8")), **changes}


@pytest.mark.parametrize("changes, field, problem", [
    ({"energy": {"commercial": {"electricity_mwh": 1e308}}}, "baseline",
     "5.13e+307 tCO2e/yr in all (baseline and energy) is beyond any site; at most 3.03e+14"),
    ({"baseline": {"commercial": {"lpg": 1e300}}}, "baseline", "1e+300 tCO2e/yr in all"),
    ({"measures": {"bld-solar-pv": {"mw": 1e308}}}, "measures.bld-solar-pv.mw",
     "1e+308 is not allowed"),
    ({"measures": {"bld-solar-pv": {"mwh": 1e11}}}, "measures.bld-solar-pv.mwh",
     "100000000000.0 is not allowed"),
    ({"weights": {"site_abatement": 1e308, "cost": 1e308}}, "weights",
     "weights must be >= 0 with a positive, finite sum"),
    ({"notes": ["my own remark"]}, "notes", "unknown field"),
])
def test_numbers_past_any_site_and_the_loaders_own_keys_are_one_error(changes, field, problem):
    with pytest.raises(InputError) as error:
        site_from_dict(building(**changes), "my-site.yaml")
    assert (error.value.file, error.value.field) == ("my-site.yaml", field)
    assert error.value.problem.startswith(problem)


def test_the_largest_sizes_are_said_in_the_error():
    with pytest.raises(InputError, match=r"mw \(0-1,000,000\), mwh \(0-10,000,000,000\)"):
        site_from_dict(building(measures={"bld-solar-pv": {"mw": 2e6}}), "my-site.yaml")


def test_cli_weights_whose_sum_overflows_are_refused(capsys):
    status, _, err = run_en(capsys, "rank", str(SITES / "building.yaml"),
                         "--weights", "site_abatement=1e308,cost=1e308")
    assert (status, err) == (2, "error: --weights: the weights' sum overflows (allowed: e.g. "
                                "abatement=0.4,economics=0.3)\n")


# --- CSV and XLSX inputs are bounded like YAML ----------------------------------------------

def test_a_csv_catalog_past_the_limit_is_refused_unread(tmp_path, capsys):
    _, out, _ = run_en(capsys, "catalog", "export", "-d", "building")
    header, row = out.splitlines()[:2]
    big = tmp_path / "big.csv"
    rows = (row.replace(row.split(",")[0], f"usr-{i}", 1)
            for i in range(MAX_INPUT_BYTES // len(row) + 2))
    big.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    status, _, err = run_en(capsys, "catalog", "validate", str(big))
    assert (status, err) == (2, f"error: {big}: larger than 4 MB (allowed: a profile or catalog "
                                "file under the limit)\n")


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_folder_given_as_a_table_file_says_so(tmp_path, capsys, suffix):
    folder = tmp_path / f"mine.{suffix}"
    folder.mkdir()
    status, _, err = run_en(capsys, "catalog", "validate", str(folder))
    assert (status, err) == (2, f"error: {folder}: is a folder, not a file\n")


def test_a_workbook_that_unpacks_to_gigabytes_is_refused(tmp_path, capsys):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as packed:
        packed.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_UNPACKED_BYTES + 1))
    assert bomb.stat().st_size < MAX_INPUT_BYTES
    status, _, err = run_en(capsys, "catalog", "validate", str(bomb))
    assert (status, err) == (2, f"error: {bomb}: unpacks to more than 64 MB (allowed: a "
                                "workbook under the limit)\n")


# --- single output files: no clobbered file, one line for a folder --------------------------

def test_catalog_export_never_replaces_a_users_file(tmp_path, capsys):
    mine = tmp_path / "mine.csv"
    mine.write_text("my own entries, edited by hand\n", encoding="utf-8")
    status, _, err = run_en(capsys, "catalog", "export", "-o", str(mine))
    assert (status, err) == (2, f"error: {mine}: the file exists already (an earlier catalog "
                                "export?) (allowed: --force to replace it, or another -o)\n")
    status, _, err = run_en(capsys, "catalog", "export", "-o", str(mine), "--force")
    assert (status, err) == (2, f"error: {mine}: --force replaces only a catalog export roadmap "
                                "wrote (allowed: another -o)\n")
    assert mine.read_text(encoding="utf-8") == "my own entries, edited by hand\n"


@pytest.mark.parametrize("name, options", [("c.csv", ()), ("c.xlsx", ("-f", "xlsx"))])
def test_catalog_export_with_force_replaces_an_earlier_export(tmp_path, capsys, name, options):
    target = tmp_path / name
    assert run(capsys, "catalog", "export", "-d", "town", "-o", str(target), *options)[0] == 0
    status, _, err = run(capsys, "catalog", "export", "-o", str(target), "--force", *options)
    assert (status, err.startswith("wrote 230 technologies")) == (0, True), err


@pytest.mark.parametrize("options", [(), ("-f", "xlsx")])
def test_an_export_onto_a_folder_is_one_line(tmp_path, capsys, options):
    status, _, err = run_en(capsys, "catalog", "export", "-o", str(tmp_path), *options)
    assert (status, err) == (2, f"error: {tmp_path}: is a folder (allowed: a file name)\n")


def test_batch_force_replaces_its_own_summary(tmp_path, capsys):
    """The summary starts with a byte-order mark, which the header check did not expect:
    --force refused every summary roadmap wrote."""
    arguments = ("batch", str(SITES / "building.yaml"), "-o", str(tmp_path / "b"), *FAST)
    assert run(capsys, *arguments)[0] == 0
    status, _, err = run(capsys, *arguments, "--force")
    assert status == 0, err


# --- output folders named from a profile's file name ----------------------------------------

@pytest.mark.parametrize("name, slug", [("..yaml", "."), ("...yaml", ".."),
                                        (".x.tmp-1.yaml", ".x.tmp-1")])
def test_a_profile_name_that_gives_no_folder_of_its_own_is_refused(tmp_path, capsys, name,
                                                                   slug):
    """'..yaml' wrote its outputs into the batch folder itself (beside summary.csv) and `run`
    into output/; '...yaml' aimed at the folder above."""
    profile = tmp_path / name
    shutil.copy(SITES / "building.yaml", profile)
    (tmp_path / "batch").mkdir()
    status, _, err = run_en(capsys, "batch", str(profile), "-o", str(tmp_path / "batch"), *FAST)
    assert status == 2
    assert err.endswith(f"error: {profile}: the file name gives no output folder name "
                        f"('{slug}') (allowed: a profile file named like my-site.yaml)\n")
    assert list((tmp_path / "batch").iterdir()) == []


def test_a_users_folders_named_like_leftovers_are_left_alone(tmp_path):
    """Leftovers of killed runs are put back or removed only if they hold the marker: a
    user's `.site.previous-backup` was renamed into the output folder, `.site.tmp-mine`
    deleted."""
    for name in (".site.previous-backup", ".site.tmp-mine"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "mine.txt").write_text("keep")
    publish_folder(tmp_path / "site", lambda staging: (staging / "new.txt").write_text("new"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.previous-backup",
                                                          ".site.tmp-mine", "site"]
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == [MARKER, "new.txt"]


# --- the AHP file ----------------------------------------------------------------------------

@pytest.mark.parametrize("criteria, matrix, field, problem", [
    ("[site_abatement, cost]", "[[1, -3], [-0.333, 1]]", "matrix", "a value is not on Saaty"),
    ("[site_abatement, cost]", '[[1, "a"], ["b", 1]]', "matrix", "the matrix is not 2x2 numbers"),
    ("[site_abatement, cost]", "[[1], [1, 1]]", "matrix", "the matrix is not 2x2 numbers"),
    ("[site_abatement, cost]", "[[1, true], [true, 1]]", "matrix", "the matrix is not 2x2"),
    ('["=1+1", cost]', "[[1, 1], [1, 1]]", "criteria", "['=1+1', 'cost'] is not a list of "
                                                       "distinct criteria"),
    ("[cost, cost]", "[[1, 1], [1, 1]]", "criteria", "['cost', 'cost'] is not a list"),
    ("5", "[[1]]", "criteria", "5 is not a list of distinct criteria"),
])
def test_a_broken_ahp_file_is_one_line(tmp_path, capsys, criteria, matrix, field, problem):
    ahp = tmp_path / "ahp.yaml"
    ahp.write_text(f"criteria: {criteria}\nmatrix: {matrix}\n")
    status, _, err = run_en(capsys, "rank", str(SITES / "building.yaml"), "--ahp", str(ahp))
    assert (status, err.count("\n")) == (2, 1), err
    assert err.startswith(f"error: {ahp}: field '{field}': {problem}")


def test_a_profile_whose_folder_would_be_the_batch_summary_is_refused(tmp_path, capsys):
    """`summary.csv.yaml` ran, then its folder stood where the summary was to be written."""
    profile = tmp_path / "summary.csv.yaml"
    shutil.copy(SITES / "building.yaml", profile)
    status, _, err = run_en(capsys, "batch", str(profile), "-o", str(tmp_path / "b"), *FAST)
    assert status == 2
    assert err.endswith(f"error: {profile}: its output folder would be the batch's summary.csv "
                        "(allowed: another file name)\n")
    assert not (tmp_path / "b").exists()


# --- Markdown: a name opens no block ---------------------------------------------------------

BLOCKS = textwrap.dedent("""\
    - id: usr-blocks
      domain: building
      category: "## Category heading"
      name_zh: "1. 列表"
      name_en: "- listed\\n## Injected heading\\n| a | b |"
      abatement: 5
      economics: 5
      recommendation: 5
      addresses: [electricity]
    """)


def test_names_open_no_markdown_block_in_the_report(tmp_path, capsys):
    """A name starting with `- ` or `1. ` made a list where the report has a paragraph or
    an item, one with a line break a heading and a broken table."""
    from markdown_it import MarkdownIt

    mine = tmp_path / "blocks.yaml"
    mine.write_text(BLOCKS, encoding="utf-8")
    profile = tmp_path / "site.yaml"
    profile.write_text((SITES / "building.yaml").read_text(encoding="utf-8").replace(
        "include: []", "include: [usr-blocks]").replace(
        "\nname: ", '\nname: "- fake item\\n# Fake title" # '), encoding="utf-8")
    status, _, err = run(capsys, "-c", str(mine), "run", str(profile),
                         "-o", str(tmp_path / "out"), *FAST)
    assert status == 0, err
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<h1>- fake item # Fake title</h1>" in html
    assert "fake item</li>" not in html and "<h1>Fake title" not in html
    assert "<h2>Injected heading" not in html and "<li>listed" not in html
    assert "- listed ## Injected heading | a | b |" in html


# --- long texts -------------------------------------------------------------------------------

def test_a_category_as_long_as_a_book_is_refused_in_a_short_line(tmp_path, capsys):
    """A 20,000-character category drew an 838-megapixel Gantt chart in 48 s; the error
    quoted the whole text."""
    mine = tmp_path / "long.yaml"
    mine.write_text(BLOCKS.replace('"## Category heading"', "长" * 20_000), encoding="utf-8")
    status, _, err = run_en(capsys, "catalog", "validate", str(mine))
    assert status == 2 and len(err) < 400
    assert err.startswith(f"error: {mine}: entry 'usr-blocks' (line 1): field 'category': "
                          f"'{'长' * 60}'... (20,000 characters) is not allowed (allowed: String "
                          "should have at most 200 characters)")


# --- Ctrl-C during `run` ----------------------------------------------------------------------

def test_ctrl_c_during_run_keeps_the_earlier_folder_and_leaves_nothing(tmp_path):
    folder = tmp_path / "site"
    publish_folder(folder, lambda staging: (staging / "old.txt").write_text("earlier result"))
    before = (folder / MARKER).read_text()
    for _ in range(3):  # a run that ends before the signal reaches it tests nothing: again
        running, (status, out, err) = _interrupted_run(tmp_path, folder)
        if running:
            break
    assert running, "every run ended before Ctrl-C reached it"
    assert (status, out, "Traceback" in err) == (130, "", False), (status, out, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging, no lock
    assert (folder / "old.txt").read_text() == "earlier result"
    assert (folder / MARKER).read_text() == before


def _interrupted_run(tmp_path: Path, folder: Path) -> tuple[bool, tuple[int, str, str]]:
    """`roadmap run` into `folder`, sent Ctrl-C once its staging folder holds a chart:
    whether it was still running then, and its status, stdout and stderr."""
    # SIGINT restored as at a terminal (see the batch test in test_hostile.py)
    command = subprocess.Popen(
        [str(Path(sys.executable).parent / "roadmap"), "run", str(SITES / "xiaolan-town.yaml"),
         "-o", str(folder), "--force"], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".site.tmp-*/charts/*")) and time.monotonic() < deadline:
        time.sleep(0.05)  # midway: the staging folder is being written
    running = command.poll() is None
    command.send_signal(signal.SIGINT)
    out, err = command.communicate(timeout=60)
    return running, (command.returncode, out, err)


def _converting_ctrl_c(*args, **kwargs):
    """Ctrl-C while C code runs that turns the KeyboardInterrupt into an error of its own
    (matplotlib, loading its renderer: ImportError "initialization failed")."""
    try:
        signal.raise_signal(signal.SIGINT)
    except KeyboardInterrupt:
        raise ImportError("initialization failed") from None


def test_ctrl_c_reported_by_a_library_as_its_own_error_still_ends_as_interrupted(
        tmp_path, capsys, monkeypatch):
    import roadmap.batch

    monkeypatch.setattr(roadmap.batch, "run_site", _converting_ctrl_c)
    # Python's own handler, as in a terminal (a job started with & ignores Ctrl-C)
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        status, out, err = run(capsys, "run", str(SITES / "xiaolan-town.yaml"), "-o",
                               str(tmp_path / "site"))
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
    finally:
        signal.signal(signal.SIGINT, inherited)
    assert (status, out, err) == (130, "", "")


def test_the_same_error_without_ctrl_c_is_not_taken_for_one(tmp_path, capsys, monkeypatch):
    import roadmap.batch

    def failing(*args, **kwargs):
        raise ImportError("initialization failed")

    monkeypatch.setattr(roadmap.batch, "run_site", failing)
    with pytest.raises(ImportError):
        run(capsys, "run", str(SITES / "xiaolan-town.yaml"), "-o", str(tmp_path / "site"))


def test_batch_forks_no_more_processes_than_sites(tmp_path, monkeypatch):
    import multiprocessing

    import roadmap.batch

    sizes = []
    real_pool = multiprocessing.Pool

    def pool(processes, **options):
        sizes.append(processes)
        return real_pool(processes, **options)

    monkeypatch.setattr(roadmap.batch.multiprocessing, "Pool", pool)
    monkeypatch.setattr(roadmap.batch, "_run_job", _fake_job)
    summary = roadmap.batch.run_batch([SITES / "building.yaml", SITES / "community.yaml"],
                                      tmp_path, jobs=1000)
    assert sizes == [2] and len(summary) == 2


def _fake_job(numbered):  # at module level: a pool's worker receives it by name
    index, job = numbered
    return index, {"file": str(job.path), "error": "not run"}


@pytest.mark.parametrize("command, option", [
    (("run",), "--draws"), (("pathway",), "--draws"), (("rank",), "--sensitivity"),
    (("rank",), "--smaa")])
def test_draws_past_the_bound_are_one_line(capsys, command, option):
    """--draws 100000000 asked numpy for 23 GiB: on this machine, the OOM killer."""
    status, _, err = run_en(capsys, *command, str(SITES / "building.yaml"), option, "100000001")
    assert (status, err) == (2, f"error: {option}: Input should be less than or equal to "
                                "100000\n")


@pytest.mark.parametrize("command", [("pathway", "--draws", "10"), ("rank", "--smaa", "10")])
def test_a_negative_seed_is_one_line(capsys, command):
    status, _, err = run_en(capsys, command[0], str(SITES / "building.yaml"), *command[1:],
                         "--seed", "-1")
    assert (status, err) == (2, "error: --seed: Input should be greater than or equal to 0\n")


@pytest.mark.parametrize("fields, line", [
    ({"draws": 0}, "error: Options: field 'draws': Input should be greater than or equal to 10"),
    ({"draws": 5}, "error: Options: field 'draws': Input should be greater than or equal to 10"),
    ({"draws": 100_001},
     "error: Options: field 'draws': Input should be less than or equal to 100000"),
    ({"uncertainty_draws": -1},
     "error: Options: field 'uncertainty_draws': Input should be greater than or equal to 0"),
    ({"top": 0}, "error: Options: field 'top': Input should be greater than or equal to 1"),
    ({"seed": -1}, "error: Options: field 'seed': Input should be greater than or equal to 0"),
    ({"draws": 10.5}, "error: Options: field 'draws': Input should be a valid integer")])
def test_the_api_refuses_the_draws_the_command_line_refuses(fields, line):
    """Options(draws=0) failed inside numpy ('zero-size array to reduction operation'),
    where `run --draws 0` said it wants 10 or more: the same rule, the same words."""
    with pytest.raises(InputError) as refused:
        Options(**fields)
    assert refused.value.line("en") == line
    assert refused.value.line("zh").startswith("错误：Options：字段 '")


def test_sensitivity_and_acceptability_refuse_too_few_draws(catalog):
    site = load_site(SITES / "building.yaml", catalog)
    matrix = decision_matrix(catalog, site)
    weights = dict.fromkeys(matrix.criteria, 1.0)
    for analysis in (sensitivity, acceptability):
        with pytest.raises(InputError, match=f"^{analysis.__name__}: field 'draws': Input "
                                             "should be greater than or equal to 10$"):
            analysis(matrix, "topsis", weights, draws=-3)
    model = site_model(site, catalog, [])
    with pytest.raises(InputError, match="^monte_carlo: field 'draws': Input should be "
                                         "greater than or equal to 1$"):
        monte_carlo(model, {}, draws=0)


def test_a_users_file_named_like_the_lock_is_kept(tmp_path):
    """The lock `.site.lock` is deleted at the end of a run: a user's file of that name
    was deleted with it, and a link was followed."""
    (tmp_path / ".site.lock").write_text("my notes")
    with pytest.raises(InputError, match=".site.lock beside it is not a roadmap lock"):
        publish_folder(tmp_path / "site", lambda staging: None)
    assert (tmp_path / ".site.lock").read_text() == "my notes"
    (tmp_path / ".site.lock").unlink()
    (tmp_path / ".site.lock").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(InputError, match="cannot write here"):
        publish_folder(tmp_path / "site", lambda staging: None)
    assert not (tmp_path / "elsewhere").exists() and not (tmp_path / "site").exists()


def test_an_error_about_a_key_with_control_characters_stays_one_harmless_line(tmp_path,
                                                                              capsys):
    """A key "bad\\nkey\\e[31m" printed two lines, the second in red."""
    profile = tmp_path / "site.yaml"
    profile.write_text('name: x\ndomain: building\nbaseline: {commercial: {electricity: 1}}\n'
                       '"bad\\nkey\\e[31mRED": 1\n')
    status, _, err = run_en(capsys, "check", str(profile))
    assert (status, err.count("\n"), "\x1b" in err) == (2, 1, False)
    assert err.startswith(f"error: {profile}: field 'bad\\x0akey\\x1b[31mRED': unknown field")


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf", "html"])
def test_a_chart_file_is_replaced_only_with_force_and_only_if_roadmap_wrote_it(
        tmp_path, capsys, suffix):
    """`chart -o` overwrote any file: a user's own report.pdf went. An existing file now
    needs --force, which replaces only a chart whose metadata names roadmap; the user's
    file (even given --force) stays, byte for byte."""
    chart = tmp_path / f"park.{suffix}"
    assert run(capsys, "chart", "-d", "park", "-o", str(chart))[0] == 0
    first = chart.read_bytes()
    status, _, err = run_en(capsys, "chart", "-d", "park", "-o", str(chart))
    assert status == 2 and "the file exists already (an earlier chart?)" in err
    assert "--force to replace it, or another -o)" in err and err.count("\n") == 1
    assert run(capsys, "chart", "-d", "park", "-o", str(chart), "--force")[0] == 0
    assert chart.read_bytes() == first  # replaced, the same bytes
    mine = tmp_path / f"mine.{suffix}"
    mine.write_bytes(b"%PDF-1.4 my thesis" if suffix == "pdf" else b"my own file")
    status, _, err = run(capsys, "chart", "-d", "park", "-o", str(mine), "--force")
    assert status == 2 and "--force replaces only a chart roadmap wrote" in err
    assert mine.read_bytes() in (b"%PDF-1.4 my thesis", b"my own file")


def test_plan_and_pathway_check_every_chart_they_would_write_before_the_work(tmp_path, capsys):
    """pathway --chart x.png also writes x-contributions.png and x-cost-curve.png: a user's
    file at either stops it before any chart is drawn."""
    wedge = tmp_path / "x.png"
    (tmp_path / "x-cost-curve.png").write_bytes(b"my own file")
    status, _, err = run(capsys, "pathway", str(SITES / "building.yaml"), "--chart", str(wedge))
    assert status == 2 and "x-cost-curve.png: the file exists already" in err
    assert not wedge.exists()
    roadmap_chart = tmp_path / "plan.svg"
    roadmap_chart.write_text("<svg>mine</svg>")
    status, _, err = run(capsys, "plan", str(SITES / "building.yaml"), "--chart",
                         str(roadmap_chart), "--force")
    assert status == 2 and "--force replaces only a chart roadmap wrote" in err
    assert roadmap_chart.read_text() == "<svg>mine</svg>"


def test_a_chart_file_there_already_suggests_the_commands_own_option(tmp_path, capsys):
    """`pathway --chart` and `plan --chart` suggested "another -o", an option they do not
    have."""
    chart = tmp_path / "band.png"
    chart.write_bytes(b"a chart of mine")
    for command in ("pathway", "plan"):
        status, _, err = run_en(capsys, command, str(SITES / "building.yaml"), "--chart",
                                str(chart))
        assert status == 2 and err.endswith("(allowed: --force to replace it, or another "
                                            "--chart)\n"), err
    assert chart.read_bytes() == b"a chart of mine"
