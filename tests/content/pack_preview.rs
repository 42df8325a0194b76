//! The coordinator's preview: files in a folder and one JSON document.

use crate::common::pack::*;
use briefcast::language::Language;
use briefcast::pack::{Content, preview, write_preview};

#[test]
fn a_preview_writes_html_text_and_snippets_and_reports_problems() {
    let mut storm = brief(STORM);
    storm.sv.as_mut().unwrap().youtube.as_mut().unwrap().title = "Å".repeat(101);
    let p = preview(&Content::embedded(), &storm, Language::Sv, hold(), &recipient(), now()).unwrap();
    assert_eq!(p.text_language, Some(Language::Sv));
    assert_eq!(p.problems.len(), 1);
    assert_eq!(
        p.problems[0].to_string(),
        "sv: youtube.title: 101 characters, the limit is 100"
    );

    let dir = tempfile::tempdir().unwrap();
    let written = write_preview(&p, dir.path()).unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["pack.html", "pack.txt", "snippets.json", "preview.json"]);
    let html = std::fs::read_to_string(dir.path().join("pack.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"sv\">"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("preview.json")).unwrap()).unwrap();
    assert_eq!(json["subject"], "Förbered dig på stormen: klara dig hemma i 72 timmar");
    assert_eq!(json["snippets"]["youtube"]["title"], "Å".repeat(101));
    assert_eq!(json["problems"][0]["field"], "youtube.title");
}

#[test]
fn a_preview_for_held_readers_says_why_and_renders_nothing() {
    let p = preview(
        &Content::embedded(),
        &brief(BOIL_WATER),
        Language::En,
        hold(),
        &recipient(),
        now(),
    )
    .unwrap();
    assert_eq!(p.html, None);
    assert_eq!(
        p.held.as_deref(),
        Some(
            "boil-water-advisory-north-savo: held back from en readers: it has no en text yet (missing-language policy: hold)"
        )
    );
    let dir = tempfile::tempdir().unwrap();
    let written = write_preview(&p, dir.path()).unwrap();
    assert_eq!(written.len(), 1, "only preview.json");
}
