//! Signing in and out. The sign-in form has no session yet, so its protection against
//! cross-site use is the `Origin` check and the `SameSite=Strict` cookie; the throttling and the
//! one refusal message for every reason live in the use case.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::{COOKIE, Page, Posted, cross_site, same_origin, unavailable};
use crate::language::Language;
use crate::service::sessions::{self, Policy, SignInError, SignedIn};
use crate::store::SessionStage;
use crate::web::{AppState, form};

/// The client's network address, for throttling and the audit log: the connection's own peer.
/// A proxy's `X-Forwarded-For` is not believed, since anyone can send one.
pub struct PeerAddress(pub String);

impl FromRequestParts<AppState> for PeerAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_string(), |ConnectInfo(a)| a.ip().to_string());
        Ok(PeerAddress(address))
    }
}

#[derive(Deserialize)]
pub struct SignInQuery {
    next: Option<String>,
    lang: Option<String>,
    ended: Option<String>,
    out: Option<String>,
    changed: Option<String>,
}

#[derive(Serialize)]
struct LanguageLink {
    code: &'static str,
    name: &'static str,
    href: String,
}

/// A path on this server to return to; anything else (another host, `//host`, a scheme) is
/// dropped, so the form cannot be used to send someone elsewhere after signing in.
pub(super) fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => String::new(),
    }
}

/// The language of a page shown before anyone is known: asked for in the address, else the
/// browser's first of fi, sv and en, else Finnish.
fn page_language(asked: Option<&str>, headers: &HeaderMap) -> Language {
    if let Some(language) = asked.and_then(|l| l.parse().ok()) {
        return language;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .into_iter()
        .flat_map(|v| v.split(','))
        .filter_map(|item| item.split(';').next())
        .filter_map(|tag| tag.trim().split('-').next().map(str::to_ascii_lowercase))
        .find_map(|primary| primary.parse().ok())
        .unwrap_or(Language::Fi)
}

pub(super) fn render(
    state: &AppState,
    language: Language,
    status: StatusCode,
    next: &str,
    email: &str,
    notice: Option<&str>,
    error: Option<&str>,
) -> Response {
    let mut page = Page::anonymous(state, language, "sign-in-title");
    page.notice = notice.map(|id| page.t(id));
    page.error = error.map(|id| page.t(id));
    let languages = Language::ALL.map(|l| {
        let mut href = format!("/sign-in?lang={}", l.code());
        if !next.is_empty() {
            href.push_str(&format!("&next={}", super::encode(next)));
        }
        LanguageLink {
            code: l.code(),
            name: l.own_name(),
            href,
        }
    });
    page.render(
        status,
        "console/sign_in.html",
        serde_json::json!({ "next": next, "email": email, "languages": languages }),
    )
}

pub async fn page(State(state): State<AppState>, Query(q): Query<SignInQuery>, headers: HeaderMap) -> Response {
    let language = page_language(q.lang.as_deref(), &headers);
    let notice = if q.ended.is_some() {
        Some("sign-in-ended")
    } else if q.out.is_some() {
        Some("sign-in-signed-out")
    } else if q.changed.is_some() {
        Some("sign-in-password-changed")
    } else {
        None
    };
    render(
        &state,
        language,
        StatusCode::OK,
        &local_path(q.next.as_deref()),
        "",
        notice,
        None,
    )
}

pub(super) fn session_cookie(state: &AppState, value: &str, max_age: i64) -> HeaderValue {
    let secure = if state.config.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static("briefcast_session=; Max-Age=0"))
}

pub async fn submit(
    State(state): State<AppState>,
    PeerAddress(address): PeerAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = form::fields(&headers, &body);
    let field = |name| form::field(&fields, name).unwrap_or("");
    let language = page_language(Some(field("lang")), &headers);
    if !same_origin(&headers, &state.config.public_url) {
        return cross_site(&state, language);
    }
    let next = local_path(Some(field("next")));
    let (email, password) = (field("email").trim(), field("password"));
    if email.is_empty() || password.is_empty() {
        return render(
            &state,
            language,
            StatusCode::UNPROCESSABLE_ENTITY,
            &next,
            email,
            None,
            Some("sign-in-missing"),
        );
    }
    let policy = Policy::of(&state.config);
    match sessions::sign_in(
        state.store.as_ref(),
        &policy,
        email,
        password,
        &address,
        state.clock.now(),
    )
    .await
    {
        Ok(signed_in) => signed_in_response(&state, &signed_in, &next),
        Err(SignInError::Refused | SignInError::WrongCode) => render(
            &state,
            language,
            StatusCode::UNAUTHORIZED,
            &next,
            email,
            None,
            Some("sign-in-refused"),
        ),
        Err(SignInError::Store(error)) => {
            tracing::error!(%error, "signing in could not reach the database");
            unavailable(&state, language)
        }
    }
}

/// Where a session just begun goes: on to the page asked for, or to give the second factor.
pub(super) fn signed_in_response(state: &AppState, signed_in: &SignedIn, next: &str) -> Response {
    let to = match signed_in.stage {
        SessionStage::Full if next.is_empty() => "/".to_string(),
        SessionStage::Full => next.to_string(),
        SessionStage::Code | SessionStage::Enrol if next.is_empty() => "/sign-in/code".to_string(),
        SessionStage::Code | SessionStage::Enrol => format!("/sign-in/code?next={}", super::encode(next)),
    };
    let max_age = Policy::of(&state.config).max_age.num_seconds();
    let mut response = Redirect::to(&to).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(state, &signed_in.cookie, max_age));
    response
}

pub async fn sign_out(State(state): State<AppState>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let language = signed.language();
    if let Err(error) =
        sessions::sign_out(state.store.as_ref(), &signed.session, &signed.cookie, state.clock.now()).await
    {
        tracing::error!(%error, "signing out could not reach the database");
        return unavailable(&state, language);
    }
    let mut response = Redirect::to(&format!("/sign-in?out=1&lang={}", language.code())).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&state, "", 0));
    response
}
