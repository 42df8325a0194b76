//! The second step of signing in (a code from an authenticator app), setting an app up, and the
//! person's own account page. A session that has only the password reaches nothing but these
//! pages; the rules are in `service::sessions`.

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use super::sign_in::{PeerAddress, local_path, render as render_sign_in, session_cookie, signed_in_response};
use super::{Page, Posted, Signed, cross_site, encode, same_origin, tokens_match, unavailable};
use crate::pack::format_datetime;
use crate::service::accounts::{self, AccountError};
use crate::service::sessions::{self, Pending, Policy, SignInError};
use crate::service::tokens::{self, TokenError};
use crate::store::SessionStage;
use crate::totp::Secret;
use crate::web::{AppState, form};

/// A session that has the password and owes its second factor.
pub struct HalfSigned {
    pending: Pending,
    cookie: String,
}

impl FromRequestParts<AppState> for HalfSigned {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let start_again = || Redirect::to("/sign-in?ended=1").into_response();
        let Some(cookie) = super::session_cookie(&parts.headers) else {
            return Err(start_again());
        };
        let policy = Policy::of(&state.config);
        match sessions::pending(state.store.as_ref(), &policy, &cookie, state.clock.now()).await {
            Ok(Some(pending)) => Ok(HalfSigned { pending, cookie }),
            Ok(None) => Err(start_again()),
            Err(error) => {
                tracing::error!(%error, "the console could not reach the database");
                Err(unavailable(state, crate::language::Language::Fi))
            }
        }
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The QR code of an `otpauth://` address, as an image the page's policy allows (`data:`).
fn qr_image(uri: &str) -> String {
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(200, 200)
                .build();
            format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg))
        }
        // An otpauth address is far below a QR code's capacity; the key below it still works.
        Err(_) => String::new(),
    }
}

/// The key as people type it: groups of four.
fn grouped(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a page that sets up an app shows: the secret, its QR code and its key.
fn enrolment_fields(state: &AppState, secret: &Secret, email: &str) -> serde_json::Value {
    let issuer = url::Url::parse(&state.config.public_url)
        .ok()
        .and_then(|u| u.host_str().map(|h| format!("briefcast ({h})")))
        .unwrap_or_else(|| "briefcast".to_string());
    let key = secret.base32();
    serde_json::json!({
        "secret": key,
        "key": grouped(&key),
        "qr": qr_image(&secret.provisioning_uri(&issuer, email)),
    })
}

fn render_step(
    state: &AppState,
    half: &HalfSigned,
    next: &str,
    secret: Option<&Secret>,
    error: Option<&str>,
) -> Response {
    let page = Page::anonymous(state, half.pending.session.account.language, "two-step-title");
    let enrol = half.pending.stage == SessionStage::Enrol;
    let mut fields = match (enrol, secret) {
        (true, Some(secret)) => enrolment_fields(state, secret, &half.pending.session.account.email),
        _ => serde_json::json!({}),
    };
    let action = if next.is_empty() {
        "/sign-in/code".to_string()
    } else {
        format!("/sign-in/code?next={}", encode(next))
    };
    if let Some(object) = fields.as_object_mut() {
        object.insert("stage".into(), (if enrol { "enrol" } else { "code" }).into());
        object.insert("intro".into(), enrol.into());
        object.insert("restart".into(), true.into());
        object.insert("action".into(), action.into());
        object.insert("next".into(), next.into());
        object.insert("form_csrf".into(), half.pending.session.csrf_token.clone().into());
        object.insert("error".into(), error.map(|id| page.t(id)).into());
    }
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page.render(status, "console/second_factor.html", fields)
}

pub async fn page(State(state): State<AppState>, half: HalfSigned, Query(q): Query<NextQuery>) -> Response {
    let next = local_path(q.next.as_deref());
    let secret = Secret::generate();
    render_step(&state, &half, &next, Some(&secret), None)
}

pub async fn submit(
    State(state): State<AppState>,
    half: HalfSigned,
    PeerAddress(address): PeerAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let language = half.pending.session.account.language;
    let fields = form::fields(&headers, &body);
    let field = |name| form::field(&fields, name).unwrap_or("");
    let csrf_right = tokens_match(field("csrf"), &half.pending.session.csrf_token);
    if !same_origin(&headers, &state.config.public_url) || !csrf_right {
        return cross_site(&state, language);
    }
    let next = local_path(Some(field("next")));
    let (store, now) = (state.store.as_ref(), state.clock.now());
    let (code, secret_text) = (field("code"), field("secret"));
    let outcome = match half.pending.stage {
        SessionStage::Enrol => {
            sessions::confirm_enrolment(store, &half.pending, &half.cookie, secret_text, code, &address, now).await
        }
        _ => sessions::confirm_code(store, &half.pending, &half.cookie, code, &address, now).await,
    };
    match outcome {
        Ok(signed_in) => signed_in_response(&state, &signed_in, &next),
        Err(SignInError::WrongCode) => {
            // The same key again, so the account already added to the app stays the right one.
            let secret = Secret::from_base32(secret_text).unwrap_or_else(|_| Secret::generate());
            render_step(&state, &half, &next, Some(&secret), Some("two-step-wrong"))
        }
        Err(SignInError::Refused) => {
            let mut response = render_sign_in(
                &state,
                language,
                StatusCode::UNAUTHORIZED,
                &next,
                &half.pending.session.account.email,
                None,
                Some("sign-in-refused"),
            );
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&state, "", 0));
            response
        }
        Err(SignInError::Store(error)) => {
            tracing::error!(%error, "the second step of signing in could not reach the database");
            unavailable(&state, language)
        }
    }
}

