//! The question log: listings, groups, the workflow's moves, and "you asked".
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{QueryBuilder, Row};

use super::common::{DbRow, Tx, audit, list_column, list_from_column, sql_count};
use super::{D, Db, ThisStore};
use crate::access::Actor;
use crate::ids::{AccountId, QuestionId};
use crate::language::Language;
use crate::questions::{QuestionRecord, QuestionStatus, Tag, Transition};
use crate::store::dialect::Dialect;
use crate::store::{Assignment, BriefGroup, QuestionQuery, QuestionStore, StoreError, StoreResult};

#[async_trait]
impl QuestionStore for ThisStore {
    async fn questions(&self, query: &QuestionQuery) -> StoreResult<Vec<QuestionRecord>> {
        let mut q = QueryBuilder::<Db>::new(QUESTION_IDS);
        push_question_filter(&mut q, query);
        q.push(" ORDER BY r.received_at DESC, q.id DESC");
        if let Some(limit) = query.limit {
            q.push(" LIMIT ")
                .push_bind(sql_count(limit))
                .push(" OFFSET ")
                .push_bind(sql_count(query.offset));
        }
        let ids: Vec<QuestionId> = q.build_query_scalar().fetch_all(&self.pool).await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut whole = QueryBuilder::<Db>::new(QUESTION_SELECT);
        whole.push(" WHERE ");
        D::push_id_in(&mut whole, "q.id", &ids);
        let rows = whole.build().fetch_all(&self.pool).await?;
        let mut by_id: HashMap<QuestionId, QuestionRecord> = HashMap::with_capacity(rows.len());
        for row in &rows {
            let record = question_from_row(row)?;
            by_id.insert(record.id, record);
        }
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    async fn question(&self, id: QuestionId) -> StoreResult<Option<QuestionRecord>> {
        let sql = format!("{QUESTION_SELECT} WHERE q.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(question_from_row).transpose()
    }

    async fn question_groups(&self, query: &QuestionQuery) -> StoreResult<Vec<BriefGroup>> {
        let mut q = QueryBuilder::<Db>::new(
            "SELECT q.brief_id, MAX(b.slug) AS brief_slug, COUNT(*) AS total, \
             SUM(CASE WHEN q.status IN ('new', 'triaged', 'forwarded') THEN 1 ELSE 0 END) AS open, \
             SUM(CASE WHEN q.status = 'answered' THEN 1 ELSE 0 END) AS answered, \
             SUM(CASE WHEN q.status = 'dismissed' THEN 1 ELSE 0 END) AS dismissed \
             FROM questions q JOIN replies r ON r.id = q.reply_id LEFT JOIN briefs b ON b.id = q.brief_id",
        );
        push_question_filter(&mut q, query);
        q.push(" GROUP BY q.brief_id ORDER BY COUNT(*) DESC, q.brief_id");
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let count = |name: &str| -> StoreResult<u64> {
                    Ok(row.try_get::<Option<i64>, _>(name)?.unwrap_or(0).max(0) as u64)
                };
                Ok(BriefGroup {
                    brief_id: row.try_get("brief_id")?,
                    brief_slug: row.try_get("brief_slug")?,
                    total: count("total")?,
                    open: count("open")?,
                    answered: count("answered")?,
                    dismissed: count("dismissed")?,
                })
            })
            .collect()
    }

