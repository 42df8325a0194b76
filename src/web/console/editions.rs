//! Editions in the console: the list, one edition's progress following itself while it sends,
//! pause, resume and cancel (each confirmed against the status the person saw), and the
//! confirmation of what a send would queue before anything is queued (a schedule's edition
//! now, or one urgent brief in a flash).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::briefs::title_for;
use super::{Page, Posted, Signed, forbidden, needed_for, not_found, unavailable};
use crate::brief::FlashRefusal;
use crate::edition::{DeliveryStatus, EditionAction, EditionStatus, PauseReason, Progress};
use crate::ids::{BriefId, EditionId};
use crate::language::Language;
use crate::pack::{format_datetime, format_number};
use crate::service::editions::{self as service, EditionError, EditionView, SendPreview};
use crate::web::AppState;

const PAGE_SIZE: u64 = 50;

/// The statuses shown on an edition's progress, in the order a send moves through them.
const SHOWN: [DeliveryStatus; 10] = [
    DeliveryStatus::Sent,
    DeliveryStatus::Queued,
    DeliveryStatus::Sending,
    DeliveryStatus::Deferred,
    DeliveryStatus::Failed,
    DeliveryStatus::Bounced,
    DeliveryStatus::Uncertain,
    DeliveryStatus::Suppressed,
    DeliveryStatus::Cancelled,
    DeliveryStatus::Expired,
];

/// The error page for a failed edition use case whose error no page words itself.
pub(super) fn failed(page: &Page, error: EditionError) -> Response {
    match error {
        EditionError::Denied(denied) => forbidden(page, needed_for(&denied)),
        EditionError::NotFound(_) | EditionError::NoBrief(_) | EditionError::NoSchedule(_) => {
            not_found(page.state, page.language)
        }
        other => {
            tracing::error!(error = %other, "a console edition page failed");
            unavailable(page.state, page.language)
        }
    }
}

/// A time in Helsinki as the person reads it, and the same instant in UTC beside it.
#[derive(Serialize)]
pub(super) struct When {
    local: String,
    utc: String,
}

