//! Briefs: in, checked, approved, withdrawn, corrected and previewed (once "the desk"). The rules
//! live in `brief` (validation, lifecycle) and `pack` (rendering); this module puts them together
//! with the store, for every interface.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::access::{Actor, Caller, Denied, Role};
use crate::brief::{
    self, Brief, BriefFormat, BriefStatus, Counter, LifecycleError, ParseError, Problem, counters, validate,
};
use crate::edition::{BriefId, EditionKind};
use crate::edition::{EditionBrief, NewEdition, Recipients};
use crate::feed::Take;
use crate::language::Language;
use crate::pack::{Content, LanguagePolicy, Preview, Recipient, RenderError};
use crate::store::{Store, StoreError, StoredBrief};

#[derive(Debug, thiserror::Error)]
pub enum BriefError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error("brief {0} not found")]
    NotFound(BriefId),
    #[error("brief {id} cannot be approved while it has {} problem(s): {}", problems.len(), joined(problems))]
    Problems { id: BriefId, problems: Vec<Problem> },
    #[error("brief {id}: {error}")]
    Lifecycle { id: BriefId, error: LifecycleError },
    /// The brief changed after the form was made from it; nothing was written.
    #[error("brief {id} changed since it was read (it is now {status}); read it again")]
    Stale { id: BriefId, status: BriefStatus },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("rendering failed: {0}")]
    Render(#[from] RenderError),
    /// A feed's item that a poll took before: nothing was written.
    #[error("{0} was taken from a feed already")]
    AlreadyTaken(String),
}

fn joined(problems: &[Problem]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// A brief as stored, with everything validation found in it.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    #[serde(flatten)]
    pub stored: StoredBrief,
    pub problems: Vec<Problem>,
    /// What else the step did, in a sentence each (a CAP update withdrawing the version it
    /// replaces, say).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Checked {
    pub fn of(content: &Content, stored: StoredBrief, now: DateTime<Utc>) -> Checked {
        checked(content, stored, now)
    }
}

/// The status a coordinator should see: an unsent brief past its expiry is expired, whatever
/// the stored status says, until the next transition writes it down.
fn effective(stored: StoredBrief, now: DateTime<Utc>) -> StoredBrief {
    let status = stored.status.at(&stored.brief, now);
    StoredBrief { status, ..stored }
}

fn checked(content: &Content, stored: StoredBrief, now: DateTime<Utc>) -> Checked {
    let problems = validate(&stored.brief, &content.limits);
    Checked {
        stored: effective(stored, now),
        problems,
        notes: Vec::new(),
    }
}

