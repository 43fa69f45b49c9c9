"""Optional LLM composer: any LangChain chat model writes a synthesis citing passage keys.

This is the only module that talks to LangChain chat models. The model sees passages
inside ``<reference>`` blocks marked as data (PI-01), must end each sentence with keys
such as ``[P1]``, and its reply is parsed into a ``Draft`` that the verifier checks like
any other: unknown keys are stripped and unsupported sentences dropped. Any failure
(unreachable, slow, empty reply) raises ``ComposerUnavailable`` so the pipeline can show
the extractive answer with a notice instead.
"""

from __future__ import annotations

import html
import re
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant.compose import (
    ComposerUnavailable,
    Draft,
    DraftSentence,
    passage_keys,
    source_lead,
)
from assistant.compose.sentences import split_sentences
from assistant.conversation import standalone_question
from assistant.prompts import fill, load_prompts
from assistant.settings import LLMSettings
from assistant.types import SearchHit, Turn

NOT_COVERED = "NOT COVERED"
_KEY_GROUP = r"\[\s*P\d+(?:\s*[,;]\s*P?\d+)*\s*\]"
_KEYS_AFTER_STOP = re.compile(r"([.!?])((?:\s*" + _KEY_GROUP + r")+)")
_KEY_MARKERS = re.compile(r"\s*" + _KEY_GROUP)
_KEY = re.compile(r"P?(\d+)")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+")
_HISTORY_TURNS = 4
_HISTORY_CHARS = 400
_PROVIDERS_WITH_RETRIES = {"openai", "azure_openai", "mistralai", "anthropic", "groq"}


def _attribute(value: str) -> str:
    return html.escape(value, quote=True)


def _reference_text(text: str) -> str:
    """Passage text that cannot close or open a reference block early."""
    return re.sub(r"<(/?)\s*reference", r"&lt;\1reference", text, flags=re.IGNORECASE)


def render_references(hits: list[SearchHit]) -> str:
    """Passages as delimited, keyed reference blocks (data for the model, not instructions)."""
    blocks = []
    for key, hit in passage_keys(hits).items():
        blocks.append(
            f'<reference key="{key}" title="{_attribute(hit.doc.title)}" '
            f'section="{_attribute(hit.passage.section)}" date="{hit.doc.published.isoformat()}" '
            f'status="{hit.doc.status_label}">\n{_reference_text(hit.passage.text.strip())}\n'
            "</reference>"
        )
    return "\n\n".join(blocks)


def render_history(history: list[Turn]) -> str:
    turns = history[-_HISTORY_TURNS:]
    if not turns:
        return "(none)"
    lines = []
    for turn in turns:
        content = " ".join(turn.content.split())
        if len(content) > _HISTORY_CHARS:
            content = content[:_HISTORY_CHARS] + "…"
        lines.append(f"{turn.role}: {content}")
    return "\n".join(lines)


def parse_reply(reply: str) -> list[DraftSentence]:
    """Model text → sentences with the keys they cite ("… funding [P1][P3]." → P1, P3)."""
    sentences: list[DraftSentence] = []
    for line in reply.splitlines():
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        line = _KEYS_AFTER_STOP.sub(lambda m: m.group(2) + m.group(1), line)
        for span in split_sentences(line):
            keys: list[str] = []
            for group in re.findall(_KEY_GROUP, span.text):
                keys.extend(f"P{number}" for number in _KEY.findall(group))
            text = _KEY_MARKERS.sub("", span.text).strip()
            text = re.sub(r"\s+([.,;:!?])", r"\1", text)
            if text and re.search(r"[A-Za-z]", text):
                sentences.append(DraftSentence(text=text, keys=list(dict.fromkeys(keys))))
    return sentences


def _content(message: BaseMessage) -> str:
    content: Any = message.content
    if isinstance(content, str):
        return content
    parts = [part if isinstance(part, str) else str(part.get("text", "")) for part in content]
    return "".join(parts)


class LLMComposer:
    """Writes answers with a chat model; built lazily so start-up never waits for a server."""

    def __init__(
        self, settings: LLMSettings, prompts_dir: Path, chat_model: BaseChatModel | None = None
    ) -> None:
        self.settings = settings
        self.prompts = load_prompts(prompts_dir)
        self._model = chat_model
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="llm")

    @property
    def name(self) -> str:
        return f"llm:{self.settings.model or 'custom'}"

    def _chat_model(self) -> BaseChatModel:
        if self._model is not None:
            return self._model
        if not self.settings.model:
            raise ComposerUnavailable("No language model is configured.")
        from langchain.chat_models import init_chat_model

        kwargs: dict[str, Any] = {
            "timeout": self.settings.timeout_s,
            "temperature": self.settings.temperature,
        }
        if self.settings.base_url:
            kwargs["base_url"] = self.settings.base_url
        api_key = self.settings.api_key or ("not-needed" if self.settings.base_url else None)
        if api_key:
            kwargs["api_key"] = api_key
        provider = self.settings.model.split(":", 1)[0] if ":" in self.settings.model else ""
        if provider in _PROVIDERS_WITH_RETRIES:
            kwargs["max_retries"] = 0  # one attempt: the fallback is better than a long wait
        try:
            model = init_chat_model(self.settings.model, **kwargs)
        except Exception as exc:  # missing provider package, bad spec …
            raise ComposerUnavailable(f"Could not set up the language model: {exc}") from exc
        if not isinstance(model, BaseChatModel):
            raise ComposerUnavailable("The configured model is not a chat model.")
        self._model = model
        return model

    def _invoke(self, messages: list[BaseMessage]) -> str:
        """Call the model with a hard deadline; any failure becomes ComposerUnavailable."""
        model = self._chat_model()
        future = self._pool.submit(model.invoke, messages)
        try:
            reply = future.result(timeout=self.settings.timeout_s + 1.0)
        except FutureTimeout as exc:
            future.cancel()
            raise ComposerUnavailable("The language model did not answer in time.") from exc
        except Exception as exc:  # connection refused, HTTP errors, bad responses
            raise ComposerUnavailable(f"The language model failed: {type(exc).__name__}") from exc
        text = _content(reply).strip()
        if not text:
            raise ComposerUnavailable("The language model returned an empty answer.")
        return text

    def compose(self, question: str, hits: list[SearchHit], history: list[Turn]) -> Draft:
        """Ask the model for a keyed synthesis of ``hits``; the verifier decides what stays."""
        prompt = fill(
            self.prompts.answer,
            references=render_references(hits),
            history=render_history(history),
            question=question,
        )
        reply = self._invoke([SystemMessage(self.prompts.system), HumanMessage(prompt)])
        if reply.strip().upper().startswith(NOT_COVERED):
            return Draft(lead="", sentences=[], composer=self.name)
        sentences = parse_reply(reply)
        keys = passage_keys(hits)
        docs = [keys[k].doc for s in sentences for k in s.keys if k in keys]
        return Draft(lead=source_lead(docs), sentences=sentences, composer=self.name)

    def condense(self, question: str, history: list[Turn]) -> str:
        """A standalone version of a follow-up; the rule-based rewrite if the model fails."""
        if not any(turn.role == "user" for turn in history):
            return question
        prompt = fill(self.prompts.condense, history=render_history(history), question=question)
        try:
            reply = self._invoke([HumanMessage(prompt)])
        except ComposerUnavailable:
            return standalone_question(question, history)
        first_line = next((ln.strip() for ln in reply.splitlines() if ln.strip()), "")
        first_line = first_line.strip().strip('"“”').strip()
        if not first_line or len(first_line) > 3 * len(question) + 200:
            return standalone_question(question, history)
        return first_line
