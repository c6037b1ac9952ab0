"""The action programme in the warehouse: the register as tables, submissions as current reports
plus an append-only history of status changes.

A resubmission for the same agency and year replaces the current reports, key figures and obstacles
of that agency and year (one transaction); each measure whose status changed gets a new dated row in
``programme.status_events``, which is never updated or deleted. A refused file is recorded in
``programme.rejected_submissions`` with the rule and the cell, never with the refused content.

Every submission carries its reliability (``official`` unless its ``.provenance.yaml`` says otherwise,
see ``indicators.programme.provenance``), and every row loaded from it (reports, status events, key
figures, obstacles) carries ``illustrative``, so that nothing from an invented report reads as real.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from indicators.programme.register import Register
from indicators.programme.submission import Submission
from indicators.readers import ReaderError

SQL_DIR = Path(__file__).resolve().parent.parent / "sql" / "programme"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the submission tables if missing (the register tables are rebuilt by ``store_register``)."""
    text = (SQL_DIR / "schema.sql").read_text(encoding="utf-8")
    conn.execute(text.split("-- The register as tables")[0])


def _insert(conn: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert by column name; ``table`` is one of this module's own constants, never input."""
    if frame.empty:
        return
    conn.register("programme_rows", frame)
    conn.execute(f"insert into {table} by name select * from programme_rows")
    conn.unregister("programme_rows")


def store_register(conn: duckdb.DuckDBPyConnection, register: Register) -> int:
    """Replace the register tables with the register as loaded from data/programme/."""
    conn.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
    measures = register.measures.values()
    _insert(conn, "programme.measures", pd.DataFrame([{
        "measure_id": m.id, "title_sv": m.title["sv"], "title_en": m.title["en"],
        "programme_objective": m.programme_objective, "priority_area": m.priority_area,
        "measure_type": m.type, "start_date": m.start, "deadline": m.deadline,
        "collaboration_assignment": m.collaboration_assignment, "illustrative": m.illustrative,
        "reliability": getattr(m, "reliability", None), "source_url": m.source_url,
        "reference": m.reference} for m in measures]))
    _insert(conn, "programme.measure_agencies", pd.DataFrame(
        [{"measure_id": m.id, "agency_id": a, "role": "responsible", "position": i}
         for m in measures for i, a in enumerate(m.responsible)]
        + [{"measure_id": m.id, "agency_id": a, "role": "co_responsible", "position": len(m.responsible) + i}
           for m in measures for i, a in enumerate(m.co_responsible)]))
    _insert(conn, "programme.measure_strategy_objectives", pd.DataFrame(
        [{"measure_id": m.id, "strategy_objective": o} for m in measures for o in m.strategy_objectives]))
    _insert(conn, "programme.measure_perspectives", pd.DataFrame(
        [{"measure_id": m.id, "perspective": p} for m in measures for p in m.perspectives]))
    _insert(conn, "programme.measure_indicators", pd.DataFrame(
        [{"measure_id": m.id, "indicator_id": i} for m in measures for i in m.indicators]))
    _insert(conn, "programme.agencies", pd.DataFrame(
        [{"agency_id": a.id, "name_sv": a.name["sv"], "name_en": a.name["en"], "position": i}
         for i, a in enumerate(register.agencies.values())]))
    _insert(conn, "programme.key_figure_relations", pd.DataFrame(
        [{"relation_id": r.id, "kind": r.kind, "position": i, "key_figure_id": k}
         for r in register.key_figure_relations for i, k in enumerate(r.members)]))
    _insert(conn, "programme.key_figure_definitions", pd.DataFrame([{
        "key_figure_id": k.id, "agency_id": k.agency, "label_sv": k.label["sv"], "label_en": k.label["en"],
        "indicator_id": k.indicator, "perpetrator_focused": k.perpetrator_focused}
        for k in register.key_figures.values()]))
    assignment = register.collaboration_assignment or {}
    _insert(conn, "programme.collaboration_agencies", pd.DataFrame(
        [{"agency_id": a, "position": i} for i, a in enumerate(assignment.get("agencies", []))]))
    _insert(conn, "programme.collaboration_tasks", pd.DataFrame(
        [{"task_id": task.get("id", str(i)), "task_sv": task["sv"], "task_en": task["en"], "position": i}
         for i, task in enumerate(assignment.get("tasks", []))]))
    _insert(conn, "programme.follow_up_dates", pd.DataFrame(
        [{"follow_up_date": d.date, "year": d.year, "annual": d.annual, "in_depth": d.in_depth,
          "label_sv": d.label["sv"], "label_en": d.label["en"], "position": i}
         for i, d in enumerate(getattr(register, "follow_up_dates", ()))]))
    return len(register.measures)


def is_recorded(conn: duckdb.DuckDBPyConnection, sha256: str) -> bool:
    """Whether a file (by content hash) was already loaded or refused."""
    ensure_schema(conn)
    query = ("select (select count(*) from programme.submissions where snapshot_sha256 = $h)"
             " + (select count(*) from programme.rejected_submissions where snapshot_sha256 = $h)")
    return conn.execute(query, {"h": sha256}).fetchone()[0] > 0


def store_submission(conn: duckdb.DuckDBPyConnection, submission: Submission, *, content: bytes,
                     original_name: str, reliability: str = "official") -> int:
    """Load one validated submission in one transaction; returns the number of status events added.

    ``reliability`` is the report's tag from its sidecar; every row loaded gets ``illustrative``.
    """
    ensure_schema(conn)
    sha = hashlib.sha256(content).hexdigest()
    illustrative = reliability == "illustrative"
    key = {"agency": submission.agency_id, "year": submission.year}
    now = _now()
    conn.begin()
    try:
        # (status, illustrative) before: a report that changes either gets an event, so that a real
        # report confirming an invented status still shows in the history as a change of reliability.
        previous = {r[0]: (r[1], bool(r[2])) for r in conn.execute(
            "select measure_id, reported_status, coalesce(illustrative, false) from programme.measure_reports "
            "where agency_id = $agency and year = $year", key).fetchall()}
        conn.execute("update programme.submissions set superseded_by = $sha "
                     "where agency_id = $agency and year = $year and superseded_by is null", {**key, "sha": sha})
        for table in ("programme.measure_reports", "programme.key_figures", "programme.obstacles",
                      "programme.collaboration_reports"):
            conn.execute(f"delete from {table} where agency_id = $agency and year = $year", key)
        _insert(conn, "programme.submissions", pd.DataFrame([{
            "agency_id": submission.agency_id, "year": submission.year, "snapshot_sha256": sha,
            "original_name": original_name, "format": submission.format, "received_at": now,
            "superseded_by": None, "reliability": reliability, "illustrative": illustrative}]))
        reports = pd.DataFrame([{
            "measure_id": m.measure_id, "agency_id": submission.agency_id, "year": submission.year,
            "reported_status": m.status, "status_date": m.status_date,
            "perspectives": ",".join(m.perspectives), "evidence": m.evidence or None,
            "evidence_location": m.location.get("evidence"), "narrative": m.narrative or None,
            "location": m.location.get("status", ""), "snapshot_sha256": sha, "illustrative": illustrative}
            for m in submission.measures])
        _insert(conn, "programme.measure_reports", reports)
        events = pd.DataFrame([{
            "measure_id": m.measure_id, "agency_id": submission.agency_id, "year": submission.year,
            "reported_status": m.status, "status_date": m.status_date, "evidence": m.evidence or None,
            "location": m.location.get("status", ""), "snapshot_sha256": sha, "recorded_at": now,
            "illustrative": illustrative}
            for m in submission.measures if previous.get(m.measure_id) != (m.status, illustrative)])
        _insert(conn, "programme.status_events", events)
        _insert(conn, "programme.key_figures", pd.DataFrame([{
            "agency_id": submission.agency_id, "year": submission.year, "key_figure_id": k.key_figure_id,
            "value": k.value, "location": k.location.get("value", ""), "snapshot_sha256": sha,
            "illustrative": illustrative}
            for k in submission.key_figures]))
        _insert(conn, "programme.obstacles", pd.DataFrame([{
            "agency_id": submission.agency_id, "year": submission.year, "category": o.category,
            "description": o.description, "proposed_solution": o.proposed_solution,
            "location": o.location.get("description", ""), "snapshot_sha256": sha, "illustrative": illustrative,
            "actor": getattr(o, "actor", None)}
            for o in submission.obstacles]))
        _insert(conn, "programme.collaboration_reports", pd.DataFrame([{
            "agency_id": submission.agency_id, "year": submission.year, "part_id": part.part_id,
            "reported_status": part.status, "evidence": part.evidence or None,
            "evidence_location": part.location.get("evidence"), "narrative": part.narrative or None,
            "location": part.location.get("status", ""), "snapshot_sha256": sha, "illustrative": illustrative}
            for part in getattr(submission, "parts", ())]))
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    return len(events)


def backfill_reliability(conn: duckdb.DuckDBPyConnection, sha256: str, reliability: str) -> int:
    """Give a submission loaded before reports carried a reliability its tag, once; returns rows filled.

    Only empty (NULL) flags are filled: a reliability once recorded is never changed by a later run,
    so removing a sidecar cannot silently turn an illustrative report official.
    """
    ensure_schema(conn)
    statements = (SQL_DIR / "backfill_reliability.sql").read_text(encoding="utf-8")
    params = {"sha": sha256, "reliability": reliability, "illustrative": reliability == "illustrative"}
    filled = 0
    for statement in (s for s in statements.split(";") if s.strip() and not _only_comments(s)):
        filled += conn.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement}).fetchone()[0]
    return filled


