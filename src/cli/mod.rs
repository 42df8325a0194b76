//! The command line. It parses, delegates and prints; the rules live elsewhere.

/// `println!` for the command line's output. Coordinators pipe it into `head` and `grep`: a reader
/// that stops reading ends the program quietly with status 0, where `println!` would panic.
macro_rules! outln {
    () => { $crate::cli::print_line(format_args!("")) };
    ($($arg:tt)*) => { $crate::cli::print_line(format_args!($($arg)*)) };
}

mod briefs;
mod deliveries;
mod dkim;
mod editions;
mod feeds;
mod questions;
mod reports;
mod schedules;
mod users;
mod verify;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::access::{Caller, Role};
use crate::app::App;
use crate::audience::{EmailAddress, ImportReport, SegmentFilter, StoredInfluencer};
use crate::cadence::Cadence;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::ids::TokenId;
use crate::language::Language;
use crate::service::audience::{self as audience_service, RosterFilter};
use crate::service::tokens;
use crate::store::{self, Store};

#[derive(Debug, Parser)]
#[command(
    name = "briefcast",
    version,
    about = "Crisis communication through social-media influencers"
)]
pub struct Cli {
    /// Configuration file (default: ./briefcast.toml when present)
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print JSON instead of text
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the daemon: HTTP API, scheduler, dispatcher and inbound (IMAP, retention)
    Serve {
        /// On an empty database, seed the demo: roster, schedules, the storm brief, an edition per
        /// cadence into the outbox and the sample replies
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations
    Migrate,
    /// Print the effective configuration, secrets masked
    Config,
    /// API tokens: create, list, revoke
    #[command(subcommand)]
    Token(TokenCommand),
    /// Accounts for the console: add, list, disable, reset-password
    #[command(subcommand)]
    Users(users::UserCommand),
    /// Briefs: add, list, show, edit, approve, withdraw, correct, preview
    #[command(subcommand)]
    Brief(briefs::BriefCommand),
    /// DKIM: the DNS records to publish for the configured keys, checked against DNS
    #[command(subcommand)]
    Dkim(dkim::DkimCommand),
    /// Government feeds (CAP alerts, press releases): add, list, remove, poll
    #[command(subcommand)]
    Feeds(feeds::FeedCommand),
    /// The influencer roster
    #[command(subcommand)]
    Influencers(InfluencerCommand),
    /// Segments: saved filters over the roster
    #[command(subcommand)]
    Segments(SegmentCommand),
    /// Schedules: when editions go out
    #[command(subcommand)]
    Schedules(schedules::ScheduleCommand),
    /// Editions: send, list, show, pause, resume, cancel
    #[command(subcommand)]
    Edition(editions::EditionCommand),
    /// The delivery log (`deliveries resend` sends uncertain or failed ones again)
    Deliveries(deliveries::DeliveriesArgs),
    /// The question log: list (filters below) or act on questions
    Questions(questions::QuestionsArgs),
    /// Whether a pack (a signed copy, a text from a post, or a pack page's address) is one this
    /// authority issued, and whether it still stands; exits 1 unless genuine and current
    Verify {
        /// A file (checked against this deployment), or the https address of a pack page
        #[arg(value_name = "FILE|URL")]
        target: String,
    },
    /// Reports: `report reach`, what influencers did with the briefs
    #[command(subcommand)]
    Report(reports::ReportCommand),
    /// The audit log of coordinator actions, newest first
    Audit {
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create a token; it is printed once and only its hash is stored
    Create {
        /// A service token's role (with no owner, it is known by its label)
        #[arg(long, required_unless_present = "owner", conflicts_with = "owner")]
        role: Option<Role>,
        /// A person's token instead: it acts as the person with the account of this address,
        /// with their role, and stops when their account is disabled
        #[arg(long = "for", value_name = "EMAIL")]
        owner: Option<String>,
        /// Who or what the token is for, as the audit log will name it
        #[arg(long, default_value = "unnamed")]
        label: String,
    },
    /// Every token with its label, role, creation, last use and revocation; never the token
    List,
    /// Revoke a token at once: it gets 401 from its next request on
    Revoke { id: TokenId },
}

#[derive(Debug, Subcommand)]
enum InfluencerCommand {
    /// Import a roster CSV: all of it lands with its report, or nothing changes
    Import { file: PathBuf },
    /// List influencers
    List {
        #[arg(long)]
        language: Option<Language>,
        #[arg(long)]
        cadence: Option<Cadence>,
        /// Only members of this segment
        #[arg(long)]
        segment: Option<String>,
    },
    /// Show one influencer
    Show { email: String },
    /// Everything held on one person, as JSON
    Export { email: String },
    /// GDPR erasure: remove the person, anonymise their replies, never mail the address again
    Erase { email: String },
}

#[derive(Debug, Subcommand)]
enum SegmentCommand {
    /// Save a segment; repeat a flag to allow several values
    Add {
        name: String,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// List segments with their member counts
    List,
    /// Show a segment and its current member count
    Show { name: String },
}

#[derive(Debug, Args)]
struct FilterArgs {
    #[arg(long = "language")]
    languages: Vec<Language>,
    #[arg(long = "platform")]
    platforms: Vec<String>,
    #[arg(long = "tier")]
    tiers: Vec<String>,
    #[arg(long = "topic")]
    topics: Vec<String>,
    #[arg(long = "region")]
    regions: Vec<String>,
    #[arg(long = "cadence")]
    cadences: Vec<Cadence>,
    #[arg(long)]
    min_followers: Option<u64>,
    #[arg(long)]
    max_followers: Option<u64>,
}

impl Cli {
    pub async fn run(self) -> anyhow::Result<()> {
        let config = Config::load(self.config.as_deref())?;
        crate::telemetry::init(config.log_format, &config.log_level);
        let out = Output { json: self.json };
        match self.command {
            Command::Serve { demo } => serve(config, demo).await,
            Command::Migrate => {
                open_store(&config).await?;
                out.line(json!({ "migrated": true }), "Migrations applied.");
                Ok(())
            }
            Command::Config => {
                let described = config.describe();
                if out.json {
                    let map: serde_json::Map<_, _> = described
                        .iter()
                        .map(|d| {
                            (
                                d.key.to_string(),
                                json!({ "value": d.value, "source": d.source, "group": d.group }),
                            )
                        })
                        .collect();
                    outln!("{}", serde_json::Value::Object(map));
                } else {
                    let mut group = None;
                    for d in described {
                        if group != Some(d.group) {
                            outln!("{}[{}]", if group.is_some() { "\n" } else { "" }, d.group.as_str());
                            group = Some(d.group);
                        }
                        outln!("  {:<22} {:<48} ({})", d.key, d.value, d.source);
                    }
                }
                Ok(())
            }
            Command::Token(TokenCommand::Create { role, owner, label }) => {
                let store = open_store(&config).await?;
                let (store, caller, now) = (store.as_ref(), Caller::cli(), SystemClock.now());
                let made = match (&owner, role) {
                    (Some(email), _) => tokens::create_for(store, &caller, email, &label, now).await?,
                    (None, Some(role)) => tokens::create(store, &caller, role, &label, now).await?,
                    (None, None) => anyhow::bail!("token create needs --role ROLE or --for EMAIL"),
                };
                let (id, token) = (made.id, made.token);
                // The token alone on stdout, so that `TOKEN=$(briefcast token create …)` works.
                out.line(
                    json!({ "id": id, "role": role, "for": owner, "label": label, "token": token }),
                    &token,
                );
                if !out.json {
                    match &owner {
                        Some(email) => eprintln!("(token {id}, acting as {email}; shown only this once)"),
                        None => eprintln!(
                            "(token {id}, role {}; shown only this once)",
                            role.map(|r| r.to_string()).unwrap_or_default()
                        ),
                    }
                }
                Ok(())
            }
            Command::Token(TokenCommand::List) => {
                let store = open_store(&config).await?;
                let tokens = tokens::list(store.as_ref(), &Caller::cli()).await?;
                if out.json {
                    outln!("{}", json!(tokens));
                } else {
                    outln!(
                        "{:<5} {:<24} {:<12} {:<32} {:<21} {:<21} revoked",
                        "id",
                        "label",
                        "role",
                        "belongs to",
                        "created",
                        "last used"
                    );
                    for t in &tokens {
                        outln!(
                            "{:<5} {:<24} {:<12} {:<32} {:<21} {:<21} {}",
                            t.id,
                            t.label,
                            t.role,
                            t.owner.as_deref().unwrap_or("(service)"),
                            when(Some(t.created_at)),
                            when(t.last_used_at),
                            when(t.revoked_at)
                        );
                    }
                    outln!("{} token(s)", tokens.len());
                }
                Ok(())
            }
            Command::Token(TokenCommand::Revoke { id }) => {
                let store = open_store(&config).await?;
                let revoked = tokens::revoke(store.as_ref(), &Caller::cli(), id, SystemClock.now()).await?;
                out.line(
                    json!(revoked),
                    &format!("Token {id} ({}, {}) is revoked.", revoked.label, revoked.role),
                );
                Ok(())
            }
            Command::Users(command) => users::run(&config, out, command).await,
            Command::Brief(command) => briefs::run(&config, out, command).await,
            Command::Influencers(command) => influencers(&config, out, command).await,
            Command::Segments(command) => segments(&config, out, command).await,
            Command::Schedules(command) => schedules::run(&config, out, command).await,
            Command::Feeds(command) => feeds::run(&config, out, command).await,
            Command::Dkim(command) => dkim::run(&config, out, command).await,
            Command::Verify { target } => verify::run(&config, out, &target).await,
            Command::Report(command) => reports::run(&config, out, command).await,
            Command::Edition(command) => editions::run(&config, out, command).await,
            Command::Deliveries(args) => deliveries::run(&config, out, args).await,
            Command::Questions(args) => questions::run(&config, out.json, args).await,
            Command::Audit { limit } => {
                let store = open_store(&config).await?;
                let entries = crate::service::audit::log(store.as_ref(), &Caller::cli(), limit).await?;
                if out.json {
                    outln!("{}", json!(entries));
                } else {
                    for e in entries {
                        outln!(
                            "{}  {:<24} {:<18} {:<24} {}",
                            e.at.format("%Y-%m-%d %H:%M:%S"),
                            e.actor,
                            e.action,
                            e.subject,
                            e.detail
                        );
                    }
                }
                Ok(())
            }
        }
    }
}

/// Writes one line of output; see `outln!`.
pub(crate) fn print_line(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let written = writeln!(std::io::stdout().lock(), "{line}");
    stop_unless_written(written);
}

/// Writes bytes as they are (a CSV, a raw message); see `outln!`.
pub(crate) fn print_bytes(bytes: &[u8]) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_all(bytes).and_then(|()| stdout.flush());
    stop_unless_written(written);
}

/// A closed pipe is the reader saying "enough": status 0. Any other failure to write (a full
/// disk under a redirect) is an error the user must see.
fn stop_unless_written(written: std::io::Result<()>) {
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            eprintln!("error: writing the output: {e}");
            std::process::exit(1);
        }
    }
}

