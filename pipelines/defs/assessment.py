"""Assessment: the progress class, its facts and its sv/en sentences for every series of every indicator.

Kept as a warehouse table (``indicators.assessment``) so analysts can query it, and read by the
report site. The rule and the facts are in ``indicators/assessment.py`` (docs/assessment.md); the
sentences are written by ``reports/sentences.py`` from those facts and stored beside them, so every
page, download and workbook shows the same words. ``illustrative`` is true when any value the verdict
or its sentence uses is illustrative. An indicator whose table, spec and code did not change keeps the
rows it had (``OUT/.assessment_cache``, reports/assessment_rows.py), so a run after one new source file
assesses only the indicators that file changed; the metadata says how many were assessed and kept.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from indicators.registry import load_catalogue
from pipelines.defs.indicators import indicator_asset_key
from pipelines.settings import FollowupPaths
from reports.assessment_rows import FOLDER, KeptRows, table

ASSESSMENT_KEY = dg.AssetKey(["indicators", "assessment"])


@dg.asset(
    key=ASSESSMENT_KEY,
    deps=[indicator_asset_key(i) for i, spec in load_catalogue().items() if not spec.is_development],
    group_name="indicators",
    pool="duckdb",
    kinds={"duckdb", "python"},
    description="Progress class, facts and sentences (sv/en) per indicator and breakdown: indicators.assessment.",
)
def assessment(duckdb: DuckDBResource, paths: FollowupPaths) -> dg.MaterializeResult:
    catalogue = load_catalogue()
    with duckdb.get_connection() as conn:
        frames = {i: conn.execute(f'select * from indicators."{i}"').df()   # ids: registry allowlist
                  for i, spec in catalogue.items() if not spec.is_development}
    # An indicator whose table, spec and code are unchanged keeps its rows (reports/assessment_rows.py).
    kept = KeptRows(paths.out_path / FOLDER)
    rows = [row for indicator_id, frame in frames.items() for row in kept.rows(catalogue[indicator_id], frame)]
    kept.prune(set(frames))
    assessed = table(rows)
    with duckdb.get_connection() as conn:
        conn.register("assessment_rows", assessed)
        conn.execute("create or replace table indicators.assessment as select * from assessment_rows")
        conn.unregister("assessment_rows")
    counts = assessed.groupby("progress").size().to_dict()
    metadata = {"dagster/row_count": len(assessed), "n_illustrative": int(assessed["illustrative"].sum()),
                "indicators assessed": len(kept.assessed), "indicators kept": len(frames) - len(kept.assessed),
                **{f"n_{k}": int(v) for k, v in counts.items()}}
    return dg.MaterializeResult(metadata=metadata)
