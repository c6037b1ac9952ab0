"""Blocking and warning checks on indicator tables, and their wiring as Dagster asset checks."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from indicators.quality import blocking_problems, coverage_gaps, unreconciled_totals, year_on_year_jumps
from indicators.registry import load_catalogue
from pipelines.definitions import defs


def table(spec, rows):
    frame = pd.DataFrame(rows)
    frame.insert(0, "indicator_id", spec.id)
    frame["unit"] = spec.unit
    for column, default in (("flag", ""), ("ci_low", math.nan), ("ci_high", math.nan), ("illustrative", False),
                            ("reliability", "official"), ("source_url", ""), ("provenance", "")):
        if column not in frame:
            frame[column] = default
    return frame[["indicator_id", "year", *spec.output_breakdowns, "value", "unit", "flag", "ci_low", "ci_high",
                  "illustrative", "reliability", "source_url", "provenance"]]


def test_blocking_rules():
    spec = load_catalogue()["MVK06"]
    good = table(spec, [{"year": 2018, "value": 66.7}, {"year": 2019, "value": 64.0}])
    assert blocking_problems(good, spec) == []
    assert "share(s) outside 0–100" in blocking_problems(good.assign(value=[66.7, 120.0]), spec)
    assert any("duplicate" in p for p in blocking_problems(good.assign(year=2018), spec))
    assert any("without a flag" in p for p in blocking_problems(good.assign(value=[66.7, None]), spec))
    assert any("infinite" in p for p in blocking_problems(good.assign(value=[math.inf, 1.0]), spec))
    assert any("GSS" in p for p in blocking_problems(good.assign(flag=["", "?"]), spec))
    assert any("columns" in p for p in blocking_problems(good.drop(columns="ci_low"), spec))


def test_warnings_for_jumps_gaps_and_totals():
    spec = replace(load_catalogue()["MVK07"], yoy_tolerance=0.4)
    rows = [{"year": y, "sex": s, "statistic": "annual", "value": v}
            for y, s, v in ((2018, "K", 22), (2018, "M", 4), (2018, "T", 26), (2019, "K", 16), (2019, "M", 2),
                            (2019, "T", 20), (2021, "K", 15), (2021, "M", 4), (2021, "T", 19))]
    frame = table(spec, rows)
    assert year_on_year_jumps(frame, spec) == ["M 2018→2019: 4 → 2"]
    assert coverage_gaps(frame, spec) == ["2020"]
    assert unreconciled_totals(frame, spec) == ["sex (2019, 'annual'): parts 18 ≠ total 20"]


def test_every_computed_indicator_has_a_blocking_and_a_warning_check():
    checks = {(key.asset_key.to_user_string(), key.name) for key in defs().resolve_asset_graph().asset_check_keys}
    for spec in load_catalogue().values():
        if spec.is_development:
            continue
        assert (f"indicators/{spec.id}", "publishable") in checks
        assert (f"indicators/{spec.id}", "plausible") in checks
    assert ("reports/site", "every_catalogue_id_present") in checks
