"""Which status a passage suggests: Swedish phrases (``status_words.yaml``) found near a measure's mention.

The vocabulary is data, not code, so an analyst can add the phrasing an agency actually uses without
touching the finder. Matching is on words, allows a few inserted words ("har nu genomförts") and
ignores a negated phrase ("har inte genomförts" is not genomförd); the rules are described in the YAML
file's header. The finder takes the phrase nearest the mention; nothing found means ``okand``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from indicators.yaml_text import load_yaml

VOCABULARY_FILE = Path(__file__).with_name("status_words.yaml")
REGISTER_FILE = Path(__file__).resolve().parents[2] / "data" / "programme" / "register.yaml"
UNKNOWN = "okand"

_WORD = re.compile(r"[^\W_]+")
_PUNCTUATION = re.compile(r"[.!?;:,]")


@dataclass(frozen=True)
class Vocabulary:
    phrases: tuple[tuple[tuple[str, ...], str | None], ...]   # (words, status code or None), longest first
    negations: frozenset[str]
    max_inserted_words: int
    by_first: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class StatusHit:
    status: str
    words: str          # the phrase as it stands in the text, whitespace normalised
    start: int          # character offsets in the text that was searched
    end: int


def _status_codes() -> set[str]:
    """The register's taxonomy codes, so a typo in the vocabulary fails loudly."""
    doc = load_yaml(REGISTER_FILE.read_text(encoding="utf-8"))
    return {item["code"] for item in doc["status_taxonomy"]["statuses"]}


def parse_vocabulary(doc: object, *, file: str = VOCABULARY_FILE.name, codes: set[str] | None = None) -> Vocabulary:
    """Check and compile a vocabulary document; raises ``ValueError`` naming the file and the entry."""
    if not isinstance(doc, dict) or not isinstance(doc.get("statuses"), dict):
        raise ValueError(f"{file}: expected a mapping with 'statuses' (status code → list of phrases)")
    known = codes if codes is not None else _status_codes()
    phrases: dict[tuple[str, ...], str] = {}
    for code, items in doc["statuses"].items():
        if code not in known or code == UNKNOWN:
            raise ValueError(f"{file}: statuses.{code}: not a status code of the register (expected one of "
                             f"{sorted(known - {UNKNOWN})})")
        if not isinstance(items, list) or not items:
            raise ValueError(f"{file}: statuses.{code}: expected a non-empty list of phrases")
        for item in items:
            words = tuple(_WORD.findall(str(item).casefold()))
            if not words:
                raise ValueError(f"{file}: statuses.{code}: the phrase {item!r} has no words")
            if words in phrases and phrases[words] != code:
                raise ValueError(f"{file}: the phrase {item!r} is listed under both {phrases[words]} and {code}")
            phrases[words] = code
    neutral = doc.get("neutral") or []
    if not isinstance(neutral, list):
        raise ValueError(f"{file}: neutral: expected a list of phrases")
    for item in neutral:
        words = tuple(_WORD.findall(str(item).casefold()))
        if not words or words in phrases:
            raise ValueError(f"{file}: neutral: the phrase {item!r} is empty or also listed under a status")
        phrases[words] = None
    negations = frozenset(str(w).casefold() for w in doc.get("negations") or [])
    inserted = doc.get("max_inserted_words", 2)
    if not isinstance(inserted, int) or not 0 <= inserted <= 5:
        raise ValueError(f"{file}: max_inserted_words: expected 0–5, found {inserted!r}")
    ordered = tuple(sorted(phrases.items(), key=lambda item: (-len(item[0]), item[0])))   # longest first
    by_first: dict[str, list] = {}
    for words, code in ordered:   # longest first, so a longer phrase claims its tokens first
        by_first.setdefault(words[0], []).append((words, code))
    return Vocabulary(phrases=ordered, negations=negations, max_inserted_words=inserted,
                      by_first={word: tuple(items) for word, items in by_first.items()})


