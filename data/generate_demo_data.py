"""Write the shipped demo data in the producers' own formats, with a provenance file beside each.

Why this script exists: the repository must build a full follow-up without live sources, but only
some figures are published (BRIEF.md §7). Every published figure is used as published and carries
its source URL and reliability tag ([V], [V2], [D]); every other value is generated here with a fixed
seed and tagged ``illustrative`` (BRIEF.md §12). Run it again and the files come out byte-identical:

    .venv/bin/python data/generate_demo_data.py

The provenance file (``<data file>.provenance.yaml``) lists rules matched against the warehouse codes
of each cell (first match wins); the ingest step refuses a demo cell that no rule covers.
"""

from __future__ import annotations

import json
import math
import random
from datetime import datetime
from pathlib import Path

import yaml

SEED = 20261122
RETRIEVED = "2026-11-22"
GENERATOR = f"data/generate_demo_data.py, seed {SEED}"
ROOT = Path(__file__).parent / "sources"

# ---------------------------------------------------------------------------------------------- URLs
URL_BRA_LETHAL_2021 = "https://bra.se/om-bra/nytt-fran-bra/arkiv/nyheter/2021-03-30-slutlig-brottsstatistik-2020---konstaterade-fall-av-dodligt-vald.html"
URL_NCK_1823 = "https://nck.uu.se/kunskapsbanken/sokresultat-kunskapsbanken/?id=1823&librisId=&swepubId="
URL_NCK_2954 = "https://www.nck.uu.se/kunskapsbanken/sokresultat-kunskapsbanken/?id=2954&librisId=&swepubId="
URL_NCK_3458 = "https://www.nck.uu.se/kunskapsbanken/sokresultat-kunskapsbanken/?id=3458&librisId=&swepubId="
URL_BRA_LETHAL_2023 = "https://bra.se/publikationer/arkiv/publikationer/2023-03-30-konstaterade-fall-av-dodligt-vald.html?lang=sv"
URL_BRA_LETHAL_2024 = "https://via.tt.se/pressmeddelande/3847949/92-fall-av-dodligt-vald-under-2024?lang=sv&publisherId=1026483"
URL_BRA_MORD_DRAP = "https://www.bra.se/brott-och-statistik/statistik-utifran-brottstyper/mord-och-drap.html"
URL_ROKS_2019 = "https://roks.se/aktuellt/rapporter-och-statistik/dodligt-vald-mot-kvinnor-i-parrelationer-2019"
URL_AFTONBLADET_2018 = "https://www.aftonbladet.se/nyheter/a/OpkW2q/bra-ett-av-fyra-mordoffer-i-relation-med-mordaren"
URL_LIDKOPING_2017 = "https://www.lidkopingsnytt.nu/2018/03/27/statistik-over-mord-och-dodligt-vald/"
URL_FAMILJERATT_2017 = "https://familjerattsadvokaterna.se/okning-av-dodligt-vald-mot-kvinnor/"
URL_BRA_VALD_2022 = "https://bra.se/om-bra/nytt-fran-bra/arkiv/nyheter/2023-03-08-vald-mot-kvinnor-i-fokus.html"
URL_BRA_MORD_2022 = "https://bra.se/statistik/statistik-om-brottstyper/mord-och-drap.html"
URL_NTU_2017 = "https://www.bra.se/statistik/statistik-utifran-brottstyper/valdtakt-och-sexualbrott.html"
URL_NTU_PRESS_2018 = "https://bra.se/om-bra/nytt-fran-bra/arkiv/press/2018-11-19-fler-kvinnor-uppger-att-de-utsatts-for-sexualbrott.html"
URL_NTU_LATER = "https://bra.se/statistik/statistik-om-brottstyper/valdtakt-och-sexualbrott.html"
URL_GKF_2018 = "https://jamstalld.se/brott/"
URL_GKF_2019 = "https://www.bra.se/statistik/statistik-utifran-brottstyper/hot-och-trakasserier.html"
URL_GKF_2021 = "https://www.scb.se/hitta-statistik/temaomraden/jamstalldhet/mans-vald-mot-kvinnor-ska-upphora/anmalda-brott/grov-kvinnofridskrankning/"
URL_POP_SUMMARY = "https://www.scb.se/hitta-statistik/statistik-efter-amne/befolkning/befolkningens-sammansattning/befolkningsstatistik/pong/tabell-och-diagram/helarsstatistik--riket/befolkningsstatistik-i-sammandrag/"
URL_POP_2022 = "https://www.scb.se/hitta-statistik/statistik-efter-amne/befolkning/befolkningens-sammansattning/befolkningsstatistik/pong/tabell-och-diagram/folkmangd-och-befolkningsforandringar---manad-kvartal-och-halvar/befolkningsstatistik-2020-2023-manad-och-1998-2022-ar/"
URL_POP_2024 = "https://scb.se/hitta-statistik/statistik-efter-amne/befolkning-och-levnadsforhallanden/befolkningens-sammansattning-och-utveckling/befolkningsstatistik/pong/tabell-och-diagram/folkmangd-och-befolkningsforandringar---helarsstatistik/folkmangd-i-riket-lan-och-kommuner-31-december-2024-och-befolkningsforandringar-2024"

# Sources added for MVK02–MVK04, MVK08–MVK15, MVK17–MVK25 (BRIEF.md §7.2–§7.5)
URL_JAMY_FAKTA = "https://jamstalldhetsmyndigheten.se/mans-vald-mot-kvinnor/fakta-och-statistik/"
URL_NCK_NTU_2019 = "https://nck.uu.se/kunskapsbanken/amnesguider/att-mata-vald/brottsofferundersokningar-och-valdsutsatthet/"
URL_BRA_HOT = "https://www.bra.se/statistik/statistik-utifran-brottstyper/hot-och-trakasserier.html"
URL_BRA_BNR_2024 = "https://bra.se/om-bra/nytt-fran-bra/arkiv/press/2024-05-06-fa-anmaler-utsatthet-for-vald-i-nara-relationer.html"
URL_SCB_ASSAULT_2019 = "https://www.scb.se/hitta-statistik/temaomraden/jamstalldhet/mans-vald-mot-kvinnor-ska-upphora/anmalda-brott/anmald-misshandel-offer-18-ar-och-aldre-efter-relation-och-plats-for-brottet/"
URL_BRA_NARA_2021 = "https://bra.se/statistik/statistik-utifran-brottstyper/vald-i-nara-relationer.html"
URL_BRA_NARA_2023 = "https://bra.se/statistik/statistik-om-brottstyper/vald-i-nara-relationer.html"
URL_BRA_VALD_KVINNOR_2023 = "https://bra.se/om-bra/nytt-fran-bra/arkiv/nyheter/2023-03-08-vald-mot-kvinnor-i-fokus.html"
URL_NCK_2015_ASSAULT = "https://nck.uu.se/kunskapsbanken/om-kunskapsbanken/kunskapsbankens-nyhetsarkiv/kunskapsbankens-nyhetsarkiv-2016/?tarContentId=552656"
URL_FEMPERS_2023 = "https://fempers.se/2024/4/misshandel-mot-vuxna-kvinnor-okade-2023-stora-insatser-lite-resultat/"
URL_BRA_GROV_FRID_2023 = "https://bra.se/publikationer/arkiv/publikationer/2023-06-15-grov-fridskrankning-mot-vuxen.html?lang=sv"
URL_RIKSREV_KONTAKTFORBUD = "https://riksrevisionen.se/rapporter/granskningsrapporter/2024/statens-skydd-av-hotade-personer---brister-i-omfattning-och-effektivitet/3.-kontaktforbud.html"
URL_KVV_ATERFALL = "https://www.kriminalvarden.se/forskning-och-statistik/statistik-och-fakta/aterfall/"
URL_RIKSREV_PROGRAM = "https://www.riksrevisionen.se/granskningar/granskningsrapporter/2024/verktyg-for-forandring---kriminalvardens-behandlingsverksamhet.html"
URL_SCB_MHV = "https://www.scb.se/hitta-statistik/temaomraden/jamstalldhet/jamstalld-halsa/graviditet-och-forlossning/kvinnor-som-i-samband-med-besok-vid-modrahalsovard-tillfragats-om-valdsutsatthet/"
URL_SKR_OJ_2019 = "https://skr.se/tjanster/merfranskr/oppnajamforelser/valdinararelationer.1150.html"
URL_SKR_OJ_2020 = "https://skr.se/skr/tjanster/oppnajamforelser/valdinararelationer.1150.html"
URL_KALMAR_OJ = "https://kalmar.se/kommun-och-politik/jamforelser-service-och-kvalitet-i-verksamheter/vald-i-nara-relationer.html"
URL_SOS_OJ_2024 = "https://www.socialstyrelsen.se/statistik-och-data/oppna-jamforelser/socialtjanst/vald-i-nara-relationer/"
URL_FOHM_HLV = "https://www.folkhalsomyndigheten.se/folkhalsorapportering-statistik/tolkad-rapportering/folkhalsans-utveckling/resultat/livsvillkor/utsatt-for-fysiskt-vald-eller-hot-om-vald/"