def _only_comments(statement: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in statement.splitlines())


def current_submissions(conn: duckdb.DuckDBPyConnection) -> tuple[int, str]:
    """How many submissions are current, and the hashes of all loaded ones (the asset's data version)."""
    count = conn.execute((SQL_DIR / "current_submissions.sql").read_text(encoding="utf-8")).fetchone()[0]
    hashes = "".join(r[0] for r in conn.execute((SQL_DIR / "submission_hashes.sql").read_text(encoding="utf-8"))
                     .fetchall())
    return int(count), hashes


def report_years(conn: duckdb.DuckDBPyConnection) -> list[int]:
    """The years some agency has reported for."""
    return [int(r[0]) for r in conn.execute((SQL_DIR / "report_years.sql").read_text(encoding="utf-8")).fetchall()]


def state_counts(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Measures per follow-up state in ``programme.measure_status``."""
    return {str(k): int(v) for k, v in conn.execute((SQL_DIR / "state_counts.sql").read_text(encoding="utf-8"))
            .fetchall()}


def key_figures_for_protection(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The current key figures with their illustrative flag, as the disclosure control takes them."""
    return conn.execute((SQL_DIR / "key_figures_input.sql").read_text(encoding="utf-8")).df()


def store_protected_key_figures(conn: duckdb.DuckDBPyConnection, published: pd.DataFrame, log: pd.DataFrame,
                                counts: pd.DataFrame) -> None:
    """Replace ``programme.key_figures_published``, ``key_figure_suppression_log`` and its counts."""
    for name, frame in (("published", published), ("log", log), ("counts", counts)):
        conn.register(f"protected_{name}", frame)
    try:
        conn.execute((SQL_DIR / "key_figures_publish.sql").read_text(encoding="utf-8"))
    finally:
        for name in ("published", "log", "counts"):
            conn.unregister(f"protected_{name}")


def record_rejection(conn: duckdb.DuckDBPyConnection, error: ReaderError, *, content: bytes,
                     original_name: str) -> None:
    """Keep that a file was refused and why; the messages mask any personal identity number."""
    ensure_schema(conn)
    _insert(conn, "programme.rejected_submissions", pd.DataFrame([{
        "snapshot_sha256": hashlib.sha256(content).hexdigest(), "original_name": original_name,
        "message_key": error.key, "location": error.location, "message_sv": error.message("sv"),
        "message_en": error.message("en"), "recorded_at": _now()}]))
