"""Microdata at scale: our ingest path against a plain DuckDB SQL script on the same file (the floor).

    .venv/bin/python benchmarks/microdata_scale.py [--rows 1000000 5000000 15000000] [--repeat 3]
        [--format parquet] [--disclosure-repeat 1] [--work /tmp/mvk-microdata-bench] [--json out.json]

For each size the generator (data/generate_microdata.py, illustrative data) writes one file, once.
Each measurement is a fresh child process, so wall time includes Python and DuckDB start-up, and peak
RSS is the child's own (VmHWM, see ``peak_rss_mb``):

* **ours**: ``indicators.microdata.load_microdata`` (stream the file into its snapshot, hashing it
  while it is copied, validate and count it in one DuckDB pass, code lists joined in SQL, write
  ``raw.microdata_<id>``, ``raw.snapshots`` and the ledger in one transaction) and ``reported_offences``
  (the published table's counts, as the pandas frame the disclosure step takes), into a DuckDB file,
  as the ingest and indicator assets do;
* **disclosure**: the same plus primary and secondary suppression (``indicators.microdata.protect``);
  its cost depends on the table (years × regions × sex × relation, and how many cells are small), not
  on the number of rows, so it is measured ``--disclosure-repeat`` times;
* **floor**: ``benchmarks/microdata_floor.sql``, the same aggregation straight from the file into a
  DuckDB file, nothing checked or kept (the issue's floor: its grouping sets run over every row);
* **two-step floor**: ``benchmarks/microdata_floor_two_step.sql``, the same table counted as ours
  counts it (once per published dimension, then the grouping sets over those counts), nothing checked
  or kept: the cost of the SQL alone, so that ours against it is the price of the checks, the
  snapshot and start-up.

Prints a table (medians) and JSON. Targets (issue 13): ours ≤ 1.5 × floor and ≤ 2 GB peak RSS at 15 M.
The floors and ours are run in turn, ``--repeat`` times, so that load on the machine hits them alike.
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
FLOOR_SQL = {"floor": Path(__file__).with_name("microdata_floor.sql"),
             "two_step": Path(__file__).with_name("microdata_floor_two_step.sql")}
SOURCE_ID = "bra_offence_microdata"


def child_ours(file: Path, work: Path, disclosure: bool) -> dict:
    """Run our path once (in this fresh process) and return its phase times."""
    sys.path.insert(0, str(ROOT))
    import duckdb

    from indicators.microdata import load_microdata, load_microdata_sources, reported_offences

    started = time.perf_counter()
    spec = load_microdata_sources()[SOURCE_ID]
    folder = work / "data" / "sources" / SOURCE_ID
    folder.mkdir(parents=True)
    os.link(file, folder / file.name) if file.stat().st_dev == folder.stat().st_dev else shutil.copy(file, folder)
    (work / "warehouse").mkdir()
    phases = {}
    with duckdb.connect(str(work / "warehouse" / "warehouse.duckdb")) as conn:
        t = time.perf_counter()
        load = load_microdata(conn, spec, work / "data", work / "warehouse")
        phases["load"] = time.perf_counter() - t
        t = time.perf_counter()
        counts = reported_offences(conn, spec)
        phases["aggregate"] = time.perf_counter() - t
        if disclosure:           # imported here: the load path itself needs neither it nor numpy
            from indicators.disclosure import SuppressionRule
            from indicators.microdata import protect

            t = time.perf_counter()
            _, log = protect(counts, SuppressionRule())
            phases["disclosure"] = time.perf_counter() - t
            phases["suppressed"] = len(log)
    phases["rows"] = load.rows
    phases["cells"] = len(counts)
    phases["inside"] = time.perf_counter() - started
    return phases


def child_floor(file: Path, work: Path, floor: str = "floor") -> dict:
    import duckdb

    started = time.perf_counter()
    path = file.as_posix().replace("'", "''")
    scan = f"read_parquet('{path}')" if file.suffix == ".parquet" else f"read_csv('{path}', delim = ';', header = true)"
    sql = FLOOR_SQL[floor].read_text(encoding="utf-8").replace("read_parquet('{file}')", scan)
    with duckdb.connect(str(work / "floor.duckdb")) as conn:
        conn.execute(sql)
        cells = conn.execute("select count(*) from result").fetchone()[0]
    return {"cells": cells, "inside": time.perf_counter() - started}


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM). Not ``getrusage``: on Linux a child's ru_maxrss keeps the
    high-water mark of the process it was forked from, so a large parent would inflate every child."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(mode: str, file: Path) -> dict:
    """One fresh child process: wall time, its peak RSS (MB) and what it reports."""
    with tempfile.TemporaryDirectory(prefix="mvk-bench-") as tmp:
        out = Path(tmp) / "result.json"
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, __file__, "--child", mode, "--file", str(file),
                                  "--child-work", tmp, "--child-out", str(out)], cwd=ROOT)
        status = child.wait()
        wall = time.perf_counter() - started
        if status != 0:
            raise SystemExit(f"{mode} failed on {file}")
        report = json.loads(out.read_text(encoding="utf-8"))
    return {"wall": wall, **report}


def generate(rows: int, fmt: str, work: Path) -> Path:
    """The file for ``rows`` (written once, by the generator in its own process)."""
    name = f"{SOURCE_ID}_{rows}"
    path = work / f"{name}.{fmt}"
    if not path.exists():
        subprocess.run([sys.executable, str(ROOT / "data" / "generate_microdata.py"), "--rows", str(rows),
                        "--out", str(work), "--format", fmt, "--name", name], check=True, capture_output=True)
    return path


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 5_000_000, 15_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--disclosure-repeat", type=int, default=1)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "mvk-microdata-bench")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", choices=("ours", "disclosure", "floor", "two_step"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        report = child_floor(args.file, args.child_work, args.child) if args.child in FLOOR_SQL else \
            child_ours(args.file, args.child_work, disclosure=args.child == "disclosure")
        report["rss_mb"] = peak_rss_mb()
        args.child_out.write_text(json.dumps(report), encoding="utf-8")
        return report

    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for rows in args.rows:
        file = generate(rows, args.format, args.work)
        runs = {"ours": [], "floor": [], "two_step": [], "disclosure": []}
        for _ in range(args.repeat):          # interleaved, so that load on the machine hits all alike
            runs["floor"].append(measure("floor", file))
            runs["ours"].append(measure("ours", file))
            runs["two_step"].append(measure("two_step", file))
        for _ in range(args.disclosure_repeat):
            runs["disclosure"].append(measure("disclosure", file))
        entry = {"rows": rows, "format": args.format, "file_mb": round(file.stat().st_size / 2**20, 1)}
        for mode, values in runs.items():
            if values:
                entry[mode] = {"wall_median": statistics.median(v["wall"] for v in values),
                               "wall_all": [round(v["wall"], 3) for v in values],
                               "rss_mb_max": max(v["rss_mb"] for v in values),
                               "phases_median": {k: statistics.median(v[k] for v in values)
                                                 for k in values[0] if k not in ("rows", "cells")}}
        entry["ratio"] = entry["ours"]["wall_median"] / entry["floor"]["wall_median"]
        entry["ratio_two_step"] = entry["ours"]["wall_median"] / entry["two_step"]["wall_median"]
        results.append(entry)

    print(f"{'rows':>11} {'file MB':>8} {'ours s':>8} {'floor s':>8} {'ratio':>6} {'2-step s':>9} {'ratio':>6} "
          f"{'ours RSS MB':>12} {'floor RSS MB':>13} {'+disclosure s':>14} {'disc. RSS MB':>13}")
    for e in results:
        d = e.get("disclosure")
        print(f"{e['rows']:>11,} {e['file_mb']:>8} {e['ours']['wall_median']:>8.2f} {e['floor']['wall_median']:>8.2f} "
              f"{e['ratio']:>6.2f} {e['two_step']['wall_median']:>9.2f} {e['ratio_two_step']:>6.2f} "
              f"{e['ours']['rss_mb_max']:>12.0f} {e['floor']['rss_mb_max']:>13.0f} "
              f"{(d['wall_median'] if d else float('nan')):>14.1f} {(d['rss_mb_max'] if d else float('nan')):>13.0f}")
    print(f"(medians of {args.repeat}; disclosure: median of {args.disclosure_repeat}; format {args.format})")
    report = {"benchmark": "microdata_scale", "repeat": args.repeat, "results": results}
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
