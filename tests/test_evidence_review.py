"""The analyst's review workbook (issue 10 item 3) and the assessed status it feeds.

Written and read back; locked cells and the decision drop-down; every bad input refused with the sheet
and cell in Swedish and English; programme.measure_status on a real DuckDB file (a decision changes the
assessed status and cites the page, independently of the reported status; reported genomford without a
decision is "rapporterad genomförd, underlag saknas"); and ``mvk evidence`` on a small warehouse.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from indicators.evidence.review import (
    DECISION_COLUMN,
    FIRST_ROW,
    KEY_DOCUMENT_COLUMN,
    REVIEW_MARKER,
    SHEET_LISTS,
    SHEET_REVIEW,
    is_review_workbook,
    key_text,
    read_review_workbook,
    review_rows,
    write_review_workbook,
)
from indicators.evidence.store import store_decisions
from indicators.i18n import t
from indicators.programme.register import load_register
from indicators.programme.store import ensure_schema, store_register
from indicators.programme.template import template_bytes
from indicators.readers.model import ReaderError
from pipelines import cli

ROOT = Path(__file__).resolve().parents[1]
REGISTER = load_register(ROOT / "data")
YEAR = 2025
SHA_A, SHA_B = "a" * 64, "b" * 64
DOC_A, DOC_B = "polisen_arsredovisning_2025.pdf", "polisen_aterrapportering_2025.docx"
STATUS_SQL = ROOT / "indicators" / "sql" / "programme" / "measure_status.sql"
EVIDENCE_SCHEMA = ROOT / "indicators" / "sql" / "evidence" / "schema.sql"
ROLLUPS_SQL = ROOT / "indicators" / "sql" / "programme" / "rollups.sql"


def _candidates() -> pd.DataFrame:
    """Two passages for A001 (best first), one for A002; nothing for the other measures."""
    return pd.DataFrame([
        dict(measure_id="A001", document_sha256=SHA_A, document_name=DOC_A, page=14, rank=1, score=0.92,
             match_kind="measure_id", excerpt="Åtgärd A001 har genomförts och slutredovisats.",
             suggested_status="genomford", status_words="har genomförts, slutredovisats", illustrative=True),
        dict(measure_id="A001", document_sha256=SHA_B, document_name=DOC_B, page=3, rank=2, score=0.41,
             match_kind="title", excerpt="=HYPERLINK(\"http://x\") Arbetet pågår.", suggested_status="pagaende",
             status_words="pågår", illustrative=True),
        dict(measure_id="A002", document_sha256=SHA_A, document_name=DOC_A, page=7, rank=1, score=0.77,
             match_kind="reference", excerpt="Uppdraget (Ju2024/01234) pågår.", suggested_status="pagaende",
             status_words="pågår", illustrative=True),
    ])


def _workbook(lang: str = "sv") -> bytes:
    rows = review_rows(REGISTER, _candidates(), reported={"A001": ("genomford", True), "A002": ("pagaende", True)})
    return write_review_workbook(rows, year=YEAR, register=REGISTER, lang=lang)


def _edit(content: bytes, change) -> bytes:
    """The workbook after ``change(wb)``, saved as Excel would (an analyst's filled copy)."""
    wb = load_workbook(io.BytesIO(content))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _decide(content: bytes, decisions: dict[int, tuple]) -> bytes:
    """Fill decision, comment and reviewer on the given sheet rows."""
    def change(wb):
        ws = wb[SHEET_REVIEW]
        for row, values in decisions.items():
            for offset, value in enumerate(values):
                ws.cell(row, DECISION_COLUMN + offset, value)
    return _edit(content, change)


def _row_of(content: bytes, measure_id: str, sha: str | None = None) -> int:
    ws = load_workbook(io.BytesIO(content))[SHEET_REVIEW]
    for r in range(FIRST_ROW, ws.max_row + 1):
        keys = ws.cell(r, KEY_DOCUMENT_COLUMN - 1).value, ws.cell(r, KEY_DOCUMENT_COLUMN).value or None
        if keys == (measure_id, key_text(sha) if sha else None):
            return r
    raise AssertionError(f"no row for {measure_id} {sha}")


# ------------------------------------------------------------------------------------------- workbook
def test_round_trip_reads_the_decisions_and_skips_blank_rows():
    content = _workbook()
    a001_best, a001_second = _row_of(content, "A001", SHA_A), _row_of(content, "A001", SHA_B)
    a003 = _row_of(content, "A003")                 # no candidate: one row without a document
    filled = _decide(content, {a001_best: ("Genomförd", "Slutredovisningen finns på s. 14.", "EK"),
                               a001_second: ("Inte underlag", None, "EK"),
                               a003: ("inte underlag", "Inget hittat i årsredovisningen.", None)})
    decisions = read_review_workbook(filled, file="granskning_2025.xlsx", register=REGISTER, year=YEAR)
    assert list(decisions.columns) == ["measure_id", "year", "document_sha256", "page", "decision", "comment",
                                       "location", "reviewer"]
    assert len(decisions) == 3                      # A002's row was left blank: not reviewed
    best = decisions.iloc[0].to_dict()
    assert best == {"measure_id": "A001", "year": YEAR, "document_sha256": SHA_A, "page": 14,
                    "decision": "genomford", "comment": "Slutredovisningen finns på s. 14.",
                    "location": f"Granskning!K{a001_best}", "reviewer": "EK"}
    assert decisions.iloc[1]["decision"] == "ingen_evidens" and decisions.iloc[1]["page"] == 3
    none_found = decisions.iloc[2]
    assert none_found["measure_id"] == "A003" and none_found["decision"] == "ingen_evidens"
    assert pd.isna(none_found["document_sha256"]) and pd.isna(none_found["page"])


def test_rows_cover_every_measure_and_the_bytes_are_deterministic():
    content = _workbook()
    assert content == _workbook()                   # fixed document dates and zip timestamps
    assert is_review_workbook(content, "granskning.xlsx")
    assert not is_review_workbook(template_bytes(REGISTER, "polisen", YEAR), "polisen_2025.xlsx")
    assert not is_review_workbook(b"not a workbook", "x.xlsx")
    ws = load_workbook(io.BytesIO(content))[SHEET_REVIEW]
    measures = {ws.cell(r, 14).value for r in range(FIRST_ROW, ws.max_row + 1)}
    assert measures == set(REGISTER.measures)       # also those without a passage
    assert ws.max_row - FIRST_ROW + 1 == len(REGISTER.measures) + 1   # A001 has two passages
    best = _row_of(content, "A001", SHA_A)
    assert ws.cell(best, 1).value.startswith("A001 ")
    assert ws.cell(best, 3).value == "Genomförd [ill.]"          # reported, from an illustrative report
    assert ws.cell(best, 4).value == f"{DOC_A} [ill.]" and ws.cell(best, 5).value == 14
    assert ws.cell(best, 7).value == "Genomförd" and ws.cell(best, 8).value == "har genomförts, slutredovisats"
    assert ws.cell(best, 9).value == "åtgärdens id" and ws.cell(best, 10).value == 0.92
    formula = ws.cell(_row_of(content, "A001", SHA_B), 6)
    assert formula.data_type == "s" and formula.value.startswith("=HYPERLINK")   # agency text, never a formula
    english = load_workbook(io.BytesIO(_workbook("en")))
    assert english[SHEET_REVIEW].cell(5, DECISION_COLUMN).value == "Decision"
    assert "Not evidence" in [c.value for c in english[SHEET_LISTS]["D"]]


def test_structure_is_locked_and_the_decision_has_a_drop_down():
    wb = load_workbook(io.BytesIO(_workbook()))
    assert wb.sheetnames == ["Instruktioner", "Granskning", "Lista"]
    assert wb.security.lockStructure
    assert all(ws.protection.sheet for ws in wb.worksheets)
    assert wb[SHEET_LISTS].sheet_state == "hidden" and wb[SHEET_LISTS]["B1"].value == REVIEW_MARKER
    ws = wb[SHEET_REVIEW]
    row = FIRST_ROW
    unlocked = {c for c in range(1, 18) if not ws.cell(row, c).protection.locked}
    assert unlocked == {11, 12, 13}                 # decision, comment, reviewer
    assert all(ws.column_dimensions[letter].hidden for letter in "NOPQ")   # the keys
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1
    dv = validations[0]
    assert dv.type == "list" and str(dv.sqref) == f"K{FIRST_ROW}:K{ws.max_row}"
    listed = [wb[SHEET_LISTS].cell(r, 4).value for r in range(2, 2 + len(REGISTER.statuses) + 1)]
    assert dv.formula1 == f"Lista!$D$2:$D${1 + len(listed)}"
    assert listed == [s["label"]["sv"] for s in REGISTER.statuses.values()] + ["Inte underlag"]


# ------------------------------------------------------------------------------------------ bad input
def _refused(content: bytes, *, year: int | None = None) -> ReaderError:
    with pytest.raises(ReaderError) as caught:
        read_review_workbook(content, file="granskning_2025.xlsx", register=REGISTER, year=year)
    return caught.value


def _delete_sheet(name: str):
    return lambda wb: wb.remove(wb[name])


def _set(sheet: str, cell: str, value):
    def change(wb):
        wb[sheet][cell].value = value
    return change


def _bad_inputs():
    content = _workbook()
    best = _row_of(content, "A001", SHA_A)
    without = _row_of(content, "A003")
    return {
        "bad decision": (_decide(content, {best: ("Kanske",)}), "evidence_review.invalid_decision",
                         f"Granskning!K{best}", "Kanske"),
        "altered key": (_edit(content, _set(SHEET_REVIEW, f"O{best}", key_text(SHA_B))), "evidence_review.keys_altered",
                        f"Granskning!N{best}:Q{best}", "A001"),
        "altered page": (_edit(content, _set(SHEET_REVIEW, f"P{best}", 15)), "evidence_review.keys_altered",
                         f"Granskning!N{best}:Q{best}", "15"),
        "year shown": (_edit(content, _set(SHEET_REVIEW, "B2", 2024)), "evidence_review.year_mismatch",
                       "Granskning!B2", "2024"),
        "year outside": (_edit(content, _set(SHEET_LISTS, "B3", 2031)), "evidence_review.year_out_of_range",
                         "Lista!B3", "2031"),
        "removed sheet": (_edit(content, _delete_sheet("Instruktioner")), "evidence_review.missing_sheet",
                          "Instruktioner!A1", "Instruktioner"),
        "status without document": (_decide(content, {without: ("Genomförd",)}),
                                    "evidence_review.status_without_document", f"Granskning!K{without}",
                                    "Genomförd"),
        "identity number": (_decide(content, {best: ("Genomförd", "Handläggare 19121212-1212 ringde.")}),
                            "programme.identity_number", f"Granskning!L{best}", "19121212-****"),
        "not a review": (template_bytes(REGISTER, "polisen", YEAR), "evidence_review.not_review", "Lista!B1",
                         "mvk-programme-report"),
    }


BAD = _bad_inputs()


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("case", sorted(BAD))
def test_every_bad_input_is_located(case, lang):
    content, key, location, found = BAD[case]
    error = _refused(content)
    assert (error.key, error.location) == (key, location)
    message = error.message(lang)
    assert "granskning_2025.xlsx" in message and location in message and found in message
    assert "1212-1212" not in message and "1212-1212" not in repr(error)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_workbook_for_another_year_and_an_unknown_measure_are_refused(lang):
    error = _refused(_workbook(), year=2024)
    assert (error.key, error.location) == ("evidence_review.year_mismatch", "Lista!B3")
    assert "2024" in error.message(lang) and "2025" in error.message(lang)
    rows = review_rows(REGISTER, _candidates())
    rows.loc[rows["measure_id"] == "A002", "measure_id"] = "A999"     # a register the workbook predates
    content = write_review_workbook(rows, year=YEAR, register=REGISTER)
    error = _refused(content)
    assert error.key == "evidence_review.unknown_measure" and error.location.startswith("Granskning!N")
    assert "A999" in error.message(lang)


# ------------------------------------------------------------------------------------ measure_status
def _statements(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [s for s in text.split(";") if any(line.strip() and not line.strip().startswith("--")
                                              for line in s.splitlines())]


def _lead(measure_id: str) -> str:
    return REGISTER.measures[measure_id].agencies[0]


def _warehouse(path: Path, reports: dict[str, str], *, candidates: bool = True) -> duckdb.DuckDBPyConnection:
    """A real warehouse file: the register, reports for ``reports`` (measure → status), two documents."""
    conn = duckdb.connect(str(path))
    ensure_schema(conn)
    store_register(conn, REGISTER)
    conn.execute(EVIDENCE_SCHEMA.read_text(encoding="utf-8"))   # the lead's assets do this before status
    for measure_id, status in reports.items():
        conn.execute("insert into programme.measure_reports values (?, ?, ?, ?, null, '', null, null, "
                     "'Beskrivning.', 'Åtgärder!E6', 'f00', true)", [measure_id, _lead(measure_id), YEAR, status])
    for sha, name, page_count in ((SHA_A, DOC_A, 40), (SHA_B, DOC_B, 5)):
        conn.execute("insert into evidence.documents values (?, ?, 'pdf', 'polisen', ?, 'arsredovisning', null, "
                     "?, 0, 'pdfplumber 0.11.10', 'text', 'illustrative', true, ?)",
                     [sha, name, YEAR, page_count, datetime(2026, 2, 1)])
    if candidates:
        frame = _candidates().drop(columns=["document_name"])   # noqa: F841 - read by DuckDB
        conn.execute("insert into evidence.candidates select measure_id, document_sha256, page, rank, score, "
                     "match_kind, excerpt, suggested_status, status_words, illustrative from frame")
    return conn


def _status(conn) -> dict[str, dict]:
    for path in (STATUS_SQL, ROLLUPS_SQL):
        for statement in _statements(path):
            values = {"year": YEAR, "as_of": "2025-12-31"}
            conn.execute(statement, {k: v for k, v in values.items() if f"${k}" in statement})
    frame = conn.execute("select * from programme.measure_status").df()
    return {r["measure_id"]: r for r in frame.to_dict("records")}


def _file_review(conn, content: bytes, sha: str, moment: datetime) -> None:
    decisions = read_review_workbook(content, file=f"granskning_{sha[:4]}.xlsx", register=REGISTER)
    store_decisions(conn, decisions, review_sha256=sha, illustrative=True)
    conn.execute("update evidence.decisions set received_at = ? where review_sha256 = ?", [moment, sha])


def test_without_evidence_every_assessed_status_is_unknown(tmp_path):
    conn = _warehouse(tmp_path / "warehouse.duckdb", {"A001": "genomford", "A002": "pagaende"}, candidates=False)
    status = _status(conn)
    assert {r["assessed_status"] for r in status.values()} == {"okand"}
    assert status["A001"]["assessment_state"] == "reported_completed_no_evidence"
    assert status["A002"]["assessment_state"] == "no_evidence"
    assert status["A003"]["assessment_state"] == "no_report"
    assert status["A001"]["assessed_source"] is None or pd.isna(status["A001"]["assessed_source"])
    assert int(conn.execute("select sum(completed_evidenced) from programme.rollups "
                            "where dimension = 'programme_objective'").fetchone()[0]) == 0


def test_a_decision_sets_the_assessed_status_and_cites_the_page(tmp_path):
    conn = _warehouse(tmp_path / "warehouse.duckdb", {"A001": "genomford", "A002": "pagaende", "A004": "pagaende"})
    content = _workbook()
    a002 = _row_of(content, "A002", SHA_A)
    filled = _decide(content, {_row_of(content, "A001", SHA_B): ("Inte underlag",),
                               a002: ("Genomförd", "Slutrapport på s. 7.", "EK"),
                               _row_of(content, "A004"): ("Inte underlag",)})
    _file_review(conn, filled, "1" * 64, datetime(2026, 3, 1))
    status = _status(conn)
    a002_row = status["A002"]
    # independent of the reported status: the agency says ongoing, the document shows it completed
    assert (a002_row["reported_status"], a002_row["assessed_status"]) == ("pagaende", "genomford")
    assert a002_row["assessed_source"] == f"{DOC_A}, s. 7" and a002_row["assessed_page"] == 7
    assert a002_row["assessment_state"] == "differs" and a002_row["assessed_illustrative"]
    # a "not evidence" decision supports nothing: A001 stays reported completed without evidence
    assert status["A001"]["assessed_status"] == "okand"
    assert status["A001"]["assessment_state"] == "reported_completed_no_evidence"
    assert status["A004"]["assessment_state"] == "no_evidence" and status["A004"]["reviewed"]
    completed = conn.execute("select sum(completed_evidenced), sum(completed_no_evidence) from programme.rollups "
                             "where dimension = 'programme_objective'").fetchone()
    assert tuple(int(v) for v in completed) == (1, 1)

    # a later review of the same passage supersedes the earlier one, another passage agrees with A001
    later = _decide(_workbook(), {_row_of(content, "A002", SHA_A): ("Inte underlag",),
                                  _row_of(content, "A001", SHA_A): ("Genomförd",)})
    _file_review(conn, later, "2" * 64, datetime(2026, 4, 1))
    status = _status(conn)
    assert status["A002"]["assessed_status"] == "okand" and status["A002"]["assessment_state"] == "no_evidence"
    assert status["A001"]["assessed_status"] == "genomford" and status["A001"]["assessment_state"] == "agrees"
    assert status["A001"]["assessed_source"] == f"{DOC_A}, s. 14"


# ---------------------------------------------------------------------------------------- mvk evidence
def test_mvk_evidence_writes_the_workbook_from_a_build(tmp_path, capsys):
    build = tmp_path / "build"
    (build / "warehouse").mkdir(parents=True)
    _warehouse(build / "warehouse" / "warehouse.duckdb", {"A001": "genomford"}).close()
    out = tmp_path / "granskning_2025.xlsx"
    assert cli.main(["evidence", "--year", "2025", "--out", str(out), "--build", str(build)]) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and "3 stycken" in printed
    content = out.read_bytes()
    assert is_review_workbook(content, out.name)
    assert read_review_workbook(content, file=out.name, register=REGISTER).empty    # nothing decided yet
    ws = load_workbook(io.BytesIO(content))[SHEET_REVIEW]
    assert ws.cell(_row_of(content, "A001", SHA_A), 3).value == "Genomförd [ill.]"


def test_mvk_evidence_says_what_is_missing(tmp_path, capsys):
    build = tmp_path / "build"
    out = tmp_path / "g.xlsx"
    assert cli.main(["evidence", "--year", "2025", "--out", str(out), "--build", str(build), "--lang", "en"]) == 3
    assert "does not exist" in capsys.readouterr().err
    (build / "warehouse").mkdir(parents=True)
    _warehouse(build / "warehouse" / "warehouse.duckdb", {}, candidates=False).close()
    assert cli.main(["evidence", "--year", "2025", "--out", str(out), "--build", str(build)]) == 3
    error = capsys.readouterr().err
    assert "inga funna stycken för 2025" in error and len(error.strip().splitlines()) == 1
    assert not out.exists()
    assert cli.main(["evidence", "--year", "2031", "--out", str(out), "--build", str(build)]) == 2
    assert t("cli.evidence_bad_year", "sv", year=2031, first=2024, last=2026) in capsys.readouterr().err


def test_a_decision_citing_a_document_no_longer_stored_supports_nothing(tmp_path):
    conn = _warehouse(tmp_path / "warehouse.duckdb", {"A002": "pagaende"})
    content = _workbook()
    _file_review(conn, _decide(content, {_row_of(content, "A002", SHA_A): ("Genomförd",)}), "1" * 64,
                 datetime(2026, 3, 1))
    conn.execute("delete from evidence.documents where document_sha256 = ?", [SHA_A])
    status = _status(conn)["A002"]
    assert (status["assessed_status"], status["assessment_state"]) == ("okand", "no_evidence")


# ------------------------------------------------------------------------------------------ the page
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_measure_page_shows_reported_beside_assessed_with_the_passages(tmp_path, lang):
    """programme/status materialised on the small warehouse, then the real page module renders A002."""
    import dagster as dg
    from dagster_duckdb import DuckDBResource

    from pipelines.defs.programme import programme_status
    from pipelines.defs.reports import PROGRAMME_QUERIES
    from pipelines.settings import FollowupPaths
    from reports.pages import programme as pages
    from reports.programme import ProgrammeData
    from reports.render import environment
    from reports.site import SiteInputs, common_context

    database = tmp_path / "warehouse.duckdb"
    conn = _warehouse(database, {"A001": "genomford", "A002": "pagaende"})
    conn.execute("update evidence.candidates set excerpt = '<b>Åtgärd</b> A002 pågår.' where measure_id = 'A002'")
    content = _workbook()
    _file_review(conn, _decide(content, {_row_of(content, "A002", SHA_A): ("Genomförd", None, "EK")}), "1" * 64,
                 datetime(2026, 3, 1))
    conn.close()
    result = dg.materialize([programme_status], resources={
        "duckdb": DuckDBResource(database=str(database)),
        "paths": FollowupPaths(data_dir=str(ROOT / "data"), out_dir=str(tmp_path / "out"))})
    assert result.success
    with duckdb.connect(str(database), read_only=True) as conn:
        tables = {name: conn.execute(query).df() for name, query in PROGRAMME_QUERIES.items()}
    data = ProgrammeData(register=REGISTER, year=YEAR, as_of="2025-12-31", tables=tables)
    inputs = SiteInputs(edition="test", code_version="test", catalogue={}, results={}, sources={},
                        snapshots=tables["submissions"].iloc[0:0], inputs=(), programme=data)
    rendered = pages.render(inputs, environment(), lang, common_context(inputs, lang))
    page = rendered["measures/A002.html"]
    section = page[page.index('<h2 id="evidence"'):page.index('<h2 id="reports"')]
    assert t("evidence_review.site.heading", lang) in section
    assert REGISTER.statuses["pagaende"]["label"][lang] in section          # reported
    assert REGISTER.statuses["genomford"]["label"][lang] in section         # assessed, from the decision
    assert t("evidence_review.site.cite", lang, document=DOC_A, page=7) in section
    assert t("evidence_review.state.differs", lang) in section and "[ill.]" in section
    escaped = "&lt;b&gt;Åtgärd&lt;/b&gt; A002 pågår."                       # agency text, escaped
    assert (f'<span lang="sv">{escaped}</span>' if lang == "en" else f"<td>{escaped}</td>") in section
    assert "<caption>" in section and '<th scope="col">' in section
    a001 = rendered["measures/A001.html"]
    assert t("evidence_review.state.reported_completed_no_evidence", lang) in a001


def test_the_shipped_review_cites_the_shipped_documents():
    """data/reviews/granskning_2025.xlsx keys its rows by document sha256: regenerate it with
    data/generate_review.py whenever the documents change, or its decisions cite nothing."""
    import hashlib

    from indicators.programme.provenance import report_provenance

    review = ROOT / "data" / "reviews" / "granskning_2025.xlsx"
    decisions = read_review_workbook(review.read_bytes(), file=review.name, register=REGISTER, year=YEAR)
    shipped = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "data" / "documents").iterdir()
               if p.suffix in (".pdf", ".docx")}
    assert set(decisions["document_sha256"].dropna()) <= shipped
    assert report_provenance(review).illustrative
    kinds = set(decisions["decision"])
    assert "ingen_evidens" in kinds and len(kinds - {"ingen_evidens"}) >= 3
    rows = load_workbook(io.BytesIO(review.read_bytes()))[SHEET_REVIEW].max_row - FIRST_ROW + 1
    assert len(decisions) < rows                     # some rows are left blank: not reviewed
    assert decisions["comment"].notna().any()


