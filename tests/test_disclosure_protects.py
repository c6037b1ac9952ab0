"""Disclosure control protects: no hidden cell can be solved for from everything the site publishes.

The attacker here is independent of ``indicators/disclosure.py``: it reads only the published site
(``data/indicators/*.csv``, ``data/provenance/*.csv`` for which input cells each value rests on,
``data/sources.csv`` for which source each snapshot is) and the catalogue's declared relations, and
solves the resulting linear system exactly (numpy SVD null space). Every published count is an
equation (sum of its input cells = value), every declared additive relation is one (total − parts = 0),
every rolling mean is one (k × mean = the window's cells), and every published share or rate is
assumed to give away all its inputs (the worst case: the reader knows the other term).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from indicators.disclosure import Hidden, SuppressionRule, inherit_suppression, pointers, suppress
from indicators.flags import load_flag_macros
from indicators.registry import TOTAL_CODES, IndicatorSpec, load_catalogue, parse_indicator_spec
from indicators.sources import load_sources

PRIVATE_SOURCE = "bra_order_partner_integrity_police_region"
TOLERANCE = 1e-8


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@dataclass
class System:
    """A linear system over input cells (provenance pointers): rows of A, right-hand sides b."""

    variables: dict[str, int] = field(default_factory=dict)
    rows: list[dict[int, float]] = field(default_factory=list)
    rhs: list[float] = field(default_factory=list)

    def var(self, pointer: str) -> int:
        return self.variables.setdefault(pointer, len(self.variables))

    def add(self, coefficients: dict[str, float], value: float = 0.0) -> None:
        row: dict[int, float] = {}
        for pointer, c in coefficients.items():
            j = self.var(pointer)
            row[j] = row.get(j, 0.0) + c
        if any(abs(c) > 0 for c in row.values()):
            self.rows.append(row)
            self.rhs.append(value)

    def solve(self, targets: list[dict[str, float]]) -> list[float | None]:
        """Per target (a linear combination of cells): its value if the system determines it, else None."""
        known = [t for t in targets if all(p in self.variables for p in t)]
        if not self.rows or not known:
            return [None] * len(targets)
        # Only the equations connected to a target matter: union-find over the variables.
        parent = list(range(len(self.variables)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for row in self.rows:
            cols = list(row)
            for c in cols[1:]:
                parent[find(c)] = find(cols[0])
        roots = {find(self.variables[p]) for t in known for p in t}
        rows = [i for i, row in enumerate(self.rows) if find(next(iter(row))) in roots]
        columns = sorted({j for i in rows for j in self.rows[i]})
        local = {j: k for k, j in enumerate(columns)}
        matrix = np.zeros((len(rows), len(columns)))
        for r, i in enumerate(rows):
            for j, c in self.rows[i].items():
                matrix[r, local[j]] = c
        b = np.array([self.rhs[i] for i in rows])
        _, s, vt = np.linalg.svd(matrix, full_matrices=True)
        rank = int(np.count_nonzero(s > s.max() * max(matrix.shape) * np.finfo(float).eps)) if s.size else 0
        null_space = vt[rank:]
        x = np.linalg.lstsq(matrix, b, rcond=None)[0]
        out = []
        for target in targets:
            if not all(p in self.variables for p in target):
                out.append(None)
                continue
            vector = np.zeros(len(columns))
            for p, c in target.items():
                vector[local[self.variables[p]]] += c
            determined = null_space.size == 0 or np.linalg.norm(null_space @ vector) < TOLERANCE
            out.append(float(vector @ x) if determined else None)
        return out


def published_tables(site: Path) -> dict[str, pd.DataFrame]:
    """Each computed indicator's CSV joined with its provenance CSV (the input cells of each value)."""
    tables = {}
    for spec in load_catalogue().values():
        if spec.is_development:
            continue
        keys = ["indicator_id", "year", *spec.output_breakdowns]
        values = read_csv(site / "data" / "indicators" / f"{spec.id}.csv")
        cells = read_csv(site / "data" / "provenance" / f"{spec.id}.csv")[[*keys, "source_cells"]]
        tables[spec.id] = values.merge(cells, on=keys, how="left", validate="one_to_one")
    return tables


