"""Write illustrative agency documents for 2025 (annual reports and reports-back) and their answer key.

    .venv/bin/python data/generate_agency_documents.py [--out FOLDER]

Why: issue 10 reads the agencies' own documents as evidence for the action programme's measures. No
real 2025 report is in the repository, so this script writes documents shaped like real ones, for
eight agencies, four as PDF (fpdf2) and four as DOCX (python-docx): a cover page, a table of contents,
a foreword in two columns, a table of key figures, a chapter on the government assignments and the
action programme, running headers (agency and title), page numbers, and "Illustrativt exempel – inte
en verklig rapport" on every page. Everything in them is invented (BRIEF.md §12) and each file has a
``<file>.provenance.yaml`` with ``reliability: illustrative``.

What they say follows the register (``data/programme/``) and the agency's shipped 2025 submission
(``data/submissions/``): every measure the submission reports on (except those reported ``okand``) is
mentioned, by measure id ("Åtgärd A092"), by the assignment's reference number only ("Ju2024/01234"),
or only by the title's words in inflected or paraphrased Swedish (``PARAPHRASES``), together with the
status words of INTERFACES.md B. Mostly the status agrees with the submission; ``PLANTED`` lists the
measures reported ``genomford`` where the document says the work is still going on or says nothing
(the "reported completed, no evidence" case), and every document has a distractor page that shares
title words with a measure but is about something else. The four agencies of the 2024 collaboration
assignment write a section on its three parts, with a status per part and the obstacles of their
submission, each with a proposed solution and who should act.

``answer_key.yaml`` records what was planted: one row per mention (file, measure, page, status, kind,
and the task for a part of the collaboration assignment), the planted unsupported completions and the
distractor pages. Pages are physical pages, 1-based: for a PDF the page of the file, for a DOCX the
stretch between explicit page breaks (``<w:br w:type="page"/>``; every section break is continuous).
The key is for tests and benchmarks only (``benchmarks/evidence_precision.py``), never for the finder.

The bytes are the same on every run: a fixed seed, fixed creation dates and metadata, the DejaVu Sans
font shipped in ``data/fonts/`` (its licence beside it), and the DOCX archive rewritten with one fixed
timestamp. The script checks that every PDF has the pages it planned and that no text outside a
mention carries status words.
"""

from __future__ import annotations

import argparse
import io
import random
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml
from docx import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from fpdf import FPDF

from indicators.programme.register import Measure, Register, load_register
from indicators.programme.submission import Submission, read_submission

DATA = Path(__file__).resolve().parent
OUT = DATA / "documents"
FONTS = DATA / "fonts"
SEED = 20260220
YEAR = 2025
PUBLISHED = datetime(2026, 2, 20, 9, 0, 0)     # the documents' date: annual reports are due 22 February
GENERATOR = f"data/generate_agency_documents.py, seed {SEED}"
MARKER = "Illustrativt exempel – inte en verklig rapport"

# The status vocabulary of INTERFACES.md B. A mention carries phrases of exactly one status; all other
# text carries none (checked when a document is built).
STATUS_WORDS = {
    "genomford": ("slutredovisat", "har genomförts", "har slutförts"),
    "pagaende": ("pågår", "fortsätter"),
    "ej_paborjad": ("kommer att", "planeras", "har inte påbörjats"),
    "under_beredning": ("bereds", "utreds"),
    "utgatt": ("har avslutats i förtid", "ersatts av"),
}
STATUS_SENTENCES = {
    "genomford": ("Uppdraget har slutförts och redovisades till Regeringskansliet i {month}.",
                  "Arbetet har genomförts enligt plan och ingår nu i den ordinarie verksamheten.",
                  "Uppdraget är slutredovisat och resultaten sprids via myndighetens webbplats."),
    "pagaende": ("Arbetet pågår och en delrapport lämnades till Regeringskansliet i {month}.",
                 "Arbetet fortsätter under 2026 tillsammans med berörda aktörer.",
                 "Insatserna pågår i flera regioner och följs upp löpande."),
    "ej_paborjad": ("Arbetet har inte påbörjats eftersom finansieringen ännu saknas.",
                    "Myndigheten kommer att starta arbetet under 2026.",
                    "Arbetet planeras till andra halvåret 2026."),
    "under_beredning": ("Frågan bereds i Regeringskansliet, dit myndigheten har lämnat underlag.",
                        "Frågan utreds inom en statlig utredning där myndigheten medverkar med en expert."),
    "utgatt": ("Uppdraget har avslutats i förtid efter ändrade prioriteringar i regleringsbrevet.",
               "Åtgärden har ersatts av ett bredare uppdrag om samverkan mot våld i nära relationer."),
}
MONTHS = ("mars", "juni", "september", "oktober", "november")
TITLE_LEADS = ("Myndigheten har under året arbetat med {p}.", "En del av verksamheten har gällt {p}.",
               "I regleringsbrevet för 2025 ingår {p}.", "Ett prioriterat område under året har varit {p}.")
REFERENCE_LEADS = ("Regeringsuppdraget med diarienummer {r}.", "Uppdrag enligt regeringsbeslut {r}.",
                   "Myndighetens uppdrag ({r}).")
DETAILS = ("Under året hölls {n} samverkansmöten med länsstyrelserna och kommunerna.",
           "Resultaten har presenterats för myndighetens ledning och för berörda regioner.",
           "Kostnaden för arbetet uppgick till {k} tkr under 2025.",
           "Arbetet har bedrivits med {n} årsarbetskrafter.",
           "Myndigheten har tagit fram ett internt stödmaterial för medarbetarna.",
           "Myndigheten har samrått med berörda aktörer och redovisar arbetet i särskild ordning.",
           "Uppföljningen sker inom ramen för myndighetens verksamhetsplanering.",
           "Ett fyrtiotal medarbetare har deltagit i utbildningsdagar på temat.")
