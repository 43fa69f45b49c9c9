"""The default composer: picks the passage sentences that answer the question (no model).

Each chosen sentence is an exact slice of its passage, so it verifies verbatim and the
answer can never say more than the documents do. Scoring is lexical: question terms
weighted by how rare they are among this turn's sentences (IDF-ish), phrase and number
matches, the passage's rank, and penalties for fragments, headings and table debris.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from assistant.compose import Draft, DraftSentence, passage_keys, source_lead
from assistant.compose.answer_types import AnswerType, AnswerTypes
from assistant.compose.focus import Focus, focus_of
from assistant.compose.sentences import Span, split_sentences
from assistant.compose.terms import is_number, terms, words
from assistant.types import SearchHit

_ANAPHORA = re.compile(r"^(?:This|These|It|Its|They|Their|Such|He|She|Both|The latter)\b")
_DEBRIS = re.compile(r"\[bookmark|\||<[a-z/]|\.{4,}|_{3,}")
_TABLE_LABEL = re.compile(
    r"^\W*(?:outputs?|outcomes?|by when|lead officer|owner|rag rating|measures? of success)\s*:",
    re.I,
)
"""An improvement-plan table cell ("Outputs: • …"): never an answer sentence."""
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")
_MIN_SHARE_OF_BEST = 0.45
_MIN_COVERAGE = 0.25
_DUPLICATE_OVERLAP = 0.7
_MAX_LIST_ITEMS = 8
_KIND_HELD = 0.3
"""Score added to a sentence that holds the answer kind the question asks for."""
_NUMERIC_QUESTION = re.compile(
    r"\b(how many|how much|how long|how often|number of|no\.? of|percentage|proportion|"
    r"timescale|within|rate)\b|%",
    re.I,
)
_WHO_QUESTION = re.compile(
    r"^\s*(?:and\s+)?(?:who|whom|whose)\b|\bwho (?:is|was|are|chairs|leads)\b", re.I
)
_PERSON = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")
_NUMBER_WORDS = frozenset(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "hundred",
        "half",
        "third",
        "quarter",
    ]
)
_FREQUENCY = re.compile(
    r"\b(?:once|twice|annual(?:ly)?|yearly|quarterly|monthly|bi-?monthly|fortnightly|weekly|"
    r"daily|every)\b",
    re.I,
)
_WHEN_QUESTION = re.compile(r"\bwhen\b|\b(?:what|which) (?:date|year|month)\b", re.I)
_DATE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|(?:19|20)\d{2})\b"
)
_HEADING_WEIGHT = 0.5
_CARRY = 0.3


@dataclass
class _Question:
    """What the question asks for, worked out once per turn."""

    focus: Focus
    numeric: bool = False
    who: bool = False
    when: bool = False
    kinds: tuple[AnswerType, ...] = ()
    """The answer kinds the question asks for (``corpus/answer-types.yaml``)."""
    topic: frozenset[str] = frozenset()
    """The focus terms that do not name an asked kind: "fgm" in "who do i contact about
    FGM" ("contact" names the kind)."""


@dataclass
class _Candidate:
    """A sentence, or a list intro together with its items (``unit``), and its evidence."""

    hit_index: int
    span: Span
    terms: list[str]
    unit: Span | None = None
    heading_terms: frozenset[str] = frozenset()
    section_terms: frozenset[str] = frozenset()
    """The terms of the passage's own (innermost) heading: "What is abuse"."""
    score: float = 0.0
    coverage: float = 0.0
    own_score: float = 0.0
    own_coverage: float = 0.0
    similarity: float | None = None

    @property
    def answer(self) -> Span:
        return self.unit or self.span


_ABOUT_THIS_SUMMARY = re.compile(r"\bsummary prepared for this assistant\b", re.I)


@lru_cache(maxsize=16384)  # passage sentences recur across questions; the result is pure
def _quality(span: Span, *, direct: bool = False, listing: bool = False) -> float:
    """Down-weights what reads badly on its own: fragments, headings, lists intros, debris.

    ``direct`` marks a line that is itself the kind of answer asked for (a figure for a
    "how many" question, a name for a "who" question): a table row or "Name - Role" line
    has no full stop but is not a fragment. ``listing`` marks a list intro read together
    with its items, which is judged as a whole (not short, not cut off) but not for length.
    """
    text = span.text
    if _ABOUT_THIS_SUMMARY.search(text):
        return 0.1  # the opening line of a prepared summary says what it is, not what it holds
    n_words = len(words(text))
    factor = 1.0
    complete = bool(_ENDS_SENTENCE.search(text))
    if text.rstrip("*_ ").endswith("?"):
        factor *= 0.3  # a question in the document (a heading) does not answer one
    letters = sum(ch.isalpha() for ch in text)
    if _DEBRIS.search(text) or letters < 0.6 * len(text.replace(" ", "")):
        factor *= 0.2
    if listing:
        return factor
    if n_words < 4:
        factor *= 0.2
    elif n_words < 8:
        factor *= 0.85 if complete else 0.6  # "713 places were used." is short, not a fragment
    if not (span.bullet or direct or complete) and not text.endswith(":"):
        factor *= 0.35 if n_words < 15 else 0.8
    if text.endswith(":"):
        factor *= 0.7
    if n_words > 70:
        factor *= 0.7
    if "\n" in text and not (span.bullet or direct):
        factor *= 0.8
    return factor


