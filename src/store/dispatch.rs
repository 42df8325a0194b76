//! The store's side of sending: schedules and their runs, editions, deliveries with leases, the
//! delivery log, and the scheduler's leadership.

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::StoreResult;
use crate::access::Actor;
use crate::audience::SegmentFilter;
use crate::edition::{
    BriefId, DeliveryId, DeliveryStatus, EditionAction, EditionId, EditionKind, EditionStatus, Outcome, Progress,
    ScheduleId,
};
use crate::language::{Cadence, Language};
use crate::schedule::Schedule;

/// A schedule as stored, with what the scheduler needs to decide what is due.
#[derive(Debug, Clone, Serialize)]
pub struct StoredSchedule {
    pub id: ScheduleId,
    #[serde(flatten)]
    pub schedule: Schedule,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    /// The latest recorded run, whatever its outcome.
    pub last_run: Option<DateTime<Utc>>,
}

/// A coming run, as listings show it: in UTC and on the schedule's own clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpcomingRun {
    pub utc: DateTime<Utc>,
    /// RFC 3339 with the zone's offset at that instant, e.g. `2026-11-23T09:00:00+02:00`.
    pub local: String,
    /// The cron time did not exist that day (clocks sprang forward) and the run moved.
    pub moved_by_dst: bool,
}

impl StoredSchedule {
    pub fn upcoming(&self, now: DateTime<Utc>, n: usize) -> Vec<UpcomingRun> {
        self.schedule
            .next_runs(now, n)
            .into_iter()
            .map(|run| UpcomingRun {
                utc: run.due_at,
                local: run.local.to_rfc3339(),
                moved_by_dst: run.moved_by_dst(),
            })
            .collect()
    }
}

/// What happened to one due run of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunOutcome {
    Fired,
    /// Nothing was due to carry: no edition.
    Empty,
    /// Too late to send when the scheduler got to it.
    Missed,
}

impl RunOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            RunOutcome::Fired => "fired",
            RunOutcome::Empty => "empty",
            RunOutcome::Missed => "missed",
        }
    }
}

/// The result of firing one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Fired {
    /// This call recorded the run and created its edition.
    Edition {
        edition: EditionId,
        briefs: usize,
        recipients: u64,
    },
    /// This call recorded the run; no brief was due, so there is no edition.
    Empty,
    /// Someone (another daemon, an earlier tick) had already recorded this run: nothing done.
    AlreadyRecorded,
}

/// One brief in an edition, in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditionBrief {
    pub brief: BriefId,
    pub position: u32,
    /// Whether it corrects something an earlier edition said.
    pub is_correction: bool,
}

/// Who an edition goes to. Suppressed and erased addresses are never recipients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipients {
    /// The members of a segment.
    Segment(SegmentFilter),
    /// The members of a segment who subscribed at this cadence: what a schedule sends to. A
    /// reader who chose a monthly letter does not get the daily one because a segment matched.
    Subscribers { segment: SegmentFilter, cadence: Cadence },
    /// Every subscriber of any cadence who has not yet had (or been queued) a delivery of an
    /// edition carrying any of the edition's briefs: the flash rule, at most once per brief.
    AllNotYetCarrying,
    /// Everyone whose delivery of a brief was sent: a correction reaches exactly the readers who
    /// may hold what it corrects.
    ReceivedBrief(BriefId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEdition {
    pub kind: EditionKind,
    pub schedule: Option<ScheduleId>,
    pub due_at: DateTime<Utc>,
    pub briefs: Vec<EditionBrief>,
    pub recipients: Recipients,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EditionCreated {
    pub edition: EditionId,
    pub recipients: u64,
}

/// One delivery a worker now holds under a lease, with what it needs to compose the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimedDelivery {
    pub lease: Lease,
    pub edition: EditionId,
    pub influencer_id: i64,
    pub email: String,
    pub name: String,
    pub language: Language,
    pub lease_until: DateTime<Utc>,
    /// The edition's briefs that are still live (approved, unexpired, past embargo), in order.
    pub briefs: Vec<EditionBrief>,
}

/// Proof of a claim. The attempt number fences late reports: an outcome counts only for the
/// attempt that was claimed, so a worker that lost its lease cannot overwrite a later attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lease {
    pub delivery: DeliveryId,
    pub worker: String,
    pub attempt: u32,
}

