"""Loading sources into the DuckDB warehouse: immutable snapshots and one transaction per source.

Functions take an open DuckDB connection so that the caller (a Dagster asset, a test) decides how
connections are opened; there is one writer at a time (PRACTICE.md §2.4).
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from indicators.ledger import record_source_state
from indicators.provenance import provenance_path
from indicators.readers import ReaderError
from indicators.sources import STANDARD_DIMENSIONS, SourceSpec, spec_file

if TYPE_CHECKING:   # imported where used: the microdata load path (pure DuckDB) needs none of them
    import pandas as pd

    from indicators.revisions import LoadPlan
    from indicators.validation import ValidatedFile

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
        import pandas as pd

        return pd.concat([f.observations for f in self.files], ignore_index=True)


@dataclass(frozen=True)
class LoadOutcome:
    rows: int
    revisions: int
    already_loaded: bool


LEDGER = ".ingest_order"   # files accepted by `mvk ingest` / the inbox, in the order they arrived


SCHEMA_VERSION = 2   # raise when raw.* change layout: an older warehouse is then reloaded from its files


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables; a warehouse of an older layout has them dropped and recreated, and the
    ingest assets then reload every source from its files (the snapshots on disk are never touched)."""
    version = None
    if conn.execute("select count(*) from information_schema.tables where table_schema = 'raw' "
                    "and table_name = 'schema_version'").fetchone()[0]:
        row = conn.execute("select max(version) from raw.schema_version").fetchone()
        version = row[0] if row else None
    if version == SCHEMA_VERSION:
        return
    for table in ("raw.observations", "raw.snapshots", "raw.revisions", "raw.schema_version"):
        conn.execute(f"drop table if exists {table}")   # constant names
    conn.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
    conn.execute("insert into raw.schema_version values (?)", [SCHEMA_VERSION])


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
    position = {line.split("\t")[0]: i for i, line in enumerate(ledger)}   # "name" or "name<TAB>withdraw"
    return sorted(files, key=lambda p: (position.get(p.name, -1), p.name))


def read_source(spec: SourceSpec, files: list[Path]) -> SourceLoad:
    """Validate every file of a source; raises on the first bad file, writes nothing."""
    from indicators.validation import validate_file

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


# ------------------------------------------------------------------------------------ loading a source
@dataclass(frozen=True)
class SourceFile:
    """One file of a source as it stands in the data folder, with what decides how it loads."""

    path: Path
    content: bytes
    sha256: str
    provenance: bytes | None          # the .provenance.yaml beside it, if any
    provenance_sha256: str | None
    withdraw: bool                    # the analyst asked (mvk ingest --withdraw) to withdraw cells it lacks

    @property
    def fingerprint(self) -> tuple:
        return (self.sha256, self.provenance_sha256, self.withdraw)


def withdraw_requests(folder: Path) -> set[str]:
    """File names the ledger records as ingested with ``--withdraw``."""
    ledger = folder / LEDGER
    if not ledger.exists():
        return set()
    return {line.split("\t")[0] for line in ledger.read_text(encoding="utf-8").splitlines()
            if line.split("\t")[1:2] == ["withdraw"]}


def source_inputs(data_dir: Path, spec: SourceSpec) -> list[SourceFile]:
    """The source's files in load order; a file whose content came earlier under another name is skipped."""
    files = source_files(data_dir, spec)
    withdraw = withdraw_requests(files[0].parent)
    seen: set[str] = set()
    inputs = []
    for path in files:
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        prov_path = provenance_path(path)
        prov = prov_path.read_bytes() if prov_path.exists() else None
        inputs.append(SourceFile(path=path, content=content, sha256=digest, provenance=prov,
                                 provenance_sha256=hashlib.sha256(prov).hexdigest() if prov is not None else None,
                                 withdraw=path.name in withdraw))
    return inputs


# The code that turns a file into observations: when it changes, every source is reloaded from its
# files, so the warehouse never depends on which version of the code loaded a file first.
_READER_CODE = ("readers/*.py", "harmonise.py", "validation.py", "provenance.py", "revisions.py", "sources.py",
                "warehouse.py", "codes/*.yaml", "sql/schema.sql")


@cache
def reader_version() -> str:
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for pattern in _READER_CODE:
        for path in sorted(root.glob(pattern)):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def spec_sha256(spec: SourceSpec) -> str:
    """The hash of the source's YAML file as written (a changed mapping reloads the source)."""
    return hashlib.sha256(spec_file(spec.id).read_bytes()).hexdigest()