def attacker_system(tables: dict[str, pd.DataFrame]) -> System:
    """Everything a reader can write down from the published tables and the declared relations."""
    system = System()
    catalogue = load_catalogue()
    for indicator_id, table in tables.items():
        spec = catalogue[indicator_id]
        annual = table[table["statistic"] == "annual"] if "statistic" in table else table
        if spec.unit != "count":
            # A share or a rate and the other term give its input away: assume the worst.
            for cells in table.loc[table["value"] != "", "source_cells"]:
                for pointer in pointers(cells):
                    system.add({pointer: 1.0})
            continue
        for _, row in annual.iterrows():
            if row["value"] != "" and pointers(row["source_cells"]):
                system.add({p: 1.0 for p in pointers(row["source_cells"])}, float(row["value"]))
        # k × mean = the sum of the window's cells (the rolling provenance lists them all).
        if spec.rolling_mean_years:
            for _, row in table[(table["statistic"] != "annual") & (table["value"] != "")].iterrows():
                system.add({p: 1.0 for p in pointers(row["source_cells"])},
                           spec.rolling_mean_years * float(row["value"]))
        for dimension in spec.additive:
            others = ["year", *[b for b in spec.breakdowns if b != dimension]]
            for _, group in annual.groupby(others):
                total = group[group[dimension] == TOTAL_CODES[dimension]]
                parts = group[group[dimension] != TOTAL_CODES[dimension]]
                if len(total) != 1 or parts.empty:
                    continue
                relation: dict[str, float] = {}
                for p in pointers(total["source_cells"].iloc[0]):
                    relation[p] = relation.get(p, 0.0) + 1.0
                for cells in parts["source_cells"]:
                    for p in pointers(cells):
                        relation[p] = relation.get(p, 0.0) - 1.0
                system.add(relation)
    return system


def private_snapshots(site: Path) -> set[str]:
    sources = read_csv(site / "data" / "sources.csv")
    public = {s.id for s in load_sources().values() if s.public}
    return {sha[:12] for sha, source in zip(sources["sha256"], sources["source_id"], strict=True)
            if source not in public}


def hidden_targets(tables: dict[str, pd.DataFrame], private: set[str]) -> list[tuple[str, dict, dict[str, float]]]:
    """Every published cell flagged c that rests on a non-public input: (indicator, key, cells)."""
    found = []
    for indicator_id, table in tables.items():
        for record in table[table["flag"].str.contains("c")].to_dict("records"):
            cells = pointers(record["source_cells"])
            if cells and any(p.split(":", 1)[0] in private for p in cells):
                found.append((indicator_id, record, {p: 1.0 for p in cells}))
    return found


# --------------------------------------------------------------------------- the shipped build
@pytest.fixture(scope="module")
def site(built_in_process) -> Path:
    return built_in_process / "out" / "site"


def test_the_shipped_build_hides_small_counts_with_primary_and_secondary_suppression(site):
    """The shipped non-public input (a Brå custom order by police region) leaves [c] cells on the site,
    counted in data/suppression.csv and in a sentence on the page."""
    table = read_csv(site / "data" / "indicators" / "MVK12.csv")
    regional = table[table["police_region"] != "T"]
    hidden = regional[regional["flag"].str.contains("c")]
    assert not hidden.empty and (hidden["value"] == "").all()
    shown = pd.to_numeric(regional.loc[regional["value"] != "", "value"])
    assert not ((shown >= 1) & (shown <= 4)).any()                      # no small count is published
    national = table[table["police_region"] == "T"]
    assert not national["flag"].str.contains("c").any()                 # Brå's published figures stay

    counts = read_csv(site / "data" / "suppression.csv").set_index("indicator_id")
    assert list(counts.columns) == ["primary", "secondary"]
    primary, secondary = int(counts.loc["MVK12", "primary"]), int(counts.loc["MVK12", "secondary"])
    assert primary >= 1 and secondary >= 1 and primary + secondary == len(hidden)
    assert set(counts.index) == {s.id for s in load_catalogue().values()
                                 if not s.is_development and PRIVATE_SOURCE in s.sources}

    page = (site / "indicators" / "MVK12.html").read_text(encoding="utf-8")
    assert "[c]" in page
    assert f"primär undertryckning {primary}, sekundär undertryckning {secondary}." in page
    english = (site / "en" / "indicators" / "MVK12.html").read_text(encoding="utf-8")
    assert f"primary suppression {primary}, secondary suppression {secondary}." in english


