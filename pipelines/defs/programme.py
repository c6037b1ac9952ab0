"""The action programme: register → submissions → status and roll-ups (warehouse schema ``programme``).

Agency submissions are files in ``DATA_DIR/submissions/`` (templates or their CSV form). Each file is
validated as ``mvk validate`` does; an accepted one is loaded (a resubmission replaces the agency's
year, status changes are kept as dated events) with the reliability its ``.provenance.yaml`` gives
(``official`` without one); a refused one is recorded with its reason and cell, and the run goes on,
because one agency's broken file must not stop the national follow-up. The key figures' disclosure
control is domain logic in ``indicators.programme.key_figures``; this module only wires it.
"""

import hashlib
from datetime import date
from pathlib import Path

import dagster as dg
import yaml
from dagster_duckdb import DuckDBResource

from indicators.compute import suppression_rule
from indicators.evidence.store import ensure_evidence_schema
from indicators.inbox import SUBMISSION, Recognised
from indicators.intake import NOT_KEPT
from indicators.ledger import note_arrival
from indicators.programme.key_figures import protect_key_figures, suppression_counts
from indicators.programme.provenance import report_provenance
from indicators.programme.register import load_register
from indicators.programme.store import (
    backfill_reliability,
    current_submissions,
    is_recorded,
    key_figures_for_protection,
    record_rejection,
    report_years,
    state_counts,
    store_protected_key_figures,
    store_register,
    store_submission,
)
from indicators.programme.submission import read_submission
from indicators.readers import ReaderError
from indicators.warehouse import files_in_arrival_order, store_snapshot
from pipelines.inbox_run import InboxFile, take_inbox_file
from pipelines.settings import FollowupPaths

SUBMISSION_SUFFIXES = {".xlsx", ".csv"}   # a README or notes beside the files are not submissions
REGISTER_KEY = dg.AssetKey(["programme", "register"])
SUBMISSIONS_KEY = dg.AssetKey(["programme", "submissions"])
SUBMISSIONS_STREAM = "programme/submissions"   # its name in the replay log (indicators.ledger)
STATUS_KEY = dg.AssetKey(["programme", "status"])
EVIDENCE_CANDIDATES_KEY = dg.AssetKey(["evidence", "candidates"])   # pipelines/defs/evidence.py
EVIDENCE_DECISIONS_KEY = dg.AssetKey(["evidence", "decisions"])
SQL_DIR = Path(__file__).resolve().parents[2] / "indicators" / "sql" / "programme"


def sql_statements(name: str) -> list[str]:
    """The statements of one .sql file, comments kept, empty ones dropped."""
    text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return [s for s in text.split(";") if any(line.strip() and not line.strip().startswith("--")
                                              for line in s.splitlines())]


def submission_files(paths: FollowupPaths) -> list:
    """Files in DATA_DIR/submissions/: by name, then those accepted by `mvk ingest` in arrival order."""
    return files_in_arrival_order(paths.data_path / "submissions", SUBMISSION_SUFFIXES)


def report_year_and_as_of(paths: FollowupPaths, years: list[int]) -> tuple[int, date]:
    """The year the follow-up reports on and the date statuses are judged at.

    ``DATA_DIR/edition.yaml`` may set ``programme_year`` and ``programme_as_of``; otherwise the latest
    year with a submission (or the edition year − 1) and 31 December of that year.
    """
    settings_path = paths.data_path / "edition.yaml"
    settings = yaml.safe_load(settings_path.read_text(encoding="utf-8")) if settings_path.exists() else {}
    edition = str(settings.get("edition", ""))
    fallback = int(edition) - 1 if edition.isdigit() else date.today().year - 1
    year = int(settings.get("programme_year") or (max(years) if years else fallback))
    as_of = settings.get("programme_as_of")
    return year, date.fromisoformat(str(as_of)) if as_of else date(year, 12, 31)


@dg.asset(key=REGISTER_KEY, group_name="programme", pool="duckdb", kinds={"duckdb"},
          description="The action programme's measure register (data/programme/*.yaml) as warehouse tables.")
def programme_register(duckdb: DuckDBResource, paths: FollowupPaths) -> dg.MaterializeResult:
    register = load_register(paths.data_path)
    paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.get_connection() as conn:
        count = store_register(conn, register)
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sorted((paths.data_path / "programme").glob("*.yaml"))))
    return dg.MaterializeResult(metadata={"measures": count, "agencies": len(register.agencies)},
                                data_version=dg.DataVersion(digest.hexdigest()))


def _backfill(conn, path: Path, sha: str) -> int:
    """A report loaded before reports carried a reliability gets its sidecar's tag, once."""
    try:
        return backfill_reliability(conn, sha, report_provenance(path).reliability)
    except ReaderError:
        return 0          # left empty; the report's rows then read as not known to be official


