"""Build the static, bilingual report site from indicator results (no Dagster, no database here).

The site is written to a fresh folder beside the target and swapped in at the end, so a reader never
opens a half-written site. Everything in it is deterministic: the same inputs and code give
byte-identical files; only ``manifest.json`` carries the build time.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import shutil
import weakref
from collections.abc import Callable
from concurrent.futures import Future, wait
from dataclasses import dataclass, field, replace
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from indicators.assessment import progress_label
from indicators.compute import needs_disclosure_control
from indicators.flags import FOOTNOTED_RELIABILITY, ILLUSTRATIVE_MARKER, letters
from indicators.formatting import format_value, iso_date, plain_number
from indicators.i18n import LANGUAGES, catalogue, t
from indicators.registry import TOTAL_CODES, IndicatorSpec
from indicators.sources import SourceSpec, municipality_codes, police_region_codes, region_codes
from reports import charts, page_reuse, parallel
from reports.cell_safety import safe_csv_writer
from reports.changes import downloads as changes_downloads
from reports.programme import ProgrammeData
from reports.programme import downloads as programme_downloads
from reports.render import compile_all, environment
from reports.sentences import marked
from reports.workbook import workbook_bytes

STATIC_DIR = Path(__file__).parent / "static"
# One shared plotly.js for every page: the cartesian partial bundle (scatter and bar are all the
# site draws), vendored with its licence in static/vendor/ (see plotly.js.md there). 1.43 MiB
# instead of the 4.6 MiB full bundle the Python package ships; the same plotly.js version as the
# pinned Python plotly (a test checks both).
PLOTLY_VERSION = "4.1.1"
PLOTLY_FILE = f"plotly-cartesian-{PLOTLY_VERSION}.min.js"
PLOTLY_SOURCE = STATIC_DIR / "vendor" / PLOTLY_FILE
PLOTLY_LICENCE = STATIC_DIR / "vendor" / "plotly.js-LICENSE.txt"
WORKBOOKS = {"sv": "data/mvk-indikatorer.xlsx", "en": "data/mvk-indicators-en.xlsx"}
PDF_LINKING_FAMILY = "reports.pages.overview"   # the index pages link the print edition's PDFs
GSS_FLAGS = ("c", "x", "z", "u", "p", "r", "b", "e")
OBJECTIVES = (1, 2, 3, 4)


@dataclass(frozen=True)
class InputFile:
    path: str        # relative to the data folder
    sha256: str
    bytes: int


@dataclass(frozen=True)
class SiteInputs:
    edition: str
    code_version: str
    catalogue: dict[str, IndicatorSpec]
    results: dict[str, pd.DataFrame]
    sources: dict[str, SourceSpec]
    snapshots: pd.DataFrame          # sha256, source_id, original_name, retrieved (date or None)
    inputs: tuple[InputFile, ...]
    assessments: pd.DataFrame = field(default_factory=pd.DataFrame)   # indicators.assessment
    programme: ProgrammeData | None = None                            # the action programme's follow-up
    suppression: pd.DataFrame = field(default_factory=pd.DataFrame)   # indicators.suppression_log (no values)
    # The sources page (reports/pages/reference.py): the latest data year loaded per source, and the
    # build's date (ISO, UTC), on which "overdue" is judged; a date, not a time, so that two builds on
    # the same day give the same pages. Empty: the latest retrieval date (data_as_of) stands in.
    source_years: dict[str, int] = field(default_factory=dict)
    build_date: str = ""
    # Editions (reports/editions.py, reports/changes.py): what changed since the previous published
    # edition (None: not compared, e.g. a benchmark render), and the editions the editions page lists.
    changes: Any = None
    editions: tuple = ()
    # The files under data/ (``data_downloads``) that ``changes`` was compared from, made once by
    # reports.editions.with_editions and published as they are (None: write_site makes them). Making
    # them twice cost the site asset 0.1–0.3 s a run (issue 13).
    data_files: dict[str, bytes] | None = None
    # False when the run makes no print edition (MVK_PRINT_EDITION=off): no page links to a PDF.
    print_edition: bool = True

    def assessment_rows(self, spec: IndicatorSpec) -> list[dict]:
        return [dict(row) for row in self._assessments_by_indicator.get(spec.id, [])]

    @cached_property
    def _assessments_by_indicator(self) -> dict[str, list[dict]]:
        """Grouped once: pages ask for an indicator's rows about a hundred times per render."""
        grouped: dict[str, list[dict]] = {}
        if not self.assessments.empty:
            for row in self.assessments.to_dict("records"):
                grouped.setdefault(row["indicator_id"], []).append(row)
        return grouped

    def main_assessment(self, spec: IndicatorSpec) -> dict | None:
        key = "; ".join(f"{k}={v}" for k, v in sorted(spec.main_codes.items()) if k != "statistic")
        rows = [r for r in self.assessment_rows(spec) if r["breakdown"] == key]
        return rows[0] if rows else None


# ----------------------------------------------------------------------------------------- helpers
def category_label(breakdown: str, code: str, lang: str) -> str:
    if breakdown == "region":
        names = region_codes().get(code)
        return names[lang] if names else municipality_codes().get(code, code)
    if breakdown == "police_region":
        names = police_region_codes().get(code)
        return names[lang] if names else code
    key = f"code.{breakdown}.{code}"
    return t(key, lang) if key in catalogue() else code


