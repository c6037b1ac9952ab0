"""The agencies' XLSX reporting template: sheets, locked and answer cells, drop-downs, bytes, round trip."""

from __future__ import annotations

import importlib.util
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from indicators.i18n import t
from indicators.programme.register import load_register, measures_for
from indicators.programme.submission import CSV_COLUMNS, is_submission, read_submission
from indicators.programme.template import (
    FIRST_ROW,
    HEADER_ROW,
    ILLUSTRATIVE_MARKER,
    OBSTACLE_ROWS,
    SHEET_COLLABORATION,
    SHEET_INSTRUCTIONS,
    SHEET_KEY_FIGURES,
    SHEET_LISTS,
    SHEET_MEASURES,
    SHEET_PARTS,
    TEMPLATE_MARKER,
    TEMPLATE_VERSION,
    MeasureLayout,
    build_template,
    template_bytes,
    write_template,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "programme"


def _load_helpers():
    spec = importlib.util.spec_from_file_location("programme_helpers", FIXTURES / "helpers.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


helpers = _load_helpers()


@pytest.fixture(scope="module")
def tiny():
    return helpers.tiny_register()


@pytest.fixture(scope="module")
def shipped():
    return load_register(ROOT / "data")


@pytest.fixture(scope="module")
def tiny_template(tiny) -> bytes:
    return template_bytes(tiny, "polisen", 2025)


def _wb(data: bytes):
    return load_workbook(io.BytesIO(data))


# --- structure --------------------------------------------------------------------------------------


def test_sheets_in_order_lists_hidden_and_metadata(tiny_template) -> None:
    wb = _wb(tiny_template)
    assert wb.sheetnames == [SHEET_INSTRUCTIONS, SHEET_MEASURES, SHEET_KEY_FIGURES, SHEET_COLLABORATION,
                             SHEET_PARTS, SHEET_LISTS]   # version 2: the assignment's parts sheet
    assert [ws.sheet_state for ws in wb.worksheets] == ["visible"] * 5 + ["hidden"]
    meta = wb[SHEET_LISTS]
    assert [[c.value for c in row] for row in meta["A1:B5"]] == [
        ["mall", TEMPLATE_MARKER], ["version", TEMPLATE_VERSION], ["myndighet", "polisen"], ["år", 2025],
        ["perspektiv", ";".join(helpers.PERSPECTIVES)]]
    assert [meta.cell(r, 4).value for r in range(2, 8)] == [sv for sv, _ in helpers.STATUSES.values()]
    assert [meta.cell(r, 5).value for r in (2, 3)] == ["ja", "nej"]
    assert wb.active.title == SHEET_INSTRUCTIONS


def test_one_row_per_measure_of_the_agency_with_locked_facts(tiny_template, tiny) -> None:
    ws = _wb(tiny_template)[SHEET_MEASURES]
    rows = [[ws.cell(r, c).value for c in range(1, 5)] for r in range(FIRST_ROW, ws.max_row + 1)]
    assert [row[0] for row in rows] == ["A001", "A002", "A003"]  # not A004, Skolverket's
    assert [row[2] for row in rows] == ["ansvarig", "medansvarig", "ansvarig"]
    assert rows[0][1] == f"Metoder för högriskaktörer (sv) {ILLUSTRATIVE_MARKER}"
    assert rows[0][3].date() == date(2026, 12, 31) and rows[2][3].date() == date(2025, 6, 30)
    assert rows[1][3] == "ej angivet"  # no deadline
    headers = [ws.cell(HEADER_ROW, c).value for c in range(1, ws.max_column + 1)]
    assert headers[:6] == ["Åtgärd-id", "Åtgärd", "Roll", "Slutdatum", "Status", "Statusdatum"]
    assert headers[6:12] == [f"Perspektiv: {sv}" for sv, _ in helpers.PERSPECTIVE_LABELS.values()]
    assert headers[12:] == ["Underlag (dokument och sida)", "Beskrivning"]
    assert ws["B2"].value == "Polismyndigheten" and ws["B3"].value == 2025


def test_key_figures_and_collaboration_rows(tiny_template) -> None:
    wb = _wb(tiny_template)
    ws = wb[SHEET_KEY_FIGURES]
    assert [[ws.cell(r, c).value for c in range(1, 5)] for r in range(FIRST_ROW, ws.max_row + 1)] == [
        ["polisen_hogrisk", "Identifierade högriskaktörer", "personer", None],
        ["polisen_insatser", "Synkroniserade insatser", "ärenden", None]]
    ws = wb[SHEET_COLLABORATION]
    codes = [ws.cell(r, 1).value for r in range(FIRST_ROW, ws.max_row + 1)]
    assert codes == [code for code in helpers.CATEGORIES for _ in range(OBSTACLE_ROWS)]
    assert ws.cell(FIRST_ROW, 2).value == "Lagstiftning och sekretess"
    assert [ws.cell(HEADER_ROW, c).value for c in (3, 4)] == ["Hinder", "Förslag till lösning"]


def test_instructions_in_swedish(tiny_template) -> None:
    ws = _wb(tiny_template)[SHEET_INSTRUCTIONS]
    text = "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v)
    for status_sv, _ in helpers.STATUSES.values():
        assert f"\n{status_sv}\nBetydelse: {status_sv}." in text  # each status with its meaning
    assert "förslag från projektet" in text and "ingen officiell indelning" in text
    assert "personnummer" in text and "avvisas" in text
    assert "senast 2026-02-15" in text
    assert all(sv in text for sv, _ in helpers.PERSPECTIVE_LABELS.values())
    assert all(sv in text for sv, _ in helpers.CATEGORY_LABELS.values())
    assert "operativ samverkan" in text  # polisen is in the collaboration assignment
    assert ILLUSTRATIVE_MARKER in text
    assert ";".join(CSV_COLUMNS) in text


def test_return_date_and_language_can_be_chosen(tiny) -> None:
    wb = build_template(tiny, "skolverket", 2024, return_by=date(2025, 1, 31), lang="en")
    text = "\n".join(str(v) for row in wb[SHEET_INSTRUCTIONS].iter_rows(values_only=True) for v in row if v)
    assert "by 2025-01-31" in text and "proposal of the MVK follow-up project" in text and "(optional)" in text
    assert wb[SHEET_MEASURES].cell(HEADER_ROW, 1).value == "Measure id"
    assert wb.sheetnames[1] == SHEET_MEASURES  # sheet names stay Swedish


@pytest.mark.parametrize(("agency", "year"), [("okand", 2025), ("polisen", 2023), ("polisen", 2027)])
def test_unknown_agency_or_year_outside_programme_is_refused(tiny, agency, year) -> None:
    with pytest.raises(ValueError):
        build_template(tiny, agency, year)


# --- protection -------------------------------------------------------------------------------------


def test_every_sheet_and_the_structure_are_protected(tiny_template) -> None:
    wb = _wb(tiny_template)
    assert wb.security.lockStructure
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert ws.protection.password is None  # no password, by design


def test_only_answer_cells_are_unlocked(tiny_template) -> None:
    wb = _wb(tiny_template)
    layout = MeasureLayout(helpers.PERSPECTIVES)
    answer_columns = {
        SHEET_MEASURES: set(range(5, layout.narrative_column + 1)),
        SHEET_KEY_FIGURES: {4},
        SHEET_COLLABORATION: {3, 4, 5},            # obstacle, solution, who should act (version 2)
        SHEET_PARTS: {3, 4, 5},                    # the parts' status, evidence, narrative (polisen's assignment)
    }
    for ws in wb.worksheets:
        last_row, last_column = ws.max_row, ws.max_column  # iter_rows beyond them adds cells
        for row in ws.iter_rows(min_row=1, max_row=last_row + 2, max_col=last_column + 2):
            for cell in row:
                unlocked = ws.title in answer_columns and FIRST_ROW <= cell.row <= last_row \
                    and cell.column in answer_columns[ws.title]
                assert cell.protection.locked is not unlocked, f"{ws.title}!{cell.coordinate}"
    ws = wb[SHEET_MEASURES]
    assert ws["A6"].protection.locked and ws["B6"].protection.locked and ws["D6"].protection.locked
    assert not ws["E6"].protection.locked and not ws["N8"].protection.locked


def test_drop_downs_and_number_rules(tiny_template) -> None:
    wb = _wb(tiny_template)
    rules = {(dv.type, dv.formula1, dv.formula2, str(dv.sqref))
             for dv in wb[SHEET_MEASURES].data_validations.dataValidation}
    assert rules == {("list", "Lista!$D$2:$D$7", None, "E6:E8"),
                     ("date", "DATE(2024,1,1)", "DATE(2025,12,31)", "F6:F8"),
                     ("list", "Lista!$E$2:$E$3", None, "G6:L8")}
    rules = {(dv.type, dv.operator, dv.formula1, str(dv.sqref))
             for dv in wb[SHEET_KEY_FIGURES].data_validations.dataValidation}
    assert rules == {("whole", "greaterThanOrEqual", "0", "D6:D7")}
    for dv in wb[SHEET_MEASURES].data_validations.dataValidation:
        assert dv.showErrorMessage and dv.error and dv.prompt


# --- bytes ------------------------------------------------------------------------------------------


def test_template_bytes_are_deterministic(tiny, tmp_path) -> None:
    first = template_bytes(tiny, "polisen", 2025)
    assert first == template_bytes(tiny, "polisen", 2025)
    assert helpers.zip_times(first) == {(2025, 1, 1, 0, 0, 0)}
    wb = _wb(first)
    assert wb.properties.created.year == 2025 and wb.properties.modified == wb.properties.created
    path = tmp_path / "sub" / "mall.xlsx"
    write_template(tiny, "polisen", 2025, path)
    assert path.read_bytes() == first
    assert not list(path.parent.glob("*.partial"))
    assert template_bytes(tiny, "polisen", 2026) != first


def test_shipped_register_template_for_every_agency(shipped) -> None:
    for agency_id in shipped.agencies:
        data = template_bytes(shipped, agency_id, 2025)
        assert is_submission(data, f"{agency_id}.xlsx")
        ws = _wb(data)[SHEET_MEASURES]
        ids = [ws.cell(r, 1).value for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value]
        assert ids == [m.id for m in measures_for(shipped, agency_id)]


# --- round trip -------------------------------------------------------------------------------------


def test_round_trip_gives_back_exactly_what_was_filled(tiny, tiny_template) -> None:
    filled = helpers.fill_template(tiny_template, helpers.TINY_ANSWERS)
    submission = read_submission(filled, file="polisen_2025.xlsx", register=tiny, today=helpers.TODAY)
    assert (submission.agency_id, submission.year, submission.format) == ("polisen", 2025, "xlsx")
    answers = helpers.TINY_ANSWERS
    status_codes = {sv: code for code, (sv, _) in helpers.STATUSES.items()}
    got = {m.measure_id: {"status": m.status, "status_date": m.status_date, "perspectives": m.perspectives,
                          "evidence": m.evidence, "narrative": m.narrative} for m in submission.measures}
    assert got == {mid: {**a, "status": status_codes[a["status"]]} for mid, a in answers["measures"].items()}
    assert {kf.key_figure_id: kf.value for kf in submission.key_figures} == answers["key_figures"]
    assert [(o.category, o.description, o.proposed_solution) for o in submission.obstacles] == answers["obstacles"]
    first = submission.measures[0]
    assert first.location == {"measure_id": "Åtgärder!A6", "status": "Åtgärder!E6", "status_date": "Åtgärder!F6",
                              "perspectives": "Åtgärder!G6:L6", "evidence": "Åtgärder!M6",
                              "narrative": "Åtgärder!N6"}
    assert submission.key_figures[0].location == {"key_figure_id": "Nyckeltal!A6", "value": "Nyckeltal!D6"}
    assert submission.obstacles[2].location["proposed_solution"] == "Samverkan!D16"


def test_english_template_reads_the_same(tiny) -> None:
    answers = {**helpers.TINY_ANSWERS, "measures": {
        mid: {**a, "status": dict(helpers.STATUSES.values())[a["status"]]}  # the English labels
        for mid, a in helpers.TINY_ANSWERS["measures"].items()}}
    english = helpers.fill_template(template_bytes(tiny, "polisen", 2025, lang="en"), answers)
    swedish = helpers.fill_template(template_bytes(tiny, "polisen", 2025), helpers.TINY_ANSWERS)
    assert read_submission(english, file="en.xlsx", register=tiny, today=helpers.TODAY) == \
        read_submission(swedish, file="sv.xlsx", register=tiny, today=helpers.TODAY)


def test_shipped_register_round_trip(shipped) -> None:
    measures = measures_for(shipped, "kriminalvarden")
    answers = {"agency": "kriminalvarden", "year": 2025,
               "measures": {m.id: {"status": "Pågående", "status_date": date(2025, 6, 1), "perspectives": ("aldre",),
                                   "evidence": "Årsredovisning 2025", "narrative": "Illustrativt exempel – pågår."}
                            for m in measures},
               "key_figures": {kf: n for n, kf in enumerate(shipped.agencies["kriminalvarden"].key_figures)},
               "obstacles": [("kompetens", "Illustrativt exempel – hinder.", "Illustrativt exempel – lösning.")]}
    filled = helpers.fill_template(template_bytes(shipped, "kriminalvarden", 2025), answers,
                                   tuple(shipped.perspectives))
    submission = read_submission(filled, file="kvv.xlsx", register=shipped, today=helpers.TODAY)
    assert [m.measure_id for m in submission.measures] == [m.id for m in measures]
    assert {kf.key_figure_id: kf.value for kf in submission.key_figures} == answers["key_figures"]
    assert submission.obstacles[0].category == "kompetens"


def test_template_texts_exist_in_both_languages() -> None:
    for key in ("programme.template.instructions_title", "programme.template.no_identity_numbers"):
        assert t(key, "sv", agency="X", year=2025) and t(key, "en", agency="X", year=2025)
