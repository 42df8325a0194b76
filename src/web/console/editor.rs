//! The brief editor: one section per language (tabs where script runs), a field per part of
//! the pack, and beside each limited field its counts in the validator's own units. The same
//! validator the command line uses checks the text as it is typed (`…/editor/check`) and when
//! it is saved; a form made from an older version of the brief is refused, never saved over it.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Redirect, Response};
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Helsinki;
use serde::Serialize;

use super::briefs::{failed, stamp};
use super::{Page, Posted, Signed, not_found};
use crate::brief::{Brief, Counter, Instagram, LanguageBlock, Meta, Priority, Problem, TikTok, XPost, YouTube};
use crate::cadence::Cadence;
use crate::edition::BriefId;
use crate::language::Language;
use crate::pack::format_number;
use crate::service::briefs::{self as service, BriefError, DraftCheck};
use crate::web::{AppState, form};

/// A part of a language block as the editor shows it.
struct Part {
    /// The form field's name after the language code: `fi-instagram`.
    key: &'static str,
    /// The validator's name for the field.
    field: &'static str,
    label: &'static str,
    /// A text area (rows), or one line.
    rows: u8,
    /// One item per line (key messages, do, don't).
    lines: bool,
}

const PARTS: &[Part] = &[
    Part {
        key: "title",
        field: "title",
        label: "editor-title",
        rows: 0,
        lines: false,
    },
    Part {
        key: "summary",
        field: "summary",
        label: "editor-summary",
        rows: 3,
        lines: false,
    },
    Part {
        key: "key_messages",
        field: "key_messages",
        label: "editor-key-messages",
        rows: 4,
        lines: true,
    },
    Part {
        key: "do",
        field: "do",
        label: "editor-do",
        rows: 3,
        lines: true,
    },
    Part {
        key: "dont",
        field: "dont",
        label: "editor-dont",
        rows: 3,
        lines: true,
    },
    Part {
        key: "instagram",
        field: "instagram.caption",
        label: "editor-instagram",
        rows: 5,
        lines: false,
    },
    Part {
        key: "tiktok",
        field: "tiktok.script",
        label: "editor-tiktok",
        rows: 5,
        lines: false,
    },
    Part {
        key: "youtube-title",
        field: "youtube.title",
        label: "editor-youtube-title",
        rows: 0,
        lines: false,
    },
    Part {
        key: "youtube-description",
        field: "youtube.description",
        label: "editor-youtube-description",
        rows: 4,
        lines: false,
    },
    Part {
        key: "x",
        field: "x.post",
        label: "editor-x",
        rows: 3,
        lines: false,
    },
];

