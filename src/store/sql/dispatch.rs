// Schedules, editions, deliveries and their leases in SQL, shared by both backends (see
// `sql/common.rs`). What differs per backend is the claim's row locking (`CLAIM_LOCK`) and how
// the scheduler's leader is chosen (`lead`), both defined by the includer.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use sqlx::{QueryBuilder, Row};

use crate::access::Actor;
use crate::audience::SegmentFilter;
use crate::edition::{
    BriefId, DeliveryId, DeliveryStatus, EditionAction, EditionId, EditionKind, EditionStatus, Outcome, Progress,
    ProgressError, ScheduleId,
};
use crate::language::Cadence;
use crate::schedule::{NewSchedule, Schedule};
use crate::store::{
    ClaimedDelivery, DeliveryEvent, DeliveryQuery, DeliveryRecord, DispatchStore, EditionBrief, EditionCreated,
    EditionSummary, Fired, Lease, Leadership, NewEdition, Recipients, Recorded, ResendTarget, RunOutcome, StoreError,
    StoreResult, StoredSchedule,
};

/// Brief statuses whose content may still go out in an edition already made.
const LIVE_BRIEF_STATUSES: &str = "('approved', 'queued', 'sent')";

/// One delivery claimed before `$1` by a daemon not heard from since: the sweep's cheap probe.
const SILENT_CLAIM: &str = "SELECT id FROM deliveries WHERE status = 'sending' AND claimed_at < $1 \
     AND lease_owner NOT IN (SELECT worker FROM daemons WHERE beat_at >= $1) LIMIT 1";

/// How many of an edition's latest problems its progress shows.
const LAST_ERRORS: i64 = 5;

fn scheduler_actor() -> Actor {
    Actor("scheduler".into())
}

#[async_trait]
impl DispatchStore for ThisStore {
    async fn add_schedule(&self, schedule: &Schedule, actor: &Actor, now: DateTime<Utc>) -> StoreResult<StoredSchedule> {
        let mut tx = begin_write(&self.pool).await?;
        let segment_id: Option<i64> = sqlx::query_scalar("SELECT id FROM segments WHERE name = $1")
            .bind(schedule.segment())
            .fetch_optional(&mut *tx)
            .await?;
        let Some(segment_id) = segment_id else {
            return Err(StoreError::NotFound { what: format!("segment `{}`", schedule.segment()) });
        };
        let inserted = sqlx::query_scalar::<_, i64>(
            "INSERT INTO schedules (name, cron, time_zone, cadence, segment_id, enabled, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(schedule.name())
        .bind(schedule.cron().as_str())
        .bind(schedule.time_zone().name())
        .bind(schedule.cadence().as_str())
        .bind(segment_id)
        .bind(true)
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        let id = match inserted {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(StoreError::Conflict {
                    field: "name",
                    message: format!("a schedule named `{}` already exists", schedule.name()),
                });
            }
            other => other?,
        };
        audit(&mut tx, actor, "schedule.add", &format!("schedule:{}", schedule.name()), json!(schedule), now).await?;
        tx.commit().await?;
        Ok(StoredSchedule { id: ScheduleId(id), schedule: schedule.clone(), enabled: true, created_at: now, last_run: None })
    }

    async fn schedules(&self) -> StoreResult<Vec<StoredSchedule>> {
        let sql = format!("{SCHEDULE_SELECT} ORDER BY s.name");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
        rows.iter().map(schedule_from_row).collect()
    }

