//! The outgoing message for one delivery: headers, text and HTML, DKIM signature, envelope.

use std::fmt;
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use lettre::message::header::{ContentTransferEncoding, Header, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox, MultiPart};
use lettre::{Address, Message};
use rand::Rng;

pub use super::dkim::{DkimError, DkimKey, DkimSigner};
use crate::audience::EmailAddress;
use crate::brief::Brief;
use crate::ids::{BriefId, DeliveryId, EditionId};
use crate::language::Language;
use crate::pack::SenderNames;
use crate::pack::SourceLinks;
use crate::token::{Purpose, TokenKey};

/// The SMTP envelope: where DSNs go (`MAIL FROM`, RFC 5321 reverse-path) and who receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// `bounces+TOKEN@REPLY_DOMAIN`, so a DSN (RFC 3464) names its delivery by address alone,
    /// even when the bouncing system mangles or drops the original headers.
    pub mail_from: String,
    pub rcpt_to: String,
}

/// A message ready for a transport.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    /// Without angle brackets (`7.42.9f3c…@example.fi`), as parsers return `In-Reply-To` and
    /// `References` entries; this is what the delivery row keeps.
    pub message_id: String,
    pub envelope: Envelope,
    /// The RFC 5322 message, CRLF line ends, as it goes on the wire.
    pub bytes: Vec<u8>,
}

impl fmt::Debug for OutgoingMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutgoingMessage")
            .field("message_id", &self.message_id)
            .field("envelope", &self.envelope)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// What changes from one delivery to the next.
#[derive(Debug, Clone)]
pub struct Letter<'a> {
    pub edition_id: EditionId,
    pub delivery_id: DeliveryId,
    pub to: &'a EmailAddress,
    pub to_name: Option<&'a str>,
    pub language: Language,
    pub subject: &'a str,
    pub text: Part<'a>,
    pub html: Part<'a>,
    /// The list's description for `List-Id` (RFC 2919), e.g. `Koronafaktat – weekly (fi)`.
    pub list_name: &'a str,
    /// The list's identifier, a dotted name under a domain we control, e.g. `weekly.fi.news.example.fi`.
    pub list_id: &'a str,
}

