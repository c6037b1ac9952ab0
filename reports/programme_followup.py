"""The action programme over time and the collaboration assignment part by part (issue 10 items 4, 5, 7):
view models for programme.html and collaboration.html, and the perspective coverage matrix as a CSV.

Pure functions of the warehouse tables in ``ProgrammeData.tables`` (``follow_up_dates``,
``rollups_at_dates``, ``status_moves``, ``collaboration_parts``) and of the indicator catalogue's
``perspectives``. A table an older warehouse lacks gives an empty section, never an invented one. Every
count or status that rests on an illustrative report or measure carries ``illustrative`` so that the
page can mark it [ill.].
"""

from __future__ import annotations

import pandas as pd

from indicators.formatting import iso_date
from indicators.i18n import t
from indicators.programme.template import ACTOR_ALL, ACTOR_GOVERNMENT
from reports.programme import ProgrammeData, agency_name, code_label, state_label, status_label

NO_REPORT = "no_report"
STATES = ("completed", "late", "not_due", "no_report", "discontinued")


def _table(data: ProgrammeData, name: str) -> pd.DataFrame:
    return data.tables.get(name, pd.DataFrame())


def _bool(value: object) -> bool:
    return bool(value) if value is not None and not (isinstance(value, float) and pd.isna(value)) else False


def actor_label(data: ProgrammeData, actor: object, lang: str) -> str:
    """Who should act, by name: an agency, the government, all concerned, or "not stated"."""
    if not isinstance(actor, str) or not actor:
        return t("programme_followup.actor.none", lang)
    if actor in (ACTOR_GOVERNMENT, ACTOR_ALL):
        return t(f"programme_followup.actor.{actor}", lang)
    return agency_name(data.register, actor, lang)


# ------------------------------------------------------------------------------ status at follow-up dates
def follow_up_dates_context(data: ProgrammeData, lang: str) -> dict:
    """One row per declared follow-up date: in force, counts by reported status and by follow-up state.

    Dates after the report date are listed as not yet reached; a date before the programme has no
    measures in force and says so.
    """
    register = data.register
    rollups = _table(data, "rollups_at_dates")
    whole = rollups[rollups["dimension"] == "programme"] if not rollups.empty else rollups
    statuses = [*register.statuses, NO_REPORT]
    rows = []
    for declared in getattr(register, "follow_up_dates", ()):
        part = whole[pd.to_datetime(whole["follow_up_date"]).dt.date == declared.date] if not whole.empty else whole
        reached = declared.date.isoformat() <= data.as_of
        by_status = part[part["kind"] == "reported_status"] if not part.empty else part
        by_state = part[part["kind"] == "follow_up_state"] if not part.empty else part

        def cells(frame: pd.DataFrame, codes) -> list[dict]:
            out = []
            for code in codes:
                hit = frame[frame["value"] == code] if not frame.empty else frame
                out.append({"count": int(hit["measures"].sum()) if not hit.empty else 0,
                            "illustrative": bool(hit["illustrative_statuses"].sum()) if not hit.empty else False})
            return out

        in_force = int(by_status["measures"].sum()) if not by_status.empty else 0
        rows.append({"date": declared.date.isoformat(), "label": declared.label[lang],
                     "in_depth": declared.in_depth, "reached": reached, "in_force": in_force,
                     "statuses": cells(by_status, statuses), "states": cells(by_state, STATES),
                     "illustrative": bool(part["illustrative"].any()) if not part.empty else False})
    return {"rows": rows,
            "status_columns": [status_label(register, code, lang) if code != NO_REPORT
                               else state_label(NO_REPORT, lang) for code in statuses],
            "state_columns": [state_label(s, lang) for s in STATES]}


def moves_context(data: ProgrammeData, lang: str) -> dict:
    """What moved between the two latest follow-up dates with reports: per measure and agency."""
    register = data.register
    moves = _table(data, "status_moves")
    if moves.empty:
        return {"rows": [], "from": "", "to": "", "first_report": 0, "no_longer_reported": 0}
    rows = []
    for r in moves[moves["change"] == "changed"].to_dict("records"):
        measure = register.measures.get(r["measure_id"])
        rows.append({"id": r["measure_id"], "href": f"measures/{r['measure_id']}.html",
                     "title": measure.title[lang] if measure else r["measure_id"],
                     "measure_illustrative": _bool(r.get("measure_illustrative")),
                     "agency": agency_name(register, r["agency_id"], lang),
                     "agency_href": f"agencies/{r['agency_id']}.html",
                     "before": status_label(register, r["status_before"], lang),
                     "after": status_label(register, r["status_after"], lang),
                     "state_after": state_label(r["state_after"], lang),
                     "source": f"{r['source_file_after']}, {r['source_after']}",
                     "before_illustrative": _bool(r.get("illustrative_before")),
                     "after_illustrative": _bool(r.get("illustrative_after"))})
    return {"rows": rows, "from": iso_date(moves["from_date"].iloc[0]), "to": iso_date(moves["to_date"].iloc[0]),
            "first_report": int((moves["change"] == "first_report").sum()),
            "no_longer_reported": int((moves["change"] == "no_longer_reported").sum())}


