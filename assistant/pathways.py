"""Structured pathways: ordered, cited steps for the processes practitioners follow.

``corpus/pathways.yaml`` lists pathways such as *worried about a child* or *after a
referral*. Each step has a short ``title`` (and optional ``who`` / ``when`` labels) written
for the list, and a ``quote`` that must appear verbatim in the document named by
``doc_id``. At run time every quote is resolved to the passage that holds it and shown
with that citation, exactly as the threshold view and escalation route are; a step whose
quote no passage holds is left out, and a pathway whose ``required`` step cannot be cited
(the 999 step, say) is not shown at all.

The labels are not quotes, so they may not add facts: any number or timescale unit a
label uses ("within 24 hours", "15 working days") must also be in the step's quote. That
is checked when the file is loaded, with the other checks, and a broken file is reported
with the pathway and step it concerns.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.types import Citation

__all__ = [
    "CiteQuote",
    "CitedPathway",
    "CitedStep",
    "Pathway",
    "PathwayFile",
    "PathwayStep",
    "PathwaysError",
]

log = logging.getLogger(__name__)

PATHWAYS_NAME = "pathways.yaml"
_SLUG = r"^[a-z0-9][a-z0-9-]*$"

_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty".split()  # noqa: SIM905
)
_UNITS = frozenset(
    "minute minutes hour hours day days week weeks month months year years working".split()  # noqa: SIM905
)
_FACT_WORD = re.compile(r"\d+|[a-z]+")


class PathwaysError(Exception):
    """``pathways.yaml`` is not YAML or breaks the model (the message names pathway and step)."""


def _fact_words(text: str) -> set[str]:
    """Numbers and timescale units in a text: what a label must not state on its own."""
    words = _FACT_WORD.findall(text.lower())
    return {w for w in words if w.isdigit() or w in _NUMBER_WORDS or w in _UNITS}


class PathwayStep(BaseModel):
    """One step as written in ``pathways.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    who: str | None = None
    when: str | None = None
    quote: str = Field(min_length=1)
    """A sentence that appears verbatim (whitespace aside) in document ``doc_id``."""
    doc_id: str = Field(pattern=_SLUG)
    required: bool = False
    """If this step cannot be cited, the whole pathway is withheld."""

    @model_validator(mode="after")
    def _labels_add_no_facts(self) -> PathwayStep:
        in_quote = _fact_words(self.quote)
        for name in ("title", "who", "when"):
            label = getattr(self, name)
            extra = sorted(_fact_words(label) - in_quote) if label else []
            if extra:
                raise ValueError(
                    f"{name} {label!r} states {', '.join(extra)}, which the quote does not; "
                    "labels may only repeat what the quote says"
                )
        return self


class Pathway(BaseModel):
    """One pathway: an id, a title and its ordered steps."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_SLUG)
    title: str = Field(min_length=1)
    asks: list[str] = Field(default_factory=list)
    """Questions this pathway answers, as practitioners type them: the answer to a
    what-do-I-do question that reads like one of these ends with the pathway's steps."""
    steps: list[PathwayStep] = Field(min_length=1)


class PathwayFile(BaseModel):
    """The whole of ``pathways.yaml``: pathways in the order they are shown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    match_floor: float = Field(default=1.0, ge=0.0, le=1.0)
    """How like one of a pathway's ``asks`` a what-do-I-do question must read (cosine
    similarity) for its answer to lead with that pathway's steps; chosen on the tune split."""
    pathways: list[Pathway] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> PathwayFile:
        seen: set[str] = set()
        for pathway in self.pathways:
            if pathway.id in seen:
                raise ValueError(f"pathway id {pathway.id!r} is used twice")
            seen.add(pathway.id)
        return self

    @classmethod
    def load(cls, path: Path) -> PathwayFile:
        """The pathways in ``path`` (none when the file does not exist)."""
        if not path.exists():
            return cls()
        try:
            data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise PathwaysError(f"{path}: not valid YAML ({error})") from error
        try:
            return cls.model_validate(data if data is not None else {})
        except ValidationError as error:
            problems = [_describe(item, data) for item in error.errors()]
            raise PathwaysError(f"{path}:\n  " + "\n  ".join(problems)) from error

    def get(self, pathway_id: str) -> Pathway | None:
        return next((p for p in self.pathways if p.id == pathway_id), None)

    def cite(self, cite: CiteQuote) -> list[CitedPathway]:
        """Every pathway with its steps cited; pathways that cannot be shown are left out."""
        cited = (cite_pathway(pathway, cite) for pathway in self.pathways)
        return [pathway for pathway in cited if pathway is not None]


