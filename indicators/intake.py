"""Where a new file goes after validation: into its source's folder, or aside into quarantine.

Used by ``mvk ingest`` and the inbox sensor alike. A good file is copied (or, from the inbox, moved)
into ``DATA_DIR/sources/<id>/`` and appended to that folder's ledger, so the data folder stays the
single record of what the warehouse was built from. A bad file is put in ``DATA_DIR/quarantine/``
with a report beside it in Swedish and English; the warehouse is not touched.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

from indicators.readers import ReaderError
from indicators.sources import SourceSpec
from indicators.warehouse import LEDGER


def accept(path: Path, spec: SourceSpec, data_dir: Path, *, move: bool) -> tuple[Path, bool]:
    """Put a validated file into its source folder; returns (its path there, whether it is new).

    The same content already in the folder is not copied again; a different file with the same name
    gets the first 12 hex digits of its hash added, so nothing already there is overwritten.
    """
    folder = data_dir / "sources" / spec.id
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
    (shutil.move if move else shutil.copy2)(path, target)
    with (folder / LEDGER).open("a", encoding="utf-8") as ledger:
        ledger.write(target.name + "\n")
    return target, True


def quarantine(path: Path, error: ReaderError, data_dir: Path, *, move: bool) -> Path:
    """Set a rejected file aside with a report naming what is wrong, in Swedish and English."""
    folder = data_dir / "quarantine"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{stamp}_{path.name}"
    n = 1
    while target.exists():
        target = folder / f"{stamp}-{n}_{path.name}"
        n += 1
    (shutil.move if move else shutil.copy2)(path, target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    report = (
        f"{error.message('sv')}\n\n{error.message('en')}\n\n"
        f"fil/file: {path.name}\nsha256: {digest}\nplats/location: {error.location}\n"
        f"hittat/found: {error.found}\nförväntat/expected: {error.expected}\nkod/code: {error.key}\n"
        f"tid/time: {stamp}\n"
    )
    target.with_name(target.name + ".report.txt").write_text(report, encoding="utf-8")
    return target
