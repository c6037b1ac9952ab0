"""Flags and reliability travel through every indicator by one rule (docs/flags-and-reliability.md).

Each test builds a small warehouse in tmp_path from the shipped source files, read by the real
readers, with one input cell changed (a provisional, revised or break flag, a weaker reliability tag),
and checks what a reader of the published table would see.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from indicators.compute import compute_indicator, staging_tables_read
from indicators.flags import add_letter, letters
from indicators.quality import blocking_problems
from indicators.readers import ReaderError
from indicators.registry import load_catalogue
from indicators.sources import GSS_FLAGS, load_sources
from indicators.staging import build_staging, staging_sql, staging_tables
from indicators.warehouse import ensure_schema, read_source, source_files

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Indicators computed from the statistics sources; MVK27 (from the programme register) has its flags
# tested in tests/test_mvk27.py on a warehouse that holds the programme's tables.
COMPUTED = [i for i, spec in load_catalogue().items() if not spec.is_development and not spec.reads_programme]


def read_observations(data_dir: Path) -> pd.DataFrame:
    """Every shipped observation as the ingest would load it (source id, snapshot hash, cell)."""
    frames = []
    for spec in load_sources().values():
        try:
            files = source_files(data_dir, spec)
        except ReaderError:
            continue                      # a source with no file shipped yet
        for validated in read_source(spec, files).files:
            obs = validated.observations.copy()
            obs["source_id"] = spec.id
            obs["snapshot_sha256"] = hashlib.sha256(validated.content).hexdigest()
            frames.append(obs)
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return read_observations(PROJECT_ROOT / "data")


def warehouse(path: Path, observations: pd.DataFrame, spec=None) -> duckdb.DuckDBPyConnection:
    """A DuckDB file holding ``observations`` and the staging tables ``spec`` reads (all without one):
    every staging table for each of the 96 cases cost 0.12 s of DuckDB's fixed cost per statement."""
    conn = duckdb.connect(str(path))
    ensure_schema(conn)
    conn.register("rows", observations)
    conn.execute("insert into raw.observations by name select * from rows")
    conn.unregister("rows")
    build_staging(conn, None if spec is None else staging_tables_read(spec))
    return conn


def cell_ids(frame: pd.DataFrame) -> pd.Series:
    return frame["snapshot_sha256"].str[:12] + ":" + frame["location"]


def same_cell(frame: pd.DataFrame, spec, target: pd.Series) -> pd.Series:
    """The row of ``frame`` with the target's year and breakdown codes."""
    mask = frame["year"] == target["year"]
    for column in spec.output_breakdowns:
        mask &= frame[column] == target[column]
    assert mask.sum() == 1
    return frame[mask].iloc[0]


def target_row(result: pd.DataFrame, spec) -> pd.Series:
    """The main series' latest annual value: the figure a reader looks at first."""
    rows = result[result["value"].notna()]
    for column, code in spec.main_codes.items():
        rows = rows[rows[column] == code]
    return rows.sort_values("year").iloc[-1]


@pytest.fixture(scope="module")
def baseline(shipped, tmp_path_factory) -> dict[str, pd.DataFrame]:
    conn = warehouse(tmp_path_factory.mktemp("base") / "w.duckdb", shipped)
    try:
        return {i: compute_indicator(conn, load_catalogue()[i]) for i in COMPUTED}
    finally:
        conn.close()


def test_every_indicator_publishes_flags_in_fixed_order_and_a_reliability(baseline):
    for indicator_id, frame in baseline.items():
        spec = load_catalogue()[indicator_id]
        assert blocking_problems(frame, spec) == [], indicator_id
        assert set(frame["reliability"]) <= {"official", "V", "V2", "D", "illustrative"}, indicator_id
        published = frame[frame["reliability"].isin(["V", "V2", "D", "official"])]
        assert (published["source_url"].str.startswith("http")).all(), indicator_id


