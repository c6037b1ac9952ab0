"""The reference pages as a reader meets them (issue 9 items 7 and 8, H11): the sources page with its
release calendar judged on the build's date, the methods page with its seven anchored sections (the
breaks list, the suppression counts, the glossary), the accessibility statement in Digg's structure
and the about page, each in Swedish and English, from the shipped build."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest

from indicators.freshness import next_release
from indicators.i18n import t
from indicators.sources import load_sources
from pipelines.defs.reports import read_site_inputs
from pipelines.settings import FollowupPaths
from reports.pages import reference
from reports.render import environment
from reports.site import SiteInputs, common_context

LANGS = ("sv", "en")
METHOD_ANCHORS = ("assessment", "flags", "disclosure", "illustrative", "reference-years", "breaks", "glossary")


# -------------------------------------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def site(built_in_process) -> Path:
    return built_in_process / "out" / "site"


def page(site: Path, lang: str, rel: str) -> str:
    return (site / (rel if lang == "sv" else f"en/{rel}")).read_text(encoding="utf-8")


def text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def section(document: str, anchor: str) -> str:
    match = re.search(rf'<section aria-labelledby="{anchor}">(.*?)</section>', document, re.S)
    assert match, f"no section #{anchor}"
    return match.group(1)


def rows(fragment: str) -> list[str]:
    return [text(r) for r in re.findall(r"<tr>(.*?)</tr>", fragment, re.S)]


@pytest.fixture(scope="module")
def inputs(built_in_process, tmp_path_factory) -> SiteInputs:
    """SiteInputs read from (a copy of) the built warehouse exactly as the report asset reads them."""
    copy = tmp_path_factory.mktemp("reference") / "warehouse.duckdb"
    shutil.copyfile(built_in_process / "out" / "warehouse" / "warehouse.duckdb", copy)
    paths = FollowupPaths(data_dir=str(built_in_process / "data"), out_dir=str(built_in_process / "out"))
    with duckdb.connect(str(copy)) as conn:
        return read_site_inputs(conn, paths)


def render_sources(inputs: SiteInputs, lang: str, build_date: str) -> str:
    dated = replace(inputs, build_date=build_date)
    return reference.render(dated, environment(), lang, common_context(dated, lang))["sources.html"]


def calendar_row(document: str, title_part: str) -> str:
    calendar = document[document.index('class="data wide ref-calendar"'):document.index('id="sources"')]
    found = [r for r in rows(calendar) if title_part in r]
    assert len(found) == 1, (title_part, found)
    return found[0]


# ---------------------------------------------------------------------------------- every page
@pytest.mark.parametrize("lang", LANGS)
def test_each_reference_page_exists_in_both_languages_with_its_heading(site, lang):
    titles = {"sources.html": "ref.sources.title", "methods.html": "ref.methods.title",
              "accessibility.html": "ref.a11y.title", "about.html": "ref.about.title"}
    for rel, key in titles.items():
        document = page(site, lang, rel)
        assert f'<html lang="{lang}">' in document
        assert f"<h1>{html.escape(t(key, lang), quote=False)}</h1>" in document, rel
        other = "en/" + rel if lang == "sv" else "../" + rel
        assert f'href="{other}"' in document, f"{rel}: the language switch leads to the same page"
        # The only script is the editions banner every page carries (docs/editions.md): nothing else runs.
        scripts = re.findall(r"<script[^>]*>", document)
        assert all(re.fullmatch(r'<script src="(\.\./)*assets/editions\.js" defer>', s) for s in scripts), rel


# ------------------------------------------------------------------------------------- sources
def test_sources_page_lists_every_source_with_its_facts(site):
    document = page(site, "sv", "sources.html")
    for spec in load_sources().values():
        assert f'id="source-{spec.id}"' in document, spec.id
        block = text(document[document.index(f'id="source-{spec.id}"'):].split("</section>")[0])
        for fact in (spec.publisher["sv"], spec.table_id, spec.licence["sv"]):
            assert fact in block, (spec.id, fact)
        assert "Hämtad 2" in block, f"{spec.id}: a retrieval date"
    english = text(page(site, "en", "sources.html"))
    assert "Release calendar" in english and "Latest data year" in english and "Publicerings" not in english


def test_sources_page_states_the_build_date_it_judges_on(site):
    build_day = json.loads((site / "manifest.json").read_text(encoding="utf-8"))["build_time"][:10]
    sv, en = text(page(site, "sv", "sources.html")), text(page(site, "en", "sources.html"))
    assert f"Förseningarna är bedömda den {build_day}, den dag uppföljningen byggdes" in sv
    assert f"Delays are judged as of {build_day}, the day the follow-up was built" in en


def test_overdue_is_judged_on_the_given_date_by_the_release_calendar(inputs):
    """Brå's lethal violence for 2025 is due by 30 April 2026: on time that day, overdue the next."""
    lethal = load_sources()["bra_lethal_violence"]
    assert inputs.source_years["bra_lethal_violence"] == 2024
    release = next_release(lethal, 2024)
    assert (release.data_year, release.due) == (2025, date(2026, 4, 30))
    on_time = render_sources(inputs, "sv", "2026-04-30")
    overdue = render_sources(inputs, "sv", "2026-05-01")
    assert "2024 I tid 2025: mars–april 2026 (senast 2026-04-30)" in calendar_row(on_time, "dödligt våld")
    assert "2024 Försenad 2025: mars–april 2026 (senast 2026-04-30)" in calendar_row(overdue, "dödligt våld")
    assert "bedömda den 2026-05-01" in text(overdue)
    english = render_sources(inputs, "en", "2026-05-01")
    assert "2024 Overdue 2025: March–April 2026 (by 2026-04-30)" in calendar_row(english, "lethal violence")
    # the irregular survey is never overdue, and the biennial one waits for its next round
    assert calendar_row(overdue, "våld i en nära relation").endswith("2022 Oregelbunden")
    assert "2024 I tid 2026: september 2027" in calendar_row(overdue, "fysiskt våld eller hot")
    # the same day gives the same page, byte for byte
    assert render_sources(inputs, "sv", "2026-05-01") == overdue


