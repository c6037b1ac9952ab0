"""The evidence finder: for every measure, the pages of the agencies' documents that most likely report on it.

Annual reports and reports-back rarely cite a measure the way the register does. They may name the
project's id ("åtgärd A012"), the government assignment's reference number ("Ju2024/01234"), or only
describe the work in their own, inflected Swedish. The finder looks for all three and ranks pages per
measure, so an analyst reads five passages instead of two hundred pages. It proposes; the analyst decides
(review workbook, ``indicators/evidence/review.py``).

How a page is scored (docs/documents.md, "The evidence finder"):

* **measure id**: "A012", "A 012", "åtgärd A12" score 1.0; "åtgärd 12" / "åtgärd nr 12" score 0.5,
  because a document may number its own list of actions (a good title passage outranks it). A bare
  "A12" is ignored ("A4" is a paper size).
* **reference number**: department letters, year and serial compared as values, so "Ju2024/01234",
  "Ju 2024/1234" and "JU2024/01234/PO" are one number; 1.0.
* **title words**: the title's words without stop words, stemmed (Snowball, Swedish); a page word
  matches a title stem when equal, within one or two edits (long words), or when it contains the stem
  (a compound: "kontaktförbudsärenden" contains "kontaktförbud"); a particle verb also matches its noun
  ("följa upp" → "uppföljningen"). Each stem weighs its rarity across all pages (BM25 idf), so words
  every page uses ("våld", "arbete") count little. A window of three sentences scores the share of the
  title's weight it holds; the page's best window counts, 0.9 × share, when it holds at least half the
  weight and two distinct stems.
* A page with an id or reference gets 0.1 × its title share on top, and the strongest kind names the
  match. Pages of agencies not responsible for the measure are still searched, but ranked lower: ×0.9 for
  an id or reference (a cited measure is evidence wherever it stands), ×0.5 for title words alone. A
  table of contents counts half, and so does a title passage that names another measure's id.
* Ranking: by score, but each document's best page (if at least half the best score) before a second
  page of one report. Ties are broken by document hash and page: the same input gives the same output.

The passage (excerpt and status) runs forward from the mention's sentence: a report names the work and
then says how far it has come.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from indicators.evidence.status_words import UNKNOWN, Vocabulary, load_vocabulary, suggest_status

COLUMNS = ["measure_id", "document_sha256", "page", "rank", "score", "match_kind", "excerpt",
           "suggested_status", "status_words", "illustrative"]

WINDOW = 3                 # sentences in a title window and in an id/reference passage
EXCERPT_LIMIT = 400        # characters, the ellipses included
MIN_TITLE_SHARE = 0.5      # share of the title's idf weight a window must hold to be a title match
MIN_TITLE_STEMS = 2        # ... and this many distinct title stems (fewer when the title has fewer)
TITLE_WEIGHT = 0.9         # a title match never outranks an explicit id or reference
TITLE_BONUS = 0.1          # an id/reference page that also describes the measure ranks above a bare list
ID_SCORE, LOOSE_ID_SCORE, REFERENCE_SCORE = 1.0, 0.5, 1.0
OTHER_AGENCY_EXPLICIT, OTHER_AGENCY_TITLE = 0.9, 0.5
MIN_STEM_LENGTH = 3        # shorter stems ("eu", "ny") say nothing on their own
COMPOUND_MIN_LENGTH = 5    # a stem this long may be found inside a compound
FUZZY_QUALITY = {0: 1.0, 1: 0.9, 2: 0.8}
COMPOUND_QUALITY = 0.8
CONTENTS_WEIGHT = 0.5      # a page that starts "Innehåll": it names chapters, not what was done
OTHER_MEASURE_WEIGHT = 0.5  # a title passage whose first sentence names another measure's id or reference
PROMOTE_SHARE = 0.5        # a document's best page is shown before other documents' second pages above this
KIND_ORDER = {"measure_id": 0, "reference": 1, "title": 2}
PARTICLES = frozenset("upp fram ut in av till om över bort ner kvar igenom undan tillbaka".split())

# The Snowball project's Swedish stop-word list, plus a few prepositions common in measure titles.
STOP_WORDS = frozenset("""
och det att i en jag hon som han på den med var sig för så till är men ett om hade de av icke mig du
henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något från ut när efter upp
vi dem vara vad över än dig kan sina här ha mot alla under någon eller allt mycket sedan ju denna själv
detta åt utan varit hur ingen mitt ni bli blev oss din dessa några deras blir mina samma vilken er
sådan vår blivit dess inom mellan sådant varför varje vilka ditt vem vilket sitta sådana vart dina vars
vårt våra ert era vilkas samt även genom bland kring inför enligt
""".split())

_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(«»”–•\-A-ZÅÄÖÉ0-9])")
_BULLET = re.compile(r"^[•\-–*]\s")
_CONTENTS = re.compile(r"\s*(?:\S.*\n\s*)?(?:innehåll|innehållsförteckning)\s*\n", re.IGNORECASE)
# "A012", "A 012" (strict), "åtgärd A12" (letter), "åtgärd 12", "åtgärd nr 12" (loose); not "A4", "åtgärd 3.1",
# "åtgärd 12 %"
_MEASURE_ID = re.compile(
    r"(?<![\w/])(?:(?P<strict>[A-Z])\s?(?P<strict_no>\d{3})"
    r"|(?i:åtgärd(?:en|erna)?)\s+(?:(?P<letter>[A-Z])\s?(?P<letter_no>\d{1,3})"
    r"|(?i:nr\.?\s*|nummer\s+)?(?P<loose_no>\d{1,3})))(?![\w%]|[.,]\d|\s?(?:%|procent|kr\b))")
# Government Offices reference: department (1–2 letters), year, serial: "Ju2024/01234", "S 2024/3456".
_REFERENCE = re.compile(r"(?<![\w/])([A-ZÅÄÖ][A-Za-zåäöÅÄÖ]?)\s?((?:19|20)\d{2})\s?/\s?(\d{1,6})(?!\d)")


def reference_key(text: str | None) -> tuple[str, int, int] | None:
    """A reference number as comparable values: "Ju 2024/1234" and "Ju2024/01234" → ("ju", 2024, 1234)."""
    if not isinstance(text, str):
        return None
    match = _REFERENCE.search(text)
    return (match.group(1).casefold(), int(match.group(2)), int(match.group(3))) if match else None


def split_sentences(text: str) -> tuple[str, list[int]]:
    """The page with whitespace normalised, and where each of its sentences starts.

    A sentence ends at ., ! or ? before a capital or digit, at a blank line, and at the end of a short
    line (a heading, a table row, a list item) followed by a capital, digit or bullet. Long lines that
    run on (a paragraph wrapped by the PDF) are joined.
    """
    blocks: list[str] = []
    current: list[str] = []
    lines = text.replace("\r", "\n").split("\n")
    for i, raw in enumerate(lines):
        line = " ".join(raw.split())
        if not line:
            if current:
                blocks.append(" ".join(current))
                current = []
            continue
        current.append(line)
        following = next((" ".join(x.split()) for x in lines[i + 1:i + 2]), "")
        short = len(line) <= 60 and not line.endswith((",", ";", "-", "–", "(", " och", " samt", " eller"))
        if following and (short or line.endswith((".", "!", "?", ":"))) and (
                following[:1].isupper() or following[:1].isdigit() or _BULLET.match(following)):
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    sentences = [s for block in blocks for s in _SENTENCE_END.split(block) if s.strip()]
    starts, offset = [], 0
    for sentence in sentences:
        starts.append(offset)
        offset += len(sentence) + 1
    return " ".join(sentences), starts


@dataclass
class _Page:
    document_sha256: str
    page: int
    agency_id: str | None
    illustrative: bool
    text: str                      # normalised
    starts: list[int]              # sentence starts in text
    first_sentence: int            # index of its first sentence in the corpus
    year: int | None = None        # the year the document reports on
    contents: bool = False         # a table of contents: it names chapters, not work done

    def sentence_end(self, i: int) -> int:
        """End offset of the page's i-th sentence (local index)."""
        return self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)


