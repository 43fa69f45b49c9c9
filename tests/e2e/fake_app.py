"""``uvicorn --factory tests.e2e.fake_app:create_fake_app``: the real app over the fake facade.

Used by the browser tests when ASSISTANT_E2E_FAKE=1, and for UI development without a
model or an index. Settings come from the environment like the real server.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from assistant.server.app import create_app
from assistant.settings import Settings
from tests.fakes import FakeAssistant


def create_fake_app() -> FastAPI:
    settings = Settings()
    delay = float(os.environ.get("ASSISTANT_FAKE_LOAD_DELAY", "0"))
    return create_app(settings, assistant=FakeAssistant(settings, load_delay_s=delay))
