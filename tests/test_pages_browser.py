"""Every page type in real Chromium, as a reader on a phone meets it: charts drawn, no console error, no
request outside the site, no sideways scroll at 390 px; and every internal link leads to a file.

One page per type and language (the first in path order) is opened in the system Chromium through
Playwright (never a downloaded browser). A type whose pages are not built yet is skipped with the
reason, so the test grows as the site does. ``page_type`` is also what tests/test_site.py uses to
pick one page per template for the Nu checker and axe on a local ``make test``.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from html_check import local_page

MOBILE_WIDTH = 390

# (type, how to recognise its path, who builds it) in the order a reader meets them.
PAGE_TYPES: list[tuple[str, str, str]] = [
    ("index", r"index\.html", "H8"),
    ("objective", r"objectives/\d+\.html", "H8"),
    ("programme objective", r"objectives/P\d+\.html", "H8"),
    ("objective list", r"objectives/index\.html", "H8"),
    ("indicator list", r"indicators/index\.html", "H8"),
    ("indicator", r"indicators/MVK\d+\.html", "H9"),
    ("development indicator", r"indicators/MVK\d+\.html", "H9"),
    ("programme", r"programme\.html", "H10"),
    ("measure", r"measures/[^/]+\.html", "H10"),
    ("agency list", r"agencies/index\.html", "H10"),
    ("agency", r"agencies/[^/]+\.html", "H10"),
    ("collaboration", r"collaboration\.html", "H10"),
    ("sources", r"sources\.html", "H11"),
    ("methods", r"methods\.html", "H11"),
    ("accessibility", r"accessibility\.html", "H11"),
    ("about", r"about\.html", "H11"),
    ("search", r"search\.html", "H11"),
    ("changes", r"changes\.html", "H11"),
    ("editions", r"editions\.html", "H11"),
]
LANG_PREFIX = {"sv": "", "en": "en/"}


def is_development_page(html: str) -> bool:
    """A development indicator's page: no data, so no chart and no data table."""
    return "data-figure" not in html and "<table" not in html


def page_type(rel: str, html: str) -> str | None:
    """The page type of a site-relative path (either language), or None for a page of no known type."""
    bare = rel[3:] if rel.startswith("en/") else rel
    for name, pattern, _ in PAGE_TYPES:
        if name == "agency" and bare == "agencies/index.html":
            continue
        if re.fullmatch(pattern, bare):
            if name in ("indicator", "development indicator"):
                return "development indicator" if is_development_page(html) else "indicator"
            return name
    return None


def one_page_per_type(site: Path) -> dict[tuple[str, str], str]:
    """{(type, lang): the first such page in path order}, for the pages that exist."""
    chosen: dict[tuple[str, str], str] = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        kind = page_type(rel, path.read_text(encoding="utf-8"))
        lang = "en" if rel.startswith("en/") else "sv"
        if kind is not None:
            chosen.setdefault((kind, lang), rel)
    return chosen


@pytest.fixture(scope="module")
def site(built_in_process) -> Path:
    return built_in_process / "out" / "site"


@pytest.fixture(scope="module")
def phone(chromium_browser):
    """One 390 px phone tab for every page of the module, as a reader goes from page to page: a new
    browser context per page cost about 0.2 s of the 0.6 s each of the 38 pages took (issue 13).
    Yields (page, refused requests, console errors); each test empties the two lists first."""
    context = chromium_browser.new_context(viewport={"width": MOBILE_WIDTH, "height": 844}, device_scale_factor=1,
                                           is_mobile=True, has_touch=True)
    try:
        yield local_page(context)
    finally:
        context.close()


@pytest.fixture(scope="module")
def chosen_pages(site) -> dict[tuple[str, str], str]:
    return one_page_per_type(site)


def open_page(phone, path: Path) -> dict:
    """Open one page on the phone, refusing every request that is not a local file; return what a
    reader would notice: console errors, refused requests, scroll width and the charts."""
    page, refused, errors = phone
    refused.clear()
    errors.clear()
    page.goto(path.as_uri(), wait_until="load")
    figures = page.locator("[data-figure]").count()
    if figures:
        page.wait_for_function("Array.from(document.querySelectorAll('[data-figure]'))"
                               ".every(d => d.querySelector('svg.main-svg'))", timeout=20_000)
    page.wait_for_timeout(100)
    return {"errors": list(errors), "refused": list(refused), "figures": figures,
            "drawn": page.evaluate("Array.from(document.querySelectorAll('[data-figure]'))"
                                   ".filter(d => d.querySelector('svg.main-svg')).length"),
            "scroll_width": page.evaluate("document.documentElement.scrollWidth")}


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("kind", [name for name, _, _ in PAGE_TYPES])
def test_page_type_renders_in_chromium_at_phone_width(site, chosen_pages, phone, kind, lang):
    assert (kind, lang) in chosen_pages, f"the build has no {kind} page in {lang}"   # every page type exists now
    rel = chosen_pages[(kind, lang)]
    seen = open_page(phone, site / rel)
    assert not seen["errors"], (rel, seen["errors"][:3])
    assert not seen["refused"], (rel, seen["refused"][:3])
    assert seen["drawn"] == seen["figures"], rel       # every chart has its plotly SVG
    if kind == "indicator":
        assert seen["figures"] >= 1, rel
    assert seen["scroll_width"] <= MOBILE_WIDTH, (rel, seen["scroll_width"])


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if values.get(name) and not (tag == "link" and values.get("rel") in ("canonical", "alternate")
                                         and values[name].startswith("http")):
                self.links.append(values[name])


def _parsed(path: Path, cache: dict) -> _Links:
    if path not in cache:
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        cache[path] = parser
    return cache[path]


def test_every_internal_link_resolves_to_a_file_and_its_anchor(site):
    """Relative links and sources on every page lead to a file of the site, and a #fragment to an id
    on the target page (methods.html#flags must land on the flags)."""
    cache: dict[Path, _Links] = {}
    broken = []
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    # Without Chromium the PDFs are not made (the manifest says so); a link to them is then expected.
    no_pdf = manifest.get("print_edition", {}).get("status") != "written"
    for page in sorted(site.rglob("*.html")):
        for link in _parsed(page, cache).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("//"):
                continue                              # outside the site (source links, mailto:)
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            rel = page.relative_to(site).as_posix()
            if no_pdf and target.suffix == ".pdf":
                continue
            if not target.is_file() or site.resolve() not in target.resolve().parents:
                broken.append((rel, link))
            elif parts.fragment and target.suffix == ".html" and \
                    unquote(parts.fragment) not in _parsed(target, cache).ids:
                broken.append((rel, link))
    assert not broken, f"{len(broken)} broken links, e.g. {broken[:8]}"


def test_page_type_names_every_page_of_the_site(site):
    """Each page belongs to a known type, so the per-template checks cover every template."""
    unknown = [p.relative_to(site).as_posix() for p in sorted(site.rglob("*.html"))
               if page_type(p.relative_to(site).as_posix(), p.read_text(encoding="utf-8")) is None]
    assert not unknown, unknown[:10]
