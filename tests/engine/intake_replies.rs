//! Intake end to end on every backend: the fixture replies against a real stored delivery.

use crate::common;
use crate::common::intake_seed;

use briefcast::audience::EmailAddress;
use briefcast::ids::DeliveryId;
use briefcast::inbound::ReplyClass;
use briefcast::inbound::imap::{Cursor, Fetched};
use briefcast::intake::{self, NoTokens, content_ref};
use briefcast::questions::QuestionStatus;
use briefcast::store::{NewReply, QuestionQuery, SuppressionReason};
use common::{actor, now};
use intake_seed::{FIXTURE_MESSAGE_ID, Seedable, fixture, fixture_replies, fixture_tokens, sqlite_seedable};

fn email(raw: &str) -> EmailAddress {
    EmailAddress::parse(raw).unwrap()
}

async fn post(db: &Seedable, delivery: DeliveryId, raw: &[u8]) -> intake::Received {
    intake::receive(
        db.store(),
        &fixture_tokens(delivery),
        "webhook",
        Some(content_ref(raw)),
        raw,
        now(),
    )
    .await
    .unwrap()
}

each_backend! {
    seeded
    async fn every_fixture_reply_lands_where_its_kind_says(db) {
        let seeded = db.seed_edition().await;
        let mut expected_questions = Vec::new();
        for (name, raw, expected) in fixture_replies() {
            let received = post(&db, seeded.delivery, &raw).await;
            let reply = &received.reply;
            assert!(received.new, "{} {name}", db.backend.name);
            assert!(reply.processed_at.is_some(), "{} {name}", db.backend.name);
            let kind = expected["kind"]["kind"].as_str().unwrap();
            let want = match (name.as_str(), kind) {
                // Neither token, Message-ID nor a known sender: kept unlinked for a coordinator.
                ("16-no-token-sender-only", _) => ReplyClass::Unmatched,
                (_, "question") => ReplyClass::Question,
                (_, "auto_reply") => ReplyClass::AutoReply,
                (_, "bounce") => ReplyClass::Bounce,
                (_, "complaint") => ReplyClass::Complaint,
                (_, "unsubscribe") => ReplyClass::Unsubscribe,
                (_, other) => panic!("{name}: unknown kind {other}"),
            };
            assert_eq!(reply.kind, Some(want), "{} {name}: {:?}", db.backend.name, reply.note);
            if kind == "question" {
                assert!(reply.question_id.is_some(), "{name} logged as a question");
                expected_questions.push((
                    name.clone(),
                    reply.question_id.unwrap(),
                    expected["kind"]["text"].clone(),
                ));
            } else {
                assert_eq!(
                    reply.question_id, None,
                    "{} {name} must never be a question",
                    db.backend.name
                );
            }
            if name != "16-no-token-sender-only" {
                assert_eq!(reply.delivery_id, Some(seeded.delivery), "{name}: {:?}", reply.note);
            }
        }

        let store = db.store();
        let logged = store.questions(&QuestionQuery::default()).await.unwrap();
        assert_eq!(logged.len(), expected_questions.len(), "{}", db.backend.name);
        for (name, id, text) in &expected_questions {
            let q = store.question(*id).await.unwrap().unwrap();
            assert_eq!(q.text, text.as_str().unwrap(), "{name}: cleaned text");
            assert_eq!(q.status, QuestionStatus::New);
            if name.starts_with("16-") {
                assert_eq!(
                    (q.influencer_id, q.edition_id, q.brief_id),
                    (None, None, None),
                    "{name}"
                );
                assert_eq!(q.language, None, "{name}: no Content-Language, no delivery");
            } else {
                assert_eq!(q.influencer_email.as_deref(), Some("priya.nair@example.org"), "{name}");
                assert_eq!(q.edition_id, Some(seeded.edition), "{name}");
                // Replies are in the reader's delivery language whatever their headers say.
                assert_eq!(q.language.map(|l| l.code()), Some("en"), "{name}");
                // The subject names the storm brief, not the edition's lead story; "Peru tilaus"
                // names none, so the question goes with the lead story.
                let brief = if name.starts_with("19-") {
                    seeded.lead_brief
                } else {
                    seeded.storm_brief
                };
                assert_eq!(q.brief_id, Some(brief), "{name}");
            }
        }
        assert!(
            logged
                .iter()
                .all(|q| !q.text.contains("Automaattinen") && !q.text.contains("out of the office")),
            "auto-replies never reach the log"
        );

        // The permanent bounce for priya's delivery: marked bounced and suppressed; the later
        // complaint and unsubscribe do not overwrite the first reason.
        assert_eq!(
            store.suppression(&email("priya.nair@example.org")).await.unwrap(),
            Some(SuppressionReason::Bounced)
        );
        let (status, events) = db.delivery_history(seeded.delivery).await;
        assert_eq!(status, "bounced");
        assert!(events.contains(&"bounced".to_string()), "{events:?}");
        assert!(events.contains(&"transient_bounce".to_string()), "{events:?}");
        // Reports never suppress the addresses they mention: only the delivery's.
        for other in [
            "joonas.koski@example.net",
            "sanna.mattila@example.com",
            "jukka.aijala@example.net",
        ] {
            assert_eq!(store.suppression(&email(other)).await.unwrap(), None, "{other}");
        }
    }
}

