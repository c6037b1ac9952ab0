"""Agency documents (issue 10): text page by page from PDF and DOCX, bad input refused, recognition.

Every fixture document is made here, in ``tmp_path`` or in memory, with the same tools an agency's
office software stands in for: fpdf2 for PDFs (two columns drawn row by row, running header and
footer, a table, hyphenated line ends), python-docx for Word files (page and section breaks, a table,
a header), pypdf to encrypt, and zipfile to add tracked changes to a Word file.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from fpdf import FPDF, FontFace
from PIL import Image
from pypdf import PdfWriter

from indicators.documents.cleaning import join_hyphens, remove_running_lines
from indicators.documents.extract import Document, extract_document
from indicators.documents.recognise import recognise
from indicators.programme.register import load_register
from indicators.readers.model import ReaderError
from tests.conftest import PROJECT_ROOT, unavailable

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PERSONAL_NUMBER = "19121212-1212"          # Skatteverket's published test number (valid check digit)

LEFT = [
    "Myndigheten har under året ut-",
    "vecklat arbetet mot våld i nära rela-",
    "tioner. Utbildningen har genom-",
    "förts i samtliga regioner och når",
    "nu även hbtqi-personer som utsatts",
    "för våld. Åtgärd A012 är slutredo-",
    "visad och resultatet följs upp.",
]
RIGHT = [
    "Högerspalten börjar här. Myndig-",
    "heten har fortsatt samverkan med",
    "kommunerna i Örebro och Västerås.",
    "Arbetet med riskbedömningar på-",
    "går och en ny rutin planeras till",
    "nästa år (Ju2024/01234).",
]


class _Report(FPDF):
    """A report with the running header and footer office software puts on every page but the cover."""

    header_text = "Polismyndigheten - Årsredovisning 2025"

    def header(self):
        if self.page_no() > 1:
            self.set_font("helvetica", size=8)
            self.set_xy(15, 10)
            self.cell(0, 5, self.header_text)

    def footer(self):
        if self.page_no() > 1:
            self.set_font("helvetica", size=8)
            self.set_xy(15, -15)
            self.cell(0, 5, f"Sida {self.page_no()} av 5", align="R")


def _columns(pdf: FPDF, left: list[str], right: list[str], top: float = 35) -> None:
    """Two columns drawn row by row (left line 1, right line 1, …), as many layout programs draw them."""
    pdf.set_font("helvetica", size=10)
    for i in range(max(len(left), len(right))):
        for x, column in ((15, left), (110, right)):
            if i < len(column):
                pdf.set_xy(x, top + i * 6)
                pdf.cell(85, 6, column[i])


def _prose(pdf: FPDF, lines: list[str], top: float = 35) -> None:
    pdf.set_font("helvetica", size=10)
    for i, line in enumerate(lines):
        pdf.set_xy(15, top + i * 6)
        pdf.cell(180, 6, line)


def report_pdf(*, cover: tuple[str, ...] = ("Polismyndigheten", "Årsredovisning 2025"), title: str | None = None,
               author: str | None = None, page_four: list[str] | None = None) -> bytes:
    pdf = _Report(format="A4")
    pdf.set_creation_date(datetime(2026, 2, 20))
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.add_page()
    pdf.set_font("helvetica", size=24)
    for i, line in enumerate(cover):
        pdf.set_xy(15, 60 + 20 * i)
        pdf.cell(0, 12, line)
    pdf.add_page()
    _columns(pdf, LEFT, RIGHT)
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.set_xy(15, 30)
    pdf.cell(0, 8, "Tabell 3. Genomförda insatser per region")
    pdf.set_font("helvetica", size=10)
    pdf.set_xy(15, 42)
    with pdf.table(col_widths=(60, 30, 30), width=120, align="L", headings_style=FontFace(emphasis="")) as table:
        for row in (("Region", "Insatser", "Andel"), ("Stockholm", "1 250", "4,7 %"), ("Väst", "830", "3,1 %")):
            cells = table.row()
            for cell in row:
                cells.cell(cell)
    pdf.add_page()
    _prose(pdf, page_four or ["Kriminalvården och Polismyndigheten har genomfört utbildningar för EU-",
                              "medel. Arbetet riktar sig till hbtqi-",
                              "personer och till barn- och",
                              "ungdomsvården."])
    pdf.add_page()
    _prose(pdf, ["Sammanfattning. Resultaten redovisas i bilagan."])
    return bytes(pdf.output())


def _page(document: Document, number: int) -> str:
    return document.pages[number - 1].text


def _messages(error: ReaderError) -> tuple[str, str]:
    return error.message("sv"), error.message("en")


# ---------------------------------------------------------------------------------------------- PDF

def test_pdf_pages_are_read_in_order_with_columns_headers_hyphens_and_tables():
    document = extract_document(report_pdf(title="Årsredovisning 2025"), file="polisen_2025.pdf")

    assert document.format == "pdf" and len(document.pages) == 5
    assert document.extractor.startswith("pdfplumber ")
    two_columns = _page(document, 2)
    # the left column is read to its end before the right one begins, although drawn row by row
    assert two_columns.index("resultatet följs upp.") < two_columns.index("Högerspalten börjar här.")
    assert "arbetet mot våld i nära relationer." in two_columns
    # line-end hyphens joined, within a column and the compound hyphen that is written inside a line kept
    assert "under året utvecklat" in two_columns and "Utbildningen har genomförts" in two_columns
    assert "Åtgärd A012 är slutredovisad" in two_columns and "börjar här. Myndigheten" in two_columns
    assert "riskbedömningar pågår" in two_columns
    assert "hbtqi-personer" in two_columns and "genom-" not in two_columns
    assert "Örebro och Västerås" in two_columns         # å ä ö intact
    # running header and footer, and the page numbers, are gone; the cover keeps its words
    for page in document.pages[1:]:
        assert "Polismyndigheten - Årsredovisning" not in page.text
        assert "Sida" not in page.text
    assert _page(document, 1) == "Polismyndigheten\nÅrsredovisning 2025"
    # a table row is one line, cells in order
    assert "Stockholm 1 250 4,7 %" in _page(document, 3).split("\n")
    assert document.title == "Årsredovisning 2025"


def test_words_set_apart_without_space_characters_stay_apart():
    """Justified text from TeX and layout programs: no space glyphs, words 2–3 pt apart at 10 pt."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    x = 20.0
    for word in ("Uppdraget", "har", "slutredovisats", "till", "Regeringskansliet."):
        pdf.set_xy(x, 40)
        pdf.cell(pdf.get_string_width(word), 6, word)
        x += pdf.get_string_width(word) + 0.9              # 0.9 mm = 2.6 pt: under pdfplumber's default 3 pt
    document = extract_document(bytes(pdf.output()), file="tex.pdf")
    assert _page(document, 1) == "Uppdraget har slutredovisats till Regeringskansliet."


