"""The analyst's review workbook: which status does each passage the finder found actually support?

The finder (``indicators.evidence.finder``) only suggests: it finds passages in the agencies' documents
that mention a measure and guesses a status from their words. A person decides. ``mvk evidence``
writes this workbook (``write_review_workbook``), an analyst fills in the decision column, and
``mvk ingest`` reads it back (``read_review_workbook``) into ``evidence.decisions``, from which
``programme.measure_status`` takes the assessed status, citing document and page (ANCHORS.md §3: the
agency-reported status and the evidence-supported one are kept apart).

Sheets, in order (names fixed and Swedish whatever the language of the texts), as in the agencies'
template (``indicators.programme.template``):

- ``Instruktioner``: what the review is for, how to decide, that an empty decision is "not reviewed",
  the decisions to choose from (the register's statuses, stated to be a project proposal, and
  "Inte underlag"), never personal identity numbers, what [ill.] means.
- ``Granskning``: A1 title, A2/B2 the report year, A3 a one-line hint, the header in row 5 and one row
  per measure × candidate passage (best first) from row 6, plus one row per measure without any
  candidate, so that "no evidence found" can be recorded. Locked: A measure (id and title), B
  responsible agency, C reported status, D document, E page, F excerpt, G suggested status, H the
  words behind it, I match kind, J score. Answers (unlocked, light yellow): K decision (drop-down),
  L comment, M reviewer. Hidden and locked key columns: N measure id, O document sha256, P page, Q a
  check over the year and the three keys, so a row that was altered is refused rather than filed
  against the wrong document. O and Q are written in groups of four ("1a2b.3c4d…", ``key_text``).
- ``Lista`` (hidden): the metadata block A1:B4 (marker, version, report year, rows) and the decision
  list (D).

Every sheet is protected without a password and the workbook structure is locked: protection prevents
accidents, not tampering, so the reader checks every value whatever the file looks like. The bytes are
deterministic (``indicators.xlsx_bytes``): document dates are 1 January of the report year.

Passages are agency text: they are written as text cells (never formulas) with characters that XML
cannot hold removed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from indicators.flags import ILLUSTRATIVE_MARKER
from indicators.i18n import LANGUAGES, t
from indicators.programme.identity_numbers import mask_identity_numbers, refuse_identity_numbers, safe_text
from indicators.programme.template import PROGRAMME_FIRST_YEAR, PROGRAMME_LAST_YEAR, label, write_instruction_rows
from indicators.readers.model import ReaderError
from indicators.xlsx_bytes import workbook_to_bytes

if TYPE_CHECKING:
    from indicators.programme.register import Register

SQL_DIR = Path(__file__).resolve().parents[1] / "sql" / "evidence"
REVIEW_MARKER = "mvk-evidence-review"
REVIEW_VERSION = 1
NOT_EVIDENCE = "ingen_evidens"     # the decision code for "Inte underlag" (evidence.decisions.decision)
AUTHOR = "MVK-uppföljning"

SHEET_INSTRUCTIONS, SHEET_REVIEW, SHEET_LISTS = "Instruktioner", "Granskning", "Lista"
SHEETS = (SHEET_INSTRUCTIONS, SHEET_REVIEW, SHEET_LISTS)
YEAR_CELL = "B2"
HEADER_ROW, FIRST_ROW = 5, 6

# Granskning's columns (1-based).
(MEASURE_COLUMN, AGENCY_COLUMN, REPORTED_COLUMN, DOCUMENT_COLUMN, PAGE_COLUMN, EXCERPT_COLUMN,
 SUGGESTED_COLUMN, WORDS_COLUMN, MATCH_COLUMN, SCORE_COLUMN, DECISION_COLUMN, COMMENT_COLUMN,
 REVIEWER_COLUMN, KEY_MEASURE_COLUMN, KEY_DOCUMENT_COLUMN, KEY_PAGE_COLUMN, KEY_CHECK_COLUMN) = range(1, 18)
KEY_COLUMNS = (KEY_MEASURE_COLUMN, KEY_DOCUMENT_COLUMN, KEY_PAGE_COLUMN, KEY_CHECK_COLUMN)
COLUMN_KEYS = ("measure", "agency", "reported", "document", "page", "excerpt", "suggested", "words", "match_kind",
               "score", "decision", "comment", "reviewer", "key_measure", "key_document", "key_page", "key_check")
WIDTHS = (40, 24, 18, 30, 7, 70, 18, 24, 14, 8, 20, 40, 16, 10, 20, 8, 18)

# Lista: metadata (label in A, value in B) and the decision list in D.
META_MARKER, META_VERSION, META_YEAR, META_ROWS = "B1", "B2", "B3", "B4"
DECISION_LIST_COLUMN = 4

# The frame write_review_workbook takes (review_rows makes it): one row per measure × candidate, or per
# measure without a candidate (document_sha256, page … empty).
ROW_COLUMNS = ("measure_id", "reported_status", "reported_illustrative", "document_sha256", "document_name", "page",
               "rank", "score", "match_kind", "excerpt", "suggested_status", "status_words", "illustrative")
# What read_review_workbook returns: evidence.decisions without review_sha256, received_at, illustrative
# (the store adds those when it files the workbook).
DECISION_COLUMNS = ("measure_id", "year", "document_sha256", "page", "decision", "comment", "location", "reviewer")

ANSWER_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
UNLOCKED = Protection(locked=False)
TITLE_FONT, HEADING_FONT, BOLD = Font(bold=True, size=14), Font(bold=True, size=12), Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
INSTRUCTION_WIDTHS = (34, 90)
EXCERPT_LIMIT = 1200            # characters of a passage shown in a cell (the page has the rest)


# ------------------------------------------------------------------------------------------ helpers
def row_check(year: int, measure_id: str, document_sha256: str | None, page: int | None) -> str:
    """A short digest over the year and a row's keys: an edited key no longer matches its check."""
    text = f"{REVIEW_VERSION}|{year}|{measure_id}|{document_sha256 or ''}|{'' if page is None else int(page)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def key_text(hex_digest: str) -> str:
    """A hex digest as written in a key cell: groups of four joined by '.' ("1a2b.3c4d…").

    A sha256 is 62 % digits, so about one in twenty holds a run of ten or twelve digits, and some of
    those read as a valid personal identity number: the identity check, which looks at every cell,
    would then refuse the analyst's file. No group has six digits in a row, so no number can match.
    """
    return ".".join(hex_digest[i:i + 4] for i in range(0, len(hex_digest), 4))


