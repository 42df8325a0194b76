//! The roster in the console: the list with its filters and pages, a CSV imported as it
//! streams in with its report, and a person's page with their data, export and erasure.

use std::sync::atomic::Ordering;

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::{Page, Posted, Signed, cross_site, encode, forbidden, needed_for, not_found, unavailable};
use crate::audience::{EmailAddress, ImportReport, PLATFORMS};
use crate::cadence::Cadence;
use crate::language::Language;
use crate::pack::{format_datetime, format_number};
use crate::service::audience::{self as service, AudienceError, RosterFilter};
use crate::web::AppState;
use crate::web::influencers::capped_reader;

/// People on one page of the list.
const PAGE_SIZE: u64 = 50;

fn failed(page: &Page, error: AudienceError) -> Response {
    match error {
        AudienceError::Denied(denied) => forbidden(page, needed_for(&denied)),
        AudienceError::NoInfluencer(_) | AudienceError::NoSegment(_) => not_found(page.state, page.language),
        other => {
            tracing::error!(error = %other, "a console roster page failed");
            unavailable(page.state, page.language)
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    language: Option<String>,
    cadence: Option<String>,
    segment: Option<String>,
    platform: Option<String>,
    /// `yes` or `no`.
    suppressed: Option<String>,
    /// Words to find in a name or an address.
    q: Option<String>,
    #[serde(default)]
    offset: u64,
    notice: Option<String>,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct PersonRow {
    href: String,
    name: String,
    email: String,
    language: &'static str,
    cadence: String,
    platforms: String,
    followers: String,
    /// Why the person is not mailed, when they are not.
    suppressed: Option<String>,
}

fn choices(any: String, options: Vec<(String, String)>, current: Option<&str>) -> Vec<Choice> {
    let mut all = vec![Choice {
        value: String::new(),
        label: any,
        selected: current.is_none(),
    }];
    all.extend(options.into_iter().map(|(value, label)| Choice {
        selected: current == Some(value.as_str()),
        value,
        label,
    }));
    all
}

pub async fn list(State(state): State<AppState>, signed: Signed, Query(q): Query<ListQuery>) -> Response {
    let mut page = Page::new(&state, &signed, "roster", "roster-title");
    let (store, caller) = (state.store.as_ref(), &signed.session.caller);
    let language: Option<Language> = q.language.as_deref().and_then(|l| l.parse().ok());
    let cadence: Option<Cadence> = q.cadence.as_deref().and_then(|c| c.parse().ok());
    let segment = q.segment.clone().filter(|s| !s.is_empty());
    let platform = q.platform.clone().filter(|p| PLATFORMS.contains(&p.as_str()));
    let suppressed = match q.suppressed.as_deref() {
        Some("yes") => Some(true),
        Some("no") => Some(false),
        _ => None,
    };
    let search =
        q.q.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
    let filter = RosterFilter {
        language,
        cadence,
        segment: segment.clone(),
        platform: platform.clone(),
        suppressed,
        search: search.clone(),
        // One more than a page, to know whether there is a next one.
        limit: Some(PAGE_SIZE + 1),
        offset: q.offset,
    };
    let mut people = match service::list(store, caller, filter).await {
        Ok(people) => people,
        Err(AudienceError::NoSegment(_)) => {
            page.error = Some(page.t("roster-no-segment"));
            Vec::new()
        }
        Err(error) => return failed(&page, error),
    };
    let segments = match service::segments(store, caller).await {
        Ok(segments) => segments,
        Err(error) => return failed(&page, error),
    };
    let has_next = people.len() as u64 > PAGE_SIZE;
    people.truncate(PAGE_SIZE as usize);
    let suppressions = match service::suppressions_among(store, caller, &people).await {
        Ok(found) => found,
        Err(error) => return failed(&page, error),
    };
    let ui = page.language;
    let rows: Vec<PersonRow> = people
        .iter()
        .map(|p| {
            let i = &p.influencer;
            PersonRow {
                href: format!("/roster/{}", encode(i.email.as_str())),
                name: i.name.clone(),
                email: i.email.to_string(),
                language: i.language.own_name(),
                cadence: page.state.content.strings.get(ui, &format!("cadence-{}", i.cadence)),
                platforms: i.platforms.join(", "),
                followers: format_number(ui, i.followers),
                suppressed: suppressions
                    .iter()
                    .find(|(email, _)| *email == i.email)
                    .map(|(_, reason)| page.t(&format!("suppression-{}", reason.as_str()))),
            }
        })
        .collect();
    let query = |offset: u64| {
        let mut parts = vec![format!("offset={offset}")];
        for (name, value) in [
            ("language", language.map(|l| l.code().to_string())),
            ("cadence", cadence.map(|c| c.to_string())),
            ("segment", segment.clone()),
            ("platform", platform.clone()),
            ("suppressed", q.suppressed.clone().filter(|_| suppressed.is_some())),
            ("q", search.clone()),
        ] {
            if let Some(value) = value {
                parts.push(format!("{name}={}", encode(&value)));
            }
        }
        format!("/roster?{}", parts.join("&"))
    };
    let languages = Language::ALL
        .iter()
        .map(|l| (l.code().to_string(), l.own_name().to_string()))
        .collect();
    let cadences = Cadence::ALL
        .iter()
        .map(|c| (c.to_string(), page.t(&format!("cadence-{c}"))))
        .collect();
    let segment_names = segments
        .iter()
        .map(|s| (s.segment.name.to_string(), s.segment.name.to_string()))
        .collect();
    let platforms = PLATFORMS.iter().map(|p| (p.to_string(), p.to_string())).collect();
    let mailed = vec![
        ("no".to_string(), page.t("roster-filter-mailed")),
        ("yes".to_string(), page.t("roster-filter-suppressed")),
    ];
    let any = page.t("roster-filter-any");
    let from = if rows.is_empty() { 0 } else { q.offset + 1 };
    let range = state.content.strings.get_with(
        ui,
        "roster-page",
        &[("from", from.into()), ("to", (q.offset + rows.len() as u64).into())],
    );
    page.notice = (q.notice.as_deref() == Some("erased")).then(|| page.t("person-erased-notice"));
    page.render(
        StatusCode::OK,
        "console/roster.html",
        serde_json::json!({
            "people": rows,
            "languages": choices(any.clone(), languages, language.map(|l| l.code())),
            "cadences": choices(any.clone(), cadences, cadence.map(|c| c.as_str())),
            "segments": choices(any.clone(), segment_names, segment.as_deref()),
            "platforms": choices(any.clone(), platforms, platform.as_deref()),
            "mailed": choices(any, mailed, q.suppressed.as_deref().filter(|_| suppressed.is_some())),
            "search": search,
            "range": range,
            "previous": (q.offset > 0).then(|| query(q.offset.saturating_sub(PAGE_SIZE))),
            "next": has_next.then(|| query(q.offset + PAGE_SIZE)),
        }),
    )
}

pub async fn import_page(State(state): State<AppState>, signed: Signed) -> Response {
    let page = Page::new(&state, &signed, "roster", "import-title");
    if let Err(denied) = signed.session.caller.must_coordinate() {
        return forbidden(&page, needed_for(&denied));
    }
    page.render(
        StatusCode::OK,
        "console/import.html",
        serde_json::json!({ "report": null }),
    )
}

#[derive(Serialize)]
struct Rejected {
    line: u64,
    email: String,
    reason: String,
}

/// The rows left out, as a CSV to download straight from the page: the report is not kept.
fn rejected_csv(report: &ImportReport) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["line", "email", "reason"]);
    for row in &report.rejected {
        let _ = writer.write_record([row.line.to_string().as_str(), row.email.as_str(), row.reason.as_str()]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    format!(
        "data:text/csv;charset=utf-8,{}",
        url::form_urlencoded::byte_serialize(&bytes)
            .collect::<String>()
            .replace('+', "%20")
    )
}

/// The CSV arrives as a `multipart/form-data` upload and is read as it streams in, as the API
/// reads its body: the CSRF field comes first in the form, and is checked before a byte of the
/// file is read.
pub async fn import(State(state): State<AppState>, request: Request) -> Response {
    let (mut parts, body) = request.into_parts();
    let signed = match Signed::from_request_parts(&mut parts, &state).await {
        Ok(signed) => signed,
        Err(to_sign_in) => return to_sign_in,
    };
    if let Some(refused) = signed.origin_refusal(&parts, &state) {
        return refused;
    }
    let language = signed.language();
    let mut page = Page::new(&state, &signed, "roster", "import-title");
    let boundary = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok());
    let Some(boundary) = boundary else {
        return cross_site(&state, language);
    };
    let mut form = multer::Multipart::new(Body::into_data_stream(body), boundary);
    let csrf = match form.next_field().await {
        Ok(Some(field)) if field.name() == Some("csrf") => field.text().await.ok(),
        _ => None,
    };
    if let Some(refused) = signed.csrf_refusal(csrf.as_deref(), &state) {
        return refused;
    }
    let file = match form.next_field().await {
        Ok(Some(field)) if field.name() == Some("file") && field.file_name().is_some_and(|n| !n.is_empty()) => field,
        _ => {
            page.error = Some(page.t("import-missing"));
            return page.render(
                StatusCode::UNPROCESSABLE_ENTITY,
                "console/import.html",
                serde_json::json!({ "report": null }),
            );
        }
    };
    let (source, over_limit) = capped_reader(file);
    let now = state.clock.now();
    match service::import(state.store.as_ref(), &signed.session.caller, source, now).await {
        Ok(report) => {
            state.metrics.count_import(&report);
            let counts = state.content.strings.get_with(
                language,
                "import-counts",
                &[
                    ("new", report.new.into()),
                    ("updated", report.updated.into()),
                    ("unchanged", report.unchanged.into()),
                    ("rejected", report.rejected.len().into()),
                ],
            );
            let rejected: Vec<Rejected> = report
                .rejected
                .iter()
                .map(|r| Rejected {
                    line: r.line,
                    email: r.email.clone(),
                    reason: r.reason.clone(),
                })
                .collect();
            page.render(
                StatusCode::OK,
                "console/import.html",
                serde_json::json!({
                    "report": { "counts": counts, "rejected": rejected, "download": rejected_csv(&report) },
                }),
            )
        }
        Err(AudienceError::Import(error)) => {
            let reason = if over_limit.load(Ordering::Relaxed) {
                format!(
                    "the file is over {} MB",
                    crate::web::influencers::MAX_ROSTER_BYTES / (1024 * 1024)
                )
            } else {
                error.to_string()
            };
            page.error = Some(
                state
                    .content
                    .strings
                    .get_with(language, "import-failed", &[("reason", reason.into())]),
            );
            page.render(
                StatusCode::UNPROCESSABLE_ENTITY,
                "console/import.html",
                serde_json::json!({ "report": null }),
            )
        }
        Err(error) => failed(&page, error),
    }
}

#[derive(Serialize)]
struct ReplyRow {
    received: String,
    kind: String,
    channel: String,
}

#[derive(Serialize)]
struct DeliveryRow {
    edition: String,
    status: String,
    sent: String,
}

async fn person_page(
    state: &AppState,
    signed: &Signed,
    raw_email: &str,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let mut page = Page::new(state, signed, "roster", "roster-title");
    let Ok(email) = EmailAddress::parse(raw_email) else {
        return not_found(state, page.language);
    };
    let (store, caller) = (state.store.as_ref(), &signed.session.caller);
    let (data, suppressed) = match service::profile(store, caller, &email).await {
        Ok(profile) => profile,
        Err(error) => return failed(&page, error),
    };
    let ui = page.language;
    let strings = &state.content.strings;
    let i = &data.influencer.influencer;
    let counts = [
        ("deliveries", data.deliveries.len()),
        ("replies", data.replies.len()),
        ("questions", data.questions.len()),
    ];
    let with_counts = |id: &str| {
        let mut args: Vec<(&str, fluent_bundle::FluentValue)> = counts.iter().map(|(k, n)| (*k, (*n).into())).collect();
        args.push(("name", i.name.clone().into()));
        strings.get_with(ui, id, &args)
    };
    let deliveries: Vec<DeliveryRow> = data
        .deliveries
        .iter()
        .map(|d| DeliveryRow {
            edition: d["edition"].to_string(),
            status: d["status"].as_str().unwrap_or("").to_string(),
            sent: d["sent_at"]
                .as_str()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| format_datetime(ui, t.to_utc()))
                .unwrap_or_default(),
        })
        .collect();
    let replies: Vec<ReplyRow> = data
        .replies
        .iter()
        .map(|r| ReplyRow {
            received: r["received_at"]
                .as_str()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| format_datetime(ui, t.to_utc()))
                .unwrap_or_default(),
            kind: r["kind"].as_str().unwrap_or("").to_string(),
            channel: r["channel"].as_str().unwrap_or("").to_string(),
        })
        .collect();
    let facts = [
        ("person-email", i.email.to_string()),
        ("person-language", i.language.own_name().to_string()),
        ("person-cadence", strings.get(ui, &format!("cadence-{}", i.cadence))),
        ("person-platforms", i.platforms.join(", ")),
        ("person-followers", format_number(ui, i.followers)),
        ("person-topics", i.topics.join(", ")),
        ("person-region", i.region.clone()),
        ("person-tier", i.tier.clone()),
        (
            "person-consent",
            strings.get_with(
                ui,
                "person-consent-value",
                &[
                    ("when", format_datetime(ui, i.consent_at).into()),
                    ("source", i.consent_source.clone().into()),
                ],
            ),
        ),
    ]
    .map(|(id, value)| serde_json::json!({ "label": strings.get(ui, id), "value": value }));
    page.title = i.name.clone();
    page.error = error;
    let suppressed = suppressed.map(|reason| {
        strings.get_with(
            ui,
            "person-suppressed",
            &[(
                "reason",
                strings.get(ui, &format!("suppression-{}", reason.as_str())).into(),
            )],
        )
    });
    let base = format!("/roster/{}", encode(i.email.as_str()));
    page.render(
        status,
        "console/person.html",
        serde_json::json!({
            "name": i.name,
            "facts": facts,
            "suppressed": suppressed,
            "history": with_counts("person-history"),
            "deliveries": deliveries,
            "replies": replies,
            "export": format!("{base}/export"),
            "erase_action": format!("{base}/erase"),
            "erase_explain": with_counts("person-erase-explain"),
            "erase_confirm": with_counts("person-erase-confirm"),
        }),
    )
}

