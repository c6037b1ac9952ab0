"""Reading filled templates and CSV submissions: every validation rule, identity numbers, routing."""

from __future__ import annotations

import importlib.util
import io
import pickle
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment

from indicators.programme.identity_numbers import (
    PERSONNUMMER,
    SAMORDNINGSNUMMER,
    find_identity_numbers,
    luhn_ok,
    mask_identity_numbers,
)
from indicators.programme.register import load_register
from indicators.programme.submission import Submission, is_submission, read_submission
from indicators.programme.template import template_bytes
from indicators.readers.model import ReaderError

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "programme"


def _load_helpers():
    spec = importlib.util.spec_from_file_location("programme_helpers", FIXTURES / "helpers.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


helpers = _load_helpers()
TODAY = helpers.TODAY
# Skatteverket's own example number (811218-9876, SKV 704) and coordination numbers made from it.
PNR_10 = "811218-9876"
PNR_12 = "19811218-9876"


def with_check(nine: str) -> str:
    """Nine digits YYMMDDNNN plus the Luhn check digit that makes them a valid number."""
    return next(nine + str(d) for d in range(10) if luhn_ok(nine + str(d)))


SNR_10 = with_check("811278987")  # 28 December 1981 + 60
SNR_12 = "19" + SNR_10[:6] + "-" + SNR_10[6:]


@pytest.fixture(scope="module")
def tiny():
    return helpers.tiny_register()


@pytest.fixture(scope="module")
def filled(tiny) -> bytes:
    return helpers.fill_template(template_bytes(tiny, "polisen", 2025), helpers.TINY_ANSWERS)


@pytest.fixture(scope="module")
def csv_text(tiny) -> str:
    return (FIXTURES / "tiny_submission.csv").read_text(encoding="utf-8")


def read(data: bytes, register, *, file: str = "inlamning.xlsx", today: date = TODAY) -> Submission:
    return read_submission(data, file=file, register=register, today=today)


def error_of(data: bytes, register, *, file: str = "inlamning.xlsx", today: date = TODAY) -> ReaderError:
    with pytest.raises(ReaderError) as caught:
        read(data, register, file=file, today=today)
    return caught.value


def assert_names_place(error: ReaderError, key: str, location: str) -> None:
    assert (error.key, error.location) == (key, location), error
    sv, en = error.message("sv"), error.message("en")
    assert sv != en
    sv_location = location.replace("line ", "rad ").replace("column ", "kolumn ")
    assert sv_location in sv and location in en
    assert error.file in sv and error.file in en
    assert error.found in sv and error.found in en
    for text in (sv, en):
        assert "{" not in text  # every placeholder filled


# --- identity numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "masked"), [
    (PNR_10, "811218-****"),
    (PNR_12, "19811218-****"),
    ("198112189876", "19811218-****"),
    ("8112189876", "811218-****"),
    ("811218+9876", "811218+****"),       # aged 100 or more
    ("811218\u20139876", "811218-****"),  # an en dash typed by a word processor
])
def test_personnummer_forms_are_found(text, masked) -> None:
    [match] = find_identity_numbers(text)
    assert (match.start, match.end, match.masked, match.kind) == (0, len(text), masked, PERSONNUMMER)


def test_coordination_numbers_are_found() -> None:
    [match] = find_identity_numbers(f"Samordningsnummer {SNR_10} finns.")
    assert match.kind == SAMORDNINGSNUMMER and match.masked == "811278-****"
    [match] = find_identity_numbers(SNR_12)
    assert match.kind == SAMORDNINGSNUMMER and match.masked == "19811278-****"
    assert find_identity_numbers(with_check("811292987")) == []  # day 92 − 60 = 32: no date


def test_wrong_check_digit_or_no_date_is_not_an_identity_number() -> None:
    assert find_identity_numbers("811218-9877") == []
    assert find_identity_numbers("19811218-9875") == []
    assert find_identity_numbers(with_check("811318987")) == []      # month 13
    assert find_identity_numbers(with_check("811200987")) == []      # day 0
    assert find_identity_numbers("17" + with_check("811218987")) == []  # 12 digits, year 1781
    assert len(find_identity_numbers(with_check("000229123"))) == 1  # 29 Feb 2000
    assert find_identity_numbers(with_check("010229123")) == []      # no 29 Feb in 1801, 1901 or 2001


