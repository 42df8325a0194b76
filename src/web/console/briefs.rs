//! Briefs in the console: the list by status, a brief with its problems and its packs in every
//! language side by side, approval and withdrawal, and a new brief pasted or uploaded.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Page, Posted, Signed, forbidden, needed_for, not_found, unavailable};
use crate::brief::{BriefFormat, BriefStatus, LifecycleError, validate};
use crate::ids::BriefId;
use crate::language::Language;
use crate::pack::{LanguagePolicy, Preview, format_datetime};
use crate::service::briefs::{self as service, BriefError};
use crate::store::StoredBrief;
use crate::web::AppState;

const STATUSES: [BriefStatus; 6] = [
    BriefStatus::Draft,
    BriefStatus::Approved,
    BriefStatus::Queued,
    BriefStatus::Sent,
    BriefStatus::Withdrawn,
    BriefStatus::Expired,
];

/// A brief's title for someone who reads `language`: in it when the brief has it, else in the
/// first language the brief has.
pub(super) fn title_for(stored: &StoredBrief, language: Language) -> String {
    let brief = &stored.brief;
    brief
        .block(language)
        .or_else(|| brief.languages().first().and_then(|l| brief.block(*l)))
        .map(|b| b.title.clone())
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| brief.meta.slug.clone())
}

/// When the brief last changed, as a form carries it back: a form sent after another change
/// is stale.
pub(super) fn stamp(at: DateTime<Utc>) -> String {
    at.timestamp_micros().to_string()
}

#[derive(Serialize)]
struct Row {
    id: BriefId,
    title: String,
    status: &'static str,
    status_label: String,
    urgent: bool,
    problems: usize,
    author: String,
    updated: String,
}

#[derive(Serialize)]
struct Filter {
    href: String,
    label: String,
    count: usize,
    current: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    notice: Option<String>,
}

/// The error page a failed use case gets, when it is not about the brief itself.
pub(super) fn failed(page: &Page, error: BriefError) -> Response {
    match error {
        BriefError::Denied(denied) => forbidden(page, needed_for(&denied)),
        BriefError::NotFound(_) => not_found(page.state, page.language),
        other => {
            tracing::error!(error = %other, "a console brief page failed");
            unavailable(page.state, page.language)
        }
    }
}

pub async fn list(State(state): State<AppState>, signed: Signed, Query(q): Query<ListQuery>) -> Response {
    let mut page = Page::new(&state, &signed, "briefs", "briefs-title");
    let language = page.language;
    let all = match service::list(state.store.as_ref(), &signed.session.caller, None, state.clock.now()).await {
        Ok(all) => all,
        Err(error) => return failed(&page, error),
    };
    let wanted = q
        .status
        .as_deref()
        .and_then(|s| STATUSES.into_iter().find(|st| st.as_str() == s));
    let mut filters = vec![Filter {
        href: "/briefs".into(),
        label: page.t("briefs-filter-all"),
        count: all.len(),
        current: wanted.is_none(),
    }];
    filters.extend(STATUSES.into_iter().map(|status| Filter {
        href: format!("/briefs?status={status}"),
        label: page.t(&format!("status-{status}")),
        count: all.iter().filter(|b| b.status == status).count(),
        current: wanted == Some(status),
    }));
    let mut rows: Vec<Row> = all
        .iter()
        .filter(|b| wanted.is_none_or(|w| b.status == w))
        .map(|b| Row {
            id: b.id,
            title: title_for(b, language),
            status: b.status.as_str(),
            status_label: page.t(&format!("status-{}", b.status)),
            urgent: b.brief.is_urgent(),
            problems: validate(&b.brief, &state.content.limits).len(),
            author: b.author.clone(),
            updated: format_datetime(language, b.updated_at),
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.id));
    page.notice = q.notice.as_deref().and_then(notice_id).map(|id| page.t(id));
    page.render(
        StatusCode::OK,
        "console/briefs.html",
        serde_json::json!({ "briefs": rows, "filters": filters, "can_write": signed.session.caller.role.coordinates() }),
    )
}

/// The notices a redirect may ask for, by name; anything else shows nothing.
fn notice_id(name: &str) -> Option<&'static str> {
    match name {
        "approved" => Some("brief-approved-notice"),
        "withdrawn" => Some("brief-withdrawn-notice"),
        "added" => Some("brief-added-notice"),
        "edited" => Some("brief-edited-notice"),
        "correction" => Some("brief-correction-notice"),
        _ => None,
    }
}

