//! Validation: every problem of a brief at once, each with its language, field and rule.

use std::fmt;

use serde::Serialize;

use super::hashtag::{Hashtag, HashtagError, hashtags_in};
use super::limits::{Limit, PlatformLimits, Unit, group_digits};
use super::{Brief, LanguageBlock, Priority};
use crate::language::Language;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub language: Option<Language>,
    pub field: String,
    /// The rule broken, in English, for the command line, the API and logs.
    pub rule: String,
    /// The same rule for people in their own language: a message id and its values.
    #[serde(skip)]
    pub words: Words,
}

/// A rule as a message of the `problem-` family in `locales/*/console.ftl`, with its values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Words {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Number(usize),
    Text(String),
    Unit(Unit),
}

fn words(id: &'static str, args: Vec<(&'static str, Arg)>) -> Words {
    Words { id, args }
}

fn text(value: impl Into<String>) -> Arg {
    Arg::Text(value.into())
}

fn code_point(c: char) -> Arg {
    Arg::Text(format!("U+{:04X}", c as u32))
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(language) = self.language {
            write!(f, "{language}: ")?;
        }
        write!(f, "{}: {}", self.field, self.rule)
    }
}

struct Report(Vec<Problem>);

impl Report {
    fn add(&mut self, language: Option<Language>, field: impl Into<String>, rule: impl Into<String>, words: Words) {
        self.0.push(Problem {
            language,
            field: field.into(),
            rule: rule.into(),
            words,
        });
    }
}

/// Every problem the brief has; empty when it is ready for approval.
pub fn validate(brief: &Brief, limits: &PlatformLimits) -> Vec<Problem> {
    let mut report = Report(Vec::new());
    check_meta(brief, &mut report);
    let languages = brief.languages();
    if languages.is_empty() {
        report.add(
            None,
            "brief",
            "has no language; add at least one of [fi], [sv] or [en]",
            words("problem-no-language", vec![]),
        );
    }
    for language in languages {
        let block = brief.block(language).expect("listed languages have a block");
        check_block(brief, language, block, limits, &mut report);
    }
    report.0
}

fn check_meta(brief: &Brief, report: &mut Report) {
    let meta = &brief.meta;
    if meta.slug.trim().is_empty() {
        report.add(None, "meta.slug", "is required", words("problem-required", vec![]));
    } else if !meta
        .slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        report.add(
            None,
            "meta.slug",
            "may hold only a-z, 0-9 and -",
            words("problem-slug", vec![]),
        );
    }
    if meta.source.trim().is_empty() {
        report.add(
            None,
            "meta.source",
            "is required: name the authority the brief comes from",
            words("problem-meta-source", vec![]),
        );
    }
    if let (Some(embargo), Some(expires)) = (meta.embargo, meta.expires)
        && embargo >= expires
    {
        report.add(
            None,
            "meta.embargo",
            format!(
                "{} is not before meta.expires {}",
                embargo.to_rfc3339(),
                expires.to_rfc3339()
            ),
            words(
                "problem-embargo",
                vec![
                    ("embargo", text(embargo.to_rfc3339())),
                    ("expires", text(expires.to_rfc3339())),
                ],
            ),
        );
    }
    if meta.priority == Priority::Routine && meta.cadences.is_empty() {
        report.add(
            None,
            "meta.cadences",
            "a routine brief needs at least one of daily, weekly or monthly, or no edition carries it",
            words("problem-cadences", vec![]),
        );
    }
    if meta.supersedes.as_deref().is_some_and(|s| s.trim().is_empty()) {
        report.add(
            None,
            "meta.supersedes",
            "is empty; name the slug of the brief this corrects",
            words("problem-supersedes", vec![]),
        );
    }
    check_hashtags(None, "meta.hashtags", &meta.hashtags, report);
}

