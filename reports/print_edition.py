"""The print edition: the national follow-up as one PDF per language, made from the site's own templates.

Why headless Chromium (through Playwright, on the system browser) and not WeasyPrint: the charts are
drawn by plotly.js in the browser, and Chromium prints that SVG as vector paths and text, so the PDF
shows exactly the charts of the site with no second chart renderer. WeasyPrint runs no JavaScript; it
would need every chart exported to static SVG first (kaleido, which itself drives a Chrome) or drawn a
second time by our own code. Measured on this machine (docs/architecture.md, "Print edition"): one
Chromium pass over the Swedish edition, charts drawn, took 4.9 s to load and draw and 5.8 s to print
(2.6 MB, tagged); WeasyPrint 70 took 17.2 s for the same page with every chart left blank (0.65 MB).
Chromium is already needed for the page checks, so it adds no system dependency; the Python package
is ``playwright`` (its driver only: it never downloads a browser here, we pass ``executable_path``).
The PDF is tagged (structure for screen readers) and has bookmarks.

Page numbers come from Chromium's footer template. The table of contents has links and page numbers:
the edition is printed once, the PDF's named destinations (one per heading the contents link to, read
with pypdf) give each heading's page, the numbers are written into the contents of the page still
loaded (``_write_toc``: no second load and chart drawing), and it is printed again; the numbers sit in
fixed-width slots, so they hold (checked, and printed a third time if they moved). On a cold print
(no numbers known from the last print) the first pass prints untagged: 0.45–0.65 s instead of 0.9 s
for the Swedish edition, with the same pages and page breaks (the text of every page compared, in
both languages), and it is never kept or published. ``_finish`` numbers the tagged structure's IDs by
rank, so the PDF of a page whose numbers were written in is byte for byte that of the page loaded fresh.

Charts plotly drew for an earlier print are kept and put into the page drawn (reports/print_charts.py),
so only changed charts are drawn; every chart is printed as plain markup, which keeps the bytes equal.

Both languages print at once, in one Chromium, each in its own browser context, driven by Playwright's
asyncio API on an event loop in a thread of the print's own (``start_print_edition``), so the site's
pages render meanwhile; the PDFs are the bytes a print of one language after the other gives. A run
starts that browser when it starts (``warm``: reports/print_browser.py), so the print does not wait
for it.

Without Chromium (or without playwright) nothing fails: ``write_print_edition`` says why in its result,
the asset prints one line, the site is published and its manifest records the PDF as missing.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from markupsafe import Markup

from indicators.assessment import progress_label
from indicators.i18n import LANGUAGES, t
from reports import charts, site
from reports.followup import key_results, programme_states, state_chart_svg
from reports.pages.overview import collaboration
from reports.print_browser import Browser, WarmBrowser, chromium_path, missing
from reports.print_cache import PrintCache
from reports.print_charts import SETTLE, ChartDrawings
from reports.render import environment
from reports.sentences import marked

PDF_FILES = {"sv": "uppfoljning-{edition}.pdf", "en": "en/follow-up-{edition}.pdf"}
PRINT_CSS = Path(__file__).parent / "static" / "print.css"
# A4 with 16 mm side margins: the 673 CSS px window the charts are drawn in (print_browser.PRINT_WIDTH_PX)
PAGE_MARGIN = {"top": "20mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
MAX_VALUE_COLUMNS = 7     # more value columns than this and a table is split into parts (no cut columns)
PALE_BAR = "#c9d7e8"   # illustrative bars in print: pale fill, black outline (contrast from the outline)
ALL_CHARTS_DRAWN = ("Array.from(document.querySelectorAll('[data-figure]'))"
                    ".every(d => d.querySelector('svg.main-svg'))")
NARROW_TABLE = 3          # a table of at most this many columns sits beside its chart, not under it


def pdf_path(lang: str, edition: str) -> str:
    """The PDF's path inside the site (Swedish at the root, English under en/)."""
    return PDF_FILES[lang].format(edition=edition)


