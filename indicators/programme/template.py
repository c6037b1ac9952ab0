"""The XLSX reporting template an agency fills in for the action programme: one workbook per agency and year.

``mvk template --agency ID --year YYYY --out FILE.xlsx`` calls ``write_template``. The workbook is
pre-filled with the agency's measures and key figures from the measure register
(``indicators.programme.register``) and read back by ``indicators.programme.submission``.

Sheets, in order (the names are fixed and Swedish whatever the language of the texts):

- ``Instruktioner``: who fills in what, the status taxonomy with its meanings (stated to be a project
  proposal), the perspectives, the obstacle categories, the return deadline, and that personal
  identity numbers must never be written (a file holding one is rejected).
- ``Åtgärder``: one row per measure of the agency (``FIRST_ROW`` on). Locked: A measure id, B title,
  C role (ansvarig/medansvarig), D deadline. Answers: E status (drop-down from the taxonomy), F status
  date, then one column per perspective with a ja/nej drop-down (Excel drop-downs cannot pick several
  values), then evidence (document and page) and narrative (free text).
- ``Nyckeltal``: locked A key-figure id, B label, C unit; answer D value (whole number ≥ 0).
- ``Samverkan``: ``OBSTACLE_ROWS`` rows per obstacle category. Locked A category code, B category;
  answers C obstacle, D proposed solution, E who should act (drop-down: an agency, the government or
  all concerned; version 2).
- ``Samverkansuppdrag`` (version 2): one row per part of the 2024 collaboration assignment for the
  assignment's four agencies (none for the others). Locked A part id, B part; answers C status
  (drop-down from the taxonomy), D evidence (document and page), E description.
- ``Lista`` (hidden): the metadata block A1:B5 (template marker, version, agency id, year, the
  perspective codes in column order) that the reader trusts, and the drop-down lists (D: statuses,
  E: ja/nej, F: who should act).

Version 1 (before the assignment's parts and "who should act") had neither the ``Samverkansuppdrag``
sheet nor column E on ``Samverkan``; the reader still reads it (``SUPPORTED_VERSIONS``).

Every sheet is protected without a password, so that only answer cells (unlocked, light yellow) can
be edited; columns and rows may still be resized. The workbook structure is protected too (no
password), so sheets cannot be added, renamed or unhidden by mistake. A reporter who needs to undo
the protection can do so (Granska → Ta bort skydd): there is no password, by design, and the reader
checks every value anyway.

The bytes are deterministic (``indicators.xlsx_bytes``, the one copy of that helper): the document dates
are fixed to 1 January of the report year, and every zip member is rewritten with that timestamp.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from indicators.atomic import write_whole
from indicators.flags import ILLUSTRATIVE_MARKER
from indicators.i18n import LANGUAGES, catalogue, t
from indicators.xlsx_bytes import workbook_to_bytes

if TYPE_CHECKING:
    from indicators.programme.register import Register

TEMPLATE_MARKER = "mvk-programme-report"
TEMPLATE_VERSION = 2
SUPPORTED_VERSIONS = (1, 2)       # the reader reads every one of them; version 1 has no parts sheet
PROGRAMME_FIRST_YEAR, PROGRAMME_LAST_YEAR = 2024, 2026
PROGRAMME_START = date(PROGRAMME_FIRST_YEAR, 1, 1)

SHEET_INSTRUCTIONS = "Instruktioner"
SHEET_MEASURES = "Åtgärder"
SHEET_KEY_FIGURES = "Nyckeltal"
SHEET_COLLABORATION = "Samverkan"
SHEET_PARTS = "Samverkansuppdrag"   # version 2: the collaboration assignment's parts, one row each
SHEET_LISTS = "Lista"

# Every data sheet: A1 title, A2/B2 agency, A3/B3 year, A4 a one-line instruction, header in row 5.
AGENCY_CELL, YEAR_CELL = "B2", "B3"
HEADER_ROW = 5
FIRST_ROW = 6
OBSTACLE_ROWS = 5  # answer rows per obstacle category on Samverkan

# Åtgärder: fixed columns; the perspective columns follow STATUS_DATE_COLUMN, then evidence, narrative.
MEASURE_ID_COLUMN, TITLE_COLUMN, ROLE_COLUMN, DEADLINE_COLUMN = 1, 2, 3, 4
STATUS_COLUMN, STATUS_DATE_COLUMN, FIRST_PERSPECTIVE_COLUMN = 5, 6, 7
# Nyckeltal and Samverkan
KEY_FIGURE_ID_COLUMN, KEY_FIGURE_LABEL_COLUMN, KEY_FIGURE_UNIT_COLUMN, KEY_FIGURE_VALUE_COLUMN = 1, 2, 3, 4
CATEGORY_CODE_COLUMN, CATEGORY_LABEL_COLUMN, OBSTACLE_COLUMN, SOLUTION_COLUMN = 1, 2, 3, 4
ACTOR_COLUMN = 5   # Samverkan, version 2: who should act on the proposed solution
# Samverkansuppdrag (version 2)
PART_ID_COLUMN, PART_LABEL_COLUMN, PART_STATUS_COLUMN, PART_EVIDENCE_COLUMN, PART_NARRATIVE_COLUMN = 1, 2, 3, 4, 5
# Who should act besides an agency of the register: the government, or every agency concerned.
ACTOR_GOVERNMENT, ACTOR_ALL = "regeringen", "alla"

# Lista: the metadata block (label in A, value in B) and the drop-down lists.
META_MARKER, META_VERSION, META_AGENCY, META_YEAR, META_PERSPECTIVES = "B1", "B2", "B3", "B4", "B5"
STATUS_LIST_COLUMN, YES_NO_LIST_COLUMN, ACTOR_LIST_COLUMN = 4, 5, 6
YES, NO = "ja", "nej"
ROLE_RESPONSIBLE, ROLE_CO_RESPONSIBLE = "ansvarig", "medansvarig"

ANSWER_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
UNLOCKED = Protection(locked=False)
TITLE_FONT = Font(bold=True, size=14)
HEADING_FONT = Font(bold=True, size=12)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "yyyy-mm-dd"
INSTRUCTION_WIDTHS = (34, 90)  # Instruktioner: columns A and B, in characters
AUTHOR = "MVK-uppföljning"


@dataclass(frozen=True)
class MeasureLayout:
    """Where each answer of a measure row is on ``Åtgärder`` (1-based columns)."""

    perspectives: tuple[str, ...]

    def perspective_column(self, index: int) -> int:
        return FIRST_PERSPECTIVE_COLUMN + index

    @property
    def evidence_column(self) -> int:
        return FIRST_PERSPECTIVE_COLUMN + len(self.perspectives)

    @property
    def narrative_column(self) -> int:
        return self.evidence_column + 1


# ------------------------------------------------------------------------------------- register access
def label(entry: Any, lang: str = "sv") -> str:
    """The ``lang`` label of a register entry: ``{sv, en}``, ``{label: {sv, en}}``, or an object with them."""
    if isinstance(entry, Mapping):
        if isinstance(entry.get(lang), str):
            return entry[lang]
        if isinstance(entry.get("label"), Mapping):
            return str(entry["label"][lang])
    for name in ("label", "name", "title"):
        value = getattr(entry, name, None)
        if isinstance(value, Mapping) and lang in value:
            return str(value[lang])
    return str(entry)


def meaning(entry: Any, lang: str = "sv") -> str:
    """What a status means (``meaning: {sv, en}`` or ``meaning_sv``), or '' when the register has none."""
    if isinstance(entry, Mapping):
        value = entry.get("meaning")
        if isinstance(value, Mapping):
            return str(value.get(lang) or "")
        return str(entry.get(f"meaning_{lang}") or "")
    value = getattr(entry, "meaning", None)
    return str(value.get(lang) or "") if isinstance(value, Mapping) else ""


def agency_ids(value: Any) -> tuple[str, ...]:
    """A measure's responsible or co-responsible agencies as a tuple of ids (one id, several, or none)."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def role(measure: Any, agency_id: str) -> str:
    """``ansvarig`` when the agency is (one of) the responsible, else ``medansvarig``."""
    return ROLE_RESPONSIBLE if agency_id in agency_ids(measure.responsible) else ROLE_CO_RESPONSIBLE


