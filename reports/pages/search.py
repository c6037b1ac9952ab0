"""The site's search page (issue 9 item 9): search.html in each language, searching indicators,
measures, agencies, sources, objectives and the reference pages, offline in the browser.

The search itself is MiniSearch (vendored once, ``reports/static/vendor/``) set up by
``reports/static/search.js`` with Swedish folding and prefix matching. Over ``file://`` a page cannot
fetch a JSON file and a strict Content-Security-Policy forbids inline script, so the documents are
embedded in the page as a ``<script type="application/json">`` block: a small list of {id, title,
summary, url, kind, lang, keywords, illustrative}, from which MiniSearch builds its index when the
page opens (a few hundred documents: milliseconds). ``keywords`` holds ids, aliases and the other
language's title, so a Swedish word also finds the item on the English page and the other way round.
URLs are relative to the language's root, where search.html lies.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from indicators.i18n import t
from indicators.yaml_text import load_yaml
from reports.pages.reference import GLOSSARY
from reports.site import STATIC_DIR, SiteInputs

MINISEARCH_VERSION = "7.2.0"
MINISEARCH_FILE = f"minisearch-{MINISEARCH_VERSION}.js"
VENDOR_DIR = STATIC_DIR / "vendor"
SUMMARY_CHARS = 180
SYNONYMS = Path(__file__).resolve().parents[1] / "search_synonyms.yaml"
KINDS = ("indicator", "measure", "agency", "source", "objective", "page")
# The reference pages and methods sections a reader may look for by name: (url, title key, summary key).
PAGES = (
    ("sources.html", "ref.sources.title", "ref.sources.lead"),
    ("methods.html#assessment", "ref.methods.assessment_heading", "ref.methods.assessment_intro"),
    ("methods.html#flags", "ref.methods.flags_heading", "ref.methods.flags_intro"),
    ("methods.html#disclosure", "ref.methods.disclosure_heading", "ref.methods.disclosure_intro"),
    ("methods.html#illustrative", "ref.methods.illustrative_heading", "ref.methods.illustrative_rule"),
    ("methods.html#reference-years", "ref.methods.reference_years_heading", "ref.methods.reference_years_intro"),
    ("methods.html#breaks", "ref.methods.breaks_heading", "ref.methods.breaks_intro"),
    ("methods.html#glossary", "ref.methods.glossary_heading", "ref.methods.glossary_intro"),
    ("accessibility.html", "ref.a11y.title", "ref.a11y.lead"),
    ("about.html", "ref.about.title", "ref.about.what_followup"),
)


def assets() -> dict[str, bytes]:
    """The files search.html loads, for ``write_site``: the page script, MiniSearch and its licence."""
    return {
        "assets/search.js": (STATIC_DIR / "search.js").read_bytes(),
        f"assets/vendor/{MINISEARCH_FILE}": (VENDOR_DIR / MINISEARCH_FILE).read_bytes(),
        "assets/vendor/minisearch-LICENSE.txt": (VENDOR_DIR / "minisearch-LICENSE.txt").read_bytes(),
    }


def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first ``limit`` characters, cut at a word and marked with an ellipsis."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:–-") + " …"


def fold(text: str) -> str:
    """Lower case without diacritics, as search.js folds every term (å ä → a, ö → o), and hyphens as
    spaces, as its tokenizer splits at them."""
    plain = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return plain.lower().replace("-", " ")


@cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """The groups of ``search_synonyms.yaml``, each with at least two terms; a malformed file is an
    error naming it, never a search that quietly finds less."""
    doc = load_yaml(SYNONYMS.read_text(encoding="utf-8"))
    groups = doc.get("groups") if isinstance(doc, dict) else None
    if not isinstance(groups, list) or not all(
            isinstance(g, list) and len(g) >= 2 and all(isinstance(term, str) and term.strip() for term in g)
            for g in groups):
        raise ValueError(f"{SYNONYMS}: expected 'groups:', a list of lists of two or more terms")
    return tuple(tuple(term.strip() for term in group) for group in groups)


@cache
def _synonym_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold(term)) for term in group) + ")"),
                  " ".join(group)) for group in synonym_groups())


def synonyms(*texts: str) -> list[str]:
    """Every group (its terms as one string) with a term in ``texts``, as a word or a word's start."""
    folded = fold(" ".join(texts))
    return [terms for pattern, terms in _synonym_patterns() if pattern.search(folded)]


