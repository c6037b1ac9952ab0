"""MVK27 (issue 10 item 6): the share of the 132 measures completed with evidence (assessed status
genomford from analysts' decisions), in total, by programme objective and by responsible agency, computed
by the same path as every indicator (indicators/sql/MVK27.sql through indicators.compute), illustrative
whenever a counted status or measure is; its asset depends on programme/status, its page links to
programme.html. On a real DuckDB warehouse: a copy of the one the shipped data build into."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import dagster as dg
import duckdb
import pytest

from indicators.compute import compute_indicator
from indicators.programme.register import load_register
from indicators.registry import load_catalogue
from pipelines.defs.indicators import build_indicator_asset
from pipelines.defs.programme import sql_statements
from tests.conftest import PROJECT_ROOT

REGISTER = load_register(PROJECT_ROOT / "data")
SPEC = load_catalogue()["MVK27"]


def rebuild_status(conn) -> None:
    """measure_status as the programme/status asset builds it for report year 2025."""
    for statement in sql_statements("measure_status"):
        values = {"year": 2025, "as_of": date(2025, 12, 31)}
        conn.execute(statement, {k: v for k, v in values.items() if f"${k}" in statement})


def decide(conn, measure_ids, *, decision: str = "genomford", illustrative: bool = False) -> None:
    """Analyst decisions newer than every shipped review, citing a page of a document in the warehouse (a
    decision counts only when its document is there), so that they are the ones that count."""
    document = conn.execute("select document_sha256 from evidence.documents order by 1 limit 1").fetchone()[0]
    for i, measure_id in enumerate(measure_ids):
        conn.execute("insert into evidence.decisions values ($m, 2025, $doc, $page, $d, null, $loc, 'test-review', "
                     "'analytiker', $at, $ill)",
                     {"m": measure_id, "doc": document, "page": 900 + i, "d": decision, "loc": f"Granskning!D{6 + i}",
                      "at": datetime.now().replace(microsecond=0) + timedelta(seconds=i), "ill": illustrative})


def values(frame) -> dict[tuple[str, str], float]:
    return {(r.programme_objective, r.agency): r.value for r in frame.itertuples()}


@pytest.fixture()
def warehouse(analyst):
    _, out = analyst
    conn = duckdb.connect(str(out / "warehouse" / "warehouse.duckdb"))
    yield conn
    conn.close()


def responsible(agency: str) -> list[str]:
    return [m.id for m in REGISTER.measures.values() if agency in m.responsible]


def test_mvk27_is_a_computed_indicator_on_the_register():
    assert SPEC.status == "indicator" and not SPEC.is_development and SPEC.unit == "percent"
    assert SPEC.breakdowns == ("programme_objective", "agency") and SPEC.reads_programme
    asset = build_indicator_asset(SPEC)
    assert dg.AssetKey(["programme", "status"]) in asset.dependency_keys
    assert all(dg.AssetKey(["programme", "status"]) not in build_indicator_asset(s).dependency_keys
               for s in load_catalogue().values() if not s.is_development and s.id != "MVK27")


def completed_with_evidence(conn) -> set[str]:
    return {r[0] for r in conn.execute("select measure_id from programme.measure_status "
                                       "where assessed_status = 'genomford'").fetchall()}


def expected(done: set[str]) -> dict[tuple[str, str], float]:
    """The shares by hand: completed with evidence of all measures, of each objective's, of each agency's."""
    measures = list(REGISTER.measures.values())
    out = {("T", "T"): 100 * len(done & set(REGISTER.measures)) / len(measures)}
    for objective in REGISTER.objectives:
        mine = [m.id for m in measures if m.programme_objective == objective]
        out[(objective, "T")] = 100 * len(done & set(mine)) / len(mine)
    for agency in {a for m in measures for a in m.responsible}:
        mine = responsible(agency)
        out[("T", agency)] = 100 * len(done & set(mine)) / len(mine)
    return out


def test_only_completion_with_evidence_counts(warehouse):
    rebuild_status(warehouse)
    assert len(REGISTER.measures) == 132
    done = completed_with_evidence(warehouse)
    got = values(compute_indicator(warehouse, SPEC))
    assert got == pytest.approx(expected(done))
    # reported completed without a decision that supports it is not completed with evidence
    unsupported = {r[0] for r in warehouse.execute(
        "select measure_id from programme.measure_status where reported_status = 'genomford' "
        "and assessed_status <> 'genomford'").fetchall()}
    assert unsupported and not unsupported & done
    p3 = sorted(m.id for m in REGISTER.measures.values() if m.programme_objective == "P3" and m.id not in done)
    chosen = p3[:3] + [m for m in responsible("polisen") if m not in done][:1]
    decide(warehouse, chosen)
    decide(warehouse, p3[3:4], decision="pagaende")       # a decision for another status does not count
    rebuild_status(warehouse)
    assert completed_with_evidence(warehouse) == done | set(chosen)
    got = values(compute_indicator(warehouse, SPEC))
    assert got == pytest.approx(expected(done | set(chosen)))
    assert got[("T", "T")] == pytest.approx(100 * len(done | set(chosen)) / 132)
    assert len(got) == 1 + len(REGISTER.objectives) + len({a for m in REGISTER.measures.values()
                                                           for a in m.responsible})


def test_values_are_illustrative_whenever_a_counted_status_is(warehouse):
    rebuild_status(warehouse)
    frame = compute_indicator(warehouse, SPEC)
    assert frame["illustrative"].all() and set(frame["reliability"]) == {"illustrative"}   # the demo register
    # A register and reports that are all real: nothing is illustrative, until one decision is.
    for table in ("programme.measures", "programme.measure_reports", "evidence.decisions", "evidence.documents"):
        warehouse.execute(f"update {table} set illustrative = false")
    real = sorted(REGISTER.measures)[:2]
    decide(warehouse, real)
    rebuild_status(warehouse)
    frame = compute_indicator(warehouse, SPEC)
    assert not frame["illustrative"].any() and set(frame["reliability"]) == {"official"}
    invented = responsible("kriminalvarden")[0]
    decide(warehouse, [invented], illustrative=True)
    rebuild_status(warehouse)
    flagged = {(r.programme_objective, r.agency) for r in compute_indicator(warehouse, SPEC).itertuples()
               if r.illustrative}
    measure = REGISTER.measures[invented]
    assert flagged == {("T", "T"), (measure.programme_objective, "T"), *(("T", a) for a in measure.responsible)}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_mvk27_page_links_to_the_programme_page(built_in_process, lang):
    site = built_in_process / "out" / "site"
    page = ((site if lang == "sv" else site / "en") / "indicators" / "MVK27.html").read_text(encoding="utf-8")
    assert 'id="programme-source"' in page
    assert 'href="../programme.html"' in page               # the programme page of the same language
    assert "data-figure" in page and "<table" in page        # a computed indicator, not a development one
    with duckdb.connect(str(built_in_process / "out" / "warehouse" / "warehouse.duckdb"), read_only=True) as conn:
        rows = conn.execute('select year, programme_objective, agency, illustrative from indicators."MVK27"').fetchall()
    assert {r[0] for r in rows} == {2025} and all(r[3] for r in rows)
    assert ("T", "T") in {(r[1], r[2]) for r in rows}
