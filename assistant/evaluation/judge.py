"""Optional LLM judge: advisory faithfulness/relevance grades, never part of pass/fail.

Off by default. Switched on with ``assistant eval --judge`` (model from
``ASSISTANT_EVAL_JUDGE__MODEL`` or ``--judge-model``). Any LangChain chat model that
``init_chat_model`` can build works, e.g. a local OpenAI-compatible server; nothing is
contacted unless a judge is configured.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Protocol

from pydantic import BaseModel
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.evaluation.results import JudgeGrade

JUDGE_LABEL = "LLM judge (advisory only: never used to decide pass or fail)"

JUDGE_PROMPT = """You grade an answer written by a safeguarding guidance assistant.
Use ONLY the quoted passages as evidence.

Question:
{question}

Quoted passages the answer cites:
{passages}

Answer:
{answer}

Reply with JSON only, no other text:
{{"faithfulness": <0.0-1.0, share of the answer's statements supported by the passages>,
  "relevance": <0.0-1.0, how directly the answer addresses the question>,
  "reasoning": "<one or two sentences>"}}"""


class JudgeSettings(BaseModel):
    model: str | None = None
    """``init_chat_model`` spec, e.g. ``openai:qwen2.5-7b-instruct``; None = no judge."""
    base_url: str | None = None
    api_key: str | None = None
    timeout_s: float = 60.0


class EvalSettings(BaseSettings):
    """Evaluation-only settings (``ASSISTANT_EVAL_`` prefix), kept out of the core Settings."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_EVAL_", env_nested_delimiter="__", env_file=None, extra="ignore"
    )

    judge: JudgeSettings = JudgeSettings()


class Judge(Protocol):
    model_name: str

    def grade(self, question: str, answer: str, quotes: Sequence[str]) -> JudgeGrade: ...


def parse_grade(model_name: str, raw: str) -> JudgeGrade:
    """Read the judge's JSON reply; an unreadable reply is recorded, not raised."""
    match = re.search(r"\{.*\}", raw, re.DOTALL)
    try:
        data: dict[str, Any] = json.loads(match.group(0) if match else raw)

        def score(key: str) -> float | None:
            value = data.get(key)
            return None if value is None else min(1.0, max(0.0, float(value)))

        return JudgeGrade(
            model=model_name,
            faithfulness=score("faithfulness"),
            relevance=score("relevance"),
            reasoning=str(data.get("reasoning", "")),
        )
    except (ValueError, TypeError, AttributeError):
        return JudgeGrade(model=model_name, error=f"unreadable judge reply: {raw[:200]!r}")


class LangChainJudge:
    """Grades with a LangChain chat model; errors become a graded-with-error record."""

    def __init__(self, chat_model: Any, model_name: str) -> None:
        self._chat = chat_model
        self.model_name = model_name

    @classmethod
    def from_settings(cls, settings: JudgeSettings) -> LangChainJudge:
        if not settings.model:
            raise ValueError(
                "No judge model configured: set ASSISTANT_EVAL_JUDGE__MODEL or pass --judge-model"
            )
        from langchain.chat_models import init_chat_model

        kwargs: dict[str, Any] = {
            "temperature": 0.0,
            "timeout": settings.timeout_s,
            "max_retries": 1,
        }
        if settings.base_url:
            kwargs["base_url"] = settings.base_url
        if settings.api_key:
            kwargs["api_key"] = settings.api_key
        return cls(init_chat_model(settings.model, **kwargs), settings.model)

    def grade(self, question: str, answer: str, quotes: Sequence[str]) -> JudgeGrade:
        passages = "\n".join(f"[{i + 1}] {q}" for i, q in enumerate(quotes)) or "(none)"
        prompt = JUDGE_PROMPT.format(question=question, passages=passages, answer=answer)
        try:
            reply = self._chat.invoke(prompt)
        except Exception as exc:  # an unreachable judge must not fail the run
            return JudgeGrade(model=self.model_name, error=f"{type(exc).__name__}: {exc}")
        content = reply.content if hasattr(reply, "content") else reply
        text = content if isinstance(content, str) else json.dumps(content)
        return parse_grade(self.model_name, text)
