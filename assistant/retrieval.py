"""Question → ranked passages: dense + BM25 fused, scoped, de-duplicated, with a floor.

Fusion is weighted reciprocal rank fusion (robust to the two retrievers' incomparable
score scales). Historical and superseded documents are down-weighted unless the question
names one of their years; documents whose years the question names are lifted. The
relevance floor makes "nothing relevant" detectable so the answer can say so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.embeddings import Embedder
from assistant.glossary import expand_query
from assistant.index import StoredGeneration
from assistant.keyword import KeywordIndex, tokenize
from assistant.settings import RetrievalSettings
from assistant.store import VectorStore
from assistant.types import SearchHit, SourceDocument

LONDON = "london"

_YEAR_SPAN = re.compile(r"\b((?:19|20)\d{2}|\d{2})\s*(?:-|–|/|to)\s*((?:19|20)?\d{2})\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_BRIEFING_WORDS = re.compile(r"\b(7|seven)[- ]?min(ute)?s?\b|\bbriefings?\b", re.I)


def years_named(text: str) -> set[str]:
    """Four-digit years a text names: "23-24" → {2023, 2024}; "2016-2017" → {2016, 2017}."""
    years: set[str] = set()
    for first, second in _YEAR_SPAN.findall(text):
        start = int(first) if len(first) == 4 else 2000 + int(first)
        end = int(second) if len(second) == 4 else (start // 100) * 100 + int(second)
        if 0 < end - start <= 5:
            years.update(str(y) for y in range(start, end + 1))
    years.update(_YEAR.findall(text))
    return years


def document_years(doc: SourceDocument) -> set[str]:
    return years_named(f"{doc.title} {doc.period or ''}")


@dataclass
class RetrievalResult:
    hits: list[SearchHit]
    relevant: bool
    best_similarity: float
    partnerships: list[str]
    expanded_query: str
    debug: dict[str, float] = field(default_factory=dict)


class Retriever:
    """Thread-safe for reads: the loaded generation is never mutated after construction."""

    def __init__(
        self,
        generation: StoredGeneration,
        embedder: Embedder,
        store: VectorStore,
        settings: RetrievalSettings,
    ) -> None:
        self.generation = generation
        self.embedder = embedder
        self.store = store
        self.settings = settings
        self.docs: dict[str, SourceDocument] = {
            doc_id: clean.doc for doc_id, clean in generation.documents.items()
        }
        self.keyword: KeywordIndex = generation.keyword
        self._embed_query = lru_cache(maxsize=512)(self._embed_uncached)

    @property
    def partnerships(self) -> list[str]:
        return sorted({d.partnership for d in self.docs.values()} | {LONDON})

    def _embed_uncached(self, text: str) -> tuple[float, ...]:
        return tuple(float(x) for x in self.embedder.embed([text])[0])

    def search(self, query: str, partnership: str, k: int | None = None) -> RetrievalResult:
        settings = self.settings
        k = k or settings.k
        scope = sorted({partnership, LONDON})
        expanded = expand_query(query)
        n = max(settings.candidates, k * 3)

        import numpy as np

        vector = np.asarray(self._embed_query(expanded), dtype=np.float32)
        dense = self.store.query(self.generation.info.generation, vector, n, scope)
        keyword = self.keyword.search(expanded, n, scope)

        fused: dict[str, float] = defaultdict(float)
        similarity: dict[str, float] = {}
        for rank, hit in enumerate(dense):
            fused[hit.passage_id] += settings.dense_weight / (settings.rrf_k + rank + 1)
            similarity[hit.passage_id] = hit.similarity
        for rank, kw in enumerate(keyword):
            fused[kw.passage_id] += settings.keyword_weight / (settings.rrf_k + rank + 1)

        named = years_named(query)
        wants_briefing = bool(_BRIEFING_WORDS.search(query))
        query_terms = set(tokenize(query))
        for pid in list(fused):
            passage = self.generation.passages.get(pid)
            if passage is None:
                del fused[pid]
                continue
            doc = self.docs[passage.doc_id]
            years = document_years(doc)
            if named and years & named:
                fused[pid] *= 1.5
            elif doc.status in ("historical", "superseded"):
                fused[pid] *= settings.historical_weight
            if wants_briefing and doc.kind == "briefing":
                fused[pid] *= 1.3
            title_terms = set(tokenize(" ".join(passage.heading_path)))
            if query_terms and len(query_terms & title_terms) >= 2:
                fused[pid] *= 1.1

        ranked = sorted(fused.items(), key=lambda item: item[1], reverse=True)
        hits: list[SearchHit] = []
        per_doc: dict[str, int] = defaultdict(int)
        for pid, score in ranked:
            passage = self.generation.passages[pid]
            if per_doc[passage.doc_id] >= settings.max_per_document:
                continue
            per_doc[passage.doc_id] += 1
            hits.append(
                SearchHit(
                    passage=passage, doc=self.docs[passage.doc_id], score=score, rank=len(hits) + 1
                )
            )
            if len(hits) >= k:
                break
        if len(hits) < k:  # diversity must not starve a small scope of results
            chosen = {h.passage.id for h in hits}
            for pid, score in ranked:
                if pid not in chosen and len(hits) < k:
                    passage = self.generation.passages[pid]
                    hits.append(
                        SearchHit(
                            passage=passage,
                            doc=self.docs[passage.doc_id],
                            score=score,
                            rank=len(hits) + 1,
                        )
                    )
        best = max(similarity.values(), default=0.0)
        return RetrievalResult(
            hits=hits,
            relevant=bool(hits) and best >= settings.relevance_floor,
            best_similarity=best,
            partnerships=scope,
            expanded_query=expanded,
        )
