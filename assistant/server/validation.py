"""Input checks shared by the JSON API and the pages, with messages a person can act on.

The facade checks the same things; checking here too gives the same plain message on
every interface before any slow work starts.
"""

from __future__ import annotations

from typing import get_args

from assistant.errors import QuestionError, UnknownPartnershipError
from assistant.types import DocumentKind

DOCUMENT_KINDS: tuple[str, ...] = get_args(DocumentKind)


def check_question(text: str | None, limit: int, *, noun: str = "question") -> str:
    """The question stripped; raises ``QuestionError`` if empty or over ``limit`` characters."""
    if text is None or not text.strip():
        raise QuestionError(f"Enter a {noun}: it cannot be empty.")
    if len(text) > limit:
        raise QuestionError(
            f"The {noun} must be {limit:,} characters or fewer (it has {len(text):,})."
        )
    return text.strip()


def check_partnership(slug: str | None, valid: list[str], default: str) -> str:
    """A valid partnership slug (default when not given); raises listing the valid ones."""
    chosen = (slug or default).strip().lower()
    if valid and chosen not in valid:
        raise UnknownPartnershipError(chosen, valid)
    return chosen


def check_kind(kind: str | None) -> str | None:
    if kind is None or kind == "":
        return None
    if kind not in DOCUMENT_KINDS:
        valid = ", ".join(DOCUMENT_KINDS)
        raise ValueError(f"Unknown document kind {kind!r}. Valid kinds: {valid}.")
    return kind
