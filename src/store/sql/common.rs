// Included by `sqlite.rs` and `postgres.rs`: each backend compiles the SQL of `sql/*.rs` against its
// own concrete sqlx types, so one text serves both without a tower of generic bounds. The includer
// defines `Db`, `ThisStore` (with a `pool`), `BACKEND`, `MIGRATOR`, `begin_write` (a transaction
// that writes) and `lock_roster` (serialises roster writers); every `sql/*.rs` file is included in
// a child module of the includer and sees these, and the helpers below, through `use super::*`.

use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

use crate::access::Actor;
use crate::store::StoreResult;

type Tx = sqlx::Transaction<'static, Db>;
type DbRow = <Db as sqlx::Database>::Row;

/// Rows per multi-row statement: 15 columns × 500 stays far below both backends' bind limits.
const BATCH: usize = 500;

async fn audit(tx: &mut Tx, actor: &Actor, action: &str, subject: &str, detail: serde_json::Value, now: DateTime<Utc>) -> StoreResult<()> {
    sqlx::query("INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(now)
        .bind(&actor.0)
        .bind(action)
        .bind(subject)
        .bind(detail.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn push_list(q: &mut QueryBuilder<Db>, values: impl Iterator<Item = String>) {
    let mut separated = q.separated(", ");
    for value in values {
        separated.push_bind(value);
    }
}

