"""XLSX reader: sheets, title rows, merged two-row headers, footnotes, markers, numbers stored as text."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import pickle
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from indicators.readers.delimited import DelimitedFile, delimited_to_table, read_delimited
from indicators.readers.model import Cell, ReaderError, Table
from indicators.readers.xlsx import XlsxFile, read_xlsx, xlsx_to_table

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers" / "xlsx"
MARKERS = ("..", ".", "–", "-", "x")


def _load_maker():
    spec = importlib.util.spec_from_file_location("make_xlsx_fixtures", FIXTURES / "make_xlsx_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


maker = _load_maker()


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def cell(table: Table, *codes: str) -> Cell:
    matches = [c for c in table.cells if c.codes == codes]
    assert len(matches) == 1, codes
    return matches[0]


def workbook_bytes(rows: list[list[object]], title: str = "Blad1") -> bytes:
    wb = Workbook()
    maker.sheet(wb, title, rows, first=True)
    return maker.to_bytes(wb)


# --- the fixtures ----------------------------------------------------------------------------------


def test_fixtures_are_deterministic_and_committed() -> None:
    first, second = maker.build(), maker.build()
    assert first == second
    for name in first:
        assert (FIXTURES / name).is_file(), f"run make_xlsx_fixtures.py: {name} is missing"


# --- layouts ---------------------------------------------------------------------------------------


def test_plain_long_table() -> None:
    f = read_xlsx(fixture("long.xlsx"), file="long.xlsx")
    assert isinstance(f, DelimitedFile) and isinstance(f, XlsxFile)
    assert f.sheet == "Blad1" and f.sheets == ["Blad1"]
    assert f.header == ["Kommunkod", "År", "Kön", "Antal", "Andel"]
    assert f.header_line == 1 and f.title_lines == [] and f.footnotes == []
    assert (f.encoding, f.delimiter, f.had_bom) == ("xlsx", "", False)
    assert f.rows[0] == (2, ["0180", "2022", "Kvinnor", "1205", "15.2"])
    # a float that is an integer loses ".0"; a code stored as text keeps its leading zero
    assert f.rows[2] == (4, ["0180", "2023", "Kvinnor", "1302", "16"])
    assert f.rows[-1] == (7, ["1280", "2023", "Kvinnor", "0", "0"])
    assert f.cell_locations is not None and f.cell_locations(7, "Andel") == "Blad1!E7"


def test_long_table_to_cells_with_sheet_locations() -> None:
    f = read_xlsx(fixture("long.xlsx"), file="long.xlsx")
    table = delimited_to_table(f, file="long.xlsx", dimension_columns=["Kommunkod", "År", "Kön"],
                               value_column="Antal", time_dimension="År")
    assert table.encoding == "xlsx" and table.meta["delimiter"] == ""
    assert table.dimension("Kommunkod").codes() == ("0180", "1280")
    assert table.dimension("År").is_time
    got = cell(table, "0180", "2023", "Män")
    assert (got.value, got.symbol, got.location) == (1010.0, None, "Blad1!D5")
    assert cell(table, "1280", "2023", "Kvinnor").value == 0.0
    shares = delimited_to_table(f, file="long.xlsx", dimension_columns=["Kommunkod", "År", "Kön"],
                                value_column="Andel")
    assert cell(shares, "0180", "2023", "Män").value == pytest.approx(12.75)
    assert cell(shares, "0180", "2022", "Kvinnor").location == "Blad1!E2"


def test_title_rows_and_footnotes() -> None:
    f = read_xlsx(fixture("titled.xlsx"), file="titled.xlsx")
    assert f.sheet == "Tabell 3"
    assert f.title_lines == [
        "Tabell 3. Andel kommuner med rutiner för våld i nära relationer, efter län, 2023",
        "Källa: Socialstyrelsen, Öppna jämförelser",
    ]
    assert f.header_line == 4
    assert f.header == ["Län", "Kommuner", "Andel (%)", "Andel"]
    assert [line for line, _ in f.rows] == [5, 6, 7, 8]
    # text only in the first column right after the table, and anything after an empty row
    assert f.footnotes == [
        "Anm. Andelen avser kommuner som besvarat enkäten.",
        "Källa: Socialstyrelsen",
        "1) Uppgift saknas för kommuner som inte svarat.",
    ]
    assert f.percent_columns == ["Andel"]  # shown as 84,6 %, stored and read as 0.846
    table = delimited_to_table(f, file="titled.xlsx", dimension_columns=["Län"], value_column="Andel (%)",
                               markers=MARKERS)
    assert cell(table, "Uppsala län").value == 75.0
    gotland = cell(table, "Gotlands län")
    assert (gotland.value, gotland.symbol, gotland.location) == (None, "..", "Tabell 3!C7")
    assert cell(table, "Örebro län").location == "Tabell 3!C8"


def test_two_row_merged_header_is_flattened() -> None:
    f = read_xlsx(fixture("wide_sex.xlsx"), file="wide_sex.xlsx")
    assert f.header == ["Län", "Kvinnor 2022", "Kvinnor 2023", "Män 2022", "Män 2023"]
    assert f.header_line == 3 and [line for line, _ in f.rows] == [5, 6, 7]
    assert f.title_lines == ["Tabell 1. Anmälda brott om grov kvinnofridskränkning efter län och kön, 2022–2023"]
    assert f.footnotes == ["x = sekretess, .. = uppgift saknas, – = inget finns att redovisa"]
    table = delimited_to_table(f, file="wide_sex.xlsx", dimension_columns=["Län"], wide_dimension="Kön och år",
                               markers=MARKERS)
    assert table.dimension("Kön och år").codes() == ("Kvinnor 2022", "Kvinnor 2023", "Män 2022", "Män 2023")
    assert len(table.cells) == table.expected_cell_count() == 12
    got = cell(table, "Gotlands län", "Kvinnor 2023")
    assert (got.value, got.symbol, got.location) == (7.0, None, "Blad1!C7")
    assert cell(table, "Stockholms län", "Kvinnor 2022").value == 1205.0


def test_markers_stay_markers_never_zero() -> None:
    f = read_xlsx(fixture("wide_sex.xlsx"), file="wide_sex.xlsx")
    table = delimited_to_table(f, file="wide_sex.xlsx", dimension_columns=["Län"], wide_dimension="Kön och år",
                               markers=MARKERS)
    for codes, symbol, location in [
        (("Stockholms län", "Män 2022"), "..", "Blad1!D5"),
        (("Stockholms län", "Män 2023"), "x", "Blad1!E5"),
        (("Uppsala län", "Kvinnor 2023"), "–", "Blad1!C6"),
        (("Gotlands län", "Kvinnor 2022"), "x", "Blad1!B7"),
    ]:
        got = cell(table, *codes)
        assert (got.value, got.symbol, got.location) == (None, symbol, location)


def test_unmerged_two_row_header_carries_the_group_right() -> None:
    f = read_xlsx(fixture("wide_unmerged.xlsx"), file="wide_unmerged.xlsx")
    assert f.header == ["Kommun", "Kvinnor 2022", "Kvinnor 2023", "Män 2022", "Män 2023"]
    assert f.rows[0] == (3, ["Lund", "10", "11", "4", "5"])


def test_contents_sheets_are_skipped_and_the_table_may_start_anywhere() -> None:
    f = read_xlsx(fixture("contents_first.xlsx"), file="contents_first.xlsx")
    assert f.sheets == ["Innehåll", "Om statistiken", "Teckenförklaring", "Hjälp", "Tabell 1"]
    assert f.sheet == "Tabell 1"  # not the text sheets, nor the hidden helper with a table
    assert f.header == ["Huvudbrott", "Kön", "2022", "2023"]
    assert f.header_line == 3 and f.title_lines == ["Tabell 1. Intagna efter huvudbrott och kön"]
    assert f.footnotes == ["Källa: Kriminalvården"]
    table = delimited_to_table(f, file="contents_first.xlsx", dimension_columns=["Huvudbrott", "Kön"],
                               wide_dimension="År", time_dimension="År")
    got = cell(table, "Misshandel", "Män", "2023")
    assert (got.value, got.location) == (1101.0, "Tabell 1!E6")
    assert cell(table, "Grov kvinnofridskränkning", "Kvinnor", "2022").location == "Tabell 1!D4"


def test_a_named_sheet_is_read_even_when_hidden() -> None:
    f = read_xlsx(fixture("contents_first.xlsx"), file="contents_first.xlsx", sheet="Hjälp")
    assert f.sheet == "Hjälp" and f.header == ["Kod", "Värde"] and f.rows == [(2, ["a", "1"]), (3, ["b", "2"])]


def test_numbers_stored_as_text_with_decimal_comma_and_nbsp() -> None:
    f = read_xlsx(fixture("text_numbers.xlsx"), file="text_numbers.xlsx")
    assert f.rows[0] == (2, ["Stockholm", "1\u00a0205", "15,2"])  # kept as the text the cell holds
    table = delimited_to_table(f, file="text_numbers.xlsx", dimension_columns=["Kommun"], wide_dimension="Mått",
                               markers=MARKERS)
    expected = {
        ("Stockholm", "Antal"): 1205.0, ("Stockholm", "Andel"): 15.2,
        ("Göteborg", "Antal"): 37908.0, ("Göteborg", "Andel"): 4.7,
        ("Malmö", "Antal"): 2104567.0, ("Malmö", "Andel"): -0.5,
        ("Lund", "Andel"): 0.0,
    }
    for codes, value in expected.items():
        assert cell(table, *codes).value == pytest.approx(value)
    assert cell(table, "Kiruna", "Antal").symbol == "x"
    assert cell(table, "Kiruna", "Andel").symbol == ".."
    assert cell(table, "Lund", "Antal").symbol == "–"
    assert cell(table, "Malmö", "Antal").location == "Blad1!B4"


def test_values_become_csv_text_without_locale() -> None:
    data = workbook_bytes([
        ["Kod", "Värde"],
        ["heltal som flyttal", 2.0],
        ["summa", 0.1 + 0.2],
        ["litet", 0.00001],
        ["stort", 12345678901234],
        ["negativt", -3.5],
        ["datum", dt.datetime(2023, 1, 31)],
        ["tidpunkt", dt.datetime(2023, 1, 31, 12, 30)],
        ["sant", True],
        ["tomt", None],
        ["text", "  15,2 "],
    ])
    f = read_xlsx(data, file="values.xlsx")
    assert dict(f.rows[i][1] for i in range(len(f.rows))) == {
        "heltal som flyttal": "2",
        "summa": "0.3",
        "litet": "1e-05",
        "stort": "12345678901234",
        "negativt": "-3.5",
        "datum": "2023-01-31",
        "tidpunkt": "2023-01-31 12:30:00",
        "sant": "TRUE",
        "tomt": "",
        "text": "  15,2 ",
    }


def test_same_table_as_the_csv_reader() -> None:
    """An XLSX sheet and the CSV Swedish Excel would save from it give the same cells."""
    csv = "Län;2022;2023\r\nStockholms län;1 205;15,2\r\nUppsala län;..;3\r\n".encode()
    xlsx = workbook_bytes([["Län", 2022, 2023], ["Stockholms län", 1205, 15.2], ["Uppsala län", "..", 3]])
    options = {"dimension_columns": ["Län"], "wide_dimension": "År", "markers": MARKERS}
    from_csv = delimited_to_table(read_delimited(csv, file="a.csv"), file="a.csv", **options)
    from_xlsx = delimited_to_table(read_xlsx(xlsx, file="a.xlsx"), file="a.xlsx", **options)
    assert from_csv.dimensions == from_xlsx.dimensions
    assert [(c.codes, c.value, c.symbol) for c in from_csv.cells] == [
        (c.codes, c.value, c.symbol) for c in from_xlsx.cells]
    assert [c.location for c in from_xlsx.cells] == ["Blad1!B2", "Blad1!C2", "Blad1!B3", "Blad1!C3"]
    assert from_csv.cells[0].location == 'line 2, column "2022"'


def test_blank_rows_inside_the_table_are_skipped_not_the_end() -> None:
    data = workbook_bytes([["Län", "Antal"], ["A", 1], [], ["B", 2], [], ["Källa: SCB"]])
    f = read_xlsx(data, file="gap.xlsx")
    assert f.rows == [(2, ["A", "1"]), (4, ["B", "2"])]
    assert f.footnotes == ["Källa: SCB"]


def test_xlsx_to_table_adds_the_workbook_metadata() -> None:
    f = read_xlsx(fixture("titled.xlsx"), file="titled.xlsx")
    table = xlsx_to_table(f, file="titled.xlsx", dimension_columns=["Län"], value_column="Kommuner")
    assert table.format == "xlsx" and table.encoding == "xlsx"
    assert table.meta["sheet"] == "Tabell 3" and table.meta["percent_columns"] == ["Andel"]
    assert table.meta["footnotes"] == f.footnotes and table.meta["title_lines"] == f.title_lines
    assert cell(table, "Örebro län").value == 12.0


# --- errors ----------------------------------------------------------------------------------------


def _assert_names_file(error: ReaderError, file: str) -> None:
    for lang in ("sv", "en"):
        text = error.message(lang)
        assert file in text and error.location in text
        assert not re.search(r"\{[a-z]+\}", text), text
    assert pickle.loads(pickle.dumps(error)).key == error.key


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "key", "location", "found"),
    [
        ("renamed_text.xlsx", "reader.xlsx.not_xlsx", "byte 1", "Län;År;Antal"),
        ("text_only.xlsx", "reader.xlsx.no_table", "Om statistiken!A1", '"Om statistiken"'),
        ("empty.xlsx", "reader.xlsx.empty_sheet", "Sheet!A1", "0"),
        ("encrypted.xlsx", "reader.xlsx.encrypted", "byte 1", "EncryptedPackage"),
        ("legacy.xls", "reader.xlsx.legacy_xls", "byte 1", "OLE2 (.xls)"),
        ("duplicate_header.xlsx", "reader.xlsx.duplicate_column", "Blad1!C2", "Kvinnor 2023"),
        ("outside.xlsx", "reader.xlsx.outside_table", "Blad1!D3", "reviderad"),
    ],
)
def test_malformed_workbooks(name: str, key: str, location: str, found: str) -> None:
    with pytest.raises(ReaderError) as caught:
        read_xlsx(fixture(name), file=name)
    error = caught.value
    assert (error.key, error.location, error.found) == (key, location, found)
    _assert_names_file(error, name)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "reader.empty_file"),
        (fixture("long.xlsx")[:2000], "reader.xlsx.unreadable"),
        (_zip({"word/document.xml": "<w/>"}), "reader.xlsx.not_xlsx"),
        (_zip({"xl/workbook.xml": "not xml", "[Content_Types].xml": "<Types/>"}), "reader.xlsx.unreadable"),
    ],
)
def test_broken_files(data: bytes, key: str) -> None:
    with pytest.raises(ReaderError) as caught:
        read_xlsx(data, file="broken.xlsx")
    assert caught.value.key == key and caught.value.location == "byte 1"
    _assert_names_file(caught.value, "broken.xlsx")


def test_named_sheet_missing() -> None:
    with pytest.raises(ReaderError) as caught:
        read_xlsx(fixture("contents_first.xlsx"), file="contents_first.xlsx", sheet="Tabell 9")
    error = caught.value
    assert (error.key, error.location, error.found) == ("reader.xlsx.missing_sheet", "Tabell 9!A1", "Tabell 9")
    assert '"Tabell 1"' in error.expected and '"Innehåll"' in error.expected
    _assert_names_file(error, "contents_first.xlsx")


def test_named_sheet_without_a_table() -> None:
    with pytest.raises(ReaderError) as caught:
        read_xlsx(fixture("contents_first.xlsx"), file="contents_first.xlsx", sheet="Teckenförklaring")
    assert (caught.value.key, caught.value.location) == ("reader.xlsx.no_table", "Teckenförklaring!A1")


def test_named_empty_sheet() -> None:
    wb = Workbook()
    maker.sheet(wb, "Data", [["Län", "Antal"], ["A", 1]], first=True)
    wb.create_sheet("Tom")
    with pytest.raises(ReaderError) as caught:
        read_xlsx(maker.to_bytes(wb), file="tom.xlsx", sheet="Tom")
    assert (caught.value.key, caught.value.location) == ("reader.xlsx.empty_sheet", "Tom!A1")


def test_bad_value_is_located_by_cell() -> None:
    data = workbook_bytes([["Län", "Antal"], ["A", 1], ["B", "saknas"]])
    f = read_xlsx(data, file="bad.xlsx")
    with pytest.raises(ReaderError) as caught:
        delimited_to_table(f, file="bad.xlsx", dimension_columns=["Län"], value_column="Antal", markers=MARKERS)
    assert (caught.value.key, caught.value.location, caught.value.found) == (
        "reader.csv.bad_number", "Blad1!B3", "saknas")
    with pytest.raises(ReaderError) as caught:
        xlsx_to_table(f, file="bad.xlsx", dimension_columns=["Län"], value_column="Antal", markers=MARKERS)
    assert (caught.value.key, caught.value.location) == ("reader.xlsx.bad_number", "Blad1!B3")
    _assert_names_file(caught.value, "bad.xlsx")
    with pytest.raises(ReaderError) as caught:
        xlsx_to_table(f, file="bad.xlsx", dimension_columns=["Kommun"], value_column="Antal")
    assert (caught.value.key, caught.value.location) == ("reader.xlsx.missing_column", "Blad1!1:1")
    _assert_names_file(caught.value, "bad.xlsx")