@pytest.mark.parametrize("text", [
    "Ring 070-123 45 67 eller 08-123 456 78.",
    "Ärendet Ä 2024-1234 och dnr 2023/04567 avslutades 2024-01-15.",
    "Kostnaden var 1 250 000 kr (1250000 kronor).",
    f"Jämställdhetsmyndigheten, organisationsnummer {with_check('202100677')[:6]}-{with_check('202100677')[6:]}.",
    "IBAN SE45 5000 0000 0583 9825 7466",
    "1" + PNR_12.replace("-", ""),       # 13 digits: part of a longer number
    PNR_10.replace("-", "") + "12",      # 12 digits that are not YYYYMMDDNNNC
    "Telefon 0701234567.",
])
def test_ordinary_numbers_are_not_flagged(text) -> None:
    assert find_identity_numbers(text) == []


def test_numbers_embedded_in_text_and_masking() -> None:
    text = f"Kvinnan ({PNR_12}) och barnet, snr {SNR_10}, flyttade."
    matches = find_identity_numbers(text)
    assert [text[m.start:m.end] for m in matches] == [PNR_12, SNR_10]
    assert [m.kind for m in matches] == [PERSONNUMMER, SAMORDNINGSNUMMER]
    masked = mask_identity_numbers(text)
    assert masked == "Kvinnan (19811218-****) och barnet, snr 811278-****, flyttade."
    assert mask_identity_numbers("inget här") == "inget här"
    assert find_identity_numbers("") == []


def _assert_number_absent(error: ReaderError, *numbers: str) -> None:
    texts = [error.key, error.file, error.location, error.found, error.expected, str(error), repr(error),
             error.message("sv"), error.message("en"), str(error.args)]
    blob = pickle.dumps(error)
    for number in numbers:
        digits = number.replace("-", "").replace("+", "")
        for form in {number, digits, digits[-10:], number[-11:]}:
            for text in texts:
                assert form not in text
                assert form not in text.replace("-", "")
            assert form.encode() not in blob


# --- identity numbers in submissions --------------------------------------------------------------


def test_personnummer_in_a_narrative_rejects_the_file_and_is_never_echoed(tiny, filled) -> None:
    data = helpers.edit(filled, {"Åtgärder!N6": f"Illustrativt exempel – kontakt med {PNR_12} i mars."})
    error = error_of(data, tiny)
    assert_names_place(error, "programme.identity_number", "Åtgärder!N6")
    assert error.found == "19811218-****"
    assert "personnummer (19811218-****)" in error.message("sv")
    assert "personal identity number (19811218-****)" in error.message("en")
    _assert_number_absent(error, PNR_12)
    assert pickle.loads(pickle.dumps(error)).message("en") == error.message("en")


def test_coordination_number_in_an_obstacle(tiny, filled) -> None:
    error = error_of(helpers.edit(filled, {"Samverkan!C6": f"Personen med snr {SNR_10} fick inget stöd."}), tiny)
    assert_names_place(error, "programme.coordination_number", "Samverkan!C6")
    assert error.found == "811278-****"
    _assert_number_absent(error, SNR_10)


@pytest.mark.parametrize(("cell", "value"), [
    ("Åtgärder!M7", "Beslut 2025-03-01 avseende 8112189876"),
    ("Nyckeltal!D6", 8112189876),                   # typed as a number
    ("Samverkan!D9", f"Kontakta {PNR_10} direkt"),
])
def test_identity_number_in_any_answer_cell(tiny, filled, cell, value) -> None:
    error = error_of(helpers.edit(filled, {cell: value}), tiny)
    assert (error.key, error.location, error.found) == ("programme.identity_number", cell, "811218-****")
    _assert_number_absent(error, PNR_10)


def test_identity_number_wins_over_other_errors_and_is_masked_in_the_file_name(tiny, filled) -> None:
    data = helpers.edit(filled, {"Åtgärder!A6": "A999", "Samverkan!C20": PNR_12})
    error = error_of(data, tiny, file=f"rapport_{PNR_10}.xlsx")
    assert error.key == "programme.identity_number" and error.location == "Samverkan!C20"
    assert error.file == "rapport_811218-****.xlsx"
    _assert_number_absent(error, PNR_10, PNR_12)


def test_identity_number_in_a_comment_or_a_plain_workbook(tiny, filled) -> None:
    wb = load_workbook(io.BytesIO(filled))
    wb["Åtgärder"]["B6"].comment = Comment(f"Gäller {PNR_12}", "handläggare")
    error = error_of(helpers.save(wb), tiny)
    assert (error.key, error.location) == ("programme.identity_number", "Åtgärder!B6")
    wb = Workbook()
    wb.active["C3"] = PNR_10
    error = error_of(helpers.save(wb), tiny)
    assert (error.key, error.location) == ("programme.identity_number", "Sheet!C3")


