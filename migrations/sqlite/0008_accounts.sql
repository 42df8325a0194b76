-- People who sign in to the console: coordinators, approvers and ops, by name. The password is
-- kept only as an Argon2id hash (PHC string, with its own salt and parameters). An account is
-- disabled, never deleted, so that the audit log's names keep meaning someone.
CREATE TABLE accounts (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    email               TEXT NOT NULL UNIQUE,     -- normalised: lower case, trimmed
    name                TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('coordinator', 'approver', 'ops')),
    ui_language         TEXT NOT NULL CHECK (ui_language IN ('fi', 'sv', 'en')),
    password_hash       TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    disabled_at         TEXT
);
