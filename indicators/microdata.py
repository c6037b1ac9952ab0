"""Offence-level microdata (``kind: microdata`` sources): validated, snapshotted and aggregated in DuckDB.

A published table has a few hundred cells and goes through pandas (``indicators.validation``); a
microdata delivery has one row per reported offence, about 1.5 million a year, and must never pass
row by row through Python. So this module keeps every row inside DuckDB:

1. **Snapshot** the file as every input is (``OUT/warehouse/snapshots/<sha256><ext>``, read-only, the
   same layout as ``indicators.warehouse.store_snapshot``) but streamed: hashed while it is copied in
   chunks, in one read, so a 600 MB CSV is never held in memory. DuckDB then reads the snapshot, not
   the user's file, so what is loaded is exactly what is kept.
2. **Validate and aggregate in one pass** (``sql/microdata/scan.sql``): the file is read with the
   spec's declared types (a CSV value that is not a date is rejected by DuckDB with its line) and
   counted per year and published dimension, and per offence code and age group found. The checks
   (``sql/microdata/scan_checks.sql``) join those counts with the code lists in SQL; only when
   something is wrong is the file read again to name the first bad row, with file, line, column,
   what was found and what was expected.
3. **Load** the counts per year, county, kommun, sex and relation (not the rows) into
   ``raw.microdata_<id>``, recorded in ``raw.snapshots`` and the
   ledger like any source, in one transaction.
4. **Compute** the reported offences by region (riket, county, kommun), sex and relation
   (``sql/microdata/reported_offences.sql``) with primary and secondary suppression by the engine in
   ``indicators.disclosure`` (docs/disclosure.md): the counts are not public.

The source is optional: with no file in ``DATA_DIR/sources/<id>/`` nothing is read and the indicator
table is empty. pandas, numpy and ``indicators.disclosure`` are imported by step 4 only, when it runs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from indicators.ledger import record_source_state
from indicators.provenance import load_provenance, provenance_path
from indicators.readers import ReaderError
from indicators.sources import MICRODATA_KIND, SOURCES_DIR, municipality_codes, region_codes
from indicators.sql_names import quote_identifier
from indicators.warehouse import ensure_schema, files_in_arrival_order, store_snapshot
from indicators.yaml_text import load_yaml

if TYPE_CHECKING:
    import pandas as pd

    from indicators.disclosure import SuppressionRule

SQL_DIR = Path(__file__).parent / "sql" / "microdata"
ROLES = ("date", "offence", "county", "municipality", "sex", "age_group", "relation")
CODED_ROLES = ROLES[1:]
DUCKDB_TYPES = {"DATE", "VARCHAR"}
# Raise when what this module writes changes meaning: a source loaded by another version is reloaded.
READER_VERSION = "microdata-1"
INDICATOR_TABLE = "indicators.microdata_reported_offences"
LOG_TABLE = "indicators.microdata_suppression_log"
KEY_COLUMNS = ("year", "county", "municipality", "sex", "relation")
_CHUNK = 8 << 20


@dataclass(frozen=True)
class MicrodataColumn:
    name: str            # as in the file's header / Parquet schema
    type: str            # DuckDB type
    role: str            # one of ROLES
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class MicrodataSpec:
    """A ``kind: microdata`` source: the file's columns, types and code lists, its years."""

    id: str
    publisher: dict[str, str]
    title: dict[str, str]
    url: str
    formats: tuple[str, ...]
    unit: str
    first_year: int
    last_year: int
    columns: tuple[MicrodataColumn, ...]
    delimiter: str = ";"
    public: bool = False
    caveats: dict[str, str] = field(default_factory=dict)

    @property
    def table(self) -> str:
        return f"raw.microdata_{self.id}"

    def column(self, role: str) -> MicrodataColumn:
        return next(c for c in self.columns if c.role == role)


def _code_list(raw: object, where: str) -> tuple[str, ...]:
    """A column's codes: a list in the spec, or a project code list (county: the 21 län, municipality: 290)."""
    if raw is None:
        return ()
    if raw == "region":
        return tuple(c for c in region_codes() if c != "00")
    if raw == "municipality":
        return tuple(municipality_codes())
    if isinstance(raw, list) and raw:
        return tuple(str(c) for c in raw)
    raise ValueError(f"{where}: codes must be a list or one of region, municipality; found {raw!r}")


