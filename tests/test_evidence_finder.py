"""The evidence finder on pages written here: the page an analyst needs comes first, with the right status.

The pages imitate annual reports: a measure named by id, by the assignment's reference number, or only
described in inflected Swedish; pages that share the programme's common words without being about the
measure; negated status phrases.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from indicators.evidence.finder import COLUMNS, find_candidates, make_excerpt, reference_key, split_sentences
from indicators.evidence.status_words import (
    find_status_words,
    load_vocabulary,
    parse_vocabulary,
    suggest_status,
)

PAGES = [
    ("lst", "lansstyrelserna", 1,
     "Länsstyrelsernas arbete mot mäns våld mot kvinnor\n"
     "Under året har myndighetens arbete mot våld i nära relationer fortsatt. Arbetet med regional "
     "samordning pågår i alla län, och myndigheten har arbetat med stöd till kommunerna."),
    ("lst", "lansstyrelserna", 2,
     "Åtgärd A012\nUnder 2025 byggdes de regionala resurscentrumen mot hedersrelaterat våld upp i fyra "
     "län. Arbetet pågår och fortsätter under 2026."),
    ("lst", "lansstyrelserna", 3,
     "Bilagor\nRapporten finns i A4-format på webbplatsen. Åtgärd 34 i länets egen handlingsplan har "
     "slutförts."),
    ("soc", "socialstyrelsen", 1,
     "Socialstyrelsen har under året gett stöd till kommunerna i arbetet med våldsutsatta och deras barn."),
    ("soc", "socialstyrelsen", 2,
     "Skyddat boende\nUppföljningen av den nya regleringen av skyddade boenden slutredovisades i oktober "
     "2025. Rapporten visar att kommunerna har anpassat sina rutiner."),
    ("pol", "polisen", 1,
     "Riskbedömningar\nUppdraget att införa strukturerade riskbedömningar (Ju 2024/777) har inte "
     "genomförts fullt ut. Arbetet har påbörjats i tre regioner."),
    ("pol", "polisen", 2,
     "Polisen har bidragit till uppföljningen av den nya regleringen av skyddade boenden."),
    ("krim", "kriminalvarden", 1,
     "Kriminalvårdens behandlingsprogram\nUtvärderingen av behandlingsprogrammet Predov har ännu inte "
     "påbörjats, men den planeras till 2026."),
    ("bra", "bra", 1,
     "Brås utvärdering av de ändrade reglerna om kontaktförbud har avslutats i förtid och ersatts av en "
     "bredare studie."),
    ("bra", "bra", 2,
     "Antalet beslut om kontaktförbud ökade under året, liksom antalet anmälda brott."),
    ("bra", "bra", 3, None),   # withheld: it held a personal identity number
]

MEASURES = [
    ("A004", "Åtgärder mot ekonomiskt våld", None, ["regeringskansliet"]),
    ("A012", "Regionala resurscentrum mot hedersrelaterat våld och förtryck", "Ju2024/01234",
     ["lansstyrelserna", "polisen"]),
    ("A022", "Följa upp den nya regleringen av skyddat boende", "S2024/03456", ["socialstyrelsen"]),
    ("A034", "Förebyggande insatser mot barnäktenskap och tvångsäktenskap", None, ["lansstyrelserna"]),
    ("A051", "Utvärdering av behandlingsprogrammet Predov", None, ["kriminalvarden"]),
    ("A054", "Strukturerade riskbedömningar av våldsutövare i alla polisregioner", "Ju2024/00777", ["polisen"]),
    ("A117", "Utvärdering av de ändrade reglerna om kontaktförbud", None, ["bra"]),
]


def frames(pages=PAGES, measures=MEASURES) -> tuple[pd.DataFrame, pd.DataFrame]:
    page_frame = pd.DataFrame(
        [(sha, agency, 2025, page, text, True) for sha, agency, page, text in pages],
        columns=["document_sha256", "agency_id", "year", "page", "text", "illustrative"])
    measure_frame = pd.DataFrame(measures, columns=["measure_id", "title_sv", "reference", "agencies"])
    return page_frame, measure_frame


@pytest.fixture(scope="module")
def candidates() -> pd.DataFrame:
    return find_candidates(*frames())


def best(candidates: pd.DataFrame, measure: str) -> pd.Series:
    rows = candidates[candidates["measure_id"] == measure].sort_values("rank")
    assert len(rows), f"no candidate for {measure}"
    return rows.iloc[0]


def test_columns_are_the_warehouse_table(candidates):
    assert list(candidates.columns) == COLUMNS
    for _, rows in candidates.groupby("measure_id"):
        assert list(rows["rank"]) == list(range(1, len(rows) + 1))
        assert rows["score"].iloc[0] == rows["score"].max()
    assert candidates["illustrative"].all() and (candidates["excerpt"].str.len() <= 400).all()


def test_each_agencys_best_page_before_a_second_page_of_one_report():
    pages = [
        ("pol", "polisen", 1, "Åtgärd A054: strukturerade riskbedömningar av våldsutövare i alla "
                              "polisregioner. Arbetet pågår."),
        ("pol", "polisen", 2, "Åtgärd A054 omfattar strukturerade riskbedömningar i polisregionerna. "
                              "Arbetet fortsätter."),
        ("soc", "socialstyrelsen", 1, "Socialstyrelsen bidrar till åtgärd A054 med utbildning. Arbetet pågår."),
    ]
    measures = [("A054", "Strukturerade riskbedömningar av våldsutövare i alla polisregioner", None,
                 ["polisen", "socialstyrelsen"])]
    rows = find_candidates(*frames(pages=pages, measures=measures))
    assert list(zip(rows.document_sha256, rows.page, strict=True)) == [("pol", 1), ("soc", 1), ("pol", 2)]
    assert rows.score.iloc[1] < rows.score.iloc[2], "the second report's page is promoted, not better scored"


def test_status_a_few_sentences_after_a_heading():
    text = ("Operativ samverkan (åtgärd A013)\nMyndigheterna fick 2024 ett gemensamt uppdrag. Uppdraget har "
            "tre delar. Del 1 gäller metoder. Myndigheterna har gått igenom metoder för riskbedömning. "
            "Arbetet med denna del pågår i tre regioner.")
    measures = [("A013", "Operativ samverkan med socialtjänst och hälso- och sjukvård", None, ["polisen"])]
    top = best(find_candidates(*frames(pages=[("pol", "polisen", 9, text)], measures=measures)), "A013")
    assert (top.suggested_status, top.status_words) == ("pagaende", "pågår")


def test_measure_id_mention_ranks_first_with_its_status(candidates):
    top = best(candidates, "A012")
    assert (top.document_sha256, top.page, top.match_kind) == ("lst", 2, "measure_id")
    assert "A012" in top.excerpt and "resurscentrumen" in top.excerpt
    assert top.suggested_status == "pagaende" and top.status_words == "pågår, fortsätter"
    # the page that only shares the programme's common words, if listed at all, comes later
    others = candidates[(candidates.measure_id == "A012") & (candidates.page != 2)]
    assert (others["score"] < top.score).all()


def test_reference_number_in_another_spelling_and_a_negated_phrase(candidates):
    top = best(candidates, "A054")
    assert (top.document_sha256, top.page, top.match_kind) == ("pol", 1, "reference")
    assert "Ju 2024/777" in top.excerpt
    # "har inte genomförts" is not completion; the next sentence says work has started
    assert top.suggested_status == "pagaende" and top.status_words == "har påbörjats"


def test_title_paraphrase_in_inflected_swedish(candidates):
    top = best(candidates, "A022")
    assert (top.document_sha256, top.page, top.match_kind) == ("soc", 2, "title")
    assert "regleringen av skyddade boenden" in top.excerpt
    assert top.suggested_status == "genomford" and top.status_words == "slutredovisades"


def test_another_agencys_page_ranks_below_the_responsible_agency(candidates):
    rows = candidates[candidates.measure_id == "A022"].set_index(["document_sha256", "page"])
    assert ("pol", 2) in rows.index, "a page of another agency about the measure is still shown"
    assert rows.loc[("pol", 2), "rank"] > rows.loc[("soc", 2), "rank"]


def test_not_started_and_discontinued(candidates):
    a051, a117 = best(candidates, "A051"), best(candidates, "A117")
    assert (a051.document_sha256, a051.page, a051.suggested_status) == ("krim", 1, "ej_paborjad")
    assert a051.status_words == "har ännu inte påbörjats, planeras"
    assert (a117.document_sha256, a117.page, a117.suggested_status) == ("bra", 1, "utgatt")
    assert a117.status_words == "har avslutats i förtid, ersatts av"


def test_common_words_alone_are_no_evidence(candidates):
    # "kontaktförbud" alone (bra page 2) is not the evaluation of the rules; "A4" is a paper size,
    # not measure A004; a withheld page is never read
    assert not ((candidates.measure_id == "A117") & (candidates.page == 2)).any()
    assert "A004" not in set(candidates.measure_id)
    assert not ((candidates.document_sha256 == "bra") & (candidates.page == 3)).any()


def test_loose_measure_number_is_a_weaker_candidate(candidates):
    """ "Åtgärd 34" may be the document's own numbering: shown, but below an exact id (0.7 < 1.0)."""
    row = best(candidates, "A034")
    assert (row.document_sha256, row.page, row.match_kind) == ("lst", 3, "measure_id")
    assert row.score < 0.9 and row.suggested_status == "genomford"


