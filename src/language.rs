//! The languages briefcast writes in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A language briefcast offers. Swedish is Finland Swedish (`sv-FI`), English is British (`en-GB`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Fi,
    Sv,
    En,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::Fi, Language::Sv, Language::En];

    /// The two-letter code used in rosters, briefs and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Language::Fi => "fi",
            Language::Sv => "sv",
            Language::En => "en",
        }
    }

    /// The language's name in itself, so that a reader finds their own whatever the page's
    /// language.
    pub fn own_name(self) -> &'static str {
        match self {
            Language::Fi => "suomi",
            Language::Sv => "svenska",
            Language::En => "English",
        }
    }

    /// The locale whose conventions (dates, numbers, plurals) readers of this language expect.
    pub fn locale(self) -> &'static str {
        match self {
            Language::Fi => "fi-FI",
            Language::Sv => "sv-FI",
            Language::En => "en-GB",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("language `{0}` is not offered (use fi, sv or en)")]
pub struct UnknownLanguage(pub String);

impl FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fi" => Ok(Language::Fi),
            "sv" => Ok(Language::Sv),
            "en" => Ok(Language::En),
            _ => Err(UnknownLanguage(s.trim().to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse_case_insensitively_and_reject_others() {
        assert_eq!("SV".parse::<Language>(), Ok(Language::Sv));
        assert_eq!(" en ".parse::<Language>(), Ok(Language::En));
        let err = "de".parse::<Language>().unwrap_err();
        assert_eq!(err.to_string(), "language `de` is not offered (use fi, sv or en)");
    }

    #[test]
    fn swedish_is_finland_swedish() {
        assert_eq!(Language::Sv.locale(), "sv-FI");
    }
}
