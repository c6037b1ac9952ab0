"""Indicator pages and charts (issue 9 items 3, 12, 14): breakdown selection, hover labels, colour
contrast, "cite this figure", links to measures and methods, the shared plotly bundle, page weight
and the parallel render. Uses the session build (``built_in_process``), no build of its own."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs_version

from indicators.i18n import t
from indicators.programme.register import load_register
from indicators.registry import load_catalogue
from reports import charts, parallel
from reports.site import PLOTLY_FILE, PLOTLY_SOURCE, PLOTLY_VERSION, render_pages

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MAX_PAGE_BYTES = 150 * 1000
MAX_BUNDLE_BYTES = int(1.5 * 1024 * 1024)      # 1.5 MiB: the cartesian bundle is 1 500 041 bytes
JSON_BLOCK = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def site(built_in_process) -> Path:
    return built_in_process / "out" / "site"


def page(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def json_blocks(html: str) -> dict[str, dict]:
    return {ident: json.loads(text) for ident, text in JSON_BLOCK.findall(html)}


def figures_of(block: dict) -> list[dict]:
    """The figure itself and every view that carries its own data."""
    return [block, *[v for v in block.get("views", []) if "data" in v]]


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each element with an id."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: (v or "") for k, v in attrs}))

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for name, a in self.tags if name == tag and all(a.get(k.replace("_", "-")) == v
                                                                 for k, v in attrs.items())]


# ----------------------------------------------------------------------------------------- colours
def test_palette_has_three_to_one_contrast_and_the_old_colours_did_not():
    assert all(charts.contrast_ratio(c) >= 3.0 for c in charts.PALETTE), \
        {c: round(charts.contrast_ratio(c), 2) for c in charts.PALETTE}
    assert round(charts.contrast_ratio("#88CCEE"), 1) == 1.8 and round(charts.contrast_ratio("#DDCC77"), 1) == 1.6
    assert round(charts.contrast_ratio("#000000"), 1) == 21.0 and charts.contrast_ratio("#ffffff") == 1.0
    assert len(set(charts.PALETTE)) >= 6


def test_every_line_and_marker_colour_drawn_has_three_to_one(site):
    seen = set()
    for path in site.rglob("*.html"):
        for block in json_blocks(path.read_text(encoding="utf-8")).values():
            for figure in figures_of(block) if "data" in block else []:
                for trace in figure["data"]:
                    for colour in (trace.get("line", {}).get("color"), trace.get("marker", {}).get("color")):
                        if isinstance(colour, str) and colour.startswith("#"):
                            seen.add(colour)
                            assert charts.contrast_ratio(colour) >= 3.0, (path.name, colour)
    assert len(seen) >= 4     # the charts really use the palette (several series on some page)


# ------------------------------------------------------------------------------------ plotly bundle
def test_one_vendored_cartesian_bundle_with_licence_and_the_python_plotly_version(site):
    assert PLOTLY_VERSION == get_plotlyjs_version()     # the figure schema the Python side writes
    bundles = [p.relative_to(site).as_posix() for p in site.rglob("plotly*.js")]
    assert bundles == [f"assets/{PLOTLY_FILE}"]
    shipped = site / "assets" / PLOTLY_FILE
    assert shipped.read_bytes() == PLOTLY_SOURCE.read_bytes()
    assert shipped.stat().st_size <= MAX_BUNDLE_BYTES
    assert f"plotly.js (cartesian - minified) v{PLOTLY_VERSION}" in shipped.read_text(encoding="utf-8")[:300]
    licence = (site / "assets" / "plotly.js-LICENSE.txt").read_text(encoding="utf-8")
    assert "MIT" in licence or "Permission is hereby granted" in licence
    assert (PLOTLY_SOURCE.parent / "plotly.js.md").read_text(encoding="utf-8").count(PLOTLY_VERSION) >= 2


def test_every_trace_type_on_every_page_is_in_the_bundle_and_valid_plotly(site):
    bundle = PLOTLY_SOURCE.read_text(encoding="utf-8")
    in_bundle = set(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle))
    assert {"scatter", "bar"} <= in_bundle and "scattergeo" not in in_bundle
    used, checked = set(), 0
    for path in site.rglob("*.html"):
        for ident, block in json_blocks(path.read_text(encoding="utf-8")).items():
            if "data" not in block:
                continue     # a data block that is not a figure (search index, say)
            for figure in figures_of(block):
                types = {trace.get("type", "scatter") for trace in figure["data"]}
                used |= types
                assert types <= in_bundle, (path.name, ident, types - in_bundle)
                go.Figure(data=figure["data"], layout=figure["layout"])   # raises on a misspelt property
                checked += 1
    assert used and used <= charts.TRACE_TYPES | in_bundle
    assert checked >= 60


# ------------------------------------------------------------------------------- breakdown select
def test_breakdown_select_matches_its_views_and_each_view_has_its_table(site):
    pages_with_select = 0
    for lang, prefix in (("sv", ""), ("en", "en/")):
        for spec in load_catalogue().values():
            if spec.is_development:
                continue
            html = page(site, f"{prefix}indicators/{spec.id}.html")
            dom = Elements(html)
            for select in dom.find("select"):
                if "data-view-select" not in select:
                    continue
                pages_with_select += 1
                chart_id = select["data-view-select"]
                block = json_blocks(html)[f"{chart_id}-json"]
                keys = [v["key"] for v in block["views"]]
                options = re.findall(r'<option value="([^"]+)"', html.split(f'id="{chart_id}-view"')[1]
                                     .split("</select>")[0])
                assert options == keys, (spec.id, lang)
                assert "data" not in block["views"][0] and all("data" in v for v in block["views"][1:])
                assert dom.find("div", data_view_control=chart_id)[0].get("hidden") == ""   # shown by charts.js
                assert dom.find("div", id=chart_id)[0]["data-figure"] == f"{chart_id}-json"
                tables = [a["data-view"] for a in dom.find("div", data_view_table=chart_id)]
                assert tables == keys, (spec.id, lang)
                for view in block["views"]:
                    names = [tr["name"] for tr in (view.get("data") or block["data"]) if tr["mode"] != "markers"]
                    table = html.split(f'data-view="{view["key"]}">')[1].split("</table>")[0]
                    headers = re.findall(r"<th scope=\"(?:col|row)\">([^<]+)</th>", table)
                    for name in names:      # the table that follows shows the chart's series
                        assert any(h.startswith(name.replace("'", "&#39;")) for h in headers), (spec.id, name)
    assert pages_with_select >= 6       # MVK04, MVK10, MVK12, MVK15 … in both languages


def test_mvk04_offers_headline_by_sex_and_by_violence_type(site):
    block = json_blocks(page(site, "indicators/MVK04.html"))["fig-MVK04-trend-json"]
    assert [v["label"] for v in block["views"]] == ["Huvudserien", "Efter kön", "Efter typ av våld"]
    by_sex = [tr["name"] for tr in block["views"][1]["data"]]
    assert by_sex[:3] == ["Kvinnor – Någon form av våld", "Män – Någon form av våld", "Samtliga – Någon form av våld"]
    en = json_blocks(page(site, "en/indicators/MVK04.html"))["fig-MVK04-trend-json"]
    assert [v["label"] for v in en["views"]] == ["Headline series", "By sex", "By type of violence"]


def test_charts_js_implements_the_select_contract_without_inline_script(site):
    js = (site / "assets" / "charts.js").read_text(encoding="utf-8")
    for needle in ("data-view-select", "data-view-table", "data-view", "data-view-control", "Plotly.react",
                   "data-cite-url", '"change"'):
        assert needle in js, needle
    for path in site.glob("**/indicators/MVK*.html"):
        html = path.read_text(encoding="utf-8")
        scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        assert all('type="application/json"' in attrs for attrs in scripts), path.name
        assert " on" not in re.sub(r'"[^"]*"', "", " ".join(re.findall(r"<[a-z][^>]*>", html)))  # no onchange=


# ------------------------------------------------------------------------------------ hover labels
def test_hover_labels_carry_unit_and_marks(site):
    sv = json_blocks(page(site, "indicators/MVK04.html"))["fig-MVK04-trend-json"]
    hovers = [h for v in figures_of(sv) for tr in v["data"] for h in tr.get("customdata", [])]
    assert any(h.endswith("[b] [ill.]") and "\u00a0%" in h for h in hovers), hovers[:5]
    assert all("%{" not in h for h in hovers)
    counts = [(spec.id, lang) for spec in load_catalogue().values() if spec.unit == "count" and not spec.is_development
              for lang in ("sv", "en")]
    spec_id, _ = counts[0]
    for lang, prefix in (("sv", ""), ("en", "en/")):
        block = json_blocks(page(site, f"{prefix}indicators/{spec_id}.html"))[f"fig-{spec_id}-trend-json"]
        labels = [h for tr in block["data"] for h in tr.get("customdata", [])]
        drawn = [h for h in labels if not h.endswith(t("site.no_data", lang))]     # missing: no point, no hover
        assert drawn and all(f"({t('unit.count', lang)})" in h for h in drawn), labels
        assert all(tr["hovertemplate"] == "%{customdata}<extra></extra>" for tr in block["data"])


def test_break_line_is_still_drawn_with_its_label(site):
    layouts = [f["layout"] for b in json_blocks(page(site, "indicators/MVK05.html")).values() for f in figures_of(b)]
    assert any(s.get("line", {}).get("dash") == "dash" for lay in layouts for s in lay.get("shapes", []))
    assert any("Tidsseriebrott" in a["text"] for lay in layouts for a in lay.get("annotations", []))


# ------------------------------------------------------------------------ cite, measures, methods
def test_cite_this_figure_in_both_languages(site):
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    for lang, prefix in (("sv", ""), ("en", "en/")):
        for spec in load_catalogue().values():
            if spec.is_development:
                continue
            rel = f"{prefix}indicators/{spec.id}.html"
            html = page(site, rel)
            assert t("site_indicator.cite_heading", lang) in html
            cite = re.search(r'<p class="cite-text">(.*?)</p>', html, re.S).group(1)
            assert cite.startswith(f"{spec.id} ") and manifest["edition"] in cite
            assert f"<span data-cite-url>{rel}</span>" in cite
            assert re.search(r"\d{4}-\d{2}-\d{2}", cite), cite      # the data-as-of date
            assert ("utgåva" in cite) == (lang == "sv") and ("edition" in cite) == (lang == "en")


def test_links_to_the_measures_the_register_links_to_the_indicator(site):
    register = load_register(PROJECT_ROOT / "data")
    linked = {}
    for measure in register.measures.values():
        for indicator in measure.indicators:
            linked.setdefault(indicator, []).append(measure.id)
    assert linked, "the shipped register links measures to indicators"
    for spec in load_catalogue().values():
        for prefix in ("", "en/"):
            html = page(site, f"{prefix}indicators/{spec.id}.html")
            target = "../../en/measures/" if prefix else "../measures/"    # the measure page in the same language
            found = re.findall(rf'<a href="{re.escape(target)}(A\d+)\.html">', html)
            assert found == sorted(linked.get(spec.id, [])), (prefix, spec.id)
            if not spec.is_development and spec.id not in linked:
                assert t("site_indicator.measures_none", "en" if prefix else "sv") in html
    assert (site / "indicators").exists()


def test_method_paragraph_moved_to_the_methods_page_and_linked(site):
    for lang, prefix in (("sv", ""), ("en", "en/")):
        method = t("site.assessment_method", lang)
        methods = "../../en/methods.html" if prefix else "../methods.html"
        for spec in load_catalogue().values():
            html = page(site, f"{prefix}indicators/{spec.id}.html")
            assert method not in html, spec.id
            if 'id="assessment"' in html:
                assert f'href="{methods}#assessment"' in html, spec.id
            if "<dt>[b]</dt>" in html:
                assert f'href="{methods}#breaks"' in html and f'href="{methods}#flags"' in html


# ------------------------------------------------------------------------------- weight and speed
def test_every_page_of_the_build_is_at_most_150_kb(site):
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
    assert len(sizes) >= 100
    too_big = {p: s for p, s in sizes.items() if s > MAX_PAGE_BYTES}
    assert not too_big, too_big


def test_parallel_render_gives_the_same_pages_as_one_process(built_in_process, tmp_path, monkeypatch):
    from pipelines.defs.reports import read_site_inputs
    from pipelines.settings import FollowupPaths

    out = built_in_process / "out"
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(out / "warehouse" / "warehouse.duckdb", warehouse)
    paths = FollowupPaths(data_dir=str(built_in_process / "data"), out_dir=str(out))
    with duckdb.connect(str(warehouse)) as conn:
        inputs = read_site_inputs(conn, paths)
    monkeypatch.setenv("MVK_RENDER_WORKERS", "2")
    assert parallel.default_workers() == 2
    together = render_pages(inputs)
    monkeypatch.setenv("MVK_RENDER_WORKERS", "1")
    alone = render_pages(inputs)
    assert list(together) == list(alone) and together == alone
    shipped = {p.relative_to(out / "site").as_posix() for p in (out / "site").rglob("*.html")}
    assert set(together) <= shipped


# ------------------------------------------------------------------------- in a real browser
@pytest.fixture(scope="module")
def chromium(chromium_browser):
    return chromium_browser


@pytest.mark.parametrize("rel", ["indicators/MVK04.html", "en/indicators/MVK12.html", "indicators/MVK09.html",
                                 "indicators/MVK25.html"])   # MVK25: a long word in the facts once scrolled
def test_select_redraws_the_chart_and_the_table_follows_at_390_px(site, chromium, rel):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    try:
        page_ = context.new_page()
        page_.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page_.on("pageerror", lambda e: errors.append(str(e)))
        page_.goto((site / rel).as_uri())
        chart = rel.split("/")[-1].removesuffix(".html")
        page_.wait_for_selector(f"#fig-{chart}-trend .main-svg")
        assert page_.evaluate("document.documentElement.scrollWidth") <= 390
        select = f"#fig-{chart}-trend-view"
        if page_.locator(select).count() == 0:
            assert not errors
            return
        assert page_.is_visible(select)
        keys = page_.eval_on_selector_all(f"{select} option", "os => os.map(o => o.value)")
        for key in [*keys[1:], keys[0]]:
            page_.select_option(select, key)
            block = json_blocks(page(site, rel))[f"fig-{chart}-trend-json"]
            view = next(v for v in block["views"] if v["key"] == key)
            expected = [tr["name"] for tr in view.get("data") or block["data"]]
            drawn = page_.evaluate(f"document.getElementById('fig-{chart}-trend').data.map(t => t.name)")
            assert drawn == expected, key
            shown = page_.evaluate("[...document.querySelectorAll('[data-view-table]')]"
                                   ".filter(e => !e.hidden).map(e => e.dataset.view)")
            assert shown == [key]
        assert page_.evaluate("document.documentElement.scrollWidth") <= 390
        assert not errors, errors
    finally:
        context.close()


def test_indicator_pages_with_illustrative_values_show_the_notice(site):
    for lang, prefix in (("sv", ""), ("en", "en/")):
        for spec in load_catalogue().values():
            html = page(site, f"{prefix}indicators/{spec.id}.html")
            if "[ill.]" in html.split('<main id="main"')[1].split("</main>")[0]:
                assert t("site.illustrative_title", lang) in html, (lang, spec.id)
