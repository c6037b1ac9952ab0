"""Agency documents, their pages, the finder's candidates and the analysts' decisions in the warehouse.

The ``evidence`` schema (``indicators/sql/evidence/schema.sql``) keeps documents as history, like
statistics files: a document is known by its content hash, its pages are written once in one
transaction with it, and a document whose file left ``DATA_DIR/documents/`` is removed explicitly (the
asset reports it), so the warehouse stays a function of the data folder. Candidates are recomputed on
every run; decisions are appended per review workbook and the latest one per measure counts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from indicators.i18n import t
from indicators.programme.identity_numbers import safe_text
from indicators.readers import ReaderError

SQL_DIR = Path(__file__).resolve().parents[1] / "sql" / "evidence"

CANDIDATE_COLUMNS = ["measure_id", "document_sha256", "page", "rank", "score", "match_kind", "excerpt",
                     "suggested_status", "status_words", "illustrative"]
DECISION_COLUMNS = ["measure_id", "year", "document_sha256", "page", "decision", "comment", "location",
                    "review_sha256", "reviewer", "received_at", "illustrative"]


def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def statements(name: str) -> list[str]:
    """The statements of one .sql file, empty ones (comments only) dropped."""
    return [s for s in sql(name).split(";")
            if any(line.strip() and not line.strip().startswith("--") for line in s.splitlines())]


def ensure_evidence_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the evidence tables if absent (candidates are recreated empty only when missing)."""
    exists = conn.execute("select count(*) from information_schema.tables where table_schema = 'evidence' "
                          "and table_name = 'candidates'").fetchone()[0]
    for statement in statements("schema"):
        if exists and "evidence.candidates" in statement and "create or replace" in statement:
            continue
        conn.execute(statement)


def document_shas(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """sha256 → original name of every document in the warehouse."""
    ensure_evidence_schema(conn)
    return dict(conn.execute("select document_sha256, original_name from evidence.documents").fetchall())


def is_rejected(conn: duckdb.DuckDBPyConnection, sha256: str) -> bool:
    ensure_evidence_schema(conn)
    return conn.execute("select count(*) from evidence.rejected_documents where document_sha256 = ?",
                        [sha256]).fetchone()[0] > 0


def store_document(conn: duckdb.DuckDBPyConnection, document, recognition, *, original_name: str,
                   reliability: str) -> int:
    """Write a document and its pages in one transaction; returns the number of pages stored with text."""
    ensure_evidence_schema(conn)
    withheld = sum(1 for p in document.pages if p.withheld)
    conn.execute("begin transaction")
    try:
        conn.execute(
            "insert into evidence.documents values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [document.sha256, original_name, document.format, recognition.agency_id, recognition.year,
             recognition.doc_type, document.title, len(document.pages), withheld, document.extractor,
             recognition.recognised_by, reliability, reliability == "illustrative", datetime.now(UTC)])
        conn.executemany(
            "insert into evidence.pages values (?, ?, ?, ?, ?)",
            [[document.sha256, p.number, p.text, p.withheld, ", ".join(p.masked) or None]
             for p in document.pages])
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return len(document.pages) - withheld


def remove_document(conn: duckdb.DuckDBPyConnection, sha256: str) -> None:
    conn.execute("begin transaction")
    for statement in statements("remove_document"):
        conn.execute(statement, {"sha": sha256})
    conn.execute("commit")


def record_rejection(conn: duckdb.DuckDBPyConnection, error: ReaderError, *, sha256: str, original_name: str) -> None:
    """A refused document: which rule and where, in both languages; every field passes ``safe_text``."""
    ensure_evidence_schema(conn)
    conn.execute("insert into evidence.rejected_documents values (?, ?, ?, ?, ?, ?, ?)",
                 [sha256, safe_text(original_name), error.key, safe_text(error.location),
                  safe_text(error.message("sv")), safe_text(error.message("en")), datetime.now(UTC)])


def finder_inputs(conn: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(pages, measures) as ``indicators.evidence.finder.find_candidates`` takes them."""
    ensure_evidence_schema(conn)
    pages = conn.execute(sql("finder_pages")).df()
    measures = conn.execute(sql("finder_measures")).df()
    measures["agencies"] = measures["agencies"].map(lambda v: list(v) if v is not None else [])
    return pages, measures


def store_candidates(conn: duckdb.DuckDBPyConnection, candidates: pd.DataFrame) -> int:
    """Replace the candidates (they are a function of the pages and the register)."""
    ensure_evidence_schema(conn)
    frame = candidates.reindex(columns=CANDIDATE_COLUMNS)  # noqa: F841 - read by DuckDB below
    conn.execute("begin transaction")
    conn.execute("delete from evidence.candidates")
    if len(frame):
        conn.execute(f"insert into evidence.candidates select {', '.join(CANDIDATE_COLUMNS)} from frame")
    conn.execute("commit")
    return len(frame)


def reviews_loaded(conn: duckdb.DuckDBPyConnection) -> set[str]:
    ensure_evidence_schema(conn)
    return {r[0] for r in conn.execute("select distinct review_sha256 from evidence.decisions").fetchall()}


def store_decisions(conn: duckdb.DuckDBPyConnection, decisions: pd.DataFrame, *, review_sha256: str,
                    illustrative: bool) -> int:
    """Append one review workbook's decisions; a decision citing an illustrative document is illustrative."""
    ensure_evidence_schema(conn)
    frame = decisions.copy()
    frame["review_sha256"] = review_sha256
    frame["received_at"] = datetime.now(UTC)
    illustrative_docs = {r[0] for r in conn.execute(
        "select document_sha256 from evidence.documents where illustrative").fetchall()}
    frame["illustrative"] = illustrative | frame["document_sha256"].isin(illustrative_docs)
    frame = frame.reindex(columns=DECISION_COLUMNS)  # noqa: F841 - read by DuckDB below
    conn.execute("begin transaction")
    if len(frame):
        conn.execute(f"insert into evidence.decisions select {', '.join(DECISION_COLUMNS)} from frame")
    conn.execute("commit")
    return len(frame)


def removed_message(names: list[str], lang: str) -> str:
    return t("evidence_store.removed", lang, files=", ".join(names))
