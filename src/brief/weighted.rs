//! X's weighted length, after the twitter-text 3 rules: text is NFC-normalised; characters in
//! the Latin, punctuation and symbol ranges below U+1100 and a few general-punctuation blocks
//! count 1, every other character 2; a whole emoji sequence (with skin tones, ZWJ joins,
//! keycaps or a flag pair) counts 2; and every link counts 23 whatever its length.

use unicode_normalization::UnicodeNormalization;

const LINK_WEIGHT: usize = 23;
const EMOJI_WEIGHT: usize = 2;

/// The top-level domains recognised in links written without a scheme (`72tuntia.fi`).
/// twitter-text knows every TLD; these are the ones Finnish public communication uses.
const BARE_DOMAIN_TLDS: &[&str] = &[
    "fi", "ax", "se", "eu", "com", "org", "net", "info", "gov", "int", "io", "no", "dk", "ee", "uk",
];

pub fn x_weighted_length(text: &str) -> usize {
    let text: String = text.nfc().collect();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut total = 0;
    let mut i = 0;
    while i < chars.len() {
        let at_word_start = i == 0 || chars[i - 1].1.is_whitespace() || "([\"'".contains(chars[i - 1].1);
        if at_word_start && let Some(len) = link_len(&text[chars[i].0..]) {
            total += LINK_WEIGHT;
            let end = chars[i].0 + len;
            while i < chars.len() && chars[i].0 < end {
                i += 1;
            }
            continue;
        }
        if let Some(n) = emoji_sequence_len(&chars[i..]) {
            total += EMOJI_WEIGHT;
            i += n;
            continue;
        }
        total += char_weight(chars[i].1);
        i += 1;
    }
    total
}

fn char_weight(c: char) -> usize {
    let light = matches!(c as u32, 0..=0x10FF | 0x2000..=0x200D | 0x2010..=0x201F | 0x2032..=0x2037);
    if light { 1 } else { 2 }
}

/// The byte length of a link at the start of `s`, if one starts there.
fn link_len(s: &str) -> Option<usize> {
    let token_end = s.find(char::is_whitespace).unwrap_or(s.len());
    let token = s[..token_end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
    let lower = token.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) {
        return (!rest.is_empty()).then_some(token.len());
    }
    let host = lower.split(['/', '?', '#']).next().unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    let well_formed = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let tld = labels.last().copied().unwrap_or_default();
    (well_formed && BARE_DOMAIN_TLDS.contains(&tld)).then_some(token.len())
}

fn is_emoji_base(c: char) -> bool {
    matches!(c as u32,
        0x231A..=0x231B | 0x23E9..=0x23FA | 0x2600..=0x27BF | 0x2934..=0x2935 | 0x2B05..=0x2B55
        | 0x3030 | 0x303D | 0x3297 | 0x3299 | 0x1F000..=0x1FAFF)
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c as u32, 0x1F1E6..=0x1F1FF)
}

fn is_modifier(c: char) -> bool {
    matches!(c as u32, 0xFE0E..=0xFE0F | 0x1F3FB..=0x1F3FF | 0x20E3 | 0xE0020..=0xE007F)
}

/// How many characters the emoji sequence starting at `chars[0]` spans, if one starts there.
fn emoji_sequence_len(chars: &[(usize, char)]) -> Option<usize> {
    let first = chars.first()?.1;
    let keycap = (first.is_ascii_digit() || first == '#' || first == '*')
        && chars.get(1).is_some_and(|c| c.1 == '\u{FE0F}')
        && chars.get(2).is_some_and(|c| c.1 == '\u{20E3}');
    if keycap {
        return Some(3);
    }
    if is_regional_indicator(first) {
        let pair = chars.get(1).is_some_and(|c| is_regional_indicator(c.1));
        return Some(if pair { 2 } else { 1 });
    }
    if !is_emoji_base(first) {
        return None;
    }
    let mut n = 1;
    loop {
        match chars.get(n).map(|c| c.1) {
            Some(m) if is_modifier(m) => n += 1,
            Some('\u{200D}') if chars.get(n + 1).is_some_and(|c| is_emoji_base(c.1)) => n += 2,
            _ => return Some(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_and_nordic_letters_count_one() {
        assert_eq!(x_weighted_length("Keitä vettä, koka"), 17);
        assert_eq!(x_weighted_length("åäö ÅÄÖ"), 7);
    }

    #[test]
    fn decomposed_letters_are_normalised_first() {
        assert_eq!(x_weighted_length("a\u{308}"), 1);
    }

    #[test]
    fn cjk_counts_two() {
        assert_eq!(x_weighted_length("台風"), 4);
    }

    #[test]
    fn emoji_sequences_count_two_each() {
        assert_eq!(x_weighted_length("⚡"), 2);
        assert_eq!(x_weighted_length("👍🏽"), 2);
        assert_eq!(x_weighted_length("👩\u{200D}🚒"), 2);
        assert_eq!(x_weighted_length("🇫🇮"), 2);
        assert_eq!(x_weighted_length("1\u{FE0F}\u{20E3}"), 2);
    }

    #[test]
    fn links_count_23_with_or_without_scheme() {
        assert_eq!(
            x_weighted_length("https://www.ruokavirasto.fi/sv/hemberedskap/lista"),
            23
        );
        assert_eq!(x_weighted_length("Kolla listan: 72timmar.fi."), 14 + 23 + 1);
        assert_eq!(x_weighted_length("http://a.fi"), 23);
    }

    #[test]
    fn words_with_dots_are_not_links() {
        assert_eq!(x_weighted_length("klo 8.00 esim.ks"), 16);
    }
}
