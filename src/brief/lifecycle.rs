//! A brief's life: draft → approved → queued → sent, or withdrawn, or expired. Each step is a
//! pure function from the current status to the next, or an error saying why not.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Brief;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BriefStatus {
    Draft,
    Approved,
    Queued,
    Sent,
    Withdrawn,
    Expired,
}

impl BriefStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BriefStatus::Draft => "draft",
            BriefStatus::Approved => "approved",
            BriefStatus::Queued => "queued",
            BriefStatus::Sent => "sent",
            BriefStatus::Withdrawn => "withdrawn",
            BriefStatus::Expired => "expired",
        }
    }

    /// Sent, withdrawn and expired briefs never change again; a sent one is corrected by a new
    /// brief that supersedes it.
    pub fn is_final(self) -> bool {
        matches!(self, BriefStatus::Sent | BriefStatus::Withdrawn | BriefStatus::Expired)
    }
}

impl fmt::Display for BriefStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    #[error("{who} cannot approve briefs: the approver role is needed")]
    NotAnApprover { who: String },
    #[error("{who} wrote this brief; under the two-person rule someone else must approve it")]
    OwnBrief { who: String },
    #[error("a {status} brief cannot be {action}{hint}")]
    WrongStatus {
        action: &'static str,
        status: BriefStatus,
        hint: &'static str,
    },
    #[error("the brief is under embargo until {0}")]
    Embargoed(DateTime<Utc>),
    #[error("the brief comes from a CAP alert with status {0}: only Actual alerts ever lead to a send")]
    NotActual(super::CapStatus),
    #[error("the brief expired at {0}")]
    Expired(DateTime<Utc>),
}

fn wrong(action: &'static str, status: BriefStatus) -> LifecycleError {
    let hint = match status {
        BriefStatus::Sent => "; issue a correction instead",
        BriefStatus::Withdrawn | BriefStatus::Expired => "; write a new brief instead",
        BriefStatus::Draft if action == "queued" => "; it needs approval first",
        _ => "",
    };
    LifecycleError::WrongStatus { action, status, hint }
}

impl BriefStatus {
    /// Draft → approved. The approver needs the approver role, and under the two-person rule
    /// must not be the author (names compare without case or surrounding space).
    pub fn approve(
        self,
        author: &str,
        approver: &str,
        approver_role_is_approver: bool,
        two_person_rule: bool,
    ) -> Result<BriefStatus, LifecycleError> {
        if self != BriefStatus::Draft {
            return Err(wrong("approved", self));
        }
        if !approver_role_is_approver {
            return Err(LifecycleError::NotAnApprover {
                who: approver.to_string(),
            });
        }
        if two_person_rule && author.trim().eq_ignore_ascii_case(approver.trim()) {
            return Err(LifecycleError::OwnBrief {
                who: approver.to_string(),
            });
        }
        Ok(BriefStatus::Approved)
    }

    /// Any edit sends an approved or queued brief back to draft: what was approved is no
    /// longer what would be sent.
    pub fn edit(self) -> Result<BriefStatus, LifecycleError> {
        match self {
            BriefStatus::Draft | BriefStatus::Approved | BriefStatus::Queued => Ok(BriefStatus::Draft),
            _ => Err(wrong("edited", self)),
        }
    }

    /// Approved → queued for the next edition that may carry it.
    pub fn queue(self, brief: &Brief, now: DateTime<Utc>) -> Result<BriefStatus, LifecycleError> {
        if self != BriefStatus::Approved {
            return Err(wrong("queued", self));
        }
        if let Some(expires) = brief.meta.expires.filter(|e| now >= *e) {
            return Err(LifecycleError::Expired(expires.to_utc()));
        }
        Ok(BriefStatus::Queued)
    }

    /// Queued → sent, only between embargo and expiry.
    pub fn send(self, brief: &Brief, now: DateTime<Utc>) -> Result<BriefStatus, LifecycleError> {
        if self != BriefStatus::Queued {
            return Err(wrong("sent", self));
        }
        if let Some(embargo) = brief.meta.embargo.filter(|e| now < *e) {
            return Err(LifecycleError::Embargoed(embargo.to_utc()));
        }
        if let Some(expires) = brief.meta.expires.filter(|e| now >= *e) {
            return Err(LifecycleError::Expired(expires.to_utc()));
        }
        Ok(BriefStatus::Sent)
    }

    pub fn withdraw(self) -> Result<BriefStatus, LifecycleError> {
        match self {
            BriefStatus::Draft | BriefStatus::Approved | BriefStatus::Queued => Ok(BriefStatus::Withdrawn),
            _ => Err(wrong("withdrawn", self)),
        }
    }

    /// The status at `now`: a brief not yet sent becomes expired once its expiry has passed.
    pub fn at(self, brief: &Brief, now: DateTime<Utc>) -> BriefStatus {
        let past_expiry = brief.meta.expires.is_some_and(|e| now >= e);
        if past_expiry && !self.is_final() {
            BriefStatus::Expired
        } else {
            self
        }
    }
}

/// A correction of a sent brief: `corrected` becomes a new draft that supersedes `original`,
/// so it goes through approval again and its packs are marked as a correction.
pub fn correct(original: &Brief, status: BriefStatus, mut corrected: Brief) -> Result<Brief, LifecycleError> {
    if status != BriefStatus::Sent {
        let hint = if status.is_final() { "" } else { "; edit it instead" };
        return Err(LifecycleError::WrongStatus {
            action: "corrected",
            status,
            hint,
        });
    }
    corrected.meta.supersedes = Some(original.meta.slug.clone());
    Ok(corrected)
}
