"""Staging: one harmonised table per domain (population, lethal violence, …) from raw observations.

The SQL lives in ``indicators/sql/staging/<table>.sql``; a staging table depends on every source
whose spec names it as its ``staging_table``.
"""

import hashlib
import re

import dagster as dg
from dagster_duckdb import DuckDBResource

from indicators.sources import load_sources
from indicators.warehouse import SQL_DIR
from pipelines.defs.ingest import source_asset_key

STAGING_SQL_DIR = SQL_DIR / "staging"


def staging_asset_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["staging", table])


def build_staging_asset(table: str, source_ids: list[str]) -> dg.AssetsDefinition:
    if not re.fullmatch(r"[a-z_]+", table):  # the name becomes an SQL identifier below
        raise ValueError(f"staging table name {table!r} must be lower-case letters and underscores")
    sql = (STAGING_SQL_DIR / f"{table}.sql").read_text(encoding="utf-8")

    @dg.asset(
        key=staging_asset_key(table),
        deps=[source_asset_key(s) for s in source_ids],
        group_name="staging",
        pool="duckdb",
        kinds={"duckdb", "sql"},
        code_version=hashlib.sha256(sql.encode("utf-8")).hexdigest()[:12],
        description=f"Harmonised table staging.{table} from {', '.join(source_ids)}.",
    )
    def _staging(duckdb: DuckDBResource) -> dg.MaterializeResult:
        with duckdb.get_connection() as conn:
            conn.execute(sql)
            rows = conn.execute(f"select count(*) from staging.{table}").fetchone()[0]
        return dg.MaterializeResult(metadata={"dagster/row_count": rows, "dagster/table_name": f"staging.{table}"})

    return _staging


def _tables() -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    for spec in load_sources().values():
        tables.setdefault(spec.staging_table, []).append(spec.id)
    return tables


staging_assets = [build_staging_asset(table, ids) for table, ids in sorted(_tables().items())]
