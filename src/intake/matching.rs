//! Matching: which delivery a reply answers, or which influencer sent it, best evidence first.

use serde::Serialize;

use super::verify::ReplyTokens;
use crate::audience::EmailAddress;
use crate::ids::{BriefId, InfluencerId};
use crate::inbound::{Reply, ReplyKind};
use crate::language::Language;
use crate::store::{DeliveryRef, Store};

/// How a reply found its delivery or influencer, best evidence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    Token,
    MessageId,
    Sender,
}

impl MatchedBy {
    pub fn describe(self) -> &'static str {
        match self {
            MatchedBy::Token => "matched by its signed token",
            MatchedBy::MessageId => "matched by the Message-ID it answers",
            MatchedBy::Sender => "matched by its sender's address only",
        }
    }
}

/// What a reply was found to refer to: everything the decision needs from the store.
#[derive(Debug, Clone, Default)]
pub struct Match {
    /// None: the reply matched no delivery and no influencer.
    pub by: Option<MatchedBy>,
    pub delivery: Option<DeliveryRef>,
    /// (id, address, roster language) of the influencer, from the delivery or the sender.
    pub influencer: Option<(InfluencerId, EmailAddress, Language)>,
    /// The briefs of the delivery's edition in order, each with its stored document, when the
    /// reply is a question: which one it is about is read from its subject.
    pub edition_briefs: Vec<(BriefId, String)>,
}

/// Finds the delivery a reply answers (by signed token, then by the Message-ID it answers) or,
/// failing that, the influencer who sent it.
pub async fn find(store: &dyn Store, verifier: &dyn ReplyTokens, reply: &Reply) -> anyhow::Result<Match> {
    let keys = &reply.keys;
    let mut delivery = None;
    let mut by = MatchedBy::Token;
    for key in &keys.tokens {
        if let Some(id) = verifier.delivery_of(&key.token, key.mailbox)
            && let Some(found) = store.delivery_ref(id).await?
        {
            delivery = Some(found);
            break;
        }
    }
    if delivery.is_none() {
        delivery = store.delivery_by_message_id(&keys.message_ids).await?;
        by = MatchedBy::MessageId;
    }
    if let Some(delivery) = delivery {
        let influencer = match &delivery.email {
            Some(email) => store.influencer(email).await?,
            None => None,
        };
        let edition_briefs = match reply.kind {
            ReplyKind::Question(_) => store.edition_briefs(delivery.edition_id).await?,
            _ => Vec::new(),
        };
        return Ok(Match {
            by: Some(by),
            influencer: influencer.map(|i| (i.id, i.influencer.email, i.influencer.language)),
            delivery: Some(delivery),
            edition_briefs,
        });
    }
    for address in &keys.addresses {
        if let Some(i) = store.influencer(address).await? {
            return Ok(Match {
                by: Some(MatchedBy::Sender),
                delivery: None,
                influencer: Some((i.id, i.influencer.email, i.influencer.language)),
                edition_briefs: Vec::new(),
            });
        }
    }
    Ok(Match::default())
}
