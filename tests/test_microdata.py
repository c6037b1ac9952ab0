"""Offence-level microdata end to end: a tiny generated file validated, snapshotted, loaded, aggregated and
suppressed (through the real Dagster assets), and bad rows refused with their line and column."""

from __future__ import annotations

import hashlib
import json
import stat
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource

from indicators.microdata import (
    INDICATOR_TABLE,
    LOG_TABLE,
    load_microdata,
    load_microdata_sources,
    validate_microdata_file,
)
from indicators.readers import ReaderError
from indicators.sources import load_sources
from pipelines import cli
from pipelines.defs.microdata import build_microdata_assets
from pipelines.settings import FollowupPaths

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))
from generate_microdata import generate  # noqa: E402

SOURCE = "bra_offence_microdata"
ROWS = 3000


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """One year of illustrative microdata, as Parquet and CSV (one year keeps the disclosure step quick)."""
    folder = tmp_path_factory.mktemp("microdata")
    parquet, csv = generate(folder, ROWS, first_year=2020, years=1, name="md_2020")
    return {"parquet": parquet, "csv": csv}


def materialise(data: Path, out: Path) -> dg.ExecuteInProcessResult:
    spec = load_microdata_sources()[SOURCE]
    (out / "warehouse").mkdir(parents=True, exist_ok=True)
    return dg.materialize(build_microdata_assets(spec), resources={
        "duckdb": DuckDBResource(database=str(out / "warehouse" / "warehouse.duckdb")),
        "paths": FollowupPaths(data_dir=str(data), out_dir=str(out), lang="en")})


def test_microdata_is_not_a_published_table_source():
    assert SOURCE not in load_sources()          # the table readers and staging never see it
    assert not load_microdata_sources()[SOURCE].public


