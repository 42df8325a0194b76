//! `briefcast users …` as an administrator at the server meets it: the password goes in on
//! standard input and never comes out again, in any output or the audit log.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const PASSWORD: &str = "kuusi kurkea kukkulalla";

fn briefcast(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefcast"))
        .args(args)
        .current_dir(dir)
        .env_remove("BRIEFCAST_DATABASE_URL")
        .env("RUST_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run briefcast");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !all.contains(PASSWORD) && !all.contains("argon2"),
        "{args:?} printed a secret: {all}"
    );
    out
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn an_approver_at_the_server_adds_lists_resets_and_disables_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let add = |email: &str, name: &str, role: &str| {
        briefcast(
            dir,
            &[
                "users",
                "add",
                email,
                "--name",
                name,
                "--role",
                role,
                "--language",
                "sv",
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        )
    };
    let added = ok(&add("Sara.Godkannare@VNK.example.fi", "Sara Godkännare", "approver"));
    assert_eq!(
        added.trim(),
        "Sara Godkännare <sara.godkannare@vnk.example.fi> can sign in as approver (console in sv)."
    );

    let twice = add("sara.godkannare@vnk.example.fi", "Sara G", "approver");
    assert!(!twice.status.success());
    assert!(
        String::from_utf8_lossy(&twice.stderr).contains("an account for sara.godkannare@vnk.example.fi already exists")
    );

    let weak = briefcast(
        dir,
        &[
            "users",
            "add",
            "olli@vnk.example.fi",
            "--name",
            "Olli Ops",
            "--role",
            "ops",
            "--password-stdin",
        ],
        "salasana\n",
    );
    assert!(!weak.status.success());
    assert!(
        String::from_utf8_lossy(&weak.stderr).contains("password: the password is too short: at least 12 characters"),
        "{}",
        String::from_utf8_lossy(&weak.stderr)
    );
    let no_stdin_flag = briefcast(
        dir,
        &["users", "add", "olli@vnk.example.fi", "--name", "Olli", "--role", "ops"],
        "",
    );
    assert!(
        !no_stdin_flag.status.success(),
        "a password is never taken from an argument"
    );

    let listed = ok(&briefcast(dir, &["users", "list"], ""));
    assert!(
        listed.contains("sara.godkannare@vnk.example.fi") && listed.contains("Sara Godkännare"),
        "{listed}"
    );
    assert!(listed.contains("1 account(s)") && !listed.contains("olli"), "{listed}");

    let reset = ok(&briefcast(
        dir,
        &[
            "users",
            "reset-password",
            "sara.godkannare@vnk.example.fi",
            "--password-stdin",
        ],
        "seitsemän veljestä metsässä\n",
    ));
    assert!(reset.contains("has a new password"), "{reset}");
    let disabled = ok(&briefcast(
        dir,
        &["users", "disable", "sara.godkannare@vnk.example.fi"],
        "",
    ));
    assert!(disabled.contains("is disabled"), "{disabled}");
    let json = ok(&briefcast(dir, &["--json", "users", "list"], ""));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(json["accounts"][0]["disabled_at"].is_string(), "{json}");
    assert!(json["accounts"][0].get("password_hash").is_none());

    let audit = ok(&briefcast(dir, &["audit"], ""));
    for action in ["account.create", "account.password", "account.disable"] {
        assert!(audit.contains(action), "{action} in {audit}");
    }
}

#[test]
fn a_token_made_for_a_person_belongs_to_them_and_a_lost_phones_app_is_taken_away() {
    let dir = tempfile::tempdir().unwrap();
    ok(&briefcast(
        dir.path(),
        &[
            "users",
            "add",
            "kaisa@example.fi",
            "--name",
            "Kaisa K",
            "--role",
            "coordinator",
            "--password-stdin",
        ],
        PASSWORD,
    ));
    let token = ok(&briefcast(
        dir.path(),
        &["token", "create", "--for", "kaisa@example.fi", "--label", "laptop"],
        "",
    ));
    assert!(token.trim().starts_with("bc_"), "the token alone on stdout: {token}");
    let list = ok(&briefcast(dir.path(), &["token", "list"], ""));
    assert!(
        list.contains("Kaisa K <kaisa@example.fi>") && list.contains("coordinator"),
        "{list}"
    );
    let nobody = briefcast(dir.path(), &["token", "create", "--for", "nobody@example.fi"], "");
    assert!(!nobody.status.success());
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("no account has the address nobody@example.fi"));
    let neither = briefcast(dir.path(), &["token", "create"], "");
    assert!(!neither.status.success(), "a role or an owner is needed");

    let reset = ok(&briefcast(dir.path(), &["users", "reset-totp", "kaisa@example.fi"], ""));
    assert!(reset.contains("has no authenticator app now"), "{reset}");
    let users = ok(&briefcast(dir.path(), &["users", "list"], ""));
    assert!(users.contains("totp"), "{users}");
}
