//! Inbound replies and the question log, as storage sees them: the trait every backend
//! implements (`sql/questions.rs`) and the plain data that crosses it.
//!
//! The rules (what a reply means, which transitions are allowed) live in `inbound::intake` and
//! `questions`; these methods carry out what those decided, each write in one transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{NewReply, StoreResult, SuppressionReason};
use crate::access::Actor;
use crate::audience::EmailAddress;
use crate::inbound::imap::Cursor;
use crate::language::Language;
use crate::questions::{QuestionStatus, Tag, Transition};

/// What `replies.kind` says a stored reply was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyClass {
    Question,
    AutoReply,
    Bounce,
    Complaint,
    Unsubscribe,
    /// A question that matched no delivery and no influencer: logged unlinked, for a
    /// coordinator to assign. Also an unreadable message, with a note saying so.
    Unmatched,
}

impl ReplyClass {
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyClass::Question => "question",
            ReplyClass::AutoReply => "auto_reply",
            ReplyClass::Bounce => "bounce",
            ReplyClass::Complaint => "complaint",
            ReplyClass::Unsubscribe => "unsubscribe",
            ReplyClass::Unmatched => "unmatched",
        }
    }

    pub fn parse(s: &str) -> Option<ReplyClass> {
        [
            ReplyClass::Question,
            ReplyClass::AutoReply,
            ReplyClass::Bounce,
            ReplyClass::Complaint,
            ReplyClass::Unsubscribe,
            ReplyClass::Unmatched,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// A delivery a reply was matched to, with what processing needs of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRef {
    pub id: i64,
    pub edition_id: i64,
    /// None once the influencer was erased.
    pub influencer_id: Option<i64>,
    /// The address the delivery went to, read from the roster.
    pub email: Option<EmailAddress>,
    pub language: Option<Language>,
}

/// A question to log, linked as far as matching got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuestion {
    pub text: String,
    pub language: Option<Language>,
    pub influencer_id: Option<i64>,
    pub edition_id: Option<i64>,
    pub brief_id: Option<i64>,
}

/// Something to note on a delivery's history because of a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryNote {
    pub delivery_id: i64,
    /// `delivery_events.status`: `bounced`, `transient_bounce`, `complained`, `unsubscribed`.
    pub event: &'static str,
    pub detail: String,
    /// A permanent bounce: the delivery itself becomes `bounced`.
    pub mark_bounced: bool,
}

/// Everything processing one reply decided, applied by [`InboundStore::record_outcome`] in one
/// transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyOutcome {
    pub class: ReplyClass,
    pub delivery_id: Option<i64>,
    pub influencer_id: Option<i64>,
    pub subject: Option<String>,
    /// Why something was or was not done, for coordinators and ops.
    pub note: Option<String>,
    pub question: Option<NewQuestion>,
    pub delivery_note: Option<DeliveryNote>,
    pub suppress: Option<(EmailAddress, SuppressionReason)>,
}

/// A stored reply that still awaits processing.
#[derive(Debug, Clone)]
pub struct PendingReply {
    pub id: i64,
    pub raw: Option<Vec<u8>>,
    pub received_at: DateTime<Utc>,
}

/// A stored reply without its raw bytes.
#[derive(Debug, Clone, Serialize)]
pub struct ReplyRecord {
    pub id: i64,
    pub received_at: DateTime<Utc>,
    pub channel: String,
    pub channel_ref: Option<String>,
    pub kind: Option<ReplyClass>,
    pub delivery_id: Option<i64>,
    pub influencer_id: Option<i64>,
    pub from_address: Option<String>,
    pub message_id: Option<String>,
    pub subject: Option<String>,
    pub note: Option<String>,
    pub processed_at: Option<DateTime<Utc>>,
    /// Whether the raw message is still kept (retention and erasure remove it).
    pub has_raw: bool,
    pub question_id: Option<i64>,
}

/// One question in the log.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionRecord {
    pub id: i64,
    pub reply_id: i64,
    pub received_at: DateTime<Utc>,
    pub influencer_id: Option<i64>,
    pub influencer_email: Option<String>,
    pub influencer_name: Option<String>,
    pub edition_id: Option<i64>,
    pub brief_id: Option<i64>,
    pub brief_slug: Option<String>,
    pub language: Option<Language>,
    pub text: String,
    pub status: QuestionStatus,
    pub authority: Option<String>,
    pub answer: Option<String>,
    pub answer_url: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub tags: Vec<Tag>,
    /// The asker agreed to be named when the answer is published.
    pub may_name: bool,
    pub published_edition_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Which questions a listing shows; every filter narrows.
#[derive(Debug, Clone, Default)]
pub struct QuestionQuery {
    pub status: Option<QuestionStatus>,
    pub brief_id: Option<i64>,
    pub edition_id: Option<i64>,
    pub language: Option<Language>,
    pub tag: Option<Tag>,
    /// Case-insensitive substring of the cleaned text.
    pub search: Option<String>,
    /// Only questions linked to no influencer and no edition: those to assign.
    pub unmatched: bool,
    pub limit: Option<u64>,
    pub offset: u64,
}