# Status sentences for one part of the collaboration assignment (one status each, checked).
PART_STATUS = {
    "genomford": ("Den här delen har slutförts och redovisades i en gemensam promemoria i {month}.",),
    "pagaende": ("Arbetet med denna del pågår i tre polisregioner.", "Arbetet med denna del fortsätter under 2026."),
    "ej_paborjad": ("Arbetet med denna del har inte påbörjats, eftersom de rättsliga förutsättningarna först "
                    "behöver klargöras.", "Denna del planeras till 2026."),
    "under_beredning": ("Frågan om denna del bereds i Regeringskansliet, dit myndigheterna har lämnat underlag.",),
    "utgatt": ("Denna del har ersatts av ett nytt uppdrag i regleringsbrevet för 2026.",),
}


@dataclass(frozen=True)
class Spec:
    agency: str
    kind: str            # arsredovisning | aterrapportering
    format: str          # pdf | docx

    @property
    def file(self) -> str:
        return f"{self.agency}_{self.kind}_{YEAR}.{self.format}"


DOCUMENTS = (
    Spec("polisen", "arsredovisning", "pdf"),
    Spec("aklagarmyndigheten", "arsredovisning", "docx"),
    Spec("kriminalvarden", "aterrapportering", "pdf"),
    Spec("socialstyrelsen", "arsredovisning", "docx"),
    Spec("jamstalldhetsmyndigheten", "arsredovisning", "pdf"),
    Spec("lansstyrelserna", "aterrapportering", "docx"),
    Spec("skolverket", "arsredovisning", "pdf"),
    Spec("barnafrid", "aterrapportering", "docx"),
)

# Title-only mentions: the title's words inflected or paraphrased (noun phrase, lower case) and the
# words of it a reader (and the test) finds on the page.
PARAPHRASES = {
    "A011": ("att stärka kompetensen om barn i rättsväsendet, bland annat genom utbildning av "
             "förhörsledare", ("kompetensen", "barn", "rättsväsendet")),
    "A054": ("de strukturerade riskbedömningarna av våldsutövare i polisregionerna",
             ("strukturerade", "riskbedömningarna", "våldsutövare", "polisregionerna")),
    "A098": ("polisens insatser mot människohandeln för sexuella ändamål",
             ("insatser", "människohandeln", "sexuella ändamål")),
    "A012": ("uppbyggnaden av de regionala resurscentrumen mot hedersrelaterat våld och förtryck",
             ("regionala", "resurscentrumen", "hedersrelaterat våld")),
    "A092": ("en mer enhetlig rättstillämpning när kontaktförbud prövas",
             ("enhetlig rättstillämpning", "kontaktförbud")),
    "A097": ("åklagarnas kompetens om hedersrelaterad brottslighet",
             ("åklagarnas", "kompetens", "hedersrelaterad brottslighet")),
    "A093": ("en snabbare handläggning av ärenden om våld i nära relationer",
             ("snabbare handläggning", "ärenden", "nära relationer")),
    "A058": ("den strukturerade riskbedömningen av frivårdsklienter som dömts för partnervåld",
             ("strukturerade riskbedömningen", "frivårdsklienter", "partnervåld")),
    "A064": ("behandlingsprogrammen för våldsutövare, som ska finnas på fler språk",
             ("behandlingsprogrammen", "våldsutövare", "fler språk")),
    "A061": ("den samordnade utslussningen från anstalt till kommunerna för klienter som utövat våld",
             ("samordnade utslussningen", "anstalt", "kommunerna")),
    "A001": ("den samordnade stödkedjan för våldsutsatta kvinnor som vill lämna en relation, med en "
             "kontaktperson genom hela kedjan", ("samordnade stödkedjan", "våldsutsatta", "kontaktperson")),
    "A007": ("den systematiska uppföljningen av de insatser som socialtjänsten ger våldsutsatta",
             ("systematiska uppföljningen", "insatser", "socialtjänsten", "våldsutsatta")),
    "A066": ("stödet till regionerna för att rutinmässigt fråga om våld inom mödrahälsovården och primärvården",
             ("regionerna", "rutinmässigt", "mödrahälsovården", "primärvården")),
    "A069": ("socialtjänstens förmåga att upptäcka våld mot äldre personer",
             ("socialtjänstens", "upptäcka våld", "äldre")),
    "A022": ("uppföljningen av den nya regleringen av skyddade boenden",
             ("uppföljningen", "nya regleringen", "skyddade boenden")),
    "A006": ("den nationella funktionen dit personer som utsätts för hedersrelaterat våld och förtryck och "
             "deras närstående kan vända sig", ("nationella funktionen", "hedersrelaterat våld", "närstående")),
    "A014": ("samordningen och uppföljningen av åtgärdsprogrammet för perioden 2024–2026",
             ("samordningen", "uppföljningen", "åtgärdsprogrammet")),
    "A048": ("informationskampanjen om digitalt våld i unga människors relationer",
             ("informationskampanjen", "digitalt våld", "relationer")),
    "A116": ("kunskapen om hur hbtqi-personer utsätts för våld i nära relationer",
             ("kunskapen", "hbtqi-personer", "nära relationer")),
    "A016": ("den regionala samordningen mot mäns våld mot kvinnor, som nu finns i samtliga län",
             ("regionala samordningen", "mäns våld mot kvinnor", "län")),
    "A034": ("det förebyggande arbetet mot barnäktenskap och tvångsäktenskap",
             ("förebyggande", "barnäktenskap", "tvångsäktenskap")),
    "A035": ("länens utbildningsinsatser för skolpersonal om hedersrelaterat våld och förtryck",
             ("utbildningsinsatser", "skolpersonal", "hedersrelaterat våld")),
    "A010": ("ett förstärkt och mer systematiskt arbete i skolan mot hedersrelaterat våld och förtryck",
             ("förstärkt", "systematiskt arbete", "skolan", "hedersrelaterat våld")),
    "A028": ("stödet till skolornas undervisning om samtycke och relationer",
             ("skolornas undervisning", "samtycke", "relationer")),
    "A083": ("ett stöd för att elevhälsan ska upptäcka barn som utsätts för våld",
             ("elevhälsan", "upptäcka barn", "utsätts för våld")),
    "A038": ("kunskapsstödet om hur barn utsätts för digitalt sexuellt våld",
             ("kunskapsstödet", "barn", "digitalt sexuellt våld")),
    "A077": ("stödet till barn som har upplevt dödligt våld inom familjen",
             ("stödet", "barn", "dödligt våld", "familjen")),
    "A120": ("utbildningen av förskolans personal om barn som upplever våld",
             ("utbildningen", "förskolans personal", "upplever våld")),
}

