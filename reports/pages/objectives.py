"""Objective pages: the strategy's four objectives (objectives/1–4.html) and the action programme's
six (objectives/P1–P6.html), each with its indicators (tiles with small charts and verdicts, the
key-results paragraph) and its measures with their follow-up state; objectives/index.html lists them."""

from __future__ import annotations

import jinja2

from indicators.i18n import t
from reports import followup
from reports.site import SiteInputs


def _objective_view(inputs: SiteInputs, lang: str, objective: int | str) -> dict:
    specs = followup.objective_specs(inputs, objective)
    items = [followup.item(inputs, spec, lang) for spec in specs]
    for item in items:
        item["spark"] = followup.sparkline_svg(item["sparkline"], item["breaks"])
        item["marks"] = followup.tile_markers(item["markers"])
    programme = inputs.programme
    measures, states, chart = [], [], None
    if programme is not None:
        if isinstance(objective, int):
            measures = followup.measures_for(programme, lang, strategy_objective=objective)
        else:
            measures = followup.measures_for(programme, lang, programme_objective=objective)
        states = followup.programme_states(programme, lang, {m["id"] for m in measures})
        chart = followup.state_chart_svg(states, lang) if measures else None
    return {"items": items, "paragraph": followup.paragraph(inputs, specs, lang), "measures": measures,
            "states": states, "chart": chart,
            "illustrative": any(i["illustrative"] for i in items) or any(m["illustrative"] for m in measures)}


def programme_objectives(inputs: SiteInputs) -> dict[str, dict]:
    """P1–P6 from the action programme's register ({} when the site is built without it)."""
    return dict(inputs.programme.register.objectives) if inputs.programme is not None else {}


def render(inputs: SiteInputs, env: jinja2.Environment, lang: str, common: dict) -> dict[str, str]:
    pages = {}
    heading = t("site_core.nav.objectives", lang)
    template = env.get_template("objective.html.j2")
    listing = {"strategy": [], "programme": []}
    for number in followup.OBJECTIVES:
        title = f"{t('site.objective_heading', lang, number=number)}: {t(f'objective.{number}', lang)}"
        rel = f"objectives/{number}.html"
        frame = common["page"](rel, [(heading, "objectives/index.html"),
                                     (t("site.objective_heading", lang, number=number), None)], "objectives")
        related = [{"id": pid, "name": p["name"][lang], "href": f"objectives/{pid}.html"}
                   for pid, p in programme_objectives(inputs).items() if number in p.get("strategy_objectives", ())]
        view = _objective_view(inputs, lang, number)
        pages[frame["path"]] = template.render(**{**common, **frame}, title=title, kind="strategy", number=number,
                                               related=related, illustrative_notice=view["illustrative"], **view)
        listing["strategy"].append({"title": title, "href": rel, "count": len(view["items"]),
                                    "measures": len(view["measures"])})
    for pid, objective in programme_objectives(inputs).items():
        title = f"{t('site_core.objective.programme_heading', lang, id=pid)}: {objective['name'][lang]}"
        rel = f"objectives/{pid}.html"
        frame = common["page"](rel, [(heading, "objectives/index.html"),
                                     (t("site_core.objective.programme_heading", lang, id=pid), None)], "objectives")
        related = [{"id": str(n), "name": f"{t('site.objective_heading', lang, number=n)}: {t(f'objective.{n}', lang)}",
                    "href": f"objectives/{n}.html"} for n in objective.get("strategy_objectives", ())]
        view = _objective_view(inputs, lang, pid)
        pages[frame["path"]] = template.render(**{**common, **frame}, title=title, kind="programme", number=pid,
                                               related=related, illustrative_notice=view["illustrative"], **view)
        listing["programme"].append({"title": title, "href": rel, "count": len(view["items"]),
                                     "measures": len(view["measures"])})
    frame = common["page"]("objectives/index.html", [(heading, None)], "objectives")
    pages[frame["path"]] = env.get_template("objectives_index.html.j2").render(**{**common, **frame}, **listing)
    return pages