def parse_microdata_spec(doc: dict) -> MicrodataSpec:
    """Build a spec from its YAML, refusing an unknown role or type, and a public microdata source."""
    where = f"{doc['id']}.yaml"
    columns = []
    for name, raw in (doc.get("columns") or {}).items():
        role, kind = str(raw.get("role")), str(raw.get("type", "VARCHAR")).upper()
        if role not in ROLES:
            raise ValueError(f"{where}: columns → {name} → role: {role!r} is not one of {', '.join(ROLES)}")
        if kind not in DUCKDB_TYPES:
            raise ValueError(f"{where}: columns → {name} → type: {kind!r} is not one of {', '.join(DUCKDB_TYPES)}")
        codes = _code_list(raw.get("codes"), f"{where}: columns → {name}")
        if role in CODED_ROLES and not codes:
            raise ValueError(f"{where}: columns → {name}: a {role} column needs its code list (codes:)")
        columns.append(MicrodataColumn(name=str(name), type=kind, role=role, codes=codes))
    missing = [r for r in ROLES if r not in {c.role for c in columns}]
    if missing or len(columns) != len(ROLES):
        raise ValueError(f"{where}: columns must give each role once: {', '.join(ROLES)}; missing {missing}")
    if doc.get("public", False):
        raise ValueError(f"{where}: microdata are never public (public: false): counts need disclosure control")
    return MicrodataSpec(
        id=doc["id"], publisher=doc["publisher"], title=doc["title"], url=doc["url"],
        formats=tuple(doc["formats"]), unit=doc["unit"], first_year=int(doc["years"]["first"]),
        last_year=int(doc["years"]["last"]), columns=tuple(columns),
        delimiter=str((doc.get("csv") or {}).get("delimiter", ";")), public=False, caveats=doc.get("caveats") or {},
    )


@cache
def load_microdata_sources() -> dict[str, MicrodataSpec]:
    """Every ``kind: microdata`` spec in ``indicators/sources/`` (``load_sources`` skips them)."""
    specs = {}
    for path in sorted(SOURCES_DIR.glob("*.yaml")):
        doc = load_yaml(path.read_text(encoding="utf-8"))
        if doc.get("kind") == MICRODATA_KIND:
            spec = parse_microdata_spec(doc)
            if spec.id != path.stem:
                raise ValueError(f"{path.name}: id {spec.id!r} differs from the file name")
            specs[spec.id] = spec
    return specs


def spec_sha256(spec: MicrodataSpec) -> str:
    return hashlib.sha256((SOURCES_DIR / f"{spec.id}.yaml").read_bytes()).hexdigest()


def _header(path: Path, spec: MicrodataSpec) -> list[str]:
    with path.open("rb") as handle:
        first = handle.readline(64 << 10).decode("utf-8-sig", errors="replace").rstrip("\r\n")
    return [name.strip().strip('"') for name in first.split(spec.delimiter)]


def microdata_source_for(path: Path, source_id: str | None = None) -> MicrodataSpec | None:
    """The microdata source a file belongs to, or None when it is a published table (or a submission).

    Named with ``--source``, or recognised without reading the rows: a Parquet file (only microdata
    come as Parquet), or a CSV whose header names exactly a microdata source's columns."""
    specs = load_microdata_sources()
    if source_id is not None:
        return specs.get(source_id)
    suffix = path.suffix.lower().lstrip(".")
    for spec in specs.values():
        if suffix not in spec.formats:
            continue
        if suffix == "parquet":
            return spec
        if suffix == "csv" and sorted(_header(path, spec)) == sorted(c.name for c in spec.columns):
            return spec
    return None


