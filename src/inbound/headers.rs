//! The header fields of an inbound message that matching and the question log need.

use chrono::{DateTime, FixedOffset, TimeZone};
use mail_parser::{Address, HeaderValue, Message};
use serde::Serialize;

use crate::audience::EmailAddress;
use crate::language::Language;

/// Header fields, decoded (RFC 2047 words, folding) and normalised: addresses lowercased,
/// Message-IDs without their angle brackets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplyHeaders {
    /// The From address; `None` when missing or not an address we could ever have mailed.
    pub from: Option<EmailAddress>,
    /// The display name in From, for the question log.
    pub from_name: Option<String>,
    /// Every address the message was delivered or addressed to, envelope first (Delivered-To,
    /// X-Original-To, Envelope-To), then To and Cc, each once, case kept: the local part holds a
    /// case-sensitive token.
    pub recipients: Vec<String>,
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub subject: Option<String>,
    pub content_language: Option<String>,
    /// The language named by Content-Language, when it is one briefcast offers.
    pub language: Option<Language>,
    pub date: Option<DateTime<FixedOffset>>,
    /// `Return-Path: <>`: the message came with a null envelope sender, as reports and
    /// auto-replies do (RFC 3834 §3.3, RFC 3464 §2).
    pub null_return_path: bool,
}

/// Envelope recipient fields that MTAs add at final delivery; they name the address the message
/// was really delivered to even when To does not (Bcc, lists, forwarding).
const ENVELOPE_FIELDS: [&str; 4] = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To"];

impl ReplyHeaders {
    pub(crate) fn from_message(message: &Message<'_>) -> ReplyHeaders {
        let (from, from_name) = match message.from().and_then(Address::first) {
            Some(addr) => (
                addr.address().and_then(|a| EmailAddress::parse(a).ok()),
                addr.name().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string),
            ),
            None => (None, None),
        };
        let content_language = header_text(message, "Content-Language");
        let language = content_language.as_deref().and_then(primary_language);
        ReplyHeaders {
            from,
            from_name,
            recipients: recipients(message),
            message_id: message
                .message_id()
                .map(normalize_message_id)
                .filter(|id| !id.is_empty()),
            in_reply_to: message_ids(message.in_reply_to()),
            references: message_ids(message.references()),
            subject: message.subject().map(|s| s.trim().to_string()),
            content_language,
            language,
            date: message.date().filter(|d| d.is_valid()).and_then(to_chrono),
            null_return_path: header_text(message, "Return-Path").is_some_and(|v| v.replace(' ', "") == "<>"),
        }
    }
}

/// The canonical form of a Message-ID for comparison: no angle brackets, no surrounding space.
/// Message-IDs are compared case-sensitively (RFC 5322 §3.6.4 gives them no case rule).
pub fn normalize_message_id(raw: &str) -> String {
    raw.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_string()
}

/// A header's value unfolded and trimmed, `None` when absent or blank.
pub(crate) fn header_text(message: &Message<'_>, name: &str) -> Option<String> {
    message.header_raw(name).map(unfold).filter(|value| !value.is_empty())
}

/// RFC 5322 §2.2.3: a folded field is unfolded by removing each CRLF before white space.
pub(crate) fn unfold(raw: &str) -> String {
    raw.split(['\r', '\n'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn recipients(message: &Message<'_>) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut push = |address: &str| {
        let address = address.trim().trim_start_matches('<').trim_end_matches('>').trim();
        if !address.is_empty() && !found.iter().any(|known| known.eq_ignore_ascii_case(address)) {
            found.push(address.to_string());
        }
    };
    for name in ENVELOPE_FIELDS {
        for value in message.header_values(name) {
            match value {
                HeaderValue::Address(list) => list.iter().filter_map(|a| a.address()).for_each(&mut push),
                HeaderValue::Text(text) => text.split(',').for_each(&mut push),
                _ => {}
            }
        }
    }
    for list in message.to().into_iter().chain(message.cc()) {
        list.iter().filter_map(|a| a.address()).for_each(&mut push);
    }
    found
}

fn message_ids(value: &HeaderValue<'_>) -> Vec<String> {
    let ids: Vec<&str> = match value {
        HeaderValue::Text(id) => vec![id.as_ref()],
        HeaderValue::TextList(ids) => ids.iter().map(|id| id.as_ref()).collect(),
        _ => Vec::new(),
    };
    ids.into_iter()
        .map(normalize_message_id)
        .filter(|id| !id.is_empty())
        .collect()
}

/// `sv-SE`, `sv-FI` and `sv` all mean Swedish: the primary subtag (RFC 5646 §2.2.1) decides.
fn primary_language(tags: &str) -> Option<Language> {
    tags.split(',')
        .filter_map(|tag| tag.trim().split(['-', '_']).next())
        .find_map(|primary| primary.parse().ok())
}

fn to_chrono(date: &mail_parser::DateTime) -> Option<DateTime<FixedOffset>> {
    let offset_seconds =
        (i32::from(date.tz_hour) * 3600 + i32::from(date.tz_minute) * 60) * if date.tz_before_gmt { -1 } else { 1 };
    let offset = FixedOffset::east_opt(offset_seconds)?;
    offset.timestamp_opt(date.to_timestamp(), 0).single()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_lose_their_brackets() {
        assert_eq!(normalize_message_id(" <a.b@news.example.fi> "), "a.b@news.example.fi");
        assert_eq!(normalize_message_id("a.b@news.example.fi"), "a.b@news.example.fi");
    }

    #[test]
    fn content_language_names_the_primary_language() {
        assert_eq!(primary_language("sv-SE"), Some(Language::Sv));
        assert_eq!(primary_language("de-DE, fi-FI"), Some(Language::Fi));
        assert_eq!(primary_language("de"), None);
    }

    #[test]
    fn folded_values_unfold() {
        assert_eq!(
            unfold(" smtp; 550 5.1.1 user\r\n    unknown\r\n"),
            "smtp; 550 5.1.1 user unknown"
        );
    }
}
