"""One XLSX workbook of all indicators, laid out as the UK GSS asks for accessible statistical spreadsheets.

The layout follows the Analysis Function guidance "Releasing statistics in spreadsheets" and its
accessibility checklist as implemented by gptables (ANCHORS.md §1.6), with the GSS shorthand for
cell markers (BRIEF.md §11) and the demo-data rule (BRIEF.md §12):

* **Sheet order** Cover ("Om"), Contents ("Innehåll"), Notes ("Noter"), then one worksheet per
  indicator named by its id (MVK01 …). No blank worksheets; sheet names are short and unique.
* **Cover sheet**: title in A1 and all text in column A, one paragraph per cell with section headings:
  what the workbook contains, an illustrative-values notice when any value is illustrative (placed
  right under the introduction), edition, contents, table layout, sources (descriptive link text, not
  bare URLs) and a contact placeholder. No table on the cover, as in the guidance.
* **Contents sheet**: one table, one row per indicator sheet: the sheet name as a hyperlink to the sheet
  (an internal cell hyperlink, so the cell keeps its text for readers that do not compute formulas),
  the table title, the period covered, the unit, whether it holds illustrative values and, when
  given, the latest assessment sentence.
* **Notes sheet**: one table of numbered notes written "[note 1]" (never symbols or superscripts).
  Notes 1–10 explain the markers (how they are placed, then [c] [x] [z] [u] [p] [r] [b] [e] and [ill.],
  all of them in every edition so the numbers stay stable); then per indicator its
  caveat, series breaks and source caveats. A note shared by several tables is written once and lists
  every table it applies to. Note markers are never put in data cells: each sheet's A4 refers to them.
* **Indicator sheets**: column A above the table holds A1 the title (id, name, period), A2 "This
  worksheet contains one table.", A3 the source line, A4 the note references, then the illustrative
  notice when needed and the definition. The table starts directly below, against the left edge:
  exactly ONE header row, no merged cells, no blank rows or columns, nothing below the table.
  Columns: year; per breakdown a label column and a code column (codes stored as text, so "01" and
  "0180" keep their leading zero); the value with the unit in its header; the marker column.
* **Values** are numbers, rounded with ``formatting.rounded`` to ``spec.decimals`` and shown with a
  matching number format. A missing value never leaves an empty cell: the value cell holds the marker
  text ("[x]", "[c]" …), and the marker column holds every marker of the row (also "[p]", "[b]",
  "[ill.]" on rows that have a number). A marker-column cell is empty only when there is nothing to mark.
* **Excel Tables**: every table (contents, notes, each indicator) is marked up as an Excel Table with a
  unique, meaningful name (Tabell_MVK01 / Table_MVK01, Innehall_tabell / Contents_table …; a bare
  "MVK01" would be read as a cell reference).
  No background fill or banding, colour never carries meaning.
* **Text wraps** in table cells that are too long for their column (notes, titles, assessments), column
  widths follow the content, and every sheet opens with the cursor in A1 and the cover sheet active.
* **Document information**: title, subject, language (sv-SE / en-GB) and author are set.
* **Deterministic bytes**: created/modified come from the edition (``2026`` → 2026-01-01T00:00:00Z; a
  full ISO date is used as is; a non-date edition such as "utkast" gets 2000-01-01), and every zip
  member gets that timestamp, so the same inputs give byte-identical files.

Where the lead's brief and the guidance differ, the guidance wins, deliberately:

* **No freeze panes and no filter buttons.** The Analysis Function checklist says "Avoid adding
  filters and freeze panes" (gptables supports neither), so tables are written without an autoFilter
  and no pane is frozen. A reader who wants them can add them in one click.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from indicators.atomic import write_whole
from indicators.flags import ILLUSTRATIVE_MARKER, letters
from indicators.formatting import rounded
from indicators.i18n import LANGUAGES, t
from indicators.i18n import catalogue as messages
from indicators.registry import TOTAL_CODES, IndicatorSpec
from indicators.sources import GSS_FLAGS, SourceSpec, municipality_codes, police_region_codes, region_codes
from indicators.xlsx_bytes import workbook_to_bytes
from reports.cell_safety import neutralise

AUTHOR = "MVK-uppföljning"
DOCUMENT_LANGUAGE = {"sv": "sv-SE", "en": "en-GB"}
FALLBACK_DATE = datetime(2000, 1, 1)
SEX_ORDER = ("K", "M", "T")

TITLE_FONT = Font(bold=True, size=15)
HEADING_FONT = Font(bold=True, size=13)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="bottom")
RIGHT = Alignment(horizontal="right")
TABLE_STYLE = TableStyleInfo(name="TableStyleLight1", showFirstColumn=False, showLastColumn=False,
                             showRowStripes=False, showColumnStripes=False)
MIN_WIDTH, MAX_WIDTH, COVER_WIDTH, NOTE_WIDTH = 8, 60, 110, 100


# ------------------------------------------------------------------------------------------ helpers
def edition_date(edition: str) -> datetime:
    """The fixed timestamp of an edition: ``2026`` → 2026-01-01, ``2026-03-15`` as is, else 2000-01-01."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})-(\d{2}))?", str(edition).strip())
    if match:
        try:
            moment = datetime(int(match[1]), int(match[2] or 1), int(match[3] or 1))
        except ValueError:
            return FALLBACK_DATE
        if moment.year >= 1980:            # the zip format cannot store earlier dates
            return moment
    return FALLBACK_DATE


