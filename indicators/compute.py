"""Run an indicator's SQL on the warehouse and shape the result to the output contract.

The SQL returns ``year, <breakdowns>, value, flag, illustrative, reliability, source_url, provenance``
(flags and reliability already combined by the one rule of ``sql/flags.sql``) and, for survey shares,
optionally ``se`` (standard error, in the value's unit) or ``n`` (sample size). This module adds the id
and unit, 95 % confidence intervals where the source allows them, the series-break flag the spec
declares, rolling means for small counts (computed in DuckDB), and refuses results that could not be
published (duplicate keys, NaN or infinity, shares outside 0–100, gaps without a flag).
"""

from __future__ import annotations

import math
import os
from dataclasses import replace

import duckdb
import pandas as pd

from indicators.disclosure import (
    Hidden,
    SuppressionRule,
    hidden_flag,
    inherit_suppression,
    key_text,
    pointers,
    recoverable_cells,
    suppress,
)
from indicators.flags import add_letter, load_flag_macros
from indicators.registry import TOTAL_CODES, IndicatorSpec, load_catalogue
from indicators.sources import STANDARD_DIMENSIONS, load_sources

Z_95 = 1.959964
OPTIONAL_COLUMNS = ("se", "n")
ROLLING_SQL = """
select *, count(value) over w as points, avg(value) over w as rolling_value,
       bool_or(illustrative) over w as rolling_illustrative,
       string_agg(provenance, '; ') over w as rolling_provenance,
       mvk_flag(avg(value) over w, list(flag) over w, 'x') as rolling_flag,
       mvk_reliability(list(reliability) over w) as rolling_reliability,
       mvk_urls(list(source_url) over w) as rolling_source_url,
       count(*) over w as window_years, bool_or(contains(flag, 'c')) over w as window_hidden
from indicator_result
window w as (partition by {partition} order by year range between $span preceding and current row)
"""


class IndicatorError(ValueError):
    """An indicator result that breaks a publishing rule."""


def compute_indicator(conn: duckdb.DuckDBPyConnection, spec: IndicatorSpec) -> pd.DataFrame:
    return compute_with_log(conn, spec)[0]


def needs_disclosure_control(spec: IndicatorSpec) -> bool:
    """Indicators built on an input no statistics producer has published (agency submissions, custom
    orders, microdata): their counts are suppressed, and every value derived from a hidden count (a
    share, a rate, a rolling mean) inherits the suppression, whatever the indicator's unit."""
    return bool(non_public_sources(spec))


def non_public_sources(spec: IndicatorSpec) -> tuple[str, ...]:
    sources = load_sources()
    return tuple(s for s in spec.sources if not sources[s].public)