def _fold(text: object) -> str:
    """Case, spacing and å/ä/ö-insensitive form of a label ('Inte underlag' → 'inte underlag')."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.replace("_", " ").split())


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or value == ""


def _agency_text(value: object, limit: int | None = None) -> str:
    """Agency text fit for a cell: identity numbers masked (a passage cut from a page can make one),
    characters XML cannot hold removed, shortened to ``limit``."""
    text = ILLEGAL_CHARACTERS_RE.sub("", mask_identity_numbers(_text(value)))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _put_text(ws: Worksheet, row: int, column: int, text: str):
    """A text cell that stays text: openpyxl would take '=…' for a formula."""
    cell = ws.cell(row, column, text or None)
    if text:
        cell.data_type = "s"
    return cell


def decision_labels(register: Register, lang: str) -> list[str]:
    """The drop-down: the register's status labels, then "Inte underlag"."""
    return [label(entry, lang) for entry in register.statuses.values()] + [t("evidence_review.not_evidence", lang)]


def _decision_lookup(register: Register) -> dict[str, str]:
    """Folded code or label (either language) → decision code."""
    lookup: dict[str, str] = {}
    for code, entry in register.statuses.items():
        for name in (code, label(entry, "sv"), label(entry, "en")):
            lookup.setdefault(_fold(name), code)
    for name in (NOT_EVIDENCE, t("evidence_review.not_evidence", "sv"), t("evidence_review.not_evidence", "en")):
        lookup.setdefault(_fold(name), NOT_EVIDENCE)
    return lookup


def _status_label(register: Register, code: object, lang: str) -> str:
    if _missing(code):
        return ""
    entry = register.statuses.get(str(code))
    return label(entry, lang) if entry is not None else str(code)


def _title(measure: Any, lang: str) -> str:
    title = measure.title[lang] if isinstance(measure.title, Mapping) else str(measure.title)
    return f"{title} {ILLUSTRATIVE_MARKER}" if getattr(measure, "illustrative", False) else title


