//! `briefcast questions …`: the question log at the command line.

use anyhow::bail;
use clap::{Args, Subcommand};
use serde_json::json;

use super::print_bytes;
use crate::access::Caller;
use crate::audience::EmailAddress;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::ids::{BriefId, EditionId, QuestionId};
use crate::language::Language;
use crate::questions::QuestionRecord;
use crate::questions::{QuestionStatus, Tag, Transition};
use crate::service::questions as service;
use crate::store::{Assignment, QuestionQuery};

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
    brief: Option<BriefId>,
    /// Edition id
    #[arg(long)]
    edition: Option<EditionId>,
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
            assignee: None,
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
        id: QuestionId,
        /// Also print the raw message as received
        #[arg(long)]
        raw: bool,
    },
    /// Mark a question as read and worth answering
    Triage { id: QuestionId },
    /// Send a question on to the authority that can answer it
    Forward { id: QuestionId, authority: String },
    /// Record the answer: its text, a link (such as the answer video), or both
    Answer {
        id: QuestionId,
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        url: Option<String>,
    },
    /// Set a question aside
    Dismiss {
        id: QuestionId,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Add or remove tags
    Tag {
        id: QuestionId,
        #[arg(long = "add")]
        add: Vec<String>,
        #[arg(long = "remove")]
        remove: Vec<String>,
    },
    /// Whether the asker agreed to be named when the answer is published
    Consent {
        id: QuestionId,
        #[arg(action = clap::ArgAction::Set)]
        may_name: bool,
    },
    /// Link an unmatched question to an influencer, edition or brief
    Assign {
        id: QuestionId,
        #[arg(long)]
        influencer: Option<String>,
        #[arg(long)]
        edition: Option<EditionId>,
        #[arg(long)]
        brief: Option<BriefId>,
    },
    /// Hand a question to a colleague (a coordinator's or approver's console address) to work
    /// on; without an address, take it back from whoever has it
    Hand { id: QuestionId, colleague: Option<String> },
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
    let (store, caller) = (store.as_ref(), Caller::cli());
    let changed = |q: QuestionRecord| {
        if json {
            outln!("{}", json!(q));
        } else {
            outln!("Question {} is now {}.", q.id, q.status);
        }
    };
    match args.command {
        None => {
            let list = service::list(store, &caller, &args.filter.query()?).await?;
            if json {
                outln!("{}", json!(list));
            } else {
                for q in &list {
                    print_line(q);
                }
                outln!("{} question(s)", list.len());
            }
        }
        Some(QuestionCommand::ByBrief { filter }) => {
            let groups = service::by_brief(store, &caller, filter.query()?).await?;
            if json {
                outln!("{}", json!(groups));
            } else {
                for g in groups {
                    let brief = match (g.brief_id, g.brief_slug) {
                        (Some(id), Some(slug)) => format!("brief {id} ({slug})"),
                        (Some(id), None) => format!("brief {id}"),
                        _ => "no brief".to_string(),
                    };
                    outln!(
                        "{:>5} asked  {:>4} open  {:>4} answered  {:>4} dismissed  {brief}",
                        g.total,
                        g.open,
                        g.answered,
                        g.dismissed
                    );
                }
            }
        }
        Some(QuestionCommand::Show { id, raw }) => {
            let view = service::show(store, &caller, id, raw).await?;
            if json {
                outln!("{}", json!(view));
            } else {
                print_question(&view.question, view.reply.as_ref());
                match view.raw {
                    Some(Some(bytes)) => {
                        outln!("--- raw message ---");
                        print_bytes(&bytes);
                        outln!();
                    }
                    Some(None) => outln!("(the raw message is no longer kept: retention or erasure removed it)"),
                    None => {}
                }
            }
        }
        Some(QuestionCommand::Triage { id }) => {
            changed(service::transition(store, &caller, id, &Transition::Triage, None, now).await?);
        }
        Some(QuestionCommand::Forward { id, authority }) => {
            let t = Transition::forward(&authority)?;
            changed(service::transition(store, &caller, id, &t, None, now).await?);
        }
        Some(QuestionCommand::Answer { id, text, url }) => {
            let t = Transition::answer(text.as_deref(), url.as_deref())?;
            changed(service::transition(store, &caller, id, &t, None, now).await?);
        }
        Some(QuestionCommand::Dismiss { id, reason }) => {
            changed(service::transition(store, &caller, id, &Transition::Dismiss { reason }, None, now).await?);
        }
        Some(QuestionCommand::Tag { id, add, remove }) => {
            let parse = |list: &[String]| list.iter().map(|t| Tag::parse(t)).collect::<Result<Vec<_>, _>>();
            let q = service::tag(store, &caller, id, &parse(&add)?, &parse(&remove)?, now).await?;
            if json {
                outln!("{}", json!(q));
            } else {
                let tags: Vec<String> = q.tags.iter().map(Tag::to_string).collect();
                outln!("Question {} tags: {}", q.id, tags.join(", "));
            }
        }
        Some(QuestionCommand::Consent { id, may_name }) => {
            let q = service::consent(store, &caller, id, may_name, now).await?;
            if json {
                outln!("{}", json!(q));
            } else if q.may_name {
                outln!("Question {}: the asker may be named with the answer.", q.id);
            } else {
                outln!("Question {}: the asker stays anonymous.", q.id);
            }
        }
        Some(QuestionCommand::Assign {
            id,
            influencer,
            edition,
            brief,
        }) => {
            let influencer = influencer.as_deref().map(EmailAddress::parse).transpose()?;
            let assignment = Assignment {
                influencer,
                edition_id: edition,
                brief_id: brief,
            };
            let q = service::assign(store, &caller, id, &assignment, now).await?;
            if json {
                outln!("{}", json!(q));
            } else {
                print_line(&q);
            }
        }
        Some(QuestionCommand::Hand { id, colleague }) => {
            let colleague = colleague.as_deref().map(EmailAddress::parse).transpose()?;
            let q = service::hand(store, &caller, id, colleague.as_ref(), now).await?;
            if json {
                outln!("{}", json!(q));
            } else {
                print_line(&q);
            }
        }
        Some(QuestionCommand::Export { format, filter }) => {
            if format != "csv" {
                bail!("format `{format}` is not offered; use --format csv");
            }
            let csv = service::export_csv(store, &caller, filter.query()?).await?;
            print_bytes(&csv);
        }
        Some(QuestionCommand::YouAsked { language }) => {
            let answers = service::you_asked(store, &caller, language).await?;
            if json {
                outln!("{}", json!(answers));
            } else {
                for a in &answers {
                    let lang = a.language.map(Language::code).unwrap_or("--");
                    outln!("#{} [{lang}] Q: {}", a.question_id, a.question.replace('\n', " "));
                    if let Some(text) = &a.answer {
                        outln!("      A: {}", text.replace('\n', " "));
                    }
                    if let Some(url) = &a.answer_url {
                        outln!("      {url}");
                    }
                    if let Some(name) = &a.asked_by {
                        outln!("      asked by {name}");
                    }
                }
                outln!("{} answer(s) not yet published", answers.len());
            }
        }
    }
    Ok(())
}

