"""Client deliverables: the message catalogue, the Chinese report, report.docx, number
formatting and the palette."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Emu
from matplotlib.colors import to_hex

from roadmap.inputs.assumptions import Assumptions
from roadmap.inputs.vocabulary import (
    ADDRESSES,
    CRITERIA,
    DOMAINS,
    METHODS,
    REGIONS,
    SITE_FEATURES,
)
from roadmap.model.economics import cost_data
from roadmap.rendering import report as report_module
from roadmap.rendering.charts import wedge_chart
from roadmap.rendering.docx import write_docx
from roadmap.rendering.gantt import roadmap_chart
from roadmap.rendering.messages import catalogue, cite, sentence, term
from roadmap.rendering.numbers import amounts, approximate, money, number
from roadmap.rendering.style import category_colour
from roadmap.workflow import Options, analyse_file
from tests.helpers import run

SITES = Path(__file__).resolve().parents[1] / "catalogs" / "sites"
# What may stay Latin in a Chinese report: ids, units, method names, file names.
ALLOWED_LATIN = {"IPCC", "GB", "LPG", "PV", "CHP", "CCUS", "tCO2e", "CO2e", "CO2", "TOPSIS",
                 "VIKOR", "PROMETHEE", "II", "SPOTIS", "COPRAS", "Spearman", "pymcdm", "roadmap",
                 "SHA", "GDP", "TOD", "GPU", "LED", "BIPV", "LNG",
                 "PM2",  # PM2.5, as Chinese writes it
                 "include"}  # the profile key a report line tells the reader to write
EXPONENT = re.compile(r"(?<![\w.#-])\d+(?:\.\d+)?e[+-]\d+\b", re.IGNORECASE)  # 1.08e+06


@pytest.fixture(scope="module")
def xiaolan(catalog):
    return analyse_file(catalog, SITES / "xiaolan-town.yaml", Options(draws=100))


@pytest.fixture(scope="module")
def zh_run(xiaolan, tmp_path_factory):
    return report_module.write_outputs(xiaolan, tmp_path_factory.mktemp("zh") / "x", "zh")


@pytest.fixture(scope="module")
def nanao_runs(catalog, tmp_path_factory):
    """Nan'ao (a county without an implementation plan, growth by sector) in zh and en."""
    nanao = analyse_file(catalog, SITES / "nanao-county.yaml", Options(draws=40))
    folder = tmp_path_factory.mktemp("nanao")
    return nanao, {lang: report_module.write_outputs(nanao, folder / lang, lang)
                   for lang in ("zh", "en")}


def test_every_catalogue_entry_has_both_languages():
    for section, entries in catalogue().items():
        rows = entries if isinstance(entries, list) else entries.values()
        for entry in rows:
            assert entry["zh"].strip() and entry["en"].strip(), (section, entry)
            # an unquoted comma in a flow mapping ends the text and makes the rest a key
            # (the assumption table read "share of transport energy used at ports")
            assert all(isinstance(text, str) for text in entry.values()), (section, entry)


def test_every_vocabulary_value_is_translated():
    for kind, values in (("domain", DOMAINS), ("region", REGIONS), ("source", ADDRESSES),
                         ("feature", SITE_FEATURES), ("criterion", CRITERIA),
                         ("method", METHODS), ("assumption", tuple(Assumptions.model_fields)),
                         ("cost_basis", (*(f.name for f in cost_data().families), "grade"))):
        for value in values:
            assert term(kind, value, "zh") and term(kind, value, "en"), (kind, value)


def test_the_analysis_sentences_are_translated(xiaolan):
    reasons = [*xiaolan.ranking.excluded["reason"], *xiaolan.ranking.frame["why"],
               *xiaolan.roadmap.frame["reason"], *xiaolan.roadmap.left_out["reason"]]
    translated = [sentence(r, "zh") for r in reasons]
    assert sentence("needs port, which the site does not have", "zh") == "需要港口，场地不具备"
    assert not any(re.search(r"[a-z]{3,}", re.sub(r"(?:town|bld)-[a-z0-9-]+", "", t))
                   for t in translated)
    with pytest.raises(KeyError, match="no translation"):
        sentence("a sentence nobody translated", "zh")


