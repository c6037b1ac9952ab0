"""PDF pages as lines in reading order, from pdfplumber's words and their positions.

Why positions: pypdf, pdfplumber's ``extract_text`` and pypdfium2 all follow the order in which the
file draws its text, or sort by height, so a two-column page whose lines were drawn row by row
comes out with a line of the left column glued to a line of the right one (measured in
docs/documents.md). Here each page's words are grouped into rows by height, and a page with a
gutter (an empty vertical strip in the middle third of the page that at least three rows have text on
both sides of) is read block by block: consecutive rows that do not cross the gutter are read left
column first, then right column; a row that crosses it (a heading over both columns, a table row with
three or more cells) is read whole, in place. A large vertical gap (2.5 line pitches) also ends a block,
so that a header or footer never joins a column.

A block is read as columns only when the lines on both sides are at least a fifth of the page wide
(median), so a table of contents or a two-cell table of figures is read row by row. Limits: a
table with two wide cells of text per row is read as two columns; three or more columns are read as
two; a table cell that wraps over two lines is read line by line, its neighbours' values between.
"""

from __future__ import annotations

import io
import statistics
from dataclasses import dataclass, field
from datetime import date

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect

# Letters closer than 0.15 × font size belong to one word. pdfplumber's default (3 pt, whatever the size)
# glues the words of PDFs that draw no space characters and set words 2–3 pt apart (pdfTeX, justified
# text): "directoryisaddedtothe" (docs/documents.md).
WORD_GAP = 0.15
GAP_EM = 1.5          # a horizontal gap wider than 1.5 × font size separates segments (cells, columns)
BLOCK_GAP = 2.5       # a vertical gap wider than 2.5 line pitches ends a block
MIN_COLUMN_ROWS = 3   # rows with text on both sides of a gutter needed to call a page two-column
COLUMN_WIDTH = 0.2    # a text column's lines are at least a fifth of the page wide (median over a block)


class PdfEncrypted(Exception):
    """The file needs a password to open."""


class PdfUnreadable(Exception):
    """pdfplumber (pdfminer) could not parse the file, or one of its pages (``page``, 1-based, or None)."""

    def __init__(self, cause: BaseException, page: int | None = None) -> None:
        inner = cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else cause
        super().__init__(f"{type(inner).__name__}: {inner}")
        self.page = page


@dataclass
class PdfPage:
    lines: list[str]
    has_images: bool
    word_count: int


@dataclass
class PdfContent:
    pages: list[PdfPage]
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class _Row:
    top: float
    words: list[dict]

    def size(self) -> float:
        return statistics.median(float(w.get("size") or 10.0) for w in self.words)

    def segments(self) -> list[list[dict]]:
        ordered = sorted(self.words, key=lambda w: w["x0"])
        parts = [[ordered[0]]]
        for word in ordered[1:]:
            if word["x0"] - parts[-1][-1]["x1"] > GAP_EM * self.size():
                parts.append([word])
            else:
                parts[-1].append(word)
        return parts


def _text(words: list[dict]) -> str:
    return " ".join(w["text"] for w in sorted(words, key=lambda w: w["x0"]))


def _rows(words: list[dict]) -> list[_Row]:
    rows: list[_Row] = []
    for word in sorted(words, key=lambda w: (round(w["top"], 1), w["x0"])):
        tolerance = 0.5 * float(word.get("size") or 10.0)
        if rows and abs(word["top"] - rows[-1].top) <= tolerance:
            rows[-1].words.append(word)
        else:
            rows.append(_Row(word["top"], [word]))
    return rows


def _gutter(rows: list[_Row], width: float) -> float | None:
    """The x of the gutter most two-segment rows share in the middle third of the page, or None."""
    gaps = []
    for row in rows:
        parts = row.segments()
        if len(parts) == 2:
            left_end, right_start = max(w["x1"] for w in parts[0]), min(w["x0"] for w in parts[1])
            if 0.3 * width <= (left_end + right_start) / 2 <= 0.7 * width:
                gaps.append((left_end, right_start))
    best, best_count = None, 0
    for left_end, right_start in gaps:
        x = (left_end + right_start) / 2
        count = sum(1 for a, b in gaps if a < x < b)
        if count > best_count:
            best, best_count = x, count
    return best if best_count >= MIN_COLUMN_ROWS else None


def _wide_columns(block: list[_Row], x: float, width: float) -> bool:
    """Whether both sides of the gutter hold lines of text, not a column of numbers or short cells.

    A table of contents (titles and page numbers) or a two-column table of figures has a gutter too,
    but its right side is narrow; read as columns, every page number would follow all the titles.
    """
    def median_width(side: list[list[dict]]) -> float:
        widths = [max(w["x1"] for w in words) - min(w["x0"] for w in words) for words in side if words]
        return statistics.median(widths) if widths else 0.0

    left = [[w for w in r.words if w["x1"] <= x] for r in block]
    right = [[w for w in r.words if w["x0"] >= x] for r in block]
    return min(median_width(left), median_width(right)) >= COLUMN_WIDTH * width


