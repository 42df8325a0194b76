//! `briefcast schedules …`: define schedules and see when they next run.

use anyhow::Context;
use clap::Subcommand;
use serde_json::json;

use super::{Output, open_store};
use crate::access::Actor;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::language::Cadence;
use crate::schedule::{NewSchedule, Schedule};
use crate::store::StoredSchedule;

/// How many upcoming runs a listing shows.
const SHOWN_RUNS: usize = 3;

#[derive(Debug, Subcommand)]
pub(super) enum ScheduleCommand {
    /// Save a schedule: a cron expression on a time zone's clock, a cadence and a segment
    Add {
        name: String,
        /// Standard 5-field cron, e.g. "0 9 * * 1" for Mondays at 09:00
        #[arg(long)]
        cron: String,
        #[arg(long)]
        cadence: Cadence,
        /// The segment the editions go to
        #[arg(long)]
        segment: String,
        /// IANA time zone the cron expression is read in
        #[arg(long, default_value = "Europe/Helsinki")]
        time_zone: String,
    },
    /// List schedules with their next runs in local time and UTC
    List,
    /// Show one schedule and its next runs
    Show { name: String },
}

pub(super) async fn run(config: &Config, out: Output, command: ScheduleCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let now = SystemClock.now();
    match command {
        ScheduleCommand::Add {
            name,
            cron,
            cadence,
            segment,
            time_zone,
        } => {
            let schedule = Schedule::new(NewSchedule {
                name,
                cron,
                time_zone: Some(time_zone),
                cadence,
                segment,
            })?;
            let stored = store.add_schedule(&schedule, &Actor::cli(), now).await?;
            if out.json {
                outln!("{}", describe(&stored, now));
            } else {
                outln!("Schedule `{}` saved.", stored.schedule.name());
                print_schedule(&stored, now);
            }
        }
        ScheduleCommand::List => {
            let list = store.schedules().await?;
            if out.json {
                outln!("{}", json!(list.iter().map(|s| describe(s, now)).collect::<Vec<_>>()));
            } else if list.is_empty() {
                outln!(
                    "No schedules yet: add one with `briefcast schedules add NAME --cron … --cadence … --segment …`."
                );
            } else {
                for stored in &list {
                    print_schedule(stored, now);
                }
            }
        }
        ScheduleCommand::Show { name } => {
            let stored = store
                .schedule(&name)
                .await?
                .with_context(|| format!("no schedule named `{name}`"))?;
            if out.json {
                outln!("{}", describe(&stored, now));
            } else {
                print_schedule(&stored, now);
            }
        }
    }
    Ok(())
}

fn describe(stored: &StoredSchedule, now: chrono::DateTime<chrono::Utc>) -> serde_json::Value {
    stored.describe(now, SHOWN_RUNS)
}

fn print_schedule(stored: &StoredSchedule, now: chrono::DateTime<chrono::Utc>) {
    let s = &stored.schedule;
    outln!(
        "{:<20} `{}` {} {:<7} → {}{}",
        s.name(),
        s.cron(),
        s.time_zone().name(),
        s.cadence().as_str(),
        s.segment(),
        if stored.enabled { "" } else { "  (disabled)" }
    );
    for run in s.next_runs(now, SHOWN_RUNS) {
        let note = if run.moved_by_dst() {
            format!(
                "  ({} does not exist that day: clocks spring forward)",
                run.nominal.format("%H:%M")
            )
        } else {
            String::new()
        };
        outln!(
            "    next  {}  =  {} UTC{note}",
            run.local.format("%a %Y-%m-%d %H:%M %Z"),
            run.due_at.format("%Y-%m-%d %H:%M")
        );
    }
}
