//! `briefcast deliveries …`: the delivery log, and resending on ops' request.

use clap::{Args, Subcommand};
use serde_json::json;

use super::{Output, open_store};
use crate::access::Caller;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::edition::ResendTarget;
use crate::edition::{DeliveryId, DeliveryStatus, EditionId};
use crate::service::deliveries as service;
use crate::store::DeliveryQuery;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(super) struct DeliveriesArgs {
    #[command(subcommand)]
    command: Option<DeliveriesCommand>,
    /// Only this edition's deliveries
    #[arg(long)]
    edition: Option<EditionId>,
    /// Only deliveries in this status (queued, sending, sent, deferred, failed, bounced,
    /// suppressed, uncertain, cancelled, expired)
    #[arg(long)]
    status: Option<DeliveryStatus>,
    #[arg(long, default_value_t = 100)]
    limit: u64,
    #[arg(long, default_value_t = 0)]
    offset: u64,
    /// Show each delivery's status history
    #[arg(long)]
    history: bool,
}

#[derive(Debug, Subcommand)]
enum DeliveriesCommand {
    /// Send uncertain or failed deliveries again: by edition and status, or one by one
    Resend {
        #[arg(long, requires = "status", conflicts_with = "delivery")]
        edition: Option<EditionId>,
        #[arg(long)]
        status: Option<DeliveryStatus>,
        #[arg(long = "delivery", required_unless_present = "edition")]
        delivery: Vec<DeliveryId>,
    },
}

pub(super) async fn run(config: &Config, out: Output, args: DeliveriesArgs) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    match args.command {
        Some(DeliveriesCommand::Resend {
            edition,
            status,
            delivery,
        }) => {
            let target = match (edition, status) {
                (Some(edition), Some(status)) => ResendTarget::Edition { edition, status },
                _ => ResendTarget::Deliveries(delivery),
            };
            let n = service::resend(store.as_ref(), &Caller::cli(), &target, SystemClock.now()).await?;
            out.line(
                json!({ "requeued": n }),
                &format!("{n} delivery(ies) queued again. (Only uncertain or failed ones of editions not cancelled are resent.)"),
            );
        }
        None => {
            let query = DeliveryQuery {
                edition: args.edition,
                status: args.status,
                limit: args.limit,
                offset: args.offset,
                ..Default::default()
            };
            let list = service::log(store.as_ref(), &Caller::cli(), &query).await?;
            if out.json {
                outln!("{}", json!(list));
                return Ok(());
            }
            for d in &list {
                outln!(
                    "{:<8} ed {:<6} {:<36} {}  {:<10} tries {}  {}",
                    d.id,
                    d.edition,
                    d.email.as_deref().unwrap_or("(erased)"),
                    d.language,
                    d.status.as_str(),
                    d.attempts,
                    d.last_response.as_deref().unwrap_or("")
                );
                if args.history {
                    for e in &d.events {
                        outln!(
                            "           {}  {:<10} {}",
                            e.at.format("%Y-%m-%d %H:%M:%S"),
                            e.status,
                            e.detail
                        );
                    }
                }
            }
            outln!("{} delivery(ies)", list.len());
        }
    }
    Ok(())
}
