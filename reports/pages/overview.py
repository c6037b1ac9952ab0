"""index.html: the national follow-up. Per strategy objective the key results in words and a tile per
indicator; the action programme's status in one chart; the collaboration assignment; the development
indicators; where the methods and sources are. The view model is ``reports.followup`` (shared with
the print edition)."""

from __future__ import annotations

import jinja2

from indicators.i18n import t
from reports import followup
from reports.programme import agency_name
from reports.site import WORKBOOKS, SiteInputs


def collaboration(inputs: SiteInputs, lang: str) -> dict | None:
    """The 2024 collaboration assignment: per agency whether it reported, its measures, and obstacles."""
    programme = inputs.programme
    if programme is None or "collaboration_status" not in programme.tables:
        return None
    assignment = programme.register.collaboration_assignment
    rows = []
    for _, r in programme.tables["collaboration_status"].iterrows():
        rows.append({"agency": agency_name(programme.register, r["agency_id"], lang),
                     "href": f"agencies/{r['agency_id']}.html",
                     "reported": t("site_core.yes" if bool(r["reported"]) else "site_core.collab.no_report", lang),
                     "measures": int(r["assignment_measures"]), "completed": int(r["completed"]),
                     "late": int(r["late"]), "obstacles": int(r["obstacles"]), "illustrative": bool(r["illustrative"])})
    return {"title": assignment.get("title", {}).get(lang, ""), "year": assignment.get("year", ""),
            "tasks": [task[lang] for task in assignment.get("tasks", [])], "rows": rows,
            "illustrative": any(r["illustrative"] for r in rows)}


def render(inputs: SiteInputs, env: jinja2.Environment, lang: str, common: dict) -> dict[str, str]:
    frame = common["page"]("index.html", None, "overview")
    objectives = followup.key_results(inputs, lang)
    for objective in objectives:
        for item in objective["items"]:
            item["spark"] = followup.sparkline_svg(item["sparkline"], item["breaks"])
            item["marks"] = followup.tile_markers(item["markers"])
    development = [i for o in objectives for i in o["items"] if i["development"]]
    development = list({i["id"]: i for i in development}.values())
    programme = None
    if inputs.programme is not None:
        states = followup.programme_states(inputs.programme, lang)
        programme = {"states": states, "total": sum(s["count"] for s in states),
                     "chart": followup.state_chart_svg(states, lang), "year": inputs.programme.year,
                     "as_of": inputs.programme.as_of, "illustrative": any(s["illustrative"] for s in states)}
    any_illustrative = any(bool(f["illustrative"].any()) for f in inputs.results.values())
    root = frame["root"]
    from reports import print_edition  # the print edition imports this module's collaboration()

    html = env.get_template("index.html.j2").render(
        **{**common, **frame}, objectives=objectives, development=development, programme=programme,
        collaboration=collaboration(inputs, lang), illustrative_notice=any_illustrative,
        workbook_href=root + WORKBOOKS[lang], json_href=root + "data/indicators.json",
        pdf_href=root + print_edition.pdf_path(lang, inputs.edition) if inputs.print_edition else None)
    return {frame["path"]: html}
