-- no-transaction
-- Editions and deliveries: two more final delivery statuses, and the indexes that claims,
-- flash editions and the delivery log lean on.
--   cancelled: the edition was cancelled before this delivery was sent.
--   expired:   every brief the delivery carried expired or was withdrawn before its turn.
-- SQLite cannot alter a CHECK constraint, so `deliveries` is rebuilt. The rebuild needs foreign
-- keys off (other tables point at `deliveries`), which SQLite only allows outside a transaction:
-- hence `no-transaction` above, and a transaction of our own around the rebuild.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE deliveries_rebuilt (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    edition_id      BIGINT NOT NULL REFERENCES editions (id),
    influencer_id   BIGINT REFERENCES influencers (id) ON DELETE SET NULL,
    language        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'deferred', 'failed', 'bounced', 'suppressed', 'uncertain', 'cancelled', 'expired')),
    message_id      TEXT UNIQUE,
    transport       TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_owner     TEXT,
    lease_until     TEXT,
    claimed_at      TEXT,
    sent_at         TEXT,
    last_response   TEXT,
    UNIQUE (edition_id, influencer_id)
);
INSERT INTO deliveries_rebuilt SELECT id, edition_id, influencer_id, language, status, message_id, transport,
    attempts, next_attempt_at, lease_owner, lease_until, claimed_at, sent_at, last_response FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_rebuilt RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_influencer ON deliveries (influencer_id);
CREATE INDEX deliveries_edition_sent ON deliveries (edition_id, sent_at);
CREATE INDEX edition_briefs_brief ON edition_briefs (brief_id);
CREATE INDEX editions_schedule ON editions (schedule_id);

COMMIT;
PRAGMA foreign_keys = ON;
