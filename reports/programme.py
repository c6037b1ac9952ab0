"""The action programme's view models and downloads: the overview (programme.html), a page per
measure, per agency and the 2024 collaboration assignment (rendered by ``reports.pages.programme``),
and the roll-ups as CSV under ``site/data/programme/``.

Everything an agency wrote (narratives, obstacles, solutions) reaches the pages only through Jinja's
autoescaping; nothing here is marked safe. Personal identity numbers never get this far: a file that
holds one is refused at validation, and only the masked message is kept.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cached_property

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
    # the status at each follow-up date, what moved since the last one, the assignment part by part
    "follow_up_dates.csv": "follow_up_dates",
    "status_at_dates.csv": "status_at_dates",
    "rollups_at_dates.csv": "rollups_at_dates",
    "status_moves.csv": "status_moves",
    "collaboration_parts.csv": "collaboration_parts",
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
    indicator_perspectives: dict[str, tuple[str, ...]] = field(default_factory=dict)   # MVK id -> perspectives

    @cached_property
    def events(self) -> list[dict]:
        """``status_events`` as records, read once: ~300 pages filter it, and pandas masks cost ms each."""
        return self.tables["status_events"].to_dict("records")

    @cached_property
    def reports(self) -> list[dict]:
        """The current report per measure, agency and year. ``measure_reports`` where the report asset
        reads it (a year that repeats last year's status is a report, not a change), else the last
        status change of each year from ``status_events``."""
        if "measure_reports" in self.tables:
            return self.tables["measure_reports"].to_dict("records")
        last: dict[tuple, dict] = {}
        for e in self.events:
            last[(e["measure_id"], e["agency_id"], int(e["year"]))] = e
        return [last[key] for key in sorted(last)]

    @cached_property
    def status_by_measure(self) -> dict[str, dict]:
        return {r["measure_id"]: r for r in self.tables["measure_status"].to_dict("records")}

    @cached_property
    def passages(self) -> dict[tuple, list[dict]]:
        """The finder's passages per (measure, year) in the order a measure page lists them (rank, document,
        page), grouped once: a pandas mask and sort per measure page was most of a measure page's time."""
        frame = self.tables.get("evidence_candidates")
        grouped: dict[tuple, list[dict]] = {}
        if frame is not None and not frame.empty:
            for r in frame.sort_values(["rank", "document_sha256", "page"], kind="stable").to_dict("records"):
                grouped.setdefault((r["measure_id"], r["year"]), []).append(r)
        return grouped


def csv_text(frame: pd.DataFrame) -> str:
    """A table as CSV; agency text that a spreadsheet would run as a formula is neutralised first."""
    out = io.StringIO()
    neutralise_frame(frame).to_csv(out, index=False, lineterminator="\n")
    return out.getvalue()


