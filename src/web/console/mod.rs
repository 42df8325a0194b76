//! The console: server-rendered pages for coordinators, approvers and ops, on the same use cases
//! as the API and the command line. Every page works without script; the one small script
//! served here only adds conveniences (copy buttons).
//!
//! Who is signed in comes from a session cookie that the store knows only by its hash. Every
//! state change is a POST that must carry the session's CSRF token and come from the console's
//! own origin; see [`Signed`] and [`Posted`].

mod accounts;
mod audit;
mod briefs;
mod deliveries;
mod editions;
mod editor;
mod ops;
mod questions;
mod reach;
mod roster;
mod schedules;
mod second_factor;
mod segments;
mod sign_in;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fluent_bundle::{FluentArgs, FluentValue};
use minijinja::Value;
use minijinja::value::Kwargs;
use serde::Serialize;

use super::{AppState, form};
use crate::access::{Denied, Role};
use crate::language::Language;
use crate::pack::Content;
use crate::service::sessions::{self, Policy, Resumed, Session};

/// The session cookie's name. One name whatever the scheme, so that a deployment moving to
/// https keeps working; the `Secure` flag follows `public_url`.
const COOKIE: &str = "briefcast_session";

/// The console's policy: nothing from anywhere but the daemon itself, no inline script or style.
const CONSOLE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                           connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/sign-in", get(sign_in::page).post(sign_in::submit))
        .route("/sign-in/code", get(second_factor::page).post(second_factor::submit))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/account", get(second_factor::account))
        .route("/account/two-step", post(second_factor::add))
        .route("/account/tokens", post(second_factor::create_token))
        .route("/account/language", post(second_factor::set_language))
        .route("/account/password", post(second_factor::change_password))
        .route("/account/tokens/{id}/revoke", post(second_factor::revoke_token))
        .route("/briefs", get(briefs::list))
        .route("/briefs/new", get(briefs::new_page).post(briefs::add))
        .route("/briefs/new/blank", post(editor::start))
        .route("/briefs/{id}", get(briefs::show))
        .route("/briefs/{id}/approve", post(briefs::approve))
        .route("/briefs/{id}/withdraw", post(briefs::withdraw))
        .route("/briefs/{id}/edit", post(briefs::edit))
        .route("/briefs/{id}/correct", post(briefs::correct))
        .route("/briefs/{id}/editor", get(editor::page).post(editor::submit))
        .route("/briefs/{id}/editor/check", post(editor::check))
        .route("/briefs/{id}/preview/{lang}", get(briefs::email_preview))
        .route("/briefs/{id}/flash", get(editions::confirm_flash).post(editions::flash))
        .route("/schedules", get(schedules::list))
        .route("/schedules/{name}/send", get(schedules::confirm).post(schedules::send))
        .route("/editions", get(editions::list))
        .route("/editions/{id}", get(editions::show))
        .route("/editions/{id}/progress", get(editions::progress))
        .route(
            "/editions/{id}/{action}",
            get(editions::confirm_change).post(editions::change),
        )
        .route("/questions", get(questions::desk))
        .route("/questions/export.csv", get(questions::export))
        .route("/questions/you-asked", get(questions::you_asked))
        .route("/questions/{id}", get(questions::show))
        .route("/questions/{id}/{action}", post(questions::act))
        .route("/ops", get(ops::page))
        .route("/reach", get(reach::page))
        .route("/reach.csv", get(reach::export))
        .route("/ops/tokens/{id}/revoke", post(ops::revoke_token))
        .route("/deliveries", get(deliveries::log))
        .route(
            "/deliveries/resend",
            get(deliveries::confirm_resend).post(deliveries::resend),
        )
        .route("/roster", get(roster::list))
        .route(
            "/roster/import",
            get(roster::import_page)
                .post(roster::import)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/roster/{email}", get(roster::person))
        .route("/roster/{email}/export", get(roster::export))
        .route("/roster/{email}/erase", post(roster::erase))
        .route("/segments", get(segments::page).post(segments::submit))
        .route("/segments/count", get(segments::count))
        .route("/accounts", get(accounts::list).post(accounts::add))
        .route("/accounts/{email}", get(accounts::show))
        .route("/accounts/{email}/password", post(accounts::reset_password))
        .route("/accounts/{email}/totp", post(accounts::remove_totp))
        .route("/accounts/{email}/disable", post(accounts::disable))
        .route("/audit", get(audit::page))
        .route("/console/assets/{name}", get(asset))
}