def agency_measures(register: Register, agency_id: str) -> list[Any]:
    """The agency's measures, in the register's order (``measures_for``)."""
    from indicators.programme.register import measures_for

    return list(measures_for(register, agency_id))


def agency_key_figures(register: Register, agency_id: str) -> list[Any]:
    """The key figures the agency supplies: those its entry lists, then any other pointing at it."""
    agency = register.agencies[agency_id]
    ids = [kf if isinstance(kf, str) else kf.id for kf in (getattr(agency, "key_figures", None) or ())]
    ids += [kf_id for kf_id, kf in register.key_figures.items() if kf.agency == agency_id and kf_id not in ids]
    return [register.key_figures[kf_id] for kf_id in ids if kf_id in register.key_figures]


def default_return_date(year: int) -> date:
    """When the filled template is due: 15 February after the report year (a project default)."""
    return date(year + 1, 2, 15)


# ------------------------------------------------------------------------------------------- sheets
def _protect(ws: Worksheet) -> None:
    """Lock the sheet (no password); resizing columns and rows stays allowed."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _answer(cell, *, number_format: str | None = None, wrap: bool = False) -> None:
    cell.protection = UNLOCKED
    cell.fill = ANSWER_FILL
    if number_format:
        cell.number_format = number_format
    if wrap:
        cell.alignment = WRAP


def _widths(ws: Worksheet, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width


def _sheet_head(ws: Worksheet, title: str, *, agency_name: str, year: int, hint: str, lang: str,
                headers: list[str]) -> None:
    ws["A1"] = title
    ws["A1"].font = TITLE_FONT
    ws["A2"], ws[AGENCY_CELL] = t("programme.template.agency", lang), agency_name
    ws["A3"], ws[YEAR_CELL] = t("programme.template.year", lang), year
    ws["A2"].font = ws["A3"].font = BOLD
    ws["A4"] = hint
    for column, text in enumerate(headers, start=1):
        cell = ws.cell(HEADER_ROW, column, text)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    ws.freeze_panes = ws.cell(FIRST_ROW, 1).coordinate


def _validation(ws: Worksheet, dv: DataValidation, cells: str, *, lang: str, error_key: str,
                prompt_key: str) -> None:
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.errorTitle = t("programme.template.validation_title", lang)
    dv.error = t(error_key, lang)
    dv.prompt = t(prompt_key, lang)
    dv.add(cells)
    ws.add_data_validation(dv)


def _instructions(ws: Worksheet, register: Register, *, agency_name: str, year: int, return_by: date,
                  lang: str, collaboration: bool, measures: list[Any]) -> None:
    rows: list[tuple[str, str, Font | None]] = [
        (t("programme.template.instructions_title", lang, agency=agency_name, year=year), "", TITLE_FONT),
        (t("programme.template.intro", lang, year=year), "", None),
        (t("programme.template.return_by", lang, date=return_by.isoformat()), "", BOLD),
        (t("programme.template.no_identity_numbers", lang), "", BOLD),
    ]
    if any(getattr(m, "illustrative", False) for m in measures):
        rows.append((t("programme.template.illustrative", lang, marker=ILLUSTRATIVE_MARKER), "", BOLD))
    rows += [
        ("", "", None),
        (t("programme.template.who_heading", lang), "", HEADING_FONT),
        (t("programme.template.who_measures", lang), "", None),
        (t("programme.template.who_key_figures", lang), "", None),
        (t("programme.template.who_collaboration", lang), "", None),
        (t("programme_followup.template.who_parts" if collaboration else "programme_followup.template.who_parts_none",
           lang), "", None),
        (t("programme.template.locked_cells", lang), "", None),
        (t("programme.template.mandatory", lang), "", None),
        ("", "", None),
        (t("programme.template.status_heading", lang), "", HEADING_FONT),
        (t("programme.template.status_proposal", lang), "", None),
    ]
    rows += [(label(entry, lang), meaning(entry, lang), None) for entry in register.statuses.values()]
    rows += [("", "", None), (t("programme.template.perspectives_heading", lang), "", HEADING_FONT),
             (t("programme.template.perspectives_intro", lang), "", None)]
    rows += [(label(entry, lang), "", None) for entry in register.perspectives.values()]
    rows += [("", "", None), (t("programme.template.obstacles_heading", lang), "", HEADING_FONT),
             (t("programme.template.obstacles_intro" if collaboration else "programme.template.obstacles_optional",
                lang), "", None)]
    rows += [(label(entry, lang), "", None) for entry in register.obstacle_categories.values()]
    rows += [("", "", None), (t("programme.template.csv_heading", lang), "", HEADING_FONT),
             (t("programme.template.csv_intro", lang), "", None),
             (t("programme_followup.template.csv_parts", lang), "", None)]
    write_instruction_rows(ws, rows, title_font=TITLE_FONT)
    _widths(ws, dict(enumerate(INSTRUCTION_WIDTHS, start=1)))


def _measures_sheet(ws: Worksheet, register: Register, agency_id: str, *, agency_name: str, year: int,
                    lang: str) -> None:
    perspectives = tuple(register.perspectives)
    layout = MeasureLayout(perspectives)
    headers = [t("programme.template.col.measure_id", lang), t("programme.template.col.title", lang),
               t("programme.template.col.role", lang), t("programme.template.col.deadline", lang),
               t("programme.template.col.status", lang), t("programme.template.col.status_date", lang)]
    headers += [t("programme.template.col.perspective", lang, perspective=label(register.perspectives[code], lang))
                for code in perspectives]
    headers += [t("programme.template.col.evidence", lang), t("programme.template.col.narrative", lang)]
    _sheet_head(ws, t("programme.template.measures_title", lang, agency=agency_name, year=year),
                agency_name=agency_name, year=year, hint=t("programme.template.measures_hint", lang), lang=lang,
                headers=headers)
    measures = agency_measures(register, agency_id)
    for r, measure in enumerate(measures, start=FIRST_ROW):
        ws.cell(r, MEASURE_ID_COLUMN, measure.id)
        title = label(measure.title, lang) if isinstance(measure.title, Mapping) else str(measure.title)
        if getattr(measure, "illustrative", False):
            title = f"{title} {ILLUSTRATIVE_MARKER}"
        ws.cell(r, TITLE_COLUMN, title).alignment = WRAP
        role_code = role(measure, agency_id)
        ws.cell(r, ROLE_COLUMN, role_code if lang == "sv" else t(f"programme.template.role.{role_code}", lang))
        deadline = ws.cell(r, DEADLINE_COLUMN, measure.deadline or t("programme.template.no_deadline", lang))
        if measure.deadline:
            deadline.number_format = DATE_FORMAT
        _answer(ws.cell(r, STATUS_COLUMN))
        _answer(ws.cell(r, STATUS_DATE_COLUMN), number_format=DATE_FORMAT)
        for index in range(len(perspectives)):
            _answer(ws.cell(r, layout.perspective_column(index)))
        _answer(ws.cell(r, layout.evidence_column), wrap=True)
        _answer(ws.cell(r, layout.narrative_column), wrap=True)
    widths = {MEASURE_ID_COLUMN: 12, TITLE_COLUMN: 50, ROLE_COLUMN: 13, DEADLINE_COLUMN: 12, STATUS_COLUMN: 24,
              STATUS_DATE_COLUMN: 13, layout.evidence_column: 36, layout.narrative_column: 60}
    widths.update({layout.perspective_column(i): 14 for i in range(len(perspectives))})
    _widths(ws, widths)
    if not measures:
        return
    last = FIRST_ROW + len(measures) - 1
    status_letter = get_column_letter(STATUS_COLUMN)
    n_statuses = len(register.statuses)
    lists = f"{SHEET_LISTS}!${get_column_letter(STATUS_LIST_COLUMN)}$2:${get_column_letter(STATUS_LIST_COLUMN)}$"
    _validation(ws, DataValidation(type="list", formula1=f"{lists}{1 + n_statuses}", allow_blank=True),
                f"{status_letter}{FIRST_ROW}:{status_letter}{last}", lang=lang,
                error_key="programme.template.status_error", prompt_key="programme.template.status_prompt")
    date_letter = get_column_letter(STATUS_DATE_COLUMN)
    _validation(ws, DataValidation(type="date", operator="between", formula1="DATE(2024,1,1)",
                                   formula2=f"DATE({year},12,31)", allow_blank=True),
                f"{date_letter}{FIRST_ROW}:{date_letter}{last}", lang=lang,
                error_key="programme.template.date_error", prompt_key="programme.template.date_prompt")
    if perspectives:
        yes_no = get_column_letter(YES_NO_LIST_COLUMN)
        first = get_column_letter(layout.perspective_column(0))
        end = get_column_letter(layout.perspective_column(len(perspectives) - 1))
        _validation(ws, DataValidation(type="list", formula1=f"{SHEET_LISTS}!${yes_no}$2:${yes_no}$3",
                                       allow_blank=True),
                    f"{first}{FIRST_ROW}:{end}{last}", lang=lang, error_key="programme.template.yes_no_error",
                    prompt_key="programme.template.yes_no_prompt")


def _key_figures_sheet(ws: Worksheet, register: Register, agency_id: str, *, agency_name: str, year: int,
                       lang: str) -> None:
    headers = [t("programme.template.col.key_figure_id", lang), t("programme.template.col.key_figure", lang),
               t("programme.template.col.unit", lang), t("programme.template.col.value", lang, year=year)]
    key_figures = agency_key_figures(register, agency_id)
    hint = "programme.template.key_figures_hint" if key_figures else "programme.template.key_figures_none"
    _sheet_head(ws, t("programme.template.key_figures_title", lang, agency=agency_name, year=year),
                agency_name=agency_name, year=year, hint=t(hint, lang), lang=lang, headers=headers)
    for r, kf in enumerate(key_figures, start=FIRST_ROW):
        ws.cell(r, KEY_FIGURE_ID_COLUMN, kf.id)
        ws.cell(r, KEY_FIGURE_LABEL_COLUMN, label(kf.label, lang)).alignment = WRAP
        ws.cell(r, KEY_FIGURE_UNIT_COLUMN, unit_label(kf.unit, lang))
        _answer(ws.cell(r, KEY_FIGURE_VALUE_COLUMN), number_format="0")
    _widths(ws, {KEY_FIGURE_ID_COLUMN: 38, KEY_FIGURE_LABEL_COLUMN: 60, KEY_FIGURE_UNIT_COLUMN: 14,
                 KEY_FIGURE_VALUE_COLUMN: 16})
    if key_figures:
        letter = get_column_letter(KEY_FIGURE_VALUE_COLUMN)
        _validation(ws, DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True),
                    f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + len(key_figures) - 1}", lang=lang,
                    error_key="programme.template.whole_error", prompt_key="programme.template.whole_prompt")


def unit_label(unit: str, lang: str) -> str:
    """A key figure's unit in words ('personer'), or the code itself when the catalogue has no text for it."""
    key = f"programme.unit.{unit}"
    return t(key, lang) if key in catalogue() else str(unit)


