//! Cadences: how often a reader receives editions, and which editions a brief is for.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How often an influencer receives editions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    Daily,
    Weekly,
    Monthly,
}

impl Cadence {
    pub const ALL: [Cadence; 3] = [Cadence::Daily, Cadence::Weekly, Cadence::Monthly];

    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Daily => "daily",
            Cadence::Weekly => "weekly",
            Cadence::Monthly => "monthly",
        }
    }
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cadence `{0}` is not offered (use daily, weekly or monthly)")]
pub struct UnknownCadence(pub String);

impl FromStr for Cadence {
    type Err = UnknownCadence;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "daily" => Ok(Cadence::Daily),
            "weekly" => Ok(Cadence::Weekly),
            "monthly" => Ok(Cadence::Monthly),
            _ => Err(UnknownCadence(s.trim().to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cadences_parse_case_insensitively_and_reject_others() {
        assert_eq!("Monthly".parse::<Cadence>(), Ok(Cadence::Monthly));
        let err = "hourly".parse::<Cadence>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "cadence `hourly` is not offered (use daily, weekly or monthly)"
        );
    }
}
