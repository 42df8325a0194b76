//! Reading briefs from TOML and JSON, and the errors a coordinator sees when a file is wrong.

use std::path::Path;

use briefcast::brief::{Brief, PlatformLimits, Priority, validate};
use briefcast::cadence::Cadence;
use briefcast::language::Language;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/briefs")
            .join(name),
    )
    .unwrap()
}

#[test]
fn the_storm_brief_reads_whole_and_is_valid() {
    let brief = Brief::from_toml(&fixture("storm-72h.toml")).unwrap();
    assert_eq!(brief.meta.slug, "storm-72h-preparedness");
    assert_eq!(brief.meta.priority, Priority::Routine);
    assert_eq!(brief.meta.cadences, [Cadence::Daily, Cadence::Weekly]);
    assert_eq!(brief.languages(), Language::ALL);
    let sv = brief.block(Language::Sv).unwrap();
    assert_eq!(sv.facts.len(), 2);
    assert_eq!(sv.facts[1].source, "https://www.ruokavirasto.fi/sv/");
    assert_eq!(sv.dos.len(), 2);
    assert_eq!(sv.youtube.as_ref().unwrap().talking_points.len(), 3);
    assert_eq!(validate(&brief, &PlatformLimits::embedded()), []);
}

#[test]
fn the_boil_water_brief_is_urgent_in_finnish_and_swedish_only() {
    let brief = Brief::from_toml(&fixture("boil-water-urgent.toml")).unwrap();
    assert_eq!(brief.meta.priority, Priority::Urgent);
    assert_eq!(brief.languages(), [Language::Fi, Language::Sv]);
    assert!(brief.meta.embargo.is_none());
    assert_eq!(validate(&brief, &PlatformLimits::embedded()), []);
}

#[test]
fn the_same_brief_reads_from_json() {
    let from_toml = Brief::from_toml(&fixture("storm-72h.toml")).unwrap();
    let json = serde_json::to_string_pretty(&from_toml).unwrap();
    assert_eq!(Brief::from_json(&json).unwrap(), from_toml);
}

#[test]
fn an_unknown_field_in_toml_is_named_with_its_path_and_line() {
    let text = fixture("storm-72h.toml").replace("[fi.tiktok]\nscript", "[fi.tiktok]\nskript");
    let err = Brief::from_toml(&text).unwrap_err();
    assert_eq!(err.path.as_deref(), Some("fi.tiktok.skript"), "{err}");
    assert!(err.message.contains("unknown field `skript`"), "{err}");
    let line = text.lines().position(|l| l.starts_with("skript")).unwrap() + 1;
    assert_eq!(err.line, Some(line), "{err}");
}

#[test]
fn an_unknown_language_is_an_unknown_field() {
    let text = format!("{}\n[de]\ntitle = \"Sturm\"\n", fixture("boil-water-urgent.toml"));
    let err = Brief::from_toml(&text).unwrap_err();
    assert!(err.to_string().contains("unknown field `de`"), "{err}");
}

#[test]
fn an_unknown_field_in_json_is_named_with_its_path_and_position() {
    let json = r#"{"meta": {"slug": "x", "source": "THL", "priority": "urgent"},
  "sv": {"title": "T", "summary": "S", "facts": [{"text": "F", "source": "https://thl.fi", "url": "x"}]}}"#;
    let err = Brief::from_json(json).unwrap_err();
    assert_eq!(err.path.as_deref(), Some("sv.facts[0].url"), "{err}");
    assert_eq!(err.line, Some(2));
    assert!(err.to_string().starts_with("line 2, column "), "{err}");
}

#[test]
fn a_bad_priority_or_cadence_is_refused_with_its_field() {
    let text = fixture("storm-72h.toml").replace("priority = \"routine\"", "priority = \"asap\"");
    let err = Brief::from_toml(&text).unwrap_err();
    assert_eq!(err.path.as_deref(), Some("meta.priority"), "{err}");
    assert!(err.message.contains("asap"), "{err}");

    let text = fixture("storm-72h.toml").replace("[\"daily\", \"weekly\"]", "[\"daily\", \"hourly\"]");
    let err = Brief::from_toml(&text).unwrap_err();
    assert_eq!(err.path.as_deref(), Some("meta.cadences[1]"), "{err}");
}

#[test]
fn a_toml_syntax_error_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, "[meta]\nslug = \"a\"\nsource = \n").unwrap();
    let err = Brief::load(&path).unwrap_err().to_string();
    assert!(err.starts_with(&format!("{}:3:", path.display())), "{err}");
}

#[test]
fn a_json_file_is_read_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brief.json");
    let brief = Brief::from_toml(&fixture("boil-water-urgent.toml")).unwrap();
    std::fs::write(&path, serde_json::to_string(&brief).unwrap()).unwrap();
    assert_eq!(Brief::load(&path).unwrap(), brief);
}
