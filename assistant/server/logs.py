"""Log configuration for the server: nothing a user typed reaches a log line (PD, AU-01).

- **Access log**: the request path only. Query strings are dropped (a search query is in
  the query string: ``/api/search?q=Jayden+Okafor…`` is logged as ``/api/search``).
- **Exceptions**: the exception's type and where it was raised (file, line, function),
  never its message. Messages often carry the value that failed (``invalid id 'jo@…'``),
  and that value may be the personal data the user was asked not to type.
- **Format**: one JSON object a line (``ASSISTANT_LOG_FORMAT=json``, the default, for log
  pipelines) or plain text (``text``), both through the standard ``logging.config`` dict
  that ``uvicorn`` takes as ``log_config``.

The application's own log calls never include question, history, answer or comment text;
``tests/integration/test_privacy_real.py`` greps the captured output to prove it.
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal

LogFormat = Literal["json", "text"]

_ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def exception_summary(exc_info: _ExcInfo | tuple[None, None, None]) -> str:
    """``TypeName at file:line in function ← …`` (innermost first), without the message."""
    kind, _, tb = exc_info
    if kind is None:
        return ""
    frames = traceback.extract_tb(tb)[::-1][:8]
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} in {f.name}" for f in frames)
    return f"{kind.__module__}.{kind.__qualname__}" + (f" at {where}" if where else "")


class PathOnlyAccess(logging.Filter):
    """Rewrites uvicorn's access-log arguments so the request target has no query string.

    uvicorn logs ``'%s - "%s %s HTTP/%s" %d'`` with (client, method, path+query, version,
    status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


class SafeTextFormatter(logging.Formatter):
    """Plain text; exceptions as type and location only."""

    def formatException(self, ei: Any) -> str:
        return exception_summary(ei)

    def formatStack(self, stack_info: str) -> str:
        return ""


class JsonFormatter(SafeTextFormatter):
    """One JSON object a line: time, level, logger, message (and exception summary)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def log_config(log_format: LogFormat = "json", level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` dict for uvicorn and the ``assistant`` loggers."""
    formatter = "json" if log_format == "json" else "text"
    handler = {
        "class": "logging.StreamHandler",
        "formatter": formatter,
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"path_only": {"()": PathOnlyAccess}},
        "formatters": {
            "json": {"()": JsonFormatter},
            "text": {
                "()": SafeTextFormatter,
                "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
            },
        },
        "handlers": {
            "default": handler,
            "access": {**handler, "filters": ["path_only"]},
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["access"], "level": level, "propagate": False},
            "assistant": {"handlers": ["default"], "level": level, "propagate": False},
        },
    }
