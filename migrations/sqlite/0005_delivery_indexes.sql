-- Indexes that hold only the deliveries they serve, so that a send (queued, then sending, then
-- sent) changes entries only where a later query will look for them. (The Message-ID stays
-- UNIQUE in the table: SQLite would have to rebuild the table to change that.)

-- Claims: each edition's due deliveries, oldest first; finished ones are not in it.
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries (edition_id, next_attempt_at) WHERE status IN ('queued', 'deferred');

-- Upkeep: leases that ran out (status 'sending'), and whether an edition has anything left to
-- attempt.
CREATE INDEX deliveries_open ON deliveries (status, edition_id) WHERE status IN ('queued', 'deferred', 'sending');

-- Only sent deliveries have a send time.
DROP INDEX deliveries_edition_sent;
CREATE INDEX deliveries_edition_sent ON deliveries (edition_id, sent_at) WHERE sent_at IS NOT NULL;
