"""The report pages as a reader meets them: structure, escaping, markers, and real browser checks."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import html_check
import pandas as pd
import pytest

from indicators.i18n import t
from indicators.registry import load_catalogue
from indicators.sources import load_sources
from reports.site import SiteInputs, render_pages

PLOTLY_TAG = re.compile(r'<script src="[^"]*assets/plotly-cartesian-4\.1\.1\.min\.js" defer></script>')


def pages(built):
    site = built / "site"
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_one_page_per_indicator_in_each_language(built):
    names = set(pages(built))
    for indicator in load_catalogue():
        assert f"indicators/{indicator}.html" in names
        assert f"en/indicators/{indicator}.html" in names
    assert {"index.html", "en/index.html"} <= names


# Pages of prose and links, without figures: the objective list, the accessibility statement, about, search.
PROSE_PAGES = {"objectives/index.html", "accessibility.html", "about.html", "search.html"}


def test_pages_have_language_one_h1_and_tables(built):
    for name, html in pages(built).items():
        lang = "en" if name.startswith("en/") else "sv"
        assert f'<html lang="{lang}">' in html, name
        assert html.count("<h1") == 1, name
        if 'class="notice" role="note"' in html and "MVK" in name and "<table" not in html:
            continue   # a development indicator: no data, so no table and no chart
        rel = name.removeprefix("en/")
        no_reports = rel.startswith("measures/") and ("No agency has reported on the measure" in html or
                                                      "Ingen myndighet har rapporterat" in html)
        first_edition = rel == "changes.html" and t("editions.changes.first", lang) in html  # nothing to compare
        if rel not in PROSE_PAGES and not no_reports and not first_edition:   # figures are given in a table
            assert "<table" in html and '<th scope="col">' in html, name
        if name.split("/")[-2:-1] == ["indicators"] and rel != "indicators/index.html":
            assert len(PLOTLY_TAG.findall(html)) == 1, name
            ids = re.findall(r'<div id="(fig-[^"]+)"', html)
            assert ids and len(ids) == len(set(ids)), name
            assert html.count("<table") >= 1
            assert 'role="img" aria-label="' in html
            assert "data/indicators/" in html          # the CSV download link
        else:
            assert "plotly" not in html, name           # the overview carries no chart library


def test_illustrative_values_are_marked_on_every_page_that_shows_them(built):
    for name, html in pages(built).items():
        if "[ill.]" in html:
            notice = "Illustrative values – not official statistics" if name.startswith("en/") else \
                "Illustrativa värden – inte officiell statistik"
            assert notice in html, name


def test_swedish_and_english_number_formats(built):
    sv = pages(built)["indicators/MVK01.html"]
    en = pages(built)["en/indicators/MVK01.html"]
    assert "10,7\u00a0%" in sv and "10.7%" in en
    sv9 = pages(built)["indicators/MVK09.html"]
    assert "17,0" in sv9 and "per 100 000 invånare" in sv9


def test_source_link_and_retrieval_date_and_hash(built):
    html = pages(built)["indicators/MVK05.html"]
    assert 'href="https://bra.se/statistik/kriminalstatistik/konstaterade-fall-av-dodligt-vald.html"' in html
    assert "hämtad 2026-11-22" in html
    assert re.search(r"sha256 <code>[0-9a-f]{16}</code>", html)


def test_text_from_files_is_escaped(built):
    """A source or value text with markup must come out as text, never as HTML."""
    catalogue = load_catalogue()
    sources = dict(load_sources())
    evil = "<script>alert(1)</script>"
    spec = sources["bra_lethal_violence"]
    sources["bra_lethal_violence"] = replace(spec, title={"sv": evil, "en": evil})
    frame = pd.DataFrame({"indicator_id": "MVK05", "year": [2020], "statistic": ["annual"], "value": [13.0],
                          "unit": "count", "flag": [""], "ci_low": [None], "ci_high": [None], "illustrative": [False],
                          "provenance": [evil]})
    snapshots = pd.DataFrame({"sha256": ["a" * 64], "source_id": ["bra_lethal_violence"],
                              "original_name": [evil + ".csv"], "retrieved": [None]})
    one = {"MVK05": catalogue["MVK05"]}
    inputs = SiteInputs(edition="test", code_version="test", catalogue=one, results={"MVK05": frame},
                        sources=sources, snapshots=snapshots, inputs=())
    for name, html in render_pages(inputs).items():
        assert evil not in html, name
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in render_pages(inputs)["indicators/MVK05.html"]


CHECK_WORKERS = 2   # the machine has two cores; each worker checks a copy of the site holding part of the pages
CHECKED_KEY = "mvk/check_html_clean"   # .pytest_cache: {page: sha256 of its bytes when it last passed}
MAX_CHANGED_LOCAL = 12   # locally, at most this many changed pages beyond one per template and language


def page_digest(html: str, code_version: str) -> str:
    """The page's bytes without the code version in its footer, so a commit alone changes no page."""
    return hashlib.sha256(html.replace(code_version, "").encode("utf-8")).hexdigest()


