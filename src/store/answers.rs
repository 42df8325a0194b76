//! Answers for an edition's "you asked" section.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::ids::{BriefId, EditionId, QuestionId};
use crate::language::Language;
use crate::store::StoreResult;

#[async_trait]
pub trait AnswerStore: Send + Sync {
    /// The answers an edition shows readers of `language`: those given before the edition was
    /// made and not yet shown by another edition are claimed for it, and every batch of the
    /// edition then gets the same set, so all its readers see the same answers.
    async fn answers_for_edition(
        &self,
        edition_id: EditionId,
        language: Language,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<YouAsked>>;

    /// Answered questions no edition has carried yet, oldest answer first, optionally in one
    /// language; askers named only when they agreed.
    async fn answered_unpublished(&self, language: Option<Language>) -> StoreResult<Vec<YouAsked>>;

    /// Records that `edition_id` carried these answers, so the next edition does not repeat
    /// them. Returns how many were newly marked.
    async fn mark_answers_published(
        &self,
        question_ids: &[QuestionId],
        edition_id: EditionId,
        now: DateTime<Utc>,
    ) -> StoreResult<u64>;
}

/// An answered question for an edition's "you asked" section: plain data for the renderer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YouAsked {
    pub question_id: QuestionId,
    pub language: Option<Language>,
    pub brief_id: Option<BriefId>,
    pub question: String,
    pub answer: Option<String>,
    pub answer_url: Option<String>,
    /// The asker's name, only when they agreed to be named.
    pub asked_by: Option<String>,
}
