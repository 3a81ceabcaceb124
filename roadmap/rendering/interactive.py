"""The Gantt roadmap as an interactive HTML page: the static chart as inline SVG (text kept
as text), a hover tooltip on every block, the CJK font subset embedded. No script library
and nothing fetched: a town's page stays well under 1 MB (plotly.js alone weighs 3.5 MB)."""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib import rc_context
from matplotlib.figure import Figure

from .fonts import chart_rc, embedded_font_css
from .gantt import ChartText, gantt_chart
from .outputs import CREATOR, write_atomically
from .style import check_lang, label


@dataclass(frozen=True)
class InteractiveGantt:
    figure: Figure
    title: str
    hover: dict[str, str]  # block gid -> tooltip text
    lang: str


def interactive_gantt(rows: pd.DataFrame, text: ChartText, lang: str = "both",
                      ) -> InteractiveGantt:
    """The rows of `gantt.ROW_COLUMNS` drawn as the static chart, with a tooltip per block:
    name, group, expected application → popularisation."""
    check_lang(lang)
    hover = {}
    for row in rows.itertuples():
        tip = "\n".join([label(row.name_zh, row.name_en, lang),
                         label(row.group_zh, row.group_en, lang),
                         f"△ {row.start_year} → ○ {row.popularization_year}"])
        for phase in ("application", "popularization"):
            hover[f"{row.id}:{phase}"] = tip
    return InteractiveGantt(gantt_chart(rows, text, lang), text.title(lang).replace("\n", " "),
                            hover, lang)


def interactive_html(chart: InteractiveGantt) -> str:
    buffer = io.StringIO()
    with rc_context(chart_rc()):
        chart.figure.savefig(buffer, format="svg", bbox_inches="tight",
                             metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.DOTALL)
    for gid, tip in chart.hover.items():  # matplotlib writes a gid as the group's id
        svg = svg.replace(f'<g id="{gid}">', f'<g id="{gid}" class="block">'
                          f"<title>{html.escape(tip)}</title>", 1)
    svg = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r'<svg \1', svg, count=1)
    page = (f'<!DOCTYPE html>\n<html lang="{"en" if chart.lang == "en" else "zh"}">\n<head>\n'
            f'<meta charset="utf-8">\n<meta name="generator" content="{CREATOR}">\n'
            f'<title>{html.escape(chart.title)}</title>\n<!--FONT-CSS-->\n'
            "<style>\nbody { margin: 16px; font-family: 'RoadmapCJK', sans-serif; }\n"
            "svg { max-width: 100%; height: auto; }\n"
            "svg text { font-family: 'RoadmapCJK', 'DejaVu Sans', sans-serif !important; }\n"
            "g.block:hover { filter: brightness(0.8); cursor: default; }\n"
            f"</style>\n</head>\n<body>\n{svg}</body>\n</html>\n")
    return page.replace("<!--FONT-CSS-->", f"<style>{embedded_font_css(page)}</style>", 1)


def save_interactive(chart: InteractiveGantt, path: str | Path) -> Path:
    """A self-contained HTML file: same bytes for the same chart."""
    page = interactive_html(chart)
    return write_atomically(path, lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))
