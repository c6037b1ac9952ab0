"""Write illustrative agency submissions for report years 2024 and 2025, and two examples of rejected files.

    .venv/bin/python data/generate_programme_submissions.py

Every value here is invented (BRIEF.md §12): statuses, dates, key figures, obstacles and narratives are
generated with a fixed seed from the measure register (``data/programme/``), and every free text says
"Illustrativt exempel – …". The files are the agencies' reporting templates
(``indicators.programme.template``) filled in with openpyxl as a person would, and one the same
content as CSV, so that the pipeline and the site can show the action programme's follow-up without
real reports.

Written:

- ``data/submissions/<agency>_2024.xlsx`` for the six agencies in ``AGENCIES_2024``: the year before,
  derived from the 2025 answers with a seed of its own (``PREVIOUS``: a status one step earlier on the
  way, or the same), so that some statuses move between the two follow-up dates; the four agencies of
  the collaboration assignment also report its three parts, in both years. The 2024 reports have
  statuses and obstacles but no key figures (first reported for 2025 in the illustrative data).
- ``data/submissions/<agency>_2025.xlsx`` for nine of the ten agencies in ``AGENCIES``
  (``<agency>_2025.csv`` for ``CSV_AGENCY``) and a README saying that all of it is illustrative, plus the
  refused unknown-measure CSV so that the follow-up shows a rejected file. Beside every one a
  ``<file>.provenance.yaml`` with ``reliability: illustrative`` (``indicators.programme.provenance``): it
  is what makes the pipeline flag every status, status event, key figure and roll-up from these files
  as illustrative. A real agency report comes without one and counts as official. ``MISSING_AGENCY`` has a
  template but sends nothing, so the follow-up shows
  an agency without a report.
- ``data/rejected_examples/``: files the reader must refuse (the personnummer example is never put
  where the pipeline reads): a template with a personal identity number in a narrative (Skatteverket's
  published example number 811218-9876, SKV 704, not a real person's), and a CSV reporting a measure
  that does not exist. ``README.md`` there names the rule and cell each one breaks.

The bytes are the same on every run (fixed seed; document dates and zip timestamps fixed to
``SUBMITTED``), and the script reads every file back with ``read_submission`` before it finishes.
The 2025 answers are drawn exactly as before the 2024 reports, the assignment's parts and "who should
act" were added (those come from seeds of their own), so the 2025 statuses, key figures and obstacles
did not move; the 2025 workbooks' bytes did, because the template gained a perspective column (girls'
exposure), the parts sheet and the "who should act" column (template version 2). The CSV files keep
their bytes: they use the thirteen-column layout, in which "who should act" is optional.
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from indicators.i18n import t
from indicators.programme.register import Register, load_register, measures_for
from indicators.programme.submission import CSV_COLUMNS, read_submission
from indicators.programme.template import (
    ACTOR_COLUMN,
    FIRST_ROW,
    KEY_FIGURE_VALUE_COLUMN,
    OBSTACLE_COLUMN,
    OBSTACLE_ROWS,
    PART_EVIDENCE_COLUMN,
    PART_ID_COLUMN,
    PART_NARRATIVE_COLUMN,
    PART_STATUS_COLUMN,
    SHEET_COLLABORATION,
    SHEET_KEY_FIGURES,
    SHEET_MEASURES,
    SHEET_PARTS,
    SOLUTION_COLUMN,
    STATUS_COLUMN,
    STATUS_DATE_COLUMN,
    MeasureLayout,
    agency_key_figures,
    label,
    template_bytes,
)
from indicators.readers.model import ReaderError
from indicators.xlsx_bytes import workbook_to_bytes

DATA = Path(__file__).resolve().parent

SEED = 20260131
YEAR = 2025
SUBMITTED = datetime(2026, 1, 31)  # when the illustrative reports "arrived"; also their document date
SUBMITTED_BY_YEAR = {2024: datetime(2025, 1, 31), 2025: SUBMITTED}
OUT = DATA / "submissions"
REJECTED = DATA / "rejected_examples"
VISIBLE_REJECTION = "programme.unknown_measure"   # the personnummer example never goes near the pipeline
PREFIX = "Illustrativt exempel – "

# The four agencies of the 2024 collaboration assignment first: they report obstacles and key figures.
AGENCIES = ("polisen", "aklagarmyndigheten", "kriminalvarden", "socialstyrelsen", "jamstalldhetsmyndigheten",
            "lansstyrelserna", "skolverket", "nck", "barnafrid", "brottsoffermyndigheten")
MISSING_AGENCY = "brottsoffermyndigheten"
CSV_AGENCY = "skolverket"
EXAMPLE_PERSONNUMMER = "811218-9876"  # Skatteverket's example in SKV 704; see the module docstring
# The agencies with an illustrative report for 2024 too: the assignment's four and two more.
AGENCIES_2024 = ("polisen", "aklagarmyndigheten", "kriminalvarden", "socialstyrelsen", "jamstalldhetsmyndigheten",
                 "lansstyrelserna")
# The perspectives a report adds by chance are drawn from the register's perspectives as they were when
# the 2025 reports were first generated: a perspective added to the register later (flickor) must not
# change the draws, or every later status of the agency would move.
DRAWN_PERSPECTIVES = ("barnratt", "funktionsnedsattning", "heder", "hbtqi", "aldre", "utrikes_fodda")
# The 2024 status given the 2025 one: one step earlier on the way, or the same (weights).
PREVIOUS = {
    "genomford": {"pagaende": 55, "genomford": 45},
    "pagaende": {"pagaende": 70, "ej_paborjad": 20, "under_beredning": 10},
    "under_beredning": {"under_beredning": 70, "ej_paborjad": 30},
    "ej_paborjad": {"ej_paborjad": 100},
    "utgatt": {"pagaende": 60, "utgatt": 40},
    "okand": {"okand": 50, "pagaende": 50},
}
PART_STATUS_WEIGHTS = {"pagaende": 55, "genomford": 30, "under_beredning": 15}   # 2025; 2024 via PREVIOUS
PART_NARRATIVES = {
    "metoder_valdsutovare": "strukturerade riskbedömningar av högriskaktörer görs gemensamt med socialtjänsten.",
    "synkroniserade_insatser": "gemensamma ärendegenomgångar med socialtjänst och hälso- och sjukvård prövas lokalt.",
    "hinder_samverkan": "hinder för samverkan har kartlagts och förslag till lösningar lämnats (bladet Samverkan).",
}
# Who should act on an obstacle's proposed solution, by the obstacle's category (an invented, plausible
# choice: law and secrecy is the government's, competence Socialstyrelsen's, and so on).
ACTOR_BY_CATEGORY = {"lag_sekretess": "regeringen", "informationsdelning_it": "alla", "resurser": "regeringen",
                     "kompetens": "socialstyrelsen", "mandat_organisation": "polisen", "ovrigt": "alla"}

STATUS_WEIGHTS = {"pagaende": 45, "genomford": 18, "under_beredning": 10, "ej_paborjad": 10, "okand": 12,
                  "utgatt": 5}
NARRATIVES = {
    "genomford": ["uppdraget slutredovisades till Regeringskansliet under året.",
                  "åtgärden genomfördes enligt plan och har övergått i ordinarie verksamhet.",
                  "slutrapport lämnad; resultaten sprids via myndighetens webbplats och regionala nätverk."],
    "pagaende": ["arbetet pågår enligt plan; en delredovisning lämnades under hösten.",
                 "metoden prövas i två polisregioner tillsammans med socialtjänsten.",
                 "arbetet pågår men är något försenat på grund av rekrytering.",
                 "utbildningsinsatser genomförs löpande; uppföljning planeras nästa år."],
    "under_beredning": ["frågan bereds i Regeringskansliet; myndigheten har lämnat underlag.",
                        "en utredning pågår och myndigheten deltar som expert."],
    "ej_paborjad": ["arbetet har inte påbörjats; planering sker inför nästa år.",
                    "åtgärden startar först när finansieringen är beslutad."],
    "utgatt": ["åtgärden har ersatts av ett bredare uppdrag om samverkan.",
               "åtgärden avbröts efter beslut om ändrat regleringsbrev."],
    "okand": [""],
}
OBSTACLES = {
    "lag_sekretess": [
        ("sekretessen mellan socialtjänst och polis gör att uppgifter om högriskaktörer inte kan delas i tid.",
         "förtydliga de sekretessbrytande bestämmelserna för samverkan kring våldsutövare."),
        ("det är oklart när uppgifter får lämnas till hälso- och sjukvården utan samtycke.",
         "gemensam nationell vägledning från berörda myndigheter om uppgiftslämnande."),
    ],
    "informationsdelning_it": [
        ("myndigheternas ärendesystem kan inte utbyta information om gemensamma ärenden.",
         "en gemensam säker kanal för meddelanden mellan myndigheter och kommuner."),
    ],
    "resurser": [
        ("mindre kommuner saknar handläggare med inriktning på våldsutövare.",
         "riktade medel för regionala samordnare under programperioden."),
    ],
    "kompetens": [
        ("kunskapen om strukturerade riskbedömningsmetoder skiljer sig mellan verksamheterna.",
         "gemensam utbildning i riskbedömning för polis, socialtjänst och Kriminalvård."),
    ],
    "mandat_organisation": [
        ("det är oklart vem som leder det synkroniserade arbetet på lokal nivå.",
         "utse en lokal samordnare per polisområde med ett tydligt mandat."),
    ],
    "ovrigt": [
        ("olika uppföljningsmått gör det svårt att jämföra resultat mellan regioner.",
         "gemensamma nyckeltal för samverkan, som i denna rapportmall."),
    ],
}
# Plausible orders of magnitude for the key figures (invented; Operation Beta's "about 700" [V2] guides
# the police's figure). (low, high) for a uniform draw; the contact-ban figures are derived below.
KEY_FIGURE_RANGES = {
    "polisen_hogrisk_identifierade": (680, 760),
    "polisen_hogrisk_riskbedomda": (420, 600),
    "polisen_synkroniserade_insatser": (120, 320),
    "aklagare_kontaktforbud_ansokningar": (13_000, 15_500),
    "aklagare_fotboja_ansokningar": (35, 70),          # few a year: the rejected count is small
    "kriminalvarden_program_behov": (1_300, 1_700),
    "socialstyrelsen_stodkedja_kommuner": (40, 95),
    "lansstyrelserna_heder_kompetens_personer": (5_000, 9_000),
    "jamy_nationell_funktion_kontakter": (300, 800),
    "skolverket_huvudman_heder": (120, 380),
    "nck_kvinnofridslinjen_samtal": (38_000, 45_000),
}


def _rng(agency_id: str) -> random.Random:
    return random.Random(f"{SEED}-{agency_id}")


def _status_date(rng: random.Random, start: date, year: int = YEAR) -> date:
    first = max(start, date(year, 1, 1))
    return first + timedelta(days=rng.randrange((date(year, 12, 31) - first).days + 1))


def answers_for(register: Register, agency_id: str) -> dict:
    """The illustrative answers of one agency (the shape ``fill`` and ``to_csv`` take)."""
    rng = _rng(agency_id)
    measures = {}
    codes, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    for measure in measures_for(register, agency_id):
        if measure.start > date(YEAR, 12, 31):
            status = "ej_paborjad"
        else:
            status = rng.choices(codes, weights)[0]
        when = None if status in ("okand", "ej_paborjad") or measure.start > date(YEAR, 12, 31) \
            else _status_date(rng, measure.start)
        text = rng.choice(NARRATIVES[status])
        perspectives = set(measure.perspectives)
        if rng.random() < 0.15:
            perspectives.add(rng.choice([p for p in DRAWN_PERSPECTIVES if p in register.perspectives]))
        evidence = "" if status == "okand" else \
            f"Illustrativ hänvisning: årsredovisning {YEAR}, s. {rng.randint(5, 80)}"
        measures[measure.id] = {
            "status": status, "status_date": when,
            "perspectives": tuple(code for code in register.perspectives if code in perspectives),
            "evidence": evidence, "narrative": PREFIX + text if text else ""}
    key_figures = _key_figures(register, agency_id, rng)
    obstacles = _obstacles(register, agency_id, rng)
    return {"agency": agency_id, "year": YEAR, "measures": measures, "key_figures": key_figures,
            "obstacles": obstacles}


def _key_figures(register: Register, agency_id: str, rng: random.Random) -> dict[str, int]:
    """Invented key figures that keep the relations of key_figures.yaml."""
    key_figures = {}
    for kf in agency_key_figures(register, agency_id):
        if kf.id in KEY_FIGURE_RANGES:
            key_figures[kf.id] = rng.randint(*KEY_FIGURE_RANGES[kf.id])
    if "aklagare_kontaktforbud_ansokningar" in key_figures:  # decided = granted + rejected (key_figures.yaml)
        applications = key_figures["aklagare_kontaktforbud_ansokningar"]
        granted = round(applications * rng.uniform(0.36, 0.41))
        key_figures["aklagare_kontaktforbud_beviljade"] = granted
        key_figures["aklagare_kontaktforbud_avslagna"] = applications - granted
    if "aklagare_fotboja_ansokningar" in key_figures:  # a small count, so that disclosure control shows
        rejected = rng.randint(1, 4)
        key_figures["aklagare_fotboja_beviljade"] = key_figures["aklagare_fotboja_ansokningar"] - rejected
        key_figures["aklagare_fotboja_avslagna"] = rejected
    if "kriminalvarden_program_behov" in key_figures:
        need = key_figures["kriminalvarden_program_behov"]
        started = round(need * rng.uniform(0.55, 0.7))
        key_figures["kriminalvarden_program_paborjade"] = started
        key_figures["kriminalvarden_program_fullfoljda"] = round(started * rng.uniform(0.6, 0.75))
    return {kf.id: key_figures[kf.id] for kf in agency_key_figures(register, agency_id) if kf.id in key_figures}


def _obstacles(register: Register, agency_id: str, rng: random.Random) -> list[tuple[str, str, str]]:
    """(category, obstacle, solution): several for the assignment's agencies, at most one otherwise."""
    assignment = agency_id in register.collaboration_assignment.get("agencies", ())
    obstacles = []
    categories = list(register.obstacle_categories)
    for category in rng.sample(categories, rng.randint(2, 4) if assignment else rng.randint(0, 1)):
        for description, solution in rng.sample(OBSTACLES[category], rng.randint(1, len(OBSTACLES[category]))):
            obstacles.append((category, PREFIX + description, PREFIX + solution))
    obstacles.sort(key=lambda o: categories.index(o[0]))
    return obstacles


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def answers_2024(register: Register, agency_id: str) -> dict:
    """The agency's illustrative report for 2024: each status one step earlier than in 2025 or the same."""
    later = answers_for(register, agency_id)
    rng = random.Random(f"{SEED}-{agency_id}-2024")
    measures = {}
    for measure in measures_for(register, agency_id):
        if measure.start > date(2024, 12, 31):
            status = "ej_paborjad"
        else:
            status = _weighted(rng, PREVIOUS[later["measures"][measure.id]["status"]])
        when = None if status in ("okand", "ej_paborjad") or measure.start > date(2024, 12, 31) \
            else _status_date(rng, measure.start, 2024)
        text = rng.choice(NARRATIVES[status])
        evidence = "" if status == "okand" else \
            f"Illustrativ hänvisning: årsredovisning 2024, s. {rng.randint(5, 80)}"
        measures[measure.id] = {"status": status, "status_date": when,
                                "perspectives": later["measures"][measure.id]["perspectives"],
                                "evidence": evidence, "narrative": PREFIX + text if text else ""}
    # No key figures for 2024: in the illustrative data they are first reported for 2025, so that the
    # disclosure-control example (Åklagarmyndigheten's small count) stays the one the docs describe.
    return {"agency": agency_id, "year": 2024, "measures": measures, "key_figures": {},
            "obstacles": _obstacles(register, agency_id, rng)}


