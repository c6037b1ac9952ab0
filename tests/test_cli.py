"""The command line as an analyst meets it: help in their language, status, catalogues, progress, exit codes."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines import cli
from pipelines.status import collect
from tests.conftest import MVK, PROJECT_ROOT, run_mvk

COMMANDS = ("run", "validate", "ingest", "template", "status", "sources", "indicators", "completion")
# Frame words argparse or our own help would print in the other language.
ENGLISH_WORDS = re.compile(r"\b(usage|options|positional arguments|show this help|Example|Examples|required|"
                           r"FILE|DIR|AGENCY|YEAR|COMMAND|commands)\b")
SWEDISH_WORDS = re.compile(r"\b(användning|flaggor|visa den här|Exempel|krävs|FIL|MAPP|MYNDIGHET|ÅR|KOMMANDO|"
                           r"kommandon)\b")


def help_text(capsys, *argv: str) -> str:
    assert cli.main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_whole_in_each_language(command, capsys, monkeypatch):
    monkeypatch.delenv("MVK_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    argv = [command] if command else []
    swedish = help_text(capsys, *argv, "--help")
    english = help_text(capsys, *argv, "--help", "--lang", "en")
    assert swedish.startswith("användning: mvk") and english.startswith("usage: mvk")
    assert not ENGLISH_WORDS.search(swedish), ENGLISH_WORDS.search(swedish)
    assert not SWEDISH_WORDS.search(english), SWEDISH_WORDS.search(english)
    if command:   # every argument has a help text, and an example is given
        assert "Exempel:" in swedish and "Example" in english
        for line in swedish.splitlines():
            if re.match(r"^  (-|[A-ZÅÄÖ]{2,})", line) and not line.startswith("  -h"):
                assert len(line.split("  ")) > 2 or line.strip().endswith("]"), line


def test_language_from_anywhere_on_the_line_and_from_the_environment(capsys, monkeypatch):
    monkeypatch.delenv("MVK_LANG", raising=False)
    assert help_text(capsys, "--lang", "en", "status", "--help").startswith("usage:")
    assert help_text(capsys, "status", "--lang=en", "--help").startswith("usage:")
    monkeypatch.setenv("MVK_LANG", "en")
    assert help_text(capsys, "sources", "--help").startswith("usage:")
    monkeypatch.delenv("MVK_LANG")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert help_text(capsys, "--help").startswith("usage:")


def test_bare_mvk_prints_the_overview(capsys, monkeypatch):
    monkeypatch.delenv("MVK_LANG", raising=False)
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    out = help_text(capsys)
    assert "kommandon:" in out and "status" in out and "ingest" in out
    assert "Slutkoder: 0 klart, 1 data vägrades, 2 fel i kommandoraden, 3 miljön" in out


def test_version_names_code_dagster_and_duckdb(capsys):
    import dagster

    out = help_text(capsys, "--version", "--lang", "en")
    assert out.startswith("mvk-uppföljning 0.1.0 (code version ")
    assert f"Dagster {dagster.__version__}" in out and f"DuckDB {duckdb.__version__}" in out


def test_usage_errors_are_translated_and_exit_2(capsys):
    assert cli.main(["template", "--agency", "Kriminalvården"]) == 2
    assert "mvk template: fel: följande argument krävs: --year, --out" in capsys.readouterr().err
    assert cli.main(["frobnicate", "--lang", "en"]) == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


def test_catalogues_as_tables_and_json(capsys):
    table = help_text(capsys, "indicators")
    assert "MVK05" in table and "Kvinnor dödade av nuvarande eller tidigare partner" in table
    rows = json.loads(help_text(capsys, "indicators", "--json"))
    assert {r["id"] for r in rows} >= {f"MVK{n:02d}" for n in range(1, 28)}
    sources = json.loads(help_text(capsys, "sources", "--json", "--lang", "en"))
    lethal = next(s for s in sources if s["id"] == "bra_lethal_violence")
    assert lethal["release_months"] == [3, 4] and lethal["publisher"]["en"].startswith("Swedish National Council")
    assert "Swedish National Council for Crime Prevention" in help_text(capsys, "sources", "--lang", "en")


def test_status_with_an_overdue_source_and_a_quarantined_file(analyst, tmp_path, capsys):
    data, out = analyst
    bad = tmp_path / "dodligt_vald_trasig.csv"
    lines = next((data / "sources" / "bra_lethal_violence").glob("*.csv")).read_bytes().decode("utf-8-sig")
    bad.write_bytes(("\ufeff" + lines.replace("\r\n2020;Kvinnor;Samtliga;", "\r\n2020;Kvinnor;Samtliga;tre", 1))
                    .encode("utf-8"))
    assert cli.main(["ingest", str(bad), "--data-dir", str(data), "--out", str(out)]) == 1
    capsys.readouterr()

    facts = collect(data, out, today=date(2026, 3, 15))
    by_id = {s["id"]: s for s in facts["sources"]}
    population = by_id["scb_population_county_sex"]          # 2025 was due by the end of February 2026
    assert population["latest_year"] == 2024 and population["overdue"] and population["expected_by"] == "2026-02-28"
    lethal = by_id["bra_lethal_violence"]                    # March–April 2026: not yet late
    assert lethal["state"] == "on_time" and lethal["snapshot"] and lethal["retrieved"]
    assert "scb_population_county_sex" in facts["overdue"] and "bra_lethal_violence" not in facts["overdue"]
    assert by_id["bra_intimate_partner_violence_survey"]["state"] == "irregular"
    [held] = facts["quarantine"]
    assert held["file"] == bad.name and "inte är ett tal" in held["reason"]["sv"] and held["reason"]["en"]
    assert facts["edition"] == "2026"

    assert cli.main(["status", "--json", "--data-dir", str(data), "--out", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["warehouse"] == "ok" and printed["quarantine"][0]["file"] == bad.name
    assert printed["runs"] == []            # this copy of the output folder has no run history yet

    assert cli.main(["status", "--data-dir", str(data), "--out", str(out), "--lang", "en"]) == 0
    table = capsys.readouterr().out
    assert "Sources" in table and "No runs in this output folder yet." in table
    assert "In quarantine" in table and bad.name in table


def test_status_exits_3_while_another_process_holds_the_warehouse(analyst):
    """Status waits a while (--wait, default 5 s) for a run's step to let go of the warehouse, then says
    who holds it and exits 3; one second here, so that the test does not sit out the default."""
    data, out = analyst
    with duckdb.connect(str(out / "warehouse" / "warehouse.duckdb")):
        result = run_mvk("status", "--data-dir", str(data), "--out", str(out), "--lang", "en", "--wait", "1")
    assert result.returncode == 3, result.stdout + result.stderr
    assert "in use by another run" in result.stdout


def _run_in_pty(args: list[str], timeout: float = 300) -> tuple[int, str]:
    """Run the installed mvk on a pseudo-terminal, as in an analyst's terminal window."""
    main, child = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "MVK_DATA_DIR", "MVK_OUT_DIR")}
    env.update(COLUMNS="120", TERM="xterm-256color")
    process = subprocess.Popen([str(MVK), *args], stdin=child, stdout=child, stderr=child, env=env,
                               cwd=PROJECT_ROOT, close_fds=True)
    os.close(child)
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
        if ready:
            try:
                data = os.read(main, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    process.wait(timeout=30)
    os.close(main)
    return process.returncode, b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow   # two full runs under a pseudo-terminal: in `make test-all` and CI
def test_progress_bar_on_a_terminal_and_plain_lines_in_a_pipe(analyst, tmp_path):
    data, out = analyst
    code, screen = _run_in_pty(["run", "--data-dir", str(data), "--out", str(out)])
    assert code == 0, screen
    assert "━" in screen and re.search(r"\d+/\d+", screen)        # rich's bar with the step count
    assert "[1/" not in screen                                     # no plain step lines on a terminal
    assert "Klart på" in screen

    piped = run_mvk("run", "--data-dir", str(data), "--out", str(out), "--force")
    assert piped.returncode == 0
    assert re.search(r"^\[1/\d+\] klar: ", piped.stdout, re.M) and "━" not in piped.stdout + piped.stderr

    quiet = run_mvk("run", "--data-dir", str(data), "--out", str(out), "--quiet", "--force")
    assert quiet.returncode == 0 and quiet.stdout.strip().endswith("index.html")
    assert len(quiet.stdout.strip().splitlines()) == 1

    runs = json.loads(run_mvk("status", "--json", "--data-dir", str(data), "--out", str(out)).stdout)["runs"]
    assert [r["status"] for r in runs] == ["SUCCESS"] * 3 and all(r["seconds"] > 0 for r in runs)


def test_exit_codes(analyst, tmp_path):
    data, out = analyst
    assert run_mvk("status", "--out", str(out), "--data-dir", str(data)).returncode == 0
    assert run_mvk("template", "--year", "x").returncode == 2
    bad = tmp_path / "tom.csv"
    bad.write_text("", encoding="utf-8")
    assert run_mvk("validate", str(bad), "--out", str(out)).returncode == 1


def test_completion_scripts_for_bash_and_zsh(capsys):
    bash = help_text(capsys, "completion", "bash")
    assert "complete" in bash and "ingest" in bash and "--withdraw" in bash
    zsh = help_text(capsys, "completion", "zsh")
    assert zsh.startswith("#compdef mvk")
    installed = PROJECT_ROOT / ".venv" / "share" / "bash-completion" / "completions" / "mvk"
    if installed.exists():   # make setup installs it
        assert "_shtab_mvk" in installed.read_text(encoding="utf-8")


def test_readme_documents_every_command():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"mvk {command}" in readme, command
    assert "Slutkoder" in readme or "Exit codes" in readme
    assert Path(PROJECT_ROOT / "docs").is_dir()


def test_status_lists_the_published_editions(tmp_path, capsys):
    """`mvk status` names every edition under OUT/editions/ with its build date and code version."""
    import json

    from pipelines.cli_tables import print_status
    from pipelines.status import collect

    for name, built in (("2025", "2025-12-01T10:00:00+00:00"), ("2026", "2026-12-01T09:00:00+00:00")):
        folder = tmp_path / "out" / "editions" / name
        folder.mkdir(parents=True)
        (folder / "manifest.json").write_text(json.dumps({"build_time": built, "code_version": f"abc{name}",
                                                          "files": {"index.html": "0" * 64}}), encoding="utf-8")
    facts = collect(PROJECT_ROOT / "data", tmp_path / "out")
    assert [e["edition"] for e in facts["editions"]] == ["2025", "2026"]
    assert facts["editions"][1] == {"edition": "2026", "built": "2026-12-01", "code_version": "abc2026", "files": 1}
    print_status(facts, "en")
    shown = capsys.readouterr().out
    assert "Published editions" in shown and "abc2025" in shown and "2026-12-01" in shown


def test_the_mvk_command_ends_at_once_with_its_output_whole_and_its_exit_status(tmp_path):
    """``mvk`` ends its process without the interpreter's teardown (pipelines.cli.console): what it
    printed into a pipe must still arrive whole, and a refused command must still exit non-zero."""
    listing = subprocess.run([str(MVK), "sources", "--json"], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert listing.returncode == 0, listing.stderr
    assert len(json.loads(listing.stdout)) >= 17
    refused = subprocess.run([str(MVK), "run", "--data-dir", str(tmp_path / "none"), "--out", str(tmp_path / "out")],
                             capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert refused.returncode == 2 and "sources/" in refused.stderr
