"""The inbox sensor: evaluating it changes nothing; its runs file or quarantine; automation does the rest."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor

import dagster as dg
import pytest

from pipelines import cli
from pipelines.definitions import defs
from pipelines.defs.sensors import inbox_sensor
from pipelines.settings import FollowupPaths
from tests.conftest import PROJECT_ROOT
from tests.test_ingest import MALFORMED, correction_2024
from tests.test_programme_pipeline import fill_template
from tests.test_revisions import LETHAL, csv_file, lethal_lines, same_provenance


@pytest.fixture()
def folders(tmp_path, monkeypatch):
    """A data folder with an inbox, an output folder, and the environment a run resolves them from."""
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(PROJECT_ROOT / "data", data, ignore=shutil.ignore_patterns("*.py"))
    (data / "inbox").mkdir()
    for key, value in (("MVK_DATA_DIR", data), ("MVK_OUT_DIR", out), ("MVK_LANG", "sv")):
        monkeypatch.setenv(key, str(value))
    monkeypatch.delenv("MVK_WAIT", raising=False)
    return data, out


def drop(data, name: str, content: bytes) -> None:
    path = data / "inbox" / name
    path.write_bytes(content)
    settled = time.time() - 60            # a file still being copied in is left for the next evaluation
    os.utime(path, (settled, settled))


def tree(folder) -> dict[str, str]:
    """Every file under the folder with its content hash: what an evaluation must leave as it was."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def evaluate(definitions, instance, data, out):
    paths = FollowupPaths(data_dir=str(data), out_dir=str(out))
    context = dg.build_sensor_context(instance=instance, resources={"paths": paths}, definitions=definitions)
    return inbox_sensor(context)


def execute(definitions, instance, request) -> dg.ExecuteInProcessResult:
    """The requested run, as the daemon would launch it: its job, selection, config and tags."""
    job = definitions.resolve_job_def(request.job_name)
    return job.execute_in_process(run_config=request.run_config, instance=instance, raise_on_error=False,
                                  asset_selection=request.asset_selection, tags={
                                      **request.tags, "dagster/sensor_name": "inbox_sensor",
                                      "dagster/run_key": request.run_key})


def failure(result) -> str:
    return next(e.step_failure_data.error.message for e in result.all_events if e.is_step_failure)


def requested_by_automation(definitions, instance, cursor):
    # In its own thread: evaluate_automation_conditions calls asyncio.run, which refuses to start while
    # the session's Chromium (sync Playwright, an event loop in this thread) is open for other tests.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(dg.evaluate_automation_conditions, defs=definitions, instance=instance,
                             cursor=cursor).result()
    graph = definitions.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys() if result.get_requested_partitions(k)}
    return keys, result.cursor


