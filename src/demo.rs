//! `serve --demo`: a fresh deployment seeded with the whole loop, so a newcomer sees it work on
//! the embedded defaults: the sample roster, one segment and schedule per cadence, the storm
//! brief approved, an edition per cadence sent into the outbox at once, and the sample replies
//! coming back into the question log once those messages are out.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, TimeDelta, Utc};
use tokio_util::sync::CancellationToken;

use crate::access::{Actor, Caller, Role};
use crate::audience::EmailAddress;
use crate::audience::{Segment, SegmentFilter};
use crate::brief::{Brief, BriefFormat};
use crate::cadence::Cadence;
use crate::clock::Clock;
use crate::edition::DeliveryStatus;
use crate::ids::DeliveryId;
use crate::intake::{self, ReplyTokens};
use crate::language::Language;
use crate::pack::Content;
use crate::schedule::Fired;
use crate::schedule::{NewSchedule, Schedule};
use crate::service::accounts::{self as accounts_service, AccountRequest};
use crate::service::briefs;
use crate::store::{DeliveryQuery, InfluencerQuery, Store};
use crate::token::{Purpose, TokenKey};

/// The sample roster, embedded so that the demo works wherever the binary runs.
pub const SAMPLE_ROSTER: &[u8] = include_bytes!("../content/demo/influencers.csv");
const STORM: &str = include_str!("../content/demo/storm-72h.toml");
const WIND_ALERT: &str = include_str!("../content/demo/cap/01-wind-alert.xml");

/// The reader whose post the demo reports from her page.
const SELF_REPORTED: &str = "noora.salo@example.com";

/// The sample replies, each from the reader whose delivery it answers.
const REPLIES: [(&str, &str, Purpose); 7] = [
    (
        "aino.virtanen@example.com",
        include_str!("../content/demo/replies/01-plain-fi-quoted.eml"),
        Purpose::Reply,
    ),
    (
        "sara.oberg@example.com",
        include_str!("../content/demo/replies/02-outlook-sv-html.eml"),
        Purpose::Reply,
    ),
    (
        "jukka.aijala@example.net",
        include_str!("../content/demo/replies/03-autoreply-fi-header.eml"),
        Purpose::Reply,
    ),
    (
        "kalle.lindqvist@example.com",
        include_str!("../content/demo/replies/04-autoreply-sv-noheader.eml"),
        Purpose::Reply,
    ),
    (
        "priya.nair@example.org",
        include_str!("../content/demo/replies/05-bounce-dsn.eml"),
        Purpose::Bounce,
    ),
    // Replies that report posts: counted for the report's page, never shown as questions.
    (
        "ville.korhonen@example.com",
        include_str!("../content/demo/replies/06-post-link-fi.eml"),
        Purpose::Reply,
    ),
    (
        "ines.garcia@example.com",
        include_str!("../content/demo/replies/07-post-link-en.eml"),
        Purpose::Reply,
    ),
];

/// Seeds what a first start lacks; a deployment that already has a roster is left alone.
/// Returns whether it seeded, so the caller knows to replay the sample replies.
pub async fn seed(store: &dyn Store, content: &Content, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let empty = store
        .list_influencers(&InfluencerQuery {
            limit: Some(1),
            ..Default::default()
        })
        .await?
        .is_empty();
    if !empty {
        return Ok(false);
    }
    let coordinator = Actor("demo:coordinator".into());
    let report = crate::service::audience::store_roster(store, SAMPLE_ROSTER, &coordinator, now).await?;
    tracing::info!(
        new = report.new,
        rejected = report.rejected.len(),
        "demo: sample roster imported (its rejected rows are deliberate examples of bad input)"
    );

    let mut schedules = Vec::new();
    for (cadence, cron) in [
        (Cadence::Daily, "0 9 * * *"),
        (Cadence::Weekly, "0 9 * * 1"),
        (Cadence::Monthly, "0 9 1 * *"),
    ] {
        let segment_name = format!("{cadence}-readers");
        let segment = Segment::new(
            &segment_name,
            SegmentFilter {
                cadences: vec![cadence],
                ..Default::default()
            },
        )?;
        store.add_segment(&segment, &coordinator, now).await?;
        let schedule = Schedule::new(NewSchedule {
            name: cadence.to_string(),
            cron: cron.into(),
            time_zone: None,
            cadence,
            segment: segment_name,
        })?;
        schedules.push(store.add_schedule(&schedule, &coordinator, now).await?);
    }

    // The storm brief as a ministry would send it today: out of embargo now, valid for a week,
    // for every cadence so that each demo edition carries it.
    let mut brief = Brief::from_toml(STORM).context("the demo brief")?;
    brief.meta.embargo = Some((now - TimeDelta::minutes(1)).fixed_offset());
    brief.meta.expires = Some((now + TimeDelta::days(7)).fixed_offset());
    brief.meta.cadences = Cadence::ALL.to_vec();
    let stored = store.insert_brief(&brief, None, &coordinator, now).await?;
    let approver = Caller {
        actor: Actor("demo:approver".into()),
        role: Role::Approver,
    };
    briefs::approve(store, content, stored.id, None, &approver, true, now).await?;

    for schedule in &schedules {
        match store.fire_run(schedule.id, now, now).await? {
            Fired::Edition {
                edition, recipients, ..
            } => {
                tracing::info!(schedule = schedule.schedule.name(), %edition, recipients, "demo: edition queued")
            }
            other => tracing::warn!(schedule = schedule.schedule.name(), ?other, "demo: no edition"),
        }
    }

    // A wind warning as the Finnish Meteorological Institute publishes it (CAP 1.2), drafted into
    // a brief for a coordinator to finish: its times moved to today, like the storm brief's.
    let mut alert = Brief::parse(WIND_ALERT, BriefFormat::Cap).context("the demo CAP alert")?;
    alert.meta.embargo = Some((now - TimeDelta::minutes(1)).fixed_offset());
    alert.meta.expires = Some((now + TimeDelta::days(2)).fixed_offset());
    store.insert_brief(&alert, None, &coordinator, now).await?;
    Ok(true)
}