#[derive(Deserialize)]
pub struct AccountQuery {
    added: Option<String>,
    revoked: Option<String>,
    language: Option<String>,
}

#[derive(Serialize)]
struct TokenRow {
    id: String,
    label: String,
    created: String,
    used: String,
    state: String,
    live: bool,
}

/// What the account page shows beyond the person: a notice, a field's problem, a token just made.
#[derive(Default)]
struct Extra<'a> {
    notice: Option<&'a str>,
    code_error: Option<&'a str>,
    password_error: Option<&'a str>,
    new_token: Option<String>,
}

async fn render_account(state: &AppState, signed: &Signed, secret: &Secret, extra: Extra<'_>) -> Response {
    let mut page = Page::new(state, signed, "account", "account-title");
    page.notice = extra.notice.map(|id| page.t(id));
    let account = &signed.session.account;
    let own = match tokens::own(state.store.as_ref(), account).await {
        Ok(own) => own,
        Err(error) => {
            tracing::error!(%error, "the account page could not read the person's tokens");
            return unavailable(state, page.language);
        }
    };
    let rows: Vec<TokenRow> = own
        .iter()
        .map(|t| TokenRow {
            id: t.id.to_string(),
            label: t.label.clone(),
            created: format_datetime(page.language, t.created_at),
            used: t.last_used_at.map_or_else(
                || page.t("account-token-never"),
                |at| format_datetime(page.language, at),
            ),
            state: match t.revoked_at {
                Some(at) => state.content.strings.get_with(
                    page.language,
                    "account-token-revoked",
                    &[("when", format_datetime(page.language, at).into())],
                ),
                None => page.t("account-token-live"),
            },
            live: t.revoked_at.is_none(),
        })
        .collect();
    let code_error = extra.code_error;
    // The QR code is drawn only for someone who has no app yet.
    let mut fields = if account.second_factor {
        serde_json::json!({})
    } else {
        enrolment_fields(state, secret, &account.email)
    };
    if let Some(object) = fields.as_object_mut() {
        object.insert("account".into(), serde_json::json!(account));
        object.insert("role".into(), page.t(&format!("role-{}", account.role)).into());
        object.insert("language".into(), account.language.own_name().into());
        object.insert("code_error".into(), code_error.map(|id| page.t(id)).into());
        object.insert("tokens".into(), serde_json::json!(rows));
        object.insert("new_token".into(), extra.new_token.into());
        object.insert(
            "password_error".into(),
            extra.password_error.map(|id| page.t(id)).into(),
        );
        let languages: Vec<serde_json::Value> = crate::language::Language::ALL
            .iter()
            .map(
                |l| serde_json::json!({ "value": l.code(), "label": l.own_name(), "selected": *l == account.language }),
            )
            .collect();
        object.insert("languages".into(), languages.into());
    }
    let status = if code_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page.render(status, "console/account.html", fields)
}

