"""Where a new file goes after validation: into its source's folder, or aside into quarantine.

Used by ``mvk ingest`` and the inbox sensor alike. A good file is copied (or, from the inbox, moved)
into ``DATA_DIR/sources/<id>/`` and appended to that folder's ledger, so the data folder stays the
single record of what the warehouse was built from. A bad file is put in ``DATA_DIR/quarantine/``
with a report beside it in Swedish and English; the warehouse is not touched.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from indicators.atomic import place_whole
from indicators.programme.identity_numbers import (
    FILE_NAME_LOCATION,
    refuse_identity_numbers,
    safe_file_name,
    safe_text,
    unsafe_characters,
)
from indicators.programme.register import load_register
from indicators.programme.submission import Submission, is_submission, looks_like_submission, read_submission
from indicators.provenance import provenance_path
from indicators.readers import ReaderError
from indicators.validation import ValidatedFile, validate_file
from indicators.warehouse import LEDGER


@dataclass(frozen=True)
class ValidatedSubmission:
    """An agency's report (template or CSV) that passed every check."""

    path: Path
    sha256: str
    content: bytes
    submission: Submission


@dataclass(frozen=True)
class ValidatedDocument:
    """An agency document (PDF or DOCX annual report or report-back) whose text could be read."""

    path: Path
    sha256: str
    content: bytes
    document: object          # indicators.documents.extract.Document
    recognition: object       # indicators.documents.recognise.Recognition


@dataclass(frozen=True)
class ValidatedReview:
    """A filled evidence review workbook (``mvk evidence``) whose decisions all passed."""

    path: Path
    sha256: str
    content: bytes
    decisions: object         # pandas DataFrame, evidence.decisions columns


DOCUMENT_SUFFIXES = (".pdf", ".docx")


def is_document(path: Path, content: bytes) -> bool:
    """A PDF or a Word file, by content first (a renamed file is still recognised), then by suffix."""
    if content.startswith(b"%PDF-"):
        return True
    if content.startswith(b"PK") and b"word/document.xml" in content[:65536]:
        return True
    return path.suffix.lower() in DOCUMENT_SUFFIXES


def validate_document(path: Path, content: bytes, *, data_dir: Path, agency: str | None = None,
                      year: int | None = None) -> ValidatedDocument:
    """Extract the text and recognise agency and year (``agency``/``year`` override the text).

    Personal identity numbers are not a reason to refuse a document: the page holding one is not stored
    and the number is shown masked (``indicators.documents.extract``). The file name is still checked.
    """
    from indicators.documents.extract import extract_document
    from indicators.documents.recognise import recognise
    from indicators.programme.provenance import report_provenance

    refuse_identity_numbers(b"", name=path.name)          # the name only: pages are checked one by one
    _refuse_unsafe_name(path.name)
    report_provenance(path)                                  # a malformed sidecar refuses the document
    document = extract_document(content, file=path.name)
    recognition = recognise(document, load_register(data_dir).agencies, agency=agency, year=year)
    return ValidatedDocument(path=path, sha256=hashlib.sha256(content).hexdigest(), content=content,
                             document=document, recognition=recognition)


def validate_any(path: Path, *, data_dir: Path, source_id: str | None = None, agency: str | None = None,
                 year: int | None = None) -> ValidatedFile | ValidatedSubmission | ValidatedDocument | ValidatedReview:
    """Validate a statistics file against the source catalogue, or an agency submission against the register.

    Which one is decided from the content: a reporting template (or its CSV form) carries a marker.
    Before anything else, every text part of the file and its name are scanned for personal identity
    and coordination numbers (``refuse_identity_numbers``), and a name with control or bidi characters
    is refused; a file that looks like an agency report without being one is refused as such, not
    tried against the statistics sources. Every error's fields pass ``safe_text``.
    Offence-level microdata (``kind: microdata``) are checked in DuckDB by ``indicators.microdata``:
    every column is typed or coded there, so no free text (and no identity number) can pass.
    """
    from indicators.microdata import microdata_source_for, validate_microdata_file

    microdata = microdata_source_for(path, source_id)
    if microdata is not None:
        _refuse_unsafe_name(path.name)
        return validate_microdata_file(path, microdata)
    content = path.read_bytes()
    name = path.name
    try:
        if source_id is None and is_document(path, content):
            return validate_document(path, content, data_dir=data_dir, agency=agency, year=year)
        if source_id is None and path.suffix.lower() == ".xlsx":
            from indicators.evidence.review import is_review_workbook, read_review_workbook

            if is_review_workbook(content, name):
                _refuse_unsafe_name(name)
                decisions = read_review_workbook(content, file=name, register=load_register(data_dir))
                return ValidatedReview(path=path, sha256=hashlib.sha256(content).hexdigest(), content=content,
                                       decisions=decisions)
        sidecar = provenance_path(path)       # filed with the file, so it is scanned like the file
        if sidecar.is_file():
            try:
                refuse_identity_numbers(sidecar.read_bytes(), name=sidecar.name, shown_name=name)
            except ReaderError as error:
                raise ReaderError(error.key, file=error.file, location=f"{sidecar.name}: {error.location}",
                                  found=error.found, expected=error.expected) from None
        if source_id is None and is_submission(content, name):
            submission = read_submission(content, file=name, register=load_register(data_dir))  # scans first
            _refuse_unsafe_name(name)
            return ValidatedSubmission(path=path, sha256=hashlib.sha256(content).hexdigest(), content=content,
                                       submission=submission)
        refuse_identity_numbers(content, name=name)
        _refuse_unsafe_name(name)
        if source_id is None:
            almost = looks_like_submission(content)
            if almost is not None:
                location, found, expected = almost
                raise ReaderError("intake.unrecognised_submission", file=name, location=location,
                                  found=found, expected=expected)
        return validate_file(path, source_id=source_id, data=content)
    except ReaderError as error:
        raise ReaderError(error.key, file=safe_text(error.file), location=safe_text(error.location),
                          found=safe_text(error.found), expected=safe_text(error.expected)) from None


