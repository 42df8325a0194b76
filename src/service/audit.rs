//! The audit log: who did what, newest first.

use crate::access::{Caller, Denied};
use crate::store::{AuditEntry, AuditQuery, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The latest `limit` entries. They name people and what was done to whom, so coordinators
/// and approvers read them, ops do not.
pub async fn log(store: &dyn Store, caller: &Caller, limit: u64) -> Result<Vec<AuditEntry>, AuditError> {
    caller.must_coordinate()?;
    Ok(store.audit_log(limit).await?)
}

/// Entries picked by family, actor or subject, a page at a time.
pub async fn search(store: &dyn Store, caller: &Caller, query: &AuditQuery) -> Result<Vec<AuditEntry>, AuditError> {
    caller.must_coordinate()?;
    Ok(store.audit_search(query).await?)
}