def unit_label(spec: IndicatorSpec, lang: str) -> str:
    return t(f"unit.{spec.unit}", lang)


READING_ORDER = {   # codes in the order a reader expects them; others follow, sorted
    "sex": ("K", "M", "T"),
    "relation": ("T", "partner", "family", "known", "stranger", "other"),
    "violence_type": ("T", "psychological", "physical", "sexual"),
    "sanction": ("T", "prison", "probation"),
    "statistic": ("annual", "rolling_3y"),
}


def _ordered(codes: list[str], breakdown: str) -> list[str]:
    if breakdown == "region":
        return sorted(codes, key=lambda c: (c != "00", len(c), c))
    if breakdown == "police_region":
        known = list(police_region_codes())
        return sorted(codes, key=lambda c: (known.index(c) if c in known else len(known), c))
    order = READING_ORDER.get(breakdown, (TOTAL_CODES.get(breakdown),))
    return [c for c in order if c in codes] + sorted(c for c in codes if c not in order)


@dataclass(frozen=True)
class Cell:
    text: str
    markers: tuple[tuple[str, str], ...] = ()   # (visible marker, explanation)
    illustrative: bool = False


def value_cell(row: pd.Series | None, spec: IndicatorSpec, lang: str) -> Cell:
    if row is None:
        return Cell(t("site.no_data", lang))
    markers = [(f"[{letter}]", t(f"flag.{letter}", lang)) for letter in letters(row["flag"])]
    reliability = row.get("reliability", "") if hasattr(row, "get") else ""
    if reliability in FOOTNOTED_RELIABILITY:     # a secondary or derived figure: say so beside the number
        markers.append((f"[{reliability}]", t(f"flags.reliability.{reliability}", lang)))
    if row["illustrative"]:
        markers.append((ILLUSTRATIVE_MARKER, t("site.illustrative_short", lang)))
    if pd.isna(row["value"]):
        text = "" if markers else t("site.no_data", lang)
    else:
        text = format_value(float(row["value"]), spec.unit, row_decimals(spec, row), lang)
    return Cell(text, tuple(markers), bool(row["illustrative"]))


def row_decimals(spec: IndicatorSpec, row) -> int:
    """A rolling mean of small counts gets one more decimal than the yearly counts (15,7, not 16)."""
    statistic = row.get("statistic", "annual") if hasattr(row, "get") else "annual"
    return spec.decimals + (0 if statistic == "annual" else 1)


def _series_keys(spec: IndicatorSpec, frame: pd.DataFrame, breakdowns: tuple[str, ...]) -> list[tuple]:
    """Every combination of breakdown codes present, totals first, in each breakdown's reading order."""
    if breakdowns == spec.output_breakdowns:   # the keys of the rows already grouped (a pandas pass is slower)
        combos = {key[1:] for key in _records(spec, frame)}
        present = [sorted({combo[i] for combo in combos}) for i in range(len(breakdowns))]
    else:
        combos = {tuple(r) for r in frame[list(breakdowns)].itertuples(index=False)} if breakdowns else {()}
        present = [sorted(frame[b].unique().tolist()) for b in breakdowns]
    order = [{code: i for i, code in enumerate(_ordered(codes, b))}
             for codes, b in zip(present, breakdowns, strict=True)]
    return sorted(combos, key=lambda combo: tuple(order[i][c] for i, c in enumerate(combo)))


def series_label(breakdowns: tuple[str, ...], combo: tuple, spec: IndicatorSpec, lang: str) -> str:
    parts = [category_label(b, c, lang) for b, c in zip(breakdowns, combo, strict=True)
             if not (b == "statistic" and c == TOTAL_CODES["statistic"] and len(breakdowns) > 1)]
    return " – ".join(parts) or spec.name[lang]


def data_table(spec: IndicatorSpec, frame: pd.DataFrame, lang: str, *, combos: list[tuple] | None = None,
               caption: str | None = None) -> dict:
    """The accessible table: years down the side and one column per series, or, when there are many
    series (counties, say), one row per series and the years across. ``combos`` limits it to some
    series (the table under a chart view)."""
    unit = unit_label(spec, lang)
    breakdowns = spec.output_breakdowns
    years = sorted(frame["year"].unique().tolist())
    by_key = _records(spec, frame)
    combos = _series_keys(spec, frame, breakdowns) if combos is None else combos
    if not breakdowns:
        columns = [t("site.year", lang), f"{t('site.value', lang)} ({unit})"]
        rows = [(str(y), [value_cell(by_key.get((y,)), spec, lang)]) for y in years]
    elif len(combos) <= 6:
        columns = [t("site.year", lang)] + [f"{series_label(breakdowns, c, spec, lang)} ({unit})" for c in combos]
        rows = [(str(y), [value_cell(by_key.get((y, *c)), spec, lang) for c in combos]) for y in years]
    else:
        heading = " – ".join(t(f"breakdown.{b}", lang) for b in breakdowns)
        columns = [heading] + [str(y) for y in years]
        rows = [(series_label(breakdowns, c, spec, lang), [value_cell(by_key.get((y, *c)), spec, lang) for y in years])
                for c in combos]
    used = {m for _, cells in rows for cell in cells for m in cell.markers}
    legend = sorted(used, key=lambda m: (m[0] == ILLUSTRATIVE_MARKER, m[0]))
    caption = caption or t("site.table_caption", lang, name=spec.name[lang], unit=unit)
    return {"caption": caption, "columns": columns, "rows": rows, "legend": legend}


