"""The JSON API (DESIGN.md §4): thin routes that parse input, call the facade, return JSON.

Facade calls are CPU-bound, so each runs in the thread pool.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from assistant.conversation import check_history
from assistant.identifiers import ANSWER_ID_PATTERN, DOC_ID_PATTERN, PASSAGE_ID_PATTERN
from assistant.library import LibraryFilter, filter_sources
from assistant.notices import personal_data_text
from assistant.pathways import CitedPathway
from assistant.server.dependencies import (
    AnswerSlotsDep,
    AssistantDep,
    ReadyAssistant,
    SettingsDep,
)
from assistant.server.ratelimit import limit
from assistant.server.security import JsonPost
from assistant.server.sse import json_events
from assistant.server.validation import check_kind, check_partnership, check_question
from assistant.triage import redact
from assistant.types import Answer, Turn

router = APIRouter()


class SearchResult(BaseModel):
    doc_id: str
    title: str
    section: str
    text: str
    score: float
    passage_id: str
    url: str


class SearchResponse(BaseModel):
    results: list[SearchResult]
    personal_data_notice: str | None = Field(
        default=None,
        description="Set when identifying details were removed from the query before it "
        "was searched; says what kinds were removed.",
    )


class AskRequest(BaseModel):
    question: str = Field(description="The question, up to 2,000 characters.")
    history: list[Turn] = Field(
        default_factory=list,
        description="Earlier turns of this conversation, oldest first: at most 20 turns and "
        "20,000 characters in all.",
    )
    partnership: str | None = Field(default=None, description="Partnership slug, e.g. lambeth.")


PassageId = Annotated[str, Field(pattern=PASSAGE_ID_PATTERN, max_length=140)]
DocId = Annotated[str, Field(pattern=DOC_ID_PATTERN, max_length=120)]


class FeedbackRequest(BaseModel):
    answer_id: str = Field(
        pattern=ANSWER_ID_PATTERN, description="The answer's id, as the answer gave it."
    )
    helpful: bool | None = None
    comment: str | None = Field(default=None, max_length=2000)
    kind: Literal["feedback", "problem"] = "feedback"
    passage_ids: list[PassageId] = Field(default_factory=list, max_length=50)
    doc_ids: list[DocId] = Field(default_factory=list, max_length=50)


class FeedbackResponse(BaseModel):
    id: int
    message: str


class SourceSummary(BaseModel):
    doc_id: str
    title: str
    publisher: str
    partnership: str
    kind: str
    published: str
    date_kind: str = "published"
    """What ``published`` is: ``published``, ``period-end`` or ``checked`` (an undated page:
    the day it was checked)."""
    period: str | None
    status: str
    status_label: str
    prepared_for_assistant: bool
    source_url: str | None
    replaced_by: str | None = None
    """Id of the document that replaced this one (its status is then ``superseded``)."""
    passage_count: int
    url: str


class SourcesResponse(BaseModel):
    sources: list[SourceSummary]


class PathwaysResponse(BaseModel):
    pathways: list[CitedPathway]


class Health(BaseModel):
    status: str


def _partnership(assistant: Any, settings: Any, slug: str | None) -> str:
    return check_partnership(slug, assistant.partnerships(), settings.default_partnership)


@router.get(
    "/api/search",
    response_model=SearchResponse,
    tags=["retrieval"],
    dependencies=[Depends(limit("search"))],
)
async def search(
    assistant: ReadyAssistant,
    settings: SettingsDep,
    q: Annotated[str | None, Query(description="Search text, up to 2,000 characters.")] = None,
    k: Annotated[int, Query(ge=1, le=50, description="How many passages.")] = 8,
    partnership: Annotated[str | None, Query(description="Partnership slug.")] = None,
) -> SearchResponse:
    """Passages ranked for a query (hybrid search)."""
    query = check_question(q, settings.max_question_chars, noun="query")
    slug = _partnership(assistant, settings, partnership)
    redaction = redact(query)
    hits = await run_in_threadpool(assistant.search, redaction.text, k, slug)
    return SearchResponse(
        personal_data_notice=personal_data_text(redaction.counts) if redaction.total else None,
        results=[
            SearchResult(
                doc_id=h.doc.id,
                title=h.doc.title,
                section=h.passage.section,
                text=h.passage.text,
                score=h.score,
                passage_id=h.passage.id,
                url=h.url,
            )
            for h in hits
        ],
    )


@router.post(
    "/api/ask", response_model=Answer, tags=["answers"], dependencies=[Depends(limit("ask"))]
)
async def ask(
    body: AskRequest,
    _csrf: JsonPost,
    assistant: ReadyAssistant,
    settings: SettingsDep,
    slots: AnswerSlotsDep,
) -> Answer:
    """A cited answer with its notices (emergency first)."""
    question = check_question(body.question, settings.max_question_chars)
    history = check_history(body.history)
    slug = _partnership(assistant, settings, body.partnership)
    return await slots.run(assistant.ask, question, history, slug)


@router.post(
    "/api/ask/stream",
    tags=["answers"],
    dependencies=[Depends(limit("ask"))],
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def ask_stream(
    body: AskRequest,
    _csrf: JsonPost,
    assistant: ReadyAssistant,
    settings: SettingsDep,
    slots: AnswerSlotsDep,
) -> EventSourceResponse:
    """The same answer as server-sent events: ``notice``…, ``answer_part``…, ``citation``…,
    then ``done`` with the full answer JSON (``error`` with a message if it fails)."""
    question = check_question(body.question, settings.max_question_chars)
    history = check_history(body.history)
    slug = _partnership(assistant, settings, body.partnership)
    events = assistant.stream(question, history, slug)
    return EventSourceResponse(json_events(slots.iterate(events)), ping=15)


@router.post(
    "/api/feedback",
    response_model=FeedbackResponse,
    status_code=201,
    tags=["feedback"],
    dependencies=[Depends(limit("feedback"))],
)
async def feedback(
    body: FeedbackRequest, _csrf: JsonPost, assistant: AssistantDep
) -> FeedbackResponse:
    """Store helpful / not helpful or a problem report (personal data is redacted)."""
    comment = body.comment.strip() if body.comment else None
    feedback_id = await run_in_threadpool(
        lambda: assistant.record_feedback(
            body.answer_id,
            helpful=body.helpful,
            comment=comment or None,
            kind=body.kind,
            passage_ids=body.passage_ids,
            doc_ids=body.doc_ids,
        )
    )
    return FeedbackResponse(id=feedback_id, message="Thank you. Your feedback has been stored.")


@router.get("/api/sources", response_model=SourcesResponse, tags=["documents"])
async def sources(
    assistant: ReadyAssistant,
    kind: Annotated[str | None, Query(description="Only documents of this kind.")] = None,
    partnership: Annotated[
        str | None, Query(description="Only documents of this partnership (or london, national).")
    ] = None,
    status: Annotated[
        str | None, Query(description="Only current, superseded or historical documents.")
    ] = None,
    sort: Annotated[
        str | None, Query(description="kind (default), newest, oldest, title, partnership, status.")
    ] = None,
) -> SourcesResponse:
    """Every indexed document with its date, status and passage count (the /sources page's
    filters and order)."""
    try:
        chosen = LibraryFilter.model_validate(
            {"kind": check_kind(kind), "partnership": partnership, "status": status, "sort": sort}
        )
    except ValidationError as error:
        problem = error.errors()[0]
        detail = f"{problem['loc'][0]}: {problem['msg']}"
        raise HTTPException(status_code=422, detail=detail) from error
    except ValueError as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
    infos = filter_sources(await run_in_threadpool(assistant.sources, None), chosen)
    return SourcesResponse(
        sources=[
            SourceSummary(
                doc_id=i.doc.id,
                title=i.doc.title,
                publisher=i.doc.publisher,
                partnership=i.doc.partnership,
                kind=i.doc.kind,
                published=i.doc.published.isoformat(),
                date_kind=i.doc.date_kind,
                period=i.doc.period,
                status=i.doc.status,
                status_label=i.doc.status_label,
                prepared_for_assistant=i.doc.prepared_for_assistant,
                source_url=i.doc.source_url,
                replaced_by=i.doc.replaced_by,
                passage_count=i.passage_count,
                url=i.url,
            )
            for i in infos
        ]
    )


@router.get("/api/sources/{doc_id}", tags=["documents"])
async def source(doc_id: str, assistant: ReadyAssistant) -> dict[str, Any]:
    """One document: metadata, cleaned text, sections and passages (each with its URL)."""
    view = await run_in_threadpool(assistant.document, doc_id)
    if view is None:
        raise HTTPException(status_code=404, detail=f"No document with id {doc_id!r}.")
    data = view.model_dump(mode="json")
    data["url"] = f"/sources/{doc_id}"
    data["doc"]["status_label"] = view.doc.status_label
    for passage in data["passages"]:
        passage["url"] = f"/sources/{doc_id}#p-{passage['id']}"
    return data


@router.get("/api/thresholds", tags=["guidance"])
async def thresholds(
    assistant: ReadyAssistant,
    settings: SettingsDep,
    partnership: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """Structured threshold levels (``{}`` when the corpus has none)."""
    slug = _partnership(assistant, settings, partnership)
    return await run_in_threadpool(assistant.thresholds, slug)


@router.get("/api/escalation", tags=["guidance"])
async def escalation(
    assistant: ReadyAssistant,
    settings: SettingsDep,
    partnership: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """The structured escalation route (``{}`` when the corpus has none)."""
    slug = _partnership(assistant, settings, partnership)
    return await run_in_threadpool(assistant.escalation, slug)


@router.get("/api/pathways", response_model=PathwaysResponse, tags=["guidance"])
async def pathways(
    assistant: ReadyAssistant,
    settings: SettingsDep,
    partnership: Annotated[str | None, Query()] = None,
) -> PathwaysResponse:
    """Structured pathways (worried about a child, after a referral …), each step cited."""
    slug = _partnership(assistant, settings, partnership)
    return PathwaysResponse(pathways=await run_in_threadpool(assistant.pathways, slug))


@router.get("/api/pathways/{pathway_id}", response_model=CitedPathway, tags=["guidance"])
async def pathway(
    pathway_id: str,
    assistant: ReadyAssistant,
    settings: SettingsDep,
    partnership: Annotated[str | None, Query()] = None,
) -> CitedPathway:
    """One pathway by id; 404 when there is none (or none of its steps could be cited)."""
    slug = _partnership(assistant, settings, partnership)
    found = [p for p in await run_in_threadpool(assistant.pathways, slug) if p.id == pathway_id]
    if not found:
        raise HTTPException(status_code=404, detail=f"No pathway with id {pathway_id!r}.")
    return found[0]


@router.get("/healthz", response_model=Health, tags=["operations"])
async def healthz() -> Health:
    """The process is alive."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, tags=["operations"], responses={503: {}})
async def readyz(request: Request, assistant: AssistantDep) -> Any:
    """200 once the model and index are loaded and the index answers; 503 until then, if
    loading failed, or if the loaded index's vector collection no longer answers."""
    if assistant.ready and not getattr(request.app.state, "warmed", True):
        return JSONResponse({"status": "warming up"}, status_code=503, headers={"Retry-After": "5"})
    if assistant.ready:
        problem = await run_in_threadpool(assistant.index_problem)
        if problem is None:
            return Health(status="ready")
        return JSONResponse(
            {"status": f"not ready: {problem}"}, status_code=503, headers={"Retry-After": "5"}
        )
    error = getattr(request.app.state, "load_error", None)
    status = f"failed: {error}" if error else "loading"
    return JSONResponse({"status": status}, status_code=503, headers={"Retry-After": "5"})
