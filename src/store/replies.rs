//! Replies as they arrived, and what processing decided about them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::audience::EmailAddress;
use crate::ids::{BriefId, DeliveryId, EditionId, InfluencerId, QuestionId, ReplyId};
use crate::inbound::ReplyClass;
use crate::inbound::imap::Cursor;
use crate::language::Language;
use crate::store::{StoreResult, SuppressionReason};

/// A reply as it arrived, stored before anything else is done with it so a crash never loses it.
#[derive(Debug, Clone)]
pub struct NewReply<'a> {
    /// `imap` or `webhook`.
    pub channel: &'static str,
    /// What makes the message unique within its channel (mailbox, UIDVALIDITY and UID for
    /// IMAP), so a message fetched twice is stored once. None for the webhook.
    pub channel_ref: Option<String>,
    pub raw: &'a [u8],
    pub from_address: Option<EmailAddress>,
    pub message_id: Option<String>,
    pub received_at: DateTime<Utc>,
}

/// A delivery a reply was matched to, with what processing needs of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRef {
    pub id: DeliveryId,
    pub edition_id: EditionId,
    /// None once the influencer was erased.
    pub influencer_id: Option<InfluencerId>,
    /// The address the delivery went to, read from the roster.
    pub email: Option<EmailAddress>,
    pub language: Option<Language>,
}

/// A question to log, linked as far as matching got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuestion {
    pub text: String,
    pub language: Option<Language>,
    pub influencer_id: Option<InfluencerId>,
    pub edition_id: Option<EditionId>,
    pub brief_id: Option<BriefId>,
}

/// Something to note on a delivery's history because of a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryNote {
    pub delivery_id: DeliveryId,
    /// `delivery_events.status`: `bounced`, `transient_bounce`, `complained`, `unsubscribed`.
    pub event: &'static str,
    pub detail: String,
    /// A permanent bounce: the delivery itself becomes `bounced`.
    pub mark_bounced: bool,
}

/// Everything processing one reply decided, applied by [`ReplyStore::record_reply_outcome`] in one
/// transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyOutcome {
    pub class: ReplyClass,
    pub delivery_id: Option<DeliveryId>,
    pub influencer_id: Option<InfluencerId>,
    pub subject: Option<String>,
    /// Why something was or was not done, for coordinators and ops.
    pub note: Option<String>,
    pub question: Option<NewQuestion>,
    /// Posts the reply links to, reported for the brief it answers.
    pub post_reports: Vec<crate::store::NewPostReport>,
    pub delivery_note: Option<DeliveryNote>,
    pub suppress: Option<(EmailAddress, SuppressionReason)>,
}

/// A stored reply that still awaits processing.
#[derive(Debug, Clone)]
pub struct PendingReply {
    pub id: ReplyId,
    pub raw: Option<Vec<u8>>,
    pub received_at: DateTime<Utc>,
}

/// A stored reply without its raw bytes.
#[derive(Debug, Clone, Serialize)]
pub struct ReplyRecord {
    pub id: ReplyId,
    pub received_at: DateTime<Utc>,
    pub channel: String,
    pub channel_ref: Option<String>,
    pub kind: Option<ReplyClass>,
    pub delivery_id: Option<DeliveryId>,
    pub influencer_id: Option<InfluencerId>,
    pub from_address: Option<String>,
    pub message_id: Option<String>,
    pub subject: Option<String>,
    pub note: Option<String>,
    pub processed_at: Option<DateTime<Utc>>,
    /// Whether the raw message is still kept (retention and erasure remove it).
    pub has_raw: bool,
    pub question_id: Option<QuestionId>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    pub raw_deleted: u64,
    pub questions_anonymised: u64,
    pub posts_anonymised: u64,
}

#[async_trait]
pub trait ReplyStore: Send + Sync {
    /// Stores a raw reply; returns its id and whether it was new (false: seen before, kept once).
    async fn store_reply(&self, reply: &NewReply<'_>) -> StoreResult<(ReplyId, bool)>;

    /// Stores a message fetched over IMAP and moves the mailbox's cursor, in one transaction,
    /// so that a stop at any point neither loses nor repeats a message. A message whose exact
    /// bytes are already stored (the mailbox was renumbered under a new UIDVALIDITY) is not
    /// stored again. Returns the reply id and whether it was new.
    async fn store_imap_reply(
        &self,
        reply: &NewReply<'_>,
        mailbox: &str,
        cursor: Cursor,
    ) -> StoreResult<(ReplyId, bool)>;

    async fn imap_cursor(&self, mailbox: &str) -> StoreResult<Option<Cursor>>;

    async fn delivery_ref(&self, delivery_id: DeliveryId) -> StoreResult<Option<DeliveryRef>>;

    /// The delivery whose Message-ID is the first of `message_ids` that is ours.
    async fn delivery_by_message_id(&self, message_ids: &[String]) -> StoreResult<Option<DeliveryRef>>;

    /// An edition's briefs in order, each with its stored JSON document.
    async fn edition_briefs(&self, edition_id: EditionId) -> StoreResult<Vec<(BriefId, String)>>;

    /// Applies what processing decided, once: false when the reply was already processed
    /// (by another daemon, or before a crash), and then nothing changes.
    async fn record_reply_outcome(
        &self,
        reply_id: ReplyId,
        outcome: &ReplyOutcome,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Replies stored but not processed, oldest first.
    async fn pending_replies(&self, limit: u64) -> StoreResult<Vec<PendingReply>>;

    async fn reply(&self, reply_id: ReplyId) -> StoreResult<Option<ReplyRecord>>;

    /// The raw message; None when the reply does not exist or its raw message was removed.
    async fn reply_raw(&self, reply_id: ReplyId) -> StoreResult<Option<Vec<u8>>>;

    /// Retention: raw messages of processed replies received before `older_than` are deleted
    /// and their questions anonymised (unlinked from the influencer, never named).
    async fn purge_replies(&self, older_than: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<PurgeReport>;
}
