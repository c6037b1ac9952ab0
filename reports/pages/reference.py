"""The reference pages (issue 9 items 7 and 8): sources and release calendar (sources.html), methods
and glossary (methods.html), the accessibility statement (accessibility.html) and the about page
(about.html), in the language ``lang``.

Facts come from the catalogues and the warehouse, never from the templates: the release calendar is
``indicators.freshness.next_release``, the same rule ``mvk status`` applies, judged on the build's date
(``SiteInputs.build_date``, a date and not a time, so two builds on the same day give the same pages);
the breaks are every ``series_breaks`` entry of the source and indicator specs; the suppression counts
are those of ``data/suppression.csv``. Every word is in ``indicators/messages/site_reference.yaml``.
"""

from __future__ import annotations

from datetime import date

import jinja2
import pandas as pd

from indicators.assessment import PROGRESS_CLASSES, progress_label
from indicators.formatting import iso_date
from indicators.freshness import next_release
from indicators.i18n import t
from indicators.sources import SourceSpec
from reports.site import (
    GSS_FLAGS,
    SUPPRESSION_CSV,
    SiteInputs,
    category_label,
    suppression_counts,
)

GLOSSARY = ("delmal", "atgard", "skrivelse", "gkf", "gf", "barnfrid", "relation", "anmalda", "lagforda", "dodligt",
            "kontaktforbud", "ntu", "oj", "stod", "heder", "utveckling", "geografi", "tidsseriebrott")
METHOD_SECTIONS = ("assessment", "flags", "disclosure", "illustrative", "reference-years", "breaks", "glossary")
SHORTCOMINGS = ("charts", "hover", "language", "documents", "search")
STATE_ORDER = {"overdue": 0, "on_time": 1, "irregular": 2, "not_loaded": 3}


def render(inputs: SiteInputs, env: jinja2.Environment, lang: str, common: dict) -> dict[str, str]:
    today = judged_on(inputs, common)
    return {
        "sources.html": _page(env, "sources.html.j2", common, "sources.html", t("ref.sources.title", lang), "sources",
                              calendar=release_calendar(inputs, lang, today), as_of=today.isoformat()),
        "methods.html": _page(env, "methods.html.j2", common, "methods.html", t("ref.methods.title", lang), "methods",
                              **methods_view(inputs, lang)),
        "accessibility.html": _page(env, "accessibility.html.j2", common, "accessibility.html",
                                    t("ref.a11y.title", lang), None,
                                    shortcomings=[t(f"ref.a11y.shortcoming.{key}", lang) for key in SHORTCOMINGS],
                                    statement_date=today.isoformat()),
        "about.html": _page(env, "about.html.j2", common, "about.html", t("ref.about.title", lang), None,
                            programme=programme_facts(inputs, lang), built=today.isoformat()),
    }


def _page(env: jinja2.Environment, template: str, common: dict, rel: str, title: str, nav_current: str | None,
          **context) -> str:
    frame = common["page"](rel, [(title, None)], nav_current)
    return env.get_template(template).render(**common, **frame, **context)


def judged_on(inputs: SiteInputs, common: dict) -> date:
    """The day the overdue judgement is made: the build's date; without one (a test's hand-made
    inputs), the latest retrieval date, so a page never depends on the clock."""
    return date.fromisoformat(inputs.build_date or common.get("data_as_of") or "1970-01-01")


# ------------------------------------------------------------------------------------- sources.html
def months_text(months: tuple[int, ...], lang: str) -> str:
    """The release window as ``next_release`` reads it: first to last month ("mars–april")."""
    first, last = min(months), max(months)
    names = [t(f"ref.month.{first}", lang)] + ([t(f"ref.month.{last}", lang)] if last != first else [])
    return "–".join(names)