def test_tiny_file_ingested_end_to_end(files, tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    folder = data / "sources" / SOURCE
    folder.mkdir(parents=True)
    for suffix in ("", ".provenance.yaml"):
        (folder / (files["parquet"].name + suffix)).write_bytes(Path(str(files["parquet"]) + suffix).read_bytes())
    assert materialise(data, out).success

    with duckdb.connect(str(out / "warehouse" / "warehouse.duckdb"), read_only=True) as conn:
        sha, stored, original = conn.execute("select sha256, stored_path, original_name from raw.snapshots "
                                             "where source_id = ?", [SOURCE]).fetchone()
        loaded = conn.execute(f"select sum(n), bool_and(illustrative) from raw.microdata_{SOURCE}").fetchone()
        table = conn.execute(f"select * from {INDICATOR_TABLE}").df()
        log = conn.execute(f"select * from {LOG_TABLE}").df()
    snapshot = out / "warehouse" / stored
    assert original == files["parquet"].name and snapshot.read_bytes() == files["parquet"].read_bytes()
    assert not snapshot.stat().st_mode & stat.S_IWUSR                     # read-only, like every snapshot
    ledger = [json.loads(line) for line in (out / "warehouse" / "snapshots" / "ledger.jsonl").read_text().splitlines()]
    assert ledger[-1]["source"] == SOURCE and ledger[-1]["files"][0]["sha256"] == sha
    assert loaded == (ROWS, True)

    riket = table[(table.region == "00") & (table.sex == "T") & (table.relation == "T")]
    assert riket["value"].tolist() == [ROWS] and riket["illustrative"].all()
    kommun = table[table.municipality != "T"]
    assert len(kommun) == 290 * 3 and set(kommun.relation) == {"T"}
    published = table["value"].dropna()
    assert not published.between(1, 4).any(), "a small count was published"
    assert set(log["kind"]) >= {"primary", "secondary"} and (table["flag"] == "c").sum() == len(log)
    # Sex: T = K + M wherever all three are published.
    wide = table.pivot_table(index=["county", "municipality", "relation"], columns="sex", values="value")
    both = wide.dropna()
    assert not both.empty and ((both["K"] + both["M"]) == both["T"]).all()

    # Nothing changed: the second run reads only the hashes and the table stays the same.
    assert materialise(data, out).success
    with duckdb.connect(str(out / "warehouse" / "warehouse.duckdb"), read_only=True) as conn:
        assert conn.execute("select count(*) from raw.snapshots where source_id = ?", [SOURCE]).fetchone()[0] == 1


def test_no_file_leaves_an_empty_table(tmp_path):
    (tmp_path / "data" / "sources").mkdir(parents=True)
    assert materialise(tmp_path / "data", tmp_path / "out").success
    with duckdb.connect(str(tmp_path / "out" / "warehouse" / "warehouse.duckdb"), read_only=True) as conn:
        assert conn.execute(f"select count(*) from {INDICATOR_TABLE}").fetchone()[0] == 0


def _with_line(csv: Path, target: Path, index: int, line: str) -> Path:
    lines = csv.read_text(encoding="utf-8").splitlines()
    lines[index] = line
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


@pytest.mark.parametrize(("line", "location", "found"), [
    ("2020-03-04;BrB 3:5;01;0199;K;25-44;partner", 'line 11, column "kommun"', "0199"),
    ("2020-02-30;BrB 3:5;01;0114;K;25-44;partner", 'line 11, column "anmalningsdatum"', "2020-02-30"),
    ("2031-02-01;BrB 3:5;01;0114;K;25-44;partner", 'line 11, column "anmalningsdatum"', "2031-02-01"),
    ("2020-02-01;BrB 3:5;03;0114;K;25-44;partner", 'line 11, column "lan"', "0114 / 03"),
    ("2020-02-01;BrB 9:9;01;0114;K;25-44;partner", 'line 11, column "brottskod"', "BrB 9:9"),
    ("2020-02-01;;01;0114;K;25-44;partner", 'line 11, column "brottskod"', "(tomt/empty)"),
    ("2020-02-01;BrB 3:5;01;0114;K;17-24;partner", 'line 11, column "offer_alder"', "17-24"),
])
def test_bad_row_refused_with_its_line_and_column(files, tmp_path, line, location, found):
    bad = _with_line(files["csv"], tmp_path / "bad.csv", 10, line)
    with pytest.raises(ReaderError) as caught:
        validate_microdata_file(bad, load_microdata_sources()[SOURCE])
    assert (caught.value.location, caught.value.found) == (location, found)
    assert caught.value.message("en").startswith(f"bad.csv, {location}")


def test_mvk_validate_accepts_and_refuses(files, tmp_path, capsys):
    assert cli.main(["validate", str(files["csv"]), str(files["parquet"]), "--out", str(tmp_path / "out"),
                     "--lang", "en"]) == 0
    assert capsys.readouterr().out.count(f"accepted for {SOURCE} (microdata): {ROWS} reported offences") == 2
    bad = _with_line(files["csv"], tmp_path / "bad.csv", 5, "2020-01-01;BrB 3:5;01;0114;X;25-44;partner")
    assert cli.main(["validate", str(bad), "--out", str(tmp_path / "out"), "--lang", "en"]) != 0
    assert 'bad.csv, line 6, column "offer_kon": unknown code X; expected one of: K, M.' in capsys.readouterr().err


def test_bad_parquet_row_refused_with_its_row(files, tmp_path):
    """Parquet takes the same one-pass checks; a Parquet file has no header line, so "line 20" is its 20th row."""
    bad_csv = _with_line(files["csv"], tmp_path / "bad.csv", 20, "2020-02-01;BrB 3:5;01;0114;K;25-44;cousin")
    bad = tmp_path / "bad.parquet"
    with duckdb.connect() as conn:
        conn.execute(f"copy (select * replace (cast(anmalningsdatum as date) as anmalningsdatum) "
                     f"from read_csv('{bad_csv.as_posix()}', delim = ';', header = true, all_varchar = true)) "
                     f"to '{bad.as_posix()}' (format parquet)")
    with pytest.raises(ReaderError) as caught:
        validate_microdata_file(bad, load_microdata_sources()[SOURCE])
    assert (caught.value.location, caught.value.found) == ('line 20, column "relation"', "cousin")


def _data_folder(tmp_path: Path, *paths: Path) -> Path:
    folder = tmp_path / "data" / "sources" / SOURCE
    folder.mkdir(parents=True, exist_ok=True)
    for path in paths:
        for suffix in ("", ".provenance.yaml"):
            (folder / (path.name + suffix)).write_bytes(Path(str(path) + suffix).read_bytes())
    return tmp_path / "data"


def test_recorded_hash_is_the_files_sha256_and_a_reload_reuses_the_snapshot(files, tmp_path):
    """The file is hashed once, while it is copied: the hash recorded in raw.snapshots and the ledger and
    the snapshot's name are the sha256 of the file's bytes. A reload (here: the rows were written by an
    older reader) with the same file reuses its snapshot instead of copying the file again."""
    spec = load_microdata_sources()[SOURCE]
    data, warehouse = _data_folder(tmp_path, files["parquet"]), tmp_path / "warehouse"
    expected = hashlib.sha256(files["parquet"].read_bytes()).hexdigest()
    warehouse.mkdir()
    with duckdb.connect(str(warehouse / "warehouse.duckdb")) as conn:
        first = load_microdata(conn, spec, data, warehouse)
        sha, stored, size = conn.execute("select sha256, stored_path, bytes from raw.snapshots "
                                         "where source_id = ?", [SOURCE]).fetchone()
        snapshot = warehouse / stored
        assert first.snapshots == (expected,) and sha == expected and stored == f"snapshots/{expected}.parquet"
        assert size == files["parquet"].stat().st_size and hashlib.sha256(snapshot.read_bytes()).hexdigest() == sha
        assert first.rows == ROWS
        written = snapshot.stat().st_mtime_ns, snapshot.stat().st_ino

        assert load_microdata(conn, spec, data, warehouse).files_loaded == ()          # unchanged: nothing read
        conn.execute("update raw.snapshots set reader_version = 'microdata-0' where source_id = ?", [SOURCE])
        again = load_microdata(conn, spec, data, warehouse)
        assert again.files_loaded == (files["parquet"].name,) and again.snapshots == (expected,)
        assert again.rows == ROWS
        assert (snapshot.stat().st_mtime_ns, snapshot.stat().st_ino) == written      # not copied again
        assert not list((warehouse / "snapshots").glob(".*.part"))
    ledger = [json.loads(line) for line in (warehouse / "snapshots" / "ledger.jsonl").read_text().splitlines()]
    assert [entry["files"][0]["sha256"] for entry in ledger] == [expected, expected]


def test_a_second_file_is_loaded_with_the_first(files, tmp_path):
    """Adding a file (another year) reloads the source: both files' counts, each under its own hash."""
    spec = load_microdata_sources()[SOURCE]
    second = generate(tmp_path / "gen", 500, formats=("parquet",), first_year=2021, years=1, name="md_2021")[0]
    data, warehouse = _data_folder(tmp_path, files["parquet"]), tmp_path / "warehouse"
    warehouse.mkdir()
    with duckdb.connect(str(warehouse / "warehouse.duckdb")) as conn:
        load_microdata(conn, spec, data, warehouse)
        _data_folder(tmp_path, second)
        both = load_microdata(conn, spec, data, warehouse)
        by_file = conn.execute(f"select snapshot_sha256, min(year), sum(n) from {spec.table} group by all "
                               "order by 2").fetchall()
    hashes = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (files["parquet"], second)]
    assert both.rows == ROWS + 500 and sorted(both.snapshots) == sorted(hashes)
    assert by_file == [(hashes[0], 2020, ROWS), (hashes[1], 2021, 500)]
