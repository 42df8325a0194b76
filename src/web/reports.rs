//! `/api/v1/reports/reach`: the reach report, as JSON or CSV.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{ApiError, AppState, Caller};
use crate::reach::{parse_query, to_csv};
use crate::service::reach::{self, ReachError};

#[derive(Debug, Deserialize)]
pub struct ReachParams {
    brief: Option<String>,
    topic: Option<String>,
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

impl From<ReachError> for ApiError {
    fn from(error: ReachError) -> ApiError {
        match error {
            ReachError::Denied(denied) => denied.into(),
            ReachError::Store(store) => store.into(),
        }
    }
}

pub async fn reach(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<ReachParams>,
) -> Result<Response, ApiError> {
    let query = parse_query(
        p.brief.as_deref(),
        p.topic.as_deref(),
        p.from.as_deref(),
        p.to.as_deref(),
    )
    .map_err(|(field, message)| ApiError::invalid(field, message))?;
    let report = reach::report(state.store.as_ref(), &caller, &query).await?;
    match p.format.as_deref() {
        Some("csv") => {
            let csv = to_csv(&report).map_err(|e| ApiError::internal(&e))?;
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (header::CONTENT_DISPOSITION, "attachment; filename=\"reach.csv\""),
                ],
                csv,
            )
                .into_response())
        }
        None | Some("json") => Ok(Json(report).into_response()),
        Some(other) => Err(ApiError::invalid("format", format!("`{other}` is not json or csv"))),
    }
}
