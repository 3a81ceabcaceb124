"""The one-line error in Chinese, English or both (messages.yaml `error`): the command's
--lang chooses; the English line and the error's attributes stay as they were."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Literal

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from roadmap.catalogue import catalogue
from roadmap.errors import InputError
from roadmap.inputs.catalog import read_catalog_file
from roadmap.inputs.files import pydantic_message
from roadmap.inputs.site import site_from_dict
from tests.helpers import run

PACKAGE = Path(__file__).resolve().parents[1] / "roadmap"
SITES = Path(__file__).resolve().parents[1] / "catalogs" / "sites"
WORDS = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")  # a phrase: two words in a row


def profile(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text("name: x\ndomain: building\nbaseline: {commercial: {electricity: 100}}\n"
                    + text, encoding="utf-8")
    return path


def zh_line(tmp_path: Path, capsys, text: str) -> tuple[Path, str]:
    path = profile(tmp_path, text)
    status, _, err = run(capsys, "check", str(path), "--lang", "zh")
    assert (status, err.count("\n")) == (2, 1), err
    return path, err.rstrip("\n")


def test_an_unknown_field_in_chinese_names_the_field_it_may_be(tmp_path, capsys):
    path, line = zh_line(tmp_path, capsys, "budgett: 300\n")
    assert line.startswith(f"错误：{path}：第4行：字段 'budgett'：未知的字段；是否应为 'budget'？"
                           "（允许的值：name, domain, region, ")


def test_a_wrong_type_in_chinese(tmp_path, capsys):
    path, line = zh_line(tmp_path, capsys, "budget: [1, 2]\n")
    assert line == f"错误：{path}：第4行：字段 'budget'：应为数字（允许的值：正数金额，单位万元）"


def test_an_out_of_range_value_in_chinese(tmp_path, capsys):
    path, line = zh_line(tmp_path, capsys, "discount_rate: 0.9\n")
    assert line == (f"错误：{path}：第4行：字段 'discount_rate'：取值 0.9 无效（允许的值：年折现率"
                    "（小数），大于 0 且不超过 0.3）")


def test_an_unknown_domain_in_chinese(tmp_path, capsys):
    path = tmp_path / "site.yaml"
    path.write_text("name: x\ndomain: planet\n", encoding="utf-8")
    status, _, err = run(capsys, "check", str(path), "--lang", "zh")
    assert (status, err) == (2, f"错误：{path}：第2行：字段 'domain'：取值 'planet' 无效"
                                "（允许的值：building, transport, enterprise, park, community, "
                                "town）\n")


def test_a_missing_file_in_chinese(tmp_path, capsys):
    status, _, err = run(capsys, "check", str(tmp_path / "nowhere.yaml"), "--lang", "zh")
    assert (status, err) == (2, f"错误：{tmp_path / 'nowhere.yaml'}：文件不存在\n")


def test_the_english_line_is_the_english_error_as_before(tmp_path, capsys):
    path = profile(tmp_path, "discount_rate: 0.9\n")
    status, _, err = run(capsys, "check", str(path), "--lang", "en")
    assert (status, err) == (2, f"error: {path}: line 4: field 'discount_rate': 0.9 is not "
                                "allowed (allowed: a fraction per year, above 0 and at most 0.3)\n")


def test_both_languages_are_one_line_chinese_first(tmp_path, capsys):
    path = profile(tmp_path, "discount_rate: 0.9\n")
    status, _, err = run(capsys, "check", str(path))  # --lang both by default
    chinese, english = err.rstrip("\n").split(" / ")
    assert (status, err.count("\n")) == (2, 1)
    assert chinese.startswith(f"错误：{path}：第4行：") and english.startswith(f"error: {path}:")


def test_a_command_without_lang_says_both(tmp_path, capsys):
    status, _, err = run(capsys, "catalog", "validate", str(tmp_path / "mine.csv"))
    assert (status, err) == (2, f"错误：{tmp_path / 'mine.csv'}：文件不存在 / "
                                f"error: {tmp_path / 'mine.csv'}: file not found\n")


def test_an_option_checked_by_the_command_follows_its_lang(capsys):
    status, _, err = run(capsys, "rank", str(SITES / "building.yaml"), "--weights", "cost=x",
                         "--lang", "zh")
    assert (status, err) == (2, "错误：--weights：'cost=x' 不是“准则=数值”的形式（允许的值：例如 "
                                "abatement=0.4,economics=0.3；或 site, equal, entropy, critic）\n")


def test_the_language_of_one_command_is_not_the_next_ones(tmp_path, capsys):
    run(capsys, "check", str(tmp_path / "a.yaml"), "--lang", "zh")
    _, _, err = run(capsys, "catalog", "validate", str(tmp_path / "a.yaml"))
    assert " / error: " in err


def test_a_batch_says_a_members_error_in_its_language_and_keeps_english_in_the_summary(
        tmp_path, capsys):
    broken = profile(tmp_path, "discount_rate: 0.9\n")
    status, _, err = run(capsys, "batch", str(broken), "-o", str(tmp_path / "b"), "--lang", "zh")
    assert status == 1 and "error:" not in err
    assert f"错误：{broken}：第4行：字段 'discount_rate'：取值 0.9 无效（允许的值：" \
        "年折现率（小数），大于 0 且不超过 0.3）\n" in err
    summary = (tmp_path / "b" / "summary.csv").read_text(encoding="utf-8-sig")
    assert f"{broken}: line 4: field 'discount_rate': 0.9 is not allowed" in summary


def test_a_control_character_stays_escaped_in_chinese(tmp_path, capsys):
    path, line = zh_line(tmp_path, capsys, '"bad\\nkey\\e[31mRED": 1\n')
    assert "\x1b" not in line
    assert line.startswith(f"错误：{path}：字段 'bad\\x0akey\\x1b[31mRED'：未知的字段")


def test_the_attributes_stay_english():
    with pytest.raises(InputError) as caught:
        site_from_dict({"name": "x", "domain": "planet"}, "my-site.yaml")
    error = caught.value
    assert (error.file, error.field, error.problem) == ("my-site.yaml", "domain",
                                                        "'planet' is not allowed")
    assert str(error) == ("my-site.yaml: field 'domain': 'planet' is not allowed (allowed: "
                          "building, transport, enterprise, park, community, town)")
    assert error.line("en") == f"error: {error}"
    assert error.line("both") == f"{error.line('zh')} / {error.line('en')}"


class _Part(BaseModel):
    share: float = 0.5


class _Checked(BaseModel):
    """A field of each kind our models have, to meet every pydantic type we word."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    number: float = Field(0.5, gt=0, lt=1)
    share: float = Field(0.5, ge=0, le=1)
    count: int = 1
    flag: bool = False
    name: str = Field("x", min_length=1, max_length=3, pattern=r"^[a-z]+$")
    names: tuple[str, ...] = Field(("a",), min_length=1, max_length=2)
    table: dict[str, float] = {}
    kind: Literal["a", "b", "c"] = "a"
    part: _Part = _Part()
    required: int