def test_hyphen_rules_keep_compounds_abbreviations_and_suspended_hyphens():
    document = extract_document(report_pdf(), file="rapport.pdf")
    text = _page(document, 4)
    assert "EU-medel." in text                          # abbreviation before the hyphen
    assert "hbtqi-personer" in text                     # the compound occurs inside a line on page 2
    assert "barn- och" in text                          # suspended compound: hyphen and space stay
    assert join_hyphens(["de har genom-", "förts"], set()) == ["de har genomförts"]
    assert join_hyphens(["Nord-", "Korea"], set()) == ["Nord-Korea"]


def test_running_lines_alternating_and_page_number_forms():
    pages = [["Rapport 2025", "Text ett", "3 (12)"], ["Kapitel", "Text två", "- 4 -"],
             ["Rapport 2025", "Text tre", "Page 5 of 12"], ["Kapitel", "Text fyra", "2025"]]
    assert remove_running_lines(pages) == [["Text ett"], ["Text två"], ["Text tre"], ["Text fyra", "2025"]]


def test_ligatures_come_out_as_letters():
    if not DEJAVU.is_file():
        unavailable(f"the DejaVu Sans font at {DEJAVU}")
    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(DEJAVU))
    pdf.add_page()
    pdf.set_font("dejavu", size=11)
    pdf.cell(0, 8, "Eﬀekterna av ﬁnansieringen är ﬂera – kvinnofrid i Malmö.")
    document = extract_document(bytes(pdf.output()), file="ligaturer.pdf")
    assert _page(document, 1) == "Effekterna av finansieringen är flera – kvinnofrid i Malmö."


# ---------------------------------------------------------------------------------------------- DOCX

