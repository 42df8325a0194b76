//! Validation at and just over every platform limit, with Finnish and Swedish text.

use briefcast::brief::{Brief, Instagram, PlatformLimits, Problem, TikTok, XPost, YouTube, validate};
use briefcast::language::Language;

const MINIMAL: &str = r#"
[meta]
slug = "test-brief"
source = "Sisäministeriö"
priority = "urgent"

[fi]
title = "Otsikko"
summary = "Tiivistelmä"

[sv]
title = "Rubrik"
summary = "Sammanfattning"
"#;

fn brief() -> Brief {
    Brief::from_toml(MINIMAL).unwrap()
}

fn problems(brief: &Brief) -> Vec<String> {
    validate(brief, &PlatformLimits::embedded())
        .iter()
        .map(Problem::to_string)
        .collect()
}

fn sv(brief: &mut Brief) -> &mut briefcast::brief::LanguageBlock {
    brief.sv.as_mut().unwrap()
}

fn fi(brief: &mut Brief) -> &mut briefcast::brief::LanguageBlock {
    brief.fi.as_mut().unwrap()
}

/// `n` characters of Swedish text with å, ä, ö and an emoji in it.
fn swedish(n: usize) -> String {
    "Så här förbereder vi oss ⚡ ".chars().cycle().take(n).collect()
}

#[test]
fn an_instagram_caption_of_2200_characters_passes_and_2201_does_not() {
    let mut b = brief();
    sv(&mut b).instagram = Some(Instagram { caption: swedish(2200) });
    assert_eq!(problems(&b), Vec::<String>::new());
    sv(&mut b).instagram = Some(Instagram { caption: swedish(2201) });
    assert_eq!(
        problems(&b),
        ["sv: instagram.caption: 2,201 characters, the limit is 2,200"]
    );
}

#[test]
fn appended_hashtags_count_towards_the_caption_length() {
    let mut b = brief();
    b.meta.hashtags = vec!["kokavatten".into()];
    // The caption is posted with "\n\n#kokavatten" (13 characters) after it.
    sv(&mut b).instagram = Some(Instagram { caption: swedish(2187) });
    assert_eq!(problems(&b), Vec::<String>::new());
    sv(&mut b).instagram = Some(Instagram { caption: swedish(2188) });
    assert_eq!(
        problems(&b),
        ["sv: instagram.caption: 2,201 characters, the limit is 2,200"]
    );
}

#[test]
fn five_hashtags_pass_and_a_sixth_is_reported_with_where_they_come_from() {
    let mut b = brief();
    b.meta.hashtags = vec!["#keitävesi".into(), "#kokavatten".into()];
    let caption = "Keitä vesi! #PohjoisSavo #vesi #kuopio";
    fi(&mut b).instagram = Some(Instagram {
        caption: caption.into(),
    });
    assert_eq!(problems(&b), Vec::<String>::new());
    fi(&mut b).hashtags = vec!["#myrsky".into()];
    assert_eq!(
        problems(&b),
        ["fi: instagram.caption: 6 hashtags (3 in the caption, 3 appended from the brief's hashtags), the limit is 5"]
    );
}

#[test]
fn a_brief_hashtag_already_in_the_caption_is_not_appended_again() {
    let mut b = brief();
    b.meta.hashtags = vec!["#KeitäVesi".into(), "#keitävesi".into()];
    fi(&mut b).instagram = Some(Instagram {
        caption: "Muista #keitävesi".into(),
    });
    assert_eq!(b.instagram_caption(Language::Fi).unwrap(), "Muista #keitävesi");
    sv(&mut b).instagram = Some(Instagram {
        caption: "Kom ihåg".into(),
    });
    assert_eq!(b.instagram_caption(Language::Sv).unwrap(), "Kom ihåg\n\n#KeitäVesi");
}

#[test]
fn tiktok_counts_characters_in_the_app_and_utf16_units_through_the_api() {
    let mut b = brief();
    // Each 😀 is one character but two UTF-16 units.
    fi(&mut b).tiktok = Some(TikTok {
        script: "😀".repeat(1100),
    });
    assert_eq!(problems(&b), Vec::<String>::new());
    fi(&mut b).tiktok = Some(TikTok {
        script: format!("{}ä", "😀".repeat(1100)),
    });
    assert_eq!(
        problems(&b),
        ["fi: tiktok.script: 2,201 UTF-16 units, the limit through TikTok's posting API is 2,200"]
    );
    fi(&mut b).tiktok = Some(TikTok {
        script: "ö".repeat(4001),
    });
    assert_eq!(
        problems(&b),
        [
            "fi: tiktok.script: 4,001 characters, the limit in the TikTok app is 4,000",
            "fi: tiktok.script: 4,001 UTF-16 units, the limit through TikTok's posting API is 2,200",
        ]
    );
}

#[test]
fn a_youtube_title_of_100_characters_passes_and_101_does_not() {
    let mut b = brief();
    let youtube = |title: String| {
        Some(YouTube {
            title,
            talking_points: vec![],
            description: None,
        })
    };
    sv(&mut b).youtube = youtube("Å".repeat(100));
    assert_eq!(problems(&b), Vec::<String>::new());
    sv(&mut b).youtube = youtube("Å".repeat(101));
    assert_eq!(problems(&b), ["sv: youtube.title: 101 characters, the limit is 100"]);
}