# Measures reported genomford in the 2025 submission that the document does not support: "pagaende"
# (it says the work goes on) or None (it does not mention the measure at all).
PLANTED = {("kriminalvarden", "A050"): "pagaende", ("polisen", "A080"): None, ("socialstyrelsen", "A022"): "pagaende"}

# Distractor pages: text sharing title words with a measure of the agency, about something else.
# (measure whose words it shares, heading, paragraphs, the shared words)
DISTRACTORS = {
    "polisen": ("A091", "Trafiksäkerhet och bevissäkring i trafikärenden", (
        "Bättre bevissäkring på plats vid trafikolyckor har varit ett av årets utvecklingsområden. Fler "
        "trafikpoliser har fått utbildning i att dokumentera spår och fordonsskador på plats, så att "
        "brott i trafiken kan utredas utan att platsen behöver spärras av längre än nödvändigt.",
        "Insatser mot narkotikahandel i anslutning till större vägar har gett fler beslag än året innan. "
        "Arbetet pågår i samverkan med Tullverket och Kustbevakningen.",
    ), ("bevissäkring på plats", "brott")),
    "aklagarmyndigheten": ("A095", "Ekonomisk brottslighet och digitala bevis", (
        "Utredning av digitala bevis vid bedrägerier mot äldre har krävt nya arbetssätt. Åklagarna har "
        "tillsammans med Polismyndigheten tagit fram en checklista för säkring av chattloggar och "
        "betalningsuppgifter i bedrägeriärenden.",
        "Snabbare handläggning av ärenden om ekonomisk brottslighet är ett mål i myndighetens "
        "verksamhetsplan. Den genomsnittliga handläggningstiden minskade med tolv dagar.",
    ), ("digitala bevis", "snabbare handläggning av ärenden")),
    "kriminalvarden": ("A050", "Programverksamhet mot missbruk", (
        "Utökad programverksamhet mot narkotikamissbruk i anstalt och frivård har varit ett prioriterat "
        "område. Fler klienter har påbörjat behandling för missbruk och beroende, och väntetiden till "
        "programstart har kortats.",
        "Arbetet fortsätter med att anpassa programmen för klienter med kort strafftid.",
    ), ("utökad programverksamhet", "anstalt och frivård")),
    "socialstyrelsen": ("A019", "Statsbidrag och öppna jämförelser inom andra områden", (
        "Statsbidrag till ideella organisationer inom funktionshinderområdet fördelades till 64 "
        "organisationer under året. Bidraget avser organisationernas grundverksamhet och är inte "
        "knutet till arbetet mot våld.",
        "Öppna jämförelser om missbruks- och beroendevården publicerades i oktober, med utvecklade "
        "frågor till kommunerna om samverkan med regionerna.",
    ), ("statsbidrag till ideella organisationer", "öppna jämförelser")),
    "jamstalldhetsmyndigheten": ("A115", "Jämställdhetsintegrering och kvinnors företagande", (
        "Kartläggning av kvinnors företagande i landsbygdskommuner har gjorts på uppdrag av "
        "Tillväxtverket. Den visar stora skillnader mellan länen i tillgången till riskkapital.",
        "Myndigheten samordnar och följer upp programmet för jämställdhetsintegrering i myndigheter "
        "(JiM), som omfattar ett sjuttiotal myndigheter och universitet.",
    ), ("kartläggning av kvinnors", "samordnar och följer upp")),
    "lansstyrelserna": ("A016", "Samhällsskydd och regional tillväxt", (
        "Regional samordning av krisberedskapen i alla län har stärkts genom gemensamma övningar med "
        "kommuner, regioner och Försvarsmakten.",
        "Regional tillgång till laddinfrastruktur för elfordon har kartlagts i samtliga län som "
        "underlag för regionala utvecklingsstrategier.",
    ), ("regional samordning", "alla län", "regional tillgång")),
    "skolverket": ("A010", "Kvalitetsarbete och elevhälsa i övrigt", (
        "Systematiskt kvalitetsarbete i skolan är ett av de områden där huvudmännen oftast efterfrågar "
        "stöd. Myndigheten har publicerat ett nytt stödmaterial för rektorer om analys av "
        "kunskapsresultat.",
        "Stöd till elevhälsan om psykisk ohälsa har getts genom regionala konferenser och en webbkurs "
        "för skolsköterskor och kuratorer.",
    ), ("systematiskt", "arbete i skolan", "stöd till elevhälsan")),
    "barnafrid": ("A112", "Annan kunskapsutveckling", (
        "Kunskapsöversikt om barn med adhd i skolan togs fram på uppdrag av ett lärosäte och publicerades "
        "i centrumets skriftserie.",
        "Utbildning för personal inom tandvården om barns munhälsa har erbjudits som uppdragsutbildning.",
    ), ("kunskapsöversikt om barn", "utbildning för personal")),
}

