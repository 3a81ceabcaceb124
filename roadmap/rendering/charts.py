"""Pathway, contribution, cost-curve and sensitivity charts, in the Gantt charts' style."""

from __future__ import annotations

import textwrap
from typing import NamedTuple

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ..decisions.acceptability import Acceptability
from ..decisions.sensitivity import Sensitivity
from ..inputs.catalog import Catalog
from ..inputs.vocabulary import FUNCTIONS, SECTORS
from ..model.pathway import GREEN_POWER_CATEGORY, SINK, Pathway, TargetCheck
from .fonts import chart_rc
from .messages import chart_text, chart_title, term
from .numbers import site_tonnes
from .style import FUNCTION_COLOURS, category_colour, check_lang, group_colour, label

NET_COLOUR, BAU_COLOUR, TARGET_COLOUR = "#222222", "#666666", "#D55E00"


def _category_labels(catalog: Catalog, lang: str) -> dict[str, str]:
    """Chinese category and subcategory names -> labels in `lang`."""
    names = {}
    for tech in catalog:
        names[tech.category] = label(tech.category, tech.category_en or tech.category, lang)
        if tech.subcategory:
            names.setdefault(tech.subcategory, label(
                tech.subcategory, tech.subcategory_en or tech.subcategory, lang))
    return names


def _new_figure(width: float, height: float) -> tuple[Figure, object]:
    figure = Figure(figsize=(width, height))
    return figure, figure.subplots()


def _finish(ax, title: str) -> None:
    ax.set_title(title, fontsize=12.5, pad=10)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def wedge_chart(pathway: Pathway, catalog: Catalog, checks: list[TargetCheck],
                lang: str = "both", band: pd.DataFrame | None = None) -> Figure:
    """Business as usual, abatement wedges by function, net emissions, targets (Mt CO2e,
    万吨 in Chinese); with `band` (Monte Carlo `by_year`), the P10-P90 range of net
    emissions."""
    check_lang(lang)
    with rc_context(chart_rc()):
        figure, ax = _new_figure(10, 5.6)
        frame = pathway.frame
        wedges = frame[frame["sector"] != SINK].pivot_table(
            index="year", columns="function", values="abatement", aggfunc="sum", fill_value=0)
        by_year = pathway.by_year.set_index("year")
        years = by_year.index.to_numpy()
        names = _group_labels(catalog, lang)
        order = [f for f in FUNCTIONS if f in wedges.columns]
        scale, unit_zh, unit_en, _ = site_tonnes(by_year["bau"].max(), lang)
        gross = (by_year["bau"] - by_year["abatement"]) / scale
        ax.fill_between(years, 0, gross, color="#d9d9d9", linewidth=0,
                        label=chart_text("remaining", lang))
        lower = gross.to_numpy()
        for function in order:  # wedges stacked on the remaining emissions, fixed order
            upper = lower + wedges[function].reindex(years, fill_value=0).to_numpy() / scale
            ax.fill_between(years, lower, upper,
                            color=group_colour(function),
                            linewidth=0, label=names.get(function, function))
            lower = upper
        if by_year["sink"].any():
            ax.fill_between(years, 0, -by_year["sink"] / scale, color=FUNCTION_COLOURS["sink"],
                            alpha=0.5,
                            label=term("function", "sink", lang))
        ax.plot(years, by_year["bau"] / scale, color=BAU_COLOUR, linestyle="--", linewidth=1.6,
                label=term("scenario", "bau", lang))
        ax.plot(years, by_year["net"] / scale, color=NET_COLOUR, linewidth=2.2,
                label=chart_text("net", lang))
        if band is not None:  # two thin lines: a fill would hide the wedges under it
            for column, name in (("net_p90", chart_text("net_band", lang)), ("net_p10", None)):
                ax.plot(band["year"], band[column] / scale, color=NET_COLOUR, linewidth=1.0,
                        linestyle=(0, (2, 2)), gid=f"band:{column}", label=name)
        _target_markers(ax, checks, lang, scale)
        ax.set_xlim(years[0], years[-1])
        ax.set_ylabel(chart_text("emissions_axis", lang, unit_zh=unit_zh, unit_en=unit_en))
        _separate_thousands(ax.yaxis, lang)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8.5)
        _finish(ax, chart_title("pathway_title", lang, site=pathway.site.name))
    return figure


