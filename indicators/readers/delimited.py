"""Delimited text (CSV) as Swedish producers publish it, read into rows and then into a ``Table``.

Swedish CSV is rarely RFC 4180: Excel in a Swedish locale writes semicolons (the comma is the decimal
separator), Windows-1252 or UTF-8 with a BOM, "1 205" with a no-break space, and often a title line or
two above the header. So the reader sniffs rather than assumes: the encoding from the bytes
(``encoding.decode_bytes``), the delimiter from the header line (counted outside quotes, and checked
against the next line so that decimal commas in data cannot win), and the header as the first line
that such a delimiter splits consistently. Lines below the data that a person wrote for people
(footnotes, "Källa: Brå", "1) Preliminära uppgifter") are kept as notes, not read as data. Reading is
two steps, because only the caller knows which columns are dimensions: ``read_delimited`` gives the
header and the rows with their line numbers, and ``delimited_to_table`` builds the cube, long (one value
column) or wide (one column per year, or per combination of codes: "Kvinnor dödade av partner").
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from indicators.readers.encoding import decode_bytes
from indicators.readers.model import Category, Cell, Dimension, ReaderError, Table
from indicators.readers.numbers import parse_number

# Tried in this order when two delimiters find the header on the same line: a semicolon file is the
# Swedish norm and commas inside it are decimal commas.
_DELIMITERS = (";", "\t", ",")
_SNIFF_LINES = 50
_SEP_HINT = re.compile(r"^\s*sep=(.)\s*$", re.IGNORECASE)  # Excel's "sep=;" first line
# How a footnote or source line below a table begins: "Källa: Brå", "Anm.", "Not:", "1) …", "¹ …", "* …".
_NOTE_START = re.compile(
    r"^\s*(?:(?:källa|källor|source|sources|anm|anmärkning|anmärkningar|not|noter|note|notes|fotnot|fotnoter"
    r"|footnote|footnotes|kommentar|kommentarer|comment|comments|förklaring|teckenförklaring)\s*[:.]"
    r"|\(?\d{1,2}\)\s*\S|[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s*\S|\*+\s*\S)",
    re.IGNORECASE)
_SOURCE_LINE = re.compile(r"^\s*(?:källa|källor|source|sources)\s*:", re.IGNORECASE)


@dataclass
class DelimitedFile:
    """The header and the data rows of a delimited file, each row with its 1-based line in the file.

    ``cell_locations``, when set, turns (a row's line number, a column name) into the location string
    that cells and errors carry; readers of other formats use it (XLSX: ``Blad1!C7``). Unset, a cell is
    located as ``line 7, column "Antal"``. ``footnotes`` are the text lines below the data (notes and
    the "Källa:" line), in file order.
    """

    header: list[str]
    rows: list[tuple[int, list[str]]]
    delimiter: str
    encoding: str
    had_bom: bool
    title_lines: list[str] = field(default_factory=list)
    header_line: int = 1
    cell_locations: Callable[[int, str], str] | None = None
    footnotes: list[str] = field(default_factory=list)


def read_delimited(data: bytes, *, file: str) -> DelimitedFile:
    """Read a comma-, semicolon- or tab-separated file.

    Lines above the header (titles) are skipped and kept in ``title_lines``; blank lines and lines of
    empty fields are skipped; trailing empty fields beyond the header (a delimiter at the end of each
    line) are dropped; lines after the last data line that are notes (``_is_note``) are kept in
    ``footnotes``. Raises ReaderError for an empty or undecodable file, a file with no delimiter,
    a misplaced or unclosed quote, a duplicate column name, or a row whose field count differs from
    the header's.
    """
    decoded = decode_bytes(data, file=file)
    lines = list(io.StringIO(decoded.text, newline=""))
    delimiter, header_index = _sniff(lines, file)
    title_lines = [line.strip() for line in lines[:header_index] if line.strip()]
    title_lines = [line for line in title_lines if not _SEP_HINT.match(line)]
    records = _records(lines, header_index, delimiter, file)
    header_line, header_fields = records[0]
    header = _header(header_fields, header_line, file)
    body, footnotes = _split_notes(records[1:], len(header), delimiter)
    rows: list[tuple[int, list[str]]] = []
    for line, fields in body:
        if all(not f.strip() for f in fields):
            continue
        if len(fields) > len(header) and all(not f.strip() for f in fields[len(header):]):
            fields = fields[: len(header)]
        if len(fields) != len(header):
            raise ReaderError("reader.csv.ragged_row", file=file, location=f"line {line}",
                              found=str(len(fields)), expected=str(len(header)))
        rows.append((line, fields))
    return DelimitedFile(header=header, rows=rows, delimiter=delimiter, encoding=decoded.encoding,
                         had_bom=decoded.had_bom, title_lines=title_lines, header_line=header_line,
                         footnotes=footnotes)


def _split_notes(records: list[tuple[int, list[str]]], width: int,
                 delimiter: str) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """The data records and the notes below them: walking up from the end, blank and note lines."""
    end = len(records)
    while end and (_blank(records[end - 1][1]) or _is_note(records[end - 1][1], width)):
        end -= 1
    notes = [delimiter.join(fields).strip().strip(delimiter).strip() for _, fields in records[end:]
             if not _blank(fields)]
    return records[:end], notes


def _blank(fields: list[str]) -> bool:
    return all(not f.strip() for f in fields)


def _is_note(fields: list[str], width: int) -> bool:
    """A line below the table that a person wrote for people, not a data row.

    It begins as notes do ("Källa:", "Anm.", "1)", "¹", "*"), or it is words (two or more, with
    letters) in the first field alone and either does not have the header's field count (typed
    without delimiters) or is a sentence (ends with a full stop). "Riket;;;" (a data row whose values
    are all empty) is none of these, nor is "2024" on the last line of a file cut short: that stays a
    ragged row, an error, rather than a lost row.
    """
    filled = [f.strip() for f in fields if f.strip()]
    if not filled:
        return False
    if _NOTE_START.match(filled[0]):
        return True
    if len(filled) == 1 and fields[0].strip():
        text = filled[0]
        words = len(text.split()) >= 2 and any(ch.isalpha() for ch in text)
        return words and (len(fields) != width or text.endswith("."))
    return False


def _sniff(lines: list[str], file: str) -> tuple[str, int]:
    """The delimiter and the index of the header line.

    For each candidate delimiter the header is the first line it splits (count outside quotes at least
    1) into at least two filled fields, with the same count as the next line that has any content. The
    candidate whose count the most lines after its header share wins (a comma in a title line and in
    one header label must not beat the semicolons of every data line), then the one whose header
    comes first, then ``_DELIMITERS`` order. An Excel ``sep=`` hint on the first line decides outright.
    """
    sample = [(i, line.rstrip("\r\n")) for i, line in enumerate(lines[: _SNIFF_LINES * 4]) if line.strip()]
    sample = sample[:_SNIFF_LINES]
    if not sample:
        raise ReaderError("reader.empty_file", file=file, location="line 1", found="0", expected="CSV")
    hint = _SEP_HINT.match(sample[0][1])
    if hint:
        following = [i for i, _ in sample[1:]]
        return hint.group(1), following[0] if following else sample[0][0] + 1
    best: tuple[int, int, int, str] | None = None
    for order, delimiter in enumerate(_DELIMITERS):
        shapes = [(i, *_shape(text, delimiter)) for i, text in sample]
        content = [shape for shape in shapes if shape[2] > 0]  # lines of only delimiters say nothing
        for k, (index, count, filled) in enumerate(content):
            if count >= 1 and filled >= 2 and (k + 1 == len(content) or content[k + 1][1] == count):
                support = sum(1 for shape in content[k + 1:] if shape[1] == count)
                if best is None or (-support, index, order) < best[:3]:
                    best = (-support, index, order, delimiter)
                break
    if best is None:
        first_index, first_text = sample[0]
        raise ReaderError("reader.csv.no_delimiter", file=file, location=f"line {first_index + 1}",
                          found=_shorten(first_text.strip()), expected="; , TAB")
    return best[3], best[1]


def _shape(text: str, delimiter: str) -> tuple[int, int]:
    """(delimiters outside quotes, fields that are not blank) of one line.

    A header has at least two filled fields; an Excel title row ("Titel;;;") has one, so it is not
    mistaken for the header although it has as many delimiters.
    """
    count, quoted, filled, current = 0, False, 0, False
    for char in text:
        if char == '"':
            quoted = not quoted
            current = True
        elif char == delimiter and not quoted:
            count += 1
            filled += current
            current = False
        elif not char.isspace():
            current = True
    return count, filled + current


def _records(lines: list[str], start: int, delimiter: str, file: str) -> list[tuple[int, list[str]]]:
    """CSV records from line index ``start`` on, each with the 1-based line where it begins."""
    # strict: a quote never closed must be an error, not a field that silently swallows the file's end
    reader = csv.reader(lines[start:], delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    records: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for fields in reader:
            records.append((start + previous + 1, fields))
            previous = reader.line_num
    except csv.Error:
        raise ReaderError("reader.csv.bad_quote", file=file, location=f"line {start + previous + 1}",
                          found=_shorten(lines[start + previous].strip()), expected='"') from None
    records = [(line, fields) for line, fields in records if fields]
    return records


def _header(fields: list[str], line: int, file: str) -> list[str]:
    header = [name.strip() for name in fields]
    while header and header[-1] == "":
        header.pop()
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise ReaderError("reader.csv.duplicate_column", file=file, location=f"line {line}",
                              found=name, expected=", ".join(header))
        seen.add(name)
    return header


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def delimited_to_table(
    f: DelimitedFile,
    *,
    file: str,
    dimension_columns: list[str],
    value_column: str | None = None,
    wide_dimension: str | None = None,
    markers: Iterable[str] = (),
    time_dimension: str | None = None,
    column_codes: dict[str, dict[str, str]] | None = None,
    row_codes: tuple[str, dict[str, dict[str, str]]] | None = None,
) -> Table:
    """Build a Table from a DelimitedFile.

    Long format: ``value_column`` holds the values and ``dimension_columns`` the codes. Wide format:
    every column that is not a dimension column is a category of ``wide_dimension`` (years as columns,
    say). Combined wide format: ``column_codes`` maps each value column to its codes on one or more
    dimensions ("Kvinnor dödade av partner" -> {"Kön": "K", "Relation": "partner"}), and ``row_codes``
    optionally names a column whose labels carry codes the same way (the rotated table: years as
    columns, "Kvinnor" as a row); the caller has resolved the labels, so every row and column must
    together give exactly one code for each such dimension. With no layout given, a single remaining
    column is taken as the value column. Categories come in order of first appearance, with label =
    code. ``markers`` are the file's missing-value symbols; an empty field gives symbol ''.
    ``time_dimension`` names the dimension to flag ``is_time``. ``meta`` keeps the title lines, the
    notes below the table and the "Källa:" line. Raises ReaderError for a named column that is not in
    the header or a value that is neither a number nor a marker; ValueError for a call that names two
    layouts, or none when it is ambiguous, or codes that do not cover every dimension.
    """
    columns = {name: i for i, name in enumerate(f.header)}
    if column_codes is not None:
        if value_column is not None or wide_dimension is not None:
            raise ValueError("give column_codes or value_column / wide_dimension, not both")
        value_columns = [name for name in f.header if name in column_codes]
        codes_of = column_codes
    else:
        value_columns = _value_columns(f, dimension_columns, value_column, wide_dimension)
        codes_of = {name: ({} if wide_dimension is None else {wide_dimension: name}) for name in value_columns}
    stub, stub_codes = row_codes if row_codes is not None else (None, {})
    for name in [*dimension_columns, *value_columns, *([stub] if stub is not None else [])]:
        if name not in columns:
            raise ReaderError("reader.csv.missing_column", file=file, location=f"line {f.header_line}",
                              found=", ".join(f.header), expected=name)
    extra = list(dict.fromkeys(d for codes in [*stub_codes.values(), *codes_of.values()] for d in codes))
    marker_set = tuple(dict.fromkeys(markers))
    seen: list[dict[str, None]] = [{} for _ in dimension_columns]
    seen_extra: dict[str, dict[str, None]] = {name: {} for name in extra}
    dimension_indexes = [columns[name] for name in dimension_columns]
    cells: list[Cell] = []
    for line, fields in f.rows:
        key = tuple(fields[i].strip() for i in dimension_indexes)
        for position, code in enumerate(key):
            seen[position].setdefault(code, None)
        from_row = stub_codes[fields[columns[stub]].strip()] if stub is not None else {}
        for name in value_columns:
            from_column = codes_of[name]
            if set(from_row) & set(from_column) or {*from_row, *from_column} != set(extra):
                raise ValueError(f"row {line} and column {name!r} give codes {from_row} {from_column}, "
                                 f"not one for each of {extra}")
            combined = from_row | from_column
            for dim in extra:
                seen_extra[dim].setdefault(combined[dim], None)
            location = f.cell_locations(line, name) if f.cell_locations else f'line {line}, column "{name}"'
            token = fields[columns[name]]
            try:
                value, symbol = parse_number(token, marker_set)
            except ValueError:
                raise ReaderError("reader.csv.bad_number", file=file, location=location,
                                  found=_shorten(token.strip()),
                                  expected=" ".join(f'"{m}"' for m in ("", *marker_set))) from None
            codes = (*key, *(combined[dim] for dim in extra))
            cells.append(Cell(codes=codes, value=value, symbol=symbol, location=location))
    dimensions = [_dimension(name, seen[position], name == time_dimension)
                  for position, name in enumerate(dimension_columns)]
    if wide_dimension is not None and not value_columns:   # a wide table without value columns
        seen_extra.setdefault(wide_dimension, {})
        extra.append(wide_dimension)
    dimensions += [_dimension(name, seen_extra[name], name == time_dimension) for name in extra]
    notes = [line for line in f.footnotes if not _SOURCE_LINE.match(line)]
    cut = re.escape(f.delimiter) + "+" if f.delimiter else None
    titles = [" ".join((re.sub(cut, " ", line) if cut else line).split()) for line in f.title_lines
              if not _SOURCE_LINE.match(line)]
    sources = [line for line in (*f.title_lines, *f.footnotes) if _SOURCE_LINE.match(line)]
    meta: dict[str, object] = {
        "delimiter": f.delimiter,
        "had_bom": f.had_bom,
        "title_lines": list(f.title_lines),
        "title": next((title for title in titles if title), None),
        "header_line": f.header_line,
        "value_columns": value_columns,
        "notes": notes,
        "source_line": " ".join(sources) if sources else None,
    }
    return Table(format="csv", encoding=f.encoding, dimensions=tuple(dimensions), cells=cells, meta=meta)


def _value_columns(f: DelimitedFile, dimension_columns: list[str], value_column: str | None,
                   wide_dimension: str | None) -> list[str]:
    if value_column is not None and wide_dimension is not None:
        raise ValueError("give value_column (long format) or wide_dimension (wide format), not both")
    if value_column is not None:
        return [value_column]
    rest = [name for name in f.header if name not in dimension_columns]
    if wide_dimension is not None:
        return rest
    if len(rest) != 1:
        raise ValueError(f"several value columns {rest}: give value_column or wide_dimension")
    return rest


def _dimension(name: str, codes: dict[str, None], is_time: bool) -> Dimension:
    return Dimension(name=name, label=name, categories=tuple(Category(code, code) for code in codes),
                     is_time=is_time)