/// Where a person starts: the briefs, or for ops, who may not read them, the editions.
async fn home(signed: Signed) -> Redirect {
    match signed.session.account.role.coordinates() {
        true => Redirect::to("/briefs"),
        false => Redirect::to("/editions"),
    }
}

async fn asset(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "console.css" => (
            include_str!("../../../content/console/console.css"),
            "text/css; charset=utf-8",
        ),
        "console.js" => (
            include_str!("../../../content/console/console.js"),
            "text/javascript; charset=utf-8",
        ),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

/// A signed-in person on a console page. A request without a live session is sent to sign in,
/// and back to where it was going afterwards.
pub struct Signed {
    pub session: Session,
    pub cookie: String,
}

impl Signed {
    pub fn language(&self) -> Language {
        self.session.account.language
    }

    /// The refusal for a state change that does not come from the console's own pages (see
    /// [`same_origin`]); `None` when it does.
    fn origin_refusal(&self, parts: &Parts, state: &AppState) -> Option<Response> {
        (!same_origin(&parts.headers, &state.config.public_url)).then(|| cross_site(state, self.language()))
    }

    /// The refusal for a form without this session's CSRF token (compared in constant time).
    fn csrf_refusal(&self, given: Option<&str>, state: &AppState) -> Option<Response> {
        (!given.is_some_and(|t| tokens_match(t, &self.session.csrf_token))).then(|| cross_site(state, self.language()))
    }
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Where to come back to after signing in: the page asked for, or for a form sent after the
/// session ended, the page the form was on.
fn return_path(parts: &Parts) -> String {
    let path = parts.uri.path();
    if parts.method == Method::GET {
        return parts.uri.path_and_query().map_or(path, |p| p.as_str()).to_string();
    }
    match path.rsplit_once('/') {
        Some((parent, _)) if !parent.is_empty() => parent.to_string(),
        _ => "/".to_string(),
    }
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let to_sign_in = |ended: bool| {
            let next = return_path(parts);
            let mut to = format!("/sign-in?next={}", encode(&next));
            if ended {
                to.push_str("&ended=1");
            }
            Redirect::to(&to).into_response()
        };
        let Some(cookie) = session_cookie(&parts.headers) else {
            return Err(to_sign_in(false));
        };
        let (store, policy, now) = (state.store.as_ref(), Policy::of(&state.config), state.clock.now());
        match sessions::look_up(store, &policy, &cookie, now).await {
            Ok(Some(Resumed::Full(session))) => Ok(Signed { session, cookie }),
            // Half signed in: the second factor comes first, then the page asked for.
            Ok(Some(Resumed::Pending(_))) => {
                Err(Redirect::to(&format!("/sign-in/code?next={}", encode(&return_path(parts)))).into_response())
            }
            Ok(None) => Err(to_sign_in(true)),
            Err(error) => {
                tracing::error!(%error, "the console could not reach the database");
                Err(unavailable(state, Language::Fi))
            }
        }
    }
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Whether a state-changing request comes from the console's own pages. Browsers send `Origin`
/// on every POST; it must name this server (as the browser addressed it, or as `public_url`
/// says). Without `Origin`, a `Sec-Fetch-Site` that is not same-origin is refused too.
pub(super) fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    let header_text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match header_text(header::ORIGIN.as_str()) {
        Some(origin) => {
            let public = url::Url::parse(public_url)
                .ok()
                .map(|u| u.origin().ascii_serialization());
            if public.as_deref() == Some(origin) {
                return true;
            }
            let host = header_text(header::HOST.as_str());
            let origin_host = url::Url::parse(origin).ok().and_then(|u| {
                let host = u.host_str()?.to_string();
                Some(match u.port() {
                    Some(port) => format!("{host}:{port}"),
                    None => host,
                })
            });
            matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
        }
        None => header_text("sec-fetch-site").is_none_or(|site| matches!(site, "same-origin" | "none")),
    }
}

/// Constant-time comparison, so that the token cannot be guessed a byte at a time.
fn tokens_match(given: &str, expected: &str) -> bool {
    let (given, expected) = (given.as_bytes(), expected.as_bytes());
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// A form sent by a signed-in person from a console page: same origin, with the session's CSRF
/// token. Anything else is refused before the handler runs.
pub struct Posted {
    pub signed: Signed,
    pub fields: Vec<(String, String)>,
}

impl Posted {
    pub fn field(&self, name: &str) -> Option<&str> {
        form::field(&self.fields, name)
    }
}

impl FromRequest<AppState> for Posted {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let signed = Signed::from_request_parts(&mut parts, state).await?;
        if let Some(refused) = signed.origin_refusal(&parts, state) {
            return Err(refused);
        }
        let body = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let fields = form::fields(&parts.headers, &body);
        if let Some(refused) = signed.csrf_refusal(form::field(&fields, "csrf"), state) {
            return Err(refused);
        }
        Ok(Posted { signed, fields })
    }
}

fn cross_site(state: &AppState, language: Language) -> Response {
    tracing::warn!("console: a state change without this console's origin or CSRF token was refused");
    message(state, language, StatusCode::FORBIDDEN, "console-cross-site")
}

/// The person shown in the header.
#[derive(Serialize)]
struct Me {
    name: String,
    role: String,
    /// Approvers manage accounts; the menu offers that page to them alone.
    approves: bool,
    /// Coordinators and approvers read the roster and the audit log, which name people.
    coordinates: bool,
}

/// What every page template gets, beside its own fields.
#[derive(Clone)]
pub struct Page<'a> {
    pub state: &'a AppState,
    pub language: Language,
    pub signed: Option<&'a Signed>,
    pub section: &'static str,
    pub title: String,
    pub notice: Option<String>,
    pub error: Option<String>,
}

