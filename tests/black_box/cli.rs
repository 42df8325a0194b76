//! The command line, run as a newcomer would run it.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use crate::common::briefcast;
use std::time::{Duration, Instant};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/rosters/influencers-sample.csv"
);

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn importing_the_sample_twice_reports_the_documented_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let first = briefcast(dir.path(), &["influencers", "import", SAMPLE]);
    assert!(first.status.success(), "{}", stderr(&first));
    let out = stdout(&first);
    assert!(out.contains(": 17 new, 0 updated, 0 unchanged, 4 rejected"), "{out}");
    assert!(
        out.contains("line 20    AINO.VIRTANEN@EXAMPLE.COM: same address as line 2"),
        "{out}"
    );
    assert!(
        dir.path().join("briefcast-data/briefcast.db").exists(),
        "zero configuration puts data in ./briefcast-data"
    );

    let second = briefcast(dir.path(), &["--json", "influencers", "import", SAMPLE]);
    let report: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(
        (report["new"].as_u64(), report["unchanged"].as_u64()),
        (Some(0), Some(17))
    );

    let list = briefcast(dir.path(), &["--json", "influencers", "list", "--language", "en"]);
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 3);
}

#[test]
fn a_broken_file_exits_non_zero_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roster.csv");
    std::fs::write(&file, "email;name\na@example.com;A\n").unwrap();
    let out = briefcast(dir.path(), &["influencers", "import", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("roster.csv: nothing was imported: line 1: wrong header `email;name`"),
        "{err}"
    );
}