@pytest.mark.parametrize("data", [
    {"number": 0}, {"number": 1}, {"share": -1}, {"share": 2}, {"number": "x"},
    {"number": [1]}, {"number": float("nan")}, {"count": "x"}, {"count": 1.5}, {"count": [1]},
    {"flag": "maybe"}, {"flag": [1]}, {"name": 1}, {"name": ""}, {"name": "abcd"},
    {"name": "A"}, {"names": ()}, {"names": ("a", "b", "c")}, {"names": 1}, {"table": 1},
    {"other": 1}, {"kind": "d"}, {"part": 1}, {},
])
def test_the_english_of_each_worded_pydantic_type_is_pydantics_own(data):
    with pytest.raises(ValidationError) as caught:
        _Checked.model_validate(data)
    error = next(e for e in caught.value.errors() if not data or e["loc"][0] in data)
    assert pydantic_message(error).key != "pydantic", error["type"]  # not the fallback
    assert pydantic_message(error).said("en") == error["msg"]
    assert pydantic_message(error).said("zh") != error["msg"]


def _calls(name: str):
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name:
                yield path.relative_to(PACKAGE), node


def _english(node: ast.AST) -> bool:
    """A phrase written in the code: two words in a row in a string, an f-string or a sum."""
    if isinstance(node, ast.BinOp):
        return _english(node.left) or _english(node.right)
    parts = node.values if isinstance(node, ast.JoinedStr) else [node]
    return any(isinstance(p, ast.Constant) and isinstance(p.value, str) and WORDS.search(p.value)
               for p in parts)


