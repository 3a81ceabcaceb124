"""The Gantt roadmap as an interactive HTML page (plotly), with hover details, fully offline:
plotly.js is written into the page, nothing is fetched."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from ..decisions.roadmap import HORIZON
from .gantt import LIGHT_ALPHA, ChartText, colours_of
from .outputs import write_atomically
from .style import check_lang, label

START = 2020


def interactive_gantt(rows: pd.DataFrame, text: ChartText, lang: str = "both") -> go.Figure:
    """One bar pair per row of `gantt.ROW_COLUMNS` rows: light (application to
    popularisation) and dark (popularised to 2050), thickness as in the static chart."""
    check_lang(lang)
    colours = colours_of(rows)
    names = [label(z, e, lang) for z, e in zip(rows["name_zh"], rows["name_en"], strict=True)]
    groups = [label(z, e, lang) for z, e in zip(rows["group_zh"], rows["group_en"], strict=True)]
    hover = [f"<b>{n}</b><br>{g}<br>△ {s} → ○ {p}" for n, g, s, p in
             zip(names, groups, rows["start_year"], rows["popularization_year"], strict=True)]
    figure = go.Figure()
    for phase, start, end, alpha in (("application", rows["start_year"],
                                      rows["popularization_year"], LIGHT_ALPHA),
                                     ("popularisation", rows["popularization_year"],
                                      pd.Series(HORIZON, index=rows.index), 1.0)):
        figure.add_bar(
            orientation="h", y=names, base=start, x=end - start, width=rows["thickness"],
            marker={"color": [colours[g] for g in rows["group_zh"]], "opacity": alpha},
            name=label("△ 预期应用" if phase == "application" else "○ 预期普及",
                       "△ application" if phase == "application" else "○ popularisation",
                       lang),
            hovertext=hover, hoverinfo="text")
    figure.update_layout(
        title=text.title(lang).replace("\n", "<br>"), barmode="overlay", template="plotly_white",
        height=200 + 26 * len(rows), xaxis={"range": [START, HORIZON], "dtick": 5},
        yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": names},
        legend={"orientation": "h", "y": -0.05}, margin={"l": 20, "r": 20, "t": 80, "b": 40})
    for year in (2025, 2035):
        figure.add_vline(x=year, line_dash="dash", line_color="#888888")
    return figure


def save_interactive(figure: go.Figure, path: str | Path) -> Path:
    """A self-contained HTML file (plotly.js inline) with a fixed element id: same bytes."""
    html = figure.to_html(include_plotlyjs=True, full_html=True, div_id="roadmap-gantt",
                          config={"displaylogo": False})
    return write_atomically(path, lambda tmp: Path(tmp).write_text(html, encoding="utf-8"))