@dataclass
class _Corpus:
    pages: list[_Page]
    sentence_page: np.ndarray      # page index of every sentence
    vocabulary: list[str]          # stems
    postings: list[np.ndarray]     # per stem: sorted sentence indices where it occurs

    @property
    def page_count(self) -> int:
        return len(self.pages)


class _Stemmer:
    """Snowball's Swedish stemmer behind a cache: a report repeats the same few thousand words."""

    def __init__(self) -> None:
        self._stemmer = snowballstemmer.stemmer("swedish")
        self.cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self.cache.get(word)
        if stem is None:
            stem = self.cache[word] = self._stemmer.stemWord(word)
        return stem

    def words(self, text: str) -> list[str]:
        return [self(w) for w in _WORD.findall(text.casefold()) if w not in STOP_WORDS]


def _build_corpus(pages: pd.DataFrame, stemmer: _Stemmer) -> _Corpus:
    """Split, normalise and stem every page once; an inverted index from stem to sentences."""
    built: list[_Page] = []
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    sentence_page: list[int] = []
    ordered = pages.sort_values(["document_sha256", "page"], kind="stable")
    years = ordered["year"] if "year" in ordered else pd.Series([None] * len(ordered), index=ordered.index)
    for sha, page, agency, illustrative, text, year in zip(
            ordered["document_sha256"], ordered["page"], ordered["agency_id"], ordered["illustrative"],
            ordered["text"], years, strict=True):
        if not isinstance(text, str) or not text.strip():
            continue
        normalised, starts = split_sentences(text)
        entry = _Page(str(sha), int(page), agency if isinstance(agency, str) else None,
                      bool(illustrative) if pd.notna(illustrative) else False, normalised, starts,
                      len(sentence_page), year=int(year) if pd.notna(year) else None,
                      contents=bool(_CONTENTS.match(text)))
        for i, start in enumerate(starts):
            index = len(sentence_page)
            sentence_page.append(len(built))
            for stem in set(stemmer.words(normalised[start:entry.sentence_end(i)])):
                if len(stem) >= MIN_STEM_LENGTH:
                    rows.append(index)
                    cols.append(vocabulary.setdefault(stem, len(vocabulary)))
        built.append(entry)
    row_array, col_array = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    order = np.lexsort((row_array, col_array))
    bounds = np.searchsorted(col_array[order], np.arange(len(vocabulary) + 1))
    sorted_rows = row_array[order]
    postings = [sorted_rows[bounds[i]:bounds[i + 1]] for i in range(len(vocabulary))]
    return _Corpus(built, np.asarray(sentence_page, dtype=np.int64), list(vocabulary), postings)


