//! What sends did: outcomes recorded only for the attempt that holds the lease, a batch per commit.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{QueryBuilder, Row};

use super::common::{BATCH, Tx, audit, push_list};
use super::deliveries::{log_events, parse_delivery_status};
use super::{D, Db, ThisStore};
use crate::access::Actor;
use crate::edition::{DeliveryStatus, Lease, Outcome, Recorded};
use crate::store::dialect::Dialect;
use crate::store::{OutcomeStore, StoreError, StoreResult};

#[async_trait]
impl OutcomeStore for ThisStore {
    async fn record_outcome(
        &self,
        lease: &Lease,
        transport: &str,
        outcome: &Outcome,
        now: DateTime<Utc>,
    ) -> StoreResult<Recorded> {
        let mut recorded = self.record_outcomes(transport, &[(lease, outcome)], now).await?;
        Ok(recorded.remove(0))
    }

    async fn record_outcomes(
        &self,
        transport: &str,
        reports: &[(&Lease, &Outcome)],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Recorded>> {
        let mut tx = D::begin_write(&self.pool).await?;
        let mut recorded: Vec<Option<Recorded>> = vec![None; reports.len()];
        // "Sent" is nearly every outcome of a batch: those are recorded a chunk per statement,
        // fenced exactly as `record_one` fences a single one. A batch naming a delivery twice
        // goes one by one, so the second report sees what the first did.
        let mut ids: Vec<i64> = reports.iter().map(|(lease, _)| lease.delivery.0).collect();
        ids.sort_unstable();
        let distinct = ids.windows(2).all(|w| w[0] != w[1]);
        if distinct {
            let sent: Vec<usize> = (0..reports.len())
                .filter(|&i| matches!(reports[i].1, Outcome::Sent { .. }))
                .collect();
            for chunk in sent.chunks(BATCH) {
                let done = record_sent(&mut tx, reports, chunk, transport, now).await?;
                for i in chunk {
                    if done.contains(&reports[*i].0.delivery.0) {
                        recorded[*i] = Some(Recorded::Recorded {
                            status: DeliveryStatus::Sent,
                        });
                    }
                }
            }
        }
        // The rest one by one, in id order: the order other multi-row writers meet rows in
        // most often, so that two writers rarely wait on each other in a cycle.
        let mut order: Vec<usize> = (0..reports.len()).collect();
        order.sort_by_key(|&i| reports[i].0.delivery);
        for i in order {
            if recorded[i].is_none() {
                // Any other outcome, and a sent one whose lease was lost (`record_one` then
                // changes nothing and says where the delivery stands).
                let (lease, outcome) = reports[i];
                recorded[i] = Some(record_one(&mut tx, lease, transport, outcome, now).await?);
            }
        }
        let sent: Vec<i64> = reports
            .iter()
            .zip(&recorded)
            .filter(|(_, r)| {
                **r == Some(Recorded::Recorded {
                    status: DeliveryStatus::Sent,
                })
            })
            .map(|((lease, _), _)| lease.delivery.0)
            .collect();
        mark_briefs_sent(&mut tx, &sent, now).await?;
        tx.commit().await?;
        Ok(recorded
            .into_iter()
            .map(|r| r.expect("every report recorded"))
            .collect())
    }
}

/// Records one outcome inside the caller's transaction, only while `lease` is this attempt's.
async fn record_one(
    tx: &mut Tx,
    lease: &Lease,
    transport: &str,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> StoreResult<Recorded> {
    let to = outcome.status();
    // Only the claimed attempt may report, and only while its result is still open.
    let open = open_statuses(to);
    let mut q = QueryBuilder::<Db>::new("UPDATE deliveries SET status = ");
    q.push_bind(to.as_str())
        .push(", transport = ")
        .push_bind(transport)
        .push(", last_response = ")
        .push_bind(outcome.response())
        .push(", lease_until = NULL");
    match outcome {
        Outcome::Sent { message_id, .. } => {
            q.push(", message_id = ")
                .push_bind(message_id.as_str())
                .push(", sent_at = ")
                .push_bind(now);
        }
        Outcome::Deferred { next_attempt_at, .. } => {
            q.push(", next_attempt_at = ").push_bind(*next_attempt_at);
        }
        Outcome::Failed { .. }
        | Outcome::Bounced { .. }
        | Outcome::Suppressed { .. }
        | Outcome::Uncertain { .. }
        | Outcome::Held { .. } => {}
    }
    q.push(" WHERE id = ")
        .push_bind(lease.delivery.0)
        .push(" AND lease_owner = ")
        .push_bind(lease.worker.as_str())
        .push(" AND attempts = ")
        .push_bind(lease.attempt as i32)
        .push(" AND status IN (");
    push_list(&mut q, open.iter().map(|s| s.to_string()));
    q.push(") RETURNING influencer_id");
    let updated: Option<Option<i64>> = q.build_query_scalar().fetch_optional(&mut **tx).await?;
    let Some(influencer) = updated else {
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM deliveries WHERE id = $1")
            .bind(lease.delivery.0)
            .fetch_optional(&mut **tx)
            .await?;
        let status = status.ok_or_else(|| StoreError::NotFound {
            what: format!("delivery {}", lease.delivery),
        })?;
        return Ok(Recorded::LeaseLost {
            status: parse_delivery_status(&status)?,
        });
    };
    let detail = match outcome {
        Outcome::Deferred {
            next_attempt_at,
            response,
        } => {
            format!(
                "{transport}: {response} (next attempt {})",
                next_attempt_at.to_rfc3339()
            )
        }
        other => format!("{transport}: {}", other.response()),
    };
    log_events(tx, &[lease.delivery.0], to.as_str(), &detail, now).await?;
    if let (Outcome::Bounced { .. } | Outcome::Suppressed { .. }, Some(influencer)) = (outcome, influencer) {
        // The transport's refusal is a bounce however it came: the address is not mailed again.
        sqlx::query(
            "INSERT INTO suppressions (email_hash, email, reason, detail, created_at) \
             SELECT email_hash, email, 'bounced', $1, $2 FROM influencers WHERE id = $3 \
             ON CONFLICT (email_hash) DO NOTHING",
        )
        .bind(&detail)
        .bind(now)
        .bind(influencer)
        .execute(&mut **tx)
        .await?;
    }
    Ok(Recorded::Recorded { status: to })
}

/// The statuses a claimed attempt may still report `to` from: sending, or uncertain because the
/// lease ran out first (then the late report settles it).
fn open_statuses(to: DeliveryStatus) -> Vec<&'static str> {
    [DeliveryStatus::Sending, DeliveryStatus::Uncertain]
        .into_iter()
        .filter(|s| s.can_become(to))
        .map(DeliveryStatus::as_str)
        .collect()
}

/// Records the `Sent` outcomes at `chunk` (indices into `reports`), each only while its lease is
/// still this attempt's, as `record_one` would; returns the deliveries it recorded, with their
/// history lines written.
async fn record_sent(
    tx: &mut Tx,
    reports: &[(&Lease, &Outcome)],
    chunk: &[usize],
    transport: &str,
    now: DateTime<Utc>,
) -> StoreResult<std::collections::HashSet<i64>> {
    // The fence is read, with the rows locked, and checked here rather than in the update's
    // WHERE: there the planner, counting almost no deliveries as sending (its counts are from
    // when the edition was made), joined the chunk to itself row by row.
    let keys: Vec<i64> = chunk.iter().map(|&i| reports[i].0.delivery.0).collect();
    let mut q = QueryBuilder::<Db>::new("SELECT id, status, lease_owner, attempts FROM deliveries WHERE ");
    D::push_id_in(&mut q, "id", &keys);
    q.push(D::ROW_LOCK);
    let mut current: HashMap<i64, (String, Option<String>, i32)> = HashMap::new();
    for row in q.build().fetch_all(&mut **tx).await? {
        current.insert(
            row.try_get("id")?,
            (
                row.try_get("status")?,
                row.try_get("lease_owner")?,
                row.try_get("attempts")?,
            ),
        );
    }
    let open = open_statuses(DeliveryStatus::Sent);
    let fenced: Vec<usize> = chunk
        .iter()
        .copied()
        .filter(|&i| {
            let lease = reports[i].0;
            current.get(&lease.delivery.0).is_some_and(|(status, owner, attempts)| {
                open.contains(&status.as_str())
                    && owner.as_deref() == Some(lease.worker.as_str())
                    && *attempts == lease.attempt as i32
            })
        })
        .collect();
    if fenced.is_empty() {
        return Ok(Default::default());
    }
    let keys: Vec<i64> = fenced.iter().map(|&i| reports[i].0.delivery.0).collect();
    let mut q = QueryBuilder::<Db>::new("WITH v (v_id, v_response, v_message_id) AS (");
    q.push_values(&fenced, |mut b, &i| {
        let (lease, outcome) = reports[i];
        let message_id = match outcome {
            Outcome::Sent { message_id, .. } => message_id.as_str(),
            _ => unreachable!("only sent outcomes are recorded here"),
        };
        b.push_bind(lease.delivery.0)
            .push_bind(outcome.response())
            .push_bind(message_id);
    });
    q.push(") UPDATE deliveries SET status = 'sent', transport = ")
        .push_bind(transport)
        .push(", last_response = v.v_response, lease_until = NULL, message_id = v.v_message_id, sent_at = ")
        .push_bind(now)
        .push(" FROM v WHERE deliveries.id = v.v_id AND ");
    D::push_id_in(&mut q, "deliveries.id", &keys);
    q.build().execute(&mut **tx).await?;

    let mut q = QueryBuilder::<Db>::new("INSERT INTO delivery_events (delivery_id, status, at, detail) ");
    q.push_values(&fenced, |mut b, &i| {
        let (lease, outcome) = reports[i];
        b.push_bind(lease.delivery.0)
            .push_bind("sent")
            .push_bind(now)
            .push_bind(format!("{transport}: {}", outcome.response()));
    });
    q.build().execute(&mut **tx).await?;
    Ok(keys.into_iter().collect())
}

/// Briefs carried by deliveries just recorded as sent become sent (queued → sent), once.
async fn mark_briefs_sent(tx: &mut Tx, sent: &[i64], now: DateTime<Utc>) -> StoreResult<()> {
    if sent.is_empty() {
        return Ok(());
    }
    let mut q = QueryBuilder::<Db>::new("UPDATE briefs SET status = 'sent', updated_at = ");
    q.push_bind(now).push(
        " WHERE status IN ('approved', 'queued') AND id IN (SELECT eb.brief_id FROM edition_briefs eb \
         JOIN deliveries d ON d.edition_id = eb.edition_id WHERE ",
    );
    D::push_id_in(&mut q, "d.id", sent);
    q.push(") RETURNING id, status");
    let rows = q.build().fetch_all(&mut **tx).await?;
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let detail = json!({ "to": "sent", "first_delivery_of": sent.first() });
        audit(
            tx,
            &Actor("dispatcher".into()),
            "brief.sent",
            &format!("brief:{id}"),
            detail,
            now,
        )
        .await?;
    }
    Ok(())
}
