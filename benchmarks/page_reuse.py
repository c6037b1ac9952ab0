"""What taking unchanged pages over saves (reports/page_reuse.py): ``write_site`` with and without it.

    .venv/bin/mvk run --out /tmp/mvkbuild --quiet       # once, to have a warehouse
    .venv/bin/python benchmarks/page_reuse.py --out /tmp/mvkbuild [--repeat 5] [--json out.json]

Reads the build's warehouse (a copy) and writes the whole site into a scratch folder, without the print
edition (benchmarks/print_edition.py times that), in three cases, alternated so that all see the same load:

* **everything rendered**: no record of earlier keys (a first run, or ``OUT/.page_cache`` deleted);
* **one indicator changed**: MVK08's latest value one higher than in the record's build (as after a
  corrected Brå file): its pages, the list, the measures linked to it and the families that render every
  time are rendered, the rest taken over;
* **nothing changed**: every page with a key is taken over.

Prints the median wall time and CPU seconds (this process and its render workers) of each, the pages
rendered and taken over, and one line of JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.defs.reports import read_site_inputs  # noqa: E402
from pipelines.settings import FollowupPaths  # noqa: E402
from reports.site import write_site  # noqa: E402

CHANGED = "MVK08"


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def changed_inputs(inputs):
    frame = inputs.results[CHANGED].copy()
    last = frame["value"].last_valid_index()
    frame.loc[last, "value"] = frame.loc[last, "value"] + 1
    return replace(inputs, results={**inputs.results, CHANGED: frame})


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="the output folder of a finished `mvk run`")
    parser.add_argument("--data", default=str(ROOT / "data"), help="the data folder it was built from")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    paths = FollowupPaths(data_dir=str(Path(args.data).resolve()), out_dir=str(Path(args.out).resolve()))
    if not paths.warehouse_file.exists():
        parser.error(f"no warehouse at {paths.warehouse_file}: run `mvk run --out {args.out}` first")
    cases = ("everything rendered", "one indicator changed", "nothing changed")
    wall: dict[str, list[float]] = {c: [] for c in cases}
    cpu: dict[str, list[float]] = {c: [] for c in cases}
    pages: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as scratch:
        warehouse = Path(scratch) / "warehouse.duckdb"
        shutil.copyfile(paths.warehouse_file, warehouse)
        with duckdb.connect(str(warehouse)) as conn:
            inputs = read_site_inputs(conn, paths)
        inputs = replace(inputs, print_edition=False)
        site, cache = Path(scratch) / "site", Path(scratch) / "cache"
        for _ in range(args.repeat):
            for case in cases:
                # the record and site of an unchanged build first (not timed), except for a first run
                shutil.rmtree(cache, ignore_errors=True)
                if case != "everything rendered":
                    write_site(inputs, site, build_time="benchmark", page_cache=cache)
                current = changed_inputs(inputs) if case == "one indicator changed" else inputs
                report: dict = {}
                started, spent = time.perf_counter(), cpu_seconds()
                write_site(current, site, build_time="benchmark", page_cache=cache, report=report)
                wall[case].append(time.perf_counter() - started)
                cpu[case].append(cpu_seconds() - spent)
                pages[case] = report
    load = os.getloadavg()[0]
    print(f"{'write_site (no print)':<24} {'median s':>9} {'min s':>7} {'max s':>7} {'cpu s':>7} {'rendered':>9} "
          f"{'taken over':>11}   (n={args.repeat}, load {load:.1f})")
    for case in cases:
        print(f"{case:<24} {statistics.median(wall[case]):9.2f} {min(wall[case]):7.2f} {max(wall[case]):7.2f} "
              f"{statistics.median(cpu[case]):7.2f} {pages[case]['pages']:9d} {pages[case]['reused']:11d}")
    result = {"benchmark": "page_reuse", "repeat": args.repeat, "load_average_1min": round(load, 2),
              "median_s": {c: round(statistics.median(v), 3) for c, v in wall.items()},
              "median_cpu_s": {c: round(statistics.median(v), 3) for c, v in cpu.items()},
              "pages": pages}
    print(json.dumps(result, sort_keys=True))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