@pytest.mark.parametrize("indicator_id", COMPUTED)
def test_p_r_b_of_an_input_reach_every_value_derived_from_it(indicator_id, shipped, baseline, tmp_path):
    """One input cell of the main series' latest value gets p (provisional), one is revised (r) and one
    gets b: every published value built on those cells shows all three letters, in the fixed order."""
    spec = load_catalogue()[indicator_id]
    target = target_row(baseline[indicator_id], spec)
    inputs = target["provenance"].split("; ")
    first, last = inputs[0], inputs[-1]
    observations = shipped.copy()
    ids = cell_ids(observations)
    assert (ids == first).sum() == 1 and (ids == last).sum() == 1, "a provenance entry names exactly one cell"
    observations.loc[ids == first, "flag"] = "p"
    observations.loc[ids == last, "revised"] = True
    observations["revised"] = observations["revised"].fillna(False).astype(bool)
    conn = warehouse(tmp_path / "w.duckdb", observations, spec)
    try:
        changed = compute_indicator(conn, spec)
    finally:
        conn.close()
    touched = changed[changed["provenance"].str.contains(first, regex=False)
                      | changed["provenance"].str.contains(last, regex=False)]
    assert not touched.empty
    for _, row in touched[touched["value"].notna()].iterrows():
        uses_first = first in row["provenance"].split("; ")
        uses_last = last in row["provenance"].split("; ")
        if uses_first:
            assert "p" in row["flag"], (indicator_id, row["year"], row["flag"])
        if uses_last:
            assert "r" in row["flag"], (indicator_id, row["year"], row["flag"])
        assert row["flag"] == "".join(letters(row["flag"]))          # fixed order, no repeats
    main = same_cell(changed, spec, target)
    expected = set(letters(target["flag"])) | {"p", "r"}
    assert main["flag"] == "".join(f for f in GSS_FLAGS if f in expected)


@pytest.mark.parametrize("indicator_id", COMPUTED)
def test_a_break_flag_on_an_input_reaches_the_derived_value(indicator_id, shipped, baseline, tmp_path):
    spec = load_catalogue()[indicator_id]
    target = target_row(baseline[indicator_id], spec)
    cell = target["provenance"].split("; ")[-1]
    observations = shipped.copy()
    observations.loc[cell_ids(observations) == cell, "flag"] = "b"
    conn = warehouse(tmp_path / "w.duckdb", observations, spec)
    try:
        changed = compute_indicator(conn, spec)
    finally:
        conn.close()
    assert "b" in same_cell(changed, spec, target)["flag"]


@pytest.mark.parametrize("indicator_id", COMPUTED)
def test_reliability_is_the_weakest_input_and_urls_are_kept(indicator_id, shipped, baseline, tmp_path):
    """A [V2] input (say a newspaper's figure) makes the value built on it V2, never plain official; a
    [D] one makes it D; the source URL of the weaker input is among the value's URLs."""
    spec = load_catalogue()[indicator_id]
    target = target_row(baseline[indicator_id], spec)
    cells = target["provenance"].split("; ")
    for tag in ("V2", "D"):
        observations = shipped.copy()
        ids = cell_ids(observations)
        observations.loc[ids.isin(cells), ["reliability", "illustrative"]] = ["official", False]
        observations.loc[ids == cells[-1], ["reliability", "source_url"]] = [tag, "https://example.org/weak"]
        conn = warehouse(tmp_path / f"{tag}.duckdb", observations, spec)
        try:
            row = same_cell(compute_indicator(conn, spec), spec, target)
        finally:
            conn.close()
        assert row["reliability"] == tag, indicator_id
        assert "https://example.org/weak" in row["source_url"].split(" ")


def test_missing_value_keeps_one_reason_with_precedence_and_the_break(tmp_path):
    conn = duckdb.connect(str(tmp_path / "m.duckdb"))
    from indicators.flags import load_flag_macros

    load_flag_macros(conn)
    got = conn.execute("""select mvk_flag(null, ['x', 'c', 'p'], 'x'), mvk_flag(null, ['', 'b'], 'z'),
                                 mvk_flag(1.0, ['x', 'rp', 'b'], 'x'), mvk_flag(1.0, [null, ''], 'x'),
                                 mvk_reliability(['official', 'V2', null, 'V']), mvk_urls(['b a', null, 'a'])"""
                       ).fetchone()
    assert got == ("c", "zb", "prb", "", "V2", "a b")
    assert add_letter("rb", "p", has_value=True) == "prb"
    assert add_letter("x", "u", has_value=False) == "x"


