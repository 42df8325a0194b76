//! People who use the console: one account per person, with a role and the language of their
//! console, and the rules for their passwords.
//!
//! Passwords follow OWASP ASVS 4 level 2 (V2.1): at least 12 characters and up to 128, any
//! characters (spaces and emoji too, counted as characters), no composition rules, and none of
//! the passwords people pick first. They are stored only as Argon2id hashes with the crate's
//! defaults (19 MiB, 2 passes, 1 lane: OWASP's recommended minimum), each with its own salt.

use std::fmt;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::access::Role;
use crate::audience::EmailAddress;
use crate::ids::AccountId;
use crate::language::Language;

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;
const MAX_NAME_CHARS: usize = 100;

/// Passwords too common to accept whatever their length, lower-cased (ASVS 2.1.7 asks for a
/// check against breached passwords; these are the ones that lead every such list at 12
/// characters or more, and the project's own name).
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678910",
    "123456789123",
    "qwertyuiopasdf",
    "qwerty123456",
    "1q2w3e4r5t6y",
    "password1234",
    "password12345",
    "passwordpassword",
    "salasana1234",
    "salasana12345",
    "lösenord1234",
    "iloveyou1234",
    "abcdefghijkl",
    "abc123456789",
    "aaaaaaaaaaaa",
    "111111111111",
    "000000000000",
    "briefcast123",
    "briefcast1234",
    "coronafacts2020",
];

/// A password as typed, kept out of logs and debug output.
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(********)")
    }
}

/// Why a password was refused. The messages never repeat the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRejected {
    #[error("the password is too short: at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("the password is too long: at most {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    #[error("the password is one of the most common ones; choose another")]
    Common,
    #[error("the password holds control characters")]
    ControlCharacters,
}

impl Password {
    /// Checks the rules. A trailing newline (from `--password-stdin`) is not part of it.
    pub fn new(raw: &str) -> Result<Password, PasswordRejected> {
        let raw = raw.strip_suffix('\n').unwrap_or(raw);
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let chars = raw.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(PasswordRejected::TooShort);
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(PasswordRejected::TooLong);
        }
        if raw.chars().any(char::is_control) {
            return Err(PasswordRejected::ControlCharacters);
        }
        let lower = raw.to_lowercase();
        let mut distinct: Vec<char> = lower.chars().collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < 3 || COMMON.contains(&lower.as_str()) {
            return Err(PasswordRejected::Common);
        }
        Ok(Password(raw.to_string()))
    }

    /// The Argon2id hash to store, as a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
    pub fn hash(&self) -> Result<String, HashError> {
        Argon2::default()
            .hash_password(self.0.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| HashError(e.to_string()))
    }

    /// Whether this is the password `stored` was made from.
    pub fn matches(&self, stored: &str) -> bool {
        typed_matches(&self.0, stored)
    }
}

/// Whether a password typed at sign-in is the one `stored` was made from. The typed password is
/// not held to the rules for new ones: it is only compared. A stored value that is not a hash
/// matches nothing.
pub fn typed_matches(typed: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| Argon2::default().verify_password(typed.as_bytes(), &hash).is_ok())
}

#[derive(Debug, thiserror::Error)]
#[error("hashing the password failed: {0}")]
pub struct HashError(String);

/// Why an account's name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameRejected {
    #[error("the name is empty")]
    Empty,
    #[error("the name is too long: at most {MAX_NAME_CHARS} characters")]
    TooLong,
    #[error("the name holds control characters")]
    ControlCharacters,
}

/// A person's name as the audit log and the console show it.
pub fn check_name(raw: &str) -> Result<String, NameRejected> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(NameRejected::Empty);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(NameRejected::TooLong);
    }
    if name.chars().any(char::is_control) {
        return Err(NameRejected::ControlCharacters);
    }
    Ok(name.to_string())
}

/// An account to create; its password comes as a hash beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub email: EmailAddress,
    pub name: String,
    pub role: Role,
    pub language: Language,
}

/// An account as listed: never its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountSummary {
    pub id: AccountId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub language: Language,
    pub created_at: DateTime<Utc>,
    pub password_changed_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
    /// Whether signing in also asks for a code from an authenticator app.
    pub second_factor: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_are_length_and_commonness_not_composition() {
        assert_eq!(Password::new("short pass").unwrap_err(), PasswordRejected::TooShort);
        assert_eq!(Password::new(&"x".repeat(129)).unwrap_err(), PasswordRejected::TooLong);
        assert_eq!(Password::new("Password1234").unwrap_err(), PasswordRejected::Common);
        assert_eq!(Password::new("abababababab").unwrap_err(), PasswordRejected::Common);
        assert_eq!(
            Password::new("tab\there and more").unwrap_err(),
            PasswordRejected::ControlCharacters
        );
        // A passphrase of lower-case words with spaces is fine; so are non-Latin letters,
        // counted as characters, not bytes.
        assert!(Password::new("kuusi kurkea kukkulalla").is_ok());
        assert!(Password::new("hyvää yötä 🌙🌙").is_ok());
        // The newline that `--password-stdin` reads is not part of the password.
        let typed = Password::new("kuusi kurkea kukkulalla\n").unwrap();
        assert!(typed.matches(&Password::new("kuusi kurkea kukkulalla").unwrap().hash().unwrap()));
    }

    #[test]
    fn a_hash_is_argon2id_salted_and_matches_only_its_password() {
        let password = Password::new("kuusi kurkea kukkulalla").unwrap();
        let first = password.hash().unwrap();
        let second = password.hash().unwrap();
        assert!(first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{first}");
        assert_ne!(first, second, "each hash has its own salt");
        assert!(password.matches(&first) && password.matches(&second));
        assert!(!Password::new("kuusi kurkea kukkulalla!").unwrap().matches(&first));
        assert!(!password.matches("not a hash"));
        assert!(!format!("{password:?}").contains("kuusi"));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(check_name("  Aino Virtanen ").unwrap(), "Aino Virtanen");
        assert_eq!(check_name("   ").unwrap_err(), NameRejected::Empty);
        assert_eq!(check_name(&"a".repeat(101)).unwrap_err(), NameRejected::TooLong);
        assert_eq!(check_name("Aino\u{7}").unwrap_err(), NameRejected::ControlCharacters);
    }
}