def test_evaluation_only_looks_and_each_run_files_its_file_and_automation_does_the_rest(folders):
    data, out = folders
    drop(data, "dodligt_vald_2024_rev.csv", correction_2024())
    drop(data, "trasig.csv", MALFORMED[0][2])                 # a lethal-violence file with a bad cell
    drop(data, "bild.png", b"\x89PNG\r\n\x1a\n")               # nothing recognises this
    definitions = defs()
    instance = dg.DagsterInstance.ephemeral()
    before = tree(data)

    result = evaluate(definitions, instance, data, out)

    assert tree(data) == before                               # nothing moved, quarantined or written
    assert not (data / "quarantine").exists() and not out.exists()
    by_file = {r.tags["mvk/file"]: r for r in result.run_requests}
    assert set(by_file) == {"dodligt_vald_2024_rev.csv", "trasig.csv", "bild.png"}
    good = by_file["dodligt_vald_2024_rev.csv"]
    assert good.run_key == hashlib.sha256(correction_2024()).hexdigest()
    assert good.asset_selection == [dg.AssetKey(["raw", "bra_lethal_violence"])]        # only the source
    assert good.run_config["ops"]["raw__bra_lethal_violence"]["config"]["inbox_file"] == "dodligt_vald_2024_rev.csv"
    assert by_file["trasig.csv"].asset_selection == [dg.AssetKey(["raw", "bra_lethal_violence"])]
    assert by_file["bild.png"].job_name == "inbox_quarantine"

    # An earlier build: every asset materialised, and automation has seen it (nothing to do).
    graph = definitions.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        instance.report_runless_asset_event(dg.AssetMaterialization(key))
    _, cursor = requested_by_automation(definitions, instance, None)
    assert requested_by_automation(definitions, instance, cursor)[0] == set()

    loaded = execute(definitions, instance, good)
    assert loaded.success
    assert (data / "sources" / "bra_lethal_violence" / "dodligt_vald_2024_rev.csv").read_bytes() == correction_2024()
    assert "dodligt_vald_2024_rev.csv" in (data / "sources" / "bra_lethal_violence" / ".ingest_order").read_text()
    from indicators.warehouse import loaded_hashes

    assert good.run_key in loaded_hashes(out / "warehouse" / "warehouse.duckdb")
    assert [e.asset_key for e in loaded.get_asset_materialization_events()] == good.asset_selection

    refused = execute(definitions, instance, by_file["trasig.csv"])
    assert not refused.success
    assert 'rad 21, kolumn "Antal brottsoffer"' in failure(refused) and "karantän" in failure(refused)
    unknown = execute(definitions, instance, by_file["bild.png"])
    assert not unknown.success and "bild.png" in failure(unknown)
    # Each name starts with the moment it was set aside; the two files may fall in different seconds.
    quarantined = sorted((p.name for p in (data / "quarantine").iterdir()), key=lambda n: n.split("_", 1)[1])
    assert [n.split("_", 1)[1] for n in quarantined] == ["bild.png", "bild.png.report.txt",
                                                         "trasig.csv", "trasig.csv.report.txt"]
    report = (data / "quarantine" / quarantined[3]).read_text(encoding="utf-8")
    assert 'rad 21, kolumn "Antal brottsoffer"' in report and 'line 21, column "Antal brottsoffer"' in report
    assert list((data / "inbox").iterdir()) == []

    # Everything downstream of the loaded source, and nothing else, is requested by automation.
    downstream, cursor = requested_by_automation(definitions, instance, cursor)
    assert downstream == {"staging/lethal_violence", "indicators/MVK05", "indicators/MVK06", "indicators/MVK07",
                          "indicators/assessment", "reports/site"}

    # The same content dropped again under another name starts nothing, and the sensor says why.
    drop(data, "kopia.csv", correction_2024())
    again = evaluate(definitions, instance, data, out)
    assert again.run_requests == []
    note = again.skip_reason.skip_message
    assert "kopia.csv" in note and loaded.run_id[:8] in note
    assert (data / "inbox" / "kopia.csv").exists()
    (data / "inbox" / "kopia.csv").unlink()

    # A file that is valid alone but would withdraw a loaded cell: its run takes it back out of the
    # source's folder and ledger into the quarantine, so the source does not fail on every later run.
    header, rows = lethal_lines()
    year_2024 = [r for r in rows if r.startswith("2024;")]
    dropped = next(r for r in year_2024 if r.startswith("2024;Män;Annan"))
    shorter = csv_file(data / "inbox" / "dodligt_2024_utan_en_cell.csv", header, [r for r in year_2024 if r != dropped])
    same_provenance(LETHAL, shorter)
    drop(data, shorter.name, shorter.read_bytes())
    ledger = (data / "sources" / "bra_lethal_violence" / ".ingest_order").read_text()
    (request,) = evaluate(definitions, instance, data, out).run_requests
    withdrawing = execute(definitions, instance, request)
    assert not withdrawing.success and "--withdraw" in failure(withdrawing) and "karantän" in failure(withdrawing)
    assert not (data / "sources" / "bra_lethal_violence" / shorter.name).exists()
    assert (data / "sources" / "bra_lethal_violence" / ".ingest_order").read_text() == ledger
    assert len(list((data / "quarantine").glob("*_dodligt_2024_utan_en_cell.csv*"))) == 3   # file, sidecar, report
    again = definitions.resolve_job_def("inbox_load").execute_in_process(
        instance=instance, raise_on_error=False, asset_selection=good.asset_selection)
    assert again.success                                    # the source loads as before


def test_sensors_are_registered_and_running_by_default():
    definitions = defs()
    for name in ("inbox_sensor", "followup_automation", "dead_runs"):
        assert definitions.resolve_sensor_def(name).default_status == dg.DefaultSensorStatus.RUNNING, name


def test_agency_submissions_and_documents_go_to_their_own_assets(folders):
    data, out = folders
    template = data / "inbox" / "brottsoffermyndigheten_2025.xlsx"      # the agency that had not reported
    assert cli.main(["template", "--agency", "Brottsoffermyndigheten", "--year", "2025", "--out", str(template),
                     "--data-dir", str(data)]) == 0
    fill_template(template, {})
    drop(data, template.name, template.read_bytes())
    drop(data, "med_personnummer.xlsx",
         (PROJECT_ROOT / "data" / "rejected_examples" / "polisen_2025_personnummer.xlsx").read_bytes())
    drop(data, "arsredovisning.pdf", b"%PDF-1.4\n% an agency's annual report\n")
    drop(data, "kontakt_811218-9876.csv", b"Namn;Antal\nA;1\n")   # an identity number in the name
    definitions = defs()
    instance = dg.DagsterInstance.ephemeral()
    before = tree(data)

    result = evaluate(definitions, instance, data, out)

    assert tree(data) == before
    by_file = {r.tags["mvk/file"]: r for r in result.run_requests}
    submissions = [dg.AssetKey(["programme", "submissions"])]
    assert by_file[template.name].asset_selection == submissions
    assert by_file["med_personnummer.xlsx"].asset_selection == submissions
    assert by_file["arsredovisning.pdf"].asset_selection == [dg.AssetKey(["evidence", "documents"])]
    named = next(r for name, r in by_file.items() if name.startswith("kontakt_"))
    assert "9876" not in repr(named.tags) + repr(named.run_config)    # runs' tags and config are kept
    assert not execute(definitions, instance, named).success

    assert execute(definitions, instance, by_file[template.name]).success
    assert (data / "submissions" / template.name).exists()
    refused = execute(definitions, instance, by_file["med_personnummer.xlsx"])
    assert not refused.success
    reports = list((data / "quarantine").glob("*personnummer*"))
    assert [p.name.endswith(".report.txt") for p in reports] == [True]  # the file itself is not kept
    assert "8112189876" not in reports[0].read_text(encoding="utf-8") + failure(refused)
    assert not any("9876" in p.name for p in (data / "quarantine").iterdir())
    execute(definitions, instance, by_file["arsredovisning.pdf"])      # its pages are evidence/documents' job
    assert (data / "documents" / "arsredovisning.pdf").exists()
    assert list((data / "inbox").iterdir()) == []
