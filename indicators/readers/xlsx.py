"""Excel workbooks (XLSX) as Swedish producers publish them, read into the structure CSV reading gives.

Socialstyrelsen (Öppna jämförelser), Brå and Kriminalvården publish Excel files made for people, not
machines: a contents sheet ("Innehåll", "Om statistiken", "Teckenförklaring") before the data, title
rows ("Tabell 3. Andel kommuner …", "Källa: Socialstyrelsen") above the table, a header over two rows
with merged cells ("Kvinnor" over "2022" "2023"), footnotes below it, markers ("..", "x", "–") in value
cells, and numbers that are sometimes stored as text ("1 205" with a no-break space, "15,2").
``read_xlsx`` finds the table in such a sheet and returns it as a ``DelimitedFile`` (in fact the
subclass ``XlsxFile``), each value as the text a CSV export would have held, so that
``delimited_to_table`` builds the ``Table`` exactly as for CSV and every number goes through the same
``parse_number``. Cells are located as ``Blad1!C7`` (sheet, column letter, row number).

Library: openpyxl (pinned ``openpyxl==3.1.5``), chosen over python-calamine 0.9.1 after trying both on
the same workbooks:

- values: both return numbers as numbers and text as text, so "1 205" and "15,2" stored as text stay
  text. openpyxl also keeps int and float apart (calamine gives every number as float) and exposes
  each cell's number format, which tells a cell shown as "15,2 %" (stored 0.152) apart from one that
  holds 15.2 (``XlsxFile.percent_columns``); calamine 0.9 exposes no number formats, and returns an
  empty cell and an empty string alike.
- merged cells: both list merged ranges for XLSX (openpyxl only outside its read-only mode, which is
  why the workbook is loaded in full).
- speed: calamine (Rust) is about 10-15 times faster (a 300 x 30 sheet: 0.03 s against 0.25 s; 20 000
  x 20: 0.7 s against 10 s). The published tables are a few hundred rows (290 kommuner, 21 län), so
  openpyxl's speed is enough; a sheet of hundreds of thousands of cells would take seconds.
- maintenance: openpyxl is the de facto standard (pandas' default XLSX engine), pure Python with one
  pure-Python dependency (et-xmlfile), stable for years but with slow releases (3.1.5, June 2024).
  python-calamine is active but pre-1.0 with a compiled extension per platform.
- the tests write their fixture workbooks with openpyxl anyway, so one library serves both.

Layout rules (all on the sheet as stored, before merged cells are spread):

- sheet: the one named, else the first visible worksheet that holds a table (contents, "about" and
  legend sheets hold only text and are skipped).
- header: the first row with at least two filled cells whose next row is a data row, a data row being
  one with a number (or number-like text, or a common marker) after its first filled cell; a table
  whose value columns hold no number at all (a legend: ".." "Uppgift saknas") is no table. When that
  row has a cell merged across columns (or, unmerged, gaps that the row below fills, with nothing
  below its first cell) and the row after next is a data row, the header spans two rows and is
  flattened to one name per column ("Kvinnor 2022"); a merged cell's value applies to every cell it
  spans, in the header and in the data. The table's columns run from the first to the last named
  column, and one column further left when the data rows fill it under an empty header cell (the
  stub of a rotated table: years as columns, "Kvinnor" "Män" as rows); unnamed columns with no data
  (spacers) are dropped.
- title rows: the non-empty rows above the header, kept in ``title_lines``.
- footnotes: rows after the last data row, kept in ``footnotes``. The last data row is the last row
  with a filled cell beyond the table's first column that comes before the first empty row, or after
  it is a data row as defined above; so "Källa: …" or "1) …" below the table (in the first column or
  after an empty row) are footnotes, and data after a spacer row are still data.
- values: text as is, numbers without locale ("1205", "15.2"; integers without ".0"; at most 15
  significant digits, as Excel shows them), dates as ISO dates, empty as "". Formulas give the value
  Excel saved with the file.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from indicators.readers.delimited import DelimitedFile, delimited_to_table
from indicators.readers.model import ReaderError, Table
from indicators.readers.numbers import parse_number

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: legacy .xls, or an encrypted .xlsx
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
# Markers that make a row look like data when they stand after its first filled cell; the caller's own
# marker list decides later what each one means.
_DATA_MARKERS = frozenset({"..", ".", "...", "x", "X", "-", "–", "—", "*"})


@dataclass
class XlsxFile(DelimitedFile):
    """A sheet's table as ``read_delimited`` would give it, plus what only a workbook has.

    ``sheet`` is the sheet read; ``sheets`` every sheet name in workbook order; ``footnotes`` the text
    rows below the table; ``percent_columns`` the columns whose numbers Excel shows as percentages
    (stored 0.152 and shown "15,2 %": the value read is 0.152); ``formulas`` the sheet's formula cells
    (``Blad1!C7`` -> ``=SUM(C2:C6)``), so that a formula is named as one when its value is no number.
    """

    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    percent_columns: list[str] = field(default_factory=list)
    formulas: dict[str, str] = field(default_factory=dict)


def read_xlsx(data: bytes, *, file: str, sheet: str | None = None) -> XlsxFile:
    """Read the table in one sheet of an XLSX workbook (``sheet``, else the first sheet with a table).

    Raises ReaderError for an empty file, a file that is not an XLSX workbook (a text file, a legacy
    .xls), a password-protected or damaged workbook, a missing sheet, a workbook or sheet without any
    filled cell, a sheet without a table, a header whose flattened column names repeat, and a value in
    a data row outside the header's columns.
    """
    workbook = _load(data, file)
    names = list(workbook.sheetnames)
    worksheets = {ws.title: ws for ws in workbook.worksheets}  # chartsheets have no cells
    if sheet is not None:
        if sheet not in names:
            raise ReaderError("reader.xlsx.missing_sheet", file=file, location=f"{sheet}!A1", found=sheet,
                              expected=_quoted(names))
        candidates = [worksheets[sheet]] if sheet in worksheets else []
        looked_at = [sheet]
    else:
        candidates = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
        looked_at = [ws.title for ws in candidates] or names
    grids = []
    for ws in candidates:
        grid = _Grid.of(ws)
        found = grid.find_table()
        if found is not None:
            built = _build(grid, found, file, names)
            built.formulas = _formulas(data, ws.title)
            return built
        grids.append(grid)
    if all(grid.empty for grid in grids):
        raise ReaderError("reader.xlsx.empty_sheet", file=file, location=f"{looked_at[0]}!A1", found="0",
                          expected=_quoted(looked_at))
    raise ReaderError("reader.xlsx.no_table", file=file, location=f"{looked_at[0]}!A1",
                      found=_quoted(looked_at), expected="2")


def xlsx_to_table(f: XlsxFile, *, file: str, **options: object) -> Table:
    """``delimited_to_table`` for an XLSX sheet, with the workbook's own format name, metadata and messages.

    ``options`` are ``delimited_to_table``'s (dimension_columns, value_column or wide_dimension,
    markers, time_dimension). The Table gets ``format`` 'xlsx' and ``meta`` sheet, sheets, footnotes
    and percent_columns besides the CSV keys; a bad value or a missing column raises the XLSX message.
    A formula in the table without a saved value, or whose saved value is no number where one is
    expected, raises ``reader.xlsx.formula`` naming the cell and the formula.
    """
    if f.formulas:
        for line, fields in f.rows:
            for column, text in zip(f.header, fields, strict=False):
                where = f.cell_locations(line, column)
                if where in f.formulas and not text.strip():
                    raise ReaderError("reader.xlsx.formula", file=file, location=where,
                                      found=_shorten(f.formulas[where]), expected="–")
    try:
        table = delimited_to_table(f, file=file, **options)
    except ReaderError as error:
        if error.key == "reader.csv.bad_number" and error.location in f.formulas:
            raise ReaderError("reader.xlsx.formula", file=error.file, location=error.location,
                              found=_shorten(f.formulas[error.location]), expected=error.found) from None
        if error.key == "reader.csv.bad_number":
            raise ReaderError("reader.xlsx.bad_number", file=error.file, location=error.location,
                              found=error.found, expected=error.expected) from None
        if error.key == "reader.csv.missing_column":
            raise ReaderError("reader.xlsx.missing_column", file=error.file, location=f"{f.sheet}!{f.header_line}:"
                              f"{f.header_line}", found=error.found, expected=error.expected) from None
        raise
    table.format = "xlsx"
    table.meta.update(sheet=f.sheet, sheets=list(f.sheets), footnotes=list(f.footnotes),
                      percent_columns=list(f.percent_columns))
    return table


# --- loading ----------------------------------------------------------------------------------------


def _load(data: bytes, file: str):
    """The openpyxl workbook (values as last saved by Excel), or a ReaderError saying why not."""
    if not data:
        raise ReaderError("reader.empty_file", file=file, location="byte 1", found="0", expected="XLSX")
    if data.startswith(_OLE2_MAGIC):
        if any(stream in data for stream in _ENCRYPTED_STREAMS):
            raise ReaderError("reader.xlsx.encrypted", file=file, location="byte 1", found="EncryptedPackage",
                              expected=".xlsx")
        raise ReaderError("reader.xlsx.legacy_xls", file=file, location="byte 1", found="OLE2 (.xls)",
                          expected=".xlsx")
    if not data.startswith(b"PK"):
        raise ReaderError("reader.xlsx.not_xlsx", file=file, location="byte 1", found=_preview(data),
                          expected="ZIP: xl/workbook.xml")
    try:  # a zip that does not open is a workbook cut short, not some other kind of file
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ReaderError("reader.xlsx.unreadable", file=file, location="byte 1",
                          found=_shorten(f"{type(error).__name__}: {error}"), expected="XLSX") from None
    if "xl/workbook.xml" not in members:
        raise ReaderError("reader.xlsx.not_xlsx", file=file, location="byte 1",
                          found=_shorten("ZIP: " + ", ".join(members[:4])), expected="ZIP: xl/workbook.xml")
    from openpyxl import load_workbook  # imported here so that importing the readers stays cheap

    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it skips (data validation extensions, default styles); they
            # never change a cell's value.
            warnings.simplefilter("ignore", UserWarning)
            return load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises KeyError, ValueError, TypeError, XML errors, …
        raise ReaderError("reader.xlsx.unreadable", file=file, location="byte 1",
                          found=_shorten(f"{type(error).__name__}: {error}"), expected="XLSX") from None


def _formulas(data: bytes, sheet: str) -> dict[str, str]:
    """Every formula on ``sheet`` as ``{"Blad1!C7": "=SUM(C2:C6)"}``, from the sheet's XML.

    The workbook is loaded with ``data_only=True`` (the values Excel saved), which hides that a cell is
    a formula at all; one pass over the sheet's own part finds them. A shared formula's other cells
    show the formula of the cell that defines it.
    """
    import xml.etree.ElementTree as ET

    def local(tag: object) -> str:
        return str(tag).rsplit("}", 1)[-1]

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            workbook = ET.fromstring(archive.read("xl/workbook.xml"))
            rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            rid = next((value for element in workbook.iter() if local(element.tag) == "sheet"
                        and element.get("name") == sheet
                        for key, value in element.attrib.items() if local(key) == "id"), None)
            target = next((r.get("Target", "") for r in rels if r.get("Id") == rid), "")
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target.removeprefix("./")
            root = ET.fromstring(archive.read(part))
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, ET.ParseError):
        return {}
    found: dict[str, str] = {}
    shared: dict[str, str] = {}
    for cell in root.iter():
        if local(cell.tag) != "c":
            continue
        formula = next((child for child in cell if local(child.tag) == "f"), None)
        if formula is None:
            continue
        text = (formula.text or "").strip()
        if formula.get("t") == "shared" and formula.get("si") is not None:
            text = shared.setdefault(formula.get("si"), text) if text else shared.get(formula.get("si"), "")
        found[f"{sheet}!{cell.get('r', '')}"] = "=" + text if text else "="
    return found


def _preview(data: bytes) -> str:
    """The start of a file that is not a workbook, as readable text ('Län;År;Antal')."""
    try:
        head = data[:80].decode("utf-8")
    except UnicodeDecodeError as error:  # a cut multi-byte character at the end is still UTF-8
        head = data[: error.start].decode("utf-8") if error.start > 60 else data[:80].decode("cp1252", "replace")
    head = head.replace("\ufeff", "")
    line = head.splitlines()[0] if head.strip() else head
    printable = "".join(ch if ch.isprintable() else "·" for ch in line.strip())
    return _shorten(printable or data[:8].hex(" "))


# --- the sheet as a grid ----------------------------------------------------------------------------


@dataclass
class _Layout:
    """Where the table is: its header row(s), its columns (1-based) with names, its data rows."""

    header_rows: tuple[int, ...]
    columns: list[tuple[int, str]]
    data_rows: list[int]
    footnote_rows: list[int]


class _Grid:
    """A worksheet's cells as two 1-based grids: ``raw`` as stored and ``spread`` with merged values."""

    def __init__(self, name: str, raw: list[list[object]], formats: list[list[str]],
                 merges: list[tuple[int, int, int, int]]) -> None:
        self.name = name
        self.raw = raw
        self.formats = formats
        self.merges = merges
        self.spread = [list(row) for row in raw]
        for min_row, min_col, max_row, max_col in merges:
            value = raw[min_row - 1][min_col - 1]
            for r in range(min_row, max_row + 1):
                for c in range(min_col, max_col + 1):
                    self.spread[r - 1][c - 1] = value
        self.height = len(raw)
        self.width = len(raw[0]) if raw else 0
        self.empty = not any(_filled(v) for row in raw for v in row)

    @classmethod
    def of(cls, ws) -> _Grid:
        height, width = ws.max_row, ws.max_column
        raw: list[list[object]] = [[None] * width for _ in range(height)]
        formats: list[list[str]] = [[""] * width for _ in range(height)]
        for row in ws.iter_rows(min_row=1, min_col=1, max_row=height, max_col=width):
            for cell in row:
                if cell.value is not None:
                    raw[cell.row - 1][cell.column - 1] = cell.value
                    formats[cell.row - 1][cell.column - 1] = cell.number_format or ""
        merges = [(m.min_row, m.min_col, min(m.max_row, height), min(m.max_col, width))
                  for m in ws.merged_cells.ranges if m.min_row <= height and m.min_col <= width]
        return cls(ws.title, raw, formats, merges)

    def value(self, r: int, c: int, *, spread: bool = False) -> object:
        if not (1 <= r <= self.height and 1 <= c <= self.width):
            return None
        return (self.spread if spread else self.raw)[r - 1][c - 1]

    def filled_columns(self, r: int, *, spread: bool = False) -> list[int]:
        return [c for c in range(1, self.width + 1) if _filled(self.value(r, c, spread=spread))]

    def is_data_row(self, r: int) -> bool:
        """A row with a number, number-like text or a marker after its first filled cell."""
        columns = self.filled_columns(r, spread=True)
        return any(_value_like(self.value(r, c, spread=True)) for c in columns[1:])

    def has_horizontal_merge(self, r: int) -> bool:
        return any(min_row == r == max_row and max_col > min_col for min_row, min_col, max_row, max_col
                   in self.merges)

    def find_table(self) -> _Layout | None:
        """The table's layout, or None when no row qualifies as a header (a text-only sheet)."""
        for r in range(1, self.height + 1):
            top = self.filled_columns(r)
            if len(top) < 2:
                continue
            if self._two_row_header(r, top):
                layout = self._layout((r, r + 1))
            elif self.is_data_row(r + 1):
                layout = self._layout((r,))
            else:
                continue
            if self._has_number(layout):
                return layout
        return None

    def _has_number(self, layout: _Layout) -> bool:
        """Whether any value column holds a number: a legend sheet ('Uppgift saknas' '..') holds none."""
        value_columns = [c for c, _ in layout.columns[1:]]
        return any(_value_like(value) and not (isinstance(value, str) and value.strip() in _DATA_MARKERS)
                   for r in layout.data_rows for value in (self.value(r, c, spread=True) for c in value_columns))

    def _two_row_header(self, r: int, top: list[int]) -> bool:
        below = self.filled_columns(r + 1)
        if not below or not self.is_data_row(r + 2):
            return False
        if self.has_horizontal_merge(r):
            return True
        # Unmerged ("centre across selection"): gaps right of the first header cell that the row below
        # fills, and nothing new below the first header cell, which a data row would have.
        first = top[0]
        if _filled(self.value(r + 1, first)):
            return False
        return any(c > first and c not in top for c in below)

    def _layout(self, header_rows: tuple[int, ...]) -> _Layout:
        names = {c: self._header_name(header_rows, c) for c in range(1, self.width + 1)}
        named = [c for c, name in names.items() if name]
        first, last = named[0], named[-1]
        after = header_rows[-1] + 1
        data_rows = self._data_rows(after, first, last)
        # A rotated table's stub: row labels ("Kvinnor", "Män") in the column left of the first named
        # one, under an empty header cell; they belong to the table, as an unnamed column.
        if first > 1 and any(_filled(self.value(r, first - 1, spread=True)) for r in data_rows):
            first -= 1
        columns = [(c, names[c]) for c in range(first, last + 1)
                   if names[c] or any(_filled(self.value(r, c, spread=True)) for r in data_rows)]
        footnote_end = data_rows[-1] + 1 if data_rows else after
        footnotes = [r for r in range(footnote_end, self.height + 1) if self.filled_columns(r)]
        return _Layout(header_rows=header_rows, columns=columns, data_rows=data_rows, footnote_rows=footnotes)

    def _header_name(self, header_rows: tuple[int, ...], c: int) -> str:
        parts: list[str] = []
        top_merged = self.has_horizontal_merge(header_rows[0])
        for position, r in enumerate(header_rows):
            value = self.value(r, c, spread=True)
            if position == 0 and len(header_rows) == 2 and not top_merged and not _filled(value):
                value = self._carried(r, c, header_rows[1])
            text = " ".join(_text(value).split())
            if text and text not in parts:
                parts.append(text)
        return " ".join(parts)

    def _carried(self, r: int, c: int, below: int) -> object:
        """An unmerged top header cell's value carried right over empty cells ('Kvinnor' '' -> 'Kvinnor')."""
        if not _filled(self.value(below, c)):
            return None
        for left in range(c - 1, 0, -1):
            value = self.value(r, left, spread=True)
            if _filled(value):
                return value if _filled(self.value(below, left)) else None
        return None

    def _data_rows(self, start: int, first: int, last: int) -> list[int]:
        """The non-empty rows from ``start`` to the last data row (see the module docstring)."""
        last_data = start - 1
        seen_empty = False
        for r in range(start, self.height + 1):
            columns = self.filled_columns(r)
            if not columns:
                seen_empty = True
                continue
            beyond_first = any(c > first for c in columns)
            if beyond_first and (not seen_empty or self.is_data_row(r)):
                last_data = r
        return [r for r in range(start, last_data + 1) if self.filled_columns(r)]


