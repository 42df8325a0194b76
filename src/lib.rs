//! briefcast: crisis communication through social-media influencers.
//!
//! A brief comes in, becomes packs in Finnish, Swedish and English, goes out in editions to
//! segmented influencer lists, and the questions that come back are logged for the authorities.

pub mod access;
pub mod app;
pub mod audience;
pub mod brief;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod dispatch;
pub mod edition;
pub mod files;
pub mod inbound;
pub mod language;
pub mod metrics;
pub mod pack;
pub mod questions;
pub mod schedule;
pub mod scheduler;
pub mod service;
pub mod shutdown;
pub mod store;
pub mod telemetry;
pub mod text;
pub mod token;
pub mod web;
