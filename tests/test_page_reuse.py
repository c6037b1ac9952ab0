"""Pages rendered again only where their inputs changed (reports/page_reuse.py, issue 13).

What a reader must never see is a page left over from older data. So the tests check the property
that matters: after an incremental run every page is byte for byte the page a fresh render of the same
warehouse gives, and every page whose bytes changed had a new key; and the property that makes it worth
having: most pages are taken over. The digest is checked for exactness on the values pages get.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import dagster as dg
import duckdb
import numpy as np
import pandas as pd
import pytest
from markupsafe import Markup

from benchmarks.pipeline_run import CHANGED_SOURCE as CORRECTED_SOURCE
from benchmarks.pipeline_run import changed_file as corrected_file
from indicators.registry import load_catalogue
from pipelines.defs.assessment import ASSESSMENT_KEY
from reports import page_reuse
from reports.assessment_rows import indicator_rows, table
from reports.page_reuse import Digest, Page
from reports.site import WORKBOOKS, workbook_task
from tests.conftest import cli_environment_kept


# ------------------------------------------------------------------------------------------- digest
def test_digest_is_exact_and_depends_on_content_not_identity():
    digest = Digest()
    frame = pd.DataFrame({"year": [2020, 2021], "value": [1.5, np.nan], "flag": ["", "p"]})
    assert digest(frame) == Digest()(frame.copy()), "equal frames in other objects: one key"
    nudged = frame.copy()
    nudged.loc[0, "value"] = np.nextafter(1.5, 2.0)     # one unit in the last place
    assert digest(nudged) != digest(frame)
    relabelled = frame.copy()
    relabelled.loc[1, "flag"] = "r"
    assert digest(relabelled) != digest(frame)
    assert digest(frame.rename(columns={"flag": "flags"})) != digest(frame)
    assert digest((1,)) != digest((1.0,)) != digest((True,)) != digest(("1",))
    assert digest(("<b>",)) != digest((Markup("<b>"),)), "escaped text and markup are different pages"
    assert digest({"a": 1, "b": 2}) != digest({"b": 2, "a": 1}), "pages list a dict in its order"
    assert digest([pd.Timestamp("2026-11-22")]) != digest([pd.Timestamp("2026-11-23")])


def test_digest_of_dataclasses_reads_every_field_and_refuses_unknown_types():
    @dataclass(frozen=True)
    class Spec:
        id: str
        names: dict

    assert Digest()(Spec("MVK01", {"sv": "a"})) != Digest()(Spec("MVK01", {"sv": "b"}))

    class Opaque:
        pass

    with pytest.raises(TypeError, match="no digest for"):
        Digest()((Opaque(),))


def module_level_render(env, lang, common, text):
    return text


def test_a_page_must_be_rendered_from_its_own_arguments():
    Page("a.html", module_level_render, ("x",))
    with pytest.raises(TypeError, match="module-level"):
        Page("a.html", lambda env, lang, common: "x")
    from reports.site import SiteInputs

    inputs = SiteInputs(edition="e", code_version="c", catalogue={}, results={}, sources={},
                        snapshots=pd.DataFrame(), inputs=())
    with pytest.raises(TypeError, match="not SiteInputs"):
        Page("a.html", module_level_render, (inputs,))


# ------------------------------------------------------------------------------------- write_site
@pytest.fixture()
def site_inputs(built_in_process, tmp_path):
    """The session build's warehouse read as the site asset reads it (a copy: the read may write)."""
    from pipelines.defs.reports import read_site_inputs
    from pipelines.settings import FollowupPaths

    paths = FollowupPaths(data_dir=str(built_in_process / "data"), out_dir=str(built_in_process / "out"))
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(paths.warehouse_file, warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        return read_site_inputs(conn, paths)


def write(inputs, folder: Path) -> dict:
    from reports.site import write_site

    report: dict = {}
    write_site(inputs, folder / "site", build_time="test", page_cache=folder / "cache", report=report)
    return report


def test_unchanged_pages_are_taken_over_and_an_edited_or_stale_one_is_rendered_again(site_inputs, tmp_path):
    first = write(site_inputs, tmp_path)
    assert first["reused"] == 0 and first["pages"] > 400
    site = tmp_path / "site"
    original = {rel: (site / rel).read_bytes() for rel in ("indicators/MVK01.html", "indicators/MVK02.html")}

    workbooks = {rel: (site / rel).read_bytes() for rel in WORKBOOKS.values()}
    again = write(site_inputs, tmp_path)
    assert again["reused"] > 300, again           # the measure, agency and indicator pages
    assert again["workbooks_reused"] == 2 and first["workbooks_reused"] == 0
    assert {rel: (site / rel).read_bytes() for rel in original} == original
    assert {rel: (site / rel).read_bytes() for rel in WORKBOOKS.values()} == workbooks
    before = json.loads((tmp_path / "cache" / "keys.json").read_text(encoding="utf-8"))["pages"]

    # MVK02's page is edited by hand and MVK01's results change: both are rendered, the rest taken over
    edited = site / "indicators" / "MVK02.html"
    edited.write_bytes(original["indicators/MVK02.html"].replace(b"</main>", b"<p>edited by hand</p></main>"))
    frame = site_inputs.results["MVK01"].copy()
    frame.loc[frame.index[-1], "value"] = frame["value"].dropna().iloc[-1] + 1
    changed = write(replace(site_inputs, results={**site_inputs.results, "MVK01": frame}), tmp_path)
    after = json.loads((tmp_path / "cache" / "keys.json").read_text(encoding="utf-8"))["pages"]
    new_keys = {path for path in after if before[path][0] != after[path][0]}
    assert {"indicators/MVK01.html", "en/indicators/MVK01.html", "indicators/index.html"} <= new_keys
    assert {"indicators/MVK02.html", "agencies/polisen.html"} <= set(after) - new_keys
    assert edited.read_bytes() == original["indicators/MVK02.html"], "an edited page is never taken over"
    assert (site / "indicators" / "MVK01.html").read_bytes() != original["indicators/MVK01.html"]
    assert changed["reused"] == again["reused"] - len(new_keys - set(WORKBOOKS.values())) - 1
    # MVK01's figures are in both workbooks: made again, and exactly what a fresh build writes
    assert changed["workbooks_reused"] == 0 and set(WORKBOOKS.values()) <= new_keys
    changed_inputs = replace(site_inputs, results={**site_inputs.results, "MVK01": frame})
    for lang, rel in WORKBOOKS.items():
        assert (site / rel).read_bytes() == workbook_task(changed_inputs, lang)[0] != workbooks[rel], rel


def test_a_record_of_other_code_or_a_damaged_one_reuses_nothing(tmp_path, monkeypatch):
    page_reuse.save_record(tmp_path, {"index.html": "k"}, {"index.html": b"<html></html>"})
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_bytes(b"<html></html>")
    assert page_reuse.PageReuse.load(tmp_path, tmp_path / "site").published("index.html", "k") == "<html></html>"
    assert page_reuse.PageReuse.load(tmp_path, tmp_path / "site").published("index.html", "other key") is None
    monkeypatch.setattr(page_reuse, "code_digest", lambda: "other code")
    assert page_reuse.PageReuse.load(tmp_path, tmp_path / "site").previous == {}
    (tmp_path / page_reuse.RECORD).write_text("{not json", encoding="utf-8")
    assert page_reuse.PageReuse.load(tmp_path, tmp_path / "site").previous == {}


def test_templates_kept_compiled_give_the_pages_an_edited_template_gives(tmp_path):
    """OUT/.page_cache/templates keeps Jinja's compiled templates between runs (reports.render); a
    template whose source changed is compiled again, never taken from the folder, and a folder that
    cannot be written only means compiling each time."""
    from jinja2 import DictLoader, Environment

    from reports.render import _KeptCompiled, compile_all, environment

    environment().cache.clear()   # as in a new run: nothing compiled in this process yet
    env = compile_all(tmp_path / "templates")
    assert len(list((tmp_path / "templates").iterdir())) == len(env.list_templates(extensions=["j2"]))
    sources = {"page.html.j2": "<p>{{ n }} före</p>"}

    def rendered() -> str:   # a new process: nothing compiled in memory, only what the folder keeps
        fresh = Environment(loader=DictLoader(sources), bytecode_cache=_KeptCompiled(str(tmp_path / "own")))
        return fresh.get_template("page.html.j2").render(n=1)

    (tmp_path / "own").mkdir()
    assert rendered() == rendered() == "<p>1 före</p>"
    sources["page.html.j2"] = "<p>{{ n }} efter</p>"
    assert rendered() == "<p>1 efter</p>"
    gone = Environment(loader=DictLoader(sources), bytecode_cache=_KeptCompiled(str(tmp_path / "never made")))
    assert gone.get_template("page.html.j2").render(n=2) == "<p>2 efter</p>"   # nothing kept, no error
    (tmp_path / "a file").write_text("", encoding="utf-8")
    assert compile_all(tmp_path / "a file") is env


# ------------------------------------------------------------------------------------ incremental
def test_after_an_incremental_run_every_page_is_what_a_fresh_render_gives(analyst, tmp_path):
    from pipelines import cli
    from pipelines.defs.reports import PAGE_CACHE, site_inputs
    from pipelines.settings import FollowupPaths
    from reports.site import render_pages

    data, out = analyst
    before_pages = {p.relative_to(out / "site").as_posix(): p.read_bytes() for p in (out / "site").rglob("*.html")}
    before = json.loads((out / PAGE_CACHE / "keys.json").read_text(encoding="utf-8"))["pages"]
    fix = corrected_file(data, tmp_path / "korrigerad.csv")
    assert cli.main(["ingest", str(fix), "--source", CORRECTED_SOURCE, "--quiet", "--data-dir", str(data),
                     "--out", str(out)]) == 0
    after = json.loads((out / PAGE_CACHE / "keys.json").read_text(encoding="utf-8"))["pages"]
    published = {p.relative_to(out / "site").as_posix(): p.read_bytes() for p in (out / "site").rglob("*.html")}

    changed_bytes = {path for path, content in published.items() if before_pages.get(path) != content}
    new_keys = {path for path in after if before.get(path, [None])[0] != after[path][0]}
    assert "indicators/MVK08.html" in changed_bytes, "the corrected figure is on its page"
    assert changed_bytes & set(after) <= new_keys, "a page whose bytes changed always has a new key"
    assert len(set(after) - new_keys) > 300, f"only {len(set(after) - new_keys)} pages taken over"

    # the published pages equal a fresh render of the same warehouse (no page taken over)
    paths = FollowupPaths(data_dir=str(data), out_dir=str(out))
    warehouse = tmp_path / "copy.duckdb"
    shutil.copyfile(paths.warehouse_file, warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        inputs = site_inputs(conn, paths)
    fresh = render_pages(replace(inputs, print_edition=False))
    differ = [path for path, html in fresh.items() if html.encode("utf-8") != published[path]]
    assert not differ, f"pages that differ from a fresh render: {differ[:5]}"

    # the assessment kept the rows of the indicators the file did not change, and its table is the one
    # a fresh assessment of the same warehouse gives (reports/assessment_rows.py)
    with duckdb.connect(str(warehouse)) as conn:
        frames = {i: conn.execute(f'select * from indicators."{i}"').df()
                  for i, spec in load_catalogue().items() if not spec.is_development}
        stored = conn.execute("select * from indicators.assessment").df()
        conn.register("fresh_rows", table([row for i, frame in frames.items()
                                           for row in indicator_rows(frame, load_catalogue()[i])]))
        pd.testing.assert_frame_equal(stored, conn.execute("select * from fresh_rows").df())
    with cli_environment_kept():
        os.environ["DAGSTER_HOME"] = str(out / "dagster_home")
        with dg.DagsterInstance.get() as instance:
            metadata = instance.get_latest_materialization_event(ASSESSMENT_KEY).asset_materialization.metadata
    assessed, kept = metadata["indicators assessed"].value, metadata["indicators kept"].value
    assert 1 <= assessed <= 4 and assessed + kept == len(frames), (assessed, kept)
