//! Deliveries under lease: claimed, reported on with fencing, and given up when a worker falls silent.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use sqlx::{QueryBuilder, Row};

use super::common::{BATCH, Tx, list_from_column};
use super::deliveries::log_events;
use super::new_edition::push_live_brief;
use super::{D, Db, ThisStore};
use crate::edition::{BriefId, ClaimedDelivery, DeliveryId, EditionBrief, EditionId, Lease};
use crate::ids::InfluencerId;
use crate::store::dialect::Dialect;
use crate::store::{LeaseStore, StoreError, StoreResult};

#[async_trait]
impl LeaseStore for ThisStore {
    async fn daemons(&self) -> StoreResult<Vec<(String, DateTime<Utc>)>> {
        let rows = sqlx::query("SELECT worker, beat_at FROM daemons ORDER BY beat_at DESC")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("worker")?, row.try_get("beat_at")?)))
            .collect()
    }

    async fn claim_due(
        &self,
        worker: &str,
        batch: u32,
        lease: TimeDelta,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ClaimedDelivery>> {
        let mut tx = D::begin_write(&self.pool).await?;
        // Editions that are sending, flash editions first, then the oldest. One whose briefs
        // include one still under embargo (its embargo was moved after the edition was made)
        // waits.
        let editions: Vec<i64> = sqlx::query_scalar(
            "SELECT e.id FROM editions e WHERE e.status = 'sending' \
             AND NOT EXISTS (SELECT 1 FROM edition_briefs eb JOIN briefs b ON b.id = eb.brief_id \
                             WHERE eb.edition_id = e.id AND b.embargo_at > $1) \
             ORDER BY CASE WHEN e.kind = 'flash' THEN 0 ELSE 1 END, e.id",
        )
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        // Their due deliveries, oldest first, one edition at a time: each is a range of the
        // due index, read only as far as the batch needs. One statement reads all a send needs,
        // and whether the address has been suppressed since the edition was made.
        let candidates = format!(
            "SELECT d.id, d.edition_id, d.language, d.attempts, i.id AS influencer_id, i.email, i.name, i.platforms, \
             (i.id IS NULL OR EXISTS (SELECT 1 FROM suppressions s WHERE s.email_hash = i.email_hash)) AS suppressed \
             FROM deliveries d LEFT JOIN influencers i ON i.id = d.influencer_id \
             WHERE d.edition_id = $1 AND d.status IN ('queued', 'deferred') AND d.next_attempt_at <= $2 \
             ORDER BY d.next_attempt_at LIMIT $3{}",
            D::CLAIM_LOCK
        );
        let (mut rows, mut found_in) = (Vec::new(), Vec::new());
        for edition in editions {
            let wanted = batch as usize - rows.len();
            if wanted == 0 {
                break;
            }
            let found = sqlx::query(sqlx::AssertSqlSafe(candidates.as_str()))
                .bind(edition)
                .bind(now)
                .bind(wanted as i64)
                .fetch_all(&mut *tx)
                .await?;
            if !found.is_empty() {
                found_in.push(edition);
            }
            rows.extend(found);
        }
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let briefs = live_briefs_of(&mut tx, &found_in, now).await?;

        // The rows are this transaction's now (locked on PostgreSQL, the database's one writer
        // on SQLite), so each goes exactly where it is sorted.
        let (mut suppressed, mut expired, mut claimed, mut claimed_ids) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let edition: i64 = row.try_get("edition_id")?;
            if row.try_get::<bool, _>("suppressed")? {
                suppressed.push(id);
            } else if !briefs.contains_key(&edition) {
                expired.push(id);
            } else {
                claimed.push(row);
                claimed_ids.push(id);
            }
        }
        let lease_until = now + lease;
        let suppressed_why = "the address is suppressed or erased: not sent";
        let expired_why = "every brief it carried expired or was withdrawn: not sent";
        let claimed_why = format!("claimed by {worker} until {}", lease_until.to_rfc3339());
        update_deliveries(&mut tx, &suppressed, |q| {
            q.push("status = 'suppressed', last_response = ")
                .push_bind(suppressed_why);
        })
        .await?;
        update_deliveries(&mut tx, &expired, |q| {
            q.push("status = 'expired', last_response = ").push_bind(expired_why);
        })
        .await?;
        update_deliveries(&mut tx, &claimed_ids, |q| {
            q.push("status = 'sending', lease_owner = ")
                .push_bind(worker.to_string())
                .push(", lease_until = ")
                .push_bind(lease_until)
                .push(", claimed_at = ")
                .push_bind(now)
                .push(", attempts = attempts + 1");
        })
        .await?;
        log_events(&mut tx, &suppressed, "suppressed", suppressed_why, now).await?;
        log_events(&mut tx, &expired, "expired", expired_why, now).await?;
        log_events(&mut tx, &claimed_ids, "sending", &claimed_why, now).await?;
        tx.commit().await?;

        claimed
            .into_iter()
            .map(|row| {
                let language: String = row.try_get("language")?;
                let edition: i64 = row.try_get("edition_id")?;
                let attempts: i32 = row.try_get("attempts")?;
                let influencer_id: Option<InfluencerId> = row.try_get("influencer_id")?;
                Ok(ClaimedDelivery {
                    lease: Lease {
                        delivery: DeliveryId(row.try_get("id")?),
                        worker: worker.to_string(),
                        attempt: attempts as u32 + 1,
                    },
                    edition: EditionId(edition),
                    influencer_id: influencer_id
                        .ok_or_else(|| StoreError::Corrupt("claimed delivery without influencer".into()))?,
                    email: row.try_get::<Option<String>, _>("email")?.unwrap_or_default(),
                    name: row.try_get::<Option<String>, _>("name")?.unwrap_or_default(),
                    platforms: list_from_column(&row.try_get::<Option<String>, _>("platforms")?.unwrap_or_default()),
                    language: language
                        .parse()
                        .map_err(|e| StoreError::Corrupt(format!("deliveries.language: {e}")))?,
                    lease_until,
                    briefs: briefs.get(&edition).cloned().unwrap_or_default(),
                })
            })
            .collect()
    }

    async fn expire_leases(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let mut tx = D::begin_write(&self.pool).await?;
        let detail = "the lease ran out before an outcome was recorded: it may have been sent, so it waits for ops";
        let ids: Vec<i64> = sqlx::query_scalar(
            "UPDATE deliveries SET status = 'uncertain', last_response = $1 \
             WHERE status = 'sending' AND lease_until < $2 RETURNING id",
        )
        .bind(detail)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        log_events(&mut tx, &ids, "uncertain", detail, now).await?;
        tx.commit().await?;
        Ok(ids.len() as u64)
    }

    async fn beat(&self, worker: &str, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO daemons (worker, beat_at) VALUES ($1, $2) \
             ON CONFLICT (worker) DO UPDATE SET beat_at = excluded.beat_at",
        )
        .bind(worker)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn stop_beating(&self, worker: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM daemons WHERE worker = $1")
            .bind(worker)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn expire_silent_claims(&self, silent_since: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<u64> {
        // Every daemon sweeps every few seconds and almost always finds nothing: a read first,
        // so that the sweep does not take SQLite's one writer away from the dispatcher for nothing.
        let any: Option<i64> = sqlx::query_scalar(SILENT_CLAIM)
            .bind(silent_since)
            .fetch_optional(&self.pool)
            .await?;
        if any.is_none() {
            return Ok(0);
        }
        let mut tx = D::begin_write(&self.pool).await?;
        let detail = "the daemon that held it stopped before recording an outcome: it may have been sent, \
                      so it waits for ops";
        let ids: Vec<i64> = sqlx::query_scalar(
            "UPDATE deliveries SET status = 'uncertain', last_response = $1 \
             WHERE status = 'sending' AND claimed_at < $2 \
             AND lease_owner NOT IN (SELECT worker FROM daemons WHERE beat_at >= $2) RETURNING id",
        )
        .bind(detail)
        .bind(silent_since)
        .fetch_all(&mut *tx)
        .await?;
        log_events(&mut tx, &ids, "uncertain", detail, now).await?;
        tx.commit().await?;
        Ok(ids.len() as u64)
    }

    async fn abandon_claims(&self, worker: &str, now: DateTime<Utc>) -> StoreResult<u64> {
        let mut tx = D::begin_write(&self.pool).await?;
        let detail = "the dispatch lane that held it failed before recording an outcome: it may have been sent, \
                      so it waits for ops";
        let ids: Vec<i64> = sqlx::query_scalar(
            "UPDATE deliveries SET status = 'uncertain', last_response = $1 \
             WHERE status = 'sending' AND lease_owner = $2 RETURNING id",
        )
        .bind(detail)
        .bind(worker)
        .fetch_all(&mut *tx)
        .await?;
        log_events(&mut tx, &ids, "uncertain", detail, now).await?;
        tx.commit().await?;
        Ok(ids.len() as u64)
    }
}

/// One delivery claimed before `$1` by a daemon not heard from since: the sweep's cheap probe.
const SILENT_CLAIM: &str = "SELECT id FROM deliveries WHERE status = 'sending' AND claimed_at < $1 \
     AND lease_owner NOT IN (SELECT worker FROM daemons WHERE beat_at >= $1) LIMIT 1";

/// Sets what `assignments` pushes on the deliveries `ids`, a chunk per statement.
async fn update_deliveries(tx: &mut Tx, ids: &[i64], assignments: impl Fn(&mut QueryBuilder<Db>)) -> StoreResult<()> {
    for chunk in ids.chunks(BATCH) {
        let mut q = QueryBuilder::<Db>::new("UPDATE deliveries SET ");
        assignments(&mut q);
        q.push(" WHERE ");
        D::push_id_in(&mut q, "id", chunk);
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// The live briefs of each edition, in reading order.
async fn live_briefs_of(
    tx: &mut Tx,
    editions: &[i64],
    now: DateTime<Utc>,
) -> StoreResult<HashMap<i64, Vec<EditionBrief>>> {
    let mut out: HashMap<i64, Vec<EditionBrief>> = HashMap::new();
    if editions.is_empty() {
        return Ok(out);
    }
    let mut q = QueryBuilder::<Db>::new(
        "SELECT eb.edition_id, eb.brief_id, eb.position, eb.is_correction FROM edition_briefs eb \
         JOIN briefs b ON b.id = eb.brief_id WHERE ",
    );
    push_live_brief(&mut q, now);
    q.push(" AND ");
    D::push_id_in(&mut q, "eb.edition_id", editions);
    q.push(" ORDER BY eb.edition_id, eb.position");
    for row in q.build().fetch_all(&mut **tx).await? {
        let position: i32 = row.try_get("position")?;
        out.entry(row.try_get("edition_id")?).or_default().push(EditionBrief {
            brief: BriefId(row.try_get("brief_id")?),
            position: position.max(0) as u32,
            is_correction: row.try_get("is_correction")?,
        });
    }
    Ok(out)
}