def rhythm_text(spec: SourceSpec, lang: str) -> str:
    if not spec.release_months:
        return t("ref.rhythm.none", lang)
    if spec.release_every_years <= 0:
        return t("ref.rhythm.irregular", lang)
    every = spec.release_every_years
    every_text = t("ref.rhythm.every1", lang) if every == 1 else t("ref.rhythm.every2", lang) if every == 2 \
        else t("ref.rhythm.every_n", lang, n=every)
    lag = spec.release_lag_years
    lag_text = t("ref.rhythm.lag0", lang) if lag == 0 else t("ref.rhythm.lag1", lang) if lag == 1 \
        else t("ref.rhythm.lag_n", lang, n=lag)
    return t("ref.rhythm.sentence", lang, every=every_text, months=months_text(spec.release_months, lang), lag=lag_text)


def source_state(spec: SourceSpec, latest_year: int | None, today: date) -> tuple[str, object]:
    """(state, release) by the rule of ``mvk status`` (pipelines/status.py): irregular without a
    calendar, overdue after the last day of the release window, else on time; not loaded without data."""
    release = next_release(spec, latest_year)
    if latest_year is None:
        return "not_loaded", release
    if release is None:
        return "irregular", None
    return ("overdue" if release.overdue(today) else "on_time"), release


def release_calendar(inputs: SiteInputs, lang: str, today: date) -> dict:
    """Every source with its facts, and the calendar rows ordered by due date (overdue first)."""
    snapshots = inputs.snapshots if not inputs.snapshots.empty else pd.DataFrame(
        columns=["sha256", "source_id", "original_name", "retrieved"])
    users: dict[str, list[dict]] = {}
    for spec in inputs.catalogue.values():
        for source_id in spec.sources:
            users.setdefault(source_id, []).append({"id": spec.id, "name": spec.name[lang],
                                                    "href": f"indicators/{spec.id}.html"})
    sources = []
    for spec in sorted(inputs.sources.values(), key=lambda s: (s.publisher[lang], s.title[lang])):
        own = snapshots[snapshots["source_id"] == spec.id].sort_values("original_name")
        files = [{"name": r["original_name"], "retrieved": iso_date(r["retrieved"])} for _, r in own.iterrows()]
        retrieved = max((f["retrieved"] for f in files if f["retrieved"]), default="")
        latest = inputs.source_years.get(spec.id)
        state, release = source_state(spec, latest, today)
        sources.append({
            "id": spec.id, "anchor": f"source-{spec.id}", "title": spec.title[lang], "publisher": spec.publisher[lang],
            "table": spec.table_id, "url": spec.url, "licence": spec.licence[lang], "latest_year": latest,
            "retrieved": retrieved, "files": files, "rhythm": rhythm_text(spec, lang), "public": spec.public,
            "state": state, "state_label": t(f"ref.state.{state}", lang),
            "next_year": release.data_year if release else None,
            "expected": t("ref.sources.expected", lang, months=months_text(spec.release_months, lang),
                          year=release.first_day.year, due=release.due.isoformat()) if release else "",
            "due": release.due.isoformat() if release else "",
            "caveat": spec.caveats.get(lang, ""),
            "breaks": [{"year": b["year"], "text": b[lang]} for b in spec.series_breaks],
            "indicators": users.get(spec.id, []),
        })
    calendar = sorted(sources, key=lambda s: (STATE_ORDER[s["state"]], s["due"] or "9999", s["title"]))
    regular = [s for s in sources if s["state"] in ("overdue", "on_time")]
    return {"sources": sources, "rows": calendar,
            "overdue": sum(s["state"] == "overdue" for s in sources), "regular": len(regular)}


# ------------------------------------------------------------------------------------- methods.html
def methods_view(inputs: SiteInputs, lang: str) -> dict:
    return {
        "sections": METHOD_SECTIONS,
        "classes": [{"code": c, "label": progress_label(c, lang), "meaning": t(f"ref.methods.class.{c}", lang)}
                    for c in PROGRESS_CLASSES],
        "flags": [{"marker": f"[{f}]", "meaning": t(f"flag.{f}", lang),
                   "origin": t(f"ref.methods.flag_origin.{f}", lang)} for f in GSS_FLAGS],
        "suppression": [{"id": i, "name": inputs.catalogue[i].name[lang], "href": f"indicators/{i}.html", **counts}
                        for i, counts in suppression_counts(inputs).items()],
        "suppression_csv": SUPPRESSION_CSV,
        "illustrative": illustrative_indicators(inputs, lang),
        "breaks": series_breaks(inputs, lang),
        "glossary": [{"key": key, "term": t(f"ref.glossary.{key}.term", lang),
                      "other": t(f"ref.glossary.{key}.term", "en" if lang == "sv" else "sv"),
                      "text": t(f"ref.glossary.{key}.text", lang)} for key in GLOSSARY],
    }