def test_identity_number_in_csv_names_line_and_column(tiny, csv_text) -> None:
    lines = csv_text.splitlines()
    lines[2] = lines[2].replace("lägesbilden levererades", f"lägesbilden levererades till {PNR_12}")
    error = error_of("\n".join(lines).encode(), tiny, file="polisen.csv")
    assert_names_place(error, "programme.identity_number", 'line 3, column "beskrivning"')
    assert 'rad 3, kolumn "beskrivning"' in error.message("sv")
    _assert_number_absent(error, PNR_12)
    # a line the CSV parser would refuse (an unclosed quote) is never echoed either
    lines = csv_text.splitlines()
    lines.append(f'Polismyndigheten;2025;samverkan;;;;;;;;ovrigt;"{SNR_12} ;x')
    error = error_of("\n".join(lines).encode("cp1252"), tiny, file="polisen.csv")
    assert error.key == "programme.coordination_number" and error.location == 'line 9, column "hinder"'
    _assert_number_absent(error, SNR_12)


# --- the rules, XLSX --------------------------------------------------------------------------------


XLSX_CASES = [
    ("unknown measure", {"Åtgärder!A6": "A999"}, "programme.unknown_measure", "Åtgärder!A6"),
    ("measure of another agency", {"Åtgärder!A6": "A004"}, "programme.measure_not_assigned", "Åtgärder!A6"),
    ("measure twice", {"Åtgärder!A7": "A001"}, "programme.duplicate_measure", "Åtgärder!A7"),
    ("no status", {"Åtgärder!E7": None}, "programme.missing_status", "Åtgärder!E7"),
    ("invalid status", {"Åtgärder!E6": "Klar"}, "programme.invalid_status", "Åtgärder!E6"),
    ("not a date", {"Åtgärder!F6": "snart"}, "programme.invalid_date", "Åtgärder!F6"),
    ("impossible date", {"Åtgärder!F6": "2025-02-30"}, "programme.invalid_date", "Åtgärder!F6"),
    ("before the programme", {"Åtgärder!F6": date(2023, 12, 31)}, "programme.date_out_of_range", "Åtgärder!F6"),
    ("after the report year", {"Åtgärder!F6": date(2026, 1, 2)}, "programme.date_out_of_range", "Åtgärder!F6"),
    ("perspective not ja/nej", {"Åtgärder!G6": "kanske"}, "programme.invalid_choice", "Åtgärder!G6"),
    ("completed without narrative", {"Åtgärder!N7": None}, "programme.missing_narrative", "Åtgärder!N7"),
    ("discontinued without narrative", {"Åtgärder!E6": "Utgått/ersatt", "Åtgärder!N6": None},
     "programme.missing_narrative", "Åtgärder!N6"),
    ("unknown key figure", {"Nyckeltal!A6": "okant_tal"}, "programme.unknown_key_figure", "Nyckeltal!A6"),
    ("key figure of another agency", {"Nyckeltal!A6": "skolverket_huvudman"}, "programme.key_figure_not_assigned",
     "Nyckeltal!A6"),
    ("key figure twice", {"Nyckeltal!A7": "polisen_hogrisk"}, "programme.duplicate_key_figure", "Nyckeltal!A7"),
    ("negative key figure", {"Nyckeltal!D6": -1}, "programme.bad_key_figure", "Nyckeltal!D6"),
    ("fractional key figure", {"Nyckeltal!D6": 2.5}, "programme.bad_key_figure", "Nyckeltal!D6"),
    ("key figure in words", {"Nyckeltal!D6": "tolv"}, "programme.bad_key_figure", "Nyckeltal!D6"),
    ("key figure with unit", {"Nyckeltal!D7": "12 st"}, "programme.bad_key_figure", "Nyckeltal!D7"),
    ("key figure as a marker", {"Nyckeltal!D7": ".."}, "programme.bad_key_figure", "Nyckeltal!D7"),
    ("unknown obstacle category", {"Samverkan!A6": "okand"}, "programme.unknown_category", "Samverkan!A6"),
    ("obstacle without solution", {"Samverkan!D6": None}, "programme.missing_solution", "Samverkan!D6"),
    ("solution without obstacle", {"Samverkan!C7": None}, "programme.missing_obstacle", "Samverkan!C7"),
    ("unknown agency", {"Lista!B3": "trafikverket"}, "programme.unknown_agency", "Lista!B3"),
    ("year before the programme", {"Lista!B4": 2023}, "programme.year_out_of_range", "Lista!B4"),
    ("year after the programme", {"Lista!B4": 2027}, "programme.year_out_of_range", "Lista!B4"),
    ("year changed on a sheet", {"Åtgärder!B3": 2024}, "programme.year_mismatch", "Åtgärder!B3"),
    ("year changed in the metadata", {"Lista!B4": 2024}, "programme.year_mismatch", "Åtgärder!B3"),
    ("other template version", {"Lista!B2": 99}, "programme.template_version", "Lista!B2"),
    ("no template marker", {"Lista!B1": "annat"}, "programme.not_template", "Lista!B1"),
    ("unknown perspective code", {"Lista!B5": "barnratt;okand"}, "programme.unknown_perspective", "Lista!B5"),
]


