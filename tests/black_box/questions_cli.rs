//! `briefcast questions …` run as a coordinator would, against a zero-configuration data folder.

use std::path::Path;
use std::process::{Command, Output};

use briefcast::access::Actor;
use briefcast::ids::QuestionId;
use briefcast::intake::{self, NoTokens};
use briefcast::store::{SqliteStore, Store};
use chrono::{TimeZone, Utc};

const SAMPLE: &[u8] = include_bytes!("../fixtures/rosters/influencers-sample.csv");
const CASH: &[u8] = include_bytes!("../golden/replies/01-plain-fi-quoted/message.eml");
const PETS: &[u8] = include_bytes!("../golden/replies/02-outlook-sv-html/message.eml");

fn briefcast(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_briefcast"))
        .args(args)
        .current_dir(dir)
        .env_remove("BRIEFCAST_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run briefcast");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Two questions received, matched by their senders (aino and sara are in the roster).
async fn data_folder() -> (tempfile::TempDir, QuestionId, QuestionId) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("briefcast-data/briefcast.db").display());
    let store = SqliteStore::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 8, 0, 0).unwrap();
    briefcast::service::audience::store_roster(&store, SAMPLE, &Actor("test".into()), now)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for raw in [CASH, PETS] {
        let received = intake::receive(&store, &NoTokens, "webhook", None, raw, now)
            .await
            .unwrap();
        ids.push(received.reply.question_id.expect("a question"));
    }
    (dir, ids[0], ids[1])
}

#[tokio::test]
async fn a_coordinator_works_through_the_log_at_the_command_line() {
    let (dir, cash, pets) = data_folder().await;
    let dir = dir.path();

    let list = text(&briefcast(dir, &["questions"]));
    assert!(list.contains("2 question(s)"), "{list}");
    assert!(list.contains("Aino Virtanen") && list.contains("Sara Öberg"), "{list}");
    let found = text(&briefcast(dir, &["questions", "--search", "HUSDJUR"]));
    assert!(
        found.contains(&format!("#{pets} ")) && found.contains("1 question(s)"),
        "{found}"
    );

    let shown = text(&briefcast(dir, &["questions", "show", &cash.to_string()]));
    assert!(shown.contains("pitääkö kotivarassa olla myös käteistä"), "{shown}");
    assert!(shown.contains("matched by its sender's address only"), "{shown}");
    assert!(!shown.contains("Message-ID:"), "raw only on request: {shown}");
    let raw = text(&briefcast(dir, &["questions", "show", &cash.to_string(), "--raw"]));
    assert!(
        raw.contains("--- raw message ---") && raw.contains("Message-ID:"),
        "{raw}"
    );

    briefcast(dir, &["questions", "triage", &cash.to_string()]);
    let forwarded = text(&briefcast(
        dir,
        &["questions", "forward", &cash.to_string(), "Suomen Pankki"],
    ));
    assert_eq!(forwarded.trim(), format!("Question {cash} is now forwarded."));
    briefcast(dir, &["questions", "tag", &cash.to_string(), "--add", "raha"]);
    briefcast(
        dir,
        &[
            "questions",
            "answer",
            &cash.to_string(),
            "--text",
            "Kyllä, pieni määrä käteistä kannattaa.",
        ],
    );
    let answered = text(&briefcast(
        dir,
        &["--json", "questions", "--status", "answered", "--tag", "raha"],
    ));
    let answered: serde_json::Value = serde_json::from_str(&answered).unwrap();
    assert_eq!(answered.as_array().unwrap().len(), 1);
    assert_eq!(answered[0]["authority"], "Suomen Pankki");

    let refused = Command::new(env!("CARGO_BIN_EXE_briefcast"))
        .args(["questions", "triage", &cash.to_string()])
        .current_dir(dir)
        .env_remove("BRIEFCAST_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("the question is answered, so it cannot be triaged"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    // Handed to a colleague who has a console account.
    let mut add = Command::new(env!("CARGO_BIN_EXE_briefcast"))
        .args([
            "users",
            "add",
            "pekka@example.fi",
            "--name",
            "Pekka Puhemies",
            "--role",
            "coordinator",
            "--password-stdin",
        ])
        .current_dir(dir)
        .env_remove("BRIEFCAST_DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        add.stdin
            .take()
            .unwrap()
            .write_all(b"correct horse battery staple\n")
            .unwrap();
    }
    assert!(add.wait().unwrap().success());
    briefcast(dir, &["questions", "hand", &pets.to_string(), "pekka@example.fi"]);
    let handed = text(&briefcast(dir, &["--json", "questions", "--search", "husdjur"]));
    let handed: serde_json::Value = serde_json::from_str(&handed).unwrap();
    assert_eq!(handed[0]["assignee"], "Pekka Puhemies", "{handed}");

    let csv = text(&briefcast(dir, &["questions", "export", "--format", "csv"]));
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("id,received,language,brief,edition,status,authority,question,answer,answer_link,asked_by")
    );
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 2, "{csv}");
    let cash_row = rows.iter().find(|r| r[0] == cash.to_string()).unwrap();
    assert_eq!((&cash_row[5], &cash_row[6]), ("answered", "Suomen Pankki"));
    assert_eq!(&cash_row[8], "Kyllä, pieni määrä käteistä kannattaa.");
    assert!(!csv.contains("example.com"), "no addresses: {csv}");

    let audit = text(&briefcast(dir, &["audit"]));
    assert!(audit.contains("question.forward") && audit.contains("cli:"), "{audit}");
}