def _collaboration_sheet(ws: Worksheet, register: Register, *, agency_name: str, year: int, lang: str,
                         collaboration: bool) -> None:
    headers = [t("programme.template.col.category_code", lang), t("programme.template.col.category", lang),
               t("programme.template.col.obstacle", lang), t("programme.template.col.solution", lang),
               t("programme_followup.template.col.actor", lang)]
    hint = "programme.template.collaboration_hint" if collaboration else "programme.template.collaboration_optional"
    _sheet_head(ws, t("programme.template.collaboration_title", lang, agency=agency_name, year=year),
                agency_name=agency_name, year=year, hint=t(hint, lang), lang=lang, headers=headers)
    r = FIRST_ROW
    for code, entry in register.obstacle_categories.items():
        for _ in range(OBSTACLE_ROWS):
            ws.cell(r, CATEGORY_CODE_COLUMN, code)
            ws.cell(r, CATEGORY_LABEL_COLUMN, label(entry, lang))
            _answer(ws.cell(r, OBSTACLE_COLUMN), wrap=True)
            _answer(ws.cell(r, SOLUTION_COLUMN), wrap=True)
            _answer(ws.cell(r, ACTOR_COLUMN))
            r += 1
    _widths(ws, {CATEGORY_CODE_COLUMN: 24, CATEGORY_LABEL_COLUMN: 30, OBSTACLE_COLUMN: 60, SOLUTION_COLUMN: 60,
                 ACTOR_COLUMN: 30})
    if r > FIRST_ROW:
        letter = get_column_letter(ACTOR_COLUMN)
        column = get_column_letter(ACTOR_LIST_COLUMN)
        _validation(ws, DataValidation(type="list", formula1=f"{SHEET_LISTS}!${column}$2:${column}$"
                                       f"{1 + len(actor_labels(register, lang))}", allow_blank=True),
                    f"{letter}{FIRST_ROW}:{letter}{r - 1}", lang=lang,
                    error_key="programme_followup.template.actor_error",
                    prompt_key="programme_followup.template.actor_prompt")


