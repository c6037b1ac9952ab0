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

from indicators.harmonise import file_format, fold, read_source_table, table_to_observations
from indicators.i18n import t
from indicators.provenance import annotate, load_provenance
from indicators.readers import ReaderError, Table, read_delimited, read_jsonstat, read_px, read_xlsx
from indicators.readers.model import localise_location
from indicators.sources import STANDARD_DIMENSIONS, SourceSpec, load_sources, region_codes

# Text that shows a file was decoded with the wrong encoding somewhere before us: UTF-8 bytes read as
# Windows-1252 and saved again ("Ã¤" for "ä"), or characters already replaced by U+FFFD.
_MOJIBAKE = re.compile("[Ãã][\u00a0-\u00bf„–…]|\ufffd")
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


def _names_in_file(data: bytes, file: str, fmt: str) -> set[str] | None:
    """The variable or column names a file offers, read once per format; None if unreadable."""
    try:
        if fmt in ("px", "json"):
            table = read_px(data, file=file) if fmt == "px" else read_jsonstat(data, file=file)
            return {fold(n) for d in table.dimensions for n in (d.name, d.label)}
        if fmt in ("csv", "xlsx"):
            columns = read_delimited(data, file=file) if fmt == "csv" else read_xlsx(data, file=file)
            return {fold(n) for n in columns.header}
    except ReaderError:
        return None
    return None


def detect_source(data: bytes, file: str) -> SourceSpec:
    """The one source whose layout the file's variables match, by name; refuse ambiguity."""
    suffix = Path(file).suffix.lower().lstrip(".")
    fmt = file_format(file)
    candidates = [s for s in load_sources().values() if fmt in s.formats]
    if not candidates:
        formats = sorted({f for s in load_sources().values() for f in s.formats})
        raise ReaderError("ingest.format_not_accepted", file=file, location=Path(file).name, found=suffix or "-",
                          expected=", ".join(formats))
    names = _names_in_file(data, file, fmt)
    if names is None:   # unreadable: let the reader of the first candidate explain why
        return candidates[0]
    garbled = sorted(n for n in names if _MOJIBAKE.search(n))
    if garbled:
        raise ReaderError("ingest.wrong_encoding", file=file, location="(dimensions)", found=garbled[0],
                          expected="UTF-8 / Windows-1252")
    scored = []
    for spec in candidates:
        wanted = [r for r in spec.rules if r.names] + ([spec.value_names] if fmt in ("csv", "xlsx") else [])
        hits = 0
        for rule in wanted:
            alternatives = rule if isinstance(rule, tuple) else rule.names
            hits += any(fold(n) in names for n in alternatives)
        scored.append((hits == len(wanted), hits, spec))
    complete = [s for ok, _, s in scored if ok]
    if len(complete) == 1:
        return complete[0]
    if len(complete) > 1:
        # Several sources share a layout (e.g. two Brå tables with År/Kön/Antal): the file's own
        # title must then decide, or the user names the source with --source.
        raise ReaderError("ingest.ambiguous_source", file=file, location="(dimensions)",
                          found=", ".join(s.id for s in complete), expected="--source")
    best = max(scored, key=lambda item: item[1])[2]
    missing = [" / ".join(r.names) for r in best.rules if r.names and not any(fold(n) in names for n in r.names)]
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
            if present[key] != expected_parts:
                continue   # an incomplete set of parts cannot be checked against the total
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
