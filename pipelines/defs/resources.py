"""Resources: the DuckDB warehouse and the folders, both from the environment at load time."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.settings import FollowupPaths


@dg.definitions
def resources() -> dg.Definitions:
    paths = FollowupPaths.from_environment()
    return dg.Definitions(
        resources={"duckdb": DuckDBResource(database=str(paths.warehouse_file)), "paths": paths}
    )
