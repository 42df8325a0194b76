//! Editions: sent now by schedule, flashed for one urgent brief, listed, inspected with their
//! progress, paused, resumed and cancelled.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::access::{Caller, Denied};
use crate::brief::FlashRefusal;
use crate::edition::{BriefId, EditionAction, EditionBrief, EditionId, EditionStatus, Progress, Recipients};
use crate::edition::{EditionCreated, EditionSummary};
use crate::language::Language;
use crate::store::{Store, StoreError, StoredBrief};

#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("no schedule named `{0}`")]
    NoSchedule(String),
    #[error("edition {0} not found")]
    NotFound(EditionId),
    #[error("schedule `{0}` has no approved, unexpired brief it has not carried yet: nothing to send")]
    NothingToSend(String),
    #[error("brief {0} not found")]
    NoBrief(BriefId),
    #[error("brief {brief} {refusal}")]
    FlashRefused { brief: BriefId, refusal: FlashRefusal },
    /// What was confirmed is no longer what would happen: the briefs due changed, or the
    /// edition moved on. Nothing was done; `now` is how things stand.
    #[error("this changed since it was shown: {now}")]
    Changed { now: String },
    /// The edition is no longer in the status the person saw; nothing was done.
    #[error("edition {id} is {status} now; nothing was done")]
    Moved { id: EditionId, status: EditionStatus },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An edition with how far it has come.
#[derive(Debug, Clone, Serialize)]
pub struct EditionView {
    pub edition: EditionSummary,
    pub progress: Progress,
}

/// What a send would do, shown before anything is queued: the briefs it carries, in order, and
/// how many readers get it in each language.
#[derive(Debug, Clone, Serialize)]
pub struct SendPreview {
    pub briefs: Vec<StoredBrief>,
    pub readers: Vec<(Language, u64)>,
}

impl SendPreview {
    pub fn total(&self) -> u64 {
        self.readers.iter().map(|(_, n)| n).sum()
    }

    pub fn brief_ids(&self) -> Vec<BriefId> {
        self.briefs.iter().map(|b| b.id).collect()
    }
}

async fn preview_of(
    store: &dyn Store,
    ids: Vec<BriefId>,
    recipients: &Recipients,
) -> Result<SendPreview, EditionError> {
    let mut briefs = Vec::with_capacity(ids.len());
    for id in &ids {
        briefs.push(store.brief(*id).await?.ok_or(EditionError::NoBrief(*id))?);
    }
    let carried: Vec<EditionBrief> = ids
        .iter()
        .zip(1..)
        .map(|(brief, position)| EditionBrief {
            brief: *brief,
            position,
            is_correction: false,
        })
        .collect();
    let readers = store.count_recipients(recipients, &carried).await?;
    Ok(SendPreview { briefs, readers })
}

/// What sending a schedule's edition now would queue; nothing is written.
pub async fn preview_send_now(
    store: &dyn Store,
    caller: &Caller,
    schedule: &str,
    now: DateTime<Utc>,
) -> Result<SendPreview, EditionError> {
    caller.must_coordinate()?;
    let stored = store
        .schedule(schedule)
        .await?
        .ok_or_else(|| EditionError::NoSchedule(schedule.to_string()))?;
    let segment = store
        .segment(stored.schedule.segment())
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: format!("segment `{}`", stored.schedule.segment()),
        })?;
    let ids = store.briefs_due_for(stored.id, stored.schedule.cadence(), now).await?;
    if ids.is_empty() {
        return Err(EditionError::NothingToSend(schedule.to_string()));
    }
    let recipients = Recipients::Subscribers {
        segment: segment.segment.filter,
        cadence: stored.schedule.cadence(),
    };
    preview_of(store, ids, &recipients).await
}

/// What a flash edition of `brief` would queue; nothing is written. Refused, with the reason,
/// for a brief that may not be flashed now.
pub async fn preview_flash(
    store: &dyn Store,
    caller: &Caller,
    brief: BriefId,
    now: DateTime<Utc>,
) -> Result<SendPreview, EditionError> {
    caller.must_coordinate()?;
    let stored = store.brief(brief).await?.ok_or(EditionError::NoBrief(brief))?;
    if let Some(refusal) = stored.brief.flash_refusal(stored.status, now) {
        return Err(EditionError::FlashRefused { brief, refusal });
    }
    preview_of(store, vec![brief], &Recipients::AllNotYetCarrying).await
}

