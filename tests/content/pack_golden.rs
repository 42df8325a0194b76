//! Golden files: the text and HTML parts and the snippets of each fixture brief in each language, as its
//! readers get them. `BRIEFCAST_BLESS=1 cargo test --test content pack_golden` rewrites them; read the
//! diff before committing.

use std::path::Path;

use crate::common::pack::*;
use briefcast::language::Language;
use briefcast::pack::{Content, LanguagePolicy, preview};

fn check(brief_name: &str, case: &str, language: Language, policy: LanguagePolicy) {
    let content = Content::embedded();
    let brief = brief(brief_name);
    let preview = preview(&content, &brief, language, policy, &recipient(), now()).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/packs")
        .join(brief_name)
        .join(case);
    let snippets = format!("{}\n", serde_json::to_string_pretty(&preview.snippets).unwrap());
    let files = [
        ("text.txt", preview.text.clone().unwrap_or_default()),
        ("email.html", preview.html.clone().unwrap_or_default()),
        ("snippets.json", snippets),
    ];
    for (name, actual) in files {
        let path = dir.join(name);
        if std::env::var_os("BRIEFCAST_BLESS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with BRIEFCAST_BLESS=1 to write it)", path.display()));
        assert_eq!(actual, expected, "{} differs from the rendered pack", path.display());
    }
}

#[test]
fn storm_in_finnish() {
    check(STORM, "fi", Language::Fi, hold());
}

#[test]
fn storm_in_swedish() {
    check(STORM, "sv", Language::Sv, hold());
}

#[test]
fn storm_in_english() {
    check(STORM, "en", Language::En, hold());
}

#[test]
fn boil_water_in_finnish() {
    check(BOIL_WATER, "fi", Language::Fi, hold());
}

#[test]
fn boil_water_in_swedish() {
    check(BOIL_WATER, "sv", Language::Sv, hold());
}

#[test]
fn boil_water_for_english_readers_falls_back_to_finnish_with_a_note() {
    check(BOIL_WATER, "en-fallback-fi", Language::En, fallback_to(Language::Fi));
}
