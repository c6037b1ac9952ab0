"""The site's frame and the national follow-up as a reader meets them (issue 9, H8): the menu,
breadcrumbs and language switch on every page, the footer's facts, the Content-Security-Policy,
the key-results paragraph per objective in both languages, and no verdict colour for down*."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from indicators.i18n import t
from indicators.registry import load_catalogue
from indicators.sources import load_sources
from reports import followup
from reports.sentences import number_word
from reports.site import SiteInputs, render_pages

NAV = {"sv": ["Översikt", "Målsättningar", "Indikatorer", "Åtgärdsprogrammet", "Myndigheter", "Källor", "Metod"],
       "en": ["Overview", "Objectives", "Indicators", "Action programme", "Agencies", "Sources", "Methods"]}
NAV_TARGETS = ["index.html", "objectives/index.html", "indicators/index.html", "programme.html",
               "agencies/index.html", "sources.html", "methods.html"]


# -------------------------------------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def site(built_in_process) -> Path:
    return built_in_process / "out" / "site"


@pytest.fixture(scope="module")
def pages(site) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def warehouse_inputs(built_in_process) -> SiteInputs:
    """The indicator part of SiteInputs, read from the built warehouse as the report asset reads it."""
    catalogue = load_catalogue()
    path = built_in_process / "out" / "warehouse" / "warehouse.duckdb"
    with duckdb.connect(str(path), read_only=True) as conn:
        results = {i: conn.execute(f'select * from indicators."{i}" order by all').df()
                   for i, spec in catalogue.items() if not spec.is_development}
        assessments = conn.execute("select * from indicators.assessment order by all").df()
        snapshots = conn.execute("select distinct sha256, source_id, original_name, retrieved from raw.snapshots").df()
    return SiteInputs(edition="test", code_version="test", catalogue=catalogue, results=results,
                      assessments=assessments, sources=load_sources(), snapshots=snapshots, inputs=())


def lang_of(path: str) -> str:
    return "en" if path.startswith("en/") else "sv"


def resolve(page: str, href: str) -> str:
    """The site-relative file an href on ``page`` points to (fragment dropped)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0]))


def block(html: str, start: str, end: str) -> str:
    i = html.index(start)
    return html[i:html.index(end, i)]


def paragraph_of(html: str, number: int) -> str:
    section = block(html, f'<h2 id="objective-{number}">', "</section>")
    text = re.search(r'<p class="key-results">(.*?)</p>', section, re.S).group(1)
    return text.replace("&#39;", "'").replace("&amp;", "&")


# -------------------------------------------------------------------------------------- navigation
def test_every_page_has_the_menu_in_its_language_pointing_at_the_families(pages):
    assert len(pages) > 100
    for path, html in pages.items():
        lang = lang_of(path)
        menu = block(html, '<nav class="site-nav"', "</nav>")
        links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', menu)
        assert [label for _, label in links] == NAV[lang], path
        prefix = "" if lang == "sv" else "en/"
        assert [resolve(path, href) for href, _ in links] == [prefix + target for target in NAV_TARGETS], path
        assert menu.count('aria-current="page"') <= 1, path
        assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html, path


def test_menu_marks_the_current_family(pages):
    for path, current in (("index.html", "Översikt"), ("objectives/2.html", "Målsättningar"),
                          ("en/indicators/index.html", "Indicators"), ("indicators/MVK01.html", "Indikatorer")):
        menu = block(pages[path], '<nav class="site-nav"', "</nav>")
        assert re.search(r'aria-current="page">' + current + "<", menu), path


def test_breadcrumbs_lead_home_and_end_at_the_page(pages, site):
    for path, html in pages.items():
        if path in ("index.html", "en/index.html"):
            assert 'class="breadcrumbs' not in html
            continue
        if 'class="breadcrumbs' not in html:
            pytest.fail(f"{path} has no breadcrumbs")
        trail = block(html, '<nav class="breadcrumbs', "</nav>")
        items = re.findall(r"<li>(.*?)</li>", trail, re.S)
        assert len(items) >= 2, path
        home = re.search(r'href="([^"]+)"', items[0]).group(1)
        assert resolve(path, home) == ("en/index.html" if lang_of(path) == "en" else "index.html"), path
        assert 'aria-current="page"' in items[-1] and "href" not in items[-1], path
        for item in items[:-1]:
            target = resolve(path, re.search(r'href="([^"]+)"', item).group(1))
            assert (site / target).is_file(), (path, target)
    trail = block(pages["en/objectives/P4.html"], '<nav class="breadcrumbs', "</nav>")
    assert re.findall(r">([^<>]+)</(?:a|span)>", trail) == ["Overview", "Objectives", "Programme objective P4"]