#[test]
fn an_unknown_config_key_is_named_with_its_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("briefcast.toml"), "htp_addr = \"127.0.0.1:9\"\n").unwrap();
    let out = briefcast(dir.path(), &["config"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("config file briefcast.toml: unknown setting `htp_addr`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unreachable_database_is_named_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_briefcast"))
        .args(["migrate"])
        .current_dir(dir.path())
        .env(
            "BRIEFCAST_DATABASE_URL",
            "postgres://briefcast:hunter2@127.0.0.1:1/briefcast",
        )
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("connecting to PostgreSQL at postgres://briefcast:********@127.0.0.1:1/briefcast"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn config_masks_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_briefcast"))
        .args(["config"])
        .current_dir(dir.path())
        .env("BRIEFCAST_SMTP_URL", "smtps://news:pa55word@smtp.example.fi:465")
        .env(
            "BRIEFCAST_DATABASE_URL",
            "postgres://briefcast@db.example.fi/briefcast?password=hunter2",
        )
        .env(
            "BRIEFCAST_MAIL_API_URL",
            "https://api:k3y-in-url@mail.example.fi/v1/send",
        )
        .env("BRIEFCAST_MAIL_API_TOKEN", "t0ken")
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("smtps://news:********@smtp.example.fi:465"), "{text}");
    assert!(text.contains("?password=********"), "{text}");
    assert!(text.contains("https://api:********@mail.example.fi/v1/send"), "{text}");
    for secret in ["pa55word", "hunter2", "k3y-in-url", "t0ken"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

/// A daemon the test started, killed if the test ends early so it never outlives the run.
struct Daemon(std::process::Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[test]
fn serve_demo_seeds_the_roster_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut daemon = Daemon(
        Command::new(env!("CARGO_BIN_EXE_briefcast"))
            .args(["serve", "--demo"])
            .current_dir(dir.path())
            .env("BRIEFCAST_HTTP_ADDR", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        assert!(Instant::now() < deadline, "the daemon did not start listening");
        assert!(daemon.0.try_wait().unwrap().is_none(), "the daemon exited early");
        std::thread::sleep(Duration::from_millis(50));
    }
    // The port accepts connections (into its backlog) before seeding is done, so everything
    // below waits for its condition.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let list = briefcast(dir.path(), &["--json", "influencers", "list"]);
        let seeded = serde_json::from_slice::<serde_json::Value>(&list.stdout)
            .ok()
            .and_then(|l| l.as_array().map(Vec::len));
        if seeded == Some(17) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the demo never seeded the sample roster: {seeded:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // An edition per cadence lands in the outbox, one message per subscriber, and the sample
    // replies come back into the question log: two questions, the auto-replies and the bounce not.
    let outbox = dir.path().join("briefcast-data/outbox");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let messages = std::fs::read_dir(&outbox).map(|d| d.count()).unwrap_or(0);
        let questions = briefcast(dir.path(), &["--json", "questions"]);
        let questions: serde_json::Value = serde_json::from_slice(&questions.stdout).unwrap_or_default();
        let asked = questions.as_array().map_or(0, Vec::len);
        if messages == 17 && asked == 2 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "demo loop incomplete: {messages} messages, {asked} questions"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The wind warning waits as a draft drafted from its CAP alert, for a coordinator to finish.
    let briefs = briefcast(dir.path(), &["--json", "brief", "list"]);
    let briefs: serde_json::Value = serde_json::from_slice(&briefs.stdout).unwrap_or_default();
    let from_cap: Vec<&serde_json::Value> = briefs
        .as_array()
        .map(|all| all.iter().filter(|b| !b["brief"]["meta"]["cap"].is_null()).collect())
        .unwrap_or_default();
    assert_eq!(from_cap.len(), 1, "one CAP draft in the demo: {briefs}");
    assert_eq!(from_cap[0]["status"], "draft");
    assert_eq!(from_cap[0]["brief"]["meta"]["cap"]["status"], "Actual");
    // The roster, its WAL and every message are the daemon user's alone.
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let data = dir.path().join("briefcast-data");
        assert_eq!(mode(&data), 0o700, "the data folder");
        assert_eq!(mode(&outbox), 0o700, "the outbox folder");
        for file in ["briefcast.db", "briefcast.db-wal", "secret"] {
            assert_eq!(mode(&data.join(file)), 0o600, "{file}");
        }
        for message in std::fs::read_dir(&outbox).unwrap() {
            assert_eq!(mode(&message.unwrap().path()), 0o600, "a message in the outbox");
        }
    }
    // The sample replies are processed one after another: the bounce may come after the questions.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let priya = briefcast(dir.path(), &["--json", "influencers", "show", "priya.nair@example.org"]);
        let priya: serde_json::Value = serde_json::from_slice(&priya.stdout).unwrap_or_default();
        if priya["suppressed"] == "bounced" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the sample bounce never suppressed her address: {priya}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    let killed = Command::new("kill")
        .args(["-TERM", &daemon.0.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = daemon.0.wait().unwrap();
    assert!(status.success(), "a clean stop exits 0, got {status}");
}

const STORM: &str = include_str!("../fixtures/briefs/storm-72h.toml");

#[test]
fn a_brief_is_added_previewed_and_approved_at_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    // The binary runs on the real clock: the fixture's dates are moved to today.
    let file = dir.path().join("storm.toml");
    std::fs::write(&file, common::brief_valid_at(STORM, chrono::Utc::now())).unwrap();
    let added = briefcast(dir.path(), &["brief", "add", file.to_str().unwrap()]);
    assert!(added.status.success(), "{}", stderr(&added));
    let out = stdout(&added);
    assert!(
        out.starts_with("brief 1: storm-72h-preparedness (version 1), draft, routine [fi, sv, en]"),
        "{out}"
    );
    assert!(out.contains("no problems: ready for approval"), "{out}");

    let preview_dir = dir.path().join("preview-sv");
    let preview = briefcast(
        dir.path(),
        &[
            "brief",
            "preview",
            "1",
            "--lang",
            "sv",
            "--out",
            preview_dir.to_str().unwrap(),
        ],
    );
    assert!(preview.status.success(), "{}", stderr(&preview));
    let html = std::fs::read_to_string(preview_dir.join("pack.html")).unwrap();
    assert!(html.contains("<html lang=\"sv\""), "{html}");
    let text = std::fs::read_to_string(preview_dir.join("pack.txt")).unwrap();
    assert!(text.contains("Förbered dig på stormen"), "{text}");
    assert!(preview_dir.join("snippets.json").exists());

    // The same person at the same terminal wrote it: the two-person rule refuses.
    let own = briefcast(dir.path(), &["brief", "approve", "1"]);
    assert!(!own.status.success());
    assert!(
        stderr(&own).contains("someone else must approve it"),
        "{}",
        stderr(&own)
    );
    let approved = Command::new(env!("CARGO_BIN_EXE_briefcast"))
        .args(["brief", "approve", "1"])
        .current_dir(dir.path())
        .env("BRIEFCAST_TWO_PERSON_RULE", "false")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(approved.status.success(), "{}", stderr(&approved));
    let list = briefcast(dir.path(), &["brief", "list", "--status", "approved"]);
    assert!(stdout(&list).contains("storm-72h-preparedness"), "{}", stdout(&list));
}

#[test]
fn a_broken_template_stops_the_start_naming_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("content/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let good = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/content/templates/edition.html")).unwrap();
    let broken = good.replacen("{{", "{{ ", 1).replacen("}}", "", 1);
    std::fs::write(templates.join("edition.html"), broken).unwrap();
    let out = briefcast(dir.path(), &["brief", "list"]);
    assert!(!out.status.success(), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("loading templates and strings") && err.contains("edition.html:"),
        "{err}"
    );
}

/// `briefcast influencers list | head`: the reader goes away, the program ends quietly.
#[test]
fn a_closed_pipe_ends_the_program_quietly_with_status_0() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        briefcast(dir.path(), &["influencers", "import", SAMPLE])
            .status
            .success()
    );
    for args in [
        &["influencers", "list"][..],
        &["questions", "export", "--format", "csv"][..],
        &["--json", "influencers", "list"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefcast"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("BRIEFCAST_DATABASE_URL")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Closed before the program writes a byte, as `head` closes it after its lines.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn logs_carry_no_colour_codes_when_they_go_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_briefcast"))
        .arg("migrate")
        .current_dir(dir.path())
        .env_remove("BRIEFCAST_DATABASE_URL")
        .env("RUST_LOG", "debug")
        .output()
        .unwrap();
    let log = stderr(&out);
    assert!(log.contains("DEBUG"), "the run logged something: {log}");
    assert!(!log.contains('\u{1b}'), "{log}");
}