#[test]
fn a_youtube_description_counts_bytes_so_nordic_letters_count_twice() {
    let mut b = brief();
    let youtube = |d: String| {
        Some(YouTube {
            title: "Kokningsråd".into(),
            talking_points: vec![],
            description: Some(d),
        })
    };
    fi(&mut b).youtube = youtube("ä".repeat(2500));
    assert_eq!(problems(&b), Vec::<String>::new());
    fi(&mut b).youtube = youtube(format!("{}a", "ä".repeat(2500)));
    assert_eq!(
        problems(&b),
        ["fi: youtube.description: 5,001 bytes in UTF-8 (ä, ö and å take two), the limit is 5,000"]
    );
    fi(&mut b).youtube = youtube("Lämpötila <100 °C".into());
    assert_eq!(
        problems(&b),
        ["fi: youtube.description: contains `<`, which the platform refuses here"]
    );
}

#[test]
fn an_x_post_of_280_weighted_characters_passes_and_281_does_not() {
    let mut b = brief();
    // 249 letters, a space, a link (23), a space, a ZWJ emoji sequence (2) and 4 letters: 280.
    let post = |extra: &str| {
        format!(
            "{} https://thl.fi/fi/web/ymparistoterveys/vesi 👩‍🚒öäåx{extra}",
            "ö".repeat(249)
        )
    };
    fi(&mut b).x = Some(XPost { post: post("") });
    assert_eq!(problems(&b), Vec::<String>::new());
    fi(&mut b).x = Some(XPost { post: post("å") });
    assert_eq!(
        problems(&b),
        ["fi: x.post: 281 weighted characters (a link counts 23, an emoji 2), the limit is 280"]
    );
}

#[test]
fn every_problem_is_reported_at_once_with_language_and_field() {
    let toml = r##"
[meta]
slug = "Myrsky 2026"
source = ""
priority = "routine"
embargo = "2026-11-24T08:00:00+02:00"
expires = "2026-11-23T08:00:00+02:00"
hashtags = ["#72 tuntia", "#ok"]

[fi]
title = ""
summary = "Tiivistelmä"

[[fi.facts]]
text = "Fakta"
source = "ftp://example.fi/"

[sv]
title = "Rubrik"
summary = ""
hashtags = ["#storm-varning"]

[[sv.facts]]
text = ""
source = "72timmar.fi"

[sv.x]
post = ""
"##;
    let b = Brief::from_toml(toml).unwrap();
    let found = problems(&b);
    let expected = [
        "meta.slug: may hold only a-z, 0-9 and -",
        "meta.source: is required: name the authority the brief comes from",
        "meta.embargo: 2026-11-24T08:00:00+02:00 is not before meta.expires 2026-11-23T08:00:00+02:00",
        "meta.cadences: a routine brief needs at least one of daily, weekly or monthly, or no edition carries it",
        "meta.hashtags[0]: hashtag `#72 tuntia` contains a space; the platforms would cut it there",
        "fi: title: is required",
        "fi: facts[0].source: `ftp://example.fi/` is a ftp address; a source must be an http(s) link",
        "sv: summary: is required",
        "sv: facts[0].text: is required",
        "sv: facts[0].source: `72timmar.fi` is not a link (relative URL without a base); a source must be an http(s) link",
        "sv: hashtags[0]: hashtag `#storm-varning` contains `-`; only letters, digits and _ stay in a hashtag",
        "sv: x.post: is required when the platform's table is given",
    ];
    assert_eq!(found, expected);
}

#[test]
fn a_brief_without_any_language_is_refused() {
    let b = Brief::from_toml("[meta]\nslug = \"x\"\nsource = \"THL\"\npriority = \"urgent\"\n").unwrap();
    assert_eq!(
        problems(&b),
        ["brief: has no language; add at least one of [fi], [sv] or [en]"]
    );
}

#[test]
fn control_characters_in_brief_text_are_refused() {
    let mut b = brief();
    fi(&mut b).key_messages = vec!["Keitä\u{1}vesi".into()];
    assert_eq!(
        problems(&b),
        ["fi: key_messages[0]: contains the control character U+0001"]
    );
}

/// The title is the email's Subject: a line break in it would land inside the header.
#[test]
fn a_title_is_one_line() {
    for (title, code) in [
        ("Keitä\nvesi", "U+000A"),
        ("Keitä\r\nvesi", "U+000D"),
        ("Keitä\u{2028}vesi", "U+2028"),
        ("Keitä\u{2029}vesi", "U+2029"),
    ] {
        let mut b = brief();
        fi(&mut b).title = title.into();
        assert!(
            problems(&b).contains(&format!("fi: title: is one line: it contains {code}")),
            "{title:?}: {:?}",
            problems(&b)
        );
    }
}

#[test]
fn limits_from_a_content_folder_replace_the_built_in_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("platforms.toml"),
        "[[limit]]\nfield = \"instagram.caption\"\nunit = \"hashtags\"\nmax = 30\n",
    )
    .unwrap();
    let limits = PlatformLimits::load(dir.path()).unwrap();
    let mut b = brief();
    fi(&mut b).instagram = Some(Instagram {
        caption: "#a #b #c #d #e #f #g".into(),
    });
    assert_eq!(validate(&b, &limits), []);
    assert_eq!(problems(&b).len(), 1);
}
