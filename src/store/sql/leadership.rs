//! The scheduler's one leader among daemons.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use async_trait::async_trait;

use super::{D, ThisStore};
use crate::store::dialect::Dialect;
use crate::store::{Leadership, LeadershipStore, StoreResult};

#[async_trait]
impl LeadershipStore for ThisStore {
    async fn try_lead(&self) -> StoreResult<Option<Leadership>> {
        Ok(D::lead(&self.pool).await?)
    }
}