def test_mvk11_keeps_the_parts_flags_where_it_used_to_overwrite_them(shipped, tmp_path):
    """MVK11 (share by a known person) once wrote '' over every input flag: a provisional part is p."""
    observations = shipped.copy()
    part = ((observations["source_id"] == "bra_reported_offences_victims") & (observations["year"] == 2021)
            & (observations["offence"] == "assault") & (observations["sex"] == "K")
            & (observations["relation"] == "family") & (observations["age_group"] == "18+"))
    assert part.sum() == 1
    observations.loc[part, "flag"] = "p"
    conn = warehouse(tmp_path / "w.duckdb", observations)
    try:
        frame = compute_indicator(conn, load_catalogue()["MVK11"]).set_index(["year", "sex"])
    finally:
        conn.close()
    assert "p" in frame.loc[(2021, "K"), "flag"]
    assert "p" not in frame.loc[(2021, "M"), "flag"]


def test_mvk06_keeps_both_inputs_flags(shipped, tmp_path):
    """MVK06 kept only the numerator's flag: with p on the numerator and r on the denominator it is pr."""
    observations = shipped.copy()
    lethal = (observations["source_id"] == "bra_lethal_violence") & (observations["year"] == 2022) \
        & (observations["sex"] == "K")
    observations.loc[lethal & (observations["relation"] == "partner"), "flag"] = "p"
    observations.loc[lethal & (observations["relation"] == "T"), "revised"] = True
    observations["revised"] = observations["revised"].fillna(False).astype(bool)
    conn = warehouse(tmp_path / "w.duckdb", observations)
    try:
        frame = compute_indicator(conn, load_catalogue()["MVK06"]).set_index("year")
    finally:
        conn.close()
    assert frame.loc[2022, "flag"] == "pr"
    assert frame.loc[2021, "flag"] == ""


# ------------------------------------------------------------------------------------ series breaks
def test_source_breaks_reach_the_data_in_the_break_year_only(baseline):
    mvk05 = baseline["MVK05"]
    annual = mvk05[mvk05["statistic"] == "annual"].set_index("year")
    assert "b" in annual.loc[2024, "flag"] and "b" not in annual.loc[2023, "flag"]   # lethal violence 2024
    assert "b" in baseline["MVK06"].set_index("year").loc[2024, "flag"]
    mvk10 = baseline["MVK10"].set_index(["year", "relation", "sex"])
    assert "b" in mvk10.loc[(2019, "partner", "K"), "flag"]                         # four relation types
    assert "b" not in mvk10.loc[(2018, "partner", "K"), "flag"]
    mvk17 = baseline["MVK17"].set_index("year")                                     # not an assault series
    assert not mvk17["flag"].str.contains("b").any()


def test_cell_key_method_break_reaches_rates_built_on_2025_population(shipped, tmp_path):
    """A 2025 population (SCB's Cell Key Method) makes every 2025 rate per 100 000 a break value."""
    observations = shipped.copy()
    pop = observations[(observations["source_id"] == "scb_population_county_sex") & (observations["year"] == 2024)]
    reported = observations[(observations["source_id"] == "bra_reported_gross_violation")
                            & (observations["year"] == 2024)]
    later = pd.concat([pop.assign(year=2025, location=pop["location"] + "-2025"),
                       reported.assign(year=2025, location=reported["location"] + "-2025")])
    conn = warehouse(tmp_path / "w.duckdb", pd.concat([observations, later], ignore_index=True))
    try:
        frame = compute_indicator(conn, load_catalogue()["MVK09"])
    finally:
        conn.close()
    rates_2025 = frame[(frame["year"] == 2025) & frame["value"].notna()]
    assert len(rates_2025) > 1 and rates_2025["flag"].str.contains("b").all()
    assert not frame[frame["year"] == 2024]["flag"].str.contains("b").any()


def test_staging_is_generated_from_the_source_specs():
    tables = staging_tables()
    assert "population" in tables and "oj_municipal_routines" in tables
    assert len(tables["oj_municipal_routines"]) == 4
    sql = staging_sql("oj_municipal_routines", tables["oj_municipal_routines"])
    assert "measure," in sql.split("from raw.observations")[0]      # four sources share it: measure kept
    assert not (PROJECT_ROOT / "indicators" / "sql" / "staging").exists()


