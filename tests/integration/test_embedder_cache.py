"""The embedder's small-call cache: retrieval reuses the vector triage computed, and the
cached vector is the one a fresh call would give."""

from __future__ import annotations

import numpy as np

from assistant.embeddings import _CACHE_SIZE, _CACHED_CALL_MAX, load_embedder


def test_a_cached_vector_matches_a_fresh_one_and_the_cache_is_bounded() -> None:
    embedder = load_embedder()
    embedder.forget()
    question = "a child in my class keeps coming in hungry, what do I do"
    together = embedder.embed([question, "what do I do"])
    assert question in embedder._cache
    alone = embedder.embed([question])
    assert np.allclose(together[0], alone[0], atol=1e-5)
    embedder.forget()
    fresh = embedder.embed([question])
    assert np.allclose(fresh[0], alone[0], atol=1e-5)

    big = [f"sentence number {i}" for i in range(_CACHED_CALL_MAX + 1)]
    embedder.embed(big)
    assert not any(text in embedder._cache for text in big)  # ingest-sized calls skip it
    assert len(embedder._cache) <= _CACHE_SIZE
    embedder.forget()
