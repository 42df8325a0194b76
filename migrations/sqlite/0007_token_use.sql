-- When each API token was last used, so that ops can tell a live token from a forgotten one
-- before revoking it.
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
