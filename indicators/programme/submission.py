"""An agency's filled reporting template (XLSX) or the same answers as CSV, read and validated.

``read_submission(data, file=…, register=…)`` returns a ``Submission``: the agency, the report year,
one ``MeasureReport`` per measure, the ``KeyFigureValue``s supplied and the collaboration
``Obstacle``s. The first problem found raises ``ReaderError`` (``indicators.readers.model``) with a
``programme.*`` message key; the message names the sheet and cell (``Åtgärder!E7``) or the CSV line
and column (``line 4, column "status"``), what was found and what was expected, in Swedish and
English. ``is_submission(data, file)`` tells cheaply whether a file is a template or this CSV layout,
so that the pipeline can route it here rather than to a statistics source.

The XLSX layout is ``indicators.programme.template``'s: the reader trusts the hidden metadata block on
``Lista`` (marker, version, agency id, year, perspective codes in column order) and the fixed column
positions, never the header texts, so a template in either language reads the same.

CSV layout (one row per measure, key figure or obstacle; UTF-8 with or without BOM or Windows-1252;
semicolon-separated, as Excel writes CSV in a Swedish locale, though comma and tab are recognised too)::

    myndighet;år;del;id;status;statusdatum;perspektiv;underlag;beskrivning;värde;kategori;hinder;lösning

- ``myndighet``: the agency's register id or its name (any alias ``find_agency`` knows); the same
  agency on every row. ``år``: the report year, 2024–2026, the same on every row.
- ``del``: ``åtgärd``, ``nyckeltal`` or ``samverkan`` (the letters å/ä/ö may be written a/a/o).
- ``åtgärd`` rows: ``id`` the measure id; ``status`` the code or label (``pagaende`` / ``Pågående``);
  ``statusdatum`` ``YYYY-MM-DD`` or empty; ``perspektiv`` perspective codes or labels separated by
  commas (``barnratt,heder``), empty for none; ``underlag`` evidence (document and page);
  ``beskrivning`` the narrative.
- ``nyckeltal`` rows: ``id`` the key-figure id, ``värde`` a whole number ≥ 0 (``1 205`` is read as 1205);
  a row with an empty value is skipped (not supplied).
- ``samverkan`` rows: ``kategori`` the obstacle category's code or label, ``hinder`` the obstacle,
  ``lösning`` the proposed solution, and in the optional fourteenth column ``aktör`` who should act
  (an agency's id or name, ``regeringen`` or ``alla``; empty: not stated).
- ``samverkansuppdrag`` rows (only the collaboration assignment's four agencies): ``id`` the part's id
  (``metoder_valdsutovare``, ``synkroniserade_insatser``, ``hinder_samverkan``), ``status`` its status,
  ``underlag`` the evidence, ``beskrivning`` what was done.
- Columns a row does not use are left empty (they are ignored); column order is free; every one of the
  thirteen columns must be in the header (the names are matched without regard to case, and å/ä/ö may
  be written a/a/o).

Validation, in this order (the first error raises):

1. any Swedish personal identity number or coordination number (``identity_numbers``) anywhere in the
   file (every cell of every sheet, cell comments and document properties, and every other part of the
   workbook: formulas, headers and footers, hyperlinks, validation lists, defined names; every line of
   a CSV), then in the file name (location ``filnamn/file name``) →
   ``programme.identity_number`` / ``programme.coordination_number``. The message names the cell and
   shows the number only masked (``19811228-****``); the number is in no field, message or repr;
2. the file is a template (XLSX: ``Lista`` with the marker, a supported version, every sheet) →
   ``programme.not_template``, ``programme.template_version``, ``programme.missing_sheet``; CSV: the
   thirteen columns, ``del`` values, at least one row → ``programme.csv.*``;
3. the agency exists → ``programme.unknown_agency``; one agency per file → ``programme.agency_mismatch``;
   the year is 2024–2026 → ``programme.year_out_of_range``; the year shown on the sheets (CSV: on every
   row) is the metadata's → ``programme.year_mismatch``;
4. measures: a known id → ``programme.unknown_measure``; assigned to the agency (responsible or
   co-responsible) → ``programme.measure_not_assigned``; once → ``programme.duplicate_measure``; a
   status → ``programme.missing_status``, one of the taxonomy → ``programme.invalid_status``; a status
   date that is a date → ``programme.invalid_date``, within 2024-01-01 … 31 December of the report year
   → ``programme.date_out_of_range``, not after today → ``programme.date_in_future``; perspectives
   ja/nej → ``programme.invalid_choice`` (CSV: known codes → ``programme.unknown_perspective``); a
   narrative when the status is genomford or utgatt → ``programme.missing_narrative``; every measure of
   the agency reported → ``programme.missing_measure``;
5. key figures: known → ``programme.unknown_key_figure``, the agency's → ``programme.key_figure_not_assigned``,
   once → ``programme.duplicate_key_figure``, a whole number ≥ 0 → ``programme.bad_key_figure``;
6. obstacles: a known category → ``programme.unknown_category``; a proposed solution for every
   obstacle → ``programme.missing_solution``, and an obstacle for every solution → ``programme.missing_obstacle``;
   who should act, when given, an agency, the government or all → ``programme_followup.unknown_actor``;
7. the collaboration assignment's parts (template version 2, CSV ``samverkansuppdrag`` rows): a known
   part → ``programme_followup.unknown_part``, reported by one of the assignment's agencies →
   ``programme_followup.part_not_assigned``, once → ``programme_followup.duplicate_part``, a status of
   the taxonomy when anything else is given → ``programme.missing_status`` / ``programme.invalid_status``.
   A part left empty is not reported (the page says "uppgift saknas").
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from openpyxl.utils import get_column_letter

from indicators.programme.identity_numbers import (
    FILE_NAME_LOCATION,
    PERSONNUMMER,
    find_identity_numbers,
    safe_text,
    texts_in_file,
)
from indicators.programme.template import (
    ACTOR_ALL,
    ACTOR_COLUMN,
    ACTOR_GOVERNMENT,
    CATEGORY_CODE_COLUMN,
    FIRST_ROW,
    KEY_FIGURE_ID_COLUMN,
    KEY_FIGURE_VALUE_COLUMN,
    MEASURE_ID_COLUMN,
    META_AGENCY,
    META_MARKER,
    META_PERSPECTIVES,
    META_VERSION,
    META_YEAR,
    NO,
    OBSTACLE_COLUMN,
    PART_EVIDENCE_COLUMN,
    PART_ID_COLUMN,
    PART_NARRATIVE_COLUMN,
    PART_STATUS_COLUMN,
    PROGRAMME_FIRST_YEAR,
    PROGRAMME_LAST_YEAR,
    PROGRAMME_START,
    SHEET_COLLABORATION,
    SHEET_KEY_FIGURES,
    SHEET_LISTS,
    SHEET_MEASURES,
    SHEET_PARTS,
    SOLUTION_COLUMN,
    STATUS_COLUMN,
    STATUS_DATE_COLUMN,
    SUPPORTED_VERSIONS,
    TEMPLATE_MARKER,
    YEAR_CELL,
    YES,
    MeasureLayout,
    agency_key_figures,
    agency_measures,
    label,
)
from indicators.readers.encoding import decode_bytes
from indicators.readers.model import ReaderError
from indicators.readers.numbers import parse_number

if TYPE_CHECKING:
    from indicators.programme.register import Register

FORMAT_XLSX, FORMAT_CSV = "xlsx", "csv"
NARRATIVE_REQUIRED = ("genomford", "utgatt")  # statuses that need a narrative
PART_MEASURE, PART_KEY_FIGURE, PART_OBSTACLE = "åtgärd", "nyckeltal", "samverkan"
PART_ASSIGNMENT = "samverkansuppdrag"   # a part of the 2024 collaboration assignment
CSV_COLUMNS = ("myndighet", "år", "del", "id", "status", "statusdatum", "perspektiv", "underlag", "beskrivning",
               "värde", "kategori", "hinder", "lösning")
CSV_ACTOR_COLUMN = "aktör"   # optional fourteenth column: who should act on an obstacle's solution
_YES_WORDS = frozenset({YES, "yes", "j", "x"})
_NO_WORDS = frozenset({NO, "no", "n", ""})
_DATE_TEXT = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?")


# ----------------------------------------------------------------------------------------------- model
@dataclass
class MeasureReport:
    """One measure's answers. ``location`` maps each field to its cell (not part of equality)."""

    measure_id: str
    status: str
    status_date: date | None
    perspectives: tuple[str, ...]
    evidence: str
    narrative: str
    location: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass
