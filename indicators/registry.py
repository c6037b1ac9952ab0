"""The indicator catalogue: one YAML spec per indicator in ``indicators/catalogue/`` and its SQL.

Ids are the catalogue's (MVK01 … MVK27, BRIEF.md §6.3) everywhere: file names, asset keys, table
names and CSV names. Because an id becomes a table name, it must match ``MVK\\d{2}`` exactly; that
allowlist is what makes it safe to use as an SQL identifier.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from indicators.sources import STANDARD_DIMENSIONS, load_sources
from indicators.yaml_text import load_yaml

CATALOGUE_DIR = Path(__file__).parent / "catalogue"
SQL_DIR = Path(__file__).parent / "sql"
ID_PATTERN = re.compile(r"^MVK\d{2}$")
UNITS = ("count", "percent", "per_100k")
DIRECTIONS = ("up", "down", "down*", "contextual")
# The code of each breakdown's total (sex T, region 00, …). `statistic` is added by the engine when a
# spec asks for rolling means: "annual" is the yearly value, "rolling_3y" the mean of three years.
# `measure` lets one indicator publish a count beside a ratio built on it (MVK15: "count" and
# "per_100_reported"); the count is the headline, the spec's main_series says which one is judged.
TOTAL_CODES = dict(STANDARD_DIMENSIONS) | {"statistic": "annual", "measure": "count"}
BREAKDOWNS = tuple(TOTAL_CODES)
STATUSES = ("indicator", "development_indicator")
# Breakdowns of indicators computed from the action programme's register (MVK27), total code T.
TOTAL_CODES |= {"programme_objective": "T", "agency": "T"}
BREAKDOWNS = tuple(TOTAL_CODES)
# A perspective code (register.yaml ``perspectives``: barnratt, heder, flickor, …); checked against the
# register where both are known (tests/test_perspective_coverage.py), since the register is data.
PERSPECTIVE_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
# An indicator whose SQL reads the action programme's tables depends on the programme's status asset.
PROGRAMME_TABLE = re.compile(r"\bprogramme\.[a-z_]+\b")


@dataclass(frozen=True)
class IndicatorSpec:
    id: str
    name: dict[str, str]
    definition: dict[str, str]
    strategy_objectives: tuple[int, ...]
    programme_objectives: tuple[str, ...]
    status: str
    unit: str
    decimals: int
    breakdowns: tuple[str, ...]
    direction: str
    baseline_year: int
    sources: tuple[str, ...]
    evidence: str
    caveats: dict[str, str]
    series_breaks: tuple[dict, ...]
    spec_text: str
    target: float | None = None
    target_year: int | None = None
    rolling_mean_years: int | None = None     # small counts: publish rolling means beside yearly values
    yoy_tolerance: float | None = None        # a year-on-year change beyond this (relative) is a warning
    min_base: int | None = None               # survey shares: a sample below this gets flag u
    data_needed: dict[str, str] | None = None  # development indicators: what data would be needed
    main_series: dict[str, str] | None = None  # the series a reader looks at first, where not the totals
    additive: tuple[str, ...] = ()             # breakdowns whose total is the sum of the other codes
    perspectives: tuple[str, ...] = ()         # perspectives its breakdown or focus serves (register codes)

    @property
    def total_codes(self) -> dict[str, str]:
        """Breakdown codes of the headline series: every breakdown at its total (sex T, region 00, …)."""
        return {b: TOTAL_CODES[b] for b in self.output_breakdowns}

    @property
    def main_codes(self) -> dict[str, str]:
        """Breakdown codes of the main series: the totals, unless the spec names another series."""
        return {**self.total_codes, **{b: c for b, c in (self.main_series or {}).items() if b in self.total_codes}}

    @property
    def output_breakdowns(self) -> tuple[str, ...]:
        """The breakdown columns of the published table (the spec's, plus `statistic` for rolling means)."""
        return (*self.breakdowns, "statistic") if self.rolling_mean_years else self.breakdowns

    @property
    def is_development(self) -> bool:
        return self.status == "development_indicator"

    @property
    def reads_programme(self) -> bool:
        """Computed from the action programme's register (its SQL reads ``programme.*`` tables)."""
        return not self.is_development and self.sql_path.exists() and bool(PROGRAMME_TABLE.search(self.sql))

    @property
    def sql_path(self) -> Path:
        return SQL_DIR / f"{self.id}.sql"

    @property
    def sql(self) -> str:
        return self.sql_path.read_text(encoding="utf-8")

    @property
    def code_version(self) -> str:
        """A short hash of spec, SQL and the shared flag rule (``sql/flags.sql``): editing one indicator
        marks only that indicator stale; changing the rule marks every indicator."""
        rule = (SQL_DIR / "flags.sql").read_text(encoding="utf-8")
        return hashlib.sha256((self.spec_text + "\0" + self.sql + "\0" + rule).encode("utf-8")).hexdigest()[:12]


def parse_indicator_spec(text: str) -> IndicatorSpec:
    doc = load_yaml(text)
    spec = IndicatorSpec(
        id=str(doc["id"]),
        name=doc["name"],
        definition=doc["definition"],
        strategy_objectives=tuple(int(o) for o in doc["strategy_objectives"]),
        programme_objectives=tuple(str(o) for o in doc.get("programme_objectives", ())),
        status=doc["status"],
        unit=doc["unit"],
        decimals=int(doc.get("decimals", 1)),
        breakdowns=tuple(doc.get("breakdowns") or ()),
        direction=doc["direction"],
        baseline_year=int(doc.get("baseline_year", 2016)),
        sources=tuple(doc.get("sources") or ()),
        evidence=str(doc.get("evidence", "")),
        caveats=doc.get("caveats") or {},
        series_breaks=tuple(doc.get("series_breaks") or ()),
        spec_text=text,
        target=float(doc["target"]) if doc.get("target") is not None else None,
        target_year=int(doc["target_year"]) if doc.get("target_year") else None,
        rolling_mean_years=int(doc["rolling_mean_years"]) if doc.get("rolling_mean_years") else None,
        yoy_tolerance=float(doc["yoy_tolerance"]) if doc.get("yoy_tolerance") is not None else None,
        min_base=int(doc["min_base"]) if doc.get("min_base") else None,
        data_needed=doc.get("data_needed"),
        main_series={str(k): str(v) for k, v in (doc.get("main_series") or {}).items()} or None,
        additive=tuple(doc.get("additive") or ()),
        perspectives=tuple(str(p) for p in (doc.get("perspectives") or ())),
    )
    problems = []
    if not ID_PATTERN.match(spec.id):
        problems.append(f"id {spec.id!r} is not of the form MVK01")
    if spec.status not in STATUSES:
        problems.append(f"status {spec.status!r} not in {STATUSES}")
    if spec.is_development and not (spec.data_needed and spec.data_needed.get("sv") and spec.data_needed.get("en")):
        problems.append("a development indicator must say which data it needs (data_needed sv/en)")
    if spec.unit not in UNITS:
        problems.append(f"unit {spec.unit!r} not in {UNITS}")
    if spec.direction not in DIRECTIONS:
        problems.append(f"direction {spec.direction!r} not in {DIRECTIONS}")
    bad = [p for p in spec.perspectives if not PERSPECTIVE_CODE.match(p)]
    if bad or len(set(spec.perspectives)) != len(spec.perspectives):
        problems.append(f"perspectives must be distinct register codes (barnratt, heder, …), "
                        f"got {list(spec.perspectives)}")
    unknown = [b for b in (*spec.breakdowns, *spec.additive) if b not in BREAKDOWNS]
    if unknown:
        problems.append(f"unknown breakdowns {unknown}")
    missing_sources = [s for s in spec.sources if s not in load_sources()]
    if missing_sources:
        problems.append(f"unknown sources {missing_sources}")
    else:
        problems += additive_problems(spec, declared="additive" in (doc or {}))
    for lang in ("sv", "en"):
        if not spec.name.get(lang) or not spec.definition.get(lang):
            problems.append(f"name/definition missing in {lang}")
    if problems:
        raise ValueError(f"indicator spec {spec.id}: " + "; ".join(problems))
    return spec


def additive_problems(spec: IndicatorSpec, *, declared: bool = True) -> list[str]:
    """Why the spec's additive relations cannot be used for disclosure control (empty when they can).

    Secondary suppression protects a hidden cell only against the relations a spec declares, so a
    relation must be real: on a breakdown of a count table (a share or a rate is not a sum of parts),
    with its total code (``TOTAL_CODES``) among the codes the breakdown can take, i.e. in the code list
    (sex, region, police region) and producible by every source layout that reads that breakdown. A count
    table with breakdowns must say which of them add up (``additive: []`` when none), so that forgetting
    it is an error rather than a table protected by primary suppression only.
    """
    from indicators.sources import _allowed_codes, police_region_codes, region_codes, sex_codes

    problems = []
    if spec.unit == "count" and spec.breakdowns and not declared and not spec.is_development:
        problems.append("a count table with breakdowns must declare which add up (additive: [...], [] for none)")
    if spec.additive and spec.unit != "count":
        problems.append(f"additive {list(spec.additive)} on a {spec.unit} table: only counts add up")
    code_lists = {"sex": sex_codes, "region": region_codes, "police_region": police_region_codes}
    for dimension in spec.additive:
        if dimension not in spec.breakdowns:
            problems.append(f"additive breakdown {dimension!r} is not one of the breakdowns {list(spec.breakdowns)}")
            continue
        total = TOTAL_CODES[dimension]
        if dimension in code_lists and total not in code_lists[dimension]():
            problems.append(f"additive {dimension}: total code {total!r} is not in the {dimension} code list")
        for source_id in spec.sources:
            rule = load_sources()[source_id].rule(dimension)
            if rule is None:
                continue  # the SQL sets the code itself (e.g. the national rows of a regional table)
            if rule.const is not None:
                continue  # a constant code: the SQL combines it with other sources' rows
            allowed = _allowed_codes(rule)
            if allowed is not None and total not in allowed:
                problems.append(f"additive {dimension}: source {source_id} cannot produce the total code {total!r}")
    return problems


@cache
def load_catalogue() -> dict[str, IndicatorSpec]:
    """All indicator specs in id order; a spec's file name must equal its id."""
    specs = {}
    for path in sorted(CATALOGUE_DIR.glob("*.yaml")):
        spec = parse_indicator_spec(path.read_text(encoding="utf-8"))
        if spec.id != path.stem:
            raise ValueError(f"{path.name}: id {spec.id} differs from the file name")
        if not spec.is_development and not spec.sql_path.exists():
            raise ValueError(f"{spec.id}: no SQL file {spec.sql_path.name}")
        specs[spec.id] = spec
    return specs
