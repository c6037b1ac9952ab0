"""Which agency a document comes from, which year it reports on, and what kind of document it is.

Looked at in this order, the first that answers wins (docs/documents.md, "Recognition"):

1. **Text of the first pages**: the first two pages that have text among the first three (the cover and
   the page after it). The agency is the register name or alias mentioned first; the year is the one
   that follows "Årsredovisning", "Återrapportering", "Redovisning av regeringsuppdrag", … within 80
   characters ("Årsredovisning 2025", "Återrapportering av uppdrag … 2025"), else the one after
   "verksamhetsåret", "räkenskapsåret", "budgetåret" or "för år".
2. **Metadata**: title, author, subject and keywords, the same way (a bare year counts in the title).
3. **File name**: agency ids, names and aliases between separators, and a four-digit year.
4. **Metadata dates** (the year only, last resort): the year the file was created, minus one for an
   annual report, which is written in the first months after the year it reports on.

Names are compared ignoring case, diacritics and punctuation ("KRIMINALVÅRDEN" = "Kriminalvården"),
except names of four letters or fewer ("Brå", "SoS", "KVV", "FoHM"), which must be written exactly as
in the register: "bra" is an ordinary Swedish word. A year inside a reference number ("Ju2024/01234")
or a date ("2026-02-20") is not a reporting year. Overrides from the command line win and make
``recognised_by`` "cli". An agency or year that cannot be found raises ``ReaderError`` naming what was
looked at and what was expected.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from indicators.documents.extract import Document
from indicators.programme.identity_numbers import safe_text
from indicators.programme.register import Agency
from indicators.readers.model import ReaderError

FIRST_PAGES = 3          # the cover and what follows: where a document says who wrote it and when
TEXT_PAGES = 2
YEAR_RANGE = (1990, 2100)
EXACT_LENGTH = 4         # names this short must match exactly (case and diacritics)
SOURCES = ("text", "metadata", "file_name")      # weakest last; recognised_by is the weaker of the two

_YEAR = r"(?<![\w/])((?:19|20)\d{2})(?![\w/]|-\d)"
_TITLED_YEAR = re.compile(
    r"\b(?:årsredovisning|återrapportering|delredovisning|slutredovisning|redovisning|verksamhetsberättelse"
    r"|annual report|report)\b[\s\S]{0,80}?" + _YEAR, re.IGNORECASE)
_YEAR_WORDS = re.compile(r"\b(?:verksamhetsåret|räkenskapsåret|budgetåret|för år|year)\s+" + _YEAR, re.IGNORECASE)
_BARE_YEAR = re.compile(_YEAR)
_FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_DOC_TYPES = (
    ("aterrapportering", re.compile(
        r"\b(?:återrapportering|delredovisning|slutredovisning|redovisning av (?:regerings)?uppdrag(?:et)?"
        r"|report on the government assignment)", re.IGNORECASE)),
    ("arsredovisning", re.compile(r"\b(?:årsredovisning|annual report)", re.IGNORECASE)),
)
YEAR_EXPECTED = "”Årsredovisning 2025”, ”Återrapportering … 2025”, ”verksamhetsåret 2025”"


@dataclass(frozen=True)
class Recognition:
    agency_id: str
    year: int
    doc_type: str           # arsredovisning | aterrapportering | other
    recognised_by: str      # text | metadata | file_name | cli


def _fold_tokens(text: str) -> str:
    """" polismyndigheten arsredovisning 2025 ": case, diacritics and punctuation gone, spaces around."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " " + " ".join(re.findall(r"[^\W_]+", plain)) + " "


def _names(agency: Agency, *, with_id: bool) -> list[str]:
    names = [*agency.name.values(), *agency.aliases]
    return [*names, agency.id] if with_id else names


def _first_agency(text: str, agencies: Iterable[Agency], *, with_id: bool = False) -> Agency | None:
    """The agency whose name or alias occurs first in ``text`` (the longest name at the same place)."""
    folded = _fold_tokens(text)
    best: tuple[int, int, Agency] | None = None
    for agency in agencies:
        for name in _names(agency, with_id=with_id):
            key = _fold_tokens(name)
            if len(key.strip()) <= EXACT_LENGTH and name != agency.id:
                match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
                position = len(_fold_tokens(text[:match.start()])) - 1 if match else -1
            else:
                position = folded.find(key)
            if position >= 0 and (best is None or (position, -len(key)) < (best[0], best[1])):
                best = (position, -len(key), agency)
    return best[2] if best else None


