"""What Dagster itself costs a run: start-up, the fixed part of a run, each step, and what DuckDB adds.

    .venv/bin/python benchmarks/orchestrator_cost.py [--repeat 3] [--json out.json]
    .venv/bin/python benchmarks/orchestrator_cost.py --quick --repeat 1     # smoke test, a few seconds
    .venv/bin/python benchmarks/orchestrator_cost.py --skip-real-run         # parts 1 to 3 only

Measures on this machine, each figure the median of ``--repeat`` runs (issue 13, docs/performance.md):

1. **Start-up**, each in a fresh child process, minus a bare ``python -c pass``: ``import dagster``
   and building the project's definitions (``from pipelines.definitions import defs; defs()``).
2. **Trivial assets**: a chain of N no-op assets (N = 1, 10, 50; ``--quick``: 1, 2), each with
   ``pool="duckdb"`` and returning a ``MaterializeResult`` with one metadata value, as the project's
   assets do, materialised in this process with ``dg.materialize`` (the in-process executor) on
   (a) an ephemeral instance and (b) a persistent instance in a temporary DAGSTER_HOME holding a copy
   of the project's ``dagster_home/dagster.yaml`` (its concurrency pools). Only the materialisation
   is timed (one untimed warm-up first, the cases taking turns); a least-squares line through the
   medians gives the cost per step (slope) and the fixed part of a run (intercept).
3. **A DuckDB step**: the same chain on the persistent instance, each asset opening a connection
   through the project's ``WarehouseResource`` (one database per run, a cursor per step) and running
   one small query, in a scratch output folder (the resource takes that folder's writer lock). Its
   slope minus (2b)'s is what the warehouse adds per step; its intercept minus (2b)'s is the
   resource's set-up (lock, dead-run check, warehouse check).
4. **Where a real run's time goes** (not with ``--quick`` or ``--skip-real-run``; once, cold): ``mvk
   run`` into an empty folder on a copy of the data folder in a child process (``MVK_RENDER_WORKERS``
   as it is), then the run's step timings from its Dagster instance (OUT/dagster_home): wall time,
   start-up (command start to the first step), the sum of step durations, the time between steps
   (run duration minus the sum of steps: the orchestrator's own share inside the run), the tail after
   the run and the five slowest steps.

Prints a table, then one line of JSON (also written to ``--json``). The machine is shared: the table
gives the 1-minute load average at the start and at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dagster as dg  # noqa: E402

from pipelines.operations import WarehouseResource  # noqa: E402

MVK = Path(sys.executable).with_name("mvk")
TEMPLATE = ROOT / "dagster_home" / "dagster.yaml"
QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}   # as `mvk run` does
SIZES, QUICK_SIZES = (1, 10, 50), (1, 2)


def median(values: list[float]) -> float:
    return statistics.median(values)


def load() -> float:
    return os.getloadavg()[0]


# ------------------------------------------------------------------------------------ 1. start-up
def child_seconds(code: str, repeat: int) -> list[float]:
    """Wall seconds of ``python -c code`` in a fresh process, ``repeat`` times."""
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"python -c {code!r} failed:\n{done.stderr[-2000:]}")
        times.append(time.perf_counter() - started)
    return times


def start_up(repeat: int, quick: bool) -> dict:
    """With ``quick`` the definitions are not built (seconds on a loaded machine; tests/test_definitions.py
    builds them anyway), so the smoke test stays short."""
    bare = median(child_seconds("pass", repeat))
    dagster = median(child_seconds("import dagster", repeat))
    defs = None if quick else median(child_seconds("from pipelines.definitions import defs; defs()", repeat))
    return {"interpreter_s": bare, "import_dagster_s": dagster - bare,
            "build_definitions_s": None if defs is None else defs - bare}


# ----------------------------------------------------------------------------- 2, 3. asset chains
def chain(n: int, warehouse: bool) -> list[dg.AssetsDefinition]:
    """N assets, each depending on the one before; with ``warehouse`` each runs one DuckDB query."""
    assets, previous = [], None
    for i in range(n):
        deps = [previous] if previous is not None else []
        if warehouse:
            @dg.asset(name=f"step_{i}", deps=deps, pool="duckdb", group_name="bench")
            def step(duckdb: WarehouseResource) -> dg.MaterializeResult:
                with duckdb.get_connection() as conn:
                    (rows,) = conn.execute("select count(*) from range(100)").fetchone()
                return dg.MaterializeResult(metadata={"rows": rows})
        else:
            @dg.asset(name=f"step_{i}", deps=deps, pool="duckdb", group_name="bench")
            def step() -> dg.MaterializeResult:
                return dg.MaterializeResult(metadata={"rows": 1})
        assets.append(step)
        previous = step
    return assets


def materialise_seconds(assets, instance, resources) -> float:
    started = time.perf_counter()
    result = dg.materialize(assets, instance=instance, resources=resources, run_config=QUIET_LOGS)
    elapsed = time.perf_counter() - started
    if not result.success:
        raise SystemExit("a benchmark run failed")
    return elapsed


def fit(points: dict[int, float]) -> dict:
    """Least-squares line through (N, median seconds): per-step ms (slope) and fixed ms (intercept)."""
    xs, ys = list(points), list(points.values())
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum((x - mean_x) ** 2 for x in xs)
    return {"per_step_ms": slope * 1000, "fixed_ms": (mean_y - slope * mean_x) * 1000}


def dagster_default_template(home: Path) -> None:
    """The project's dagster.yaml without its ``event_log_storage`` block: Dagster's own SQLite event log,
    what every run used before pipelines/run_log.py."""
    text = TEMPLATE.read_text(encoding="utf-8")
    head = text[:text.index("\n# The run log")] if "\n# The run log" in text else text
    assert "event_log_storage" not in head, "the template's run-log block moved: update this benchmark"
    (home / "dagster.yaml").write_text(head + "\n", encoding="utf-8")


def chains(sizes: tuple[int, ...], repeat: int, scratch: Path, warm_up: bool = True) -> dict:
    from pipelines.run_log import instance_at

    home, default_home = scratch / "dagster_home", scratch / "dagster_home_default"
    home.mkdir()
    default_home.mkdir()
    shutil.copyfile(TEMPLATE, home / "dagster.yaml")
    dagster_default_template(default_home)
    with instance_at(home) as persistent, dg.DagsterInstance.from_config(str(default_home)) as default:
        return _chains(sizes, repeat, scratch, warm_up, persistent, default)


def _chains(sizes, repeat, scratch, warm_up, persistent, default) -> dict:
    warehouse = {"duckdb": WarehouseResource(out=str(scratch / "out"), lang="sv", wait_seconds=0)}
    cases = {"ephemeral": (False, None, None), "dagster_sqlite": (False, default, None),
             "persistent": (False, persistent, None), "persistent_duckdb": (True, persistent, warehouse)}
    times: dict[str, dict[int, list[float]]] = {case: {} for case in cases}
    events: dict[str, dict[int, int]] = {case: {} for case in cases if cases[case][1] is not None}
    for n in sizes:
        runs = {case: (chain(n, with_warehouse), instance, resources)
                for case, (with_warehouse, instance, resources) in cases.items()}
        if warm_up:
            for run in runs.values():
                materialise_seconds(*run)                   # untimed: first-run costs
        # the cases take turns, so that a change in the machine's load falls on all of them alike
        for _ in range(repeat):
            for case, run in runs.items():
                times[case].setdefault(n, []).append(materialise_seconds(*run))
                if case in events:                          # what the instance stored for this run
                    instance = cases[case][1]
                    events[case][n] = len(instance.all_logs(instance.get_runs(limit=1)[0].run_id))
    results = {}
    for case, per_n in times.items():
        medians = {n: median(values) for n, values in per_n.items()}
        results[case] = {"runs_s": {str(n): values for n, values in per_n.items()},
                         "median_s": {str(n): m for n, m in medians.items()}, **fit(medians)}
        if case in events:
            low, high = min(sizes), max(sizes)
            results[case]["events_per_step"] = (events[case][high] - events[case][low]) / (high - low)
    results["duckdb_adds"] = {
        key: results["persistent_duckdb"][key] - results["persistent"][key] for key in ("per_step_ms", "fixed_ms")}
    return results


# --------------------------------------------------------------------------------- 4. a real run
def real_run(scratch: Path, data: Path) -> dict:
    copy, out = scratch / "data", scratch / "real_out"
    shutil.copytree(data, copy)
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}   # the run's own OUT/dagster_home
    launched, started = time.time(), time.perf_counter()
    done = subprocess.run([str(MVK), "run", "--quiet", "--out", str(out), "--data-dir", str(copy)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    wall, ended = time.perf_counter() - started, time.time()
    if done.returncode != 0:
        raise SystemExit(f"mvk run failed ({done.returncode}):\n{done.stderr[-3000:]}{done.stdout[-1000:]}")
    from pipelines.run_log import instance_at

    with instance_at(out / "dagster_home") as instance:
        records = instance.get_run_records()          # one run for a cold `mvk run`; the newest if more
        run_id = records[0].dagster_run.run_id
        stats = instance.get_run_stats(run_id)
        steps = [s for s in instance.get_run_step_stats(run_id) if s.start_time and s.end_time]
    durations = {s.step_key.replace("__", "/"): s.end_time - s.start_time for s in steps}
    first_step, last_step = min(s.start_time for s in steps), max(s.end_time for s in steps)
    run_seconds = stats.end_time - stats.start_time
    step_sum = sum(durations.values())
    slowest = sorted(durations.items(), key=lambda item: item[1], reverse=True)[:5]
    return {
        "wall_s": wall, "runs": len(records), "steps": len(steps),
        "before_run_start_s": stats.start_time - launched,      # interpreter, imports, definitions
        "before_first_step_s": first_step - launched,           # ... plus the run's resource set-up
        "run_s": run_seconds, "sum_of_steps_s": step_sum,
        "between_steps_s": run_seconds - step_sum,
        "per_step_gap_ms": (last_step - first_step - step_sum) / max(len(steps) - 1, 1) * 1000,
        "after_run_s": ended - stats.end_time,
        "slowest": [{"step": key, "s": seconds} for key, seconds in slowest],
    }


# ------------------------------------------------------------------------------------------ main
def table(report: dict) -> None:
    s = report["start_up"]
    print(f"start-up (fresh process, minus a bare interpreter of {s['interpreter_s'] * 1000:.0f} ms):")
    print(f"  import dagster           {s['import_dagster_s']:7.2f} s")
    if s["build_definitions_s"] is not None:
        print(f"  build the definitions    {s['build_definitions_s']:7.2f} s   (includes import dagster)")
    sizes = list(report["chains"]["ephemeral"]["median_s"])
    print("\nmaterialise a chain of N assets, median ms:")
    print(f"  {'instance':<20}" + "".join(f"{'N=' + n:>9}" for n in sizes) + f"{'per step':>11}{'fixed':>9}")
    for case in ("ephemeral", "dagster_sqlite", "persistent", "persistent_duckdb"):
        c = report["chains"][case]
        print(f"  {case:<20}" + "".join(f"{c['median_s'][n] * 1000:9.0f}" for n in sizes)
              + f"{c['per_step_ms']:11.1f}{c['fixed_ms']:9.0f}")
    events = report["chains"]["persistent"]["events_per_step"]
    print(f"  the persistent instance writes {events:.0f} events per step to SQLite as they happen")
    adds = report["chains"]["duckdb_adds"]
    print(f"  DuckDB adds {adds['per_step_ms']:.1f} ms per step and {adds['fixed_ms']:.0f} ms per run")
    real = report.get("real_run")
    if real:
        print(f"\nmvk run, cold, {real['steps']} steps:")
        for key, label in (("wall_s", "wall time of the command"),
                           ("before_run_start_s", "command start -> run start"),
                           ("before_first_step_s", "command start -> first step"),
                           ("run_s", "run duration"), ("sum_of_steps_s", "sum of step durations"),
                           ("between_steps_s", "run duration - sum of steps"),
                           ("after_run_s", "run end -> command end")):
            print(f"  {label:<30}{real[key]:7.2f} s")
        print(f"  {'gap between steps, each':<30}{real['per_step_gap_ms']:7.0f} ms")
        print("  slowest steps: " + ", ".join(f"{s['step']} {s['s']:.2f} s" for s in real["slowest"]))
    print(f"\nload (1 min): {report['load_start']:.2f} at the start, {report['load_end']:.2f} at the end")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: N = 1 and 2, no warm-up, no definitions build, no real run")
    parser.add_argument("--skip-real-run", action="store_true", help="leave out the `mvk run` part")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data folder for the real run")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    report = {"benchmark": "orchestrator_cost", "repeat": args.repeat, "quick": args.quick,
              "dagster": dg.__version__, "utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
              "load_start": load()}
    report["start_up"] = start_up(args.repeat, args.quick)
    with tempfile.TemporaryDirectory(prefix="mvk-orchestrator-bench-") as tmp:
        report["chains"] = chains(QUICK_SIZES if args.quick else SIZES, args.repeat, Path(tmp),
                                  warm_up=not args.quick)
        if not (args.quick or args.skip_real_run):
            report["real_run"] = real_run(Path(tmp), args.data.resolve())
    report["load_end"] = load()
    table(report)
    print(json.dumps(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
