"""The L&D Evaluations pages: runs and their reports, and feedback turned into draft cases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.evaluation.feedback_export import QUESTION_TODO
from assistant.evaluation.results import Run
from assistant.evaluation.runner import new_run_id
from assistant.evaluation.runs import write_run
from assistant.evaluation.suite import parse_suite
from assistant.feedback import AuditEvent, FeedbackStore
from assistant.server.app import create_app
from assistant.server.security import CSP, REPORT_CSP
from assistant.settings import Settings
from tests.fakes import FakeAssistant
from tests.unit.eval_sample_runs import sample_run


def _run(good: bool, started: datetime) -> Run:
    run = sample_run(good=good)
    run.started = started
    run.run_id = new_run_id(started)
    return run


OLDER = datetime(2025, 3, 1, 10, 15, tzinfo=UTC)
NEWER = datetime(2025, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        evals_dir=tmp_path / "evals",
        secret_key="evaluations-test",
        enable_evaluations_page=True,
    )


@pytest.fixture
def runs(settings: Settings) -> dict[str, Path]:
    """A passing run (older) and a failing one (newer, JSON record only for one of them)."""
    runs_dir = settings.data_dir / "eval-runs"
    good = write_run(_run(True, OLDER), runs_dir)
    bad = write_run(_run(False, NEWER), runs_dir)
    return {"good": good, "bad": bad}


@pytest.fixture
def store(settings: Settings) -> FeedbackStore:
    return FeedbackStore(settings.data_dir / "assistant.sqlite3")


def _client(settings: Settings, feedback: FeedbackStore | None = None) -> TestClient:
    fake = FakeAssistant(settings)
    fake.load()
    if feedback is not None:
        fake.feedback = feedback  # type: ignore[attr-defined]  # as the real Assistant has
    return TestClient(create_app(settings, assistant=fake))


@pytest.fixture
def client(settings: Settings, store: FeedbackStore) -> Iterator[TestClient]:
    with _client(settings, store) as c:
        yield c


def _token(client: TestClient, page: str = "/evaluations/feedback") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert match, "the page has no CSRF token"
    return match.group(1)


# --- the switch -------------------------------------------------------------------------


def test_pages_are_404_and_not_in_the_nav_when_switched_off(
    settings: Settings, runs: dict[str, Path], store: FeedbackStore
) -> None:
    store.record_audit(AuditEvent(answer_id="a" * 32, partnership="lambeth"))
    feedback_id = store.record_feedback(
        "a" * 32, helpful=False, comment="x", kind="rating", passage_ids=[], doc_ids=[]
    )
    off = settings.model_copy(update={"enable_evaluations_page": False})
    with _client(off, store) as client:
        home = client.get("/sources").text
        assert "/evaluations" not in home and ">Evaluations<" not in home
        run_id = runs["bad"].name
        for path in (
            "/evaluations",
            "/evaluations/feedback",
            f"/evaluations/{run_id}/report.html",
            f"/evaluations/{run_id}/run.json",
        ):
            response = client.get(path)
            assert response.status_code == 404, path
            assert "There is no page at this address" in response.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
        assert token
        draft = client.post(
            "/evaluations/feedback/draft",
            data={"csrf_token": token.group(1), "feedback_id": str(feedback_id)},
        )
        assert draft.status_code == 404 and "suite:" not in draft.text


def test_nav_links_to_the_page_when_switched_on(client: TestClient) -> None:
    assert 'href="/evaluations"' in client.get("/sources").text
    page = client.get("/evaluations").text
    assert re.search(r'href="/evaluations" aria-current="page">Evaluations<', page)


# --- runs ---------------------------------------------------------------------------------


def test_lists_runs_newest_first_with_their_results(
    client: TestClient, runs: dict[str, Path]
) -> None:
    response = client.get("/evaluations")
    assert response.status_code == 200
    html = response.text
    bad, good = runs["bad"].name, runs["good"].name
    assert html.index(f"/evaluations/{bad}/report.html") < html.index(
        f"/evaluations/{good}/report.html"
    )
    assert "2 March 2025, 09:30 UTC" in html and "1 March 2025, 10:15 UTC" in html
    bad_row, good_row = html.split("<tbody", 1)[1].split("</tr>")[:2]
    assert "Failed" in bad_row and "Passed" not in bad_row
    assert "Passed" in good_row and "Failed" not in good_row
    for row, fingerprint, corpus in ((bad_row, "fp", "v1"), (good_row, "fp-good", "v2")):
        assert f"<code>{fingerprint}</code>" in row and f"<code>{corpus}</code>" in row
        assert "demo" in row and " of 3" in row and "%" in row
    assert f"/evaluations/{bad}/junit.xml" in bad_row and f"/evaluations/{bad}/run.json" in bad_row
    assert "Baseline" not in html  # none committed


def test_no_runs_says_how_to_make_one(client: TestClient) -> None:
    html = client.get("/evaluations").text
    assert "There are no evaluation runs yet" in html and "assistant eval evals/" in html


def test_report_is_served_in_the_sandboxed_report_csp(
    client: TestClient, runs: dict[str, Path]
) -> None:
    response = client.get(f"/evaluations/{runs['bad'].name}/report.html")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert csp == REPORT_CSP
    assert "sandbox allow-scripts" in csp and "allow-same-origin" not in csp
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert response.text == (runs["bad"] / "report.html").read_text(encoding="utf-8")
    assert "<script>" in response.text
    # The rest of the app keeps the strict policy.
    for path in ("/evaluations", "/evaluations/feedback", "/"):
        assert client.get(path).headers["content-security-policy"] == CSP, path


def test_missing_report_is_a_404_with_the_normal_csp(client: TestClient) -> None:
    response = client.get(f"/evaluations/{new_run_id(OLDER)}/report.html")
    assert response.status_code == 404
    assert response.headers["content-security-policy"] == CSP


def test_junit_and_run_record_download(client: TestClient, runs: dict[str, Path]) -> None:
    run_id = runs["bad"].name
    junit = client.get(f"/evaluations/{run_id}/junit.xml")
    assert junit.status_code == 200 and junit.text.lstrip().startswith("<?xml")
    assert "attachment" in junit.headers["content-disposition"]
    record = client.get(f"/evaluations/{run_id}/run.json")
    assert record.status_code == 200 and record.json()["run_id"] == run_id
    assert f'filename="{run_id}-run.json"' in record.headers["content-disposition"]


def test_a_run_saved_without_html_still_has_a_report(
    client: TestClient, settings: Settings
) -> None:
    folder = write_run(_run(True, NEWER), settings.data_dir / "eval-runs", reports={"json"})
    assert not (folder / "report.html").exists()
    response = client.get(f"/evaluations/{folder.name}/report.html")
    assert response.status_code == 200 and "demo" in response.text
    assert response.headers["content-security-policy"] == REPORT_CSP


@pytest.mark.parametrize(
    "path",
    [
        "/evaluations/..%2F..%2Fsecret.txt/report.html",
        "/evaluations/%2e%2e/secret.txt",
        "/evaluations/{run}/..%2F..%2F..%2Fsecret.txt",
        "/evaluations/{run}/secret.txt",
        "/evaluations/{run}%2F..%2F..%2F../secret.txt",
        "/evaluations/baseline/..%2F..%2Fsecret.txt",
        "/evaluations/../../secret.txt",
    ],
)
def test_paths_outside_the_known_run_files_are_rejected(
    client: TestClient, runs: dict[str, Path], settings: Settings, path: str
) -> None:
    secret = "TOP SECRET CONTENT"
    (settings.data_dir / "secret.txt").write_text(secret)
    (settings.data_dir / "eval-runs" / "secret.txt").write_text(secret)
    (runs["bad"] / "secret.txt").write_text(secret)
    response = client.get(path.format(run=runs["bad"].name))
    assert response.status_code == 404
    assert secret not in response.text


def test_committed_baseline_is_listed_and_its_report_served(
    client: TestClient, settings: Settings
) -> None:
    baseline = settings.evals_dir / "baseline"
    baseline.parent.mkdir(parents=True)
    write_run(_run(True, OLDER), settings.evals_dir).rename(baseline)
    html = client.get("/evaluations").text
    assert "Baseline" in html and "/evaluations/baseline/report.html" in html
    response = client.get("/evaluations/baseline/report.html")
    assert response.status_code == 200 and "<script>" in response.text
    assert response.headers["content-security-policy"] == REPORT_CSP


# --- feedback → draft cases ---------------------------------------------------------------


ANSWER_42 = f"{42:032x}"
PASSAGE_3 = "lambeth-arrangements-0000000003"


def _feedback(store: FeedbackStore) -> int:
    store.record_audit(
        AuditEvent(
            answer_id=ANSWER_42,
            partnership="lambeth",
            cited_doc_ids=["lambeth-arrangements"],
            cited_passage_ids=[PASSAGE_3],
            notices=["decision"],
        )
    )
    return store.record_feedback(
        ANSWER_42,
        helpful=False,
        comment="Missed the LADO timescale. Child's DOB is 03/04/2015.",
        kind="rating",
        passage_ids=[PASSAGE_3],
        doc_ids=["lambeth-arrangements"],
    )


def test_feedback_page_lists_redacted_feedback_and_explains_the_todo_question(
    client: TestClient, store: FeedbackStore
) -> None:
    _feedback(store)
    html = client.get("/evaluations/feedback").text
    assert "Not helpful" in html and "Missed the LADO timescale" in html
    assert "03/04/2015" not in html
    assert "lambeth-arrangements" in html
    assert "does not keep the questions" in html and "general question" in html
    assert "Draft an evaluation case" in html
    assert 'action="/evaluations/feedback/draft"' in html


def test_draft_button_downloads_yaml_that_loads_once_the_question_is_written(
    client: TestClient, store: FeedbackStore
) -> None:
    feedback_id = _feedback(store)
    response = client.post(
        "/evaluations/feedback/draft",
        data={"csrf_token": _token(client), "feedback_id": str(feedback_id)},
    )
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["content-type"].startswith("application/yaml")
    text = response.text
    assert "03/04/2015" not in text
    (question_line,) = [line for line in text.splitlines() if line.strip().startswith("question:")]
    written = question_line.split("question:", 1)[1].strip()
    assert parse_suite(text).cases[0].question == QUESTION_TODO  # the author must write it
    completed = text.replace(written, '"How quickly must the LADO be told?"')
    suite = parse_suite(completed, "evals/drafts/feedback.yaml")
    (case,) = suite.cases
    assert case.question == "How quickly must the LADO be told?"
    assert {"draft", "from-feedback"} <= set(case.tags)
    assert case.partnership == "lambeth"
    assert case.expect.documents == ["lambeth-arrangements"]
    assert case.expect.notices == ["decision"]


def test_draft_needs_a_valid_form_token(client: TestClient, store: FeedbackStore) -> None:
    feedback_id = _feedback(store)
    client.get("/evaluations/feedback")
    response = client.post(
        "/evaluations/feedback/draft", data={"csrf_token": "forged", "feedback_id": feedback_id}
    )
    assert response.status_code == 403 and "suite:" not in response.text


def test_unknown_feedback_is_a_404(client: TestClient, store: FeedbackStore) -> None:
    _feedback(store)
    response = client.post(
        "/evaluations/feedback/draft", data={"csrf_token": _token(client), "feedback_id": "999"}
    )
    assert response.status_code == 404


def test_without_a_feedback_store_the_page_says_there_is_none(settings: Settings) -> None:
    with _client(settings) as client:
        html = client.get("/evaluations/feedback").text
        assert "There is no feedback yet" in html
        assert not (settings.data_dir / "assistant.sqlite3").exists()