impl When {
    pub(super) fn of(language: Language, at: chrono::DateTime<chrono::Utc>) -> When {
        When {
            local: format_datetime(language, at),
            utc: at.format("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }
}

#[derive(Serialize)]
struct Row {
    id: EditionId,
    kind: String,
    status: &'static str,
    status_label: String,
    schedule: Option<String>,
    created: When,
    deliveries: String,
    briefs: String,
    protected: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    offset: Option<u64>,
}

pub async fn list(State(state): State<AppState>, signed: Signed, Query(q): Query<ListQuery>) -> Response {
    let page = Page::new(&state, &signed, "editions", "editions-title");
    let offset = q.offset.unwrap_or(0);
    let caller = &signed.session.caller;
    let mut editions = match service::list(state.store.as_ref(), caller, PAGE_SIZE + 1, offset).await {
        Ok(editions) => editions,
        Err(error) => return failed(&page, error),
    };
    let more = editions.len() as u64 > PAGE_SIZE;
    editions.truncate(PAGE_SIZE as usize);
    let rows: Vec<Row> = editions
        .iter()
        .map(|e| Row {
            id: e.id,
            kind: page.t(&format!("edition-kind-{}", e.kind.as_str())),
            status: e.status.as_str(),
            status_label: page.t(&format!("edition-status-{}", e.status)),
            schedule: e.schedule.clone(),
            created: When::of(page.language, e.created_at),
            deliveries: format_number(page.language, e.deliveries),
            briefs: e
                .briefs
                .iter()
                .map(|b| format!("#{}", b.brief))
                .collect::<Vec<_>>()
                .join(", "),
            protected: e.paused_reason.is_some(),
        })
        .collect();
    page.render(
        StatusCode::OK,
        "console/editions.html",
        serde_json::json!({
            "editions": rows,
            "older": more.then(|| format!("/editions?offset={}", offset + PAGE_SIZE)),
            "newer": (offset > 0).then(|| format!("/editions?offset={}", offset.saturating_sub(PAGE_SIZE))),
        }),
    )
}

#[derive(Serialize)]
struct Count {
    status: &'static str,
    label: String,
    count: String,
}

#[derive(Serialize)]
struct Problem {
    status: String,
    at: String,
    detail: String,
}

/// What the live part of an edition's page shows: its status, counts, rate and time left, the
/// latest problems, and the actions its status allows.
#[derive(Serialize)]
struct Live {
    id: EditionId,
    status: &'static str,
    status_label: String,
    /// Where the page's script asks for this part again; none once nothing moves by itself.
    poll: Option<String>,
    counts: Vec<Count>,
    done_percent: u64,
    summary: String,
    rate: String,
    left: Option<String>,
    problems: Vec<Problem>,
    actions: Vec<ActionLink>,
    /// Why the edition paused itself, in the person's words.
    protected: Option<String>,
}

#[derive(Serialize)]
struct ActionLink {
    href: String,
    label: String,
    danger: bool,
}

fn actions_for(page: &Page, id: EditionId, status: EditionStatus, protected: bool) -> Vec<ActionLink> {
    // An edition that stopped itself resumes on an approver's word only (the use case's rule);
    // others are not offered the button.
    let approves = page
        .signed
        .is_some_and(|s| s.session.account.role == crate::access::Role::Approver);
    [EditionAction::Pause, EditionAction::Resume, EditionAction::Cancel]
        .into_iter()
        .filter(|action| action.apply(status).is_ok())
        .filter(|action| !(protected && *action == EditionAction::Resume) || approves)
        .map(|action| ActionLink {
            href: format!("/editions/{id}/{}", action.as_str()),
            label: page.t(&format!("edition-action-{}", action.as_str())),
            danger: action == EditionAction::Cancel,
        })
        .collect()
}

/// Minutes left at the last minute's pace, in the person's words; `None` when nothing is left.
fn time_left(page: &Page, progress: &Progress) -> Option<String> {
    let pending = progress.pending();
    if pending == 0 {
        return None;
    }
    if progress.sent_last_minute == 0 {
        return Some(page.t("edition-left-unknown"));
    }
    let minutes = pending.div_ceil(progress.sent_last_minute);
    Some(page.state.content.strings.get_with(
        page.language,
        "edition-left-minutes",
        &[("minutes", (minutes as i64).into())],
    ))
}

fn live(page: &Page, view: &EditionView) -> Live {
    let (edition, progress) = (&view.edition, &view.progress);
    let language = page.language;
    let counts = SHOWN
        .iter()
        .filter(|s| progress.count(**s) > 0 || matches!(s, DeliveryStatus::Sent | DeliveryStatus::Queued))
        .map(|s| Count {
            status: s.as_str(),
            label: page.t(&format!("delivery-status-{s}")),
            count: format_number(language, progress.count(*s)),
        })
        .collect();
    let settled = progress.total.saturating_sub(progress.pending());
    let done_percent = (settled * 100).checked_div(progress.total).unwrap_or(100);
    let strings = &page.state.content.strings;
    let summary = strings.get_with(
        language,
        "edition-progress-summary",
        &[
            ("settled", format_number(language, settled).into()),
            ("total", format_number(language, progress.total).into()),
        ],
    );
    let rate = strings.get_with(
        language,
        "edition-rate",
        &[("count", format_number(language, progress.sent_last_minute).into())],
    );
    Live {
        id: edition.id,
        status: edition.status.as_str(),
        status_label: page.t(&format!("edition-status-{}", edition.status)),
        poll: (edition.status == EditionStatus::Sending).then(|| format!("/editions/{}/progress", edition.id)),
        counts,
        done_percent,
        summary,
        rate,
        left: time_left(page, progress),
        problems: progress
            .last_errors
            .iter()
            .map(|e| Problem {
                status: page.t(&format!("delivery-status-{}", e.status)),
                at: format_datetime(language, e.at),
                detail: e.detail.clone(),
            })
            .collect(),
        actions: actions_for(page, edition.id, edition.status, edition.paused_reason.is_some()),
        protected: edition.paused_reason.as_ref().map(|reason| pause_words(page, reason)),
    }
}

/// Why an edition paused itself, in the person's language.
pub(super) fn pause_words(page: &Page, reason: &PauseReason) -> String {
    let (strings, language) = (&page.state.content.strings, page.language);
    match reason {
        PauseReason::HardBounces {
            bounced,
            sample,
            percent,
        } => strings.get_with(
            language,
            "edition-protect-bounces",
            &[
                ("bounced", format_number(language, *bounced).into()),
                ("sample", format_number(language, *sample).into()),
                ("percent", (i64::from(*percent)).into()),
            ],
        ),
        PauseReason::PolicyRefusals { in_row, response } => strings.get_with(
            language,
            "edition-protect-policy",
            &[
                ("count", format_number(language, u64::from(*in_row)).into()),
                ("response", response.clone().into()),
            ],
        ),
    }
}

#[derive(Deserialize)]
pub struct ShowQuery {
    notice: Option<String>,
}

fn notice_id(name: &str) -> Option<&'static str> {
    match name {
        "created" => Some("edition-created-notice"),
        "pause" => Some("edition-paused-notice"),
        "resume" => Some("edition-resumed-notice"),
        "cancel" => Some("edition-cancelled-notice"),
        _ => None,
    }
}

/// An edition's page. With `moved`, the person acted on a status the edition has left: the page
/// says where it stands now, from the same read that draws it.
async fn edition_page(state: &AppState, signed: &Signed, id: EditionId, notice: Option<&str>, moved: bool) -> Response {
    let mut page = Page::new(state, signed, "editions", "edition-title");
    let view = match service::show(state.store.as_ref(), &signed.session.caller, id, state.clock.now()).await {
        Ok(view) => view,
        Err(error) => return failed(&page, error),
    };
    page.title = page
        .state
        .content
        .strings
        .get_with(page.language, "edition-title", &[("id", id.to_string().into())]);
    page.notice = notice.and_then(notice_id).map(|id| page.t(id));
    page.error = moved.then(|| changed_words(&page, view.edition.status));
    let edition = &view.edition;
    let language = page.language;
    let stored = match service::carried(state.store.as_ref(), &signed.session.caller, edition).await {
        Ok(stored) => stored,
        Err(error) => return failed(&page, error),
    };
    let briefs: Vec<serde_json::Value> = edition
        .briefs
        .iter()
        .map(|carried| {
            let title = stored
                .iter()
                .find(|b| b.id == carried.brief)
                .map_or_else(|| format!("#{}", carried.brief), |b| title_for(b, language));
            serde_json::json!({ "id": carried.brief, "title": title, "correction": carried.is_correction })
        })
        .collect();
    page.render(
        StatusCode::OK,
        "console/edition.html",
        serde_json::json!({
            "edition": {
                "id": edition.id,
                "kind": page.t(&format!("edition-kind-{}", edition.kind.as_str())),
                "schedule": edition.schedule,
                "created": When::of(language, edition.created_at),
                "finished": edition.finished_at.map(|at| When::of(language, at)),
            },
            "briefs": briefs,
            "live": live(&page, &view),
        }),
    )
}

pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Response {
    let Ok(id) = id.parse::<EditionId>() else {
        return not_found(&state, signed.language());
    };
    edition_page(&state, &signed, id, q.notice.as_deref(), false).await
}

/// The live part alone, which the page's script swaps in every few seconds while it sends.
pub async fn progress(State(state): State<AppState>, signed: Signed, Path(id): Path<String>) -> Response {
    let page = Page::new(&state, &signed, "editions", "editions-title");
    let Ok(id) = id.parse::<EditionId>() else {
        return not_found(&state, page.language);
    };
    match service::show(state.store.as_ref(), &signed.session.caller, id, state.clock.now()).await {
        Ok(view) => page.render(
            StatusCode::OK,
            "console/edition_live.html",
            serde_json::json!({ "live": live(&page, &view) }),
        ),
        Err(error) => failed(&page, error),
    }
}

fn action_of(name: &str) -> Option<EditionAction> {
    name.parse().ok()
}

/// Pause, resume or cancel, asked first: what it will do, for the edition as it is now.
pub async fn confirm_change(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, action)): Path<(String, String)>,
) -> Response {
    let page = Page::new(&state, &signed, "editions", "edition-confirm-title");
    let (Ok(id), Some(action)) = (id.parse::<EditionId>(), action_of(&action)) else {
        return not_found(&state, page.language);
    };
    let view = match service::show(state.store.as_ref(), &signed.session.caller, id, state.clock.now()).await {
        Ok(view) => view,
        Err(error) => return failed(&page, error),
    };
    if action.apply(view.edition.status).is_err() {
        return edition_page(&state, &signed, id, None, true).await;
    }
    let language = page.language;
    let explain = page.state.content.strings.get_with(
        language,
        &format!("edition-confirm-{}", action.as_str()),
        &[
            ("id", id.to_string().into()),
            ("pending", format_number(language, view.progress.pending()).into()),
        ],
    );
    page.render(
        StatusCode::OK,
        "console/edition_confirm.html",
        serde_json::json!({
            "id": id,
            "action": action.as_str(),
            "button": page.t(&format!("edition-action-{}", action.as_str())),
            "danger": action == EditionAction::Cancel,
            "explain": explain,
            "seen": view.edition.status.as_str(),
        }),
    )
}

