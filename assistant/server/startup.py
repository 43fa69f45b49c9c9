"""Start-up checks for settings that are only safe on this machine.

The default ``secret_key`` is public (it is in the source), so anyone could forge CSRF
tokens and conversation fields with it. On a loopback bind (one person on their own
machine) that is tolerated with a warning; on any other bind the server refuses to start.
"""

from __future__ import annotations

import ipaddress
import logging

from assistant.database import DatabaseURLError, describe, unencrypted_remote
from assistant.server.logs import log_config
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


def check_auth_mode(settings: Settings, host: str | None = None) -> None:
    """``ASSISTANT_AUTH__MODE=none`` lets anyone who can connect in: loopback only."""
    bind = host or settings.host
    if settings.auth.mode == "none" and not is_loopback(bind):
        raise UnsafeSettingsError(
            f"ASSISTANT_AUTH__MODE is 'none' (no sign-in) and the server would listen on "
            f"{bind}. Set ASSISTANT_AUTH__MODE=proxy behind a signing-in reverse proxy (or "
            "oidc), or bind to 127.0.0.1. See docs/security.md."
        )


def check_oidc(settings: Settings) -> None:
    """``oidc`` needs its provider and client, and a secret of its own (it signs the
    session cookie that says who is signed in, so the public default would let anyone
    forge a sign-in, even on loopback)."""
    auth = settings.auth
    if auth.mode != "oidc":
        return
    missing = [
        f"ASSISTANT_AUTH__{name.upper()}"
        for name in ("oidc_issuer", "oidc_client_id", "oidc_client_secret")
        if not getattr(auth, name)
        or (name == "oidc_client_secret" and not auth.oidc_client_secret.get_secret_value())  # type: ignore[union-attr]
    ]
    if missing:
        raise UnsafeSettingsError(
            f"ASSISTANT_AUTH__MODE is 'oidc' but {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not set. Register the assistant as a "
            "client with your OpenID provider (redirect URI <base URL>/auth/callback) and "
            "set the issuer, client id and client secret. See docs/security.md."
        )
    if uses_default_secret(settings):
        raise UnsafeSettingsError(
            "ASSISTANT_AUTH__MODE is 'oidc' and ASSISTANT_SECRET_KEY is the built-in "
            "development value, which would let anyone forge a sign-in. Set "
            "ASSISTANT_SECRET_KEY to a long random value first."
        )


def check_database(settings: Settings) -> None:
    """Refuse a database URL that cannot be used; say which backend keeps feedback and
    audit events (never the password or query string), and warn when a PostgreSQL server
    on another machine would be reached without TLS."""
    try:
        where = describe(settings)
    except DatabaseURLError as error:
        raise UnsafeSettingsError(str(error)) from None
    log.info("Feedback and audit events: %s", where)
    if unencrypted_remote(settings):
        log.warning(
            "ASSISTANT_DATABASE_URL reaches PostgreSQL on another machine without requiring "
            "TLS; add ?sslmode=verify-full (or require) so feedback and audit events are "
            "encrypted on the network."
        )


def check_startup(settings: Settings, host: str | None = None) -> None:
    """Every start-up refusal and warning, before anything is loaded."""
    check_secret_key(settings, host)
    check_auth_mode(settings, host)
    check_oidc(settings)
    check_database(settings)


def uvicorn_options(settings: Settings) -> dict[str, object]:
    """Keyword arguments for ``uvicorn.run``: the bind from settings; no ``Server`` header
    (it would name the server software to every client); logs without query strings or
    exception messages; SIGTERM closes open streams after ``shutdown_timeout_s``."""
    return {
        "host": settings.host,
        "port": settings.port,
        "log_config": log_config(settings.log_format),
        "server_header": False,
        "timeout_graceful_shutdown": settings.shutdown_timeout_s,
    }
