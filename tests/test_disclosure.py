"""Disclosure control: primary and secondary suppression, checked by an independent solver."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from indicators.disclosure import (
    SUPPRESSED_FLAG,
    SuppressionRule,
    log_messages,
    recoverable_cells,
    suppress,
)

# ---------------------------------------------------------------------------------------------
# Independent checks: they rebuild the equations with pandas and test each hidden cell's unit
# vector against the row space with numpy's matrix rank, sharing no code with the module.


def _relations(frame: pd.DataFrame, key_columns: list[str], totals: dict[str, str]) -> np.ndarray:
    """One row per additive relation over all cells of the frame: +1 for the total, -1 for the parts."""
    frame = frame.reset_index(drop=True)
    rows = []
    for dim, code in totals.items():
        others = [c for c in key_columns if c != dim]
        by = others if len(others) > 1 else others[0] if others else None
        groups = frame.groupby(by, sort=False).groups.values() if by is not None else [frame.index]
        for members in groups:
            group = frame.loc[members]
            is_total = group[dim].astype(str) == code
            if is_total.sum() == 1 and (~is_total).any():
                row = np.zeros(len(frame))
                row[group.index[is_total]] = 1
                row[group.index[~is_total]] = -1
                rows.append(row)
    return np.array(rows)


def independent_recoverable(frame, key_columns, totals, value_column="value") -> list[tuple]:
    """Hidden cells that a solver can compute exactly from the published cells."""
    matrix = _relations(frame, key_columns, totals)
    hidden = frame[value_column].isna().to_numpy()
    sub = matrix[:, hidden]
    rank = np.linalg.matrix_rank(sub)
    keys = list(frame.loc[hidden, key_columns].itertuples(index=False, name=None))
    found = []
    for k, key in enumerate(keys):
        unit = np.zeros((1, sub.shape[1]))
        unit[0, k] = 1
        if np.linalg.matrix_rank(np.vstack([sub, unit])) == rank:
            found.append(key)
    return found


def naive_pairs_ok(frame, key_columns, totals, value_column="value") -> bool:
    """The naive rule: every relation hides either none or at least two of its cells."""
    matrix = _relations(frame, key_columns, totals)
    hidden = frame[value_column].isna().to_numpy()
    counts = (matrix[:, hidden] != 0).sum(axis=1)
    return bool(np.all((counts == 0) | (counts >= 2)))


def check_protected(result, key_columns, totals, rule=None):
    """The published frame leaks nothing: no small value shown and no suppressed cell recoverable."""
    rule = rule or SuppressionRule()
    out = result.frame
    shown = out["value"].dropna()
    small = (shown >= rule.min_count) & (shown <= rule.max_count) & (shown != 0)
    assert not small.any(), shown[small]
    assert independent_recoverable(out, key_columns, totals) == []
    assert recoverable_cells(out, key_columns=key_columns, totals=totals) == []
    assert (out.loc[out["value"].isna(), "flag"] == SUPPRESSED_FLAG).all()


# ---------------------------------------------------------------------------------------------
# Table builders


def cube(parts: np.ndarray, dims: dict[str, list[str]], totals: dict[str, str], **fixed) -> pd.DataFrame:
    """A table with all margins: ``parts`` has one axis per dimension in ``dims`` (its part codes)."""
    full = parts.astype(float)
    for axis in range(full.ndim):
        full = np.concatenate([full, full.sum(axis=axis, keepdims=True)], axis=axis)
    codes = [[*codes, totals[dim]] for dim, codes in dims.items()]
    records = []
    for index in itertools.product(*(range(len(c)) for c in codes)):
        record = dict(fixed)
        record.update({dim: codes[i][j] for i, (dim, j) in enumerate(zip(dims, index, strict=True))})
        record["value"] = full[index]
        record["flag"] = ""
        records.append(record)
    return pd.DataFrame.from_records(records)


def random_parts(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Counts with many zeros and small values, as in sex × age × region breakdowns."""
    kind = rng.choice(3, size=shape, p=[0.1, 0.3, 0.6])
    small = rng.integers(1, 5, size=shape)
    large = rng.integers(5, 80, size=shape)
    return np.where(kind == 0, 0, np.where(kind == 1, small, large))


SEXES = ["K", "M"]
REGIONS = [f"{i:02d}" for i in (1, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 17, 18, 19, 20, 21, 22, 23, 24, 25)]


# ---------------------------------------------------------------------------------------------
# Primary suppression