# ------------------------------------------------------------------------------------------ snapshot
def snapshot_file(path: Path, warehouse_dir: Path, sha256: str | None = None) -> tuple[str, str, int]:
    """(sha256, stored path relative to the warehouse folder, bytes): the same layout and guarantees as
    ``store_snapshot`` (written once under its hash, read-only), streamed instead of held in memory.

    The file is read once: hashed while it is copied, and the snapshot is named by that digest, so its
    name is always the hash of what was stored. ``sha256``, the file's hash if the caller has just
    computed it: when a snapshot of that hash exists, nothing is read or copied (a snapshot is never
    rewritten, and its content is what was hashed)."""
    suffix = path.suffix.lower()
    if sha256 is not None:
        existing = Path(warehouse_dir) / f"snapshots/{sha256}{suffix}"
        if existing.is_file():
            return sha256, f"snapshots/{sha256}{suffix}", existing.stat().st_size
    digest = hashlib.sha256()
    target_dir = Path(warehouse_dir) / "snapshots"
    target_dir.mkdir(parents=True, exist_ok=True)
    tmp = target_dir / f".{os.getpid()}.{path.name}.part"
    size = 0
    with path.open("rb") as source, tmp.open("wb") as copy:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            copy.write(chunk)
            size += len(chunk)
    sha = digest.hexdigest()
    relative = f"snapshots/{sha}{suffix}"
    target = Path(warehouse_dir) / relative
    if target.exists():
        tmp.unlink()
    else:
        tmp.chmod(0o444)
        shutil.move(tmp, target)
    return sha, relative, size


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# ------------------------------------------------------------------------------------------ validate
@dataclass(frozen=True)
class MicrodataCheck:
    """A microdata file that passed every check: its counts are in the connection's temp table md_cells."""

    spec: MicrodataSpec
    path: Path
    rows: int
    years: tuple[int, ...]
    illustrative: bool
    reliability: str


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _source_view(conn: duckdb.DuckDBPyConnection, path: Path, spec: MicrodataSpec, *, lenient: bool) -> None:
    """The view md_source: the file's columns under their roles, typed as the spec declares.

    Names come from the spec (our YAML) and the path is the snapshot's, so inlining them is safe;
    DuckDB cannot bind a table function's file name or column types as parameters."""
    renamed = ", ".join(f"{quote_identifier(c.name)} as {c.role}" for c in spec.columns)
    if path.suffix.lower() == ".parquet":
        scan = f"read_parquet({_literal(path.as_posix())}, file_row_number = true)"
        row = "file_row_number + 1"
    else:
        types = ", ".join(f"{_literal(c.name)}: {_literal(c.type)}" for c in spec.columns)
        errors = "ignore_errors = true" if lenient else "store_rejects = true"
        scan = (f"read_csv({_literal(path.as_posix())}, delim = {_literal(spec.delimiter)}, header = true, "
                f"auto_detect = false, columns = {{{types}}}, {errors})")
        row = "row_number() over () + 1"   # the file's line (the header is line 1); only when refused
    extra = f", {row} as line" if lenient else ""
    conn.execute(f"create or replace temp view md_source as select {renamed}{extra} from {scan}")


def _check_schema(conn: duckdb.DuckDBPyConnection, path: Path, spec: MicrodataSpec, file: str) -> None:
    expected = ", ".join(c.name for c in spec.columns)
    if path.suffix.lower() == ".parquet":
        try:
            schema = conn.execute(f"describe select * from read_parquet({_literal(path.as_posix())})").fetchall()
        except duckdb.Error as err:
            raise ReaderError("microdata.unreadable", file=file, location=file, found=str(err).splitlines()[0],
                              expected="Parquet") from None
        found = {name: kind for name, kind, *_ in schema}
        names = list(found)
    else:
        names = _header(path, spec)
        found = {}
    if sorted(names) != sorted(c.name for c in spec.columns):
        raise ReaderError("microdata.columns", file=file, location="line 1", found=", ".join(names), expected=expected)
    for column in spec.columns:
        kind = found.get(column.name)
        if kind is not None and kind != column.type:
            raise ReaderError("microdata.type", file=file, location=f'column "{column.name}"', found=kind,
                              expected=column.type)


def _codes_table(conn: duckdb.DuckDBPyConnection, spec: MicrodataSpec) -> None:
    conn.execute("create or replace temp table md_codes (role varchar, code varchar)")
    for column in spec.columns:
        if column.codes:
            conn.execute("insert into md_codes select ?, unnest(?::varchar[])", [column.role, list(column.codes)])


def _first_bad_row(conn: duckdb.DuckDBPyConnection, path: Path, spec: MicrodataSpec, role: str,
                   problem: str) -> tuple[int, str]:
    """Read the file once more to find the first row with the problem: (its line, the value found)."""
    _source_view(conn, path, spec, lenient=True)
    if problem == "year":
        where = f"date is null or year(date) not between {spec.first_year:d} and {spec.last_year:d}"
        found = "cast(date as varchar)"
    elif problem == "county":
        where = "left(municipality, 2) <> county"
        found = "municipality || ' / ' || county"
    else:
        where = (f"{role} is null or {role} not in (select code from md_codes where role = {_literal(role)})")
        found = role
    row = conn.execute(f"select line, {found} from md_source where {where} order by line limit 1").fetchone()
    return (int(row[0]), "(tomt/empty)" if row[1] is None else str(row[1])) if row else (0, "-")


