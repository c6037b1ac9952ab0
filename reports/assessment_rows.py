"""The rows of the assessment table (``indicators.assessment``), made again only where their inputs changed.

Why: the assessment asset runs after every change of any indicator, and assessing all of them with
their sentences took 0.46–0.76 s of a run that changed three (issue 13: an incremental run after one
new source file recomputes 3 of the 25 computed indicators). An indicator's rows are a function of
exactly three things, so they are kept under the sha256 of them (``OUT/.assessment_cache/<id>.json``):

* its table as computed (every cell, ``reports.page_reuse.Digest``);
* its spec in the catalogue (every field);
* the code that assesses and words it: the files of ``indicators/`` and ``reports/`` (the rule, the
  sentences, the message catalogue, the source specs) and the library versions
  (``reports.page_reuse.code_digest``).

Rows are JSON values (strings, numbers, booleans, null, lists), whether made now or read back: every
row goes through one JSON round trip before the table is built, so a table from kept rows is the
table a fresh assessment gives (tests/test_assessment_rows.py). The folder is a cache: deleting it
only costs time, and a kept file with another key, or one that cannot be read, is assessed again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from indicators.assessment import assess_indicator
from indicators.atomic import read_kept, write_whole
from indicators.registry import IndicatorSpec
from reports.page_reuse import Digest, code_digest
from reports.sentences import sentences

FOLDER = ".assessment_cache"
YEAR_LISTS = ("start_years", "end_years", "breaks", "used_years", "illustrative_years", "published_years")
INTEGER_COLUMNS = ("baseline_year", "previous_year", "latest_year", "period_first", "period_last",
                   "starts_at_break", "ends_before_break")


def indicator_rows(frame: pd.DataFrame, spec: IndicatorSpec) -> list[dict]:
    """The table's rows for one indicator: one per series (headline first), facts and sentences."""
    rows = []
    for item in assess_indicator(frame, spec):
        words = sentences(item, spec)
        rows.append({
            "indicator_id": item.indicator_id,
            "breakdown": "; ".join(f"{k}={v}" for k, v in sorted(item.breakdown.items())),
            "progress": item.progress, "rule": item.rule, "illustrative": item.illustrative,
            "baseline_year": item.baseline_year, "baseline_value": item.baseline_value,
            "previous_year": item.previous_year, "previous_value": item.previous_value,
            "latest_year": item.latest_year, "latest_value": item.latest_value,
            "change_since_baseline": item.change_since_baseline,
            "change_since_previous": item.change_since_previous,
            "annual_growth": item.annual_growth,
            "period_first": item.period[0] if item.period else None,
            "period_last": item.period[1] if item.period else None,
            "start_value": item.start_value, "end_value": item.end_value,
            "starts_at_break": item.starts_at_break, "ends_before_break": item.ends_before_break,
            "notes": list(item.notes), "visible_change": item.visible_change,
            **{name: [int(y) for y in getattr(item, name)] for name in YEAR_LISTS},
            "summary_sv": words["sv"], "summary_en": words["en"],
        })
    return json.loads(_json(rows))


def table(rows: list[dict]) -> pd.DataFrame:
    """The assessment table from every indicator's rows, in catalogue order."""
    frame = pd.DataFrame(rows)
    for column in INTEGER_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    return frame


class KeptRows:
    """Rows kept by key in ``OUT/.assessment_cache`` (no folder: nothing kept, everything assessed)."""

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None
        self.code = code_digest()
        self.digest = Digest()
        self.assessed: list[str] = []    # indicator ids assessed in this run (the others were kept)

    def key(self, spec: IndicatorSpec, frame: pd.DataFrame) -> str:
        hasher = hashlib.sha256(self.code.encode())
        hasher.update(self.digest(spec))
        hasher.update(self.digest(frame))
        return hasher.hexdigest()

    def rows(self, spec: IndicatorSpec, frame: pd.DataFrame) -> list[dict]:
        """The kept rows of ``spec.id`` if they were made from this table, spec and code; else assessed
        now and kept."""
        key = self.key(spec, frame)
        path = self.folder / f"{spec.id}.json" if self.folder else None
        kept = read_kept(path)
        if kept is not None and kept.get("key") == key and isinstance(kept.get("rows"), list):
            return kept["rows"]
        rows = indicator_rows(frame, spec)
        self.assessed.append(spec.id)
        if path is not None:
            write_whole(path, _json({"key": key, "rows": rows}))
        return rows

    def prune(self, ids: set[str]) -> None:
        """Remove the kept rows of indicators the catalogue no longer computes."""
        if self.folder is not None and self.folder.is_dir():
            for path in self.folder.glob("*.json"):
                if path.stem not in ids:
                    path.unlink(missing_ok=True)


def _json(value) -> str:
    """JSON text of rows: numpy scalars as the numbers they are, NaN kept (Python's json reads it back)."""
    return json.dumps(value, ensure_ascii=False, default=_plain)


def _plain(value):
    if hasattr(value, "item"):       # a numpy scalar
        return value.item()
    raise TypeError(f"assessment row value of type {type(value).__name__} is not JSON")
