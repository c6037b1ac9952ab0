"""The source catalogue: one declarative YAML file per source in ``indicators/sources/``.

A source spec says who publishes the table, where it lives, which formats are accepted, and how the
file's own dimensions and codes map onto the warehouse's (``layout``). Mapping by name or label,
never by position, is what lets a file be accepted whatever its column order or STUB/HEADING order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from indicators.yaml_text import load_yaml

SOURCES_DIR = Path(__file__).parent / "sources"
CODES_DIR = Path(__file__).parent / "codes"

# Warehouse dimensions every observation has, and the code a source that lacks one gets.
STANDARD_DIMENSIONS: dict[str, str] = {
    "sex": "T",                # K, M, T
    "region": "00",            # SCB codes: 00, län 01–25, four-digit kommun
    "police_region": "T",      # Brå's seven police regions (indicators/codes/police_regions.yaml)
    "age_group": "T",          # e.g. 16-84, 18-24
    "offence": "T",            # e.g. sexual_offence, assault
    "relation": "T",           # victim–offender relation: partner, family, known, stranger, other
    "violence_type": "T",      # psychological, physical, sexual (intimate-partner surveys)
    "sanction": "T",           # prison, probation (Kriminalvården)
    "programme": "T",          # treatment programme (Kriminalvården)
}
# A publisher marker maps to one of these: a GSS flag (the value is missing) or 'zero' (value 0).
GSS_FLAGS = ("c", "x", "z", "u", "p", "r", "b", "e")
# A spec with this ``kind`` is offence-level microdata (indicators/microdata.py), not a published table.
MICRODATA_KIND = "microdata"


@dataclass(frozen=True)
class DimensionRule:
    """How one warehouse dimension is read from a file: from a file variable, or a constant."""

    target: str
    names: tuple[str, ...] = ()          # accepted variable/column names or labels in the file
    codes: str | None = None             # a code list: 'sex', 'region' or 'year'
    mapping: dict[str, tuple[str, ...]] = field(default_factory=dict)  # target code -> accepted codes/labels
    const: str | None = None
    offset: int = 0                      # year only: survey year -> reference year


@dataclass(frozen=True)
class SourceSpec:
    id: str
    publisher: dict[str, str]
    table_id: str
    title: dict[str, str]
    url: str
    licence: dict[str, str]
    formats: tuple[str, ...]
    staging_table: str
    unit: str
    release_months: tuple[int, ...]
    first_year: int
    last_year: int
    rules: tuple[DimensionRule, ...]
    measure: str
    value_names: tuple[str, ...]
    symbols: dict[str, str]
    series_breaks: tuple[dict, ...]
    caveats: dict[str, str]
    additive: dict[str, str] = field(default_factory=dict)   # dimension -> total code that sums its parts
    noise_from_year: int | None = None   # from this year totals may differ on purpose (SCB's Cell Key Method)
    sheet: str | None = None             # XLSX: the sheet to read (else the first sheet holding a table)
    public: bool = True                  # False for agency submissions and microdata: counts need disclosure control
    # The release calendar: data year Y is published in ``release_months`` of year Y + ``release_lag_years``;
    # a new data year comes every ``release_every_years`` (0: irregular, no expected date).
    release_lag_years: int = 1
    release_every_years: int = 1
    # Wide tables whose header labels combine several dimensions ("Kvinnor dödade av nuvarande eller
    # tidigare partner"): label -> {warehouse dimension: warehouse code}. See ``parse_columns``.
    columns: dict[str, dict[str, str]] = field(default_factory=dict)

    def rule(self, target: str) -> DimensionRule | None:
        return next((r for r in self.rules if r.target == target), None)


def _as_tuple(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return (str(value),)


def parse_source_spec(doc: dict) -> SourceSpec:
    """Build a spec from its YAML document, refusing unknown dimensions and flags early."""
    layout = dict(doc["layout"])
    measure = layout.pop("measure")["const"]
    value_names = _as_tuple(layout.pop("value", {}).get("from"))
    rules = []
    for target, raw in layout.items():
        if target != "year" and target not in STANDARD_DIMENSIONS:
            raise ValueError(f"source {doc['id']}: unknown warehouse dimension {target!r} in layout")
        rules.append(DimensionRule(
            target=target,
            names=_as_tuple(raw.get("from")),
            codes=raw.get("codes"),
            mapping={str(k): _as_tuple(v) for k, v in (raw.get("map") or {}).items()},
            const=None if raw.get("const") is None else str(raw["const"]),
            offset=int(raw.get("offset", 0)),
        ))
    symbols = {str(k): str(v) for k, v in (doc.get("symbols") or {}).items()}
    for marker, meaning in symbols.items():
        if meaning != "zero" and meaning not in GSS_FLAGS:
            raise ValueError(f"source {doc['id']}: marker {marker!r} maps to {meaning!r}, not a GSS flag or 'zero'")
    if not any(r.target == "year" for r in rules):
        raise ValueError(f"source {doc['id']}: the layout must say where the year is")
    columns = parse_columns(doc.get("columns"), rules, where=f"{doc['id']}.yaml")
    return SourceSpec(
        id=doc["id"],
        publisher=doc["publisher"],
        table_id=str(doc["table_id"]),
        title=doc["title"],
        url=doc["url"],
        licence=doc["licence"],
        formats=_as_tuple(doc["formats"]),
        staging_table=doc["staging_table"],
        unit=doc["unit"],
        release_months=tuple(int(m) for m in doc.get("release_months", ())),
        first_year=int(doc["years"]["first"]),
        last_year=int(doc["years"]["last"]),
        rules=tuple(rules),
        measure=str(measure),
        value_names=value_names,
        symbols=symbols,
        series_breaks=tuple(doc.get("series_breaks") or ()),
        caveats=doc.get("caveats") or {},
        additive={str(k): str(v) for k, v in (doc.get("additive") or {}).items()},
        noise_from_year=int(doc["noise_from_year"]) if doc.get("noise_from_year") else None,
        sheet=doc.get("sheet"),
        public=bool(doc.get("public", True)),
        release_lag_years=int(doc.get("release_lag_years", 1)),
        release_every_years=int(doc.get("release_every_years", 1)),
        columns=columns,
    )


def parse_columns(raw: object, rules: list[DimensionRule] | tuple[DimensionRule, ...], *,
                  where: str) -> dict[str, dict[str, str]]:
    """A spec's ``columns:`` mapping (header label -> codes on several dimensions), checked now.

    Checked when the catalogue loads rather than when a file arrives, so that a typo in a code is the
    spec author's error, named by file and key (``bra_lethal_violence.yaml: columns → "Kvinnor" →
    relation``), and never a user's file refused for it months later. Codes are warehouse codes: a key
    of the dimension's ``map``, or a code of its code list (sex, region, police_region), or a year.
    Every label must name the same dimensions (``year`` apart, which a label may add: "2019 Kvinnor"),
    and each of them must be read from the file, not a constant of the layout.
    """
    from indicators.harmonise import fold_label  # imported here: harmonise imports this module

    if raw is None:
        return {}
    if not isinstance(raw, dict) or not raw:
        raise ValueError(f"{where}: columns: expected a mapping of header label -> {{dimension: code}}, "
                         f"found {raw!r}")
    by_target = {r.target: r for r in rules}
    columns: dict[str, dict[str, str]] = {}
    seen: dict[str, str] = {}
    shape: tuple[str, frozenset[str]] | None = None
    for label, codes in raw.items():
        key = f"{where}: columns → {str(label)!r}"
        text = str(label).strip()
        if not text:
            raise ValueError(f"{key}: a header label cannot be empty")
        folded = fold_label(text)
        if folded in seen:
            raise ValueError(f"{key}: the same label as {seen[folded]!r} (case, spaces and footnote marks "
                             "do not count)")
        seen[folded] = text
        if not isinstance(codes, dict) or not codes:
            raise ValueError(f"{key}: expected {{dimension: code}}, e.g. {{sex: K, relation: partner}}, "
                             f"found {codes!r}")
        parsed: dict[str, str] = {}
        for target, code in codes.items():
            target, code = str(target), str(code).strip()
            rule = by_target.get(target)
            if rule is None:
                raise ValueError(f"{key} → {target}: not a dimension of this source's layout; "
                                 f"expected one of {', '.join(r.target for r in rules if r.const is None)}")
            if rule.const is not None or not rule.names:
                raise ValueError(f"{key} → {target}: the layout does not read {target} from the file "
                                 f"(const: {rule.const}); a column cannot set it")
            allowed = _allowed_codes(rule)
            if target == "year":
                if not (code.isdigit() and len(code) == 4):
                    raise ValueError(f"{key} → year: expected a four-digit year, found {code!r}")
            elif allowed is not None and code not in allowed:
                raise ValueError(f"{key} → {target}: unknown code {code!r}; expected one of "
                                 f"{', '.join(sorted(allowed))}")
            parsed[target] = code
        dims = frozenset(parsed) - {"year"}
        if shape is not None and dims != shape[1]:
            raise ValueError(f"{key}: names the dimensions {', '.join(sorted(dims)) or '-'}, but "
                             f"{shape[0]!r} names {', '.join(sorted(shape[1])) or '-'}; every label must "
                             "name the same ones")
        shape = shape or (text, dims)
        columns[text] = parsed
    return columns


def _allowed_codes(rule: DimensionRule) -> set[str] | None:
    """The warehouse codes a rule can produce, or None when it passes the file's codes through."""
    if rule.mapping:
        return set(rule.mapping)
    if rule.codes == "sex":
        return set(sex_codes())
    if rule.codes == "region":
        return set(region_codes()) | set(municipality_codes())
    if rule.codes == "police_region":
        return set(police_region_codes())
    return None


