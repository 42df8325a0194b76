//! Abuse feedback reports (ARF, RFC 5965): a recipient marked our message as spam.

use mail_parser::Message;
use serde::Serialize;

use super::report::{
    ReturnedHeaders, bare_address, field, field_groups, fields, report_body, returned_headers, typed_address,
};

/// A complaint. Whatever its type, the complaining address must not be mailed again.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Complaint {
    /// `abuse`, `fraud`, `virus`, `not-spam`, `other`… (RFC 5965 §3.5), lowercased.
    pub feedback_type: String,
    pub user_agent: Option<String>,
    /// From `Original-Rcpt-To` (RFC 5965 §3.2), else the To of the returned message; providers
    /// often redact both, and then the token in the returned headers is the only key.
    pub original_recipients: Vec<String>,
    /// Our envelope sender as the receiver saw it: `bounces+TOKEN@…`, case kept.
    pub original_mail_from: Option<String>,
    pub arrival_date: Option<String>,
    pub returned: Option<ReturnedHeaders>,
}

impl Complaint {
    pub(crate) fn from_message(message: &Message<'_>) -> Option<Complaint> {
        let body = report_body(message, &["feedback-report"])?;
        let report: Vec<_> = field_groups(&body).into_iter().flatten().collect();
        let returned = returned_headers(message);
        let mut original_recipients: Vec<String> = fields(&report, "original-rcpt-to").map(typed_address).collect();
        if original_recipients.is_empty() {
            original_recipients = returned.as_ref().map(|r| r.to.clone()).unwrap_or_default();
        }
        original_recipients.retain(|a| a.contains('@'));
        original_recipients.dedup();
        Some(Complaint {
            feedback_type: field(&report, "feedback-type").unwrap_or("other").to_ascii_lowercase(),
            user_agent: field(&report, "user-agent").map(str::to_string),
            original_recipients,
            original_mail_from: field(&report, "original-mail-from").map(bare_address),
            arrival_date: field(&report, "arrival-date").map(str::to_string),
            returned,
        })
    }
}
