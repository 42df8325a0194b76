-- Editions and deliveries: two more final delivery statuses, and the indexes that claims,
-- flash editions and the delivery log lean on.
--   cancelled: the edition was cancelled before this delivery was sent.
--   expired:   every brief the delivery carried expired or was withdrawn before its turn.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
    CHECK (status IN ('queued', 'sending', 'sent', 'deferred', 'failed', 'bounced', 'suppressed', 'uncertain', 'cancelled', 'expired'));
CREATE INDEX deliveries_influencer ON deliveries (influencer_id);
CREATE INDEX deliveries_edition_sent ON deliveries (edition_id, sent_at);
CREATE INDEX edition_briefs_brief ON edition_briefs (brief_id);
CREATE INDEX editions_schedule ON editions (schedule_id);