def main_rows(spec: IndicatorSpec, frame: pd.DataFrame) -> list[dict]:
    """``indicators.compute.main_series`` as plain rows, in year order: the headline tiles, sentences and
    links of every page family ask for it, and a pandas mask and sort per call was most of a tile's time.
    Callers must not change the rows (see ``_records``)."""
    codes = list(spec.main_codes.items())
    rows = [r for r in _records(spec, frame).values() if all(r[column] == code for column, code in codes)]
    return sorted(rows, key=lambda r: r["year"])


def known_rows(rows: list[dict]) -> list[dict]:
    """The rows with a value (``dropna(subset=["value"])``)."""
    return [r for r in rows if not pd.isna(r["value"])]


def summary_sentence(spec: IndicatorSpec, frame: pd.DataFrame, lang: str) -> str:
    """A factual one-sentence summary of the headline series: latest value and the baseline."""
    series = known_rows(main_rows(spec, frame))
    if not series:
        return t("site.summary_empty", lang)
    latest = series[-1]
    base = [r for r in series if r["year"] == spec.baseline_year]
    values = {"latest_year": int(latest["year"]),
              "latest": format_value(float(latest["value"]), spec.unit, spec.decimals, lang)}
    if not base or int(latest["year"]) == spec.baseline_year:
        return t("site.summary_latest", lang, **values)
    return t("site.summary_with_baseline", lang, **values, baseline_year=spec.baseline_year,
             baseline=format_value(float(base[0]["value"]), spec.unit, spec.decimals, lang))


MAX_LINES = 8   # more lines than this in one chart are unreadable: offer the headline and one breakdown at a time


def chart_views(spec: IndicatorSpec, frame: pd.DataFrame, lang: str) -> list[dict]:
    """The series a reader can pick in the trend chart's <select>, each {"key", "label", "combos"}.

    Up to six series are drawn together, as before. With more, the first view is the headline series
    and each further view varies one breakdown with the others at their headline codes ("Efter kön").
    Measures on different scales (MVK15's count and ratio) never share an axis: one view each.
    Counties are not offered as lines: the bar chart and the table show them.
    """
    breakdowns = spec.output_breakdowns
    combos = _series_keys(spec, frame, breakdowns)
    main = tuple(spec.main_codes[b] for b in breakdowns)
    if not breakdowns:
        return [{"key": "main", "label": spec.name[lang], "combos": [()]}]
    if "measure" in breakdowns:
        i = breakdowns.index("measure")
        own = [c for c in combos if all(c[j] == main[j] for j in range(len(main)) if j != i)]
        own.sort(key=lambda c: c != main)
        return [{"key": f"measure-{c[i]}", "label": category_label("measure", c[i], lang), "combos": [c]}
                for c in own]
    if len(combos) <= 6 and "region" not in breakdowns:
        return [{"key": "all", "label": t("site_indicator.view_all", lang), "combos": combos}]
    views = [{"key": "main", "label": t("site_indicator.view_main", lang), "combos": [main]}]
    for i, b in enumerate(breakdowns):
        varying = [c for c in combos if all(c[j] == main[j] for j in range(len(main)) if j != i)]
        if b != "region" and 1 < len(varying) <= MAX_LINES:
            views.append({"key": f"by-{b}", "combos": varying,
                          "label": t("site_indicator.view_by", lang, breakdown=t(f"breakdown.{b}", lang).lower())})
    return views


def hover_label(prefix: str, row: dict | None, spec: IndicatorSpec, lang: str) -> str:
    """What the chart shows on hover: the series and year, the value as the table prints it, the
    unit (percent is in the value already) and the value's marks ([ill.], [b], [V2] …)."""
    cell = value_cell(row, spec, lang)
    unit = "" if spec.unit == "percent" or row is None or pd.isna(row["value"]) else f" ({unit_label(spec, lang)})"
    marks = "".join(f" {marker}" for marker, _ in cell.markers)
    return f"{prefix}: {cell.text}{unit}{marks}"


_RECORDS: dict[tuple, tuple[weakref.ref, dict[tuple, dict]]] = {}


def _records(spec: IndicatorSpec, frame: pd.DataFrame) -> dict[tuple, dict]:
    """Rows keyed by (year, *breakdown codes), as plain dicts (iterrows is ten times slower), kept
    while the frame lives: the chart, its views' tables and the full table of a page all ask, in
    both languages. Callers must not change the rows (nothing does: pages only read)."""
    key = (id(frame), spec.output_breakdowns)
    hit = _RECORDS.get(key)
    if hit is not None and hit[0]() is frame:
        return hit[1]
    keys = ["year", *spec.output_breakdowns]
    records = {tuple(r[k] for k in keys): r for r in frame.to_dict("records")}
    for stale in [k for k, (ref, _) in _RECORDS.items() if ref() is None]:
        del _RECORDS[stale]
    _RECORDS[key] = (weakref.ref(frame), records)
    return records


