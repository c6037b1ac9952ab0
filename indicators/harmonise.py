"""Turn a file's table into warehouse observations, as its source spec says.

Dimensions are found by name or label and codes are translated through the code lists, so the same
content is accepted whatever the producer's layout, column order or code style ("2" / "kvinnor" /
"Kvinnor"). Anything that cannot be mapped is refused with the file, the location, what was found
and what was expected; nothing is guessed.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd

from indicators.readers import (
    DelimitedFile,
    Dimension,
    ReaderError,
    Table,
    delimited_to_table,
    read_delimited,
    read_jsonstat,
    read_px,
    read_xlsx,
    xlsx_to_table,
)
from indicators.sources import (
    STANDARD_DIMENSIONS,
    DimensionRule,
    SourceSpec,
    municipality_codes,
    police_region_codes,
    region_codes,
    sex_codes,
)

OBSERVATION_COLUMNS = [
    "year", *STANDARD_DIMENSIONS, "measure", "value", "flag", "source_symbol", "location",
]
COUNT_UNITS = {"persons", "victims", "offences", "count"}
_YEAR = re.compile(r"^(\d{4})$")


def plain(value: float) -> str:
    """A number as the file had it: 9851017, not 9.85102e+06."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def fold(text: str) -> str:
    """A label compared as people read it: case, no-break spaces and repeated spaces do not count."""
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


FORMAT_BY_SUFFIX = {"csv": "csv", "txt": "csv", "tsv": "csv", "px": "px", "json": "json", "xlsx": "xlsx"}


def file_format(file: str) -> str:
    suffix = Path(file).suffix.lower().lstrip(".")
    return FORMAT_BY_SUFFIX.get(suffix, suffix)


def read_source_table(data: bytes, *, file: str, spec: SourceSpec) -> Table:
    """Parse a file in any of the source's accepted formats into a Table."""
    fmt = file_format(file)
    if fmt not in spec.formats:
        raise ReaderError("ingest.format_not_accepted", file=file, location=Path(file).name,
                          found=Path(file).suffix.lstrip(".") or "-", expected=", ".join(spec.formats))
    if fmt == "px":
        return read_px(data, file=file)
    if fmt == "json":
        return read_jsonstat(data, file=file)
    if fmt == "xlsx":
        return _columns_to_table(read_xlsx(data, file=file, sheet=spec.sheet), spec, file, xlsx_to_table)
    return _columns_to_table(read_delimited(data, file=file), spec, file, delimited_to_table)


def _columns_to_table(delimited: DelimitedFile, spec: SourceSpec, file: str, to_table) -> Table:
    """A CSV or spreadsheet table: pick the columns the spec names, refuse breakdowns it does not have.

    Long tables have one value column; wide ones (PxWeb's "år" as HEADING) have one column per year,
    and are accepted when the year column is missing and every remaining column is a year.
    """
    header = {fold(name): name for name in delimited.header}
    where = f"line {delimited.header_line}"
    dimension_columns, wide_years = [], None
    for rule in spec.rules:
        if rule.names:
            found = [header[fold(n)] for n in rule.names if fold(n) in header]
            if not found and rule.target == "year":
                wide_years = [name for name in delimited.header if _YEAR.match(name.strip())]
                if wide_years:
                    continue
            if not found:
                raise ReaderError("ingest.missing_dimension", file=file, location=where,
                                  found=", ".join(delimited.header), expected=" / ".join(rule.names))
            dimension_columns.append(found[0])
    if wide_years:
        used = {*dimension_columns, *wide_years}
        value_column = None
    else:
        value_columns = [header[fold(n)] for n in spec.value_names if fold(n) in header]
        if not value_columns:
            raise ReaderError("ingest.missing_value_column", file=file, location=where,
                              found=", ".join(delimited.header), expected=" / ".join(spec.value_names))
        value_column = value_columns[0]
        used = {*dimension_columns, value_column}
    for index, name in enumerate(delimited.header):
        if name in used:
            continue
        distinct = {row[index].strip() for _, row in delimited.rows}
        if wide_years or len(distinct) > 1:   # a breakdown the source does not have: its rows would collide
            raise ReaderError("ingest.extra_dimension", file=file, location=f'column "{name}"',
                              found=str(len(distinct)), expected=", ".join(dimension_columns))
    if wide_years:   # every other column was refused above, so all remaining columns are years
        return to_table(delimited, file=file, dimension_columns=dimension_columns,
                        wide_dimension=spec.rule("year").names[0], markers=tuple(spec.symbols))
    return to_table(delimited, file=file, dimension_columns=dimension_columns,
                    value_column=value_column, markers=tuple(spec.symbols))


