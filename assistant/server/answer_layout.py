"""Where an answer's notices go: one danger card, one "About this answer" area, an empty state.

Issue #14: stacked banners before a one-line answer, the IRH number twice, and a
"not covered" reply with an empty answer label. The layout here fixes the order a reader
(and a screen reader) meets them in:

1. **The danger card** — the emergency and disclosure notices merged into one card at the
   top of the answer, in an assertive live region (``role="alert"``), announced once.
2. **About this answer** — every other notice (personal details removed, the decision
   stays with you, an out-of-date source …) as one compact list, each with a title and
   an icon, never colour alone.
3. **The answer**, or, when there is none, a calm **empty state**: the route to a person
   and the closest documents for a "not covered" reply; one short notice for a question
   outside the tool's purpose (its "not covered" notice is left out).

No phone number is repeated within one answer's notices: a sentence whose numbers were all
given by an earlier notice is left out (the danger card first, then the empty state, then
the About items). The page and the stream use the same functions, so a streamed answer
ends in exactly the markup the page renders without JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Literal

import phonenumbers
from pydantic import BaseModel, Field

from assistant.types import NOTICE_ORDER, Answer, Notice, RelatedDocument

__all__ = [
    "DANGER_KINDS",
    "NOTICE_META",
    "AboutItem",
    "AnswerLayout",
    "DangerCard",
    "EmptyState",
    "RouteMemory",
    "StreamedNotices",
    "answer_layout",
    "summary_parts",
]

NOTICE_META: dict[str, dict[str, str]] = {
    "emergency": {"title": "Emergency: a child may be in immediate danger", "tone": "danger"},
    "disclosure": {"title": "Act today", "tone": "danger"},
    "decision": {"title": "This decision is for you and your safeguarding lead", "tone": "info"},
    "personal_data": {"title": "Personal details removed", "tone": "warning"},
    "injection": {"title": "Instructions in your question were ignored", "tone": "warning"},
    "scope": {"title": "Outside what this tool does", "tone": "info"},
    "not_covered": {"title": "Not covered by the partnership's documents", "tone": "warning"},
    "out_of_date": {"title": "Check the date of this guidance", "tone": "warning"},
    "service": {"title": "Service notice", "tone": "info"},
}
"""Each notice kind's title and tone (the tone picks the icon: danger, warning or info)."""

DANGER_KINDS: tuple[str, ...] = ("emergency", "disclosure")
"""Notices merged into the danger card, in this order."""

LEAD_KINDS: tuple[str, ...] = ("scope", "not_covered", "service")
"""What an answer with no body leads with, first match wins. A question outside the tool's
purpose gets its scope notice alone: the "not covered" route is for questions the
documents could have answered."""

REGION = "GB"
_SHORT_NUMBERS = re.compile(r"(?<!\d)(999|112)(?!\d)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_PARAGRAPH = re.compile(r"\n\s*\n")


class AboutItem(BaseModel):
    """One notice as shown: its title, icon and text (cut into paragraphs)."""

    kind: str
    title: str
    tone: str
    icon: str
    paragraphs: list[str] = Field(min_length=1)

    @property
    def text(self) -> str:
        return " ".join(self.paragraphs)


class DangerCard(BaseModel):
    """The emergency and disclosure notices as one card; ``role`` is "alert" when the card
    is the latest answer's (the one a screen reader must hear at once)."""

    id: str
    kind: str
    """The first (most urgent) kind: the card's title and ``data-notice-kind``."""
    kinds: list[str]
    title: str
    sections: list[AboutItem] = Field(min_length=1)
    role: Literal["alert"] | None = None

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sections)


class EmptyState(BaseModel):
    """What an answer without a body shows instead: one notice and, for "not covered",
    the documents closest to the question."""

    notice: AboutItem
    related: list[RelatedDocument] = Field(default_factory=list)


class AnswerLayout(BaseModel):
    danger: DangerCard | None = None
    about: list[AboutItem] = Field(default_factory=list)
    empty: EmptyState | None = None
    has_body: bool = True
    """False when there is no answer text: no "AI-assisted answer" label, no copy button."""


def _numbers(sentence: str) -> set[str]:
    """The phone numbers in a sentence (E.164 for full numbers; 999 and 112 as written)."""
    found = {
        phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
        for m in phonenumbers.PhoneNumberMatcher(sentence, REGION)
    }
    found.update(m.group(1) for m in _SHORT_NUMBERS.finditer(sentence))
    return found


class RouteMemory:
    """The phone numbers earlier notices of one answer gave, so later ones do not repeat
    them. Repeats inside one notice are left alone: those are the notice's own wording."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def paragraphs(self, text: str) -> list[str]:
        """``text``'s paragraphs without the sentences whose numbers were all given before."""
        kept_paragraphs: list[str] = []
        added: set[str] = set()
        for paragraph in _PARAGRAPH.split(text.strip()):
            kept: list[str] = []
            for sentence in _SENTENCE_END.split(paragraph.strip()):
                numbers = _numbers(sentence)
                if numbers and numbers <= self._seen:
                    continue
                added |= numbers
                kept.append(sentence)
            if kept:
                kept_paragraphs.append(" ".join(kept))
        self._seen |= added
        return kept_paragraphs