def _separate_thousands(axis, lang: str) -> None:
    """A city's 万吨 and a small site's tonnes run into thousands: 1,400 as the report
    writes it (Mt stay below a thousand)."""
    axis.set_major_formatter("{x:,g}")


def _target_markers(ax, checks: list[TargetCheck], lang: str, scale: float) -> None:
    for check in checks:
        if check.kind == "absolute":
            ax.plot([check.year], [check.required / scale], marker="D", markersize=8,
                    color=TARGET_COLOUR, linestyle="none", zorder=5, clip_on=False,
                    label=chart_text("target", lang, year=check.year))
        elif check.kind == "near-zero":
            ax.axhline(check.required / scale, color=TARGET_COLOUR, linestyle=":", linewidth=1.2,
                       label=chart_text("near_zero", lang))


def _group_labels(catalog: Catalog, lang: str) -> dict[str, str]:
    """Labels of every group a contribution table may use: categories, functions, sectors."""
    names = _category_labels(catalog, lang)
    for kind, keys in (("function", FUNCTIONS), ("sector", (*SECTORS, SINK))):
        names.update({key: term(kind, key, lang) for key in keys})
    names[GREEN_POWER_CATEGORY] = chart_text("green_power", lang)
    return names


def contribution_chart(table: pd.DataFrame, catalog: Catalog, lang: str = "both") -> Figure:
    """100 % stacked bars, one per year: each group's share of that year's abatement.

    `table` is `pathway.contributions(...)` (year, group, abatement, share)."""
    check_lang(lang)
    with rc_context(chart_rc()):
        years = list(dict.fromkeys(table["year"]))
        figure, ax = _new_figure(10, 1.6 + 0.9 * len(years))
        names = _group_labels(catalog, lang)
        groups = list(table.groupby("group")["abatement"].sum().sort_values(
            ascending=False).index)
        for row, year in enumerate(years):
            left = 0.0
            shares = table[table["year"] == year].set_index("group")["share"]
            for group in groups:
                share = float(shares.get(group, 0.0))
                ax.barh(row, share, left=left, color=group_colour(group),
                        edgecolor="white", height=0.6,
                        label=names.get(group, group) if row == 0 else None,
                        gid=f"share:{year}:{group}")
                if share >= 0.06:
                    ax.text(left + share / 2, row, f"{share:.0%}", ha="center", va="center",
                            fontsize=8.5, color="white")
                left += share
        ax.set_yticks(range(len(years)), [str(y) for y in years])
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
        if groups:
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=4,
                      frameon=False, fontsize=8.5)
        else:  # the measures start too late, or none acts on what the site emits
            ax.text(0.5, 0.5, chart_text("no_abatement", lang), transform=ax.transAxes,
                    ha="center", va="center", color="0.4")
        _finish(ax, chart_title("contributions_title", lang))
    return figure


def _category_labels_from(economics: pd.DataFrame, lang: str) -> dict[str, str]:
    return dict(zip(economics["category"], [label(z, e, lang) for z, e in zip(
        economics["category"], economics["category_en"], strict=True)], strict=True))


def _key_entry(number: int, name_zh: str, name_en: str, cost: float, lang: str) -> str:
    """A cost-curve key line: in both languages the Chinese name on the first line and the
    English wrapped below it (textwrap counts a Chinese character as one column, though it
    takes two, so a mixed line would be wrapped too late and run off the figure)."""
    head = f"{number}. {label(name_zh, name_en, 'zh' if lang == 'both' else lang)}" \
        f" ({cost:,.0f})"
    if lang != "both":
        return textwrap.fill(head, 58 if lang == "en" else 30, subsequent_indent="    ")
    return head + "\n" + textwrap.fill(name_en, 58, initial_indent="    ",
                                        subsequent_indent="    ")


# A cost-curve bar narrower than this share of the abatement is too narrow for its number.
NARROW_BAR = 0.025
# A cost this many times the next highest is cut at the axis' top (its number marked ↑, its
# cost in the key), so that the other bars keep a readable height: the hub's fuel-cell buses
# at 41,339 yuan/t beside 3,468 left every other bar a tenth of the plot.
OUTLIER = 4.0


