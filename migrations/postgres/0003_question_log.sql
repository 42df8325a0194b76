-- The question log and inbound intake: what processing a reply needs beyond 0001.

-- Kept from the parsed reply so the log can say where a question came from after the raw
-- message is gone (retention, erasure), and why a reply was not acted on.
ALTER TABLE replies ADD COLUMN subject TEXT;
ALTER TABLE replies ADD COLUMN note TEXT;
-- sha256 of the raw bytes: a mailbox whose UIDVALIDITY changed hands every message over
-- again under new UIDs, and this is how the second copy is recognised.
ALTER TABLE replies ADD COLUMN content_hash TEXT;
CREATE INDEX replies_content_hash ON replies (content_hash);
CREATE INDEX replies_pending ON replies (processed_at, id);

-- Search is LIKE on a lowercased copy made in Rust: SQLite's LOWER() folds only ASCII, and
-- Finnish and Swedish questions are full of ä, ö and å.
ALTER TABLE questions ADD COLUMN text_folded TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN answer_url TEXT;
ALTER TABLE questions ADD COLUMN answered_at TIMESTAMPTZ;
-- Set when an edition's "you asked" section carried the answer, so it goes out once.
ALTER TABLE questions ADD COLUMN published_edition_id BIGINT REFERENCES editions (id);
ALTER TABLE questions ADD COLUMN published_at TIMESTAMPTZ;
-- One question per reply: processing a reply twice can never log it twice.
CREATE UNIQUE INDEX questions_reply ON questions (reply_id);
CREATE INDEX questions_status ON questions (status, brief_id);

-- How far each IMAP mailbox has been stored; written in the transaction that stores the message.
CREATE TABLE imap_cursors (
    mailbox      TEXT PRIMARY KEY,
    uid_validity BIGINT NOT NULL,
    last_uid     BIGINT NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