def test_small_counts_are_hidden_and_zero_stays():
    frame = pd.DataFrame({"measure_id": ["a", "b", "c", "d", "e", "T"], "value": [0, 1, 4, 5, 40, 50],
                          "flag": ["", "", "", "", "p", ""]})
    result = suppress(frame, key_columns=["measure_id"], totals={"measure_id": "T"})
    out = result.frame.set_index("measure_id")
    assert out.loc["a", "value"] == 0 and out.loc["a", "flag"] == ""
    assert out.loc[["b", "c"], "value"].isna().all()
    assert (out.loc[["b", "c"], "flag"] == "c").all()
    check_protected(result, ["measure_id"], {"measure_id": "T"})


def test_threshold_and_zero_are_configurable():
    frame = pd.DataFrame({"measure_id": ["a", "b", "c", "d", "T"], "value": [0, 2, 3, 50, 55]})
    rule = SuppressionRule(min_count=1, max_count=2, zero_is_safe=False)
    result = suppress(frame, key_columns=["measure_id"], totals={"measure_id": "T"}, rule=rule)
    primary = result.log[result.log["kind"] == "primary"].set_index("measure_id")["reason"].to_dict()
    assert primary == {"a": "primary.zero", "b": "primary.small_count"}
    assert result.frame.set_index("measure_id").loc["c", "value"] == 3  # 3 is above this threshold
    check_protected(result, ["measure_id"], {"measure_id": "T"}, rule)
    with pytest.raises(ValueError):
        SuppressionRule(min_count=5, max_count=4)


# ---------------------------------------------------------------------------------------------
# Secondary suppression


def test_one_dimensional_table_hides_a_second_part():
    frame = pd.DataFrame({"measure_id": ["a", "b", "c", "T"], "value": [3, 20, 40, 63]})
    result = suppress(frame, key_columns=["measure_id"], totals={"measure_id": "T"})
    out = result.frame.set_index("measure_id")["value"]
    assert out.isna().to_dict() == {"a": True, "b": True, "c": False, "T": False}  # the cheapest part, not the total
    log = result.log.set_index("measure_id")
    assert log.loc["b", "kind"] == "secondary" and log.loc["b", "reason"] == "secondary.direct"
    assert log.loc["b", "protects"] == "measure_id=a"
    assert log.loc["a", "protects"] == ""
    # Solving the system recovers neither hidden part: a + b = 63 - 40 has a line of solutions.
    assert independent_recoverable(result.frame, ["measure_id"], {"measure_id": "T"}) == []
    check_protected(result, ["measure_id"], {"measure_id": "T"})


def test_sex_by_region_hides_a_rectangle_of_parts():
    parts = np.array([[30, 3, 25, 40, 22], [28, 10, 35, 50, 15]])
    regions = REGIONS[:5]
    totals = {"sex": "T", "region": "00"}
    frame = cube(parts, {"sex": SEXES, "region": regions}, totals)
    result = suppress(frame, key_columns=["sex", "region"], totals=totals)
    hidden = set(result.frame.loc[result.frame["value"].isna(), ["sex", "region"]].itertuples(index=False, name=None))
    assert len(hidden) == 4 and ("K", "03") in hidden and ("M", "03") in hidden
    assert not any(code in ("T", "00") for cell in hidden for code in cell)  # parts, not margins
    check_protected(result, ["sex", "region"], totals)


def bridge_table() -> tuple[pd.DataFrame, set[tuple[str, str]]]:
    """A 4 × 4 age × region table (with margins) whose small cells defeat the naive pair rule.

    The small cells form two rectangles joined by one cell, (a2, r3): every row and column holds
    0 or at least 2 of them, yet combining the relations of the first rectangle gives
    a2·r1 + a2·r2, and then row a2 gives a2·r3.
    """
    small = {("a1", "r1"), ("a1", "r2"), ("a2", "r1"), ("a2", "r2"),
             ("a3", "r3"), ("a3", "r4"), ("a4", "r3"), ("a4", "r4"), ("a2", "r3")}
    ages, regions = ["a1", "a2", "a3", "a4"], ["r1", "r2", "r3", "r4"]
    parts = np.array([[2 if (a, r) in small else 20 + 3 * i + 7 * j for j, r in enumerate(regions)]
                      for i, a in enumerate(ages)])
    return cube(parts, {"age": ages, "region": regions}, {"age": "T", "region": "00"}), small