class Bar(NamedTuple):
    """A cost-curve bar as its number's placement needs it: the tip is the cost, or the
    end of its P10-P90 line past it; `cut`: past the axis' top (`OUTLIER`)."""

    number: int
    left: float
    width: float
    tip: float
    cut: bool = False


def _tip(cost: float, spread: pd.Series | None) -> float:
    """How far a bar reaches: its cost, or its P10-P90 line's end past it."""
    if spread is None:
        return cost
    low, high = spread
    return max(cost, high) if cost >= 0 else min(cost, low)


def _ceiling(tips: list[float]) -> float:
    """The highest cost the axis shows: the highest tip, unless it is `OUTLIER` times the
    next highest above zero (then that one's tip, with headroom: the outlier is cut)."""
    above = sorted(t for t in tips if t > 0)
    if len(above) >= 2 and above[-1] > OUTLIER * above[-2]:
        return 1.5 * above[-2]
    return np.inf


def _number_bars(ax, bars: list[Bar], narrow: float) -> None:
    """Each bar's number past its tip (above a cost, below a saving). Neighbouring bars too
    narrow for a number, on the same side of the axis, share one ("1–6", the key names each),
    past the run's furthest tip. A number that would touch the one before it, as drawn,
    steps away from the axis until it is clear; one that would cross the y axis starts just
    right of it. Call it with the figure laid out (size, margins and limits final)."""
    runs: list[list[Bar]] = []
    for bar in bars:
        previous = runs[-1][-1] if runs else None
        if (previous is not None and max(bar.width, previous.width) < narrow
                and (bar.tip >= 0) == (previous.tip >= 0)):
            runs[-1].append(bar)
        else:
            runs.append([bar])
    renderer = FigureCanvasAgg(ax.figure).get_renderer()
    y_axis = ax.get_window_extent(renderer).x0
    last = None
    for run in runs:
        above = run[0].tip >= 0
        tip = max(b.tip for b in run) if above else min(b.tip for b in run)
        centre = (run[0].left + run[-1].left + run[-1].width) / 2
        words = str(run[0].number) if len(run) == 1 else f"{run[0].number}–{run[-1].number}"
        words += " ↑" if any(b.cut for b in run) else ""
        for lift in range(len(runs) + 1):  # the last step is kept whatever it touches
            text = _bar_number(ax, words, centre, tip, above, lift, at_axis=False)
            box = text.get_window_extent(renderer)
            if box.x0 < y_axis:
                text.remove()
                text = _bar_number(ax, words, centre, tip, above, lift, at_axis=True)
                box = text.get_window_extent(renderer)
            if last is None or not box.overlaps(last) or lift == len(runs):
                break
            text.remove()
        last = box


def _bar_number(ax, words: str, centre: float, tip: float, above: bool, lift: int,
                at_axis: bool):
    """A cost-curve number past a tip, `lift` steps of 9 pt further from the axis; centred
    on its bars, or from the y axis rightwards (`at_axis`)."""
    return ax.annotate(words, (0.0 if at_axis else centre, tip),
                       xytext=(2 if at_axis else 0, (2 + 9 * lift) * (1 if above else -1)),
                       textcoords="offset points", ha="left" if at_axis else "center",
                       va="bottom" if above else "top", fontsize=8, gid=f"mac-number:{words}")


