//! The roster and its segments: importing, listing, showing a person with their suppression,
//! exporting what is held on them, erasing them; saving and reading segments.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::access::{Caller, Denied};
use crate::audience::{self, EmailAddress, ImportError, ImportReport, Segment, SegmentError, StoredInfluencer};
use crate::language::{Cadence, Language};
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
    Ok(audience::import_from(store, source, &caller.actor, now).await?)
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