# The collaboration assignment: the status of each part as the agency describes it, and a sentence on
# its work; ``heading_id`` puts "(åtgärd A013)" in the section's heading.
COLLABORATION = {
    "polisen": ({"metoder_valdsutovare": "pagaende", "synkroniserade_insatser": "pagaende",
                 "hinder_samverkan": "genomford"}, True),
    "aklagarmyndigheten": ({"metoder_valdsutovare": "pagaende", "synkroniserade_insatser": "ej_paborjad",
                            "hinder_samverkan": "genomford"}, False),
    "kriminalvarden": ({"metoder_valdsutovare": "pagaende", "synkroniserade_insatser": "pagaende",
                        "hinder_samverkan": "genomford"}, True),
    "socialstyrelsen": ({"metoder_valdsutovare": "ej_paborjad", "synkroniserade_insatser": "ej_paborjad",
                         "hinder_samverkan": "pagaende"}, False),
}
COLLABORATION_HEADING = "Operativ samverkan med socialtjänst och hälso- och sjukvård"
COLLABORATION_WORDS = ("operativ samverkan", "socialtjänst", "hälso- och sjukvård")
PART_TEXT = {
    "metoder_valdsutovare": "Myndigheten har tillsammans med de övriga tre myndigheterna gått igenom metoder för "
                            "riskbedömning och riskhantering av våldsutövare som återkommer i flera ärenden.",
    "synkroniserade_insatser": "Med synkroniserade insatser avses att polis, åklagare, Kriminalvård och "
                               "socialtjänst agerar samtidigt kring samma våldsutövare och samma brottsoffer.",
    "hinder_samverkan": "Myndigheterna har gemensamt kartlagt vad som hindrar samverkan i enskilda ärenden.",
}
WHO_SHOULD_ACT = {
    "lag_sekretess": "regeringen (Justitiedepartementet och Socialdepartementet)",
    "informationsdelning_it": "Myndigheten för digital förvaltning tillsammans med de berörda myndigheterna",
    "resurser": "regeringen och Sveriges Kommuner och Regioner",
    "kompetens": "Polismyndigheten, Socialstyrelsen och Kriminalvården gemensamt",
    "mandat_organisation": "regeringen och kommunerna",
    "ovrigt": "Jämställdhetsmyndigheten inom ramen för uppföljningen av strategin",
}
ILLUSTRATIVE_PREFIX = "Illustrativt exempel – "

FOREWORD = (
    "{agency} lämnar härmed sin {what} för {year}. Året har präglats av ett fortsatt högt tryck på "
    "verksamheten och av ett nära samarbete med andra myndigheter, kommuner och regioner.",
    "Arbetet mot mäns våld mot kvinnor, våld i nära relationer och hedersrelaterat våld och förtryck är en "
    "prioriterad del av uppdraget. Åtgärdsprogrammet för 2024–2026 ger en gemensam ram för det arbetet.",
    "Myndigheten har under året utvecklat sin interna uppföljning så att det blir lättare att visa vad "
    "insatserna leder till. Redovisningen i kapitel 3 bygger på den uppföljningen.",
    "Medarbetarnas kompetens och engagemang är avgörande för resultaten. Sjukfrånvaron minskade något "
    "jämfört med föregående år, och personalomsättningen låg på en stabil nivå.",
    "Ekonomin är i balans. Anslagssparandet ligger inom den ram som regeringen har medgett, och "
    "myndighetens lokalförsörjning har setts över för att minska kostnaderna.",
    "Sammantaget bedömer myndigheten att verksamheten i allt väsentligt har bedrivits i enlighet med "
    "instruktionen och regleringsbrevet.",
)
ECONOMY_ROWS = {"Intäkter av anslag": (0.97, 1.03), "Övriga intäkter": (0.02, 0.06),
                "Kostnader för personal": (0.6, 0.7), "Kostnader för lokaler": (0.08, 0.12),
                "Övriga driftkostnader": (0.15, 0.25)}
ECONOMY_SCALE = {"polisen": 40_000_000, "kriminalvarden": 12_000_000, "aklagarmyndigheten": 2_200_000,
                 "socialstyrelsen": 1_500_000, "lansstyrelserna": 4_500_000, "skolverket": 1_300_000,
                 "jamstalldhetsmyndigheten": 90_000, "barnafrid": 60_000}


# ------------------------------------------------------------------------------------------ model
@dataclass
class Block:
    kind: str                       # cover | toc | h1 | h2 | p | table | columns | signature
    text: str = ""
    rows: list = field(default_factory=list)       # table rows, toc entries, columns' paragraphs, cover lines


@dataclass
class Page:
    blocks: list[Block]
    chapter: str | None = None      # a chapter that starts on this page (for the table of contents)


def _status_hits(text: str) -> set[str]:
    low = text.casefold()
    return {code for code, phrases in STATUS_WORDS.items() if any(p in low for p in phrases)}


def _require_clean(text: str, where: str) -> None:
    if hits := _status_hits(text):
        raise SystemExit(f"{where}: text outside a mention carries status words {sorted(hits)}: {text!r}")


def _status_sentence(rng: random.Random, status: str) -> str:
    sentence = rng.choice(STATUS_SENTENCES[status]).format(month=rng.choice(MONTHS))
    assert _status_hits(sentence) == {status}, sentence
    return sentence


def swedish_number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _title(spec: Spec) -> str:
    return f"Årsredovisning {YEAR}" if spec.kind == "arsredovisning" else "Återrapportering av regeringsuppdrag"


def _full_title(spec: Spec) -> str:
    """The title for the file's metadata, with the year."""
    return _title(spec) if spec.kind == "arsredovisning" else f"{_title(spec)} {YEAR}"


# ------------------------------------------------------------------------------------------ content
@dataclass
class Built:
    spec: Spec
    agency_name: str
    pages: list[Page]
    mentions: list[dict]            # answer-key rows (page filled in)
    unsupported: list[dict]
    distractor: dict


