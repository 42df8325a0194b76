//! Press releases from a ministry's RSS 2.0 or Atom feed, each drafted into a brief in the feed's
//! language for a coordinator to complete. The feed poller (`crate::feed`) takes each item once by
//! its guid; this module only reads a feed document and drafts.
//!
//! Real government feeds wrap each description in a CDATA section and then escape it, so after
//! XML parsing the text still starts with a literal `<![CDATA[` and holds HTML: both are taken
//! off here, leaving the plain sentence.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{Brief, Fact, LanguageBlock, Meta, ParseError};
use crate::cadence::Cadence;
use crate::language::Language;

/// The largest feed document read: a feed of a few hundred items is far below it.
pub const FEED_MAX_BYTES: usize = 4 * super::cap::MAX_BYTES;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";

/// One press release as the feed lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PressItem {
    /// What tells this item from every other of its feed: the guid (RSS) or id (Atom), else
    /// the link.
    pub guid: String,
    pub title: String,
    /// The description as plain text.
    pub summary: String,
    pub link: String,
    pub published: Option<DateTime<FixedOffset>>,
}

/// Where a brief drafted from a press release came from: the feed, the item's guid and link, and
/// when the authority published it. Kept with the brief and shown beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PressOrigin {
    pub feed: String,
    pub guid: String,
    pub link: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<FixedOffset>>,
}

/// A feed document: its title, the language it declares, and its items in feed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PressFeed {
    pub title: String,
    pub language: Option<Language>,
    pub items: Vec<PressItem>,
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

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str, namespace: Option<&str>) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == namespace)
}

fn text(node: Node, name: &str, namespace: Option<&str>) -> Option<String> {
    child(node, name, namespace)
        .and_then(|c| c.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// HTML (perhaps inside a literal CDATA marker) as plain text: tags dropped, the common
/// entities decoded, whitespace collapsed.
pub fn plain_text(html: &str) -> String {
    let inner = html.trim();
    let inner = inner.strip_prefix("<![CDATA[").unwrap_or(inner);
    let inner = inner.strip_suffix("]]>").unwrap_or(inner);
    let mut out = String::with_capacity(inner.len());
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn date(value: Option<String>) -> Option<DateTime<FixedOffset>> {
    let value = value?;
    DateTime::parse_from_rfc3339(&value)
        .or_else(|_| DateTime::parse_from_rfc2822(&value))
        .ok()
}

fn language_of(tag: &str) -> Option<Language> {
    match tag
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
        .as_str()
    {
        "fi" => Some(Language::Fi),
        "sv" => Some(Language::Sv),
        "en" => Some(Language::En),
        _ => None,
    }
}

/// Reads an RSS 2.0 or Atom document, with the same defences as a CAP alert: no DTD, a size
/// and node cap.
pub fn read_feed(xml: &str) -> Result<PressFeed, ParseError> {
    if xml.len() > FEED_MAX_BYTES {
        return Err(refused(
            format!("the feed is {} bytes; at most {FEED_MAX_BYTES} are read", xml.len()),
            None,
        ));
    }
    let head: String = xml
        .trim_start()
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        // A portal's error or maintenance page, or a feed address that moved to a web page.
        return Err(refused("the address answered with an HTML page, not a feed", Some(1)));
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 200_000,
        ..roxmltree::ParsingOptions::default()
    };
    let document = roxmltree::Document::parse_with_options(xml, options).map_err(|e| {
        let row = e.pos().row;
        refused(format!("not a well-formed feed: {e}"), Some(row))
    })?;
    let root = document.root_element();
    match (root.tag_name().name(), root.tag_name().namespace()) {
        ("rss", None) => {
            let channel =
                child(root, "channel", None).ok_or_else(|| refused("the RSS feed has no <channel>", Some(1)))?;
            let items = channel
                .children()
                .filter(|c| c.is_element() && c.tag_name().name() == "item")
                .filter_map(|item| {
                    let link = text(item, "link", None).unwrap_or_default();
                    let guid = text(item, "guid", None).or_else(|| (!link.is_empty()).then(|| link.clone()))?;
                    Some(PressItem {
                        guid,
                        title: plain_text(&text(item, "title", None).unwrap_or_default()),
                        summary: plain_text(&text(item, "description", None).unwrap_or_default()),
                        link,
                        published: date(text(item, "date", Some(DC_NS)).or_else(|| text(item, "pubDate", None))),
                    })
                })
                .collect();
            Ok(PressFeed {
                title: text(channel, "title", None).unwrap_or_default(),
                language: text(channel, "language", None).as_deref().and_then(language_of),
                items,
            })
        }
        ("feed", Some(ATOM_NS)) => {
            let ns = Some(ATOM_NS);
            let items = root
                .children()
                .filter(|c| c.is_element() && c.tag_name().name() == "entry")
                .filter_map(|entry| {
                    let link = child(entry, "link", ns)
                        .and_then(|l| l.attribute("href"))
                        .unwrap_or_default()
                        .to_string();
                    let guid = text(entry, "id", ns).or_else(|| (!link.is_empty()).then(|| link.clone()))?;
                    let body = text(entry, "summary", ns).or_else(|| text(entry, "content", ns));
                    Some(PressItem {
                        guid,
                        title: plain_text(&text(entry, "title", ns).unwrap_or_default()),
                        summary: plain_text(&body.unwrap_or_default()),
                        link,
                        published: date(text(entry, "published", ns).or_else(|| text(entry, "updated", ns))),
                    })
                })
                .collect();
            Ok(PressFeed {
                title: text(root, "title", ns).unwrap_or_default(),
                language: root
                    .attribute(("http://www.w3.org/XML/1998/namespace", "lang"))
                    .and_then(language_of),
                items,
            })
        }
        (name, _) => Err(refused(
            format!("<{name}> is neither an RSS 2.0 <rss> nor an Atom <feed>"),
            Some(1),
        )),
    }
}

impl PressItem {
    /// The item as a draft brief in `language`: its title and plain-text description, its link
    /// as the source of one fact, for the daily editions. The rest is the coordinator's.
    pub fn draft(&self, feed: &PressFeed, language: Language) -> Brief {
        let mut brief = Brief {
            meta: Meta {
                slug: super::slug_of(&self.guid).replacen("cap-", "press-", 1),
                source: feed.title.clone(),
                cadences: vec![Cadence::Daily],
                press: Some(PressOrigin {
                    feed: feed.title.clone(),
                    guid: self.guid.clone(),
                    link: self.link.clone(),
                    published: self.published,
                }),
                ..Meta::default()
            },
            ..Brief::default()
        };
        *brief.block_mut(language) = Some(LanguageBlock {
            title: self.title.clone(),
            summary: self.summary.clone(),
            facts: vec![Fact {
                text: self.title.clone(),
                source: self.link.clone(),
            }],
            ..LanguageBlock::default()
        });
        brief
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_in_an_escaped_cdata_section_reads_as_its_sentence() {
        assert_eq!(
            plain_text("<![CDATA[<p>Jokaisen kodin &amp; perheen. <a href=\"x\">72tuntia.fi</a></p>]]>"),
            "Jokaisen kodin & perheen. 72tuntia.fi"
        );
        assert_eq!(plain_text("plain"), "plain");
        assert_eq!(plain_text("a <unclosed"), "a");
    }
}
