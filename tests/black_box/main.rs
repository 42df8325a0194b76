//! Black-box tests: briefcast driven through its HTTP API, its command line and its daemon
//! process, as coordinators, approvers, ops, influencers and mail servers meet it.
//!
//! One test binary (`cargo test --test black_box`); a module per concern, `MODULE::` filters it.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod api;
mod briefs;
mod cap_api;
mod cli;
mod console;
mod dispatch_api;
mod dispatch_cli;
mod dispatch_crash;
mod dispatch_faults;
mod dispatch_two_daemons;
mod edition_e2e;
mod feeds;
mod packs;
mod questions_api;
mod questions_cli;
mod reach;
mod readme;
mod scheduler_loop;
mod sender_guard;
mod users_cli;
