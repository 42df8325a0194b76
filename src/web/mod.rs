//! HTTP: the JSON API under `/api/v1/`, health and metrics. Handlers translate and delegate.

mod auth;
mod briefs;
mod deliveries;
mod editions;
mod error;
mod inbound;
mod influencers;
mod questions;
mod schedules;
mod segments;
mod subscription;
mod system;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

pub use auth::Caller;
pub use error::ApiError;

use crate::clock::Clock;
use crate::config::Config;
use crate::metrics::{HttpLabels, Metrics};
use crate::pack::Content;
use crate::store::Store;
use crate::token::TokenKey;

/// What every handler may use.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
    pub content: Arc<Content>,
    pub tokens: Arc<TokenKey>,
}

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/briefs", get(briefs::list).post(briefs::add))
        .route("/briefs/{id}", get(briefs::show).put(briefs::edit))
        .route("/briefs/{id}/approve", post(briefs::approve))
        .route("/briefs/{id}/withdraw", post(briefs::withdraw))
        .route("/briefs/{id}/correct", post(briefs::correct))
        .route("/briefs/{id}/preview", get(briefs::preview))
        .route("/influencers", get(influencers::list))
        .route("/influencers/import", post(influencers::import))
        .route(
            "/influencers/{email}",
            get(influencers::show).delete(influencers::erase),
        )
        .route("/influencers/{email}/export", get(influencers::export))
        .route("/segments", get(segments::list).post(segments::add))
        .route("/segments/{name}", get(segments::show))
        .route("/schedules", get(schedules::list).post(schedules::add))
        .route("/schedules/{name}", get(schedules::show))
        .route("/editions", get(editions::list).post(editions::create))
        .route("/editions/{id}", get(editions::show))
        .route("/editions/{id}/{action}", post(editions::change))
        .route("/deliveries", get(deliveries::list))
        .route("/deliveries/resend", post(deliveries::resend))
        .route("/audit", get(audit_log))
        .route(
            "/inbound",
            post(inbound::receive).layer(axum::extract::DefaultBodyLimit::max(inbound::MAX_MESSAGE_BYTES)),
        )
        .route("/questions", get(questions::list))
        .route("/questions/by-brief", get(questions::by_brief))
        .route("/questions/export", get(questions::export))
        .route("/questions/you-asked", get(questions::you_asked))
        .route("/questions/{id}", get(questions::show))
        .route("/questions/{id}/triage", post(questions::triage))
        .route("/questions/{id}/forward", post(questions::forward))
        .route("/questions/{id}/answer", post(questions::answer))
        .route("/questions/{id}/dismiss", post(questions::dismiss))
        .route("/questions/{id}/tags", post(questions::tags))
        .route("/questions/{id}/consent", post(questions::consent))
        .route("/questions/{id}/assign", post(questions::assign));
    Router::new()
        .route("/healthz", get(system::healthz))
        .route("/metrics", get(system::metrics))
        .route("/u/{token}", get(subscription::show).post(subscription::post))
        .nest("/api/v1", api)
        .fallback(|| async { ApiError::not_found("route") })
        .layer(middleware::from_fn_with_state(state.clone(), count_requests))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves until `shutdown` is cancelled, then lets requests in flight finish.
pub async fn run_until_stopped(
    listener: TcpListener,
    state: AppState,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown.cancelled_owned())
        .await
}

async fn count_requests(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let response = next.run(request).await;
    state
        .metrics
        .http_requests
        .get_or_create(&HttpLabels {
            method,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

#[derive(Deserialize)]
struct AuditParams {
    limit: Option<u64>,
}

async fn audit_log(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<AuditParams>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.must_coordinate()?;
    let entries = state.store.audit_log(p.limit.unwrap_or(100).min(10_000)).await?;
    Ok(axum::Json(json!({ "entries": entries })))
}