def _trend(spec: IndicatorSpec, frame: pd.DataFrame, lang: str, combos: list[tuple], years: list[int],
           by_key: dict[tuple, dict]):
    breakdowns = spec.output_breakdowns
    series = []
    for combo in combos:
        name = series_label(breakdowns, combo, spec, lang)
        rows = [by_key.get((y, *combo)) for y in years]
        series.append(charts.Series(
            name=name, x=years,
            y=[None if r is None or pd.isna(r["value"]) else float(r["value"]) for r in rows],
            illustrative=[bool(r["illustrative"]) if r is not None else False for r in rows],
            hover=[hover_label(f"{name} {y}", r, spec, lang) for y, r in zip(years, rows, strict=True)]))
    breaks = break_years(spec, frame, combos)
    fig = charts.line_figure(series, unit_title=unit_label(spec, lang), percent=spec.unit == "percent",
                             decimals=spec.decimals, lang=lang, breaks=breaks)
    return fig, [y for y in breaks if y != years[0]]


def figures(spec: IndicatorSpec, frame: pd.DataFrame, lang: str, caption: str | None = None) -> list[dict]:
    """The trend chart (with a <select> of breakdowns when there is more than one view, each with
    its own table that follows the select), and for regional indicators a bar chart of the counties
    in the latest year."""
    unit = unit_label(spec, lang)
    percent = spec.unit == "percent"
    years = sorted(frame["year"].unique().tolist())
    by_key = _records(spec, frame)
    views = chart_views(spec, frame, lang)
    fig, drawn = _trend(spec, frame, lang, views[0]["combos"], years, by_key)
    chart_id = f"fig-{spec.id}-trend"
    choices, extra = [], None
    if len(views) > 1:
        extra = []
        for i, view in enumerate(views):
            entry = {"key": view["key"], "label": view["label"]}
            if i:     # the first view is the figure itself
                entry |= charts.figure_dict(_trend(spec, frame, lang, view["combos"], years, by_key)[0])
            extra.append(entry)
            choices.append({"key": view["key"], "label": view["label"],
                            "table": data_table(spec, frame, lang, combos=view["combos"],
                                                caption=t("site_indicator.view_table_caption", lang,
                                                          name=spec.name[lang], view=view["label"], unit=unit))})
    result = [{"id": chart_id, "json": Markup(charts.figure_json(fig, extra)), "views": choices,
               "label": t("site.chart_trend_label", lang, name=spec.name[lang], first=years[0], last=years[-1]),
               "caption": (caption or summary_sentence(spec, frame, lang))
               + (" " + t("flags.chart_break_caption", lang) if drawn else "")}]
    if "region" in spec.output_breakdowns and frame["value"].notna().any():
        latest_year = int(frame.dropna(subset=["value"])["year"].max())
        part = frame[(frame["year"] == latest_year) & (frame["region"] != "00")]
        for other in spec.output_breakdowns:
            if other != "region":
                part = part[part[other] == TOTAL_CODES[other]]
        part = part.sort_values(["value", "region"], ascending=[False, True], na_position="last")
        rows = part.to_dict("records")
        labels = [category_label("region", r["region"], lang) for r in rows]
        fig = charts.bar_figure(
            labels, [None if pd.isna(r["value"]) else float(r["value"]) for r in rows],
            [bool(r["illustrative"]) for r in rows],
            unit_title=unit, percent=percent, decimals=spec.decimals, lang=lang,
            hover=[hover_label(f"{label} {latest_year}", r, spec, lang) for label, r in zip(labels, rows, strict=True)])
        result.append({"id": f"fig-{spec.id}-regions", "json": Markup(charts.figure_json(fig)), "views": [],
                       "label": t("site.chart_regions_label", lang, name=spec.name[lang], year=latest_year),
                       "caption": t("site.chart_regions_caption", lang, year=latest_year)
                       + (" " + t("site.chart_hatched_illustrative", lang) if part["illustrative"].any() else "")})
    return result


def break_years(spec: IndicatorSpec, frame: pd.DataFrame, combos: list[tuple]) -> list[int]:
    """Years flagged b (break in series) in any of the charted series, for the chart's break lines."""
    wanted = set(combos)
    return sorted({int(key[0]) for key, row in _records(spec, frame).items()
                   if key[1:] in wanted and isinstance(row["flag"], str) and "b" in row["flag"]})


def source_view(source: SourceSpec, snapshots: pd.DataFrame, lang: str) -> dict:
    own = snapshots[snapshots["source_id"] == source.id].sort_values("original_name")
    files = [{"name": r["original_name"], "sha256": r["sha256"],
              "retrieved": iso_date(r["retrieved"]) or t("site.no_data", lang)}
             for _, r in own.iterrows()]
    return {"id": source.id, "publisher": source.publisher[lang], "title": source.title[lang],
            "table_id": source.table_id, "url": source.url, "licence": source.licence[lang], "files": files,
            "caveat": source.caveats.get(lang, ""),
            "breaks": [f"{b['year']}: {b[lang]}" for b in source.series_breaks]}


