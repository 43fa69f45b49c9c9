"""Fixtures shared by the unit tests of the web layer (fake facade, no model, no index)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.server.app import create_app
from assistant.settings import Settings
from tests.fakes import FakeAssistant


@pytest.fixture
def fake(tmp_path: Path) -> FakeAssistant:
    fake = FakeAssistant(Settings(data_dir=tmp_path, secret_key="unit-test"))
    fake.load()
    return fake


@pytest.fixture
def client(fake: FakeAssistant) -> Iterator[TestClient]:
    with TestClient(create_app(fake.settings, assistant=fake)) as c:
        yield c
