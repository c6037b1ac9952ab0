"""The site search (issue 9 item 9, H11): the documents embedded in the built search.html, searched by
the REAL vendored MiniSearch with the site's own configuration (reports/static/search.js) in Node.

A reader types "kontaktförbud", "kontaktforbud" (no ö), "KONTAKTFÖRBUD" or just "kontaktf" on the
Swedish page, and "contact ban" on the English page, and gets the contact-ban indicators and measures;
nothing here re-implements the search in Python except the expected sets, read from the catalogues."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from indicators.programme.register import load_register
from indicators.registry import load_catalogue
from reports.pages.search import MINISEARCH_FILE, MINISEARCH_VERSION, json_block, shorten
from reports.site import STATIC_DIR
from tests.conftest import unavailable

NODE = shutil.which("node")
RUNNER = """
const fs = require("fs");
const [miniPath, searchPath, dataPath, queriesPath] = process.argv.slice(2);
const MiniSearch = require(miniPath);
const site = require(searchPath);
const payload = JSON.parse(fs.readFileSync(dataPath, "utf8"));
const queries = JSON.parse(fs.readFileSync(queriesPath, "utf8"));
const index = site.createIndex(MiniSearch, payload.docs);
const out = {};
for (const q of queries) { out[q] = site.search(index, q).map(hit => hit.id); }
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def site(built_in_process) -> Path:
    return built_in_process / "out" / "site"


def embedded(site: Path, lang: str) -> dict:
    document = (site / ("search.html" if lang == "sv" else "en/search.html")).read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="search-data">(.*?)</script>', document, re.S)
    assert match, "search.html carries its documents as a JSON block"
    return json.loads(match.group(1))


