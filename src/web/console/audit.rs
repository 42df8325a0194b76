//! The audit log in the console: who did what to whom, newest first, picked by kind of action,
//! by who acted and by what it was done to, a hundred entries a page.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::{Page, Signed, encode, forbidden, needed_for, unavailable};
use crate::pack::format_datetime;
use crate::service::audit::{self, AuditError};
use crate::store::AuditQuery;
use crate::web::AppState;

const PAGE_SIZE: u64 = 100;

/// The families of actions, as the log names them.
const FAMILIES: &[&str] = &[
    "session",
    "account",
    "token",
    "brief",
    "roster",
    "influencer",
    "segment",
    "schedule",
    "edition",
    "question",
    "suppression",
];

#[derive(Deserialize, Default)]
pub struct AuditParams {
    family: Option<String>,
    actor: Option<String>,
    subject: Option<String>,
    before: Option<i64>,
}

#[derive(Serialize)]
struct Row {
    at: String,
    actor: String,
    action: String,
    subject: String,
    detail: String,
}

#[derive(Serialize)]
struct Family {
    value: &'static str,
    label: String,
    selected: bool,
}

fn typed(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

pub async fn page(State(state): State<AppState>, signed: Signed, Query(p): Query<AuditParams>) -> Response {
    let page = Page::new(&state, &signed, "audit", "audit-title");
    let family = p
        .family
        .as_deref()
        .and_then(|f| FAMILIES.iter().find(|known| **known == f).copied());
    let query = AuditQuery {
        family: family.map(str::to_string),
        actor: typed(p.actor.as_deref()),
        subject: typed(p.subject.as_deref()),
        before: p.before,
        limit: PAGE_SIZE + 1,
    };
    let mut entries = match audit::search(state.store.as_ref(), &signed.session.caller, &query).await {
        Ok(entries) => entries,
        Err(AuditError::Denied(denied)) => return forbidden(&page, needed_for(&denied)),
        Err(AuditError::Store(error)) => {
            tracing::error!(%error, "the console's audit page could not reach the database");
            return unavailable(&state, page.language);
        }
    };
    let more = entries.len() as u64 > PAGE_SIZE;
    entries.truncate(PAGE_SIZE as usize);
    let older = match (more, entries.last()) {
        (true, Some(last)) => {
            let mut parts = vec![format!("before={}", last.id)];
            for (name, value) in [
                ("family", query.family.as_deref()),
                ("actor", query.actor.as_deref()),
                ("subject", query.subject.as_deref()),
            ] {
                if let Some(value) = value {
                    parts.push(format!("{name}={}", encode(value)));
                }
            }
            Some(format!("/audit?{}", parts.join("&")))
        }
        _ => None,
    };
    let rows: Vec<Row> = entries
        .iter()
        .map(|e| Row {
            at: format_datetime(page.language, e.at),
            actor: e.actor.clone(),
            action: e.action.clone(),
            subject: e.subject.clone(),
            detail: match &e.detail {
                serde_json::Value::Object(map) if map.is_empty() => String::new(),
                other => other.to_string(),
            },
        })
        .collect();
    let mut families = vec![Family {
        value: "",
        label: page.t("audit-family-any"),
        selected: family.is_none(),
    }];
    families.extend(FAMILIES.iter().map(|f| Family {
        value: f,
        label: page.t(&format!("audit-family-{f}")),
        selected: family == Some(*f),
    }));
    page.render(
        StatusCode::OK,
        "console/audit.html",
        serde_json::json!({
            "entries": rows,
            "families": families,
            "actor": query.actor,
            "subject": query.subject,
            "older": older,
            "newest": p.before.is_some().then_some("/audit"),
        }),
    )
}
