"""Run an indicator's SQL on the warehouse and shape the result to the output contract.

The SQL returns ``year, <breakdowns>, value, flag, illustrative, provenance`` and, for survey shares,
optionally ``se`` (standard error, in the value's unit) or ``n`` (sample size). This module adds the id
and unit, 95 % confidence intervals where the source allows them, the series-break flag the spec
declares, rolling means for small counts (computed in DuckDB), and refuses results that could not be
published (duplicate keys, NaN or infinity, shares outside 0–100, gaps without a flag).
"""

from __future__ import annotations

import math
import os

import duckdb
import pandas as pd

from indicators.disclosure import SuppressionRule, suppress
from indicators.registry import TOTAL_CODES, IndicatorSpec
from indicators.sources import load_sources

Z_95 = 1.959964
OPTIONAL_COLUMNS = ("se", "n")
ROLLING_SQL = """
select *, count(value) over w as points, avg(value) over w as rolling_value,
       bool_or(illustrative) over w as rolling_illustrative,
       string_agg(provenance, '; ') over w as rolling_provenance
from indicator_result
window w as (partition by {partition} order by year range between $span preceding and current row)
"""


class IndicatorError(ValueError):
    """An indicator result that breaks a publishing rule."""


def compute_indicator(conn: duckdb.DuckDBPyConnection, spec: IndicatorSpec) -> pd.DataFrame:
    return compute_with_log(conn, spec)[0]


def needs_disclosure_control(spec: IndicatorSpec) -> bool:
    """Counts built on inputs no statistics producer has published (agency submissions, microdata)."""
    return spec.unit == "count" and any(not load_sources()[s].public for s in spec.sources)