def assessment_table(spec: IndicatorSpec, rows: list[dict], lang: str) -> list[dict]:
    """One row per assessed series: which series, the class and the sentence."""
    out = []
    for row in rows:
        parts = dict(item.split("=", 1) for item in row["breakdown"].split("; ") if item)
        label = " – ".join(category_label(b, parts[b], lang) for b in spec.breakdowns if b in parts) \
            or spec.name[lang]
        out.append({"series": label, "label": progress_label(row["progress"], lang), "progress": row["progress"],
                    "summary": row[f"summary_{lang}"], "illustrative": bool(row.get("illustrative", False))})
    return out


def assessment_facts(judged: dict) -> dict:
    """The main assessment in indicators.json: class, rule, the points it rests on and its sentences."""
    def years(name: str) -> list[int]:
        value = judged.get(name)
        return [] if value is None else [int(y) for y in value]

    def year(name: str) -> int | None:
        value = judged.get(name)
        return None if value is None or pd.isna(value) else int(value)

    period = [year("period_first"), year("period_last")] if year("period_first") is not None else None
    return {"progress": judged["progress"], "rule": judged["rule"],
            "illustrative": bool(judged.get("illustrative", False)), "period": period,
            "used_years": years("used_years"), "illustrative_years": years("illustrative_years"),
            "published_years": years("published_years"), "breaks": years("breaks"),
            "summary": {"sv": judged["summary_sv"], "en": judged["summary_en"]}}


def indicators_json(inputs: SiteInputs) -> str:
    """The catalogue's metadata with each indicator's latest value and assessment (machine-readable)."""
    items = []
    for spec in inputs.catalogue.values():
        item = {"id": spec.id, "name": spec.name, "definition": spec.definition, "status": spec.status,
                "strategy_objectives": list(spec.strategy_objectives),
                "programme_objectives": list(spec.programme_objectives), "unit": spec.unit,
                "decimals": spec.decimals, "breakdowns": list(spec.output_breakdowns), "direction": spec.direction,
                "baseline_year": spec.baseline_year, "target": spec.target, "target_year": spec.target_year,
                "sources": [{"id": s, "publisher": inputs.sources[s].publisher, "url": inputs.sources[s].url}
                            for s in spec.sources],
                "caveats": spec.caveats, "evidence": spec.evidence}
        if spec.is_development:
            item["data_needed"] = spec.data_needed
        else:
            frame = inputs.results[spec.id]
            series = known_rows(main_rows(spec, frame))
            latest = series[-1] if series else None
            judged = inputs.main_assessment(spec)
            item["main_series"] = spec.main_codes
            item["latest"] = None if latest is None else {
                "year": int(latest["year"]), "value": float(plain_number(float(latest["value"]), spec.decimals)),
                "flag": latest["flag"], "illustrative": bool(latest["illustrative"]),
                "reliability": latest.get("reliability", ""), "source_url": latest.get("source_url", "")}
            item["assessment"] = None if judged is None else assessment_facts(judged)
            item["csv"] = f"data/indicators/{spec.id}.csv"
        items.append(item)
    return json.dumps({"edition": inputs.edition, "indicators": items}, ensure_ascii=False, indent=2,
                      sort_keys=True) + "\n"


# ------------------------------------------------------------------------------------------- CSVs
def contract_csv(spec: IndicatorSpec, frame: pd.DataFrame) -> str:
    """The output contract: indicator_id,year,<breakdowns>,value,unit,flag; decimal point; UTF-8."""
    out = io.StringIO()
    writer = safe_csv_writer(out, lineterminator="\n")   # OWASP: no live formulas
    writer.writerow(["indicator_id", "year", *spec.output_breakdowns, "value", "unit", "flag"])
    for r in frame.to_dict("records"):      # plain rows: iterrows builds a Series per row, ten times slower
        value = None if pd.isna(r["value"]) else float(r["value"])
        writer.writerow([spec.id, int(r["year"]), *[r[b] for b in spec.output_breakdowns],
                         plain_number(value, row_decimals(spec, r)), spec.unit, r["flag"]])
    return out.getvalue()


def provenance_csv(spec: IndicatorSpec, frame: pd.DataFrame) -> str:
    """Per value: is it illustrative, its combined reliability (the weakest of its inputs: official, V,
    V2, D, illustrative), every source URL it rests on (space-separated) and which snapshot cells
    (hash prefix:location) it comes from."""
    out = io.StringIO()
    writer = safe_csv_writer(out, lineterminator="\n")   # OWASP: no live formulas
    writer.writerow(["indicator_id", "year", *spec.output_breakdowns, "illustrative", "reliability", "source_url",
                     "source_cells"])
    for r in frame.to_dict("records"):
        writer.writerow([spec.id, int(r["year"]), *[r[b] for b in spec.output_breakdowns],
                         "true" if r["illustrative"] else "false", r.get("reliability", ""), r.get("source_url", ""),
                         r["provenance"]])
    return out.getvalue()