def downloads(data: ProgrammeData) -> dict[str, bytes]:
    """The roll-ups and the status history as CSV (UTF-8, comma, decimal point)."""
    from reports.programme_followup import perspective_matrix_frame

    files = {f"data/programme/{name}": csv_text(data.tables[key]).encode("utf-8")
             for name, key in CSV_TABLES.items() if key in data.tables}
    files["data/programme/perspective_matrix.csv"] = csv_text(perspective_matrix_frame(data)).encode("utf-8")
    return files


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
    hrefs = {"agency": "agencies/{}.html", "programme_objective": "objectives/{}.html",
             "strategy_objective": "objectives/{}.html"}
    rows = [{"code": r["code"], "name": names(r["code"]), "values": [int(r[c]) for c in ROLLUP_COLUMNS],
             "href": hrefs[dimension].format(r["code"]) if dimension in hrefs else None,
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
        "href": f"measures/{r['measure_id']}.html", "lead_href": f"agencies/{r['lead_agency']}.html",
        "deadline": iso_date(r["deadline"]) or t("ap.no_deadline", lang),
        "reported": status_label(register, r["reported_status"], lang),
        "assessed": status_label(register, r["assessed_status"], lang),
        "source": assessed_citation(r, lang),
        "assessed_illustrative": bool(r.get("assessed_illustrative", False)),
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


def obstacle_rows(data: ProgrammeData, lang: str, agencies: list[str] | None = None,
                  year: int | None = None) -> list[dict]:
    """Obstacles with their solutions and who should act; of one report year when ``year`` is given
    (with reports for several years, a list without years would repeat last year's obstacles)."""
    frame = data.tables["obstacles"]
    if year is not None:
        frame = frame[frame["year"] == year]
    if agencies is not None:
        frame = frame[frame["agency_id"].isin(agencies)]
    order = list(data.register.obstacle_categories)
    rows = [{"category": _label(data.register.obstacle_categories, r["category"], lang),
             "agency": agency_name(data.register, r["agency_id"], lang), "description": r["description"],
             "solution": r["proposed_solution"], "location": r["location"],
             "actor": _actor(data, r.get("actor"), lang), "rank": order.index(r["category"])
             if r["category"] in order else len(order), "illustrative": _flag(r, "illustrative")}
            for _, r in frame.iterrows()]
    return sorted(rows, key=lambda r: (r["rank"], r["agency"]))


def _actor(data: ProgrammeData, actor: object, lang: str) -> str:
    from reports.programme_followup import actor_label

    return actor_label(data, actor, lang)


def key_figure_rows(data: ProgrammeData, lang: str, only: list[str] | None = None) -> list[dict]:
    frame = data.tables["key_figures"]
    definitions = data.register.key_figures
    rows = []
    for _, r in frame.iterrows():
        if only is not None and r["key_figure_id"] not in only:
            continue
        definition = definitions.get(r["key_figure_id"])
        value = "" if pd.isna(r["value"]) else format_value(float(r["value"]), "count", 0, lang)
        rows.append({"agency_id": r["agency_id"], "year": int(r["year"]),
                     "agency": agency_name(data.register, r["agency_id"], lang),
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


def reported_agencies(data: ProgrammeData) -> set[str]:
    """The agencies with a report for the report year (with reports for several years, a report for an
    earlier year is not this year's)."""
    frame = data.tables["submissions"]
    return set(frame[frame["year"] == data.year]["agency_id"]) if "year" in frame.columns else set(frame["agency_id"])


def overview_context(data: ProgrammeData, lang: str) -> dict:
    """The overview (programme.html): counts and roll-ups; the details are on the pages it links to."""
    status = data.tables["measure_status"]
    states = status["follow_up_state"].value_counts().to_dict()
    illustrative_states = status.groupby("follow_up_state")["illustrative"].any().to_dict()
    assignment = data.register.collaboration_assignment
    assignment_agencies = list(assignment.get("agencies", []))
    submitted = reported_agencies(data) if "submissions" in data.tables else set()
    per_agency = [{"agency": agency_name(data.register, agency, lang), "href": f"agencies/{agency}.html",
                   "submitted": t("ap.submitted_yes" if agency in submitted else "ap.submitted_no", lang)}
                  for agency in assignment_agencies]
    return {
        "year": data.year, "as_of": data.as_of,
        "summary": [(state_label(s, lang), int(states.get(s, 0)), bool(illustrative_states.get(s, False)))
                    for s in STATE_ORDER],
        "total": len(status),
        "assessment": assessment_summary(data, lang),
        "rollup_columns": [t(f"ap.column.{c}", lang) for c in ROLLUP_COLUMNS],
        "by_objective": rollup_rows(data, "programme_objective", lang),
        "by_strategy": rollup_rows(data, "strategy_objective", lang),
        "by_priority": rollup_rows(data, "priority_area", lang),
        "by_agency": rollup_rows(data, "agency", lang),
        "overdue": measure_rows(data, status[status["is_late"]], lang),
        "perspectives": perspective_matrix(data, lang),
        "assignment": {   # in brief: the collaboration page has the rest
            "title": assignment.get("title", {}).get(lang, ""), "note": assignment.get("note", {}).get(lang, ""),
            "tasks": [task[lang] for task in assignment.get("tasks", [])],
            "agencies": per_agency,
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
        "obstacles": obstacle_rows(data, lang, [agency_id], year=data.year),
        "narratives": [{"id": r["measure_id"], "text": r["narrative"]} for _, r in mine.iterrows()
                       if isinstance(r.get("narrative"), str) and r["narrative"]],
        "any_illustrative": bool(mine["illustrative"].any()) if not mine.empty else False,
    }


# ------------------------------------------------------------------- measure, agency, collaboration pages
# The pages below show every code by its label in the page's language (issue 9 item 10); where the
# register or the warehouse has nothing for a cell, the cell says so ("uppgift saknas") instead of a number.

PERPETRATOR_TASK = "metoder_valdsutovare"   # the assignment's part answered by the perpetrator-focused key figures
OBSTACLES_TASK = "hinder_samverkan"         # the part answered by the obstacles and their proposed solutions


def code_label(entries: dict, code: object, lang: str) -> str:
    """A code list entry's label (perspectives, obstacle categories, measure types, …)."""
    return _label(entries, code, lang)


def perspective_labels(register: Register, codes, lang: str) -> list[str]:
    return [code_label(register.perspectives, c, lang) for c in codes if c]


def split_codes(text: object) -> list[str]:
    """The comma-separated perspective codes an agency reported ('' or missing: none)."""
    if not isinstance(text, str):
        return []
    return [c.strip() for c in text.split(",") if c.strip()]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _events(data: ProgrammeData, measure_id: str | None, agency_id: str | None) -> list[dict]:
    return [e for e in data.events if (measure_id is None or e["measure_id"] == measure_id)
            and (agency_id is None or e["agency_id"] == agency_id)]


def _event_row(data: ProgrammeData, e: dict, lang: str) -> dict:
    return {"measure": e["measure_id"], "measure_href": f"measures/{e['measure_id']}.html",
            "agency": agency_name(data.register, e["agency_id"], lang),
            "agency_href": f"agencies/{e['agency_id']}.html",
            "agency_id": e["agency_id"], "year": int(e["year"]),
            "status": status_label(data.register, e["reported_status"], lang),
            "date": iso_date(e["status_date"]) or t("site.no_data", lang), "file": e["original_name"],
            "location": e["location"], "illustrative": _flag(e, "illustrative")}


def latest_reports(data: ProgrammeData, measure_id: str | None = None, agency_id: str | None = None,
                   lang: str = "sv") -> list[dict]:
    """The reported status per measure, agency and year (``ProgrammeData.reports``), sorted."""
    rows = [r for r in data.reports if (measure_id is None or r["measure_id"] == measure_id)
            and (agency_id is None or r["agency_id"] == agency_id)]
    rows.sort(key=lambda r: (r["measure_id"], r["agency_id"], int(r["year"])))
    return [_event_row(data, r, lang) for r in rows]


def history_rows(data: ProgrammeData, lang: str, measure_id: str | None = None,
                 agency_id: str | None = None) -> list[dict]:
    return [_event_row(data, e, lang) for e in _events(data, measure_id, agency_id)]


def indicator_links(indicator_ids, indicators: dict[str, dict], lang: str) -> list[dict]:
    """Links to indicator pages with their latest value; ``indicators`` is {id: {"name", "latest",
    "illustrative"}} made by the page module from the indicator results."""
    rows = []
    for indicator_id in indicator_ids:
        info = indicators.get(indicator_id, {})
        rows.append({"id": indicator_id, "href": f"indicators/{indicator_id}.html",
                     "name": info.get("name", {}).get(lang, ""),
                     "latest": info.get("latest", {}).get(lang) or t("site.no_data", lang),
                     "illustrative": bool(info.get("illustrative", False)),
                     "development": bool(info.get("development", False))})
    return rows


def measure_context(data: ProgrammeData, measure_id: str, lang: str, indicators: dict[str, dict]) -> dict:
    """Everything the page of one measure shows."""
    register = data.register
    measure = register.measures[measure_id]
    row = data.status_by_measure[measure_id]
    area = measure.priority_area
    reports = latest_reports(data, measure_id=measure_id, lang=lang)
    reported_agencies = {r["agency_id"] for r in reports if r["year"] == data.year}
    return {
        "id": measure_id, "title": measure.title[lang], "year": data.year, "as_of": data.as_of,
        "measure_illustrative": measure.illustrative, "status_illustrative": _flag(row, "status_illustrative"),
        "agencies": [{"name": agency_name(register, a, lang), "href": f"agencies/{a}.html",
                      "role": t("pp.role.responsible" if a in measure.responsible else "pp.role.co_responsible",
                                lang)} for a in measure.agencies],
        "programme_objective": {"label": f"{measure.programme_objective}: "
                                         f"{_label(register.objectives, measure.programme_objective, lang)}",
                                "href": f"objectives/{measure.programme_objective}.html"},
        "strategy_objectives": [{"label": f"{o}: {t(f'objective.{o}', lang)}", "href": f"objectives/{o}.html"}
                                for o in measure.strategy_objectives],
        "priority_area": f"{area}: {_label(register.priority_areas, area, lang)}" if area is not None
        else t("pp.no_priority_area", lang),
        "type": code_label(register.measure_types, measure.type, lang),
        "start": measure.start.isoformat(),
        "deadline": measure.deadline.isoformat() if measure.deadline else t("ap.no_deadline", lang),
        "perspectives": perspective_labels(register, measure.perspectives, lang),
        "reported_perspectives": perspective_labels(register, split_codes(row.get("reported_perspectives")), lang),
        "collaboration": bool(measure.collaboration_assignment),
        "reports": reports,
        "missing_reports": [agency_name(register, a, lang) for a in measure.agencies if a not in reported_agencies],
        "assessed": {"reported": status_label(register, row["reported_status"], lang),
                     "assessed": status_label(register, row["assessed_status"], lang),
                     "source": _text(row.get("assessed_source")),
                     "reporting_agency": agency_name(register, row["reporting_agency"], lang)
                     if isinstance(row.get("reporting_agency"), str) else "",
                     "state": state_label(row["follow_up_state"], lang), "state_code": row["follow_up_state"],
                     "narrative": _text(row.get("narrative"))},
        "history": history_rows(data, lang, measure_id=measure_id),
        "evidence": evidence_context(data, measure_id, row, lang),
        "indicators": indicator_links(measure.indicators, indicators, lang),
        "source_url": measure.source_url or "", "reliability": measure.reliability or "",
        "note": measure.note or "",
    }


def assessed_citation(row, lang: str) -> str:
    """Where the assessed status is supported: "polisen_arsredovisning_2025.pdf, s. 14" (p. on English
    pages), or "" when no reviewer's decision supports one."""
    document, page = row.get("assessed_document"), row.get("assessed_page")
    if not isinstance(document, str) or page is None or page is pd.NA or (isinstance(page, float) and pd.isna(page)):
        return ""
    return t("evidence_review.site.cite", lang, document=document, page=int(page))


ASSESSMENT_STATES = ("agrees", "differs", "reported_completed_no_evidence", "no_evidence", "no_report")


def assessment_summary(data: ProgrammeData, lang: str) -> dict:
    """How the reported statuses compare with what the documents show, for the whole programme: a count per
    assessment state, and the measures whose report the evidence does not bear out (reported completed
    without evidence, or a reviewer found another status), so a reader can open each one."""
    status = data.tables["measure_status"]
    if "assessment_state" not in status.columns:
        return {"rows": [], "flagged": []}
    counts = status["assessment_state"].value_counts().to_dict()
    flagged_states = status.groupby("assessment_state")["illustrative"].any().to_dict()
    rows = [(t(f"evidence_review.state.{s}", lang), int(counts.get(s, 0)), bool(flagged_states.get(s, False)))
            for s in ASSESSMENT_STATES]
    attention = status[status["assessment_state"].isin(["reported_completed_no_evidence", "differs"])]
    flagged = [{"id": r["measure_id"], "href": f"measures/{r['measure_id']}.html",
                "title": r[f"title_{lang}"], "state": t(f"evidence_review.state.{r['assessment_state']}", lang),
                "illustrative": bool(r["illustrative"])}
               for _, r in attention.sort_values("measure_id").iterrows()]
    return {"rows": rows, "flagged": flagged}


def evidence_context(data: ProgrammeData, measure_id: str, row: dict, lang: str) -> dict:
    """The "Underlag" section of a measure page: reported beside assessed status (a reviewer's decision,
    citing document and page), how they compare, and the passages the finder found in the report year's
    documents. Passages are agency text: the template escapes them and marks them lang="sv"."""
    register = data.register
    state = _text(row.get("assessment_state")) or ("no_report" if not isinstance(row.get("reported_status"), str)
                                                   else "no_evidence")
    citation = assessed_citation(row, lang)
    passages = [{"document": _text(c["original_name"]), "page": int(c["page"]), "excerpt": _text(c["excerpt"]),
                 "suggested": status_label(register, c["suggested_status"], lang),
                 "words": _text(c["status_words"]), "illustrative": _flag(c, "illustrative")}
                for c in data.passages.get((measure_id, data.year), [])]
    return {"reported": status_label(register, row.get("reported_status"), lang),
            "reported_illustrative": _flag(row, "status_illustrative"),
            "assessed": status_label(register, row.get("assessed_status") or "okand", lang),
            "assessed_illustrative": _flag(row, "assessed_illustrative"),
            "citation": citation, "reported_location": _text(row.get("reported_location")),
            "reported_evidence": _text(row.get("reported_evidence")),
            "state": t(f"evidence_review.state.{state}", lang), "state_code": state,
            "passages": passages}


def agency_perspectives(data: ProgrammeData, agency_id: str, lang: str) -> list[dict]:
    """Per perspective: how many of the agency's measures plan it (register) and how many the agency
    reports having applied it to (its own reports for the year)."""
    register = data.register
    mine = [m for m in register.measures.values() if agency_id in m.agencies]
    status = data.tables["measure_status"]
    reported_by_me = status[(status["reporting_agency"] == agency_id)
                            & status["measure_id"].isin([m.id for m in mine])]
    reported_codes = [c for text in reported_by_me["reported_perspectives"] for c in split_codes(text)]
    illustrative = bool(reported_by_me["status_illustrative"].any()) if not reported_by_me.empty else False
    return [{"label": code_label(register.perspectives, p, lang),
             "planned": sum(p in m.perspectives for m in mine), "reported": reported_codes.count(p),
             "illustrative": illustrative and p in reported_codes}
            for p in register.perspectives]


def refused_files(data: ProgrammeData, agency_id: str, lang: str) -> list[dict]:
    """Refused files of one agency. A refused file was never read into the warehouse, so the agency is
    known only from the file name, which the templates start with the agency id (``<agency>_<year>…``)."""
    frame = data.tables["rejected_submissions"]
    return [{"file": r["original_name"], "message": r[f"message_{lang}"], "location": r["location"]}
            for _, r in frame.iterrows() if str(r["original_name"]).startswith(f"{agency_id}_")]


def agency_page_context(data: ProgrammeData, agency_id: str, lang: str) -> dict:
    """Everything the page of one agency shows (its measures, key figures, obstacles, perspectives, reports)."""
    base = agency_context(data, agency_id, lang)
    register = data.register
    status = data.tables["measure_status"]
    links = data.tables["measure_agencies"]
    mine = links[links["agency_id"] == agency_id]
    mine_status = status[status["measure_id"].isin(mine["measure_id"])]
    states = mine_status["follow_up_state"].value_counts().to_dict()
    illustrative_states = mine_status.groupby("follow_up_state")["illustrative"].any().to_dict()
    roles = dict(zip(mine["measure_id"], mine["role"], strict=False))
    measures = base["measures"]
    for m in measures:
        m["role"] = t("pp.role.responsible" if roles.get(m["id"]) == "responsible" else "pp.role.co_responsible",
                      lang)
    submitted = data.tables["submissions"]
    return {**base, "id": agency_id, "measures": measures,
            "key_figures": [k for k in base["key_figures"] if k["year"] == data.year],   # the report year's
            "summary": [(state_label(s, lang), int(states.get(s, 0)), bool(illustrative_states.get(s, False)))
                        for s in STATE_ORDER],
            "total": len(mine_status),
            "responsible": int((mine["role"] == "responsible").sum()),
            "submitted": [{**s, "year": int(r["year"])} for s, (_, r) in
                          zip(base["submitted"], submitted[submitted["agency_id"] == agency_id].iterrows(),
                              strict=True)],
            "refused": refused_files(data, agency_id, lang),
            "reports": latest_reports(data, agency_id=agency_id, lang=lang),
            "history": history_rows(data, lang, agency_id=agency_id),
            "perspectives": agency_perspectives(data, agency_id, lang),
            "in_assignment": agency_id in register.collaboration_assignment.get("agencies", ()),
            "narratives": [{"id": n["id"], "href": f"measures/{n['id']}.html", "text": n["text"]}
                           for n in base["narratives"]],
        }


def agencies_index_context(data: ProgrammeData, lang: str) -> list[dict]:
    """One row per agency with measures: counts by state, report received or not."""
    status = data.tables["measure_status"]
    links = data.tables["measure_agencies"]
    submitted = reported_agencies(data)
    rows = []
    for agency_id in data.register.agencies:
        mine = links[links["agency_id"] == agency_id]
        if mine.empty:
            continue
        part = status[status["measure_id"].isin(mine["measure_id"])]
        states = part["follow_up_state"].value_counts().to_dict()
        rows.append({"id": agency_id, "name": agency_name(data.register, agency_id, lang),
                     "href": f"agencies/{agency_id}.html", "measures": len(part),
                     "responsible": int((mine["role"] == "responsible").sum()),
                     "states": [int(states.get(s, 0)) for s in STATE_ORDER],
                     "reported": t("ap.submitted_yes" if agency_id in submitted else "ap.submitted_no", lang),
                     "illustrative": bool(part["status_illustrative"].any())})
    return rows


def collaboration_context(data: ProgrammeData, lang: str, indicators: dict[str, dict]) -> dict:
    """The 2024 collaboration assignment: its parts × its agencies, status per year, obstacles by category.

    The register does not record the agencies' reports part by part; a cell the data cannot fill says
    "uppgift saknas" rather than a number.
    """
    register = data.register
    assignment = register.collaboration_assignment
    agencies = list(assignment.get("agencies", []))
    tasks = list(assignment.get("tasks", []))
    status = data.tables["measure_status"]
    collab = data.tables["collaboration_status"].set_index("agency_id") \
        if "collaboration_status" in data.tables else pd.DataFrame()
    obstacles = data.tables["obstacles"]
    current = obstacles[obstacles["year"] == data.year]
    figures = data.tables["key_figures"]
    perpetrator = {k for k, f in register.key_figures.items() if f.perpetrator_focused}
    no_data = t("site.no_data", lang)

    def cell(task_id: str, agency: str) -> dict:
        """The part's reported status for the year (template version 2), then what else shows it."""
        from reports.programme_followup import part_status

        found = evidence_cell(task_id, agency)
        reported = part_status(data, task_id, agency, data.year, lang)
        if reported is None:
            return found
        if found["text"] == no_data:
            return {**reported, "href": f"agencies/{agency}.html"}
        return {"text": f"{reported['text']} · {found['text']}", "href": found["href"] or f"agencies/{agency}.html",
                "illustrative": reported["illustrative"] or found["illustrative"]}

    def evidence_cell(task_id: str, agency: str) -> dict:
        if task_id == OBSTACLES_TASK:
            mine = current[current["agency_id"] == agency]
            if mine.empty:
                return {"text": t("pp.collab.no_obstacles", lang) if agency in set(
                    data.tables["submissions"]["agency_id"]) else no_data, "href": None, "illustrative": False}
            return {"text": t("pp.collab.obstacles_count", lang, count=len(mine)),
                    "href": f"agencies/{agency}.html#obstacles", "illustrative": bool(mine["illustrative"].any())}
        if task_id == PERPETRATOR_TASK:
            mine = figures[(figures["agency_id"] == agency) & figures["key_figure_id"].isin(perpetrator)
                           & (figures["year"] == data.year)]
            if mine.empty:
                return {"text": no_data, "href": None, "illustrative": False}
            return {"text": t("pp.collab.key_figures_count", lang, count=len(mine)),
                    "href": f"agencies/{agency}.html#key-figures",
                    "illustrative": bool(mine["illustrative"].fillna(False).astype(bool).any())}
        return {"text": no_data, "href": None, "illustrative": False}

    years = list(range(int(assignment.get("year", data.year)), data.year + 1))
    per_year = []
    for agency in agencies:
        links = data.tables["measure_agencies"]
        measures = status[status["collaboration_assignment"] & status["measure_id"].isin(
            links[links["agency_id"] == agency]["measure_id"])]["measure_id"].tolist()
        reported = latest_reports(data, agency_id=agency, lang=lang)
        cells = []
        for year in years:
            found = [r for r in reported if r["year"] == year and r["measure"] in measures]
            cells.append({"items": [{"measure": r["measure"], "href": r["measure_href"], "status": r["status"],
                                     "illustrative": r["illustrative"]} for r in found],
                          "text": "" if found else no_data})
        row = collab.loc[agency] if agency in collab.index else None
        per_year.append({"agency": agency_name(register, agency, lang), "href": f"agencies/{agency}.html",
                         "reported": t("ap.submitted_yes" if row is not None and bool(row["reported"])
                                       else "ap.submitted_no", lang),
                         "illustrative": bool(row["illustrative"]) if row is not None else False,
                         "cells": cells})
    categories = list(register.obstacle_categories)
    by_category = []
    for category in categories:
        part = current[current["category"] == category]
        counts = [int((part["agency_id"] == a).sum()) for a in agencies]
        by_category.append({"label": code_label(register.obstacle_categories, category, lang), "counts": counts,
                            "total": sum(counts), "illustrative": bool(part["illustrative"].any())})
    measures = status[status["collaboration_assignment"]]
    return {
        "title": assignment.get("title", {}).get(lang, ""), "note": assignment.get("note", {}).get(lang, ""),
        "reliability": assignment.get("reliability", ""), "year": data.year, "as_of": data.as_of,
        "tasks": [task[lang] for task in tasks],
        "agencies": [{"name": agency_name(register, a, lang), "href": f"agencies/{a}.html"} for a in agencies],
        "matrix": [{"task": task[lang], "cells": [cell(task["id"], a) for a in agencies]} for task in tasks],
        "years": years, "per_year": per_year,
        "by_category": by_category,
        "obstacles": obstacle_rows(data, lang, agencies, year=data.year),
        "measures": measure_rows(data, measures, lang),
        "indicators": indicator_links(assignment.get("perpetrator_indicators", []), indicators, lang),
        "key_figures": [k for k in key_figure_rows(data, lang, sorted(
            k for k in perpetrator if register.key_figures[k].agency in agencies)) if k["year"] == data.year],
        "any_illustrative": bool(measures["illustrative"].any()) or bool(current["illustrative"].any()),
    }


def measure_index(data: ProgrammeData, lang: str) -> list[dict]:
    """All measures grouped by programme objective, for the overview's compact list of links."""
    status = data.tables["measure_status"]
    groups = []
    for objective in data.register.objectives:
        part = status[status["programme_objective"] == objective]
        groups.append({"code": objective, "name": f"{objective}: {_label(data.register.objectives, objective, lang)}",
                       "href": f"objectives/{objective}.html", "measures": measure_rows(data, part, lang)})
    return groups
