//! What differs between SQLite and PostgreSQL, and nothing else.
//!
//! The SQL in `sql/` is written once and compiled once per backend: `sqlite.rs` and `postgres.rs`
//! each declare every file of `sql/` as a child module (`#[path = "sql/…"] mod …;`), after naming
//! three things the files use: `Db` (the sqlx database), `ThisStore` (the backend's store, with
//! its `pool`) and `D`, the backend's implementation of this trait. So one text serves both
//! backends against concrete sqlx types, without a tower of generic bounds, and every place
//! where they differ is a call of `D::…` that leads here.

use std::future::Future;

use sqlx::{Pool, QueryBuilder, Transaction};

use super::leadership::{Lead, Leadership};

pub(crate) trait Dialect {
    type Db: sqlx::Database;

    /// The backend's name, for logs and health output.
    const BACKEND: &'static str;
    /// Appended to the claim's candidate query: how claimers keep off each other's rows.
    const CLAIM_LOCK: &'static str;
    /// Appended to a read whose rows the same transaction changes later.
    const ROW_LOCK: &'static str;
    /// Appended to the read of a schedule (aliased `s`) an edition is being built for.
    const SCHEDULE_LOCK: &'static str;

    /// A transaction that will write.
    fn begin_write(pool: &Pool<Self::Db>) -> impl Future<Output = sqlx::Result<Transaction<'static, Self::Db>>> + Send;

    /// Roster writers (imports, flash editions) take turns until the transaction ends.
    fn lock_roster(tx: &mut Transaction<'static, Self::Db>) -> impl Future<Output = sqlx::Result<()>> + Send;

    /// Send-window reservations take turns until the transaction ends.
    fn lock_send_windows(tx: &mut Transaction<'static, Self::Db>) -> impl Future<Output = sqlx::Result<()>> + Send;

    /// Brings the planner's counts up to date once an edition's deliveries are inserted.
    fn refresh_statistics(tx: &mut Transaction<'static, Self::Db>) -> impl Future<Output = sqlx::Result<()>> + Send;

    /// Pushes "`column` is one of `ids`" in the form this backend looks up in an index.
    fn push_id_in<I: Copy + Into<i64>>(q: &mut QueryBuilder<Self::Db>, column: &str, ids: &[I]);

    /// Tries to become the one leader of `work`. None: another daemon leads it.
    fn lead(pool: &Pool<Self::Db>, work: Lead) -> impl Future<Output = sqlx::Result<Option<Leadership>>> + Send;
}
