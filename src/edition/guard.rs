//! Protecting the sender: an edition that hurts the sending domain's reputation stops itself.
//! Mailbox providers judge a sender by its hard bounces and by how often they refuse it on
//! policy; a list gone stale or a blocklisting shows within the first attempts, and sending on
//! through either only makes it worse. So an edition pauses itself, says why, and waits for an
//! approver.

use serde::{Deserialize, Serialize};

use super::DeliveryStatus;

/// The lines past which an edition pauses itself. Zero turns a line off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SenderGuard {
    /// Hard bounces, in percent of the first `bounce_sample` attempts, that pause the edition.
    pub bounce_percent: u32,
    /// How many of the edition's first attempts the bounce line judges.
    pub bounce_sample: u64,
    /// Policy refusals (5xx with enhanced status 5.7.x) in a row that pause the edition.
    pub policy_in_row: u32,
}

impl Default for SenderGuard {
    /// 5% of the first 1,000, as the large providers' guidance reads, and ten policy refusals in
    /// a row: past either, the domain is being refused, not a few addresses.
    fn default() -> Self {
        SenderGuard {
            bounce_percent: 5,
            bounce_sample: 1000,
            policy_in_row: 10,
        }
    }
}

/// How an edition is faring, as the guard reads it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EditionHealth {
    /// Hard bounces among the edition's first `bounce_sample` attempted deliveries.
    pub bounced_in_sample: u64,
    /// The latest outcomes of the edition's sends, newest first, with the server's words.
    pub latest: Vec<(DeliveryStatus, String)>,
}

/// Why an edition paused itself; kept with the edition and shown wherever it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PauseReason {
    HardBounces { bounced: u64, sample: u64, percent: u32 },
    PolicyRefusals { in_row: u32, response: String },
}

impl std::fmt::Display for PauseReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PauseReason::HardBounces {
                bounced,
                sample,
                percent,
            } => write!(
                f,
                "{bounced} hard bounces in the first {sample} attempts, past the line of {percent}%"
            ),
            PauseReason::PolicyRefusals { in_row, response } => {
                write!(f, "{in_row} policy refusals in a row, the latest: {response}")
            }
        }
    }
}

/// Whether a mail server's answer refuses the message on policy (RFC 3463 class 5, subject 7:
/// security or policy status), e.g. `550 5.7.1 Message rejected as spam`.
pub fn is_policy_refusal(response: &str) -> bool {
    response
        .split_whitespace()
        .take(4)
        .filter_map(|word| word.strip_prefix("5.7."))
        .any(|detail| !detail.is_empty() && detail.chars().all(|c| c.is_ascii_digit()))
}

impl SenderGuard {
    /// The reason the edition must pause now, if it must.
    pub fn judge(&self, health: &EditionHealth) -> Option<PauseReason> {
        if self.bounce_percent > 0 && self.bounce_sample > 0 {
            // More than the share of the whole sample: the line is passed whatever the rest of
            // the sample does, so there is no need to wait for it.
            let line = self.bounce_sample * u64::from(self.bounce_percent);
            if health.bounced_in_sample * 100 > line {
                return Some(PauseReason::HardBounces {
                    bounced: health.bounced_in_sample,
                    sample: self.bounce_sample,
                    percent: self.bounce_percent,
                });
            }
        }
        let in_row = self.policy_in_row as usize;
        if in_row > 0 && health.latest.len() >= in_row {
            let refused = health
                .latest
                .iter()
                .take(in_row)
                .all(|(status, response)| *status == DeliveryStatus::Failed && is_policy_refusal(response));
            if let (true, Some((_, latest))) = (refused, health.latest.first()) {
                return Some(PauseReason::PolicyRefusals {
                    in_row: self.policy_in_row,
                    response: latest.clone(),
                });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(response: &str) -> (DeliveryStatus, String) {
        (DeliveryStatus::Failed, response.to_string())
    }

    #[test]
    fn hard_bounces_past_the_share_of_the_sample_pause_the_edition() {
        let guard = SenderGuard {
            bounce_percent: 5,
            bounce_sample: 1000,
            policy_in_row: 0,
        };
        let at = |bounced| EditionHealth {
            bounced_in_sample: bounced,
            ..Default::default()
        };
        assert_eq!(guard.judge(&at(50)), None, "exactly 5% is on the line, not past it");
        assert_eq!(
            guard.judge(&at(51)),
            Some(PauseReason::HardBounces {
                bounced: 51,
                sample: 1000,
                percent: 5
            })
        );
        let off = SenderGuard {
            bounce_percent: 0,
            ..guard
        };
        assert_eq!(off.judge(&at(1000)), None);
    }

    #[test]
    fn only_policy_refusals_in_an_unbroken_row_pause_the_edition() {
        let guard = SenderGuard {
            bounce_percent: 0,
            bounce_sample: 0,
            policy_in_row: 3,
        };
        let refusal = "smtp: 550 5.7.1 Service unavailable; client host blocked";
        let row = |latest: Vec<(DeliveryStatus, String)>| EditionHealth {
            latest,
            ..Default::default()
        };
        let three = row(vec![failed(refusal), failed(refusal), failed(refusal)]);
        assert!(matches!(
            guard.judge(&three),
            Some(PauseReason::PolicyRefusals { in_row: 3, .. })
        ));
        let broken = row(vec![
            failed(refusal),
            (DeliveryStatus::Sent, "smtp: 250 2.0.0 Ok".into()),
            failed(refusal),
            failed(refusal),
        ]);
        assert_eq!(
            guard.judge(&broken),
            None,
            "a message accepted in between breaks the row"
        );
        let mailbox_full = row(vec![failed("smtp: 552 5.2.2 Mailbox full"); 3]);
        assert_eq!(guard.judge(&mailbox_full), None, "not a policy refusal");
        assert_eq!(guard.judge(&row(vec![failed(refusal); 2])), None, "too few yet");
    }

    #[test]
    fn a_policy_refusal_is_read_from_its_enhanced_status() {
        assert!(is_policy_refusal("550 5.7.1 Message rejected"));
        assert!(is_policy_refusal(
            "smtp: 554 5.7.26 Unauthenticated email is not accepted"
        ));
        assert!(!is_policy_refusal("550 5.1.1 User unknown"));
        assert!(!is_policy_refusal("550 rejected 5.7.x"));
        assert!(!is_policy_refusal(""));
    }
}
