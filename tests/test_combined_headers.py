"""Wide tables whose header labels combine several dimensions, as Brå and SCB publish them.

Brå publishes lethal violence as a table made for people: a title row, one row per year, one column per
victim group ("Kvinnor dödade av nuvarande eller tidigare partner" = sex K and relation partner), and
"Källa: Brå" below. The source spec's ``columns:`` mapping says what each label means; whatever the
layout (long, wide, rotated, years in the labels, CSV or XLSX), the warehouse rows must be the same
as from the long file in data/sources/bra_lethal_violence/.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import random
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import Workbook

from indicators.harmonise import read_source_table, table_to_observations
from indicators.readers import ReaderError, read_delimited
from indicators.readers.model import localise_location
from indicators.sources import SOURCES_DIR, STANDARD_DIMENSIONS, load_sources, parse_source_spec
from indicators.validation import detect_source, validate_file
from tests.conftest import PROJECT_ROOT, run_mvk

LONG = next((PROJECT_ROOT / "data" / "sources" / "bra_lethal_violence").glob("*.csv"))
KEYS = ["year", *STANDARD_DIMENSIONS, "measure"]
SEX = {"Samtliga": "T", "Kvinnor": "K", "Män": "M"}
RELATION = {"Samtliga": "T", "Partner eller tidigare partner": "partner", "Annan relation eller okänd": "other"}
# Every group of the long table as a combined label (Brå's own wording where Brå has one), with the
# footnote marks a published table puts on some of them.
GROUPS = {
    ("T", "T"): "Samtliga brottsoffer",
    ("K", "T"): "Kvinnor¹",
    ("M", "T"): "Män",
    ("T", "partner"): "Samtliga dödade av nuvarande eller tidigare partner",
    ("K", "partner"): "Kvinnor dödade av nuvarande eller tidigare partner 2)",
    ("M", "partner"): "Män dödade av nuvarande eller tidigare partner",
    ("T", "other"): "Samtliga, annan relation eller okänd",
    ("K", "other"): "Kvinnor, annan relation eller okänd",
    ("M", "other"): "Män, annan relation eller okänd",
}
# The five columns of Brå's published table, as the issue quotes them.
PUBLISHED = {
    ("T", "T"): "Samtliga brottsoffer",
    ("K", "T"): "Kvinnor",
    ("M", "T"): "Män",
    ("K", "partner"): "Kvinnor dödade av nuvarande eller tidigare partner",
    ("M", "partner"): "Män dödade av nuvarande eller tidigare partner",
}


def content(frame: pd.DataFrame) -> pd.DataFrame:
    """What a user sees of the observations: keys, value and flag (locations differ by layout)."""
    return frame[[*KEYS, "value", "flag"]].sort_values(KEYS).reset_index(drop=True)


def long_counts() -> dict[tuple[str, str, str], str]:
    """(year, sex, relation) -> the count as the long file writes it."""
    records = list(csv.reader(io.StringIO(LONG.read_text(encoding="utf-8-sig")), delimiter=";"))[1:]
    return {(year, SEX[sex], RELATION[relation]): value for year, sex, relation, value in records}


COUNTS = long_counts()
YEARS = sorted({year for year, _, _ in COUNTS})


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return content(validate_file(LONG, source_id="bra_lethal_violence").observations)


def only(frame: pd.DataFrame, groups) -> pd.DataFrame:
    keep = frame[[(s, r) in groups for s, r in zip(frame["sex"], frame["relation"], strict=True)]]
    return keep.reset_index(drop=True)


def xlsx_spec():
    """Brå publishes the table in Excel; the catalogue spec lists csv, so the test widens a copy."""
    return dataclasses.replace(load_sources()["bra_lethal_violence"], formats=("csv", "xlsx"))


def write_csv(path: Path, lines: list[str], *, encoding: str = "utf-8-sig", newline: str = "\r\n") -> Path:
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def wide_lines(groups: dict, *, delimiter: str = ";") -> list[str]:
    """Brå's layout: title row, blank row, header (År + one column per group), years, footnote, Källa."""
    pad = delimiter * len(groups)
    lines = [f"Konstaterade fall av dödligt våld, 2016–2024{pad}", pad,
             delimiter.join(["År", *groups.values()])]
    lines += [delimiter.join([year, *(COUNTS[(year, *group)] for group in groups)]) for year in YEARS]
    lines += [pad, f"1) Kvinnor omfattar även flickor under 15 år.{pad}",
              "2) Uppgifterna för 2024 avser det nya kategoriseringssättet.", f"Källa: Brå{pad}"]
    return lines


