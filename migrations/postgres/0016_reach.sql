-- What influencers report they posted: from a reply holding a post's link, or the form on their
-- reader page. A post counts once, whoever reports it. The followers are those the roster had
-- when it was reported, so that potential reach survives retention, which unlinks the person.
CREATE TABLE post_reports (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    influencer_id BIGINT REFERENCES influencers (id) ON DELETE SET NULL,
    brief_id      BIGINT NOT NULL REFERENCES briefs (id),
    platform      TEXT NOT NULL,
    url           TEXT NOT NULL UNIQUE,
    views         BIGINT CHECK (views IS NULL OR views >= 0),
    followers     BIGINT NOT NULL DEFAULT 0,
    via           TEXT NOT NULL CHECK (via IN ('reply', 'form')),
    reply_id      BIGINT REFERENCES replies (id),
    reported_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX post_reports_brief ON post_reports (brief_id);
CREATE INDEX post_reports_influencer ON post_reports (influencer_id);

-- Clicks on the fact sources in editions, counted per brief, language, source and day. Nothing
-- here, or anywhere, says who clicked.
CREATE TABLE source_clicks (
    brief_id BIGINT NOT NULL,
    language TEXT NOT NULL,
    source   TEXT NOT NULL,
    day      TEXT NOT NULL,
    clicks   BIGINT NOT NULL,
    PRIMARY KEY (brief_id, language, source, day)
);