def with_collaboration(register: Register, answers: dict) -> dict:
    """The answers with the assignment's parts (its agencies only) and who should act on each obstacle.

    Drawn from a seed of their own, so the rest of the answers stay as they were.
    """
    agency_id, year = answers["agency"], answers["year"]
    assignment = register.collaboration_assignment
    parts = {}
    if agency_id in assignment.get("agencies", ()):
        rng = random.Random(f"{SEED}-{agency_id}-parts")
        for task in assignment.get("tasks", ()):
            status = _weighted(rng, PART_STATUS_WEIGHTS)
            previous = _weighted(rng, PREVIOUS[status])
            chosen = status if year == YEAR else previous
            parts[task["id"]] = {"status": chosen,
                                 "evidence": f"Illustrativ hänvisning: återrapportering av uppdraget {year}, "
                                             f"s. {rng.randint(2, 30)}",
                                 "narrative": PREFIX + PART_NARRATIVES[task["id"]]}
    obstacles = [(category, description, solution, ACTOR_BY_CATEGORY.get(category))
                 for category, description, solution, *_ in answers["obstacles"]]
    return {**answers, "parts": parts, "obstacles": obstacles}


def fill(register: Register, answers: dict) -> bytes:
    """The agency's template with ``answers`` typed into the answer cells; deterministic bytes."""
    year = answers["year"]
    submitted = SUBMITTED_BY_YEAR[year]
    wb = load_workbook(io.BytesIO(template_bytes(register, answers["agency"], year)))
    layout = MeasureLayout(tuple(register.perspectives))
    ws = wb[SHEET_MEASURES]
    rows = {ws.cell(r, 1).value: r for r in range(FIRST_ROW, ws.max_row + 1)}
    for measure_id, answer in answers["measures"].items():
        r = rows[measure_id]
        ws.cell(r, STATUS_COLUMN, label(register.statuses[answer["status"]], "sv"))
        ws.cell(r, STATUS_DATE_COLUMN, answer["status_date"])
        for index, code in enumerate(layout.perspectives):
            ws.cell(r, layout.perspective_column(index), "ja" if code in answer["perspectives"] else "nej")
        ws.cell(r, layout.evidence_column, answer["evidence"] or None)
        ws.cell(r, layout.narrative_column, answer["narrative"] or None)
    ws = wb[SHEET_KEY_FIGURES]
    rows = {ws.cell(r, 1).value: r for r in range(FIRST_ROW, ws.max_row + 1)}
    for kf_id, value in answers["key_figures"].items():
        ws.cell(rows[kf_id], KEY_FIGURE_VALUE_COLUMN, value)
    ws = wb[SHEET_COLLABORATION]
    used: dict[str, int] = {}
    for category, description, solution, *actor in answers["obstacles"]:
        first = next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value == category)
        offset = used.get(category, 0)
        assert offset < OBSTACLE_ROWS, category
        used[category] = offset + 1
        ws.cell(first + offset, OBSTACLE_COLUMN, description)
        ws.cell(first + offset, SOLUTION_COLUMN, solution)
        if actor and actor[0]:
            ws.cell(first + offset, ACTOR_COLUMN, actor_label(register, actor[0]))
    ws = wb[SHEET_PARTS]
    rows = {ws.cell(r, PART_ID_COLUMN).value: r for r in range(FIRST_ROW, ws.max_row + 1)}
    for part_id, part in answers.get("parts", {}).items():
        r = rows[part_id]
        ws.cell(r, PART_STATUS_COLUMN, label(register.statuses[part["status"]], "sv"))
        ws.cell(r, PART_EVIDENCE_COLUMN, part["evidence"])
        ws.cell(r, PART_NARRATIVE_COLUMN, part["narrative"])
    wb.properties.modified = submitted
    return workbook_to_bytes(wb, submitted, set_dates=False)   # keeps the template's created date