@pytest.mark.parametrize(("what", "changes", "key", "location"), XLSX_CASES, ids=[c[0] for c in XLSX_CASES])
def test_xlsx_rule(tiny, filled, what, changes, key, location) -> None:
    assert_names_place(error_of(helpers.edit(filled, changes), tiny), key, location)


def test_status_date_in_the_future(tiny, filled) -> None:
    error = error_of(filled, tiny, today=date(2025, 6, 30))  # A002's status date is 2025-11-15
    assert_names_place(error, "programme.date_in_future", "Åtgärder!F7")
    assert (error.found, error.expected) == ("2025-11-15", "2025-06-30")


def test_a_measure_left_out(tiny, filled) -> None:
    error = error_of(helpers.edit(filled, {f"Åtgärder!{c}8": None for c in "ABCDEFGHIJKLMN"}), tiny)
    assert error.key == "programme.missing_measure" and error.found == "A003"
    assert error.location.startswith("Åtgärder!A6:A")
    assert "A003" in error.message("sv") and "Okänd" in error.message("sv")


def test_missing_sheet_and_a_workbook_that_is_no_template(tiny, filled) -> None:
    wb = load_workbook(io.BytesIO(filled))
    del wb["Nyckeltal"]
    assert_names_place(error_of(helpers.save(wb), tiny), "programme.missing_sheet", "Nyckeltal!A1")
    wb = Workbook()
    wb.active["A1"] = "Län"
    error = error_of(helpers.save(wb), tiny)
    assert (error.key, error.location, error.found) == ("programme.not_template", "Lista!B1", "Sheet")
    assert error_of(b"PK\x03\x04 trasig", tiny).key.startswith("reader.xlsx.")


def test_messages_in_swedish_and_english(tiny, filled) -> None:
    error = error_of(helpers.edit(filled, {"Åtgärder!E6": "Klar"}), tiny, file="polisen_2025.xlsx")
    assert error.message("sv") == (
        "Filen polisen_2025.xlsx har en ogiltig status i Åtgärder!E6: ”Klar”. Förväntade en av: Genomförd, Pågående, "
        "Under beredning/utredning, Ej påbörjad, Utgått/ersatt, Okänd.")
    assert error.message("en") == (
        "The file polisen_2025.xlsx has an invalid status at Åtgärder!E6: “Klar”. Expected one of: Genomförd, "
        "Pågående, Under beredning/utredning, Ej påbörjad, Utgått/ersatt, Okänd.")
    error = error_of(helpers.edit(filled, {"Nyckeltal!D6": -3}), tiny, file="polisen_2025.xlsx")
    assert "Nyckeltal!D6" in error.message("sv") and "”-3”" in error.message("sv")
    assert "whole number of zero or more at Nyckeltal!D6" in error.message("en")


def test_lenient_where_a_person_would_expect_it(tiny, filled) -> None:
    data = helpers.edit(filled, {"Åtgärder!E6": " pagaende ", "Åtgärder!F6": "2025-03-31", "Åtgärder!G6": "JA",
                                 "Åtgärder!H6": None, "Nyckeltal!D6": "1 205", "Nyckeltal!D7": 12.0,
                                 "Åtgärder!F8": date(2024, 1, 1)})
    submission = read(data, tiny)
    assert submission.measures[0].status == "pagaende"
    assert submission.measures[0].status_date == date(2025, 3, 31)
    assert submission.measures[0].perspectives == ("barnratt", "heder")
    assert submission.measures[2].status_date == date(2024, 1, 1)
    assert [(kf.key_figure_id, kf.value) for kf in submission.key_figures] == [("polisen_hogrisk", 1205),
                                                                             ("polisen_insatser", 12)]


