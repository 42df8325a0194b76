//! Tags coordinators put on questions to group them beyond their brief ("water", "schools").

use std::fmt;

use serde::{Deserialize, Serialize};

/// Lowercase letters (any script), digits and `-`, at most 40 characters. Stored between `;` in
/// one column, so a tag can never contain `;`, `%` or `_` that would confuse the LIKE lookup.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tag(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("tag `{0}`: use letters, digits and `-`, at most 40 characters")]
pub struct InvalidTag(pub String);

impl Tag {
    pub fn parse(raw: &str) -> Result<Tag, InvalidTag> {
        let tag = raw.trim().to_lowercase();
        let valid =
            !tag.is_empty() && tag.chars().count() <= 40 && tag.chars().all(|c| c.is_alphanumeric() || c == '-');
        if valid {
            Ok(Tag(tag))
        } else {
            Err(InvalidTag(raw.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Tag {
    type Error = InvalidTag;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Tag::parse(&value)
    }
}

impl From<Tag> for String {
    fn from(tag: Tag) -> String {
        tag.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_lowercase_words() {
        assert_eq!(Tag::parse(" Vesi ").unwrap().as_str(), "vesi");
        assert_eq!(Tag::parse("sähkö-katko").unwrap().as_str(), "sähkö-katko");
        for bad in ["", "a;b", "50%", "with space", "under_score", &"x".repeat(41)] {
            assert!(Tag::parse(bad).is_err(), "{bad}");
        }
    }
}
