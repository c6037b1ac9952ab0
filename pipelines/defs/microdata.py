"""Microdata: one ingest asset per ``kind: microdata`` source and the reported-offence table built on it.

The ingest asset has the same key as a published table's (``raw/<id>``), so ``mvk ingest`` of a
microdata file materialises it and what follows; the work is done in DuckDB by
``indicators.microdata`` (no row passes through Python). The source is optional: with no file the
asset records nothing and the indicator table is empty, so ``mvk run`` on the shipped data stays fast.
"""

import hashlib

import dagster as dg
from dagster_duckdb import DuckDBResource

from indicators.compute import suppression_rule
from indicators.i18n import t
from indicators.inbox import SOURCE, Recognised
from indicators.microdata import (
    INDICATOR_TABLE,
    READER_VERSION,
    MicrodataSpec,
    compute_reported_offences,
    load_microdata,
    load_microdata_sources,
    spec_sha256,
)
from indicators.readers import ReaderError
from pipelines.defs.ingest import source_asset_key
from pipelines.inbox_run import InboxFile, take_inbox_file
from pipelines.settings import FollowupPaths


def build_microdata_assets(spec: MicrodataSpec) -> list[dg.AssetsDefinition]:
    @dg.asset(
        key=source_asset_key(spec.id),
        group_name="ingest",
        pool="duckdb",
        kinds={"duckdb"},
        code_version=spec_sha256(spec)[:12] + READER_VERSION,
        description=f"{spec.publisher['sv']}: {spec.title['sv']} (mikrodata, ej publik).",
        metadata={"source_url": dg.MetadataValue.url(spec.url), "formats": ", ".join(spec.formats)},
    )
    def _ingest(context: dg.AssetExecutionContext, duckdb: DuckDBResource,
                paths: FollowupPaths, config: InboxFile) -> dg.MaterializeResult:
        take_inbox_file(context, config, paths, Recognised(SOURCE, spec.id))   # a run of inbox_sensor
        paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
        try:
            with duckdb.get_connection() as conn:
                load = load_microdata(conn, spec, paths.data_path, paths.warehouse_dir)
        except ReaderError as err:
            raise dg.Failure(description=err.message(paths.lang)) from err
        if not load.snapshots:
            context.log.info(t("microdata.no_files", paths.lang, source=spec.id,
                               folder=paths.data_path / "sources" / spec.id))
        elif load.files_loaded:
            context.log.info(t("microdata.loaded", paths.lang, source=spec.id, rows=load.rows,
                               files=", ".join(load.files_loaded)))
        return dg.MaterializeResult(
            metadata={"dagster/row_count": load.rows, "files_loaded_now": ", ".join(load.files_loaded) or "-",
                      "snapshots": ", ".join(load.snapshots) or "-"},
            data_version=dg.DataVersion(hashlib.sha256(
                ("".join(load.snapshots) + spec_sha256(spec) + READER_VERSION).encode()).hexdigest()),
        )

    @dg.asset(
        key=dg.AssetKey(["indicators", f"microdata_reported_offences_{spec.id}"]),
        deps=[source_asset_key(spec.id)],
        group_name="indicators",
        pool="duckdb",
        kinds={"duckdb"},
        code_version=spec_sha256(spec)[:12] + READER_VERSION,
        description=f"{INDICATOR_TABLE}: reported offences by region, sex and relation, with disclosure control.",
    )
    def _reported(duckdb: DuckDBResource) -> dg.MaterializeResult:
        with duckdb.get_connection() as conn:
            table, log = compute_reported_offences(conn, spec, suppression_rule())
        return dg.MaterializeResult(metadata={"dagster/row_count": len(table), "suppressed_cells": len(log),
                                              "dagster/table_name": INDICATOR_TABLE})

    return [_ingest, _reported]


microdata_assets = [a for spec in load_microdata_sources().values() for a in build_microdata_assets(spec)]
