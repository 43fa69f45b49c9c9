"""The answerability gate: an answer goes out only if its cited sentences address the question.

Retrieval always finds *something*; a grounded answer to a different question looks
authoritative and sends a practitioner the wrong way. The gate looks at the sentences the
composer chose (not the passages around them) and asks three things:

- **coverage**: how much of the question's focus (its content terms, weighted by how rare
  each is in the corpus, glossary expansions counted) the cited sentences contain;
- **missing**: the rarest focus term they do not contain ("EHCP", "molestation", "parking")
  — a specific thing asked for that the documents never mention is the typical miss;
- **similarity**: the best cited sentence's embedding similarity to the question;

plus the learned off-topic signal from triage (as a verdict and as a degree: how far its
score is above or below the threshold) and whether the corpus never uses some focus
term at all. A logistic model over these features, fitted
on the *tune* split only (``python -m benchmarks.tune_answerability``), decides; its weights
and threshold live in ``corpus/answerability.yaml`` as data.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import yaml
from pydantic import BaseModel
from wordfreq import zipf_frequency

from assistant.compose import DraftSentence
from assistant.compose.answer_types import AnswerTypes
from assistant.compose.focus import Focus
from assistant.compose.terms import is_number, terms, words
from assistant.triage.text import distance
from assistant.types import GateEvidence

FEATURES = (
    "coverage",
    "missing",
    "similarity",
    "off_topic",
    "unknown",
    "type_unmet",
    "off_topic_margin",
)
"""The gate's inputs, in the order of the fitted weights."""


EVIDENCE_SENTENCES = 6
"""How many of an answer's sentences the gate weighs: the composer's strongest, in the
order it chose them. An answer may show a couple more, and those must not make an answer
to a different question look as if it addressed this one."""


def leading_sentences(sentences: list[DraftSentence]) -> list[DraftSentence]:
    """The ``EVIDENCE_SENTENCES`` a composer ranked first (all of them, in order, when it
    does not rank)."""
    ranked = sorted(sentences, key=lambda s: (s.rank is None, s.rank or 0))
    return ranked[:EVIDENCE_SENTENCES]


_REPAIR_MIN = 5
"""Shorter words are left as typed: too many real words sit one edit apart."""
_REAL_WORD_ZIPF = 2.0
"""At or above this Zipf frequency a word is English in its own right ("easter",
"parking"), however rarely the documents use it."""
_WORD_RUN = re.compile(r"[A-Za-z]+")


