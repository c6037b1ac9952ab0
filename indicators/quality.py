"""Quality checks on computed indicators, as pure functions the Dagster asset checks call.

Blocking checks state rules a published table must never break; warning checks point a person at
something to look at. Each tolerance is stated where it is used, with its reason.
"""

from __future__ import annotations

import math

import pandas as pd

from indicators.compute import series_at
from indicators.flags import MISSING_LETTERS, RELIABILITY_ORDER, letters, unknown_letters
from indicators.registry import TOTAL_CODES, IndicatorSpec
from indicators.sources import region_codes

# Counts add up exactly; half a unit of slack absorbs nothing but float noise.
RECONCILE_TOLERANCE = 0.5


def expected_columns(spec: IndicatorSpec) -> list[str]:
    return ["indicator_id", "year", *spec.output_breakdowns, "value", "unit", "flag", "ci_low", "ci_high",
            "illustrative", "reliability", "source_url", "provenance"]


def blocking_problems(frame: pd.DataFrame, spec: IndicatorSpec) -> list[str]:
    """Rules whose breach must stop publishing: schema, unique keys, finite values, shares 0–100."""
    problems = []
    if list(frame.columns) != expected_columns(spec):
        problems.append(f"columns {list(frame.columns)} != {expected_columns(spec)}")
        return problems
    keys = ["year", *spec.output_breakdowns]
    duplicates = int(frame.duplicated(keys).sum())
    if duplicates:
        problems.append(f"{duplicates} duplicate key(s) over {keys}")
    values = frame["value"].dropna()
    if any(math.isinf(v) for v in values):
        problems.append("infinite value(s)")
    if spec.unit == "percent" and ((values < 0) | (values > 100)).any():
        problems.append("share(s) outside 0–100")
    unexplained = int((frame["value"].isna() & (frame["flag"] == "")).sum())
    if unexplained:
        problems.append(f"{unexplained} missing value(s) without a flag")
    bad_flags = sorted({f for f in frame["flag"] if unknown_letters(f) or f != "".join(letters(f))})
    if bad_flags:
        problems.append(f"flags that are not GSS letters in the order c x z u p r b e: {bad_flags}")
    missing_letter = [f for v, f in zip(frame["value"], frame["flag"], strict=True)
                      if pd.isna(v) and f and not set(letters(f)) & set(MISSING_LETTERS)]
    if missing_letter:
        problems.append(f"{len(missing_letter)} missing value(s) flagged without c, x or z")
    bad_reliability = sorted(set(frame["reliability"]) - set(RELIABILITY_ORDER))
    if bad_reliability:
        problems.append(f"values without a known reliability tag: {bad_reliability}")
    return problems


def year_on_year_jumps(frame: pd.DataFrame, spec: IndicatorSpec) -> list[str]:
    """Relative changes between consecutive years beyond the spec's ``yoy_tolerance``."""
    if spec.yoy_tolerance is None:
        return []
    found = []
    annual = frame[frame["statistic"] == "annual"] if "statistic" in frame else frame
    groups = annual.groupby(list(spec.breakdowns)) if spec.breakdowns else [((), annual)]
    for key, part in groups:
        label = " ".join(str(k) for k in (key if isinstance(key, tuple) else (key,))) or spec.id
        part = part.dropna(subset=["value"]).sort_values("year")
        for (y0, v0), (y1, v1) in zip(part[["year", "value"]].values, part[["year", "value"]].values[1:],
                                      strict=False):
            if y1 == y0 + 1 and v0 and abs(v1 - v0) / abs(v0) > spec.yoy_tolerance:
                found.append(f"{label} {int(y0)}→{int(y1)}: {v0:g} → {v1:g}")
    return found


def coverage_gaps(frame: pd.DataFrame, spec: IndicatorSpec) -> list[str]:
    """Years missing inside the headline series' span."""
    series = series_at(frame, spec.total_codes)
    years = sorted(int(y) for y in series.dropna(subset=["value"])["year"])
    if not years:
        return ["no headline value at all"]
    return [str(y) for y in range(years[0], years[-1] + 1) if y not in years]


def unreconciled_totals(frame: pd.DataFrame, spec: IndicatorSpec) -> list[str]:
    """For counts: women + men = all, and the counties add up to Sweden (before SCB's 2025 noise)."""
    if spec.unit != "count":
        return []
    found = []
    counties = [c for c in region_codes() if c != "00"]
    for dimension, parts in (("sex", ["K", "M"]), ("region", counties)):
        if dimension not in spec.breakdowns:
            continue
        others = ["year", *[b for b in spec.output_breakdowns if b != dimension]]
        data = frame.dropna(subset=["value"])
        totals = data[data[dimension] == TOTAL_CODES[dimension]].set_index(others)["value"]
        sums = data[data[dimension].isin(parts)].groupby(others)["value"].agg(["sum", "count"])
        for key, row in sums.iterrows():
            if row["count"] == len(parts) and key in totals.index and \
                    abs(totals.loc[key] - row["sum"]) > RECONCILE_TOLERANCE:
                found.append(f"{dimension} {key}: parts {row['sum']:g} ≠ total {totals.loc[key]:g}")
    return found
