"""Reports: render the static site from the indicator tables.

The asset reads what it needs into memory and closes the connection before rendering, so the
warehouse is held for the shortest time (PRACTICE.md §2.4); the site is swapped in atomically.
"""

import hashlib
from datetime import UTC, datetime

import dagster as dg
from dagster_duckdb import DuckDBResource

from indicators.registry import load_catalogue
from indicators.sources import load_sources
from pipelines.defs.assessment import ASSESSMENT_KEY
from pipelines.defs.indicators import indicator_asset_key
from pipelines.settings import FollowupPaths
from pipelines.versioning import code_version, edition
from reports.site import PLOTLY_FILE, InputFile, SiteInputs, write_site


def input_files(paths: FollowupPaths) -> tuple[InputFile, ...]:
    root = paths.data_path
    files = sorted(p for p in (root / "sources").rglob("*") if p.is_file())
    return tuple(InputFile(path=p.relative_to(root).as_posix(), sha256=hashlib.sha256(p.read_bytes()).hexdigest(),
                           bytes=p.stat().st_size) for p in files)


@dg.asset(
    key=["reports", "site"],
    deps=[*[indicator_asset_key(i) for i, spec in load_catalogue().items() if not spec.is_development],
          ASSESSMENT_KEY],
    group_name="reports",
    pool="duckdb",
    kinds={"html", "plotly"},
    description="The static bilingual report site (OUT/site): pages, CSV downloads and manifest.",
)
def report_site(duckdb: DuckDBResource, paths: FollowupPaths) -> dg.MaterializeResult:
    catalogue = load_catalogue()
    with duckdb.get_connection() as conn:
        results = {i: conn.execute(f'select * from indicators."{i}" order by all').df()
                   for i, spec in catalogue.items() if not spec.is_development}
        assessments = conn.execute("select * from indicators.assessment order by all").df()
        snapshots = conn.execute(
            "select distinct s.sha256, s.source_id, s.original_name, s.retrieved "
            "from raw.snapshots s join raw.observations o on o.snapshot_sha256 = s.sha256 "
            "order by s.source_id, s.original_name").df()
    inputs = SiteInputs(edition=edition(paths.data_path), code_version=code_version(), catalogue=catalogue,
                        results=results, assessments=assessments, sources=load_sources(), snapshots=snapshots,
                        inputs=input_files(paths))
    build_time = datetime.now(UTC).replace(microsecond=0).isoformat()
    index = write_site(inputs, paths.site_dir, build_time=build_time)
    pages = sorted(paths.site_dir.rglob("*.html"))
    return dg.MaterializeResult(metadata={
        "index": dg.MetadataValue.path(str(index)),
        "pages": len(pages),
        "plotly_js": PLOTLY_FILE,
    })
