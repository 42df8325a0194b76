-- Indexes that hold only the deliveries they serve. Every update of a delivery writes a new row
-- version, and a version gets an entry in each index whose condition it meets: a send (queued,
-- then sending, then sent) now adds entries only where a later query will look for them.

-- Claims: each edition's due deliveries, oldest first. Finished ones are not in it, so a claim
-- deep into an edition of a million does not pass over the ones already sent, nor over those of
-- a paused edition.
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries (edition_id, next_attempt_at) WHERE status IN ('queued', 'deferred');

-- Upkeep: leases that ran out (status 'sending'), and whether an edition has anything left to
-- attempt; both used to read every delivery of the table or the edition.
CREATE INDEX deliveries_open ON deliveries (status, edition_id) WHERE status IN ('queued', 'deferred', 'sending');

-- Only sent deliveries have a send time and a Message-ID.
DROP INDEX deliveries_edition_sent;
CREATE INDEX deliveries_edition_sent ON deliveries (edition_id, sent_at) WHERE sent_at IS NOT NULL;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_message_id_key;
CREATE UNIQUE INDEX deliveries_message_id ON deliveries (message_id) WHERE message_id IS NOT NULL;