def _find_dimension(table: Table, rule: DimensionRule, file: str) -> int:
    wanted = {fold(n) for n in rule.names}
    hits = [i for i, d in enumerate(table.dimensions) if fold(d.name) in wanted or fold(d.label) in wanted]
    if not hits:
        raise ReaderError("ingest.missing_dimension", file=file, location="(dimensions)",
                          found=", ".join(d.name for d in table.dimensions), expected=" / ".join(rule.names))
    return hits[0]


def _code_translator(rule: DimensionRule, dim: Dimension, file: str):
    """A function source code -> warehouse code for one dimension, built once per file."""
    labels = {c.code: c.label for c in dim.categories}

    def lookup(alternatives: dict[str, tuple[str, ...]], code: str) -> str | None:
        for candidate in (code, labels.get(code, code)):
            key = fold(candidate)
            for target, accepted in alternatives.items():
                if key in {fold(a) for a in accepted}:
                    return target
        return None

    def fail(code: str, key: str, expected: str = "") -> ReaderError:
        label = labels.get(code, code)
        found = code if label == code else f"{code} ({label})"
        return ReaderError(key, file=file, location=f'"{dim.name}"', found=found, expected=expected)

    if rule.codes == "year":
        def year(code: str) -> str:
            match = _YEAR.match(code.strip()) or _YEAR.match(labels.get(code, "").strip())
            if not match:
                raise fail(code, "ingest.not_a_year")
            return str(int(match.group(1)) + rule.offset)
        return year
    if rule.codes == "sex":
        def sex(code: str) -> str:
            target = lookup(sex_codes(), code)
            if target is None:
                raise fail(code, "ingest.unknown_sex")
            return target
        return sex
    if rule.codes == "region":
        regions, municipalities = region_codes(), municipality_codes()
        # Names in the order they are tried: "Stockholm" is both a kommun and the short name of
        # Stockholms län, and a table that uses short county names is rarer than a kommun table.
        by_name: dict[str, str] = {}
        for table in (
            {fold(n[k]): c for c, n in regions.items() for k in ("sv", "en")},
            {fold(name): code for code, name in municipalities.items()},
            {fold(n["short_sv"]): c for c, n in regions.items()},
        ):
            for name, code in table.items():
                by_name.setdefault(name, code)

        def region(code: str) -> str:
            text = code.strip()
            if text in regions or text in municipalities:
                return text
            if re.fullmatch(r"\d{2}|\d{4}", text):   # a code, but not one SCB uses: never trust its label
                raise fail(code, "ingest.unknown_region")
            label = labels.get(code, code).strip()
            head = label.split(" ", 1)[0]
            if head in regions or head in municipalities:      # "01 Stockholms län", SCB's label style
                return head
            for candidate in (label, text):
                if fold(candidate) in by_name:
                    return by_name[fold(candidate)]
            raise fail(code, "ingest.unknown_region")
        return region
    if rule.codes == "police_region":
        names = police_region_codes()
        alternatives = {code: (code, item["sv"], item["en"], item["sv"].removeprefix("Polisregion "))
                        for code, item in names.items()}

        def police_region(code: str) -> str:
            target = lookup(alternatives, code)
            if target is None:
                raise fail(code, "ingest.unknown_code", ", ".join(names))
            return target
        return police_region
    if rule.mapping:
        def mapped(code: str) -> str:
            target = lookup(rule.mapping, code)
            if target is None:
                raise fail(code, "ingest.unknown_code", ", ".join(sorted(rule.mapping)))
            return target
        return mapped
    return lambda code: code.strip()


