"""Loading sources into the DuckDB warehouse: immutable snapshots and one transaction per source.

Functions take an open DuckDB connection so that the caller (a Dagster asset, a test) decides how
connections are opened; there is one writer at a time (PRACTICE.md §2.4).
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from indicators.readers import ReaderError
from indicators.sources import STANDARD_DIMENSIONS, SourceSpec
from indicators.validation import ValidatedFile, validate_file

SQL_DIR = Path(__file__).parent / "sql"
WAREHOUSE_COLUMNS = [
    "source_id", "snapshot_sha256", "location", "year", *STANDARD_DIMENSIONS,
    "measure", "value", "flag", "source_symbol", "reliability", "source_url", "illustrative", "note",
]


@dataclass(frozen=True)
class SourceLoad:
    """All files of a source read and checked (nothing written)."""

    spec: SourceSpec
    files: tuple[ValidatedFile, ...]

    @property
    def observations(self) -> pd.DataFrame:
        return pd.concat([f.observations for f in self.files], ignore_index=True)


@dataclass(frozen=True)
class LoadOutcome:
    rows: int
    revisions: int
    already_loaded: bool


LEDGER = ".ingest_order"   # files accepted by `mvk ingest` / the inbox, in the order they arrived


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))


def source_files(data_dir: Path, spec: SourceSpec) -> list[Path]:
    """The files of a source in load order: ``DATA_DIR/sources/<id>/*`` in an accepted format.

    Files dropped there by hand come first, by name; files accepted by ``mvk ingest`` or the inbox
    follow in the order they arrived (the ledger), so a correction is always loaded after the file it
    corrects, also when the warehouse is rebuilt from scratch.
    """
    folder = data_dir / "sources" / spec.id
    suffixes = {f".{f}" for f in spec.formats} | ({".txt", ".tsv"} if "csv" in spec.formats else set())
    files = files_in_arrival_order(folder, suffixes)
    if not files:
        raise ReaderError("ingest.no_files", file=str(folder), location=str(folder), found=spec.id,
                          expected=", ".join(spec.formats))
    return files


def files_in_arrival_order(folder: Path, suffixes: set[str]) -> list[Path]:
    """The folder's files with one of ``suffixes``: those dropped by hand first, by name, then those
    accepted by ``mvk ingest`` or the inbox in the order the ledger records; hidden files are skipped."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir()
             if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in suffixes]
    ledger_path = folder / LEDGER
    ledger = ledger_path.read_text(encoding="utf-8").splitlines() if ledger_path.exists() else []
    position = {name: i for i, name in enumerate(ledger)}
    return sorted(files, key=lambda p: (position.get(p.name, -1), p.name))


def read_source(spec: SourceSpec, files: list[Path]) -> SourceLoad:
    """Validate every file of a source; raises on the first bad file, writes nothing."""
    return SourceLoad(spec=spec, files=tuple(validate_file(path, source_id=spec.id) for path in files))


def write_snapshot(validated: ValidatedFile, warehouse_dir: Path) -> str:
    """Store the file once under its content hash; an existing snapshot is never rewritten."""
    return store_snapshot(validated.content, validated.path.suffix, warehouse_dir)


def store_snapshot(content: bytes, suffix: str, warehouse_dir: Path) -> str:
    """``snapshots/<sha256><suffix>`` under the warehouse folder, written once and made read-only."""
    relative = f"snapshots/{hashlib.sha256(content).hexdigest()}{suffix.lower()}"
    target = warehouse_dir / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        tmp.write_bytes(content)
        tmp.chmod(0o444)
        shutil.move(tmp, target)
    return relative


def is_loaded(conn: duckdb.DuckDBPyConnection, sha256: str) -> bool:
    ensure_schema(conn)
    return conn.execute("select count(*) from raw.snapshots where sha256 = ?", [sha256]).fetchone()[0] > 0


def _key_text(record: dict) -> str:
    parts = [f"{k}={record[k]}" for k in STANDARD_DIMENSIONS if record[k] != STANDARD_DIMENSIONS[k]]
    return "; ".join([*parts, f"measure={record['measure']}"])


def _revisions(old: pd.DataFrame, new: pd.DataFrame, source_id: str, new_snapshot: str, today: date) -> pd.DataFrame:
    keys = ["year", *STANDARD_DIMENSIONS, "measure"]
    merged = old.merge(new, on=keys, how="outer", suffixes=("_old", "_new"), indicator=True)
    merged = merged[merged["_merge"] != "right_only"]   # a value that is new is an addition, not a revision
    changed = merged[
        (merged["_merge"] == "left_only")
        | (merged["flag_old"].fillna("") != merged["flag_new"].fillna(""))
        | ~(((merged["value_old"] - merged["value_new"]).abs() < 1e-9)
            | (merged["value_old"].isna() & merged["value_new"].isna()))
    ]
    return pd.DataFrame({
        "source_id": source_id,
        "year": changed["year"].astype("int64"),
        "dimensions": [_key_text(r) for r in changed.to_dict("records")],
        "old_value": changed["value_old"], "new_value": changed["value_new"],
        "old_flag": changed["flag_old"], "new_flag": changed["flag_new"],
        "old_snapshot": changed["snapshot_sha256_old"], "new_snapshot": new_snapshot,
        "revised_on": today,
    })


def load_file(conn: duckdb.DuckDBPyConnection, validated: ValidatedFile, warehouse_dir: Path) -> LoadOutcome:
    """Load one validated file in one transaction.

    The same file twice is a no-op. A file with years already in the warehouse replaces those years
    of its source, and every value it changes or drops is kept in ``raw.revisions`` (old and new value,
    both snapshot hashes, the date).
    """
    ensure_schema(conn)
    if is_loaded(conn, validated.sha256):
        return LoadOutcome(rows=0, revisions=0, already_loaded=True)
    stored_path = write_snapshot(validated, warehouse_dir)
    source_id = validated.spec.id
    new = validated.observations.copy()
    new.insert(0, "snapshot_sha256", validated.sha256)
    new.insert(0, "source_id", source_id)
    new = new[WAREHOUSE_COLUMNS]
    years = validated.years
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    conn.begin()
    try:
        old = conn.execute(
            "select * from raw.observations where source_id = ? and list_contains(?, year)", [source_id, years]
        ).df()
        revisions = _revisions(old, new, source_id, validated.sha256, now.date()) if not old.empty else None
        conn.execute(
            "insert into raw.snapshots by name "
            "select $sha256 as sha256, $source_id as source_id, $original_name as original_name, "
            "$stored_path as stored_path, $bytes as bytes, $format as format, $encoding as encoding, "
            "$retrieved::date as retrieved, $ingested_at as ingested_at",
            {"sha256": validated.sha256, "source_id": source_id, "original_name": validated.path.name,
             "stored_path": stored_path, "bytes": len(validated.content), "format": validated.table.format,
             "encoding": validated.table.encoding, "retrieved": validated.retrieved, "ingested_at": now},
        )
        conn.execute("delete from raw.observations where source_id = ? and list_contains(?, year)",
                     [source_id, years])
        conn.register("incoming_observations", new)
        conn.execute("insert into raw.observations by name select * from incoming_observations")
        conn.unregister("incoming_observations")
        if revisions is not None and not revisions.empty:
            conn.register("incoming_revisions", revisions)
            conn.execute("insert into raw.revisions by name select * from incoming_revisions")
            conn.unregister("incoming_revisions")
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    return LoadOutcome(rows=len(new), revisions=0 if revisions is None else len(revisions), already_loaded=False)


def loaded_hashes(warehouse_file: Path) -> set[str]:
    """Content hashes already in a warehouse (read-only; empty when there is no warehouse yet)."""
    if not warehouse_file.exists():
        return set()
    with duckdb.connect(str(warehouse_file), read_only=True) as conn:
        tables = conn.execute("select count(*) from information_schema.tables "
                              "where table_schema = 'raw' and table_name = 'snapshots'").fetchone()[0]
        return {r[0] for r in conn.execute("select sha256 from raw.snapshots").fetchall()} if tables else set()
