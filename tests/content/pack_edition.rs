//! Editions: urgent first, a contents list, corrections marked, and the missing-language
//! policy both ways.

use crate::common::pack::*;
use briefcast::brief::Brief;
use briefcast::language::Language;
use briefcast::pack::{Content, Edition, HeldReason, compose, compose_all};

/// An edition of `briefs`, dated now, with no questions.
fn of<'a>(briefs: &[&'a Brief]) -> Edition<'a> {
    Edition {
        briefs: briefs.iter().map(|b| (*b).into()).collect(),
        date: now(),
        platforms: Default::default(),
        questions_received: None,
        you_asked: Vec::new(),
    }
}

fn correction_of(original: &Brief) -> Brief {
    let mut fixed = original.clone();
    fixed.fi.as_mut().unwrap().summary = "Myrsky saapuu jo perjantaina.".into();
    briefcast::brief::correct(original, briefcast::brief::BriefStatus::Sent, fixed).unwrap()
}

#[test]
fn urgent_briefs_come_first_with_a_contents_list() {
    let (storm, boil) = (brief(STORM), brief(BOIL_WATER));
    let edition = of(&[&storm, &boil]);
    let composed = compose(&Content::embedded(), &edition, Language::Fi, hold()).unwrap();
    let slugs: Vec<&str> = composed.carried.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs, ["boil-water-advisory-north-savo", "storm-72h-preparedness"]);
    assert_eq!(
        composed.subject,
        "KIIREELLINEN: Keittokehotus: keitä juomavesi Pohjois-Savossa"
    );
    let text = composed.personalise(&recipient()).text;
    let contents = "Tässä tiedotteessa:\n1. [KIIREELLINEN] Keittokehotus: keitä juomavesi Pohjois-Savossa\n\
                    2. Varaudu myrskyyn: pärjää kotona 72 tuntia\n";
    assert!(text.contains(contents), "{text}");
    let first = text.find("Keitä juoma- ja ruokavesi").unwrap();
    assert!(first < text.find("Pidä kotona vettä").unwrap());
}

#[test]
fn a_single_brief_has_no_contents_list() {
    let storm = brief(STORM);
    let edition = of(&[&storm]);
    let composed = compose(&Content::embedded(), &edition, Language::En, hold()).unwrap();
    assert_eq!(composed.subject, "Get ready for the storm: manage at home for 72 hours");
    assert!(!composed.personalise(&recipient()).text.contains("In this edition"));
}

#[test]
fn a_correction_is_marked_in_subject_contents_and_body() {
    let storm = brief(STORM);
    let fixed = correction_of(&storm);
    let edition = of(&[&fixed]);
    let composed = compose(&Content::embedded(), &edition, Language::Fi, hold()).unwrap();
    assert_eq!(composed.subject, "KORJAUS: Varaudu myrskyyn: pärjää kotona 72 tuntia");
    let text = composed.personalise(&recipient()).text;
    assert!(text.contains("[KORJAUS] Varaudu myrskyyn"), "{text}");
    assert!(text.contains("Tämä korjaa aiemmin lähettämäämme tiedotetta."), "{text}");

    let boil = brief(BOIL_WATER);
    let edition = of(&[&fixed, &boil]);
    let text = compose(&Content::embedded(), &edition, Language::Sv, hold())
        .unwrap()
        .personalise(&recipient())
        .text;
    assert!(text.contains("2. [RÄTTELSE] Förbered dig på stormen"), "{text}");
}

#[test]
fn under_hold_english_readers_do_not_get_the_boil_water_brief_and_the_coordinator_is_told() {
    let (storm, boil) = (brief(STORM), brief(BOIL_WATER));
    let edition = of(&[&boil, &storm]);
    let all = compose_all(&Content::embedded(), &edition, hold()).unwrap();
    let en = all.iter().find(|e| e.language == Language::En).unwrap();
    assert_eq!(en.carried.len(), 1);
    assert_eq!(en.carried[0].slug, "storm-72h-preparedness");
    assert_eq!(en.held.len(), 1);
    assert_eq!(en.held[0].reason, HeldReason::NotTranslated);
    assert_eq!(
        en.held[0].to_string(),
        "boil-water-advisory-north-savo: held back from en readers: it has no en text yet (missing-language policy: hold)"
    );
    let text = en.personalise(&recipient()).text;
    assert!(
        !text.contains("Keitä") && !text.contains("Koka"),
        "no Finnish or Swedish text: {text}"
    );
    assert!(
        all.iter()
            .filter(|e| e.language != Language::En)
            .all(|e| e.held.is_empty())
    );
}

