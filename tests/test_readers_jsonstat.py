"""JSON reader: the three real SCB JSON files in ../shared/realdata, our own quirk fixtures, broken files."""

from __future__ import annotations

import codecs
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from indicators.i18n import catalogue
from indicators.readers.jsonstat import read_jsonstat
from indicators.readers.model import Cell, ReaderError, Table, localise_location
from tests.conftest import unavailable

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers" / "json"
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
MODULE = Path(__file__).resolve().parents[1] / "indicators" / "readers" / "jsonstat.py"

TAB6471 = "scb_v2_TAB6471_folkmangd_lan_alder_kon_manad.jsonstat2.json"
STATSWE = "scb_v1_jsonstat1_socialstyrelsen_doda_norrbotten.json"
CIVILSTAND = "scb_v1_json_BefolkningNy_civilstand.json"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def real(name: str) -> bytes:
    if not REALDATA.is_dir():
        unavailable("../shared/realdata absent")
    return (REALDATA / name).read_bytes()


def read(doc: object, file: str = "x.json") -> Table:
    return read_jsonstat(json.dumps(doc, ensure_ascii=False).encode("utf-8"), file=file)


def cell(table: Table, *codes: str) -> Cell:
    matches = [c for c in table.cells if c.codes == codes]
    assert len(matches) == 1, codes
    return matches[0]


def labels(table: Table, name: str) -> list[str]:
    return [c.label for c in table.dimension(name).categories]


def all_text(table: Table) -> str:
    parts = [repr(table.meta)]
    for dim in table.dimensions:
        parts += [dim.name, dim.label, *(c.label for c in dim.categories), *(c.code for c in dim.categories)]
    return "\n".join(parts)


def small(**changes: object) -> dict[str, object]:
    """A valid JSON-stat 2.0 dataset of 2 × 3 cells, changed as a test needs."""
    doc: dict[str, object] = {
        "version": "2.0", "class": "dataset", "label": "Test", "id": ["Kon", "Tid"], "size": [2, 3],
        "role": {"time": ["Tid"]},
        "dimension": {
            "Kon": {"label": "kön", "category": {"index": {"1": 0, "2": 1}, "label": {"1": "män", "2": "kvinnor"}}},
            "Tid": {"label": "år", "category": {"index": ["2021", "2022", "2023"]}},
        },
        "value": [1, 2, 3, 4, 5, 6],
    }
    doc.update(changes)
    return doc


def plain(**changes: object) -> dict[str, object]:
    """A valid PxWeb plain JSON response of 2 rows × 1 content column."""
    doc: dict[str, object] = {
        "columns": [{"code": "Region", "text": "region", "type": "d"}, {"code": "Tid", "text": "år", "type": "t"},
                    {"code": "C1", "text": "Antal", "type": "c"}],
        "comments": [],
        "data": [{"key": ["01", "2023"], "values": ["7"]}, {"key": ["03", "2023"], "values": [".."]}],
        "metadata": [{"label": "Test", "source": "SCB"}],
    }
    doc.update(changes)
    return doc


# --- the real files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "sizes", "count"),
    [
        (TAB6471, "jsonstat", (21, 11, 3, 1, 4), 2772),
        (STATSWE, "jsonstat", (1, 1, 20, 2, 1, 28), 1120),
        (CIVILSTAND, "pxweb-json", (4, 3, 1), 12),
    ],
)
def test_real_file_has_the_cells_its_headers_imply(name: str, fmt: str, sizes: tuple[int, ...], count: int) -> None:
    table = read_jsonstat(real(name), file=name)
    assert table.format == fmt and table.encoding == "utf-8"
    assert tuple(len(d.categories) for d in table.dimensions) == sizes
    assert len(table.cells) == table.expected_cell_count() == count
    assert len({c.codes for c in table.cells}) == count
    assert all(c.value is not None and c.symbol is None for c in table.cells)
    assert [d.name for d in table.dimensions if d.is_time] == ["Tid"]
    assert "Ã" not in all_text(table) and "\ufffd" not in all_text(table)


