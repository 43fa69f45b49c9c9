"""Keyword search: BM25 via bm25s, persisted beside the vector store.

Keyword matching catches what embeddings miss in this domain: acronyms (LADO, CSPR),
numbers ("2023-24", "47"), and names of reviews and boards.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

_STEMMER = Stemmer.Stemmer("english")
_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
# bm25s' English stop-word list removes "it"/"its" etc; we keep numbers and acronyms.
_STOPWORDS = frozenset(bm25s.stopwords.STOPWORDS_EN) | {"lambeth's", "s"}


def tokenize(text: str) -> list[str]:
    """Lower-case, split hyphenated years ("2023-24" → also "2023", "24"), stem, drop stop words."""
    tokens: list[str] = []
    for raw in _TOKEN.findall(text.lower().replace("’", "'")):
        parts = [raw]
        if "-" in raw:
            parts.extend(p for p in raw.split("-") if p)
        for part in parts:
            part = part.removesuffix("'s")
            if part in _STOPWORDS or not part:
                continue
            tokens.append(part)
    return [str(t) for t in _STEMMER.stemWords(tokens)]


@dataclass(frozen=True)
class KeywordHit:
    passage_id: str
    score: float


class KeywordIndex:
    """BM25 over passages; ``partnerships`` filter applied on the full score vector."""

    def __init__(self, ids: list[str], partnerships: list[str], model: bm25s.BM25) -> None:
        self.ids = ids
        self.partnerships = np.asarray(partnerships)
        self._model = model

    @classmethod
    def build(cls, ids: list[str], texts: list[str], partnerships: list[str]) -> KeywordIndex:
        model = bm25s.BM25(k1=1.2, b=0.75)
        corpus_tokens = [tokenize(t) or ["empty"] for t in texts]
        model.index(corpus_tokens, show_progress=False)
        return cls(ids, partnerships, model)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._model.save(str(folder / "bm25"))
        meta = {"ids": self.ids, "partnerships": self.partnerships.tolist()}
        (folder / "bm25-ids.json").write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        meta = json.loads((folder / "bm25-ids.json").read_text(encoding="utf-8"))
        model = bm25s.BM25.load(str(folder / "bm25"))
        return cls(meta["ids"], meta["partnerships"], model)

    def search(self, query: str, n: int, partnerships: list[str] | None = None) -> list[KeywordHit]:
        tokens = tokenize(query)
        if not tokens:
            return []
        scores = np.asarray(self._model.get_scores(tokens), dtype=np.float64)
        if partnerships:
            scores = np.where(np.isin(self.partnerships, partnerships), scores, 0.0)
        top = np.argsort(-scores)[:n]
        return [KeywordHit(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