# ------------------------------------------------------------------------------ Brå preliminary: p
def test_preliminary_cell_in_provenance_becomes_flag_p(data_copy, tmp_path):
    """A provenance rule with ``preliminary: true`` (Brå's preliminary statistics) gives the cell p, and
    the shares built on it (MVK11) carry p too."""
    folder = data_copy / "sources" / "bra_reported_offences_victims"
    path = next(folder.glob("*.provenance.yaml"))
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    wanted = {"year": 2022, "offence": "assault", "sex": "K", "relation": "T"}
    rule = next(r for r in doc["cells"] if all(r["match"].get(k) == v for k, v in wanted.items()))
    rule["preliminary"] = True
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    observations = read_observations(data_copy)
    cell = observations[(observations["source_id"] == "bra_reported_offences_victims")
                        & (observations["year"] == 2022) & (observations["offence"] == "assault")
                        & (observations["sex"] == "K") & (observations["relation"] == "T")
                        & (observations["age_group"] == "18+")]
    assert cell["flag"].tolist() == ["p"]
    conn = warehouse(tmp_path / "w.duckdb", observations)
    try:
        mvk11 = compute_indicator(conn, load_catalogue()["MVK11"]).set_index(["year", "sex"])
    finally:
        conn.close()
    assert mvk11.loc[(2022, "K"), "flag"] == "p"
    shutil.rmtree(data_copy)


def test_shipped_preliminary_bra_figure_is_published_with_p(shipped, baseline):
    """Brå's preliminary 2015 total of reported assault on women 18+ (28 700, BRIEF.md §7.2) is shipped
    as published [V] and preliminary: the cell and every value built on it carry p."""
    cell = shipped[(shipped["source_id"] == "bra_reported_offences_victims") & (shipped["year"] == 2015)
                   & (shipped["offence"] == "assault") & (shipped["sex"] == "K") & (shipped["relation"] == "T")
                   & (shipped["age_group"] == "18+")].iloc[0]
    assert (cell["value"], cell["flag"], cell["reliability"]) == (28700, "p", "V")
    mvk10 = baseline["MVK10"].set_index(["year", "relation", "sex"])
    assert mvk10.loc[(2015, "T", "K"), "flag"] == "p" and mvk10.loc[(2015, "T", "K"), "value"] == 28700
    assert "p" in baseline["MVK11"].set_index(["year", "sex"]).loc[(2015, "K"), "flag"]
    assert "p" not in baseline["MVK11"].set_index(["year", "sex"]).loc[(2015, "M"), "flag"]


# ----------------------------------------------------------------------------- MVK15 relative to MVK08
def test_mvk15_publishes_count_and_persons_per_100_reported_offences(baseline):
    mvk15 = baseline["MVK15"].set_index(["year", "measure"])
    mvk08 = baseline["MVK08"]
    reported = mvk08[mvk08["region"] == "00"].set_index("year")["value"]
    for year in (2016, 2024):
        count = mvk15.loc[(year, "count"), "value"]
        assert mvk15.loc[(year, "per_100_reported"), "value"] == pytest.approx(100 * count / reported[year])
    spec = load_catalogue()["MVK15"]
    assert spec.main_codes == {"measure": "per_100_reported"} and spec.direction == "up"


