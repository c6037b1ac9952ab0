"""Is there anything to do? A fingerprint of everything a build depends on, checked before Dagster starts.

A run's output is a function of the data folder (every file, its provenance, the ledger and the edition),
the specs and SQL, the templates and the code. ``mvk run`` hashes all of them (a few hundred small files:
well under a second) and compares the result with the stamp the last successful full run left beside the
site; when they agree and the published site still matches its manifest, nothing can change, so the run
says so and stops without starting Dagster (whose start-up alone takes seconds). ``--force`` skips the
check. Any doubt (no stamp, a changed or missing site file) means a real run.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from indicators import sources
from pipelines.paths import PROJECT_ROOT, print_edition_setting

STAMP = ".mvk_build_fingerprint"
CODE_FOLDERS = ("indicators", "reports", "pipelines", "dagster_home")
# The parts of the data folder a build reads: statistics, the programme register, agencies' submissions
# and documents, the analysts' reviews, and the edition.
DATA_PARTS = ("sources", "submissions", "documents", "reviews", "programme", "edition.yaml")
CODE_SUFFIXES = {".py", ".sql", ".yaml", ".yml", ".j2", ".css", ".js", ".json", ".txt"}


def listed_files(folder: Path, suffixes: set[str] | None = None) -> list[Path]:
    """The files under ``folder`` that a build reads: never Python's ``__pycache__`` (written when a test
    or an analyst imports ``data/programme/generate_register.py``, and different for every Python) nor a
    hidden file (a ``.<name>.partial`` a killed copy left, which no reader loads). Both the fingerprint
    and the site manifest's list of inputs use this, so neither depends on what else ran in the folder."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts)
                  and (suffixes is None or p.suffix.lower() in suffixes))


def data_inputs(data_dir: Path) -> list[Path]:
    """The files of the data folder a build reads, sorted: what the no-op check hashes and the site
    manifest lists as the follow-up's inputs (generators and fonts beside them are not inputs)."""
    return [p for p in listed_files(data_dir) if p.relative_to(data_dir).parts[0] in DATA_PARTS]


def fingerprint(data_dir: Path, extra: str = "") -> str:
    """The hash of the data folder's inputs and the project's code and specs (the site is built in both
    languages whatever ``--lang`` says, so the language of messages is not part of it). ``extra`` is what
    else the pages depend on: the edition and the earlier published editions (reports.editions.state)."""
    # Whether the run prints the PDFs (MVK_PRINT_EDITION): a draft without them is not the same build.
    digest = hashlib.sha256(extra.encode() + print_edition_setting().encode())
    for root, files in (
        (data_dir, data_inputs(data_dir)),
        (PROJECT_ROOT, [p for f in CODE_FOLDERS for p in listed_files(PROJECT_ROOT / f, CODE_SUFFIXES)]),
        (sources.SOURCES_DIR.parent, listed_files(sources.SOURCES_DIR)),   # the source specs in use (tests move them)
    ):
        for path in files:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _site_matches_manifest(site_dir: Path) -> bool:
    manifest = site_dir / "manifest.json"
    if not manifest.exists():
        return False
    try:
        files = json.loads(manifest.read_text(encoding="utf-8")).get("files") or {}
    except (OSError, ValueError):
        return False
    if not files:
        return False
    for rel, sha in files.items():
        path = site_dir / rel
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            return False
    return True


def up_to_date(data_dir: Path, out_dir: Path, extra: str = "") -> bool:
    stamp = out_dir / STAMP
    if not stamp.exists():
        return False
    if stamp.read_text(encoding="utf-8").strip() != fingerprint(data_dir, extra):
        return False
    return _site_matches_manifest(out_dir / "site")


def record(data_dir: Path, out_dir: Path, extra: str = "") -> None:
    """After a successful full run: remember what it was built from."""
    (out_dir / STAMP).write_text(fingerprint(data_dir, extra) + "\n", encoding="utf-8")


def forget(out_dir: Path) -> None:
    (out_dir / STAMP).unlink(missing_ok=True)