def actor_label(register: Register, actor: str) -> str:
    """Who should act as the template's drop-down shows it (Swedish)."""
    if actor in register.agencies:
        return register.agencies[actor].name["sv"]
    return t(f"programme_followup.actor.{actor}", "sv")


def _field(value: object) -> str:
    text = "" if value is None else str(value)
    return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ';"\n\r') else text


def to_csv(register: Register, answers: dict) -> bytes:
    """The same answers in the CSV layout (docs/agency-reporting.md), as UTF-8 with Swedish labels."""
    agency = register.agencies[answers["agency"]].name["sv"]
    lines = [";".join(CSV_COLUMNS)]

    def row(**fields: object) -> None:
        values = {"myndighet": agency, "år": answers["year"], **fields}
        lines.append(";".join(_field(values.get(column)) for column in CSV_COLUMNS))

    for measure_id, a in answers["measures"].items():
        row(**{"del": "åtgärd", "id": measure_id, "status": label(register.statuses[a["status"]], "sv"),
                        "statusdatum": a["status_date"].isoformat() if a["status_date"] else "",
                        "perspektiv": ",".join(a["perspectives"]), "underlag": a["evidence"],
                        "beskrivning": a["narrative"]})
    for kf_id, value in answers["key_figures"].items():
        row(**{"del": "nyckeltal", "id": kf_id, "värde": value})
    for category, description, solution, *_ in answers["obstacles"]:
        row(**{"del": "samverkan", "kategori": category, "hinder": description, "lösning": solution})
    return ("\n".join(lines) + "\n").encode("utf-8")


