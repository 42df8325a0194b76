//! The last step before a send: a composed edition with one recipient's details spliced in.
//! The edition is rendered once with slots; filling them is string copying, cheap enough to
//! run for every one of a hundred thousand recipients.

use serde::Serialize;

use super::newsletter::ComposedEdition;
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

/// One recipient's email with both parts already in quoted-printable, ready for MIME.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedMessage {
    pub subject: String,
    pub html: Vec<u8>,
    pub text: Vec<u8>,
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

/// Which text a form of the body is: the HTML or the plain part, as it reads or encoded.
#[derive(Debug, Clone, Copy)]
struct Kind {
    html: bool,
    quoted_printable: bool,
}

/// One part of the edition in one form, cut at its slots.
#[derive(Debug, Clone)]
struct Form {
    kind: Kind,
    pieces: Vec<Piece>,
    greeting_named: Vec<Piece>,
    greeting: String,
    len: usize,
}

/// The edition's body in the four forms a send or a preview takes. Encoding is done here, once
/// per edition: quoted-printable encoding each message's 8 KB body was the dispatcher's largest
/// cost per message. Each encoded piece ends at a line break (a soft one where the text goes
/// on), so pieces and encoded values join into valid quoted-printable in any order.
#[derive(Debug, Clone)]
pub(crate) struct Body {
    html: Form,
    text: Form,
    html_qp: Form,
    text_qp: Form,
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

impl Kind {
    /// Literal text of the edition in this form; `escape` says whether it still needs HTML
    /// escaping (greetings come from Fluent unescaped, templates render escaped).
    fn literal(self, text: &str, escape: bool) -> String {
        let mut out = String::with_capacity(text.len());
        if self.html && escape {
            escape_into(&mut out, text);
        } else {
            out.push_str(text);
        }
        if self.quoted_printable {
            quoted_printable_piece(&out)
        } else {
            out
        }
    }

    /// A recipient's value in this form.
    fn put(self, out: &mut String, value: &str) {
        if !self.quoted_printable {
            return Kind::put_plain(self.html, out, value);
        }
        let mut plain = String::with_capacity(value.len() + 16);
        Kind::put_plain(self.html, &mut plain, value);
        out.push_str(&quoted_printable_piece(&plain));
    }

    fn put_plain(html: bool, out: &mut String, value: &str) {
        if html {
            escape_into(out, value);
        } else {
            out.extend(value.chars().filter(|c| !c.is_control() || *c == '\n'));
        }
    }
}

/// `text` in quoted-printable with CRLF line breaks, ending at the start of a line: a soft
/// break is added where the text does not end with its own. Lines stay within RFC 2045's 76
/// characters, the added `=` included.
fn quoted_printable_piece(text: &str) -> String {
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    let options = quoted_printable::Options::default().line_length_limit(75);
    let mut out = quoted_printable::encode_with_options(crlf, options);
    if !out.is_empty() && !out.ends_with("\r\n") {
        out.push_str("=\r\n");
    }
    out
}

fn literal_len(pieces: &[Piece]) -> usize {
    pieces
        .iter()
        .map(|p| if let Piece::Literal(s) = p { s.len() } else { 0 })
        .sum()
}

impl Form {
    fn new(kind: Kind, rendered: &str, greeting_named: &str, greeting: &str) -> Form {
        let form = |pieces: Vec<Piece>, escape: bool| -> Vec<Piece> {
            pieces
                .into_iter()
                .map(|p| match p {
                    Piece::Literal(s) => Piece::Literal(kind.literal(&s, escape)),
                    other => other,
                })
                .collect()
        };
        let body = form(pieces(rendered), false);
        Form {
            kind,
            len: literal_len(&body),
            pieces: body,
            greeting_named: form(pieces(greeting_named), true),
            greeting: kind.literal(greeting, true),
        }
    }

    fn fill(&self, recipient: &Recipient) -> String {
        let mut out = String::with_capacity(self.len + 512 + 4 * recipient.name.len());
        self.fill_into(&mut out, &self.pieces, recipient);
        out
    }

    fn fill_into(&self, out: &mut String, pieces: &[Piece], recipient: &Recipient) {
        for piece in pieces {
            match piece {
                Piece::Literal(s) => out.push_str(s),
                Piece::Name => self.kind.put(out, recipient.name.trim()),
                Piece::Unsubscribe => self.kind.put(out, &recipient.unsubscribe_url),
                Piece::Preferences => self.kind.put(out, &recipient.preferences_url),
                Piece::Reply => self.kind.put(out, &recipient.reply_address),
                Piece::Greeting if recipient.name.trim().is_empty() => out.push_str(&self.greeting),
                Piece::Greeting => self.fill_into(out, &self.greeting_named, recipient),
            }
        }
    }
}

impl Body {
    pub(crate) fn new(html: &str, text: &str, greeting_named: &str, greeting: &str) -> Body {
        let form = |html_part: bool, quoted_printable: bool| {
            let kind = Kind {
                html: html_part,
                quoted_printable,
            };
            Form::new(kind, if html_part { html } else { text }, greeting_named, greeting)
        };
        Body {
            html: form(true, false),
            text: form(false, false),
            html_qp: form(true, true),
            text_qp: form(false, true),
        }
    }
}

impl ComposedEdition {
    /// This edition as `recipient` receives it. Their name is HTML-escaped in the HTML part.
    pub fn personalise(&self, recipient: &Recipient) -> Message {
        Message {
            subject: self.subject.clone(),
            html: self.body.html.fill(recipient),
            text: self.body.text.fill(recipient),
        }
    }

    /// The same as `personalise`, with both parts in quoted-printable (CRLF line breaks).
    pub fn personalise_encoded(&self, recipient: &Recipient) -> EncodedMessage {
        EncodedMessage {
            subject: self.subject.clone(),
            html: self.body.html_qp.fill(recipient).into_bytes(),
            text: self.body.text_qp.fill(recipient).into_bytes(),
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
