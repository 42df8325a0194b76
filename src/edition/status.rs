//! The states of editions and deliveries, and which moves between them are allowed. Every store
//! update is guarded by the status it moves from (`WHERE status IN (...)`), following these
//! tables (the resend, outcome and edition guards are built from them), so a move the domain
//! forbids is also one the database never makes, even when two daemons race.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("status `{0}` is not known")]
pub struct UnknownStatus(pub String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditionStatus {
    /// Its deliveries are being claimed and sent.
    Sending,
    /// Nothing more is claimed until it is resumed; sends in flight finish.
    Paused,
    /// Its unsent deliveries were cancelled.
    Cancelled,
    /// Nothing is left to attempt (uncertain deliveries may still be resent, which reopens it).
    Done,
}

impl EditionStatus {
    pub const ALL: [EditionStatus; 4] = [
        EditionStatus::Sending,
        EditionStatus::Paused,
        EditionStatus::Cancelled,
        EditionStatus::Done,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EditionStatus::Sending => "sending",
            EditionStatus::Paused => "paused",
            EditionStatus::Cancelled => "cancelled",
            EditionStatus::Done => "done",
        }
    }

    pub fn can_become(self, to: EditionStatus) -> bool {
        use EditionStatus::*;
        matches!(
            (self, to),
            (Sending, Paused) | (Paused, Sending) | (Sending | Paused, Cancelled) | (Sending, Done) | (Done, Sending)
        )
    }

    /// Every status that may move to `to`.
    pub fn sources_of(to: EditionStatus) -> Vec<EditionStatus> {
        Self::ALL.into_iter().filter(|from| from.can_become(to)).collect()
    }
}

impl fmt::Display for EditionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EditionStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

/// Where one message to one influencer in one edition stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// Waiting for a worker.
    Queued,
    /// Claimed by a worker under a lease; the send may be under way.
    Sending,
    /// The transport accepted it.
    Sent,
    /// A temporary failure; another attempt is due at `next_attempt_at`.
    Deferred,
    /// A permanent failure.
    Failed,
    /// The address bounced for good and is suppressed.
    Bounced,
    /// Not sent: the address is suppressed (unsubscribed, bounced, complained, erased).
    Suppressed,
    /// The lease ran out before an outcome was recorded: it may have been sent. Only ops resend it.
    Uncertain,
    /// Not sent: the edition was cancelled.
    Cancelled,
    /// Not sent: every brief it carried expired or was withdrawn before its turn.
    Expired,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 10] = [
        DeliveryStatus::Queued,
        DeliveryStatus::Sending,
        DeliveryStatus::Sent,
        DeliveryStatus::Deferred,
        DeliveryStatus::Failed,
        DeliveryStatus::Bounced,
        DeliveryStatus::Suppressed,
        DeliveryStatus::Uncertain,
        DeliveryStatus::Cancelled,
        DeliveryStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Queued => "queued",
            DeliveryStatus::Sending => "sending",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Deferred => "deferred",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Bounced => "bounced",
            DeliveryStatus::Suppressed => "suppressed",
            DeliveryStatus::Uncertain => "uncertain",
            DeliveryStatus::Cancelled => "cancelled",
            DeliveryStatus::Expired => "expired",
        }
    }

    /// Whether a worker may claim it when it comes due.
    pub fn is_claimable(self) -> bool {
        matches!(self, DeliveryStatus::Queued | DeliveryStatus::Deferred)
    }

    /// Whether it will still be attempted, or is being attempted, without anyone's say-so.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            DeliveryStatus::Queued | DeliveryStatus::Deferred | DeliveryStatus::Sending
        )
    }

    /// Whether ops may ask for it to be sent again: only when it surely was not delivered as
    /// intended, or nobody knows. A sent, bounced or suppressed message is never resent.
    pub fn is_resendable(self) -> bool {
        matches!(self, DeliveryStatus::Uncertain | DeliveryStatus::Failed)
    }

    /// The allowed moves. Everything else is refused by the store.
    pub fn can_become(self, to: DeliveryStatus) -> bool {
        use DeliveryStatus::*;
        match self {
            Queued | Deferred => matches!(to, Sending | Suppressed | Expired | Cancelled),
            // A lease ends in an outcome, or runs out into uncertainty; never straight back to
            // queued, because the send may have happened.
            // Cancelled from sending: the reader's language had nothing to carry (the language
            // policy held every brief), decided before any send.
            Sending => matches!(
                to,
                Sent | Deferred | Failed | Bounced | Suppressed | Uncertain | Cancelled
            ),
            // A late outcome from the very attempt that went uncertain settles what happened.
            Uncertain => matches!(to, Queued | Sent | Deferred | Failed | Bounced | Suppressed),
            Failed => matches!(to, Queued),
            Sent | Bounced | Suppressed | Cancelled | Expired => false,
        }
    }

    /// Every status that may move to `to`.
    pub fn sources_of(to: DeliveryStatus) -> Vec<DeliveryStatus> {
        Self::ALL.into_iter().filter(|from| from.can_become(to)).collect()
    }
}

impl fmt::Display for DeliveryStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DeliveryStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or(UnknownStatus(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_send_that_may_have_happened_is_never_requeued_by_itself() {
        assert!(!DeliveryStatus::Sending.can_become(DeliveryStatus::Queued));
        assert!(DeliveryStatus::Sending.can_become(DeliveryStatus::Uncertain));
        assert_eq!(
            DeliveryStatus::sources_of(DeliveryStatus::Queued),
            vec![DeliveryStatus::Failed, DeliveryStatus::Uncertain]
        );
        assert!(
            DeliveryStatus::ALL
                .iter()
                .all(|s| s.is_resendable() == s.can_become(DeliveryStatus::Queued))
        );
    }

    #[test]
    fn final_statuses_stay_final() {
        for done in [
            DeliveryStatus::Sent,
            DeliveryStatus::Bounced,
            DeliveryStatus::Suppressed,
            DeliveryStatus::Cancelled,
            DeliveryStatus::Expired,
        ] {
            assert!(DeliveryStatus::ALL.iter().all(|to| !done.can_become(*to)), "{done}");
        }
    }

    #[test]
    fn statuses_read_back_as_written() {
        for s in DeliveryStatus::ALL {
            assert_eq!(s.as_str().parse::<DeliveryStatus>(), Ok(s));
        }
        for s in EditionStatus::ALL {
            assert_eq!(s.as_str().parse::<EditionStatus>(), Ok(s));
        }
        assert_eq!("Failed".parse::<DeliveryStatus>(), Ok(DeliveryStatus::Failed));
        assert!("lost".parse::<DeliveryStatus>().is_err());
    }
}
