"""Server logs hold no query strings and no exception messages (issue #12, item 3)."""

from __future__ import annotations

import io
import json
import logging
import logging.config
from collections.abc import Iterator

import pytest

from assistant.server.logs import log_config
from assistant.server.startup import uvicorn_options
from assistant.settings import Settings

CONFIGURED = ("uvicorn", "uvicorn.error", "uvicorn.access", "assistant")


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """dictConfig changes process-wide loggers; put them back for the other tests."""
    saved = {
        name: (logging.getLogger(name).handlers[:], logging.getLogger(name).propagate)
        for name in CONFIGURED
    }
    yield
    for name, (handlers, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.propagate = propagate
        logger.setLevel(logging.NOTSET)


@pytest.fixture(params=["json", "text"])
def captured(request: pytest.FixtureRequest) -> io.StringIO:
    config = log_config(request.param)
    stream = io.StringIO()
    for handler in config["handlers"].values():
        handler.pop("stream")
    logging.config.dictConfig(config)
    for name in ("uvicorn", "uvicorn.access", "assistant"):
        for handler in logging.getLogger(name).handlers:
            assert isinstance(handler, logging.StreamHandler)
            handler.setStream(stream)
    return stream


def test_the_access_log_keeps_the_path_and_drops_the_query(captured: io.StringIO) -> None:
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d',
        "127.0.0.1:5000",
        "GET",
        "/api/search?q=Jayden+Okafor+14%2F03%2F2015",
        "1.1",
        200,
    )
    line = captured.getvalue()
    assert "GET /api/search HTTP/1.1" in line and "200" in line
    assert "Jayden" not in line and "q=" not in line


def test_an_exception_is_logged_by_type_and_place_never_by_message(
    captured: io.StringIO,
) -> None:
    try:
        raise ValueError("not an id: jo.bloggs@example.com")
    except ValueError:
        logging.getLogger("assistant.server.app").exception("unhandled error on %s", "/api/x")
    text = captured.getvalue()
    assert "ValueError" in text and "test_server_logs.py" in text
    assert "jo.bloggs" not in text


def test_json_lines_are_json() -> None:
    stream = io.StringIO()
    config = log_config("json")
    config["handlers"]["default"]["stream"] = stream
    logging.config.dictConfig(config)
    logging.getLogger("assistant").warning("index switched to %s", "gen-2")
    entry = json.loads(stream.getvalue().splitlines()[-1])
    assert entry["level"] == "WARNING" and entry["message"] == "index switched to gen-2"


def test_the_server_runs_with_this_config_and_a_shutdown_timeout() -> None:
    options = uvicorn_options(Settings(log_format="text", shutdown_timeout_s=7))
    assert options["log_config"] == log_config("text")
    assert options["timeout_graceful_shutdown"] == 7
