"""Start-up checks for settings that are only safe on this machine.

The default ``secret_key`` is public (it is in the source), so anyone could forge CSRF
tokens and conversation fields with it. On a loopback bind (one person on their own
machine) that is tolerated with a warning; on any other bind the server refuses to start.
"""

from __future__ import annotations

import ipaddress
import logging

from assistant.settings import DEFAULT_SECRET_KEY, Settings

log = logging.getLogger(__name__)

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class UnsafeSettingsError(RuntimeError):
    """The settings would expose the service unsafely; the message says what to change."""


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost; false for 0.0.0.0, :: and anything else."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def uses_default_secret(settings: Settings) -> bool:
    return settings.secret_key.get_secret_value() == DEFAULT_SECRET_KEY


def check_secret_key(settings: Settings, host: str | None = None) -> None:
    """Refuse the default secret on a non-loopback bind; warn about it on loopback."""
    bind = host or settings.host
    if not uses_default_secret(settings):
        return
    if not is_loopback(bind):
        raise UnsafeSettingsError(
            f"ASSISTANT_SECRET_KEY is the built-in development value and the server would "
            f"listen on {bind}, not only on this machine. Set ASSISTANT_SECRET_KEY to a long "
            "random value (for example: python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))') before serving on a network."
        )
    log.warning(
        "ASSISTANT_SECRET_KEY is the built-in development value; this is only acceptable "
        "for local use on %s. Set it before any shared deployment.",
        bind,
    )


def uvicorn_options(settings: Settings) -> dict[str, object]:
    """Keyword arguments for ``uvicorn.run``: the bind from settings and no ``Server``
    header (it would name the server software to every client)."""
    return {
        "host": settings.host,
        "port": settings.port,
        "log_level": "info",
        "server_header": False,
    }
