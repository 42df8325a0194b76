-- Why an edition paused itself to protect the sender (edition::PauseReason as JSON); empty when a
-- person paused it or it never paused, and cleared when it resumes. guarded_from: when an approver
-- resumed it after such a pause; the guard judges only what was attempted since.
ALTER TABLE editions ADD COLUMN paused_reason TEXT;
ALTER TABLE editions ADD COLUMN guarded_from TEXT;