def validate_microdata(conn: duckdb.DuckDBPyConnection, path: Path, spec: MicrodataSpec, *,
                       origin: Path | None = None) -> MicrodataCheck:
    """Check one file completely in DuckDB, leaving its counts in md_cells; raises ReaderError on the first
    problem, located by file, line and column. ``origin``: the file as the analyst named it, when ``path``
    is its snapshot (messages name it, and its ``.provenance.yaml`` says how reliable the rows are)."""
    origin = origin or path
    file = origin.name
    _check_schema(conn, path, spec, file)
    _codes_table(conn, spec)
    _source_view(conn, path, spec, lenient=False)
    try:
        conn.execute((SQL_DIR / "scan.sql").read_text(encoding="utf-8"))
    except duckdb.Error as err:
        raise ReaderError("microdata.unreadable", file=file, location=file, found=str(err).splitlines()[0],
                          expected=", ".join(f"{c.name} {c.type}" for c in spec.columns)) from None
    if path.suffix.lower() != ".parquet":
        reject = conn.execute("select line, column_name, csv_line from reject_errors order by line limit 1").fetchone()
        if reject is not None:
            line, column, text = reject
            value = text.split(spec.delimiter)[[c.name for c in spec.columns].index(column)] \
                if column in [c.name for c in spec.columns] and text.count(spec.delimiter) == len(spec.columns) - 1 \
                else text
            kind = next((c.type for c in spec.columns if c.name == column), "-")
            raise ReaderError("microdata.type", file=file, location=f'line {line}, column "{column}"',
                              found=value, expected=kind)
    problems = conn.execute((SQL_DIR / "scan_checks.sql").read_text(encoding="utf-8"),
                            [spec.first_year, spec.last_year]).fetchall()
    if problems:
        role, _, _, problem = problems[0]
        column = spec.column(role)
        line, found = _first_bad_row(conn, path, spec, role, problem)
        if problem == "year":
            key, expected = "microdata.year", f"{spec.first_year}–{spec.last_year}"
        elif problem == "county":
            key, expected = "microdata.county", "kommun / län"
            column = spec.column("county")
        else:
            key = "microdata.code"
            shown = column.codes if len(column.codes) <= 12 else (*column.codes[:12], "…")
            expected = ", ".join(shown)
        raise ReaderError(key, file=file, location=f'line {line}, column "{column.name}"', found=found,
                          expected=expected)
    rows, years = conn.execute("select sum(n), list(distinct year order by year) from md_cells").fetchone()
    if not rows:
        raise ReaderError("ingest.no_rows", file=file, location=file, found="0", expected="1")
    provenance = load_provenance(origin) if provenance_path(origin).exists() else None
    reliability = "official"
    if provenance is not None and provenance.rules:
        reliability = provenance.rules[0].get("reliability", "official")
    return MicrodataCheck(spec=spec, path=path, rows=int(rows), years=tuple(int(y) for y in years),
                          illustrative=reliability == "illustrative", reliability=reliability)


@dataclass(frozen=True)
class ValidatedMicrodata:
    """What ``mvk validate`` / ``mvk ingest`` need of a microdata file that passed (``intake.validate_any``)."""

    spec: MicrodataSpec
    path: Path
    sha256: str
    rows: int
    years: tuple[int, ...]
    illustrative: bool


def validate_microdata_file(path: Path, spec: MicrodataSpec) -> ValidatedMicrodata:
    """Validate a file in an in-memory DuckDB (nothing written): the CLI's check before filing it."""
    with duckdb.connect() as conn:
        check = validate_microdata(conn, path, spec)
    return ValidatedMicrodata(spec=spec, path=path, sha256=file_sha256(path), rows=check.rows, years=check.years,
                              illustrative=check.illustrative)


# ------------------------------------------------------------------------------------------ load
@dataclass(frozen=True)
class MicrodataLoad:
    source_id: str
    files_loaded: tuple[str, ...]     # loaded now ('' when nothing changed)
    rows: int                         # offences in the source, every file
    snapshots: tuple[str, ...]        # sha256 of every file, in load order


def microdata_files(data_dir: Path, spec: MicrodataSpec) -> list[Path]:
    """The source's files in load order (empty: the source is optional)."""
    return files_in_arrival_order(Path(data_dir) / "sources" / spec.id, {f".{f}" for f in spec.formats})


