"""The action programme's pages (issue 9 items 4, 5, 6, 10): the overview (programme.html), one page
per measure (measures/<id>.html), the agencies (agencies/index.html, agencies/<id>.html) and the 2024
collaboration assignment (collaboration.html), in the language ``lang``.

The view models are in ``reports.programme`` (pure functions of the warehouse tables); this module
only decides which page gets which model and frames it (breadcrumbs, menu entry, language switch).
Paths in the returned dict, like every ``href`` in the models, are relative to the language's root
(``measures/A008.html``); ``render_pages`` puts the English ones under ``en/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import jinja2

from indicators.formatting import format_value
from indicators.i18n import t
from reports import programme as model
from reports import programme_followup as followup
from reports.page_reuse import Page, render_all

if TYPE_CHECKING:
    from reports.site import SiteInputs


def indicator_facts(inputs: SiteInputs) -> dict[str, dict]:
    """Per indicator: its name, its latest main-series value per language (with the year) and whether
    that value is illustrative, for the links from measure and collaboration pages."""
    from reports.site import known_rows, main_rows, row_decimals

    facts = {}
    for spec in inputs.catalogue.values():
        entry = {"name": dict(spec.name), "development": spec.is_development, "latest": {}, "illustrative": False}
        frame = inputs.results.get(spec.id)
        if frame is not None and not spec.is_development:
            series = known_rows(main_rows(spec, frame))
            if series:
                last = series[-1]
                entry["illustrative"] = bool(last["illustrative"])
                decimals = row_decimals(spec, last)
                entry["latest"] = {lang: f"{format_value(float(last['value']), spec.unit, decimals, lang)}"
                                         f" ({int(last['year'])})" for lang in ("sv", "en")}
        facts[spec.id] = entry
    return facts


def _frame(common: dict, lang: str, rel: str, crumbs: list[tuple[str, str | None]], nav: str | None) -> dict:
    """Root prefix, language switch, breadcrumbs and menu entry of a page: the core's ``page`` helper
    where render_pages supplies it, else the same computed here."""
    if "page" in common:
        return common["page"](rel, crumbs, nav)
    other = "en" if lang == "sv" else "sv"
    path = rel if lang == "sv" else f"en/{rel}"
    root = "../" * path.count("/")
    home = root + ("" if lang == "sv" else "en/")
    trail = [(t("pp.crumb.overview", lang), "index.html"), *crumbs]
    return {"path": path, "root": root, "other_href": root + (rel if other == "sv" else f"en/{rel}"),
            "breadcrumbs": [{"label": label, "href": home + href if href else None} for label, href in trail],
            "nav_current": nav}


def _home(rel: str) -> str:
    """The prefix that turns a language-relative href into one relative to the page (both pages are
    in the same language's tree, so ``../`` per folder of the page's own path)."""
    return "../" * rel.count("/")


def pages(inputs: SiteInputs, env: jinja2.Environment, lang: str, common: dict) -> list[Page]:
    """The programme's pages, each with the parts it shows (reports.page_reuse): all of the programme's
    tables, and for a measure page only the indicators the measure is linked to, so that a new indicator
    value renders again only the measures that show it."""
    data = inputs.programme
    if data is None:
        return []
    facts = indicator_facts(inputs)
    out = [Page("programme.html", overview_page, (data,))]
    for measure_id, measure in data.register.measures.items():
        if measure_id in data.status_by_measure:
            linked = {i: facts[i] for i in measure.indicators if i in facts}
            out.append(Page(f"measures/{measure_id}.html", measure_page, (data, measure_id, linked)))
    out.append(Page("agencies/index.html", agencies_page, (data,)))
    out += [Page(f"agencies/{row['id']}.html", agency_page, (data, row["id"]))
            for row in model.agencies_index_context(data, lang)]
    out.append(Page("collaboration.html", collaboration_page, (data, facts)))
    return out


def render(inputs: SiteInputs, env: jinja2.Environment, lang: str, common: dict) -> dict[str, str]:
    return render_all(pages(inputs, env, lang, common), env, lang, common)


def _render(env: jinja2.Environment, lang: str, common: dict, template: str, rel: str, crumbs, nav,
            **context) -> str:
    frame = _frame(common, lang, rel, crumbs, nav)
    base = {k: v for k, v in common.items() if k != "page"}
    return env.get_template(template).render({**base, **frame, "rel_root": _home(rel), **context})


def _programme_crumb(lang: str) -> tuple[str, str]:
    return (t("ap.nav", lang), "programme.html")


def overview_page(env: jinja2.Environment, lang: str, common: dict, data: model.ProgrammeData) -> str:
    return _render(env, lang, common, "programme.html.j2", "programme.html", [(t("ap.nav", lang), None)],
                   "programme", **model.overview_context(data, lang),
                   illustrative_notice=False, measure_groups=model.measure_index(data, lang),
                   agencies_rows=model.agencies_index_context(data, lang),
                   obstacle_counts=obstacle_counts(data, lang), state_columns=state_columns(lang),
                   follow_up=followup.follow_up_dates_context(data, lang), moves=followup.moves_context(data, lang),
                   coverage=followup.perspective_matrix_context(data, lang))


def measure_page(env: jinja2.Environment, lang: str, common: dict, data: model.ProgrammeData, measure_id: str,
                 facts: dict[str, dict]) -> str:
    context = model.measure_context(data, measure_id, lang, facts)
    return _render(env, lang, common, "measure.html.j2", f"measures/{measure_id}.html",
                   [_programme_crumb(lang), (f"{measure_id} {context['title']}", None)], "programme",
                   m=context, illustrative_notice=bool(
                       context["measure_illustrative"] or context["status_illustrative"]
                       or any(r.get("illustrative") for r in context.get("reports") or ())
                       or any(i.get("illustrative") for i in context.get("indicators") or ())
                       or _evidence_illustrative(context.get("evidence") or {})),
                   marker_title=t("programme_trust.marker_title", lang))


def agencies_page(env: jinja2.Environment, lang: str, common: dict, data: model.ProgrammeData) -> str:
    rows = model.agencies_index_context(data, lang)
    return _render(env, lang, common, "agencies_index.html.j2", "agencies/index.html",
                   [(t("pp.agencies", lang), None)], "agencies", rows=rows, state_columns=state_columns(lang),
                   year=data.year, illustrative_notice=any(r["illustrative"] for r in rows))


def agency_page(env: jinja2.Environment, lang: str, common: dict, data: model.ProgrammeData, agency_id: str) -> str:
    context = model.agency_page_context(data, agency_id, lang)
    return _render(env, lang, common, "agency.html.j2", f"agencies/{agency_id}.html",
                   [(t("pp.agencies", lang), "agencies/index.html"), (context["agency"], None)], "agencies",
                   a=context, illustrative_notice=context["any_illustrative"],
                   marker_title=t("programme_trust.marker_title", lang),
                   suppression=model.suppression_sentence(data, lang))


def collaboration_page(env: jinja2.Environment, lang: str, common: dict, data: model.ProgrammeData,
                       facts: dict[str, dict]) -> str:
    context = model.collaboration_context(data, lang, facts)
    return _render(env, lang, common, "collaboration.html.j2", "collaboration.html",
                   [_programme_crumb(lang), (t("pp.collab.title", lang), None)], "programme", c=context,
                   illustrative_notice=context["any_illustrative"],
                   marker_title=t("programme_trust.marker_title", lang),
                   parts=followup.collaboration_parts_context(data, lang))


def state_columns(lang: str) -> list[str]:
    return [model.state_label(s, lang) for s in model.STATE_ORDER]


def obstacle_counts(data: model.ProgrammeData, lang: str) -> list[dict]:
    """Obstacles reported for the year, by category (for the overview; the texts are on the agency pages)."""
    frame = data.tables["obstacles"]
    frame = frame[frame["year"] == data.year]
    rows = []
    for code in data.register.obstacle_categories:
        part = frame[frame["category"] == code]
        rows.append({"label": model.code_label(data.register.obstacle_categories, code, lang), "count": len(part),
                     "agencies": int(part["agency_id"].nunique()),
                     "illustrative": bool(part["illustrative"].fillna(False).astype(bool).any())
                     if not part.empty else False})
    return rows


def _evidence_illustrative(evidence: dict) -> bool:
    """The evidence section shows a mark: an assessed status or a passage from an illustrative document."""
    return bool(evidence.get("assessed_illustrative") or evidence.get("reported_illustrative")
                or any(p.get("illustrative") for p in evidence.get("passages") or ()))