# --- CSV ------------------------------------------------------------------------------------------


def test_brå_wide_csv_gives_the_same_observations_as_the_long_file(tmp_path, expected):
    path = write_csv(tmp_path / "Dödligt våld 2016-2024.csv", wide_lines(GROUPS))
    checked = validate_file(path)   # recognised from its labels, no --source
    assert checked.spec.id == "bra_lethal_violence"
    pd.testing.assert_frame_equal(content(checked.observations), expected)
    meta = checked.table.meta
    assert meta["had_bom"] is True and meta["header_line"] == 3
    assert meta["title"] == "Konstaterade fall av dödligt våld, 2016–2024"
    assert meta["source_line"] == "Källa: Brå"
    assert meta["notes"] == ["1) Kvinnor omfattar även flickor under 15 år.",
                             "2) Uppgifterna för 2024 avser det nya kategoriseringssättet."]
    located = checked.observations.set_index(["year", "sex", "relation"])["location"]
    assert located[(2016, "K", "partner")] == 'line 4, column "Kvinnor dödade av nuvarande eller tidigare partner 2)"'


def test_the_five_published_columns_give_those_cells_of_the_long_file(tmp_path, expected):
    """Read and mapped only: ``check_totals`` (validate_file) compares partner alone with the total."""
    path = write_csv(tmp_path / "bra.csv", wide_lines(PUBLISHED))
    spec = load_sources()["bra_lethal_violence"]
    table = read_source_table(path.read_bytes(), file=path.name, spec=spec)
    got = content(table_to_observations(table, spec, file=path.name))
    assert len(got) == 5 * len(YEARS)
    pd.testing.assert_frame_equal(got, only(expected, PUBLISHED))


def test_columns_in_another_order_comma_cp1252_lf(tmp_path, expected):
    order = list(GROUPS.items())
    random.Random(8).shuffle(order)
    groups = dict(order)
    lines = [line for line in wide_lines(groups, delimiter=",")]
    lines[2] = ",".join(["År", *(f'"{label}"' if "," in label else label for label in groups.values())])
    path = write_csv(tmp_path / "bra_komma.csv", lines, encoding="cp1252", newline="\n")
    got = validate_file(path, source_id="bra_lethal_violence")
    assert got.table.meta["delimiter"] == ","
    pd.testing.assert_frame_equal(content(got.observations), expected)


def test_rotated_years_as_columns_groups_as_rows(tmp_path, expected):
    """The same table turned: an empty top-left cell, years across, one row per group."""
    lines = ["Tabell 2. Dödligt våld efter brottsoffrets kön och relation;;",
             ";".join(["", *YEARS[:-1], f"{YEARS[-1]}¹"])]   # a footnote mark on the last year
    lines += [";".join([label, *(COUNTS[(year, *group)] for year in YEARS)]) for group, label in GROUPS.items()]
    lines += ["Källa: Brå, Konstaterade fall av dödligt våld"]
    path = write_csv(tmp_path / "roterad.csv", lines)
    got = validate_file(path)
    assert got.spec.id == "bra_lethal_violence"
    pd.testing.assert_frame_equal(content(got.observations), expected)
    assert got.table.meta["source_line"] == "Källa: Brå, Konstaterade fall av dödligt våld"


