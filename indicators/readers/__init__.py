"""Format readers: PX and delimited text into the shared ``Table`` model. Pure Python, no Dagster.

Every reader takes the file's bytes plus its name (for error messages) and either returns a Table or
raises ReaderError with the file, the location, what was found and what was expected.
"""

from __future__ import annotations

from indicators.readers.delimited import DelimitedFile, delimited_to_table, read_delimited
from indicators.readers.encoding import Decoded, decode_bytes
from indicators.readers.jsonstat import read_jsonstat
from indicators.readers.model import Category, Cell, Dimension, ReaderError, Table
from indicators.readers.numbers import parse_number
from indicators.readers.px import MARKERS as PX_MARKERS
from indicators.readers.px import read_px
from indicators.readers.xlsx import XlsxFile, read_xlsx, xlsx_to_table

__all__ = [
    "PX_MARKERS",
    "Category",
    "Cell",
    "Decoded",
    "DelimitedFile",
    "Dimension",
    "ReaderError",
    "Table",
    "decode_bytes",
    "delimited_to_table",
    "parse_number",
    "read_delimited",
    "read_jsonstat",
    "read_px",
    "read_xlsx",
    "XlsxFile",
    "xlsx_to_table",
]
