"""Progress assessment (indicators/assessment.py): the rule on constructed series, and its sentences."""

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
    progress_label,
)
from indicators.i18n import catalogue
from indicators.registry import parse_indicator_spec

NBSP = "\u00a0"
WOMEN = {"sv": "kvinnor", "en": "women"}


def make_spec(*, id: str = "MVK99", direction: str = "down", unit: str = "percent", decimals: int = 1,
              baseline_year: int = 2016, breaks: tuple[int, ...] = (), breakdowns: tuple[str, ...] = ()):
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
sources: [bra_lethal_violence]
series_breaks: {breaks_yaml}
""")


def series(values: dict[int, float | None], flags: dict[int, str] | None = None,
           ci: dict[int, tuple[float, float]] | None = None, **columns: str) -> pd.DataFrame:
    years = sorted(values)
    frame = pd.DataFrame({
        "year": years,
        "value": [math.nan if values[y] is None else values[y] for y in years],
        "flag": [(flags or {}).get(y, "") for y in years],
        "illustrative": False,
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
    assert a.previous_year == 2022 and a.previous_value == pytest.approx(8 + 2 / 7)
    assert a.change_since_baseline == pytest.approx(-2.0)
    assert a.change_since_previous == pytest.approx(-2 / 7)
    assert a.breakdown == {}


def test_improving_when_an_up_indicator_rises():
    a = assess_series(series(yearly(2016, 2022, 40.0, 55.0)), make_spec(direction="up"))
    assert (a.progress, a.rule) == ("improving", "cagr")


def test_deteriorating_when_a_down_indicator_rises():
    a = assess_series(series(yearly(2016, 2023, 5.0, 6.0)), make_spec())
    assert (a.progress, a.rule) == ("deteriorating", "cagr")
    assert a.annual_growth > ANNUAL_THRESHOLD
    assert "ökade från 5,0" in a.summary["sv"] and "rose from 5.0%" in a.summary["en"]


def test_small_movement_is_no_clear_change():
    a = assess_series(series({2016: 10.0, 2018: 9.9, 2020: 10.1, 2023: 9.8}), make_spec())
    assert (a.progress, a.rule) == ("no_clear_change", "cagr")
    assert abs(a.annual_growth) < ANNUAL_THRESHOLD
    # the verb follows the change, not the class: a small fall is still "minskade"
    assert "minskade från 10,0" in a.summary["sv"] and "fell from 10.0%" in a.summary["en"]


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
    assert (a.progress, a.rule) == ("no_clear_change", "ci_overlap")
    assert a.annual_growth < -ANNUAL_THRESHOLD          # the point estimates alone would say improving
    assert a.summary["sv"] == (f"Andel utsatta för testbrott minskade från 10,7{NBSP}% 2016 till 9,6{NBSP}% 2023 "
                               "(konfidensintervallen för 2016 och 2023 överlappar, så förändringen kan bero på "
                               "slumpen i urvalet).")
    assert "overlap, so the change may be due to sampling error" in a.summary["en"]


def test_separate_confidence_intervals_let_the_growth_rate_decide():
    values = {2016: 10.7, 2018: 10.2, 2020: 9.8, 2023: 9.6}
    ci = {2016: (10.4, 11.0), 2023: (9.3, 9.9)}
    a = assess_series(series(values, ci=ci), make_spec())
    assert (a.progress, a.rule) == ("improving", "cagr")


def test_a_confidence_interval_on_one_end_only_is_ignored():
    a = assess_series(series({2016: 10.7, 2020: 9.8, 2023: 9.6}, ci={2023: (5.0, 15.0)}), make_spec())
    assert a.rule == "cagr"


def test_break_in_series_from_the_spec():
    a = assess_series(series(yearly(2016, 2023, 10.0, 6.0)), make_spec(breaks=(2019,)))
    assert (a.progress, a.rule) == ("break_in_series", "break")
    assert a.change_since_baseline is None and a.annual_growth is None
    assert a.change_since_previous == pytest.approx(-4 / 7)      # 2022 → 2023 is on one side of the break
    assert a.summary["sv"] == (f"Andel utsatta för testbrott var 6,0{NBSP}% 2023, men serien har ett tidsseriebrott "
                               "2019 och är inte jämförbar över brottet, så utvecklingen sedan 2016 bedöms inte.")
    assert a.summary["en"] == ("Share exposed to test offences was 6.0% in 2023, but the series has a break in 2019 "
                               "and is not comparable across it, so the change since 2016 is not assessed.")


def test_break_flag_on_a_row_without_value_counts():
    values = {2016: 10.0, 2017: 9.5, 2018: None, 2019: 8.0, 2020: 7.5}
    a = assess_series(series(values, flags={2018: "b"}), make_spec())
    assert a.progress == "break_in_series"


def test_break_at_or_before_the_baseline_does_not_count():
    a = assess_series(series(yearly(2016, 2023, 10.0, 6.0), flags={2016: "b"}), make_spec(breaks=(2015,)))
    assert a.progress == "improving"


def test_too_few_points():
    a = assess_series(series({2014: 9.0, 2015: 9.5, 2016: 10.0, 2019: 8.0}), make_spec())
    assert (a.progress, a.rule) == ("insufficient_data", "too_few_points")
    assert a.annual_growth is None
    assert a.summary["sv"] == ("Andel utsatta för testbrott kan inte bedömas ännu: från 2016 och framåt finns "
                               "bara två värden, och det behövs minst 3.")
    assert a.summary["en"] == ("Share exposed to test offences cannot be assessed yet: it has only two values from "
                               "2016 on, and at least 3 are needed.")


def test_missing_baseline_year_falls_back_within_two_years():
    a = assess_series(series({2015: 12.0, 2017: 10.0, 2019: 9.0, 2021: 8.0}), make_spec())
    assert (a.progress, a.rule, a.baseline_year, a.baseline_value) == ("improving", "cagr", 2017, 10.0)
    assert a.summary["sv"].endswith("(värde saknas för basåret 2016, så jämförelsen börjar 2017).")
    assert a.summary["en"].endswith("(there is no value for the baseline year 2016, so the comparison starts in 2017).")


def test_no_value_within_two_years_of_the_baseline_is_insufficient():
    a = assess_series(series({2015: 12.0, 2019: 9.0, 2020: 8.5, 2021: 8.0}), make_spec())
    assert (a.progress, a.rule, a.baseline_year) == ("insufficient_data", "no_baseline", None)
    assert a.latest_year == 2021
    assert "inget värde för basåret 2016 eller något av åren fram till 2018" in a.summary["sv"]


def test_empty_series_is_insufficient():
    a = assess_series(series({}), make_spec())
    assert (a.progress, a.latest_year, a.latest_value) == ("insufficient_data", None, None)


def test_down_star_is_never_assessed():
    a = assess_series(series(yearly(2016, 2023, 100.0, 300.0)), make_spec(direction="down*", unit="count"))
    assert (a.progress, a.rule, a.annual_growth) == ("not_assessed", "down_star", None)
    assert a.latest_value == 300.0 and a.change_since_baseline == pytest.approx(200.0)
    assert a.summary["sv"].startswith("Anmälda brott bedöms inte: ")
    assert a.summary["en"].startswith("Reported offences are not assessed: ")


def test_contextual_is_not_assessed():
    a = assess_series(series(yearly(2016, 2023, 30.0, 40.0)), make_spec(direction="contextual"))
    assert (a.progress, a.rule) == ("not_assessed", "contextual")
    assert a.summary["sv"].startswith("Andel utsatta för testbrott bedöms inte: indikatorn har ingen önskad riktning")


def test_zero_baseline_uses_the_change_relative_to_the_mean():
    a = assess_series(series({2016: 0.0, 2018: 1.0, 2020: 2.0, 2022: 3.0}), make_spec())
    assert (a.progress, a.rule) == ("deteriorating", "zero_baseline")
    assert a.annual_growth == pytest.approx((3.0 - 0.0) / 1.5 / 6)
    assert "utgångsvärdet var 0, så förändringen mäts i förhållande till seriens medelvärde" in a.summary["sv"]
    assert "the starting value was 0, so the change is measured against the mean of the series" in a.summary["en"]


def test_all_zeros_is_no_clear_change():
    a = assess_series(series({2016: 0.0, 2018: 0.0, 2020: 0.0}), make_spec())
    assert (a.progress, a.rule, a.annual_growth) == ("no_clear_change", "zero_baseline", 0.0)
    assert a.summary["sv"].startswith(f"Andel utsatta för testbrott låg kvar på 0,0{NBSP}% från 2016 till 2020")


def test_falling_to_zero_is_a_full_improvement():
    a = assess_series(series({2016: 4.0, 2018: 2.0, 2020: 0.0}), make_spec())
    assert (a.progress, a.rule, a.annual_growth) == ("improving", "cagr", -1.0)


# ------------------------------------------------------------------------------------ small counts
LETHAL = {2016: 12, 2017: 20, 2018: 19, 2019: 22, 2020: 15, 2021: 18, 2022: 20, 2023: 13}


def test_small_counts_compare_three_year_means():
    spec = make_spec(unit="count", decimals=0)
    a = assess_series(series(LETHAL), spec)
    # single years say 12 → 13, a rise of 1.1 %/year; the 3-year means are both 17
    assert (a.progress, a.rule) == ("no_clear_change", "rolling_mean")
    assert a.annual_growth == pytest.approx(0.0)
    assert (a.baseline_value, a.latest_value, a.change_since_baseline) == (12, 13, 1)
    assert a.summary["sv"] == ("Andel utsatta för testbrott låg kvar på i genomsnitt 17,0 per år 2016–2018 "
                               "och 2021–2023.")
    assert a.summary["en"] == ("Share exposed to test offences was unchanged at an average of 17.0 a year in "
                               "2016–2018 and 2021–2023.")


def test_small_counts_exact_sentence_for_lethal_violence():
    spec = make_spec(id="MVK05", unit="count", decimals=0)
    a = assess_series(series({2016: 17, 2017: 16, 2018: 18, 2019: 17, 2020: 15, 2021: 14, 2022: 11, 2023: 15}), spec)
    assert (a.progress, a.rule) == ("improving", "rolling_mean")
    assert a.annual_growth == pytest.approx((40 / 51) ** (1 / 5) - 1)
    assert a.summary["sv"] == ("Antalet kvinnor som dödades av en nuvarande eller tidigare partner minskade från "
                               "i genomsnitt 17,0 per år 2016–2018 till 13,3 per år 2021–2023.")
    assert a.summary["en"] == ("The number of women killed by a current or former partner fell from an average of "
                               "17.0 a year in 2016–2018 to 13.3 a year in 2021–2023.")


def test_small_counts_with_overlapping_windows_use_single_years():
    spec = make_spec(id="MVK05", unit="count", decimals=0)
    a = assess_series(series({2016: 20, 2017: 18, 2018: 17, 2019: 16, 2020: 15}), spec)
    assert (a.progress, a.rule) == ("improving", "cagr")
    assert a.summary["sv"] == ("Antalet kvinnor som dödades av en nuvarande eller tidigare partner minskade från "
                               "20 år 2016 till 15 år 2020.")


def test_small_counts_with_a_gap_in_a_window_use_single_years():
    values = {y: v for y, v in LETHAL.items() if y != 2017}
    assert assess_series(series(values), make_spec(unit="count", decimals=0)).rule == "cagr"


def test_counts_from_the_limit_up_use_single_years():
    values = {y: v + SMALL_COUNT_LIMIT for y, v in LETHAL.items()}
    assert assess_series(series(values), make_spec(unit="count", decimals=0)).rule == "cagr"


def test_small_counts_from_a_zero_mean():
    values = {2016: 0, 2017: 0, 2018: 0, 2019: 1, 2020: 2, 2021: 3, 2022: 2, 2023: 4}
    a = assess_series(series(values), make_spec(unit="count", decimals=0))
    assert (a.progress, a.rule) == ("deteriorating", "rolling_mean")
    assert "utgångsvärdet var 0" in a.summary["sv"]


# ------------------------------------------------------------------------------------- sentences
def test_exact_sentences_for_the_ntu_example():
    frame = series({2017: 10.7, 2019: 9.1, 2020: 7.7, 2022: 7.1, 2023: 6.4}, sex="K")
    a = assess_series(frame, make_spec(id="MVK01", baseline_year=2017, breakdowns=("sex",)), {"sex": "K"}, WOMEN)
    assert a.progress == "improving"
    assert a.summary == {
        "sv": "Andelen kvinnor som utsattes för sexualbrott minskade från 10,7\u00a0% 2017 till 6,4\u00a0% 2023.",
        "en": "The share of women exposed to sexual offences fell from 10.7% in 2017 to 6.4% in 2023.",
    }


def test_swedish_numbers_have_a_decimal_comma_and_english_a_point():
    a = assess_series(series({2016: 1234.56, 2018: 1100.0, 2020: 1001.25}), make_spec(unit="per_100k"))
    assert f"1{NBSP}234,6 per 100{NBSP}000 invånare 2016 till 1{NBSP}001,3 per 100{NBSP}000" in a.summary["sv"]
    assert "1,234.6 per 100,000 inhabitants in 2016 to 1,001.3 per 100,000" in a.summary["en"]


def test_rounded_equal_values_are_unchanged_whatever_the_class():
    a = assess_series(series({2016: 4.71, 2018: 4.8, 2020: 4.68}), make_spec())
    assert a.summary["sv"] == f"Andel utsatta för testbrott låg kvar på 4,7{NBSP}% från 2016 till 2020."
    assert a.summary["en"] == "Share exposed to test offences was unchanged at 4.7% from 2016 to 2020."


def test_verb_follows_the_change_for_an_up_indicator_that_falls():
    a = assess_series(series({2016: 60.0, 2018: 55.0, 2020: 50.0}), make_spec(direction="up"))
    assert a.progress == "deteriorating"
    assert " minskade från " in a.summary["sv"] and " fell from " in a.summary["en"]


def test_summary_is_one_sentence():
    for frame, spec in [(series(yearly(2016, 2023, 10.0, 8.0)), make_spec()),
                        (series(yearly(2016, 2023, 10.0, 8.0)), make_spec(breaks=(2019,))),
                        (series({2017: 1.0, 2019: 2.0, 2020: 0.5}, ci={2017: (0, 2), 2020: (0, 1)}), make_spec())]:
        for text in assess_series(frame, spec).summary.values():
            assert text.endswith(".") and text.count(". ") == 0


def test_headline_without_subject_uses_the_indicator_phrase():
    a = assess_series(series(yearly(2016, 2023, 4.7, 3.8), sex="T"), make_spec(id="MVK01", breakdowns=("sex",)))
    assert a.breakdown == {"sex": "T"}
    assert a.summary["sv"].startswith("Andelen personer 16–84 år som utsattes för sexualbrott minskade")
    assert a.summary["en"].startswith("The share of people aged 16–84 exposed to sexual offences fell")


def test_subject_without_a_phrase_follows_the_name():
    a = assess_series(series(yearly(2016, 2023, 4.7, 3.8)), make_spec(), subject=WOMEN)
    assert a.summary["sv"].startswith("Andel utsatta för testbrott bland kvinnor minskade")
    assert a.summary["en"].startswith("Share exposed to test offences among women fell")


def test_region_breakdown_is_named_as_a_place():
    frame = series(yearly(2016, 2023, 4.7, 3.8), region="01")
    a = assess_series(frame, make_spec(breakdowns=("region",)))
    assert a.breakdown == {"region": "01"}
    assert a.summary["sv"].startswith("Andel utsatta för testbrott i Stockholms län minskade")
    assert a.summary["en"].startswith("Share exposed to test offences in Stockholm County fell")


def test_illustrative_rows_are_assessed_like_others():
    frame = series(yearly(2016, 2023, 10.0, 8.0)).assign(illustrative=True)
    assert assess_series(frame, make_spec()).progress == "improving"


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
    assert results[1].summary["sv"].startswith("Andelen kvinnor som utsattes för sexualbrott ökade från 8,0")
    assert results[2].summary["en"].startswith("The share of men exposed to sexual offences fell from 6.0%")


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


def test_every_assessment_message_is_bilingual():
    keys = [k for k in catalogue() if k.startswith("assessment.")]
    assert len(keys) > 30
    for key in keys:
        assert catalogue()[key]["sv"].strip() and catalogue()[key]["en"].strip()
