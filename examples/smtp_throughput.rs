//! Throughput of the SMTP transport into Postfix `smtp-sink` on loopback, beside Postfix's own
//! `smtp-source` at the same size, count and number of sessions, for the README's figures:
//!
//! `cargo run --release --example smtp_throughput -- smtp://127.0.0.1:PORT?pool=4 20000 2048`
//!
//! (URL, messages, approximate message size in bytes). `pool=N` is both the number of sessions
//! and the number of sends in flight, as N dispatcher workers would have. Only loopback
//! addresses are accepted and the count is capped: this is a load generator.

use std::net::IpAddr;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, bail};
use briefcast::audience::EmailAddress;
use briefcast::dispatch::message::{Letter, Letterhead, OutgoingMessage, Part};
use briefcast::dispatch::transport::{SmtpOptions, SmtpTransport, Transport};
use briefcast::ids::{DeliveryId, EditionId};
use briefcast::language::Language;
use briefcast::token::TokenKey;
use rand::SeedableRng;
use rand::rngs::StdRng;

const MAX_MESSAGES: usize = 200_000;
const SMTP_SOURCE: &str = "/usr/sbin/smtp-source";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let url = args.get(1).map_or("smtp://127.0.0.1:2525?pool=4", String::as_str);
    let count: usize = args.get(2).map_or(Ok(10_000), |s| s.parse())?;
    let size: usize = args.get(3).map_or(Ok(2048), |s| s.parse())?;
    if count == 0 || count > MAX_MESSAGES {
        bail!("messages must be between 1 and {MAX_MESSAGES}");
    }
    let parsed = url::Url::parse(url).context("the first argument is an smtp:// URL")?;
    let host = parsed.host_str().unwrap_or("").trim_matches(['[', ']']);
    if !host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()) {
        bail!("only a loopback address (127.0.0.1 or [::1]) may be load-tested, not `{host}`");
    }
    let port = parsed.port().context("the URL needs the sink's port")?;
    let sessions: usize = parsed
        .query_pairs()
        .find(|(k, _)| k == "pool")
        .map_or(Ok(SmtpOptions::default().pool_size as usize), |(_, v)| v.parse())?;

    let started = Instant::now();
    let messages = compose(count, size)?;
    let composing = started.elapsed();
    let average = messages.iter().map(|m| m.bytes.len()).sum::<usize>() / messages.len();
    println!(
        "composed {count} messages of about {average} bytes in {:.2} s: {:.0} msg/s on one core",
        composing.as_secs_f64(),
        count as f64 / composing.as_secs_f64()
    );

    let smtp = Arc::new(SmtpTransport::from_url(url, SmtpOptions::default())?);
    let messages = Arc::new(messages);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    // One task per session, each taking the next message when its previous one is answered.
    let workers: Vec<_> = (0..sessions)
        .map(|_| {
            let (smtp, messages, next) = (smtp.clone(), messages.clone(), next.clone());
            tokio::spawn(async move {
                let mut failures = 0usize;
                while let Some(m) = messages.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if let Err(e) = smtp.send(m).await {
                        if failures == 0 {
                            eprintln!("first failure: {e}");
                        }
                        failures += 1;
                    }
                }
                failures
            })
        })
        .collect();
    let mut failures = 0;
    for worker in workers {
        failures += worker.await?;
    }
    let ours = count as f64 / started.elapsed().as_secs_f64();
    println!("briefcast   {sessions} session(s): {ours:>7.0} msg/s, {failures} failed");

    if std::path::Path::new(SMTP_SOURCE).exists() {
        let started = Instant::now();
        let status = Command::new(SMTP_SOURCE)
            .args(["-d", "-s", &sessions.to_string(), "-l", &average.to_string()])
            .args(["-m", &count.to_string()])
            .args(["-f", "from@example.test", "-t", "to@example.test"])
            .arg(format!("{host}:{port}"))
            .status()
            .context("running smtp-source")?;
        let theirs = count as f64 / started.elapsed().as_secs_f64();
        if !status.success() {
            bail!("smtp-source failed: {status}");
        }
        println!("smtp-source {sessions} session(s): {theirs:>7.0} msg/s");
        println!("ratio briefcast / smtp-source: {:.2}", ours / theirs);
    }
    Ok(())
}

/// Messages of about `size` bytes each, one per recipient, as an edition would have.
fn compose(count: usize, size: usize) -> anyhow::Result<Vec<OutgoingMessage>> {
    let letterhead = Letterhead::new(
        "Koronafaktat <news@vnk.example.fi>",
        "reply.example.fi",
        "https://briefcast.example.fi",
        TokenKey::new("0123456789abcdef0123456789abcdef-bench"),
        None,
    )?;
    let mut rng = StdRng::seed_from_u64(1);
    // The encoded size grows linearly with the filler (both parts, quoted-printable): measure
    // two lengths and solve for the one that makes the whole message about `size` bytes.
    let mut one = |repeats: usize, i: i64| {
        let filler = "Faktat ja lähteet. ".repeat(repeats);
        compose_one(&letterhead, &filler, i, &mut rng)
    };
    let (small, large) = (one(1, 0)?.bytes.len(), one(101, 0)?.bytes.len());
    let per_repeat = (large - small) as f64 / 100.0;
    let repeats = 1 + (size.saturating_sub(small) as f64 / per_repeat).round() as usize;
    (1..=count as i64).map(|i| one(repeats, i)).collect()
}

fn compose_one(
    letterhead: &Letterhead,
    filler: &str,
    delivery_id: i64,
    rng: &mut StdRng,
) -> anyhow::Result<OutgoingMessage> {
    let to = EmailAddress::parse(&format!("reader{delivery_id}@example.fi"))?;
    let html = format!("<p>{filler}</p>");
    let letter = Letter {
        edition_id: EditionId(1),
        delivery_id: DeliveryId(delivery_id),
        to: &to,
        to_name: None,
        language: Language::Fi,
        subject: "Päivän faktat",
        text: Part::Text(filler),
        html: Part::Text(&html),
        list_name: "Daily (fi)",
        list_id: "daily.fi.news.example.fi",
    };
    Ok(letterhead.compose(&letter, chrono::Utc::now(), rng)?)
}
