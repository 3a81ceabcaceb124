"""Gantt charts of technology roadmaps, drawn like the study's figures 2-1 to 7-7.

One row per measure, grouped under header bands; a lighter block from the expected
application year to the popularisation year, a darker block from there to 2050; block
thickness by the study's ★ (catalog charts) or by the site ranking (site roadmaps).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from matplotlib import rc_context
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerPatch
from matplotlib.patches import FancyArrowPatch, Rectangle

from ..decisions.roadmap import HORIZON, Roadmap, phases
from ..errors import InputError, Message
from ..inputs.catalog import Catalog, application_year, popularization_year
from .fonts import chart_rc
from .messages import chart_text, chart_title, term
from .style import category_colour, check_lang, label

START = 2020
PERIODS = ((2020, 2025, "near"), (2025, 2035, "mid"), (2035, 2050, "long"))
LIGHT_ALPHA = 0.35
ARROW_COLOUR = "#333333"
ARROW_STYLE = {"prerequisite": "-", "synergy": "--"}  # a dependency's kind -> line style
MIN_THICKNESS, MAX_THICKNESS = 0.16, 0.8  # share of a row's height

# The town chart in the study's five parts (figures 7-3 to 7-7) by category; the parts'
# names are messages.yaml's `town_part`.
TOWN_PARTS = {
    "planning": (("规划管理",), "7-3"),
    "energy-industry": (("能源", "工业"), "7-4"),
    "transport": (("交通",), "7-5"),
    "building": (("建筑",), "7-6"),
    "agriculture-forestry": (("农林业",), "7-7"),
}
FIGURE_OF = {"building": "2-1", "transport": "3-1", "enterprise": "4-1", "park": "5-2",
             "community": "6-1"}

# Columns of the rows a Gantt chart draws, in drawing order within each group.
ROW_COLUMNS = ["id", "group_zh", "group_en", "name_zh", "name_en", "start_year",
               "popularization_year", "thickness", "marker"]


@dataclass(frozen=True)
class ChartText:
    """The title and the legend's words for the thinnest and thickest blocks: keys of
    messages.yaml's `chart` section, and the title's parameters."""

    title_key: str
    thin: str
    thick: str
    params: tuple[tuple[str, object], ...] = ()

    def title(self, lang: str) -> str:
        return chart_title(self.title_key, lang, **dict(self.params))


def _group(category: str, subcategory: str | None) -> str:
    return f"{category} · {subcategory}" if subcategory else category


def catalog_rows(catalog: Catalog, domain: str, categories: tuple[str, ...] | None = None,
                 ) -> pd.DataFrame:
    """Every measure of a domain (optionally some categories), in the study's order."""
    rows = [{
        "id": t.id,
        "group_zh": _group(t.category, t.subcategory),
        "group_en": _group(t.category_en or t.category, t.subcategory_en or t.subcategory),
        "name_zh": t.name_zh, "name_en": t.name_en,
        "start_year": application_year(t), "popularization_year": popularization_year(t),
        "thickness": thickness_of_grade(t.recommendation), "marker": "",
    } for t in catalog if t.domain == domain and (categories is None or t.category in categories)]
    if not rows:
        raise InputError("chart", "no_measures_for_domain", domain=domain,
                         allowed=Message("a_domain_with_entries"))
    return pd.DataFrame(rows, columns=ROW_COLUMNS)


def thickness_of_grade(grade: float) -> float:
    """★1..★5 -> block height as a share of the row."""
    return MIN_THICKNESS + (MAX_THICKNESS - MIN_THICKNESS) * (grade - 1) / 4


