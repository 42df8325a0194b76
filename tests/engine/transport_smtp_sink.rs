//! Against a real Postfix `smtp-sink`, when `.ci/run` provides one:
//! `BRIEFCAST_TEST_SMTP_URL=smtp://127.0.0.1:PORT` and, when the sink dumps messages with
//! `-d DIR/%M.`, `BRIEFCAST_TEST_SMTP_SINK_DIR=DIR`. Unset: skipped. Set: must pass, so an
//! unreachable sink fails the run instead of hiding.

use crate::common;

use std::time::{Duration, Instant};

use briefcast::audience::EmailAddress;
use briefcast::dispatch::message::{Letter, Letterhead, Part};
use briefcast::dispatch::transport::{SmtpOptions, SmtpTransport, Transport};
use briefcast::language::Language;
use briefcast::token::TokenKey;
use rand::SeedableRng;
use rand::rngs::StdRng;

#[tokio::test]
async fn messages_reach_a_real_smtp_sink() {
    let Some(url) = common::service("BRIEFCAST_TEST_SMTP_URL") else {
        return;
    };
    let smtp = SmtpTransport::from_url(&url, SmtpOptions::default()).expect("BRIEFCAST_TEST_SMTP_URL is usable");
    let letterhead = Letterhead::new(
        "Koronafaktat <news@vnk.example.fi>",
        "reply.example.fi",
        "https://briefcast.example.fi",
        TokenKey::new("0123456789abcdef0123456789abcdef-test"),
        None,
    )
    .unwrap();
    let mut rng = StdRng::seed_from_u64(2026);
    let run = rand::RngExt::random::<u32>(&mut rand::rng());
    let mut sent = Vec::new();
    for i in 1..=20 {
        let to = EmailAddress::parse(&format!("reader{i}@example.fi")).unwrap();
        let letter = Letter {
            edition_id: briefcast::ids::EditionId(i64::from(run)),
            delivery_id: briefcast::ids::DeliveryId(i),
            to: &to,
            to_name: None,
            language: Language::Sv,
            subject: "Veckans fakta",
            text: Part::Text("Hej!\n"),
            html: Part::Text("<p>Hej!</p>"),
            list_name: "Weekly (sv)",
            list_id: "weekly.sv.news.example.fi",
        };
        let message = letterhead.compose(&letter, chrono::Utc::now(), &mut rng).unwrap();
        let receipt = smtp.send(&message).await.expect("smtp-sink accepts the message");
        assert!(receipt.response.starts_with("250"), "{receipt:?}");
        sent.push(message);
    }

    let Some(dir) = common::service("BRIEFCAST_TEST_SMTP_SINK_DIR") else {
        return;
    };
    // The sink writes its dump after answering; wait for the files, with a deadline.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let dumps: Vec<String> = std::fs::read_dir(&dir)
            .expect("BRIEFCAST_TEST_SMTP_SINK_DIR is readable")
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .collect();
        let missing: Vec<&str> = sent
            .iter()
            .filter(|m| {
                let id = format!("<{}>", m.message_id);
                dumps.iter().filter(|d| d.contains(&id)).count() != 1
            })
            .map(|m| m.message_id.as_str())
            .collect();
        if missing.is_empty() {
            for m in &sent {
                let id = format!("<{}>", m.message_id);
                let dump = dumps.iter().find(|d| d.contains(&id)).unwrap();
                assert!(
                    dump.contains(&format!("X-Rcpt-Args: <{}>\n", m.envelope.rcpt_to)),
                    "{dump}"
                );
                assert!(
                    dump.contains(&format!("X-Mail-Args: <{}>\n", m.envelope.mail_from)),
                    "{dump}"
                );
            }
            return;
        }
        assert!(Instant::now() < deadline, "not in {dir} exactly once: {missing:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
