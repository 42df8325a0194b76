//! Editions and their deliveries: what one send of a schedule (or one flash send of an urgent
//! brief) is, which states each delivery passes through, and how far an edition has come.
//!
//! Deliveries are the checkpoint of sending. A worker claims a batch with a lease and commits
//! before it sends; it records the outcome afterwards. A lease that runs out before an outcome is
//! recorded leaves the delivery [`DeliveryStatus::Uncertain`]: the message may or may not have
//! left, so it is shown to ops and sent again only when they say so, never silently.
//!
//! Two statuses mean "deliberately not sent": [`DeliveryStatus::Cancelled`] (ops cancelled the
//! edition) and [`DeliveryStatus::Expired`] (every brief it carried expired or was withdrawn
//! before its turn came, so there was nothing left that was still true to send).

mod delivery;
mod guard;
mod new;
mod status;

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

pub use guard::{EditionHealth, PauseReason, SenderGuard, is_policy_refusal};
pub use status::{DeliveryStatus, EditionStatus, UnknownStatus};

/// How long a claim holds a delivery. It must outlast the slowest honest send of one batch
/// (lettre's SMTP commands time out after a minute, and a batch is sent over a pooled connection),
/// yet a crashed worker's deliveries should reach ops as uncertain within minutes, not hours.
pub const DEFAULT_LEASE: TimeDelta = TimeDelta::minutes(5);

pub use crate::ids::{BriefId, DeliveryId, EditionId, ScheduleId};
pub use delivery::{ClaimedDelivery, DeliveryEvent, DeliveryRecord, Lease, Recorded, ResendTarget};
pub use new::{EditionBrief, EditionCreated, EditionSummary, NewEdition, Recipients};

/// Why an edition exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditionKind {
    /// A schedule fired.
    Scheduled,
    /// One urgent brief, at once, to every subscriber who has not had it.
    Flash,
    /// A coordinator sent a schedule's edition by hand (`edition send SCHEDULE --now`).
    Manual,
}

impl EditionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EditionKind::Scheduled => "scheduled",
            EditionKind::Flash => "flash",
            EditionKind::Manual => "manual",
        }
    }
}

impl FromStr for EditionKind {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "scheduled" => Ok(EditionKind::Scheduled),
            "flash" => Ok(EditionKind::Flash),
            "manual" => Ok(EditionKind::Manual),
            other => Err(UnknownStatus(other.to_string())),
        }
    }
}

/// What a coordinator or ops can do to a running edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditionAction {
    Pause,
    Resume,
    Cancel,
}

impl EditionAction {
    pub fn as_str(self) -> &'static str {
        match self {
            EditionAction::Pause => "pause",
            EditionAction::Resume => "resume",
            EditionAction::Cancel => "cancel",
        }
    }

    fn past_tense(self) -> &'static str {
        match self {
            EditionAction::Pause => "paused",
            EditionAction::Resume => "resumed",
            EditionAction::Cancel => "cancelled",
        }
    }

    /// The status the edition moves to, or why it cannot from `from`.
    pub fn apply(self, from: EditionStatus) -> Result<EditionStatus, String> {
        let to = match self {
            EditionAction::Pause => EditionStatus::Paused,
            EditionAction::Resume => EditionStatus::Sending,
            EditionAction::Cancel => EditionStatus::Cancelled,
        };
        if from.can_become(to) {
            Ok(to)
        } else {
            Err(format!("an edition that is {from} cannot be {}", self.past_tense()))
        }
    }
}

impl FromStr for EditionAction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pause" => Ok(EditionAction::Pause),
            "resume" => Ok(EditionAction::Resume),
            "cancel" => Ok(EditionAction::Cancel),
            other => Err(format!(
                "`{other}` is not an edition action (use pause, resume or cancel)"
            )),
        }
    }
}

/// How far an edition has come, for `edition show` and the API.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub total: u64,
    pub by_status: BTreeMap<DeliveryStatus, u64>,
    /// Deliveries recorded as sent in the minute before the progress was read.
    pub sent_last_minute: u64,
    /// The latest problems (deferred, failed, bounced, uncertain), newest first.
    pub last_errors: Vec<ProgressError>,
}

