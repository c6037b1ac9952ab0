"""The action programme's pages (issue 9 items 4, 5, 6, 10): a page per measure and per agency, the
collaboration assignment, the overview that links to them, and no raw register code anywhere.

Read from the site the real CLI built once per session (``built_in_process``); the escaping test renders
the page module on the real warehouse tables with one obstacle replaced by markup.
"""

from __future__ import annotations

import csv
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from markupsafe import escape

from indicators.i18n import t
from indicators.programme.register import load_register
from indicators.registry import load_catalogue
from reports.programme import STATE_ORDER

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REGISTER = load_register(PROJECT_ROOT / "data")
CATALOGUE = load_catalogue()
LANGS = ("sv", "en")
MAX_PAGE_BYTES = 150 * 1024
ASSIGNMENT = ("polisen", "aklagarmyndigheten", "kriminalvarden", "socialstyrelsen")


class PageText(HTMLParser):
    """The text a reader sees (no attributes, no script or style), each piece with the language of the
    element it stands in (the nearest ``lang`` attribute)."""

    VOID = {"br", "img", "meta", "link", "input", "hr", "source", "wbr", "area", "base", "col", "embed", "track"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.pieces: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if any(tag in ("script", "style") for tag, _ in self.stack):
            return
        lang = next((lang for _, lang in reversed(self.stack) if lang), "")
        if data.strip():
            self.pieces.append((lang, data))


def esc(text: str) -> str:
    """As Jinja's autoescape writes it."""
    return str(escape(text))


def page_text(page: str) -> list[tuple[str, str]]:
    parser = PageText()
    parser.feed(page)
    return parser.pieces


def _words(text: str) -> set[str]:
    return {w.casefold() for w in re.split(r"[^\w]+", text) if w}


def register_codes() -> set[str]:
    """Every code of the register's code lists that a reader must never see as a word: statuses (the
    proposed taxonomy), follow-up states, derived states, perspectives, obstacle categories, measure
    types, the assignment's task ids, agency, key figure and relation ids. A code that is itself a word
    of its own label (``resurser`` is labelled "Resurser", ``completed`` "Completed") reads as the label
    and is left out."""
    labelled = [REGISTER.statuses, REGISTER.derived_states, REGISTER.perspectives, REGISTER.obstacle_categories,
                REGISTER.measure_types]
    codes = set()
    for entries in labelled:
        for code, entry in entries.items():
            if code.casefold() not in _words(" ".join(entry["label"].values())):
                codes.add(code)
    for state in STATE_ORDER:
        if state.casefold() not in _words(t(f"ap.state.{state}", "sv") + " " + t(f"ap.state.{state}", "en")):
            codes.add(state)
    codes |= {task["id"] for task in REGISTER.collaboration_assignment["tasks"]}
    codes |= set(REGISTER.key_figures) | {r.id for r in REGISTER.key_figure_relations}
    for agency in REGISTER.agencies.values():
        if agency.id.casefold() not in _words(" ".join([*agency.name.values(), *agency.aliases])):   # "Polisen"
            codes.add(agency.id)
    return codes


CODES = register_codes()
CODE_PATTERN = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, CODES), key=len, reverse=True))
                          + r")(?![\w-])")


# Codes that are also ordinary Swedish words ("släktens heder"): a raw code only in text that is not Swedish.
SWEDISH_WORDS = {"heder", "flickor"}      # "könsstympning av flickor": the word, not the perspective code
URL = re.compile(r"https?://\S+")       # a shown address (bra.se, kriminalvarden.se) is not a code


def raw_codes(page: str) -> set[str]:
    found = set()
    for lang, text in page_text(page):
        for match in CODE_PATTERN.finditer(URL.sub(" ", text)):
            if not (lang == "sv" and match.group(1) in SWEDISH_WORDS):
                found.add(match.group(1))
    return found


@pytest.fixture(scope="module")
def site(built_in_process) -> Path:
    return built_in_process / "out" / "site"


def read(site: Path, lang: str, rel: str) -> str:
    return ((site if lang == "sv" else site / "en") / rel).read_text(encoding="utf-8")


def section_ids(page: str) -> set[str]:
    return set(re.findall(r'<h2 id="([^"]+)"', page))


