"""Progress assessment: has an indicator moved in the desired direction since the baseline year?

Pure functions on an indicator frame (no Dagster, no database). The rule is stated in full, in Swedish
and English, in ``docs/assessment.md``; it is applied to each series (one breakdown combination) in
this order, and the first step that decides gives the class and the ``rule`` key:

1. Direction. ``down*`` (reported-crime counts: a rise may mean more reporting or different
   registration, BRIEF §6.3) → ``not_assessed`` / ``down_star``. ``contextual`` (no desired
   direction) → ``not_assessed`` / ``contextual``.
2. Baseline. The value of ``spec.baseline_year``; if that year has no value, the first year with a
   value within ``BASELINE_FALLBACK_YEARS`` (2) years after it, and the summary says so. No such year →
   ``insufficient_data`` / ``no_baseline``. Fewer than ``MIN_POINTS`` (3) values from the baseline
   year to the latest year → ``insufficient_data`` / ``too_few_points``.
3. Series break. A break year (``spec.series_breaks`` or a row flagged ``b``, with or without a value)
   after the baseline year and up to the latest year → ``break_in_series`` / ``break``: the values on
   either side are not comparable, so no change is computed across the break.
4. Change. The annual rate of change from baseline to latest, signed so that positive means the
   desired direction, against a symmetric threshold of ``ANNUAL_THRESHOLD`` (1 % a year):
   more than +1 % → ``improving``, more than −1 % the other way → ``deteriorating``, else
   ``no_clear_change``. The rate is
   - the compound annual growth rate (CAGR, the Open SDG / Statistics Canada measure)
     ``(latest / baseline) ** (1 / years) − 1`` (rule ``cagr``);
   - for small counts (unit ``count`` with both baseline and latest below ``SMALL_COUNT_LIMIT``, 50),
     the CAGR between the mean of the three years from the baseline (b, b+1, b+2) and the mean of the
     three years to the latest (l−2, l−1, l), over the years between the windows' middles, when all six
     years have values and the windows do not overlap (rule ``rolling_mean``); otherwise single years;
   - when the starting value is 0 (CAGR undefined), the change relative to the mean of the series
     from baseline to latest, per year: ``(latest − start) / mean / years`` (rule ``zero_baseline``,
     stated in the summary; under ``rolling_mean`` the key stays ``rolling_mean``).
   Before the threshold, where both the baseline and the latest value carry a 95 % confidence interval
   (``ci_low``, ``ci_high``) and the two intervals overlap → ``no_clear_change`` / ``ci_overlap``:
   the change may be sampling error, which is what Open SDG's method ignores (ANCHORS §3 item 6).

Why these thresholds: Open SDG's no-target method calls ≥ 1.5 %/year "substantial" and 0.5–1.5 %
"moderate" progress, but every decline, however small, "deterioration". A symmetric ±1 %/year band
(the middle of the moderate band) keeps drift and noise in either direction out of both verdicts;
over 2016–2023 it means a relative change of about 7 % (8.0 % → 7.5 %). 50 is where Poisson noise
falls to about ±14 % (one standard deviation) for a single year; at the 15–25 lethal partner cases a
year it is ±20–25 %, which is why Brå warns against reading single-year changes, and a three-year
mean cuts that noise by √3.

``annual_growth`` is the rate that decided (of the 3-year means under ``rolling_mean``, relative to
the mean under ``zero_baseline``); ``baseline_value`` and ``latest_value`` are always single-year
values as published, and ``change_since_*`` is ``None`` across a series break. Each summary is one
sentence per language whose verb follows the change in the displayed (rounded) numbers, not the class.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.formatting import format_value, rounded
from indicators.i18n import LANGUAGES, catalogue, t
from indicators.registry import TOTAL_CODES, IndicatorSpec
from indicators.sources import municipality_codes, police_region_codes, region_codes

PROGRESS_CLASSES = ("improving", "deteriorating", "no_clear_change", "insufficient_data", "break_in_series",
                    "not_assessed")
ANNUAL_THRESHOLD = 0.01          # ±1 % a year: beyond it in the desired direction = improving
SMALL_COUNT_LIMIT = 50           # counts below this at baseline and latest are compared as 3-year means
ROLLING_YEARS = 3
MIN_POINTS = 3                   # values needed from the baseline year on
BASELINE_FALLBACK_YEARS = 2      # a missing baseline year may be replaced by one of the next two years
DIRECTION_SIGN = {"up": 1, "down": -1}
STATISTIC = "statistic"          # the engine's column for rolling means beside yearly values
ANNUAL = "annual"


@dataclass(frozen=True)
class Assessment:
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
    summary: dict[str, str]


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


def assess_series(frame: pd.DataFrame, spec: IndicatorSpec, breakdown: dict[str, str] | None = None,
                  subject: dict[str, str] | None = None) -> Assessment:
    """Assess one series (``year, value, flag`` and optionally ``ci_low, ci_high``) of ``spec``."""
    rows, breakdown = _select(frame, spec, breakdown)
    values: dict[int, float] = {}
    intervals: dict[int, tuple[float, float]] = {}
    break_years = {int(b["year"]) for b in spec.series_breaks}
    for _, row in rows.iterrows():
        year = int(row["year"])
        if "b" in str(row.get("flag") or ""):
            break_years.add(year)
        value = _number(row["value"])
        if value is None:
            continue
        values[year] = value
        low, high = _number(row.get("ci_low")), _number(row.get("ci_high"))
        if low is not None and high is not None:
            intervals[year] = (low, high)

    years = sorted(values)
    latest = years[-1] if years else None
    previous = years[-2] if len(years) > 1 else None
    baseline = next((y for y in range(spec.baseline_year, spec.baseline_year + BASELINE_FALLBACK_YEARS + 1)
                     if y in values), None)

    def breaks(after: int | None, upto: int | None) -> list[int]:
        if after is None or upto is None:
            return []
        return sorted(y for y in break_years if after < y <= upto)

    def change(start: int | None) -> float | None:
        if start is None or latest is None or start == latest or breaks(start, latest):
            return None
        return values[latest] - values[start]

    facts = {
        "indicator_id": spec.id, "breakdown": breakdown,
        "baseline_year": baseline, "baseline_value": values.get(baseline),
        "previous_year": previous, "previous_value": values.get(previous),
        "latest_year": latest, "latest_value": values.get(latest),
        "change_since_baseline": change(baseline), "change_since_previous": change(previous),
    }
    words = _Words(spec, breakdown, subject)

    def result(progress: str, rule: str, summary: dict[str, str], growth: float | None = None) -> Assessment:
        return Assessment(progress=progress, rule=rule, annual_growth=growth, summary=summary, **facts)

    if spec.direction == "down*":
        return result("not_assessed", "down_star", words.each(lambda lang: t("assessment.summary.down_star", lang)))
    if spec.direction == "contextual":
        return result("not_assessed", "contextual", words.each(
            lambda lang: t("assessment.summary.contextual", lang, subject=words.subject(lang))))
    if baseline is None:
        return result("insufficient_data", "no_baseline", words.each(lambda lang: t(
            "assessment.summary.no_baseline", lang, subject=words.subject(lang), baseline_year=spec.baseline_year,
            last_year=spec.baseline_year + BASELINE_FALLBACK_YEARS)))
    points = [y for y in years if y >= baseline]
    if len(points) < MIN_POINTS:
        return result("insufficient_data", "too_few_points", words.each(lambda lang: t(
            "assessment.summary.too_few_points", lang, subject=words.subject(lang), baseline_year=baseline,
            count=t(f"assessment.count.{len(points)}", lang), minimum=MIN_POINTS)))
    assert latest is not None
    found_breaks = breaks(baseline, latest)
    if found_breaks:
        return result("break_in_series", "break", words.each(lambda lang: t(
            "assessment.summary.break", lang, subject=words.subject(lang),
            latest=words.value(values[latest], lang), latest_when=words.when(latest, lang),
            break_years=", ".join(str(y) for y in found_breaks), baseline_year=baseline)))

    series_mean = sum(values[y] for y in points) / len(points)
    notes: list[tuple[str, dict]] = []
    if baseline != spec.baseline_year:
        notes.append(("assessment.note.baseline_fallback", {"baseline_year": spec.baseline_year, "used": baseline}))
    windows = None
    small = spec.unit == "count" and values[baseline] < SMALL_COUNT_LIMIT and values[latest] < SMALL_COUNT_LIMIT
    if small and latest - (ROLLING_YEARS - 1) > baseline + (ROLLING_YEARS - 1):
        first = [baseline + i for i in range(ROLLING_YEARS)]
        last = [latest - ROLLING_YEARS + 1 + i for i in range(ROLLING_YEARS)]
        if all(y in values for y in first + last):
            windows = (first, last)

    if windows:
        first, last = windows
        start = sum(values[y] for y in first) / ROLLING_YEARS
        end = sum(values[y] for y in last) / ROLLING_YEARS
        growth, from_mean = _annual_change(start, end, last[1] - first[1], series_mean)
        rule, progress = "rolling_mean", _classify(growth, spec.direction)
        if from_mean:
            notes.append(("assessment.note.zero_baseline", {}))
        return result(progress, rule, words.change(start, end, notes, periods=(first, last)), growth)

    start, end = values[baseline], values[latest]
    growth, from_mean = _annual_change(start, end, latest - baseline, series_mean)
    rule, progress = ("zero_baseline" if from_mean else "cagr"), _classify(growth, spec.direction)
    if from_mean:
        notes.append(("assessment.note.zero_baseline", {}))
    if baseline in intervals and latest in intervals and _overlap(intervals[baseline], intervals[latest]):
        rule, progress = "ci_overlap", "no_clear_change"
        notes.append(("assessment.note.ci_overlap", {"baseline_year": baseline, "latest_year": latest}))
    return result(progress, rule, words.change(start, end, notes, years=(baseline, latest)), growth)


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
    return [assess_series(rows, spec, dict(zip(columns, combo, strict=True))) for combo in ordered]


# ---------------------------------------------------------------------------------------------- words
class _Words:
    """The sentence parts of one series in either language."""

    def __init__(self, spec: IndicatorSpec, breakdown: dict[str, str], subject: dict[str, str] | None):
        self.spec, self.breakdown, self.given = spec, breakdown, subject

    @staticmethod
    def each(make) -> dict[str, str]:
        return {lang: make(lang) for lang in LANGUAGES}

    def subject(self, lang: str) -> str:
        """The series as the subject of a sentence: "Andelen kvinnor som utsattes för sexualbrott".

        ``subject`` (a group such as women) goes into the indicator's phrase (``assessment.phrase.<id>``),
        or after its name ("… bland kvinnor"). Without it, sex K/M supplies the group, and other
        breakdowns not at their total are added as a place or category.
        """
        messages = catalogue()
        phrase_key, group_key = f"assessment.phrase.{self.spec.id}", f"assessment.phrase_group.{self.spec.id}"
        group = self.given[lang] if self.given else None
        sex = self.breakdown.get("sex")
        if group is None and sex in ("K", "M"):
            group = t(f"assessment.group.sex.{sex}", lang)
        if phrase_key in messages:
            template = messages[phrase_key][lang]
            default = t(group_key, lang) if group_key in messages else ""
            text = template.format(group=group or default)
            if group and "{group}" not in template:
                text = t("assessment.qualifier.group", lang, subject=text, group=group)
        else:
            text = self.spec.name[lang]
            if group:
                text = t("assessment.qualifier.group", lang, subject=text, group=group)
        if self.given:
            return text
        for column, code in self.breakdown.items():
            if column == "sex" or code == TOTAL_CODES.get(column):
                continue
            if column in ("region", "police_region"):
                text = t("assessment.qualifier.place", lang, subject=text, place=_place(column, code, lang))
            else:
                key = f"code.{column}.{code}"
                label = t(key, lang) if key in messages else code
                text = t("assessment.qualifier.category", lang, subject=text, category=label)
        return text

    def value(self, value: float, lang: str, decimals: int | None = None) -> str:
        text = format_value(value, self.spec.unit, self.spec.decimals if decimals is None else decimals, lang)
        if self.spec.unit == "per_100k":
            return t("assessment.value.per_100k", lang, value=text)
        return text

    def when(self, year: int, lang: str) -> str:
        key = "assessment.when_count" if self.spec.unit == "count" else "assessment.when"
        return t(key, lang, year=year)

    def change(self, start: float, end: float, notes: list[tuple[str, dict]], *,
               years: tuple[int, int] | None = None, periods: tuple[list[int], list[int]] | None = None
               ) -> dict[str, str]:
        """One sentence whose verb follows the displayed change: ökade/minskade/låg kvar (rose/fell/unchanged)."""
        decimals = self.spec.decimals if periods is None else max(self.spec.decimals, 1)
        shown_start, shown_end = rounded(start, decimals), rounded(end, decimals)
        verb = "rose" if shown_end > shown_start else "fell" if shown_end < shown_start else "unchanged"

        def sentence(lang: str) -> str:
            note_text = ""
            if notes:
                note_text = t("assessment.notes", lang, notes="; ".join(t(k, lang, **v) for k, v in notes))
            parts = {"subject": self.subject(lang), "baseline": self.value(start, lang, decimals),
                     "latest": self.value(end, lang, decimals), "notes": note_text}
            if periods is not None:
                first, last = periods
                parts |= {"baseline_period": f"{first[0]}–{first[-1]}", "latest_period": f"{last[0]}–{last[-1]}"}
                return t(f"assessment.summary.{verb}_mean", lang, **parts)
            assert years is not None
            parts |= {"baseline_year": years[0], "latest_year": years[1],
                      "baseline_when": self.when(years[0], lang), "latest_when": self.when(years[1], lang)}
            return t(f"assessment.summary.{verb}", lang, **parts)

        return self.each(sentence)


def _place(column: str, code: str, lang: str) -> str:
    if column == "region":
        names = region_codes().get(code)
        return names[lang] if names else municipality_codes().get(code, code)
    names = police_region_codes().get(code)
    return names[lang] if names else code

