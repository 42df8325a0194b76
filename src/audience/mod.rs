//! The audience: influencers on the roster, how they are imported, and the segments over them.

mod email;
mod influencer;
pub mod roster;
mod segment;

pub use email::{EmailAddress, InvalidEmail, hash_address, mask, mask_addresses};
pub use influencer::{Influencer, PLATFORMS, StoredInfluencer};
pub use segment::{Segment, SegmentError, SegmentFilter};

use serde::Serialize;

/// The outcome of one roster import, as shown to the coordinator and kept in the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: Vec<roster::RejectedRow>,
}

/// Why an import changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    File(#[from] roster::RosterError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("reading the roster failed: {0}")]
    Reader(String),
}

/// Reads a roster file held in memory and stores it whole, or changes nothing.
pub async fn import(
    store: &dyn crate::store::Store,
    bytes: &[u8],
    actor: &crate::access::Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ImportReport, ImportError> {
    import_from(store, std::io::Cursor::new(bytes.to_vec()), actor, now).await
}

/// Reads a roster as it arrives from `source` (a file, a request body) and stores it whole, or
/// changes nothing. Reading runs on a blocking thread and hands parts to the store through a
/// short queue, so memory holds a few parts whatever the file's length.
pub async fn import_from(
    store: &dyn crate::store::Store,
    source: impl std::io::Read + Send + 'static,
    actor: &crate::access::Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ImportReport, ImportError> {
    let (parts, mut received) = tokio::sync::mpsc::channel(2);
    let reading = tokio::task::spawn_blocking(move || roster::read(source, |part| parts.blocking_send(part).is_ok()));
    let stored = store.import_roster(&mut received, actor, now).await;
    // Closed before waiting, so a reader blocked on a store that gave up stops.
    drop(received);
    let read = reading.await.map_err(|e| ImportError::Reader(e.to_string()))?;
    read?;
    match stored? {
        Some(report) => Ok(report),
        None => Err(ImportError::Reader(
            "the reader stopped without finishing the file".into(),
        )),
    }
}
