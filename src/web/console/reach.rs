//! The reach report in the console: filters, the figures against the baseline, three charts
//! drawn on the server as SVG (reach by platform, posts per week against the weeks before, the
//! most-asked briefs), each with its numbers as a table, the CSV to download; printable.

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::{Page, Signed, forbidden, needed_for, unavailable};
use crate::language::Language;
use crate::pack::{format_date, format_number};
use crate::reach::{Figures, ReachQuery, parse_query, platform_name, to_csv};
use crate::service::reach::{self as service, ReachError};
use crate::web::AppState;

const CHART_W: f64 = 720.0;
const BAR_H: f64 = 26.0;
const LABEL_W: f64 = 200.0;
const WEEKS_H: f64 = 180.0;

#[derive(Debug, Default, Deserialize)]
pub struct ReachParams {
    brief: Option<String>,
    topic: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

impl ReachParams {
    fn query(&self) -> Result<ReachQuery, (&'static str, String)> {
        parse_query(
            self.brief.as_deref(),
            self.topic.as_deref(),
            self.from.as_deref(),
            self.to.as_deref(),
        )
    }

    fn search(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("brief", &self.brief),
            ("topic", &self.topic),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
                out.append_pair(k, v);
            }
        }
        out.finish()
    }
}

fn svg(n: f64) -> String {
    format!("{n:.1}")
}

#[derive(Serialize)]
struct HBar {
    label: String,
    value: String,
    y: String,
    text_y: String,
    width: String,
    value_x: String,
}

/// Horizontal bars, one per row, scaled to the largest.
fn hbars(rows: &[(String, u64)], language: Language) -> (Vec<HBar>, String) {
    let most = rows.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    let room = CHART_W - LABEL_W - 90.0;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let width = *value as f64 / most * room;
            HBar {
                label: label.chars().take(28).collect(),
                value: format_number(language, *value),
                y: svg(i as f64 * BAR_H + 4.0),
                text_y: svg(i as f64 * BAR_H + 18.0),
                width: svg(width),
                value_x: svg(LABEL_W + width + 6.0),
            }
        })
        .collect();
    (bars, svg(rows.len().max(1) as f64 * BAR_H + 4.0))
}

#[derive(Serialize)]
struct WeekBar {
    x: String,
    y: String,
    width: String,
    height: String,
    label: String,
    label_x: String,
    label_y: String,
    baseline: bool,
}

#[derive(Serialize)]
struct Row {
    label: String,
    readers_reached: String,
    posts: String,
    posters: String,
    potential_reach: String,
    views: String,
    clicks: String,
    questions: String,
    answered: String,
}

fn row(language: Language, label: String, f: &Figures) -> Row {
    let n = |v: u64| format_number(language, v);
    Row {
        label,
        readers_reached: n(f.readers_reached),
        posts: n(f.posts),
        posters: n(f.posters),
        potential_reach: n(f.potential_reach),
        views: n(f.views),
        clicks: n(f.clicks),
        questions: n(f.questions),
        answered: n(f.answered),
    }
}

/// The page that stands in for the report when it cannot be read.
fn refusal(page: &Page<'_>, error: ReachError) -> Response {
    match error {
        ReachError::Denied(denied) => forbidden(page, needed_for(&denied)),
        ReachError::Store(error) => {
            tracing::error!(%error, "the reach report could not read the database");
            unavailable(page.state, page.language)
        }
    }
}