def _year_in(text: str, *, bare: bool = False) -> int | None:
    for pattern in (_TITLED_YEAR, _YEAR_WORDS, *((_BARE_YEAR,) if bare else ())):
        for match in pattern.finditer(text):
            year = int(match.group(1))
            if YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
                return year
    return None


def _doc_type(texts: list[str]) -> str:
    for text in texts:
        found = [(m.start(), kind) for kind, pattern in _DOC_TYPES if (m := pattern.search(text))]
        if found:
            return min(found)[1]
    return "other"


def _looked_at(document: Document) -> tuple[list[int], list[str]]:
    """The numbers and texts of the pages read for recognition (withheld and empty pages skipped)."""
    pages = [p for p in document.pages[:FIRST_PAGES] if p.text][:TEXT_PAGES]
    return [p.number for p in pages], [p.text for p in pages]


def _location(numbers: list[int]) -> str:
    if not numbers:
        return "metadata"
    shown = str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"
    return f"{'page' if len(numbers) == 1 else 'pages'} {shown}, metadata"


def _found(texts: list[str]) -> str:
    text = " ".join(" ".join(texts).split())
    return f"“{text[:79] + '…' if len(text) > 80 else text}”" if text else "—"


def _agency_list(agencies: Iterable[Agency]) -> str:
    return ", ".join(sorted(a.name["sv"] for a in agencies))


def _override_agency(value: str, agencies: list[Agency], file: str) -> Agency:
    key = _fold_tokens(value)
    for agency in agencies:
        if key in {_fold_tokens(n) for n in _names(agency, with_id=True)}:
            return agency
    raise ReaderError("documents.unknown_agency", file=file, location="--agency", found=safe_text(value),
                      expected=_agency_list(agencies))


def recognise(document: Document, agencies: Mapping[str, Agency] | Iterable[Agency], *,
              agency: str | None = None, year: int | None = None) -> Recognition:
    """Agency, year and kind of ``document`` (rules in the module docstring); overrides win."""
    known = list(agencies.values()) if isinstance(agencies, Mapping) else list(agencies)
    numbers, texts = _looked_at(document)
    meta = document.metadata
    meta_texts = [meta[k] for k in ("title", "author", "subject", "keywords") if meta.get(k)]
    file_text = re.sub(r"[_\-.]+", " ", document.file_name)
    doc_type = _doc_type([*texts, *meta_texts])

    found_agency, agency_source = None, None
    for source, candidates in (("text", texts), ("metadata", meta_texts), ("file_name", [file_text])):
        for text in candidates:
            found_agency = _first_agency(text, known, with_id=source == "file_name")
            if found_agency:
                agency_source = source
                break
        if found_agency:
            break
    found_year, year_source = None, None
    title = [meta["title"]] if meta.get("title") else []
    for source, candidates, bare in (("text", texts, False), ("metadata", title, True),
                                     ("metadata", meta_texts, False)):
        for text in candidates:
            found_year = _year_in(text, bare=bare)
            if found_year:
                year_source = source
                break
        if found_year:
            break
    if found_year is None:
        match = _FILE_YEAR.search(document.file_name)
        if match and YEAR_RANGE[0] <= int(match.group(1)) <= YEAR_RANGE[1]:
            found_year, year_source = int(match.group(1)), "file_name"
    if found_year is None:
        created = meta.get("created") or meta.get("modified")
        if created and re.match(r"\d{4}-\d{2}", created):
            found_year = int(created[:4]) - (1 if doc_type == "arsredovisning" else 0)
            year_source = "metadata"

    if agency is not None:
        found_agency = _override_agency(agency, known, document.file_name)
    if year is not None:
        if not YEAR_RANGE[0] <= int(year) <= YEAR_RANGE[1]:
            raise ReaderError("documents.unknown_year", file=document.file_name, location="--year",
                              found=str(year), expected=f"{YEAR_RANGE[0]}–{YEAR_RANGE[1]}")
        found_year = int(year)
    if found_agency is None:
        raise ReaderError("documents.unknown_agency", file=document.file_name, location=_location(numbers),
                          found=safe_text(_found(texts)), expected=_agency_list(known))
    if found_year is None:
        raise ReaderError("documents.unknown_year", file=document.file_name, location=_location(numbers),
                          found=safe_text(_found(texts)), expected=YEAR_EXPECTED)
    if agency is not None or year is not None:
        recognised_by = "cli"
    else:
        recognised_by = max(agency_source, year_source, key=SOURCES.index)
    return Recognition(found_agency.id, found_year, doc_type, recognised_by)
