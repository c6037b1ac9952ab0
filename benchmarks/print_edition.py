"""Wall time of printing the print edition (both languages at once, through Chromium) from a built warehouse.

    .venv/bin/mvk run --out /tmp/mvkbuild --quiet       # once, to have a warehouse and the site's assets
    .venv/bin/python benchmarks/print_edition.py --out /tmp/mvkbuild [--repeat 3] [--json out.json]
    git show REV:reports/print_edition.py > /tmp/old_print.py
    .venv/bin/python benchmarks/print_edition.py --out /tmp/mvkbuild --baseline /tmp/old_print.py

Times ``reports.print_edition.write_print_edition`` (both languages at once, one Chromium) into a scratch
staging folder that holds the build's plotly.js and charts.js, in two states of ``OUT/.print_cache``:

* **cold**: an empty cache, as in a first ``mvk run``: the contents' page numbers are not known, so
  each language needs a pass that finds them and one that prints them;
* **one pass**: only the contents' page numbers of the last print (``toc-<lang>.json``, no PDFs), as
  in a run whose edition changed but whose headings stayed on their pages: one pass per language.

With ``--baseline FILE`` (a ``print_edition.py`` of another commit) the same two are timed for that
module too, alternating with the current one so that both see the same load; the machine is shared,
so the table gives the median, the spread and the 1-minute load average (no CPU seconds: Chromium's
processes are not this process's reaped children, so getrusage misses most of them). Prints a table
and JSON.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
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
from reports import print_edition  # noqa: E402
from reports.site import PLOTLY_FILE  # noqa: E402

CASES = ("cold", "one pass")


def load_module(path: Path):
    """A print_edition.py of another commit, imported under a name of its own (it imports the current
    reports package for everything else: the template, the cache, the view)."""
    spec = importlib.util.spec_from_file_location("baseline_print_edition", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module        # its dataclasses look their module up there
    spec.loader.exec_module(module)
    module.PRINT_CSS = print_edition.PRINT_CSS   # it finds its stylesheet beside itself: the current one
    return module


def print_once(module, inputs, scratch: Path, assets: Path, case: str) -> float:
    """One print of both languages in ``case``; returns its wall time (the cache is prepared untimed)."""
    site, cache = scratch / "site", scratch / "cache"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(assets, site / "assets")
    for pdf in cache.glob("*.pdf"):        # "one pass" keeps the toc-<lang>.json of the print before
        pdf.unlink()
    if case == "cold":
        shutil.rmtree(cache, ignore_errors=True)
    started = time.perf_counter()
    entry = module.write_print_edition(inputs, site, cache_dir=cache)
    elapsed = time.perf_counter() - started
    if entry["status"] != "written":
        raise SystemExit(f"the print edition was not written: {entry['reason']['en']}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="the output folder of a finished `mvk run`")
    parser.add_argument("--data", default=str(ROOT / "data"), help="the data folder it was built from")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="a print_edition.py to time beside the current one")
    parser.add_argument("--json", type=Path, help="also write the JSON report to this file")
    args = parser.parse_args()
    paths = FollowupPaths(data_dir=str(Path(args.data).resolve()), out_dir=str(Path(args.out).resolve()))
    assets = paths.site_dir / "assets"
    if not paths.warehouse_file.exists() or not (assets / PLOTLY_FILE).is_file():
        parser.error(f"no warehouse and site at {args.out}: run `mvk run --out {args.out}` first")
    modules = {"current": print_edition}
    if args.baseline:
        modules = {"baseline": load_module(args.baseline), **modules}
    times = {name: {case: [] for case in CASES} for name in modules}
    loads: list[float] = []
    with tempfile.TemporaryDirectory() as scratch:
        # A copy, so that the benchmark never writes to the build it measures (the read creates an
        # empty suppression log where none is stored yet, which a read-only connection refuses).
        warehouse = Path(scratch) / "warehouse.duckdb"
        shutil.copyfile(paths.warehouse_file, warehouse)
        with duckdb.connect(str(warehouse)) as conn:
            inputs = read_site_inputs(conn, paths)
        for n in range(args.repeat):
            order = list(modules.items())
            for name, module in order[::-1] if n % 2 else order:     # alternated: neither always goes first
                work = Path(scratch) / name
                for case in CASES:             # cold first: it leaves the toc-<lang>.json "one pass" starts from
                    loads.append(os.getloadavg()[0])
                    times[name][case].append(print_once(module, inputs, work, assets, case))
    print(f"{'print (both languages)':<24} {'median s':>9} {'min s':>7} {'max s':>7}   "
          f"(n={args.repeat}, load {min(loads):.1f}–{max(loads):.1f})")
    for name, cases in times.items():
        for case, values in cases.items():
            print(f"{name + ', ' + case:<24} {statistics.median(values):9.2f} {min(values):7.2f} {max(values):7.2f}")
    report = {"repeat": args.repeat, "load_average_1min": [round(min(loads), 2), round(max(loads), 2)],
              "median_s": {name: {case: round(statistics.median(v), 3) for case, v in cases.items()}
                           for name, cases in times.items()},
              "runs_s": {name: {case: [round(x, 3) for x in v] for case, v in cases.items()}
                         for name, cases in times.items()}}
    print(json.dumps(report, sort_keys=True))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main()