# ------------------------------------------------------------------------------------- view model
def split_table(table: dict, lang: str, max_columns: int = MAX_VALUE_COLUMNS) -> list[dict]:
    """A data table as one or more tables of at most ``max_columns`` value columns, each repeating the
    row headings, so that a printed page never cuts a column off (years across, counties down)."""
    values = len(table["columns"]) - 1
    if values <= max_columns:
        return [table]
    parts = -(-values // max_columns)
    size = -(-values // parts)        # even parts: 12 columns become 6 + 6, not 7 + 5
    out = []
    for n in range(parts):
        lo, hi = 1 + n * size, 1 + min(values, (n + 1) * size)
        out.append({**table, "columns": [table["columns"][0], *table["columns"][lo:hi]],
                    "rows": [(label, cells[lo - 1:hi - 1]) for label, cells in table["rows"]],
                    "caption": t("print.table_part", lang, caption=table["caption"], part=n + 1, parts=parts),
                    "legend": table["legend"] if n == parts - 1 else []})
    return out


def print_figure(figure: dict, lang: str) -> dict:
    """A site chart adjusted for A4: lower, smaller type, and illustrative bars outlined and pale
    instead of hatched. Chromium prints an SVG pattern fill as a bitmap per bar (the hatched county
    charts made a 40 MB PDF); a pale fill with a black outline is drawn as vector paths, and the
    caption says so (print.bars_illustrative)."""
    spec = json.loads(figure["json"])
    layout = spec.setdefault("layout", {})
    bars = [trace for trace in spec.get("data", []) if trace.get("type") == "bar"]
    layout["height"] = min(int(layout.get("height") or 300), 20 * max(len(b.get("y") or []) for b in bars) + 70) \
        if bars else 290
    layout["font"] = {**layout.get("font", {}), "size": 10}
    layout["margin"] = {**layout.get("margin", {}), "t": 16, "b": 50}
    caption = figure["caption"]
    for trace in bars:
        marker = trace.get("marker", {})
        shapes = (marker.pop("pattern", None) or {}).get("shape")
        if isinstance(shapes, list) and any(shapes):
            marker["color"] = [PALE_BAR if shape else marker.get("color") for shape in shapes]
            caption = caption.replace(t("site.chart_hatched_illustrative", lang), t("print.bars_illustrative", lang))
    return {**figure, "json": Markup(charts.safe_json(spec)), "caption": caption}


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    title: str
    level: int


def print_view(inputs: site.SiteInputs, lang: str) -> dict:
    """Everything the print template shows, in reading order: the objectives with their key results
    (the same paragraphs and items as the site's overview, from reports.followup), each indicator with
    its chart beside its table, the development indicators."""
    objectives, toc = [], []
    for objective in key_results(inputs, lang):
        number = objective["number"]
        title = f"{t('site.objective_heading', lang, number=number)}: {objective['name']}"
        anchor = f"objective-{number}"
        objectives.append({"anchor": anchor, "number": number, "title": title,
                           "paragraph": objective["paragraph"], "rows": objective["items"]})
        toc.append(TocEntry(anchor, title, 1))

    programme = None
    if inputs.programme is not None:
        states = programme_states(inputs.programme, lang)
        programme = {"states": states, "total": sum(s["count"] for s in states),
                     "chart": state_chart_svg(states, lang), "year": inputs.programme.year,
                     "as_of": inputs.programme.as_of, "illustrative": any(s["illustrative"] for s in states),
                     "collaboration": collaboration(inputs, lang)}
        toc.append(TocEntry("programme", t("site_core.programme.heading", lang), 1))

    indicators, development = [], []
    toc.append(TocEntry("indicators", t("print.indicators_heading", lang), 1))
    for spec in inputs.catalogue.values():
        if spec.is_development:
            development.append({"id": spec.id, "name": spec.name[lang], "definition": spec.definition[lang],
                                "data_needed": spec.data_needed[lang]})
            continue
        frame = inputs.results[spec.id]
        judged = inputs.main_assessment(spec)
        caption = marked(judged[f"summary_{lang}"], bool(judged.get("illustrative", False))) if judged else None
        table = site.data_table(spec, frame, lang)
        tables = split_table(table, lang)
        title = f"{spec.id} {spec.name[lang]}"
        indicators.append({
            "anchor": f"indicator-{spec.id}", "title": title, "definition": spec.definition[lang],
            "unit": site.unit_label(spec, lang), "illustrative": bool(frame["illustrative"].any()),
            "assessment": judged and {"label": progress_label(judged["progress"], lang),
                                      "progress": judged["progress"], "summary": judged[f"summary_{lang}"],
                                      "illustrative": bool(judged.get("illustrative", False))},
            "figures": [print_figure(f, lang) for f in site.figures(spec, frame, lang, caption)], "tables": tables,
            "beside": len(tables) == 1 and len(table["columns"]) <= NARROW_TABLE})
        toc.append(TocEntry(f"indicator-{spec.id}", title, 2))
    if development:
        toc.append(TocEntry("development", t("print.development_heading", lang), 1))
    toc.append(TocEntry("about", t("print.about_heading", lang), 1))
    any_illustrative = any(bool(f["illustrative"].any()) for f in inputs.results.values())
    return {"objectives": objectives, "programme": programme, "indicators": indicators,
            "development": development, "toc": toc, "any_illustrative": any_illustrative}


def print_html(inputs: site.SiteInputs, lang: str, view: dict, toc_pages: dict[str, int] | None = None, *,
               drawn: dict[str, Markup] | None = None, plotly_css: str | None = None) -> str:
    """The print page (reports/templates/print.html.j2), with the contents' page numbers once known.

    Without ``drawn`` every chart is drawn by plotly.js: the page that keys the PDF cache. With it (kept
    drawings by chart id, and plotly's style sheet: reports/print_charts.py) those charts come drawn,
    and plotly.js is loaded only if a chart is left to draw."""
    if drawn:
        view = {**view, "indicators": [{**ind, "figures": [{**fig, "drawn": drawn[fig["id"]]} if fig["id"] in drawn
                                                            else fig for fig in ind["figures"]]}
                                       for ind in view["indicators"]]}
    live = not drawn or any("drawn" not in fig for fig in view_figures(view))
    css, print_css = _styles()
    return environment().get_template("print.html.j2").render(
        lang=lang, edition=inputs.edition, code_version=inputs.code_version, plotly_file=site.PLOTLY_FILE,
        css=Markup(css), print_css=Markup(print_css), live_charts=live,
        plotly_css=Markup(plotly_css) if drawn and plotly_css else None,
        t=lambda key, **kw: t(key, lang, **kw), toc_pages=toc_pages or {}, **view)


def view_figures(view: dict) -> list[dict]:
    """The plotly charts of the print view, in page order."""
    return [fig for ind in view["indicators"] for fig in ind["figures"]]


def _styles() -> tuple[str, str]:
    """The site's style sheet and the print's, as the print page carries them."""
    return (site.STATIC_DIR / "report.css").read_text(encoding="utf-8"), PRINT_CSS.read_text(encoding="utf-8")


def _running_templates(inputs: site.SiteInputs, lang: str, illustrative: bool) -> tuple[str, str]:
    """Chromium's header and footer (their own tiny documents: inline style only, no page CSS)."""
    style = "font-family:'DejaVu Sans',sans-serif;font-size:7.5pt;color:#333;width:100%;margin:0 16mm;"
    header = (f'<div style="{style}"><span>{_escape(t("print.running_illustrative", lang))}</span></div>'
              if illustrative else '<div></div>')
    page = t("print.page_of", lang, page='<span class="pageNumber"></span>', pages='<span class="totalPages"></span>')
    title = _escape(t("print.running_title", lang, edition=inputs.edition))
    footer = (f'<div style="{style}display:flex;justify-content:space-between;">'
              f'<span>{title}</span><span>{page}</span></div>')
    return header, footer


def _escape(text: str) -> str:
    return str(Markup.escape(text))


# ------------------------------------------------------------------------------------------ print
def anchor_pages(pdf: bytes) -> tuple[dict[str, int], int]:
    """Each link target's anchor and its (1-based) page, from the PDF's named destinations: Chromium makes
    one for every element an internal link points to (the contents link every heading), tagged PDF or
    not (the outline, made from the tagged structure, is missing from an untagged one); and the number
    of pages, for the manifest, from the same parse (parsing the tagged file again took 0.1 s)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return ({str(name).removeprefix("/"): reader.get_destination_page_number(target) + 1
             for name, target in reader.named_destinations.items()}, len(reader.pages))


PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}")
STRUCT_ID = re.compile(rb"\(node(\d{8,})\)")
STRUCT_ID_DEFINED = re.compile(rb"/ID \(node(\d{8,})\)")


def _finish(pdf: bytes, as_of: str | None) -> bytes:
    """The PDF with its creation time replaced by the data's as-of date and its structure elements'
    IDs numbered 1, 2, 3 … in their order (both the same length, so the file's offsets hold), so that an
    unchanged edition prints to the same bytes and the manifest's hash moves only when the content does.
    (Rewriting the metadata with pypdf took 3 s on the tagged file.)

    The IDs (``/ID (node00000199)``, and the same strings in the ID tree and in table cells' ``/Headers``)
    are Blink's DOM node ids, from a counter of the browser's renderer process: a page printed after an
    earlier print in the same process (the contents' numbers written in, ``_print_one``) has other
    numbers than the same page printed fresh, in the same order. Numbered by rank they are equal, and the
    ID tree stays sorted."""
    stamp = (as_of or "2000-01-01").replace("-", "").encode("ascii") + b"000000"
    pdf = PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (D:" + stamp, pdf)
    defined = sorted({int(n) for n in STRUCT_ID_DEFINED.findall(pdf)})
    rank = {n: i for i, n in enumerate(defined, start=1)}

    def renumber(match: re.Match) -> bytes:
        digits = match.group(1)
        n = rank.get(int(digits))
        return match.group(0) if n is None else b"(node" + str(n).zfill(len(digits)).encode("ascii") + b")"

    return STRUCT_ID.sub(renumber, pdf)


TOC_SLOT = re.compile(r'<span class="toc-page" data-toc-anchor="([^"]+)">(.*?)</span></a>')
WRITE_TOC = ("slots => { let n = 0; for (const slot of document.querySelectorAll('[data-toc-anchor]')) "
             "if (slot.dataset.tocAnchor in slots) { slot.innerHTML = slots[slot.dataset.tocAnchor]; n += 1; } "
             "return n; }")


async def _write_toc(page, html: str, view: dict) -> None:
    """Put the contents' page numbers of ``html`` into the page already loaded from the same edition:
    each contents slot gets the markup the template gave it in ``html``, so the page is the one ``html``
    loads (the slots are fixed-width, so nothing moves). Raises if the template's slots and the contents
    disagree: a PDF must never be kept under a page it was not printed from."""
    slots = {unescape(anchor): markup for anchor, markup in TOC_SLOT.findall(html)}
    if set(slots) != {entry.anchor for entry in view["toc"]}:
        raise ValueError(f"print.html.j2: {len(slots)} contents slots (data-toc-anchor) for {len(view['toc'])} entries")
    written = await page.evaluate(WRITE_TOC, slots)
    if written != len(slots):
        raise ValueError(f"print page: {written} contents slots written, {len(slots)} expected")


async def _load(page, inputs: site.SiteInputs, lang: str, view: dict, toc_pages: dict[str, int] | None,
                source: Path, drawings: ChartDrawings) -> None:
    """Load the print page with the kept drawings in place, let plotly draw the other charts, and turn
    every chart into plain markup (``reports.print_charts.SETTLE``), keeping the new drawings. A kept drawing
    whose chart now sits at another width is forgotten and the page loaded again with that chart drawn;
    a third load, if it comes to that, draws every chart (which cannot move)."""
    figures = view_figures(view)
    css = drawings.css()       # without plotly's style sheet a kept drawing cannot stand in for plotly.js
    for attempt in range(3):
        kept = drawings.kept(figures) if css is not None and attempt < 2 else {}
        html = print_html(inputs, lang, view, toc_pages, drawn={chart: markup for chart, (markup, _) in kept.items()},
                          plotly_css=css)
        source.write_text(html, encoding="utf-8")
        await page.goto(source.as_uri(), wait_until="load")
        # charts.js draws every [data-figure] once plotly.js has loaded; wait until each has its SVG.
        await page.wait_for_function(ALL_CHARTS_DRAWN, timeout=60_000)
        settled = await page.evaluate(SETTLE)
        drawings.keep(figures, settled)
        moved = [fig for fig in figures if fig["id"] in kept and settled["widths"].get(fig["id"]) != kept[fig["id"]][1]]
        if not moved:
            return
        drawings.forget(moved)


async def _print_one(browser: Browser, inputs: site.SiteInputs, lang: str, work: Path,
                     cache: PrintCache, drawings: ChartDrawings) -> tuple[bytes, int, int]:
    """Print one language: load the page, read the headings' pages, print again with them in the contents.

    The first pass starts from the contents' pages of the last print. With none (a cold print) it only
    finds the pages, so it prints untagged (half the time of a tagged PDF; the page breaks are the
    same) and is not kept. A later pass does not load the page again: it writes the numbers into the
    contents of the page already loaded (``_write_toc``) and prints. A pass whose page, header, footer,
    scripts and browser equal an earlier print's is taken from the cache; returns the PDF, how many
    passes Chromium actually rendered (0 when nothing changed) and its number of pages. Runs beside the
    other language on one event loop: while Chromium lays out one, the other's page is rendered or its
    destinations read."""
    view = print_view(inputs, lang)
    drawings.want(view_figures(view))
    header, footer = _running_templates(inputs, lang, view["any_illustrative"])
    source = work / f"_print-{lang}.html"
    toc_pages = cache.last_toc(lang)
    context = page = None
    renders = 0
    try:
        for _ in range(3):
            html = print_html(inputs, lang, view, toc_pages)
            key = cache.key(html, header, footer)
            tagged = bool(toc_pages)      # a page without the contents' numbers is never the edition
            pdf = cache.get(key) if tagged else None
            if pdf is None:
                if page is None:
                    context, page = await browser.page(lang)
                    await _load(page, inputs, lang, view, toc_pages, source, drawings)
                else:
                    await _write_toc(page, html, view)
                pdf = await page.pdf(format="A4", margin=PAGE_MARGIN, print_background=True,
                                     display_header_footer=True, header_template=header, footer_template=footer,
                                     outline=True, tagged=tagged, prefer_css_page_size=False)
                renders += 1
                if tagged:
                    cache.put(key, pdf)
            found, pages = anchor_pages(pdf)
            wanted = {entry.anchor: found.get(entry.anchor, 0) for entry in view["toc"]}
            if wanted == toc_pages and tagged:
                break
            toc_pages = wanted
    finally:
        if context is not None:
            await context.close()
        source.unlink(missing_ok=True)
    cache.save_toc(lang, toc_pages)
    return _finish(pdf, inputs.programme.as_of if inputs.programme else None), renders, pages


async def _print_all(browser: Browser, inputs: site.SiteInputs, site_dir: Path, cache: PrintCache,
                     drawings: ChartDrawings, at_once: bool = True) -> list[tuple[bytes, int]]:
    """Both languages at once (or, ``at_once=False``, one after the other: the same bytes, slower), in
    LANGUAGES order, each with its number of pages; each runs to its end (a failure of one does not leave
    the other half-printed when the browser closes), then the first failure, if any, is raised."""
    prints = [_print_one(browser, inputs, lang, site_dir, cache, drawings) for lang in LANGUAGES]
    try:
        if at_once:
            printed = await asyncio.gather(*prints, return_exceptions=True)
        else:
            printed = [await _outcome(one) for one in prints]
    finally:
        await browser.close()
    for outcome in printed:
        if isinstance(outcome, BaseException):
            raise outcome
    drawings.prune()
    return [(pdf, pages) for pdf, _renders, pages in printed]


async def _outcome(awaitable):
    """What ``gather(..., return_exceptions=True)`` gives for one awaitable."""
    try:
        return await awaitable
    except Exception as error:
        return error


def start_print_edition(inputs: site.SiteInputs, site_dir: Path, cache_dir: Path | None = None, *,
                        at_once: bool = True, warm: WarmBrowser | None = None) -> Future:
    """Start printing both languages into ``site_dir`` in a thread of its own and return at once; the
    future gives what ``write_print_edition`` returns. The site's staging folder needs only plotly.js
    and charts.js in its assets/ for this, so the print can run while the pages are rendered
    (reports.site.write_site, ``start_finish``).

    Its own thread, with its own event loop (``asyncio.run``), or ``warm``'s (a browser the run started
    earlier: reports/print_browser.py): Playwright's sync API drives one page at a time, and neither it
    nor ``asyncio.run`` works in a thread that already runs an event loop (a caller's own sync
    Playwright session, or Dagster's). A process forked while this thread runs would copy a half-held
    lock of it; reports.parallel forks its render workers before the print is started."""
    future: Future = Future()
    future.set_running_or_notify_cancel()

    def work() -> None:
        try:
            future.set_result(_write_print_edition(inputs, site_dir, cache_dir, at_once, warm))
        except BaseException as error:     # handed to whoever waits for the future
            future.set_exception(error)

    threading.Thread(target=work, name="print-edition").start()
    return future


def not_printed(status: str, reason_key: str, **fields) -> dict:
    """The manifest's ``print_edition`` entry when there are no PDFs: ``missing`` (no Chromium or it
    failed) or ``skipped`` (MVK_PRINT_EDITION=off), with the reason in both languages."""
    return {"status": status, "reason": {lang: t(reason_key, lang, **fields) for lang in LANGUAGES}}


def write_print_edition(inputs: site.SiteInputs, site_dir: Path, cache_dir: Path | None = None, *,
                        at_once: bool = True, warm: WarmBrowser | None = None) -> dict:
    """Print both languages into ``site_dir`` (the site's staging folder: plotly.js and charts.js are
    already in its assets/). Returns the manifest's ``print_edition`` entry; on a machine without
    Chromium or playwright it writes nothing and says why (``status: missing``), and never raises for
    that, so the site is still published."""
    return start_print_edition(inputs, site_dir, cache_dir, at_once=at_once, warm=warm).result()


def _write_print_edition(inputs: site.SiteInputs, site_dir: Path, cache_dir: Path | None, at_once: bool,
                         warm: WarmBrowser | None = None) -> dict:
    browser_path = chromium_path()
    reason = missing(browser_path)
    if reason is not None:
        return not_printed("missing", reason, path=browser_path)
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright
    files: dict[str, dict] = {}
    cache = PrintCache(cache_dir, browser_path=browser_path,
                       assets=[site_dir / "assets" / site.PLOTLY_FILE, site_dir / "assets" / "charts.js"])
    try:
        drawings = ChartDrawings(cache_dir, cache.identity, "\0".join(_styles()))
        started = warm.take(browser_path) if warm is not None else None   # started earlier by the run
        run = warm.run if started is not None else asyncio.run
        pdfs = run(_print_all(started or Browser(async_playwright, browser_path), inputs, site_dir, cache,
                              drawings, at_once))
        for lang, (pdf, pages) in zip(LANGUAGES, pdfs, strict=True):
            rel = pdf_path(lang, inputs.edition)
            target = site_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(pdf)
            files[rel] = {"lang": lang, "bytes": len(pdf), "pages": pages}
    except (PlaywrightError, OSError, ValueError) as error:   # a browser that fails must not stop the site
        for rel in files:
            (site_dir / rel).unlink(missing_ok=True)
        first_line = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        return not_printed("missing", "print.reason_failed", error=first_line)
    # No timing in the entry: the manifest of an unchanged rerun must equal the previous one (less build_time).
    return {"status": "written", "files": files}