def _mention_passage(rng: random.Random, measure: Measure, status: str) -> tuple[str, str, dict]:
    """(text, kind, extra answer-key fields) for one measure's passage."""
    sentence = _status_sentence(rng, status)
    if measure.id in PARAPHRASES:
        phrase, words = PARAPHRASES[measure.id]
        lead = _next(TITLE_LEADS).format(p=phrase)
        return f"{lead} {sentence} {_details(rng)}", "title", {"words": list(words)}
    if measure.reference and rng.random() < 0.5:
        lead = _next(REFERENCE_LEADS).format(r=measure.reference)
        return f"{lead} {sentence} {_details(rng)}", "reference", {"reference": measure.reference}
    title = measure.title["sv"]
    named = f"Åtgärd {measure.id} i åtgärdsprogrammet" + ("" if _status_hits(title) else f" – {title}")
    return f"{named}. {sentence} {_details(rng)}", "measure_id", {}


_USED: dict[tuple[str, ...], int] = {}


def _next(options: tuple[str, ...]) -> str:
    """The options in turn, so that neighbouring passages do not open with the same words."""
    turn = _USED.get(options, 0)
    _USED[options] = turn + 1
    return options[turn % len(options)]


def _details(rng: random.Random) -> str:
    """One or two sentences of ordinary report prose, without status words or title words."""
    chosen = rng.sample(DETAILS, rng.randint(1, 2))
    return " ".join(d.format(n=rng.randint(3, 14), k=swedish_number(rng.randint(8, 90) * 100)) for d in chosen)


