"""What changed between two editions, computed from what each edition published.

Both sides are read from the same published formats (``data/indicators/<id>.csv``,
``data/provenance/<id>.csv``, ``data/indicators.json``, ``data/sources.csv``,
``data/programme/measure_status.csv``, ``manifest.json``): the previous edition from its folder on
disk, the new one from the files the build is about to write (``current_files``). So the comparison
still holds when the warehouse was rebuilt, moved or lost in between, and it compares exactly what a
reader could download from each. ``raw.revisions`` only adds *when* a revised source cell was loaded.

Pure functions: bytes and records in, records out. The page is ``reports/pages/editions.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reports.cell_safety import safe_csv_writer

# The kinds of change, in the order the summary and each section list them.
KINDS = ("indicator_added", "indicator_retired", "indicator_redefined", "revised", "new_point",
         "removed_point", "verdict_changed", "measure_status", "source_updated")
COLUMNS = ("kind", "indicator_id", "measure_id", "agency_id", "source_id", "year", "series", "field", "old",
           "new", "flag", "source_file", "revised_on")
# Catalogue fields whose change makes an indicator "redefined": its numbers mean something else now.
DEFINITION_FIELDS = ("unit", "definition", "breakdowns", "main_series", "direction", "baseline_year", "target",
                     "target_year", "decimals", "status", "sources")
MEASURE_FIELDS = ("reported_status", "assessed_status")
CELL_HASH = re.compile(r"\b([0-9a-f]{12}):")   # provenance cells: "<hash prefix>:<location>"
WANTED = re.compile(r"^(manifest\.json|data/indicators\.json|data/sources\.csv|data/programme/measure_status\.csv|"
                    r"data/(indicators|provenance)/[^/]+\.csv)$")


@dataclass(frozen=True)
class Published:
    """One edition as a reader can download it (only the parts a comparison needs)."""

    edition: str
    code_version: str
    indicators: dict[str, dict]                        # id -> its indicators.json item
    values: dict[str, dict[tuple[int, str], tuple[str, str]]]   # id -> (year, series) -> (value, flag)
    cells: dict[str, dict[tuple[int, str], str]]       # id -> (year, series) -> source_cells
    snapshots: dict[str, tuple[str, str, str]]         # sha256 -> (source_id, original_name, retrieved)
    measures: dict[str, dict[str, str]]                # measure_id -> its measure_status row (one per measure)


def _csv_rows(data: bytes | None) -> list[dict[str, str]]:
    if not data:
        return []
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _series(row: dict[str, str], breakdowns: list[str]) -> str:
    """A value's breakdown codes as one key, ``sex=K; region=01`` ('' for an indicator without any)."""
    return "; ".join(f"{b}={row[b]}" for b in breakdowns)


def read_published(files: Mapping[str, bytes]) -> Published:
    """An edition from its files ({site-relative path: bytes}; missing files count as empty)."""
    manifest = json.loads(files["manifest.json"]) if "manifest.json" in files else {}
    catalogue = json.loads(files.get("data/indicators.json") or b"{}")
    indicators = {item["id"]: item for item in catalogue.get("indicators", [])}
    values, cells = {}, {}
    for indicator_id, item in indicators.items():
        breakdowns = list(item.get("breakdowns") or [])
        rows = _csv_rows(files.get(f"data/indicators/{indicator_id}.csv"))
        if not rows and "csv" not in item:
            continue          # a development indicator: no numbers
        values[indicator_id] = {(int(r["year"]), _series(r, breakdowns)): (r["value"], r["flag"]) for r in rows}
        cells[indicator_id] = {(int(r["year"]), _series(r, breakdowns)): r.get("source_cells", "")
                               for r in _csv_rows(files.get(f"data/provenance/{indicator_id}.csv"))}
    snapshots = {r["sha256"]: (r["source_id"], r["original_name"], r["retrieved"])
                 for r in _csv_rows(files.get("data/sources.csv"))}
    measures = {r["measure_id"]: r for r in _csv_rows(files.get("data/programme/measure_status.csv"))}
    return Published(edition=str(manifest.get("edition", catalogue.get("edition", ""))),
                     code_version=str(manifest.get("code_version", "")), indicators=indicators, values=values,
                     cells=cells, snapshots=snapshots, measures=measures)


