//! The question desk: questions grouped by brief so the most asked stand out, filtered and
//! searched; one question with its reply (the raw message on request) and its workflow
//! (triage, forward to an authority, answer with text or a link, dismiss, tags, consent to be
//! named, assigning an unmatched one); the CSV for the authorities; and the next edition's
//! "you asked" section as each language's readers will get it.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::{Page, Posted, Signed, encode, forbidden, needed_for, not_found, unavailable};
use crate::audience::EmailAddress;
use crate::ids::{BriefId, EditionId, QuestionId};
use crate::language::Language;
use crate::pack::{format_datetime, format_number};
use crate::questions::{QuestionRecord, QuestionStatus, Tag, Transition, TransitionError};
use crate::service::questions::{self as service, QuestionError};
use crate::store::{Assignment, QuestionQuery, StoreError};
use crate::web::AppState;

const PAGE_SIZE: u64 = 50;

fn failed(page: &Page, error: QuestionError) -> Response {
    match error {
        QuestionError::Denied(denied) => forbidden(page, needed_for(&denied)),
        QuestionError::NotFound(_) => not_found(page.state, page.language),
        other => {
            tracing::error!(error = %other, "a console question page failed");
            unavailable(page.state, page.language)
        }
    }
}

#[derive(Deserialize, Default)]
pub struct DeskParams {
    status: Option<String>,
    brief: Option<String>,
    language: Option<String>,
    tag: Option<String>,
    q: Option<String>,
    unmatched: Option<String>,
    /// Only those handed to the person looking.
    mine: Option<String>,
    offset: Option<u64>,
}

