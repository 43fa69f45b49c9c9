-- A store file as the SQLite-only code (before ASSISTANT_DATABASE_URL) left it, dumped with
-- sqlite3's iterdump; tests/unit/test_store_upgrade.py checks it upgrades in place.
BEGIN TRANSACTION;
CREATE TABLE access_events (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    outcome TEXT NOT NULL
);
INSERT INTO "access_events" VALUES(1,'2025-03-01T09:30:00+00:00','a@example.org','denied','/evaluations','refused');
INSERT INTO "access_events" VALUES(2,'2026-12-03T09:16:23.939056+00:00','cli','purged','retention','done');
CREATE INDEX access_events_created ON access_events (created_at);
COMMIT;