#[derive(Serialize)]
struct BriefView {
    id: BriefId,
    title: String,
    status: &'static str,
    status_label: String,
    urgent: bool,
    version: i32,
    author: String,
    approved_by: Option<String>,
    approved_at: Option<String>,
    supersedes: Option<BriefId>,
    stamp: String,
}

#[derive(Serialize)]
struct ProblemView {
    language: String,
    field: String,
    rule: String,
}

#[derive(Serialize)]
struct SnippetView {
    label: String,
    text: String,
    characters: usize,
    rows: usize,
}

#[derive(Serialize)]
struct PackView {
    code: &'static str,
    name: &'static str,
    held: Option<String>,
    subject: Option<String>,
    snippets: Vec<SnippetView>,
}

#[derive(Serialize)]
struct Actions {
    approve: bool,
    withdraw: bool,
    edit: bool,
    correct: bool,
    /// An urgent approved brief can go out at once, after a confirmation.
    flash: bool,
}

fn snippet(label: String, text: String, characters: usize) -> SnippetView {
    // About forty characters a line in the narrowest column, so that the whole text shows.
    let lines: usize = text.lines().map(|l| l.chars().count() / 40 + 1).sum();
    let rows = lines.clamp(2, 14);
    SnippetView {
        label,
        text,
        characters,
        rows,
    }
}

/// A pack's ready-to-post texts, each labelled in the pack's own language.
fn pack_view(state: &AppState, preview: Preview) -> PackView {
    let language = preview.language;
    let label = |id: &str| state.content.strings.get(language, id);
    let mut snippets = Vec::new();
    if let Some(s) = preview.snippets {
        if let Some(i) = s.instagram {
            snippets.push(snippet(label("instagram-caption"), i.caption, i.characters));
        }
        if let Some(t) = s.tiktok {
            snippets.push(snippet(label("tiktok-script"), t.script, t.characters));
        }
        if let Some(y) = s.youtube {
            snippets.push(snippet(
                label("youtube-title"),
                y.title.clone(),
                y.title.chars().count(),
            ));
            let points = y.talking_points.join("\n");
            let count = points.chars().count();
            snippets.push(snippet(label("youtube-talking-points"), points, count));
            if let Some(d) = y.description {
                let count = d.chars().count();
                snippets.push(snippet(label("youtube-description"), d, count));
            }
        }
        if let Some(x) = s.x {
            snippets.push(snippet(label("x-post"), x.post, x.weighted_length));
        }
    }
    PackView {
        code: language.code(),
        name: language.own_name(),
        held: preview.held,
        subject: preview.subject,
        snippets,
    }
}

/// Why the person looking cannot approve this brief, when the lifecycle says so; the same rule
/// the use case applies, asked beforehand so the page can explain instead of offering a button
/// that fails.
fn approval_block(state: &AppState, signed: &Signed, stored: &StoredBrief) -> Option<&'static str> {
    let caller = &signed.session.caller;
    let tried = stored.status.approve(
        &stored.author,
        &caller.actor.0,
        caller.role == crate::access::Role::Approver,
        state.config.two_person_rule,
    );
    match tried {
        Err(LifecycleError::OwnBrief { .. }) => Some("brief-own"),
        Err(LifecycleError::NotAnApprover { .. }) => Some("brief-not-approver"),
        _ => None,
    }
}

/// How a brief page is shown: after a refusal its status and message (already in the person's
/// language), after a rejected edit the text as typed with what is wrong with it.
#[derive(Default)]
struct Shown {
    status: Option<StatusCode>,
    notice: Option<String>,
    error: Option<String>,
    typed: Option<(String, String)>,
}

