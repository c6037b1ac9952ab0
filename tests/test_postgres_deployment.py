"""The team deployment: Dagster's runs, events and schedules in PostgreSQL, one run at a time.

Needs a PostgreSQL server: ``MVK_TEST_PG_URL`` (``postgresql://USER:PASSWORD@HOST:PORT/DB``), by
default the one ``.ci/postgres.sh start`` starts on 127.0.0.1:54329. Each test gets a database of
its own. Without a reachable server the tests are skipped, unless ``MVK_REQUIRE_POSTGRES=1`` (set by
``.ci/run``, so CI cannot skip them silently).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import dagster as dg
import pytest

from indicators.warehouse import loaded_hashes
from tests.conftest import MVK, PROJECT_ROOT, unavailable

TEAM_YAML = PROJECT_ROOT / "dagster_home" / "dagster.team.yaml"
DEFAULT_URL = "postgresql://mvk:mvk@127.0.0.1:54329/postgres"
DAEMON = Path(sys.executable).with_name("dagster-daemon")


def _server():
    url = urlparse(os.environ.get("MVK_TEST_PG_URL", DEFAULT_URL))
    return {"host": url.hostname or "127.0.0.1", "port": str(url.port or 5432), "user": url.username or "postgres",
            "password": url.password or "", "db": (url.path or "/postgres").lstrip("/") or "postgres"}


@pytest.fixture()
def pg_home(tmp_path, monkeypatch):
    """A DAGSTER_HOME with the team configuration, on a fresh database of a real server."""
    psycopg2 = pytest.importorskip("psycopg2")
    server = _server()
    try:
        admin = psycopg2.connect(host=server["host"], port=server["port"], user=server["user"],
                                 password=server["password"], dbname=server["db"], connect_timeout=3)
    except psycopg2.OperationalError as err:
        if os.environ.get("MVK_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"no PostgreSQL server at {server['host']}:{server['port']} ({err})")
        unavailable(f"no PostgreSQL server reachable at {server['host']}:{server['port']} ({err})")
    admin.autocommit = True
    name = f"mvk_test_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cursor:
        cursor.execute(f"create database {name}")       # a generated identifier, not user input
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copyfile(TEAM_YAML, home / "dagster.yaml")
    env = {"DAGSTER_HOME": str(home), "MVK_PG_HOST": server["host"], "MVK_PG_PORT": server["port"],
           "MVK_PG_DB": name, "MVK_PG_USER": server["user"], "MVK_PG_PASSWORD": server["password"]}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    yield home, env, name
    with admin.cursor() as cursor:
        cursor.execute(f"drop database if exists {name} with (force)")
    admin.close()


def count_in_postgres(database: str, sql: str) -> int:
    import psycopg2

    server = _server()
    with psycopg2.connect(host=server["host"], port=server["port"], user=server["user"],
                          password=server["password"], dbname=database) as conn, conn.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def environment(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MVK_DATA_DIR", "MVK_OUT_DIR", "MVK_LANG")}
    env.update(extra)
    return env


def test_the_team_instance_keeps_runs_events_and_schedules_in_postgres_one_run_at_a_time(pg_home):
    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        concurrency = instance.get_concurrency_config()
        assert concurrency.run_queue_config.max_concurrent_runs == 1
        assert concurrency.pool_config.default_pool_limit == 1
    assert "password:\n        env: MVK_PG_PASSWORD" in TEAM_YAML.read_text()   # never a password in the file


@pytest.mark.slow
def test_a_real_materialisation_is_recorded_in_postgres(analyst, pg_home):
    home, env, database = pg_home
    data, out = analyst
    from tests.test_ingest import correction_2024

    correction = data.parent / "dodligt_vald_2024_rev.csv"
    correction.write_bytes(correction_2024())
    result = subprocess.run([str(MVK), "ingest", str(correction), "--data-dir", str(data), "--out", str(out)],
                            capture_output=True, text=True, timeout=600, env=environment(env), cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert hashlib.sha256(correction_2024()).hexdigest() in loaded_hashes(out / "warehouse" / "warehouse.duckdb")
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs()
        assert [r.status for r in runs] == [dg.DagsterRunStatus.SUCCESS]
        assert instance.get_latest_materialization_event(dg.AssetKey(["reports", "site"])) is not None
        assert runs[0].tags.get("mvk/pid")              # the writer recorded its process
    assert count_in_postgres(database, "select count(*) from runs") == 1
    assert count_in_postgres(database, "select count(*) from event_logs where dagster_event_type = "
                                       "'ASSET_MATERIALIZATION'") >= 7
    assert not (home / "history").exists()             # nothing fell back to SQLite files


@pytest.mark.slow
def test_the_inbox_sensor_starts_a_run_through_the_daemon_on_postgres(analyst, pg_home, tmp_path):
    """The daemon ticks the inbox sensor, queues its run, launches it in its own process; the run
    loads the dropped file. This is what `dg dev` does for a team, minus the web page."""
    home, env, _ = pg_home
    data, out = analyst
    from tests.test_ingest import correction_2024

    (data / "inbox").mkdir()
    (data / "inbox" / "dodligt_vald_2024_rev.csv").write_bytes(correction_2024())
    log = (tmp_path / "daemon.log").open("w")
    daemon = subprocess.Popen([str(DAEMON), "run", "-w", str(PROJECT_ROOT / "workspace.yaml")], stdout=log,
                              stderr=subprocess.STDOUT, cwd=PROJECT_ROOT, start_new_session=True,
                              env=environment({**env, "MVK_DATA_DIR": str(data), "MVK_OUT_DIR": str(out)}))
    try:
        deadline, runs = time.monotonic() + 300, []
        with dg.DagsterInstance.get() as instance:
            while time.monotonic() < deadline:
                # the sensor's own run (the automation sensor then starts the downstream ones)
                runs = instance.get_runs(filters=dg.RunsFilter(tags={"dagster/sensor_name": "inbox_sensor"}))
                if runs and runs[0].is_finished:
                    break
                assert daemon.poll() is None, (tmp_path / "daemon.log").read_text()[-3000:]
                time.sleep(2)
            assert runs and runs[0].status == dg.DagsterRunStatus.SUCCESS, (tmp_path / "daemon.log").read_text()[-3000:]
            assert runs[0].tags.get("mvk/source") == "bra_lethal_violence"
            assert runs[0].tags.get("dagster/sensor_name") == "inbox_sensor"
    finally:
        os.killpg(daemon.pid, 15)
        daemon.wait(timeout=60)
    assert (data / "sources" / "bra_lethal_violence" / "dodligt_vald_2024_rev.csv").exists()
    assert hashlib.sha256(correction_2024()).hexdigest() in loaded_hashes(out / "warehouse" / "warehouse.duckdb")
