//! Press-release feeds: the government feed's items with their escaped CDATA descriptions read
//! as clean sentences, drafted into briefs in the feed's language; Atom too; refusals named.

use briefcast::brief::{read_feed, validate};
use briefcast::language::Language;
use briefcast::pack::Content;

const FEED: &str = include_str!("../fixtures/cap/05-press-releases.rss");

#[test]
fn each_item_becomes_a_draft_with_its_clean_sentence_in_the_feeds_language() {
    let feed = read_feed(FEED).unwrap();
    assert_eq!(feed.title, "Valtioneuvosto – Tiedotteet");
    assert_eq!(feed.language, Some(Language::Fi));
    assert_eq!(feed.items.len(), 2);
    let first = &feed.items[0];
    assert_eq!(first.guid, "10616-2026-12-01");
    assert_eq!(
        first.summary,
        "Valtioneuvosto muistuttaa, että jokaisen kotitalouden tulisi pärjätä omillaan vähintään 72 tuntia. 72tuntia.fi"
    );
    assert!(!first.summary.contains("CDATA") && !first.summary.contains('<'));
    assert_eq!(first.published.unwrap().to_rfc3339(), "2026-12-01T10:00:00+00:00");
    let brief = first.draft(&feed, Language::Fi);
    let fi = brief.block(Language::Fi).unwrap();
    assert_eq!(
        fi.title,
        "Hallitus suosittaa kotivaran tarkistamista ennen talven myrskyjä"
    );
    assert_eq!(
        fi.facts[0].source,
        "https://valtioneuvosto.fi/-/10616/hallitus-suosittaa-kotivaran-tarkistamista"
    );
    assert_eq!(brief.meta.slug, "press-10616-2026-12-01");
    assert_eq!(brief.meta.source, "Valtioneuvosto – Tiedotteet");
    // A whole brief, if a thin one: the ready-to-post texts are the coordinator's to add.
    let problems = validate(&brief, &Content::embedded().limits);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(brief.block(Language::Fi).unwrap().instagram.is_none());
}

#[test]
fn an_atom_feed_reads_the_same_way() {
    let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="sv-FI">
  <title>Statsrådet – Pressmeddelanden</title>
  <entry>
    <id>tag:valtioneuvosto.fi,2026:1271139</id>
    <title>Vaccinationerna börjar på måndag</title>
    <link href="https://valtioneuvosto.fi/sv/-/1271139"/>
    <updated>2026-12-01T07:30:00Z</updated>
    <summary type="html">&lt;p&gt;Influensavaccinationerna börjar 7.12.&lt;/p&gt;</summary>
  </entry>
</feed>"#;
    let feed = read_feed(atom).unwrap();
    assert_eq!(feed.language, Some(Language::Sv));
    assert_eq!(feed.items[0].summary, "Influensavaccinationerna börjar 7.12.");
    assert_eq!(feed.items[0].link, "https://valtioneuvosto.fi/sv/-/1271139");
}

#[test]
fn what_is_not_a_feed_is_refused_with_why() {
    let html = read_feed("<html><body>Service unavailable</body></html>")
        .unwrap_err()
        .to_string();
    assert!(html.contains("an HTML page, not a feed"), "{html}");
    let other = read_feed("<opml version=\"2.0\"/>").unwrap_err().to_string();
    assert!(other.contains("neither an RSS 2.0"), "{other}");
    let dtd = read_feed("<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><rss/>").unwrap_err();
    assert!(dtd.to_string().contains("not a well-formed feed"), "{dtd}");
}