def test_real_pxwebapi2_jsonstat2() -> None:
    table = read_jsonstat(real(TAB6471), file=TAB6471)
    assert [d.name for d in table.dimensions] == ["Region", "Alder", "Kon", "ContentsCode", "Tid"]
    assert [d.label for d in table.dimensions] == ["region", "ålder", "kön", "tabellinnehåll", "månad"]
    region = table.dimension("Region")
    assert region.categories[0].code == "01" and region.categories[0].label == "Stockholms län"
    assert labels(table, "Region")[-1] == "Norrbottens län" and "Örebro län" in labels(table, "Region")
    alder = table.dimension("Alder")
    assert alder.codes()[-1] == "100+10" and alder.categories[-1].label == "100+ år"
    assert table.dimension("Kon").codes() == ("TotSa", "1", "2")
    assert labels(table, "Kon") == ["totalt, samtliga män och kvinnor", "män", "kvinnor"]
    assert table.dimension("Tid").codes() == ("2026M01", "2026M02", "2026M03", "2026M04")
    first = cell(table, "01", "0-9", "TotSa", "000007SF", "2026M01")
    assert (first.value, first.location) == (245284.0, "value[0]")
    assert table.cells[-1].codes == ("25", "100+10", "2", "000007SF", "2026M04")
    assert table.cells[-1].location == "value[2771]"
    # row-major: the last dimension varies fastest
    assert table.cells[1].codes == ("01", "0-9", "TotSa", "000007SF", "2026M02")
    meta = table.meta
    assert meta["title"] == "Folkmängden per månad efter region, ålder, kön och månad"
    assert (meta["source"], meta["table_id"], meta["infofile"], meta["decimals"]) == ("SCB", "TAB6471", "BE0101", 0)
    assert meta["updated"] == "2026-06-08T06:00:00Z" and meta["language"] == "sv"
    assert meta["jsonstat_version"] == "2.0"
    assert meta["elimination"] == {"Kon": "TotSa"}
    assert meta["time_variable"] == "Tid" and meta["contvariable"] == "ContentsCode"
    assert meta["content_units"] == {"Folkmängden per månad": "antal"} and meta["units"] == "antal"
    assert meta["stub"] == ["Region", "Alder", "Kon"] and meta["heading"] == ["ContentsCode", "Tid"]
    # the Cell Key Method note: \r\n normalised, markdown links kept, every note flagged mandatory
    notes = meta["notes"]
    assert len(notes) == 4 and all("\r" not in note for note in notes)
    assert notes[0].startswith("Från och med referensåret 2025")
    assert "[Skyddsmetoder för röjandekontroll](https://www.scb.se/" in notes[0]
    assert meta["mandatory_notes"] == notes
    assert meta["variable_notes"]["Alder"][0].startswith("Med ålder avses uppnådd ålder")
    assert "information@scb.se" in meta["contact"]


def test_real_jsonstat1_bundle() -> None:
    table = read_jsonstat(real(STATSWE), file=STATSWE)
    assert table.meta["jsonstat_version"] == "1.x"
    assert table.meta["dataset"] == "dataset" and table.meta["bundle_datasets"] == ["dataset"]
    assert table.meta["source"] == "Socialstyrelsen (SoS)"
    assert table.meta["title"] == "Döda efter region, dödsorsak, ålder, kön, tabellinnehåll och år"
    assert labels(table, "Region") == ["25 Norrbottens län"]
    assert labels(table, "Dodsorsak") == ["cirkulationsorganens sjukdomar"]
    assert table.dimension("Dodsorsak").codes() == ("23-28",)
    assert table.dimension("Alder").codes()[-1] == "90+" and labels(table, "Alder")[0] == "0 år"
    assert table.dimension("Tid").codes()[0] == "1969" and table.dimension("Tid").codes()[-1] == "1996"
    assert table.meta["contvariable"] == "ContentsCode" and table.meta["content_units"] == {"Döda": "antal"}
    assert cell(table, "25", "23-28", "90+", "2", "HS0301A1", "1996").location == "value[1119]"
    assert sum(c.value for c in table.cells) > 0