@cache
def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    """The shipped vocabulary (or another file of the same shape), checked against the register."""
    return parse_vocabulary(load_yaml(path.read_text(encoding="utf-8")), file=path.name)


def _match_at(tokens: list[tuple[str, int, int]], i: int, words: tuple[str, ...], gap: int) -> list[int] | None:
    """Token indices of ``words`` matched from token ``i`` with at most ``gap`` words between each pair."""
    if tokens[i][0] != words[0]:
        return None
    positions, at = [i], i
    for word in words[1:]:
        for j in range(at + 1, min(at + 2 + gap, len(tokens))):
            if tokens[j][0] == word:
                positions.append(j)
                at = j
                break
        else:
            return None
    return positions


def _negated(text: str, tokens: list[tuple[str, int, int]], positions: list[int], vocabulary: Vocabulary) -> bool:
    """A negation inserted in the phrase, among the two words before it or right after it (same clause)."""
    negations = vocabulary.negations
    own = set(positions)
    if any(tokens[j][0] in negations for j in range(positions[0], positions[-1] + 1) if j not in own):
        return True
    first, last = positions[0], positions[-1]
    for j in range(first - 1, max(first - 3, -1), -1):
        if _PUNCTUATION.search(text, tokens[j][2], tokens[j + 1][1]):
            break
        if tokens[j][0] in negations:
            return True
    if last + 1 < len(tokens) and not _PUNCTUATION.search(text, tokens[last][2], tokens[last + 1][1]):
        return tokens[last + 1][0] in negations
    return False


def find_status_words(text: str, vocabulary: Vocabulary | None = None) -> list[StatusHit]:
    """Every non-negated status phrase in ``text``, in text order; overlapping phrases keep the longest."""
    vocabulary = vocabulary or load_vocabulary()
    tokens = [(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(text)]
    taken: set[int] = set()
    hits: list[StatusHit] = []
    found: list[tuple[int, list[int], str]] = []
    for i, (word, _, _) in enumerate(tokens):
        for words, code in vocabulary.by_first.get(word, ()):
            positions = _match_at(tokens, i, words, vocabulary.max_inserted_words)
            if positions is not None:
                found.append((len(words), positions, code))
    for _, positions, code in sorted(found, key=lambda f: (-f[0], f[1][0])):
        span = set(range(positions[0], positions[-1] + 1))
        if span & taken:
            continue
        taken |= span
        if code is None or _negated(text, tokens, positions, vocabulary):   # neutral phrases only shield words
            continue
        start, end = tokens[positions[0]][1], tokens[positions[-1]][2]
        hits.append(StatusHit(code, " ".join(text[start:end].split()), start, end))
    return sorted(hits, key=lambda h: h.start)


def suggest_status(text: str, focus: tuple[int, int], *, sentence_starts: tuple[int, ...] = (0,),
                   vocabulary: Vocabulary | None = None) -> tuple[str, list[StatusHit]]:
    """The status of the phrase nearest ``focus`` (the mention) and the phrases that agree with it.

    Nearest means: fewest sentence boundaries between phrase and mention, then fewest characters, then
    the earlier phrase (so the choice is deterministic). Returns ``("okand", [])`` when no phrase is found.
    """
    hits = find_status_words(text, vocabulary)
    if not hits:
        return UNKNOWN, []

    def sentence(offset: int) -> int:
        return sum(1 for s in sentence_starts if s <= offset)

    def distance(hit: StatusHit) -> tuple[int, int, int]:
        chars = max(0, focus[0] - hit.end, hit.start - focus[1])
        if chars == 0:
            return 0, 0, hit.start
        near = focus[0] if hit.end <= focus[0] else max(focus[1] - 1, focus[0])
        return abs(sentence(hit.start) - sentence(near)), chars, hit.start

    ranked = sorted(hits, key=distance)
    status = ranked[0].status
    agreeing: list[StatusHit] = []
    for hit in ranked:
        if hit.status == status and hit.words.casefold() not in {h.words.casefold() for h in agreeing}:
            agreeing.append(hit)
    return status, agreeing
