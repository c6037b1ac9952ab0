"""Render the site's parts in parallel worker processes, with the same bytes as one after the other.

The render is pure Python (Jinja, Babel, openpyxl), so threads would queue on the GIL; processes
started by ``fork`` inherit the already loaded inputs, message catalogue and imported modules, so a
worker costs milliseconds instead of the seconds a fresh interpreter needs, and nothing but the
results (page text, workbook bytes) is pickled. Each task is ``(function, args)``, called as
``function(inputs, *args)`` in a worker; the results come back in task order whatever order the
workers finish in, so the site stays byte-identical to a sequential render.

Workers: ``MVK_RENDER_WORKERS`` if set (1 = sequential, in this process), otherwise the CPUs this
process may use, at most four. Where ``fork`` does not exist (Windows, macOS default aside) the
tasks run sequentially.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from indicators.i18n import catalogue
from reports.render import compile_all

Task = tuple[Callable[..., Any], tuple]

_INPUTS: Any = None            # what forked workers read; set only while a pool runs
_TASKS: Sequence[Task] = ()


def default_workers() -> int:
    configured = os.environ.get("MVK_RENDER_WORKERS", "").strip()
    if configured:
        return max(1, int(configured))
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(4, available))


def _call(index: int) -> Any:
    function, args = _TASKS[index]
    return function(_INPUTS, *args)


def run(inputs: Any, tasks: Sequence[Task], workers: int | None = None, *,
        started: Callable[[], None] | None = None) -> list[Any]:
    """``[function(inputs, *args) for function, args in tasks]``, spread over worker processes.

    ``started`` is called once every worker exists, before the results are awaited: work started
    there (a thread: the print edition) runs beside the render, and no fork can copy its locks."""
    global _INPUTS, _TASKS
    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        if started is not None:
            started()
        return [function(inputs, *args) for function, args in tasks]
    catalogue()                 # load once here, so that every worker inherits it
    compile_all()               # and every template (reports.render)
    _INPUTS, _TASKS = inputs, tasks
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks)),
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            # With fork, the pool starts all its workers at the first submit and never later (CPython
            # 3.11+, gh-90622; none is replaced, a dead one breaks the pool): after this line no fork.
            futures = [pool.submit(_call, index) for index in range(len(tasks))]
            if started is not None:
                started()
            return [future.result() for future in futures]
    finally:
        _INPUTS, _TASKS = None, ()
