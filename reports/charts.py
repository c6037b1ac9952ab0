"""Plotly figures for the indicator pages, as JSON for the shared ``charts.js`` to draw.

Charts are a visual aid only: every number is also in an HTML table rendered from the same frame.
The figures use the colour-blind-safe palette plus dashes and marker symbols (never colour alone),
``template="none"`` (0,6 KB per figure instead of 7 KB), Swedish or English separators, and no SI
suffixes on axes. Illustrative points are drawn as open markers in a trace of their own so that a
reader sees which points are not official statistics. A break in series (flag b) is drawn as a dashed
vertical line just before the break year, labelled "Tidsseriebrott <year>", so that the eye does not
read the two segments as one comparable series.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import plotly.graph_objects as go
from plotly.colors import qualitative

from indicators.i18n import t

PALETTE = qualitative.Safe
DASHES = ("solid", "dash", "dot", "dashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up")


@dataclass(frozen=True)
class Series:
    name: str
    x: list
    y: list[float | None]
    illustrative: list[bool]


def _layout(fig: go.Figure, *, unit_title: str, percent: bool, lang: str, horizontal: bool = False) -> None:
    value_axis = {
        "title": {"text": unit_title},
        "exponentformat": "none",
        "separatethousands": True,
        "rangemode": "tozero",
        "gridcolor": "#d9d9d9",
        "ticksuffix": ("\u00a0%" if lang == "sv" else "%") if percent else "",
    }
    category_axis = {"type": "category", "automargin": True}
    fig.update_layout(
        template="none",
        separators=", " if lang == "sv" else ".,",
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 14, "color": "#1a1a1a"},
        margin={"l": 70, "r": 20, "t": 20, "b": 60},
        legend={"orientation": "h", "y": -0.18},
        hovermode="closest",
        xaxis=value_axis if horizontal else category_axis,
        yaxis=(category_axis | {"autorange": "reversed"}) if horizontal else value_axis,
    )


def line_figure(series: list[Series], *, unit_title: str, percent: bool, decimals: int, lang: str,
                breaks: list[int] | tuple[int, ...] = ()) -> go.Figure:
    fig = go.Figure()
    value_format = f"%{{y:,.{decimals}f}}"
    for i, s in enumerate(series):
        fig.add_trace(go.Scatter(
            x=[str(v) for v in s.x], y=s.y, name=s.name, mode="lines+markers",
            line={"color": PALETTE[i % len(PALETTE)], "dash": DASHES[i % len(DASHES)], "width": 2.5},
            marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 8},
            hovertemplate=f"{s.name} %{{x}}: {value_format}<extra></extra>",
            connectgaps=False,
        ))
    xs, ys = [], []
    for s in series:
        for x, y, ill in zip(s.x, s.y, s.illustrative, strict=True):
            if ill and y is not None:
                xs.append(str(x))
                ys.append(y)
    if xs:
        fig.add_trace(go.Scatter(
            x=xs, y=ys, name=t("site.illustrative_points", lang), mode="markers",
            marker={"symbol": "circle-open", "size": 16, "color": "#1a1a1a", "line": {"width": 1.5}},
            hovertemplate=t("site.illustrative_short", lang) + "<extra></extra>",
        ))
    _layout(fig, unit_title=unit_title, percent=percent, lang=lang)
    _draw_breaks(fig, [str(v) for v in (series[0].x if series else [])], breaks, lang)
    return fig


def _draw_breaks(fig: go.Figure, categories: list[str], breaks: list[int] | tuple[int, ...], lang: str) -> None:
    """A dashed line between the year before a break and the break year, with a label. On a category
    axis a category's position is its index, so the line sits at index − 0.5. A break in the first
    year drawn is the start of the series as shown, so nothing is drawn for it."""
    for year in sorted(set(breaks)):
        if str(year) not in categories or categories.index(str(year)) == 0:
            continue
        x = categories.index(str(year)) - 0.5
        fig.add_shape(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                      line={"color": "#1a1a1a", "width": 1.5, "dash": "dash"})
        fig.add_annotation(x=x, xref="x", y=1, yref="paper", yanchor="bottom", xanchor="left",
                           text=t("flags.break_line", lang, year=year), showarrow=False, font={"size": 12})


def bar_figure(labels: list[str], values: list[float | None], illustrative: list[bool], *, unit_title: str,
               percent: bool, decimals: int, lang: str) -> go.Figure:
    """Horizontal bars, one per category (e.g. county), illustrative bars hatched and outlined."""
    fig = go.Figure(go.Bar(
        x=values, y=labels, orientation="h",
        marker={"color": PALETTE[0], "pattern": {"shape": ["/" if i else "" for i in illustrative]},
                "line": {"color": "#1a1a1a", "width": [1.5 if i else 0 for i in illustrative]}},
        hovertemplate=f"%{{y}}: %{{x:,.{decimals}f}}<extra></extra>",
        name=unit_title, showlegend=False,
    ))
    _layout(fig, unit_title=unit_title, percent=percent, lang=lang, horizontal=True)
    fig.update_layout(height=max(360, 26 * len(labels) + 80), margin={"l": 170})
    return fig


def figure_json(fig: go.Figure) -> str:
    """Deterministic JSON that is safe inside <script type="application/json">."""
    data = json.loads(fig.to_json())
    text = json.dumps({"data": data["data"], "layout": data["layout"]}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
