"""Write an illustrative filled evidence review: data/reviews/granskning_2025.xlsx (issue 10, item 3).

    .venv/bin/python data/generate_review.py

Everything in it is invented (BRIEF.md §12). It is what the review step would look like after an
analyst has worked through part of the review workbook for 2025, so that the pipeline and the measure
pages can show assessed statuses that cite a document and page:

1. the shipped illustrative agency documents in ``data/documents/`` are read with
   ``indicators.documents.extract.extract_document`` and recognised (agency, year) with
   ``indicators.documents.recognise.recognise``, as the ``evidence/documents`` asset does;
2. ``indicators.evidence.finder.find_candidates`` finds the passages per measure, as
   ``evidence/candidates`` does;
3. the statuses the agencies reported for 2025 are read from the shipped illustrative submissions in
   ``data/submissions/`` (``read_submission``), the first agency in the register's order per measure;
4. ``indicators.evidence.review.write_review_workbook`` writes the workbook, and a *simulated analyst*
   fills it in, by rules, not judgement (``decide``): the best passage of a measure with a finder score of
   at least ``ACCEPT_SCORE`` and a suggested status gets that status; a best passage scoring below
   ``REJECT_SCORE``, or suggesting no status, gets "Inte underlag"; every ``NO_EVIDENCE_EVERY``-th measure
   without any passage gets "Inte underlag" (no evidence found); the rest is left blank (not reviewed).
   A few decisions carry a comment saying they are illustrative. The reviewer is "Illustrativ granskare".

Beside it ``granskning_2025.xlsx.provenance.yaml`` says ``reliability: illustrative``: the decisions
asset then marks every decision illustrative, and every assessed status from it carries [ill.].
A real analyst's review comes without one.

The bytes are the same on every run (the finder and the rules are deterministic; document dates and
zip timestamps are fixed to ``REVIEWED``), and the script reads the filled workbook back with
``read_review_workbook`` before it writes it.
"""

from __future__ import annotations

import hashlib
import io
import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from indicators.evidence.review import (  # noqa: E402
    COMMENT_COLUMN,
    DECISION_COLUMN,
    FIRST_ROW,
    KEY_CHECK_COLUMN,
    REVIEWER_COLUMN,
    SHEET_REVIEW,
    read_review_workbook,
    review_rows,
    write_review_workbook,
)
from indicators.programme.register import load_register  # noqa: E402
from indicators.xlsx_bytes import workbook_to_bytes  # noqa: E402

DATA = ROOT / "data"
OUT = DATA / "reviews" / "granskning_2025.xlsx"
YEAR = 2025
REVIEWED = datetime(2026, 3, 2)          # when the simulated analyst saved the file
TODAY = date(2026, 3, 2)                 # the latest status date the submissions may carry
ACCEPT_SCORE = 0.6                       # the finder's score from which the simulated analyst accepts
REJECT_SCORE = 0.3                       # … and below which the best passage is marked "not evidence"
NO_EVIDENCE_EVERY = 4                    # every 4th measure without any passage: "no evidence found"
COMMENT_EVERY = 5                        # a comment on every 5th decision
REVIEWER = "Illustrativ granskare"
DOCUMENT_SUFFIXES = (".pdf", ".docx")
PROVENANCE = """\
# Provenance of granskning_2025.xlsx: an illustrative filled evidence review, not a real analyst's.
# Written by data/generate_review.py.
data_file: granskning_2025.xlsx
reliability: illustrative
demo_data: true
generated_by: data/generate_review.py
note: >-
  Illustrativ granskning: besluten är fyllda efter fasta regler av ett skript (data/generate_review.py),
  inte av en analytiker. / Illustrative review: the decisions are filled by fixed rules by a script,
  not by an analyst.
"""


def document_pages(register) -> tuple[pd.DataFrame, dict[str, str]]:
    """The finder's pages of every shipped document, and sha256 → file name."""
    from indicators.documents.extract import extract_document
    from indicators.documents.recognise import recognise

    rows, names = [], {}
    for path in sorted(p for p in (DATA / "documents").iterdir() if p.suffix in DOCUMENT_SUFFIXES):
        document = extract_document(path.read_bytes(), file=path.name)
        recognition = recognise(document, register.agencies)
        names[document.sha256] = path.name
        rows += [{"document_sha256": document.sha256, "agency_id": recognition.agency_id,
                  "year": recognition.year, "page": page.number, "text": page.text, "illustrative": True}
                 for page in document.pages if page.text is not None]
    return pd.DataFrame(rows), names


