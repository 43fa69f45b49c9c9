"""The two baselines the retrieval issue asks us to beat, measured in the same run.

* ``LangChainBaseline``: the tutorial pipeline — raw documents split into 1000-character
  chunks (RecursiveCharacterTextSplitter, 200 overlap), the same MiniLM model, Chroma
  similarity search through ``langchain-chroma``.
* ``BM25Baseline``: plain BM25 (bm25s with its default English stop words and no
  stemming) over the same raw 1000-character chunks.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import bm25s
import yaml

from assistant.embeddings import SentenceEmbedder


def raw_documents(corpus_dir: Path) -> list[tuple[str, str]]:
    manifest = yaml.safe_load((corpus_dir / "manifest.yaml").read_text(encoding="utf-8"))
    docs = []
    for entry in manifest["documents"]:
        path = corpus_dir / entry["file"]
        if path.suffix in (".txt", ".md") and path.exists():
            docs.append((entry["id"], path.read_text(encoding="utf-8", errors="replace")))
    return docs


def split_chunks(corpus_dir: Path) -> list[tuple[str, str]]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    chunks = []
    for doc_id, text in raw_documents(corpus_dir):
        chunks.extend((doc_id, chunk) for chunk in splitter.split_text(text))
    return chunks


class _Embeddings:
    """LangChain ``Embeddings`` over the packaged MiniLM (no hub access)."""

    def __init__(self, embedder: SentenceEmbedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed([text])[0].tolist()  # type: ignore[no-any-return]


class LangChainBaseline:
    name = "LangChain tutorial (1000-char chunks, MiniLM, Chroma)"

    def __init__(self, corpus_dir: Path, embedder: SentenceEmbedder) -> None:
        from langchain_chroma import Chroma
        from langchain_core.documents import Document

        self._tmp = tempfile.TemporaryDirectory()
        docs = [
            Document(page_content=t, metadata={"doc_id": d}) for d, t in split_chunks(corpus_dir)
        ]
        self.store: Any = Chroma.from_documents(
            docs,
            _Embeddings(embedder),
            persist_directory=self._tmp.name,
            collection_name="baseline",
        )

    def search(self, query: str, k: int) -> list[tuple[str, str]]:
        return [
            (d.metadata["doc_id"], d.page_content) for d in self.store.similarity_search(query, k=k)
        ]


class BM25Baseline:
    name = "Plain BM25 (1000-char chunks)"

    def __init__(self, corpus_dir: Path) -> None:
        self.chunks = split_chunks(corpus_dir)
        self.model = bm25s.BM25()
        self.model.index(
            bm25s.tokenize([t for _, t in self.chunks], stopwords="en", show_progress=False),
            show_progress=False,
        )

    def search(self, query: str, k: int) -> list[tuple[str, str]]:
        tokens = bm25s.tokenize([query], stopwords="en", show_progress=False)
        if not tokens.vocab:
            return []
        results, _ = self.model.retrieve(tokens, k=min(k, len(self.chunks)), show_progress=False)
        return [self.chunks[int(i)] for i in results[0]]