def category_label(breakdown: str, code: str, lang: str) -> str:
    """The human label of a breakdown code (Kvinnor, Stockholms län, Polisregion Nord …)."""
    if breakdown == "sex":
        return t(f"code.sex.{code}", lang) if code in SEX_ORDER else code
    if breakdown == "region":
        names = region_codes().get(code)
        return names[lang] if names else municipality_codes().get(code, code)
    if breakdown == "police_region":
        names = police_region_codes().get(code)
        return names[lang] if names else code
    key = f"workbook.code.{breakdown}.{code}"
    if key in messages():          # before the total: MVK15's headline measure "count" has its own name
        return t(key, lang)
    if code == TOTAL_CODES.get(breakdown):
        return t("workbook.total", lang)
    return code.replace("-", "–") if breakdown == "age_group" else code


def _sort_key(breakdown: str, code: str) -> tuple:
    if breakdown == "sex":
        return (SEX_ORDER.index(code) if code in SEX_ORDER else len(SEX_ORDER), code)
    if breakdown == "region":
        return (code != "00", len(code), code)
    return (code != TOTAL_CODES.get(breakdown), code)


def _flag(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def _period(frame: pd.DataFrame, lang: str) -> str:
    if frame.empty:
        return t("workbook.no_values", lang)
    first, last = int(frame["year"].min()), int(frame["year"].max())
    return str(first) if first == last else f"{first}–{last}"


def _note_refs(numbers: list[int]) -> str:
    return ", ".join(f"[note {n}]" for n in numbers)


def _note_range(numbers: list[int]) -> str:
    return f"[note {numbers[0]}]–[note {numbers[-1]}]" if len(numbers) > 1 else _note_refs(numbers)


def _number_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def _text_width(value: object) -> int:
    if value is None:
        return 0
    return max((len(line) for line in str(value).splitlines()), default=0)


def _set_widths(ws: Worksheet, header_row: int, rows: list[list[object]], headers: list[str],
                fixed: dict[int, int] | None = None) -> None:
    """Widths that fit the table's content (text above the table may overflow to the right)."""
    fixed = fixed or {}
    for index, header in enumerate(headers):
        widest = max([_text_width(r[index]) for r in rows] + [min(_text_width(header), 24)])
        width = fixed.get(index, max(MIN_WIDTH, min(MAX_WIDTH, widest + 2)))
        ws.column_dimensions[get_column_letter(index + 1)].width = width
        for row_offset, row in enumerate(rows, start=1):
            if _text_width(row[index]) > width - 2:
                ws.cell(row=header_row + row_offset, column=index + 1).alignment = WRAP


def _write_text_rows(ws: Worksheet, lines: list[tuple[str, Font | None]]) -> int:
    """Column A text above a table, one line per row from A1; returns the last row used."""
    for row, (text, font) in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1, value=neutralise(text))
        if font is not None:
            cell.font = font
    return len(lines)


def _write_table(ws: Worksheet, *, name: str, first_row: int, headers: list[str], rows: list[list[object]],
                 formats: dict[int, str] | None = None, fixed_widths: dict[int, int] | None = None) -> None:
    """One header row and the data rows from column A, registered as an Excel Table (no filter buttons)."""
    formats = formats or {}
    for column, header in enumerate(headers, start=1):
        cell = ws.cell(row=first_row, column=column, value=neutralise(header))
        cell.font = BOLD
        cell.alignment = HEADER_ALIGNMENT
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=first_row + offset, column=column, value=neutralise(value))   # OWASP
            if column - 1 in formats and isinstance(value, int | float):
                cell.number_format = formats[column - 1]
            elif column - 1 in formats:
                cell.alignment = RIGHT          # a marker in a value cell lines up with the numbers
    last = f"{get_column_letter(len(headers))}{first_row + max(len(rows), 1)}"
    table = Table(displayName=name, ref=f"A{first_row}:{last}", tableStyleInfo=TABLE_STYLE,
                  tableColumns=[TableColumn(id=i, name=h) for i, h in enumerate(headers, start=1)])
    ws.add_table(table)
    _set_widths(ws, first_row, rows, headers, fixed_widths)


