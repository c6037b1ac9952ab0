"""PX reader: the five real SCB/PxWeb files in ../shared/realdata, our own quirk fixtures, broken files."""

from __future__ import annotations

import pickle
import re
from collections import Counter
from pathlib import Path

import pytest

from indicators.i18n import catalogue
from indicators.readers import Cell, ReaderError, Table, read_px
from indicators.readers.model import localise_location
from tests.conftest import unavailable

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
READERS = Path(__file__).resolve().parents[1] / "indicators" / "readers"
DOT_MARKERS = (".", "..", "...", "....", ".....", "......")


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def real(name: str) -> bytes:
    if not REALDATA.is_dir():
        unavailable("../shared/realdata absent")
    return (REALDATA / name).read_bytes()


def cell(table: Table, *codes: str) -> Cell:
    matches = [c for c in table.cells if c.codes == codes]
    assert len(matches) == 1, codes
    return matches[0]


def labels(table: Table, index: int) -> list[str]:
    return [c.label for c in table.dimensions[index].categories]


def all_text(table: Table) -> str:
    """Every label and metadata string, to look for mojibake anywhere."""
    parts = [repr(table.meta)]
    for dim in table.dimensions:
        parts += [dim.name, *(c.label for c in dim.categories)]
    return "\n".join(parts)


# --- the real files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sizes"),
    [
        ("scb_BE0101_BefolkningR1860N_en.px", (111, 1, 164)),
        ("pxweb_example_BE0101F1datasymbols.px", (4, 3, 1, 2)),
        ("pxweb_example_EN0106A1_sv_decimals.px", (3, 3, 3)),
        ("pxwebapi_TAB005_markanvandning_kommun_en_sv.px", (291, 11, 1, 2)),
        ("pxwebapi_tab4_fewcells_utf8_mislabelled.px", (1, 1, 1, 1)),
    ],
)
def test_real_file_has_the_cells_its_headers_imply(name: str, sizes: tuple[int, ...]) -> None:
    table = read_px(real(name), file=name)
    assert table.format == "px"
    assert tuple(len(d.categories) for d in table.dimensions) == sizes
    assert len(table.cells) == table.expected_cell_count()
    assert len({c.codes for c in table.cells}) == len(table.cells)
    assert "Ã" not in all_text(table) and "\ufffd" not in all_text(table)


def test_real_scb_api_file_crlf_cp1252_continued_notes() -> None:
    table = read_px(real("scb_BE0101_BefolkningR1860N_en.px"), file="R1860N.px")
    assert table.encoding == "cp1252"
    assert table.meta["codepage_declared"] == "iso-8859-1"
    assert [d.name for d in table.dimensions] == ["age", "observations", "year"]
    assert table.dimensions[2].is_time and table.meta["timeval"] == "A1"
    assert table.meta["variable_codes"] == {"age": "Alder", "observations": "ContentsCode", "year": "Tid"}
    assert cell(table, "0", "0000053A", "1860").value == 119426
    assert table.cells[-1].codes == ("110+", "0000053A", "2023")
    assert table.cells[-1].location == "DATA[r111,c164]"
    # 256-character continuation lines cut mid-word are joined with no space; '#' is a line break
    note = table.meta["notes"][0]
    assert "the age group 90 years, refer to people aged 90" in note
    assert note.startswith("The value (0) in this table means that the data is unknown.\n\nIn the years")
    value_note = table.meta["value_notes"]["year"]["1863"][0]
    assert "which didn´t sum to the total population" in value_note
    assert "Befolkningsstatistik (BISOS A) 1868" in value_note
    assert table.meta["symbols"]["-"] == "-" and table.meta["symbols"]["......."] == "*"
    assert all(c.value is not None for c in table.cells)