def table_to_observations(table: Table, spec: SourceSpec, *, file: str) -> pd.DataFrame:
    """Map every cell of ``table`` onto the warehouse's dimensions, codes and flags."""
    positions: dict[str, int] = {}
    translators = {}
    for rule in spec.rules:
        if rule.const is not None:
            continue
        index = _find_dimension(table, rule, file)
        positions[rule.target] = index
        translators[rule.target] = _code_translator(rule, table.dimensions[index], file)
    for i, dim in enumerate(table.dimensions):
        if i not in positions.values() and len(dim.categories) > 1:
            raise ReaderError("ingest.extra_dimension", file=file, location=f'"{dim.name}"',
                              found=f"{len(dim.categories)}", expected=", ".join(positions) or "-")
    constants = {r.target: r.const for r in spec.rules if r.const is not None}
    cache: dict[tuple[str, str], str] = {}
    rows = []
    for cell in table.cells:
        record = dict(STANDARD_DIMENSIONS) | constants
        for target, index in positions.items():
            code = cell.codes[index]
            key = (target, code)
            if key not in cache:
                cache[key] = translators[target](code)
            record[target] = cache[key]
        value, flag = cell.value, ""
        if value is None:
            meaning = spec.symbols.get(cell.symbol or "")
            if meaning is None:
                raise ReaderError("ingest.unknown_marker", file=file, location=cell.location,
                                  found=repr(cell.symbol or ""),
                                  expected=" ".join(repr(s) for s in spec.symbols))
            if meaning == "zero":
                value = 0.0
            else:
                flag = meaning
        record.update(measure=spec.measure, value=value, flag=flag, source_symbol=cell.symbol,
                      location=cell.location)
        rows.append(record)
    frame = pd.DataFrame(rows, columns=OBSERVATION_COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    validate_observations(frame, spec, file=file)
    return frame


def validate_observations(frame: pd.DataFrame, spec: SourceSpec, *, file: str) -> None:
    """Checks that hold for every source: keys unique, years plausible, values in range."""
    keys = ["year", *STANDARD_DIMENSIONS, "measure"]
    duplicated = frame[frame.duplicated(keys, keep=False)]
    if not duplicated.empty:
        first = duplicated.iloc[0]
        twin = duplicated[(duplicated[keys] == first[keys]).all(axis=1)].iloc[1]
        raise ReaderError("ingest.duplicate_key", file=file, location=f"{first['location']} / {twin['location']}",
                          found=", ".join(f"{k}={first[k]}" for k in keys), expected="-")
    this_year = date.today().year
    bad_year = frame[(frame["year"] < spec.first_year) | (frame["year"] > this_year)]
    if not bad_year.empty:
        row = bad_year.iloc[0]
        raise ReaderError("ingest.year_out_of_range", file=file, location=row["location"], found=str(row["year"]),
                          expected=f"{spec.first_year}–{this_year}")
    values = frame["value"]
    if spec.unit in COUNT_UNITS:
        bad = frame[values.notna() & ((values < 0) | (values != values.round()))]
        key = "ingest.bad_count"
    elif spec.unit == "percent":
        bad = frame[values.notna() & ((values < 0) | (values > 100))]
        key = "ingest.share_out_of_range"
    else:
        bad, key = frame.iloc[0:0], ""
    if not bad.empty:
        row = bad.iloc[0]
        raise ReaderError(key, file=file, location=row["location"], found=plain(row["value"]), expected="-")