def test_naive_pairs_leave_a_cell_recoverable_by_combination():
    frame, small = bridge_table()
    key_columns, totals = ["age", "region"], {"age": "T", "region": "00"}
    primary_only = frame.copy()
    primary_only.loc[primary_only["value"] <= 4, "value"] = np.nan
    assert naive_pairs_ok(primary_only, key_columns, totals)
    assert independent_recoverable(primary_only, key_columns, totals) == [("a2", "r3")]
    assert recoverable_cells(primary_only, key_columns=key_columns, totals=totals) == [("a2", "r3")]

    result = suppress(frame, key_columns=key_columns, totals=totals)
    log = result.log
    assert set(log.loc[log["kind"] == "primary", ["age", "region"]].itertuples(index=False, name=None)) == small
    assert (log["kind"] == "secondary").sum() >= 1
    check_protected(result, key_columns, totals)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_random_year_by_sex_by_region_passes_the_audit(seed):
    rng = np.random.default_rng(seed)
    totals = {"sex": "T", "region": "00"}
    frames = [cube(random_parts(rng, (2, 8)), {"sex": SEXES, "region": REGIONS[:8]}, totals, year=year)
              for year in (2021, 2022, 2023)]
    frame = pd.concat(frames, ignore_index=True)
    key_columns = ["year", "sex", "region"]
    result = suppress(frame, key_columns=key_columns, totals=totals)
    check_protected(result, key_columns, totals)
    zeros = frame["value"] == 0
    assert (result.frame.loc[zeros, "value"] == 0).all()
    suppressed = result.frame["value"].isna()
    assert (result.log["kind"] != "unprotectable").sum() == suppressed.sum()
    # Each year is a separate table: hiding cells in one year never hides cells in another.
    for year in (2021, 2022, 2023):
        one = suppress(frame[frame["year"] == year], key_columns=key_columns, totals=totals)
        assert one.frame["value"].isna().sum() == result.frame.loc[frame["year"] == year, "value"].isna().sum()


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_random_sex_by_age_by_region_passes_the_audit(seed):
    rng = np.random.default_rng(seed)
    totals = {"sex": "T", "age": "tot", "region": "00"}
    dims = {"sex": SEXES, "age": ["0-17", "18-29", "30-64", "65-"], "region": REGIONS[:5]}
    frame = cube(random_parts(rng, (2, 4, 5)), dims, totals, year=2024)
    key_columns = ["year", "sex", "age", "region"]
    result = suppress(frame, key_columns=key_columns, totals=totals)
    check_protected(result, key_columns, totals)


def test_large_county_table_is_protected():
    rng = np.random.default_rng(2026)
    totals = {"sex": "T", "region": "00"}
    frame = cube(random_parts(rng, (2, len(REGIONS))), {"sex": SEXES, "region": REGIONS}, totals, year=2024)
    result = suppress(frame, key_columns=["year", "sex", "region"], totals=totals)
    check_protected(result, ["year", "sex", "region"], totals)


@pytest.mark.parametrize("seed", range(8))
def test_audit_agrees_with_the_independent_solver_on_random_masks(seed):
    rng = np.random.default_rng(100 + seed)
    totals = {"sex": "T", "age": "tot", "region": "00"}
    dims = {"sex": SEXES, "age": ["0-17", "18-64", "65-"], "region": REGIONS[:4]}
    frame = cube(rng.integers(5, 50, size=(2, 3, 4)), dims, totals)
    frame.loc[rng.random(len(frame)) < 0.35 + 0.05 * seed, "value"] = np.nan
    key_columns = ["sex", "age", "region"]
    assert recoverable_cells(frame, key_columns=key_columns, totals=totals) == \
        independent_recoverable(frame, key_columns, totals)


# ---------------------------------------------------------------------------------------------
# Published figures


def test_published_cells_are_never_suppressed_but_count_as_known():
    frame = pd.DataFrame({"measure_id": ["a", "b", "c", "d", "T"], "value": [2, 3, 30, 40, 75],
                          "flag": ["", "p", "", "", ""], "published": [False, True, True, False, True]})
    result = suppress(frame, key_columns=["measure_id"], totals={"measure_id": "T"}, published_column="published")
    out = result.frame.set_index("measure_id")
    assert out.loc["b", "value"] == 3 and out.loc["b", "flag"] == "p"  # the producer's value and flag
    assert out.loc[["c", "T"], "value"].tolist() == [30, 75]
    assert out.loc[["a", "d"], "value"].isna().all()  # d is the only unpublished cell that can protect a
    assert independent_recoverable(result.frame, ["measure_id"], {"measure_id": "T"}) == []


def test_a_cell_only_published_cells_could_protect_is_a_warning():
    frame = pd.DataFrame({"measure_id": ["a", "b", "T"], "value": [2, 30, 32], "published": [None, True, True]})
    result = suppress(frame, key_columns=["measure_id"], totals={"measure_id": "T"}, published_column="published")
    out = result.frame.set_index("measure_id")["value"]
    assert out.isna().to_dict() == {"a": True, "b": False, "T": False}
    assert result.log[["measure_id", "kind", "reason"]].values.tolist() == [
        ["a", "primary", "primary.small_count"], ["a", "unprotectable", "unprotectable.published"]]
    assert "kan inte skyddas" in log_messages(result.log, "sv")[1]
    assert "cannot be protected" in log_messages(result.log, "en")[1]


