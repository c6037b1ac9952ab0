"""PC-Axis (PX) reader: SCB's and PxWeb's native file format, read into a ``Table``.

Why our own reader. ``pyaxis`` 0.4.3 (PyPI, the only maintained Python PX reader) was run on the five
real sample files in ``shared/realdata`` with pandas 3.1.1. It parses their shapes, but:

* it has no encoding detection: the caller must name one; with its README's ISO-8859-2 "Österåker"
  becomes "Österĺker", with UTF-8 four of the five files fail, and no single choice reads both the
  cp1252 files and the UTF-8 file that declares ``CODEPAGE="iso-8859-1"``;
* markers are mangled inconsistently: ``"."`` becomes an empty string, ``".."`` becomes NaN, and
  ``"..."`` to ``"......"`` stay as quoted strings in an all-string DATA column, so the reason for a
  missing value (DATASYMBOL1..6) is lost or mixed with numbers;
* it ignores CODES (categories are labels only), TIMEVAL, DECIMALS/SHOWDECIMALS and ELIMINATION, and
  returns continuation-split notes as lists of 256-character fragments;
* a truncated DATA part surfaces as pandas' "Length of values (5) does not match length of index
  (6)", with no file or location, and errors are logged rather than explained.

Fixing that means rewriting most of it, so this module reads PX directly, following the PX file
format specification (2013) and what PxWeb's own parser accepts, and returns the shared model.

What it handles: CRLF/LF/CR; UTF-8 vs Windows-1252 by sniffing (``encoding.decode_bytes``), whatever
CODEPAGE says; strings continued over lines (``"abc" "def"`` or across lines, joined with no space);
multilingual keywords (``TITLE[sv]=``, ``VALUES[sv]("region")=``) with ``language=``; DATASYMBOL1-6,
DATASYMBOLNIL and DATASYMBOLSUM; quoted (and bare) markers in DATA; TIMEVAL in list and range form;
CODES (code = label when absent); ELIMINATION; NOTE/NOTEX/VALUENOTE(X)/CELLNOTE(X) kept as text;
DATA separated by spaces, tabs, newlines or commas, with or without its final ``;``.
Not handled (refused with a clear error): the sparse ``KEYS`` layout of DATA.

``Table.meta`` beyond the shared keys (see ``model.Table``): ``default_language``, ``description``,
``contvariable``, ``variable_codes`` (name -> VARIABLECODE), ``default_names`` (name in the language
read -> name in the file's default language), ``time_variable``, ``time_values`` (TIMEVAL values,
ranges expanded), ``content_units`` (content label -> UNITS), ``variable_notes``, ``value_notes``,
``cell_notes``, ``contact``, ``last_updated``, ``charset``, ``axis_version``, ``table_id``,
``subject_area``, ``creation_date``. ``timeval`` is the TLIST frequency ("A1", "Q1", "M1", ...).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from indicators.readers.encoding import decode_bytes
from indicators.readers.model import Category, Cell, Dimension, ReaderError, Table

# DATA markers and the keyword that declares each one's meaning. "......." is what PxWeb writes for
# DATASYMBOLSUM; "*" is accepted too because older producers write it.
_SYMBOL_KEYWORDS = {
    "DATASYMBOL1": ".",
    "DATASYMBOL2": "..",
    "DATASYMBOL3": "...",
    "DATASYMBOL4": "....",
    "DATASYMBOL5": ".....",
    "DATASYMBOL6": "......",
    "DATASYMBOLSUM": ".......",
    "DATASYMBOLNIL": "-",
}
MARKERS: tuple[str, ...] = (*_SYMBOL_KEYWORDS.values(), "*")

_KEYWORD = re.compile(
    r"""([A-Za-z][A-Za-z0-9_-]*)[ \t]*
        (?:\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\])?[ \t]*
        (?:\(((?:"[^"]*"|[^()"])*)\))?\s*=""",
    re.VERBOSE,
)
# A line that starts like a keyword statement; inside a quoted string it means a quote was not closed.
_LOOKS_LIKE_KEYWORD = re.compile(r'\n[ \t]*[A-Z][A-Z0-9-]*(?:\[[^\]\n]*\])?(?:\([^\n]*\))?[ \t]*=')
_IS_PX = re.compile(r"^[ \t]*(?:MATRIX|DATA)[ \t]*=", re.MULTILINE | re.IGNORECASE)
_VALUE_TOKEN = re.compile(r'"([^"]*)"|(,)|([^\s,"]+)')
_DATA_TOKEN = re.compile(r'"[^"]*"|[^\s,;"]+')
_PX_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TLIST = re.compile(
    r'^\s*TLIST\s*\(\s*([A-Za-z]\d*)\s*(?:,\s*"([^"]*)"\s*-\s*"([^"]*)"\s*)?\)\s*,?(.*)$', re.DOTALL
)
_NUMBER_START = frozenset("0123456789-+.")
_PERIODS_PER_YEAR = {"A1": 1, "H1": 2, "Q1": 4, "M1": 12}


@dataclass(frozen=True)
class _Statement:
    """One ``KEYWORD[lang]("sub","keys")=value;`` with its raw value text and 1-based line."""

    keyword: str
    lang: str | None
    subkeys: tuple[str, ...]
    raw: str
    line: int

    def items(self) -> list[str]:
        return split_items(self.raw)

    def text(self) -> str:
        """The value as one string (list items joined by ", "), for scalar keywords."""
        return ", ".join(self.items())

    def where(self) -> str:
        lang = f"[{self.lang}]" if self.lang else ""
        sub = "(" + ",".join(f'"{s}"' for s in self.subkeys) + ")" if self.subkeys else ""
        return f"{self.keyword}{lang}{sub}"


class _Lines:
    """Position -> 1-based line number, for error locations."""

    def __init__(self, text: str) -> None:
        self._starts = [m.end() for m in re.finditer("\n", text)]

    def line_of(self, pos: int) -> int:
        return bisect.bisect_right(self._starts, pos) + 1


def split_items(raw: str) -> list[str]:
    """Split a PX value into its list items.

    Commas separate items; quoted strings that follow each other with only white space (including a
    line break) between them are one item continued, joined without a space because producers cut
    long strings every 256 characters, often mid-word.
    """
    items: list[str] = []
    current: str | None = None
    continuing = False
    for match in _VALUE_TOKEN.finditer(raw):
        quoted, comma, bare = match.groups()
        if comma is not None:
            if current is not None:
                items.append(current)
            current, continuing = None, False
        elif quoted is not None:
            if current is not None and continuing:
                current += quoted
            else:
                if current is not None:
                    items.append(current)
                current = quoted
            continuing = True
        else:
            if current is not None:
                items.append(current)
            current, continuing = bare, False
    if current is not None:
        items.append(current)
    return items


# --------------------------------------------------------------------------------------------------
# Statement scanning


def _parse_statements(text: str, file: str) -> list[_Statement]:
    """Split the whole file into keyword statements; DATA is one statement whose raw value is the data."""
    lines = _Lines(text)
    statements: list[_Statement] = []
    pos, end = 0, len(text)
    while True:
        while pos < end and (text[pos].isspace() or text[pos] in ";\x1a"):
            pos += 1
        if pos >= end:
            return statements
        match = _KEYWORD.match(text, pos)
        if match is None:
            line = lines.line_of(pos)
            found = text[pos:].split("\n", 1)[0].strip()
            raise ReaderError("reader.px.syntax", file=file, location=f"line {line}",
                              found=_shorten(found), expected='KEYWORD="..."; / KEYWORD("variable")="...";')
        keyword = match.group(1).upper()
        subkeys = tuple(split_items(match.group(3))) if match.group(3) is not None else ()
        value_end, terminated = _scan_value(text, match.end(), lines, file)
        statements.append(_Statement(keyword, match.group(2), subkeys, text[match.end():value_end],
                                     lines.line_of(pos)))
        pos = value_end + 1 if terminated else value_end


def _scan_value(text: str, start: int, lines: _Lines, file: str) -> tuple[int, bool]:
    """Index of the ``;`` that ends a value (outside quotes) and whether one was found before the end.

    Raises ``reader.px.unterminated_string`` for a quote never closed, or closed only after a line
    that starts a new keyword: PX strings do not span keyword statements, so that quote is the error.
    """
    pos = start
    semi = text.find(";", pos)
    while True:
        if semi != -1 and semi < pos:
            semi = text.find(";", pos)
        quote = text.find('"', pos)
        if quote == -1 or (semi != -1 and semi < quote):
            return (semi, True) if semi != -1 else (len(text), False)
        close = text.find('"', quote + 1)
        if close == -1 or (
            "\n" in text[quote:close] and _LOOKS_LIKE_KEYWORD.search(text, quote, close) is not None
        ):
            line = lines.line_of(quote)
            found = text[quote:].split("\n", 1)[0]
            raise ReaderError("reader.px.unterminated_string", file=file, location=f"line {line}",
                              found=_shorten(found), expected='"')
        pos = close + 1


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------------
# Keyword lookup with languages


class _Keywords:
    """Statements indexed by (keyword, language, subkeys), with the language fallback PX prescribes.

    A keyword in the language read (``TITLE[sv]``) wins; without it the default-language keyword
    (``TITLE``, or ``TITLE[<LANGUAGE>]``) applies. Variable keywords are looked up by the variable's
    name in each language, because PX translates variable names too.
    """

    def __init__(self, statements: list[_Statement]) -> None:
        self.all = statements
        self.index: dict[tuple[str, str | None, tuple[str, ...]], _Statement] = {}
        for st in statements:
            self.index.setdefault((st.keyword, st.lang, st.subkeys), st)
        default = self.index.get(("LANGUAGE", None, ()))
        self.default_language = default.text() if default else None
        self.language: str | None = None  # the language read when it is not the default

    def languages_present(self) -> list[str]:
        declared = self.index.get(("LANGUAGES", None, ()))
        found = list(declared.items()) if declared else []
        if self.default_language and self.default_language not in found:
            found.insert(0, self.default_language)
        for st in self.all:
            if st.lang and st.lang not in found:
                found.append(st.lang)
        return found

    def get(self, keyword: str, names: tuple[str, ...] = (), default_names: tuple[str, ...] | None = None,
            ) -> _Statement | None:
        """The statement for ``keyword`` in the language read, else in the default language."""
        if default_names is None:
            default_names = names
        if self.language is not None:
            found = self.index.get((keyword, self.language, names))
            if found is not None:
                return found
        return self.index.get((keyword, None, default_names)) or (
            self.index.get((keyword, self.default_language, default_names)) if self.default_language else None
        )

    def text(self, keyword: str) -> str | None:
        found = self.get(keyword)
        return found.text() if found is not None else None

    def integer(self, keyword: str) -> int | None:
        value = self.text(keyword)
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    def of_language(self, keywords: Iterable[str]) -> list[_Statement]:
        """All statements of ``keywords`` in the language read, or in the default language if it has none."""
        wanted = set(keywords)
        if self.language is not None:
            chosen = [st for st in self.all if st.keyword in wanted and st.lang == self.language]
            if chosen:
                return chosen
        return [st for st in self.all
                if st.keyword in wanted and st.lang in (None, self.default_language)]


# --------------------------------------------------------------------------------------------------
# Public entry point


def read_px(data: bytes, *, file: str, language: str | None = None) -> Table:
    """Read a PX file into a Table, in ``language`` (default: the file's LANGUAGE).

    Raises ReaderError for an empty, undecodable or non-PX file, a syntax error or unterminated string,
    a STUB/HEADING variable without VALUES, CODES that do not match VALUES, a missing DATA keyword, a
    DATA token that is neither a number nor a marker, or a cell count that differs from the product of
    the dimension sizes (a truncated file).
    """
    decoded = decode_bytes(data, file=file)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    if _IS_PX.search(text) is None:
        first = next((line.strip() for line in text.split("\n") if line.strip()), "")
        raise ReaderError("reader.px.not_px", file=file, location="line 1", found=_shorten(first),
                          expected="MATRIX=; DATA=")
    keywords = _Keywords(_parse_statements(text, file))
    _select_language(keywords, language, file)
    data_statement = keywords.index.get(("DATA", None, ()))
    if data_statement is None:
        last = keywords.all[-1] if keywords.all else None
        last_line = text.rstrip().count("\n") + 1
        raise ReaderError("reader.px.missing_data", file=file, location=f"line {last_line}",
                          found=last.where() if last else "-", expected="DATA=")
    keys = next((st for st in keywords.all if st.keyword == "KEYS"), None)
    if keys is not None:
        raise ReaderError("reader.px.keys_unsupported", file=file, location=f"line {keys.line}",
                          found=keys.where(), expected="DATA=")
    stub, heading, default_names = _variables(keywords, file)
    placements = ["STUB"] * len(stub) + ["HEADING"] * len(heading)
    dimensions = tuple(_dimension(keywords, name, default_names[name], placement, file)
                       for name, placement in zip(stub + heading, placements, strict=True))
    symbols = _symbols(keywords)
    cells = _cells(data_statement, dimensions, len(stub), file, symbols)
    meta = _meta(keywords, dimensions, default_names, symbols)
    return Table(format="px", encoding=decoded.encoding, dimensions=dimensions, cells=cells, meta=meta)


def _select_language(keywords: _Keywords, language: str | None, file: str) -> None:
    if language is None or language == keywords.default_language:
        return
    available = keywords.languages_present()
    if language not in available:
        raise ReaderError("reader.px.unknown_language", file=file, location="LANGUAGES",
                          found=language, expected=", ".join(available) or "-")
    keywords.language = language


def _variables(keywords: _Keywords, file: str) -> tuple[list[str], list[str], dict[str, str]]:
    """STUB and HEADING names in the language read, and each name's default-language twin.

    The default-language lists fix the DATA order; a translated list must name the same number of
    variables, position by position, or the mapping would be a guess.
    """
    names: dict[str, list[str]] = {}
    default_names: dict[str, str] = {}
    for keyword in ("STUB", "HEADING"):
        default = keywords.index.get((keyword, None, ())) or (
            keywords.index.get((keyword, keywords.default_language, ())))
        default_list = default.items() if default else []
        chosen = keywords.get(keyword)
        chosen_list = chosen.items() if chosen else []
        if len(chosen_list) != len(default_list):
            raise ReaderError("reader.px.language_mismatch", file=file,
                              location=chosen.where() if chosen else keyword,
                              found=str(len(chosen_list)), expected=str(len(default_list)))
        names[keyword] = chosen_list
        default_names.update(zip(chosen_list, default_list, strict=True))
    if not names["STUB"] and not names["HEADING"]:
        raise ReaderError("reader.px.no_variables", file=file, location="STUB / HEADING", found="0",
                          expected='STUB="..."; HEADING="...";')
    return names["STUB"], names["HEADING"], default_names


def _dimension(keywords: _Keywords, name: str, default_name: str, placement: str, file: str) -> Dimension:
    values = keywords.get("VALUES", (name,), (default_name,))
    if values is None:
        raise ReaderError("reader.px.missing_values", file=file, location=f'VALUES("{name}")',
                          found=f'{placement}="{name}"', expected=f'VALUES("{name}")="...";')
    labels = values.items()
    codes_statement = keywords.get("CODES", (name,), (default_name,))
    codes = codes_statement.items() if codes_statement else labels
    if len(codes) != len(labels):
        raise ReaderError("reader.px.codes_mismatch", file=file, location=codes_statement.where(),
                          found=str(len(codes)), expected=str(len(labels)))
    timeval = keywords.get("TIMEVAL", (name,), (default_name,))
    variable_type = keywords.get("VARIABLE-TYPE", (name,), (default_name,))
    is_time = timeval is not None or (variable_type is not None and variable_type.text().upper() == "T")
    categories = tuple(Category(code=code, label=label) for code, label in zip(codes, labels, strict=True))
    return Dimension(name=name, label=name, categories=categories, is_time=is_time)


# --------------------------------------------------------------------------------------------------
# DATA


def _cells(data: _Statement, dimensions: tuple[Dimension, ...], stub_count: int, file: str,
           symbols: dict[str, str]) -> list[Cell]:
    """One Cell per DATA token: rows are the STUB combinations, columns the HEADING combinations."""
    tokens = _DATA_TOKEN.findall(data.raw)
    sizes = [len(dim.categories) for dim in dimensions]
    expected = 1
    for size in sizes:
        expected *= size
    if len(tokens) != expected:
        raise ReaderError("reader.px.cell_count", file=file, location=f"DATA (line {data.line})",
                          found=str(len(tokens)),
                          expected=f"{expected} = " + " × ".join(str(s) for s in sizes))
    heading = list(itertools.product(*(dim.codes() for dim in dimensions[stub_count:])))
    column_suffixes = [f",c{c}]" for c in range(1, len(heading) + 1)]
    cells: list[Cell] = []
    append = cells.append
    index = 0
    for row, stub_codes in enumerate(itertools.product(*(dim.codes() for dim in dimensions[:stub_count])), 1):
        prefix = f"DATA[r{row}"
        for heading_codes, suffix in zip(heading, column_suffixes, strict=True):
            location = prefix + suffix
            value, symbol = _data_value(tokens[index], location, file)
            append(Cell(stub_codes + heading_codes, value, symbol, location))
            index += 1
    if "*" not in symbols and any(c.symbol == "*" for c in cells):
        symbols["*"] = symbols.get(".......", "*")
    return cells


def _data_value(token: str, location: str, file: str) -> tuple[float | None, str | None]:
    """A DATA token as (value, None) or (None, marker). PX DATA always uses a decimal point."""
    if token[0] in _NUMBER_START:
        try:
            value = float(token)
        except ValueError:
            pass
        else:
            if math.isfinite(value) and "_" not in token:
                return value, None
    inner = token[1:-1].strip() if token.startswith('"') else token
    if inner in MARKERS:
        return None, inner
    if _PX_NUMBER.fullmatch(inner):
        return float(inner), None
    if inner == "" and token.startswith('"'):
        return None, ""
    raise ReaderError("reader.px.bad_token", file=file, location=location, found=_shorten(token),
                      expected=" ".join(f'"{m}"' for m in MARKERS))


# --------------------------------------------------------------------------------------------------
# Metadata


def _symbols(keywords: _Keywords) -> dict[str, str]:
    """Marker -> meaning: the file's DATASYMBOL* texts, else the PX defaults (the marker itself)."""
    symbols: dict[str, str] = {}
    for keyword, marker in _SYMBOL_KEYWORDS.items():
        declared = keywords.text(keyword)
        symbols[marker] = declared if declared is not None else marker
    return symbols


def _note(text: str) -> str:
    """PX uses '#' as a line break inside texts."""
    return text.replace("#", "\n")


def _meta(keywords: _Keywords, dimensions: tuple[Dimension, ...], default_names: dict[str, str],
          symbols: dict[str, str]) -> dict[str, object]:
    to_selected = {default: name for name, default in default_names.items()}
    time_variable, frequency, time_values = _time(keywords, dimensions, default_names)
    meta: dict[str, object] = {
        "matrix": keywords.text("MATRIX"),
        "title": keywords.text("TITLE") or keywords.text("DESCRIPTION"),
        "description": keywords.text("DESCRIPTION"),
        "contents": keywords.text("CONTENTS"),
        "units": keywords.text("UNITS"),
        "decimals": keywords.integer("DECIMALS"),
        "showdecimals": keywords.integer("SHOWDECIMALS"),
        "language": keywords.language or keywords.default_language,
        "default_language": keywords.default_language,
        "languages": keywords.languages_present(),
        "source": keywords.text("SOURCE"),
        "notes": [_note(st.text()) for st in keywords.of_language(("NOTEX", "NOTE")) if not st.subkeys],
        "symbols": symbols,
        "codepage_declared": keywords.text("CODEPAGE"),
        "charset": keywords.text("CHARSET"),
        "axis_version": keywords.text("AXIS-VERSION"),
        "timeval": frequency,
        "time_variable": time_variable,
        "time_values": time_values,
        "elimination": _per_variable(keywords, "ELIMINATION", dimensions, default_names),
        "variable_codes": _per_variable(keywords, "VARIABLECODE", dimensions, default_names),
        "default_names": dict(default_names),
        "contvariable": _contvariable(keywords, to_selected),
        "content_units": _content_units(keywords, dimensions, default_names, to_selected),
        "variable_notes": _variable_notes(keywords, to_selected),
        "value_notes": _value_notes(keywords, to_selected),
        "cell_notes": [(st.subkeys, _note(st.text()))
                       for st in keywords.of_language(("CELLNOTEX", "CELLNOTE"))],
        "contact": _note(_table_or_content(keywords, "CONTACT") or "") or None,
        "last_updated": _table_or_content(keywords, "LAST-UPDATED"),
        "table_id": keywords.text("TABLEID"),
        "subject_area": keywords.text("SUBJECT-AREA"),
        "creation_date": keywords.text("CREATION-DATE"),
    }
    return meta


def _table_or_content(keywords: _Keywords, keyword: str) -> str | None:
    """The table-level value, else the first per-content one (``CONTACT("Population")=``)."""
    found = keywords.text(keyword)
    if found is not None:
        return found
    per_content = keywords.of_language((keyword,))
    return per_content[0].text() if per_content else None


def _per_variable(keywords: _Keywords, keyword: str, dimensions: tuple[Dimension, ...],
                  default_names: dict[str, str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for dim in dimensions:
        found = keywords.get(keyword, (dim.name,), (default_names[dim.name],))
        if found is not None:
            result[dim.name] = found.text()
    return result


def _time(keywords: _Keywords, dimensions: tuple[Dimension, ...], default_names: dict[str, str],
          ) -> tuple[str | None, str | None, list[str] | None]:
    """The time variable, its TLIST frequency and its TIMEVAL values (a range form expanded)."""
    for dim in dimensions:
        found = keywords.get("TIMEVAL", (dim.name,), (default_names[dim.name],))
        if found is None:
            continue
        match = _TLIST.match(found.raw)
        if match is None:
            return dim.name, None, found.items()
        frequency, first, last, rest = match.groups()
        frequency = frequency.upper()
        if first is not None:
            return dim.name, frequency, _expand_range(frequency, first, last)
        return dim.name, frequency, split_items(rest)
    for dim in dimensions:
        if dim.is_time:
            return dim.name, None, None
    return None, None, None


def _expand_range(frequency: str, first: str, last: str) -> list[str] | None:
    """``TLIST(A1, "1994"-"1996")`` -> ["1994", "1995", "1996"]; None when it cannot be expanded."""
    periods = _PERIODS_PER_YEAR.get(frequency)
    width = len(str(periods)) if periods and periods > 1 else 0
    if periods is None or not (first.isdigit() and last.isdigit()) or len(first) != 4 + width:
        return None
    year, period = int(first[:4]), int(first[4:] or 1)
    end = (int(last[:4]), int(last[4:] or 1))
    values: list[str] = []
    while (year, period) <= end and len(values) < 100_000:
        values.append(f"{year}{period:0{width}d}" if width else str(year))
        period += 1
        if period > periods:
            year, period = year + 1, 1
    return values


def _contvariable(keywords: _Keywords, to_selected: dict[str, str]) -> str | None:
    found = keywords.get("CONTVARIABLE")
    if found is None:
        return None
    name = found.text()
    return name if found.lang == keywords.language else to_selected.get(name, name)


def _content_units(keywords: _Keywords, dimensions: tuple[Dimension, ...], default_names: dict[str, str],
                   to_selected: dict[str, str]) -> dict[str, str]:
    """UNITS("<content>") per category label of the CONTVARIABLE dimension, when the file has them."""
    name = _contvariable(keywords, to_selected)
    dim = next((d for d in dimensions if d.name == name), None)
    if dim is None:
        return {}
    default_values = keywords.index.get(("VALUES", None, (default_names[dim.name],)))
    default_labels = default_values.items() if default_values else [c.label for c in dim.categories]
    result: dict[str, str] = {}
    for category, default_label in zip(dim.categories, default_labels, strict=False):
        found = keywords.get("UNITS", (category.label,), (default_label,))
        if found is not None:
            result[category.label] = found.text()
    return result


def _variable_notes(keywords: _Keywords, to_selected: dict[str, str]) -> dict[str, list[str]]:
    notes: dict[str, list[str]] = defaultdict(list)
    for st in keywords.of_language(("NOTEX", "NOTE")):
        if len(st.subkeys) == 1:
            name = _selected_name(st, keywords, to_selected)
            notes[name].append(_note(st.text()))
    return dict(notes)


def _value_notes(keywords: _Keywords, to_selected: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    notes: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for st in keywords.of_language(("VALUENOTEX", "VALUENOTE")):
        if len(st.subkeys) == 2:
            name = _selected_name(st, keywords, to_selected)
            notes[name][st.subkeys[1]].append(_note(st.text()))
    return {name: dict(values) for name, values in notes.items()}


def _selected_name(st: _Statement, keywords: _Keywords, to_selected: dict[str, str]) -> str:
    """A statement's variable name in the language read (default-language statements are mapped)."""
    name = st.subkeys[0]
    if keywords.language is not None and st.lang != keywords.language:
        return to_selected.get(name, name)
    return name
