//! The keys that find the delivery a reply belongs to, best first.

use serde::Serialize;

use super::ReplyKind;
use super::headers::ReplyHeaders;
use crate::audience::EmailAddress;

/// The mailboxes briefcast hands out, each with a token naming one delivery:
/// `Reply-To: questions+TOKEN@…`, the envelope sender `bounces+TOKEN@…` and the
/// `List-Unsubscribe` mailto `unsubscribe+TOKEN@…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mailbox {
    Questions,
    Bounces,
    Unsubscribe,
}

impl Mailbox {
    fn from_local_prefix(prefix: &str) -> Option<Mailbox> {
        match prefix.to_ascii_lowercase().as_str() {
            "questions" => Some(Mailbox::Questions),
            "bounces" => Some(Mailbox::Bounces),
            "unsubscribe" => Some(Mailbox::Unsubscribe),
            _ => None,
        }
    }
}

/// Where a token address was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenPlace {
    /// A recipient of this message: the strongest evidence.
    Recipient,
    /// The headers of our own message, returned inside a bounce or complaint report.
    ReturnedMessage,
}

/// A token from a `mailbox+TOKEN@domain` address. The token is unverified: the caller checks
/// its signature before trusting it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenKey {
    pub mailbox: Mailbox,
    /// Case kept: tokens are base64url.
    pub token: String,
    /// Lowercased, so the caller can check it is the configured reply domain.
    pub domain: String,
    pub found_in: TokenPlace,
}

/// Keys in order of preference: a token, else a Message-ID of ours, else an address.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MatchKeys {
    pub tokens: Vec<TokenKey>,
    /// For replies: In-Reply-To, then References from the newest back (RFC 5322 §3.6.4 lists
    /// them oldest first). For reports: the Message-ID of our returned message first.
    pub message_ids: Vec<String>,
    /// For replies, the sender; for bounces and complaints, the recipients they report on
    /// (the sender of a report is a mail system, never an influencer).
    pub addresses: Vec<EmailAddress>,
}

impl MatchKeys {
    pub(crate) fn from_headers(headers: &ReplyHeaders) -> MatchKeys {
        let mut keys = MatchKeys::default();
        for recipient in &headers.recipients {
            keys.push_token_from(recipient, TokenPlace::Recipient);
        }
        let mut ids = headers.in_reply_to.clone();
        ids.extend(headers.references.iter().rev().cloned());
        for id in ids {
            keys.push_message_id(id);
        }
        keys.addresses.extend(headers.from.clone());
        keys
    }

    /// Reports describe another message: their keys come from what they report on.
    pub(crate) fn add_report_keys(&mut self, kind: &ReplyKind) {
        let (returned, addresses, envelope_sender): (Option<&super::report::ReturnedHeaders>, Vec<&str>, _) = match kind
        {
            ReplyKind::Bounce(bounce) => (
                bounce.returned.as_ref(),
                bounce.recipients.iter().map(|r| r.final_recipient.as_str()).collect(),
                None,
            ),
            ReplyKind::Complaint(complaint) => (
                complaint.returned.as_ref(),
                complaint.original_recipients.iter().map(String::as_str).collect(),
                complaint.original_mail_from.as_deref(),
            ),
            _ => return,
        };
        if let Some(sender) = envelope_sender {
            self.push_token_from(sender, TokenPlace::ReturnedMessage);
        }
        if let Some(returned) = returned {
            for address in &returned.token_addresses {
                self.push_token_from(address, TokenPlace::ReturnedMessage);
            }
            if let Some(id) = &returned.message_id {
                self.message_ids.retain(|known| known != id);
                self.message_ids.insert(0, id.clone());
            }
        }
        self.addresses = addresses
            .into_iter()
            .filter_map(|a| EmailAddress::parse(a).ok())
            .collect();
        self.addresses.dedup();
    }

    fn push_token_from(&mut self, address: &str, found_in: TokenPlace) {
        if let Some((mailbox, token, domain)) = token_in_address(address)
            && !self
                .tokens
                .iter()
                .any(|known| known.token == token && known.mailbox == mailbox)
        {
            self.tokens.push(TokenKey {
                mailbox,
                token,
                domain,
                found_in,
            });
        }
    }

    fn push_message_id(&mut self, id: String) {
        if !self.message_ids.contains(&id) {
            self.message_ids.push(id);
        }
    }
}

/// `questions+AbC123xyz@replies.example.fi` → (Questions, `AbC123xyz`, `replies.example.fi`).
/// The mailbox prefix is case-insensitive; the token is not and must be base64url plus `.`.
pub(crate) fn token_in_address(address: &str) -> Option<(Mailbox, String, String)> {
    let address = address.trim().trim_start_matches("mailto:");
    let (local, domain) = address.rsplit_once('@')?;
    let (prefix, token) = local.split_once('+')?;
    let mailbox = Mailbox::from_local_prefix(prefix)?;
    let token_is_valid = !token.is_empty()
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !token_is_valid || domain.is_empty() {
        return None;
    }
    Some((mailbox, token.to_string(), domain.to_ascii_lowercase()))
}

/// The briefcast mailbox an address names, with or without a token.
pub(crate) fn mailbox_of(address: &str) -> Option<Mailbox> {
    let (local, _) = address.trim().rsplit_once('@')?;
    let prefix = local.split_once('+').map_or(local, |(prefix, _)| prefix);
    Mailbox::from_local_prefix(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_their_case_and_mailbox() {
        assert_eq!(
            token_in_address("Questions+AbC-12_x.Y@Replies.Example.FI"),
            Some((
                Mailbox::Questions,
                "AbC-12_x.Y".to_string(),
                "replies.example.fi".to_string()
            ))
        );
        assert_eq!(
            token_in_address("mailto:unsubscribe+t0k@r.example.fi").map(|t| t.0),
            Some(Mailbox::Unsubscribe)
        );
    }

    #[test]
    fn other_addresses_carry_no_token() {
        for address in [
            "questions@replies.example.fi",
            "questions+@replies.example.fi",
            "aino+news@example.com",
            "bounces+to ken@replies.example.fi",
            "bounces+tok<en@replies.example.fi",
            "questions+token",
        ] {
            assert_eq!(token_in_address(address), None, "{address}");
        }
    }
}