def test_years_inside_the_labels(tmp_path, expected):
    """PxWeb-style headers: "2019 Kvinnor" (year first) and "Kvinnor 2019" (year last) in one row."""
    header, values = [], []
    for i, year in enumerate(YEARS):
        for group, label in GROUPS.items():
            header.append(f"{year} {label}" if i % 2 else f"{label} {year}")
            values.append(COUNTS[(year, *group)])
    path = write_csv(tmp_path / "en_rad.csv", [";".join(header), ";".join(values)])
    got = validate_file(path, source_id="bra_lethal_violence")
    pd.testing.assert_frame_equal(content(got.observations), expected)


RELATION_LABELS = {"T": "Samtliga", "partner": "Partner eller tidigare partner", "other": "Annan relation eller okänd"}
SEX_COLUMNS = {"K": "Kvinnor", "M": "Män", "T": "Samtliga brottsoffer"}


def test_relations_in_rows_and_sex_in_columns(tmp_path, expected):
    """"Kvinnor" is sex K with relation T; in a table with a Relation column the row's relation applies."""
    lines = [";".join(["År", "Relation", *SEX_COLUMNS.values()])]
    lines += [";".join([year, label, *(COUNTS[(year, sex, relation)] for sex in SEX_COLUMNS)])
              for year in YEARS for relation, label in RELATION_LABELS.items()]
    got = validate_file(write_csv(tmp_path / "relation_rader.csv", lines), source_id="bra_lethal_violence")
    pd.testing.assert_frame_equal(content(got.observations), expected)
    # SCB's PxWeb style of the same: one row per relation, "Kvinnor 2016" … "Samtliga brottsoffer 2024"
    header = ["Relation", *(f"{label} {year}" for year in YEARS for label in SEX_COLUMNS.values())]
    lines = [";".join(header)]
    lines += [";".join([label, *(COUNTS[(year, sex, relation)] for year in YEARS for sex in SEX_COLUMNS)])
              for relation, label in RELATION_LABELS.items()]
    got = validate_file(write_csv(tmp_path / "pxweb.csv", lines), source_id="bra_lethal_violence")
    pd.testing.assert_frame_equal(content(got.observations), expected)


def test_long_file_with_title_footnotes_and_source_line(tmp_path, expected):
    """Notes below a long table are metadata, not rows that fail as numbers."""
    body = LONG.read_text(encoding="utf-8-sig").strip().split("\n")
    lines = ["Dödligt våld, brottsoffer efter kön och relation, 2016–2024", *[b.rstrip("\r") for b in body],
             "", "Anm. Samtliga = kvinnor och män.;;;", "Källa: Brå;;;"]
    path = write_csv(tmp_path / "lang_med_noter.csv", lines)
    got = validate_file(path)
    assert got.spec.id == "bra_lethal_violence"
    pd.testing.assert_frame_equal(content(got.observations), expected)
    assert got.table.meta["notes"] == ["Anm. Samtliga = kvinnor och män."]
    assert got.table.meta["source_line"] == "Källa: Brå"


def test_a_comma_in_the_title_and_in_one_label_does_not_make_the_file_comma_separated():
    data = "Dödligt våld, 2016–2024\nÅr;Samtliga brottsoffer;Män, totalt\n2016;106;79\n2017;113;86\nKälla: Brå\n"
    f = read_delimited(data.encode(), file="t.csv")
    assert (f.delimiter, f.header_line, f.header) == (";", 2, ["År", "Samtliga brottsoffer", "Män, totalt"])
    assert [line for line, _ in f.rows] == [3, 4] and f.footnotes == ["Källa: Brå"]


def test_a_file_cut_short_is_still_an_error_not_a_note():
    """Only text a person wrote is a note: a last line "2024" is a row cut short, and is refused."""
    with pytest.raises(ReaderError) as caught:
        read_delimited("År;Kvinnor;Män\n2023;20;60\n2024\n".encode(), file="kort.csv")
    assert (caught.value.key, caught.value.location) == ("reader.csv.ragged_row", "line 3")
    f = read_delimited("År;Kvinnor;Män\n2023;20;60\nUppgifterna för 2023 är slutliga\n".encode(), file="n.csv")
    assert [line for line, _ in f.rows] == [2] and f.footnotes == ["Uppgifterna för 2023 är slutliga"]