@cache
def load_sources() -> dict[str, SourceSpec]:
    """Every source spec of a published table, keyed by id (the file name must equal the id).

    ``kind: microdata`` specs (one row per offence, no layout) are read by ``indicators.microdata``."""
    specs = {}
    for path in sorted(SOURCES_DIR.glob("*.yaml")):
        doc = load_yaml(path.read_text(encoding="utf-8"))
        if doc.get("kind") == MICRODATA_KIND:
            continue
        spec = parse_source_spec(doc)
        if spec.id != path.stem:
            raise ValueError(f"{path.name}: id {spec.id!r} differs from the file name")
        specs[spec.id] = spec
    return specs


@cache
def region_codes() -> dict[str, dict[str, str]]:
    return load_yaml((CODES_DIR / "regions.yaml").read_text(encoding="utf-8"))


@cache
def sex_codes() -> dict[str, tuple[str, ...]]:
    doc = load_yaml((CODES_DIR / "sex.yaml").read_text(encoding="utf-8"))
    return {code: _as_tuple(alternatives) for code, alternatives in doc.items()}


@cache
def police_region_codes() -> dict[str, dict]:
    return load_yaml((CODES_DIR / "police_regions.yaml").read_text(encoding="utf-8"))


@cache
def municipality_codes() -> dict[str, str]:
    """SCB's 290 kommun codes -> Swedish name."""
    doc = load_yaml((CODES_DIR / "municipalities.yaml").read_text(encoding="utf-8"))
    return {str(code): name for code, name in doc.items()}


def spec_file(source_id: str) -> Path:
    """The YAML file a source spec is read from (its bytes decide when the source is reloaded)."""
    return SOURCES_DIR / f"{source_id}.yaml"
