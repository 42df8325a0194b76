//! The question log: listing, grouping by brief, exporting for the authorities, the "you asked"
//! answers, one question with its reply (and the raw message on request), and the workflow
//! (triage, forward, answer, dismiss, tags, consent to be named, assignment).

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

use crate::access::{Caller, Denied};
use crate::account::AccountSummary;
use crate::audience::EmailAddress;
use crate::ids::QuestionId;
use crate::language::Language;
use crate::questions::QuestionRecord;
use crate::questions::{QuestionStatus, Tag, Transition, write_csv};
use crate::store::{Assignment, BriefGroup, QuestionQuery, ReplyRecord, Store, StoreError, YouAsked};

#[derive(Debug, thiserror::Error)]
pub enum QuestionError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("no question {0}")]
    NotFound(QuestionId),
    #[error("name an influencer, an edition or a brief to assign question {0} to")]
    NothingToAssign(QuestionId),
    #[error("colleague: {0} is not a colleague who works on questions (an active coordinator or approver)")]
    NoColleague(String),
    /// The question is no longer in the status the person saw; nothing was done.
    #[error("question {id} is {status} now; nothing was done")]
    Moved { id: QuestionId, status: QuestionStatus },
    #[error("writing the CSV failed: {0}")]
    Csv(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A question with the reply it came from.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    pub question: QuestionRecord,
    pub reply: Option<ReplyRecord>,
    /// Only when asked for: the raw message, `None` inside when retention or erasure removed it.
    /// Shown as text (invalid UTF-8 replaced).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_text")]
    pub raw: Option<Option<Vec<u8>>>,
}

fn as_text<S: Serializer>(raw: &Option<Option<Vec<u8>>>, serializer: S) -> Result<S::Ok, S::Error> {
    raw.as_ref()
        .and_then(|r| r.as_deref())
        .map(String::from_utf8_lossy)
        .serialize(serializer)
}

pub async fn list(
    store: &dyn Store,
    caller: &Caller,
    query: &QuestionQuery,
) -> Result<Vec<QuestionRecord>, QuestionError> {
    caller.must_coordinate()?;
    Ok(store.questions(query).await?)
}

/// Counts per brief, over every question the query matches (its limit does not apply).
pub async fn by_brief(
    store: &dyn Store,
    caller: &Caller,
    query: QuestionQuery,
) -> Result<Vec<BriefGroup>, QuestionError> {
    caller.must_coordinate()?;
    let query = QuestionQuery { limit: None, ..query };
    Ok(store.question_groups(&query).await?)
}

/// Every question the query matches as CSV, for the authorities (its limit does not apply).
pub async fn export_csv(store: &dyn Store, caller: &Caller, query: QuestionQuery) -> Result<Vec<u8>, QuestionError> {
    caller.must_coordinate()?;
    let query = QuestionQuery { limit: None, ..query };
    write_csv(&store.questions(&query).await?).map_err(|e| QuestionError::Csv(e.to_string()))
}

/// Answered questions no edition has carried yet, for a "you asked" section.
pub async fn you_asked(
    store: &dyn Store,
    caller: &Caller,
    language: Option<Language>,
) -> Result<Vec<YouAsked>, QuestionError> {
    caller.must_coordinate()?;
    Ok(store.answered_unpublished(language).await?)
}

pub async fn show(
    store: &dyn Store,
    caller: &Caller,
    id: QuestionId,
    with_raw: bool,
) -> Result<QuestionView, QuestionError> {
    caller.must_coordinate()?;
    let question = store.question(id).await?.ok_or(QuestionError::NotFound(id))?;
    let reply = store.reply(question.reply_id).await?;
    let raw = match with_raw {
        true => Some(store.reply_raw(question.reply_id).await?),
        false => None,
    };
    Ok(QuestionView { question, reply, raw })
}

/// Moves a question on. With `seen`, the status the person saw: if a colleague moved it since,
/// nothing is done, even when the move would still be allowed from where it stands now.
pub async fn transition(
    store: &dyn Store,
    caller: &Caller,
    id: QuestionId,
    transition: &Transition,
    seen: Option<QuestionStatus>,
    now: DateTime<Utc>,
) -> Result<QuestionRecord, QuestionError> {
    caller.must_coordinate()?;
    if let Some(seen) = seen {
        let current = store.question(id).await?.ok_or(QuestionError::NotFound(id))?.status;
        if current != seen {
            return Err(QuestionError::Moved { id, status: current });
        }
    }
    Ok(store.transition_question(id, transition, &caller.actor, now).await?)
}

pub async fn tag(
    store: &dyn Store,
    caller: &Caller,
    id: QuestionId,
    add: &[Tag],
    remove: &[Tag],
    now: DateTime<Utc>,
) -> Result<QuestionRecord, QuestionError> {
    caller.must_coordinate()?;
    Ok(store.tag_question(id, add, remove, &caller.actor, now).await?)
}

/// Whether the asker may be named when the answer is published.
pub async fn consent(
    store: &dyn Store,
    caller: &Caller,
    id: QuestionId,
    may_name: bool,
    now: DateTime<Utc>,
) -> Result<QuestionRecord, QuestionError> {
    caller.must_coordinate()?;
    Ok(store.set_may_name(id, may_name, &caller.actor, now).await?)
}

/// Ties a question (an unmatched one, typically) to an influencer, an edition or a brief.
pub async fn assign(
    store: &dyn Store,
    caller: &Caller,
    id: QuestionId,
    assignment: &Assignment,
    now: DateTime<Utc>,
) -> Result<QuestionRecord, QuestionError> {
    caller.must_coordinate()?;
    if assignment.influencer.is_none() && assignment.edition_id.is_none() && assignment.brief_id.is_none() {
        return Err(QuestionError::NothingToAssign(id));
    }
    Ok(store.assign_question(id, assignment, &caller.actor, now).await?)
}

/// The colleagues a question can be handed to: active coordinators and approvers, by name.
pub async fn colleagues(store: &dyn Store, caller: &Caller) -> Result<Vec<AccountSummary>, QuestionError> {
    caller.must_coordinate()?;
    let mut people: Vec<AccountSummary> = store
        .accounts()
        .await?
        .into_iter()
        .filter(|a| a.disabled_at.is_none() && a.role.coordinates())
        .collect();
    people.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(people)
}

/// Hands a question to a colleague, by their address, to work on; `None` takes it back.
pub async fn hand(
    store: &dyn Store,
    caller: &Caller,
    id: QuestionId,
    to: Option<&EmailAddress>,
    now: DateTime<Utc>,
) -> Result<QuestionRecord, QuestionError> {
    caller.must_coordinate()?;
    let assignee = match to {
        None => None,
        Some(email) => {
            let account = store
                .account(email)
                .await?
                .map(|stored| stored.summary)
                .filter(|a| a.disabled_at.is_none() && a.role.coordinates())
                .ok_or_else(|| QuestionError::NoColleague(email.as_str().to_string()))?;
            Some((account.id, account.name))
        }
    };
    let assignee = assignee.as_ref().map(|(id, name)| (*id, name.as_str()));
    Ok(store.hand_question(id, assignee, &caller.actor, now).await?)
}
