"""The editions page (editions.html) and "Vad har ändrats" / "What changed" (changes.html), per language.

The changes are computed before rendering (``reports.changes.compare``, in ``SiteInputs.changes``);
this module only turns the records into rows a reader understands: labels for series and kinds,
numbers in the page's language, the flags as markers. ``indicator_section`` is the same for one
indicator page.
"""

from __future__ import annotations

import json

import jinja2

from indicators.assessment import PROGRESS_CLASSES, progress_label
from indicators.flags import letters
from indicators.formatting import format_number
from indicators.i18n import t
from reports.changes import KINDS, Changes
from reports.site import SiteInputs, category_label


def _number(text: str, lang: str) -> str:
    """A published value in the page's language, with exactly the decimals it was published with."""
    if text in ("", None):
        return t("editions.changes.no_value", lang)
    try:
        value = float(text)
    except ValueError:
        return text
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return format_number(value, decimals, lang)


def _series(series: str, lang: str) -> str:
    parts = [part.split("=", 1) for part in series.split("; ") if "=" in part]
    return " – ".join(category_label(b, code, lang) for b, code in parts) or "–"


def _verdict(progress: str, lang: str) -> str:
    return progress_label(progress, lang) if progress in PROGRESS_CLASSES else (progress or "–")


def _in_language(text: str, lang: str) -> str:
    """A catalogue field as published (JSON for texts in both languages and lists) in the page's language."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    if isinstance(value, dict) and lang in value:
        return str(value[lang])
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return text


def _field(name: str, lang: str) -> str:
    return t(f"editions.field.{name}", lang)


def indicator_rows(records: list[dict], lang: str) -> list[dict]:
    """One table row per change of an indicator: what, series, year, before, now, flags, file, date."""
    rows = []
    for r in records:
        kind = r["kind"]
        old, new = r["old"], r["new"]
        if kind == "indicator_redefined":
            change = t("editions.one.indicator_redefined", lang, field=_field(r["field"], lang))
            old, new = _in_language(old, lang), _in_language(new, lang)
        else:
            change = t(f"editions.one.{kind}", lang)
        if kind in ("revised", "new_point", "removed_point") and r["field"] != "flag":
            old = _number(old, lang) if kind != "new_point" else ""
            new = _number(new, lang) if kind != "removed_point" else ""
        elif kind == "verdict_changed":
            old, new = _verdict(old, lang), _verdict(new, lang)
        elif kind in ("indicator_added", "indicator_retired"):
            old = new = ""       # the name is the section's heading (in the page's language)
        markers = [(f"[{letter}]", t(f"flag.{letter}", lang)) for letter in letters(r["flag"])]
        series = _series(r["series"], lang) if r["series"] else ("–" if r["year"] != "" else "")
        rows.append({"change": change, "kind": kind, "series": series,
                     "year": r["year"], "old": old, "new": new, "markers": markers,
                     "source_file": r["source_file"], "revised_on": r["revised_on"]})
    return rows


def indicator_section(inputs: SiteInputs, indicator_id: str, lang: str) -> dict | None:
    """What an indicator page shows under "Changed since edition …" (None: no comparison was made)."""
    changes: Changes | None = inputs.changes
    if changes is None:
        return None
    if changes.previous_edition is None:
        return {"heading": t("editions.page.title", lang), "rows": [],
                "empty": t("editions.indicator.first", lang, edition=changes.edition)}
    return {"heading": t("editions.indicator.heading", lang, previous=changes.previous_edition),
            "rows": indicator_rows(changes.for_indicator(indicator_id), lang),
            "empty": t("editions.indicator.none", lang, previous=changes.previous_edition),
            "anchor": f"changes.html#{indicator_id}"}


def _measure_rows(inputs: SiteInputs, records: list[dict], lang: str) -> list[dict]:
    from reports.programme import agency_name, status_label

    programme = inputs.programme
    register = programme.register if programme is not None else None
    rows = []
    for r in records:
        measure = register.measures.get(r["measure_id"]) if register else None
        rows.append({"id": r["measure_id"], "title": measure.title[lang] if measure else "",
                     "href": f"measures/{r['measure_id']}.html" if measure else None,
                     "agency": agency_name(register, r["agency_id"], lang) if register and r["agency_id"] else
                     (r["agency_id"] or "–"),
                     "what": _field(r["field"], lang),
                     "old": status_label(register, r["old"] or None, lang) if register else r["old"],
                     "new": status_label(register, r["new"] or None, lang) if register else r["new"]})
    return rows


def _source_rows(inputs: SiteInputs, records: list[dict], lang: str) -> list[dict]:
    rows = []
    for r in records:
        spec = inputs.sources.get(r["source_id"])
        rows.append({"id": r["source_id"], "title": spec.title[lang] if spec else "",
                     "new": r["new"].split(" ") if r["new"] else [], "old": r["old"].split(" ") if r["old"] else [],
                     "retrieved": r["revised_on"]})
    return rows


def changes_context(inputs: SiteInputs, lang: str) -> dict:
    changes: Changes | None = inputs.changes
    if changes is None or changes.previous_edition is None:
        return {"first": True}
    counts = changes.summary()
    summary = [{"kind": kind, "label": t(f"editions.kind.{kind}", lang), "count": counts[kind]} for kind in KINDS]
    sections = []
    for indicator_id in changes.indicators_changed():
        spec = inputs.catalogue.get(indicator_id)
        name = spec.name[lang] if spec else t("editions.changes.indicator_gone", lang)
        sections.append({"id": indicator_id, "name": name, "href": f"indicators/{indicator_id}.html" if spec else None,
                         "caption": t("editions.changes.caption", lang, id=indicator_id, name=name),
                         "rows": indicator_rows(changes.for_indicator(indicator_id), lang)})
    measures = [r for r in changes.records if r["kind"] == "measure_status"]
    sources = [r for r in changes.records if r["kind"] == "source_updated"]
    return {"first": False, "previous": changes.previous_edition, "previous_code": changes.previous_code_version,
            "summary": summary, "total": len(changes.records), "sections": sections,
            "measures": _measure_rows(inputs, measures, lang), "sources": _source_rows(inputs, sources, lang)}


def render(inputs: SiteInputs, env: jinja2.Environment, lang: str, common: dict) -> dict[str, str]:
    pages = {}
    frame = common["page"]("changes.html", [(t("editions.changes.title", lang), None)])
    pages[frame["path"]] = env.get_template("changes.html.j2").render(
        **{**common, **frame}, **changes_context(inputs, lang))
    frame = common["page"]("editions.html", [(t("editions.page.title", lang), None)])
    root = frame["root"]
    editions = []
    for entry in reversed(inputs.editions or ()):
        # Links to the other editions go through ../editions/<e>/ from OUT/site; reports.editions.publish
        # rewrites them to ../<e>/ in the edition's own copy of this page (the only page it changes).
        href = (f"{frame['home']}index.html" if entry.current else
                f"{root}../editions/{entry.name}/{'' if lang == 'sv' else 'en/'}index.html")
        editions.append({"name": entry.name, "date": entry.date, "code": entry.code_version,
                         "current": entry.current, "href": href,
                         "changes_href": f"{frame['home']}changes.html" if entry.current else
                         f"{root}../editions/{entry.name}/{'' if lang == 'sv' else 'en/'}changes.html"})
    pages[frame["path"]] = env.get_template("editions.html.j2").render(**{**common, **frame}, editions=editions)
    return pages
