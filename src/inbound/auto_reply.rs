//! Automatic replies (RFC 3834 and the vendor headers that predate it): logged, never questions.

use mail_parser::Message;
use serde::Serialize;

use super::headers::{ReplyHeaders, header_text};
use super::match_keys::{Mailbox, mailbox_of};

/// An auto-reply, with every signal that gave it away (kept for the audit log).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutoReply {
    pub signals: Vec<AutoReplySignal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "signal", content = "value", rename_all = "snake_case")]
pub enum AutoReplySignal {
    /// RFC 3834 §5: any value but `no` means the message was not written by a person.
    AutoSubmitted(String),
    /// Vendor headers: `X-Autoreply`, `X-Autorespond`, `X-Auto-Response-Suppress` (Exchange).
    VendorHeader(String),
    /// `Precedence: auto_reply`, `bulk`, `junk` or `list` (RFC 3834 §3.1.8 honours these).
    Precedence(String),
    /// A null envelope sender on something that is not a report (RFC 3834 §3.3 asks responders
    /// for exactly that).
    NullReturnPath,
    /// An out-of-office subject in Finnish, Swedish or English.
    SubjectPrefix(String),
    /// Mail to the envelope sender `bounces+TOKEN` that is no machine-readable report: responders
    /// answer the envelope sender (RFC 3834 §4), people answer Reply-To.
    SentToBounceMailbox,
}

const VENDOR_HEADERS: [&str; 3] = ["X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"];

const MACHINE_PRECEDENCE: [&str; 4] = ["auto_reply", "bulk", "junk", "list"];

/// Subjects that out-of-office responders write. Each must be the whole subject or be followed
/// by a colon, so that a person's subject such as "Out of office hours during the storm?"
/// stays a question.
const SUBJECT_PREFIXES: [&str; 16] = [
    "automaattinen vastaus",
    "poissa toimistolta",
    "lomavastaaja",
    "automaattivastaus",
    "frånvaromeddelande",
    "automatiskt svar",
    "autosvar",
    "frånvarande",
    "out of office",
    "out of the office",
    "automatic reply",
    "autoreply",
    "auto-reply",
    "auto reply",
    "autoresponse",
    "auto response",
];

impl AutoReply {
    pub(crate) fn detect(message: &Message<'_>, headers: &ReplyHeaders) -> Option<AutoReply> {
        let mut signals = Vec::new();
        if let Some(value) = header_text(message, "Auto-Submitted") {
            let keyword = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
            if keyword != "no" {
                signals.push(AutoReplySignal::AutoSubmitted(keyword));
            }
        }
        for name in VENDOR_HEADERS {
            if header_text(message, name).is_some() {
                signals.push(AutoReplySignal::VendorHeader(name.to_string()));
            }
        }
        if let Some(value) = header_text(message, "Precedence") {
            let value = value.to_ascii_lowercase();
            if MACHINE_PRECEDENCE.contains(&value.as_str()) {
                signals.push(AutoReplySignal::Precedence(value));
            }
        }
        if headers.null_return_path {
            signals.push(AutoReplySignal::NullReturnPath);
        }
        if let Some(prefix) = headers.subject.as_deref().and_then(out_of_office_prefix) {
            signals.push(AutoReplySignal::SubjectPrefix(prefix));
        }
        if headers
            .recipients
            .iter()
            .any(|r| mailbox_of(r) == Some(Mailbox::Bounces))
        {
            signals.push(AutoReplySignal::SentToBounceMailbox);
        }
        (!signals.is_empty()).then_some(AutoReply { signals })
    }
}

/// The out-of-office phrase a subject starts with, as written there.
fn out_of_office_prefix(subject: &str) -> Option<String> {
    let subject = subject.trim();
    let lower = subject.to_lowercase();
    SUBJECT_PREFIXES.iter().find_map(|prefix| {
        let rest = lower.strip_prefix(prefix)?;
        let rest = rest.trim_start();
        (rest.is_empty() || rest.starts_with(':')).then(|| subject.chars().take(prefix.chars().count()).collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_office_subjects_in_three_languages() {
        for (subject, prefix) in [
            ("Automaattinen vastaus: Varaudu myrskyyn", "Automaattinen vastaus"),
            ("Poissa toimistolta", "Poissa toimistolta"),
            ("Frånvaromeddelande: Förbered dig", "Frånvaromeddelande"),
            ("AUTOMATISKT SVAR : Förbered dig", "AUTOMATISKT SVAR"),
            ("Out of Office: Get ready", "Out of Office"),
            ("Automatic reply: Get ready", "Automatic reply"),
            ("Autoreply: Get ready", "Autoreply"),
        ] {
            assert_eq!(out_of_office_prefix(subject).as_deref(), Some(prefix), "{subject}");
        }
    }

    #[test]
    fn questions_that_start_alike_are_not_auto_replies() {
        for subject in [
            "Out of office hours during the storm?",
            "Re: Varaudu myrskyyn",
            "Automatic replies to followers: allowed?",
            "Poissa toimistolta myrskyn aikana – mitä teen?",
        ] {
            assert_eq!(out_of_office_prefix(subject), None, "{subject}");
        }
    }
}
