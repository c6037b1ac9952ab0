"""Loading sources into the DuckDB warehouse: immutable snapshots and one transaction per source.

Functions take an open DuckDB connection so that the caller (a Dagster asset, a test) decides how
connections are opened; there is one writer at a time (PRACTICE.md §2.4).
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from indicators.harmonise import read_source_table, table_to_observations
from indicators.provenance import annotate, load_provenance
from indicators.readers import ReaderError
from indicators.sources import STANDARD_DIMENSIONS, SourceSpec

SQL_DIR = Path(__file__).parent / "sql"
WAREHOUSE_COLUMNS = [
    "source_id", "snapshot_sha256", "location", "year", *STANDARD_DIMENSIONS,
    "measure", "value", "flag", "source_symbol", "reliability", "source_url", "illustrative", "note",
]


@dataclass(frozen=True)
class Snapshot:
    sha256: str
    original_name: str
    stored_path: str      # relative to the warehouse folder
    bytes: int
    format: str
    encoding: str
    retrieved: object     # date | None


@dataclass(frozen=True)
class SourceLoad:
    """One source read and checked, ready to be written in one transaction."""

    spec: SourceSpec
    snapshots: tuple[Snapshot, ...]
    observations: pd.DataFrame
    contents: dict[str, bytes]     # sha256 -> bytes, written to the snapshot store on commit


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))


def source_files(data_dir: Path, spec: SourceSpec) -> list[Path]:
    """The files of a source: ``DATA_DIR/sources/<source id>/*`` in an accepted format, by name."""
    folder = data_dir / "sources" / spec.id
    suffixes = {f".{f}" for f in spec.formats} | ({".txt", ".tsv"} if "csv" in spec.formats else set())
    files = sorted(p for p in folder.glob("*") if p.is_file() and p.suffix.lower() in suffixes)
    if not files:
        raise ReaderError("ingest.no_files", file=str(folder), location=str(folder), found=spec.id,
                          expected=", ".join(spec.formats))
    return files


def read_source(spec: SourceSpec, files: list[Path]) -> SourceLoad:
    """Read, map, annotate and check every file of a source; nothing is written here."""
    frames, snapshots, contents = [], [], {}
    for path in files:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        table = read_source_table(data, file=path.name, spec=spec)
        frame = table_to_observations(table, spec, file=path.name)
        provenance = load_provenance(path)
        frame = annotate(frame, provenance, source_url=spec.url, file=path.name)
        frame.insert(0, "snapshot_sha256", digest)
        frame.insert(0, "source_id", spec.id)
        frames.append(frame)
        snapshots.append(Snapshot(sha256=digest, original_name=path.name,
                                  stored_path=f"snapshots/{digest}{path.suffix.lower()}", bytes=len(data),
                                  format=table.format, encoding=table.encoding,
                                  retrieved=provenance.retrieved if provenance else None))
        contents[digest] = data
    observations = pd.concat(frames, ignore_index=True)[WAREHOUSE_COLUMNS]
    return SourceLoad(spec=spec, snapshots=tuple(snapshots), observations=observations, contents=contents)


def write_snapshots(load: SourceLoad, warehouse_dir: Path) -> None:
    """Store each file once under its content hash; an existing snapshot is never rewritten."""
    for snap in load.snapshots:
        target = warehouse_dir / snap.stored_path
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        tmp.write_bytes(load.contents[snap.sha256])
        tmp.chmod(0o444)
        shutil.move(tmp, target)


def replace_source(conn: duckdb.DuckDBPyConnection, load: SourceLoad, warehouse_dir: Path) -> int:
    """Swap a source's observations for the new ones in one transaction; returns the row count."""
    write_snapshots(load, warehouse_dir)
    ensure_schema(conn)
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    conn.begin()
    try:
        for snap in load.snapshots:
            conn.execute(
                "insert into raw.snapshots by name "
                "select $sha256 as sha256, $source_id as source_id, $original_name as original_name, "
                "$stored_path as stored_path, $bytes as bytes, $format as format, $encoding as encoding, "
                "$retrieved::date as retrieved, $ingested_at as ingested_at "
                "on conflict (sha256) do nothing",
                {"sha256": snap.sha256, "source_id": load.spec.id, "original_name": snap.original_name,
                 "stored_path": snap.stored_path, "bytes": snap.bytes, "format": snap.format,
                 "encoding": snap.encoding, "retrieved": snap.retrieved, "ingested_at": now},
            )
        conn.execute("delete from raw.observations where source_id = ?", [load.spec.id])
        conn.register("incoming_observations", load.observations)
        conn.execute("insert into raw.observations by name select * from incoming_observations")
        conn.unregister("incoming_observations")
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    return len(load.observations)
