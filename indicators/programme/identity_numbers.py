"""Swedish personal identity numbers and coordination numbers in free text: find them, never echo them.

Agencies write narratives, evidence references and collaboration obstacles into their reporting
templates (``indicators.programme.submission``). A personal identity number (*personnummer*) or a
coordination number (*samordningsnummer*) must never reach the warehouse, a log or a message, so a
submission that holds one anywhere is rejected, and the message shows the number only masked
(``19811228-****``).

What counts as a number (Skatteverket's rules, SKV 704):

- **10 digits** ``YYMMDD-NNNC``: birth date, a three-digit birth number and a check digit; the
  separator is ``-`` (``+`` from the year the person turns 100) and is often left out
  (``YYMMDDNNNC``). The date must exist in some century (18, 19 or 20), so 29 February is allowed
  for ``000229``.
- **12 digits** ``YYYYMMDD-NNNC`` or ``YYYYMMDDNNNC`` (the form most IT systems store); the year must
  lie between 1850 and 2099 and the date must exist.
- **Coordination numbers**: the same, with 60 added to the day (``811288-…`` for 28 December 1981).
- **Check digit**: Luhn (modulus 10, weights 2 1 2 1 …) over the ten digits ``YYMMDDNNNC``; a
  12-digit number is checked over its last ten.

What does not count, so that ordinary numbers stay untouched:

- digit runs of other lengths, and a 10- or 12-digit match that is part of a longer digit run (the
  characters right before and after must not be digits);
- case numbers and years ("Ä 2024-1234", "dnr 2023/04567", "2024-01-15"), amounts ("1 250 000 kr"),
  phone numbers as usually written ("08-123 456 78", "070-123 45 67");
- organisation numbers ("202100-6776"): their third digit is at least 2, so the "month" is 20 or more
  and no date exists;
- 10-digit strings whose first six digits are not a date, or whose check digit is wrong (nine in ten
  random strings that do look like a date).

A bare 10-digit phone number that happens to look like a date and to end in a correct check digit
(about one in ten of those that look like a date) is flagged; the reporter then writes it with its
usual spaces. Rejecting a harmless
number is a small cost, storing a real identity number is not one we may take.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
MASK = "****"
COORDINATION_OFFSET = 60  # Skatteverket adds 60 to the day of birth

# Separators between the date and the birth number: hyphen, plus (aged 100 or more), and the dashes
# and non-breaking hyphen that word processors put in place of a typed hyphen.
_SEPARATORS = "-+\u2010\u2011\u2012\u2013\u2014\u2212"
_PATTERN = re.compile(
    rf"(?<!\d)(?P<century>\d{{2}})?(?P<date>\d{{6}})(?P<sep>[{_SEPARATORS}]?)(?P<tail>\d{{4}})(?!\d)"
)


@dataclass(frozen=True)
class Match:
    """One identity number in a text: where it is (``text[start:end]``), how it may be shown, which kind.

    ``masked`` keeps the date part as written and hides the birth number and check digit:
    ``19811228-****``, ``811228-****``, ``811288-****`` (a coordination number). ``kind`` is
    ``personnummer`` or ``samordningsnummer``.
    """

    start: int
    end: int
    masked: str
    kind: str


def luhn_ok(digits: str) -> bool:
    """Whether ``digits`` end in a correct Luhn check digit (weights 2, 1, 2, … from the left of ten)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _kind(century: str | None, yymmdd: str) -> str | None:
    """``personnummer``, ``samordningsnummer`` or None when the digits are no birth date at all."""
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    if century is not None:
        years = [int(century) * 100 + yy]
        if not 1850 <= years[0] <= 2099:
            return None
    else:
        years = [1800 + yy, 1900 + yy, 2000 + yy]
    for kind, real_day in ((PERSONNUMMER, day), (SAMORDNINGSNUMMER, day - COORDINATION_OFFSET)):
        if real_day >= 1 and any(_valid_date(year, month, real_day) for year in years):
            return kind
    return None


def find_identity_numbers(text: str) -> list[Match]:
    """Every personnummer and samordningsnummer in ``text``, in order (date valid and check digit right)."""
    if not text:
        return []
    found: list[Match] = []
    for m in _PATTERN.finditer(text):
        century, yymmdd, sep, tail = m["century"], m["date"], m["sep"], m["tail"]
        if not luhn_ok(yymmdd + tail):
            continue
        kind = _kind(century, yymmdd)
        if kind is None:
            continue
        shown_sep = "+" if sep == "+" else "-"
        found.append(Match(m.start(), m.end(), f"{century or ''}{yymmdd}{shown_sep}{MASK}", kind))
    return found


def contains_identity_number(text: str) -> bool:
    """Whether ``text`` holds at least one identity number."""
    return bool(find_identity_numbers(text))


def mask_identity_numbers(text: str) -> str:
    """``text`` with every identity number replaced by its masked form (safe to log or show)."""
    matches = find_identity_numbers(text)
    if not matches:
        return text
    parts: list[str] = []
    position = 0
    for match in matches:
        parts.append(text[position:match.start])
        parts.append(match.masked)
        position = match.end
    parts.append(text[position:])
    return "".join(parts)