ILLUSTRATIVE_NOTE = (
    "Illustrativt värde, genererat av " + GENERATOR + "; inte officiell statistik. / "
    "Illustrative value generated by " + GENERATOR + "; not official statistics."
)


def published(match: dict, reliability: str, url: str, note: str = "") -> dict:
    rule = {"match": match, "reliability": reliability, "source_url": url}
    if note:
        rule["note"] = note
    return rule


def illustrative(match: dict, how: str) -> dict:
    return {"match": match, "reliability": "illustrative", "note": f"{ILLUSTRATIVE_NOTE} {how}"}


def write_provenance(data_file: Path, source_id: str, rules: list[dict]) -> None:
    doc = {
        "source_id": source_id,
        "data_file": data_file.name,
        "retrieved": RETRIEVED,
        "demo_data": True,
        "generated_by": GENERATOR,
        "about": "Demo data (BRIEF.md §12): published figures carry their URL and reliability tag; "
        "every other cell is illustrative.",
        "cells": rules,
    }
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=200)
    (data_file.parent / f"{data_file.name}.provenance.yaml").write_text(text, encoding="utf-8", newline="\n")


def write_brå_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Brå's export style: UTF-8 with BOM, semicolon, CRLF, decimal comma, space as thousands separator."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [";".join(header)] + [";".join(r) for r in rows]
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))


def swedish_int(n: int) -> str:
    """1744 -> '1 744' with a no-break space, as Brå's and SCB's exports write thousands."""
    return f"{n:,}".replace(",", "\u00a0")


def swedish_decimal(x: float, decimals: int = 1) -> str:
    return f"{x:.{decimals}f}".replace(".", ",")


# ------------------------------------------------------------------------------- lethal violence (§7.1)
def lethal_violence() -> None:
    """Victims by sex and partner relation, 2016–2024.

    Per year: all victims, female victims, partner cases (all, women, men). Men = all − women and
    other relation = all − partner are derived [D]. Where Brå's figure was not found (2016 beyond the
    total, the split of 2017's 11 partner cases), the value is illustrative.
    """
    #        year: (all, women, partner all, partner women, partner men), each (value, tag, url)
    V, V2, D, ILL = "V", "V2", "D", "illustrative"
    data = {
        2016: ((106, V, URL_BRA_MORD_DRAP), (27, ILL, ""), (16, ILL, ""), (13, ILL, ""), (3, ILL, "")),
        2017: ((113, V2, URL_LIDKOPING_2017), (27, V2, URL_FAMILJERATT_2017), (11, V, URL_NCK_1823),
               (9, ILL, ""), (2, ILL, "")),
        2018: ((108, V, URL_NCK_1823), (33, V2, URL_AFTONBLADET_2018), (26, V, URL_NCK_1823),
               (22, V, URL_NCK_1823), (4, V, URL_NCK_1823)),
        2019: ((111, D, URL_BRA_LETHAL_2021), (25, V, URL_ROKS_2019), (18, V, URL_ROKS_2019),
               (16, V, URL_ROKS_2019), (2, V, URL_ROKS_2019)),
        2020: ((124, V, URL_BRA_LETHAL_2021), (25, V, URL_BRA_LETHAL_2021), (17, V, URL_BRA_LETHAL_2021),
               (13, V, URL_BRA_LETHAL_2021), (4, V, URL_BRA_LETHAL_2021)),
        2021: ((113, V, URL_BRA_MORD_2022), (24, D, URL_BRA_LETHAL_2023), (19, V, URL_NCK_2954),
               (15, V, URL_BRA_VALD_2022), (4, V, URL_NCK_2954)),
        2022: ((116, V, URL_BRA_LETHAL_2023), (23, V, URL_BRA_LETHAL_2023), (10, V, URL_BRA_LETHAL_2023),
               (10, V, URL_BRA_LETHAL_2023), (0, V, URL_BRA_LETHAL_2023)),
        2023: ((121, D, URL_NCK_3458), (33, D, URL_NCK_3458), (10, V, URL_NCK_3458),
               (10, V, URL_NCK_3458), (0, V, URL_NCK_3458)),
        2024: ((92, V, URL_BRA_LETHAL_2024), (23, V, URL_BRA_LETHAL_2024), (13, V, URL_BRA_LETHAL_2024),
               (11, V, URL_BRA_LETHAL_2024), (2, V, URL_BRA_LETHAL_2024)),
    }
    sex_label = {"T": "Samtliga", "K": "Kvinnor", "M": "Män"}
    rel_label = {"T": "Samtliga", "partner": "Partner eller tidigare partner", "other": "Annan relation eller okänd"}
    rows, rules = [], []

    def derived_tag(*parts: tuple[int, str, str]) -> tuple[str, str]:
        if any(tag == ILL for _, tag, _ in parts):
            return ILL, ""
        return D, parts[0][2]

    for year, (all_, women, p_all, p_women, p_men) in data.items():
        men = (all_[0] - women[0], *derived_tag(all_, women))
        other_all = (all_[0] - p_all[0], *derived_tag(all_, p_all))
        other_women = (women[0] - p_women[0], *derived_tag(women, p_women))
        other_men = (men[0] - p_men[0], *derived_tag(men, p_men))
        cells = {
            ("T", "T"): all_, ("K", "T"): women, ("M", "T"): men,
            ("T", "partner"): p_all, ("K", "partner"): p_women, ("M", "partner"): p_men,
            ("T", "other"): other_all, ("K", "other"): other_women, ("M", "other"): other_men,
        }
        for (sex, rel), (value, tag, url) in cells.items():
            rows.append([str(year), sex_label[sex], rel_label[rel], swedish_int(value)])
            match = {"year": year, "sex": sex, "relation": rel}
            if tag == ILL:
                rules.append(illustrative(match, "Chosen to fit the published totals of that year."))
            else:
                note = "Derived by subtraction from published figures." if tag == D else ""
                rules.append(published(match, tag, url, note))
    path = ROOT / "bra_lethal_violence" / "bra_dodligt_vald_offer_kon_relation_2016-2024.csv"
    write_brå_csv(path, ["År", "Brottsoffrets kön", "Relation", "Antal brottsoffer"], rows)
    write_provenance(path, "bra_lethal_violence", rules)


# ----------------------------------------------------------------------------- NTU sexual offences (§7.3)
def ntu_sexual_offences() -> None:
    """Share exposed to sexual offences, 16–84, by sex; reference years 2016–2023 (survey 2017–2024)."""
    V, ILL = "V", "illustrative"
    #    reference year: {sex: (value, tag, url)}
    data = {
        2016: {"T": (4.7, V, URL_NTU_2017), "K": (8.0, V, URL_NTU_2017), "M": (1.0, V, URL_NTU_2017)},
        2017: {"T": (6.4, V, URL_NTU_LATER), "K": (10.7, V, URL_NTU_PRESS_2018), "M": (1.6, V, URL_NTU_PRESS_2018)},
        2018: {"T": (6.0, ILL, ""), "K": (10.1, ILL, ""), "M": (1.8, ILL, "")},
        2019: {"T": (5.6, V, URL_NTU_LATER), "K": (9.4, ILL, ""), "M": (1.7, ILL, "")},
        2020: {"T": (4.6, V, URL_NTU_LATER), "K": (7.7, ILL, ""), "M": (1.4, ILL, "")},
        2021: {"T": (4.5, ILL, ""), "K": (7.6, ILL, ""), "M": (1.4, ILL, "")},
        2022: {"T": (4.7, V, URL_NTU_LATER), "K": (7.9, ILL, ""), "M": (1.4, ILL, "")},
        2023: {"T": (3.8, V, URL_NTU_LATER), "K": (6.4, ILL, ""), "M": (1.2, ILL, "")},
    }
    sex_label = {"T": "Samtliga", "K": "Kvinnor", "M": "Män"}
    rows, rules = [], []
    for ref_year, by_sex in data.items():
        for sex, (value, tag, url) in by_sex.items():
            rows.append([str(ref_year + 1), sex_label[sex], swedish_decimal(value)])
            match = {"year": ref_year, "sex": sex}
            if tag == ILL:
                rules.append(illustrative(match, "Chosen so that women and men bracket the published total."))
            else:
                rules.append(published(match, tag, url))
    path = ROOT / "bra_ntu_sexual_offences" / "bra_ntu_sexualbrott_kon_2017-2024.csv"
    write_brå_csv(path, ["Undersökningsår", "Kön", "Andel utsatta (%)"], rows)
    write_provenance(path, "bra_ntu_sexual_offences", rules)