each_backend! {
    seeded
    async fn a_transient_bounce_is_only_noted(db) {
        let seeded = db.seed_edition().await;
        let reply = post(&db, seeded.delivery, &fixture("14-dsn-transient-4xx")).await.reply;
        assert_eq!(reply.kind, Some(ReplyClass::Bounce));
        assert_eq!(
            db.store().suppression(&email("priya.nair@example.org")).await.unwrap(),
            None
        );
        let (status, events) = db.delivery_history(seeded.delivery).await;
        assert_eq!(
            (status.as_str(), events),
            ("sent", vec!["transient_bounce".to_string()])
        );
    }
}

each_backend! {
    seeded
    /// The next edition's audience is a segment; suppressed addresses are never members.
    async fn a_complaint_suppresses_the_address_as_complained(db) {
        let english = briefcast::audience::SegmentFilter {
            languages: vec![briefcast::language::Language::En],
            ..Default::default()
        };
        let seeded = db.seed_edition().await;
        let before = db.store().count_members(&english).await.unwrap();
        post(&db, seeded.delivery, &fixture("13-arf-complaint")).await;
        assert_eq!(
            db.store().suppression(&email("priya.nair@example.org")).await.unwrap(),
            Some(SuppressionReason::Complained)
        );
        assert_eq!(
            db.store().count_members(&english).await.unwrap(),
            before - 1,
            "the next edition skips her"
        );
    }

    async fn an_unsubscribe_by_mail_suppresses_the_address_as_unsubscribed(db) {
        let seeded = db.seed_edition().await;
        post(&db, seeded.delivery, &fixture("17-unsubscribe-mailbox")).await;
        assert_eq!(
            db.store().suppression(&email("priya.nair@example.org")).await.unwrap(),
            Some(SuppressionReason::Unsubscribed)
        );
        let (status, events) = db.delivery_history(seeded.delivery).await;
        assert_eq!((status.as_str(), events), ("sent", vec!["unsubscribed".to_string()]));
    }
}

each_backend! {
    seeded
    async fn a_bounce_without_a_token_or_message_id_of_ours_suppresses_nobody(db) {
        db.seed_edition().await;
        let forged = String::from_utf8(fixture("05-bounce-dsn"))
            .unwrap()
            .replace(FIXTURE_MESSAGE_ID, "someone-else@example.org");
        // No verifier knows the token and the Message-ID is not ours.
        let received = intake::receive(db.store(), &NoTokens, "webhook", None, forged.as_bytes(), now())
            .await
            .unwrap();
        assert_eq!(received.reply.kind, Some(ReplyClass::Bounce));
        assert_eq!(
            db.store().suppression(&email("priya.nair@example.org")).await.unwrap(),
            None
        );
        assert!(received.reply.note.unwrap().contains("not acted on"));
    }
}

