//! The delivery log: listings with history, resends on request, counts.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{QueryBuilder, Row};

use super::common::{BATCH, Tx, audit, push_list, sql_count};
use super::{D, Db, ThisStore};
use crate::access::Actor;
use crate::edition::{DeliveryEvent, DeliveryId, DeliveryRecord, DeliveryStatus, EditionId, ResendTarget};
use crate::store::dialect::Dialect;
use crate::store::{DeliveryQuery, DeliveryStore, EditionRates, HourOutcomes, StoreError, StoreResult};

#[async_trait]
impl DeliveryStore for ThisStore {
    async fn resend(&self, target: &ResendTarget, actor: &Actor, now: DateTime<Utc>) -> StoreResult<u64> {
        let resendable: Vec<String> = DeliveryStatus::sources_of(DeliveryStatus::Queued)
            .iter()
            .map(|s| s.as_str().to_string())
            .collect();
        let mut tx = D::begin_write(&self.pool).await?;
        // A cancelled edition stays cancelled: its deliveries are not brought back one by one.
        let mut q = QueryBuilder::<Db>::new("UPDATE deliveries SET status = 'queued', next_attempt_at = ");
        q.push_bind(now).push(
            ", lease_until = NULL WHERE edition_id IN (SELECT id FROM editions WHERE status <> 'cancelled') AND ",
        );
        let subject = match target {
            ResendTarget::Deliveries(ids) => {
                if ids.is_empty() {
                    return Ok(0);
                }
                q.push("status IN (");
                push_list(&mut q, resendable.into_iter());
                q.push(") AND ");
                D::push_id_in(&mut q, "id", &ids.iter().map(|d| d.0).collect::<Vec<_>>());
                format!(
                    "deliveries:{}",
                    ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
                )
            }
            ResendTarget::Edition { edition, status } => {
                if !status.is_resendable() {
                    return Err(StoreError::Conflict {
                        field: "status",
                        message: format!("{status} deliveries cannot be resent; only uncertain or failed ones can"),
                    });
                }
                q.push("status = ")
                    .push_bind(status.as_str())
                    .push(" AND edition_id = ")
                    .push_bind(edition.0);
                format!("edition:{edition}")
            }
        };
        q.push(" RETURNING id, edition_id");
        let rows = q.build().fetch_all(&mut *tx).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?;
        let mut editions: Vec<i64> = rows.iter().map(|r| r.try_get("edition_id")).collect::<Result<_, _>>()?;
        editions.sort_unstable();
        editions.dedup();
        log_events(&mut tx, &ids, "queued", &format!("resent on request of {actor}"), now).await?;
        if !editions.is_empty() {
            let mut q = QueryBuilder::<Db>::new(
                "UPDATE editions SET status = 'sending', finished_at = NULL WHERE status = 'done' AND ",
            );
            D::push_id_in(&mut q, "id", &editions);
            q.build().execute(&mut *tx).await?;
        }
        audit(
            &mut tx,
            actor,
            "deliveries.resend",
            &subject,
            json!({ "requeued": ids.len() }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(ids.len() as u64)
    }

    async fn deliveries(&self, query: &DeliveryQuery) -> StoreResult<Vec<DeliveryRecord>> {
        let mut q = QueryBuilder::<Db>::new(
            "SELECT d.id, d.edition_id, i.email, d.language, d.status, d.attempts, d.transport, d.message_id, \
             d.next_attempt_at, d.lease_owner, d.lease_until, d.sent_at, d.last_response, e.created_at AS queued_at \
             FROM deliveries d JOIN editions e ON e.id = d.edition_id \
             LEFT JOIN influencers i ON i.id = d.influencer_id WHERE 1 = 1",
        );
        if let Some(delivery) = query.delivery {
            q.push(" AND d.id = ").push_bind(delivery.0);
        }
        if let Some(edition) = query.edition {
            q.push(" AND d.edition_id = ").push_bind(edition.0);
        }
        if let Some(status) = query.status {
            q.push(" AND d.status = ").push_bind(status.as_str());
        }
        if let Some(language) = query.language {
            q.push(" AND d.language = ").push_bind(language.code());
        }
        if query.active_since.is_some() || query.active_until.is_some() {
            // Active in the window: queued in it (the edition's creation), or an event in it.
            let window = |q: &mut QueryBuilder<Db>, column: &str| {
                q.push("1 = 1");
                if let Some(since) = query.active_since {
                    q.push(format!(" AND {column} >= ")).push_bind(since);
                }
                if let Some(until) = query.active_until {
                    q.push(format!(" AND {column} < ")).push_bind(until);
                }
            };
            q.push(" AND ((");
            window(&mut q, "e.created_at");
            q.push(") OR EXISTS (SELECT 1 FROM delivery_events ev WHERE ev.delivery_id = d.id AND ");
            window(&mut q, "ev.at");
            q.push("))");
        }
        q.push(" ORDER BY d.id LIMIT ")
            .push_bind(sql_count(query.limit.max(1)))
            .push(" OFFSET ")
            .push_bind(sql_count(query.offset));
        let rows = q.build().fetch_all(&self.pool).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?;
        let mut events: HashMap<i64, Vec<DeliveryEvent>> = HashMap::new();
        for chunk in ids.chunks(BATCH) {
            let mut q = QueryBuilder::<Db>::new("SELECT delivery_id, status, at, detail FROM delivery_events WHERE ");
            D::push_id_in(&mut q, "delivery_id", chunk);
            q.push(" ORDER BY id");
            for row in q.build().fetch_all(&self.pool).await? {
                events
                    .entry(row.try_get("delivery_id")?)
                    .or_default()
                    .push(DeliveryEvent {
                        status: row.try_get("status")?,
                        at: row.try_get("at")?,
                        detail: row.try_get("detail")?,
                    });
            }
        }
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                let status: String = row.try_get("status")?;
                let attempts: i32 = row.try_get("attempts")?;
                // Queueing is not logged row by row (an edition of a million would double its
                // writes): every delivery was queued when its edition was made.
                let mut history = vec![DeliveryEvent {
                    status: DeliveryStatus::Queued.as_str().into(),
                    at: row.try_get("queued_at")?,
                    detail: "queued with its edition".into(),
                }];
                history.extend(events.remove(&id).unwrap_or_default());
                Ok(DeliveryRecord {
                    id: DeliveryId(id),
                    edition: EditionId(row.try_get("edition_id")?),
                    email: row.try_get("email")?,
                    language: row.try_get("language")?,
                    status: parse_delivery_status(&status)?,
                    attempts: attempts.max(0) as u32,
                    transport: row.try_get("transport")?,
                    message_id: row.try_get("message_id")?,
                    next_attempt_at: row.try_get("next_attempt_at")?,
                    lease_owner: row.try_get("lease_owner")?,
                    lease_until: row.try_get("lease_until")?,
                    sent_at: row.try_get("sent_at")?,
                    last_response: row.try_get("last_response")?,
                    events: history,
                })
            })
            .collect()
    }

