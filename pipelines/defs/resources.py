"""Resources: the DuckDB warehouse, the folders and the print's browser, configured at run time.

The warehouse is :class:`pipelines.operations.WarehouseResource`: a ``DuckDBResource`` that takes the
output folder's writer lock when a run sets it up, so runs from the CLI, the UI and the inbox sensor
write one at a time, fail dead runs and refuse a damaged warehouse in one line (docs/operations.md).
``print_browser`` (pipelines/print_browser.py) starts Chromium when a run that builds the site starts.
Every setting is a ``dg.EnvVar`` (``pipelines.settings.setting``): Dagster resolves it when a run or a
sensor evaluation starts, in that process, and nothing here reads a value at import.
"""

import os

import dagster as dg

from pipelines.operations import DEFAULT_WAIT_SECONDS, WarehouseResource
from pipelines.print_browser import PrintBrowserResource
from pipelines.settings import FollowupPaths, setting


@dg.definitions
def resources() -> dg.Definitions:
    wait = dg.EnvVar.int("MVK_WAIT") if "MVK_WAIT" in os.environ else DEFAULT_WAIT_SECONDS   # as setting()
    warehouse = WarehouseResource(out=setting("MVK_OUT_DIR"), lang=setting("MVK_LANG"), wait_seconds=wait)
    paths = FollowupPaths.configured()
    return dg.Definitions(resources={"duckdb": warehouse, "paths": paths,
                                     "print_browser": PrintBrowserResource(paths=paths)})