def test_same_input_same_output_and_ties_by_document_then_page():
    pages, measures = frames()
    first = find_candidates(pages, measures)
    shuffled = find_candidates(pages.sample(frac=1, random_state=7).reset_index(drop=True),
                               measures.iloc[::-1].reset_index(drop=True))
    pd.testing.assert_frame_equal(first, shuffled)
    assert list(first.measure_id) == sorted(first.measure_id)
    twin = PAGES + [("aaa-copy", "kriminalvarden", 4, PAGES[7][3]), ("krim", "kriminalvarden", 9, PAGES[7][3])]
    rows = find_candidates(*frames(pages=twin))
    a051 = rows[rows.measure_id == "A051"].sort_values("rank")
    assert list(zip(a051.document_sha256, a051.page, strict=True))[:3] == [("aaa-copy", 4), ("krim", 1), ("krim", 9)]
    assert a051["score"].nunique() == 1


def test_excerpt_is_short_and_never_cuts_a_word():
    filler = " ".join(f"Mening nummer {i} handlar om länets arbete med samverkan och utbildning." for i in range(30))
    text = filler + " Inom åtgärd A012 har resurscentrumen öppnat och arbetet pågår. " + filler
    pages, measures = frames(pages=[("lst", "lansstyrelserna", 1, text)])
    top = best(find_candidates(pages, measures), "A012")
    assert len(top.excerpt) <= 400 and "A012" in top.excerpt and top.suggested_status == "pagaende"
    page_words = set(re.findall(r"\w+", text))
    assert set(re.findall(r"\w+", top.excerpt)) <= page_words
    assert "  " not in top.excerpt