def read_edition_folder(folder: Path) -> Published:
    """A published edition (or any site copy) from its folder: only the files a comparison reads."""
    files = {}
    for path in folder.rglob("*"):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and WANTED.match(rel):
            files[rel] = path.read_bytes()
    return read_published(files)


def current_files(inputs, code_version: str, data_files: dict[str, bytes]) -> dict[str, bytes]:
    """The files a build is about to publish: ``data_files`` (made by ``reports.site.data_downloads``, the
    function ``write_site`` publishes them from) and the manifest's edition and code version."""
    return {"manifest.json": json.dumps({"edition": inputs.edition, "code_version": code_version}).encode(),
            **data_files}


# ------------------------------------------------------------------------------------------ compare
@dataclass(frozen=True)
class Changes:
    """Every change of one edition against the previous one, as flat records (COLUMNS)."""

    edition: str
    previous_edition: str | None          # None: this is the first edition
    previous_code_version: str = ""
    records: tuple[dict, ...] = field(default_factory=tuple)

    def summary(self) -> dict[str, int]:
        counts = {kind: 0 for kind in KINDS}
        for record in self.records:
            counts[record["kind"]] += 1
        return counts

    def for_indicator(self, indicator_id: str) -> list[dict]:
        return [r for r in self.records if r["indicator_id"] == indicator_id]

    def indicators_changed(self) -> list[str]:
        return sorted({r["indicator_id"] for r in self.records if r["indicator_id"]})


def _record(kind: str, **values) -> dict:
    record = {column: "" for column in COLUMNS}
    record.update({k: ("" if v is None else v) for k, v in values.items()}, kind=kind)
    return record


def _text(value) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else str(value)


def _definition_fields(item: dict) -> dict[str, object]:
    return {name: ([s["id"] for s in item.get("sources", [])] if name == "sources" else item.get(name))
            for name in DEFINITION_FIELDS}


def _source_files(cells: str, snapshots: dict[str, tuple[str, str, str]], previous: set[str]) -> tuple[str, list]:
    """The files a value rests on (names, ' '-joined), preferring those new since the previous edition,
    and their full hashes."""
    prefixes = sorted(set(CELL_HASH.findall(cells or "")))
    found = [(sha, snapshots[sha]) for p in prefixes for sha in snapshots if sha.startswith(p)]
    new = [(sha, info) for sha, info in found if sha not in previous] or found
    return " ".join(sorted({info[1] for _, info in new})), [sha for sha, _ in new]


def _revised_on(hashes: list[str], year: int, revisions: list[dict]) -> str:
    """When a revised cell was loaded: the latest ``raw.revisions`` date of its new snapshot (the
    source year may differ from the indicator's year, e.g. survey year − 1; that year is preferred)."""
    rows = [r for r in revisions if r.get("new_snapshot") in hashes]
    exact = [r for r in rows if int(r.get("year") or 0) == year] or rows
    dates = sorted(str(r["revised_on"])[:10] for r in exact if r.get("revised_on"))
    return dates[-1] if dates else ""