def _doc(kind: str, key: str, lang: str, title: str, summary: str, url: str, keywords: list[str],
         illustrative: bool = False) -> dict:
    keywords = [k for k in keywords if k]
    keywords += synonyms(title, summary, *keywords)   # the words a reader may use instead (search_synonyms.yaml)
    doc = {"id": f"{kind}:{key}", "kind": kind, "lang": lang, "title": title, "summary": shorten(summary),
           "url": url, "keywords": " ".join(keywords)}
    if illustrative:   # only where true: the block stays small
        doc["illustrative"] = True
    return doc


def documents(inputs: SiteInputs, lang: str) -> list[dict]:
    """What the search page can find, in ``lang``: every indicator, measure, agency, source,
    objective and reference page, in a fixed order (the page is byte-identical between builds)."""
    other = "en" if lang == "sv" else "sv"
    docs = []
    for spec in inputs.catalogue.values():
        summary = spec.definition[lang] + (" " + t("search.development", lang) if spec.is_development else "")
        docs.append(_doc("indicator", spec.id, lang, f"{spec.id} {spec.name[lang]}", summary,
                         f"indicators/{spec.id}.html", [spec.id, spec.name[other]]))
    register = inputs.programme.register if inputs.programme is not None else None
    if register is not None:
        for measure in register.measures.values():
            agencies = ", ".join(register.agencies[a].name[lang] for a in measure.agencies if a in register.agencies)
            docs.append(_doc("measure", measure.id, lang, f"{measure.id} {measure.title[lang]}", agencies,
                             f"measures/{measure.id}.html",
                             [measure.id, measure.programme_objective, measure.title[other]],
                             illustrative=bool(measure.illustrative)))
        for agency in register.agencies.values():
            count = sum(agency.id in m.agencies for m in register.measures.values())
            summary = t("search.agency_summary_one", lang) if count == 1 else t("search.agency_summary", lang, n=count)
            docs.append(_doc("agency", agency.id, lang, agency.name[lang], summary, f"agencies/{agency.id}.html",
                             [agency.name[other], *agency.aliases]))
    for source in sorted(inputs.sources.values(), key=lambda s: s.id):
        docs.append(_doc("source", source.id, lang, source.title[lang],
                         f"{source.publisher[lang]} · {source.table_id}", f"sources.html#source-{source.id}",
                         [source.publisher[other], source.title[other]]))
    for number in (1, 2, 3, 4):
        docs.append(_doc("objective", str(number), lang,
                         f"{t('search.objective_strategy', lang, n=number)}: {t(f'objective.{number}', lang)}", "",
                         f"objectives/{number}.html", [t(f"objective.{number}", other)]))
    if register is not None:
        for code, objective in register.objectives.items():
            docs.append(_doc("objective", code, lang,
                             f"{t('search.objective_programme', lang, n=code)}: {objective['name'][lang]}", "",
                             f"objectives/{code}.html", [code, objective["name"][other]]))
    for url, title, summary in PAGES:
        keywords = [t(title, other)]
        if url.endswith("#glossary"):   # the glossary's terms find the glossary
            keywords += [t(f"ref.glossary.{key}.term", code) for key in GLOSSARY for code in (lang, other)]
        docs.append(_doc("page", url, lang, t(title, lang), t(summary, lang), url, keywords))
    return docs


def payload(inputs: SiteInputs, lang: str) -> dict:
    """The JSON block of search.html: the documents and the words search.js writes."""
    return {
        "docs": documents(inputs, lang),
        "kinds": {kind: t(f"search.kind.{kind}", lang) for kind in KINDS},
        # {n} and {q} stay in the text: search.js fills them with the count and the query
        "messages": {"prompt": t("search.prompt", lang), "one": t("search.one", lang),
                     "many": t("search.many", lang, n="{n}"), "none": t("search.none", lang, q="{q}"),
                     "capped": t("search.capped", lang, n="{n}", max="{max}"),
                     "illustrative": t("site.illustrative_short", lang)},
    }


def json_block(data: dict) -> str:
    """JSON safe inside a <script> element: '<', '>' and '&' escaped, so no text can close it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(inputs: SiteInputs, env: jinja2.Environment, lang: str, common: dict) -> dict[str, str]:
    frame = common["page"]("search.html", [(t("search.title", lang), None)], None)
    html = env.get_template("search.html.j2").render(
        **common, **frame, minisearch_file=MINISEARCH_FILE, search_data=Markup(json_block(payload(inputs, lang))))
    return {"search.html": html}


def vendored_files() -> list[Path]:
    """The vendored files, for the tests that run them in Node."""
    return [VENDOR_DIR / MINISEARCH_FILE, STATIC_DIR / "search.js"]