def test_make_excerpt_cuts_at_word_boundaries():
    text = " ".join(["ordet"] * 200) + " MITTEN " + " ".join(["slutet"] * 200)
    focus = (text.index("MITTEN"), text.index("MITTEN") + 6)
    excerpt = make_excerpt(text, 0, len(text), focus, limit=100)
    assert len(excerpt) <= 100 and "MITTEN" in excerpt
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert set(excerpt.strip("…").split()) <= {"ordet", "MITTEN", "slutet"}


def test_reference_numbers_compare_as_values():
    assert reference_key("Ju2024/01234") == reference_key("Ju 2024/1234") == reference_key("JU2024/01234/PO")
    assert reference_key("Ju2024/01234") != reference_key("S2024/01234")
    assert reference_key(None) is None


def test_headings_and_table_rows_are_sentences():
    text, starts = split_sentences("Åtgärd A012\nArbetet pågår. Det fortsätter\n2026 enligt plan.\n\nA013 Klar")
    sentences = [text[s:e - 1 if i + 1 < len(starts) else None]
                 for i, (s, e) in enumerate(zip(starts, [*starts[1:], len(text) + 1], strict=True))]
    assert sentences[0] == "Åtgärd A012" and sentences[-1] == "A013 Klar"


@pytest.mark.parametrize(("text", "status", "words"), [
    ("Uppdraget har nu genomförts.", "genomford", "har nu genomförts"),
    ("Uppdraget har inte genomförts.", "okand", ""),
    ("Uppdraget är inte slutredovisat.", "okand", ""),
    ("Arbetet pågår inte längre.", "okand", ""),
    ("Arbetet pågår, inte minst i Malmö.", "pagaende", "pågår"),
    ("Arbetet har ännu inte påbörjats.", "ej_paborjad", "har ännu inte påbörjats"),
    ("Förslaget bereds i Regeringskansliet.", "under_beredning", "bereds"),
    ("Uppdraget har avslutats i förtid.", "utgatt", "har avslutats i förtid"),
    ("Ingenting sägs om läget.", "okand", ""),
    ("Myndigheten kommer att fortsätta arbetet.", "pagaende", "kommer att fortsätta"),
    ("Uppdraget kommer att slutredovisas i mars 2026.", "okand", ""),   # a deadline, not "not started"
])
def test_status_words(text, status, words):
    found, hits = suggest_status(text, (0, 8))
    assert (found, ", ".join(h.words for h in hits)) == (status, words)


