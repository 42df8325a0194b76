//! Replies as they arrive, what they were matched to, and their retention.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{QueryBuilder, Row};

use super::common::{DbRow, audit, push_list, sql_count};
use super::questions::language_column;
use super::{D, Db, ThisStore};
use crate::access::Actor;
use crate::audience::EmailAddress;
use crate::ids::{BriefId, DeliveryId, EditionId, ReplyId};
use crate::inbound::ReplyClass;
use crate::inbound::imap::Cursor;
use crate::language::Language;
use crate::store::dialect::Dialect;
use crate::store::{
    DeliveryRef, NewReply, PendingReply, PurgeReport, ReplyOutcome, ReplyRecord, ReplyStore, StoreError, StoreResult,
};

#[async_trait]
impl ReplyStore for ThisStore {
    async fn store_reply(&self, reply: &NewReply<'_>) -> StoreResult<(ReplyId, bool)> {
        let inserted: Option<ReplyId> = sqlx::query_scalar(
            "INSERT INTO replies (received_at, channel, channel_ref, raw, message_id, from_address) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (channel, channel_ref) DO NOTHING RETURNING id",
        )
        .bind(reply.received_at)
        .bind(reply.channel)
        .bind(&reply.channel_ref)
        .bind(reply.raw)
        .bind(&reply.message_id)
        .bind(reply.from_address.as_ref().map(EmailAddress::as_str))
        .fetch_optional(&self.pool)
        .await?;
        if let Some(id) = inserted {
            return Ok((id, true));
        }
        let id: ReplyId = sqlx::query_scalar("SELECT id FROM replies WHERE channel = $1 AND channel_ref = $2")
            .bind(reply.channel)
            .bind(&reply.channel_ref)
            .fetch_one(&self.pool)
            .await?;
        Ok((id, false))
    }