def _raw_table(conn: duckdb.DuckDBPyConnection, spec: MicrodataSpec) -> None:
    conn.execute(f"create table if not exists {spec.table} (snapshot_sha256 varchar not null, "
                 "year integer not null, county varchar not null, municipality varchar not null, "
                 "sex varchar not null, relation varchar not null, n bigint not null, illustrative boolean not null, "
                 "reliability varchar not null)")


def load_microdata(conn: duckdb.DuckDBPyConnection, spec: MicrodataSpec, data_dir: Path,
                   warehouse_dir: Path) -> MicrodataLoad:
    """Bring ``raw.microdata_<id>`` in line with the source's files: each file snapshotted, validated and
    counted in DuckDB, all written in one transaction. When the files are those already loaded (by
    hash, spec and reader), nothing is read but the hashes.

    A file is hashed before the transaction only when it may be one already loaded (as many files as
    loaded, of the same sizes); its snapshot is then reused, not copied, if it is loaded again (spec or
    reader changed). Otherwise (a first load, a file added, removed or resized) it is hashed once, while
    it is copied into its snapshot; twice only when it has the size of the loaded file but not its hash."""
    ensure_schema(conn)
    _raw_table(conn, spec)
    files = microdata_files(data_dir, spec)
    spec_hash = spec_sha256(spec)
    loaded = conn.execute("select sha256, bytes, spec_sha256, reader_version from raw.snapshots where source_id = ? "
                          "order by load_seq", [spec.id]).fetchall()
    known: list[str | None] = [None] * len(files)
    if [b for _, b, *_ in loaded] == [p.stat().st_size for p in files]:
        known = [file_sha256(p) for p in files]
        if [h for h, *_ in loaded] == known and all(s == spec_hash and r == READER_VERSION for *_, s, r in loaded):
            rows = conn.execute(f"select coalesce(sum(n), 0) from {spec.table}").fetchone()[0]
            return MicrodataLoad(spec.id, (), int(rows), tuple(known))
    hashes: list[str] = []
    seen_years: dict[int, str] = {}
    conn.execute("begin transaction")
    try:
        conn.execute("delete from raw.snapshots where source_id = ?", [spec.id])
        conn.execute(f"delete from {spec.table}")
        for seq, (path, sha256) in enumerate(zip(files, known, strict=True), start=1):
            sha, stored, size = snapshot_file(path, warehouse_dir, sha256)
            hashes.append(sha)
            check = validate_microdata(conn, Path(warehouse_dir) / stored, spec, origin=path)
            for year in check.years:
                if year in seen_years:
                    raise ReaderError("microdata.year_twice", file=path.name, location=path.name, found=str(year),
                                      expected=seen_years[year])
                seen_years[year] = path.name
            conn.execute(f"insert into {spec.table} select ?, year, county, municipality, sex, relation, n, ?, ? "
                         "from md_cells", [sha, check.illustrative, check.reliability])
            prov = provenance_path(path)
            prov_sha = None
            if prov.is_file():
                content = prov.read_bytes()
                store_snapshot(content, ".provenance.yaml", warehouse_dir)
                prov_sha = hashlib.sha256(content).hexdigest()
            retrieved = load_provenance(path).retrieved if prov_sha else None
            conn.execute(
                "insert into raw.snapshots (sha256, source_id, original_name, stored_path, bytes, format, encoding, "
                "retrieved, ingested_at, load_seq, provenance_sha256, withdraw, spec_sha256, reader_version) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, ?, ?)",
                [sha, spec.id, path.name, stored, size, path.suffix.lower().lstrip("."),
                 "binary" if path.suffix.lower() == ".parquet" else "utf-8", retrieved,
                 datetime.now(UTC).replace(tzinfo=None), seq, prov_sha, spec_hash, READER_VERSION])
        record_source_state(conn, spec.id, warehouse_dir)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    rows = conn.execute(f"select coalesce(sum(n), 0) from {spec.table}").fetchone()[0]
    return MicrodataLoad(spec.id, tuple(p.name for p in files), int(rows), tuple(hashes))


# ------------------------------------------------------------------------------------------ compute
def reported_offences(conn: duckdb.DuckDBPyConnection, spec: MicrodataSpec) -> pd.DataFrame:
    """The unsuppressed counts, every year × region × sex × relation with totals (zeros included)."""
    _raw_table(conn, spec)
    _codes_table(conn, spec)
    conn.execute(f"create or replace temp view md_loaded as select * from {spec.table}")
    return conn.execute((SQL_DIR / "reported_offences.sql").read_text(encoding="utf-8")).df()


