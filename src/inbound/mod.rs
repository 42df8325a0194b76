//! Inbound mail: what a reply to an edition is, whom it concerns, and what the person wrote.
//!
//! Everything here is pure: [`Reply::parse`] takes the raw RFC 5322 bytes exactly as they came
//! from the mailbox or the inbound webhook and returns what the store needs: the headers, the
//! keys to find the delivery ([`MatchKeys`], best first), and what kind of message it is
//! ([`ReplyKind`]). Looking the keys up, verifying tokens and storing are `intake`'s job.

mod auto_reply;
mod body;
mod bounce;
mod class;
mod complaint;
mod headers;
mod html_text;
pub mod imap;
mod match_keys;
mod question;
mod quoted;
mod report;
mod signature;
mod unsubscribe;

use mail_parser::MessageParser;
use serde::Serialize;

pub use auto_reply::{AutoReply, AutoReplySignal};
pub use bounce::{Bounce, BouncedRecipient, DeliveryAction, Severity, StatusCode};
pub use class::ReplyClass;
pub use complaint::Complaint;
pub use headers::{ReplyHeaders, normalize_message_id};
pub use match_keys::{Mailbox, MatchKeys, TokenKey, TokenPlace};
pub use question::{Question, clean_question_text};
pub use unsubscribe::{Unsubscribe, UnsubscribeVia};

/// One inbound message, understood.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reply {
    pub headers: ReplyHeaders,
    pub keys: MatchKeys,
    pub kind: ReplyKind,
}

/// What an inbound message is. Only [`ReplyKind::Question`] is ever shown in the question log.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReplyKind {
    Question(Question),
    AutoReply(AutoReply),
    Bounce(Bounce),
    Complaint(Complaint),
    Unsubscribe(Unsubscribe),
}

/// Why a message could not be read at all. Anything that parses as a message but is odd inside
/// (an unknown charset, a broken part) is decoded on a best-effort basis instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the inbound message is empty")]
    Empty,
    #[error("the inbound message has no header fields, so it is not an RFC 5322 message")]
    NoHeaders,
}

impl Reply {
    /// Parses a raw message whatever its charset and transfer encoding, and classifies it.
    pub fn parse(raw: &[u8]) -> Result<Reply, ParseError> {
        if raw.iter().all(u8::is_ascii_whitespace) {
            return Err(ParseError::Empty);
        }
        let message = MessageParser::default().parse(raw).ok_or(ParseError::NoHeaders)?;
        if message.headers().is_empty() {
            return Err(ParseError::NoHeaders);
        }
        let headers = ReplyHeaders::from_message(&message);
        let mut keys = MatchKeys::from_headers(&headers);
        let kind = classify(&message, &headers);
        keys.add_report_keys(&kind);
        Ok(Reply { headers, keys, kind })
    }
}

/// Machine reports first (they are unambiguous), then auto-replies (so that an out-of-office
/// note never reaches the question log), then explicit unsubscribe requests; a person's
/// question is what remains.
fn classify(message: &mail_parser::Message<'_>, headers: &ReplyHeaders) -> ReplyKind {
    if let Some(complaint) = Complaint::from_message(message) {
        return ReplyKind::Complaint(complaint);
    }
    if let Some(bounce) = Bounce::from_message(message) {
        return ReplyKind::Bounce(bounce);
    }
    if let Some(auto_reply) = AutoReply::detect(message, headers) {
        return ReplyKind::AutoReply(auto_reply);
    }
    let text = clean_question_text(&body::best_text(message));
    if let Some(unsubscribe) = Unsubscribe::detect(headers, &text) {
        return ReplyKind::Unsubscribe(unsubscribe);
    }
    ReplyKind::Question(Question::new(text, headers.language))
}
