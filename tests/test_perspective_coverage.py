"""Perspectives on indicators and the coverage matrix (issue 10 item 7): the catalogue's `perspectives`
use the register's codes (girls' exposure among them), the matrix perspective × {indicators, measures
planned, measures reported} on programme.html and as perspective_matrix.csv says what nothing covers,
and the development indicators for the areas both government communications call missing are in the
catalogue and on the site without a chart. On the real warehouse and site the shipped data build into."""

from __future__ import annotations

import csv
import io

import duckdb
import pandas as pd
import pytest
from markupsafe import escape

from indicators.i18n import t
from indicators.programme.register import load_register
from indicators.registry import load_catalogue, parse_indicator_spec
from reports.programme import ProgrammeData
from reports.programme_followup import perspective_matrix_context, perspective_matrix_frame
from tests.conftest import PROJECT_ROOT


def esc(text: str) -> str:
    """As Jinja's autoescape writes it (&#39; for an apostrophe)."""
    return str(escape(text))


REGISTER = load_register(PROJECT_ROOT / "data")
CATALOGUE = load_catalogue()
MISSING_AREAS = {"MVK28": "heder", "MVK29": "människohandel", "MVK30": "föräldra", "MVK31": "metod"}


def test_register_has_girls_exposure_and_the_catalogue_uses_register_codes():
    assert REGISTER.perspectives["flickor"]["label"] == {"sv": "Flickors utsatthet", "en": "Girls' exposure"}
    used = {p for spec in CATALOGUE.values() for p in spec.perspectives}
    assert used <= set(REGISTER.perspectives), used - set(REGISTER.perspectives)
    assert {"barnratt", "flickor", "heder"} <= used
    assert "flickor" in CATALOGUE["MVK26"].perspectives        # 9th-graders by sex
    with pytest.raises(ValueError, match="perspectives"):
        parse_indicator_spec((PROJECT_ROOT / "indicators/catalogue/MVK22.yaml").read_text(encoding="utf-8")
                             .replace("perspectives: [barnratt]", "perspectives: [Barnrätt]"))


def test_development_indicators_for_the_missing_areas():
    for ident, word in MISSING_AREAS.items():
        spec = CATALOGUE[ident]
        assert spec.is_development and not spec.sources, ident
        assert word in (spec.name["sv"] + spec.definition["sv"] + spec.data_needed["sv"]).lower(), ident
        assert spec.data_needed["en"] and "[U]" in spec.data_needed["sv"] + spec.data_needed["en"], ident


def planned_counts() -> dict[str, int]:
    return {p: sum(p in m.perspectives for m in REGISTER.measures.values()) for p in REGISTER.perspectives}


@pytest.fixture(scope="module")
def site(built_in_process):
    return built_in_process / "out" / "site"


def test_matrix_csv_counts_indicators_planned_and_reported(site, built_in_process):
    rows = list(csv.DictReader(io.StringIO((site / "data/programme/perspective_matrix.csv").read_text("utf-8"))))
    assert [r["perspective"] for r in rows] == list(REGISTER.perspectives)
    with duckdb.connect(str(built_in_process / "out" / "warehouse" / "warehouse.duckdb"), read_only=True) as conn:
        reported_text = [r[0] for r in conn.execute("select reported_perspectives from programme.measure_status")
                         .fetchall()]
    planned = planned_counts()
    for row in rows:
        code = row["perspective"]
        tagged = sorted(i for i, s in CATALOGUE.items() if code in s.perspectives)
        assert row["indicator_ids"].split() == tagged and int(row["indicators"]) == len(tagged)
        assert int(row["measures_planned"]) == planned[code], code
        assert int(row["measures_reported"]) == sum(code in text.split(",") for text in reported_text), code
        assert row["covered"] == str(bool(tagged or planned[code] or int(row["measures_reported"])))
    flickor = next(r for r in rows if r["perspective"] == "flickor")
    assert flickor["measures_planned"] == "0" and flickor["indicator_ids"]      # no measure, an indicator


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_programme_page_shows_the_matrix(site, lang):
    page = ((site if lang == "sv" else site / "en") / "programme.html").read_text(encoding="utf-8")
    start = page.index('<h2 id="perspective-coverage"')
    block = page[start:page.index("<h2", start + 5)]
    for entry in REGISTER.perspectives.values():
        assert f'<th scope="row">{esc(entry["label"][lang])}</th>' in block
    assert 'href="indicators/MVK26.html"' in block or 'href="../indicators/MVK26.html"' not in block
    assert "perspective_matrix.csv" in block
    no_measure = t("programme_followup.coverage.no_measure", lang,
                   perspectives=REGISTER.perspectives["flickor"]["label"][lang])
    assert esc(no_measure) in block
    for ident in MISSING_AREAS:                        # the development pages exist, without a chart or table
        dev = ((site if lang == "sv" else site / "en") / "indicators" / f"{ident}.html").read_text(encoding="utf-8")
        assert "data-figure" not in dev and "<table" not in dev
        assert esc(CATALOGUE[ident].name[lang]) in dev


def test_a_perspective_nothing_covers_is_named():
    """With a perspective that no indicator tags and no measure plans or reports, the page says so."""
    coverage = pd.DataFrame([{"programme_objective": "P2", "perspective": "barnratt", "planned": 3, "reported": 1,
                              "illustrative": False}])
    data = ProgrammeData(register=REGISTER, year=2025, as_of="2025-12-31",
                         tables={"perspective_coverage": coverage}, indicator_perspectives={"MVK26": ("flickor",)})
    frame = perspective_matrix_frame(data)
    assert set(frame.loc[~frame["covered"], "perspective"]) == set(REGISTER.perspectives) - {"barnratt", "flickor"}
    context = perspective_matrix_context(data, "en")
    assert REGISTER.perspectives["hbtqi"]["label"]["en"] in context["uncovered"]
    assert REGISTER.perspectives["barnratt"]["label"]["en"] in context["weak"]      # measures, no indicator
