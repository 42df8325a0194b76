//! Schedules, editions and deliveries at the command line, as a coordinator and ops type them.

use std::path::Path;

use crate::common::briefcast;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/rosters/influencers-sample.csv"
);

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = briefcast(dir, args);
    assert!(
        out.status.success(),
        "briefcast {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn fails(dir: &Path, args: &[&str]) -> String {
    let out = briefcast(dir, args);
    assert!(!out.status.success(), "briefcast {args:?} succeeded");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_coordinator_schedules_editions_and_ops_read_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    ok(dir, &["influencers", "import", SAMPLE]);
    ok(dir, &["segments", "add", "everyone"]);

    let added = ok(
        dir,
        &[
            "schedules",
            "add",
            "weekly",
            "--cron",
            "0 9 * * 1",
            "--cadence",
            "weekly",
            "--segment",
            "everyone",
        ],
    );
    assert!(added.contains("Schedule `weekly` saved."), "{added}");
    // Local time and UTC side by side; Helsinki is UTC+2 or UTC+3 depending on the season.
    let next = added.lines().find(|l| l.trim_start().starts_with("next")).unwrap();
    assert!(
        next.contains("09:00 EE") && (next.contains("07:00 UTC") || next.contains("06:00 UTC")),
        "{next}"
    );

    let listed = ok(dir, &["--json", "schedules", "list"]);
    let listed: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed[0]["name"], "weekly");
    assert_eq!(listed[0]["time_zone"], "Europe/Helsinki");
    assert_eq!(listed[0]["next_runs"].as_array().unwrap().len(), 3);

    let err = fails(
        dir,
        &[
            "schedules",
            "add",
            "x",
            "--cron",
            "0 9 * * 1",
            "--cadence",
            "weekly",
            "--segment",
            "nobody",
        ],
    );
    assert!(err.contains("segment: no segment named `nobody`"), "{err}");
    let err = fails(
        dir,
        &[
            "schedules",
            "add",
            "x",
            "--cron",
            "0 9 * *",
            "--cadence",
            "weekly",
            "--segment",
            "everyone",
        ],
    );
    assert!(err.contains("cron: `0 9 * *` has 4 fields"), "{err}");

    let err = fails(dir, &["edition", "send", "weekly"]);
    assert!(err.contains("add --now"), "{err}");
    let err = fails(dir, &["edition", "send", "weekly", "--now"]);
    assert!(err.contains("nothing to send"), "{err}");

    assert!(ok(dir, &["edition", "list"]).contains("0 edition(s)"));
    assert!(ok(dir, &["deliveries", "--status", "uncertain"]).contains("0 delivery(ies)"));
    let err = fails(dir, &["deliveries", "--status", "lost"]);
    assert!(err.contains("status `lost` is not known"), "{err}");
    let err = fails(dir, &["deliveries", "resend", "--edition", "1", "--status", "sent"]);
    assert!(err.contains("only uncertain or failed ones can"), "{err}");
    let err = fails(dir, &["edition", "pause", "7"]);
    assert!(err.contains("edition 7 not found"), "{err}");

    let audit = ok(dir, &["audit"]);
    assert!(audit.contains("schedule.add"), "{audit}");
}
