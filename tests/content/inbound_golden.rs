//! Golden files for reply parsing: each folder under `tests/golden/replies/` holds a raw
//! `message.eml` and the `expected.json` a coordinator should see for it.
//! `BRIEFCAST_BLESS=1 cargo test --test content inbound_golden` rewrites the expected files; read every
//! changed one before committing it.

use std::fs;
use std::path::{Path, PathBuf};

use briefcast::inbound::Reply;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/replies");
    let mut cases: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("reading {}: {e}", root.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_reply_parses_as_its_golden_file_says() {
    let bless = std::env::var_os("BRIEFCAST_BLESS").is_some_and(|v| v == "1");
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let raw = fs::read(case.join("message.eml")).unwrap_or_else(|e| panic!("{name}: message.eml: {e}"));
        let reply = Reply::parse(&raw).unwrap_or_else(|e| panic!("{name}: {e}"));
        let actual = serde_json::to_value(&reply).expect("a reply serialises");
        let expected_path = case.join("expected.json");
        if bless {
            let mut text = serde_json::to_string_pretty(&actual).unwrap();
            text.push('\n');
            fs::write(&expected_path, text).unwrap();
            continue;
        }
        let expected: serde_json::Value = match fs::read_to_string(&expected_path) {
            Ok(text) => serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: expected.json: {e}")),
            Err(e) => panic!("{name}: expected.json: {e} (run with BRIEFCAST_BLESS=1 to create it)"),
        };
        if actual != expected {
            failures.push(format!(
                "{name}:\n--- expected\n{}\n--- actual\n{}",
                serde_json::to_string_pretty(&expected).unwrap(),
                serde_json::to_string_pretty(&actual).unwrap()
            ));
        }
    }
    // Guards against a moved folder turning this into a test of nothing.
    assert!(cases.len() >= 18, "only {} golden cases found", cases.len());
    assert!(
        failures.is_empty(),
        "{} golden case(s) differ:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
