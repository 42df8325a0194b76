//! Editions: made with their deliveries in one transaction, listed, paused, resumed, cancelled.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use sqlx::{QueryBuilder, Row};

use super::common::{DbRow, audit, sql_count};
use super::deliveries::{log_events, parse_delivery_status};
use super::new_edition::{audit_edition, insert_edition, push_recipients};
use super::{D, Db, ThisStore};
use crate::access::Actor;
use crate::edition::{
    BriefId, DeliveryId, EditionAction, EditionBrief, EditionCreated, EditionHealth, EditionId, EditionKind,
    EditionStatus, EditionSummary, NewEdition, PauseReason, Progress, ProgressError, Recipients,
};
use crate::language::Language;
use crate::store::dialect::Dialect;
use crate::store::{EditionStore, StoreError, StoreResult};

#[async_trait]
impl EditionStore for ThisStore {
    async fn create_edition(
        &self,
        edition: &NewEdition,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<EditionCreated> {
        let mut tx = D::begin_write(&self.pool).await?;
        if matches!(edition.recipients, Recipients::AllNotYetCarrying) {
            D::lock_roster(&mut tx).await?;
        }
        let created = insert_edition(&mut tx, edition, now).await?;
        audit_edition(&mut tx, actor, edition, &created, None, now).await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn create_flash(&self, brief: BriefId, actor: &Actor, now: DateTime<Utc>) -> StoreResult<EditionCreated> {
        let mut tx = D::begin_write(&self.pool).await?;
        // Two flashes of one brief at once must not both count a person as not yet reached.
        D::lock_roster(&mut tx).await?;
        let sql = format!("SELECT {} FROM briefs WHERE id = $1", super::briefs::BRIEF_COLUMNS);
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(brief.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: format!("brief {brief}"),
            })?;
        let stored = super::briefs::brief_from_row(&row)?;
        if let Some(refusal) = stored.brief.flash_refusal(stored.status, now) {
            return Err(StoreError::Conflict {
                field: "brief",
                message: format!("brief {brief} {refusal}"),
            });
        }
        let edition = NewEdition {
            kind: EditionKind::Flash,
            schedule: None,
            due_at: now,
            briefs: vec![EditionBrief {
                brief,
                position: 1,
                is_correction: false,
            }],
            recipients: Recipients::AllNotYetCarrying,
        };
        let created = insert_edition(&mut tx, &edition, now).await?;
        audit_edition(&mut tx, actor, &edition, &created, None, now).await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn count_recipients(
        &self,
        recipients: &Recipients,
        briefs: &[EditionBrief],
    ) -> StoreResult<Vec<(Language, u64)>> {
        let mut q = QueryBuilder::<Db>::new("SELECT language, COUNT(*) AS readers FROM influencers WHERE 1 = 1");
        push_recipients(&mut q, recipients, briefs);
        q.push(" GROUP BY language ORDER BY language");
        let mut counts = Vec::new();
        for row in q.build().fetch_all(&self.pool).await? {
            let code: String = row.try_get("language")?;
            let language = code
                .parse::<Language>()
                .map_err(|_| StoreError::Corrupt(format!("influencer language `{code}`")))?;
            let readers: i64 = row.try_get("readers")?;
            counts.push((language, readers as u64));
        }
        // In the order the product lists its languages, not the database's.
        counts.sort_by_key(|(language, _)| Language::ALL.iter().position(|l| l == language));
        Ok(counts)
    }

    async fn edition_health(&self, id: EditionId, sample: u64, latest: u32) -> StoreResult<EditionHealth> {
        let bounced: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT d.status FROM deliveries d JOIN editions e ON e.id = d.edition_id \
             WHERE d.edition_id = $1 AND d.attempts > 0 AND (e.guarded_from IS NULL OR d.claimed_at >= e.guarded_from) \
             ORDER BY d.id LIMIT $2) AS sample WHERE status = 'bounced'",
        )
        .bind(id.0)
        .bind(sql_count(sample))
        .fetch_one(&self.pool)
        .await?;
        let rows = sqlx::query(
            "SELECT ev.status, ev.detail FROM delivery_events ev JOIN deliveries d ON d.id = ev.delivery_id \
             JOIN editions e ON e.id = d.edition_id \
             WHERE d.edition_id = $1 AND ev.status IN ('sent', 'deferred', 'failed', 'bounced') \
             AND (e.guarded_from IS NULL OR ev.at >= e.guarded_from) \
             ORDER BY ev.id DESC LIMIT $2",
        )
        .bind(id.0)
        .bind(i64::from(latest))
        .fetch_all(&self.pool)
        .await?;
        let mut outcomes = Vec::with_capacity(rows.len());
        for row in rows {
            let status: String = row.try_get("status")?;
            outcomes.push((parse_delivery_status(&status)?, row.try_get("detail")?));
        }
        Ok(EditionHealth {
            bounced_in_sample: bounced.max(0) as u64,
            latest: outcomes,
        })
    }

