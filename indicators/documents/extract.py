"""Text of an agency document (PDF or DOCX), page by page, or a located refusal.

``extract_document`` is the one entry point. It decides the format from the content (never from the
file name), reads PDF with pdfplumber word positions (``indicators.documents.pdf``) and DOCX by
walking the body (``indicators.documents.docx_pages``), cleans the text
(``indicators.documents.cleaning``) and refuses what cannot be read honestly, each refusal a
``ReaderError("documents.<rule>")`` naming file, place, what was found and what was expected:

- ``documents.not_a_document``: neither PDF nor DOCX (an old .doc, a workbook, an image, text);
- ``documents.empty``: no bytes, no pages, or no text on any page and no images either;
- ``documents.encrypted``: a PDF that needs a password to open;
- ``documents.truncated``: a PDF the parser cannot read that lacks its end marker ``%%EOF`` (cut off
  in transfer);
- ``documents.corrupt``: any other file the parser cannot read;
- ``documents.needs_ocr``: a PDF where most pages have no text layer (a scan): never an empty success;
- ``documents.tracked_changes``: a DOCX with tracked changes, which must be accepted or rejected first.

A page holding a personal identity number or a coordination number is withheld: its text is not
kept (``Page.text`` None, ``withheld`` "identity_number", ``masked`` the numbers as ``19811228-****``),
and the other pages are. File name and metadata pass ``safe_text``, so no unmasked number is in any
value this module returns or raises.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from importlib.metadata import version

from indicators.documents.cleaning import clean_pages, normalise_line
from indicators.documents.docx_pages import open_docx, read_docx
from indicators.documents.pdf import PdfEncrypted, PdfUnreadable, read_pdf
from indicators.programme.identity_numbers import find_identity_numbers, safe_text
from indicators.readers.model import ReaderError

WITHHELD_IDENTITY = "identity_number"
OCR_SHARE = 0.5                 # more than half the pages without text: a scan, not a document with blanks
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"      # Word 97–2003 .doc, Excel .xls
EXPECTED_FORMATS = "PDF, DOCX"


@dataclass(frozen=True)
class Page:
    """One page: ``number`` 1-based; ``text`` None when withheld (``withheld`` says why)."""

    number: int
    text: str | None
    withheld: str | None = None
    masked: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A read document: its pages, title and metadata (masked), and which library read it."""

    sha256: str
    file_name: str
    format: str                 # pdf | docx
    pages: tuple[Page, ...]
    title: str | None
    metadata: dict[str, str] = field(default_factory=dict)
    extractor: str = ""

    @property
    def pages_withheld(self) -> int:
        return sum(1 for page in self.pages if page.withheld)


def _pages_label(numbers: list[int]) -> str:
    """``page 3`` or ``pages 1–3, 5`` (shortened after six), language-neutral like other locations."""
    runs: list[str] = []
    start = prev = None
    for n in [*numbers, None]:
        if start is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            runs.append(str(start) if start == prev else f"{start}–{prev}")
        start = prev = n
    shown = ", ".join(runs[:6]) + (", …" if len(runs) > 6 else "")
    return f"page {shown}" if len(numbers) == 1 else f"pages {shown}"