fn changed_words(page: &Page, now: EditionStatus) -> String {
    page.state.content.strings.get_with(
        page.language,
        "edition-changed",
        &[("status", page.t(&format!("edition-status-{now}")).into())],
    )
}

pub async fn change(
    State(state): State<AppState>,
    Path((id, action)): Path<(String, String)>,
    posted: Posted,
) -> Response {
    let signed = &posted.signed;
    let page = Page::new(&state, signed, "editions", "edition-title");
    let (Ok(id), Some(action)) = (id.parse::<EditionId>(), action_of(&action)) else {
        return not_found(&state, page.language);
    };
    let seen = posted.field("seen").and_then(|s| s.parse::<EditionStatus>().ok());
    let now = state.clock.now();
    match service::change(state.store.as_ref(), &signed.session.caller, id, action, seen, now).await {
        Ok(_) => Redirect::to(&format!("/editions/{id}?notice={}", action.as_str())).into_response(),
        // Moved on meanwhile, or the move is not allowed from where it stands: say where it is.
        Err(EditionError::Moved { .. } | EditionError::Store(crate::store::StoreError::Conflict { .. })) => {
            edition_page(&state, signed, id, None, true).await
        }
        Err(error) => failed(&page, error),
    }
}

#[derive(Serialize)]
struct ReadersLine {
    language: String,
    count: String,
}

