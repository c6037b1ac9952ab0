"""The Dagster definitions load the way the UI and the CLI load them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from indicators.registry import load_catalogue
from indicators.sources import load_sources
from pipelines.definitions import defs
from tests.conftest import PROJECT_ROOT

BIN = Path(sys.executable).parent


def test_asset_graph_groups_and_keys():
    graph = defs().resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {f"raw/{s}" for s in load_sources()} <= keys
    computed = {i for i, spec in load_catalogue().items() if not spec.is_development}
    assert {f"indicators/{i}" for i in computed} <= keys
    assert not {f"indicators/{i}" for i in load_catalogue() if i not in computed} & keys   # no data, no asset
    assert "indicators/assessment" in keys
    assert "reports/site" in keys
    groups = {graph.get(k).group_name for k in graph.get_all_asset_keys()}
    assert groups == {"ingest", "staging", "indicators", "programme", "evidence", "reports"}
    assert {"programme/register", "programme/submissions", "programme/status"} <= keys
    # every asset that touches the warehouse is in the single-writer pool
    for key in graph.get_all_asset_keys():
        assert graph.get(key).pools == {"duckdb"}, key


def test_indicator_code_version_changes_only_with_its_own_spec_or_sql():
    graph = defs().resolve_asset_graph()
    specs = {i: s for i, s in load_catalogue().items() if not s.is_development}
    versions = {i: graph.get(dg.AssetKey(["indicators", i])).code_version for i in specs}
    assert len(set(versions.values())) == len(versions)
    assert versions == {i: s.code_version for i, s in specs.items()}


def test_executor_is_in_process():
    assert defs().resolve_job_def("__ASSET_JOB").executor_def.name == "in_process"


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    return subprocess.run([*args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, env=env)


def test_dagster_definitions_validate_with_workspace():
    result = _cli(str(BIN / "dagster"), "definitions", "validate", "-w", "workspace.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_dg_check_defs():
    result = _cli(str(BIN / "dg"), "check", "defs")
    assert result.returncode == 0, result.stdout + result.stderr
