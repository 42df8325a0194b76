//! The question log: what influencers asked, and what the authorities answered.
//!
//! Pure domain: the workflow a question moves through ([`QuestionStatus`], [`Transition`]),
//! tags, which brief a reply is about, and the CSV the authorities receive. Storing is
//! `store::QuestionStore`'s job; `intake` creates questions from replies.

mod brief_match;
mod export;
mod record;
mod status;
mod tag;

pub use brief_match::brief_for_subject;
pub use export::{CSV_COLUMNS, write_csv};
pub use record::QuestionRecord;
pub use status::{QuestionStatus, Transition, TransitionError, UnknownStatus};
pub use tag::{InvalidTag, Tag};
