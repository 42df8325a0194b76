-- The whole flow: roster, briefs, schedules, editions, deliveries, replies, questions.
-- Timestamps are UTC instants; list fields hold ';a;b;' so one LIKE finds a member on both backends.

CREATE TABLE influencers (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    consent_at     TIMESTAMPTZ NOT NULL,
    consent_source TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX influencers_language ON influencers (language, cadence);

CREATE TABLE segments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    filter     TEXT NOT NULL,                     -- JSON of audience::SegmentFilter
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE suppressions (
    email_hash TEXT PRIMARY KEY,
    email      TEXT,                              -- NULL after erasure: only the hash is kept
    reason     TEXT NOT NULL CHECK (reason IN ('erased', 'unsubscribed', 'bounced', 'complained', 'manual')),
    detail     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE briefs (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug          TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    supersedes_id BIGINT REFERENCES briefs (id),
    status        TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'queued', 'sent', 'withdrawn', 'expired')),
    priority      TEXT NOT NULL CHECK (priority IN ('routine', 'urgent')),
    embargo_at    TIMESTAMPTZ,
    expires_at    TIMESTAMPTZ,
    cadences      TEXT NOT NULL,
    languages     TEXT NOT NULL,
    document      TEXT NOT NULL,                  -- the brief as submitted, JSON
    author        TEXT NOT NULL,
    approved_by   TEXT,
    approved_at   TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (slug, version)
);

CREATE TABLE schedules (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    cron          TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    cadence       TEXT NOT NULL CHECK (cadence IN ('daily', 'weekly', 'monthly')),
    segment_id    BIGINT REFERENCES segments (id),
    enabled       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL
);

-- One row per due instant of a schedule: the key makes each run fire at most once.
CREATE TABLE schedule_runs (
    schedule_id BIGINT NOT NULL REFERENCES schedules (id),
    due_at      TIMESTAMPTZ NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('fired', 'empty', 'missed')),
    edition_id  BIGINT,
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (schedule_id, due_at)
);

CREATE TABLE editions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    schedule_id  BIGINT REFERENCES schedules (id),
    kind         TEXT NOT NULL CHECK (kind IN ('scheduled', 'flash', 'manual')),
    status       TEXT NOT NULL CHECK (status IN ('sending', 'paused', 'cancelled', 'done')),
    due_at       TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ
);

CREATE TABLE edition_briefs (
    edition_id    BIGINT NOT NULL REFERENCES editions (id),
    brief_id      BIGINT NOT NULL REFERENCES briefs (id),
    position      INTEGER NOT NULL,
    is_correction BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (edition_id, brief_id)
);

CREATE TABLE deliveries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    edition_id      BIGINT NOT NULL REFERENCES editions (id),
    influencer_id   BIGINT REFERENCES influencers (id) ON DELETE SET NULL,
    language        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'deferred', 'failed', 'bounced', 'suppressed', 'uncertain')),
    message_id      TEXT UNIQUE,
    transport       TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_owner     TEXT,
    lease_until     TIMESTAMPTZ,
    claimed_at      TIMESTAMPTZ,
    sent_at         TIMESTAMPTZ,
    last_response   TEXT,
    UNIQUE (edition_id, influencer_id)
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);

CREATE TABLE delivery_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES deliveries (id),
    status      TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delivery_events_delivery ON delivery_events (delivery_id);

CREATE TABLE replies (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at   TIMESTAMPTZ NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('imap', 'webhook')),
    channel_ref   TEXT,                           -- IMAP mailbox/UIDVALIDITY/UID: handled once
    raw           BYTEA,                          -- NULL once retention or erasure removed it
    message_id    TEXT,
    from_address  TEXT,
    delivery_id   BIGINT REFERENCES deliveries (id),
    influencer_id BIGINT REFERENCES influencers (id) ON DELETE SET NULL,
    kind          TEXT CHECK (kind IN ('question', 'auto_reply', 'bounce', 'complaint', 'unsubscribe', 'unmatched')),
    processed_at  TIMESTAMPTZ,
    UNIQUE (channel, channel_ref)
);

CREATE TABLE questions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    may_name      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_tokens (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,              -- sha256 of the token: the token itself is shown once
    role       TEXT NOT NULL CHECK (role IN ('coordinator', 'approver', 'ops')),
    label      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);

CREATE TABLE audit_log (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      TIMESTAMPTZ NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
