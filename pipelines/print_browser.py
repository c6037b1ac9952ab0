"""The Dagster resource ``print_browser``: Chromium for the print edition, started when a run starts.

Why a resource: Dagster sets up the resources a run's steps need when the run starts, before its
first step (the in-process executor, pipelines/definitions.py), and tears them down when it ends,
whether it succeeded, failed or was interrupted. Only a run that builds the site (``reports/site``
asks for this resource) starts the browser; the print then finds it ready instead of waiting 1.2–2 s
for it (reports/print_browser.py). With ``MVK_PRINT_EDITION=off``, or without Chromium, nothing starts.
"""

from __future__ import annotations

import dagster as dg
from pydantic import PrivateAttr

from pipelines.paths import PRINT_CHOICES
from pipelines.settings import FollowupPaths
from reports.print_browser import WarmBrowser, chromium_path, start_warm_browser


class PrintBrowserResource(dg.ConfigurableResource):
    """The run's warm browser (``warm``): None outside a run, when printing is off, or without Chromium.
    The print setting is the run's ``paths`` resource's (one reading of MVK_PRINT_EDITION)."""

    paths: FollowupPaths
    _warm: WarmBrowser | None = PrivateAttr(default=None)

    @property
    def warm(self) -> WarmBrowser | None:
        return self._warm

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        if self.paths.print_edition == PRINT_CHOICES[0]:
            self._warm = start_warm_browser(chromium_path())

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._warm is not None:
            self._warm.close()
            self._warm = None
