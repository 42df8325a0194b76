//! `briefcast edition …`: send, list, inspect, pause, resume and cancel editions.

use anyhow::Context;
use clap::Subcommand;
use serde_json::json;

use super::{Output, open_store};
use crate::access::Actor;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::edition::{BriefId, EditionAction, EditionId, Progress};
use crate::store::{EditionCreated, EditionSummary};

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
    let now = SystemClock.now();
    match command {
        EditionCommand::Send {
            schedule,
            now: confirmed,
        } => {
            anyhow::ensure!(
                confirmed,
                "add --now to send `{schedule}`'s edition outside its schedule"
            );
            let stored = store
                .schedule(&schedule)
                .await?
                .with_context(|| format!("no schedule named `{schedule}`"))?;
            let created = store.send_now(stored.id, &Actor::cli(), now).await?.with_context(|| {
                format!(
                    "schedule `{schedule}` has no approved, unexpired brief it has not carried yet: nothing to send"
                )
            })?;
            print_created(&out, &created);
        }
        EditionCommand::Flash { brief } => {
            let created = store.create_flash(brief, &Actor::cli(), now).await?;
            print_created(&out, &created);
        }
        EditionCommand::List { limit } => {
            let list = store.editions(limit, 0).await?;
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
            let summary = store.edition(id).await?.with_context(|| format!("no edition {id}"))?;
            let progress = store
                .edition_progress(id, now)
                .await?
                .with_context(|| format!("no edition {id}"))?;
            if out.json {
                outln!("{}", json!({ "edition": summary, "progress": progress }));
            } else {
                print_summary_line(&summary);
                let briefs: Vec<String> = summary
                    .briefs
                    .iter()
                    .map(|b| format!("{}{}", b.brief, if b.is_correction { " (correction)" } else { "" }))
                    .collect();
                outln!("  briefs    {}", briefs.join(", "));
                print_progress(&progress);
            }
        }
        EditionCommand::Pause { id } => change(&out, store.as_ref(), id, EditionAction::Pause).await?,
        EditionCommand::Resume { id } => change(&out, store.as_ref(), id, EditionAction::Resume).await?,
        EditionCommand::Cancel { id } => change(&out, store.as_ref(), id, EditionAction::Cancel).await?,
    }
    Ok(())
}

async fn change(
    out: &Output,
    store: &dyn crate::store::Store,
    id: EditionId,
    action: EditionAction,
) -> anyhow::Result<()> {
    let status = store
        .change_edition(id, action, &Actor::cli(), SystemClock.now())
        .await?;
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
