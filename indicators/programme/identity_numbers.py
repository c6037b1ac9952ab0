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
- the separator may also be one space (``811218 9876``, ``19121212 1212``), as people write it.
- **12 digits** ``YYYYMMDD-NNNC`` or ``YYYYMMDDNNNC`` (the form most IT systems store); the year must
  lie between 1850 and 2099 and the date must exist.
- **Coordination numbers**: the same, with 60 added to the day (``811288-…`` for 28 December 1981).
- **Check digit**: Luhn (modulus 10, weights 2 1 2 1 …) over the ten digits ``YYMMDDNNNC``; a
  12-digit number is checked over its last ten.

What does not count, so that ordinary numbers stay untouched:

- digit runs of other lengths, and a 10- or 12-digit match that is part of a longer digit run (the
  characters right before and after must not be digits), or that is the fraction of a decimal number
  ("0,8112189876");
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

import html
import io
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from indicators.readers.model import ReaderError

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
MASK = "****"
COORDINATION_OFFSET = 60  # Skatteverket adds 60 to the day of birth

# Separators between the date and the birth number: hyphen, plus (aged 100 or more), the dashes and
# non-breaking hyphen that word processors put in place of a typed hyphen, and one space (also no-break
# or narrow no-break), since people write "19121212 1212" too.
_SEPARATORS = "-+\u2010\u2011\u2012\u2013\u2014\u2212 \u00a0\u202f"
# Not preceded by a digit, nor by a digit and a decimal point or comma: the ten digits after "0," in
# "0,8112189876" are a fraction (a computed share stored in a workbook), not a number of a person.
_PATTERN = re.compile(
    rf"(?<!\d)(?<!\d[.,])(?P<century>\d{{2}})?(?P<date>\d{{6}})(?P<sep>[{_SEPARATORS}]?)(?P<tail>\d{{4}})(?!\d)"
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


# Invisible characters that can be typed or pasted inside a number ("191212\u200b121212", a soft
# hyphen): they are looked through, so that a number split by them is still found (and masked whole).
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def find_identity_numbers(text: str) -> list[Match]:
    """Every personnummer and samordningsnummer in ``text``, in order (date valid and check digit right).

    Invisible format characters (zero-width space, soft hyphen, bidi marks) inside a number do not
    hide it; ``start`` and ``end`` are positions in ``text`` as given.
    """
    if not text:
        return []
    if _INVISIBLE.search(text):
        positions = [i for i, ch in enumerate(text) if not _INVISIBLE.match(ch)]
        visible = "".join(text[i] for i in positions)
        return [Match(positions[m.start], positions[m.end - 1] + 1, m.masked, m.kind)
                for m in find_identity_numbers(visible)]
    found: list[Match] = []
    for m in _PATTERN.finditer(text):
        century, yymmdd, sep, tail = m["century"], m["date"], m["sep"], m["tail"]
        if not luhn_ok(yymmdd + tail):
            continue
        kind = _kind(century, yymmdd)
        if kind is None:
            continue
        shown_sep = "+" if sep == "+" else "-"   # a space or a dash is shown as the usual hyphen
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



# ------------------------------------------------------------------------------ safe to show or store
# Characters that must never reach a message, a log, a ledger or a file name: control characters
# (an ESC sequence recolours a terminal, a newline forges a log line or a ledger entry), format
# characters such as the bidi overrides U+202E and U+2066-2069 (a name "rapport\u202Excod.exe"
# shows as "rapportexe.docx") and zero-width characters, and line and paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})
FILE_NAME_LOCATION = "filnamn/file name"


def unsafe_characters(text: str) -> list[str]:
    """The control, format (bidi, zero-width) and separator characters in ``text``, as ``U+202E`` codes."""
    return [f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) in _UNSAFE_CATEGORIES]


def safe_text(text: object, replacement: str = "?") -> str:
    """``text`` fit to show: identity numbers masked, every unsafe character replaced by ``replacement``.

    The one place every file name and every piece of file text that goes into a message, a report
    or a quarantine file name passes through (``indicators.intake``, the submission reader, the CLI).
    """
    masked = mask_identity_numbers(str(text))       # first: a number split by a zero-width space is found
    return "".join(replacement if unicodedata.category(ch) in _UNSAFE_CATEGORIES else ch for ch in masked)


_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*]')   # what Windows (and an SMB share) refuses in a name


