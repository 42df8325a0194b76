//! The reach report: per brief, per theme (the briefs' topics), per platform and per ISO week,
//! what was sent, what influencers reported they posted, what their followers could have seen,
//! the views they reported, the clicks on the sources and the questions asked and answered;
//! beside it, the same figures for as many weeks before the campaign's first edition.
//!
//! Pure: the store gathers the facts, this adds them up, so every rule is tested directly. Only
//! sums leave it: no row names a person.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use chrono_tz::Europe::Helsinki;
use serde::Serialize;

use crate::ids::BriefId;

/// A brief as the report names it.
#[derive(Debug, Clone)]
pub struct BriefFacts {
    pub id: BriefId,
    pub title: String,
    pub topics: Vec<String>,
}

/// One edition's sending: its first message, how many readers it reached, the briefs it carried.
#[derive(Debug, Clone)]
pub struct EditionSent {
    pub first_sent: DateTime<Utc>,
    pub sent: u64,
    pub briefs: Vec<BriefId>,
}

/// One reported post. `poster` tells posts of one person apart, nothing more; none once
/// retention has unlinked it.
#[derive(Debug, Clone)]
pub struct PostFact {
    pub brief: BriefId,
    pub platform: String,
    pub poster: Option<i64>,
    pub followers: u64,
    pub views: Option<u64>,
    pub reported_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ClickFact {
    pub brief: BriefId,
    /// The day in Finnish time.
    pub day: NaiveDate,
    pub clicks: u64,
}

#[derive(Debug, Clone)]
pub struct QuestionFact {
    pub brief: Option<BriefId>,
    pub asked_at: DateTime<Utc>,
    pub answered: bool,
}

/// Everything the report is made from.
#[derive(Debug, Clone, Default)]
pub struct ReachFacts {
    pub briefs: Vec<BriefFacts>,
    pub editions: Vec<EditionSent>,
    pub posts: Vec<PostFact>,
    pub clicks: Vec<ClickFact>,
    pub questions: Vec<QuestionFact>,
}

/// Which briefs and days the report is about.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReachQuery {
    pub brief: Option<BriefId>,
    pub topic: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Messages delivered that carried the briefs.
    pub readers_reached: u64,
    pub posts: u64,
    /// Influencers who reported a post.
    pub posters: u64,
    /// The followers of those who posted, each person once.
    pub potential_reach: u64,
    /// Views or reach as influencers read them off their platforms.
    pub views: u64,
    pub clicks: u64,
    pub questions: u64,
    pub answered: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BriefRow {
    pub brief: BriefId,
    pub title: String,
    pub topics: Vec<String>,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicRow {
    pub topic: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlatformRow {
    pub platform: String,
    pub posts: u64,
    pub posters: u64,
    pub potential_reach: u64,
    pub views: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeekRow {
    /// ISO 8601 week, as `2026-W48`.
    pub week: String,
    /// Its Monday.
    pub starts: NaiveDate,
    /// Before the campaign's first edition.
    pub baseline: bool,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReachReport {
    pub query: ReachQuery,
    /// The first edition that carried the briefs: the campaign's start.
    pub first_edition: Option<DateTime<Utc>>,
    pub totals: Figures,
    /// The weeks before the start, as many as the campaign has (one to eight), over every brief.
    pub baseline: Figures,
    pub baseline_weeks: u32,
    pub briefs: Vec<BriefRow>,
    pub topics: Vec<TopicRow>,
    pub platforms: Vec<PlatformRow>,
    pub weeks: Vec<WeekRow>,
}

/// The Monday of the ISO week that holds `day`.
fn monday(day: NaiveDate) -> NaiveDate {
    day - TimeDelta::days(i64::from(day.weekday().num_days_from_monday()))
}

fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Helsinki).date_naive()
}

fn week_name(starts: NaiveDate) -> String {
    let week = starts.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

/// Posts add up with each person once: their followers once, however many posts they report.
#[derive(Default)]
struct Posting {
    posts: u64,
    views: u64,
    people: BTreeMap<i64, u64>,
    unlinked: Vec<u64>,
}

impl Posting {
    fn add(&mut self, post: &PostFact) {
        self.posts += 1;
        self.views += post.views.unwrap_or(0);
        match post.poster {
            Some(person) => {
                let followers = self.people.entry(person).or_default();
                *followers = (*followers).max(post.followers);
            }
            None => self.unlinked.push(post.followers),
        }
    }

    fn posters(&self) -> u64 {
        (self.people.len() + self.unlinked.len()) as u64
    }

    fn potential_reach(&self) -> u64 {
        self.people.values().chain(&self.unlinked).sum()
    }
}

/// One set of figures being added up.
#[derive(Default)]
struct Tally {
    figures: Figures,
    posting: Posting,
}

impl Tally {
    fn post(&mut self, post: &PostFact) {
        self.posting.add(post);
    }

    fn done(mut self) -> Figures {
        self.figures.posts = self.posting.posts;
        self.figures.views = self.posting.views;
        self.figures.posters = self.posting.posters();
        self.figures.potential_reach = self.posting.potential_reach();
        self.figures
    }
}

pub fn build(facts: &ReachFacts, query: &ReachQuery) -> ReachReport {
    let chosen: Vec<&BriefFacts> = facts
        .briefs
        .iter()
        .filter(|b| query.brief.is_none_or(|id| b.id == id))
        .filter(|b| {
            query
                .topic
                .as_deref()
                .is_none_or(|t| b.topics.iter().any(|x| x.eq_ignore_ascii_case(t)))
        })
        .collect();
    let ids: BTreeSet<BriefId> = chosen.iter().map(|b| b.id).collect();
    let in_window = |day: NaiveDate| query.from.is_none_or(|f| day >= f) && query.to.is_none_or(|t| day <= t);

    let editions: Vec<&EditionSent> = facts
        .editions
        .iter()
        .filter(|e| in_window(local_day(e.first_sent)))
        .collect();
    let carrying = |e: &EditionSent| e.briefs.iter().any(|b| ids.contains(b));
    let first_edition = editions.iter().filter(|e| carrying(e)).map(|e| e.first_sent).min();

    let mut per_brief: BTreeMap<BriefId, Tally> = ids.iter().map(|id| (*id, Tally::default())).collect();
    let mut totals = Tally::default();
    let mut platforms: BTreeMap<String, Posting> = BTreeMap::new();
    let mut weeks: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    // Everything, whatever brief, by week: the baseline is read from it.
    let mut every_week: BTreeMap<NaiveDate, Tally> = BTreeMap::new();

    for edition in &editions {
        let week = monday(local_day(edition.first_sent));
        every_week.entry(week).or_default().figures.readers_reached += edition.sent;
        let carried: Vec<&BriefId> = edition.briefs.iter().filter(|b| ids.contains(b)).collect();
        if carried.is_empty() {
            continue;
        }
        totals.figures.readers_reached += edition.sent;
        weeks.entry(week).or_default().figures.readers_reached += edition.sent;
        for brief in carried {
            if let Some(t) = per_brief.get_mut(brief) {
                t.figures.readers_reached += edition.sent;
            }
        }
    }
    for post in facts.posts.iter().filter(|p| in_window(local_day(p.reported_at))) {
        let week = monday(local_day(post.reported_at));
        every_week.entry(week).or_default().post(post);
        let Some(tally) = per_brief.get_mut(&post.brief) else {
            continue;
        };
        tally.post(post);
        totals.post(post);
        weeks.entry(week).or_default().post(post);
        platforms.entry(post.platform.clone()).or_default().add(post);
    }
    for click in facts.clicks.iter().filter(|c| in_window(c.day)) {
        let week = monday(click.day);
        every_week.entry(week).or_default().figures.clicks += click.clicks;
        let Some(tally) = per_brief.get_mut(&click.brief) else {
            continue;
        };
        tally.figures.clicks += click.clicks;
        totals.figures.clicks += click.clicks;
        weeks.entry(week).or_default().figures.clicks += click.clicks;
    }
    for question in facts.questions.iter().filter(|q| in_window(local_day(q.asked_at))) {
        let week = monday(local_day(question.asked_at));
        let count = |f: &mut Figures| {
            f.questions += 1;
            f.answered += u64::from(question.answered);
        };
        count(&mut every_week.entry(week).or_default().figures);
        let Some(tally) = question.brief.and_then(|b| per_brief.get_mut(&b)) else {
            continue;
        };
        count(&mut tally.figures);
        count(&mut totals.figures);
        count(&mut weeks.entry(week).or_default().figures);
    }

    // The campaign's weeks run from its first edition to its last activity; the baseline is as
    // many weeks just before, one at least and eight at most.
    let start = first_edition.map(|f| monday(local_day(f)));
    let last = weeks.keys().next_back().copied();
    let (mut rows, mut baseline, mut baseline_weeks) = (Vec::new(), Figures::default(), 0);
    if let (Some(start), Some(last)) = (start, last.or(start)) {
        let campaign_weeks = ((last.max(start) - start).num_days() / 7 + 1).clamp(1, 8);
        baseline_weeks = campaign_weeks as u32;
        let from = start - TimeDelta::weeks(campaign_weeks);
        let mut week = from;
        let mut base = Tally::default();
        while week <= last.max(start) {
            let is_baseline = week < start;
            let figures = if is_baseline {
                let tally = every_week.remove(&week).unwrap_or_default();
                let f = tally.done();
                add(&mut base.figures, &f);
                f
            } else {
                weeks.remove(&week).map(Tally::done).unwrap_or_default()
            };
            rows.push(WeekRow {
                week: week_name(week),
                starts: week,
                baseline: is_baseline,
                figures,
            });
            week += TimeDelta::weeks(1);
        }
        baseline = base.figures;
    }

    let brief_rows: Vec<BriefRow> = chosen
        .iter()
        .map(|b| BriefRow {
            brief: b.id,
            title: b.title.clone(),
            topics: b.topics.clone(),
            figures: per_brief.remove(&b.id).map(Tally::done).unwrap_or_default(),
        })
        .collect();
    // A theme counts each person once across its briefs, so its posts are added up anew.
    let themes: BTreeSet<String> = chosen
        .iter()
        .flat_map(|b| b.topics.iter().map(|t| t.to_lowercase()))
        .collect();
    let topic_rows: Vec<TopicRow> = themes
        .into_iter()
        .map(|topic| {
            let has = |topics: &[String]| topics.iter().any(|t| t.eq_ignore_ascii_case(&topic));
            let mut tally = Tally::default();
            for row in brief_rows.iter().filter(|r| has(&r.topics)) {
                tally.figures.readers_reached += row.figures.readers_reached;
                tally.figures.clicks += row.figures.clicks;
                tally.figures.questions += row.figures.questions;
                tally.figures.answered += row.figures.answered;
            }
            let theirs = |post: &&PostFact| chosen.iter().any(|b| b.id == post.brief && has(&b.topics));
            for post in facts
                .posts
                .iter()
                .filter(|p| in_window(local_day(p.reported_at)))
                .filter(theirs)
            {
                tally.post(post);
            }
            TopicRow {
                topic,
                figures: tally.done(),
            }
        })
        .collect();
    let mut brief_rows = brief_rows;
    brief_rows.sort_by(|a, b| {
        b.figures
            .readers_reached
            .cmp(&a.figures.readers_reached)
            .then(b.brief.0.cmp(&a.brief.0))
    });

    ReachReport {
        query: query.clone(),
        first_edition,
        totals: totals.done(),
        baseline,
        baseline_weeks,
        briefs: brief_rows,
        topics: topic_rows,
        platforms: platforms
            .into_iter()
            .map(|(platform, p)| PlatformRow {
                posts: p.posts,
                posters: p.posters(),
                potential_reach: p.potential_reach(),
                views: p.views,
                platform,
            })
            .collect(),
        weeks: rows,
    }
}

fn add(sum: &mut Figures, f: &Figures) {
    sum.readers_reached += f.readers_reached;
    sum.posts += f.posts;
    // Posters across weeks are not one set; the baseline's are the weeks' sum.
    sum.posters += f.posters;
    sum.potential_reach += f.potential_reach;
    sum.views += f.views;
    sum.clicks += f.clicks;
    sum.questions += f.questions;
    sum.answered += f.answered;
}

/// The report as one CSV: a row per total, baseline, brief, theme, platform and week, the
/// `section` column saying which, the same figure columns on every row (empty where a figure
/// does not apply).
pub fn to_csv(report: &ReachReport) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "section",
        "key",
        "label",
        "readers_reached",
        "posts",
        "posters",
        "potential_reach",
        "views",
        "clicks",
        "questions",
        "answered",
    ])?;
    let mut row = |section: &str, key: &str, label: &str, f: &Figures| {
        let n = |v: u64| v.to_string();
        out.write_record([
            section.to_string(),
            key.to_string(),
            label.to_string(),
            n(f.readers_reached),
            n(f.posts),
            n(f.posters),
            n(f.potential_reach),
            n(f.views),
            n(f.clicks),
            n(f.questions),
            n(f.answered),
        ])
    };
    row("total", "", "", &report.totals)?;
    row(
        "baseline",
        &report.baseline_weeks.to_string(),
        "weeks before the first edition",
        &report.baseline,
    )?;
    for b in &report.briefs {
        row("brief", &b.brief.0.to_string(), &b.title, &b.figures)?;
    }
    for t in &report.topics {
        row("theme", &t.topic, &t.topic, &t.figures)?;
    }
    for p in &report.platforms {
        let f = Figures {
            posts: p.posts,
            posters: p.posters,
            potential_reach: p.potential_reach,
            views: p.views,
            ..Figures::default()
        };
        row("platform", &p.platform, &p.platform, &f)?;
    }
    for w in &report.weeks {
        let section = if w.baseline { "week (baseline)" } else { "week" };
        row(section, &w.week, &w.starts.to_string(), &w.figures)?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn present(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

/// A query from text, as the command line, the API and the console take it; the error names
/// the field.
pub fn parse_query(
    brief: Option<&str>,
    topic: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<ReachQuery, (&'static str, String)> {
    let day = |field: &'static str, v: Option<&str>| {
        present(v)
            .map(|v| {
                NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map_err(|_| (field, format!("`{v}` is not a date (YYYY-MM-DD)")))
            })
            .transpose()
    };
    let brief = present(brief)
        .map(|v| {
            v.parse::<i64>()
                .map(BriefId)
                .map_err(|_| ("brief", format!("`{v}` is not a brief id")))
        })
        .transpose()?;
    let query = ReachQuery {
        brief,
        topic: present(topic).map(str::to_string),
        from: day("from", from)?,
        to: day("to", to)?,
    };
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from > to
    {
        return Err(("to", format!("{to} is before {from}")));
    }
    Ok(query)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn facts() -> ReachFacts {
        let brief = |id, title: &str, topics: &[&str]| BriefFacts {
            id: BriefId(id),
            title: title.into(),
            topics: topics.iter().map(|t| t.to_string()).collect(),
        };
        let post = |brief, platform: &str, poster, followers, views, when: &str| PostFact {
            brief: BriefId(brief),
            platform: platform.into(),
            poster,
            followers,
            views,
            reported_at: at(when),
        };
        ReachFacts {
            briefs: vec![
                brief(1, "Storm", &["preparedness"]),
                brief(2, "Water", &["health", "preparedness"]),
            ],
            editions: vec![
                EditionSent {
                    first_sent: at("2026-11-23T07:00:00Z"),
                    sent: 100,
                    briefs: vec![BriefId(1)],
                },
                EditionSent {
                    first_sent: at("2026-11-30T07:00:00Z"),
                    sent: 50,
                    briefs: vec![BriefId(1), BriefId(2)],
                },
                // Another campaign, two weeks before: the baseline.
                EditionSent {
                    first_sent: at("2026-11-10T07:00:00Z"),
                    sent: 30,
                    briefs: vec![BriefId(99)],
                },
            ],
            posts: vec![
                post(1, "tiktok", Some(7), 1_000, Some(5_000), "2026-11-23T12:00:00Z"),
                post(1, "instagram", Some(7), 1_000, None, "2026-11-24T12:00:00Z"),
                post(2, "tiktok", Some(8), 300, Some(700), "2026-12-01T12:00:00Z"),
                post(99, "x", Some(9), 50, Some(10), "2026-11-11T12:00:00Z"),
            ],
            clicks: vec![ClickFact {
                brief: BriefId(1),
                day: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                clicks: 12,
            }],
            questions: vec![
                QuestionFact {
                    brief: Some(BriefId(1)),
                    asked_at: at("2026-11-23T10:00:00Z"),
                    answered: true,
                },
                QuestionFact {
                    brief: None,
                    asked_at: at("2026-11-12T10:00:00Z"),
                    answered: false,
                },
            ],
        }
    }

    #[test]
    fn figures_add_up_per_brief_platform_theme_and_week_each_person_once() {
        let report = build(&facts(), &ReachQuery::default());
        // 100 + 50 for the storm edition weeks; the other campaign's 30 are not ours.
        assert_eq!(report.totals.readers_reached, 150);
        assert_eq!(report.totals.posts, 3);
        assert_eq!(report.totals.posters, 2, "person 7 posted twice");
        assert_eq!(report.totals.potential_reach, 1_300);
        assert_eq!(report.totals.views, 5_700);
        assert_eq!(
            (report.totals.clicks, report.totals.questions, report.totals.answered),
            (12, 1, 1)
        );
        let storm = report.briefs.iter().find(|b| b.brief == BriefId(1)).unwrap();
        assert_eq!((storm.figures.readers_reached, storm.figures.posts), (150, 2));
        let tiktok = report.platforms.iter().find(|p| p.platform == "tiktok").unwrap();
        assert_eq!(
            (tiktok.posts, tiktok.posters, tiktok.potential_reach, tiktok.views),
            (2, 2, 1_300, 5_700)
        );
        let preparedness = report.topics.iter().find(|t| t.topic == "preparedness").unwrap();
        assert_eq!(
            (preparedness.figures.posters, preparedness.figures.readers_reached),
            (2, 200)
        );
        let health = report.topics.iter().find(|t| t.topic == "health").unwrap();
        assert_eq!(health.figures.posts, 1);
        // Two campaign weeks (W48, W49) and two before them as the baseline (W46, W47).
        let names: Vec<&str> = report.weeks.iter().map(|w| w.week.as_str()).collect();
        assert_eq!(names, ["2026-W46", "2026-W47", "2026-W48", "2026-W49"]);
        assert_eq!(report.baseline_weeks, 2);
        assert_eq!(report.baseline.readers_reached, 30);
        assert_eq!((report.baseline.posts, report.baseline.questions), (1, 1));
        assert!(report.weeks[0].baseline && !report.weeks[2].baseline);
        assert_eq!(report.weeks[2].figures.posts, 2);
    }

    #[test]
    fn a_brief_or_a_theme_and_a_window_narrow_it() {
        let one = build(
            &facts(),
            &ReachQuery {
                brief: Some(BriefId(2)),
                ..ReachQuery::default()
            },
        );
        assert_eq!((one.totals.readers_reached, one.totals.posts), (50, 1));
        let theme = build(
            &facts(),
            &ReachQuery {
                topic: Some("HEALTH".into()),
                ..ReachQuery::default()
            },
        );
        assert_eq!(theme.briefs.len(), 1);
        let window = build(
            &facts(),
            &ReachQuery {
                to: NaiveDate::from_ymd_opt(2026, 11, 29),
                ..ReachQuery::default()
            },
        );
        assert_eq!((window.totals.readers_reached, window.totals.posts), (100, 2));
    }
}