def programme_pages(site: Path) -> list[Path]:
    pages = []
    for root in (site, site / "en"):
        pages += [root / "programme.html", root / "collaboration.html", *sorted((root / "measures").glob("*.html")),
                  *sorted((root / "agencies").glob("*.html"))]
    return pages


# -------------------------------------------------------------------------------------- the no-raw-code test

def test_the_code_check_finds_codes_in_text_but_not_in_attributes():
    assert {"pagaende", "lag_sekretess"} <= CODES and "barnratt" in CODES and "ej_paborjad" in CODES
    assert raw_codes("<p>Status: pagaende</p>") == {"pagaende"}
    assert raw_codes("<td>lag_sekretess, barnratt</td>") == {"lag_sekretess", "barnratt"}
    assert raw_codes('<td class="state-no_report" id="ej_paborjad"><a href="agencies/polisen.html">Pågående</a></td>') \
        == set()
    assert raw_codes("<p>saknar resurser och kompetens</p>") == set()       # words that are their own label
    assert raw_codes("<script>{\"s\": \"pagaende\"}</script><p>ok</p>") == set()
    assert raw_codes('<html lang="sv"><p>släktens heder, https://bra.se/x</p></html>') == set()
    assert raw_codes('<html lang="en"><p>Perspectives: heder</p></html>') == {"heder"}


