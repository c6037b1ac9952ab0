"""The GSS-style XLSX workbook: sheet order, links, one table per sheet, markers, numbers, reproducible bytes."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from indicators.registry import load_catalogue
from indicators.sources import load_sources
from reports.workbook import category_label, edition_date, workbook_bytes, write_workbook

ROOT = Path(__file__).resolve().parents[1]
IDS = ("MVK01", "MVK05", "MVK09")
FIRST_SHEETS = {"sv": ["Om", "Innehåll", "Noter"], "en": ["Cover", "Contents", "Notes"]}
MARKERS = ("[c]", "[x]", "[z]", "[u]", "[p]", "[r]", "[b]", "[e]", "[ill.]")


def _frame(spec_id: str, breakdowns: list[str], rows: list[tuple]) -> pd.DataFrame:
    """rows: (year, *breakdown codes, value, flag, illustrative)."""
    columns = ["year", *breakdowns, "value", "flag", "illustrative"]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.astype({"year": "int64", "value": "float64", "illustrative": "bool"})
    frame.insert(0, "indicator_id", spec_id)
    frame["unit"] = load_catalogue()[spec_id].unit
    frame["provenance"] = ""
    frame["reliability"] = ["illustrative" if i else "official" for i in frame["illustrative"]]
    frame["source_url"] = ["" if i else "https://example.org/table" for i in frame["illustrative"]]
    return frame[["indicator_id", "year", *breakdowns, "value", "unit", "flag", "illustrative", "reliability",
                  "source_url", "provenance"]]


def inputs() -> dict:
    catalogue = load_catalogue()
    results = {
        "MVK01": _frame("MVK01", ["sex"], [
            (2016, "T", 4.25, "", False), (2016, "K", 7.0, "", False), (2016, "M", 1.5, "", False),
            (2017, "M", None, "c", False), (2017, "K", 7.44, "", False), (2017, "T", 4.4, "p", False),
        ]),
        "MVK05": _frame("MVK05", [], [
            (2016, 13.0, "", False), (2017, 17.0, "", False), (2018, None, "x", False), (2019, 16.4, "", True),
        ]),
        "MVK09": _frame("MVK09", ["region"], [
            (2023, "00", 45.12, "", False), (2023, "01", 50.0, "", True), (2023, "12", 61.35, "", True),
            (2022, "00", 40.0, "", False), (2022, "01", 44.0, "", True), (2022, "12", 55.0, "", True),
        ]),
    }
    return {"edition": "2026", "catalogue": {i: catalogue[i] for i in IDS}, "results": results,
            "sources": load_sources()}


@pytest.fixture(scope="module", params=["sv", "en"])
def book(request):
    lang = request.param
    assessments = {"MVK01": "Andelen har minskat sedan basåret." if lang == "sv" else "The share has fallen."}
    content = workbook_bytes(lang=lang, assessments=assessments, **inputs())
    return lang, load_workbook(io.BytesIO(content))


def _table(ws):
    assert len(ws.tables) == 1, ws.title
    return next(iter(ws.tables.values()))


def _table_rows(ws) -> tuple[list[str], list[list]]:
    table = _table(ws)
    cells = [[c.value for c in row] for row in ws[table.ref]]
    return cells[0], cells[1:]


def _by_header(ws) -> list[dict]:
    header, rows = _table_rows(ws)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_sheet_order_cover_contents_notes_then_indicators(book):
    lang, wb = book
    assert wb.sheetnames == [*FIRST_SHEETS[lang], *IDS]
    assert wb.active.title == FIRST_SHEETS[lang][0]


def test_contents_links_point_at_existing_sheets(book):
    lang, wb = book
    ws = wb[FIRST_SHEETS[lang][1]]
    table = _table(ws)
    first_row = int(re.match(r"A(\d+):", table.ref)[1])
    linked = []
    for row in range(first_row + 1, ws.max_row + 1):
        cell = ws.cell(row=row, column=1)
        assert cell.hyperlink is not None and cell.hyperlink.location, cell.coordinate
        target = cell.hyperlink.location.split("!")[0].strip("'")
        assert target in wb.sheetnames and target == cell.value
        linked.append(target)
    assert linked == list(IDS)
    # the cover links to the contents sheet, the contents sheet to the notes sheet
    cover_links = [c.hyperlink.location for row in wb[FIRST_SHEETS[lang][0]].iter_rows() for c in row
                   if c.hyperlink is not None and c.hyperlink.location]
    assert cover_links == [f"'{FIRST_SHEETS[lang][1]}'!A1"]
    assert ws["A3"].hyperlink.location == f"'{FIRST_SHEETS[lang][2]}'!A1"


def test_contents_rows_have_title_period_and_assessment(book):
    lang, wb = book
    rows = {r[_table_rows(wb[FIRST_SHEETS[lang][1]])[0][0]]: r for r in _by_header(wb[FIRST_SHEETS[lang][1]])}
    catalogue = load_catalogue()
    period = "Period" if lang == "sv" else "Period covered"
    assessment = "Senaste bedömning" if lang == "sv" else "Latest assessment"
    title = "Tabellens titel" if lang == "sv" else "Table title"
    assert [rows[i][title] for i in IDS] == [catalogue[i].name[lang] for i in IDS]
    assert rows["MVK01"][period] == "2016–2017" and rows["MVK05"][period] == "2016–2019"
    assert rows["MVK01"][assessment].endswith(".")
    assert rows["MVK05"][assessment] in ("Ingen bedömning i denna utgåva", "No assessment in this edition")
    assert all(value not in (None, "") for row in rows.values() for value in row.values())


def test_contents_without_assessments_has_no_assessment_column():
    wb = load_workbook(io.BytesIO(workbook_bytes(lang="sv", **inputs())))
    header, _ = _table_rows(wb["Innehåll"])
    assert "Senaste bedömning" not in header and header[0] == "Flik"


def test_data_sheets_have_title_text_rows_and_one_table_right_below(book):
    lang, wb = book
    catalogue = load_catalogue()
    for spec_id in IDS:
        ws = wb[spec_id]
        assert ws["A1"].value.startswith(f"{spec_id}: {catalogue[spec_id].name[lang]}")
        assert ws["A1"].font.b
        assert ws["A2"].value == ("Denna flik innehåller en tabell." if lang == "sv"
                                  else "This worksheet contains one table.")
        assert ws["A3"].value.startswith("Källa: " if lang == "sv" else "Source: ")
        assert "[note " in ws["A4"].value
        table = _table(ws)
        header_row = int(re.match(r"A(\d+):", table.ref)[1])
        assert header_row >= 5
        for row in range(1, header_row):                    # text rows: column A only, none blank
            assert ws.cell(row=row, column=1).value, (spec_id, row)
            assert all(ws.cell(row=row, column=c).value is None for c in range(2, ws.max_column + 1))
        header, rows = _table_rows(ws)
        assert all(isinstance(h, str) and h for h in header)
        assert header == [c.name for c in table.tableColumns]
        assert header[0] == ("År" if lang == "sv" else "Year")
        assert header[-3:] == (["Markering", "Tillförlitlighet", "Källa (webbadress)"] if lang == "sv"
                               else ["Marker", "Reliability", "Source (web address)"])
        assert ws.max_row == header_row + len(rows) and ws.max_column == len(header)   # nothing below or beside
        assert rows and all(any(v is not None for v in row) for row in rows)            # no blank rows
        assert all(any(row[i] is not None for row in rows) for i in range(len(header) - 1))  # no blank columns


def test_table_names_are_unique_and_no_merged_cells_anywhere(book):
    _, wb = book
    names = [name for ws in wb.worksheets for name in ws.tables]
    assert len(names) == len(set(names)) == 2 + len(IDS)
    assert not any(re.fullmatch(r"[A-Z]{1,3}\d+", n) for n in names)     # a cell reference is not a table name
    for ws in wb.worksheets:
        assert not ws.merged_cells.ranges, ws.title


def test_headers_carry_unit_and_breakdowns_labels_and_codes(book):
    lang, wb = book
    header, _ = _table_rows(wb["MVK01"])
    if lang == "sv":
        assert header == ["År", "Kön", "Kön (kod)", "Värde (procent)", "Markering", "Tillförlitlighet",
                          "Källa (webbadress)"]
    else:
        assert header == ["Year", "Sex", "Sex (code)", "Value (per cent)", "Marker", "Reliability",
                          "Source (web address)"]
    rows = _by_header(wb["MVK01"])
    assert [(r[header[1]], r[header[2]]) for r in rows if r[header[0]] == 2016] == (
        [("Kvinnor", "K"), ("Män", "M"), ("Samtliga", "T")] if lang == "sv" else
        [("Women", "K"), ("Men", "M"), ("All", "T")])
    header9, _ = _table_rows(wb["MVK09"])
    assert header9[1:3] == (["Region", "Region (kod)"] if lang == "sv" else ["Region", "Region (code)"])
    assert "100" in header9[3]
    regions = [(r[header9[1]], r[header9[2]]) for r in _by_header(wb["MVK09"]) if r[header9[0]] == 2023]
    assert regions[0] == ("Riket" if lang == "sv" else "Sweden", "00")
    assert regions[1][1] == "01" and isinstance(regions[1][1], str)         # leading zero kept: codes are text


def test_missing_value_has_its_marker_in_value_and_marker_columns(book):
    lang, wb = book
    header, _ = _table_rows(wb["MVK01"])
    row = next(r for r in _by_header(wb["MVK01"]) if r[header[0]] == 2017 and r[header[2]] == "M")
    assert row[header[3]] == "[c]" and row[header[4]] == "[c]"
    header5, _ = _table_rows(wb["MVK05"])
    row5 = next(r for r in _by_header(wb["MVK05"]) if r[header5[0]] == 2018)
    assert row5[header5[1]] == "[x]" and row5[header5[2]] == "[x]"
    for spec_id in IDS:                                        # no value cell is ever empty
        header, rows = _table_rows(wb[spec_id])
        assert all(row[-4] is not None for row in rows)
        assert all(isinstance(row[-4], int | float) or row[-3] and row[-4] in row[-3] for row in rows)


def test_flag_on_a_number_and_illustrative_values_are_marked(book):
    lang, wb = book
    header, _ = _table_rows(wb["MVK01"])
    provisional = next(r for r in _by_header(wb["MVK01"]) if r[header[0]] == 2017 and r[header[2]] == "T")
    assert provisional[header[3]] == 4.4 and provisional[header[4]] == "[p]"
    header5, _ = _table_rows(wb["MVK05"])
    row = next(r for r in _by_header(wb["MVK05"]) if r[header5[0]] == 2019)
    assert row[header5[1]] == 16 and row[header5[2]] == "[ill.]"
    header9, _ = _table_rows(wb["MVK09"])
    marks = {(r[header9[0]], r[header9[2]]): r[header9[4]] for r in _by_header(wb["MVK09"])}
    assert marks[(2023, "01")] == "[ill.]" and marks[(2023, "00")] is None
    notice = "Illustrativa värden – inte officiell statistik" if lang == "sv" else "Illustrative values – not official"
    cover_text = [c.value for c in wb[FIRST_SHEETS[lang][0]]["A"] if c.value]
    assert any(notice in text for text in cover_text)
    for spec_id, expected in (("MVK01", False), ("MVK05", True), ("MVK09", True)):
        ws = wb[spec_id]
        header_row = int(re.match(r"A(\d+):", _table(ws).ref)[1])
        above = [ws.cell(row=r, column=1).value for r in range(1, header_row)]
        assert any(notice in text for text in above) is expected, spec_id


def test_numbers_are_numeric_rounded_half_up_with_matching_format(book):
    _, wb = book
    for spec_id, fmt in (("MVK01", "#,##0.0"), ("MVK05", "#,##0"), ("MVK09", "#,##0.0")):
        ws = wb[spec_id]
        table = _table(ws)
        header_row = int(re.match(r"A(\d+):", table.ref)[1])
        value_column = len(table.tableColumns) - 3
        year_cells = [ws.cell(row=r, column=1) for r in range(header_row + 1, ws.max_row + 1)]
        assert all(c.data_type == "n" and isinstance(c.value, int) for c in year_cells)
        numbers = [ws.cell(row=r, column=value_column) for r in range(header_row + 1, ws.max_row + 1)]
        numbers = [c for c in numbers if not isinstance(c.value, str)]
        assert numbers and all(c.data_type == "n" for c in numbers)
        assert {c.number_format for c in numbers} == {fmt}
    header, _ = _table_rows(wb["MVK01"])
    values = {(r[header[0]], r[header[2]]): r[header[3]] for r in _by_header(wb["MVK01"])}
    assert values[(2016, "T")] == 4.3          # 4.25 rounded half away from zero, not half-even
    assert values[(2017, "K")] == 7.4
    header9, _ = _table_rows(wb["MVK09"])
    assert {(r[header9[0]], r[header9[2]]): r[header9[3]] for r in _by_header(wb["MVK09"])}[(2023, "12")] == 61.4


def test_notes_are_numbered_with_full_marker_legend_and_referenced(book):
    lang, wb = book
    ws = wb[FIRST_SHEETS[lang][2]]
    header, rows = _table_rows(ws)
    assert [r[0] for r in rows] == [f"[note {n}]" for n in range(1, len(rows) + 1)]
    texts = [r[2] for r in rows]
    for marker in MARKERS:
        assert any(text.startswith(marker + " ") for text in texts), marker
    catalogue = load_catalogue()
    for spec_id in IDS:
        assert any(catalogue[spec_id].caveats[lang] == text for text in texts)
        referenced = re.findall(r"\[note (\d+)\]", wb[spec_id]["A4"].value)
        assert referenced and all(1 <= int(n) <= len(rows) for n in referenced)
        caveat_note = texts.index(catalogue[spec_id].caveats[lang]) + 1
        assert str(caveat_note) in referenced
        assert spec_id in rows[caveat_note - 1][1]
    breaks = [text for text in texts if text.startswith("Tidsseriebrott" if lang == "sv" else "Break in series")]
    assert breaks                                           # NTU's 2016 break reaches MVK01's notes


def test_marker_legend_range_is_referenced_on_every_data_sheet(book):
    _, wb = book
    for spec_id in IDS:
        assert "[note 1]–[note 11]" in wb[spec_id]["A4"].value   # markers, [ill.] and the reliability tags


def test_an_indicator_without_rows_still_gets_a_marked_table():
    data = inputs()
    data["results"]["MVK05"] = data["results"]["MVK05"].iloc[0:0]
    wb = load_workbook(io.BytesIO(workbook_bytes(lang="en", **data)))
    header, rows = _table_rows(wb["MVK05"])
    assert rows == [["[x]"] * len(header)]
    contents = {r["Worksheet"]: r for r in _by_header(wb["Contents"])}
    assert contents["MVK05"]["Period covered"] == "No values"


def test_english_and_swedish_texts_differ_and_document_properties_are_set(book):
    lang, wb = book
    assert wb.properties.language == {"sv": "sv-SE", "en": "en-GB"}[lang]
    assert wb.properties.created == datetime(2026, 1, 1) and wb.properties.modified == datetime(2026, 1, 1)
    assert wb.properties.title and wb.properties.creator
    cover = wb[FIRST_SHEETS[lang][0]]
    assert cover["A1"].value.startswith("Uppföljning" if lang == "sv" else "Follow-up")
    assert any("(platshållare)" in (c.value or "") or "(placeholder)" in (c.value or "") for c in cover["A"])


def test_guidance_over_brief_no_filters_no_frozen_panes(book):
    _, wb = book
    for ws in wb.worksheets:
        assert ws.freeze_panes is None
        for table in ws.tables.values():
            assert table.autoFilter is None


def test_same_inputs_give_identical_bytes(tmp_path):
    one = workbook_bytes(lang="sv", **inputs())
    two = workbook_bytes(lang="sv", **inputs())
    assert one == two
    write_workbook(tmp_path / "a" / "mvk.xlsx", lang="sv", **inputs())
    assert (tmp_path / "a" / "mvk.xlsx").read_bytes() == one
    assert not list((tmp_path / "a").glob("*.partial"))
    with zipfile.ZipFile(io.BytesIO(one)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    assert workbook_bytes(lang="en", **inputs()) != one


def test_bytes_do_not_depend_on_the_process(tmp_path):
    """Another interpreter with another hash seed writes the same file (no set or dict-order leaks)."""
    script = ("import sys; sys.path.insert(0, 'tests'); from test_workbook import inputs; "
              "from reports.workbook import write_workbook; from pathlib import Path; "
              "write_workbook(Path(sys.argv[1]), lang='en', **inputs())")
    target = tmp_path / "other.xlsx"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script, str(target)], check=True, cwd=ROOT, env=env, timeout=120)
    assert target.read_bytes() == workbook_bytes(lang="en", **inputs())


def test_edition_dates():
    assert edition_date("2026") == datetime(2026, 1, 1)
    assert edition_date("2026-03-15") == datetime(2026, 3, 15)
    assert edition_date("utkast") == edition_date("test") == datetime(2000, 1, 1)


def test_category_labels_for_every_kind_of_breakdown():
    assert category_label("sex", "K", "sv") == "Kvinnor" and category_label("sex", "T", "en") == "All"
    assert category_label("region", "12", "sv") == "Skåne län" and category_label("region", "0180", "sv") == "Stockholm"
    assert category_label("police_region", "NORD", "en") == "Police region North"
    assert category_label("relation", "partner", "en") == "Current or former partner"
    assert category_label("relation", "T", "sv") == "Totalt"
    assert category_label("age_group", "16-84", "sv") == "16–84"
    assert category_label("programme", "IDAP", "en") == "IDAP"          # an unknown code is shown as itself