#[test]
fn under_hold_an_edition_of_only_untranslated_briefs_is_empty() {
    let boil = brief(BOIL_WATER);
    let edition = of(&[&boil]);
    let en = compose(&Content::embedded(), &edition, Language::En, hold()).unwrap();
    assert!(en.is_empty());
}

#[test]
fn under_fallback_english_readers_get_the_finnish_text_with_a_note() {
    let boil = brief(BOIL_WATER);
    let edition = of(&[&boil]);
    let en = compose(&Content::embedded(), &edition, Language::En, fallback_to(Language::Fi)).unwrap();
    assert!(en.held.is_empty());
    assert_eq!(en.carried[0].language, Language::Fi);
    assert!(en.carried[0].fallback);
    let text = en.personalise(&recipient()).text;
    assert!(
        text.contains("(This brief is not yet available in English, so here it is in Finnish.)"),
        "{text}"
    );
    assert!(text.contains("Keitä juoma- ja ruokavesi"));
    assert!(!text.contains("Koka dricks"), "only one fallback language");
}

#[test]
fn under_fallback_a_brief_without_the_fallback_language_is_held_too() {
    let boil = brief(BOIL_WATER);
    let edition = of(&[&boil]);
    let en = compose(&Content::embedded(), &edition, Language::En, fallback_to(Language::En)).unwrap();
    assert_eq!(en.held[0].reason, HeldReason::FallbackMissing(Language::En));
}

#[test]
fn the_question_count_uses_the_right_plural_and_local_grouping() {
    let storm = brief(STORM);
    let line = |language, n| {
        let edition = Edition {
            briefs: vec![(&storm).into()],
            date: now(),
            platforms: Default::default(),
            questions_received: Some(n),
            you_asked: Vec::new(),
        };
        let text = compose(&Content::embedded(), &edition, language, hold())
            .unwrap()
            .personalise(&recipient())
            .text;
        text.lines()
            .find(|l| ["Edellisen", "Sedan", "Since"].iter().any(|s| l.starts_with(s)))
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        line(Language::Fi, 1),
        "Edellisen tiedotteen jälkeen teiltä on tullut 1 kysymys."
    );
    assert_eq!(
        line(Language::Fi, 2),
        "Edellisen tiedotteen jälkeen teiltä on tullut 2 kysymystä."
    );
    assert_eq!(line(Language::Sv, 1), "Sedan förra brevet har vi fått 1 fråga från er.");
    assert_eq!(
        line(Language::Sv, 2),
        "Sedan förra brevet har vi fått 2 frågor från er."
    );
    assert_eq!(
        line(Language::En, 1),
        "Since the last edition you have sent us 1 question."
    );
    assert_eq!(
        line(Language::En, 1200),
        "Since the last edition you have sent us 1,200 questions."
    );
    assert_eq!(
        line(Language::Fi, 1200),
        "Edellisen tiedotteen jälkeen teiltä on tullut 1\u{a0}200 kysymystä."
    );
}

#[test]
fn personalisation_without_a_name_greets_without_one() {
    let storm = brief(STORM);
    let edition = of(&[&storm]);
    let fi = compose(&Content::embedded(), &edition, Language::Fi, hold()).unwrap();
    let mut r = recipient();
    r.name = " ".into();
    let message = fi.personalise(&r);
    assert!(
        message
            .text
            .starts_with("briefcast\nVaikuttajatiedote 23.11.2026\n\nHei,\n"),
        "{}",
        message.text
    );
    assert!(message.html.contains("<p>Hei,</p>"));
}

