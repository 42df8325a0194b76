//! One person on the roster.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::EmailAddress;
use crate::cadence::Cadence;
use crate::ids::InfluencerId;
use crate::language::Language;

/// An influencer as the roster holds them. Lists are lowercased and kept in file order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Influencer {
    pub email: EmailAddress,
    pub name: String,
    pub language: Language,
    pub platforms: Vec<String>,
    pub followers: u64,
    pub topics: Vec<String>,
    pub region: String,
    pub tier: String,
    pub cadence: Cadence,
    pub consent_at: DateTime<Utc>,
    pub consent_source: String,
}

/// An influencer as stored, with the bookkeeping the store adds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredInfluencer {
    pub id: InfluencerId,
    #[serde(flatten)]
    pub influencer: Influencer,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The platforms a roster may name. A typo such as `tiktokk` is a rejected row, not a new platform.
pub const PLATFORMS: &[&str] = &[
    "instagram",
    "tiktok",
    "youtube",
    "x",
    "facebook",
    "threads",
    "snapchat",
    "twitch",
    "linkedin",
    "bluesky",
];
