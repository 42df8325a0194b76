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
