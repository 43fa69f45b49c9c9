"""Operator controls (HF-02): switches a content admin can flip while the service runs.

* ``llm_composer``: when off, answers are never written by the language model; they
  quote the documents (the extractive composer), as they do when no model is set.
* ``search_only``: when on, questions get no composed answer at all, only the passages
  that match, with a notice saying so.
* ``topics_off``: topics (``corpus/topics.yaml``) whose guidance is withdrawn, e.g. while
  it is reviewed after an "unsafe" report. A question about such a topic, or one whose
  only matching passages come from its documents, gets the not-covered route (ask your
  DSL) and a notice naming the topic.

The emergency, disclosure, child-help and support routes are never switched off.

The state is one small JSON file in the data directory (``controls.json``), written
atomically, so a restart keeps it. A file that cannot be read is treated as the most
restrictive state (search only, language model off) and logged, rather than silently
switching everything back on. The web layer changes the state through the Assistant
facade and audits who changed what; this module never sees requests.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

log = logging.getLogger(__name__)

CONTROLS_FILE = "controls.json"
TOPICS_FILE = "topics.yaml"

_TOPIC_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}$")


class OperatorControls(BaseModel):
    """What the service is allowed to do right now."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    llm_composer: bool = True
    """The optional language-model composer may write answers (when one is configured)."""
    search_only: bool = False
    """Questions get the matching passages only, no composed answer."""
    topics_off: tuple[str, ...] = ()
    """Ids of topics (``corpus/topics.yaml``) whose guidance is switched off."""
    updated_at: datetime | None = None
    """When the state last changed (who changed it is in the audit log)."""

    @field_validator("topics_off", mode="before")
    @classmethod
    def _sorted_ids(cls, value: object) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
        ids = sorted({str(v).strip().lower() for v in items})
        bad = [i for i in ids if not _TOPIC_ID.match(i)]
        if bad:
            raise ValueError(f"not a topic id: {bad[0][:40]!r}")
        return tuple(ids)

    @property
    def restricted(self) -> bool:
        return self.search_only or not self.llm_composer or bool(self.topics_off)

    def changes_from(self, before: OperatorControls) -> list[str]:
        """Plain descriptions of what changed (for the audit log: names, never content)."""
        changes: list[str] = []
        if self.llm_composer != before.llm_composer:
            changes.append(f"llm_composer={'on' if self.llm_composer else 'off'}")
        if self.search_only != before.search_only:
            changes.append(f"search_only={'on' if self.search_only else 'off'}")
        for topic in sorted(set(self.topics_off) - set(before.topics_off)):
            changes.append(f"topic_off={topic}")
        for topic in sorted(set(before.topics_off) - set(self.topics_off)):
            changes.append(f"topic_on={topic}")
        return changes


LOCKED_DOWN = OperatorControls(llm_composer=False, search_only=True)
"""Used when the controls file exists but cannot be read."""


class ControlsStore:
    """``data_dir/controls.json``: load on start, save on every change."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def load(self) -> OperatorControls:
        if not self.path.exists():
            return OperatorControls()
        try:
            return OperatorControls.model_validate_json(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, ValidationError) as error:
            log.error(
                "operator controls in %s could not be read (%s); running search-only with the "
                "language model off until a content admin sets them again",
                self.path,
                error,
            )
            return LOCKED_DOWN

    def save(self, controls: OperatorControls) -> OperatorControls:
        stamped = controls.model_copy(update={"updated_at": datetime.now(UTC)})
        data = json.dumps(stamped.model_dump(mode="json"), indent=2, sort_keys=True)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".controls-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(data + "\n")
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return stamped


class Topic(BaseModel):
    """A safeguarding topic practitioners and operators both recognise (e.g. Prevent)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str
    """As users see it in the notice: "Prevent and radicalisation"."""
    doc_ids: tuple[str, ...] = ()
    """The documents that hold this topic's guidance: not quoted while it is off."""
    patterns: tuple[str, ...] = ()
    """Regular expressions (case-insensitive) that mark a question as about this topic."""

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _TOPIC_ID.match(value):
            raise ValueError(f"topic id must be lower-case letters, digits and '-': {value!r}")
        return value

    def about(self, question: str) -> bool:
        return any(re.search(p, question, re.IGNORECASE) for p in self.patterns)