/// A body part as text, or already encoded as quoted-printable with CRLF line breaks (the
/// dispatcher's, encoded once per edition rather than once per message).
#[derive(Debug, Clone, Copy)]
pub enum Part<'a> {
    Text(&'a str),
    QuotedPrintable(&'a [u8]),
}

impl Part<'_> {
    fn body(self) -> Body {
        match self {
            Part::Text(text) => Body::new(text.to_string()),
            Part::QuotedPrintable(encoded) => {
                Body::dangerous_pre_encoded(encoded.to_vec(), ContentTransferEncoding::QuotedPrintable)
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    #[error("{field} `{value}` is not a usable address")]
    Address { field: &'static str, value: String },
    #[error("list id `{0}` must be a dotted name of letters, digits, dots and hyphens (RFC 2919)")]
    ListId(String),
    #[error("{field} contains U+{code:04X}: a header is one line of text", code = *.character as u32)]
    HeaderText { field: &'static str, character: char },
    #[error("DKIM: {0}")]
    Dkim(#[from] DkimError),
    #[error("building the message: {0}")]
    Build(#[from] lettre::error::Error),
}

/// What every message of this sender shares: who sends, where replies and links go, the key
/// that signs tokens, and the DKIM signer.
#[derive(Debug)]
pub struct Letterhead {
    from: Mailbox,
    reply_domain: String,
    public_url: String,
    key: TokenKey,
    dkim: Option<DkimSigner>,
    /// The name `From` shows, per reader's language; none: the name in `from`.
    senders: Option<SenderNames>,
    counts_sources: bool,
}

impl Letterhead {
    /// `from` as configured (`briefcast <news@example.fi>`); `public_url` without a trailing
    /// slash is the base of unsubscribe links.
    pub fn new(
        from: &str,
        reply_domain: &str,
        public_url: &str,
        key: TokenKey,
        dkim: Option<DkimSigner>,
    ) -> Result<Letterhead, MessageError> {
        let from: Mailbox = from.parse().map_err(|_| MessageError::Address {
            field: "from",
            value: from.to_string(),
        })?;
        let letterhead = Letterhead {
            from,
            reply_domain: reply_domain.trim().to_ascii_lowercase(),
            public_url: public_url.trim_end_matches('/').to_string(),
            key,
            dkim,
            senders: None,
            counts_sources: false,
        };
        // Fail at start-up, not at the first send, when the reply domain cannot form an address.
        letterhead.address(Purpose::Reply, DeliveryId(1), "reply_domain")?;
        Ok(letterhead)
    }

    /// Whether messages are DKIM-signed: composing them is then real CPU work.
    pub fn signs(&self) -> bool {
        self.dkim.is_some()
    }

    /// `From` named for each reader in their language.
    pub fn with_senders(self, senders: SenderNames) -> Letterhead {
        Letterhead {
            senders: Some(senders),
            ..self
        }
    }

    /// The one-click page for `delivery_id`, as the body links it and `List-Unsubscribe` names it.
    pub fn unsubscribe_url(&self, delivery_id: DeliveryId) -> String {
        format!(
            "{}/u/{}",
            self.public_url,
            self.key.sign(Purpose::Unsubscribe, delivery_id)
        )
    }

    /// The public pages of a brief's packs, one per language below it: `…/p/ID`.
    pub fn pack_pages(&self, brief: BriefId) -> String {
        format!("{}/p/{}", self.public_url, brief.0)
    }

    /// Fact sources counted through `/r/TOKEN`.
    pub fn with_counted_sources(self, counted: bool) -> Letterhead {
        Letterhead {
            counts_sources: counted,
            ..self
        }
    }

    /// The counted links to a brief's fact sources, per language; none when clicks are not
    /// counted here. The same links go to every reader: a click names no one.
    pub fn source_links(&self, id: BriefId, brief: &Brief) -> Option<SourceLinks> {
        if !self.counts_sources {
            return None;
        }
        let links = brief
            .languages()
            .into_iter()
            .filter_map(|language| {
                let block = brief.block(language)?;
                let links = (0..block.facts.len())
                    .map(|fact| {
                        let token = self.key.sign_source(id, language, fact)?;
                        Some(format!("{}/r/{token}", self.public_url))
                    })
                    .collect::<Option<Vec<String>>>()?;
                Some((language, links))
            })
            .collect();
        Some(SourceLinks(links))
    }

    /// Where the reader's reply to `delivery_id` goes, as the body shows it and `Reply-To` names it.
    pub fn reply_address(&self, delivery_id: DeliveryId) -> String {
        self.key.address(Purpose::Reply, delivery_id, &self.reply_domain)
    }

    /// The domain replies, bounces and list ids are under, normalised to lower case.
    pub fn reply_domain(&self) -> &str {
        &self.reply_domain
    }

    fn address(&self, purpose: Purpose, delivery_id: DeliveryId, field: &'static str) -> Result<Address, MessageError> {
        let text = self.key.address(purpose, delivery_id, &self.reply_domain);
        text.parse().map_err(|_| MessageError::Address { field, value: text })
    }

    /// The message for one delivery, dated `date`, with a Message-ID whose random part comes
    /// from `rng`.
    pub fn compose<R: Rng + ?Sized>(
        &self,
        letter: &Letter<'_>,
        date: DateTime<Utc>,
        rng: &mut R,
    ) -> Result<OutgoingMessage, MessageError> {
        let valid_list_id = letter.list_id.contains('.')
            && letter
                .list_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
        if !valid_list_id {
            return Err(MessageError::ListId(letter.list_id.to_string()));
        }
        // lettre panics on a line break inside a header's text; the roster and brief checks
        // keep them out, and this keeps one that slipped through from stopping a whole lane.
        let header_texts = [
            ("the reader's name", letter.to_name.unwrap_or("")),
            ("the subject", letter.subject),
            ("the list name", letter.list_name),
        ];
        for (field, text) in header_texts {
            if let Some(character) = crate::text::line_break_in(text) {
                return Err(MessageError::HeaderText { field, character });
            }
        }
        let to_address: Address = letter.to.as_str().parse().map_err(|_| MessageError::Address {
            field: "to",
            value: letter.to.to_string(),
        })?;
        let to = Mailbox::new(letter.to_name.map(str::to_string), to_address.clone());
        let reply_to = Mailbox::new(None, self.address(Purpose::Reply, letter.delivery_id, "reply_domain")?);
        let bounce = self.address(Purpose::Bounce, letter.delivery_id, "reply_domain")?;
        let unsubscribe = self.key.sign(Purpose::Unsubscribe, letter.delivery_id);

        // Edition and delivery make the id unique; the random part keeps a resend after an
        // uncertain outcome distinguishable and ids unguessable.
        let message_id = format!(
            "{}.{}.{:016x}@{}",
            letter.edition_id,
            letter.delivery_id,
            rng.next_u64(),
            self.from.email.domain()
        );

        let message = Message::builder()
            .from(match &self.senders {
                Some(senders) => Mailbox::new(Some(senders.get(letter.language).to_string()), self.from.email.clone()),
                None => self.from.clone(),
            })
            .to(to)
            .reply_to(reply_to)
            .subject(letter.subject)
            .date(SystemTime::from(date))
            .message_id(Some(format!("<{message_id}>")))
            .header(ListId(format!("{} <{}>", letter.list_name, letter.list_id)))
            // RFC 2369 §3.2: angle-bracketed URIs in order of preference. The https link serves
            // RFC 8058 one-click from mailbox providers; mailto serves clients without it.
            .header(ListUnsubscribe(format!(
                "<{}/u/{unsubscribe}>, <mailto:{}+{unsubscribe}@{}>",
                self.public_url,
                Purpose::Unsubscribe.local_prefix(),
                self.reply_domain
            )))
            .header(ListUnsubscribePost)
            .header(ContentLanguage(letter.language.locale().to_string()))
            // Not standard (RFC 2076 lists it as a common extension) but RFC 3834 §2 lets
            // responders skip `Precedence: bulk`, and Exchange and the vacation programs do:
            // fewer out-of-office replies landing among readers' questions. No `Auto-Submitted`:
            // RFC 3834 reserves it for machine-generated mail and responses, and an edition is
            // written by people for people, who are meant to reply.
            .header(Precedence)
            .multipart(MultiPart::alternative_plain_html(
                letter.text.body(),
                letter.html.body(),
            ))?;
        let bytes = match &self.dkim {
            Some(dkim) => dkim.sign(&message.formatted())?,
            None => message.formatted(),
        };
        Ok(OutgoingMessage {
            message_id,
            envelope: Envelope {
                mail_from: bounce.to_string(),
                rcpt_to: to_address.to_string(),
            },
            bytes,
        })
    }
}

macro_rules! text_header {
    ($type:ident, $name:literal) => {
        #[derive(Debug, Clone)]
        struct $type(String);

        impl Header for $type {
            fn name() -> HeaderName {
                HeaderName::new_from_ascii_str($name)
            }

            fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok($type(s.to_string()))
            }

            fn display(&self) -> HeaderValue {
                HeaderValue::new(Self::name(), self.0.clone())
            }
        }
    };
}

text_header!(ListId, "List-Id");
text_header!(ListUnsubscribe, "List-Unsubscribe");
text_header!(ContentLanguage, "Content-Language");

macro_rules! fixed_header {
    ($type:ident, $name:literal, $value:literal) => {
        #[derive(Debug, Clone)]
        struct $type;

        impl Header for $type {
            fn name() -> HeaderName {
                HeaderName::new_from_ascii_str($name)
            }

            fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok($type)
            }

            fn display(&self) -> HeaderValue {
                HeaderValue::new(Self::name(), $value.to_string())
            }
        }
    };
}

fixed_header!(
    ListUnsubscribePost,
    "List-Unsubscribe-Post",
    "List-Unsubscribe=One-Click"
);
fixed_header!(Precedence, "Precedence", "bulk");

#[cfg(test)]
mod tests {
    use super::*;
    use mail_parser::{MessageParser, MimeHeaders};
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    const SECRET: &str = "0123456789abcdef0123456789abcdef-test-secret";
    fn letterhead(dkim: Option<DkimSigner>) -> Letterhead {
        Letterhead::new(
            "Koronafaktat <news@vnk.example.fi>",
            "reply.example.fi",
            "https://briefcast.example.fi/",
            TokenKey::new(SECRET),
            dkim,
        )
        .unwrap()
    }

    /// The dispatcher puts these in the body; they must be the headers' own, whatever the case
    /// the reply domain was configured in.
    #[test]
    fn the_body_links_are_the_headers_links() {
        let letterhead = Letterhead::new(
            "Koronafaktat <news@vnk.example.fi>",
            "Reply.Example.FI",
            "https://briefcast.example.fi/",
            TokenKey::new(SECRET),
            None,
        )
        .unwrap();
        let out = compose(&letterhead, &aino());
        let parsed = MessageParser::default().parse(&out.bytes).unwrap();
        let reply_to = parsed.reply_to().unwrap().first().unwrap().address().unwrap();
        assert_eq!(letterhead.reply_address(DeliveryId(4242)), reply_to);
        assert!(reply_to.ends_with("@reply.example.fi"), "{reply_to}");
        let unsubscribe = parsed.header_raw("List-Unsubscribe").unwrap();
        let url = letterhead.unsubscribe_url(DeliveryId(4242));
        assert!(url.starts_with("https://briefcast.example.fi/u/"), "{url}");
        assert!(unsubscribe.contains(&format!("<{url}>")), "{unsubscribe}");
    }

    fn compose(letterhead: &Letterhead, to: &EmailAddress) -> OutgoingMessage {
        let letter = Letter {
            edition_id: EditionId(7),
            delivery_id: DeliveryId(4242),
            to,
            to_name: Some("Aino Virtanen"),
            language: Language::Sv,
            subject: "Veckans fakta: vaccin och resor",
            text: Part::Text("Hej Aino,\n\nhär är veckans fakta.\n"),
            html: Part::Text("<p>Hej Aino,</p><p>här är veckans fakta.</p>"),
            list_name: "Koronafaktat – weekly (sv)",
            list_id: "weekly.sv.news.example.fi",
        };
        let date = "2026-03-02T07:30:00Z".parse().unwrap();
        letterhead
            .compose(&letter, date, &mut StdRng::seed_from_u64(1))
            .unwrap()
    }

    fn aino() -> EmailAddress {
        EmailAddress::parse("aino.virtanen@example.com").unwrap()
    }

    #[test]
    fn from_names_the_sender_as_the_readers_language_knows_it() {
        let named = letterhead(None).with_senders(crate::pack::SenderNames::same("Statsrådets kansli"));
        let out = compose(&named, &aino());
        let parsed = MessageParser::default().parse(&out.bytes).unwrap();
        let from = parsed.from().and_then(|f| f.first()).unwrap();
        assert_eq!(from.name(), Some("Statsrådets kansli"));
        assert_eq!(from.address(), Some("news@vnk.example.fi"));
        let unnamed = MessageParser::default()
            .parse(&compose(&letterhead(None), &aino()).bytes)
            .unwrap()
            .from()
            .and_then(|f| f.first())
            .and_then(|a| a.name())
            .map(str::to_string);
        assert_eq!(unnamed.as_deref(), Some("Koronafaktat"));
    }

    #[test]
    fn every_header_the_design_requires_is_there() {
        let key = TokenKey::new(SECRET);
        let out = compose(&letterhead(None), &aino());
        let parsed = MessageParser::default().parse(&out.bytes).unwrap();

        assert_eq!(parsed.message_id(), Some(out.message_id.as_str()));
        assert!(out.message_id.starts_with("7.4242."), "{}", out.message_id);
        assert!(out.message_id.ends_with("@vnk.example.fi"), "{}", out.message_id);
        assert_eq!(parsed.date().unwrap().to_rfc3339(), "2026-03-02T07:30:00Z");
        let from = parsed.from().unwrap().first().unwrap();
        assert_eq!(from.address(), Some("news@vnk.example.fi"));
        assert_eq!(from.name(), Some("Koronafaktat"));
        let to = parsed.to().unwrap().first().unwrap();
        assert_eq!(to.address(), Some("aino.virtanen@example.com"));
        assert_eq!(to.name(), Some("Aino Virtanen"));
        assert_eq!(parsed.subject(), Some("Veckans fakta: vaccin och resor"));

        let reply_to = parsed.reply_to().unwrap().first().unwrap().address().unwrap();
        assert!(reply_to.starts_with("questions+") && reply_to.ends_with("@reply.example.fi"));
        assert_eq!(key.verify_address(reply_to), Some((Purpose::Reply, DeliveryId(4242))));

        let list_id = parsed.header_raw("List-Id").unwrap().trim();
        assert!(list_id.ends_with("<weekly.sv.news.example.fi>"), "{list_id}");
        let unsubscribe = parsed.header_raw("List-Unsubscribe").unwrap();
        let unsubscribe: String = unsubscribe.split_whitespace().collect::<Vec<_>>().join(" ");
        let token = key.sign(Purpose::Unsubscribe, DeliveryId(4242));
        assert_eq!(
            unsubscribe,
            format!("<https://briefcast.example.fi/u/{token}>, <mailto:unsubscribe+{token}@reply.example.fi>")
        );
        assert_eq!(
            parsed.header_raw("List-Unsubscribe-Post").map(str::trim),
            Some("List-Unsubscribe=One-Click")
        );
        assert_eq!(parsed.header_raw("Content-Language").map(str::trim), Some("sv-FI"));
        assert_eq!(parsed.header_raw("Precedence").map(str::trim), Some("bulk"));
        assert!(parsed.header_raw("Auto-Submitted").is_none());
        assert!(parsed.header_raw("DKIM-Signature").is_none());

        let content_type = parsed.content_type().unwrap();
        assert_eq!(content_type.ctype(), "multipart");
        assert_eq!(content_type.subtype(), Some("alternative"));
        assert_eq!(
            parsed.body_text(0).unwrap().replace("\r\n", "\n").trim_end(),
            "Hej Aino,\n\nhär är veckans fakta."
        );
        assert_eq!(
            parsed.body_html(0).unwrap(),
            "<p>Hej Aino,</p><p>här är veckans fakta.</p>"
        );

        assert_eq!(out.envelope.rcpt_to, "aino.virtanen@example.com");
        assert_eq!(
            key.verify_address(&out.envelope.mail_from),
            Some((Purpose::Bounce, DeliveryId(4242)))
        );
        assert!(out.envelope.mail_from.ends_with("@reply.example.fi"));
    }

    #[test]
    fn the_message_id_is_random_beyond_edition_and_delivery() {
        let lh = letterhead(None);
        let letter = Letter {
            edition_id: EditionId(1),
            delivery_id: DeliveryId(2),
            to: &aino(),
            to_name: None,
            language: Language::Fi,
            subject: "s",
            text: Part::Text("t"),
            html: Part::Text("<p>t</p>"),
            list_name: "l",
            list_id: "l.example.fi",
        };
        let date = Utc::now();
        let a = lh.compose(&letter, date, &mut StdRng::seed_from_u64(1)).unwrap();
        let b = lh.compose(&letter, date, &mut StdRng::seed_from_u64(2)).unwrap();
        assert_ne!(a.message_id, b.message_id);
        assert!(a.message_id.starts_with("1.2.") && b.message_id.starts_with("1.2."));
    }

    #[test]
    fn bad_inputs_are_refused_with_the_field_named() {
        let err = Letterhead::new(
            "not an address",
            "reply.example.fi",
            "https://x.fi",
            TokenKey::new(SECRET),
            None,
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "from `not an address` is not a usable address");
        let err = Letterhead::new("a@b.fi", "bad domain!", "https://x.fi", TokenKey::new(SECRET), None).unwrap_err();
        assert!(err.to_string().starts_with("reply_domain `questions+"), "{err}");
        let lh = letterhead(None);
        let letter = Letter {
            edition_id: EditionId(1),
            delivery_id: DeliveryId(2),
            to: &aino(),
            to_name: None,
            language: Language::Fi,
            subject: "s",
            text: Part::Text("t"),
            html: Part::Text("h"),
            list_name: "l",
            list_id: "has spaces>\r\nBcc: x@y",
        };
        let err = lh
            .compose(&letter, Utc::now(), &mut StdRng::seed_from_u64(1))
            .unwrap_err();
        assert!(matches!(err, MessageError::ListId(_)), "{err}");
    }

    #[test]
    fn every_message_carries_an_rsa_and_an_ed25519_signature_over_its_unsubscribe_headers() {
        let pems = [
            ("rsa2026", include_str!("../../tests/fixtures/dkim/rsa2048.pem")),
            ("ed2026", include_str!("../../tests/fixtures/dkim/ed25519.pem")),
        ];
        let keys = || {
            pems.iter()
                .map(|(selector, pem)| DkimKey::from_pem(selector, "vnk.example.fi", pem).unwrap())
                .collect::<Vec<_>>()
        };
        let out = compose(&letterhead(Some(DkimSigner::new(keys()))), &aino());
        let checking = keys();
        let results = super::super::dkim::verify::verify(&out.bytes, &checking.iter().collect::<Vec<_>>());
        assert_eq!(
            results,
            vec![Ok("rsa-sha256".to_string()), Ok("ed25519-sha256".to_string())]
        );
        let parsed = MessageParser::default().parse(&out.bytes).unwrap();
        let signature = parsed
            .header_raw("DKIM-Signature")
            .unwrap()
            .replace(['\r', '\n', '\t', ' '], "");
        for covered in [
            "list-unsubscribe:",
            "list-unsubscribe-post:",
            "content-type:",
            "mime-version:",
            "reply-to:",
        ] {
            assert!(
                signature.to_ascii_lowercase().contains(covered),
                "{covered} in {signature}"
            );
        }
    }

    /// lettre panics on these inside a header; composing refuses the one message instead.
    #[test]
    fn a_line_break_in_the_name_fails_that_message_without_a_panic() {
        let to = aino();
        for name in ["Lf\nonly", "Cr\r\nLf", "Nul\0", "Sep\u{2028}arated"] {
            let letter = Letter {
                edition_id: EditionId(7),
                delivery_id: DeliveryId(4242),
                to: &to,
                to_name: Some(name),
                language: Language::Fi,
                subject: "Viikon faktat",
                text: Part::Text("Hei,\n"),
                html: Part::Text("<p>Hei,</p>"),
                list_name: "briefcast (fi)",
                list_id: "fi.briefcast.example.fi",
            };
            let refused = letterhead(None).compose(&letter, Utc::now(), &mut StdRng::seed_from_u64(1));
            assert!(
                matches!(
                    refused,
                    Err(MessageError::HeaderText {
                        field: "the reader's name",
                        ..
                    })
                ),
                "{name:?}: {refused:?}"
            );
        }
    }
}
