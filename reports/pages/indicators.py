"""Indicator pages: the list of all indicators (indicators/index.html, H8) and one page per
indicator (indicators/<id>.html; its template and charts are H9's, moved here from render_pages)."""

from __future__ import annotations

import jinja2

from indicators.assessment import progress_label
from indicators.flags import letters
from indicators.i18n import t
from reports import followup
from reports.page_reuse import Page, render_all
from reports.pages.editions import indicator_section
from reports.sentences import marked
from reports.site import (
    GSS_FLAGS,
    SUPPRESSION_CSV,
    SiteInputs,
    assessment_table,
    data_table,
    disclosure_sentence,
    figures,
    source_view,
    suppression_counts,
    unit_label,
)


def pages(inputs: SiteInputs, env: jinja2.Environment, lang: str, common: dict) -> list[Page]:
    """The list and one page per indicator, each with exactly the parts of the inputs it shows (its
    key, reports.page_reuse): an indicator's page is rendered again only when its own results,
    assessments, sources, linked measures or changes do."""
    out = [Page("indicators/index.html", list_page, (list_items(inputs, lang),))]
    hidden_counts = suppression_counts(inputs)
    for spec in inputs.catalogue.values():
        rel = f"indicators/{spec.id}.html"
        measures = linked_measures(inputs, spec.id, lang)
        if spec.is_development:
            out.append(Page(rel, development_page, (spec, measures)))
            continue
        # its sources' files only, numbered from 0: another source's new file changes nothing here
        snapshots = inputs.snapshots[inputs.snapshots["source_id"].isin(spec.sources)].reset_index(drop=True) \
            if not inputs.snapshots.empty else inputs.snapshots
        out.append(Page(rel, indicator_page, (
            spec, inputs.results[spec.id], inputs.main_assessment(spec), inputs.assessment_rows(spec),
            [inputs.sources[s] for s in spec.sources], snapshots, hidden_counts.get(spec.id), measures,
            indicator_section(inputs, spec.id, lang))))   # since the previous edition (issue 11)
    return out


def render(inputs: SiteInputs, env: jinja2.Environment, lang: str, common: dict) -> dict[str, str]:
    return render_all(pages(inputs, env, lang, common), env, lang, common)


def _page_context(spec, lang: str, common: dict) -> dict:
    crumbs = [(t("site_core.nav.indicators", lang), "indicators/index.html"), (f"{spec.id} {spec.name[lang]}", None)]
    frame_ = common["page"](f"indicators/{spec.id}.html", crumbs, "indicators")
    return {**{**common, **frame_},
            "spec": spec, "name": spec.name[lang], "definition": spec.definition[lang],
            "caveat": spec.caveats.get(lang, ""), "unit": unit_label(spec, lang),
            "direction": t(f"direction.{spec.direction}", lang),
            "objectives": [t(f"objective.{o}", lang) for o in spec.strategy_objectives]}


def development_page(env: jinja2.Environment, lang: str, common: dict, spec, measures) -> str:
    return env.get_template("development.html.j2").render(
        **_page_context(spec, lang, common), data_needed=spec.data_needed[lang], measures=measures,
        illustrative_notice=any(m["illustrative"] for m in measures or []))


def indicator_page(env: jinja2.Environment, lang: str, common: dict, spec, frame, judged, assessment_rows,
                   sources, snapshots, hidden, measures, changes) -> str:
    page = _page_context(spec, lang, common)
    path, root = page["path"], page["root"]
    flags_used = sorted({letter for f in frame["flag"] for letter in letters(f)}, key=GSS_FLAGS.index)
    return env.get_template("indicator.html.j2").render(
        **page, measures=measures,
        cite=cite_text(spec, lang, common, path),
        figures=figures(spec, frame, lang, marked(judged[f"summary_{lang}"], bool(
            judged.get("illustrative", False))) if judged else None),
        table=data_table(spec, frame, lang),
        main_assessment=judged and {"label": progress_label(judged["progress"], lang),
                                    "progress": judged["progress"], "summary": judged[f"summary_{lang}"],
                                    "illustrative": bool(judged.get("illustrative", False))},
        assessments=assessment_table(spec, assessment_rows, lang),
        sources=[source_view(source, snapshots, lang) for source in sources],
        flags=[(f, t(f"flag.{f}", lang)) for f in flags_used],
        disclosure=disclosure_sentence(hidden, lang),
        suppression_href=f"{root}{SUPPRESSION_CSV}",
        illustrative=bool(frame["illustrative"].any()),
        # base.html.j2 shows the notice: for illustrative values or illustrative measures linked
        illustrative_notice=bool(frame["illustrative"].any()) or any(m["illustrative"] for m in measures or []),
        csv_href=f"{root}data/indicators/{spec.id}.csv",
        provenance_href=f"{root}data/provenance/{spec.id}.csv",
        changes=changes)


def linked_measures(inputs: SiteInputs, indicator_id: str, lang: str) -> list[dict] | None:
    """The action programme's measures that the measure register links to the indicator (their
    ``indicators`` lists), as links to measures/<id>.html; None when the site has no programme."""
    if inputs.programme is None:
        return None
    return [{"id": m.id, "title": m.title[lang], "href": f"measures/{m.id}.html", "illustrative": m.illustrative}
            for m in sorted(inputs.programme.register.measures.values(), key=lambda m: m.id)
            if indicator_id in m.indicators]


def cite_text(spec, lang: str, common: dict, path: str) -> dict:
    """"Cite this figure": indicator, edition, data date and the page's address. The page does not
    know where it will be served, so the address is the site-relative path; charts.js replaces it
    with the address the reader has open (``data-cite-url``)."""
    date = common.get("data_as_of") or common["edition"]
    before = t("site_indicator.cite_text", lang, id=spec.id, name=spec.name[lang], title=t("site.title", lang),
               edition=common["edition"], date=date, url="\0")
    head, _, tail = before.partition("\0")
    return {"head": head, "url": path, "tail": tail}


def list_items(inputs: SiteInputs, lang: str) -> list[dict]:
    """The rows of the list: objectives, latest value, verdict."""
    items = [followup.item(inputs, spec, lang) for spec in inputs.catalogue.values()]
    for it in items:
        spec = inputs.catalogue[it["id"]]
        it["objectives"] = [{"label": str(o), "href": f"objectives/{o}.html",
                             "title": t(f"objective.{o}", lang)} for o in spec.strategy_objectives]
        it["programme_objectives"] = [{"label": o, "href": f"objectives/{o}.html"} for o in spec.programme_objectives]
        it["marks"] = followup.tile_markers(it["markers"])
    return items


def list_page(env: jinja2.Environment, lang: str, common: dict, items: list[dict]) -> str:
    """Every indicator in one table: objectives, latest value, verdict; development ones last."""
    frame_ = common["page"]("indicators/index.html", [(t("site_core.nav.indicators", lang), None)], "indicators")
    computed = [i for i in items if not i["development"]]
    development = [i for i in items if i["development"]]
    return env.get_template("indicators_index.html.j2").render(
        **{**common, **frame_}, computed=computed, development=development,
        illustrative_notice=any(i["illustrative"] for i in computed))