def test_real_datasymbols_file_markers_and_latin1() -> None:
    table = read_px(real("pxweb_example_BE0101F1datasymbols.px"), file="datasymbols.px")
    assert table.encoding == "cp1252" and table.meta["codepage_declared"] is None
    assert "0114 Upplands Väsby" in labels(table, 0)
    assert table.dimensions[0].categories[2].code == "0114"
    markers = [c for c in table.cells if c.value is None]
    assert [c.symbol for c in markers] == list(DOT_MARKERS)
    assert cell(table, "00", "20", "2003", "2").symbol == "."
    assert cell(table, "00", "20", "2003", "2").location == "DATA[r1,c2]"
    assert cell(table, "01", "22", "2003", "2").symbol == "......"
    assert cell(table, "00", "20", "2003", "1").value == 456
    symbols = table.meta["symbols"]
    assert [symbols[m] for m in DOT_MARKERS] == ["one", "two", "three", "four", "five", "six"]
    assert symbols["......."] == "sum"
    assert table.meta["elimination"] == {"region": "00 Sweden", "sex": "YES"}
    assert table.meta["notes"] == ["Mandatory English note", "Test English note"]
    assert "Parts of Södertälje municipality" in table.meta["variable_notes"]["region"][1]
    assert table.meta["cell_notes"] == [(("*", "20", "*", "men"), "Cellnote 20 year old men")]


def test_real_swedish_file_quarters_and_decimals() -> None:
    table = read_px(real("pxweb_example_EN0106A1_sv_decimals.px"), file="EN0106A1.px")
    assert table.meta["language"] == "sv"
    assert [d.name for d in table.dimensions] == ["näringsgren SNI92", "bränsletyp", "tid"]
    tid = table.dimensions[2]
    assert tid.is_time and tid.codes() == ("2001K2", "2001K3", "2001K4")
    assert table.meta["timeval"] == "Q1" and table.meta["time_values"] == ["20012", "20013", "20014"]
    assert table.meta["decimals"] == 5 and table.meta["showdecimals"] == 1
    assert cell(table, "C", "EO2-5", "2001K3").value == pytest.approx(8.00005)
    assert Counter(c.symbol for c in table.cells if c.value is None) == {"..": 3}
    assert table.meta["title"].startswith("Bränsleförbrukning, 1000 toe")
    assert "slumpmässiga osäkerheten" in table.meta["notes"][0]


def test_real_bilingual_file_in_both_languages() -> None:
    data = real("pxwebapi_TAB005_markanvandning_kommun_en_sv.px")
    english = read_px(data, file="TAB005.px")
    assert english.meta["languages"] == ["en", "sv"]
    assert [d.name for d in english.dimensions] == ["region", "land use", "contents", "year"]
    assert labels(english, 0)[0] == "Sweden"
    swedish = read_px(data, file="TAB005.px", language="sv")
    assert [d.name for d in swedish.dimensions] == ["region", "markanvändning", "tabellinnehåll", "år"]
    assert swedish.meta["default_names"]["markanvändning"] == "land use"
    assert "Österåker" in labels(swedish, 0) and labels(swedish, 0)[0] == "Riket"
    assert labels(swedish, 1)[0] == "åkermark"
    assert swedish.meta["title"].startswith("Markanvändningen i Sverige")
    assert swedish.meta["units"] == "Hektar"
    assert swedish.dimensions[3].is_time
    for table in (english, swedish):
        assert Counter(c.symbol for c in table.cells if c.value is None) == {"..": 107}
    # the same cube either way: codes and values do not depend on the language
    assert [(c.codes, c.value) for c in english.cells] == [(c.codes, c.value) for c in swedish.cells]


def test_real_utf8_file_under_a_false_codepage() -> None:
    data = real("pxwebapi_tab4_fewcells_utf8_mislabelled.px")
    table = read_px(data, file="tab4.px", language="sv")
    assert table.encoding == "utf-8" and table.meta["codepage_declared"] == "iso-8859-1"
    assert "utsläpp" in table.meta["title"]
    assert labels(table, 0) == ["LÖSNINGSMEDEL OCH ÖVRIG PRODUKTANVÄNDNING, TOTALT"]
    assert table.dimensions[3].name == "år" and table.dimensions[3].codes() == ("2017",)
    assert table.cells == [Cell(("7.0", "CO2", "Emission", "2017"), 445.0, None, "DATA[r1,c1]")]


# --- our fixtures, one quirk each -----------------------------------------------------------------