impl Progress {
    /// The progress for someone who may not read the roster: addresses in errors masked.
    pub fn without_personal_data(mut self) -> Self {
        for error in &mut self.last_errors {
            error.detail = crate::audience::mask_addresses(&error.detail);
        }
        self
    }

    pub fn count(&self, status: DeliveryStatus) -> u64 {
        self.by_status.get(&status).copied().unwrap_or(0)
    }

    /// Deliveries that will still be attempted without anyone's say-so.
    pub fn pending(&self) -> u64 {
        DeliveryStatus::ALL
            .iter()
            .filter(|s| s.is_pending())
            .map(|s| self.count(*s))
            .sum()
    }

    /// Messages per second over the last minute.
    pub fn rate_per_second(&self) -> f64 {
        self.sent_last_minute as f64 / 60.0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressError {
    pub delivery: DeliveryId,
    pub status: DeliveryStatus,
    pub at: DateTime<Utc>,
    pub detail: String,
}

/// What a worker learned from one send attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The transport accepted the message.
    Sent { message_id: String, response: String },
    /// A temporary failure: try again at `next_attempt_at`.
    Deferred {
        next_attempt_at: DateTime<Utc>,
        response: String,
    },
    /// A permanent failure for this message; the address stays usable.
    Failed { response: String },
    /// The recipient's server refused the address for good: it is suppressed from now on.
    Bounced { response: String },
    /// The address must not be mailed (unknown recipient, complaint...): it is suppressed.
    Suppressed { reason: String },
    /// The connection died after the whole message was handed over and before the server
    /// answered (RFC 1047): it may have been delivered, so only ops may send it again.
    Uncertain { response: String },
    /// Nothing was sent on purpose: every brief of the edition is held from the reader's
    /// language by the missing-language policy.
    Held { response: String },
}

impl Outcome {
    pub fn status(&self) -> DeliveryStatus {
        match self {
            Outcome::Sent { .. } => DeliveryStatus::Sent,
            Outcome::Deferred { .. } => DeliveryStatus::Deferred,
            Outcome::Failed { .. } => DeliveryStatus::Failed,
            Outcome::Bounced { .. } => DeliveryStatus::Bounced,
            Outcome::Suppressed { .. } => DeliveryStatus::Suppressed,
            Outcome::Uncertain { .. } => DeliveryStatus::Uncertain,
            Outcome::Held { .. } => DeliveryStatus::Cancelled,
        }
    }

    /// The transport's words, kept on the delivery and in its history.
    pub fn response(&self) -> &str {
        match self {
            Outcome::Sent { response, .. }
            | Outcome::Deferred { response, .. }
            | Outcome::Failed { response }
            | Outcome::Bounced { response }
            | Outcome::Uncertain { response }
            | Outcome::Held { response } => response,
            Outcome::Suppressed { reason } => reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_from_what_people_type() {
        assert_eq!("#12".parse::<EditionId>(), Ok(EditionId(12)));
        assert_eq!(" 7 ".parse::<DeliveryId>(), Ok(DeliveryId(7)));
        assert!("0".parse::<EditionId>().is_err());
        assert!("abc".parse::<EditionId>().unwrap_err().contains("an edition id"));
    }

    #[test]
    fn edition_actions_follow_the_status_rules() {
        use EditionStatus::*;
        assert_eq!(EditionAction::Pause.apply(Sending), Ok(Paused));
        assert_eq!(EditionAction::Resume.apply(Paused), Ok(Sending));
        assert_eq!(EditionAction::Cancel.apply(Paused), Ok(Cancelled));
        assert_eq!(
            EditionAction::Resume.apply(Cancelled).unwrap_err(),
            "an edition that is cancelled cannot be resumed"
        );
        assert_eq!(
            EditionAction::Pause.apply(Done).unwrap_err(),
            "an edition that is done cannot be paused"
        );
        assert!(EditionAction::Cancel.apply(Cancelled).is_err());
    }
}