def _title_stems(title: str, stemmer: _Stemmer, aliases: dict[str, set[str]]) -> list[str]:
    """The title's distinct stems, stop words left out; particle verbs add their noun form to ``aliases``.

    Swedish turns a particle verb into a noun by putting the particle first: "följa upp" is reported as
    "uppföljningen", "bygga upp" as "uppbyggnaden", "ta fram" as "framtagandet". So "följ" followed by
    "upp" also matches page words containing "uppfölj".
    """
    words = _WORD.findall((title or "").casefold())
    seen: dict[str, None] = {}
    for i, word in enumerate(words):
        if word in STOP_WORDS:
            continue
        stem = stemmer(word)
        if len(stem) < MIN_STEM_LENGTH:
            continue
        seen.setdefault(stem, None)
        if i + 1 < len(words) and words[i + 1] in PARTICLES:
            aliases.setdefault(stem, set()).add(words[i + 1] + stem)
    return list(seen)


def _match_vocabulary(stems: list[str], corpus: _Corpus, aliases: dict[str, set[str]] | None = None
                      ) -> dict[str, dict[int, float]]:
    """For each title stem, the page stems that count as it, with a quality in (0, 1].

    Equal stems 1.0; one edit (stems of 5–7 letters) 0.9, two edits (8+) 0.8, same first two letters;
    a page stem containing a title stem of 5+ letters (a compound) 0.8. A stem's aliases (particle verbs)
    match the same way and count as the stem.
    """
    if aliases:
        own = set(stems)
        extra = sorted({a for s in stems for a in aliases.get(s, ())} - own)
        matches = _match_vocabulary(stems + extra, corpus)
        for stem in stems:
            for alias in aliases.get(stem, ()):
                for word, quality in matches[alias].items():
                    matches[stem][word] = max(matches[stem].get(word, 0.0), quality)
        return {stem: matches[stem] for stem in stems}
    vocabulary = corpus.vocabulary
    index = {stem: i for i, stem in enumerate(vocabulary)}
    matches: dict[str, dict[int, float]] = {s: ({index[s]: 1.0} if s in index else {}) for s in stems}
    if not vocabulary or not stems:
        return matches
    fuzzy = [s for s in stems if len(s) >= 5]
    chunk = 20000
    for offset in range(0, len(vocabulary), chunk):
        block = vocabulary[offset:offset + chunk]
        if not fuzzy:
            break
        distances = process.cdist(fuzzy, block, scorer=Levenshtein.distance, score_cutoff=2, dtype=np.int32)
        for i, j in zip(*np.nonzero(distances <= 2), strict=True):
            stem, word, d = fuzzy[i], block[j], int(distances[i, j])
            if 0 < d <= (1 if len(stem) < 8 else 2) and word[:2] == stem[:2]:
                slot = matches[stem]
                slot[offset + j] = max(slot.get(offset + j, 0.0), FUZZY_QUALITY[d])
    joined = "\n".join(vocabulary)
    line_starts = np.cumsum([0] + [len(w) + 1 for w in vocabulary[:-1]])
    for stem in stems:
        if len(stem) < COMPOUND_MIN_LENGTH:
            continue
        at = joined.find(stem)
        while at >= 0:
            word_index = int(np.searchsorted(line_starts, at, side="right")) - 1
            if len(vocabulary[word_index]) > len(stem):
                slot = matches[stem]
                slot[word_index] = max(slot.get(word_index, 0.0), COMPOUND_QUALITY)
            at = joined.find(stem, at + 1)
    return matches