def test_language_switch_points_to_the_same_page_in_the_other_language(pages):
    for path, html in pages.items():
        switch = block(html, '<p class="language-switch">', "</p>")
        href = re.search(r'href="([^"]+)"', switch).group(1)
        expected = path[3:] if path.startswith("en/") else "en/" + path
        assert resolve(path, href) == expected, path
        assert expected in pages, f"{path}: the other language's page {expected} is missing"
        assert f'hreflang="{"sv" if lang_of(path) == "en" else "en"}"' in switch


# ------------------------------------------------------------------------------------------ footer
def test_footer_gives_edition_data_date_and_code_version(pages, site, built_in_process):
    edition = str(yaml.safe_load((built_in_process / "data" / "edition.yaml").read_text(encoding="utf-8"))["edition"])
    code_version = json.loads((site / "manifest.json").read_text(encoding="utf-8"))["code_version"]
    path = built_in_process / "out" / "warehouse" / "warehouse.duckdb"
    with duckdb.connect(str(path), read_only=True) as conn:
        latest = conn.execute("select max(s.retrieved) from raw.snapshots s "
                              "join raw.observations o on o.snapshot_sha256 = s.sha256").fetchone()[0]
    as_of = pd.Timestamp(latest).date().isoformat()
    for path, html in pages.items():
        footer = block(html, '<footer class="site-footer">', "</footer>")
        lang = lang_of(path)
        facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", footer, re.S))
        assert facts[t("site_core.footer.edition", lang)] == edition, path
        assert f'<time datetime="{as_of}">{as_of}</time>' == facts[t("site_core.footer.data_as_of", lang)], path
        assert facts[t("site_core.footer.code_version", lang)] == f"<code>{code_version}</code>", path
        targets = {resolve(path, h) for h in re.findall(r'href="([^"]+)"', footer)}
        prefix = "" if lang == "sv" else "en/"
        assert {prefix + p for p in ("methods.html", "sources.html", "accessibility.html", "about.html")} <= targets


# ------------------------------------------------------------------------------ security policy
CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def test_every_page_has_a_strict_csp_and_no_inline_executable_script(pages):
    for path, html in pages.items():
        policies = CSP.findall(html)
        assert len(policies) == 1, path
        assert html.index("Content-Security-Policy") < html.index("<script") if "<script" in html else True, path
        directives = {d.split()[0]: d.split()[1:] for d in policies[0].split("; ")}
        assert directives["default-src"] == ["'none'"], path
        assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
        assert not re.search(r"https?:|\*", policies[0]), path          # no outside origin at all
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            if 'type="application/json"' in attributes:
                continue
            assert re.search(r'\ssrc="[^"]+"', attributes) and not body.strip(), (path, attributes, body[:80])
            assert not re.search(r'src="(?:https?:)?//', attributes), path
        assert not re.search(r"\son[a-z]+\s*=", re.sub(r"<script.*?</script>", "", html, flags=re.S)), path
        assert "javascript:" not in html, path