class KeyFigureValue:
    """One key figure's value for the report year."""

    key_figure_id: str
    value: int
    location: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass
class Obstacle:
    """One obstacle to collaboration with the proposed solution; ``category`` is the register code,
    ``actor`` who should act (an agency id, ``regeringen`` or ``alla``; None when not stated)."""

    category: str
    description: str
    proposed_solution: str
    location: dict[str, str] = field(default_factory=dict, compare=False)
    actor: str | None = None


@dataclass
class PartReport:
    """The status an assignment agency reports for one part of the 2024 collaboration assignment."""

    part_id: str
    status: str
    evidence: str
    narrative: str
    location: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass
class Submission:
    """An agency's report for one year, from a template (``format`` 'xlsx') or CSV ('csv').

    ``measures`` follow the register's order of the agency's measures, ``key_figures`` the order of
    the agency's key figures, ``obstacles`` the register's order of categories (file order within one).
    """

    agency_id: str
    year: int
    format: str
    measures: list[MeasureReport]
    key_figures: list[KeyFigureValue]
    obstacles: list[Obstacle]
    parts: list[PartReport] = field(default_factory=list)   # the assignment's parts, in the register's order


# ------------------------------------------------------------------------------------------ helpers
def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _error(key: str, *, file: str, location: str, found: object, expected: object) -> ReaderError:
    """A ReaderError whose every field is masked, so that no identity number can leak through it.

    ``safe_text`` also replaces control and bidi characters, so that a hostile file name or cell text
    cannot rewrite a terminal, a log line or a report.
    """
    return ReaderError(key, file=safe_text(file), location=safe_text(location),
                       found=safe_text(_shorten(str(found))), expected=safe_text(str(expected)))


def _fold(text: str) -> str:
    """Case, spacing and å/ä/ö-insensitive form of a name or label ('Pågående' → 'pagaende')."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.replace("_", " ").split())


def _text(value: object) -> str:
    """A cell value as the text a person typed: numbers without '.0', dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _identity_error(match_kind: str, masked: str, *, file: str, location: str) -> ReaderError:
    key = "programme.identity_number" if match_kind == PERSONNUMMER else "programme.coordination_number"
    return _error(key, file=file, location=location, found=masked, expected="0")