SUBMISSIONS_README = """# Agency submissions / Myndigheternas rapporter

Illustrativa rapporter för rapportåren 2024 och 2025, genererade av `data/generate_programme_submissions.py`
(fast slumpfrö); ingen av dem är en myndighets verkliga rapport, och varje fritext börjar med
"Illustrativt exempel –". För 2025 har nio myndigheter rapporterat (åtta mallar, en CSV),
Brottsoffermyndigheten har inte rapporterat, och `kriminalvarden_2025_okand_atgard.csv` avvisas (en
åtgärd som inte finns), så att varje läge syns i uppföljningen. För 2024 har sex myndigheter
rapporterat, så att uppföljningen kan visa vad som har ändrats mellan två uppföljningsdatum; de fyra
myndigheterna i samverkansuppdraget rapporterar båda åren också uppdragets tre delar. Bredvid varje fil
ligger `<fil>.provenance.yaml` med `reliability: illustrative`; därför märks varje status,
statusändring, nyckeltal och sammanställning från dem som illustrativ. En verklig rapport saknar en
sådan fil och räknas som officiell.

Illustrative reports for report years 2024 and 2025, generated by `data/generate_programme_submissions.py`
(fixed seed); none is an agency's real report, and every free text starts "Illustrativt exempel –". For
2025 nine agencies reported (eight templates, one CSV), Brottsoffermyndigheten did not, and
`kriminalvarden_2025_okand_atgard.csv` is refused (a measure that does not exist), so that every state
shows in the follow-up. For 2024 six agencies reported, so that the follow-up can show what moved
between two follow-up dates; the four agencies of the collaboration assignment also report its three
parts in both years. Beside every file is `<file>.provenance.yaml` with `reliability: illustrative`;
that is why every status, status change, key figure and roll-up from them is marked illustrative. A real
report has no such file and counts as official.
"""