def test_no_error_is_written_in_english_where_it_is_raised():
    """Every InputError names its message (a key of messages.yaml `error`) and says where
    and what is allowed with Messages or lists of values, never an English phrase."""
    written = [(str(path), node.lineno) for name in ("InputError", "InvalidValue", "Message")
               for path, node in _calls(name)
               if any(_english(a) for a in node.args[1 if name == "InputError" else 0:][:1])
               or any(_english(k.value) for k in node.keywords if k.arg in ("where", "allowed")
                      and not isinstance(k.value, ast.Call))]
    assert written == []


def test_every_message_named_in_the_code_is_in_the_catalogue():
    keys = [(str(path), node.lineno, arg.value) for name in ("InputError", "InvalidValue",
                                                               "Message")
            for path, node in _calls(name)
            for arg in node.args[1 if name == "InputError" else 0:][:1]
            if isinstance(arg, ast.Constant)]
    assert len(keys) > 200
    assert [key for key in keys if key[2] not in catalogue()["error"]] == []


@pytest.mark.parametrize("amount", ["nan", "inf", "-1"])
def test_a_budget_amount_that_is_no_amount_is_one_line(capsys, amount):
    """`--budget-amount nan` (or inf) ended in linprog's traceback, exit 1; -1 named the
    profile's field budget."""
    status, out, err = run(capsys, "plan", str(SITES / "building.yaml"),
                           f"--budget-amount={amount}", "--lang", "en")
    assert (status, out, err.count("\n")) == (2, "", 1)
    assert err.startswith("error: --budget-amount: ") and "a positive amount" in err


def test_overlapping_includes_say_why_in_chinese(tmp_path, capsys):
    profile = tmp_path / "site.yaml"
    profile.write_text("name: x\ndomain: town\nbaseline: {industry: {coal: 100}}\n"
                       "include: [town-clean-energy, town-building-solar-pv]\n")
    status, _, err = run(capsys, "check", str(profile), "--lang", "zh")
    assert status == 2 and "（town-clean-energy 包含 town-building-solar-pv）" in err
    assert not re.search(r"\bincludes\b", err)


def test_check_refuses_a_phase_budget_plan_would_refuse(tmp_path, capsys):
    """`check` said valid to `phase_budgets: {middle: ...}`, which `plan --budget` refused."""
    profile = tmp_path / "site.yaml"
    profile.write_text("name: x\ndomain: building\nbaseline: {commercial: {electricity: 100}}\n"
                       "budget: 300\nphase_budgets: {near: 100, middle: 100}\n")
    status, out, err = run(capsys, "check", str(profile), "--lang", "en")
    assert (status, out) == (2, "") and err == (
        f"error: {profile}: field 'phase_budgets': unknown phase 'middle' "
        "(allowed: near, mid, long)\n")


