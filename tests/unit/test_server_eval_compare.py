"""The Evaluations page is on by default for evaluators, shows each run's verdict in words,
and compares two chosen runs (per-case pass/fail changes and metric deltas)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.evaluation.results import Run
from assistant.evaluation.runner import new_run_id
from assistant.evaluation.runs import write_run
from assistant.server.app import create_app
from assistant.settings import AuthSettings, Settings
from tests.fakes import FakeAssistant
from tests.unit.eval_sample_runs import sample_run

OLDER = datetime(2025, 3, 1, 10, 15, tzinfo=UTC)
NEWER = datetime(2025, 3, 2, 9, 30, tzinfo=UTC)


def _run(good: bool, started: datetime) -> Run:
    run = sample_run(good=good)
    run.started = started
    run.run_id = new_run_id(started)
    return run


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # No enable_evaluations_page here: the page must be on by default.
    return Settings(
        data_dir=tmp_path / "data", evals_dir=tmp_path / "evals", secret_key="compare-test"
    )


@pytest.fixture
def runs(settings: Settings) -> dict[str, str]:
    runs_dir = settings.data_dir / "eval-runs"
    good = write_run(_run(True, OLDER), runs_dir).name
    bad = write_run(_run(False, NEWER), runs_dir).name
    return {"good": good, "bad": bad}


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    fake = FakeAssistant(settings)
    fake.load()
    with TestClient(create_app(settings, assistant=fake)) as c:
        yield c


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_page_is_on_by_default_and_in_the_nav(client: TestClient) -> None:
    assert Settings().enable_evaluations_page
    assert client.get("/evaluations").status_code == 200
    assert 'href="/evaluations"' in client.get("/sources").text


def test_evaluator_opens_the_page_and_a_practitioner_cannot(settings: Settings) -> None:
    proxied = settings.model_copy(update={"auth": AuthSettings(mode="proxy")})
    fake = FakeAssistant(proxied)
    fake.load()
    with TestClient(create_app(proxied, assistant=fake), client=("127.0.0.1", 50000)) as c:
        evaluator = {"x-forwarded-email": "ld@x.org", "x-forwarded-groups": "evaluator"}
        practitioner = {"x-forwarded-email": "p@x.org", "x-forwarded-groups": "practitioner"}
        assert c.get("/evaluations", headers=evaluator).status_code == 200
        assert c.get("/evaluations/compare", headers=evaluator).status_code == 200
        assert c.get("/evaluations", headers=practitioner).status_code == 403
        assert 'href="/evaluations"' not in c.get("/sources", headers=practitioner).text


def test_run_table_states_each_verdict_in_words(client: TestClient, runs: dict[str, str]) -> None:
    text = _text(client.get("/evaluations").text)
    assert "Failed 1 of 3 cases failed; 1 of 2 pass marks not met." in text
    assert "Passed 1 of 3 cases failed; every pass mark set was met." in text


def test_compare_form_preselects_the_newest_run_against_the_one_before(
    client: TestClient, runs: dict[str, str]
) -> None:
    html = client.get("/evaluations").text
    form = html.split('id="compare-form"', 1)[1].split("</form>", 1)[0]
    assert 'action="/evaluations/compare"' in html and 'method="get"' in html
    assert re.search(
        rf'<option value="{runs["good"]}" selected>', form.split('id="compare-after"')[0]
    )
    assert re.search(
        rf'<option value="{runs["bad"]}" selected>', form.split('id="compare-after"')[1]
    )


def test_compare_shows_case_changes_and_metric_deltas(
    client: TestClient, runs: dict[str, str]
) -> None:
    response = client.get(f"/evaluations/compare?before={runs['good']}&after={runs['bad']}")
    assert response.status_code == 200
    html = response.text
    changes = html.split('id="case-changes"', 1)[1].split("</table>", 1)[0]
    danger = changes.split('data-case="demo/danger"', 1)[1].split("</tr>", 1)[0]
    assert "Passed before, fails now" in danger
    assert danger.index("Passed") < danger.index("Failed")
    assert "Now fails: citations_valid, first_notice, not_contains" in _text(danger)
    meets = changes.split('data-case="demo/meets"', 1)[1].split("</tr>", 1)[0]
    assert "Failed before, passes now" in meets and "Now passes: facts" in _text(meets)
    assert 'data-case="demo/lado"' not in changes  # passed in both: not a change
    deltas = _text(html.split('id="metric-deltas"', 1)[1].split("</table>", 1)[0])
    assert "Pass rate All suites 67% 67% no change" in deltas
    assert "Citation validity All suites 100% 67% −33 points (worse)" in deltas
    counts = _text(html.split('id="compare-counts"', 1)[1].split("</ul>", 1)[0])
    assert "1 case passed before and fails now" in counts
    assert "1 case failed before and passes now" in counts


def test_compare_refuses_the_same_run_twice_and_unknown_runs(
    client: TestClient, runs: dict[str, str]
) -> None:
    same = client.get(f"/evaluations/compare?before={runs['bad']}&after={runs['bad']}")
    assert same.status_code == 422
    assert "Choose two different runs to compare" in same.text
    assert 'href="#compare-after"' in same.text and 'id="case-changes"' not in same.text
    unknown = client.get("/evaluations/compare?before=../../etc&after=" + runs["bad"])
    assert unknown.status_code == 422 and "Choose the earlier run to compare" in unknown.text
