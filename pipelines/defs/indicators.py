"""Indicators: one asset per spec in the catalogue, built by a factory.

``code_version`` is a hash of the spec, its SQL and the flag rule (``indicators/sql/flags.sql``), so
editing one indicator marks only that one stale, and changing the rule marks them all. The asset
computes in DuckDB, refuses unpublishable results and stores ``indicators.<id>``.
"""

import hashlib

import dagster as dg
from dagster_duckdb import DuckDBResource

from indicators.compute import (
    IndicatorError,
    compute_with_log,
    disclosure_tables,
    main_series,
    staging_tables_read,
    store_indicator,
    store_suppression_log,
)
from indicators.quality import blocking_problems, coverage_gaps, unreconciled_totals, year_on_year_jumps
from indicators.registry import IndicatorSpec, load_catalogue
from pipelines.defs.staging import staging_asset_key
from pipelines.operations import transaction


def indicator_asset_key(indicator_id: str) -> dg.AssetKey:
    return dg.AssetKey(["indicators", indicator_id])


def build_indicator_asset(spec: IndicatorSpec) -> dg.AssetsDefinition:
    # Disclosure control computes one pattern per non-public input from every count table built on it,
    # so the asset reads their staging tables and is stale when their spec or SQL changes.
    linked = disclosure_tables(spec)
    deps = staging_tables_read(spec)
    others = sorted(o.code_version for o in linked if o.id != spec.id)
    code_version = spec.code_version if not others else hashlib.sha256(
        " ".join([spec.code_version, *others]).encode("utf-8")).hexdigest()[:12]
    key = indicator_asset_key(spec.id)
    # An indicator computed from the action programme's register (its SQL reads programme.* tables, MVK27)
    # depends on the programme's status asset, which builds those tables.
    programme = [dg.AssetKey(["programme", "status"])] if spec.reads_programme else []

    @dg.asset(
        key=key,
        deps=[staging_asset_key(t) for t in deps] + programme,
        group_name="indicators",
        pool="duckdb",
        kinds={"duckdb", "sql"},
        code_version=code_version,
        description=f"{spec.id} {spec.name['sv']} / {spec.name['en']}",
        metadata={"unit": spec.unit, "breakdowns": ", ".join(spec.output_breakdowns) or "-"},
        check_specs=[
            dg.AssetCheckSpec("publishable", asset=key, blocking=True,
                              description="Schema, unique keys, finite values, shares 0–100, every gap flagged."),
            dg.AssetCheckSpec("plausible", asset=key,
                              description="Year-on-year jumps beyond the spec's tolerance, coverage gaps, "
                                          "totals that do not reconcile."),
        ],
    )
    def _indicator(duckdb: DuckDBResource) -> dg.MaterializeResult:
        """Compute, check, and only then publish: a table that breaks a blocking rule is not stored,
        so the previous table stays in place and nothing downstream is rebuilt (stage, then promote)."""
        with duckdb.get_connection() as conn:
            try:
                frame, suppression_log = compute_with_log(conn, spec)
            except IndicatorError as err:
                raise dg.Failure(description=str(err)) from err
            problems = blocking_problems(frame, spec)
            if not problems:
                with transaction(conn):          # the table and its suppression log together or not at all
                    store_indicator(conn, spec, frame)
                    store_suppression_log(conn, spec, suppression_log)
        jumps, gaps, totals = year_on_year_jumps(frame, spec), coverage_gaps(frame, spec), \
            unreconciled_totals(frame, spec)
        latest = main_series(frame, spec).dropna(subset=["value"]).tail(1)
        kinds = list(suppression_log["kind"]) if "kind" in suppression_log else []
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": len(frame),
                "dagster/table_name": f"indicators.{spec.id}",
                "published": not problems,
                "latest_year": int(latest["year"].iloc[0]) if not latest.empty else None,
                "latest_value": float(latest["value"].iloc[0]) if not latest.empty else None,
                "illustrative_rows": int(frame["illustrative"].sum()),
                "suppressed_cells": len(suppression_log),
                "suppressed_primary": kinds.count("primary"),
                "suppressed_secondary": kinds.count("secondary"),
            },
            check_results=[
                dg.AssetCheckResult(check_name="publishable", passed=not problems,
                                    metadata={"problems": "; ".join(problems) or "-"}),
                dg.AssetCheckResult(check_name="plausible", passed=not (jumps or gaps or totals),
                                    severity=dg.AssetCheckSeverity.WARN,
                                    metadata={"jumps": "; ".join(jumps) or "-", "gaps": ", ".join(gaps) or "-",
                                              "unreconciled": "; ".join(totals) or "-"}),
            ],
        )

    return _indicator


# Development indicators have no data source yet: they get a page saying what is needed, no asset.
indicator_assets = [build_indicator_asset(spec) for spec in load_catalogue().values() if not spec.is_development]
