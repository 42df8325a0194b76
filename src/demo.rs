//! `serve --demo`: seeds a fresh deployment with the sample roster so a newcomer sees real data.

use crate::access::Actor;
use crate::audience;
use crate::store::{InfluencerQuery, Store};

/// The sample roster, embedded so that the demo works wherever the binary runs.
pub const SAMPLE_ROSTER: &[u8] = include_bytes!("../content/demo/influencers.csv");

/// Seeds what is missing; a second start changes nothing.
pub async fn seed(store: &dyn Store, now: chrono::DateTime<chrono::Utc>) -> anyhow::Result<()> {
    let empty = store
        .list_influencers(&InfluencerQuery {
            limit: Some(1),
            ..Default::default()
        })
        .await?
        .is_empty();
    if empty {
        let report = audience::import(store, SAMPLE_ROSTER, &Actor("demo".into()), now).await?;
        tracing::info!(
            new = report.new,
            rejected = report.rejected.len(),
            "demo: sample roster imported (its rejected rows are deliberate examples of bad input)"
        );
    }
    Ok(())
}
