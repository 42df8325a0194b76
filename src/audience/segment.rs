//! Segments: saved filters over the roster.

use serde::{Deserialize, Serialize};

use super::influencer::PLATFORMS;
use crate::cadence::Cadence;
use crate::language::Language;

/// A saved filter. Within one field any listed value matches; across fields all must match;
/// an empty field does not filter. Suppressed addresses are never members, whatever the filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SegmentFilter {
    pub languages: Vec<Language>,
    pub platforms: Vec<String>,
    pub tiers: Vec<String>,
    pub topics: Vec<String>,
    pub regions: Vec<String>,
    pub cadences: Vec<Cadence>,
    pub min_followers: Option<u64>,
    pub max_followers: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SegmentError {
    #[error("name: `{0}` is not a segment name (use letters, digits, `-` and `_`, at most 64)")]
    BadName(String),
    #[error("platform: `{0}` is not a known platform (known: {known})", known = PLATFORMS.join(", "))]
    UnknownPlatform(String),
    #[error("followers: the minimum {min} is above the maximum {max}")]
    EmptyRange { min: u64, max: u64 },
}

/// A named segment, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub name: String,
    pub filter: SegmentFilter,
}

impl Segment {
    pub fn new(name: &str, filter: SegmentFilter) -> Result<Self, SegmentError> {
        let name = name.trim();
        let name_ok =
            !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_');
        if !name_ok {
            return Err(SegmentError::BadName(name.to_string()));
        }
        Ok(Segment {
            name: name.to_string(),
            filter: filter.normalised()?,
        })
    }
}

impl SegmentFilter {
    /// Lowercases free-text values and checks what can be checked, so that a stored filter
    /// compares the way the roster stores its values.
    pub fn normalised(mut self) -> Result<Self, SegmentError> {
        let lower = |v: &mut Vec<String>| {
            for s in v.iter_mut() {
                *s = s.trim().to_lowercase();
            }
            v.retain(|s| !s.is_empty());
            v.sort();
            v.dedup();
        };
        lower(&mut self.platforms);
        lower(&mut self.tiers);
        lower(&mut self.topics);
        lower(&mut self.regions);
        self.languages.sort();
        self.languages.dedup();
        self.cadences.sort();
        self.cadences.dedup();
        if let Some(unknown) = self.platforms.iter().find(|p| !PLATFORMS.contains(&p.as_str())) {
            return Err(SegmentError::UnknownPlatform(unknown.clone()));
        }
        if let (Some(min), Some(max)) = (self.min_followers, self.max_followers)
            && min > max
        {
            return Err(SegmentError::EmptyRange { min, max });
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_normalised() {
        let s = Segment::new(
            "sv-tiktok",
            SegmentFilter {
                platforms: vec!["TikTok".into()],
                regions: vec![" Uusimaa ".into()],
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(s.filter.platforms, vec!["tiktok"]);
        assert_eq!(s.filter.regions, vec!["uusimaa"]);
    }

    #[test]
    fn bad_segments_are_refused_with_the_field() {
        assert!(matches!(
            Segment::new("has space", SegmentFilter::default()),
            Err(SegmentError::BadName(_))
        ));
        let f = SegmentFilter {
            platforms: vec!["myspace".into()],
            ..Default::default()
        };
        assert_eq!(
            Segment::new("a", f).unwrap_err(),
            SegmentError::UnknownPlatform("myspace".into())
        );
        let f = SegmentFilter {
            min_followers: Some(10),
            max_followers: Some(5),
            ..Default::default()
        };
        assert!(Segment::new("a", f).unwrap_err().to_string().starts_with("followers:"));
    }
}
