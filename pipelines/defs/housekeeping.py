"""Dead runs under ``dg dev`` and the team daemon: failed and their pool slots freed, every minute.

A run killed with SIGKILL stays "Started" and keeps its ``duckdb`` slot. ``mvk`` and every run's
warehouse resource clear such runs when they start, but with the queued run coordinator (one run at
a time) a dead "Started" run also keeps the next queued run from ever starting, so nothing would
start to clear it. This sensor does it when no writer is active: it takes the writer lock without
waiting (a live writer means nothing is stuck; it skips), fails the runs whose process is gone, and
frees their slots. Its only effect is on Dagster's own run records; it requests no runs.
"""

from pathlib import Path

import dagster as dg

from pipelines.operations import OperationsError, acquire_writer, reap_dead_runs, release_writer
from pipelines.settings import FollowupPaths


@dg.sensor(name="dead_runs", minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Fails runs whose process is gone and frees their duckdb pool slots (docs/operations.md).")
def dead_runs_sensor(context: dg.SensorEvaluationContext, paths: FollowupPaths) -> dg.SkipReason:
    out_dir = Path(paths.out_dir)
    try:
        acquire_writer(out_dir, wait=0, lang=paths.lang, say=context.log.info)
    except OperationsError:
        return dg.SkipReason("a writer is running; nothing is stuck")
    try:
        reaped = reap_dead_runs(context.instance, paths.lang, say=context.log.warning)
    finally:
        release_writer(out_dir)
    return dg.SkipReason(f"failed dead runs: {', '.join(r[:8] for r in reaped)}" if reaped else "no dead runs")