def illustrative_indicators(inputs: SiteInputs, lang: str) -> list[dict]:
    """Computed indicators holding any illustrative value, with how many of their values are."""
    rows = []
    for spec in inputs.catalogue.values():
        frame = inputs.results.get(spec.id)
        if spec.is_development or frame is None or frame.empty:
            continue
        flagged = int(frame["illustrative"].astype(bool).sum())
        if flagged:
            rows.append({"id": spec.id, "name": spec.name[lang], "href": f"indicators/{spec.id}.html",
                         "count": t("ref.methods.illustrative_count", lang, illustrative=flagged, total=len(frame))})
    return rows


def _break_rows(inputs: SiteInputs, source_id: str, year: int) -> list[str]:
    """Indicators built on the source whose published rows carry the break marker in that year."""
    hit = []
    for spec in inputs.catalogue.values():
        frame = inputs.results.get(spec.id)
        if source_id not in spec.sources or frame is None or frame.empty:
            continue
        rows = frame[frame["year"] == year]
        if rows["flag"].fillna("").str.contains("b").any():
            hit.append(spec.id)
    return hit


def series_breaks(inputs: SiteInputs, lang: str) -> list[dict]:
    """Every declared break: each source's ``series_breaks`` (with the codes it is limited to) and
    each indicator's own, the latter folded into its source's row when both name the same year.

    "Affects" lists the indicators built on the source whose published series carry [b] that year,
    so a break limited to assault rows does not name the contact-ban indicator."""
    rows: list[dict] = []
    by_key: dict[tuple[str, int], dict] = {}
    for spec in sorted(inputs.sources.values(), key=lambda s: s.id):
        for entry in spec.series_breaks:
            year = int(entry["year"])
            scope = "; ".join(", ".join(category_label(dim, str(code), lang) for code in codes)
                              for dim, codes in (entry.get("match") or {}).items())
            row = {"year": year, "series": spec.title[lang], "publisher": spec.publisher[lang],
                   "href": f"sources.html#source-{spec.id}", "change": entry[lang],
                   "scope": t("ref.methods.breaks_some_rows", lang, what=scope) if scope else "",
                   "indicators": _break_rows(inputs, spec.id, year)}
            rows.append(row)
            by_key[(spec.id, year)] = row
    for spec in inputs.catalogue.values():
        for entry in spec.series_breaks:
            year = int(entry["year"])
            shared = next((by_key[(s, year)] for s in spec.sources if (s, year) in by_key), None)
            if shared is not None:
                if spec.id not in shared["indicators"]:
                    shared["indicators"].append(spec.id)
                continue
            rows.append({"year": year, "series": f"{spec.id} {spec.name[lang]}", "publisher": "",
                         "href": f"indicators/{spec.id}.html",
                         "change": entry.get(lang) or t("ref.methods.breaks_indicator_spec", lang), "scope": "",
                         "indicators": [spec.id]})
    for row in rows:
        row["indicators"] = [{"id": i, "href": f"indicators/{i}.html"} for i in sorted(row["indicators"])]
    return sorted(rows, key=lambda r: (r["year"], r["series"]))


# --------------------------------------------------------------------------------------- about.html
def programme_facts(inputs: SiteInputs, lang: str) -> dict | None:
    if inputs.programme is None:
        return None
    facts = inputs.programme.register.programme or {}
    title, period = facts.get("title", {}), facts.get("period") or [2024, 2026]
    presented = facts.get("presented")
    return {"title": title.get(lang, ""), "first": period[0], "last": period[-1],
            "presented": presented.isoformat() if hasattr(presented, "isoformat") else str(presented or ""),
            "count": facts.get("measure_count") or len(inputs.programme.register.measures),
            "url": facts.get("source_url", "")}
