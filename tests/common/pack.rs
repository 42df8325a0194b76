//! Shared by the pack tests: the fixture briefs, a fixed date and a sample recipient.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use briefcast::brief::Brief;
use briefcast::config::MissingLanguage;
use briefcast::language::Language;
use briefcast::pack::{LanguagePolicy, Recipient};
use chrono::{DateTime, Utc};

pub const STORM: &str = "storm-72h";
pub const BOIL_WATER: &str = "boil-water-urgent";

pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/briefs")
        .join(format!("{name}.toml"))
}

pub fn brief(name: &str) -> Brief {
    Brief::load(&fixture_path(name)).unwrap()
}

/// Monday 23 November 2026, 08:00 in Helsinki: the storm brief's embargo.
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T08:00:00+02:00")
        .unwrap()
        .to_utc()
}

pub fn recipient() -> Recipient {
    Recipient {
        name: "Aino".into(),
        unsubscribe_url: "https://briefcast.example.fi/u/abc?lang=fi&sig=1".into(),
        preferences_url: "https://briefcast.example.fi/p/abc?sig=2".into(),
        reply_address: "questions+d41d8cd9@reply.example.fi".into(),
    }
}

pub fn hold() -> LanguagePolicy {
    LanguagePolicy {
        missing: MissingLanguage::Hold,
        fallback: Language::Fi,
    }
}

pub fn fallback_to(language: Language) -> LanguagePolicy {
    LanguagePolicy {
        missing: MissingLanguage::Fallback,
        fallback: language,
    }
}
