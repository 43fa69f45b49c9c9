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

from assistant.compose import Draft, DraftSentence, passage_keys, source_lead
from assistant.compose.sentences import Span, split_sentences
from assistant.compose.terms import is_number, terms, words
from assistant.glossary import terms_in as glossary_terms_in
from assistant.types import SearchHit

_ANAPHORA = re.compile(r"^(?:This|These|It|Its|They|Their|Such|He|She|Both|The latter)\b")
_DEBRIS = re.compile(r"\[bookmark|\||<[a-z/]|\.{4,}|_{3,}")
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")
_MIN_SHARE_OF_BEST = 0.45
_MIN_COVERAGE = 0.25
_DUPLICATE_OVERLAP = 0.7
_MAX_LIST_ITEMS = 8
_YEARISH = re.compile(r"^(?:19|20)?\d{2}$")
_NUMERIC_QUESTION = re.compile(
    r"\b(how many|how much|how long|how often|number of|no\.? of|percentage|proportion|"
    r"timescale|within|rate)\b|%",
    re.I,
)
_WHO_QUESTION = re.compile(r"^\s*(?:and\s+)?(?:who|whom|whose)\b|\bwho (?:is|was|are|chairs|leads)\b", re.I)
_PERSON = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
    "hundred half third quarter".split()
)


@dataclass
class _Candidate:
    hit_index: int
    span: Span
    terms: list[str]
    score: float = 0.0


def _quality(span: Span) -> float:
    """Down-weights what reads badly on its own: fragments, headings, lists intros, debris."""
    text = span.text
    n_words = len(words(text))
    factor = 1.0
    if n_words < 4:
        factor *= 0.2
    elif n_words < 8:
        factor *= 0.6
    if not span.bullet and not _ENDS_SENTENCE.search(text) and not text.endswith(":"):
        factor *= 0.35 if n_words < 15 else 0.8
    if text.endswith(":"):
        factor *= 0.7
    if text.rstrip("*_ ").endswith("?"):
        factor *= 0.3  # a question in the document (a heading) does not answer one
    if n_words > 70:
        factor *= 0.7
    letters = sum(ch.isalpha() for ch in text)
    if _DEBRIS.search(text) or letters < 0.6 * len(text.replace(" ", "")):
        factor *= 0.2
    if "\n" in text and not span.bullet:
        factor *= 0.8
    return factor


