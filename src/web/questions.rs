//! `/api/v1/questions`: the question log, for coordinators.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiError, AppState, Caller};
use crate::audience::EmailAddress;
use crate::ids::{BriefId, EditionId, QuestionId};
use crate::language::Language;
use crate::questions::{QuestionStatus, Tag, Transition, TransitionError};
use crate::service::questions::{self as service, QuestionError};
use crate::store::{Assignment, QuestionQuery};

#[derive(Debug, Deserialize)]
pub struct ListParams {
    status: Option<String>,
    brief: Option<BriefId>,
    edition: Option<EditionId>,
    language: Option<String>,
    tag: Option<String>,
    search: Option<String>,
    #[serde(default)]
    unmatched: bool,
    limit: Option<u64>,
    #[serde(default)]
    offset: u64,
    format: Option<String>,
}

impl ListParams {
    fn query(&self) -> Result<QuestionQuery, ApiError> {
        Ok(QuestionQuery {
            assignee: None,
            status: self
                .status
                .as_deref()
                .map(|s| s.parse::<QuestionStatus>())
                .transpose()
                .map_err(|e| ApiError::bad_request("status", e.to_string()))?,
            brief_id: self.brief,
            edition_id: self.edition,
            language: self.language.as_deref().map(language).transpose()?,
            tag: self
                .tag
                .as_deref()
                .map(Tag::parse)
                .transpose()
                .map_err(|e| ApiError::bad_request("tag", e.to_string()))?,
            search: self.search.clone(),
            unmatched: self.unmatched,
            limit: Some(self.limit.unwrap_or(500).min(10_000)),
            offset: self.offset,
        })
    }
}

fn language(raw: &str) -> Result<Language, ApiError> {
    raw.parse()
        .map_err(|e: crate::language::UnknownLanguage| ApiError::bad_request("language", e.to_string()))
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let questions = service::list(state.store.as_ref(), &caller, &p.query()?).await?;
    Ok(Json(
        json!({ "questions": questions, "count": questions.len(), "offset": p.offset }),
    ))
}

pub async fn by_brief(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let groups = service::by_brief(state.store.as_ref(), &caller, p.query()?).await?;
    Ok(Json(json!({ "briefs": groups })))
}

/// `?format=csv` (the default and, for now, only format) for the authorities.
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<ListParams>,
) -> Result<Response, ApiError> {
    if let Some(format) = p.format.as_deref().filter(|f| *f != "csv") {
        return Err(ApiError::bad_request(
            "format",
            format!("format `{format}` is not offered; use csv"),
        ));
    }
    let csv = service::export_csv(state.store.as_ref(), &caller, p.query()?).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"questions.csv\""),
        ],
        csv,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct YouAskedParams {
    language: Option<String>,
}

/// Answered questions no edition has carried yet, for a "you asked" section.
pub async fn you_asked(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<YouAskedParams>,
) -> Result<Json<Value>, ApiError> {
    let language = p.language.as_deref().map(language).transpose()?;
    let answers = service::you_asked(state.store.as_ref(), &caller, language).await?;
    Ok(Json(json!({ "answers": answers })))
}

#[derive(Debug, Deserialize)]
pub struct ShowParams {
    #[serde(default)]
    raw: bool,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(p): Query<ShowParams>,
) -> Result<Json<Value>, ApiError> {
    let view = service::show(state.store.as_ref(), &caller, question_id(&id)?, p.raw).await?;
    Ok(Json(json!(view)))
}

impl From<QuestionError> for ApiError {
    fn from(e: QuestionError) -> Self {
        match e {
            QuestionError::Denied(denied) => denied.into(),
            QuestionError::NotFound(id) => ApiError::not_found(format!("question {id}")),
            QuestionError::NothingToAssign(_) => ApiError::invalid("influencer", e.to_string()),
            QuestionError::Moved { .. } => ApiError::new(axum::http::StatusCode::CONFLICT, "conflict", e.to_string()),
            QuestionError::NoColleague(_) => ApiError::invalid("colleague", e.to_string()),
            QuestionError::Csv(_) => ApiError::internal(&e),
            QuestionError::Store(e) => e.into(),
        }
    }
}