def _check_text(text: str, *, file: str, location: str) -> None:
    matches = find_identity_numbers(text)
    if matches:
        raise _identity_error(matches[0].kind, matches[0].masked, file=file, location=location)


def _check_name(file: str) -> None:
    """A number in the file name refuses the file like one in a cell: the name is stored and shown."""
    _check_text(file, file=file, location=FILE_NAME_LOCATION)


class _Vocabulary:
    """The register's codes and how people write them, for statuses, perspectives and categories."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.statuses = self._lookup(register.statuses)
        self.perspectives = self._lookup(register.perspectives)
        self.categories = self._lookup(register.obstacle_categories)
        self.perspective_order = list(register.perspectives)
        self.category_order = list(register.obstacle_categories)

    @staticmethod
    def _lookup(entries: dict[str, Any]) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for code, entry in entries.items():
            for name in (code, label(entry, "sv"), label(entry, "en")):
                lookup.setdefault(_fold(name), code)
        return lookup

    def status_labels(self) -> str:
        return ", ".join(label(entry, "sv") for entry in self.register.statuses.values())

    def perspective_codes(self) -> str:
        return ", ".join(self.register.perspectives)

    def category_codes(self) -> str:
        return ", ".join(self.register.obstacle_categories)

    def actor(self, text: str) -> str | None:
        """An agency id, ``regeringen`` or ``alla`` for what a reporter wrote, or None when unknown."""
        from indicators.i18n import t
        from indicators.programme.register import find_agency

        special = {ACTOR_GOVERNMENT: ACTOR_GOVERNMENT, ACTOR_ALL: ACTOR_ALL, "government": ACTOR_GOVERNMENT,
                   "all": ACTOR_ALL}
        for code in (ACTOR_GOVERNMENT, ACTOR_ALL):
            for lang in ("sv", "en"):
                special[t(f"programme_followup.actor.{code}", lang)] = code
        folded = {_fold(k): v for k, v in special.items()}
        if _fold(text) in folded:
            return folded[_fold(text)]
        agency = find_agency(self.register, text)
        return agency.id if agency else None

    def actor_codes(self) -> str:
        return ", ".join((ACTOR_GOVERNMENT, ACTOR_ALL, *self.register.agencies))


def _period(year: int) -> tuple[date, date]:
    return PROGRAMME_START, date(year, 12, 31)


def _parse_date(value: object) -> date | None | str:
    """A date, None for an empty cell, or the text as typed when it is no date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    match = _DATE_TEXT.fullmatch(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return text
    return text


def _parse_whole(value: object) -> int | None:
    """A whole number ≥ 0 from a cell or field, or None when it is anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    try:
        number, marker = parse_number(str(value))
    except ValueError:
        return None
    if marker is not None or number is None or not float(number).is_integer() or number < 0:
        return None
    return int(number)


# ------------------------------------------------------------------------------------------- checks
class _Checker:
    """The rules shared by the XLSX and CSV readers; ``loc(field)`` gives a field's location."""

    def __init__(self, register: Register, *, file: str, today: date) -> None:
        self.register = register
        self.file = file
        self.today = today
        self.vocabulary = _Vocabulary(register)
        self.agency_id = ""
        self.year = 0
        self.measure_ids: list[str] = []
        self.key_figure_ids: list[str] = []
        self.seen_measures: dict[str, str] = {}
        self.seen_key_figures: dict[str, str] = {}
        self.seen_parts: dict[str, str] = {}

    def error(self, key: str, location: str, found: object, expected: object) -> ReaderError:
        return _error(key, file=self.file, location=location, found=found, expected=expected)

    # --- agency and year
    def agency(self, value: object, location: str) -> str:
        text = _text(value)
        if text in self.register.agencies:
            return text
        from indicators.programme.register import find_agency

        agency = find_agency(self.register, text) if text else None
        if agency is None:
            raise self.error("programme.unknown_agency", location, text, ", ".join(self.register.agencies))
        return agency.id

    def year_of(self, value: object, location: str) -> int:
        text = _text(value)
        year = int(text) if re.fullmatch(r"\d{4}", text) else None
        if year is None or not PROGRAMME_FIRST_YEAR <= year <= PROGRAMME_LAST_YEAR:
            raise self.error("programme.year_out_of_range", location, text,
                             f"{PROGRAMME_FIRST_YEAR}–{PROGRAMME_LAST_YEAR}")
        return year

    def set_agency_and_year(self, agency_id: str, year: int) -> None:
        self.agency_id, self.year = agency_id, year
        self.measure_ids = [m.id for m in agency_measures(self.register, agency_id)]
        self.key_figure_ids = [kf.id for kf in agency_key_figures(self.register, agency_id)]

    # --- measures
    def measure(self, *, measure_id: object, status: object, status_date: object, perspectives: tuple[str, ...],
                evidence: object, narrative: object, loc: dict[str, str]) -> MeasureReport:
        mid = _text(measure_id)
        if mid not in self.register.measures:
            raise self.error("programme.unknown_measure", loc["measure_id"], mid,
                             ", ".join(self.measure_ids[:3]) or ", ".join(list(self.register.measures)[:3]))
        if mid not in self.measure_ids:
            raise self.error("programme.measure_not_assigned", loc["measure_id"], mid, ", ".join(self.measure_ids))
        if mid in self.seen_measures:
            raise self.error("programme.duplicate_measure", loc["measure_id"], mid, self.seen_measures[mid])
        self.seen_measures[mid] = loc["measure_id"]
        status_text = _text(status)
        if not status_text:
            raise self.error("programme.missing_status", loc["status"], mid, self.vocabulary.status_labels())
        code = self.vocabulary.statuses.get(_fold(status_text))
        if code is None:
            raise self.error("programme.invalid_status", loc["status"], status_text, self.vocabulary.status_labels())
        when = self.status_date(status_date, loc["status_date"])
        narrative_text = _text(narrative)
        if code in NARRATIVE_REQUIRED and not narrative_text:
            raise self.error("programme.missing_narrative", loc["narrative"], mid, ", ".join(
                f"{c} ({label(self.register.statuses[c], 'sv')})" for c in NARRATIVE_REQUIRED
                if c in self.register.statuses))
        return MeasureReport(measure_id=mid, status=code, status_date=when, perspectives=perspectives,
                             evidence=_text(evidence), narrative=narrative_text, location=dict(loc))

    def status_date(self, value: object, location: str) -> date | None:
        parsed = _parse_date(value)
        if isinstance(parsed, str):
            raise self.error("programme.invalid_date", location, parsed, "YYYY-MM-DD")
        if parsed is None:
            return None
        first, last = _period(self.year)
        if not first <= parsed <= last:
            raise self.error("programme.date_out_of_range", location, parsed.isoformat(),
                             f"{first.isoformat()} – {last.isoformat()}")
        if parsed > self.today:
            raise self.error("programme.date_in_future", location, parsed.isoformat(), self.today.isoformat())
        return parsed

    def all_measures_reported(self, location: str) -> None:
        missing = [mid for mid in self.measure_ids if mid not in self.seen_measures]
        if missing:
            raise self.error("programme.missing_measure", location, missing[0], ", ".join(self.measure_ids))

    def ordered_measures(self, reports: list[MeasureReport]) -> list[MeasureReport]:
        order = {mid: i for i, mid in enumerate(self.measure_ids)}
        return sorted(reports, key=lambda report: order[report.measure_id])

    # --- key figures
    def key_figure(self, kf_id: object, value: object, loc: dict[str, str]) -> KeyFigureValue | None:
        kid = _text(kf_id)
        if kid not in self.register.key_figures:
            raise self.error("programme.unknown_key_figure", loc["key_figure_id"], kid,
                             ", ".join(self.key_figure_ids[:3]) or ", ".join(list(self.register.key_figures)[:3]))
        if kid not in self.key_figure_ids:
            raise self.error("programme.key_figure_not_assigned", loc["key_figure_id"], kid,
                             ", ".join(self.key_figure_ids) or "–")
        if kid in self.seen_key_figures:
            raise self.error("programme.duplicate_key_figure", loc["key_figure_id"], kid, self.seen_key_figures[kid])
        self.seen_key_figures[kid] = loc["key_figure_id"]
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number = _parse_whole(value)
        if number is None:
            raise self.error("programme.bad_key_figure", loc["value"], _text(value), "0, 1, 2, …")
        return KeyFigureValue(key_figure_id=kid, value=number, location=dict(loc))

    def ordered_key_figures(self, values: list[KeyFigureValue]) -> list[KeyFigureValue]:
        order = {kid: i for i, kid in enumerate(self.key_figure_ids)}
        return sorted(values, key=lambda kf: order[kf.key_figure_id])

    # --- obstacles
    def category(self, value: object, location: str) -> str:
        text = _text(value)
        code = self.vocabulary.categories.get(_fold(text)) if text else None
        if code is None:
            raise self.error("programme.unknown_category", location, text, self.vocabulary.category_codes())
        return code

    def obstacle(self, category: str, description: object, solution: object,
                 loc: dict[str, str], actor: object = None) -> Obstacle | None:
        described, solved = _text(description), _text(solution)
        if not described and not solved:
            return None
        if not solved:
            raise self.error("programme.missing_solution", loc["proposed_solution"], described, category)
        if not described:
            raise self.error("programme.missing_obstacle", loc["description"], solved, category)
        actor_text = _text(actor)
        actor_code = None
        if actor_text:
            actor_code = self.vocabulary.actor(actor_text)
            if actor_code is None:
                raise self.error("programme_followup.unknown_actor", loc.get("actor", loc["description"]),
                                 actor_text, self.vocabulary.actor_codes())
        return Obstacle(category=category, description=described, proposed_solution=solved, location=dict(loc),
                        actor=actor_code)

    def ordered_obstacles(self, obstacles: list[Obstacle]) -> list[Obstacle]:
        order = {code: i for i, code in enumerate(self.vocabulary.category_order)}
        return sorted(obstacles, key=lambda o: order[o.category])  # stable: file order within a category

    # --- the collaboration assignment's parts
    def part(self, part_id: object, status: object, evidence: object, narrative: object,
             loc: dict[str, str]) -> PartReport | None:
        pid = _text(part_id)
        assignment = self.register.collaboration_assignment or {}
        tasks = [task["id"] for task in assignment.get("tasks", ())]
        status_text, evidence_text, narrative_text = _text(status), _text(evidence), _text(narrative)
        if not (status_text or evidence_text or narrative_text):
            return None            # a part left empty: not reported
        if pid not in tasks:
            raise self.error("programme_followup.unknown_part", loc["part_id"], pid, ", ".join(tasks))
        if self.agency_id not in assignment.get("agencies", ()):
            raise self.error("programme_followup.part_not_assigned", loc["part_id"], pid,
                             ", ".join(assignment.get("agencies", ())))
        if pid in self.seen_parts:
            raise self.error("programme_followup.duplicate_part", loc["part_id"], pid, self.seen_parts[pid])
        self.seen_parts[pid] = loc["part_id"]
        if not status_text:
            raise self.error("programme.missing_status", loc["status"], pid, self.vocabulary.status_labels())
        code = self.vocabulary.statuses.get(_fold(status_text))
        if code is None:
            raise self.error("programme.invalid_status", loc["status"], status_text, self.vocabulary.status_labels())
        return PartReport(part_id=pid, status=code, evidence=evidence_text, narrative=narrative_text,
                          location=dict(loc))

    def ordered_parts(self, parts: list[PartReport]) -> list[PartReport]:
        tasks = [task["id"] for task in (self.register.collaboration_assignment or {}).get("tasks", ())]
        return sorted(parts, key=lambda part: tasks.index(part.part_id))


# ---------------------------------------------------------------------------------------------- XLSX
def _xlsx_strings(wb) -> Iterator[tuple[str, str]]:
    """(location, text) for everything a person could have typed into the workbook."""
    properties = wb.properties
    for name in ("title", "subject", "creator", "keywords", "description", "lastModifiedBy", "category",
                 "identifier", "contentStatus", "version"):
        value = getattr(properties, name, None)
        if value:
            yield f"docProps/core.xml ({name})", str(value)
    for ws in wb.worksheets:
        yield f"{ws.title}!A1", ws.title
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None and not isinstance(cell.value, datetime | date | bool):
                    yield f"{ws.title}!{cell.coordinate}", _text(cell.value)
                if cell.comment is not None and cell.comment.text:
                    yield f"{ws.title}!{cell.coordinate}", cell.comment.text


def _read_xlsx(data: bytes, *, file: str, register: Register, today: date) -> Submission:
    from indicators.readers.xlsx import _load

    try:
        wb = _load(data, file)
    except ReaderError as error:
        raise _error(error.key, file=error.file, location=error.location, found=error.found,
                     expected=error.expected) from None
    for location, text in _xlsx_strings(wb):
        _check_text(text, file=file, location=location)
    # What openpyxl does not show: formulas without a saved value, headers and footers, custom
    # properties, hyperlink targets, validation lists, defined names (the workbook's XML parts).
    for location, text in texts_in_file(data):
        _check_text(text, file=file, location=location)
    _check_name(file)
    checker = _Checker(register, file=file, today=today)
    if SHEET_LISTS not in wb.sheetnames or wb[SHEET_LISTS][META_MARKER].value != TEMPLATE_MARKER:
        found = _text(wb[SHEET_LISTS][META_MARKER].value) if SHEET_LISTS in wb.sheetnames else ", ".join(
            wb.sheetnames)
        raise checker.error("programme.not_template", f"{SHEET_LISTS}!{META_MARKER}", found, TEMPLATE_MARKER)
    meta = wb[SHEET_LISTS]
    version = _text(meta[META_VERSION].value)
    if version not in {str(v) for v in SUPPORTED_VERSIONS}:
        raise checker.error("programme.template_version", f"{SHEET_LISTS}!{META_VERSION}", version,
                            ", ".join(str(v) for v in SUPPORTED_VERSIONS))
    # Version 1 had no parts sheet and no "who should act" column; version 2 has both.
    sheets = (SHEET_MEASURES, SHEET_KEY_FIGURES, SHEET_COLLABORATION) + ((SHEET_PARTS,) if version != "1" else ())
    for name in sheets:
        if name not in wb.sheetnames:
            raise checker.error("programme.missing_sheet", f"{name}!A1", name, ", ".join((*sheets, SHEET_LISTS)))
    agency_id = checker.agency(meta[META_AGENCY].value, f"{SHEET_LISTS}!{META_AGENCY}")
    year = checker.year_of(meta[META_YEAR].value, f"{SHEET_LISTS}!{META_YEAR}")
    for name in sheets:
        shown = _text(wb[name][YEAR_CELL].value)
        if shown != str(year):
            raise checker.error("programme.year_mismatch", f"{name}!{YEAR_CELL}", shown, year)
    checker.set_agency_and_year(agency_id, year)
    perspectives = tuple(code for code in _text(meta[META_PERSPECTIVES].value).split(";") if code)
    for code in perspectives:
        if code not in register.perspectives:
            raise checker.error("programme.unknown_perspective", f"{SHEET_LISTS}!{META_PERSPECTIVES}", code,
                                checker.vocabulary.perspective_codes())
    measures = _xlsx_measures(wb[SHEET_MEASURES], checker, MeasureLayout(perspectives))
    key_figures = _xlsx_key_figures(wb[SHEET_KEY_FIGURES], checker)
    obstacles = _xlsx_obstacles(wb[SHEET_COLLABORATION], checker, with_actor=version != "1")
    parts = _xlsx_parts(wb[SHEET_PARTS], checker) if version != "1" else []
    return Submission(agency_id=agency_id, year=year, format=FORMAT_XLSX, measures=measures,
                      key_figures=key_figures, obstacles=obstacles, parts=parts)


def _used_rows(ws, last_column: int) -> Iterator[tuple[int, list[object]]]:
    """(row, values of columns 1..last_column) for every row from FIRST_ROW with anything in it."""
    for r, values in enumerate(ws.iter_rows(min_row=FIRST_ROW, max_col=last_column, values_only=True),
                               start=FIRST_ROW):
        values = list(values) + [None] * (last_column - len(values))
        if any(_text(v) for v in values):
            yield r, values


def _xlsx_measures(ws, checker: _Checker, layout: MeasureLayout) -> list[MeasureReport]:
    sheet = ws.title

    def at(column: int, r: int) -> str:
        return f"{sheet}!{get_column_letter(column)}{r}"

    reports: list[MeasureReport] = []
    for r, values in _used_rows(ws, layout.narrative_column):
        chosen: list[str] = []
        for index, code in enumerate(layout.perspectives):
            column = layout.perspective_column(index)
            answer = _fold(_text(values[column - 1]))
            if answer in _YES_WORDS:
                chosen.append(code)
            elif answer not in _NO_WORDS:
                raise checker.error("programme.invalid_choice", at(column, r), _text(values[column - 1]),
                                    f"{YES}, {NO}")
        first_p = layout.perspective_column(0)
        last_p = layout.perspective_column(max(len(layout.perspectives) - 1, 0))
        loc = {"measure_id": at(MEASURE_ID_COLUMN, r), "status": at(STATUS_COLUMN, r),
               "status_date": at(STATUS_DATE_COLUMN, r),
               "perspectives": f"{at(first_p, r)}:{at(last_p, r).split('!')[1]}",
               "evidence": at(layout.evidence_column, r), "narrative": at(layout.narrative_column, r)}
        order = {code: i for i, code in enumerate(checker.vocabulary.perspective_order)}
        reports.append(checker.measure(
            measure_id=values[MEASURE_ID_COLUMN - 1], status=values[STATUS_COLUMN - 1],
            status_date=values[STATUS_DATE_COLUMN - 1], perspectives=tuple(sorted(chosen, key=order.__getitem__)),
            evidence=values[layout.evidence_column - 1], narrative=values[layout.narrative_column - 1], loc=loc))
    checker.all_measures_reported(f"{sheet}!A{FIRST_ROW}:A{max(ws.max_row, FIRST_ROW)}")
    return checker.ordered_measures(reports)


def _xlsx_key_figures(ws, checker: _Checker) -> list[KeyFigureValue]:
    values_out: list[KeyFigureValue] = []
    for r, values in _used_rows(ws, KEY_FIGURE_VALUE_COLUMN):
        loc = {"key_figure_id": f"{ws.title}!A{r}", "value": f"{ws.title}!D{r}"}
        value = checker.key_figure(values[KEY_FIGURE_ID_COLUMN - 1], values[KEY_FIGURE_VALUE_COLUMN - 1], loc)
        if value is not None:
            values_out.append(value)
    return checker.ordered_key_figures(values_out)


def _xlsx_obstacles(ws, checker: _Checker, *, with_actor: bool = True) -> list[Obstacle]:
    obstacles: list[Obstacle] = []
    last = ACTOR_COLUMN if with_actor else SOLUTION_COLUMN
    for r, values in _used_rows(ws, last):
        description, solution = values[OBSTACLE_COLUMN - 1], values[SOLUTION_COLUMN - 1]
        if not _text(description) and not _text(solution):
            continue  # a category row left empty
        category = checker.category(values[CATEGORY_CODE_COLUMN - 1], f"{ws.title}!A{r}")
        loc = {"category": f"{ws.title}!A{r}", "description": f"{ws.title}!C{r}",
               "proposed_solution": f"{ws.title}!D{r}"}
        if with_actor:
            loc["actor"] = f"{ws.title}!{get_column_letter(ACTOR_COLUMN)}{r}"
        obstacle = checker.obstacle(category, description, solution, loc,
                                    actor=values[ACTOR_COLUMN - 1] if with_actor else None)
        if obstacle is not None:
            obstacles.append(obstacle)
    return checker.ordered_obstacles(obstacles)


def _xlsx_parts(ws, checker: _Checker) -> list[PartReport]:
    parts: list[PartReport] = []
    for r, values in _used_rows(ws, PART_NARRATIVE_COLUMN):
        def at(column: int, row: int = r) -> str:
            return f"{ws.title}!{get_column_letter(column)}{row}"
        loc = {"part_id": at(PART_ID_COLUMN), "status": at(PART_STATUS_COLUMN),
               "evidence": at(PART_EVIDENCE_COLUMN), "narrative": at(PART_NARRATIVE_COLUMN)}
        part = checker.part(values[PART_ID_COLUMN - 1], values[PART_STATUS_COLUMN - 1],
                            values[PART_EVIDENCE_COLUMN - 1], values[PART_NARRATIVE_COLUMN - 1], loc)
        if part is not None:
            parts.append(part)
    return checker.ordered_parts(parts)


# ----------------------------------------------------------------------------------------------- CSV
def _column_at(line: str, position: int, delimiter: str) -> int:
    """The 0-based field index of ``position`` in one physical CSV line (delimiters outside quotes)."""
    index, quoted = 0, False
    for char in line[:position]:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            index += 1
    return index


def _csv_identity_scan(data: bytes, *, file: str) -> None:
    """Reject a CSV holding an identity number before any parser can echo a line of it."""
    try:
        text = decode_bytes(data, file=file).text
    except ReaderError as error:
        raise _error(error.key, file=error.file, location=error.location, found=error.found,
                     expected=error.expected) from None
    lines = [line.rstrip("\r\n") for line in io.StringIO(text, newline="")]
    content = [line for line in lines if line.strip() and not line.strip().lower().startswith("sep=")]
    header_line = content[0] if content else ""
    delimiter = max((";", "\t", ","), key=header_line.count)
    header = [name.strip().strip('"') for name in header_line.split(delimiter)]
    for number, line in enumerate(lines, start=1):
        matches = find_identity_numbers(line)
        if not matches:
            continue
        column = _column_at(line, matches[0].start, delimiter)
        name = header[column] if column < len(header) else ""
        location = f'line {number}, column "{name}"' if name else f"line {number}"
        raise _identity_error(matches[0].kind, matches[0].masked, file=file, location=location)


def _read_csv(data: bytes, *, file: str, register: Register, today: date) -> Submission:
    from indicators.readers.delimited import read_delimited

    _csv_identity_scan(data, file=file)
    _check_name(file)
    try:
        parsed = read_delimited(data, file=file)
    except ReaderError as error:
        raise _error(error.key, file=error.file, location=error.location, found=error.found,
                     expected=error.expected) from None
    checker = _Checker(register, file=file, today=today)
    columns: dict[str, str] = {}
    for name in parsed.header:
        columns.setdefault(_fold(name), name)
    for wanted in CSV_COLUMNS:
        if _fold(wanted) not in columns:
            raise checker.error("programme.csv.missing_column", f"line {parsed.header_line}", wanted,
                                ";".join(CSV_COLUMNS))
    used = CSV_COLUMNS + ((CSV_ACTOR_COLUMN,) if _fold(CSV_ACTOR_COLUMN) in columns else ())
    names = {wanted: columns[_fold(wanted)] for wanted in used}
    positions = {wanted: parsed.header.index(names[wanted]) for wanted in used}
    if not parsed.rows:
        raise checker.error("programme.csv.no_rows", f"line {parsed.header_line}", 0,
                            f"{PART_MEASURE}, {PART_KEY_FIGURE}, {PART_OBSTACLE}")

    def loc(line: int, column: str) -> str:
        return f'line {line}, column "{names[column]}"'

    parts = {_fold(PART_MEASURE): PART_MEASURE, _fold(PART_KEY_FIGURE): PART_KEY_FIGURE,
             _fold(PART_OBSTACLE): PART_OBSTACLE, _fold(PART_ASSIGNMENT): PART_ASSIGNMENT}
    agency_id: str | None = None
    year: int | None = None
    rows: list[tuple[int, str, dict[str, str]]] = []
    for line, fields in parsed.rows:
        row = {column: fields[positions[column]].strip() for column in used}
        this_agency = checker.agency(row["myndighet"], loc(line, "myndighet"))
        if agency_id is None:
            agency_id = this_agency
        elif this_agency != agency_id:
            raise checker.error("programme.agency_mismatch", loc(line, "myndighet"), row["myndighet"], agency_id)
        this_year = checker.year_of(row["år"], loc(line, "år"))
        if year is None:
            year = this_year
        elif this_year != year:
            raise checker.error("programme.year_mismatch", loc(line, "år"), this_year, year)
        part = parts.get(_fold(row["del"]))
        if part is None:
            raise checker.error("programme.csv.invalid_part", loc(line, "del"), row["del"],
                                f"{PART_MEASURE}, {PART_KEY_FIGURE}, {PART_OBSTACLE}, {PART_ASSIGNMENT}")
        rows.append((line, part, row))
    assert agency_id is not None and year is not None  # at least one row was read
    checker.set_agency_and_year(agency_id, year)

    measures: list[MeasureReport] = []
    key_figures: list[KeyFigureValue] = []
    obstacles: list[Obstacle] = []
    assignment_parts: list[PartReport] = []
    for line, part, row in rows:
        if part == PART_MEASURE:
            perspectives = _csv_perspectives(row["perspektiv"], checker, loc(line, "perspektiv"))
            measures.append(checker.measure(
                measure_id=row["id"], status=row["status"], status_date=row["statusdatum"], perspectives=perspectives,
                evidence=row["underlag"], narrative=row["beskrivning"],
                loc={"measure_id": loc(line, "id"), "status": loc(line, "status"),
                     "status_date": loc(line, "statusdatum"), "perspectives": loc(line, "perspektiv"),
                     "evidence": loc(line, "underlag"), "narrative": loc(line, "beskrivning")}))
        elif part == PART_KEY_FIGURE:
            value = checker.key_figure(row["id"], row["värde"],
                                       {"key_figure_id": loc(line, "id"), "value": loc(line, "värde")})
            if value is not None:
                key_figures.append(value)
        elif part == PART_ASSIGNMENT:
            reported = checker.part(row["id"], row["status"], row["underlag"], row["beskrivning"],
                                    {"part_id": loc(line, "id"), "status": loc(line, "status"),
                                     "evidence": loc(line, "underlag"), "narrative": loc(line, "beskrivning")})
            if reported is not None:
                assignment_parts.append(reported)
        else:
            category = checker.category(row["kategori"], loc(line, "kategori"))
            where = {"category": loc(line, "kategori"), "description": loc(line, "hinder"),
                     "proposed_solution": loc(line, "lösning")}
            if CSV_ACTOR_COLUMN in names:
                where["actor"] = loc(line, CSV_ACTOR_COLUMN)
            obstacle = checker.obstacle(category, row["hinder"], row["lösning"], where,
                                        actor=row.get(CSV_ACTOR_COLUMN))
            if obstacle is not None:  # a row with neither obstacle nor solution says nothing
                obstacles.append(obstacle)
    checker.all_measures_reported(f'column "{names["id"]}"')
    return Submission(agency_id=agency_id, year=year, format=FORMAT_CSV, measures=checker.ordered_measures(measures),
                      key_figures=checker.ordered_key_figures(key_figures),
                      obstacles=checker.ordered_obstacles(obstacles), parts=checker.ordered_parts(assignment_parts))


def _csv_perspectives(text: str, checker: _Checker, location: str) -> tuple[str, ...]:
    chosen: set[str] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        code = checker.vocabulary.perspectives.get(_fold(part))
        if code is None:
            raise checker.error("programme.unknown_perspective", location, part,
                                checker.vocabulary.perspective_codes())
        chosen.add(code)
    return tuple(code for code in checker.vocabulary.perspective_order if code in chosen)


# ------------------------------------------------------------------------------------------- public
def read_submission(data: bytes, *, file: str, register: Register, today: date | None = None) -> Submission:
    """Read and validate a filled template (XLSX) or its CSV equivalent; ReaderError on the first problem.

    ``today`` (default: the current date) is the latest status date accepted.
    """
    today = today or date.today()
    if data.startswith(b"PK") or data.startswith(b"\xd0\xcf\x11\xe0"):
        return _read_xlsx(data, file=file, register=register, today=today)
    return _read_csv(data, file=file, register=register, today=today)


def is_submission(data: bytes, file: str = "") -> bool:
    """Whether ``data`` is a reporting template (XLSX with the marker) or the CSV layout; never raises.

    Cheap: for XLSX the marker is looked up in the zip's shared strings (or sheets) without loading the
    workbook; for CSV only the header line is decoded.
    """
    if data.startswith(b"PK"):
        return xlsx_holds_marker(data, TEMPLATE_MARKER)
    return _csv_header_matches(data[:4096])


_SUBMISSION_SHEETS = (SHEET_MEASURES, SHEET_KEY_FIGURES, SHEET_COLLABORATION, SHEET_LISTS)
_SUBMISSION_WORDS = ("myndighet", "år", "del", "id", "status", "beskrivning", "hinder", "lösning")


def looks_like_submission(data: bytes) -> tuple[str, str, str] | None:
    """(location, found, expected) when a file that ``is_submission`` refused still looks like an agency
    report: a workbook with the template's sheets but no marker, or a CSV header with several of the
    layout's column names but not the four that identify it. None otherwise; never raises.

    Such a file must not be tried against the statistics sources (whose message would talk about a
    table layout the agency never meant); it is refused, and quarantined with its content, saying what
    is missing where.
    """
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        except (zipfile.BadZipFile, OSError, ValueError, KeyError):
            return None
        sheets = re.findall(r'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', workbook)
        shared = [name for name in _SUBMISSION_SHEETS if name in sheets]
        if len(shared) >= 2:
            return f"{SHEET_LISTS}!{META_MARKER}", ", ".join(sheets), TEMPLATE_MARKER
        return None
    first = _first_csv_line(data[:4096])
    if first is None:
        return None
    for delimiter in (";", "\t", ","):
        names = [name.strip().strip('"') for name in first.split(delimiter)]
        folded = {_fold(name) for name in names}
        hits = [word for word in _SUBMISSION_WORDS if _fold(word) in folded]
        if len(hits) >= 3 and "myndighet" in hits:
            return "line 1", delimiter.join(names), ";".join(CSV_COLUMNS)
    return None


def _first_csv_line(head: bytes) -> str | None:
    """The first non-empty line of a CSV's head (UTF-8 or Windows-1252; Excel's "sep=" line skipped)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    lines = [line for line in text.splitlines() if line.strip() and not line.strip().lower().startswith("sep=")]
    return lines[0] if lines else None


def _csv_header_matches(head: bytes) -> bool:
    header = _first_csv_line(head)
    if header is None:
        return False
    for delimiter in (";", "\t", ","):
        names = {_fold(name.strip().strip('"')) for name in header.split(delimiter)}
        if {_fold(c) for c in ("myndighet", "år", "del", "id")} <= names:
            return True
    return False


def xlsx_holds_marker(data: bytes, marker: str) -> bool:
    """Whether an XLSX file's shared strings or sheets hold ``marker`` (the reporting template's and the
    evidence review workbook's way of saying what they are); cheap, never raises."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            parts = [n for n in names if n == "xl/sharedStrings.xml"]
            parts += [n for n in names if n.startswith("xl/worksheets/sheet") and n.endswith(".xml")]
            return any(marker.encode() in archive.read(part) for part in parts)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError):
        return False
