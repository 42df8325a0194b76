//! Measures pack rendering: an edition of five briefs composed in all three languages, then
//! personalised for 100,000 recipients. Run with `cargo bench --bench render`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use briefcast::brief::Brief;
use briefcast::config::MissingLanguage;
use briefcast::language::Language;
use briefcast::pack::{Content, Edition, LanguagePolicy, Recipient, compose_all};
use chrono::{DateTime, Utc};

const RECIPIENTS: usize = 100_000;
const EDITION_ROUNDS: u32 = 200;

fn briefs() -> Vec<Brief> {
    let storm = Brief::from_toml(include_str!("../tests/fixtures/briefs/storm-72h.toml")).expect("storm fixture");
    let boil = Brief::from_toml(include_str!("../tests/fixtures/briefs/boil-water-urgent.toml")).expect("boil fixture");
    let mut all = vec![storm.clone(), boil];
    for n in 2..5 {
        let mut variant = storm.clone();
        variant.meta.slug = format!("storm-72h-part-{n}");
        for language in Language::ALL {
            if let Some(block) = variant.block_mut(language) {
                block.title = format!("{} ({n}/5)", block.title);
            }
        }
        all.push(variant);
    }
    all
}

fn per(total: Duration, count: u32) -> String {
    format!("{:.1} µs", total.as_secs_f64() * 1e6 / f64::from(count))
}

fn main() {
    let content = Content::embedded();
    let briefs = briefs();
    let date: DateTime<Utc> = "2026-11-23T06:00:00Z".parse().expect("date");
    let edition = Edition {
        briefs: briefs.iter().map(Into::into).collect(),
        date,
        platforms: Default::default(),
        questions_received: Some(42),
        you_asked: Vec::new(),
    };
    let policy = LanguagePolicy {
        missing: MissingLanguage::Fallback,
        fallback: Language::Fi,
    };

    // Warm up so the first-call costs (Fluent's plural rules, allocations) are not measured.
    let composed = compose_all(&content, &edition, policy).expect("edition renders");
    let started = Instant::now();
    for _ in 0..EDITION_ROUNDS {
        black_box(compose_all(&content, black_box(&edition), policy).expect("edition renders"));
    }
    let edition_time = started.elapsed();
    println!(
        "edition of {} briefs, composed in fi, sv and en: {} per edition (mean of {EDITION_ROUNDS})",
        briefs.len(),
        per(edition_time, EDITION_ROUNDS) // all three languages per round
    );

    let recipients: Vec<Recipient> = (0..RECIPIENTS)
        .map(|i| Recipient {
            name: format!("Vaikuttaja {i} <&>"),
            unsubscribe_url: format!("https://briefcast.example.fi/u/{i:08x}?sig=0123456789abcdef&lang=fi"),
            preferences_url: format!("https://briefcast.example.fi/p/{i:08x}?sig=0123456789abcdef"),
            reply_address: format!("questions+{i:08x}@reply.example.fi"),
        })
        .collect();
    let started = Instant::now();
    let mut bytes = 0usize;
    for (i, recipient) in recipients.iter().enumerate() {
        let message = composed[i % 3].personalise(black_box(recipient));
        bytes += message.html.len() + message.text.len();
        black_box(message);
    }
    let personalise_time = started.elapsed();
    println!(
        "personalised {RECIPIENTS} messages in {:.1} ms: {} per message ({:.1} KiB each on average)",
        personalise_time.as_secs_f64() * 1e3,
        per(personalise_time, RECIPIENTS as u32),
        bytes as f64 / RECIPIENTS as f64 / 1024.0
    );
}
