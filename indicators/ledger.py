"""The replay log beside the snapshots: which snapshots each source consists of, in load order.

``OUT/warehouse/snapshots/ledger.jsonl`` is append-only, one JSON line per source write: the source
and its files in load order (content hash, original name, stored snapshot, provenance snapshot,
withdraw). The snapshots are the source of truth and the warehouse can be lost; with this log
``mvk rebuild`` can put every source back exactly as it was loaded, in the same order and with the
same withdraw decisions, without the warehouse and without the data folder's ``sources/``.

A line is written inside the source's transaction, before it commits: if the process dies before the
commit, the log is ahead of the warehouse by a state the next run writes again, never behind it.
A torn last line (a kill mid-write) is skipped when reading.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb

LEDGER_NAME = "ledger.jsonl"


def ledger_path(warehouse_dir: Path) -> Path:
    return Path(warehouse_dir) / "snapshots" / LEDGER_NAME


def record_source_state(conn: duckdb.DuckDBPyConnection, source_id: str, warehouse_dir: Path) -> None:
    """Append the source's snapshots as the open transaction leaves them (called before commit)."""
    rows = conn.execute(
        "select sha256, original_name, stored_path, provenance_sha256, withdraw from raw.snapshots "
        "where source_id = ? order by load_seq", [source_id]).fetchall()
    files = [{"sha256": sha, "name": name, "snapshot": stored, "provenance_sha256": prov, "withdraw": bool(withdraw)}
             for sha, name, stored, prov, withdraw in rows]
    line = json.dumps({"source": source_id, "files": files,
                       "at": datetime.now(UTC).replace(microsecond=0).isoformat()}, ensure_ascii=False)
    path = ledger_path(warehouse_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_ledger(warehouse_dir: Path) -> dict[str, list[dict]]:
    """Each source's latest recorded files, in the order the sources were first written."""
    path = ledger_path(warehouse_dir)
    state: dict[str, list[dict]] = {}
    if not path.exists():
        return state
    for raw in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(raw)
        except ValueError:
            continue                      # a torn line from a killed write
        if isinstance(entry, dict) and isinstance(entry.get("source"), str):
            state[entry["source"]] = list(entry.get("files") or [])
    return state
