"""The assessment in words (reports/sentences.py): Swedish statistical style, and every verdict marked.

Part one builds facts by hand and checks the style rules one at a time. Part two is the table of
EXPECTED SENTENCES: the main series of every computed indicator on the shipped data, sv and en,
exactly as the warehouse stores them and the pages show them. Each was read and judged; a change to
the rule, the words or the shipped data shows up here as a diff to read again. Part three checks that
a verdict resting on an illustrative value is marked in the warehouse, indicators.json, the workbook
and on both pages that show it (MVK06: its 2016 baseline is generated).
"""

from __future__ import annotations

import json
import re

import duckdb
import pytest
from openpyxl import load_workbook

from indicators.assessment import assess_series
from indicators.registry import load_catalogue
from reports.sentences import about, number_word, sentence, sentences, year_list
from tests.test_assessment import LETHAL, make_spec, series, yearly

NBSP = "\u00a0"


def words(values, spec=None, **kwargs) -> dict[str, str]:
    spec = spec or make_spec()
    return sentences(assess_series(series(values, **kwargs), spec), spec)


# ------------------------------------------------------------------------------- the style rules
def test_numbers_up_to_twelve_are_words_and_from_thirteen_digits():
    assert [number_word(n, "sv") for n in (1, 3, 7, 12, 13)] == ["ett", "tre", "sju", "tolv", "13"]
    assert [number_word(n, "en") for n in (2, 10, 40)] == ["two", "ten", "40"]


def test_years_are_listed_with_ranges_for_runs():
    assert year_list([2016, 2023], "sv") == "2016 och 2023"
    assert year_list([2016, 2018, 2019, 2020, 2023], "en") == "2016, 2018–2020 and 2023"
    assert year_list([2021, 2022, 2023], "sv") == "2021–2023"


def test_about_rounds_to_whole_units_and_two_figures_from_a_hundred():
    assert about(48.1) == about(47.8) == (48.0, 0)
    assert about(398.0)[0] == 400.0 and about(368.0)[0] == 370.0


def test_a_subject_is_definite_and_lower_case_mid_sentence():
    down_star = words(yearly(2016, 2023, 1000.0, 1200.0), make_spec(id="MVK08", direction="down*", unit="count",
                                                                    decimals=0))
    assert down_star["sv"].startswith("Utvecklingen av antalet anmälda grova kvinnofridskränkningar bedöms inte: ")
    assert down_star["en"].startswith("Changes in the number of reported gross violations of a woman's integrity "
                                      "are not assessed: ")


def test_a_fall_is_said_with_swedish_and_english_number_formats():
    spec = make_spec(id="MVK02", breakdowns=("sex",))
    text = words({2016: 3.6, 2019: 3.3, 2023: 3.0}, spec, sex="T")
    assert text["sv"] == (f"Andelen personer 16–84 år som utsattes för misshandel minskade från 3,6{NBSP}% 2016 till "
                          f"3,0{NBSP}% 2023.")
    assert text["en"] == "The share of people aged 16–84 exposed to assault fell from 3.6% in 2016 to 3.0% in 2023."


def test_no_clear_change_with_close_ends_stays_at_about_the_level():
    text = words({2016: 48.1, 2020: 50.0, 2024: 47.8})
    assert text["sv"] == (f"Andel utsatta för testbrott låg kvar på ungefär 48{NBSP}% från 2016 till 2024 "
                          f"(48,1{NBSP}% 2016 och 47,8{NBSP}% 2024).")
    assert text["en"] == ("Share exposed to test offences remained at about 48% from 2016 to 2024 "
                          "(48.1% in 2016 and 47.8% in 2024).")


def test_no_clear_change_with_ends_apart_gives_both_and_says_why():
    text = words({2016: 398, 2020: 341, 2024: 368}, make_spec(unit="count", decimals=0, direction="up"))
    assert text["sv"] == ("Andel utsatta för testbrott var 398 år 2016 och 368 år 2024, en förändring på mindre än "
                          "1 procent per år.")
    assert text["en"] == ("Share exposed to test offences was 398 in 2016 and 368 in 2024, a change of less than "
                          "1 per cent a year.")