class _TopicFile(BaseModel):
    topics: list[Topic] = Field(default_factory=list)


class Topics:
    """The topic list from ``corpus/topics.yaml`` (empty when the file is missing)."""

    def __init__(self, topics: list[Topic] | None = None) -> None:
        self.topics = list(topics or [])
        self._by_id = {t.id: t for t in self.topics}
        if len(self._by_id) != len(self.topics):
            raise ValueError("topics.yaml names the same topic id twice")

    @classmethod
    def load(cls, path: Path) -> Topics:
        if not path.exists():
            return cls()
        data = _TopicFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        for topic in data.topics:
            for pattern in topic.patterns:
                re.compile(pattern)  # a broken pattern fails at start-up, not on a question
        return cls(data.topics)

    def get(self, topic_id: str) -> Topic | None:
        return self._by_id.get(topic_id)

    def ids(self) -> list[str]:
        return [t.id for t in self.topics]

    def unknown(self, ids: tuple[str, ...] | list[str]) -> list[str]:
        return [i for i in ids if i not in self._by_id]

    def switched_off(self, controls: OperatorControls) -> list[Topic]:
        return [t for t in self.topics if t.id in controls.topics_off]

    def off_for(self, question: str, controls: OperatorControls) -> Topic | None:
        """The first switched-off topic the question is about, if any."""
        for topic in self.switched_off(controls):
            if topic.about(question):
                return topic
        return None

    def withheld_docs(self, controls: OperatorControls) -> dict[str, Topic]:
        """Document id → the switched-off topic that withholds it."""
        return {doc: t for t in self.switched_off(controls) for doc in t.doc_ids}


class UnknownTopicError(ValueError):
    """A control names a topic that ``corpus/topics.yaml`` does not list."""


class Switchboard:
    """The current controls (re-read when the file changes, so every worker process sees a
    change at its next question) and the topic list they refer to."""

    def __init__(self, data_dir: Path, corpus_dir: Path) -> None:
        self.store = ControlsStore(Path(data_dir) / CONTROLS_FILE)
        self.topics = Topics.load(Path(corpus_dir) / TOPICS_FILE)
        self._seen: tuple[float, int] | None = None
        self._current = OperatorControls()
        self._lock = threading.Lock()

    def current(self) -> OperatorControls:
        try:
            stat = self.store.path.stat()
            stamp: tuple[float, int] | None = (stat.st_mtime, stat.st_size)
        except FileNotFoundError:
            stamp = None
        with self._lock:
            if stamp != self._seen:
                self._current = self.store.load() if stamp else OperatorControls()
                self._seen = stamp
            return self._current

    def change(self, controls: OperatorControls) -> tuple[OperatorControls, list[str]]:
        """Save ``controls``; returns the saved state and what changed (for the audit)."""
        unknown = self.topics.unknown(controls.topics_off)
        if unknown:
            raise UnknownTopicError(f"unknown topic: {unknown[0]}")
        before = self.current()
        saved = self.store.save(controls)
        with self._lock:
            self._seen = None  # re-read on the next question
        return saved, saved.changes_from(before)


def search_only_text() -> str:
    return (
        "An administrator has put the assistant in search-only mode, so it is not writing "
        "answers at the moment. The documents that match your question are listed below: "
        "open them to read the guidance. If a child is in immediate danger, call 999; "
        "otherwise speak to your designated safeguarding lead (DSL)."
    )


def topic_off_text(topic: Topic) -> str:
    return (
        f"Guidance on {topic.label} is switched off while the partnership reviews it, so "
        "the assistant does not answer questions about it for now. Speak to your designated "
        "safeguarding lead (DSL) or manager."
    )


LLM_OFF_TEXT = (
    "An administrator has switched the language model off, so this answer quotes the "
    "documents directly."
)
