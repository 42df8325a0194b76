//! HTTP: the JSON API under `/api/v1/`, health and metrics. Handlers translate and delegate.

mod auth;
mod briefs;
mod console;
mod deliveries;
mod editions;
mod error;
mod feeds;
mod form;
mod inbound;
mod influencers;
mod packs;
mod questions;
mod reports;
mod schedules;
mod segments;
mod subscription;
mod system;
mod tokens;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

pub use crate::access::Caller;
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
    /// Signs the public packs.
    pub pack_key: Arc<crate::pack::PackKey>,
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
        .route("/feeds", get(feeds::list).post(feeds::add))
        .route("/feeds/{name}", axum::routing::delete(feeds::remove))
        .route("/feeds/{name}/poll", post(feeds::poll))
        .route("/schedules", get(schedules::list).post(schedules::add))
        .route("/schedules/{name}", get(schedules::show))
        .route("/editions", get(editions::list).post(editions::create))
        .route("/editions/{id}", get(editions::show))
        .route("/editions/{id}/{action}", post(editions::change))
        .route("/deliveries", get(deliveries::list))
        .route("/deliveries/resend", post(deliveries::resend))
        .route("/audit", get(audit_log))
        .route("/reports/reach", get(reports::reach))
        .route("/tokens", get(tokens::list))
        .route("/tokens/{id}/revoke", post(tokens::revoke))
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
        .route("/questions/{id}/assign", post(questions::assign))
        .route("/questions/{id}/hand", post(questions::hand))
        .layer(middleware::map_response(json_errors));
    Router::new()
        .route("/healthz", get(system::healthz))
        .route("/metrics", get(system::metrics))
        .route("/u/{token}", get(subscription::show).post(subscription::post))
        .route("/u/{token}/posts", post(subscription::report))
        .route("/r/{token}", get(packs::follow_source))
        .nest("/api/v1", api)
        .merge(console::routes())
        .merge(packs::routes())
        .fallback(|| async { ApiError::not_found("route") })
        .layer(middleware::map_response(security_headers))
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
    // The client's address reaches handlers for throttling sign-ins and for the audit log.
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown.cancelled_owned())
        .await
}

/// Headers on every response. No page has a remote asset or a reason to be framed: the
/// unsubscribe button must not be clickable through someone else's page. The console sets its
/// own content policy (no inline styles, its own script) and referrer policy (browsers send
/// `Origin: null` on a form posted from a `no-referrer` page, which would defeat its origin
/// check); every other response gets these.
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // Reader pages and API answers hold personal data: no shared cache keeps them.
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Errors that axum answers by itself (a body over its limit, a path or query value of the wrong
/// type, a method the route does not have) come as plain text; the API answers only in its JSON
/// shape, `{"error": {"code", "message"}}`, with the same status.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = match axum::body::to_bytes(body, 4096).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_string(),
        Err(_) => String::new(),
    };
    let code = match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid",
        _ if status.is_server_error() => "internal",
        _ => "error",
    };
    let message = match (status, text.is_empty()) {
        (StatusCode::METHOD_NOT_ALLOWED, _) => "this route does not take that method".to_string(),
        (StatusCode::PAYLOAD_TOO_LARGE, _) => "the request body is over this route's limit".to_string(),
        (_, true) => status.canonical_reason().unwrap_or("error").to_lowercase(),
        (_, false) => text,
    };
    let mut answer = axum::response::IntoResponse::into_response(ApiError::new(status, code, message));
    if let Some(allow) = parts.headers.get(header::ALLOW) {
        answer.headers_mut().insert(header::ALLOW, allow.clone());
    }
    answer
}

/// HTTP methods as metric labels: a fixed set, so that invented methods make no new series.
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

async fn count_requests(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = method_label(request.method()).to_string();
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
    let limit = p.limit.unwrap_or(100).min(10_000);
    let entries = crate::service::audit::log(state.store.as_ref(), &caller, limit).await?;
    Ok(axum::Json(json!({ "entries": entries })))
}