impl<'a> Page<'a> {
    pub fn new(state: &'a AppState, signed: &'a Signed, section: &'static str, title_id: &str) -> Page<'a> {
        let language = signed.language();
        Page {
            state,
            language,
            signed: Some(signed),
            section,
            title: state.content.strings.get(language, title_id),
            notice: None,
            error: None,
        }
    }

    /// A page for someone not (or not yet fully) signed in: no menu, no form token.
    pub fn anonymous(state: &'a AppState, language: Language, title_id: &str) -> Page<'a> {
        Page {
            state,
            language,
            signed: None,
            section: "",
            title: state.content.strings.get(language, title_id),
            notice: None,
            error: None,
        }
    }

    pub fn t(&self, id: &str) -> String {
        self.state.content.strings.get(self.language, id)
    }

    /// Renders `template` with the page's own fields merged over the common ones.
    pub fn render(&self, status: StatusCode, template: &str, fields: impl Serialize) -> Response {
        let me = self.signed.map(|s| Me {
            name: s.session.account.name.clone(),
            role: self.t(&format!("role-{}", s.session.account.role)),
            approves: s.session.account.role == Role::Approver,
            coordinates: s.session.account.role.coordinates(),
        });
        let common = minijinja::context! {
            lang => self.language.code(),
            t => translator(self.state.content.clone(), self.language),
            me => Value::from(minijinja::value::Serde(&me)),
            csrf => self.signed.map(|s| s.session.csrf_token.clone()),
            section => self.section,
            title => &self.title,
            notice => &self.notice,
            error => &self.error,
        };
        let context = minijinja::context! { ..Value::from(minijinja::value::Serde(fields)), ..common };
        match self.state.content.templates.render(template, &context) {
            Ok(html) => html_response(status, html),
            Err(error) => {
                tracing::error!(%error, template, "rendering a console page failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be rendered").into_response()
            }
        }
    }
}

fn html_response(status: StatusCode, html: String) -> Response {
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONSOLE_CSP));
    // The referrer stays on this server, and forms carry a real `Origin` for the check.
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

/// `t("id", name=value, …)` in templates: the Fluent message in the page's language. An id that
/// does not exist is an error of the template, reported when it renders.
fn translator(content: Arc<Content>, language: Language) -> Value {
    Value::from_function(move |id: &str, kwargs: Kwargs| {
        let mut args = FluentArgs::new();
        for name in kwargs.args() {
            let value: Value = kwargs.get(name)?;
            let value = match value.as_i64() {
                Some(n) => FluentValue::from(n),
                None => FluentValue::from(value.to_string()),
            };
            args.set(name.to_string(), value);
        }
        content.strings.lookup(language, id, &args).ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("no message `{id}` in the {language} strings"),
            )
        })
    })
}

