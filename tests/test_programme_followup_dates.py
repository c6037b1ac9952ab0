"""The status at each follow-up date (issue 10 item 4): declared dates, status_at_dates, rollups_at_dates
and what moved since the last follow-up, on the real warehouse the shipped data build into, the shipped
2024 reports generated as the generator says, and the section on programme.html in both languages."""

from __future__ import annotations

import html
import importlib.util
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
from markupsafe import escape

from indicators.i18n import t
from indicators.programme.provenance import report_provenance
from indicators.programme.register import load_register
from indicators.programme.submission import read_submission
from tests.conftest import PROJECT_ROOT

DATA = PROJECT_ROOT / "data"
REGISTER = load_register(DATA)


@pytest.fixture(scope="module")
def warehouse(built_in_process) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(str(built_in_process / "out" / "warehouse" / "warehouse.duckdb"), read_only=True)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def site(built_in_process) -> Path:
    return built_in_process / "out" / "site"


def shipped(agency: str, year: int):
    path = DATA / "submissions" / f"{agency}_{year}.xlsx"
    return read_submission(path.read_bytes(), file=path.name, register=REGISTER, today=date(2026, 1, 31))


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def section(page: str, anchor: str) -> str:
    start = page.index(f'<h2 id="{anchor}"')
    return page[start:page.index("<h2", start + 5)]


def test_follow_up_dates_are_declared_with_the_in_depth_years():
    dates = {d.date: d for d in REGISTER.follow_up_dates}
    assert sorted(dates) == [date(2022, 12, 31), date(2024, 12, 31), date(2025, 12, 31), date(2026, 12, 31)]
    assert {d.year for d in dates.values() if d.in_depth} == {2022, 2024, 2026}     # the biennial follow-ups
    assert {d.year for d in dates.values() if d.annual} == {2024, 2025, 2026}       # the programme's years
    assert all(d.label["sv"] and d.label["en"] for d in dates.values())


def test_status_is_kept_per_date_up_to_the_report_date(warehouse):
    rows = warehouse.execute("select follow_up_date, count(*) filter (where counted), count(reported_status) "
                             "from programme.status_at_dates group by 1 order by 1").fetchall()
    # 2022 is before the programme (no measure in force), 2026 is after the report date (2025-12-31)
    assert [r[0] for r in rows] == [date(2024, 12, 31), date(2025, 12, 31)]
    in_force = {d: sum(m.start <= d for m in REGISTER.measures.values()) for d in (date(2024, 12, 31),
                                                                                  date(2025, 12, 31))}
    assert {r[0]: r[1] for r in rows} == in_force
    assert in_force[date(2025, 12, 31)] == 132 and 0 < in_force[date(2024, 12, 31)] < 132
    assert all(r[2] > 0 for r in rows)                       # both dates have reports: the demo data's point
    assert warehouse.execute("select count(*) from programme.follow_up_dates").fetchone()[0] == 4


def test_a_status_at_a_date_is_what_that_years_report_says(warehouse):
    for year in (2024, 2025):
        report = shipped("polisen", year)
        got = dict(warehouse.execute(
            "select measure_id, reported_status from programme.status_at_dates "
            "where agency_id = 'polisen' and year(follow_up_date) = $y", {"y": year}).fetchall())
        assert got == {m.measure_id: m.status for m in report.measures
                       if REGISTER.measures[m.measure_id].start <= date(year, 12, 31)}
    # an agency without a report for 2024 (barnafrid reported 2025 only) has no status then: no_report
    states = warehouse.execute("select distinct reported_status, follow_up_state from programme.status_at_dates "
                               "where agency_id = 'barnafrid' and follow_up_date = date '2024-12-31'").fetchall()
    assert states == [(None, "no_report")]


def test_rollups_at_dates_count_every_measure_in_force_once(warehouse):
    totals = dict(warehouse.execute(
        "select follow_up_date, sum(measures) from programme.rollups_at_dates "
        "where dimension = 'programme' and kind = 'reported_status' group by 1").fetchall())
    counted = dict(warehouse.execute("select follow_up_date, count(*) from programme.status_at_dates "
                                     "where counted group by 1").fetchall())
    assert totals == counted
    by_objective = dict(warehouse.execute(
        "select follow_up_date, sum(measures) from programme.rollups_at_dates "
        "where dimension = 'programme_objective' and kind = 'follow_up_state' group by 1").fetchall())
    assert by_objective == counted
    # the latest date agrees with the report year's measure_status
    latest = dict(warehouse.execute(
        "select value, measures from programme.rollups_at_dates where dimension = 'programme' "
        "and kind = 'follow_up_state' and follow_up_date = date '2025-12-31'").fetchall())
    states = dict(warehouse.execute("select follow_up_state, count(*) from programme.measure_status "
                                    "group by 1").fetchall())
    assert latest == states
    assert warehouse.execute("select bool_and(illustrative) from programme.rollups_at_dates "
                             "where illustrative_statuses > 0").fetchone()[0]