/// The questions about one brief, so the most asked stand out.
#[derive(Debug, Clone, Serialize)]
pub struct BriefGroup {
    /// None: questions not linked to any brief.
    pub brief_id: Option<i64>,
    pub brief_slug: Option<String>,
    pub total: u64,
    /// new, triaged or forwarded: still waiting for an answer.
    pub open: u64,
    pub answered: u64,
    pub dismissed: u64,
}

/// An answered question for an edition's "you asked" section: plain data for the renderer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YouAsked {
    pub question_id: i64,
    pub language: Option<Language>,
    pub brief_id: Option<i64>,
    pub question: String,
    pub answer: Option<String>,
    pub answer_url: Option<String>,
    /// The asker's name, only when they agreed to be named.
    pub asked_by: Option<String>,
}

/// Where a coordinator says an unmatched question belongs.
#[derive(Debug, Clone, Default)]
pub struct Assignment {
    pub influencer: Option<EmailAddress>,
    pub edition_id: Option<i64>,
    pub brief_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    pub raw_deleted: u64,
    pub questions_anonymised: u64,
}

#[async_trait]
pub trait InboundStore: Send + Sync {
    /// Stores a message fetched over IMAP and moves the mailbox's cursor, in one transaction,
    /// so that a stop at any point neither loses nor repeats a message. A message whose exact
    /// bytes are already stored (the mailbox was renumbered under a new UIDVALIDITY) is not
    /// stored again. Returns the reply id and whether it was new.
    async fn store_imap_reply(&self, reply: &NewReply<'_>, mailbox: &str, cursor: Cursor) -> StoreResult<(i64, bool)>;
    async fn imap_cursor(&self, mailbox: &str) -> StoreResult<Option<Cursor>>;

    async fn delivery_ref(&self, delivery_id: i64) -> StoreResult<Option<DeliveryRef>>;
    /// The delivery whose Message-ID is the first of `message_ids` that is ours.
    async fn delivery_by_message_id(&self, message_ids: &[String]) -> StoreResult<Option<DeliveryRef>>;
    /// An edition's briefs in order, each with its stored JSON document.
    async fn edition_briefs(&self, edition_id: i64) -> StoreResult<Vec<(i64, String)>>;

    /// Applies what processing decided, once: false when the reply was already processed
    /// (by another daemon, or before a crash), and then nothing changes.
    async fn record_reply_outcome(
        &self,
        reply_id: i64,
        outcome: &ReplyOutcome,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Replies stored but not processed, oldest first.
    async fn pending_replies(&self, limit: u64) -> StoreResult<Vec<PendingReply>>;
    async fn reply(&self, reply_id: i64) -> StoreResult<Option<ReplyRecord>>;
    /// The raw message; None when the reply does not exist or its raw message was removed.
    async fn reply_raw(&self, reply_id: i64) -> StoreResult<Option<Vec<u8>>>;

    /// Newest first.
    async fn questions(&self, query: &QuestionQuery) -> StoreResult<Vec<QuestionRecord>>;
    async fn question(&self, id: i64) -> StoreResult<Option<QuestionRecord>>;
    /// Counts per brief, most asked first.
    async fn question_groups(&self, query: &QuestionQuery) -> StoreResult<Vec<BriefGroup>>;
    /// Moves a question along its workflow with an audit entry; `Conflict` on field `status`
    /// when the transition is not allowed from where the question is.
    async fn transition_question(
        &self,
        id: i64,
        transition: &Transition,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord>;
    async fn tag_question(
        &self,
        id: i64,
        add: &[Tag],
        remove: &[Tag],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord>;
    async fn set_may_name(
        &self,
        id: i64,
        may_name: bool,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord>;
    /// Links a question (typically an unmatched one) to an influencer, edition and brief.
    async fn assign_question(
        &self,
        id: i64,
        assignment: &Assignment,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord>;

    /// Answered questions no edition has carried yet, oldest answer first, optionally in one
    /// language; askers named only when they agreed.
    /// The answers an edition shows readers of `language`: those given before the edition was
    /// made and not yet shown by another edition are claimed for it, and every batch of the
    /// edition then gets the same set, so all its readers see the same answers.
    async fn answers_for_edition(
        &self,
        edition_id: i64,
        language: Language,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<YouAsked>>;
    async fn answered_unpublished(&self, language: Option<Language>) -> StoreResult<Vec<YouAsked>>;
    /// Records that `edition_id` carried these answers, so the next edition does not repeat
    /// them. Returns how many were newly marked.
    async fn mark_answers_published(
        &self,
        question_ids: &[i64],
        edition_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<u64>;

    /// Retention: raw messages of processed replies received before `older_than` are deleted
    /// and their questions anonymised (unlinked from the influencer, never named).
    async fn purge_replies(&self, older_than: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<PurgeReport>;
}
