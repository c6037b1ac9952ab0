"""Nothing from an invented agency report reads as real, and key figures are protected with their relations.

Issue 8, items 5 and 7 (programme side): every status, status event, key figure and roll-up that comes
from an illustrative report (a ``.provenance.yaml`` with ``reliability: illustrative`` beside it) is
flagged in the warehouse, in every download and on the page; a report without one is official and is
not marked; a small key figure hidden under ``applications = granted + rejected`` cannot be worked out
from what is published, and the suppression log is kept with its counts published.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from indicators.disclosure import SuppressionRule
from indicators.i18n import t
from indicators.programme.key_figures import protect_key_figures, relation_violations
from indicators.programme.provenance import report_provenance
from indicators.programme.register import load_register
from indicators.readers import ReaderError
from pipelines import cli
from tests.conftest import PROJECT_ROOT
from tests.test_programme_pipeline import fill_template

REAL_MEASURES = ("A008", "A011")     # named in the brief (illustrative: false), reported in invented files
APPLICATIONS, GRANTED, REJECTED = ("aklagare_kontaktforbud_ansokningar", "aklagare_kontaktforbud_beviljade",
                                   "aklagare_kontaktforbud_avslagna")


def query(out: Path, sql: str, params=None):
    with duckdb.connect(str(out / "warehouse" / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def rows(site: Path, name: str) -> list[dict]:
    with (site / "data" / "programme" / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def truthy(text: str) -> bool:
    return text.strip().lower() in ("true", "1")


def measure_row(page: str, measure_id: str) -> list[str]:
    """Every table row whose row header starts with the measure id (or its link), and every item of the
    overview's list of measures that starts with it."""
    rows = re.findall(rf'<tr>\s*<th scope="row">(?:<a [^>]*>)?{measure_id}(?:</a>)? .*?</tr>', page, flags=re.S)
    return rows + re.findall(rf'<li><a href="[^"]*measures/{measure_id}\.html">{measure_id}</a> .*?</li>', page,
                             flags=re.S)


def row_header(row: str) -> str:
    """The part of a row that names the measure (its title), before any status."""
    return row[:row.index("</th>")] if "</th>" in row else row[:row.index('<span class="state')]


