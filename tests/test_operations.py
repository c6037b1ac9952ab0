"""Operations as an analyst meets them: killed runs, two writers at once, a damaged warehouse, rebuild.

Every test drives the real ``mvk`` (or ``dagster``) command in a subprocess on its own copy of a
built output folder; the slow ones (marked ``slow``, still part of ``make test``) kill and race
real runs. ``MVK_KILL_SURVEY_FULL=1`` makes every kill of the survey be followed by a completed run
(by default the run after a kill is itself the next victim, and the last run completes);
``MVK_KILL_SEED`` changes the random moments.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from pipelines import operations
from pipelines.paths import DAGSTER_YAML_TEMPLATE
from tests.conftest import MVK, PROJECT_ROOT

DAGSTER = Path(sys.executable).with_name("dagster")
LETHAL_FILE = "bra_dodligt_vald_offer_kon_relation_2016-2024.csv"   # a shipped file, already loaded
SCRUBBED = ("DAGSTER_HOME", "MVK_DATA_DIR", "MVK_OUT_DIR", "MVK_LANG", "MVK_WAIT")


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update(extra)
    return env


def start(args: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    """Start a command with stdout and stderr in ``log`` (read while it runs)."""
    handle = log.open("w")
    return subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT, env=env or environment(),
                            cwd=PROJECT_ROOT, start_new_session=True)


def mvk(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(MVK), *args], capture_output=True, text=True, timeout=timeout,
                          env=environment(), cwd=PROJECT_ROOT)


def wait_for(log: Path, pattern: str, proc: subprocess.Popen, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if re.search(pattern, text):
            return text
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"{pattern!r} did not appear in {log}:\n{log.read_text(errors='replace')[-3000:]}")


def folders(analyst) -> list[str]:
    data, out = analyst
    return ["--data-dir", str(data), "--out", str(out)]


def hold_lock(out: Path, log: Path) -> subprocess.Popen:
    """Another process holding the writer lock, as a long run would."""
    code = ("import sys, time; from pipelines.operations import acquire_writer; "
            f"acquire_writer({str(out)!r}, wait=0, lang='sv'); print('held', flush=True); time.sleep(120)")
    proc = start([sys.executable, "-c", code], log)
    wait_for(log, "held", proc, timeout=60)
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# ------------------------------------------------------------------------------------------ the lock
def test_a_busy_output_folder_is_refused_in_one_line_naming_the_other_writer(analyst, tmp_path):
    data, out = analyst
    holder = hold_lock(out, tmp_path / "holder.log")
    try:
        began = time.monotonic()
        refused = mvk("run", *folders(analyst), "--wait", "0", "--lang", "en")
        assert time.monotonic() - began < 30
        assert refused.returncode == 3
        assert error_lines(refused.stderr) == [error_lines(refused.stderr)[0]]
        assert "is already writing" in refused.stderr and f"process {holder.pid} on" in refused.stderr

        waited = mvk("ingest", str(data / "sources" / "bra_lethal_violence" / LETHAL_FILE), *folders(analyst),
                     "--wait", "2")
        assert waited.returncode == 3
        assert "väntar på process" in waited.stderr and "skriver redan" in waited.stderr
        assert "Traceback" not in waited.stderr + waited.stdout
    finally:
        stop(holder)


def test_a_waiting_run_stops_on_sigterm_and_on_ctrl_c(analyst, tmp_path):
    _, out = analyst
    holder = hold_lock(out, tmp_path / "holder.log")
    try:
        for signum, code in ((signal.SIGTERM, 143), (signal.SIGINT, 130)):
            log = tmp_path / f"waiting-{signum}.log"
            waiting = start([str(MVK), "run", *folders(analyst)], log)
            wait_for(log, "väntar på", waiting)
            sent = time.monotonic()
            waiting.send_signal(signum)
            assert waiting.wait(timeout=10) == code
            assert time.monotonic() - sent < 5
            assert "avbruten" in log.read_text()
    finally:
        stop(holder)


# ----------------------------------------------------------------------------------------- dead runs
def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_dead_run_is_failed_and_frees_its_pool_slot_a_live_one_is_left(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(PROJECT_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    from dagster._core.storage.dagster_run import DagsterRun, DagsterRunStatus

    with dg.DagsterInstance.get() as instance:
        host = operations.run_tags()[operations.TAG_HOST]
        dead = DagsterRun(job_name="mvk_run", status=DagsterRunStatus.STARTED,
                          tags={operations.TAG_PID: str(dead_pid()), operations.TAG_HOST: host})
        live = DagsterRun(job_name="mvk_run", status=DagsterRunStatus.STARTED, tags=operations.run_tags())
        for run in (dead, live):
            instance.add_run(run)
        instance.event_log_storage.initialize_concurrency_limit_to_default("duckdb")
        claim = instance.event_log_storage.claim_concurrency_slot("duckdb", dead.run_id, "raw__x")
        assert claim.is_claimed
        blocked = instance.event_log_storage.claim_concurrency_slot("duckdb", "next-run", "raw__x")
        assert not blocked.is_claimed        # the dead run's claim blocks the next run: the old hang

        said: list[str] = []
        reaped = operations.reap_dead_runs(instance, "en", say=said.append)

        assert reaped == [dead.run_id]
        assert instance.get_run_by_id(dead.run_id).status == DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(live.run_id).status == DagsterRunStatus.STARTED
        assert dead.run_id not in instance.event_log_storage.get_concurrency_run_ids()
        assert len(said) == 1 and dead.run_id[:8] in said[0] and "marked failed" in said[0]
        instance.event_log_storage.free_concurrency_slots_for_run("next-run")
        assert instance.event_log_storage.claim_concurrency_slot("duckdb", "next-run", "raw__x").is_claimed


# ----------------------------------------------------------------------------------------- leftovers
def test_leftovers_of_a_killed_swap_are_cleared_and_the_old_site_restored(tmp_path):
    out = tmp_path / "out"
    (out / "site.old").mkdir(parents=True)                 # killed between the two renames of a swap
    (out / "site.old" / "index.html").write_text("old edition")
    (out / "site.new" / "data").mkdir(parents=True)        # a half-written new site
    (out / "site.new" / "data" / "x.csv").write_text("half")
    snapshots = out / "warehouse" / "snapshots"
    snapshots.mkdir(parents=True)
    (snapshots / "abc.csv.part").write_text("half a snapshot")
    (out / f"{operations.REBUILD_PREFIX}20260101T000000" / "data").mkdir(parents=True)

    said: list[str] = []
    operations.clear_leftovers(out, "en", say=said.append)

    assert (out / "site" / "index.html").read_text() == "old edition"
    assert sorted(p.name for p in out.iterdir()) == ["site", "warehouse"]
    assert list(snapshots.iterdir()) == []
    assert any("restored" in line for line in said) and any("leftovers" in line for line in said)


def test_the_site_is_swapped_in_one_step(tmp_path):
    from reports.site import exchange_directories

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("old")
    (tmp_path / "site.new").mkdir()
    (tmp_path / "site.new" / "index.html").write_text("new")
    assert exchange_directories(tmp_path / "site.new", tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "new"
    assert (tmp_path / "site.new" / "index.html").read_text() == "old"


# ------------------------------------------------------------------------- damaged warehouse, rebuild
def corrupt_middle(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(os.urandom(64 * 1024))


@pytest.mark.slow
def test_a_damaged_warehouse_is_named_in_one_line_and_rebuilt_from_the_snapshots_alone(analyst, monkeypatch):
    data, out = analyst
    monkeypatch.setenv("MVK_PRINT_EDITION", "on")   # the rebuilt site, PDFs too, must equal the one before
    site_before = json.loads((out / "site" / "manifest.json").read_text())
    warehouse = out / "warehouse" / "warehouse.duckdb"
    intact = warehouse.read_bytes()
    correction = data / "sources" / "bra_lethal_violence" / LETHAL_FILE

    for damage in ("truncate", "corrupt", "empty", "delete"):
        warehouse.write_bytes(intact)
        if damage == "truncate":
            with warehouse.open("r+b") as handle:
                handle.truncate(len(intact) // 2)
        elif damage == "corrupt":
            corrupt_middle(warehouse)
        elif damage == "empty":
            warehouse.write_bytes(b"")
        else:
            warehouse.unlink()
        for command in (["run"], ["ingest", str(correction)]):
            began = time.monotonic()
            result = mvk(*command, *folders(analyst), "--lang", "en", timeout=60)
            assert time.monotonic() - began < 30, (damage, command)
            assert result.returncode == 3, (damage, command, result.stdout, result.stderr)
            lines = error_lines(result.stderr)
            assert len(lines) == 1 and "mvk rebuild --out" in lines[0], (damage, command, result.stderr)
            assert "Traceback" not in result.stdout + result.stderr

    # The data folder's sources are gone too: rebuild has only the snapshots and their replay log.
    shutil.rmtree(data / "sources")
    rebuilt = mvk("rebuild", *folders(analyst), timeout=600)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "ombyggda från ögonblicksbilderna" in rebuilt.stdout
    site_after = json.loads((out / "site" / "manifest.json").read_text())
    assert site_after["files"] == site_before["files"]      # byte-identical pages, CSVs, workbooks
    assert site_after["inputs"] == site_before["inputs"]
    assert operations.site_problems(out / "site") == []
    assert operations.warehouse_problem(warehouse, "en") is None
    assert not list(out.glob(f"{operations.REBUILD_PREFIX}*"))


def test_rebuild_without_a_replay_log_says_what_to_do(tmp_path):
    (tmp_path / "out").mkdir()
    result = mvk("rebuild", "--out", str(tmp_path / "out"), "--lang", "en")
    assert result.returncode == 1
    assert "ledger.jsonl is missing" in result.stderr and "mvk run" in result.stderr


def test_the_replay_log_records_each_source_in_load_order(analyst):
    from indicators.ledger import read_ledger

    data, out = analyst
    ledger = read_ledger(out / "warehouse")
    files = {p.name for p in (data / "sources" / "bra_lethal_violence").iterdir() if p.suffix == ".csv"}
    entries = ledger["bra_lethal_violence"]
    assert {e["name"] for e in entries} == files
    for entry in entries:
        content = (out / "warehouse" / entry["snapshot"]).read_bytes()
        assert hashlib.sha256(content).hexdigest() == entry["sha256"]


# ------------------------------------------------------------------------------------ the kill survey
def last_step(text: str) -> str:
    steps = re.findall(r"\] (?:klar|done): (\S+)", text)
    return steps[-1] if steps else ("(before the first step)" if "Kör " in text else "(starting)")


@pytest.mark.slow
def test_sigkill_at_random_moments_never_breaks_the_site_or_blocks_the_next_run(analyst, tmp_path):
    data, out = analyst
    full = os.environ.get("MVK_KILL_SURVEY_FULL") == "1"
    # `mvk run` skips a run when nothing changed since the last one; the victims must really run
    FORCE = ["--force"] if "--force" in mvk("run", "--help").stdout else []  # noqa: N806
    rng = random.Random(int(os.environ.get("MVK_KILL_SEED", "20261201")))
    began = time.monotonic()
    baseline = mvk("run", *folders(analyst), *FORCE, timeout=600)
    assert baseline.returncode == 0, baseline.stdout + baseline.stderr
    duration = time.monotonic() - began
    survey = []
    for i in range(10):
        moment = round(rng.uniform(0.5, duration), 1)
        log = tmp_path / f"kill-{i}.log"
        victim = start([str(MVK), "run", *folders(analyst), *FORCE], log)   # a real run every time
        time.sleep(moment)
        killed = victim.poll() is None
        if killed:
            os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        text = log.read_text(errors="replace")
        problems = operations.site_problems(out / "site")
        assert problems == [], (i, moment, problems[:5])
        reaped_before = "marked failed" in text or "markerades som misslyckade" in text
        row = {"kill": i + 1, "at_s": moment, "killed": killed, "last_step_done": last_step(text),
               "this_start_reaped_a_dead_run": reaped_before, "site_matches_manifest": not problems}
        if full or i == 9:
            after = tmp_path / f"after-{i}.log"
            follow = start([str(MVK), "run", *folders(analyst), "--wait", "30"], after)
            assert follow.wait(timeout=max(600, 4 * duration)) == 0, after.read_text()[-3000:]
            text_after = after.read_text()
            row["next_run"] = "completed"
            row["next_run_reaped"] = "markerades som misslyckade" in text_after
            assert operations.site_problems(out / "site") == []
            assert not (out / "site.new").exists() and not (out / "site.old").exists()
            assert not list((out / "warehouse" / "snapshots").glob("*.part"))
        survey.append(row)
    (tmp_path / "survey.json").write_text(json.dumps(survey, indent=1))
    print("\nkill survey:", json.dumps(survey, indent=1))
    # Every run the kills left behind was failed by a later start: nothing stays "in progress".
    from pipelines.run_log import instance_at

    with instance_at(out / "dagster_home") as instance:
        from dagster import DagsterRunStatus, RunsFilter

        stuck = instance.get_runs(filters=RunsFilter(statuses=[DagsterRunStatus.STARTED, DagsterRunStatus.STARTING]))
        assert stuck == []
        assert instance.event_log_storage.get_concurrency_run_ids() == set()


# ------------------------------------------------------------------------------------------ concurrency
@pytest.mark.slow
def test_two_runs_at_once_the_second_waits_a_third_without_patience_is_refused(analyst, tmp_path):
    _, out = analyst
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = start([str(MVK), "run", *folders(analyst)], first_log)
    try:
        wait_for(first_log, r"\] klar: ", first)
        second = start([str(MVK), "run", *folders(analyst), "--wait", "600"], second_log)
        waiting = wait_for(second_log, "väntar på", second)
        assert f"process {first.pid} på" in waiting
        third = mvk("run", *folders(analyst), "--wait", "0")
        assert third.returncode == 3 and len(error_lines(third.stderr)) == 1
        assert first.wait(timeout=600) == 0, first_log.read_text()[-2000:]
        assert second.wait(timeout=600) == 0, second_log.read_text()[-2000:]
    finally:
        for proc in (first,):
            stop(proc)
    text = first_log.read_text() + second_log.read_text()
    assert "Traceback" not in text and "IOException" not in text and "Could not set lock" not in text
    assert operations.site_problems(out / "site") == []


@pytest.mark.slow
def test_a_run_waits_for_a_run_dagster_launched_and_ingest_waits_too(analyst, tmp_path):
    """A run started by Dagster itself (as the UI or the inbox sensor start them: `dagster asset
    materialize` in its own process, the warehouse resource taking the lock) and ``mvk run`` and
    ``mvk ingest`` started while it writes."""
    data, out = analyst
    env = environment(MVK_DATA_DIR=str(data), MVK_OUT_DIR=str(out), DAGSTER_HOME=str(out / "dagster_home"))
    (out / "dagster_home").mkdir(exist_ok=True)
    shutil.copyfile(PROJECT_ROOT / "dagster_home" / "dagster.yaml", out / "dagster_home" / "dagster.yaml")
    dagster_log, run_log, ingest_log = tmp_path / "dagster.log", tmp_path / "run.log", tmp_path / "ingest.log"
    launched = start([str(DAGSTER), "asset", "materialize", "-m", "pipelines.definitions", "--select", "*"],
                     dagster_log, env=env)
    try:
        deadline = time.monotonic() + 120
        while not (operations.holder(out) or {}).get("run"):
            assert time.monotonic() < deadline and launched.poll() is None, dagster_log.read_text()[-3000:]
            time.sleep(0.1)
        run_id = operations.holder(out)["run"]
        run = start([str(MVK), "run", *folders(analyst), "--wait", "600"], run_log)
        assert f"körning {run_id[:8]}" in wait_for(run_log, "väntar på", run)
        correction = data / "sources" / "bra_lethal_violence" / LETHAL_FILE
        ingest = start([str(MVK), "ingest", str(correction), *folders(analyst), "--wait", "600"], ingest_log)
        assert launched.wait(timeout=600) == 0, dagster_log.read_text()[-3000:]
        assert run.wait(timeout=600) == 0, run_log.read_text()[-3000:]
        assert ingest.wait(timeout=600) == 0, ingest_log.read_text()[-3000:]
    finally:
        stop(launched)
    text = run_log.read_text() + ingest_log.read_text() + dagster_log.read_text()
    assert "Traceback" not in text and "Could not set lock" not in text
    assert operations.site_problems(out / "site") == []


# ------------------------------------------------------------------------------- Dagster's mechanisms
def test_release_months_become_freshness_downstream_is_eager_and_the_edition_schedule_is_off(monkeypatch):
    from indicators.sources import load_sources
    from pipelines.automation import edition_schedule, freshness_policy
    from pipelines.definitions import defs

    graph = defs().resolve_asset_graph()
    lethal = load_sources()["bra_lethal_violence"]
    assert lethal.release_months == (3, 4)
    policy = graph.get(dg.AssetKey(["raw", "bra_lethal_violence"])).freshness_policy
    assert policy == freshness_policy(lethal)
    assert policy.deadline_cron == "0 0 1 5 *" and policy.lower_bound_delta.days == 61   # 1 March – 1 May
    assert graph.get(dg.AssetKey(["raw", "bra_lethal_violence"])).automation_condition is None
    for key in (["staging", "lethal_violence"], ["indicators", "MVK05"], ["reports", "site"]):
        assert graph.get(dg.AssetKey(key)).automation_condition is not None, key
    schedule = defs().resolve_schedule_def("annual_edition")
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    monkeypatch.setenv("MVK_EDITION_SCHEDULE", "0 7 15 3 *")
    assert edition_schedule().cron_schedule == "0 7 15 3 *"


def test_the_warehouse_resource_refuses_a_damaged_file_at_once_without_retrying(tmp_path):
    out = tmp_path / "out"
    (out / "warehouse").mkdir(parents=True)
    (out / "warehouse" / "warehouse.duckdb").write_bytes(b"\0" * 8 + b"DUCK" + os.urandom(40000))
    resource = operations.WarehouseResource(database=str(out / "warehouse" / "warehouse.duckdb"), lang="en")
    began = time.monotonic()
    with pytest.raises(dg.Failure) as failure, resource.get_connection():
        pass
    assert time.monotonic() - began < 5
    assert "mvk rebuild --out" in failure.value.description


def test_the_dead_runs_sensor_fails_a_dead_run_when_no_writer_is_active(tmp_path, monkeypatch):
    from dagster._core.storage.dagster_run import DagsterRun, DagsterRunStatus

    from pipelines.defs.housekeeping import dead_runs_sensor
    from pipelines.settings import FollowupPaths

    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(PROJECT_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    out = tmp_path / "out"
    paths = FollowupPaths(data_dir=str(tmp_path / "data"), out_dir=str(out), lang="en")
    with dg.DagsterInstance.get() as instance:
        dead = DagsterRun(job_name="__ASSET_JOB", status=DagsterRunStatus.STARTED,
                          tags={operations.TAG_PID: str(dead_pid()), operations.TAG_HOST: operations.run_tags()[
                              operations.TAG_HOST]})
        instance.add_run(dead)
        holder = hold_lock(out, tmp_path / "holder.log")     # a live writer: the sensor leaves everything
        try:
            busy = dead_runs_sensor(dg.build_sensor_context(instance=instance, resources={"paths": paths}))
            assert "writer is running" in busy.skip_message
            assert instance.get_run_by_id(dead.run_id).status == DagsterRunStatus.STARTED
        finally:
            stop(holder)
        free = dead_runs_sensor(dg.build_sensor_context(instance=instance, resources={"paths": paths}))
        assert dead.run_id[:8] in free.skip_message
        assert instance.get_run_by_id(dead.run_id).status == DagsterRunStatus.FAILURE
        assert not operations.holds_writer(out)


# ------------------------------------------------------------------ configuration, resources, status
def test_settings_are_resolved_when_the_run_starts_not_when_the_definitions_load(tmp_path, monkeypatch):
    from pipelines.definitions import defs

    for key in SCRUBBED:
        monkeypatch.delenv(key, raising=False)
    defaults = defs().resources["paths"]
    assert defaults.data_dir == str(PROJECT_ROOT / "data") and defaults.out_dir == str(PROJECT_ROOT / "build")

    monkeypatch.setenv("MVK_OUT_DIR", str(tmp_path / "at-load"))
    monkeypatch.setenv("MVK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MVK_WAIT", "7")
    resources = defs().resources
    monkeypatch.setenv("MVK_OUT_DIR", str(tmp_path / "at-run"))          # what the run's process sees
    with dg.build_resources({"paths": resources["paths"]}) as built:
        assert built.paths.out_path == tmp_path / "at-run"
    warehouse = resources["duckdb"]
    assert isinstance(warehouse.out, dg.EnvVar) and warehouse.out.env_var_name == "MVK_OUT_DIR"
    with dg.build_resources({"duckdb": warehouse}) as built:
        assert built.duckdb.path == str(tmp_path / "at-run" / "warehouse" / "warehouse.duckdb")
        assert built.duckdb.wait_seconds == 7


def test_a_resource_that_does_not_start_is_named_in_one_line(tmp_path, monkeypatch):
    from pipelines.cli import _failure_reason
    from pipelines.definitions import defs

    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("MVK_DATA_DIR", str(PROJECT_ROOT / "data"))
    monkeypatch.setenv("MVK_OUT_DIR", str(tmp_path / "a-file" / "out"))     # cannot be created
    definitions = defs()
    result = definitions.resolve_job_def("inbox_load").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
        asset_selection=[dg.AssetKey(["raw", "bra_lethal_violence"])])
    assert not result.success
    for lang, resource in (("sv", "lagret (resursen duckdb"), ("en", "the warehouse (resource duckdb")):
        line = _failure_reason(result, lang)
        assert line.startswith(resource) and "a-file" in line and "\n" not in line, line


def hold_warehouse(out: Path, log: Path, seconds: float) -> subprocess.Popen:
    """A writer as a run's step is one: the writer lock and DuckDB's own lock on the file, for a while."""
    code = ("import sys, time, duckdb; from pipelines.operations import acquire_writer, note_run; "
            f"acquire_writer({str(out)!r}, wait=0, lang='sv'); note_run({str(out)!r}, 'feedc0de-run'); "
            f"conn = duckdb.connect({str(out / 'warehouse' / 'warehouse.duckdb')!r}); print('held', flush=True); "
            f"time.sleep({seconds}); conn.close(); print('released', flush=True); time.sleep(120)")
    proc = start([sys.executable, "-c", code], log)
    wait_for(log, "held", proc, timeout=60)
    return proc


@pytest.mark.slow   # it waits out mvk status's five seconds by design; tests/test_cli.py has the quick case
def test_status_waits_briefly_for_a_writer_then_names_it_in_one_line(analyst, tmp_path):
    data, out = analyst
    holder = hold_warehouse(out, tmp_path / "holder.log", seconds=120)
    try:
        began = time.monotonic()
        busy = mvk("status", "--data-dir", str(data), "--out", str(out), "--lang", "en")
        assert 4 < time.monotonic() - began < 30
        assert busy.returncode == 3, busy.stdout + busy.stderr
        assert "Traceback" not in busy.stdout + busy.stderr
        line = next(line for line in busy.stdout.splitlines() if "in use by another run" in line)
        assert "run feedc0de" in line and f"process {holder.pid} on" in line
    finally:
        stop(holder)

    brief = hold_warehouse(out, tmp_path / "brief.log", seconds=1.5)     # one short step: status waits it out
    try:
        waited = mvk("status", "--json", "--data-dir", str(data), "--out", str(out))
        assert waited.returncode == 0, waited.stdout + waited.stderr
        assert json.loads(waited.stdout)["warehouse"] == "ok"
    finally:
        stop(brief)


def test_a_new_instance_is_not_opened_to_look_for_dead_runs_but_one_with_history_or_other_storage_is(tmp_path):
    """A fresh output folder has no run to fail: the writer's checks skip creating Dagster's schemas
    there (a refused file costs 0.3 s less); an instance with a run history, storage configured
    elsewhere (PostgreSQL) or an unreadable configuration is always opened and checked."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    template = DAGSTER_YAML_TEMPLATE.read_text(encoding="utf-8")
    (home / "dagster.yaml").write_text(template, encoding="utf-8")
    assert operations.instance_may_hold_runs(home) is False
    (home / "history" / "runs").mkdir(parents=True)
    assert operations.instance_may_hold_runs(home) is False          # folders alone hold no run
    (home / "history" / "runs.db").write_bytes(b"")
    assert operations.instance_may_hold_runs(home) is True
    other = tmp_path / "pg_home"
    other.mkdir()
    (other / "dagster.yaml").write_text(template + "storage:\n  postgres:\n    postgres_url: postgresql://x\n",
                                        encoding="utf-8")
    assert operations.instance_may_hold_runs(other) is True
    (other / "dagster.yaml").write_text("event_log_storage: [\n", encoding="utf-8")
    assert operations.instance_may_hold_runs(other) is True
    assert operations.instance_may_hold_runs(tmp_path / "no_home") is True
