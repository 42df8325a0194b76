//! Platform limits, read from `content/platforms.toml` (a built-in copy when there is none).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::hashtag::hashtags_in;
use super::weighted::x_weighted_length;

const EMBEDDED: &str = include_str!("../../content/platforms.toml");
const FILE_NAME: &str = "platforms.toml";

/// The brief fields a limit can name.
pub const LIMITED_FIELDS: &[&str] = &[
    "instagram.caption",
    "tiktok.script",
    "youtube.title",
    "youtube.description",
    "x.post",
];

/// What a limit counts. Platforms disagree: Instagram counts characters, TikTok's API UTF-16
/// units, YouTube's description bytes, X a weighted length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Chars,
    Utf16,
    Bytes,
    XWeighted,
    Hashtags,
}

impl Unit {
    pub fn count(self, text: &str) -> usize {
        match self {
            Unit::Chars => text.chars().count(),
            Unit::Utf16 => text.encode_utf16().count(),
            Unit::Bytes => text.len(),
            Unit::XWeighted => x_weighted_length(text),
            Unit::Hashtags => hashtags_in(text).len(),
        }
    }

    /// The unit's name after a count, for problem reports.
    pub fn name(self, count: usize) -> &'static str {
        match (self, count == 1) {
            (Unit::Chars, true) => "character",
            (Unit::Chars, false) => "characters",
            (Unit::Utf16, true) => "UTF-16 unit",
            (Unit::Utf16, false) => "UTF-16 units",
            (Unit::Bytes, true) => "byte in UTF-8",
            (Unit::Bytes, false) => "bytes in UTF-8 (ä, ö and å take two)",
            (Unit::XWeighted, _) => "weighted characters (a link counts 23, an emoji 2)",
            (Unit::Hashtags, true) => "hashtag",
            (Unit::Hashtags, false) => "hashtags",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub field: String,
    pub unit: Unit,
    pub max: Option<usize>,
    #[serde(default)]
    pub forbidden: String,
    pub via: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformLimits {
    #[serde(rename = "limit", default)]
    limits: Vec<Limit>,
}

#[derive(Debug, thiserror::Error)]
pub enum LimitsError {
    #[error("reading {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
}

impl PlatformLimits {
    /// The limits built into briefcast.
    pub fn embedded() -> PlatformLimits {
        Self::parse(EMBEDDED, Path::new("(built-in) platforms.toml")).expect("the built-in platforms.toml is valid")
    }

    /// `platforms.toml` from the content folder when it has one, else the built-in limits.
    pub fn load(content_dir: &Path) -> Result<PlatformLimits, LimitsError> {
        let path = content_dir.join(FILE_NAME);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::embedded()),
            Err(source) => Err(LimitsError::Read { path, source }),
        }
    }

    pub fn parse(text: &str, path: &Path) -> Result<PlatformLimits, LimitsError> {
        let invalid = |message: String| LimitsError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let limits: PlatformLimits = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        for (i, limit) in limits.limits.iter().enumerate() {
            if !LIMITED_FIELDS.contains(&limit.field.as_str()) {
                return Err(invalid(format!(
                    "limit {}: unknown field `{}` (use one of {})",
                    i + 1,
                    limit.field,
                    LIMITED_FIELDS.join(", ")
                )));
            }
            if limit.max.is_none() && limit.forbidden.is_empty() {
                return Err(invalid(format!(
                    "limit {} ({}): needs `max` or `forbidden`",
                    i + 1,
                    limit.field
                )));
            }
        }
        Ok(limits)
    }

    pub fn for_field<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Limit> + 'a {
        self.limits.iter().filter(move |l| l.field == field)
    }

    pub fn all(&self) -> &[Limit] {
        &self.limits
    }
}

/// `2305` → `2,305`: counts in problem reports, which are written in English.
pub(crate) fn group_digits(n: usize, separator: &str) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * separator.len());
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_limits_are_the_2026_values() {
        let limits = PlatformLimits::embedded();
        let max = |field, unit| limits.for_field(field).find(|l| l.unit == unit).and_then(|l| l.max);
        assert_eq!(max("instagram.caption", Unit::Chars), Some(2200));
        assert_eq!(max("instagram.caption", Unit::Hashtags), Some(5));
        assert_eq!(max("tiktok.script", Unit::Chars), Some(4000));
        assert_eq!(max("tiktok.script", Unit::Utf16), Some(2200));
        assert_eq!(max("youtube.title", Unit::Chars), Some(100));
        assert_eq!(max("youtube.description", Unit::Bytes), Some(5000));
        assert_eq!(max("x.post", Unit::XWeighted), Some(280));
    }

    #[test]
    fn a_file_on_disk_wins_over_the_built_in_copy() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE_NAME),
            "[[limit]]\nfield = \"x.post\"\nunit = \"chars\"\nmax = 500\n",
        )
        .unwrap();
        let limits = PlatformLimits::load(dir.path()).unwrap();
        assert_eq!(limits.all().len(), 1);
        assert_eq!(limits.all()[0].max, Some(500));
    }

    #[test]
    fn a_bad_limits_file_names_the_file_and_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE_NAME),
            "[[limit]]\nfield = \"x.postt\"\nunit = \"chars\"\nmax = 5\n",
        )
        .unwrap();
        let err = PlatformLimits::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("platforms.toml: limit 1: unknown field `x.postt`"),
            "{err}"
        );
    }

    #[test]
    fn counting_units_differ_for_nordic_letters_and_emoji() {
        let text = "Kölä ⚡😀";
        assert_eq!(Unit::Chars.count(text), 7);
        assert_eq!(Unit::Utf16.count(text), 8);
        assert_eq!(Unit::Bytes.count(text), 1 + 2 + 1 + 2 + 1 + 3 + 4);
    }

    #[test]
    fn digits_are_grouped_in_threes() {
        assert_eq!(group_digits(2305, ","), "2,305");
        assert_eq!(group_digits(182000, " "), "182 000");
        assert_eq!(group_digits(999, ","), "999");
        assert_eq!(group_digits(1000000, ","), "1,000,000");
    }
}