def _is_direct(text: str, question: _Question) -> bool:
    """A line carrying what a "how many"/"who" question asks for, past its first word."""
    rest = text.split(None, 1)[1] if " " in text else ""
    if question.numeric and re.search(r"\d", text) and not re.match(r"^\d+(?:\.\d+)*\s", text):
        return True  # a figure, not a numbered heading ("3.2 Thresholds")
    if question.numeric and re.match(r"^\d[\d,.%]*\s+[a-z]", text):
        return True  # "713 places were used", "464 children were ..."
    return question.who and bool(_PERSON.search(rest or text[1:]))


def _document_frequency(candidates: list[_Candidate]) -> Counter[str]:
    df: Counter[str] = Counter()
    for cand in candidates:
        df.update(set(cand.terms))
    return df


_RARE_IN_TURN = 2
"""A term in at most this many of a turn's sentences names something specific."""


def _repeats(cand: _Candidate, chosen: list[_Candidate], df: Counter[str]) -> bool:
    """Whether ``cand`` says again what a chosen sentence says: most of the shorter one's
    terms shared, and either all of them or nothing specific added. One fact per sentence
    ("Unaccompanied children need special arrangements to be heard." after "Children with
    communication difficulties need special arrangements to be heard.") is not a repeat,
    however many words the two share."""
    overlaps = [_overlap(cand.terms, other.terms) for other in chosen]
    if not any(o >= _DUPLICATE_OVERLAP for o in overlaps):
        return False
    if any(o >= 1.0 for o in overlaps):
        return True
    said = {t for c in chosen for t in c.terms}
    return not any(df[t] <= _RARE_IN_TURN and t not in said for t in cand.terms)


def _idf(df: Counter[str], n: int) -> dict[str, float]:
    """IDF-ish weights from the turn's document frequencies over ``n`` sentences."""
    return {term: math.log(1.0 + (n + 1) / (count + 0.5)) for term, count in df.items()}


