//! Making an edition inside the caller's transaction: its briefs, one delivery per recipient
//! chosen in the database, the briefs queued, and the audit entry. Used by editions made by
//! hand and by schedules.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::QueryBuilder;

use super::common::{Tx, audit, push_segment_filter};
use super::{D, Db};
use crate::access::Actor;
use crate::audience::SegmentFilter;
use crate::edition::{EditionBrief, EditionCreated, EditionId, NewEdition, Recipients};
use crate::store::StoreResult;
use crate::store::dialect::Dialect;

/// Brief statuses whose content may still go out in an edition already made.
pub(super) const LIVE_BRIEF_STATUSES: &str = "('approved', 'queued', 'sent')";

/// A brief (aliased `b`) whose content may go out at `now`.
pub(super) fn push_live_brief(q: &mut QueryBuilder<Db>, now: DateTime<Utc>) {
    q.push(format!(
        "b.status IN {LIVE_BRIEF_STATUSES} AND (b.expires_at IS NULL OR b.expires_at > "
    ))
    .push_bind(now)
    .push(") AND (b.embargo_at IS NULL OR b.embargo_at <= ")
    .push_bind(now)
    .push(")");
}

/// Inserts the edition, its briefs and its deliveries. The recipients are chosen by one
/// `INSERT ... SELECT` inside the database, so a million of them never pass through memory.
pub(super) async fn insert_edition(
    tx: &mut Tx,
    edition: &NewEdition,
    now: DateTime<Utc>,
) -> StoreResult<EditionCreated> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO editions (schedule_id, kind, status, due_at, created_at) VALUES ($1, $2, 'sending', $3, $4) RETURNING id",
    )
    .bind(edition.schedule.map(|s| s.0))
    .bind(edition.kind.as_str())
    .bind(edition.due_at)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    if !edition.briefs.is_empty() {
        let mut q =
            QueryBuilder::<Db>::new("INSERT INTO edition_briefs (edition_id, brief_id, position, is_correction) ");
        q.push_values(&edition.briefs, |mut b, brief| {
            b.push_bind(id)
                .push_bind(brief.brief.0)
                .push_bind(brief.position as i32)
                .push_bind(brief.is_correction);
        });
        q.build().execute(&mut **tx).await?;
    }

    let mut q = QueryBuilder::<Db>::new(
        "INSERT INTO deliveries (edition_id, influencer_id, language, status, attempts, next_attempt_at) SELECT ",
    );
    q.push_bind(id)
        .push(", id, language, 'queued', 0, ")
        .push_bind(now)
        .push(" FROM influencers WHERE 1 = 1");
    push_recipients(&mut q, &edition.recipients, &edition.briefs);
    let recipients = q.build().execute(&mut **tx).await?.rows_affected();
    D::refresh_statistics(tx).await?;
    Ok(EditionCreated {
        edition: EditionId(id),
        recipients,
    })
}

/// The condition on `influencers` that picks an edition's recipients, after a `WHERE`. One
/// text for making the edition and for counting it beforehand, so a confirmation's numbers are
/// the ones that get queued.
pub(super) fn push_recipients(q: &mut QueryBuilder<Db>, recipients: &Recipients, briefs: &[EditionBrief]) {
    match recipients {
        Recipients::Segment(filter) => push_segment_filter(q, filter),
        Recipients::Subscribers { segment, cadence } => {
            push_segment_filter(q, segment);
            q.push(" AND cadence = ").push_bind(cadence.as_str());
        }
        Recipients::ReceivedBrief(old) => {
            push_segment_filter(q, &SegmentFilter::default());
            // Sent, or uncertain (it may have arrived): either way the reader may hold the old text.
            q.push(
                " AND EXISTS (SELECT 1 FROM deliveries had JOIN edition_briefs eb ON eb.edition_id = had.edition_id \
                 WHERE had.influencer_id = influencers.id AND had.status IN ('sent', 'uncertain') AND eb.brief_id = ",
            )
            .push_bind(old.0)
            .push(")");
        }
        Recipients::AllNotYetCarrying => {
            push_segment_filter(q, &SegmentFilter::default());
            if !briefs.is_empty() {
                // A delivery that was cancelled or expired never reached the person, so it does
                // not count as having had the brief.
                q.push(
                    " AND NOT EXISTS (SELECT 1 FROM deliveries had JOIN edition_briefs eb ON eb.edition_id = had.edition_id \
                     WHERE had.influencer_id = influencers.id AND had.status NOT IN ('cancelled', 'expired') AND ",
                );
                D::push_id_in(q, "eb.brief_id", &briefs.iter().map(|b| b.brief.0).collect::<Vec<_>>());
                q.push(")");
            }
        }
    }
}

/// Approved briefs an edition carries are queued from now on (the lifecycle's approved → queued).
async fn queue_briefs(tx: &mut Tx, actor: &Actor, edition: &NewEdition, now: DateTime<Utc>) -> StoreResult<()> {
    if edition.briefs.is_empty() {
        return Ok(());
    }
    let mut q = QueryBuilder::<Db>::new("UPDATE briefs SET status = 'queued', updated_at = ");
    q.push_bind(now).push(" WHERE status = 'approved' AND ");
    D::push_id_in(
        &mut q,
        "id",
        &edition.briefs.iter().map(|b| b.brief.0).collect::<Vec<_>>(),
    );
    q.push(" RETURNING id");
    let queued: Vec<i64> = q.build_query_scalar().fetch_all(&mut **tx).await?;
    for id in queued {
        let detail = json!({ "from": "approved", "to": "queued" });
        audit(tx, actor, "brief.queued", &format!("brief:{id}"), detail, now).await?;
    }
    Ok(())
}

pub(super) async fn audit_edition(
    tx: &mut Tx,
    actor: &Actor,
    edition: &NewEdition,
    created: &EditionCreated,
    schedule: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    queue_briefs(tx, actor, edition, now).await?;
    let detail = json!({
        "kind": edition.kind,
        "schedule": schedule,
        "due_at": edition.due_at,
        "briefs": edition.briefs.iter().map(|b| b.brief).collect::<Vec<_>>(),
        "recipients": created.recipients,
    });
    audit(
        tx,
        actor,
        "edition.create",
        &format!("edition:{}", created.edition),
        detail,
        now,
    )
    .await
}
