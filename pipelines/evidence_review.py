"""``mvk evidence --year YYYY --out granskning.xlsx``: the analyst's review workbook from a build's warehouse.

The workbook (``indicators.evidence.review``) lists every measure with the passages the finder found in
the agencies' documents about that year, and the status each agency reported. The warehouse is opened
read-only, as ``mvk status`` does (``pipelines.status``), so the command can run beside Dagster's UI
without taking the writer's lock; a warehouse being written reports "locked" instead of waiting.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from indicators.atomic import write_whole
from indicators.i18n import t
from pipelines.cli_frame import EXIT_ENVIRONMENT, EXIT_OK, EXIT_USAGE

WAREHOUSE = Path("warehouse") / "warehouse.duckdb"   # under the build folder, as pipelines.status reads it


def command_evidence(args: argparse.Namespace) -> int:
    """Write the review workbook for ``args.year`` from the warehouse of ``args.build``."""
    from indicators.evidence.review import rows_from_warehouse, write_review_workbook
    from indicators.programme.register import load_register

    data_dir = Path(args.data_dir).resolve()
    register = load_register(data_dir)
    first, last = register.programme.get("period", [2024, 2026])
    if not first <= args.year <= last:
        print(t("cli.evidence_bad_year", args.lang, year=args.year, first=first, last=last), file=sys.stderr)
        return EXIT_USAGE
    build = Path(args.build).resolve()
    warehouse = build / WAREHOUSE
    if not warehouse.is_file():
        print(t("cli.evidence_no_warehouse", args.lang, path=warehouse, build=args.build), file=sys.stderr)
        return EXIT_ENVIRONMENT
    try:
        with duckdb.connect(str(warehouse), read_only=True) as conn:
            tables = {r[0] for r in conn.execute(
                "select table_schema || '.' || table_name from information_schema.tables").fetchall()}
            needed = {"evidence.candidates", "evidence.documents", "programme.measure_reports",
                      "programme.measure_agencies"}
            rows = rows_from_warehouse(conn, register, args.year) if needed <= tables else None
    except duckdb.Error as error:
        reason = "locked" if isinstance(error, duckdb.IOException) else type(error).__name__
        print(t("cli.evidence_unreadable", args.lang, path=warehouse, reason=reason), file=sys.stderr)
        return EXIT_ENVIRONMENT
    candidates = 0 if rows is None else int(rows["document_sha256"].notna().sum())
    if candidates == 0:
        print(t("cli.evidence_no_candidates", args.lang, path=warehouse, year=args.year,
                documents=data_dir / "documents"), file=sys.stderr)
        return EXIT_ENVIRONMENT
    content = write_review_workbook(rows, year=args.year, register=register, lang=args.lang)
    write_whole(Path(args.out), content)      # no one sees half a file
    without = int(rows.loc[rows["document_sha256"].isna(), "measure_id"].nunique())
    print(t("cli.evidence_written", args.lang, year=args.year, path=args.out, rows=len(rows),
            candidates=candidates, measures=without))
    return EXIT_OK