/// The confirmation before a send: which briefs, how many readers in which languages.
pub(super) fn confirm_send(
    page: &Page,
    preview: &SendPreview,
    action: String,
    heading: String,
    back: (String, String),
) -> Response {
    let language = page.language;
    let briefs: Vec<serde_json::Value> = preview
        .briefs
        .iter()
        .map(|b| serde_json::json!({ "id": b.id, "title": title_for(b, language), "urgent": b.brief.is_urgent() }))
        .collect();
    let readers: Vec<ReadersLine> = preview
        .readers
        .iter()
        .map(|(l, n)| ReadersLine {
            language: l.own_name().to_string(),
            count: format_number(language, *n),
        })
        .collect();
    let total = page.state.content.strings.get_with(
        language,
        "send-confirm-total",
        &[
            ("count", (preview.total() as i64).into()),
            ("shown", format_number(language, preview.total()).into()),
        ],
    );
    let ids: Vec<String> = preview.brief_ids().iter().map(ToString::to_string).collect();
    page.render(
        StatusCode::OK,
        "console/send_confirm.html",
        serde_json::json!({
            "heading": heading,
            "action": action,
            "briefs": briefs,
            "readers": readers,
            "total": total,
            "nobody": preview.total() == 0,
            "brief_ids": ids.join(","),
            "back": back.0,
            "back_label": back.1,
        }),
    )
}

