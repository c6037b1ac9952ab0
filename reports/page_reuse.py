"""Pages rendered again only where their inputs changed (issue 13).

A page family may describe its pages as ``Page(path, render, args)`` (``pages(inputs, env, lang,
common)`` in its module) instead of rendering them itself. ``render`` is a module-level function called
as ``render(env, lang, common, *args)``, and it must get everything it shows from ``args``: never the
whole ``SiteInputs`` (refused here) and never a closure (refused too). That makes the page a function of
exactly three things, and its key the sha256 of them:

* the code that renders it: the files of ``reports/`` and ``indicators/`` (templates, styles, scripts,
  messages, specs) and the versions of the libraries that shape its text (``code_digest``);
* what every page of a language shows (``common_key``: the language, the edition, the code version in
  the footer, the data date);
* the page's own ``args``, digested value by value (``digest``: every field of every dataclass, every
  cell of every frame, exactly; a type it does not know is an error, never a guess).

The keys of the published pages are kept in ``OUT/.page_cache/keys.json`` with the sha256 of each page's
bytes. A page whose key is unchanged is copied from the published site, after its bytes are checked
against that sha256; any doubt (no record, another key, an edited or missing file) renders it again.
Rendering is deterministic, so a page taken over is byte for byte the page a fresh build renders, and a
rerun into an old folder equals a fresh one (tests/test_page_reuse.py builds both and compares).
Families that do not describe their pages (the overview, the objectives, the reference pages, search,
editions: each reads most of the inputs, and together they are a fifth of the render) render every time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import hashlib
import json
import math
from collections.abc import Callable, Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from indicators.atomic import write_whole

RECORD = "keys.json"
CODE_ROOTS = ("reports", "indicators")
CODE_SUFFIXES = {".py", ".j2", ".css", ".js", ".yaml", ".yml", ".json", ".sql", ".txt", ".csv"}
# The libraries whose output is in a page's bytes: templates, number formats, chart JSON, frames.
LIBRARIES = ("jinja2", "markupsafe", "babel", "plotly", "pandas", "numpy")


@dataclasses.dataclass(frozen=True)
class Page:
    """One page of a family: ``render(env, lang, common, *args)`` gives its HTML."""

    path: str                        # relative to the language's root ("indicators/MVK01.html")
    render: Callable[..., str]
    args: tuple = ()

    def __post_init__(self) -> None:
        from reports.site import SiteInputs  # late: reports.site imports the page modules' helpers

        name = getattr(self.render, "__qualname__", "")
        if "<locals>" in name or "<lambda>" in name or getattr(self.render, "__closure__", None):
            raise TypeError(f"{self.path}: render must be a module-level function, not {name!r}: "
                            "a closure could read inputs its key does not cover")
        if any(isinstance(arg, SiteInputs) for arg in self.args):
            raise TypeError(f"{self.path}: pass the parts of the inputs a page shows, not SiteInputs")

    def html(self, env, lang: str, common: dict) -> str:
        return self.render(env, lang, common, *self.args)


# ------------------------------------------------------------------------------------------ digest
class Digest:
    """A canonical, exact digest of plain values, dataclasses and frames. Frames and dataclass instances
    are digested once per family (the programme's tables are shared by ~150 pages): pages never change
    what they are given (reports.site._records relies on it too), and the memo holds each object, so no
    id is reused while it lives. Lists and dicts are digested every time."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, bytes]] = {}

    def __call__(self, value: Any) -> bytes:
        hasher = hashlib.sha256()
        self._update(hasher, value)
        return hasher.digest()

    def _memoised(self, value: Any) -> bytes:
        hit = self._memo.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        hasher = hashlib.sha256()
        self._update_container(hasher, value)
        result = hasher.digest()
        self._memo[id(value)] = (value, result)
        return result

    def _update(self, h, value: Any) -> None:
        if value is None or isinstance(value, (bool, int, str, bytes)):
            # the type first: 1, True, "1" and b"1" differ, and so do text and Markup (a str subclass)
            h.update(type(value).__name__.encode() + b":" + repr(value).encode("utf-8", "surrogatepass") + b";")
        elif isinstance(value, float):
            h.update(b"float:" + (b"nan" if math.isnan(value) else float.hex(value).encode()) + b";")
        elif isinstance(value, (pd.DataFrame, pd.Series, np.ndarray)) or dataclasses.is_dataclass(value):
            h.update(b"@" + self._memoised(value))
        elif isinstance(value, (tuple, list, dict, MappingProxyType, frozenset, set)):
            self._update_container(h, value)    # digested each time: a list or dict can be changed
        else:
            self._update_scalar(h, value)

    def _update_scalar(self, h, value: Any) -> None:
        if value is pd.NA or value is pd.NaT:
            h.update(repr(value).encode() + b";")
        elif isinstance(value, np.generic):
            self._update(h, value.item())
            h.update(type(value).__name__.encode())
        elif isinstance(value, (dt.date, dt.time, dt.timedelta, pd.Timestamp, pd.Timedelta, decimal.Decimal)):
            h.update(type(value).__name__.encode() + b":" + repr(value).encode() + b";")
        elif isinstance(value, enum.Enum):
            h.update(f"{type(value).__qualname__}.{value.name};".encode())
        elif isinstance(value, Path):
            h.update(b"path:" + str(value).encode() + b";")
        else:
            raise TypeError(f"no digest for {type(value).__module__}.{type(value).__qualname__}: "
                            "add the type to reports.page_reuse.Digest")

    def _update_container(self, h, value: Any) -> None:
        if isinstance(value, (list, tuple)):
            h.update(f"{type(value).__name__}[{len(value)}](".encode())
            for item in value:
                self._update(h, item)
            h.update(b")")
        elif isinstance(value, (set, frozenset)):
            items = sorted(self(item) for item in value)
            h.update(f"set[{len(items)}](".encode() + b"".join(items) + b")")
        elif isinstance(value, (dict, MappingProxyType)):
            h.update(f"dict[{len(value)}](".encode())
            for key, item in value.items():          # in order: the pages list them in this order
                self._update(h, key)
                self._update(h, item)
            h.update(b")")
        elif isinstance(value, pd.DataFrame):
            h.update(f"frame{value.shape}(".encode())
            self._update(h, [str(c) for c in value.columns])
            self._update_column(h, value.index)
            for column in value.columns:
                self._update_column(h, value[column])
            h.update(b")")
        elif isinstance(value, (pd.Series, np.ndarray)):
            self._update_column(h, value)
        elif dataclasses.is_dataclass(value):
            h.update(f"{type(value).__module__}.{type(value).__qualname__}(".encode())
            for f in dataclasses.fields(value):
                h.update(f.name.encode() + b"=")
                self._update(h, getattr(value, f.name))
            h.update(b")")
        else:
            self._update(h, value)

    def _update_column(self, h, column) -> None:
        """A column exactly: numbers as their bytes, everything else value by value."""
        dtype = getattr(column, "dtype", None)
        h.update(f"col:{dtype}:{len(column)}(".encode())
        array = column.to_numpy() if hasattr(column, "to_numpy") else np.asarray(column)
        if array.dtype.kind in "biufcmM":
            h.update(np.ascontiguousarray(array).tobytes())
        else:
            for item in array.tolist():
                self._update(h, item)
        h.update(b")")


# -------------------------------------------------------------------------------------------- keys
def code_digest() -> str:
    """The sha256 of every file the pages are rendered by, and of the libraries' versions."""
    from indicators import sources  # the source specs in use: tests point it at other folders

    return _code_digest(str(Path(sources.SOURCES_DIR).resolve()))


@cache
def _code_digest(sources_dir: str) -> str:
    root = Path(__file__).resolve().parents[1]
    hasher = hashlib.sha256()
    for name in LIBRARIES:
        hasher.update(f"{name}={metadata.version(name)}\0".encode())
    for folder in CODE_ROOTS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix.lower() in CODE_SUFFIXES and "__pycache__" not in path.parts:
                hasher.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for path in sorted(Path(sources_dir).rglob("*.yaml")):
        hasher.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


def common_key(common: dict) -> bytes:
    """What ``common_context`` makes of the inputs: the rest of it is code and the language."""
    return json.dumps([common["lang"], common["edition"], common["code_version"], common["data_as_of"]]).encode()


@dataclasses.dataclass
class PageReuse:
    """The published pages' keys, read before the render; the render's workers consult it."""

    site_dir: Path                                   # the published site (still in place while rendering)
    previous: dict[str, list[str]] = dataclasses.field(default_factory=dict)   # path -> [key, sha256]

    @classmethod
    def load(cls, cache_dir: Path, site_dir: Path) -> PageReuse:
        try:
            record = json.loads((Path(cache_dir) / RECORD).read_text(encoding="utf-8"))
            previous = record["pages"] if record.get("code") == code_digest() else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            previous = {}
        return cls(Path(site_dir), {str(k): list(v) for k, v in previous.items()} if isinstance(previous, dict)
                   else {})

    def published(self, path: str, key: str) -> str | None:
        """The published page at ``path`` when it was rendered from ``key`` and is unchanged since."""
        content = self.published_bytes(path, key)
        return content.decode("utf-8") if content is not None else None

    def published_bytes(self, path: str, key: str) -> bytes | None:
        """The published file at ``path`` (a page, a workbook) when it was made from ``key`` and is
        unchanged since."""
        entry = self.previous.get(path)
        if not entry or entry[0] != key:
            return None
        try:
            content = (self.site_dir / path).read_bytes()
        except OSError:
            return None
        return content if hashlib.sha256(content).hexdigest() == entry[1] else None


def file_key(*parts: Any) -> str:
    """The key of a file made from ``parts`` alone (and the code): ``parts`` digested value by value."""
    return hashlib.sha256(code_digest().encode() + b"\0" + Digest()(parts)).hexdigest()


def save_record(cache_dir: Path, keys: dict[str, str], files: dict[str, bytes]) -> None:
    """After the site is swapped in: the keys of its pages (written whole, then renamed into place)."""
    pages = {path: [key, hashlib.sha256(files[path]).hexdigest()] for path, key in sorted(keys.items())}
    write_whole(Path(cache_dir) / RECORD, json.dumps({"code": code_digest(), "pages": pages}, indent=0) + "\n")


@dataclasses.dataclass
class Rendered:
    """One family in one language: its pages, the keys of those that have one, and how many were reused."""

    pages: dict[str, str]
    keys: dict[str, str] = dataclasses.field(default_factory=dict)
    reused: int = 0


def render_all(pages: Iterable[Page], env, lang: str, common: dict) -> dict[str, str]:
    """Every page rendered, none taken over: a family's ``render`` (the reports.pages contract)."""
    return {page.path: page.html(env, lang, common) for page in pages}


def render(pages: Iterable[Page], env, lang: str, common: dict, reuse: PageReuse | None,
           full_path: Callable[[str], str]) -> Rendered:
    """Every page, each taken over from the published site when its key is unchanged."""
    digest = Digest()
    base = hashlib.sha256(code_digest().encode() + b"\0" + common_key(common)).digest()
    out = Rendered({})
    for page in pages:
        full = full_path(page.path)
        key = hashlib.sha256(base + full.encode() + b"\0" + f"{page.render.__module__}.{page.render.__qualname__}"
                             .encode() + b"\0" + digest(page.args)).hexdigest()
        html = reuse.published(full, key) if reuse is not None else None
        if html is None:
            html = page.html(env, lang, common)
        else:
            out.reused += 1
        out.pages[page.path] = html
        out.keys[full] = key
    return out