async fn brief_page(state: &AppState, signed: &Signed, id: BriefId, shown: Shown) -> Response {
    let mut page = Page::new(state, signed, "briefs", "briefs-title");
    let (store, caller, now) = (state.store.as_ref(), &signed.session.caller, state.clock.now());
    let policy = LanguagePolicy::from_config(&state.config);
    let (checked, previews) = match service::review(store, &state.content, caller, id, policy, now).await {
        Ok(reviewed) => reviewed,
        Err(error) => return failed(&page, error),
    };
    let previews: Vec<PackView> = previews.into_iter().map(|p| pack_view(state, p)).collect();
    let language = page.language;
    let stored = &checked.stored;
    let blocked = (stored.status == BriefStatus::Draft)
        .then(|| approval_block(state, signed, stored))
        .flatten();
    // A draft from a CAP exercise, test or draft alert is never approved: the page says why.
    let not_actual = stored
        .brief
        .meta
        .cap
        .as_ref()
        .filter(|c| c.status != crate::brief::CapStatus::Actual)
        .map(|c| cap_status_words(state, page.language, c.status));
    let cap = stored.brief.meta.cap.as_ref().map(|c| {
        serde_json::json!({
            "identifier": c.identifier,
            "sender": c.sender,
            "sent": format_datetime(page.language, c.sent.to_utc()),
            "status": c.status.to_string(),
            "status_label": page.t(&format!("cap-status-{}", c.status.to_string().to_ascii_lowercase())),
            "msg_type": page.t(&format!("cap-type-{}", c.msg_type.to_string().to_ascii_lowercase())),
            "references": c.references,
            "ignored": c.ignored_languages.join(", "),
        })
    });
    let coordinates = caller.role.coordinates();
    let actions = Actions {
        approve: stored.status == BriefStatus::Draft
            && blocked.is_none()
            && not_actual.is_none()
            && checked.problems.is_empty(),
        withdraw: coordinates && stored.status.withdraw().is_ok(),
        edit: coordinates && stored.status.edit().is_ok(),
        correct: coordinates && stored.status == BriefStatus::Sent,
        flash: coordinates
            && stored.brief.is_urgent()
            && matches!(stored.status, BriefStatus::Approved | BriefStatus::Queued),
    };
    let (source, field_error) = match shown.typed {
        Some((text, error)) => (text, Some(error)),
        None => (toml::to_string(&stored.brief).unwrap_or_default(), None),
    };
    let all_languages = page.t("brief-problem-all-languages");
    let problems: Vec<ProblemView> = checked
        .problems
        .iter()
        .map(|p| ProblemView {
            language: p.language.map_or(all_languages.clone(), |l| l.code().to_string()),
            field: p.field.clone(),
            rule: super::problem_rule(state, language, p),
        })
        .collect();
    let view = BriefView {
        id: stored.id,
        title: title_for(stored, language),
        status: stored.status.as_str(),
        status_label: page.t(&format!("status-{}", stored.status)),
        urgent: stored.brief.is_urgent(),
        version: stored.version,
        author: stored.author.clone(),
        approved_by: stored.approved_by.clone(),
        approved_at: stored.approved_at.map(|t| format_datetime(language, t)),
        supersedes: stored.supersedes_id,
        stamp: stamp(stored.updated_at),
    };
    // Approving an urgent brief sends it at once: the button says to how many, and in which
    // languages, before anything is queued.
    let approval_sends = match actions.approve && stored.brief.is_urgent() && stored.brief.is_sendable_at(now) {
        true => match crate::service::editions::readers_on_approval(store, caller, stored.id).await {
            Ok(readers) => Some(super::editions::readers_sentence(&page, &readers)),
            Err(error) => {
                tracing::error!(%error, "the console could not count a flash's readers");
                return unavailable(state, language);
            }
        },
        false => None,
    };
    page.title = view.title.clone();
    page.notice = shown.notice;
    page.error = shown.error;
    page.render(
        shown.status.unwrap_or(StatusCode::OK),
        "console/brief.html",
        serde_json::json!({
            "brief": view,
            "problems": problems,
            "previews": previews,
            "actions": actions,
            "blocked": blocked.map(|id| page.t(id)).or(not_actual),
            "cap": cap,
            "approval_sends": approval_sends,
            "source": source,
            "field_error": field_error,
        }),
    )
}

pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Response {
    let Ok(id) = id.parse::<BriefId>() else {
        return not_found(&state, signed.language());
    };
    let notice = q
        .notice
        .as_deref()
        .and_then(notice_id)
        .map(|n| state.content.strings.get(signed.language(), n));
    brief_page(
        &state,
        &signed,
        id,
        Shown {
            notice,
            ..Shown::default()
        },
    )
    .await
}

/// A status as it reads inside a sentence: "withdrawn", "luonnos".
pub(super) fn status_in_sentence(state: &AppState, language: Language, status: BriefStatus) -> String {
    state
        .content
        .strings
        .get(language, &format!("status-{status}"))
        .to_lowercase()
}

/// A refusal because the brief changed after the form was made, in the words of `message_id`.
pub(super) fn stale(state: &AppState, language: Language, message_id: &str, status: BriefStatus) -> String {
    let status = status_in_sentence(state, language, status);
    state
        .content
        .strings
        .get_with(language, message_id, &[("status", status.into())])
}