@dataclass
class _TitleIndex:
    """Per title stem: the sentences it occurs in (with quality) and its idf weight."""

    sentences: dict[str, tuple[np.ndarray, np.ndarray]]
    idf: dict[str, float]
    vocabulary_ids: dict[str, set[int]]


def _title_index(stems: list[str], corpus: _Corpus, aliases: dict[str, set[str]]) -> _TitleIndex:
    matches = _match_vocabulary(stems, corpus, aliases)
    n = corpus.page_count
    sentences, idf = {}, {}
    for stem, variants in matches.items():
        if variants:
            ids = np.concatenate([corpus.postings[v] for v in variants])
            qualities = np.concatenate([np.full(len(corpus.postings[v]), q) for v, q in variants.items()])
            order = np.lexsort((-qualities, ids))
            ids, qualities = ids[order], qualities[order]
            keep = np.r_[True, ids[1:] != ids[:-1]]
            ids, qualities = ids[keep], qualities[keep]
            df = len(np.unique(corpus.sentence_page[ids]))
        else:
            ids, qualities, df = np.zeros(0, dtype=np.int64), np.zeros(0), 0
        sentences[stem] = (ids, qualities)
        idf[stem] = math.log((n - df + 0.5) / (df + 0.5) + 1.0)   # BM25: ~0 for a word on every page
    return _TitleIndex(sentences, idf, {s: set(v) for s, v in matches.items()})


def _title_windows(stems: list[str], index: _TitleIndex, corpus: _Corpus, keep: set[int]
                   ) -> dict[int, tuple[float, int, int]]:
    """Per page: (share of the title's weight, distinct stems, first sentence) of its best window.

    Only pages whose best window is a title match, and the pages in ``keep`` (they name the measure).
    """
    total = sum(index.idf[s] for s in stems)
    if total <= 0:
        return {}
    starts_parts, stem_parts, quality_parts = [], [], []
    for j, stem in enumerate(stems):
        ids, qualities = index.sentences[stem]
        if not len(ids):
            continue
        for k in range(WINDOW):   # sentence i lies in the windows starting at i-k, on the same page
            start = ids - k
            valid = start >= 0
            valid[valid] = corpus.sentence_page[start[valid]] == corpus.sentence_page[ids[valid]]
            starts_parts.append(start[valid])
            stem_parts.append(np.full(int(valid.sum()), j))
            quality_parts.append(qualities[valid])
    if not starts_parts:
        return {}
    starts, stem_ids, qualities = (np.concatenate(p) for p in (starts_parts, stem_parts, quality_parts))
    key = starts * len(stems) + stem_ids
    order = np.lexsort((-qualities, key))
    key, qualities = key[order], qualities[order]
    first = np.r_[True, key[1:] != key[:-1]]
    key, qualities = key[first], qualities[first]          # best quality per (window, stem)
    window, stem_of = key // len(stems), key % len(stems)
    weights = np.asarray([index.idf[s] for s in stems])[stem_of] * qualities
    unique_windows, inverse = np.unique(window, return_inverse=True)
    share = np.bincount(inverse, weights=weights) / total
    distinct = np.bincount(inverse)
    page_of = corpus.sentence_page[unique_windows]
    # per page the highest share, then more stems, then the earliest window: deterministic
    order = np.lexsort((unique_windows, -distinct, -share, page_of))
    first_of_page = order[np.r_[True, page_of[order][1:] != page_of[order][:-1]]]
    passing = (share[first_of_page] >= MIN_TITLE_SHARE) & (distinct[first_of_page] >= min(MIN_TITLE_STEMS, len(stems)))
    passing |= np.isin(page_of[first_of_page], np.fromiter(keep, dtype=np.int64, count=len(keep)))
    first_of_page = first_of_page[passing]
    return {int(page_of[w]): (float(share[w]), int(distinct[w]), int(unique_windows[w])) for w in first_of_page}