def _latin_words(text: str, site_name: str) -> set[str]:
    text = text.replace(site_name, "")  # the profile's own name (小榄镇 Xiaolan Town)
    text = re.sub(r"\]\([^)]*\)", "", text)  # image paths
    text = re.sub(r"[a-z]+(?:-[a-z0-9]+)+", "", text)  # measure ids
    text = re.sub(r"(?<![A-Za-z])[a-z]+(?:\\?_[a-z]+)+(?![A-Za-z])", "", text)  # profile keys
    text = re.sub(r"[0-9a-f]{16,}", "", text)  # hashes
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", text)
    return {w for w in words if len(re.sub(r"[0-9]", "", w)) > 1} - ALLOWED_LATIN


def test_chinese_report_has_no_english_left(zh_run, xiaolan):
    markdown = (zh_run / "report.md").read_text(encoding="utf-8")
    assert _latin_words(markdown, xiaolan.site.name) == set()
    assert "执行摘要" in markdown and "万吨CO2e/年" in markdown and "亿元" in markdown
    # the new sections are there to be checked: plan, map, Monte Carlo cost ranges
    for part in ("首阶段实施计划", "资金来源（万元）", "发展指标", "成本P10（元/吨）",
                 "charts/implementation-map.png"):
        assert part in markdown


def test_nanao_reports_keep_to_their_language(nanao_runs):
    nanao, runs = nanao_runs
    zh = (runs["zh"] / "report.md").read_text(encoding="utf-8")
    assert _latin_words(zh, nanao.site.name) == set()
    # growth by sector, named in Chinese; the default plan's section and its figures
    assert "基准情景增长率（居民生活1.0%、公共及商业建筑4.0%" in zh
    assert "首阶段实施计划" in zh and "成本P90（元/吨）" in zh
    en = (runs["en"] / "report.md").read_text(encoding="utf-8").replace(nanao.site.name, "")
    assert re.findall(r"[\u4e00-\u9fff]+", en) == []
    assert "### Near term (2020-2025)" in en


def _markdown_tables(markdown: str) -> list[list[list[str]]]:
    """Each Markdown table as rows of stripped cells, the header row first."""
    tables, rows = [], []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            if not re.fullmatch(r"\|[-:| ]+\|", line):  # not the alignment row
                rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
        elif rows:
            tables.append(rows)
            rows = []
    return tables


def test_report_tables_are_finished(zh_run, nanao_runs):
    """No table of headers only, no nan, figures with their separators (-2,880, not -2880:
    Markdown must not parse the formatted cells again) and shares in per cent."""
    _, runs = nanao_runs
    for folder in (zh_run, runs["zh"], runs["en"]):
        markdown = (folder / "report.md").read_text(encoding="utf-8")
        for table in _markdown_tables(markdown):
            assert len(table) > 1, table[0]
            for cell in (c for row in table[1:] for c in row):
                assert cell.lower() not in ("nan", "none", "<na>")
                unseparated = re.fullmatch(r"-?\d{4,}(\.\d+)?", cell)
                assert not unseparated or 1990 <= float(cell) <= 2100, cell  # years only
    zh = (zh_run / "report.md").read_text(encoding="utf-8")
    share = next(t for t in _markdown_tables(zh) if t[0][-1] == "占比" and t[0][1] == "类别")
    assert all(row[-1].endswith("%") for row in share[1:])
    caption = "### 措施排序（场地减排量与成本均为各措施单独采用时2050年的数值，不可相加）"
    ranking = _markdown_tables(zh.split(caption)[1])[0]
    assert "单独采用的平准化减排成本（元/吨）" in ranking[0]
    assert "单独采用的场地减排量（吨CO2e/年）" in ranking[0]
    heading = "### 路线图各措施的经济性（2050年，扣除措施之间的重叠）"
    economics = _markdown_tables(zh.split(heading)[1])[0]
    assert "路线图中的减排量（吨/年）" in economics[0]


