"""The optional LLM judge: advisory, tolerant of bad replies and outages."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.evaluation.judge import EvalSettings, JudgeSettings, LangChainJudge, parse_grade


class Reply:
    def __init__(self, content: str) -> None:
        self.content = content


class FakeChat:
    def __init__(self, reply: str | Exception) -> None:
        self.reply = reply
        self.prompts: list[str] = []

    def invoke(self, prompt: str) -> Any:
        self.prompts.append(prompt)
        if isinstance(self.reply, Exception):
            raise self.reply
        return Reply(self.reply)


def test_grade_reads_json_and_clamps_scores() -> None:
    chat = FakeChat('Sure! {"faithfulness": 1.4, "relevance": 0.5, "reasoning": "ok"}')
    grade = LangChainJudge(chat, "m").grade("q?", "answer", ["quote one"])
    assert (grade.faithfulness, grade.relevance, grade.reasoning) == (1.0, 0.5, "ok")
    assert "[1] quote one" in chat.prompts[0] and "q?" in chat.prompts[0]


def test_unreadable_reply_and_outage_are_recorded_not_raised() -> None:
    assert parse_grade("m", "I think it is fine").error is not None
    grade = LangChainJudge(FakeChat(TimeoutError("no server")), "m").grade("q", "a", [])
    assert grade.error == "TimeoutError: no server" and grade.faithfulness is None


def test_judge_is_off_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSISTANT_EVAL_JUDGE__MODEL", raising=False)
    assert EvalSettings().judge.model is None
    with pytest.raises(ValueError, match="No judge model configured"):
        LangChainJudge.from_settings(JudgeSettings())
    monkeypatch.setenv("ASSISTANT_EVAL_JUDGE__MODEL", "openai:local")
    assert EvalSettings().judge.model == "openai:local"
