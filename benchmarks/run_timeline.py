"""Where one `mvk` command's wall time goes: start and end of its main parts, in process, by thread.

    .venv/bin/python benchmarks/run_timeline.py [--json out.json] -- ingest FILE --data-dir D --out O
    .venv/bin/python benchmarks/run_timeline.py --check      # every timed function still exists (smoke test)

The command runs through the CLI's own ``main`` in this process, with each function of ``SPANS`` wrapped
to note when it started and ended (seconds from the start of this script, imports included) and in
which thread: the main thread (Dagster's steps, the render's parent), ``print-edition`` (the print,
its Playwright calls included). The render's worker processes are not traced; their time is the span
of ``reports.parallel.run``. A profiler's samples say what the CPU did; this says what the run waited
for, which is what an analyst waits for. docs/performance.md reads one such timeline.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import inspect
import json
import sys
import threading
import time
from pathlib import Path

STARTED = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]

# (module, attribute path): the parts of a run worth seeing on a timeline
SPANS: list[tuple[str, str]] = [
    ("pipelines.cli", "_environment"),
    ("pipelines.cli", "_validate_all"),
    ("pipelines.cli", "_materialise"),
    ("pipelines.operations", "prepare_writer"),
    ("pipelines.operations", "check_warehouse"),
    ("pipelines.definitions", "defs"),
    ("pipelines.defs.reports", "site_inputs"),
    ("reports.site", "write_site"),
    ("reports.site", "data_downloads"),
    ("reports.site", "_write_files"),
    ("reports.site", "_swap_in"),
    ("reports.parallel", "run"),
    ("reports.print_edition", "_write_print_edition"),
    ("reports.print_edition", "_print_one"),
    ("reports.print_edition", "_load"),
    ("reports.print_browser", "Browser.page"),
    ("reports.print_browser", "Browser.start"),
    ("reports.print_edition", "anchor_pages"),
    ("playwright.async_api._context_manager", "PlaywrightContextManager.start"),
    ("playwright.async_api", "BrowserType.launch"),
    ("playwright.async_api", "BrowserContext.new_page"),
    ("playwright.async_api", "Page.goto"),
    ("playwright.async_api", "Page.pdf"),
]

spans: list[dict] = []


def _wrap(module_name: str, path: str) -> tuple[object, str, object]:
    """Wrap one function; returns (owner, name, the function) to put it back."""
    owner = importlib.import_module(module_name)
    *parents, name = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    function = getattr(owner, name)

    def note(started: float) -> None:
        spans.append({"name": path, "start": started - STARTED, "end": time.perf_counter() - STARTED,
                      "thread": threading.current_thread().name})

    if inspect.iscoroutinefunction(function):
        @functools.wraps(function)
        async def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                note(started)
    else:
        @functools.wraps(function)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                note(started)
    setattr(owner, name, timed)
    return owner, name, function


def main(argv: list[str] | None = None) -> dict:
    argv = sys.argv[1:] if argv is None else argv
    own, command = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only wrap the functions (smoke test)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(own)
    if not args.check and not command:
        parser.error("give the mvk command after --, e.g. -- run --data-dir data --out build")
    spans.clear()
    originals = [_wrap(module_name, path) for module_name, path in SPANS]
    try:
        report = _timed(command, args.check and not command)
    finally:   # in process (the smoke test), the functions are left as they were
        for owner, name, function in originals:
            setattr(owner, name, function)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


def _timed(command: list[str], check_only: bool) -> dict:
    report: dict = {"benchmark": "run_timeline", "command": command, "wrapped": len(SPANS), "spans": spans}
    if check_only:
        print(f"{len(SPANS)} functions wrapped")
        return report
    from pipelines import cli

    started = time.perf_counter()
    report["exit_code"] = cli.main(command)
    report["total_s"] = time.perf_counter() - STARTED
    report["command_s"] = time.perf_counter() - started
    print(f"{'start s':>8} {'end s':>8} {'took s':>7}  {'thread':<15} function")
    for span in sorted(spans, key=lambda s: s["start"]):
        print(f"{span['start']:8.2f} {span['end']:8.2f} {span['end'] - span['start']:7.2f}  "
              f"{span['thread'][:15]:<15} {span['name']}")
    print(f"total {report['total_s']:.2f} s (the command {report['command_s']:.2f} s), "
          f"exit code {report['exit_code']}")
    return report


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