def _describe(item: Any, data: Any) -> str:
    """``pathway 'x', step 2 ('Talk to your DSL'): quote: field required``."""
    loc = list(item["loc"])
    where: list[str] = []
    if loc[:1] == ["pathways"] and len(loc) > 1 and isinstance(loc[1], int):
        raw = data["pathways"][loc[1]]
        name = raw.get("id") if isinstance(raw, dict) else None
        where.append(f"pathway {name!r}" if name else f"pathway {loc[1] + 1}")
        loc = loc[2:]
        if loc[:1] == ["steps"] and len(loc) > 1 and isinstance(loc[1], int):
            step = raw["steps"][loc[1]]
            title = step.get("title") if isinstance(step, dict) else None
            where.append(f"step {loc[1] + 1}" + (f" ({title!r})" if title else ""))
            loc = loc[2:]
    field = ".".join(str(part) for part in loc)
    message = str(item["msg"]).removeprefix("Value error, ")
    return ", ".join(where or ["file"]) + (f": {field}" if field else "") + f": {message}"


CiteQuote = Callable[[int, str, str], Citation | None]
"""``cite(n, doc_id, quote)`` → citation number ``n`` for the passage holding the quote, or
None when no loaded passage of that document holds it."""


def step_label(title: str) -> str:
    """A step's title as the bold label before its quote: "Record the concern." and
    "Is the information confidential?" (a question keeps its own mark)."""
    return title if title.endswith((".", "?", "!")) else f"{title}."


class CitedStep(BaseModel):
    """A step as served: its labels, its verbatim quote and the citation of that quote."""

    n: int
    title: str
    who: str | None
    when: str | None
    quote: str
    citation: Citation


class CitedPathway(BaseModel):
    """A pathway as served by ``Assistant.pathways()`` and ``GET /api/pathways``."""

    id: str
    title: str
    steps: list[CitedStep]


def cite_pathway(pathway: Pathway, cite: CiteQuote) -> CitedPathway | None:
    """The pathway with each step's quote cited, or None when it cannot be shown.

    A step whose quote is not found is left out (logged); the pathway is withheld when a
    ``required`` step is missing or no step survives. A quote from a superseded document
    is still shown (with that document's status) but logged: its quote should move to the
    document that replaced it.
    """
    steps: list[CitedStep] = []
    for number, step in enumerate(pathway.steps, start=1):
        citation = cite(len(steps) + 1, step.doc_id, step.quote)
        if citation is None:
            log.warning(
                "pathway %r step %d (%r): quote not found in %s",
                pathway.id,
                number,
                step.title,
                step.doc_id,
            )
            if step.required:
                log.error(
                    "pathway %r withheld: its required step %d is uncited", pathway.id, number
                )
                return None
            continue
        if citation.status == "superseded":
            log.warning(
                "pathway %r step %d quotes superseded document %s%s",
                pathway.id,
                number,
                step.doc_id,
                f" (move the quote to {citation.replaced_by})" if citation.replaced_by else "",
            )
        steps.append(
            CitedStep(
                n=len(steps) + 1,
                title=step.title,
                who=step.who,
                when=step.when,
                quote=step.quote,
                citation=citation,
            )
        )
    if not steps:
        return None
    return CitedPathway(id=pathway.id, title=pathway.title, steps=steps)


class PathwayMatcher:
    """Which pathway a what-do-I-do question reads like: the cosine similarity of the
    question to every pathway's ``asks`` (embedded once), best first."""

    def __init__(self, pathways: PathwayFile, embed: Callable[[list[str]], np.ndarray]) -> None:
        self._ids: list[str] = []
        texts: list[str] = []
        for pathway in pathways.pathways:
            for question in pathway.asks:
                self._ids.append(pathway.id)
                texts.append(question)
        self._vectors = np.asarray(embed(texts), dtype=np.float32) if texts else None

    def best(self, vector: np.ndarray) -> tuple[str, float] | None:
        """The pathway whose ``asks`` the question (a unit vector) is most like, and how
        like; None when no pathway has any."""
        if self._vectors is None:
            return None
        sims = self._vectors @ np.asarray(vector, dtype=np.float32)
        best = int(np.argmax(sims))
        return self._ids[best], float(sims[best])
