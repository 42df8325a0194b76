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
}
