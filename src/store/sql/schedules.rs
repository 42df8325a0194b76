//! Schedules and their runs: what is due, and exactly one edition per run.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{QueryBuilder, Row};

use super::common::{DbRow, Tx, audit};
use super::new_edition::{LIVE_BRIEF_STATUSES, audit_edition, insert_edition, push_live_brief};
use super::{D, Db, ThisStore};
use crate::access::Actor;
use crate::audience::SegmentFilter;
use crate::cadence::Cadence;
use crate::edition::{BriefId, EditionBrief, EditionCreated, EditionKind, NewEdition, Recipients, ScheduleId};
use crate::schedule::{Fired, NewSchedule, RunOutcome, Schedule, StoredSchedule};
use crate::store::dialect::Dialect;
use crate::store::{ScheduleStore, StoreError, StoreResult};

#[async_trait]
impl ScheduleStore for ThisStore {
    async fn add_schedule(
        &self,
        schedule: &Schedule,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<StoredSchedule> {
        let mut tx = D::begin_write(&self.pool).await?;
        let segment_id: Option<i64> = sqlx::query_scalar("SELECT id FROM segments WHERE name = $1")
            .bind(schedule.segment())
            .fetch_optional(&mut *tx)
            .await?;
        let Some(segment_id) = segment_id else {
            return Err(StoreError::NotFound {
                what: format!("segment `{}`", schedule.segment()),
            });
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
        audit(
            &mut tx,
            actor,
            "schedule.add",
            &format!("schedule:{}", schedule.name()),
            json!(schedule),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(StoredSchedule {
            id: ScheduleId(id),
            schedule: schedule.clone(),
            enabled: true,
            created_at: now,
            last_run: None,
        })
    }

    async fn schedules(&self) -> StoreResult<Vec<StoredSchedule>> {
        let sql = format!("{SCHEDULE_SELECT} ORDER BY s.name");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
        rows.iter().map(schedule_from_row).collect()
    }

    async fn schedule(&self, name: &str) -> StoreResult<Option<StoredSchedule>> {
        let sql = format!("{SCHEDULE_SELECT} WHERE s.name = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(schedule_from_row).transpose()
    }

    async fn briefs_due_for(
        &self,
        schedule: ScheduleId,
        cadence: Cadence,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<BriefId>> {
        let mut conn = self.pool.acquire().await?;
        Ok(briefs_due(&mut conn, schedule, cadence, now)
            .await?
            .into_iter()
            .map(|b| b.brief)
            .collect())
    }

    async fn record_run(
        &self,
        schedule: ScheduleId,
        due_at: DateTime<Utc>,
        outcome: RunOutcome,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
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
        let mut tx = D::begin_write(&self.pool).await?;
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
            recipients: Recipients::Subscribers {
                segment: filter,
                cadence,
            },
        };
        let created = insert_edition(&mut tx, &edition, now).await?;
        sqlx::query(
            "UPDATE schedule_runs SET outcome = 'fired', edition_id = $1 WHERE schedule_id = $2 AND due_at = $3",
        )
        .bind(created.edition.0)
        .bind(schedule.0)
        .bind(due_at)
        .execute(&mut *tx)
        .await?;
        audit_edition(&mut tx, &scheduler_actor(), &edition, &created, Some(&name), now).await?;
        tx.commit().await?;
        Ok(Fired::Edition {
            edition: created.edition,
            briefs: edition.briefs.len(),
            recipients: created.recipients,
        })
    }

    async fn send_now(
        &self,
        schedule: ScheduleId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<EditionCreated>> {
        let mut tx = D::begin_write(&self.pool).await?;
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
            recipients: Recipients::Subscribers {
                segment: filter,
                cadence,
            },
        };
        let created = insert_edition(&mut tx, &edition, now).await?;
        audit_edition(&mut tx, actor, &edition, &created, Some(&name), now).await?;
        tx.commit().await?;
        Ok(Some(created))
    }
}

fn scheduler_actor() -> Actor {
    Actor("scheduler".into())
}

const SCHEDULE_SELECT: &str = "SELECT s.id, s.name, s.cron, s.time_zone, s.cadence, s.enabled, s.created_at, \
     g.name AS segment, (SELECT MAX(r.due_at) FROM schedule_runs r WHERE r.schedule_id = s.id) AS last_run \
     FROM schedules s JOIN segments g ON g.id = s.segment_id";

fn schedule_from_row(row: &DbRow) -> StoreResult<StoredSchedule> {
    let cadence: String = row.try_get("cadence")?;
    let name: String = row.try_get("name")?;
    let schedule = Schedule::new(NewSchedule {
        name: name.clone(),
        cron: row.try_get("cron")?,
        time_zone: Some(row.try_get("time_zone")?),
        cadence: cadence
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("schedules.cadence: {e}")))?,
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

/// A schedule's name, cadence and segment filter, with the schedule locked until the transaction
/// ends: two editions of one schedule made at once (a run and a "send now") would otherwise both
/// pick the same briefs.
async fn schedule_target(tx: &mut Tx, schedule: ScheduleId) -> StoreResult<(String, Cadence, SegmentFilter)> {
    let sql = format!(
        "SELECT s.name, s.cadence, g.filter FROM schedules s JOIN segments g ON g.id = s.segment_id WHERE s.id = $1{}",
        D::SCHEDULE_LOCK
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(schedule.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: format!("schedule {schedule} with its segment"),
        })?;
    let name: String = row.try_get("name")?;
    let cadence: String = row.try_get("cadence")?;
    let cadence: Cadence = cadence
        .parse()
        .map_err(|e| StoreError::Corrupt(format!("schedules.cadence: {e}")))?;
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
            Ok(EditionBrief {
                brief: BriefId(row.try_get("id")?),
                position: i as u32 + 1,
                is_correction: supersedes.is_some(),
            })
        })
        .collect()
}
