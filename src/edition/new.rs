//! An edition to be made, and the edition as listed.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{EditionKind, EditionStatus, PauseReason};
use crate::audience::SegmentFilter;
use crate::cadence::Cadence;
use crate::ids::{BriefId, EditionId, ScheduleId};

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
    /// Why the edition paused itself to protect the sender, until someone resumes it.
    pub paused_reason: Option<PauseReason>,
}
