"""Revisions that never lose data, and a warehouse that is a function of the files and the specs.

Each test works on its own copy of a built data and output folder (the ``analyst`` fixture) and uses
the real command line in this process, as an analyst would: a partial extract, a same-domain file
with a missing cell (refused, then applied with ``--withdraw``), a correction without a provenance
file over illustrative values, a changed source spec, the dry-run plan.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import indicators.sources
from pipelines import cli
from tests.conftest import PROJECT_ROOT

SOURCES = PROJECT_ROOT / "data" / "sources"
LETHAL = next((SOURCES / "bra_lethal_violence").glob("*.csv"))
POPULATION = next((SOURCES / "scb_population_county_sex").glob("*.px"))
KEY = ["source_id", "year", "sex", "region", "police_region", "age_group", "offence", "relation",
       "violence_type", "sanction", "programme", "measure"]


def warehouse(out: Path) -> Path:
    return out / "warehouse" / "warehouse.duckdb"


def query(out: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    with duckdb.connect(str(warehouse(out)), read_only=True) as conn:
        return conn.execute(sql, params or []).df()


def observations(out: Path, source_id: str) -> pd.DataFrame:
    frame = query(out, "select * exclude (snapshot_sha256, location) from raw.observations where source_id = ?",
                  [source_id])
    return frame.sort_values(KEY).reset_index(drop=True)


def lethal_lines() -> tuple[str, list[str]]:
    lines = LETHAL.read_bytes().decode("utf-8-sig").split("\r\n")
    return lines[0], [line for line in lines[1:] if line]


def csv_file(path: Path, header: str, rows: list[str]) -> Path:
    path.write_bytes(("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8"))
    return path


def same_provenance(original: Path, copy: Path) -> None:
    """The reliability rules of the shipped file, beside a re-export of some of its cells."""
    shutil.copy(original.with_name(original.name + ".provenance.yaml"), copy.with_name(copy.name + ".provenance.yaml"))


def ingest(data: Path, out: Path, *files: Path, extra: tuple[str, ...] = ()) -> int:
    return cli.main(["ingest", *map(str, files), "--data-dir", str(data), "--out", str(out), *extra])


def population_px(rows: dict[tuple[str, str], list[int]], years: list[int]) -> bytes:
    """A PX extract as SCB's PxWeb writes it: only the regions and sexes asked for, cp1252, CRLF."""
    regions = sorted({r for r, _ in rows})
    sexes = [s for s in ("1", "2", "1+2") if any(k[1] == s for k in rows)]
    labels = {"00": "Riket", "1": "män", "2": "kvinnor", "1+2": "totalt"}
    quoted = ",".join
    lines = [
        'CHARSET="ANSI";', 'AXIS-VERSION="2010";', 'LANGUAGE="sv";', "DECIMALS=0;", 'MATRIX="BE0101N1";',
        'TITLE="Folkmängd efter region, kön och år";', 'CONTENTS="Folkmängd";', 'UNITS="antal";',
        'STUB="region","kön";', 'HEADING="år";',
        f'VALUES("region")={quoted(chr(34) + labels.get(r, r) + chr(34) for r in regions)};',
        f'VALUES("kön")={quoted(chr(34) + labels[s] + chr(34) for s in sexes)};',
        f'VALUES("år")={quoted(chr(34) + str(y) + chr(34) for y in years)};',
        f'CODES("region")={quoted(chr(34) + r + chr(34) for r in regions)};',
        f'CODES("kön")={quoted(chr(34) + s + chr(34) for s in sexes)};',
        "DATA=",
    ]
    for region in regions:
        for sex in sexes:
            lines.append(" ".join(str(v) for v in rows[(region, sex)]))
    return ("\r\n".join(lines) + ";\r\n").encode("cp1252")


