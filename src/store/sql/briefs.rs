//! Briefs: versions, their lifecycle, and the two-person rule's record.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::Row;

use super::common::{DbRow, Tx, audit, list_column};
use super::{D, ThisStore};
use crate::access::Actor;
use crate::brief::{Brief, BriefStatus};
use crate::ids::BriefId;
use crate::store::dialect::Dialect;
use crate::store::{BriefStore, StoreError, StoreResult, StoredBrief};

pub(super) const BRIEF_COLUMNS: &str =
    "id, version, supersedes_id, status, document, author, approved_by, approved_at, created_at, updated_at";

#[async_trait]
impl BriefStore for ThisStore {
    async fn insert_brief(
        &self,
        brief: &Brief,
        supersedes_id: Option<BriefId>,
        author: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<StoredBrief> {
        let mut tx = D::begin_write(&self.pool).await?;
        let id = insert_brief_in(&mut tx, brief, supersedes_id, author, now).await?;
        tx.commit().await?;
        self.brief(id).await?.ok_or_else(|| StoreError::NotFound {
            what: format!("brief {id}"),
        })
    }

    async fn brief(&self, id: BriefId) -> StoreResult<Option<StoredBrief>> {
        let sql = format!("SELECT {BRIEF_COLUMNS} FROM briefs WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(brief_from_row).transpose()
    }

    async fn briefs(&self, status: Option<BriefStatus>) -> StoreResult<Vec<StoredBrief>> {
        let rows = match status {
            Some(status) => {
                let sql = format!("SELECT {BRIEF_COLUMNS} FROM briefs WHERE status = $1 ORDER BY id DESC");
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(status.as_str())
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!("SELECT {BRIEF_COLUMNS} FROM briefs ORDER BY id DESC");
                sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?
            }
        };
        rows.iter().map(brief_from_row).collect()
    }

    async fn later_versions(&self, id: BriefId) -> StoreResult<Vec<StoredBrief>> {
        let sql = format!(
            "SELECT {BRIEF_COLUMNS} FROM briefs WHERE id <> $1 AND (supersedes_id = $1 OR EXISTS \
             (SELECT 1 FROM briefs this WHERE this.id = $1 AND this.slug = briefs.slug AND briefs.version > this.version)) \
             ORDER BY id DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(brief_from_row).collect()
    }

    async fn replace_brief(
        &self,
        id: BriefId,
        expected: BriefStatus,
        brief: &Brief,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<StoredBrief> {
        let document = serde_json::to_string(brief).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let found = searchable(brief);
        let mut tx = D::begin_write(&self.pool).await?;
        let changed = sqlx::query(
            "UPDATE briefs SET status = 'draft', priority = $1, embargo_at = $2, expires_at = $3, cadences = $4, \
             languages = $5, document = $6, approved_by = NULL, approved_at = NULL, updated_at = $7 \
             WHERE id = $8 AND status = $9",
        )
        .bind(found.priority)
        .bind(found.embargo)
        .bind(found.expires)
        .bind(found.cadences)
        .bind(found.languages)
        .bind(&document)
        .bind(now)
        .bind(id.0)
        .bind(expected.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(moved_meanwhile(id));
        }
        let detail = json!({ "was": expected.as_str() });
        audit(&mut tx, actor, "brief.edit", &format!("brief:{id}"), detail, now).await?;
        tx.commit().await?;
        self.brief(id).await?.ok_or_else(|| StoreError::NotFound {
            what: format!("brief {id}"),
        })
    }

    async fn transition_brief(
        &self,
        id: BriefId,
        from: BriefStatus,
        to: BriefStatus,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<StoredBrief> {
        let mut tx = D::begin_write(&self.pool).await?;
        let approval = if to == BriefStatus::Approved {
            Some(actor.0.as_str())
        } else {
            None
        };
        let changed = sqlx::query(
            "UPDATE briefs SET status = $1, updated_at = $2, \
             approved_by = CASE WHEN $3 IS NULL THEN approved_by ELSE $3 END, \
             approved_at = CASE WHEN $3 IS NULL THEN approved_at ELSE $2 END \
             WHERE id = $4 AND status = $5",
        )
        .bind(to.as_str())
        .bind(now)
        .bind(approval)
        .bind(id.0)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(moved_meanwhile(id));
        }
        let detail = json!({ "from": from.as_str(), "to": to.as_str() });
        audit(
            &mut tx,
            actor,
            &format!("brief.{}", to.as_str()),
            &format!("brief:{id}"),
            detail,
            now,
        )
        .await?;
        tx.commit().await?;
        self.brief(id).await?.ok_or_else(|| StoreError::NotFound {
            what: format!("brief {id}"),
        })
    }
}

/// Inserts a new draft inside `tx`: its version is one more than any brief with its slug.
pub(super) async fn insert_brief_in(
    tx: &mut Tx,
    brief: &Brief,
    supersedes_id: Option<BriefId>,
    author: &Actor,
    now: DateTime<Utc>,
) -> StoreResult<BriefId> {
    let document = serde_json::to_string(brief).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let found = searchable(brief);
    let version: i32 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM briefs WHERE slug = $1")
        .bind(&brief.meta.slug)
        .fetch_one(&mut **tx)
        .await?;
    let id = BriefId(
        sqlx::query_scalar(
            "INSERT INTO briefs (slug, version, supersedes_id, status, priority, embargo_at, expires_at, cadences, \
             languages, document, author, created_at, updated_at) \
             VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(&brief.meta.slug)
        .bind(version)
        .bind(supersedes_id.map(|b| b.0))
        .bind(found.priority)
        .bind(found.embargo)
        .bind(found.expires)
        .bind(found.cadences)
        .bind(found.languages)
        .bind(&document)
        .bind(&author.0)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?,
    );
    let detail = json!({ "slug": brief.meta.slug, "version": version, "supersedes": supersedes_id });
    audit(tx, author, "brief.add", &format!("brief:{id}"), detail, now).await?;
    Ok(id)
}

fn moved_meanwhile(id: BriefId) -> StoreError {
    StoreError::Conflict {
        field: "status",
        message: format!("brief {id} changed meanwhile; show it and try again"),
    }
}

pub(super) fn brief_from_row(row: &DbRow) -> StoreResult<StoredBrief> {
    let document: String = row.try_get("document")?;
    let status: String = row.try_get("status")?;
    let status = match status.as_str() {
        "draft" => BriefStatus::Draft,
        "approved" => BriefStatus::Approved,
        "queued" => BriefStatus::Queued,
        "sent" => BriefStatus::Sent,
        "withdrawn" => BriefStatus::Withdrawn,
        "expired" => BriefStatus::Expired,
        other => return Err(StoreError::Corrupt(format!("briefs.status: `{other}`"))),
    };
    Ok(StoredBrief {
        id: BriefId(row.try_get("id")?),
        version: row.try_get("version")?,
        supersedes_id: row.try_get::<Option<i64>, _>("supersedes_id")?.map(BriefId),
        status,
        author: row.try_get("author")?,
        approved_by: row.try_get("approved_by")?,
        approved_at: row.try_get("approved_at")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        brief: serde_json::from_str(&document).map_err(|e| StoreError::Corrupt(format!("briefs.document: {e}")))?,
    })
}

/// The columns a brief is looked up by, read from its document: the same on insert and on edit.
struct Searchable {
    priority: &'static str,
    embargo: Option<DateTime<Utc>>,
    expires: Option<DateTime<Utc>>,
    cadences: String,
    languages: String,
}

fn searchable(brief: &Brief) -> Searchable {
    let cadences: Vec<String> = brief.meta.cadences.iter().map(|c| c.as_str().to_string()).collect();
    let languages: Vec<String> = brief.languages().iter().map(|l| l.code().to_string()).collect();
    Searchable {
        priority: if brief.is_urgent() { "urgent" } else { "routine" },
        embargo: brief.meta.embargo.map(|t| t.to_utc()),
        expires: brief.meta.expires.map(|t| t.to_utc()),
        cadences: list_column(&cadences),
        languages: list_column(&languages),
    }
}
