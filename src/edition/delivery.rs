//! One delivery: claimed under a lease, its outcome recorded, its history.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{DeliveryStatus, EditionBrief};
use crate::ids::{DeliveryId, EditionId, InfluencerId};
use crate::language::Language;

/// Proof of a claim. The attempt number fences late reports: an outcome counts only for the
/// attempt that was claimed, so a worker that lost its lease cannot overwrite a later attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lease {
    pub delivery: DeliveryId,
    pub worker: String,
    pub attempt: u32,
}

/// One delivery a worker now holds under a lease, with what it needs to compose the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimedDelivery {
    pub lease: Lease,
    pub edition: EditionId,
    pub influencer_id: InfluencerId,
    pub email: String,
    pub name: String,
    pub language: Language,
    /// The platforms the roster says the reader posts on: their texts come first.
    pub platforms: Vec<String>,
    pub lease_until: DateTime<Utc>,
    /// The edition's briefs that are still live (approved, unexpired, past embargo), in order.
    pub briefs: Vec<EditionBrief>,
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
