"""Every word a chart shows comes from the message catalogue or from the data.

Each chart is drawn in zh, en and both while messages.py records every string it hands out;
then every text artist's string, less those strings and the data's names (measures,
categories, plan actions, the site), must keep no letter: only numbers and symbols. A
`label("剩余排放", "remaining emissions", lang)` written in a chart module fails here."""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest
from matplotlib.text import Text

from roadmap.decisions.acceptability import acceptability
from roadmap.rendering import messages
from roadmap.rendering.charts import acceptability_chart, cost_curve_chart, wedge_chart
from roadmap.rendering.gantt import TOWN_PARTS, domain_chart
from roadmap.rendering.report import CHARTS
from roadmap.rendering.style import LANGS, label
from roadmap.workflow import Options, analyse_file

SITES = Path(__file__).resolve().parents[1] / "catalogs" / "sites"
LETTER = re.compile(r"[^\W\d_]")  # a letter of any script
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def xiaolan(catalog):
    """Xiaolan has every chart: a plan and its map, Monte Carlo bands and cost ranges."""
    return analyse_file(catalog, SITES / "xiaolan-town.yaml", Options(draws=100))


def _pairs(frame) -> list[tuple[str, str]]:
    """(zh, en) of every name_zh/name_en-like column pair and the category columns."""
    pairs = [(a, b) for a, b in (("category", "category_en"), ("subcategory", "subcategory_en"))
             if a in frame and b in frame]
    pairs += [(c, c[:-3] + "_en") for c in frame if c.endswith("_zh") and c[:-3] + "_en" in frame]
    return [(zh, en) for a, b in pairs for zh, en in zip(frame[a], frame[b], strict=True)]


def _data_words(analysis) -> set[str]:
    """The names the data brings, each language alone and as `label` joins them."""
    pairs = [(t.name_zh, t.name_en) for t in analysis.catalog]
    pairs += [(t.category, t.category_en) for t in analysis.catalog]
    pairs += [(t.subcategory, t.subcategory_en) for t in analysis.catalog]
    for frame in (analysis.economics, analysis.roadmap.frame, analysis.stability.frame,
                  analysis.implementation.schedule):
        pairs += _pairs(frame)
    pairs += [(d["name_zh"], d["name_en"]) for _, d in analysis.implementation.graph.nodes(
        data=True)]
    words = {analysis.site.name}
    for zh, en in pairs:
        zh, en = zh or en or "", en or zh or ""
        words |= {zh, en, label(zh, en, "both")}
    return words - {""}


def index(words) -> dict[str, list[str]]:
    """Allowed strings without whitespace (wrapped lines), by first character, longest first."""
    by_first: dict[str, list[str]] = {}
    for one in sorted({re.sub(r"\s+", "", w) for w in words} - {""}, key=len, reverse=True):
        by_first.setdefault(one[0], []).append(one)
    return by_first


def unexplained(shown: str, allowed: dict[str, list[str]]) -> str:
    """What is left of `shown` (whitespace aside) once the allowed strings are taken out,
    read from the left, the longest that fits first."""
    text, rest, at = re.sub(r"\s+", "", shown), [], 0
    while at < len(text):
        fits = next((w for w in allowed.get(text[at], ()) if text.startswith(w, at)), "")
        if not fits:
            rest.append(text[at])
        at += len(fits) or 1
    return "".join(rest)


def test_a_literal_outside_the_catalogue_is_caught():
    assert unexplained("剩余排放 remaining emissions", index(["碳汇"])) == \
        "剩余排放remainingemissions"
    allowed = index(["建筑 Buildings", "建筑", "绿色建筑", "Buildings", "Green buildings"])
    assert unexplained("建筑 · 绿色建筑 Buildings · Green\n buildings", allowed) == "··"


def _figures(analysis, lang: str):
    smaa = acceptability(analysis.matrix, "topsis", analysis.ranking.weights, draws=50, seed=1)
    figures = {name: build(analysis, lang) for name, (build, _) in CHARTS.items()}
    figures["acceptability"] = acceptability_chart(smaa, lang=lang)
    figures |= {f"town-{part}": domain_chart(analysis.catalog, "town", part, lang)
                for part in TOWN_PARTS}
    figures["park"] = domain_chart(analysis.catalog, "park", lang=lang)
    return {name: figure for name, figure in figures.items() if figure is not None}


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_word_comes_from_the_catalogue_or_the_data(xiaolan, lang, monkeypatch):
    handed_out = set()

    def recording(entry, one, **params):
        words = both(entry, one, **params)
        handed_out.add(words)
        return words

    both = messages._both
    monkeypatch.setattr(messages, "_both", recording)
    figures = _figures(xiaolan, lang)
    allowed = index(handed_out | _data_words(xiaolan))
    stray = set()
    for name, figure in figures.items():
        figure.draw_without_rendering()  # tick labels are made when drawn
        for artist in figure.findobj(Text):
            rest = unexplained(artist.get_text(), allowed)
            if LETTER.search(rest):
                stray.add((name, artist.get_text()))
    assert len(figures) == 14
    assert sorted(stray) == [], "\n".join(map(str, sorted(stray)))


