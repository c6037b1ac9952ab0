"""What ``mvk status`` reports: the warehouse's sources at a glance, the last runs, the quarantine.

Facts only, as plain dicts (the same for ``--json`` and for the table): per source the latest data
year, the snapshot it came from and its retrieval date, the next expected release from the catalogue's
calendar (``indicators.freshness``) and whether it is overdue; the last runs of the output folder's
Dagster instance with outcome and duration; what lies in quarantine and why; the edition the data
folder builds. Everything is read without writing: the warehouse read-only, the instance's run
storage, the quarantine reports. While a run writes, the warehouse is waited for a few seconds (a
run lets go of the file between its steps); if it stays held, status says which run is writing.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from indicators.freshness import next_release
from indicators.sources import load_sources
from pipelines.versioning import edition

LAST_RUNS = 5
LOCK_WAIT_SECONDS = 5   # how long status waits for a writer's step to let go of the warehouse


def _connect_read_only(warehouse: Path, seconds: float = LOCK_WAIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """A read-only connection, waiting (with backoff, at most ``seconds``) while a writer's step holds
    the file: DuckDB lets no reader in then, and a run's steps release it between them."""
    from pipelines.operations import is_lock_conflict

    deadline, pause = time.monotonic() + seconds, 0.1
    while True:
        try:
            return duckdb.connect(str(warehouse), read_only=True)
        except duckdb.IOException as err:
            if not is_lock_conflict(err) or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 1.0)


def _warehouse_facts(warehouse: Path, wait: float) -> tuple[dict[str, dict], str | None]:
    """Per source: latest year, rows and the last snapshot loaded; and a note when it cannot be read."""
    if not warehouse.exists():
        return {}, "missing"
    try:
        with _connect_read_only(warehouse, wait) as conn:
            years = conn.execute("select source_id, max(year), count(*) from raw.observations group by 1").fetchall()
            snapshots = conn.execute(
                "select source_id, sha256, original_name, retrieved, ingested_at from raw.snapshots "
                "qualify row_number() over (partition by source_id order by load_seq desc) = 1").fetchall()
    except duckdb.IOException:
        return {}, "locked"
    except duckdb.Error:
        return {}, "unreadable"
    facts: dict[str, dict] = {s: {"latest_year": int(y), "rows": int(n)} for s, y, n in years}
    for source_id, sha, name, retrieved, ingested in snapshots:
        facts.setdefault(source_id, {}).update(
            snapshot=sha[:12], file=name, retrieved=retrieved.isoformat() if retrieved else None,
            ingested_at=ingested.isoformat(timespec="seconds") if ingested else None)
    return facts, None


def source_status(warehouse: Path, today: date, wait: float = LOCK_WAIT_SECONDS) -> tuple[list[dict], str | None]:
    loaded, note = _warehouse_facts(warehouse, wait)
    rows = []
    for spec in load_sources().values():
        facts = loaded.get(spec.id, {})
        release = next_release(spec, facts.get("latest_year"))
        state = ("irregular" if release is None else "overdue" if release.overdue(today) else "on_time")
        if not facts:
            state = "not_loaded"
        rows.append({
            "id": spec.id, "publisher": spec.publisher, "title": spec.title, "table": spec.table_id,
            "latest_year": facts.get("latest_year"), "rows": facts.get("rows", 0),
            "snapshot": facts.get("snapshot"), "file": facts.get("file"), "retrieved": facts.get("retrieved"),
            "next_data_year": release.data_year if release else None,
            "expected_from": release.first_day.isoformat() if release else None,
            "expected_by": release.due.isoformat() if release else None,
            "overdue": bool(release and facts and release.overdue(today)),
            "state": state,
        })
    return rows, note


def last_runs(dagster_home: Path, limit: int = LAST_RUNS) -> list[dict]:
    """The instance's most recent runs, newest first (empty when the folder has no instance yet)."""
    if not (dagster_home / "dagster.yaml").exists():
        return []
    from pipelines.run_log import instance_at

    with instance_at(dagster_home) as instance:
        records = instance.get_run_records(limit=limit)
        runs = []
        for record in records:
            run = record.dagster_run
            start, end = record.start_time, record.end_time
            runs.append({
                "run_id": run.run_id[:8], "status": run.status.value,
                "started": datetime.fromtimestamp(start, UTC).isoformat(timespec="seconds") if start else None,
                "seconds": round(end - start, 1) if start and end else None,
                "assets": len(run.asset_selection or ()) or None,
            })
    return runs


def quarantined(data_dir: Path) -> list[dict]:
    """Files set aside, newest first, with the first line of their report in each language."""
    folder = data_dir / "quarantine"
    items = []
    for report in sorted(folder.glob("*.report.txt"), reverse=True) if folder.is_dir() else []:
        paragraphs = [p.strip() for p in report.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        name = report.name.removesuffix(".report.txt")
        stamp, _, original = name.partition("_")
        items.append({"file": original or name, "quarantined_as": name, "time": stamp,
                      "kept": (folder / name).exists(),
                      "reason": {"sv": paragraphs[0] if paragraphs else "", "en": paragraphs[1] if len(paragraphs) > 1
                                 else ""}})
    return items


def _writer(out_dir: Path) -> dict | None:
    """Who holds the output folder's writer lock, as its lock file says (None: not known, or nobody
    holds it: a killed run's lock file still names it, but its lock went with its process)."""
    import fcntl
    import os

    from pipelines.operations import holder, lock_path

    try:
        fd = os.open(lock_path(out_dir), os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)     # granted: no writer holds it
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    except OSError:
        return holder(out_dir)
    finally:
        os.close(fd)


def collect(data_dir: Path, out_dir: Path, *, today: date | None = None, wait: float | None = None) -> dict:
    """Everything ``mvk status`` shows; ``wait``: seconds to wait while a run's step holds the warehouse
    (``mvk status --wait``; None: LOCK_WAIT_SECONDS)."""
    today = today or date.today()
    wait = LOCK_WAIT_SECONDS if wait is None else max(wait, 0)
    sources, note = source_status(out_dir / "warehouse" / "warehouse.duckdb", today, wait)
    return {
        "edition": edition(data_dir), "today": today.isoformat(),
        "data_dir": str(data_dir), "out_dir": str(out_dir),
        "warehouse": note or "ok",
        "writer": _writer(out_dir) if note == "locked" else None,
        "sources": sources,
        "overdue": [s["id"] for s in sources if s["overdue"]],
        "runs": last_runs(out_dir / "dagster_home"),
        "quarantine": quarantined(data_dir),
        "editions": published_editions(out_dir),
    }


def published_editions(out_dir: Path) -> list[dict]:
    """The immutable editions under OUT/editions/ (issue 11), oldest first, with build date and code version."""
    import json

    from reports.editions import EDITIONS, published

    rows = []
    for name in published(out_dir):
        try:
            manifest = json.loads((out_dir / EDITIONS / name / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
        rows.append({"edition": name, "built": str(manifest.get("build_time", ""))[:10],
                     "code_version": str(manifest.get("code_version", "")),
                     "files": len(manifest.get("files") or {})})
    return rows
