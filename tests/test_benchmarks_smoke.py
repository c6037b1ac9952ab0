"""The benchmark scripts still run (tiny input, one repeat): not the benchmarks themselves (docs/performance.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[1]


def run(script: str, *args: str, tmp_path: Path) -> dict:
    out = tmp_path / "report.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args, "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(out.read_text(encoding="utf-8"))


def test_microdata_scale_runs_on_tiny_input(tmp_path):
    report = run("microdata_scale.py", "--rows", "2000", "--repeat", "1", "--disclosure-repeat", "0",
                 "--work", str(tmp_path / "work"), tmp_path=tmp_path)
    (entry,) = report["results"]
    assert entry["rows"] == 2000 and entry["ours"]["wall_median"] > 0 and entry["floor"]["wall_median"] > 0
    assert entry["ours"]["rss_mb_max"] > 10 and entry["ratio"] > 0


def test_pipeline_run_builds_a_valid_incremental_file(tmp_path):
    report = run("pipeline_run.py", "--check", tmp_path=tmp_path)
    assert report["results"]["validate"]["median"] > 0
    assert report["results"]["floor"]["median"] > 0 and report["cpu_s"]["floor"]["median"] > 0


def test_run_timeline_wraps_every_part_and_times_a_command(capsys):
    """In process (a second interpreter would cost more than the command), and every function is put back."""
    from benchmarks import run_timeline
    from pipelines import cli

    lethal = next((ROOT / "data" / "sources" / "bra_lethal_violence").glob("*.csv"))
    before = cli._validate_all
    report = run_timeline.main(["--", "validate", str(lethal), "--source", "bra_lethal_violence"])
    assert report["wrapped"] >= 20 and report["exit_code"] == 0 and report["command_s"] > 0
    assert [s["name"] for s in report["spans"]] == ["_validate_all"] and "_validate_all" in capsys.readouterr().out
    assert cli._validate_all is before


def test_evidence_precision_runs_on_the_shipped_documents(tmp_path):
    if not (ROOT / "data" / "documents" / "answer_key.yaml").is_file():
        unavailable("data/documents has no demo documents (data/generate_agency_documents.py writes them)")
    report = run("evidence_precision.py", "--repeat", "1", tmp_path=tmp_path)
    overall = report["groups"]["overall"]
    assert report["documents"] > 0 and overall["units"] > 0 and report["finder_seconds"]["median"] > 0
    # a floor, not the figure (docs/documents.md): the right page first for most planted mentions
    assert overall["precision_at_1"] >= 0.8 and overall["status_accuracy"] >= 0.8


def test_orchestrator_cost_measures_dagster_and_duckdb_per_step(tmp_path):
    report = run("orchestrator_cost.py", "--quick", "--repeat", "1", tmp_path=tmp_path)
    assert report["start_up"]["import_dagster_s"] > 0 and "real_run" not in report
    for case in ("ephemeral", "dagster_sqlite", "persistent", "persistent_duckdb"):
        chain = report["chains"][case]
        assert set(chain["median_s"]) == {"1", "2"} and all(s > 0 for s in chain["median_s"].values())
        assert {"per_step_ms", "fixed_ms"} <= set(chain)
    assert report["chains"]["persistent"]["events_per_step"] > 0
    assert {"per_step_ms", "fixed_ms"} == set(report["chains"]["duckdb_adds"])


@pytest.mark.slow   # five site writes: CI and make test-all run it
def test_page_reuse_takes_pages_over_when_nothing_changed(built_in_process, tmp_path):
    report = run("page_reuse.py", "--out", str(built_in_process / "out"), "--data", str(built_in_process / "data"),
                 "--repeat", "1", tmp_path=tmp_path)
    pages = report["pages"]
    assert pages["everything rendered"]["reused"] == 0
    assert pages["nothing changed"]["reused"] > 300
    assert pages["one indicator changed"]["reused"] == pages["nothing changed"]["reused"] - 2   # MVK08 sv, en
