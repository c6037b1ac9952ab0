"""``mvk rebuild``: recreate the warehouse and the site from the snapshots alone.

The snapshots (``OUT/warehouse/snapshots/<sha256>.<ext>``, immutable, named by content) are the
source of truth; the replay log beside them (``ledger.jsonl``, :mod:`indicators.ledger`) says which
snapshots each source consisted of, in load order and with the analyst's withdraw decisions. Rebuild
lays them out as a fresh data folder (``OUT/.rebuild-<time>/data/sources/<id>/<original name>``,
with their provenance sidecars and arrival order), moves the old warehouse aside, and runs every
asset on that folder, so the warehouse and the site come out as the ingests left them, whatever
happened to the warehouse file or to ``DATA_DIR/sources/``. The agencies' submissions and documents
are replayed the same way from their snapshots, in arrival order (``DATA_DIR/submissions/``,
``DATA_DIR/documents/`` in the replay folder), once the log records them; what is not loaded from
files (the measure register, the edition, the review workbooks) is taken from ``--data-dir``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from indicators.i18n import t
from indicators.ledger import DATA_STREAMS, folder_of, ledger_path, read_ledger
from indicators.provenance import provenance_path
from indicators.warehouse import LEDGER
from pipelines.operations import REBUILD_PREFIX, prepare_writer, warehouse_file

# The suffixes each logged data stream loads (pipelines.defs.programme, pipelines.defs.evidence).
LOADED_SUFFIXES = {"programme/submissions": {".xlsx", ".csv"}, "evidence/documents": {".pdf", ".docx"}}
SKIPPED_DATA_FOLDERS = {"sources", "inbox", "quarantine"}   # sources come from the snapshots; the rest is not input


def _lay_out(out_dir: Path, data_dir: Path, replay: Path, lang: str) -> tuple[int, int] | None:
    """Write the replay data folder; returns (files, sources), or None (and one line) if a snapshot is gone."""
    warehouse_dir = out_dir / "warehouse"
    ledger = read_ledger(warehouse_dir)
    replay.mkdir(parents=True)
    # submissions and documents come from their snapshots too once the log has them (older logs: --data-dir)
    skipped = SKIPPED_DATA_FOLDERS | {folder_of(stream) for stream in ledger if stream in DATA_STREAMS}
    if data_dir.is_dir():
        for item in data_dir.iterdir():
            if item.name in skipped or item.name.startswith("."):
                continue
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, replay / item.name)
    count = 0
    for source, files in ledger.items():
        folder = replay / folder_of(source)
        folder.mkdir(parents=True)
        order = []
        for entry in files:
            snapshot = warehouse_dir / entry["snapshot"]
            content = snapshot.read_bytes() if snapshot.is_file() else b""
            if hashlib.sha256(content).hexdigest() != entry["sha256"]:
                print(t("operations.rebuild_missing_snapshot", lang, path=snapshot, source=source, name=entry["name"]),
                      file=sys.stderr)
                return None
            target = folder / entry["name"]
            target.write_bytes(content)
            if entry.get("provenance_sha256"):
                sidecar = warehouse_dir / "snapshots" / f"{entry['provenance_sha256']}.provenance.yaml"
                provenance_path(target).write_bytes(sidecar.read_bytes())
            order.append(entry["name"] + ("\twithdraw" if entry.get("withdraw") else ""))
            count += 1
        if order != sorted(e["name"] for e in files):   # by name is the default order: no log needed then
            (folder / LEDGER).write_text("\n".join(order) + "\n", encoding="utf-8")
        if source in DATA_STREAMS:
            _copy_notes(data_dir / folder_of(source), folder, LOADED_SUFFIXES[source])
    return count, len(ledger)


def _copy_notes(original: Path, folder: Path, loaded: set[str]) -> None:
    """What lies beside the submissions or documents without being loaded (a README) is not in the
    log; it comes from ``--data-dir`` when that still has it, as the pages list it among the inputs."""
    if not original.is_dir():
        return
    for item in original.iterdir():
        if item.is_file() and not item.name.startswith(".") and item.suffix.lower() not in loaded \
                and not item.name.endswith(".provenance.yaml") and not (folder / item.name).exists():
            shutil.copy2(item, folder / item.name)


def prepare_rebuild(args: argparse.Namespace, prepare_dagster_home: Callable[[Path], Path]) -> Path | None:
    """Take the writer lock, lay out the snapshots as a data folder and move the old warehouse aside.

    Returns the replay data folder (exported as MVK_DATA_DIR for the run), or None after one line."""
    out_dir, data_dir, lang = Path(args.out).resolve(), Path(args.data_dir).resolve(), args.lang
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(MVK_OUT_DIR=str(out_dir), MVK_LANG=lang)
    prepare_dagster_home(out_dir)
    prepare_writer(out_dir, lang, getattr(args, "wait", None), check=False)
    if not read_ledger(out_dir / "warehouse"):
        print(t("operations.rebuild_no_ledger", lang, path=ledger_path(out_dir / "warehouse")), file=sys.stderr)
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    replay = out_dir / f"{REBUILD_PREFIX}{stamp}" / "data"
    laid_out = _lay_out(out_dir, data_dir, replay, lang)
    if laid_out is None:
        shutil.rmtree(replay.parent)
        return None
    files, sources = laid_out
    warehouse = warehouse_file(out_dir)
    moved = None
    for suffix in ("", ".wal"):
        old = warehouse.with_name(warehouse.name + suffix)
        if old.exists():
            moved = warehouse.with_name(f"{warehouse.name}{suffix}.before-rebuild")
            old.replace(moved)
    if moved is not None:
        print(t("operations.rebuild_start", lang, files=files, sources=sources,
                moved=warehouse.with_name(warehouse.name + ".before-rebuild")), flush=True)
    else:
        print(t("operations.rebuild_start_fresh", lang, files=files, sources=sources), flush=True)
    os.environ["MVK_DATA_DIR"] = str(replay)
    return replay


def finish_rebuild(replay: Path, status: int, lang: str) -> int:
    """Remove the replay folder (a failed rebuild leaves it for the next start to clear)."""
    if status == 0:
        shutil.rmtree(replay.parent, ignore_errors=True)
        print(t("operations.rebuild_done", lang), flush=True)
    return status