    async fn store_imap_reply(
        &self,
        reply: &NewReply<'_>,
        mailbox: &str,
        cursor: Cursor,
    ) -> StoreResult<(ReplyId, bool)> {
        let hash = hex::encode(Sha256::digest(reply.raw));
        let mut tx = D::begin_write(&self.pool).await?;
        let mut stored: Option<(ReplyId, bool)> = None;
        let same_bytes: Option<ReplyId> = sqlx::query_scalar(
            "SELECT id FROM replies WHERE channel = 'imap' AND content_hash = $1 ORDER BY id LIMIT 1",
        )
        .bind(&hash)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = same_bytes {
            stored = Some((id, false));
        }
        if stored.is_none() {
            let inserted: Option<ReplyId> = sqlx::query_scalar(
                "INSERT INTO replies (received_at, channel, channel_ref, raw, message_id, from_address, content_hash) \
                 VALUES ($1, 'imap', $2, $3, $4, $5, $6) ON CONFLICT (channel, channel_ref) DO NOTHING RETURNING id",
            )
            .bind(reply.received_at)
            .bind(&reply.channel_ref)
            .bind(reply.raw)
            .bind(&reply.message_id)
            .bind(reply.from_address.as_ref().map(EmailAddress::as_str))
            .bind(&hash)
            .fetch_optional(&mut *tx)
            .await?;
            stored = Some(match inserted {
                Some(id) => (id, true),
                None => {
                    let id: ReplyId =
                        sqlx::query_scalar("SELECT id FROM replies WHERE channel = 'imap' AND channel_ref = $1")
                            .bind(&reply.channel_ref)
                            .fetch_one(&mut *tx)
                            .await?;
                    (id, false)
                }
            });
        }
        // Forward only: two daemons polling one mailbox may finish out of order.
        sqlx::query(
            "INSERT INTO imap_cursors (mailbox, uid_validity, last_uid, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (mailbox) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, \
             updated_at = excluded.updated_at \
             WHERE imap_cursors.uid_validity <> excluded.uid_validity OR imap_cursors.last_uid < excluded.last_uid",
        )
        .bind(mailbox)
        .bind(i64::from(cursor.uid_validity))
        .bind(i64::from(cursor.last_uid))
        .bind(reply.received_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(stored.expect("set on every path above"))
    }

    async fn imap_cursor(&self, mailbox: &str) -> StoreResult<Option<Cursor>> {
        let row = sqlx::query("SELECT uid_validity, last_uid FROM imap_cursors WHERE mailbox = $1")
            .bind(mailbox)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let validity: i64 = row.try_get("uid_validity")?;
            let last: i64 = row.try_get("last_uid")?;
            let corrupt = |_| StoreError::Corrupt(format!("imap_cursors: {validity}/{last} is not a UID pair"));
            Ok(Cursor {
                uid_validity: u32::try_from(validity).map_err(corrupt)?,
                last_uid: u32::try_from(last).map_err(corrupt)?,
            })
        })
        .transpose()
    }

    async fn delivery_ref(&self, delivery_id: DeliveryId) -> StoreResult<Option<DeliveryRef>> {
        let sql = format!("{DELIVERY_SELECT} WHERE d.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(delivery_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(delivery_from_row).transpose()
    }

    async fn delivery_by_message_id(&self, message_ids: &[String]) -> StoreResult<Option<DeliveryRef>> {
        if message_ids.is_empty() {
            return Ok(None);
        }
        let mut q = QueryBuilder::<Db>::new(format!("{DELIVERY_SELECT} WHERE d.message_id IN ("));
        push_list(&mut q, message_ids.iter().take(100).cloned());
        q.push(")");
        let rows = q.build().fetch_all(&self.pool).await?;
        // The keys come best first (In-Reply-To before References): keep that order.
        let mut found: Vec<(usize, DeliveryRef)> = Vec::new();
        for row in &rows {
            let message_id: Option<String> = row.try_get("message_id")?;
            let rank = message_ids
                .iter()
                .position(|id| Some(id) == message_id.as_ref())
                .unwrap_or(usize::MAX);
            found.push((rank, delivery_from_row(row)?));
        }
        found.sort_by_key(|(rank, _)| *rank);
        Ok(found.into_iter().next().map(|(_, delivery)| delivery))
    }

    async fn edition_briefs(&self, edition_id: EditionId) -> StoreResult<Vec<(BriefId, String)>> {
        let rows = sqlx::query(
            "SELECT b.id, b.document FROM edition_briefs eb JOIN briefs b ON b.id = eb.brief_id \
             WHERE eb.edition_id = $1 ORDER BY eb.position, b.id",
        )
        .bind(edition_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("id")?, row.try_get("document")?)))
            .collect()
    }

    async fn record_reply_outcome(
        &self,
        reply_id: ReplyId,
        outcome: &ReplyOutcome,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = D::begin_write(&self.pool).await?;
        // The guard on processed_at makes this the one place a reply is processed: a second
        // daemon, or a rerun after a crash, finds it done and changes nothing.
        let claimed = sqlx::query(
            "UPDATE replies SET kind = $1, delivery_id = $2, influencer_id = $3, subject = $4, note = $5, processed_at = $6 \
             WHERE id = $7 AND processed_at IS NULL",
        )
        .bind(outcome.class.as_str())
        .bind(outcome.delivery_id)
        .bind(outcome.influencer_id)
        .bind(&outcome.subject)
        .bind(&outcome.note)
        .bind(now)
        .bind(reply_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Ok(false);
        }
        if let Some(question) = &outcome.question {
            sqlx::query(
                "INSERT INTO questions (reply_id, influencer_id, edition_id, brief_id, language, text, text_folded, status, \
                 tags, may_name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'new', ';', FALSE, $8, $8)",
            )
            .bind(reply_id)
            .bind(question.influencer_id)
            .bind(question.edition_id)
            .bind(question.brief_id)
            .bind(question.language.map(Language::code))
            .bind(&question.text)
            .bind(question.text.to_lowercase())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for report in &outcome.post_reports {
            super::reach::insert_post_report(&mut tx, report, Some(reply_id.0), now).await?;
        }
        if let Some(note) = &outcome.delivery_note {
            sqlx::query("INSERT INTO delivery_events (delivery_id, status, at, detail) VALUES ($1, $2, $3, $4)")
                .bind(note.delivery_id)
                .bind(note.event)
                .bind(now)
                .bind(&note.detail)
                .execute(&mut *tx)
                .await?;
            if note.mark_bounced {
                sqlx::query("UPDATE deliveries SET status = 'bounced', last_response = $1 WHERE id = $2")
                    .bind(&note.detail)
                    .bind(note.delivery_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if let Some((email, reason)) = &outcome.suppress {
            // The first reason stands, as in `Store::suppress`: an erased address stays hash-only.
            let added = sqlx::query(
                "INSERT INTO suppressions (email_hash, email, reason, detail, created_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (email_hash) DO NOTHING",
            )
            .bind(email.hash())
            .bind(email.as_str())
            .bind(reason.as_str())
            .bind(format!("reply {reply_id}"))
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added > 0 {
                let detail = json!({ "reason": reason, "email_hash": email.hash(), "reply": reply_id });
                audit(
                    &mut tx,
                    &Actor("inbound".into()),
                    "suppression.add",
                    &format!("reply:{reply_id}"),
                    detail,
                    now,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn pending_replies(&self, limit: u64) -> StoreResult<Vec<PendingReply>> {
        let rows =
            sqlx::query("SELECT id, raw, received_at FROM replies WHERE processed_at IS NULL ORDER BY id LIMIT $1")
                .bind(sql_count(limit))
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|row| {
                Ok(PendingReply {
                    id: row.try_get("id")?,
                    raw: row.try_get("raw")?,
                    received_at: row.try_get("received_at")?,
                })
            })
            .collect()
    }

    async fn reply(&self, reply_id: ReplyId) -> StoreResult<Option<ReplyRecord>> {
        let row = sqlx::query(
            "SELECT r.id, r.received_at, r.channel, r.channel_ref, r.kind, r.delivery_id, r.influencer_id, r.from_address, \
             r.message_id, r.subject, r.note, r.processed_at, r.raw IS NOT NULL AS has_raw, \
             (SELECT q.id FROM questions q WHERE q.reply_id = r.id) AS question_id \
             FROM replies r WHERE r.id = $1",
        )
        .bind(reply_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let kind: Option<String> = row.try_get("kind")?;
        Ok(Some(ReplyRecord {
            id: row.try_get("id")?,
            received_at: row.try_get("received_at")?,
            channel: row.try_get("channel")?,
            channel_ref: row.try_get("channel_ref")?,
            kind: kind
                .map(|k| ReplyClass::parse(&k).ok_or_else(|| StoreError::Corrupt(format!("replies.kind: {k}"))))
                .transpose()?,
            delivery_id: row.try_get("delivery_id")?,
            influencer_id: row.try_get("influencer_id")?,
            from_address: row.try_get("from_address")?,
            message_id: row.try_get("message_id")?,
            subject: row.try_get("subject")?,
            note: row.try_get("note")?,
            processed_at: row.try_get("processed_at")?,
            has_raw: row.try_get("has_raw")?,
            question_id: row.try_get("question_id")?,
        }))
    }

    async fn reply_raw(&self, reply_id: ReplyId) -> StoreResult<Option<Vec<u8>>> {
        let raw: Option<Option<Vec<u8>>> = sqlx::query_scalar("SELECT raw FROM replies WHERE id = $1")
            .bind(reply_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(raw.flatten())
    }

    async fn purge_replies(&self, older_than: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<PurgeReport> {
        let mut tx = D::begin_write(&self.pool).await?;
        // Only processed replies: an unprocessed one still needs its raw message to become a
        // question at all.
        let anonymised = sqlx::query(
            "UPDATE questions SET influencer_id = NULL, may_name = FALSE, updated_at = $1 \
             WHERE (influencer_id IS NOT NULL OR may_name) AND reply_id IN \
             (SELECT id FROM replies WHERE received_at < $2 AND processed_at IS NOT NULL)",
        )
        .bind(now)
        .bind(older_than)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let deleted = sqlx::query(
            "UPDATE replies SET raw = NULL, from_address = NULL, influencer_id = NULL \
             WHERE received_at < $1 AND processed_at IS NOT NULL \
             AND (raw IS NOT NULL OR from_address IS NOT NULL OR influencer_id IS NOT NULL)",
        )
        .bind(older_than)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Post reports keep their counts and the followers they had; only the person goes.
        let posts = sqlx::query(
            "UPDATE post_reports SET influencer_id = NULL, reply_id = NULL \
             WHERE reported_at < $1 AND influencer_id IS NOT NULL",
        )
        .bind(older_than)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let report = PurgeReport {
            raw_deleted: deleted,
            questions_anonymised: anonymised,
            posts_anonymised: posts,
        };
        if deleted > 0 || anonymised > 0 || posts > 0 {
            let detail = json!({ "older_than": older_than, "raw_deleted": deleted, "questions_anonymised": anonymised,
                                 "posts_anonymised": posts });
            audit(
                &mut tx,
                &Actor("retention".into()),
                "replies.purge",
                "replies",
                detail,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(report)
    }
}

pub(super) const DELIVERY_SELECT: &str = "SELECT d.id, d.edition_id, d.influencer_id, d.language, d.message_id, i.email \
     FROM deliveries d LEFT JOIN influencers i ON i.id = d.influencer_id";

pub(super) fn delivery_from_row(row: &DbRow) -> StoreResult<DeliveryRef> {
    let email: Option<String> = row.try_get("email")?;
    Ok(DeliveryRef {
        id: row.try_get("id")?,
        edition_id: row.try_get("edition_id")?,
        influencer_id: row.try_get("influencer_id")?,
        email: email.and_then(|e| EmailAddress::parse(&e).ok()),
        language: language_column(row, "language")?,
    })
}
