"""Ingest: one asset per source in the catalogue, loading ``DATA_DIR/sources/<id>/`` into DuckDB.

Each new file is validated completely before anything is written; a source is written in one
transaction. A file already loaded with the same spec and reader is not read again; a file changes
exactly the cells it holds (``indicators.revisions``), and a changed source spec or reader reloads the
source from its files, so the warehouse is a function of the files and the specs, whatever the output
folder held before. The data version is the hash of the snapshot hashes, spec and reader.
"""

import hashlib

import dagster as dg
from dagster_duckdb import DuckDBResource

from indicators.i18n import t
from indicators.inbox import SOURCE, Recognised
from indicators.readers import ReaderError
from indicators.revisions import describe_plan
from indicators.sources import SourceSpec, load_sources
from indicators.warehouse import plan_source, read_state, reader_version, source_inputs, spec_sha256, write_source
from pipelines.inbox_run import InboxFile, set_aside_if_refused, take_inbox_file
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
        context: dg.AssetExecutionContext, duckdb: DuckDBResource, paths: FollowupPaths, config: InboxFile
    ) -> dg.MaterializeResult:
        taken = take_inbox_file(context, config, paths, Recognised(SOURCE, spec.id))   # a run of inbox_sensor
        paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
        try:
            inputs = source_inputs(paths.data_path, spec)
            with duckdb.get_connection() as conn:
                state = read_state(conn, spec.id)
            plan = plan_source(spec, inputs, state)   # reads and checks outside the connection
        except ReaderError as err:
            raise dg.Failure(description=set_aside_if_refused(taken, err, paths)) from err
        with duckdb.get_connection() as conn:
            write_source(conn, plan, paths.warehouse_dir)
        if plan.replace:
            context.log.info(t(f"revisions.reloaded_{plan.reason}", paths.lang, source=spec.id))
        for step in plan.steps:
            for warning in step.validated.warnings:
                context.log.warning(warning.message(paths.lang))
            if step.plan.not_covered:
                context.log.info(describe_plan(step.plan, step.file.path.name, paths.lang))
        with duckdb.get_connection() as conn:
            hashes = [r[0] for r in conn.execute(
                "select sha256 from raw.snapshots where source_id = ? order by load_seq", [spec.id]).fetchall()]
            rows = conn.execute("select count(*) from raw.observations where source_id = ?",
                                [spec.id]).fetchone()[0]
        return dg.MaterializeResult(
            metadata={"dagster/row_count": rows,
                      "files_loaded_now": ", ".join(s.file.path.name for s in plan.steps) or "-",
                      "reloaded": plan.reason or "-", "revisions_recorded": plan.revisions,
                      "snapshots": ", ".join(hashes)},
            data_version=dg.DataVersion(hashlib.sha256(
                ("".join(hashes) + spec_sha256(spec) + reader_version()).encode()).hexdigest()),
        )

    return _ingest


source_assets = [build_source_asset(spec) for spec in load_sources().values()]
