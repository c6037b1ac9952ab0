"""The replay log beside the snapshots: which snapshots each source consists of, in load order.

``OUT/warehouse/snapshots/ledger.jsonl`` is append-only, one JSON line per source write: the source
and its files in load order (content hash, original name, stored snapshot, provenance snapshot,
withdraw). The snapshots are the source of truth and the warehouse can be lost; with this log
``mvk rebuild`` can put every source back exactly as it was loaded, in the same order and with the
same withdraw decisions, without the warehouse and without the data folder's ``sources/``.

A line is written inside the source's transaction, before it commits: if the process dies before the
commit, the log is ahead of the warehouse by a state the next run writes again, never behind it.
A torn last line (a kill mid-write) is skipped when reading.

Agency submissions (``programme/submissions``) and agency documents (``evidence/documents``) are
logged the same way under those names (:func:`note_arrival`, :func:`record_folder`), so a rebuild
replays them from their snapshots in arrival order too, not from whatever the data folder holds.
"""

from __future__ import annotations

import hashlib
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
    _append(warehouse_dir, source_id, files)


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


# ------------------------------------------------------------------- agency submissions and documents
# Folders of the data directory that are not sources but are loaded from files all the same: their
# files are snapshotted and logged under these names, and ``mvk rebuild`` lays them out again there.
DATA_STREAMS = {"programme/submissions": "submissions", "evidence/documents": "documents"}


def folder_of(stream: str) -> str:
    """Where a logged stream's files go in a data folder: ``sources/<id>`` or a stream's own folder."""
    return DATA_STREAMS.get(stream) or f"sources/{stream}"


def _entry(path: Path, warehouse_dir: Path) -> dict:
    """Snapshot a file (and its provenance sidecar) and describe it for the log."""
    from indicators.provenance import provenance_path
    from indicators.warehouse import store_snapshot

    content = Path(path).read_bytes()
    sidecar = provenance_path(Path(path))
    provenance = None
    if sidecar.is_file():
        sidecar_content = sidecar.read_bytes()
        store_snapshot(sidecar_content, ".provenance.yaml", warehouse_dir)
        provenance = hashlib.sha256(sidecar_content).hexdigest()
    return {"sha256": hashlib.sha256(content).hexdigest(), "name": Path(path).name,
            "snapshot": store_snapshot(content, Path(path).suffix, warehouse_dir), "provenance_sha256": provenance}


def _append(warehouse_dir: Path, stream: str, files: list[dict]) -> None:
    line = json.dumps({"source": stream, "files": files,
                       "at": datetime.now(UTC).replace(microsecond=0).isoformat()}, ensure_ascii=False)
    path = ledger_path(warehouse_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def note_arrival(warehouse_dir: Path, stream: str, path: Path) -> None:
    """Log that a file of an append-only stream (agency submissions) is being loaded, before it is.

    Submissions are never unloaded (a resubmission supersedes, the earlier one stays recorded), so
    the stream's state is every file it ever loaded or refused, in the order it handled them; a file
    already logged changes nothing. Called before the file's own transaction, so the log is never
    behind the warehouse. A file refused because it holds a personal identity number must not be
    passed here: it is never stored, so a rebuild cannot replay its refusal."""
    warehouse_dir = Path(warehouse_dir)
    files = read_ledger(warehouse_dir).get(stream, [])
    entry = _entry(path, warehouse_dir)
    if any(f["sha256"] == entry["sha256"] for f in files):
        return
    _append(warehouse_dir, stream, [*files, entry])


def record_folder(warehouse_dir: Path, stream: str, paths: list[Path]) -> None:
    """Log the files a stream now consists of (agency documents: a removed file is unloaded), in the
    order they are loaded; nothing is written when that is what the log already says."""
    warehouse_dir = Path(warehouse_dir)
    files = [_entry(p, warehouse_dir) for p in paths]
    if files != read_ledger(warehouse_dir).get(stream, []):
        _append(warehouse_dir, stream, files)
