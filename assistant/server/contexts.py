"""Template contexts: pure functions from domain objects to plain dicts.

Templates never see raw model or document text as markup: the answer's markdown is
parsed here into blocks of text segments and citation markers, and Jinja escapes every
string. Keeping this pure means the page and the htmx fragments share one rendering path
and the logic is unit-tested without a browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from assistant.server.answer_layout import answer_layout, summary_parts
from assistant.server.citation_view import by_passage, panel_url, source_groups
from assistant.types import (
    NOTICE_ORDER,
    WIDE_SCOPE_LABELS,
    Answer,
    Citation,
    DocumentView,
    Notice,
    Passage,
    Section,
    SourceDocument,
    SourceInfo,
)

AI_LABEL = "AI-assisted answer"

FALLBACK_DECISION_REMINDER = (
    "This tool gives information from named documents, not decisions. Use your "
    "professional judgement, follow local procedures and talk to your designated "
    "safeguarding lead or manager."
)

PARTNERSHIP_NAMES: dict[str, str] = {
    "lambeth": "Lambeth Safeguarding Children Partnership",
    "lewisham": "Lewisham Safeguarding Children Partnership",
    **WIDE_SCOPE_LABELS,
}

KIND_LABELS: dict[str, str] = {
    "arrangements": "Safeguarding arrangements",
    "threshold": "Threshold guidance",
    "escalation": "Escalation procedure",
    "briefing": "Briefing",
    "annual-report": "Annual report",
    "improvement-plan": "Improvement plan",
    "contacts": "Contacts",
    "procedure": "Procedure",
    "overview": "Overview",
    "guidance": "Practice guidance",
    "definition": "Definitions",
    "pathway": "Pathway",
}

DATE_LABELS: dict[str, str] = {
    "published": "Published",
    "period-end": "Period ended",
    "checked": "Checked on",
}
"""What a document's date is (manifest ``date_kind``): an undated page or register has the
day it was checked, never a made-up publication date."""

_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_BULLET = re.compile(r"^\s*[-*•]\s+")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s+")


def decision_reminder() -> str:
    """The fixed footer under every answer (DSB-07), from ``assistant.notices`` when present."""
    try:
        from assistant.notices import (  # type: ignore[import-not-found,unused-ignore]
            DECISION_REMINDER,
        )
    except ImportError:
        return FALLBACK_DECISION_REMINDER
    return str(DECISION_REMINDER)


def partnership_label(slug: str) -> str:
    """Human name of a partnership slug, e.g. ``lambeth`` → Lambeth Safeguarding Children …"""
    slug = slug.strip().lower()
    if slug in PARTNERSHIP_NAMES:
        return PARTNERSHIP_NAMES[slug]
    return f"{slug.replace('-', ' ').title()} Safeguarding Children Partnership"


def partnership_short_label(slug: str) -> str:
    return WIDE_SCOPE_LABELS.get(slug) or slug.replace("-", " ").title()


def format_date(value: date) -> str:
    """GOV.UK style: 1 January 2025."""
    return f"{value.day} {value:%B %Y}"


def status_label(status: str, prepared_for_assistant: bool) -> str:
    """Non-negotiable 6: summaries written for this assistant say so (and say when a
    summary is no longer current, e.g. superseded by the original document)."""
    if not prepared_for_assistant:
        return status
    summary = "summary prepared for this assistant"
    return summary if status == "current" else f"{status} {summary}"


def status_tone(status: str, prepared_for_assistant: bool) -> str:
    if prepared_for_assistant and status == "current":
        return "summary"
    return {"current": "current", "superseded": "old", "historical": "old"}.get(status, "old")


def ordered_notices(notices: Iterable[Notice]) -> list[Notice]:
    """Notices in the fixed order: emergency first, then the rest as ``NOTICE_ORDER`` says."""
    return sorted(notices, key=lambda n: NOTICE_ORDER.index(n.kind))


def section_label(section: str, title: str) -> str:
    """The section path without a leading copy of the document title."""
    for sep in (" › ", " > "):
        if section.startswith(title + sep):
            return section[len(title) + len(sep) :]
    return "" if section == title else section


def citation_context(citation: Citation) -> dict[str, Any]:
    return {
        "n": citation.n,
        "doc_id": citation.doc_id,
        "passage_id": citation.passage_id,
        "title": citation.title,
        "section": section_label(citation.section, citation.title),
        "publisher": citation.publisher,
        "published": format_date(citation.published),
        "status": citation.status,
        "status_label": status_label(citation.status, citation.prepared_for_assistant),
        "status_tone": status_tone(citation.status, citation.prepared_for_assistant),
        "url": citation.url,
        "panel_url": panel_url(citation),
        "quote": citation.quote,
        "source_url": citation.source_url,
        "label": f"Source {citation.n}: {citation.title}"
        + (f", {section_label(citation.section, citation.title)}" if citation.section else ""),
    }


def _segments(text: str, cites: Mapping[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Split one line into text, bold and citation-marker segments (unknown markers dropped)."""
    segments: list[dict[str, Any]] = []
    pos = 0
    for match in _MARKER.finditer(text):
        segments.extend(_text_segments(text[pos : match.start()]))
        for number in match.group(1).split(","):
            cite = cites.get(int(number))
            if cite is not None:
                segments.append({"type": "cite", **cite})
        pos = match.end()
    segments.extend(_text_segments(text[pos:]))
    return segments


