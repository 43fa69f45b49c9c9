"""The crisis card: the whole answer when a child may be in danger now or has disclosed harm.

Under a 999 banner a practitioner needs the next few steps, not search results: an
answer built from retrieved passages can quote statistics, case reviews or campaign text,
which in a crisis is harmful. So when the emergency or disclosure notice fires, the answer
body is this card instead: a short, fixed sequence of steps from ``corpus/crisis.yaml``,
each a verbatim sentence of a corpus document, cited like any answer.

The card is deterministic and needs no search: quotes are found in the loaded documents.
If the index cannot be loaded at all, the steps are still shown (from the same file), with
the title of the document each comes from, so the route never depends on retrieval.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field

from assistant.types import Citation

__all__ = ["CrisisCard", "CrisisFile", "CrisisStep", "render_card"]

CardKind = Literal["emergency", "disclosure"]


class CrisisStep(BaseModel):
    title: str = Field(min_length=1)
    doc_id: str = Field(min_length=1)
    quote: str = Field(min_length=1)


class CrisisCard(BaseModel):
    heading: str = Field(min_length=1)
    steps: list[CrisisStep] = Field(min_length=1)


class CrisisFile(BaseModel):
    """The shape of ``corpus/crisis.yaml``."""

    emergency: CrisisCard
    disclosure: CrisisCard

    @classmethod
    def load(cls, path: Path) -> CrisisFile | None:
        """The card file, or None when the corpus has none (the notices still lead)."""
        if not path.exists():
            return None
        return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))

    def card(self, kind: CardKind) -> CrisisCard:
        return self.emergency if kind == "emergency" else self.disclosure


CiteStep = Callable[[int, CrisisStep], Citation | None]
"""Finds the passage holding a step's quote and returns citation number ``n``, or None."""


def render_card(card: CrisisCard, cite: CiteStep | None) -> tuple[str, list[Citation]]:
    """Markdown for the card (a numbered list, one cited sentence a step) and its citations.

    A step whose quote no loaded passage holds is shown uncited only when nothing could be
    loaded (``cite`` is None); with an index, an unresolvable step is left out rather than
    shown without its source.
    """
    lines = [f"**{card.heading}**", ""]
    citations: list[Citation] = []
    number = 0
    for step in card.steps:
        if cite is None:
            number += 1
            lines.append(f"{number}. **{step.title}.** {step.quote}")
            continue
        citation = cite(len(citations) + 1, step)
        if citation is None:
            continue
        citations.append(citation)
        number += 1
        lines.append(f"{number}. **{step.title}.** {step.quote} [{citation.n}]")
    return "\n".join(lines), citations
