//! The ops view: health (database, transport, mail in, daemons and the scheduler), what waits
//! to be sent, the transport's answers hour by hour, and each edition's hard bounces and
//! complaints drawn against the lines mailbox providers hold senders to. The charts are SVG
//! drawn on the server (no script, nothing remote), each with its numbers as a table too.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Timelike;
use chrono_tz::Europe::Helsinki;
use serde::Serialize;

use super::{Page, Posted, Signed, forbidden, needed_for, unavailable};
use crate::edition::DeliveryStatus;
use crate::ids::TokenId;
use crate::pack::{format_datetime, format_number};
use crate::service::ops::{self as service, OpsError};
use crate::service::tokens::TokenError;
use crate::web::AppState;

/// Gmail's lines for a bulk sender's spam complaints: stay under 0.1%, never reach 0.3%.
const COMPLAINT_AIM: f64 = 0.1;
const COMPLAINT_NEVER: f64 = 0.3;

/// The outcome chart's drawing area, in SVG units.
const CHART_W: f64 = 720.0;
const CHART_H: f64 = 180.0;
/// The rates chart: a row per edition, the scale's end in percent.
const ROW_H: f64 = 28.0;
const RATE_LABEL_W: f64 = 140.0;

#[derive(Serialize)]
struct Segment {
    y: String,
    height: String,
    class: &'static str,
}

#[derive(Serialize)]
struct Bar {
    x: String,
    width: String,
    label: String,
    label_x: String,
    segments: Vec<Segment>,
}

#[derive(Serialize)]
struct HourRow {
    hour: String,
    sent: String,
    deferred: String,
    failed: String,
    bounced: String,
}

#[derive(Serialize)]
struct RateRow {
    label: String,
    y: String,
    complaint_y: String,
    text_y: String,
    bounce_width: String,
    complaint_width: String,
    bounce: String,
    complaint: String,
    attempted: String,
    over: bool,
}

fn svg(n: f64) -> String {
    format!("{n:.1}")
}

fn percent(part: u64, whole: u64) -> f64 {
    match whole {
        0 => 0.0,
        _ => part as f64 * 100.0 / whole as f64,
    }
}

fn percent_text(language: crate::language::Language, value: f64) -> String {
    let text = format!("{value:.2}");
    match language {
        crate::language::Language::En => format!("{text}%"),
        _ => format!("{} %", text.replace('.', ",")),
    }
}

#[derive(serde::Deserialize)]
pub struct OpsParams {
    notice: Option<String>,
}

/// Revokes an API token from the ops view: its next request is refused.
pub async fn revoke_token(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let page = Page::new(&state, signed, "ops", "ops-title");
    let Ok(id) = id.parse::<TokenId>() else {
        return super::not_found(&state, page.language);
    };
    let now = state.clock.now();
    match crate::service::tokens::revoke(state.store.as_ref(), &signed.session.caller, id, now).await {
        Ok(_) => Redirect::to("/ops?notice=revoked").into_response(),
        Err(TokenError::Denied(denied)) => forbidden(&page, needed_for(&denied)),
        Err(error) => {
            tracing::error!(%error, "revoking a token from the ops view failed");
            unavailable(&state, page.language)
        }
    }
}

