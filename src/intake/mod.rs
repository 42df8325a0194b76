//! Intake: every inbound message stored first, then matched to what we sent, decided on, and
//! acted on, once.
//!
//! The parts in the order a message meets them: `receive` (stored before anything else, the
//! pipeline, and what a crash left unprocessed), `verify` (the signed tokens in our reply
//! addresses), `matching` (the delivery or influencer it refers to), `decision` (what it means:
//! pure), and `workers` (the daemon's IMAP and retention loops).

mod decision;
mod matching;
mod receive;
mod verify;
pub mod workers;

pub use decision::decide;
pub use matching::{Match, MatchedBy, find};
pub use receive::{Received, content_ref, process_pending, receive, receive_fetched};
pub use verify::{NoTokens, ReplyTokens};
