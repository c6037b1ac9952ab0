"""`mvk validate` and `mvk ingest` as an analyst uses them: good files, corrections, and bad files.

The malformed-input table takes the shipped files, breaks each in one way a real export can be
broken, and asserts what the analyst sees (the message names the file, the location, what was
found), the non-zero exit, the file in quarantine with its report, and a warehouse that is
byte-for-byte unchanged.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import duckdb
import pytest

from pipelines import cli
from tests.conftest import PROJECT_ROOT

SOURCES = PROJECT_ROOT / "data" / "sources"
LETHAL = next((SOURCES / "bra_lethal_violence").glob("*.csv"))
NTU = next((SOURCES / "bra_ntu_sexual_offences").glob("*.csv"))
REPORTED = next((SOURCES / "bra_reported_gross_violation").glob("*.csv"))
POPULATION = next((SOURCES / "scb_population_county_sex").glob("*.px"))


def text(path: Path, encoding: str = "utf-8-sig") -> str:
    return path.read_bytes().decode(encoding)


def csv_bytes(content: str) -> bytes:
    return ("\ufeff" + content).encode("utf-8")


def replace_once(content: str, old: str, new: str) -> str:
    assert old in content, old
    return content.replace(old, new, 1)


def px_text() -> str:
    return POPULATION.read_bytes().decode("cp1252")


def px_bytes(content: str) -> bytes:
    return content.encode("cp1252")


def lethal(old: str, new: str) -> bytes:
    return csv_bytes(replace_once(text(LETHAL), old, new))


def reported(old: str, new: str) -> bytes:
    return csv_bytes(replace_once(text(REPORTED), old, new))


def population(old: str, new: str) -> bytes:
    return px_bytes(replace_once(px_text(), old, new))


def drop_column(content: str, index: int) -> str:
    return "\r\n".join(";".join(f for i, f in enumerate(line.split(";")) if i != index)
                       for line in content.split("\r\n"))


def px_add_dimension() -> bytes:
    """An extra STUB variable with two values: every DATA row twice."""
    content = px_text()
    content = replace_once(content, 'STUB="region","kön";', 'STUB="civilstånd","region","kön";')
    content = replace_once(content, 'VALUES("region")=', 'VALUES("civilstånd")="ogifta","gifta";\r\nVALUES("region")=')
    head, data = content.split("DATA=\r\n")
    rows = data.rstrip("\r\n;").split("\r\n")
    return px_bytes(head + "DATA=\r\n" + "\r\n".join(rows + rows) + ";\r\n")


def px_truncate() -> bytes:
    content = px_text()
    head, data = content.split("DATA=\r\n")
    return px_bytes(head + "DATA=\r\n" + "\r\n".join(data.split("\r\n")[:10]) + ";\r\n")


def mojibake() -> bytes:
    """UTF-8 read as Windows-1252 and saved again as UTF-8: "Män" becomes "MÃ¤n"."""
    return text(LETHAL).encode("utf-8").decode("cp1252").encode("utf-8")


# name, file name, bytes, message key fragment (in English), location fragment, found fragment
MALFORMED = [
    ("not a number", "dodligt.csv", lethal("2018;Kvinnor;Samtliga;33", "2018;Kvinnor;Samtliga;tre"),
     "not a number", 'line 21, column "Antal brottsoffer"', "tre"),
    ("negative count", "dodligt.csv", lethal("2020;Män;Partner eller tidigare partner;4",
                                             "2020;Män;Partner eller tidigare partner;-4"),
     "negative or not a whole number", "line", "-4"),
    ("fractional count", "dodligt.csv", lethal("2022;Kvinnor;Samtliga;23", "2022;Kvinnor;Samtliga;22,5"),
     "negative or not a whole number", "line", "22.5"),
    ("unknown sex", "dodligt.csv", lethal("2019;Kvinnor;", "2019;Kvinnorna;"),
     "unknown sex code", '"Brottsoffrets kön"', "Kvinnorna"),
    ("unknown relation", "dodligt.csv", lethal("Partner eller tidigare partner", "Granne"),
     "unknown code", '"Relation"', "Granne"),
    ("year is not a year", "dodligt.csv", lethal("2018;", "20x8;"), "is not a year", '"År"', "20x8"),
    ("year in the future", "dodligt.csv", lethal("2024;Samtliga;Samtliga;92", "2031;Samtliga;Samtliga;92"),
     "outside the source's range", "line", "2031"),
    ("year before the series", "dodligt.csv", lethal("2016;Samtliga;Samtliga;106", "2009;Samtliga;Samtliga;106"),
     "outside the source's range", "line", "2009"),
    ("duplicate row", "dodligt.csv",
     csv_bytes(text(LETHAL).replace("2017;Kvinnor;Samtliga;27\r\n", "2017;Kvinnor;Samtliga;27\r\n" * 2, 1)),
     "appears twice", "line", "year=2017"),
    ("missing dimension column", "dodligt.csv", csv_bytes(drop_column(text(LETHAL), 2)),
     "fits no source", "Relation", "brottsoffrets kön"),
    ("extra breakdown column", "dodligt.csv",
     csv_bytes("\r\n".join(line + (";Län" if i == 0 else f";{i % 3}")
                           for i, line in enumerate(text(LETHAL).rstrip("\r\n").split("\r\n"))) + "\r\n"),
     "different values but the source does not use it", 'column "Län"', "3"),
    ("ragged row", "dodligt.csv", lethal("2018;Kvinnor;Samtliga;33", "2018;Kvinnor;Samtliga;33;7"),
     "fields", "line 21", "5"),
    ("empty file", "dodligt.csv", b"", "is empty", "line 1", "0"),
    ("header only", "dodligt.csv", csv_bytes(text(LETHAL).split("\r\n")[0] + "\r\n"),
     "no values", "dodligt.csv", "no values"),
    ("truncated mid-row", "dodligt.csv", csv_bytes(text(LETHAL)[: text(LETHAL).index("2019;Män;Samtliga") + 12]),
     "fields", "line", "3"),
    ("total does not add up", "dodligt.csv", lethal("2018;Samtliga;Samtliga;108", "2018;Samtliga;Samtliga;180"),
     "does not match the sum", "line", "108"),
    ("unknown marker", "dodligt.csv", lethal("2021;Kvinnor;Samtliga;24", "2021;Kvinnor;Samtliga;?"),
     "not a number", "line", "?"),
    ("garbled encoding", "dodligt.csv", mojibake(), "garbled", "dimensions", "Ã"),
    ("binary bytes", "dodligt.csv", csv_bytes(text(LETHAL)[:200]) + b"\x00\x01\x02;\x00\r\n", "", "line", ""),
    ("unbalanced quote", "dodligt.csv", lethal("2023;Kvinnor;Samtliga;33", '2023;"Kvinnor;Samtliga;33'),
     "quote", "line", ""),
    ("share above 100", "ntu.csv", csv_bytes(replace_once(text(NTU), "2018;Kvinnor;10,7", "2018;Kvinnor;107,0")),
     "outside 0–100", "line", "107"),
    ("negative share", "ntu.csv", csv_bytes(replace_once(text(NTU), "2017;Män;1,0", "2017;Män;-1,0")),
     "outside 0–100", "line", "-1"),
    ("county code 02", "anmalda.csv", reported(";Uppsala län;", ";02;"), "unknown region code", '"Region"', "02"),
    ("kommun 9999", "anmalda.csv", reported(";Gotlands län;", ";9999;"), "unknown region code", '"Region"', "9999"),
    ("counties do not add up to Sweden", "anmalda.csv", reported("2018;Riket;1\u00a0744", "2018;Riket;1\u00a0844"),
     "does not match the sum", "line", "1744"),
    ("truncated PX data", "folkmangd.px", px_truncate(), "DATA", "DATA", ""),
    ("PX token not a number", "folkmangd.px", population("9851017", "9851O17"), "", "DATA[r3,c1]", "9851O17"),
    ("PX county code 02", "folkmangd.px", population('"00","01","03"', '"00","01","02"'),
     "unknown region code", '"region"', "02"),
    ("PX missing VALUES", "folkmangd.px",
     px_bytes(re.sub(r'VALUES\("kön"\)=[^;]*;\r\n', "", px_text(), count=1)), "VALUES", 'VALUES("kön")', ""),
    ("PX extra dimension", "folkmangd.px", px_add_dimension(),
     "different values but the source does not use it", '"civilstånd"', "2"),
    ("PX negative population", "folkmangd.px", population("9851017", "-9851017"),
     "negative or not a whole number", "DATA[r", "-9851017"),
    ("PX title states other years", "folkmangd.px",
     population('TITLE="Folkmängd efter region, kön och år";', 'TITLE="Folkmängd efter region, kön och år 2015–2020";'),
     "states the period", "2015–2020", "2021"),
    ("PX unterminated string", "folkmangd.px", population('CONTENTS="Folkmängd";', 'CONTENTS="Folkmängd;'),
     "never", "line", ""),
    ("format not accepted", "folkmangd.xls", b"\xd0\xcf\x11\xe0 not really excel", "not accepted", "folkmangd.xls",
     "xls"),
]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): digest(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_malformed_table_is_large_enough():
    assert len(MALFORMED) >= 30
    assert len({case[0] for case in MALFORMED}) == len(MALFORMED)


@pytest.mark.parametrize(("case", "name", "content", "message", "location", "found"), MALFORMED,
                         ids=[c[0] for c in MALFORMED])
def test_malformed_input_is_refused_quarantined_and_changes_nothing(
        analyst, tmp_path, capsys, case, name, content, message, location, found):
    data, out = analyst
    warehouse = out / "warehouse" / "warehouse.duckdb"
    before_warehouse, before_sources = digest(warehouse), tree_digest(data / "sources")
    bad = tmp_path / "incoming" / name
    bad.parent.mkdir()
    bad.write_bytes(content)

    status = cli.main(["ingest", str(bad), "--data-dir", str(data), "--out", str(out), "--lang", "en"])
    error_text = capsys.readouterr().err

    assert status == 1, case
    first_line = error_text.strip().splitlines()[0]
    assert name in first_line, first_line
    assert message in first_line, first_line
    assert location in first_line, first_line
    assert found in first_line, first_line
    quarantined = list((data / "quarantine").glob(f"*_{name}"))
    assert len(quarantined) == 1 and quarantined[0].read_bytes() == content
    report = quarantined[0].with_name(quarantined[0].name + ".report.txt").read_text(encoding="utf-8")
    assert name in report and "sha256" in report
    assert bad.exists()                                     # a copy is set aside; the analyst keeps the file
    assert digest(warehouse) == before_warehouse            # byte-for-byte unchanged
    assert tree_digest(data / "sources") == before_sources  # nothing filed


def test_swedish_message_by_default(analyst, tmp_path, capsys):
    data, out = analyst
    bad = tmp_path / "dodligt.csv"
    bad.write_bytes(MALFORMED[0][2])
    assert cli.main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "är inte ett tal" in err or "inte är ett tal" in err
    assert 'rad 21, kolumn "Antal brottsoffer"' in err


def test_validate_accepts_shipped_files_and_writes_nothing(tmp_path, capsys):
    files = [str(p) for p in (LETHAL, NTU, REPORTED, POPULATION)]
    assert cli.main(["validate", *files, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.count(": OK – source ") == 4
    assert "bra_ntu_sexual_offences" in out and "years 2016–2023" in out   # survey years → reference years


def correction_2024() -> bytes:
    """Brå revises 2024: one more woman killed by a partner (11 → 12); totals follow."""
    lines = [line for line in text(LETHAL).split("\r\n") if line.startswith("2024;")]
    fixes = {"2024;Samtliga;Samtliga;92": "2024;Samtliga;Samtliga;93",
             "2024;Kvinnor;Samtliga;23": "2024;Kvinnor;Samtliga;24",
             "2024;Samtliga;Partner eller tidigare partner;13": "2024;Samtliga;Partner eller tidigare partner;14",
             "2024;Kvinnor;Partner eller tidigare partner;11": "2024;Kvinnor;Partner eller tidigare partner;12"}
    header = text(LETHAL).split("\r\n")[0]
    return csv_bytes("\r\n".join([header, *[fixes.get(line, line) for line in lines]]) + "\r\n")


def ingest_correction(data: Path, out: Path, tmp_path: Path) -> Path:
    fix = tmp_path / "dodligt_vald_2024_korrigerad.csv"
    fix.write_bytes(correction_2024())
    assert cli.main(["ingest", str(fix), "--data-dir", str(data), "--out", str(out)]) == 0
    return fix


def test_correction_replaces_year_records_revision_and_second_time_is_a_no_op(analyst, tmp_path, capsys):
    data, out = analyst
    fix = ingest_correction(data, out, tmp_path)
    assert (data / "sources" / "bra_lethal_violence" / fix.name).read_bytes() == fix.read_bytes()
    assert "2024,annual,12,count," in (out / "site" / "data" / "indicators" / "MVK05.csv").read_text(encoding="utf-8")
    with duckdb.connect(str(out / "warehouse" / "warehouse.duckdb"), read_only=True) as conn:
        revisions = conn.execute(
            "select dimensions, old_value, new_value, old_snapshot, new_snapshot from raw.revisions "
            "where dimensions = 'sex=K; relation=partner; measure=victims'").fetchall()
        years = conn.execute("select distinct year from raw.observations where source_id = 'bra_lethal_violence' "
                             "and snapshot_sha256 = ?", [digest(fix)]).fetchall()
    assert revisions == [("sex=K; relation=partner; measure=victims", 11.0, 12.0, digest(LETHAL), digest(fix))]
    assert years == [(2024,)]
    capsys.readouterr()
    before = digest(out / "warehouse" / "warehouse.duckdb")
    assert cli.main(["ingest", str(fix), "--data-dir", str(data), "--out", str(out), "--lang", "en"]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert digest(out / "warehouse" / "warehouse.duckdb") == before


@pytest.mark.slow   # a full build from scratch: in `make test-all` and CI
def test_a_rebuild_from_scratch_replays_the_correction(analyst, tmp_path):
    """Rebuilding from scratch replays the files in arrival order: the correction still wins."""
    data, _out = analyst
    ingest_correction(data, _out, tmp_path)
    assert cli.main(["run", "--data-dir", str(data), "--out", str(tmp_path / "rebuilt")]) == 0
    rebuilt = (tmp_path / "rebuilt" / "site" / "data" / "indicators" / "MVK05.csv").read_text(encoding="utf-8")
    assert "2024,annual,12,count," in rebuilt
