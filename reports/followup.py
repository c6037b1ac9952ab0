"""The national follow-up as a view model: key results per strategy objective.

Shared by the site's overview (``reports/pages/overview.py``) and the print edition, so the two can
never tell a reader different things. Everything here is computed from the assessment FACTS in
``indicators.assessment`` (class, rule, illustrative years), never from the assessment sentences,
and every word comes from ``indicators/messages/site_core.yaml``.

Rules a reader relies on (docs/assessment.md):

* ``down*`` indicators (reported offences) and ``contextual`` ones are "not assessed": they are
  never counted among improving or deteriorating, never get a verdict class (colour) and are named
  in a sentence of their own that says why;
* counts of indicators are words up to twelve ("åtta indikatorer"), digits from 13;
* a verdict that rests on any illustrative value is named as such in the paragraph (BRIEF §12).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

import pandas as pd
from markupsafe import Markup, escape

from indicators.assessment import progress_label
from indicators.formatting import format_number
from indicators.i18n import t
from indicators.registry import IndicatorSpec
from reports.programme import agency_name
from reports.sentences import _Words, capitalise, number_word

if TYPE_CHECKING:   # reports.site imports the page modules that import this one
    from reports.site import SiteInputs

OBJECTIVES = (1, 2, 3, 4)
JUDGED = ("improving", "deteriorating", "no_clear_change")     # the classes "with sufficient data"
VERDICT_CLASSES = {"improving", "deteriorating", "no_clear_change", "insufficient_data", "break_in_series"}


# ------------------------------------------------------------------------------------------- words
def count_word(n: int, lang: str) -> str:
    """A count of indicators or verdicts (common gender in Swedish: "en", not "ett")."""
    return t("site_core.count.one", lang) if n == 1 else number_word(n, lang)


def join_list(items: list[str], lang: str) -> str:
    """"a, b och c" / "a, b and c" (no serial comma, as docs/assessment.md asks)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + t("sentences.list_and", lang) + items[-1]


def subject(spec: IndicatorSpec, breakdown: str, lang: str) -> str:
    """The indicator's main series in the definite form, lower case, as the assessment sentences
    name it ("andelen personer 16–84 år som utsattes för sexualbrott"): one wording on the whole site.

    ``_Words.subject`` reads only the breakdown of the assessment, so a namespace holding it is enough.
    """
    codes = dict(item.split("=", 1) for item in (breakdown or "").split("; ") if item)
    return _Words(SimpleNamespace(breakdown=codes), spec, lang).subject()   # type: ignore[arg-type]


def named(spec: IndicatorSpec, breakdown: str, lang: str) -> str:
    return t("site_core.key.named", lang, subject=subject(spec, breakdown, lang), id=spec.id)


# ---------------------------------------------------------------------------------------- the items
def _change_text(spec: IndicatorSpec, change: float, lang: str) -> str:
    sign = "+" if change > 0 else ("\u2212" if change < 0 else "\u00b1")
    number = format_number(abs(change), spec.decimals, lang)
    return t(f"site_core.change.{spec.unit}", lang, sign=sign, number=number)


def sparkline_points(series: list[dict]) -> list[dict]:
    """The main series (rows in year order) as [{year, value, illustrative}] (value None where missing)."""
    return [{"year": int(r["year"]), "value": None if pd.isna(r["value"]) else float(r["value"]),
             "illustrative": bool(r["illustrative"])} for r in series]


