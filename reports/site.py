"""Build the static, bilingual report site from indicator results (no Dagster, no database here).

The site is written to a fresh folder beside the target and swapped in at the end, so a reader never
opens a half-written site. Everything in it is deterministic: the same inputs and code give
byte-identical files; only ``manifest.json`` carries the build time.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from markupsafe import Markup
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from indicators.assessment import progress_label
from indicators.compute import main_series, needs_disclosure_control
from indicators.flags import FOOTNOTED_RELIABILITY, letters
from indicators.formatting import format_value, iso_date, plain_number
from indicators.i18n import LANGUAGES, catalogue, t
from indicators.registry import TOTAL_CODES, IndicatorSpec
from indicators.sources import SourceSpec, municipality_codes, police_region_codes, region_codes
from reports import charts
from reports.cell_safety import safe_csv_writer
from reports.programme import ProgrammeData, programme_pages
from reports.programme import downloads as programme_downloads
from reports.render import environment
from reports.sentences import marked
from reports.workbook import workbook_bytes

STATIC_DIR = Path(__file__).parent / "static"
PLOTLY_FILE = f"plotly-{get_plotlyjs_version()}.min.js"
WORKBOOKS = {"sv": "data/mvk-indikatorer.xlsx", "en": "data/mvk-indicators-en.xlsx"}
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

    def assessment_rows(self, spec: IndicatorSpec) -> list[dict]:
        if self.assessments.empty:
            return []
        return self.assessments[self.assessments["indicator_id"] == spec.id].to_dict("records")

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
        markers.append(("[ill.]", t("site.illustrative_short", lang)))
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
    combos = {tuple(r) for r in frame[list(breakdowns)].itertuples(index=False)} if breakdowns else {()}
    order = [{code: i for i, code in enumerate(_ordered(sorted(frame[b].unique().tolist()), b))} for b in breakdowns]
    return sorted(combos, key=lambda combo: tuple(order[i][c] for i, c in enumerate(combo)))


def series_label(breakdowns: tuple[str, ...], combo: tuple, spec: IndicatorSpec, lang: str) -> str:
    parts = [category_label(b, c, lang) for b, c in zip(breakdowns, combo, strict=True)
             if not (b == "statistic" and c == TOTAL_CODES["statistic"] and len(breakdowns) > 1)]
    return " – ".join(parts) or spec.name[lang]


def data_table(spec: IndicatorSpec, frame: pd.DataFrame, lang: str) -> dict:
    """The accessible table: years down the side and one column per series, or, when there are many
    series (counties, say), one row per series and the years across."""
    unit = unit_label(spec, lang)
    breakdowns = spec.output_breakdowns
    years = sorted(frame["year"].unique().tolist())
    by_key = {tuple(r[k] for k in ["year", *breakdowns]): r for _, r in frame.iterrows()}
    combos = _series_keys(spec, frame, breakdowns)
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
    legend = sorted(used, key=lambda m: (m[0] == "[ill.]", m[0]))
    caption = t("site.table_caption", lang, name=spec.name[lang], unit=unit)
    return {"caption": caption, "columns": columns, "rows": rows, "legend": legend}


def summary_sentence(spec: IndicatorSpec, frame: pd.DataFrame, lang: str) -> str:
    """A factual one-sentence summary of the headline series: latest value and the baseline."""
    series = main_series(frame, spec).dropna(subset=["value"])
    if series.empty:
        return t("site.summary_empty", lang)
    latest = series.iloc[-1]
    base = series[series["year"] == spec.baseline_year]
    values = {"latest_year": int(latest["year"]),
              "latest": format_value(float(latest["value"]), spec.unit, spec.decimals, lang)}
    if base.empty or int(latest["year"]) == spec.baseline_year:
        return t("site.summary_latest", lang, **values)
    return t("site.summary_with_baseline", lang, **values, baseline_year=spec.baseline_year,
             baseline=format_value(float(base.iloc[0]["value"]), spec.unit, spec.decimals, lang))


def figures(spec: IndicatorSpec, frame: pd.DataFrame, lang: str, caption: str | None = None) -> list[dict]:
    """A line chart of up to six series (the headline alone when there are more), and for regional
    indicators a bar chart of the counties in the latest year."""
    unit = unit_label(spec, lang)
    percent = spec.unit == "percent"
    years = sorted(frame["year"].unique().tolist())
    breakdowns = spec.output_breakdowns
    combos = _series_keys(spec, frame, breakdowns)
    if "region" in breakdowns or "measure" in breakdowns or len(combos) > 6:
        # Measures on different scales (MVK15's count and ratio) never share an axis: chart the main one.
        combos = [tuple(spec.main_codes[b] for b in breakdowns)]
    result, series = [], []
    for combo in combos:
        part = frame
        for b, code in zip(breakdowns, combo, strict=True):
            part = part[part[b] == code]
        by_year = {int(r["year"]): r for _, r in part.iterrows()}
        series.append(charts.Series(
            name=series_label(breakdowns, combo, spec, lang), x=years,
            y=[None if y not in by_year or pd.isna(by_year[y]["value"]) else float(by_year[y]["value"]) for y in years],
            illustrative=[bool(by_year[y]["illustrative"]) if y in by_year else False for y in years],
        ))
    breaks = break_years(spec, frame, combos)
    fig = charts.line_figure(series, unit_title=unit, percent=percent, decimals=spec.decimals, lang=lang,
                             breaks=breaks)
    drawn = [y for y in breaks if y != years[0]]
    result.append({"id": f"fig-{spec.id}-trend", "json": Markup(charts.figure_json(fig)),
                   "label": t("site.chart_trend_label", lang, name=spec.name[lang], first=years[0], last=years[-1]),
                   "caption": (caption or summary_sentence(spec, frame, lang))
                   + (" " + t("flags.chart_break_caption", lang) if drawn else "")})
    if "region" in breakdowns and frame["value"].notna().any():
        latest_year = int(frame.dropna(subset=["value"])["year"].max())
        part = frame[(frame["year"] == latest_year) & (frame["region"] != "00")]
        for other in breakdowns:
            if other != "region":
                part = part[part[other] == TOTAL_CODES[other]]
        part = part.sort_values(["value", "region"], ascending=[False, True], na_position="last")
        fig = charts.bar_figure(
            [category_label("region", c, lang) for c in part["region"]],
            [None if pd.isna(v) else float(v) for v in part["value"]],
            [bool(i) for i in part["illustrative"]],
            unit_title=unit, percent=percent, decimals=spec.decimals, lang=lang)
        result.append({"id": f"fig-{spec.id}-regions", "json": Markup(charts.figure_json(fig)),
                       "label": t("site.chart_regions_label", lang, name=spec.name[lang], year=latest_year),
                       "caption": t("site.chart_regions_caption", lang, year=latest_year)
                       + (" " + t("site.chart_hatched_illustrative", lang) if part["illustrative"].any() else "")})
    return result


def break_years(spec: IndicatorSpec, frame: pd.DataFrame, combos: list[tuple]) -> list[int]:
    """Years flagged b (break in series) in any of the charted series, for the chart's break lines."""
    mask = pd.Series(False, index=frame.index)
    for combo in combos:
        part = pd.Series(True, index=frame.index)
        for b, code in zip(spec.output_breakdowns, combo, strict=True):
            part &= frame[b] == code
        mask |= part
    flagged = frame[mask & frame["flag"].str.contains("b")]
    return sorted({int(y) for y in flagged["year"]})


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
            series = main_series(frame, spec).dropna(subset=["value"])
            latest = series.iloc[-1] if not series.empty else None
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
    for _, r in frame.iterrows():
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
    for _, r in frame.iterrows():
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


