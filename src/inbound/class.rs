//! The classes a stored reply falls in.

use serde::Serialize;

/// What `replies.kind` says a stored reply was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyClass {
    Question,
    AutoReply,
    Bounce,
    Complaint,
    Unsubscribe,
    /// A question that matched no delivery and no influencer: logged unlinked, for a
    /// coordinator to assign. Also an unreadable message, with a note saying so.
    Unmatched,
}

impl ReplyClass {
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyClass::Question => "question",
            ReplyClass::AutoReply => "auto_reply",
            ReplyClass::Bounce => "bounce",
            ReplyClass::Complaint => "complaint",
            ReplyClass::Unsubscribe => "unsubscribe",
            ReplyClass::Unmatched => "unmatched",
        }
    }

    pub fn parse(s: &str) -> Option<ReplyClass> {
        [
            ReplyClass::Question,
            ReplyClass::AutoReply,
            ReplyClass::Bounce,
            ReplyClass::Complaint,
            ReplyClass::Unsubscribe,
            ReplyClass::Unmatched,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}