def safe_file_name(name: str) -> str:
    """A file name that may be written to disk and shown: ``safe_text`` with ``_`` for unsafe characters.

    The mask's asterisks become ``X`` (``rapport_19121212-XXXX.xlsx``), and the characters Windows
    refuses become ``_``, so that the quarantine can live on a shared drive.
    """
    masked = safe_text(name, "_").replace(MASK, "X" * len(MASK))
    return _NOT_IN_FILE_NAMES.sub("_", masked) or "_"


def identity_error(match: Match, *, file: str, location: str) -> ReaderError:
    """The refusal for an identity number: ``programme.identity_number`` or ``.coordination_number``.

    Every field passes ``safe_text``, so the number itself is in no field, message or repr.
    """
    key = "programme.identity_number" if match.kind == PERSONNUMMER else "programme.coordination_number"
    return ReaderError(key, file=safe_text(file), location=safe_text(location), found=match.masked, expected="0")


# ------------------------------------------------------------------------------------- whole files
# Where a number can hide in a workbook beyond the cells openpyxl shows with ``data_only=True``: the
# formula text of a cell whose value was never calculated, headers and footers, document properties
# (core, app, custom), hyperlink targets, data-validation lists, defined names, comments, sheet and
# part names. A workbook is a zip of XML parts, so every text node and attribute value of every part
# is looked at; the known places are named first, so that the message can say where to look.
_HEADER_FOOTER = {"oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"}
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_PX_DATA = re.compile(r"^\s*DATA\s*=", re.MULTILINE)


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attr(element: ET.Element, name: str) -> str:
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return ""


def _all_text(element: ET.Element) -> str:
    """The text of an element and its descendants run together (a rich-text string split into runs)."""
    return "".join(t.text or "" for t in element.iter() if _local(t.tag) == "t")


