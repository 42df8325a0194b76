//! The roster on both backends: import, listing, erasure and segments.

use crate::common;

use briefcast::audience::{EmailAddress, Segment, SegmentFilter};
use briefcast::cadence::Cadence;
use briefcast::language::Language;
use briefcast::service::audience::{ImportError, store_roster};
use briefcast::store::{InfluencerQuery, NewReply, StoreError, SuppressionReason};
use common::{SAMPLE_ROSTER, actor, now};

const HEAD: &str = "email,name,language,platforms,followers,topics,region,tier,cadence,consent_at,consent_source\n";

fn row(email: &str, language: &str, followers: u64, region: &str) -> String {
    format!(
        "{email},Someone,{language},instagram;tiktok,{followers},health,{region},open,weekly,2026-03-02T10:15:00+02:00,form\n"
    )
}

fn email(s: &str) -> EmailAddress {
    EmailAddress::parse(s).unwrap()
}

each_backend! {
    async fn the_sample_roster_gives_the_documented_outcome(b) {
        let store = b.store.as_ref();
        let report = store_roster(store, SAMPLE_ROSTER, &actor(), now()).await.unwrap();
        assert_eq!((report.new, report.updated, report.unchanged), (17, 0, 0), "{}", b.name);
        let rejected: Vec<(u64, &str)> = report.rejected.iter().map(|r| (r.line, r.email.as_str())).collect();
        assert_eq!(
            rejected,
            vec![
                (18, "not-an-email"),
                (19, "hans.muller@example.de"),
                (20, "AINO.VIRTANEN@EXAMPLE.COM"),
                (21, "no.consent@example.com")
            ],
            "{}",
            b.name
        );
        assert!(report.rejected[1].reason.contains("`de` is not offered"));
        assert!(report.rejected[2].reason.contains("same address as line 2"));
        assert!(report.rejected[3].reason.contains("no consent recorded"));

        let olli = store
            .influencer(&email("olli.tanskanen@example.com"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(olli.influencer.cadence, Cadence::Weekly, "empty cadence means weekly");
        // The first of the two Aino rows is the one kept.
        let aino = store
            .influencer(&email("aino.virtanen@example.com"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(aino.influencer.followers, 182_000);

        let again = store_roster(store, SAMPLE_ROSTER, &actor(), now()).await.unwrap();
        assert_eq!(
            (again.new, again.updated, again.unchanged, again.rejected.len()),
            (0, 0, 17, 4),
            "{}",
            b.name
        );
        let all = store.list_influencers(&InfluencerQuery::default()).await.unwrap();
        assert_eq!(all.len(), 17);
        assert_eq!(all[0].updated_at, now());
    }
}

each_backend! {
    async fn an_address_already_stored_is_matched_case_insensitively_and_updated(b) {
        let store = b.store.as_ref();
        store_roster(
            store,
            format!("{HEAD}{}", row("mia@example.com", "fi", 100, "Uusimaa")).as_bytes(),
            &actor(),
            now(),
        )
        .await
        .unwrap();
        let file = format!(
            "{HEAD}{}{}",
            row("MIA@Example.COM", "sv", 250, "Uusimaa"),
            row("new@example.com", "en", 5, "Lappi")
        );
        let report = store_roster(store, file.as_bytes(), &actor(), now()).await.unwrap();
        assert_eq!((report.new, report.updated, report.unchanged), (1, 1, 0), "{}", b.name);
        let mia = store.influencer(&email("mia@example.com")).await.unwrap().unwrap();
        assert_eq!((mia.influencer.language, mia.influencer.followers), (Language::Sv, 250));
        assert_eq!(
            store.list_influencers(&InfluencerQuery::default()).await.unwrap().len(),
            2
        );
    }
}

each_backend! {
    async fn a_broken_file_changes_nothing(b) {
        let store = b.store.as_ref();
        store_roster(store, SAMPLE_ROSTER, &actor(), now()).await.unwrap();
        let before = store.list_influencers(&InfluencerQuery::default()).await.unwrap();
        let audit_before = store.audit_log(100).await.unwrap().len();

        let shifted = format!(
            "{HEAD}{}eero.makinen@example.com,Eero,fi,youtube\n",
            row("fresh@example.com", "fi", 1, "Uusimaa")
        );
        let mut not_utf8 = format!("{HEAD}{}", row("fresh@example.com", "fi", 1, "Uusimaa")).into_bytes();
        not_utf8.extend_from_slice(
            b"m\xe4kinen@example.com,M\xe4kinen,fi,youtube,1,x,y,open,weekly,2026-03-02T10:15:00+02:00,form\n",
        );
        let wrong_header = "mail,nimi\nfresh@example.com,x\n".to_string().into_bytes();
        for (what, bytes) in [
            ("column count", shifted.into_bytes()),
            ("utf-8", not_utf8),
            ("header", wrong_header),
        ] {
            let err = store_roster(store, &bytes, &actor(), now()).await.unwrap_err();
            assert!(matches!(err, ImportError::File(_)), "{}: {what}: {err}", b.name);
            assert!(err.to_string().starts_with("line "), "{what}: {err}");
        }
        assert_eq!(
            store.list_influencers(&InfluencerQuery::default()).await.unwrap(),
            before,
            "{}",
            b.name
        );
        assert_eq!(store.audit_log(100).await.unwrap().len(), audit_before);
    }
}

each_backend! {
    async fn erasure_removes_the_person_anonymises_replies_and_suppresses_forever(b) {
        let store = b.store.as_ref();
        store_roster(store, SAMPLE_ROSTER, &actor(), now()).await.unwrap();
        let aino = email("aino.virtanen@example.com");
        let reply = NewReply {
            channel: "webhook",
            channel_ref: None,
            raw: b"From: Aino Virtanen <aino.virtanen@example.com>\r\n\r\nKysyisin...",
            from_address: Some(aino.clone()),
            message_id: Some("<r1@example.com>".into()),
            received_at: now(),
        };
        store.store_reply(&reply).await.unwrap();
        let exported = store.personal_data(&aino).await.unwrap().unwrap();
        assert_eq!(exported.replies.len(), 1, "{}: export holds the reply", b.name);
        assert!(exported.replies[0]["raw"].as_str().unwrap().contains("Kysyisin"));

        assert!(store.erase_influencer(&aino, &actor(), now()).await.unwrap());
        assert_eq!(store.influencer(&aino).await.unwrap(), None);
        assert_eq!(store.personal_data(&aino).await.unwrap().map(|d| d.replies.len()), None);
        assert_eq!(store.suppression(&aino).await.unwrap(), Some(SuppressionReason::Erased));
        let entry = &store.audit_log(1).await.unwrap()[0];
        assert_eq!(entry.action, "influencer.erase");
        assert!(
            !entry.detail.to_string().contains("aino"),
            "the audit log keeps only the hash: {}",
            entry.detail
        );

        // Importing the old file again must not bring her back.
        let again = store_roster(store, SAMPLE_ROSTER, &actor(), now()).await.unwrap();
        assert_eq!(again.new, 0);
        assert!(
            again
                .rejected
                .iter()
                .any(|r| r.line == 2 && r.reason.contains("suppressed")),
            "{:?}",
            again.rejected
        );
        assert!(
            !store.erase_influencer(&aino, &actor(), now()).await.unwrap(),
            "nobody left to erase"
        );
    }
}

each_backend! {
    async fn a_raw_reply_fetched_twice_is_stored_once(b) {
        let reply = NewReply {
            channel: "imap",
            channel_ref: Some("INBOX/1700000000/42".into()),
            raw: b"Subject: hi\r\n\r\nbody",
            from_address: None,
            message_id: None,
            received_at: now(),
        };
        let (first, new) = b.store.store_reply(&reply).await.unwrap();
        assert!(new);
        assert_eq!(b.store.store_reply(&reply).await.unwrap(), (first, false), "{}", b.name);
    }
}

each_backend! {
    async fn segments_filter_the_roster_and_never_include_suppressed_addresses(b) {
        let store = b.store.as_ref();
        store_roster(store, SAMPLE_ROSTER, &actor(), now()).await.unwrap();
        let extra = format!("{HEAD}{}", row("anna@example.fi", "sv", 5000, "Österbotten"));
        store_roster(store, extra.as_bytes(), &actor(), now()).await.unwrap();

        let count = |filter: SegmentFilter| async move { store.count_members(&filter).await.unwrap() };
        assert_eq!(count(SegmentFilter::default()).await, 18, "{}", b.name);
        let sv_tiktok = SegmentFilter {
            languages: vec![Language::Sv],
            platforms: vec!["tiktok".into()],
            ..Default::default()
        };
        assert_eq!(count(sv_tiktok.clone()).await, 3, "{}: sara, kalle, anna", b.name);
        let segment = Segment::new(
            "ÖSTERBOTTEN",
            SegmentFilter {
                regions: vec!["ÖSTERBOTTEN".into()],
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            count(segment.filter.clone()).await,
            1,
            "{}: non-ASCII region compared case-insensitively",
            b.name
        );
        let big = SegmentFilter {
            min_followers: Some(100_000),
            max_followers: Some(500_000),
            ..Default::default()
        };
        assert_eq!(count(big).await, 3, "{}: aino 182k, jukka 410k, ines 210k", b.name);
        let topic = SegmentFilter {
            topics: vec!["preparedness".into()],
            cadences: vec![Cadence::Weekly],
            ..Default::default()
        };
        assert_eq!(count(topic).await, 3, "{}: linnea, aleksi, olli", b.name);
        let partners = SegmentFilter {
            tiers: vec!["partner".into()],
            languages: vec![Language::En],
            ..Default::default()
        };
        assert_eq!(count(partners).await, 1, "{}: ines", b.name);

        let saved = Segment::new("sv-tiktok", sv_tiktok.clone()).unwrap();
        store.add_segment(&saved, &actor(), now()).await.unwrap();
        let dup = store.add_segment(&saved, &actor(), now()).await.unwrap_err();
        assert!(
            matches!(dup, StoreError::Conflict { field: "name", .. }),
            "{}: {dup}",
            b.name
        );

        store
            .suppress(
                &email("sara.oberg@example.com"),
                SuppressionReason::Bounced,
                "550 5.1.1",
                now(),
            )
            .await
            .unwrap();
        let summary = store.segment("sv-tiktok").await.unwrap().unwrap();
        assert_eq!(
            summary.members, 2,
            "{}: a bounced address is no longer a member",
            b.name
        );
        let members = store
            .list_influencers(&InfluencerQuery {
                segment: Some(sv_tiktok),
                ..Default::default()
            })
            .await
            .unwrap();
        let names: Vec<&str> = members.iter().map(|m| m.influencer.email.as_str()).collect();
        assert_eq!(names, vec!["anna@example.fi", "kalle.lindqvist@example.com"]);
        assert_eq!(store.segments().await.unwrap().len(), 1);
    }
}

each_backend! {
    async fn listing_filters_by_language_and_cadence_and_pages(b) {
        let store = b.store.as_ref();
        store_roster(store, SAMPLE_ROSTER, &actor(), now()).await.unwrap();
        let q = InfluencerQuery {
            language: Some(Language::En),
            cadence: Some(Cadence::Monthly),
            ..Default::default()
        };
        let en: Vec<String> = store
            .list_influencers(&q)
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.influencer.email.to_string())
            .collect();
        assert_eq!(
            en,
            vec![
                "ines.garcia@example.com",
                "oliver.smith@example.com",
                "priya.nair@example.org"
            ]
        );
        let page = InfluencerQuery {
            limit: Some(5),
            offset: 15,
            ..Default::default()
        };
        assert_eq!(store.list_influencers(&page).await.unwrap().len(), 2, "{}", b.name);
    }
}

each_backend! {
    /// A line break in a name would end up inside the To header; a NUL in an address is no address.
    /// Such rows are refused at import, naming line and field, and the rest of the file lands.
    async fn control_characters_in_any_field_reject_the_row_naming_line_and_field(b) {
        let store = b.store.as_ref();
        let mut csv = String::from(HEAD);
        csv.push_str(&row("fine@example.fi", "fi", 10, "Uusimaa"));
        csv.push_str(
            "lf@example.fi,\"Lf\nonly\",fi,instagram,10,health,Uusimaa,open,weekly,2026-03-02T10:15:00+02:00,form\n",
        );
        csv.push_str(
            "crlf@example.fi,\"Cr\r\nLf\",fi,instagram,10,health,Uusimaa,open,weekly,2026-03-02T10:15:00+02:00,form\n",
        );
        csv.push_str(
            "nul@example.fi,Nul\0Name,fi,instagram,10,health,Uusimaa,open,weekly,2026-03-02T10:15:00+02:00,form\n",
        );
        csv.push_str("sep@example.fi,Someone,fi,instagram,10,health,Uusi\u{2028}maa,open,weekly,2026-03-02T10:15:00+02:00,form\n");
        csv.push_str(&row("also.fine@example.fi", "sv", 10, "Pohjanmaa"));
        let report = store_roster(store, csv.as_bytes(), &actor(), now()).await.unwrap();
        assert_eq!(report.new, 2, "{}: {report:?}", b.name);
        let rejected: Vec<(u64, &str, &str)> = report
            .rejected
            .iter()
            .map(|r| (r.line, r.email.as_str(), r.reason.as_str()))
            .collect();
        assert_eq!(
            rejected,
            vec![
                (
                    3,
                    "lf@example.fi",
                    "name: contains U+000A; each field is one line of text without control characters"
                ),
                (
                    5,
                    "crlf@example.fi",
                    "name: contains U+000D; each field is one line of text without control characters"
                ),
                (
                    7,
                    "nul@example.fi",
                    "name: contains U+0000; each field is one line of text without control characters"
                ),
                (
                    8,
                    "sep@example.fi",
                    "region: contains U+2028; each field is one line of text without control characters"
                ),
            ],
            "{}",
            b.name
        );
        assert!(store.influencer(&email("lf@example.fi")).await.unwrap().is_none());
    }
}

each_backend! {
    async fn listing_finds_words_in_names_and_addresses_and_filters_by_platform_and_suppression(b) {
        let store = b.store.as_ref();
        store_roster(store, SAMPLE_ROSTER, &actor(), now()).await.unwrap();
        let emails = |q: InfluencerQuery| async move {
            store
                .list_influencers(&q)
                .await
                .unwrap()
                .into_iter()
                .map(|i| i.influencer.email.to_string())
                .collect::<Vec<_>>()
        };
        let by_name = InfluencerQuery { search: Some("VIRTANEN".into()), ..Default::default() };
        assert_eq!(emails(by_name).await, vec!["aino.virtanen@example.com"], "{}", b.name);
        let by_address = InfluencerQuery { search: Some("example.net".into()), ..Default::default() };
        assert!(emails(by_address).await.contains(&"jukka.aijala@example.net".to_string()));
        for wildcard in ["%", "_", "\\"] {
            let q = InfluencerQuery { search: Some(wildcard.into()), ..Default::default() };
            assert!(emails(q).await.is_empty(), "{}: `{wildcard}` is matched as itself", b.name);
        }

        let tiktok = InfluencerQuery { platform: Some("tiktok".into()), language: Some(Language::Sv), ..Default::default() };
        let on_tiktok = emails(tiktok.clone()).await;
        assert!(on_tiktok.contains(&"sara.oberg@example.com".to_string()), "{on_tiktok:?}");
        store
            .suppress(&email("sara.oberg@example.com"), SuppressionReason::Bounced, "550 5.1.1", now())
            .await
            .unwrap();
        let never_mailed = InfluencerQuery { suppressed: Some(true), ..Default::default() };
        assert_eq!(emails(never_mailed).await, vec!["sara.oberg@example.com"], "{}", b.name);
        let mailed = InfluencerQuery { suppressed: Some(false), ..tiktok };
        let mailed = emails(mailed).await;
        assert_eq!(mailed.len(), on_tiktok.len() - 1, "{mailed:?}");
        assert!(!mailed.contains(&"sara.oberg@example.com".to_string()));
    }
}
