"""The assessment table's rows kept by what they were made from (reports/assessment_rows.py, issue 13).

What an analyst must never get is a verdict or a sentence left over from older figures. So: kept rows
give exactly the table a fresh assessment gives; a changed table, spec or damaged file means the
indicator is assessed again, and only that one. (After a real incremental run the warehouse's table is
compared with a fresh assessment in tests/test_page_reuse.py.)"""

from __future__ import annotations

import shutil
from dataclasses import replace

import duckdb
import pandas as pd
import pytest

from indicators.registry import load_catalogue
from reports.assessment_rows import KeptRows, indicator_rows, table


@pytest.fixture(scope="module")
def frames(built_in_process, tmp_path_factory) -> dict[str, pd.DataFrame]:
    copy = tmp_path_factory.mktemp("assessment") / "warehouse.duckdb"
    shutil.copyfile(built_in_process / "out" / "warehouse" / "warehouse.duckdb", copy)
    with duckdb.connect(str(copy), read_only=True) as conn:
        return {i: conn.execute(f'select * from indicators."{i}"').df()
                for i, spec in load_catalogue().items() if not spec.is_development}


def _table(kept: KeptRows, frames: dict[str, pd.DataFrame], catalogue) -> pd.DataFrame:
    return table([row for i, frame in frames.items() for row in kept.rows(catalogue[i], frame)])


def test_kept_rows_give_the_fresh_table_and_only_a_changed_indicator_is_assessed_again(frames, tmp_path):
    catalogue = load_catalogue()
    fresh = table([row for i, frame in frames.items() for row in indicator_rows(frame, catalogue[i])])
    first = KeptRows(tmp_path)
    pd.testing.assert_frame_equal(_table(first, frames, catalogue), fresh)
    assert first.assessed == list(frames)
    again = KeptRows(tmp_path)
    pd.testing.assert_frame_equal(_table(again, frames, catalogue), fresh)
    assert again.assessed == [], "nothing changed: every indicator keeps its rows"

    changed = dict(frames)
    latest = frames["MVK08"]["year"].max()
    changed["MVK08"] = frames["MVK08"].copy()
    changed["MVK08"].loc[changed["MVK08"]["year"] == latest, "value"] *= 1.5
    respelled = {**catalogue, "MVK05": replace(catalogue["MVK05"], decimals=catalogue["MVK05"].decimals + 1)}
    (tmp_path / "MVK12.json").write_text("{not json", encoding="utf-8")     # a damaged file
    third = KeptRows(tmp_path)
    result = _table(third, changed, respelled)
    assert third.assessed == ["MVK05", "MVK08", "MVK12"]
    expected = table([row for i, frame in changed.items() for row in indicator_rows(frame, respelled[i])])
    pd.testing.assert_frame_equal(result, expected)
    assert not result.equals(fresh)

    (tmp_path / "MVK99.json").write_text("{}", encoding="utf-8")
    third.prune(set(frames))
    assert sorted(p.stem for p in tmp_path.glob("*.json")) == sorted(frames)
    nothing = KeptRows(None)
    pd.testing.assert_frame_equal(_table(nothing, frames, catalogue), fresh)
    assert nothing.assessed == list(frames)
