"""Which PDF text extractor to use for agency documents: pypdf, pdfplumber or pypdfium2 (docs/documents.md).

    .venv/bin/python benchmarks/document_extractors.py [--pages 40] [--repeat 5] [--json out.json]

Builds sample reports with fpdf2 the way office software lays them out: a cover, a two-column page drawn
column by column, the same page drawn row by row (left line 1, right line 1, …, as many layout programs
write it), a running header and a footer "Sida n av m" on every page but the cover, a table, hyphenated
line ends, å ä ö, words set apart without space characters, and ligature glyphs (ﬁ ﬂ ﬀ, with DejaVu Sans
when the machine has it). Each library's plain text is checked for what cleaning needs: columns in
reading order, header and footer on lines of their own, the hyphen at the line end followed by the rest
of the word on the next line, a table row on one line, Swedish letters intact, ligatures as letters.
``ours`` is ``indicators.documents.extract.extract_document`` (pdfplumber words + our columns and
cleaning), checked for the cleaned result. Time per page is the median of ``--repeat`` runs over a
``--pages`` document. For DOCX, python-docx's own text (``iter_inner_content``, ``Paragraph.text``,
``row.cells``) is compared with ours on a report with a page break after every page, a merged table cell
and a header.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path

import docx
import pdfplumber
import pypdf
import pypdfium2
from docx.enum.text import WD_BREAK
from fpdf import FPDF, FontFace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from indicators.documents.extract import extract_document  # noqa: E402

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
HEADER = "Polismyndigheten – Årsredovisning 2025"
LEFT = ["Myndigheten har under året ut-", "vecklat arbetet mot våld i nära rela-", "tioner. Utbildningen har genom-",
        "förts i samtliga regioner och når", "nu även hbtqi-personer som utsatts", "för våld. Åtgärd A012 är slutredo-",
        "visad och resultatet följs upp."]
RIGHT = ["Högerspalten börjar här. Myndig-", "heten har fortsatt samverkan med", "kommunerna i Örebro och Västerås.",
         "Arbetet med riskbedömningar på-", "går och en ny rutin planeras till", "nästa år (Ju2024/01234)."]
LIGATURES = ["Eﬀekterna av ﬁnansieringen", "är ﬂera och tydliga."]
TIGHT = "Uppdraget har slutredovisats till Regeringskansliet."


class _Report(FPDF):
    font = "helvetica"
    total = 0

    def header(self):
        if self.page_no() > 1:
            self.set_font(self.font, size=8)
            self.set_xy(15, 10)
            self.cell(0, 5, HEADER if self.font != "helvetica" else HEADER.replace("–", "-"))

    def footer(self):
        if self.page_no() > 1:
            self.set_font(self.font, size=8)
            self.set_xy(15, -15)
            self.cell(0, 5, f"Sida {self.page_no()} av {self.total}", align="R")


def _columns(pdf: _Report, left: list[str], right: list[str], *, row_by_row: bool) -> None:
    pdf.set_font(pdf.font, size=10)
    order = ([(i, x, col) for i in range(max(len(left), len(right))) for x, col in ((15, left), (110, right))]
             if row_by_row else [(i, x, col) for x, col in ((15, left), (110, right)) for i in range(len(col))])
    for i, x, column in order:
        if i < len(column):
            pdf.set_xy(x, 35 + i * 6)
            pdf.cell(85, 6, column[i])


def sample_pdf(pages: int = 5) -> bytes:
    """Cover, then pages cycling: columns (column order), columns (row order), table, ligatures, tight words."""
    pdf = _Report(format="A4")
    pdf.total = pages
    if DEJAVU.is_file():
        pdf.add_font("dejavu", fname=str(DEJAVU))
        pdf.font = "dejavu"
    pdf.add_page()
    pdf.set_font(pdf.font, size=24)
    pdf.set_xy(15, 60)
    pdf.cell(0, 12, "Polismyndigheten")
    pdf.set_xy(15, 80)
    pdf.cell(0, 12, "Årsredovisning 2025")
    for number in range(2, pages + 1):
        pdf.add_page()
        kind = (number - 2) % 5
        if kind in (0, 1):
            _columns(pdf, LEFT, RIGHT, row_by_row=kind == 1)
        elif kind == 2:
            pdf.set_font(pdf.font, size=10)
            pdf.set_xy(15, 40)
            with pdf.table(col_widths=(60, 30, 30), width=120, align="L",
                           headings_style=FontFace(emphasis="")) as table:
                for row in (("Region", "Insatser", "Andel"), ("Stockholm", "1 250", "4,7 %"), ("Väst", "830", "3,1 %")):
                    cells = table.row()
                    for cell in row:
                        cells.cell(cell)
        elif kind == 4:                  # words placed 2.6 pt apart with no space characters (TeX, justified)
            pdf.set_font(pdf.font, size=10)
            x = 20.0
            for word in TIGHT.split():
                pdf.set_xy(x, 40)
                pdf.cell(pdf.get_string_width(word), 6, word)
                x += pdf.get_string_width(word) + 0.9
        else:
            lines = LIGATURES if pdf.font == "dejavu" else ["Effekterna av finansieringen", "är flera och tydliga."]
            _columns(pdf, lines + ["Räkenskapsåret avslutades.", "Fjärde raden."],
                     ["Kvinnofrid är målet för", "åtgärderna i programmet.", "Tredje raden.", "Fjärde raden."],
                     row_by_row=False)
    return bytes(pdf.output())


def _pypdf(content: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def _pypdf_layout(content: bytes) -> list[str]:
    return [page.extract_text(extraction_mode="layout") for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def _pdfplumber(content: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return [page.extract_text() for page in pdf.pages]


def _pypdfium2(content: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(content)
    try:
        return [document[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(document))]
    finally:
        document.close()


def _ours(content: bytes) -> list[str]:
    return [page.text or "" for page in extract_document(content, file="sample.pdf").pages]


EXTRACTORS = {"pypdf": _pypdf, "pypdf (layout)": _pypdf_layout, "pdfplumber": _pdfplumber,
              "pypdfium2": _pypdfium2, "ours": _ours}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n")]


def _in_order(text: str) -> bool:
    """The left column read to its end before the right one starts (and no right text inside it)."""
    a, b = text.find("resultatet följs upp."), text.find("Högerspalten börjar här.")
    return 0 <= a < b and text.find("kommunerna i Örebro") > b


def checks(name: str, pages: list[str]) -> dict[str, bool]:
    column_order, row_order, table, ligatures, tight = pages[1], pages[2], pages[3], pages[4], pages[5]
    flat = [line for page in pages for line in _lines(page)]
    if name == "ours":
        header_ok = not any("Årsredovisning 2025" in line for line in flat[2:]) and "Sida" not in "".join(pages)
        hyphen_ok = "genomförts" in column_order and "hbtqi-personer" in column_order and "genom-" not in column_order
    else:
        header_ok = HEADER.replace("–", "-") in flat or HEADER in flat
        hyphen_ok = any(a.endswith("genom-") and b.startswith("förts") for a, b in zip(flat, flat[1:], strict=False))
    return {
        "columns, drawn column by column": _in_order(column_order),
        "columns, drawn row by row": _in_order(row_order),
        "header/footer on own lines" if name != "ours" else "header/footer removed": header_ok,
        "line-end hyphen recoverable" if name != "ours" else "hyphens joined": hyphen_ok,
        "table row on one line": "Stockholm 1 250 4,7 %" in _lines(table),
        "å ä ö intact": "Örebro och Västerås" in column_order,
        "ligatures as letters": "Effekterna av finansieringen" in ligatures,
        "words without space characters apart": TIGHT in tight,
    }


def sample_docx(pages: int) -> bytes:
    """A Word report: per page a heading, a paragraph, a table with a merged cell, then a page break."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Sidhuvud Socialstyrelsen"
    for number in range(1, pages + 1):
        document.add_paragraph(f"Avsnitt {number}")
        document.add_paragraph("Socialstyrelsen har genomfört utbildningen i samtliga regioner.")
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Åtgärd", "Status"
        table.cell(1, 0).text = "A012 Genomförd"
        table.cell(1, 0).merge(table.cell(1, 1))
        if number < pages:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _python_docx(content: bytes) -> list[str]:
    """python-docx's own view: paragraphs and tables in body order, one text (it has no pages)."""
    document = docx.Document(io.BytesIO(content))
    parts = []
    for item in document.iter_inner_content():
        if hasattr(item, "rows"):
            parts.extend(" ".join(cell.text for cell in row.cells) for row in item.rows)
        else:
            parts.append(item.text)
    return ["\n".join(parts)]


