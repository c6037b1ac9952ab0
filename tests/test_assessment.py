"""Progress assessment (indicators/assessment.py): the rule on constructed series, as facts.

The words are tested in tests/test_sentences.py; here only the class, the period compared, the
points it rests on and the breaks.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.assessment import (
    ANNUAL_THRESHOLD,
    PROGRESS_CLASSES,
    SMALL_COUNT_LIMIT,
    Assessment,
    assess_indicator,
    assess_series,
    declared_breaks,
    progress_label,
)
from indicators.i18n import catalogue
from indicators.registry import load_catalogue, parse_indicator_spec


def make_spec(*, id: str = "MVK99", direction: str = "down", unit: str = "percent", decimals: int = 1,
              baseline_year: int = 2016, breaks: tuple[int, ...] = (), breakdowns: tuple[str, ...] = (),
              source: str = "scb_persons_found_guilty_gross_violation"):
    breaks_yaml = "[" + ", ".join(f"{{year: {y}}}" for y in breaks) + "]"
    return parse_indicator_spec(f"""
id: {id}
name: {{sv: "Andel utsatta för testbrott", en: "Share exposed to test offences"}}
definition: {{sv: "En påhittad indikator för test.", en: "A made-up indicator for tests."}}
strategy_objectives: [2]
status: indicator
unit: {unit}
decimals: {decimals}
breakdowns: [{", ".join(breakdowns)}]
direction: "{direction}"
baseline_year: {baseline_year}
sources: [{source}]
series_breaks: {breaks_yaml}
""")


def series(values: dict[int, float | None], flags: dict[int, str] | None = None,
           ci: dict[int, tuple[float, float]] | None = None, illustrative: set[int] | frozenset = frozenset(),
           **columns: str) -> pd.DataFrame:
    years = sorted(values)
    frame = pd.DataFrame({
        "year": years,
        "value": [math.nan if values[y] is None else values[y] for y in years],
        "flag": [(flags or {}).get(y, "") for y in years],
        "illustrative": [y in illustrative for y in years],
    })
    if ci is not None:
        frame["ci_low"] = [ci[y][0] if y in ci else math.nan for y in years]
        frame["ci_high"] = [ci[y][1] if y in ci else math.nan for y in years]
    for name, code in columns.items():
        frame[name] = code
    return frame


def yearly(first: int, last: int, start: float, end: float) -> dict[int, float]:
    """A straight line from start to end over the years first..last."""
    step = (end - start) / (last - first)
    return {y: start + step * (y - first) for y in range(first, last + 1)}


# ------------------------------------------------------------------------------------ the classes
def test_improving_when_a_down_indicator_falls():
    a = assess_series(series(yearly(2016, 2023, 10.0, 8.0)), make_spec())
    assert (a.progress, a.rule) == ("improving", "cagr")
    assert a.annual_growth == pytest.approx((8.0 / 10.0) ** (1 / 7) - 1)
    assert (a.baseline_year, a.baseline_value, a.latest_year, a.latest_value) == (2016, 10.0, 2023, 8.0)
    assert (a.period, a.start_value, a.end_value, a.used_years) == ((2016, 2023), 10.0, 8.0, (2016, 2023))
    assert a.previous_year == 2022 and a.previous_value == pytest.approx(8 + 2 / 7)
    assert a.change_since_baseline == pytest.approx(-2.0)
    assert a.change_since_previous == pytest.approx(-2 / 7)
    assert a.breakdown == {} and a.visible_change == "fell" and not a.illustrative


def test_improving_when_an_up_indicator_rises():
    a = assess_series(series(yearly(2016, 2022, 40.0, 55.0)), make_spec(direction="up"))
    assert (a.progress, a.rule, a.visible_change) == ("improving", "cagr", "rose")


def test_deteriorating_when_a_down_indicator_rises():
    a = assess_series(series(yearly(2016, 2023, 5.0, 6.0)), make_spec())
    assert (a.progress, a.rule) == ("deteriorating", "cagr")
    assert a.annual_growth > ANNUAL_THRESHOLD


def test_small_movement_is_no_clear_change():
    a = assess_series(series({2016: 10.0, 2018: 9.9, 2020: 10.1, 2023: 9.8}), make_spec())
    assert (a.progress, a.rule) == ("no_clear_change", "cagr")
    assert abs(a.annual_growth) < ANNUAL_THRESHOLD


def test_threshold_is_one_per_cent_a_year_in_either_direction():
    # 1.2 %/year down is improving; 0.8 %/year down is not; 0.8 %/year up is not deteriorating
    assert assess_series(series({2016: 100.0, 2017: 99, 2018: 100 * 0.988 ** 2}), make_spec(unit="count")) \
        .progress == "improving"
    assert assess_series(series({2016: 100.0, 2017: 99, 2018: 100 * 0.992 ** 2}), make_spec(unit="count")) \
        .progress == "no_clear_change"
    assert assess_series(series({2016: 100.0, 2017: 101, 2018: 100 * 1.008 ** 2}), make_spec(unit="count")) \
        .progress == "no_clear_change"


def test_overlapping_confidence_intervals_are_no_clear_change():
    values = {2016: 10.7, 2018: 10.2, 2020: 9.8, 2023: 9.6}
    ci = {2016: (9.6, 11.8), 2023: (8.6, 10.6)}
    a = assess_series(series(values, ci=ci), make_spec())
    assert (a.progress, a.rule, a.notes) == ("no_clear_change", "ci_overlap", ("ci_overlap",))
    assert a.annual_growth < -ANNUAL_THRESHOLD          # the point estimates alone would say improving


def test_separate_confidence_intervals_let_the_growth_rate_decide():
    values = {2016: 10.7, 2018: 10.2, 2020: 9.8, 2023: 9.6}
    ci = {2016: (10.4, 11.0), 2023: (9.3, 9.9)}
    a = assess_series(series(values, ci=ci), make_spec())
    assert (a.progress, a.rule) == ("improving", "cagr")


def test_a_confidence_interval_on_one_end_only_is_ignored():
    a = assess_series(series({2016: 10.7, 2020: 9.8, 2023: 9.6}, ci={2023: (5.0, 15.0)}), make_spec())
    assert a.rule == "cagr"


def test_too_few_points():
    a = assess_series(series({2014: 9.0, 2015: 9.5, 2016: 10.0, 2019: 8.0}), make_spec())
    assert (a.progress, a.rule, a.n_points, a.baseline_year) == ("insufficient_data", "too_few_points", 2, 2016)
    assert a.annual_growth is None and a.used_years == () and not a.illustrative


def test_missing_baseline_year_falls_back_within_two_years():
    a = assess_series(series({2015: 12.0, 2017: 10.0, 2019: 9.0, 2021: 8.0}), make_spec())
    assert (a.progress, a.rule, a.baseline_year, a.baseline_value) == ("improving", "cagr", 2017, 10.0)
    assert a.notes == ("baseline_fallback",) and a.requested_baseline_year == 2016


def test_no_value_within_two_years_of_the_baseline_is_insufficient():
    a = assess_series(series({2015: 12.0, 2019: 9.0, 2020: 8.5, 2021: 8.0}), make_spec())
    assert (a.progress, a.rule, a.baseline_year) == ("insufficient_data", "no_baseline", None)
    assert a.latest_year == 2021


def test_empty_series_is_insufficient():
    a = assess_series(series({}), make_spec())
    assert (a.progress, a.latest_year, a.latest_value) == ("insufficient_data", None, None)


def test_down_star_is_never_assessed():
    a = assess_series(series(yearly(2016, 2023, 100.0, 300.0)), make_spec(direction="down*", unit="count"))
    assert (a.progress, a.rule, a.annual_growth) == ("not_assessed", "down_star", None)
    assert a.latest_value == 300.0 and a.change_since_baseline == pytest.approx(200.0)
    assert a.used_years == () and not a.illustrative


def test_contextual_is_not_assessed():
    a = assess_series(series(yearly(2016, 2023, 30.0, 40.0)), make_spec(direction="contextual"))
    assert (a.progress, a.rule) == ("not_assessed", "contextual")


def test_zero_baseline_uses_the_change_relative_to_the_mean():
    a = assess_series(series({2016: 0.0, 2018: 1.0, 2020: 2.0, 2022: 3.0}), make_spec())
    assert (a.progress, a.rule, a.notes) == ("deteriorating", "zero_baseline", ("zero_baseline",))
    assert a.annual_growth == pytest.approx((3.0 - 0.0) / 1.5 / 6)


def test_all_zeros_is_no_clear_change():
    a = assess_series(series({2016: 0.0, 2018: 0.0, 2020: 0.0}), make_spec())
    assert (a.progress, a.rule, a.annual_growth, a.visible_change) == ("no_clear_change", "zero_baseline", 0.0,
                                                                       "none")


def test_falling_to_zero_is_a_full_improvement():
    a = assess_series(series({2016: 4.0, 2018: 2.0, 2020: 0.0}), make_spec())
    assert (a.progress, a.rule, a.annual_growth) == ("improving", "cagr", -1.0)


def test_rounded_equal_values_of_a_verdict_of_change_get_more_decimals():
    # 4.74 → 4.66 over two years is −0.85 %/year: no clear change, shown at one decimal as 4.7 and 4.7
    steady = assess_series(series({2016: 4.74, 2017: 4.7, 2018: 4.66}), make_spec())
    assert (steady.progress, steady.display_decimals, steady.visible_change) == ("no_clear_change", 1, "none")
    # 5.4 → 4.6 is −7.7 %/year, a verdict of change; whole numbers would show 5 and 5, so one decimal
    falling = assess_series(series({2016: 5.4, 2017: 5.0, 2018: 4.6}), make_spec(unit="count", decimals=0))
    assert (falling.progress, falling.display_decimals, falling.visible_change) == ("improving", 1, "fell")


# ------------------------------------------------------------------------------------ series breaks
def test_a_break_with_enough_points_after_it_is_assessed_from_the_break():
    a = assess_series(series(yearly(2016, 2023, 10.0, 6.0)), make_spec(breaks=(2019,)))
    assert (a.progress, a.rule, a.period, a.starts_at_break, a.breaks) == ("improving", "cagr", (2019, 2023),
                                                                            2019, (2019,))
    assert a.baseline_year == 2019 and a.used_years == (2019, 2023)
    assert a.change_since_previous == pytest.approx(-4 / 7)      # 2022 → 2023 is on one side of the break


def test_a_break_with_too_few_points_after_it_assesses_the_period_before():
    values = yearly(2016, 2024, 10.0, 2.0)
    a = assess_series(series(values), make_spec(breaks=(2023,)))
    assert (a.progress, a.period, a.ends_before_break, a.starts_at_break) == ("improving", (2016, 2022), 2023, None)
    assert a.end_value == pytest.approx(values[2022]) and a.change_since_baseline is None
    assert a.latest_year == 2024                     # 2023 → 2024 both lie after the break: comparable
    assert a.change_since_previous == pytest.approx(values[2024] - values[2023])
    assert 2023 not in a.used_years and 2024 not in a.used_years


def test_no_comparable_period_of_three_values_is_a_break_in_series():
    values = {2016: 10.0, 2017: 9.5, 2018: None, 2019: 8.0, 2020: 7.5}
    a = assess_series(series(values, flags={2018: "b"}), make_spec())
    assert (a.progress, a.rule, a.breaks, a.used_years) == ("break_in_series", "break", (2018,), (2020,))
    assert a.change_since_baseline is None and a.annual_growth is None


def test_break_flag_among_other_letters_counts():
    values = yearly(2016, 2020, 10.0, 6.0)
    a = assess_series(series(values, flags={2018: "pb"}), make_spec())
    assert (a.breaks, a.period, a.starts_at_break) == ((2018,), (2018, 2020), 2018)


def test_a_run_of_b_flags_is_one_break():
    values = yearly(2016, 2024, 10.0, 6.0)
    a = assess_series(series(values, flags={y: "b" for y in range(2019, 2025)}), make_spec())
    assert (a.breaks, a.period, a.starts_at_break) == ((2019,), (2019, 2024), 2019)


def test_break_at_or_before_the_baseline_does_not_count():
    a = assess_series(series(yearly(2016, 2023, 10.0, 6.0), flags={2016: "b"}), make_spec(breaks=(2015,)))
    assert (a.progress, a.period, a.breaks) == ("improving", (2016, 2023), ())


def test_breaks_of_the_sources_count_like_the_specs():
    assert 2024 in declared_breaks(make_spec(source="bra_lethal_violence"))
    a = assess_series(series(yearly(2016, 2024, 40.0, 30.0)), make_spec(source="bra_lethal_violence"))
    assert (a.period, a.ends_before_break) == ((2016, 2023), 2024)


def test_every_shipped_indicator_with_a_declared_break_never_compares_across_it():
    for spec in load_catalogue().values():
        if spec.is_development:
            continue
        breaks = declared_breaks(spec)
        values = yearly(spec.baseline_year, max(2024, spec.baseline_year + 8), 50.0, 40.0)
        frame = series(values)
        for column in spec.breakdowns:
            frame[column] = {"sex": "T", "region": "00", "police_region": "T"}.get(column, "T")
        a = assess_series(frame, spec)
        if a.period is not None:
            first, last = a.period
            assert not [b for b in breaks if first < b <= last], (spec.id, a.period, breaks)


# ------------------------------------------------------------------------------------ illustrative
def test_a_verdict_on_an_illustrative_baseline_is_illustrative():
    frame = series(yearly(2016, 2023, 10.0, 8.0), illustrative={2016})
    a = assess_series(frame, make_spec())
    assert (a.progress, a.illustrative, a.illustrative_years) == ("improving", True, (2016,))
    assert a.published_used_years == (2023,)
    assert a.published_years == tuple(range(2017, 2024))


def test_illustrative_points_between_the_ends_do_not_make_the_verdict_illustrative():
    frame = series(yearly(2016, 2023, 10.0, 8.0), illustrative={2018, 2021})
    assert not assess_series(frame, make_spec()).illustrative


def test_an_illustrative_year_in_a_rolling_window_makes_the_verdict_illustrative():
    values = {2016: 12, 2017: 20, 2018: 19, 2019: 22, 2020: 15, 2021: 18, 2022: 20, 2023: 13}
    a = assess_series(series(values, illustrative={2022}), make_spec(unit="count", decimals=0))
    assert a.rule == "rolling_mean" and a.illustrative_years == (2022,)
    assert a.used_years == (2016, 2017, 2018, 2021, 2022, 2023)


def test_a_break_verdict_on_an_illustrative_latest_value_is_illustrative():
    values = {2016: 10.0, 2017: 9.5, 2018: None, 2019: 8.0, 2020: 7.5}
    a = assess_series(series(values, flags={2018: "b"}, illustrative={2020}), make_spec())
    assert (a.progress, a.illustrative, a.illustrative_years) == ("break_in_series", True, (2020,))


# ------------------------------------------------------------------------------------ small counts
LETHAL = {2016: 12, 2017: 20, 2018: 19, 2019: 22, 2020: 15, 2021: 18, 2022: 20, 2023: 13}


def test_small_counts_compare_three_year_means():
    a = assess_series(series(LETHAL), make_spec(unit="count", decimals=0))
    # single years say 12 → 13, a rise of 1.1 %/year; the 3-year means are both 17
    assert (a.progress, a.rule) == ("no_clear_change", "rolling_mean")
    assert a.annual_growth == pytest.approx(0.0)
    assert (a.baseline_value, a.latest_value, a.change_since_baseline) == (12, 13, 1)
    assert (a.start_years, a.end_years, a.start_value, a.end_value) == ((2016, 2017, 2018), (2021, 2022, 2023),
                                                                        17.0, 17.0)
    assert a.display_decimals == 1


def test_small_counts_with_overlapping_windows_use_single_years():
    a = assess_series(series({2016: 20, 2017: 18, 2018: 17, 2019: 16, 2020: 15}),
                      make_spec(unit="count", decimals=0))
    assert (a.progress, a.rule) == ("improving", "cagr")


def test_small_counts_with_a_gap_in_a_window_use_single_years():
    values = {y: v for y, v in LETHAL.items() if y != 2017}
    assert assess_series(series(values), make_spec(unit="count", decimals=0)).rule == "cagr"


def test_counts_from_the_limit_up_use_single_years():
    values = {y: v + SMALL_COUNT_LIMIT for y, v in LETHAL.items()}
    assert assess_series(series(values), make_spec(unit="count", decimals=0)).rule == "cagr"


def test_small_counts_from_a_zero_mean():
    values = {2016: 0, 2017: 0, 2018: 0, 2019: 1, 2020: 2, 2021: 3, 2022: 2, 2023: 4}
    a = assess_series(series(values), make_spec(unit="count", decimals=0))
    assert (a.progress, a.rule, a.notes) == ("deteriorating", "rolling_mean", ("zero_baseline",))


def test_rolling_windows_stay_inside_the_comparable_period():
    values = {y: 15 + (y % 3) for y in range(2016, 2025)}
    a = assess_series(series(values), make_spec(unit="count", decimals=0, breaks=(2024,)))
    assert a.rule == "rolling_mean" and a.end_years == (2021, 2022, 2023)


# --------------------------------------------------------------------------------- whole indicator
def test_assess_indicator_gives_one_per_breakdown_headline_first():
    spec = make_spec(id="MVK01", breakdowns=("sex",))
    frame = pd.concat([series(yearly(2016, 2023, 6.0, 4.0), sex="M"),
                       series(yearly(2016, 2023, 4.7, 3.8), sex="T"),
                       series(yearly(2016, 2023, 8.0, 8.1), sex="K")], ignore_index=True)
    results = assess_indicator(frame, spec)
    assert [a.breakdown for a in results] == [{"sex": "T"}, {"sex": "K"}, {"sex": "M"}]
    assert all(isinstance(a, Assessment) and a.indicator_id == "MVK01" for a in results)
    assert [a.progress for a in results] == ["improving", "no_clear_change", "improving"]


def test_assess_indicator_without_breakdowns_and_ignoring_rolling_means():
    spec = make_spec(id="MVK05", unit="count", decimals=0)
    annual = series(LETHAL, statistic="annual")
    rolling = series({2018: 17.0, 2023: 17.0}, flags={2018: "e", 2023: "e"}, statistic="rolling_3y")
    results = assess_indicator(pd.concat([annual, rolling], ignore_index=True), spec)
    assert len(results) == 1
    assert (results[0].breakdown, results[0].rule, results[0].latest_value) == ({}, "rolling_mean", 13)


def test_assess_indicator_on_an_empty_frame_gives_the_headline():
    spec = make_spec(breakdowns=("sex",))
    [a] = assess_indicator(series({}).assign(sex=pd.Series(dtype="str")), spec)
    assert (a.breakdown, a.progress) == ({"sex": "T"}, "insufficient_data")


def test_two_rows_for_one_year_without_breakdown_is_refused():
    frame = pd.concat([series({2016: 1.0}), series({2016: 2.0})], ignore_index=True)
    with pytest.raises(ValueError, match="more than one row per year"):
        assess_series(frame, make_spec())


# ------------------------------------------------------------------------------------------ labels
def test_progress_labels():
    assert progress_label("improving", "sv") == "förbättring"
    assert progress_label("deteriorating", "en") == "deteriorating"
    assert progress_label("no_clear_change", "sv") == "ingen tydlig förändring"
    for progress in PROGRESS_CLASSES:
        assert progress_label(progress, "sv") and progress_label(progress, "en")
    with pytest.raises(ValueError):
        progress_label("target_achieved", "sv")


def test_every_assessment_and_sentence_message_is_bilingual():
    keys = [k for k in catalogue() if k.startswith(("assessment.", "sentences."))]
    assert len(keys) > 60
    for key in keys:
        assert catalogue()[key]["sv"].strip() and catalogue()[key]["en"].strip()