@dataclass
class _Mention:
    kind: str            # measure_id | reference
    strength: float
    sentence: int        # corpus sentence index
    start: int           # offsets in the page text
    end: int


def _explicit_mentions(corpus: _Corpus, measure_ids: set[str], references: dict[tuple, list[str]]
                       ) -> tuple[dict[tuple[str, int], list[_Mention]], dict[int, set[str]]]:
    """(measure, page) → id and reference mentions; corpus sentence → measures it names."""
    numbers: dict[int, list[str]] = {}
    for measure in measure_ids:
        if re.fullmatch(r"[A-Z]\d{3}", measure):
            numbers.setdefault(int(measure[1:]), []).append(measure)
    mentions: dict[tuple[str, int], list[_Mention]] = {}
    named: dict[int, set[str]] = {}
    for p, page in enumerate(corpus.pages):
        found: list[tuple[str, str, float, int, int]] = []
        for m in _MEASURE_ID.finditer(page.text):
            if m.group("strict"):
                candidates = [f"{m.group('strict')}{m.group('strict_no')}"]
                strength = ID_SCORE
            elif m.group("letter"):
                candidates = [f"{m.group('letter')}{int(m.group('letter_no')):03d}"]
                strength = ID_SCORE
            else:
                candidates = numbers.get(int(m.group("loose_no")), [])
                strength = LOOSE_ID_SCORE
            found += [(c, "measure_id", strength, m.start(), m.end()) for c in candidates if c in measure_ids]
        for m in _REFERENCE.finditer(page.text):
            key = (m.group(1).casefold(), int(m.group(2)), int(m.group(3)))
            found += [(c, "reference", REFERENCE_SCORE, m.start(), m.end()) for c in references.get(key, [])]
        for measure, kind, strength, start, end in found:
            sentence = page.first_sentence + bisect.bisect_right(page.starts, start) - 1
            mentions.setdefault((measure, p), []).append(_Mention(kind, strength, sentence, start, end))
            named.setdefault(sentence, set()).add(measure)
    return mentions, named


def _forward_window(page: _Page, first: int, measure: str, named: dict[int, set[str]], size: int = WINDOW
                    ) -> tuple[int, int]:
    """Local sentence range [first, last] of a passage: the mention's sentence and the next ones, up to
    ``size``, stopping before a sentence that names another measure (a list or table of several measures).

    Forward, because a report names the work first and then says how far it has come; the sentence
    before a mention usually ends the previous passage, with that passage's status words.
    """
    last = first
    while last + 1 < len(page.starts) and last - first + 1 < size:
        if named.get(page.first_sentence + last + 1, set()) - {measure}:
            break
        last += 1
    return first, last


def _title_sentence(stems: list[str], index: _TitleIndex, window_start: int, page: _Page) -> int:
    """Local index of the sentence where the passage starts: the first in the best window holding at
    least half the weight of the window's heaviest sentence."""
    sentences = np.arange(window_start, min(window_start + WINDOW, page.first_sentence + len(page.starts)))
    weight = np.zeros(len(sentences))
    for stem in stems:
        ids, qualities = index.sentences[stem]
        if not len(ids):
            continue
        at = np.searchsorted(ids, sentences)
        hit = (at < len(ids)) & (ids[np.minimum(at, len(ids) - 1)] == sentences)
        weight[hit] += index.idf[stem] * qualities[at[hit]]
    chosen = int(np.flatnonzero(weight >= 0.5 * weight.max())[0]) if weight.max() > 0 else 0
    return int(sentences[chosen]) - page.first_sentence


def _focus_of_title(page: _Page, first: int, last: int, variants: set[int], corpus_index: dict[str, int],
                    stemmer: _Stemmer) -> tuple[int, int]:
    """Offsets (in the page text) from the first to the last title word in sentences first..last."""
    start, end = page.starts[first], page.sentence_end(last)
    spans = [(m.start(), m.end()) for m in _WORD.finditer(page.text, start, end)
             if corpus_index.get(stemmer(m.group().casefold()), -1) in variants]
    return (spans[0][0], spans[-1][1]) if spans else (start, min(end, start + 1))