def compute_with_log(conn: duckdb.DuckDBPyConnection, spec: IndicatorSpec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The indicator table and its suppression log (empty unless disclosure control applies)."""
    frame = conn.execute(spec.sql).df()
    required = {"year", *spec.breakdowns, "value", "flag", "illustrative", "provenance"}
    extra = set(frame.columns) - required - set(OPTIONAL_COLUMNS)
    if not required <= set(frame.columns) or extra:
        raise IndicatorError(f"{spec.id}: SQL returned columns {sorted(frame.columns)}, expected {sorted(required)}"
                             f" plus optionally {list(OPTIONAL_COLUMNS)}")
    frame = frame.astype({"year": "int64", "value": "float64"})
    frame["flag"] = frame["flag"].fillna("").astype("str")
    frame["illustrative"] = frame["illustrative"].fillna(False).astype("bool")
    frame["provenance"] = frame["provenance"].fillna("").astype("str")
    frame = add_confidence_intervals(frame, spec)
    for brk in spec.series_breaks:
        mask = (frame["year"] == int(brk["year"])) & (frame["flag"] == "")
        frame.loc[mask, "flag"] = "b"
    log = pd.DataFrame()
    if needs_disclosure_control(spec):
        # Before rolling means: a mean over a window with a suppressed year is never published.
        result = suppress(frame, key_columns=["year", *spec.breakdowns],
                          totals={b: TOTAL_CODES[b] for b in spec.additive}, rule=suppression_rule())
        frame, log = result.frame, result.log.assign(indicator_id=spec.id)
    if spec.rolling_mean_years:
        frame = add_rolling_means(conn, frame, spec)
    frame.insert(0, "indicator_id", spec.id)
    frame["unit"] = spec.unit
    columns = ["indicator_id", "year", *spec.output_breakdowns, "value", "unit", "flag", "ci_low", "ci_high",
               "illustrative", "provenance"]
    ordered = frame[columns].sort_values(["year", *spec.output_breakdowns], kind="stable").reset_index(drop=True)
    return ordered, log


def suppression_rule() -> SuppressionRule:
    """The primary threshold, configurable per deployment: MVK_SUPPRESS_MIN / MVK_SUPPRESS_MAX (default 1–4)."""
    return SuppressionRule(min_count=int(os.environ.get("MVK_SUPPRESS_MIN", "1")),
                           max_count=int(os.environ.get("MVK_SUPPRESS_MAX", "4")))


def add_confidence_intervals(frame: pd.DataFrame, spec: IndicatorSpec) -> pd.DataFrame:
    """95 % intervals from a standard error, or from the sample size for a share (normal approximation).

    With a sample size below the spec's ``min_base`` the value is flagged u (low reliability).
    """
    out = frame.copy()
    se = out["se"].astype("float64") if "se" in out else pd.Series(math.nan, index=out.index)
    if "n" in out and spec.unit == "percent":
        n = out["n"].astype("float64")
        p = out["value"] / 100
        from_n = 100 * ((p * (1 - p)) / n).pow(0.5)
        se = se.fillna(from_n.where(n > 0))
        if spec.min_base:
            small = (n < spec.min_base) & (out["flag"] == "")
            out.loc[small, "flag"] = "u"
    out["ci_low"] = (out["value"] - Z_95 * se).clip(lower=0 if spec.unit == "percent" else None)
    out["ci_high"] = out["value"] + Z_95 * se
    if spec.unit == "percent":
        out["ci_high"] = out["ci_high"].clip(upper=100)
    return out.drop(columns=[c for c in OPTIONAL_COLUMNS if c in out])


def add_rolling_means(conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame, spec: IndicatorSpec) -> pd.DataFrame:
    """Rows with ``statistic = rolling_{k}y`` beside the yearly ones (``annual``), flagged e (estimated).

    A mean is published only where all k years have a value, so a gap never hides inside an average.
    """
    k = spec.rolling_mean_years
    annual = frame.assign(statistic="annual")
    partition = ", ".join(f'"{b}"' for b in spec.breakdowns) or "1"   # breakdown names: registry allowlist
    conn.register("indicator_result", annual)
    try:
        windowed = conn.execute(ROLLING_SQL.format(partition=partition), {"span": k - 1}).df()
    finally:
        conn.unregister("indicator_result")
    rolling = windowed[(windowed["points"] == k) & (windowed["flag"] != "c")].copy()
    rolling["value"] = rolling["rolling_value"]
    rolling["illustrative"] = rolling["rolling_illustrative"].astype("bool")
    rolling["provenance"] = rolling["rolling_provenance"]
    rolling["flag"] = "e"
    rolling["statistic"] = f"rolling_{k}y"
    rolling["ci_low"] = math.nan
    rolling["ci_high"] = math.nan
    return pd.concat([annual, rolling[annual.columns]], ignore_index=True)


def check_publishable(frame: pd.DataFrame, spec: IndicatorSpec) -> None:
    """Raise IndicatorError for the first rule a table breaks (see ``quality.blocking_problems``)."""
    from indicators.quality import blocking_problems  # quality imports this module's neighbours

    problems = blocking_problems(frame, spec)
    if problems:
        raise IndicatorError(f"{spec.id}: " + "; ".join(problems))


def store_indicator(conn: duckdb.DuckDBPyConnection, spec: IndicatorSpec, frame: pd.DataFrame) -> None:
    """Replace ``indicators.<id>``; the id is allowlisted by the registry (MVK\\d\\d), never file input."""
    conn.execute("create schema if not exists indicators")
    conn.register("indicator_result", frame)
    conn.execute(f'create or replace table indicators."{spec.id}" as select * from indicator_result')
    conn.unregister("indicator_result")


SUPPRESSION_LOG_DDL = """
create table if not exists indicators.suppression_log (
    indicator_id varchar not null, cell varchar not null, kind varchar not null, reason varchar not null,
    protects varchar not null)
"""


def store_suppression_log(conn: duckdb.DuckDBPyConnection, spec: IndicatorSpec, log: pd.DataFrame) -> None:
    """Replace the indicator's entries in ``indicators.suppression_log``: which cell, and why (never a value)."""
    conn.execute("create schema if not exists indicators")
    conn.execute(SUPPRESSION_LOG_DDL)
    conn.execute("delete from indicators.suppression_log where indicator_id = ?", [spec.id])
    if log.empty:
        return
    keys = ["year", *spec.breakdowns]
    rows = pd.DataFrame({
        "indicator_id": spec.id,
        "cell": ["; ".join(f"{k}={r[k]}" for k in keys) for r in log.to_dict("records")],
        "kind": log["kind"].astype(str), "reason": log["reason"].astype(str),
        "protects": log["protects"].fillna("").astype(str),
    })
    conn.register("suppression_rows", rows)
    conn.execute("insert into indicators.suppression_log select * from suppression_rows")
    conn.unregister("suppression_rows")


def headline(frame: pd.DataFrame, spec: IndicatorSpec) -> pd.DataFrame:
    """The headline series: the rows whose every breakdown is at its total (sex T, region 00, …)."""
    mask = pd.Series(True, index=frame.index)
    for column in spec.output_breakdowns:
        mask &= frame[column] == TOTAL_CODES[column]
    return frame[mask].sort_values("year")


def main_series(frame: pd.DataFrame, spec: IndicatorSpec) -> pd.DataFrame:
    """The series a reader looks at first (the headline unless the spec names another, e.g. women
    assaulted by a partner in MVK10); yearly values only."""
    mask = pd.Series(True, index=frame.index)
    for column, code in spec.main_codes.items():
        mask &= frame[column] == code
    return frame[mask].sort_values("year")
