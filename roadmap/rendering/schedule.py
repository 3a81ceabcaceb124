"""The implementation plan's two charts: the quarter-by-quarter schedule (like seed 000's
table 5-3, drawn as the Gantt charts are) and the challenge -> action -> indicator map
(like its figure 4-1: three columns joined by arrows, from the plan's networkx graph).

Every bar is a Rectangle with gid `<row id>:quarters`; every map node a Text with gid
`node:<layer>:<id>` and every arrow an Annotation with gid `edge:<from>-><to>`."""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib import rc_context
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from ..decisions.implementation import ImplementationPlan
from ..inputs.implementation import PLAN_CATEGORIES
from .fonts import chart_rc
from .gantt import LIGHT_ALPHA
from .messages import plan_text, term
from .style import category_colour, check_lang, label

LAYERS = ("challenge", "action", "indicator")
LAYER_COLOURS = {"challenge": "#CC6677", "action": "#332288", "indicator": "#117733"}
BAR_HEIGHT = 0.56


def plan_colour(category: str) -> str:
    """A plan category's colour: its town catalog category's (style.CATEGORY_COLOURS)."""
    return category_colour(PLAN_CATEGORIES[category])


def schedule_lines(schedule: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """The chart's lines: an action with parts has a header line, then its parts."""
    lines: list[tuple[str, pd.Series]] = []
    for _, rows in schedule.groupby("action", sort=False):
        if len(rows) > 1 or rows.iloc[0]["id"] != rows.iloc[0]["action"]:
            lines.append(("group", rows.iloc[0]))
        lines.extend(("row", row) for _, row in rows.iterrows())
    return lines


def bar_key(row: pd.Series, categories: dict[str, tuple[str, str]], lang: str,
            ) -> tuple[str, str]:
    """A schedule row's colour and its legend words: a row carrying out one measure of
    `categories` (catalog category zh, en by id) takes that category's, as in the roadmap
    chart (Nan'ao's shore power is 港口交通 in both); any other its plan category's."""
    measures = [m for m in row["measures"].split(";") if m]
    if len(measures) == 1 and measures[0] in categories:
        zh, en = categories[measures[0]]
        return category_colour(zh), label(zh, en or zh, lang)
    return plan_colour(row["category"]), term("plan_category", row["category"], lang)


def schedule_chart(plan: ImplementationPlan, site_name: str, lang: str = "both",
                   categories: dict[str, tuple[str, str]] | None = None) -> Figure:
    """One bar per schedule row over the plan's quarters, coloured by category (`bar_key`:
    a single measure's catalog category, given `categories`); a bar whose quarters are
    defaults is pale.

    >>> ranking = roadmap.rank(roadmap.decision_matrix(catalog, site), site.method)
    >>> road = roadmap.build_roadmap(ranking, catalog, roadmap.load_dependencies(catalog), site)
    >>> plan = roadmap.implementation_plan(site, road, catalog=catalog)
    >>> len(roadmap.schedule_chart(plan, site.name, lang="en").axes)
    1
    """
    check_lang(lang)
    lines = schedule_lines(plan.schedule)
    keys = {row["id"]: bar_key(row, categories or {}, lang)
            for _, row in plan.schedule.iterrows()}
    with rc_context(chart_rc()):
        figure = Figure(figsize=(11, 1.9 + (0.42 if lang == "both" else 0.32) * len(lines)))
        ax = figure.subplots()
        for y, (kind, row) in enumerate(lines):
            if kind == "group":
                ax.axhspan(y - 0.5, y + 0.5, color="#ececec", zorder=0.5)
                _row_label(ax, y, row["action_zh"], row["action_en"], lang)
                continue
            _row_label(ax, y, row["name_zh"], row["name_en"], lang,
                       indent=row["id"] != row["action"])
            colour = keys[row["id"]][0]
            default = "start" in row["defaults"].split(";")
            ax.add_patch(Rectangle(
                (row["start_index"], y - BAR_HEIGHT / 2),
                row["end_index"] - row["start_index"] + 1, BAR_HEIGHT,
                facecolor=to_rgba(colour, LIGHT_ALPHA) if default else colour,
                edgecolor=colour, linewidth=0.6, gid=f"{row['id']}:quarters", zorder=2))
        _quarter_axis(ax, plan.quarters, lang)
        ax.set_ylim(max(len(lines), 1) - 0.5, -0.5)  # an empty first phase: one blank line
        ax.set_yticks([])
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.set_title(plan_text("schedule_title", lang, site=site_name), fontsize=13, pad=12)
        _schedule_legend(ax, plan, keys, lang)
    return figure


def _row_label(ax, y: int, zh: str, en: str, lang: str, indent: bool = False) -> None:
    """A row's name left of the axis; a part's name marked as one of its action's."""
    if indent:
        zh, en = "· " + zh, "· " + en
    transform = ax.get_yaxis_transform()
    if lang == "both":
        ax.text(-0.01, y - 0.17, zh, transform=transform, ha="right", va="center",
                fontsize=9)
        ax.text(-0.01, y + 0.22, en, transform=transform, ha="right", va="center",
                fontsize=7, color="#555555")
    else:
        ax.text(-0.01, y, label(zh, en, lang), transform=transform, ha="right",
                va="center", fontsize=9)


def _quarter_axis(ax, quarters: tuple[str, ...], lang: str) -> None:
    """A tick per quarter (its months in Chinese, Q1-Q4 in English), the year below the
    first quarter of each year, a line between years."""
    ax.set_xlim(0, len(quarters))
    ax.set_xticks([i + 0.5 for i in range(len(quarters))])
    ticks = []
    for i, quarter in enumerate(quarters):
        year, number = quarter.split("Q")
        months = f"{3 * int(number) - 2}-{3 * int(number)}"
        tick = plan_text("quarter_tick", lang, months=months, q=number)
        if number == "1" or i == 0:
            # a year needs one language: 2014年 reads in both
            tick += "\n" + plan_text("year_tick", "zh" if lang == "both" else lang, year=year)
            if i:
                ax.axvline(i, color="#888888", linewidth=0.8, linestyle="--", zorder=1)
        ticks.append(tick)
    ax.set_xticklabels(ticks, fontsize=8.5)
    ax.tick_params(axis="x", length=0)
    ax.grid(axis="x", color="#e4e4e4", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)


def _schedule_legend(ax, plan: ImplementationPlan, keys: dict[str, tuple[str, str]],
                     lang: str) -> None:
    shown = {words: colour for colour, words in keys.values()}  # each category once
    handles = [Patch(facecolor=colour, edgecolor=colour) for colour in shown.values()]
    labels = list(shown)
    if any("start" in d.split(";") for d in plan.schedule["defaults"]):
        handles.append(Patch(facecolor=to_rgba("#555555", LIGHT_ALPHA), edgecolor="#555555"))
        labels.append(plan_text("default_quarters", lang))
    if labels:  # an empty first phase has none
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0),
                  borderaxespad=3.2, ncol=min(len(labels), 7), frameon=False, fontsize=8.5)


