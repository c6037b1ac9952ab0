"""Generate ILLUSTRATIVE Brå-like offence-level microdata: one row per reported offence.

    .venv/bin/python data/generate_microdata.py --rows 1000000 --out /tmp/microdata [--format parquet csv]

Every value is made up (fixed seed, numpy): the shares of offences, victims' sex and age, relations and
the sizes of the 290 kommuner are plausible in shape only and are NOT Brå's statistics. Each file gets a
``.provenance.yaml`` beside it that says so (reliability ``illustrative``), so whatever is computed from
it is marked illustrative all the way to the warehouse (BRIEF.md §12).

Why it exists: to measure and test the microdata path (``indicators/microdata.py``) at the scale an
agency would receive (about 1.5 million reported offences a year, 10 years) without real microdata,
which the project never holds. The rows are drawn in numpy as small integer codes and turned into the
file by DuckDB (``COPY … TO``), so 15 million rows take seconds and no pyarrow is needed.

Columns (as declared in ``indicators/sources/bra_offence_microdata.yaml``): anmalningsdatum (DATE, the
day the offence was reported), brottskod (a BrB / lag reference), lan (two-digit county), kommun (SCB's
four-digit code; its first two digits are the county), offer_kon (K, M), offer_alder (age group),
relation (victim to suspected offender). The CSV is UTF-8 with ``;`` as Brå's exports are.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import yaml

SEED = 20261201
SOURCE_ID = "bra_offence_microdata"
FIRST_YEAR = 2015
YEARS = 10
ROWS_PER_YEAR = 1_500_000
CODES = Path(__file__).resolve().parents[1] / "indicators" / "codes" / "municipalities.yaml"

# offence code -> (share of rows, P(victim is a woman), relation shares partner/family/known/stranger/unknown)
OFFENCES: dict[str, tuple[float, float, tuple[float, ...]]] = {
    "BrB 3:5": (0.36, 0.45, (0.22, 0.10, 0.30, 0.28, 0.10)),         # misshandel
    "BrB 3:6": (0.04, 0.30, (0.15, 0.08, 0.27, 0.40, 0.10)),         # grov misshandel
    "BrB 4:4a st2": (0.02, 1.00, (0.97, 0.02, 0.01, 0.00, 0.00)),    # grov kvinnofridskränkning
    "BrB 4:4a st1": (0.01, 0.55, (0.20, 0.70, 0.08, 0.00, 0.02)),    # grov fridskränkning
    "BrB 4:4b": (0.04, 0.75, (0.55, 0.10, 0.25, 0.05, 0.05)),        # olaga förföljelse
    "BrB 4:5": (0.30, 0.50, (0.15, 0.08, 0.35, 0.30, 0.12)),         # olaga hot
    "BrB 6:1": (0.07, 0.93, (0.25, 0.05, 0.40, 0.20, 0.10)),         # våldtäkt
    "BrB 6:10": (0.12, 0.88, (0.05, 0.03, 0.30, 0.50, 0.12)),        # sexuellt ofredande
    "LKF 24": (0.04, 0.85, (0.80, 0.15, 0.05, 0.00, 0.00)),          # överträdelse av kontaktförbud
}
SEXES = ("K", "M")
AGE_GROUPS = ("0-17", "18-24", "25-44", "45-64", "65-")
AGE_SHARES = (0.14, 0.18, 0.40, 0.22, 0.06)
RELATIONS = ("partner", "family", "known", "stranger", "unknown")


def municipalities() -> list[str]:
    return sorted(str(code) for code in yaml.safe_load(CODES.read_text(encoding="utf-8")))


def draw(rows: int, *, first_year: int = FIRST_YEAR, years: int = YEARS, seed: int = SEED) -> pd.DataFrame:
    """The rows as small integer codes (indices into the code tuples above), reproducible from the seed."""
    rng = np.random.default_rng(seed)
    kommuner = municipalities()
    # Kommun sizes: a heavy-tailed spread like Sweden's (a few large cities, many small kommuner).
    weights = rng.lognormal(mean=0.0, sigma=1.2, size=len(kommuner))
    weights /= weights.sum()
    per_year = np.full(years, rows // years)
    per_year[: rows % years] += 1
    year_index = np.repeat(np.arange(years, dtype=np.int16), per_year)
    starts = np.array([(date(first_year + y, 1, 1) - date(1970, 1, 1)).days for y in range(years)])
    lengths = np.array([(date(first_year + y + 1, 1, 1) - date(first_year + y, 1, 1)).days for y in range(years)])
    day = (starts[year_index] + (rng.random(rows) * lengths[year_index]).astype(np.int32)).astype(np.int32)
    shares = np.array([v[0] for v in OFFENCES.values()])
    offence = rng.choice(len(OFFENCES), size=rows, p=shares / shares.sum()).astype(np.int8)
    p_woman = np.array([v[1] for v in OFFENCES.values()])[offence]
    sex = (rng.random(rows) >= p_woman).astype(np.int8)                     # 0 = K, 1 = M
    relation_cum = np.cumsum(np.array([v[2] for v in OFFENCES.values()]), axis=1)
    relation_cum /= relation_cum[:, -1:]
    relation = (rng.random(rows)[:, None] > relation_cum[offence]).sum(axis=1).astype(np.int8)
    age = rng.choice(len(AGE_GROUPS), size=rows, p=AGE_SHARES).astype(np.int8)
    kommun = rng.choice(len(kommuner), size=rows, p=weights).astype(np.int16)
    return pd.DataFrame({"day": day, "offence": offence, "kommun": kommun, "sex": sex, "age": age,
                         "relation": relation})


def _list(values) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def select_sql() -> str:
    """Integer codes -> the file's text columns (DuckDB lists are 1-based)."""
    kommuner = municipalities()
    return (
        "select (date '1970-01-01' + day)::date as anmalningsdatum, "
        f"{_list(OFFENCES)}[offence + 1] as brottskod, "
        f"left({_list(kommuner)}[kommun + 1], 2) as lan, "
        f"{_list(kommuner)}[kommun + 1] as kommun, "
        f"{_list(SEXES)}[sex + 1] as offer_kon, "
        f"{_list(AGE_GROUPS)}[age + 1] as offer_alder, "
        f"{_list(RELATIONS)}[relation + 1] as relation "
        "from draws order by anmalningsdatum"
    )