def _compatible(row: _Row, x: float) -> bool:
    """A row that fits a two-column block: no word crosses the gutter, one segment on each side."""
    if any(w["x0"] < x < w["x1"] for w in row.words):
        return False
    left = _Row(row.top, [w for w in row.words if w["x1"] <= x])
    right = _Row(row.top, [w for w in row.words if w["x0"] >= x])
    return all(len(side.segments()) <= 1 for side in (left, right) if side.words)


def page_lines(words: list[dict], width: float) -> list[str]:
    """The lines of one page in reading order ("" between blocks), as the module docstring describes."""
    rows = _rows(words)
    if not rows:
        return []
    tops = [row.top for row in rows]
    pitches = [b - a for a, b in zip(tops, tops[1:], strict=False) if b > a]
    pitch = statistics.median(pitches) if pitches else 12.0
    x = _gutter(rows, width)
    lines: list[str] = []
    block: list[_Row] = []

    def flush() -> None:
        if not block:
            return
        both = sum(1 for r in block if any(w["x1"] <= x for w in r.words) and any(w["x0"] >= x for w in r.words))
        if x is not None and both >= 2 and _wide_columns(block, x, width):
            left = [_text([w for w in r.words if w["x1"] <= x]) for r in block]
            right = [_text([w for w in r.words if w["x0"] >= x]) for r in block]
            lines.extend([t for t in left if t] + [t for t in right if t])
        else:
            lines.extend(_text(r.words) for r in block)
        lines.append("")
        block.clear()

    previous_top = None
    for row in rows:
        if previous_top is not None and row.top - previous_top > BLOCK_GAP * pitch:
            flush()
        previous_top = row.top
        if x is not None and _compatible(row, x):
            block.append(row)
        else:
            flush()
            lines.append(_text(row.words))
    flush()
    return lines


def _pdf_date(value: str) -> str:
    """``D:20260220120000+01'00'`` as ``2026-02-20``; anything else as given."""
    raw = value[2:] if value.startswith("D:") else value
    try:
        return date(int(raw[0:4]), int(raw[4:6] or 1), int(raw[6:8] or 1)).isoformat()
    except (ValueError, IndexError):
        return value


def _metadata(raw: dict) -> dict[str, str]:
    names = {"Title": "title", "Author": "author", "Subject": "subject", "Keywords": "keywords",
             "Creator": "creator", "Producer": "producer", "CreationDate": "created", "ModDate": "modified"}
    out: dict[str, str] = {}
    for key, name in names.items():
        value = raw.get(key)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str) and value.strip():
            out[name] = _pdf_date(value.strip()) if name in ("created", "modified") else value.strip()
    return out


def read_pdf(content: bytes) -> PdfContent:
    """Every page's lines, whether it has images, and the document information, via pdfplumber.

    Raises ``PdfEncrypted`` for a file that needs a password; a file protected by an owner password
    alone (printing or copying restricted) opens without one and is read. A parser failure is raised as
    ``PdfUnreadable`` with the page it happened on.
    """
    try:
        pdf = pdfplumber.open(io.BytesIO(content))
        info = pdf.metadata or {}
        pdf_pages = list(pdf.pages)
    except Exception as error:       # pdfplumber wraps every pdfminer failure in PdfminerException
        if isinstance(error, PDFPasswordIncorrect) or (error.args and isinstance(error.args[0], PDFPasswordIncorrect)):
            raise PdfEncrypted() from None
        raise PdfUnreadable(error) from None
    with pdf:
        pages = []
        unrotated = None
        for number, page in enumerate(pdf_pages, start=1):
            try:          # only the parser's work is guarded: a failure in our layout code is a bug, not the file's
                if _turned_sideways(page):
                    # A page written upright and then turned for display (/Rotate): read it as written.
                    unrotated = unrotated or _without_rotation(content)
                    page = unrotated.pages[number - 1]
                words = page.extract_words(x_tolerance_ratio=WORD_GAP, extra_attrs=["size"])
                has_images = bool(page.images)
                width = float(page.width)
            except Exception as error:   # a damaged content stream or font: pdfminer raises many kinds
                raise PdfUnreadable(error, number) from None
            pages.append(PdfPage(page_lines(words, width), has_images, len(words)))
        if unrotated is not None:
            unrotated.close()
        return PdfContent(pages, _metadata(info))


def _turned_sideways(page) -> bool:
    """A page with /Rotate whose text then runs sideways (most characters not upright): the rotation
    was added for display, so reading it as displayed would interleave letters from every line. A
    landscape page whose content is drawn rotated and put upright by /Rotate reads upright, and stays."""
    if not int(page.rotation or 0) % 360:
        return False
    chars = page.chars
    return bool(chars) and sum(1 for c in chars if not c.get("upright", True)) > len(chars) / 2


def _without_rotation(content: bytes):
    """The same PDF with every page's /Rotate removed, opened with pdfplumber (pypdf writes the copy)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(content)).pages:
        page.rotation = 0
        writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return pdfplumber.open(io.BytesIO(buffer.getvalue()))
