"""Reports: render the static site from the indicator tables.

The asset reads what it needs into memory and closes the connection before rendering, so the
warehouse is held for the shortest time (PRACTICE.md §2.4); the site is swapped in atomically.
"""

import hashlib
import json
import sys
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from indicators.compute import SUPPRESSION_LOG_DDL
from indicators.i18n import t
from indicators.programme.register import load_register
from indicators.registry import load_catalogue
from indicators.sources import load_sources
from pipelines.defs.assessment import ASSESSMENT_KEY
from pipelines.defs.indicators import indicator_asset_key
from pipelines.defs.programme import STATUS_KEY, report_year_and_as_of
from pipelines.fingerprint import data_inputs
from pipelines.paths import PRINT_CHOICES
from pipelines.print_browser import PrintBrowserResource
from pipelines.settings import FollowupPaths
from pipelines.versioning import code_version, edition
from reports.editions import with_editions
from reports.print_edition import not_printed, start_print_edition
from reports.programme import ProgrammeData
from reports.site import PLOTLY_FILE, InputFile, SiteInputs, write_site

PRINT_CACHE = ".print_cache"   # printed PDFs by what they were printed from (reports/print_cache.py)
PAGE_CACHE = ".page_cache"     # the keys of the published pages, to reuse unchanged ones (reports/page_reuse.py)

# What the action programme's pages read; every column is deterministic (no arrival times).
# When each revised source cell was loaded: dates the revised values on the "what changed" page.
REVISIONS_QUERY = ("select source_id, year, new_snapshot, revised_on from raw.revisions "
                   "where kind = 'revised' order by all")
# Which cells are hidden and why (never a value): counted per indicator on the site.
SUPPRESSION_QUERY = "select indicator_id, cell, kind, reason from indicators.suppression_log order by all"
PROGRAMME_QUERIES = {
    "measure_status": "select * from programme.measure_status order by measure_id",
    "measure_agencies": "select * from programme.measure_agencies order by measure_id, position",
    "rollups": "select * from programme.rollups order by dimension, code",
    "perspective_coverage": "select * from programme.perspective_coverage order by all",
    "obstacles": "select o.agency_id, o.year, o.category, o.description, o.proposed_solution, o.location, "
                 "coalesce(o.illustrative, false) as illustrative, o.actor from programme.obstacles o order by all",
    "key_figures": "select * from programme.key_figures_published order by all",
    "submissions": "select agency_id, year, original_name, format, superseded_by, "
                   "coalesce(illustrative, false) as illustrative from programme.submissions "
                   "order by agency_id, year, original_name",
    "status_events": "select e.measure_id, e.agency_id, e.year, e.reported_status, e.status_date, e.location, "
                     "s.original_name, e.snapshot_sha256, coalesce(e.illustrative, s.illustrative, false) "
                     "as illustrative from programme.status_events e "
                     "join programme.submissions s using (snapshot_sha256) "
                     "order by e.agency_id, e.measure_id, e.year, s.original_name",
    # The current report per measure, agency and year (superseded files left out): a year that repeats
    # last year's status is a report too, which status_events (changes only) cannot show.
    "measure_reports": "select r.measure_id, r.agency_id, r.year, r.reported_status, r.status_date, r.location, "
                       "s.original_name, r.snapshot_sha256, coalesce(r.illustrative, s.illustrative, false) "
                       "as illustrative from programme.measure_reports r "
                       "join programme.submissions s using (snapshot_sha256) where s.superseded_by is null "
                       "order by r.agency_id, r.measure_id, r.year",
    "rejected_submissions": "select original_name, message_key, location, message_sv, message_en "
                            "from programme.rejected_submissions order by original_name",
    "collaboration_status": "select * from programme.collaboration_status",
    # The passages the finder found per measure, for the "Underlag" section of the measure pages
    # (the evidence tables exist: programme/status creates them before it reads the decisions).
    "evidence_candidates": "select c.measure_id, c.document_sha256, d.original_name, d.year, c.page, c.rank, "
                           "c.score, c.match_kind, c.excerpt, c.suggested_status, c.status_words, "
                           "c.illustrative or d.illustrative as illustrative from evidence.candidates c "
                           "join evidence.documents d using (document_sha256) "
                           "order by c.measure_id, c.rank, c.document_sha256, c.page",
    "key_figure_suppression": "select * from programme.key_figure_suppression_counts order by all",
    # the status at each follow-up date and the assignment part by part (status_at_dates.sql, collaboration_parts.sql)
    "follow_up_dates": "select * from programme.follow_up_dates order by position",
    "status_at_dates": "select * from programme.status_at_dates order by follow_up_date, measure_id, agency_id",
    "rollups_at_dates": "select * from programme.rollups_at_dates order by all",
    "status_moves": "select * from programme.status_moves order by change, measure_id, agency_id",
    "collaboration_parts": "select * from programme.collaboration_parts order by year, part_id, agency_id",
}


def input_files(paths: FollowupPaths) -> tuple[InputFile, ...]:
    root = paths.data_path
    files = data_inputs(root)
    return tuple(InputFile(path=p.relative_to(root).as_posix(), sha256=hashlib.sha256(p.read_bytes()).hexdigest(),
                           bytes=p.stat().st_size) for p in files)


