"""Tables of the feedback store and the numbered migrations that create them.

The same columns on SQLite and PostgreSQL: timestamps as ISO 8601 text in UTC, lists and
counts as JSON text, flags as 0/1. ``feedback`` and ``audit_events`` hold no question,
answer or passage text (AU-01); comments are redacted before they are written.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Connection,
    Float,
    Integer,
    MetaData,
    Table,
    Text,
)

from assistant.database import Migration, sql

VERSION_TABLE = "schema_version"
"""The table the current SQLite files already record their migrations in."""

metadata = MetaData()
"""The tables as they are now (after every migration), for queries."""

_ID = BigInteger().with_variant(Integer(), "sqlite")
"""64-bit on PostgreSQL; SQLite's ``INTEGER PRIMARY KEY`` is already its 64-bit rowid."""

feedback = Table(
    "feedback",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("answer_id", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("helpful", Integer),
    Column("comment", Text),
    Column("comment_redactions", Text, nullable=False),
    Column("passage_ids", Text, nullable=False),
    Column("doc_ids", Text, nullable=False),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("answer_id", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("partnership", Text, nullable=False),
    Column("cited_doc_ids", Text, nullable=False),
    Column("cited_passage_ids", Text, nullable=False),
    Column("notices", Text, nullable=False),
    Column("redaction_counts", Text, nullable=False),
    Column("refused", Integer, nullable=False),
    Column("composer", Text, nullable=False),
    Column("settings_fingerprint", Text, nullable=False),
    Column("latency_ms", Float, nullable=False),
)


def _create_feedback_and_audit(conn: Connection) -> None:
    """Migration 1, frozen: later changes are new migrations, never edits here."""
    tables = MetaData()
    Table(
        "feedback",
        tables,
        Column("id", _ID, primary_key=True, autoincrement=True),
        Column("answer_id", Text, nullable=False),
        Column("created_at", Text, nullable=False),
        Column("kind", Text, CheckConstraint("kind IN ('rating', 'problem')"), nullable=False),
        Column("helpful", Integer, CheckConstraint("helpful IN (0, 1)")),
        Column("comment", Text),
        Column("comment_redactions", Text, nullable=False, server_default="{}"),
        Column("passage_ids", Text, nullable=False, server_default="[]"),
        Column("doc_ids", Text, nullable=False, server_default="[]"),
        sqlite_autoincrement=True,
    )
    Table(
        "audit_events",
        tables,
        Column("id", _ID, primary_key=True, autoincrement=True),
        Column("answer_id", Text, nullable=False),
        Column("created_at", Text, nullable=False),
        Column("partnership", Text, nullable=False),
        Column("cited_doc_ids", Text, nullable=False, server_default="[]"),
        Column("cited_passage_ids", Text, nullable=False, server_default="[]"),
        Column("notices", Text, nullable=False, server_default="[]"),
        Column("redaction_counts", Text, nullable=False, server_default="{}"),
        Column("refused", Integer, CheckConstraint("refused IN (0, 1)"), nullable=False),
        Column("composer", Text, nullable=False),
        Column("settings_fingerprint", Text, nullable=False),
        Column("latency_ms", Float, nullable=False),
        sqlite_autoincrement=True,
    )
    tables.create_all(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration("feedback and audit events", _create_feedback_and_audit),
    Migration(
        "look-ups by answer id (feedback review, incident reconstruction)",
        sql(
            "CREATE INDEX feedback_answer ON feedback (answer_id)",
            "CREATE INDEX audit_answer ON audit_events (answer_id)",
        ),
    ),
    Migration(
        "retention purges by age without reading every row",
        sql(
            "CREATE INDEX feedback_created ON feedback (created_at)",
            "CREATE INDEX audit_created ON audit_events (created_at)",
        ),
    ),
)
"""Numbered schema migrations; append, never edit one that has shipped."""