fn typed(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

impl DeskParams {
    /// The filters as typed; one that does not read is left out and named.
    fn query(&self, page: &Page, problems: &mut Vec<String>) -> QuestionQuery {
        let me = page.signed.map(|s| s.session.account.id);
        let mut bad = |field: &str| problems.push(page.t(&format!("desk-bad-{field}")));
        QuestionQuery {
            status: typed(self.status.as_deref()).and_then(|s| s.parse().map_err(|_| bad("status")).ok()),
            brief_id: typed(self.brief.as_deref()).and_then(|b| b.parse().map_err(|_| bad("brief")).ok()),
            edition_id: None,
            language: typed(self.language.as_deref()).and_then(|l| l.parse().map_err(|_| bad("language")).ok()),
            tag: typed(self.tag.as_deref()).and_then(|t| Tag::parse(t).map_err(|_| bad("tag")).ok()),
            search: typed(self.q.as_deref()).map(str::to_string),
            unmatched: typed(self.unmatched.as_deref()).is_some(),
            assignee: typed(self.mine.as_deref()).and(me),
            limit: Some(PAGE_SIZE + 1),
            offset: self.offset.unwrap_or(0),
        }
    }

    /// The same filters as a query string, for links that keep them.
    fn link(&self, path: &str, offset: Option<u64>) -> String {
        let mut parts = Vec::new();
        for (name, value) in [
            ("status", &self.status),
            ("brief", &self.brief),
            ("language", &self.language),
            ("tag", &self.tag),
            ("q", &self.q),
            ("unmatched", &self.unmatched),
            ("mine", &self.mine),
        ] {
            if let Some(value) = typed(value.as_deref()) {
                parts.push(format!("{name}={}", encode(value)));
            }
        }
        if let Some(offset) = offset {
            parts.push(format!("offset={offset}"));
        }
        match parts.is_empty() {
            true => path.to_string(),
            false => format!("{path}?{}", parts.join("&")),
        }
    }
}

#[derive(Serialize)]
struct Card {
    id: QuestionId,
    received: String,
    asker: Option<String>,
    language: &'static str,
    brief: Option<String>,
    status: &'static str,
    status_label: String,
    tags: Vec<String>,
    text: String,
    answer: Option<String>,
    assignee: Option<String>,
}

fn card(page: &Page, q: &QuestionRecord) -> Card {
    Card {
        id: q.id,
        received: format_datetime(page.language, q.received_at),
        asker: q.influencer_name.clone().or_else(|| q.influencer_email.clone()),
        language: q.language.map_or("", Language::code),
        brief: q.brief_slug.clone(),
        status: q.status.as_str(),
        status_label: page.t(&format!("question-status-{}", q.status)),
        tags: q.tags.iter().map(|t| t.as_str().to_string()).collect(),
        text: q.text.clone(),
        answer: q.answer.clone().or_else(|| q.answer_url.clone()),
        assignee: q.assignee.clone(),
    }
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

pub async fn desk(State(state): State<AppState>, signed: Signed, Query(p): Query<DeskParams>) -> Response {
    let mut page = Page::new(&state, &signed, "questions", "desk-title");
    let mut problems = Vec::new();
    let query = p.query(&page, &mut problems);
    if !problems.is_empty() {
        page.error = Some(problems.join(" "));
    }
    let (store, caller) = (state.store.as_ref(), &signed.session.caller);
    let groups = match service::by_brief(store, caller, QuestionQuery::default()).await {
        Ok(groups) => groups,
        Err(error) => return failed(&page, error),
    };
    let mut questions = match service::list(store, caller, &query).await {
        Ok(questions) => questions,
        Err(error) => return failed(&page, error),
    };
    let more = questions.len() as u64 > PAGE_SIZE;
    questions.truncate(PAGE_SIZE as usize);
    let language = page.language;
    let groups: Vec<serde_json::Value> = groups
        .iter()
        .map(|g| {
            let href = match g.brief_id {
                Some(id) => format!("/questions?brief={id}"),
                None => "/questions?unmatched=1".to_string(),
            };
            serde_json::json!({
                "href": href,
                "label": g.brief_slug.clone().unwrap_or_else(|| page.t("desk-no-brief")),
                "total": format_number(language, g.total),
                "open": format_number(language, g.open),
                "answered": format_number(language, g.answered),
                "current": g.brief_id.is_some() && g.brief_id == query.brief_id,
            })
        })
        .collect();
    let mut statuses = vec![Choice {
        value: String::new(),
        label: page.t("deliveries-any"),
        selected: query.status.is_none(),
    }];
    statuses.extend(QuestionStatus::ALL.iter().map(|s| Choice {
        value: s.as_str().to_string(),
        label: page.t(&format!("question-status-{s}")),
        selected: query.status == Some(*s),
    }));
    let mut languages = vec![Choice {
        value: String::new(),
        label: page.t("deliveries-any"),
        selected: query.language.is_none(),
    }];
    languages.extend(Language::ALL.iter().map(|l| Choice {
        value: l.code().to_string(),
        label: l.own_name().to_string(),
        selected: query.language == Some(*l),
    }));
    let cards: Vec<Card> = questions.iter().map(|q| card(&page, q)).collect();
    let offset = query.offset;
    page.render(
        StatusCode::OK,
        "console/questions.html",
        serde_json::json!({
            "groups": groups,
            "questions": cards,
            "statuses": statuses,
            "languages": languages,
            "brief": typed(p.brief.as_deref()),
            "tag": typed(p.tag.as_deref()),
            "q": typed(p.q.as_deref()),
            "unmatched": query.unmatched,
            "mine": query.assignee.is_some(),
            "export": p.link("/questions/export.csv", None),
            "older": more.then(|| p.link("/questions", Some(offset + PAGE_SIZE))),
            "newer": (offset > 0).then(|| p.link("/questions", Some(offset.saturating_sub(PAGE_SIZE)))),
        }),
    )
}

/// Every question the filters match, as the CSV the authorities get.
pub async fn export(State(state): State<AppState>, signed: Signed, Query(p): Query<DeskParams>) -> Response {
    let page = Page::new(&state, &signed, "questions", "desk-title");
    let mut ignored = Vec::new();
    let query = QuestionQuery {
        limit: None,
        offset: 0,
        ..p.query(&page, &mut ignored)
    };
    match service::export_csv(state.store.as_ref(), &signed.session.caller, query).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"questions.csv\""),
            ],
            csv,
        )
            .into_response(),
        Err(error) => failed(&page, error),
    }
}

/// The next edition's "you asked" section, per language, as its readers will get it.
pub async fn you_asked(State(state): State<AppState>, signed: Signed) -> Response {
    let page = Page::new(&state, &signed, "questions", "you-asked-title");
    let mut sections = Vec::new();
    for language in Language::ALL {
        let answers = match service::you_asked(state.store.as_ref(), &signed.session.caller, Some(language)).await {
            Ok(answers) => answers,
            Err(error) => return failed(&page, error),
        };
        let heading = state.content.strings.get(language, "you-asked-heading");
        sections.push(serde_json::json!({
            "code": language.code(),
            "name": language.own_name(),
            "heading": heading,
            "answers": answers.iter().map(|a| serde_json::json!({
                "question": a.question,
                "answer": a.answer,
                "url": a.answer_url,
                "asked_by": a.asked_by,
            })).collect::<Vec<_>>(),
        }));
    }
    page.render(
        StatusCode::OK,
        "console/you_asked.html",
        serde_json::json!({ "sections": sections }),
    )
}