# ----------------------------------------------------------------- the map (figure 4-1)

def map_chart(plan: ImplementationPlan, site_name: str, lang: str = "both") -> Figure:
    """Challenges left, actions in the middle, indicators right (each column in the
    profile's order, equally spaced), an arrow from box side to box side for each edge.

    >>> ranking = roadmap.rank(roadmap.decision_matrix(catalog, site), site.method)
    >>> road = roadmap.build_roadmap(ranking, catalog, roadmap.load_dependencies(catalog), site)
    >>> plan = roadmap.implementation_plan(site, road, catalog=catalog)
    >>> len(roadmap.map_chart(plan, site.name, lang="zh").axes)
    1
    """
    check_lang(lang)
    graph = plan.graph
    columns = {layer: [n for n, d in graph.nodes(data=True) if d["layer"] == layer]
               for layer in LAYERS}
    tallest = max(len(nodes) for nodes in columns.values())
    with rc_context(chart_rc()):
        figure = Figure(figsize=(13, 1.4 + (0.8 if lang == "both" else 0.56) * tallest))
        ax = figure.subplots()
        boxes = {}
        for x, layer in enumerate(LAYERS):
            nodes = columns[layer]
            ax.text(x, -1.2, plan_text(f"map_{layer}s", lang), ha="center", va="center",
                    fontsize=11, color=LAYER_COLOURS[layer])
            for index, node in enumerate(nodes):
                y = index + (tallest - len(nodes)) / 2
                boxes[node] = _node(ax, (x, y), node, graph.nodes[node], lang)
        for source, target in graph.edges():
            ax.annotate("", xy=(0, 0.5), xycoords=boxes[target], xytext=(1, 0.5),
                        textcoords=boxes[source], gid=f"edge:{source}->{target}",
                        arrowprops={"arrowstyle": "-|>", "color": "#8a8a8a",
                                    "linewidth": 0.7, "mutation_scale": 8,
                                    "shrinkA": 4, "shrinkB": 4}, zorder=1)
        ax.set_xlim(-0.5, 2.5)
        ax.set_ylim(tallest - 0.4, -1.7)
        ax.axis("off")
        ax.set_title(plan_text("map_title", lang, site=site_name), fontsize=13, pad=8)
    return figure


def _node(ax, xy: tuple[float, float], node: str, data: dict, lang: str):
    """A node as a boxed, wrapped label (the Text artist, which arrows attach to)."""
    words = label(data["name_zh"], data["name_en"], lang)
    return ax.text(*xy, _wrapped(words, lang), ha="center", va="center", fontsize=8,
                   zorder=3, gid=f"node:{node}", linespacing=1.15,
                   bbox={"boxstyle": "round,pad=0.35", "facecolor": "white",
                         "edgecolor": LAYER_COLOURS[data["layer"]], "linewidth": 0.9})


def _wrapped(words: str, lang: str) -> str:
    """At most about 18 CJK characters or 34 Latin ones a line, so boxes fit their column."""
    if lang == "en":
        return textwrap.fill(words, 34)
    lines, line, width = [], "", 0.0
    for char in words:
        wide = 1.0 if ord(char) > 0x2E80 else 0.55
        if width + wide > 18 and (wide == 1.0 or char == " "):
            lines.append(line.strip())
            line, width = "", 0.0
        line += char
        width += wide
    return "\n".join([*lines, line.strip()])
