//! Segments in the console: the saved ones with their members now, and a builder over the same
//! filters whose member count follows the form as it is filled in (where script runs; a button
//! counts where it does not).

use axum::extract::{Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::{Page, Posted, Signed, encode, forbidden, needed_for, unavailable};
use crate::audience::{PLATFORMS, SegmentError, SegmentFilter};
use crate::cadence::Cadence;
use crate::language::Language;
use crate::pack::{format_datetime, format_number};
use crate::service::audience::{self as service, AudienceError};
use crate::store::StoreError;
use crate::web::{AppState, form};

/// A filter as typed into the builder, kept as typed so a refused form shows it again.
#[derive(Debug, Default, Serialize)]
struct Typed {
    name: String,
    languages: Vec<String>,
    platforms: Vec<String>,
    cadences: Vec<String>,
    tiers: String,
    topics: String,
    regions: String,
    min_followers: String,
    max_followers: String,
}

/// What is wrong with a field, in the person's words.
#[derive(Debug, Default, Serialize)]
struct FieldErrors {
    name: Option<String>,
    followers: Option<String>,
}

impl Typed {
    fn from_fields(fields: &[(String, String)]) -> Typed {
        let one = |name: &str| form::field(fields, name).map_or_else(String::new, |v| v.trim().to_string());
        let all = |name: &str| form::values(fields, name).map(str::to_string).collect();
        Typed {
            name: one("name"),
            languages: all("language"),
            platforms: all("platform"),
            cadences: all("cadence"),
            tiers: one("tiers"),
            topics: one("topics"),
            regions: one("regions"),
            min_followers: one("min_followers"),
            max_followers: one("max_followers"),
        }
    }

    /// The filter, or which field keeps it from being one (the id of the words for it).
    fn filter(&self) -> Result<SegmentFilter, &'static str> {
        let words = |text: &str| {
            text.split(',')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        };
        let number = |text: &str| -> Result<Option<u64>, &'static str> {
            let digits: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
            if digits.is_empty() {
                Ok(None)
            } else {
                digits.parse().map(Some).map_err(|_| "segment-error-number")
            }
        };
        Ok(SegmentFilter {
            languages: self.languages.iter().filter_map(|l| l.parse().ok()).collect(),
            platforms: self.platforms.clone(),
            tiers: words(&self.tiers),
            topics: words(&self.topics),
            regions: words(&self.regions),
            cadences: self.cadences.iter().filter_map(|c| c.parse().ok()).collect(),
            min_followers: number(&self.min_followers)?,
            max_followers: number(&self.max_followers)?,
        })
    }
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    checked: bool,
}

#[derive(Serialize)]
struct SavedRow {
    href: String,
    name: String,
    filter: String,
    members: String,
    created: String,
}

