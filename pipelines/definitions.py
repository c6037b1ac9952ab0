"""The code location: everything under ``pipelines/defs/`` plus the in-process executor.

The in-process executor keeps all steps of a run in one process, so DuckDB's single-writer lock is
never contended inside a run; the ``duckdb`` pool (limit 1) serialises writers across runs.
"""

from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions.merge(
        dg.load_from_defs_folder(path_within_project=Path(__file__).parent),
        dg.Definitions(executor=dg.in_process_executor),
    )