# ------------------------------------------------------------------------------------ collaboration parts
def collaboration_parts_context(data: ProgrammeData, lang: str) -> list[dict]:
    """Per year: the assignment's parts × its agencies, each cell the reported and the assessed status."""
    register = data.register
    parts = _table(data, "collaboration_parts")
    if parts.empty:
        return []
    assignment = register.collaboration_assignment
    agencies = list(assignment.get("agencies", ()))
    tasks = list(assignment.get("tasks", ()))
    by_key = {(r["part_id"], r["agency_id"], int(r["year"])): r for r in parts.to_dict("records")}
    years = sorted({int(y) for y in parts["year"]})
    tables = []
    for year in years:
        rows = []
        for position, task in enumerate(tasks, start=1):
            cells = []
            for agency in agencies:
                r = by_key.get((task["id"], agency, year))
                if r is None or not _bool(r.get("reported")):
                    received = r is not None and _bool(r.get("report_received"))
                    cells.append({"reported": t("programme_followup.parts.not_reported" if received
                                                else "site.no_data", lang),
                                  "assessed": "", "source": "", "illustrative": False})
                    continue
                cells.append({"reported": status_label(register, r["reported_status"], lang),
                              "assessed": status_label(register, r["assessed_status"], lang),
                              "source": f"{r['source_file']}, {r['source']}",
                              "illustrative": _bool(r.get("illustrative"))})
            rows.append({"position": position, "task": task[lang], "cells": cells})
        tables.append({"year": year, "rows": rows,
                       "agencies": [{"name": agency_name(register, a, lang), "href": f"agencies/{a}.html"}
                                    for a in agencies]})
    return tables


def part_status(data: ProgrammeData, part_id: str, agency_id: str, year: int, lang: str) -> dict | None:
    """The reported status of one part by one agency in one year, or None when it was not reported."""
    parts = _table(data, "collaboration_parts")
    if parts.empty:
        return None
    hit = parts[(parts["part_id"] == part_id) & (parts["agency_id"] == agency_id) & (parts["year"] == year)
                & parts["reported"].astype(bool)]
    if hit.empty:
        return None
    r = hit.iloc[0]
    return {"text": status_label(data.register, r["reported_status"], lang), "illustrative": _bool(r["illustrative"])}


# ---------------------------------------------------------------------------------- perspective coverage
def perspective_matrix_frame(data: ProgrammeData) -> pd.DataFrame:
    """Perspective × {indicators, measures planned, measures reported}: which perspective nothing covers.

    ``indicators`` counts the catalogue's indicators tagged with the perspective (development indicators
    included, they are what is planned for it), ``planned`` the register's measures that plan it,
    ``reported`` the measures whose report for the year says it was applied.
    """
    register = data.register
    tagged = data.indicator_perspectives
    coverage = _table(data, "perspective_coverage")
    rows = []
    for code in register.perspectives:
        ids = sorted(i for i, codes in tagged.items() if code in codes)
        part = coverage[coverage["perspective"] == code] if not coverage.empty else coverage
        planned = int(part["planned"].sum()) if not part.empty else 0
        reported = int(part["reported"].sum()) if not part.empty else 0
        rows.append({"perspective": code, "indicators": len(ids), "indicator_ids": " ".join(ids),
                     "measures_planned": planned, "measures_reported": reported,
                     "covered": bool(ids or planned or reported),
                     "illustrative": bool(part["illustrative"].any()) if not part.empty else False})
    return pd.DataFrame(rows, columns=["perspective", "indicators", "indicator_ids", "measures_planned",
                                       "measures_reported", "covered", "illustrative"])


def perspective_matrix_context(data: ProgrammeData, lang: str) -> dict:
    frame = perspective_matrix_frame(data)
    rows = [{"label": code_label(data.register.perspectives, r["perspective"], lang),
             "indicators": [{"id": i, "href": f"indicators/{i}.html"} for i in r["indicator_ids"].split()],
             "planned": int(r["measures_planned"]), "reported": int(r["measures_reported"]),
             "covered": bool(r["covered"]), "illustrative": bool(r["illustrative"])}
            for r in frame.to_dict("records")]
    return {"rows": rows, "uncovered": [r["label"] for r in rows if not r["covered"]],
            "weak": [r["label"] for r in rows if r["covered"] and not r["indicators"]],
            "no_measure": [r["label"] for r in rows if r["covered"] and not (r["planned"] or r["reported"])]}
