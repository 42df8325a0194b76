//! The use cases: each step a coordinator, approver or ops person takes, written once for every
//! interface. The command line, the JSON API and the console parse a request, call one function
//! here with the `Caller` who asks, and render what it returns; the role checks are made here,
//! and the rules themselves live in the domain modules (`brief`, `edition`, `audience`, …).

pub mod accounts;
pub mod alerts;
pub mod audience;
pub mod audit;
pub mod briefs;
pub mod deliveries;
pub mod editions;
pub mod feeds;
pub mod inbound;
pub mod ops;
pub mod packs;
pub mod questions;
pub mod reach;
pub mod schedules;
pub mod sessions;
pub mod subscription;
pub mod tokens;