# ------------------------------------------------------------------------ population and counties (§7.5b)
COUNTY_SHARES = {  # approximate shares of the population, for plausible generated county values
    "01": 0.2336, "03": 0.0383, "04": 0.0284, "05": 0.0443, "06": 0.0350, "07": 0.0193, "08": 0.0235,
    "09": 0.0058, "10": 0.0150, "12": 0.1363, "13": 0.0325, "14": 0.1700, "17": 0.0268, "18": 0.0292,
    "19": 0.0266, "20": 0.0275, "21": 0.0274, "22": 0.0231, "23": 0.0125, "24": 0.0262, "25": 0.0237,
}
COUNTY_NAMES = {
    "01": "Stockholms län", "03": "Uppsala län", "04": "Södermanlands län", "05": "Östergötlands län",
    "06": "Jönköpings län", "07": "Kronobergs län", "08": "Kalmar län", "09": "Gotlands län",
    "10": "Blekinge län", "12": "Skåne län", "13": "Hallands län", "14": "Västra Götalands län",
    "17": "Värmlands län", "18": "Örebro län", "19": "Västmanlands län", "20": "Dalarnas län",
    "21": "Gävleborgs län", "22": "Västernorrlands län", "23": "Jämtlands län", "24": "Västerbottens län",
    "25": "Norrbottens län",
}


