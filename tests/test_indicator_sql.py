"""Each indicator's SQL on a small hand-made warehouse, against values computed by hand."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from indicators.compute import IndicatorError, check_publishable, compute_indicator
from indicators.registry import load_catalogue
from indicators.warehouse import SQL_DIR, WAREHOUSE_COLUMNS, ensure_schema


def observation(source_id, measure, year, value, *, sex="T", region="00", relation="T", offence="T",
                age_group="T", flag="", illustrative=False, location="line 2"):
    return {"source_id": source_id, "snapshot_sha256": "f" * 64, "location": location, "year": year,
            "sex": sex, "region": region, "age_group": age_group, "offence": offence, "relation": relation,
            "police_region": "T", "violence_type": "T", "sanction": "T", "programme": "T",
            "measure": measure, "value": value, "flag": flag, "source_symbol": None, "reliability": "V",
            "source_url": "https://example.org", "illustrative": illustrative, "note": None}


@pytest.fixture()
def warehouse(tmp_path):
    rows = []
    lethal = "bra_lethal_violence"
    # 2018 published: 33 female victims, 22 of them by a partner; 4 men by a partner.
    rows += [observation(lethal, "victims", 2018, 33.0, sex="K"),
             observation(lethal, "victims", 2018, 22.0, sex="K", relation="partner"),
             observation(lethal, "victims", 2018, 4.0, sex="M", relation="partner"),
             observation(lethal, "victims", 2018, 26.0, sex="T", relation="partner")]
    # 2019: the female total is missing ('..' → x), so the share cannot be computed.
    rows += [observation(lethal, "victims", 2019, None, sex="K", flag="x"),
             observation(lethal, "victims", 2019, 16.0, sex="K", relation="partner", illustrative=True)]
    ntu = "bra_ntu_sexual_offences"
    rows += [observation(ntu, "share_pct", 2017, v, sex=s, offence="sexual_offence", age_group="16-84")
             for s, v in (("K", 10.7), ("M", 1.6), ("T", 6.4))]
    reported = "bra_reported_gross_violation"
    off = "gross_violation_of_a_womans_integrity"
    rows += [observation(reported, "reported_offences", 2018, 1744.0, offence=off),
             observation(reported, "reported_offences", 2018, 400.0, region="01", offence=off),
             observation(reported, "reported_offences", 2018, 12.0, region="09", offence=off)]
    pop = "scb_population_county_sex"
    rows += [observation(pop, "population", 2018, 10230185.0),
             observation(pop, "population", 2018, 2000000.0, region="01"),
             observation(pop, "population", 2018, 5087747.0, sex="K")]   # not the denominator: sex T is
    frame = pd.DataFrame(rows)[WAREHOUSE_COLUMNS]
    conn = duckdb.connect(str(tmp_path / "fixture.duckdb"))
    ensure_schema(conn)
    conn.register("rows", frame)
    conn.execute("insert into raw.observations by name select * from rows")
    for sql in sorted((SQL_DIR / "staging").glob("*.sql")):
        conn.execute(sql.read_text(encoding="utf-8"))
    yield conn
    conn.close()


def compute(conn, indicator_id):
    return compute_indicator(conn, load_catalogue()[indicator_id])


def test_mvk05_counts_women_killed_by_partner(warehouse):
    frame = compute(warehouse, "MVK05")
    assert frame[["year", "value"]].values.tolist() == [[2018, 22.0], [2019, 16.0]]
    assert frame["illustrative"].tolist() == [False, True]


def test_mvk06_share_and_missing_denominator(warehouse):
    frame = compute(warehouse, "MVK06").set_index("year")
    assert frame.loc[2018, "value"] == pytest.approx(100 * 22 / 33)
    assert frame.loc[2018, "flag"] == ""
    assert pd.isna(frame.loc[2019, "value"]) and frame.loc[2019, "flag"] == "x"
    assert frame.loc[2019, "illustrative"]   # the numerator was illustrative
    assert "ffffffffffff:line 2" in frame.loc[2018, "provenance"]


def test_mvk07_by_sex_of_victim(warehouse):
    frame = compute(warehouse, "MVK07")
    got = {(r.year, r.sex): r.value for r in frame.itertuples()}
    assert got == {(2018, "K"): 22.0, (2018, "M"): 4.0, (2018, "T"): 26.0, (2019, "K"): 16.0}


def test_mvk01_share_by_sex(warehouse):
    frame = compute(warehouse, "MVK01")
    assert {r.sex: r.value for r in frame.itertuples()} == {"K": 10.7, "M": 1.6, "T": 6.4}
    assert set(frame["year"]) == {2017}


def test_mvk09_rate_uses_total_population_of_same_region_and_year(warehouse):
    frame = compute(warehouse, "MVK09").set_index("region")
    assert frame.loc["00", "value"] == pytest.approx(1744 * 100000 / 10230185)   # 17.05
    assert frame.loc["01", "value"] == pytest.approx(20.0)
    assert pd.isna(frame.loc["09", "value"]) and frame.loc["09", "flag"] == "x"   # no population for 09


def test_publishing_rules_refuse_bad_results():
    spec = load_catalogue()["MVK06"]
    base = pd.DataFrame({"indicator_id": ["MVK06"] * 2, "year": [2018, 2019], "value": [50.0, 101.0],
                         "unit": "percent", "flag": ["", ""], "illustrative": False, "provenance": ""})
    with pytest.raises(IndicatorError, match="0–100"):
        check_publishable(base, spec)
    with pytest.raises(IndicatorError, match="duplicate"):
        check_publishable(base.assign(year=2018, value=1.0), spec)
    with pytest.raises(IndicatorError, match="without a flag"):
        check_publishable(base.assign(value=[1.0, None]), spec)