def _held_identity_number(conn, sha: str) -> bool:
    """Whether a recorded file was refused for a personal identity number (never stored, never logged)."""
    keys = conn.execute("select message_key from programme.rejected_submissions where snapshot_sha256 = ?",
                        [sha]).fetchall()
    return any(key in NOT_KEPT for (key,) in keys)


@dg.asset(key=SUBMISSIONS_KEY, deps=[REGISTER_KEY], group_name="programme", pool="duckdb", kinds={"duckdb"},
          description="Agency submissions (DATA_DIR/submissions/): loaded, or refused with the reason and cell.")
def programme_submissions(context: dg.AssetExecutionContext, duckdb: DuckDBResource,
                          paths: FollowupPaths, config: InboxFile) -> dg.MaterializeResult:
    take_inbox_file(context, config, paths, Recognised(SUBMISSION))   # a run of inbox_sensor
    register = load_register(paths.data_path)
    loaded, refused, events, filled = [], [], 0, 0
    for path in submission_files(paths):
        content = path.read_bytes()
        sha = hashlib.sha256(content).hexdigest()
        with duckdb.get_connection() as conn:
            if is_recorded(conn, sha):
                filled += _backfill(conn, path, sha)
                if not _held_identity_number(conn, sha):
                    note_arrival(paths.warehouse_dir, SUBMISSIONS_STREAM, path)   # logged before the log existed
                continue
        try:
            provenance = report_provenance(path)      # a malformed sidecar refuses the report
            submission = read_submission(content, file=path.name, register=register)
        except ReaderError as err:
            if err.key not in NOT_KEPT:          # a file holding an identity number is never stored
                note_arrival(paths.warehouse_dir, SUBMISSIONS_STREAM, path)    # the replay log, before the write
            with duckdb.get_connection() as conn:
                record_rejection(conn, err, content=content, original_name=err.file)   # masked, cleaned
            context.log.warning(err.message(paths.lang))
            refused.append(err.file)
            continue
        store_snapshot(content, path.suffix, paths.warehouse_dir)   # immutable copy, named by content hash
        note_arrival(paths.warehouse_dir, SUBMISSIONS_STREAM, path)    # the replay log, before the write
        with duckdb.get_connection() as conn:
            events += store_submission(conn, submission, content=content, original_name=path.name,
                                       reliability=provenance.reliability)
        loaded.append(path.name)
    with duckdb.get_connection() as conn:
        current, hashes = current_submissions(conn)
    return dg.MaterializeResult(
        metadata={"loaded_now": ", ".join(loaded) or "-", "refused_now": ", ".join(refused) or "-",
                  "status_events_added": events, "current_submissions": current,
                  "reliability_backfilled": filled},
        data_version=dg.DataVersion(hashlib.sha256(hashes.encode()).hexdigest()))


@dg.asset(key=STATUS_KEY, deps=[SUBMISSIONS_KEY, EVIDENCE_CANDIDATES_KEY, EVIDENCE_DECISIONS_KEY],
          group_name="programme", pool="duckdb", kinds={"duckdb", "sql"},
          description="Status of every measure (reported, assessed, follow-up state), roll-ups, perspective "
                      "coverage, obstacles, and agencies' key figures after disclosure control (with the "
                      "register's relations; the log in programme.key_figure_suppression_log).")
def programme_status(context: dg.AssetExecutionContext, duckdb: DuckDBResource,
                     paths: FollowupPaths) -> dg.MaterializeResult:
    with duckdb.get_connection() as conn:
        ensure_evidence_schema(conn)        # measure_status reads the analysts' decisions (may be none)
        years = report_years(conn)
        year, as_of = report_year_and_as_of(paths, years)
        register = load_register(paths.data_path)
        # status_at_dates: the status at each follow-up date up to as_of; collaboration_parts: the
        # assignment's parts per agency and year from the assignment's year on (issue 10 items 4, 5).
        first_year = int(register.collaboration_assignment.get("year") or year)
        for statement in (sql_statements("measure_status") + sql_statements("rollups")
                          + sql_statements("status_at_dates") + sql_statements("collaboration_parts")):
            values = {"year": year, "as_of": as_of, "first_year": min(first_year, year)}
            conn.execute(statement, {k: v for k, v in values.items() if f"${k}" in statement})
        protected = protect_key_figures(key_figures_for_protection(conn), register.key_figure_relations,
                                        suppression_rule())
        counts = suppression_counts(protected.log)
        store_protected_key_figures(conn, protected.frame, protected.log, counts)
        states = state_counts(conn)
    for violation in protected.violations.itertuples(index=False):
        context.log.warning(f"key figures of {violation.agency_id} {violation.year} break the declared "
                            f"{violation.kind} relation {violation.relation} ({violation.members})")
    return dg.MaterializeResult(metadata={
        "year": year, "as_of": str(as_of), **{f"n_{k}": int(v) for k, v in states.items()},
        "key_figures_hidden": int(len(protected.log)),
        "key_figures_hidden_secondary": int((protected.log["kind"] == "secondary").sum()),
        "key_figure_relations_broken": int(len(protected.violations))})
