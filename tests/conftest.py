"""Shared fixtures: the real CLI run once per session, a small warehouse, and ../shared/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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

    saved = {k: os.environ.get(k) for k in ENV_KEYS}
    for key in ENV_KEYS:
        os.environ.pop(key, None)
    shutil.copytree(PROJECT_ROOT / "data", base / "data", ignore=shutil.ignore_patterns("*.py"))
    try:
        assert cli.main(["run", "--data-dir", str(base / "data"), "--out", str(base / "out")]) == 0
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    return base


def private_copy(base: Path, tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """A test's own copy of a built data and output folder (without run history)."""
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    shutil.copytree(base / "data", tmp_path / "data")
    # Without run history, and without the fingerprint of the last build: a test's first run is a real one.
    shutil.copytree(base / "out", tmp_path / "out", ignore=shutil.ignore_patterns("dagster_home",
                                                                                ".mvk_build_fingerprint"))
    return tmp_path / "data", tmp_path / "out"


@pytest.fixture(scope="session")
def built_in_process(tmp_path_factory) -> Path:
    """One in-process run on a copy of the shipped data, shared by the tests that then copy it."""
    return run_in_process(tmp_path_factory.mktemp("analyst"))


@pytest.fixture()
def analyst(built_in_process, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A data folder and a built warehouse of the test's own, with the environment restored after."""
    return private_copy(built_in_process, tmp_path, monkeypatch)


IN_CI = os.environ.get("CI") == "true"


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
def built(tmp_path_factory) -> Path:
    """One real ``mvk run`` on the shipped data into a temporary OUT folder."""
    out = tmp_path_factory.mktemp("run") / "out"
    result = run_mvk("run", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    """A writable copy of the shipped data folder."""
    target = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", target, ignore=shutil.ignore_patterns("*.py"))
    return target


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser), shared by every browser test."""
    from reports.print_edition import CHROMIUM_FLAGS, chromium_path

    executable = chromium_path()
    if not Path(executable).is_file():
        unavailable(f"no Chromium at {executable}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=list(CHROMIUM_FLAGS))
        yield launched
        launched.close()