def protect(frame: pd.DataFrame, rule: SuppressionRule) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Primary and secondary suppression of the table, kommun within county within riket, as linked tables.

    The table: riket and the 21 län by sex × relation, the 290 kommuner by sex (at kommun level the
    relation split would be mostly hidden, and its 290 × 3 × 6 cells a year make the exact engine in
    ``indicators.disclosure`` take minutes: docs/performance.md). It is protected in its natural parts:
    the county table (riket and the 21 län, sex and relation totals) and, per county, its kommun table
    (the county's total and its kommuner, by sex). A county's total row belongs to both; a cell hidden in one
    part is passed to the other as hidden (``hidden_column``) and the parts are protected again until no
    part hides a new cell. The whole table is then audited with every relation at once
    (``recoverable_cells``): if a hidden cell could still be computed, nothing is published."""
    import numpy as np
    import pandas as pd

    from indicators.disclosure import recoverable_cells, suppress

    frame = frame.copy()
    frame["hidden"] = False
    top_mask = (frame["municipality"] == "T").to_numpy()
    logs: list[pd.DataFrame] = []
    parts = (
        (top_mask, ["year", "county", "sex", "relation"], {"county": "00", "sex": "T", "relation": "T"}),
        ((frame["county"] != "00").to_numpy() & (frame["relation"] == "T").to_numpy(),
         ["year", "county", "municipality", "sex"], {"municipality": "T", "sex": "T"}),  # one block per county
    )
    while True:   # a cell is logged by the part that first hid it (later parts get it as hidden)
        before = int(frame["hidden"].sum())
        for mask, keys, totals in parts:
            part = frame.loc[mask, [*KEY_COLUMNS, "value", "hidden"]]
            result = suppress(part, key_columns=keys, totals=totals, rule=rule, hidden_column="hidden")
            hidden = result.frame["value"].isna().to_numpy()
            frame.loc[part.index[hidden], "hidden"] = True
            logs.append(result.log if "municipality" in result.log else result.log.assign(municipality="T"))
        if int(frame["hidden"].sum()) == before:
            break
    out = frame.drop(columns="hidden")
    values = out["value"].to_numpy(copy=True)
    values[frame["hidden"].to_numpy()] = np.nan
    out["value"] = values
    out["flag"] = np.where(np.isnan(values), "c", "")
    log = pd.concat(logs, ignore_index=True)[[*KEY_COLUMNS, "kind", "reason", "protects"]]
    log = log.drop_duplicates(subset=list(KEY_COLUMNS)).reset_index(drop=True)
    exposed = recoverable_cells(out, key_columns=list(KEY_COLUMNS),
                                totals={"county": "00", "municipality": "T", "sex": "T", "relation": "T"},
                                flag_column="flag")
    if exposed:
        raise ValueError(f"microdata: {len(exposed)} hidden cells can be computed from the published ones, "
                         f"e.g. {exposed[0]}; nothing is published")
    return out, log


def compute_reported_offences(conn: duckdb.DuckDBPyConnection, spec: MicrodataSpec,
                              rule: SuppressionRule) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The published table (suppressed) and its suppression log, written to the ``indicators`` schema."""
    import numpy as np
    import pandas as pd

    counts = reported_offences(conn, spec)
    meta = conn.execute(f"select year, bool_or(illustrative) as illustrative, min(reliability) as reliability, "
                        f"string_agg(distinct left(snapshot_sha256, 12), '; ') as provenance "
                        f"from {spec.table} group by year").df()
    if counts.empty:
        table = counts.assign(flag="", illustrative=False, reliability="", provenance="")
        log = pd.DataFrame(columns=[*KEY_COLUMNS, "kind", "reason", "protects"])
    else:
        table, log = protect(counts, rule)
        table = table.merge(meta, on="year", how="left")
    table.insert(0, "source_id", spec.id)
    table["region"] = np.where(table["municipality"] == "T", table["county"], table["municipality"])
    conn.execute("create schema if not exists indicators")
    conn.register("md_table", table)
    conn.register("md_log", log)
    try:
        conn.execute(f"create or replace table {INDICATOR_TABLE} as select * from md_table")
        conn.execute(f"create or replace table {LOG_TABLE} as select * from md_log")
    finally:
        conn.unregister("md_table")
        conn.unregister("md_log")
    return table, log