def _ours_docx(content: bytes) -> list[str]:
    return [page.text or "" for page in extract_document(content, file="sample.docx").pages]


def docx_results(pages: int, repeat: int) -> dict:
    content = sample_docx(pages)
    results = {}
    for name, extract in (("python-docx", _python_docx), ("ours", _ours_docx)):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            out = extract(content)
            times.append(time.perf_counter() - start)
        text = "\n".join(out)
        results[name] = {"checks": {
            f"{pages} pages": len(out) == pages,
            "merged cell once": "A012 Genomförd A012 Genomförd" not in text and "A012 Genomförd" in text,
            "header not in text": "Sidhuvud" not in text,
            "table after its paragraph": text.find("samtliga regioner") < text.find("Åtgärd Status"),
        }, "ms_per_page": round(1000 * statistics.median(times) / pages, 2)}
    return results


def _table(results: dict) -> None:
    names = list(next(iter(results.values()))["checks"])
    print("| check | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for i, check in enumerate(names):
        cells = [("yes" if list(r["checks"].values())[i] else "**no**") for r in results.values()]
        print(f"| {check} | " + " | ".join(cells) + " |")
    print("| ms per page | " + " | ".join(f"{r['ms_per_page']}" for r in results.values()) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    sample, long = sample_pdf(6), sample_pdf(max(args.pages, 6))
    results = {}
    for name, extract in EXTRACTORS.items():
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            extract(long)
            times.append(time.perf_counter() - start)
        results[name] = {"checks": checks(name, extract(sample)),
                         "ms_per_page": round(1000 * statistics.median(times) / max(args.pages, 6), 2)}
    _table(results)
    print(f"\nPDF font: {'DejaVu Sans (ligature glyphs)' if DEJAVU.is_file() else 'Helvetica (no ligature glyphs)'}, "
          f"{max(args.pages, 6)} pages, median of {args.repeat}\n")
    word = docx_results(max(args.pages, 6), args.repeat)
    _table(word)
    if args.json:
        args.json.write_text(json.dumps({"pages": max(args.pages, 6), "repeat": args.repeat, "pdf": results,
                                         "docx": word}, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