def test_fixture_crlf_cp1252() -> None:
    table = read_px(fixture("crlf_cp1252.px"), file="crlf_cp1252.px")
    assert table.encoding == "cp1252"
    assert labels(table, 0) == ["Stockholms län", "Västra Götalands län", "Örebro län"]
    assert table.meta["source"] == "Testkälla – påhittad, 5 €"
    assert table.meta["notes"] == ["Uppgifterna är påhittade.\nIngen riktig statistik."]
    assert cell(table, "14", "2", "2023").value == 1302
    assert cell(table, "14", "2", "2023").location == "DATA[r4,c2]"
    assert len(table.cells) == 12


def test_fixture_utf8_mislabelled() -> None:
    table = read_px(fixture("utf8_mislabelled.px"), file="utf8_mislabelled.px")
    assert table.encoding == "utf-8"
    assert table.meta["title"] == "Totala utsläpp efter sektor och år"
    assert labels(table, 0)[-1] == "Övrigt"
    assert cell(table, "Övrigt", "2022").value == 2.5


def test_fixture_continuation_lines() -> None:
    table = read_px(fixture("continuation.px"), file="continuation.px")
    assert table.encoding == "cp1252"
    assert table.meta["title"] == "Anmälda brott om grov kvinnofridskränkning efter region och år"
    assert table.meta["contents"] == "Anmälda brott"
    assert table.meta["notes"] == [
        "Från och med 2023 redovisas brotten efter gärningsdatum i stället för anmälningsdatum.\n"
        "Uppgifterna är preliminära."
    ]
    assert labels(table, 0) == ["Riket", "Stockholms län", "Uppsala län", "Södermanlands län"]
    # commas, tabs and newlines separate DATA; the final ';' is missing
    assert [c.value for c in table.cells] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert cell(table, "Södermanlands län", "2023").location == "DATA[r4,c2]"


def test_fixture_multilingual() -> None:
    data = fixture("multilingual.px")
    english = read_px(data, file="multilingual.px")
    assert english.meta["language"] == "en" and english.meta["title"].startswith("Reported offences")
    assert [d.name for d in english.dimensions] == ["region", "sex", "year"]
    assert english.meta["notes"] == ["English note"]
    swedish = read_px(data, file="multilingual.px", language="sv")
    assert swedish.meta["language"] == "sv" and swedish.meta["default_language"] == "en"
    assert [d.name for d in swedish.dimensions] == ["region", "kön", "år"]
    assert labels(swedish, 0) == ["Riket", "Örebro län"] and labels(swedish, 1) == ["män", "kvinnor"]
    # CODES[sv]("kön") is absent: the default CODES("sex") apply through the name mapping
    assert swedish.dimensions[1].codes() == ("1", "2")
    assert swedish.meta["title"] == "Anmälda brott efter region, kön och år"
    assert swedish.meta["notes"] == ["Svensk fotnot"]
    assert swedish.meta["source"] == "Testkälla"
    assert swedish.dimensions[2].is_time and swedish.meta["time_variable"] == "år"
    assert cell(swedish, "18", "2", "2023").value == 17
    assert read_px(data, file="multilingual.px", language="en").meta["title"] == english.meta["title"]


def test_fixture_datasymbols() -> None:
    table = read_px(fixture("datasymbols.px"), file="datasymbols.px")
    got = {c.codes: (c.value, c.symbol) for c in table.cells}
    assert got[("a", "x")] == (1.0, None)
    expected = [".", "..", "...", "....", ".....", "......", "-", "*", ".."]
    assert [c.symbol for c in table.cells[1:]] == expected
    assert all(c.value is None for c in table.cells[1:])
    symbols = table.meta["symbols"]
    assert symbols["."] == "Uppgift kan inte förekomma"
    assert symbols[".."] == "Uppgift inte tillgänglig eller för osäker"
    assert symbols["-"] == "Inget finns att redovisa"
    assert symbols["......."] == "summa av markerade" and symbols["*"] == "summa av markerade"