def _item(notice: Notice, memory: RouteMemory) -> AboutItem | None:
    meta = NOTICE_META.get(notice.kind, {"title": "Notice", "tone": "info"})
    paragraphs = memory.paragraphs(notice.text)
    if not paragraphs:
        return None
    return AboutItem(
        kind=notice.kind,
        title=meta["title"],
        tone=meta["tone"],
        icon=f"/static/icons/{meta['tone']}.svg",
        paragraphs=paragraphs,
    )


def _ordered(notices: Iterable[Notice]) -> list[Notice]:
    return sorted(notices, key=lambda n: NOTICE_ORDER.index(n.kind))


def _card(
    notices: Sequence[Notice], memory: RouteMemory, card_id: str, announce: bool
) -> DangerCard | None:
    sections = [s for n in notices if (s := _item(n, memory)) is not None]
    if not sections:
        return None
    return DangerCard(
        id=card_id,
        kind=sections[0].kind,
        kinds=[s.kind for s in sections],
        title=sections[0].title,
        sections=sections,
        role="alert" if announce else None,
    )


def answer_layout(answer: Answer, *, card_id: str, announce: bool = False) -> AnswerLayout:
    """Lay the answer's notices out (see the module docstring)."""
    notices = _ordered(answer.notices)
    memory = RouteMemory()
    danger = [n for n in notices if n.kind in DANGER_KINDS]
    rest = [n for n in notices if n.kind not in DANGER_KINDS]
    card = _card(danger, memory, card_id, announce)
    has_body = bool(answer.answer.strip())
    empty: EmptyState | None = None
    if not has_body and card is None:
        kinds = {n.kind for n in rest}
        lead_kind = next((k for k in LEAD_KINDS if k in kinds), None)
        if lead_kind is not None:
            lead = next(n for n in rest if n.kind == lead_kind)
            dropped = {"not_covered"} if lead_kind == "scope" else set()
            rest = [n for n in rest if n is not lead and n.kind not in dropped]
            item = _item(lead, memory)
            if item is not None:
                related = list(answer.related) if lead_kind != "scope" else []
                empty = EmptyState(notice=item, related=related)
    about = [i for n in rest if (i := _item(n, memory)) is not None]
    return AnswerLayout(danger=card, about=about, empty=empty, has_body=has_body)


def summary_parts(layout: AnswerLayout) -> list[str]:
    """What the status region reads before the answer: the About items, then the empty
    state. The danger card is not repeated: it was announced as an alert."""
    parts: list[str] = []
    if layout.about:
        parts.append("About this answer:")
        parts.extend(f"{item.title}. {item.text}" for item in layout.about)
    if layout.empty is not None:
        parts.append(f"{layout.empty.notice.title}. {layout.empty.notice.text}")
        if layout.empty.related:
            titles = "; ".join(d.title for d in layout.empty.related)
            parts.append(f"Closest documents: {titles}.")
    return parts


class StreamedNotices:
    """The notices of a streamed answer as they arrive, laid out as the page lays them out.

    Danger notices are held until the next event shows the group is complete, then sent
    as one card (``take_card``), so the alert is inserted, and announced, once. The
    finished answer renders the card with the same ``card_id`` and ``hx-preserve``, so
    htmx keeps the card already on the page instead of inserting it again.
    """

    def __init__(self, card_id: str) -> None:
        self.card_id = card_id
        self._memory = RouteMemory()
        self._held: list[Notice] = []
        self._sent = False

    def hold(self, notice: Notice) -> bool:
        """True for a danger notice, which waits for the rest of its card."""
        if notice.kind in DANGER_KINDS and not self._sent:
            self._held.append(notice)
            return True
        return False

    @property
    def has_danger(self) -> bool:
        return bool(self._held)

    @property
    def card_sent(self) -> bool:
        return self._sent

    def take_card(self) -> DangerCard | None:
        """The danger card, once, when danger notices are held and the card is not sent."""
        if self._sent or not self._held:
            return None
        self._sent = True
        return _card(_ordered(self._held), self._memory, self.card_id, announce=True)

    def card(self) -> DangerCard | None:
        """The danger card as it is (or would be) sent, e.g. to keep it above an error."""
        if not self._held:
            return None
        return _card(_ordered(self._held), RouteMemory(), self.card_id, announce=True)

    def close(self) -> None:
        """The finished answer renders the card itself: nothing more to send."""
        self._sent = True

    def item(self, notice: Notice) -> AboutItem | None:
        """A notice that is not part of the card, as its About item."""
        return _item(notice, self._memory)