def test_chinese_report_gives_the_left_out_rows_in_chinese(zh_run):
    """The roadmap section ends with the ranked measures left out, their reasons in Chinese."""
    markdown = (zh_run / "report.md").read_text(encoding="utf-8")
    roadmap = markdown.split("## 4. 技术路线图")[1].split("\n## ")[0]
    caption = ("### 未纳入路线图的排名措施（与路线图中的措施重叠会重复计算减排量，"
               "在本场地无减排乃至增加排放，或需要场地资料排除的措施）")
    table = _markdown_tables(roadmap.split(caption)[1])[0]
    assert table[0] == ["排名", "措施", "编号", "理由"] and len(table) == 7
    rows = {row[2]: row for row in table[1:]}
    assert rows["town-renewable-energy"] == [
        "5", "充分利用可再生能源", "town-renewable-energy",
        "与场地资料纳入的建筑太阳能光伏发电技术重叠（充分利用可再生能源包含建筑太阳能光伏发电技术）"]
    assert rows["town-low-carbon-industry-system"][3].startswith(
        "与已入选的调整产业结构重叠")
    assert "overlaps" not in roadmap and "included by" not in roadmap
    cells = {c.text for t in docx.Document(str(zh_run / "report.docx")).tables
             for row in t.rows for c in row.cells}
    assert rows["town-renewable-energy"][3] in cells


def test_no_left_out_table_when_nothing_is_left_out(xiaolan):
    from roadmap.rendering.document import roadmap_section
    nothing = dataclasses.replace(xiaolan.roadmap, left_out=xiaolan.roadmap.left_out.iloc[:0])
    captions = [c for c, _ in roadmap_section(dataclasses.replace(
        xiaolan, roadmap=nothing), "en")["tables"]]
    assert captions == ["Near term (2010-2025)", "Mid term (2025-2035)", "Long term (2035-2050)"]
    assert len(roadmap_section(xiaolan, "en")["tables"]) == 4


def test_both_languages_give_each_sentence_whole(xiaolan):
    """In --lang both a sentence is written in Chinese, then in English; not one sentence of
    bilingual parts (计划期2014年1-3月 2014 Q1至...)."""
    from roadmap.rendering.document import implementation_section
    period = implementation_section(xiaolan, "both")["paragraphs"][1]
    assert period == "计划期2014年1-3月至2015年10-12月，共8个季度。 / " \
                     "The plan runs from 2014 Q1 to 2015 Q4, 8 quarters."


def test_report_opens_with_the_executive_summary(zh_run):
    markdown = (zh_run / "report.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \d+\. (.+)$", markdown, re.MULTILINE)
    assert headings[0] == "执行摘要" and headings[-1] == "附录：假设与数据来源"
    summary = markdown.split("\n## 2.")[0]
    for part in ("分阶段推荐措施", "里程碑年份", "目标判定", "总投资与预算", "三大不确定性",
                 "charts/roadmap.png", "其中平准化减排成本高于碳价的措施：", "生物柴油三联供技术"):
        assert part in summary