/// A saved filter in one line: each field's values, fields apart.
fn describe(page: &Page, filter: &SegmentFilter) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !filter.languages.is_empty() {
        parts.push(
            filter
                .languages
                .iter()
                .map(|l| l.own_name())
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    for list in [&filter.platforms, &filter.tiers, &filter.topics, &filter.regions] {
        if !list.is_empty() {
            parts.push(list.join(", "));
        }
    }
    if !filter.cadences.is_empty() {
        let names: Vec<String> = filter
            .cadences
            .iter()
            .map(|c| page.t(&format!("cadence-{c}")))
            .collect();
        parts.push(names.join(", "));
    }
    match (filter.min_followers, filter.max_followers) {
        (None, None) => {}
        (min, max) => {
            let n = |v: Option<u64>| v.map_or("…".to_string(), |v| format_number(page.language, v));
            parts.push(format!(
                "{}–{} {}",
                n(min),
                n(max),
                page.t("roster-col-followers").to_lowercase()
            ));
        }
    }
    if parts.is_empty() {
        page.t("segment-everyone")
    } else {
        parts.join(" · ")
    }
}

fn count_text(page: &Page, members: u64) -> String {
    page.state
        .content
        .strings
        .get_with(page.language, "segment-count", &[("count", (members as i64).into())])
}

async fn render(
    state: &AppState,
    signed: &Signed,
    typed: &Typed,
    errors: FieldErrors,
    count: Option<u64>,
    notice: Option<&str>,
) -> Response {
    let mut page = Page::new(state, signed, "segments", "segments-title");
    page.notice = notice.map(|id| page.t(id));
    if errors.name.is_some() || errors.followers.is_some() {
        page.error = Some(page.t("segment-not-saved"));
    }
    let saved = match service::segments(state.store.as_ref(), &signed.session.caller).await {
        Ok(saved) => saved,
        Err(AudienceError::Denied(denied)) => return forbidden(&page, needed_for(&denied)),
        Err(error) => {
            tracing::error!(%error, "the console's segments page failed");
            return unavailable(state, page.language);
        }
    };
    let rows: Vec<SavedRow> = saved
        .iter()
        .map(|s| SavedRow {
            href: format!("/roster?segment={}", encode(&s.segment.name)),
            name: s.segment.name.clone(),
            filter: describe(&page, &s.segment.filter),
            members: format_number(page.language, s.members),
            created: format!("{}, {}", format_datetime(page.language, s.created_at), s.created_by),
        })
        .collect();
    let choice = |value: String, label: String, picked: &[String]| Choice {
        checked: picked.contains(&value),
        value,
        label,
    };
    let languages: Vec<Choice> = Language::ALL
        .iter()
        .map(|l| choice(l.code().into(), l.own_name().into(), &typed.languages))
        .collect();
    let platforms: Vec<Choice> = PLATFORMS
        .iter()
        .map(|p| choice(p.to_string(), p.to_string(), &typed.platforms))
        .collect();
    let cadences: Vec<Choice> = Cadence::ALL
        .iter()
        .map(|c| choice(c.to_string(), page.t(&format!("cadence-{c}")), &typed.cadences))
        .collect();
    let status = if page.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page.render(
        status,
        "console/segments.html",
        serde_json::json!({
            "saved": rows,
            "typed": typed,
            "errors": errors,
            "languages": languages,
            "platforms": platforms,
            "cadences": cadences,
            "count": count.map(|n| count_text(&page, n)),
        }),
    )
}

#[derive(Deserialize)]
pub struct ListQuery {
    saved: Option<String>,
}

pub async fn page(State(state): State<AppState>, signed: Signed, Query(q): Query<ListQuery>) -> Response {
    let notice = q.saved.is_some().then_some("segment-saved-notice");
    let count = service::count_members(state.store.as_ref(), &signed.session.caller, SegmentFilter::default())
        .await
        .ok();
    render(
        &state,
        &signed,
        &Typed::default(),
        FieldErrors::default(),
        count,
        notice,
    )
    .await
}

/// The builder's count for the live display: `{"text": "…"}` in the person's language.
pub async fn count(State(state): State<AppState>, signed: Signed, RawQuery(query): RawQuery) -> Response {
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let page = Page::new(&state, &signed, "segments", "segments-title");
    let text = match Typed::from_fields(&fields).filter() {
        Ok(filter) => match service::count_members(state.store.as_ref(), &signed.session.caller, filter).await {
            Ok(n) => count_text(&page, n),
            Err(AudienceError::Denied(_)) => return StatusCode::FORBIDDEN.into_response(),
            Err(AudienceError::Segment(SegmentError::EmptyRange { .. })) => page.t("segment-error-range"),
            Err(AudienceError::Segment(_)) => page.t("segment-not-saved"),
            Err(error) => {
                tracing::error!(%error, "counting a segment's members failed");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        },
        Err(id) => page.t(id),
    };
    Json(serde_json::json!({ "text": text })).into_response()
}

/// Counts (the button beside the count, for pages without script) or saves.
pub async fn submit(State(state): State<AppState>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let typed = Typed::from_fields(&posted.fields);
    let t = |id: &str| state.content.strings.get(signed.language(), id);
    let filter = match typed.filter() {
        Ok(filter) => filter,
        Err(id) => {
            let errors = FieldErrors {
                followers: Some(t(id)),
                ..FieldErrors::default()
            };
            return render(&state, signed, &typed, errors, None, None).await;
        }
    };
    let (store, caller) = (state.store.as_ref(), &signed.session.caller);
    if posted.field("intent") == Some("count") {
        let count = service::count_members(store, caller, filter).await;
        return match count {
            Ok(n) => render(&state, signed, &typed, FieldErrors::default(), Some(n), None).await,
            Err(error) => refused(&state, signed, &typed, error).await,
        };
    }
    match service::add_segment(store, caller, &typed.name, filter, state.clock.now()).await {
        Ok(_) => Redirect::to("/segments?saved=1").into_response(),
        Err(error) => refused(&state, signed, &typed, error).await,
    }
}

async fn refused(state: &AppState, signed: &Signed, typed: &Typed, error: AudienceError) -> Response {
    let t = |id: &str| state.content.strings.get(signed.language(), id);
    let errors = match error {
        AudienceError::Segment(SegmentError::BadName(_)) => FieldErrors {
            name: Some(t("segment-error-name")),
            ..FieldErrors::default()
        },
        AudienceError::Store(StoreError::Conflict { .. }) => FieldErrors {
            name: Some(t("segment-error-taken")),
            ..FieldErrors::default()
        },
        AudienceError::Segment(SegmentError::EmptyRange { .. }) => FieldErrors {
            followers: Some(t("segment-error-range")),
            ..FieldErrors::default()
        },
        AudienceError::Segment(SegmentError::UnknownPlatform(_)) => FieldErrors {
            followers: Some(t("segment-not-saved")),
            ..FieldErrors::default()
        },
        AudienceError::Denied(denied) => {
            let page = Page::new(state, signed, "segments", "segments-title");
            return forbidden(&page, needed_for(&denied));
        }
        other => {
            tracing::error!(error = %other, "saving a segment failed");
            return unavailable(state, signed.language());
        }
    };
    render(state, signed, typed, errors, None, None).await
}
