//! OASIS CAP 1.2 alerts as a brief format: the Finnish Meteorological Institute publishes its
//! warnings so, one `<info>` per language. An alert becomes a draft brief that a coordinator
//! finishes and approves; its identity (identifier, sender, sent time, status, message type,
//! the alerts it refers to) stays with the brief.
//!
//! The XML comes from outside, so it is read defensively: a size cap, a node cap and a depth
//! cap, and no DTD at all (roxmltree refuses one by default), so neither external entities nor
//! entity expansion ("billion laughs") can reach us.

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{Brief, Fact, Instagram, LanguageBlock, Meta, ParseError, Priority, TikTok, XPost, YouTube};
use crate::cadence::Cadence;
use crate::language::Language;

const CAP_NS: &str = "urn:oasis:names:tc:emergency:cap:1.2";
/// A real alert is a few kilobytes; a megabyte is far past any honest one.
pub const MAX_BYTES: usize = 1024 * 1024;
const MAX_NODES: u32 = 50_000;
const MAX_DEPTH: usize = 16;

/// Where a brief drafted from a CAP alert came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapOrigin {
    pub identifier: String,
    pub sender: String,
    pub sent: DateTime<FixedOffset>,
    pub status: CapStatus,
    pub msg_type: CapMsgType,
    /// The identifiers of the earlier alerts an Update or Cancel refers to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// `<info>` languages that briefcast does not offer, left out (e.g. `de-DE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored_languages: Vec<String>,
}

/// CAP's `status`: only `Actual` alerts are real; the others are stored and shown, never sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CapStatus {
    Actual,
    Exercise,
    System,
    Test,
    Draft,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CapMsgType {
    Alert,
    Update,
    Cancel,
}

impl fmt::Display for CapStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl fmt::Display for CapMsgType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

fn refused(message: impl Into<String>, line: Option<u32>) -> ParseError {
    ParseError {
        origin: None,
        path: None,
        line: line.map(|l| l as usize),
        column: None,
        message: message.into(),
    }
}

type Node<'a, 'i> = roxmltree::Node<'a, 'i>;

fn line_of(node: Node) -> u32 {
    node.document().text_pos_at(node.range().start).row
}

/// The element's children in the CAP namespace named `name`.
fn children<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(CAP_NS))
}

fn text_of(node: Node, name: &str) -> Option<String> {
    children(node, name)
        .next()
        .and_then(|c| c.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

fn required(node: Node, name: &str) -> Result<String, ParseError> {
    text_of(node, name).ok_or_else(|| {
        refused(
            format!("<{name}> is missing or empty in <{}>", node.tag_name().name()),
            Some(line_of(node)),
        )
    })
}

fn time(node: Node, name: &str) -> Result<Option<DateTime<FixedOffset>>, ParseError> {
    text_of(node, name)
        .map(|t| {
            DateTime::parse_from_rfc3339(&t).map_err(|_| {
                refused(
                    format!("<{name}> `{t}` is not a date and time with its offset (2026-12-01T08:01:00+02:00)"),
                    Some(line_of(node)),
                )
            })
        })
        .transpose()
}

fn depth(node: Node) -> usize {
    node.ancestors().count()
}

/// The briefcast language an `<info>` declares; CAP's default is en-US.
fn language_of(tag: &str) -> Option<Language> {
    let primary = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
    match primary.as_str() {
        "fi" => Some(Language::Fi),
        "sv" => Some(Language::Sv),
        "en" => Some(Language::En),
        _ => None,
    }
}

/// One key message per sentence or line: authorities write instructions as short imperatives.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut current = String::new();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            current.push(c);
            if matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|n| n.is_whitespace()) {
                out.push(current.trim().to_string());
                current.clear();
            }
        }
        if !current.trim().is_empty() {
            out.push(current.trim().to_string());
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// At most `max` characters, cut at a word with an ellipsis when it had to be cut.
fn within(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let at_word = cut
        .rsplit_once(char::is_whitespace)
        .map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", at_word.trim_end())
}

/// A short name for the brief from the alert's identifier: lower case, a–z, 0–9 and `-`.
pub fn slug_of(identifier: &str) -> String {
    let mut slug = String::from("cap");
    let mut dash = true;
    for c in identifier.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            if dash {
                slug.push('-');
            }
            slug.push(c);
            dash = false;
        } else {
            dash = true;
        }
    }
    // Keep the end, where FMI's identifiers carry the date, time and warning.
    let length = slug.chars().count();
    if length > 60 {
        let tail: String = slug.chars().skip(length - 56).collect();
        slug = format!("cap-{}", tail.trim_start_matches('-'));
    }
    slug
}

