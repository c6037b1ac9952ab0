"""``mvk rebuild`` replays sources, agency submissions and documents from their snapshots alone.

The warehouse rebuilt with the data folder's ``sources/`` and ``submissions/`` deleted must hold the
same rows as the one before, table by table, programme tables included; only the clock times of
loading differ (TIMESTAMP columns: when a file was loaded, not what it said).
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from indicators.ledger import read_ledger
from pipelines import operations
from tests.test_operations import folders, mvk


def table_rows(path) -> dict[str, list[tuple]]:
    """Every base table's rows, sorted, without its TIMESTAMP columns."""
    tables = {}
    with duckdb.connect(str(path), read_only=True) as conn:
        names = conn.execute("select table_schema, table_name from information_schema.tables "
                             "where table_type = 'BASE TABLE' order by 1, 2").fetchall()
        for schema, table in names:
            columns = [c for c, kind in conn.execute(
                "select column_name, data_type from information_schema.columns where table_schema = ? and "
                "table_name = ? order by ordinal_position", [schema, table]).fetchall()
                if not kind.startswith("TIMESTAMP")]
            listed = ", ".join(f'"{c}"' for c in columns)       # names from the catalogue, not from input
            rows = conn.execute(f'select {listed} from "{schema}"."{table}"').fetchall()
            tables[f"{schema}.{table}"] = sorted(rows, key=repr)
    return tables


def test_submissions_are_in_the_replay_log_in_arrival_order(analyst):
    data, out = analyst
    logged = read_ledger(out / "warehouse")["programme/submissions"]
    names = [entry["name"] for entry in logged]
    shipped = sorted(p.name for p in (data / "submissions").iterdir() if p.suffix in {".xlsx", ".csv"})
    assert sorted(names) == shipped                              # loaded and refused ones alike
    assert names == shipped                                     # by name: none came through `mvk ingest`
    for entry in logged:
        assert (out / "warehouse" / entry["snapshot"]).is_file()
        sidecar = data / "submissions" / f"{entry['name']}.provenance.yaml"
        assert bool(entry["provenance_sha256"]) == sidecar.is_file()      # the sidecar is replayed with it


@pytest.mark.slow
def test_a_warehouse_rebuilt_from_the_snapshots_equals_the_original_programme_tables_included(analyst):
    data, out = analyst
    warehouse = out / "warehouse" / "warehouse.duckdb"
    before = table_rows(warehouse)
    assert before["programme.submissions"] and before["programme.rejected_submissions"]
    shutil.rmtree(data / "sources")
    shutil.rmtree(data / "submissions")                          # only the snapshots are left of them

    rebuilt = mvk("rebuild", *folders(analyst), timeout=600)

    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    after = table_rows(warehouse)
    assert table_rows(warehouse.with_name(warehouse.name + ".before-rebuild")) == before
    assert sorted(after) == sorted(before)
    for table in before:
        assert after[table] == before[table], table
    assert operations.site_problems(out / "site") == []