def test_rounded_equal_ends_remain_at_the_value():
    text = words({2016: 4.71, 2018: 4.8, 2020: 4.68})
    assert text["sv"] == f"Andel utsatta för testbrott låg kvar på 4,7{NBSP}% från 2016 till 2020."
    assert text["en"] == "Share exposed to test offences remained at 4.7% from 2016 to 2020."


def test_a_verdict_of_change_never_shows_two_equal_numbers():
    text = words({2016: 5.4, 2017: 5.0, 2018: 4.6}, make_spec(unit="count", decimals=0))
    assert "minskade från 5,4 år 2016 till 4,6 år 2018" in text["sv"]
    assert "fell from 5.4 in 2016 to 4.6 in 2018" in text["en"]


def test_overlapping_confidence_intervals_say_the_difference_may_be_chance():
    text = words({2016: 10.7, 2018: 10.2, 2020: 9.8, 2023: 9.6}, ci={2016: (9.6, 11.8), 2023: (8.6, 10.6)})
    assert text["sv"] == (f"Andel utsatta för testbrott var 10,7{NBSP}% 2016 och 9,6{NBSP}% 2023; skillnaden kan bero "
                          "på slumpen i urvalet, eftersom konfidensintervallen för de två åren överlappar.")
    assert text["en"] == ("Share exposed to test offences was 10.7% in 2016 and 9.6% in 2023; the difference may be "
                          "due to sampling error, as the confidence intervals for the two years overlap.")


def test_small_counts_are_three_year_means():
    spec = make_spec(id="MVK05", unit="count", decimals=0)
    text = words({2016: 17, 2017: 16, 2018: 18, 2019: 17, 2020: 15, 2021: 14, 2022: 11, 2023: 15}, spec)
    assert text["sv"] == ("Antalet kvinnor som dödades av en nuvarande eller tidigare partner minskade från "
                          "i genomsnitt 17,0 per år 2016–2018 till 13,3 per år 2021–2023.")
    assert text["en"] == ("The number of women killed by a current or former partner fell from an average of "
                          "17.0 a year in 2016–2018 to 13.3 a year in 2021–2023.")
    steady = words(LETHAL, make_spec(unit="count", decimals=0))
    assert steady["sv"] == "Andel utsatta för testbrott låg kvar på i genomsnitt 17,0 per år 2016–2018 och 2021–2023."


def test_too_few_points_counts_in_words():
    text = words({2014: 9.0, 2015: 9.5, 2016: 10.0, 2019: 8.0})
    assert text["sv"] == ("Andel utsatta för testbrott kan inte bedömas ännu: från 2016 finns bara två värden, "
                          "och det behövs minst tre.")
    assert text["en"] == ("Share exposed to test offences cannot be assessed yet: there are only two values from "
                          "2016 on, and at least three are needed.")


def test_a_missing_baseline_is_said_after_the_verdict():
    text = words({2015: 12.0, 2017: 10.0, 2019: 9.0, 2021: 8.0})
    assert text["sv"].endswith(" Värde saknas för basåret 2016, så jämförelsen börjar 2017.")
    assert text["en"].endswith(" There is no value for the baseline year 2016, so the comparison starts in 2017.")


def test_a_period_after_a_break_says_where_it_starts():
    text = words(yearly(2016, 2023, 10.0, 6.0), make_spec(breaks=(2019,)))
    assert text["sv"] == (f"Andel utsatta för testbrott minskade från 8,3{NBSP}% 2019 till 6,0{NBSP}% 2023. "
                          "Jämförelsen börjar 2019, eftersom serien har ett tidsseriebrott 2019 och tidigare värden "
                          "inte går att jämföra med senare.")
    assert text["en"].endswith(" The comparison starts in 2019 because the series has a break in 2019 and earlier "
                               "values are not comparable with later ones.")


