"""The shipped illustrative agency documents (issue 10, item 8): data/generate_agency_documents.py.

What a user of the demo relies on: the generator writes the same bytes on every run (and the shipped
files are what it writes), every page of every document says it is an illustrative example, there are
PDF and DOCX documents from at least six agencies, and the answer key points at pages that really
carry the planted mention of a measure the agency is responsible for.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml
from docx import Document as DocxDocument
from docx.oxml.ns import qn
from pypdf import PdfReader

from indicators.programme.identity_numbers import find_identity_numbers
from indicators.programme.provenance import report_provenance
from indicators.programme.register import load_register, measures_for
from indicators.programme.store import store_register

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHIPPED = DATA / "documents"
SCRIPT = DATA / "generate_agency_documents.py"
MARKER = "Illustrativt exempel"
STATUSES = {"genomford", "pagaende", "ej_paborjad", "under_beredning", "utgatt"}


def _run(out: Path) -> dict[str, bytes]:
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, cwd=ROOT, capture_output=True)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _documents() -> list[Path]:
    return sorted(p for p in SHIPPED.iterdir() if p.suffix in (".pdf", ".docx"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def docx_pages(content: bytes) -> list[str]:
    """The body's text per page, pages ending at explicit page breaks (the generator inserts them)."""
    body = DocxDocument(io.BytesIO(content)).element.body
    pages, current = [], []
    for element in body.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:p")):
        if element.tag == qn("w:t"):
            current.append(element.text or "")
        elif element.tag == qn("w:tab"):
            current.append("\t")
        elif element.tag == qn("w:p"):
            current.append("\n")
        elif element.get(qn("w:type")) == "page":
            pages.append("".join(current))
            current = []
    pages.append("".join(current))
    return pages


def pages_of(path: Path) -> list[str]:
    content = path.read_bytes()
    return pdf_pages(content) if path.suffix == ".pdf" else docx_pages(content)


