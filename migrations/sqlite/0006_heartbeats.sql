-- Each running daemon's heartbeat. A claim held by a daemon that has gone silent becomes
-- uncertain within a minute, instead of after its whole lease (see `dispatch::heartbeat`).
CREATE TABLE daemons (
    worker  TEXT PRIMARY KEY,
    beat_at TEXT NOT NULL
);