def test_a_period_before_a_break_says_where_it_ends():
    text = words(yearly(2016, 2024, 10.0, 2.0), make_spec(breaks=(2023,)))
    assert "minskade från 10,0\u00a0% 2016 till 4,0\u00a0% 2022. Jämförelsen slutar 2022, eftersom serien har ett " \
           "tidsseriebrott 2023 och värdena från och med 2023 inte går att jämföra med tidigare år." in text["sv"]


def test_no_comparable_period_says_so():
    text = words({2016: 10.0, 2017: 9.5, 2018: None, 2019: 8.0, 2020: 7.5}, flags={2018: "b"})
    assert text["sv"] == (f"Andel utsatta för testbrott var 7,5{NBSP}% 2020. Utvecklingen bedöms inte: serien har ett "
                          "tidsseriebrott 2018, och ingen jämförbar period har tre värden.")
    assert text["en"] == ("Share exposed to test offences was 7.5% in 2020. The change is not assessed: the series "
                          "has a break in 2018, and no comparable period has three values.")


def test_illustrative_ends_with_published_points_between_say_both():
    text = words(yearly(2016, 2023, 10.0, 8.0), illustrative={2016, 2023, 2017})
    assert text["sv"].endswith(" Bedömningen bygger på illustrativa värden för 2016 och 2023; publicerade värden "
                               "finns för 2018–2022.")
    assert text["en"].endswith(" The assessment rests on illustrative values for 2016 and 2023; published values "
                               "exist for 2018–2022.")


def test_one_illustrative_end_is_named_beside_the_published_one():
    text = words(yearly(2016, 2023, 10.0, 8.0), illustrative={2016})
    assert text["sv"].endswith(" Bedömningen bygger på ett illustrativt värde för 2016 och ett publicerat värde "
                               "för 2023.")


def test_an_all_illustrative_series_says_so_and_a_published_verdict_among_illustrative_points_too():
    all_ill = words(yearly(2016, 2023, 10.0, 8.0), illustrative=set(range(2016, 2024)))
    assert all_ill["sv"].endswith(" Bedömningen bygger på illustrativa värden, inte officiell statistik.")
    published = words(yearly(2016, 2023, 10.0, 8.0), illustrative={2018})
    assert published["en"].endswith(" The assessment rests on published values for 2016 and 2023.")
    assert not words(yearly(2016, 2023, 10.0, 8.0))["sv"].count("Bedömningen bygger")


def test_places_are_named_mid_sentence():
    county = words(yearly(2017, 2023, 40.0, 60.0), make_spec(id="MVK21", direction="up", decimals=0,
                                                             baseline_year=2017, breakdowns=("region",)),
                   region="01")
    assert county["sv"].startswith("Andelen kommuner i Stockholms län som erbjuder stödsamtal till våldsutövare ökade")
    police = words(yearly(2016, 2023, 30.0, 40.0), make_spec(id="MVK13", direction="up", decimals=0,
                                                             breakdowns=("police_region",)), police_region="NORD")
    assert police["sv"].startswith("Personuppklaringen för grov kvinnofridskränkning i polisregion Nord ökade")
    assert police["en"].startswith("The person-based clearance rate for gross violation of a woman's integrity in "
                                   "police region North rose")


def test_sex_fills_the_group_of_the_subject():
    spec = make_spec(id="MVK01", breakdowns=("sex",))
    assert words(yearly(2016, 2023, 8.0, 6.0), spec, sex="K")["sv"].startswith(
        "Andelen kvinnor som utsattes för sexualbrott minskade")
    assert words(yearly(2016, 2023, 8.0, 6.0), spec, sex="M")["en"].startswith(
        "The share of men exposed to sexual offences fell")


