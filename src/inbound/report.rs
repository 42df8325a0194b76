//! What bounce (RFC 3464) and complaint (RFC 5965) reports share: a `multipart/report` whose
//! machine-readable part is a list of header-style field groups, and a copy of our message.

use mail_parser::{Message, MessageParser, MimeHeaders, PartType};
use serde::Serialize;

use super::headers::{normalize_message_id, unfold};
use super::match_keys::token_in_address;

/// What a report returns of the message we sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReturnedHeaders {
    pub message_id: Option<String>,
    /// Its To addresses, lowercased; often redacted in complaints.
    pub to: Vec<String>,
    /// Our token addresses found in it (Reply-To, List-Unsubscribe, Return-Path), which name the
    /// delivery even when a mail system has rewritten every recipient.
    pub token_addresses: Vec<String>,
}

/// One `Name: value` field of a report, name lowercased, value unfolded.
pub(crate) type Field = (String, String);

/// The decoded body of the first part whose type is `message/<subtype>` for one of `subtypes`,
/// inside a `multipart/report` (RFC 6522 §3) message.
pub(crate) fn report_body(message: &Message<'_>, subtypes: &[&str]) -> Option<String> {
    let root = message.root_part().content_type()?;
    let is_report = root.ctype().eq_ignore_ascii_case("multipart")
        && root.subtype().is_some_and(|s| s.eq_ignore_ascii_case("report"));
    if !is_report {
        return None;
    }
    message.parts.iter().find_map(|part| {
        let ct = part.content_type()?;
        let wanted = ct.ctype().eq_ignore_ascii_case("message")
            && ct
                .subtype()
                .is_some_and(|s| subtypes.iter().any(|w| s.eq_ignore_ascii_case(w)));
        if !wanted {
            return None;
        }
        match &part.body {
            PartType::Text(text) => Some(text.to_string()),
            PartType::Binary(bytes) | PartType::InlineBinary(bytes) => {
                Some(String::from_utf8_lossy(bytes).into_owned())
            }
            // A report part that mail-parser took for a whole message: its raw bytes are the fields.
            PartType::Message(inner) => Some(String::from_utf8_lossy(inner.raw_message()).into_owned()),
            PartType::Html(_) | PartType::Multipart(_) => None,
        }
    })
}

/// RFC 3464 §2.1 and RFC 5965 §3.1: groups of fields separated by blank lines, each field in
/// RFC 5322 header syntax (so folded lines continue with white space).
pub(crate) fn field_groups(body: &str) -> Vec<Vec<Field>> {
    let mut groups = Vec::new();
    let mut group: Vec<Field> = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in body.lines() {
        if line.trim().is_empty() {
            group.extend(current.take());
            if !group.is_empty() {
                groups.push(std::mem::take(&mut group));
            }
        } else if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = current.as_mut() {
                value.push('\n');
                value.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            group.extend(current.take());
            current = Some((name.trim().to_ascii_lowercase(), value.to_string()));
        }
    }
    group.extend(current.take());
    if !group.is_empty() {
        groups.push(group);
    }
    groups
        .into_iter()
        .map(|g| g.into_iter().map(|(name, value)| (name, unfold(&value))).collect())
        .collect()
}

pub(crate) fn field<'a>(group: &'a [Field], name: &str) -> Option<&'a str> {
    group
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

pub(crate) fn fields<'a>(group: &'a [Field], name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    group.iter().filter(move |(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// `rfc822; Aino@Example.com` → `aino@example.com` (RFC 3464 §2.3.2: address-type; address),
/// lowercased like every roster address.
pub(crate) fn typed_address(value: &str) -> String {
    bare_address(value).to_lowercase()
}

/// The address without its type or brackets, case kept: our own envelope sender carries a
/// case-sensitive token.
pub(crate) fn bare_address(value: &str) -> String {
    let address = value.split_once(';').map_or(value, |(_, address)| address);
    address
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_string()
}

/// The returned copy of our message: a `text/rfc822-headers` part (RFC 6522 §4) or a whole
/// `message/rfc822` part.
pub(crate) fn returned_headers(message: &Message<'_>) -> Option<ReturnedHeaders> {
    message.parts.iter().skip(1).find_map(|part| {
        let ct = part.content_type()?;
        let subtype = ct.subtype().unwrap_or_default().to_ascii_lowercase();
        match (&part.body, ct.ctype().to_ascii_lowercase().as_str(), subtype.as_str()) {
            (PartType::Message(inner), _, _) => Some(describe(inner)),
            (PartType::Text(text), "text" | "message", "rfc822-headers") => MessageParser::default()
                .parse_headers(text.as_bytes())
                .map(|inner| describe(&inner)),
            (PartType::Binary(bytes) | PartType::InlineBinary(bytes), "message", "rfc822" | "rfc822-headers") => {
                MessageParser::default()
                    .parse_headers(bytes.as_ref())
                    .map(|inner| describe(&inner))
            }
            _ => None,
        }
    })
}

fn describe(inner: &Message<'_>) -> ReturnedHeaders {
    let mut token_addresses: Vec<String> = Vec::new();
    for name in ["Reply-To", "List-Unsubscribe", "Return-Path", "Sender"] {
        let Some(raw) = inner.header_raw(name) else { continue };
        for candidate in raw.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | ',' | '"')) {
            let address = candidate.trim_start_matches("mailto:");
            let address = address.split('?').next().unwrap_or(address);
            if token_in_address(address).is_some() && !token_addresses.iter().any(|a| a == address) {
                token_addresses.push(address.to_string());
            }
        }
    }
    ReturnedHeaders {
        message_id: inner.message_id().map(normalize_message_id).filter(|id| !id.is_empty()),
        to: inner
            .to()
            .map(|to| to.iter().filter_map(|a| a.address()).map(str::to_lowercase).collect())
            .unwrap_or_default(),
        token_addresses,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_groups_split_on_blank_lines_and_unfold() {
        let body = "Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; a@example.org\r\n\
                    Diagnostic-Code: smtp; 550 5.1.1 user\r\n    unknown\r\n\r\n\r\n";
        let groups = field_groups(body);
        assert_eq!(groups.len(), 2);
        assert_eq!(field(&groups[0], "reporting-mta"), Some("dns; mx.example.org"));
        assert_eq!(
            field(&groups[1], "diagnostic-code"),
            Some("smtp; 550 5.1.1 user unknown")
        );
    }

    #[test]
    fn typed_addresses_are_bare_and_lowercase() {
        assert_eq!(
            typed_address("rfc822; <Priya.Nair@Example.org>"),
            "priya.nair@example.org"
        );
        assert_eq!(typed_address("priya.nair@example.org"), "priya.nair@example.org");
    }
}
