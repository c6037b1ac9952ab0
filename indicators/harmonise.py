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


# A footnote mark at the end of a header label: "Kvinnor¹", "Kvinnor 1)", "Kvinnor (2)", "Män*".
_FOOTNOTE_MARK = re.compile(r"(?:\s*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\(\d{1,2}\)|\d{1,2}\)|\*+))+\s*$")


def fold_label(text: str) -> str:
    """A header label compared as people read it: ``fold``, and a trailing footnote mark does not count."""
    return fold(_FOOTNOTE_MARK.sub("", text))


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
    and are accepted when the year column is missing and every remaining column is a year. Combined
    wide tables (Brå's "Kvinnor dödade av nuvarande eller tidigare partner") have one column per label
    of the spec's ``columns:`` mapping, optionally prefixed or suffixed by a year ("2019 Kvinnor"), or
    hold those labels in their first column with years as columns (the same table rotated). Header
    labels are compared with ``fold_label``, so case, spacing and footnote marks do not count.
    """
    header = {fold_label(name): name for name in delimited.header if name.strip()}
    where = f"line {delimited.header_line}"
    found_columns: dict[str, str] = {}
    missing: list[DimensionRule] = []
    for rule in spec.rules:
        if rule.names:
            found = [header[fold_label(n)] for n in rule.names if fold_label(n) in header]
            if found:
                found_columns[rule.target] = found[0]
            else:
                missing.append(rule)
    dimension_columns = list(found_columns.values())
    value_columns = [header[fold_label(n)] for n in spec.value_names if fold_label(n) in header]
    if missing or not value_columns:
        wide = _wide_layout(delimited, spec, file, found_columns, missing)
        if wide is not None:
            column_codes, row_codes = wide
            return to_table(delimited, file=file, dimension_columns=dimension_columns, column_codes=column_codes,
                            row_codes=row_codes, markers=tuple(spec.symbols))
        if missing:
            raise ReaderError("ingest.missing_dimension", file=file, location=where,
                              found=", ".join(delimited.header), expected=" / ".join(missing[0].names))
        raise ReaderError("ingest.missing_value_column", file=file, location=where,
                          found=", ".join(delimited.header), expected=" / ".join(spec.value_names))
    value_column = value_columns[0]
    used = {*dimension_columns, value_column}
    for index, name in enumerate(delimited.header):
        if name in used:
            continue
        distinct = {row[index].strip() for _, row in delimited.rows}
        if len(distinct) > 1:   # a breakdown the source does not have: its rows would collide
            raise ReaderError("ingest.extra_dimension", file=file, location=f'column "{name}"',
                              found=str(len(distinct)), expected=", ".join(dimension_columns))
    return to_table(delimited, file=file, dimension_columns=dimension_columns,
                    value_column=value_column, markers=tuple(spec.symbols))


_LEADING_YEAR = re.compile(r"^(\d{4})\b[\s,:–-]*(.+)$")
_TRAILING_YEAR = re.compile(r"^(.+?)[\s,:–-]*\b(\d{4})$")


def classify_label(spec: SourceSpec, label: str) -> dict[str, str] | None:
    """The warehouse codes a wide table's header label (or stub label) stands for, or None.

    "2019" is a year; a label of the spec's ``columns:`` mapping gives its codes; a year before or after
    such a label ("2019 Kvinnor", "Kvinnor 2019") gives both. Nothing else is guessed.
    """
    text = fold_label(label)
    if _YEAR.match(text):
        return {"year": text}
    combined = {fold_label(k): v for k, v in spec.columns.items()}
    if text in combined:
        return dict(combined[text])
    for pattern, year_group, rest_group in ((_LEADING_YEAR, 1, 2), (_TRAILING_YEAR, 2, 1)):
        match = pattern.match(text)
        if match and fold_label(match.group(rest_group)) in combined:
            codes = combined[fold_label(match.group(rest_group))]
            if "year" not in codes:
                return {"year": match.group(year_group), **codes}
    return None


def distinctive_labels(spec: SourceSpec) -> set[str]:
    """Folded ``columns:`` labels that no single code list also uses ("Kvinnor" is any sex column).

    Source detection counts only these as evidence of the combined layout, so that a file of another
    source with "Kvinnor" and "Män" columns is not taken for this one.
    """
    plain_labels = {fold_label(a) for alternatives in sex_codes().values() for a in alternatives}
    for rule in spec.rules:
        plain_labels |= {fold_label(a) for alternatives in rule.mapping.values() for a in alternatives}
        plain_labels |= {fold_label(code) for code in rule.mapping}
    return {fold_label(label) for label in spec.columns} - plain_labels


def _source_code(rule: DimensionRule, code: str) -> str:
    """A code that ``_code_translator`` turns back into the warehouse ``code`` of ``rule``.

    Combined labels carry warehouse codes (spec authors write ``relation: partner``), but the Table
    holds the file's codes, so each is written as one of the alternatives its own rule accepts.
    """
    if rule.codes == "sex":
        alternatives = sex_codes().get(code, (code,))
    elif rule.mapping:
        alternatives = rule.mapping.get(code, (code,))
    else:
        return code
    return code if fold(code) in {fold(a) for a in alternatives} else alternatives[0]


def _wide_layout(delimited: DelimitedFile, spec: SourceSpec, file: str, found_columns: dict[str, str],
                 missing: list[DimensionRule]):
    """``(column_codes, row_codes)`` for a wide table, None when the header has no wide column at all.

    Every column that is not a dimension column must be a year or a combined label (see
    ``classify_label``); the first column may instead hold combined labels or years in its rows (the
    stub of a rotated table, its header often empty). Each cell must then get exactly one code for
    each dimension the file has no column for. Anything else is refused with its location.
    """
    dimension_columns = set(found_columns.values())
    others = [name for name in delimited.header if name not in dimension_columns]
    classified = {name: classify_label(spec, name) for name in others}
    column_codes = {name: codes for name, codes in classified.items() if codes is not None}
    if not column_codes:
        return None
    index = {name: i for i, name in enumerate(delimited.header)}
    stub, stub_codes = None, {}
    first = delimited.header[0]
    if classified.get(first) is None and first not in dimension_columns:
        labels = {row[index[first]].strip(): line for line, row in reversed(delimited.rows)}
        codes_by_label = {label: classify_label(spec, label) for label in labels}
        if any(codes_by_label.values()):   # a stub: one unknown label in it is a group the source lacks
            stub, stub_codes = first, codes_by_label
            unknown_labels = [label for label, codes in codes_by_label.items() if codes is None]
            if unknown_labels:
                label = min(unknown_labels, key=labels.__getitem__)
                location = (delimited.cell_locations(labels[label], first) if delimited.cell_locations
                            else f'line {labels[label]}, column "{first}"')
                raise ReaderError("layouts.unknown_row", file=file, location=location, found=label,
                                  expected=_expected_labels(spec, {}, [r for r in spec.rules if r.target == "year"]))
    unknown = [name for name in others if classified[name] is None and name != stub]
    rules = {r.target: r for r in spec.rules}
    if unknown:
        name = unknown[0]
        if not spec.columns:   # a wide-by-year table of a source without combined labels: as before
            distinct = {row[index[name]].strip() for _, row in delimited.rows}
            raise ReaderError("ingest.extra_dimension", file=file, location=f'column "{name}"',
                              found=str(len(distinct)), expected=", ".join(found_columns.values()))
        location = (delimited.cell_locations(delimited.header_line, name) if delimited.cell_locations
                    else f'line {delimited.header_line}, column "{name}"')
        raise ReaderError("layouts.unknown_column", file=file, location=location, found=name,
                          expected=_expected_labels(spec, found_columns, missing))
    # A label's total code on a dimension the file has as a column means "not split by it" ("Kvinnor"
    # = sex K, relation T, in a table whose rows are relations): the column's codes apply. Any other
    # code there contradicts the column, and is refused below.
    for codes in [*column_codes.values(), *stub_codes.values()]:
        for target in [t for t in codes if t in found_columns and codes[t] == STANDARD_DIMENSIONS.get(t)]:
            del codes[target]
    wanted = {r.target for r in missing}
    for name, codes in column_codes.items():
        for label, row in (stub_codes.items() if stub is not None else [("", {})]):
            given = [*codes, *row]
            clash = sorted({t for t in given if given.count(t) > 1} | (set(given) & set(found_columns)))
            if clash:
                target = clash[0]
                where = found_columns.get(target) or (f'{stub or "-"} = "{label}"' if target in row else name)
                location = (delimited.cell_locations(delimited.header_line, name) if delimited.cell_locations
                            else f'line {delimited.header_line}, column "{name}"')
                raise ReaderError("layouts.conflicting_codes", file=file, location=location, found=target,
                                  expected=where)
            lacking = [r for r in missing if r.target not in given]
            if lacking:
                raise ReaderError("ingest.missing_dimension", file=file, location=f"line {delimited.header_line}",
                                  found=", ".join(delimited.header), expected=" / ".join(lacking[0].names))
            if set(given) != wanted:   # parse_columns makes this impossible; never load a half-keyed cell
                raise ValueError(f"{file}: column {name!r} gives {sorted(given)}, expected {sorted(wanted)}")

    def table_codes(codes: dict[str, str]) -> dict[str, str]:
        return {rules[t].names[0]: _source_code(rules[t], code) for t, code in codes.items()}

    return ({name: table_codes(codes) for name, codes in column_codes.items()},
            (stub, {label: table_codes(codes) for label, codes in stub_codes.items()}) if stub is not None
            else None)


def _expected_labels(spec: SourceSpec, found_columns: dict[str, str], missing: list[DimensionRule]) -> str:
    """What a wide table's header may hold, for the message that refuses a column."""
    parts = [f'"{name}"' for name in found_columns.values()]
    if any(r.target == "year" for r in missing):
        parts.append("ÅÅÅÅ / YYYY")
    # one label per combination (the first the spec gives), so the list stays readable
    first_labels = {tuple(sorted(codes.items())): label for label, codes in reversed(spec.columns.items())}
    parts += [f'"{label}"' for label in spec.columns if label in first_labels.values()]
    return ", ".join(parts)


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
    if rule.codes in ("region", "kommun"):
        # ``codes: region`` is a county-level source (riket and the 21 län); ``codes: kommun`` one that
        # also holds the 290 kommuner. In a county-level source a kommun code is an error, not a
        # region: "0180" (or "180", the same code stored as a number) would otherwise be loaded
        # silently beside the län and never add up to riket.
        regions, municipalities = region_codes(), municipality_codes()
        county_level = rule.codes == "region"
        # Names in the order they are tried: "Stockholm" is both a kommun and the short name of
        # Stockholms län; a kommun table says "Stockholm" for the kommun, a county table for the län.
        short_names = {fold(n["short_sv"]): c for c, n in regions.items()}
        kommun_names = {fold(name): code for code, name in municipalities.items()}
        by_name: dict[str, str] = {}
        for table in (
            {fold(n[k]): c for c, n in regions.items() for k in ("sv", "en")},
            *((short_names, kommun_names) if county_level else (kommun_names, short_names)),
        ):
            for name, code in table.items():
                by_name.setdefault(name, code)
        counties = ", ".join(regions)

        def kommun(code: str, municipality: str) -> ReaderError:
            shown = f"{code.strip()} = {municipality} {municipalities[municipality]}"
            if not county_level:      # "180": the kommun code 0180 read as a number
                return ReaderError("ingest.region_leading_zero", file=file, location=f'"{dim.name}"',
                                   found=shown, expected=municipality)
            return ReaderError("ingest.kommun_in_county_source", file=file, location=f'"{dim.name}"',
                               found=shown, expected=counties)

        def region(code: str) -> str:
            text = code.strip()
            if text in regions:
                return text
            if text in municipalities:
                if county_level:
                    raise kommun(code, text)
                return text
            if re.fullmatch(r"\d{3}", text) and text.zfill(4) in municipalities:
                raise kommun(code, text.zfill(4))
            if re.fullmatch(r"\d{2}|\d{4}", text):   # a code, but not one SCB uses: never trust its label
                raise fail(code, "ingest.unknown_region")
            label = labels.get(code, code).strip()
            head = label.split(" ", 1)[0]
            if head in regions:                                   # "01 Stockholms län", SCB's label style
                return head
            if head in municipalities:
                if county_level:
                    raise kommun(code, head)
                return head
            for candidate in (label, text):
                target = by_name.get(fold(candidate))
                if target is not None and county_level and target in municipalities:
                    raise kommun(code, target)
                if target is not None:
                    return target
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
