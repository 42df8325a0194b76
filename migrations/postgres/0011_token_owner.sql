-- An API token belongs to a person (it acts as them, with their role as it is now, and stops
-- when their account is disabled) or, with no owner, is a service token known by its label.
ALTER TABLE api_tokens ADD COLUMN account_id BIGINT REFERENCES accounts (id);
