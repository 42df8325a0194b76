//! new → triaged → forwarded (to an authority) → answered, or dismissed along the way.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionStatus {
    New,
    Triaged,
    Forwarded,
    Answered,
    Dismissed,
}

impl QuestionStatus {
    pub const ALL: [QuestionStatus; 5] = [
        QuestionStatus::New,
        QuestionStatus::Triaged,
        QuestionStatus::Forwarded,
        QuestionStatus::Answered,
        QuestionStatus::Dismissed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionStatus::New => "new",
            QuestionStatus::Triaged => "triaged",
            QuestionStatus::Forwarded => "forwarded",
            QuestionStatus::Answered => "answered",
            QuestionStatus::Dismissed => "dismissed",
        }
    }
}

impl fmt::Display for QuestionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("status `{0}` does not exist (use new, triaged, forwarded, answered or dismissed)")]
pub struct UnknownStatus(pub String);

impl FromStr for QuestionStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        QuestionStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

/// What a coordinator does to a question. Each names its target status and carries what that
/// status needs, so an answered question always has an answer and a forwarded one its authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "lowercase")]
pub enum Transition {
    Triage,
    Forward { authority: String },
    Answer { text: Option<String>, url: Option<String> },
    Dismiss { reason: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("the question is {from}, so it cannot be {verb}")]
    NotAllowed { from: QuestionStatus, verb: &'static str },
    #[error("authority: name the authority the question goes to")]
    NoAuthority,
    #[error("answer: give the answer text, a link to the answer (such as the answer video), or both")]
    NoAnswer,
    #[error("url: `{0}` is not an http:// or https:// link")]
    BadUrl(String),
}

impl TransitionError {
    /// The request field an error is about, for API responses.
    pub fn field(&self) -> &'static str {
        match self {
            TransitionError::NotAllowed { .. } => "status",
            TransitionError::NoAuthority => "authority",
            TransitionError::NoAnswer => "answer",
            TransitionError::BadUrl(_) => "url",
        }
    }
}

impl Transition {
    /// Builds a transition from loose input, trimming and checking what it carries.
    pub fn answer(text: Option<&str>, url: Option<&str>) -> Result<Transition, TransitionError> {
        let text = text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        let url = url.map(str::trim).filter(|u| !u.is_empty()).map(str::to_string);
        if let Some(u) = &url {
            let valid = url::Url::parse(u).is_ok_and(|parsed| matches!(parsed.scheme(), "http" | "https"));
            if !valid {
                return Err(TransitionError::BadUrl(u.clone()));
            }
        }
        if text.is_none() && url.is_none() {
            return Err(TransitionError::NoAnswer);
        }
        Ok(Transition::Answer { text, url })
    }

    pub fn forward(authority: &str) -> Result<Transition, TransitionError> {
        let authority = authority.trim();
        if authority.is_empty() {
            return Err(TransitionError::NoAuthority);
        }
        Ok(Transition::Forward {
            authority: authority.to_string(),
        })
    }

    pub fn target(&self) -> QuestionStatus {
        match self {
            Transition::Triage => QuestionStatus::Triaged,
            Transition::Forward { .. } => QuestionStatus::Forwarded,
            Transition::Answer { .. } => QuestionStatus::Answered,
            Transition::Dismiss { .. } => QuestionStatus::Dismissed,
        }
    }

    /// The audit log's action name.
    pub fn action(&self) -> &'static str {
        match self {
            Transition::Triage => "question.triage",
            Transition::Forward { .. } => "question.forward",
            Transition::Answer { .. } => "question.answer",
            Transition::Dismiss { .. } => "question.dismiss",
        }
    }

    fn verb(&self) -> &'static str {
        match self {
            Transition::Triage => "triaged",
            Transition::Forward { .. } => "forwarded",
            Transition::Answer { .. } => "answered",
            Transition::Dismiss { .. } => "dismissed",
        }
    }

    /// Whether a question in `from` may take this transition. Coordinators often answer from
    /// the brief's own facts, so answering needs no forward first. Answered questions are
    /// final: their answer may already have gone out in an edition. A dismissed question can be
    /// triaged again, because dismissing by mistake must not lose a question. Forwarding again
    /// re-routes to another authority.
    pub fn check(&self, from: QuestionStatus) -> Result<QuestionStatus, TransitionError> {
        use QuestionStatus::*;
        let allowed = match self {
            Transition::Triage => matches!(from, New | Dismissed),
            Transition::Forward { .. } => matches!(from, New | Triaged | Forwarded),
            Transition::Answer { .. } => matches!(from, New | Triaged | Forwarded),
            Transition::Dismiss { .. } => matches!(from, New | Triaged | Forwarded),
        };
        if allowed {
            Ok(self.target())
        } else {
            Err(TransitionError::NotAllowed {
                from,
                verb: self.verb(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::QuestionStatus::*;
    use super::*;

    #[test]
    fn the_workflow_moves_forward_and_answers_are_final() {
        let forward = Transition::forward("THL").unwrap();
        let answer = Transition::answer(Some("Yes."), None).unwrap();
        assert_eq!(Transition::Triage.check(New), Ok(Triaged));
        assert_eq!(forward.check(Triaged), Ok(Forwarded));
        assert_eq!(forward.check(Forwarded), Ok(Forwarded));
        assert_eq!(answer.check(Forwarded), Ok(Answered));
        assert_eq!(answer.check(New), Ok(Answered));
        for transition in [
            Transition::Triage,
            forward,
            answer,
            Transition::Dismiss { reason: None },
        ] {
            assert!(transition.check(Answered).is_err(), "{transition:?} after answered");
        }
        assert_eq!(Transition::Triage.check(Dismissed), Ok(Triaged));
        assert_eq!(
            Transition::Triage.check(Forwarded).unwrap_err().to_string(),
            "the question is forwarded, so it cannot be triaged"
        );
    }

    #[test]
    fn transitions_carry_what_their_status_needs() {
        assert_eq!(Transition::forward("  "), Err(TransitionError::NoAuthority));
        assert_eq!(Transition::answer(Some(" "), None), Err(TransitionError::NoAnswer));
        assert!(matches!(
            Transition::answer(None, Some("ftp://x")),
            Err(TransitionError::BadUrl(_))
        ));
        assert_eq!(
            Transition::answer(None, Some("https://yle.fi/a/1")),
            Ok(Transition::Answer {
                text: None,
                url: Some("https://yle.fi/a/1".into())
            })
        );
        assert_eq!("Answered".parse::<QuestionStatus>(), Ok(Answered));
        assert!("closed".parse::<QuestionStatus>().is_err());
    }
}