fn name(language: Language, part: &Part) -> String {
    format!("{}-{}", language.code(), part.key)
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// What a part holds in a block, as the form shows it.
fn value_of(block: Option<&LanguageBlock>, part: &Part) -> String {
    let Some(b) = block else { return String::new() };
    match part.key {
        "title" => b.title.clone(),
        "summary" => b.summary.clone(),
        "key_messages" => b.key_messages.join("\n"),
        "do" => b.dos.join("\n"),
        "dont" => b.dont.join("\n"),
        "instagram" => b.instagram.as_ref().map(|i| i.caption.clone()).unwrap_or_default(),
        "tiktok" => b.tiktok.as_ref().map(|t| t.script.clone()).unwrap_or_default(),
        "youtube-title" => b.youtube.as_ref().map(|y| y.title.clone()).unwrap_or_default(),
        "youtube-description" => b
            .youtube
            .as_ref()
            .and_then(|y| y.description.clone())
            .unwrap_or_default(),
        "x" => b.x.as_ref().map(|x| x.post.clone()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// The brief with the form's parts put in; what the form has no field for (meta, facts, talking
/// points, a language's own hashtags) stays as it was. A platform left empty is left out, and a
/// language left wholly empty too.
fn apply(base: &Brief, fields: &[(String, String)]) -> Brief {
    let mut brief = base.clone();
    apply_meta(&mut brief.meta, fields);
    for language in Language::ALL {
        let typed =
            |key: &str| form::field(fields, &format!("{}-{key}", language.code())).map(|v| v.replace("\r\n", "\n"));
        // A language the form did not carry at all is not touched.
        if PARTS.iter().all(|p| typed(p.key).is_none()) {
            continue;
        }
        let text = |key: &str| typed(key).map(|t| t.trim().to_string()).unwrap_or_default();
        let mut block = base.block(language).cloned().unwrap_or_default();
        block.title = text("title");
        block.summary = text("summary");
        block.key_messages = lines(&text("key_messages"));
        block.dos = lines(&text("do"));
        block.dont = lines(&text("dont"));
        let some = |t: String| (!t.is_empty()).then_some(t);
        block.instagram = some(text("instagram")).map(|caption| Instagram { caption });
        block.tiktok = some(text("tiktok")).map(|script| TikTok { script });
        block.x = some(text("x")).map(|post| XPost { post });
        let talking_points = block.youtube.take().map(|y| y.talking_points).unwrap_or_default();
        let (title, description) = (text("youtube-title"), some(text("youtube-description")));
        let keep = !title.is_empty() || description.is_some() || !talking_points.is_empty();
        block.youtube = keep.then_some(YouTube {
            title,
            talking_points,
            description,
        });
        let empty = block == LanguageBlock::default();
        *brief.block_mut(language) = (!empty).then_some(block);
    }
    brief
}

/// The brief's details, from the form's `meta-` fields; a form without them (an older page)
/// leaves them as they were, and so does a date that does not read as one.
fn apply_meta(meta: &mut Meta, fields: &[(String, String)]) {
    let one = |name: &str| form::field(fields, name).map(|v| v.trim().to_string());
    if one("meta-slug").is_none() {
        return;
    }
    let words = |name: &str| -> Vec<String> {
        one(name)
            .unwrap_or_default()
            .split([',', ' ', '\n'])
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    meta.slug = one("meta-slug").unwrap_or_default();
    meta.source = one("meta-source").unwrap_or_default();
    meta.contact = one("meta-contact").filter(|c| !c.is_empty());
    meta.priority = if one("meta-priority").as_deref() == Some("urgent") {
        Priority::Urgent
    } else {
        Priority::Routine
    };
    for (name, slot) in [("meta-embargo", &mut meta.embargo), ("meta-expires", &mut meta.expires)] {
        match one(name).as_deref() {
            Some("") | None => *slot = None,
            Some(text) => {
                if let Some(at) = helsinki_input(text) {
                    *slot = Some(at);
                }
            }
        }
    }
    meta.topics = words("meta-topics");
    meta.regions = words("meta-regions");
    meta.hashtags = words("meta-hashtags");
    meta.cadences = form::values(fields, "meta-cadence")
        .filter_map(|v| v.parse::<Cadence>().ok())
        .collect();
}

/// A `datetime-local` value (`2026-11-23T08:00`) read as Helsinki time, where the desk is.
fn helsinki_input(text: &str) -> Option<DateTime<FixedOffset>> {
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    let local = Helsinki.from_local_datetime(&naive).earliest()?;
    Some(local.fixed_offset())
}

/// The other way: what a `datetime-local` field shows for a stored instant.
fn helsinki_value(at: Option<DateTime<FixedOffset>>) -> String {
    at.map(|at| at.with_timezone(&Helsinki).format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

#[derive(Serialize)]
struct MetaView {
    slug: String,
    source: String,
    contact: String,
    urgent: bool,
    embargo: String,
    expires: String,
    topics: String,
    regions: String,
    hashtags: String,
    cadences: Vec<serde_json::Value>,
    problems: BTreeMap<&'static str, Vec<String>>,
}

/// The detail fields problems are shown beside.
const META_FIELDS: &[&str] = &[
    "meta-slug",
    "meta-source",
    "meta-embargo",
    "meta-cadences",
    "meta-hashtags",
];

/// Where a problem about the brief's details is shown: the form field's name.
fn meta_field(field: &str) -> Option<&'static str> {
    let base = field.split('[').next().unwrap_or(field);
    match base {
        "meta.slug" => Some("meta-slug"),
        "meta.source" => Some("meta-source"),
        "meta.embargo" => Some("meta-embargo"),
        "meta.cadences" => Some("meta-cadences"),
        "meta.hashtags" => Some("meta-hashtags"),
        "meta.supersedes" => Some("meta-slug"),
        _ => None,
    }
}

fn meta_view(page: &Page, meta: &Meta, problems: &[ProblemView]) -> MetaView {
    // Every field has its list, empty or not: the template asks for each.
    let mut by_field: BTreeMap<&'static str, Vec<String>> = META_FIELDS.iter().map(|f| (*f, Vec::new())).collect();
    for p in problems {
        let field = p.field.as_deref().and_then(|f| META_FIELDS.iter().find(|m| **m == f));
        if let Some(field) = field {
            by_field.entry(field).or_default().push(p.text.clone());
        }
    }
    MetaView {
        slug: meta.slug.clone(),
        source: meta.source.clone(),
        contact: meta.contact.clone().unwrap_or_default(),
        urgent: meta.priority == Priority::Urgent,
        embargo: helsinki_value(meta.embargo),
        expires: helsinki_value(meta.expires),
        topics: meta.topics.join(", "),
        regions: meta.regions.join(", "),
        hashtags: meta.hashtags.join(" "),
        cadences: Cadence::ALL
            .iter()
            .map(|c| serde_json::json!({ "value": c.to_string(), "label": page.t(&format!("cadence-{c}")), "checked": meta.cadences.contains(c) }))
            .collect(),
        problems: by_field,
    }
}

/// Each limited field's counts in one line, by form field name.
fn counter_texts(page: &Page, counters: &[Counter]) -> BTreeMap<String, Vec<CounterView>> {
    let mut by_field: BTreeMap<String, Vec<CounterView>> = BTreeMap::new();
    for counter in counters {
        let Some(part) = PARTS.iter().find(|p| p.field == counter.field) else {
            continue;
        };
        let mut text = page.state.content.strings.get_with(
            page.language,
            "editor-counter",
            &[
                ("count", format_number(page.language, counter.count as u64).into()),
                ("max", format_number(page.language, counter.max as u64).into()),
                ("unit", page.t(super::unit_words(counter.unit)).into()),
            ],
        );
        if let Some(via) = &counter.via {
            text.push_str(&format!(" ({via})"));
        }
        by_field
            .entry(name(counter.language, part))
            .or_default()
            .push(CounterView {
                text,
                over: counter.over(),
            });
    }
    by_field
}

#[derive(Serialize, Clone)]
struct CounterView {
    text: String,
    over: bool,
}

#[derive(Serialize, Clone)]
struct ProblemView {
    /// The form field it belongs to, when there is one.
    field: Option<String>,
    text: String,
}

fn problem_views(page: &Page, problems: &[Problem]) -> Vec<ProblemView> {
    let everywhere = page.t("brief-problem-all-languages");
    problems
        .iter()
        .map(|p| {
            let field = match p.language {
                Some(language) => PARTS
                    .iter()
                    .find(|part| part.field == p.field)
                    .map(|part| name(language, part)),
                None => meta_field(&p.field).map(str::to_string),
            };
            let place = p.language.map_or(everywhere.clone(), |l| l.code().to_string());
            ProblemView {
                field,
                text: format!(
                    "{place} · {}: {}",
                    p.field,
                    super::problem_rule(page.state, page.language, p)
                ),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct FieldView {
    name: String,
    label: String,
    value: String,
    rows: u8,
    hint: Option<String>,
    limited: bool,
    counters: Vec<CounterView>,
    problems: Vec<String>,
}

#[derive(Serialize)]
struct LanguageView {
    code: &'static str,
    name: &'static str,
    fields: Vec<FieldView>,
}

struct Form<'a> {
    id: BriefId,
    updated: DateTime<Utc>,
    brief: &'a Brief,
    check: &'a DraftCheck,
}

fn render(state: &AppState, signed: &Signed, form: Form, status: StatusCode, error: Option<String>) -> Response {
    let mut page = Page::new(state, signed, "briefs", "editor-heading");
    page.error = error;
    let counters = counter_texts(&page, &form.check.counters);
    let problems = problem_views(&page, &form.check.problems);
    let languages: Vec<LanguageView> = Language::ALL
        .iter()
        .map(|&language| LanguageView {
            code: language.code(),
            name: language.own_name(),
            fields: PARTS
                .iter()
                .map(|part| {
                    let field = name(language, part);
                    FieldView {
                        label: page.t(part.label),
                        value: value_of(form.brief.block(language), part),
                        rows: part.rows,
                        hint: part.lines.then(|| page.t("editor-one-per-line")),
                        limited: part.field.contains('.'),
                        counters: counters.get(&field).cloned().unwrap_or_default(),
                        problems: problems
                            .iter()
                            .filter(|p| p.field.as_deref() == Some(field.as_str()))
                            .map(|p| p.text.clone())
                            .collect(),
                        name: field,
                    }
                })
                .collect(),
        })
        .collect();
    let summary = problems_summary(&page, problems.len());
    let meta = meta_view(&page, &form.brief.meta, &problems);
    page.render(
        status,
        "console/editor.html",
        serde_json::json!({
            "id": form.id,
            "title": form.brief.fi.as_ref().or(form.brief.sv.as_ref()).or(form.brief.en.as_ref()).map(|b| b.title.clone()),
            "updated": stamp(form.updated),
            "languages": languages,
            "meta": meta,
            "problems": problems,
            "summary": summary,
        }),
    )
}

fn problems_summary(page: &Page, count: usize) -> String {
    if count == 0 {
        page.t("brief-no-problems")
    } else {
        page.state
            .content
            .strings
            .get_with(page.language, "briefs-problems", &[("count", (count as i64).into())])
    }
}

pub async fn page(State(state): State<AppState>, signed: Signed, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<BriefId>() else {
        return not_found(&state, signed.language());
    };
    let (store, caller) = (state.store.as_ref(), &signed.session.caller);
    let current = match service::read(store, caller, id).await {
        Ok(current) => current,
        Err(error) => return failed(&Page::new(&state, &signed, "briefs", "briefs-title"), error),
    };
    let check = match service::check_draft(&state.content, caller, &current.brief) {
        Ok(check) => check,
        Err(error) => return failed(&Page::new(&state, &signed, "briefs", "briefs-title"), error),
    };
    let form = Form {
        id,
        updated: current.updated_at,
        brief: &current.brief,
        check: &check,
    };
    render(&state, &signed, form, StatusCode::OK, None)
}

/// The form's brief, made from the brief as stored now.
async fn typed_brief(state: &AppState, posted: &Posted, id: BriefId) -> Result<(Brief, DateTime<Utc>), BriefError> {
    let caller = &posted.signed.session.caller;
    let current = service::read(state.store.as_ref(), caller, id).await?;
    Ok((apply(&current.brief, &posted.fields), current.updated_at))
}

/// The live check as one types: problems and counts, nothing stored.
pub async fn check(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let Ok(id) = id.parse::<BriefId>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let result = match typed_brief(&state, &posted, id).await {
        Ok((brief, _)) => service::check_draft(&state.content, &signed.session.caller, &brief),
        Err(error) => Err(error),
    };
    let check = match result {
        Ok(check) => check,
        Err(BriefError::Denied(_)) => return StatusCode::FORBIDDEN.into_response(),
        Err(BriefError::NotFound(_)) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "checking a brief being edited failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let page = Page::new(&state, signed, "briefs", "editor-heading");
    let counters = counter_texts(&page, &check.counters);
    let problems = problem_views(&page, &check.problems);
    Json(serde_json::json!({
        "summary": problems_summary(&page, problems.len()),
        "problems": problems,
        "counters": counters,
    }))
    .into_response()
}

/// Checks (the button for pages without script) or saves.
pub async fn submit(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let Ok(id) = id.parse::<BriefId>() else {
        return not_found(&state, signed.language());
    };
    let (brief, updated) = match typed_brief(&state, &posted, id).await {
        Ok(typed) => typed,
        Err(error) => return failed(&Page::new(&state, signed, "briefs", "briefs-title"), error),
    };
    let caller = &signed.session.caller;
    let seen = posted
        .field("updated")
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(DateTime::<Utc>::from_timestamp_micros);
    let show_again = |error: Option<String>, status: StatusCode, updated: DateTime<Utc>| {
        let check = service::check_draft(&state.content, caller, &brief);
        match check {
            Ok(check) => {
                let form = Form {
                    id,
                    updated,
                    brief: &brief,
                    check: &check,
                };
                render(&state, signed, form, status, error)
            }
            Err(error) => failed(&Page::new(&state, signed, "briefs", "briefs-title"), error),
        }
    };
    if posted.field("intent") == Some("check") {
        return show_again(None, StatusCode::OK, seen.unwrap_or(updated));
    }
    let now = state.clock.now();
    match service::replace(
        state.store.as_ref(),
        &state.content,
        id,
        brief.clone(),
        seen,
        caller,
        now,
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/briefs/{id}?notice=edited")).into_response(),
        Err(BriefError::Stale { status, .. }) => {
            let text = super::briefs::stale(&state, signed.language(), "editor-stale", status);
            // The stamp they had stays, so that saving again is refused again until they
            // have looked at the brief as it is now.
            show_again(Some(text), StatusCode::CONFLICT, seen.unwrap_or(updated))
        }
        Err(error @ BriefError::Lifecycle { .. }) => {
            let text = super::briefs::refusal(&state, signed.language(), &error);
            show_again(Some(text), StatusCode::CONFLICT, updated)
        }
        Err(error) => failed(&Page::new(&state, signed, "briefs", "briefs-title"), error),
    }
}

/// A new brief from an empty page: a draft with nothing in it, opened in the editor.
pub async fn start(State(state): State<AppState>, posted: Posted) -> Response {
    let signed = &posted.signed;
    let now = state.clock.now();
    match service::start(state.store.as_ref(), &state.content, &signed.session.caller, now).await {
        Ok(started) => Redirect::to(&format!("/briefs/{}/editor", started.stored.id)).into_response(),
        Err(error) => failed(&Page::new(&state, signed, "briefs", "briefs-title"), error),
    }
}
