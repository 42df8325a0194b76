//! Accounts in the console, for approvers: everyone who signs in, giving someone an account,
//! and for one person a new password, taking a lost phone's app away, or disabling them. The
//! same use cases as `briefcast users`; the role is checked there.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::{Page, Posted, Signed, encode, forbidden, needed_for, not_found, unavailable};
use crate::access::Role;
use crate::account::{AccountSummary, NameRejected, PasswordRejected};
use crate::language::Language;
use crate::pack::format_datetime;
use crate::service::accounts::{self, AccountError, AccountRequest};
use crate::store::StoreError;
use crate::web::AppState;

const ROLES: [Role; 3] = [Role::Coordinator, Role::Approver, Role::Ops];

#[derive(Serialize)]
struct Row {
    href: String,
    name: String,
    email: String,
    role: String,
    language: &'static str,
    two_step: String,
    state: String,
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: String,
    selected: bool,
}

/// The new account's form as typed, and what is wrong with it, field by field.
#[derive(Debug, Default, Serialize)]
struct AddForm {
    email: String,
    name: String,
    role: String,
    language: String,
    email_error: Option<String>,
    name_error: Option<String>,
    password_error: Option<String>,
}

#[derive(Deserialize)]
pub struct Notice {
    done: Option<String>,
}

fn state_of(page: &Page, account: &AccountSummary) -> String {
    match account.disabled_at {
        Some(at) => page.state.content.strings.get_with(
            page.language,
            "accounts-disabled",
            &[("when", format_datetime(page.language, at).into())],
        ),
        None => page.t("accounts-active"),
    }
}

fn two_step(page: &Page, account: &AccountSummary) -> String {
    page.t(if account.second_factor {
        "accounts-yes"
    } else {
        "accounts-no"
    })
}

fn failed(page: &Page, error: AccountError) -> Response {
    match error {
        AccountError::Denied(denied) => forbidden(page, needed_for(&denied)),
        AccountError::Store(StoreError::NotFound { .. }) | AccountError::Email(_) => {
            not_found(page.state, page.language)
        }
        other => {
            tracing::error!(error = %other, "a console accounts page failed");
            unavailable(page.state, page.language)
        }
    }
}

pub(super) fn password_words(rejected: &PasswordRejected) -> &'static str {
    match rejected {
        PasswordRejected::TooShort => "password-too-short",
        PasswordRejected::TooLong => "password-too-long",
        PasswordRejected::Common => "password-common",
        PasswordRejected::ControlCharacters => "password-control",
    }
}

