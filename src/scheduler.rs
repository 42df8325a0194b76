//! The scheduler: fires due schedules into editions, records what it missed, and keeps the
//! delivery queue honest (leases that ran out become uncertain, finished editions are closed).
//!
//! Every run is recorded under the key (schedule, due time) in the same transaction that
//! creates its edition, so a run fires at most once however many daemons tick. Leadership (a
//! PostgreSQL advisory lock; on SQLite the one process) only keeps the other daemons from doing
//! the same work for nothing: it is an economy, not what makes a run fire once.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::clock::Clock;
use crate::edition::ScheduleId;
use crate::metrics::Metrics;
use crate::schedule::{self, Decision, Grace, Tracked};
use crate::schedule::{Fired, RunOutcome, StoredSchedule};
use crate::store::{Lead, Leadership, Store};

/// The longest the loop waits between ticks, even when no run is due sooner: a schedule added
/// through the API or another daemon is picked up within this, and so are expired leases.
pub const POLL: Duration = Duration::from_secs(15);

/// What one tick did, per run it recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TickReport {
    pub runs: Vec<RunReport>,
    /// When the next run of any schedule is due.
    pub next_wake: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunReport {
    pub schedule: String,
    pub due_at: DateTime<Utc>,
    pub result: RunResult,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunResult {
    Fired(Fired),
    /// Recorded as missed (`false`: another daemon recorded the run first).
    Missed(bool),
    /// Not recorded: the store failed. The run stays due and the next tick tries again.
    Failed(String),
}

impl TickReport {
    /// The runs that this tick turned into editions.
    pub fn editions(&self) -> usize {
        self.runs
            .iter()
            .filter(|r| matches!(r.result, RunResult::Fired(Fired::Edition { .. })))
            .count()
    }
}

/// One tick at `now`: every enabled schedule's due runs are recorded, the latest within `grace`
/// fired into an edition (or recorded empty), the older ones recorded as missed.
pub async fn run_once(store: &dyn Store, now: DateTime<Utc>, grace: Grace) -> anyhow::Result<TickReport> {
    let schedules: Vec<StoredSchedule> = store
        .schedules()
        .await
        .context("loading schedules")?
        .into_iter()
        .filter(|s| s.enabled)
        .collect();
    let tracked: Vec<Tracked<'_, ScheduleId>> = schedules
        .iter()
        .map(|s| Tracked {
            key: s.id,
            schedule: &s.schedule,
            created_at: s.created_at,
            last_run: s.last_run,
        })
        .collect();
    let name_of = |id: ScheduleId| {
        schedules
            .iter()
            .find(|s| s.id == id)
            .map_or_else(String::new, |s| s.schedule.name().to_string())
    };
    let mut runs = Vec::new();
    // A schedule whose run could not be recorded is left alone for the rest of this tick (its
    // later runs must not be recorded past the one that failed), but the others go on: one
    // broken segment must not silence every schedule.
    let mut failed: Vec<ScheduleId> = Vec::new();
    for decision in schedule::tick(&tracked, now, grace) {
        let (id, due_at) = (*decision.schedule(), decision.due_at());
        if failed.contains(&id) {
            continue;
        }
        let result = match decision {
            Decision::Missed { .. } => store
                .record_run(id, due_at, RunOutcome::Missed, now)
                .await
                .map(|took| {
                    if took {
                        tracing::warn!(schedule = name_of(id), %due_at, "run missed: it was due longer ago than the grace window");
                    }
                    RunResult::Missed(took)
                }),
            Decision::Fire { .. } => store.fire_run(id, due_at, now).await.map(|fired| {
                match &fired {
                    Fired::Edition {
                        edition,
                        briefs,
                        recipients,
                    } => tracing::info!(schedule = name_of(id), %due_at, %edition, briefs, recipients, "edition created"),
                    Fired::Empty => tracing::info!(schedule = name_of(id), %due_at, "no brief due: empty run recorded"),
                    Fired::AlreadyRecorded => {}
                }
                RunResult::Fired(fired)
            }),
        };
        let result = result.unwrap_or_else(|error| {
            tracing::error!(schedule = name_of(id), %due_at, %error, "run not recorded; retried on the next tick");
            failed.push(id);
            RunResult::Failed(error.to_string())
        });
        runs.push(RunReport {
            schedule: name_of(id),
            due_at,
            result,
        });
    }
    Ok(TickReport {
        runs,
        next_wake: schedule::next_wake(&tracked, now),
    })
}

/// The queue's upkeep, done by the leader: leases that ran out become uncertain, and editions
/// with nothing left to attempt are closed.
pub async fn keep_queue(store: &dyn Store, now: DateTime<Utc>) -> anyhow::Result<()> {
    let uncertain = store.expire_leases(now).await.context("expiring leases")?;
    if uncertain > 0 {
        tracing::warn!(
            uncertain,
            "leases ran out before an outcome was recorded: those deliveries wait for ops"
        );
    }
    for edition in store.settle_editions(now).await.context("closing finished editions")? {
        tracing::info!(%edition, "edition done");
    }
    Ok(())
}

/// Publishes the deliveries per status and the queue depth.
pub async fn refresh_metrics(store: &dyn Store, metrics: &Metrics) -> anyhow::Result<()> {
    let counts = store.delivery_counts().await.context("counting deliveries")?;
    metrics.set_delivery_counts(&counts);
    let depth: u64 = counts.iter().filter(|(s, _)| s.is_claimable()).map(|(_, n)| n).sum();
    metrics.delivery_queue_depth.set(depth as i64);
    Ok(())
}

/// Runs until `shutdown` is cancelled. Each pass tries to lead; the leader ticks and keeps the
/// queue; every daemon refreshes its metrics. A failing database is logged and retried on the
/// next pass rather than stopping the daemon.
pub async fn run_until_stopped(
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    grace: Grace,
    metrics: Arc<Metrics>,
    daemon: String,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let mut leadership: Option<Leadership> = None;
    while !shutdown.is_cancelled() {
        let now = clock.now();
        let mut wake = now + chrono::TimeDelta::from_std(POLL).expect("POLL fits a TimeDelta");
        if let Some(held) = leadership.as_mut()
            && !held.still_leads().await
        {
            tracing::warn!("scheduler leadership lost: stepping down");
            leadership = None;
        }
        if leadership.is_none() {
            match store.try_lead(Lead::Scheduler).await {
                Ok(Some(held)) => {
                    tracing::info!(?held, "this daemon now runs the scheduler");
                    leadership = Some(held);
                }
                Ok(None) => tracing::debug!("another daemon runs the scheduler"),
                Err(error) => tracing::warn!(%error, "could not try to lead the scheduler"),
            }
        }
        if leadership.is_some() {
            if let Err(error) = store.note_leader(&daemon, now).await {
                tracing::warn!(%error, "could not record this daemon as the scheduler's leader");
            }
            match run_once(store.as_ref(), now, grace).await {
                Ok(report) => {
                    if let Some(next) = report.next_wake {
                        wake = wake.min(next);
                    }
                }
                Err(error) => tracing::error!(error = format!("{error:#}"), "scheduler tick failed"),
            }
            if let Err(error) = keep_queue(store.as_ref(), clock.now()).await {
                tracing::error!(error = format!("{error:#}"), "queue upkeep failed");
            }
        }
        if let Err(error) = refresh_metrics(store.as_ref(), &metrics).await {
            tracing::warn!(error = format!("{error:#}"), "delivery metrics not refreshed");
        }
        let pause = (wake - clock.now()).to_std().unwrap_or(Duration::ZERO);
        tokio::select! {
            () = shutdown.cancelled() => break,
            () = tokio::time::sleep(pause) => {}
        }
    }
    drop(leadership);
    tracing::info!("scheduler stopped");
    Ok(())
}