def render_pages(inputs: SiteInputs) -> dict[str, str]:
    env = environment()
    pages: dict[str, str] = {}
    hidden_counts = suppression_counts(inputs)
    any_illustrative = any(bool(f["illustrative"].any()) for f in inputs.results.values())
    for lang in LANGUAGES:
        other = "en" if lang == "sv" else "sv"
        common = {"lang": lang, "other_lang": other, "edition": inputs.edition,
                  "code_version": inputs.code_version, "plotly_file": PLOTLY_FILE,
                  "css": Markup((STATIC_DIR / "report.css").read_text(encoding="utf-8")),
                  "t": lambda key, _lang=lang, **kw: t(key, _lang, **kw)}
        objectives = []
        for objective in OBJECTIVES:
            items = []
            for spec in inputs.catalogue.values():
                if objective not in spec.strategy_objectives:
                    continue
                if spec.is_development:
                    items.append({"id": spec.id, "name": spec.name[lang], "href": f"indicators/{spec.id}.html",
                                  "unit": unit_label(spec, lang), "year": "",
                                  "value": Cell(t("site.development_short", lang)), "progress": "",
                                  "progress_class": "", "progress_illustrative": False, "illustrative": False})
                    continue
                frame = inputs.results[spec.id]
                series = main_series(frame, spec).dropna(subset=["value"])
                latest = series.iloc[-1] if not series.empty else None
                judged = inputs.main_assessment(spec)
                items.append({"id": spec.id, "name": spec.name[lang], "href": f"indicators/{spec.id}.html",
                              "unit": unit_label(spec, lang),
                              "year": int(latest["year"]) if latest is not None else "",
                              "value": value_cell(latest, spec, lang),
                              "progress": progress_label(judged["progress"], lang) if judged else "",
                              "progress_class": judged["progress"] if judged else "",
                              "progress_illustrative": bool(judged and judged.get("illustrative", False)),
                              "illustrative": bool(frame["illustrative"].any())})
            objectives.append({"number": objective, "name": t(f"objective.{objective}", lang), "items": items})
        path = _page_path(lang, "index.html")
        pages[path] = env.get_template("index.html.j2").render(
            **common, root=_root(path), other_href=_root(path) + _page_path(other, "index.html"),
            objectives=objectives, any_illustrative=any_illustrative,
            workbook_href=_root(path) + WORKBOOKS[lang], json_href=_root(path) + "data/indicators.json",
            programme_href="programme.html" if inputs.programme is not None else None)
        for spec in inputs.catalogue.values():
            rel = f"indicators/{spec.id}.html"
            path = _page_path(lang, rel)
            page = {**common, "root": _root(path), "other_href": _root(path) + _page_path(other, rel),
                    "spec": spec, "name": spec.name[lang], "definition": spec.definition[lang],
                    "caveat": spec.caveats.get(lang, ""), "unit": unit_label(spec, lang),
                    "direction": t(f"direction.{spec.direction}", lang),
                    "objectives": [t(f"objective.{o}", lang) for o in spec.strategy_objectives]}
            if spec.is_development:
                pages[path] = env.get_template("development.html.j2").render(
                    **page, data_needed=spec.data_needed[lang])
                continue
            frame = inputs.results[spec.id]
            flags_used = sorted({letter for f in frame["flag"] for letter in letters(f)}, key=GSS_FLAGS.index)
            judged = inputs.main_assessment(spec)
            pages[path] = env.get_template("indicator.html.j2").render(
                **page, figures=figures(spec, frame, lang, marked(judged[f"summary_{lang}"], bool(
                    judged.get("illustrative", False))) if judged else None),
                table=data_table(spec, frame, lang),
                main_assessment=judged and {"label": progress_label(judged["progress"], lang),
                                            "progress": judged["progress"], "summary": judged[f"summary_{lang}"],
                                            "illustrative": bool(judged.get("illustrative", False))},
                assessments=assessment_table(spec, inputs.assessment_rows(spec), lang),
                sources=[source_view(inputs.sources[s], inputs.snapshots, lang) for s in spec.sources],
                flags=[(f, t(f"flag.{f}", lang)) for f in flags_used],
                disclosure=disclosure_sentence(hidden_counts.get(spec.id), lang),
                suppression_href=f"{_root(path)}{SUPPRESSION_CSV}",
                illustrative=bool(frame["illustrative"].any()),
                csv_href=f"{_root(path)}data/indicators/{spec.id}.csv",
                provenance_href=f"{_root(path)}data/provenance/{spec.id}.csv")
        if inputs.programme is not None:
            pages.update(programme_pages(inputs.programme, env, common, lang, _page_path, _root))
    return pages


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


