//! Answers for "you asked": claimed by the edition that shows them, and marked published.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Row};

use super::common::DbRow;
use super::questions::language_column;
use super::{D, Db, ThisStore};
use crate::ids::{EditionId, QuestionId};
use crate::language::Language;
use crate::store::dialect::Dialect;
use crate::store::{AnswerStore, StoreResult, YouAsked};

#[async_trait]
impl AnswerStore for ThisStore {
    async fn answers_for_edition(
        &self,
        edition_id: EditionId,
        language: Language,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<YouAsked>> {
        let mut tx = D::begin_write(&self.pool).await?;
        sqlx::query(
            "UPDATE questions SET published_edition_id = $1, published_at = $2 \
             WHERE status = 'answered' AND published_edition_id IS NULL AND language = $3 \
             AND answered_at <= (SELECT created_at FROM editions WHERE id = $1)",
        )
        .bind(edition_id.0)
        .bind(now)
        .bind(language.code())
        .execute(&mut *tx)
        .await?;
        let sql = format!(
            "{YOU_ASKED_SELECT} WHERE q.published_edition_id = $1 AND q.language = $2 ORDER BY q.answered_at, q.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(edition_id.0)
            .bind(language.code())
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        rows.iter().map(you_asked_from_row).collect()
    }

    async fn answered_unpublished(&self, language: Option<Language>) -> StoreResult<Vec<YouAsked>> {
        let mut q = QueryBuilder::<Db>::new(format!(
            "{YOU_ASKED_SELECT} WHERE q.status = 'answered' AND q.published_edition_id IS NULL"
        ));
        if let Some(language) = language {
            q.push(" AND q.language = ").push_bind(language.code());
        }
        q.push(" ORDER BY q.answered_at, q.id");
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter().map(you_asked_from_row).collect()
    }

    async fn mark_answers_published(
        &self,
        question_ids: &[QuestionId],
        edition_id: EditionId,
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        if question_ids.is_empty() {
            return Ok(0);
        }
        let mut tx = D::begin_write(&self.pool).await?;
        let mut q = QueryBuilder::<Db>::new("UPDATE questions SET published_edition_id = ");
        q.push_bind(edition_id.0).push(", published_at = ").push_bind(now);
        q.push(" WHERE status = 'answered' AND published_edition_id IS NULL AND ");
        D::push_id_in(&mut q, "id", question_ids);
        let marked = q.build().execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        Ok(marked)
    }
}

/// An answered question as an edition's "you asked" section shows it.
const YOU_ASKED_SELECT: &str = "SELECT q.id, q.language, q.brief_id, q.text, q.answer, q.answer_url, q.may_name, i.name \
     FROM questions q LEFT JOIN influencers i ON i.id = q.influencer_id";

fn you_asked_from_row(row: &DbRow) -> StoreResult<YouAsked> {
    let may_name: bool = row.try_get("may_name")?;
    let name: Option<String> = row.try_get("name")?;
    Ok(YouAsked {
        question_id: row.try_get("id")?,
        language: language_column(row, "language")?,
        brief_id: row.try_get("brief_id")?,
        question: row.try_get("text")?,
        answer: row.try_get("answer")?,
        answer_url: row.try_get("answer_url")?,
        asked_by: name.filter(|_| may_name),
    })
}