# --- CSV --------------------------------------------------------------------------------------------


def test_csv_reads_to_the_same_submission_as_the_xlsx(tiny, filled, csv_text) -> None:
    assert helpers.answers_to_csv(helpers.TINY_ANSWERS, tiny) == csv_text  # the fixture is current
    from_xlsx = read(filled, tiny)
    from_csv = read(csv_text.encode("utf-8"), tiny, file="polisen.csv")
    assert from_csv.format == "csv" and from_xlsx.format == "xlsx"
    assert (from_csv.agency_id, from_csv.year) == (from_xlsx.agency_id, from_xlsx.year)
    assert from_csv.measures == from_xlsx.measures
    assert from_csv.key_figures == from_xlsx.key_figures
    assert from_csv.obstacles == from_xlsx.obstacles
    assert from_csv.measures[1].location["narrative"] == 'line 3, column "beskrivning"'
    assert from_csv.key_figures[0].location["value"] == 'line 5, column "värde"'


def test_csv_variants(tiny, csv_text) -> None:
    expected = read(csv_text.encode(), tiny, file="a.csv")
    variants = [
        csv_text.encode("utf-8-sig"),                                          # BOM
        csv_text.encode("cp1252"),                                             # Windows-1252
        csv_text.replace("myndighet;år;", "Myndighet;Ar;").replace("värde", "varde").replace("lösning", "losning")
        .encode(),                                                             # ASCII header
        csv_text.replace("Polismyndigheten;", "polisen;").encode(),           # agency id
        csv_text.replace("Polismyndigheten;", "Polisen;").encode(),           # alias
        csv_text.replace(";åtgärd;", ";atgard;").encode(),
        csv_text.replace("barnratt,heder", "Barnrätt, Hedersrelaterat våld och förtryck").encode(),
        csv_text.replace(";Pågående;", ";pagaende;").encode(),
    ]
    for data in variants:
        assert read(data, tiny, file="a.csv") == expected
    header, *rows = csv_text.splitlines()
    measures = [r for r in rows if ";åtgärd;" in r]
    others = [r for r in rows if ";åtgärd;" not in r]
    shuffled = [header, *others, *reversed(measures)]  # order matters only among one category's obstacles
    assert read("\n".join(shuffled).encode(), tiny, file="a.csv") == expected


def _csv_with(csv_text: str, line: int, old: str, new: str) -> bytes:
    lines = csv_text.splitlines()
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return ("\n".join(lines) + "\n").encode()


CSV_CASES = [
    ("unknown measure", 2, ";A001;", ";A999;", "programme.unknown_measure", 'line 2, column "id"'),
    ("invalid status", 2, ";Pågående;", ";Klar;", "programme.invalid_status", 'line 2, column "status"'),
    ("status date outside", 2, ";2025-03-31;", ";2023-03-31;", "programme.date_out_of_range",
     'line 2, column "statusdatum"'),
    ("unknown perspective", 2, "barnratt,heder", "barnratt,okand", "programme.unknown_perspective",
     'line 2, column "perspektiv"'),
    ("narrative missing", 3, '"Illustrativt exempel – lägesbilden levererades; Ä 2024-1234 avslutat, '
     'kostnad 1 250 000 kr."', "", "programme.missing_narrative", 'line 3, column "beskrivning"'),
    ("bad key figure", 5, ";712;", ";7,5;", "programme.bad_key_figure", 'line 5, column "värde"'),
    ("unknown category", 6, ";lag_sekretess;", ";juridik;", "programme.unknown_category",
     'line 6, column "kategori"'),
    ("no solution", 8, ";Öronmärkta medel 2026.", ";", "programme.missing_solution", 'line 8, column "lösning"'),
    ("unknown agency", 2, "Polismyndigheten;", "Trafikverket;", "programme.unknown_agency",
     'line 2, column "myndighet"'),
    ("two agencies", 4, "Polismyndigheten;", "Skolverket;", "programme.agency_mismatch",
     'line 4, column "myndighet"'),
    ("two years", 4, ";2025;", ";2024;", "programme.year_mismatch", 'line 4, column "år"'),
    ("year outside", 2, ";2025;", ";2031;", "programme.year_out_of_range", 'line 2, column "år"'),
    ("unknown part", 5, ";nyckeltal;", ";nyckeltals;", "programme.csv.invalid_part", 'line 5, column "del"'),
]


