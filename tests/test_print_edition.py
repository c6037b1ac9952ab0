"""The print edition as a ministry reader gets it: two PDFs beside the site, with contents and page
numbers, the key results of every objective, vector charts, no cut table, the illustrative notice.

The PDFs come from the session's real run (``built_in_process``); their text is read with poppler's
pdftotext, as a reader's viewer would extract it. CI installs Chromium and poppler-utils, so there a
missing PDF is a failure; on a machine without them these tests skip and say why.
"""

from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource

from indicators.i18n import t
from pipelines.defs.reports import read_site_inputs, report_site
from pipelines.print_browser import PrintBrowserResource
from pipelines.settings import FollowupPaths
from reports import parallel, print_browser, print_edition
from reports.followup import key_results
from reports.site import Cell
from tests.conftest import unavailable

NOTICE = {"sv": "Illustrativa värden – inte officiell statistik", "en": "Illustrative values – not official statistics"}


def _site(built_in_process: Path) -> Path:
    return built_in_process / "out" / "site"


def _manifest(built_in_process: Path) -> dict:
    return json.loads((_site(built_in_process) / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pdfs(built_in_process) -> dict[str, Path]:
    printed = _manifest(built_in_process)["print_edition"]
    if printed["status"] != "written":
        unavailable(f"no print edition on this machine: {printed['reason']['en']}")
    if shutil.which("pdftotext") is None:
        unavailable("pdftotext (poppler-utils) is not installed")
    return {info["lang"]: _site(built_in_process) / rel for rel, info in printed["files"].items()}


@pytest.fixture(scope="module")
def inputs(built_in_process, tmp_path_factory):
    """The site's inputs read from a copy of the session's warehouse (the read may add an empty log)."""
    base = built_in_process
    paths = FollowupPaths(data_dir=str(base / "data"), out_dir=str(base / "out"))
    copy = tmp_path_factory.mktemp("print-warehouse") / "warehouse.duckdb"
    shutil.copyfile(paths.warehouse_file, copy)
    with duckdb.connect(str(copy)) as conn:
        return read_site_inputs(conn, paths)


def pages_text(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed), white space collapsed."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def test_both_languages_are_written_beside_the_site_and_hashed_in_the_manifest(built_in_process, pdfs):
    manifest = _manifest(built_in_process)
    edition = manifest["edition"]
    assert pdfs["sv"] == _site(built_in_process) / f"uppfoljning-{edition}.pdf"
    assert pdfs["en"] == _site(built_in_process) / f"en/follow-up-{edition}.pdf"
    for pdf in pdfs.values():
        assert pdf.read_bytes().startswith(b"%PDF-")
        rel = pdf.relative_to(_site(built_in_process)).as_posix()
        assert rel in manifest["files"]
        info = manifest["print_edition"]["files"][rel]
        assert info["pages"] >= 10 and info["bytes"] < 8_000_000, info   # a document, not a 40 MB raster dump


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_pdf_holds_the_key_results_of_every_objective(pdfs, inputs, lang):
    text = _letters(" ".join(pages_text(pdfs[lang])))
    for objective in key_results(inputs, lang):
        paragraph = str(objective["paragraph"])
        assert paragraph and _letters(paragraph) in text, (objective["number"], paragraph[:120])


def _letters(text: str) -> str:
    """Text without white space and dashes: where a line breaks after "16–" or inside "contact-ban"
    pdftotext adds a space or drops the hyphen; the words themselves must all be there."""
    return re.sub(r"[\s\-\u2013\u00ad]", "", text)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_page_is_numbered_and_the_contents_give_the_right_pages(pdfs, inputs, lang):
    pages = pages_text(pdfs[lang])
    for number, page in enumerate(pages, start=1):
        assert t("print.page_of", lang, page=number, pages=len(pages)) in page, number
    contents = next(i for i, p in enumerate(pages) if t("print.toc_heading", lang) in p[:400])
    toc = pages[contents]
    for spec in inputs.catalogue.values():
        if spec.is_development:
            continue
        title = f"{spec.id} {spec.name[lang]}"
        found = re.search(re.escape(title) + r" (\d+)", toc)
        assert found, title
        target = int(found.group(1))
        assert target > contents + 1 and title in pages[target - 1], (title, target)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_page_with_an_illustrative_value_carries_the_notice(pdfs, lang):
    pages = pages_text(pdfs[lang])
    marked = [n for n, page in enumerate(pages, start=1) if "[ill.]" in page]
    assert marked, "the shipped data has illustrative values, so some page must show them"
    for number in marked:
        assert NOTICE[lang] in pages[number - 1], number


MARKER = re.compile(r"\[(?:ill\.|[a-z])\]")   # [ill.] and the one-letter flags ([b], [r], [p] ...)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_marker_of_the_print_page_reaches_the_pdf_as_plain_text(pdfs, inputs, lang):
    """The print carries its markers as plain text, not as <abbr> (reports/templates/_macros.html.j2 says
    why): the PDF must still show every one of them, and one more on each page in its running header."""
    page = print_edition.print_html(inputs, lang, print_edition.print_view(inputs, lang))
    assert "<abbr" not in page
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", page.split("<body", 1)[1], flags=re.S)
    in_page = MARKER.findall(html.unescape(re.sub(r"<[^>]+>", " ", body)))
    assert len(in_page) > 100   # the shipped data has illustrative values and flagged ones
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdfs[lang]), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert len(MARKER.findall(text)) == len(in_page) + text.count("\f")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_table_or_text_runs_past_the_page_margin(pdfs, lang):
    """Chromium clips what is wider than the page; a clipped column still leaves its words in the
    file, beyond the right margin. Every word must end inside the printable width."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdfs[lang]), "-"], capture_output=True, text=True,
                         check=True).stdout
    right_margin_pt = 16 / 25.4 * 72
    widths = [float(w) for w in re.findall(r'<page width="([\d.]+)"', out)]
    assert widths and len(set(widths)) == 1          # every page A4 portrait
    limit = widths[0] - right_margin_pt + 1.0
    beyond = [(word, float(x)) for x, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', out)
              if float(x) > limit]
    assert not beyond, beyond[:10]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_charts_are_vector_graphics_not_pictures(pdfs, lang):
    """The charts are plotly's SVG printed as paths and text: no raster image at all in the file."""
    listed = subprocess.run(["pdfimages", "-list", str(pdfs[lang])], capture_output=True, text=True,
                            check=True).stdout.splitlines()
    assert len(listed) == 2, listed[:5]               # the two heading lines of the list, no image
    text = " ".join(pages_text(pdfs[lang]))
    assert text.count(t("print.bars_illustrative", lang)) >= 1   # the county bar charts are there


def test_wide_tables_are_split_into_parts_that_repeat_the_row_headings():
    years = [str(y) for y in range(2011, 2024)]            # 13 value columns
    table = {"caption": "Län", "columns": ["Region", *years], "legend": [("[ill.]", "x")],
             "rows": [(name, [Cell(f"{name}{y}") for y in years]) for name in ("Riket", "Uppsala län")]}
    parts = print_edition.split_table(table, "sv", max_columns=7)
    assert [len(p["columns"]) for p in parts] == [8, 7]     # 7 + 6 value columns, each with the row heading
    assert [p["columns"][0] for p in parts] == ["Region", "Region"]
    assert [c.text for c in parts[1]["rows"][1][1]] == [f"Uppsala län{y}" for y in years[7:]]
    assert parts[0]["caption"] == "Län (del 1 av 2)" and parts[0]["legend"] == [] and parts[1]["legend"]
    assert print_edition.split_table({**table, "columns": table["columns"][:5]}, "sv") == \
        [{**table, "columns": table["columns"][:5]}]


def test_without_chromium_the_print_says_why_and_writes_nothing(inputs, tmp_path, monkeypatch):
    """The quick case of the test below: no browser at MVK_CHROMIUM, so no PDF and the reason, at once."""
    monkeypatch.setenv("MVK_CHROMIUM", str(tmp_path / "no-chromium"))
    staging = tmp_path / "site"
    staging.mkdir()
    entry = print_edition.write_print_edition(inputs, staging, cache_dir=tmp_path / "cache")
    assert entry == {"status": "missing", "reason": {lang: t("print.reason_no_browser", lang,
                                                             path=str(tmp_path / "no-chromium"))
                                                     for lang in ("sv", "en")}}
    assert not list(staging.iterdir()) and not (tmp_path / "cache").exists()


@pytest.mark.slow   # a whole site render; the failing-Chromium test below renders one in make test
def assert_no_pdf_links(site: Path, manifest: dict) -> None:
    """No page links a PDF that is not there: the index pages, rendered while the print ran and failed,
    were rendered again without the link, and the manifest has the bytes published."""
    assert [page for page in site.rglob("*.html") if '.pdf"' in page.read_text(encoding="utf-8")] == []
    for lang, index in (("sv", site / "index.html"), ("en", site / "en" / "index.html")):
        text = index.read_text(encoding="utf-8")
        assert t("print.download_pdf", lang) not in text and t("site.download_workbook", lang) in text
        assert manifest["files"][str(index.relative_to(site))] == hashlib.sha256(index.read_bytes()).hexdigest()


def test_without_chromium_the_site_is_published_and_the_manifest_says_the_pdf_is_missing(
        built_in_process, tmp_path, monkeypatch, capfd):
    """The report asset itself, on a copy of the session's warehouse, with no browser at MVK_CHROMIUM."""
    shutil.copytree(built_in_process / "out" / "warehouse", tmp_path / "out" / "warehouse")
    paths = FollowupPaths(data_dir=str(built_in_process / "data"), out_dir=str(tmp_path / "out"), lang="en")
    monkeypatch.setenv("MVK_CHROMIUM", str(tmp_path / "no-chromium"))
    result = dg.materialize([report_site], resources={
        "duckdb": DuckDBResource(database=str(paths.warehouse_file)), "paths": paths,
        "print_browser": PrintBrowserResource(paths=paths)})
    assert result.success
    site = paths.site_dir
    assert (site / "index.html").is_file() and (site / "en" / "index.html").is_file()
    assert not list(site.rglob("*.pdf"))
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["print_edition"]["status"] == "missing"
    assert not any(rel.endswith(".pdf") for rel in manifest["files"])
    assert_no_pdf_links(site, manifest)
    lines = [line for line in capfd.readouterr().err.splitlines() if "print edition" in line]
    assert lines == [t("print.chromium_missing", "en", reason=t("print.reason_no_browser", "en",
                                                                path=str(tmp_path / "no-chromium")))]


def test_an_unchanged_print_edition_comes_from_the_cache_without_starting_chromium(
        built_in_process, pdfs, inputs, tmp_path, monkeypatch):
    """The session's run left its PDFs in OUT/.print_cache; printing the same inputs again must give the
    same bytes without rendering anything (Chromium is the largest part of a run), and a changed page
    must not be served from the cache."""
    from pipelines.defs.reports import PRINT_CACHE
    from reports.print_cache import PrintCache

    out = built_in_process / "out"
    cache = tmp_path / "cache"
    shutil.copytree(out / PRINT_CACHE, cache)
    staging = tmp_path / "site"
    shutil.copytree(_site(built_in_process) / "assets", staging / "assets")

    def no_browser(self, lang):
        raise AssertionError("Chromium was started for a print edition that is in the cache")

    monkeypatch.setattr(print_browser.Browser, "page", no_browser)
    entry = print_edition.write_print_edition(inputs, staging, cache_dir=cache)
    assert entry["status"] == "written", entry
    for rel, info in entry["files"].items():
        assert (staging / rel).read_bytes() == pdfs[info["lang"]].read_bytes(), rel

    keyed = PrintCache(cache, browser_path=print_edition.chromium_path(), assets=[])
    assert keyed.key("<p>a</p>", "h", "f") != keyed.key("<p>b</p>", "h", "f")


def test_a_chromium_that_fails_in_the_print_thread_leaves_the_site_published_without_pdfs(
        built_in_process, tmp_path, monkeypatch, capfd):
    """MVK_CHROMIUM names a program that exits at once instead of a browser: the launch fails inside the
    print's thread, while the pages render; the run still publishes the site and says why in one line."""
    shutil.copytree(built_in_process / "out" / "warehouse", tmp_path / "out" / "warehouse")
    paths = FollowupPaths(data_dir=str(built_in_process / "data"), out_dir=str(tmp_path / "out"), lang="en")
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\necho 'this is not a browser' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("MVK_CHROMIUM", str(broken))
    result = dg.materialize([report_site], resources={
        "duckdb": DuckDBResource(database=str(paths.warehouse_file)), "paths": paths,
        "print_browser": PrintBrowserResource(paths=paths)})
    assert result.success
    assert not [thread for thread in threading.enumerate() if thread.name.startswith("print-")]
    site = paths.site_dir
    assert (site / "index.html").is_file() and (site / "en" / "index.html").is_file()
    assert not list(site.rglob("*.pdf")) and not list(site.glob("_print-*.html"))
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    printed = manifest["print_edition"]
    assert printed["status"] == "missing"
    assert printed["reason"]["en"].startswith("Chromium failed"), printed
    assert not any(rel.endswith(".pdf") for rel in manifest["files"])
    assert_no_pdf_links(site, manifest)
    lines = [line for line in capfd.readouterr().err.splitlines() if "print edition" in line]
    assert lines == [t("print.chromium_missing", "en", reason=printed["reason"]["en"])]


def _worker_pid(_inputs, n: int) -> int:
    return os.getpid()


def test_the_print_starts_only_once_every_render_worker_is_forked():
    """write_site starts the print thread from parallel.run's ``started``: by then every worker process
    exists, so no fork can copy a lock the print's thread holds (no child ever hangs on one)."""
    seen: list[set[int]] = []
    pids = parallel.run(None, [(_worker_pid, (n,)) for n in range(6)], workers=2,
                        started=lambda: seen.append({child.pid for child in multiprocessing.active_children()}))
    assert len(seen) == 1
    assert os.getpid() not in pids and set(pids) <= seen[0], (pids, seen)
    assert parallel.run(None, [(_worker_pid, (1,))], started=lambda: seen.append(set())) == [os.getpid()]
    assert len(seen) == 2                      # sequential (one task): started before the work, too


def _children() -> set[int]:
    """This process's child processes (Playwright's driver among them), from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == os.getpid():
            found.add(int(stat.parent.name))
    return found


def test_a_fork_waits_for_the_print_browser_to_start_and_closing_it_leaves_nothing_running():
    """A run starts the print's browser when it starts (pipelines/print_browser.py), while its steps
    may fork (the evidence reader, the render): a fork made while the browser is starting must wait
    until it has started, so that no child copies a lock the browser's thread half-holds. The browser
    opens a tab per language, serves one print, and closing it ends its thread and its processes."""
    if not Path(print_browser.chromium_path()).is_file():
        unavailable(f"no Chromium at {print_browser.chromium_path()}")
    before = _children()
    warm = print_browser.start_warm_browser(print_browser.chromium_path())
    assert warm is not None and not warm.ready.done()
    child = os.fork()
    if child == 0:
        os._exit(0)
    assert warm.ready.done(), "the fork did not wait for the starting browser"
    os.waitpid(child, 0)
    browser = warm.take(print_browser.chromium_path())
    assert browser is not None and browser.failed is None and sorted(browser.tabs) == ["en", "sv"]
    assert warm.take(print_browser.chromium_path()) is None         # one print per browser
    assert _children() - before                                     # the driver runs
    warm.close()
    warm.close()                                                    # twice is harmless
    assert not warm.thread.is_alive() and _children() <= before


def test_charts_kept_from_the_last_print_give_its_bytes_and_only_missing_or_moved_ones_are_drawn(
        built_in_process, pdfs, inputs, tmp_path, monkeypatch, chromium_browser):
    """The session's print drew every chart (a cold print), both languages at once in one Chromium,
    found the contents' pages in an untagged pass and wrote them into the page it had loaded, and kept
    plotly's drawing of every chart (OUT/.print_cache/charts, one per chart and language). A print from
    those drawings and the contents' numbers only (no PDFs) loads each page with the numbers in it and
    prints once; it must give exactly the published files, so the caches may keep either under the same
    key: with three drawings gone and one kept at another width exactly those four are drawn (and kept
    again), a drawing of a chart the edition no longer has is removed; with every drawing kept and one
    language after the other nothing is drawn (plotly.js is not even loaded). The structure's IDs are
    numbered 1…N in the order of the ID tree (it stays sorted). The session's own Playwright (sync, in
    this thread) stays open meanwhile: the print runs its event loop in a thread of its own. (Last in
    the file: with that session open, Dagster's materialize in the tests above warns of an unawaited
    loop.)"""
    from pipelines.defs.reports import PRINT_CACHE
    from reports.print_charts import FOLDER, ChartDrawings

    kept = built_in_process / "out" / PRINT_CACHE / FOLDER
    charts = sum(len(print_edition.view_figures(print_edition.print_view(inputs, lang))) for lang in pdfs)
    assert charts > 40 and len(list(kept.glob("*.json"))) == charts
    cache = tmp_path / "cache"
    shutil.copytree(kept, cache / FOLDER)
    for toc in kept.parent.glob("toc-*.json"):
        shutil.copy(toc, cache)
    drawings = sorted((cache / FOLDER).glob("*.json"))
    for gone in drawings[:3]:
        gone.unlink()
    moved = json.loads(drawings[3].read_text(encoding="utf-8"))
    drawings[3].write_text(json.dumps({**moved, "width": moved["width"] - 100}), encoding="utf-8")
    (cache / FOLDER / ("0" * 64 + ".json")).write_text('{"width": 1, "markup": ""}', encoding="utf-8")
    made: list[ChartDrawings] = []

    class Watched(ChartDrawings):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(print_edition, "ChartDrawings", Watched)
    loaded: list[str] = []
    monkeypatch.setattr(print_edition, "print_html", lambda *a, **kw: _noted(loaded, a, kw))
    for drawn in (4, 0):
        staging = tmp_path / f"site-{drawn}"
        shutil.copytree(_site(built_in_process) / "assets", staging / "assets")
        for old in cache.glob("*.pdf"):
            old.unlink()
        loaded.clear()
        # the first print on a browser started beforehand, as a run starts it (pipelines/print_browser.py)
        warm = print_browser.start_warm_browser(print_browser.chromium_path()) if drawn else None
        entry = print_edition.write_print_edition(inputs, staging, cache_dir=cache, at_once=drawn > 0, warm=warm)
        if warm is not None:
            assert warm.take(print_browser.chromium_path()) is None     # the print took it
            warm.close()
        assert entry == _manifest(built_in_process)["print_edition"]
        for rel, info in entry["files"].items():
            assert (staging / rel).read_bytes() == pdfs[info["lang"]].read_bytes(), (drawn, rel)
        assert len(list(cache.glob("*.pdf"))) == 2            # one pass per language
        assert made[-1].drawn == drawn
        assert sorted(p.name for p in (cache / FOLDER).glob("*.json")) == sorted(p.name for p in kept.glob("*.json"))
        assert json.loads(drawings[3].read_text(encoding="utf-8"))["width"] == moved["width"]
    assert loaded and not any("plotly-cartesian" in html for html in loaded)
    pdf = pdfs["sv"].read_bytes()
    defined = [int(n) for n in re.findall(rb"/ID \(node(\d{8})\)", pdf)]
    id_tree = [int(n) for n in re.findall(rb"\(node(\d{8})\) \d+ 0 R", pdf)]
    assert sorted(defined) == id_tree == list(range(1, len(defined) + 1)) and b"/IDTree" in pdf
    assert chromium_browser.is_connected()
    assert sorted(p.name for p in staging.iterdir()) == ["assets", "en", f"uppfoljning-{inputs.edition}.pdf"]


def _noted(loaded: list[str], args, kwargs) -> str:
    """print_edition.print_html, noting each page with kept drawings (the pages Chromium loads)."""
    html = _PRINT_HTML(*args, **kwargs)
    if kwargs.get("drawn"):
        loaded.append(html)
    return html


_PRINT_HTML = print_edition.print_html


def test_a_draft_without_the_print_edition_says_so_and_the_next_printing_run_is_not_a_no_op(
        analyst, tmp_path, capsys, monkeypatch):
    """MVK_PRINT_EDITION=off (the analyst fixture's setting): the run publishes the site without PDFs,
    the manifest and the run say why, no page links to a PDF; switching it on again is a change."""
    from pipelines import cli, fingerprint
    from tests.test_ingest import correction_2024

    data, out = analyst
    assert os.environ["MVK_PRINT_EDITION"] == "off"
    fix = tmp_path / "dodligt_vald_2024_korrigerad.csv"
    fix.write_bytes(correction_2024())
    assert cli.main(["ingest", str(fix), "--data-dir", str(data), "--out", str(out), "--lang", "en"]) == 0
    assert "The print edition (PDF) was not made: MVK_PRINT_EDITION=off" in capsys.readouterr().err
    manifest = json.loads((out / "site" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["print_edition"]["status"] == "skipped"
    assert not list((out / "site").rglob("*.pdf")) and not [f for f in manifest["files"] if f.endswith(".pdf")]
    for index in ("index.html", "en/index.html"):
        assert ".pdf" not in (out / "site" / index).read_text(encoding="utf-8")
    fingerprint.record(data, out)
    assert fingerprint.up_to_date(data, out)
    monkeypatch.setenv("MVK_PRINT_EDITION", "on")
    assert not fingerprint.up_to_date(data, out)      # `mvk run` builds again, with the PDFs


def test_an_unknown_print_setting_fails_the_site_in_one_line(tmp_path, monkeypatch):
    from tests.conftest import run_mvk

    refused = run_mvk("run", "--out", str(tmp_path / "cli"), "--lang", "en", env={"MVK_PRINT_EDITION": "maybe"})
    assert refused.returncode == 2 and not (tmp_path / "cli" / "site").exists()   # before any step
    assert refused.stderr.strip() == 'MVK_PRINT_EDITION is "maybe"; expected: on or off'
    monkeypatch.setenv("MVK_PRINT_EDITION", "maybe")
    paths = FollowupPaths(data_dir=str(tmp_path), out_dir=str(tmp_path / "out"), lang="en",
                          print_edition="maybe")
    with pytest.raises(dg.Failure, match='MVK_PRINT_EDITION is "maybe"; expected: on or off'):
        report_site(duckdb=DuckDBResource(database=str(tmp_path / "w.duckdb")), paths=paths,
                    print_browser=PrintBrowserResource(paths=paths))
