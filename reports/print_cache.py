"""Printed PDFs kept by what they were printed from, so an unchanged print edition is not printed again.

Printing both languages through Chromium is the largest part of a run (two layout passes per language:
the first finds the headings' pages, the second prints them in the contents). A PDF is a function of the
print page's HTML, the header and footer templates, the chart scripts it loads and the browser, so it is
kept under the sha256 of exactly those (``OUT/.print_cache/<key>.pdf``) and reused when they are equal:
a stale entry can never be served, because anything that changes the output changes the key (the
finished output: the raw PDF's structure IDs depend on what the renderer did before, and
``reports.print_edition._finish`` numbers them by rank). The
contents' page numbers of the last print are kept too, so a changed edition usually needs one pass, not two.
The folder is a cache: deleting it only costs time.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from indicators.atomic import write_whole

MAX_ENTRIES = 8          # two languages × a few recent prints; older PDFs are removed


class PrintCache:
    def __init__(self, folder: Path | None, *, browser_path: str, assets: list[Path]):
        self.folder = Path(folder) if folder else None
        identity = hashlib.sha256()
        browser = Path(browser_path)
        if browser.exists():      # a browser upgrade changes the key (size and time of the executable)
            stat = browser.resolve().stat()
            identity.update(f"{browser.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        for asset in assets:
            identity.update(asset.name.encode() + b"\0" + (asset.read_bytes() if asset.is_file() else b""))
        self.identity = identity.hexdigest()

    def key(self, html: str, header: str, footer: str) -> str:
        return hashlib.sha256("\0".join((self.identity, html, header, footer)).encode("utf-8")).hexdigest()

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        return path.read_bytes() if path is not None and path.is_file() else None

    def put(self, key: str, pdf: bytes) -> None:
        path = self._path(key)
        if path is None:
            return
        write_whole(path, pdf)
        entries = sorted(self.folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[MAX_ENTRIES:]:
            old.unlink(missing_ok=True)

    def last_toc(self, lang: str) -> dict[str, int]:
        """The contents' page numbers of the last print in ``lang`` (the first pass starts from them)."""
        path = self.folder / f"toc-{lang}.json" if self.folder else None
        try:
            return {str(k): int(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()} if path else {}
        except (OSError, ValueError, AttributeError):
            return {}

    def save_toc(self, lang: str, toc: dict[str, int]) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"toc-{lang}.json").write_text(json.dumps(toc, sort_keys=True), encoding="utf-8")

    def _path(self, key: str) -> Path | None:
        return self.folder / f"{key}.pdf" if self.folder else None