def test_real_pxweb_plain_json() -> None:
    table = read_jsonstat(real(CIVILSTAND), file=CIVILSTAND)
    assert [d.name for d in table.dimensions] == ["Civilstand", "Tid", "ContentsCode"]
    assert [d.label for d in table.dimensions] == ["civilstånd", "år", "tabellinnehåll"]
    assert table.dimension("Civilstand").codes() == ("OG", "G", "SK", "ÄNKL")
    assert labels(table, "Civilstand") == ["OG", "G", "SK", "ÄNKL"]  # the format has no labels
    contents = table.dimension("ContentsCode").categories
    assert [(c.code, c.label) for c in contents] == [("BE0101N1", "Folkmängd")]
    got = cell(table, "G", "2015", "BE0101N1")
    assert (got.value, got.location) == (3291001.0, "data[3].values[0]")
    assert cell(table, "ÄNKL", "2017", "BE0101N1").value == 435643.0
    assert table.meta["title"] == "Folkmängd efter civilstånd, år och tabellinnehåll"
    assert table.meta["infofile"] == "BE0101" and table.meta["missing_cells"] == 0


# --- our fixtures, one quirk each -----------------------------------------------------------------


def test_fixture_index_object_status_object_and_scb_extensions() -> None:
    table = read_jsonstat(fixture("v2_index_object.json"), file="v2_index_object.json")
    # positions, not key order, decide the category order
    assert table.dimension("Region").codes() == ("01", "14", "18")
    assert labels(table, "Region") == ["Stockholms län", "Västra Götalands län", "Örebro län"]
    assert table.dimension("Tid").is_time and not table.dimension("Region").is_time
    missing = cell(table, "14", "1", "TEST01", "2023")
    assert (missing.value, missing.symbol, missing.location) == (None, "..", "value[5]")
    assert cell(table, "14", "2", "TEST01", "2023").symbol == "."
    provisional = cell(table, "18", "2", "TEST01", "2023")
    assert (provisional.value, provisional.symbol) == (13.0, "p")
    assert cell(table, "01", "2", "TEST01", "2023").value == 410.0
    meta = table.meta
    assert meta["notes"] == ["Uppgifterna är påhittade.\n\nIngen riktig statistik.", "Andra fotnoten."]
    assert meta["mandatory_notes"] == [meta["notes"][0]]
    assert meta["variable_notes"] == {"Kon": ["Kön enligt folkbokföringen."]}
    assert meta["mandatory_variable_notes"] == {"Kon": ["Kön enligt folkbokföringen."]}
    assert meta["value_notes"] == {"Kon": {"2": ["Inklusive flickor."]}}
    assert meta["decimals"] == 1 and meta["content_decimals"] == {"Anmälda brott": 0}  # extension.px wins
    assert (meta["table_id"], meta["infofile"]) == ("TAB0001", "TEST")
    assert meta["elimination"] == {"Kon": "TotSa"}
    assert meta["symbols"] == {"..": "..", ".": ".", "p": "p"}
    assert meta["contact"] == "Testperson, Testmyndigheten, test@example.invalid"


def test_fixture_index_array_sparse_values_status_array() -> None:
    table = read_jsonstat(fixture("v2_index_array_sparse.json"), file="v2_index_array_sparse.json")
    assert table.dimension("Lan").codes() == ("25", "01")
    assert labels(table, "Lan") == ["Norrbottens län", "Stockholms län"]
    assert labels(table, "Tid") == ["2021", "2022", "2023"]  # no labels: label = code
    assert table.dimension("ContentsCode").categories[0].label == "Antal"  # no index: label order
    got = [(c.codes[:2], c.value, c.symbol, c.location) for c in table.cells]
    assert got == [
        (("25", "2021"), 4.0, None, "value[0]"),
        (("25", "2022"), None, "..", "value[1]"),
        (("25", "2023"), 6.5, None, "value[2]"),
        (("01", "2021"), None, "-", "value[3]"),
        (("01", "2022"), 7.0, None, "value[4]"),
        (("01", "2023"), None, "", "value[5]"),  # omitted from the sparse object, no status
    ]