pub async fn page(State(state): State<AppState>, signed: Signed, Query(p): Query<OpsParams>) -> Response {
    let mut page = Page::new(&state, &signed, "ops", "ops-title");
    if p.notice.as_deref() == Some("revoked") {
        page.notice = Some(page.t("ops-token-revoked"));
    }
    let now = state.clock.now();
    let overview = match service::overview(state.store.as_ref(), &signed.session.caller, now).await {
        Ok(overview) => overview,
        Err(OpsError::Denied(denied)) => return forbidden(&page, needed_for(&denied)),
        Err(OpsError::Store(error)) => {
            tracing::error!(%error, "the ops view could not read the database");
            return unavailable(&state, page.language);
        }
    };
    let language = page.language;
    let config = &state.config;
    let transport = match (&config.smtp_url, &config.mail_api_url) {
        (Some(url), _) => format!("SMTP {}", crate::mask::mask_url(url)),
        (None, Some(url)) => format!("HTTP {}", crate::mask::mask_url(url)),
        (None, None) => page.t("ops-transport-outbox"),
    };
    let imap = config
        .imap_url
        .as_deref()
        .map_or_else(|| page.t("ops-imap-none"), crate::mask::mask_url);
    // A daemon beats every few seconds; one silent for a minute has its claims taken back.
    let daemons: Vec<serde_json::Value> = overview
        .daemons
        .iter()
        .map(|(worker, beat)| {
            let alive = (now - *beat).num_seconds() < 60;
            serde_json::json!({ "worker": worker, "beat": format_datetime(language, *beat), "alive": alive })
        })
        .collect();
    // The leader writes itself down on every pass (every few seconds); a minute of silence means
    // no daemon is running the schedules.
    let leader = overview.leader.as_ref().map(|(daemon, beat)| {
        serde_json::json!({
            "daemon": daemon,
            "beat": format_datetime(language, *beat),
            "alive": (now - *beat).num_seconds() < 60,
        })
    });
    let count = |status: DeliveryStatus| overview.queue.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n);
    let queue: Vec<serde_json::Value> = [
        DeliveryStatus::Queued,
        DeliveryStatus::Deferred,
        DeliveryStatus::Sending,
        DeliveryStatus::Uncertain,
    ]
    .iter()
    .map(|s| {
        serde_json::json!({
            "status": s.as_str(),
            "label": page.t(&format!("delivery-status-{s}")),
            "count": format_number(language, count(*s)),
        })
    })
    .collect();

    // Outcomes per hour, stacked: sent at the bottom, then deferred, failed, bounced.
    let most = overview
        .hours
        .iter()
        .map(|h| h.sent + h.deferred + h.failed + h.bounced)
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = CHART_W / overview.hours.len().max(1) as f64;
    let bars: Vec<Bar> = overview
        .hours
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let mut top = CHART_H;
            let mut segments = Vec::new();
            for (n, class) in [
                (h.sent, "sent"),
                (h.deferred, "deferred"),
                (h.failed, "failed"),
                (h.bounced, "bounced"),
            ] {
                if n == 0 {
                    continue;
                }
                let height = n as f64 / most as f64 * CHART_H;
                top -= height;
                segments.push(Segment {
                    y: svg(top),
                    height: svg(height),
                    class,
                });
            }
            let local = h.hour.with_timezone(&Helsinki);
            Bar {
                x: svg(i as f64 * slot + slot * 0.15),
                width: svg(slot * 0.7),
                label: format!("{:02}", local.hour()),
                label_x: svg(i as f64 * slot + slot / 2.0),
                segments,
            }
        })
        .collect();
    let hour_rows: Vec<HourRow> = overview
        .hours
        .iter()
        .map(|h| HourRow {
            hour: format_datetime(language, h.hour),
            sent: format_number(language, h.sent),
            deferred: format_number(language, h.deferred),
            failed: format_number(language, h.failed),
            bounced: format_number(language, h.bounced),
        })
        .collect();

    // Rates per edition against the lines: the scale reaches past the highest line and rate.
    let bounce_line = f64::from(config.pause_bounce_percent);
    let rates: Vec<(f64, f64)> = overview
        .editions
        .iter()
        .map(|e| (percent(e.bounced, e.attempted), percent(e.complaints, e.attempted)))
        .collect();
    let scale = rates
        .iter()
        .flat_map(|(b, c)| [*b, *c])
        .chain([bounce_line, COMPLAINT_NEVER])
        .fold(1.0_f64, f64::max)
        * 1.1;
    let bar_w = CHART_W - RATE_LABEL_W;
    let at = |value: f64| RATE_LABEL_W + value / scale * bar_w;
    let rate_rows: Vec<RateRow> = overview
        .editions
        .iter()
        .zip(&rates)
        .enumerate()
        .map(|(i, (e, (bounce, complaint)))| RateRow {
            label: page.state.content.strings.get_with(
                language,
                "edition-title",
                &[("id", e.edition.to_string().into())],
            ),
            y: svg(i as f64 * ROW_H + 4.0),
            complaint_y: svg(i as f64 * ROW_H + 15.0),
            text_y: svg(i as f64 * ROW_H + 18.0),
            bounce_width: svg(bounce / scale * bar_w),
            complaint_width: svg(complaint / scale * bar_w),
            bounce: percent_text(language, *bounce),
            complaint: percent_text(language, *complaint),
            attempted: format_number(language, e.attempted),
            over: (bounce_line > 0.0 && *bounce > bounce_line) || *complaint >= COMPLAINT_NEVER,
        })
        .collect();
    let rates_height = (overview.editions.len().max(1) as f64) * ROW_H + 24.0;
    let feeds: Vec<serde_json::Value> = overview
        .feeds
        .iter()
        .map(|f| {
            serde_json::json!({
                "name": f.name,
                "kind": page.t(&format!("ops-feed-kind-{}", f.kind)),
                "url": f.url,
                "last_poll": f.last_poll_at.map(|at| format_datetime(language, at)),
                "last_success": f.last_success_at.map(|at| format_datetime(language, at)),
                "error": f.last_error,
                "failures": f.failures,
                "taken": format_number(language, f.items_taken),
            })
        })
        .collect();
    let approves = signed.session.account.role == crate::access::Role::Approver;
    let tokens = match approves {
        true => match crate::service::tokens::list(state.store.as_ref(), &signed.session.caller).await {
            Ok(tokens) => tokens
                .iter()
                .map(|t| {
                    serde_json::json!({
                        "id": t.id,
                        "label": t.label,
                        "role": page.t(&format!("role-{}", t.role)),
                        "owner": t.owner,
                        "last_used": t.last_used_at.map(|at| format_datetime(language, at)),
                        "revoked": t.revoked_at.map(|at| format_datetime(language, at)),
                    })
                })
                .collect::<Vec<_>>(),
            Err(error) => {
                tracing::error!(%error, "the ops view could not list the tokens");
                return unavailable(&state, language);
            }
        },
        false => Vec::new(),
    };
    page.render(
        StatusCode::OK,
        "console/ops.html",
        serde_json::json!({
            "database_ok": overview.database_ok,
            "backend": state.store.backend(),
            "transport": transport,
            "imap": imap,
            "daemons": daemons,
            "leader": leader,
            "queue": queue,
            "chart": { "width": CHART_W, "height": CHART_H, "bars": bars, "total_height": CHART_H + 20.0 },
            "hours": hour_rows,
            "rates": {
                "rows": rate_rows,
                "height": svg(rates_height),
                "width": CHART_W,
                "label_w": RATE_LABEL_W,
                "bounce_line": (bounce_line > 0.0).then(|| svg(at(bounce_line))),
                "aim": svg(at(COMPLAINT_AIM)),
                "never": svg(at(COMPLAINT_NEVER)),
                "line_bottom": svg(rates_height - 20.0),
                "bounce_line_text": percent_text(language, bounce_line),
            },
            "approves": approves,
            "tokens": tokens,
            "feeds": feeds,
            "now": format_datetime(language, now),
        }),
    )
}