# --------------------------------------------------------------------------------- what readers see
def test_pages_workbook_and_provenance_show_every_letter_and_the_reliability(baseline):
    from reports import site
    from reports.workbook import _indicator_rows

    spec = load_catalogue()["MVK06"]
    frame = baseline["MVK06"].copy()
    row = frame[frame["year"] == 2018].iloc[0].copy()
    assert row["reliability"] == "V2"                  # BRIEF §7.1: 33 female victims 2018 is [V2]
    row["flag"] = "pr"
    cell = site.value_cell(row, spec, "sv")
    shown = [m for m, _ in cell.markers]
    assert shown[:3] == ["[p]", "[r]", "[V2]"]
    assert "sekundärkälla" in dict(cell.markers)["[V2]"]
    assert "secondary source" in dict(site.value_cell(row, spec, "en").markers)["[V2]"]
    provenance = pd.read_csv(pd.io.common.StringIO(site.provenance_csv(spec, frame)))
    assert list(provenance.columns) == ["indicator_id", "year", "illustrative", "reliability", "source_url",
                                        "source_cells"]
    assert provenance.set_index("year").loc[2018, "reliability"] == "V2"
    assert "aftonbladet" in provenance.set_index("year").loc[2018, "source_url"]
    frame.loc[frame["year"] == 2018, "flag"] = "pr"
    rows = {r[0]: r for r in _indicator_rows(spec, frame, "sv")}
    assert rows[2018][2] == "[p] [r]" and rows[2018][3] == "V2" and "aftonbladet" in rows[2018][4]


def test_chart_draws_the_break_as_a_labelled_line(baseline):
    from reports import site

    spec = load_catalogue()["MVK05"]
    figure = site.figures(spec, baseline["MVK05"], "sv")[0]
    import json

    layout = json.loads(str(figure["json"]))["layout"]
    lines = [s for s in layout.get("shapes", []) if s.get("type") == "line"]
    assert len(lines) == 1 and lines[0]["line"]["dash"] == "dash"
    assert any("Tidsseriebrott 2024" in a["text"] for a in layout["annotations"])
    assert "Tidsseriebrott" not in json.dumps(json.loads(str(site.figures(load_catalogue()["MVK25"],
                                                                      baseline["MVK25"], "sv")[0]["json"])))
    assert "tidsseriebrott" in figure["caption"]


def test_publishing_rules_accept_several_letters_and_refuse_disorder(baseline):
    spec = load_catalogue()["MVK06"]
    frame = baseline["MVK06"].copy()
    frame.loc[0, "flag"] = "prb"
    assert blocking_problems(frame, spec) == []
    for bad in ("rp", "pp", "q"):
        frame.loc[0, "flag"] = bad
        assert any("GSS letters" in p for p in blocking_problems(frame, spec)), bad
    frame.loc[0, ["flag", "value"]] = ["b", None]
    assert any("without c, x or z" in p for p in blocking_problems(frame, spec))


# ---------------------------------------------------------------------------- a real revision shows r
def test_a_value_revised_by_a_later_file_is_published_with_r(analyst, tmp_path):
    """`mvk ingest` of a corrected Brå file: the revised cells' values are published with [r], and so is
    every value computed from them (the share, the rolling mean); untouched years stay unflagged."""
    from pipelines import cli

    data, out = analyst
    corrected = tmp_path / "bra_dodligt_vald_rattelse_2016.csv"
    corrected.write_bytes("\ufeffÅr;Brottsoffrets kön;Relation;Antal brottsoffer\r\n"
                          "2016;Kvinnor;Partner eller tidigare partner;14\r\n"
                          "2016;Kvinnor;Annan relation eller okänd;13\r\n"
                          "2016;Samtliga;Partner eller tidigare partner;17\r\n"
                          "2016;Samtliga;Annan relation eller okänd;89\r\n".encode("utf-8"))
    assert cli.main(["ingest", str(corrected), "--source", "bra_lethal_violence", "--data-dir", str(data),
                     "--out", str(out)]) == 0
    mvk05 = pd.read_csv(out / "site" / "data" / "indicators" / "MVK05.csv", keep_default_na=False)
    flags = {(r.year, r.statistic): r.flag for r in mvk05.itertuples()}
    assert flags[(2016, "annual")] == "r" and flags[(2017, "annual")] == ""
    assert flags[(2018, "rolling_3y")] == "re" and flags[(2019, "rolling_3y")] == "e"
    assert mvk05.set_index(["year", "statistic"]).loc[(2016, "annual"), "value"] == 14
    mvk06 = pd.read_csv(out / "site" / "data" / "indicators" / "MVK06.csv", keep_default_na=False)
    assert mvk06.set_index("year").loc[2016, "flag"] == "r"
    page = (out / "site" / "indicators" / "MVK05.html").read_text(encoding="utf-8")
    assert "[r]</abbr>" in page