def roadmap_rows(roadmap: Roadmap) -> pd.DataFrame:
    """A site roadmap's measures grouped by category; thickness by rank, the first ranked
    thickest: the same for every method (SPOTIS's and VIKOR's lowest scores rank first)."""
    frame = roadmap.frame
    scores = frame["score"].astype(float)
    ranks = frame["rank"].where(scores.notna()).astype(float)
    best, last = ranks.min(), ranks.max()
    span = (last - best) or 1.0

    def thickness(rank: float) -> float:
        if pd.isna(rank):  # a prerequisite pulled in has no score of its own
            return MIN_THICKNESS
        return MAX_THICKNESS - (MAX_THICKNESS - MIN_THICKNESS) * (rank - best) / span

    rows = pd.DataFrame({
        "id": frame["id"], "group_zh": frame["category"],
        "group_en": frame["category_en"].fillna(frame["category"]),
        "name_zh": frame["name_zh"], "name_en": frame["name_en"],
        "start_year": frame["start_year"], "popularization_year": frame["popularization_year"],
        "thickness": [thickness(r) for r in ranks],
        "marker": ["*" if r.startswith("prerequisite") else "" for r in frame["reason"]],
    })
    order = {g: i for i, g in enumerate(dict.fromkeys(rows["group_zh"]))}
    return rows.sort_values("group_zh", key=lambda g: g.map(order), kind="stable")


class _ThicknessHandler(HandlerPatch):
    """Legend key whose height shows a block thickness."""

    def __init__(self, share: float) -> None:
        super().__init__()
        self.share = share

    def create_artists(self, legend, orig_handle, xdescent, ydescent, width, height, fontsize,
                       trans):
        box_height = height * 1.6 * self.share
        rect = Rectangle((-xdescent, -ydescent + (height - box_height) / 2), width, box_height,
                         facecolor="#555555", transform=trans)
        return [rect]


class _ArrowHandler(HandlerPatch):
    """Legend key of an arrow style: an arrow in its line style (a plain line would read
    as the thinnest block)."""

    def create_artists(self, legend, orig_handle, xdescent, ydescent, width, height, fontsize,
                       trans):
        middle = height / 2 - ydescent
        return [FancyArrowPatch((-xdescent, middle), (width - xdescent, middle),
                                arrowstyle="-|>", mutation_scale=9, color=ARROW_COLOUR,
                                linewidth=0.9, linestyle=orig_handle.get_linestyle(),
                                transform=trans)]


def gantt_chart(rows: pd.DataFrame, text: ChartText, lang: str = "both",
                arrows: list[tuple[str, str, str]] | None = None,
                window: tuple[int, int] = (START, HORIZON),
                periods: list[tuple[str, int, int]] | None = None) -> Figure:
    """Draw the rows (columns `ROW_COLUMNS`) as a roadmap Gantt chart over the `window`
    years (a site's base to target year; the study's 2020-2050 for a domain).

    Every block is a Rectangle with gid `<id>:application` or `<id>:popularization`, so
    tests and report tools can find them. `arrows`: (before id, after id, kind) drawn
    from the first block of one measure to the next (synergies dashed). `periods`: (phase,
    start, end) as the site's tables name them (`decisions.roadmap.phases`); by default
    the study's, cut to the window.
    """
    check_lang(lang)
    with rc_context(chart_rc()):
        lines = _layout(rows)
        line_height = 0.42 if lang == "both" else 0.3
        fig = Figure(figsize=(11, 1.9 + line_height * len(lines)))
        ax = fig.subplots()
        colours = colours_of(rows)
        y_of = {}
        for y, (kind, row) in enumerate(lines):
            if kind == "group":
                _draw_group(ax, y, row, lang)
            else:
                y_of[row["id"]] = y
                _draw_row(ax, y, row, colours[row["group_zh"]], lang, window[1])
        _draw_periods(ax, lang, periods or _study_periods(window), window[0])
        drawn = [(before, after, kind) for before, after, kind in arrows or []
                 if before in y_of and after in y_of]
        for before, after, kind in drawn:
            _draw_arrow(ax, rows.set_index("id"), y_of, before, after, kind)
        ax.set_xlim(*window)
        ax.set_ylim(len(lines) - 0.5, -1.6)
        ax.set_yticks([])
        step = 5 if window[1] - window[0] > 12 else 1
        ax.set_xticks(range(window[0] + (-window[0]) % step, window[1] + 1, step))
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.set_title(text.title(lang), fontsize=13, pad=12)
        _legend(ax, text, lang, marked=rows["marker"].astype(bool).any(),
                kinds=[kind for kind in ARROW_STYLE if kind in {k for *_, k in drawn}])
    return fig


