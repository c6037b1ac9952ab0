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

import io
import json
import math
import random
import zipfile
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


def main() -> None:
    lethal_violence()
    ntu_sexual_offences()
    reported_gross_violation(population())


if __name__ == "__main__":
    main()
