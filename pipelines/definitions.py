"""The code location: everything under ``pipelines/defs/`` plus the in-process executor.

The in-process executor keeps all steps of a run in one process, so DuckDB's single-writer lock is
never contended inside a run; the ``duckdb`` pool (limit 1) and the writer lock
(``pipelines.operations``) serialise writers across runs. ``pipelines.automation`` adds freshness
from the release calendar, eager automation downstream and the annual edition schedule.
"""

from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    from pipelines.automation import automation_sensor, edition_schedule, with_automation

    return dg.Definitions.merge(
        with_automation(dg.load_from_defs_folder(path_within_project=Path(__file__).parent)),
        dg.Definitions(executor=dg.in_process_executor, schedules=[edition_schedule()],
                       sensors=[automation_sensor()]),
    )
