//! A raw message through the whole intake, as the webhook and IMAP take it: stored, parsed,
//! classified, matched and decided, against a real SQLite store with a roster in it.
use std::sync::OnceLock;

use briefcast::access::Actor;
use briefcast::clock::Clock;
use briefcast::intake::{self, NoTokens};
use briefcast::store::{SqliteStore, Store};

const ROSTER: &[u8] = include_bytes!("../../../tests/fixtures/rosters/influencers-sample.csv");

/// Made in the process that runs the inputs, not before AFL forks it: sqlx's SQLite connections
/// live on threads of their own, and a fork keeps only the thread that called it.
struct Intake {
    runtime: tokio::runtime::Runtime,
    store: SqliteStore,
    _dir: tempfile::TempDir,
}

fn intake() -> &'static Intake {
    static INTAKE: OnceLock<Intake> = OnceLock::new();
    INTAKE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        // In memory where the machine has it: every stored reply is a synchronous commit.
        let dir = match std::path::Path::new("/dev/shm").is_dir() {
            true => tempfile::tempdir_in("/dev/shm"),
            false => tempfile::tempdir(),
        }
        .expect("a folder");
        let url = format!("sqlite://{}", dir.path().join("fuzz.db").display());
        let store = runtime.block_on(async {
            let store = SqliteStore::connect(&url).await.expect("SQLite");
            store.migrate().await.expect("migrations");
            let now = briefcast::clock::SystemClock.now();
            briefcast::service::audience::store_roster(&store, ROSTER, &Actor("fuzz".into()), now)
                .await
                .expect("the sample roster");
            store
        });
        Intake {
            runtime,
            store,
            _dir: dir,
        }
    })
}

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let intake = intake();
        let now = briefcast::clock::SystemClock.now();
        // Errors are answers; only a panic or a hang is a finding.
        let _ = intake
            .runtime
            .block_on(intake::receive(&intake.store, &NoTokens, "webhook", None, data, now));
    });
}