def test_docx_has_the_sections_and_the_charts(zh_run):
    document = docx.Document(str(zh_run / "report.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    markdown = (zh_run / "report.md").read_text(encoding="utf-8")
    assert headings == re.findall(r"^## (.+)$", markdown, re.MULTILINE)
    assert len(document.inline_shapes) == 7 and len(document.tables) >= 10
    assert document.core_properties.created.year == 2020


def _language(document) -> dict[str, str]:
    tag = document.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:lang')}")
    return {"val": tag.get(qn("w:val")), "eastAsia": tag.get(qn("w:eastAsia"))}


def test_docx_numbers_its_pages_speaks_its_language_and_aligns_figures(zh_run, tmp_path):
    """A PAGE field in each footer; the document's language zh-CN for a Chinese report
    (en-US for an English one; its Chinese names zh-CN either way); figures right-aligned
    under a right-aligned header, text left."""
    document = docx.Document(str(zh_run / "report.docx"))
    for section in document.sections:
        fields = section.footer._element.findall(f".//{qn('w:fldSimple')}")
        assert [f.get(qn("w:instr")) for f in fields] == ["PAGE"]
    assert _language(document) == {"val": "zh-CN", "eastAsia": "zh-CN"}
    assert document.core_properties.language == "zh-CN"
    funding = next(t for t in document.tables if t.rows[0].cells[1].text == "计划期投资")
    aligned = [[c.paragraphs[0].alignment for c in row.cells] for row in funding.rows]
    assert {row[0] for row in aligned} == {None}  # the actions' names
    assert {a for row in aligned for a in row[1:]} == {WD_ALIGN_PARAGRAPH.RIGHT}
    assert funding.rows[1].cells[2].text.endswith("%）")  # 712（99.8%）: a figure too
    frame = pd.DataFrame({"measure": ["heat pumps"], "t/yr": ["-2,880"]})
    path = tmp_path / "en.docx"
    write_docx("Site", "report", [{"title": "Tables", "paragraphs": [], "items_title": "",
                                   "items": [], "figures": [], "tables": [("", frame)]}],
               {}, path, "en")
    english = docx.Document(str(path))
    assert _language(english) == {"val": "en-US", "eastAsia": "zh-CN"}
    row = english.tables[0].rows[1].cells
    assert [c.paragraphs[0].alignment for c in row] == [None, WD_ALIGN_PARAGRAPH.RIGHT]


def test_docx_charts_print_at_300_dpi(zh_run):
    """The Word file reuses the charts' PNGs: each is wide enough for 300 dpi on paper, and
    not much wider (pixels nobody sees cost drawing time); already compressed, they are
    stored in the zip as they are."""
    document = docx.Document(str(zh_run / "report.docx"))
    assert len(document.inline_shapes) >= 6
    for shape in document.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        image = document.part.related_parts[blip.embed].image
        assert 300 <= image.px_width / shape.width.inches < 310, image.filename
    media = [m for m in zipfile.ZipFile(zh_run / "report.docx").infolist()
             if m.filename.endswith(".png")]
    assert media and {m.compress_type for m in media} == {zipfile.ZIP_STORED}


def test_docx_columns_are_as_wide_as_their_text(zh_run):
    """The schedule's action names are not squeezed to three characters a line: beside
    eight quarters whose headers need 2014年 on a line, they get six or more."""
    document = docx.Document(str(zh_run / "report.docx"))
    schedule = next(t for t in document.tables if t.rows[0].cells[1].text == "2014年1-3月")
    action, quarter = schedule.columns[0].width, schedule.columns[1].width
    size = schedule.rows[1].cells[0].paragraphs[0].runs[0].font.size.pt
    chinese = size / 72 * 2.54  # cm: a Chinese character is one em wide
    assert action.cm >= 0.2 + 6 * chinese and action > 1.5 * quarter
    assert schedule.rows[1].cells[0].width == action
    look = schedule._tbl.tblPr.find(qn("w:tblLook"))
    assert look.get(qn("w:firstColumn")) == "0"  # names, not a second header in bold


def test_docx_pages_are_a4_with_a_16_cm_text_width(zh_run):
    """Chinese clients print on A4; the charts' 1,890 px are 300 dpi across the 16 cm."""
    document = docx.Document(str(zh_run / "report.docx"))
    for section in document.sections:
        assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297),
                                                                                abs=0.1)
        text_width = Emu(section.page_width - section.left_margin - section.right_margin)
        assert text_width.cm == pytest.approx(16, abs=0.01)
        assert section.left_margin == section.right_margin
    assert report_module.PRINT_WIDTH_PX == 1890


def test_docx_numbers_are_never_broken_across_lines(zh_run):
    """Every number of every table fits its column (21,500 was set as 21,50 / 0), a
    schedule's quarter header keeps 2014年 on a line, and the header row repeats on each
    page; a minus sign after a Chinese character is joined to its number (U+2060). The
    width of a digit: 0.636 em (DejaVu Sans, LibreOffice's substitute font)."""
    document = docx.Document(str(zh_run / "report.docx"))
    text_width = Cm(16)
    for table in document.tables:
        assert sum(column.width for column in table.columns) <= text_width * 1.001
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")).get(qn("w:val")) == "true"
        for row in table.rows:
            for cell in row.cells:
                size = next((r.font.size.pt for p in cell.paragraphs for r in p.runs), 8)
                margins = 0.2  # cm: the table's cell margins, both sides
                assert not re.search(r"[\u4e00-\u9fff]-\d", cell.text)  # 成本- / 2,878
                for figure in re.findall(r"-?\d[\d,.]*%?", cell.text):
                    needed = margins + len(figure) * 0.636 * size / 72 * 2.54
                    assert cell.width.cm >= needed, (cell.text, cell.width.cm, needed)
    schedule = next(t for t in document.tables if t.rows[0].cells[1].text == "2014年1-3月")
    size = schedule.rows[0].cells[1].paragraphs[0].runs[0].font.size.pt
    needed = 0.2 + (4 * 0.636 + 1) * size / 72 * 2.54  # 2014年 on the header's first line
    assert schedule.columns[1].width.cm >= needed and size >= 6.5