def test_partial_extract_changes_exactly_the_cells_it_holds(analyst, tmp_path, capsys):
    """A riket-only, two-sex extract for 2015–2020 over the county × three-sex table (issue 8, case 1)."""
    data, out = analyst
    before = observations(out, "scb_population_county_sex")
    years = list(range(2015, 2021))
    riket = before[(before["region"] == "00") & before["year"].isin(years)]
    rows = {("00", code): [int(riket[(riket["sex"] == sex) & (riket["year"] == y)]["value"].iloc[0]) for y in years]
            for code, sex in (("1", "M"), ("2", "K"))}
    extract = tmp_path / "BE0101N1_riket_kon_2015-2020.px"
    extract.write_bytes(population_px(rows, years))
    same_provenance(POPULATION, extract)

    assert ingest(data, out, extract) == 0
    printed = capsys.readouterr().out
    assert "0 celler läggs till, 0 revideras, 0 dras tillbaka, 12 oförändrade" in printed
    n_other = len(before[before["year"].isin(years)]) - 12
    assert f"{n_other} inlästa celler för samma år finns inte i filen; de behålls" in printed
    after = observations(out, "scb_population_county_sex")
    pd.testing.assert_frame_equal(before, after)           # every county and the sex total are still there
    mvk09 = (out / "site" / "data" / "indicators" / "MVK09.csv").read_text(encoding="utf-8")
    assert ",x\n" not in mvk09 and ",x," not in mvk09       # no region lost its rate
    assert extract.exists()                                 # the analyst's own file stays where it was


def test_partial_extract_with_a_new_year_adds_only_those_cells(analyst, tmp_path, capsys):
    data, out = analyst
    before = observations(out, "scb_population_county_sex")
    extract = tmp_path / "BE0101N1_riket_kon_2025.px"
    extract.write_bytes(population_px({("00", "1"): [5300000], ("00", "2"): [5310000]}, [2025]))
    extract.with_name(extract.name + ".provenance.yaml").write_text(
        "retrieved: '2026-02-21'\ncells:\n- match: {}\n  reliability: illustrative\n  note: test\n", encoding="utf-8")
    assert ingest(data, out, extract) == 0
    assert "2 celler läggs till, 0 revideras, 0 dras tillbaka, 0 oförändrade" in capsys.readouterr().out
    after = observations(out, "scb_population_county_sex")
    assert len(after) == len(before) + 2
    added = after[after["year"] == 2025]
    assert sorted(added["sex"]) == ["K", "M"] and set(added["region"]) == {"00"}


def test_total_and_one_part_checked_with_the_parts_already_loaded(analyst, tmp_path):
    """A file with the sex total and women only (men loaded already) is checked against K + M = T."""
    data, out = analyst
    header, rows = lethal_lines()
    subset = [r for r in rows if r.startswith("2024;") and r.split(";")[1] in ("Samtliga", "Kvinnor")]
    good = csv_file(tmp_path / "dodligt_2024_utdrag.csv", header, subset)
    same_provenance(LETHAL, good)
    assert cli.main(["validate", str(good), "--out", str(out)]) == 0

    broken = [r.replace("2024;Samtliga;Samtliga;92", "2024;Samtliga;Samtliga;95") for r in subset]
    assert "2024;Samtliga;Samtliga;95" in broken
    bad = csv_file(tmp_path / "dodligt_2024_fel.csv", header, broken)
    assert cli.main(["validate", str(bad), "--out", str(out)]) == 1


def lethal_2024_without_one_cell(tmp_path: Path) -> Path:
    """Brå's lethal violence for 2024 re-exported without one cell (men, other relation), same rules."""
    header, rows = lethal_lines()
    year_2024 = [r for r in rows if r.startswith("2024;")]
    dropped = next(r for r in year_2024 if r.startswith("2024;Män;Annan"))
    shorter = csv_file(tmp_path / "dodligt_2024_utan_en_cell.csv", header, [r for r in year_2024 if r != dropped])
    same_provenance(LETHAL, shorter)
    return shorter


