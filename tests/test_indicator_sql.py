"""Each indicator's SQL on a small hand-made warehouse, against values computed by hand."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from indicators.compute import IndicatorError, check_publishable, compute_indicator
from indicators.registry import load_catalogue
from indicators.staging import build_staging
from indicators.warehouse import WAREHOUSE_COLUMNS, ensure_schema


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
    build_staging(conn)
    yield conn
    conn.close()


def compute(conn, indicator_id):
    """The yearly values (rolling means, where a spec asks for them, are tested separately)."""
    frame = compute_indicator(conn, load_catalogue()[indicator_id])
    if "statistic" in frame:
        frame = frame[frame["statistic"] == "annual"].drop(columns="statistic").reset_index(drop=True)
    return frame


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
                         "unit": "percent", "flag": ["", ""], "ci_low": None, "ci_high": None,
                         "illustrative": False, "reliability": "V", "source_url": "", "provenance": ""})
    with pytest.raises(IndicatorError, match="0–100"):
        check_publishable(base, spec)
    with pytest.raises(IndicatorError, match="duplicate"):
        check_publishable(base.assign(year=2018, value=1.0), spec)
    with pytest.raises(IndicatorError, match="without a flag"):
        check_publishable(base.assign(value=[1.0, None]), spec)


def test_rolling_three_year_mean_only_where_three_years_exist(tmp_path):
    rows = [observation("bra_lethal_violence", "victims", year, value, sex="K", relation="partner")
            for year, value in ((2016, 13.0), (2017, 9.0), (2018, 22.0), (2019, 16.0), (2021, 15.0))]
    rows += [observation("bra_lethal_violence", "victims", year, 30.0, sex="K")
             for year in (2016, 2017, 2018, 2019, 2021)]
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(conn)
    conn.register("rows", pd.DataFrame(rows)[WAREHOUSE_COLUMNS])
    conn.execute("insert into raw.observations by name select * from rows")
    build_staging(conn)
    frame = compute_indicator(conn, load_catalogue()["MVK05"])
    rolling = frame[frame["statistic"] == "rolling_3y"].set_index("year")
    # 2018: (13 + 9 + 22) / 3; 2019: (9 + 22 + 16) / 3; 2020 and 2021 lack a year in their window
    assert sorted(rolling.index) == [2018, 2019]
    assert rolling.loc[2018, "value"] == pytest.approx(44 / 3)
    assert rolling.loc[2019, "value"] == pytest.approx(47 / 3)
    assert set(rolling["flag"]) == {"e"}
    assert len(frame[frame["statistic"] == "annual"]) == 5


def test_confidence_interval_from_sample_size_and_small_base_flag(tmp_path):
    from dataclasses import replace

    from indicators.compute import add_confidence_intervals

    spec = replace(load_catalogue()["MVK01"], min_base=100)
    frame = pd.DataFrame({"year": [2017, 2017], "sex": ["K", "M"], "value": [10.0, 2.0], "n": [10000, 50],
                          "flag": ["", ""], "illustrative": False, "provenance": ""})
    out = add_confidence_intervals(frame, spec).set_index("sex")
    half = 1.959964 * 100 * (0.1 * 0.9 / 10000) ** 0.5      # ±0,59 percentage points
    assert out.loc["K", "ci_low"] == pytest.approx(10 - half)
    assert out.loc["K", "ci_high"] == pytest.approx(10 + half)
    assert out.loc["M", "flag"] == "u" and out.loc["K", "flag"] == ""
    assert out.loc["M", "ci_low"] >= 0


def test_counts_from_non_public_inputs_are_suppressed_primary_and_secondary(tmp_path, monkeypatch):
    """An agency's own counts (not published by a producer): 1–4 hidden, and not recoverable from totals."""
    from dataclasses import replace

    import indicators.compute as compute_module
    from indicators.compute import compute_with_log
    from indicators.disclosure import recoverable_cells
    from indicators.sources import load_sources

    sources = dict(load_sources())
    sources["bra_lethal_violence"] = replace(sources["bra_lethal_violence"], public=False)
    monkeypatch.setattr(compute_module, "load_sources", lambda: sources)
    spec = replace(load_catalogue()["MVK07"], additive=("sex",))
    rows = []
    for year, women, men in ((2018, 3, 22), (2019, 16, 2), (2020, 13, 4), (2021, 15, 9)):
        for sex, value in (("K", women), ("M", men), ("T", women + men)):
            rows.append(observation("bra_lethal_violence", "victims", year, float(value), sex=sex, relation="partner",
                                    location=f"line {len(rows) + 2}"))   # every cell has its own place in the file
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(conn)
    conn.register("rows", pd.DataFrame(rows)[WAREHOUSE_COLUMNS])
    conn.execute("insert into raw.observations by name select * from rows")
    build_staging(conn)

    frame, log = compute_with_log(conn, spec)

    annual = frame[frame["statistic"] == "annual"]
    published = annual["value"].dropna()
    assert not ((published >= 1) & (published <= 4)).any()          # no small count published
    hidden = annual[annual["flag"] == "c"].set_index(["year", "sex"])
    assert {(2018, "K"), (2018, "M"), (2019, "M"), (2019, "K"), (2020, "M"), (2020, "K")} == set(hidden.index)
    assert annual.set_index(["year", "sex"]).loc[(2021, "M"), "value"] == 9      # nothing small: all published
    audit = annual.drop(columns=["statistic"])
    assert recoverable_cells(audit, key_columns=["year", "sex"], totals={"sex": "T"}, flag_column="flag") == []
    assert set(log["kind"]) == {"primary", "secondary"} and "value" not in log.columns
    rolling = frame[frame["statistic"] == "rolling_3y"]
    parts = rolling[rolling["sex"] != "T"]                            # every K/M window holds a hidden year:
    assert not parts.empty and parts["value"].isna().all() and parts["flag"].str.contains("c").all()   # [c]