def report_docx(*, tracked: bool = False, number: str | None = None) -> bytes:
    document = docx.Document()
    document.core_properties.title = "Återrapportering av regeringsuppdrag 2025"
    document.core_properties.author = "Socialstyrelsen"
    if number:
        document.core_properties.subject = f"Handläggare {number}"
    document.sections[0].header.paragraphs[0].text = "Sidhuvud Socialstyrelsen"
    document.sections[0].footer.paragraphs[0].text = "Sidfot 1"
    document.add_paragraph("Socialstyrelsen")
    document.add_paragraph("Återrapportering av uppdrag (S2024/03456) för 2025")
    paragraph = document.add_paragraph("Sista raden på första sidan.")
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    after = paragraph.add_run("Första raden på andra sidan.")     # Word renders a break here too: one page
    after._r.insert(0, after._r.makeelement(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lastRenderedPageBreak", {}))
    table = document.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate((("Åtgärd", "Status"), ("A012", "Genomförd"), ("A013", "Pågår"))):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    table.cell(2, 0).merge(table.cell(2, 1))
    document.add_paragraph("Efter tabellen." + (f" Kontakt: {number}." if number else ""))
    document.add_section(WD_SECTION.NEW_PAGE)
    document.add_paragraph("Tredje sidan efter avsnittsbrytning.")
    document.add_section(WD_SECTION.CONTINUOUS)
    document.add_paragraph("Fortfarande tredje sidan.")
    last = document.add_paragraph("Före den renderade brytningen.")
    rendered = last.add_run("Fjärde sidan enligt Word.")
    rendered._r.insert(0, rendered._r.makeelement(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lastRenderedPageBreak", {}))
    buffer = io.BytesIO()
    document.save(buffer)
    content = buffer.getvalue()
    if tracked:
        content = _with_tracked_change(content)
    return content


def _with_tracked_change(content: bytes) -> bytes:
    """The same file with an inserted sentence in "Efter tabellen." marked as a tracked insertion."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                insertion = ('<w:ins w:id="1" w:author="Handläggare" w:date="2026-01-10T10:00:00Z">'
                             '<w:r><w:t>Ny mening.</w:t></w:r></w:ins></w:p>')
                at = xml.index("Efter tabellen.")
                end = xml.index("</w:p>", at)
                data = (xml[:end] + insertion + xml[end + len("</w:p>"):]).encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


def test_docx_pages_from_page_section_and_rendered_breaks_and_tables_in_order():
    document = extract_document(report_docx(), file="sos_2025.docx")
    assert document.format == "docx" and document.extractor.startswith("python-docx ")
    assert [page.text.split("\n") for page in document.pages] == [
        ["Socialstyrelsen", "Återrapportering av uppdrag (S2024/03456) för 2025", "Sista raden på första sidan."],
        ["Första raden på andra sidan.", "Åtgärd Status", "A012 Genomförd", "A013 Pågår", "Efter tabellen."],
        ["Tredje sidan efter avsnittsbrytning.", "Fortfarande tredje sidan.", "Före den renderade brytningen."],
        ["Fjärde sidan enligt Word."],
    ]
    assert not any("Sidhuvud" in p.text or "Sidfot" in p.text for p in document.pages)
    assert document.metadata["author"] == "Socialstyrelsen"


def test_docx_with_tracked_changes_is_refused_naming_where():
    with pytest.raises(ReaderError) as caught:
        extract_document(report_docx(tracked=True), file="sos.docx")
    assert caught.value.key == "documents.tracked_changes"
    sv, en = _messages(caught.value)
    assert "sos.docx" in sv and "sida 2, stycke 10" in sv and "Ny mening." in sv and "Godkänn" in sv
    assert "page 2, paragraph 10" in en and "accept or reject" in en


# ----------------------------------------------------------------------------------------- bad input

def _scanned_pdf(pages: int, text_pages: int = 0) -> bytes:
    image = io.BytesIO()
    Image.new("L", (200, 280), 200).save(image, format="PNG")
    pdf = FPDF()
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.image(io.BytesIO(image.getvalue()), x=10, y=10, w=190)
        if number <= text_pages:
            _prose(pdf, [("Inskannad sida med textlager.", "Bilaga med text.")[number % 2]], top=150)
    return bytes(pdf.output())


def _error(content: bytes, name: str) -> ReaderError:
    with pytest.raises(ReaderError) as caught:
        extract_document(content, file=name)
    return caught.value


def test_encrypted_pdf_is_refused():
    writer = PdfWriter(clone_from=io.BytesIO(report_pdf()))
    writer.encrypt(user_password="hemligt", owner_password="ägare", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    error = _error(buffer.getvalue(), "låst.pdf")
    assert error.key == "documents.encrypted"
    sv, en = _messages(error)
    assert "låst.pdf" in sv and "lösenordsskyddad" in sv and "sida 1" in sv
    assert "password-protected" in en and "page 1" in en


def test_pdf_with_only_an_owner_password_is_read():
    writer = PdfWriter(clone_from=io.BytesIO(report_pdf()))
    writer.encrypt(user_password="", owner_password="ägare")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "Örebro" in _page(extract_document(buffer.getvalue(), file="skyddad.pdf"), 2)


def test_scanned_pdf_needs_ocr_and_is_never_an_empty_success():
    error = _error(_scanned_pdf(4, text_pages=1), "skannad.pdf")
    assert error.key == "documents.needs_ocr"
    sv, en = _messages(error)
    assert "ingen text: behöver OCR" in sv and "sidorna 2–4" in sv and "3/4" in sv
    assert "no text: needs OCR" in en and "pages 2–4" in en
    # a document with one image page among pages with text is read; the page without text is empty
    mostly_text = extract_document(_scanned_pdf(3, text_pages=2), file="bilaga.pdf")
    assert [p.text for p in mostly_text.pages] == ["Bilaga med text.", "Inskannad sida med textlager.", ""]


@pytest.mark.parametrize(("make", "key", "sv_words", "en_words"), [
    (lambda: report_pdf()[:1700], "documents.truncated", ["avkortad", "%%EOF"], ["truncated", "%%EOF"]),
    (lambda: b"%PDF-1.7\n" + b"\x00garbage" * 200 + b"\n%%EOF\n", "documents.corrupt", ["skadad"], ["damaged"]),
    (lambda: b"", "documents.empty", ["tomt", "0 byte"], ["empty"]),
    (lambda: bytes(_blank_pdf()), "documents.empty", ["tomt", "sidorna 1–2"], ["empty", "pages 1–2"]),
    (lambda: _empty_docx(), "documents.empty", ["tomt", "sida 1"], ["empty", "page 1"]),
    (lambda: b"Hej! Det h\xc3\xa4r \xc3\xa4r en textfil.", "documents.not_a_document", ["“Hej! Det här"],
     ["neither a PDF"]),
    (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "documents.not_a_document", [".doc"], [".doc"]),
    (lambda: _xlsx(), "documents.not_a_document", ["xl/workbook.xml", "DOCX"], ["xl/workbook.xml"]),
    (lambda: report_docx()[:3000], "documents.corrupt", ["skadad", "DOCX"], ["damaged"]),
])
def test_bad_input_is_refused_with_a_located_message(make, key, sv_words, en_words):
    error = _error(make(), "inskick.bin")
    assert error.key == key
    sv, en = _messages(error)
    assert "inskick.bin" in sv and "inskick.bin" in en
    for word in sv_words:
        assert word in sv
    for word in en_words:
        assert word in en


def _blank_pdf() -> bytearray:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_page()
    return pdf.output()


def _empty_docx() -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------ identity numbers

def test_a_page_with_a_personal_identity_number_is_withheld_and_the_number_is_nowhere():
    content = report_pdf(page_four=["Handläggare: Anna Andersson", f"personnummer {PERSONAL_NUMBER}",
                                    "Kontakta registratorn."])
    document = extract_document(content, file=f"rapport_{PERSONAL_NUMBER}.pdf")
    withheld = document.pages[3]
    assert withheld.text is None and withheld.withheld == "identity_number"
    assert withheld.masked == ("19121212-****",)
    assert document.pages_withheld == 1
    assert "Örebro" in _page(document, 2) and "Sammanfattning" in _page(document, 5)
    assert PERSONAL_NUMBER not in repr(document) and "1212-1212" not in repr(document)
    assert document.file_name == "rapport_19121212-****.pdf"

    docx_document = extract_document(report_docx(number="811218-9876"), file="sos.docx")
    assert docx_document.pages[1].withheld == "identity_number" and docx_document.pages[1].masked == ("811218-****",)
    assert docx_document.pages[0].text and "9876" not in repr(docx_document)
    assert docx_document.metadata["subject"] == "Handläggare 811218-****"


def test_a_number_in_an_error_is_masked():
    error = _error(b"not a document at all", f"{PERSONAL_NUMBER}.txt")
    assert PERSONAL_NUMBER not in error.message("sv") + error.message("en") + repr(error.args)


# -------------------------------------------------------------------------------------------- recognise

@pytest.fixture(scope="module")
def agencies():
    return load_register(DATA).agencies


def test_recognised_from_the_cover(agencies):
    document = extract_document(report_pdf(), file="dokument.pdf")
    result = recognise(document, agencies)
    assert (result.agency_id, result.year, result.doc_type, result.recognised_by) == \
        ("polisen", 2025, "arsredovisning", "text")
    docx_result = recognise(extract_document(report_docx(), file="x.docx"), agencies)
    assert (docx_result.agency_id, docx_result.year, docx_result.doc_type) == \
        ("socialstyrelsen", 2025, "aterrapportering")        # not 2024 from the reference S2024/03456


def test_recognised_from_metadata_when_the_cover_does_not_say(agencies):
    document = extract_document(report_pdf(cover=("Verksamheten i korthet",), title="Årsredovisning 2024",
                                           author="Kriminalvården"), file="dokument.pdf")
    result = recognise(document, agencies)
    assert (result.agency_id, result.year, result.doc_type, result.recognised_by) == \
        ("kriminalvarden", 2024, "arsredovisning", "metadata")


def test_recognised_from_the_file_name_when_text_and_metadata_are_silent(agencies):
    document = extract_document(report_pdf(cover=("Verksamheten i korthet",)), file="skolverket_2025.pdf")
    result = recognise(document, agencies)
    assert (result.agency_id, result.year, result.recognised_by) == ("skolverket", 2025, "file_name")


def test_overrides_win_and_say_cli(agencies):
    document = extract_document(report_pdf(), file="dokument.pdf")
    result = recognise(document, agencies, agency="Brå", year=2023)
    assert (result.agency_id, result.year, result.recognised_by) == ("bra", 2023, "cli")


def test_unknown_agency_and_year_name_what_was_looked_at(agencies):
    document = extract_document(report_pdf(cover=("Det var ett bra år", "Verksamhetsberättelse")),
                                file="okänd.pdf")
    with pytest.raises(ReaderError) as caught:
        recognise(document, agencies)               # "bra" is an ordinary word, not the agency Brå
    error = caught.value
    assert error.key == "documents.unknown_agency"
    sv, en = _messages(error)
    assert "sidorna 1–2, metadata" in sv and "Det var ett bra år" in sv and "Polismyndigheten" in sv
    assert "--agency" in sv and "pages 1–2, metadata" in en

    # Recognised agency, but no reporting year anywhere (the creation date is the last resort: remove it)
    undated = extract_document(report_pdf(cover=("Polismyndigheten", "Verksamhetsberättelse")), file="x.pdf")
    undated = Document(**{**undated.__dict__, "metadata": {}})
    with pytest.raises(ReaderError) as caught:
        recognise(undated, agencies)
    assert caught.value.key == "documents.unknown_year"
    assert "Årsredovisning 2025" in caught.value.message("sv") and "--year" in caught.value.message("en")
    with pytest.raises(ReaderError) as caught:
        recognise(document, agencies, agency="Okända verket")
    assert caught.value.location == "--agency"


def test_metadata_date_is_the_last_resort_for_the_year(agencies):
    document = extract_document(report_pdf(cover=("Polismyndigheten", "Verksamhetsberättelse")), file="x.pdf")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", document.metadata["created"])
    result = recognise(document, agencies)
    assert (result.agency_id, result.year, result.recognised_by) == ("polisen", 2026, "metadata")


def test_extractor_benchmark_runs_and_ours_passes_every_check(tmp_path):
    """benchmarks/document_extractors.py (docs/documents.md): tiny input, one repeat."""
    out = tmp_path / "report.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "document_extractors.py"), "--pages", "5",
                           "--repeat", "1", "--json", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert all(report["pdf"]["ours"]["checks"].values())
    assert all(report["docx"]["ours"]["checks"].values())
    assert not all(report["pdf"]["pdfplumber"]["checks"].values())     # why words and our columns are needed


def test_pages_turned_for_display_read_as_written():
    """A re-exported report often has pages turned with /Rotate (90° or 270°): their text must read as on
    the upright original, not as letters gathered across lines."""
    import io as _io

    from pypdf import PdfReader, PdfWriter

    original = (PROJECT_ROOT / "data" / "documents" / "polisen_arsredovisning_2025.pdf").read_bytes()
    writer = PdfWriter()
    for number, page in enumerate(PdfReader(_io.BytesIO(original)).pages, start=1):
        if number in (4, 6):
            page.rotate(90 if number == 4 else 270)
        writer.add_page(page)
    turned = _io.BytesIO()
    writer.write(turned)
    upright = extract_document(original, file="polisen.pdf")
    sideways = extract_document(turned.getvalue(), file="polisen_roterad.pdf")
    assert [p.text for p in sideways.pages] == [p.text for p in upright.pages]
    assert "Resultatredovisning" in sideways.pages[3].text
