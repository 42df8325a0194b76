//! `briefcast schedules …`: define schedules and see when they next run.

use clap::Subcommand;
use serde_json::json;

use super::{Output, open_store};
use crate::access::Caller;
use crate::cadence::Cadence;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::schedule::NewSchedule;
use crate::schedule::StoredSchedule;
use crate::service::schedules::{self, SHOWN_RUNS};

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
    let (store, caller, now) = (store.as_ref(), Caller::cli(), SystemClock.now());
    match command {
        ScheduleCommand::Add {
            name,
            cron,
            cadence,
            segment,
            time_zone,
        } => {
            let new = NewSchedule {
                name,
                cron,
                time_zone: Some(time_zone),
                cadence,
                segment,
            };
            let view = schedules::add(store, &caller, new, now).await?;
            if out.json {
                outln!("{}", json!(view));
            } else {
                outln!("Schedule `{}` saved.", view.stored.schedule.name());
                print_schedule(&view.stored, now);
            }
        }
        ScheduleCommand::List => {
            let list = schedules::list(store, &caller, now).await?;
            if out.json {
                outln!("{}", json!(list));
            } else if list.is_empty() {
                outln!(
                    "No schedules yet: add one with `briefcast schedules add NAME --cron … --cadence … --segment …`."
                );
            } else {
                for view in &list {
                    print_schedule(&view.stored, now);
                }
            }
        }
        ScheduleCommand::Show { name } => {
            let view = schedules::show(store, &caller, &name, now).await?;
            if out.json {
                outln!("{}", json!(view));
            } else {
                print_schedule(&view.stored, now);
            }
        }
    }
    Ok(())
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