/// A lifecycle refusal in the person's words.
pub(super) fn refusal(state: &AppState, language: Language, error: &BriefError) -> String {
    let strings = &state.content.strings;
    let status_label = |s: BriefStatus| status_in_sentence(state, language, s);
    match error {
        BriefError::Lifecycle {
            error: LifecycleError::OwnBrief { .. },
            ..
        } => strings.get(language, "brief-own"),
        BriefError::Lifecycle {
            error: LifecycleError::NotAnApprover { .. },
            ..
        } => strings.get(language, "brief-not-approver"),
        BriefError::Lifecycle {
            error: LifecycleError::WrongStatus { status, .. },
            ..
        } => strings.get_with(language, "brief-stale", &[("status", status_label(*status).into())]),
        BriefError::Lifecycle {
            error: LifecycleError::Expired(at),
            ..
        } => {
            let reason = format!(
                "{} {}",
                status_label(BriefStatus::Expired),
                format_datetime(language, *at)
            );
            strings.get_with(language, "brief-cannot", &[("reason", reason.into())])
        }
        BriefError::Lifecycle {
            error: LifecycleError::NotActual(status),
            ..
        } => cap_status_words(state, language, *status),
        BriefError::Problems { problems, .. } => {
            let count = strings.get_with(language, "briefs-problems", &[("count", problems.len().into())]);
            strings.get_with(language, "brief-cannot", &[("reason", count.into())])
        }
        other => strings.get_with(language, "brief-cannot", &[("reason", other.to_string().into())]),
    }
}

/// Why a brief from a CAP alert that is not `Actual` can never be approved.
fn cap_status_words(state: &AppState, language: Language, status: crate::brief::CapStatus) -> String {
    let strings = &state.content.strings;
    let label = strings.get(
        language,
        &format!("cap-status-{}", status.to_string().to_ascii_lowercase()),
    );
    strings.get_with(language, "brief-not-actual", &[("status", label.into())])
}

/// JSON when the person chose it or the text is plainly JSON (a TOML brief never starts with
/// `{`), a CAP alert when it is XML (it starts with `<`), else TOML.
fn format_of(text: &str, chose_json: bool) -> BriefFormat {
    let start = text.trim_start();
    if chose_json || start.starts_with('{') {
        BriefFormat::Json
    } else if start.starts_with('<') {
        BriefFormat::Cap
    } else {
        BriefFormat::Toml
    }
}

enum Action {
    Approve,
    Withdraw,
    Edit,
    Correct,
}

async fn act(state: AppState, posted: Posted, id: String, action: Action) -> Response {
    let signed = &posted.signed;
    let language = signed.language();
    let Ok(id) = id.parse::<BriefId>() else {
        return not_found(&state, language);
    };
    let (store, caller, now) = (state.store.as_ref(), &signed.session.caller, state.clock.now());
    // A form made before the brief last changed is refused (by the use case): approving is a
    // decision about the text that was on the screen.
    let seen = Some(
        posted
            .field("updated")
            .and_then(|s| s.parse::<i64>().ok())
            .and_then(DateTime::<Utc>::from_timestamp_micros)
            .unwrap_or(DateTime::<Utc>::MIN_UTC),
    );
    let done = match action {
        Action::Approve => service::approve(
            store,
            &state.content,
            id,
            seen,
            caller,
            state.config.two_person_rule,
            now,
        )
        .await
        .map(|_| "approved"),
        Action::Withdraw => service::withdraw(store, id, seen, caller, now)
            .await
            .map(|_| "withdrawn"),
        Action::Correct => {
            let text = posted.field("text").unwrap_or("");
            let format = format_of(text, false);
            match service::correct(store, &state.content, id, text, format, caller, now).await {
                // The correction is a brief of its own: its page is where it is approved.
                Ok(correction) => {
                    let to = format!("/briefs/{}?notice=correction", correction.stored.id);
                    return Redirect::to(&to).into_response();
                }
                Err(error) => Err(error),
            }
        }
        Action::Edit => {
            let text = posted.field("text").unwrap_or("");
            let format = format_of(text, false);
            service::edit(store, &state.content, id, (text, format), seen, caller, now)
                .await
                .map(|_| "edited")
        }
    };
    match done {
        // After a change, a fresh GET: reloading the page must not send the form again.
        Ok(notice) => Redirect::to(&format!("/briefs/{id}?notice={notice}")).into_response(),
        Err(BriefError::Stale { status, .. }) => {
            let error = stale(&state, language, "brief-stale", status);
            let shown = Shown {
                status: Some(StatusCode::CONFLICT),
                error: Some(error),
                ..Shown::default()
            };
            brief_page(&state, signed, id, shown).await
        }
        Err(error @ (BriefError::Lifecycle { .. } | BriefError::Problems { .. })) => {
            let text = refusal(&state, language, &error);
            let status = match &error {
                BriefError::Lifecycle {
                    error: LifecycleError::OwnBrief { .. } | LifecycleError::NotAnApprover { .. },
                    ..
                } => StatusCode::FORBIDDEN,
                _ => StatusCode::CONFLICT,
            };
            let shown = Shown {
                status: Some(status),
                error: Some(text),
                ..Shown::default()
            };
            brief_page(&state, signed, id, shown).await
        }
        Err(BriefError::Parse(error)) => {
            let message = state.content.strings.get_with(
                language,
                "new-brief-unreadable",
                &[("reason", error.to_string().into())],
            );
            let shown = Shown {
                status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                typed: Some((posted.field("text").unwrap_or("").to_string(), message)),
                ..Shown::default()
            };
            brief_page(&state, signed, id, shown).await
        }
        Err(error) => failed(&Page::new(&state, signed, "briefs", "briefs-title"), error),
    }
}

