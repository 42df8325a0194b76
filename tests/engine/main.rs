//! The engine on both databases and against real peers: the store's rules (roster, claims,
//! editions, runs, rates, intake), the scheduler's tick and the mail transports.
//!
//! One test binary (`cargo test --test engine`); a module per concern, `MODULE::` filters it.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod brief_lifecycle;
mod dispatch_claims;
mod dispatch_editions;
mod inbound_imap;
mod intake_imap;
mod intake_replies;
mod rate;
mod roster;
mod schedule_due;
mod scheduler_runs;
mod sessions;
mod transport_http;
mod transport_outbox;
mod transport_smtp;
mod transport_smtp_sink;
mod transport_smtp_tls;