fn print_line(q: &QuestionRecord) {
    let text: String = q.text.replace('\n', " ").chars().take(80).collect();
    let who = q.influencer_name.as_deref().unwrap_or("(unlinked)");
    outln!(
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
    outln!("Question {} ({})", q.id, q.status);
    outln!("  received   {}", q.received_at.to_rfc3339());
    match (&q.influencer_name, &q.influencer_email) {
        (Some(name), Some(email)) => outln!(
            "  from       {name} <{email}>{}",
            if q.may_name { " (may be named)" } else { "" }
        ),
        _ => outln!("  from       (not linked to an influencer)"),
    }
    outln!("  language   {}", q.language.map(Language::code).unwrap_or("unknown"));
    outln!(
        "  edition    {}    brief {}",
        q.edition_id.map(|e| e.to_string()).unwrap_or_else(|| "-".into()),
        q.brief_id.map(|b| b.to_string()).unwrap_or_else(|| "-".into())
    );
    if !q.tags.is_empty() {
        let tags: Vec<String> = q.tags.iter().map(Tag::to_string).collect();
        outln!("  tags       {}", tags.join(", "));
    }
    if let Some(authority) = &q.authority {
        outln!("  authority  {authority}");
    }
    if let Some(reply) = reply {
        outln!(
            "  via        {} reply {} ({})",
            reply.channel,
            reply.id,
            reply.note.as_deref().unwrap_or("")
        );
        if let Some(subject) = &reply.subject {
            outln!("  subject    {subject}");
        }
    }
    outln!();
    if q.text.is_empty() {
        outln!("(no text of its own; see --raw)");
    } else {
        outln!("{}", q.text);
    }
    if q.answer.is_some() || q.answer_url.is_some() {
        outln!();
        outln!("Answer: {}", q.answer.as_deref().unwrap_or(""));
        if let Some(url) = &q.answer_url {
            outln!("        {url}");
        }
    }
}
