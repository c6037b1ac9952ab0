"""The format-neutral table every reader returns, and the error every reader raises.

PX, CSV and (elsewhere) JSON-stat files all describe the same thing: a cube of dimensions with coded
categories and one value per combination, some of which are missing for a stated reason. Readers turn
each format into this one model so that the rest of the pipeline never needs to know where a number
came from, except for ``Cell.location``, which lets a person open the original file and find it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indicators.i18n import t


@dataclass(frozen=True)
class Category:
    """One value of a dimension: the stable ``code`` and the human ``label`` (equal when unlabelled)."""

    code: str
    label: str


@dataclass(frozen=True)
class Dimension:
    """One axis of the table, with its categories in the order the file gives them.

    ``name`` is the variable name as the file writes it (PX variable name in the language read, CSV
    column name); ``label`` is the human label, the same as ``name`` when the format has no other.
    """

    name: str
    label: str
    categories: tuple[Category, ...]
    is_time: bool = False

    def codes(self) -> tuple[str, ...]:
        """The category codes in file order."""
        return tuple(c.code for c in self.categories)


@dataclass(frozen=True)
class Cell:
    """One value of the cube.

    ``codes`` holds one category code per dimension, in ``Table.dimensions`` order. ``value`` is None
    when the file gave a marker or nothing; ``symbol`` then holds the raw marker text ('..', '.', 'x',
    '-', '–', '' for an empty field) so that the reason is kept, never turned into 0. ``location``
    tells a person where the token is: PX ``DATA[r3,c5]`` (1-based row in STUB order, column in HEADING
    order) or CSV ``line 14, column "Antal"``; it is language-neutral on purpose.
    """

    codes: tuple[str, ...]
    value: float | None
    symbol: str | None
    location: str


@dataclass
class Table:
    """A whole file as a cube: its dimensions, every cell, and the format's metadata.

    ``meta`` keys for PX: title, contents, units, decimals, showdecimals, language, languages, source,
    notes, symbols, codepage_declared, timeval, elimination, matrix, plus the extras documented in
    ``indicators.readers.px``. For CSV and XLSX: delimiter, had_bom, title_lines (the lines above the
    header), title (the first of them without delimiters), header_line, value_columns, notes (the
    footnotes below the data, without the source line) and source_line (the "Källa:" / "Source:"
    line, None if the file has none); XLSX adds sheet, sheets, footnotes and percent_columns. Notes
    are metadata for people: nothing in them is data.
    """

    format: str
    encoding: str
    dimensions: tuple[Dimension, ...]
    cells: list[Cell]
    meta: dict[str, object] = field(default_factory=dict)

    def dimension(self, name: str) -> Dimension:
        """The dimension called ``name`` (KeyError if none), for callers that know the layout."""
        for dim in self.dimensions:
            if dim.name == name:
                return dim
        raise KeyError(name)

    def expected_cell_count(self) -> int:
        """The product of all dimension sizes: what a complete cube holds."""
        count = 1
        for dim in self.dimensions:
            count *= len(dim.categories)
        return count


_LOCATION_WORDS_SV = (
    (re.compile(r"\bline (\d+)"), r"rad \1"),
    (re.compile(r"\bcolumn\b"), "kolumn"),
    (re.compile(r"\bsheet\b"), "blad"),
    (re.compile(r"\(dimensions\)"), "(variabler)"),
    (re.compile(r"\bpages (\d+)"), r"sidorna \1"),          # documents: "pages 1–3", "page 3, paragraph 2"
    (re.compile(r"\bpage (\d+)"), r"sida \1"),
    (re.compile(r"\bparagraph (\d+)"), r"stycke \1"),
)


def localise_location(location: str, lang: str) -> str:
    """Locations are stored language-neutral ('line 21, column "Antal"'); Swedish messages say 'rad'."""
    if lang != "sv":
        return location
    for pattern, replacement in _LOCATION_WORDS_SV:
        location = pattern.sub(replacement, location)
    return location


class ReaderError(Exception):
    """A file that cannot be read; carries everything a user needs to find and fix it.

    ``key`` is a message key in ``indicators/messages/*.yaml``; the message names the file, the
    location, what was found and what was expected, in Swedish or English (``message(lang)``). The
    fields are kept separately so that a report can show them in a table, and the error survives
    pickling because Dagster may move it between processes.
    """

    def __init__(self, key: str, *, file: str, location: str, found: str, expected: str) -> None:
        super().__init__(key, file, location, found, expected)
        self.key = key
        self.file = file
        self.location = location
        self.found = found
        self.expected = expected

    def message(self, lang: str = "sv") -> str:
        """The full sentence in ``lang`` ('sv' or 'en'), from the message catalogue."""
        return t(self.key, lang, file=self.file, location=localise_location(self.location, lang),
                 found=self.found, expected=self.expected)

    def __str__(self) -> str:
        # str() must never fail (it is called while logging another failure), so fall back to the raw
        # fields when the key has no catalogue text.
        try:
            return self.message("sv")
        except (KeyError, ValueError, IndexError):
            return (f"{self.key}: {self.file}, {self.location}: found {self.found!r}, "
                    f"expected {self.expected!r}")

    def __reduce__(self):
        return (_rebuild_reader_error, (type(self), self.key, self.file, self.location, self.found,
                                        self.expected))


def _rebuild_reader_error(cls: type[ReaderError], key: str, file: str, location: str, found: str,
                          expected: str) -> ReaderError:
    """Unpickle a ReaderError; its keyword-only constructor defeats the default Exception pickling."""
    return cls(key, file=file, location=location, found=found, expected=expected)