def _text_segments(text: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    pos = 0
    for match in _STRONG.finditer(text):
        if match.start() > pos:
            out.append({"type": "text", "text": text[pos : match.start()]})
        out.append({"type": "strong", "text": match.group(1)})
        pos = match.end()
    if pos < len(text):
        out.append({"type": "text", "text": text[pos:]})
    return out


def answer_blocks(
    text: str, citations: Sequence[Citation], preview_prefix: str = ""
) -> list[dict[str, Any]]:
    """Parse the answer's small markdown subset into paragraphs, lists and headings.

    With ``preview_prefix``, each marker names its preview (``{prefix}-{n}``)."""
    cites = {
        c.n: {
            **citation_context(c),
            "preview_id": f"{preview_prefix}-{c.n}" if preview_prefix else "",
        }
        for c in citations
    }
    blocks: list[dict[str, Any]] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append({"type": "p", "segments": _segments(" ".join(paragraph), cites)})
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        for pattern, kind in ((_BULLET, "ul"), (_NUMBERED, "ol")):
            if pattern.match(line):
                flush()
                item = _segments(pattern.sub("", line, count=1), cites)
                if blocks and blocks[-1]["type"] == kind:
                    blocks[-1]["items"].append(item)
                else:
                    blocks.append({"type": kind, "items": [item]})
                break
        else:
            if _HEADING.match(line):
                flush()
                blocks.append({"type": "h", "segments": _segments(_HEADING.sub("", line), cites)})
            else:
                paragraph.append(line)
    flush()
    return blocks


def plain_answer_text(answer: Answer) -> str:
    """The answer as plain text, for copying and for the one screen-reader announcement."""
    body = _MARKER.sub(lambda m: f"[{m.group(1)}]", answer.answer)
    body = _STRONG.sub(r"\1", body)
    body = "\n".join(_HEADING.sub("", line) for line in body.splitlines())
    lines = [body.strip()]
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for c in answer.citations:
            lines.append(
                f"[{c.n}] {c.title} — {c.section} ({c.publisher}, {format_date(c.published)}, "
                f"{status_label(c.status, c.prepared_for_assistant)}) {c.url}"
            )
    return "\n".join(lines)


def announcement_text(answer: Answer) -> str:
    """What the status region reads once when a streamed answer is complete (AC-02).

    The notices come first, as the page shows them (the About items, or the empty state of
    an answer with no body), then the answer without marker noise, then how many sources
    are listed. The danger card is not repeated: it is announced as an alert on its own.
    """
    answer = by_passage(answer).answer
    parts = ["Answer ready."]
    parts.extend(summary_parts(answer_layout(answer, card_id="summary")))
    body = _MARKER.sub("", answer.answer)
    body = _STRONG.sub(r"\1", body)
    body = " ".join(
        _NUMBERED.sub("", _BULLET.sub("", _HEADING.sub("", line))).strip()
        for line in body.splitlines()
        if line.strip()
    )
    if body:
        parts.append("Answer: " + " ".join(body.split()))
    count = len(answer.citations)
    if count:
        parts.append(f"{count} source{'s' if count != 1 else ''} listed below the answer.")
    return " ".join(parts)


def answer_context(
    answer: Answer,
    *,
    reminder: str | None = None,
    announce: bool = False,
    card_id: str | None = None,
) -> dict[str, Any]:
    """Everything ``exchange.html`` needs. ``announce`` makes the danger card an alert (the
    latest answer's); ``card_id`` is the card's id (a streamed answer keeps its card)."""
    layout = answer_layout(
        answer, card_id=card_id or f"danger-{answer.answer_id}", announce=announce
    )
    cited = by_passage(answer)
    answer = cited.answer
    citations = [
        {
            **citation_context(c),
            "quotes": cited.quotes.get(c.n) or [c.quote],
            "preview_id": f"preview-{answer.answer_id}-{c.n}",
        }
        for c in answer.citations
    ]
    return {
        "danger": layout.danger,
        "about": layout.about,
        "empty": layout.empty,
        "has_body": layout.has_body,
        "answer_id": answer.answer_id,
        "question": answer.question,
        "partnership": answer.partnership,
        "partnership_label": partnership_short_label(answer.partnership),
        "blocks": answer_blocks(
            answer.answer, answer.citations, preview_prefix=f"preview-{answer.answer_id}"
        ),
        "citations": citations,
        "source_groups": _source_groups(citations, answer.citations),
        "refused": answer.refused,
        "ai_label": AI_LABEL,
        "decision_reminder": reminder if reminder is not None else decision_reminder(),
        "plain_text": plain_answer_text(answer),
        "passage_ids": [c.passage_id for c in answer.citations],
        "doc_ids": sorted({c.doc_id for c in answer.citations}),
        "composer": answer.composer,
        "library": answer.library.model_dump() if answer.library else None,
        "settings_fingerprint": answer.settings_fingerprint,
    }


def _source_groups(
    contexts: Sequence[Mapping[str, Any]], citations: Sequence[Citation]
) -> list[dict[str, Any]]:
    """The Sources list: one entry per document with its cited sections, plus the
    document's publisher, date and status as the first citation of it shows them."""
    first: dict[str, Mapping[str, Any]] = {}
    for ctx in contexts:
        first.setdefault(ctx["doc_id"], ctx)
    labels = {ctx["n"]: ctx["section"] for ctx in contexts}
    meta = ("publisher", "published", "status", "status_label", "status_tone")
    return [
        {**g.model_dump(), **{k: first[g.doc_id][k] for k in meta}}
        for g in source_groups(citations, labels)
    ]


def document_meta(doc: SourceDocument, replaced_by: SourceDocument | None = None) -> dict[str, Any]:
    """A document's metadata as shown; ``replaced_by`` is the document that replaced it."""
    return {
        "id": doc.id,
        "title": doc.title,
        "publisher": doc.publisher,
        "partnership": partnership_short_label(doc.partnership),
        "kind": KIND_LABELS.get(doc.kind, doc.kind),
        "published": format_date(doc.published),
        "published_iso": doc.published.isoformat(),
        "date_label": DATE_LABELS[doc.date_kind],
        "period": doc.period,
        "status": doc.status,
        "status_label": status_label(doc.status, doc.prepared_for_assistant),
        "status_tone": status_tone(doc.status, doc.prepared_for_assistant),
        "source_url": doc.source_url,
        "limits": list(doc.limits),
        "url": f"/sources/{doc.id}",
        "replaced_by": (
            {"id": replaced_by.id, "title": replaced_by.title, "url": f"/sources/{replaced_by.id}"}
            if replaced_by is not None
            else None
        ),
    }


def source_row_context(info: SourceInfo) -> dict[str, Any]:
    return {**document_meta(info.doc), "passage_count": info.passage_count, "url": info.url}


_LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def _paragraphs(text: str, drop: Iterable[str] = ()) -> list[str]:
    """Blank-line separated paragraphs; list lines (``- x``, ``• x``, ``1. x``) stay separate."""
    skip = {d.strip().lower() for d in drop}
    out: list[str] = []
    for chunk in re.split(r"\n\s*\n", text):
        current: list[str] = []
        paras: list[str] = []
        for line in chunk.strip().splitlines():
            if _LIST_LINE.match(line) and current:
                paras.append(" ".join(current))
                current = []
            current.append(line.strip())
        if current:
            paras.append(" ".join(current))
        for para in paras:
            para = _HEADING.sub("", para)
            if para and para.lower() not in skip:
                out.append(para)
    return out


def _heading_level(path: Sequence[str]) -> int:
    return min(2 + max(len(path) - 1, 0), 4)


def _section_segments(
    text: str, section: Section, passages: Sequence[Passage]
) -> list[dict[str, Any]]:
    """Cut a section into runs: each passage's run carries its stable anchor id."""
    inside = sorted(
        (p for p in passages if section.start <= p.start < section.end), key=lambda p: p.start
    )
    segments: list[dict[str, Any]] = []
    pos = section.start
    drop = section.heading_path
    for i, passage in enumerate(inside):
        if passage.start > pos:
            paras = _paragraphs(text[pos : passage.start], drop)
            if paras:
                segments.append({"passage_id": None, "paragraphs": paras})
        next_start = inside[i + 1].start if i + 1 < len(inside) else section.end
        end = min(max(passage.end, passage.start + 1), next_start, section.end)
        start = max(passage.start, pos)
        paras = _paragraphs(text[start:end], drop) or [passage.text.strip()]
        segments.append(
            {"passage_id": passage.id, "anchor": f"p-{passage.id}", "paragraphs": paras}
        )
        pos = max(pos, end)
    if pos < section.end:
        paras = _paragraphs(text[pos : section.end], drop)
        if paras:
            segments.append({"passage_id": None, "paragraphs": paras})
    return segments


def _sections_of(view: DocumentView) -> list[Section]:
    if view.sections:
        return sorted(view.sections, key=lambda s: s.start)
    return [Section(heading_path=[view.doc.title], start=0, end=len(view.text))]


def document_context(view: DocumentView) -> dict[str, Any]:
    """The document page: cleaned text by section, one anchor per passage."""
    sections: list[dict[str, Any]] = []
    for i, section in enumerate(_sections_of(view)):
        heading = section.heading_path[-1] if section.heading_path else view.doc.title
        sections.append(
            {
                "id": f"s-{i + 1}",
                "heading": heading,
                "level": _heading_level(section.heading_path),
                "segments": _section_segments(view.text, section, view.passages),
            }
        )
    # Passages outside every section still need their anchor.
    covered = {s["passage_id"] for sec in sections for s in sec["segments"]}
    orphans = [p for p in view.passages if p.id not in covered]
    if orphans:
        sections.append(
            {
                "id": f"s-{len(sections) + 1}",
                "heading": "Other passages",
                "level": 2,
                "segments": [
                    {"passage_id": p.id, "anchor": f"p-{p.id}", "paragraphs": [p.text.strip()]}
                    for p in orphans
                ],
            }
        )
    return {
        "doc": document_meta(view.doc, view.replaced_by),
        "sections": sections,
        "passage_count": len(view.passages),
    }


def passage_context(view: DocumentView, passage_id: str) -> dict[str, Any] | None:
    """The cited passage highlighted inside its section, with the document's metadata."""
    passage = next((p for p in view.passages if p.id == passage_id), None)
    if passage is None:
        return None
    section = next(
        (s for s in _sections_of(view) if s.start <= passage.start < s.end),
        Section(heading_path=passage.heading_path, start=passage.start, end=passage.end),
    )
    drop = section.heading_path
    start, end = passage.start, max(passage.end, passage.start)
    highlighted = _paragraphs(view.text[start:end]) or [passage.text.strip()]
    return {
        "doc": document_meta(view.doc, view.replaced_by),
        "passage_id": passage.id,
        "section": passage.section or " › ".join(section.heading_path),
        "heading": section.heading_path[-1] if section.heading_path else view.doc.title,
        "before": _paragraphs(view.text[section.start : start], drop),
        "passage": highlighted,
        "after": _paragraphs(view.text[end : section.end], drop),
        "document_url": f"/sources/{view.doc.id}#p-{passage.id}",
    }


def _humanise(key: str) -> str:
    words = key.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


_HIDDEN_KEYS = frozenset({"doc_id", "source_doc", "contact", "passage_id"})
"""Internal identifiers in the structured guidance that mean nothing to a reader."""


def _quote_node(value: Mapping[str, Any], label: str | None) -> dict[str, Any]:
    citation = value.get("citation")
    cite = None
    if isinstance(citation, Mapping) and citation.get("url"):
        cite = {
            "title": str(citation.get("title", "Source")),
            "url": str(citation["url"]),
            "section": section_label(
                str(citation.get("section") or ""), str(citation.get("title", ""))
            ),
            "status": str(citation.get("status") or ""),
        }
    extra = value.get("url")
    return {
        "kind": "quote",
        "label": label,
        "text": str(value["quote"]),
        "cite": cite,
        "address": str(extra) if isinstance(extra, str) else None,
    }


def structured_node(value: Any, key: str | None = None) -> dict[str, Any]:
    """Turn the facade's JSON-able threshold/escalation data into a renderable tree.

    Quotes (``{"quote", "citation"}``) keep their citation; ``name`` with ``level`` or
    ``step`` becomes the item's heading; internal ids are hidden.
    """
    label = _humanise(key) if key else None
    if isinstance(value, Mapping):
        if isinstance(value.get("quote"), str):
            return _quote_node(value, label)
        url = value.get("url")
        if isinstance(url, str) and url.startswith("/") and "title" in value:
            return {"kind": "link", "label": label, "text": str(value["title"]), "url": url}
        heading = None
        rest = dict(value)
        if isinstance(value.get("name"), str):
            number = value.get("level", value.get("step"))
            prefix = "Level" if "level" in value else "Step"
            heading = f"{prefix} {number}: {value['name']}" if number is not None else value["name"]
            rest = {k: v for k, v in value.items() if k not in ("name", "level")}
        return {
            "kind": "fields",
            "label": label,
            "heading": heading,
            "fields": [
                structured_node(v, str(k))
                for k, v in rest.items()
                if v not in (None, "", [], {}) and k not in _HIDDEN_KEYS
            ],
        }
    if isinstance(value, list | tuple):
        return {"kind": "list", "label": label, "items": [structured_node(v) for v in value]}
    if isinstance(value, bool):
        return {"kind": "text", "label": label, "text": "Yes" if value else "No"}
    text = str(value)
    if key == "url" and text.startswith("/"):
        return {"kind": "link", "label": label, "text": text, "url": text}
    return {"kind": "text", "label": label, "text": text}


def structured_context(data: Mapping[str, Any], default_title: str) -> dict[str, Any]:
    """Title and summary lifted out; everything else rendered generically."""
    rest = {k: v for k, v in data.items() if k not in ("title", "summary")}
    return {
        "title": str(data.get("title") or default_title),
        "summary": str(data["summary"]) if data.get("summary") else None,
        "available": bool(data),
        "node": structured_node(rest) if rest else None,
    }