def actor_labels(register: Register, lang: str) -> list[str]:
    """The drop-down of who should act: the government, all concerned, then every agency by name."""
    return [t(f"programme_followup.actor.{ACTOR_GOVERNMENT}", lang), t(f"programme_followup.actor.{ACTOR_ALL}", lang),
            *(label(agency.name, lang) for agency in register.agencies.values())]


def _parts_sheet(ws: Worksheet, register: Register, *, agency_name: str, year: int, lang: str,
                 collaboration: bool) -> None:
    """The collaboration assignment's parts, one row each, for the assignment's agencies only."""
    headers = [t("programme_followup.template.col.part_id", lang), t("programme_followup.template.col.part", lang),
               t("programme.template.col.status", lang), t("programme.template.col.evidence", lang),
               t("programme.template.col.narrative", lang)]
    hint = "programme_followup.template.parts_hint" if collaboration else "programme_followup.template.parts_none"
    _sheet_head(ws, t("programme_followup.template.parts_title", lang, agency=agency_name, year=year),
                agency_name=agency_name, year=year, hint=t(hint, lang), lang=lang, headers=headers)
    tasks = list(register.collaboration_assignment.get("tasks", ())) if collaboration else []
    for r, task in enumerate(tasks, start=FIRST_ROW):
        ws.cell(r, PART_ID_COLUMN, task["id"])
        ws.cell(r, PART_LABEL_COLUMN, task[lang]).alignment = WRAP
        _answer(ws.cell(r, PART_STATUS_COLUMN))
        _answer(ws.cell(r, PART_EVIDENCE_COLUMN), wrap=True)
        _answer(ws.cell(r, PART_NARRATIVE_COLUMN), wrap=True)
    _widths(ws, {PART_ID_COLUMN: 26, PART_LABEL_COLUMN: 50, PART_STATUS_COLUMN: 24, PART_EVIDENCE_COLUMN: 36,
                 PART_NARRATIVE_COLUMN: 60})
    if tasks:
        letter = get_column_letter(PART_STATUS_COLUMN)
        lists = f"{SHEET_LISTS}!${get_column_letter(STATUS_LIST_COLUMN)}$2:${get_column_letter(STATUS_LIST_COLUMN)}$"
        _validation(ws, DataValidation(type="list", formula1=f"{lists}{1 + len(register.statuses)}",
                                       allow_blank=True),
                    f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + len(tasks) - 1}", lang=lang,
                    error_key="programme.template.status_error", prompt_key="programme.template.status_prompt")