/// Starts an empty draft, to be written in the editor: every required part is a problem until
/// it is filled in.
pub async fn start(
    store: &dyn Store,
    content: &Content,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<Checked, BriefError> {
    caller.must_coordinate()?;
    let stored = store.insert_brief(&Brief::default(), None, &caller.actor, now).await?;
    Ok(checked(content, stored, now))
}

/// Stores a new draft and reports every problem in it. A brief with problems is kept, so the
/// coordinator can fix it, but cannot be approved.
pub async fn submit(
    store: &dyn Store,
    content: &Content,
    text: &str,
    format: BriefFormat,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<Checked, BriefError> {
    caller.must_coordinate()?;
    let brief = Brief::parse(text, format)?;
    if super::alerts::follows_up(&brief) {
        return super::alerts::follow_up(store, content, brief, caller, now, None).await;
    }
    let stored = store.insert_brief(&brief, None, &caller.actor, now).await?;
    Ok(checked(content, stored, now))
}

/// Stores a brief read from a feed, taken under `take` in the transaction that stores it; an
/// alert that follows up an earlier one is handled as `submit` handles it. `AlreadyTaken`,
/// writing nothing, when a poll took the item before.
pub async fn take(
    store: &dyn Store,
    content: &Content,
    brief: Brief,
    caller: &Caller,
    now: DateTime<Utc>,
    take: &Take,
) -> Result<Checked, BriefError> {
    caller.must_coordinate()?;
    // Checked before anything is withdrawn: an update taken twice must not withdraw the draft
    // it made the first time.
    if store.is_taken(&take.key).await? {
        return Err(BriefError::AlreadyTaken(take.key.clone()));
    }
    if super::alerts::follows_up(&brief) {
        return super::alerts::follow_up(store, content, brief, caller, now, Some(take)).await;
    }
    let stored = insert_new(store, &brief, None, &caller.actor, now, Some(take)).await?;
    Ok(checked(content, stored, now))
}

/// Stores a new draft, under `take` when it comes from a feed.
pub(super) async fn insert_new(
    store: &dyn Store,
    brief: &Brief,
    supersedes: Option<BriefId>,
    actor: &Actor,
    now: DateTime<Utc>,
    take: Option<&Take>,
) -> Result<StoredBrief, BriefError> {
    match take {
        None => Ok(store.insert_brief(brief, supersedes, actor, now).await?),
        Some(take) => store
            .insert_taken_brief(brief, supersedes, take, actor, now)
            .await?
            .ok_or_else(|| BriefError::AlreadyTaken(take.key.clone())),
    }
}

pub async fn show(
    store: &dyn Store,
    content: &Content,
    caller: &Caller,
    id: BriefId,
    now: DateTime<Utc>,
) -> Result<Checked, BriefError> {
    caller.must_coordinate()?;
    let stored = stored_brief(store, id).await?;
    Ok(checked(content, stored, now))
}

/// The brief as stored, without checking it: what an editor starts from, on every keystroke's
/// check too, where validating the stored version as well would be wasted.
pub async fn read(store: &dyn Store, caller: &Caller, id: BriefId) -> Result<StoredBrief, BriefError> {
    caller.must_coordinate()?;
    stored_brief(store, id).await
}

pub async fn list(
    store: &dyn Store,
    caller: &Caller,
    status: Option<BriefStatus>,
    now: DateTime<Utc>,
) -> Result<Vec<StoredBrief>, BriefError> {
    caller.must_coordinate()?;
    let briefs = store.briefs(None).await?.into_iter().map(|b| effective(b, now));
    Ok(briefs.filter(|b| status.is_none_or(|s| b.status == s)).collect())
}

/// Replaces a draft, approved or queued brief; it returns to draft and needs approval again.
pub async fn edit(
    store: &dyn Store,
    content: &Content,
    id: BriefId,
    (text, format): (&str, BriefFormat),
    seen: Option<DateTime<Utc>>,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<Checked, BriefError> {
    caller.must_coordinate()?;
    let brief = Brief::parse(text, format)?;
    replace(store, content, id, brief, seen, caller, now).await
}

/// Replaces a brief with one made in an editor from the brief as it was at `seen` (its
/// `updated_at` then): refused as stale, writing nothing, when it has changed since.
pub async fn replace(
    store: &dyn Store,
    content: &Content,
    id: BriefId,
    brief: Brief,
    seen: Option<DateTime<Utc>>,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<Checked, BriefError> {
    caller.must_coordinate()?;
    let current = stored_brief(store, id).await?;
    unchanged_since(&current, seen, now)?;
    current
        .status
        .edit()
        .map_err(|error| BriefError::Lifecycle { id, error })?;
    let stored = store
        .replace_brief(id, current.status, &brief, &caller.actor, now)
        .await?;
    Ok(checked(content, stored, now))
}

/// A decision made on a screen is about the brief as the screen showed it: `seen` is its
/// `updated_at` then (none from the command line and the API, which act on the brief as it is).
fn unchanged_since(current: &StoredBrief, seen: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<(), BriefError> {
    match seen {
        Some(seen) if seen != current.updated_at => Err(BriefError::Stale {
            id: current.id,
            status: current.status.at(&current.brief, now),
        }),
        _ => Ok(()),
    }
}

/// What the validator finds in a brief being written, and each platform limit measured on it:
/// nothing is stored.
pub fn check_draft(content: &Content, caller: &Caller, brief: &Brief) -> Result<DraftCheck, BriefError> {
    caller.must_coordinate()?;
    Ok(DraftCheck {
        problems: validate(brief, &content.limits),
        counters: counters(brief, &content.limits),
    })
}

#[derive(Debug, Clone)]
pub struct DraftCheck {
    pub problems: Vec<Problem>,
    pub counters: Vec<Counter>,
}

/// Draft → approved, by someone with the approver role and, under the two-person rule,
/// someone other than the author; only a brief without problems and not yet expired.
pub async fn approve(
    store: &dyn Store,
    content: &Content,
    id: BriefId,
    seen: Option<DateTime<Utc>>,
    caller: &Caller,
    two_person_rule: bool,
    now: DateTime<Utc>,
) -> Result<StoredBrief, BriefError> {
    caller.must_approve()?;
    let current = stored_brief(store, id).await?;
    unchanged_since(&current, seen, now)?;
    let lifecycle = |error| BriefError::Lifecycle { id, error };
    if let Some(cap) = current
        .brief
        .meta
        .cap
        .as_ref()
        .filter(|c| c.status != brief::CapStatus::Actual)
    {
        return Err(lifecycle(LifecycleError::NotActual(cap.status)));
    }
    let status = current.status.at(&current.brief, now);
    if status == BriefStatus::Expired {
        let expired = current.brief.meta.expires.map(|e| e.to_utc()).unwrap_or(now);
        return Err(lifecycle(LifecycleError::Expired(expired)));
    }
    current
        .status
        .approve(
            &current.author,
            &caller.actor.0,
            caller.role == Role::Approver,
            two_person_rule,
        )
        .map_err(lifecycle)?;
    let problems = validate(&current.brief, &content.limits);
    if !problems.is_empty() {
        return Err(BriefError::Problems { id, problems });
    }
    let approved = store
        .transition_brief(id, current.status, BriefStatus::Approved, &caller.actor, now)
        .await?;
    if !approved.brief.is_sendable_at(now) {
        return Ok(approved);
    }
    if let Some(superseded) = approved.supersedes_id {
        // A correction goes at once to exactly the readers who may hold what it corrects; being a
        // flash edition, no schedule carries it again to them afterwards.
        let edition = NewEdition {
            kind: EditionKind::Flash,
            schedule: None,
            due_at: now,
            briefs: vec![EditionBrief {
                brief: id,
                position: 1,
                is_correction: true,
            }],
            recipients: Recipients::ReceivedBrief(superseded),
        };
        let created = store.create_edition(&edition, &caller.actor, now).await?;
        tracing::info!(brief = %id, superseded = %superseded, edition = %created.edition, recipients = created.recipients, "correction approved: sent to the readers of the old version");
    } else if approved.brief.is_urgent() {
        // An urgent brief does not wait for a schedule: approving it sends it.
        let flash = store.create_flash(id, &caller.actor, now).await?;
        tracing::info!(brief = %id, edition = %flash.edition, recipients = flash.recipients, "urgent brief approved: flash edition");
    }
    Ok(approved)
}

pub async fn withdraw(
    store: &dyn Store,
    id: BriefId,
    seen: Option<DateTime<Utc>>,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<StoredBrief, BriefError> {
    caller.must_coordinate()?;
    let current = stored_brief(store, id).await?;
    unchanged_since(&current, seen, now)?;
    let next = current
        .status
        .withdraw()
        .map_err(|error| BriefError::Lifecycle { id, error })?;
    Ok(store
        .transition_brief(id, current.status, next, &caller.actor, now)
        .await?)
}

/// A correction of a sent brief: a new draft that supersedes it and goes through approval.
pub async fn correct(
    store: &dyn Store,
    content: &Content,
    id: BriefId,
    text: &str,
    format: BriefFormat,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<Checked, BriefError> {
    caller.must_coordinate()?;
    let original = stored_brief(store, id).await?;
    let corrected = Brief::parse(text, format)?;
    let corrected = brief::correct(&original.brief, original.status, corrected)
        .map_err(|error| BriefError::Lifecycle { id, error })?;
    let stored = store.insert_brief(&corrected, Some(id), &caller.actor, now).await?;
    Ok(checked(content, stored, now))
}

/// What readers of `language` would receive, personalised for a sample reader.
pub async fn preview(
    store: &dyn Store,
    content: &Content,
    caller: &Caller,
    id: BriefId,
    language: Language,
    policy: LanguagePolicy,
    now: DateTime<Utc>,
) -> Result<Preview, BriefError> {
    caller.must_coordinate()?;
    let stored = stored_brief(store, id).await?;
    Ok(crate::pack::preview(
        content,
        &stored.brief,
        language,
        policy,
        &sample_reader(),
        now,
    )?)
}

/// A brief with its problems and what readers of each language would receive, from one read:
/// the page a coordinator or approver decides on.
pub async fn review(
    store: &dyn Store,
    content: &Content,
    caller: &Caller,
    id: BriefId,
    policy: LanguagePolicy,
    now: DateTime<Utc>,
) -> Result<(Checked, Vec<Preview>), BriefError> {
    caller.must_coordinate()?;
    let stored = stored_brief(store, id).await?;
    let sample = sample_reader();
    let previews = Language::ALL
        .into_iter()
        .map(|language| crate::pack::preview(content, &stored.brief, language, policy, &sample, now))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((checked(content, stored, now), previews))
}

/// The reader a preview is personalised for: nobody in particular, with links that go nowhere.
fn sample_reader() -> Recipient {
    Recipient {
        name: String::new(),
        unsubscribe_url: "#unsubscribe".into(),
        preferences_url: "#preferences".into(),
        reply_address: "questions+PREVIEW@localhost".into(),
    }
}

async fn stored_brief(store: &dyn Store, id: BriefId) -> Result<StoredBrief, BriefError> {
    store.brief(id).await?.ok_or(BriefError::NotFound(id))
}