#[test]
fn every_help_line_is_true() {
    let dir = tempfile::tempdir().unwrap();
    let brief = stdout(&briefcast(dir.path(), &["brief", "--help"]));
    let commands: Vec<&str> = brief
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        commands,
        [
            "add", "list", "show", "edit", "approve", "withdraw", "correct", "preview", "help"
        ]
    );
    let top = stdout(&briefcast(dir.path(), &["--help"]));
    let brief_line = top.lines().find(|l| l.trim_start().starts_with("brief ")).unwrap();
    for command in &commands[..8] {
        assert!(brief_line.contains(command), "{brief_line}");
    }
    assert!(!brief_line.contains("check"), "{brief_line}");
    let preview = stdout(&briefcast(dir.path(), &["brief", "preview", "--help"]));
    assert!(preview.contains("plain-text version on stdout"), "{preview}");
}

#[test]
fn tokens_are_listed_without_the_token_and_revoked_at_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let created = briefcast(
        dir.path(),
        &["token", "create", "--role", "ops", "--label", "mail provider"],
    );
    assert!(created.status.success(), "{}", stderr(&created));
    let token = stdout(&created).trim().to_string();
    assert!(token.starts_with("bc_"), "the token alone on stdout: {token}");
    let list = stdout(&briefcast(dir.path(), &["token", "list"]));
    assert!(list.contains("mail provider") && list.contains("ops"), "{list}");
    assert!(!list.contains(&token), "{list}");
    let revoked = briefcast(dir.path(), &["token", "revoke", "1"]);
    assert!(
        stdout(&revoked).contains("Token 1 (mail provider, ops) is revoked."),
        "{}",
        stderr(&revoked)
    );
    let listed: serde_json::Value =
        serde_json::from_slice(&briefcast(dir.path(), &["--json", "token", "list"]).stdout).unwrap();
    assert!(listed[0]["revoked_at"].is_string(), "{listed}");
    let missing = briefcast(dir.path(), &["token", "revoke", "7"]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("token 7 not found"), "{}", stderr(&missing));
}
