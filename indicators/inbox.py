"""Files dropped in ``DATA_DIR/inbox/``: what each one is (read-only), and receiving it (filing or quarantine).

The two halves are split on purpose. :func:`recognise` only reads: it decides from the content, with
the same recognition ``mvk validate`` uses, whether a file is a statistics file of a source (and
which), an agency submission, or an agency document (PDF/DOCX), or none of these. The inbox sensor
calls it while it is evaluated, so an evaluation never changes a file. :func:`receive` is what the run
the sensor requested does: it validates the file completely and moves it into its folder (with its
provenance sidecar, appended to the folder's arrival ledger), or moves it to ``DATA_DIR/quarantine/``
with its report and raises :class:`Refused`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from indicators.intake import ValidatedSubmission, accept, destination, quarantine, validate_any
from indicators.readers import ReaderError

INBOX = "inbox"
DOCUMENTS = "documents"
DOCUMENT_SUFFIXES = {".pdf", ".docx"}
PROVENANCE_SUFFIX = ".provenance.yaml"   # indicators.provenance.provenance_path: <file>.provenance.yaml

SOURCE, SUBMISSION, DOCUMENT = "source", "submission", "document"


@dataclass(frozen=True)
class Recognised:
    """What a file in the inbox is: ``kind`` is ``source`` (with ``source_id``), ``submission``,
    ``document``, or None when nothing recognises it (its run quarantines it with the reason)."""

    kind: str | None
    source_id: str | None = None


@dataclass(frozen=True)
class Received:
    path: Path
    new: bool
    recognised: Recognised


class Refused(Exception):
    """The file was refused and set aside: the reader error and where it went."""

    def __init__(self, error: ReaderError, target: Path):
        super().__init__(error.key)
        self.error, self.target = error, target


def inbox_files(data_dir: Path) -> list[Path]:
    """The files waiting in the inbox, by name; hidden files and provenance sidecars (which travel with
    their file) are not files of their own."""
    folder = Path(data_dir) / INBOX
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and not p.name.endswith(PROVENANCE_SUFFIX))


def sha256_of(path: Path) -> str:
    """The content hash, read in blocks (an offence-level microdata file can be large)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def recognise(path: Path) -> Recognised:
    """What the file is, decided from its content without writing anything and without validating it
    completely (that is the run's job). Never raises for a bad file: an unrecognised one is None."""
    from indicators.microdata import microdata_source_for
    from indicators.programme.submission import is_submission, looks_like_submission
    from indicators.validation import detect_source

    path = Path(path)
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        return Recognised(DOCUMENT)
    try:
        microdata = microdata_source_for(path)
    except (OSError, ValueError, ReaderError):
        microdata = None
    if microdata is not None:
        return Recognised(SOURCE, microdata.id)
    content = path.read_bytes()
    if is_submission(content, path.name):
        return Recognised(SUBMISSION)
    if looks_like_submission(content) is not None:
        return Recognised(None)           # almost a report: refused as such, never tried as statistics
    try:
        return Recognised(SOURCE, detect_source(content, path.name).id)
    except ReaderError:
        return Recognised(None)


def _validated_kind(validated) -> Recognised:
    if isinstance(validated, ValidatedSubmission):
        return Recognised(SUBMISSION)
    return Recognised(SOURCE, validated.spec.id)


def receive(path: Path, data_dir: Path, *, expected: Recognised) -> Received:
    """Validate the file as ``mvk ingest`` does and move it into its folder; a bad file is moved to the
    quarantine with its report and :class:`Refused` raised. ``expected`` is what the sensor recognised:
    a file that validates as something else is refused too (it would be filed where this run does not
    load), which cannot happen while recognition and validation share their rules."""
    path, data_dir = Path(path), Path(data_dir)
    if expected.kind == DOCUMENT:
        return _receive_document(path, data_dir)
    try:
        validated = validate_any(path, data_dir=data_dir)
    except ReaderError as error:
        raise Refused(error, quarantine(path, error, data_dir, move=True)) from None
    actual = _validated_kind(validated)
    if expected.kind is not None and actual != expected:
        error = ReaderError("operations.inbox_changed", file=path.name, location=str(path.parent),
                            found=actual.source_id or actual.kind or "-",
                            expected=expected.source_id or expected.kind or "-")
        raise Refused(error, quarantine(path, error, data_dir, move=True))
    target, new = accept(path, destination(validated, data_dir), move=True)
    return Received(path=target, new=new, recognised=actual)


def _receive_document(path: Path, data_dir: Path) -> Received:
    """An agency document goes to ``DATA_DIR/documents/``; its pages are checked by ``evidence/documents``,
    which records a refused document with its reason. Here only its name is checked: a name holding a
    personal identity number or control characters is never filed."""
    from indicators.programme.identity_numbers import (
        FILE_NAME_LOCATION,
        refuse_identity_numbers,
        safe_file_name,
        unsafe_characters,
    )

    try:
        refuse_identity_numbers(b"", name=path.name)
        unsafe = unsafe_characters(path.name)
        if unsafe:
            raise ReaderError("intake.unsafe_file_name", file=safe_file_name(path.name), location=FILE_NAME_LOCATION,
                              found=", ".join(dict.fromkeys(unsafe)), expected=safe_file_name(path.name))
    except ReaderError as error:
        raise Refused(error, quarantine(path, error, data_dir, move=True)) from None
    target, new = accept(path, data_dir / DOCUMENTS, move=True)
    return Received(path=target, new=new, recognised=Recognised(DOCUMENT))