/// "N readers get this edition." followed by each language's count, for a button's hint.
pub(super) fn readers_sentence(page: &Page, readers: &[(Language, u64)]) -> String {
    let language = page.language;
    let total: u64 = readers.iter().map(|(_, n)| n).sum();
    let each: Vec<String> = readers
        .iter()
        .map(|(l, n)| format!("{} {}", l.own_name(), format_number(language, *n)))
        .collect();
    let sentence = page.state.content.strings.get_with(
        language,
        "brief-approve-sends",
        &[
            ("count", (total as i64).into()),
            ("shown", format_number(language, total).into()),
        ],
    );
    match each.is_empty() {
        true => sentence,
        false => format!("{sentence} ({})", each.join(", ")),
    }
}

/// A flash refused, in the person's words.
pub(super) fn flash_refusal_words(page: &Page, refusal: FlashRefusal) -> String {
    let strings = &page.state.content.strings;
    let language = page.language;
    match refusal {
        FlashRefusal::Routine => page.t("flash-refused-routine"),
        FlashRefusal::NotApproved(status) => strings.get_with(
            language,
            "flash-refused-status",
            &[("status", page.t(&format!("status-{status}")).into())],
        ),
        FlashRefusal::Embargoed(at) => strings.get_with(
            language,
            "flash-refused-embargo",
            &[("when", format_datetime(language, at).into())],
        ),
        FlashRefusal::Expired(at) => strings.get_with(
            language,
            "flash-refused-expired",
            &[("when", format_datetime(language, at).into())],
        ),
    }
}

fn brief_id(text: &str) -> Option<BriefId> {
    text.parse().ok()
}

/// A refused flash: the brief's page would be the place, but one line of why is enough.
fn refused(page: &Page, brief: BriefId, refusal: FlashRefusal) -> Response {
    let mut page = page.clone();
    page.title = flash_refusal_words(&page, refusal);
    page.render(
        StatusCode::CONFLICT,
        "console/message.html",
        serde_json::json!({ "back": format!("/briefs/{brief}"), "back_label": page.t("flash-back-to-brief") }),
    )
}

pub async fn confirm_flash(State(state): State<AppState>, signed: Signed, Path(id): Path<String>) -> Response {
    let page = Page::new(&state, &signed, "briefs", "flash-confirm-title");
    let Some(id) = brief_id(&id) else {
        return not_found(&state, page.language);
    };
    match service::preview_flash(state.store.as_ref(), &signed.session.caller, id, state.clock.now()).await {
        Ok(preview) => {
            let heading = page.t("flash-confirm-title");
            let back = (format!("/briefs/{id}"), page.t("flash-back-to-brief"));
            confirm_send(&page, &preview, format!("/briefs/{id}/flash"), heading, back)
        }
        Err(EditionError::FlashRefused { brief, refusal }) => refused(&page, brief, refusal),
        Err(error) => failed(&page, error),
    }
}

pub async fn flash(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let page = Page::new(&state, signed, "briefs", "flash-confirm-title");
    let Some(id) = brief_id(&id) else {
        return not_found(&state, page.language);
    };
    match service::flash(state.store.as_ref(), &signed.session.caller, id, state.clock.now()).await {
        Ok(created) => Redirect::to(&format!("/editions/{}?notice=created", created.edition)).into_response(),
        Err(EditionError::FlashRefused { brief, refusal }) => refused(&page, brief, refusal),
        Err(error) => failed(&page, error),
    }
}