    async fn send_latencies(&self, edition: EditionId) -> StoreResult<Vec<f64>> {
        use futures::TryStreamExt;
        let mut rows = sqlx::query_as::<_, (DateTime<Utc>, DateTime<Utc>)>(
            "SELECT claimed_at, sent_at FROM deliveries \
             WHERE edition_id = $1 AND status = 'sent' AND claimed_at IS NOT NULL AND sent_at IS NOT NULL",
        )
        .bind(edition.0)
        .fetch(&self.pool);
        let mut out = Vec::new();
        while let Some((claimed, sent)) = rows.try_next().await? {
            out.push((sent - claimed).as_seconds_f64());
        }
        Ok(out)
    }

    async fn outcomes_by_hour(&self, now: DateTime<Utc>, hours: u32) -> StoreResult<Vec<HourOutcomes>> {
        use futures::TryStreamExt;
        let since = now - chrono::TimeDelta::hours(i64::from(hours));
        let mut buckets: Vec<HourOutcomes> = (0..hours)
            .map(|i| HourOutcomes {
                hour: since + chrono::TimeDelta::hours(i64::from(i)),
                ..HourOutcomes::default()
            })
            .collect();
        let mut rows = sqlx::query(
            "SELECT status, at FROM delivery_events WHERE at >= $1 AND at <= $2 \
             AND status IN ('sent', 'deferred', 'failed', 'bounced')",
        )
        .bind(since)
        .bind(now)
        .fetch(&self.pool);
        while let Some(row) = rows.try_next().await? {
            let status: String = row.try_get("status")?;
            let at: DateTime<Utc> = row.try_get("at")?;
            let Some(bucket) = Self::hour_of(now, hours, at).and_then(|i| buckets.get_mut(i)) else {
                continue;
            };
            match status.as_str() {
                "sent" => bucket.sent += 1,
                "deferred" => bucket.deferred += 1,
                "failed" => bucket.failed += 1,
                _ => bucket.bounced += 1,
            }
        }
        Ok(buckets)
    }

