"""What a question asks for by its form: a route, a definition, a process, a contact, a
figure, a document list — and which kinds of document answer that best.

One place, driven by ``corpus/question-intents.yaml`` (patterns and document-kind priors
are data). Triage records the intent on ``TriageResult``; retrieval applies the priors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from assistant.resources import shipped_dir

QUESTION_INTENTS_FILE = shipped_dir("corpus") / "question-intents.yaml"


class _IntentSpec(BaseModel):
    description: str = ""
    patterns: list[str] = Field(default_factory=list)


class _IntentFile(BaseModel):
    order: list[str]
    intents: dict[str, _IntentSpec]
    priors: dict[str, dict[str, float]] = Field(default_factory=dict)


@dataclass(frozen=True)
class QuestionIntents:
    order: tuple[str, ...]
    patterns: dict[str, tuple[re.Pattern[str], ...]]
    priors: dict[str, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> QuestionIntents:
        data = _IntentFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        unknown = [name for name in data.order if name not in data.intents]
        if unknown:
            raise ValueError(f"{path}: order names unknown intents {unknown}")
        return cls(
            tuple(data.order),
            {
                name: tuple(re.compile(p) for p in spec.patterns)
                for name, spec in data.intents.items()
            },
            data.priors,
        )

    def of(self, normalised: str) -> str:
        """The first intent whose pattern matches the normalised question, else general."""
        for name in self.order:
            if any(p.search(normalised) for p in self.patterns[name]):
                return name
        return "general"

    def prior(self, intent: str, kind: str) -> float:
        return self.priors.get(intent, {}).get(kind, 1.0)


@lru_cache(maxsize=1)
def question_intents() -> QuestionIntents:
    return QuestionIntents.load(QUESTION_INTENTS_FILE)