fn check_hashtags(language: Option<Language>, field: &str, raw: &[String], report: &mut Report) {
    for (i, tag) in raw.iter().enumerate() {
        if let Err(e) = Hashtag::parse(tag) {
            let said = match &e {
                HashtagError::Empty => words("problem-hashtag-empty", vec![]),
                HashtagError::Space(tag) => words("problem-hashtag-space", vec![("tag", text(tag))]),
                HashtagError::Character(tag, c) => words(
                    "problem-hashtag-character",
                    vec![("tag", text(tag)), ("char", text(c.to_string()))],
                ),
            };
            report.add(language, format!("{field}[{i}]"), e.to_string(), said);
        }
    }
}

fn check_block(brief: &Brief, language: Language, block: &LanguageBlock, limits: &PlatformLimits, report: &mut Report) {
    let lang = Some(language);
    if block.title.trim().is_empty() {
        report.add(lang, "title", "is required", words("problem-required", vec![]));
    }
    // The title becomes the Subject: one line, or it would break the header.
    if let Some(c) = crate::text::line_break_in(&block.title) {
        report.add(
            lang,
            "title",
            format!("is one line: it contains U+{:04X}", c as u32),
            words("problem-one-line", vec![("code", code_point(c))]),
        );
    }
    if block.summary.trim().is_empty() {
        report.add(lang, "summary", "is required", words("problem-required", vec![]));
    }
    for (i, fact) in block.facts.iter().enumerate() {
        if fact.text.trim().is_empty() {
            report.add(
                lang,
                format!("facts[{i}].text"),
                "is required",
                words("problem-required", vec![]),
            );
        }
        if let Err((rule, said)) = check_source(&fact.source) {
            report.add(lang, format!("facts[{i}].source"), rule, said);
        }
    }
    check_hashtags(lang, "hashtags", &block.hashtags, report);
    for (field, text) in texts(block) {
        if let Some(c) = text.chars().find(|c| c.is_control() && *c != '\n' && *c != '\t') {
            report.add(
                lang,
                field,
                format!("contains the control character U+{:04X}", c as u32),
                words("problem-control", vec![("code", code_point(c))]),
            );
        }
    }
    let required = [
        ("instagram.caption", block.instagram.as_ref().map(|i| &i.caption)),
        ("tiktok.script", block.tiktok.as_ref().map(|t| &t.script)),
        ("youtube.title", block.youtube.as_ref().map(|y| &y.title)),
        ("x.post", block.x.as_ref().map(|x| &x.post)),
    ];
    for (field, text) in required {
        if text.is_some_and(|t| t.trim().is_empty()) {
            report.add(
                lang,
                field,
                "is required when the platform's table is given",
                words("problem-platform-required", vec![]),
            );
        }
    }
    for (field, text) in limited_texts(brief, language, block) {
        let Some(text) = text else { continue };
        for limit in limits.for_field(field) {
            if let Some((rule, said)) = check_limit(block, limit, &text) {
                report.add(lang, field, rule, said);
            }
        }
    }
}

/// The texts platform limits apply to, as the platform gets them: the Instagram caption with
/// the brief's hashtags appended.
fn limited_texts(brief: &Brief, language: Language, block: &LanguageBlock) -> [(&'static str, Option<String>); 5] {
    [
        ("instagram.caption", brief.instagram_caption(language)),
        ("tiktok.script", block.tiktok.as_ref().map(|t| t.script.clone())),
        ("youtube.title", block.youtube.as_ref().map(|y| y.title.clone())),
        (
            "youtube.description",
            block.youtube.as_ref().and_then(|y| y.description.clone()),
        ),
        ("x.post", block.x.as_ref().map(|x| x.post.clone())),
    ]
}

/// One limit measured on one field: what an editor shows beside the field as it is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    pub language: Language,
    pub field: &'static str,
    pub unit: Unit,
    pub count: usize,
    pub max: usize,
    pub via: Option<String>,
}

impl Counter {
    pub fn over(&self) -> bool {
        self.count > self.max
    }
}

