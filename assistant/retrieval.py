"""Question → ranked passages: dense + BM25 fused, scoped, de-duplicated, with a floor.

Fusion is weighted reciprocal rank fusion (robust to the two retrievers' incomparable
score scales). Historical and superseded documents are down-weighted unless the question
names one of their years; documents whose years the question names are lifted. A summary
replaced by an original (``replaced_by``) is down-weighted more, whatever years are named,
and ranks below its original whenever both match. The relevance floor makes "nothing
relevant" detectable so the answer can say so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np

from assistant.embeddings import Embedder
from assistant.glossary import expand_query
from assistant.index import StoredGeneration, embedding_text
from assistant.keyword import KeywordHit, KeywordIndex, tokenize
from assistant.settings import RetrievalSettings
from assistant.store import DenseHit, VectorStore
from assistant.types import LONDON, NATIONAL, WIDE_SCOPES, SearchHit, SourceDocument

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
        self._row = {pid: i for i, pid in enumerate(generation.passage_order)}
        self._sentence_rows = generation.sentences.rows_by_passage()
        self._terms = {
            pid: frozenset(tokenize(embedding_text(p, self.docs[p.doc_id])))
            for pid, p in generation.passages.items()
        }
        self._last_vector: np.ndarray = np.zeros(0, dtype=np.float32)

    @property
    def partnerships(self) -> list[str]:
        """Partnerships a question can be scoped to; ``national`` is always searched instead."""
        return sorted(({d.partnership for d in self.docs.values()} | {LONDON}) - {NATIONAL})

    def _embed_uncached(self, text: str) -> tuple[float, ...]:
        return tuple(float(x) for x in self.embedder.embed([text])[0])

    def sentence_scores(
        self, query: str, hits: list[SearchHit]
    ) -> dict[str, dict[tuple[int, int], float]]:
        """Cosine similarity of the question to every sentence of the hits, by passage and span."""
        vector = np.asarray(self._embed_query(query), dtype=np.float32)
        table = self.generation.sentences
        out: dict[str, dict[tuple[int, int], float]] = {}
        for hit in hits:
            rows = self._sentence_rows.get(hit.passage.id, [])
            if not rows:
                continue
            sims = table.vectors[rows] @ vector
            out[hit.passage.id] = {
                table.spans[row]: float(sim) for row, sim in zip(rows, sims, strict=True)
            }
        return out

    def _similarity(self, vector: np.ndarray, passage_id: str) -> float:
        row = self._row.get(passage_id)
        return float(self.generation.vectors[row] @ vector) if row is not None else 0.0

    def _fuse(self, dense: list[DenseHit], keyword: list[KeywordHit]) -> dict[str, float]:
        settings = self.settings
        fused: dict[str, float] = defaultdict(float)
        if settings.fusion == "rrf":
            for rank, hit in enumerate(dense):
                fused[hit.passage_id] += settings.dense_weight / (settings.rrf_k + rank + 1)
            for rank, kw in enumerate(keyword):
                fused[kw.passage_id] += settings.keyword_weight / (settings.rrf_k + rank + 1)
            return fused
        # Convex combination of cosine similarity and max-normalised BM25, each passage
        # scored exactly by both retrievers (a candidate from one gets the other's score).
        top_bm25 = max((kw.score for kw in keyword), default=0.0) or 1.0
        bm25 = {kw.passage_id: kw.score / top_bm25 for kw in keyword}
        sims = {hit.passage_id: hit.similarity for hit in dense}
        alpha = settings.dense_weight / (settings.dense_weight + settings.keyword_weight)
        for pid in set(bm25) | set(sims):
            sim = sims.get(pid)
            if sim is None:
                sim = self._similarity(self._last_vector, pid)
            fused[pid] = alpha * sim + (1 - alpha) * bm25.get(pid, 0.0)
        return fused

    def _relevant(self, best_similarity: float, query: str, hits: list[SearchHit]) -> bool:
        """Above the dense floor, or just under it with most question words in a top passage
        (embeddings underrate questions made of acronyms: "what does MACE stand for")."""
        floor = self.settings.relevance_floor
        if best_similarity >= floor:
            return True
        terms = set(tokenize(query))
        if not terms or best_similarity < floor - 0.05:
            return False
        coverage = max(len(terms & self._terms[h.passage.id]) / len(terms) for h in hits[:3])
        return coverage >= 0.5

    def _rank_below_originals(self, fused: dict[str, float]) -> None:
        """A replaced summary never outranks the document that replaced it.

        When the original also has a candidate passage, every passage of the summary is
        capped just below the original's best one, so the original is cited first and the
        summary only adds what the original's text does not hold. Without an original
        candidate (not indexed, or nothing in it matches) the summary keeps its
        ``replaced_weight``-reduced score and can still answer, with the out-of-date notice.
        """
        best: dict[str, float] = {}
        for pid, score in fused.items():
            doc_id = self.generation.passages[pid].doc_id
            best[doc_id] = max(best.get(doc_id, score), score)
        for pid, score in fused.items():
            original = self.docs[self.generation.passages[pid].doc_id].replaced_by
            if original in best and score >= best[original]:
                fused[pid] = best[original] * 0.99

    def search(
        self,
        query: str,
        partnership: str,
        k: int | None = None,
        *,
        kind_priors: dict[str, float] | None = None,
    ) -> RetrievalResult:
        """Hybrid search; ``kind_priors`` multiplies passages' scores by their document's
        kind (what the question asks for decides which kinds answer it best)."""
        settings = self.settings
        k = k or settings.k
        scope = sorted({partnership, *WIDE_SCOPES})
        expanded = expand_query(query)
        n = max(settings.candidates, k * 3)

        vector = np.asarray(
            self._embed_query(expanded if settings.expand_dense else query), dtype=np.float32
        )
        self._last_vector = vector
        dense = self.store.query(self.generation.info.generation, vector, n, scope)
        keyword = self.keyword.search(expanded, n, scope)

        fused = self._fuse(dense, keyword)
        similarity = {hit.passage_id: hit.similarity for hit in dense}
        for pid in fused:
            if pid not in similarity:
                similarity[pid] = self._similarity(vector, pid)

        if settings.sentence_weight:
            table = self.generation.sentences
            for pid in fused:
                rows = self._sentence_rows.get(pid)
                if rows:
                    best_sentence = float(np.max(table.vectors[rows] @ vector))
                    fused[pid] += settings.sentence_weight * best_sentence
        if settings.coverage_weight:
            terms = set(tokenize(query))
            for pid in fused:
                if terms:
                    share = len(terms & self._terms.get(pid, frozenset())) / len(terms)
                    fused[pid] += settings.coverage_weight * share

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
            if doc.replaced_by is not None:
                fused[pid] *= settings.replaced_weight
            elif named and years & named:
                fused[pid] *= 1.5
            elif doc.status in ("historical", "superseded"):
                fused[pid] *= settings.historical_weight
            if wants_briefing and doc.kind == "briefing":
                fused[pid] *= 1.3
            if kind_priors:
                fused[pid] *= kind_priors.get(doc.kind, 1.0)
            title_terms = set(tokenize(" ".join(passage.heading_path)))
            if query_terms and len(query_terms & title_terms) >= 2:
                fused[pid] *= 1.1

        self._rank_below_originals(fused)
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
        # No document can report on a year that has not happened yet.
        future = any(int(year) > date.today().year for year in named)
        return RetrievalResult(
            hits=hits,
            relevant=bool(hits) and not future and self._relevant(best, query, hits),
            best_similarity=best,
            partnerships=scope,
            expanded_query=expanded,
        )