/// The dispatcher sends the parts encoded once per edition and spliced per recipient; a reader
/// must get exactly what the preview shows, in valid quoted-printable, whatever their name.
#[test]
fn encoded_parts_decode_to_what_the_reader_sees() {
    let (storm, boil) = (brief(STORM), brief(BOIL_WATER));
    let edition = of(&[&storm, &boil]);
    let long = format!("Åsa-Märta = <Söderström> & {} 🌩 ", "Lindqvist-".repeat(12));
    let names = ["Aino", "", "Åsa", long.as_str(), " Ä "];
    for composed in compose_all(&Content::embedded(), &edition, fallback_to(Language::Fi)).unwrap() {
        let language = composed.language;
        for name in names {
            let reader = briefcast::pack::Recipient {
                name: name.to_string(),
                ..recipient()
            };
            let plain = composed.personalise(&reader);
            let encoded = composed.personalise_encoded(&reader);
            assert_eq!(encoded.subject, plain.subject);
            for (part, seen, sent) in [
                ("text", &plain.text, &encoded.text),
                ("html", &plain.html, &encoded.html),
            ] {
                let sent = std::str::from_utf8(sent).unwrap();
                assert!(sent.is_ascii(), "{language} {part}: quoted-printable is ASCII");
                for line in sent.split("\r\n") {
                    assert!(
                        line.len() <= 76,
                        "{language} {part}: a line of {} characters: {line}",
                        line.len()
                    );
                    assert!(
                        !line.contains('\n') && !line.contains('\r'),
                        "{language} {part}: a bare line break"
                    );
                }
                let decoded = quoted_printable::decode(sent, quoted_printable::ParseMode::Strict)
                    .unwrap_or_else(|e| panic!("{language} {part} for {name:?}: {e:?} in\n{sent}"));
                let decoded = String::from_utf8(decoded).unwrap();
                assert_eq!(decoded, seen.replace('\n', "\r\n"), "{language} {part} for {name:?}");
            }
        }
    }
}

/// The text of `brief` composed for readers of `language` who post on `platforms`.
fn for_readers_on(brief: &Brief, language: Language, platforms: &[&str]) -> briefcast::pack::Message {
    let edition = Edition {
        platforms: briefcast::pack::ReaderPlatforms::of(platforms),
        ..of(&[brief])
    };
    compose(&Content::embedded(), &edition, language, hold())
        .unwrap()
        .personalise(&recipient())
}

#[test]
fn a_tiktok_only_reader_sees_the_tiktok_script_first_and_the_others_folded_below() {
    let storm = brief(STORM);
    let message = for_readers_on(&storm, Language::Fi, &["tiktok"]);
    for part in [&message.text, &message.html] {
        let tiktok = part.find("TikTok-käsikirjoitus").expect("the TikTok script");
        let also = part
            .find("Myös näihin: Instagram, YouTube")
            .expect("the others, folded under a heading");
        let instagram = part
            .find("Instagram-kuvateksti")
            .expect("the Instagram caption is still there");
        assert!(
            tiktok < also && also < instagram,
            "TikTok first, then the others:\n{part}"
        );
    }
    // Every text is still in the email, only in another order.
    assert!(message.text.contains("pärjäisitkö sinä 72 tuntia ilman sähköä?"));
    assert!(
        message
            .text
            .contains("Pärjäätkö 72 tuntia ilman sähköä? Näin varaudun myrskyyn")
    );

    let sv = for_readers_on(&storm, Language::Sv, &["youtube", "instagram"]);
    let youtube = sv.text.find("Rubrik för YouTube-videon").expect("the YouTube title");
    let also = sv.text.find("Även för TikTok").expect("TikTok folded below");
    assert!(
        sv.text.find("Bildtext för Instagram").unwrap() < youtube && youtube < also,
        "{}",
        sv.text
    );
}

#[test]
fn readers_with_no_pack_platform_or_every_platform_get_the_usual_order_unfolded() {
    let storm = brief(STORM);
    let usual = for_readers_on(&storm, Language::En, &[]);
    assert_eq!(for_readers_on(&storm, Language::En, &["facebook", "linkedin"]), usual);
    let all = for_readers_on(&storm, Language::En, &["instagram", "tiktok", "youtube", "x"]);
    assert_eq!(all, usual);
    assert!(!usual.text.contains("Also for"), "{}", usual.text);
}