def test_no_exponent_notation_anywhere_a_person_reads(zh_run):
    html = (zh_run / "report.html").read_text(encoding="utf-8")
    html = re.sub(r"base64,[A-Za-z0-9+/=]+", "", html)
    text = re.sub(r"<[^>]+>", " ", html)
    cells = [c.text for t in docx.Document(str(zh_run / "report.docx")).tables
             for row in t.rows for c in row.cells]
    for written in (text, (zh_run / "report.md").read_text(encoding="utf-8"), " ".join(cells)):
        assert not EXPONENT.search(written)


XIAOLAN = str(SITES / "xiaolan-town.yaml")


@pytest.mark.parametrize("command", [["pathway", XIAOLAN, "--lang", "en"],
                                     ["experts", "--lang", "en"], ["check", XIAOLAN],
                                     ["rank", XIAOLAN, "--sensitivity", "20"],
                                     ["plan", XIAOLAN, "--budget"]])
def test_no_exponent_notation_on_the_terminal(capsys, command):
    """Target lines read 'at most 1,080,000' (not 1.08e+06), p-values '< 0.001' (not 7e-20)."""
    status, out, err = run(capsys, *command)
    assert status == 0 and not EXPONENT.search(out + err)
    if command[0] == "pathway":
        assert "Absolute target 2050: at most 1,080,000 tCO2e/yr" in out
        # a gap in t/yr is the abatement still needed: said once, not twice
        assert "not met; 211,211 tCO2e/yr more abatement needed" in out and "; gap" not in out
    if command[0] == "experts":
        assert re.search(r"│ all +│ +230 │ +0\.458 │ +< 0\.001 │", out)


@pytest.mark.parametrize(("value", "shown"), [(2.24e-11, "0"), (1.08e6, "1,080,000"),
                                               (28699.99999999999, "28,700"), (0.0, "0"),
                                               (0.123456, "0.123"), (0.000456, "0.000456")])
def test_numbers_are_formatted_for_people(value, shown):
    assert number(value) == shown


def test_money_reads_in_each_language():
    assert (money(462300, "zh"), money(462300, "en")) == ("46.2亿元", "4.62 billion yuan")
    assert (money(2010, "zh"), money(2010, "en")) == ("2,010万元", "20.1 million yuan")


def test_small_english_amounts_read_in_yuan():
    """The building's grade-costed measures read "0.0501 million yuan" and its plan's local
    funds "0.0039 million yuan": below a million an amount is counted in yuan. Amounts of
    one sentence each read in their own unit (one unit made Xiaolan's investment "6,430
    million yuan" beside its 743 million budget)."""
    assert (money(5.01, "zh"), money(5.01, "en")) == ("5.01万元", "50,100 yuan")
    assert (money(0, "en"), money(99.99, "en"), money(100, "en")) == (
        "0 yuan", "1,000,000 yuan", "1 million yuan")
    assert amounts("en", total=165, local=6.46, none=0) == {
        "total": "1.65 million yuan", "local": "64,600 yuan", "none": "0 yuan"}
    assert amounts("en", total=680000, budget=50000) == {
        "total": "6.8 billion yuan", "budget": "500 million yuan"}
    assert amounts("zh", total=165, local=6.46) == {"total": "165万元", "local": "6.46万元"}


def test_large_estimates_are_not_shown_to_the_unit():
    assert (approximate(4593689, "zh"), approximate(4593689, "en")) == ("459万", "4.59 million")
    assert (approximate(48949, "zh"), approximate(48949, "en")) == ("4.89万", "48,900")