@pytest.mark.parametrize("args, line", [
    (("rank", "SITE", "--method", "topsys", "--lang", "zh"),
     "错误：--method：取值 'topsys' 无效（允许的值：topsis, vikor, promethee_ii, spotis, copras, "
     "wsm）"),
    (("pathway", "SITE", "--lang", "zh", "--draws", "-5"), "错误：--draws：应大于或等于 0"),
    (("rank", "SITE", "--top", "x", "--lang=en"),
     "error: --top: Input should be a valid integer, unable to parse string as an integer"),
    (("rank", "SITE", "--lang", "en", "--bogus"),
     "error: roadmap rank: no such option --bogus (allowed: what `roadmap rank --help` lists)"),
    (("run", "SITE", "--lang", "en", "--out", "x"),  # click's near miss kept
     "error: roadmap run: no such option --out; did you mean '--output'? "
     "(allowed: what `roadmap run --help` lists)"),
    (("rank", "--lang", "en"), "error: roadmap rank: SITE.yaml is missing"),
    (("rank", "SITE", "--lang", "en", "--top"), "error: --top: the option needs a value"),
])
def test_typers_own_option_errors_are_our_line_in_the_commands_language(capsys, args, line):
    """click's own errors were English only, whatever the command's --lang."""
    args = tuple(str(SITES / "building.yaml") if arg == "SITE" else arg for arg in args)
    status, out, err = run(capsys, *args)
    assert (status, out, err) == (2, "", line + "\n")


def test_typers_own_option_error_without_lang_is_in_both(capsys):
    status, _, err = run(capsys, "catalog", "list", "--min-stars", "9")
    assert (status, err) == (2, "错误：--min-stars：应小于或等于 5 / "
                                "error: --min-stars: Input should be less than or equal to 5\n")


def _gbk_profile(tmp_path: Path, amount: str) -> Path:
    (tmp_path / "b.csv").write_bytes(f"部门,electricity\ncommercial,{amount}\n".encode("gbk"))
    path = tmp_path / "site.yaml"
    path.write_text("name: x\ndomain: building\nbaseline: {file: b.csv}\n", encoding="utf-8")
    return path


def test_the_gbk_note_is_said_in_the_commands_language(tmp_path, capsys):
    status, _, err = run(capsys, "check", str(_gbk_profile(tmp_path, "100")), "--lang", "zh")
    assert (status, err) == (0, f"注意：{tmp_path / 'b.csv'} 按 GB18030 编码读取（不是 UTF-8）\n")


def test_a_batchs_notes_from_its_workers_follow_lang(tmp_path, capsys):
    """`batch --jobs 2`: the notes of the sites read in worker processes were lost (or
    English); they are said in --lang as `run`'s are, in input order, each once."""
    sites = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        sites.append(str(_gbk_profile(folder, "100").rename(folder / f"{name}.yaml")))
    status, _, err = run(capsys, "batch", *sites, "--jobs", "2", "--lang", "zh", "--draws", "10",
                         "-o", str(tmp_path / "out"))
    notes = [line for line in err.splitlines() if line.startswith(("注意", "note"))]
    assert status == 0 and notes == [f"注意：{tmp_path / name / 'b.csv'} 按 GB18030 编码读取（不是 "
                                     "UTF-8）" for name in ("a", "b")]


def test_a_bad_gbk_csv_is_one_line(tmp_path, capsys):
    status, _, err = run(capsys, "check", str(_gbk_profile(tmp_path, "abc")), "--lang", "en")
    assert (status, err) == (2, f"error: {tmp_path / 'b.csv'}: line 2, column 2: field "
                                "'baseline.commercial.electricity': 'abc' is not allowed "
                                "(allowed: a number >= 0 (empty = none))\n")