def test_a_digest_that_reads_as_an_identity_number_does_not_refuse_the_file():
    """A sha256 with the digits of Skatteverket's example number 811218-9876 in it: written in groups of
    four, the key cell holds no identity number, so the analyst's file is not refused for it."""
    sha = ("ab" + "8112189876" + "cd").ljust(64, "e")
    frame = _candidates()
    frame.loc[frame["document_sha256"] == SHA_B, "document_sha256"] = sha
    frame.loc[frame["page"] == 7, "excerpt"] = "Ärende 19121212-1212 och 811218-9876 avslutades."   # cut from a page
    content = write_review_workbook(review_rows(REGISTER, frame), year=YEAR, register=REGISTER)
    filled = _decide(content, {_row_of(content, "A001", sha): ("Pågående",)})
    decisions = read_review_workbook(filled, file="granskning_2025.xlsx", register=REGISTER)
    assert decisions["document_sha256"].tolist() == [sha]
    ws = load_workbook(io.BytesIO(content))[SHEET_REVIEW]
    excerpt = ws.cell(_row_of(content, "A002", SHA_A), 6).value
    assert "1212-1212" not in excerpt and "19121212-****" in excerpt


def test_mvk_evidence_help_is_whole_in_each_language(capsys, monkeypatch):
    from tests.test_cli import ENGLISH_WORDS, SWEDISH_WORDS

    monkeypatch.delenv("MVK_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    texts = {}
    for lang in ("sv", "en"):
        assert cli.main(["evidence", "--help", "--lang", lang]) == 0
        texts[lang] = capsys.readouterr().out
    assert texts["sv"].startswith("användning: mvk evidence") and texts["en"].startswith("usage: mvk evidence")
    assert not ENGLISH_WORDS.search(texts["sv"]) and not SWEDISH_WORDS.search(texts["en"])
    assert "mvk evidence --year 2025 --out granskning_2025.xlsx" in texts["sv"] and "--build" in texts["en"]
