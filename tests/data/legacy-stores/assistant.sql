-- A store file as the SQLite-only code (before ASSISTANT_DATABASE_URL) left it, dumped with
-- sqlite3's iterdump; tests/unit/test_store_upgrade.py checks it upgrades in place.
BEGIN TRANSACTION;
CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        answer_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        partnership TEXT NOT NULL,
        cited_doc_ids TEXT NOT NULL DEFAULT '[]',
        cited_passage_ids TEXT NOT NULL DEFAULT '[]',
        notices TEXT NOT NULL DEFAULT '[]',
        redaction_counts TEXT NOT NULL DEFAULT '{}',
        refused INTEGER NOT NULL CHECK (refused IN (0, 1)),
        composer TEXT NOT NULL,
        settings_fingerprint TEXT NOT NULL,
        latency_ms REAL NOT NULL
    );
INSERT INTO "audit_events" VALUES(1,'00000000000000000000000000000001','2025-03-01T09:30:00+00:00','lambeth','["lscp-arrangements"]','["lscp-arrangements-0123456789"]','["decision"]','{"name": 1}',0,'extractive','abc123def456',41.5);
INSERT INTO "audit_events" VALUES(2,'00000000000000000000000000000002','2025-03-02T00:00:00+00:00','lambeth','[]','[]','[]','{}',1,'none','',0.0);
CREATE TABLE feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        answer_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('rating', 'problem')),
        helpful INTEGER CHECK (helpful IN (0, 1)),
        comment TEXT,
        comment_redactions TEXT NOT NULL DEFAULT '{}',
        passage_ids TEXT NOT NULL DEFAULT '[]',
        doc_ids TEXT NOT NULL DEFAULT '[]'
    );
INSERT INTO "feedback" VALUES(1,'00000000000000000000000000000001','2026-12-03T09:16:23.832350+00:00','problem',0,'Wrong for [name]','{"name": 1}','["lscp-arrangements-0123456789"]','["lscp-arrangements"]');
INSERT INTO "feedback" VALUES(2,'00000000000000000000000000000002','2026-12-03T09:16:23.855959+00:00','rating',1,NULL,'{}','[]','[]');
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO "schema_version" VALUES(1);
INSERT INTO "schema_version" VALUES(2);
CREATE INDEX feedback_answer ON feedback (answer_id);
CREATE INDEX audit_answer ON audit_events (answer_id);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('audit_events',2);
INSERT INTO "sqlite_sequence" VALUES('feedback',2);
COMMIT;
