//! Requests to stop receiving editions, made by mail rather than by the signed link.

use serde::Serialize;

use super::headers::ReplyHeaders;
use super::match_keys::{Mailbox, mailbox_of};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unsubscribe {
    pub via: UnsubscribeVia,
    /// Whatever the person wrote along with it, for the audit log.
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnsubscribeVia {
    /// Mail to the `List-Unsubscribe` mailto address (RFC 2369 §3.2): the request is the act.
    UnsubscribeMailbox,
    /// A message to our questions address whose whole subject is "unsubscribe" (or the Finnish
    /// or Swedish phrase).
    Subject,
}

/// Subjects that are unmistakably a request, after any reply prefix ("Re:", "VS:", "SV:").
const UNSUBSCRIBE_SUBJECTS: [&str; 6] = [
    "unsubscribe",
    "unsubscribe me",
    "peru tilaus",
    "tilauksen peruutus",
    "avsluta prenumeration",
    "avsluta prenumerationen",
];

const REPLY_PREFIXES: [&str; 5] = ["re:", "vs:", "sv:", "aw:", "vl:"];

impl Unsubscribe {
    /// Conservative on purpose: losing a question to a wrong unsubscribe is worse than a
    /// coordinator reading "peru tilaus" in the log and acting on it. So a subject counts only
    /// when it is the whole request, the mail went to a briefcast mailbox, and the text asks
    /// nothing.
    pub(crate) fn detect(headers: &ReplyHeaders, cleaned_text: &str) -> Option<Unsubscribe> {
        let mailboxes: Vec<Mailbox> = headers.recipients.iter().filter_map(|r| mailbox_of(r)).collect();
        let note = cleaned_text.to_string();
        if mailboxes.contains(&Mailbox::Unsubscribe) {
            return Some(Unsubscribe {
                via: UnsubscribeVia::UnsubscribeMailbox,
                note,
            });
        }
        let asks_to_stop = headers.subject.as_deref().is_some_and(is_unsubscribe_subject);
        let to_our_list = mailboxes.contains(&Mailbox::Questions);
        (asks_to_stop && to_our_list && !cleaned_text.contains('?')).then_some(Unsubscribe {
            via: UnsubscribeVia::Subject,
            note,
        })
    }
}

fn is_unsubscribe_subject(subject: &str) -> bool {
    let mut subject = subject.trim().to_lowercase();
    while let Some(rest) = REPLY_PREFIXES.iter().find_map(|p| subject.strip_prefix(p)) {
        subject = rest.trim_start().to_string();
    }
    let subject = subject.trim_end_matches(['.', '!']).trim();
    UNSUBSCRIBE_SUBJECTS.contains(&subject)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_subjects_only() {
        assert!(is_unsubscribe_subject("Peru tilaus"));
        assert!(is_unsubscribe_subject("SV: Avsluta prenumeration!"));
        assert!(is_unsubscribe_subject("UNSUBSCRIBE"));
        assert!(!is_unsubscribe_subject("How do my followers unsubscribe from alerts?"));
        assert!(!is_unsubscribe_subject("Re: Varaudu myrskyyn"));
    }
}
