"""Wall time of rendering the report site from an already built warehouse (no pipeline run).

    .venv/bin/mvk run --out /tmp/mvkbuild --quiet       # once, to have a warehouse
    .venv/bin/python benchmarks/render_site.py --out /tmp/mvkbuild [--repeat 3]

Times three things, each as the median of ``--repeat`` runs: reading the warehouse into memory
(``read_site_inputs``), rendering every HTML page (``render_pages``) and writing the whole site
(``write_site``: pages, plotly bundle, CSVs, both workbooks, manifest, atomic swap) into a scratch
folder. The issue's budget is the write: at most 5 s on the project machine. Prints a table and then
one line of JSON with the same figures (and the page count and the largest page) for the record.
The machine is shared: the table also gives the 1-minute load average and the CPU seconds each step
used (this process and its render workers), which other people's work does not inflate much.
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
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.defs.reports import read_site_inputs  # noqa: E402
from pipelines.settings import FollowupPaths  # noqa: E402
from reports import parallel  # noqa: E402
from reports.site import render_pages, write_site  # noqa: E402


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (the render's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started, cpu = time.perf_counter(), cpu_seconds()
    result = function(*args, **kwargs)
    CPU.append(cpu_seconds() - cpu)
    return time.perf_counter() - started, result


CPU: list[float] = []      # CPU seconds of each timed call, in call order


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="the output folder of a finished `mvk run`")
    parser.add_argument("--data", default=str(ROOT / "data"), help="the data folder it was built from")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = FollowupPaths(data_dir=str(Path(args.data).resolve()), out_dir=str(Path(args.out).resolve()))
    if not paths.warehouse_file.exists():
        parser.error(f"no warehouse at {paths.warehouse_file}: run `mvk run --out {args.out}` first")
    times: dict[str, list[float]] = {"read warehouse": [], "render pages": [], "write site": []}
    pages: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as scratch:
        # A copy, so that the benchmark never writes to the build it measures (the read creates an
        # empty suppression log where none is stored yet, which a read-only connection refuses).
        warehouse = Path(scratch) / "warehouse.duckdb"
        shutil.copyfile(paths.warehouse_file, warehouse)
        for _ in range(args.repeat):
            with duckdb.connect(str(warehouse)) as conn:
                elapsed, inputs = timed(read_site_inputs, conn, paths)
            times["read warehouse"].append(elapsed)
            elapsed, pages = timed(render_pages, inputs)
            times["render pages"].append(elapsed)
            elapsed, _ = timed(write_site, inputs, Path(scratch) / "site", build_time="benchmark")
            times["write site"].append(elapsed)
    cpu = {step: CPU[i::len(times)] for i, step in enumerate(times)}
    largest = max(pages, key=lambda p: len(pages[p].encode("utf-8")))
    load = os.getloadavg()[0]
    print(f"{'step':<16} {'median s':>9} {'min s':>7} {'max s':>7} {'cpu s':>7}   "
          f"(n={args.repeat}, {len(pages)} pages, load {load:.1f}, workers {parallel.default_workers()})")
    for step, values in times.items():
        print(f"{step:<16} {statistics.median(values):9.2f} {min(values):7.2f} {max(values):7.2f} "
              f"{statistics.median(cpu[step]):7.2f}")
    print(f"largest page: {largest} ({len(pages[largest].encode('utf-8')) / 1024:.1f} KiB)")
    print(json.dumps({"repeat": args.repeat, "pages": len(pages), "load_average_1min": round(load, 2),
                      "workers": parallel.default_workers(),
                      "median_s": {k: round(statistics.median(v), 3) for k, v in times.items()},
                      "median_cpu_s": {k: round(statistics.median(v), 3) for k, v in cpu.items()},
                      "largest_page": {"path": largest, "bytes": len(pages[largest].encode("utf-8"))}},
                     sort_keys=True))


if __name__ == "__main__":
    main()