pub async fn page(State(state): State<AppState>, signed: Signed, Query(p): Query<ReachParams>) -> Response {
    let mut page = Page::new(&state, &signed, "reach", "reach-title");
    let language = page.language;
    let (query, problem) = match p.query() {
        Ok(query) => (query, None),
        Err((field, message)) => (ReachQuery::default(), Some(format!("{field}: {message}"))),
    };
    page.error = problem;
    let result = service::report(state.store.as_ref(), &signed.session.caller, &query).await;
    let report = match result {
        Ok(report) => report,
        Err(error) => return refusal(&page, error),
    };

    let platforms: Vec<(String, u64)> = report
        .platforms
        .iter()
        .map(|p| (platform_name(&p.platform).to_string(), p.potential_reach))
        .collect();
    let (platform_bars, platform_h) = hbars(&platforms, language);
    let mut asked: Vec<(String, u64)> = report
        .briefs
        .iter()
        .filter(|b| b.figures.questions > 0)
        .map(|b| (b.title.clone(), b.figures.questions))
        .collect();
    asked.sort_by_key(|(_, questions)| std::cmp::Reverse(*questions));
    asked.truncate(10);
    let (asked_bars, asked_h) = hbars(&asked, language);
    let most_posts = report.weeks.iter().map(|w| w.figures.posts).max().unwrap_or(0).max(1) as f64;
    let slot = CHART_W / report.weeks.len().max(1) as f64;
    let week_bars: Vec<WeekBar> = report
        .weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let height = w.figures.posts as f64 / most_posts * WEEKS_H;
            WeekBar {
                x: svg(i as f64 * slot + slot * 0.15),
                y: svg(WEEKS_H - height),
                width: svg(slot * 0.7),
                height: svg(height),
                label: w.week.split('-').nth(1).unwrap_or(&w.week).to_string(),
                label_x: svg(i as f64 * slot + slot / 2.0),
                label_y: svg(WEEKS_H + 18.0),
                baseline: w.baseline,
            }
        })
        .collect();

    let t = |id: &str| page.t(id);
    let briefs: Vec<Row> = report
        .briefs
        .iter()
        .map(|b| row(language, format!("{} · {}", b.brief.0, b.title), &b.figures))
        .collect();
    let topics: Vec<Row> = report
        .topics
        .iter()
        .map(|r| row(language, r.topic.clone(), &r.figures))
        .collect();
    let weeks: Vec<Row> = report
        .weeks
        .iter()
        .map(|w| {
            let label = match w.baseline {
                true => format!("{} ({})", w.week, t("reach-baseline-mark")),
                false => w.week.clone(),
            };
            row(language, label, &w.figures)
        })
        .collect();
    let platform_rows: Vec<serde_json::Value> = report
        .platforms
        .iter()
        .map(|p| {
            serde_json::json!({
                "platform": platform_name(&p.platform),
                "posts": format_number(language, p.posts),
                "posters": format_number(language, p.posters),
                "potential_reach": format_number(language, p.potential_reach),
                "views": format_number(language, p.views),
            })
        })
        .collect();
    let search = p.search();
    let csv = match search.is_empty() {
        true => "/reach.csv".to_string(),
        false => format!("/reach.csv?{search}"),
    };
    page.render(
        StatusCode::OK,
        "console/reach.html",
        serde_json::json!({
            "filters": {
                "brief": p.brief.clone().unwrap_or_default(),
                "topic": p.topic.clone().unwrap_or_default(),
                "from": p.from.clone().unwrap_or_default(),
                "to": p.to.clone().unwrap_or_default(),
            },
            "brief_choices": report.briefs.iter().map(|b| serde_json::json!({"id": b.brief.0, "title": b.title})).collect::<Vec<_>>(),
            "first_edition": report.first_edition.map(|f| format_date(language, f)),
            "baseline_weeks": report.baseline_weeks,
            "totals": row(language, t("reach-campaign"), &report.totals),
            "baseline": row(language, t("reach-baseline"), &report.baseline),
            "briefs": briefs,
            "topics": topics,
            "platforms": platform_rows,
            "weeks": weeks,
            "chart_w": svg(CHART_W),
            "label_w": svg(LABEL_W),
            "platform_bars": platform_bars,
            "platform_h": platform_h,
            "asked_bars": asked_bars,
            "asked_h": asked_h,
            "week_bars": week_bars,
            "weeks_h": svg(WEEKS_H),
            "weeks_total_h": svg(WEEKS_H + 22.0),
            "csv": csv,
        }),
    )
}

pub async fn export(State(state): State<AppState>, signed: Signed, Query(p): Query<ReachParams>) -> Response {
    let page = Page::new(&state, &signed, "reach", "reach-title");
    let query = p.query().unwrap_or_default();
    let result = service::report(state.store.as_ref(), &signed.session.caller, &query).await;
    let report = match result {
        Ok(report) => report,
        Err(error) => return refusal(&page, error),
    };
    match to_csv(&report) {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"reach.csv\""),
            ],
            csv,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "writing the reach CSV failed");
            unavailable(&state, page.language)
        }
    }
}