# ------------------------------------------------------------------------------------ key results
def expected_counts(inputs: SiteInputs, number: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for spec in followup.objective_specs(inputs, number):
        if spec.is_development or spec.direction in ("down*", "contextual"):
            continue
        judged = inputs.main_assessment(spec)
        if judged and judged["progress"] in followup.JUDGED:
            counts[judged["progress"]] = counts.get(judged["progress"], 0) + 1
    return counts


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_key_results_paragraph_per_objective_gives_the_counts_in_words(pages, warehouse_inputs, lang):
    index = pages["index.html" if lang == "sv" else "en/index.html"]
    for number in followup.OBJECTIVES:
        text = paragraph_of(index, number)
        counts = expected_counts(warehouse_inputs, number)
        total = sum(counts.values())
        if total > 2 and len(counts) > 1:
            assert text.startswith(t("site_core.key.counts", lang, total=number_word(total, lang), counts="")[:-1]
                                   .rstrip(", ")), text
        for progress, n in counts.items():
            label = t(f"site_core.key.class.{progress}", lang)
            word = followup.count_word(n, lang)
            if len(counts) > 1:
                assert re.search(rf"\b{word}( shows?)? {label}\b", text), (number, progress, text)
            else:
                assert label in text, (number, text)
        for spec in followup.objective_specs(warehouse_inputs, number):
            assert f"({spec.id})" in text, (number, spec.id)       # every indicator is named
        objective_page = pages[("" if lang == "sv" else "en/") + f"objectives/{number}.html"]
        assert paragraph_of_page(objective_page) == text


def paragraph_of_page(html: str) -> str:
    text = re.search(r'<p class="key-results">(.*?)</p>', html, re.S).group(1)
    return text.replace("&#39;", "'").replace("&amp;", "&")


def test_key_results_on_the_shipped_data_read_as_written(pages):
    """Objective 2 on the shipped demo data, in full words: the sentence a ministry reader gets."""
    sv = paragraph_of(pages["index.html"], 2)
    assert sv.startswith("Av åtta indikatorer med underlag visar sju förbättring och en ingen tydlig förändring; "
                         "förbättring: andelen personer 16–84 år som utsattes för sexualbrott (MVK01), ")
    assert "Anmälda brott bedöms inte" in sv and "(MVK17)." in sv
    assert "Underlaget räcker ännu inte för att bedöma" in sv and "(MVK04)" in sv
    en = paragraph_of(pages["en/index.html"], 2)
    assert en.startswith("Of eight indicators with sufficient data, seven show improvement and one shows no clear "
                         "change; improvement: the share of people aged 16–84 exposed to sexual offences (MVK01), ")
    four = paragraph_of(pages["index.html"], 4)
    assert four.startswith("Båda indikatorerna med underlag visar förbättring: ")


def test_key_results_say_which_verdicts_rest_on_illustrative_values(warehouse_inputs):
    for lang in ("sv", "en"):
        for objective in followup.key_results(warehouse_inputs, lang):
            judged = {s.id: j for s in followup.objective_specs(warehouse_inputs, objective["number"])
                      if not s.is_development and s.direction not in ("down*", "contextual")
                      and (j := warehouse_inputs.main_assessment(s)) is not None and j["progress"] in followup.JUDGED}
            illustrative = sorted(i for i, j in judged.items() if bool(j["illustrative"]))
            text = objective["paragraph"]
            if not illustrative:
                assert "[ill.]" not in text
                continue
            sentence = next(s for s in re.split(r"(?<=\.) ", text) if "[ill.]" in s)
            if len(illustrative) == len(judged) > 2:
                assert sentence.startswith(("Alla", "All ")), sentence       # "Alla tio bedömningar …"
            elif len(illustrative) == len(judged) == 2:
                assert sentence.startswith(("Båda", "Both")), sentence
            else:
                assert all(i in sentence for i in illustrative), sentence
                assert not any(i in sentence for i in judged if i not in illustrative), sentence


# ------------------------------------------------------------------------------------------ down*
def tiles(html: str) -> dict[str, str]:
    out = {}
    for tile in re.findall(r'<li class="tile[^"]*">(.*?)</li>', html, re.S):
        out[re.search(r'class="indicator-id">(MVK\d\d)<', tile).group(1)] = tile
    return out


def test_no_verdict_class_on_down_star_or_contextual_tiles(pages):
    catalogue = load_catalogue()
    seen = set()
    for path in ("index.html", "en/index.html", *[f"{p}objectives/{o}.html" for p in ("", "en/")
                                                  for o in (1, 2, 3, 4, "P1", "P2", "P3", "P4", "P5", "P6")]):
        for indicator, tile in tiles(pages[path]).items():
            spec = catalogue[indicator]
            if spec.direction in ("down*", "contextual") or spec.is_development:
                assert "verdict-" not in tile, (path, indicator)
                seen.add(indicator)
                if not spec.is_development:
                    assert ("bedöms inte" if lang_of(path) == "sv" else "not assessed") in tile
            elif "verdict-" in tile:
                assert re.search(r'class="tile-verdict verdict-(improving|deteriorating|no_clear_change|'
                                 r'insufficient_data|break_in_series)"', tile)
    assert {"MVK08", "MVK09", "MVK10", "MVK11", "MVK12", "MVK17"} <= seen
    rows = re.findall(r"<tr>(.*?)</tr>", pages["indicators/index.html"], re.S)
    for row in rows:
        found = re.search(r"(MVK\d\d) ", row)
        if found and catalogue[found.group(1)].direction in ("down*", "contextual"):
            assert "verdict-" not in row, found.group(1)


def test_down_star_is_never_improving_even_if_an_assessment_says_so(warehouse_inputs):
    """The rule lives in the view model, not only in the assessment: a forged 'improving' row for a
    reported-crime indicator gets no colour and no word of progress."""
    forged = warehouse_inputs.assessments.copy()
    forged.loc[forged["indicator_id"] == "MVK08", "progress"] = "improving"
    inputs = replace(warehouse_inputs, assessments=forged)
    item = followup.item(inputs, inputs.catalogue["MVK08"], "sv")
    assert item["verdict_class"] == ""
    text = followup.paragraph(inputs, followup.objective_specs(inputs, 3), "sv")
    improving = re.search(r"förbättring: (.*?)(;|\.)", text).group(1)
    assert "MVK08" not in improving
    assert re.search(r"Anmälda brott bedöms inte[^.]*\(MVK08\)", text)


def test_an_objective_without_assessments_says_so(warehouse_inputs):
    inputs = replace(warehouse_inputs, assessments=pd.DataFrame())
    for lang in ("sv", "en"):
        text = followup.paragraph(inputs, followup.objective_specs(inputs, 2), lang)
        assert text.startswith(t("site_core.key.none", lang))
        assert "MVK16" in text          # the development indicator is still named


# ------------------------------------------------------------------------------ overview content
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_overview_has_tiles_programme_chart_collaboration_and_links(pages, lang):
    prefix = "" if lang == "sv" else "en/"
    html = pages[prefix + "index.html"]
    shown = tiles(html)
    for spec in load_catalogue().values():
        for objective in spec.strategy_objectives:
            section = block(html, f'<h2 id="objective-{objective}">', "</section>")
            assert f'class="indicator-id">{spec.id}<' in section, (spec.id, objective)
    with_data = [i for i, tile in shown.items() if 'class="tile-value"' in tile]
    # MVK27 has one year so far (the report year): no line to draw, like MVK04
    assert with_data and all('<svg class="sparkline"' in shown[i] for i in with_data if i not in ("MVK04", "MVK27"))
    chart = block(html, '<section aria-labelledby="programme">', "</section>")
    assert chart.count('<svg class="state-chart"') == 1 and 'role="img"' in chart
    counts = [int(n) for n in re.findall(r"<td[^>]*>(\d+)", chart)]
    assert len(counts) == 5 and sum(counts) == 132
    assert 'aria-labelledby="collaboration"' in html and "collaboration.html" in html
    assert 'id="development"' in html and "MVK26" in block(html, 'id="development"', "</section>")
    for target in ("methods.html", "sources.html"):
        assert any(resolve(prefix + "index.html", h) == prefix + target
                   for h in re.findall(r'href="([^"#]+)', html)), target


def test_objective_pages_exist_for_strategy_and_programme_objectives_with_measures(pages):
    for prefix in ("", "en/"):
        for objective in (1, 2, 3, 4, "P1", "P2", "P3", "P4", "P5", "P6"):
            html = pages[f"{prefix}objectives/{objective}.html"]
            measures = block(html, '<section aria-labelledby="measures">', "</section>")
            links = re.findall(r'href="\.\./measures/(A\d{3})\.html"', measures)
            assert links, objective
            assert len(re.findall(r'<td class="state-', measures)) == len(links), objective
        assert all(f"objectives/{o}.html" in pages[f"{prefix}objectives/index.html"] for o in (1, 4, "P1", "P6"))
    p3 = pages["objectives/P3.html"]
    for spec in load_catalogue().values():
        assert (f'class="indicator-id">{spec.id}<' in p3) == ("P3" in spec.programme_objectives), spec.id


def test_indicator_list_page_lists_every_indicator_once(pages):
    for prefix in ("", "en/"):
        html = pages[prefix + "indicators/index.html"]
        table = block(html, "<table", "</table>") + block(html, '<h2 id="development">', "</ul>")
        targets = [resolve(prefix + "indicators/index.html", h) for h in re.findall(r'href="([^"]+)"', table)]
        for spec in load_catalogue().values():
            assert targets.count(f"{prefix}indicators/{spec.id}.html") == 1, spec.id


def test_pages_render_without_a_programme(warehouse_inputs):
    """A site built without the action programme still has its overview and objective pages."""
    inputs = replace(warehouse_inputs, programme=None)
    rendered = render_pages(inputs)
    assert "index.html" in rendered and "en/objectives/P1.html" not in rendered
    assert 'aria-labelledby="programme"' not in rendered["index.html"]
    assert 'class="key-results"' in rendered["objectives/2.html"]
