-- The whole flow: roster, briefs, schedules, editions, deliveries, replies, questions.
-- Timestamps are UTC instants; list fields hold ';a;b;' so one LIKE finds a member on both backends.

CREATE TABLE influencers (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    email          TEXT NOT NULL UNIQUE,          -- lowercased: addresses compare case-insensitively
    email_hash     TEXT NOT NULL UNIQUE,          -- sha256 of email, joined against suppressions
    name           TEXT NOT NULL,
    language       TEXT NOT NULL CHECK (language IN ('fi', 'sv', 'en')),
    platforms      TEXT NOT NULL,
    followers      BIGINT NOT NULL CHECK (followers >= 0),
    topics         TEXT NOT NULL,
    region         TEXT NOT NULL,
    region_key     TEXT NOT NULL,                 -- lowercased region for segment matching
    tier           TEXT NOT NULL,
    cadence        TEXT NOT NULL CHECK (cadence IN ('daily', 'weekly', 'monthly')),
    consent_at     TEXT NOT NULL,
    consent_source TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX influencers_language ON influencers (language, cadence);

CREATE TABLE segments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    filter     TEXT NOT NULL,                     -- JSON of audience::SegmentFilter
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE suppressions (
    email_hash TEXT PRIMARY KEY,
    email      TEXT,                              -- NULL after erasure: only the hash is kept
    reason     TEXT NOT NULL CHECK (reason IN ('erased', 'unsubscribed', 'bounced', 'complained', 'manual')),
    detail     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE briefs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    slug          TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    supersedes_id BIGINT REFERENCES briefs (id),
    status        TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'queued', 'sent', 'withdrawn', 'expired')),
    priority      TEXT NOT NULL CHECK (priority IN ('routine', 'urgent')),
    embargo_at    TEXT,
    expires_at    TEXT,
    cadences      TEXT NOT NULL,
    languages     TEXT NOT NULL,
    document      TEXT NOT NULL,                  -- the brief as submitted, JSON
    author        TEXT NOT NULL,
    approved_by   TEXT,
    approved_at   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (slug, version)
);

CREATE TABLE schedules (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,
    cron          TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    cadence       TEXT NOT NULL CHECK (cadence IN ('daily', 'weekly', 'monthly')),
    segment_id    BIGINT REFERENCES segments (id),
    enabled       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

-- One row per due instant of a schedule: the key makes each run fire at most once.
CREATE TABLE schedule_runs (
    schedule_id BIGINT NOT NULL REFERENCES schedules (id),
    due_at      TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('fired', 'empty', 'missed')),
    edition_id  BIGINT,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (schedule_id, due_at)
);

CREATE TABLE editions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    schedule_id  BIGINT REFERENCES schedules (id),
    kind         TEXT NOT NULL CHECK (kind IN ('scheduled', 'flash', 'manual')),
    status       TEXT NOT NULL CHECK (status IN ('sending', 'paused', 'cancelled', 'done')),
    due_at       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    finished_at  TEXT
);

CREATE TABLE edition_briefs (
    edition_id    BIGINT NOT NULL REFERENCES editions (id),
    brief_id      BIGINT NOT NULL REFERENCES briefs (id),
    position      INTEGER NOT NULL,
    is_correction INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (edition_id, brief_id)
);

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    edition_id      BIGINT NOT NULL REFERENCES editions (id),
    influencer_id   BIGINT REFERENCES influencers (id) ON DELETE SET NULL,
    language        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'deferred', 'failed', 'bounced', 'suppressed', 'uncertain')),
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
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);

CREATE TABLE delivery_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id BIGINT NOT NULL REFERENCES deliveries (id),
    status      TEXT NOT NULL,
    at          TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delivery_events_delivery ON delivery_events (delivery_id);

CREATE TABLE replies (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at   TEXT NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('imap', 'webhook')),
    channel_ref   TEXT,                           -- IMAP mailbox/UIDVALIDITY/UID: handled once
    raw           BLOB,                          -- NULL once retention or erasure removed it
    message_id    TEXT,
    from_address  TEXT,
    delivery_id   BIGINT REFERENCES deliveries (id),
    influencer_id BIGINT REFERENCES influencers (id) ON DELETE SET NULL,
    kind          TEXT CHECK (kind IN ('question', 'auto_reply', 'bounce', 'complaint', 'unsubscribe', 'unmatched')),
    processed_at  TEXT,
    UNIQUE (channel, channel_ref)
);

CREATE TABLE questions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    reply_id      BIGINT NOT NULL REFERENCES replies (id),
    influencer_id BIGINT REFERENCES influencers (id) ON DELETE SET NULL,
    edition_id    BIGINT REFERENCES editions (id),
    brief_id      BIGINT REFERENCES briefs (id),
    language      TEXT,
    text          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('new', 'triaged', 'forwarded', 'answered', 'dismissed')),
    authority     TEXT,
    answer        TEXT,
    tags          TEXT NOT NULL DEFAULT ';',
    may_name      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,              -- sha256 of the token: the token itself is shown once
    role       TEXT NOT NULL CHECK (role IN ('coordinator', 'approver', 'ops')),
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