pub async fn person(State(state): State<AppState>, signed: Signed, Path(email): Path<String>) -> Response {
    person_page(&state, &signed, &email, StatusCode::OK, None).await
}

pub async fn export(State(state): State<AppState>, signed: Signed, Path(email): Path<String>) -> Response {
    let page = Page::new(&state, &signed, "roster", "roster-title");
    let Ok(address) = EmailAddress::parse(&email) else {
        return not_found(&state, page.language);
    };
    match service::export(state.store.as_ref(), &signed.session.caller, &address).await {
        Ok(data) => {
            let body = serde_json::to_string_pretty(&data).unwrap_or_default();
            let disposition = format!("attachment; filename=\"personal-data-{}.json\"", data.influencer.id);
            (
                [
                    (header::CONTENT_TYPE, "application/json".to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                body,
            )
                .into_response()
        }
        Err(error) => failed(&page, error),
    }
}

pub async fn erase(State(state): State<AppState>, Path(email): Path<String>, posted: Posted) -> Response {
    let signed = &posted.signed;
    if posted.field("confirm") != Some("yes") {
        let message = state.content.strings.get(signed.language(), "person-erase-unconfirmed");
        return person_page(&state, signed, &email, StatusCode::UNPROCESSABLE_ENTITY, Some(message)).await;
    }
    let page = Page::new(&state, signed, "roster", "roster-title");
    let Ok(address) = EmailAddress::parse(&email) else {
        return not_found(&state, page.language);
    };
    match service::erase(
        state.store.as_ref(),
        &signed.session.caller,
        &address,
        state.clock.now(),
    )
    .await
    {
        Ok(()) => Redirect::to("/roster?notice=erased").into_response(),
        Err(error) => failed(&page, error),
    }
}