def colours_of(rows: pd.DataFrame) -> dict[str, str]:
    """A colour per group: its category's fixed colour (`style.category_colour`)."""
    return {g: category_colour(g) for g in dict.fromkeys(rows["group_zh"])}


def _layout(rows: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """Header line for each group, then its rows, groups in order of first appearance."""
    lines: list[tuple[str, pd.Series]] = []
    for _, group in rows.groupby("group_zh", sort=False):
        lines.append(("group", group.iloc[0]))
        lines.extend(("row", row) for _, row in group.iterrows())
    return lines


def _draw_group(ax, y: int, row: pd.Series, lang: str) -> None:
    # above the period lines, so that they never cross a group's name
    ax.axhspan(y - 0.5, y + 0.5, color="#ececec", zorder=1.5)
    # on a band of its own above the arrows, which pass under the name
    ax.text(0.005, y, label(row["group_zh"], row["group_en"], lang), va="center",
            ha="left", fontsize=9.5, color="#111111", zorder=4, transform=ax.get_yaxis_transform(),
            bbox={"facecolor": "#ececec", "edgecolor": "none", "pad": 1})


def _draw_row(ax, y: int, row: pd.Series, colour: str, lang: str, end: int) -> None:
    start, popular, height = row["start_year"], row["popularization_year"], row["thickness"]
    if popular > start:
        ax.add_patch(Rectangle((start, y - height / 2), popular - start, height,
                               facecolor=to_rgba(colour, LIGHT_ALPHA), edgecolor=colour,
                               linewidth=0.6, gid=f"{row['id']}:application", zorder=2))
    ax.add_patch(Rectangle((popular, y - height / 2), end - popular, height,
                           facecolor=colour, edgecolor=colour, linewidth=0.6,
                           gid=f"{row['id']}:popularization", zorder=2))
    transform = ax.get_yaxis_transform()
    marker = row["marker"]
    if lang == "both":
        ax.text(-0.01, y - 0.17, row["name_zh"] + marker, transform=transform, ha="right",
                va="center", fontsize=9)
        ax.text(-0.01, y + 0.22, row["name_en"], transform=transform, ha="right",
                va="center", fontsize=7, color="#555555")
    else:
        ax.text(-0.01, y, label(row["name_zh"], row["name_en"], lang) + marker,
                transform=transform, ha="right", va="center", fontsize=9)


def _study_periods(window: tuple[int, int]) -> list[tuple[str, int, int]]:
    """The study's periods cut to the window (a period outside it is left out); the first
    runs from the window's start, the last to its end."""
    cut = []
    for first, last, phase in PERIODS:
        start = window[0] if first == PERIODS[0][0] else max(first, window[0])
        end = window[1] if last == PERIODS[-1][1] else min(last, window[1])
        if end > start:
            cut.append((phase, start, end))
    return cut


def _draw_periods(ax, lang: str, periods: list[tuple[str, int, int]], left: int) -> None:
    """Each period's years and name above the plot, a dashed line where one starts (not at
    the plot's `left` edge)."""
    for phase, start, end in periods:
        if start > left:
            ax.axvline(start, color="#888888", linewidth=0.8, linestyle="--", zorder=1)
        ax.text((start + end) / 2, -1.0, f"{start}-{end}\n{term('phase', phase, lang)}",
                ha="center", va="center", fontsize=8.5, color="#333333")


def _draw_arrow(ax, rows: pd.DataFrame, y_of: dict[str, int], before: str, after: str,
                kind: str) -> None:
    """An arc from one measure's first block to the other's, bulging to the right (later
    years) whichever way it runs: it stays on the plot, never over the names' column."""
    start = (rows.loc[before, "start_year"] + 0.4, y_of[before])
    end = (rows.loc[after, "start_year"] + 0.4, y_of[after])
    bend = -0.25 if end[1] > start[1] else 0.25  # rows run down the inverted y axis
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=9,
                                 connectionstyle=f"arc3,rad={bend}", color=ARROW_COLOUR,
                                 linewidth=0.9, linestyle=ARROW_STYLE[kind],
                                 zorder=3, gid=f"arrow:{before}->{after}"))


