"""The exact shapes of the identifiers the assistant issues, checked wherever one comes
back from a user (feedback forms, the API): anything else is refused with 422, so free text
(an email address, an NHS number) can never be stored as an "id".

- answer ids: 32 lower-case hex digits (``uuid4().hex``), issued per answer;
- document ids: the manifest's slugs (lower-case letters, digits and hyphens);
- passage ids: a document id, a hyphen and 10 hex digits (``chunking.passage_id``).
"""

from __future__ import annotations

import re

ANSWER_ID_PATTERN = r"^[0-9a-f]{32}$"
DOC_ID_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$"
PASSAGE_ID_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?-[0-9a-f]{10}$"

_ANSWER_ID = re.compile(ANSWER_ID_PATTERN)
_DOC_ID = re.compile(DOC_ID_PATTERN)
_PASSAGE_ID = re.compile(PASSAGE_ID_PATTERN)


def is_answer_id(value: str) -> bool:
    return bool(_ANSWER_ID.fullmatch(value))


def is_doc_id(value: str) -> bool:
    return bool(_DOC_ID.fullmatch(value))


def is_passage_id(value: str) -> bool:
    return bool(_PASSAGE_ID.fullmatch(value))


def passage_doc_id(passage_id: str) -> str:
    """The document a passage id belongs to (the part before the final hash)."""
    return passage_id.rsplit("-", 1)[0]