def test_mvk_validate_accepts_the_wide_table_and_names_the_refused_column(tmp_path):
    good = write_csv(tmp_path / "Dödligt våld, bred tabell.csv", wide_lines(GROUPS))
    out = ["--out", str(tmp_path / "build")]   # an empty output folder: no other run's warehouse lock
    done = run_mvk("validate", str(good), *out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "bra_lethal_violence" in done.stdout and "81" in done.stdout
    lines = wide_lines(PUBLISHED)
    lines[2] += ";Kvinnor dödade av en släkting"
    lines[3:3 + len(YEARS)] = [line + ";1" for line in lines[3:3 + len(YEARS)]]
    bad = write_csv(tmp_path / "ny_grupp.csv", lines)
    done = run_mvk("validate", str(bad), *out, "--lang", "sv")
    assert done.returncode != 0
    said = done.stdout + done.stderr
    assert 'ny_grupp.csv, rad 3, kolumn "Kvinnor dödade av en släkting"' in said
    assert '"Kvinnor dödade av nuvarande eller tidigare partner"' in said


# --- XLSX -----------------------------------------------------------------------------------------


def workbook_bytes(rows: list[list[object]], merges: tuple[str, ...] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tabell 1"
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_rows(data: bytes, file: str) -> pd.DataFrame:
    spec = xlsx_spec()
    return content(table_to_observations(read_source_table(data, file=file, spec=spec), spec, file=file))


def wide_sheet(groups: dict) -> list[list[object]]:
    rows: list[list[object]] = [["Konstaterade fall av dödligt våld 2016–2024"], [], ["År", *groups.values()]]
    rows += [[int(year), *(int(COUNTS[(year, *group)]) for group in groups)] for year in YEARS]
    return rows + [[], ["1) Kvinnor omfattar även flickor under 15 år."], ["Källa: Brå"]]


def test_xlsx_wide_table_gives_the_long_observations(expected):
    data = workbook_bytes(wide_sheet(GROUPS))
    spec = xlsx_spec()
    table = read_source_table(data, file="bra.xlsx", spec=spec)
    assert table.meta["title"] == "Konstaterade fall av dödligt våld 2016–2024"
    assert table.meta["source_line"] == "Källa: Brå"
    assert table.meta["notes"] == ["1) Kvinnor omfattar även flickor under 15 år."]
    observations = table_to_observations(table, spec, file="bra.xlsx")
    pd.testing.assert_frame_equal(content(observations), expected)
    assert set(observations[(observations["year"] == 2016) & (observations["sex"] == "K")]["location"]) == {
        "Tabell 1!C4", "Tabell 1!F4", "Tabell 1!I4"}


def test_xlsx_rotated_with_empty_corner_cell(expected):
    rows: list[list[object]] = [["Tabell 2. Dödligt våld"], [None, *(int(y) for y in YEARS)]]
    rows += [[label, *(int(COUNTS[(year, *group)]) for year in YEARS)] for group, label in GROUPS.items()]
    rows += [[], ["Källa: Brå"]]
    pd.testing.assert_frame_equal(xlsx_rows(workbook_bytes(rows), "roterad.xlsx"), expected)


def test_xlsx_group_merged_over_the_years(expected):
    """Two header rows: "Kvinnor" merged over 2016…2024, the years below: flattened to "Kvinnor 2016"."""
    top, years, values = [], [], []
    merges = []
    for g, (group, label) in enumerate(GROUPS.items()):
        first = 1 + g * len(YEARS)
        top += [label] + [None] * (len(YEARS) - 1)
        years += [int(y) for y in YEARS]
        values += [int(COUNTS[(year, *group)]) for year in YEARS]
        merges.append(f"{column_letter(first)}2:{column_letter(first + len(YEARS) - 1)}2")
    rows = [["Dödligt våld efter kön, relation och år"], top, years, values, ["Källa: Brå"]]
    pd.testing.assert_frame_equal(xlsx_rows(workbook_bytes(rows, tuple(merges)), "sammanslagen.xlsx"), expected)


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


# --- refusals -------------------------------------------------------------------------------------


def assert_message(error: ReaderError, file: str, *parts: str) -> None:
    for lang in ("sv", "en"):
        text = error.message(lang)
        assert file in text and localise_location(error.location, lang) in text, text
        for part in parts:
            assert part in text, text


def test_unknown_combined_column_is_refused_with_its_cell_and_the_labels_expected(tmp_path):
    groups = {**PUBLISHED, ("K", "family"): "Kvinnor dödade av en familjemedlem"}
    lethal = dict(PUBLISHED)
    lines = wide_lines(lethal)
    lines[2] += ";Kvinnor dödade av en familjemedlem"
    lines[3:3 + len(YEARS)] = [line + ";4" for line in lines[3:3 + len(YEARS)]]
    path = write_csv(tmp_path / "ny_kategori.csv", lines)
    with pytest.raises(ReaderError) as caught:
        validate_file(path, source_id="bra_lethal_violence")
    error = caught.value
    assert error.key == "layouts.unknown_column"
    assert (error.location, error.found) == ('line 3, column "Kvinnor dödade av en familjemedlem"',
                                             groups[("K", "family")])
    assert '"År"' in error.expected and '"Kvinnor dödade av nuvarande eller tidigare partner"' in error.expected
    assert_message(error, "ny_kategori.csv", "Kvinnor dödade av en familjemedlem",
                   "Kvinnor dödade av nuvarande eller tidigare partner")
    assert "rad 3" in error.message("sv")

    sheet = wide_sheet(PUBLISHED)
    sheet[2].append("Kvinnor dödade av en familjemedlem")
    for row in sheet[3:3 + len(YEARS)]:
        row.append(4)
    with pytest.raises(ReaderError) as caught:
        xlsx_rows(workbook_bytes(sheet), "ny_kategori.xlsx")
    assert (caught.value.key, caught.value.location) == ("layouts.unknown_column", "Tabell 1!G3")
    assert_message(caught.value, "ny_kategori.xlsx", "Tabell 1!G3")


def test_unknown_group_in_a_rotated_table_is_refused_at_its_row(tmp_path):
    lines = [";".join(["", *YEARS])]
    lines += [";".join([label, *(COUNTS[(year, *group)] for year in YEARS)]) for group, label in PUBLISHED.items()]
    lines.insert(3, ";".join(["Flickor under 15 år", *("1" for _ in YEARS)]))
    path = write_csv(tmp_path / "roterad_ny.csv", lines)
    with pytest.raises(ReaderError) as caught:
        validate_file(path, source_id="bra_lethal_violence")
    error = caught.value
    assert (error.key, error.location, error.found) == ("layouts.unknown_row", 'line 4, column ""',
                                                        "Flickor under 15 år")
    assert_message(error, "roterad_ny.csv", "Samtliga brottsoffer")


def test_a_dimension_given_twice_is_refused(tmp_path):
    """A "Kön" column and columns whose labels also say the sex: which one would be right?"""
    lines = ["År;Kön;Samtliga brottsoffer;Kvinnor dödade av nuvarande eller tidigare partner", "2016;Kvinnor;27;13"]
    path = write_csv(tmp_path / "dubbel.csv", lines)
    with pytest.raises(ReaderError) as caught:
        validate_file(path, source_id="bra_lethal_violence")
    assert (caught.value.key, caught.value.found, caught.value.expected) == (
        "layouts.conflicting_codes", "sex", "Kön")
    assert_message(caught.value, "dubbel.csv", "Kön")


def test_a_wide_table_without_the_year_is_refused(tmp_path):
    path = write_csv(tmp_path / "utan_ar.csv", ["Samtliga brottsoffer;Kvinnor", "106;27"])
    with pytest.raises(ReaderError) as caught:
        validate_file(path, source_id="bra_lethal_violence")
    assert (caught.value.key, caught.value.expected) == ("ingest.missing_dimension", "År / Year")


# --- the spec -------------------------------------------------------------------------------------


def lethal_doc() -> dict:
    return yaml.safe_load((SOURCES_DIR / "bra_lethal_violence.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("columns", "says"),
    [
        ({"Kvinnor": {"sex": "K", "relation": "partnr"}}, "columns → 'Kvinnor' → relation: unknown code 'partnr'"),
        ({"Kvinnor": {"sex": "W", "relation": "T"}}, "columns → 'Kvinnor' → sex: unknown code 'W'"),
        ({"Kvinnor": {"kön": "K"}}, "columns → 'Kvinnor' → kön: not a dimension of this source's layout"),
        ({"Kvinnor": {"sex": "K", "measure": "x"}}, "columns → 'Kvinnor' → measure"),
        ({"Kvinnor": "K"}, "columns → 'Kvinnor': expected {dimension: code}"),
        ({"Kvinnor": {"sex": "K", "relation": "T"}, "Män": {"sex": "M"}},
         "columns → 'Män': names the dimensions sex, but 'Kvinnor' names relation, sex"),
        ({"Kvinnor": {"sex": "K", "relation": "T"}, "KVINNOR¹": {"sex": "K", "relation": "T"}},
         "columns → 'KVINNOR¹': the same label as 'Kvinnor'"),
        ({"Kvinnor 2019": {"sex": "K", "relation": "T", "year": "19"}}, "→ year: expected a four-digit year"),
        (["Kvinnor"], "columns: expected a mapping"),
    ],
)
def test_a_bad_columns_mapping_is_refused_when_the_catalogue_loads(columns, says):
    doc = lethal_doc() | {"columns": columns}
    with pytest.raises(ValueError) as caught:
        parse_source_spec(doc)
    assert str(caught.value).startswith("bra_lethal_violence.yaml: columns")
    assert says in str(caught.value)


def test_the_shipped_mapping_covers_every_group_of_the_long_table():
    spec = load_sources()["bra_lethal_violence"]
    assert {(codes["sex"], codes["relation"]) for codes in spec.columns.values()} == set(GROUPS)
    assert spec.columns["Kvinnor dödade av nuvarande eller tidigare partner"] == {"sex": "K", "relation": "partner"}


# --- detection ------------------------------------------------------------------------------------


def test_nearest_source_is_named_by_shared_names_and_value_labels(tmp_path):
    """A lethal-violence file whose column names are a little off: suggest bra_lethal_violence."""
    text = LONG.read_text(encoding="utf-8-sig").replace(
        "År;Brottsoffrets kön;Relation;Antal brottsoffer", "Årtal;Offrets kön;Relation till förövaren;Antal dödade")
    with pytest.raises(ReaderError) as caught:
        detect_source(text.encode("utf-8"), "dodligt_vald.csv")
    error = caught.value
    assert error.key == "ingest.no_matching_source"
    assert error.expected.startswith("bra_lethal_violence: ")
    assert "Brottsoffrets kön / Kön" in error.expected
    for lang in ("sv", "en"):
        assert "dodligt_vald.csv" in error.message(lang) and "bra_lethal_violence" in error.message(lang)


def test_plain_sex_columns_are_not_taken_for_lethal_violence(tmp_path):
    """"Kvinnor" and "Män" are any source's labels: only a label no code list uses identifies the table."""
    data = "År;Kvinnor;Män;Samtliga\n2021;12;9;21\n2022;14;8;22\n".encode()
    try:
        spec = detect_source(data, "andelar.csv")
    except ReaderError as error:
        assert error.key in ("ingest.no_matching_source", "ingest.ambiguous_source")
    else:
        assert spec.id != "bra_lethal_violence"
