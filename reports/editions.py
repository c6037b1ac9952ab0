"""Published editions: list them, publish one immutably, point older ones to the latest, verify a copy.

Layout (docs/editions.md)::

    OUT/site/                     the latest build (what `mvk run` always writes)
    OUT/editions/<edition>/       one folder per published edition, never changed once written
    OUT/editions/latest.js        `window.MVK_LATEST = {...}`: the only file that changes when a newer
                                  edition is published; older editions' pages read it for their banner

An edition is published by copying the freshly built site into ``editions/.<edition>.publishing``
and moving it into place with one rename (or one atomic exchange when it replaces an edition), so a
killed run leaves either no edition or a whole one; leftovers are removed on the next start.
No Dagster here; ``pipelines/cli.py`` calls these after a successful run.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from indicators.atomic import PARTIAL, write_whole

EDITIONS = "editions"
LATEST_JS = "latest.js"
PUBLISHING, SWAPPED = ".publishing", ".replaced"
REPLACED_MANIFEST = "manifest.replaced-{stamp}.json"
EDITION_PAGES = ("editions.html", "en/editions.html")   # the pages with links to the other editions


def edition_key(name: str) -> tuple:
    """Editions sort by year ("2025" < "2026"); anything else (a draft) after every year, by name."""
    return (0, int(name), "") if name.isdigit() else (1, 0, name)


def published(out_dir: Path) -> list[str]:
    """The editions published in OUT/editions/, oldest first (folders with a manifest)."""
    folder = Path(out_dir) / EDITIONS
    if not folder.is_dir():
        return []
    return sorted((p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
                   and (p / "manifest.json").is_file()), key=edition_key)


def earlier(out_dir: Path, edition: str) -> list[str]:
    """The published editions before ``edition`` (the one the new build is compared with is the last)."""
    return [e for e in published(out_dir) if edition_key(e) < edition_key(edition)]


def previous(out_dir: Path, edition: str) -> str | None:
    before = earlier(out_dir, edition)
    return before[-1] if before else None


@dataclass(frozen=True)
class EditionEntry:
    """One edition on the editions page: its name, build date and code version."""

    name: str
    date: str = ""
    code_version: str = ""
    current: bool = False


def entries(out_dir: Path, edition: str, build_date: str, code_version: str) -> tuple[EditionEntry, ...]:
    """The editions a build lists: every earlier published edition, then itself (the latest it knows of)."""
    rows = []
    for name in earlier(out_dir, edition):
        manifest = json.loads((Path(out_dir) / EDITIONS / name / "manifest.json").read_text(encoding="utf-8"))
        rows.append(EditionEntry(name, str(manifest.get("build_time", ""))[:10], str(manifest.get("code_version", ""))))
    return (*rows, EditionEntry(edition, build_date, code_version, current=True))


def state(out_dir: Path, edition: str) -> str:
    """What a build's pages depend on outside the data folder: its edition and the earlier editions'
    manifests (a part of the no-op fingerprint, pipelines/fingerprint.py)."""
    digest = hashlib.sha256(f"edition={edition}\n".encode())
    for name in earlier(out_dir, edition):
        digest.update(name.encode() + b"\0" + (Path(out_dir) / EDITIONS / name / "manifest.json").read_bytes())
    return digest.hexdigest()


# ------------------------------------------------------------------------------------------ publish
def edition_copy_of(page: bytes, depth: int) -> bytes:
    """An editions page as it reads inside an edition folder: the site's links to other editions go
    through ``../editions/<e>/``; from ``editions/<this>/`` the same edition is ``../<e>/``."""
    prefix = "../" * depth
    return page.replace(f'href="{prefix}../editions/'.encode(), f'href="{prefix}../'.encode())


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def publish(out_dir: Path, edition: str, *, replace: bool = False, now: datetime | None = None) -> Path:
    """Copy OUT/site into OUT/editions/<edition> in one step; returns the edition folder.

    Raises FileExistsError when the edition exists and ``replace`` is false (callers check first, so
    that nothing is written). A replaced edition's manifest, and the ones it kept, move into the new
    folder as ``manifest.replaced-<UTC stamp>.json``."""
    out_dir = Path(out_dir)
    site, folder = out_dir / "site", out_dir / EDITIONS
    target, staging = folder / edition, folder / f".{edition}{PUBLISHING}"
    if target.exists() and not replace:
        raise FileExistsError(target)
    folder.mkdir(parents=True, exist_ok=True)
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(site, staging)
    manifest = json.loads((staging / "manifest.json").read_text(encoding="utf-8"))
    for rel in EDITION_PAGES:
        page = staging / rel
        if page.is_file():
            page.write_bytes(edition_copy_of(page.read_bytes(), rel.count("/")))
            manifest["files"][rel] = _sha(page)
    manifest["location"] = f"{EDITIONS}/{edition}"
    if target.exists():
        for kept in sorted(target.glob("manifest.replaced-*.json")):
            shutil.copy2(kept, staging / kept.name)
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        shutil.copy2(target / "manifest.json", staging / REPLACED_MANIFEST.format(stamp=stamp))
        manifest["replaced"] = sorted(p.name for p in staging.glob("manifest.replaced-*.json"))
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
    if target.exists():
        from reports.site import exchange_directories

        swapped = folder / f".{edition}{SWAPPED}"
        if exchange_directories(staging, target):
            shutil.rmtree(staging)               # the replaced edition, swapped out in one step
        else:                                    # no atomic exchange here: two renames
            target.rename(swapped)
            staging.rename(target)
            shutil.rmtree(swapped)
    else:
        staging.rename(target)
    write_latest(out_dir)
    return target


def write_latest(out_dir: Path) -> Path:
    """OUT/editions/latest.js: the newest edition and all of them, for the banner of older editions.

    A script file that sets a global, not JSON: over file:// Chromium refuses fetch() of a local
    file, but loads a <script> (the pages' Content-Security-Policy admits 'self' file URLs)."""
    names = published(out_dir)
    path = Path(out_dir) / EDITIONS / LATEST_JS
    facts = {"latest": names[-1] if names else None, "editions": names}
    write_whole(path, "window.MVK_LATEST = " + json.dumps(facts, ensure_ascii=False) + ";\n")
    return path


def clear_leftovers(out_dir: Path) -> list[Path]:
    """What a killed publish left: a half-copied ``.<e>.publishing`` goes; a ``.<e>.replaced`` is the
    previous edition: put back if the run died between the two renames, otherwise removed."""
    folder = Path(out_dir) / EDITIONS
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for swapped in folder.glob(f".*{SWAPPED}"):
        target = folder / swapped.name[1:-len(SWAPPED)]
        if not target.exists():
            swapped.rename(target)
        else:
            shutil.rmtree(swapped)
            removed.append(swapped)
    for leftover in [*folder.glob(f".*{PUBLISHING}"), *folder.glob(f"{LATEST_JS}{PARTIAL}")]:
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        removed.append(leftover)
    return removed


# ------------------------------------------------------------------------------------------- verify
@dataclass(frozen=True)
class Verification:
    """A site copy against its own manifest: what is missing, what differs, what is extra."""

    folder: Path
    edition: str = ""
    code_version: str = ""
    build_time: str = ""
    problem: str = ""                      # no or unreadable manifest
    missing: tuple[str, ...] = ()
    differs: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    files: int = 0
    replaced: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not (self.problem or self.missing or self.differs or self.extra)


def verify(folder: Path) -> Verification:
    """Hash every file of ``folder`` and compare with its ``manifest.json``. The manifest itself and
    the manifests of replaced editions (``manifest.replaced-*.json``) are the record, not content."""
    folder = Path(folder)
    manifest_file = folder / "manifest.json"
    if not manifest_file.is_file():
        return Verification(folder, problem="missing")
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        listed: dict[str, str] = manifest["files"]
    except (ValueError, KeyError, OSError) as err:
        return Verification(folder, problem=f"unreadable ({err})")
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    records = {"manifest.json", *(p for p in present if "/" not in p and p.startswith("manifest.replaced-"))}
    missing = sorted(rel for rel in listed if rel not in present)
    differs = sorted(rel for rel, digest in listed.items() if rel in present and _sha(folder / rel) != digest)
    extra = sorted(present - set(listed) - records)
    return Verification(folder, edition=str(manifest.get("edition", "")),
                        code_version=str(manifest.get("code_version", "")),
                        build_time=str(manifest.get("build_time", "")), missing=tuple(missing),
                        differs=tuple(differs), extra=tuple(extra), files=len(listed),
                        replaced=tuple(sorted(records - {"manifest.json"})))


# --------------------------------------------------------------------------------- for the build
def with_editions(inputs, out_dir: Path, revisions: list[dict]):
    """The site's inputs with what changed since the previous published edition (``SiteInputs.changes``)
    and the editions its editions page lists; the previous edition is read from its own files."""
    from dataclasses import replace

    from reports.changes import compare, current_files, read_edition_folder, read_published
    from reports.site import data_downloads

    before = previous(out_dir, inputs.edition)
    old = read_edition_folder(Path(out_dir) / EDITIONS / before) if before else None
    data_files = data_downloads(inputs)   # compared here and published as they are (SiteInputs.data_files)
    new = read_published(current_files(inputs, inputs.code_version, data_files))
    return replace(inputs, changes=compare(old, new, revisions), data_files=data_files,
                   editions=entries(out_dir, inputs.edition, inputs.build_date, inputs.code_version))