fn invalid(e: TransitionError) -> ApiError {
    ApiError::invalid(e.field(), e.to_string())
}

pub async fn triage(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = question_id(&id)?;
    transition(&state, &caller, id, Transition::Triage).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForwardBody {
    authority: String,
}

pub async fn forward(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = question_id(&id)?;
    let body: ForwardBody = json_body(&body)?;
    transition(
        &state,
        &caller,
        id,
        Transition::forward(&body.authority).map_err(invalid)?,
    )
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    text: Option<String>,
    url: Option<String>,
}

pub async fn answer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = question_id(&id)?;
    let body: AnswerBody = json_body(&body)?;
    let t = Transition::answer(body.text.as_deref(), body.url.as_deref()).map_err(invalid)?;
    transition(&state, &caller, id, t).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DismissBody {
    reason: Option<String>,
}

pub async fn dismiss(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = question_id(&id)?;
    let body: DismissBody = if body.is_empty() {
        DismissBody::default()
    } else {
        json_body(&body)?
    };
    transition(&state, &caller, id, Transition::Dismiss { reason: body.reason }).await
}

async fn transition(
    state: &AppState,
    caller: &Caller,
    id: QuestionId,
    transition: Transition,
) -> Result<Json<Value>, ApiError> {
    let question = service::transition(state.store.as_ref(), caller, id, &transition, None, state.clock.now()).await?;
    Ok(Json(json!(question)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagsBody {
    #[serde(default)]
    add: Vec<String>,
    #[serde(default)]
    remove: Vec<String>,
}

pub async fn tags(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = question_id(&id)?;
    let body: TagsBody = json_body(&body)?;
    let parse = |field: &str, list: &[String]| -> Result<Vec<Tag>, ApiError> {
        list.iter()
            .map(|t| Tag::parse(t).map_err(|e| ApiError::invalid(field, e.to_string())))
            .collect()
    };
    let (add, remove) = (parse("add", &body.add)?, parse("remove", &body.remove)?);
    let question = service::tag(state.store.as_ref(), &caller, id, &add, &remove, state.clock.now()).await?;
    Ok(Json(json!(question)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentBody {
    may_name: bool,
}

pub async fn consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = question_id(&id)?;
    let body: ConsentBody = json_body(&body)?;
    let question = service::consent(state.store.as_ref(), &caller, id, body.may_name, state.clock.now()).await?;
    Ok(Json(json!(question)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    influencer: Option<String>,
    edition: Option<EditionId>,
    brief: Option<BriefId>,
}

pub async fn assign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = question_id(&id)?;
    let body: AssignBody = json_body(&body)?;
    let influencer = address(body.influencer.as_deref(), "influencer")?;
    let assignment = Assignment {
        influencer,
        edition_id: body.edition,
        brief_id: body.brief,
    };
    let question = service::assign(state.store.as_ref(), &caller, id, &assignment, state.clock.now()).await?;
    Ok(Json(json!(question)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandBody {
    /// A colleague's console address; null takes the question back.
    colleague: Option<String>,
}

pub async fn hand(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = question_id(&id)?;
    let body: HandBody = json_body(&body)?;
    let colleague = address(body.colleague.as_deref(), "colleague")?;
    let question = service::hand(state.store.as_ref(), &caller, id, colleague.as_ref(), state.clock.now()).await?;
    Ok(Json(json!(question)))
}

/// An optional address from a request body, refused naming its field.
fn address(raw: Option<&str>, field: &'static str) -> Result<Option<EmailAddress>, ApiError> {
    raw.map(EmailAddress::parse)
        .transpose()
        .map_err(|e| ApiError::invalid(field, e.to_string()))
}

fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request("body", format!("not valid JSON for this action: {e}")))
}

fn question_id(raw: &str) -> Result<QuestionId, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::bad_request("id", format!("`{raw}` is not a question id (a number)")))
}
