//! `briefcast brief …`: the brief use cases at the command line.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use serde_json::json;

use super::{Output, open_store};
use crate::access::Caller;
use crate::brief::{BriefFormat, BriefStatus};
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::ids::BriefId;
use crate::language::Language;
use crate::pack::{Content, LanguagePolicy, write_preview};
use crate::service::briefs::{self as service, Checked};

#[derive(Debug, Subcommand)]
pub enum BriefCommand {
    /// Queue a brief from a TOML or JSON file as a draft; prints its id and every problem
    Add { file: PathBuf },
    /// List briefs, newest first
    List {
        #[arg(long)]
        status: Option<String>,
    },
    /// Show a brief with its status and problems
    Show { id: BriefId },
    /// Replace a brief's text; an approved brief returns to draft
    Edit { id: BriefId, file: PathBuf },
    /// Approve a draft (the command line acts with the approver role; the two-person rule applies)
    Approve { id: BriefId },
    /// Withdraw a brief that has not been sent
    Withdraw { id: BriefId },
    /// Issue a correction of a sent brief from a file: a new draft that supersedes it
    Correct { id: BriefId, file: PathBuf },
    /// What readers of one language would receive: the plain-text version on stdout (all of it
    /// as JSON with --json), or HTML, text and snippets as files with --out
    Preview {
        id: BriefId,
        #[arg(long)]
        lang: Language,
        /// Folder to write pack.html, pack.txt, snippets.json and preview.json into, instead of
        /// printing the text
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn read(file: &Path) -> anyhow::Result<(String, BriefFormat)> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    Ok((text, BriefFormat::of_path(file)))
}

fn parse_status(raw: &str) -> anyhow::Result<BriefStatus> {
    serde_json::from_value(json!(raw))
        .with_context(|| format!("status `{raw}` does not exist (draft, approved, queued, sent, withdrawn, expired)"))
}

fn print_checked(out: &Output, checked: &Checked) {
    if out.json {
        outln!("{}", json!(checked));
        return;
    }
    let b = &checked.stored;
    let languages: Vec<&str> = b.brief.languages().iter().map(|l| l.code()).collect();
    outln!(
        "brief {}: {} (version {}), {}, {} [{}]",
        b.id,
        b.brief.meta.slug,
        b.version,
        b.status,
        if b.brief.is_urgent() { "urgent" } else { "routine" },
        languages.join(", ")
    );
    if let Some(by) = &b.approved_by {
        outln!("  approved by {by}");
    }
    if let Some(cap) = &b.brief.meta.cap {
        outln!(
            "  from CAP {} {} ({}), sent {} by {}",
            cap.status,
            cap.msg_type,
            cap.identifier,
            cap.sent.to_rfc3339(),
            cap.sender
        );
        for reference in &cap.references {
            outln!("    refers to {reference}");
        }
        if !cap.ignored_languages.is_empty() {
            outln!(
                "    languages left out (not offered): {}",
                cap.ignored_languages.join(", ")
            );
        }
    }
    if let Some(press) = &b.brief.meta.press {
        outln!(
            "  from the press feed \"{}\": {}{}",
            press.feed,
            press.link,
            press
                .published
                .map(|at| format!(", published {}", at.to_rfc3339()))
                .unwrap_or_default()
        );
    }
    for note in &checked.notes {
        outln!("  {note}");
    }
    if checked.problems.is_empty() {
        outln!("  no problems: ready for approval");
    } else {
        outln!("  {} problem(s):", checked.problems.len());
        for p in &checked.problems {
            outln!("  - {p}");
        }
    }
}

pub async fn run(config: &Config, out: Output, command: BriefCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let content = Content::configured(config).context("loading templates and strings")?;
    let now = SystemClock.now();
    let (store, caller) = (store.as_ref(), Caller::cli());
    match command {
        BriefCommand::Add { file } => {
            let (text, format) = read(&file)?;
            let checked = service::submit(store, &content, &text, format, &caller, now)
                .await
                .with_context(|| format!("{}: nothing was stored", file.display()))?;
            print_checked(&out, &checked);
        }
        BriefCommand::List { status } => {
            let status = status.as_deref().map(parse_status).transpose()?;
            let briefs = service::list(store, &caller, status, now).await?;
            if out.json {
                outln!("{}", json!(briefs));
            } else {
                for b in briefs {
                    outln!(
                        "{:>5}  {:<9} {:<8} v{}  {}  {}",
                        b.id,
                        b.status.as_str(),
                        if b.brief.is_urgent() { "urgent" } else { "routine" },
                        b.version,
                        b.brief.meta.slug,
                        b.brief
                            .languages()
                            .iter()
                            .map(|l| l.code())
                            .collect::<Vec<_>>()
                            .join(",")
                    );
                }
            }
        }
        BriefCommand::Show { id } => print_checked(&out, &service::show(store, &content, &caller, id, now).await?),
        BriefCommand::Edit { id, file } => {
            let (text, format) = read(&file)?;
            print_checked(
                &out,
                &service::edit(store, &content, id, (&text, format), None, &caller, now).await?,
            );
        }
        BriefCommand::Approve { id } => {
            let approved = service::approve(store, &content, id, None, &caller, config.two_person_rule, now).await?;
            out.line(json!(approved), &format!("brief {id} approved by {}", caller.actor));
        }
        BriefCommand::Withdraw { id } => {
            let withdrawn = service::withdraw(store, id, None, &caller, now).await?;
            out.line(json!(withdrawn), &format!("brief {id} withdrawn"));
        }
        BriefCommand::Correct { id, file } => {
            let (text, format) = read(&file)?;
            print_checked(
                &out,
                &service::correct(store, &content, id, &text, format, &caller, now).await?,
            );
        }
        BriefCommand::Preview { id, lang, out: dir } => {
            let preview = service::preview(
                store,
                &content,
                &caller,
                id,
                lang,
                LanguagePolicy::from_config(config),
                now,
            )
            .await?;
            match dir {
                Some(dir) => {
                    let written =
                        write_preview(&preview, &dir).with_context(|| format!("writing to {}", dir.display()))?;
                    for path in written {
                        outln!("{}", path.display());
                    }
                }
                None if out.json => outln!("{}", json!(preview)),
                None => match (&preview.text, &preview.held) {
                    (Some(text), _) => outln!("{text}"),
                    (None, Some(held)) => outln!("held from {lang} readers: {held}"),
                    (None, None) => {}
                },
            }
            for p in &preview.problems {
                eprintln!("problem: {p}");
            }
        }
    }
    Ok(())
}
