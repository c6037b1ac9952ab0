"""Wall time of the whole pipeline on the shipped data: cold build, no-op run, forced rerun, incremental ingest.

    .venv/bin/python benchmarks/pipeline_run.py [--repeat 3] [--json out.json]
    .venv/bin/python benchmarks/pipeline_run.py --check     # only build and validate the incremental file

Each repeat copies the shipped data folder to an empty temporary folder and times, side by side:

* **cold**: ``mvk run`` into an empty output folder (new warehouse, new Dagster instance);
* **no-op**: ``mvk run`` again: nothing changed, so the up-front fingerprint check
  (``pipelines/fingerprint.py``) returns without starting Dagster;
* **forced rerun**: ``mvk run --force``: every asset is run again (what a no-op cost before the check);
* **incremental**: ``mvk ingest`` of one changed source file (Brå's reported gross violation of a woman's
  integrity, its last year with Stockholm and Riket one offence higher): that source and what follows.

The machines are shared and noisy, so the script prints the median and spread of each and JSON, with
the CPU seconds used while each command ran (the machine's, from /proc/stat: the command, its render
workers and its browser) and, side by
side in every round, **the floor**: a fresh interpreter importing the stack every Dagster run imports
(dagster, duckdb, pandas, plotly, jinja2), which no change to the pipeline can remove. The floor moves
with the machine's speed as the runs do, so a run measured in a slow hour shows a slow floor beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MVK = Path(sys.executable).with_name("mvk")
CHANGED_SOURCE = "bra_reported_gross_violation"


FLOOR = [sys.executable, "-c", "import dagster, duckdb, pandas, plotly, jinja2"]


def machine_cpu() -> float:
    """CPU seconds the whole machine has used (``/proc/stat``): the command's own and every process it
    started, Chromium included, which Playwright's driver does not always wait for, so the children's
    rusage would miss it. Nothing else of ours runs during a benchmark. Elsewhere: the waited-for children."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq = (int(f) for f in fields[:7])
        return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime


def timed(args: list[str], cpu: list[float] | None = None) -> float:
    """Wall seconds of ``mvk ARGS`` (or of ``args`` itself when it is the floor); its CPU seconds are
    appended to ``cpu`` when given."""
    command = args if args is FLOOR else [str(MVK), *args]
    cpu_before, started = machine_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} {args[0]} failed ({done.returncode}):\n"
                         f"{done.stderr[-3000:]}{done.stdout[-1000:]}")
    if cpu is not None:
        cpu.append(machine_cpu() - cpu_before)
    return wall


def changed_file(data: Path, target: Path) -> Path:
    """The source's last year with Riket and the first county one higher: a correction Brå might publish."""
    source = next(p for p in sorted((data / "sources" / CHANGED_SOURCE).iterdir()) if p.suffix == ".csv")
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    header, rows = lines[0], [line.split(";") for line in lines[1:] if line.strip()]
    last = max(r[0] for r in rows)
    year_rows = [r for r in rows if r[0] == last]
    for row in (next(r for r in year_rows if r[1] == "Riket"), next(r for r in year_rows if r[1] != "Riket")):
        row[2] = str(int(row[2].replace(" ", "").replace("\u00a0", "")) + 1)
    target.write_text("\n".join([header, *(";".join(r) for r in year_rows)]) + "\n", encoding="utf-8")
    return target


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "all": values}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--check", action="store_true", help="validate the incremental file only (smoke test)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    runs: dict[str, list[float]] = {"floor": [], "cold": [], "noop": [], "forced": [], "incremental": []}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    load_start = os.getloadavg()[0]
    for _ in range(1 if args.check else args.repeat):
        with tempfile.TemporaryDirectory(prefix="mvk-run-bench-") as tmp:
            data, out = Path(tmp) / "data", Path(tmp) / "out"
            shutil.copytree(args.data, data)
            fix = changed_file(data, Path(tmp) / f"{CHANGED_SOURCE}_correction.csv")
            if args.check:
                runs["floor"].append(timed(FLOOR, cpu["floor"]))
                runs["validate"] = [timed(["validate", str(fix), "--source", CHANGED_SOURCE,
                                           "--data-dir", str(data), "--out", str(out)])]
                break
            common = ["--data-dir", str(data), "--out", str(out)]
            commands = {"floor": FLOOR, "cold": ["run", *common], "noop": ["run", *common],
                        "forced": ["run", "--force", *common], "incremental": ["ingest", str(fix), "--quiet", *common]}
            for name, command in commands.items():
                runs[name].append(timed(command, cpu[name]))
    report = {"benchmark": "pipeline_run", "repeat": args.repeat, "utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
              "load_start": load_start, "load_end": os.getloadavg()[0],
              "results": {name: summary(values) for name, values in runs.items() if values},
              "cpu_s": {name: summary(values) for name, values in cpu.items() if values}}
    floor = report["results"].get("floor", {}).get("median")
    print(f"{'':>12}  wall median (min–max)        CPU-s median   × floor   n"
          f"   (load {load_start:.1f} → {report['load_end']:.1f})")
    for name, s in report["results"].items():
        ratio = f"{s['median'] / floor:7.1f}" if floor else "      –"
        used = report["cpu_s"].get(name, {}).get("median", float("nan"))
        print(f"{name:>12}: {s['median']:6.2f} s ({s['min']:.2f}–{s['max']:.2f})    {used:8.2f}      {ratio}"
              f"   {len(s['all'])}")
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
