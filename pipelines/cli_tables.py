"""Tables the command line prints: ``mvk status``, ``mvk sources`` and ``mvk indicators``.

Labels come from the message catalogue in the user's language; ``--json`` prints the same facts as
JSON for scripts (codes, ISO dates, both languages' names). On a terminal rich draws the tables; in
a pipe the same tables are plain text without colour.
"""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from indicators.i18n import t
from indicators.registry import load_catalogue
from indicators.sources import load_sources
from pipelines.progress import seconds_text


def _console() -> Console:
    # In a pipe, never fold a cell: a script or a grep should find each value on one line.
    return Console(soft_wrap=False, width=None if Console().is_terminal else 10_000, highlight=False)


def dumps(facts: object) -> str:
    return json.dumps(facts, ensure_ascii=False, indent=2, sort_keys=False, default=str)


def _table(title: str, columns: list[str]) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False, header_style="bold")
    for i, column in enumerate(columns):
        table.add_column(column, overflow="fold", no_wrap=i == 0)   # the id stays whole, on one line
    return table


def _dash(value: object) -> str:
    return "–" if value in (None, "") else str(value)


def print_status(facts: dict, lang: str) -> None:
    console = _console()
    console.print(t("cli.status.heading", lang, edition=facts["edition"], today=facts["today"],
                    out=facts["out_dir"]))
    if facts["warehouse"] == "locked" and facts.get("writer"):
        from pipelines.operations import describe_holder  # the run the writer lock names

        console.print(t("operations.status_locked", lang, other=describe_holder(facts["writer"], lang),
                        out=facts["out_dir"]))
    elif facts["warehouse"] != "ok":
        console.print(t(f"cli.status.warehouse_{facts['warehouse']}", lang))
    table = _table(t("cli.status.sources", lang), [t(f"cli.status.col.{c}", lang) for c in (
        "source", "latest_year", "snapshot", "retrieved", "next", "state")])
    for row in facts["sources"]:
        expected = (t("cli.status.expected", lang, year=row["next_data_year"], due=row["expected_by"])
                    if row["next_data_year"] else t("cli.status.irregular", lang))
        table.add_row(row["id"], _dash(row["latest_year"]),
                      _dash(row["snapshot"]),
                      _dash(row["retrieved"]), expected, t(f"cli.status.state.{row['state']}", lang))
    console.print(table)
    runs = _table(t("cli.status.runs", lang), [t(f"cli.status.col.{c}", lang) for c in (
        "run", "outcome", "started", "seconds")])
    for run in facts["runs"]:
        runs.add_row(run["run_id"], t(f"cli.status.run.{run['status']}", lang) if run["status"] in RUN_STATES
                     else run["status"], _dash(run["started"]).replace("T", " ").removesuffix("+00:00"),
                     seconds_text(run["seconds"], lang) if run["seconds"] is not None else "–")
    console.print(runs if facts["runs"] else t("cli.status.no_runs", lang))
    if facts["quarantine"]:
        held = _table(t("cli.status.quarantine", lang), [t(f"cli.status.col.{c}", lang) for c in (
            "file", "time", "reason")])
        for item in facts["quarantine"]:
            held.add_row(item["file"], item["time"], item["reason"][lang])
        console.print(held)
    else:
        console.print(t("cli.status.no_quarantine", lang))
    if facts.get("editions"):
        editions = _table(t("editions_status.heading", lang), [t(f"editions_status.col.{c}", lang) for c in (
            "edition", "built", "code_version", "files")])
        for row in facts["editions"]:
            editions.add_row(row["edition"], _dash(row["built"]), _dash(row["code_version"]), str(row["files"]))
        console.print(editions)
    else:
        console.print(t("editions_status.none", lang))


RUN_STATES = ("SUCCESS", "FAILURE", "CANCELED", "STARTED", "QUEUED", "NOT_STARTED", "STARTING", "CANCELING")


def sources_facts() -> list[dict]:
    return [{"id": s.id, "publisher": s.publisher, "title": s.title, "table": s.table_id, "formats": list(s.formats),
             "unit": s.unit, "years": [s.first_year, s.last_year], "release_months": list(s.release_months),
             "public": s.public, "url": s.url} for s in load_sources().values()]


def print_sources(lang: str) -> None:
    table = _table(t("cli.sources.title", lang), [t(f"cli.sources.col.{c}", lang) for c in (
        "id", "publisher", "title", "formats", "years", "release")])
    for s in load_sources().values():
        months = ", ".join(t(f"cli.month.{m}", lang) for m in s.release_months) or "–"
        table.add_row(s.id, s.publisher[lang], s.title[lang], ", ".join(s.formats),
                      f"{s.first_year}–{s.last_year}", months)
    _console().print(table)


def indicators_facts() -> list[dict]:
    return [{"id": s.id, "name": s.name, "unit": s.unit, "sources": list(s.sources), "status": s.status,
             "direction": s.direction, "strategy_objectives": list(s.strategy_objectives)}
            for s in load_catalogue().values()]


def print_indicators(lang: str) -> None:
    table = _table(t("cli.indicators.title", lang), [t(f"cli.indicators.col.{c}", lang) for c in (
        "id", "name", "unit", "sources", "status")])
    for s in load_catalogue().values():
        table.add_row(s.id, s.name[lang], t(f"unit.{s.unit}", lang), ", ".join(s.sources) or "–",
                      t(f"cli.indicators.status.{s.status}", lang))
    _console().print(table)
