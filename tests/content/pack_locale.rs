//! Localization: complete locales, local dates and numbers, and content that fails at load.

use briefcast::language::Language;
use briefcast::pack::{Content, MESSAGE_IDS, Strings, Templates, format_date, format_datetime, format_number};
use chrono::{DateTime, Utc};

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc()
}

#[test]
fn the_three_locales_define_the_same_messages_and_every_one_the_code_uses() {
    let strings = Strings::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales")).unwrap();
    let fi = strings.message_ids(Language::Fi);
    for language in [Language::Sv, Language::En] {
        let other = strings.message_ids(language);
        assert_eq!(
            fi.difference(other).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in {language}"
        );
        assert_eq!(
            other.difference(fi).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in fi"
        );
    }
    for id in MESSAGE_IDS {
        assert!(fi.contains(*id), "`{id}` is used but not defined");
    }
}

#[test]
fn dates_are_written_the_local_way_in_helsinki_time() {
    let embargo = at("2026-11-23T06:00:00Z");
    assert_eq!(format_datetime(Language::Fi, embargo), "23.11.2026 klo 8.00");
    assert_eq!(format_datetime(Language::Sv, embargo), "23.11.2026 kl. 8.00");
    assert_eq!(format_datetime(Language::En, embargo), "23 November 2026, 08:00");
    // Summer time: 21:30 UTC is 00:30 the next day in Helsinki.
    let summer = at("2026-06-30T21:30:00Z");
    assert_eq!(format_datetime(Language::Fi, summer), "1.7.2026 klo 0.30");
    assert_eq!(format_date(Language::En, summer), "1 July 2026");
}

#[test]
fn numbers_are_grouped_the_local_way() {
    assert_eq!(format_number(Language::Fi, 182_000), "182\u{a0}000");
    assert_eq!(format_number(Language::Sv, 182_000), "182\u{a0}000");
    assert_eq!(format_number(Language::En, 182_000), "182,000");
    assert_eq!(format_number(Language::En, 999), "999");
}

#[test]
fn a_locale_missing_a_message_is_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sv")).unwrap();
    let full = include_str!("../../locales/sv/pack.ftl");
    let without: String = full
        .lines()
        .filter(|l| !l.starts_with("toc-heading"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("sv/pack.ftl"), without).unwrap();
    let err = Strings::load(dir.path()).err().unwrap().to_string();
    assert!(
        err.ends_with("pack.ftl: message `toc-heading` is missing from the sv strings"),
        "{err}"
    );
}

#[test]
fn a_fluent_syntax_error_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("fi")).unwrap();
    let path = dir.path().join("fi/pack.ftl");
    std::fs::write(
        &path,
        format!("{}\nbroken = {{ $x\n", include_str!("../../locales/fi/pack.ftl")),
    )
    .unwrap();
    let err = Strings::load(dir.path()).err().unwrap().to_string();
    let line = include_str!("../../locales/fi/pack.ftl").lines().count() + 2;
    assert!(err.starts_with(&format!("{}:{line}: ", path.display())), "{err}");
}

#[test]
fn a_broken_template_fails_at_load_with_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brief.txt");
    std::fs::write(
        &path,
        "{{ brief.title }}\n\n{% for m in brief.key_messages %}\n- {{ m }\n",
    )
    .unwrap();
    let err = Templates::load(dir.path()).err().unwrap().to_string();
    assert!(err.starts_with(&format!("{}:4: ", path.display())), "{err}");
}

#[test]
fn a_template_on_disk_replaces_the_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/edition.txt"),
        "{{ heading }} / {{ greeting }}\n",
    )
    .unwrap();
    let content = Content::load(dir.path(), &dir.path().join("no-locales")).unwrap();
    let storm = briefcast::brief::Brief::from_toml(include_str!("../fixtures/briefs/storm-72h.toml")).unwrap();
    let edition = briefcast::pack::Edition {
        briefs: vec![(&storm).into()],
        date: at("2026-11-23T06:00:00Z"),
        platforms: Default::default(),
        questions_received: None,
        you_asked: Vec::new(),
    };
    let policy = briefcast::pack::LanguagePolicy {
        missing: briefcast::config::MissingLanguage::Hold,
        fallback: Language::Fi,
    };
    let en = briefcast::pack::compose(&content, &edition, Language::En, policy).unwrap();
    let r = briefcast::pack::Recipient {
        name: "Priya".into(),
        unsubscribe_url: String::new(),
        preferences_url: String::new(),
        reply_address: String::new(),
    };
    assert_eq!(
        en.personalise(&r).text,
        "Influencer briefing, 23 November 2026 / Hello Priya,\n"
    );
}
