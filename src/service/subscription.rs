//! The reader's own page, behind the signed link in every edition: who it is for, their
//! language and cadence, and leaving the list. The reader is named by the token, not a role.

use chrono::{DateTime, Utc};

use crate::access::Actor;
use crate::audience::StoredInfluencer;
use crate::cadence::Cadence;
use crate::ids::DeliveryId;
use crate::language::Language;
use crate::store::{Store, StoreError};
use crate::token::{Purpose, TokenKey};

/// What a reader's link leads to.
pub enum Reader {
    Subscribed {
        delivery_id: DeliveryId,
        person: StoredInfluencer,
    },
    Unsubscribed {
        person: StoredInfluencer,
    },
}

/// `None` for a token that names nobody; a database that does not answer is an error, never
/// "this link is not valid".
pub async fn reader(store: &dyn Store, tokens: &TokenKey, token: &str) -> Result<Option<Reader>, StoreError> {
    let Ok(delivery_id) = tokens.verify(Purpose::Unsubscribe, token) else {
        return Ok(None);
    };
    let Some(person) = store.subscriber(delivery_id).await? else {
        return Ok(None);
    };
    Ok(Some(match store.suppression(&person.influencer.email).await? {
        Some(_) => Reader::Unsubscribed { person },
        None => Reader::Subscribed { delivery_id, person },
    }))
}

/// The audit log names the reader by the delivery whose link they used.
fn reader_actor(delivery_id: DeliveryId) -> Actor {
    Actor(format!("subscriber:delivery:{delivery_id}"))
}

pub async fn set_preferences(
    store: &dyn Store,
    delivery_id: DeliveryId,
    person: &StoredInfluencer,
    language: Language,
    cadence: Cadence,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let email = &person.influencer.email;
    store
        .set_preferences(email, language, cadence, &reader_actor(delivery_id), now)
        .await
}

/// Leaves the list for good: suppressed and audited; `how` says which button or header did it.
pub async fn unsubscribe(
    store: &dyn Store,
    delivery_id: DeliveryId,
    person: &StoredInfluencer,
    how: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let how = format!("{how}, delivery {delivery_id}");
    store
        .unsubscribe(&person.influencer.email, &how, &reader_actor(delivery_id), now)
        .await?;
    tracing::info!(delivery = %delivery_id, how, "unsubscribed");
    Ok(())
}
