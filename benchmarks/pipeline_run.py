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

The machines are shared and noisy, so the script prints the median and spread of each and JSON.
"""

from __future__ import annotations

import argparse
import json
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


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(MVK), *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"mvk {args[0]} failed ({done.returncode}):\n{done.stderr[-3000:]}{done.stdout[-1000:]}")
    return time.perf_counter() - started


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
    runs: dict[str, list[float]] = {"cold": [], "noop": [], "forced": [], "incremental": []}
    for _ in range(1 if args.check else args.repeat):
        with tempfile.TemporaryDirectory(prefix="mvk-run-bench-") as tmp:
            data, out = Path(tmp) / "data", Path(tmp) / "out"
            shutil.copytree(args.data, data)
            fix = changed_file(data, Path(tmp) / f"{CHANGED_SOURCE}_correction.csv")
            if args.check:
                runs["validate"] = [timed(["validate", str(fix), "--source", CHANGED_SOURCE,
                                           "--data-dir", str(data), "--out", str(out)])]
                break
            common = ["--data-dir", str(data), "--out", str(out)]
            runs["cold"].append(timed(["run", *common]))
            runs["noop"].append(timed(["run", *common]))
            runs["forced"].append(timed(["run", "--force", *common]))
            runs["incremental"].append(timed(["ingest", str(fix), "--quiet", *common]))
    report = {"benchmark": "pipeline_run", "repeat": args.repeat,
              "results": {name: summary(values) for name, values in runs.items() if values}}
    for name, s in report["results"].items():
        print(f"{name:>12}: median {s['median']:6.2f} s  (min {s['min']:.2f}, max {s['max']:.2f}, n={len(s['all'])})")
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