def test_fixture_jsonstat1_bundle_with_two_datasets() -> None:
    data = fixture("v1_bundle.json")
    table = read_jsonstat(data, file="v1_bundle.json")
    assert table.meta["dataset"] == "dataset" and table.meta["bundle_datasets"] == ["dataset", "andra"]
    assert table.meta["jsonstat_version"] == "1.x"
    assert [d.name for d in table.dimensions] == ["Region", "Kon", "ContentsCode", "Tid"]
    assert table.dimension("Tid").is_time
    assert [c.value for c in table.cells] == [10, 11, 9, 12]
    other = read_jsonstat(data, file="v1_bundle.json", dataset="andra")
    assert other.meta["title"] == "Andra datasetet" and [c.value for c in other.cells] == [5]
    with pytest.raises(ReaderError) as caught:
        read_jsonstat(data, file="v1_bundle.json", dataset="tredje")
    assert (caught.value.key, caught.value.found, caught.value.expected) == (
        "reader.json.unknown_dataset", "tredje", "dataset, andra")


def test_fixture_pxweb_plain_json_strings_markers_and_comments() -> None:
    table = read_jsonstat(fixture("v1_plain.json"), file="v1_plain.json")
    assert table.format == "pxweb-json"
    assert [d.name for d in table.dimensions] == ["Civilstand", "Kon", "Tid", "ContentsCode"]
    contents = table.dimension("ContentsCode")
    assert contents.label == "tabellinnehåll"
    assert [(c.code, c.label) for c in contents.categories] == [("BE0101N1", "Folkmängd"),
                                                                ("BE0101N2", "Andel, procent")]
    assert table.dimension("Civilstand").codes() == ("OG", "ÄNKL")
    assert table.dimension("Tid").is_time and not table.dimension("Kon").is_time
    assert cell(table, "OG", "2", "2015", "BE0101N2").value == pytest.approx(51.2)
    marker = cell(table, "OG", "2", "2016", "BE0101N2")
    assert (marker.value, marker.symbol, marker.location) == (None, "..", "data[1].values[1]")
    assert cell(table, "ÄNKL", "2", "2015", "BE0101N2").symbol == "-"
    assert cell(table, "ÄNKL", "2", "2016", "BE0101N1").location == "data[3].values[0]"
    assert len(table.cells) == table.expected_cell_count() == 8
    assert table.meta["variable_notes"] == {"Kon": ["Kön enligt folkbokföringen."]}
    assert table.meta["value_notes"] == {"Tid": {"2016": ["Preliminär uppgift."]}}
    assert table.meta["cell_notes"] == [(("ÄNKL", "2", "2015"), "Änkor.")]
    assert table.meta["symbols"] == {"..": "..", "-": "-"}


def test_fixture_bom() -> None:
    data = fixture("v2_bom.json")
    assert data.startswith(codecs.BOM_UTF8)
    table = read_jsonstat(data, file="v2_bom.json")
    assert table.encoding == "utf-8-sig" and table.meta["had_bom"] is True
    assert table.meta["title"] == "Utsatta efter kön, år – Örebro län"
    assert [c.value for c in table.cells] == [1, 2, 3, 4, 5, 6]


def test_status_as_one_string_applies_to_every_cell() -> None:
    table = read(small(value=[None] * 6, status=".."))
    assert {(c.value, c.symbol) for c in table.cells} == {(None, "..")}


def test_values_written_as_strings_and_markers_in_value() -> None:
    table = read(small(value=["1 205", "15,2", "..", "x", None, 3.5]))
    assert [(c.value, c.symbol) for c in table.cells] == [
        (1205.0, None), (15.2, None), (None, ".."), (None, "x"), (None, ""), (3.5, None)]


def test_status_wins_over_a_marker_in_value() -> None:
    table = read(small(value=["..", 2, 3, 4, 5, 6], status={"0": "."}))
    assert (table.cells[0].value, table.cells[0].symbol) == (None, ".")


def test_bare_jsonstat1_dataset_without_bundle() -> None:
    doc = small()
    dimension = dict(doc.pop("dimension"), id=doc.pop("id"), size=doc.pop("size"), role=doc.pop("role"))
    del doc["version"], doc["class"]
    table = read({**doc, "dimension": dimension})
    assert table.meta["jsonstat_version"] == "1.x" and table.dimension("Tid").is_time
    assert len(table.cells) == 6 and "bundle_datasets" not in table.meta


