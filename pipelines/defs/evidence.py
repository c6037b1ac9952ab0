"""Evidence from the agencies' own documents: documents → candidates, and analysts' decisions (schema ``evidence``).

``evidence/documents`` reads the PDF and Word reports in ``DATA_DIR/documents/`` (annual reports,
reports-back), extracts their text page by page and stores each new one in one transaction; a refused
document is recorded with its reason and the run goes on, as for agency submissions. ``evidence/candidates``
runs the finder over every page for every measure. ``evidence/decisions`` loads the filled review
workbooks in ``DATA_DIR/reviews/``. ``programme/status`` reads both. The domain logic is in
``indicators.documents`` and ``indicators.evidence``; this module only wires it.
"""

import hashlib
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from indicators.evidence.overrides import read_overrides
from indicators.evidence.store import (
    document_shas,
    ensure_evidence_schema,
    finder_inputs,
    is_rejected,
    record_rejection,
    remove_document,
    removed_message,
    reviews_loaded,
    store_candidates,
    store_decisions,
    store_document,
)
from indicators.i18n import t
from indicators.inbox import DOCUMENT, Recognised
from indicators.ledger import record_folder
from indicators.programme.provenance import report_provenance
from indicators.programme.register import load_register
from indicators.readers import ReaderError
from indicators.warehouse import files_in_arrival_order, store_snapshot
from pipelines.defs.programme import REGISTER_KEY
from pipelines.inbox_run import InboxFile, take_inbox_file
from pipelines.settings import FollowupPaths

DOCUMENT_SUFFIXES = {".pdf", ".docx"}
REVIEW_SUFFIXES = {".xlsx"}
DOCUMENTS_KEY = dg.AssetKey(["evidence", "documents"])
CANDIDATES_KEY = dg.AssetKey(["evidence", "candidates"])
DECISIONS_KEY = dg.AssetKey(["evidence", "decisions"])


def document_files(data_dir: Path) -> list[Path]:
    return files_in_arrival_order(data_dir / "documents", DOCUMENT_SUFFIXES)


def review_files(data_dir: Path) -> list[Path]:
    return files_in_arrival_order(data_dir / "reviews", REVIEW_SUFFIXES)


def read_document(path: Path, content: bytes, register):
    """Extract and recognise one document: (document, recognition, reliability); raises ReaderError."""
    from indicators.documents.extract import extract_document
    from indicators.documents.recognise import recognise

    reliability = report_provenance(path).reliability        # a malformed sidecar refuses the document
    agency, year = read_overrides(path)
    document = extract_document(content, file=path.name)
    recognition = recognise(document, register.agencies, agency=agency, year=year)
    return document, recognition, reliability


def _read_one(register, path: Path, content: bytes):
    """A task for reports.parallel: the document read, or the ReaderError that refuses it."""
    try:
        return read_document(path, content, register)
    except ReaderError as err:
        return err


class DocumentsAhead:
    """The new documents read side by side in forked worker processes (reports.parallel), a batch at a
    time, in arrival order: ``outcome(path)`` gives (document, recognition, reliability) or the
    ReaderError. Text extraction (pdfplumber) is pure Python: the 8 shipped files took 0.9 s one after
    the other, 0.65 s on two cores. A batch, not the whole folder, so that a first run over many annual
    reports holds a few files in memory at once, not all of them."""

    BATCH = 8

    def __init__(self, paths: list[Path], register):
        import indicators.documents.extract  # noqa: F401  (imported once here, inherited by the workers)
        import indicators.documents.recognise  # noqa: F401

        self.paths, self.register, self.done = paths, register, {}
        self.position = {path: i for i, path in enumerate(paths)}

    def outcome(self, path: Path):
        if path not in self.position:       # not new when the step began: read here, as before
            return _read_one(self.register, path, path.read_bytes())
        if path not in self.done:
            from reports import parallel

            start = self.position[path]
            batch = self.paths[start:start + self.BATCH]
            tasks = [(_read_one, (p, p.read_bytes())) for p in batch]
            self.done.update(zip(batch, parallel.run(self.register, tasks), strict=True))
        return self.done.pop(path)


@dg.asset(key=DOCUMENTS_KEY, deps=[REGISTER_KEY], group_name="evidence", pool="duckdb", kinds={"duckdb"},
          description="Agencies' annual reports and reports-back (DATA_DIR/documents/, PDF and DOCX): "
                      "text per page, with the agency and year; refused documents with the reason and page.")
