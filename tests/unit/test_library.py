"""The sources library: filtering and sorting, dates labelled by what they are, and the
filtered link a library question's answer carries (issue #14 item 9)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.library import LibraryFilter, filter_sources, library_words
from assistant.server.app import create_app
from assistant.settings import Settings
from assistant.triage.text import normalise
from assistant.types import SourceDocument, SourceInfo
from tests.fakes import FakeAssistant


def info(doc_id: str, **fields: Any) -> SourceInfo:
    values: dict[str, Any] = {
        "id": doc_id,
        "title": doc_id.replace("-", " ").title(),
        "publisher": "LSCP",
        "partnership": "lambeth",
        "kind": "briefing",
        "published": date(2024, 1, 1),
        "status": "current",
        "file": f"documents/{doc_id}.md",
        **fields,
    }
    return SourceInfo(doc=SourceDocument(**values), passage_count=3, url=f"/sources/{doc_id}")


LIBRARY = [
    info("briefing-new", published=date(2025, 8, 1)),
    info("briefing-old", published=date(2019, 12, 3)),
    info("report-2020", kind="annual-report", status="historical", published=date(2021, 3, 31)),
    info("lewisham-report", kind="annual-report", partnership="lewisham", status="historical"),
    info("contacts", kind="contacts", published=date(2026, 11, 23), date_kind="checked"),
    info("london-threshold", kind="threshold", partnership="london", published=date(2023, 2, 16)),
]


def ids(infos: list[SourceInfo]) -> list[str]:
    return [i.doc.id for i in infos]


def test_filters_combine_kind_partnership_and_status() -> None:
    briefings = filter_sources(LIBRARY, LibraryFilter(kind="briefing"))
    assert set(ids(briefings)) == {"briefing-new", "briefing-old"}
    historical_lambeth = LibraryFilter(
        kind="annual-report", partnership="lambeth", status="historical"
    )
    assert ids(filter_sources(LIBRARY, historical_lambeth)) == ["report-2020"]
    assert filter_sources(LIBRARY, LibraryFilter(partnership="lewisham", status="current")) == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["contacts", "briefing-new", "lewisham-report", "london-threshold"]),
        ("oldest", ["briefing-old", "report-2020", "london-threshold", "lewisham-report"]),
        ("title", ["briefing-new", "briefing-old", "contacts", "lewisham-report"]),
        ("status", ["contacts", "briefing-new", "london-threshold", "briefing-old"]),
    ],
)
def test_sorting_orders_by_date_title_and_status(sort: str, expected: list[str]) -> None:
    ordered = ids(filter_sources(LIBRARY, LibraryFilter.model_validate({"sort": sort})))
    assert ordered[: len(expected)] == expected
    if sort == "status":
        assert ordered[-2:] == ["lewisham-report", "report-2020"]  # historical last


def test_default_order_groups_by_type_newest_first() -> None:
    ordered = ids(filter_sources(LIBRARY, LibraryFilter()))
    assert ordered[:2] == ["lewisham-report", "report-2020"]  # annual reports, 2024 then 2021
    assert ordered.index("briefing-new") < ordered.index("briefing-old")


def test_blank_form_values_mean_all_and_the_url_keeps_only_choices() -> None:
    chosen = LibraryFilter.model_validate(
        {"kind": "", "partnership": "", "status": "current", "sort": ""}
    )
    assert chosen.kind is None and chosen.sort == "kind" and chosen.narrows
    assert chosen.url() == "/sources?status=current"
    assert LibraryFilter().url() == "/sources"
    with pytest.raises(ValueError):
        LibraryFilter.model_validate({"sort": "random"})


@pytest.mark.parametrize(
    ("question", "url", "label"),
    [
        ("What documents do you have?", "/sources", "See the 6 documents in the sources library"),
        (
            "Which briefings are there?",
            "/sources?kind=briefing",
            "See the 2 briefings in the sources library",
        ),
        (
            "list the historical Lewisham annual reports",
            "/sources?kind=annual-report&partnership=lewisham&status=historical",
            "See the 1 historical annual report (Lewisham) in the sources library",
        ),
    ],
)
def test_a_library_question_links_to_the_matching_filter(
    question: str, url: str, label: str
) -> None:
    words = library_words()
    chosen = words.filter_for(normalise(question))
    link = words.link(chosen, len(filter_sources(LIBRARY, chosen)))
    assert (link.url, link.label) == (url, label)


def test_no_match_links_to_the_whole_library() -> None:
    link = library_words().link(LibraryFilter(kind="pathway"), 0)
    assert link.url == "/sources" and link.count == 0


# --- the page: a GET form, filtered server-side, dates labelled ------------------------------


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", secret_key="library-test")
    fake = FakeAssistant(settings)
    fake.load()
    with TestClient(create_app(settings, assistant=fake)) as c:
        yield c


def _rows(html: str) -> list[str]:
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return body.split("</tr>")[:-1]


def test_page_filters_by_query_parameters_without_javascript(client: TestClient) -> None:
    everything = client.get("/sources").text
    assert 'method="get" action="/sources"' in everything
    assert len(_rows(everything)) == 3
    briefings = client.get("/sources", params={"kind": "briefing"}).text
    [row] = _rows(briefings)
    assert "Seven-minute briefing: neglect" in row
    assert "1 document of 3 match the filter" in briefings
    assert '<option value="briefing" selected>' in briefings
    assert 'href="/sources">Show all 3 documents' in briefings
    none = client.get("/sources", params={"status": "superseded"})
    assert none.status_code == 200 and _rows(none.text) == []


def _dates(html: str) -> list[str]:
    return [re.search(r'<time datetime="([0-9-]+)"', row).group(1) for row in _rows(html)]  # type: ignore[union-attr]


def test_page_sorts_by_date(client: TestClient) -> None:
    newest = _dates(client.get("/sources", params={"sort": "newest"}).text)
    oldest = _dates(client.get("/sources", params={"sort": "oldest"}).text)
    assert newest == sorted(newest, reverse=True) and oldest == sorted(oldest)
    assert len(set(newest)) > 1  # the fake library has different dates, so order shows


def test_unknown_filter_values_are_a_plain_404(client: TestClient) -> None:
    for params in ({"kind": "poems"}, {"sort": "random"}, {"partnership": "narnia"}):
        response = client.get("/sources", params=params)
        assert response.status_code == 404, params
        assert "Choose from the lists" in response.text or "No document" in response.text


def test_dates_are_labelled_by_what_they_are(client: TestClient) -> None:
    html = client.get("/sources").text
    assert ">Date</th>" in html and ">Published</th>" not in html
    assert html.count('class="app-date-label">Published</span>') == 3


def test_api_filters_and_sorts_like_the_page(client: TestClient) -> None:
    api = client.get("/api/sources", params={"kind": "briefing"}).json()["sources"]
    assert [s["kind"] for s in api] == ["briefing"]
    assert api[0]["date_kind"] == "published"
    newest = client.get("/api/sources", params={"sort": "newest"}).json()["sources"]
    dates = [s["published"] for s in newest]
    assert dates == sorted(dates, reverse=True)
    assert client.get("/api/sources", params={"status": "old"}).status_code == 422


def test_shipped_contacts_register_is_dated_checked_not_published() -> None:
    from assistant.corpus.manifest import load_manifest
    from assistant.server.contexts import document_meta

    docs = {d.id: d for d in load_manifest(Settings().corpus_dir, check_paths=False)}
    contacts = document_meta(docs["lambeth-contacts-and-routes"])
    assert contacts["date_label"] == "Checked on" and contacts["published"] == "23 November 2026"
    assert document_meta(docs["lambeth-lscp-annual-report-2023-24"])["date_label"] == (
        "Period ended"
    )
    assert document_meta(docs["lambeth-briefing-its-silent"])["date_label"] == "Published"
