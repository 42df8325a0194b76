// Inbound replies and the question log in SQL, shared by both backends (see `sql/common.rs`).

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{QueryBuilder, Row};

use crate::access::Actor;
use crate::audience::EmailAddress;
use crate::inbound::imap::Cursor;
use crate::language::Language;
use crate::questions::{QuestionStatus, Tag, Transition};
use crate::store::{
    Assignment, BriefGroup, DeliveryRef, InboundStore, NewReply, PendingReply, PurgeReport, QuestionQuery,
    QuestionRecord, ReplyClass, ReplyOutcome, ReplyRecord, StoreError, StoreResult, YouAsked, list_column,
    list_from_column,
};

const QUESTION_SELECT: &str = "SELECT q.id, q.reply_id, r.received_at, q.influencer_id, i.email AS influencer_email, \
     i.name AS influencer_name, q.edition_id, q.brief_id, b.slug AS brief_slug, q.language, q.text, q.status, \
     q.authority, q.answer, q.answer_url, q.answered_at, q.tags, q.may_name, q.published_edition_id, \
     q.created_at, q.updated_at \
     FROM questions q JOIN replies r ON r.id = q.reply_id \
     LEFT JOIN influencers i ON i.id = q.influencer_id LEFT JOIN briefs b ON b.id = q.brief_id";

/// The same rows as `QUESTION_SELECT`, ids only: a page is chosen from these narrow rows, and
/// only its own questions are read whole, so a sort never drags long texts along.
const QUESTION_IDS: &str = "SELECT q.id FROM questions q JOIN replies r ON r.id = q.reply_id \
     LEFT JOIN influencers i ON i.id = q.influencer_id LEFT JOIN briefs b ON b.id = q.brief_id";

const DELIVERY_SELECT: &str = "SELECT d.id, d.edition_id, d.influencer_id, d.language, d.message_id, i.email \
     FROM deliveries d LEFT JOIN influencers i ON i.id = d.influencer_id";

