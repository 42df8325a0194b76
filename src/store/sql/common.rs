//! Helpers every SQL file shares: the transaction and row types, batching, the audit entry,
//! list columns and segment filters.
//!
//! Compiled once per backend; see `store/dialect.rs` for `Db`.

use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

use super::Db;
use crate::access::Actor;
use crate::audience::SegmentFilter;
use crate::store::StoreResult;

pub(super) type Tx = sqlx::Transaction<'static, Db>;
pub(super) type DbRow = <Db as sqlx::Database>::Row;

/// Rows per multi-row statement: 15 columns × 500 stays far below both backends' bind limits.
pub(super) const BATCH: usize = 500;

/// A count or offset from a caller, as SQL's signed 64-bit integer: past `i64::MAX` it stays
/// there, so a huge offset means "past the end", never a wrap-around to the first page.
pub(super) fn sql_count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(super) async fn audit(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    subject: &str,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> StoreResult<()> {
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

pub(super) fn push_list(q: &mut QueryBuilder<Db>, values: impl Iterator<Item = String>) {
    let mut separated = q.separated(", ");
    for value in values {
        separated.push_bind(value);
    }
}

/// Appends a segment's conditions. Suppressed addresses are never members.
pub(super) fn push_segment_filter(q: &mut QueryBuilder<Db>, filter: &SegmentFilter) {
    q.push(" AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email_hash = influencers.email_hash)");
    let mut any_of = |column: &str, values: Vec<String>| {
        if !values.is_empty() {
            q.push(format!(" AND {column} IN ("));
            push_list(q, values.into_iter());
            q.push(")");
        }
    };
    any_of(
        "language",
        filter.languages.iter().map(|l| l.code().to_string()).collect(),
    );
    any_of(
        "cadence",
        filter.cadences.iter().map(|c| c.as_str().to_string()).collect(),
    );
    any_of("tier", filter.tiers.clone());
    any_of("region_key", filter.regions.clone());
    for (column, values) in [("platforms", &filter.platforms), ("topics", &filter.topics)] {
        if values.is_empty() {
            continue;
        }
        q.push(" AND (");
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                q.push(" OR ");
            }
            q.push(format!("{column} LIKE ")).push_bind(format!("%;{value};%"));
        }
        q.push(")");
    }
    if let Some(min) = filter.min_followers {
        q.push(" AND followers >= ").push_bind(min as i64);
    }
    if let Some(max) = filter.max_followers {
        q.push(" AND followers <= ").push_bind(max as i64);
    }
}

/// Text to find with `LIKE … ESCAPE '\\'`: its own `%` and `_` stand for themselves.
pub(super) fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// List fields are stored as `;a;b;` so that `LIKE '%;b;%'` finds a member on both backends.
pub(super) fn list_column(items: &[String]) -> String {
    format!(";{};", items.join(";"))
}

pub(super) fn list_from_column(column: &str) -> Vec<String> {
    column
        .split(';')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