def _net_line(figure):
    return next(line for line in figure.axes[0].lines if line.get_linewidth() == 2.2)


def test_chinese_charts_count_tonnes_in_wan(xiaolan):
    """万吨 in Chinese; Mt in English and in both languages (one axis, one scale) for a
    site of millions of tonnes, the cost curve in the pathway's unit."""
    net = xiaolan.pathway.by_year["net"].iloc[0]
    wedges = {lang: wedge_chart(xiaolan.pathway, xiaolan.catalog, xiaolan.targets, lang)
              for lang in LANGS}
    assert wedges["zh"].axes[0].get_ylabel() == "排放量（万吨CO2e/年）"
    assert _net_line(wedges["zh"]).get_ydata()[0] == pytest.approx(net / 1e4)
    assert 200 < net / 1e4 < 230  # Xiaolan's 2010: about 216 万吨
    assert wedges["zh"].axes[0].yaxis.get_major_formatter()(3000.0, 0) == "3,000"  # a city
    assert wedges["both"].axes[0].get_ylabel() == "排放量（百万吨CO2e/年） Mt CO2e per year"
    for lang in ("en", "both"):
        assert _net_line(wedges[lang]).get_ydata()[0] == pytest.approx(net / 1e6)
    total = xiaolan.economics.query("abatement_t_per_yr > 0")["abatement_t_per_yr"].sum()
    largest = xiaolan.pathway.by_year["bau"].max()
    curves = {lang: cost_curve_chart(xiaolan.economics, 2050, lang, largest=largest).axes[0]
              for lang in LANGS}
    assert curves["zh"].get_xlabel() == "2050年减排量（考虑交互，万吨CO2e/年）"
    assert curves["zh"].xaxis.get_major_formatter()(1400.0, 0) == "1,400"
    assert curves["en"].get_xlabel() == "abatement in 2050 after interactions (Mt CO2e per year)"
    assert "百万吨CO2e/年）" in curves["both"].get_xlabel()
    for lang, scale in (("zh", 1e4), ("en", 1e6), ("both", 1e6)):
        widths = sum(p.get_width() for p in curves[lang].patches if
                     (p.get_gid() or "").startswith("mac:"))
        assert widths == pytest.approx(total / scale)


def test_one_measure_is_singular_in_english():
    """'(1 measure)', not '(1 measures)': an entry's `en_one` serves a count of one."""
    from roadmap.rendering.messages import text
    words = dict(phase="Near term", start=2010, end=2025)
    assert text("plan_phase", "en", count=1, **words).endswith("(1 measure)")
    assert text("plan_phase", "en", count=2, **words).endswith("(2 measures)")
    assert text("plan_phase", "zh", count=1, **words).endswith("（1项措施）")


def test_the_domains_chinese_names_are_the_catalogues():
    """inputs/vocabulary.py keeps the domains' Chinese names for what may not read the
    message catalogue (profile hints: 园区 -> park; `catalog list`): they must agree."""
    from roadmap.inputs.vocabulary import DOMAIN_NAMES_ZH
    names = {domain: entry["zh"] for domain, entry in messages.catalogue()["domain"].items()}
    assert names == DOMAIN_NAMES_ZH


def _parameters(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name is not None}


def test_every_error_message_says_the_same_things_in_zh_and_en():
    """messages.yaml `error`: each message in both languages, naming the same parameters
    (a file, a value, a number), so that no language drops or invents one."""
    for key, entry in messages.catalogue()["error"].items():
        assert entry["zh"].strip() and entry["en"].strip(), key
        assert set(entry) <= {"zh", "en", "en_one"}, key
        words = re.sub(r"\{\w+\}", "", entry["zh"])  # Chinese, or no words at all ("：")
        assert CJK.search(words) or not LETTER.search(words), key
        for other in set(entry) - {"zh"}:
            assert _parameters(entry[other]) == _parameters(entry["zh"]), (key, other)


def test_an_error_message_with_a_parameter_missing_is_caught():
    assert _parameters("{file}：未知的字段 '{name}'") != _parameters("{file}: unknown field")
