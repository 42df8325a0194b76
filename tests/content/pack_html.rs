//! The HTML part: well-formed, language set, every fact and source present, nothing in a brief
//! able to inject markup.

use crate::common::pack::*;
use briefcast::brief::Fact;
use briefcast::language::Language;
use briefcast::pack::{Content, Edition, Recipient, compose};
use scraper::{Html, Selector};

fn html_of(brief: &briefcast::brief::Brief, language: Language, recipient: &Recipient) -> String {
    let edition = Edition {
        briefs: vec![brief.into()],
        date: now(),
        platforms: Default::default(),
        questions_received: None,
        you_asked: Vec::new(),
    };
    compose(&Content::embedded(), &edition, language, hold())
        .unwrap()
        .personalise(recipient)
        .html
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn the_html_parses_cleanly_and_declares_the_readers_language() {
    for language in Language::ALL {
        let html = html_of(&brief(STORM), language, &recipient());
        let doc = Html::parse_document(&html);
        assert_eq!(
            doc.errors,
            Vec::<std::borrow::Cow<str>>::new(),
            "{language}: parse errors"
        );
        let root = select(&doc, "html")[0];
        assert_eq!(root.value().attr("lang"), Some(language.code()));
        assert_eq!(select(&doc, "h1").len(), 1);
        assert_eq!(select(&doc, "h2").len(), 1, "one brief, one title");
        assert!(select(&doc, "meta[name=viewport]").len() == 1, "readable on a phone");
    }
}

#[test]
fn every_fact_and_its_source_link_is_in_the_html() {
    let storm = brief(STORM);
    for language in Language::ALL {
        let doc = Html::parse_document(&html_of(&storm, language, &recipient()));
        let items: Vec<String> = select(&doc, "article li")
            .iter()
            .map(|li| li.text().collect())
            .collect();
        let links: Vec<&str> = select(&doc, "article a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .collect();
        for fact in &storm.block(language).unwrap().facts {
            assert!(
                items.iter().any(|i| i.contains(&fact.text)),
                "{language}: fact `{}` missing",
                fact.text
            );
            assert!(
                links.contains(&fact.source.as_str()),
                "{language}: source {} not linked",
                fact.source
            );
        }
    }
}

#[test]
fn no_remote_images_scripts_or_trackers() {
    let html = html_of(&brief(STORM), Language::Fi, &recipient());
    let doc = Html::parse_document(&html);
    assert!(select(&doc, "img, script, iframe, link, object").is_empty());
    assert!(!html.contains("src="), "nothing is fetched when the mail is opened");
}

#[test]
fn brief_text_cannot_inject_markup_and_only_web_sources_become_links() {
    let mut b = brief(BOIL_WATER);
    let fi = b.fi.as_mut().unwrap();
    fi.title = "<script>alert('x')</script> Keitä vesi".into();
    fi.summary = "Lue <a href=\"https://evil.example\">tästä</a> & \"lainaus\"".into();
    fi.facts = vec![
        Fact {
            text: "<img src=x onerror=alert(1)>".into(),
            source: "javascript:alert(1)".into(),
        },
        Fact {
            text: "Tosi".into(),
            source: "https://thl.fi/\"><script>alert(2)</script>".into(),
        },
    ];
    let html = html_of(&b, Language::Fi, &recipient());
    let doc = Html::parse_document(&html);
    assert!(select(&doc, "script, img").is_empty(), "{html}");
    assert_eq!(
        select(&doc, "h2")[0].text().collect::<String>(),
        "<script>alert('x')</script> Keitä vesi"
    );
    let hrefs: Vec<&str> = select(&doc, "a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        !hrefs.iter().any(|h| h.starts_with("javascript") || h.contains("evil")),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"https://thl.fi/%22%3E%3Cscript%3Ealert(2)%3C/script%3E"),
        "{hrefs:?}"
    );
    let body: String = select(&doc, "article")[0].text().collect();
    assert!(
        body.contains("javascript:alert(1)"),
        "a non-web source is shown as text"
    );
}

#[test]
fn the_recipients_name_is_escaped_and_links_are_filled_in() {
    let mut r = recipient();
    r.name = "<b>Aino</b> & co".into();
    let html = html_of(&brief(STORM), Language::Sv, &r);
    assert!(html.contains("Hej &lt;b&gt;Aino&lt;/b&gt; &amp; co,"), "{html}");
    let doc = Html::parse_document(&html);
    let hrefs: Vec<&str> = select(&doc, "footer a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs, [r.unsubscribe_url.as_str(), r.preferences_url.as_str()]);
    assert!(html.contains("https://briefcast.example.fi/u/abc?lang=fi&amp;sig=1"));
}

#[test]
fn the_fallback_text_is_marked_with_its_own_language() {
    let b = brief(BOIL_WATER);
    let edition = Edition {
        briefs: vec![(&b).into()],
        date: now(),
        platforms: Default::default(),
        questions_received: None,
        you_asked: Vec::new(),
    };
    let html = compose(&Content::embedded(), &edition, Language::En, fallback_to(Language::Sv))
        .unwrap()
        .personalise(&recipient())
        .html;
    let doc = Html::parse_document(&html);
    assert_eq!(select(&doc, "html")[0].value().attr("lang"), Some("en"));
    let article = select(&doc, "article")[0];
    assert_eq!(article.value().attr("lang"), Some("sv"));
    let note = select(&doc, "article .note")[0];
    assert_eq!(note.value().attr("lang"), Some("en"));
    assert_eq!(
        note.text().collect::<String>(),
        "This brief is not yet available in English, so here it is in Swedish."
    );
}