@pytest.fixture(scope="module")
def key() -> dict:
    return yaml.safe_load((SHIPPED / "answer_key.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def register():
    return load_register(DATA)


def test_generator_is_deterministic_and_the_shipped_files_are_its_output(tmp_path):
    first, second = _run(tmp_path / "one"), _run(tmp_path / "two")
    assert first == second
    assert first == {p.name: p.read_bytes() for p in sorted(SHIPPED.iterdir())}


def test_at_least_six_agencies_in_both_formats_each_marked_illustrative(key):
    documents = _documents()
    formats = [p.suffix for p in documents]
    assert formats.count(".pdf") >= 2 and formats.count(".docx") >= 2
    assert len({p.name.split("_")[0] for p in documents}) >= 6
    for path in documents:
        provenance = report_provenance(path)
        assert provenance.illustrative, path.name
        assert "generate_agency_documents.py" in (provenance.note or "")


def test_every_page_says_illustrative_example():
    for path in _documents():
        if path.suffix == ".pdf":
            pages = pdf_pages(path.read_bytes())
            assert len(pages) >= 6, path.name
            missing = [n for n, text in enumerate(pages, start=1) if MARKER not in text]
            assert not missing, f"{path.name}: pages without the marker: {missing}"
        else:
            # Word repeats a section's header and footer on each of its pages; every section has them.
            doc = DocxDocument(io.BytesIO(path.read_bytes()))
            for number, section in enumerate(doc.sections, start=1):
                for part in (section.header, section.footer):
                    assert MARKER in " ".join(p.text for p in part.paragraphs), f"{path.name} section {number}"
            assert MARKER in docx_pages(path.read_bytes())[0]       # and the cover says it in the body
            assert len(docx_pages(path.read_bytes())) >= 6, path.name


def test_documents_look_like_reports():
    """Cover with the agency and the title, a table of contents, a chapter on the programme, a table."""
    for path in _documents():
        pages = pages_of(path)
        assert "Årsredovisning 2025" in pages[0] or "Återrapportering av regeringsuppdrag" in pages[0]
        assert "Innehåll" in pages[1]
        assert any("Regeringsuppdrag och åtgärdsprogrammet" in text for text in pages[2:])
        assert not [n for n, text in enumerate(pages, 1) if find_identity_numbers(text)], path.name
        if path.suffix == ".docx":
            doc = DocxDocument(io.BytesIO(path.read_bytes()))
            assert doc.tables, path.name
            xml = doc.element.body.xml
            assert 'w:num="2"' in xml, f"{path.name} has no two-column section"
            assert "nextPage" not in xml and "evenPage" not in xml and "oddPage" not in xml  # pages = page breaks
        else:
            assert "Sida 3" in pages[2]                                   # page numbers


def test_answer_key_rows_name_an_agency_measure_on_a_page_that_carries_it(key, register):
    pages = {p.name: pages_of(p) for p in _documents()}
    rows = key["mentions"]
    assert {r["kind"] for r in rows} == {"measure_id", "reference", "title"}
    for row in rows:
        where = f"{row['file']} p. {row['page']} {row['measure_id']}"
        assert row["file"] in pages, where
        assert row["measure_id"] in {m.id for m in measures_for(register, row["agency"])}, where
        assert row["file"].startswith(row["agency"] + "_"), where
        assert row["status"] in STATUSES, where
        assert 1 <= row["page"] <= len(pages[row["file"]]), where
        text = _squash(pages[row["file"]][row["page"] - 1])
        if row["kind"] == "measure_id":
            assert row["measure_id"].casefold() in text, where
        elif row["kind"] == "reference":
            reference = register.measures[row["measure_id"]].reference
            assert reference and row["reference"] == reference and reference.casefold() in text, where
            assert row["measure_id"].casefold() not in text, where
        else:
            assert row["words"] and all(word.casefold() in text for word in row["words"]), where
            assert row["measure_id"].casefold() not in text, where


def test_planted_cases(key, register):
    rows = key["mentions"]
    # Reported completed in the submission, not supported by the document: 2–3 such measures.
    unsupported = key["reported_completed_no_evidence"]
    assert 2 <= len(unsupported) <= 3
    assert {u["document_says"] for u in unsupported} >= {"nothing", "pagaende"}
    for case in unsupported:
        assert case["reported_status"] == "genomford"
        said = [r for r in rows if r["file"] == case["file"] and r["measure_id"] == case["measure_id"]]
        assert [r["status"] for r in said] == ([] if case["document_says"] == "nothing" else [case["document_says"]])
    # The collaboration assignment: its three parts for each of its four agencies.
    tasks = [t["id"] for t in register.collaboration_assignment["tasks"]]
    parts = {(r["agency"], r["task"]) for r in rows if r["task"]}
    assert parts == {(a, t) for a in register.collaboration_assignment["agencies"] for t in tasks}
    obstacles = [r for r in rows if r["task"] == "hinder_samverkan"]
    pages = {p.name: pages_of(p) for p in _documents()}
    for row in obstacles:
        text = _squash(pages[row["file"]][row["page"] - 1])
        assert "förslag:" in text and "vem bör agera:" in text
        for category in row["obstacle_categories"]:
            assert register.obstacle_categories[category]["label"]["sv"].casefold() in text
    # Distractors share title words with a measure of the agency but do not name it.
    assert len(key["distractors"]) == len(_documents())
    for row in key["distractors"]:
        text = _squash(pages[row["file"]][row["page"] - 1])
        measure = register.measures[row["shares_words_with"]]
        assert all(word.casefold() in text for word in row["words"]), row
        assert measure.id.casefold() not in text and (measure.reference or "§").casefold() not in text
        assert not [r for r in rows if r["file"] == row["file"] and r["page"] == row["page"]]


def test_register_reference_numbers(register, tmp_path):
    """Illustrative measures carry an invented diarienummer, the named ones none; warehouse keeps it."""
    references = [m.reference for m in register.measures.values() if m.illustrative]
    assert all(re.fullmatch(r"(Ju|S|U|A)20(24|25)/\d{5}", r or "") for r in references)
    assert len(set(references)) == len(references)
    assert all(m.reference is None for m in register.measures.values() if not m.illustrative)
    assert all("diarienummer" in m.note for m in register.measures.values() if m.illustrative)
    assert register.measures["A092"].reference.startswith("Ju")              # Åklagarmyndigheten: justice

    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    store_register(conn, register)
    stored = dict(conn.execute("select measure_id, reference from programme.measures").fetchall())
    assert stored == {m.id: m.reference for m in register.measures.values()}

    broken = tmp_path / "data"
    shutil.copytree(DATA / "programme", broken / "programme")
    path = broken / "programme" / "measures.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"reference: {references[0]}", "reference: Ju2024-1234", 1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"measures.yaml: A014: reference must be a diarienummer"):
        load_register(broken)
