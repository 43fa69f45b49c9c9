"""thresholds.yaml and escalation.yaml: every string shown is a verbatim, citable quote."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from assistant.contacts import ContactsRegister
from assistant.settings import Settings
from assistant.types import SourceDocument
from tests.support import quote_nodes

CORPUS = Settings().corpus_dir


def _load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _manifest() -> dict[str, SourceDocument]:
    raw = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
    docs = [SourceDocument.model_validate(entry) for entry in raw["documents"]]
    return {doc.id: doc for doc in docs}


def _collapse(text: str) -> str:
    return " ".join(text.split())


def quote_is_verbatim(quote: str, doc_text: str) -> bool:
    return _collapse(quote) in _collapse(doc_text)


MANIFEST = _manifest()
QUOTES = [
    pytest.param(q, id=f"{name}:{q['quote'][:40]}")
    for name in ("thresholds.yaml", "escalation.yaml")
    for q in quote_nodes(_load(name))
]


@pytest.fixture(scope="module")
def register() -> ContactsRegister:
    return ContactsRegister.load(CORPUS / "contacts.yaml")


@pytest.mark.parametrize("quote", QUOTES)
def test_every_quote_appears_verbatim_in_its_prepared_document(quote: dict[str, Any]) -> None:
    doc = MANIFEST.get(quote["doc_id"])
    assert doc is not None, f"unknown doc_id {quote['doc_id']!r}"
    assert doc.prepared_for_assistant
    assert quote_is_verbatim(quote["quote"], (CORPUS / doc.file).read_text(encoding="utf-8"))


def test_verbatim_check_can_fail() -> None:
    text = "At Level 1, universal services meet all of a child's\nhealth needs."
    assert quote_is_verbatim("universal services meet all of a child's health needs.", text)
    assert not quote_is_verbatim("This child is at Level 3.", text)


def test_thresholds_describe_four_levels_in_order() -> None:
    levels = _load("thresholds.yaml")["levels"]
    assert [level["level"] for level in levels] == [1, 2, 3, 4]
    for level in levels:
        assert level["name"]
        assert level["summary"]["quote"] and level["who_responds"]["quote"]
        assert level["descriptors"], f"level {level['level']} has no descriptors"


def test_decision_route_starts_with_999_and_points_at_registered_contacts(
    register: ContactsRegister,
) -> None:
    route = _load("thresholds.yaml")["decision_route"]
    assert route[0]["contact"] == "emergency-999"
    for step in route:
        if step["contact"] is not None:
            assert register.get(step["contact"]) is not None, step["contact"]
    assert "lambeth-irh" in {step["contact"] for step in route}


def test_escalation_puts_immediate_danger_first(register: ContactsRegister) -> None:
    escalation = _load("escalation.yaml")
    assert next(iter(escalation)) == "immediate_danger"
    assert "999" in escalation["immediate_danger"]["quote"]
    assert register.get(escalation["immediate_danger"]["contact"]) is not None


def test_escalation_steps_are_complete_and_flowchart_is_a_known_source() -> None:
    escalation = _load("escalation.yaml")
    assert len(escalation["steps"]) >= 3
    for step in escalation["steps"]:
        assert set(step) == {"step", "who", "timescale", "record"}
    assert "one working week" in escalation["steps"][0]["timescale"]["quote"]
    flowchart_url = escalation["official_flowchart"]["url"]
    assert flowchart_url in {doc.source_url for doc in MANIFEST.values()}