    async fn pause_to_protect(&self, id: EditionId, reason: &PauseReason, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = D::begin_write(&self.pool).await?;
        let text = serde_json::to_string(reason).map_err(|e| StoreError::Corrupt(format!("pause reason: {e}")))?;
        let changed = sqlx::query(
            "UPDATE editions SET status = 'paused', paused_reason = $1 WHERE id = $2 AND status = 'sending'",
        )
        .bind(&text)
        .bind(id.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 1 {
            let detail = json!({ "from": "sending", "to": "paused", "reason": reason });
            audit(
                &mut tx,
                &Actor::daemon(),
                "edition.protect",
                &format!("edition:{id}"),
                detail,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(changed == 1)
    }

    async fn settle_editions(&self, now: DateTime<Utc>) -> StoreResult<Vec<EditionId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "UPDATE editions SET status = 'done', finished_at = $1 WHERE status = 'sending' AND NOT EXISTS \
             (SELECT 1 FROM deliveries d WHERE d.edition_id = editions.id AND d.status IN ('queued', 'deferred', 'sending')) \
             RETURNING id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(EditionId).collect())
    }

    async fn editions(&self, limit: u64, offset: u64) -> StoreResult<Vec<EditionSummary>> {
        let sql = format!("{EDITION_SELECT} ORDER BY e.id DESC LIMIT $1 OFFSET $2");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(sql_count(limit))
            .bind(sql_count(offset))
            .fetch_all(&self.pool)
            .await?;
        self.summarise_editions(&rows).await
    }

    async fn edition(&self, id: EditionId) -> StoreResult<Option<EditionSummary>> {
        let sql = format!("{EDITION_SELECT} WHERE e.id = $1");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_all(&self.pool)
            .await?;
        Ok(self.summarise_editions(&rows).await?.pop())
    }

    async fn edition_progress(&self, id: EditionId, now: DateTime<Utc>) -> StoreResult<Option<Progress>> {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM editions WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let mut by_status = BTreeMap::new();
        let mut total = 0;
        for row in sqlx::query("SELECT status, COUNT(*) AS n FROM deliveries WHERE edition_id = $1 GROUP BY status")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await?
        {
            let status: String = row.try_get("status")?;
            let n: i64 = row.try_get("n")?;
            total += n as u64;
            by_status.insert(parse_delivery_status(&status)?, n as u64);
        }
        let sent_last_minute: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM deliveries WHERE edition_id = $1 AND status = 'sent' AND sent_at > $2",
        )
        .bind(id.0)
        .bind(now - TimeDelta::minutes(1))
        .fetch_one(&self.pool)
        .await?;
        let last_errors = sqlx::query(
            "SELECT ev.delivery_id, ev.status, ev.at, ev.detail FROM delivery_events ev \
             JOIN deliveries d ON d.id = ev.delivery_id WHERE d.edition_id = $1 \
             AND ev.status IN ('deferred', 'failed', 'bounced', 'uncertain') ORDER BY ev.id DESC LIMIT $2",
        )
        .bind(id.0)
        .bind(LAST_ERRORS)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            Ok(ProgressError {
                delivery: DeliveryId(row.try_get("delivery_id")?),
                status: parse_delivery_status(&status)?,
                at: row.try_get("at")?,
                detail: row.try_get("detail")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        Ok(Some(Progress {
            total,
            by_status,
            sent_last_minute: sent_last_minute as u64,
            last_errors,
        }))
    }

    async fn change_edition(
        &self,
        id: EditionId,
        action: EditionAction,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<EditionStatus> {
        let mut tx = D::begin_write(&self.pool).await?;
        let from: String = sqlx::query_scalar("SELECT status FROM editions WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: format!("edition {id}"),
            })?;
        let from: EditionStatus = from
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("editions.status: {e}")))?;
        let to = action.apply(from).map_err(|message| StoreError::Conflict {
            field: "status",
            message,
        })?;
        // Guarded by the status read: a concurrent change makes this one a conflict, not a lost update.
        let changed = sqlx::query(
            "UPDATE editions SET status = $1, finished_at = COALESCE($2, finished_at) WHERE id = $3 AND status = $4",
        )
        .bind(to.as_str())
        .bind((to == EditionStatus::Cancelled).then_some(now))
        .bind(id.0)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Conflict {
                field: "status",
                message: format!("edition {id} changed meanwhile; try again"),
            });
        }
        if to == EditionStatus::Sending {
            // Someone decided to go on: the guard's reason is answered, and from now on it judges
            // only what is attempted after that decision.
            sqlx::query(
                "UPDATE editions SET guarded_from = $1, paused_reason = NULL WHERE id = $2 AND paused_reason IS NOT NULL",
            )
            .bind(now)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        }
        let mut cancelled = 0;
        if to == EditionStatus::Cancelled {
            let detail = format!("the edition was cancelled by {actor}: not sent");
            let ids: Vec<i64> = sqlx::query_scalar(
                "UPDATE deliveries SET status = 'cancelled', last_response = $1 \
                 WHERE edition_id = $2 AND status IN ('queued', 'deferred') RETURNING id",
            )
            .bind(&detail)
            .bind(id.0)
            .fetch_all(&mut *tx)
            .await?;
            log_events(&mut tx, &ids, "cancelled", &detail, now).await?;
            cancelled = ids.len();
        }
        let detail = json!({ "from": from, "to": to, "deliveries_cancelled": cancelled });
        audit(
            &mut tx,
            actor,
            &format!("edition.{}", action.as_str()),
            &format!("edition:{id}"),
            detail,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(to)
    }
}

