//! A question as the log holds it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{QuestionStatus, Tag};
use crate::ids::{AccountId, BriefId, EditionId, InfluencerId, QuestionId, ReplyId};
use crate::language::Language;

/// One question in the log.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionRecord {
    pub id: QuestionId,
    pub reply_id: ReplyId,
    pub received_at: DateTime<Utc>,
    pub influencer_id: Option<InfluencerId>,
    pub influencer_email: Option<String>,
    pub influencer_name: Option<String>,
    pub edition_id: Option<EditionId>,
    pub brief_id: Option<BriefId>,
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
    pub published_edition_id: Option<EditionId>,
    /// The colleague working on it, by name; none when nobody has it.
    pub assignee: Option<String>,
    pub assignee_id: Option<AccountId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
