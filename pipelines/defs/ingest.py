"""Ingest: one asset per source in the catalogue, loading ``DATA_DIR/sources/<id>/`` into DuckDB.

Each file is validated completely before anything is written and loaded in its own transaction; a
file already in the warehouse (same content hash) is skipped, and a corrected file replaces the years
it covers while the changes are kept in ``raw.revisions``. The data version is the hash of the
source's snapshot hashes, so rerunning with the same files does not make downstream assets stale.
"""

import hashlib

import dagster as dg
from dagster_duckdb import DuckDBResource

from indicators.readers import ReaderError
from indicators.sources import SourceSpec, load_sources
from indicators.validation import validate_file
from indicators.warehouse import is_loaded, load_file, source_files
from pipelines.settings import FollowupPaths


def source_asset_key(source_id: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", source_id])


def build_source_asset(spec: SourceSpec) -> dg.AssetsDefinition:
    spec_hash = hashlib.sha256(repr(spec).encode("utf-8")).hexdigest()[:12]

    @dg.asset(
        key=source_asset_key(spec.id),
        group_name="ingest",
        pool="duckdb",
        kinds={"duckdb"},
        code_version=spec_hash,
        description=f"{spec.publisher['sv']}: {spec.title['sv']} ({spec.table_id}).",
        metadata={"source_url": dg.MetadataValue.url(spec.url), "formats": ", ".join(spec.formats)},
    )
    def _ingest(
        context: dg.AssetExecutionContext, duckdb: DuckDBResource, paths: FollowupPaths
    ) -> dg.MaterializeResult:
        paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
        loaded, revisions, warnings = [], 0, []
        try:
            files = source_files(paths.data_path, spec)
            for path in files:
                content = path.read_bytes()
                with duckdb.get_connection() as conn:
                    if is_loaded(conn, hashlib.sha256(content).hexdigest()):
                        continue
                validated = validate_file(path, source_id=spec.id, data=content)   # outside the connection
                warnings += [w.message(paths.lang) for w in validated.warnings]
                with duckdb.get_connection() as conn:
                    outcome = load_file(conn, validated, paths.warehouse_dir)
                revisions += outcome.revisions
                loaded.append(path.name)
        except ReaderError as err:
            raise dg.Failure(description=err.message(paths.lang)) from err
        for warning in warnings:
            context.log.warning(warning)
        with duckdb.get_connection() as conn:
            hashes = [r[0] for r in conn.execute(
                "select distinct snapshot_sha256 from raw.observations where source_id = ? order by 1",
                [spec.id]).fetchall()]
            rows = conn.execute("select count(*) from raw.observations where source_id = ?",
                                [spec.id]).fetchone()[0]
        return dg.MaterializeResult(
            metadata={"dagster/row_count": rows, "files_loaded_now": ", ".join(loaded) or "-",
                      "revisions_recorded": revisions, "warnings": len(warnings), "snapshots": ", ".join(hashes)},
            data_version=dg.DataVersion(hashlib.sha256("".join(hashes).encode()).hexdigest()),
        )

    return _ingest


source_assets = [build_source_asset(spec) for spec in load_sources().values()]
