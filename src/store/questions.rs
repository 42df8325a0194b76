//! The question log as stored: listings, groups, moves, and "you asked".

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::access::Actor;
use crate::audience::EmailAddress;
use crate::ids::{AccountId, BriefId, EditionId, QuestionId};
use crate::language::Language;
use crate::questions::{QuestionRecord, QuestionStatus, Tag, Transition};
use crate::store::StoreResult;

/// Which questions a listing shows; every filter narrows.
#[derive(Debug, Clone, Default)]
pub struct QuestionQuery {
    pub status: Option<QuestionStatus>,
    pub brief_id: Option<BriefId>,
    pub edition_id: Option<EditionId>,
    pub language: Option<Language>,
    pub tag: Option<Tag>,
    /// Case-insensitive substring of the cleaned text.
    pub search: Option<String>,
    /// Only questions linked to no influencer and no edition: those to assign.
    pub unmatched: bool,
    /// Only those a colleague has in hand.
    pub assignee: Option<AccountId>,
    pub limit: Option<u64>,
    pub offset: u64,
}

/// The questions about one brief, so the most asked stand out.
#[derive(Debug, Clone, Serialize)]
pub struct BriefGroup {
    /// None: questions not linked to any brief.
    pub brief_id: Option<BriefId>,
    pub brief_slug: Option<String>,
    pub total: u64,
    /// new, triaged or forwarded: still waiting for an answer.
    pub open: u64,
    pub answered: u64,
    pub dismissed: u64,
}

/// Where a coordinator says an unmatched question belongs.
#[derive(Debug, Clone, Default)]
pub struct Assignment {
    pub influencer: Option<EmailAddress>,
    pub edition_id: Option<EditionId>,
    pub brief_id: Option<BriefId>,
}

#[async_trait]
pub trait QuestionStore: Send + Sync {
    /// Newest first.
    async fn questions(&self, query: &QuestionQuery) -> StoreResult<Vec<QuestionRecord>>;

    async fn question(&self, id: QuestionId) -> StoreResult<Option<QuestionRecord>>;

    /// Counts per brief, most asked first.
    async fn question_groups(&self, query: &QuestionQuery) -> StoreResult<Vec<BriefGroup>>;

    /// Moves a question along its workflow with an audit entry; `Conflict` on field `status`
    /// when the transition is not allowed from where the question is.
    async fn transition_question(
        &self,
        id: QuestionId,
        transition: &Transition,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord>;

    async fn tag_question(
        &self,
        id: QuestionId,
        add: &[Tag],
        remove: &[Tag],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord>;

    async fn set_may_name(
        &self,
        id: QuestionId,
        may_name: bool,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord>;

    /// Links a question (typically an unmatched one) to an influencer, edition and brief.
    /// Hands a question to a colleague (account id and name, as the audit log records it), or
    /// takes it back from whoever had it with `None`.
    async fn hand_question(
        &self,
        id: QuestionId,
        assignee: Option<(AccountId, &str)>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord>;

    async fn assign_question(
        &self,
        id: QuestionId,
        assignment: &Assignment,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord>;
}