def test_zeros_are_not_hidden_to_protect_a_cell():
    frame = pd.DataFrame({"measure_id": ["a", "b", "T"], "value": [3, 0, 3], "published": [False, False, True]})
    result = suppress(frame, key_columns=["measure_id"], totals={"measure_id": "T"}, published_column="published")
    assert result.frame["value"].isna().tolist() == [True, False, False]
    assert result.log[["kind", "reason"]].values.tolist() == [
        ["primary", "primary.small_count"], ["unprotectable", "unprotectable.zero"]]
    assert "nollvärde" in log_messages(result.log, "sv")[1] and "zero" in log_messages(result.log, "en")[1]


# ---------------------------------------------------------------------------------------------
# The log


def test_log_names_each_cell_kind_and_reason_in_both_languages():
    frame, _ = bridge_table()
    frame = frame.assign(year=2024)
    key_columns = ["year", "age", "region"]
    result = suppress(frame, key_columns=key_columns, totals={"age": "T", "region": "00"})
    log = result.log
    assert list(log.columns) == [*key_columns, "kind", "reason", "protects"]  # never the value
    hidden = result.frame.loc[result.frame["value"].isna(), key_columns]
    logged = log.loc[log["kind"].isin(["primary", "secondary"]), key_columns]
    assert sorted(logged.itertuples(index=False, name=None)) == sorted(hidden.itertuples(index=False, name=None))
    assert set(log["reason"]) <= {"primary.small_count", "secondary.direct", "secondary.combination"}
    primary_texts = {f"year=2024, age={a}, region={r}"
                     for a, r in log.loc[log["kind"] == "primary", ["age", "region"]].itertuples(index=False)}
    assert set(log.loc[log["kind"] == "secondary", "protects"]) <= primary_texts
    assert (log.loc[log["kind"] == "primary", "protects"] == "").all()

    sv, en = log_messages(log, "sv"), log_messages(log, "en")
    assert len(sv) == len(en) == len(log)
    for line_sv, line_en, record in zip(sv, en, log.to_dict("records"), strict=True):
        cell = f"year=2024, age={record['age']}, region={record['region']}"
        assert line_sv.startswith(cell) and line_en.startswith(cell)
        assert line_sv != line_en
    assert any("primär undertryckning" in line for line in sv)
    assert any("secondary suppression" in line for line in en)
    with pytest.raises(ValueError):
        log_messages(log, "de")


def test_log_is_empty_when_nothing_is_small():
    frame = pd.DataFrame({"measure_id": ["a", "b", "T"], "value": [10, 20, 30]})
    result = suppress(frame, key_columns=["measure_id"], totals={"measure_id": "T"})
    assert result.log.empty and list(result.log.columns) == ["measure_id", "kind", "reason", "protects"]
    assert result.frame["value"].tolist() == [10, 20, 30]
    assert result.frame["flag"].tolist() == ["", "", ""]  # the flag column is added when absent
    assert log_messages(result.log, "en") == []


# ---------------------------------------------------------------------------------------------
# Frame handling


def test_input_is_not_changed_and_rows_keep_their_index():
    frame = pd.DataFrame({"measure_id": ["a", "b", "c", "T"], "value": [3, 20, 40, 63], "flag": ["", "", "r", ""]},
                         index=[10, 11, 12, 13])
    before = frame.copy()
    result = suppress(frame, key_columns=["measure_id"], totals={"measure_id": "T"})
    pd.testing.assert_frame_equal(frame, before)
    assert list(result.frame.index) == [10, 11, 12, 13]
    assert result.frame.loc[12, "flag"] == "r"


def test_cells_already_missing_are_unknown_but_not_logged():
    frame = pd.DataFrame({"measure_id": ["a", "b", "c", "T"], "value": [3, np.nan, 40, 63],
                          "flag": ["", "x", "", ""]})
    result = suppress(frame, key_columns=["measure_id"], totals={"measure_id": "T"})
    assert result.log["measure_id"].tolist() == ["a"]  # b is already unknown, so a is protected
    assert result.frame.set_index("measure_id").loc["b", "flag"] == "x"
    assert recoverable_cells(result.frame, key_columns=["measure_id"], totals={"measure_id": "T"},
                             flag_column="flag") == []


def test_bad_tables_are_refused():
    frame = pd.DataFrame({"measure_id": ["a", "a", "T"], "value": [3, 4, 7]})
    with pytest.raises(ValueError, match="uniquely"):
        suppress(frame, key_columns=["measure_id"], totals={"measure_id": "T"})
    with pytest.raises(ValueError, match="not key columns"):
        suppress(frame.iloc[1:], key_columns=["measure_id"], totals={"sex": "T"})
    with pytest.raises(ValueError, match="not in the frame"):
        suppress(frame.iloc[1:], key_columns=["region"], totals={})