struct Output {
    json: bool,
}

impl Output {
    fn line(&self, json: serde_json::Value, text: &str) {
        if self.json {
            outln!("{json}");
        } else {
            outln!("{text}");
        }
    }
}

/// A moment as listings show it, or `-` when it has not happened.
fn when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(|| "-".to_string(), |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
}

async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    let store = store::connect(&config.database_url).await?;
    store.migrate().await.context("applying database migrations")?;
    Ok(store)
}

async fn serve(config: Config, demo: bool) -> anyhow::Result<()> {
    let app = App::build(config, Arc::new(SystemClock)).await?;
    let shutdown = CancellationToken::new();
    tokio::spawn(crate::shutdown::cancel_on_signal(shutdown.clone()));
    if demo {
        let state = app.state.clone();
        let people = crate::demo::accounts(state.store.as_ref(), state.clock.now())
            .await
            .context("making the demo's console accounts")?;
        outln!(
            "The console is at {}/ ; sign in as",
            state.config.public_url.trim_end_matches('/')
        );
        for person in &people {
            outln!(
                "  {:<12} {:<24} password {}   ({})",
                person.role.as_str(),
                person.email,
                person.password,
                person.name
            );
        }
        let seeded = crate::demo::seed(state.store.as_ref(), &state.content, state.clock.now())
            .await
            .context("seeding the demo")?;
        if seeded {
            let stop = shutdown.clone();
            tokio::spawn(async move {
                let replayed = crate::demo::replay_replies(
                    state.store.as_ref(),
                    &state.tokens,
                    state.tokens.as_ref(),
                    state.clock.as_ref(),
                    stop,
                )
                .await;
                if let Err(error) = replayed {
                    tracing::warn!(error = format!("{error:#}"), "demo: sample replies not replayed");
                }
            });
        }
    }
    app.run_until_stopped(shutdown).await
}

