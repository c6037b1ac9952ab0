"""Numbers as readers expect them: Swedish "1 744" and "4,7 %", English "1,744" and "4.7%".

Rounding is half away from zero on the decimal value, as official statistics publish it (Python's
round() and Babel's default are half-even, which would print 0,25 as 0,2). The same rounding is
used for the CSV downloads and the pages, so the two can never disagree.

Shared by the display code in ``reports/`` and by the domain logic: the assessment compares values at
the precision they are published with (``rounded``), and the revisions log writes them as published.
It lives in ``indicators/`` because ``reports/`` depends on ``indicators/`` and never the reverse.
``format_number`` is memoised: a site render formats the same value for the table, the chart view's
table and the hover label, and Babel's formatter is the slowest step left in it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import format_decimal

LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def iso_date(value: object) -> str:
    """An ISO date (YYYY-MM-DD) from whatever the database returned, '' when missing."""
    import pandas as pd

    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def rounded(value: float, decimals: int) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def plain_number(value: float | None, decimals: int) -> str:
    """The machine-readable form for CSV: decimal point, no thousands separator, '' for missing."""
    if value is None or value != value:
        return ""
    return f"{rounded(value, decimals):f}"


@lru_cache(maxsize=65536)
def format_number(value: float, decimals: int, lang: str) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(rounded(value, decimals), format=pattern, locale=LOCALES[lang],
                          decimal_quantization=False)


def format_value(value: float, unit: str, decimals: int, lang: str) -> str:
    """A value with its unit sign where the unit has one (per cent); other units go in headers."""
    text = format_number(value, decimals, lang)
    if unit == "percent":
        return f"{text}\u00a0%" if lang == "sv" else f"{text}%"
    return text
