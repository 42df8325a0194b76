-- Government feeds polled for alerts and press releases, with what the last polls found so a
-- coordinator can see a feed that stopped answering, and the validators for conditional requests.
CREATE TABLE feeds (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT NOT NULL UNIQUE,
    url             TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('cap', 'rss')),
    etag            TEXT,
    last_modified   TEXT,
    last_poll_at    TEXT,
    last_success_at TEXT,
    last_error      TEXT,
    -- Polls failed in a row: the wait before the next one doubles with each.
    failures        INTEGER NOT NULL DEFAULT 0,
    items_taken     BIGINT NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
);

-- Every item ever taken from a feed, by a key that outlives the feed itself (a CAP identifier, or
-- the feed's address and the item's guid): written in the transaction that stores the brief, so
-- an item becomes a brief exactly once however many daemons poll and however often they restart.
CREATE TABLE feed_items (
    key      TEXT PRIMARY KEY,
    feed_id  BIGINT,
    brief_id BIGINT,
    taken_at TEXT NOT NULL
);