def test_states_are_those_mvk_status_reports_on_the_same_day(inputs, built_in_process):
    """The page and `mvk status` (pipelines/status.py) read the same calendar: same state per source."""
    from pipelines.status import source_status

    day = date(2026, 12, 1)
    status, note = source_status(built_in_process / "out" / "warehouse" / "warehouse.duckdb", day)
    assert note is None
    view = reference.release_calendar(inputs, "sv", day)
    assert {s["id"]: s["state"] for s in view["sources"]} == {s["id"]: s["state"] for s in status}
    assert view["overdue"] == len([s for s in status if s["overdue"]]) > 0


# ------------------------------------------------------------------------------------- methods
@pytest.mark.parametrize("lang", LANGS)
def test_methods_page_has_every_anchored_section(site, lang):
    document = page(site, lang, "methods.html")
    for anchor in METHOD_ANCHORS:
        assert f'<h2 id="{anchor}">' in document, anchor
        assert len(text(section(document, anchor))) > 200, f"#{anchor} says something"
    assessment = text(section(document, "assessment"))
    assert ("1 procent per år" if lang == "sv" else "1 per cent a year") in assessment
    flags = text(section(document, "flags"))
    for letter in "cxzuprbe":
        assert f"[{letter}]" in flags


def test_breaks_list_holds_lethal_violence_2024_and_open_comparisons_2024(site):
    for lang, lethal, oj in (("sv", "dödligt våld", "24 månaderna"), ("en", "lethal violence", "24 months")):
        table = rows(section(page(site, lang, "methods.html"), "breaks"))
        lethal_rows = [r for r in table if r.startswith("2024") and lethal in r.lower()]
        assert lethal_rows and all(i in lethal_rows[0] for i in ("MVK05", "MVK06", "MVK07")), table
        oj_rows = [r for r in table if r.startswith("2024") and oj in r]
        assert {i for r in oj_rows for i in ("MVK21", "MVK22", "MVK23", "MVK24") if i in r} == \
            {"MVK21", "MVK22", "MVK23", "MVK24"}
        assert any(r.startswith("2025") and "Cell Key" in r for r in table), "SCB population 2025"
        assert any(r.startswith("2016") and "NTU" in r for r in table)
        # the assault-only breaks do not name the contact-ban breaches built on the same source
        assault = [r for r in table if r.startswith("2019")]
        assert assault and all("MVK17" not in r for r in assault)