def generator():
    spec = importlib.util.spec_from_file_location(
        "generate_programme_submissions", PROJECT_ROOT / "data" / "generate_programme_submissions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ----------------------------------------------------------------------------- shipped (illustrative) data

def test_every_shipped_report_has_an_illustrative_sidecar():
    folder = PROJECT_ROOT / "data" / "submissions"
    reports = [p for p in folder.iterdir() if p.suffix in (".xlsx", ".csv")]
    assert len(reports) == 16          # ten for 2025 (one refused), six for 2024
    for path in reports:
        assert report_provenance(path).illustrative, path.name


def test_shipped_reports_are_flagged_in_the_warehouse(built_in_process):
    out = built_in_process / "out"
    assert query(out, "select distinct reliability, illustrative from programme.submissions") \
        == [("illustrative", True)]
    for table in ("measure_reports", "status_events", "key_figures", "obstacles", "key_figures_published"):
        assert query(out, f"select count(*) from programme.{table} where not illustrative or illustrative is null") \
            == [(0,)], table
        assert query(out, f"select count(*) from programme.{table}")[0][0] > 0, table
    reported = query(out, "select measure_id, measure_illustrative, status_illustrative, illustrative "
                          "from programme.measure_status where reporting_agency is not null")
    assert len(reported) == query(out, "select count(*) from programme.measure_status "
                                       "where follow_up_state <> 'no_report'")[0][0] > 50
    assert all(status and any_ for _, _, status, any_ in reported)
    real = {r[0]: r for r in reported if r[0] in REAL_MEASURES}
    assert set(real) == set(REAL_MEASURES)
    for measure_id, measure_illustrative, status_illustrative, _ in real.values():
        assert measure_illustrative is False and status_illustrative is True, measure_id
    # a roll-up that counts an illustrative status is illustrative
    assert query(out, "select count(*) from programme.rollups where illustrative_statuses > 0 and not illustrative") \
        == [(0,)]
    assert query(out, "select count(*) from programme.collaboration_status where not illustrative") == [(0,)]


def test_shipped_reports_are_flagged_in_every_download(built_in_process):
    site = built_in_process / "out" / "site"
    status = rows(site, "measure_status.csv")
    reported = [r for r in status if r["reporting_agency"]]
    assert reported and all(truthy(r["status_illustrative"]) and truthy(r["illustrative"]) for r in reported)
    for measure_id in REAL_MEASURES:
        row = next(r for r in status if r["measure_id"] == measure_id)
        assert row["follow_up_state"] and not truthy(row["measure_illustrative"]) and truthy(row["illustrative"])
    for name in ("status_events.csv", "key_figures.csv", "obstacles.csv"):
        table = rows(site, name)
        assert table and all(truthy(r["illustrative"]) for r in table), name
    rollups = rows(site, "rollups.csv")
    assert all(truthy(r["illustrative"]) for r in rollups if int(r["illustrative_statuses"]) > 0)
    assert any(int(r["illustrative_statuses"]) > 0 for r in rollups)
    assert all(truthy(r["illustrative"]) for r in rows(site, "perspective_coverage.csv") if int(r["reported"]) > 0)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_page_marks_real_measures_reported_in_invented_files(built_in_process, lang):
    site = built_in_process / "out" / "site"
    page = ((site if lang == "sv" else site / "en") / "programme.html").read_text(encoding="utf-8")
    title = t("programme_trust.marker_title", lang)
    notice = page[page.index("notice-illustrative"):page.index("</div>", page.index("notice-illustrative"))]
    assert "A008" in notice and "A011" in notice                 # the notice near the top names them
    register = load_register(PROJECT_ROOT / "data")
    for measure_id in REAL_MEASURES:
        lead = register.measures[measure_id].responsible[0]
        folder = site if lang == "sv" else site / "en"
        agency_page = (folder / "agencies" / f"{lead}.html").read_text(encoding="utf-8")
        for shown in (page, agency_page):                         # the overview's list and the agency's table
            found = measure_row(shown, measure_id)
            assert found, measure_id
            for row in found:                                     # every row that shows the status marks it
                assert f'<abbr title="{title}">[ill.]</abbr>' in row, (measure_id, row)
                assert "[ill.]" not in row_header(row)             # the measure itself is real
    polisen = ((site if lang == "sv" else site / "en") / "agencies" / "polisen.html").read_text(encoding="utf-8")
    history = polisen[polisen.index('<h2 id="reports"'):]
    assert history.count(f'<abbr title="{title}">[ill.]</abbr>') >= 3   # report, statuses, history


# -------------------------------------------------------------------------------------- an official report

@pytest.fixture()
def official_resubmission(analyst, tmp_path):
    """Kriminalvården sends a real report (no sidecar), ingested with the real CLI."""
    data, out = analyst
    template = tmp_path / "kriminalvarden_2025_v2.xlsx"
    assert cli.main(["template", "--agency", "Kriminalvården", "--year", "2025", "--out", str(template),
                     "--data-dir", str(data)]) == 0
    fill_template(template, {"A051": "Genomförd"})
    assert cli.main(["ingest", str(template), "--data-dir", str(data), "--out", str(out)]) == 0
    return data, out, template.name


def test_a_report_without_provenance_is_official_and_not_marked(official_resubmission):
    data, out, name = official_resubmission
    assert not (data / "submissions" / f"{name}.provenance.yaml").exists()
    assert query(out, "select reliability, illustrative from programme.submissions where original_name = ?",
                 [name]) == [("official", False)]
    mine = query(out, "select measure_id, status_illustrative, illustrative, measure_illustrative "
                      "from programme.measure_status where reporting_agency = 'kriminalvarden'")
    assert mine and all(status is False for _, status, _, _ in mine)
    assert all(any_ == measure for _, _, any_, measure in mine)    # only the register's own flag remains
    events = query(out, "select e.illustrative, s.original_name from programme.status_events e "
                        "join programme.submissions s using (snapshot_sha256) where e.agency_id = 'kriminalvarden'")
    assert {(False, name)} <= set(events) and {(True, "kriminalvarden_2025.xlsx")} <= set(events)  # history kept

    site = out / "site"
    status = {r["measure_id"]: r for r in rows(site, "measure_status.csv")}
    assert not truthy(status["A051"]["status_illustrative"]) and status["A051"]["follow_up_state"] == "completed"
    title = t("programme_trust.marker_title", "sv")
    for shown in ("programme.html", "agencies/kriminalvarden.html", "measures/A051.html"):
        page = (site / shown).read_text(encoding="utf-8")
        if shown == "programme.html":   # "what moved" shows A051's 2024 status, which is illustrative
            moved = page.index('<h2 id="moved"')
            page = page[:moved] + page[page.index("<h2", moved + 5):]
        real_row = [r for r in measure_row(page, "A051")] if shown != "measures/A051.html" else \
            [page[page.index('<h2 id="status"'):page.index('<h2 id="reports"')]]
        assert real_row and all(f'<abbr title="{title}">' not in r for r in real_row), shown
    page = (site / "agencies" / "kriminalvarden.html").read_text(encoding="utf-8")
    section = page[page.index('<h2 id="reports"'):page.index('<h2 id="history"')]
    received = section[:section.index("</ul>")]
    assert f"<li>{name} (2025)</li>" in received                      # the official file has no marker
    assert "<li>kriminalvarden_2025.xlsx (2025) <abbr" in received    # the invented one keeps its marker


def test_a_malformed_sidecar_refuses_the_report(tmp_path):
    report = tmp_path / "polisen_2025.xlsx"
    report.write_bytes(b"")
    (tmp_path / "polisen_2025.xlsx.provenance.yaml").write_text("reliability: maybe\n", encoding="utf-8")
    with pytest.raises(ReaderError) as error:
        report_provenance(report)
    assert error.value.key == "programme_trust.provenance_reliability"
    assert "maybe" in error.value.message("sv") and "maybe" in error.value.message("en")
    (tmp_path / "polisen_2025.xlsx.provenance.yaml").write_text("data_file: nck_2025.xlsx\nreliability: official\n",
                                                                encoding="utf-8")
    with pytest.raises(ReaderError, match="nck_2025.xlsx"):
        report_provenance(report)
    (tmp_path / "polisen_2025.xlsx.provenance.yaml").unlink()
    assert report_provenance(report).reliability == "official"


# ------------------------------------------------------------------------------------------- key figures

def determined(relation_values: dict[str, float | None], total: str) -> set[str]:
    """Solve total = sum(parts) for the hidden cells: with one equation, a cell is determined only when
    it is the only unknown in it."""
    unknown = {k for k, v in relation_values.items() if v is None}
    return unknown if len(unknown) == 1 else set()


def test_small_contact_ban_figure_cannot_be_worked_out_from_what_is_published(analyst, tmp_path):
    data, out = analyst
    module = generator()
    register = load_register(data)
    answers = module.answers_for(register, "aklagarmyndigheten")
    answers["key_figures"].update({APPLICATIONS: 40, GRANTED: 37, REJECTED: 3})
    report = tmp_path / "aklagarmyndigheten_2025_rattad.xlsx"
    report.write_bytes(module.fill(register, answers))
    assert cli.main(["ingest", str(report), "--data-dir", str(data), "--out", str(out)]) == 0

    site = out / "site"
    published = {r["key_figure_id"]: r for r in rows(site, "key_figures.csv") if r["agency_id"] == "aklagarmyndigheten"}
    assert published[REJECTED]["value"] == "" and published[REJECTED]["flag"] == "c"
    values = {k: (float(published[k]["value"]) if published[k]["value"] else None)
              for k in (APPLICATIONS, GRANTED, REJECTED)}
    assert determined(values, APPLICATIONS) == set()               # nothing solves for the small count
    assert sum(v is None for v in values.values()) >= 2
    assert not truthy(published[REJECTED]["illustrative"])          # an official report

    log = query(out, "select key_figure_id, relation, kind, reason from programme.key_figure_suppression_log "
                     "where agency_id = 'aklagarmyndigheten' order by kind, key_figure_id")
    assert (REJECTED, "kontaktforbud_provade", "primary", "primary.small_count") in log
    assert any(kind == "secondary" for _, _, kind, _ in log)
    columns = [r[0] for r in query(out, "select column_name from information_schema.columns where table_schema "
                                        "= 'programme' and table_name = 'key_figure_suppression_log'")]
    assert "value" not in columns and {"key_figure_id", "kind", "reason", "rule"} <= set(columns)
    counts = {(r["kind"], r["reason"]): int(r["cells"]) for r in rows(site, "key_figure_suppression.csv")}
    logged = query(out, "select kind, reason, count(*) from programme.key_figure_suppression_log group by all")
    assert counts == {(kind, reason): n for kind, reason, n in logged}
    assert counts[("primary", "primary.small_count")] >= 1 and counts[("secondary", "secondary.direct")] >= 1
    page = (site / "programme.html").read_text(encoding="utf-8")
    assert "key_figure_suppression.csv" in page and "Röjandekontroll" in page


def test_shipped_key_figures_satisfy_their_relations_and_the_log_is_published(built_in_process):
    out = built_in_process / "out"
    register = load_register(PROJECT_ROOT / "data")
    figures = pd.DataFrame(query(out, "select agency_id, year, key_figure_id, value from programme.key_figures"),
                           columns=["agency_id", "year", "key_figure_id", "value"])
    assert relation_violations(figures, register.key_figure_relations).empty
    assert query(out, "select count(*) from programme.key_figure_relations") == [(13,)]
    assert query(out, "select count(*) from programme.key_figure_suppression_log")[0][0] == \
        sum(int(r["cells"]) for r in rows(out / "site", "key_figure_suppression.csv"))
    # the shipped small count (rejected contact bans with electronic monitoring) and its partner are hidden
    site = out / "site"
    published = {r["key_figure_id"]: r for r in rows(site, "key_figures.csv")}
    hidden = {k for k, r in published.items() if r["flag"] == "c"}
    assert hidden == {"aklagare_fotboja_avslagna", "aklagare_fotboja_beviljade"}
    assert all(published[k]["value"] == "" for k in hidden) and published["aklagare_fotboja_ansokningar"]["value"]
    page = (site / "programme.html").read_text(encoding="utf-8")
    assert "2 av 17 rapporterade nyckeltal visas inte" in page        # the overview says how many
    for shown in ("agencies/aklagarmyndigheten.html", "collaboration.html"):   # the figures themselves
        assert (site / shown).read_text(encoding="utf-8").count("[c]</abbr>") >= 2, shown


def frame(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame([("aklagarmyndigheten", 2025, k, float(v), "") for k, v in values.items()],
                        columns=["agency_id", "year", "key_figure_id", "value", "flag"])


def test_relation_protection_against_the_old_primary_only_rule():
    relations = load_register(PROJECT_ROOT / "data").key_figure_relations
    figures = frame({APPLICATIONS: 40, GRANTED: 37, REJECTED: 3})
    primary_only = protect_key_figures(figures, (), SuppressionRule()).frame.set_index("key_figure_id")["value"]
    assert primary_only[APPLICATIONS] - primary_only[GRANTED] == 3                # what used to leak
    protected = protect_key_figures(figures, relations, SuppressionRule())
    hidden = protected.frame[protected.frame["value"].isna()]["key_figure_id"].tolist()
    assert REJECTED in hidden and len(hidden) >= 2
    assert "value" not in protected.log.columns and set(protected.log["key_figure_id"]) == set(hidden)


def test_a_missing_part_is_unknown_not_zero():
    """Without the rejected figure, the total and the granted figure are not a relation of their own."""
    relations = load_register(PROJECT_ROOT / "data").key_figure_relations
    protected = protect_key_figures(frame({APPLICATIONS: 40, GRANTED: 3}), relations, SuppressionRule())
    assert protected.frame.set_index("key_figure_id")["flag"].to_dict() == {APPLICATIONS: "", GRANTED: "c"}
    assert len(protected.frame) == 2


def test_broken_relations_are_reported():
    relations = load_register(PROJECT_ROOT / "data").key_figure_relations
    figures = pd.concat([frame({APPLICATIONS: 40, GRANTED: 30, REJECTED: 5}),
                         pd.DataFrame([("kriminalvarden", 2025, "kriminalvarden_program_behov", 100.0, ""),
                                       ("kriminalvarden", 2025, "kriminalvarden_program_paborjade", 120.0, ""),
                                       ("kriminalvarden", 2025, "kriminalvarden_program_fullfoljda", 50.0, "")],
                                      columns=["agency_id", "year", "key_figure_id", "value", "flag"])])
    broken = relation_violations(figures, relations)
    assert set(broken["relation"]) == {"kontaktforbud_provade", "kriminalvarden_programkedja"}


def relation(doc: dict, ident: str) -> dict:
    return next(r for r in doc["relations"] if r["id"] == ident)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["relations"][0]["parts"].append("no_such_figure"), r"kontaktforbud_provade: unknown key figure"),
    (lambda d: d["relations"].append({"id": "again", "kind": "sum", "total": APPLICATIONS,
                                      "parts": [GRANTED, "aklagare_kontaktforbud_avslagna"]}),
     r"again: key figure .* is already in sum relation"),
    (lambda d: relation(d, "kriminalvarden_programkedja").update(kind="ratio"),
     r"kriminalvarden_programkedja: relation kind must be one of"),
    (lambda d: relation(d, "kriminalvarden_programkedja")["chain"].append("nck_kvinnofridslinjen_samtal"),
     r"kriminalvarden_programkedja: .*several agencies"),
])
def test_register_checks_relations(data_copy, change, message):
    import yaml

    path = data_copy / "programme" / "key_figures.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=r"key_figures\.yaml: " + message):
        load_register(data_copy)