def write_site(inputs: SiteInputs, site_dir: Path, *, build_time: str) -> Path:
    """Write the whole site next to ``site_dir`` and swap it in; returns the Swedish index page."""
    staging = site_dir.with_name(site_dir.name + ".new")
    if staging.exists():
        shutil.rmtree(staging)
    files: dict[str, bytes] = {
        f"assets/{PLOTLY_FILE}": get_plotlyjs().encode("utf-8"),
        "assets/charts.js": (STATIC_DIR / "charts.js").read_bytes(),
        "data/sources.csv": snapshots_csv(inputs.snapshots).encode("utf-8"),
        "data/indicators.json": indicators_json(inputs).encode("utf-8"),
        SUPPRESSION_CSV: suppression_csv(inputs).encode("utf-8"),
    }
    computed = {i: spec for i, spec in inputs.catalogue.items() if not spec.is_development}
    for lang in LANGUAGES:
        summaries = {}
        for spec in computed.values():
            judged = inputs.main_assessment(spec)
            if judged:
                summaries[spec.id] = marked(judged[f"summary_{lang}"], bool(judged.get("illustrative", False)))
        files[WORKBOOKS[lang]] = workbook_bytes(lang=lang, edition=inputs.edition, catalogue=computed,
                                                results=inputs.results, sources=inputs.sources,
                                                assessments=summaries)
    for spec in inputs.catalogue.values():
        if spec.is_development:
            continue
        frame = inputs.results[spec.id]
        files[f"data/indicators/{spec.id}.csv"] = contract_csv(spec, frame).encode("utf-8")
        files[f"data/provenance/{spec.id}.csv"] = provenance_csv(spec, frame).encode("utf-8")
    if inputs.programme is not None:
        files.update(programme_downloads(inputs.programme))
    for path, html in render_pages(inputs).items():
        files[path] = html.encode("utf-8")
    for rel, content in sorted(files.items()):
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    manifest = {
        "edition": inputs.edition,
        "build_time": build_time,
        "code_version": inputs.code_version,
        "plotly_js": get_plotlyjs_version(),
        "inputs": [{"path": f.path, "sha256": f.sha256, "bytes": f.bytes} for f in inputs.inputs],
        "files": {rel: hashlib.sha256(content).hexdigest() for rel, content in sorted(files.items())},
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
    if site_dir.exists() and exchange_directories(staging, site_dir):
        shutil.rmtree(staging)          # the previous site, swapped out in one step
        return site_dir / "index.html"
    previous = site_dir.with_name(site_dir.name + ".old")   # no atomic exchange here: two renames
    if previous.exists():
        shutil.rmtree(previous)
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    if previous.exists():
        shutil.rmtree(previous)
    return site_dir / "index.html"