async fn render_list(state: &AppState, signed: &Signed, form: AddForm, notice: Option<String>) -> Response {
    let mut page = Page::new(state, signed, "accounts", "accounts-title");
    page.notice = notice;
    let invalid = form.email_error.is_some() || form.name_error.is_some() || form.password_error.is_some();
    if invalid {
        page.error = Some(page.t("account-not-added"));
    }
    let list = match accounts::list(state.store.as_ref(), &signed.session.caller).await {
        Ok(list) => list,
        Err(error) => return failed(&page, error),
    };
    let rows: Vec<Row> = list
        .iter()
        .map(|a| Row {
            href: format!("/accounts/{}", encode(&a.email)),
            name: a.name.clone(),
            email: a.email.clone(),
            role: page.t(&format!("role-{}", a.role)),
            language: a.language.own_name(),
            two_step: two_step(&page, a),
            state: state_of(&page, a),
        })
        .collect();
    let roles: Vec<Choice> = ROLES
        .iter()
        .map(|r| Choice {
            value: r.as_str(),
            label: page.t(&format!("role-{r}")),
            selected: form.role == r.as_str(),
        })
        .collect();
    let languages: Vec<Choice> = Language::ALL
        .iter()
        .map(|l| Choice {
            value: l.code(),
            label: l.own_name().to_string(),
            selected: form.language == l.code(),
        })
        .collect();
    let status = if invalid {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page.render(
        status,
        "console/accounts.html",
        serde_json::json!({ "accounts": rows, "form": form, "roles": roles, "languages": languages }),
    )
}

pub async fn list(State(state): State<AppState>, signed: Signed, Query(q): Query<Notice>) -> Response {
    let notice = q.done.map(|name| {
        state
            .content
            .strings
            .get_with(signed.language(), "account-added-notice", &[("name", name.into())])
    });
    render_list(&state, &signed, AddForm::default(), notice).await
}

pub async fn add(State(state): State<AppState>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let field = |name| posted.field(name).unwrap_or("").to_string();
    let mut form = AddForm {
        email: field("email").trim().to_string(),
        name: field("name").trim().to_string(),
        role: field("role"),
        language: field("language"),
        ..AddForm::default()
    };
    let t = |id: &str| state.content.strings.get(signed.language(), id);
    let (Ok(role), Ok(language)) = (form.role.parse::<Role>(), form.language.parse::<Language>()) else {
        // Both come from lists on the page; anything else was not sent from it.
        return super::cross_site(&state, signed.language());
    };
    let password = field("password");
    let request = AccountRequest {
        email: &form.email,
        name: &form.name,
        role,
        language,
        password: &password,
    };
    match accounts::add(state.store.as_ref(), &signed.session.caller, request, state.clock.now()).await {
        Ok(account) => Redirect::to(&format!("/accounts?done={}", encode(&account.name))).into_response(),
        Err(AccountError::Email(_)) => {
            form.email_error = Some(t("account-error-email"));
            render_list(&state, signed, form, None).await
        }
        Err(AccountError::Store(StoreError::Conflict { .. })) => {
            form.email_error = Some(t("account-error-taken"));
            render_list(&state, signed, form, None).await
        }
        Err(AccountError::Name(rejected)) => {
            form.name_error = Some(t(match rejected {
                NameRejected::Empty => "account-error-name-empty",
                NameRejected::TooLong | NameRejected::ControlCharacters => "account-error-name",
            }));
            render_list(&state, signed, form, None).await
        }
        Err(AccountError::Password(rejected)) => {
            form.password_error = Some(t(password_words(&rejected)));
            render_list(&state, signed, form, None).await
        }
        Err(other) => failed(&Page::new(&state, signed, "accounts", "accounts-title"), other),
    }
}

async fn render_one(
    state: &AppState,
    signed: &Signed,
    email: &str,
    status: StatusCode,
    notice: Option<&str>,
    error: Option<(&'static str, String)>,
) -> Response {
    let mut page = Page::new(state, signed, "accounts", "accounts-title");
    let account = match accounts::show(state.store.as_ref(), &signed.session.caller, email).await {
        Ok(account) => account,
        Err(error) => return failed(&page, error),
    };
    page.title = account.name.clone();
    page.notice = notice.map(|id| page.t(id));
    let (error_field, error_text) = match error {
        Some((field, text)) => (Some(field), Some(text)),
        None => (None, None),
    };
    let confirm = state.content.strings.get_with(
        page.language,
        "account-disable-confirm",
        &[("name", account.name.clone().into())],
    );
    page.render(
        status,
        "console/account_admin.html",
        serde_json::json!({
            "account": account,
            "base": format!("/accounts/{}", encode(&account.email)),
            "role": page.t(&format!("role-{}", account.role)),
            "language": account.language.own_name(),
            "two_step": two_step(&page, &account),
            "state": state_of(&page, &account),
            "disable_confirm": confirm,
            "error_field": error_field,
            "error_text": error_text,
        }),
    )
}

pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Path(email): Path<String>,
    Query(q): Query<Notice>,
) -> Response {
    let notice = match q.done.as_deref() {
        Some("password") => Some("account-reset-notice"),
        Some("totp") => Some("account-totp-removed-notice"),
        Some("disabled") => Some("account-disabled-notice"),
        _ => None,
    };
    render_one(&state, &signed, &email, StatusCode::OK, notice, None).await
}

fn done(email: &str, what: &str) -> Response {
    Redirect::to(&format!("/accounts/{}?done={what}", encode(email))).into_response()
}

pub async fn reset_password(State(state): State<AppState>, Path(email): Path<String>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let password = posted.field("password").unwrap_or("");
    let now = state.clock.now();
    match accounts::reset_password(state.store.as_ref(), &signed.session.caller, &email, password, now).await {
        Ok(_) => done(&email, "password"),
        Err(AccountError::Password(rejected)) => {
            let text = state.content.strings.get(signed.language(), password_words(&rejected));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_one(&state, signed, &email, status, None, Some(("password", text))).await
        }
        Err(other) => failed(&Page::new(&state, signed, "accounts", "accounts-title"), other),
    }
}

pub async fn remove_totp(State(state): State<AppState>, Path(email): Path<String>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let now = state.clock.now();
    match accounts::remove_second_factor(state.store.as_ref(), &signed.session.caller, &email, now).await {
        Ok(_) => done(&email, "totp"),
        Err(other) => failed(&Page::new(&state, signed, "accounts", "accounts-title"), other),
    }
}

pub async fn disable(State(state): State<AppState>, Path(email): Path<String>, posted: Posted) -> Response {
    let signed = &posted.signed;
    if posted.field("confirm") != Some("yes") {
        let text = state
            .content
            .strings
            .get(signed.language(), "account-disable-unconfirmed");
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render_one(&state, signed, &email, status, None, Some(("confirm", text))).await;
    }
    let now = state.clock.now();
    match accounts::disable(state.store.as_ref(), &signed.session.caller, &email, now).await {
        Ok(_) => done(&email, "disabled"),
        Err(other) => failed(&Page::new(&state, signed, "accounts", "accounts-title"), other),
    }
}
