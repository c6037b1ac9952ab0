"""The action programme's measure register (data/programme/*.yaml) and its loader."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from indicators.programme.register import Register, find_agency, load_register, measures_for

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

# The measures BRIEF.md §5 names, by the register's id, with their responsible agencies.
NAMED = {
    "A001": ("socialstyrelsen",),                                         # samordnad stödkedja / lämnaprogram
    "A002": ("regeringskansliet",),                                       # contact-ban review, SOU 2024:13
    "A003": ("regeringskansliet",),                                       # right to stay in the home
    "A004": ("regeringskansliet",),                                       # economic violence
    "A005": ("regeringskansliet",),                                       # children's contact with a violent parent
    "A006": ("jamstalldhetsmyndigheten",),                                # national function, honour
    "A007": ("socialstyrelsen",),                                         # follow-up of social services' support
    "A008": ("socialstyrelsen",),                                         # kinship placements
    "A009": ("jamstalldhetsmyndigheten",),                                # harmful stays abroad
    "A010": ("skolverket",),                                              # systematic work in schools
    "A011": ("polisen",),                                                 # justice-system competence on children
    "A012": ("lansstyrelserna", "polisen"),                               # regional resource centres
    "A013": ("polisen", "aklagarmyndigheten", "kriminalvarden", "socialstyrelsen"),  # 2024 collaboration
}
COLLABORATION = "A013"


@pytest.fixture(scope="module")
def register() -> Register:
    return load_register(DATA_DIR)


# ---------------------------------------------------------------------------------------------- shipped data

def test_shipped_register_loads(register):
    assert len(register.measures) == 132
    assert list(register.measures) == [f"A{n:03d}" for n in range(1, 133)]
    assert register.programme["measure_count"] == 132
    assert set(register.objectives) == {"P1", "P2", "P3", "P4", "P5", "P6"}
    assert set(register.priority_areas) == {1, 2, 3, 4}
    assert 18 <= len(register.agencies) <= 25


def test_objective_mapping(register):
    strategy = {key: value["strategy_objectives"] for key, value in register.objectives.items()}
    assert strategy == {"P1": (4,), "P2": (1,), "P3": (1, 3), "P4": (2,), "P5": (3,), "P6": (4,)}
    assert register.objectives["P1"]["cross_cutting"] is True
    for measure in register.measures.values():   # the shipped measures keep their objective's default
        assert measure.strategy_objectives == strategy[measure.programme_objective], measure.id


def test_vocabulary(register):
    assert set(register.statuses) == {"genomford", "pagaende", "under_beredning", "ej_paborjad", "utgatt", "okand"}
    assert register.status_taxonomy["proposal"] is True
    assert "förslag" in register.status_taxonomy["note"]["sv"] and "proposal" in register.status_taxonomy["note"]["en"]
    assert all(s["proposal"] and s["meaning"]["sv"] and s["label"]["en"] for s in register.statuses.values())
    assert set(register.derived_states) == {"late", "no_report", "not_due"}
    assert set(register.perspectives) == {"barnratt", "funktionsnedsattning", "heder", "hbtqi", "aldre",
                                          "utrikes_fodda", "flickor"}
    assert set(register.obstacle_categories) == {"lag_sekretess", "informationsdelning_it", "resurser", "kompetens",
                                                 "mandat_organisation", "ovrigt"}
    assert set(register.measure_types) == {"regeringsuppdrag", "utredning", "lagstiftning", "finansiering",
                                           "metodutveckling", "kunskap", "ovrigt"}
    for table in (register.derived_states, register.perspectives, register.obstacle_categories,
                  register.measure_types):
        assert all(entry["label"]["sv"] and entry["label"]["en"] for entry in table.values())


def test_every_objective_area_and_agency_has_measures(register):
    measures = register.measures.values()
    assert set(Counter(m.programme_objective for m in measures)) == set(register.objectives)
    assert set(Counter(m.priority_area for m in measures if m.priority_area)) == set(register.priority_areas)
    for agency in register.agencies:
        assert measures_for(register, agency), agency
    responsible = {a for m in measures for a in m.responsible}
    assert len(responsible) == len(register.agencies)   # every agency is responsible for at least one


def test_named_measures_are_published_with_source(register):
    for ident, responsible in NAMED.items():
        measure = register.measures[ident]
        assert measure.illustrative is False, ident
        assert measure.responsible == responsible, ident
        assert measure.reliability in ("V", "V2", "U"), ident
        if ident == COLLABORATION:                       # primary text not located (BRIEF.md §3)
            assert measure.source_url is None and measure.reliability == "U"
            assert "Primärtexten har inte hittats" in measure.note
        else:
            assert measure.source_url and measure.source_url.startswith("https://"), ident
    stodkedja = register.measures["A001"]
    assert stodkedja.deadline == date(2027, 4, 10) and stodkedja.priority_area == 1
    assert "SOU 2024:13" in register.measures["A002"].title["sv"]
    assert register.measures["A002"].source_url == "https://lagen.nu/sou/2024:13"
    assert sum(not m.illustrative for m in register.measures.values()) == len(NAMED)


def test_illustrative_measures_are_marked(register):
    illustrative = [m for m in register.measures.values() if m.illustrative]
    assert len(illustrative) == 132 - len(NAMED)
    for measure in illustrative:
        assert measure.source_url is None and measure.reliability is None, measure.id
        assert "Illustrativ" in measure.note and "Illustrative" in measure.note, measure.id
        assert measure.collaboration_assignment is False, measure.id


def test_deadlines_allow_late_measures(register):
    deadlines = [m.deadline for m in register.measures.values() if m.deadline]
    assert min(deadlines).year == 2024 and max(deadlines).year == 2027
    assert sum(d < date(2026, 11, 22) for d in deadlines) >= 20
    assert all(m.deadline is None or m.deadline >= m.start for m in register.measures.values())


def test_collaboration_assignment(register):
    assignment = register.collaboration_assignment
    assert assignment["reliability"] == "U"
    assert set(assignment["agencies"]) == {"polisen", "aklagarmyndigheten", "kriminalvarden", "socialstyrelsen"}
    assert len(assignment["tasks"]) == 3 and all(task["sv"] and task["en"] for task in assignment["tasks"])
    assert assignment["perpetrator_indicators"] == ("MVK18", "MVK19")
    for figure in assignment["perpetrator_key_figures"]:
        assert register.key_figures[figure].agency == "polisen"
        assert register.key_figures[figure].perpetrator_focused
    flagged = [m.id for m in register.measures.values() if m.collaboration_assignment]
    assert flagged == [COLLABORATION]
    assert set(register.measures[COLLABORATION].responsible) == set(assignment["agencies"])


def test_key_figures(register):
    figures = register.key_figures
    # MVK16's contact-ban figures, and the contact bans with electronic monitoring (no indicator of their own)
    assert {f.indicator for f in figures.values() if f.agency == "aklagarmyndigheten"} == {"MVK16", None}
    assert {"aklagare_kontaktforbud_beviljade", "aklagare_kontaktforbud_avslagna"} <= set(figures)
    programme = [f for f in figures.values() if f.agency == "kriminalvarden"]
    assert {f.indicator for f in programme} == {"MVK19"} and all(f.perpetrator_focused for f in programme)
    assert figures["socialstyrelsen_stodkedja_kommuner"].unit == "municipalities"
    assert figures["lansstyrelserna_heder_kompetens_personer"].agency == "lansstyrelserna"
    for agency in register.agencies.values():
        assert all(figures[f].agency == agency.id for f in agency.key_figures)


def test_indicator_ids_exist_in_catalogue(register):
    catalogue = {p.stem for p in (DATA_DIR.parent / "indicators" / "catalogue").glob("MVK*.yaml")}
    used = {i for m in register.measures.values() for i in m.indicators}
    used |= {f.indicator for f in register.key_figures.values() if f.indicator}
    assert used <= catalogue


# ---------------------------------------------------------------------------------------------- lookups

@pytest.mark.parametrize("text, expected", [
    ("Kriminalvården", "kriminalvarden"),
    ("kriminalvarden", "kriminalvarden"),
    ("KRIMINALVÅRDEN", "kriminalvarden"),
    ("  kriminalvården ", "kriminalvarden"),
    ("Swedish Prison and Probation Service", "kriminalvarden"),
    ("Polisen", "polisen"),
    ("Polismyndigheten", "polisen"),
    ("polismyndigheten", "polisen"),
    ("Åklagarmyndigheten", "aklagarmyndigheten"),
    ("aklagarmyndigheten", "aklagarmyndigheten"),
    ("Brå", "bra"),
    ("BRÅ", "bra"),
    ("Brottsförebyggande rådet", "bra"),
    ("JämY", "jamstalldhetsmyndigheten"),
    ("Jamstalldhetsmyndigheten", "jamstalldhetsmyndigheten"),
    ("Länsstyrelsen Östergötland", "lansstyrelserna"),
    ("lansstyrelsen i ostergotlands lan", "lansstyrelserna"),
    ("Sveriges Kommuner och Regioner", "skr"),
    ("NCK (Uppsala universitet)", "nck"),
    ("Myndigheten för delaktighet", "mfd"),
    ("Försäkringskassan", "forsakringskassan"),
    ("Justitiedepartementet", "regeringskansliet"),
])
def test_find_agency(register, text, expected):
    agency = find_agency(register, text)
    assert agency is not None and agency.id == expected


@pytest.mark.parametrize("text", ["", "   ", "Skatteverket", "Polis myndigheten X"])
def test_find_agency_unknown(register, text):
    assert find_agency(register, text) is None


def test_measures_for(register):
    kriminalvarden = measures_for(register, "kriminalvarden")
    assert [m.id for m in kriminalvarden] == sorted(m.id for m in kriminalvarden)
    assert COLLABORATION in [m.id for m in kriminalvarden]
    co_only = [m for m in register.measures.values() if "lansstyrelserna" in m.co_responsible]
    assert co_only and all(m in measures_for(register, "lansstyrelserna") for m in co_only)
    assert measures_for(register, "no_such_agency") == []


# ---------------------------------------------------------------------------------------------- validation

@pytest.fixture()
def broken(tmp_path):
    """A copy of the shipped register to break: ``edit(file, change)`` rewrites one YAML file."""
    shutil.copytree(DATA_DIR / "programme", tmp_path / "programme")

    def edit(name: str, change) -> None:
        path = tmp_path / "programme" / name
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        change(doc)
        path.write_text(yaml.dump(doc, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                                  sort_keys=False), encoding="utf-8")

    edit.data_dir = tmp_path
    return edit


def measure(doc: dict, ident: str) -> dict:
    return next(m for m in doc["measures"] if m["id"] == ident)


def test_copy_loads(broken):
    broken("measures.yaml", lambda doc: None)          # a round trip through PyYAML changes nothing
    assert len(load_register(broken.data_dir).measures) == 132


@pytest.mark.parametrize("file, change, message", [
    ("measures.yaml", lambda d: measure(d, "A017").update(responsible=["polis"]),
     r"measures\.yaml: A017: unknown agency 'polis'"),
    ("measures.yaml", lambda d: measure(d, "A020").update(co_responsible=["socialstyrelsen", "skattevarket"]),
     r"measures\.yaml: A020: unknown agency 'skattevarket' in co_responsible"),
    ("measures.yaml", lambda d: measure(d, "A030").update(programme_objective="P7"),
     r"measures\.yaml: A030: unknown programme objective 'P7'"),
    ("measures.yaml", lambda d: measure(d, "A031").update(id="A030"),
     r"measures\.yaml: A030: duplicate id"),
    ("measures.yaml", lambda d: measure(d, "A040").update(perspectives=["barnratt", "girls"]),
     r"measures\.yaml: A040: unknown perspective 'girls'"),
    ("measures.yaml", lambda d: measure(d, "A041").update(indicators=["MVK1"]),
     r"measures\.yaml: A041: indicator id 'MVK1' .*not of the form MVKnn"),
    ("measures.yaml", lambda d: measure(d, "A001").update(deadline="2023-12-31"),
     r"measures\.yaml: A001: deadline 2023-12-31 is before start 2024-04-12"),
    ("measures.yaml", lambda d: measure(d, "A042").update(priority_area=5),
     r"measures\.yaml: A042: unknown priority area 5"),
    ("measures.yaml", lambda d: measure(d, "A043").update(type="lag"),
     r"measures\.yaml: A043: unknown measure type 'lag'"),
    ("measures.yaml", lambda d: measure(d, "A044").update(start="20 juni 2024"),
     r"measures\.yaml: A044: start must be an ISO date"),
    ("measures.yaml", lambda d: measure(d, "A045").update(illustrative="yes"),
     r"measures\.yaml: A045: illustrative must be true or false"),
    ("measures.yaml", lambda d: measure(d, "A046").update(title={"sv": "Bara svenska"}),
     r"measures\.yaml: A046: title has no 'en' text"),
    ("measures.yaml", lambda d: measure(d, "A047").update(note=None),
     r"measures\.yaml: A047: an illustrative measure must say so in its note"),
    ("agencies.yaml", lambda d: d["agencies"].append(dict(d["agencies"][0])),
     r"agencies\.yaml: jamstalldhetsmyndigheten: duplicate id"),
    ("agencies.yaml", lambda d: d["agencies"][-1]["aliases"].append("POLISEN"),
     r"agencies\.yaml: regeringskansliet: name or alias 'POLISEN' is also used by agency 'polisen'"),
    ("agencies.yaml", lambda d: d["agencies"][0]["key_figures"].append("no_such_figure"),
     r"agencies\.yaml: jamstalldhetsmyndigheten: unknown key figure 'no_such_figure'"),
    ("key_figures.yaml", lambda d: d["key_figures"][0].update(agency="aklagare"),
     r"key_figures\.yaml: aklagare_kontaktforbud_ansokningar: unknown agency 'aklagare'"),
    ("key_figures.yaml", lambda d: d["key_figures"][0].update(indicator="MVK016"),
     r"key_figures\.yaml: aklagare_kontaktforbud_ansokningar: indicator id 'MVK016' is not of the form MVKnn"),
    ("register.yaml", lambda d: d["objectives"]["items"][2].update(strategy_objectives=[1, 5]),
     r"register\.yaml: P3: strategy_objectives must be a non-empty list"),
    ("register.yaml", lambda d: d["collaboration_assignment"].update(agencies=["polisen", "kvv"]),
     r"register\.yaml: collaboration_assignment: unknown agency 'kvv'"),
    ("register.yaml", lambda d: d["perspectives"].append({"code": "heder", "label": {"sv": "x", "en": "x"}}),
     r"register\.yaml: heder: duplicate code in perspectives"),
])
def test_validation_names_file_and_entry(broken, file, change, message):
    broken(file, change)
    with pytest.raises(ValueError, match=message):
        load_register(broken.data_dir)


def test_missing_file(tmp_path):
    (tmp_path / "programme").mkdir()
    with pytest.raises(ValueError, match=r"register\.yaml: missing"):
        load_register(tmp_path)


def test_generator_is_reproducible(tmp_path, monkeypatch):
    """Running the generator again writes the shipped measures.yaml byte for byte."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_register", DATA_DIR / "programme" / "generate_register.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path / "measures.yaml")
    module.main()
    shipped = (DATA_DIR / "programme" / "measures.yaml").read_bytes()
    assert (tmp_path / "measures.yaml").read_bytes() == shipped