def _by_initial(counts: Counter[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for term in counts:
        if term.isalpha():
            out.setdefault(term[0], []).append(term)
    return out


class CorpusTerms:
    """How many passages use each content term: rare terms are what a question is about."""

    def __init__(self, counts: Counter[str], n: int, spellings: Counter[str] | None = None) -> None:
        self._counts = counts
        self._n = max(n, 1)
        self._top = math.log((self._n + 1) / 0.5)
        self._by_initial = _by_initial(counts)
        self._spellings = spellings or Counter()
        self._spellings_by_initial = _by_initial(self._spellings)

    @classmethod
    def of(cls, texts: Iterable[str]) -> CorpusTerms:
        counts: Counter[str] = Counter()
        spellings: Counter[str] = Counter()
        n = 0
        for text in texts:
            counts.update(set(terms(text)))
            spellings.update(w for w in words(text) if len(w) >= _REPAIR_MIN and w.isalpha())
            n += 1
        return cls(counts, n, spellings)

    def known(self, term: str) -> bool:
        return self._counts.get(term, 0) > 0

    def resolve(self, term: str) -> str:
        """A term the corpus never uses, read as the corpus term it is a near miss of
        ("referal" → "referr", "socail" → "social"); otherwise the term itself."""
        if self.known(term) or len(term) < 5 or not term.isalpha():
            return term
        if zipf_frequency(term, "en") >= _REAL_WORD_ZIPF:
            return term  # a real word the documents do not use ("easter", "parking")
        limit = 1
        best, best_distance = term, limit + 1
        for known in self._by_initial.get(term[0], ()):
            if abs(len(known) - len(term)) > limit:
                continue
            d = distance(term, known, limit)
            if d > limit:
                continue
            if d < best_distance or self._counts[known] > self._counts[best]:
                best, best_distance = known, d
        return best

    def repair(self, text: str) -> str:
        """``text`` with each word the documents never use and English does not know
        spelt as the documents' word it is a near miss of ("socail" → "social", "referal"
        → "referral", "safegaurding" → "safeguarding"), so that search, the composer and
        the gate read the word that was meant. Real words and known terms stay as typed."""
        return _WORD_RUN.sub(lambda m: self._repair_word(m.group(0)), text)

    def _repair_word(self, word: str) -> str:
        lower = word.lower()
        if len(lower) < _REPAIR_MIN or lower in self._spellings:
            return word
        if zipf_frequency(lower, "en") >= _REAL_WORD_ZIPF:
            return word
        limit = 1 if len(lower) <= 8 else 2
        best, best_distance = word, limit + 1
        for known in self._spellings_by_initial.get(lower[0], ()):
            # Slips fall after the first two letters ("socail", "referal", "asessment");
            # "clares" (Clare's law) is not a misspelling of "cares".
            if known[1] != lower[1] or abs(len(known) - len(lower)) > limit:
                continue
            d = distance(lower, known, limit)
            if d > limit:
                continue
            if d < best_distance or (
                d == best_distance and self._spellings[known] > self._spellings[best]
            ):
                best, best_distance = known, d
        return best

    def weight(self, term: str) -> float:
        """Inverse document frequency scaled to 0..1 (1: the corpus never uses the term)."""
        return math.log((self._n + 1) / (self._counts.get(term, 0) + 0.5)) / self._top


class GateCalibration(BaseModel):
    """Logistic weights over ``FEATURES`` and the probability an answer must reach."""

    weights: dict[str, float]
    bias: float
    threshold: float = 0.5
    fitted_on: str = ""

    @classmethod
    def load(cls, path: Path) -> GateCalibration | None:
        if not path.exists():
            return None
        return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))

    def probability(self, evidence: GateEvidence) -> float:
        z = self.bias + sum(
            self.weights.get(name, 0.0) * value
            for name, value in zip(FEATURES, evidence.features(), strict=True)
        )
        return 1.0 / (1.0 + math.exp(-z))

    def judge(self, evidence: GateEvidence) -> GateEvidence:
        """The evidence with the model's probability and verdict filled in."""
        probability = self.probability(evidence)
        return evidence.model_copy(
            update={
                "probability": round(probability, 4),
                "answerable": probability >= self.threshold,
            }
        )


def assess(
    focus: Focus,
    sentences: list[str],
    similarities: list[float],
    corpus: CorpusTerms,
    *,
    off_topic: bool,
    off_topic_margin: float | None = None,
    question: str = "",
    answer_types: AnswerTypes | None = None,
) -> GateEvidence:
    """The evidence that ``sentences`` (the cited ones) address ``focus``."""
    wanted = [corpus.resolve(t) for t in dict.fromkeys(focus.terms) if not is_number(t)]
    wanted = list(dict.fromkeys(wanted)) or list(focus.terms)
    present: set[str] = set()
    for sentence in sentences:
        present |= focus.present(terms(sentence))
    weights = {t: corpus.weight(t) for t in wanted}
    total = sum(weights.values())
    addressed = [t for t in wanted if t in present]
    covered = sum(weights[t] for t in addressed)
    missing = max((weights[t] for t in wanted if t not in present), default=0.0)
    return GateEvidence(
        focus=wanted,
        addressed=addressed,
        unknown=[t for t in wanted if not corpus.known(t) and t not in present],
        coverage=covered / total if total else 0.0,
        missing=missing,
        similarity=max(similarities, default=0.0),
        off_topic=off_topic,
        off_topic_margin=off_topic_margin,
        unmet_types=answer_types.unmet(question, sentences) if answer_types else [],
    )
