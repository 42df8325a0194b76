-- Which daemon runs the scheduler: the leader writes itself here on every pass, so ops can see
-- who leads and since when it was last heard (the lead itself is an advisory lock, which no
-- table shows).
CREATE TABLE scheduler_leader (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    daemon  TEXT NOT NULL,
    beat_at TIMESTAMPTZ NOT NULL
);
