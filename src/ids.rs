//! Keys of stored things, one newtype each, so that a brief's id is never passed where an
//! edition's is expected. Each reads from text as a positive number (`#12` too) and is
//! written as one.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type)]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim()
                    .trim_start_matches('#')
                    .parse::<i64>()
                    .ok()
                    .filter(|id| *id > 0)
                    .map($name)
                    .ok_or_else(|| format!("`{s}` is not {} id (a positive number)", $what))
            }
        }
    };
}

id_type!(
    /// An edition's key in the store.
    EditionId,
    "an edition"
);
id_type!(
    /// A delivery's key in the store.
    DeliveryId,
    "a delivery"
);
id_type!(
    /// A stored schedule's key.
    ScheduleId,
    "a schedule"
);
id_type!(
    /// A stored brief's key.
    BriefId,
    "a brief"
);
id_type!(
    /// A question's key in the log.
    QuestionId,
    "a question"
);
id_type!(
    /// An influencer's key in the roster.
    InfluencerId,
    "an influencer"
);
id_type!(
    /// A stored reply's key.
    ReplyId,
    "a reply"
);
id_type!(
    /// An API token's key (never the token itself).
    TokenId,
    "a token"
);
id_type!(
    /// A person's account (console sign-in).
    AccountId,
    "an account"
);
