"""The action programme's page and downloads: the overview, a section per agency, the 2024
collaboration assignment, and the roll-ups as CSV under ``site/data/programme/``.

Everything an agency wrote (narratives, obstacles, solutions) reaches the pages only through Jinja's
autoescaping; nothing here is marked safe. Personal identity numbers never get this far: a file that
holds one is refused at validation, and only the masked message is kept.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pandas as pd

from indicators.formatting import format_value, iso_date
from indicators.i18n import t
from indicators.programme.register import Register
from reports.cell_safety import neutralise_frame

CSV_TABLES = {   # download name -> the frame key in ProgrammeData.tables
    "measure_status.csv": "measure_status",
    "rollups.csv": "rollups",
    "perspective_coverage.csv": "perspective_coverage",
    "obstacles.csv": "obstacles",
    "key_figures.csv": "key_figures",
    "status_events.csv": "status_events",
    "rejected_submissions.csv": "rejected_submissions",
    "collaboration_status.csv": "collaboration_status",
    "key_figure_suppression.csv": "key_figure_suppression",
}
ROLLUP_COLUMNS = ("measures", "reported", "completed", "completed_evidenced", "due", "completed_of_due", "late",
                  "no_report", "not_due")
STATE_ORDER = ("completed", "late", "not_due", "no_report", "discontinued")


@dataclass(frozen=True)
class ProgrammeData:
    """What the pages need from the warehouse, read once by the report asset."""

    register: Register
    year: int
    as_of: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    indicator_latest: dict[str, dict[str, str]] = field(default_factory=dict)   # MVK id -> {lang: "28 % (2021)"}


def csv_text(frame: pd.DataFrame) -> str:
    """A table as CSV; agency text that a spreadsheet would run as a formula is neutralised first."""
    out = io.StringIO()
    neutralise_frame(frame).to_csv(out, index=False, lineterminator="\n")
    return out.getvalue()


def downloads(data: ProgrammeData) -> dict[str, bytes]:
    """The roll-ups and the status history as CSV (UTF-8, comma, decimal point)."""
    return {f"data/programme/{name}": csv_text(data.tables[key]).encode("utf-8")
            for name, key in CSV_TABLES.items() if key in data.tables}


def _label(entries: dict, code: object, lang: str) -> str:
    entry = entries.get(code) if isinstance(entries, dict) else None
    if entry is None:
        return str(code)
    if isinstance(entry, dict):
        return str(entry.get(lang) or entry.get("name", {}).get(lang) or entry.get("label", {}).get(lang) or code)
    return str(getattr(entry, "name", {}).get(lang, code))


def agency_name(register: Register, agency_id: str, lang: str) -> str:
    agency = register.agencies.get(agency_id)
    return agency.name[lang] if agency else agency_id


def state_label(state: str, lang: str) -> str:
    return t(f"ap.state.{state}", lang)


def status_label(register: Register, status: object, lang: str) -> str:
    if status is None or (isinstance(status, float) and pd.isna(status)):
        return t("ap.no_status", lang)
    return _label(register.statuses, status, lang)


def rollup_rows(data: ProgrammeData, dimension: str, lang: str) -> list[dict]:
    frame = data.tables["rollups"]
    frame = frame[frame["dimension"] == dimension]
    register = data.register
    names = {
        "programme_objective": lambda c: f"{c}: {_label(register.objectives, c, lang)}",
        "strategy_objective": lambda c: f"{c}: {t(f'objective.{c}', lang)}",
        "priority_area": lambda c: f"{c}: {_label(register.priority_areas, int(c), lang)}",
        "agency": lambda c: agency_name(register, c, lang),
    }[dimension]
    rows = [{"code": r["code"], "name": names(r["code"]), "values": [int(r[c]) for c in ROLLUP_COLUMNS],
             "href": f"#agency-{r['code']}" if dimension == "agency" else None,
             "illustrative": _flag(r, "illustrative")}
            for _, r in frame.iterrows()]
    if dimension == "agency":
        order = list(register.agencies)
        rows.sort(key=lambda r: order.index(r["code"]) if r["code"] in order else len(order))
    return rows


def measure_rows(data: ProgrammeData, frame: pd.DataFrame, lang: str) -> list[dict]:
    register = data.register
    return [{
        "id": r["measure_id"], "title": r[f"title_{lang}"], "lead": agency_name(register, r["lead_agency"], lang),
        "deadline": iso_date(r["deadline"]) or t("ap.no_deadline", lang),
        "reported": status_label(register, r["reported_status"], lang),
        "assessed": status_label(register, r["assessed_status"], lang),
        "source": r["assessed_source"] if isinstance(r["assessed_source"], str) else "",
        "state": state_label(r["follow_up_state"], lang), "state_code": r["follow_up_state"],
        "illustrative": bool(r["illustrative"]),
        "measure_illustrative": bool(r.get("measure_illustrative", r["illustrative"])),
        "status_illustrative": bool(r.get("status_illustrative", False)),
    } for _, r in frame.iterrows()]


def perspective_matrix(data: ProgrammeData, lang: str) -> dict:
    coverage = data.tables["perspective_coverage"]
    perspectives = list(data.register.perspectives)
    rows = []
    for objective in data.register.objectives:
        part = coverage[coverage["programme_objective"] == objective].set_index("perspective")
        cells = []
        illustrative = bool(part["illustrative"].fillna(False).astype(bool).any()) \
            if "illustrative" in part.columns else False
        for p in perspectives:
            planned = int(part.loc[p, "planned"]) if p in part.index else 0
            reported = int(part.loc[p, "reported"]) if p in part.index else 0
            cells.append(t("ap.planned_reported", lang, planned=planned, reported=reported))
        rows.append({"name": f"{objective}: {_label(data.register.objectives, objective, lang)}", "cells": cells,
                     "illustrative": illustrative})
    return {"columns": [_label(data.register.perspectives, p, lang) for p in perspectives], "rows": rows}


def obstacle_rows(data: ProgrammeData, lang: str, agencies: list[str] | None = None) -> list[dict]:
    frame = data.tables["obstacles"]
    if agencies is not None:
        frame = frame[frame["agency_id"].isin(agencies)]
    order = list(data.register.obstacle_categories)
    rows = [{"category": _label(data.register.obstacle_categories, r["category"], lang),
             "agency": agency_name(data.register, r["agency_id"], lang), "description": r["description"],
             "solution": r["proposed_solution"], "location": r["location"], "rank": order.index(r["category"])
             if r["category"] in order else len(order), "illustrative": _flag(r, "illustrative")}
            for _, r in frame.iterrows()]
    return sorted(rows, key=lambda r: (r["rank"], r["agency"]))


def key_figure_rows(data: ProgrammeData, lang: str, only: list[str] | None = None) -> list[dict]:
    frame = data.tables["key_figures"]
    definitions = data.register.key_figures
    rows = []
    for _, r in frame.iterrows():
        if only is not None and r["key_figure_id"] not in only:
            continue
        definition = definitions.get(r["key_figure_id"])
        value = "" if pd.isna(r["value"]) else format_value(float(r["value"]), "count", 0, lang)
        rows.append({"agency_id": r["agency_id"], "agency": agency_name(data.register, r["agency_id"], lang),
                     "label": definition.label[lang] if definition else r["key_figure_id"],
                     "value": value, "flag": r["flag"], "flag_text": t(f"flag.{r['flag']}", lang) if r["flag"] else "",
                     "illustrative": _flag(r, "illustrative")})
    return rows


def _flag(row: pd.Series, column: str) -> bool:
    """A boolean column of a row; absent or empty (an older warehouse) reads as not flagged."""
    value = row.get(column, False)
    return bool(value) if value is not None and not (isinstance(value, float) and pd.isna(value)) else False


def reports_notice(data: ProgrammeData, lang: str) -> str:
    """The sentence near the top saying which statuses come from illustrative reports, or "" if none."""
    status = data.tables["measure_status"]
    if "status_illustrative" not in status.columns or not status["status_illustrative"].any():
        return ""
    flagged = status[status["status_illustrative"]]
    real = flagged[~flagged["measure_illustrative"]]["measure_id"].tolist()
    examples = ", ".join(real) if real else ", ".join(flagged["measure_id"].tolist()[:3])   # every real one
    return t("programme_trust.notice_reports", lang, illustrative=len(flagged), total=len(status),
             examples=examples)


def suppression_sentence(data: ProgrammeData, lang: str) -> str:
    """One sentence with the key figures' suppression counts (the published log's totals)."""
    counts = data.tables.get("key_figure_suppression")
    figures = data.tables["key_figures"]
    file = "key_figure_suppression.csv"
    if counts is None:
        return ""
    by_kind = counts.groupby("kind")["cells"].sum().to_dict() if not counts.empty else {}
    hidden = int(by_kind.get("primary", 0) + by_kind.get("secondary", 0))   # an unprotectable cell is also primary
    if hidden == 0:
        return t("programme_trust.suppression_none", lang, cells=len(figures), file=file)
    sentence = t("programme_trust.suppression_sentence", lang, cells=len(figures), hidden=hidden,
                 primary=int(by_kind.get("primary", 0)), secondary=int(by_kind.get("secondary", 0)), file=file)
    if by_kind.get("unprotectable"):
        sentence += " " + t("programme_trust.suppression_unprotectable", lang, count=int(by_kind["unprotectable"]))
    return sentence


def overview_context(data: ProgrammeData, lang: str) -> dict:
    status = data.tables["measure_status"]
    states = status["follow_up_state"].value_counts().to_dict()
    illustrative_states = status.groupby("follow_up_state")["illustrative"].any().to_dict()
    assignment = data.register.collaboration_assignment
    assignment_agencies = list(assignment.get("agencies", []))
    submitted = set(data.tables["submissions"]["agency_id"]) if "submissions" in data.tables else set()
    per_agency = []
    for agency in assignment_agencies:
        mine = status[status["collaboration_assignment"] & ((status["lead_agency"] == agency) |
                                                             (status["reporting_agency"] == agency))]
        per_agency.append({"agency": agency_name(data.register, agency, lang), "href": f"#agency-{agency}",
                           "submitted": t("ap.submitted_yes" if agency in submitted else "ap.submitted_no",
                                          lang),
                           "measures": measure_rows(data, mine, lang)})
    return {
        "year": data.year, "as_of": data.as_of,
        "summary": [(state_label(s, lang), int(states.get(s, 0)), bool(illustrative_states.get(s, False)))
                    for s in STATE_ORDER],
        "total": len(status),
        "rollup_columns": [t(f"ap.column.{c}", lang) for c in ROLLUP_COLUMNS],
        "by_objective": rollup_rows(data, "programme_objective", lang),
        "by_strategy": rollup_rows(data, "strategy_objective", lang),
        "by_priority": rollup_rows(data, "priority_area", lang),
        "by_agency": rollup_rows(data, "agency", lang),
        "overdue": measure_rows(data, status[status["is_late"]], lang),
        "perspectives": perspective_matrix(data, lang),
        "obstacles": obstacle_rows(data, lang),
        "assignment": {
            "title": assignment.get("title", {}).get(lang, ""), "note": assignment.get("note", {}).get(lang, ""),
            "tasks": [task[lang] for task in assignment.get("tasks", [])],
            "agencies": per_agency,
            "obstacles": obstacle_rows(data, lang, assignment_agencies),
            "indicators": [{"id": i, "href": f"indicators/{i}.html",
                            "latest": data.indicator_latest.get(i, {}).get(lang, "")}
                           for i in assignment.get("perpetrator_indicators", [])],
            "key_figures": key_figure_rows(data, lang, list(assignment.get("perpetrator_key_figures", []))),
        },
        "rejected": [{"file": r["original_name"], "message": r[f"message_{lang}"]}
                     for _, r in data.tables["rejected_submissions"].iterrows()],
        "missing_agencies": [agency_name(data.register, a, lang) for a in data.register.agencies
                             if a not in submitted and a in set(data.tables["measure_agencies"]["agency_id"])],
        "taxonomy_note": data.register.status_taxonomy.get("note", {}).get(lang, ""),
        "downloads": [f"data/programme/{name}" for name in CSV_TABLES],
        "any_illustrative": bool(status["illustrative"].any()),
        "reports_notice": reports_notice(data, lang),
        "suppression": suppression_sentence(data, lang),
        "marker_title": t("programme_trust.marker_title", lang),
        "rollup_marker_title": t("programme_trust.rollup_marker_title", lang),
    }


def agency_context(data: ProgrammeData, agency_id: str, lang: str) -> dict:
    status = data.tables["measure_status"]
    links = data.tables["measure_agencies"]
    mine = status[status["measure_id"].isin(links[links["agency_id"] == agency_id]["measure_id"])]
    events = data.tables["status_events"]
    events = events[events["agency_id"] == agency_id]
    submitted = data.tables["submissions"]
    submitted = submitted[submitted["agency_id"] == agency_id]
    return {
        "agency": agency_name(data.register, agency_id, lang),
        "year": data.year,
        "submitted": [{"file": r["original_name"], "superseded": isinstance(r["superseded_by"], str),
                       "illustrative": _flag(r, "illustrative")}
                      for _, r in submitted.iterrows()],
        "measures": measure_rows(data, mine, lang),
        "history": [{"measure": r["measure_id"], "status": status_label(data.register, r["reported_status"], lang),
                     "date": iso_date(r["status_date"]), "file": r["original_name"], "location": r["location"],
                     "illustrative": _flag(r, "illustrative")}
                    for _, r in events.iterrows()],
        "key_figures": [r for r in key_figure_rows(data, lang) if r["agency_id"] == agency_id],
        "obstacles": obstacle_rows(data, lang, [agency_id]),
        "narratives": [{"id": r["measure_id"], "text": r["narrative"]} for _, r in mine.iterrows()
                       if isinstance(r.get("narrative"), str) and r["narrative"]],
        "any_illustrative": bool(mine["illustrative"].any()) if not mine.empty else False,
    }


def programme_pages(data: ProgrammeData, env, common: dict, lang: str, page_path, root) -> dict[str, str]:
    """Render the action programme's page (overview, per agency, the collaboration assignment)."""
    other = "en" if lang == "sv" else "sv"
    rel = "programme.html"
    path = page_path(lang, rel)
    agencies = [a for a in data.register.agencies if a in set(data.tables["measure_agencies"]["agency_id"])]
    return {path: env.get_template("programme.html.j2").render(
        **common, root=root(path), other_href=root(path) + page_path(other, rel), **overview_context(data, lang),
        agencies=[{"id": a, **agency_context(data, a, lang)} for a in agencies])}