def _internal_link(cell, sheet: str) -> None:
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!A1", display=str(cell.value))
    cell.style = "Hyperlink"


# -------------------------------------------------------------------------------------------- notes
class _Notes:
    """Numbered notes in order of first use; identical texts share one number."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.applies: list[list[str]] = []

    def add(self, text: str, applies_to: str) -> int:
        if text in self.texts:
            index = self.texts.index(text)
            if applies_to not in self.applies[index]:
                self.applies[index].append(applies_to)
        else:
            self.texts.append(text)
            self.applies.append([applies_to])
            index = len(self.texts) - 1
        return index + 1


def _indicator_note_texts(spec: IndicatorSpec, sources: dict[str, SourceSpec], lang: str) -> list[str]:
    texts = []
    if spec.caveats.get(lang):
        texts.append(spec.caveats[lang])
    for brk in spec.series_breaks:
        if brk.get(lang):
            texts.append(t("workbook.notes.series_break", lang, year=brk["year"], text=brk[lang]))
    for source_id in spec.sources:
        source = sources[source_id]
        for brk in source.series_breaks:
            if brk.get(lang):
                texts.append(t("workbook.notes.series_break", lang, year=brk["year"], text=brk[lang]))
        if source.caveats.get(lang):
            texts.append(t("workbook.notes.source_caveat", lang, publisher=source.publisher[lang],
                           title=source.title[lang], text=source.caveats[lang]))
    return list(dict.fromkeys(texts))


# ------------------------------------------------------------------------------------------- sheets
def _indicator_rows(spec: IndicatorSpec, frame: pd.DataFrame, lang: str) -> list[list[object]]:
    # plain dicts, sorted stably by year and each breakdown's reading order (iterrows built a Series per
    # row, twice: half of a workbook's time)
    records = sorted(frame.to_dict("records"),
                     key=lambda r: (int(r["year"]), *[_sort_key(b, str(r[b])) for b in spec.breakdowns]))
    rows = []
    for r in records:
        missing = pd.isna(r["value"])
        markers = [f"[{letter}]" for letter in letters(_flag(r["flag"]))]   # "[p] [r]": one per letter
        if missing and not markers:
            markers.append("[x]")                  # never an empty value cell without a marker
        if bool(r["illustrative"]):
            markers.append(ILLUSTRATIVE_MARKER)
        if missing:
            value: object = markers[0]
        else:
            number = rounded(float(r["value"]), spec.decimals)
            value = int(number) if spec.decimals <= 0 else float(number)
        row: list[object] = [int(r["year"])]
        for breakdown in spec.breakdowns:
            code = str(r[breakdown])
            row += [category_label(breakdown, code, lang), code]
        rows.append([*row, value, " ".join(markers) or None,
                     _flag(r.get("reliability")) or None, _flag(r.get("source_url")) or None])
    if not rows:                                   # an Excel Table needs a data row; say "not available"
        rows.append(["[x]"] * (5 + 2 * len(spec.breakdowns)))
    return rows


def _indicator_sheet(wb: Workbook, spec: IndicatorSpec, frame: pd.DataFrame, *, lang: str,
                     sources: dict[str, SourceSpec], note_numbers: list[int], legend: list[int]) -> None:
    ws = wb.create_sheet(spec.id)
    source_names = "; ".join(f"{sources[s].publisher[lang]}, {sources[s].title[lang]}" for s in spec.sources)
    if note_numbers:
        notes_line = t("workbook.sheet.notes_ref", lang, notes=_note_refs(note_numbers), legend=_note_range(legend))
    else:
        notes_line = t("workbook.sheet.notes_ref_legend", lang, legend=_note_range(legend))
    lines: list[tuple[str, Font | None]] = [
        (t("workbook.sheet.title", lang, id=spec.id, name=spec.name[lang], period=_period(frame, lang)), TITLE_FONT),
        (t("workbook.one_table", lang), None),
        (t("workbook.sheet.source", lang, sources=source_names), None),
        (notes_line, None),
    ]
    if bool(frame["illustrative"].any()):
        lines.append((t("workbook.sheet.illustrative", lang), BOLD))
    lines.append((t("workbook.sheet.definition", lang, definition=spec.definition[lang]), None))
    last_text_row = _write_text_rows(ws, lines)

    headers = [t("workbook.col.year", lang)]
    for breakdown in spec.breakdowns:
        dimension = t(f"workbook.dimension.{breakdown}", lang)
        headers += [dimension, t("workbook.col.code", lang, dimension=dimension)]
    value_index = len(headers)
    headers += [t("workbook.col.value", lang, unit=t(f"unit.{spec.unit}", lang)), t("workbook.col.marker", lang),
                t("flags.workbook_col_reliability", lang), t("flags.workbook_col_source_url", lang)]
    _write_table(ws, name=t("workbook.table_indicator", lang, id=spec.id), first_row=last_text_row + 1,
                 headers=headers, rows=_indicator_rows(spec, frame, lang),
                 formats={value_index: _number_format(spec.decimals)})


def _cover_sheet(wb: Workbook, *, lang: str, edition: str, catalogue: dict[str, IndicatorSpec],
                 sources: dict[str, SourceSpec], any_illustrative: bool, contents_name: str) -> None:
    ws = wb.active
    ws.title = t("workbook.sheet_cover", lang)
    ws.sheet_view.tabSelected = True
    ws.column_dimensions["A"].width = COVER_WIDTH
    ids = list(catalogue)
    ids_text = (f"{ids[0]}–{ids[-1]}" if len(ids) > 2 else ", ".join(ids)) if ids else "–"
    lines: list[tuple[str, Font | None]] = [
        (t("workbook.title", lang, edition=edition), TITLE_FONT),
        (t("workbook.cover.intro", lang, count=len(ids), ids=ids_text), None),
    ]
    if any_illustrative:
        lines += [(t("workbook.cover.illustrative_heading", lang), HEADING_FONT),
                  (t("workbook.cover.illustrative_body", lang), None)]
    lines += [
        (t("workbook.cover.edition_heading", lang), HEADING_FONT),
        (t("workbook.cover.edition_body", lang, edition=edition), None),
        (t("workbook.cover.contents_heading", lang), HEADING_FONT),
        (t("workbook.cover.contents_body", lang), None),
        (t("workbook.cover.layout_heading", lang), HEADING_FONT),
        (t("workbook.cover.layout_body", lang), None),
    ]
    contents_row = len(lines) - 2
    lines.append((t("workbook.cover.sources_heading", lang), HEADING_FONT))
    source_ids = list(dict.fromkeys(s for spec in catalogue.values() for s in spec.sources))
    first_source_row = len(lines) + 1
    for source_id in source_ids:
        source = sources[source_id]
        lines.append((t("workbook.cover.source_line", lang, publisher=source.publisher[lang],
                        title=source.title[lang], licence=source.licence[lang]), None))
    lines += [(t("workbook.cover.contact_heading", lang), HEADING_FONT),
              (t("workbook.cover.contact_placeholder", lang), None)]
    _write_text_rows(ws, lines)
    _internal_link(ws.cell(row=contents_row, column=1), contents_name)
    for offset, source_id in enumerate(source_ids):
        cell = ws.cell(row=first_source_row + offset, column=1)
        cell.hyperlink = sources[source_id].url
        cell.style = "Hyperlink"
    for row, (_, font) in enumerate(lines, start=1):
        if row > 1 and font is None:       # paragraphs wrap inside the wide column A; headings stay one line
            ws.cell(row=row, column=1).alignment = WRAP


def _contents_sheet(wb: Workbook, *, lang: str, catalogue: dict[str, IndicatorSpec],
                    results: dict[str, pd.DataFrame], assessments: dict[str, str] | None, notes_name: str) -> None:
    ws = wb.create_sheet(t("workbook.sheet_contents", lang))
    _write_text_rows(ws, [(t("workbook.contents.title", lang), TITLE_FONT),
                          (t("workbook.one_table", lang), None),
                          (t("workbook.contents.notes_link", lang), None)])
    _internal_link(ws["A3"], notes_name)
    headers = [t(f"workbook.contents.col_{c}", lang) for c in ("sheet", "title", "period", "unit", "illustrative")]
    if assessments is not None:
        headers.append(t("workbook.contents.col_assessment", lang))
    rows = []
    for spec in catalogue.values():
        frame = results[spec.id]
        illustrative = (t("workbook.contents.illustrative_yes", lang) if bool(frame["illustrative"].any())
                        else t("workbook.contents.illustrative_no", lang))
        row: list[object] = [spec.id, spec.name[lang], _period(frame, lang), t(f"unit.{spec.unit}", lang),
                             illustrative]
        if assessments is not None:
            row.append(assessments.get(spec.id) or t("workbook.contents.no_assessment", lang))
        rows.append(row)
    first_row = 4
    _write_table(ws, name=t("workbook.table_contents", lang), first_row=first_row, headers=headers, rows=rows,
                 fixed_widths={5: MAX_WIDTH} if assessments is not None else None)
    for offset, spec_id in enumerate(catalogue, start=1):
        _internal_link(ws.cell(row=first_row + offset, column=1), spec_id)


def _notes_sheet(wb: Workbook, notes: _Notes, *, lang: str) -> None:
    ws = wb.create_sheet(t("workbook.sheet_notes", lang))
    _write_text_rows(ws, [(t("workbook.notes.title", lang), TITLE_FONT), (t("workbook.one_table", lang), None)])
    headers = [t(f"workbook.notes.col_{c}", lang) for c in ("number", "applies", "text")]
    rows = [[f"[note {n}]", ", ".join(applies), text]
            for n, (applies, text) in enumerate(zip(notes.applies, notes.texts, strict=True), start=1)]
    _write_table(ws, name=t("workbook.table_notes", lang), first_row=3, headers=headers, rows=rows,
                 fixed_widths={2: NOTE_WIDTH})


# -------------------------------------------------------------------------------------------- build
def build_workbook(*, lang: str, edition: str, catalogue: dict[str, IndicatorSpec],
                   results: dict[str, pd.DataFrame], sources: dict[str, SourceSpec],
                   assessments: dict[str, str] | None = None) -> Workbook:
    """The openpyxl workbook (not yet serialised; ``workbook_bytes`` makes the bytes reproducible)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    missing = [spec_id for spec_id in catalogue if spec_id not in results]
    if missing:
        raise ValueError(f"no result frame for {missing}")
    moment = edition_date(edition)
    wb = Workbook()
    wb.properties = DocumentProperties(
        title=t("workbook.title", lang, edition=edition), subject=t("workbook.subject", lang),
        creator=AUTHOR, lastModifiedBy=AUTHOR, language=DOCUMENT_LANGUAGE[lang], created=moment, modified=moment)

    all_tables = t("workbook.notes.all_tables", lang)
    notes = _Notes()
    legend = [notes.add(t("workbook.notes.markers", lang), all_tables)]
    legend += [notes.add(f"[{flag}] {t(f'flag.{flag}', lang)}", all_tables) for flag in GSS_FLAGS]
    legend.append(notes.add(f"{ILLUSTRATIVE_MARKER} {t('workbook.notes.illustrative', lang)}", all_tables))
    legend.append(notes.add(t("flags.workbook_notes_reliability", lang), all_tables))
    per_indicator = {spec.id: [notes.add(text, spec.id) for text in _indicator_note_texts(spec, sources, lang)]
                     for spec in catalogue.values()}

    any_illustrative = any(bool(results[spec_id]["illustrative"].any()) for spec_id in catalogue)
    contents_name, notes_name = t("workbook.sheet_contents", lang), t("workbook.sheet_notes", lang)
    _cover_sheet(wb, lang=lang, edition=edition, catalogue=catalogue, sources=sources,
                 any_illustrative=any_illustrative, contents_name=contents_name)
    _contents_sheet(wb, lang=lang, catalogue=catalogue, results=results, assessments=assessments,
                    notes_name=notes_name)
    _notes_sheet(wb, notes, lang=lang)
    for spec in catalogue.values():
        _indicator_sheet(wb, spec, results[spec.id], lang=lang, sources=sources,
                         note_numbers=per_indicator[spec.id], legend=legend)
    wb.active = 0
    return wb


def workbook_bytes(*, lang: str, edition: str, catalogue: dict[str, IndicatorSpec],
                   results: dict[str, pd.DataFrame], sources: dict[str, SourceSpec],
                   assessments: dict[str, str] | None = None) -> bytes:
    """The XLSX file as bytes; the same inputs always give the same bytes."""
    wb = build_workbook(lang=lang, edition=edition, catalogue=catalogue, results=results, sources=sources,
                        assessments=assessments)
    return workbook_to_bytes(wb, edition_date(edition))


def write_workbook(path: Path, *, lang: str, edition: str, catalogue: dict[str, IndicatorSpec],
                   results: dict[str, pd.DataFrame], sources: dict[str, SourceSpec],
                   assessments: dict[str, str] | None = None) -> None:
    """Write the workbook to ``path`` (via a temporary file beside it, so a reader never sees half a file)."""
    content = workbook_bytes(lang=lang, edition=edition, catalogue=catalogue, results=results, sources=sources,
                             assessments=assessments)
    write_whole(Path(path), content)
