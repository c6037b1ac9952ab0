"""DOCX pages as lines, from the document body's XML in order (paragraphs and tables).

A DOCX file has no pages, only hints of where Word broke them when it last laid the document out. A
new page starts at an explicit page break (``w:br w:type="page"``), at a paragraph marked
``w:pageBreakBefore``, at Word's ``w:lastRenderedPageBreak``, and after a section break that starts a
new page (the *next* section's ``w:type`` is ``nextPage`` (the default), ``oddPage`` or ``evenPage``,
not ``continuous``). A break that would open a page with nothing on it is ignored, since Word writes a
rendered break right after an explicit one. Headers, footers, footnotes and comments are separate
parts of the file and are not page text.

Why not python-docx's own text: ``Paragraph.text`` drops a page break without a trace (the text before
and after it is glued together), ``Paragraph.contains_page_break`` sees only rendered breaks, and
``row.cells`` repeats a merged cell once per grid column. python-docx opens and validates the package
and gives the core properties; the body is walked here.

Tracked changes (``w:ins``, ``w:del``, ``w:moveFrom``, ``w:moveTo``) are collected with their page and
paragraph: the caller refuses such a file, since which version is the agency's text is not ours to
decide.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import docx
from docx.oxml.ns import qn

_TRACKED = {qn("w:ins"): "w:ins", qn("w:del"): "w:del", qn("w:moveFrom"): "w:moveFrom", qn("w:moveTo"): "w:moveTo"}
_SKIP = {qn("w:pPr"), qn("w:rPr"), qn("w:sectPr"), qn("w:tblPr"), qn("w:trPr"), qn("w:tcPr"),
         "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
PYTHON_DOCX_DEFAULT_CREATED = "2013-12-23"      # python-docx's template date: not the document's


@dataclass
class TrackedChange:
    kind: str
    page: int
    paragraph: int
    text: str


@dataclass
class DocxContent:
    pages: list[list[str]]
    metadata: dict[str, str] = field(default_factory=dict)
    tracked: list[TrackedChange] = field(default_factory=list)


class _Walker:
    def __init__(self) -> None:
        self.pages: list[list[str]] = [[]]
        self.current: list[str] = []          # text pieces of the line being read
        self.paragraph = 0
        self.tracked: list[TrackedChange] = []
        self.section_breaks: dict = {}        # a paragraph's w:sectPr -> whether the next section starts a page

    def end_line(self) -> None:
        line = "".join(self.current).strip()
        if line:
            self.pages[-1].append(line)
        self.current = []

    def new_page(self) -> None:
        self.end_line()
        if self.pages[-1]:                    # never open a page while the current one is empty
            self.pages.append([])

    def text_of(self, element) -> str:
        return "".join(t.text or "" for t in element.iter(qn("w:t"), qn("w:delText")))

    def inline(self, element) -> None:
        """The pieces of a paragraph (runs, hyperlinks, fields, text boxes) in document order."""
        for child in element:
            tag = child.tag
            if tag in _SKIP:
                if tag in (qn("w:pPr"), qn("w:rPr")):
                    for mark in child.iter(*_TRACKED):       # a tracked paragraph mark
                        self.tracked.append(TrackedChange(_TRACKED[mark.tag], len(self.pages), self.paragraph, ""))
                continue
            if tag in _TRACKED:
                self.tracked.append(TrackedChange(_TRACKED[tag], len(self.pages), self.paragraph,
                                                  self.text_of(child)))
            if tag == qn("w:t"):
                self.current.append(child.text or "")
            elif tag == qn("w:tab") or tag == qn("w:ptab"):
                self.current.append(" ")
            elif tag == qn("w:noBreakHyphen"):
                self.current.append("-")
            elif tag == qn("w:br"):
                if child.get(qn("w:type")) == "page":
                    self.new_page()
                else:
                    self.end_line()
            elif tag == qn("w:cr"):
                self.end_line()
            elif tag == qn("w:lastRenderedPageBreak"):
                self.new_page()
            elif tag == qn("w:p"):                          # a paragraph inside a text box
                self.end_line()
                self.inline(child)
                self.end_line()
            else:
                self.inline(child)

    def paragraph_element(self, p) -> None:
        self.paragraph += 1
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            before = ppr.find(qn("w:pageBreakBefore"))
            if before is not None and before.get(qn("w:val"), "true") not in ("false", "0", "off"):
                self.new_page()
        self.inline(p)
        self.end_line()
        section = ppr.find(qn("w:sectPr")) if ppr is not None else None
        if section is not None and self.section_breaks.get(section, True):
            self.new_page()

    def table(self, tbl) -> None:
        """One line per row: each cell's text once (a merged cell is one ``w:tc``), cells in order."""
        for tr in tbl.iter(qn("w:tr")):
            if tr.getparent() is not tbl:
                continue                                     # rows of a nested table come with its cell
            cells = []
            for tc in tr.findall(qn("w:tc")):
                walker = _Walker()
                walker.paragraph = self.paragraph
                walker.section_breaks = self.section_breaks
                walker.block(tc)
                self.paragraph = walker.paragraph
                self.tracked.extend(TrackedChange(c.kind, len(self.pages), c.paragraph, c.text)
                                    for c in walker.tracked)
                cells.append(" ".join(line for page in walker.pages for line in page))
            line = " ".join(c for c in cells if c)
            if line:
                self.end_line()
                self.pages[-1].append(line)

    def block(self, container) -> None:
        for child in container:
            if child.tag == qn("w:p"):
                self.paragraph_element(child)
            elif child.tag == qn("w:tbl"):
                self.table(child)
            elif child.tag == qn("w:sdt"):                  # content control: its content, in place
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self.block(content)
            elif child.tag == qn("w:customXml"):            # custom XML markup around paragraphs
                self.block(child)
            elif child.tag in _TRACKED:                      # a tracked change around whole paragraphs
                self.tracked.append(TrackedChange(_TRACKED[child.tag], len(self.pages), self.paragraph + 1,
                                                  self.text_of(child)))
                self.block(child)


