//! `briefcast questions …`: the question log at the command line.

use std::io::Write;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use serde_json::json;

use crate::access::Actor;
use crate::audience::EmailAddress;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::language::Language;
use crate::questions::{QuestionStatus, Tag, Transition, write_csv};
use crate::store::{Assignment, QuestionQuery, QuestionRecord};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct QuestionsArgs {
    #[command(flatten)]
    filter: Filter,
    #[command(subcommand)]
    command: Option<QuestionCommand>,
}

/// Which questions; every flag narrows.
#[derive(Debug, Clone, Args)]
struct Filter {
    /// new, triaged, forwarded, answered or dismissed
    #[arg(long)]
    status: Option<QuestionStatus>,
    /// Brief id
    #[arg(long)]
    brief: Option<i64>,
    /// Edition id
    #[arg(long)]
    edition: Option<i64>,
    #[arg(long)]
    language: Option<Language>,
    #[arg(long)]
    tag: Option<String>,
    /// Text the question contains, in any case
    #[arg(long)]
    search: Option<String>,
    /// Only questions that matched no influencer and no edition
    #[arg(long)]
    unmatched: bool,
    #[arg(long, default_value_t = 200)]
    limit: u64,
}

impl Filter {
    fn query(&self) -> anyhow::Result<QuestionQuery> {
        Ok(QuestionQuery {
            status: self.status,
            brief_id: self.brief,
            edition_id: self.edition,
            language: self.language,
            tag: self.tag.as_deref().map(Tag::parse).transpose()?,
            search: self.search.clone(),
            unmatched: self.unmatched,
            limit: Some(self.limit),
            offset: 0,
        })
    }
}

#[derive(Debug, Subcommand)]
enum QuestionCommand {
    /// Questions per brief, most asked first
    ByBrief {
        #[command(flatten)]
        filter: Filter,
    },
    /// One question: its cleaned text and where it came from
    Show {
        id: i64,
        /// Also print the raw message as received
        #[arg(long)]
        raw: bool,
    },
    /// Mark a question as read and worth answering
    Triage { id: i64 },
    /// Send a question on to the authority that can answer it
    Forward { id: i64, authority: String },
    /// Record the answer: its text, a link (such as the answer video), or both
    Answer {
        id: i64,
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        url: Option<String>,
    },
    /// Set a question aside
    Dismiss {
        id: i64,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Add or remove tags
    Tag {
        id: i64,
        #[arg(long = "add")]
        add: Vec<String>,
        #[arg(long = "remove")]
        remove: Vec<String>,
    },
    /// Whether the asker agreed to be named when the answer is published
    Consent {
        id: i64,
        #[arg(action = clap::ArgAction::Set)]
        may_name: bool,
    },
    /// Link an unmatched question to an influencer, edition or brief
    Assign {
        id: i64,
        #[arg(long)]
        influencer: Option<String>,
        #[arg(long)]
        edition: Option<i64>,
        #[arg(long)]
        brief: Option<i64>,
    },
    /// Export for the authorities (no personal data unless the asker agreed to be named)
    Export {
        #[arg(long, default_value = "csv")]
        format: String,
        #[command(flatten)]
        filter: Filter,
    },
    /// Answered questions not yet carried by an edition ("you asked")
    YouAsked {
        #[arg(long)]
        language: Option<Language>,
    },
}

pub async fn run(config: &Config, json: bool, args: QuestionsArgs) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let now = SystemClock.now();
    let actor = Actor::cli();
    let changed = |q: QuestionRecord| {
        if json {
            println!("{}", json!(q));
        } else {
            println!("Question {} is now {}.", q.id, q.status);
        }
    };
    match args.command {
        None => {
            let list = store.questions(&args.filter.query()?).await?;
            if json {
                println!("{}", json!(list));
            } else {
                for q in &list {
                    print_line(q);
                }
                println!("{} question(s)", list.len());
            }
        }
        Some(QuestionCommand::ByBrief { filter }) => {
            let mut query = filter.query()?;
            query.limit = None;
            let groups = store.question_groups(&query).await?;
            if json {
                println!("{}", json!(groups));
            } else {
                for g in groups {
                    let brief = match (g.brief_id, g.brief_slug) {
                        (Some(id), Some(slug)) => format!("brief {id} ({slug})"),
                        (Some(id), None) => format!("brief {id}"),
                        _ => "no brief".to_string(),
                    };
                    println!(
                        "{:>5} asked  {:>4} open  {:>4} answered  {:>4} dismissed  {brief}",
                        g.total, g.open, g.answered, g.dismissed
                    );
                }
            }
        }
        Some(QuestionCommand::Show { id, raw }) => {
            let q = store.question(id).await?.with_context(|| format!("no question {id}"))?;
            let reply = store.reply(q.reply_id).await?;
            let raw_message = if raw { store.reply_raw(q.reply_id).await? } else { None };
            if json {
                let mut v = json!({ "question": q, "reply": reply });
                if raw {
                    v["raw"] = json!(raw_message.as_deref().map(String::from_utf8_lossy));
                }
                println!("{v}");
            } else {
                print_question(&q, reply.as_ref());
                if raw {
                    match raw_message {
                        Some(bytes) => {
                            println!("--- raw message ---");
                            std::io::stdout().write_all(&bytes)?;
                            println!();
                        }
                        None => println!("(the raw message is no longer kept: retention or erasure removed it)"),
                    }
                }
            }
        }
        Some(QuestionCommand::Triage { id }) => {
            changed(store.transition_question(id, &Transition::Triage, &actor, now).await?);
        }
        Some(QuestionCommand::Forward { id, authority }) => {
            let t = Transition::forward(&authority)?;
            changed(store.transition_question(id, &t, &actor, now).await?);
        }
        Some(QuestionCommand::Answer { id, text, url }) => {
            let t = Transition::answer(text.as_deref(), url.as_deref())?;
            changed(store.transition_question(id, &t, &actor, now).await?);
        }
        Some(QuestionCommand::Dismiss { id, reason }) => {
            changed(
                store
                    .transition_question(id, &Transition::Dismiss { reason }, &actor, now)
                    .await?,
            );
        }
        Some(QuestionCommand::Tag { id, add, remove }) => {
            let parse = |list: &[String]| list.iter().map(|t| Tag::parse(t)).collect::<Result<Vec<_>, _>>();
            let q = store
                .tag_question(id, &parse(&add)?, &parse(&remove)?, &actor, now)
                .await?;
            if json {
                println!("{}", json!(q));
            } else {
                let tags: Vec<String> = q.tags.iter().map(Tag::to_string).collect();
                println!("Question {} tags: {}", q.id, tags.join(", "));
            }
        }
        Some(QuestionCommand::Consent { id, may_name }) => {
            let q = store.set_may_name(id, may_name, &actor, now).await?;
            if json {
                println!("{}", json!(q));
            } else if q.may_name {
                println!("Question {}: the asker may be named with the answer.", q.id);
            } else {
                println!("Question {}: the asker stays anonymous.", q.id);
            }
        }
        Some(QuestionCommand::Assign {
            id,
            influencer,
            edition,
            brief,
        }) => {
            let influencer = influencer.as_deref().map(EmailAddress::parse).transpose()?;
            if influencer.is_none() && edition.is_none() && brief.is_none() {
                bail!("name --influencer, --edition or --brief to assign question {id} to");
            }
            let assignment = Assignment {
                influencer,
                edition_id: edition,
                brief_id: brief,
            };
            let q = store.assign_question(id, &assignment, &actor, now).await?;
            if json {
                println!("{}", json!(q));
            } else {
                print_line(&q);
            }
        }
        Some(QuestionCommand::Export { format, filter }) => {
            if format != "csv" {
                bail!("format `{format}` is not offered; use --format csv");
            }
            let mut query = filter.query()?;
            query.limit = None;
            let csv = write_csv(&store.questions(&query).await?)?;
            std::io::stdout().write_all(&csv)?;
        }
        Some(QuestionCommand::YouAsked { language }) => {
            let answers = store.answered_unpublished(language).await?;
            if json {
                println!("{}", json!(answers));
            } else {
                for a in &answers {
                    let lang = a.language.map(Language::code).unwrap_or("--");
                    println!("#{} [{lang}] Q: {}", a.question_id, a.question.replace('\n', " "));
                    if let Some(text) = &a.answer {
                        println!("      A: {}", text.replace('\n', " "));
                    }
                    if let Some(url) = &a.answer_url {
                        println!("      {url}");
                    }
                    if let Some(name) = &a.asked_by {
                        println!("      asked by {name}");
                    }
                }
                println!("{} answer(s) not yet published", answers.len());
            }
        }
    }
    Ok(())
}

