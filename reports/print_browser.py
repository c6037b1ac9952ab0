"""Chromium for the print edition, and a way to start it before the print needs it.

Why start it early: the print edition is the critical path of a run's site step, and 1.2–2.0 s of it
is only Playwright's driver, Chromium and a tab per language starting (benchmarks/run_timeline.py, issue
13). None of that depends on what the run computes. So a run that will build the site starts the
browser when the run starts (``WarmBrowser``, through the Dagster resource ``print_browser``:
pipelines/print_browser.py), while the steps before the site keep one core busy and leave the other
idle, and the print finds it ready.

The browser runs on an asyncio event loop in a thread of its own: Playwright's asyncio API, because
its sync API cannot run in a thread that already runs an event loop (Dagster's, or a caller's own
Playwright session). A warm browser serves one print (``take``): the print closes it when done.

Forks. The render and the evidence reader fork worker processes (reports.parallel). A process forked
while another thread runs Python code can copy a lock that thread half-holds. So every fork of this
process first waits until a starting browser is ready (``os.register_at_fork``); from then on its
thread sits in its loop's ``select``, holding no lock, until the print is handed to it, which happens
after the render's workers exist (``reports.parallel.run``'s ``started``). A forked worker inherits
the pipe to Playwright's driver, so the driver stops only once those workers have ended; they end
with the render, which the run waits for in any case.
"""

from __future__ import annotations

import asyncio
import os
import threading
import weakref
from collections.abc import Coroutine
from concurrent import futures
from typing import Any

from indicators.i18n import LANGUAGES

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run")
# A4 with 16 mm side margins leaves 178 mm = 673 CSS px: the window the charts are drawn in, so that
# plotly lays every chart out at the width it is printed at (no scaling, no cut axis labels).
PRINT_WIDTH_PX = 673
FORK_WAIT_SECONDS = 60     # a fork waits at most this long for a starting browser
CLOSE_SECONDS = 30         # and closing a browser that no longer answers gives up after this


def chromium_path() -> str:
    """The browser the edition is printed with: MVK_CHROMIUM, or Debian's /usr/bin/chromium."""
    return os.environ.get("MVK_CHROMIUM", DEFAULT_CHROMIUM)


class Browser:
    """Playwright and Chromium, started by ``start`` or at the first ``page``: a print edition served
    whole from the cache needs neither (nor does it then collide with a Playwright session the caller
    already has open). One browser serves both languages, each in its own context, at the same time."""

    def __init__(self, start_playwright, executable: str):
        self.start_playwright, self.executable = start_playwright, executable
        self.playwright = self.browser = self.failed = None
        self.tabs: dict[str, tuple[Any, Any]] = {}   # opened by ``start``, handed out by ``page``
        self.starting = asyncio.Lock()      # both languages may ask for a page at once: one launch

    async def start(self, langs: tuple[str, ...] = ()) -> None:
        """Launch, and open a tab for each of ``langs``. Never raises: a failure is kept, and ``page``
        raises it, so the print reports it as it reports a browser that fails when the print starts it."""
        try:
            await self._launch()
            for lang in langs:
                self.tabs[lang] = await self._open(lang)
        except Exception:   # noqa: BLE001  (kept in self.failed by _launch, or retried by page)
            pass

    async def page(self, lang: str):
        """A fresh context and tab for ``lang``: the one ``start`` opened, else a new one."""
        if lang in self.tabs:
            return self.tabs.pop(lang)
        await self._launch()
        return await self._open(lang)

    async def close(self) -> None:
        browser, playwright = self.browser, self.playwright
        self.browser = self.playwright = None
        self.tabs.clear()
        if browser is not None:
            await browser.close()
        if playwright is not None:
            await playwright.stop()

    async def _launch(self) -> None:
        async with self.starting:
            if self.failed is not None:     # the other language's launch failed: do not try twice
                raise self.failed
            if self.browser is None:
                try:
                    if self.playwright is None:
                        self.playwright = await self.start_playwright().start()
                    self.browser = await self.playwright.chromium.launch(
                        executable_path=self.executable, headless=True, args=list(CHROMIUM_FLAGS))
                except Exception as error:
                    self.failed = error
                    raise

    async def _open(self, lang: str):
        context = await self.browser.new_context(viewport={"width": PRINT_WIDTH_PX, "height": 1000},
                                                 locale=f"{lang}-SE")
        await context.route("**/*", _local_only)
        page = await context.new_page()
        await page.emulate_media(media="print")
        return context, page


async def _local_only(route) -> None:
    """The edition is self-contained: any request that is not a local file is refused."""
    if route.request.url.startswith(("file:", "data:")):
        await route.continue_()
    else:
        await route.abort()


_STARTED: weakref.WeakSet[WarmBrowser] = weakref.WeakSet()


class WarmBrowser:
    """A ``Browser`` starting in a thread of its own now, for one print later (``take``, ``run``)."""

    def __init__(self, start_playwright, executable: str):
        self.executable = executable
        self.browser = Browser(start_playwright, executable)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="print-browser", daemon=True)
        self.thread.start()
        self.ready: futures.Future = asyncio.run_coroutine_threadsafe(self.browser.start(LANGUAGES), self.loop)
        self._taken = False
        _STARTED.add(self)

    def take(self, executable: str) -> Browser | None:
        """The browser, once, if it runs ``executable``; then ``run`` the print on it."""
        if self._taken or executable != self.executable or not self.thread.is_alive():
            return None
        self._taken = True
        return self.browser

    def run(self, coroutine: Coroutine) -> Any:
        """Run ``coroutine`` on the browser's loop and wait for it (from any other thread)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def close(self) -> None:
        """Close the browser if the print did not, stop the loop and its thread. Idempotent."""
        _STARTED.discard(self)
        if not self.thread.is_alive():
            return
        try:
            asyncio.run_coroutine_threadsafe(self.browser.close(), self.loop).result(timeout=CLOSE_SECONDS)
        except Exception:   # noqa: BLE001  (a browser that fails to close must not fail the run; the
            pass            # daemon thread and the driver, whose pipe closes with this process, end it)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=CLOSE_SECONDS)
            if not self.thread.is_alive():
                self.loop.close()


def missing(executable: str) -> str | None:
    """Why the edition cannot be printed with ``executable`` (a message key of print.*), or None."""
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        return "print.reason_no_browser"
    try:
        import playwright.async_api  # noqa: F401
        import pypdf  # noqa: F401  (the print reads the PDFs' destinations with it)
    except ImportError:
        return "print.reason_no_playwright"
    return None


def start_warm_browser(executable: str) -> WarmBrowser | None:
    """Start Chromium for a print to come; None where it cannot run (``missing``), in which case the
    print says why when it comes to it."""
    if missing(executable) is not None:
        return None
    from playwright.async_api import async_playwright

    return WarmBrowser(async_playwright, executable)


def _before_fork() -> None:
    """Every fork waits until the browsers that are starting have started (see the module's text)."""
    me = threading.current_thread()
    starting = [warm.ready for warm in list(_STARTED) if warm.thread is not me and not warm.ready.done()]
    if starting:
        futures.wait(starting, timeout=FORK_WAIT_SECONDS)


os.register_at_fork(before=_before_fork)
