"""Run an indicator's SQL on the warehouse and shape the result to the output contract.

The SQL returns ``year, <breakdowns>, value, flag, illustrative, provenance``; this module adds the
id and unit, sets the series-break flag the spec declares and refuses results that could not be
published (duplicate keys, NaN or infinity, shares outside 0–100).
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd

from indicators.registry import TOTAL_CODES, IndicatorSpec

RESULT_COLUMNS = ("year", "value", "flag", "illustrative", "provenance")


class IndicatorError(ValueError):
    """An indicator result that breaks a publishing rule."""


def compute_indicator(conn: duckdb.DuckDBPyConnection, spec: IndicatorSpec) -> pd.DataFrame:
    frame = conn.execute(spec.sql).df()
    expected = {"year", *spec.breakdowns, "value", "flag", "illustrative", "provenance"}
    if set(frame.columns) != expected:
        raise IndicatorError(f"{spec.id}: SQL returned columns {sorted(frame.columns)}, expected {sorted(expected)}")
    frame = frame.astype({"year": "int64", "value": "float64"})
    frame["flag"] = frame["flag"].fillna("").astype("str")
    frame["illustrative"] = frame["illustrative"].fillna(False).astype("bool")
    frame["provenance"] = frame["provenance"].fillna("").astype("str")
    for brk in spec.series_breaks:
        mask = (frame["year"] == int(brk["year"])) & (frame["flag"] == "")
        frame.loc[mask, "flag"] = "b"
    frame.insert(0, "indicator_id", spec.id)
    frame["unit"] = spec.unit
    columns = ["indicator_id", "year", *spec.breakdowns, "value", "unit", "flag", "illustrative", "provenance"]
    frame = frame[columns].sort_values(["year", *spec.breakdowns], kind="stable").reset_index(drop=True)
    check_publishable(frame, spec)
    return frame


def check_publishable(frame: pd.DataFrame, spec: IndicatorSpec) -> None:
    keys = ["year", *spec.breakdowns]
    if frame.duplicated(keys).any():
        raise IndicatorError(f"{spec.id}: duplicate rows for {keys}")
    values = frame["value"].dropna()
    if any(math.isinf(v) or math.isnan(v) for v in values):
        raise IndicatorError(f"{spec.id}: NaN or infinity in values")
    if spec.unit == "percent" and ((values < 0) | (values > 100)).any():
        raise IndicatorError(f"{spec.id}: share outside 0–100")
    missing = frame[frame["value"].isna() & (frame["flag"] == "")]
    if not missing.empty:
        raise IndicatorError(f"{spec.id}: {len(missing)} empty value(s) without a flag saying why")


def store_indicator(conn: duckdb.DuckDBPyConnection, spec: IndicatorSpec, frame: pd.DataFrame) -> None:
    """Replace ``indicators.<id>``; the id is allowlisted by the registry (MVK\\d\\d), never file input."""
    conn.execute("create schema if not exists indicators")
    conn.register("indicator_result", frame)
    conn.execute(f'create or replace table indicators."{spec.id}" as select * from indicator_result')
    conn.unregister("indicator_result")


def headline(frame: pd.DataFrame, spec: IndicatorSpec) -> pd.DataFrame:
    """The headline series: the rows whose every breakdown is at its total (sex T, region 00, …)."""
    mask = pd.Series(True, index=frame.index)
    for column in spec.breakdowns:
        mask &= frame[column] == TOTAL_CODES[column]
    return frame[mask].sort_values("year")