#[async_trait]
impl InboundStore for ThisStore {
    async fn store_imap_reply(&self, reply: &NewReply<'_>, mailbox: &str, cursor: Cursor) -> StoreResult<(i64, bool)> {
        let hash = hex::encode(Sha256::digest(reply.raw));
        let mut tx = begin_write(&self.pool).await?;
        let mut stored: Option<(i64, bool)> = None;
        let same_bytes: Option<i64> =
            sqlx::query_scalar("SELECT id FROM replies WHERE channel = 'imap' AND content_hash = $1 ORDER BY id LIMIT 1")
                .bind(&hash)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(id) = same_bytes {
            stored = Some((id, false));
        }
        if stored.is_none() {
            let inserted: Option<i64> = sqlx::query_scalar(
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
                    let id: i64 = sqlx::query_scalar("SELECT id FROM replies WHERE channel = 'imap' AND channel_ref = $1")
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

    async fn delivery_ref(&self, delivery_id: i64) -> StoreResult<Option<DeliveryRef>> {
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

    async fn edition_briefs(&self, edition_id: i64) -> StoreResult<Vec<(i64, String)>> {
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

    async fn record_reply_outcome(&self, reply_id: i64, outcome: &ReplyOutcome, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = begin_write(&self.pool).await?;
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
                audit(&mut tx, &Actor("inbound".into()), "suppression.add", &format!("reply:{reply_id}"), detail, now).await?;
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn pending_replies(&self, limit: u64) -> StoreResult<Vec<PendingReply>> {
        let rows = sqlx::query("SELECT id, raw, received_at FROM replies WHERE processed_at IS NULL ORDER BY id LIMIT $1")
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

    async fn reply(&self, reply_id: i64) -> StoreResult<Option<ReplyRecord>> {
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

    async fn reply_raw(&self, reply_id: i64) -> StoreResult<Option<Vec<u8>>> {
        let raw: Option<Option<Vec<u8>>> = sqlx::query_scalar("SELECT raw FROM replies WHERE id = $1")
            .bind(reply_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(raw.flatten())
    }

    async fn questions(&self, query: &QuestionQuery) -> StoreResult<Vec<QuestionRecord>> {
        let mut q = QueryBuilder::<Db>::new(QUESTION_IDS);
        push_question_filter(&mut q, query);
        q.push(" ORDER BY r.received_at DESC, q.id DESC");
        if let Some(limit) = query.limit {
            q.push(" LIMIT ").push_bind(sql_count(limit)).push(" OFFSET ").push_bind(sql_count(query.offset));
        }
        let ids: Vec<i64> = q.build_query_scalar().fetch_all(&self.pool).await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut whole = QueryBuilder::<Db>::new(QUESTION_SELECT);
        whole.push(" WHERE ");
        push_id_in(&mut whole, "q.id", &ids);
        let rows = whole.build().fetch_all(&self.pool).await?;
        let mut by_id: HashMap<i64, QuestionRecord> = HashMap::with_capacity(rows.len());
        for row in &rows {
            let record = question_from_row(row)?;
            by_id.insert(record.id, record);
        }
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    async fn question(&self, id: i64) -> StoreResult<Option<QuestionRecord>> {
        let sql = format!("{QUESTION_SELECT} WHERE q.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(question_from_row).transpose()
    }

    async fn question_groups(&self, query: &QuestionQuery) -> StoreResult<Vec<BriefGroup>> {
        let mut q = QueryBuilder::<Db>::new(
            "SELECT q.brief_id, MAX(b.slug) AS brief_slug, COUNT(*) AS total, \
             SUM(CASE WHEN q.status IN ('new', 'triaged', 'forwarded') THEN 1 ELSE 0 END) AS open, \
             SUM(CASE WHEN q.status = 'answered' THEN 1 ELSE 0 END) AS answered, \
             SUM(CASE WHEN q.status = 'dismissed' THEN 1 ELSE 0 END) AS dismissed \
             FROM questions q JOIN replies r ON r.id = q.reply_id LEFT JOIN briefs b ON b.id = q.brief_id",
        );
        push_question_filter(&mut q, query);
        q.push(" GROUP BY q.brief_id ORDER BY COUNT(*) DESC, q.brief_id");
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let count = |name: &str| -> StoreResult<u64> { Ok(row.try_get::<Option<i64>, _>(name)?.unwrap_or(0).max(0) as u64) };
                Ok(BriefGroup {
                    brief_id: row.try_get("brief_id")?,
                    brief_slug: row.try_get("brief_slug")?,
                    total: count("total")?,
                    open: count("open")?,
                    answered: count("answered")?,
                    dismissed: count("dismissed")?,
                })
            })
            .collect()
    }

    async fn transition_question(&self, id: i64, transition: &Transition, actor: &Actor, now: DateTime<Utc>) -> StoreResult<QuestionRecord> {
        let mut tx = begin_write(&self.pool).await?;
        let from = current_status(&mut tx, id).await?;
        let to = transition
            .check(from)
            .map_err(|e| StoreError::Conflict { field: e.field(), message: e.to_string() })?;
        let mut q = QueryBuilder::<Db>::new("UPDATE questions SET status = ");
        q.push_bind(to.as_str()).push(", updated_at = ").push_bind(now);
        match transition {
            Transition::Triage | Transition::Dismiss { .. } => {}
            Transition::Forward { authority } => {
                q.push(", authority = ").push_bind(authority.clone());
            }
            Transition::Answer { text, url } => {
                q.push(", answer = ").push_bind(text.clone());
                q.push(", answer_url = ").push_bind(url.clone());
                q.push(", answered_at = ").push_bind(now);
            }
        }
        // The status read above is checked again here, so two coordinators acting at once
        // cannot both move the same question (PostgreSQL does not lock the row on read).
        q.push(" WHERE id = ").push_bind(id).push(" AND status = ").push_bind(from.as_str());
        if q.build().execute(&mut *tx).await?.rows_affected() == 0 {
            return Err(StoreError::Conflict { field: "status", message: format!("question {id} changed meanwhile; reload it and try again") });
        }
        let mut detail = serde_json::to_value(transition).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        detail["from"] = json!(from);
        detail["to"] = json!(to);
        audit(&mut tx, actor, transition.action(), &format!("question:{id}"), detail, now).await?;
        tx.commit().await?;
        self.question(id).await?.ok_or_else(|| not_found(id))
    }

    async fn tag_question(&self, id: i64, add: &[Tag], remove: &[Tag], actor: &Actor, now: DateTime<Utc>) -> StoreResult<QuestionRecord> {
        let mut tx = begin_write(&self.pool).await?;
        let tags: Option<String> = sqlx::query_scalar("SELECT tags FROM questions WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let tags = tags.ok_or_else(|| not_found(id))?;
        let mut list = list_from_column(&tags);
        list.retain(|t| !remove.iter().any(|r| r.as_str() == t));
        for tag in add {
            if !list.iter().any(|t| t == tag.as_str()) {
                list.push(tag.to_string());
            }
        }
        list.sort();
        sqlx::query("UPDATE questions SET tags = $1, updated_at = $2 WHERE id = $3")
            .bind(list_column(&list))
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, actor, "question.tag", &format!("question:{id}"), json!({ "add": add, "remove": remove }), now).await?;
        tx.commit().await?;
        self.question(id).await?.ok_or_else(|| not_found(id))
    }

    async fn set_may_name(&self, id: i64, may_name: bool, actor: &Actor, now: DateTime<Utc>) -> StoreResult<QuestionRecord> {
        let mut tx = begin_write(&self.pool).await?;
        let influencer: Option<Option<i64>> = sqlx::query_scalar("SELECT influencer_id FROM questions WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let influencer = influencer.ok_or_else(|| not_found(id))?;
        if may_name && influencer.is_none() {
            return Err(StoreError::Conflict {
                field: "may_name",
                message: format!("question {id} is linked to no influencer (unmatched, erased or past retention), so there is nobody to name"),
            });
        }
        sqlx::query("UPDATE questions SET may_name = $1, updated_at = $2 WHERE id = $3")
            .bind(may_name)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, actor, "question.consent", &format!("question:{id}"), json!({ "may_name": may_name }), now).await?;
        tx.commit().await?;
        self.question(id).await?.ok_or_else(|| not_found(id))
    }

    async fn assign_question(&self, id: i64, assignment: &Assignment, actor: &Actor, now: DateTime<Utc>) -> StoreResult<QuestionRecord> {
        let mut tx = begin_write(&self.pool).await?;
        let reply_id: Option<i64> = sqlx::query_scalar("SELECT reply_id FROM questions WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let reply_id = reply_id.ok_or_else(|| not_found(id))?;
        let mut q = QueryBuilder::<Db>::new("UPDATE questions SET updated_at = ");
        q.push_bind(now);
        let mut detail = json!({});
        if let Some(email) = &assignment.influencer {
            let influencer: Option<i64> = sqlx::query_scalar("SELECT id FROM influencers WHERE email = $1")
                .bind(email.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            let influencer = influencer.ok_or_else(|| StoreError::NotFound { what: format!("influencer {email}") })?;
            q.push(", influencer_id = ").push_bind(influencer);
            sqlx::query("UPDATE replies SET influencer_id = $1, kind = 'question' WHERE id = $2")
                .bind(influencer)
                .bind(reply_id)
                .execute(&mut *tx)
                .await?;
            detail["influencer"] = json!(influencer);
        }
        if let Some(edition) = assignment.edition_id {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM editions WHERE id = $1")
                .bind(edition)
                .fetch_optional(&mut *tx)
                .await?;
            exists.ok_or_else(|| StoreError::NotFound { what: format!("edition {edition}") })?;
            q.push(", edition_id = ").push_bind(edition);
            detail["edition"] = json!(edition);
        }
        if let Some(brief) = assignment.brief_id {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM briefs WHERE id = $1")
                .bind(brief)
                .fetch_optional(&mut *tx)
                .await?;
            exists.ok_or_else(|| StoreError::NotFound { what: format!("brief {brief}") })?;
            q.push(", brief_id = ").push_bind(brief);
            detail["brief"] = json!(brief);
        }
        q.push(" WHERE id = ").push_bind(id);
        q.build().execute(&mut *tx).await?;
        audit(&mut tx, actor, "question.assign", &format!("question:{id}"), detail, now).await?;
        tx.commit().await?;
        self.question(id).await?.ok_or_else(|| not_found(id))
    }

    async fn answers_for_edition(&self, edition_id: i64, language: Language, now: DateTime<Utc>) -> StoreResult<Vec<YouAsked>> {
        let mut tx = begin_write(&self.pool).await?;
        sqlx::query(
            "UPDATE questions SET published_edition_id = $1, published_at = $2 \
             WHERE status = 'answered' AND published_edition_id IS NULL AND language = $3 \
             AND answered_at <= (SELECT created_at FROM editions WHERE id = $1)",
        )
        .bind(edition_id)
        .bind(now)
        .bind(language.code())
        .execute(&mut *tx)
        .await?;
        let sql = format!("{YOU_ASKED_SELECT} WHERE q.published_edition_id = $1 AND q.language = $2 ORDER BY q.answered_at, q.id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(edition_id)
        .bind(language.code())
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter().map(you_asked_from_row).collect()
    }

    async fn answered_unpublished(&self, language: Option<Language>) -> StoreResult<Vec<YouAsked>> {
        let mut q = QueryBuilder::<Db>::new(format!(
            "{YOU_ASKED_SELECT} WHERE q.status = 'answered' AND q.published_edition_id IS NULL"
        ));
        if let Some(language) = language {
            q.push(" AND q.language = ").push_bind(language.code());
        }
        q.push(" ORDER BY q.answered_at, q.id");
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter().map(you_asked_from_row).collect()
    }

    async fn mark_answers_published(&self, question_ids: &[i64], edition_id: i64, now: DateTime<Utc>) -> StoreResult<u64> {
        if question_ids.is_empty() {
            return Ok(0);
        }
        let mut tx = begin_write(&self.pool).await?;
        let mut q = QueryBuilder::<Db>::new("UPDATE questions SET published_edition_id = ");
        q.push_bind(edition_id).push(", published_at = ").push_bind(now);
        q.push(" WHERE status = 'answered' AND published_edition_id IS NULL AND ");
        push_id_in(&mut q, "id", question_ids);
        let marked = q.build().execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        Ok(marked)
    }

    async fn purge_replies(&self, older_than: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<PurgeReport> {
        let mut tx = begin_write(&self.pool).await?;
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
        let report = PurgeReport { raw_deleted: deleted, questions_anonymised: anonymised };
        if deleted > 0 || anonymised > 0 {
            let detail = json!({ "older_than": older_than, "raw_deleted": deleted, "questions_anonymised": anonymised });
            audit(&mut tx, &Actor("retention".into()), "replies.purge", "replies", detail, now).await?;
        }
        tx.commit().await?;
        Ok(report)
    }
}

fn not_found(id: i64) -> StoreError {
    StoreError::NotFound { what: format!("question {id}") }
}

async fn current_status(tx: &mut Tx, id: i64) -> StoreResult<QuestionStatus> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM questions WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let status = status.ok_or_else(|| not_found(id))?;
    status.parse().map_err(|e: crate::questions::UnknownStatus| StoreError::Corrupt(e.to_string()))
}

fn push_question_filter(q: &mut QueryBuilder<Db>, query: &QuestionQuery) {
    q.push(" WHERE 1 = 1");
    if let Some(status) = query.status {
        q.push(" AND q.status = ").push_bind(status.as_str());
    }
    if let Some(brief) = query.brief_id {
        q.push(" AND q.brief_id = ").push_bind(brief);
    }
    if let Some(edition) = query.edition_id {
        q.push(" AND q.edition_id = ").push_bind(edition);
    }
    if let Some(language) = query.language {
        q.push(" AND q.language = ").push_bind(language.code());
    }
    if let Some(tag) = &query.tag {
        q.push(" AND q.tags LIKE ").push_bind(format!("%;{tag};%"));
    }
    if let Some(search) = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // `%` and `_` typed by a coordinator are literal characters, not wildcards.
        let escaped = search.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        q.push(" AND q.text_folded LIKE ").push_bind(format!("%{escaped}%")).push(" ESCAPE '\\'");
    }
    if query.unmatched {
        q.push(" AND q.influencer_id IS NULL AND q.edition_id IS NULL");
    }
}

fn language_column(row: &DbRow, name: &str) -> StoreResult<Option<Language>> {
    let code: Option<String> = row.try_get(name)?;
    code.map(|c| c.parse().map_err(|_| StoreError::Corrupt(format!("{name}: `{c}` is not a language"))))
        .transpose()
}

fn delivery_from_row(row: &DbRow) -> StoreResult<DeliveryRef> {
    let email: Option<String> = row.try_get("email")?;
    Ok(DeliveryRef {
        id: row.try_get("id")?,
        edition_id: row.try_get("edition_id")?,
        influencer_id: row.try_get("influencer_id")?,
        email: email.and_then(|e| EmailAddress::parse(&e).ok()),
        language: language_column(row, "language")?,
    })
}

fn question_from_row(row: &DbRow) -> StoreResult<QuestionRecord> {
    let status: String = row.try_get("status")?;
    let tags: String = row.try_get("tags")?;
    Ok(QuestionRecord {
        id: row.try_get("id")?,
        reply_id: row.try_get("reply_id")?,
        received_at: row.try_get("received_at")?,
        influencer_id: row.try_get("influencer_id")?,
        influencer_email: row.try_get("influencer_email")?,
        influencer_name: row.try_get("influencer_name")?,
        edition_id: row.try_get("edition_id")?,
        brief_id: row.try_get("brief_id")?,
        brief_slug: row.try_get("brief_slug")?,
        language: language_column(row, "language")?,
        text: row.try_get("text")?,
        status: status.parse().map_err(|e: crate::questions::UnknownStatus| StoreError::Corrupt(e.to_string()))?,
        authority: row.try_get("authority")?,
        answer: row.try_get("answer")?,
        answer_url: row.try_get("answer_url")?,
        answered_at: row.try_get("answered_at")?,
        tags: list_from_column(&tags).iter().filter_map(|t| Tag::parse(t).ok()).collect(),
        may_name: row.try_get("may_name")?,
        published_edition_id: row.try_get("published_edition_id")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// An answered question as an edition's "you asked" section shows it.
const YOU_ASKED_SELECT: &str = "SELECT q.id, q.language, q.brief_id, q.text, q.answer, q.answer_url, q.may_name, i.name \
     FROM questions q LEFT JOIN influencers i ON i.id = q.influencer_id";

fn you_asked_from_row(row: &DbRow) -> StoreResult<YouAsked> {
    let may_name: bool = row.try_get("may_name")?;
    let name: Option<String> = row.try_get("name")?;
    Ok(YouAsked {
        question_id: row.try_get("id")?,
        language: language_column(row, "language")?,
        brief_id: row.try_get("brief_id")?,
        question: row.try_get("text")?,
        answer: row.try_get("answer")?,
        answer_url: row.try_get("answer_url")?,
        asked_by: name.filter(|_| may_name),
    })
}
