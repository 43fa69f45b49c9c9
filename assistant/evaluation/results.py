"""What an evaluation run records: per-case results, summaries and the run itself.

``run.json`` is a dump of ``Run``; the reports, the comparison and the web page read it
back with ``Run.model_validate_json`` so every consumer sees the same shape.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, computed_field

RUN_FORMAT_VERSION = 1


class CheckResult(BaseModel):
    """One expectation of a case, with what was expected and what happened, in plain English."""

    name: str
    """``facts``, ``passages``, ``documents``, ``not_contains``, ``notices``, ``no_notices``,
    ``first_notice``, ``refused``, ``min_citations``, ``citations_valid``, ``max_latency_ms``
    or ``error``."""
    passed: bool
    expected: str
    actual: str


class NoticeRecord(BaseModel):
    kind: str
    text: str


class CitationRecord(BaseModel):
    n: int
    doc_id: str
    passage_id: str
    title: str
    section: str
    quote: str
    valid: bool | None = None
    """Whether the quote was found word for word in the passage (None: not checked)."""
    problem: str | None = None


class RetrievedRecord(BaseModel):
    """One ranked item used for the retrieval metrics (a search hit or a citation)."""

    rank: int
    doc_id: str
    passage_id: str
    section: str = ""
    text: str = ""
    matched: bool = False


class JudgeGrade(BaseModel):
    """Advisory grades from the optional LLM judge (never used for pass/fail)."""

    model: str
    faithfulness: float | None = None
    relevance: float | None = None
    reasoning: str = ""
    error: str | None = None


class CaseMetrics(BaseModel):
    hit: bool | None = None
    """A relevant item within the top k (None: no retrieval expectation)."""
    reciprocal_rank: float | None = None
    k: int | None = None
    retrieval_source: str | None = None
    """``search`` for single questions, ``citations`` for conversations."""
    fact_coverage: float | None = None
    citations_total: int = 0
    citations_invalid: int = 0
    refusal_correct: bool | None = None
    notices_correct: bool | None = None
    forbidden_violations: int = 0
    latency_ms: float = 0.0


class CaseResult(BaseModel):
    suite: str
    case_id: str
    question: str
    history: list[dict[str, str]] = Field(default_factory=list)
    partnership: str | None = None
    tags: list[str] = Field(default_factory=list)
    description: str | None = None
    source: str = ""
    """``file:line`` of the case, so a reader can open the YAML at the right place."""
    passed: bool
    error: str | None = None
    answer: str = ""
    refused: bool = False
    notices: list[NoticeRecord] = Field(default_factory=list)
    citations: list[CitationRecord] = Field(default_factory=list)
    retrieved: list[RetrievedRecord] = Field(default_factory=list)
    checks: list[CheckResult] = Field(default_factory=list)
    metrics: CaseMetrics = Field(default_factory=CaseMetrics)
    judge: JudgeGrade | None = None

    @property
    def key(self) -> str:
        return f"{self.suite}/{self.case_id}"

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]


class MetricSummary(BaseModel):
    """Aggregates over a group of cases (a suite, a tag, or the whole run)."""

    cases: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    pass_rate: float = 0.0
    retrieval_cases: int = 0
    hit_rate: float | None = None
    mrr: float | None = None
    fact_cases: int = 0
    fact_coverage: float | None = None
    citations_total: int = 0
    citations_invalid: int = 0
    citation_validity: float | None = None
    refusal_cases: int = 0
    refusal_accuracy: float | None = None
    notice_cases: int = 0
    notice_accuracy: float | None = None
    forbidden_violations: int = 0
    latency_mean_ms: float | None = None
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None
    latency_max_ms: float | None = None
    judge_faithfulness: float | None = None
    judge_relevance: float | None = None


class ThresholdResult(BaseModel):
    suite: str
    name: str
    """``pass_rate``, ``hit_rate``, ``mrr`` or ``tag:<tag>``."""
    required: float
    actual: float | None
    passed: bool
    skipped: bool = False
    """Nothing to measure because the run was filtered with ``--tag``."""
    default: bool = False
    """The suite sets no pass marks, so the default one applied (``DEFAULT_PASS_RATE``)."""


class SuiteSummary(BaseModel):
    name: str
    description: str = ""
    path: str = ""
    metrics: MetricSummary
    by_tag: dict[str, MetricSummary] = Field(default_factory=dict)
    thresholds: list[ThresholdResult] = Field(default_factory=list)

    @property
    def thresholds_passed(self) -> bool:
        return all(t.passed for t in self.thresholds)


class Summary(BaseModel):
    overall: MetricSummary
    by_suite: list[SuiteSummary] = Field(default_factory=list)
    by_tag: dict[str, MetricSummary] = Field(default_factory=dict)
    thresholds_passed: bool = True
    regressions: list[str] = Field(default_factory=list)
    """``suite/case`` keys that passed in the compared run and fail now."""
    compared_with: str | None = None


class SuiteInfo(BaseModel):
    name: str
    description: str = ""
    path: str = ""
    cases: int = 0


class Run(BaseModel):
    format_version: int = RUN_FORMAT_VERSION
    run_id: str
    started: datetime
    finished: datetime | None = None
    settings_fingerprint: str = ""
    corpus_version: str = ""
    git_commit: str | None = None
    composer: str | None = None
    judge_model: str | None = None
    tags_filter: list[str] = Field(default_factory=list)
    workers: int = 1
    suites: list[SuiteInfo] = Field(default_factory=list)
    results: list[CaseResult] = Field(default_factory=list)
    summary: Summary = Field(default_factory=lambda: Summary(overall=MetricSummary()))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        """The gate: every threshold met and nothing regressed (also written to run.json)."""
        return self.summary.thresholds_passed and not self.summary.regressions
