//! briefcast: crisis communication through social-media influencers.
//!
//! A brief comes in, becomes packs in Finnish, Swedish and English, goes out in editions to
//! segmented influencer lists, and the questions that come back are logged for the authorities.
//! The modules below follow that flow, then the layers every part stands on.

// The flow, in order.
// A brief: one authority's message, its validation and its lifecycle.
pub mod brief;
// Government feeds (CAP alerts, press releases) read into draft briefs, once per item.
pub mod feed;
// The roster: influencers, their CSV import, segments over them.
pub mod audience;
// Packs: a brief rendered per language (email HTML and text, snippets), and editions of packs.
pub mod pack;
// When editions go out: cron on a local clock, across daylight-saving changes.
pub mod schedule;
// Fires due schedules into editions and keeps one scheduler leader among daemons.
pub mod scheduler;
// Editions and deliveries: ids, statuses, actions and progress.
pub mod edition;
// From a delivery to a message on the wire: leases, lanes, heartbeats, transports.
pub mod dispatch;
// Signed tokens in reply addresses and reader links.
pub mod token;
// Replies coming back, read: parsing, classifying, cleaning; the IMAP client.
pub mod inbound;
// Replies taken in: stored first, matched, decided on (purely), applied once; the IMAP loop.
pub mod intake;
// The question log's workflow and its CSV.
pub mod questions;
// Reach: post reports, source clicks and the reach report.
pub mod reach;

// The use cases, and the interfaces on them.
// Every step a coordinator, approver or ops person takes, written once, role checked.
pub mod service;
// Who acts with which role; API tokens.
pub mod access;
// People who sign in: accounts, their names and their passwords' rules and hashes.
pub mod account;
// The second factor: one-time codes from an authenticator app (RFC 6238).
pub mod totp;
// The command line: parses, calls a use case, prints.
pub mod cli;
// The JSON API, the reader's page, health and metrics: parses, calls a use case, renders.
pub mod web;

// What everything stands on.
// Storage: the only place that writes SQL, on SQLite and PostgreSQL.
pub mod store;
// Settings: embedded defaults, `briefcast.toml`, `BRIEFCAST_*`, each remembering its source.
pub mod config;
// Keys of stored things, one newtype each.
pub mod ids;
// Languages: Finnish, Finland-Swedish, English.
pub mod language;
// Cadences: daily, weekly, monthly.
pub mod cadence;
// Rules about outside text that ends up in a header or a one-line report.
pub mod text;
// Secrets masked in URLs before they are shown or logged.
pub mod mask;
// Private files and folders for personal data and secrets.
pub mod files;
// Time, injected.
pub mod clock;
// Startup: the daemon's parts built from a configuration and run side by side.
pub mod app;
// `serve --demo`: a fresh deployment seeded with the whole loop.
pub mod demo;
// A clean stop on SIGINT or SIGTERM.
pub mod shutdown;
// Logs through `tracing`.
pub mod telemetry;
// Prometheus metrics.
pub mod metrics;