# ------------------------------------------------------------------------------------------- rows
def review_rows(register: Register, candidates: pd.DataFrame, *, reported: Mapping[str, tuple[str | None, bool]]
                | None = None, document_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The rows of the review workbook: every measure of the register, in its order, with its candidate
    passages by rank, and one row with no document for a measure the finder found nothing for.

    ``candidates`` has the ``evidence.candidates`` columns (plus ``document_name`` if
    ``document_names`` is not given); ``reported`` maps a measure id to (reported status code or None,
    whether that report is illustrative); ``document_names`` maps a document's sha256 to its file name.
    """
    reported = reported or {}
    frame = candidates.copy()
    if document_names is not None:
        frame["document_name"] = frame["document_sha256"].map(dict(document_names))
    by_measure = {m: part.sort_values(["rank", "document_sha256", "page"], kind="stable")
                  for m, part in frame.groupby("measure_id", sort=False)} if len(frame) else {}
    out: list[dict] = []
    for measure_id in register.measures:
        status, status_illustrative = reported.get(measure_id, (None, False))
        base = {"measure_id": measure_id, "reported_status": status, "reported_illustrative": bool(status_illustrative)}
        part = by_measure.get(measure_id)
        if part is None or part.empty:
            out.append({**base, "document_sha256": None, "document_name": None, "page": None, "rank": None,
                        "score": None, "match_kind": None, "excerpt": None, "suggested_status": None,
                        "status_words": None, "illustrative": False})
            continue
        for c in part.to_dict("records"):
            out.append({**base, **{k: c.get(k) for k in ("document_sha256", "document_name", "page", "rank", "score",
                                                           "match_kind", "excerpt", "suggested_status",
                                                           "status_words")},
                        "illustrative": bool(c.get("illustrative") or False)})
    return pd.DataFrame(out, columns=list(ROW_COLUMNS))


def rows_from_warehouse(conn, register: Register, year: int) -> pd.DataFrame:
    """``review_rows`` from a warehouse connection (read-only is enough): the candidates of documents
    about ``year`` and the statuses reported for it. The evidence and programme tables must exist."""
    candidates = conn.execute(_sql("review_candidates"), {"year": year}).df()
    reported = {str(m): (s, bool(i)) for m, s, i in conn.execute(_sql("review_reported"), {"year": year}).fetchall()}
    return review_rows(register, candidates, reported=reported)


def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------------------- writing
def _protect(ws: Worksheet) -> None:
    """Lock the sheet (no password); resizing columns and rows and filtering stay allowed."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False


def _answer(cell, *, wrap: bool = False) -> None:
    cell.protection = UNLOCKED
    cell.fill = ANSWER_FILL
    if wrap:
        cell.alignment = WRAP


def _instructions(ws: Worksheet, register: Register, *, year: int, lang: str, illustrative: bool) -> None:
    rows: list[tuple[str, str, Font | None]] = [
        (t("evidence_review.instructions_title", lang, year=year), "", TITLE_FONT),
        (t("evidence_review.intro", lang), "", None),
        (t("evidence_review.no_identity_numbers", lang), "", BOLD),
    ]
    if illustrative:
        rows.append((t("evidence_review.illustrative", lang, marker=ILLUSTRATIVE_MARKER), "", BOLD))
    rows += [("", "", None), (t("evidence_review.how_heading", lang), "", HEADING_FONT)]
    rows += [(t(f"evidence_review.{key}", lang), "", None)
             for key in ("how_rows", "how_decide", "how_not_evidence", "how_blank", "how_comment", "locked",
                         "how_return")]
    rows += [("", "", None), (t("evidence_review.statuses_heading", lang), "", HEADING_FONT),
             (t("evidence_review.statuses_proposal", lang), "", None)]
    for entry in register.statuses.values():
        value = entry.get("meaning") if isinstance(entry, Mapping) else None
        rows.append((label(entry, lang), str(value.get(lang) or "") if isinstance(value, Mapping) else "", None))
    rows.append((t("evidence_review.not_evidence", lang), t("evidence_review.not_evidence_meaning", lang), None))
    write_instruction_rows(ws, rows, title_font=TITLE_FONT)
    for column, width in enumerate(INSTRUCTION_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _review_sheet(ws: Worksheet, rows: pd.DataFrame, register: Register, *, year: int, lang: str) -> None:
    ws["A1"] = t("evidence_review.sheet_title", lang, year=year)
    ws["A1"].font = TITLE_FONT
    ws["A2"], ws[YEAR_CELL] = t("evidence_review.year", lang), year
    ws["A2"].font = BOLD
    ws["A3"] = t("evidence_review.hint", lang)
    for column, key in enumerate(COLUMN_KEYS, start=1):
        cell = ws.cell(HEADER_ROW, column, t(f"evidence_review.col.{key}", lang))
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    ws.freeze_panes = ws.cell(FIRST_ROW, 2).coordinate
    r = FIRST_ROW - 1
    for r, row in enumerate(rows.to_dict("records"), start=FIRST_ROW):
        measure_id = str(row["measure_id"])
        measure = register.measures.get(measure_id)
        title = _title(measure, lang) if measure is not None else ""
        _put_text(ws, r, MEASURE_COLUMN, _agency_text(f"{measure_id} {title}".strip())).alignment = WRAP
        agencies = measure.responsible if measure is not None else ()
        names = [register.agencies[a].name[lang] for a in agencies if a in register.agencies]
        ws.cell(r, AGENCY_COLUMN, ", ".join(names) or None).alignment = WRAP
        reported = _status_label(register, row["reported_status"], lang) or t("evidence_review.no_report", lang)
        if row.get("reported_illustrative") and not _missing(row["reported_status"]):
            reported = f"{reported} {ILLUSTRATIVE_MARKER}"
        ws.cell(r, REPORTED_COLUMN, reported)
        has_document = not _missing(row["document_sha256"])
        if has_document:
            name = _agency_text(row["document_name"] or row["document_sha256"])
            if row.get("illustrative"):
                name = f"{name} {ILLUSTRATIVE_MARKER}"
            _put_text(ws, r, DOCUMENT_COLUMN, name).alignment = WRAP
            ws.cell(r, PAGE_COLUMN, int(row["page"]))
            _put_text(ws, r, EXCERPT_COLUMN, _agency_text(row["excerpt"], EXCERPT_LIMIT)).alignment = WRAP
            ws.cell(r, SUGGESTED_COLUMN, _status_label(register, row["suggested_status"], lang) or None)
            _put_text(ws, r, WORDS_COLUMN, _agency_text(row["status_words"])).alignment = WRAP
            kind = _text(row["match_kind"])
            ws.cell(r, MATCH_COLUMN, t(f"evidence_review.match.{kind}", lang) if kind in
                    ("measure_id", "reference", "title") else kind or None)
            if not _missing(row["score"]):
                ws.cell(r, SCORE_COLUMN, round(float(row["score"]), 2)).number_format = "0.00"
        else:
            ws.cell(r, EXCERPT_COLUMN, t("evidence_review.no_candidate", lang)).alignment = WRAP
        for column in (DECISION_COLUMN, COMMENT_COLUMN, REVIEWER_COLUMN):
            _answer(ws.cell(r, column), wrap=column == COMMENT_COLUMN)
        page = int(row["page"]) if has_document else None
        sha = str(row["document_sha256"]) if has_document else None
        _put_text(ws, r, KEY_MEASURE_COLUMN, measure_id)
        _put_text(ws, r, KEY_DOCUMENT_COLUMN, key_text(sha) if sha else "")
        ws.cell(r, KEY_PAGE_COLUMN, page)
        _put_text(ws, r, KEY_CHECK_COLUMN, key_text(row_check(year, measure_id, sha, page)))
    last = max(r, FIRST_ROW)
    for column, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    for column in KEY_COLUMNS:
        ws.column_dimensions[get_column_letter(column)].hidden = True
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(REVIEWER_COLUMN)}{last}"
    letter = get_column_letter(DECISION_COLUMN)
    n = len(decision_labels(register, lang))
    list_letter = get_column_letter(DECISION_LIST_COLUMN)
    dv = DataValidation(type="list", formula1=f"{SHEET_LISTS}!${list_letter}$2:${list_letter}${1 + n}",
                        allow_blank=True)
    dv.showErrorMessage = dv.showInputMessage = True
    dv.errorTitle = t("evidence_review.validation_title", lang)
    dv.error = t("evidence_review.decision_error", lang)
    dv.prompt = t("evidence_review.decision_prompt", lang)
    dv.add(f"{letter}{FIRST_ROW}:{letter}{last}")
    ws.add_data_validation(dv)


def _lists_sheet(ws: Worksheet, register: Register, *, year: int, rows: int, lang: str) -> None:
    for r, (key, value) in enumerate((("granskning", REVIEW_MARKER), ("version", REVIEW_VERSION), ("år", year),
                                      ("rader", rows)), start=1):
        ws.cell(r, 1, key)
        ws.cell(r, 2, value)
    ws.cell(1, DECISION_LIST_COLUMN, t("evidence_review.col.decision", lang))
    for r, text in enumerate(decision_labels(register, lang), start=2):
        ws.cell(r, DECISION_LIST_COLUMN, text)
    ws.sheet_state = "hidden"


def build_review_workbook(rows: pd.DataFrame, *, year: int, register: Register, lang: str = "sv") -> Workbook:
    """The openpyxl workbook (``write_review_workbook`` makes it reproducible bytes)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    if not PROGRAMME_FIRST_YEAR <= year <= PROGRAMME_LAST_YEAR:
        raise ValueError(f"year {year} is outside the programme period {PROGRAMME_FIRST_YEAR}–{PROGRAMME_LAST_YEAR}")
    rows = rows.reindex(columns=list(ROW_COLUMNS))
    moment = datetime(year, 1, 1)
    wb = Workbook()
    wb.properties = DocumentProperties(
        title=t("evidence_review.document_title", lang, year=year),
        subject=t("evidence_review.document_subject", lang), creator=AUTHOR, lastModifiedBy=AUTHOR,
        language="sv-SE" if lang == "sv" else "en-GB", created=moment, modified=moment)
    illustrative = bool(rows["illustrative"].fillna(False).astype(bool).any()
                        or rows["reported_illustrative"].fillna(False).astype(bool).any()
                        or any(getattr(register.measures.get(str(m)), "illustrative", False)
                               for m in rows["measure_id"]))
    instructions = wb.active
    instructions.title = SHEET_INSTRUCTIONS
    _instructions(instructions, register, year=year, lang=lang, illustrative=illustrative)
    _review_sheet(wb.create_sheet(SHEET_REVIEW), rows, register, year=year, lang=lang)
    _lists_sheet(wb.create_sheet(SHEET_LISTS), register, year=year, rows=len(rows), lang=lang)
    for ws in wb.worksheets:
        _protect(ws)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 1
    return wb


def write_review_workbook(rows: pd.DataFrame, *, year: int, register: Register, lang: str = "sv") -> bytes:
    """The review workbook as XLSX bytes; the same rows, year, register and language give the same bytes.

    ``rows`` is ``review_rows(...)``'s frame. ``register`` gives titles, agency names and the status
    labels of the drop-down.
    """
    wb = build_review_workbook(rows, year=year, register=register, lang=lang)
    return workbook_to_bytes(wb, datetime(year, 1, 1))


# ----------------------------------------------------------------------------------------- reading
def is_review_workbook(content: bytes, name: str = "") -> bool:
    """Whether ``content`` is a review workbook (by its marker); cheap, never raises."""
    from indicators.programme.submission import xlsx_holds_marker

    return content.startswith(b"PK") and xlsx_holds_marker(content, REVIEW_MARKER)


def _error(key: str, *, file: str, location: str, found: object, expected: object) -> ReaderError:
    """Every field masked and stripped of control characters (``safe_text``), as in the template reader."""
    found_text = " ".join(str(found).split())
    if len(found_text) > 60:
        found_text = found_text[:59] + "…"
    return ReaderError(key, file=safe_text(file), location=safe_text(location), found=safe_text(found_text),
                       expected=safe_text(str(expected)))


def _page(value: object) -> int | None | str:
    """A page key: an int, None for an empty cell, or the text as found when it is neither."""
    if _missing(value):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    return int(text) if re.fullmatch(r"\d+", text) else text


def read_review_workbook(content: bytes, *, file: str, register: Register, year: int | None = None) -> pd.DataFrame:
    """The decisions of a filled review workbook (``DECISION_COLUMNS``); ReaderError on the first problem.

    Rows with an empty decision are not decided and are skipped. ``year``, when given, is the report year
    the workbook must be for. Checks, in order: personal identity and coordination numbers anywhere
    (refused like an agency's report, the number shown only masked); the marker, version and sheets; the
    year; per row, the keys against their check, the measure in the register, the decision in the list,
    and no status without a document.
    """
    from indicators.readers.xlsx import _load

    refuse_identity_numbers(content, name=file, shown_name=safe_text(file))
    try:
        wb = _load(content, file)
    except ReaderError as error:
        raise _error(error.key, file=error.file, location=error.location, found=error.found,
                     expected=error.expected) from None
    marker_at = f"{SHEET_LISTS}!{META_MARKER}"
    if SHEET_LISTS not in wb.sheetnames or _text(wb[SHEET_LISTS][META_MARKER].value) != REVIEW_MARKER:
        found = _text(wb[SHEET_LISTS][META_MARKER].value) if SHEET_LISTS in wb.sheetnames else ", ".join(wb.sheetnames)
        raise _error("evidence_review.not_review", file=file, location=marker_at, found=found, expected=REVIEW_MARKER)
    meta = wb[SHEET_LISTS]
    if _text(meta[META_VERSION].value) != str(REVIEW_VERSION):
        raise _error("evidence_review.version", file=file, location=f"{SHEET_LISTS}!{META_VERSION}",
                     found=_text(meta[META_VERSION].value), expected=REVIEW_VERSION)
    for name in SHEETS:
        if name not in wb.sheetnames:
            raise _error("evidence_review.missing_sheet", file=file, location=f"{name}!A1", found=name,
                         expected=", ".join(SHEETS))
    year_text = _text(meta[META_YEAR].value)
    meta_year = int(year_text) if re.fullmatch(r"\d{4}", year_text) else None
    if meta_year is None or not PROGRAMME_FIRST_YEAR <= meta_year <= PROGRAMME_LAST_YEAR:
        raise _error("evidence_review.year_out_of_range", file=file, location=f"{SHEET_LISTS}!{META_YEAR}",
                     found=year_text, expected=f"{PROGRAMME_FIRST_YEAR}–{PROGRAMME_LAST_YEAR}")
    if year is not None and meta_year != year:
        raise _error("evidence_review.year_mismatch", file=file, location=f"{SHEET_LISTS}!{META_YEAR}",
                     found=meta_year, expected=year)
    ws = wb[SHEET_REVIEW]
    shown = _text(ws[YEAR_CELL].value)
    if shown != str(meta_year):
        raise _error("evidence_review.year_mismatch", file=file, location=f"{SHEET_REVIEW}!{YEAR_CELL}",
                     found=shown, expected=meta_year)
    frame = pd.DataFrame(list(_decisions(ws, register, file=file, year=meta_year)), columns=list(DECISION_COLUMNS))
    frame["year"] = frame["year"].astype("int64")
    frame["page"] = frame["page"].astype("Int64")
    return frame


def _decisions(ws: Worksheet, register: Register, *, file: str, year: int) -> Iterable[dict]:
    lookup = _decision_lookup(register)
    listed = ", ".join(decision_labels(register, "sv"))
    not_evidence = t("evidence_review.not_evidence", "sv")

    def at(column: int, r: int) -> str:
        return f"{SHEET_REVIEW}!{get_column_letter(column)}{r}"

    for r, values in enumerate(ws.iter_rows(min_row=FIRST_ROW, max_col=KEY_CHECK_COLUMN, values_only=True),
                               start=FIRST_ROW):
        values = list(values) + [None] * (KEY_CHECK_COLUMN - len(values))
        if not any(_text(v) for v in values):
            continue
        measure_id = _text(values[KEY_MEASURE_COLUMN - 1])
        sha = _text(values[KEY_DOCUMENT_COLUMN - 1]).replace(".", "") or None
        page = _page(values[KEY_PAGE_COLUMN - 1])
        check = _text(values[KEY_CHECK_COLUMN - 1]).replace(".", "")
        shown_id = _text(values[MEASURE_COLUMN - 1]).split(" ")[0]
        keys = f"{measure_id} | {sha[:12] + '…' if sha else '–'} | {'–' if page is None else page}"
        if isinstance(page, str) or check != row_check(year, measure_id, sha, page) or shown_id != measure_id:
            raise _error("evidence_review.keys_altered", file=file,
                         location=f"{at(KEY_MEASURE_COLUMN, r)}:{get_column_letter(KEY_CHECK_COLUMN)}{r}",
                         found=keys, expected=t("evidence_review.col.key_check", "sv") + " " + (check or "–"))
        if measure_id not in register.measures:
            raise _error("evidence_review.unknown_measure", file=file, location=at(KEY_MEASURE_COLUMN, r),
                         found=measure_id, expected=", ".join(list(register.measures)[:3]))
        decision_text = _text(values[DECISION_COLUMN - 1])
        if not decision_text:
            continue            # not reviewed
        decision = lookup.get(_fold(decision_text))
        if decision is None:
            raise _error("evidence_review.invalid_decision", file=file, location=at(DECISION_COLUMN, r),
                         found=decision_text, expected=listed)
        if sha is None and decision != NOT_EVIDENCE:
            raise _error("evidence_review.status_without_document", file=file, location=at(DECISION_COLUMN, r),
                         found=decision_text, expected=not_evidence)
        yield {"measure_id": measure_id, "year": year, "document_sha256": sha, "page": page,
               "decision": decision, "comment": _text(values[COMMENT_COLUMN - 1]) or None,
               "location": at(DECISION_COLUMN, r), "reviewer": _text(values[REVIEWER_COLUMN - 1]) or None}