def _gantt_colours(analysis) -> dict[str, str]:
    """Category -> colour of its popularisation blocks in the site's Gantt chart."""
    figure = roadmap_chart(analysis.roadmap, "zh")
    colours = {}
    for patch in figure.axes[0].patches:
        gid = patch.get_gid() or ""
        if gid.endswith(":popularization"):
            category = analysis.catalog.get(gid.split(":")[0]).category
            colours.setdefault(category, set()).add(to_hex(patch.get_facecolor()))
    return colours


def _wedge_colours(analysis) -> dict[str, str]:
    figure = wedge_chart(analysis.pathway, analysis.catalog, analysis.targets, "zh")
    names = {c: c for c in {t.category for t in analysis.catalog}}
    return {names[c.get_label()]: to_hex(c.get_facecolor()[0])
            for c in figure.axes[0].collections if c.get_label() in names}


def test_a_category_has_one_colour_in_every_chart_and_site(catalog, xiaolan):
    jiangmen = analyse_file(catalog, SITES / "jiangmen-city.yaml", Options(draws=20))
    seen = {}
    for analysis in (xiaolan, jiangmen):
        for category, colours in _gantt_colours(analysis).items():
            assert colours == {to_hex(category_colour(category))}
            seen.setdefault(category, set()).update(colours)
        for category, colour in _wedge_colours(analysis).items():
            seen.setdefault(category, set()).add(colour)
    assert len(seen) >= 4 and all(len(colours) == 1 for colours in seen.values())


def test_a_county_on_two_catalogs_has_a_colour_per_category(nanao_runs):
    """Nan'ao plans with the town and the transport catalogs: 道路交通 took 规划管理's colour."""
    nanao, _ = nanao_runs
    categories = set(nanao.economics["category"])
    assert {"道路交通", "规划管理"} <= categories
    assert len({category_colour(c) for c in categories}) == len(categories)


def test_references_to_the_source_documents_read_as_titles():
    assert cite("seed 003 table 7-2 (seed 20201 draws); 种子文件000第2.4节; seed 009") == (
        "the Guangdong near-zero-carbon pilot study table 7-2 (seed 20201 draws); "
        "《小榄镇低碳建设实施方案研究》第2.4节; seed 009")


def test_profile_sources_reach_the_assumptions_annex(zh_run, xiaolan):
    markdown = (zh_run / "report.md").read_text(encoding="utf-8")
    annex = markdown.split("附录：假设与数据来源")[1]
    # the source documents by their titles, not the project's names for them
    assert "《小榄镇低碳建设实施方案研究》表5-4：十项行动总投资74290万元" in annex
    assert "种子文件" not in markdown and "《江门市发展低碳城市战略规划（2010-2020年）》" in annex
    assert "| 基准排放 · 交通 · 油品 | 示意值（项目假设）" in re.sub(r" +", " ", annex)
    assert "江门市规划：一般0.5吨" in annex  # the engine's own, with its source
    assert len(xiaolan.site.sources) == 20


def test_workbook_has_number_formats_and_frozen_headers(zh_run):
    import openpyxl

    book = openpyxl.load_workbook(zh_run / "roadmap.xlsx")
    words = list(book["columns"].values)  # the first sheet says each header in the language
    assert book.sheetnames[0] == "columns" and words[0] == ("sheet", "column", "label_zh")
    assert ("uncertainty_costs", "cost_yuan_per_t_p50", "成本P50（元/吨）") in words
    # shares read as percentages
    shares = book["contributions"]
    share = [c.value for c in shares[1]].index("share") + 1
    assert shares.cell(row=2, column=share).number_format == "0.0%"
    assert {row[0] for row in words[1:]} == set(book.sheetnames)
    pathway = book["pathway"]
    assert pathway.freeze_panes == "A2"
    header = [c.value for c in pathway[1]]
    net = pathway.cell(row=2, column=header.index("abatement") + 1)
    assert net.number_format in ("#,##0", "#,##0.###")
    assert pathway.column_dimensions["A"].width >= 8