def test_no_hidden_cell_can_be_solved_for_from_everything_published(site):
    tables = published_tables(site)
    targets = hidden_targets(tables, private_snapshots(site))
    assert targets, "the shipped build should hide some cells of its non-public input"
    solved = attacker_system(tables).solve([cells for _, _, cells in targets])
    recovered = [(i, {k: v for k, v in r.items() if k not in ("source_cells",)}, value)
                 for (i, r, _), value in zip(targets, solved, strict=True) if value is not None]
    assert recovered == []


def test_the_warehouse_log_says_which_cell_and_why_never_the_value(built_in_process):
    conn = duckdb.connect(str(built_in_process / "out" / "warehouse" / "warehouse.duckdb"), read_only=True)
    try:
        log = conn.execute("select * from indicators.suppression_log where indicator_id = 'MVK12'").df()
    finally:
        conn.close()
    assert {"indicator_id", "cell", "kind", "reason", "protects", "rule"} <= set(log.columns)
    assert "value" not in log.columns
    assert set(log["kind"]) == {"primary", "secondary"}
    assert log["cell"].str.match(r"^year=\d{4}; sex=[KMT]; police_region=[A-Z]+$").all()
    assert (log["rule"].str.startswith("count 1-4 hidden")).all()
    assert (log.loc[log["kind"] == "secondary", "protects"] != "").all()


def test_primary_suppression_alone_would_have_given_the_hidden_counts_away(built_in_process):
    """The attack that worked before: hide only the small counts and M = T − K gives them back exactly.
    The shipped pattern blocks the same attack on the same cells."""
    spec = load_catalogue()["MVK12"]
    conn = duckdb.connect(str(built_in_process / "out" / "warehouse" / "warehouse.duckdb"), read_only=True)
    try:
        load_flag_macros(conn)
        truth = conn.execute(spec.sql).df()
        private = {sha for (sha,) in conn.execute(
            "select distinct left(snapshot_sha256, 12) from raw.observations where source_id = ?",
            [PRIVATE_SOURCE]).fetchall()}
    finally:
        conn.close()
    truth["flag"] = truth["flag"].fillna("")
    is_private = truth["provenance"].map(lambda cells: any(p.split(":", 1)[0] in private for p in pointers(cells)))
    small = is_private & truth["value"].between(1, 4)
    assert small.any()
    naive = truth.copy()
    naive.loc[small, "value"] = np.nan
    naive.loc[small, "flag"] = "c"
    naive["statistic"] = "annual"
    as_published = naive.assign(indicator_id="MVK12", source_cells=naive["provenance"],
                                value=[("" if pd.isna(v) else f"{v:.0f}") for v in naive["value"]])
    targets = [{p: 1.0 for p in pointers(cells)} for cells in truth.loc[small, "provenance"]]
    recovered = attacker_system({"MVK12": as_published.drop(columns=["statistic"])}).solve(targets)
    assert recovered == pytest.approx(truth.loc[small, "value"].tolist())   # every small count comes back

    site = built_in_process / "out" / "site"
    shipped = attacker_system(published_tables(site)).solve(targets)
    assert shipped == [None] * len(targets)


# ------------------------------------------------------------------------------ derived values
def hidden_pattern() -> dict[str, Hidden]:
    return {"s:line 3": Hidden("primary", "primary.small_count", "", cell="year=2024, region=09")}


def test_a_rate_over_a_hidden_count_is_hidden_too():
    """A rate per 100 000 reveals its numerator (rate × population / 100 000): it inherits the [c]."""
    rates = pd.DataFrame({"year": [2024, 2024], "region": ["01", "09"], "value": [12.5, 3.4],
                          "flag": ["", "b"], "ci_low": [1.0, 1.0], "provenance": ["s:line 2; p:line 2",
                                                                               "s:line 3; p:line 3"]})
    result = inherit_suppression(rates, hidden_pattern(), key_columns=["year", "region"], cleared_columns=["ci_low"])
    out = result.frame.set_index("region")
    assert out.loc["01", "value"] == 12.5 and out.loc["01", "flag"] == ""
    assert np.isnan(out.loc["09", "value"]) and np.isnan(out.loc["09", "ci_low"])
    assert out.loc["09", "flag"] == "cb"                   # c first; the break still applies to the cell
    assert result.log.to_dict("records") == [{"year": 2024, "region": "09", "kind": "primary",
                                              "reason": "primary.derived", "protects": "year=2024, region=09"}]