def make_excerpt(text: str, start: int, end: int, focus: tuple[int, int], limit: int = EXCERPT_LIMIT) -> str:
    """``text[start:end]`` whitespace-normalised, cut to ``limit`` characters around ``focus`` at word
    boundaries, with "…" where it was cut; never a word cut in half."""
    if end - start <= limit:
        return " ".join(text[start:end].split())
    focus_start, focus_end = max(start, focus[0]), min(end, focus[1])
    room = limit - 2                              # two ellipses at most
    if focus_end - focus_start >= room:
        lo, hi = focus_start, focus_start + room
    elif focus_end - start <= room:               # the passage's start fits: begin there
        lo, hi = start, start + room
    else:
        spare = room - (focus_end - focus_start)
        lo = max(start, focus_start - spare // 3)  # more text after the mention than before it
        hi = min(end, lo + room)
        lo = max(start, hi - room)
    if lo > start:                                 # move forward to the start of a word, not past the focus
        while lo < min(hi, focus_start) and not text[lo - 1].isspace():
            lo += 1
    if hi < end:                                   # move back to the end of a word, not into the focus
        while hi > max(lo, focus_end) and not text[hi].isspace():
            hi -= 1
    body = " ".join(text[lo:hi].split())
    return ("…" if lo > start else "") + body + ("…" if hi < end else "")


def _status(page: _Page, first: int, last: int, focus: tuple[int, int], vocabulary: Vocabulary
            ) -> tuple[str, str, tuple[int, int]]:
    """Suggested status, its words, and the span to show (mention plus the deciding phrase when it fits)."""
    start, end = page.starts[first], page.sentence_end(last)
    window = page.text[start:end]
    local = (focus[0] - start, focus[1] - start)
    status, hits = suggest_status(window, local, sentence_starts=tuple(s - start for s in page.starts[first:last + 1]),
                                  vocabulary=vocabulary)
    shown = focus
    if hits:
        lo, hi = min(focus[0], hits[0].start + start), max(focus[1], hits[0].end + start)
        if hi - lo <= EXCERPT_LIMIT - 2:
            shown = (lo, hi)
    return status, ", ".join(h.words for h in hits), shown


def _one_per_document_first(found: list[tuple]) -> list[tuple]:
    """Order by score, but each document's best page before a second page of another document, as long
    as it scores at least PROMOTE_SHARE of the best: the analyst sees every agency's passage on a measure
    that several agencies report on, not five pages of one report. Ties: document hash, then page."""
    found = sorted(found, key=lambda f: (-f[0], f[1].document_sha256, f[1].page))
    if not found:
        return found
    first, rest, seen = [], [], set()
    for entry in found:
        document = entry[1].document_sha256
        if document not in seen and entry[0] >= PROMOTE_SHARE * found[0][0]:
            seen.add(document)
            first.append(entry)
        else:
            rest.append(entry)
    return first + rest


def _agencies(value: object) -> set[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return set()
    if isinstance(value, str):
        return {value}
    return {str(v) for v in value}


def find_candidates(pages: pd.DataFrame, measures: pd.DataFrame, *, per_measure: int = 5,
                    vocabulary: Vocabulary | None = None) -> pd.DataFrame:
    """The best ``per_measure`` pages per measure and report year, ranked, as rows of ``evidence.candidates``.

    ``pages``: document_sha256, agency_id, year, page, text, illustrative (withheld pages have no text
    and are skipped). ``measures``: measure_id, title_sv, reference (may be null), agencies (list of ids).
    """
    vocabulary = vocabulary or load_vocabulary()
    stemmer = _Stemmer()
    corpus = _build_corpus(pages, stemmer)
    if not corpus.pages or measures.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _DTYPES.items()})
    rows = sorted(zip(measures["measure_id"].astype(str), measures["title_sv"], measures["reference"],
                      measures["agencies"], strict=True), key=lambda row: row[0])
    aliases: dict[str, set[str]] = {}
    titles = {m: _title_stems(t if isinstance(t, str) else "", stemmer, aliases) for m, t, _, _ in rows}
    index = _title_index(sorted({s for stems in titles.values() for s in stems}), corpus, aliases)
    vocabulary_index = {stem: i for i, stem in enumerate(corpus.vocabulary)}
    references: dict[tuple, list[str]] = {}
    for measure, _, reference, _ in rows:
        key = reference_key(reference)
        if key:
            references.setdefault(key, []).append(measure)
    mentions, named = _explicit_mentions(corpus, {m for m, *_ in rows}, references)
    by_measure: dict[str, list[int]] = {}
    for measure, p in mentions:
        by_measure.setdefault(measure, []).append(p)

    out: list[dict] = []
    for measure, _, _, agencies in rows:
        own = _agencies(agencies)
        stems = titles[measure]
        windows = _title_windows(stems, index, corpus, set(by_measure.get(measure, [])))
        variants = set().union(*(index.vocabulary_ids[s] for s in stems)) if stems else set()
        needed = min(MIN_TITLE_STEMS, len(stems))
        found = []
        for p in sorted(set(by_measure.get(measure, [])) | set(windows)):
            page = corpus.pages[p]
            share, distinct, window_start = windows.get(p, (0.0, 0, -1))
            title_ok = share >= MIN_TITLE_SHARE and distinct >= needed
            explicit = mentions.get((measure, p), [])
            if explicit:
                best = max(explicit, key=lambda m: (m.strength, -KIND_ORDER[m.kind], -m.start))
                kind, base = best.kind, best.strength + TITLE_BONUS * share
                if {m.kind for m in explicit} == {"measure_id", "reference"}:
                    base += 0.05
                weight = 1.0 if page.agency_id in own else OTHER_AGENCY_EXPLICIT
                first, last = _forward_window(page, best.sentence - page.first_sentence, measure, named)
                focus = (best.start, best.end)
            elif title_ok:
                kind, base = "title", TITLE_WEIGHT * share
                weight = 1.0 if page.agency_id in own else OTHER_AGENCY_TITLE
                first, last, focus = window_start, -1, None   # the passage is found for kept pages only
            else:
                continue
            if page.contents:
                weight *= CONTENTS_WEIGHT
            found.append((round(base * weight, 4), page, kind, first, last, focus))
        # Ranked per report year: a review covers one year, and each year's documents get their own ranks.
        by_year: dict[int | None, list[tuple]] = {}
        for entry in found:
            by_year.setdefault(entry[1].year, []).append(entry)
        for year in sorted(by_year, key=lambda y: (y is None, y or 0)):
            group = by_year[year]
            # Title passages: find where each starts, for the best few pages only (the costly part); one that
            # names another measure by id or reference is most likely about that measure.
            group.sort(key=lambda f: (-f[0], f[1].document_sha256, f[1].page))
            for i, (score, page, kind, first, last, focus) in enumerate(group[:3 * per_measure]):
                if focus is None:
                    first, last = _forward_window(page, _title_sentence(stems, index, first, page), measure, named)
                    focus = _focus_of_title(page, first, first, variants, vocabulary_index, stemmer)
                    if named.get(page.first_sentence + first, set()) - {measure}:
                        score = round(score * OTHER_MEASURE_WEIGHT, 4)
                    group[i] = (score, page, kind, first, last, focus)
            for rank, (score, page, kind, first, last, focus) in enumerate(
                    _one_per_document_first(group[:3 * per_measure])[:per_measure], start=1):
                status, words, shown = _status(page, first, last, focus, vocabulary)
                if status == UNKNOWN:     # a heading or an introduction: the status may come a little later
                    _, further = _forward_window(page, first, measure, named, size=2 * WINDOW)
                    if further > last:
                        status, words, shown = _status(page, first, further, focus, vocabulary)
                        if status != UNKNOWN:
                            last = further
                out.append({"measure_id": measure, "document_sha256": page.document_sha256, "page": page.page,
                            "rank": rank, "score": score, "match_kind": kind,
                            "excerpt": make_excerpt(page.text, page.starts[first], page.sentence_end(last), shown),
                            "suggested_status": status, "status_words": words if status != UNKNOWN else "",
                            "illustrative": page.illustrative})
    frame = pd.DataFrame(out, columns=COLUMNS)
    return frame.astype(_DTYPES)


_DTYPES = {"measure_id": "str", "document_sha256": "str", "page": "int64", "rank": "int64", "score": "float64",
           "match_kind": "str", "excerpt": "str", "suggested_status": "str", "status_words": "str",
           "illustrative": "bool"}