def test_the_economics_section_says_what_the_cost_curve_shows(xiaolan):
    from roadmap.rendering.document import economics_lines
    lines = economics_lines(xiaolan, "en")
    economics = xiaolan.economics
    negative = int((economics["cost_yuan_per_t"] < 0).sum())
    assert lines[0].startswith(f"In 2050, {negative} of the {len(economics)} measures abate "
                               "at a negative levelised cost")
    assert lines[0].endswith("above the carbon price of 80 yuan/t: New-energy vehicles, "
                             "Coal-to-electric boiler conversion.")
    grade = economics[economics["cost_basis"] == "grade"]
    assert lines[2].startswith(f"{len(grade)} measures have no technology cost family")
    assert all(name in lines[2] for name in grade["name_en"])
    # the phase whose cumulative spend first overruns the budget, with the spend by its end
    assert "The cumulative investment overruns the budget in the near term (" in " ".join(lines)
    assert "by 2025)." in " ".join(lines)
    assert lines[-1].startswith("The budget's shadow price is ")
    zh = economics_lines(xiaolan, "zh")
    assert len(zh) == len(lines) and "项措施没有对应的技术成本类别" in zh[2]


def test_measures_tied_by_one_unit_cost_are_said_to_be_compared_on_quotes(catalog, xiaolan):
    """The office building's cost curve is 12 bars within 5 % of one another, all priced at
    the building-efficiency family's cost per MWh saved: the report says the curve cannot
    rank them. Xiaolan's industrial measures, one family but costs 10 % or more apart, are
    not said to be tied."""
    from roadmap.rendering.document import economics_lines

    office = analyse_file(catalog, SITES / "building.yaml", Options(
        draws=50, uncertainty_draws=0, compare=("topsis",)))
    tied = [line for line in economics_lines(office, "en") if " share one " in line]
    assert len(tied) == 1 and tied[0].startswith("12 measures share one building efficiency")
    assert "compare them with one another on quotes" in tied[0]
    assert any("采用同一建筑节能单位造价" in line for line in economics_lines(office, "zh"))
    assert not any("industrial efficiency" in line for line in economics_lines(xiaolan, "en")
                   if " share one " in line)


def test_the_report_says_why_business_as_usual_moves(nanao_runs):
    """Nan'ao's business as usual rises 28,092 t by 2050 (falls 6.1 % by 2025) without a plan:
    the report said what it holds, not how much each part moves it."""
    from roadmap.rendering.document import bau_lines

    nanao, runs = nanao_runs
    en, zh = bau_lines(nanao, "en")[1], bau_lines(nanao, "zh")[1]
    assert en.startswith("From 2020 to 2050 business as usual's net emissions change by "
                         "+28,092 tCO2e/yr: activity growth +257,186 tCO2e/yr, the grid's "
                         "emission factor -183,877 tCO2e/yr, the autonomous uptake of mature "
                         "technologies -45,217 tCO2e/yr (from the model: growth counted at "
                         "the 2020 grid factor without the uptake; the overlap")
    assert 257186 - 183877 - 45217 == 323092 - 295000  # the figures the line before shows
    assert zh.startswith("2020年至2050年，基准情景的净排放变化+2.81万吨CO2e/年：经济活动增长"
                         "+25.7万吨CO2e/年，电网排放因子的变化-18.4万吨CO2e/年，成熟技术的自发"
                         "推广-4.52万吨CO2e/年（模型计算")
    for lang, folder in runs.items():
        said = (folder / "report.md").read_text(encoding="utf-8")
        assert bau_lines(nanao, lang)[1] in said


def test_the_report_reconciles_its_figures_for_a_client(xiaolan, nanao_runs):
    from roadmap.rendering.document import bau_lines, economics_lines, green_power_lines
    joined = " ".join(economics_lines(xiaolan, "en"))
    # the investment as measures spread, and fully adopted: the annex table's total
    full = xiaolan.economics["investment_10k_yuan"].sum()
    assert "need about 6.27 billion yuan by 2050 as they spread" in joined
    assert f"{money(full, 'en')} if each were fully adopted" in joined
    # which of the roadmap's measures the budget's choice leaves out, by name
    chosen = xiaolan.portfolio.frame.query("chosen")["id"]
    left = xiaolan.economics[~xiaolan.economics["id"].isin(chosen)]
    assert len(left) and all(name in joined for name in left["name_en"])
    # business as usual falls with the grid and the mature technologies, said so
    assert bau_lines(xiaolan, "en")[0].endswith(
        "2,160,000 tCO2e/yr in 2010, 2,139,032 tCO2e/yr in 2050 (net).")
    assert green_power_lines(xiaolan, "en") == []  # Xiaolan buys no green power
    nanao, _ = nanao_runs
    line = green_power_lines(nanao, "zh")[0]  # 38 % of Nan'ao's 2050 abatement
    assert line.startswith("外购绿电（场地资料设定，2050年占用电的90%）2050年减排7.31万吨CO2e")