def snapshots_csv(snapshots: pd.DataFrame) -> str:
    out = io.StringIO()
    writer = safe_csv_writer(out, lineterminator="\n")   # OWASP: no live formulas
    writer.writerow(["sha256", "source_id", "original_name", "retrieved"])
    for _, r in snapshots.sort_values(["source_id", "original_name"]).iterrows():
        writer.writerow([r["sha256"], r["source_id"], r["original_name"],
                         iso_date(r["retrieved"])])
    return out.getvalue()


# ------------------------------------------------------------------------------------------ pages
def _page_path(lang: str, rel: str) -> str:
    return rel if lang == "sv" else f"en/{rel}"


def _root(path: str) -> str:
    return "../" * path.count("/")


SUPPRESSION_CSV = "data/suppression.csv"


def suppression_counts(inputs: SiteInputs) -> dict[str, dict[str, int]]:
    """Per indicator under disclosure control: how many published cells are hidden, by kind.

    Counted from the warehouse's suppression log (cell, rule, reason; never a value), so the numbers
    say what was hidden without saying anything about the hidden values.
    """
    log = inputs.suppression
    counts = {}
    for spec in inputs.catalogue.values():
        if spec.is_development or not needs_disclosure_control(spec):
            continue
        kinds = log[log["indicator_id"] == spec.id]["kind"] if not log.empty else pd.Series(dtype=object)
        counts[spec.id] = {"primary": int((kinds == "primary").sum()), "secondary": int((kinds == "secondary").sum())}
    return counts


def suppression_csv(inputs: SiteInputs) -> str:
    """``data/suppression.csv``: indicator_id, primary, secondary (hidden cells per indicator)."""
    buffer = io.StringIO()
    writer = safe_csv_writer(buffer, lineterminator="\n")
    writer.writerow(["indicator_id", "primary", "secondary"])
    for indicator_id, count in suppression_counts(inputs).items():
        writer.writerow([indicator_id, count["primary"], count["secondary"]])
    return buffer.getvalue()


def disclosure_sentence(counts: dict[str, int] | None, lang: str) -> str:
    """The sentence on an indicator page under disclosure control ('' for the others)."""
    if counts is None:
        return ""
    if not counts["primary"] and not counts["secondary"]:
        return t("disclosure.page.none", lang)
    return t("disclosure.page.sentence", lang, primary=counts["primary"], secondary=counts["secondary"])


NAV = (   # the header menu: (nav_current key, message key, page relative to the language root)
    ("overview", "site_core.nav.overview", "index.html"),
    ("objectives", "site_core.nav.objectives", "objectives/index.html"),
    ("indicators", "site_core.nav.indicators", "indicators/index.html"),
    ("programme", "site_core.nav.programme", "programme.html"),
    ("agencies", "site_core.nav.agencies", "agencies/index.html"),
    ("sources", "site_core.nav.sources", "sources.html"),
    ("methods", "site_core.nav.methods", "methods.html"),
)


def data_as_of(inputs: SiteInputs) -> str:
    """The latest retrieval date of the snapshots the pages rest on (ISO), '' when none is known."""
    dates = [iso_date(d) for d in inputs.snapshots.get("retrieved", pd.Series(dtype=object))]
    dates = [d for d in dates if d]
    return max(dates) if dates else ""


def common_context(inputs: SiteInputs, lang: str) -> dict:
    """What every page template gets (the issue 9 contract, docs/architecture.md "The report site").

    ``page(rel, crumbs, nav_current)`` gives a page's own part: its path, ``root``, ``other_href``
    (the same page in the other language), ``breadcrumbs`` (``crumbs`` are (label, rel or None) after
    the overview; rel is relative to the language root) and ``nav_current``.
    """
    other = "en" if lang == "sv" else "sv"

    def page(rel: str, crumbs: list[tuple[str, str | None]] | None = None, nav_current: str | None = None) -> dict:
        path = _page_path(lang, rel)
        root = _root(path)
        home = _root(rel)        # to the root of this language: links within it stay short ("indicators/MVK01.html")
        trail = [(t("site_core.nav.overview", lang), "index.html"), *(crumbs or [])] if rel != "index.html" else []
        return {"path": path, "root": root, "home": home, "other_href": root + _page_path(other, rel),
                "nav_current": nav_current,
                "breadcrumbs": [{"label": label, "href": None if href is None else home + href}
                                for label, href in trail]}

    return {"lang": lang, "other_lang": other, "edition": inputs.edition, "code_version": inputs.code_version,
            "plotly_file": PLOTLY_FILE, "css": Markup((STATIC_DIR / "report.css").read_text(encoding="utf-8")),
            "t": lambda key, _lang=lang, **kw: t(key, _lang, **kw),
            # root_of(path) -> "../" prefix; ``root`` itself is a page's own (from page()), so that
            # ``render(**common, **page(...))`` never passes a key twice
            "page_path": _page_path, "root_of": _root, "page": page, "data_as_of": data_as_of(inputs),
            "nav": [{"key": key, "label": t(message, lang), "href": _page_path(lang, rel), "rel": rel}
                    for key, message, rel in NAV]}


def _full_path(lang: str, path: str) -> str:
    """A family's path in the whole site (a module may return paths with or without the en/ prefix)."""
    return path if lang == "sv" or path.startswith("en/") else _page_path(lang, path)