def cost_curve_chart(economics: pd.DataFrame, year: int, lang: str = "both",
                     carbon_price: float | None = None,
                     ranges: pd.DataFrame | None = None,
                     largest: float | None = None) -> Figure:
    """Marginal abatement cost curve as economists draw it: bars sorted by levelised cost,
    width = abatement in `year` after interactions, height = yuan per tonne (negative
    below the axis), hatched when costed from the ➕ grade, and the carbon price as a line.
    With `ranges` (Monte Carlo `costs`: measure, cost_yuan_per_t_p10, _p90), a thin line
    across each bar's middle from its P10 to its P90. `largest`: the site's largest yearly
    emissions, which choose the unit of abatement as in the rest of its report (by default
    the abatement's total).

    Bars are numbered; the key on the right names them."""
    check_lang(lang)
    with rc_context(chart_rc()):
        costs = economics["cost_yuan_per_t"]
        shown = economics[(economics["abatement_t_per_yr"] > 0) & np.isfinite(costs)]
        shown = shown.sort_values("cost_yuan_per_t", kind="stable").reset_index(drop=True)
        figure, ax = _new_figure(12, 6.4)
        spread = pd.DataFrame(columns=["low", "high"]) if ranges is None else ranges.set_index(
            "measure")[["cost_yuan_per_t_p10", "cost_yuan_per_t_p90"]].dropna()
        categories = list(dict.fromkeys(shown["category"]))
        scale, unit_zh, unit_en, _ = site_tonnes(
            shown["abatement_t_per_yr"].sum() if largest is None else largest, lang)
        total = shown["abatement_t_per_yr"].sum() / scale
        narrow = NARROW_BAR * total  # a bar narrower than its number
        tips = [_tip(row.cost_yuan_per_t, spread.loc[row.id] if row.id in spread.index
                     else None) for row in shown.itertuples()]
        ceiling = _ceiling(tips)
        left, bars = 0.0, []
        key = [chart_text("cost_key", lang)]
        for number, row in enumerate(shown.itertuples(), start=1):
            width, cost = row.abatement_t_per_yr / scale, row.cost_yuan_per_t
            colour = category_colour(row.category)
            # a narrow bar edged in its own colour: white edges would hide it; the hatch is
            # white either way (in the edge's colour it vanished on a narrow bar)
            ax.add_patch(Rectangle((left, min(cost, 0.0)), width, abs(cost), facecolor=colour,
                                   edgecolor=colour if width < narrow else "white",
                                   hatchcolor="white", linewidth=0.8, gid=f"mac:{row.id}",
                                   hatch="//" if row.cost_basis == "grade" else None))
            centre, tip = left + width / 2, tips[number - 1]
            if row.id in spread.index:
                low, high = spread.loc[row.id]
                ax.plot([centre, centre], [low, high], color=NET_COLOUR, linewidth=0.9,
                        gid=f"cost-range:{row.id}")
            bars.append(Bar(number, left, width, min(tip, ceiling), tip > ceiling))
            key.append(_key_entry(number, row.name_zh, row.name_en, cost, lang))
            left += width
        ax.axhline(0, color=NET_COLOUR, linewidth=0.8)
        handles = [Rectangle((0, 0), 1, 1, facecolor=category_colour(c)) for c in categories]
        names = _category_labels_from(shown, lang)
        texts = [names[c] for c in categories]
        if (shown["cost_basis"] == "grade").any():
            handles.append(Rectangle((0, 0), 1, 1, facecolor="white", edgecolor="#444444",
                                     hatch="//"))
            texts.append(chart_text("grade_costed", lang))
        if len(spread):
            handles.append(Line2D([], [], color=NET_COLOUR, linewidth=0.9))
            texts.append(chart_text("cost_range", lang))
        if carbon_price is not None:
            handles.append(ax.axhline(carbon_price, color=TARGET_COLOUR, linestyle="--",
                                      linewidth=1.2, gid="carbon-price"))
            texts.append(chart_text("carbon_price", lang, price=f"{carbon_price:,.0f}"))
        ax.legend(handles, texts, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3,
                  frameon=False, fontsize=8.5)
        ax.set_xlim(0, max(left, 1e-9) * 1.02)
        drawn = spread[spread.index.isin(shown["id"])].to_numpy().ravel()
        values = [min(v, ceiling) for v in (*shown["cost_yuan_per_t"], *drawn, 0.0,
                                             *([carbon_price] if carbon_price else []))]
        span = max(max(values) - min(values), 1.0)
        ax.set_ylim(min(values) - 0.12 * span, max(values) + 0.12 * span)
        ax.yaxis.set_major_formatter(lambda y, _: f"{y:,.0f}")
        # light lines behind the bars, so a bar's cost can be read off the axis
        ax.yaxis.grid(True, color="#e3e3e3", linewidth=0.6, gid="cost-grid")
        ax.set_axisbelow(True)
        ax.set_xlabel(chart_text("abatement_axis", lang, year=year, unit_zh=unit_zh,
                                 unit_en=unit_en))
        _separate_thousands(ax.xaxis, lang)
        ax.set_ylabel(chart_text("cost_axis", lang))
        # the key's lines (7.5 pt x 1.35) must end above the legend, at about a fifth of the
        # height: a long key makes the figure taller rather than run into the legend
        lines = sum(entry.count("\n") + 1 for entry in key)
        figure.set_size_inches(12, max(6.4, lines * 7.5 * 1.35 / 72 / 0.66))
        figure.text(0.69, 0.88, "\n".join(key), va="top", ha="left", fontsize=7.5,
                    linespacing=1.35)
        figure.subplots_adjust(right=0.66, bottom=0.24)
        _number_bars(ax, bars, narrow)
        _finish(ax, chart_title("cost_curve_title", lang, year=year))
    return figure