def test_a_central_investment_below_the_median_is_explained(xiaolan, monkeypatch):
    """A central investment well below the Monte Carlo median gets a sentence saying why;
    an unskewed one none. Xiaolan's central 62.7亿 is near its median (over 200
    draws; 62.7亿 against 66.1亿): no sentence, unless "well below" were drawn at 2x."""
    from roadmap.rendering import document
    skew = "The central estimate of 6.27 billion yuan is below the median"
    assert not any(line.startswith(skew) for line in document.economics_lines(xiaolan, "en"))
    monkeypatch.setattr(document, "SKEWED", 2.0)
    assert any(line.startswith(skew) for line in document.economics_lines(xiaolan, "en"))
    monkeypatch.setattr(document, "SKEWED", 0.5)
    assert not any(line.startswith(skew) for line in document.economics_lines(xiaolan, "en"))



def test_the_rank_uncertainty_named_is_a_roadmap_measure_flagged_unstable(xiaolan):
    """The executive summary names the least stable measure of the roadmap: one flagged
    unstable (Xiaolan: the coal-to-electric boilers, in the top 10 in about 80 % of weight
    draws), not the widest-moving of the top ten, which may not even be in the roadmap
    (here rank 4, left out as it overlaps rank 1, made to move over ranks 1-40)."""
    from roadmap.rendering.document import uncertainty_lines
    frame = xiaolan.stability.frame.copy()
    left_out = frame["id"] == "town-low-carbon-industry-system"
    frame.loc[left_out, ["rank_p5", "rank_p95", "unstable"]] = [1, 40, False]
    varied = dataclasses.replace(xiaolan, stability=dataclasses.replace(xiaolan.stability,
                                                                        frame=frame))
    assert uncertainty_lines(varied, "en")[0].startswith(
        "Coal-to-electric boiler conversion: its rank is ")
    assert frame.set_index("id").loc["town-boiler-coal-to-electric", "unstable"]


def test_the_milestone_table_adds_up(xiaolan):
    """Business as usual - abatement - sinks = net in every row: Xiaolan's business as usual
    holds 990 t/yr of sink by 2050, which the table left out (2,105,713 - 880,626 is not
    1,224,097)."""
    from roadmap.rendering.document import milestone_table
    table = milestone_table(xiaolan, "zh")
    assert list(table.columns)[1:4] == ["基准情景排放（碳汇前，万吨CO2e/年）",
                                        "减排量（万吨CO2e/年）", "碳汇（万吨CO2e/年）"]
    numbers = table.map(lambda v: float(v.split("（")[0].replace(",", "")))
    bau, abatement, sinks, net = (numbers.iloc[:, i] for i in range(1, 5))
    assert ((bau - abatement - sinks - net).abs() <= 0.2).all() and sinks.iloc[-1] > 0
    # in both languages the Monte Carlo range, only figures, is written once
    net_both = milestone_table(xiaolan, "both").iloc[0, -1]
    assert net_both.count("P10") == 1 and "(P10-P90: " in net_both


def test_a_sink_larger_than_the_site_is_said_not_to_fit(xiaolan):
    """Near zero at Xiaolan would take about 56,300 ha of new sink, 7.5 times its 7,540 ha:
    the report says it cannot be planted on the site (it gave the hectares with no caveat)."""
    from roadmap.rendering.document import near_zero_lines, near_zero_text
    line = near_zero_lines(xiaolan, "en")[0]
    assert "about 56,300 ha of new sink" in line
    assert "That sink is 7.47 times the site's 7,540 ha of land: it cannot be planted" in line
    chinese = near_zero_lines(xiaolan, "zh")[0]
    assert "场地土地面积（约7,540公顷）的7.47倍，场地内无法实现" in chinese
    assert "cannot be planted" not in near_zero_text(xiaolan.near_zero, "en")  # no land given
