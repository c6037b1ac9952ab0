"""The 2024 collaboration assignment part by part (issue 10 item 5): the template's Samverkansuppdrag
sheet and "who should act", their validation (XLSX and CSV, and template version 1 still read),
programme.collaboration_parts on the real warehouse, and collaboration.html in both languages."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
from markupsafe import escape
from openpyxl import load_workbook

from indicators.i18n import t
from indicators.programme.register import load_register
from indicators.programme.submission import CSV_COLUMNS, read_submission
from indicators.programme.template import (
    ACTOR_COLUMN,
    FIRST_ROW,
    META_VERSION,
    OBSTACLE_COLUMN,
    PART_STATUS_COLUMN,
    SHEET_COLLABORATION,
    SHEET_LISTS,
    SHEET_PARTS,
    SOLUTION_COLUMN,
    template_bytes,
)
from indicators.readers.model import ReaderError
from tests.conftest import PROJECT_ROOT

DATA = PROJECT_ROOT / "data"
def esc(text: str) -> str:
    """As Jinja's autoescape writes it (&#39; for an apostrophe)."""
    return str(escape(text))


REGISTER = load_register(DATA)
ASSIGNMENT = tuple(REGISTER.collaboration_assignment["agencies"])
PARTS = [task["id"] for task in REGISTER.collaboration_assignment["tasks"]]
TODAY = date(2026, 1, 31)


def read(data: bytes, name: str = "polisen_2025.xlsx"):
    return read_submission(data, file=name, register=REGISTER, today=TODAY)