def pages_to_check(site: Path, clean: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """Which pages check_html.sh looks at: every page when CI=true; locally one page per template and
    language (tests/test_pages_browser.py names the types) plus the pages whose bytes changed since
    they last passed (at most MAX_CHANGED_LOCAL of them a run, so that the next runs carry on; none on
    a first run, which has no earlier check to compare with). Returns the pages and every page's digest."""
    from test_pages_browser import one_page_per_type

    code_version = json.loads((site / "manifest.json").read_text(encoding="utf-8"))["code_version"]
    digests = {p.relative_to(site).as_posix(): page_digest(p.read_text(encoding="utf-8"), code_version)
               for p in sorted(site.rglob("*.html"))}
    if os.environ.get("CI") == "true":
        return sorted(digests), digests
    chosen = set(one_page_per_type(site).values())
    # Changed since the last clean check; with no record of one (a first run) nothing is known to have
    # changed, and the pages per template are the check.
    changed = [rel for rel, digest in digests.items() if clean and clean.get(rel) != digest and rel not in chosen]
    return sorted(chosen | set(changed[:MAX_CHANGED_LOCAL])), digests


@pytest.mark.first   # the longest test of make test: started first so the other worker goes on beside it
def test_pages_pass_nu_checker_and_axe_offline_in_chromium(built, shared_dir, tmp_path, request, chromium_browser):
    """The Nu HTML Checker and axe-core of ../shared/tools/check_html.sh: zero Nu errors, zero axe
    violations, no JS errors, no requests outside the site, on every page in CI and on one page per
    template and language plus the changed pages locally (``make test`` stays fast; see pages_to_check).

    The pages go through the same tools run the quick way (tests/html_check.py: no screenshots) once
    the script has installed them. In CI the script itself runs too, screenshots included, on one page
    per template and language: its fresh Chromium per page for the screenshot took 817 s of a 1 003 s
    CI test run when every page went through it, and the screenshots are for a person to look at."""
    script = shared_dir / "tools" / "check_html.sh"
    site = built / "site"
    cache = getattr(request.config, "cache", None)   # absent under -p no:cacheprovider
    clean = cache.get(CHECKED_KEY, {}) if cache else {}
    checked, digests = pages_to_check(site, clean)
    if html_check.available() is None:
        found = html_check.check(chromium_browser, site, checked, script)
        assert sorted(found) == checked
        for page, report in found.items():
            assert report["nu"] == [], (page, report["nu"][:5])
            assert report["axe"] == [], (page, report["axe"])
            assert not report["console_errors"] and not report["blocked_requests"], (page, report)
        if os.environ.get("CI") == "true":
            from test_pages_browser import one_page_per_type

            run_check_html(script, site, sorted(set(one_page_per_type(site).values())), tmp_path)
    else:   # the script installs its tools on its first run, and then checks every page itself
        run_check_html(script, site, checked, tmp_path)
    # Every checked page passed: remember its bytes, so an unchanged page is not checked again locally.
    if cache:
        cache.set(CHECKED_KEY, {**clean, **{rel: digests[rel] for rel in checked}})


def run_check_html(script: Path, site: Path, checked: list[str], tmp_path: Path) -> None:
    """check_html.sh on ``checked``, split over copies of the site (assets and data intact, so every
    relative link still resolves) checked side by side."""
    all_pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    workers = []
    for n in range(min(CHECK_WORKERS, len(checked))):
        copy = tmp_path / f"site{n}"
        shutil.copytree(site, copy)
        mine = set(checked[n::CHECK_WORKERS])
        for rel in all_pages:
            if rel not in mine:
                (copy / rel).unlink()
        workers.append((copy, tmp_path / f"check{n}", subprocess.Popen(
            ["bash", str(script), str(copy), str(tmp_path / f"check{n}")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    summary = {}
    for copy, out, process in workers:
        stdout, stderr = process.communicate(timeout=3000)
        assert process.returncode == 0, stdout + stderr[-3000:]
        for page, report in json.loads((out / "summary.json").read_text(encoding="utf-8")).items():
            summary[Path(page).relative_to(copy).as_posix()] = report
        shots = list((out / "screenshots").glob("*.png"))
        assert shots and all(p.stat().st_size > 10_000 for p in shots)   # rendered pages, not blank ones
    assert sorted(summary) == checked
    for page, report in summary.items():
        assert report["vnu_errors"] == 0, page
        assert report["axe_violations"] == 0, page
        assert not report["console_errors"] and not report["blocked_requests"], page


def test_pages_to_check_is_one_per_template_locally_and_all_in_ci(built, monkeypatch):
    site = built / "site"
    everything = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    monkeypatch.setenv("CI", "true")
    assert pages_to_check(site, {})[0] == everything
    monkeypatch.delenv("CI")
    _, digests = pages_to_check(site, {})
    local, _ = pages_to_check(site, digests)           # nothing changed since the last clean check
    assert {"index.html", "en/index.html", "indicators/MVK01.html", "en/indicators/MVK01.html"} <= set(local)
    assert len(local) < len(everything) / 3
    others = [rel for rel in everything if rel not in local][:2]       # e.g. a second measure page
    changed = {**digests, **{rel: "0" * 64 for rel in others}}
    assert set(others) <= set(pages_to_check(site, changed)[0]) and len(others) == 2
    assert pages_to_check(site, {})[0] == local        # a first run: the pages per template, nothing more


def test_the_quick_local_check_finds_a_nu_error_an_axe_violation_and_an_outside_request(tmp_path, shared_dir,
                                                                                      chromium_browser):
    """tests/html_check.py must fail a bad page the way check_html.sh does, or the quick path proves nothing."""
    if html_check.available() is not None:
        pytest.skip(html_check.available())
    good = ('<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Bra</title></head>'
            '<body><main><h1>Bra</h1><p>Text.</p></main></body></html>')
    bad = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Dålig</title></head><body><main><h1>Dålig</h1>'
           '<p><div>block i p</div></p><img src="https://example.org/a.png"><main></main></main></body></html>')
    (tmp_path / "good.html").write_text(good, encoding="utf-8")
    (tmp_path / "bad.html").write_text(bad, encoding="utf-8")
    found = html_check.check(chromium_browser, tmp_path, ["bad.html", "good.html"],
                             shared_dir / "tools" / "check_html.sh")
    assert found["good.html"] == {"nu": [], "axe": [], "console_errors": [], "blocked_requests": []}
    assert found["bad.html"]["nu"]                                         # a <div> inside a <p>, two <main>
    assert {"html-has-lang", "image-alt"} <= {v["id"] for v in found["bad.html"]["axe"]}
    assert found["bad.html"]["blocked_requests"] == ["https://example.org/a.png"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_index_lists_every_indicator_with_latest_value(built, lang):
    html = pages(built)["index.html" if lang == "sv" else "en/index.html"]
    for indicator in load_catalogue():
        assert f'href="indicators/{indicator}.html"' in html


def test_development_indicators_show_the_data_they_need_and_no_numbers(built):
    for spec in load_catalogue().values():
        if not spec.is_development:
            continue
        for lang, prefix in (("sv", ""), ("en", "en/")):
            html = pages(built)[f"{prefix}indicators/{spec.id}.html"]
            assert spec.data_needed[lang] in html.replace("&#39;", "'")
            assert "<table" not in html and "plotly" not in html and "fig-" not in html


def test_assessment_and_its_rule_are_shown(built):
    sv = pages(built)["indicators/MVK01.html"]
    assert "Bedömning" in sv and "minskade från 4,7\u00a0% 2016 till 3,8\u00a0% 2023" in sv
    # the rule itself is on the methods page (issue 9), linked from every assessed indicator
    assert 'href="../methods.html#assessment"' in sv and "1 procent per år" not in sv
    assert "1 procent per år" in pages(built)["methods.html"]
    en = pages(built)["en/indicators/MVK09.html"]
    assert "not assessed" in en.lower()
    index = pages(built)["index.html"]
    assert "förbättring" in index
