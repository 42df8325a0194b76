//! HTML-only replies as plain text, keeping what our quote rules need: `<blockquote>` becomes
//! `> ` lines, blocks become lines, and links are just their text.

use html2text::render::{TaggedLine, TextDecorator};

/// Lines are never wrapped: the question log shows what the person typed, and our quote and
/// signature rules look at whole lines.
const NO_WRAP: usize = 100_000;

pub(crate) fn html_to_text(html: &str) -> String {
    html2text::config::with_decorator(ReplyDecorator)
        .allow_width_overflow()
        .string_from_read(html.as_bytes(), NO_WRAP)
        // html2text only fails on I/O from its reader, which a byte slice never gives; should
        // it still refuse, ammonia keeps the words without the tags.
        .unwrap_or_else(|_| ammonia::Builder::empty().clean(html).to_string())
}

/// html2text's plain decorator brackets links and numbers footnotes; its trivial one drops
/// quote markers. A reply needs neither: words as written, quotes marked.
#[derive(Clone, Copy)]
struct ReplyDecorator;

impl TextDecorator for ReplyDecorator {
    type Annotation = ();

    fn decorate_link_start(&mut self, _url: &str) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_link_end(&mut self) -> String {
        String::new()
    }
    fn decorate_em_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_em_end(&self) -> String {
        String::new()
    }
    fn decorate_strong_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_strong_end(&self) -> String {
        String::new()
    }
    fn decorate_strikeout_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_strikeout_end(&self) -> String {
        String::new()
    }
    fn decorate_code_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_code_end(&self) -> String {
        String::new()
    }
    fn decorate_preformat_first(&self) {}
    fn decorate_preformat_cont(&self) {}
    fn decorate_image(&mut self, _src: &str, title: &str) -> (String, ()) {
        (title.to_string(), ())
    }
    fn header_prefix(&self, _level: usize) -> String {
        String::new()
    }
    fn quote_prefix(&self) -> String {
        "> ".to_string()
    }
    fn unordered_item_prefix(&self) -> String {
        "- ".to_string()
    }
    fn ordered_item_prefix(&self, i: i64) -> String {
        format!("{i}. ")
    }
    fn make_subblock_decorator(&self) -> Self {
        ReplyDecorator
    }
    fn decorate_superscript_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_superscript_end(&self) -> String {
        String::new()
    }
    fn finalise(&mut self, _urls: Vec<String>) -> Vec<TaggedLine<()>> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inbound::body::normalize_whitespace;

    #[test]
    fn blocks_become_lines_and_quotes_become_quote_lines() {
        let html = "<div>Hei,</div><div>onko <a href=\"https://x.example\">vesi</a> juotavaa?</div>\
                    <ul><li>yksi</li></ul><blockquote><p>Vanha</p></blockquote>";
        assert_eq!(
            normalize_whitespace(&html_to_text(html)),
            "Hei,\nonko vesi juotavaa?\n- yksi\n\n> Vanha"
        );
    }
}
