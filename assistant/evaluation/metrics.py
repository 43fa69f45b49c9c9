"""Pure metric functions: matching, per-case measures and their aggregates.

No I/O and no assistant here, so each rule is unit-tested on its own and the benchmark
script (``make bench``) reuses ``normalise`` and ``snippet_matches``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from statistics import fmean

from assistant.evaluation.results import (
    CaseResult,
    MetricSummary,
    SuiteSummary,
    ThresholdResult,
)
from assistant.evaluation.suite import DEFAULT_PASS_RATE, Fact, Suite

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)
_SPACE = re.compile(r"\s+")
_CITATION_MARKER = re.compile(r"\s*\[\d+(?:\s*[,–-]\s*\d+)*\]")
_EMPHASIS = re.compile(r"(\*\*|__|`)")


def normalise(text: str) -> str:
    """Lower-case, straighten quotes and dashes, collapse whitespace (suite-format rule)."""
    return _SPACE.sub(" ", text.translate(_QUOTES).lower()).strip()


def snippet_matches(snippet: str, passage_text: str) -> bool:
    """True if the normalised snippet is contained in the normalised passage text."""
    needle = normalise(snippet)
    return bool(needle) and needle in normalise(passage_text)


def answer_plain_text(answer: str) -> str:
    """The answer without ``[n]`` citation markers and markdown emphasis, for phrase checks."""
    return _EMPHASIS.sub("", _CITATION_MARKER.sub("", answer))


def contains_phrase(text: str, phrase: str) -> bool:
    """Case- and whitespace-insensitive containment, ignoring citation markers in ``text``."""
    return snippet_matches(phrase, answer_plain_text(text))


# --- retrieval ---------------------------------------------------------------------------


def first_relevant_rank(relevant: Sequence[bool]) -> int | None:
    """1-based rank of the first relevant item, or None."""
    return next((i + 1 for i, flag in enumerate(relevant) if flag), None)


def hit_at_k(rank: int | None, k: int) -> bool:
    return rank is not None and rank <= k


def reciprocal_rank(rank: int | None, k: int) -> float:
    """1/rank if the first relevant item is within the top k, else 0."""
    return 1.0 / rank if rank is not None and rank <= k else 0.0


def passage_relevant(
    text: str, doc_id: str, snippets: Sequence[str], documents: Sequence[str]
) -> bool:
    """Relevance of one ranked passage: snippets if given, else the expected documents."""
    if snippets:
        return any(snippet_matches(s, text) for s in snippets)
    return doc_id in documents


# --- answer ------------------------------------------------------------------------------


def fact_found(fact: Fact, answer: str) -> bool:
    """A fact (or any one of its alternatives) appears in the answer."""
    alternatives = [fact] if isinstance(fact, str) else fact
    return any(contains_phrase(answer, alt) for alt in alternatives)


def fact_coverage(facts: Sequence[Fact], answer: str) -> tuple[float, list[Fact]]:
    """Share of facts found, and the facts that were missing (coverage 1.0 when none)."""
    if not facts:
        return 1.0, []
    missing = [f for f in facts if not fact_found(f, answer)]
    return (len(facts) - len(missing)) / len(facts), missing


def forbidden_phrases_found(phrases: Iterable[str], answer: str) -> list[str]:
    """The phrases that must not appear but do."""
    return [p for p in phrases if contains_phrase(answer, p)]


def quote_in_passage(quote: str, passage_text: str) -> bool:
    """A citation quote appears word for word in its passage (whitespace-insensitive only)."""
    needle = _SPACE.sub(" ", quote).strip()
    return bool(needle) and needle in _SPACE.sub(" ", passage_text)


def notice_problems(
    shown: Sequence[str],
    present: Sequence[str] = (),
    absent: Sequence[str] = (),
    first: str | None = None,
) -> list[str]:
    """Human-readable notice failures (empty list: notices are correct)."""
    problems = [f"the {k!r} notice was not shown" for k in present if k not in shown]
    problems += [f"the {k!r} notice was shown but must not be" for k in absent if k in shown]
    if first is not None and (not shown or shown[0] != first):
        actual = repr(shown[0]) if shown else "no notice"
        problems.append(f"the first notice must be {first!r}, but it was {actual}")
    return problems


# --- aggregates --------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def _mean(values: Sequence[float]) -> float | None:
    return fmean(values) if values else None


def summarise(results: Sequence[CaseResult]) -> MetricSummary:
    """Aggregate metrics over a group of case results."""
    passed = sum(r.passed for r in results)
    retrieval = [r.metrics for r in results if r.metrics.hit is not None]
    facts = [r.metrics.fact_coverage for r in results if r.metrics.fact_coverage is not None]
    refusals = [r.metrics.refusal_correct for r in results if r.metrics.refusal_correct is not None]
    notices = [r.metrics.notices_correct for r in results if r.metrics.notices_correct is not None]
    answered = [r for r in results if r.error is None]
    latencies = [r.metrics.latency_ms for r in answered]
    cit_total = sum(r.metrics.citations_total for r in results)
    cit_invalid = sum(r.metrics.citations_invalid for r in results)
    judged = [r.judge for r in results if r.judge is not None and r.judge.error is None]
    return MetricSummary(
        cases=len(results),
        passed=passed,
        failed=len(results) - passed,
        errors=sum(r.error is not None for r in results),
        pass_rate=passed / len(results) if results else 0.0,
        retrieval_cases=len(retrieval),
        hit_rate=_mean([float(bool(m.hit)) for m in retrieval]),
        mrr=_mean([m.reciprocal_rank or 0.0 for m in retrieval]),
        fact_cases=len(facts),
        fact_coverage=_mean(facts),
        citations_total=cit_total,
        citations_invalid=cit_invalid,
        citation_validity=(cit_total - cit_invalid) / cit_total if cit_total else None,
        refusal_cases=len(refusals),
        refusal_accuracy=_mean([float(v) for v in refusals]),
        notice_cases=len(notices),
        notice_accuracy=_mean([float(v) for v in notices]),
        forbidden_violations=sum(r.metrics.forbidden_violations for r in results),
        latency_mean_ms=_mean(latencies),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        latency_max_ms=max(latencies) if latencies else None,
        judge_faithfulness=_mean([j.faithfulness for j in judged if j.faithfulness is not None]),
        judge_relevance=_mean([j.relevance for j in judged if j.relevance is not None]),
    )


def summarise_by_tag(results: Sequence[CaseResult]) -> dict[str, MetricSummary]:
    tags = sorted({t for r in results for t in r.tags})
    return {t: summarise([r for r in results if t in r.tags]) for t in tags}


def check_thresholds(
    suite: Suite,
    metrics: MetricSummary,
    by_tag: dict[str, MetricSummary],
    filtered: bool = False,
) -> list[ThresholdResult]:
    """Compare a suite's aggregates with its gates.

    A gate with nothing to measure (e.g. a misspelt tag) fails, so a typo cannot switch a
    gate off — unless the run was filtered with ``--tag``, when it is marked skipped.
    """
    gates = suite.thresholds
    out: list[ThresholdResult] = []

    def gate(name: str, required: float, actual: float | None, default: bool = False) -> None:
        skipped = actual is None and filtered
        ok = skipped or (actual is not None and actual + 1e-9 >= required)
        out.append(
            ThresholdResult(
                suite=suite.suite,
                name=name,
                required=required,
                actual=actual,
                passed=ok,
                skipped=skipped,
                default=default,
            )
        )

    if not gates.is_set:
        # No pass marks written: every case must pass, so failures can never read as a pass.
        actual = metrics.pass_rate if metrics.cases else None
        gate("pass_rate", DEFAULT_PASS_RATE, actual, default=True)
        return out

    if gates.pass_rate is not None:
        gate("pass_rate", gates.pass_rate, metrics.pass_rate if metrics.cases else None)
    if gates.hit_rate is not None:
        gate("hit_rate", gates.hit_rate, metrics.hit_rate)
    if gates.mrr is not None:
        gate("mrr", gates.mrr, metrics.mrr)
    for tag, required in gates.tags.items():
        tagged = by_tag.get(tag)
        gate(f"tag:{tag}", required, tagged.pass_rate if tagged and tagged.cases else None)
    return out


def summarise_suite(
    suite: Suite, results: Sequence[CaseResult], filtered: bool = False
) -> SuiteSummary:
    mine = [r for r in results if r.suite == suite.suite]
    metrics = summarise(mine)
    by_tag = summarise_by_tag(mine)
    return SuiteSummary(
        name=suite.suite,
        description=suite.description,
        path=suite.path,
        metrics=metrics,
        by_tag=by_tag,
        thresholds=check_thresholds(suite, metrics, by_tag, filtered),
    )
