//! The roster and its segments: importing, listing, showing a person with their suppression,
//! exporting what is held on them, erasing them; saving and reading segments.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::access::{Actor, Caller, Denied};
use crate::audience::{self, EmailAddress, ImportReport, Segment, SegmentError, StoredInfluencer};
use crate::cadence::Cadence;
use crate::language::Language;
use crate::store::{InfluencerQuery, PersonalData, SegmentSummary, Store, StoreError, SuppressionReason};

#[derive(Debug, thiserror::Error)]
pub enum AudienceError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("no influencer with address {0}")]
    NoInfluencer(EmailAddress),
    #[error("no segment named `{0}`")]
    NoSegment(String),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Segment(#[from] SegmentError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why an import changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    File(#[from] audience::roster::RosterError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("reading the roster failed: {0}")]
    Reader(String),
}

/// Reads a roster file held in memory and stores it whole, or changes nothing. No role is
/// checked: for the demo's seeding and the store's tests; people import through [`import`].
pub async fn store_roster(
    store: &dyn Store,
    bytes: &[u8],
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    store_roster_from(store, std::io::Cursor::new(bytes.to_vec()), actor, now).await
}

/// Reads a roster as it arrives from `source` (a file, a request body) and stores it whole, or
/// changes nothing, without a role check (see [`store_roster`]). Reading runs on a blocking thread and hands parts to the store through a
/// short queue, so memory holds a few parts whatever the file's length.
pub async fn store_roster_from(
    store: &dyn Store,
    source: impl std::io::Read + Send + 'static,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let (parts, mut received) = tokio::sync::mpsc::channel(2);
    let reading =
        tokio::task::spawn_blocking(move || audience::roster::read(source, |part| parts.blocking_send(part).is_ok()));
    let stored = store.import_roster(&mut received, actor, now).await;
    // Closed before waiting, so a reader blocked on a store that gave up stops.
    drop(received);
    let read = reading.await.map_err(|e| ImportError::Reader(e.to_string()))?;
    read?;
    match stored? {
        Some(report) => Ok(report),
        None => Err(ImportError::Reader(
            "the reader stopped without finishing the file".into(),
        )),
    }
}

/// A person on the roster and, when they are suppressed, why they are never mailed.
#[derive(Debug, Clone, Serialize)]
pub struct InfluencerView {
    #[serde(flatten)]
    pub stored: StoredInfluencer,
    pub suppressed: Option<SuppressionReason>,
}

/// Which part of the roster to list.
#[derive(Debug, Clone, Default)]
pub struct RosterFilter {
    pub language: Option<Language>,
    pub cadence: Option<Cadence>,
    /// A saved segment, by name.
    pub segment: Option<String>,
    pub platform: Option<String>,
    pub suppressed: Option<bool>,
    /// Found in the name or the address.
    pub search: Option<String>,
    pub limit: Option<u64>,
    pub offset: u64,
}

/// Reads a roster as it arrives from `source` and stores it whole, or changes nothing.
pub async fn import(
    store: &dyn Store,
    caller: &Caller,
    source: impl std::io::Read + Send + 'static,
    now: DateTime<Utc>,
) -> Result<ImportReport, AudienceError> {
    caller.must_coordinate()?;
    Ok(store_roster_from(store, source, &caller.actor, now).await?)
}

/// Which of these people may not be mailed, and why: every listing of people shows it.
pub async fn suppressions_among(
    store: &dyn Store,
    caller: &Caller,
    people: &[StoredInfluencer],
) -> Result<Vec<(EmailAddress, SuppressionReason)>, AudienceError> {
    caller.must_coordinate()?;
    let emails: Vec<EmailAddress> = people.iter().map(|p| p.influencer.email.clone()).collect();
    Ok(store.suppressions_among(&emails).await?)
}

pub async fn list(
    store: &dyn Store,
    caller: &Caller,
    filter: RosterFilter,
) -> Result<Vec<StoredInfluencer>, AudienceError> {
    caller.must_coordinate()?;
    let segment = match filter.segment {
        Some(name) => Some(segment_summary(store, &name).await?.segment.filter),
        None => None,
    };
    let query = InfluencerQuery {
        language: filter.language,
        cadence: filter.cadence,
        segment,
        platform: filter.platform,
        suppressed: filter.suppressed,
        search: filter.search.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        limit: filter.limit,
        offset: filter.offset,
    };
    Ok(store.list_influencers(&query).await?)
}

pub async fn show(store: &dyn Store, caller: &Caller, email: &EmailAddress) -> Result<InfluencerView, AudienceError> {
    caller.must_coordinate()?;
    let stored = store
        .influencer(email)
        .await?
        .ok_or_else(|| AudienceError::NoInfluencer(email.clone()))?;
    let suppressed = store.suppression(email).await?;
    Ok(InfluencerView { stored, suppressed })
}

/// A person's page: everything held on them and whether they are never mailed, reading them
/// once.
pub async fn profile(
    store: &dyn Store,
    caller: &Caller,
    email: &EmailAddress,
) -> Result<(PersonalData, Option<SuppressionReason>), AudienceError> {
    caller.must_coordinate()?;
    let data = store
        .personal_data(email)
        .await?
        .ok_or_else(|| AudienceError::NoInfluencer(email.clone()))?;
    let suppressed = store.suppression(email).await?;
    Ok((data, suppressed))
}

/// Everything held on one person, for their access request.
pub async fn export(store: &dyn Store, caller: &Caller, email: &EmailAddress) -> Result<PersonalData, AudienceError> {
    caller.must_coordinate()?;
    store
        .personal_data(email)
        .await?
        .ok_or_else(|| AudienceError::NoInfluencer(email.clone()))
}

/// Removes the person, anonymises their replies and keeps only a hashed suppression.
pub async fn erase(
    store: &dyn Store,
    caller: &Caller,
    email: &EmailAddress,
    now: DateTime<Utc>,
) -> Result<(), AudienceError> {
    caller.must_coordinate()?;
    match store.erase_influencer(email, &caller.actor, now).await? {
        true => Ok(()),
        false => Err(AudienceError::NoInfluencer(email.clone())),
    }
}

/// Saves a segment (validated by `Segment::new`) and returns it with its members now.
pub async fn add_segment(
    store: &dyn Store,
    caller: &Caller,
    name: &str,
    filter: audience::SegmentFilter,
    now: DateTime<Utc>,
) -> Result<SegmentSummary, AudienceError> {
    caller.must_coordinate()?;
    let segment = Segment::new(name, filter)?;
    store.add_segment(&segment, &caller.actor, now).await?;
    segment_summary(store, &segment.name).await
}

/// How many people a filter would hold now, suppressed addresses left out: the count a segment
/// being built shows before it is saved.
pub async fn count_members(
    store: &dyn Store,
    caller: &Caller,
    filter: audience::SegmentFilter,
) -> Result<u64, AudienceError> {
    caller.must_coordinate()?;
    Ok(store.count_members(&filter.normalised()?).await?)
}

pub async fn segments(store: &dyn Store, caller: &Caller) -> Result<Vec<SegmentSummary>, AudienceError> {
    caller.must_coordinate()?;
    Ok(store.segments().await?)
}

pub async fn segment(store: &dyn Store, caller: &Caller, name: &str) -> Result<SegmentSummary, AudienceError> {
    caller.must_coordinate()?;
    segment_summary(store, name).await
}

async fn segment_summary(store: &dyn Store, name: &str) -> Result<SegmentSummary, AudienceError> {
    store
        .segment(name)
        .await?
        .ok_or_else(|| AudienceError::NoSegment(name.to_string()))
}