def test_generator_writes_the_shipped_sidecars(tmp_path, monkeypatch):
    module = generator()
    monkeypatch.setattr(module, "OUT", tmp_path / "submissions")
    monkeypatch.setattr(module, "REJECTED", tmp_path / "rejected")
    monkeypatch.setattr(module, "DATA", PROJECT_ROOT / "data")
    module.main()
    for path in (tmp_path / "submissions").iterdir():
        assert path.read_bytes() == (PROJECT_ROOT / "data" / "submissions" / path.name).read_bytes(), path.name
    assert len(list((tmp_path / "submissions").glob("*.provenance.yaml"))) == 16   # 2025: 10, 2024: 6


@pytest.mark.slow   # a full build in place: `make test-all` and CI
def test_older_warehouse_is_filled_once_and_a_removed_sidecar_changes_nothing(analyst):
    """A warehouse built before reports carried a reliability gets it from the sidecars on the next run;
    a reliability once recorded is not turned official by deleting the sidecar (nothing silent)."""
    data, out = analyst
    with duckdb.connect(str(out / "warehouse" / "warehouse.duckdb")) as conn:
        for table in ("submissions", "measure_reports", "status_events", "key_figures", "obstacles"):
            conn.execute(f"update programme.{table} set illustrative = null where agency_id = 'polisen'")
        conn.execute("update programme.submissions set reliability = null where agency_id = 'polisen'")
    (data / "submissions" / "nck_2025.xlsx.provenance.yaml").unlink()
    assert cli.main(["run", "--data-dir", str(data), "--out", str(out)]) == 0

    assert query(out, "select distinct reliability, illustrative from programme.submissions "
                      "where agency_id = 'polisen'") == [("illustrative", True)]    # its 2024 and 2025 reports
    for table in ("measure_reports", "status_events", "key_figures", "obstacles"):
        assert query(out, f"select distinct illustrative from programme.{table} where agency_id = 'polisen'") \
            == [(True,)], table
    assert query(out, "select reliability from programme.submissions where agency_id = 'nck'") == [("illustrative",)]
    events = rows(out / "site", "status_events.csv")
    assert all(truthy(r["illustrative"]) for r in events if r["agency_id"] in ("polisen", "nck"))
