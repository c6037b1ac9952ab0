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


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared/ is absent beside the checkout")
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