def evidence_documents(context: dg.AssetExecutionContext, duckdb: DuckDBResource,
                       paths: FollowupPaths, config: InboxFile) -> dg.MaterializeResult:
    take_inbox_file(context, config, paths, Recognised(DOCUMENT))   # a run of inbox_sensor
    register = load_register(paths.data_path)
    paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
    files = document_files(paths.data_path)
    record_folder(paths.warehouse_dir, "evidence/documents", files)   # the replay log for `mvk rebuild`
    loaded, refused, pages, present = [], [], 0, set()
    shas = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    with duckdb.get_connection() as conn:
        known = document_shas(conn)
        new = [path for path in files if shas[path] not in known and not is_rejected(conn, shas[path])]
    read = DocumentsAhead(new, register)
    for path in files:
        sha = shas[path]
        present.add(sha)
        if sha in known:
            continue
        with duckdb.get_connection() as conn:
            if is_rejected(conn, sha):
                continue
        try:
            outcome = read.outcome(path)       # read side by side: what read_document gave or raised
            if isinstance(outcome, ReaderError):
                raise outcome
            document, recognition, reliability = outcome
        except ReaderError as err:
            with duckdb.get_connection() as conn:
                record_rejection(conn, err, sha256=sha, original_name=path.name)
            context.log.warning(t("evidence_store.refused", paths.lang, file=path.name,
                                  message=err.message(paths.lang)))
            refused.append(path.name)
            continue
        store_snapshot(path.read_bytes(), path.suffix, paths.warehouse_dir)
        with duckdb.get_connection() as conn:
            pages += store_document(conn, document, recognition, original_name=path.name,
                                    reliability=reliability)
        loaded.append(path.name)
    removed = [name for sha, name in known.items() if sha not in present]
    with duckdb.get_connection() as conn:
        for sha in [s for s in known if s not in present]:
            remove_document(conn, sha)
        current = conn.execute("select document_sha256 from evidence.documents order by 1").fetchall()
        total_pages = conn.execute("select count(*) from evidence.pages where text is not null").fetchone()[0]
        withheld = conn.execute("select count(*) from evidence.pages where withheld is not null").fetchone()[0]
    if removed:
        context.log.warning(removed_message(removed, paths.lang))
    return dg.MaterializeResult(
        metadata={"loaded_now": ", ".join(loaded) or "-", "refused_now": ", ".join(refused) or "-",
                  "removed_now": ", ".join(removed) or "-", "documents": len(current),
                  "pages_with_text": int(total_pages), "pages_withheld": int(withheld),
                  "pages_loaded_now": pages},
        data_version=dg.DataVersion(hashlib.sha256("".join(r[0] for r in current).encode()).hexdigest()))


@dg.asset(key=CANDIDATES_KEY, deps=[DOCUMENTS_KEY, REGISTER_KEY], group_name="evidence", pool="duckdb",
          kinds={"duckdb"},
          description="Candidate passages per measure (by measure id, reference number and title words), "
                      "ranked, with page, excerpt and a suggested status.")
def evidence_candidates(duckdb: DuckDBResource) -> dg.MaterializeResult:
    from indicators.evidence.finder import find_candidates

    with duckdb.get_connection() as conn:
        pages, measures = finder_inputs(conn)
    candidates = find_candidates(pages, measures)
    with duckdb.get_connection() as conn:
        count = store_candidates(conn, candidates)
    mentioned = int(candidates["measure_id"].nunique()) if len(candidates) else 0
    digest = hashlib.sha256(candidates.to_csv(index=False).encode()).hexdigest()
    return dg.MaterializeResult(metadata={"candidates": count, "measures_with_candidates": mentioned},
                                data_version=dg.DataVersion(digest))


@dg.asset(key=DECISIONS_KEY, deps=[DOCUMENTS_KEY, REGISTER_KEY], group_name="evidence", pool="duckdb",
          kinds={"duckdb"},
          description="Analysts' decisions from filled review workbooks (DATA_DIR/reviews/): the assessed "
                      "status per measure, citing document and page.")
def evidence_decisions(context: dg.AssetExecutionContext, duckdb: DuckDBResource,
                       paths: FollowupPaths) -> dg.MaterializeResult:
    from indicators.evidence.review import read_review_workbook

    register = load_register(paths.data_path)
    loaded, refused, present, rows = [], [], [], 0
    with duckdb.get_connection() as conn:
        ensure_evidence_schema(conn)
        done = reviews_loaded(conn)
    for path in review_files(paths.data_path):
        content = path.read_bytes()
        sha = hashlib.sha256(content).hexdigest()
        present.append(sha)
        if sha in done:
            continue
        try:
            reliability = report_provenance(path).reliability
            decisions = read_review_workbook(content, file=path.name, register=register)
        except ReaderError as err:
            context.log.warning(t("evidence_store.refused", paths.lang, file=path.name,
                                  message=err.message(paths.lang)))
            refused.append(path.name)
            continue
        store_snapshot(content, path.suffix, paths.warehouse_dir)
        with duckdb.get_connection() as conn:
            rows += store_decisions(conn, decisions, review_sha256=sha, illustrative=reliability == "illustrative")
        loaded.append(path.name)
    with duckdb.get_connection() as conn:
        gone = [s for s in done if s not in present]
        for sha in gone:        # a review taken out of the folder takes its decisions with it
            conn.execute("delete from evidence.decisions where review_sha256 = ?", [sha])
        total = conn.execute("select count(*) from evidence.decisions").fetchone()[0]
    return dg.MaterializeResult(
        metadata={"loaded_now": ", ".join(loaded) or "-", "refused_now": ", ".join(refused) or "-",
                  "reviews_removed": len(gone), "decisions": int(total), "decisions_loaded_now": rows},
        data_version=dg.DataVersion(hashlib.sha256("".join(sorted(present)).encode()).hexdigest()))