def _legend(ax, text: ChartText, lang: str, marked: bool, kinds: list[str]) -> None:
    """What the chart draws and nothing else: the two blocks, the thinnest and thickest
    (the lowest saying what a * after a name means, when one has it), each arrow style."""
    grey = "#555555"
    handles = [Rectangle((0, 0), 1, 1, facecolor=to_rgba(grey, LIGHT_ALPHA), edgecolor=grey),
               Rectangle((0, 0), 1, 1, facecolor=grey)]
    labels = [chart_text("application", lang), chart_text("popularisation", lang)]
    handler_map = {}
    thin = f"{text.thin}_marked" if marked else text.thin
    for share, words in ((MIN_THICKNESS, thin), (MAX_THICKNESS, text.thick)):
        handle = Rectangle((0, 0), 1, 1)
        handles.append(handle)
        handler_map[handle] = _ThicknessHandler(share)
        labels.append(chart_text(words, lang))
    for kind in kinds:
        handle = FancyArrowPatch((0, 0), (1, 0), linestyle=ARROW_STYLE[kind],
                                 gid=f"legend:{kind}")
        handles.append(handle)
        handler_map[handle] = _ArrowHandler()
        labels.append(chart_text(f"arrow_{kind}", lang))
    ax.legend(handles, labels, handler_map=handler_map, loc="upper center",
              bbox_to_anchor=(0.5, 0), borderaxespad=2.2, ncol=4 if len(handles) <= 4 else 3,
              frameon=False, fontsize=8.5)


def domain_rows(catalog: Catalog, domain: str, part: str | None = None,
                ) -> tuple[pd.DataFrame, ChartText]:
    """The rows and words of a domain's roadmap (town: one of `TOWN_PARTS`, or whole)."""
    title, categories = "domain_title", None
    params = {"domain_zh": term("domain", domain, "zh"),
              "domain_en": term("domain", domain, "en").capitalize(),
              "figure": FIGURE_OF.get(domain, "7-3..7-7")}
    if part is not None:
        if domain != "town" or part not in TOWN_PARTS:
            raise InputError("--part", "unknown_part", part=part, domain=domain,
                             allowed=Message("for_town", parts=", ".join(TOWN_PARTS)))
        title, (categories, params["figure"]) = "domain_part_title", TOWN_PARTS[part]
        params |= {"part_zh": term("town_part", part, "zh"),
                   "part_en": term("town_part", part, "en")}
    text = ChartText(title, "least_recommended", "most_recommended", tuple(params.items()))
    return catalog_rows(catalog, domain, categories), text


def domain_chart(catalog: Catalog, domain: str, part: str | None = None,
                 lang: str = "both") -> Figure:
    """The study's roadmap figure for a domain (town: one of `TOWN_PARTS`, or whole).

    >>> figure = roadmap.domain_chart(catalog, "park", lang="zh")
    >>> len(figure.axes)
    1
    """
    return gantt_chart(*domain_rows(catalog, domain, part), lang)


def site_rows(roadmap: Roadmap, arrows: bool = False,
              ) -> tuple[pd.DataFrame, ChartText, list[tuple[str, str, str]] | None]:
    """The rows, words and (optionally) dependency arrows of a site's roadmap chart."""
    edges = sorted(roadmap.graph.edges(data="kind")) if arrows else None
    text = ChartText("site_roadmap_title", "ranked_last", "ranked_first",
                     (("site", roadmap.site.name),))
    return roadmap_rows(roadmap), text, edges


def roadmap_chart(roadmap: Roadmap, lang: str = "both", arrows: bool = False) -> Figure:
    """A site's roadmap: its selected measures, thickness by rank.

    >>> ranking = roadmap.rank(roadmap.decision_matrix(catalog, site), site.method)
    >>> plan = roadmap.build_roadmap(ranking, catalog, roadmap.load_dependencies(catalog), site)
    >>> figure = roadmap.roadmap_chart(plan, lang="en", arrows=True)
    >>> len(figure.axes)
    1
    """
    rows, text, edges = site_rows(roadmap, arrows)
    site = roadmap.site
    return gantt_chart(rows, text, lang, edges, (site.base_year, site.target_year),
                       phases(site))
