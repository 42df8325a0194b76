//! The roster: imports in one transaction, listings, a person's data, erasure, preferences.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{QueryBuilder, Row};

use super::common::{
    BATCH, DbRow, Tx, audit, like_escaped, list_column, list_from_column, push_list, push_segment_filter, sql_count,
};
use super::{D, Db, ThisStore};
use crate::access::Actor;
use crate::audience::roster::{RejectedRow, RosterPart, RosterRow};
use crate::audience::{EmailAddress, ImportReport, Influencer, StoredInfluencer};
use crate::cadence::Cadence;
use crate::ids::DeliveryId;
use crate::language::Language;
use crate::store::dialect::Dialect;
use crate::store::{InfluencerQuery, PersonalData, ReachStore, RosterStore, StoreError, StoreResult};

#[async_trait]
impl RosterStore for ThisStore {
    async fn import_roster(
        &self,
        parts: &mut tokio::sync::mpsc::Receiver<RosterPart>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<ImportReport>> {
        let mut tx = D::begin_write(&self.pool).await?;
        D::lock_roster(&mut tx).await?;
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
        if let Some(platform) = &query.platform {
            q.push(" AND platforms LIKE ").push_bind(format!("%;{platform};%"));
        }
        if let Some(suppressed) = query.suppressed {
            q.push(if suppressed { " AND EXISTS" } else { " AND NOT EXISTS" });
            q.push(" (SELECT 1 FROM suppressions s WHERE s.email_hash = influencers.email_hash)");
        }
        if let Some(words) = &query.search {
            // LIKE's own wildcards typed by someone are matched as themselves.
            let pattern = format!("%{}%", like_escaped(&words.to_lowercase()));
            q.push(" AND (LOWER(name) LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\' OR email LIKE ")
                .push_bind(pattern)
                .push(" ESCAPE '\\')");
        }
        q.push(" ORDER BY email");
        if let Some(limit) = query.limit {
            q.push(" LIMIT ")
                .push_bind(sql_count(limit))
                .push(" OFFSET ")
                .push_bind(sql_count(query.offset));
        }
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter().map(influencer_from_row).collect()
    }

    async fn influencer(&self, email: &EmailAddress) -> StoreResult<Option<StoredInfluencer>> {
        let sql = format!("SELECT {INFLUENCER_COLUMNS} FROM influencers WHERE email = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(email.as_str())
            .fetch_optional(&self.pool)
            .await?;
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
        let post_reports = self.post_reports_of(influencer.id).await?;
        Ok(Some(PersonalData {
            influencer,
            deliveries,
            replies,
            questions,
            post_reports,
        }))
    }

    async fn erase_influencer(&self, email: &EmailAddress, actor: &Actor, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = D::begin_write(&self.pool).await?;
        D::lock_roster(&mut tx).await?;
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
        // What they posted is theirs: it goes with them, and the report's figures with it.
        sqlx::query("DELETE FROM post_reports WHERE influencer_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM influencers WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO suppressions (email_hash, email, reason, detail, created_at) VALUES ($1, NULL, 'erased', '', $2) \
             ON CONFLICT (email_hash) DO UPDATE SET email = NULL, reason = 'erased'",
        )
        .bind(email.hash())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "influencer.erase",
            &format!("influencer:{id}"),
            json!({ "email_hash": email.hash() }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn subscriber(&self, delivery_id: DeliveryId) -> StoreResult<Option<StoredInfluencer>> {
        let sql = format!(
            "SELECT {INFLUENCER_COLUMNS} FROM influencers WHERE id = (SELECT influencer_id FROM deliveries WHERE id = $1)"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(delivery_id)
            .fetch_optional(&self.pool)
            .await?;
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
        let mut tx = D::begin_write(&self.pool).await?;
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE influencers SET language = $1, cadence = $2, updated_at = $3 WHERE email = $4 RETURNING id",
        )
        .bind(language.code())
        .bind(cadence.as_str())
        .bind(now)
        .bind(email.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let id = id.ok_or_else(|| StoreError::NotFound {
            what: format!("influencer {email}"),
        })?;
        let detail = json!({ "language": language, "cadence": cadence });
        audit(
            &mut tx,
            actor,
            "influencer.preferences",
            &format!("influencer:{id}"),
            detail,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

pub(super) const INFLUENCER_COLUMNS: &str = "id, email, name, language, platforms, followers, topics, region, tier, \
     cadence, consent_at, consent_source, created_at, updated_at";

/// Stores one part of a roster inside the import's transaction, counting what it changed.
async fn import_rows(
    tx: &mut Tx,
    rows: &[RosterRow],
    report: &mut ImportReport,
    now: DateTime<Utc>,
) -> StoreResult<()> {
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

pub(super) fn influencer_from_row(row: &DbRow) -> StoreResult<StoredInfluencer> {
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