def test_a_rolling_mean_over_a_hidden_year_is_hidden(tmp_path, monkeypatch):
    """mean × 3 − the two published years would give the hidden year back: the mean is [c]."""
    from dataclasses import replace

    import indicators.compute as compute_module
    from indicators.compute import compute_with_log
    from indicators.warehouse import ensure_schema

    sources = dict(load_sources())
    sources["bra_lethal_violence"] = replace(sources["bra_lethal_violence"], public=False)
    monkeypatch.setattr(compute_module, "load_sources", lambda: sources)
    spec = load_catalogue()["MVK05"]
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(conn)
    columns = [r[0] for r in conn.execute("describe raw.observations").fetchall()]
    rows = []
    for position, (year, value) in enumerate(((2019, 16.0), (2020, 3.0), (2021, 15.0), (2022, 10.0), (2023, 14.0))):
        rows.append({"source_id": "bra_lethal_violence", "snapshot_sha256": "a" * 64,
                     "location": f"line {position + 2}", "year": year, "sex": "K", "region": "00",
                     "police_region": "T", "age_group": "T",
                     "offence": "T", "relation": "partner", "violence_type": "T", "sanction": "T", "programme": "T",
                     "measure": "victims", "value": value, "flag": "", "source_symbol": None, "reliability": "V",
                     "source_url": "https://example.org", "illustrative": False, "note": None, "revised": False})
    conn.register("rows", pd.DataFrame(rows)[[c for c in columns if c in rows[0]]])
    conn.execute("insert into raw.observations by name select * from rows")
    from indicators.staging import build_staging
    build_staging(conn)

    frame, log = compute_with_log(conn, spec)
    means = frame[frame["statistic"] == "rolling_3y"].set_index("year")
    # Windows 2019–2021, 2020–2022 and 2021–2023: the first two hold the hidden 2020.
    assert np.isnan(means.loc[2021, "value"]) and "c" in means.loc[2021, "flag"]
    assert np.isnan(means.loc[2022, "value"]) and "c" in means.loc[2022, "flag"]
    assert means.loc[2023, "value"] == pytest.approx(13.0) and "c" not in means.loc[2023, "flag"]
    derived = log[log["statistic"] == "rolling_3y"]
    assert sorted(derived["year"]) == [2021, 2022] and set(derived["reason"]) == {"primary.derived"}
    assert set(derived["protects"]) == {"year=2020, sex=K, relation=partner"}   # the small count it would reveal
    assert "value" not in log.columns


# ------------------------------------------------------------------------------ declared relations
SPEC = """
id: MVK99
name: {sv: Test, en: Test}
definition: {sv: Test, en: Test}
strategy_objectives: [3]
status: indicator
unit: %(unit)s
breakdowns: [sex, region]
direction: up
sources: [bra_reported_gross_violation]
%(additive)s
"""


@pytest.mark.parametrize(("unit", "additive", "problem"), [
    ("percent", "additive: [sex]", "only counts add up"),
    ("count", "additive: [relation]", "is not one of the breakdowns"),
    ("count", "", "must declare which add up"),
])
def test_a_relation_that_cannot_hold_is_refused_when_the_spec_loads(unit, additive, problem):
    with pytest.raises(ValueError, match=problem):
        parse_indicator_spec(SPEC % {"unit": unit, "additive": additive})


def test_every_count_with_breakdowns_declares_its_relations():
    counts = {i: s for i, s in load_catalogue().items() if s.unit == "count" and s.breakdowns}
    assert all("additive" in yaml.safe_load(s.spec_text) for s in counts.values())
    expected = {"MVK07": ("sex",), "MVK08": ("region",), "MVK10": ("relation", "sex"),
                "MVK12": ("sex", "police_region")}   # victims by sex, counties, relations, police regions
    assert {i: counts[i].additive for i in expected} == expected
    assert all(not s.additive for s in load_catalogue().values() if s.unit != "count")
    assert isinstance(parse_indicator_spec(SPEC % {"unit": "count", "additive": "additive: []"}), IndicatorSpec)