def test_a_user_catalogs_override_note_in_both_languages(tmp_path, capsys):
    user = tmp_path / "mine.yaml"
    entry = next(e for e in read_catalog_file(SITES.parent / "park.yaml")
                 if e.id == "park-solar-projects")
    user.write_text(yaml.safe_dump([entry.model_dump(mode="json", exclude_none=True)],
                                   allow_unicode=True), encoding="utf-8")
    status, _, err = run(capsys, "--catalog", str(user), "catalog", "export")
    assert (status, err) == (0, f"注意：{user} 覆盖了内置目录 park.yaml 中的 'park-solar-projects' "
                                f"/ note: {user} overrides 'park-solar-projects' (built-in "
                                "park.yaml)\n")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_notes_a_user_catalogs_override_as_run_does(tmp_path, capsys, jobs):
    """`batch` never said that a --catalog file replaced built-in entries (its workers read
    the catalogs themselves): each site's run notes it, in --lang, said once."""
    user = tmp_path / "mine.yaml"
    entry = next(e for e in read_catalog_file(SITES.parent / "park.yaml")
                 if e.id == "park-solar-projects")
    user.write_text(yaml.safe_dump([entry.model_dump(mode="json", exclude_none=True)],
                                   allow_unicode=True), encoding="utf-8")
    sites = [str(SITES / name) for name in ("building.yaml", "industrial-park.yaml")]
    status, _, err = run(capsys, "--catalog", str(user), "batch", *sites, "--jobs", jobs,
                         "--lang", "zh", "--draws", "10", "-o", str(tmp_path / "out"))
    notes = [line for line in err.splitlines() if line.startswith(("注意", "note"))]
    assert status == 0 and notes == [f"注意：{user} 覆盖了内置目录 park.yaml 中的 "
                                     "'park-solar-projects'"]


@pytest.mark.parametrize("prices, problem", [
    ("{gas: abc}", "gas：价格 'abc' 无效"),
    ("{plasma: 5}", "未知的能源品种 'plasma'"),
    ("{electricity: {home: 5}}", "未知的部门 'electricity.home'"),
    ("{electricity: {all: 30000}}", "electricity.all：价格 30000 无效"),
])
def test_a_price_says_what_is_wrong_and_then_what_is_allowed(tmp_path, capsys, prices, problem):
    """The problem was the allowed text, said twice."""
    path, line = zh_line(tmp_path, capsys, f"prices: {prices}\n")
    assert line.startswith(f"错误：{path}：第4行：字段 'prices'：{problem}"
                           "（允许的值：{CARRIER: 元/MWh")


@pytest.mark.parametrize("text, line, problem, allowed", [
    ("baseline:\n  commercial:\n    electricity：100\n", 5, "键后面用了全角冒号 '：'",
     "key: value，使用半角冒号 ':' 加一个空格"),
    ("baseline: {commercial: {electricity：100}}\n", 3, "键后面用了全角冒号 '：'",
     "key: value，使用半角冒号 ':' 加一个空格"),
    ("baseline: {commercial: {electricity: 100}}\nfeatures: [rooftop，parking]\n", 4,
     "列表中用了全角逗号 '，'", "[a, b]，使用半角逗号 ','"),
    ("baseline: {commercial: {electricity: 100，coal: 5}}\n", 3, "列表中用了全角逗号 '，'",
     "[a, b]，使用半角逗号 ','"),
])
def test_full_width_punctuation_at_any_depth_gets_the_hint(tmp_path, capsys, text, line,
                                                           problem, allowed):
    """Only a top-level key's full-width colon had the hint; the others were read as a
    word ('electricity：100', 'rooftop，parking') and refused as an unknown value."""
    path = tmp_path / "site.yaml"
    path.write_text("name: x\ndomain: building\n" + text, encoding="utf-8")
    status, _, err = run(capsys, "check", str(path), "--lang", "zh")
    assert (status, err) == (2, f"错误：{path}：第{line}行：YAML 格式错误：{problem}"
                                f"（允许的值：{allowed}）\n")


def test_chinese_text_keeps_its_own_full_width_punctuation(tmp_path, capsys):
    path = profile(tmp_path, "sources: {budget: 示范楼：一期，二期, name: 节能，减排}\n")
    status, _, err = run(capsys, "check", str(path), "--lang", "en")
    assert (status, err) == (0, "")