/// Who approving an urgent brief would send it to at once (its flash edition), by language; for
/// the approval button to say so before anything is queued.
pub async fn readers_on_approval(
    store: &dyn Store,
    caller: &Caller,
    brief: BriefId,
) -> Result<Vec<(Language, u64)>, EditionError> {
    caller.must_coordinate()?;
    let carried = [EditionBrief {
        brief,
        position: 1,
        is_correction: false,
    }];
    Ok(store.count_recipients(&Recipients::AllNotYetCarrying, &carried).await?)
}

/// A schedule's edition now, outside its times, with the briefs it has not carried yet. With
/// `confirmed`, the briefs the person was shown: when others are due by now, nothing is sent.
pub async fn send_now(
    store: &dyn Store,
    caller: &Caller,
    schedule: &str,
    confirmed: Option<&[BriefId]>,
    now: DateTime<Utc>,
) -> Result<EditionCreated, EditionError> {
    caller.must_coordinate()?;
    let stored = store
        .schedule(schedule)
        .await?
        .ok_or_else(|| EditionError::NoSchedule(schedule.to_string()))?;
    if let Some(confirmed) = confirmed {
        let due = store.briefs_due_for(stored.id, stored.schedule.cadence(), now).await?;
        if due != confirmed {
            let listed: Vec<String> = due.iter().map(ToString::to_string).collect();
            return Err(EditionError::Changed {
                now: format!("the briefs due are now [{}]", listed.join(", ")),
            });
        }
    }
    store
        .send_now(stored.id, &caller.actor, now)
        .await?
        .ok_or_else(|| EditionError::NothingToSend(schedule.to_string()))
}

/// One urgent brief at once to every subscriber who has not had it.
pub async fn flash(
    store: &dyn Store,
    caller: &Caller,
    brief: BriefId,
    now: DateTime<Utc>,
) -> Result<EditionCreated, EditionError> {
    caller.must_coordinate()?;
    let stored = store.brief(brief).await?.ok_or(EditionError::NoBrief(brief))?;
    if let Some(refusal) = stored.brief.flash_refusal(stored.status, now) {
        return Err(EditionError::FlashRefused { brief, refusal });
    }
    // The store checks again inside its transaction, for a brief withdrawn meanwhile.
    Ok(store.create_flash(brief, &caller.actor, now).await?)
}

/// Editions, newest first.
pub async fn list(
    store: &dyn Store,
    caller: &Caller,
    limit: u64,
    offset: u64,
) -> Result<Vec<EditionSummary>, EditionError> {
    caller.must_operate()?;
    Ok(store.editions(limit, offset).await?)
}

/// An edition and its progress; for a caller who may not read the roster, the addresses in its
/// latest errors are masked.
pub async fn show(
    store: &dyn Store,
    caller: &Caller,
    id: EditionId,
    now: DateTime<Utc>,
) -> Result<EditionView, EditionError> {
    caller.must_operate()?;
    let edition = store.edition(id).await?.ok_or(EditionError::NotFound(id))?;
    let progress = store
        .edition_progress(id, now)
        .await?
        .ok_or(EditionError::NotFound(id))?;
    let progress = match caller.role.sees_personal_data() {
        true => progress,
        false => progress.without_personal_data(),
    };
    Ok(EditionView { edition, progress })
}

/// The briefs an edition carries, in reading order, for showing it; one that no longer exists
/// is left out.
pub async fn carried(
    store: &dyn Store,
    caller: &Caller,
    edition: &EditionSummary,
) -> Result<Vec<StoredBrief>, EditionError> {
    caller.must_operate()?;
    let mut briefs = Vec::with_capacity(edition.briefs.len());
    for carried in &edition.briefs {
        briefs.extend(store.brief(carried.brief).await?);
    }
    Ok(briefs)
}

/// Pauses, resumes or cancels an edition; returns the status it is in now. With `seen`, the
/// status the person saw when they chose: if the edition has moved on since, nothing is done.
pub async fn change(
    store: &dyn Store,
    caller: &Caller,
    id: EditionId,
    action: EditionAction,
    seen: Option<EditionStatus>,
    now: DateTime<Utc>,
) -> Result<EditionStatus, EditionError> {
    caller.must_operate()?;
    let edition = store.edition(id).await?.ok_or(EditionError::NotFound(id))?;
    if let Some(seen) = seen
        && edition.status != seen
    {
        return Err(EditionError::Moved {
            id,
            status: edition.status,
        });
    }
    // An edition that stopped itself to protect the sender goes on only on an approver's word:
    // resuming it risks the domain's standing with every mailbox provider.
    if action == EditionAction::Resume && edition.paused_reason.is_some() {
        caller.must_approve()?;
    }
    Ok(store.change_edition(id, action, &caller.actor, now).await?)
}