def test_suppress_keeps_its_api_and_protects_cells_hidden_elsewhere():
    """H5's call (no new arguments) still works; ``hidden_column`` protects a cell hidden in another table."""
    frame = pd.DataFrame({"sex": ["K", "M", "T"], "value": [20.0, 30.0, 50.0], "flag": ["", "", ""],
                          "elsewhere": [True, False, False]})
    plain = suppress(frame, key_columns=["sex"], totals={"sex": "T"}, rule=SuppressionRule())
    assert plain.frame["flag"].tolist() == ["", "", ""] and plain.log.empty
    linked = suppress(frame, key_columns=["sex"], totals={"sex": "T"}, hidden_column="elsewhere")
    assert linked.frame["flag"].tolist() == ["c", "c", ""]       # M = T − K would give K back
    assert linked.log["kind"].tolist() == ["secondary"]


def test_the_site_csv_parses_as_plain_numbers(site):
    text = (site / "data" / "suppression.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["indicator_id", "primary", "secondary"]
    assert all(r[1].isdigit() and r[2].isdigit() for r in rows[1:])


def _lethal_violence_warehouse(tmp_path, monkeypatch, cells: dict[tuple[int, str, str], float]):
    """A warehouse holding only a non-public copy of the lethal-violence table (one cell per line)."""
    from dataclasses import replace

    import indicators.compute as compute_module
    from indicators.staging import build_staging
    from indicators.warehouse import WAREHOUSE_COLUMNS, ensure_schema

    sources = dict(load_sources())
    sources["bra_lethal_violence"] = replace(sources["bra_lethal_violence"], public=False)
    monkeypatch.setattr(compute_module, "load_sources", lambda: sources)
    rows = [{"source_id": "bra_lethal_violence", "snapshot_sha256": "b" * 64, "location": f"line {n + 2}",
             "year": year, "sex": sex, "region": "00", "police_region": "T", "age_group": "T", "offence": "T",
             "relation": relation, "violence_type": "T", "sanction": "T", "programme": "T", "measure": "victims",
             "value": value, "flag": "", "source_symbol": None, "reliability": "V",
             "source_url": "https://example.org", "illustrative": False, "note": None, "revised": False}
            for n, ((year, sex, relation), value) in enumerate(sorted(cells.items()))]
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(conn)
    conn.register("rows", pd.DataFrame(rows)[[c for c in WAREHOUSE_COLUMNS if c in rows[0]]])
    conn.execute("insert into raw.observations by name select * from rows")
    build_staging(conn)
    return conn


def test_a_share_over_a_hidden_count_is_hidden_with_it(tmp_path, monkeypatch):
    """MVK06 (women killed by a partner / all women killed) would give the hidden MVK05 count back as
    share × denominator; it inherits the [c], and the counts tables hide the same cell."""
    from indicators.compute import compute_with_log

    cells = {}
    for year, partner_women, other_women, partner_men, other_men in (
            (2019, 16, 20, 6, 70), (2020, 3, 18, 7, 66), (2021, 15, 19, 9, 71)):
        for sex, partner, other in (("K", partner_women, other_women), ("M", partner_men, other_men),
                                    ("T", partner_women + partner_men, other_women + other_men)):
            cells[(year, sex, "partner")] = float(partner)
            cells[(year, sex, "other")] = float(other)
            cells[(year, sex, "T")] = float(partner + other)
    conn = _lethal_violence_warehouse(tmp_path, monkeypatch, cells)
    catalogue = load_catalogue()

    share, share_log = compute_with_log(conn, catalogue["MVK06"])
    by_year = share.set_index("year")
    assert np.isnan(by_year.loc[2020, "value"]) and by_year.loc[2020, "flag"].startswith("c")
    assert by_year.loc[2019, "value"] == pytest.approx(100 * 16 / 36)           # nothing small: published
    assert share_log[["year", "kind", "reason"]].to_dict("records") == [
        {"year": 2020, "kind": "primary", "reason": "primary.derived"}]

    count, _ = compute_with_log(conn, catalogue["MVK05"])
    annual = count[count["statistic"] == "annual"].set_index("year")
    assert np.isnan(annual.loc[2020, "value"]) and "c" in annual.loc[2020, "flag"]
    by_sex, _ = compute_with_log(conn, catalogue["MVK07"])
    women = by_sex[(by_sex["statistic"] == "annual") & (by_sex["sex"] == "K")].set_index("year")
    assert np.isnan(women.loc[2020, "value"])                          # the same cell, hidden in every table
    hidden = by_sex[(by_sex["statistic"] == "annual") & (by_sex["year"] == 2020)]
    assert hidden["flag"].str.contains("c").sum() >= 2                 # and T − M cannot give it back


def test_a_hidden_cell_keeps_its_revision_and_break_letters_and_is_still_audited():
    """Flags hold several letters (c x z u p r b e): a hidden revised cell reads "cr", not "c" alone,
    and the audit finds hidden cells by the letter c, whatever else the flag holds."""
    from indicators.disclosure import recoverable_cells

    frame = pd.DataFrame({"sex": ["K", "M", "T"], "value": [3.0, 40.0, 43.0], "flag": ["rb", "p", ""]})
    result = suppress(frame, key_columns=["sex"], totals={"sex": "T"})
    assert result.frame["flag"].tolist() == ["crb", "c", ""]        # p qualified a value no longer shown
    leaky = result.frame.copy()
    leaky.loc[1, "value"], leaky.loc[1, "flag"] = 40.0, "p"         # publish M again: K = T − M
    assert recoverable_cells(leaky, key_columns=["sex"], totals={"sex": "T"}, flag_column="flag") == [("K",)]


def test_the_non_public_demo_file_is_generated_exactly_and_marked_illustrative(tmp_path):
    """data/generate_disclosure_demo_data.py writes the shipped file byte for byte (fixed seed), every
    cell is marked illustrative, and the police regions add up to Brå's published national figures."""
    import importlib.util

    data = Path(__file__).resolve().parents[1] / "data"
    module_spec = importlib.util.spec_from_file_location("generate_disclosure",
                                                         data / "generate_disclosure_demo_data.py")
    generator = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(generator)
    generator.ROOT = tmp_path
    generator.main()
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert [p.parts[0] for p in written] == [PRIVATE_SOURCE, PRIVATE_SOURCE]
    for relative in written:
        assert (tmp_path / relative).read_bytes() == (data / "sources" / relative).read_bytes(), relative
    provenance = yaml.safe_load(next(p for p in (tmp_path / PRIVATE_SOURCE).iterdir()
                                     if p.name.endswith(".provenance.yaml")).read_text(encoding="utf-8"))
    assert provenance["cells"] == [{"match": {}, "reliability": "illustrative", "note": generator.NOTE}]
    assert not load_sources()[PRIVATE_SOURCE].public
    table = pd.read_csv(next(p for p in (tmp_path / PRIVATE_SOURCE).iterdir() if p.suffix == ".csv"),
                        sep=";", encoding="utf-8-sig", dtype=str)
    table["n"] = table["Antal anmälda brott"].str.replace("\u00a0", "").astype(int)
    national = generator.national_figures()
    for (year, sex), total in national.items():
        label = {"K": "Kvinnor", "M": "Män"}[sex]
        assert table[(table["År"] == str(year)) & (table["Brottsoffrets kön"] == label)]["n"].sum() == total
    assert table["n"].between(1, 4).any()                              # small counts: suppression runs


def test_a_table_whose_hidden_cell_could_be_computed_is_refused(tmp_path, monkeypatch):
    """Fail closed: with primary suppression only (the pattern before this change), MVK07 would publish
    T and M beside a hidden K, so the indicator refuses to publish instead."""
    import indicators.compute as compute_module
    from indicators.compute import IndicatorError, compute_with_log

    cells = {}
    for year, women, men in ((2019, 16, 6), (2020, 3, 7)):
        for sex, value in (("K", women), ("M", men), ("T", women + men)):
            cells[(year, sex, "partner")] = float(value)
    conn = _lethal_violence_warehouse(tmp_path, monkeypatch, cells)
    pointer = conn.execute(
        "select provenance from staging.lethal_violence where year = 2020 and sex = 'K'").fetchone()[0]
    monkeypatch.setattr(compute_module, "disclosure_pattern",
                        lambda conn, spec: {pointer: Hidden("primary", "primary.small_count", "")})
    with pytest.raises(IndicatorError, match="hidden cells can be computed from the published ones"):
        compute_with_log(conn, load_catalogue()["MVK07"])