def test_an_xlsx_formula_without_its_value_names_the_cell(tmp_path, capsys):
    """openpyxl writes formulas without values: the cell read as empty, the sector as 0."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "inv"
    book.active.append(["sector", "electricity"])
    book.active.append(["commercial", "=50*2"])
    book.save(tmp_path / "inventory.xlsx")
    path = tmp_path / "site.yaml"
    path.write_text("name: x\ndomain: building\n"
                    "baseline: {file: inventory.xlsx, sheet: inv}\n", encoding="utf-8")
    status, _, err = run(capsys, "check", str(path), "--lang", "en")
    assert (status, err) == (2, f"error: {tmp_path / 'inventory.xlsx'}: sheet 'inv', cell B2: "
                                "a formula without its calculated value (the workbook was "
                                "written by a program and never opened in Excel) (allowed: "
                                "open and save the workbook in Excel or LibreOffice, or type "
                                "the value)\n")


def test_a_batchs_folder_clash_is_its_error_alone(tmp_path, capsys):
    """The progress line came first, then the error."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "site.yaml").write_text(
            (SITES / "building.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    status, out, err = run(capsys, "batch", str(tmp_path / "a" / "site.yaml"),
                           str(tmp_path / "b" / "site.yaml"), "-o", str(tmp_path / "out"),
                           "--lang", "en")
    assert (status, out, err) == (2, "", f"error: batch: two profiles would write to "
                                         f"{tmp_path / 'out' / 'site'} (allowed: profiles "
                                         "with distinct file names)\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("text, wrong, right", [
    ("nots: 5\n", "'notes'", "（允许的值：name, "),  # `notes` is the loader's, no file's
    ("green_power: {2030: 5}\n", "share", "2030：5.0 不在 0-1 比例 之内"),
    ("budget: '" + "x" * 500 + "'\n", "characters", "...（共 500 个字符） 无效"),
    ("energy: {commercial: {plasma: 5}}\n", "（允许的值：electricity_mwh",
     "未知的能源数量 'plasma'（允许的值：{SECTOR: {QUANTITY: 数量}}，"),
    ("implementation: {actions: 5}\n", "本节中各行动的编号",
     "取值 5 无效（允许的值：由 actions 条目组成的列表"),
])
def test_the_smaller_wordings_of_a_zh_line(tmp_path, capsys, text, wrong, right):
    _, line = zh_line(tmp_path, capsys, text)
    assert wrong not in line and right in line


def test_every_weights_error_offers_the_same_schemes(capsys):
    for weights in ("cost=x", "price=1"):
        _, _, err = run(capsys, "rank", str(SITES / "building.yaml"), "--weights", weights,
                        "--lang", "en")
        assert err.rstrip(")\n").endswith("site, equal, entropy, critic"), err


def _single_candidate(tmp_path: Path) -> Path:
    """A profile that leaves one measure to rank."""
    from roadmap import load_catalog
    from roadmap.decisions.matrix import decision_matrix
    from roadmap.inputs.site import load_site

    path = profile(tmp_path, "")
    candidates = decision_matrix(load_catalog(), load_site(path)).frame["id"].tolist()
    return profile(tmp_path, f"exclude: [{', '.join(candidates[1:])}]\n")


@pytest.mark.filterwarnings("error")  # not shown but raised: the test fails on one
@pytest.mark.parametrize("scheme", ["entropy", "critic"])
def test_data_driven_weights_of_a_single_measure_are_one_line_without_warnings(
        tmp_path, capsys, scheme):
    """numpy's and pymcdm's warnings, then a ranking with the score nan."""
    path = _single_candidate(tmp_path)
    status, out, err = run(capsys, "rank", str(path), "--weights", scheme, "--lang", "en")
    assert (status, out, err) == (2, "", f"error: --weights: {scheme} weights cannot be "
                                         "computed for 1 measure (a single measure: nothing to "
                                         "compare it with) (allowed: site, equal or "
                                         "criterion=number,...)\n")


@pytest.mark.parametrize("text, line, problem", [
    ("name: x\ndomain: building\nbaseline:\n\tcommercial: 1\n", 4,
     "发现不能作为开头的字符（缩进请用空格，不要用制表符"),
    ("name: x: y\n", 1, "此处不能出现“键: 值”"),
    ("name: x\nfeatures: [port, rail\n", 3, "找不到应有的 ',' 或 ']'（括号未闭合？）"),
])
def test_pyyamls_common_problems_in_chinese(tmp_path, capsys, text, line, problem):
    """PyYAML's English passed untranslated into the Chinese line."""
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    status, _, err = run(capsys, "check", str(path), "--lang", "zh")
    assert status == 2 and err.startswith(f"错误：{path}：第{line}行：YAML 格式错误：{problem}")
    assert not WORDS.search(err)


