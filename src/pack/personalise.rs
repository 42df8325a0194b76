//! The last step before a send: a composed edition with one recipient's details spliced in.
//! The edition is rendered once with slots; filling them is string copying, cheap enough to
//! run for every one of a hundred thousand recipients.

use serde::Serialize;

use super::edition::ComposedEdition;
use super::view::SLOT;

/// One recipient's details, as the dispatcher knows them. The links are signed elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recipient {
    /// Empty when the roster has no name; the greeting then has none.
    pub name: String,
    pub unsubscribe_url: String,
    pub preferences_url: String,
    pub reply_address: String,
}

/// One recipient's email: the subject and both parts of multipart/alternative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub subject: String,
    pub html: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Greeting,
    Name,
    Unsubscribe,
    Preferences,
    Reply,
}

#[derive(Debug, Clone)]
pub(crate) struct Body {
    html: Vec<Piece>,
    text: Vec<Piece>,
    greeting_named_html: Vec<Piece>,
    greeting_named_text: Vec<Piece>,
    greeting_html: String,
    greeting_text: String,
    html_len: usize,
    text_len: usize,
}

fn pieces(rendered: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    for (i, part) in rendered.split(SLOT).enumerate() {
        let piece = if i % 2 == 0 {
            Piece::Literal(part.to_string())
        } else {
            match part {
                "G" => Piece::Greeting,
                "N" => Piece::Name,
                "U" => Piece::Unsubscribe,
                "P" => Piece::Preferences,
                "R" => Piece::Reply,
                other => Piece::Literal(other.to_string()),
            }
        };
        out.push(piece);
    }
    out.retain(|p| !matches!(p, Piece::Literal(s) if s.is_empty()));
    out
}

fn escaped(pieces: Vec<Piece>) -> Vec<Piece> {
    pieces
        .into_iter()
        .map(|p| match p {
            Piece::Literal(s) => {
                let mut out = String::with_capacity(s.len());
                escape_into(&mut out, &s);
                Piece::Literal(out)
            }
            other => other,
        })
        .collect()
}

fn literal_len(pieces: &[Piece]) -> usize {
    pieces
        .iter()
        .map(|p| if let Piece::Literal(s) = p { s.len() } else { 0 })
        .sum()
}

impl Body {
    pub(crate) fn new(html: &str, text: &str, greeting_named: &str, greeting: &str) -> Body {
        let html = pieces(html);
        let text = pieces(text);
        let mut greeting_html = String::new();
        escape_into(&mut greeting_html, greeting);
        Body {
            html_len: literal_len(&html),
            text_len: literal_len(&text),
            html,
            text,
            greeting_named_html: escaped(pieces(greeting_named)),
            greeting_named_text: pieces(greeting_named),
            greeting_html,
            greeting_text: greeting.to_string(),
        }
    }
}

impl ComposedEdition {
    /// This edition as `recipient` receives it. Their name is HTML-escaped in the HTML part.
    pub fn personalise(&self, recipient: &Recipient) -> Message {
        let body = &self.body;
        let extra = 256 + 2 * recipient.name.len();
        let mut html = String::with_capacity(body.html_len + extra);
        let mut text = String::with_capacity(body.text_len + extra);
        fill(&mut html, &body.html, recipient, true, body);
        fill(&mut text, &body.text, recipient, false, body);
        Message {
            subject: self.subject.clone(),
            html,
            text,
        }
    }
}

fn fill(out: &mut String, pieces: &[Piece], recipient: &Recipient, html: bool, body: &Body) {
    let put = |out: &mut String, value: &str| {
        if html {
            escape_into(out, value)
        } else {
            out.extend(value.chars().filter(|c| !c.is_control() || *c == '\n'))
        }
    };
    for piece in pieces {
        match piece {
            Piece::Literal(s) => out.push_str(s),
            Piece::Name => put(out, recipient.name.trim()),
            Piece::Unsubscribe => put(out, &recipient.unsubscribe_url),
            Piece::Preferences => put(out, &recipient.preferences_url),
            Piece::Reply => put(out, &recipient.reply_address),
            Piece::Greeting if recipient.name.trim().is_empty() => {
                out.push_str(if html { &body.greeting_html } else { &body.greeting_text })
            }
            Piece::Greeting => {
                let named = if html {
                    &body.greeting_named_html
                } else {
                    &body.greeting_named_text
                };
                fill(out, named, recipient, html, body);
            }
        }
    }
}

fn escape_into(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_split_a_rendered_body() {
        let found = pieces("<p>\u{1}G\u{1}</p><a href=\"\u{1}U\u{1}\">x</a>");
        assert_eq!(
            found,
            [
                Piece::Literal("<p>".into()),
                Piece::Greeting,
                Piece::Literal("</p><a href=\"".into()),
                Piece::Unsubscribe,
                Piece::Literal("\">x</a>".into()),
            ]
        );
    }
}
