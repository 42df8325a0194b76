//! What people read and write, without a database: briefs parsed and validated, packs
//! rendered against golden files in three languages, replies parsed, schedules typed.
//!
//! One test binary (`cargo test --test content`); a module per concern, `MODULE::` filters it.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod brief_cap;
mod brief_parse;
mod brief_press;
mod brief_validate;
mod inbound_garbage;
mod inbound_golden;
mod pack_edition;
mod pack_golden;
mod pack_html;
mod pack_locale;
mod pack_preview;
mod schedule_dst;
mod schedule_input;
