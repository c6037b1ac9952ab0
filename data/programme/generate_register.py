"""Write ``data/programme/measures.yaml``: the action programme's 132 measures (BRIEF.md §5).

Why this script exists: the programme lists 132 measures, but the project has the primary text of only
a few of them. Those the brief names are written here by hand, with their source URL and reliability
tag, and ``illustrative: false``. The rest of the register is filled with plausible measures written
for the demo, ``illustrative: true``, with a note saying so (BRIEF.md §12); their titles, agencies and
objectives are hand-written below, their start dates and deadlines come from a generator with a fixed
seed. Run it again and the file comes out byte-identical:

    .venv/bin/python data/programme/generate_register.py
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import yaml

SEED = 20240620                       # the day the programme was presented
TOTAL = 132
OUT = Path(__file__).parent / "measures.yaml"
GENERATOR = f"data/programme/generate_register.py, seed {SEED}"
PRESENTED = date(2024, 6, 20)
APPROPRIATION_2024 = date(2024, 1, 1)  # the 2024 appropriation directions apply from the budget year

# The programme objectives' default strategy objectives (register.yaml, BRIEF.md §5).
STRATEGY = {"P1": [4], "P2": [1], "P3": [1, 3], "P4": [2], "P5": [3], "P6": [4]}

URL_SOCIALSTYRELSEN_STODKEDJA = "https://www.socialstyrelsen.se/aktuellt/valdsutsatta-ska-fa-hjalp-i-myllret-av-myndighetskontakter/"
URL_SOU_2024_13 = "https://lagen.nu/sou/2024:13"
URL_SWEDENHERALD_CRACKDOWN = "https://swedenherald.com/article/government-crackdown-on-violence-against-women"
URL_GOV_600M = "https://government.se/articles/2024/02/government-invests-sek-600-million-to-combat-intimate-partner-and-honour-based-violence"
URL_EPOCHTIMES_RESURSCENTRUM = "https://www.epochtimes.se/vill-se-battre-stod-for-drabbade-av-hedersrelaterat-vald"

ATTRIBUTION_U = ("Uppdraget finns i regleringsbreven för 2024 [V]; källan anger inte vilken myndighet som har just "
                 "detta uppdrag, så ansvarig myndighet är projektets antagande [U]. Startdatum = budgetårets början, "
                 "sista datum anges inte i källan.")
PRESENTED_U = "Startdatum = dagen då programmet presenterades (projektets konvention) [U]."


def named(id_: str, sv: str, en: str, *, responsible: list[str], objective: str, area: int | None, type_: str,
          start: date, deadline: date | None, source_url: str | None, reliability: str, note: str,
          indicators: tuple[str, ...] = (), perspectives: tuple[str, ...] = (), co: tuple[str, ...] = (),
          collaboration: bool = False) -> dict:
    return {
        "id": id_, "title": {"sv": sv, "en": en}, "responsible": responsible, "co_responsible": list(co),
        "programme_objective": objective, "strategy_objectives": STRATEGY[objective], "priority_area": area,
        "type": type_, "start": start, "deadline": deadline, "indicators": list(indicators),
        "perspectives": list(perspectives), "collaboration_assignment": collaboration, "illustrative": False,
        "source_url": source_url, "reliability": reliability, "note": note,
    }


# ------------------------------------------------------------------------ measures the brief names (§5)
NAMED = [
    named("A001", "Samordnad stödkedja med kontaktperson för våldsutsatta som lämnar en relation "
                  "(del av lämnaprogrammet)",
          "Coordinated support chain with a contact person for victims leaving a relationship (part of the leave "
          "programme)",
          responsible=["socialstyrelsen"], objective="P4", area=1, type_="regeringsuppdrag",
          start=date(2024, 4, 12), deadline=date(2027, 4, 10), source_url=URL_SOCIALSTYRELSEN_STODKEDJA,
          reliability="V", indicators=("MVK23",),
          note="Delredovisning april 2025, slutredovisning 10 april 2027 [V]. Startdatum = NCK:s nyhet om uppdraget "
               "2024-04-12; beslutsdatum ej kontrollerat [U]."),
    named("A002", "Översyn av lagen om kontaktförbud: större geografiska förbud och skärpta straff för barnfridsbrott "
                  "och grov fridskränkning/kvinnofridskränkning (SOU 2024:13)",
          "Review of the contact-ban law: wider geographic bans and harsher penalties for violation of a child's "
          "integrity and gross violation of (a woman's) integrity (SOU 2024:13)",
          responsible=["regeringskansliet"], objective="P5", area=None, type_="lagstiftning",
          start=PRESENTED, deadline=None, source_url=URL_SOU_2024_13, reliability="V",
          indicators=("MVK16", "MVK17", "MVK12"), perspectives=("barnratt",),
          note="Justitiedepartementet bereder SOU 2024:13. " + PRESENTED_U),
    named("A003", "Stärkt rätt för våldsutsatta att bo kvar i hemmet",
          "Stronger right for victims to stay in the home",
          responsible=["regeringskansliet"], objective="P4", area=1, type_="utredning",
          start=PRESENTED, deadline=None, source_url=URL_SWEDENHERALD_CRACKDOWN, reliability="V2",
          note="Del av lämnaprogrammet; under utredning enligt nyhetsrapportering [V2]. " + PRESENTED_U),
    named("A004", "Åtgärder mot ekonomiskt våld",
          "Measures against economic violence",
          responsible=["regeringskansliet"], objective="P4", area=1, type_="utredning",
          start=PRESENTED, deadline=None, source_url=URL_SWEDENHERALD_CRACKDOWN, reliability="V2",
          note="Del av lämnaprogrammet enligt nyhetsrapportering [V2]. " + PRESENTED_U),
    named("A005", "Barns umgänge med en våldsutövande förälder",
          "Children's contact with a violent parent",
          responsible=["regeringskansliet"], objective="P4", area=3, type_="utredning",
          start=PRESENTED, deadline=None, source_url=URL_SWEDENHERALD_CRACKDOWN, reliability="V2",
          perspectives=("barnratt",),
          note="Under utredning eller beredning i departementet enligt nyhetsrapportering [V2]. " + PRESENTED_U),
    named("A006", "Nationell funktion dit personer som utsätts för hedersrelaterat våld och förtryck och deras "
                  "närstående kan vända sig",
          "National function that people at risk of honour-related violence and oppression, and those close to "
          "them, can turn to",
          responsible=["jamstalldhetsmyndigheten"], objective="P4", area=2, type_="regeringsuppdrag",
          start=APPROPRIATION_2024, deadline=None, source_url=URL_GOV_600M, reliability="V",
          perspectives=("heder",), note=ATTRIBUTION_U),
    named("A007", "Systematisk uppföljning av socialtjänstens insatser för våldsutsatta",
          "Systematic follow-up of social services' support for individuals subjected to violence",
          responsible=["socialstyrelsen"], objective="P1", area=None, type_="regeringsuppdrag",
          start=APPROPRIATION_2024, deadline=None, source_url=URL_GOV_600M, reliability="V",
          indicators=("MVK23",), note=ATTRIBUTION_U),
    named("A008", "Bättre stöd mot hedersrelaterat våld vid släktingplaceringar av barn och unga",
          "Better support against honour-related violence in kinship placements of children and young people",
          responsible=["socialstyrelsen"], objective="P2", area=2, type_="regeringsuppdrag",
          start=APPROPRIATION_2024, deadline=None, source_url=URL_GOV_600M, reliability="V",
          perspectives=("heder", "barnratt"), note=ATTRIBUTION_U),
    named("A009", "Fortsatt kunskapsutveckling om barns och ungas skadliga utlandsvistelser",
          "Continued development of expertise on children's and young people's harmful stays abroad",
          responsible=["jamstalldhetsmyndigheten"], objective="P6", area=3, type_="kunskap",
          start=APPROPRIATION_2024, deadline=None, source_url=URL_GOV_600M, reliability="V",
          perspectives=("heder", "barnratt"), note=ATTRIBUTION_U),
    named("A010", "Förstärkt systematiskt arbete mot hedersrelaterat våld och förtryck i skolan",
          "Enhanced systematic efforts against honour-related violence and oppression in schools",
          responsible=["skolverket"], objective="P2", area=2, type_="regeringsuppdrag",
          start=APPROPRIATION_2024, deadline=None, source_url=URL_GOV_600M, reliability="V",
          perspectives=("heder", "barnratt"), indicators=("MVK26",), note=ATTRIBUTION_U),
    named("A011", "Stärkt kompetens om barn i rättsväsendet",
          "Strengthening the justice system's expertise on children",
          responsible=["polisen"], objective="P5", area=3, type_="kunskap",
          start=APPROPRIATION_2024, deadline=None, source_url=URL_GOV_600M, reliability="V",
          perspectives=("barnratt",), note=ATTRIBUTION_U),
    named("A012", "Regionala resurscentrum mot hedersrelaterat våld och förtryck",
          "Regional resource centres against honour-related violence and oppression",
          responsible=["lansstyrelserna", "polisen"], objective="P1", area=2, type_="regeringsuppdrag",
          start=PRESENTED, deadline=None, source_url=URL_EPOCHTIMES_RESURSCENTRUM, reliability="V2",
          perspectives=("heder",),
          note="Tidpunkt okänd [U]; källan är nyhetsrapportering [V2]. " + PRESENTED_U),
    named("A013", "Operativ samverkan med socialtjänst och hälso- och sjukvård med fokus på våldsutövare, särskilt "
                  "högriskaktörer och personer som upprepat utövar våld",
          "Operational collaboration with social services and health care focused on perpetrators, especially "
          "high-risk and repeat offenders",
          responsible=["polisen", "aklagarmyndigheten", "kriminalvarden", "socialstyrelsen"], objective="P3",
          area=None, type_="regeringsuppdrag", start=APPROPRIATION_2024, deadline=None, source_url=None,
          reliability="U", indicators=("MVK18", "MVK19"), collaboration=True,
          note="Uppdraget om operativ samverkan 2024 (register.yaml). Primärtexten har inte hittats; beskrivningen är "
               "projektets arbetsbeskrivning [U] och ska kontrolleras innan en rapport citerar den."),
]

# ------------------------------------------------------------------------ illustrative measures
# (objective, priority area, type, responsible, co-responsible, perspectives, indicators, title sv, title en)
# Agencies, perspectives and indicators are space-separated ids.
ILLUSTRATIVE = [
    # P1: long-term structure for support, organisation and follow-up
    ("P1", None, "regeringsuppdrag", "jamstalldhetsmyndigheten", "lansstyrelserna", "", "MVK27",
     "Samordna och följa upp åtgärdsprogrammet 2024–2026",
     "Coordinate and follow up the action programme 2024–2026"),
    ("P1", None, "kunskap", "jamstalldhetsmyndigheten", "", "", "MVK01 MVK05 MVK27",
     "Fördjupad uppföljning av delmålet att mäns våld mot kvinnor ska upphöra",
     "In-depth follow-up of the sub-goal that men's violence against women shall end"),
    ("P1", None, "regeringsuppdrag", "lansstyrelserna", "jamstalldhetsmyndigheten", "", "MVK24",
     "Regional samordning mot mäns våld mot kvinnor i alla län",
     "Regional coordination against men's violence against women in every county"),
    ("P1", None, "metodutveckling", "socialstyrelsen", "skr", "", "MVK23",
     "Nationellt stöd till kommunernas ledning och styrning av arbetet mot våld i nära relationer",
     "National support for municipalities' management of work against intimate partner violence"),
    ("P1", None, "finansiering", "regeringskansliet", "", "", "MVK21 MVK23",
     "Statsbidrag till kommuner för att utveckla arbetet mot våld i nära relationer",
     "Government grant to municipalities to develop work against intimate partner violence"),
    ("P1", None, "finansiering", "socialstyrelsen", "", "", "",
     "Statsbidrag till kvinno- och tjejjourer och andra ideella organisationer",
     "Government grants to women's and girls' shelters and other non-profit organisations"),
    ("P1", None, "ovrigt", "jamstalldhetsmyndigheten", "mfd folkhalsomyndigheten", "barnratt", "MVK27",
     "Myndighetsnätverket mot mäns våld mot kvinnor: gemensam plan för samverkan",
     "The agency network against men's violence against women: a joint plan for collaboration"),
    ("P1", None, "kunskap", "skr", "", "", "MVK23 MVK24",
     "Nätverk för kommuners och regioners strategiska arbete mot våld",
     "Network for municipalities' and regions' strategic work against violence"),
    ("P1", None, "kunskap", "socialstyrelsen", "", "barnratt", "MVK22",
     "Följa upp den nya regleringen av skyddat boende",
     "Follow up the new regulation of protected housing"),
    ("P1", None, "finansiering", "brottsoffermyndigheten", "", "", "",
     "Brottsofferfonden: utlysning för projekt mot våld i nära relationer",
     "Crime Victim Fund: call for projects against intimate partner violence"),
    ("P1", 2, "kunskap", "lansstyrelserna", "", "heder", "MVK23",
     "Regionala lägesbilder över arbetet mot våld i nära relationer och hedersrelaterat våld",
     "Regional situation reports on work against intimate partner violence and honour-related violence"),
    ("P1", None, "kunskap", "jamstalldhetsmyndigheten", "bra socialstyrelsen", "heder", "",
     "Utveckla indikatorer för uppföljning av hedersrelaterat våld, prostitution och människohandel",
     "Develop indicators for following up honour-related violence, prostitution and trafficking"),
    ("P1", 1, "kunskap", "forsakringskassan", "arbetsformedlingen", "", "",
     "Myndighetsgemensam vägledning om ekonomiskt stöd till våldsutsatta som lämnar en relation",
     "Joint agency guidance on financial support for victims leaving a relationship"),
    ("P1", None, "regeringsuppdrag", "jamstalldhetsmyndigheten", "polisen lansstyrelserna", "", "",
     "Nationell samordning av arbetet mot prostitution och människohandel",
     "National coordination of work against prostitution and trafficking"),

    # P2: early and preventive measures (children, young people, honour)
    ("P2", None, "kunskap", "skolverket", "", "barnratt", "MVK26",
     "Stöd till skolornas undervisning om samtycke och relationer i sex- och samlevnadsundervisningen",
     "Support for schools' teaching of consent and relationships in sexuality education"),
    ("P2", None, "ovrigt", "skolinspektionen", "", "barnratt", "MVK26",
     "Tematisk kvalitetsgranskning av skolors arbete mot kränkande behandling och sexuella trakasserier",
     "Thematic quality review of schools' work against degrading treatment and sexual harassment"),
    ("P2", None, "metodutveckling", "folkhalsomyndigheten", "", "", "MVK01 MVK25",
     "Nationellt våldsförebyggande program: stöd till kommunerna",
     "National violence-prevention programme: support for municipalities"),
    ("P2", None, "metodutveckling", "folkhalsomyndigheten", "skr", "barnratt", "",
     "Våldsförebyggande föräldraskapsstöd i kommunerna",
     "Violence-preventive parenting support in municipalities"),
    ("P2", None, "metodutveckling", "jamstalldhetsmyndigheten", "folkhalsomyndigheten", "", "MVK26",
     "Förebyggande arbete med unga män och pojkar om maskulinitet och våld",
     "Preventive work with young men and boys on masculinity and violence"),
    ("P2", None, "kunskap", "jamstalldhetsmyndigheten", "", "barnratt", "",
     "Stöd till idrottsrörelsens våldsförebyggande arbete",
     "Support for sports organisations' violence-prevention work"),
    ("P2", 2, "kunskap", "lansstyrelserna", "", "heder barnratt", "",
     "Förebyggande insatser mot barnäktenskap och tvångsäktenskap",
     "Preventive efforts against child marriage and forced marriage"),
    ("P2", 2, "kunskap", "lansstyrelserna", "skolverket", "heder barnratt", "",
     "Regionala utbildningsinsatser för skolpersonal om hedersrelaterat våld och förtryck",
     "Regional training for school staff on honour-related violence and oppression"),
    ("P2", 2, "kunskap", "socialstyrelsen", "", "heder barnratt", "",
     "Vägledning om förebyggande arbete mot könsstympning av flickor",
     "Guidance on preventing female genital mutilation"),
    ("P2", 2, "kunskap", "migrationsverket", "lansstyrelserna", "heder utrikes_fodda", "",
     "Information till nyanlända om rättigheter och hedersrelaterat våld och förtryck",
     "Information for newly arrived people on rights and honour-related violence and oppression"),
    ("P2", 4, "kunskap", "barnafrid", "skolverket", "barnratt", "MVK26",
     "Kunskapsstöd om barns utsatthet för digitalt sexuellt våld",
     "Knowledge support on children's exposure to online sexual violence"),
    ("P2", 4, "kunskap", "polisen", "skolverket", "barnratt", "",
     "Förebyggande information till unga om sextortion och nätbaserade övergrepp",
     "Preventive information for young people on sextortion and online abuse"),
    ("P2", 3, "metodutveckling", "socialstyrelsen", "", "barnratt", "",
     "Tidiga insatser för barn som upplever våld i hemmet",
     "Early interventions for children who experience violence at home"),
    ("P2", None, "metodutveckling", "mfd", "", "funktionsnedsattning barnratt", "",
     "Våldsförebyggande arbete för unga med intellektuell funktionsnedsättning",
     "Violence prevention for young people with intellectual disabilities"),
    ("P2", 3, "metodutveckling", "folkhalsomyndigheten", "", "barnratt", "MVK26",
     "Förebyggande insatser mot våld i ungas partnerrelationer",
     "Preventive interventions against violence in young people's partner relationships"),
    ("P2", None, "metodutveckling", "skr", "", "barnratt", "",
     "Stöd till kommuner som inför våldsförebyggande program i fritidsverksamhet",
     "Support for municipalities introducing violence-prevention programmes in leisure activities"),
    ("P2", None, "kunskap", "jamstalldhetsmyndigheten", "skolverket", "barnratt", "MVK26",
     "Utvärdering av våldsförebyggande metoder i skolan",
     "Evaluation of violence-prevention methods used in schools"),
    ("P2", None, "metodutveckling", "lansstyrelserna", "polisen", "barnratt", "",
     "Förebygga prostitution och köp av sexuella tjänster bland unga",
     "Preventing prostitution and the purchase of sexual services among young people"),
    ("P2", 2, "kunskap", "arbetsformedlingen", "", "heder utrikes_fodda", "",
     "Kompetens om hedersrelaterat våld och förtryck i etableringsuppdraget",
     "Competence on honour-related violence and oppression in the introduction programme for new arrivals"),
    ("P2", 3, "ovrigt", "polisen", "lansstyrelserna skolverket", "heder barnratt", "",
     "Rutiner för att förhindra att barn förs utomlands i hederssyfte",
     "Routines to stop children being taken abroad in honour contexts"),
    ("P2", 4, "ovrigt", "jamstalldhetsmyndigheten", "", "barnratt", "",
     "Informationskampanj om digitalt våld i ungas relationer",
     "Information campaign on digital violence in young people's relationships"),
    ("P2", None, "kunskap", "folkhalsomyndigheten", "mfd", "aldre", "",
     "Kunskapsstöd om att förebygga våld mot äldre i nära relationer",
     "Knowledge support on preventing violence against older people in close relationships"),

    # P3: recidivism prevention focused on perpetrators
    ("P3", None, "metodutveckling", "kriminalvarden", "", "", "MVK18 MVK19",
     "Utökad programverksamhet mot våld i nära relation i anstalt och frivård",
     "Expanded programmes for violence in close relationships in prison and probation"),
    ("P3", None, "kunskap", "kriminalvarden", "", "", "MVK18 MVK19",
     "Utvärdering av behandlingsprogrammet Predov",
     "Evaluation of the Predov treatment programme"),
    ("P3", None, "metodutveckling", "socialstyrelsen", "skr", "", "MVK21",
     "Stöd till kommunernas verksamhet för våldsutövare som vill förändras",
     "Support for municipal services for perpetrators who want to change"),
    ("P3", None, "lagstiftning", "regeringskansliet", "", "", "MVK16 MVK17",
     "Elektronisk övervakning av kontaktförbud: uppföljning och utvidgning",
     "Electronic monitoring of contact bans: follow-up and extension"),
    ("P3", None, "metodutveckling", "polisen", "socialstyrelsen", "", "MVK18",
     "Strukturerade riskbedömningar av våldsutövare i alla polisregioner",
     "Structured risk assessments of perpetrators in every police region"),
    ("P3", None, "ovrigt", "kriminalvarden", "polisen", "", "MVK18",
     "Informationsutbyte inför frigivning av klienter dömda för våld i nära relation",
     "Information exchange before the release of clients convicted of violence in close relationships"),
    ("P3", None, "kunskap", "socialstyrelsen", "", "barnratt", "MVK21",
     "Kunskapsstöd om insatser för unga som utövar våld i partnerrelationer",
     "Knowledge support on interventions for young people who use violence in partner relationships"),
    ("P3", 2, "metodutveckling", "lansstyrelserna", "", "heder", "",
     "Metoder för att arbeta med förövare i hederskontext",
     "Methods for working with perpetrators in honour contexts"),
    ("P3", None, "metodutveckling", "kriminalvarden", "", "", "MVK18",
     "Strukturerad riskbedömning av alla frivårdsklienter dömda för partnervåld",
     "Structured risk assessment of all probation clients convicted of partner violence"),
    ("P3", None, "utredning", "regeringskansliet", "", "", "MVK17",
     "Utredning om obligatoriska behandlingsinsatser för den som bryter mot kontaktförbud",
     "Inquiry into mandatory treatment for people who breach contact bans"),
    ("P3", None, "finansiering", "socialstyrelsen", "skr", "", "MVK21",
     "Nationell stödlinje för personer som är oroliga för sitt eget våldsutövande",
     "National helpline for people worried about their own violent behaviour"),
    ("P3", None, "metodutveckling", "kriminalvarden", "socialstyrelsen", "", "MVK18",
     "Samordnad utslussning från anstalt till kommun för våldsutövare",
     "Coordinated transition from prison to municipality for perpetrators"),
    ("P3", None, "kunskap", "bra", "", "", "MVK15 MVK18",
     "Uppföljning av återfall i brott bland personer dömda för grov kvinnofridskränkning",
     "Follow-up of reoffending among people convicted of gross violation of a woman's integrity"),
    ("P3", None, "metodutveckling", "polisen", "", "", "MVK17",
     "Riktade insatser mot återkommande gärningspersoner vid upprepad utsatthet",
     "Targeted action against recurring offenders in cases of repeat victimisation"),
    ("P3", None, "metodutveckling", "kriminalvarden", "", "utrikes_fodda", "MVK19",
     "Behandlingsprogram för våldsutövare på fler språk",
     "Perpetrator programmes in more languages"),
    ("P3", 3, "metodutveckling", "socialstyrelsen", "barnafrid", "barnratt", "MVK21",
     "Föräldraskapsstöd för föräldrar som utövar våld",
     "Parenting support for parents who use violence"),

    # P4: improved detection, stronger protection and support
    ("P4", None, "metodutveckling", "socialstyrelsen", "skr", "", "MVK20",
     "Stöd till regionerna att rutinmässigt fråga om våld i mödrahälsovården och primärvården",
     "Support for regions to ask routinely about violence in maternity and primary care"),
    ("P4", None, "kunskap", "socialstyrelsen", "mfd", "funktionsnedsattning", "",
     "Kunskapsstöd om våld mot kvinnor med funktionsnedsättning",
     "Knowledge support on violence against women with disabilities"),
    ("P4", None, "kunskap", "mfd", "", "funktionsnedsattning", "",
     "Tillgängligt stöd och skyddat boende för våldsutsatta med funktionsnedsättning",
     "Accessible support and protected housing for victims with disabilities"),
    ("P4", None, "kunskap", "socialstyrelsen", "", "aldre", "",
     "Stöd till socialtjänsten att upptäcka våld mot äldre",
     "Support for social services in detecting violence against older people"),
    ("P4", None, "metodutveckling", "migrationsverket", "", "utrikes_fodda heder", "",
     "Rutiner för att upptäcka våld i nära relation hos asylsökande",
     "Routines for detecting intimate partner violence among asylum seekers"),
    ("P4", 1, "utredning", "regeringskansliet", "", "utrikes_fodda", "",
     "Översyn av reglerna om uppehållstillstånd för den som utsatts för våld i en relation",
     "Review of residence-permit rules for people subjected to violence in a relationship"),
    ("P4", 1, "metodutveckling", "forsakringskassan", "", "barnratt", "",
     "Rutiner för att fånga upp våldsutsatthet i ärenden om bostadsbidrag och underhållsstöd",
     "Routines for identifying exposure to violence in housing allowance and maintenance support cases"),
    ("P4", 1, "ovrigt", "arbetsformedlingen", "", "", "",
     "Stöd till våldsutsatta som lämnar en relation att få arbete",
     "Support for victims leaving a relationship to find work"),
    ("P4", 3, "kunskap", "brottsoffermyndigheten", "", "barnratt", "",
     "Information om brottsskadeersättning till barn som upplevt våld",
     "Information on criminal injuries compensation for children who experienced violence"),
    ("P4", 1, "finansiering", "nck", "", "utrikes_fodda", "",
     "Förstärkt Kvinnofridslinjen med chatt och fler språk",
     "Kvinnofridslinjen helpline: chat and more languages"),
    ("P4", 3, "kunskap", "socialstyrelsen", "skr", "barnratt", "MVK22",
     "Stöd till kommunerna om skolgång för barn i skyddat boende",
     "Support for municipalities on schooling for children in protected housing"),
    ("P4", 3, "metodutveckling", "barnafrid", "", "barnratt", "MVK05",
     "Stöd till barn som upplevt dödligt våld i familjen",
     "Support for children who experienced lethal violence in the family"),
    ("P4", None, "kunskap", "socialstyrelsen", "", "hbtqi", "",
     "Stöd till hbtqi-personer som utsätts för våld i nära relationer",
     "Support for LGBTQI people subjected to intimate partner violence"),
    ("P4", 1, "lagstiftning", "regeringskansliet", "", "", "",
     "Utökade möjligheter till skyddade personuppgifter för våldsutsatta",
     "Wider access to protected personal data for victims"),
    ("P4", None, "metodutveckling", "polisen", "", "", "MVK16",
     "Förbättrat personsäkerhetsarbete för våldsutsatta kvinnor",
     "Improved personal-safety work for women at risk of violence"),
    ("P4", 1, "metodutveckling", "skr", "socialstyrelsen", "", "",
     "Nationell modell för tillfälligt boende för våldsutsatta över kommungränser",
     "National model for temporary housing for victims across municipal borders"),
    ("P4", 2, "ovrigt", "lansstyrelserna", "", "heder barnratt", "",
     "Regional tillgång till skyddat boende för unga utsatta för hedersrelaterat våld",
     "Regional capacity of protected housing for young people at risk of honour-related violence"),
    ("P4", 3, "kunskap", "skolverket", "", "barnratt", "",
     "Stöd till elevhälsan att upptäcka barn som utsätts för våld",
     "Support for school health services in detecting children subjected to violence"),
    ("P4", 4, "kunskap", "nck", "", "", "",
     "Stöd till våldsutsatta om digital säkerhet",
     "Digital safety support for victims"),
    ("P4", None, "metodutveckling", "socialstyrelsen", "", "", "MVK23",
     "Reviderade bedömningsinstrument för våldsutsatthet i socialtjänsten",
     "Revised assessment instruments for exposure to violence in social services"),
    ("P4", None, "ovrigt", "brottsoffermyndigheten", "domstolsverket", "", "",
     "Stöd till vittnen och målsägande i domstol i mål om våld i nära relation",
     "Support for witnesses and injured parties in court in intimate-partner cases"),
    ("P4", 1, "metodutveckling", "jamstalldhetsmyndigheten", "lansstyrelserna", "", "",
     "Stöd till personer som vill lämna prostitution",
     "Support for people who want to leave prostitution"),

    # P5: more effective crime-fighting
    ("P5", 2, "lagstiftning", "regeringskansliet", "", "heder", "",
     "Skärpta straff för hedersförtryck",
     "Tougher penalties for honour-related oppression"),
    ("P5", 3, "lagstiftning", "regeringskansliet", "", "heder barnratt", "",
     "Utvidgat utreseförbud för att förhindra att barn förs utomlands",
     "Extended travel ban to stop children being taken abroad"),
    ("P5", 4, "utredning", "regeringskansliet", "", "", "",
     "Straffrättsligt skydd mot digitala kränkningar i nära relationer",
     "Criminal-law protection against digital violations in close relationships"),
    ("P5", None, "metodutveckling", "polisen", "", "", "MVK13 MVK14",
     "Bättre bevissäkring på plats vid brott i nära relation",
     "Better evidence gathering at the scene in intimate-partner cases"),
    ("P5", None, "metodutveckling", "aklagarmyndigheten", "", "", "MVK16",
     "Enhetlig rättstillämpning vid prövning av kontaktförbud",
     "Consistent practice in contact-ban decisions"),
    ("P5", None, "metodutveckling", "aklagarmyndigheten", "polisen", "", "MVK13 MVK15",
     "Snabbare handläggning av ärenden om våld i nära relation",
     "Faster handling of intimate-partner violence cases"),
    ("P5", None, "ovrigt", "polisen", "", "", "MVK13 MVK14",
     "Särskilda utredare för våld i nära relation i alla polisområden",
     "Specialised investigators for intimate-partner violence in every police area"),
    ("P5", 4, "kunskap", "polisen", "aklagarmyndigheten", "", "MVK13",
     "Utredning av digitala bevis vid brott i nära relation",
     "Investigating digital evidence in intimate-partner cases"),
    ("P5", None, "kunskap", "domstolsverket", "", "", "MVK15",
     "Kompetensutveckling för domare om våld i nära relationer",
     "Training for judges on intimate-partner violence"),
    ("P5", 2, "kunskap", "aklagarmyndigheten", "", "heder", "MVK15",
     "Åklagares kompetens om hedersrelaterad brottslighet",
     "Prosecutors' competence on honour-related crime"),
    ("P5", None, "ovrigt", "polisen", "", "", "",
     "Insatser mot människohandel för sexuella ändamål",
     "Action against trafficking for sexual purposes"),
    ("P5", None, "ovrigt", "polisen", "lansstyrelserna", "", "",
     "Ökad lagföring av köp av sexuella tjänster",
     "More prosecutions for the purchase of sexual services"),
    ("P5", None, "lagstiftning", "regeringskansliet", "", "", "MVK05",
     "Uppgifter om våld i nära relation i prövningen av vapenlicenser",
     "Information on intimate-partner violence in firearms licensing"),
    ("P5", None, "metodutveckling", "polisen", "", "", "MVK05",
     "Rutiner för omhändertagande av vapen vid hot i nära relation",
     "Routines for seizing firearms after threats in close relationships"),
    ("P5", None, "ovrigt", "domstolsverket", "", "", "MVK15",
     "Uppföljning av förordnanden av målsägandebiträde i mål om våld i nära relation",
     "Follow-up of appointments of counsel for injured parties in intimate-partner cases"),
    ("P5", 3, "metodutveckling", "polisen", "", "barnratt", "",
     "Förhör med barn som upplevt våld i nära relation (barnfridsbrott)",
     "Interviewing children who experienced violence in close relationships (violation of a child's integrity)"),
    ("P5", 3, "kunskap", "aklagarmyndigheten", "", "barnratt", "MVK15",
     "Nationellt åklagarnätverk för barnfridsbrott",
     "National prosecutors' network on violation of a child's integrity"),
    ("P5", 2, "kunskap", "polisen", "", "heder", "",
     "Nationell lägesbild över hedersrelaterad brottslighet",
     "National intelligence picture of honour-related crime"),
    ("P5", None, "ovrigt", "polisen", "migrationsverket", "utrikes_fodda", "",
     "Stärkt samverkan mot människohandel i asylsystemet",
     "Stronger collaboration against trafficking in the asylum system"),
    ("P5", 4, "utredning", "regeringskansliet", "", "", "MVK17",
     "Utredning om olaga förföljelse och digital övervakning av en partner",
     "Inquiry into stalking and digital surveillance of a partner"),

    # P6: improved knowledge and methods
    ("P6", None, "kunskap", "bra", "", "", "MVK04",
     "Ny nationell undersökning om brott i nära relationer",
     "New national survey on crime in close relationships"),
    ("P6", None, "kunskap", "bra", "", "", "MVK05 MVK06 MVK07",
     "Fördjupad studie av dödligt våld i parrelationer",
     "In-depth study of lethal violence in partner relationships"),
    ("P6", 4, "kunskap", "nck", "", "", "",
     "Kunskapsbanken: nya ämnesguider om digitalt våld",
     "Knowledge bank: new topic guides on digital violence"),
    ("P6", None, "kunskap", "nck", "socialstyrelsen", "", "MVK20",
     "Uppdaterad webbkurs om våld för hälso- och sjukvården",
     "Updated online course on violence for health-care staff"),
    ("P6", 3, "kunskap", "barnafrid", "", "barnratt", "",
     "Kunskapsöversikt om barn som upplever våld mellan närstående",
     "Research review on children who experience violence between close persons"),
    ("P6", None, "kunskap", "folkhalsomyndigheten", "", "", "MVK25",
     "Frågor om våld i den nationella folkhälsoenkäten Hälsa på lika villkor",
     "Questions on violence in the national public health survey"),
    ("P6", None, "kunskap", "socialstyrelsen", "", "aldre", "",
     "Kunskapsstöd om våld i nära relationer inom äldreomsorgen",
     "Knowledge support on intimate partner violence in elderly care"),
    ("P6", 4, "kunskap", "jamstalldhetsmyndigheten", "", "", "",
     "Kartläggning av kvinnors utsatthet för digitalt våld",
     "Survey of women's exposure to digital violence"),
    ("P6", None, "kunskap", "jamstalldhetsmyndigheten", "nck", "hbtqi", "",
     "Kunskap om hbtqi-personers utsatthet för våld i nära relationer",
     "Knowledge of LGBTQI people's exposure to intimate partner violence"),
    ("P6", None, "kunskap", "bra", "", "", "MVK16 MVK17",
     "Utvärdering av de ändrade reglerna om kontaktförbud",
     "Evaluation of the amended contact-ban rules"),
    ("P6", None, "kunskap", "socialstyrelsen", "", "", "MVK21 MVK22 MVK23 MVK24",
     "Öppna jämförelser om våld i nära relationer: utvecklade frågor till kommunerna",
     "Open Comparisons on intimate partner violence: revised questions to municipalities"),
    ("P6", 1, "kunskap", "jamstalldhetsmyndigheten", "lansstyrelserna", "", "",
     "Kunskapsstöd om våld i samband med separation",
     "Knowledge support on violence in connection with separation"),
    ("P6", 3, "kunskap", "barnafrid", "skolverket", "barnratt", "",
     "Utbildning för förskolepersonal om barn som upplever våld",
     "Training for pre-school staff on children who experience violence"),
    ("P6", None, "kunskap", "mfd", "", "funktionsnedsattning", "",
     "Kunskap om våld mot personer med funktionsnedsättning i boenden och daglig verksamhet",
     "Knowledge of violence against people with disabilities in residential and day services"),
    ("P6", 2, "kunskap", "lansstyrelserna", "", "heder", "",
     "Webbutbildning om hedersrelaterat våld och förtryck från det nationella kompetensteamet",
     "Online training on honour-related violence and oppression from the national competence team"),
    ("P6", None, "metodutveckling", "jamstalldhetsmyndigheten", "", "", "MVK21",
     "Metodstöd för våldsförebyggande arbete i kommuner och regioner",
     "Method support for violence-prevention work in municipalities and regions"),
    ("P6", 4, "kunskap", "bra", "", "", "MVK08",
     "Studie av digitala inslag i ärenden om grov kvinnofridskränkning",
     "Study of digital elements in cases of gross violation of a woman's integrity"),
    ("P6", None, "kunskap", "folkhalsomyndigheten", "jamstalldhetsmyndigheten", "", "",
     "Samhällets kostnader för mäns våld mot kvinnor",
     "The societal costs of men's violence against women"),
    ("P6", None, "kunskap", "domstolsverket", "bra", "barnratt", "MVK16",
     "Statistik över domar om kontaktförbud och barnfridsbrott",
     "Statistics on judgments concerning contact bans and violation of a child's integrity"),
    ("P6", 3, "metodutveckling", "socialstyrelsen", "barnafrid", "barnratt", "",
     "Evidensbaserade metoder för stöd till barn som upplevt våld",
     "Evidence-based methods to support children who experienced violence"),
    ("P6", None, "kunskap", "brottsoffermyndigheten", "", "", "",
     "Handbok om bemötande av våldsutsatta från kunskapscentrum om brottsutsatta",
     "Handbook on meeting victims of violence from the knowledge centre on crime victims"),
    ("P6", 2, "kunskap", "migrationsverket", "jamstalldhetsmyndigheten", "heder utrikes_fodda", "",
     "Kunskap om hedersrelaterat våld och förtryck i asyl- och tillståndsprövningen",
     "Knowledge of honour-related violence and oppression in asylum and permit decisions"),
    ("P6", 1, "kunskap", "forsakringskassan", "", "", "",
     "Kartläggning av ekonomisk utsatthet efter våld i nära relation",
     "Mapping financial hardship after intimate partner violence"),
    ("P6", 1, "kunskap", "arbetsformedlingen", "jamstalldhetsmyndigheten", "", "",
     "Kunskapsstöd till arbetsförmedlare om våldsutsatthet",
     "Knowledge support for employment officers on exposure to violence"),
    ("P6", None, "kunskap", "skr", "", "", "",
     "Kunskapsstöd om våld i nära relationer för förtroendevalda",
     "Knowledge support on intimate partner violence for elected representatives"),
]

ILLUSTRATIVE_NOTE = (f"Illustrativ åtgärd, inte ur åtgärdsprogrammet; titel, ansvar, datum och diarienummer är "
                     f"påhittade för demodata ({GENERATOR}). / Illustrative measure, not from the action programme; "
                     f"title, responsibility, dates and reference number are invented for the demo data.")

# Government assignments carry the Government Offices' reference number (diarienummer), department
# prefix + year + serial: "Ju2024/01234". The brief gives none for the measures it names, so those get
# null; an illustrative measure gets an invented one from the department that would issue it, decided
# by its responsible agency's ministry (Ju justice, S social affairs, U education, A labour market and
# gender equality). Drawn from their own seeded generator, so the dates above do not move.
DEPARTMENT = {
    "polisen": "Ju", "aklagarmyndigheten": "Ju", "kriminalvarden": "Ju", "bra": "Ju", "domstolsverket": "Ju",
    "brottsoffermyndigheten": "Ju", "migrationsverket": "Ju",
    "socialstyrelsen": "S", "folkhalsomyndigheten": "S", "mfd": "S", "forsakringskassan": "S", "barnafrid": "S",
    "skr": "S",
    "skolverket": "U", "skolinspektionen": "U",
    "jamstalldhetsmyndigheten": "A", "lansstyrelserna": "A", "arbetsformedlingen": "A", "nck": "A",
}
REGERINGSKANSLIET_DEPARTMENT = {"lagstiftning": "Ju", "utredning": "Ju", "finansiering": "S"}  # otherwise A


def department(measure: dict) -> str:
    agency = measure["responsible"][0]
    if agency == "regeringskansliet":
        return REGERINGSKANSLIET_DEPARTMENT.get(measure["type"], "A")
    return DEPARTMENT[agency]


def add_references(measures: list[dict]) -> None:
    """``reference`` for every measure: null for the named ones, an invented unique number otherwise."""
    rng = random.Random(f"{SEED}-reference")
    used: set[str] = set()
    for measure in measures:
        reference = None
        if measure["illustrative"]:
            while reference is None or reference in used:
                reference = f"{department(measure)}{measure['start'].year}/{rng.randrange(100, 5000):05d}"
            used.add(reference)
        measure["reference"] = reference


def month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def start_date(rng: random.Random) -> date:
    """Most measures start with the 2024 appropriation directions or the programme; the rest later."""
    roll = rng.random()
    if roll < 0.3:
        return APPROPRIATION_2024
    if roll < 0.6:
        return PRESENTED
    months = rng.randrange(1, 19)                 # 2024-07 … 2025-12, first of the month
    return date(2024 + (5 + months) // 12, (5 + months) % 12 + 1, 1)


def deadline_date(rng: random.Random, type_: str, start: date) -> date | None:
    """Report dates at a month's end (agencies report "senast den 31 mars"); laws enter into force on the 1st."""
    if type_ == "finansiering" and rng.random() < 0.5:
        return None                               # a recurring grant has no end date
    if rng.random() < 0.06:
        return None
    if type_ == "lagstiftning":
        options = [d for d in (date(2025, 7, 1), date(2026, 1, 1), date(2026, 7, 1), date(2027, 1, 1))
                   if d >= start + timedelta(days=180)]
        return rng.choice(options)
    while True:
        year = rng.choices((2024, 2025, 2026, 2027), weights=(3, 4, 5, 2))[0]
        month = rng.choice((2, 3, 4, 5, 6, 9, 10, 11, 12))
        deadline = month_end(year, month)
        if deadline >= start + timedelta(days=180) and deadline <= date(2027, 12, 31):
            return deadline