def _build(grid: _Grid, layout: _Layout, file: str, sheets: list[str]) -> XlsxFile:
    header_row = layout.header_rows[-1]
    header: list[str] = []
    seen: set[str] = set()
    for c, name in layout.columns:
        if name in seen:
            raise ReaderError("reader.xlsx.duplicate_column", file=file,
                              location=f"{grid.name}!{_letter(c)}{header_row}", found=name,
                              expected=", ".join(n for _, n in layout.columns))
        seen.add(name)
        header.append(name)
    first, last = layout.columns[0][0], layout.columns[-1][0]
    rows: list[tuple[int, list[str]]] = []
    percent: dict[str, None] = {}
    for r in layout.data_rows:
        for c in grid.filled_columns(r):
            if c < first or c > last:
                raise ReaderError("reader.xlsx.outside_table", file=file, location=f"{grid.name}!{_letter(c)}{r}",
                                  found=_shorten(_text(grid.value(r, c))),
                                  expected=f"{_letter(first)}–{_letter(last)}")
        fields = [_text(grid.value(r, c, spread=True)) for c, _ in layout.columns]
        if not any(f.strip() for f in fields):
            continue
        rows.append((r, fields))
        for c, name in layout.columns:
            value = grid.value(r, c, spread=True)
            if _is_number(value) and "%" in grid.formats[r - 1][c - 1]:
                percent.setdefault(name, None)
    title_lines = [_row_text(grid, r) for r in range(1, layout.header_rows[0]) if grid.filled_columns(r)]
    footnotes = [_row_text(grid, r) for r in layout.footnote_rows]
    letters = {name: _letter(c) for c, name in layout.columns}
    sheet_name = grid.name

    def cell_location(line: int, column: str) -> str:
        return f"{sheet_name}!{letters.get(column, '?')}{line}"

    return XlsxFile(header=header, rows=rows, delimiter="", encoding="xlsx", had_bom=False,
                    title_lines=title_lines, header_line=layout.header_rows[0], cell_locations=cell_location,
                    sheet=sheet_name, sheets=list(sheets), footnotes=footnotes, percent_columns=list(percent))


# --- values -----------------------------------------------------------------------------------------


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _value_like(value: object) -> bool:
    """A number, a number stored as text ("1 205", "15,2") or a common marker."""
    if _is_number(value):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    if text in _DATA_MARKERS:
        return True
    try:
        return parse_number(text)[0] is not None
    except ValueError:
        return False


def _text(value: object) -> str:
    """The text a CSV export would hold for a cell value, without locale: "1205", "15.2", "2023-01-31"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")  # Excel's own precision: 0.1+0.2 is shown, and exported, as 0.3
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _row_text(grid: _Grid, r: int) -> str:
    """A title or footnote row as one line: its filled cells' texts, whitespace collapsed."""
    return " ".join(" ".join(_text(grid.value(r, c)).split()) for c in grid.filled_columns(r))


def _letter(column: int) -> str:
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