/// A console account the demo makes, with the password it was given this time.
pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Role,
    pub password: String,
}

/// One coordinator and one approver, so that a newcomer can take a brief through the two-person
/// rule in the console. Each start gives them new passwords, printed once: a demo left running
/// keeps no password that was shown on an earlier day.
pub async fn accounts(store: &dyn Store, now: DateTime<Utc>) -> anyhow::Result<Vec<DemoAccount>> {
    let people = [
        (
            "coordinator@example.fi",
            "Kaisa Koordinaattori",
            Role::Coordinator,
            Language::En,
        ),
        ("approver@example.fi", "Hanna Hyväksyjä", Role::Approver, Language::Fi),
    ];
    let caller = Caller {
        actor: Actor("demo".into()),
        role: Role::Approver,
    };
    let mut made = Vec::new();
    for (email, name, role, language) in people {
        let password = demo_password();
        let exists = store.account(&EmailAddress::parse(email)?).await?.is_some();
        if exists {
            accounts_service::reset_password(store, &caller, email, &password, now).await?;
        } else {
            let request = AccountRequest {
                email,
                name,
                role,
                language,
                password: &password,
            };
            accounts_service::add(store, &caller, request, now).await?;
        }
        made.push(DemoAccount {
            email,
            name,
            role,
            password,
        });
    }
    Ok(made)
}

/// Sixteen letters and digits in groups of four, none that reads as another (no i, l, o, 0, 1):
/// easy to copy or type, about 79 bits of chance.
fn demo_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Once the demo editions are out, feeds the sample replies through the inbound path as if
/// they had been mailed back: questions, auto-replies and a bounce, each tied to its delivery.
pub async fn replay_replies(
    store: &dyn Store,
    tokens: &TokenKey,
    verifier: &dyn ReplyTokens,
    clock: &dyn Clock,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    let sent = loop {
        let sent = sent_deliveries(store).await?;
        let waited = REPLIES.iter().map(|(email, _, _)| *email).chain([SELF_REPORTED]);
        if waited.into_iter().all(|email| sent.contains_key(email)) {
            break sent;
        }
        if tokio::time::Instant::now() > deadline {
            anyhow::bail!("the demo editions were not sent within two minutes; no sample replies replayed");
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(500)) => {}
            () = shutdown.cancelled() => return Ok(()),
        }
    };
    for (email, raw, purpose) in REPLIES {
        let (delivery, message_id) = &sent[email];
        let raw = raw
            .replace("{{TOKEN}}", &tokens.sign(purpose, *delivery))
            .replace("{{MESSAGE_ID}}", &format!("<{message_id}>"));
        let received = intake::receive(store, verifier, "webhook", None, raw.as_bytes(), clock.now()).await?;
        tracing::info!(from = email, kind = ?received.reply.kind, "demo: sample reply received");
    }
    // And one reported from the reader's page, with the views Noora's app shows her.
    if let Some(noora) = store.influencer(&EmailAddress::parse(SELF_REPORTED)?).await?
        && let Some(brief) = store.briefs_sent_to(noora.id).await?.first()
    {
        let form = crate::service::reach::PostForm {
            brief: brief.0.to_string(),
            platform: "tiktok".into(),
            url: "https://www.tiktok.com/@noorasalo/video/7441355500099988877".into(),
            views: "48 200".into(),
        };
        if let Err(error) = crate::service::reach::report_post(store, &noora, &form, clock.now()).await {
            tracing::warn!(%error, "demo: the sample post report was refused");
        }
    }
    Ok(())
}

/// Address → (delivery id, Message-ID) of every sent delivery of the demo editions.
async fn sent_deliveries(store: &dyn Store) -> anyhow::Result<HashMap<String, (DeliveryId, String)>> {
    let query = DeliveryQuery {
        status: Some(DeliveryStatus::Sent),
        limit: 1000,
        ..Default::default()
    };
    Ok(store
        .deliveries(&query)
        .await?
        .into_iter()
        .filter_map(|d| Some((d.email?, (d.id, d.message_id?))))
        .collect())
}
