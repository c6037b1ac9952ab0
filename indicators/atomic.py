"""One file written whole: to a temporary name beside it, then renamed into place.

Why: the caches (printed PDFs, kept chart drawings, the page record), the workbooks, the templates and
the files accepted into the data folder are read by later runs and by readers; a run stopped half-way
must leave the old file or the new one, never half of one. A rename within one folder is atomic on
POSIX file systems.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

PARTIAL = ".partial"   # the temporary name's suffix: what a killed writer can leave behind


def write_whole(path: Path, content: bytes | str) -> None:
    """Write ``content`` (text as UTF-8) to ``path`` so that no reader ever sees part of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + PARTIAL)
    partial.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    partial.replace(path)


def place_whole(source: Path, target: Path, *, move: bool = False) -> None:
    """Copy (``move``: then remove) ``source`` to ``target`` so that no reader ever sees part of it.

    Why: a file accepted into ``DATA_DIR/sources/…`` is read by the next run; one cut short by a crash
    would be read as a file that holds fewer cells. The copy goes to a hidden name beside the target
    (``.<name>.partial``, which every folder listing skips), then is renamed into place; the source
    goes only once the target is whole, so a crash leaves the file where it was or where it is going."""
    source, target = Path(source), Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}{PARTIAL}")
    shutil.copy2(source, partial)
    partial.replace(target)
    if move and source.resolve() != target.resolve():
        source.unlink()


def read_kept(path: Path | None) -> dict | None:
    """A JSON object a cache kept with ``write_whole``; None when there is none or it cannot be read
    (a cache entry in doubt is made again, never trusted)."""
    try:
        found = json.loads(Path(path).read_text(encoding="utf-8")) if path is not None else None
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None