/// What `record_outcome` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Recorded {
    Recorded {
        status: DeliveryStatus,
    },
    /// The lease is no longer this attempt's: the delivery was resent, claimed by someone else,
    /// or settled. Nothing was changed; `status` is where it stands now.
    LeaseLost {
        status: DeliveryStatus,
    },
}

/// What ops asked to send again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResendTarget {
    Deliveries(Vec<DeliveryId>),
    Edition { edition: EditionId, status: DeliveryStatus },
}

#[derive(Debug, Clone, Default)]
pub struct DeliveryQuery {
    pub edition: Option<EditionId>,
    pub status: Option<DeliveryStatus>,
    pub limit: u64,
    pub offset: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryEvent {
    pub status: String,
    pub at: DateTime<Utc>,
    pub detail: String,
}

/// One line of the delivery log with its history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryRecord {
    pub id: DeliveryId,
    pub edition: EditionId,
    /// None once the person was erased.
    pub email: Option<String>,
    pub language: String,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub transport: Option<String>,
    pub message_id: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_response: Option<String>,
    /// Oldest first; the first entry is the queueing, at the edition's creation.
    pub events: Vec<DeliveryEvent>,
}

impl DeliveryRecord {
    /// The record for someone who may not read the roster: the address masked, and masked too
    /// wherever a mail server's answer repeats it.
    pub fn without_personal_data(mut self) -> Self {
        use crate::audience::{mask, mask_addresses};
        self.email = self.email.as_deref().map(mask);
        self.last_response = self.last_response.as_deref().map(mask_addresses);
        for event in &mut self.events {
            event.detail = mask_addresses(&event.detail);
        }
        self
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditionSummary {
    pub id: EditionId,
    pub kind: EditionKind,
    pub status: EditionStatus,
    pub schedule: Option<String>,
    pub due_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub briefs: Vec<EditionBrief>,
    pub deliveries: u64,
}

/// Leadership of the scheduler. Dropping it gives leadership up.
pub struct Leadership {
    pub(super) inner: LeaderHold,
}

pub(super) enum LeaderHold {
    /// SQLite: one process owns the file, so it leads.
    Sole,
    /// PostgreSQL: a session-level advisory lock, held as long as this connection lives.
    Advisory(sqlx::PgConnection),
}

impl Leadership {
    /// Whether leadership still holds. On PostgreSQL a dropped connection loses the lock, so this
    /// asks the server; a false answer means step down and try to lead again later.
    pub async fn still_leads(&mut self) -> bool {
        match &mut self.inner {
            LeaderHold::Sole => true,
            LeaderHold::Advisory(conn) => sqlx::query("SELECT 1").execute(&mut *conn).await.is_ok(),
        }
    }
}

impl std::fmt::Debug for Leadership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.inner {
            LeaderHold::Sole => "Leadership(sole)",
            LeaderHold::Advisory(_) => "Leadership(advisory lock)",
        })
    }
}

#[async_trait]
pub trait DispatchStore: Send + Sync {
    /// Saves a schedule for an existing segment, with its audit entry.
    async fn add_schedule(&self, schedule: &Schedule, actor: &Actor, now: DateTime<Utc>)
    -> StoreResult<StoredSchedule>;
    async fn schedules(&self) -> StoreResult<Vec<StoredSchedule>>;
    async fn schedule(&self, name: &str) -> StoreResult<Option<StoredSchedule>>;

