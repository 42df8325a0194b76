//! Reach: reported posts, counted clicks, and the facts of the reach report.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::common::{DbRow, Tx};
use super::{D, ThisStore};
use crate::brief::Brief;
use crate::ids::{BriefId, InfluencerId};
use crate::language::Language;
use crate::reach::{BriefFacts, ClickFact, EditionSent, PostFact, QuestionFact, ReachFacts};
use crate::store::dialect::Dialect;
use crate::store::{NewPostReport, PostReportRecord, ReachStore, StoreError, StoreResult};

/// Stores a post report in `tx`, once per post; false when the post was there already.
pub(super) async fn insert_post_report(
    tx: &mut Tx,
    report: &NewPostReport,
    reply_id: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let views = report.views.map(|v| i64::try_from(v).unwrap_or(i64::MAX));
    let added = sqlx::query(
        "INSERT INTO post_reports (influencer_id, brief_id, platform, url, views, followers, via, reply_id, reported_at) \
         VALUES ($1, $2, $3, $4, $5, COALESCE((SELECT followers FROM influencers WHERE id = $1), 0), $6, $7, $8) \
         ON CONFLICT (url) DO NOTHING",
    )
    .bind(report.influencer_id.0)
    .bind(report.brief_id.0)
    .bind(report.post.platform)
    .bind(&report.post.url)
    .bind(views)
    .bind(report.via)
    .bind(reply_id)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(added > 0)
}

fn count(row: &DbRow, column: &str) -> StoreResult<u64> {
    Ok(u64::try_from(row.try_get::<i64, _>(column)?).unwrap_or(0))
}

#[async_trait]
impl ReachStore for ThisStore {
    async fn add_post_report(&self, report: &NewPostReport, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = D::begin_write(&self.pool).await?;
        let added = insert_post_report(&mut tx, report, None, now).await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn was_sent(&self, influencer: InfluencerId, brief: BriefId) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT d.id FROM deliveries d JOIN edition_briefs eb ON eb.edition_id = d.edition_id \
             WHERE d.influencer_id = $1 AND eb.brief_id = $2 AND d.sent_at IS NOT NULL LIMIT 1",
        )
        .bind(influencer.0)
        .bind(brief.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    async fn briefs_sent_to(&self, influencer: InfluencerId) -> StoreResult<Vec<BriefId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT eb.brief_id FROM deliveries d JOIN edition_briefs eb ON eb.edition_id = d.edition_id \
             WHERE d.influencer_id = $1 AND d.sent_at IS NOT NULL ORDER BY eb.brief_id DESC",
        )
        .bind(influencer.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(BriefId).collect())
    }

    async fn post_reports_of(&self, influencer: InfluencerId) -> StoreResult<Vec<PostReportRecord>> {
        let rows = sqlx::query(
            "SELECT brief_id, platform, url, views, via, reported_at FROM post_reports \
             WHERE influencer_id = $1 ORDER BY id DESC",
        )
        .bind(influencer.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(PostReportRecord {
                    brief_id: BriefId(row.try_get("brief_id")?),
                    platform: row.try_get("platform")?,
                    url: row.try_get("url")?,
                    views: row
                        .try_get::<Option<i64>, _>("views")?
                        .map(|v| u64::try_from(v).unwrap_or(0)),
                    via: row.try_get("via")?,
                    reported_at: row.try_get("reported_at")?,
                })
            })
            .collect()
    }

    async fn count_click(&self, brief: BriefId, language: Language, source: &str, day: NaiveDate) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO source_clicks (brief_id, language, source, day, clicks) VALUES ($1, $2, $3, $4, 1) \
             ON CONFLICT (brief_id, language, source, day) DO UPDATE SET clicks = source_clicks.clicks + 1",
        )
        .bind(brief.0)
        .bind(language.code())
        .bind(source)
        .bind(day.format("%Y-%m-%d").to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn reach_facts(&self) -> StoreResult<ReachFacts> {
        let mut facts = ReachFacts::default();
        for row in sqlx::query("SELECT id, document FROM briefs ORDER BY id")
            .fetch_all(&self.pool)
            .await?
        {
            let document: String = row.try_get("document")?;
            let brief: Brief = serde_json::from_str(&document).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let title = [&brief.fi, &brief.sv, &brief.en]
                .into_iter()
                .flatten()
                .map(|b| b.title.clone())
                .next()
                .unwrap_or_else(|| brief.meta.slug.clone());
            facts.briefs.push(BriefFacts {
                id: BriefId(row.try_get("id")?),
                title,
                topics: brief.meta.topics,
            });
        }
        let mut carried: HashMap<i64, Vec<BriefId>> = HashMap::new();
        for row in sqlx::query("SELECT edition_id, brief_id FROM edition_briefs")
            .fetch_all(&self.pool)
            .await?
        {
            carried
                .entry(row.try_get("edition_id")?)
                .or_default()
                .push(BriefId(row.try_get("brief_id")?));
        }
        // The index on (edition_id, sent_at) answers this without reading a delivery row.
        for row in sqlx::query(
            "SELECT edition_id, COUNT(*) AS sent, MIN(sent_at) AS first_sent FROM deliveries \
             WHERE sent_at IS NOT NULL GROUP BY edition_id",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let edition: i64 = row.try_get("edition_id")?;
            facts.editions.push(EditionSent {
                first_sent: row.try_get("first_sent")?,
                sent: count(&row, "sent")?,
                briefs: carried.remove(&edition).unwrap_or_default(),
            });
        }
        for row in
            sqlx::query("SELECT brief_id, platform, influencer_id, followers, views, reported_at FROM post_reports")
                .fetch_all(&self.pool)
                .await?
        {
            facts.posts.push(PostFact {
                brief: BriefId(row.try_get("brief_id")?),
                platform: row.try_get("platform")?,
                poster: row.try_get("influencer_id")?,
                followers: count(&row, "followers")?,
                views: row
                    .try_get::<Option<i64>, _>("views")?
                    .map(|v| u64::try_from(v).unwrap_or(0)),
                reported_at: row.try_get("reported_at")?,
            });
        }
        for row in sqlx::query(
            "SELECT brief_id, day, CAST(SUM(clicks) AS BIGINT) AS clicks FROM source_clicks GROUP BY brief_id, day",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let day: String = row.try_get("day")?;
            let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map_err(|e| StoreError::Corrupt(format!("source_clicks.day {day}: {e}")))?;
            facts.clicks.push(ClickFact {
                brief: BriefId(row.try_get("brief_id")?),
                day,
                clicks: count(&row, "clicks")?,
            });
        }
        for row in sqlx::query("SELECT brief_id, created_at, status FROM questions")
            .fetch_all(&self.pool)
            .await?
        {
            let status: String = row.try_get("status")?;
            facts.questions.push(QuestionFact {
                brief: row.try_get::<Option<i64>, _>("brief_id")?.map(BriefId),
                asked_at: row.try_get("created_at")?,
                answered: status == "answered",
            });
        }
        Ok(facts)
    }
}