def sensitivity_chart(result: Sensitivity, top: int | None = None, lang: str = "both",
                      ) -> Figure:
    """Rank range (5th-95th percentile, best-worst) of the first `top` measures (by default
    the analysis' top k, which its report's text names)."""
    check_lang(lang)
    with rc_context(chart_rc()):
        shown = result.frame.head(top or result.top_k).iloc[::-1]
        figure, ax = _new_figure(10, 1.5 + 0.32 * len(shown))
        rows = np.arange(len(shown))
        ax.hlines(rows, shown["best_rank"], shown["worst_rank"], color="#bbbbbb", linewidth=1,
                  label=chart_text("rank_span", lang))
        ax.hlines(rows, shown["rank_p5"], shown["rank_p95"], color="#0072B2", linewidth=5,
                  label=chart_text("rank_percentiles", lang))
        ax.plot(shown["rank"], rows, "o", color=NET_COLOUR, markersize=4,
                label=chart_text("rank_chosen", lang))
        names = [label(z, e, lang) + (" !" if u else "") for z, e, u in
                 zip(shown["name_zh"], shown["name_en"], shown["unstable"], strict=True)]
        ax.set_yticks(rows, names, fontsize=8.5)
        # ranks from 1, whole numbers (no 0, no 12.5), at most about a dozen ticks
        highest = int(max(shown["worst_rank"].max(), result.top_k + 1))
        ax.set_xticks(range(1, highest + 1, max(1, -(-highest // 12))))
        ax.set_xlim(highest + 0.5, 0.5)  # the best rank on the right
        ax.set_xlabel(chart_text("rank_axis", lang))
        ax.axvline(result.top_k + 0.5, color=TARGET_COLOUR, linestyle=":", linewidth=1,
                   label=chart_text("top_boundary", lang, k=result.top_k))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False,
                  fontsize=8.5)
        _finish(ax, chart_text("sensitivity_title", lang, draws=result.draws))
    return figure


def acceptability_chart(result: Acceptability, top: int = 10, ranks: int = 5,
                        lang: str = "both") -> Figure:
    """Rank acceptability (SMAA-2) of the first `top` measures: one stacked bar each, the
    shares of draws at rank 1, 2, ..., `ranks` and below."""
    from matplotlib import colormaps

    check_lang(lang)
    with rc_context(chart_rc()):
        shown = result.frame.head(top).iloc[::-1]
        shares = result.indices.loc[shown["id"], 1:ranks].to_numpy()
        figure, ax = _new_figure(10, 1.5 + 0.32 * len(shown))
        rows = np.arange(len(shown))
        colours = colormaps["viridis"].resampled(ranks)
        left = np.zeros(len(shown))
        for r in range(ranks):
            ax.barh(rows, shares[:, r], left=left, color=colours(r), height=0.7,
                    label=chart_text("rank", lang, rank=r + 1))
            left += shares[:, r]
        ax.barh(rows, 1 - left, left=left, color="#dddddd", height=0.7,
                label=chart_text("below_rank", lang, rank=ranks))
        ax.set_yticks(rows, [label(z, e, lang) for z, e in
                             zip(shown["name_zh"], shown["name_en"], strict=True)], fontsize=8.5)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter("{x:.0%}")
        ax.set_xlabel(chart_text("share_of_draws", lang))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=ranks + 1,
                  frameon=False, fontsize=8.5)
        _finish(ax, chart_text("acceptability_title", lang, draws=result.draws))
    return figure