def test_breaks_list_has_every_declared_break(inputs):
    declared = {(s.id, int(b["year"])) for s in inputs.sources.values() for b in s.series_breaks}
    listed = reference.series_breaks(inputs, "en")
    assert len([r for r in listed if r["href"].startswith("sources.html")]) == len(declared)


def test_disclosure_section_publishes_the_suppression_counts(site):
    with (site / "data" / "suppression.csv").open(encoding="utf-8") as handle:
        counts = list(csv.DictReader(handle))
    assert counts, "the shipped build hides cells in MVK12"
    for lang in LANGS:
        disclosure = section(page(site, lang, "methods.html"), "disclosure")
        table = rows(disclosure)
        for row in counts:
            hit = [r for r in table if r.startswith(row["indicator_id"])]
            assert hit and hit[0].endswith(f"{row['primary']} {row['secondary']}"), (row, table)
        assert 'href="../data/suppression.csv"' in disclosure if lang == "en" else \
            'href="data/suppression.csv"' in disclosure


def test_glossary_in_both_languages(site):
    sv = text(section(page(site, "sv", "methods.html"), "glossary"))
    en_doc = section(page(site, "en", "methods.html"), "glossary")
    en = text(en_doc)
    assert "kontaktförbud" in sv and "grov kvinnofridskränkning" in sv and "contact ban" in sv
    assert "contact ban" in en and "gross violation of a woman's integrity" in en
    assert '<span lang="sv">kontaktförbud; återfall</span>' in en_doc, "the Swedish term is marked Swedish"


def test_reference_years_explain_ntu_and_cohorts(site):
    sv = text(section(page(site, "sv", "methods.html"), "reference-years"))
    en = text(section(page(site, "en", "methods.html"), "reference-years"))
    assert "undersökningsåret minus ett" in sv and "kohort" in sv
    assert "survey year minus one" in en and "cohort" in en


# ------------------------------------------------------------------------------ accessibility
def test_accessibility_statement_follows_diggs_structure(site):
    for lang, headings in (
            ("sv", ("Hur tillgänglig är webbplatsen?", "Kända brister", "Rapportera brister", "Tillsyn",
                    "Hur vi testat webbplatsen")),
            ("en", ("How accessible is this website?", "Known shortcomings", "Reporting shortcomings",
                    "Enforcement procedure", "How we tested the website"))):
        document = page(site, lang, "accessibility.html")
        found = [text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", document)]
        for heading in headings:
            assert any(h.startswith(heading) for h in found), (heading, found)
        body = text(document)
        assert ("delvis förenlig" if lang == "sv" else "partially compliant") in body
        assert "digg.se/tdosanmalan" in body and 'href="https://digg' not in document, "named, not linked or fetched"
        assert "Nu HTML Checker" in body and "axe-core" in body
        assert ("[att fylla i]" if lang == "sv" else "[to be filled in]") in body
        assert re.search(r"\d{4}-\d{2}-\d{2}", body.split("Nu HTML Checker")[1]), "the statement's date"


# -------------------------------------------------------------------------------------- about
def test_about_page_says_what_who_licence_cite_and_version(site):
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    for lang, words in (("sv", ("2017–2026", "2024", "132 åtgärder", "[att fylla i]", "Så citerar du")),
                        ("en", ("2017 to 2026", "2024", "132 measures", "[to be filled in]", "How to cite"))):
        body = text(page(site, lang, "about.html"))
        for word in words:
            assert word in body, (lang, word)
        assert manifest["edition"] in body and manifest["code_version"] in body
        assert body.count("[att fylla i]" if lang == "sv" else "[to be filled in]") >= 4, "contact details"
