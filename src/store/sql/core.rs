// The roster, tokens and audit log in SQL, shared by both backends (see `sql/common.rs`).

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{QueryBuilder, Row};

use crate::access::{Actor, Role};
use crate::audience::roster::{RejectedRow, RosterPart, RosterRow};
use crate::language::{Cadence, Language};
use crate::audience::{EmailAddress, ImportReport, Influencer, Segment, SegmentFilter, StoredInfluencer};
use crate::store::{
    AuditEntry, InfluencerQuery, NewReply, PersonalData, SegmentSummary, Store, StoreError, StoreResult,
    SuppressionReason, TokenRecord, TokenSummary, list_column, list_from_column,
};

const INFLUENCER_COLUMNS: &str = "id, email, name, language, platforms, followers, topics, region, tier, \
     cadence, consent_at, consent_source, created_at, updated_at";

#[async_trait]
impl Store for ThisStore {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    async fn migrate(&self) -> StoreResult<()> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    async fn ping(&self) -> StoreResult<()> {
        // A table, not `SELECT 1`: SQLite answers that without reading the file at all.
        sqlx::query("SELECT MAX(version) FROM _sqlx_migrations").execute(&self.pool).await?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    async fn create_token(&self, token_hash: &str, role: Role, label: &str, actor: &Actor, now: DateTime<Utc>) -> StoreResult<i64> {
        let mut tx = begin_write(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (token_hash, role, label, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(token_hash)
        .bind(role.as_str())
        .bind(label)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        audit(&mut tx, actor, "token.create", &format!("token:{id}"), json!({ "role": role, "label": label }), now).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn find_token(&self, token_hash: &str) -> StoreResult<Option<TokenRecord>> {
        let row = sqlx::query(
            "SELECT id, role, label, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let role: String = row.try_get("role")?;
            Ok(TokenRecord {
                id: row.try_get("id")?,
                role: role.parse().map_err(StoreError::Corrupt)?,
                label: row.try_get("label")?,
                last_used_at: row.try_get("last_used_at")?,
            })
        })
        .transpose()
    }

    async fn touch_token(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn tokens(&self) -> StoreResult<Vec<TokenSummary>> {
        let rows = sqlx::query(
            "SELECT id, label, role, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(token_summary).collect()
    }

    async fn revoke_token(&self, id: i64, actor: &Actor, now: DateTime<Utc>) -> StoreResult<TokenSummary> {
        let mut tx = begin_write(&self.pool).await?;
        let revoked = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let row = sqlx::query(
            "SELECT id, label, role, created_at, last_used_at, revoked_at FROM api_tokens WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("token {id}") })?;
        let summary = token_summary(&row)?;
        if revoked > 0 {
            let detail = json!({ "label": summary.label, "role": summary.role });
            audit(&mut tx, actor, "token.revoke", &format!("token:{id}"), detail, now).await?;
        }
        tx.commit().await?;
        Ok(summary)
    }

    async fn import_roster(
        &self,
        parts: &mut tokio::sync::mpsc::Receiver<RosterPart>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<ImportReport>> {
        let mut tx = begin_write(&self.pool).await?;
        lock_roster(&mut tx).await?;
        let mut report = ImportReport::default();
        loop {
            match parts.recv().await {
                // Dropping the transaction rolls back what the earlier parts wrote.
                None => return Ok(None),
                Some(RosterPart::Rows(rows)) => import_rows(&mut tx, &rows, &mut report, now).await?,
                Some(RosterPart::Done(rejected)) => {
                    report.rejected.extend(rejected);
                    break;
                }
            }
        }
        report.rejected.sort_by_key(|r| r.line);
        let detail = json!({
            "new": report.new, "updated": report.updated, "unchanged": report.unchanged,
            "rejected": report.rejected.iter().map(|r| json!({ "line": r.line, "reason": r.reason })).collect::<Vec<_>>(),
        });
        audit(&mut tx, actor, "roster.import", "influencers", detail, now).await?;
        tx.commit().await?;
        Ok(Some(report))
    }

    async fn list_influencers(&self, query: &InfluencerQuery) -> StoreResult<Vec<StoredInfluencer>> {
        let mut q = QueryBuilder::<Db>::new(format!("SELECT {INFLUENCER_COLUMNS} FROM influencers WHERE 1 = 1"));
        if let Some(language) = query.language {
            q.push(" AND language = ").push_bind(language.code());
        }
        if let Some(cadence) = query.cadence {
            q.push(" AND cadence = ").push_bind(cadence.as_str());
        }
        if let Some(filter) = &query.segment {
            push_segment_filter(&mut q, filter);
        }
        q.push(" ORDER BY email");
        if let Some(limit) = query.limit {
            q.push(" LIMIT ").push_bind(sql_count(limit)).push(" OFFSET ").push_bind(sql_count(query.offset));
        }
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter().map(influencer_from_row).collect()
    }

    async fn influencer(&self, email: &EmailAddress) -> StoreResult<Option<StoredInfluencer>> {
        let sql = format!("SELECT {INFLUENCER_COLUMNS} FROM influencers WHERE email = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(email.as_str()).fetch_optional(&self.pool).await?;
        row.as_ref().map(influencer_from_row).transpose()
    }

    async fn personal_data(&self, email: &EmailAddress) -> StoreResult<Option<PersonalData>> {
        let Some(influencer) = self.influencer(email).await? else {
            return Ok(None);
        };
        let deliveries = sqlx::query(
            "SELECT id, edition_id, language, status, message_id, sent_at FROM deliveries WHERE influencer_id = $1 ORDER BY id",
        )
        .bind(influencer.id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| -> StoreResult<_> {
            Ok(json!({
                "id": r.try_get::<i64, _>("id")?,
                "edition": r.try_get::<i64, _>("edition_id")?,
                "language": r.try_get::<String, _>("language")?,
                "status": r.try_get::<String, _>("status")?,
                "message_id": r.try_get::<Option<String>, _>("message_id")?,
                "sent_at": r.try_get::<Option<DateTime<Utc>>, _>("sent_at")?,
            }))
        })
        .collect::<StoreResult<Vec<_>>>()?;
        let replies = sqlx::query(
            "SELECT id, received_at, channel, kind, message_id, raw FROM replies WHERE influencer_id = $1 OR from_address = $2 ORDER BY id",
        )
        .bind(influencer.id)
        .bind(email.as_str())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| -> StoreResult<_> {
            let raw: Option<Vec<u8>> = r.try_get("raw")?;
            Ok(json!({
                "id": r.try_get::<i64, _>("id")?,
                "received_at": r.try_get::<DateTime<Utc>, _>("received_at")?,
                "channel": r.try_get::<String, _>("channel")?,
                "kind": r.try_get::<Option<String>, _>("kind")?,
                "message_id": r.try_get::<Option<String>, _>("message_id")?,
                "raw": raw.map(|b| String::from_utf8_lossy(&b).into_owned()),
            }))
        })
        .collect::<StoreResult<Vec<_>>>()?;
        let questions = sqlx::query(
            "SELECT id, text, status, answer, created_at FROM questions WHERE influencer_id = $1 ORDER BY id",
        )
        .bind(influencer.id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| -> StoreResult<_> {
            Ok(json!({
                "id": r.try_get::<i64, _>("id")?,
                "text": r.try_get::<String, _>("text")?,
                "status": r.try_get::<String, _>("status")?,
                "answer": r.try_get::<Option<String>, _>("answer")?,
                "created_at": r.try_get::<DateTime<Utc>, _>("created_at")?,
            }))
        })
        .collect::<StoreResult<Vec<_>>>()?;
        Ok(Some(PersonalData { influencer, deliveries, replies, questions }))
    }

    async fn erase_influencer(&self, email: &EmailAddress, actor: &Actor, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = begin_write(&self.pool).await?;
        lock_roster(&mut tx).await?;
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM influencers WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        let Some(id) = id else {
            return Ok(false);
        };
        // The raw message and the sender go; the cleaned question text stays for the authorities,
        // no longer linked to anyone.
        sqlx::query("UPDATE replies SET raw = NULL, from_address = NULL, influencer_id = NULL WHERE influencer_id = $1 OR from_address = $2")
            .bind(id)
            .bind(email.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE questions SET influencer_id = NULL, may_name = FALSE WHERE influencer_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE deliveries SET influencer_id = NULL WHERE influencer_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM influencers WHERE id = $1").bind(id).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO suppressions (email_hash, email, reason, detail, created_at) VALUES ($1, NULL, 'erased', '', $2) \
             ON CONFLICT (email_hash) DO UPDATE SET email = NULL, reason = 'erased'",
        )
        .bind(email.hash())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit(&mut tx, actor, "influencer.erase", &format!("influencer:{id}"), json!({ "email_hash": email.hash() }), now).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn subscriber(&self, delivery_id: i64) -> StoreResult<Option<StoredInfluencer>> {
        let sql = format!(
            "SELECT {INFLUENCER_COLUMNS} FROM influencers WHERE id = (SELECT influencer_id FROM deliveries WHERE id = $1)"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(delivery_id).fetch_optional(&self.pool).await?;
        row.as_ref().map(influencer_from_row).transpose()
    }

    async fn set_preferences(
        &self,
        email: &EmailAddress,
        language: Language,
        cadence: Cadence,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = begin_write(&self.pool).await?;
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE influencers SET language = $1, cadence = $2, updated_at = $3 WHERE email = $4 RETURNING id",
        )
        .bind(language.code())
        .bind(cadence.as_str())
        .bind(now)
        .bind(email.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let id = id.ok_or_else(|| StoreError::NotFound { what: format!("influencer {email}") })?;
        let detail = json!({ "language": language, "cadence": cadence });
        audit(&mut tx, actor, "influencer.preferences", &format!("influencer:{id}"), detail, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn store_reply(&self, reply: &NewReply<'_>) -> StoreResult<(i64, bool)> {
        let inserted: Option<i64> = sqlx::query_scalar(
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
        let id: i64 = sqlx::query_scalar("SELECT id FROM replies WHERE channel = $1 AND channel_ref = $2")
            .bind(reply.channel)
            .bind(&reply.channel_ref)
            .fetch_one(&self.pool)
            .await?;
        Ok((id, false))
    }

    async fn suppress(&self, email: &EmailAddress, reason: SuppressionReason, detail: &str, now: DateTime<Utc>) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await?;
        insert_suppression(&mut conn, email, reason, detail, now).await
    }

    async fn unsubscribe(&self, email: &EmailAddress, how: &str, actor: &Actor, now: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = begin_write(&self.pool).await?;
        insert_suppression(&mut tx, email, SuppressionReason::Unsubscribed, how, now).await?;
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM influencers WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        let subject = id.map_or_else(|| "influencer:unknown".to_string(), |id| format!("influencer:{id}"));
        audit(&mut tx, actor, "influencer.unsubscribe", &subject, json!({ "how": how }), now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn suppression(&self, email: &EmailAddress) -> StoreResult<Option<SuppressionReason>> {
        let reason: Option<String> = sqlx::query_scalar("SELECT reason FROM suppressions WHERE email_hash = $1")
            .bind(email.hash())
            .fetch_optional(&self.pool)
            .await?;
        Ok(reason.map(|r| match r.as_str() {
            "erased" => SuppressionReason::Erased,
            "unsubscribed" => SuppressionReason::Unsubscribed,
            "bounced" => SuppressionReason::Bounced,
            "complained" => SuppressionReason::Complained,
            _ => SuppressionReason::Manual,
        }))
    }

    async fn add_segment(&self, segment: &Segment, actor: &Actor, now: DateTime<Utc>) -> StoreResult<()> {
        let filter = serde_json::to_string(&segment.filter).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = begin_write(&self.pool).await?;
        let inserted = sqlx::query("INSERT INTO segments (name, filter, created_by, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&segment.name)
            .bind(&filter)
            .bind(&actor.0)
            .bind(now)
            .execute(&mut *tx)
            .await;
        if let Err(sqlx::Error::Database(e)) = &inserted
            && e.is_unique_violation()
        {
            return Err(StoreError::Conflict { field: "name", message: format!("a segment named `{}` already exists", segment.name) });
        }
        inserted?;
        audit(&mut tx, actor, "segment.add", &format!("segment:{}", segment.name), json!(segment.filter), now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn segments(&self) -> StoreResult<Vec<SegmentSummary>> {
        let rows = sqlx::query("SELECT name, filter, created_by, created_at FROM segments ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(self.summarise_segment(row).await?);
        }
        Ok(out)
    }

    async fn segment(&self, name: &str) -> StoreResult<Option<SegmentSummary>> {
        let row = sqlx::query("SELECT name, filter, created_by, created_at FROM segments WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => Ok(Some(self.summarise_segment(&row).await?)),
            None => Ok(None),
        }
    }

    async fn count_members(&self, filter: &SegmentFilter) -> StoreResult<u64> {
        let mut q = QueryBuilder::<Db>::new("SELECT COUNT(*) FROM influencers WHERE 1 = 1");
        push_segment_filter(&mut q, filter);
        let count: i64 = q.build().fetch_one(&self.pool).await?.try_get(0)?;
        Ok(count as u64)
    }

    async fn audit_log(&self, limit: u64) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query("SELECT id, at, actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT $1")
            .bind(sql_count(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let detail: String = r.try_get("detail")?;
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    subject: r.try_get("subject")?,
                    detail: serde_json::from_str(&detail).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                })
            })
            .collect()
    }
}

impl ThisStore {
    async fn summarise_segment(&self, row: &DbRow) -> StoreResult<SegmentSummary> {
        let filter: String = row.try_get("filter")?;
        let filter: SegmentFilter = serde_json::from_str(&filter).map_err(|e| StoreError::Corrupt(format!("segment filter: {e}")))?;
        let members = self.count_members(&filter).await?;
        Ok(SegmentSummary {
            segment: Segment { name: row.try_get("name")?, filter },
            members,
            created_at: row.try_get("created_at")?,
            created_by: row.try_get("created_by")?,
        })
    }
}

/// Stores one part of a roster inside the import's transaction, counting what it changed.
async fn import_rows(tx: &mut Tx, rows: &[RosterRow], report: &mut ImportReport, now: DateTime<Utc>) -> StoreResult<()> {
    let mut existing: HashMap<String, Influencer> = HashMap::new();
    for chunk in rows.chunks(BATCH) {
        let mut q = QueryBuilder::<Db>::new(format!("SELECT {INFLUENCER_COLUMNS} FROM influencers WHERE email IN ("));
        push_list(&mut q, chunk.iter().map(|r| r.influencer.email.to_string()));
        q.push(")");
        for row in q.build().fetch_all(&mut **tx).await? {
            let stored = influencer_from_row(&row)?;
            existing.insert(stored.influencer.email.to_string(), stored.influencer);
        }
    }
    // One SHA-256 per row, for the suppression check and the row written.
    let hashes: Vec<String> = rows.iter().map(|r| r.influencer.email.hash()).collect();
    let mut suppressed: HashSet<String> = HashSet::new();
    for chunk in hashes.chunks(BATCH) {
        let mut q = QueryBuilder::<Db>::new("SELECT email_hash FROM suppressions WHERE email_hash IN (");
        push_list(&mut q, chunk.iter().cloned());
        q.push(")");
        for row in q.build().fetch_all(&mut **tx).await? {
            suppressed.insert(row.try_get("email_hash")?);
        }
    }

    let mut to_write: Vec<(&Influencer, &str)> = Vec::new();
    for (row, hash) in rows.iter().zip(&hashes) {
        let person = &row.influencer;
        if suppressed.contains(hash) {
            report.rejected.push(RejectedRow {
                line: row.line,
                email: person.email.to_string(),
                reason: "email: the address is suppressed (unsubscribed, bounced, complained or erased) and is never mailed again".into(),
            });
            continue;
        }
        match existing.get(person.email.as_str()) {
            None => report.new += 1,
            Some(old) if old == person => {
                report.unchanged += 1;
                continue;
            }
            Some(_) => report.updated += 1,
        }
        to_write.push((person, hash));
    }

    for chunk in to_write.chunks(BATCH) {
        let mut q = QueryBuilder::<Db>::new(
            "INSERT INTO influencers (email, email_hash, name, language, platforms, followers, topics, region, \
             region_key, tier, cadence, consent_at, consent_source, created_at, updated_at) ",
        );
        q.push_values(chunk, |mut b, (p, hash)| {
            b.push_bind(p.email.to_string())
                .push_bind(hash.to_string())
                .push_bind(p.name.clone())
                .push_bind(p.language.code())
                .push_bind(list_column(&p.platforms))
                .push_bind(p.followers as i64)
                .push_bind(list_column(&p.topics))
                .push_bind(p.region.clone())
                .push_bind(p.region.to_lowercase())
                .push_bind(p.tier.clone())
                .push_bind(p.cadence.as_str())
                .push_bind(p.consent_at)
                .push_bind(p.consent_source.clone())
                .push_bind(now)
                .push_bind(now);
        });
        q.push(
            " ON CONFLICT (email) DO UPDATE SET name = excluded.name, language = excluded.language, \
             platforms = excluded.platforms, followers = excluded.followers, topics = excluded.topics, \
             region = excluded.region, region_key = excluded.region_key, tier = excluded.tier, \
             cadence = excluded.cadence, consent_at = excluded.consent_at, \
             consent_source = excluded.consent_source, updated_at = excluded.updated_at",
        );
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

fn influencer_from_row(row: &DbRow) -> StoreResult<StoredInfluencer> {
    let corrupt = |field: &str, e: &dyn std::fmt::Display| StoreError::Corrupt(format!("influencers.{field}: {e}"));
    let email: String = row.try_get("email")?;
    let language: String = row.try_get("language")?;
    let cadence: String = row.try_get("cadence")?;
    let platforms: String = row.try_get("platforms")?;
    let topics: String = row.try_get("topics")?;
    let followers: i64 = row.try_get("followers")?;
    Ok(StoredInfluencer {
        id: row.try_get("id")?,
        influencer: Influencer {
            email: EmailAddress::parse(&email).map_err(|e| corrupt("email", &e))?,
            name: row.try_get("name")?,
            language: language.parse().map_err(|e| corrupt("language", &e))?,
            platforms: list_from_column(&platforms),
            followers: followers.max(0) as u64,
            topics: list_from_column(&topics),
            region: row.try_get("region")?,
            tier: row.try_get("tier")?,
            cadence: cadence.parse().map_err(|e| corrupt("cadence", &e))?,
            consent_at: row.try_get("consent_at")?,
            consent_source: row.try_get("consent_source")?,
        },
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn token_summary(row: &DbRow) -> StoreResult<TokenSummary> {
    let role: String = row.try_get("role")?;
    Ok(TokenSummary {
        id: row.try_get("id")?,
        label: row.try_get("label")?,
        role: role.parse().map_err(StoreError::Corrupt)?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

/// The first reason stands: an erased address must stay hashed-only whatever comes later.
async fn insert_suppression(
    conn: &mut <Db as sqlx::Database>::Connection,
    email: &EmailAddress,
    reason: SuppressionReason,
    detail: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO suppressions (email_hash, email, reason, detail, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (email_hash) DO NOTHING",
    )
    .bind(email.hash())
    .bind(email.as_str())
    .bind(reason.as_str())
    .bind(detail)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