def test_every_computed_indicator_has_a_definite_lower_case_subject():
    from reports.sentences import _Words

    for spec in load_catalogue().values():
        if spec.is_development:
            continue
        frame = series(yearly(spec.baseline_year, spec.baseline_year + 8, 10.0, 8.0))
        for column, code in spec.main_codes.items():
            frame[column] = code
        a = assess_series(frame, spec, {k: v for k, v in spec.main_codes.items() if k != "statistic"})
        for lang, article in (("sv", ("andelen ", "antalet ", "personuppklaringen ")), ("en", ("the ",))):
            assert _Words(a, spec, lang).subject().startswith(article), (spec.id, lang)


def test_a_sentence_in_one_language_uses_no_word_of_the_other():
    a = assess_series(series(yearly(2016, 2023, 10.0, 8.0), illustrative={2016}), make_spec())
    assert "the" not in sentence(a, make_spec(), "sv").lower().split()
    assert "och" not in sentence(a, make_spec(), "en").lower().split()


# ------------------------------------------------------------------- EXPECTED SENTENCES, shipped data
EXPECTED = {
    "MVK01": (
        (
            'Andelen personer 16–84 år som utsattes för sexualbrott minskade från 4,7\xa0% 2016 till 3,8\xa0% '
            '2023. Bedömningen bygger på publicerade värden för 2016 och 2023.'
        ),
        (
            'The share of people aged 16–84 exposed to sexual offences fell from 4.7% in 2016 to 3.8% in '
            '2023. The assessment rests on published values for 2016 and 2023.'
        ),
    ),
    "MVK02": (
        (
            'Andelen personer 16–84 år som utsattes för misshandel minskade från 3,6\xa0% 2016 till 3,0\xa0% 2023. '
            'Bedömningen bygger på illustrativa värden, inte officiell statistik.'
        ),
        (
            'The share of people aged 16–84 exposed to assault fell from 3.6% in 2016 to 3.0% in 2023. The '
            'assessment rests on illustrative values, not official statistics.'
        ),
    ),
    "MVK03": (
        (
            'Andelen personer 16–84 år som utsattes för hot låg kvar på ungefär 8\xa0% från 2016 till 2023 '
            '(7,9\xa0% 2016 och 8,3\xa0% 2023). Bedömningen bygger på ett publicerat värde för 2016 och ett '
            'illustrativt värde för 2023.'
        ),
        (
            'The share of people aged 16–84 exposed to threats remained at about 8% from 2016 to 2023 (7.9% '
            'in 2016 and 8.3% in 2023). The assessment rests on a published value for 2016 and an '
            'illustrative value for 2023.'
        ),
    ),
    "MVK04": (
        (
            'Andelen personer 16–84 år som utsattes för våld i en nära relation kan inte bedömas ännu: från '
            '2022 finns bara ett värde, och det behövs minst tre.'
        ),
        (
            'The share of people aged 16–84 exposed to violence by a current or former partner cannot be '
            'assessed yet: there is only one value from 2022 on, and at least three are needed.'
        ),
    ),
    "MVK05": (
        (
            'Antalet kvinnor som dödades av en nuvarande eller tidigare partner minskade från i genomsnitt '
            '14,7 per år 2016–2018 till 11,7 per år 2021–2023. Jämförelsen slutar 2023, eftersom serien har '
            'ett tidsseriebrott 2024 och värdena från och med 2024 inte går att jämföra med tidigare år. '
            'Bedömningen bygger på illustrativa värden för 2016–2017 och publicerade värden för 2018 och '
            '2021–2023.'
        ),
        (
            'The number of women killed by a current or former partner fell from an average of 14.7 a year '
            'in 2016–2018 to 11.7 a year in 2021–2023. The comparison ends in 2023 because the series has a '
            'break in 2024 and values from 2024 on are not comparable with earlier years. The assessment '
            'rests on illustrative values for 2016–2017 and published values for 2018 and 2021–2023.'
        ),
    ),
    "MVK06": (
        (
            'Andelen av det dödliga våldet mot kvinnor som begicks av en nuvarande eller tidigare partner '
            'minskade från 48,1\xa0% 2016 till 30,3\xa0% 2023. Jämförelsen slutar 2023, eftersom serien har ett '
            'tidsseriebrott 2024 och värdena från och med 2024 inte går att jämföra med tidigare år. '
            'Bedömningen bygger på ett illustrativt värde för 2016 och ett publicerat värde för 2023.'
        ),
        (
            'The share of lethal violence against women committed by a current or former partner fell from '
            '48.1% in 2016 to 30.3% in 2023. The comparison ends in 2023 because the series has a break in '
            '2024 and values from 2024 on are not comparable with earlier years. The assessment rests on an '
            'illustrative value for 2016 and a published value for 2023.'
        ),
    ),
    "MVK07": (
        (
            'Antalet personer som dödades av en nuvarande eller tidigare partner minskade från i genomsnitt '
            '17,7 per år 2016–2018 till 13,0 per år 2021–2023. Jämförelsen slutar 2023, eftersom serien har '
            'ett tidsseriebrott 2024 och värdena från och med 2024 inte går att jämföra med tidigare år. '
            'Bedömningen bygger på ett illustrativt värde för 2016 och publicerade värden för 2017–2018 och '
            '2021–2023.'
        ),
        (
            'The number of people killed by a current or former partner fell from an average of 17.7 a year '
            'in 2016–2018 to 13.0 a year in 2021–2023. The comparison ends in 2023 because the series has a '
            'break in 2024 and values from 2024 on are not comparable with earlier years. The assessment '
            'rests on an illustrative value for 2016 and published values for 2017–2018 and 2021–2023.'
        ),
    ),
    "MVK08": (
        (
            'Utvecklingen av antalet anmälda grova kvinnofridskränkningar bedöms inte: en ökning kan betyda '
            'att fler anmäler brotten eller att polisen registrerar dem annorlunda, inte att våldet har '
            'ökat.'
        ),
        (
            "Changes in the number of reported gross violations of a woman's integrity are not assessed: a "
            'rise can mean that more offences are reported or that the police record them differently, not '
            'that violence has increased.'
        ),
    ),
    "MVK09": (
        (
            'Utvecklingen av antalet anmälda grova kvinnofridskränkningar per 100\xa0000 invånare bedöms inte: '
            'en ökning kan betyda att fler anmäler brotten eller att polisen registrerar dem annorlunda, '
            'inte att våldet har ökat.'
        ),
        (
            "Changes in the number of reported gross violations of a woman's integrity per 100,000 "
            'inhabitants are not assessed: a rise can mean that more offences are reported or that the '
            'police record them differently, not that violence has increased.'
        ),
    ),
    "MVK10": (
        (
            'Utvecklingen av antalet anmälda misshandelsbrott mot kvinnor 18 år och äldre där '
            'gärningspersonen var en nuvarande eller tidigare partner bedöms inte: en ökning kan betyda att '
            'fler anmäler brotten eller att polisen registrerar dem annorlunda, inte att våldet har ökat.'
        ),
        (
            'Changes in the number of reported assaults on women aged 18 and over by a current or former '
            'partner are not assessed: a rise can mean that more offences are reported or that the police '
            'record them differently, not that violence has increased.'
        ),
    ),
    "MVK11": (
        (
            'Utvecklingen av andelen av den anmälda misshandeln mot kvinnor 18 år och äldre som begicks av '
            'en bekant bedöms inte: indikatorn har ingen önskad riktning och redovisas som bakgrund.'
        ),
        (
            'Changes in the share of reported assaults on women aged 18 and over committed by someone they '
            'knew are not assessed: the indicator has no desired direction and is reported as context.'
        ),
    ),
    "MVK12": (
        (
            'Utvecklingen av antalet anmälda fridskränkningsbrott mot kvinnor 18 år och äldre av en '
            'nuvarande eller tidigare partner bedöms inte: en ökning kan betyda att fler anmäler brotten '
            'eller att polisen registrerar dem annorlunda, inte att våldet har ökat.'
        ),
        (
            'Changes in the number of reported violation-of-integrity offences against women aged 18 and '
            'over by a current or former partner are not assessed: a rise can mean that more offences are '
            'reported or that the police record them differently, not that violence has increased.'
        ),
    ),
    "MVK13": (
        (
            'Personuppklaringen för grov kvinnofridskränkning ökade från 34\xa0% 2016 till 39\xa0% 2024. '
            'Bedömningen bygger på illustrativa värden, inte officiell statistik.'
        ),
        (
            "The person-based clearance rate for gross violation of a woman's integrity rose from 34% in "
            '2016 to 39% in 2024. The assessment rests on illustrative values, not official statistics.'
        ),
    ),
    "MVK14": (
        (
            'Personuppklaringen för misshandel i nära relation ökade från 17\xa0% 2016 till 21\xa0% 2024. '
            'Bedömningen bygger på illustrativa värden, inte officiell statistik.'
        ),
        (
            'The person-based clearance rate for assault in a close relationship rose from 17% in 2016 to '
            '21% in 2024. The assessment rests on illustrative values, not official statistics.'
        ),
    ),
    "MVK15": (
        (
            'Antalet lagförda för grov kvinnofridskränkning per 100 anmälda brott ökade från 22 år 2016 till '
            '26 år 2024. Bedömningen bygger på illustrativa värden, inte officiell statistik.'
        ),
        (
            "The number of persons found guilty of gross violation of a woman's integrity per 100 reported "
            'offences rose from 22 in 2016 to 26 in 2024. The assessment rests on illustrative values, not '
            'official statistics.'
        ),
    ),
    "MVK17": (
        (
            'Utvecklingen av antalet anmälda överträdelser av kontaktförbud bedöms inte: en ökning kan '
            'betyda att fler anmäler brotten eller att polisen registrerar dem annorlunda, inte att våldet '
            'har ökat.'
        ),
        (
            'Changes in the number of reported breaches of contact bans are not assessed: a rise can mean '
            'that more offences are reported or that the police record them differently, not that violence '
            'has increased.'
        ),
    ),
    "MVK18": (
        (
            'Andelen av Kriminalvårdens klienter som återföll i brott inom tre år minskade från 30\xa0% 2016 '
            'till 28\xa0% 2021. Bedömningen bygger på ett publicerat värde för 2016 och ett illustrativt värde '
            'för 2021.'
        ),
        (
            'The share of Prison and Probation Service clients reconvicted within three years fell from 30% '
            'in 2016 to 28% in 2021. The assessment rests on a published value for 2016 and an illustrative '
            'value for 2021.'
        ),
    ),
    "MVK19": (
        (
            'Andelen klienter med behov av ett behandlingsprogram som fullföljde ett program minskade från '
            '22\xa0% 2016 till 18\xa0% 2024. Bedömningen bygger på illustrativa värden, inte officiell statistik.'
        ),
        (
            'The share of clients needing a treatment programme who completed one fell from 22% in 2016 to '
            '18% in 2024. The assessment rests on illustrative values, not official statistics.'
        ),
    ),
    "MVK20": (
        (
            'Andelen gravida kvinnor som tillfrågades om våld i mödrahälsovården ökade från 80\xa0% 2016 till '
            '96\xa0% 2024. Bedömningen bygger på illustrativa värden för 2016 och 2024; publicerade värden '
            'finns för 2019–2021.'
        ),
        (
            'The share of pregnant women asked about violence in maternity care rose from 80% in 2016 to 96% '
            'in 2024. The assessment rests on illustrative values for 2016 and 2024; published values exist '
            'for 2019–2021.'
        ),
    ),
    "MVK21": (
        (
            'Andelen kommuner som erbjuder stödsamtal till våldsutövare ökade från 50\xa0% 2017 till 77\xa0% 2023. '
            'Jämförelsen slutar 2023, eftersom serien har ett tidsseriebrott 2024 och värdena från och med '
            '2024 inte går att jämföra med tidigare år. Bedömningen bygger på illustrativa värden, inte '
            'officiell statistik.'
        ),
        (
            'The share of municipalities offering support talks to perpetrators rose from 50% in 2017 to 77% '
            'in 2023. The comparison ends in 2023 because the series has a break in 2024 and values from '
            '2024 on are not comparable with earlier years. The assessment rests on illustrative values, not '
            'official statistics.'
        ),
    ),
    "MVK22": (
        (
            'Andelen kommuner med rutiner för skolgång för barn i skyddat boende ökade från 12\xa0% 2017 till '
            '27\xa0% 2023. Jämförelsen slutar 2023, eftersom serien har ett tidsseriebrott 2024 och värdena '
            'från och med 2024 inte går att jämföra med tidigare år. Bedömningen bygger på illustrativa '
            'värden för 2017 och 2023; publicerade värden finns för 2018–2020.'
        ),
        (
            'The share of municipalities with routines for the schooling of children in protected housing '
            'rose from 12% in 2017 to 27% in 2023. The comparison ends in 2023 because the series has a '
            'break in 2024 and values from 2024 on are not comparable with earlier years. The assessment '
            'rests on illustrative values for 2017 and 2023; published values exist for 2018–2020.'
        ),
    ),
    "MVK23": (
        (
            'Andelen kommuner som systematiskt följer upp insatserna för våldsutsatta ökade från 8\xa0% 2017 '
            'till 16\xa0% 2023. Jämförelsen slutar 2023, eftersom serien har ett tidsseriebrott 2024 och '
            'värdena från och med 2024 inte går att jämföra med tidigare år. Bedömningen bygger på '
            'illustrativa värden, inte officiell statistik.'
        ),
        (
            'The share of municipalities that systematically follow up support for victims rose from 8% in '
            '2017 to 16% in 2023. The comparison ends in 2023 because the series has a break in 2024 and '
            'values from 2024 on are not comparable with earlier years. The assessment rests on illustrative '
            'values, not official statistics.'
        ),
    ),
    "MVK24": (
        (
            'Andelen kommuner med en överenskommelse med polisen om samverkan i enskilda ärenden ökade från '
            '18\xa0% 2017 till 27\xa0% 2023. Jämförelsen slutar 2023, eftersom serien har ett tidsseriebrott 2024 '
            'och värdena från och med 2024 inte går att jämföra med tidigare år. Bedömningen bygger på '
            'illustrativa värden, inte officiell statistik.'
        ),
        (
            'The share of municipalities with an agreement with the police on cooperation in individual '
            'cases rose from 18% in 2017 to 27% in 2023. The comparison ends in 2023 because the series has '
            'a break in 2024 and values from 2024 on are not comparable with earlier years. The assessment '
            'rests on illustrative values, not official statistics.'
        ),
    ),
    "MVK25": (
        (
            'Andelen personer 16–84 år som utsattes för fysiskt våld eller hot om våld minskade från 7,5\xa0% '
            '2016 till 6,3\xa0% 2024. Bedömningen bygger på illustrativa värden för 2016 och 2024; ett '
            'publicerat värde finns för 2020.'
        ),
        (
            'The share of people aged 16–84 exposed to physical violence or threats of violence fell from '
            '7.5% in 2016 to 6.3% in 2024. The assessment rests on illustrative values for 2016 and 2024; a '
            'published value exists for 2020.'
        ),
    ),
    "MVK27": (
        (
            'Andelen av åtgärdsprogrammets åtgärder som är genomförda kan inte bedömas ännu: från 2025 finns '
            'bara ett värde, och det behövs minst tre.'
        ),
        (
            "The share of the action programme's measures that have been completed cannot be assessed yet: "
            'there is only one value from 2025 on, and at least three are needed.'
        ),
    ),
}