/// How many of an edition's latest problems its progress shows.
const LAST_ERRORS: i64 = 5;

const EDITION_SELECT: &str = "SELECT e.id, e.kind, e.status, s.name AS schedule, e.due_at, e.created_at, e.finished_at, \
     e.paused_reason \
     FROM editions e LEFT JOIN schedules s ON s.id = e.schedule_id";

impl ThisStore {
    async fn summarise_editions(&self, rows: &[DbRow]) -> StoreResult<Vec<EditionSummary>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?;
        let mut briefs: HashMap<i64, Vec<EditionBrief>> = HashMap::new();
        let mut counts: HashMap<i64, u64> = HashMap::new();
        if !ids.is_empty() {
            let mut q = QueryBuilder::<Db>::new(
                "SELECT edition_id, brief_id, position, is_correction FROM edition_briefs WHERE ",
            );
            D::push_id_in(&mut q, "edition_id", &ids);
            q.push(" ORDER BY edition_id, position");
            for row in q.build().fetch_all(&self.pool).await? {
                let position: i32 = row.try_get("position")?;
                briefs
                    .entry(row.try_get("edition_id")?)
                    .or_default()
                    .push(EditionBrief {
                        brief: BriefId(row.try_get("brief_id")?),
                        position: position.max(0) as u32,
                        is_correction: row.try_get("is_correction")?,
                    });
            }
            let mut q = QueryBuilder::<Db>::new("SELECT edition_id, COUNT(*) AS n FROM deliveries WHERE ");
            D::push_id_in(&mut q, "edition_id", &ids);
            q.push(" GROUP BY edition_id");
            for row in q.build().fetch_all(&self.pool).await? {
                let n: i64 = row.try_get("n")?;
                counts.insert(row.try_get("edition_id")?, n as u64);
            }
        }
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                let kind: String = row.try_get("kind")?;
                let status: String = row.try_get("status")?;
                let paused_reason: Option<String> = row.try_get("paused_reason")?;
                let paused_reason = paused_reason
                    .map(|text| serde_json::from_str::<PauseReason>(&text))
                    .transpose()
                    .map_err(|e| StoreError::Corrupt(format!("editions.paused_reason: {e}")))?;
                Ok(EditionSummary {
                    id: EditionId(id),
                    kind: kind
                        .parse()
                        .map_err(|e| StoreError::Corrupt(format!("editions.kind: {e}")))?,
                    status: status
                        .parse()
                        .map_err(|e| StoreError::Corrupt(format!("editions.status: {e}")))?,
                    schedule: row.try_get("schedule")?,
                    due_at: row.try_get("due_at")?,
                    created_at: row.try_get("created_at")?,
                    finished_at: row.try_get("finished_at")?,
                    briefs: briefs.remove(&id).unwrap_or_default(),
                    deliveries: counts.get(&id).copied().unwrap_or(0),
                    paused_reason,
                })
            })
            .collect()
    }
}