def build(spec: Spec, register: Register, submission: Submission) -> Built:
    rng = random.Random(f"{SEED}-{spec.agency}")
    _USED.clear()
    agency = register.agencies[spec.agency]
    name = agency.name["sv"]
    title = _title(spec)
    what = "årsredovisning" if spec.kind == "arsredovisning" else "återrapportering"
    pages: list[Page] = []
    mentions: list[dict] = []
    unsupported: list[dict] = []

    subtitle = ("Myndighetens uppdrag inom åtgärdsprogrammet mot mäns våld mot kvinnor – redovisning för "
                f"{YEAR}" if spec.kind == "aterrapportering" else f"Räkenskapsåret {YEAR}")
    pages.append(Page([Block("cover", rows=[name, title, subtitle, f"Dnr {rng.randint(100, 999)}-"
                                            f"{rng.randint(1000, 9999)}/{YEAR + 1}", "20 februari 2026", MARKER])]))
    pages.append(Page([Block("h1", "Innehåll"), Block("toc")]))

    chapter1 = "1 Generaldirektörens kommentar" if spec.kind == "arsredovisning" else "1 Sammanfattning"
    foreword = [p.format(agency=name, what=what, year=YEAR) for p in FOREWORD]
    pages.append(Page([Block("h1", chapter1), Block("columns", rows=foreword)], chapter=chapter1))

    chapter2 = "2 Resultatredovisning i sammandrag"
    blocks = [Block("h1", chapter2),
              Block("p", f"Tabellen visar ett urval av nyckeltal för {YEAR}. Uppgifterna är hämtade ur "
                         "myndighetens verksamhetssystem.")]
    figures = [[register.key_figures[k.key_figure_id].label["sv"], swedish_number(k.value)]
               for k in submission.key_figures]
    if figures:
        blocks.append(Block("table", rows=[["Nyckeltal", str(YEAR)], *figures]))
    scale = ECONOMY_SCALE[spec.agency]
    economy = [["Ekonomi i sammandrag (tkr)", str(YEAR - 1), str(YEAR)]]
    for label, (low, high) in ECONOMY_ROWS.items():
        share = rng.uniform(low, high)
        before = round(scale * share)
        economy.append([label, swedish_number(before), swedish_number(round(before * rng.uniform(0.97, 1.06)))])
    blocks += [Block("p", "Myndighetens ekonomi i sammandrag framgår av tabellen nedan."),
               Block("table", rows=economy)]
    pages.append(Page(blocks, chapter=chapter2))

    # Chapter 3: the government assignments and the action programme.
    chapter3 = "3 Regeringsuppdrag och åtgärdsprogrammet 2024–2026"
    intro = Block("p", "I detta kapitel redovisas myndighetens uppdrag inom åtgärdsprogrammet Fri och trygg "
                       "utan våld och förtryck och hur långt arbetet har kommit vid årets slut.")
    passages = []
    for report in submission.measures:
        measure = register.measures[report.measure_id]
        if measure.collaboration_assignment:
            continue                                   # the collaboration section below covers it
        planted = (spec.agency, measure.id) in PLANTED
        if planted:
            status = PLANTED[(spec.agency, measure.id)]
            unsupported.append({"file": spec.file, "agency": spec.agency, "measure_id": measure.id,
                                "reported_status": report.status, "document_says": status or "nothing"})
            if status is None:
                continue
        elif report.status == "okand":
            continue                                   # the agency does not know: the document is silent
        else:
            status = report.status
        text, kind, extra = _mention_passage(rng, measure, status)
        assert _status_hits(text) == {status}, (measure.id, text)
        passages.append((measure, text, {
            "file": spec.file, "agency": spec.agency, "measure_id": measure.id, "page": None, "status": status,
            "kind": kind, "task": None, "reported_status": report.status,
            "case": "reported_completed_no_evidence" if planted else "consistent", **extra}))
    page_blocks = [Block("h1", chapter3), intro]
    first, on_page, headings = True, 0, 0
    for measure, text, row in passages:
        if on_page >= (3 if first else 5):
            pages.append(Page(page_blocks, chapter=chapter3 if first else None))
            first, page_blocks, on_page = False, [], 0
        if row["kind"] == "measure_id":
            headings += 1
            page_blocks.append(Block("h2", f"3.{headings} {_short(measure)}"))
        page_blocks.append(Block("p", text))
        on_page += 1
        row["page"] = len(pages) + 1
        mentions.append(row)
    pages.append(Page(page_blocks, chapter=chapter3 if first else None))

    # Chapter 4: the 2024 collaboration assignment (its four agencies only).
    number = 4
    if spec.agency in COLLABORATION:
        statuses, heading_id = COLLABORATION[spec.agency]
        reported_parts = {part.part_id: part.status for part in getattr(submission, "parts", ())}
        heading = COLLABORATION_HEADING + (" (åtgärd A013)" if heading_id else "")
        chapter4 = f"{number} {heading}"
        number += 1
        tasks = {t["id"]: t for t in register.collaboration_assignment["tasks"]}
        a013 = next(r for r in submission.measures if r.measure_id == "A013")
        agency_names = {a.id: a.name["sv"] for a in register.agencies.values()}
        kind = "measure_id" if heading_id else "title"
        extra = {} if heading_id else {"words": list(COLLABORATION_WORDS)}
        first_blocks = [Block("h1", chapter4),
                        Block("p", "Polismyndigheten, Åklagarmyndigheten, Kriminalvården och Socialstyrelsen fick "
                                   "2024 ett gemensamt uppdrag om operativ samverkan med socialtjänst och hälso- och "
                                   "sjukvård. Uppdraget har tre delar, som redovisas var för sig.")]
        second_blocks = [Block("h1", f"{heading} – forts.")]
        for position, (task_id, task) in enumerate(tasks.items(), start=1):
            # The part's status as the submission reports it (template version 2); without one, ours.
            reported = reported_parts.get(task_id)
            status = reported if reported in PART_STATUS else statuses[task_id]
            body = PART_TEXT[task_id]
            if task_id == "metoder_valdsutovare" and spec.agency == "polisen":
                values = {k.key_figure_id: k.value for k in submission.key_figures}
                body += (f" Under {YEAR} identifierades {swedish_number(values['polisen_hogrisk_identifierade'])} "
                         f"högriskaktörer, och {swedish_number(values['polisen_hogrisk_riskbedomda'])} av dem "
                         "riskbedömdes tillsammans med socialtjänsten.")
            text = f"{body} {rng.choice(PART_STATUS[status]).format(month=rng.choice(MONTHS))}"
            assert _status_hits(text) == {status}, text
            target = first_blocks if task_id != "hinder_samverkan" else second_blocks
            target += [Block("h2", f"Del {position}: {task['sv']}"), Block("p", text)]
            row = {"file": spec.file, "agency": spec.agency, "measure_id": "A013",
                   "page": len(pages) + (1 if target is first_blocks else 2), "status": status, "kind": kind,
                   "task": task_id, "reported_status": reported or a013.status, "case": "collaboration_part", **extra}
            if task_id == "hinder_samverkan":
                row["obstacle_categories"] = sorted({o.category for o in submission.obstacles})
            mentions.append(row)
        for obstacle in submission.obstacles:
            category = register.obstacle_categories[obstacle.category]["label"]["sv"]
            text = (f"Hinder ({category}): {_plain(obstacle.description)} "
                    f"Förslag: {_plain(obstacle.proposed_solution)} "
                    f"Vem bör agera: {_actor(obstacle, agency_names)}.")
            _require_clean(text, f"{spec.file} obstacle")
            second_blocks.append(Block("p", text))
        pages.append(Page(first_blocks, chapter=chapter4))
        pages.append(Page(second_blocks))

    # A distractor chapter in two columns: shares title words with a measure, is about something else.
    measure_id, subject, paragraphs, words = DISTRACTORS[spec.agency]
    chapter = f"{number} {subject}"
    number += 1
    pages.append(Page([Block("h1", chapter), Block("columns", rows=list(paragraphs))], chapter=chapter))
    distractor = {"file": spec.file, "agency": spec.agency, "page": len(pages), "shares_words_with": measure_id,
                  "words": list(words)}

    chapter = f"{number} Intern styrning och kontroll"
    closing = ("Myndigheten har en process för intern styrning och kontroll som omfattar riskanalys, "
               "åtgärder och uppföljning. Ledningen har bedömt att den interna styrningen och kontrollen "
               "har varit betryggande under året.")
    signed = (f"{'Årsredovisningen' if spec.kind == 'arsredovisning' else 'Redovisningen'} har beslutats av "
              f"myndighetens chef. Stockholm den 20 februari 2026.")
    pages.append(Page([Block("h1", chapter), Block("p", closing), Block("signature", signed)], chapter=chapter))

    toc = [[p.chapter.replace(" (åtgärd A013)", ""), str(number_)]     # a contents line is no evidence
           for number_, p in enumerate(pages, start=1) if p.chapter]
    pages[1].blocks[1].rows = toc
    for number_, page in enumerate(pages, start=1):
        for block in page.blocks:
            texts = [block.text, *(r if isinstance(r, str) else " ".join(r) for r in block.rows)]
            if block.kind == "p" and any(block.text == m[1] for m in passages):
                continue
            if COLLABORATION_HEADING in page.blocks[0].text and block.kind == "p":
                continue                                # part texts are checked above
            if number_ == distractor["page"]:
                continue                                # distractors may carry status words on purpose
            for text in texts:
                _require_clean(text, f"{spec.file} page {number_}")
    return Built(spec, name, pages, mentions, unsupported, distractor)


def _actor(obstacle, agency_names: dict[str, str]) -> str:
    """Who should act: the submission's answer (an agency, the government, all), else the category's default."""
    actor = getattr(obstacle, "actor", None)
    if actor == "regeringen":
        return "regeringen"
    if actor == "alla":
        return "alla berörda myndigheter tillsammans"
    return agency_names.get(actor) or WHO_SHOULD_ACT[obstacle.category]


def _short(measure: Measure, limit: int = 70) -> str:
    title = measure.title["sv"].split(" (")[0]
    return title if len(title) <= limit else title[: limit - 1].rsplit(" ", 1)[0] + " …"


def _plain(text: str) -> str:
    text = text.removeprefix(ILLUSTRATIVE_PREFIX).strip().replace("som i denna rapportmall",
                                                                   "som i Jämställdhetsmyndighetens rapportmall")
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