def test_default_symbols_when_none_declared() -> None:
    table = read_px(fixture("quarterly.px"), file="quarterly.px")
    assert table.meta["symbols"] == {m: m for m in (*DOT_MARKERS, ".......", "-")}


def test_fixture_tlist_range_and_decimals() -> None:
    table = read_px(fixture("tlist_range.px"), file="tlist_range.px")
    assert table.meta["timeval"] == "A1"
    assert table.meta["time_values"] == ["1994", "1995", "1996"]
    assert table.dimensions[1].is_time and table.dimensions[1].codes() == ("1994", "1995", "1996")
    assert table.meta["decimals"] == 2 and table.meta["showdecimals"] == 1
    assert [c.value for c in table.cells] == [12.25, -0.5, 7.0]


def test_fixture_quarterly() -> None:
    table = read_px(fixture("quarterly.px"), file="quarterly.px")
    kvartal = table.dimensions[1]
    assert kvartal.is_time and kvartal.codes() == ("2023K3", "2023K4", "2024K1")
    assert table.meta["timeval"] == "Q1" and table.meta["time_values"] == ["20233", "20234", "20241"]
    assert table.meta["elimination"] == {"region": "Riket"}
    assert table.meta["showdecimals"] is None and table.meta["decimals"] == 1
    assert cell(table, "00", "2024K1").symbol == ".." and cell(table, "00", "2024K1").value is None
    assert cell(table, "12", "2024K1").value == 5


def test_tlist_range_quarters_expand() -> None:
    text = (
        'MATRIX="Q";\nSTUB="t";\nVALUES("t")="2023K4","2024K1","2024K2";\n'
        'TIMEVAL("t")=TLIST(Q1, "20234"-"20242");\nDATA=\n1 2 3;\n'
    )
    table = read_px(text.encode(), file="q.px")
    assert table.meta["time_values"] == ["20234", "20241", "20242"]
    assert table.dimensions[0].is_time


# --- broken files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key", "location", "found"),
    [
        ("truncated.px", "reader.px.cell_count", "DATA (line 7)", "5"),
        ("bad_token.px", "reader.px.bad_token", "DATA[r2,c2]", "abc"),
        ("empty.px", "reader.empty_file", "line 1", "0"),
        ("unterminated.px", "reader.px.unterminated_string", "line 3", '"Titel utan slut;'),
        ("missing_values.px", "reader.px.missing_values", 'VALUES("region")', 'STUB="region"'),
        ("missing_data.px", "reader.px.missing_data", "line 4", 'VALUES("region")'),
        ("semicolon_bom.csv", "reader.px.not_px", "line 1", "Anmälda brott mot kvinnor 2023;;;"),
    ],
)
def test_broken_px_file(name: str, key: str, location: str, found: str) -> None:
    with pytest.raises(ReaderError) as caught:
        read_px(fixture(name), file=name)
    error = caught.value
    assert (error.key, error.location, error.found) == (key, location, found)
    for lang in ("sv", "en"):
        text = error.message(lang)
        assert name in text and localise_location(location, lang) in text and found in text
    assert name in str(error)


def test_truncated_error_says_how_many_cells_were_expected() -> None:
    with pytest.raises(ReaderError) as caught:
        read_px(fixture("truncated.px"), file="truncated.px")
    assert caught.value.expected == "6 = 3 × 2"
    assert "6 = 3 × 2" in caught.value.message("en")


def test_too_many_values_is_also_a_cell_count_error() -> None:
    text = 'MATRIX="X";\nSTUB="a";\nVALUES("a")="1","2";\nDATA=\n1 2 3;\n'
    with pytest.raises(ReaderError) as caught:
        read_px(text.encode(), file="x.px")
    error = caught.value
    assert (error.key, error.found, error.expected) == ("reader.px.cell_count", "3", "2 = 2")