def illustrative_measures(rng: random.Random, first: int) -> list[dict]:
    measures = []
    for number, (objective, area, type_, responsible, co, perspectives, indicators, sv, en) in enumerate(
            ILLUSTRATIVE, start=first):
        start = start_date(rng)
        measures.append({
            "id": f"A{number:03d}", "title": {"sv": sv, "en": en}, "responsible": responsible.split(),
            "co_responsible": co.split(), "programme_objective": objective,
            "strategy_objectives": STRATEGY[objective], "priority_area": area, "type": type_,
            "start": start, "deadline": deadline_date(rng, type_, start), "indicators": indicators.split(),
            "perspectives": perspectives.split(), "collaboration_assignment": False, "illustrative": True,
            "source_url": None, "reliability": None, "note": ILLUSTRATIVE_NOTE,
        })
    return measures


HEADER = f"""\
# The action programme's measures (BRIEF.md §5). GENERATED by {GENERATOR}:
# edit the script, not this file. Measures with `illustrative: false` are named in the brief and carry
# their source URL and reliability tag; all others are illustrative demo data (BRIEF.md §12) and say so in
# `note`. Vocabulary (objectives, areas, types, perspectives) in register.yaml; agency ids in agencies.yaml.
"""


class _Dumper(yaml.SafeDumper):
    """Plain YAML: no &anchors for repeated values (a shared date or list); lists of ids in flow style."""

    def ignore_aliases(self, data: object) -> bool:
        return True


_Dumper.add_representer(dict, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=False))
_Dumper.add_representer(list, lambda d, v: d.represent_sequence(
    "tag:yaml.org,2002:seq", v, flow_style=all(not isinstance(x, dict | list) for x in v)))


def main() -> None:
    rng = random.Random(SEED)
    measures = NAMED + illustrative_measures(rng, first=len(NAMED) + 1)
    add_references(measures)
    if len(measures) != TOTAL:
        raise SystemExit(f"expected {TOTAL} measures, have {len(measures)}")
    text = yaml.dump({"measures": measures}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    OUT.write_text(HEADER + "\n" + text, encoding="utf-8", newline="\n")
    print(f"wrote {OUT} ({len(measures)} measures, {len(NAMED)} named, {len(measures) - len(NAMED)} illustrative)")


if __name__ == "__main__":
    main()