each_backend! {
    seeded
    async fn the_same_imap_message_is_processed_once(db) {
        let seeded = db.seed_edition().await;
        let tokens = fixture_tokens(seeded.delivery);
        let fetched = Fetched {
            raw: fixture("01-plain-fi-quoted"),
            cursor: Cursor {
                uid_validity: 7,
                last_uid: 3,
            },
        };
        let first = intake::receive_fetched(db.store(), &tokens, "INBOX", &fetched, now())
            .await
            .unwrap();
        let again = intake::receive_fetched(db.store(), &tokens, "INBOX", &fetched, now())
            .await
            .unwrap();
        assert!(first.new && !again.new);
        assert_eq!(first.reply.id, again.reply.id);
        assert_eq!(first.reply.channel_ref.as_deref(), Some("INBOX/7/3"));
        // The mailbox renumbered (new UIDVALIDITY): the same bytes are still the same reply.
        let renumbered = Fetched {
            raw: fetched.raw.clone(),
            cursor: Cursor {
                uid_validity: 8,
                last_uid: 1,
            },
        };
        let third = intake::receive_fetched(db.store(), &tokens, "INBOX", &renumbered, now())
            .await
            .unwrap();
        assert!(!third.new);
        assert_eq!(third.reply.id, first.reply.id);
        assert_eq!(db.store().questions(&QuestionQuery::default()).await.unwrap().len(), 1);
        assert_eq!(
            db.store().imap_cursor("INBOX").await.unwrap(),
            Some(Cursor {
                uid_validity: 8,
                last_uid: 1
            })
        );
        // The cursor never moves back within one UIDVALIDITY.
        let older = Fetched {
            raw: fixture("12-android-fi-signature"),
            cursor: Cursor {
                uid_validity: 8,
                last_uid: 0,
            },
        };
        intake::receive_fetched(db.store(), &tokens, "INBOX", &older, now())
            .await
            .unwrap();
        assert_eq!(
            db.store().imap_cursor("INBOX").await.unwrap(),
            Some(Cursor {
                uid_validity: 8,
                last_uid: 1
            })
        );
    }
}

each_backend! {
    seeded
    async fn a_reply_stored_before_a_crash_is_processed_at_start(db) {
        let seeded = db.seed_edition().await;
        let raw = fixture("07-outlook-fi-header-block");
        // The crash: stored, never processed.
        let (id, _) = db
            .store()
            .store_reply(&NewReply {
                channel: "webhook",
                channel_ref: Some(content_ref(&raw)),
                raw: &raw,
                from_address: None,
                message_id: None,
                received_at: now(),
            })
            .await
            .unwrap();
        assert_eq!(db.store().reply(id).await.unwrap().unwrap().processed_at, None);
        let tokens = fixture_tokens(seeded.delivery);
        assert_eq!(intake::process_pending(db.store(), &tokens, now()).await.unwrap(), 1);
        assert_eq!(intake::process_pending(db.store(), &tokens, now()).await.unwrap(), 0);
        let reply = db.store().reply(id).await.unwrap().unwrap();
        assert_eq!(reply.kind, Some(ReplyClass::Question));
        let question = db
            .store()
            .question(reply.question_id.unwrap())
            .await
            .unwrap()
            .unwrap();
        assert!(question.text.starts_with("Moi,"), "{}", question.text);
        // Posting the same bytes again now changes nothing.
        let again = post(&db, seeded.delivery, &raw).await;
        assert!(!again.new);
        assert_eq!(db.store().questions(&QuestionQuery::default()).await.unwrap().len(), 1);
    }
}

each_backend! {
    seeded
    async fn unreadable_input_is_kept_and_said_to_be_unreadable(db) {
        let received = intake::receive(
            db.store(),
            &NoTokens,
            "webhook",
            None,
            b"\r\n\r\njust a body, no header fields",
            now(),
        )
        .await
        .unwrap();
        assert_eq!(received.reply.kind, Some(ReplyClass::Unmatched));
        assert!(received.reply.note.unwrap().starts_with("unreadable"));
        assert!(received.reply.has_raw);
        assert_eq!(received.reply.question_id, None);
    }
}

