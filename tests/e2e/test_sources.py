"""Sources library, document pages with stable passage anchors, thresholds and escalation."""

from __future__ import annotations

import httpx

from tests.e2e.conftest import Session


def test_sources_library_lists_every_document(session: Session) -> None:
    page = session.page
    page.goto("/sources")
    api = httpx.get(f"{session.server.base_url}/api/sources").json()["sources"]
    rows = page.locator("table.app-source-table tbody tr")
    assert rows.count() == len(api) > 0
    first = rows.first.inner_text()
    assert api[0]["title"] in first
    assert str(api[0]["passage_count"]) in first


def test_document_page_has_an_anchor_for_every_passage(session: Session) -> None:
    base = session.server.base_url
    doc_id = httpx.get(f"{base}/api/sources").json()["sources"][0]["doc_id"]
    passages = httpx.get(f"{base}/api/sources/{doc_id}").json()["passages"]
    page = session.page
    page.goto(f"/sources/{doc_id}")
    for passage in passages:
        assert page.locator(f"[id='p-{passage['id']}']").count() == 1
    last = passages[-1]
    page.goto(f"/sources/{doc_id}#p-{last['id']}")
    target = page.locator(".app-passage:target")
    assert target.get_attribute("id") == f"p-{last['id']}"
    assert "Cited passage" in target.evaluate("el => getComputedStyle(el, '::before').content")


def test_threshold_and_escalation_pages_render_the_api_data(session: Session) -> None:
    base = session.server.base_url
    page = session.page
    for path in ("thresholds", "escalation"):
        data = httpx.get(f"{base}/api/{path}").json()
        page.goto(f"/{path}")
        text = page.locator("main").inner_text()
        assert "does not decide" in text
        shown = _first_text(data)
        if shown:
            assert " ".join(shown.split()) in " ".join(text.split())
        else:
            assert "no structured guidance" in text


def _first_text(node: object) -> str | None:
    """The first quote (or, failing that, title) in the API's structured data."""
    if isinstance(node, dict):
        for key in ("quote", "title"):
            if isinstance(node.get(key), str):
                return str(node[key])
        values = list(node.values())
    elif isinstance(node, list):
        values = list(node)
    else:
        return None
    for value in values:
        found = _first_text(value)
        if found:
            return found
    return None


def test_about_page_lists_documents_with_dates(session: Session) -> None:
    page = session.page
    page.goto("/about")
    text = page.locator("main").inner_text()
    assert "can be wrong" in text and "999" in text
    for source in httpx.get(f"{session.server.base_url}/api/sources").json()["sources"]:
        assert source["title"] in text


def test_api_docs_load_from_vendored_assets(session: Session) -> None:
    page = session.page
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .information-container", timeout=30_000)
    assert "/api/search" in page.locator("#swagger-ui").inner_text()
    offsite = [u for u in session.requests if not u.startswith(session.server.base_url)]
    assert offsite == []
