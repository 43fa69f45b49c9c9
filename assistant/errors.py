"""Errors the interfaces turn into clear messages (HTTP 422, CLI exit status)."""

from __future__ import annotations


class AssistantInputError(ValueError):
    """Bad input from a user: the message is shown to them as it is."""


class QuestionError(AssistantInputError):
    """Empty, whitespace-only or over-long question or query."""


class UnknownPartnershipError(AssistantInputError):
    def __init__(self, partnership: str, valid: list[str]) -> None:
        self.partnership = partnership
        self.valid = valid
        super().__init__(
            f"Unknown partnership {partnership!r}. Valid partnerships: {', '.join(valid)}."
        )


class HistoryError(AssistantInputError):
    """History that is not a list of {role, content} turns, or has an unknown role."""


class IndexMissingError(RuntimeError):
    """No complete index in the data directory: run `assistant ingest`."""
