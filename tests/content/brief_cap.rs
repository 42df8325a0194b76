//! CAP 1.2 alerts as briefs: each fixture against its golden brief (`BRIEFCAST_BLESS=1 cargo test
//! --test content brief_cap` rewrites them; read the diff), and documents that must be refused
//! with the element or the reason named.

use std::path::Path;

use briefcast::brief::{Brief, BriefFormat, CapMsgType, CapStatus, Priority, validate};
use briefcast::language::Language;
use briefcast::pack::Content;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cap")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn golden(name: &str) -> Brief {
    let brief = Brief::parse(&fixture(name), BriefFormat::Cap).unwrap_or_else(|e| panic!("{name}: {e}"));
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/cap")
        .join(name.replace(".xml", ".json"));
    let actual = format!("{}\n", serde_json::to_string_pretty(&brief).unwrap());
    if std::env::var_os("BRIEFCAST_BLESS").is_some() {
        std::fs::write(&path, &actual).unwrap();
    } else {
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with BRIEFCAST_BLESS=1 to write it)", path.display()));
        assert_eq!(actual, expected, "{} differs from the brief drafted", path.display());
    }
    brief
}

#[test]
fn the_wind_alert_becomes_a_draft_in_finnish_swedish_and_english() {
    let brief = golden("01-wind-alert.xml");
    assert_eq!(brief.languages(), Language::ALL.to_vec());
    let fi = brief.block(Language::Fi).unwrap();
    assert_eq!(fi.title, "Oranssi tuulivaroitus: voimakkaita puuskia Uudellamaalla");
    assert!(fi.summary.starts_with("Tiistai-illasta keskiviikkoaamuun"));
    assert_eq!(
        fi.key_messages,
        [
            "Kiinnitä irtotavarat pihalla.",
            "Lataa puhelin ja varavirtalähde.",
            "Vältä liikkumista metsässä."
        ]
    );
    assert_eq!(fi.facts[0].source, "https://www.ilmatieteenlaitos.fi/varoitukset");
    assert_eq!(
        brief.block(Language::Sv).unwrap().facts[0].source,
        "https://sv.ilmatieteenlaitos.fi/varningar"
    );
    assert_eq!(brief.meta.source, "Ilmatieteen laitos");
    assert_eq!(brief.meta.regions, ["Uusimaa"]);
    assert_eq!(brief.meta.priority, Priority::Routine, "Future urgency is not urgent");
    assert_eq!(brief.meta.embargo.unwrap().to_rfc3339(), "2026-12-01T08:01:00+02:00");
    assert_eq!(brief.meta.expires.unwrap().to_rfc3339(), "2026-12-03T12:00:00+02:00");
    let cap = brief.meta.cap.as_ref().unwrap();
    assert_eq!(cap.identifier, "urn:oid:2.49.0.1.246.0.0.2026.1201.0801.wind.1");
    assert_eq!(cap.sender, "urn:oid:2.49.0.0.246.0");
    assert_eq!((cap.status, cap.msg_type), (CapStatus::Actual, CapMsgType::Alert));
    // The drafted texts are within every platform's limits: what is left to do is judgement.
    let problems = validate(&brief, &Content::embedded().limits);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_update_and_the_cancel_name_the_alerts_they_refer_to() {
    let update = golden("02-wind-update.xml");
    let cap = update.meta.cap.as_ref().unwrap();
    assert_eq!(cap.msg_type, CapMsgType::Update);
    assert_eq!(cap.references, ["urn:oid:2.49.0.1.246.0.0.2026.1201.0801.wind.1"]);
    let cancel = golden("03-wind-cancel.xml");
    assert_eq!(cancel.meta.cap.as_ref().unwrap().msg_type, CapMsgType::Cancel);
}

#[test]
fn an_exercise_is_kept_as_an_exercise() {
    let exercise = golden("04-exercise.xml");
    assert_eq!(exercise.meta.cap.as_ref().unwrap().status, CapStatus::Exercise);
}

fn refusal(text: &str) -> String {
    Brief::parse(text, BriefFormat::Cap).unwrap_err().to_string()
}

#[test]
fn external_entities_and_entity_expansion_are_refused_before_anything_is_read() {
    let xxe = r#"<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&secret;</identifier></alert>"#;
    assert!(refusal(xxe).contains("DTD"), "{}", refusal(xxe));
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol3;</identifier></alert>"#;
    assert!(refusal(laughs).contains("DTD"), "{}", refusal(laughs));
    let huge = format!("<alert>{}</alert>", " ".repeat(2 * 1024 * 1024));
    assert!(refusal(&huge).contains("at most"), "{}", refusal(&huge));
    let deep = format!(
        r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">{}{}</alert>"#,
        "<info>".repeat(40),
        "</info>".repeat(40)
    );
    assert!(refusal(&deep).contains("nested"), "{}", refusal(&deep));
}

#[test]
fn an_alert_missing_what_identifies_it_is_refused_naming_the_element() {
    let alert = fixture("01-wind-alert.xml");
    let without = |element: &str| {
        let start = alert.find(&format!("<{element}>")).unwrap();
        let end = alert.find(&format!("</{element}>")).unwrap() + element.len() + 3;
        format!("{}{}", &alert[..start], &alert[end..])
    };
    for element in ["identifier", "sender", "sent", "status", "msgType"] {
        let message = refusal(&without(element));
        assert!(message.contains(&format!("<{element}>")), "{element}: {message}");
        assert!(message.starts_with("line "), "the line is named: {message}");
    }
    let no_info = format!("{}\n</alert>", &alert[..alert.find("\n  <info>").unwrap()]);
    assert!(refusal(&no_info).contains("no <info>"));
    assert!(refusal(&alert.replace("<msgType>Alert", "<msgType>Notice")).contains("`Notice`"));
    assert!(refusal(&alert.replace("<scope>Public", "<scope>Restricted")).contains("only Public"));
    assert!(refusal("<alert><unclosed></alert>").contains("not well-formed"));
    assert!(refusal("<feed/>").contains("not a CAP 1.2 <alert>"));
}

#[test]
fn languages_briefcast_does_not_offer_are_kept_aside_and_reported() {
    let alert = fixture("01-wind-alert.xml").replace("<language>sv-FI</language>", "<language>de-DE</language>");
    let brief = Brief::parse(&alert, BriefFormat::Cap).unwrap();
    assert_eq!(brief.languages(), [Language::Fi, Language::En]);
    assert_eq!(brief.meta.cap.unwrap().ignored_languages, ["de-DE"]);
}
