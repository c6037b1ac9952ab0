"""Validate a file against the source catalogue: which source it is, and whether it can be loaded.

``mvk validate``, ``mvk ingest``, the inbox sensor and the ingest assets all call ``validate_file``,
so a file is judged the same way wherever it arrives. Validation reads and checks; it never writes.
The first error stops with a ``ReaderError`` (file, location, found, expected); checks that the
source says may legitimately fail (totals perturbed by SCB's Cell Key Method) become warnings.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from indicators.harmonise import (
    distinctive_labels,
    file_format,
    fold,
    fold_label,
    read_source_table,
    table_to_observations,
)
from indicators.i18n import t
from indicators.provenance import annotate, load_provenance
from indicators.readers import ReaderError, Table, read_delimited, read_jsonstat, read_px, read_xlsx
from indicators.readers.model import localise_location
from indicators.readers.numbers import parse_number
from indicators.sources import STANDARD_DIMENSIONS, SourceSpec, load_sources, region_codes, sex_codes

# Text that shows a file was decoded with the wrong encoding somewhere before us: UTF-8 bytes read as
# Windows-1252 and saved again ("Ã¤" for "ä"), or characters already replaced by U+FFFD.
_MOJIBAKE = re.compile("[Ãã][\u00a0-\u00bf„–…]|\ufffd")
_YEAR_LABEL = re.compile(r"^\d{4}$")   # a wide table's year column
_YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[–—-]\s*((?:19|20)\d{2})(?!\d)")
COUNTIES = tuple(code for code in region_codes() if code != "00")
PART_CODES = {"region": frozenset(COUNTIES), "sex": frozenset({"K", "M"})}


@dataclass(frozen=True)
class Finding:
    """A warning: the file is loaded, but a reader should know."""

    key: str
    file: str
    location: str
    found: str
    expected: str

    def message(self, lang: str = "sv") -> str:
        return t(self.key, lang, file=self.file, location=localise_location(self.location, lang),
                 found=self.found, expected=self.expected)


@dataclass(frozen=True)
class ValidatedFile:
    """A file that passed every check, with its observations ready to load."""

    spec: SourceSpec
    path: Path
    sha256: str
    content: bytes
    table: Table
    observations: pd.DataFrame
    retrieved: object
    warnings: tuple[Finding, ...]

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.observations["year"].unique())


def _names_in_file(data: bytes, file: str, fmt: str) -> tuple[set[str], set[str]] | None:
    """The variable or column names a file offers and the value labels it holds, folded; None if unreadable.

    Names are the header (CSV, XLSX) or the variables (PX, JSON-stat); value labels are every text
    cell that is not a number (CSV, XLSX) or every category label and code (PX, JSON-stat). Source
    detection weighs both: a file whose column names are a little off still holds "Kvinnor" and
    "Partner eller tidigare partner", which only one source in the catalogue uses.
    """
    try:
        if fmt in ("px", "json"):
            table = read_px(data, file=file) if fmt == "px" else read_jsonstat(data, file=file)
            names = {fold_label(n) for d in table.dimensions for n in (d.name, d.label)}
            values = {fold(x) for d in table.dimensions for c in d.categories for x in (c.code, c.label)}
            return names, values
        if fmt in ("csv", "xlsx"):
            columns = read_delimited(data, file=file) if fmt == "csv" else read_xlsx(data, file=file)
            values: set[str] = set()
            for _, row in columns.rows:
                for text in row:
                    try:
                        parse_number(text)
                    except ValueError:
                        values.add(fold_label(text))
            return {fold_label(n) for n in columns.header if n.strip()}, values - {""}
    except ReaderError:
        return None
    return None


def _fit(spec: SourceSpec, names: set[str], values: set[str], fmt: str) -> tuple[bool, int, int, list[str]]:
    """How well a file fits a source: (complete, layout hits, shared terms, what is missing).

    A dimension is found by its name, or, in a wide table, by the years in the header (year) or by a
    ``columns:`` label that only this source uses (``distinctive_labels``) in the header or the first
    column. Shared terms count the source's variable names and value labels (its code maps, its
    combined labels and the sex labels if it has sex) that the file holds: the nearest source is the
    one that shares most, not the one that happens to come first.
    """
    years_in_header = any(_YEAR_LABEL.match(n) for n in names)
    combined = distinctive_labels(spec) & (names | values) if spec.columns else set()
    covered = {t for codes in spec.columns.values() for t in codes} if combined else set()
    wide = years_in_header or bool(combined & names)
    hits, missing = 0, []
    for rule in (r for r in spec.rules if r.names):
        found = any(fold_label(n) in names for n in rule.names)
        found = found or (rule.target == "year" and years_in_header) or rule.target in covered
        hits += found
        if not found:
            missing.append(" / ".join(rule.names))
    wanted = len([r for r in spec.rules if r.names])
    if fmt in ("csv", "xlsx"):
        wanted += 1
        has_value = any(fold_label(n) in names for n in spec.value_names) or wide
        hits += has_value
        if not has_value:
            missing.append(" / ".join(spec.value_names))
    terms = {fold_label(n) for r in spec.rules for n in r.names} | {fold_label(n) for n in spec.value_names}
    labels = {fold_label(a) for r in spec.rules for alternatives in r.mapping.values() for a in alternatives}
    labels |= {fold_label(label) for label in spec.columns}
    if spec.rule("sex") is not None and spec.rule("sex").codes == "sex":
        labels |= {fold_label(a) for alternatives in sex_codes().values() for a in alternatives}
    shared = len(terms & names) + len(labels & (values | names))
    return hits == wanted, hits, shared, missing


def detect_source(data: bytes, file: str) -> SourceSpec:
    """The one source whose layout the file's variables match, by name; refuse ambiguity.

    When none matches, the message names the nearest source by the variable names and value labels
    the two share (``_fit``), and what that source needs that the file lacks.
    """
    suffix = Path(file).suffix.lower().lstrip(".")
    fmt = file_format(file)
    candidates = [s for s in load_sources().values() if fmt in s.formats]
    if not candidates:
        formats = sorted({f for s in load_sources().values() for f in s.formats})
        raise ReaderError("ingest.format_not_accepted", file=file, location=Path(file).name, found=suffix or "-",
                          expected=", ".join(formats))
    vocabulary = _names_in_file(data, file, fmt)
    if vocabulary is None:   # unreadable: let the reader of the first candidate explain why
        return candidates[0]
    names, values = vocabulary
    garbled = sorted(n for n in names if _MOJIBAKE.search(n))
    if garbled:
        raise ReaderError("ingest.wrong_encoding", file=file, location="(dimensions)", found=garbled[0],
                          expected="UTF-8 / Windows-1252")
    scored = [(_fit(spec, names, values, fmt), spec) for spec in candidates]
    complete = [s for fit, s in scored if fit[0]]
    if len(complete) == 1:
        return complete[0]
    if len(complete) > 1:
        # Several sources share a layout (e.g. two Brå tables with År/Kön/Antal): the file's own
        # title must then decide, or the user names the source with --source.
        raise ReaderError("ingest.ambiguous_source", file=file, location="(dimensions)",
                          found=", ".join(s.id for s in complete), expected="--source")
    (_, _, _, missing), best = max(scored, key=lambda item: (item[0][2], item[0][1]))
    raise ReaderError("ingest.no_matching_source", file=file, location="(dimensions)",
                      found=", ".join(sorted(names)), expected=f"{best.id}: {'; '.join(missing) or '-'}")


def validate_file(path: Path, *, source_id: str | None = None, data: bytes | None = None,
                  loaded: pd.DataFrame | None = None) -> ValidatedFile:
    """Read, map and check one file; raises ReaderError on the first error.

    ``loaded`` holds the source's observations already in the warehouse: checks that compare parts
    with a total then use the loaded parts where the file holds only some of them.
    """
    content = path.read_bytes() if data is None else data
    file = path.name
    # A personal identity number anywhere (the file name included) refuses the file before it is read,
    # also for files placed in DATA_DIR/sources/ by hand: no such number is ever loaded or published.
    from indicators.programme.identity_numbers import refuse_identity_numbers  # programme imports this module

    refuse_identity_numbers(content, name=file)
    if source_id is not None:
        if source_id not in load_sources():
            raise ReaderError("ingest.unknown_source", file=file, location="--source", found=source_id,
                              expected=", ".join(load_sources()))
        spec = load_sources()[source_id]
    else:
        spec = detect_source(content, file)
    table = read_source_table(content, file=file, spec=spec)
    check_encoding(table, file)
    frame = table_to_observations(table, spec, file=file)
    if frame.empty:
        raise ReaderError("ingest.no_rows", file=file, location=Path(file).name, found="0", expected="1")
    check_reference_years(table, frame, spec, file)
    provenance = load_provenance(path)
    frame = annotate(frame, provenance, source_url=spec.url, file=file)
    warnings = check_totals(frame, spec, file, loaded=loaded)
    return ValidatedFile(spec=spec, path=path, sha256=hashlib.sha256(content).hexdigest(), content=content,
                         table=table, observations=frame, retrieved=provenance.retrieved if provenance else None,
                         warnings=tuple(warnings))


def check_encoding(table: Table, file: str) -> None:
    for dim in table.dimensions:
        for text in (dim.name, dim.label, *(c.label for c in dim.categories)):
            match = _MOJIBAKE.search(text)
            if match:
                raise ReaderError("ingest.wrong_encoding", file=file, location=f'"{dim.name}"', found=text,
                                  expected=table.encoding)


def check_reference_years(table: Table, frame: pd.DataFrame, spec: SourceSpec, file: str) -> None:
    """A title that names a period ("2015–2024") must agree with the years in the data."""
    year_rule = spec.rule("year")
    offset = year_rule.offset if year_rule else 0
    titles = [str(table.meta.get("title") or "")] + [str(x) for x in table.meta.get("title_lines", []) or []]
    file_years = {int(y) - offset for y in frame["year"].unique()}
    for title in titles:
        match = _YEAR_RANGE.search(title)
        if match:
            first, last = int(match.group(1)), int(match.group(2))
            outside = sorted(y for y in file_years if not first <= y <= last)
            if outside:
                raise ReaderError("ingest.reference_year_mismatch", file=file, location=title[:80],
                                  found=", ".join(map(str, outside)), expected=f"{first}–{last}")


def _with_loaded(frame: pd.DataFrame, loaded: pd.DataFrame | None, keys: list[str]) -> pd.DataFrame:
    """The file's cells, completed by the loaded cells of the same years that the file does not hold."""
    if loaded is None or loaded.empty:
        return frame
    same_years = loaded[loaded["year"].isin(frame["year"].unique())]
    if same_years.empty:
        return frame
    held = frame[keys].assign(_held=True)
    rest = same_years.merge(held, on=keys, how="left")
    rest = rest[rest["_held"].isna()][[c for c in frame.columns if c in rest.columns]]
    return pd.concat([frame, rest], ignore_index=True)