def test_pxweb_json_without_a_row_reports_missing_cells() -> None:
    table = read(plain(data=[{"key": ["01", "2022"], "values": ["1"]}, {"key": ["03", "2023"], "values": ["2"]}]))
    assert table.expected_cell_count() == 4 and len(table.cells) == 2
    assert table.meta["missing_cells"] == 2


def test_pxweb_json_markers_and_time() -> None:
    table = read(plain())
    assert [d.name for d in table.dimensions] == ["Region", "Tid", "ContentsCode"]
    assert [(c.value, c.symbol) for c in table.cells] == [(7.0, None), (None, "..")]
    assert table.meta["time_variable"] == "Tid" and table.meta["title"] == "Test"


# --- broken files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key", "location", "found"),
    [
        ("truncated_values.json", "reader.json.value_count", "value", "5"),
        ("invalid.json", "reader.json.invalid", "line 50, column 1", "EOF"),
        ("unknown_structure.json", "reader.json.unknown_structure", "line 1", '{"tables": …, "page": …}'),
        ("size_mismatch.json", "reader.json.size_mismatch", "id / size", "1"),
        ("category_count.json", "reader.json.category_count", "dimension.Tid.category", "3"),
        ("bad_value.json", "reader.json.bad_value", "value[2]", '"abc"'),
        ("v1_short_row.json", "reader.json.row_length", "data[0].key", "2"),
        ("not_utf8.json", "reader.json.not_utf8", "line 3, byte 40", "0xE4"),
    ],
)
def test_broken_json_file(name: str, key: str, location: str, found: str) -> None:
    with pytest.raises(ReaderError) as caught:
        read_jsonstat(fixture(name), file=name)
    error = caught.value
    assert (error.key, error.location, error.found) == (key, location, found)
    for lang in ("sv", "en"):
        text = error.message(lang)
        assert name in text and localise_location(location, lang) in text and found in text
    assert name in str(error)


def test_truncated_error_says_how_many_values_were_expected() -> None:
    with pytest.raises(ReaderError) as caught:
        read_jsonstat(fixture("truncated_values.json"), file="truncated_values.json")
    assert caught.value.expected == "6 = 2 × 3"
    assert "6 = 2 × 3" in caught.value.message("sv") and "6 = 2 × 3" in caught.value.message("en")


def test_invalid_json_location_is_line_and_column() -> None:
    with pytest.raises(ReaderError) as caught:
        read_jsonstat(b'{\n  "class": "dataset",\n  "id": ["a" "b"]\n}\n', file="x.json")
    error = caught.value
    assert (error.key, error.location, error.found) == ("reader.json.invalid", "line 3, column 14", '"b"]')
    assert error.expected == "Expecting ',' delimiter"
    assert "rad 3, kolumn 14" in error.message("sv") and "line 3, column 14" in error.message("en")