fn print_line(q: &QuestionRecord) {
    let text: String = q.text.replace('\n', " ").chars().take(80).collect();
    let who = q.influencer_name.as_deref().unwrap_or("(unlinked)");
    println!(
        "#{:<5} {:<9} {:<2}  brief {:<5} {}  {:<20} {}",
        q.id,
        q.status.as_str(),
        q.language.map(Language::code).unwrap_or("--"),
        q.brief_id.map(|b| b.to_string()).unwrap_or_else(|| "-".into()),
        q.received_at.format("%Y-%m-%d %H:%M"),
        who,
        text
    );
}

fn print_question(q: &QuestionRecord, reply: Option<&crate::store::ReplyRecord>) {
    println!("Question {} ({})", q.id, q.status);
    println!("  received   {}", q.received_at.to_rfc3339());
    match (&q.influencer_name, &q.influencer_email) {
        (Some(name), Some(email)) => println!(
            "  from       {name} <{email}>{}",
            if q.may_name { " (may be named)" } else { "" }
        ),
        _ => println!("  from       (not linked to an influencer)"),
    }
    println!("  language   {}", q.language.map(Language::code).unwrap_or("unknown"));
    println!(
        "  edition    {}    brief {}",
        q.edition_id.map(|e| e.to_string()).unwrap_or_else(|| "-".into()),
        q.brief_id.map(|b| b.to_string()).unwrap_or_else(|| "-".into())
    );
    if !q.tags.is_empty() {
        let tags: Vec<String> = q.tags.iter().map(Tag::to_string).collect();
        println!("  tags       {}", tags.join(", "));
    }
    if let Some(authority) = &q.authority {
        println!("  authority  {authority}");
    }
    if let Some(reply) = reply {
        println!(
            "  via        {} reply {} ({})",
            reply.channel,
            reply.id,
            reply.note.as_deref().unwrap_or("")
        );
        if let Some(subject) = &reply.subject {
            println!("  subject    {subject}");
        }
    }
    println!();
    if q.text.is_empty() {
        println!("(no text of its own; see --raw)");
    } else {
        println!("{}", q.text);
    }
    if q.answer.is_some() || q.answer_url.is_some() {
        println!();
        println!("Answer: {}", q.answer.as_deref().unwrap_or(""));
        if let Some(url) = &q.answer_url {
            println!("        {url}");
        }
    }
}