def provenance_text(name: str) -> str:
    """The sidecar that marks a generated report illustrative (docs/programme.md)."""
    return (f"# Provenance of {name}: an illustrative agency report, not one an agency sent.\n"
            f"# Written by data/generate_programme_submissions.py; read by indicators/programme/provenance.py.\n"
            f"data_file: {name}\n"
            f"reliability: illustrative\n"
            f"demo_data: true\n"
            f"generated_by: data/generate_programme_submissions.py, seed {SEED}\n"
            f"note: 'Illustrativ rapport, genererad för demonstration (BRIEF.md §12); inte myndighetens "
            f"rapport. / Illustrative report generated for the demonstration; not the agency''s report.'\n")


def write_report(name: str, content: bytes) -> None:
    """A generated report and its illustrative sidecar, side by side in ``data/submissions/``."""
    (OUT / name).write_bytes(content)
    (OUT / f"{name}.provenance.yaml").write_text(provenance_text(name), encoding="utf-8", newline="\n")


def rejected_examples(register: Register) -> dict[str, tuple[bytes, str, str]]:
    """name → (bytes, message key, location) of files the reader must refuse."""
    answers = answers_for(register, "polisen")
    first = next(iter(answers["measures"]))
    answers["measures"][first] = {**answers["measures"][first], "status": "pagaende",
                                  "narrative": f"{PREFIX}kontakt togs med kvinnan ({EXAMPLE_PERSONNUMMER}) i mars."}
    with_number = fill(register, answers)
    layout = MeasureLayout(tuple(register.perspectives))
    number_cell = f"{SHEET_MEASURES}!{get_column_letter(layout.narrative_column)}{FIRST_ROW}"
    answers = answers_for(register, "kriminalvarden")
    answers["measures"]["A999"] = {"status": "pagaende", "status_date": date(YEAR, 5, 1), "perspectives": (),
                                   "evidence": "", "narrative": PREFIX + "en åtgärd som inte finns i registret."}
    unknown = to_csv(register, answers)
    line = 1 + list(answers["measures"]).index("A999") + 1
    return {
        "polisen_2025_personnummer.xlsx": (with_number, "programme.identity_number", number_cell),
        "kriminalvarden_2025_okand_atgard.csv": (unknown, "programme.unknown_measure", f'line {line}, column "id"'),
    }