@pytest.mark.parametrize(
    ("doc", "key", "location", "found"),
    [
        (small(value=[1, 2, 3, 4, 5, 6, 7]), "reader.json.value_count", "value", "7"),
        (small(status=["..", None]), "reader.json.value_count", "status", "2"),
        (small(value={"0": 1, "6": 2}), "reader.json.bad_field", 'value."6"', '"6"'),
        (small(value=[1, 2, True, 4, 5, 6]), "reader.json.bad_value", "value[2]", "true"),
        (small(value=[1, 2, 3, 4, 5, {"a": 1}]), "reader.json.bad_value", "value[5]", '{"a": …}'),
        (small(id=["Kon", "Kon"]), "reader.json.duplicate", "id[1]", "Kon"),
        (small(size=[2, -3]), "reader.json.bad_field", "size[1]", "-3"),
        (small(id=["Kon", "Ålder"]), "reader.json.missing_field", "dimension.Ålder", "Kon, Tid"),
        ({k: v for k, v in small().items() if k != "value"}, "reader.json.missing_field", "value",
         "version, class, label, id, size, role, dimension"),
        (small(dimension={"Kon": {"label": "kön", "category": {"index": {"1": 0, "2": 5}}},
                          "Tid": small()["dimension"]["Tid"]}),
         "reader.json.bad_field", 'dimension.Kon.category.index."2"', "5"),
        (small(dimension={"Kon": {"label": "kön", "category": {"index": {"1": 0, "2": 0}}},
                          "Tid": small()["dimension"]["Tid"]}),
         "reader.json.duplicate", 'dimension.Kon.category.index."2"', "0"),
        (small(dimension={"Kon": {"label": "kön", "category": {}}, "Tid": small()["dimension"]["Tid"]}),
         "reader.json.missing_field", "dimension.Kon.category.index", "-"),
        ({"version": "2.0", "class": "collection", "link": {"item": []}}, "reader.json.unsupported_class", "class",
         '"collection"'),
        ([1, 2, 3], "reader.json.unknown_structure", "line 1", "[1, 2, 3]"),
        (plain(data=[{"key": ["01", "2023"], "values": ["7", "8"]}]), "reader.json.row_length",
         "data[0].values", "2"),
        (plain(data=[{"key": ["01", "2023"], "values": ["7"]}, {"key": ["01", "2023"], "values": ["8"]}]),
         "reader.json.duplicate", "data[1].key", '["01", "2023"]'),
        (plain(data=[{"key": ["01", "2023"], "values": ["sju"]}]), "reader.json.bad_value",
         "data[0].values[0]", '"sju"'),
        (plain(columns=[{"code": "Tid", "text": "år", "type": "t"}]), "reader.json.bad_field", "columns", "Tid"),
        (plain(columns=[{"code": "Tid", "type": "q"}, {"code": "C1", "type": "c"}]), "reader.json.bad_field",
         "columns[0].type", '"q"'),
    ],
)
def test_broken_json_document(doc: object, key: str, location: str, found: str) -> None:
    with pytest.raises(ReaderError) as caught:
        read(doc, file="broken.json")
    error = caught.value
    assert (error.key, error.location, error.found) == (key, location, found)
    for lang in ("sv", "en"):
        text = error.message(lang)
        assert "broken.json" in text and localise_location(location, lang) in text and found in text


def test_empty_and_bom_only_files() -> None:
    for data in (b"", b"  \n", codecs.BOM_UTF8 + b"\n"):
        with pytest.raises(ReaderError) as caught:
            read_jsonstat(data, file="empty.json")
        assert caught.value.key == "reader.empty_file" and "empty.json" in caught.value.message("en")


def test_utf16_is_refused() -> None:
    data = json.dumps(small()).encode("utf-16")
    with pytest.raises(ReaderError) as caught:
        read_jsonstat(data, file="x.json")
    assert (caught.value.key, caught.value.found) == ("reader.json.not_utf8", "UTF-16 BOM")


def test_unknown_dataset_name_outside_a_bundle() -> None:
    with pytest.raises(ReaderError) as caught:
        read_jsonstat(json.dumps(small()).encode(), file="x.json", dataset="dataset")
    assert caught.value.key == "reader.json.unknown_dataset"


def test_every_json_message_key_exists_in_both_languages_with_all_fields() -> None:
    used = set(re.findall(r'"(reader\.[a-z0-9_.]+)"', MODULE.read_text(encoding="utf-8")))
    assert {k for k in used if k.startswith("reader.json.")} >= {
        "reader.json.invalid", "reader.json.unknown_structure", "reader.json.value_count",
        "reader.json.size_mismatch", "reader.json.category_count", "reader.json.bad_value"}
    messages = catalogue()
    for key in sorted(used):
        assert key in messages, key
        for lang in ("sv", "en"):
            for field in ("{file}", "{location}", "{found}", "{expected}"):
                assert field in messages[key][lang], (key, lang, field)
    defined = {k for k in messages if k.startswith("reader.json.")}
    assert defined == {k for k in used if k.startswith("reader.json.")}, "unused or undefined JSON messages"


def test_missing_values_keep_their_markers() -> None:
    table = read_jsonstat(fixture("v2_index_object.json"), file="v2_index_object.json")
    assert Counter(c.symbol for c in table.cells if c.value is None) == {"..": 1, ".": 1}