    /// Approved or queued, unexpired, past-embargo briefs for `cadence` that no edition of this
    /// schedule has carried yet and no flash edition has sent to everyone; urgent first, then
    /// oldest first.
    async fn briefs_due_for(
        &self,
        schedule: ScheduleId,
        cadence: Cadence,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<BriefId>>;

    /// Records a run that produced no edition. False when the run was already recorded.
    async fn record_run(
        &self,
        schedule: ScheduleId,
        due_at: DateTime<Utc>,
        outcome: RunOutcome,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Records the run and, in the same transaction, creates its edition from the briefs due, for
    /// the schedule's segment members subscribed at its cadence (or records the run as empty). However many daemons call this for one
    /// run, exactly one edition results.
    async fn fire_run(&self, schedule: ScheduleId, due_at: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<Fired>;

    /// A schedule's edition sent now, by hand: the briefs it has not carried yet, to its
    /// segment's readers of its cadence, chosen and queued in one transaction. None when no
    /// brief is due.
    async fn send_now(
        &self,
        schedule: ScheduleId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<EditionCreated>>;

    /// Creates an edition, its briefs and one queued delivery per recipient in one transaction,
    /// without loading the recipients into memory. Each delivery is in its influencer's language.
    async fn create_edition(
        &self,
        edition: &NewEdition,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<EditionCreated>;

    /// A flash edition of one urgent brief: at once, to every subscriber who has not had it.
    /// Refused (conflict) unless the brief is urgent, approved, past its embargo and unexpired.
    async fn create_flash(&self, brief: BriefId, actor: &Actor, now: DateTime<Utc>) -> StoreResult<EditionCreated>;

    /// Claims up to `batch` due deliveries of sending editions for `worker` until `now + lease`,
    /// and commits before returning: the caller sends after this, outside any transaction.
    /// Due deliveries to suppressed or erased addresses become `suppressed`, and those whose
    /// briefs have all expired or been withdrawn become `expired`, instead of being claimed.
    async fn claim_due(
        &self,
        worker: &str,
        batch: u32,
        lease: TimeDelta,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ClaimedDelivery>>;

    /// Records what a send did, only while `lease` is still this attempt's. A bounce, or a
    /// refusal that suppresses, also suppresses the address (reason `bounced`) in the same
    /// transaction.
    async fn record_outcome(
        &self,
        lease: &Lease,
        transport: &str,
        outcome: &Outcome,
        now: DateTime<Utc>,
    ) -> StoreResult<Recorded>;

    /// Records a batch of one transport's outcomes in one transaction, each as `record_outcome`
    /// would: one commit per batch instead of one per message is what lets the log keep pace
    /// with the transport.
    async fn record_outcomes(
        &self,
        transport: &str,
        reports: &[(&Lease, &Outcome)],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Recorded>>;

    /// Deliveries still `sending` after their lease ran out become `uncertain`: they may have
    /// been sent, so they wait for ops. Returns how many.
    async fn expire_leases(&self, now: DateTime<Utc>) -> StoreResult<u64>;

    /// Records that `worker`'s daemon is alive at `now`.
    async fn beat(&self, worker: &str, now: DateTime<Utc>) -> StoreResult<()>;

    /// A daemon that stops takes its heartbeat with it.
    async fn stop_beating(&self, worker: &str) -> StoreResult<()>;

    /// Deliveries still `sending` that were claimed before `silent_since` by a daemon not heard
    /// from since then become `uncertain`: that daemon crashed or lost the database, so an
    /// outcome will not be recorded. Returns how many.
    async fn expire_silent_claims(&self, silent_since: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<u64>;

    /// Every delivery `worker` still holds becomes `uncertain`: for a daemon whose own lane
    /// died in the middle of a batch, once nothing of it is in flight any more.
    async fn abandon_claims(&self, worker: &str, now: DateTime<Utc>) -> StoreResult<u64>;

    /// Requeues uncertain or failed deliveries on ops' request, audited. Returns how many.
    async fn resend(&self, target: &ResendTarget, actor: &Actor, now: DateTime<Utc>) -> StoreResult<u64>;

    /// Sending editions with nothing left to attempt become `done`.
    async fn settle_editions(&self, now: DateTime<Utc>) -> StoreResult<Vec<EditionId>>;

    async fn editions(&self, limit: u64, offset: u64) -> StoreResult<Vec<EditionSummary>>;
    async fn edition(&self, id: EditionId) -> StoreResult<Option<EditionSummary>>;
    async fn edition_progress(&self, id: EditionId, now: DateTime<Utc>) -> StoreResult<Option<Progress>>;
    /// Pauses, resumes or cancels an edition, audited; cancelling turns its queued and deferred
    /// deliveries into `cancelled`. A move the edition's status does not allow is a conflict.
    async fn change_edition(
        &self,
        id: EditionId,
        action: EditionAction,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<EditionStatus>;

    async fn deliveries(&self, query: &DeliveryQuery) -> StoreResult<Vec<DeliveryRecord>>;
    /// Seconds from claim to "sent" recorded for each sent delivery of an edition, for the
    /// dispatch bench's percentiles. Streamed, so a million rows cost only their numbers.
    async fn send_latencies(&self, edition: EditionId) -> StoreResult<Vec<f64>>;
    /// Deliveries per status over all editions, for metrics.
    async fn delivery_counts(&self) -> StoreResult<Vec<(DeliveryStatus, u64)>>;

    /// Tries to become the one daemon that runs the scheduler. None: another daemon leads.
    async fn try_lead(&self) -> StoreResult<Option<Leadership>>;
}