def _main_rows(warehouse) -> dict[str, dict]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("select * from indicators.assessment").df().to_dict("records")
    finally:
        con.close()
    out = {}
    for spec in load_catalogue().values():
        if spec.is_development:
            continue
        key = "; ".join(f"{k}={v}" for k, v in sorted(spec.main_codes.items()) if k != "statistic")
        out[spec.id] = next(r for r in rows if r["indicator_id"] == spec.id and r["breakdown"] == key)
    return out


@pytest.fixture(scope="module")
def shipped(built_in_process):
    out = built_in_process / "out"
    return out, _main_rows(out / "warehouse" / "warehouse.duckdb")


def test_the_table_covers_every_computed_indicator():
    computed = {i for i, spec in load_catalogue().items() if not spec.is_development}
    assert set(EXPECTED) == computed


@pytest.mark.parametrize("indicator_id", sorted(EXPECTED))
def test_expected_sentences_on_the_shipped_data(shipped, indicator_id):
    _, rows = shipped
    sv, en = EXPECTED[indicator_id]
    assert (rows[indicator_id]["summary_sv"], rows[indicator_id]["summary_en"]) == (sv, en)


def test_no_verb_of_change_beside_no_clear_change(shipped):
    _, rows = shipped
    for row in rows.values():
        if row["progress"] == "no_clear_change":
            assert not re.search(r"\b(ökade|minskade)\b", row["summary_sv"]), row["summary_sv"]
            assert not re.search(r"\b(rose|fell)\b", row["summary_en"]), row["summary_en"]


