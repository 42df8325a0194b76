-- Sends counted per transport and time window, so rate limits hold across every daemon that
-- shares this database.
CREATE TABLE send_windows (
    transport TEXT NOT NULL,
    span      BIGINT NOT NULL,       -- the window's length in seconds: 1 for per second, 3600 for per hour
    starts_at BIGINT NOT NULL,       -- Unix seconds, a multiple of span
    used      BIGINT NOT NULL,
    PRIMARY KEY (transport, span, starts_at)
);