@dataclass(frozen=True)
class SourceState:
    snapshots: pd.DataFrame       # raw.snapshots rows of the source, in load order
    observations: pd.DataFrame    # raw.observations rows of the source


def read_state(conn: duckdb.DuckDBPyConnection, source_id: str) -> SourceState:
    ensure_schema(conn)
    snapshots = conn.execute("select * from raw.snapshots where source_id = ? order by load_seq",
                             [source_id]).df()
    observations = conn.execute("select * from raw.observations where source_id = ?", [source_id]).df()
    return SourceState(snapshots=snapshots, observations=observations[[*WAREHOUSE_COLUMNS, "revised"]])


@dataclass(frozen=True)
class LoadStep:
    file: SourceFile
    validated: ValidatedFile
    plan: LoadPlan


@dataclass(frozen=True)
class SourcePlan:
    """What bringing a source up to date does; ``replace`` means it is reloaded from all its files."""

    spec: SourceSpec
    replace: bool
    reason: str                   # '', 'spec', 'reader', 'files' (why the source is reloaded)
    steps: tuple[LoadStep, ...]
    result: pd.DataFrame
    first_seq: int

    @property
    def revisions(self) -> int:
        return sum(len(s.plan.revised) + len(s.plan.withdrawn) for s in self.steps)


def plan_source(spec: SourceSpec, inputs: list[SourceFile], state: SourceState) -> SourcePlan:
    """Decide what loading the source's files does, reading and checking every new file (writes nothing).

    Files already loaded, with the same spec and reader, are not read again; any other difference
    (a changed spec or reader, a file removed, a file placed before one already loaded) reloads the
    whole source from its files in order, so an old output folder ends up equal to a fresh one.
    """
    from indicators.revisions import plan_load
    from indicators.validation import validate_file

    current, version = spec_sha256(spec), reader_version()
    loaded = [(r["sha256"], r["provenance_sha256"] if isinstance(r["provenance_sha256"], str) else None,
               bool(r["withdraw"])) for r in state.snapshots.to_dict("records")]
    desired = [f.fingerprint for f in inputs]
    reason = ""
    if loaded and (state.snapshots["spec_sha256"] != current).any():
        reason = "spec"
    elif loaded and (state.snapshots["reader_version"] != version).any():
        reason = "reader"
    elif desired[:len(loaded)] != loaded:
        reason = "files"
    replace = bool(reason)
    todo = inputs if replace else inputs[len(loaded):]
    observations = state.observations.iloc[0:0] if replace else state.observations
    steps = []
    for item in todo:
        validated = validate_file(item.path, source_id=spec.id, data=item.content, loaded=observations)
        new = validated.observations.copy()
        new.insert(0, "snapshot_sha256", item.sha256)
        new.insert(0, "source_id", spec.id)
        plan = plan_load(observations, new[WAREHOUSE_COLUMNS], withdraw=item.withdraw, file=item.path.name,
                         new_snapshot=item.sha256)
        observations = plan.result
        steps.append(LoadStep(file=item, validated=validated, plan=plan))
    return SourcePlan(spec=spec, replace=replace, reason=reason, steps=tuple(steps), result=observations,
                      first_seq=1 if replace else len(loaded) + 1)


