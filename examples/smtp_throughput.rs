//! Rough throughput of the SMTP transport, for the numbers in the README, not a test:
//! `cargo run --release --example smtp_throughput -- smtp://127.0.0.1:PORT?pool=4 20000 2048`
//! (URL, messages, approximate message size in bytes). Point it at `smtp-sink`.

use std::time::Instant;

use briefcast::audience::EmailAddress;
use briefcast::dispatch::message::{Letter, Letterhead};
use briefcast::dispatch::transport::{SmtpOptions, SmtpTransport, Transport};
use briefcast::language::Language;
use briefcast::token::TokenKey;
use futures::StreamExt;
use rand::SeedableRng;
use rand::rngs::StdRng;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let url = args.get(1).map_or("smtp://127.0.0.1:2525?pool=4", String::as_str);
    let count: i64 = args.get(2).map_or(Ok(10_000), |s| s.parse())?;
    let size: usize = args.get(3).map_or(Ok(2048), |s| s.parse())?;
    let smtp = SmtpTransport::from_url(url, SmtpOptions::default())?;
    let letterhead = Letterhead::new(
        "Koronafaktat <news@vnk.example.fi>",
        "reply.example.fi",
        "https://briefcast.example.fi",
        TokenKey::new("0123456789abcdef0123456789abcdef-bench"),
        None,
    )?;
    // Body text sized so that the whole message (headers, text and HTML parts) is about `size`.
    let filler = "Faktat ja lähteet. ".repeat(size.saturating_sub(1200) / 2 / 20 + 1);
    let html = format!("<p>{filler}</p>");
    let mut rng = StdRng::seed_from_u64(1);
    let mut messages = Vec::with_capacity(count as usize);
    for i in 1..=count {
        let to = EmailAddress::parse(&format!("reader{i}@example.fi"))?;
        let letter = Letter {
            edition_id: 1,
            delivery_id: i,
            to: &to,
            to_name: None,
            language: Language::Fi,
            subject: "Päivän faktat",
            text: &filler,
            html: &html,
            list_name: "Daily (fi)",
            list_id: "daily.fi.news.example.fi",
        };
        messages.push(letterhead.compose(&letter, chrono::Utc::now(), &mut rng)?);
    }
    let average = messages.iter().map(|m| m.bytes.len()).sum::<usize>() / messages.len().max(1);

    let started = Instant::now();
    // More sends in flight than pooled connections, so no connection waits on our side.
    let failures = futures::stream::iter(&messages)
        .map(|m| smtp.send(m))
        .buffer_unordered(16)
        .filter(|r| std::future::ready(r.is_err()))
        .count()
        .await;
    let elapsed = started.elapsed();
    println!(
        "{count} messages of about {average} bytes in {:.2} s: {:.0} msg/s, {failures} failed",
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64()
    );
    Ok(())
}