pub async fn edit(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    act(state, posted, id, Action::Edit).await
}

pub async fn correct(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    act(state, posted, id, Action::Correct).await
}

pub async fn approve(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    act(state, posted, id, Action::Approve).await
}

pub async fn withdraw(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    act(state, posted, id, Action::Withdraw).await
}

/// The email as readers of one language get it, on its own page (with the email's own styles,
/// so under the reader page's policy rather than the console's).
pub async fn email_preview(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, lang)): Path<(String, String)>,
) -> Response {
    let language = signed.language();
    let (Ok(id), Ok(reader_language)) = (id.parse::<BriefId>(), lang.parse::<Language>()) else {
        return not_found(&state, language);
    };
    let policy = LanguagePolicy::from_config(&state.config);
    let caller = &signed.session.caller;
    match service::preview(
        state.store.as_ref(),
        &state.content,
        caller,
        id,
        reader_language,
        policy,
        state.clock.now(),
    )
    .await
    {
        Ok(Preview { html: Some(html), .. }) => {
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
        }
        Ok(_) => not_found(&state, language),
        Err(error) => failed(&Page::new(&state, &signed, "briefs", "briefs-title"), error),
    }
}

fn new_brief_form(page: &Page, status: StatusCode, text: &str, format: &str, field_error: Option<String>) -> Response {
    page.render(
        status,
        "console/new_brief.html",
        serde_json::json!({ "text": text, "format": format, "field_error": field_error }),
    )
}

pub async fn new_page(State(state): State<AppState>, signed: Signed) -> Response {
    let page = Page::new(&state, &signed, "briefs", "new-brief-title");
    if let Err(denied) = signed.session.caller.must_coordinate() {
        return forbidden(&page, needed_for(&denied));
    }
    new_brief_form(&page, StatusCode::OK, "", "toml", None)
}

pub async fn add(State(state): State<AppState>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let page = Page::new(&state, signed, "briefs", "new-brief-title");
    let pasted = posted.field("text").unwrap_or("").trim();
    let uploaded = posted.field("file").unwrap_or("").trim();
    // An uploaded file wins over the box; its name is not needed, the format choice is.
    let text = if uploaded.is_empty() { pasted } else { uploaded };
    let format_name = posted.field("format").unwrap_or("toml");
    let format = format_of(text, format_name == "json");
    if text.is_empty() {
        let error = page.t("new-brief-empty");
        return new_brief_form(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            pasted,
            format_name,
            Some(error),
        );
    }
    let (store, caller, now) = (state.store.as_ref(), &signed.session.caller, state.clock.now());
    match service::submit(store, &state.content, text, format, caller, now).await {
        Ok(checked) => Redirect::to(&format!("/briefs/{}?notice=added", checked.stored.id)).into_response(),
        Err(BriefError::Parse(error)) => {
            let message = state.content.strings.get_with(
                page.language,
                "new-brief-unreadable",
                &[("reason", error.to_string().into())],
            );
            new_brief_form(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                text,
                format_name,
                Some(message),
            )
        }
        Err(error) => failed(&page, error),
    }
}
