"""Delimited (CSV) reader and the Swedish number/marker parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.readers import (
    Cell,
    ReaderError,
    Table,
    delimited_to_table,
    parse_number,
    read_delimited,
)
from indicators.readers.model import localise_location

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
SCB_MARKERS = ("..", ".", "–", "-", "x")


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def cell(table: Table, *codes: str) -> Cell:
    matches = [c for c in table.cells if c.codes == codes]
    assert len(matches) == 1, codes
    return matches[0]


# --- numbers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("1 205", 1205.0),
        ("37 908", 37908.0),
        ("1\u00a0205", 1205.0),
        ("1\u202f234\u202f567", 1234567.0),
        ("1\u2009205", 1205.0),
        ("\u00a015,2 ", 15.2),
        ("2974.0", 2974.0),
        ("1.234", 1.234),
        ("1,234", 1.234),
        ("-3", -3.0),
        ("\u22124,7", -4.7),
        ("+2", 2.0),
        ("1 234,5", 1234.5),
        (",5", 0.5),
        ("0", 0.0),
        ("1e-05", 0.00001),
        ("\t42\t", 42.0),
    ],
)
def test_parse_number_values(token: str, value: float) -> None:
    got, symbol = parse_number(token, ())
    assert symbol is None and got == pytest.approx(value)


@pytest.mark.parametrize(
    "token",
    ["1,234,5", "1.234.567", "12 34", "1  205", "abc", "4,7 %", "5,", "1,5e3", "--3", "1 2345", "1-2", "x"],
)
def test_parse_number_refuses(token: str) -> None:
    with pytest.raises(ValueError):
        parse_number(token, ())


def test_parse_number_markers_and_empty() -> None:
    assert parse_number(" .. ", SCB_MARKERS) == (None, "..")
    assert parse_number("–", SCB_MARKERS) == (None, "–")
    assert parse_number("-", SCB_MARKERS) == (None, "-")
    assert parse_number("x", SCB_MARKERS) == (None, "x")
    assert parse_number("\u00a0", SCB_MARKERS) == (None, "")
    assert parse_number("", ()) == (None, "")
    assert parse_number("-5", SCB_MARKERS) == (-5.0, None)
    with pytest.raises(ValueError):
        parse_number("X", SCB_MARKERS)  # exact match only


# --- read_delimited -------------------------------------------------------------------------------


def test_semicolon_bom_crlf_title_lines() -> None:
    f = read_delimited(fixture("semicolon_bom.csv"), file="semicolon_bom.csv")
    assert (f.delimiter, f.encoding, f.had_bom) == (";", "utf-8-sig", True)
    assert f.header == ["Län", "Kön", "Antal", "Andel"]
    assert f.header_line == 3
    assert f.title_lines == ["Anmälda brott mot kvinnor 2023;;;", ";;;"]
    assert [line for line, _ in f.rows] == [4, 5, 6, 7]
    assert f.rows[0][1] == ["Stockholms län", "Kvinnor", "1\u00a0205", "15,2"]


def test_semicolon_table_long_format() -> None:
    f = read_delimited(fixture("semicolon_bom.csv"), file="semicolon_bom.csv")
    antal = delimited_to_table(f, file="semicolon_bom.csv", dimension_columns=["Län", "Kön"],
                               value_column="Antal", markers=SCB_MARKERS)
    assert antal.format == "csv" and antal.encoding == "utf-8-sig"
    assert antal.meta["delimiter"] == ";" and antal.meta["had_bom"] is True
    assert [d.name for d in antal.dimensions] == ["Län", "Kön"]
    assert antal.dimensions[0].codes() == ("Stockholms län", "Uppsala län")
    assert antal.dimensions[1].categories[0].label == "Kvinnor"
    assert [(c.value, c.symbol) for c in antal.cells] == [
        (1205.0, None), (37908.0, None), (None, ".."), (1234.5, None)]
    assert cell(antal, "Uppsala län", "Kvinnor").location == 'line 6, column "Antal"'
    andel = delimited_to_table(f, file="semicolon_bom.csv", dimension_columns=["Län", "Kön"],
                               value_column="Andel")
    assert [(c.value, c.symbol) for c in andel.cells] == [
        (15.2, None), (-0.5, None), (None, ""), (2974.0, None)]


def test_comma_cp1252_quoted_fields_and_markers() -> None:
    f = read_delimited(fixture("comma_cp1252.csv"), file="comma_cp1252.csv")
    assert (f.delimiter, f.encoding, f.had_bom) == (",", "cp1252", False)
    assert f.header == ["Region", "Brottskategori, typ", "År", "Antal"]
    table = delimited_to_table(f, file="comma_cp1252.csv",
                               dimension_columns=["Region", "Brottskategori, typ", "År"],
                               markers=SCB_MARKERS, time_dimension="År")
    assert table.dimensions[0].codes() == ("Västra Götalands län", "Örebro län", "Skåne län")
    assert table.dimensions[2].is_time and not table.dimensions[0].is_time
    assert [(c.value, c.symbol) for c in table.cells] == [
        (412.0, None), (None, "x"), (None, "–"), (None, "-")]
    assert table.cells[1].codes == ("Örebro län", "Misshandel, grov", "2023")
    assert table.cells[2].location == 'line 4, column "Antal"'


def test_wide_format_years_as_columns() -> None:
    f = read_delimited(fixture("wide_years.csv"), file="wide_years.csv")
    assert f.delimiter == "\t"
    table = delimited_to_table(f, file="wide_years.csv", dimension_columns=["Region", "Kön"],
                               wide_dimension="År", markers=SCB_MARKERS, time_dimension="År")
    assert [d.name for d in table.dimensions] == ["Region", "Kön", "År"]
    assert table.dimensions[2].codes() == ("2021", "2022", "2023") and table.dimensions[2].is_time
    assert len(table.cells) == table.expected_cell_count() == 6
    assert cell(table, "Riket", "Kvinnor", "2021").value == 1744
    assert cell(table, "Riket", "Kvinnor", "2023").value == pytest.approx(4.7)
    assert [c.symbol for c in table.cells if c.value is None] == ["..", ".", "x", "–"]
    assert cell(table, "Riket", "Män", "2022").location == 'line 3, column "2022"'


def test_sep_hint_trailing_delimiters_and_quoted_newline() -> None:
    data = 'sep=;\nRegion;Not;Antal;\nRiket;"två\nrader";5;\nSkåne;ingen;6;\n'.encode()
    f = read_delimited(data, file="hint.csv")
    assert f.delimiter == ";" and f.header == ["Region", "Not", "Antal"] and f.header_line == 2
    assert f.title_lines == []
    assert f.rows == [(3, ["Riket", "två\nrader", "5"]), (5, ["Skåne", "ingen", "6"])]


def test_decimal_commas_do_not_win_the_delimiter_vote() -> None:
    data = "Region;Andel\nRiket;15,2\nSkåne;3,1\n".encode()
    f = read_delimited(data, file="andel.csv")
    assert f.delimiter == ";" and f.header == ["Region", "Andel"]


def test_single_value_column_is_found_without_naming_it() -> None:
    f = read_delimited("Region;År;Antal\nRiket;2022;10\n".encode(), file="ok.csv")
    table = delimited_to_table(f, file="ok.csv", dimension_columns=["Region", "År"])
    assert [c.value for c in table.cells] == [10.0]


def test_layout_arguments_are_checked() -> None:
    f = read_delimited(fixture("wide_years.csv"), file="wide_years.csv")
    with pytest.raises(ValueError):
        delimited_to_table(f, file="w.csv", dimension_columns=["Region"], value_column="2021",
                           wide_dimension="År")
    with pytest.raises(ValueError):
        delimited_to_table(f, file="w.csv", dimension_columns=["Region", "Kön"])


# --- broken files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key", "location", "found", "expected"),
    [
        ("ragged.csv", "reader.csv.ragged_row", "line 3", "4", "3"),
        ("empty.csv", "reader.empty_file", "line 1", "0", "PX/CSV"),
    ],
)
def test_broken_csv_file(name: str, key: str, location: str, found: str, expected: str) -> None:
    with pytest.raises(ReaderError) as caught:
        read_delimited(fixture(name), file=name)
    error = caught.value
    assert (error.key, error.location, error.found, error.expected) == (key, location, found, expected)
    for lang in ("sv", "en"):
        assert name in error.message(lang) and localise_location(location, lang) in error.message(lang)


def test_non_numeric_value() -> None:
    f = read_delimited(fixture("bad_number.csv"), file="bad_number.csv")
    with pytest.raises(ReaderError) as caught:
        delimited_to_table(f, file="bad_number.csv", dimension_columns=["Region", "År"], value_column="Antal",
                           markers=("..",))
    error = caught.value
    assert (error.key, error.location, error.found, error.expected) == (
        "reader.csv.bad_number", 'line 3, column "Antal"', "elva", '"" ".."')
    for lang in ("sv", "en"):
        text = error.message(lang)
        assert "bad_number.csv" in text and localise_location('line 3, column "Antal"', lang) in text and "elva" in text


@pytest.mark.parametrize(
    ("data", "key", "location"),
    [
        (b"bara en rad utan avgransare\noch en till\n", "reader.csv.no_delimiter", "line 1"),
        (b"a;b;a\n1;2;3\n", "reader.csv.duplicate_column", "line 1"),
        (b'a;b\n1;"aldrig slut\n2;3\n', "reader.csv.bad_quote", "line 2"),
        (b'a;b\n1;2\n3;"ab"c\n', "reader.csv.bad_quote", "line 3"),
        (b"a;b\n1;\x00\n", "reader.undecodable", "line 2, byte 7"),
        (b" \r\n\r\n", "reader.empty_file", "line 1"),
    ],
)
def test_broken_csv_bytes(data: bytes, key: str, location: str) -> None:
    with pytest.raises(ReaderError) as caught:
        read_delimited(data, file="broken.csv")
    assert (caught.value.key, caught.value.location) == (key, location)
    assert "broken.csv" in caught.value.message("sv") and location in caught.value.message("en")


def test_missing_column() -> None:
    f = read_delimited(fixture("wide_years.csv"), file="wide_years.csv")
    with pytest.raises(ReaderError) as caught:
        delimited_to_table(f, file="wide_years.csv", dimension_columns=["Län"], value_column="2021")
    assert (caught.value.key, caught.value.location, caught.value.expected) == (
        "reader.csv.missing_column", "line 1", "Län")
    assert "Region, Kön, 2021, 2022, 2023" in caught.value.message("en")