def test_same_domain_file_missing_a_cell_is_refused_then_applied_with_withdraw(analyst, tmp_path, capsys):
    data, out = analyst
    shorter = lethal_2024_without_one_cell(tmp_path)
    before = observations(out, "bra_lethal_violence")
    wh_before = hashlib.sha256(warehouse(out).read_bytes()).hexdigest()

    assert ingest(data, out, shorter) == 1
    err = capsys.readouterr().err
    assert "år 2024" in err and "(antal och första: 1 (sex=M; relation=other; measure=victims))" in err
    assert "--withdraw" in err
    assert shorter.exists()                                           # never moved away from the analyst
    assert list((data / "quarantine").glob("*dodligt_2024_utan_en_cell.csv"))
    assert hashlib.sha256(warehouse(out).read_bytes()).hexdigest() == wh_before

    assert ingest(data, out, shorter, extra=("--withdraw",)) == 0
    after = observations(out, "bra_lethal_violence")
    assert len(after) == len(before) - 1
    gone = query(out, "select kind, year, dimensions, old_value, new_value from raw.revisions "
                      "where kind = 'withdrawn'")
    assert gone[["kind", "year", "dimensions"]].values.tolist() == [
        ["withdrawn", 2024, "sex=M; relation=other; measure=victims"]]
    assert pd.isna(gone["new_value"].iloc[0])


@pytest.mark.slow   # a full build from scratch: in `make test-all` and CI
def test_a_withdrawal_is_replayed_when_the_warehouse_is_rebuilt(analyst, tmp_path):
    """The decision is replayed when the warehouse is rebuilt from the data folder."""
    data, out = analyst
    shorter = lethal_2024_without_one_cell(tmp_path)
    assert ingest(data, out, shorter, extra=("--withdraw",)) == 0
    after = observations(out, "bra_lethal_violence")
    assert cli.main(["run", "--data-dir", str(data), "--out", str(tmp_path / "fresh")]) == 0
    pd.testing.assert_frame_equal(after, observations(tmp_path / "fresh", "bra_lethal_violence"))


def test_revised_value_is_recorded_flagged_and_shown(analyst, tmp_path, capsys):
    data, out = analyst
    header, rows = lethal_lines()
    fixes = {"2024;Samtliga;Samtliga;92": "2024;Samtliga;Samtliga;93",
             "2024;Kvinnor;Samtliga;23": "2024;Kvinnor;Samtliga;24",
             "2024;Samtliga;Partner eller tidigare partner;13": "2024;Samtliga;Partner eller tidigare partner;14",
             "2024;Kvinnor;Partner eller tidigare partner;11": "2024;Kvinnor;Partner eller tidigare partner;12"}
    fix = csv_file(tmp_path / "dodligt_2024_rev.csv", header, [fixes.get(r, r) for r in rows if r.startswith("2024;")])
    same_provenance(LETHAL, fix)

    assert cli.main(["ingest", str(fix), "--dry-run", "--out", str(out), "--data-dir", str(data)]) == 0
    printed = capsys.readouterr().out
    assert "4 revideras" in printed and "reviderad 2024, sex=K; relation=partner; measure=victims: 11 → 12" in printed
    assert not (data / "sources" / "bra_lethal_violence" / fix.name).exists()     # a dry run files nothing

    assert ingest(data, out, fix) == 0
    revised = query(out, "select sex, relation, value from raw.observations where revised order by all")
    assert len(revised) == 4
    mvk05 = pd.read_csv(out / "site" / "data" / "indicators" / "MVK05.csv", keep_default_na=False)
    row = mvk05[(mvk05["year"] == 2024) & (mvk05["statistic"] == "annual")].iloc[0]
    assert row["value"] == 12 and "r" in row["flag"]


