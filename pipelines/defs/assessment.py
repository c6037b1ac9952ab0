"""Assessment: the progress class, its facts and its sv/en sentences for every series of every indicator.

Kept as a warehouse table (``indicators.assessment``) so analysts can query it, and read by the
report site. The rule and the facts are in ``indicators/assessment.py`` (docs/assessment.md); the
sentences are written by ``reports/sentences.py`` from those facts and stored beside them, so every
page, download and workbook shows the same words. ``illustrative`` is true when any value the verdict
or its sentence uses is illustrative.
"""

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource

from indicators.assessment import assess_indicator
from indicators.registry import load_catalogue
from pipelines.defs.indicators import indicator_asset_key
from reports.sentences import sentences

ASSESSMENT_KEY = dg.AssetKey(["indicators", "assessment"])
YEAR_LISTS = ("start_years", "end_years", "breaks", "used_years", "illustrative_years", "published_years")


@dg.asset(
    key=ASSESSMENT_KEY,
    deps=[indicator_asset_key(i) for i, spec in load_catalogue().items() if not spec.is_development],
    group_name="indicators",
    pool="duckdb",
    kinds={"duckdb", "python"},
    description="Progress class, facts and sentences (sv/en) per indicator and breakdown: indicators.assessment.",
)
def assessment(duckdb: DuckDBResource) -> dg.MaterializeResult:
    catalogue = load_catalogue()
    with duckdb.get_connection() as conn:
        frames = {i: conn.execute(f'select * from indicators."{i}"').df()   # ids: registry allowlist
                  for i, spec in catalogue.items() if not spec.is_development}
    rows = []
    for indicator_id, frame in frames.items():
        spec = catalogue[indicator_id]
        for item in assess_indicator(frame, spec):
            words = sentences(item, spec)
            rows.append({
                "indicator_id": item.indicator_id,
                "breakdown": "; ".join(f"{k}={v}" for k, v in sorted(item.breakdown.items())),
                "progress": item.progress, "rule": item.rule, "illustrative": item.illustrative,
                "baseline_year": item.baseline_year, "baseline_value": item.baseline_value,
                "previous_year": item.previous_year, "previous_value": item.previous_value,
                "latest_year": item.latest_year, "latest_value": item.latest_value,
                "change_since_baseline": item.change_since_baseline,
                "change_since_previous": item.change_since_previous,
                "annual_growth": item.annual_growth,
                "period_first": item.period[0] if item.period else None,
                "period_last": item.period[1] if item.period else None,
                "start_value": item.start_value, "end_value": item.end_value,
                "starts_at_break": item.starts_at_break, "ends_before_break": item.ends_before_break,
                "notes": list(item.notes), "visible_change": item.visible_change,
                **{name: [int(y) for y in getattr(item, name)] for name in YEAR_LISTS},
                "summary_sv": words["sv"], "summary_en": words["en"],
            })
    table = pd.DataFrame(rows)
    for column in ("baseline_year", "previous_year", "latest_year", "period_first", "period_last",
                   "starts_at_break", "ends_before_break"):
        table[column] = table[column].astype("Int64")
    with duckdb.get_connection() as conn:
        conn.register("assessment_rows", table)
        conn.execute("create or replace table indicators.assessment as select * from assessment_rows")
        conn.unregister("assessment_rows")
    counts = table.groupby("progress").size().to_dict()
    metadata = {"dagster/row_count": len(table), "n_illustrative": int(table["illustrative"].sum()),
                **{f"n_{k}": int(v) for k, v in counts.items()}}
    return dg.MaterializeResult(metadata=metadata)