    async fn edition_rates(&self, limit: u64) -> StoreResult<Vec<EditionRates>> {
        let rows = sqlx::query(
            "SELECT e.id, e.created_at, \
             (SELECT COUNT(*) FROM deliveries d WHERE d.edition_id = e.id AND d.status IN ('sent', 'bounced', 'failed')) AS attempted, \
             (SELECT COUNT(*) FROM deliveries d WHERE d.edition_id = e.id AND d.status = 'bounced') AS bounced, \
             (SELECT COUNT(*) FROM replies r JOIN deliveries d ON d.id = r.delivery_id \
              WHERE d.edition_id = e.id AND r.kind = 'complaint') AS complaints \
             FROM editions e ORDER BY e.id DESC LIMIT $1",
        )
        .bind(sql_count(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let count = |name: &str| -> StoreResult<u64> { Ok(row.try_get::<i64, _>(name)?.max(0) as u64) };
                Ok(EditionRates {
                    edition: EditionId(row.try_get("id")?),
                    created_at: row.try_get("created_at")?,
                    attempted: count("attempted")?,
                    bounced: count("bounced")?,
                    complaints: count("complaints")?,
                })
            })
            .collect()
    }

    async fn delivery_counts(&self) -> StoreResult<Vec<(DeliveryStatus, u64)>> {
        let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let status: String = row.try_get("status")?;
                let n: i64 = row.try_get("n")?;
                Ok((parse_delivery_status(&status)?, n as u64))
            })
            .collect()
    }
}

impl ThisStore {
    /// The hour bucket an outcome at `at` falls in, counting back from `now`.
    fn hour_of(now: DateTime<Utc>, hours: u32, at: DateTime<Utc>) -> Option<usize> {
        let back = (now - at).num_seconds();
        let index = i64::from(hours) - 1 - back.div_euclid(3600);
        usize::try_from(index).ok().filter(|i| *i < hours as usize)
    }
}

pub(super) fn parse_delivery_status(s: &str) -> StoreResult<DeliveryStatus> {
    s.parse()
        .map_err(|e| StoreError::Corrupt(format!("deliveries.status: {e}")))
}

/// Appends one history line per delivery.
pub(super) async fn log_events(
    tx: &mut Tx,
    ids: &[i64],
    status: &str,
    detail: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    for chunk in ids.chunks(BATCH) {
        let mut q = QueryBuilder::<Db>::new("INSERT INTO delivery_events (delivery_id, status, at, detail) ");
        q.push_values(chunk, |mut b, id| {
            b.push_bind(*id).push_bind(status).push_bind(now).push_bind(detail);
        });
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}
