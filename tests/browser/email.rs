//! The edition's email as mail apps show it, on a 390 px phone: with its `<style>` block, with the
//! block dropped (Gmail's app for other accounts, several Outlooks) and with every style gone. In
//! each, nothing is wider than the screen and every ready-to-post text is there to copy.

use briefcast::language::Language;
use briefcast::pack::{Carried, Content, Edition, compose};
use fantoccini::Locator;

use crate::common::pack::{BOIL_WATER, STORM, brief, fallback_to, now, recipient};
use crate::support::{browser, screenshots, tools};

/// The HTML with the `<style>` block taken out.
fn without_style_block(html: &str) -> String {
    match (html.find("<style>"), html.find("</style>")) {
        (Some(start), Some(end)) => format!("{}{}", &html[..start], &html[end + "</style>".len()..]),
        _ => html.to_string(),
    }
}

/// The HTML with no style at all: no block, no `style` attributes.
fn without_any_style(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = without_style_block(html);
    while let Some(at) = rest.find(" style=\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + " style=\"".len()..];
        let end = after.find('"').map_or(after.len(), |e| e + 1);
        rest = after[end..].to_string();
    }
    out.push_str(&rest);
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_the_email_fits_the_screen_and_shows_every_text_with_or_without_styles() {
    let Some(tools) = tools() else {
        return;
    };
    let (storm, boil) = (brief(STORM), brief(BOIL_WATER));
    let edition = Edition {
        briefs: vec![
            Carried {
                brief: &storm,
                page: Some("https://briefcast.valtioneuvosto.example.fi/p/1024"),
                sources: None,
            },
            Carried {
                brief: &boil,
                page: Some("https://briefcast.valtioneuvosto.example.fi/p/1025"),
                sources: None,
            },
        ],
        date: now(),
        platforms: briefcast::pack::ReaderPlatforms::of(&["tiktok"]),
        questions_received: Some(12),
        you_asked: Vec::new(),
    };
    // A realistic reply address and links: long, unbroken, on a real ministry's domain.
    let mut reader = recipient();
    reader.reply_address = "questions+am5uswtkmmml7qasye3xq@kysymykset.valtioneuvosto.example.fi".into();
    reader.unsubscribe_url = format!("https://briefcast.valtioneuvosto.example.fi/u/{}", "a1b2c3d4".repeat(6));
    let client = browser(&tools).await;
    let dir = tempfile::tempdir().unwrap();
    for language in Language::ALL {
        let composed = compose(&Content::embedded(), &edition, language, fallback_to(Language::Fi)).unwrap();
        let html = composed.personalise(&reader).html;
        assert!(
            html.contains(&format!("href=\"mailto:{}\"", reader.reply_address)),
            "{language}: the question link is the reader's own address"
        );
        assert!(
            !html.contains(&format!(">{}", reader.reply_address)),
            "{language}: the token address is not printed as text"
        );
        let texts: Vec<String> = [&storm, &boil]
            .iter()
            .filter_map(|b| b.block(language).or_else(|| b.block(Language::Fi)))
            .flat_map(|block| {
                [
                    block.tiktok.as_ref().map(|t| t.script.clone()),
                    block.x.as_ref().map(|x| x.post.clone()),
                ]
            })
            .flatten()
            .collect();
        assert!(!texts.is_empty());
        for (variant, page) in [
            ("styled", html.clone()),
            ("no-style-block", without_style_block(&html)),
            ("unstyled", without_any_style(&html)),
        ] {
            let path = dir.path().join(format!("{language}-{variant}.html"));
            std::fs::write(&path, &page).unwrap();
            client.set_window_size(390, 844).await.unwrap();
            client.goto(&format!("file://{}", path.display())).await.unwrap();
            let width = client
                .execute("return document.documentElement.scrollWidth", vec![])
                .await
                .unwrap()
                .as_u64()
                .unwrap_or(u64::MAX);
            let viewport = client
                .execute("return document.documentElement.clientWidth", vec![])
                .await
                .unwrap()
                .as_u64()
                .unwrap_or(0);
            assert!(
                width <= viewport,
                "{language} {variant}: the page is {width} px wide on a {viewport} px screen"
            );
            let shown = client.find(Locator::Css("body")).await.unwrap().text().await.unwrap();
            let shown: String = shown.split_whitespace().collect::<Vec<_>>().join(" ");
            for text in &texts {
                let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(shown.contains(&text), "{language} {variant}: `{text}` is not shown");
            }
            screenshots(&client, &format!("email-{language}-{variant}")).await;
        }
    }
    client.close().await.unwrap();
}
