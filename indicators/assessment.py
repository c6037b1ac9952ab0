"""Progress assessment: has an indicator moved in the desired direction since the baseline year?

Pure functions on an indicator frame (no Dagster, no database, no words). ``assess_series`` returns
FACTS only: the class, the rule that decided it, the period compared and its end values, the rate,
which years the verdict rests on and which of them are illustrative, and the series breaks. The
sentences are made from these facts in ``reports/sentences.py`` (PRACTICE §7: facts first, words
later). The rule is stated in full, in Swedish and English, in ``docs/assessment.md``; it is applied
to each series (one breakdown combination) in this order, and the first step that decides gives the
class and the ``rule`` key:

1. Direction. ``down*`` (reported-crime counts: a rise may mean more reporting or different
   registration, BRIEF §6.3) → ``not_assessed`` / ``down_star``. ``contextual`` (no desired
   direction) → ``not_assessed`` / ``contextual``.
2. Comparable period. Break years come from the indicator spec, from the specs of its sources
   (``series_breaks``) and from rows flagged ``b`` (the first year of each run of flagged years); a
   break year *y* means that values from *y* on are not comparable with values before it. The years
   from the baseline on are cut at every break after the baseline into comparable segments. The first
   segment starts at ``spec.baseline_year`` or, if that year has no value, at the first year with a
   value within ``BASELINE_FALLBACK_YEARS`` (2) years after it; every later segment starts at its break.
   The MOST RECENT segment holding at least ``MIN_POINTS`` (3) values is assessed, and only it: no
   change is ever computed across a break. No such segment: ``break_in_series`` / ``break`` when there
   is a break, else ``insufficient_data`` / ``no_baseline`` (no baseline value) or ``too_few_points``.
3. Change within the period. The annual rate of change from its first to its last value, signed so
   that positive means the desired direction, against a symmetric threshold of ``ANNUAL_THRESHOLD``
   (1 % a year): more than +1 % → ``improving``, more than −1 % the other way → ``deteriorating``,
   else ``no_clear_change``. The rate is
   - the compound annual growth rate (CAGR, the Open SDG / Statistics Canada measure)
     ``(end / start) ** (1 / years) − 1`` (rule ``cagr``);
   - for small counts (unit ``count`` with both end values below ``SMALL_COUNT_LIMIT``, 50), the CAGR
     between the mean of the first three years of the period and the mean of its last three, over the
     years between the windows' middles, when all six years have values and the windows do not
     overlap (rule ``rolling_mean``); otherwise single years;
   - when the starting value is 0 (CAGR undefined), the change relative to the mean of the period,
     per year: ``(end − start) / mean / years`` (rule ``zero_baseline``; under ``rolling_mean`` the key
     stays ``rolling_mean`` and ``notes`` holds ``zero_baseline``).
   Before the threshold, where both end values carry a 95 % confidence interval (``ci_low``,
   ``ci_high``) and the two intervals overlap → ``no_clear_change`` / ``ci_overlap``: the change may be
   sampling error, which is what Open SDG's method ignores (ANCHORS §3 item 6).

Why these thresholds: Open SDG's no-target method calls ≥ 1.5 %/year "substantial" and 0.5–1.5 %
"moderate" progress, but every decline, however small, "deterioration". A symmetric ±1 %/year band
(the middle of the moderate band) keeps drift and noise in either direction out of both verdicts;
over 2016–2023 it means a relative change of about 7 % (8.0 % → 7.5 %). 50 is where Poisson noise
falls to about ±14 % (one standard deviation) for a single year; at the 15–25 lethal partner cases a
year it is ±20–25 %, which is why Brå warns against reading single-year changes, and a three-year
mean cuts that noise by √3.

Nothing generated hides (BRIEF §12): ``used_years`` are the years whose values the verdict or its
sentence uses (the two end years, every year of both windows under ``rolling_mean``, the latest
year when a break stops the assessment); ``illustrative`` is true when any of them is illustrative,
and pages, downloads and the workbook mark the verdict accordingly.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.formatting import rounded
from indicators.i18n import t
from indicators.registry import TOTAL_CODES, IndicatorSpec
from indicators.sources import load_sources

PROGRESS_CLASSES = ("improving", "deteriorating", "no_clear_change", "insufficient_data", "break_in_series",
                    "not_assessed")
ANNUAL_THRESHOLD = 0.01          # ±1 % a year: beyond it in the desired direction = improving
SMALL_COUNT_LIMIT = 50           # counts below this at both ends are compared as 3-year means
ROLLING_YEARS = 3
MIN_POINTS = 3                   # values needed in the period assessed
BASELINE_FALLBACK_YEARS = 2      # a missing baseline year may be replaced by one of the next two years
MAX_EXTRA_DECIMALS = 2           # a verdict of change is shown with up to two more decimals than the spec's
DIRECTION_SIGN = {"up": 1, "down": -1}
STATISTIC = "statistic"          # the engine's column for rolling means beside yearly values
ANNUAL = "annual"


@dataclass(frozen=True)
class Assessment:
    """The facts of one series' assessment; ``reports/sentences.py`` turns them into words.

    ``baseline_*`` is the first year of the period compared (None when nothing was compared),
    ``latest_*`` the latest year with a value in the whole series, ``previous_*`` the year before it.
    ``period`` is (first, last) year compared; ``start_value``/``end_value`` are what was compared
    (three-year means under ``rolling_mean``) over ``start_years``/``end_years``. ``display_decimals``
    is the precision at which the two compared values differ visibly for a verdict of change (the
    spec's, one more for means, up to two more when needed), and ``visible_change`` is "rose", "fell"
    or "none" at that precision.
    """
    indicator_id: str
    breakdown: dict[str, str]
    progress: str
    rule: str
    baseline_year: int | None
    baseline_value: float | None
    previous_year: int | None
    previous_value: float | None
    latest_year: int | None
    latest_value: float | None
    change_since_baseline: float | None
    change_since_previous: float | None
    annual_growth: float | None
    requested_baseline_year: int = 0
    period: tuple[int, int] | None = None
    start_value: float | None = None
    end_value: float | None = None
    start_years: tuple[int, ...] = ()
    end_years: tuple[int, ...] = ()
    n_points: int = 0
    breaks: tuple[int, ...] = ()                 # break years after the requested baseline, up to the latest year
    starts_at_break: int | None = None           # the period begins at this break
    ends_before_break: int | None = None         # the period stops the year before this break
    notes: tuple[str, ...] = ()                  # baseline_fallback, zero_baseline, ci_overlap
    display_decimals: int = 0
    visible_change: str = "none"
    used_years: tuple[int, ...] = ()
    illustrative_years: tuple[int, ...] = ()
    published_years: tuple[int, ...] = ()        # years in the period (from the baseline on) with published values
    illustrative: bool = False

    @property
    def published_used_years(self) -> tuple[int, ...]:
        return tuple(y for y in self.used_years if y not in self.illustrative_years)


def progress_label(progress: str, lang: str) -> str:
    """The class as pages show it: "förbättring" / "improving" etc."""
    if progress not in PROGRESS_CLASSES:
        raise ValueError(f"unknown progress class {progress!r}; expected one of {PROGRESS_CLASSES}")
    return t(f"assessment.progress.{progress}", lang)


# ------------------------------------------------------------------------------------- selecting a series
def _select(frame: pd.DataFrame, spec: IndicatorSpec, breakdown: dict[str, str] | None
            ) -> tuple[pd.DataFrame, dict[str, str]]:
    """The rows of one series, and the breakdown they belong to.

    With ``breakdown`` given, rows are filtered on it. Without, a breakdown column holding one code
    keeps it, and one holding several is narrowed to its total (the headline).
    """
    rows = frame
    if STATISTIC in rows.columns:
        rows = rows[rows[STATISTIC].astype(str) == ANNUAL]
    if breakdown is None:
        breakdown = {}
        for column in spec.breakdowns:
            if column not in rows.columns:
                continue
            codes = rows[column].astype(str).unique().tolist()
            breakdown[column] = codes[0] if len(codes) == 1 else TOTAL_CODES[column]
    breakdown = {str(k): str(v) for k, v in breakdown.items()}
    for column, code in breakdown.items():
        if column in rows.columns:
            rows = rows[rows[column].astype(str) == code]
    if rows["year"].duplicated().any():
        raise ValueError(f"{spec.id}: more than one row per year for the series {breakdown}; "
                         f"pass the breakdown to assess")
    return rows, breakdown


def _number(value: object) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


def declared_breaks(spec: IndicatorSpec) -> set[int]:
    """Break years declared for the indicator: in its spec and in the specs of every source it reads."""
    years = {int(b["year"]) for b in spec.series_breaks}
    sources = load_sources()
    for source_id in spec.sources:
        if source_id in sources:
            years |= {int(b["year"]) for b in sources[source_id].series_breaks}
    return years


def _flagged_breaks(flags: dict[int, str]) -> set[int]:
    """Years flagged ``b`` that start a run: a producer may flag every year after a break, not only the first."""
    flagged = {y for y, f in flags.items() if "b" in f}
    return {y for y in flagged if y - 1 not in flagged}


# -------------------------------------------------------------------------------------------- the rule
def _annual_change(start: float, end: float, years: int, series_mean: float) -> tuple[float, bool]:
    """(rate a year, measured against the mean?): CAGR, or the change relative to the mean from 0."""
    if start > 0 and end >= 0:
        return (end / start) ** (1 / years) - 1, False
    if series_mean == 0:
        return 0.0, True
    return (end - start) / abs(series_mean) / years, True


def _classify(rate: float, direction: str) -> str:
    signed = DIRECTION_SIGN[direction] * rate
    if signed > ANNUAL_THRESHOLD:
        return "improving"
    if signed < -ANNUAL_THRESHOLD:
        return "deteriorating"
    return "no_clear_change"


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _visible(start: float, end: float, decimals: int) -> str:
    shown_start, shown_end = rounded(start, decimals), rounded(end, decimals)
    return "rose" if shown_end > shown_start else "fell" if shown_end < shown_start else "none"


def _segments(years: list[int], spec: IndicatorSpec, breaks: list[int]) -> list[tuple[int, int, int | None]]:
    """Comparable segments as (first year with a value, last year with a value, break it starts at)."""
    bounds = [spec.baseline_year, *breaks]
    out = []
    for i, begin in enumerate(bounds):
        stop = bounds[i + 1] if i + 1 < len(bounds) else None
        inside = [y for y in years if y >= begin and (stop is None or y < stop)]
        if i == 0:
            fallback = begin + BASELINE_FALLBACK_YEARS
            if not inside or inside[0] > fallback:
                continue
        if inside:
            out.append((inside[0], inside[-1], None if i == 0 else begin))
    return out


def assess_series(frame: pd.DataFrame, spec: IndicatorSpec, breakdown: dict[str, str] | None = None,
                  break_years: set[int] | None = None) -> Assessment:
    """Assess one series (``year, value, flag, illustrative`` and optionally ``ci_low, ci_high``).

    ``break_years`` defaults to ``declared_breaks(spec)``; rows flagged ``b`` are added to it.
    """
    rows, breakdown = _select(frame, spec, breakdown)
    values: dict[int, float] = {}
    intervals: dict[int, tuple[float, float]] = {}
    illustrative: set[int] = set()
    flags: dict[int, str] = {}
    for _, row in rows.iterrows():
        year = int(row["year"])
        flags[year] = str(row.get("flag") or "")
        value = _number(row["value"])
        if value is None:
            continue
        values[year] = value
        if bool(row.get("illustrative", False)):
            illustrative.add(year)
        low, high = _number(row.get("ci_low")), _number(row.get("ci_high"))
        if low is not None and high is not None:
            intervals[year] = (low, high)
    known_breaks = (declared_breaks(spec) if break_years is None else set(break_years)) | _flagged_breaks(flags)

    years = sorted(values)
    latest = years[-1] if years else None
    previous = years[-2] if len(years) > 1 else None
    breaks = sorted(y for y in known_breaks if latest is not None and spec.baseline_year < y <= latest)

    def crosses(a: int | None, b: int | None) -> bool:
        return a is not None and b is not None and any(a < y <= b for y in known_breaks)

    base = {
        "indicator_id": spec.id, "breakdown": breakdown, "requested_baseline_year": spec.baseline_year,
        "previous_year": previous, "previous_value": values.get(previous),
        "latest_year": latest, "latest_value": values.get(latest), "breaks": tuple(breaks),
        "change_since_previous": None if previous is None or crosses(previous, latest)
        else values[latest] - values[previous],
    }

    def published_in(first: int, last: int) -> tuple[int, ...]:
        return tuple(y for y in years if first <= y <= last and y not in illustrative)

    def result(progress: str, rule: str, **facts) -> Assessment:
        used = tuple(sorted(facts.pop("used", ())))
        facts.setdefault("baseline_year", None)
        facts.setdefault("baseline_value", None)
        facts.setdefault("change_since_baseline", None)
        facts.setdefault("annual_growth", None)
        ill = tuple(y for y in used if y in illustrative)
        return Assessment(progress=progress, rule=rule, used_years=used, illustrative_years=ill,
                          illustrative=bool(ill), **base, **facts)

    if spec.direction in ("down*", "contextual"):
        first = next((y for y in years if y >= spec.baseline_year), None)
        change = None if first is None or first == latest or crosses(first, latest) else values[latest] - values[first]
        return result("not_assessed", "down_star" if spec.direction == "down*" else "contextual",
                      baseline_year=first, baseline_value=values.get(first), change_since_baseline=change)

    candidates = [s for s in _segments(years, spec, breaks)
                  if len([y for y in years if s[0] <= y <= s[1]]) >= MIN_POINTS]
    if not candidates:
        if breaks:
            return result("break_in_series", "break", used=(latest,))
        segments = _segments(years, spec, [])
        if not segments:
            return result("insufficient_data", "no_baseline")
        first = segments[0][0]
        return result("insufficient_data", "too_few_points", baseline_year=first, baseline_value=values[first],
                      n_points=len([y for y in years if y >= first]))

    first, last, starts_at = candidates[-1]
    points = [y for y in years if first <= y <= last]
    later = [b for b in breaks if b > last]
    notes: list[str] = []
    if starts_at is None and first != spec.baseline_year:
        notes.append("baseline_fallback")
    series_mean = sum(values[y] for y in points) / len(points)
    period_facts = {"baseline_year": first, "baseline_value": values[first], "period": (first, last),
                    "n_points": len(points), "starts_at_break": starts_at,
                    "ends_before_break": later[0] if later else None,
                    "change_since_baseline": values[last] - values[first] if last == latest else None,
                    "published_years": published_in(first, last)}

    windows = None
    # a count, not a ratio built on one (MVK15 publishes both as measures of one indicator)
    count = spec.unit == "count" and breakdown.get("measure", TOTAL_CODES["measure"]) == TOTAL_CODES["measure"]
    small = count and values[first] < SMALL_COUNT_LIMIT and values[last] < SMALL_COUNT_LIMIT
    if small and last - (ROLLING_YEARS - 1) > first + (ROLLING_YEARS - 1):
        head = [first + i for i in range(ROLLING_YEARS)]
        tail = [last - ROLLING_YEARS + 1 + i for i in range(ROLLING_YEARS)]
        if all(y in values for y in head + tail):
            windows = (head, tail)

    if windows:
        head, tail = windows
        start = sum(values[y] for y in head) / ROLLING_YEARS
        end = sum(values[y] for y in tail) / ROLLING_YEARS
        growth, from_mean = _annual_change(start, end, tail[1] - head[1], series_mean)
        rule, progress = "rolling_mean", _classify(growth, spec.direction)
        if from_mean:
            notes.append("zero_baseline")
        decimals = _decimals(start, end, max(spec.decimals, 1), progress)
        return result(progress, rule, **period_facts, annual_growth=growth, start_value=start, end_value=end,
                      start_years=tuple(head), end_years=tuple(tail), notes=tuple(notes), used=head + tail,
                      display_decimals=decimals, visible_change=_visible(start, end, decimals))

    start, end = values[first], values[last]
    growth, from_mean = _annual_change(start, end, last - first, series_mean)
    rule, progress = ("zero_baseline" if from_mean else "cagr"), _classify(growth, spec.direction)
    if from_mean:
        notes.append("zero_baseline")
    if first in intervals and last in intervals and _overlap(intervals[first], intervals[last]):
        rule, progress = "ci_overlap", "no_clear_change"
        notes.append("ci_overlap")
    decimals = _decimals(start, end, spec.decimals, progress)
    return result(progress, rule, **period_facts, annual_growth=growth, start_value=start, end_value=end,
                  start_years=(first,), end_years=(last,), notes=tuple(notes), used=(first, last),
                  display_decimals=decimals, visible_change=_visible(start, end, decimals))


def _decimals(start: float, end: float, decimals: int, progress: str) -> int:
    """The spec's precision; for a verdict of change, more decimals until the two values differ visibly."""
    if progress in ("improving", "deteriorating"):
        for extra in range(MAX_EXTRA_DECIMALS + 1):
            if _visible(start, end, decimals + extra) != "none":
                return decimals + extra
    return decimals


def assess_indicator(frame: pd.DataFrame, spec: IndicatorSpec) -> list[Assessment]:
    """One assessment per breakdown combination present, the headline (all totals) first."""
    rows = frame
    if STATISTIC in rows.columns:
        rows = rows[rows[STATISTIC].astype(str) == ANNUAL]
    columns = [c for c in spec.breakdowns if c in rows.columns]
    headline = tuple(TOTAL_CODES[c] for c in columns)
    combos = {tuple(str(v) for v in r) for r in rows[columns].itertuples(index=False)} if columns else {()}
    if not combos:
        combos = {headline}
    ordered = sorted(combos, key=lambda combo: (combo != headline, combo))
    declared = declared_breaks(spec)
    return [assess_series(rows, spec, dict(zip(columns, combo, strict=True)), declared) for combo in ordered]
