"""`mvk run` end to end, as a user runs it: the output contract and reproducibility."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil

import duckdb
import pytest

from indicators.registry import TOTAL_CODES, load_catalogue
from indicators.sources import region_codes
from tests.conftest import run_mvk

GSS_FLAGS = {"", "c", "x", "z", "u", "p", "r", "b", "e"}
BREAKDOWN_CODES = {"sex": {"K", "M", "T"}}


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_run_prints_progress_and_index_path(built):
    index = built / "site" / "index.html"
    assert index.is_file()
    assert (built / "site" / "en" / "index.html").is_file()
    assert (built / "dagster_home" / "dagster.yaml").is_file()
    assert (built / "warehouse" / "warehouse.duckdb").is_file()


def test_every_indicator_has_a_contract_csv(built):
    for spec in load_catalogue().values():
        if spec.is_development:   # no data source yet: a page, never a CSV of invented numbers
            assert not (built / "site" / "data" / "indicators" / f"{spec.id}.csv").exists()
            continue
        rows = read_csv(built / "site" / "data" / "indicators" / f"{spec.id}.csv")
        header, body = rows[0], rows[1:]
        assert header == ["indicator_id", "year", *spec.output_breakdowns, "value", "unit", "flag"]
        assert body, spec.id
        keys = set()
        for row in body:
            record = dict(zip(header, row, strict=True))
            assert record["indicator_id"] == spec.id
            assert re.fullmatch(r"\d{4}", record["year"])
            assert record["unit"] == spec.unit
            letters = list(record["flag"])     # zero or more GSS letters, in the fixed order c x z u p r b e
            assert all(f in GSS_FLAGS for f in letters) and letters == sorted(letters, key="cxzuprbe".index), record
            if record["value"]:
                assert re.fullmatch(r"-?\d+(\.\d+)?", record["value"]), record  # decimal point, no separators
            else:
                assert record["flag"], f"{spec.id}: an empty value must say why: {record}"
            if "sex" in record:
                assert record["sex"] in {"K", "M", "T"}
            if "region" in record:
                assert record["region"] in region_codes() or re.fullmatch(r"\d{4}", record["region"])
            key = tuple(record[c] for c in header[1:-3])
            assert key not in keys, f"{spec.id}: duplicate {key}"
            keys.add(key)
        # a headline row (every breakdown at its total) for every year
        years = {r[1] for r in body}
        headline_years = {
            r[1] for r in body
            if all(dict(zip(header, r, strict=True))[b] == TOTAL_CODES[b] for b in spec.output_breakdowns)
        }
        assert headline_years == years, spec.id


def test_published_figures_come_through(built):
    """Values computed by hand from the brief's published figures (BRIEF.md §7)."""
    def value(indicator, **key):
        rows = read_csv(built / "site" / "data" / "indicators" / f"{indicator}.csv")
        header = rows[0]
        for row in rows[1:]:
            record = dict(zip(header, row, strict=True))
            if all(record[k] == str(v) for k, v in key.items()):
                return record["value"]
        raise AssertionError(f"{indicator} {key} not found")

    assert value("MVK06", year=2018) == "66.7"          # 22 of 33 female victims
    assert value("MVK06", year=2022) == "43.5"          # 10 of 23
    assert value("MVK05", year=2020, statistic="annual") == "13"
    assert value("MVK05", year=2020, statistic="rolling_3y") == "17.0"   # (22 + 16 + 13) / 3
    assert value("MVK07", year=2021, sex="T", statistic="annual") == "19"
    assert value("MVK07", year=2018, sex="M", statistic="annual") == "4"
    assert value("MVK01", year=2017, sex="K") == "10.7"
    assert value("MVK01", year=2023, sex="T") == "3.8"   # survey 2024 → reference year 2023
    assert value("MVK09", year=2018, region="00") == "17.0"   # 1 744 / 10 230 185 × 100 000
    assert value("MVK08", year=2019, region="00") == "1718"
    assert value("MVK03", year=2016, sex="T") == "7.9"          # threats, all, 2016
    assert value("MVK02", year=2019, sex="K") == "2.7"          # assault, women, 2019
    assert value("MVK04", year=2022, sex="K", violence_type="T") == "15.2"
    assert value("MVK04", year=2022, sex="M", violence_type="sexual") == "0.9"
    assert value("MVK10", year=2019, relation="partner", sex="K") == "8819"
    assert value("MVK11", year=2021, sex="K") == "81"           # known offender, women, 2021
    assert value("MVK12", year=2019, sex="K") == "1808"
    assert value("MVK18", year=2016, sanction="T") == "30"      # Kriminalvården, 2016 cohort
    assert value("MVK19", year=2023, sanction="prison") == "22"
    assert value("MVK20", year=2020, region="00") == "95"
    assert value("MVK22", year=2019, region="00") == "22"
    assert value("MVK24", year=2024, region="00") == "28"
    assert value("MVK25", year=2020, sex="T") == "6.6"