@pytest.mark.parametrize("problem, chinese", [
    ("mapping values are not allowed here", "此处不能出现“键: 值”"),
    ("could not find expected ':'", "找不到应有的 ':'"),
    ("found character '\\t' that cannot start any token", "字符 '\\t' 不能作为开头"),
    ("expected <block end>, but found '<block mapping start>'",
     "缩进有误：此处应结束上一层，却发现 '<block mapping start>'")])
def test_pure_pythons_pyyaml_words_are_recognised_too(problem, chinese):
    from roadmap.inputs.files import _yaml_problem

    message = _yaml_problem(problem)
    assert message.said("en") == problem and message.said("zh").startswith(chinese)


def test_an_unknown_pyyaml_problem_stays_as_pyyaml_words_it():
    from roadmap.inputs.files import _yaml_problem

    assert _yaml_problem("found a problem nobody words") == "found a problem nobody words"


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("method", ["topsis", "promethee_ii"])
def test_a_method_whose_score_of_a_single_measure_is_nan_says_so(tmp_path, capsys, method):
    status, out, err = run(capsys, "rank", str(_single_candidate(tmp_path)), "--method",
                           method, "--lang", "en")
    assert (status, out, err) == (2, "", f"error: --method: {method.upper()} cannot rank 1 "
                                         "measure (a single measure: nothing to compare it "
                                         "with) (allowed: another method)\n")


def test_a_single_measure_is_ranked_by_a_method_that_can(tmp_path, capsys):
    status, out, _ = run(capsys, "rank", str(_single_candidate(tmp_path)), "--method", "wsm",
                         "--format", "csv")
    assert status == 0 and len(out.splitlines()) == 2


@pytest.mark.parametrize("args", [(), ("catalog",)])
def test_a_group_alone_shows_its_help(capsys, args):
    """Not an error line holding the help."""
    status, out, err = run(capsys, *args)
    assert (status, out) == (2, "") and err.startswith("Usage: roadmap") and "错误" not in err


NEGATIVE_CELL = """name: x
domain: building
baseline:
  commercial:
    electricity: 100
    %s
"""


@pytest.mark.parametrize("cell", ["lpg: -60", "{lpg: -60}"], ids=["block", "flow"])
def test_a_negative_baseline_cell_is_named_with_its_value_and_line(tmp_path, capsys, cell):
    """It read "line 3: field 'baseline': emissions must be >= 0", the top key's line, neither
    the cell nor the value (a NaN in the same place named its cell)."""
    text = NEGATIVE_CELL % cell if cell.startswith("lpg") else \
        NEGATIVE_CELL.replace("  commercial:\n    electricity: 100\n    %s",
                              "  commercial: {electricity: 100, lpg: -60}")
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    status, _, err = run(capsys, "check", str(path), "--lang", "en")
    line = 6 if cell.startswith("lpg") else 4
    assert (status, err) == (2, f"error: {path}: line {line}: field 'baseline.commercial.lpg': "
                                "-60 is not allowed (allowed: a number of tCO2e/yr, 0 or more)\n")


def test_an_unknown_measure_id_names_its_line_and_the_id_it_may_be(tmp_path, capsys):
    """It read "field 'measures': unknown id 'bld-solar-pvx'", no line and no suggestion."""
    path = profile(tmp_path, "budget: 300\nmeasures:\n  bld-led-lighting: {share: 0.1}\n"
                             "  bld-solar-pvx: {share: 0.1}\n")
    status, _, err = run(capsys, "check", str(path), "--lang", "en")
    assert (status, err) == (2, f"error: {path}: line 7: field 'measures': unknown id "
                                "'bld-solar-pvx'; did you mean 'bld-solar-pv'? "
                                "(allowed: ids from `roadmap catalog list`)\n")