def item(inputs: SiteInputs, spec: IndicatorSpec, lang: str) -> dict:
    """One headline tile: the indicator's main series, its latest value, the change since the
    baseline (or over the comparable period when a break cuts the series), and the verdict.

    ``verdict_class`` is empty for ``not_assessed`` (down*, contextual) and development
    indicators, so no page can colour them.
    """
    from reports.site import known_rows, main_rows, value_cell  # late: reports.site imports the page modules

    base = {"id": spec.id, "name": spec.name[lang], "href": f"indicators/{spec.id}.html", "direction": spec.direction,
            "development": spec.is_development, "unit": t(f"unit.{spec.unit}", lang)}
    if spec.is_development:
        return {**base, "value": "", "markers": [], "year": None, "change": "", "change_note": "",
                "data_needed": (spec.data_needed or {}).get(lang, ""),
                "verdict": t("site_core.tile.development", lang), "verdict_class": "", "progress": None,
                "illustrative": False, "verdict_illustrative": False, "sparkline": [], "breaks": []}
    frame = inputs.results[spec.id]
    series = main_rows(spec, frame)
    known = known_rows(series)
    latest = known[-1] if known else None
    cell = value_cell(latest, spec, lang)
    judged = inputs.main_assessment(spec)
    progress = judged["progress"] if judged else None
    breaks = [] if judged is None or judged.get("breaks") is None else [int(y) for y in judged["breaks"]]
    change, note = "", ""
    if judged is not None:
        since = judged.get("change_since_baseline")
        first, last = judged.get("period_first"), judged.get("period_last")
        if since is not None and not pd.isna(since) and judged.get("baseline_year") is not None:
            change = _change_text(spec, float(since), lang)
            note = t("site_core.change.since", lang, year=int(judged["baseline_year"]))
        elif first is not None and not pd.isna(first) and int(first) != int(last):
            values = {int(r["year"]): float(r["value"]) for r in known}
            if int(first) in values and int(last) in values:
                change = _change_text(spec, values[int(last)] - values[int(first)], lang)
                note = t("site_core.change.period", lang, first=int(first), last=int(last))
        if not change and breaks:
            note = t("site_core.change.across_break", lang)
    verdict_class = progress if progress in VERDICT_CLASSES and spec.direction not in ("down*", "contextual") else ""
    return {**base, "value": cell.text, "markers": list(cell.markers),
            "year": int(latest["year"]) if latest is not None else None,
            "change": change, "change_note": note,
            "verdict": progress_label(progress, lang) if progress else t("site.no_data", lang),
            "verdict_class": verdict_class, "progress": progress,
            "illustrative": bool(frame["illustrative"].any()),
            "latest_illustrative": bool(latest is not None and latest["illustrative"]),
            "verdict_illustrative": bool(judged and judged.get("illustrative", False)),
            "sparkline": sparkline_points(series), "breaks": breaks}


# ------------------------------------------------------------------------------------- the paragraph
def paragraph(inputs: SiteInputs, specs: list[IndicatorSpec], lang: str) -> str:
    """The key results of one objective in words, from the verdict classes of its indicators."""
    judged: dict[str, list[tuple[IndicatorSpec, dict]]] = {}
    development = []
    for spec in specs:
        if spec.is_development:
            development.append(spec)
            continue
        row = inputs.main_assessment(spec)
        if row is None:
            continue
        if spec.direction == "down*":
            kind = "down_star"
        elif spec.direction == "contextual" or row["progress"] == "not_assessed":
            kind = "contextual"
        else:
            kind = row["progress"]
        judged.setdefault(kind, []).append((spec, row))

    def names(kind: str) -> str:
        return join_list([named(s, r["breakdown"], lang) for s, r in judged.get(kind, [])], lang)

    parts = []
    with_data = [k for k in JUDGED if judged.get(k)]
    total = sum(len(judged[k]) for k in with_data)
    if total == 0:
        parts.append(t("site_core.key.none", lang))
    elif total == 1:
        kind = with_data[0]
        parts.append(t("site_core.key.one", lang, label=t(f"site_core.key.class.{kind}", lang), names=names(kind)))
    else:
        if len(with_data) == 1:
            opening = t("site_core.key.all_two" if total == 2 else "site_core.key.all", lang,
                        count=count_word(total, lang), label=t(f"site_core.key.class.{with_data[0]}", lang))
            parts.append(t("site_core.key.sentence_single", lang, opening=opening, names=names(with_data[0])))
        else:
            counts = join_list([t("site_core.key.count.one" if len(judged[k]) == 1 else "site_core.key.count.many",
                                  lang, count=count_word(len(judged[k]), lang),
                                  label=t(f"site_core.key.class.{k}", lang)) for k in with_data], lang)
            opening = t("site_core.key.counts", lang, total=count_word(total, lang), counts=counts)
            lists = "; ".join(t("site_core.key.list", lang, label=t(f"site_core.key.class.{k}", lang), names=names(k))
                              for k in with_data)
            parts.append(t("site_core.key.sentence", lang, opening=opening, lists=lists))
    illustrative = sorted(s.id for k in with_data for s, r in judged[k] if bool(r.get("illustrative", False)))
    if illustrative:
        if len(illustrative) == total == 2:
            parts.append(t("site_core.key.ill_both", lang))
        elif len(illustrative) == total and total > 2:
            parts.append(t("site_core.key.ill_all", lang, count=count_word(total, lang)))
        else:
            parts.append(t("site_core.key.ill_one" if len(illustrative) == 1 else "site_core.key.ill_many", lang,
                           ids=join_list(illustrative, lang)))
    for kind in ("insufficient_data", "break_in_series"):
        if judged.get(kind):
            parts.append(t(f"site_core.key.{kind}", lang, names=names(kind)))
    if judged.get("down_star"):
        parts.append(capitalise(t("site_core.key.down_star", lang, names=names("down_star"))))
    if judged.get("contextual"):
        many = len(judged["contextual"]) > 1
        parts.append(capitalise(t("site_core.key.contextual_many" if many else "site_core.key.contextual_one", lang,
                                  names=names("contextual"))))
    if development:
        dev = join_list([named(s, "", lang) for s in development], lang)
        parts.append(t("site_core.key.development_many" if len(development) > 1 else "site_core.key.development_one",
                       lang, names=dev))
    return " ".join(parts)


