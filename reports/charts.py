"""Plotly figures for the indicator pages, as JSON for the shared ``charts.js`` to draw.

Charts are a visual aid only: every number is also in an HTML table rendered from the same frame.
The figures use the darker half of Paul Tol's colour-blind-safe palette (every colour at least 3:1
against the white background, WCAG 1.4.11; the lighter #88CCEE and #DDCC77 were 1.6–1.8:1) plus
dashes and marker symbols (never colour alone), plotly.js's own defaults (no template: 0,6 KB per
figure instead of 7 KB), Swedish or English separators, and no SI suffixes on axes. Illustrative
points are drawn as open markers in a trace of their own so that a reader sees which points are not
official statistics. A break in series (flag b) is drawn as a dashed vertical line just before the
break year, labelled "Tidsseriebrott <year>", so that the eye does not read the two segments as one
comparable series. Hover labels are written here, in the page's language, with the unit and the
value's marks ([ill.], GSS flags, [V2]/[D]), as the table shows them.

The figures are plain plotly.js JSON (``{"data": [...], "layout": {...}}``) built as dicts, not
``plotly.graph_objects``: validating every property through graph_objects took 1,5 s of a site
render for the same output. ``tests/test_indicator_pages.py`` validates every figure of a build
with ``plotly.graph_objects.Figure`` instead, so a misspelt property still fails.

Only ``scatter`` and ``bar`` traces are made, so the site ships plotly.js's cartesian partial bundle
(``TRACE_TYPES`` lists what it may use; a test checks every figure of a build against it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from indicators.i18n import t

# Tol's "muted"/"safe" colours that reach 3:1 on white: indigo, rose, green, purple, olive, wine.
PALETTE = ("#332288", "#CC6677", "#117733", "#AA4499", "#999933", "#882255")
BACKGROUND = "#ffffff"
INK = "#1a1a1a"
TRACE_TYPES = frozenset({"scatter", "bar"})      # what figures here use; all in the cartesian bundle
DASHES = ("solid", "dash", "dot", "dashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up")


@dataclass(frozen=True)
class Series:
    name: str
    x: list
    y: list[float | None]
    illustrative: list[bool]
    hover: list[str] | None = None     # one label per point: series, year, value, unit and marks


def contrast_ratio(colour: str, background: str = BACKGROUND) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _layout(*, unit_title: str, percent: bool, lang: str, horizontal: bool = False) -> dict:
    value_axis = {
        "title": {"text": unit_title},
        "exponentformat": "none",
        "separatethousands": True,
        "rangemode": "tozero",
        "gridcolor": "#d9d9d9",
        "ticksuffix": ("\u00a0%" if lang == "sv" else "%") if percent else "",
    }
    category_axis = {"type": "category", "automargin": True}
    return {
        "separators": ", " if lang == "sv" else ".,",
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 14, "color": INK},
        "margin": {"l": 70, "r": 20, "t": 20, "b": 60},
        "legend": {"orientation": "h", "y": -0.18},
        "hovermode": "closest",
        "xaxis": value_axis if horizontal else category_axis,
        "yaxis": (category_axis | {"autorange": "reversed"}) if horizontal else value_axis,
    }


def _hovertemplate(hover: list[str] | None, fallback: str) -> dict:
    """Our own label per point (customdata) when given, else plotly's formatted value."""
    if hover:
        return {"customdata": hover, "hovertemplate": "%{customdata}<extra></extra>"}
    return {"hovertemplate": fallback + "<extra></extra>"}


def line_figure(series: list[Series], *, unit_title: str, percent: bool, decimals: int, lang: str,
                breaks: list[int] | tuple[int, ...] = ()) -> dict:
    value_format = f"%{{y:,.{decimals}f}}"
    data = []
    for i, s in enumerate(series):
        data.append({
            "type": "scatter", "x": [str(v) for v in s.x], "y": s.y, "name": s.name, "mode": "lines+markers",
            "line": {"color": PALETTE[i % len(PALETTE)], "dash": DASHES[i % len(DASHES)], "width": 2.5},
            "marker": {"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 8},
            "connectgaps": False,
            **_hovertemplate(s.hover, f"{s.name} %{{x}}: {value_format}"),
        })
    xs, ys, hovers = [], [], []
    for s in series:
        for i, (x, y, ill) in enumerate(zip(s.x, s.y, s.illustrative, strict=True)):
            if ill and y is not None:
                xs.append(str(x))
                ys.append(y)
                hovers.append(s.hover[i] if s.hover else t("site.illustrative_short", lang))
    if xs:
        data.append({
            "type": "scatter", "x": xs, "y": ys, "name": t("site.illustrative_points", lang), "mode": "markers",
            "marker": {"symbol": "circle-open", "size": 16, "color": INK, "line": {"width": 1.5}},
            **_hovertemplate(hovers, ""),
        })
    layout = _layout(unit_title=unit_title, percent=percent, lang=lang)
    _draw_breaks(layout, [str(v) for v in (series[0].x if series else [])], breaks, lang)
    return {"data": data, "layout": layout}


def _draw_breaks(layout: dict, categories: list[str], breaks: list[int] | tuple[int, ...], lang: str) -> None:
    """A dashed line between the year before a break and the break year, with a label. On a category
    axis a category's position is its index, so the line sits at index − 0.5. A break in the first
    year drawn is the start of the series as shown, so nothing is drawn for it."""
    for year in sorted(set(breaks)):
        if str(year) not in categories or categories.index(str(year)) == 0:
            continue
        x = categories.index(str(year)) - 0.5
        layout.setdefault("shapes", []).append(
            {"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
             "line": {"color": INK, "width": 1.5, "dash": "dash"}})
        layout.setdefault("annotations", []).append(
            {"x": x, "xref": "x", "y": 1, "yref": "paper", "yanchor": "bottom", "xanchor": "left",
             "text": t("flags.break_line", lang, year=year), "showarrow": False, "font": {"size": 12}})


def bar_figure(labels: list[str], values: list[float | None], illustrative: list[bool], *, unit_title: str,
               percent: bool, decimals: int, lang: str, hover: list[str] | None = None) -> dict:
    """Horizontal bars, one per category (e.g. county), illustrative bars hatched and outlined."""
    bar = {
        "type": "bar", "x": values, "y": labels, "orientation": "h",
        "marker": {"color": PALETTE[0], "pattern": {"shape": ["/" if i else "" for i in illustrative]},
                   "line": {"color": INK, "width": [1.5 if i else 0 for i in illustrative]}},
        "name": unit_title, "showlegend": False,
        **_hovertemplate(hover, f"%{{y}}: %{{x:,.{decimals}f}}"),
    }
    layout = _layout(unit_title=unit_title, percent=percent, lang=lang, horizontal=True)
    layout["height"] = max(360, 26 * len(labels) + 80)
    layout["margin"] = layout["margin"] | {"l": 170}
    return {"data": [bar], "layout": layout}


def figure_dict(fig: dict) -> dict:
    """The figure's data and layout (what Plotly.newPlot takes)."""
    return {"data": fig["data"], "layout": fig["layout"]}


def safe_json(value: object) -> str:
    """Deterministic JSON that is safe inside <script type="application/json">."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def figure_json(fig: dict, views: list[dict] | None = None) -> str:
    """The figure as safe JSON; with ``views`` (each {"key", "label", "data", "layout"}) the block also
    holds the other breakdowns a reader can pick in the chart's <select>: charts.js redraws the chart
    from the chosen view and shows the table with the same ``data-view`` key."""
    figure = figure_dict(fig)
    if views:
        figure["views"] = views
    return safe_json(figure)