def _number_text(text: str) -> str:
    """A stored number as Excel shows it: ``8112189876`` for ``8112189876`` or ``8.112189876E9``."""
    try:
        value = float(text)
    except ValueError:
        return text
    return str(int(value)) if value.is_integer() and abs(value) < 1e16 else text


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id -> (type's last word, target resolved to a part name or kept as a URL)."""
    path = PurePosixPath(part)
    rels_name = str(path.parent / "_rels" / (path.name + ".rels"))
    if rels_name not in archive.namelist():
        return {}
    try:
        root = ET.fromstring(archive.read(rels_name))
    except ET.ParseError:
        return {}
    out: dict[str, tuple[str, str]] = {}
    for rel in root:
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External" and not target.startswith("/"):
            parts: list[str] = []
            for piece in (*path.parent.parts, *PurePosixPath(target).parts):
                if piece == "..":
                    parts = parts[:-1]
                elif piece != ".":
                    parts.append(piece)
            target = "/".join(parts)
        elif target.startswith("/"):
            target = target[1:]
        out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
    return out


def _parse(archive: zipfile.ZipFile, name: str) -> ET.Element | None:
    try:
        return ET.fromstring(archive.read(name))
    except ET.ParseError:
        return None


def _xlsx_texts(data: bytes) -> Iterator[tuple[str, str]]:
    """(location, text) for every piece of text in a workbook, the named places first."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        for name in names:
            yield f"{name} (del/part)", name
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = _parse(archive, "xl/sharedStrings.xml")
            shared = [_all_text(si) for si in root if _local(si.tag) == "si"] if root is not None else []
        sheets: dict[str, str] = {}       # part name -> sheet name
        workbook = _parse(archive, "xl/workbook.xml") if "xl/workbook.xml" in names else None
        if workbook is not None:
            rels = _rels(archive, "xl/workbook.xml")
            for element in workbook.iter():
                tag = _local(element.tag)
                if tag == "sheet":
                    title = element.get("name", "")
                    yield "xl/workbook.xml (bladnamn/sheet name)", title
                    target = rels.get(_attr(element, "id"), ("", ""))[1]
                    if target:
                        sheets[target] = title
                elif tag == "definedName":
                    yield f"xl/workbook.xml (definierat namn/defined name {element.get('name', '')})", \
                        f"{element.get('name', '')} {element.text or ''}"
        for part, title in sheets.items():
            if part not in names:
                continue
            root = _parse(archive, part)
            if root is None:
                continue
            rels = _rels(archive, part)
            for element in root.iter():
                tag = _local(element.tag)
                if tag == "c":
                    where = f"{title}!{element.get('r', '')}"
                    kind = element.get("t", "n")
                    for child in element:
                        child_tag = _local(child.tag)
                        if child_tag == "f" and child.text:
                            yield f"{where} (formel/formula)", child.text
                        elif child_tag == "v" and child.text:
                            if kind == "s" and child.text.strip().isdigit() and int(child.text) < len(shared):
                                yield where, shared[int(child.text)]
                            else:
                                yield where, _number_text(child.text) if kind == "n" else child.text
                        elif child_tag == "is":
                            yield where, _all_text(child)
                elif tag in _HEADER_FOOTER and element.text:
                    yield f"{title} (sidhuvud-sidfot/header-footer)", element.text
                elif tag == "dataValidation":
                    where = f"{title}!{element.get('sqref', '')} (listvalidering/data validation)"
                    for child in element.iter():
                        if child.text:
                            yield where, child.text
                    for key in ("prompt", "promptTitle", "error", "errorTitle"):
                        if element.get(key):
                            yield where, element.get(key)
                elif tag == "hyperlink":
                    where = f"{title}!{element.get('ref', '')} (hyperlänk/hyperlink)"
                    target = rels.get(_attr(element, "id"), ("", ""))[1]
                    for text in (target, element.get("location"), element.get("display"), element.get("tooltip")):
                        if text:
                            yield where, text
            for kind, target in rels.values():
                if kind == "comments" and target in names:
                    comments = _parse(archive, target)
                    for element in comments.iter() if comments is not None else ():
                        if _local(element.tag) == "comment":
                            yield f"{title}!{element.get('ref', '')} (kommentar/comment)", _all_text(element)
        for part in ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"):
            root = _parse(archive, part) if part in names else None
            for element in root if root is not None else ():
                label = element.get("name") or _local(element.tag)       # a custom property's own name
                if element.get("name"):
                    yield f"{part} ({label})", label
                for node in element.iter():
                    if node.text and node.text.strip():
                        yield f"{part} ({label})", node.text
        for name in names:       # everything else, and the same parts once more, node by node
            raw = archive.read(name)
            root = _parse(archive, name) if name.endswith(_XML_SUFFIXES) else None
            if root is None:
                for encoding in ("utf-8", "utf-16-le", "latin-1"):
                    yield name, html.unescape(raw.decode(encoding, "replace"))
                continue
            for element in root.iter():
                if element.text and element.text.strip():
                    yield name, element.text
                if element.tail and element.tail.strip():
                    yield name, element.tail
                for value in element.attrib.values():
                    yield name, value


def _text_lines(data: bytes) -> Iterator[tuple[str, str]]:
    """(location, text) for a text file (CSV, PX, JSON): line by line; a PX file's data token by token.

    Numbers in a PX data block are separated by single spaces, so "811218 9876" there is two counts,
    not one number written with a space; each token is looked at alone.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", "replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", "replace")
        if "\x00" in text:         # UTF-16 without a byte-order mark
            yield "byte 1", data.decode("utf-16-le", "replace")
    px = _PX_DATA.search(text)
    head, body = (text[:px.end()], text[px.end():]) if px else (text, "")
    for number, line in enumerate(head.splitlines(), start=1):
        yield f"line {number}", line
    offset = head.count("\n") + 1
    for number, line in enumerate(body.splitlines(), start=offset):
        for token in re.split(r"[\s;]+", line):
            yield f"line {number}", token


def texts_in_file(data: bytes) -> Iterator[tuple[str, str]]:
    """(location, text) for every piece of text a file holds, whatever its format."""
    if data.startswith(b"PK"):
        try:
            yield from _xlsx_texts(data)
            return
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, KeyError, EOFError, RuntimeError,
                NotImplementedError):
            pass       # a damaged or encrypted zip: its bytes as text below, so nothing in it goes unread
    yield from _text_lines(data)


def refuse_identity_numbers(data: bytes, *, name: str, shown_name: str | None = None) -> None:
    """Raise ``identity_error`` for the first identity number in the file's content or in its name.

    Called before anything of the file is kept, shown or parsed further. ``name`` is the file name as
    received; ``shown_name`` what the message calls the file (default: ``name``, masked).
    """
    shown = shown_name if shown_name is not None else name
    for location, text in texts_in_file(data):
        matches = find_identity_numbers(text)
        if matches:
            raise identity_error(matches[0], file=shown, location=location)
    matches = find_identity_numbers(name)
    if matches:
        raise identity_error(matches[0], file=shown, location=FILE_NAME_LOCATION)