def finder_measures(register) -> pd.DataFrame:
    return pd.DataFrame([{"measure_id": m.id, "title_sv": m.title["sv"], "reference": m.reference,
                          "agencies": list(m.agencies)} for m in register.measures.values()])


def reported_statuses(register) -> dict[str, tuple[str, bool]]:
    """Measure → (status reported for YEAR, illustrative): the first agency in the register's order."""
    from indicators.programme.submission import is_submission, read_submission

    by_agency: dict[str, dict[str, str]] = {}
    for path in sorted((DATA / "submissions").glob(f"*_{YEAR}.*")):
        content = path.read_bytes()
        if path.suffix not in (".xlsx", ".csv") or not is_submission(content, path.name):
            continue
        try:
            submission = read_submission(content, file=path.name, register=register, today=TODAY)
        except Exception:   # noqa: BLE001 - the shipped refused example is refused here too
            continue
        by_agency[submission.agency_id] = {m.measure_id: m.status for m in submission.measures}
    out = {}
    for measure in register.measures.values():
        for agency in measure.agencies:
            if measure.id in by_agency.get(agency, {}):
                out[measure.id] = (by_agency[agency][measure.id], True)
                break
    return out


def decide(rows: pd.DataFrame, labels: dict[str, str], not_evidence: str) -> dict[int, tuple[str, str | None]]:
    """The simulated analyst's decisions by sheet row: (decision label, comment or None)."""
    decisions: dict[int, tuple[str, str | None]] = {}
    without = 0
    for index, row in enumerate(rows.to_dict("records")):
        sheet_row = FIRST_ROW + index
        if pd.isna(row["document_sha256"]):
            without += 1
            if without % NO_EVIDENCE_EVERY == 0:
                decisions[sheet_row] = (not_evidence, "Illustrativt: inget stycke hittades i dokumenten.")
            continue
        if int(row["rank"]) != 1:
            continue
        score, suggested = float(row["score"]), str(row["suggested_status"])
        if score >= ACCEPT_SCORE and suggested in labels and suggested != "okand":
            decisions[sheet_row] = (labels[suggested], None)
        elif score < REJECT_SCORE or suggested == "okand":
            decisions[sheet_row] = (not_evidence, "Illustrativt: stycket visar inte åtgärdens status.")
    for n, sheet_row in enumerate(sorted(decisions)):
        decision, comment = decisions[sheet_row]
        if comment is None and n % COMMENT_EVERY == 0:
            decisions[sheet_row] = (decision, "Illustrativt beslut: förslaget godtaget efter läsning av sidan.")
    return decisions


def main() -> None:
    from indicators.evidence.finder import find_candidates
    from indicators.i18n import t

    register = load_register(DATA)
    pages, names = document_pages(register)
    pages = pages[pages["year"] == YEAR]
    candidates = find_candidates(pages, finder_measures(register))
    rows = review_rows(register, candidates, reported=reported_statuses(register), document_names=names)
    content = write_review_workbook(rows, year=YEAR, register=register)

    labels = {code: entry["label"]["sv"] for code, entry in register.statuses.items()}
    decisions = decide(rows, labels, t("evidence_review.not_evidence", "sv"))
    wb = load_workbook(io.BytesIO(content))
    ws = wb[SHEET_REVIEW]
    for sheet_row, (decision, comment) in decisions.items():
        assert ws.cell(sheet_row, KEY_CHECK_COLUMN).value, sheet_row
        ws.cell(sheet_row, DECISION_COLUMN, decision)
        ws.cell(sheet_row, COMMENT_COLUMN, comment)
        ws.cell(sheet_row, REVIEWER_COLUMN, REVIEWER)
    filled = workbook_to_bytes(wb, REVIEWED)
    read = read_review_workbook(filled, file=OUT.name, register=register, year=YEAR)
    assert len(read) == len(decisions), (len(read), len(decisions))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(filled)
    OUT.with_name(OUT.name + ".provenance.yaml").write_text(PROVENANCE, encoding="utf-8")
    counts = read["decision"].value_counts().to_dict()
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} rows, {int(rows['document_sha256'].notna().sum())} passages, "
          f"{len(read)} decisions {counts}, sha256 {hashlib.sha256(filled).hexdigest()[:12]}")


if __name__ == "__main__":
    main()
