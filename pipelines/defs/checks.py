"""Asset checks on every indicator: blocking rules and warnings (see indicators/quality.py).

A failing blocking check fails its step, so the report site is not rebuilt from a table that breaks a
publishing rule; warnings are shown in the UI and the run log.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from indicators.quality import blocking_problems, coverage_gaps, unreconciled_totals, year_on_year_jumps
from indicators.registry import IndicatorSpec, load_catalogue
from pipelines.defs.indicators import indicator_asset_key
from pipelines.settings import FollowupPaths


def _read(duckdb: DuckDBResource, spec: IndicatorSpec):
    with duckdb.get_connection() as conn:
        return conn.execute(f'select * from indicators."{spec.id}"').df()   # id: registry allowlist


def build_checks(spec: IndicatorSpec) -> list[dg.AssetChecksDefinition]:
    key = indicator_asset_key(spec.id)

    @dg.asset_check(asset=key, name="publishable", blocking=True, pool="duckdb",
                    description="Schema, unique keys, finite values, shares within 0–100, every gap flagged.")
    def publishable(duckdb: DuckDBResource) -> dg.AssetCheckResult:
        problems = blocking_problems(_read(duckdb, spec), spec)
        return dg.AssetCheckResult(passed=not problems, metadata={"problems": "; ".join(problems) or "-"})

    @dg.asset_check(asset=key, name="plausible", pool="duckdb",
                    description="Year-on-year jumps beyond the spec's tolerance, coverage gaps, totals that do "
                                "not reconcile.")
    def plausible(duckdb: DuckDBResource) -> dg.AssetCheckResult:
        frame = _read(duckdb, spec)
        jumps, gaps, totals = year_on_year_jumps(frame, spec), coverage_gaps(frame, spec), \
            unreconciled_totals(frame, spec)
        return dg.AssetCheckResult(
            passed=not (jumps or gaps or totals), severity=dg.AssetCheckSeverity.WARN,
            metadata={"jumps": "; ".join(jumps) or "-", "gaps": ", ".join(gaps) or "-",
                      "unreconciled": "; ".join(totals) or "-"})

    return [publishable, plausible]


indicator_checks = [check for spec in load_catalogue().values() if not spec.is_development
                    for check in build_checks(spec)]


@dg.asset_check(asset=dg.AssetKey(["reports", "site"]), name="every_catalogue_id_present", blocking=True,
                description="Every catalogue indicator has its CSV and its pages in both languages.")
def every_catalogue_id_present(paths: FollowupPaths) -> dg.AssetCheckResult:
    site = paths.site_dir
    missing = []
    for spec in load_catalogue().values():
        wanted = [f"indicators/{spec.id}.html", f"en/indicators/{spec.id}.html"]
        if not spec.is_development:
            wanted.append(f"data/indicators/{spec.id}.csv")
        missing += [w for w in wanted if not (site / w).is_file()]
    return dg.AssetCheckResult(passed=not missing, metadata={"missing": ", ".join(missing) or "-"})