def write_source(conn: duckdb.DuckDBPyConnection, plan: SourcePlan, warehouse_dir: Path) -> None:
    """Write a source plan in one transaction: snapshots, observations, revisions (all or nothing)."""
    from indicators.revisions import revision_rows

    if not plan.steps and not plan.replace:
        return
    ensure_schema(conn)
    source_id = plan.spec.id
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    stored = [(store_snapshot(s.file.content, s.file.path.suffix, warehouse_dir),
               store_snapshot(s.file.provenance, ".provenance.yaml", warehouse_dir) if s.file.provenance else None)
              for s in plan.steps]
    conn.begin()
    try:
        if plan.replace:
            for table in ("raw.snapshots", "raw.revisions"):
                conn.execute(f"delete from {table} where source_id = ?", [source_id])   # table names: constants
        conn.execute("delete from raw.observations where source_id = ?", [source_id])
        for seq, (step, (stored_path, _)) in enumerate(zip(plan.steps, stored, strict=True), start=plan.first_seq):
            validated = step.validated
            conn.execute(
                "insert into raw.snapshots by name "
                "select $sha256 as sha256, $source_id as source_id, $original_name as original_name, "
                "$stored_path as stored_path, $bytes as bytes, $format as format, $encoding as encoding, "
                "$retrieved::date as retrieved, $ingested_at as ingested_at, $load_seq as load_seq, "
                "$provenance_sha256 as provenance_sha256, $withdraw as withdraw, $spec_sha256 as spec_sha256, "
                "$reader_version as reader_version",
                {"sha256": step.file.sha256, "source_id": source_id, "original_name": step.file.path.name,
                 "stored_path": stored_path, "bytes": len(step.file.content), "format": validated.table.format,
                 "encoding": validated.table.encoding, "retrieved": validated.retrieved, "ingested_at": now,
                 "load_seq": seq, "provenance_sha256": step.file.provenance_sha256,
                 "withdraw": step.file.withdraw, "spec_sha256": spec_sha256(plan.spec),
                 "reader_version": reader_version()},
            )
            revisions = revision_rows(step.plan, source_id, step.file.sha256, now.date())
            if not revisions.empty:
                conn.register("incoming_revisions", revisions)
                conn.execute("insert into raw.revisions by name select * from incoming_revisions")
                conn.unregister("incoming_revisions")
        conn.register("incoming_observations", plan.result)
        conn.execute("insert into raw.observations by name select * from incoming_observations")
        conn.unregister("incoming_observations")
        record_source_state(conn, source_id, warehouse_dir)   # the replay log for `mvk rebuild`
        conn.commit()
    except Exception:
        conn.rollback()
        raise


def load_file(conn: duckdb.DuckDBPyConnection, validated: ValidatedFile, warehouse_dir: Path, *,
              withdraw: bool = False) -> LoadOutcome:
    """Load one validated file on top of what its source holds, in one transaction (tests, tools).

    The same file twice is a no-op; otherwise the file changes exactly the cells it holds
    (``indicators.revisions``).
    """
    from indicators.revisions import plan_load

    ensure_schema(conn)
    if is_loaded(conn, validated.sha256):
        return LoadOutcome(rows=0, revisions=0, already_loaded=True)
    spec = validated.spec
    state = read_state(conn, spec.id)
    prov = provenance_path(validated.path)
    prov_bytes = prov.read_bytes() if prov.exists() else None
    item = SourceFile(path=validated.path, content=validated.content, sha256=validated.sha256,
                      provenance=prov_bytes,
                      provenance_sha256=hashlib.sha256(prov_bytes).hexdigest() if prov_bytes else None,
                      withdraw=withdraw)
    new = validated.observations.copy()
    new.insert(0, "snapshot_sha256", validated.sha256)
    new.insert(0, "source_id", spec.id)
    plan = plan_load(state.observations, new[WAREHOUSE_COLUMNS], withdraw=withdraw, file=validated.path.name,
                     new_snapshot=validated.sha256)
    source_plan = SourcePlan(spec=spec, replace=False, reason="", steps=(LoadStep(item, validated, plan),),
                             result=plan.result, first_seq=len(state.snapshots) + 1)
    write_source(conn, source_plan, warehouse_dir)
    return LoadOutcome(rows=len(plan.added) + len(plan.revised), revisions=len(plan.revised) + len(plan.withdrawn),
                       already_loaded=False)


def loaded_hashes(warehouse_file: Path) -> set[str]:
    """Content hashes already in a warehouse (read-only; empty when there is no warehouse yet)."""
    if not warehouse_file.exists():
        return set()
    with duckdb.connect(str(warehouse_file), read_only=True) as conn:
        tables = conn.execute("select count(*) from information_schema.tables "
                              "where table_schema = 'raw' and table_name = 'snapshots'").fetchone()[0]
        hashes = {r[0] for r in conn.execute("select sha256 from raw.snapshots").fetchall()} if tables else set()
        evidence = {r[0] for r in conn.execute("select table_name from information_schema.tables "
                                               "where table_schema = 'evidence'").fetchall()}
        if "documents" in evidence:
            hashes |= {r[0] for r in conn.execute("select document_sha256 from evidence.documents").fetchall()}
        if "decisions" in evidence:
            hashes |= {r[0] for r in conn.execute("select distinct review_sha256 from evidence.decisions").fetchall()}
        return hashes