def render_family(inputs: SiteInputs, lang: str, module_name: str,
                  reuse: page_reuse.PageReuse | None = None) -> page_reuse.Rendered:
    """One page family in one language: a task for ``reports.parallel`` (runs in a worker). A family
    that describes its pages (``pages()``, reports.page_reuse) takes over those whose key is unchanged
    from the published site; the others render every page."""
    module = importlib.import_module(module_name)
    env, common = environment(), common_context(inputs, lang)   # compiled before the fork (parallel.run)
    if hasattr(module, "pages"):
        return page_reuse.render(module.pages(inputs, env, lang, common), env, lang, common, reuse,
                                 full_path=lambda path: _full_path(lang, path))
    return page_reuse.Rendered(module.render(inputs, env, lang, common))


def page_tasks(reuse: page_reuse.PageReuse | None = None) -> list[parallel.Task]:
    """Every (language, family) pair of ``reports.pages.PAGE_MODULES``, Swedish first."""
    from reports.pages import PAGE_MODULES  # late: the page modules import this one

    return [(render_family, (lang, name, reuse)) for lang in LANGUAGES for name in PAGE_MODULES]


def merge_pages(tasks: list[parallel.Task], results: list[page_reuse.Rendered]) -> dict[str, str]:
    """The families' pages as one site, in task order (so the output never depends on timing)."""
    pages: dict[str, str] = {}
    for (_, (lang, name, *_)), rendered in zip(tasks, results, strict=True):
        for path, html in rendered.pages.items():
            full = _full_path(lang, path)
            if full in pages:
                raise ValueError(f"{name} renders {full}, which another page module already renders")
            pages[full] = html
    return pages


def render_pages(inputs: SiteInputs) -> dict[str, str]:
    """Every page in both languages: each family in ``reports.pages.PAGE_MODULES`` renders its own,
    the families and languages in parallel worker processes (``reports.parallel``)."""
    tasks = page_tasks()
    return merge_pages(tasks, parallel.run(inputs, tasks))


def data_downloads(inputs: SiteInputs) -> dict[str, bytes]:
    """The machine-readable files under data/: the catalogue with latest values, the source files, each
    indicator's contract and provenance CSV and the programme's tables. The same function gives what
    reports.changes compares with the previous edition, so the comparison is of the published bytes."""
    files = {"data/indicators.json": indicators_json(inputs).encode("utf-8"),
             "data/sources.csv": snapshots_csv(inputs.snapshots).encode("utf-8")}
    for spec in inputs.catalogue.values():
        if not spec.is_development:
            frame = inputs.results[spec.id]
            files[f"data/indicators/{spec.id}.csv"] = contract_csv(spec, frame).encode("utf-8")
            files[f"data/provenance/{spec.id}.csv"] = provenance_csv(spec, frame).encode("utf-8")
    if inputs.programme is not None:
        files.update(programme_downloads(inputs.programme))
    return files


def workbook_task(inputs: SiteInputs, lang: str,
                  reuse: page_reuse.PageReuse | None = None) -> tuple[bytes, str, bool]:
    """The indicator workbook in one language, its key and whether it was taken over: a task for
    ``reports.parallel``. Like a page (reports.page_reuse), the workbook is a function of exactly what
    ``workbook_bytes`` gets, the code and openpyxl's version; when that key is unchanged the published
    file is taken over (its bytes checked) instead of written again (0.25–0.5 s each)."""
    computed = {i: spec for i, spec in inputs.catalogue.items() if not spec.is_development}
    summaries = {}
    for spec in computed.values():
        judged = inputs.main_assessment(spec)
        if judged:
            summaries[spec.id] = marked(judged[f"summary_{lang}"], bool(judged.get("illustrative", False)))
    made_from = {"lang": lang, "edition": inputs.edition, "catalogue": computed, "results": inputs.results,
                 "sources": inputs.sources, "assessments": summaries}
    key = page_reuse.file_key(WORKBOOKS[lang], f"openpyxl={metadata.version('openpyxl')}", made_from)
    published = reuse.published_bytes(WORKBOOKS[lang], key) if reuse is not None else None
    if published is not None:
        return published, key, True
    return workbook_bytes(**made_from), key, False


# ------------------------------------------------------------------------------------------ build
def exchange_directories(a: Path, b: Path) -> bool:
    """Swap two directories in one step (Linux ``renameat2(RENAME_EXCHANGE)``), so a reader of the
    site sees the old one or the new one and never none; False where the system cannot."""
    import ctypes
    import os

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _write_files(staging: Path, files: dict[str, bytes], skip: set[str] | frozenset[str] = frozenset()) -> None:
    for rel, content in sorted(files.items()):
        if rel not in skip:
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)


