-- Console sessions, kept on the server: the cookie holds a random id, the database only its
-- hash, so a copy of the database signs nobody in. Ended sessions stay until retention removes
-- them, for the audit of who was signed in when.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    csrf_token   TEXT NOT NULL,
    address      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ended_at     TEXT
);
CREATE INDEX sessions_by_account ON sessions (account_id) WHERE ended_at IS NULL;

-- Failed sign-ins, for throttling per account and per client address. Keyed by the address
-- typed, whether or not an account has it, so that throttling says nothing about who exists.
CREATE TABLE sign_in_failures (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    email   TEXT NOT NULL,
    address TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_by_address ON sign_in_failures (address, at);