/// Every counted limit of every language the brief has, in the validator's own units, so that
/// a counter and a problem never disagree.
pub fn counters(brief: &Brief, limits: &PlatformLimits) -> Vec<Counter> {
    let mut counters = Vec::new();
    for language in brief.languages() {
        let Some(block) = brief.block(language) else { continue };
        for (field, text) in limited_texts(brief, language, block) {
            let Some(text) = text else { continue };
            for limit in limits.for_field(field) {
                let Some(max) = limit.max else { continue };
                counters.push(Counter {
                    language,
                    field,
                    unit: limit.unit,
                    count: limit.unit.count(&text),
                    max,
                    via: limit.via.clone(),
                });
            }
        }
    }
    counters
}

fn check_limit(block: &LanguageBlock, limit: &Limit, text: &str) -> Option<(String, Words)> {
    if let Some(c) = text.chars().find(|c| limit.forbidden.contains(*c)) {
        return Some((
            format!("contains `{c}`, which the platform refuses here"),
            words("problem-forbidden", vec![("char", self::text(c.to_string()))]),
        ));
    }
    let max = limit.max?;
    let count = limit.unit.count(text);
    if count <= max {
        return None;
    }
    let via = limit.via.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
    let mut said = vec![
        ("count", Arg::Number(count)),
        ("max", Arg::Number(max)),
        ("unit", Arg::Unit(limit.unit)),
    ];
    let (detail, id) = if limit.unit == Unit::Hashtags {
        let written = block.instagram.as_ref().map_or(0, |i| hashtags_in(&i.caption).len());
        said.push(("written", Arg::Number(written)));
        said.push(("appended", Arg::Number(count - written)));
        let detail = format!(
            " ({written} in the caption, {} appended from the brief's hashtags)",
            count - written
        );
        (detail, "problem-limit-hashtags")
    } else if let Some(v) = &limit.via {
        said.push(("via", self::text(v.clone())));
        (String::new(), "problem-limit-via")
    } else {
        (String::new(), "problem-limit")
    };
    let rule = format!(
        "{} {}{detail}, the limit{via} is {}",
        group_digits(count, ","),
        limit.unit.name(count),
        group_digits(max, ",")
    );
    Some((rule, words(id, said)))
}

fn check_source(source: &str) -> Result<(), (String, Words)> {
    if source.trim().is_empty() {
        return Err((
            "is required: every fact cites its source".into(),
            words("problem-fact-source", vec![]),
        ));
    }
    match url::Url::parse(source.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => Ok(()),
        Ok(url) => Err((
            format!(
                "`{source}` is a {} address; a source must be an http(s) link",
                url.scheme()
            ),
            words(
                "problem-source-scheme",
                vec![("source", text(source)), ("scheme", text(url.scheme()))],
            ),
        )),
        Err(e) => Err((
            format!("`{source}` is not a link ({e}); a source must be an http(s) link"),
            words("problem-source-link", vec![("source", text(source))]),
        )),
    }
}

fn texts(block: &LanguageBlock) -> Vec<(String, &str)> {
    let mut out: Vec<(String, &str)> = vec![("title".into(), &block.title), ("summary".into(), &block.summary)];
    let lists = [
        ("key_messages", &block.key_messages),
        ("do", &block.dos),
        ("dont", &block.dont),
    ];
    for (name, list) in lists {
        out.extend(
            list.iter()
                .enumerate()
                .map(|(i, t)| (format!("{name}[{i}]"), t.as_str())),
        );
    }
    out.extend(
        block
            .facts
            .iter()
            .enumerate()
            .map(|(i, f)| (format!("facts[{i}].text"), f.text.as_str())),
    );
    if let Some(i) = &block.instagram {
        out.push(("instagram.caption".into(), &i.caption));
    }
    if let Some(t) = &block.tiktok {
        out.push(("tiktok.script".into(), &t.script));
    }
    if let Some(y) = &block.youtube {
        out.push(("youtube.title".into(), &y.title));
        out.extend(
            y.talking_points
                .iter()
                .enumerate()
                .map(|(i, t)| (format!("youtube.talking_points[{i}]"), t.as_str())),
        );
        if let Some(d) = &y.description {
            out.push(("youtube.description".into(), d));
        }
    }
    if let Some(x) = &block.x {
        out.push(("x.post".into(), &x.post));
    }
    out
}