def main() -> None:
    register = load_register(DATA)
    OUT.mkdir(parents=True, exist_ok=True)
    REJECTED.mkdir(parents=True, exist_ok=True)
    written = []
    for agency_id in AGENCIES:
        if agency_id == MISSING_AGENCY:
            continue
        answers = answers_for(register, agency_id)
        if agency_id == CSV_AGENCY:
            name, content = f"{agency_id}_{YEAR}.csv", to_csv(register, answers)
        else:
            answers = with_collaboration(register, answers)
            name, content = f"{agency_id}_{YEAR}.xlsx", fill(register, answers)
        submission = read_submission(content, file=name, register=register, today=SUBMITTED.date())
        assert submission.agency_id == agency_id and len(submission.measures) == len(answers["measures"])
        assert len(submission.parts) == len(answers.get("parts", {}))
        write_report(name, content)
        written.append(name)
    for agency_id in AGENCIES_2024:
        answers = with_collaboration(register, answers_2024(register, agency_id))
        name, content = f"{agency_id}_2024.xlsx", fill(register, answers)
        submission = read_submission(content, file=name, register=register, today=SUBMITTED_BY_YEAR[2024].date())
        assert submission.year == 2024 and len(submission.parts) == len(answers["parts"])
        write_report(name, content)
        written.append(name)
    readme = ["# Rejected examples / Avvisade exempel", "",
              "Files that `indicators.programme.submission.read_submission` must refuse; generated by",
              "`data/generate_programme_submissions.py`. They are NOT under `data/sources/`, so the pipeline",
              "never loads them. All content is illustrative.", "",
              "| file | rule (message key) | location |", "|---|---|---|"]
    for name, (content, key, location) in rejected_examples(register).items():
        try:
            read_submission(content, file=name, register=register, today=SUBMITTED.date())
        except ReaderError as error:
            assert (error.key, error.location) == (key, location), (name, error.key, error.location)
        else:
            raise AssertionError(f"{name} was accepted")
        (REJECTED / name).write_bytes(content)
        readme.append(f"| `{name}` | `{key}` | `{location}` |")
        if key == VISIBLE_REJECTION:   # shipped among the submissions too, so the site shows a refused file
            write_report(name, content)
    readme += ["", "The personal identity number in `polisen_2025_personnummer.xlsx` is Skatteverket's published",
               "example (811218-9876, brochure SKV 704), not a real person's; the reader shows it only masked."]
    (REJECTED / "README.md").write_text("\n".join(readme) + "\n", encoding="utf-8")
    (OUT / "README.md").write_text(SUBMISSIONS_README, encoding="utf-8")
    print(f"wrote {len(written)} submissions (each with an illustrative .provenance.yaml) to {OUT} and the "
          f"rejected examples to {REJECTED}")


if __name__ == "__main__":
    main()