def write_provenance(path: Path, rows: int, seed: int) -> None:
    doc = {
        "source_id": SOURCE_ID,
        "data_file": path.name,
        "demo_data": True,
        "generated_by": f"data/generate_microdata.py, seed {seed}, {rows} rows",
        "about": "Illustrative microdata: every row is generated; not Brå's statistics. / "
                 "Illustrativa mikrodata: varje rad är genererad; inte Brås statistik.",
        "cells": [{"match": {}, "reliability": "illustrative",
                   "note": f"Illustrativt värde, genererat av data/generate_microdata.py, seed {seed}; inte "
                           f"officiell statistik. / Illustrative value generated by data/generate_microdata.py, "
                           f"seed {seed}; not official statistics."}],
    }
    path.with_name(path.name + ".provenance.yaml").write_text(
        yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def generate(out: Path, rows: int, *, formats: tuple[str, ...] = ("parquet", "csv"), first_year: int = FIRST_YEAR,
             years: int = YEARS, seed: int = SEED, name: str | None = None) -> list[Path]:
    """Write the files (with provenance beside each); returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    draws = draw(rows, first_year=first_year, years=years, seed=seed)
    stem = name or f"{SOURCE_ID}_{first_year}-{first_year + years - 1}_{rows}"
    written = []
    conn = duckdb.connect()
    try:
        conn.register("draws", draws)
        for fmt in formats:
            path = out / f"{stem}.{fmt}"
            options = ("format parquet, compression zstd" if fmt == "parquet"
                       else "format csv, delimiter ';', header true")
            conn.execute(f"copy ({select_sql()}) to '{path.as_posix()}' ({options})")
            write_provenance(path, rows, seed)
            written.append(path)
    finally:
        conn.close()
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS_PER_YEAR * YEARS)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--format", nargs="+", choices=("parquet", "csv"), default=["parquet", "csv"])
    parser.add_argument("--first-year", type=int, default=FIRST_YEAR)
    parser.add_argument("--years", type=int, default=YEARS)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--name", help="file name without extension (default: source, years and rows)")
    args = parser.parse_args(argv)
    for path in generate(args.out, args.rows, formats=tuple(args.format), first_year=args.first_year,
                         years=args.years, seed=args.seed, name=args.name):
        print(path)


if __name__ == "__main__":
    main()
