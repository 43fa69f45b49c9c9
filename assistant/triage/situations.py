"""The situation classifier: learned similarity to an exemplar bank kept as data.

``corpus/triage/<intent>.yaml`` holds short situations for each intent (immediate danger,
disclosure, decision request, out of scope, a child or parent writing, a practitioner in
crisis), each with *hard negatives*: the same words with no such situation ("suicide
prevention training", "what did the Baby N review find"). A message and each of its
clauses are embedded with the packaged MiniLM and compared with every exemplar; an
intent's score for a piece of text is

    mean similarity of its k nearest positives − mean similarity of its k nearest negatives

and the message's score is the highest over the whole message and its clauses, so danger
in the last sentence of a long message is not averaged away. The thresholds that turn
scores into decisions are fitted on the *tune* split of the dev sets and stored in
``corpus/triage/calibration.yaml`` by ``python -m benchmarks.tune_triage``.

A fix for one phrasing fixes its neighbours: adding an exemplar moves every message near it.
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel, Field, ValidationError

from assistant.embeddings import Embedder, Vectors

__all__ = [
    "INTENTS",
    "Calibration",
    "ExemplarFile",
    "SituationModel",
    "SituationScores",
]

log = logging.getLogger(__name__)

INTENTS = (
    "emergency",
    "disclosure",
    "decision",
    "out_of_scope",
    "child_or_parent",
    "practitioner_crisis",
)

K_NEAREST = 3


class ExemplarSides(BaseModel):
    positive: dict[str, list[str]] = Field(default_factory=dict)
    negative: dict[str, list[str]] = Field(default_factory=dict)


class ExemplarFile(BaseModel):
    """The shape of ``corpus/triage/<intent>.yaml``."""

    intent: str
    description: str = ""
    exemplars: ExemplarSides = Field(default_factory=ExemplarSides)


class Calibration(BaseModel):
    """Decision thresholds per intent, fitted on the tune split (``calibration.yaml``)."""

    fires: dict[str, float] = Field(default_factory=dict)
    """An intent fires when its score is at or above this."""
    corroborated: float = -0.05
    """A danger word from the patterns or the lexicon fires the 999 route only when the
    classifier's emergency score is at least this (far below ``fires["emergency"]``): the
    word must not sit in a message the classifier places among the calm exemplars."""
    disclosure_corroborated: float = float("-inf")
    """A disclosure pattern ("told me", "allegation", "CSE") opens the disclosure route
    only when the classifier's disclosure score is at least this: "definition of CSE" or
    "where do I send the allegations form" matches the words but sits among the calm
    exemplars. Fitted at recall 1.0 on the tune split's disclosures, less a margin."""
    fitted_on: str = ""
    tune_figures: dict[str, float] = Field(default_factory=dict)

    def threshold(self, intent: str) -> float:
        """An intent with no fitted threshold never fires from the classifier."""
        return self.fires.get(intent, float("inf"))

    @classmethod
    def load(cls, path: Path) -> Calibration:
        if not path.exists():
            return cls()
        return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


class SituationScores(BaseModel):
    """Scores per intent: the best over the message and its clauses, and the whole message's."""

    best: dict[str, float] = Field(default_factory=dict)
    whole: dict[str, float] = Field(default_factory=dict)
    nearest: dict[str, str] = Field(default_factory=dict)
    """For each intent, the sub-category of the nearest positive exemplar (for audits)."""


def load_exemplar_files(folder: Path) -> list[ExemplarFile]:
    files: list[ExemplarFile] = []
    for path in sorted(folder.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(raw, dict) or "exemplars" not in raw:
            continue  # the lexicon and calibration files live beside the banks
        try:
            files.append(ExemplarFile.model_validate(raw))
        except ValidationError as error:
            raise ValueError(f"{path}: not a valid exemplar bank: {error}") from error
    return files


class SituationModel:
    """Exemplar embeddings for every intent, computed once and cached on disk."""

    def __init__(
        self,
        embedder: Embedder,
        files: list[ExemplarFile],
        *,
        cache_dir: Path | None = None,
        k: int = K_NEAREST,
    ) -> None:
        self.embedder = embedder
        self.k = k
        texts: list[str] = []
        intents: list[str] = []
        positive: list[bool] = []
        categories: list[str] = []
        for bank in files:
            for side, groups in (
                (True, bank.exemplars.positive),
                (False, bank.exemplars.negative),
            ):
                for category, items in groups.items():
                    for item in items:
                        if isinstance(item, str) and item.strip():
                            texts.append(item.strip())
                            intents.append(bank.intent)
                            positive.append(side)
                            categories.append(category)
        self.texts = texts
        self.categories = categories
        self.intents = sorted(set(intents))
        self._index: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        intent_array = np.array(intents)
        positive_array = np.array(positive, dtype=bool)
        for intent in self.intents:
            mine = intent_array == intent
            pos = np.flatnonzero(mine & positive_array)
            neg = np.flatnonzero(mine & ~positive_array)
            if len(pos) and len(neg):
                self._index[intent] = (pos, neg)
        self.vectors = self._embed_bank(texts, cache_dir)

    @classmethod
    def load(
        cls, folder: Path, embedder: Embedder, *, cache_dir: Path | None = None
    ) -> SituationModel:
        return cls(embedder, load_exemplar_files(folder), cache_dir=cache_dir)

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(self.embedder.name.encode())
        for text, category in zip(self.texts, self.categories, strict=True):
            digest.update(f"{category}\x1f{text}\x1e".encode())
        return digest.hexdigest()[:16]

    def _embed_bank(self, texts: list[str], cache_dir: Path | None) -> Vectors:
        if not texts:
            return np.zeros((0, self.embedder.dimension), dtype=np.float32)
        path = cache_dir / f"exemplars-{self.fingerprint}.npy" if cache_dir else None
        if path is not None and path.exists():
            try:
                cached = np.load(path)
                if cached.shape == (len(texts), self.embedder.dimension):
                    return np.asarray(cached, dtype=np.float32)
            except (OSError, ValueError):
                log.warning("exemplar cache %s unreadable; re-embedding", path)
        vectors = self.embedder.embed(texts)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp.npy")
                np.save(tmp, vectors)
                tmp.replace(path)
            except OSError as error:
                log.warning("exemplar cache not written: %s", error)
        return vectors

    def score(self, whole: str, pieces: list[str]) -> SituationScores:
        """Score the whole message and its clauses against every intent's exemplars."""
        return self._score(whole, tuple(p for p in pieces if p != whole)).model_copy(deep=True)

    @lru_cache(maxsize=1024)  # noqa: B019 - one model per process; follow-ups rescore turns
    def _score(self, whole: str, pieces: tuple[str, ...]) -> SituationScores:
        units = [whole, *pieces]
        vectors = self.embedder.embed(units)
        sims = vectors @ self.vectors.T  # units × exemplars
        scores = SituationScores()
        for intent, (pos, neg) in self._index.items():
            margins = _top_mean(sims[:, pos], self.k) - _top_mean(sims[:, neg], self.k)
            best_unit = int(np.argmax(margins))
            scores.best[intent] = round(float(margins[best_unit]), 4)
            scores.whole[intent] = round(float(margins[0]), 4)
            nearest = pos[int(np.argmax(sims[best_unit, pos]))]
            scores.nearest[intent] = self.categories[int(nearest)]
        return scores


def _top_mean(sims: np.ndarray, k: int) -> np.ndarray:
    """Mean of the k largest values in each row."""
    k = min(k, sims.shape[1])
    top = np.partition(sims, sims.shape[1] - k, axis=1)[:, -k:]
    return np.asarray(top.mean(axis=1))
