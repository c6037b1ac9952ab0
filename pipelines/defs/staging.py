"""Staging: one harmonised table per domain (population, lethal violence, …) from raw observations.

The SQL is generated from the source specs (``indicators/staging.py``); a staging table depends on
every source whose spec names it as its ``staging_table``, and its code version is the hash of the
generated SQL and of the flag rule, so editing a spec's dimensions or breaks restages that table.
"""

import hashlib

import dagster as dg
from dagster_duckdb import DuckDBResource

from indicators.flags import FLAGS_SQL, load_flag_macros
from indicators.staging import staging_sql, staging_tables
from pipelines.defs.ingest import source_asset_key


def staging_asset_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["staging", table])


def build_staging_asset(table: str, sql: str, source_ids: list[str]) -> dg.AssetsDefinition:
    version = hashlib.sha256((sql + "\0" + FLAGS_SQL.read_text(encoding="utf-8")).encode("utf-8")).hexdigest()

    @dg.asset(
        key=staging_asset_key(table),
        deps=[source_asset_key(s) for s in source_ids],
        group_name="staging",
        pool="duckdb",
        kinds={"duckdb", "sql"},
        code_version=version[:12],
        description=f"Harmonised table staging.{table} from {', '.join(source_ids)}.",
    )
    def _staging(duckdb: DuckDBResource) -> dg.MaterializeResult:
        with duckdb.get_connection() as conn:
            load_flag_macros(conn)
            conn.execute(sql)
            rows = conn.execute(f"select count(*) from staging.{table}").fetchone()[0]
        return dg.MaterializeResult(metadata={"dagster/row_count": rows, "dagster/table_name": f"staging.{table}"})

    return _staging


staging_assets = [build_staging_asset(table, staging_sql(table, specs), [s.id for s in specs])
                  for table, specs in staging_tables().items()]