def allocate(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split an integer total in proportion to weights, exactly (largest remainder)."""
    norm = sum(weights.values())
    raw = {k: total * w / norm for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: (raw[k] - out[k], k), reverse=True)[: total - sum(out.values())]:
        out[k] += 1
    return out


def population() -> dict[int, dict[str, int]]:
    """SCB BE0101N1-style PX: population 31 Dec by region (riket + 21 län) and sex, 2015–2024.

    Returns county totals by year so that the reported-offences generator can weight by them.
    """
    V, ILL = "V", "illustrative"
    riket = {  # year: (total, women, men) with tags
        2015: ((9851017, V), (4920051, V), (4930966, V)),
        2016: ((9995153, V), (4981806, V), (5013347, V)),
        2017: ((10120242, V), (5037580, V), (5082662, V)),
        2018: ((10230185, V), (5087747, V), (5142438, V)),
        2019: ((10327589, V), (5131775, V), (5195814, V)),
        2020: ((10379295, V), (5156448, V), (5222847, V)),
        2021: ((10452326, ILL), None, None),
        2022: ((10521556, V), None, None),
        2023: ((10551707, ILL), None, None),
        2024: ((10587710, V), None, None),
    }
    url = {y: URL_POP_SUMMARY for y in range(2015, 2021)} | {2022: URL_POP_2022, 2024: URL_POP_2024}
    rng = random.Random(SEED)
    rules: list[dict] = []
    values: dict[tuple[str, str, int], int] = {}
    county_totals: dict[int, dict[str, int]] = {}
    for year, (total, women, men) in riket.items():
        if women is None:  # split illustrative, women's share as in 2020
            w = round(total[0] * 5156448 / 10379295)
            women, men = (w, ILL), (total[0] - w, ILL)
        values[("00", "1+2", year)], values[("00", "2", year)], values[("00", "1", year)] = (
            total[0], women[0], men[0])
        for sex, (_, tag) in zip(("T", "K", "M"), (total, women, men), strict=True):
            match = {"year": year, "region": "00", "sex": sex}
            rules.append(published(match, tag, url[year]) if tag == V else
                         illustrative(match, "Women's share as in 2020; sums to the riket total."))
        # Counties: shares drift slowly towards the big-city counties; jitter from the seeded generator.
        drift = (year - 2015) * 0.0004
        weights = {c: s * (1 + (drift if c in ("01", "12", "14", "03") else -drift / 3)) *
                   (1 + rng.uniform(-0.004, 0.004)) for c, s in COUNTY_SHARES.items()}
        if year == 2024:  # Stockholms län 2024 is published: 2 473 307
            fixed = {"01": 2473307}
            rest = allocate(total[0] - fixed["01"], {c: w for c, w in weights.items() if c != "01"})
            county_total = fixed | rest
        else:
            county_total = allocate(total[0], weights)
        county_women = allocate(women[0], {c: county_total[c] * (1 + rng.uniform(-0.01, 0.01))
                                           for c in county_total})
        county_totals[year] = county_total
        for c in COUNTY_SHARES:
            values[(c, "1+2", year)] = county_total[c]
            values[(c, "2", year)] = county_women[c]
            values[(c, "1", year)] = county_total[c] - county_women[c]
        if year == 2024:
            rules.append(published({"year": 2024, "region": "01", "sex": "T"}, V, URL_POP_2024))
    rules.append(illustrative({}, "County values: shares of the riket figure, seeded jitter; they add up "
                                  "to the riket value of the same year and sex."))

    regions = ["00", *COUNTY_SHARES]
    region_labels = ["Riket"] + [COUNTY_NAMES[c] for c in COUNTY_SHARES]
    sexes, sex_labels = ["1", "2", "1+2"], ["män", "kvinnor", "totalt"]
    years = [str(y) for y in riket]

    def quoted(items: list[str], per_line: int = 8) -> str:
        parts = [f'"{x}"' for x in items]
        return ",\r\n".join(",".join(parts[i:i + per_line]) for i in range(0, len(parts), per_line))

    lines = [
        'CHARSET="ANSI";', 'AXIS-VERSION="2010";', 'CODEPAGE="iso-8859-1";', 'LANGUAGE="sv";',
        'CREATION-DATE="20250221 08:00";', 'DECIMALS=0;', 'SHOWDECIMALS=0;', 'MATRIX="BE0101N1";',
        'SUBJECT-CODE="BE";', 'SUBJECT-AREA="Befolkning";',
        'TITLE="Folkmängd efter region, kön och år";', 'CONTENTS="Folkmängd";', 'UNITS="antal";',
        'STUB="region","kön";', 'HEADING="år";',
        f'VALUES("region")={quoted(region_labels, 4)};', f'VALUES("kön")={quoted(sex_labels)};',
        f'VALUES("år")={quoted(years)};', f'TIMEVAL("år")=TLIST(A1),{quoted(years)};',
        f'CODES("region")={quoted(regions)};', f'CODES("kön")={quoted(sexes)};',
        f'CODES("år")={quoted(years)};', 'ELIMINATION("kön")="totalt";',
        'SOURCE="Statistiska centralbyrån (SCB)";',
        'NOTEX="Demodata för MVK-uppföljning: riket 2015–2020 (totalt, kvinnor, män), 2022 och 2024 (totalt) '
        'samt Stockholms län 2024 är publicerade värden från SCB; övriga värden är illustrativa och inte '
        'officiell statistik (se filen .provenance.yaml).";',
        "DATA=",
    ]
    for r in regions:
        for s in sexes:
            lines.append(" ".join(str(values[(r, s, int(y))]) for y in years))
    lines[-1] += ";"
    path = ROOT / "scb_population_county_sex" / "BE0101N1_folkmangd_region_kon_2015-2024.px"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    write_provenance(path, "scb_population_county_sex", rules)
    return county_totals


# ------------------------------------------------------------------- reported gross violation (§7.2)
def reported_gross_violation(county_totals: dict[int, dict[str, int]]) -> None:
    """Reported grov kvinnofridskränkning by län, 2015–2024; riket published for 2018, 2019, 2021."""
    V, ILL = "V", "illustrative"
    riket = {2015: (1890, ILL), 2016: (1830, ILL), 2017: (1800, ILL), 2018: (1744, V), 2019: (1718, V),
             2020: (1520, ILL), 2021: (1391, V), 2022: (1420, ILL), 2023: (1460, ILL), 2024: (1430, ILL)}
    url = {2018: URL_GKF_2018, 2019: URL_GKF_2019, 2021: URL_GKF_2021}
    rng = random.Random(SEED + 1)
    rows, rules = [], []
    for year, (total, tag) in riket.items():
        rows.append([str(year), "Riket", swedish_int(total)])
        match = {"year": year, "region": "00"}
        rules.append(published(match, tag, url[year]) if tag == V else illustrative(
            match, "Follows the published level and trend (2015 'knappt 1 900', 2018–2021 published)."))
        weights = {c: n * rng.uniform(0.75, 1.25) for c, n in county_totals[year].items()}
        for c, n in allocate(total, weights).items():
            rows.append([str(year), COUNTY_NAMES[c], swedish_int(n)])
    rules.append(illustrative({}, "County values: the riket figure split by population with seeded "
                                  "variation; they add up to the riket value."))
    path = ROOT / "bra_reported_gross_violation" / "bra_anmalda_grov_kvinnofridskrankning_lan_2015-2024.csv"
    write_brå_csv(path, ["År", "Region", "Antal anmälda brott"], rows)
    write_provenance(path, "bra_reported_gross_violation", rules)


# ------------------------------------------------------------------------------------ shared helpers
FIXED_TIME = datetime(2026, 11, 22, 8, 0, 0)   # created/modified of every XLSX, so rebuilds are identical
KOMMUNER_PER_LAN = {  # municipalities per county (290 in all), for the simulated Öppna jämförelser survey
    "01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12, "09": 1, "10": 5, "12": 33, "13": 6,
    "14": 49, "17": 16, "18": 12, "19": 10, "20": 15, "21": 10, "22": 7, "23": 8, "24": 15, "25": 14,
}
POLICE_REGIONS = {  # Brå's labels and counties (indicators/codes/police_regions.yaml), Brå's table order
    "BERGSLAGEN": ("Polisregion Bergslagen", ("17", "18", "20")),
    "MITT": ("Polisregion Mitt", ("03", "19", "21")),
    "NORD": ("Polisregion Nord", ("22", "23", "24", "25")),
    "STOCKHOLM": ("Polisregion Stockholm", ("01", "09")),
    "SYD": ("Polisregion Syd", ("07", "08", "10", "12")),
    "VAST": ("Polisregion Väst", ("13", "14")),
    "OST": ("Polisregion Öst", ("04", "05", "06")),
}
SEX_LABEL = {"T": "Samtliga", "K": "Kvinnor", "M": "Män"}


def round_half_up(x: float) -> int:
    """Round as statistical tables do (0.5 up), not Python's round-half-to-even."""
    return int(math.floor(x + 0.5))


def write_xlsx(path: Path, sheets: list[tuple[str, list[list]]], *, creator: str) -> None:
    """An Excel workbook as agencies publish it, byte-identical on every run.

    openpyxl's ``save_workbook`` stamps the current time into docProps/core.xml and the zip entries, so
    the writer is called directly with fixed document dates and the archive is rewritten with a fixed
    timestamp on every entry. The first row of each sheet (its title) is bold.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from indicators.xlsx_bytes import workbook_to_bytes

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        sheet["A1"].font = Font(bold=True)
        width = max((len(str(r[0])) for r in rows if len(r) > 1), default=12)
        sheet.column_dimensions["A"].width = min(max(width + 2, 12), 40)
        for letter in "BCDE":
            sheet.column_dimensions[letter].width = 22
    workbook.properties.creator = creator
    workbook.properties.lastModifiedBy = creator
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_to_bytes(workbook, FIXED_TIME))


def cell_rule(match: dict, tag: str, url: str, how: str, note: str = "") -> dict:
    """A provenance rule for one cell: published (V, V2, D) with its URL, or illustrative with ``how``."""
    if tag == "illustrative":
        return illustrative(match, how)
    return published(match, tag, url, note)


# ------------------------------------------------------------------ NTU assault and threats (§7.3)
def ntu_assault_threats() -> None:
    """Share exposed to assault and to threats, 16–84, by sex; reference years 2016–2023 (survey 2017–2024).

    Published: assault women/men 2018–2019 and women 2020; threats women/men/all 2016–2019. The rest is
    illustrative: the all-persons assault value lies between women and men, later years follow the
    published level with a slight fall (as for the other NTU offences after 2019).
    """
    V, ILL = "V", "illustrative"
    #   reference year: {(offence, sex): (value, tag, url)}
    data = {
        2016: {("assault", "K"): (2.6, ILL, ""), ("assault", "M"): (4.6, ILL, ""), ("assault", "T"): (3.6, ILL, ""),
               ("threat", "K"): (7.6, V, URL_BRA_HOT), ("threat", "M"): (8.1, V, URL_BRA_HOT),
               ("threat", "T"): (7.9, V, URL_BRA_HOT)},
        2017: {("assault", "K"): (2.7, ILL, ""), ("assault", "M"): (4.5, ILL, ""), ("assault", "T"): (3.6, ILL, ""),
               ("threat", "K"): (8.0, V, URL_BRA_HOT), ("threat", "M"): (8.6, V, URL_BRA_HOT),
               ("threat", "T"): (8.3, V, URL_BRA_HOT)},
        2018: {("assault", "K"): (2.8, V, URL_JAMY_FAKTA), ("assault", "M"): (4.4, V, URL_JAMY_FAKTA),
               ("assault", "T"): (3.6, ILL, ""),
               ("threat", "K"): (8.9, V, URL_BRA_HOT), ("threat", "M"): (9.4, V, URL_BRA_HOT),
               ("threat", "T"): (9.1, V, URL_BRA_HOT)},
        2019: {("assault", "K"): (2.7, V, URL_JAMY_FAKTA), ("assault", "M"): (4.6, V, URL_JAMY_FAKTA),
               ("assault", "T"): (3.7, ILL, ""),
               ("threat", "K"): (8.9, V, URL_BRA_HOT), ("threat", "M"): (9.5, V, URL_BRA_HOT),
               ("threat", "T"): (9.2, V, URL_BRA_HOT)},
        2020: {("assault", "K"): (2.2, V, URL_JAMY_FAKTA), ("assault", "M"): (3.9, ILL, ""),
               ("assault", "T"): (3.1, ILL, ""),
               ("threat", "K"): (8.4, ILL, ""), ("threat", "M"): (9.0, ILL, ""), ("threat", "T"): (8.7, ILL, "")},
        2021: {("assault", "K"): (2.3, ILL, ""), ("assault", "M"): (3.8, ILL, ""), ("assault", "T"): (3.1, ILL, ""),
               ("threat", "K"): (8.3, ILL, ""), ("threat", "M"): (8.8, ILL, ""), ("threat", "T"): (8.5, ILL, "")},
        2022: {("assault", "K"): (2.4, ILL, ""), ("assault", "M"): (4.0, ILL, ""), ("assault", "T"): (3.2, ILL, ""),
               ("threat", "K"): (8.6, ILL, ""), ("threat", "M"): (9.1, ILL, ""), ("threat", "T"): (8.8, ILL, "")},
        2023: {("assault", "K"): (2.2, ILL, ""), ("assault", "M"): (3.7, ILL, ""), ("assault", "T"): (3.0, ILL, ""),
               ("threat", "K"): (8.1, ILL, ""), ("threat", "M"): (8.6, ILL, ""), ("threat", "T"): (8.3, ILL, "")},
    }
    offence_label = {"assault": "Misshandel", "threat": "Hot"}
    rows, rules = [], []
    for ref_year, cells in data.items():
        for (offence, sex), (value, tag, url) in cells.items():
            rows.append([str(ref_year + 1), offence_label[offence], SEX_LABEL[sex], swedish_decimal(value)])
            match = {"year": ref_year, "offence": offence, "sex": sex}
            note = ("Jämställdhetsmyndigheten quoting Brå NTU (2019 also NCK: " + URL_NCK_NTU_2019 + ")."
                    if url == URL_JAMY_FAKTA else "")
            rules.append(cell_rule(match, tag, url, "Between women and men, following the published level and "
                                   "trend (BRIEF.md §7.3).", note))
    path = ROOT / "bra_ntu_assault_threats" / "bra_ntu_misshandel_hot_kon_2017-2024.csv"
    write_brå_csv(path, ["Undersökningsår", "Brottstyp", "Kön", "Andel utsatta (procent)"], rows)
    write_provenance(path, "bra_ntu_assault_threats", rules)


# ----------------------------------------------------- Brott i nära relation 2022 (§7.3; MVK04)
def intimate_partner_violence_survey() -> None:
    """Brå's survey Brott i nära relation 2022: share 16–84 exposed by a partner in the last 12 months.

    Women and men by violence type are published, and the all-persons share of any violence (13,6 %).
    The all-persons values by type are illustrative: women and men weighted as in the published total.
    The 2012 round (Brå 2014:8) used another method and is not shipped as the same series.
    """
    V, ILL = "V", "illustrative"
    published_values = {("K", "T"): 15.2, ("M", "T"): 11.7, ("T", "T"): 13.6,
                        ("K", "psychological"): 12.9, ("M", "psychological"): 10.7,
                        ("K", "physical"): 2.6, ("M", "physical"): 2.0,
                        ("K", "sexual"): 4.4, ("M", "sexual"): 0.9}
    # The women's weight that reproduces the published total: 15,2 w + 11,7 (1 − w) = 13,6.
    women_weight = (13.6 - 11.7) / (15.2 - 11.7)
    type_label = {"T": "Någon form av våld", "psychological": "Psykiskt våld", "physical": "Fysiskt våld",
                  "sexual": "Sexuellt våld"}
    rows, rules = [], []
    for violence in type_label:
        for sex in ("T", "K", "M"):
            if (sex, violence) in published_values:
                value, tag = published_values[(sex, violence)], V
            else:
                k, m = published_values[("K", violence)], published_values[("M", violence)]
                value, tag = round(women_weight * k + (1 - women_weight) * m, 1), ILL
            rows.append(["2022", SEX_LABEL[sex], type_label[violence], swedish_decimal(value)])
            rules.append(cell_rule({"year": 2022, "sex": sex, "violence_type": violence}, tag, URL_BRA_BNR_2024,
                                   "Women and men weighted so that they reproduce the published all-persons "
                                   f"share of any violence (women's weight {women_weight:.3f})."))
    path = ROOT / "bra_intimate_partner_violence_survey" / "bra_brott_i_nara_relation_kon_valdstyp_2022.csv"
    write_brå_csv(path, ["År", "Kön", "Våldstyp", "Andel utsatta (procent)"], rows)
    write_provenance(path, "bra_intimate_partner_violence_survey", rules)


# ------------------------------------------- reported offences with victim and relation (§7.2, §7.5)
def reported_offences_victims() -> None:
    """Reported offences, riket 2015–2024, with the victim's sex, age and relation to the offender.

    * Assault (incl. aggravated) on victims 18+ by sex and relation: SCB's 2019 table is published in
      full; 2021 women's total and strangers are published rounded (29 300; 5 440; known 23 800 = 81 %);
      every other cell is illustrative, with the known-offender share set to Brå's published share where
      there is one (2021 men 45 %, 2023 women 81 %, men 43 %) and to the level of the years around it.
    * Grov fridskränkning + grov kvinnofridskränkning against adults in a partner relationship: 2019
      published (1 808 women, 85 men), other years illustrative, following the reported gross violation.
    * Breaches of contact bans: Riksrevisionen says about 4 000 a year; all values illustrative.
    """
    V, D, ILL = "V", "D", "illustrative"
    rng = random.Random(SEED + 20)
    relations = ("partner", "family", "known", "stranger")
    # Totals (women, men) and the share of the total committed by a known person (any of the first three).
    totals = {2015: (28700, 33480), 2016: (28210, 32960), 2017: (27890, 32310), 2018: (28080, 31540),
              2020: (28870, 29620), 2021: (29300, 30120), 2022: (26790, 29410), 2023: (28128, 29870),
              2024: (28410, 29540)}
    known_share = {2015: (0.776, 0.398), 2016: (0.779, 0.401), 2017: (0.781, 0.404), 2018: (0.784, 0.408),
                   2020: (0.802, 0.437), 2021: (23800 / 29300, 0.45), 2022: (0.794, 0.421),
                   2023: (0.81, 0.43), 2024: (0.808, 0.428)}
    # How the known offenders split, as in SCB's 2019 table: partner, family, other known person.
    split_2019 = {"K": (8819, 6150, 7339), "M": (1707, 2417, 8622)}
    published_2019 = {"K": dict(zip((*relations, "T"), (8819, 6150, 7339, 6096, 28405), strict=True)),
                      "M": dict(zip((*relations, "T"), (1707, 2417, 8622, 17960, 30706), strict=True))}
    assault: dict[tuple[int, str, str], tuple[int, str, str, str]] = {}   # (year, sex, relation) -> cell
    for year in range(2015, 2025):
        for position, sex in enumerate(("K", "M")):
            if year == 2019:
                for relation, value in published_2019[sex].items():
                    assault[(year, sex, relation)] = (value, V, URL_SCB_ASSAULT_2019, "")
                continue
            total = totals[year][position]
            known = round_half_up(total * known_share[year][position])
            weights = {r: w * rng.uniform(0.96, 1.04) for r, w in zip(relations[:3], split_2019[sex], strict=True)}
            parts = allocate(known, weights)
            if (year, sex) == (2021, "K"):
                how = ("The three known-offender relations add up to Brå's published 23 800 (81 %), split as in "
                       "SCB's 2019 table with seeded variation.")
            elif (year, sex) in {(2021, "M"), (2023, "K"), (2023, "M")}:
                how = ("Known-offender share set to Brå's published share of that year; split by relation as in "
                       "SCB's 2019 table with seeded variation.")
            else:
                how = ("Total and known-offender share follow the published level and trend (BRIEF.md §7.2); "
                       "split by relation as in SCB's 2019 table with seeded variation.")
            for relation in relations[:3]:
                assault[(year, sex, relation)] = (parts[relation], ILL, "", how)
            assault[(year, sex, "stranger")] = (total - known, ILL, "", how)
            assault[(year, sex, "T")] = (total, ILL, "", how)
    # 2021, women: Brå's published (rounded) total and strangers; the known offenders sum to 23 800, so the
    # rounded parts need not add up to the rounded total, as in Brå's own text.
    rounded = "Published by Brå rounded (total to hundreds, strangers to tens); exact counts not published."
    assault[(2021, "K", "T")] = (29300, V, URL_BRA_NARA_2021, rounded)
    assault[(2021, "K", "stranger")] = (5440, V, URL_BRA_NARA_2021, rounded)
    # 2015, women: Brå's preliminary total as NCK reported it (BRIEF.md §7.2): published, flagged p.
    preliminary = {(2015, "K", "T")}
    assault[(2015, "K", "T")] = (28700, V, URL_NCK_2015_ASSAULT,
                                 "Brå's preliminary figure (rounded to hundreds) as reported by NCK in 2016.")
    for relation in (*relations, "T"):
        for year in range(2015, 2025):
            women, men = assault[(year, "K", relation)], assault[(year, "M", relation)]
            if women[1] == V and men[1] == V:
                cell = (women[0] + men[0], D, women[2], "Women + men, both published.")
            else:
                cell = (women[0] + men[0], ILL, "", "Women + men.")
            assault[(year, "T", relation)] = cell

    violation = {2015: (1985, 70), 2016: (1930, 72), 2017: (1905, 75), 2018: (1850, 80), 2019: (1808, 85),
                 2020: (1610, 82), 2021: (1470, 78), 2022: (1505, 84), 2023: (1550, 90), 2024: (1520, 88)}
    breaches = {2015: 3650, 2016: 3790, 2017: 3910, 2018: 4040, 2019: 4160, 2020: 4290, 2021: 4110,
                2022: 3960, 2023: 4010, 2024: 4060}
    relation_label = {"partner": "Närstående genom parrelation", "family": "Närstående genom släktskap eller familj",
                      "known": "Annan relation eller bekant", "stranger": "Obekant", "T": "Samtliga"}
    offence_label = {"assault": "Misshandel inkl. grov",
                     "gross_violation_of_integrity_and_womans_integrity":
                         "Grov fridskränkning och grov kvinnofridskränkning",
                     "breach_of_contact_ban": "Överträdelse av kontaktförbud"}
    adult, all_ages = "18 år och äldre", "Samtliga åldrar"
    rows, rules = [], []
    for year in range(2015, 2025):
        for sex in ("T", "K", "M"):
            for relation in ("T", *relations):
                value, tag, url, how = assault[(year, sex, relation)]
                rows.append([str(year), offence_label["assault"], SEX_LABEL[sex], adult, relation_label[relation],
                             swedish_int(value)])
                match = {"year": year, "offence": "assault", "sex": sex, "relation": relation}
                rules.append(cell_rule(match, tag, url, how, how if tag != ILL else ""))
                if (year, sex, relation) in preliminary:
                    rules[-1]["preliminary"] = True     # the reader gives the cell flag p
        women, men = violation[year]
        for sex, value in (("T", women + men), ("K", women), ("M", men)):
            rows.append([str(year), offence_label["gross_violation_of_integrity_and_womans_integrity"],
                         SEX_LABEL[sex], adult, relation_label["partner"], swedish_int(value)])
            match = {"year": year, "offence": "gross_violation_of_integrity_and_womans_integrity", "sex": sex}
            if year == 2019:
                rules.append(published(match, D, URL_BRA_GROV_FRID_2023, "Women + men, both published.")
                             if sex == "T" else published(match, V, URL_BRA_GROV_FRID_2023))
            else:
                rules.append(illustrative(match, "Follows the published 2019 level and the trend of reported "
                                                 "grov kvinnofridskränkning (BRIEF.md §7.2); total = women + men."))
        rows.append([str(year), offence_label["breach_of_contact_ban"], SEX_LABEL["T"], all_ages,
                     relation_label["T"], swedish_int(breaches[year])])
        rules.append(illustrative({"year": year, "offence": "breach_of_contact_ban"},
                                  "Around Riksrevisionen's 'about 4 000 a year' (approximate, " +
                                  URL_RIKSREV_KONTAKTFORBUD + "); no exact yearly figure published."))
    path = ROOT / "bra_reported_offences_victims" / "bra_anmalda_brott_offer_kon_relation_2015-2024.csv"
    write_brå_csv(path, ["År", "Brott", "Brottsoffrets kön", "Brottsoffrets ålder", "Relation",
                         "Antal anmälda brott"], rows)
    write_provenance(path, "bra_reported_offences_victims", rules)


# --------------------------------------------- handled offences: person-based clearance (MVK13, MVK14)
def handled_offences_clearance() -> None:
    """Personuppklaringsprocent by police region, 2015–2024; no published figure, so all illustrative."""
    rng = random.Random(SEED + 30)
    weight = {code: sum(COUNTY_SHARES[c] for c in counties) for code, (_, counties) in POLICE_REGIONS.items()}
    riket = {"gross_violation_of_a_womans_integrity": [33, 34, 34, 35, 36, 36, 37, 38, 38, 39],
             "assault_close_relationship": [17, 17, 18, 18, 19, 18, 19, 20, 20, 21]}
    offence_label = {"gross_violation_of_a_womans_integrity": "Grov kvinnofridskränkning",
                     "assault_close_relationship": "Misshandel i nära relation"}
    rows = []
    for offence, levels in riket.items():
        region_effect = {code: rng.uniform(-4, 4) for code in POLICE_REGIONS}
        for year, level in zip(range(2015, 2025), levels, strict=True):
            values = {code: level + region_effect[code] + rng.uniform(-1.5, 1.5) for code in POLICE_REGIONS}
            shift = level - sum(values[c] * weight[c] for c in values) / sum(weight.values())
            region_values = {c: round_half_up(v + shift) for c, v in values.items()}
            national = round_half_up(sum(region_values[c] * weight[c] for c in values) / sum(weight.values()))
            rows.append([str(year), offence_label[offence], "Hela landet", str(national)])
            for code, (label, _) in POLICE_REGIONS.items():
                rows.append([str(year), offence_label[offence], label, str(region_values[code])])
    rules = [illustrative({}, "Person-based clearance: a national level rising slowly, police-region effects "
                              "with seeded variation; the national value is the regions' mean weighted by "
                              "population. Brå publishes these tables, but no figure was in BRIEF.md §7.")]
    path = ROOT / "bra_handled_offences_clearance" / "bra_personuppklaring_polisregion_2015-2024.csv"
    write_brå_csv(path, ["År", "Brott", "Polisregion", "Personuppklaringsprocent"], rows)
    write_provenance(path, "bra_handled_offences_clearance", rules)


# ------------------------------------------------ SCB Tema615: persons found guilty (MVK15), PX
def persons_found_guilty() -> None:
    """Lagförda personer with principal offence grov kvinnofridskränkning, riket by sex, 2015–2024.

    All illustrative (no figure in BRIEF.md §7): about a quarter of the reported offences' level, with the
    same trend. Women: '-' (nil), since the offence is committed by a man against a woman.
    """
    men = {2015: 412, 2016: 398, 2017: 384, 2018: 371, 2019: 362, 2020: 341, 2021: 329, 2022: 347, 2023: 361,
           2024: 368}
    years = [str(y) for y in men]
    lines = [
        'CHARSET="ANSI";', 'AXIS-VERSION="2010";', 'CODEPAGE="iso-8859-1";', 'LANGUAGE="sv";',
        'CREATION-DATE="20250617 08:00";', 'DECIMALS=0;', 'SHOWDECIMALS=0;', 'MATRIX="Tema615";',
        'SUBJECT-CODE="LE";', 'SUBJECT-AREA="Levnadsförhållanden";',
        'TITLE="Lagförda personer efter huvudbrott, kön och år";', 'CONTENTS="Lagförda personer";',
        'UNITS="antal";', 'STUB="huvudbrott","kön";', 'HEADING="år";',
        'VALUES("huvudbrott")="grov kvinnofridskränkning";', 'VALUES("kön")="män","kvinnor","totalt";',
        'VALUES("år")=' + ",".join(f'"{y}"' for y in years) + ";",
        'TIMEVAL("år")=TLIST(A1),' + ",".join(f'"{y}"' for y in years) + ";",
        'CODES("huvudbrott")="06";', 'CODES("kön")="1","2","1+2";',
        'CODES("år")=' + ",".join(f'"{y}"' for y in years) + ";",
        'ELIMINATION("kön")="totalt";', 'DATASYMBOLNIL="-";',
        'SOURCE="SCB, uppgifter från Brottsförebyggande rådet (Brå)";',
        'NOTEX="Lagförda personer = personer med lagföringsbeslut (fällande dom, strafföreläggande eller '
        'åtalsunderlåtelse) där grov kvinnofridskränkning är huvudbrott.#Demodata för MVK-uppföljning: alla '
        'värden är illustrativa och inte officiell statistik (se filen .provenance.yaml).";',
        "DATA=",
        " ".join(str(men[int(y)]) for y in years),
        " ".join('"-"' for _ in years),
        " ".join(str(men[int(y)]) for y in years) + ";",
    ]
    name = "Tema615_lagforda_grov_kvinnofridskrankning_kon_2015-2024.px"
    path = ROOT / "scb_persons_found_guilty_gross_violation" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    rules = [
        illustrative({"sex": "K"}, "'-' (nil): grov kvinnofridskränkning is committed by a man against a woman."),
        illustrative({}, "About a quarter of the level of reported grov kvinnofridskränkning, same trend; "
                         "total = men + women."),
    ]
    write_provenance(path, "scb_persons_found_guilty_gross_violation", rules)


# ------------------------------------------------------- Kriminalvården, XLSX (MVK18, MVK19)
def kriminalvarden_reconviction() -> None:
    """Reconviction (a new Kriminalvård sanction) within 3 years, by sanction; cohorts 2015–2021.

    Published: all clients, 2016 cohort 30 % (the 1999 cohort's 42 % lies outside the table and is only
    mentioned in its note). Prison and probation and the other cohorts are illustrative.
    """
    V, ILL = "V", "illustrative"
    rng = random.Random(SEED + 40)
    total = {2015: 31, 2016: 30, 2017: 30, 2018: 29, 2019: 28, 2020: 27, 2021: 28}
    rows = [["Tabell 5.1 Återfall i ny kriminalvårdspåföljd inom tre år, efter påföljd och kohort 2015–2021"],
            ["Andel (%) av klienterna som frigivits från anstalt eller påbörjat frivårdspåföljd under året"],
            [],
            ["Kohort", "Påföljd", "Andel återfall inom tre år (%)"]]
    rules = []
    for cohort, value in total.items():
        prison = value + 9 + rng.choice((-1, 0, 0, 1))
        probation = value - 4 + rng.choice((-1, 0, 1))
        for sanction, label, cell in (("T", "Samtliga", value), ("prison", "Anstalt", prison),
                                      ("probation", "Frivård", probation)):
            rows.append([cohort, label, cell])
            tag = V if (cohort, sanction) == (2016, "T") else ILL
            rules.append(cell_rule({"year": cohort, "sanction": sanction}, tag, URL_KVV_ATERFALL,
                                   "All clients follow the published level (2016 cohort 30 %) with a slight "
                                   "fall; prison above and probation below, with seeded variation."))
    rows += [[],
             ["Kohort = året då klienten frigavs från anstalt eller påbörjade frivårdspåföljd. Återfall = ny "
              "dom till kriminalvårdspåföljd inom tre år. Som jämförelse var andelen 42 % för 1999 års kohort."],
             ["Demodata för MVK-uppföljning: endast samtliga klienter, kohort 2016 (30 %), är ett publicerat "
              "värde; övriga värden är illustrativa och inte officiell statistik."],
             ["Källa: Kriminalvården, Kriminalvård och statistik (KOS)."]]
    path = ROOT / "kriminalvarden_reconviction" / "kriminalvarden_aterfall_3ar_pafoljd_kohort_2015-2021.xlsx"
    write_xlsx(path, [("Återfall", rows)], creator="Kriminalvården")
    write_provenance(path, "kriminalvarden_reconviction", rules)


def kriminalvarden_programme_completion() -> None:
    """Share of clients assessed as needing a treatment programme who completed one, 2015–2024.

    Published: 2023 prison 22 % and probation 13 % (Riksrevisionen 2024). All clients and other years are
    illustrative (a dip in 2020–2021 when group programmes paused in the pandemic).
    """
    V, ILL = "V", "illustrative"
    prison = {2015: 26, 2016: 27, 2017: 26, 2018: 25, 2019: 25, 2020: 20, 2021: 21, 2022: 22, 2023: 22, 2024: 23}
    probation = {2015: 17, 2016: 17, 2017: 16, 2018: 16, 2019: 15, 2020: 11, 2021: 12, 2022: 13, 2023: 13,
                 2024: 14}
    rows = [["Tabell 6.3 Andel klienter med behov av behandlingsprogram som fullföljt ett program, efter "
             "verksamhet och år 2015–2024"],
            ["Procent av klienterna som bedömts ha behov av ett behandlingsprogram"],
            [],
            ["År", "Verksamhet", "Andel som fullföljt program (%)"]]
    rules = []
    for year in prison:
        both = round_half_up(0.45 * prison[year] + 0.55 * probation[year])
        for sanction, label, value in (("T", "Samtliga", both), ("prison", "Anstalt", prison[year]),
                                       ("probation", "Frivård", probation[year])):
            rows.append([year, label, value])
            tag = V if year == 2023 and sanction != "T" else ILL
            how = ("All clients: prison and probation weighted 45/55 (assumed client mix)." if sanction == "T"
                   else "Around the published 2023 level, with a dip in 2020–2021 (pandemic).")
            rules.append(cell_rule({"year": year, "sanction": sanction}, tag, URL_RIKSREV_PROGRAM, how,
                                   "Riksrevisionen 2024 (RiR), quoting Kriminalvården's data."))
    rows += [[],
             ["Behandlingsprogram omfattar bland annat program mot våld i nära relation (t.ex. IDAP)."],
             ["Demodata för MVK-uppföljning: anstalt och frivård 2023 är publicerade värden (Riksrevisionen "
              "2024); övriga värden är illustrativa och inte officiell statistik."],
             ["Källa: Kriminalvården."]]
    path = ROOT / "kriminalvarden_programme_completion" / "kriminalvarden_fullfoljda_program_2015-2024.xlsx"
    write_xlsx(path, [("Program", rows)], creator="Kriminalvården")
    write_provenance(path, "kriminalvarden_programme_completion", rules)


# ----------------------------------------- Graviditetsregistret via SCB, JSON-stat 2.0 (MVK20)
def maternity_care_asked_about_violence() -> None:
    """Share of women asked about violence in maternity care, riket + 21 regions, 2015–2024.

    As SCB's PxWebApi v2 returns it (JSON-stat 2.0). Published: riket 2019 94, 2020 95, 2021 96. The rest is
    illustrative: regions rise from different starting levels towards 91–99 (BRIEF.md's examples Dalarna
    17 → 95, Jönköping 22 → 98, Norrbotten 35 → 91 as guidance), each region's distance from 100 % scaled
    so that their mean weighted by population is the riket value of the year.
    """
    V, ILL = "V", "illustrative"
    rng = random.Random(SEED + 50)
    riket = {2015: 75, 2016: 80, 2017: 85, 2018: 89, 2019: 94, 2020: 95, 2021: 96, 2022: 96, 2023: 96, 2024: 96}
    guidance_end = {"20": 95.0, "06": 98.0, "25": 91.0}
    start = {c: rng.uniform(50, 88) for c in COUNTY_SHARES} | {"20": 52.0, "06": 60.0, "25": 62.0}
    end = {c: guidance_end.get(c, rng.uniform(95, 99.5)) for c in COUNTY_SHARES}
    speed = {c: rng.uniform(0.55, 0.8) for c in COUNTY_SHARES}
    values: dict[tuple[str, int], int] = {}
    for year, level in riket.items():
        raw = {c: end[c] - (end[c] - start[c]) * speed[c] ** (year - 2015) for c in COUNTY_SHARES}
        # Scale every region's distance from 100 % by one factor, so that the population-weighted mean is
        # the riket value, the order of the regions is kept and no region passes 100.
        gap = sum((100 - raw[c]) * COUNTY_SHARES[c] for c in raw) / sum(COUNTY_SHARES.values())
        factor = (100 - level) / gap
        for c, v in raw.items():
            values[(c, year)] = min(100, max(0, round_half_up(100 - (100 - v) * factor)))
        values[("00", year)] = level
    regions = ["00", *COUNTY_SHARES]
    years = [str(y) for y in riket]
    label = {"00": "Riket"} | COUNTY_NAMES
    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": "Andel kvinnor som tillfrågats om våldsutsatthet vid besök i mödrahälsovården efter region "
                 "och år",
        "source": "SCB",
        "updated": "2025-03-27T07:00:00Z",
        "note": [
            "Uppgifterna kommer från Graviditetsregistret och avser kvinnor som vid besök i mödrahälsovården "
            "tillfrågats om de utsatts för våld, i procent av de registrerade.",
            "Demodata för MVK-uppföljning: riket 2019–2021 är publicerade värden från SCB; övriga värden är "
            "illustrativa och inte officiell statistik (se filen .provenance.yaml).",
        ],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [len(regions), 1, len(years)],
        "dimension": {
            "Region": {
                "label": "region",
                "category": {"index": {r: i for i, r in enumerate(regions)}, "label": {r: label[r] for r in regions}},
                "extension": {"elimination": False, "show": "value"},
            },
            "ContentsCode": {
                "label": "tabellinnehåll",
                "category": {
                    "index": {"0000MVK1": 0},
                    "label": {"0000MVK1": "Andel kvinnor som tillfrågats om våld, procent"},
                    "unit": {"0000MVK1": {"base": "procent", "decimals": 0}},
                },
                "extension": {"elimination": False, "refperiod": {"0000MVK1": "Kalenderår"}, "show": "value",
                              "measuringType": {"0000MVK1": "Other"}},
            },
            "Tid": {
                "label": "år",
                "category": {"index": {y: i for i, y in enumerate(years)}, "label": {y: y for y in years}},
                "extension": {"elimination": False, "show": "code"},
            },
        },
        "extension": {
            "px": {"infofile": "LE0201", "tableid": "LE0201MHV", "decimals": 0, "official-statistics": True,
                   "aggregallowed": False, "copyright": False, "language": "sv",
                   "contents": "Andel kvinnor som tillfrågats om våld", "descriptiondefault": False,
                   "heading": ["ContentsCode", "Tid"], "stub": ["Region"], "matrix": "LE0201MHV",
                   "subject-code": "LE", "subject-area": "Levnadsförhållanden"},
            "discontinued": None,
            "contact": [{"name": "Statistikservice", "organization": "SCB", "phone": "010-479 50 00",
                         "mail": "information@scb.se"}],
        },
        "value": [values[(r, int(y))] for r in regions for y in years],
    }
    path = ROOT / "scb_maternity_care_asked_about_violence" / "LE0201MHV_tillfragade_om_vald_region_2015-2024.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8"))
    rules = []
    for year in riket:
        tag = V if year in (2019, 2020, 2021) else ILL
        rules.append(cell_rule({"year": year, "region": "00"}, tag, URL_SCB_MHV,
                               "Rising towards the published 2019–2021 level (SCB's basis; JämY's 2018 figure "
                               "of 88 % has another basis and is not spliced in)."))
    rules.append(illustrative({}, "Regions: a seeded rise from different starting levels, the distance from "
                                  "100 % scaled so that the population-weighted mean is the riket value "
                                  "(BRIEF.md §7.4's start/end examples used as guidance only); SCB's table has "
                                  "all 21 regions."))
    write_provenance(path, "scb_maternity_care_asked_about_violence", rules)


# ------------------------------------- Socialstyrelsen Öppna jämförelser, XLSX (MVK21–MVK24)
OJ_INDICATORS = {
    # source id: (sheet title, value column, riket {year: (value, tag, url, note)}, seed offset)
    "socialstyrelsen_oj_perpetrator_support_talks": (
        "Kommunen erbjuder stödsamtal till våldsutövare",
        "Erbjuder stödsamtal till våldsutövare, andel kommuner (%)",
        {2017: 50, 2018: 55, 2019: 60,
         2020: (70, "illustrative", "", "ÖJ 2020: 'ungefär 7 av 10' (+10 pp), approximate: " + URL_SKR_OJ_2020),
         2021: (74, "illustrative", "", "74 % in a municipal summary whose year is uncertain (probably 2021): "
                + URL_KALMAR_OJ),
         2022: 75, 2023: 77, 2024: 73},
        61),
    "socialstyrelsen_oj_schooling_routine": (
        "Kommunen har rutin för skolgång för barn i skyddat boende",
        "Rutin för skolgång för barn i skyddat boende, andel kommuner (%)",
        {2017: 12,
         2018: (15, "D", URL_SKR_OJ_2019, "22 % in 2019 was 7 percentage points above 2018: 22 − 7 = 15."),
         2019: (22, "V", URL_SKR_OJ_2019, ""), 2020: (21, "V", URL_SKR_OJ_2020, ""),
         2021: (24, "illustrative", "", "24 % in a municipal summary whose year is uncertain (probably 2021): "
                + URL_KALMAR_OJ),
         2022: 25, 2023: 27, 2024: 30},
        62),
    "socialstyrelsen_oj_systematic_follow_up": (
        "Kommunen följer systematiskt upp insatser till våldsutsatta",
        "Följer systematiskt upp insatser till våldsutsatta, andel kommuner (%)",
        {2017: 8, 2018: 9, 2019: 10, 2020: 12,
         2021: (13, "illustrative", "", "13 % in a municipal summary whose year is uncertain (probably 2021): "
                + URL_KALMAR_OJ),
         2022: 14, 2023: 16, 2024: 15},
        63),
    "socialstyrelsen_oj_police_agreement": (
        "Kommunen har skriftlig överenskommelse med polisen om samverkan i enskilda ärenden",
        "Skriftlig överenskommelse med polisen, andel kommuner (%)",
        {2017: 18, 2018: 19, 2019: 21, 2020: 22, 2021: 24, 2022: 25, 2023: 27,
         2024: (28, "V", URL_SOS_OJ_2024, "")},
        64),
}


def _oj_count(target: int, responding: int) -> int:
    """The number of fulfilling municipalities whose share of ``responding`` rounds to ``target`` %."""
    guess = round_half_up(target * responding / 100)
    for candidate in sorted(range(max(0, guess - 3), min(responding, guess + 3) + 1), key=lambda f: abs(f - guess)):
        if round_half_up(100 * candidate / responding) == target:
            return candidate
    raise ValueError(f"no count of {responding} municipalities gives {target} %")


def oppna_jamforelser() -> None:
    """Four ÖJ indicators, riket + 21 län, 2017–2024, one workbook each (contents sheet, then the table).

    Each municipality's answer (fulfils or not) is simulated: a latent score from a county effect and a
    municipal effect (both seeded, kept across years) plus yearly noise; the best-scoring municipalities
    fulfil the indicator, as many as give the riket share of the year among the ~95 % that respond. Län
    values are then the share of the county's responding municipalities, so they are consistent with the
    riket value by construction (Gotland, one municipality, is 0 or 100).
    """
    for source_id, (title, value_column, riket, seed_offset) in OJ_INDICATORS.items():
        rng = random.Random(SEED + seed_offset)
        municipalities = [(c, i) for c, n in KOMMUNER_PER_LAN.items() for i in range(n)]
        county_effect = {c: rng.gauss(0, 0.35) for c in KOMMUNER_PER_LAN}
        base = {m: county_effect[m[0]] + rng.gauss(0, 1) for m in municipalities}
        values: dict[tuple[str, int], int] = {}
        for year, spec in riket.items():
            target = spec[0] if isinstance(spec, tuple) else spec
            responding = [m for m in municipalities if m[0] == "09" or rng.random() < 0.95]
            fulfilling = _oj_count(target, len(responding))
            score = {m: base[m] + rng.gauss(0, 0.25) for m in responding}
            chosen = set(sorted(responding, key=lambda m: (-score[m], m))[:fulfilling])
            values[("00", year)] = round_half_up(100 * len(chosen) / len(responding))
            assert values[("00", year)] == target
            for county in KOMMUNER_PER_LAN:
                answered = [m for m in responding if m[0] == county]
                values[(county, year)] = round_half_up(100 * sum(m in chosen for m in answered) / len(answered))
        rows = [[f"Öppna jämförelser – våld i nära relationer 2017–2024. {title}"],
                ["Andel (%) av de kommuner som besvarat enkäten, riket och län"],
                [],
                ["Län", "År", value_column]]
        for region in ["00", *COUNTY_NAMES]:
            for year in riket:
                rows.append(["Riket" if region == "00" else COUNTY_NAMES[region], year, values[(region, year)]])
        rows += [[],
                 ["Fr.o.m. 2024 avser frågorna de senaste 24 månaderna; 2024 är inte jämförbart med tidigare år."],
                 ["Demodata för MVK-uppföljning: se filen .provenance.yaml för vilka värden som är publicerade; "
                  "övriga värden är illustrativa och inte officiell statistik."],
                 ["Källa: Socialstyrelsen, Öppna jämförelser – våld i nära relationer (kommunenkäten)."]]
        contents = [["Öppna jämförelser – våld i nära relationer"],
                    [],
                    ["Innehåll"],
                    [f"Tabell 1: {title}. Andel (%) av kommunerna, riket och län, 2017–2024"],
                    [],
                    ["Indikatorn redovisas som andel av de kommuner som besvarat enkäten."],
                    ["Källa: Socialstyrelsen."]]
        rules = []
        for year, spec in riket.items():
            if isinstance(spec, tuple):
                value, tag, url, note = spec
                rules.append(cell_rule({"year": year, "region": "00"}, tag, url, note, note))
            else:
                rules.append(illustrative({"year": year, "region": "00"},
                                          "Follows the level and trend of the published ÖJ figures "
                                          "(BRIEF.md §7.4)."))
        rules.append(illustrative({}, "Län: share of the county's responding municipalities in a seeded "
                                      "simulation of each municipality's answer, consistent with the riket "
                                      "value of the year."))
        stem = source_id.removeprefix("socialstyrelsen_oj_")
        path = ROOT / source_id / f"oj_vald_i_nara_relationer_{stem}_lan_2017-2024.xlsx"
        write_xlsx(path, [("Innehåll", contents), ("Tabell 1", rows)], creator="Socialstyrelsen")
        write_provenance(path, source_id, rules)


# ------------------------------------------ Folkhälsomyndigheten, Hälsa på lika villkor (MVK25)
def hlv_violence_threats() -> None:
    """Share 16–84 exposed to physical violence or threats of violence, by sex; survey years 2016–2024.

    Published: 2020, 6,6 % for women and men alike (so also for all). Other survey years illustrative,
    falling slowly, men slightly above women before 2020 and after.
    """
    V, ILL = "V", "illustrative"
    data = {2016: (7.5, 7.1, 7.9), 2018: (7.2, 6.9, 7.4), 2020: (6.6, 6.6, 6.6), 2022: (6.5, 6.3, 6.6),
            2024: (6.3, 6.1, 6.4)}
    lines = ["Utsatt för fysiskt våld eller hot om våld, andel (%) efter kön, 16–84 år, 2016–2024"]
    rows, rules = [], []
    for year, triple in data.items():
        for sex, value in zip(("T", "K", "M"), triple, strict=True):
            rows.append([str(year), SEX_LABEL[sex], swedish_decimal(value)])
            tag = V if year == 2020 else ILL
            rules.append(cell_rule({"year": year, "sex": sex}, tag, URL_FOHM_HLV,
                                   "Follows the published 2020 level with a slow fall; men slightly above "
                                   "women outside 2020.",
                                   "Folkhälsomyndigheten: 6,6 % in 2020, the same for women and men."))
    path = ROOT / "folkhalsomyndigheten_hlv_violence_threats" / "hlv_vald_hot_kon_2016-2024.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\r\n".join([*lines, "", ";".join(["År", "Kön", "Andel (procent)"]),
                        *(";".join(r) for r in rows)]) + "\r\n"
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    write_provenance(path, "folkhalsomyndigheten_hlv_violence_threats", rules)


def main() -> None:
    lethal_violence()
    ntu_sexual_offences()
    reported_gross_violation(population())
    ntu_assault_threats()
    intimate_partner_violence_survey()
    reported_offences_victims()
    handled_offences_clearance()
    persons_found_guilty()
    kriminalvarden_reconviction()
    kriminalvarden_programme_completion()
    maternity_care_asked_about_violence()
    oppna_jamforelser()
    hlv_violence_threats()


if __name__ == "__main__":
    main()
