"""Assessment: the progress class and one-sentence summary of every series of every indicator.

Kept as a warehouse table (``indicators.assessment``) so analysts can query it, and read by the
report site. The rule is in ``indicators/assessment.py`` and docs/assessment.md.
"""

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource

from indicators.assessment import assess_indicator
from indicators.registry import load_catalogue
from pipelines.defs.indicators import indicator_asset_key

ASSESSMENT_KEY = dg.AssetKey(["indicators", "assessment"])


@dg.asset(
    key=ASSESSMENT_KEY,
    deps=[indicator_asset_key(i) for i, spec in load_catalogue().items() if not spec.is_development],
    group_name="indicators",
    pool="duckdb",
    kinds={"duckdb", "python"},
    description="Progress class and summary (sv/en) per indicator and breakdown: indicators.assessment.",
)
def assessment(duckdb: DuckDBResource) -> dg.MaterializeResult:
    catalogue = load_catalogue()
    with duckdb.get_connection() as conn:
        frames = {i: conn.execute(f'select * from indicators."{i}"').df()   # ids: registry allowlist
                  for i, spec in catalogue.items() if not spec.is_development}
    rows = []
    for indicator_id, frame in frames.items():
        for item in assess_indicator(frame, catalogue[indicator_id]):
            rows.append({
                "indicator_id": item.indicator_id,
                "breakdown": "; ".join(f"{k}={v}" for k, v in sorted(item.breakdown.items())),
                "progress": item.progress, "rule": item.rule,
                "baseline_year": item.baseline_year, "baseline_value": item.baseline_value,
                "previous_year": item.previous_year, "previous_value": item.previous_value,
                "latest_year": item.latest_year, "latest_value": item.latest_value,
                "change_since_baseline": item.change_since_baseline,
                "change_since_previous": item.change_since_previous,
                "annual_growth": item.annual_growth,
                "summary_sv": item.summary["sv"], "summary_en": item.summary["en"],
            })
    table = pd.DataFrame(rows)
    with duckdb.get_connection() as conn:
        conn.register("assessment_rows", table)
        conn.execute("create or replace table indicators.assessment as select * from assessment_rows")
        conn.unregister("assessment_rows")
    counts = table.groupby("progress").size().to_dict()
    metadata = {"dagster/row_count": len(table), **{f"n_{k}": int(v) for k, v in counts.items()}}
    return dg.MaterializeResult(metadata=metadata)