def objective_specs(inputs: SiteInputs, objective: int | str) -> list[IndicatorSpec]:
    """The indicators of a strategy objective (1–4) or a programme objective ("P1"–"P6"), in id order."""
    if isinstance(objective, int):
        return [s for s in inputs.catalogue.values() if objective in s.strategy_objectives]
    return [s for s in inputs.catalogue.values() if objective in s.programme_objectives]


def key_results(inputs: SiteInputs, lang: str) -> list[dict]:
    """Per strategy objective: number, name, the key-results paragraph, and a tile per indicator.

    Each item: id, name, href (site-relative), value (text), markers [(marker, explanation)], year,
    change and change_note, verdict (label) and verdict_class ('' for down*, contextual and
    development indicators), verdict_illustrative, illustrative (any value of the indicator),
    sparkline [{year, value, illustrative}] and breaks.
    """
    out = []
    for number in OBJECTIVES:
        specs = objective_specs(inputs, number)
        out.append({"number": number, "name": t(f"objective.{number}", lang),
                    "paragraph": paragraph(inputs, specs, lang),
                    "items": [item(inputs, spec, lang) for spec in specs]})
    return out


# ------------------------------------------------------------------------------------------ sparkline
SPARK_W, SPARK_H, SPARK_PAD = 120, 36, 4
SPARK_COLOUR = "#1d4f91"      # 8.4:1 against white (WCAG 1.4.11 asks 3:1)


def sparkline_svg(points: list[dict], breaks: list[int] | None = None) -> Markup:
    """A small inline SVG of the series, light enough for every tile and for print.

    Decorative (aria-hidden): the tile states the values in text. Published points are filled,
    illustrative ones drawn as rings (as in the charts); the line is broken at a series break.
    Presentation attributes only, no style attribute, so the page's CSP needs nothing for it.
    """
    known = [p for p in points if p["value"] is not None]
    if len(known) < 2:
        return Markup("")
    years = [p["year"] for p in points]
    lo, hi = min(p["value"] for p in known), max(p["value"] for p in known)
    span_y = (hi - lo) or 1.0
    span_x = (max(years) - min(years)) or 1

    def xy(p: dict) -> tuple[float, float]:
        x = SPARK_PAD + (p["year"] - min(years)) / span_x * (SPARK_W - 2 * SPARK_PAD)
        y = SPARK_H - SPARK_PAD - (p["value"] - lo) / span_y * (SPARK_H - 2 * SPARK_PAD)
        return round(x, 1), round(y, 1)

    cut = set(breaks or [])
    segments: list[list[dict]] = [[]]
    for p in points:
        if p["value"] is None or (p["year"] in cut and segments[-1]):
            segments.append([])
        if p["value"] is not None:
            segments[-1].append(p)
    paths = []
    for segment in segments:
        if len(segment) >= 2:
            d = " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(map(xy, segment)))
            paths.append(f'<path d="{d}" fill="none" stroke="{SPARK_COLOUR}" stroke-width="1.5"/>')
    for p in known:
        x, y = xy(p)
        fill = "#ffffff" if p["illustrative"] else SPARK_COLOUR
        paths.append(f'<circle cx="{x}" cy="{y}" r="2.2" fill="{fill}" stroke="{SPARK_COLOUR}" stroke-width="1.2"/>')
    return Markup(f'<svg class="sparkline" viewBox="0 0 {SPARK_W} {SPARK_H}" width="{SPARK_W}" height="{SPARK_H}" '
                  f'aria-hidden="true" focusable="false">{"".join(paths)}</svg>')