def _idf(candidates: list[_Candidate]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for cand in candidates:
        df.update(set(cand.terms))
    n = len(candidates)
    return {term: math.log(1.0 + (n + 1) / (count + 0.5)) for term, count in df.items()}


def _bigrams(seq: list[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(seq))


def _score(
    cand: _Candidate,
    question_terms: list[str],
    idf: dict[str, float],
    n_hits: int,
    synonyms: dict[str, list[frozenset[str]]],
    numeric: bool,
    who: bool = False,
) -> tuple[float, float]:
    """(score, coverage): coverage is the IDF-weighted share of question terms present."""
    wanted = set(question_terms)
    if not wanted:
        return 0.0, 0.0
    default_idf = max(idf.values(), default=1.0)
    present = set(cand.terms)
    for abbreviation, alternatives in synonyms.items():
        if abbreviation in wanted and abbreviation not in present:
            for alternative in alternatives:
                if alternative and len(alternative & present) >= 0.67 * len(alternative):
                    present.add(abbreviation)
                    break
    total = sum(idf.get(t, default_idf) for t in wanted)
    matched = sum(idf.get(t, default_idf) for t in wanted & present)
    coverage = matched / total if total else 0.0
    score = coverage
    phrase_hits = len(_bigrams(question_terms) & _bigrams(cand.terms))
    score += 0.15 * min(phrase_hits, 3)
    score += 0.2 * sum(1 for t in wanted & present if is_number(t))
    score += 0.3 * (1.0 - cand.hit_index / max(n_hits, 1))
    if numeric and (any(is_number(t) for t in present) or present & _NUMBER_WORDS):
        score += 0.25
    if who and _PERSON.search(cand.span.text[1:]):
        score += 0.2
    # Wordy sentences match more by chance: mild normalisation by length.
    score /= 1.0 + 0.01 * max(0, len(cand.terms) - 20)
    return score * _quality(cand.span), coverage


def _overlap(a: list[str], b: list[str]) -> float:
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def _with_list(cand: _Candidate, spans: list[Span], hit: SearchHit) -> Span:
    """Extend a sentence that introduces a list ("…partners:") through the list's items."""
    if not cand.span.text.endswith(":"):
        return cand.span
    index = spans.index(cand.span)
    end = cand.span.end
    text = hit.passage.text
    for item in spans[index + 1 : index + 1 + _MAX_LIST_ITEMS]:
        short_line = len(words(item.text)) <= 14 and not _ENDS_SENTENCE.search(item.text)
        blank_line_before = bool(re.search(r"\n[ \t]*\n", text[end : item.start]))
        if blank_line_before or item.text.endswith(":") or not (item.bullet or short_line):
            break
        end = item.end
    if end == cand.span.end:
        return cand.span
    return Span(text[cand.span.start : end], cand.span.start, end, cand.span.bullet)


def _question_terms(question: str) -> list[str]:
    """Content terms, less years: retrieval already scoped by year, sentences rarely repeat it."""
    all_terms = terms(question)
    kept = [t for t in all_terms if not _YEARISH.match(t)]
    return kept or all_terms


def _synonyms(question: str) -> dict[str, list[frozenset[str]]]:
    """Acronyms in the question → the term sets of their expansions, so "CLA" matches
    "children looked after" and the reverse."""
    out: dict[str, list[frozenset[str]]] = {}
    for entry in glossary_terms_in(question):
        forms = [entry.abbreviation, entry.expansion, *entry.synonyms]
        stemmed = [frozenset(terms(form)) for form in forms]
        for form in stemmed:
            for term in form:
                out.setdefault(term, []).extend(f for f in stemmed if f != form)
    return out


SentenceScores = dict[str, dict[tuple[int, int], float]]
"""passage id → (start, end) of a sentence → its embedding similarity to the question."""

_SEMANTIC_WEIGHT = 0.8
_SEMANTIC_ENOUGH = 0.55


def compose_extractive(
    question: str,
    hits: list[SearchHit],
    *,
    max_sentences: int = 6,
    max_words: int = 160,
    semantic: SentenceScores | None = None,
) -> Draft:
    """Select, de-duplicate and order the sentences of ``hits`` that answer ``question``."""
    keys = {id(hit): key for key, hit in passage_keys(hits).items()}
    spans_by_hit = [split_sentences(hit.passage.text) for hit in hits]
    candidates = [
        _Candidate(i, span, terms(span.text))
        for i, spans in enumerate(spans_by_hit)
        for span in spans
    ]
    if not candidates:
        return Draft(lead="", sentences=[], composer="extractive")
    question_terms = _question_terms(question)
    synonyms = _synonyms(question)
    numeric = bool(_NUMERIC_QUESTION.search(question))
    who = bool(_WHO_QUESTION.search(question))
    idf = _idf(candidates)
    coverage: dict[int, float] = {}
    for cand in candidates:
        cand.score, coverage[id(cand)] = _score(
            cand, question_terms, idf, len(hits), synonyms, numeric, who
        )
        if semantic:
            passage_id = hits[cand.hit_index].passage.id
            similarity = semantic.get(passage_id, {}).get((cand.span.start, cand.span.end), 0.0)
            cand.score += _SEMANTIC_WEIGHT * max(0.0, similarity) * _quality(cand.span)
            if similarity >= _SEMANTIC_ENOUGH:  # a paraphrase can answer with no shared words
                coverage[id(cand)] = max(coverage[id(cand)], _MIN_COVERAGE)
    ranked = sorted(candidates, key=lambda c: c.score, reverse=True)
    best = ranked[0].score if ranked else 0.0

    chosen: list[tuple[_Candidate, Span]] = []
    word_count = 0
    for cand in ranked:
        if len(chosen) >= max_sentences or best <= 0:
            break
        # The top passage is the best evidence retrieval found: accept thinner term overlap.
        floor = _MIN_COVERAGE / 2 if cand.hit_index == 0 else _MIN_COVERAGE
        if cand.score < _MIN_SHARE_OF_BEST * best or coverage[id(cand)] < floor:
            break
        if any(_overlap(cand.terms, other.terms) >= _DUPLICATE_OVERLAP for other, _ in chosen):
            continue
        if any(
            other.hit_index == cand.hit_index and s.start <= cand.span.start < s.end
            for other, s in chosen
        ):
            continue
        hit = hits[cand.hit_index]
        span = _with_list(cand, spans_by_hit[cand.hit_index], hit)
        n_words = len(words(span.text))
        if word_count + n_words > max_words:
            if chosen:
                continue
            span = cand.span
            n_words = len(words(span.text))
        chosen.append((cand, span))
        word_count += n_words
        # A sentence opening with "This…"/"They…" needs the one before it to make sense.
        spans = spans_by_hit[cand.hit_index]
        position = spans.index(cand.span)
        if _ANAPHORA.match(cand.span.text) and position > 0:
            previous = spans[position - 1]
            already = any(s.start <= previous.start < s.end for c, s in chosen
                          if c.hit_index == cand.hit_index)
            extra = len(words(previous.text))
            if not already and _quality(previous) >= 0.5 and word_count + extra <= max_words:
                chosen.append((_Candidate(cand.hit_index, previous, terms(previous.text)),
                               previous))
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
        DraftSentence(text=span.text, keys=[keys[id(hits[cand.hit_index])]])
        for cand, span in chosen
    ]
    docs = [hits[cand.hit_index].doc for cand, _ in chosen]
    return Draft(lead=source_lead(docs), sentences=sentences, composer="extractive")
