"""Ingest: one asset per source in the catalogue, loading ``DATA_DIR/sources/<id>/`` into DuckDB.

Each run reads and checks every file before anything is written, then replaces the source's rows
in one transaction, so a bad file leaves the warehouse as it was. The data version is the hash of
the files' hashes: re-ingesting identical files does not make downstream assets look changed.
"""

import hashlib

import dagster as dg
from dagster_duckdb import DuckDBResource

from indicators.readers import ReaderError
from indicators.sources import SourceSpec, load_sources
from indicators.warehouse import read_source, replace_source, source_files
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
    def _ingest(duckdb: DuckDBResource, paths: FollowupPaths) -> dg.MaterializeResult:
        try:
            load = read_source(spec, source_files(paths.data_path, spec))
        except ReaderError as err:
            raise dg.Failure(description=err.message(paths.lang)) from err
        paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
        with duckdb.get_connection() as conn:
            rows = replace_source(conn, load, paths.warehouse_dir)
        hashes = sorted(s.sha256 for s in load.snapshots)
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": rows,
                "files": ", ".join(s.original_name for s in load.snapshots),
                "snapshots": ", ".join(hashes),
                "illustrative_rows": int(load.observations["illustrative"].sum()),
            },
            data_version=dg.DataVersion(hashlib.sha256("".join(hashes).encode()).hexdigest()),
        )

    return _ingest


source_assets = [build_source_asset(spec) for spec in load_sources().values()]