def write_site(inputs: SiteInputs, site_dir: Path, *, build_time: str,
               start_finish: Callable[[Path], Future] | None = None, page_cache: Path | None = None,
               report: dict | None = None) -> Path:
    """Write the whole site next to ``site_dir`` and swap it in; returns the Swedish index page.

    ``page_cache`` (``OUT/.page_cache``) holds the keys of the published pages: a page whose inputs are
    unchanged is taken over from the published site instead of rendered (reports.page_reuse); ``report``,
    when given, gets how many pages were rendered and how many taken over.

    ``start_finish`` (the print edition) is called with the staging folder as soon as the assets are in
    it (the print reads nothing else) and the render's workers are forked, so it runs beside the render;
    it returns a future of the manifest's ``print_edition`` entry, awaited before the manifest, and what
    it wrote in the staging folder is hashed into the manifest like the rest and swapped in with it."""
    from reports.pages.search import assets as search_assets  # late: the page modules import this one

    staging = site_dir.with_name(site_dir.name + ".new")
    if staging.exists():
        shutil.rmtree(staging)
    files: dict[str, bytes] = {
        f"assets/{PLOTLY_FILE}": PLOTLY_SOURCE.read_bytes(),
        "assets/plotly.js-LICENSE.txt": PLOTLY_LICENCE.read_bytes(),
        "assets/charts.js": (STATIC_DIR / "charts.js").read_bytes(),
        **search_assets(),   # search.js, the vendored MiniSearch and its licence (reports/pages/search.py)
        SUPPRESSION_CSV: suppression_csv(inputs).encode("utf-8"),
        "assets/editions.js": (STATIC_DIR / "editions.js").read_bytes(),   # the banner of older editions
        **changes_downloads(inputs.changes),   # data/changes.csv, data/changes.json (reports/changes.py)
    }
    # The assets first: the print edition (start_finish) loads plotly.js and charts.js from them while the
    # pages render, so they are written once, here, and never rewritten under it.
    early = set(files)
    _write_files(staging, files)
    printing: list[Future] = []

    def start_printing() -> None:      # called by parallel.run once its workers are forked
        if start_finish is not None:
            printing.append(start_finish(staging))

    # The two workbooks and every (language, page family) render in parallel (reports.parallel).
    reuse = page_reuse.PageReuse.load(page_cache, site_dir) if page_cache is not None else None
    if page_cache is not None:
        compile_all(page_cache / "templates")   # Jinja's compiled templates, kept for the next run
    tasks = page_tasks(reuse)
    try:
        results = parallel.run(inputs, [*((workbook_task, (lang, reuse)) for lang in LANGUAGES), *tasks],
                               started=start_printing)
        workbooks = dict(zip(LANGUAGES, results, strict=False))
        for lang, (content, _key, _reused) in workbooks.items():
            files[WORKBOOKS[lang]] = content
        # the bytes "what changed" was compared from; otherwise made now, while the print runs
        files.update(inputs.data_files if inputs.data_files is not None else data_downloads(inputs))
        rendered = results[len(LANGUAGES):]
        for path, html in merge_pages(tasks, rendered).items():
            files[path] = html.encode("utf-8")
        keys = {path: key for family in rendered for path, key in family.keys.items()}
        keys.update({WORKBOOKS[lang]: key for lang, (_content, key, _reused) in workbooks.items()})
        if report is not None:
            reused = sum(family.reused for family in rendered)
            report.update(pages=sum(len(family.pages) for family in rendered) - reused, reused=reused,
                          workbooks_reused=sum(taken for _content, _key, taken in workbooks.values()))
        _write_files(staging, files, skip=early)
    except BaseException:
        wait(printing)       # never leave the print writing into a staging folder that is being given up
        raise
    printed = printing[0].result() if printing else None
    if inputs.print_edition and printed is not None and printed["status"] != "written":
        _unlink_pdfs(inputs, files, staging)
    manifest = {
        "edition": inputs.edition,
        "build_time": build_time,
        "code_version": inputs.code_version,
        "plotly_js": f"plotly.js-cartesian-dist-min {PLOTLY_VERSION}",
        "inputs": [{"path": f.path, "sha256": f.sha256, "bytes": f.bytes} for f in inputs.inputs],
        "files": {rel: hashlib.sha256(content).hexdigest() for rel, content in sorted(files.items())},
    }
    if printed is not None:
        manifest["print_edition"] = printed
        for rel in printed.get("files", {}):
            manifest["files"][rel] = hashlib.sha256((staging / rel).read_bytes()).hexdigest()
        manifest["files"] = dict(sorted(manifest["files"].items()))
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
    _swap_in(staging, site_dir)
    if page_cache is not None:   # after the swap: the record describes the published pages
        page_reuse.save_record(page_cache, keys, files)
    return site_dir / "index.html"


def _unlink_pdfs(inputs: SiteInputs, files: dict[str, bytes], staging: Path) -> None:
    """The print failed or could not start (no PDFs): the index pages, rendered beside it, link PDFs that
    are not there, so they are rendered again without those links (the only pages that link them)."""
    unlinked = replace(inputs, print_edition=False)
    for lang in LANGUAGES:
        for path, html in render_family(unlinked, lang, PDF_LINKING_FAMILY).pages.items():
            full = _full_path(lang, path)
            files[full] = html.encode("utf-8")
            (staging / full).write_bytes(files[full])


def _swap_in(staging: Path, site_dir: Path) -> None:
    if site_dir.exists() and exchange_directories(staging, site_dir):
        shutil.rmtree(staging)          # the previous site, swapped out in one step
        return
    previous = site_dir.with_name(site_dir.name + ".old")   # no atomic exchange here: two renames
    if previous.exists():
        shutil.rmtree(previous)
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    if previous.exists():
        shutil.rmtree(previous)
