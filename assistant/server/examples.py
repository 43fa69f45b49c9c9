"""Example questions for a first-time user (``corpus/example-questions.yaml``).

Shown on the chat page until a conversation starts; each one is sent as an ordinary
question. The file is data, loaded strictly: a malformed file stops the server starting
with a message naming the file, rather than quietly showing no examples.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from jinja2 import Environment
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = ["EXAMPLES_NAME", "ExampleQuestion", "ExampleQuestions", "install_examples"]

EXAMPLES_NAME = "example-questions.yaml"


class ExampleQuestion(BaseModel):
    """One example: who it is for, and the question it sends."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    audience: str = Field(min_length=1, max_length=60)
    question: str = Field(min_length=5, max_length=300)


class ExampleQuestions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    examples: list[ExampleQuestion] = Field(max_length=6)

    @classmethod
    def load(cls, path: Path) -> ExampleQuestions:
        """The file's examples; none when it does not exist (examples are optional)."""
        if not path.exists():
            return cls(examples=[])
        try:
            return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise ValueError(f"{path}: example questions not valid ({exc})") from exc


def install_examples(env: Environment, path: Path) -> ExampleQuestions:
    """Load the examples and make them the ``example_questions`` template global."""
    examples = ExampleQuestions.load(path)
    env.globals["example_questions"] = examples.examples
    return examples