def filled(agency: str = "polisen", *, parts: dict | None = None, actor: str | None = None,
           version: int | None = None) -> bytes:
    """The agency's 2025 template with every measure 'Okänd', one obstacle and the given part statuses."""
    wb = load_workbook(io.BytesIO(template_bytes(REGISTER, agency, 2025)))
    ws = wb["Åtgärder"]
    for r in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(r, 1).value:
            ws.cell(r, 5, "Okänd")
    ws = wb[SHEET_COLLABORATION]
    ws.cell(FIRST_ROW, OBSTACLE_COLUMN, "Sekretessen hindrar samverkan.")
    ws.cell(FIRST_ROW, SOLUTION_COLUMN, "Förtydliga reglerna.")
    if actor is not None:
        ws.cell(FIRST_ROW, ACTOR_COLUMN, actor)
    ws = wb[SHEET_PARTS]
    rows = {ws.cell(r, 1).value: r for r in range(FIRST_ROW, ws.max_row + 1)}
    for part_id, status in (parts or {}).items():
        ws.cell(rows[part_id], PART_STATUS_COLUMN, status)
    if version == 1:                 # a template as version 1 wrote it: no parts sheet
        wb[SHEET_LISTS][META_VERSION] = 1
        wb.remove(wb[SHEET_PARTS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_template_has_one_row_per_part_for_the_assignment_agencies_only():
    for agency, expected in (("polisen", PARTS), ("skolverket", [])):
        ws = load_workbook(io.BytesIO(template_bytes(REGISTER, agency, 2025)))[SHEET_PARTS]
        assert [ws.cell(r, 1).value for r in range(FIRST_ROW, FIRST_ROW + 3) if ws.cell(r, 1).value] == expected
    lists = load_workbook(io.BytesIO(template_bytes(REGISTER, "polisen", 2025)))[SHEET_LISTS]
    actors = [lists.cell(r, 6).value for r in range(2, 5)]
    assert actors == ["Regeringen", "Alla berörda", REGISTER.agencies[next(iter(REGISTER.agencies))].name["sv"]]


def test_parts_and_who_should_act_are_read():
    submission = read(filled(parts={"metoder_valdsutovare": "Pågående", "hinder_samverkan": "Genomförd"},
                             actor="Regeringen"))
    assert [(p.part_id, p.status) for p in submission.parts] == [("metoder_valdsutovare", "pagaende"),
                                                                  ("hinder_samverkan", "genomford")]
    assert submission.parts[0].location["status"] == "Samverkansuppdrag!C6"
    assert [o.actor for o in submission.obstacles] == ["regeringen"]
    assert read(filled(actor="Kriminalvården")).obstacles[0].actor == "kriminalvarden"
    assert read(filled(actor="")).obstacles[0].actor is None            # optional: not stated


def test_errors_name_the_cell():
    with pytest.raises(ReaderError) as caught:
        read(filled(actor="Grannen"))
    assert caught.value.key == "programme_followup.unknown_actor"
    assert caught.value.location == f"{SHEET_COLLABORATION}!E{FIRST_ROW}"
    assert "Grannen" in caught.value.message("sv") and "Samverkan!E6" in caught.value.message("sv")
    with pytest.raises(ReaderError) as caught:
        read(filled(parts={"synkroniserade_insatser": "Kanske"}))
    assert (caught.value.key, caught.value.location) == ("programme.invalid_status", "Samverkansuppdrag!C7")


def test_version_1_templates_are_still_read():
    submission = read(filled(version=1, actor="Regeringen"))
    assert submission.parts == []
    assert [o.actor for o in submission.obstacles] == [None]        # version 1 had no "who should act" column


def csv_report(agency: str, rows: list[dict], *, actor_column: bool = False) -> bytes:
    columns = list(CSV_COLUMNS) + (["aktör"] if actor_column else [])
    name = REGISTER.agencies[agency].name["sv"]
    measures = [{"del": "åtgärd", "id": m.id, "status": "okand"} for m in REGISTER.measures.values()
                if agency in m.agencies]
    lines = [";".join(columns)]
    for row in measures + rows:
        values = {"myndighet": name, "år": "2025", **row}
        lines.append(";".join(str(values.get(c, "")) for c in columns))
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_csv_parts_and_actor_column():
    data = csv_report("kriminalvarden", [
        {"del": "samverkansuppdrag", "id": "synkroniserade_insatser", "status": "Pågående",
         "underlag": "Återrapport 2025, s. 3"},
        {"del": "samverkan", "kategori": "resurser", "hinder": "För få handläggare.", "lösning": "Medel.",
         "aktör": "alla"}], actor_column=True)
    submission = read(data, "kriminalvarden_2025.csv")
    assert [(p.part_id, p.status, p.evidence) for p in submission.parts] == [
        ("synkroniserade_insatser", "pagaende", "Återrapport 2025, s. 3")]
    assert submission.obstacles[0].actor == "alla"
    with pytest.raises(ReaderError) as caught:   # Skolverket is not in the assignment
        read(csv_report("skolverket", [{"del": "samverkansuppdrag", "id": "hinder_samverkan", "status": "pagaende"}]),
             "skolverket_2025.csv")
    assert caught.value.key == "programme_followup.part_not_assigned"
    with pytest.raises(ReaderError) as caught:
        read(csv_report("polisen", [{"del": "samverkansuppdrag", "id": "del_fyra", "status": "pagaende"}]),
             "polisen_2025.csv")
    assert caught.value.key == "programme_followup.unknown_part" and "del_fyra" in caught.value.message("en")


def test_shipped_reports_of_the_four_agencies_report_every_part_both_years():
    for agency in ASSIGNMENT:
        for year in (2024, 2025):
            path = DATA / "submissions" / f"{agency}_{year}.xlsx"
            submission = read(path.read_bytes(), path.name)
            assert [p.part_id for p in submission.parts] == PARTS, path.name
            assert submission.obstacles and all(o.actor for o in submission.obstacles), path.name


@pytest.fixture(scope="module")
def built(built_in_process) -> Path:
    return built_in_process / "out"


def test_collaboration_parts_table_is_parts_by_agencies_by_year(built):
    with duckdb.connect(str(built / "warehouse" / "warehouse.duckdb"), read_only=True) as conn:
        rows = conn.execute("select part_id, agency_id, year, reported_status, assessed_status, source_file, "
                            "source, reported, illustrative from programme.collaboration_parts").fetchall()
        actors = conn.execute("select distinct actor from programme.obstacles where year = 2025 "
                              "and agency_id in ('polisen', 'socialstyrelsen')").fetchall()
    assert len(rows) == len(PARTS) * len(ASSIGNMENT) * 2                    # 3 parts × 4 agencies × 2024–2025
    for part_id, agency, year, reported, assessed, source_file, source, was_reported, illustrative in rows:
        path = DATA / "submissions" / f"{agency}_{year}.xlsx"
        expected = {p.part_id: p for p in read(path.read_bytes(), path.name).parts}[part_id]
        assert was_reported and illustrative and reported == expected.status
        assert assessed == reported                     # every shipped part cites a document
        assert (source_file, source) == (path.name, expected.location["status"])
    assert {a for (a,) in actors} <= {"regeringen", "alla", *REGISTER.agencies} and len(actors) > 1


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_collaboration_page_parts_by_year_and_who_should_act(built, lang):
    page = ((built / "site") if lang == "sv" else (built / "site" / "en")) / "collaboration.html"
    page = page.read_text(encoding="utf-8")
    start = page.index('<h2 id="parts-by-year"')
    block = page[start:page.index("<h2", start + 5)]
    for year in (2024, 2025):
        table = block[block.index(f'<h3 id="parts-{year}"'):]
        table = table[:table.index("</table>")]
        rows = re.findall(r'<tr><th scope="row">(\d)\. ([^<]+)</th>(.*?)</tr>', table)
        assert [html.unescape(task) for _, task, _ in rows] == [task[lang] for task in
                                                                REGISTER.collaboration_assignment["tasks"]]
        for position, (_, _, cells) in enumerate(rows):
            assert cells.count("<td") == len(ASSIGNMENT) and cells.count("[ill.]") >= len(ASSIGNMENT)
            for agency, cell in zip(ASSIGNMENT, re.findall(r"<td>(.*?)</td>", cells), strict=True):
                path = DATA / "submissions" / f"{agency}_{year}.xlsx"
                status = read(path.read_bytes(), path.name).parts[position].status
                assert cell.startswith(esc(REGISTER.statuses[status]["label"][lang]))
                assert f"{path.name}, Samverkansuppdrag!C{FIRST_ROW + position}" in cell
    obstacles = page[page.index('<h2 id="obstacles"'):]
    assert esc(t("programme_followup.template.col.actor", lang)) in obstacles
    assert esc(t("programme_followup.actor.regeringen", lang)) in obstacles
    assert ">regeringen<" not in obstacles and ">alla<" not in obstacles         # labels, never codes