    async fn schedule(&self, name: &str) -> StoreResult<Option<StoredSchedule>> {
        let sql = format!("{SCHEDULE_SELECT} WHERE s.name = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(name).fetch_optional(&self.pool).await?;
        row.as_ref().map(schedule_from_row).transpose()
    }

    async fn briefs_due_for(&self, schedule: ScheduleId, cadence: Cadence, now: DateTime<Utc>) -> StoreResult<Vec<BriefId>> {
        let mut conn = self.pool.acquire().await?;
        Ok(briefs_due(&mut conn, schedule, cadence, now).await?.into_iter().map(|b| b.brief).collect())
    }

    async fn record_run(&self, schedule: ScheduleId, due_at: DateTime<Utc>, outcome: RunOutcome, now: DateTime<Utc>) -> StoreResult<bool> {
        let took = sqlx::query(
            "INSERT INTO schedule_runs (schedule_id, due_at, outcome, edition_id, recorded_at) \
             VALUES ($1, $2, $3, NULL, $4) ON CONFLICT (schedule_id, due_at) DO NOTHING",
        )
        .bind(schedule.0)
        .bind(due_at)
        .bind(outcome.as_str())
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(took == 1)
    }

    async fn fire_run(&self, schedule: ScheduleId, due_at: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<Fired> {
        let mut tx = begin_write(&self.pool).await?;
        // The run is claimed first: a second daemon's insert waits for this transaction and then
        // finds the row, so only one of them goes on to build the edition.
        let took = sqlx::query(
            "INSERT INTO schedule_runs (schedule_id, due_at, outcome, edition_id, recorded_at) \
             VALUES ($1, $2, 'empty', NULL, $3) ON CONFLICT (schedule_id, due_at) DO NOTHING",
        )
        .bind(schedule.0)
        .bind(due_at)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if took == 0 {
            return Ok(Fired::AlreadyRecorded);
        }
        let (name, cadence, filter) = schedule_target(&mut tx, schedule).await?;
        let briefs = briefs_due(&mut tx, schedule, cadence, now).await?;
        if briefs.is_empty() {
            tx.commit().await?;
            return Ok(Fired::Empty);
        }
        let edition = NewEdition {
            kind: EditionKind::Scheduled,
            schedule: Some(schedule),
            due_at,
            briefs,
            recipients: Recipients::Subscribers { segment: filter, cadence },
        };
        let created = insert_edition(&mut tx, &edition, now).await?;
        sqlx::query("UPDATE schedule_runs SET outcome = 'fired', edition_id = $1 WHERE schedule_id = $2 AND due_at = $3")
            .bind(created.edition.0)
            .bind(schedule.0)
            .bind(due_at)
            .execute(&mut *tx)
            .await?;
        audit_edition(&mut tx, &scheduler_actor(), &edition, &created, Some(&name), now).await?;
        tx.commit().await?;
        Ok(Fired::Edition { edition: created.edition, briefs: edition.briefs.len(), recipients: created.recipients })
    }

    async fn send_now(&self, schedule: ScheduleId, actor: &Actor, now: DateTime<Utc>) -> StoreResult<Option<EditionCreated>> {
        let mut tx = begin_write(&self.pool).await?;
        let (name, cadence, filter) = schedule_target(&mut tx, schedule).await?;
        let briefs = briefs_due(&mut tx, schedule, cadence, now).await?;
        if briefs.is_empty() {
            return Ok(None);
        }
        let edition = NewEdition {
            kind: EditionKind::Manual,
            schedule: Some(schedule),
            due_at: now,
            briefs,
            recipients: Recipients::Subscribers { segment: filter, cadence },
        };
        let created = insert_edition(&mut tx, &edition, now).await?;
        audit_edition(&mut tx, actor, &edition, &created, Some(&name), now).await?;
        tx.commit().await?;
        Ok(Some(created))
    }

    async fn create_edition(&self, edition: &NewEdition, actor: &Actor, now: DateTime<Utc>) -> StoreResult<EditionCreated> {
        let mut tx = begin_write(&self.pool).await?;
        if matches!(edition.recipients, Recipients::AllNotYetCarrying) {
            lock_roster(&mut tx).await?;
        }
        let created = insert_edition(&mut tx, edition, now).await?;
        audit_edition(&mut tx, actor, edition, &created, None, now).await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn create_flash(&self, brief: BriefId, actor: &Actor, now: DateTime<Utc>) -> StoreResult<EditionCreated> {
        let mut tx = begin_write(&self.pool).await?;
        // Two flashes of one brief at once must not both count a person as not yet reached.
        lock_roster(&mut tx).await?;
        let sql = format!("SELECT {} FROM briefs WHERE id = $1", briefs::BRIEF_COLUMNS);
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(brief.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: format!("brief {brief}") })?;
        let stored = briefs::brief_from_row(&row)?;
        if let Some(refusal) = stored.brief.flash_refusal(stored.status, now) {
            return Err(StoreError::Conflict { field: "brief", message: format!("brief {brief} {refusal}") });
        }
        let edition = NewEdition {
            kind: EditionKind::Flash,
            schedule: None,
            due_at: now,
            briefs: vec![EditionBrief { brief, position: 1, is_correction: false }],
            recipients: Recipients::AllNotYetCarrying,
        };
        let created = insert_edition(&mut tx, &edition, now).await?;
        audit_edition(&mut tx, actor, &edition, &created, None, now).await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn claim_due(&self, worker: &str, batch: u32, lease: TimeDelta, now: DateTime<Utc>) -> StoreResult<Vec<ClaimedDelivery>> {
        let mut tx = begin_write(&self.pool).await?;
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
            "SELECT d.id, d.edition_id, d.language, d.attempts, i.id AS influencer_id, i.email, i.name, \
             (i.id IS NULL OR EXISTS (SELECT 1 FROM suppressions s WHERE s.email_hash = i.email_hash)) AS suppressed \
             FROM deliveries d LEFT JOIN influencers i ON i.id = d.influencer_id \
             WHERE d.edition_id = $1 AND d.status IN ('queued', 'deferred') AND d.next_attempt_at <= $2 \
             ORDER BY d.next_attempt_at LIMIT $3{CLAIM_LOCK}"
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
        let (mut suppressed, mut expired, mut claimed, mut claimed_ids) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
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
            q.push("status = 'suppressed', last_response = ").push_bind(suppressed_why);
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
                let influencer_id: Option<i64> = row.try_get("influencer_id")?;
                Ok(ClaimedDelivery {
                    lease: Lease { delivery: DeliveryId(row.try_get("id")?), worker: worker.to_string(), attempt: attempts as u32 + 1 },
                    edition: EditionId(edition),
                    influencer_id: influencer_id.ok_or_else(|| StoreError::Corrupt("claimed delivery without influencer".into()))?,
                    email: row.try_get::<Option<String>, _>("email")?.unwrap_or_default(),
                    name: row.try_get::<Option<String>, _>("name")?.unwrap_or_default(),
                    language: language.parse().map_err(|e| StoreError::Corrupt(format!("deliveries.language: {e}")))?,
                    lease_until,
                    briefs: briefs.get(&edition).cloned().unwrap_or_default(),
                })
            })
            .collect()
    }

    async fn record_outcome(&self, lease: &Lease, transport: &str, outcome: &Outcome, now: DateTime<Utc>) -> StoreResult<Recorded> {
        let mut recorded = self.record_outcomes(transport, &[(lease, outcome)], now).await?;
        Ok(recorded.remove(0))
    }

    async fn record_outcomes(&self, transport: &str, reports: &[(&Lease, &Outcome)], now: DateTime<Utc>) -> StoreResult<Vec<Recorded>> {
        let mut tx = begin_write(&self.pool).await?;
        let mut recorded: Vec<Option<Recorded>> = vec![None; reports.len()];
        // "Sent" is nearly every outcome of a batch: those are recorded a chunk per statement,
        // fenced exactly as `record_one` fences a single one. A batch naming a delivery twice
        // goes one by one, so the second report sees what the first did.
        let mut ids: Vec<i64> = reports.iter().map(|(lease, _)| lease.delivery.0).collect();
        ids.sort_unstable();
        let distinct = ids.windows(2).all(|w| w[0] != w[1]);
        if distinct {
            let sent: Vec<usize> = (0..reports.len()).filter(|&i| matches!(reports[i].1, Outcome::Sent { .. })).collect();
            for chunk in sent.chunks(BATCH) {
                let done = record_sent(&mut tx, reports, chunk, transport, now).await?;
                for i in chunk {
                    if done.contains(&reports[*i].0.delivery.0) {
                        recorded[*i] = Some(Recorded::Recorded { status: DeliveryStatus::Sent });
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
            .filter(|(_, r)| **r == Some(Recorded::Recorded { status: DeliveryStatus::Sent }))
            .map(|((lease, _), _)| lease.delivery.0)
            .collect();
        mark_briefs_sent(&mut tx, &sent, now).await?;
        tx.commit().await?;
        Ok(recorded.into_iter().map(|r| r.expect("every report recorded")).collect())
    }

    async fn expire_leases(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let mut tx = begin_write(&self.pool).await?;
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
        let mut tx = begin_write(&self.pool).await?;
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
        let mut tx = begin_write(&self.pool).await?;
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

    async fn resend(&self, target: &ResendTarget, actor: &Actor, now: DateTime<Utc>) -> StoreResult<u64> {
        let resendable: Vec<String> =
            DeliveryStatus::sources_of(DeliveryStatus::Queued).iter().map(|s| s.as_str().to_string()).collect();
        let mut tx = begin_write(&self.pool).await?;
        // A cancelled edition stays cancelled: its deliveries are not brought back one by one.
        let mut q = QueryBuilder::<Db>::new(
            "UPDATE deliveries SET status = 'queued', next_attempt_at = ",
        );
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
                push_id_in(&mut q, "id", &ids.iter().map(|d| d.0).collect::<Vec<_>>());
                format!("deliveries:{}", ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(","))
            }
            ResendTarget::Edition { edition, status } => {
                if !status.is_resendable() {
                    return Err(StoreError::Conflict {
                        field: "status",
                        message: format!("{status} deliveries cannot be resent; only uncertain or failed ones can"),
                    });
                }
                q.push("status = ").push_bind(status.as_str()).push(" AND edition_id = ").push_bind(edition.0);
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
            let mut q = QueryBuilder::<Db>::new("UPDATE editions SET status = 'sending', finished_at = NULL WHERE status = 'done' AND ");
            push_id_in(&mut q, "id", &editions);
            q.build().execute(&mut *tx).await?;
        }
        audit(&mut tx, actor, "deliveries.resend", &subject, json!({ "requeued": ids.len() }), now).await?;
        tx.commit().await?;
        Ok(ids.len() as u64)
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
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_all(&self.pool).await?;
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
        Ok(Some(Progress { total, by_status, sent_last_minute: sent_last_minute as u64, last_errors }))
    }

    async fn change_edition(&self, id: EditionId, action: EditionAction, actor: &Actor, now: DateTime<Utc>) -> StoreResult<EditionStatus> {
        let mut tx = begin_write(&self.pool).await?;
        let from: String = sqlx::query_scalar("SELECT status FROM editions WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: format!("edition {id}") })?;
        let from: EditionStatus = from.parse().map_err(|e| StoreError::Corrupt(format!("editions.status: {e}")))?;
        let to = action.apply(from).map_err(|message| StoreError::Conflict { field: "status", message })?;
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
            return Err(StoreError::Conflict { field: "status", message: format!("edition {id} changed meanwhile; try again") });
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
        audit(&mut tx, actor, &format!("edition.{}", action.as_str()), &format!("edition:{id}"), detail, now).await?;
        tx.commit().await?;
        Ok(to)
    }

    async fn deliveries(&self, query: &DeliveryQuery) -> StoreResult<Vec<DeliveryRecord>> {
        let mut q = QueryBuilder::<Db>::new(
            "SELECT d.id, d.edition_id, i.email, d.language, d.status, d.attempts, d.transport, d.message_id, \
             d.next_attempt_at, d.lease_owner, d.lease_until, d.sent_at, d.last_response, e.created_at AS queued_at \
             FROM deliveries d JOIN editions e ON e.id = d.edition_id \
             LEFT JOIN influencers i ON i.id = d.influencer_id WHERE 1 = 1",
        );
        if let Some(edition) = query.edition {
            q.push(" AND d.edition_id = ").push_bind(edition.0);
        }
        if let Some(status) = query.status {
            q.push(" AND d.status = ").push_bind(status.as_str());
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
            push_id_in(&mut q, "delivery_id", chunk);
            q.push(" ORDER BY id");
            for row in q.build().fetch_all(&self.pool).await? {
                events.entry(row.try_get("delivery_id")?).or_default().push(DeliveryEvent {
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

    async fn try_lead(&self) -> StoreResult<Option<Leadership>> {
        Ok(lead(&self.pool).await?)
    }
}

/// Records one outcome inside the caller's transaction, only while `lease` is this attempt's.
async fn record_one(tx: &mut Tx, lease: &Lease, transport: &str, outcome: &Outcome, now: DateTime<Utc>) -> StoreResult<Recorded> {
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
            q.push(", message_id = ").push_bind(message_id.as_str()).push(", sent_at = ").push_bind(now);
        }
        Outcome::Deferred { next_attempt_at, .. } => {
            q.push(", next_attempt_at = ").push_bind(*next_attempt_at);
        }
        Outcome::Failed { .. } | Outcome::Bounced { .. } | Outcome::Suppressed { .. } | Outcome::Uncertain { .. } | Outcome::Held { .. } => {}
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
        let status = status.ok_or_else(|| StoreError::NotFound { what: format!("delivery {}", lease.delivery) })?;
        return Ok(Recorded::LeaseLost { status: parse_delivery_status(&status)? });
    };
    let detail = match outcome {
        Outcome::Deferred { next_attempt_at, response } => {
            format!("{transport}: {response} (next attempt {})", next_attempt_at.to_rfc3339())
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
    push_id_in(&mut q, "id", &keys);
    q.push(ROW_LOCK);
    let mut current: HashMap<i64, (String, Option<String>, i32)> = HashMap::new();
    for row in q.build().fetch_all(&mut **tx).await? {
        current.insert(row.try_get("id")?, (row.try_get("status")?, row.try_get("lease_owner")?, row.try_get("attempts")?));
    }
    let open = open_statuses(DeliveryStatus::Sent);
    let fenced: Vec<usize> = chunk
        .iter()
        .copied()
        .filter(|&i| {
            let lease = reports[i].0;
            current.get(&lease.delivery.0).is_some_and(|(status, owner, attempts)| {
                open.contains(&status.as_str()) && owner.as_deref() == Some(lease.worker.as_str()) && *attempts == lease.attempt as i32
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
        b.push_bind(lease.delivery.0).push_bind(outcome.response()).push_bind(message_id);
    });
    q.push(") UPDATE deliveries SET status = 'sent', transport = ")
        .push_bind(transport)
        .push(", last_response = v.v_response, lease_until = NULL, message_id = v.v_message_id, sent_at = ")
        .push_bind(now)
        .push(" FROM v WHERE deliveries.id = v.v_id AND ");
    push_id_in(&mut q, "deliveries.id", &keys);
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

const SCHEDULE_SELECT: &str = "SELECT s.id, s.name, s.cron, s.time_zone, s.cadence, s.enabled, s.created_at, \
     g.name AS segment, (SELECT MAX(r.due_at) FROM schedule_runs r WHERE r.schedule_id = s.id) AS last_run \
     FROM schedules s JOIN segments g ON g.id = s.segment_id";

const EDITION_SELECT: &str = "SELECT e.id, e.kind, e.status, s.name AS schedule, e.due_at, e.created_at, e.finished_at \
     FROM editions e LEFT JOIN schedules s ON s.id = e.schedule_id";

fn schedule_from_row(row: &DbRow) -> StoreResult<StoredSchedule> {
    let cadence: String = row.try_get("cadence")?;
    let name: String = row.try_get("name")?;
    let schedule = Schedule::new(NewSchedule {
        name: name.clone(),
        cron: row.try_get("cron")?,
        time_zone: Some(row.try_get("time_zone")?),
        cadence: cadence.parse().map_err(|e| StoreError::Corrupt(format!("schedules.cadence: {e}")))?,
        segment: row.try_get("segment")?,
    })
    .map_err(|e| StoreError::Corrupt(format!("schedule `{name}`: {e}")))?;
    Ok(StoredSchedule {
        id: ScheduleId(row.try_get("id")?),
        schedule,
        enabled: row.try_get("enabled")?,
        created_at: row.try_get("created_at")?,
        last_run: row.try_get("last_run")?,
    })
}

fn parse_delivery_status(s: &str) -> StoreResult<DeliveryStatus> {
    s.parse().map_err(|e| StoreError::Corrupt(format!("deliveries.status: {e}")))
}

/// A brief (aliased `b`) whose content may go out at `now`.
fn push_live_brief(q: &mut QueryBuilder<Db>, now: DateTime<Utc>) {
    q.push(format!("b.status IN {LIVE_BRIEF_STATUSES} AND (b.expires_at IS NULL OR b.expires_at > "))
        .push_bind(now)
        .push(") AND (b.embargo_at IS NULL OR b.embargo_at <= ")
        .push_bind(now)
        .push(")");
}

/// Sets what `assignments` pushes on the deliveries `ids`, a chunk per statement.
async fn update_deliveries(tx: &mut Tx, ids: &[i64], assignments: impl Fn(&mut QueryBuilder<Db>)) -> StoreResult<()> {
    for chunk in ids.chunks(BATCH) {
        let mut q = QueryBuilder::<Db>::new("UPDATE deliveries SET ");
        assignments(&mut q);
        q.push(" WHERE ");
        push_id_in(&mut q, "id", chunk);
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Appends one history line per delivery.
async fn log_events(tx: &mut Tx, ids: &[i64], status: &str, detail: &str, now: DateTime<Utc>) -> StoreResult<()> {
    for chunk in ids.chunks(BATCH) {
        let mut q = QueryBuilder::<Db>::new("INSERT INTO delivery_events (delivery_id, status, at, detail) ");
        q.push_values(chunk, |mut b, id| {
            b.push_bind(*id).push_bind(status).push_bind(now).push_bind(detail);
        });
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// A schedule's name, cadence and segment filter, with the schedule locked until the transaction
/// ends: two editions of one schedule made at once (a run and a "send now") would otherwise both
/// pick the same briefs.
async fn schedule_target(tx: &mut Tx, schedule: ScheduleId) -> StoreResult<(String, Cadence, SegmentFilter)> {
    let sql = format!(
        "SELECT s.name, s.cadence, g.filter FROM schedules s JOIN segments g ON g.id = s.segment_id WHERE s.id = $1{SCHEDULE_LOCK}"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(schedule.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("schedule {schedule} with its segment") })?;
    let name: String = row.try_get("name")?;
    let cadence: String = row.try_get("cadence")?;
    let cadence: Cadence = cadence.parse().map_err(|e| StoreError::Corrupt(format!("schedules.cadence: {e}")))?;
    let filter: String = row.try_get("filter")?;
    let filter: SegmentFilter =
        serde_json::from_str(&filter).map_err(|e| StoreError::Corrupt(format!("segment filter: {e}")))?;
    Ok((name, cadence, filter))
}

/// The briefs an edition of `schedule` would carry at `now`: live (approved, queued or sent), unexpired, past
/// embargo, meant for `cadence`, not superseded by a newer approved version, and not carried by
/// any earlier edition of this schedule. A brief that went out in a flash edition has reached
/// every subscriber already and is not carried again. Urgent first, then oldest first.
async fn briefs_due(
    conn: &mut <Db as sqlx::Database>::Connection,
    schedule: ScheduleId,
    cadence: Cadence,
    now: DateTime<Utc>,
) -> StoreResult<Vec<EditionBrief>> {
    let mut q = QueryBuilder::<Db>::new("SELECT b.id, b.supersedes_id FROM briefs b WHERE ");
    push_live_brief(&mut q, now);
    q.push(" AND b.cadences LIKE ")
        .push_bind(format!("%;{};%", cadence.as_str()))
        .push(format!(
            " AND NOT EXISTS (SELECT 1 FROM briefs newer WHERE newer.supersedes_id = b.id \
             AND newer.status IN {LIVE_BRIEF_STATUSES}) \
             AND NOT EXISTS (SELECT 1 FROM edition_briefs eb JOIN editions e ON e.id = eb.edition_id \
             WHERE eb.brief_id = b.id AND (e.schedule_id = "
        ))
        .push_bind(schedule.0)
        .push(
            " OR (e.kind = 'flash' AND e.status <> 'cancelled'))) \
             ORDER BY CASE WHEN b.priority = 'urgent' THEN 0 ELSE 1 END, b.id",
        );
    let rows = q.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let supersedes: Option<i64> = row.try_get("supersedes_id")?;
            Ok(EditionBrief { brief: BriefId(row.try_get("id")?), position: i as u32 + 1, is_correction: supersedes.is_some() })
        })
        .collect()
}

/// The live briefs of each edition, in reading order.
async fn live_briefs_of(tx: &mut Tx, editions: &[i64], now: DateTime<Utc>) -> StoreResult<HashMap<i64, Vec<EditionBrief>>> {
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
    push_id_in(&mut q, "eb.edition_id", editions);
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

/// Inserts the edition, its briefs and its deliveries. The recipients are chosen by one
/// `INSERT ... SELECT` inside the database, so a million of them never pass through memory.
async fn insert_edition(tx: &mut Tx, edition: &NewEdition, now: DateTime<Utc>) -> StoreResult<EditionCreated> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO editions (schedule_id, kind, status, due_at, created_at) VALUES ($1, $2, 'sending', $3, $4) RETURNING id",
    )
    .bind(edition.schedule.map(|s| s.0))
    .bind(edition.kind.as_str())
    .bind(edition.due_at)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    if !edition.briefs.is_empty() {
        let mut q = QueryBuilder::<Db>::new("INSERT INTO edition_briefs (edition_id, brief_id, position, is_correction) ");
        q.push_values(&edition.briefs, |mut b, brief| {
            b.push_bind(id).push_bind(brief.brief.0).push_bind(brief.position as i32).push_bind(brief.is_correction);
        });
        q.build().execute(&mut **tx).await?;
    }

    let mut q = QueryBuilder::<Db>::new("INSERT INTO deliveries (edition_id, influencer_id, language, status, attempts, next_attempt_at) SELECT ");
    q.push_bind(id).push(", id, language, 'queued', 0, ").push_bind(now).push(" FROM influencers WHERE 1 = 1");
    match &edition.recipients {
        Recipients::Segment(filter) => push_segment_filter(&mut q, filter),
        Recipients::Subscribers { segment, cadence } => {
            push_segment_filter(&mut q, segment);
            q.push(" AND cadence = ").push_bind(cadence.as_str());
        }
        Recipients::ReceivedBrief(old) => {
            push_segment_filter(&mut q, &SegmentFilter::default());
            // Sent, or uncertain (it may have arrived): either way the reader may hold the old text.
            q.push(
                " AND EXISTS (SELECT 1 FROM deliveries had JOIN edition_briefs eb ON eb.edition_id = had.edition_id \
                 WHERE had.influencer_id = influencers.id AND had.status IN ('sent', 'uncertain') AND eb.brief_id = ",
            )
            .push_bind(old.0)
            .push(")");
        }
        Recipients::AllNotYetCarrying => {
            push_segment_filter(&mut q, &SegmentFilter::default());
            if !edition.briefs.is_empty() {
                // A delivery that was cancelled or expired never reached the person, so it does
                // not count as having had the brief.
                q.push(
                    " AND NOT EXISTS (SELECT 1 FROM deliveries had JOIN edition_briefs eb ON eb.edition_id = had.edition_id \
                     WHERE had.influencer_id = influencers.id AND had.status NOT IN ('cancelled', 'expired') AND ",
                );
                push_id_in(&mut q, "eb.brief_id", &edition.briefs.iter().map(|b| b.brief.0).collect::<Vec<_>>());
                q.push(")");
            }
        }
    }
    let recipients = q.build().execute(&mut **tx).await?.rows_affected();
    refresh_statistics(tx).await?;
    Ok(EditionCreated { edition: EditionId(id), recipients })
}

/// Approved briefs an edition carries are queued from now on (the lifecycle's approved → queued).
async fn queue_briefs(tx: &mut Tx, actor: &Actor, edition: &NewEdition, now: DateTime<Utc>) -> StoreResult<()> {
    if edition.briefs.is_empty() {
        return Ok(());
    }
    let mut q = QueryBuilder::<Db>::new("UPDATE briefs SET status = 'queued', updated_at = ");
    q.push_bind(now).push(" WHERE status = 'approved' AND ");
    push_id_in(&mut q, "id", &edition.briefs.iter().map(|b| b.brief.0).collect::<Vec<_>>());
    q.push(" RETURNING id");
    let queued: Vec<i64> = q.build_query_scalar().fetch_all(&mut **tx).await?;
    for id in queued {
        let detail = json!({ "from": "approved", "to": "queued" });
        audit(tx, actor, "brief.queued", &format!("brief:{id}"), detail, now).await?;
    }
    Ok(())
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
    push_id_in(&mut q, "d.id", sent);
    q.push(") RETURNING id, status");
    let rows = q.build().fetch_all(&mut **tx).await?;
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let detail = json!({ "to": "sent", "first_delivery_of": sent.first() });
        audit(tx, &Actor("dispatcher".into()), "brief.sent", &format!("brief:{id}"), detail, now).await?;
    }
    Ok(())
}

async fn audit_edition(
    tx: &mut Tx,
    actor: &Actor,
    edition: &NewEdition,
    created: &EditionCreated,
    schedule: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    queue_briefs(tx, actor, edition, now).await?;
    let detail = json!({
        "kind": edition.kind,
        "schedule": schedule,
        "due_at": edition.due_at,
        "briefs": edition.briefs.iter().map(|b| b.brief).collect::<Vec<_>>(),
        "recipients": created.recipients,
    });
    audit(tx, actor, "edition.create", &format!("edition:{}", created.edition), detail, now).await
}

impl ThisStore {
    async fn summarise_editions(&self, rows: &[DbRow]) -> StoreResult<Vec<EditionSummary>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?;
        let mut briefs: HashMap<i64, Vec<EditionBrief>> = HashMap::new();
        let mut counts: HashMap<i64, u64> = HashMap::new();
        if !ids.is_empty() {
            let mut q = QueryBuilder::<Db>::new(
                "SELECT edition_id, brief_id, position, is_correction FROM edition_briefs WHERE ",
            );
            push_id_in(&mut q, "edition_id", &ids);
            q.push(" ORDER BY edition_id, position");
            for row in q.build().fetch_all(&self.pool).await? {
                let position: i32 = row.try_get("position")?;
                briefs.entry(row.try_get("edition_id")?).or_default().push(EditionBrief {
                    brief: BriefId(row.try_get("brief_id")?),
                    position: position.max(0) as u32,
                    is_correction: row.try_get("is_correction")?,
                });
            }
            let mut q = QueryBuilder::<Db>::new("SELECT edition_id, COUNT(*) AS n FROM deliveries WHERE ");
            push_id_in(&mut q, "edition_id", &ids);
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
                Ok(EditionSummary {
                    id: EditionId(id),
                    kind: kind.parse().map_err(|e| StoreError::Corrupt(format!("editions.kind: {e}")))?,
                    status: status.parse().map_err(|e| StoreError::Corrupt(format!("editions.status: {e}")))?,
                    schedule: row.try_get("schedule")?,
                    due_at: row.try_get("due_at")?,
                    created_at: row.try_get("created_at")?,
                    finished_at: row.try_get("finished_at")?,
                    briefs: briefs.remove(&id).unwrap_or_default(),
                    deliveries: counts.get(&id).copied().unwrap_or(0),
                })
            })
            .collect()
    }
}