def _error(rule: str, file: str, location: str, found: object, expected: object) -> ReaderError:
    return ReaderError(f"documents.{rule}", file=file, location=safe_text(location), found=safe_text(found),
                       expected=safe_text(expected))


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _what_it_is(content: bytes) -> str:
    """A short, language-neutral description of a file's beginning, for the not-a-document message."""
    if content.startswith(OLE_MAGIC):
        return "Word 97–2003 (.doc) / Excel 97–2003 (.xls)"
    for magic, name in ((b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"),
                        (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"{\\rtf", "RTF")):
        if content.startswith(magic):
            return name
    head = content[:40].decode("utf-8", "replace")
    if head.isprintable():
        return f"“{_shorten(head, 40)}”"
    return " ".join(f"{b:02X}" for b in content[:8])


def _withhold(number: int, text: str, raw: str) -> Page:
    """The page, or the page withheld when its cleaned or raw text holds an identity number."""
    matches = find_identity_numbers(raw) + find_identity_numbers(text)
    if not matches:
        return Page(number, text)
    masked = tuple(dict.fromkeys(m.masked for m in matches))
    return Page(number, None, WITHHELD_IDENTITY, masked)


def _title(metadata: dict[str, str], pages: list[Page]) -> str | None:
    if metadata.get("title"):
        return metadata["title"]
    for page in pages[:1]:
        if page.text:
            return _shorten(page.text.split("\n", 1)[0], 200)
    return None


def _extract_pdf(content: bytes, file: str) -> tuple[list[Page], dict[str, str]]:
    try:
        pdf = read_pdf(content)
    except PdfEncrypted:
        raise _error("encrypted", file, "page 1", "/Encrypt", "PDF") from None
    except PdfUnreadable as error:
        if b"%%EOF" not in content[-2048:]:       # cut off in transfer: say so, it is the likely fix
            raise _error("truncated", file, f"byte {len(content)}", str(len(content)), "%%EOF") from None
        location = f"page {error.page}" if error.page else "byte 1"
        raise _error("corrupt", file, location, _shorten(str(error), 100), "PDF") from None
    if not pdf.pages:
        raise _error("empty", file, "page 1", "0", "1")
    blank = [i for i, page in enumerate(pdf.pages, start=1) if page.word_count == 0]
    if len(blank) == len(pdf.pages) and not any(page.has_images for page in pdf.pages):
        raise _error("empty", file, _pages_label(blank), "0", "1")
    if len(blank) > OCR_SHARE * len(pdf.pages):
        raise _error("needs_ocr", file, _pages_label(blank), f"{len(blank)}/{len(pdf.pages)}", "OCR")
    raw = ["\n".join(normalise_line(line) for line in page.lines) for page in pdf.pages]
    texts = clean_pages([page.lines for page in pdf.pages], running=True)
    pages = [_withhold(n, text, raw[n - 1]) for n, text in enumerate(texts, start=1)]
    return pages, pdf.metadata


def _extract_docx(content: bytes, file: str) -> tuple[list[Page], dict[str, str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _error("corrupt", file, "byte 1", _shorten(f"{type(error).__name__}: {error}", 100), "DOCX") from None
    if "word/document.xml" not in names:
        shown = next((n for n in names if n.endswith(("workbook.xml", "presentation.xml"))), names[0] if names else "")
        raise _error("not_a_document", file, "byte 1", f"zip: {shown}", EXPECTED_FORMATS)
    try:
        opened = open_docx(content)
    except ValueError as error:      # python-docx: "file '…' is not a Word file, content type is '…'"
        found = str(error).rsplit("content type is", 1)[-1].strip(" '") if "content type" in str(error) else error
        raise _error("not_a_document", file, "word/document.xml", _shorten(str(found), 100), EXPECTED_FORMATS) \
            from None
    except Exception as error:       # a damaged part: lxml, zip or KeyError from the package reader
        raise _error("corrupt", file, "word/document.xml", _shorten(f"{type(error).__name__}: {error}", 100),
                     "DOCX") from None
    docx = read_docx(opened)
    if docx.tracked:
        first = docx.tracked[0]
        more = f" (+{len(docx.tracked) - 1})" if len(docx.tracked) > 1 else ""
        found = f"{first.kind} “{_shorten(first.text, 40)}”{more}" if first.text else f"{first.kind}{more}"
        raise _error("tracked_changes", file, f"page {first.page}, paragraph {first.paragraph}", found, "0")
    texts = clean_pages(docx.pages, running=False)
    if not any(texts):
        raise _error("empty", file, _pages_label(list(range(1, len(texts) + 1))), "0", "1")
    pages = [_withhold(n, text, "\n".join(docx.pages[n - 1])) for n, text in enumerate(texts, start=1)]
    return pages, docx.metadata


def extract_document(content: bytes, *, file: str) -> Document:
    """The document's cleaned pages and metadata; ``ReaderError("documents.<rule>")`` if it cannot be read."""
    shown = safe_text(file)
    if not content or not content.strip():
        raise _error("empty", shown, "byte 1", f"{len(content)} byte", "1")
    if PDF_MAGIC in content[:1024]:      # the PDF header may follow up to 1 KB of junk (ISO 32000 allows it)
        fmt, extractor = "pdf", f"pdfplumber {version('pdfplumber')}"
        pages, metadata = _extract_pdf(content, shown)
    elif content.startswith(ZIP_MAGIC):
        fmt, extractor = "docx", f"python-docx {version('python-docx')}"
        pages, metadata = _extract_docx(content, shown)
    else:
        raise _error("not_a_document", shown, "byte 1", _what_it_is(content), EXPECTED_FORMATS)
    metadata = {key: safe_text(value) for key, value in metadata.items()}
    return Document(sha256=hashlib.sha256(content).hexdigest(), file_name=shown, format=fmt, pages=tuple(pages),
                    title=_title(metadata, pages), metadata=metadata, extractor=extractor)
