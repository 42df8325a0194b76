//! Rules about text that came from outside and ends up in a mail header or a one-line report.

/// Whether `c` ends a line for some reader of the text: control characters (tab, CR, LF, NUL, …)
/// and the Unicode line and paragraph separators. A name, an address or a title holds none.
pub fn breaks_a_line(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// The first character of `text` that would break it over lines, if any.
pub fn line_break_in(text: &str) -> Option<char> {
    text.chars().find(|&c| breaks_a_line(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_titles_are_one_line() {
        assert_eq!(line_break_in("Aino Virtanen"), None);
        assert_eq!(line_break_in("Inés García – Öberg"), None);
        for bad in [
            "Lf\nonly",
            "Cr\r\nLf",
            "tab\there",
            "nul\0",
            "line\u{2028}sep",
            "para\u{2029}sep",
        ] {
            assert!(line_break_in(bad).is_some(), "{bad:?}");
        }
    }
}
