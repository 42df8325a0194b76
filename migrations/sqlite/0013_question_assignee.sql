-- A question handed to a colleague (a console account) to work on; empty: nobody has it.
ALTER TABLE questions ADD COLUMN assignee_id INTEGER REFERENCES accounts (id);
