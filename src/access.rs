//! API tokens and the roles they carry.

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ids::TokenId;

/// What a token may do. Approvers can do everything coordinators can, and approve briefs;
/// ops see deliveries and editions but not the roster's personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Coordinator,
    Approver,
    Ops,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Coordinator => "coordinator",
            Role::Approver => "approver",
            Role::Ops => "ops",
        }
    }

    /// Whether this role may read the roster's personal data (addresses above all). Ops may not:
    /// theirs is the token that sits in a mail provider's configuration.
    pub fn sees_personal_data(self) -> bool {
        self.coordinates()
    }

    /// Whether this role may act on the roster, briefs, segments and questions.
    pub fn coordinates(self) -> bool {
        matches!(self, Role::Coordinator | Role::Approver)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "coordinator" => Ok(Role::Coordinator),
            "approver" => Ok(Role::Approver),
            "ops" => Ok(Role::Ops),
            other => Err(format!(
                "role `{other}` does not exist (use coordinator, approver or ops)"
            )),
        }
    }
}

/// Who did something, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(pub String);

impl Actor {
    /// Someone at the command line: the command line is trusted with the machine's own user name.
    pub fn cli() -> Self {
        let user = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .unwrap_or_else(|_| "unknown".into());
        Actor(format!("cli:{user}"))
    }

    /// A person signed in to the console, by name and address, as the audit log shows them.
    pub fn person(name: &str, email: &str) -> Self {
        Actor(format!("{name} <{email}>"))
    }

    /// The daemon acting on its own rules (the sender guard pausing an edition, say).
    pub fn daemon() -> Self {
        Actor("briefcast".to_string())
    }

    pub fn token(label: &str, id: TokenId) -> Self {
        Actor(format!("token:{id}:{label}"))
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who asks a use case to act: the person or token, as the audit log names them, and the role
/// they hold. Every interface builds one and every use case checks it, so a rule about roles is
/// written once, in the use case, whichever way the request came in.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub role: Role,
}

/// A use case refused for the caller's role: the least role that would have done, and a
/// message that names it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Denied {
    pub needs: Role,
    pub message: String,
}

impl Caller {
    /// The command line. Whoever runs it on the server holds the database and the secret
    /// already, so it acts with every role; the audit log names the machine user.
    pub fn cli() -> Self {
        Caller {
            actor: Actor::cli(),
            role: Role::Approver,
        }
    }

    /// Approvers only: approving briefs, managing tokens.
    pub fn must_approve(&self) -> Result<(), Denied> {
        if self.role == Role::Approver {
            Ok(())
        } else {
            Err(Denied {
                needs: Role::Approver,
                message: format!("this needs the approver role; the token has the {} role", self.role),
            })
        }
    }

    /// Coordinators and approvers: the roster, briefs, segments, schedules and questions.
    pub fn must_coordinate(&self) -> Result<(), Denied> {
        if self.role.coordinates() {
            Ok(())
        } else {
            Err(Denied {
                needs: Role::Coordinator,
                message: format!(
                    "this needs the coordinator or approver role; the token has the {} role",
                    self.role
                ),
            })
        }
    }

    /// Ops only: posting inbound mail. That token sits in a mail provider's configuration, so it
    /// is one that cannot read the roster or the question log if it leaks.
    pub fn must_post_inbound(&self) -> Result<(), Denied> {
        if self.role == Role::Ops {
            Ok(())
        } else {
            Err(Denied {
                needs: Role::Ops,
                message: format!(
                    "posting inbound mail needs an ops token; this token has the {} role",
                    self.role
                ),
            })
        }
    }

    /// Ops, coordinators and approvers: watching editions and deliveries, pausing, resuming,
    /// cancelling and resending. Today every role may; the match is exhaustive so that a role
    /// added later (a read-only viewer, say) must be placed here on purpose.
    pub fn must_operate(&self) -> Result<(), Denied> {
        match self.role {
            Role::Ops | Role::Coordinator | Role::Approver => Ok(()),
        }
    }
}

/// A freshly made token: 32 random bytes, shown once. Only its hash is stored.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    format!("bc_{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a token. Tokens carry 256 bits of entropy, so a plain hash is enough.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(a.starts_with("bc_") && a.len() > 40);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
    }

    #[test]
    fn only_coordinators_and_approvers_coordinate() {
        assert!(Role::Coordinator.coordinates() && Role::Approver.coordinates());
        assert!(!Role::Ops.coordinates());
        assert!("admin".parse::<Role>().is_err());
    }
}
