"""The sources library page: its filter form (a GET form, so it works without JavaScript)
and the rows it lists, from ``assistant.library``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from assistant.library import SORTS, STATUS_ORDER, LibraryFilter, filter_sources
from assistant.server.contexts import KIND_LABELS, partnership_short_label, source_row_context
from assistant.types import SourceInfo

STATUS_LABELS: dict[str, str] = {
    "current": "Current",
    "superseded": "Superseded",
    "historical": "Historical",
}


def parse_library_filter(
    kind: str | None, partnership: str | None, status: str | None, sort: str | None
) -> LibraryFilter:
    """The filter from the query string; raises ValueError with a message a person can act on."""
    try:
        return LibraryFilter.model_validate(
            {"kind": kind, "partnership": partnership, "status": status, "sort": sort}
        )
    except ValidationError as error:
        field = str(error.errors()[0]["loc"][0])
        raise ValueError(
            f"The sources library cannot be filtered by that {field}. "
            "Choose from the lists on the sources page."
        ) from None


def _option(value: str, label: str, chosen: str | None) -> dict[str, Any]:
    return {"value": value, "label": label, "selected": value == chosen}


def library_context(infos: Sequence[SourceInfo], chosen: LibraryFilter) -> dict[str, Any]:
    """Rows to list and the form's options (only values some document has)."""
    kinds = sorted({i.doc.kind for i in infos}, key=lambda k: KIND_LABELS.get(k, k))
    partnerships = sorted({i.doc.partnership for i in infos})
    statuses = [s for s in STATUS_ORDER if any(i.doc.status == s for i in infos)]
    if chosen.partnership and chosen.partnership not in partnerships:
        raise ValueError(
            f"No document in the library belongs to the partnership {chosen.partnership!r}."
        )
    rows = [source_row_context(i) for i in filter_sources(infos, chosen)]
    return {
        "rows": rows,
        "total": len(infos),
        "filter": chosen,
        "filtered": chosen.narrows,
        "kind": chosen.kind,
        "options": {
            "kind": [_option(k, KIND_LABELS.get(k, k), chosen.kind) for k in kinds],
            "partnership": [
                _option(p, partnership_short_label(p), chosen.partnership) for p in partnerships
            ],
            "status": [_option(s, STATUS_LABELS[s], chosen.status) for s in statuses],
            "sort": [_option(key, label, chosen.sort) for key, label in SORTS],
        },
    }