def test_no_page_shows_a_register_code(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 2 * (1 + len(REGISTER.measures) + 1 + 1)
    found = {}
    for path in pages:
        codes = raw_codes(path.read_text(encoding="utf-8"))
        if codes:
            found[str(path.relative_to(site))] = sorted(codes)
    assert found == {}


# ------------------------------------------------------------------------------------------ measure pages

MEASURE_SECTIONS = {"facts", "status", "reports", "history", "indicators"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_page_per_measure_with_its_sections(site, lang):
    for measure in REGISTER.measures.values():
        page = read(site, lang, f"measures/{measure.id}.html")
        assert MEASURE_SECTIONS <= section_ids(page), measure.id
        assert esc(measure.title[lang]) in page
        for agency in measure.agencies:
            assert f'href="../agencies/{agency}.html"' in page, (measure.id, agency)
            assert esc(REGISTER.agencies[agency].name[lang]) in page
        assert f'href="../objectives/{measure.programme_objective}.html"' in page
        for objective in measure.strategy_objectives:
            assert f'href="../objectives/{objective}.html"' in page
        for indicator in measure.indicators:
            assert f'href="../indicators/{indicator}.html"' in page
        if measure.deadline:
            assert measure.deadline.isoformat() in page


@pytest.mark.parametrize("lang", LANGS)
def test_measure_page_shows_reports_per_agency_and_year_marked_illustrative(site, lang):
    page = read(site, lang, "measures/A008.html")            # a real measure reported in an invented file
    title = t("programme_trust.marker_title", lang)
    reports = page[page.index('<h2 id="reports"'):page.index('<h2 id="history"')]
    row = re.search(r'<tr><th scope="row"><a href="../agencies/socialstyrelsen.html">[^<]+</a></th><td>2025</td>'
                    r'<td class="illustrative">([^<]+) <abbr title="([^"]+)">\[ill\.\]</abbr>', reports)
    assert row and row.group(1) == REGISTER.statuses["genomford"]["label"][lang] and row.group(2) == title
    status = page[page.index('<h2 id="status"'):page.index('<h2 id="reports"')]
    assert "Åtgärder!" in status                                # the evidence cites the report's cell
    assert t("ap.state.completed", lang) in status and "[ill.]" in status
    header = page[page.index("<h1"):page.index("</h1>")]
    assert "[ill.]" not in header                               # the measure itself is real


@pytest.mark.parametrize("lang", LANGS)
def test_measure_page_lists_related_indicators_with_latest_values(site, built_in_process, lang):
    measure = REGISTER.measures["A002"]
    page = read(site, lang, "measures/A002.html")
    indicators = page[page.index('<h2 id="indicators"'):]
    con = duckdb.connect(str(built_in_process / "out" / "warehouse" / "warehouse.duckdb"), read_only=True)
    try:
        for indicator in measure.indicators:
            if CATALOGUE[indicator].is_development:             # no values yet: said so
                said = re.escape(t("pp.development_indicator", lang))
                assert re.search(rf'{indicator}.html">[^<]+</a>: {said}', indicators)
                continue
            year = con.execute(f'select max(year) from indicators."{indicator}" where value is not null').fetchone()[0]
            item = re.search(rf'<li><a href="../indicators/{indicator}.html">[^<]+</a>: ([^<]+)', indicators)
            assert item and f"({year})" in item.group(1), (indicator, item and item.group(1))
    finally:
        con.close()


# ------------------------------------------------------------------------------------------- agency pages

AGENCY_SECTIONS = {"measures", "key-figures", "obstacles", "perspectives", "reports", "history"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_page_per_agency_with_contents_and_sections(site, lang):
    with_measures = [a for a in REGISTER.agencies if any(a in m.agencies for m in REGISTER.measures.values())]
    assert len(with_measures) >= 18
    index = read(site, lang, "agencies/index.html")
    for agency in with_measures:
        assert f'href="../agencies/{agency}.html"' in index
        page = read(site, lang, f"agencies/{agency}.html")
        assert AGENCY_SECTIONS <= section_ids(page), agency
        toc = page[page.index('class="toc"'):page.index("</nav>", page.index('class="toc"'))]
        assert all(f'href="#{s}"' in toc for s in AGENCY_SECTIONS)
        for measure in (m for m in REGISTER.measures.values() if agency in m.agencies):
            assert f'href="../measures/{measure.id}.html"' in page, (agency, measure.id)
        for label in (p["label"][lang] for p in REGISTER.perspectives.values()):
            assert esc(label) in page


@pytest.mark.parametrize("lang", LANGS)
def test_agency_page_key_figures_obstacles_and_reports(site, lang):
    page = read(site, lang, "agencies/aklagarmyndigheten.html")
    figures = page[page.index('<h2 id="key-figures"'):page.index('<h2 id="obstacles"')]
    assert figures.count("[c]</abbr>") == 2                     # the hidden small count and its partner
    obstacles = page[page.index('<h2 id="obstacles"'):page.index('<h2 id="perspectives"')]
    assert esc(REGISTER.obstacle_categories["lag_sekretess"]["label"][lang]) in obstacles
    assert t("ap.solution", lang) in obstacles
    refused = read(site, lang, "agencies/kriminalvarden.html")
    reports = refused[refused.index('<h2 id="reports"'):refused.index('<h2 id="history"')]
    assert "kriminalvarden_2025.xlsx" in reports and "kriminalvarden_2025_okand_atgard.csv" in reports
    missing = read(site, lang, "agencies/brottsoffermyndigheten.html")
    assert t("ap.no_submission", lang, year=2025) in missing


def test_agency_text_is_marked_swedish_on_english_pages(site):
    obstacles = list(csv.DictReader((site / "data" / "programme" / "obstacles.csv").open(encoding="utf-8")))
    for agency in ("polisen", "kriminalvarden"):
        mine = [o for o in obstacles if o["agency_id"] == agency and o["year"] == "2025"]   # the page's year
        assert mine
        for lang in LANGS:
            pieces = page_text(read(site, lang, f"agencies/{agency}.html"))
            for obstacle in mine:
                for text in (obstacle["description"], obstacle["proposed_solution"]):
                    langs = {piece_lang for piece_lang, piece in pieces if piece == text}
                    assert langs == {"sv"}, (agency, lang, text)   # the page is en, the text sv
    english = read(site, "en", "measures/A008.html")
    narrative = re.search(r"<dd><span lang=\"sv\">Illustrativt exempel[^<]+</span></dd>", english)
    assert narrative                                            # the agency's description, in Swedish
    assert '<span lang="sv">' not in read(site, "sv", "measures/A008.html")


# ------------------------------------------------------------------------------------ collaboration page

@pytest.mark.parametrize("lang", LANGS)
def test_collaboration_page_parts_by_agencies(site, lang):
    page = read(site, lang, "collaboration.html")
    assignment = REGISTER.collaboration_assignment
    assert tuple(assignment["agencies"]) == ASSIGNMENT
    matrix = page[page.index('<h2 id="parts"'):page.index('<h2 id="status"')]
    header = matrix[matrix.index("<thead>"):matrix.index("</thead>")]
    assert [a for a in ASSIGNMENT if f'agencies/{a}.html"' in header] == list(ASSIGNMENT)
    rows = re.findall(r'<tr><th scope="row">(\d)\. ([^<]+)</th>(.*?)</tr>', matrix)
    assert [html.unescape(task) for _, task, _ in rows] == [task[lang] for task in assignment["tasks"]]
    no_data = t("site.no_data", lang)
    for _, _, cells in rows:
        assert cells.count("<td") == len(ASSIGNMENT)
    # every part is reported part by part (template version 2): the status first, no "no data" for them
    assert no_data not in rows[1][2] and rows[1][2].count("[ill.]") == len(ASSIGNMENT)
    assert esc(REGISTER.statuses["pagaende"]["label"][lang]) in rows[1][2]
    assert t("pp.collab.obstacles_count", lang, count=4) in rows[2][2]
    status = page[page.index('<h2 id="status"'):page.index('<h2 id="perpetrators"')]
    assert ">2024</th>" in status and ">2025</th>" in status
    assert status.count('<a href="measures/A013.html">A013</a>') >= len(ASSIGNMENT)
    obstacles = page[page.index('<h2 id="obstacles"'):]
    for entry in REGISTER.obstacle_categories.values():
        assert esc(entry["label"][lang]) in obstacles
    by_category = {html.unescape(label): [int(n) for n in re.findall(r"<td>(\d+)</td>", cells)]
                   for label, cells in re.findall(r'<tr><th scope="row">([^<]+?)(?: <abbr[^>]*>\[ill\.\]</abbr>)?</th>'
                                                  r'((?:<td>\d+</td>)+)</tr>', obstacles)}
    law = by_category[REGISTER.obstacle_categories["lag_sekretess"]["label"][lang]]
    assert len(law) == len(ASSIGNMENT) + 1 and sum(law[:-1]) == law[-1]


# ---------------------------------------------------------------------------------- overview and weight

@pytest.mark.parametrize("lang", LANGS)
def test_overview_links_to_every_measure_and_agency_page(site, lang):
    page = read(site, lang, "programme.html")
    for measure in REGISTER.measures:
        assert f'href="measures/{measure}.html"' in page
    for agency in ASSIGNMENT:
        assert f'href="agencies/{agency}.html"' in page
    assert 'href="collaboration.html"' in page
    assert "<h2" in page and 'id="measures"' in page


def test_every_programme_page_is_at_most_150_kb(site):
    pages = programme_pages(site)
    assert len(pages) == 2 * (2 + len(REGISTER.measures) + 1 + 20)
    sizes = {str(p.relative_to(site)): p.stat().st_size for p in pages}
    assert max(sizes.values()) <= MAX_PAGE_BYTES, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]


def test_agency_text_is_escaped(built_in_process):
    """One obstacle replaced by markup, rendered by the page module on the real warehouse tables."""
    from pipelines.defs.reports import PROGRAMME_QUERIES
    from reports.pages import programme as pages
    from reports.programme import ProgrammeData
    from reports.render import environment
    from reports.site import SiteInputs, common_context

    con = duckdb.connect(str(built_in_process / "out" / "warehouse" / "warehouse.duckdb"), read_only=True)
    try:
        tables = {name: con.execute(query).df() for name, query in PROGRAMME_QUERIES.items()}
    finally:
        con.close()
    obstacles = tables["obstacles"]
    first = obstacles.index[(obstacles["agency_id"] == "polisen") & (obstacles["year"] == 2025)][0]   # shown
    tables["obstacles"].loc[first, "description"] = '<script>alert("x")</script>'
    data = ProgrammeData(register=REGISTER, year=2025, as_of="2025-12-31", tables=tables)
    inputs = SiteInputs(edition="test", code_version="test", catalogue=CATALOGUE, results={}, sources={},
                        snapshots=tables["submissions"].iloc[0:0], inputs=(), programme=data)
    rendered = pages.render(inputs, environment(), "en", common_context(inputs, "en"))
    page = rendered["agencies/polisen.html"]
    assert "<script>alert" not in page
    assert '<span lang="sv">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</span>' in page
