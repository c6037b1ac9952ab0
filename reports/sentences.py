"""The assessment in words: sv and en sentences from the facts of ``indicators.assessment``.

``indicators/assessment.py`` decides (class, period, end values, breaks, which points are
illustrative); this module only writes, with every word from ``indicators/messages/sentences.yaml``.
The sentences follow Swedish statistical style (docs/assessment.md, "Sentences"):

* the subject in the definite form and lower case ("andelen kvinnor som …", "antalet anmälda …"),
  capitalised only where it opens a sentence;
* numbers up to twelve in words when they count things ("tre värden"), digits for measured values;
* the verb never contradicts the class: a rise or fall only for a verdict of change, shown with as
  many decimals as it takes to see it; within ±1 % a year "låg kvar på ungefär 48 %" when both ends
  round to the same whole value, else both values and "en förändring på mindre än 1 procent per år";
* what the verdict cannot show by itself is said after it: a baseline that moved, a break that cuts
  the period, and which points are illustrative and which published (BRIEF §12).
"""

from __future__ import annotations

import math
import string

from indicators.assessment import BASELINE_FALLBACK_YEARS, MIN_POINTS, Assessment
from indicators.flags import ILLUSTRATIVE_MARKER
from indicators.formatting import format_value, rounded
from indicators.i18n import LANGUAGES, catalogue, t
from indicators.registry import TOTAL_CODES, IndicatorSpec
from indicators.sources import municipality_codes, police_region_codes, region_codes

PROPER_NAME_COLUMNS = {"agency", "programme_objective"}


def sentences(a: Assessment, spec: IndicatorSpec) -> dict[str, str]:
    """The assessment of one series as one short paragraph per language."""
    return {lang: sentence(a, spec, lang) for lang in LANGUAGES}


def sentence(a: Assessment, spec: IndicatorSpec, lang: str) -> str:
    words = _Words(a, spec, lang)
    parts = [words.main()]
    parts += words.notes()
    rests = words.rests_on()
    if rests:
        parts.append(rests)
    return " ".join(parts)


def marked(text: str, illustrative: bool) -> str:
    """The text as a download or caption shows it: followed by the illustrative marker when it rests on one."""
    return f"{text} {ILLUSTRATIVE_MARKER}" if illustrative else text


# -------------------------------------------------------------------------------------- small words
def number_word(n: int, lang: str) -> str:
    """1–12 in words ("tre", "three"), digits from 13 on: counts of things, not measured values."""
    key = f"sentences.number.{n}"
    return t(key, lang) if 1 <= n <= 12 else str(n)


