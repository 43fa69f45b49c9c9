"""Work run in fresh processes by test_postgres_stores.py (kept apart from the test module
so a spawned process imports only this and the stores)."""

from __future__ import annotations

from multiprocessing.synchronize import Barrier

from assistant.audit import AccessAudit
from assistant.feedback import FeedbackStore
from assistant.settings import Settings


def open_stores(url: str, barrier: Barrier) -> None:
    """Wait for the other processes, then open both stores at once (which migrates)."""
    settings = Settings(database_url=url)
    barrier.wait(timeout=60)
    FeedbackStore.for_settings(settings).schema_version()
    AccessAudit.for_settings(settings).events()