fn parse_email(raw: &str) -> anyhow::Result<EmailAddress> {
    Ok(EmailAddress::parse(raw)?)
}

async fn influencers(config: &Config, out: Output, command: InfluencerCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let (store, caller) = (store.as_ref(), Caller::cli());
    match command {
        InfluencerCommand::Import { file } => {
            let source = std::fs::File::open(&file).with_context(|| format!("reading {}", file.display()))?;
            let report = audience_service::import(store, &caller, std::io::BufReader::new(source), SystemClock.now())
                .await
                .with_context(|| format!("{}: nothing was imported", file.display()))?;
            if out.json {
                outln!("{}", json!(report));
            } else {
                print_report(&file, &report);
            }
        }
        InfluencerCommand::List {
            language,
            cadence,
            segment,
        } => {
            let filter = RosterFilter {
                language,
                cadence,
                segment,
                ..Default::default()
            };
            let list = audience_service::list(store, &caller, filter).await?;
            if out.json {
                outln!("{}", json!(list));
            } else {
                for i in &list {
                    print_influencer_line(i);
                }
                outln!("{} influencer(s)", list.len());
            }
        }
        InfluencerCommand::Show { email } => {
            let view = audience_service::show(store, &caller, &parse_email(&email)?).await?;
            if out.json {
                outln!("{}", json!(view));
            } else {
                let i = &view.stored.influencer;
                outln!("{} <{}>", i.name, i.email);
                outln!("  language   {}    cadence {}", i.language, i.cadence);
                outln!("  platforms  {}", i.platforms.join(", "));
                outln!("  followers  {}", i.followers);
                outln!("  topics     {}", i.topics.join(", "));
                outln!("  region     {}    tier {}", i.region, i.tier);
                outln!("  consent    {} ({})", i.consent_at.to_rfc3339(), i.consent_source);
                if let Some(reason) = view.suppressed {
                    outln!("  SUPPRESSED ({}): never mailed", reason.as_str());
                }
            }
        }
        InfluencerCommand::Export { email } => {
            let data = audience_service::export(store, &caller, &parse_email(&email)?).await?;
            outln!("{}", serde_json::to_string_pretty(&data)?);
        }
        InfluencerCommand::Erase { email } => {
            let email = parse_email(&email)?;
            audience_service::erase(store, &caller, &email, SystemClock.now())
                .await
                .context("nothing erased")?;
            out.line(
                json!({ "erased": email.hash() }),
                &format!("Erased {email}: data removed, replies anonymised, address suppressed (kept only as a hash)."),
            );
        }
    }
    Ok(())
}