def _bigrams(seq: list[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(seq))


def _score(
    cand: _Candidate,
    question: _Question,
    idf: dict[str, float],
    n_hits: int,
) -> tuple[float, float]:
    """(score, coverage): coverage is the IDF-weighted share of question terms present.

    A question term found only in the passage's headings counts for part: the heading
    says what the section is about ("As of March 2024") when its rows do not repeat it.
    """
    wanted = set(question.focus.terms)
    if not wanted:
        return 0.0, 0.0
    default_idf = max(idf.values(), default=1.0)
    present = question.focus.present(cand.terms)
    from_heading = (wanted - present) & question.focus.present(list(cand.heading_terms))
    total = sum(idf.get(t, default_idf) for t in wanted)
    matched = sum(idf.get(t, default_idf) for t in wanted & present)
    matched += _HEADING_WEIGHT * sum(idf.get(t, default_idf) for t in from_heading)
    coverage = matched / total if total else 0.0
    score = coverage
    phrase_hits = len(_bigrams(question.focus.terms) & _bigrams(cand.terms))
    score += 0.15 * min(phrase_hits, 3)
    score += 0.2 * sum(1 for t in wanted & present if is_number(t))
    score += 0.3 * (1.0 - cand.hit_index / max(n_hits, 1))
    score += _SECTION_WEIGHT * _section_match(cand, question)
    text = cand.answer.text
    if question.numeric and (
        any(is_number(t) for t in present) or present & _NUMBER_WORDS or _FREQUENCY.search(text)
    ):
        score += 0.25
    if question.when and _DATE.search(text):
        score += 0.25
    if question.who and _PERSON.search(text[1:]):
        score += 0.2
    # The kind asked for counts only in a sentence about the topic: a phone number for the
    # LADO does not answer "who do i contact about FGM".
    on_topic = not question.topic or bool(question.topic & present)
    if on_topic and any(kind.held(text) for kind in question.kinds):
        score += _KIND_HELD
    # Wordy sentences match more by chance: mild normalisation by length (of a list's intro:
    # its items are what was asked for, not chance matches).
    n_terms = len(terms(cand.span.text)) if cand.unit is not None else len(cand.terms)
    score /= 1.0 + 0.01 * max(0, n_terms - 20)
    return score * _unit_quality(cand, question), coverage


_SECTION_WEIGHT = 0.3
"""Chosen on the tune split: 0.3 left fact coverage as it was (0.6 lowered it) and led
definition questions with the definition."""


def _section_match(cand: _Candidate, question: _Question) -> float:
    """How fully the passage's own heading is what was asked: a section headed "What is
    abuse" answers "what is child abuse", one headed "How do I record the voice of the
    child" answers "how should i write down what the child says" in part."""
    if not cand.section_terms:
        return 0.0
    share = len(cand.section_terms & set(question.focus.terms)) / len(cand.section_terms)
    return share * share


def _unit_quality(cand: _Candidate, question: _Question) -> float:
    if cand.unit is not None:  # a list read with its intro is not a fragment
        return _quality(cand.unit, listing=True)
    return _quality(cand.span, direct=_is_direct(cand.span.text, question))


def _overlap(a: list[str], b: list[str]) -> float:
    """Share of the shorter sentence's terms found in the other; 0 when ``a`` brings a
    figure ``b`` lacks ("Of the 53 children, 27 died." does not repeat "53 children died")."""
    sa, sb = set(a), set(b)
    if not sa or not sb or any(is_number(t) and t not in sb for t in sa):
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def _with_list(span: Span, spans: list[Span], text: str) -> Span:
    """Extend a sentence that introduces a list ("…partners:") through the list's items."""
    if not span.text.endswith(":"):
        return span
    index = spans.index(span)
    end = span.end
    for item in spans[index + 1 : index + 1 + _MAX_LIST_ITEMS]:
        short_line = len(words(item.text)) <= 14 and not _ENDS_SENTENCE.search(item.text)
        blank_line_before = bool(re.search(r"\n[ \t]*\n", text[end : item.start]))
        if blank_line_before or item.text.endswith(":") or not (item.bullet or short_line):
            break
        end = item.end
    if end == span.end:
        return span
    return Span(text[span.start : end], span.start, end, span.bullet)


SentenceScores = dict[str, dict[tuple[int, int], float]]
"""passage id → (start, end) of a sentence → its embedding similarity to the question."""

_SEMANTIC_WEIGHT = 0.8
_SEMANTIC_ENOUGH = 0.55


def _candidates(hits: list[SearchHit], spans_by_hit: list[list[Span]]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for i, (hit, spans) in enumerate(zip(hits, spans_by_hit, strict=True)):
        heading = frozenset(terms(" ".join(hit.passage.heading_path)))
        section = (
            frozenset(terms(hit.passage.heading_path[-1]))
            if hit.passage.heading_path
            else frozenset()
        )
        for span in spans:
            if _TABLE_LABEL.match(span.text):
                continue
            unit = _with_list(span, spans, hit.passage.text)
            if unit is span:
                out.append(
                    _Candidate(
                        i, span, terms(span.text), heading_terms=heading, section_terms=section
                    )
                )
            else:
                out.append(_Candidate(i, span, terms(unit.text), unit, heading, section))
    return out


def _similarity(
    cand: _Candidate, hits: list[SearchHit], spans: list[Span], semantic: SentenceScores
) -> float:
    """Embedding similarity of the sentence; a list intro takes its best line's."""
    by_span = semantic.get(hits[cand.hit_index].passage.id, {})
    inside = [cand.span]
    if cand.unit is not None:
        inside += [s for s in spans if cand.unit.start <= s.start < cand.unit.end]
    return max(by_span.get((s.start, s.end), 0.0) for s in inside)


def _carry_context(candidates: list[_Candidate], spans_by_hit: list[list[Span]]) -> None:
    """A sentence opening "This…"/"These…" continues the one before: it shares part of that
    sentence's relevance ("…strategy was launched. This 10-year strategy…")."""
    by_position = {(c.hit_index, c.span.start): c for c in candidates}
    for cand in candidates:
        if not _ANAPHORA.match(cand.span.text):
            continue
        spans = spans_by_hit[cand.hit_index]
        position = spans.index(cand.span)
        if position == 0:
            continue
        previous = by_position[(cand.hit_index, spans[position - 1].start)]
        cand.score += _CARRY * previous.own_score
        cand.coverage = max(cand.coverage, 0.5 * previous.own_coverage)


def compose_extractive(
    question: str,
    hits: list[SearchHit],
    *,
    max_sentences: int = 8,
    max_words: int = 200,
    semantic: SentenceScores | None = None,
    answer_types: AnswerTypes | None = None,
) -> Draft:
    """Select, de-duplicate and order the sentences of ``hits`` that answer ``question``.

    With ``answer_types``, a sentence holding the kind of thing asked for (the count in
    "how many reviews…", the name in "who chairs…") is preferred."""
    keys = {id(hit): key for key, hit in passage_keys(hits).items()}
    spans_by_hit = [split_sentences(hit.passage.text) for hit in hits]
    candidates = _candidates(hits, spans_by_hit)
    if not candidates:
        return Draft(lead="", sentences=[], composer="extractive")
    focus = focus_of(question)
    kinds = answer_types.asked(question) if answer_types else ()
    asked = _Question(
        focus=focus,
        numeric=bool(_NUMERIC_QUESTION.search(question)),
        who=bool(_WHO_QUESTION.search(question)),
        when=bool(_WHEN_QUESTION.search(question)),
        kinds=kinds,
        topic=frozenset(t for t in focus.terms if not any(k.held(t) for k in kinds)),
    )
    df = _document_frequency(candidates)
    idf = _idf(df, len(candidates))
    for cand in candidates:
        cand.score, cand.coverage = _score(cand, asked, idf, len(hits))
        if semantic:
            similarity = _similarity(cand, hits, spans_by_hit[cand.hit_index], semantic)
            cand.similarity = similarity
            cand.score += _SEMANTIC_WEIGHT * max(0.0, similarity) * _unit_quality(cand, asked)
            if similarity >= _SEMANTIC_ENOUGH:  # a paraphrase can answer with no shared words
                cand.coverage = max(cand.coverage, _MIN_COVERAGE)
        cand.own_score, cand.own_coverage = cand.score, cand.coverage
    _carry_context(candidates, spans_by_hit)
    ranked = sorted(candidates, key=lambda c: c.score, reverse=True)
    best = ranked[0].score if ranked else 0.0

    chosen: list[tuple[_Candidate, Span]] = []
    rank_of: dict[int, int] = {}  # id(candidate) → the order it was chosen in
    word_count = 0
    for cand in ranked:
        if len(chosen) >= max_sentences or best <= 0 or cand.score < _MIN_SHARE_OF_BEST * best:
            break
        # The top passage is the best evidence retrieval found: accept thinner term overlap.
        floor = _MIN_COVERAGE / 2 if cand.hit_index == 0 else _MIN_COVERAGE
        if cand.coverage < floor:
            continue  # a weaker-scoring sentence further down may still cover the question
        span = cand.answer
        same_passage = [(c, s) for c, s in chosen if c.hit_index == cand.hit_index]
        if any(s.start <= span.start < s.end for _, s in same_passage):
            continue
        # A list chosen after one of its own items replaces the item (it reads with its intro).
        inside = [(c, s) for c, s in same_passage if span.start <= s.start and s.end <= span.end]
        others = [item for item in chosen if item not in inside]
        if _repeats(cand, [c for c, _ in others], df):
            continue
        n_words = len(words(span.text))
        freed = sum(len(words(s.text)) for _, s in inside)
        if word_count - freed + n_words > max_words:
            if chosen:
                continue
            span = cand.span
            n_words = len(words(span.text))
        else:
            chosen, word_count = others, word_count - freed
        chosen.append((cand, span))
        rank_of[id(cand)] = len(rank_of)
        word_count += n_words
        # A sentence opening with "This…"/"They…" needs the one before it to make sense.
        spans = spans_by_hit[cand.hit_index]
        position = spans.index(cand.span)
        if _ANAPHORA.match(cand.span.text) and position > 0:
            previous = spans[position - 1]
            already = any(
                s.start <= previous.start < s.end
                for c, s in chosen
                if c.hit_index == cand.hit_index
            )
            extra = len(words(previous.text))
            if not already and _quality(previous) >= 0.5 and word_count + extra <= max_words:
                context = _Candidate(cand.hit_index, previous, terms(previous.text))
                chosen.append((context, previous))
                rank_of[id(context)] = rank_of[id(cand)]
                word_count += extra

    # Group by source document (in rank order of the document's best hit), then document order.
    doc_order: dict[str, int] = {}
    for hit in hits:
        doc_order.setdefault(hit.doc.id, len(doc_order))
    chosen.sort(
        key=lambda item: (
            doc_order[hits[item[0].hit_index].doc.id],
            hits[item[0].hit_index].passage.start,
            item[1].start,
        )
    )
    sentences = [
        DraftSentence(
            text=span.text,
            keys=[keys[id(hits[cand.hit_index])]],
            similarity=cand.similarity,
            rank=rank_of[id(cand)],
        )
        for cand, span in chosen
    ]
    docs = [hits[cand.hit_index].doc for cand, _ in chosen]
    return Draft(lead=source_lead(docs), sentences=sentences, composer="extractive")