#[derive(Deserialize, Default)]
pub struct QuestionParams {
    raw: Option<String>,
    notice: Option<String>,
}

/// What the question page shows after a refused action: its words and the field it is about.
#[derive(Default)]
struct Refusal {
    field: Option<&'static str>,
    message: Option<String>,
    typed: Vec<(String, String)>,
}

async fn question_page(
    state: &AppState,
    signed: &Signed,
    id: QuestionId,
    raw: bool,
    notice: Option<&str>,
    refusal: Refusal,
) -> Response {
    let mut page = Page::new(state, signed, "questions", "desk-title");
    let view = match service::show(state.store.as_ref(), &signed.session.caller, id, raw).await {
        Ok(view) => view,
        Err(error) => return failed(&page, error),
    };
    let colleagues = match service::colleagues(state.store.as_ref(), &signed.session.caller).await {
        Ok(people) => people,
        Err(error) => return failed(&page, error),
    };
    let q = &view.question;
    let colleagues: Vec<serde_json::Value> = colleagues
        .iter()
        .map(|a| serde_json::json!({ "email": a.email, "name": a.name, "selected": q.assignee_id == Some(a.id) }))
        .collect();
    page.title = state
        .content
        .strings
        .get_with(page.language, "question-title", &[("id", id.to_string().into())]);
    page.notice = notice.and_then(|n| match n {
        "triage" | "forward" | "answer" | "dismiss" | "tags" | "consent" | "assign" | "hand" => {
            Some(page.t(&format!("question-done-{n}")))
        }
        _ => None,
    });
    page.error = refusal.message.clone();
    let status = q.status;
    let open = matches!(
        status,
        QuestionStatus::New | QuestionStatus::Triaged | QuestionStatus::Forwarded
    );
    let typed = |name: &str| {
        crate::web::form::field(&refusal.typed, name)
            .unwrap_or_default()
            .to_string()
    };
    let raw_text = view
        .raw
        .as_ref()
        .map(|r| r.as_deref().map(|bytes| String::from_utf8_lossy(bytes).into_owned()));
    page.render(
        if refusal.message.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        "console/question.html",
        serde_json::json!({
            "q": card(&page, q),
            "authority": q.authority,
            "answer_text": q.answer,
            "answer_url": q.answer_url,
            "may_name": q.may_name,
            "unmatched": q.influencer_id.is_none() && q.edition_id.is_none(),
            "published": q.published_edition_id,
            "edition": q.edition_id,
            "seen": status.as_str(),
            "can_triage": status == QuestionStatus::New,
            "can_forward": matches!(status, QuestionStatus::New | QuestionStatus::Triaged),
            "can_answer": open,
            "can_dismiss": open,
            "raw_asked": raw,
            "raw": raw_text,
            "colleagues": colleagues,
            "field": refusal.field,
            "typed_authority": typed("authority"),
            "typed_text": typed("text"),
            "typed_url": typed("url"),
        }),
    )
}

/// The status the question had on the page the form came from.
fn seen_status(posted: &Posted) -> Option<QuestionStatus> {
    posted.field("seen").and_then(|s| s.parse().ok())
}

fn question_id(text: &str) -> Option<QuestionId> {
    text.parse().ok()
}

pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(p): Query<QuestionParams>,
) -> Response {
    let Some(id) = question_id(&id) else {
        return not_found(&state, signed.language());
    };
    question_page(
        &state,
        &signed,
        id,
        p.raw.is_some(),
        p.notice.as_deref(),
        Refusal::default(),
    )
    .await
}

/// A workflow step refused, in the person's words and beside its field.
fn refusal_of(page: &Page, error: &TransitionError) -> Refusal {
    let message = match error {
        TransitionError::NoAuthority => page.t("question-error-authority"),
        TransitionError::NoAnswer => page.t("question-error-answer"),
        TransitionError::BadUrl(url) => {
            page.state
                .content
                .strings
                .get_with(page.language, "question-error-url", &[("url", url.clone().into())])
        }
        TransitionError::NotAllowed { from, .. } => page.state.content.strings.get_with(
            page.language,
            "question-error-moved",
            &[("status", page.t(&format!("question-status-{from}")).into())],
        ),
    };
    Refusal {
        field: Some(error.field()),
        message: Some(message),
        typed: Vec::new(),
    }
}