def _section_breaks(body) -> dict:
    """For each section break, whether it starts a new page.

    A ``w:sectPr`` ends its section, but its ``w:type`` says how *that* section began; whether the break
    after it starts a page is told by the next section's type (the next ``w:sectPr``, or the body's last).
    """
    sections = list(body.iter(qn("w:sectPr")))
    breaks = {}
    for this, following in zip(sections, sections[1:], strict=False):
        kind = following.find(qn("w:type"))
        breaks[this] = kind is None or kind.get(qn("w:val"), "nextPage") != "continuous"
    return breaks


def _metadata(document) -> dict[str, str]:
    props = document.core_properties
    out: dict[str, str] = {}
    for name in ("title", "author", "subject", "keywords", "last_modified_by"):
        value = getattr(props, name, None)
        if isinstance(value, str) and value.strip() and not (name == "author" and value == "python-docx"):
            out[name] = value.strip()
    for name, attr in (("created", "created"), ("modified", "modified")):
        value = getattr(props, attr, None)
        if value is not None and value.date().isoformat() != PYTHON_DOCX_DEFAULT_CREATED:
            out[name] = value.date().isoformat()
    return out


def open_docx(content: bytes):
    """The python-docx document; raises what python-docx raises for a file it cannot open.

    ``ValueError`` naming the content type for a zip that is no Word document (a .docm, a workbook),
    ``KeyError``, ``PackageNotFoundError`` or an lxml error for a damaged package.
    """
    return docx.Document(io.BytesIO(content))


def read_docx(document) -> DocxContent:
    """The body's pages of lines, the core properties and the tracked changes (module docstring)."""
    walker = _Walker()
    walker.section_breaks = _section_breaks(document.element.body)
    walker.block(document.element.body)
    walker.end_line()
    pages = walker.pages
    while len(pages) > 1 and not pages[-1]:
        pages.pop()
    return DocxContent(pages, _metadata(document), walker.tracked)