def run_search(site: Path, lang: str, queries: list[str], tmp_path: Path) -> dict[str, list[str]]:
    """Ask the real MiniSearch in Node, configured by the site's search.js, for each query."""
    if NODE is None:
        unavailable("node is not installed")
    data = tmp_path / f"search-{lang}.json"
    data.write_text(json.dumps(embedded(site, lang), ensure_ascii=False), encoding="utf-8")
    asked = tmp_path / "queries.json"
    asked.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    script = tmp_path / "run.cjs"
    script.write_text(RUNNER, encoding="utf-8")
    result = subprocess.run([NODE, str(script), str(site / "assets" / "vendor" / MINISEARCH_FILE),
                             str(site / "assets" / "search.js"), str(data), str(asked)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def contact_ban_items(lang: str) -> set[str]:
    """Every indicator and measure whose title, in the page's language, is about contact bans."""
    word = {"sv": "kontaktforbud", "en": "contact"}[lang]
    items = {f"indicator:{s.id}" for s in load_catalogue().values() if word in fold(s.name[lang])
             and (lang == "sv" or "ban" in fold(s.name[lang]))}
    items |= {f"measure:{m.id}" for m in load_register(Path(__file__).resolve().parents[1] / "data").measures.values()
              if word in fold(m.title[lang]) and (lang == "sv" or "ban" in fold(m.title[lang]))}
    return items


# ---------------------------------------------------------------------------------------- tests
def test_swedish_folding_and_prefixes_find_the_contact_ban_items(site, tmp_path):
    expected = contact_ban_items("sv")
    assert {"indicator:MVK16", "indicator:MVK17"} <= expected and len(expected) >= 6
    found = run_search(site, "sv", ["kontaktförbud", "kontaktforbud", "KONTAKTFÖRBUD", "kontaktf"], tmp_path)
    for query, ids in found.items():
        assert expected <= set(ids), (query, expected - set(ids))
        assert set(ids[:2]) == {"indicator:MVK16", "indicator:MVK17"}, (query, ids[:4])
    assert found["kontaktförbud"] == found["kontaktforbud"] == found["KONTAKTFÖRBUD"]


def test_contact_ban_finds_the_contact_ban_items_on_the_english_page(site, tmp_path):
    expected = contact_ban_items("en")
    assert {"indicator:MVK16", "indicator:MVK17"} <= expected
    found = run_search(site, "en", ["contact ban", "Contact-ban", "contact bans"], tmp_path)
    for query, ids in found.items():
        assert expected <= set(ids), (query, expected - set(ids))
    docs = {d["id"]: d for d in embedded(site, "en")["docs"]}
    # every word must match: "contact ban" does not list a measure on children's contact with a parent
    for hit in found["contact ban"]:
        words = fold(" ".join((docs[hit]["title"], docs[hit]["keywords"], docs[hit]["summary"])))
        assert "contact" in words and "ban" in words, docs[hit]["title"]


def test_words_the_pages_do_not_use_find_the_same_items(site, tmp_path):
    """reports/search_synonyms.yaml: a reader's own words find what the pages call otherwise:
    "partnervåld" and "relationsvåld" the pages on violence in close relationships, "domestic violence"
    the same on the English page, "besöksförbud" and "restraining order" the contact-ban items."""
    found = run_search(site, "sv", ["nära relation", "partnervåld", "relationsvåld", "besöksförbud",
                                    "femicid", "hedersvåld"], tmp_path)
    close = {"indicator:MVK04", "indicator:MVK05", "indicator:MVK14"}
    assert close <= set(found["nära relation"]), found["nära relation"]
    for query in ("partnervåld", "relationsvåld"):
        assert close <= set(found[query]), (query, found[query])
        assert "indicator:MVK16" not in found[query], "a synonym of one concept does not find another"
    assert contact_ban_items("sv") <= set(found["besöksförbud"])
    assert {"indicator:MVK05", "indicator:MVK07"} <= set(found["femicid"])
    assert "indicator:MVK28" in found["hedersvåld"]
    found_en = run_search(site, "en", ["domestic violence", "restraining order", "femicide"], tmp_path)
    assert close <= set(found_en["domestic violence"]), found_en["domestic violence"]
    assert contact_ban_items("en") <= set(found_en["restraining order"])
    assert {"indicator:MVK05", "indicator:MVK07"} <= set(found_en["femicide"])
    for lang, results in (("sv", found), ("en", found_en)):
        everything = len(embedded(site, lang)["docs"])
        assert all(len(ids) < everything / 4 for ids in results.values()), "no synonym matches half the site"


def test_a_malformed_synonyms_file_is_refused_naming_it(tmp_path, monkeypatch):
    from reports.pages import search

    bad = tmp_path / "search_synonyms.yaml"
    bad.write_text("groups:\n  - [only one term]\n", encoding="utf-8")
    monkeypatch.setattr(search, "SYNONYMS", bad)
    search.synonym_groups.cache_clear()
    try:
        with pytest.raises(ValueError, match="search_synonyms.yaml: expected"):
            search.synonym_groups()
    finally:
        search.synonym_groups.cache_clear()


def test_both_languages_and_every_kind_are_searchable(site, tmp_path):
    found_sv = run_search(site, "sv", ["åklagarmyndigheten", "dödligt våld", "tidsseriebrott", "A053"], tmp_path)
    assert found_sv["åklagarmyndigheten"][0] == "agency:aklagarmyndigheten"
    assert "source:bra_lethal_violence" in found_sv["dödligt våld"]
    assert "indicator:MVK05" in found_sv["dödligt våld"]
    assert found_sv["tidsseriebrott"][0] == "page:methods.html#breaks"
    assert found_sv["A053"][0] == "measure:A053"
    found_en = run_search(site, "en", ["prosecution authority", "kontaktförbud", "nothingmatcheshere"], tmp_path)
    assert found_en["prosecution authority"][0] == "agency:aklagarmyndigheten"
    assert "indicator:MVK17" in found_en["kontaktförbud"], "a Swedish word also finds the item on the English page"
    assert found_en["nothingmatcheshere"] == []
    for lang in ("sv", "en"):
        payload = embedded(site, lang)
        kinds = {d["kind"] for d in payload["docs"]}
        assert {"indicator", "measure", "agency", "source"} <= kinds
        assert {d["lang"] for d in payload["docs"]} == {lang}
        assert all(d["url"] and not d["url"].startswith(("/", "http", "en/")) for d in payload["docs"])


def test_every_result_link_resolves_or_is_a_page_of_the_contract(site):
    """Result URLs are relative to the language root; each is a page the site has (or an anchor on one)."""
    for lang in ("sv", "en"):
        base = site if lang == "sv" else site / "en"
        for doc in embedded(site, lang)["docs"]:
            target = doc["url"].split("#")[0]
            assert (base / target).is_file(), (lang, doc["url"])


def test_search_page_is_offline_small_and_has_no_inline_script(site):
    for rel in ("search.html", "en/search.html"):
        document = (site / rel).read_text(encoding="utf-8")
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", document, re.S)
        for attributes, body in scripts:
            assert 'src="' in attributes and not body.strip() or 'type="application/json"' in attributes, attributes
        assert f'src="{"../" if rel.startswith("en/") else ""}assets/vendor/{MINISEARCH_FILE}"' in document
        assert "http://" not in document.split("search-data")[0].split("</head>")[0]
        assert len(document.encode("utf-8")) <= 150_000, f"{rel} stays within the page budget"
    assert (site / "assets" / "vendor" / "minisearch-LICENSE.txt").read_text(encoding="utf-8").startswith(
        "Copyright 2022 Luca Ongaro")


def test_the_json_block_cannot_close_its_script_element():
    block = json_block({"docs": [{"title": "</script><script>alert(1)</script> & <!--"}]})
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["docs"][0]["title"].startswith("</script>")
    assert shorten("ord " * 100).endswith(" …") and len(shorten("ord " * 100)) <= 182


def test_vendored_minisearch_is_the_documented_release():
    vendored = STATIC_DIR / "vendor" / MINISEARCH_FILE
    notes = (STATIC_DIR / "vendor" / "minisearch.md").read_text(encoding="utf-8")
    assert f"**{MINISEARCH_VERSION}**" in notes
    assert hashlib.sha256(vendored.read_bytes()).hexdigest() in notes


def test_every_page_has_the_header_search_box_and_a_policy_that_lets_it_submit(site):
    """The box sends its words to the same language's search.html (which searches on opening); the
    Content-Security-Policy must allow a form to our own pages, or the browser blocks the submit."""
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("print/") or "uppfoljning" in rel:
            continue
        document = path.read_text(encoding="utf-8")
        if 'class="site-header"' not in document:
            continue
        root = "../" * rel.count("/")
        target = f"{root}{'en/' if rel.startswith('en/') else ''}search.html"
        assert '<form class="header-search" role="search"' in document, rel
        assert f'action="{target}" method="get"' in document, rel
        assert "form-action 'self'" in document, rel
