//! The delivery log in the console: filtered by edition, status, language and time, each
//! delivery with its history and the mail server's last answer, and uncertain or failed ones
//! sent again after a confirmation that names the risk. Ops see addresses masked, as the use
//! case gives them.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Helsinki;
use serde::{Deserialize, Serialize};

use super::{Page, Posted, Signed, encode, forbidden, needed_for, unavailable};
use crate::edition::{DeliveryRecord, DeliveryStatus, ResendTarget};
use crate::ids::{DeliveryId, EditionId};
use crate::language::Language;
use crate::pack::{format_datetime, format_number};
use crate::service::deliveries::{self as service, DeliveryError};
use crate::store::DeliveryQuery;
use crate::web::AppState;

const PAGE_SIZE: u64 = 100;

#[derive(Deserialize, Default)]
pub struct LogParams {
    edition: Option<String>,
    status: Option<String>,
    language: Option<String>,
    since: Option<String>,
    until: Option<String>,
    offset: Option<u64>,
    notice: Option<String>,
    delivery: Option<String>,
}

fn typed(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// A `datetime-local` field's value, read as Helsinki time.
fn helsinki(text: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").ok()?;
    Helsinki
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// The filters as typed, each checked; a value that does not read is named, not ignored.
struct Filters {
    query: DeliveryQuery,
    problems: Vec<String>,
}

fn filters(page: &Page, p: &LogParams) -> Filters {
    let mut problems = Vec::new();
    let mut problem = |field: &str| problems.push(page.t(&format!("deliveries-bad-{field}")));
    let edition = typed(p.edition.as_deref()).and_then(|e| e.parse::<EditionId>().map_err(|_| problem("edition")).ok());
    let status =
        typed(p.status.as_deref()).and_then(|s| s.parse::<DeliveryStatus>().map_err(|_| problem("status")).ok());
    let language =
        typed(p.language.as_deref()).and_then(|l| l.parse::<Language>().map_err(|_| problem("language")).ok());
    let active_since =
        typed(p.since.as_deref()).and_then(|t| helsinki(t).or_else(|| problem_none(&mut problem, "since")));
    let active_until =
        typed(p.until.as_deref()).and_then(|t| helsinki(t).or_else(|| problem_none(&mut problem, "until")));
    let delivery = typed(p.delivery.as_deref()).and_then(|d| d.parse::<DeliveryId>().ok());
    Filters {
        query: DeliveryQuery {
            edition,
            status,
            language,
            active_since,
            active_until,
            delivery,
            limit: PAGE_SIZE + 1,
            offset: p.offset.unwrap_or(0),
        },
        problems,
    }
}

fn problem_none<T>(problem: &mut impl FnMut(&str), field: &str) -> Option<T> {
    problem(field);
    None
}

#[derive(Serialize)]
struct Event {
    status: String,
    at: String,
    detail: String,
}

#[derive(Serialize)]
struct Row {
    id: DeliveryId,
    edition: EditionId,
    email: String,
    language: &'static str,
    status: &'static str,
    status_label: String,
    attempts: u32,
    last_response: String,
    events: Vec<Event>,
    resendable: bool,
}

fn row(page: &Page, d: &DeliveryRecord) -> Row {
    Row {
        id: d.id,
        edition: d.edition,
        email: d.email.clone().unwrap_or_else(|| page.t("deliveries-erased")),
        language: d.language.parse::<Language>().map_or("", Language::code),
        status: d.status.as_str(),
        status_label: page.t(&format!("delivery-status-{}", d.status)),
        attempts: d.attempts,
        last_response: d.last_response.clone().unwrap_or_default(),
        events: d
            .events
            .iter()
            .map(|e| Event {
                status: e
                    .status
                    .parse::<DeliveryStatus>()
                    .map_or_else(|_| e.status.clone(), |s| page.t(&format!("delivery-status-{s}"))),
                at: format_datetime(page.language, e.at),
                detail: e.detail.clone(),
            })
            .collect(),
        resendable: d.status.is_resendable(),
    }
}

fn failed(page: &Page, error: DeliveryError) -> Response {
    match error {
        DeliveryError::Denied(denied) => forbidden(page, needed_for(&denied)),
        other => {
            tracing::error!(error = %other, "a console delivery page failed");
            unavailable(page.state, page.language)
        }
    }
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: String,
    selected: bool,
}

/// The link to this listing with the same filters and another offset.
fn page_link(p: &LogParams, offset: u64) -> String {
    let mut parts = vec![format!("offset={offset}")];
    for (name, value) in [
        ("edition", &p.edition),
        ("status", &p.status),
        ("language", &p.language),
        ("since", &p.since),
        ("until", &p.until),
    ] {
        if let Some(value) = typed(value.as_deref()) {
            parts.push(format!("{name}={}", encode(value)));
        }
    }
    format!("/deliveries?{}", parts.join("&"))
}

pub async fn log(State(state): State<AppState>, signed: Signed, Query(p): Query<LogParams>) -> Response {
    let mut page = Page::new(&state, &signed, "deliveries", "deliveries-title");
    let Filters { query, problems } = filters(&page, &p);
    if !problems.is_empty() {
        page.error = Some(problems.join(" "));
    }
    page.notice = p.notice.as_deref().and_then(|n| match n {
        "resent" => Some(page.t("deliveries-resent-notice")),
        "none" => Some(page.t("deliveries-none-resent")),
        _ => None,
    });
    let mut records = match service::log(state.store.as_ref(), &signed.session.caller, &query).await {
        Ok(records) => records,
        Err(error) => return failed(&page, error),
    };
    let more = records.len() as u64 > PAGE_SIZE;
    records.truncate(PAGE_SIZE as usize);
    let rows: Vec<Row> = records.iter().map(|d| row(&page, d)).collect();
    let mut statuses = vec![Choice {
        value: "",
        label: page.t("deliveries-any"),
        selected: query.status.is_none(),
    }];
    statuses.extend(DeliveryStatus::ALL.iter().map(|s| Choice {
        value: s.as_str(),
        label: page.t(&format!("delivery-status-{s}")),
        selected: query.status == Some(*s),
    }));
    let mut languages = vec![Choice {
        value: "",
        label: page.t("deliveries-any"),
        selected: query.language.is_none(),
    }];
    languages.extend(Language::ALL.iter().map(|l| Choice {
        value: l.code(),
        label: l.own_name().to_string(),
        selected: query.language == Some(*l),
    }));
    // Every uncertain or failed one of an edition at once, when the list is narrowed to them.
    let resend_all = match (query.edition, query.status) {
        (Some(edition), Some(status)) if status.is_resendable() && !rows.is_empty() => {
            Some(format!("/deliveries/resend?edition={edition}&status={status}"))
        }
        _ => None,
    };
    page.render(
        StatusCode::OK,
        "console/deliveries.html",
        serde_json::json!({
            "deliveries": rows,
            "statuses": statuses,
            "languages": languages,
            "edition": typed(p.edition.as_deref()),
            "since": typed(p.since.as_deref()),
            "until": typed(p.until.as_deref()),
            "older": more.then(|| page_link(&p, query.offset + PAGE_SIZE)),
            "newer": (query.offset > 0).then(|| page_link(&p, query.offset.saturating_sub(PAGE_SIZE))),
            "resend_all": resend_all,
        }),
    )
}

/// What a resend would do: one delivery, or every one of an edition in a status.
enum Target {
    One(DeliveryId),
    Edition(EditionId, DeliveryStatus),
}

fn target_of(delivery: Option<&str>, edition: Option<&str>, status: Option<&str>) -> Option<Target> {
    if let Some(id) = delivery.and_then(|d| d.parse::<DeliveryId>().ok()) {
        return Some(Target::One(id));
    }
    let edition = edition?.parse::<EditionId>().ok()?;
    let status = status?.parse::<DeliveryStatus>().ok().filter(|s| s.is_resendable())?;
    Some(Target::Edition(edition, status))
}

#[derive(Deserialize)]
pub struct ResendParams {
    delivery: Option<String>,
    edition: Option<String>,
    status: Option<String>,
}

/// The confirmation: which deliveries, how many, and for uncertain ones that their readers may
/// get the message twice; the decision is recorded under the person's name.
pub async fn confirm_resend(State(state): State<AppState>, signed: Signed, Query(p): Query<ResendParams>) -> Response {
    let page = Page::new(&state, &signed, "deliveries", "resend-title");
    let Some(target) = target_of(p.delivery.as_deref(), p.edition.as_deref(), p.status.as_deref()) else {
        return Redirect::to("/deliveries").into_response();
    };
    let query = match &target {
        Target::One(id) => DeliveryQuery {
            delivery: Some(*id),
            limit: 1,
            ..Default::default()
        },
        Target::Edition(edition, status) => DeliveryQuery {
            edition: Some(*edition),
            status: Some(*status),
            limit: PAGE_SIZE + 1,
            ..Default::default()
        },
    };
    let records = match service::log(state.store.as_ref(), &signed.session.caller, &query).await {
        Ok(records) => records,
        Err(error) => return failed(&page, error),
    };
    let resendable: Vec<&DeliveryRecord> = records.iter().filter(|d| d.status.is_resendable()).collect();
    if resendable.is_empty() {
        return Redirect::to("/deliveries?notice=none").into_response();
    }
    let uncertain = resendable.iter().any(|d| d.status == DeliveryStatus::Uncertain);
    let count_text = match &target {
        Target::One(_) => page.t("resend-one"),
        Target::Edition(edition, status) => page.state.content.strings.get_with(
            page.language,
            "resend-edition",
            &[
                ("edition", edition.to_string().into()),
                ("status", page.t(&format!("delivery-status-{status}")).into()),
                (
                    "more",
                    if records.len() as u64 > PAGE_SIZE { "yes" } else { "no" }.into(),
                ),
                ("count", format_number(page.language, resendable.len() as u64).into()),
            ],
        ),
    };
    let rows: Vec<Row> = resendable
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|d| row(&page, d))
        .collect();
    page.render(
        StatusCode::OK,
        "console/resend_confirm.html",
        serde_json::json!({
            "count_text": count_text,
            "uncertain": uncertain,
            "deliveries": rows,
            "delivery": p.delivery,
            "edition": p.edition,
            "status": p.status,
        }),
    )
}

pub async fn resend(State(state): State<AppState>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let page = Page::new(&state, signed, "deliveries", "resend-title");
    let Some(target) = target_of(
        posted.field("delivery"),
        posted.field("edition"),
        posted.field("status"),
    ) else {
        return Redirect::to("/deliveries").into_response();
    };
    let (target, back) = match target {
        Target::One(id) => (ResendTarget::Deliveries(vec![id]), format!("delivery={id}")),
        Target::Edition(edition, status) => (ResendTarget::Edition { edition, status }, format!("edition={edition}")),
    };
    match service::resend(state.store.as_ref(), &signed.session.caller, &target, state.clock.now()).await {
        Ok(0) => Redirect::to(&format!("/deliveries?notice=none&{back}")).into_response(),
        Ok(_) => Redirect::to(&format!("/deliveries?notice=resent&{back}")).into_response(),
        Err(error) => failed(&page, error),
    }
}