@dg.asset(
    key=["reports", "site"],
    deps=[*[indicator_asset_key(i) for i, spec in load_catalogue().items() if not spec.is_development],
          ASSESSMENT_KEY, STATUS_KEY],
    group_name="reports",
    pool="duckdb",
    kinds={"html", "plotly"},
    description="The static bilingual report site (OUT/site): pages, CSV downloads and manifest.",
)
def report_site(duckdb: DuckDBResource, paths: FollowupPaths,
                print_browser: PrintBrowserResource) -> dg.MaterializeResult:
    if paths.print_edition not in PRINT_CHOICES:
        raise dg.Failure(description=t("print.setting_invalid", paths.lang, found=paths.print_edition))
    with duckdb.get_connection() as conn:
        inputs = site_inputs(conn, paths)
    build_time = datetime.now(UTC).replace(microsecond=0).isoformat()
    # The print edition starts as soon as the assets are staged and prints while the pages render; a
    # draft (MVK_PRINT_EDITION=off) records why it has none.
    def printing(staging: Path) -> Future:
        if inputs.print_edition:
            return start_print_edition(inputs, staging, cache_dir=paths.out_path / PRINT_CACHE,
                                       warm=print_browser.warm)   # started with the run
        skipped: Future = Future()
        skipped.set_result(not_printed("skipped", "print.reason_switched_off"))
        return skipped

    rendered: dict = {}
    index = write_site(inputs, paths.site_dir, build_time=build_time, start_finish=printing,
                       page_cache=paths.out_path / PAGE_CACHE, report=rendered)
    pages = sorted(paths.site_dir.rglob("*.html"))
    printed = json.loads((paths.site_dir / "manifest.json").read_text(encoding="utf-8"))["print_edition"]
    if printed["status"] != "written":
        # One line, in the run's language: the site is published, only the PDFs are missing.
        print(t("print.chromium_missing", paths.lang, reason=printed["reason"][paths.lang]), file=sys.stderr)
    return dg.MaterializeResult(metadata={
        "index": dg.MetadataValue.path(str(index)),
        "pages": len(pages),
        # pages whose inputs changed; the others were taken over from the published site (page_reuse)
        "pages rendered": rendered.get("pages", len(pages)),
        "pages reused": rendered.get("reused", 0),
        "workbooks reused": rendered.get("workbooks_reused", 0),   # taken over like pages (same rule)
        "plotly_js": PLOTLY_FILE,
        "print_edition": printed["status"],
        **{f"pdf {rel}": f"{info['pages']} pages, {info['bytes']} bytes"
           for rel, info in printed.get("files", {}).items()},
    })


def site_inputs(conn, paths: FollowupPaths) -> SiteInputs:
    """What the site asset renders: the warehouse's contents, and what changed since the previous
    published edition with the editions to list (reports/editions.py)."""
    revisions = conn.execute(REVISIONS_QUERY).df().to_dict("records")
    return with_editions(read_site_inputs(conn, paths), paths.site_dir.parent, revisions)


def read_site_inputs(conn, paths: FollowupPaths) -> SiteInputs:
    """Everything the site needs, read from the warehouse into memory (no Dagster here), so that the
    asset holds the connection briefly and benchmarks/render_site.py can time rendering alone."""
    catalogue = load_catalogue()
    results = {i: conn.execute(f'select * from indicators."{i}" order by all').df()
               for i, spec in catalogue.items() if not spec.is_development}
    assessments = conn.execute("select * from indicators.assessment order by all").df()
    conn.execute(SUPPRESSION_LOG_DDL)   # an empty log when no indicator has stored one yet
    suppression = conn.execute(SUPPRESSION_QUERY).df()
    programme = {name: conn.execute(query).df() for name, query in PROGRAMME_QUERIES.items()}
    snapshots = conn.execute(
        "select distinct s.sha256, s.source_id, s.original_name, s.retrieved "
        "from raw.snapshots s join raw.observations o on o.snapshot_sha256 = s.sha256 "
        "order by s.source_id, s.original_name").df()
    source_years = {str(s): int(y) for s, y in conn.execute(
        "select source_id, max(year) from raw.observations group by 1 order by 1").fetchall()}
    years = sorted(programme["submissions"]["year"].unique().tolist())
    year, as_of = report_year_and_as_of(paths, [int(y) for y in years])
    programme_data = ProgrammeData(register=load_register(paths.data_path), year=year, as_of=as_of.isoformat(),
                                   tables=programme,
                                   indicator_perspectives={i: spec.perspectives for i, spec in catalogue.items()})
    return SiteInputs(edition=edition(paths.data_path), code_version=code_version(), catalogue=catalogue,
                      results=results, assessments=assessments, sources=load_sources(), snapshots=snapshots,
                      inputs=input_files(paths), programme=programme_data, suppression=suppression,
                      source_years=source_years, build_date=datetime.now(UTC).date().isoformat(),
                      print_edition=paths.print_edition == PRINT_CHOICES[0])