def year_list(years: tuple[int, ...] | list[int], lang: str) -> str:
    """Years as a reader writes them: runs as ranges ("2018–2022"), the rest joined "2016, 2018 och 2023"."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    items = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + t("sentences.list_and", lang) + items[-1]


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def about(value: float) -> tuple[float, int]:
    """A value rounded as "ungefär" asks: whole units, two significant figures from 100, one below 1."""
    magnitude = abs(value)
    if magnitude >= 100:
        step = 10 ** (int(math.floor(math.log10(magnitude))) - 1)
        return float(rounded(value / step, 0)) * step, 0
    if magnitude >= 1 or magnitude == 0:
        return float(rounded(value, 0)), 0
    decimals = -int(math.floor(math.log10(magnitude)))
    return float(rounded(value, decimals)), decimals


# -------------------------------------------------------------------------------------------- words
class _Words:
    def __init__(self, a: Assessment, spec: IndicatorSpec, lang: str):
        self.a, self.spec, self.lang = a, spec, lang

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    # the subject ---------------------------------------------------------------------------------
    def subject(self) -> str:
        """The series in the definite form, lower case: "andelen kvinnor som utsattes för sexualbrott"."""
        messages = catalogue()
        key = f"sentences.subject.{self.spec.id}"
        if key in messages:
            template = messages[key][self.lang]
        else:       # an indicator without a subject yet: its name, lower case unless it opens with an acronym
            name = self.spec.name[self.lang]
            template = name[:1].lower() + name[1:] if name[1:2].islower() else name
        slots = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        filled = {column: self.slot(column, self.a.breakdown.get(column, TOTAL_CODES.get(column, "")))
                  for column in slots}
        text = template.format(**filled)
        for column, code in self.a.breakdown.items():
            if column in slots or column == "statistic" or code == TOTAL_CODES.get(column):
                continue
            if column in ("region", "police_region"):
                text += self.slot(column, code)          # " i Stockholms län"
            else:
                text += self.t("sentences.among", group=self.slot(column, code))
        return text

    def slot(self, column: str, code: str) -> str:
        messages = catalogue()
        for key in (f"sentences.slot.{self.spec.id}.{column}.{code}", f"sentences.slot.{column}.{code}"):
            if key in messages:
                return messages[key][self.lang]
        if code == TOTAL_CODES.get(column) or code == "":
            return ""
        if column in ("region", "police_region"):
            return self.t("sentences.place", place=_place(column, code, self.lang))
        label = f"code.{column}.{code}"
        text = t(label, self.lang) if label in messages else code
        # Agencies and programme objectives ("P1: Struktur …") are names: they keep their capitals.
        return text if column in PROPER_NAME_COLUMNS else text.lower()

    # values -------------------------------------------------------------------------------------
    def value(self, value: float, decimals: int) -> str:
        text = format_value(value, self.spec.unit, decimals, self.lang)
        if self.spec.unit == "per_100k":
            return self.t("sentences.value.per_100k", value=text)
        return text

    def when(self, year: int) -> str:
        return self.t("sentences.when_count" if self.spec.unit == "count" else "sentences.when", year=year)

    def breaks(self, years: tuple[int, ...] | list[int]) -> str:
        return self.t("sentences.breaks.one" if len(years) == 1 else "sentences.breaks.many",
                      years=year_list(years, self.lang))

    # the main sentence ----------------------------------------------------------------------------
    def main(self) -> str:
        a, subject = self.a, self.subject()
        if a.rule in ("down_star", "contextual"):
            return self.t(f"sentences.{a.rule}", subject=subject)
        if a.rule == "no_baseline":
            return capitalise(self.t("sentences.no_baseline", subject=subject, baseline_year=a.requested_baseline_year,
                                     fallback=number_word(BASELINE_FALLBACK_YEARS, self.lang)))
        if a.rule == "too_few_points":
            one = a.n_points == 1
            count = self.t("sentences.values.one") if one else self.t(
                "sentences.values.many", count=number_word(a.n_points, self.lang))
            return capitalise(self.t("sentences.too_few_points", subject=subject, baseline_year=a.baseline_year,
                                     count=count, minimum=number_word(MIN_POINTS, self.lang),
                                     is_are=self.t("sentences.is_are.one" if one else "sentences.is_are.many")))
        if a.rule == "break":
            return capitalise(self.t("sentences.break", subject=subject,
                                     latest=self.value(a.latest_value, self.spec.decimals),
                                     latest_when=self.when(a.latest_year), breaks=self.breaks(a.breaks),
                                     minimum=number_word(MIN_POINTS, self.lang)))
        return capitalise(self.change(subject))

    def change(self, subject: str) -> str:
        a = self.a
        mean = a.rule == "rolling_mean"
        decimals = a.display_decimals
        first, last = a.period
        parts = {"subject": subject, "start": self.value(a.start_value, decimals),
                 "end": self.value(a.end_value, decimals), "start_year": first, "end_year": last,
                 "start_when": self.when(first), "end_when": self.when(last),
                 "start_period": f"{a.start_years[0]}–{a.start_years[-1]}",
                 "end_period": f"{a.end_years[0]}–{a.end_years[-1]}"}
        suffix = "_mean" if mean else ""
        if a.rule == "ci_overlap":
            return self.t("sentences.ci_overlap", **parts)
        if a.progress in ("improving", "deteriorating"):
            verb = a.visible_change if a.visible_change != "none" else (
                "rose" if a.end_value > a.start_value else "fell")
            return self.t(f"sentences.change.{verb}{suffix}", **parts)
        if a.visible_change == "none":
            return self.t(f"sentences.steady.same{suffix}", **parts)
        (start_about, d1), (end_about, d2) = about(a.start_value), about(a.end_value)
        if start_about == end_about:
            return self.t(f"sentences.steady.about{suffix}", **parts,
                          about=self.value(end_about, max(d1, d2)))
        return self.t(f"sentences.steady.small{suffix}", **parts)

    # what follows it ------------------------------------------------------------------------------
    def notes(self) -> list[str]:
        a, out = self.a, []
        if a.period is None:
            return out
        first, last = a.period
        if "baseline_fallback" in a.notes:
            out.append(self.t("sentences.note.baseline_fallback", baseline_year=a.requested_baseline_year, used=first))
        if a.starts_at_break is not None:
            crossed = [b for b in a.breaks if b <= a.starts_at_break]
            out.append(self.t("sentences.note.starts_at_break", breaks=self.breaks(crossed), first=first))
        if a.ends_before_break is not None:
            after = [b for b in a.breaks if b > last]
            out.append(self.t("sentences.note.ends_before_break", breaks=self.breaks(after), last=last,
                              break_year=a.ends_before_break))
        if "zero_baseline" in a.notes and a.end_value:      # from 0 to 0 there is no change to measure
            out.append(self.t("sentences.note.zero_baseline"))
        return out

    def rests_on(self) -> str:
        """Which points the verdict rests on, when any of them, or any other point of its period, is illustrative."""
        a = self.a
        if not a.illustrative:
            mixed = a.period is not None and len(a.published_years) < a.n_points
            if mixed:     # the series has illustrative values beside these: say that the verdict does not use them
                return self.t("sentences.rests.published", published=self.points("published", a.used_years))
            return ""
        if a.rule == "break":
            return self.t("sentences.rests.latest_illustrative", year=a.latest_year)
        ill = self.points("illustrative", a.illustrative_years)
        used_published = a.published_used_years
        if used_published:
            pub = self.points("published", used_published)
            first, second = (ill, pub) if a.illustrative_years[0] < used_published[0] else (pub, ill)
            return self.t("sentences.rests.mixed", first=first, second=second)
        if a.published_years:
            return self.t("sentences.rests.illustrative_published_elsewhere", illustrative=ill,
                          published=self.points("published_exists", a.published_years))
        return self.t("sentences.rests.illustrative")

    def points(self, kind: str, years: tuple[int, ...]) -> str:
        return self.t(f"sentences.points.{kind}.{'one' if len(years) == 1 else 'many'}",
                      years=year_list(years, self.lang))


def _place(column: str, code: str, lang: str) -> str:
    """A county, municipality or police region as it stands mid-sentence ("polisregion Nord")."""
    if column == "region":
        names = region_codes().get(code)
        return names[lang] if names else municipality_codes().get(code, code)
    names = police_region_codes().get(code)
    name = names[lang] if names else code
    for prefix in ("Polisregion ", "Police region "):
        if name.startswith(prefix):
            return prefix.lower() + name[len(prefix):]
    return name