# ------------------------------------------------------------- an illustrative verdict is marked
def test_mvk06_verdict_rests_on_a_generated_baseline_and_is_marked_everywhere(shipped):
    out, rows = shipped
    mvk06 = rows["MVK06"]
    assert bool(mvk06["illustrative"]) and 2016 in list(mvk06["illustrative_years"])
    assert "ett illustrativt värde för 2016" in mvk06["summary_sv"]

    site = out / "site"
    doc = json.loads((site / "data" / "indicators.json").read_text(encoding="utf-8"))
    judged = {item["id"]: item.get("assessment") for item in doc["indicators"]}
    assert judged["MVK06"]["illustrative"] is True and 2016 in judged["MVK06"]["illustrative_years"]
    assert judged["MVK01"]["illustrative"] is False          # rests on two published values

    for lang, name in (("sv", "mvk-indikatorer.xlsx"), ("en", "mvk-indicators-en.xlsx")):
        ws = load_workbook(site / "data" / name).worksheets[1]
        texts = {row[0].value: row[-1].value for row in ws.iter_rows(min_row=5) if row[0].value}
        assert texts["MVK06"].endswith(" [ill.]"), lang
        assert not texts["MVK01"].endswith("[ill.]"), lang

    for prefix in ("", "en/"):
        index = (site / f"{prefix}index.html").read_text(encoding="utf-8")
        # The overview's tile for each indicator: its verdict line carries the mark when the verdict does.
        tile = re.search(r'<li class="tile">\s*<h3 class="tile-title"><a href="indicators/MVK06\.html">.*?</li>',
                         index, re.S).group(0)
        assert "[ill.]</abbr>" in tile.split("tile-verdict")[1]
        tile01 = re.search(r'<li class="tile">\s*<h3 class="tile-title"><a href="indicators/MVK01\.html">.*?</li>',
                           index, re.S).group(0)
        assert "[ill.]" not in tile01.split("tile-verdict")[1]
        page = (site / f"{prefix}indicators/MVK06.html").read_text(encoding="utf-8")
        box = re.search(r'<div class="assessment .*?</div>', page, re.S).group(0)
        assert "illustrative" in box and "[ill.]</abbr>" in box
