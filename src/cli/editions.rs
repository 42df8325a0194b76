//! `briefcast edition …`: send, list, inspect, pause, resume and cancel editions.

use clap::Subcommand;
use serde_json::json;

use super::{Output, open_store};
use crate::access::Caller;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::edition::{BriefId, EditionAction, EditionId, Progress};
use crate::edition::{EditionCreated, EditionSummary};
use crate::service::editions;

#[derive(Debug, Subcommand)]
pub(super) enum EditionCommand {
    /// Send a schedule's edition now, with the briefs it has not carried yet
    Send {
        schedule: String,
        /// Required: sending outside the schedule is a deliberate act
        #[arg(long)]
        now: bool,
    },
    /// Send one urgent brief at once to every subscriber who has not had it
    Flash { brief: BriefId },
    /// List editions, newest first
    List {
        #[arg(long, default_value_t = 20)]
        limit: u64,
    },
    /// An edition's briefs and progress: sent of total, rate, latest errors
    Show { id: EditionId },
    /// Stop claiming the edition's deliveries; sends in flight finish
    Pause { id: EditionId },
    /// Claim the edition's deliveries again
    Resume { id: EditionId },
    /// Cancel every delivery not yet sent
    Cancel { id: EditionId },
}

pub(super) async fn run(config: &Config, out: Output, command: EditionCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let (store, caller, now) = (store.as_ref(), Caller::cli(), SystemClock.now());
    match command {
        EditionCommand::Send {
            schedule,
            now: confirmed,
        } => {
            anyhow::ensure!(
                confirmed,
                "add --now to send `{schedule}`'s edition outside its schedule"
            );
            print_created(&out, &editions::send_now(store, &caller, &schedule, None, now).await?);
        }
        EditionCommand::Flash { brief } => print_created(&out, &editions::flash(store, &caller, brief, now).await?),
        EditionCommand::List { limit } => {
            let list = editions::list(store, &caller, limit, 0).await?;
            if out.json {
                outln!("{}", json!(list));
            } else {
                for e in &list {
                    print_summary_line(e);
                }
                outln!("{} edition(s)", list.len());
            }
        }
        EditionCommand::Show { id } => {
            let view = editions::show(store, &caller, id, now).await?;
            if out.json {
                outln!("{}", json!(view));
            } else {
                print_summary_line(&view.edition);
                let briefs: Vec<String> = view
                    .edition
                    .briefs
                    .iter()
                    .map(|b| format!("{}{}", b.brief, if b.is_correction { " (correction)" } else { "" }))
                    .collect();
                outln!("  briefs    {}", briefs.join(", "));
                print_progress(&view.progress);
            }
        }
        EditionCommand::Pause { id } => change(&out, store, &caller, id, EditionAction::Pause, now).await?,
        EditionCommand::Resume { id } => change(&out, store, &caller, id, EditionAction::Resume, now).await?,
        EditionCommand::Cancel { id } => change(&out, store, &caller, id, EditionAction::Cancel, now).await?,
    }
    Ok(())
}

async fn change(
    out: &Output,
    store: &dyn crate::store::Store,
    caller: &Caller,
    id: EditionId,
    action: EditionAction,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let status = editions::change(store, caller, id, action, None, now).await?;
    out.line(
        json!({ "edition": id, "status": status }),
        &format!("Edition {id} is now {status}."),
    );
    Ok(())
}

fn print_created(out: &Output, created: &EditionCreated) {
    out.line(
        json!(created),
        &format!(
            "Edition {} created: {} delivery(ies) queued.",
            created.edition, created.recipients
        ),
    );
}

fn print_summary_line(e: &EditionSummary) {
    outln!(
        "#{:<6} {:<9} {:<9} {:<20} due {}  {} delivery(ies)",
        e.id,
        e.kind.as_str(),
        e.status.as_str(),
        e.schedule.as_deref().unwrap_or("-"),
        e.due_at.format("%Y-%m-%d %H:%M UTC"),
        e.deliveries
    );
}

fn print_progress(p: &Progress) {
    use crate::edition::DeliveryStatus;
    outln!(
        "  progress  {} sent of {}, {} still to go, {:.1}/s over the last minute",
        p.count(DeliveryStatus::Sent),
        p.total,
        p.pending(),
        p.rate_per_second()
    );
    let counts: Vec<String> = p.by_status.iter().map(|(s, n)| format!("{s} {n}")).collect();
    outln!("  status    {}", counts.join(", "));
    for e in &p.last_errors {
        outln!(
            "  error     delivery {} {} at {}: {}",
            e.delivery,
            e.status,
            e.at.format("%Y-%m-%d %H:%M:%S"),
            e.detail
        );
    }
}