def test_what_moved_between_the_two_latest_dates(warehouse):
    moves = warehouse.execute("select measure_id, agency_id, status_before, status_after, change, from_date, "
                              "to_date, illustrative from programme.status_moves").fetchall()
    changed = [m for m in moves if m[4] == "changed"]
    assert changed and all(m[5] == date(2024, 12, 31) and m[6] == date(2025, 12, 31) for m in moves)
    for measure_id, agency_id, before, after, _, _, _, illustrative in changed:
        assert before != after and illustrative
        old = {m.measure_id: m.status for m in shipped(agency_id, 2024).measures}
        new = {m.measure_id: m.status for m in shipped(agency_id, 2025).measures}
        assert (old[measure_id], new[measure_id]) == (before, after), (measure_id, agency_id)
    # every measure and agency whose status differs between the two files is listed
    for agency in ("polisen", "socialstyrelsen", "kriminalvarden"):
        old = {m.measure_id: m.status for m in shipped(agency, 2024).measures}
        new = {m.measure_id: m.status for m in shipped(agency, 2025).measures}
        differ = {mid for mid in new if mid in old and old[mid] != new[mid]
                  and REGISTER.measures[mid].start <= date(2024, 12, 31)}
        assert {m[0] for m in changed if m[1] == agency} == differ
    firsts = [m for m in moves if m[4] == "first_report"]
    assert "barnafrid" in {m[1] for m in firsts}                 # reported for 2025 only
    # polisen reported both years: its first reports are the measures not yet in force on 2024-12-31
    assert all(REGISTER.measures[m[0]].start > date(2024, 12, 31) for m in firsts if m[1] == "polisen")


def test_the_2024_reports_are_generated_deterministically_and_marked_illustrative():
    module_spec = importlib.util.spec_from_file_location("generate_programme_submissions",
                                                         DATA / "generate_programme_submissions.py")
    generator = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(generator)
    for agency in generator.AGENCIES_2024:
        path = DATA / "submissions" / f"{agency}_2024.xlsx"
        answers = generator.with_collaboration(REGISTER, generator.answers_2024(REGISTER, agency))
        assert generator.fill(REGISTER, answers) == path.read_bytes(), path.name
        assert report_provenance(path).reliability == "illustrative"
    # the 2025 CSV report keeps the bytes it had before the 2024 reports, the parts and "who should act"
    csv = DATA / "submissions" / "skolverket_2025.csv"
    assert generator.to_csv(REGISTER, generator.answers_for(REGISTER, "skolverket")) == csv.read_bytes()
    assert "aktör" not in csv.read_text(encoding="utf-8").splitlines()[0]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_programme_page_shows_status_per_date_and_what_moved(site, warehouse, lang):
    page = ((site if lang == "sv" else site / "en") / "programme.html").read_text(encoding="utf-8")
    dates = section(page, "follow-up-dates")
    rows = re.findall(r'<tr><th scope="row">(\d{4}-\d{2}-\d{2}): ([^<]+)', dates)
    assert [r[0] for r in rows] == ["2022-12-31", "2024-12-31", "2025-12-31", "2026-12-31"]
    assert t("programme_followup.dates.none_in_force", lang) in dates          # 2022: before the programme
    assert t("programme_followup.dates.not_reached", lang) in dates            # 2026: after the report date
    assert "[ill.]" in dates
    moved = section(page, "moved")
    changed = warehouse.execute("select measure_id, status_after from programme.status_moves "
                                "where change = 'changed' order by measure_id").fetchall()
    for measure_id, after in changed:
        assert f'href="measures/{measure_id}.html"' in moved
        assert str(escape(REGISTER.statuses[after]["label"][lang])) in moved
    assert moved.count('<tr><th scope="row">') == len(changed)
    assert text_of(moved).count("[ill.]") >= 2 * len(changed)                   # before and after, both invented
    assert 'href="../data/programme/status_moves.csv"' in moved if lang == "en" else \
        'href="data/programme/status_moves.csv"' in moved