fn print_report(file: &std::path::Path, r: &ImportReport) {
    outln!(
        "Imported {}: {} new, {} updated, {} unchanged, {} rejected",
        file.display(),
        r.new,
        r.updated,
        r.unchanged,
        r.rejected.len()
    );
    for row in &r.rejected {
        outln!("  line {:<5} {}: {}", row.line, row.email, row.reason);
    }
}

fn print_influencer_line(s: &StoredInfluencer) {
    let i = &s.influencer;
    outln!(
        "{:<36} {:<24} {}  {:<7} {:>9}  {}",
        i.email.as_str(),
        i.name,
        i.language,
        i.cadence.as_str(),
        i.followers,
        i.platforms.join(";")
    );
}

async fn segments(config: &Config, out: Output, command: SegmentCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let (store, caller) = (store.as_ref(), Caller::cli());
    match command {
        SegmentCommand::Add { name, filter } => {
            let filter = SegmentFilter {
                languages: filter.languages,
                platforms: filter.platforms,
                tiers: filter.tiers,
                topics: filter.topics,
                regions: filter.regions,
                cadences: filter.cadences,
                min_followers: filter.min_followers,
                max_followers: filter.max_followers,
            };
            let saved = audience_service::add_segment(store, &caller, &name, filter, SystemClock.now()).await?;
            out.line(
                json!({ "name": saved.segment.name, "members": saved.members }),
                &format!(
                    "Segment `{}` saved: {} member(s) now.",
                    saved.segment.name, saved.members
                ),
            );
        }
        SegmentCommand::List => {
            let list = audience_service::segments(store, &caller).await?;
            if out.json {
                outln!("{}", json!(list));
            } else {
                for s in list {
                    outln!(
                        "{:<24} {:>7} member(s)  {}",
                        s.segment.name,
                        s.members,
                        serde_json::to_string(&s.segment.filter)?
                    );
                }
            }
        }
        SegmentCommand::Show { name } => {
            let s = audience_service::segment(store, &caller, &name).await?;
            if out.json {
                outln!("{}", json!(s));
            } else {
                outln!("{}: {} member(s)", s.segment.name, s.members);
                outln!("  filter   {}", serde_json::to_string(&s.segment.filter)?);
                outln!("  created  {} by {}", s.created_at.to_rfc3339(), s.created_by);
            }
        }
    }
    Ok(())
}