    async fn transition_question(
        &self,
        id: QuestionId,
        transition: &Transition,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord> {
        let mut tx = D::begin_write(&self.pool).await?;
        let from = current_status(&mut tx, id).await?;
        let to = transition.check(from).map_err(|e| StoreError::Conflict {
            field: e.field(),
            message: e.to_string(),
        })?;
        let mut q = QueryBuilder::<Db>::new("UPDATE questions SET status = ");
        q.push_bind(to.as_str()).push(", updated_at = ").push_bind(now);
        match transition {
            Transition::Triage | Transition::Dismiss { .. } => {}
            Transition::Forward { authority } => {
                q.push(", authority = ").push_bind(authority.clone());
            }
            Transition::Answer { text, url } => {
                q.push(", answer = ").push_bind(text.clone());
                q.push(", answer_url = ").push_bind(url.clone());
                q.push(", answered_at = ").push_bind(now);
            }
        }
        // The status read above is checked again here, so two coordinators acting at once
        // cannot both move the same question (PostgreSQL does not lock the row on read).
        q.push(" WHERE id = ")
            .push_bind(id.0)
            .push(" AND status = ")
            .push_bind(from.as_str());
        if q.build().execute(&mut *tx).await?.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                field: "status",
                message: format!("question {id} changed meanwhile; reload it and try again"),
            });
        }
        let mut detail = serde_json::to_value(transition).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        detail["from"] = json!(from);
        detail["to"] = json!(to);
        audit(
            &mut tx,
            actor,
            transition.action(),
            &format!("question:{id}"),
            detail,
            now,
        )
        .await?;
        tx.commit().await?;
        self.question(id).await?.ok_or_else(|| not_found(id))
    }

    async fn tag_question(
        &self,
        id: QuestionId,
        add: &[Tag],
        remove: &[Tag],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord> {
        let mut tx = D::begin_write(&self.pool).await?;
        let tags: Option<String> = sqlx::query_scalar("SELECT tags FROM questions WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
        let tags = tags.ok_or_else(|| not_found(id))?;
        let mut list = list_from_column(&tags);
        list.retain(|t| !remove.iter().any(|r| r.as_str() == t));
        for tag in add {
            if !list.iter().any(|t| t == tag.as_str()) {
                list.push(tag.to_string());
            }
        }
        list.sort();
        sqlx::query("UPDATE questions SET tags = $1, updated_at = $2 WHERE id = $3")
            .bind(list_column(&list))
            .bind(now)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            actor,
            "question.tag",
            &format!("question:{id}"),
            json!({ "add": add, "remove": remove }),
            now,
        )
        .await?;
        tx.commit().await?;
        self.question(id).await?.ok_or_else(|| not_found(id))
    }

    async fn set_may_name(
        &self,
        id: QuestionId,
        may_name: bool,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord> {
        let mut tx = D::begin_write(&self.pool).await?;
        let influencer: Option<Option<i64>> = sqlx::query_scalar("SELECT influencer_id FROM questions WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
        let influencer = influencer.ok_or_else(|| not_found(id))?;
        if may_name && influencer.is_none() {
            return Err(StoreError::Conflict {
                field: "may_name",
                message: format!(
                    "question {id} is linked to no influencer (unmatched, erased or past retention), so there is nobody to name"
                ),
            });
        }
        sqlx::query("UPDATE questions SET may_name = $1, updated_at = $2 WHERE id = $3")
            .bind(may_name)
            .bind(now)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            actor,
            "question.consent",
            &format!("question:{id}"),
            json!({ "may_name": may_name }),
            now,
        )
        .await?;
        tx.commit().await?;
        self.question(id).await?.ok_or_else(|| not_found(id))
    }

    async fn hand_question(
        &self,
        id: QuestionId,
        assignee: Option<(AccountId, &str)>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord> {
        let mut tx = D::begin_write(&self.pool).await?;
        let changed = sqlx::query("UPDATE questions SET assignee_id = $1, updated_at = $2 WHERE id = $3")
            .bind(assignee.map(|(account, _)| account.0))
            .bind(now)
            .bind(id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(not_found(id));
        }
        let detail = json!({ "assignee": assignee.map(|(_, name)| name) });
        audit(
            &mut tx,
            actor,
            "question.assignee",
            &format!("question:{id}"),
            detail,
            now,
        )
        .await?;
        tx.commit().await?;
        self.question(id).await?.ok_or_else(|| not_found(id))
    }

    async fn assign_question(
        &self,
        id: QuestionId,
        assignment: &Assignment,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord> {
        let mut tx = D::begin_write(&self.pool).await?;
        let reply_id: Option<i64> = sqlx::query_scalar("SELECT reply_id FROM questions WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
        let reply_id = reply_id.ok_or_else(|| not_found(id))?;
        let mut q = QueryBuilder::<Db>::new("UPDATE questions SET updated_at = ");
        q.push_bind(now);
        let mut detail = json!({});
        if let Some(email) = &assignment.influencer {
            let influencer: Option<i64> = sqlx::query_scalar("SELECT id FROM influencers WHERE email = $1")
                .bind(email.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            let influencer = influencer.ok_or_else(|| StoreError::NotFound {
                what: format!("influencer {email}"),
            })?;
            q.push(", influencer_id = ").push_bind(influencer);
            sqlx::query("UPDATE replies SET influencer_id = $1, kind = 'question' WHERE id = $2")
                .bind(influencer)
                .bind(reply_id)
                .execute(&mut *tx)
                .await?;
            detail["influencer"] = json!(influencer);
        }
        if let Some(edition) = assignment.edition_id {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM editions WHERE id = $1")
                .bind(edition)
                .fetch_optional(&mut *tx)
                .await?;
            exists.ok_or_else(|| StoreError::NotFound {
                what: format!("edition {edition}"),
            })?;
            q.push(", edition_id = ").push_bind(edition);
            detail["edition"] = json!(edition);
        }
        if let Some(brief) = assignment.brief_id {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM briefs WHERE id = $1")
                .bind(brief)
                .fetch_optional(&mut *tx)
                .await?;
            exists.ok_or_else(|| StoreError::NotFound {
                what: format!("brief {brief}"),
            })?;
            q.push(", brief_id = ").push_bind(brief);
            detail["brief"] = json!(brief);
        }
        q.push(" WHERE id = ").push_bind(id.0);
        q.build().execute(&mut *tx).await?;
        audit(
            &mut tx,
            actor,
            "question.assign",
            &format!("question:{id}"),
            detail,
            now,
        )
        .await?;
        tx.commit().await?;
        self.question(id).await?.ok_or_else(|| not_found(id))
    }
}

const QUESTION_SELECT: &str = "SELECT q.id, q.reply_id, r.received_at, q.influencer_id, i.email AS influencer_email, \
     i.name AS influencer_name, q.edition_id, q.brief_id, b.slug AS brief_slug, q.language, q.text, q.status, \
     q.authority, q.answer, q.answer_url, q.answered_at, q.tags, q.may_name, q.published_edition_id, \
     q.created_at, q.updated_at, q.assignee_id, a.name AS assignee_name \
     FROM questions q JOIN replies r ON r.id = q.reply_id \
     LEFT JOIN influencers i ON i.id = q.influencer_id LEFT JOIN briefs b ON b.id = q.brief_id \
     LEFT JOIN accounts a ON a.id = q.assignee_id";

/// The same rows as `QUESTION_SELECT`, ids only: a page is chosen from these narrow rows, and
/// only its own questions are read whole, so a sort never drags long texts along.
const QUESTION_IDS: &str = "SELECT q.id FROM questions q JOIN replies r ON r.id = q.reply_id \
     LEFT JOIN influencers i ON i.id = q.influencer_id LEFT JOIN briefs b ON b.id = q.brief_id";

fn not_found(id: QuestionId) -> StoreError {
    StoreError::NotFound {
        what: format!("question {id}"),
    }
}

async fn current_status(tx: &mut Tx, id: QuestionId) -> StoreResult<QuestionStatus> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM questions WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?;
    let status = status.ok_or_else(|| not_found(id))?;
    status
        .parse()
        .map_err(|e: crate::questions::UnknownStatus| StoreError::Corrupt(e.to_string()))
}

fn push_question_filter(q: &mut QueryBuilder<Db>, query: &QuestionQuery) {
    q.push(" WHERE 1 = 1");
    if let Some(status) = query.status {
        q.push(" AND q.status = ").push_bind(status.as_str());
    }
    if let Some(brief) = query.brief_id {
        q.push(" AND q.brief_id = ").push_bind(brief);
    }
    if let Some(edition) = query.edition_id {
        q.push(" AND q.edition_id = ").push_bind(edition);
    }
    if let Some(language) = query.language {
        q.push(" AND q.language = ").push_bind(language.code());
    }
    if let Some(tag) = &query.tag {
        q.push(" AND q.tags LIKE ").push_bind(format!("%;{tag};%"));
    }
    if let Some(search) = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // `%` and `_` typed by a coordinator are literal characters, not wildcards.
        let escaped = search
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        q.push(" AND q.text_folded LIKE ")
            .push_bind(format!("%{escaped}%"))
            .push(" ESCAPE '\\'");
    }
    if query.unmatched {
        q.push(" AND q.influencer_id IS NULL AND q.edition_id IS NULL");
    }
    if let Some(assignee) = query.assignee {
        q.push(" AND q.assignee_id = ").push_bind(assignee.0);
    }
}

pub(super) fn language_column(row: &DbRow, name: &str) -> StoreResult<Option<Language>> {
    let code: Option<String> = row.try_get(name)?;
    code.map(|c| {
        c.parse()
            .map_err(|_| StoreError::Corrupt(format!("{name}: `{c}` is not a language")))
    })
    .transpose()
}

fn question_from_row(row: &DbRow) -> StoreResult<QuestionRecord> {
    let status: String = row.try_get("status")?;
    let tags: String = row.try_get("tags")?;
    Ok(QuestionRecord {
        id: row.try_get("id")?,
        reply_id: row.try_get("reply_id")?,
        received_at: row.try_get("received_at")?,
        influencer_id: row.try_get("influencer_id")?,
        influencer_email: row.try_get("influencer_email")?,
        influencer_name: row.try_get("influencer_name")?,
        edition_id: row.try_get("edition_id")?,
        brief_id: row.try_get("brief_id")?,
        brief_slug: row.try_get("brief_slug")?,
        language: language_column(row, "language")?,
        text: row.try_get("text")?,
        status: status
            .parse()
            .map_err(|e: crate::questions::UnknownStatus| StoreError::Corrupt(e.to_string()))?,
        authority: row.try_get("authority")?,
        answer: row.try_get("answer")?,
        answer_url: row.try_get("answer_url")?,
        answered_at: row.try_get("answered_at")?,
        tags: list_from_column(&tags)
            .iter()
            .filter_map(|t| Tag::parse(t).ok())
            .collect(),
        may_name: row.try_get("may_name")?,
        published_edition_id: row.try_get("published_edition_id")?,
        assignee: row.try_get("assignee_name")?,
        assignee_id: row.try_get::<Option<i64>, _>("assignee_id")?.map(AccountId),
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}