# ------------------------------------------------------------------------------------------ PDF
class _Pdf(FPDF):
    def __init__(self, running: str):
        super().__init__(format="A4")
        self.running = running

    def header(self) -> None:
        self.set_font("DejaVu", size=8)
        self.set_text_color(90, 90, 90)
        if self.page_no() > 1:
            self.set_xy(20, 10)
            self.cell(170, 5, self.running, align="L")
        self.set_text_color(0, 0, 0)
        self.set_xy(20, 25)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", size=8)
        self.set_text_color(90, 90, 90)
        self.cell(120, 5, MARKER, align="L")
        if self.page_no() > 1:
            self.cell(50, 5, f"Sida {self.page_no()}", align="R")
        self.set_text_color(0, 0, 0)


def render_pdf(built: Built) -> bytes:
    spec = built.spec
    pdf = _Pdf(f"{built.agency_name} – {_title(spec)}")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 25, 20)
    pdf.set_auto_page_break(True, margin=22)
    pdf.set_creation_date(PUBLISHED)
    pdf.set_title(f"{built.agency_name} – {_full_title(spec)}")
    pdf.set_author(built.agency_name)
    pdf.set_subject(MARKER)
    pdf.set_keywords(f"illustrativt exempel, {GENERATOR}")
    pdf.set_creator(GENERATOR)
    pdf.set_producer("fpdf2")
    pdf.set_lang("sv")
    for page in built.pages:
        pdf.add_page()
        for block in page.blocks:
            _pdf_block(pdf, block)
    if pdf.pages_count != len(built.pages):
        raise SystemExit(f"{spec.file}: planned {len(built.pages)} pages, the PDF has {pdf.pages_count}")
    return bytes(pdf.output())