def compare(previous: Published | None, current: Published, revisions: list[dict] | None = None) -> Changes:
    """The changes from ``previous`` to ``current``; ``revisions`` are ``raw.revisions`` rows (source_id,
    year, new_snapshot, revised_on) that date the revised cells."""
    if previous is None:
        return Changes(edition=current.edition, previous_edition=None)
    revisions = revisions or []
    records: list[dict] = []
    old_ids, new_ids = set(previous.indicators), set(current.indicators)
    for indicator_id in sorted(new_ids - old_ids):
        records.append(_record("indicator_added", indicator_id=indicator_id,
                               new=current.indicators[indicator_id]["name"]["sv"]))
    for indicator_id in sorted(old_ids - new_ids):
        records.append(_record("indicator_retired", indicator_id=indicator_id,
                               old=previous.indicators[indicator_id]["name"]["sv"]))
    old_hashes = set(previous.snapshots)
    for indicator_id in sorted(old_ids & new_ids):
        old_item, new_item = previous.indicators[indicator_id], current.indicators[indicator_id]
        old_def, new_def = _definition_fields(old_item), _definition_fields(new_item)
        for name in DEFINITION_FIELDS:
            if old_def[name] != new_def[name]:
                records.append(_record("indicator_redefined", indicator_id=indicator_id, field=name,
                                       old=_text(old_def[name]), new=_text(new_def[name])))
        old_values = previous.values.get(indicator_id, {})
        new_values = current.values.get(indicator_id, {})
        cells = current.cells.get(indicator_id, {})
        for key in sorted(set(old_values) | set(new_values)):
            year, series = key
            if key not in old_values:
                value, flag = new_values[key]
                files, _ = _source_files(cells.get(key, ""), current.snapshots, old_hashes)
                records.append(_record("new_point", indicator_id=indicator_id, year=year, series=series, new=value,
                                       flag=flag, source_file=files))
            elif key not in new_values:
                value, flag = old_values[key]
                records.append(_record("removed_point", indicator_id=indicator_id, year=year, series=series,
                                       old=value, flag=flag))
            elif old_values[key] != new_values[key]:
                (old_value, old_flag), (new_value, new_flag) = old_values[key], new_values[key]
                files, hashes = _source_files(cells.get(key, ""), current.snapshots, old_hashes)
                records.append(_record("revised", indicator_id=indicator_id, year=year, series=series,
                                       field="value" if old_value != new_value else "flag",
                                       old=old_value if old_value != new_value else old_flag,
                                       new=new_value if old_value != new_value else new_flag,
                                       flag=new_flag, source_file=files,
                                       revised_on=_revised_on(hashes, year, revisions)))
        old_verdict = (old_item.get("assessment") or {}).get("progress", "")
        new_verdict = (new_item.get("assessment") or {}).get("progress", "")
        if old_verdict != new_verdict:
            records.append(_record("verdict_changed", indicator_id=indicator_id, old=old_verdict, new=new_verdict))
    for measure_id in sorted(set(previous.measures) | set(current.measures)):
        old_row, new_row = previous.measures.get(measure_id, {}), current.measures.get(measure_id, {})
        # the agency whose report the status now rests on (the one before, when no report is left)
        agency = new_row.get("reporting_agency") or old_row.get("reporting_agency", "")
        for name in MEASURE_FIELDS:
            if old_row.get(name, "") != new_row.get(name, ""):
                records.append(_record("measure_status", measure_id=measure_id, agency_id=agency, field=name,
                                       old=old_row.get(name, ""), new=new_row.get(name, "")))
    by_source: dict[str, tuple[set, set]] = {}
    for side, snapshots in ((0, previous.snapshots), (1, current.snapshots)):
        for sha, (source_id, _, _) in snapshots.items():
            by_source.setdefault(source_id, (set(), set()))[side].add(sha)
    for source_id, (old, new) in sorted(by_source.items()):
        if old != new:
            names = lambda shas, snaps: " ".join(sorted(snaps[s][1] for s in shas))  # noqa: E731
            retrieved = sorted(current.snapshots[s][2] for s in new if current.snapshots[s][2])
            added = names(new - old, current.snapshots)
            records.append(_record("source_updated", source_id=source_id, old=names(old - new, previous.snapshots),
                                   new=added, source_file=added, revised_on=retrieved[-1] if retrieved else ""))
    return Changes(edition=current.edition, previous_edition=previous.edition,
                   previous_code_version=previous.code_version, records=tuple(records))


# ------------------------------------------------------------------------------------------ downloads
def changes_csv(changes: Changes) -> str:
    """``data/changes.csv``: one row per change (COLUMNS), values exactly as each edition published them."""
    out = io.StringIO()
    writer = safe_csv_writer(out, lineterminator="\n")   # OWASP: no live formulas
    writer.writerow(COLUMNS)
    for record in changes.records:
        writer.writerow([record[c] for c in COLUMNS])
    return out.getvalue()


def changes_json(changes: Changes) -> str:
    """``data/changes.json``: the editions compared, the counts per kind, and every change."""
    return json.dumps({"edition": changes.edition, "previous_edition": changes.previous_edition,
                       "previous_code_version": changes.previous_code_version, "summary": changes.summary(),
                       "changes": list(changes.records)}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def downloads(changes: Changes | None) -> dict[str, bytes]:
    if changes is None:
        return {}
    return {"data/changes.csv": changes_csv(changes).encode("utf-8"),
            "data/changes.json": changes_json(changes).encode("utf-8")}