each_backend! {
    seeded
    async fn retention_deletes_old_raw_mail_and_anonymises_its_questions(db) {
        let seeded = db.seed_edition().await;
        let tokens = fixture_tokens(seeded.delivery);
        let old_raw = fixture("01-plain-fi-quoted");
        let old = intake::receive(
            db.store(),
            &tokens,
            "webhook",
            None,
            &old_raw,
            now() - chrono::Duration::days(200),
        )
        .await
        .unwrap()
        .reply;
        let recent = post(&db, seeded.delivery, &fixture("12-android-fi-signature"))
            .await
            .reply;
        let old_question = old.question_id.unwrap();
        db.store()
            .set_may_name(old_question, true, &actor(), now())
            .await
            .unwrap();

        let report = db
            .store()
            .purge_replies(now() - chrono::Duration::days(180), now())
            .await
            .unwrap();
        assert_eq!(
            (report.raw_deleted, report.questions_anonymised),
            (1, 1),
            "{}",
            db.backend.name
        );
        assert_eq!(db.store().reply_raw(old.id).await.unwrap(), None);
        let q = db.store().question(old_question).await.unwrap().unwrap();
        assert_eq!((q.influencer_id, q.may_name), (None, false));
        assert!(
            q.text.contains("käteistä"),
            "the question itself stays for the authorities"
        );
        // Newer replies keep everything.
        assert!(db.store().reply_raw(recent.id).await.unwrap().is_some());
        let kept = db
            .store()
            .question(recent.question_id.unwrap())
            .await
            .unwrap()
            .unwrap();
        assert!(kept.influencer_id.is_some());
        // A second run finds nothing left to do.
        let again = db
            .store()
            .purge_replies(now() - chrono::Duration::days(180), now())
            .await
            .unwrap();
        assert_eq!((again.raw_deleted, again.questions_anonymised), (0, 0));
    }
}

each_backend! {
    seeded
    async fn erasing_an_influencer_reaches_the_questions_intake_created(db) {
        let seeded = db.seed_edition().await;
        let reply = post(&db, seeded.delivery, &fixture("10-base64-en-dash-signature"))
            .await
            .reply;
        let question = reply.question_id.unwrap();
        db.store()
            .set_may_name(question, true, &actor(), now())
            .await
            .unwrap();
        assert!(
            db.store()
                .erase_influencer(&email("priya.nair@example.org"), &actor(), now())
                .await
                .unwrap()
        );
        let q = db.store().question(question).await.unwrap().unwrap();
        assert_eq!((q.influencer_id, q.influencer_email, q.may_name), (None, None, false));
        assert_eq!(db.store().reply_raw(reply.id).await.unwrap(), None);
        let stored = db.store().reply(reply.id).await.unwrap().unwrap();
        assert_eq!((stored.from_address, stored.influencer_id), (None, None));
    }
}

#[tokio::test]
async fn a_bad_imap_url_stops_the_daemon_before_it_starts() {
    let db = &sqlite_seedable().await;
    let env = vec![
        (
            "BRIEFCAST_DATA_DIR".to_string(),
            db.backend.dir.path().display().to_string(),
        ),
        ("BRIEFCAST_HTTP_ADDR".to_string(), "127.0.0.1:0".to_string()),
        (
            "BRIEFCAST_IMAP_URL".to_string(),
            "https://mail.example.fi/INBOX".to_string(),
        ),
    ];
    let config = briefcast::config::Config::from_sources(None, env).unwrap();
    let clock = std::sync::Arc::new(briefcast::clock::ManualClock::at(now()));
    let error = briefcast::app::App::build_with_store(config, db.backend.store.clone(), clock)
        .await
        .err()
        .expect("an https:// mailbox is refused");
    let message = format!("{error:#}");
    assert!(
        message.contains("imap_url") && message.contains("not imap or imaps"),
        "{message}"
    );
    assert!(!message.contains("pass"), "{message}");
}

each_backend! {
    seeded
    async fn the_retention_task_purges_on_its_own_and_stops_on_shutdown(db) {
        let seeded = db.seed_edition().await;
        let old = intake::receive(
            db.store(),
            &fixture_tokens(seeded.delivery),
            "webhook",
            None,
            &fixture("22-outlook-mobile-sv"),
            now() - chrono::Duration::days(31),
        )
        .await
        .unwrap()
        .reply;
        let shutdown = tokio_util::sync::CancellationToken::new();
        let task = tokio::spawn(briefcast::intake::workers::run_retention(
            db.backend.store.clone(),
            std::sync::Arc::new(briefcast::clock::ManualClock::at(now())),
            chrono::Duration::days(30),
            std::time::Duration::from_secs(3600),
            shutdown.clone(),
        ));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while db.store().reply_raw(old.id).await.unwrap().is_some() {
            assert!(
                std::time::Instant::now() < deadline,
                "{}: retention never ran",
                db.backend.name
            );
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        shutdown.cancel();
        tokio::time::timeout(std::time::Duration::from_secs(10), task)
            .await
            .expect("stops on shutdown")
            .unwrap();
        let audit = db.store().audit_log(10).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|e| e.action == "replies.purge" && e.actor == "retention"),
            "{audit:?}"
        );
    }
}
