"""Progress on long work: a bar on a terminal, plain lines in a pipe or a log, nothing with --quiet.

``mvk run`` reports each Dagster step (count, current asset, elapsed); ``mvk validate``/``ingest`` show a
spinner with the elapsed time while a large file is read and checked, so an analyst sees that a
78 MB file is being worked on. On a terminal rich draws the bar on stderr and it disappears when the
work is done, leaving one summary line; anywhere else (CI, logs, ``| tee``) each step is one plain
line on stdout, the same lines as before, so scripts and tests can read them.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator

from indicators.i18n import t


def is_terminal(stream=None) -> bool:
    stream = stream or sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)())


def seconds_text(seconds: float, lang: str) -> str:
    text = f"{seconds:.1f}"
    return text.replace(".", ",") if lang == "sv" else text


class StepProgress:
    """Reports the steps of one run; ``mode`` is 'bar', 'lines' or 'quiet'."""

    def __init__(self, lang: str, total: int, *, quiet: bool = False, terminal: bool | None = None) -> None:
        self.lang, self.total, self.done = lang, total, 0
        self.mode = "quiet" if quiet else ("bar" if (is_terminal() if terminal is None else terminal) else "lines")
        self.started = self.last = time.monotonic()
        self._progress = self._task = None

    def __enter__(self) -> StepProgress:
        if self.mode == "bar":
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self._progress.__enter__()
            self._task = self._progress.add_task(t("cli.progress_starting", self.lang), total=self.total)
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def step(self, asset: str, ok: bool) -> None:
        now = time.monotonic()
        seconds, self.last = now - self.last, now
        self.done += 1
        if self.mode == "bar":
            self._progress.update(self._task, completed=self.done, description=asset)
            if not ok:
                self._progress.console.print(t("cli.step_failed", self.lang, n=self.done, total=self.total,
                                               asset=asset, seconds=seconds_text(seconds, self.lang)))
        elif self.mode == "lines" or not ok:
            key = "cli.step_done" if ok else "cli.step_failed"
            print(t(key, self.lang, n=self.done, total=self.total, asset=asset,
                    seconds=seconds_text(seconds, self.lang)), flush=True)


@contextlib.contextmanager
def working_on(label: str, lang: str, *, quiet: bool = False) -> Iterator[None]:
    """A spinner with the elapsed time while one file is read and checked (terminal only)."""
    if quiet or not is_terminal():
        yield
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as progress:
        progress.add_task(t("cli.progress_checking", lang, file=label), total=None)
        yield