def _pdf_block(pdf: _Pdf, block: Block) -> None:
    if block.kind == "cover":
        agency, title, subtitle, dnr, day, marker = block.rows
        pdf.set_y(80)
        pdf.set_font("DejaVu", "B", 26)
        pdf.multi_cell(170, 12, agency)
        pdf.ln(6)
        pdf.set_font("DejaVu", "B", 20)
        pdf.multi_cell(170, 10, title)
        pdf.set_font("DejaVu", "", 13)
        pdf.ln(2)
        pdf.multi_cell(170, 7, subtitle)
        pdf.ln(30)
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(170, 6, f"{dnr}\n{day}")
        pdf.ln(6)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(170, 6, marker)
    elif block.kind == "toc":
        pdf.set_font("DejaVu", "", 11)
        for chapter, number in block.rows:
            pdf.cell(155, 8, chapter)
            pdf.cell(15, 8, number, align="R", new_x="LMARGIN", new_y="NEXT")
    elif block.kind == "h1":
        pdf.set_font("DejaVu", "B", 15)
        pdf.multi_cell(170, 8, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    elif block.kind == "h2":
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(170, 6, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    elif block.kind in ("p", "signature"):
        pdf.set_font("DejaVu", "", 10)
        if block.kind == "signature":
            pdf.ln(10)
        pdf.multi_cell(170, 5, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    elif block.kind == "table":
        pdf.set_font("DejaVu", "", 9)
        widths = (110, 60) if len(block.rows[0]) == 2 else (100, 35, 35)
        align = ("LEFT", "RIGHT") if len(widths) == 2 else ("LEFT", "RIGHT", "RIGHT")
        with pdf.table(col_widths=widths, width=170, text_align=align, line_height=6,
                       first_row_as_headings=True) as table:
            for values in block.rows:
                row = table.row()
                for value in values:
                    row.cell(value)
        pdf.ln(4)
    elif block.kind == "columns":
        # Two columns: the first half of the paragraphs left, the rest right, side by side.
        pdf.set_font("DejaVu", "", 10)
        half = (len(block.rows) + 1) // 2
        top = pdf.get_y()
        bottom = top
        for x, paragraphs in ((20, block.rows[:half]), (110, block.rows[half:])):
            pdf.set_xy(x, top)
            for text in paragraphs:
                pdf.set_x(x)
                pdf.multi_cell(80, 5, text, align="L", new_x="LEFT", new_y="NEXT")
                pdf.ln(3)
            bottom = max(bottom, pdf.get_y())
        pdf.set_xy(20, bottom)
    else:
        raise ValueError(block.kind)


# ------------------------------------------------------------------------------------------ DOCX
def _page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _columns(section, number: int) -> None:
    sect_pr = section._sectPr
    cols = sect_pr.find(qn("w:cols"))
    if cols is None:
        cols = OxmlElement("w:cols")
        sect_pr.append(cols)
    cols.set(qn("w:num"), str(number))
    cols.set(qn("w:space"), "567")


def _page_field(paragraph) -> None:
    """A PAGE field, so that Word prints each page's number in the footer."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()                     # one field part per run, as Word writes it
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def render_docx(built: Built) -> bytes:
    spec = built.spec
    doc = DocxDocument()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    header = section.header.paragraphs[0]
    header.text = f"{built.agency_name} – {_title(spec)}"
    section.header.add_paragraph(MARKER)
    footer = section.footer.paragraphs[0]
    footer.text = f"{MARKER}    Sida "
    _page_field(footer)
    for number, page in enumerate(built.pages, start=1):
        if number > 1:
            _page_break(doc)
        for block in page.blocks:
            _docx_block(doc, block)
    props = doc.core_properties
    props.title = f"{built.agency_name} – {_full_title(spec)}"
    props.author = props.last_modified_by = built.agency_name
    props.subject = MARKER
    props.keywords = f"illustrativt exempel, {GENERATOR}"
    props.comments = f"Genererad av {GENERATOR}. {MARKER}."
    props.language = "sv-SE"
    props.created = props.modified = props.last_printed = PUBLISHED
    props.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    return _fixed_zip(raw.getvalue())


def _docx_block(doc, block: Block) -> None:
    if block.kind == "cover":
        agency, title, subtitle, dnr, day, marker = block.rows
        for _ in range(8):
            doc.add_paragraph()
        doc.add_paragraph().add_run(agency).font.size = Pt(26)
        doc.add_paragraph(title, style="Title")
        doc.add_paragraph(subtitle, style="Subtitle")
        for _ in range(6):
            doc.add_paragraph()
        doc.add_paragraph(dnr)
        doc.add_paragraph(day)
        doc.add_paragraph().add_run(marker).bold = True
    elif block.kind == "toc":
        for chapter, number in block.rows:
            doc.add_paragraph(f"{chapter}\t{number}")
    elif block.kind == "h1":
        doc.add_heading(block.text, level=1)
    elif block.kind == "h2":
        doc.add_heading(block.text, level=2)
    elif block.kind == "p":
        doc.add_paragraph(block.text)
    elif block.kind == "signature":
        doc.add_paragraph()
        doc.add_paragraph(block.text)
    elif block.kind == "table":
        table = doc.add_table(rows=0, cols=len(block.rows[0]))
        table.style = "Table Grid"
        for values in block.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
        doc.add_paragraph()
    elif block.kind == "columns":
        # Continuous section breaks around a two-column section: a page is still ended only by a page break.
        doc.add_section(WD_SECTION.CONTINUOUS)
        _columns(doc.sections[-1], 2)
        for text in block.rows:
            doc.add_paragraph(text)
        doc.add_section(WD_SECTION.CONTINUOUS)
        _columns(doc.sections[-1], 1)
    else:
        raise ValueError(block.kind)


def _fixed_zip(data: bytes) -> bytes:
    """The archive with one fixed timestamp and file mode on every entry (python-docx stamps the clock)."""
    out = io.BytesIO()
    stamp = PUBLISHED.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


# ------------------------------------------------------------------------------------------ output
def _sidecar(spec: Spec) -> str:
    doc = {"data_file": spec.file, "reliability": "illustrative", "demo_data": True, "generated_by": GENERATOR,
           "note": (f"Illustrativt dokument, genererat för demonstration (BRIEF.md §12) av {GENERATOR}; inte "
                    "myndighetens verkliga rapport. / Illustrative document generated for the demonstration; "
                    "not the agency's real report.")}
    return (f"# Provenance of {spec.file}: an illustrative agency document, not one an agency published.\n"
            f"# Written by data/generate_agency_documents.py.\n"
            + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000))


ANSWER_KEY_HEADER = f"""\
# What data/generate_agency_documents.py planted in the illustrative documents ({GENERATOR}).
# For tests and benchmarks/evidence_precision.py only; the evidence finder never reads it.
# mentions: one row per planted mention. page is 1-based, as a reader counts the file's pages (DOCX:
#   pages separated by explicit page breaks). kind: measure_id | reference | title (the title's words,
#   inflected or paraphrased; `words` are those on the page). status: what the passage says (status words
#   of INTERFACES.md B); reported_status: the agency's 2025 submission. case: consistent |
#   reported_completed_no_evidence (reported genomford, the document says otherwise) | collaboration_part
#   (a part of the 2024 collaboration assignment, `task`).
# reported_completed_no_evidence: measures reported genomford that the document does not support
#   (document_says: a status code, or nothing when it does not mention the measure).
# distractors: pages that share title words with a measure but are about something else.
"""


class _PlainDumper(yaml.SafeDumper):
    """No &anchors for a list two rows share: every row reads on its own."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def write_all(out: Path, data_dir: Path = DATA) -> list[Path]:
    register = load_register(data_dir)
    out.mkdir(parents=True, exist_ok=True)
    mentions, unsupported, distractors, written = [], [], [], []
    for spec in DOCUMENTS:
        name = next(p for p in (data_dir / "submissions").glob(f"{spec.agency}_{YEAR}.*")
                    if p.suffix in (".xlsx", ".csv"))
        submission = read_submission(name.read_bytes(), file=name.name, register=register,
                                     today=PUBLISHED.date())
        built = build(spec, register, submission)
        content = render_pdf(built) if spec.format == "pdf" else render_docx(built)
        path = out / spec.file
        path.write_bytes(content)
        (out / f"{spec.file}.provenance.yaml").write_text(_sidecar(spec), encoding="utf-8", newline="\n")
        mentions += built.mentions
        unsupported += built.unsupported
        distractors.append(built.distractor)
        written.append(path)
    key = {"generated_by": GENERATOR, "illustrative": True, "mentions": mentions,
           "reported_completed_no_evidence": unsupported, "distractors": distractors}
    (out / "answer_key.yaml").write_text(
        ANSWER_KEY_HEADER + yaml.dump(key, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=1000),
        encoding="utf-8", newline="\n")
    (out / "README.md").write_text(README, encoding="utf-8", newline="\n")
    return written


README = f"""\
# Myndigheternas dokument / Agency documents

Illustrativa årsredovisningar och återrapporteringar för 2025, genererade av
`data/generate_agency_documents.py` (fast slumpfrö); inget av dem är en myndighets verkliga dokument,
och varje sida säger "{MARKER}". Bredvid varje fil ligger `<fil>.provenance.yaml` med
`reliability: illustrative`. `answer_key.yaml` anger vad skriptet planterade (åtgärd, sida, status) och
används bara av tester och benchmarks, aldrig av evidenssökningen.

Illustrative annual reports and reports-back for 2025, generated by `data/generate_agency_documents.py`
(fixed seed); none is an agency's real document, and every page says "{MARKER}". Beside every file
is `<file>.provenance.yaml` with `reliability: illustrative`. `answer_key.yaml` records what the script
planted (measure, page, status) and is used only by tests and benchmarks, never by the evidence finder.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    written = write_all(args.out)
    print(f"wrote {len(written)} documents and answer_key.yaml to {args.out}")


if __name__ == "__main__":
    main()