/// The texts of one `<info>`, drafted into a language block within each platform's limits.
fn block_of(info: Node) -> LanguageBlock {
    let headline = text_of(info, "headline").unwrap_or_default();
    let description = text_of(info, "description").unwrap_or_default();
    let instruction = text_of(info, "instruction").unwrap_or_default();
    let key_messages = sentences(&instruction);
    let web = text_of(info, "web");
    let event = text_of(info, "event").unwrap_or_else(|| headline.clone());
    let facts = web
        .iter()
        .map(|url| Fact {
            text: event.clone(),
            source: url.clone(),
        })
        .collect();
    let caption = [headline.as_str(), description.as_str(), instruction.as_str()]
        .iter()
        .filter(|t| !t.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n\n");
    let x = match &web {
        Some(url) if super::x_weighted_length(&format!("{headline} {url}")) <= 280 => format!("{headline} {url}"),
        _ => within(&headline, 280),
    };
    LanguageBlock {
        title: headline.clone(),
        summary: description,
        source: text_of(info, "senderName"),
        key_messages: key_messages.clone(),
        facts,
        instagram: Some(Instagram {
            caption: within(&caption, 2000),
        }),
        tiktok: Some(TikTok {
            script: within(&caption, 2000),
        }),
        youtube: Some(YouTube {
            title: within(&headline, 100),
            talking_points: key_messages,
            description: None,
        }),
        x: Some(XPost { post: x }),
        ..LanguageBlock::default()
    }
}

impl Brief {
    /// A CAP 1.2 alert as a draft brief. The document must be an `<alert>` in the CAP 1.2
    /// namespace with an identifier, sender, sent time, status, message type and at least one
    /// `<info>` in a language briefcast offers; only `Public` alerts are taken.
    pub fn from_cap(text: &str) -> Result<Brief, ParseError> {
        if text.len() > MAX_BYTES {
            return Err(refused(
                format!(
                    "the document is {} bytes; a CAP alert may be at most {MAX_BYTES}",
                    text.len()
                ),
                None,
            ));
        }
        let options = roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: MAX_NODES,
            // Only with a DTD could an entity need resolving, and a DTD is refused.
            ..roxmltree::ParsingOptions::default()
        };
        let document = roxmltree::Document::parse_with_options(text, options).map_err(|e| {
            let row = e.pos().row;
            let message = match e {
                roxmltree::Error::DtdDetected => {
                    "the document has a DTD (<!DOCTYPE>): refused, as it could declare entities".to_string()
                }
                other => format!("not well-formed XML: {other}"),
            };
            refused(message, Some(row))
        })?;
        if let Some(deep) = document.descendants().find(|n| depth(*n) > MAX_DEPTH) {
            return Err(refused(
                format!("elements are nested more than {MAX_DEPTH} deep"),
                Some(line_of(deep)),
            ));
        }
        let alert = document.root_element();
        if alert.tag_name().name() != "alert" || alert.tag_name().namespace() != Some(CAP_NS) {
            return Err(refused(
                format!("the document is not a CAP 1.2 <alert> (in the namespace {CAP_NS})"),
                Some(line_of(alert)),
            ));
        }
        let identifier = required(alert, "identifier")?;
        let sender = required(alert, "sender")?;
        let sent = time(alert, "sent")?
            .ok_or_else(|| refused("<sent> is missing or empty in <alert>", Some(line_of(alert))))?;
        let status = match required(alert, "status")?.as_str() {
            "Actual" => CapStatus::Actual,
            "Exercise" => CapStatus::Exercise,
            "System" => CapStatus::System,
            "Test" => CapStatus::Test,
            "Draft" => CapStatus::Draft,
            other => {
                return Err(refused(
                    format!("<status> `{other}` is not a CAP status (Actual, Exercise, System, Test, Draft)"),
                    Some(line_of(alert)),
                ));
            }
        };
        let msg_type = match required(alert, "msgType")?.as_str() {
            "Alert" => CapMsgType::Alert,
            "Update" => CapMsgType::Update,
            "Cancel" => CapMsgType::Cancel,
            other @ ("Ack" | "Error") => {
                return Err(refused(
                    format!("<msgType> `{other}` acknowledges another alert and carries no message to brief"),
                    Some(line_of(alert)),
                ));
            }
            other => {
                return Err(refused(
                    format!("<msgType> `{other}` is not a CAP message type (Alert, Update, Cancel)"),
                    Some(line_of(alert)),
                ));
            }
        };
        let scope = required(alert, "scope")?;
        if scope != "Public" {
            return Err(refused(
                format!("<scope> is `{scope}`: only Public alerts may reach the public through influencers"),
                Some(line_of(alert)),
            ));
        }
        // Each reference is `sender,identifier,sent`, separated by spaces.
        let references = text_of(alert, "references")
            .map(|r| {
                r.split_whitespace()
                    .filter_map(|triple| triple.split(',').nth(1).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();

        let infos: Vec<Node> = children(alert, "info").collect();
        if infos.is_empty() {
            return Err(refused("the alert has no <info>", Some(line_of(alert))));
        }
        let mut brief = Brief::default();
        let mut ignored_languages = Vec::new();
        let mut taken: Vec<(Language, Node)> = Vec::new();
        for info in infos {
            let tag = text_of(info, "language").unwrap_or_else(|| "en-US".to_string());
            match language_of(&tag) {
                Some(language) if brief.block(language).is_none() => {
                    *brief.block_mut(language) = Some(block_of(info));
                    taken.push((language, info));
                }
                // A second <info> in a language already taken (another area, say) adds nothing
                // a coordinator could not add by hand.
                Some(_) => {}
                None => ignored_languages.push(tag),
            }
        }
        // The brief-wide parts come from the Finnish <info> where there is one.
        let Some((_, main)) = taken
            .iter()
            .find(|(l, _)| *l == Language::Fi)
            .or_else(|| taken.first())
            .copied()
        else {
            return Err(refused(
                format!(
                    "no <info> is in a language briefcast offers (fi, sv, en); found {}",
                    ignored_languages.join(", ")
                ),
                Some(line_of(alert)),
            ));
        };
        let urgent = taken.iter().any(|(_, info)| {
            text_of(*info, "urgency").as_deref() == Some("Immediate")
                && matches!(text_of(*info, "severity").as_deref(), Some("Severe" | "Extreme"))
        });
        let regions: Vec<String> = children(main, "area")
            .filter_map(|area| text_of(area, "areaDesc"))
            .collect();
        let topics: Vec<String> = children(main, "category")
            .filter_map(|c| c.text().map(|t| t.trim().to_ascii_lowercase()))
            .filter(|t| !t.is_empty())
            .collect();
        brief.meta = Meta {
            slug: slug_of(&identifier),
            source: text_of(main, "senderName").unwrap_or_else(|| sender.clone()),
            contact: text_of(main, "contact"),
            priority: if urgent { Priority::Urgent } else { Priority::Routine },
            // When the warning takes effect, not when the weather arrives: a warning held
            // until the storm's onset would reach people too late to prepare.
            embargo: time(main, "effective")?,
            expires: time(main, "expires")?,
            topics,
            regions,
            cadences: if urgent { Vec::new() } else { vec![Cadence::Daily] },
            hashtags: Vec::new(),
            supersedes: None,
            cap: Some(CapOrigin {
                identifier,
                sender,
                sent,
                status,
                msg_type,
                references,
                ignored_languages,
            }),
            press: None,
        };
        Ok(brief)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_become_one_message_per_sentence() {
        assert_eq!(
            sentences("Kiinnitä irtotavarat. Lataa puhelin!\nVältä metsää"),
            vec!["Kiinnitä irtotavarat.", "Lataa puhelin!", "Vältä metsää"]
        );
        assert_eq!(sentences("Klo 18.00 alkaen."), vec!["Klo 18.00 alkaen."]);
    }

    #[test]
    fn long_texts_are_cut_at_a_word() {
        assert_eq!(within("lyhyt", 10), "lyhyt");
        assert_eq!(within("yksi kaksi kolme", 12), "yksi kaksi…");
    }

    #[test]
    fn slugs_keep_what_tells_alerts_apart() {
        assert_eq!(
            slug_of("urn:oid:2.49.0.1.246.0.0.2026.1201.0801.wind.1"),
            "cap-urn-oid-2-49-0-1-246-0-0-2026-1201-0801-wind-1"
        );
        assert!(slug_of(&"x.".repeat(100)).len() <= 61);
    }
}
