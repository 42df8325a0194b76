-- The second factor: an authenticator app's shared secret (base32), and the last 30-second step
-- whose code was accepted, so that no code signs anyone in twice (RFC 6238 §5.2).
ALTER TABLE accounts ADD COLUMN totp_secret TEXT;
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER;

-- A session begins with the password; `stage` says what it may do until the second factor is
-- given: 'full' (everything its role allows), 'code' (type the app's code), 'enrol' (set up an
-- app first, where the role requires one).
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full' CHECK (stage IN ('full', 'code', 'enrol'));
