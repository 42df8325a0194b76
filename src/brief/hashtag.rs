//! Hashtags: `#` and then letters, digits or underscores, the way the platforms cut them.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// A normalised hashtag: leading `#`, NFC, no spaces or punctuation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Hashtag(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashtagError {
    #[error("a hashtag is empty")]
    Empty,
    #[error("hashtag `{0}` contains a space; the platforms would cut it there")]
    Space(String),
    #[error("hashtag `{0}` contains `{1}`; only letters, digits and _ stay in a hashtag")]
    Character(String, char),
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Hashtag {
    pub fn parse(raw: &str) -> Result<Hashtag, HashtagError> {
        let trimmed = raw.trim();
        let body: String = trimmed.strip_prefix('#').unwrap_or(trimmed).nfc().collect();
        if body.is_empty() {
            return Err(HashtagError::Empty);
        }
        if body.chars().any(char::is_whitespace) {
            return Err(HashtagError::Space(trimmed.to_string()));
        }
        if let Some(bad) = body.chars().find(|c| !is_tag_char(*c)) {
            return Err(HashtagError::Character(trimmed.to_string(), bad));
        }
        Ok(Hashtag(format!("#{body}")))
    }

    /// Platforms treat `#Myrsky` and `#myrsky` as one tag, so duplicates compare caselessly.
    pub fn same_as(&self, other: &Hashtag) -> bool {
        self.0.to_lowercase() == other.0.to_lowercase()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Hashtag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The hashtags written into a text, in order, as a platform would find them: a `#` at the
/// start or after a non-word character, followed by at least one word character.
pub fn hashtags_in(text: &str) -> Vec<Hashtag> {
    let text: String = text.nfc().collect();
    let mut found = Vec::new();
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '#' && !prev.is_some_and(is_tag_char) {
            let rest = &text[i + 1..];
            let len: usize = rest.chars().take_while(|c| is_tag_char(*c)).map(char::len_utf8).sum();
            if len > 0 {
                found.push(Hashtag(format!("#{}", &rest[..len])));
                while chars.peek().is_some_and(|(j, _)| *j <= i + len) {
                    prev = chars.next().map(|(_, c)| c);
                }
                continue;
            }
        }
        prev = Some(c);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_the_leading_hash_and_composed_letters() {
        let decomposed = "keita\u{308}vesi";
        assert_eq!(Hashtag::parse(decomposed).unwrap().as_str(), "#keitävesi");
        assert_eq!(Hashtag::parse(" #72timmar ").unwrap().as_str(), "#72timmar");
    }

    #[test]
    fn rejects_spaces_and_punctuation() {
        assert!(matches!(Hashtag::parse("#72 tuntia"), Err(HashtagError::Space(_))));
        assert!(matches!(
            Hashtag::parse("#keitä-vesi"),
            Err(HashtagError::Character(_, '-'))
        ));
        assert_eq!(Hashtag::parse("#"), Err(HashtagError::Empty));
    }

    #[test]
    fn finds_hashtags_in_text_but_not_inside_words_or_urls() {
        let tags = hashtags_in("Varaudu! #72tuntia ja #Myrsky, ei a#b eikä # yksin");
        let tags: Vec<&str> = tags.iter().map(Hashtag::as_str).collect();
        assert_eq!(tags, ["#72tuntia", "#Myrsky"]);
    }
}
