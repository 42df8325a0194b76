//! Delivery status notifications (RFC 3464): which recipients failed, and for good or for now.

use std::fmt;

use mail_parser::Message;
use serde::{Serialize, Serializer};

use super::report::{ReturnedHeaders, field, field_groups, report_body, returned_headers, typed_address};

/// A DSN. Only recipients with a [`Severity::Permanent`] failure should be suppressed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bounce {
    pub reporting_mta: Option<String>,
    pub recipients: Vec<BouncedRecipient>,
    /// Our message as the reporting system returned it, when it did.
    pub returned: Option<ReturnedHeaders>,
}

/// One per-recipient field group of a DSN (RFC 3464 §2.3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BouncedRecipient {
    /// Lowercased address from `Final-Recipient`.
    pub final_recipient: String,
    pub original_recipient: Option<String>,
    pub action: DeliveryAction,
    pub status: Option<StatusCode>,
    pub severity: Severity,
    pub diagnostic: Option<String>,
}

/// RFC 3464 §2.3.3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryAction {
    Failed,
    Delayed,
    Delivered,
    Relayed,
    Expanded,
    Other(String),
}

/// What the caller should do about a recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Class 5 (RFC 3463 §3.1): the address will not work; suppress it.
    Permanent,
    /// Class 4, a delay, or no usable status: may work later; never suppress on this.
    Transient,
    /// Class 2: delivered, relayed or expanded; nothing went wrong.
    Success,
}

/// An RFC 3463 enhanced status code, `class.subject.detail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusCode {
    pub class: u8,
    pub subject: u16,
    pub detail: u16,
}

impl StatusCode {
    /// Reads `5.1.1`, also with a trailing comment (`5.1.1 (bad mailbox)`); only classes
    /// 2, 4 and 5 exist (RFC 3463 §3.1).
    pub fn parse(raw: &str) -> Option<StatusCode> {
        let code = raw.split_whitespace().next()?;
        let mut numbers = code.split('.');
        let class: u8 = numbers.next()?.parse().ok()?;
        let subject: u16 = numbers.next()?.parse().ok()?;
        let detail: u16 = numbers.next()?.parse().ok()?;
        if numbers.next().is_some() || !matches!(class, 2 | 4 | 5) {
            return None;
        }
        Some(StatusCode { class, subject, detail })
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

impl Serialize for StatusCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Bounce {
    /// A bounce is a `multipart/report` with a `message/delivery-status` part (or its RFC 6533
    /// `global` form). Free-text bounces without one are not trusted to suppress anyone.
    pub(crate) fn from_message(message: &Message<'_>) -> Option<Bounce> {
        let body = report_body(message, &["delivery-status", "global-delivery-status"])?;
        let mut groups = field_groups(&body).into_iter();
        let per_message = groups.next().unwrap_or_default();
        let recipients = groups.filter_map(|group| recipient(&group)).collect();
        Some(Bounce {
            reporting_mta: field(&per_message, "reporting-mta").map(typed_address),
            recipients,
            returned: returned_headers(message),
        })
    }
}

fn recipient(group: &[super::report::Field]) -> Option<BouncedRecipient> {
    let final_recipient = typed_address(field(group, "final-recipient")?);
    if final_recipient.is_empty() {
        return None;
    }
    let action = match field(group, "action").unwrap_or_default().to_ascii_lowercase().as_str() {
        "failed" => DeliveryAction::Failed,
        "delayed" => DeliveryAction::Delayed,
        "delivered" => DeliveryAction::Delivered,
        "relayed" => DeliveryAction::Relayed,
        "expanded" => DeliveryAction::Expanded,
        other => DeliveryAction::Other(other.to_string()),
    };
    let status = field(group, "status").and_then(StatusCode::parse);
    // The status class decides; a `delayed` action is transient whatever its code says.
    let severity = match (status.map(|s| s.class), &action) {
        (_, DeliveryAction::Delayed) => Severity::Transient,
        (Some(5), _) => Severity::Permanent,
        (Some(2), _) => Severity::Success,
        _ => Severity::Transient,
    };
    Some(BouncedRecipient {
        final_recipient,
        original_recipient: field(group, "original-recipient").map(typed_address),
        action,
        status,
        severity,
        diagnostic: field(group, "diagnostic-code").map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_parse_with_comments() {
        assert_eq!(StatusCode::parse("5.1.1").map(|s| s.to_string()), Some("5.1.1".into()));
        assert_eq!(StatusCode::parse("4.2.2 (mailbox full)").map(|s| s.class), Some(4));
        for bad in ["", "5.1", "3.1.1", "5.1.1.1", "x.y.z", "550"] {
            assert_eq!(StatusCode::parse(bad), None, "{bad}");
        }
    }
}
