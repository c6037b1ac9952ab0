"""The same content in another layout gives the same warehouse rows.

Producers change STUB/HEADING order, column order, code style, delimiter, decimal mark, encoding and
line endings between years and between download tools; none of that may change a single value.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd

from indicators.readers import read_px
from indicators.sources import STANDARD_DIMENSIONS
from indicators.validation import validate_file
from tests.conftest import PROJECT_ROOT

SOURCES = PROJECT_ROOT / "data" / "sources"
POPULATION = next((SOURCES / "scb_population_county_sex").glob("*.px"))
NTU = next((SOURCES / "bra_ntu_sexual_offences").glob("*.csv"))
LETHAL = next((SOURCES / "bra_lethal_violence").glob("*.csv"))


def rows(path: Path, source_id: str) -> pd.DataFrame:
    """The observations' content: keys, value and flag (location and provenance differ by file)."""
    keys = ["year", *STANDARD_DIMENSIONS, "measure"]
    frame = validate_file(path, source_id=source_id).observations[[*keys, "value", "flag"]]
    return frame.sort_values(keys).reset_index(drop=True)


def write_px(path: Path, stub: list[str], heading: list[str], *, labels_with_codes: bool, encoding: str,
             newline: str) -> None:
    """Re-serialise the shipped PX with another STUB/HEADING order and label style."""
    table = read_px(POPULATION.read_bytes(), file=POPULATION.name)
    dims = {d.name: d for d in table.dimensions}
    value = {cell.codes: cell.value for cell in table.cells}
    order = [d.name for d in table.dimensions]

    def quoted(items):
        return ",".join(f'"{x}"' for x in items)

    lines = ['CHARSET="ANSI";', 'AXIS-VERSION="2010";', 'CODEPAGE="iso-8859-1";', 'LANGUAGE="sv";',
             'MATRIX="BE0101N1";', 'CONTENTS="Folkmängd";', 'UNITS="antal";', 'DECIMALS=0;',
             'TITLE="Folkmängd efter år, region och kön";',
             f"STUB={quoted(stub)};", f"HEADING={quoted(heading)};"]
    for name in stub + heading:
        cats = dims[name].categories
        if labels_with_codes and name == "region":
            lines.append(f'VALUES("{name}")={quoted(f"{c.code} {c.label}" for c in cats)};')   # no CODES
        else:
            lines.append(f'VALUES("{name}")={quoted(c.label for c in cats)};')
            lines.append(f'CODES("{name}")={quoted(c.code for c in cats)};')
    lines.append("DATA=")
    for stub_codes in itertools.product(*[[c.code for c in dims[n].categories] for n in stub]):
        row = []
        for heading_codes in itertools.product(*[[c.code for c in dims[n].categories] for n in heading]):
            by_name = dict(zip(stub + heading, stub_codes + heading_codes, strict=True))
            row.append(str(int(value[tuple(by_name[n] for n in order)])))
        lines.append(" ".join(row))
    lines[-1] += ";"
    path.write_bytes((newline.join(lines) + newline).encode(encoding))


def test_px_in_another_stub_heading_order_and_encoding(tmp_path):
    expected = rows(POPULATION, "scb_population_county_sex")
    variants = [
        (["år"], ["region", "kön"], False, "utf-8", "\n"),             # UTF-8 labelled iso-8859-1, LF
        (["kön", "år"], ["region"], True, "cp1252", "\r\n"),           # "01 Stockholms län", no CODES
        (["region", "år"], ["kön"], False, "cp1252", "\n"),
    ]
    for i, (stub, heading, with_codes, encoding, newline) in enumerate(variants):
        path = tmp_path / f"folkmangd_{i}.px"
        write_px(path, stub, heading, labels_with_codes=with_codes, encoding=encoding, newline=newline)
        pd.testing.assert_frame_equal(rows(path, "scb_population_county_sex"), expected, check_like=True)


def test_csv_with_other_delimiter_decimal_mark_encoding_and_column_order(tmp_path):
    expected = rows(NTU, "bra_ntu_sexual_offences")
    lines = NTU.read_bytes().decode("utf-8-sig").strip().split("\r\n")
    records = [line.split(";") for line in lines[1:]]
    # comma-separated, decimal point, value column first, sex as SCB codes, cp1252 with a title line
    sex_code = {"Kvinnor": "2", "Män": "1", "Samtliga": "1+2"}
    body = ["Andel (%),Kön,NTU-år"] + [f"{v.replace(',', '.')},{sex_code[s]},{y}" for y, s, v in records]
    variant = tmp_path / "ntu_komma.csv"
    variant.write_bytes(("Brå: utsatthet för sexualbrott\n" + "\n".join(body) + "\n").encode("cp1252"))
    pd.testing.assert_frame_equal(rows(variant, "bra_ntu_sexual_offences"), expected, check_like=True)
    # tab-separated, wide: one column per survey year, Swedish labels, UTF-8 without BOM
    years = sorted({y for y, _, _ in records})
    wide = ["Kön\t" + "\t".join(years)]
    for sex in ("Kvinnor", "Män", "Samtliga"):
        by_year = {y: v for y, s, v in records if s == sex}
        wide.append(sex + "\t" + "\t".join(by_year[y] for y in years))
    wide_path = tmp_path / "ntu_bred.tsv"
    wide_path.write_text("\n".join(wide) + "\n", encoding="utf-8")
    pd.testing.assert_frame_equal(rows(wide_path, "bra_ntu_sexual_offences"), expected, check_like=True)


def test_source_is_recognised_from_content_not_file_name(tmp_path):
    renamed = tmp_path / "export (3).csv"
    renamed.write_bytes(LETHAL.read_bytes())
    assert validate_file(renamed).spec.id == "bra_lethal_violence"