def test_manifest_lists_inputs_and_every_site_file(built):
    site = built / "site"
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["edition"] == "2026"
    assert manifest["build_time"]
    assert manifest["code_version"]
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(manifest["files"]) == files
    for rel, digest in manifest["files"].items():
        assert hashlib.sha256((site / rel).read_bytes()).hexdigest() == digest
    inputs = {i["path"]: i["sha256"] for i in manifest["inputs"]}
    assert any(p.endswith(".px") for p in inputs)
    assert len(inputs) >= 8   # four sources, each a data file and its provenance file


def test_plotly_ships_once_as_a_local_file(built):
    site = built / "site"
    libs = list(site.rglob("plotly-*.min.js"))
    assert [p.relative_to(site).as_posix() for p in libs] == ["assets/plotly-cartesian-4.1.1.min.js"]
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=\"https?:", html), page
        assert not re.search(r"<link[^>]+href=\"https?:", html), page
        assert html.count("plotly-cartesian-4.1.1.min.js") <= 1
        assert "{{" not in html and "{%" not in html


def test_warehouse_rows_carry_provenance(built):
    with duckdb.connect(str(built / "warehouse" / "warehouse.duckdb"), read_only=True) as conn:
        missing = conn.execute(
            "select count(*) from raw.observations o left join raw.snapshots s on s.sha256 = o.snapshot_sha256 "
            "where s.sha256 is null or o.location = ''").fetchone()[0]
        unmarked = conn.execute(
            "select count(*) from raw.observations "
            "where not illustrative and (source_url is null or reliability not in ('official', 'V', 'V2', 'D'))"
        ).fetchone()[0]
        stored = conn.execute("select stored_path from raw.snapshots").fetchall()
    assert missing == 0
    assert unmarked == 0
    for (path,) in stored:
        assert (built / "warehouse" / path).is_file()


def _site_files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and p.name != "manifest.json"}


@pytest.mark.slow   # two more full runs: in `make test-all` and CI
def test_second_run_is_byte_identical(built, tmp_path):
    """Same inputs and code: identical pages and CSVs, rerun in place and into a new folder."""
    first = _site_files(built / "site")
    manifest_before = json.loads((built / "site" / "manifest.json").read_text(encoding="utf-8"))
    data, old = str(built.parent / "data"), tmp_path / "old"
    shutil.copytree(built, old)   # the session's build is shared: rerun in place into a copy of it
    again = run_mvk("run", "--data-dir", data, "--out", str(old), "--force")
    assert again.returncode == 0, again.stderr
    assert _site_files(old / "site") == first
    fresh = run_mvk("run", "--data-dir", data, "--out", str(tmp_path / "other"))
    assert fresh.returncode == 0, fresh.stderr
    assert _site_files(tmp_path / "other" / "site") == first
    manifest_after = json.loads((tmp_path / "other" / "site" / "manifest.json").read_text(encoding="utf-8"))
    manifest_before.pop("build_time"), manifest_after.pop("build_time")
    assert manifest_before == manifest_after


def test_missing_data_folder_fails_with_one_line(tmp_path):
    result = run_mvk("run", "--data-dir", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "nowhere" in result.stderr and "sources/" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow   # a nearly full build (the other sources go on): `make test-all` and CI
def test_bad_file_fails_with_file_and_location_in_english(data_copy, tmp_path):
    csv_path = next((data_copy / "sources" / "bra_lethal_violence").glob("*.csv"))
    text = csv_path.read_text(encoding="utf-8-sig").replace("2018;Kvinnor;Samtliga;33", "2018;Kvinnor;Samtliga;tre")
    csv_path.write_text(text, encoding="utf-8")
    result = run_mvk("run", "--data-dir", str(data_copy), "--out", str(tmp_path / "out"), "--lang", "en")
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()[-1]
    assert "raw/bra_lethal_violence" in message or "raw__bra_lethal_violence" in message
    assert csv_path.name in message and "line" in message and "tre" in message, message
    assert not (tmp_path / "out" / "site").exists()


def test_a_run_with_nothing_changed_does_nothing(built, tmp_path):
    """Data, specs, code and site as the last run left them: no Dagster run, the site untouched."""
    import time

    data, out = tmp_path / "data", tmp_path / "out"   # a copy: the session's build is shared
    shutil.copytree(built.parent / "data", data)
    shutil.copytree(built, out)
    before = _site_files(out / "site")
    started = time.monotonic()
    result = run_mvk("run", "--data-dir", str(data), "--out", str(out), "--lang", "en")
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "Nothing has changed since the last run" in result.stdout
    assert result.stdout.strip().endswith("index.html") and "[1/" not in result.stdout
    assert _site_files(out / "site") == before
    assert seconds < 30   # a guard against a real run, not a timing test (benchmarks/ measures it)