@pytest.mark.parametrize(("what", "line", "old", "new", "key", "location"), CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_csv_rule(tiny, csv_text, what, line, old, new, key, location) -> None:
    assert_names_place(error_of(_csv_with(csv_text, line, old, new), tiny, file="polisen.csv"), key, location)


def test_csv_layout_errors(tiny, csv_text) -> None:
    header, *rows = csv_text.splitlines()
    no_solution = header.replace(";lösning", "") + "\n" + "\n".join(r.rsplit(";", 1)[0] for r in rows)
    error = error_of(no_solution.encode(), tiny, file="polisen.csv")
    assert_names_place(error, "programme.csv.missing_column", "line 1")
    assert error.found == "lösning"
    error = error_of((header + "\n").encode(), tiny, file="polisen.csv")
    assert error.key == "programme.csv.no_rows"
    missing = "\n".join([header, *[r for r in rows if ";A003;" not in r]]).encode()
    error = error_of(missing, tiny, file="polisen.csv")
    assert (error.key, error.found, error.location) == ("programme.missing_measure", "A003", 'column "id"')


def test_every_programme_message_key_in_the_code_exists_in_both_languages() -> None:
    import re

    from indicators.i18n import catalogue

    used = set()
    for name in ("submission.py", "template.py", "identity_numbers.py"):
        text = (ROOT / "indicators" / "programme" / name).read_text(encoding="utf-8")
        used |= set(re.findall(r'"(programme\.[a-z_.]+[a-z_])"', text))
    assert len(used) > 40
    for key in sorted(used):
        assert key in catalogue(), key
        assert catalogue()[key]["sv"].strip() and catalogue()[key]["en"].strip(), key


# --- routing ----------------------------------------------------------------------------------------


def test_is_submission(tiny, filled, csv_text) -> None:
    assert is_submission(template_bytes(tiny, "polisen", 2025), "mall.xlsx")
    assert is_submission(filled, "ifylld.xlsx")
    assert is_submission(csv_text.encode("utf-8-sig"), "polisen.csv")
    assert is_submission(csv_text.replace(";", ",").encode("cp1252"), "polisen.csv")
    assert not is_submission("Län;År;Antal\n01;2024;12\n".encode(), "stat.csv")
    wb = Workbook()
    wb.active["A1"] = "Län"
    assert not is_submission(helpers.save(wb), "stat.xlsx")
    for data in (b"", b"PK\x03\x04broken", b"\xd0\xcf\x11\xe0", bytes(range(256))):
        assert not is_submission(data, "x")
    shipped_stat = next((ROOT / "data" / "sources").rglob("*.csv"))
    assert not is_submission(shipped_stat.read_bytes(), shipped_stat.name)


# --- shipped illustrative submissions ---------------------------------------------------------------


def test_shipped_submissions_read_and_the_rejected_example_is_rejected() -> None:
    register = load_register(ROOT / "data")
    folder = ROOT / "data" / "submissions"
    refused = {p.name for p in (ROOT / "data" / "rejected_examples").iterdir()}
    files = sorted(p for p in folder.iterdir() if p.suffix in (".xlsx", ".csv") and p.name not in refused)
    assert len(files) >= 9 and any(p.suffix == ".csv" for p in files)
    agencies = set()
    for path in files:
        data = path.read_bytes()
        assert is_submission(data, path.name), path.name
        submission = read_submission(data, file=path.name, register=register, today=date(2026, 1, 31))
        assert submission.year == int(path.stem.split("_")[-1]) in (2024, 2025)   # 2024 too: two follow-up dates
        assert all(m.narrative.startswith("Illustrativt exempel – ") for m in submission.measures if m.narrative)
        agencies.add((submission.agency_id, submission.year))
    assert {"polisen", "aklagarmyndigheten", "kriminalvarden", "socialstyrelsen"} <= {
        a for a, y in agencies if y == 2025}
    assert len(agencies) == len(files)  # one submission per agency and year
    assert "brottsoffermyndigheten" not in {a for a, _ in agencies}     # the agency that has not reported
    rejected = sorted((ROOT / "data" / "rejected_examples").glob("*"))
    assert rejected
    for path in rejected:
        if path.suffix not in (".xlsx", ".csv"):
            continue
        with pytest.raises(ReaderError) as caught:
            read_submission(path.read_bytes(), file=path.name, register=register, today=date(2026, 1, 31))
        assert caught.value.key.startswith("programme.")
