"""Resources: the DuckDB warehouse and the folders.

The warehouse is :class:`pipelines.operations.WarehouseResource`: a ``DuckDBResource`` that takes the
output folder's writer lock when a run sets it up, so runs from the CLI, the UI and the inbox sensor
write one at a time, fail dead runs and refuse a damaged warehouse in one line (docs/operations.md).
"""

import dagster as dg

from pipelines.operations import WarehouseResource, wait_seconds
from pipelines.settings import FollowupPaths


@dg.definitions
def resources() -> dg.Definitions:
    paths = FollowupPaths.from_environment()
    warehouse = WarehouseResource(database=str(paths.warehouse_file), lang=paths.lang, wait_seconds=wait_seconds())
    return dg.Definitions(resources={"duckdb": warehouse, "paths": paths})