def test_nearest_phrase_wins():
    text = "Åtgärd A001 har slutförts. Åtgärd A002 pågår."
    assert suggest_status(text, (text.index("A002"), text.index("A002") + 4),
                          sentence_starts=(0, text.index("Åtgärd A002")))[0] == "pagaende"
    assert suggest_status(text, (7, 11), sentence_starts=(0, text.index("Åtgärd A002")))[0] == "genomford"


def test_vocabulary_covers_the_taxonomy_and_refuses_unknown_codes():
    vocabulary = load_vocabulary()
    codes = {code for _, code in vocabulary.phrases} - {None}   # None: neutral phrases
    assert codes == {"genomford", "pagaende", "ej_paborjad", "under_beredning", "utgatt"}
    assert [h.status for h in find_status_words("slutredovisades, fortsätter, planeras, utreds, utgått")] == [
        "genomford", "pagaende", "ej_paborjad", "under_beredning", "utgatt"]
    with pytest.raises(ValueError, match=r"words\.yaml: statuses\.klar"):
        parse_vocabulary({"statuses": {"klar": ["är klar"]}}, file="words.yaml")


def test_each_report_year_has_its_own_ranking():
    """A review covers one year: last year's report must not push this year's pages out of the five."""
    pages, measures = frames(pages=[PAGES[1]])
    older = pages.assign(document_sha256="lst-2024", year=2024)
    rows = find_candidates(pd.concat([older, pages], ignore_index=True), measures)
    a012 = rows[rows.measure_id == "A012"]
    assert list(zip(a012.document_sha256, a012["rank"], strict=True)) == [("lst-2024", 1), ("lst", 1)]


def test_excerpt_keeps_a_mention_in_brackets():
    filler = " ".join(f"Mening {i} om länets arbete med samverkan." for i in range(40))
    text = f"{filler} Uppdraget (Ju2024/01234) pågår. {filler}"
    at = text.index("Ju2024")
    for lead, width in ((0, 12), (120, 12), (700, 12), (700, 450)):   # the focus near, far, wider than 400
        excerpt = make_excerpt(text, at - lead, len(text), (at, at + width))
        assert "Ju2024/01234" in excerpt and len(excerpt) <= 400
