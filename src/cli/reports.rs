//! `briefcast report reach`: what influencers did with the briefs, summed.

use clap::Subcommand;

use super::{Output, open_store};
use crate::access::Caller;
use crate::config::Config;
use crate::reach::{Figures, ReachReport, parse_query, to_csv};
use crate::service::reach;

#[derive(Debug, Subcommand)]
pub(super) enum ReportCommand {
    /// Reach per brief, theme, platform and ISO week, against the weeks before the campaign
    Reach {
        /// One brief only
        #[arg(long)]
        brief: Option<String>,
        /// Briefs with this topic only
        #[arg(long)]
        topic: Option<String>,
        /// From this day (YYYY-MM-DD, Finnish time)
        #[arg(long)]
        from: Option<String>,
        /// To this day, inclusive
        #[arg(long)]
        to: Option<String>,
        /// CSV instead of text (`--json` gives JSON)
        #[arg(long)]
        csv: bool,
    },
}

pub(super) async fn run(config: &Config, out: Output, command: ReportCommand) -> anyhow::Result<()> {
    let ReportCommand::Reach {
        brief,
        topic,
        from,
        to,
        csv,
    } = command;
    let query = parse_query(brief.as_deref(), topic.as_deref(), from.as_deref(), to.as_deref())
        .map_err(|(field, message)| anyhow::anyhow!("--{field}: {message}"))?;
    let store = open_store(config).await?;
    let report = reach::report(store.as_ref(), &Caller::cli(), &query).await?;
    if csv {
        outln!("{}", to_csv(&report)?.trim_end());
    } else if out.json {
        outln!("{}", serde_json::to_string(&report)?);
    } else {
        print_text(&report);
    }
    Ok(())
}

const HEADER: &str = "  readers   posts posters potential    views  clicks questions answered";

fn figures(label: &str, f: &Figures) {
    outln!(
        "{label:<34}{:>9} {:>7} {:>7} {:>9} {:>8} {:>7} {:>9} {:>8}",
        f.readers_reached,
        f.posts,
        f.posters,
        f.potential_reach,
        f.views,
        f.clicks,
        f.questions,
        f.answered
    );
}

fn cut(text: &str) -> String {
    let short: String = text.chars().take(32).collect();
    if short.chars().count() < text.chars().count() {
        format!("{}…", short.chars().take(31).collect::<String>())
    } else {
        short
    }
}

fn print_text(report: &ReachReport) {
    match report.first_edition {
        Some(first) => outln!("Campaign from {}", first.format("%Y-%m-%d")),
        None => outln!("No edition carried these briefs yet."),
    }
    outln!("{:<34}{HEADER}", "");
    figures("total", &report.totals);
    figures(
        &format!("baseline ({} weeks before)", report.baseline_weeks),
        &report.baseline,
    );
    outln!("\nper brief");
    for b in &report.briefs {
        figures(&cut(&format!("{} {}", b.brief.0, b.title)), &b.figures);
    }
    outln!("\nper theme");
    for t in &report.topics {
        figures(&cut(&t.topic), &t.figures);
    }
    outln!("\nper platform                        posts posters potential    views");
    for p in &report.platforms {
        outln!(
            "{:<34}{:>7} {:>7} {:>9} {:>8}",
            p.platform,
            p.posts,
            p.posters,
            p.potential_reach,
            p.views
        );
    }
    outln!("\nper week");
    for w in &report.weeks {
        let label = format!("{}{}", w.week, if w.baseline { " (baseline)" } else { "" });
        figures(&label, &w.figures);
    }
}