pub async fn account(State(state): State<AppState>, signed: Signed, Query(q): Query<AccountQuery>) -> Response {
    let notice = if q.added.is_some() {
        Some("account-two-step-added")
    } else if q.revoked.is_some() {
        Some("account-token-revoked-notice")
    } else if q.language.is_some() {
        Some("account-language-saved")
    } else {
        None
    };
    let extra = Extra {
        notice,
        ..Extra::default()
    };
    render_account(&state, &signed, &Secret::generate(), extra).await
}

/// A token of the person's own, shown on the page this once.
pub async fn create_token(State(state): State<AppState>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let label = posted
        .field("label")
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .unwrap_or("API");
    let label: String = label.chars().filter(|c| !c.is_control()).take(100).collect();
    let (store, session) = (state.store.as_ref(), &signed.session);
    match tokens::create_own(store, &session.caller, &session.account, &label, state.clock.now()).await {
        Ok(made) => {
            let extra = Extra {
                new_token: Some(made.token),
                ..Extra::default()
            };
            let mut response = render_account(&state, signed, &Secret::generate(), extra).await;
            // The token is on this page alone: never kept by a cache.
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
            response
        }
        Err(error) => {
            tracing::error!(%error, "making a token could not reach the database");
            unavailable(&state, signed.language())
        }
    }
}

pub async fn revoke_token(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let Ok(id) = id.parse() else {
        return super::not_found(&state, signed.language());
    };
    let (store, session) = (state.store.as_ref(), &signed.session);
    match tokens::revoke_own(store, &session.caller, &session.account, id, state.clock.now()).await {
        Ok(_) => Redirect::to("/account?revoked=1").into_response(),
        Err(TokenError::Store(crate::store::StoreError::NotFound { .. })) => {
            super::not_found(&state, signed.language())
        }
        Err(error) => {
            tracing::error!(%error, "revoking a token failed");
            unavailable(&state, signed.language())
        }
    }
}

pub async fn add(State(state): State<AppState>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let (secret_text, code) = (posted.field("secret").unwrap_or(""), posted.field("code").unwrap_or(""));
    match sessions::add_second_factor(
        state.store.as_ref(),
        &signed.session,
        secret_text,
        code,
        state.clock.now(),
    )
    .await
    {
        Ok(true) => Redirect::to("/account?added=1").into_response(),
        Ok(false) => {
            let secret = Secret::from_base32(secret_text).unwrap_or_else(|_| Secret::generate());
            let extra = Extra {
                code_error: Some("two-step-wrong"),
                ..Extra::default()
            };
            render_account(&state, signed, &secret, extra).await
        }
        Err(error) => {
            tracing::error!(%error, "setting up two-step sign-in could not reach the database");
            unavailable(&state, signed.language())
        }
    }
}

/// The language of the person's own console; the next page is in it.
pub async fn set_language(State(state): State<AppState>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let Some(language) = posted.field("language").and_then(|l| l.parse().ok()) else {
        return cross_site(&state, signed.language());
    };
    match accounts::set_own_language(state.store.as_ref(), &signed.session, language, state.clock.now()).await {
        Ok(_) => Redirect::to("/account?language=1").into_response(),
        Err(error) => {
            tracing::error!(%error, "saving the console's language failed");
            unavailable(&state, signed.language())
        }
    }
}

/// A new password for oneself, after the current one; then signing in again with it.
pub async fn change_password(
    State(state): State<AppState>,
    PeerAddress(address): PeerAddress,
    posted: Posted,
) -> Response {
    let signed = &posted.signed;
    let (current, new) = (posted.field("current").unwrap_or(""), posted.field("new").unwrap_or(""));
    let now = state.clock.now();
    let words =
        match accounts::change_own_password(state.store.as_ref(), &signed.session, current, new, &address, now).await {
            Ok(_) => {
                let to = format!("/sign-in?changed=1&lang={}", signed.language().code());
                let mut response = Redirect::to(&to).into_response();
                response
                    .headers_mut()
                    .insert(header::SET_COOKIE, session_cookie(&state, "", 0));
                return response;
            }
            Err(AccountError::WrongCurrentPassword) => "account-password-wrong",
            Err(AccountError::Password(rejected)) => super::accounts::password_words(&rejected),
            Err(error) => {
                tracing::error!(%error, "changing one's password failed");
                return unavailable(&state, signed.language());
            }
        };
    let extra = Extra {
        password_error: Some(words),
        ..Extra::default()
    };
    let mut response = render_account(&state, signed, &Secret::generate(), extra).await;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}
