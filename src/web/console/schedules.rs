//! Schedules in the console: each with its next runs in Helsinki time (UTC beside), and a
//! schedule's edition sent now after a confirmation of what it carries and to whom.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use super::editions::{When, confirm_send, failed};
use super::{Page, Posted, Signed, forbidden, needed_for, unavailable};
use crate::ids::BriefId;
use crate::service::editions::{self, EditionError};
use crate::service::schedules::{self as service, ScheduleUseError};
use crate::web::AppState;

#[derive(Serialize)]
struct Row {
    name: String,
    send_href: String,
    cadence: String,
    segment: String,
    time_zone: String,
    enabled: bool,
    next_runs: Vec<When>,
    last_run: Option<When>,
}

async fn list_page(state: &AppState, signed: &Signed, error: Option<String>) -> Response {
    let mut page = Page::new(state, signed, "schedules", "schedules-title");
    page.error = error;
    let now = state.clock.now();
    let schedules = match service::list(state.store.as_ref(), &signed.session.caller, now).await {
        Ok(schedules) => schedules,
        Err(ScheduleUseError::Denied(denied)) => return forbidden(&page, needed_for(&denied)),
        Err(error) => {
            tracing::error!(%error, "the console's schedules page failed");
            return unavailable(state, page.language);
        }
    };
    let language = page.language;
    let rows: Vec<Row> = schedules
        .iter()
        .map(|view| {
            let schedule = &view.stored.schedule;
            Row {
                name: schedule.name().to_string(),
                send_href: format!("/schedules/{}/send", super::encode(schedule.name())),
                cadence: page.t(&format!("cadence-{}", schedule.cadence().as_str())),
                segment: schedule.segment().to_string(),
                time_zone: schedule.time_zone().name().to_string(),
                enabled: view.stored.enabled,
                next_runs: view.next_runs.iter().map(|run| When::of(language, run.utc)).collect(),
                last_run: view.stored.last_run.map(|at| When::of(language, at)),
            }
        })
        .collect();
    page.render(
        StatusCode::OK,
        "console/schedules.html",
        serde_json::json!({ "schedules": rows }),
    )
}

pub async fn list(State(state): State<AppState>, signed: Signed) -> Response {
    list_page(&state, &signed, None).await
}

fn nothing_to_send(page: &Page, schedule: &str) -> String {
    page.state.content.strings.get_with(
        page.language,
        "send-nothing",
        &[("schedule", schedule.to_string().into())],
    )
}

/// What sending the schedule now would do, before anything is queued.
async fn confirmation(state: &AppState, signed: &Signed, name: &str, error: Option<String>) -> Response {
    let mut page = Page::new(state, signed, "schedules", "send-confirm-title");
    page.error = error;
    let caller = &signed.session.caller;
    match editions::preview_send_now(state.store.as_ref(), caller, name, state.clock.now()).await {
        Ok(preview) => {
            let heading = page.state.content.strings.get_with(
                page.language,
                "send-confirm-heading",
                &[("schedule", name.to_string().into())],
            );
            page.title = heading.clone();
            confirm_send(
                &page,
                &preview,
                format!("/schedules/{}/send", super::encode(name)),
                heading,
                ("/schedules".to_string(), page.t("schedules-title")),
            )
        }
        Err(EditionError::NothingToSend(_)) => list_page(state, signed, Some(nothing_to_send(&page, name))).await,
        Err(error) => failed(&page, error),
    }
}

pub async fn confirm(State(state): State<AppState>, signed: Signed, Path(name): Path<String>) -> Response {
    confirmation(&state, &signed, &name, None).await
}

pub async fn send(State(state): State<AppState>, Path(name): Path<String>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let page = Page::new(&state, signed, "schedules", "send-confirm-title");
    // The briefs the confirmation showed; a form without them confirmed nothing.
    let shown: Option<Vec<BriefId>> = posted
        .field("briefs")
        .map(|list| {
            list.split(',')
                .filter(|s| !s.is_empty())
                .map(str::parse)
                .collect::<Result<_, _>>()
        })
        .and_then(Result::ok);
    let Some(shown) = shown else {
        return confirmation(&state, signed, &name, None).await;
    };
    let caller = &signed.session.caller;
    let now = state.clock.now();
    match editions::send_now(state.store.as_ref(), caller, &name, Some(&shown), now).await {
        Ok(created) => Redirect::to(&format!("/editions/{}?notice=created", created.edition)).into_response(),
        Err(EditionError::Changed { .. }) => confirmation(&state, signed, &name, Some(page.t("send-changed"))).await,
        Err(EditionError::NothingToSend(_)) => list_page(&state, signed, Some(nothing_to_send(&page, &name))).await,
        Err(error) => failed(&page, error),
    }
}
