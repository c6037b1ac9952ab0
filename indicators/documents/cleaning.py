"""Cleaning of page lines: running headers and footers, page numbers, line-end hyphens, whitespace.

Input is a document as a list of pages, each a list of lines in reading order ("" separates blocks of
a page). Every rule here is about what a reader of the printed page ignores or mends without noticing:

- **Running lines.** A line among the first or last three lines of a page whose text, with every digit
  run read as ``#``, recurs in that zone on at least 40 % of the pages with text (and on two pages at
  least) is a running header or footer ("Polismyndigheten – Årsredovisning 2025", "Sida 3 av 48").
  40 % and not "most": reports alternate headers on left and right pages, so each occurs on half.
- **Page numbers.** A line in the same zone that is only a page number ("12", "Sida 3", "Sida 3 av 48",
  "Page 3 of 48", "3 (48)", "3/48", "– 3 –") is removed even on a page where it does not repeat. A bare
  number of four digits is kept: "2025" on a cover is a year.
- **Hyphens at line ends.** "genom-" + "förts" becomes "genomförts". The hyphen is kept, and the parts
  joined, when the word is a real hyphenated compound: the first part is an abbreviation or number
  ("EU-", "A012-", "2024-"), the second part starts with a capital or a digit ("Nord-Korea"), or the
  hyphenated form occurs elsewhere in the same document ("hbtqi-personer" written inside a line). A
  hyphen before "och", "eller", "samt", "respektive" is a suspended compound ("barn- och
  ungdomsvård") and keeps its space. A page is joined within itself only: a word split across pages
  stays split.
- **Whitespace and characters.** Runs of spaces (also no-break and thin spaces) become one space,
  soft hyphens disappear, typographic ligatures (ﬁ, ﬂ, ﬀ, ﬃ, ﬄ) become their letters, and text is
  NFC-normalised so that "a" + combining ring is "å".
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

ZONE = 3                       # lines at the top and bottom of a page where headers and footers live
RUNNING_SHARE = 0.4            # share of pages with text a running line must recur on (see docstring)
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe]")
_LIGATURES = re.compile(r"[\ufb00-\ufb06]")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:sida|sidan|page|s\.|p\.)\s*)?[-–—]?\s*\d{1,3}\s*[-–—]?"
    r"(?:\s*(?:av|of|/|\()\s*\d{1,4}\s*\)?)?$",
    re.IGNORECASE,
)
_LINE_END_HYPHEN = re.compile(r"(?<=\w)[-\u2010]$")
_HYPHENATED = re.compile(r"\w+(?:[-\u2010]\w+)+")
_SUSPENDED = {"och", "eller", "samt", "respektive", "resp", "resp.", "som", "till", "and", "or"}
_FIRST_WORD = re.compile(r"^(\S+)")
_WORD = re.compile(r"\w+")


def normalise_characters(text: str) -> str:
    """NFC, ligatures as letters, invisible characters (soft hyphen, zero-width) removed."""
    text = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


def normalise_line(line: str) -> str:
    """One line with its whitespace collapsed and its characters normalised."""
    return _SPACES.sub(" ", normalise_characters(line)).strip()


def _zone(lines: list[str]) -> set[int]:
    """Indices of the first and last ``ZONE`` non-empty lines."""
    filled = [i for i, line in enumerate(lines) if line]
    return set(filled[:ZONE]) | set(filled[-ZONE:])


def _key(line: str) -> str:
    return _DIGITS.sub("#", line.casefold())


def is_page_number(line: str) -> bool:
    """Whether a line is only a page number in one of the usual forms (see the module docstring)."""
    return bool(_PAGE_NUMBER.match(line.strip()))


def remove_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Pages without their running headers, footers and page-number lines (rules in the docstring)."""
    zones = [_zone(lines) for lines in pages]
    counts: Counter[str] = Counter()
    for lines, zone in zip(pages, zones, strict=True):
        counts.update({_key(lines[i]) for i in zone})
    with_text = sum(1 for lines in pages if any(lines))
    needed = max(2, math.ceil(RUNNING_SHARE * with_text))
    running = {key for key, count in counts.items() if count >= needed} if with_text >= 2 else set()
    cleaned = []
    for lines, zone in zip(pages, zones, strict=True):
        cleaned.append([line for i, line in enumerate(lines)
                        if not (i in zone and (_key(line) in running or is_page_number(line)))])
    return cleaned


def hyphenated_vocabulary(pages: list[list[str]]) -> set[str]:
    """Hyphenated compounds written inside lines anywhere in the document, case-folded."""
    words: set[str] = set()
    for lines in pages:
        for line in lines:
            body = line[:-1] if _LINE_END_HYPHEN.search(line) else line
            words.update(w.casefold().replace("\u2010", "-") for w in _HYPHENATED.findall(body))
    return words


def _keep_hyphen(first_part: str, next_word: str, vocabulary: set[str]) -> bool:
    if any(ch.isdigit() for ch in first_part) or (len(first_part) > 1 and first_part[1:] != first_part[1:].lower()):
        return True                                       # EU-, A012-, 2024-, SoS-
    if first_part.isupper():
        return True
    if next_word[:1].isupper() or next_word[:1].isdigit():
        return True                                       # Nord-Korea, 2024-2025
    second = _WORD.match(next_word)
    compound = f"{first_part}-{second.group() if second else next_word}"
    return compound.casefold() in vocabulary


def join_hyphens(lines: list[str], vocabulary: set[str]) -> list[str]:
    """Lines with end-of-line hyphenation mended (rules in the module docstring)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = i + 1
        if nxt < len(lines) and not lines[nxt] and nxt + 1 < len(lines):
            nxt += 1                                      # across one block break (a column's end)
        if line and _LINE_END_HYPHEN.search(line) and nxt < len(lines) and lines[nxt]:
            following = lines[nxt]
            first_word = _FIRST_WORD.match(following).group(1)
            first_part = re.search(r"(\w+)[-\u2010]$", line).group(1)
            if first_word.casefold().strip(",.") in _SUSPENDED:
                out.append(line)                          # "barn- och ungdomsvård": the line break stays
                i += 1
                continue
            # The word's second part moves up; the rest of the next line stays a line of its own.
            joined = (line if _keep_hyphen(first_part, first_word, vocabulary) else line[:-1]) + first_word
            rest = following[len(first_word):].strip()
            if rest:
                lines = [*lines[:i], joined, rest, *lines[nxt + 1:]]
                out.append(joined)
                i += 1
            else:
                lines = [*lines[:i], joined, *lines[nxt + 1:]]   # the joined line may end in a hyphen too
            continue
        out.append(line)
        i += 1
    return out


def page_text(lines: list[str]) -> str:
    """The page's lines as one text: one line per line, at most one blank line between blocks."""
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


def clean_pages(pages: list[list[str]], *, running: bool = True) -> list[str]:
    """Texts of pages: characters and whitespace normalised, running lines (PDF only) removed, hyphens joined."""
    pages = [[normalise_line(line) for line in lines] for lines in pages]
    if running:
        pages = remove_running_lines(pages)
    vocabulary = hyphenated_vocabulary(pages)
    return [page_text(join_hyphens(lines, vocabulary)) for lines in pages]