@pytest.mark.parametrize(
    ("text", "key", "location"),
    [
        ('MATRIX="X";\nSTUB="a";\nVALUES("a")="1";\nthis is not px\nDATA=\n1;\n',
         "reader.px.syntax", "line 4"),
        ('MATRIX="X";\nSTUB="a";\nVALUES("a")="1","2";\nCODES("a")="1";\nDATA=\n1 2;\n',
         "reader.px.codes_mismatch", 'CODES("a")'),
        ('MATRIX="X";\nTITLE="t";\nDATA=\n1;\n', "reader.px.no_variables", "STUB / HEADING"),
        ('MATRIX="X";\nSTUB="a";\nVALUES("a")="1";\nKEYS("a")=VALUES;\nDATA=\n"1",5;\n',
         "reader.px.keys_unsupported", "line 4"),
        ('MATRIX="X";\nSTUB="a";\nVALUES("a")="1";\nDATA=\n"x";\n', "reader.px.bad_token", "DATA[r1,c1]"),
    ],
)
def test_broken_px_text(text: str, key: str, location: str) -> None:
    with pytest.raises(ReaderError) as caught:
        read_px(text.encode(), file="broken.px")
    assert (caught.value.key, caught.value.location) == (key, location)
    assert "broken.px" in caught.value.message("sv") and location in caught.value.message("en")


def test_translation_with_other_variables_is_refused() -> None:
    text = ('MATRIX="X";\nLANGUAGE="en";\nSTUB="a","b";\nSTUB[sv]="a";\nVALUES("a")="1";\nVALUES("b")="1";\n'
            "DATA=\n1;\n")
    assert len(read_px(text.encode(), file="x.px").cells) == 1
    with pytest.raises(ReaderError) as caught:
        read_px(text.encode(), file="x.px", language="sv")
    assert (caught.value.key, caught.value.location, caught.value.found, caught.value.expected) == (
        "reader.px.language_mismatch", "STUB[sv]", "1", "2")


def test_unknown_language() -> None:
    with pytest.raises(ReaderError) as caught:
        read_px(fixture("multilingual.px"), file="multilingual.px", language="de")
    assert (caught.value.key, caught.value.found, caught.value.expected) == (
        "reader.px.unknown_language", "de", "en, sv")


def test_undecodable_bytes() -> None:
    with pytest.raises(ReaderError) as caught:
        read_px(b'MATRIX="X";\nTITLE="a\x81b";\n', file="x.px")
    assert (caught.value.key, caught.value.location, caught.value.found) == (
        "reader.undecodable", "line 2, byte 21", "0x81")
    with pytest.raises(ReaderError) as caught:
        read_px(b"PK\x03\x04rest of a workbook", file="x.px")
    assert caught.value.key == "reader.undecodable"


def test_reader_error_survives_pickling() -> None:
    error = ReaderError("reader.px.cell_count", file="f.px", location="DATA", found="5", expected="6")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.key, copy.file, copy.location, copy.found, copy.expected) == (
        "reader.px.cell_count", "f.px", "DATA", "5", "6")
    assert copy.message("en") == error.message("en")


def test_every_reader_message_key_exists_in_both_languages_with_all_fields() -> None:
    used = set()
    for path in READERS.glob("*.py"):
        used |= set(re.findall(r'"(reader\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    messages = catalogue()
    assert used, "no message keys found in the readers"
    for key in sorted(used):
        assert key in messages, key
        for lang in ("sv", "en"):
            for field in ("{file}", "{location}", "{found}", "{expected}"):
                assert field in messages[key][lang], (key, lang, field)


def test_heading_only_and_a_string_over_two_lines() -> None:
    text = 'MATRIX="X";\nTITLE="två\nrader";\nHEADING="år";\nVALUES("år")="2022","2023";\nDATA=\n1 2;\n'
    table = read_px(text.encode(), file="x.px")
    assert table.meta["title"] == "två\nrader"
    assert [(c.codes, c.value, c.location) for c in table.cells] == [
        (("2022",), 1.0, "DATA[r1,c1]"), (("2023",), 2.0, "DATA[r1,c2]")]


def test_quote_left_open_in_data() -> None:
    text = 'MATRIX="X";\nSTUB="a";\nVALUES("a")="1","2";\nDATA=\n1 ".;\n'
    with pytest.raises(ReaderError) as caught:
        read_px(text.encode(), file="x.px")
    assert (caught.value.key, caught.value.location) == ("reader.px.unterminated_string", "line 5")
