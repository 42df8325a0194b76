//! Email addresses as the roster keeps them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A syntactically valid address, lowercased: addresses compare case-insensitively everywhere,
/// so the canonical form is the only form stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a valid email address")]
pub struct InvalidEmail(pub String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, InvalidEmail> {
        let trimmed = raw.trim();
        // email_address follows RFC 5322/5321; we also insist on a dotted domain, since a roster
        // address without one (`aino@localhost`) is a typo, not a mailbox we will ever reach.
        let valid = email_address::EmailAddress::from_str(trimmed)
            .ok()
            .filter(|parsed| parsed.domain().contains('.') && !trimmed.contains(char::is_whitespace));
        match valid {
            Some(_) => Ok(EmailAddress(trimmed.to_lowercase())),
            None => Err(InvalidEmail(trimmed.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key under which suppressions are kept, so an erased address leaves no readable trace.
    pub fn hash(&self) -> String {
        hash_address(&self.0)
    }
}

/// SHA-256 of the lowercased address, hex-encoded.
pub fn hash_address(address: &str) -> String {
    hex::encode(Sha256::digest(address.trim().to_lowercase().as_bytes()))
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = InvalidEmail;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        EmailAddress::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

/// An address as someone without access to the roster may see it: `a***@example.com`.
pub fn mask(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_string(),
    }
}

/// `text` with every address in it masked, as in a mail server's answer
/// (`550 5.1.1 <aino@example.com>: Recipient address rejected`).
pub fn mask_addresses(text: &str) -> String {
    let is_boundary = |c: char| c.is_whitespace() || "<>()[],;:\"'".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.contains('@') {
            out.push_str(&mask(word));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if is_boundary(c) {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_lowercased() {
        let a = EmailAddress::parse("AINO.VIRTANEN@EXAMPLE.COM").unwrap();
        assert_eq!(a.as_str(), "aino.virtanen@example.com");
        assert_eq!(
            a.hash(),
            EmailAddress::parse("aino.virtanen@example.com").unwrap().hash()
        );
    }

    #[test]
    fn rejects_what_is_not_an_address() {
        for bad in ["not-an-email", "a@b", "two@@example.com", "sp ace@example.com", ""] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn accepts_plus_and_unicode_names() {
        assert!(EmailAddress::parse("aino+news@example.fi").is_ok());
    }

    #[test]
    fn masking_leaves_no_address_readable() {
        assert_eq!(mask("aino.virtanen@example.com"), "a***@example.com");
        assert_eq!(
            mask_addresses("550 5.1.1 <aino.virtanen@example.com>: Recipient address rejected"),
            "550 5.1.1 <a***@example.com>: Recipient address rejected"
        );
        assert_eq!(mask_addresses("250 2.0.0 Ok: queued"), "250 2.0.0 Ok: queued");
    }
}