def test_correction_without_provenance_over_illustrative_values_is_a_revision(analyst, tmp_path, capsys):
    """Issue 8, case 11: a corrected file without a provenance file turns illustrative values official:
    each such change of reliability is a revision, recorded and reported, not a silent relabelling."""
    data, out = analyst
    header, rows = lethal_lines()
    partner = "2024;Kvinnor;Partner eller tidigare partner;"
    fixed = [r.replace(partner + "11", partner + "12")
             .replace("2024;Kvinnor;Samtliga;23", "2024;Kvinnor;Samtliga;24")
             .replace("2024;Samtliga;Samtliga;92", "2024;Samtliga;Samtliga;93")
             .replace("2024;Samtliga;Partner eller tidigare partner;13",
                      "2024;Samtliga;Partner eller tidigare partner;14") for r in rows]
    corrected = csv_file(tmp_path / "dodligt_vald_korrigerad.csv", header, fixed)   # no .provenance.yaml
    illustrative = query(out, "select count(*) as n from raw.observations "
                              "where source_id = 'bra_lethal_violence' and illustrative")["n"].iloc[0]
    assert illustrative > 0
    assert ingest(data, out, corrected) == 0
    printed = capsys.readouterr().out
    changes = query(out, "select old_reliability, new_reliability, old_value, new_value from raw.revisions "
                         "where source_id = 'bra_lethal_violence'")
    assert f"{len(changes)} revideras" in printed
    assert (changes["old_reliability"] == "illustrative").sum() == illustrative
    assert set(changes["new_reliability"]) == {"official"}
    assert query(out, "select count(*) as n from raw.observations "
                      "where source_id = 'bra_lethal_violence' and illustrative")["n"].iloc[0] == 0


@pytest.fixture()
def editable_specs(tmp_path, monkeypatch):
    """The source catalogue copied where a test may edit it (the package's own files stay untouched)."""
    folder = tmp_path / "specs"
    shutil.copytree(PROJECT_ROOT / "indicators" / "sources", folder)
    monkeypatch.setattr(indicators.sources, "SOURCES_DIR", folder)
    indicators.sources.load_sources.cache_clear()
    yield folder
    indicators.sources.load_sources.cache_clear()


@pytest.mark.slow   # two full builds: in `make test-all` and CI (test_a_spec_edit_alone_reloads_the_source is fast)
def test_changed_spec_reloads_the_source_old_folder_equals_fresh(analyst, editable_specs, tmp_path):
    """Issue 8, case 2: edit a mapping, rerun into the old folder and into a new one: same warehouse."""
    data, out = analyst
    spec = editable_specs / "bra_reported_offences_victims.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("      stranger: [", "      unknown_person: ["),
                    encoding="utf-8")
    provenance = next((data / "sources" / "bra_reported_offences_victims").glob("*.provenance.yaml"))
    provenance.write_text(provenance.read_text(encoding="utf-8").replace("relation: stranger",
                                                                          "relation: unknown_person"),
                          encoding="utf-8")   # the per-cell reliability rules name the codes too
    indicators.sources.load_sources.cache_clear()

    assert cli.main(["run", "--data-dir", str(data), "--out", str(out)]) == 0
    assert cli.main(["run", "--data-dir", str(data), "--out", str(tmp_path / "fresh")]) == 0
    source = "bra_reported_offences_victims"
    old, fresh = observations(out, source), observations(tmp_path / "fresh", source)
    assert "unknown_person" in set(old["relation"]) and "stranger" not in set(old["relation"])
    pd.testing.assert_frame_equal(old, fresh)
    for table in ("MVK10", "MVK11", "MVK12", "MVK17"):
        sql = f'select * from indicators."{table}" order by all'
        pd.testing.assert_frame_equal(query(out, sql), query(tmp_path / "fresh", sql))


def test_a_spec_edit_alone_reloads_the_source(analyst, editable_specs):
    """Only the spec changes (a new accepted label): the source is reloaded, from all its files."""
    from indicators.warehouse import plan_source, read_state, source_inputs

    data, out = analyst
    spec_path = editable_specs / "bra_lethal_violence.yaml"
    spec_path.write_text(spec_path.read_text(encoding="utf-8").replace(
        '"Annan relation eller okänd",', '"Annan relation eller okänd", "Annan eller okänd relation",'),
        encoding="utf-8")
    indicators.sources.load_sources.cache_clear()
    spec = indicators.sources.load_sources()["bra_lethal_violence"]
    with duckdb.connect(str(warehouse(out)), read_only=True) as conn:
        state = read_state(conn, spec.id)
    plan = plan_source(spec, source_inputs(data, spec), state)
    assert plan.replace and plan.reason == "spec" and len(plan.steps) == len(state.snapshots)