pub async fn act(
    State(state): State<AppState>,
    Path((id, action)): Path<(String, String)>,
    posted: Posted,
) -> Response {
    let signed = &posted.signed;
    let page = Page::new(&state, signed, "questions", "desk-title");
    let Some(id) = question_id(&id) else {
        return not_found(&state, page.language);
    };
    let (store, caller, now) = (state.store.as_ref(), &signed.session.caller, state.clock.now());
    let field = |name: &str| posted.field(name).unwrap_or_default();
    let transition = match action.as_str() {
        "triage" => Ok(Some(Transition::Triage)),
        "forward" => Transition::forward(field("authority")).map(Some),
        "answer" => Transition::answer(Some(field("text")), Some(field("url"))).map(Some),
        "dismiss" => Ok(Some(Transition::Dismiss {
            reason: typed(Some(field("reason"))).map(str::to_string),
        })),
        "tags" | "consent" | "assign" | "hand" => Ok(None),
        _ => return not_found(&state, page.language),
    };
    let shown_again = |refusal: Refusal| {
        let refusal = Refusal {
            typed: posted.fields.clone(),
            ..refusal
        };
        question_page(&state, signed, id, false, None, refusal)
    };
    let done = match transition {
        Err(error) => return shown_again(refusal_of(&page, &error)).await,
        Ok(Some(transition)) => {
            // Moved on since the page was drawn (a colleague answered it, say): nothing is done.
            service::transition(store, caller, id, &transition, seen_status(&posted), now).await
        }
        Ok(None) if action == "tags" => {
            let parse = |name: &str| -> Result<Vec<Tag>, ()> {
                field(name)
                    .split([',', ' '])
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| Tag::parse(t).map_err(|_| ()))
                    .collect()
            };
            match (parse("add"), parse("remove")) {
                (Ok(add), Ok(remove)) => service::tag(store, caller, id, &add, &remove, now).await,
                _ => {
                    return shown_again(Refusal {
                        field: Some("tags"),
                        message: Some(page.t("desk-bad-tag")),
                        ..Refusal::default()
                    })
                    .await;
                }
            }
        }
        Ok(None) if action == "consent" => service::consent(store, caller, id, field("may_name") == "yes", now).await,
        Ok(None) if action == "hand" => match typed(Some(field("assignee"))).map(EmailAddress::parse).transpose() {
            Ok(to) => service::hand(store, caller, id, to.as_ref(), now).await,
            Err(_) => {
                return shown_again(Refusal {
                    field: Some("assignee"),
                    message: Some(page.t("question-error-colleague")),
                    ..Refusal::default()
                })
                .await;
            }
        },
        Ok(None) => {
            let influencer = typed(Some(field("influencer"))).map(EmailAddress::parse);
            let edition = typed(Some(field("edition"))).map(|e| e.parse::<EditionId>());
            let brief = typed(Some(field("brief"))).map(|b| b.parse::<BriefId>());
            match (influencer.transpose(), edition.transpose(), brief.transpose()) {
                (Ok(influencer), Ok(edition_id), Ok(brief_id)) => {
                    let assignment = Assignment {
                        influencer,
                        edition_id,
                        brief_id,
                    };
                    service::assign(store, caller, id, &assignment, now).await
                }
                _ => {
                    return shown_again(Refusal {
                        field: Some("assign"),
                        message: Some(page.t("question-error-assign")),
                        ..Refusal::default()
                    })
                    .await;
                }
            }
        }
    };
    match done {
        Ok(_) => Redirect::to(&format!("/questions/{id}?notice={action}")).into_response(),
        Err(QuestionError::NoColleague(_)) => {
            shown_again(Refusal {
                field: Some("assignee"),
                message: Some(page.t("question-error-colleague")),
                ..Refusal::default()
            })
            .await
        }
        Err(QuestionError::NothingToAssign(_)) => {
            shown_again(Refusal {
                field: Some("assign"),
                message: Some(page.t("question-error-assign")),
                ..Refusal::default()
            })
            .await
        }
        Err(QuestionError::Moved { status, .. }) => {
            let error = TransitionError::NotAllowed {
                from: status,
                verb: "changed",
            };
            shown_again(refusal_of(&page, &error)).await
        }
        // Not allowed from the status the page showed, which it still has (else it had moved).
        Err(error @ QuestionError::Store(StoreError::Conflict { .. })) => match seen_status(&posted) {
            Some(from) => {
                let error = TransitionError::NotAllowed { from, verb: "changed" };
                shown_again(refusal_of(&page, &error)).await
            }
            None => failed(&page, error),
        },
        Err(error) => failed(&page, error),
    }
}
