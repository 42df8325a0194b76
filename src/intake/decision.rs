//! The decision: what a reply means, from the reply and what it was matched to. Pure: no store,
//! no clock, so every rule about reports, questions and unsubscribes is tested directly.

use super::matching::Match;
use crate::inbound::ReplyClass;
use crate::inbound::{ParseError, Reply, ReplyKind, Severity};
use crate::questions::brief_for_subject;
use crate::reach::{PostUrl, asks_something};
use crate::store::NewPostReport;
use crate::store::{DeliveryNote, NewQuestion, ReplyOutcome, SuppressionReason};

/// What a reply means for the log, the delivery and the suppression list, given what it was
/// found to refer to.
pub fn decide(parsed: &Result<Reply, ParseError>, found: &Match) -> ReplyOutcome {
    let reply = match parsed {
        Ok(reply) => reply,
        Err(e) => {
            return ReplyOutcome {
                class: ReplyClass::Unmatched,
                delivery_id: None,
                influencer_id: None,
                subject: None,
                note: Some(format!("unreadable, kept for audit: {e}")),
                question: None,
                post_reports: Vec::new(),
                delivery_note: None,
                suppress: None,
            };
        }
    };
    let delivery = found.delivery.clone();
    let influencer = found.influencer.clone();
    let mut notes: Vec<String> = vec![match found.by {
        Some(by) => by.describe().to_string(),
        None => "matched no delivery and no influencer".to_string(),
    }];
    let mut outcome = ReplyOutcome {
        class: ReplyClass::Unmatched,
        delivery_id: delivery.as_ref().map(|d| d.id),
        influencer_id: influencer.as_ref().map(|i| i.0),
        subject: reply.headers.subject.clone(),
        note: None,
        question: None,
        post_reports: Vec::new(),
        delivery_note: None,
        suppress: None,
    };
    // Reports and unsubscribe requests act on the address we mailed: the delivery's.
    let delivery_address = delivery.as_ref().and_then(|d| d.email.clone());
    let not_acted = "not acted on: a report suppresses an address only when a signed token or a Message-ID of ours names the delivery";
    match &reply.kind {
        ReplyKind::Question(question) => {
            let (edition_id, brief_id) = match &delivery {
                Some(d) => (
                    Some(d.edition_id),
                    brief_for_subject(reply.headers.subject.as_deref(), &found.edition_briefs),
                ),
                None => (None, None),
            };
            outcome.class = if found.by.is_some() {
                ReplyClass::Question
            } else {
                notes.push("logged unlinked for a coordinator to assign".into());
                ReplyClass::Unmatched
            };
            // A link to a post is a report of what they posted, for the brief the reply
            // answers; only the edition's own delivery says which brief that is.
            let posts = PostUrl::find_all(&question.text);
            if let (false, Some(brief_id), Some((influencer_id, _, _))) = (posts.is_empty(), brief_id, &influencer) {
                notes.push(format!("{} post(s) reported for brief {brief_id}", posts.len()));
                outcome.post_reports = posts
                    .into_iter()
                    .map(|post| NewPostReport {
                        influencer_id: *influencer_id,
                        brief_id,
                        post,
                        views: None,
                        via: "reply",
                    })
                    .collect();
                if !asks_something(&question.text) {
                    notes.push("nothing asked besides: not a question".into());
                    outcome.note = Some(notes.join("; "));
                    return outcome;
                }
            } else if !posts.is_empty() {
                notes.push("post links not counted: the reply names no delivery of ours".into());
            }
            outcome.question = Some(NewQuestion {
                text: question.text.clone(),
                // The language we wrote to them in is the surest guess of the one they answer in.
                language: delivery
                    .as_ref()
                    .and_then(|d| d.language)
                    .or(question.language)
                    .or(influencer.as_ref().map(|i| i.2)),
                influencer_id: outcome.influencer_id,
                edition_id,
                brief_id,
            });
        }
        ReplyKind::AutoReply(_) => {
            outcome.class = ReplyClass::AutoReply;
            notes.push("automatic reply: logged only".into());
        }
        ReplyKind::Bounce(bounce) => {
            outcome.class = ReplyClass::Bounce;
            let permanent = bounce.recipients.iter().any(|r| r.severity == Severity::Permanent);
            let transient = bounce.recipients.iter().any(|r| r.severity == Severity::Transient);
            let detail = bounce
                .recipients
                .iter()
                .map(|r| {
                    let status = r.status.map(|s| s.to_string()).unwrap_or_else(|| "no status".into());
                    let diagnostic = r.diagnostic.as_deref().unwrap_or_default();
                    format!("{}: {status} {diagnostic}", r.final_recipient)
                        .trim()
                        .to_string()
                })
                .collect::<Vec<_>>()
                .join("; ");
            // A delivery is only ever found by a signed token or our own Message-ID, never by the
            // addresses a report names, which anyone could forge.
            match &delivery {
                Some(d) if permanent => {
                    outcome.delivery_note = Some(DeliveryNote {
                        delivery_id: d.id,
                        event: "bounced",
                        detail,
                        mark_bounced: true,
                    });
                    outcome.suppress = delivery_address.map(|a| (a, SuppressionReason::Bounced));
                    notes.push("permanent bounce: delivery marked bounced, address suppressed".into());
                }
                Some(d) if transient => {
                    outcome.delivery_note = Some(DeliveryNote {
                        delivery_id: d.id,
                        event: "transient_bounce",
                        detail,
                        mark_bounced: false,
                    });
                    notes.push("transient failure: only noted, the address stays".into());
                }
                Some(_) => notes.push("delivery report without a failure: logged only".into()),
                None => notes.push(not_acted.into()),
            }
        }
        ReplyKind::Complaint(complaint) => {
            outcome.class = ReplyClass::Complaint;
            match &delivery {
                Some(d) => {
                    outcome.delivery_note = Some(DeliveryNote {
                        delivery_id: d.id,
                        event: "complained",
                        detail: format!("feedback type {}", complaint.feedback_type),
                        mark_bounced: false,
                    });
                    outcome.suppress = delivery_address.map(|a| (a, SuppressionReason::Complained));
                    notes.push("complaint: address suppressed".into());
                }
                None => notes.push(not_acted.into()),
            }
        }
        ReplyKind::Unsubscribe(_) => {
            outcome.class = ReplyClass::Unsubscribe;
            // The sender asks for themselves, so a sender match is enough here.
            let address = delivery_address.or(influencer.as_ref().map(|i| i.1.clone()));
            if let Some(d) = &delivery {
                outcome.delivery_note = Some(DeliveryNote {
                    delivery_id: d.id,
                    event: "unsubscribed",
                    detail: "unsubscribe request by mail".into(),
                    mark_bounced: false,
                });
            }
            match address {
                Some(address) => {
                    outcome.suppress = Some((address, SuppressionReason::Unsubscribed));
                    notes.push("unsubscribe request: address suppressed".into());
                }
                None => notes.push("unsubscribe request from an address not in the roster: nothing to do".into()),
            }
        }
    }
    outcome.note = Some(notes.join("; "));
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audience::EmailAddress;
    use crate::ids::{BriefId, DeliveryId, EditionId, InfluencerId};
    use crate::intake::MatchedBy;
    use crate::language::Language;
    use crate::store::DeliveryRef;

    const BOUNCE: &[u8] = include_bytes!("../../tests/golden/replies/05-bounce-dsn/message.eml");
    const QUESTION: &[u8] = b"From: Aino <aino@example.fi>\r\nTo: questions@replies.example.fi\r\n\
        Subject: Re: Tiedote\r\nMessage-ID: <q1@example.fi>\r\n\r\nMista saan lisatietoa?\r\n";

    fn address(s: &str) -> EmailAddress {
        EmailAddress::parse(s).expect("a valid test address")
    }

    fn delivery() -> DeliveryRef {
        DeliveryRef {
            id: DeliveryId(42),
            edition_id: EditionId(7),
            influencer_id: Some(InfluencerId(3)),
            email: Some(address("priya.nair@example.org")),
            language: Some(Language::En),
        }
    }

    #[test]
    fn a_permanent_bounce_on_our_delivery_marks_it_and_suppresses_the_address() {
        let found = Match {
            by: Some(MatchedBy::Token),
            delivery: Some(delivery()),
            influencer: Some((InfluencerId(3), address("priya.nair@example.org"), Language::En)),
            edition_briefs: Vec::new(),
        };
        let outcome = decide(&Reply::parse(BOUNCE), &found);
        assert_eq!(outcome.class, ReplyClass::Bounce);
        let note = outcome.delivery_note.expect("the delivery gets a note");
        assert_eq!(
            (note.delivery_id, note.event, note.mark_bounced),
            (DeliveryId(42), "bounced", true)
        );
        assert_eq!(
            outcome.suppress,
            Some((address("priya.nair@example.org"), SuppressionReason::Bounced))
        );
    }

    #[test]
    fn a_bounce_that_names_no_delivery_of_ours_suppresses_nobody() {
        // Matched by sender only: the addresses inside a report can be forged.
        let found = Match {
            by: Some(MatchedBy::Sender),
            delivery: None,
            influencer: Some((InfluencerId(3), address("priya.nair@example.org"), Language::En)),
            edition_briefs: Vec::new(),
        };
        let outcome = decide(&Reply::parse(BOUNCE), &found);
        assert_eq!(outcome.class, ReplyClass::Bounce);
        assert_eq!(outcome.suppress, None);
        assert!(outcome.delivery_note.is_none());
        assert!(outcome.note.unwrap_or_default().contains("not acted on"));
    }

    #[test]
    fn a_question_from_a_known_sender_is_logged_in_their_roster_language() {
        let found = Match {
            by: Some(MatchedBy::Sender),
            delivery: None,
            influencer: Some((InfluencerId(9), address("aino@example.fi"), Language::Fi)),
            edition_briefs: Vec::new(),
        };
        let outcome = decide(&Reply::parse(QUESTION), &found);
        assert_eq!(outcome.class, ReplyClass::Question);
        let question = outcome.question.expect("a question is logged");
        assert_eq!(question.influencer_id, Some(InfluencerId(9)));
        assert_eq!(question.edition_id, None);
        assert_eq!(question.language, Some(Language::Fi));
    }

    #[test]
    fn a_question_that_matches_nothing_waits_unlinked_for_a_coordinator() {
        let outcome = decide(&Reply::parse(QUESTION), &Match::default());
        assert_eq!(outcome.class, ReplyClass::Unmatched);
        assert!(outcome.question.is_some());
        assert!(outcome.note.unwrap_or_default().contains("logged unlinked"));
    }

    const POST_ONLY: &[u8] = b"From: Priya <priya.nair@example.org>\r\nTo: questions@replies.example.fi\r\n\
        Subject: Re: Storm\r\nMessage-ID: <p1@example.org>\r\n\r\nPosted: https://www.tiktok.com/@priya/video/42\r\n";

    #[test]
    fn a_post_link_on_our_delivery_is_a_post_report_and_not_a_question() {
        let found = Match {
            by: Some(MatchedBy::Token),
            delivery: Some(delivery()),
            influencer: Some((InfluencerId(3), address("priya.nair@example.org"), Language::En)),
            edition_briefs: vec![(BriefId(5), "{}".into())],
        };
        let outcome = decide(&Reply::parse(POST_ONLY), &found);
        assert!(outcome.question.is_none(), "nothing was asked");
        let [report] = outcome.post_reports.as_slice() else {
            panic!("one post report: {:?}", outcome.post_reports);
        };
        assert_eq!((report.brief_id, report.influencer_id), (BriefId(5), InfluencerId(3)));
        assert_eq!(report.post.url, "https://tiktok.com/@priya/video/42");
        // Matched by the sender alone, the same reply counts nothing: a From can be forged.
        let by_sender = Match {
            by: Some(MatchedBy::Sender),
            delivery: None,
            ..found
        };
        let outcome = decide(&Reply::parse(POST_ONLY), &by_sender);
        assert!(outcome.post_reports.is_empty());
        assert!(outcome.note.unwrap_or_default().contains("post links not counted"));
    }

    #[test]
    fn an_unreadable_message_is_kept_and_says_why() {
        let outcome = decide(&Reply::parse(b""), &Match::default());
        assert_eq!(outcome.class, ReplyClass::Unmatched);
        assert!(outcome.question.is_none() && outcome.suppress.is_none());
        assert!(outcome.note.unwrap_or_default().starts_with("unreadable"));
    }
}