def tile_markers(markers: list[tuple[str, str]]) -> Markup:
    """The value's markers as <abbr> (shared by the overview and objective pages)."""
    return Markup("".join(f' <abbr title="{escape(e)}">{escape(m)}</abbr>' for m, e in markers))


# ------------------------------------------------------------------------------- the action programme
STATES = ("completed", "late", "not_due", "no_report", "discontinued")   # the follow-up states, reading order
STATE_COLOURS = {"completed": "#1b6e3a", "late": "#a3162e", "not_due": "#4a4a4a", "no_report": "#8a5a00",
                 "discontinued": "#5b4a7a"}    # all at least 4.5:1 against white


def programme_states(programme, lang: str, measure_ids: set[str] | None = None) -> list[dict]:
    """Measures per follow-up state ({state, label, count, illustrative}), optionally for a subset."""
    status = programme.tables["measure_status"]
    if measure_ids is not None:
        status = status[status["measure_id"].isin(measure_ids)]
    out = []
    for state in STATES:
        part = status[status["follow_up_state"] == state]
        out.append({"state": state, "label": t(f"ap.state.{state}", lang), "count": len(part),
                    "illustrative": bool(part["illustrative"].any()) if len(part) else False})
    return out


def state_chart_svg(states: list[dict], lang: str) -> Markup:
    """One horizontal bar per follow-up state with its label above and its count beside it. The table
    that follows the chart holds the same numbers; the image has them in its text alternative too.
    A dashed outline marks a state that rests on any illustrative report."""
    total = sum(s["count"] for s in states) or 1
    width, row = 360, 46
    height = row * len(states)
    label = t("site_core.programme.chart_label", lang, total=total,
              counts=join_list([f"{s['label'].lower()} {s['count']}" for s in states], lang))
    rows = []
    for n, s in enumerate(states):
        y = n * row
        w = round(s["count"] / total * width, 1)
        colour = STATE_COLOURS[s["state"]]
        pattern = ' stroke-dasharray="4 3"' if s["illustrative"] else ""
        rows.append(f'<text x="0" y="{y + 14}" font-size="13" fill="#1a1a1a">{escape(s["label"])}</text>'
                    f'<rect x="0" y="{y + 20}" width="{max(w, 1)}" height="18" fill="{colour}"/>'
                    f'<rect x="0" y="{y + 20}" width="{width}" height="18" fill="none" stroke="#767676"{pattern}/>'
                    f'<text x="{width + 8}" y="{y + 34}" font-size="14" font-weight="700" fill="#1a1a1a">'
                    f'{s["count"]}</text>')
    return Markup(f'<svg class="state-chart" viewBox="0 0 {width + 44} {height}" role="img" '
                  f'aria-label="{escape(label)}"><title>{escape(label)}</title>{"".join(rows)}</svg>')


def measures_for(programme, lang: str, *, programme_objective: str | None = None,
                 strategy_objective: int | None = None) -> list[dict]:
    """The measures of a programme or strategy objective with their follow-up state, by id."""
    status = programme.tables["measure_status"].set_index("measure_id")
    out = []
    for measure in programme.register.measures.values():
        if programme_objective is not None and measure.programme_objective != programme_objective:
            continue
        if strategy_objective is not None and strategy_objective not in measure.strategy_objectives:
            continue
        row = status.loc[measure.id] if measure.id in status.index else None
        state = row["follow_up_state"] if row is not None else "no_report"
        out.append({"id": measure.id, "title": measure.title[lang], "href": f"measures/{measure.id}.html",
                    "lead": agency_name(programme.register, measure.responsible[0], lang)
                    if measure.responsible else "",
                    "deadline": measure.deadline.isoformat() if measure.deadline else "",
                    "state": state, "state_label": t(f"ap.state.{state}", lang),
                    "illustrative": bool(row["illustrative"]) if row is not None else False})
    return out
