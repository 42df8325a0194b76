//! `/api/v1/influencers`: the roster.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use futures::StreamExt;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio_util::io::{StreamReader, SyncIoBridge};

use super::{ApiError, AppState, Caller};
use crate::audience::EmailAddress;
use crate::service::audience::ImportError;
use crate::service::audience::{self as service, AudienceError, RosterFilter};

/// A national roster in one request: a million rows of the sample's width are about 150 MB, and
/// this is room for some six million, more people than Finland has. The body is read as it
/// arrives and never held whole, so the limit bounds one transaction, not memory; past it, 413.
pub const MAX_ROSTER_BYTES: u64 = 1024 * 1024 * 1024;

/// A roster arriving as a stream of chunks, as a blocking reader for the CSV parser, and a flag
/// that says whether it was cut off at [`MAX_ROSTER_BYTES`].
pub(super) fn capped_reader<S, E>(stream: S) -> (impl std::io::Read + Send + 'static, Arc<AtomicBool>)
where
    S: futures::Stream<Item = Result<axum::body::Bytes, E>> + Send + Unpin + 'static,
    E: std::error::Error + Send + Sync + 'static,
{
    let over_limit = Arc::new(AtomicBool::new(false));
    let flag = over_limit.clone();
    let mut seen: u64 = 0;
    let stream = stream.map(move |chunk| {
        let chunk = chunk.map_err(std::io::Error::other)?;
        seen += chunk.len() as u64;
        if seen > MAX_ROSTER_BYTES {
            flag.store(true, Ordering::Relaxed);
            return Err(std::io::Error::other("the roster is over the route's limit"));
        }
        Ok(chunk)
    });
    (SyncIoBridge::new(StreamReader::new(stream)), over_limit)
}

/// The CSV is the request body, as a file upload would send it, read as it streams in.
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!(
                "a roster is at most {} MB; nothing was imported",
                MAX_ROSTER_BYTES / (1024 * 1024)
            ),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_ROSTER_BYTES) {
        return Err(too_large());
    }
    let (source, over_limit) = capped_reader(body.into_data_stream());
    let now = state.clock.now();
    match service::import(state.store.as_ref(), &caller, source, now).await {
        Ok(report) => {
            state.metrics.count_import(&report);
            Ok(Json(json!(report)))
        }
        Err(AudienceError::Import(_)) if over_limit.load(Ordering::Relaxed) => Err(too_large()),
        Err(e) => Err(e.into()),
    }
}

impl From<AudienceError> for ApiError {
    fn from(e: AudienceError) -> Self {
        match e {
            AudienceError::Denied(denied) => denied.into(),
            AudienceError::NoInfluencer(email) => ApiError::not_found(format!("influencer {email}")),
            AudienceError::NoSegment(name) => ApiError::not_found(format!("segment `{name}`")),
            AudienceError::Import(ImportError::File(e)) => ApiError::invalid("file", e.to_string()),
            AudienceError::Import(ImportError::Store(e)) | AudienceError::Store(e) => e.into(),
            AudienceError::Import(e @ ImportError::Reader(_)) => ApiError::internal(&e),
            AudienceError::Segment(e) => ApiError::invalid_named(&e),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ListParams {
    language: Option<String>,
    cadence: Option<String>,
    segment: Option<String>,
    limit: Option<u64>,
    #[serde(default)]
    offset: u64,
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let mut filter = RosterFilter {
        segment: p.segment,
        limit: Some(p.limit.unwrap_or(1000).min(10_000)),
        offset: p.offset,
        ..Default::default()
    };
    if let Some(language) = p.language {
        filter.language = Some(
            language
                .parse()
                .map_err(|e: crate::language::UnknownLanguage| ApiError::bad_request("language", e.to_string()))?,
        );
    }
    if let Some(cadence) = p.cadence {
        filter.cadence = Some(
            cadence
                .parse()
                .map_err(|e: crate::cadence::UnknownCadence| ApiError::bad_request("cadence", e.to_string()))?,
        );
    }
    let offset = filter.offset;
    let influencers = service::list(state.store.as_ref(), &caller, filter).await?;
    Ok(Json(
        json!({ "influencers": influencers, "count": influencers.len(), "offset": offset }),
    ))
}

fn address(raw: &str) -> Result<EmailAddress, ApiError> {
    EmailAddress::parse(raw).map_err(|e| ApiError::bad_request("email", e.to_string()))
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(email): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let view = service::show(state.store.as_ref(), &caller, &address(&email)?).await?;
    Ok(Json(json!(view)))
}

pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(email): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let data = service::export(state.store.as_ref(), &caller, &address(&email)?).await?;
    Ok(Json(json!(data)))
}

pub async fn erase(
    State(state): State<AppState>,
    caller: Caller,
    Path(email): Path<String>,
) -> Result<StatusCode, ApiError> {
    service::erase(state.store.as_ref(), &caller, &address(&email)?, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
