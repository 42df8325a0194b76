//! Packs: a brief rendered for one language (email HTML and text, copy-ready snippets), and
//! editions that carry several briefs in one email per language, personalised per recipient
//! as a last, cheap step.

mod locale;
mod newsletter;
mod page;
mod personalise;
mod platforms;
mod preview;
mod sender;
mod signed;
mod snippets;
mod templates;
mod view;

use std::fmt;
use std::path::Path;

use crate::brief::{LimitsError, PlatformLimits};
use crate::language::Language;

pub use locale::{CONSOLE_IDS, MESSAGE_IDS, Strings, format_date, format_datetime, format_number};
pub use newsletter::{
    Asked, Carried, ComposedEdition, Edition, Held, HeldReason, LanguagePolicy, Placement, SourceLinks, compose,
    compose_all,
};
pub use page::{PackPage, Standing, VerifyView, pack_page, pack_text, standing_line, verify_page};
pub use personalise::{EncodedMessage, Message, Recipient};
pub use platforms::ReaderPlatforms;
pub use preview::{Preview, preview, write_preview};
pub use sender::SenderNames;
pub use signed::{PackHeader, PackKey, PublicKey, SignatureError, SignedPack, verify, words};
pub use snippets::Snippets;
pub use templates::{Templates, template_names};
pub(crate) use view::web_link;

/// The templates, strings and limits packs are made from: loaded once at start, from the
/// content and locales folders, with built-in copies for whatever those folders lack.
pub struct Content {
    pub templates: Templates,
    pub strings: Strings,
    pub limits: PlatformLimits,
    /// Who sends, per language: the deployment's, set from its configuration at start.
    pub sender: SenderNames,
}

impl Content {
    pub fn embedded() -> Content {
        Content {
            templates: Templates::embedded(),
            strings: Strings::embedded(),
            limits: PlatformLimits::embedded(),
            sender: SenderNames::default(),
        }
    }

    /// The deployment's content: its folders (below), and its sender's names.
    pub fn configured(config: &crate::config::Config) -> Result<Content, ContentError> {
        let mut content = Content::load(&config.content_dir, &config.locales_dir)?;
        content.sender = SenderNames::from_config(config);
        Ok(content)
    }

    /// `content_dir/templates/*`, `content_dir/platforms.toml` and `locales_dir/<lang>/*.ftl`.
    /// Every template is compiled and every locale checked here, so a broken file stops the
    /// start with its name and line instead of failing a send later.
    pub fn load(content_dir: &Path, locales_dir: &Path) -> Result<Content, ContentError> {
        Ok(Content {
            templates: Templates::load(&content_dir.join("templates"))?,
            strings: Strings::load(locales_dir)?,
            limits: PlatformLimits::load(content_dir).map_err(ContentError::Limits)?,
            sender: SenderNames::default(),
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("reading {path}: {message}")]
    Read { path: String, message: String },
    #[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Syntax {
        path: String,
        line: Option<usize>,
        message: String,
    },
    #[error("{path}: message `{id}` is missing from the {language} strings")]
    MissingMessage {
        language: Language,
        path: String,
        id: String,
    },
    #[error(transparent)]
    Limits(LimitsError),
}

/// A template failed while rendering (for example it names a value that does not exist).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RenderError {
    pub template: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rendering {}", self.template)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.message)
    }
}
