"""The inbox sensor: a dropped file is validated, filed or quarantined, and only its lineage runs."""

from __future__ import annotations

import shutil

import dagster as dg

from pipelines import cli
from pipelines.definitions import defs
from pipelines.defs.sensors import inbox_sensor
from pipelines.settings import FollowupPaths
from tests.conftest import PROJECT_ROOT
from tests.test_ingest import MALFORMED, correction_2024
from tests.test_programme_pipeline import fill_template


def evaluate(data, out):
    paths = FollowupPaths(data_dir=str(data), out_dir=str(out))
    context = dg.build_sensor_context(resources={"paths": paths}, definitions=defs())
    return inbox_sensor(context)


def test_inbox_files_are_filed_or_quarantined_and_runs_cover_only_their_lineage(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data, ignore=shutil.ignore_patterns("*.py"))
    inbox = data / "inbox"
    inbox.mkdir()
    (inbox / "dodligt_vald_2024_rev.csv").write_bytes(correction_2024())
    (inbox / "trasig.csv").write_bytes(MALFORMED[0][2])

    result = evaluate(data, tmp_path / "out")

    assert len(result.run_requests) == 1
    request = result.run_requests[0]
    keys = {k.to_user_string() for k in request.asset_selection}
    assert keys == {"raw/bra_lethal_violence", "staging/lethal_violence", "indicators/MVK05",
                    "indicators/MVK06", "indicators/MVK07", "indicators/assessment", "reports/site"}
    assert request.run_key.startswith("bra_lethal_violence:")
    assert (data / "sources" / "bra_lethal_violence" / "dodligt_vald_2024_rev.csv").exists()
    assert "dodligt_vald_2024_rev.csv" in (data / "sources" / "bra_lethal_violence" / ".ingest_order").read_text()
    quarantined = list((data / "quarantine").glob("*_trasig.csv"))
    assert len(quarantined) == 1
    report = quarantined[0].with_name(quarantined[0].name + ".report.txt").read_text(encoding="utf-8")
    assert 'rad 21, kolumn "Antal brottsoffer"' in report and 'line 21, column "Antal brottsoffer"' in report
    assert list(inbox.iterdir()) == []

    # The same content dropped again starts nothing.
    (inbox / "kopia.csv").write_bytes(correction_2024())
    again = evaluate(data, tmp_path / "out")
    assert again.run_requests == []
    assert list(inbox.iterdir()) == []


def test_sensor_is_registered_and_running_by_default():
    sensor = defs().resolve_sensor_def("inbox_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_inbox_routes_agency_reports_to_the_programme(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data, ignore=shutil.ignore_patterns("*.py"))
    inbox = data / "inbox"
    inbox.mkdir()
    template = inbox / "brottsoffermyndigheten_2025.xlsx"       # the agency that had not reported
    assert cli.main(["template", "--agency", "Brottsoffermyndigheten", "--year", "2025", "--out", str(template),
                     "--data-dir", str(data)]) == 0
    fill_template(template, {})
    (inbox / "med_personnummer.xlsx").write_bytes(
        (PROJECT_ROOT / "data" / "rejected_examples" / "polisen_2025_personnummer.xlsx").read_bytes())

    result = evaluate(data, tmp_path / "out")

    assert len(result.run_requests) == 1
    keys = {k.to_user_string() for k in result.run_requests[0].asset_selection}
    assert keys == {"programme/submissions", "programme/status", "reports/site"}
    assert (data / "submissions" / template.name).exists()
    reports = list((data / "quarantine").iterdir())
    assert [p.name.endswith(".report.txt") for p in reports] == [True]  # the file itself is not kept
    assert "8112189876" not in reports[0].read_text(encoding="utf-8")
    assert list(inbox.iterdir()) == []
