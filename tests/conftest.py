"""Shared fixtures: the real CLI run once per session, a small warehouse, and ../shared/."""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = PROJECT_ROOT.parent / "shared"
MVK = Path(sys.executable).with_name("mvk")


def run_mvk(*args: str, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run the installed ``mvk`` console script as a user would."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "MVK_DATA_DIR", "MVK_OUT_DIR")}
    environment.update(env or {})
    return subprocess.run([str(MVK), *args], capture_output=True, text=True, timeout=timeout,
                          env=environment, cwd=PROJECT_ROOT)


ENV_KEYS = ("DAGSTER_HOME", "MVK_DATA_DIR", "MVK_OUT_DIR", "MVK_LANG")


def run_in_process(base: Path) -> Path:
    """Copy the shipped data to ``base/data`` and build it into ``base/out`` with the real CLI, in this
    process, leaving the environment as it was (the CLI exports the folders for the Dagster run)."""
    from pipelines import cli

    with cli_environment_kept():
        for key in ENV_KEYS:
            os.environ.pop(key, None)
        shutil.copytree(PROJECT_ROOT / "data", base / "data", ignore=shutil.ignore_patterns("*.py"))
        assert cli.main(["run", "--data-dir", str(base / "data"), "--out", str(base / "out")]) == 0
    return base


@contextlib.contextmanager
def cli_environment_kept():
    """The CLI exports the run's folders and language (``MVK_LANG`` is the next command's default):
    whatever a call in this process sets is put back as it was afterwards."""
    saved = {key: os.environ.get(key) for key in ENV_KEYS}
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@functools.cache
def pristine_dagster_home() -> Path:
    """An empty Dagster instance folder, its SQLite run and schedule storage created and migrated, made
    once per test process. A private copy starts from a copy of it: a new instance folder costs its
    first run 0.36–0.43 s of creating and migrating those databases, a copied one 0.06 s (issue 13)."""
    import dagster as dg

    from pipelines.paths import DAGSTER_YAML_TEMPLATE

    home = Path(tempfile.mkdtemp(prefix="mvk-pristine-")) / "dagster_home"
    atexit.register(shutil.rmtree, home.parent, ignore_errors=True)
    home.mkdir()
    shutil.copyfile(DAGSTER_YAML_TEMPLATE, home / "dagster.yaml")
    with cli_environment_kept():
        os.environ["DAGSTER_HOME"] = str(home)
        with dg.DagsterInstance.get():
            pass
    return home


def private_copy(base: Path, tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """A test's own copy of a built data and output folder (without run history: a new instance,
    ``pristine_dagster_home``).

    Its runs make no print edition (MVK_PRINT_EDITION=off): these tests look at the warehouse, pages
    and downloads after a change, and reprinting both PDFs was most of each one's time (issue 13). The
    print is tested on the session build and in tests/test_print_edition.py; a test that wants it sets
    the variable to "on"."""
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("MVK_PRINT_EDITION", "off")
    shutil.copytree(base / "data", tmp_path / "data")
    # Without run history, and without the fingerprint of the last build: a test's first run is a real one.
    shutil.copytree(base / "out", tmp_path / "out", ignore=shutil.ignore_patterns("dagster_home",
                                                                                ".mvk_build_fingerprint"))
    shutil.copytree(pristine_dagster_home(), tmp_path / "out" / "dagster_home")
    return tmp_path / "data", tmp_path / "out"


@pytest.fixture(scope="session")
def built_in_process(tmp_path_factory) -> Path:
    """One in-process run on a copy of the shipped data, shared by the tests that then copy it.

    ``make test`` runs the suite in two pytest-xdist workers; they share this one build (a full run is
    the largest fixed cost of the suite): the first worker to take the lock builds it, the other waits
    and reads the same folder. No test writes into it; a test that changes anything works on a copy
    (``analyst``, ``private_copy``)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return run_in_process(tmp_path_factory.mktemp("analyst"))
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent   # the same folder for every worker of this session
    base, done = shared / "analyst", shared / "analyst.built"
    with FileLock(str(shared / "analyst.lock")):
        if not done.exists():
            shutil.rmtree(base, ignore_errors=True)   # a build that failed half-way in another worker
            base.mkdir()
            run_in_process(base)
            done.touch()
    return base


@pytest.fixture()
def analyst(built_in_process, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A data folder and a built warehouse of the test's own, with the environment restored after."""
    return private_copy(built_in_process, tmp_path, monkeypatch)


IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(autouse=True)
def _cli_environment_restored():
    """A test that calls the CLI in process must not leave its exports to the next test on the worker."""
    with cli_environment_kept():
        yield


def pytest_collection_modifyitems(config, items):
    """The order that keeps both workers of ``make test`` busy. pytest-xdist's ``worksteal`` hands the
    first half of the list to one worker and the second half to the other, then lets an idle worker
    take the end of the other's queue. So: the tests marked ``first`` (the page check, the longest
    test), then the modules that use the session build, then those that do not. The first worker makes
    the build (about 20 s) and checks the pages while the second works through tests that need no build
    instead of waiting for it. Whole modules move, so a module's own fixtures are made once per worker."""
    needs_build = {i.module for i in items if "built_in_process" in getattr(i, "fixturenames", ())}

    def rank(item) -> int:
        return 0 if item.get_closest_marker("first") else 1 if item.module in needs_build else 2

    items.sort(key=rank)   # stable: file order within each group


def unavailable(reason: str) -> None:
    """A tool or folder a test needs is not on this machine: skip here, but fail in CI, which installs
    and provides everything (Chromium, Node, poppler-utils, PostgreSQL, ../shared) so no test goes unrun."""
    if IN_CI:
        pytest.fail(f"CI must provide this, but: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        unavailable("../shared/ is absent beside the checkout")
    return SHARED_DIR


@pytest.fixture(scope="session")
def built(built_in_process) -> Path:
    """The OUT folder of the session's one build (``mvk run`` on a copy of the shipped data, through
    the CLI's own ``main``; its data folder is the ``data`` beside it). A second full build as a
    subprocess cost as much again and showed nothing the first does not (issue 13); the tests that need
    the console script itself run it (``run_mvk``) against this folder."""
    return built_in_process / "out"


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    """A writable copy of the shipped data folder."""
    target = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", target, ignore=shutil.ignore_patterns("*.py"))
    return target


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser), shared by every browser test."""
    from reports.print_browser import CHROMIUM_FLAGS, chromium_path

    executable = chromium_path()
    if not Path(executable).is_file():
        unavailable(f"no Chromium at {executable}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=list(CHROMIUM_FLAGS))
        yield launched
        launched.close()