def _lists_sheet(ws: Worksheet, register: Register, agency_id: str, *, year: int, lang: str) -> None:
    metadata = [("mall", TEMPLATE_MARKER), ("version", TEMPLATE_VERSION), ("myndighet", agency_id), ("år", year),
                ("perspektiv", ";".join(register.perspectives))]
    for r, (key, value) in enumerate(metadata, start=1):
        ws.cell(r, 1, key)
        ws.cell(r, 2, value)
    ws.cell(1, STATUS_LIST_COLUMN, t("programme.template.col.status", lang))
    for r, entry in enumerate(register.statuses.values(), start=2):
        ws.cell(r, STATUS_LIST_COLUMN, label(entry, lang))
    ws.cell(1, YES_NO_LIST_COLUMN, f"{YES}/{NO}")
    ws.cell(2, YES_NO_LIST_COLUMN, YES)
    ws.cell(3, YES_NO_LIST_COLUMN, NO)
    ws.cell(1, ACTOR_LIST_COLUMN, t("programme_followup.template.col.actor", lang))
    for r, text in enumerate(actor_labels(register, lang), start=2):
        ws.cell(r, ACTOR_LIST_COLUMN, text)
    ws.sheet_state = "hidden"


# -------------------------------------------------------------------------------------------- build
def build_template(register: Register, agency_id: str, year: int, *, lang: str = "sv",
                   return_by: date | None = None) -> Workbook:
    """The openpyxl workbook for one agency and report year (``template_bytes`` makes it reproducible).

    Raises ValueError for an agency the register does not know, a year outside the programme
    (2024–2026) or an unknown language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    if agency_id not in register.agencies:
        raise ValueError(f"unknown agency {agency_id!r}; expected one of {sorted(register.agencies)}")
    if not PROGRAMME_FIRST_YEAR <= year <= PROGRAMME_LAST_YEAR:
        raise ValueError(f"year {year} is outside the programme period {PROGRAMME_FIRST_YEAR}–{PROGRAMME_LAST_YEAR}")
    agency = register.agencies[agency_id]
    agency_name = label(agency.name, lang) if isinstance(agency.name, Mapping) else str(agency.name)
    collaboration = agency_id in _assignment_agencies(register)
    moment = datetime(year, 1, 1)
    wb = Workbook()
    wb.properties = DocumentProperties(
        title=t("programme.template.document_title", lang, agency=agency_name, year=year),
        subject=t("programme.template.document_subject", lang), creator=AUTHOR, lastModifiedBy=AUTHOR,
        language="sv-SE" if lang == "sv" else "en-GB", created=moment, modified=moment)
    instructions = wb.active
    instructions.title = SHEET_INSTRUCTIONS
    _instructions(instructions, register, agency_name=agency_name, year=year,
                  return_by=return_by or default_return_date(year), lang=lang, collaboration=collaboration,
                  measures=agency_measures(register, agency_id))
    _measures_sheet(wb.create_sheet(SHEET_MEASURES), register, agency_id, agency_name=agency_name, year=year,
                    lang=lang)
    _key_figures_sheet(wb.create_sheet(SHEET_KEY_FIGURES), register, agency_id, agency_name=agency_name,
                       year=year, lang=lang)
    _collaboration_sheet(wb.create_sheet(SHEET_COLLABORATION), register, agency_name=agency_name, year=year,
                         lang=lang, collaboration=collaboration)
    _parts_sheet(wb.create_sheet(SHEET_PARTS), register, agency_name=agency_name, year=year, lang=lang,
                 collaboration=collaboration)
    _lists_sheet(wb.create_sheet(SHEET_LISTS), register, agency_id, year=year, lang=lang)
    for ws in wb.worksheets:
        _protect(ws)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    return wb


def _assignment_agencies(register: Register) -> tuple[str, ...]:
    """The agencies of the 2024 collaboration assignment, as the register holds them."""
    assignment = getattr(register, "collaboration_assignment", None)
    agencies = assignment.get("agencies") if isinstance(assignment, Mapping) else getattr(assignment, "agencies", ())
    return tuple(agencies or ())


def template_bytes(register: Register, agency_id: str, year: int, *, lang: str = "sv",
                   return_by: date | None = None) -> bytes:
    """The template as XLSX bytes; the same register, agency and year always give the same bytes."""
    wb = build_template(register, agency_id, year, lang=lang, return_by=return_by)
    return workbook_to_bytes(wb, datetime(year, 1, 1))


def write_template(register: Register, agency_id: str, year: int, path: Path, *, lang: str = "sv",
                   return_by: date | None = None) -> None:
    """Write the template to ``path`` (through a temporary file beside it, so no one sees half a file)."""
    content = template_bytes(register, agency_id, year, lang=lang, return_by=return_by)
    write_whole(Path(path), content)


def write_instruction_rows(ws, rows: list[tuple[str, str, object]], *, title_font) -> None:
    """An instructions sheet's rows (text, explanation or "", font or None), wrapped, with row heights
    that fit; the title row (``title_font``) stays unmerged. Shared by the reporting template and the
    evidence review workbook (indicators/evidence/review.py)."""
    for r, (first, second, font) in enumerate(rows, start=1):
        a = ws.cell(r, 1, first or None)
        a.alignment = WRAP
        if font is not None:
            a.font = font
        if second:
            ws.cell(r, 2, second).alignment = WRAP
            lines = max(-(-len(first) // INSTRUCTION_WIDTHS[0]), -(-len(second) // INSTRUCTION_WIDTHS[1]))
        elif first and font is not title_font:
            # Excel never fits a merged cell's height to its text, so the row gets the height it needs.
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
            lines = -(-len(first) // (sum(INSTRUCTION_WIDTHS) - 10))
        else:
            lines = 1
        if lines > 1:
            ws.row_dimensions[r].height = 15 * lines + 2
