"""Parse one number-or-marker token as Swedish statistics publish it.

Swedish tables (CSV/XLSX exports, Brå, Kolada, Socialstyrelsen) write "15,2" with a decimal comma and
"37 908" with a space, often a non-breaking one (U+00A0) or a narrow one (U+202F), as thousands
separator. Machine exports write "2974.0" with a decimal point. Both must become the same float, and
nothing else may: a marker such as ".." or "x" is a reason for a missing value and is returned as such,
never as 0, and anything unrecognised is an error rather than a guess.

"1.234" is read as 1.234, never as 1234: Swedish sources never group thousands with a point, and a
decimal point is common in machine exports, so guessing thousands would silently scale values by 1000.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Characters that may surround a token or separate thousands: space, no-break space, narrow no-break
# space and thin space. Tabs only ever surround.
_SPACES = " \u00a0\u202f\u2009"
_STRIP = _SPACES + "\t\r\n"
_GROUP = f"[{_SPACES}]"

# sign, then either digits grouped by single spaces in threes ("1 205") or plain digits, then an optional
# decimal part with a comma or a point. A bare fraction (",5") is allowed; an exponent only on ungrouped
# numbers with a decimal point or none (machine output such as "1e-05").
_NUMBER = re.compile(
    rf"""
    (?P<sign>[-+\u2212]?)
    (?:
        (?P<grouped>\d{{1,3}}(?:{_GROUP}\d{{3}})+)(?:(?P<gsep>[.,])(?P<gfrac>\d+))?
      | (?P<plain>\d+)(?:(?P<psep>[.,])(?P<pfrac>\d*))?(?P<exp>[eE][-+]?\d+)?
      | (?P<sep>[.,])(?P<frac>\d+)
    )
    """,
    re.VERBOSE,
)


def parse_number(token: str, markers: Iterable[str] = ()) -> tuple[float | None, str | None]:
    """Return ``(value, None)`` for a number, ``(None, marker)`` for a marker, ``(None, '')`` for empty.

    ``markers`` are matched exactly after stripping surrounding spaces (so "x" is a marker and "X" is
    not, unless the caller lists it). Raises ``ValueError`` for any other token; callers turn that into
    a ReaderError that names the file and the cell, because only they know where the token came from.
    """
    text = token.strip(_STRIP)
    if text in set(markers):
        return None, text
    if text == "":
        return None, ""
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise ValueError(f"not a number: {token!r}")
    return _to_float(match), None


def _to_float(match: re.Match[str]) -> float:
    """Assemble a Python float literal from the regex groups (the sign, digits, fraction, exponent)."""
    groups = match.groupdict()
    sign = "-" if groups["sign"] in ("-", "\u2212") else ""
    if groups["grouped"] is not None:
        digits = re.sub(_GROUP, "", groups["grouped"])
        fraction = groups["gfrac"] or ""
        exponent = ""
    elif groups["plain"] is not None:
        digits = groups["plain"]
        fraction = groups["pfrac"] or ""
        exponent = groups["exp"] or ""
        if groups["psep"] is not None and fraction == "":
            raise ValueError(f"a decimal separator without decimals: {match.string!r}")
        if exponent and groups["psep"] == ",":
            raise ValueError(f"an exponent after a decimal comma: {match.string!r}")
    else:
        digits = "0"
        fraction = groups["frac"]
        exponent = ""
    literal = f"{sign}{digits}.{fraction}{exponent}" if fraction else f"{sign}{digits}{exponent}"
    return float(literal)