def _refuse_unsafe_name(name: str) -> None:
    """A name with control, bidi or zero-width characters is refused: it would be filed and shown as is."""
    unsafe = unsafe_characters(name)
    if unsafe:
        raise ReaderError("intake.unsafe_file_name", file=safe_file_name(name), location=FILE_NAME_LOCATION,
                          found=", ".join(dict.fromkeys(unsafe)), expected=safe_file_name(name))


def destination(validated, data_dir: Path) -> Path:
    """The folder a validated file is filed in: its source's, the agency submissions', the documents' or
    the reviews'."""
    if isinstance(validated, ValidatedSubmission):
        return data_dir / "submissions"
    if isinstance(validated, ValidatedDocument):
        return data_dir / "documents"
    if isinstance(validated, ValidatedReview):
        return data_dir / "reviews"
    return data_dir / "sources" / validated.spec.id


def accept(path: Path, folder: Path, *, move: bool, withdraw: bool = False) -> tuple[Path, bool]:
    """Put a validated file into its folder; returns (its path there, whether it is new).

    The same content already in the folder is not copied again; a different file with the same name
    gets the first 12 hex digits of its hash added, so nothing already there is overwritten. Its
    ``.provenance.yaml``, if any, goes with it (it decides the cells' reliability). The ledger records
    the arrival order and whether the analyst asked to withdraw cells the file lacks, so a rebuild
    replays the same decisions.
    """
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for existing in folder.iterdir():
        if existing.is_file() and existing.suffix == path.suffix and \
                hashlib.sha256(existing.read_bytes()).hexdigest() == digest:
            if move and path.resolve() != existing.resolve():
                path.unlink()
            return existing, False
    target = folder / path.name
    if target.exists():
        target = folder / f"{path.stem}_{digest[:12]}{path.suffix}"
    provenance = provenance_path(path)
    if provenance.exists():   # first: it decides the reliability of the file's cells
        place_whole(provenance, provenance_path(target), move=move)
    place_whole(path, target, move=move)
    with (folder / LEDGER).open("a", encoding="utf-8") as ledger:
        ledger.write(target.name + ("\twithdraw" if withdraw else "") + "\n")
    return target, True


# Files refused because they hold a personal identity or coordination number are never copied: the
# number must not be stored anywhere. Only the report (with the number masked) is kept.
NOT_KEPT = {"programme.identity_number", "programme.coordination_number"}


def quarantine(path: Path, error: ReaderError, data_dir: Path, *, move: bool) -> Path:
    """Set a rejected file aside with a report naming what is wrong, in Swedish and English.

    Returns the path of the quarantined file, or of the report alone when the file may not be kept.
    The quarantine name and every line of the report pass ``safe_file_name`` / ``safe_text``: an identity
    number in the file name is shown masked, a control or bidi character as ``_`` or ``?``.
    """
    folder = data_dir / "quarantine"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    shown = safe_file_name(path.name)
    target = folder / f"{stamp}_{shown}"
    n = 1
    while target.exists() or target.with_name(target.name + ".report.txt").exists():
        target = folder / f"{stamp}-{n}_{shown}"
        n += 1
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    kept = error.key not in NOT_KEPT
    if kept:
        place_whole(path, target, move=move)
    elif move:
        path.unlink()
    report = (
        f"{safe_text(error.message('sv'))}\n\n{safe_text(error.message('en'))}\n\n"
        f"fil/file: {safe_text(path.name)}\nsha256: {digest}\nplats/location: {safe_text(error.location)}\n"
        f"hittat/found: {safe_text(error.found)}\nförväntat/expected: {safe_text(error.expected)}\n"
        f"kod/code: {safe_text(error.key)}\ntid/time: {stamp}\n"
    )
    if not kept:
        report += ("Filen sparades inte: den innehöll ett person- eller samordningsnummer.\n"
                   "The file was not kept: it held a personal identity or coordination number.\n")
    report_path = target.with_name(target.name + ".report.txt")
    report_path.write_text(report, encoding="utf-8")
    return target if kept else report_path