def check_totals(frame: pd.DataFrame, spec: SourceSpec, file: str, *, loaded: pd.DataFrame | None = None
                 ) -> list[Finding]:
    """Totals must equal the sum of their parts where the source promises it (``additive``).

    Only for counts. From ``noise_from_year`` (SCB's Cell Key Method, 2025) a difference is a
    warning, because the producer perturbs cells on purpose; before it, an error. A file that holds
    only some cells of a relation (a total and one part, say) is checked together with the cells
    already loaded (``loaded``), and only relations the file touches are checked.
    """
    findings: list[Finding] = []
    if spec.unit not in ("persons", "victims", "offences", "count"):
        return findings
    keys = ["year", *STANDARD_DIMENSIONS, "measure"]
    combined = _with_loaded(frame, loaded, keys)
    for dimension, total in spec.additive.items():
        others = [k for k in keys if k != dimension]
        touched = set(frame[others].itertuples(index=False, name=None))
        data = combined[combined["value"].notna()]
        parts = data[data[dimension] != total]
        if dimension == "region":
            parts = parts[parts["region"].isin(COUNTIES)]
        totals = data[data[dimension] == total].set_index(others)["value"]
        grouped = parts.groupby(others)
        sums = grouped["value"].sum()
        present = grouped[dimension].agg(frozenset)
        # The parts a total is the sum of: the counties, women and men, or (other dimensions) every
        # part code the year has. A total whose parts are not all known cannot be checked.
        fixed = PART_CODES.get(dimension)
        year_parts = parts.groupby("year")[dimension].agg(frozenset)
        for key, part_sum in sums.items():
            if key not in totals.index or tuple(key) not in touched:
                continue
            expected_parts = fixed or year_parts.get(key[others.index("year")], frozenset())
            if present[key] != expected_parts or len(expected_parts) < 2:
                continue   # an incomplete set of parts (one part alone, say) cannot be checked against the total
            total_value = float(totals.loc[key])
            if abs(total_value - part_sum) < 0.5:
                continue
            year = key[others.index("year")]
            row = data[(data[dimension] == total)]
            for column, value in zip(others, key, strict=True):
                row = row[row[column] == value]
            location = str(row["location"].iloc[0]) if not row.empty else "-"
            found, expected = f"{part_sum:g}", f"{total_value:g} ({dimension} {total}, {year})"
            if spec.noise_from_year is not None and year >= spec.noise_from_year:
                findings.append(Finding("ingest.total_noise", file, location, found, expected))
            else:
                raise ReaderError("ingest.total_mismatch", file=file, location=location, found=found,
                                  expected=expected)
    return findings
