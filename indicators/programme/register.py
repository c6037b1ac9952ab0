"""The action programme's measure register, read from ``DATA_DIR/programme/*.yaml`` (BRIEF.md §5).

Four files: ``register.yaml`` (the vocabulary: programme objectives P1–P6 and their strategy
objectives, priority areas, the proposed status taxonomy, derived states, perspectives, obstacle
categories, measure types and the 2024 collaboration assignment), ``agencies.yaml``,
``key_figures.yaml`` and ``measures.yaml`` (132 measures, A001–A132). ``load_register`` checks every
cross-reference and raises ``ValueError`` naming the file and the entry, so a typo in an agency id
stops the build instead of dropping a measure from an agency's page. Pure Python, no Dagster.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import yaml

from indicators.yaml_text import load_yaml

LANGUAGES = ("sv", "en")
MEASURE_ID = re.compile(r"^A\d{3}$")
INDICATOR_ID = re.compile(r"^MVK\d{2}$")
SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
OBJECTIVE_ID = re.compile(r"^P\d$")
# The Government Offices' reference number (diarienummer) of a government assignment: department
# prefix (Ju, S, U, A, Fi …), year, five-digit serial, as in "A2024/00628".
REFERENCE = re.compile(r"^[A-Z][a-z]?\d{4}/\d{5}$")
STRATEGY_OBJECTIVES = (1, 2, 3, 4)
RELIABILITY = ("V", "V2", "D", "U")
FILES = ("register.yaml", "agencies.yaml", "key_figures.yaml", "measures.yaml")


@dataclass(frozen=True)
class Agency:
    id: str
    name: dict[str, str]
    aliases: tuple[str, ...]
    key_figures: tuple[str, ...]


@dataclass(frozen=True)
class KeyFigure:
    id: str
    agency: str
    label: dict[str, str]
    unit: str
    indicator: str | None
    perpetrator_focused: bool


@dataclass(frozen=True)
class KeyFigureRelation:
    """How key figures of one agency and year hang together (``relations`` in key_figures.yaml).

    ``sum``: ``members[0]`` (the total) = the sum of ``members[1:]`` (the parts); disclosure control
    protects it exactly. ``order``: each member ≥ the next; checked on the data, but an ordering only
    bounds a hidden figure, and interval attacks are out of scope (docs/disclosure.md).
    """

    id: str
    kind: str                   # "sum" | "order"
    members: tuple[str, ...]

    @property
    def total(self) -> str | None:
        return self.members[0] if self.kind == "sum" else None

    @property
    def parts(self) -> tuple[str, ...]:
        return self.members[1:] if self.kind == "sum" else ()


RELATION_KINDS = ("sum", "order")


@dataclass(frozen=True)
class Measure:
    id: str
    title: dict[str, str]
    responsible: tuple[str, ...]
    co_responsible: tuple[str, ...]
    programme_objective: str
    strategy_objectives: tuple[int, ...]
    priority_area: int | None
    type: str
    start: date
    deadline: date | None
    indicators: tuple[str, ...]
    perspectives: tuple[str, ...]
    collaboration_assignment: bool
    illustrative: bool
    source_url: str | None
    note: str | None
    reliability: str | None = None      # the source's tag (BRIEF.md §0) for measures the brief names
    reference: str | None = None        # the assignment's diarienummer ("Ju2024/01234"); invented if illustrative

    @property
    def agencies(self) -> tuple[str, ...]:
        """Responsible, then co-responsible agency ids."""
        return self.responsible + self.co_responsible


@dataclass(frozen=True)
class FollowUpDate:
    """A date at which every measure's status is kept (``follow_up_dates`` in register.yaml).

    ``year`` is the report year whose agency reports the date is judged on; ``in_depth`` marks the
    biennial in-depth follow-ups (BRIEF.md §4), ``annual`` the yearly runs.
    """

    date: date
    annual: bool
    in_depth: bool
    label: dict[str, str]

    @property
    def year(self) -> int:
        return self.date.year


@dataclass(frozen=True)
class Register:
    objectives: dict[str, dict]
    priority_areas: dict[int, dict]
    statuses: dict[str, dict]
    derived_states: dict[str, dict]
    perspectives: dict[str, dict]
    obstacle_categories: dict[str, dict]
    measure_types: dict[str, dict]
    collaboration_assignment: dict
    agencies: dict[str, Agency]
    key_figures: dict[str, KeyFigure]
    measures: dict[str, Measure]
    status_taxonomy: dict = field(default_factory=dict)   # {"proposal": True, "note": {sv, en}}
    programme: dict = field(default_factory=dict)         # title, period, presented, measure_count, source
    key_figure_relations: tuple[KeyFigureRelation, ...] = ()   # key_figures.yaml ``relations``
    follow_up_dates: tuple[FollowUpDate, ...] = ()             # register.yaml ``follow_up_dates``, by date


class _Check:
    """Raises ``ValueError("<file>: <entry>: <problem>")``."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, entry: object, problem: str) -> NoReturn:
        raise ValueError(f"{self.file}: {entry}: {problem}")

    def mapping(self, value: object, entry: object, what: str) -> dict:
        if not isinstance(value, dict):
            self.fail(entry, f"{what} must be a mapping, got {type(value).__name__}")
        return value

    def sequence(self, value: object, entry: object, what: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(entry, f"{what} must be a list, got {type(value).__name__}")
        return value

    def texts(self, value: object, entry: object, what: str) -> dict[str, str]:
        value = self.mapping(value, entry, what)
        for lang in LANGUAGES:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                self.fail(entry, f"{what} has no {lang!r} text")
        return {lang: value[lang] for lang in LANGUAGES}

    def boolean(self, value: object, entry: object, what: str) -> bool:
        if not isinstance(value, bool):
            self.fail(entry, f"{what} must be true or false, got {value!r}")
        return value

    def day(self, value: object, entry: object, what: str) -> date:
        if isinstance(value, date):
            return date(value.year, value.month, value.day)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(entry, f"{what} must be an ISO date (YYYY-MM-DD), got {value!r}")

    def ids(self, values: object, entry: object, what: str, known: dict | tuple, kind: str) -> tuple:
        result = tuple(self.sequence(values, entry, what))
        for value in result:
            if not isinstance(value, str) or value not in known:
                self.fail(entry, f"unknown {kind} {value!r} in {what}")
        if len(set(result)) != len(result):
            self.fail(entry, f"{what} lists an id twice: {list(result)}")
        return result

    def indicators(self, values: object, entry: object, what: str) -> tuple[str, ...]:
        result = tuple(self.sequence(values, entry, what))
        for value in result:
            if not isinstance(value, str) or not INDICATOR_ID.match(value):
                self.fail(entry, f"indicator id {value!r} in {what} is not of the form MVKnn")
        return result

    def entries(self, items: object, what: str, key: str = "code") -> dict[Any, dict]:
        """A list of mappings with an id field, as a dict by id; duplicate ids are an error."""
        result: dict[Any, dict] = {}
        for position, item in enumerate(self.sequence(items, what, what), start=1):
            item = self.mapping(item, f"{what} #{position}", "an entry")
            ident = item.get(key)
            if not isinstance(ident, str | int) or ident == "":
                self.fail(f"{what} #{position}", f"has no {key!r} (or it is not a single text or number)")
            if ident in result:
                self.fail(ident, f"duplicate {key} in {what}")
            result[ident] = item
        if not result:
            self.fail(what, "is empty")
        return result


def _read(folder: Path, name: str) -> dict:
    path = folder / name
    if not path.is_file():
        raise ValueError(f"{name}: missing (expected {path})")
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueError(f"{name}: not valid YAML: {error}") from None
    if not isinstance(doc, dict):
        raise ValueError(f"{name}: the file must hold a mapping at the top level")
    return doc


def _labelled(check: _Check, items: object, what: str) -> dict[str, dict]:
    """Code lists (perspectives, obstacle categories, …): ``{code: {"label": {sv, en}, ["meaning": {sv, en}]}}``."""
    result = {}
    for code, item in check.entries(items, what).items():
        if not isinstance(code, str) or not SLUG.match(code):
            check.fail(code, f"code in {what} must be lower-case ASCII (a-z, 0-9, _)")
        entry = {"label": check.texts(item.get("label"), code, "label")}
        if "meaning" in item:
            entry["meaning"] = check.texts(item["meaning"], code, "meaning")
        result[code] = entry
    return result


def _vocabulary(doc: dict) -> dict:
    check = _Check("register.yaml")
    objectives_doc = check.mapping(doc.get("objectives"), "objectives", "objectives")
    objectives = {}
    for ident, item in check.entries(objectives_doc.get("items"), "objectives", key="id").items():
        if not isinstance(ident, str) or not OBJECTIVE_ID.match(ident):
            check.fail(ident, "programme objective id must be P1, P2, …")
        strategy = tuple(check.sequence(item.get("strategy_objectives"), ident, "strategy_objectives"))
        if not strategy or any(s not in STRATEGY_OBJECTIVES for s in strategy):
            check.fail(ident, f"strategy_objectives must be a non-empty list from {STRATEGY_OBJECTIVES}, "
                              f"got {list(strategy)}")
        objectives[ident] = {"name": check.texts(item.get("name"), ident, "name"), "strategy_objectives": strategy,
                             "cross_cutting": bool(item.get("cross_cutting", False))}

    areas_doc = check.mapping(doc.get("priority_areas"), "priority_areas", "priority_areas")
    areas = {}
    for ident, item in check.entries(areas_doc.get("items"), "priority_areas", key="id").items():
        if not isinstance(ident, int) or isinstance(ident, bool):
            check.fail(ident, "priority area id must be a whole number")
        areas[ident] = {"name": check.texts(item.get("name"), ident, "name")}

    taxonomy = check.mapping(doc.get("status_taxonomy"), "status_taxonomy", "status_taxonomy")
    status_info = {"proposal": check.boolean(taxonomy.get("proposal"), "status_taxonomy", "proposal"),
                   "note": check.texts(taxonomy.get("note"), "status_taxonomy", "note")}
    statuses = _labelled(check, taxonomy.get("statuses"), "statuses")
    for code, entry in statuses.items():
        if "meaning" not in entry:
            check.fail(code, "status has no meaning")
        entry["proposal"] = status_info["proposal"]

    return {
        "objectives": objectives,
        "priority_areas": areas,
        "statuses": statuses,
        "status_taxonomy": status_info,
        "derived_states": _labelled(check, doc.get("derived_states"), "derived_states"),
        "perspectives": _labelled(check, doc.get("perspectives"), "perspectives"),
        "obstacle_categories": _labelled(check, doc.get("obstacle_categories"), "obstacle_categories"),
        "measure_types": _labelled(check, doc.get("measure_types"), "measure_types"),
        "programme": dict(check.mapping(doc.get("programme", {}), "programme", "programme")),
    }


def _follow_up_dates(doc: dict) -> tuple[FollowUpDate, ...]:
    """The declared follow-up dates, in date order; none declared is allowed (an older register)."""
    check = _Check("register.yaml")
    items = check.sequence(doc.get("follow_up_dates"), "follow_up_dates", "follow_up_dates")
    dates: dict[date, FollowUpDate] = {}
    for position, item in enumerate(items, start=1):
        entry = f"follow_up_dates #{position}"
        item = check.mapping(item, entry, "an entry")
        when = check.day(item.get("date"), entry, "date")
        if when in dates:
            check.fail(entry, f"date {when} is declared twice")
        annual = check.boolean(item.get("annual", False), entry, "annual")
        in_depth = check.boolean(item.get("in_depth", False), entry, "in_depth")
        if not (annual or in_depth):
            check.fail(entry, "a follow-up date must be annual, in_depth or both")
        dates[when] = FollowUpDate(date=when, annual=annual, in_depth=in_depth,
                                   label=check.texts(item.get("label"), entry, "label"))
    return tuple(dates[d] for d in sorted(dates))


def _agencies(doc: dict) -> dict[str, Agency]:
    check = _Check("agencies.yaml")
    agencies: dict[str, Agency] = {}
    seen_names: dict[str, str] = {}
    for ident, item in check.entries(doc.get("agencies"), "agencies", key="id").items():
        if not isinstance(ident, str) or not SLUG.match(ident):
            check.fail(ident, "agency id must be lower-case ASCII (a-z, 0-9, _)")
        name = check.texts(item.get("name"), ident, "name")
        aliases = tuple(check.sequence(item.get("aliases"), ident, "aliases"))
        for text in (ident, *name.values(), *aliases):
            if not isinstance(text, str) or not _fold(text):
                check.fail(ident, f"name or alias {text!r} is empty")
            other = seen_names.setdefault(_fold(text), ident)
            if other != ident:
                check.fail(ident, f"name or alias {text!r} is also used by agency {other!r}")
        key_figures = tuple(check.sequence(item.get("key_figures"), ident, "key_figures"))
        agencies[ident] = Agency(id=ident, name=name, aliases=aliases, key_figures=key_figures)
    return agencies


def _key_figures(doc: dict, agencies: dict[str, Agency]) -> dict[str, KeyFigure]:
    check = _Check("key_figures.yaml")
    figures: dict[str, KeyFigure] = {}
    for ident, item in check.entries(doc.get("key_figures"), "key_figures", key="id").items():
        if not isinstance(ident, str) or not SLUG.match(ident):
            check.fail(ident, "key figure id must be lower-case ASCII (a-z, 0-9, _)")
        agency = item.get("agency")
        if agency not in agencies:
            check.fail(ident, f"unknown agency {agency!r}")
        indicator = item.get("indicator")
        if indicator is not None and (not isinstance(indicator, str) or not INDICATOR_ID.match(indicator)):
            check.fail(ident, f"indicator id {indicator!r} is not of the form MVKnn")
        unit = item.get("unit")
        if not isinstance(unit, str) or not unit.strip():
            check.fail(ident, "has no unit")
        figures[ident] = KeyFigure(id=ident, agency=agency, label=check.texts(item.get("label"), ident, "label"),
                                   unit=unit, indicator=indicator,
                                   perpetrator_focused=check.boolean(item.get("perpetrator_focused"), ident,
                                                                     "perpetrator_focused"))
    # Both directions: an agency lists exactly the figures that name it.
    agency_check = _Check("agencies.yaml")
    for agency in agencies.values():
        for figure in agency.key_figures:
            if figure not in figures:
                agency_check.fail(agency.id, f"unknown key figure {figure!r}")
            if figures[figure].agency != agency.id:
                agency_check.fail(agency.id, f"key figure {figure!r} belongs to {figures[figure].agency!r}")
    for figure in figures.values():
        if figure.id not in agencies[figure.agency].key_figures:
            check.fail(figure.id, f"agency {figure.agency!r} does not list it under key_figures in agencies.yaml")
    return figures


def _relations(doc: dict, figures: dict[str, KeyFigure]) -> tuple[KeyFigureRelation, ...]:
    """The declared relations between key figures, each checked against the figures it names.

    The members of one relation must belong to one agency (a relation holds within one report). A
    figure may take part in at most one ``sum`` relation: the suppression engine protects one
    additive relation per cell, so overlapping sums would be protected one at a time, not together.
    """
    check = _Check("key_figures.yaml")
    if "relations" not in doc or doc["relations"] is None:
        return ()
    relations: list[KeyFigureRelation] = []
    in_sum: dict[str, str] = {}
    for ident, item in check.entries(doc.get("relations"), "relations", key="id").items():
        if not isinstance(ident, str) or not SLUG.match(ident):
            check.fail(ident, "relation id must be lower-case ASCII (a-z, 0-9, _)")
        kind = item.get("kind")
        if kind not in RELATION_KINDS:
            check.fail(ident, f"relation kind must be one of {RELATION_KINDS}, got {kind!r}")
        if kind == "sum":
            total = item.get("total")
            parts = tuple(check.sequence(item.get("parts"), ident, "parts"))
            if not isinstance(total, str) or len(parts) < 2:
                check.fail(ident, "a sum relation needs a total and at least two parts")
            members = (total, *parts)
        else:
            members = tuple(check.sequence(item.get("chain"), ident, "chain"))
            if len(members) < 2:
                check.fail(ident, "an order relation needs a chain of at least two key figures")
        for member in members:
            if member not in figures:
                check.fail(ident, f"unknown key figure {member!r}")
        if len(set(members)) != len(members):
            check.fail(ident, f"names a key figure twice: {list(members)}")
        agencies = {figures[m].agency for m in members}
        if len(agencies) != 1:
            check.fail(ident, f"its key figures belong to several agencies: {sorted(agencies)}")
        if kind == "sum":
            for member in members:
                if member in in_sum:
                    check.fail(ident, f"key figure {member!r} is already in sum relation {in_sum[member]!r}")
                in_sum[member] = ident
        relations.append(KeyFigureRelation(id=ident, kind=kind, members=members))
    return tuple(relations)


def _collaboration(doc: dict, agencies: dict[str, Agency], figures: dict[str, KeyFigure]) -> dict:
    check = _Check("register.yaml")
    entry = "collaboration_assignment"
    item = dict(check.mapping(doc.get(entry), entry, entry))
    item["title"] = check.texts(item.get("title"), entry, "title")
    item["agencies"] = check.ids(item.get("agencies"), entry, "agencies", agencies, "agency")
    tasks = check.sequence(item.get("tasks"), entry, "tasks")
    if not tasks:
        check.fail(entry, "has no tasks")
    item["tasks"] = tuple({"id": task.get("id"), **check.texts(task, f"{entry} task {task.get('id')}", "task")}
                          for task in (check.mapping(t, entry, "a task") for t in tasks))
    item["perpetrator_indicators"] = check.indicators(item.get("perpetrator_indicators"), entry,
                                                      "perpetrator_indicators")
    item["perpetrator_key_figures"] = check.ids(item.get("perpetrator_key_figures"), entry,
                                                "perpetrator_key_figures", figures, "key figure")
    if item.get("reliability") not in RELIABILITY:
        check.fail(entry, f"reliability must be one of {RELIABILITY}")
    return item


def _measures(doc: dict, vocabulary: dict, agencies: dict[str, Agency]) -> dict[str, Measure]:
    check = _Check("measures.yaml")
    objectives = vocabulary["objectives"]
    measures: dict[str, Measure] = {}
    for ident, item in check.entries(doc.get("measures"), "measures", key="id").items():
        if not isinstance(ident, str) or not MEASURE_ID.match(ident):
            check.fail(ident, "measure id must be of the form A001")
        objective = item.get("programme_objective")
        if objective not in objectives:
            check.fail(ident, f"unknown programme objective {objective!r} (expected one of {sorted(objectives)})")
        strategy = item.get("strategy_objectives")
        strategy = objectives[objective]["strategy_objectives"] if strategy is None else tuple(
            check.sequence(strategy, ident, "strategy_objectives"))
        if not strategy or any(isinstance(s, bool) or s not in STRATEGY_OBJECTIVES for s in strategy):
            check.fail(ident, f"strategy_objectives must be a non-empty list from {STRATEGY_OBJECTIVES}")
        area = item.get("priority_area")
        if area is not None and (isinstance(area, bool) or area not in vocabulary["priority_areas"]):
            check.fail(ident, f"unknown priority area {area!r}")
        type_ = item.get("type")
        if type_ not in vocabulary["measure_types"]:
            check.fail(ident, f"unknown measure type {type_!r}")
        responsible = check.ids(item.get("responsible"), ident, "responsible", agencies, "agency")
        if not responsible:
            check.fail(ident, "has no responsible agency")
        co_responsible = check.ids(item.get("co_responsible"), ident, "co_responsible", agencies, "agency")
        if both := sorted(set(responsible) & set(co_responsible)):
            check.fail(ident, f"agency both responsible and co-responsible: {both}")
        start = check.day(item.get("start"), ident, "start")
        deadline = None if item.get("deadline") is None else check.day(item["deadline"], ident, "deadline")
        if deadline is not None and deadline < start:
            check.fail(ident, f"deadline {deadline} is before start {start}")
        source_url = item.get("source_url")
        if source_url is not None and (not isinstance(source_url, str) or not source_url.startswith(("http://", "https://"))):
            check.fail(ident, f"source_url must be an http(s) address, got {source_url!r}")
        reliability = item.get("reliability")
        if reliability is not None and reliability not in RELIABILITY:
            check.fail(ident, f"reliability must be one of {RELIABILITY}, got {reliability!r}")
        note = item.get("note")
        if note is not None and not isinstance(note, str):
            check.fail(ident, "note must be text")
        reference = item.get("reference")
        if reference is not None and (not isinstance(reference, str) or not REFERENCE.match(reference)):
            check.fail(ident, f"reference must be a diarienummer like 'Ju2024/01234' or null, got {reference!r}")
        illustrative = check.boolean(item.get("illustrative"), ident, "illustrative")
        if illustrative and not (note or "").strip():
            check.fail(ident, "an illustrative measure must say so in its note")
        measures[ident] = Measure(
            id=ident, title=check.texts(item.get("title"), ident, "title"), responsible=responsible,
            co_responsible=co_responsible, programme_objective=objective, strategy_objectives=tuple(strategy),
            priority_area=area, type=type_, start=start, deadline=deadline,
            indicators=check.indicators(item.get("indicators"), ident, "indicators"),
            perspectives=check.ids(item.get("perspectives"), ident, "perspectives", vocabulary["perspectives"],
                                   "perspective"),
            collaboration_assignment=check.boolean(item.get("collaboration_assignment", False), ident,
                                                   "collaboration_assignment"),
            illustrative=illustrative, source_url=source_url, note=note, reliability=reliability,
            reference=reference)
    return measures


def load_register(data_dir: Path) -> Register:
    """The register in ``data_dir / "programme"``, with every cross-reference checked."""
    folder = Path(data_dir) / "programme"
    docs = {name: _read(folder, name) for name in FILES}
    vocabulary = _vocabulary(docs["register.yaml"])
    agencies = _agencies(docs["agencies.yaml"])
    figures = _key_figures(docs["key_figures.yaml"], agencies)
    relations = _relations(docs["key_figures.yaml"], figures)
    collaboration = _collaboration(docs["register.yaml"], agencies, figures)
    measures = _measures(docs["measures.yaml"], vocabulary, agencies)
    return Register(
        objectives=vocabulary["objectives"], priority_areas=vocabulary["priority_areas"],
        statuses=vocabulary["statuses"], derived_states=vocabulary["derived_states"],
        perspectives=vocabulary["perspectives"], obstacle_categories=vocabulary["obstacle_categories"],
        measure_types=vocabulary["measure_types"], collaboration_assignment=collaboration, agencies=agencies,
        key_figures=figures, measures=dict(sorted(measures.items())),
        status_taxonomy=vocabulary["status_taxonomy"], programme=vocabulary["programme"],
        key_figure_relations=relations, follow_up_dates=_follow_up_dates(docs["register.yaml"]),
    )


def _fold(text: str) -> str:
    """A key that ignores case, diacritics, spaces and punctuation.

    "Länsstyrelsen Östergötland" → "lansstyrelsenostergotland"; "Brå" → "bra".
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def find_agency(register: Register, text: str) -> Agency | None:
    """The agency whose id, Swedish or English name or an alias matches ``text``, or ``None``.

    "Kriminalvården", "kriminalvarden", "KRIMINALVÅRDEN" and "Polisen"/"Polismyndigheten" all match:
    the comparison ignores case, diacritics, spaces and punctuation.
    """
    key = _fold(text or "")
    if not key:
        return None
    for agency in register.agencies.values():
        if key in {_fold(t) for t in (agency.id, *agency.name.values(), *agency.aliases)}:
            return agency
    return None


def measures_for(register: Register, agency_id: str) -> list[Measure]:
    """Measures the agency is responsible or co-responsible for, by measure id."""
    return [m for _, m in sorted(register.measures.items()) if agency_id in m.responsible + m.co_responsible]