/// The words for a unit the validator counts in.
pub(super) fn unit_words(unit: crate::brief::Unit) -> &'static str {
    use crate::brief::Unit;
    match unit {
        Unit::Chars => "editor-unit-chars",
        Unit::Utf16 => "editor-unit-utf16",
        Unit::Bytes => "editor-unit-bytes",
        Unit::XWeighted => "editor-unit-x-weighted",
        Unit::Hashtags => "editor-unit-hashtags",
    }
}

/// A validator problem's rule in the person's language; its English words where the strings
/// have no message for it (a content folder's older copy, say).
pub(super) fn problem_rule(state: &AppState, language: Language, problem: &crate::brief::Problem) -> String {
    use crate::brief::Arg;
    let strings = &state.content.strings;
    let mut args = FluentArgs::new();
    for (name, value) in &problem.words.args {
        let value = match value {
            Arg::Number(n) => crate::pack::format_number(language, *n as u64),
            Arg::Text(text) => text.clone(),
            Arg::Unit(unit) => strings.get(language, unit_words(*unit)),
        };
        args.set(*name, FluentValue::from(value));
    }
    if problem.words.id.is_empty() {
        return problem.rule.clone();
    }
    strings
        .lookup(language, problem.words.id, &args)
        .unwrap_or_else(|| problem.rule.clone())
}

/// A page with one message and nothing else: not found, refused, unavailable.
fn message(state: &AppState, language: Language, status: StatusCode, id: &str) -> Response {
    let page = Page::anonymous(state, language, id);
    page.render(
        status,
        "console/message.html",
        serde_json::json!({ "back": "/", "back_label": page.t("console-nav-briefs") }),
    )
}

fn unavailable(state: &AppState, language: Language) -> Response {
    message(state, language, StatusCode::SERVICE_UNAVAILABLE, "console-unavailable")
}

fn not_found(state: &AppState, language: Language) -> Response {
    message(state, language, StatusCode::NOT_FOUND, "console-not-found")
}

/// A use case refused for the person's role: what they hold and what it needs, in their words.
fn forbidden(page: &Page, needed: &str) -> Response {
    let role = page
        .signed
        .map_or(String::new(), |s| page.t(&format!("role-{}", s.session.account.role)));
    let text = page.state.content.strings.get_with(
        page.language,
        "console-forbidden",
        &[("role", role.into()), ("needed", page.t(needed).into())],
    );
    let mut page = page.clone();
    page.title = text;
    page.render(
        StatusCode::FORBIDDEN,
        "console/message.html",
        serde_json::json!({ "back": "/briefs", "back_label": page.t("console-nav-briefs") }),
    )
}

/// The words for the role a refused use case needed.
fn needed_for(denied: &Denied) -> &'static str {
    match denied.needs {
        Role::Approver => "console-needs-approver",
        Role::Coordinator => "console-needs-coordinator",
        Role::Ops => "console-needs-ops",
    }
}
