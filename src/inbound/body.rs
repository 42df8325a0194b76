//! The text a person wrote: text/plain when the sender's program gave one, else its HTML as text.

use mail_parser::{Message, PartType};

use super::html_text::html_to_text;

/// All text body parts, in order (Apple Mail splits a body around inline images), each as text.
pub(crate) fn best_text(message: &Message<'_>) -> String {
    let parts: Vec<String> = message
        .text_bodies()
        .filter_map(|part| match &part.body {
            PartType::Text(text) => Some(text.to_string()),
            PartType::Html(html) => Some(html_to_text(html)),
            _ => None,
        })
        .collect();
    parts.join("\n\n")
}

/// One form for every text: `\n` line ends, no trailing spaces, no-break spaces as spaces, no
/// blank lines at either end and at most one blank line between paragraphs.
pub(crate) fn normalize_whitespace(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line = line
            .replace(['\u{a0}', '\u{200b}', '\u{feff}'], " ")
            .trim_end()
            .to_string();
        if line.is_empty() && out.last().is_none_or(|last| last.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|last| last.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_normalised() {
        let text = "\r\n\r\nHei!  \r\n\r\n\r\n\r\nKysymys?\u{a0}\r\n\r\n\r\n";
        assert_eq!(normalize_whitespace(text), "Hei!\n\nKysymys?");
    }
}