def compute_with_log(conn: duckdb.DuckDBPyConnection, spec: IndicatorSpec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The indicator table and its suppression log (empty unless disclosure control applies)."""
    load_flag_macros(conn)
    frame = conn.execute(spec.sql).df()
    required = {"year", *spec.breakdowns, "value", "flag", "illustrative", "reliability", "source_url",
                "provenance"}
    extra = set(frame.columns) - required - set(OPTIONAL_COLUMNS)
    if not required <= set(frame.columns) or extra:
        raise IndicatorError(f"{spec.id}: SQL returned columns {sorted(frame.columns)}, expected {sorted(required)}"
                             f" plus optionally {list(OPTIONAL_COLUMNS)}")
    frame = frame.astype({"year": "int64", "value": "float64"})
    frame["flag"] = frame["flag"].fillna("").astype("str")
    frame["illustrative"] = frame["illustrative"].fillna(False).astype("bool")
    frame["provenance"] = frame["provenance"].fillna("").astype("str")
    frame["reliability"] = frame["reliability"].fillna("").astype("str")
    frame["source_url"] = frame["source_url"].fillna("").astype("str")
    frame = add_confidence_intervals(frame, spec)
    # The catalogue's own breaks (beside the sources', applied in staging): b in the break year only.
    for brk in spec.series_breaks:
        mask = frame["year"] == int(brk["year"])
        frame.loc[mask, "flag"] = [add_letter(f, "b", has_value=pd.notna(v))
                                   for f, v in zip(frame.loc[mask, "flag"], frame.loc[mask, "value"], strict=True)]
    log = pd.DataFrame()
    hidden: dict[str, Hidden] = {}
    if needs_disclosure_control(spec):
        # Before rolling means, so that a mean over a window with a hidden year is hidden too.
        hidden = disclosure_pattern(conn, spec)
        result = inherit_suppression(frame, hidden, key_columns=["year", *spec.breakdowns],
                                     cleared_columns=("ci_low", "ci_high"))
        frame, log = result.frame, result.log
        _refuse_recoverable(frame, spec, hidden)
    if spec.rolling_mean_years:
        frame = add_rolling_means(conn, frame, spec)
        if hidden:
            log = log.assign(statistic="annual")
            rolling = frame["statistic"] != "annual"
            result = inherit_suppression(frame[rolling], hidden, key_columns=["year", *spec.output_breakdowns])
            frame = pd.concat([frame[~rolling], result.frame], ignore_index=True)
            log = pd.concat([log, result.log], ignore_index=True)
    if not log.empty:
        log = log.assign(indicator_id=spec.id, rule=suppression_rule().describe())
    frame.insert(0, "indicator_id", spec.id)
    frame["unit"] = spec.unit
    columns = ["indicator_id", "year", *spec.output_breakdowns, "value", "unit", "flag", "ci_low", "ci_high",
               "illustrative", "reliability", "source_url", "provenance"]
    ordered = frame[columns].sort_values(["year", *spec.output_breakdowns], kind="stable").reset_index(drop=True)
    return ordered, log


def disclosure_tables(spec: IndicatorSpec) -> tuple[IndicatorSpec, ...]:
    """The count indicators whose suppression pattern ``spec`` shares: those of the catalogue built on
    one of its non-public sources (and ``spec`` itself when it is one). Their SQL runs when the
    pattern is computed, so an indicator asset depends on their inputs and code as well as its own."""
    private = set(non_public_sources(spec))
    if not private:
        return ()
    tables = {**load_catalogue(), spec.id: spec}.values()
    return tuple(other for other in tables
                 if not other.is_development and other.unit == "count" and private & set(other.sources))


def staging_tables_read(spec: IndicatorSpec) -> tuple[str, ...]:
    """The staging tables ``spec``'s computation reads: those of its sources and, for disclosure control,
    of the sources of every count table that shares its suppression pattern (``disclosure_tables``)."""
    sources = load_sources()
    linked = [s for other in disclosure_tables(spec) for s in other.sources]
    return tuple(sorted({sources[s].staging_table for s in (*spec.sources, *linked)}))


def _refuse_recoverable(frame: pd.DataFrame, spec: IndicatorSpec, hidden: dict[str, Hidden]) -> None:
    """Fail closed: a count table in which a cell hidden here can still be computed from the published
    cells and the spec's relations is not published (cells the log already warns about, and a
    producer's own [c], excepted)."""
    if spec.unit != "count" or not spec.additive:
        return
    keys = ["year", *spec.breakdowns]
    found = recoverable_cells(frame, key_columns=keys, totals={b: TOTAL_CODES[b] for b in spec.additive},
                              flag_column="flag")
    provenance = dict(zip(frame[keys].itertuples(index=False, name=None), frame["provenance"], strict=True))
    ours = {key: [hidden[p] for p in pointers(provenance[key]) if p in hidden] for key in found}
    exposed = [key for key, entries in ours.items() if entries and not any(h.warning for h in entries)]
    if exposed:
        cells = "; ".join(key_text(keys, key) for key in exposed[:3])
        raise IndicatorError(f"{spec.id}: hidden cells can be computed from the published ones ({cells})")


def _pointer_origins(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Snapshot prefix (as written in ``provenance``) → source id, for every loaded observation."""
    rows = conn.execute("select distinct left(snapshot_sha256, 12), source_id from raw.observations").fetchall()
    return dict(rows)


def _source_cube(conn: duckdb.DuckDBPyConnection, source_id: str) -> pd.DataFrame:
    """Every cell of one source as loaded, keyed by year, every warehouse dimension and the measure."""
    dims = ", ".join(STANDARD_DIMENSIONS)   # fixed names from the warehouse schema, never file input
    return conn.execute(
        f"select year, {dims}, measure, value, flag, left(snapshot_sha256, 12) || ':' || location as provenance "
        "from raw.observations where source_id = ? order by all", [source_id]).df()


def disclosure_pattern(conn: duckdb.DuckDBPyConnection, spec: IndicatorSpec) -> dict[str, Hidden]:
    """The input cells to hide (by provenance pointer) for every indicator built on the spec's
    non-public sources, and why: one pattern per input, the same in every published table.

    1. Each non-public source's own table (all its cells, with the source's ``additive`` relations) is
       protected: its small counts are hidden, with the secondary cells that keep them hidden. This
       covers inputs that are only published through shares or rates.
    2. Every count indicator of the catalogue built on such a source (and ``spec`` itself) is protected
       with its own relations (``additive``), the cells hidden so far hidden with it, and the cells
       that public sources give (a producer's national figures) known to the reader. Cells a table hides
       are hidden in all the others, and the tables are protected again until none hides a new cell.

    The pattern grows at every step, so the loop ends; the result is a pure function of the warehouse
    and the catalogue, so every indicator asset computes the same pattern without depending on another.
    """
    rule = suppression_rule()
    sources = load_sources()
    private = set(non_public_sources(spec))
    origins = _pointer_origins(conn)
    hidden: dict[str, Hidden] = {}

    def is_private(pointer: str) -> bool:
        return origins.get(pointer.split(":", 1)[0]) in private

    def is_public(pointer: str) -> bool:   # a producer's published figure: known to every reader
        origin = origins.get(pointer.split(":", 1)[0])
        return origin in sources and sources[origin].public

    for source_id in sorted(private):
        cube = _source_cube(conn, source_id)
        if cube.empty:
            continue
        # The dimensions the file itself varies (the others are constants of the source's layout).
        keys = ["year", *[d for d in STANDARD_DIMENSIONS if (r := sources[source_id].rule(d)) and r.const is None]]
        result = suppress(cube, key_columns=keys, totals=dict(sources[source_id].additive), rule=rule)
        by_key = dict(zip(cube[keys].itertuples(index=False, name=None), cube["provenance"], strict=True))
        for record in result.log.to_dict("records"):
            key = tuple(record[k] for k in keys)
            pointer = by_key[key]
            if pointer not in hidden:
                hidden[pointer] = Hidden(record["kind"], record["reason"], record["protects"],
                                         cell=key_text(keys, key))
            elif record["kind"] == "unprotectable":
                hidden[pointer] = replace(hidden[pointer], warning=record["reason"])

    tables = []
    for other in disclosure_tables(spec):
        load_flag_macros(conn)
        frame = conn.execute(other.sql).df()
        frame = frame[["year", *other.breakdowns, "value", "flag", "provenance"]].astype({"value": "float64"})
        frame["flag"] = frame["flag"].fillna("").astype("str")
        frame["provenance"] = frame["provenance"].fillna("").astype("str")
        frame["published"] = [bool(pointers(p)) and all(is_public(q) for q in pointers(p)) for p in frame["provenance"]]
        tables.append((other, frame.reset_index(drop=True)))

    changed = True
    while changed:
        changed = False
        for other, frame in tables:
            keys = ["year", *other.breakdowns]
            frame["hidden"] = [any(p in hidden for p in pointers(x)) for x in frame["provenance"]]
            result = suppress(frame, key_columns=keys, totals={b: TOTAL_CODES[b] for b in other.additive},
                              rule=rule, published_column="published", hidden_column="hidden")
            by_key = dict(zip(frame[keys].itertuples(index=False, name=None), frame["provenance"], strict=True))
            for record in result.log.to_dict("records"):
                key = tuple(record[k] for k in keys)
                for pointer in pointers(by_key[key]):
                    if not is_private(pointer):
                        continue
                    if pointer not in hidden:
                        hidden[pointer] = Hidden(record["kind"], record["reason"], record["protects"],
                                                 cell=key_text(keys, key))
                        changed = True
                    elif record["kind"] == "unprotectable" and not hidden[pointer].warning:
                        # Hidden, but the published figures give it away: warn in every table that shows it.
                        hidden[pointer] = replace(hidden[pointer], warning=record["reason"])
    return hidden


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
            small = (n < spec.min_base) & out["value"].notna()
            out.loc[small, "flag"] = [add_letter(f, "u", has_value=True) for f in out.loc[small, "flag"]]
    out["ci_low"] = (out["value"] - Z_95 * se).clip(lower=0 if spec.unit == "percent" else None)
    out["ci_high"] = out["value"] + Z_95 * se
    if spec.unit == "percent":
        out["ci_high"] = out["ci_high"].clip(upper=100)
    return out.drop(columns=[c for c in OPTIONAL_COLUMNS if c in out])


def add_rolling_means(conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame, spec: IndicatorSpec) -> pd.DataFrame:
    """Rows with ``statistic = rolling_{k}y`` beside the yearly ones (``annual``), flagged e (estimated)
    plus the letters of the window's years by the one flag rule (a mean over a revised year is ``re``),
    with the weakest reliability and every source URL of the window.

    A mean is published only where all k years have a value, so a gap never hides inside an average.
    A window whose years are all there but one of them is hidden (flag c) gets a hidden mean ([c]):
    mean × k minus the published years would give the hidden year back.
    """
    k = spec.rolling_mean_years
    annual = frame.assign(statistic="annual")
    partition = ", ".join(f'"{b}"' for b in spec.breakdowns) or "1"   # breakdown names: registry allowlist
    conn.register("indicator_result", annual)
    try:
        windowed = conn.execute(ROLLING_SQL.format(partition=partition), {"span": k - 1}).df()
    finally:
        conn.unregister("indicator_result")
    hidden = (windowed["window_years"] == k) & windowed["window_hidden"].fillna(False).astype(bool)
    rolling = windowed[((windowed["points"] == k) & ~hidden) | hidden].copy()
    rolling["value"] = rolling["rolling_value"].where(~hidden[rolling.index])
    rolling["illustrative"] = rolling["rolling_illustrative"].astype("bool")
    rolling["provenance"] = rolling["rolling_provenance"]
    rolling["flag"] = [hidden_flag(f) if h else add_letter(f, "e", has_value=True)
                       for f, h in zip(rolling["rolling_flag"], hidden[rolling.index], strict=True)]
    rolling["reliability"] = rolling["rolling_reliability"]
    rolling["source_url"] = rolling["rolling_source_url"]
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
    protects varchar not null, rule varchar not null default '')
"""


def store_suppression_log(conn: duckdb.DuckDBPyConnection, spec: IndicatorSpec, log: pd.DataFrame) -> None:
    """Replace the indicator's entries in ``indicators.suppression_log``: which cell, and why (never a value)."""
    conn.execute("create schema if not exists indicators")
    conn.execute(SUPPRESSION_LOG_DDL)
    conn.execute("alter table indicators.suppression_log add column if not exists rule varchar default ''")
    conn.execute("delete from indicators.suppression_log where indicator_id = ?", [spec.id])
    if log.empty:
        return
    keys = [k for k in ("year", *spec.output_breakdowns) if k in log.columns]
    rows = pd.DataFrame({
        "indicator_id": spec.id,
        "cell": ["; ".join(f"{k}={r[k]}" for k in keys if pd.notna(r[k])) for r in log.to_dict("records")],
        "kind": log["kind"].astype(str), "reason": log["reason"].astype(str),
        "protects": log["protects"].fillna("").astype(str),
        "rule": log["rule"].fillna("").astype(str) if "rule" in log.columns else "",
    })
    conn.register("suppression_rows", rows)
    conn.execute("insert into indicators.suppression_log by name select * from suppression_rows")
    conn.unregister("suppression_rows")


def series_at(frame: pd.DataFrame, codes: dict[str, str]) -> pd.DataFrame:
    """The rows of one series, each breakdown at its code, in year order."""
    mask = pd.Series(True, index=frame.index)
    for column, code in codes.items():
        mask &= frame[column] == code
    return frame[mask].sort_values("year")


def main_series(frame: pd.DataFrame, spec: IndicatorSpec) -> pd.DataFrame:
    """The series a reader looks at first (the totals unless the spec names another, e.g. women
    assaulted by a partner in MVK10): ``spec.main_codes``."""
    return series_at(frame, spec.main_codes)
