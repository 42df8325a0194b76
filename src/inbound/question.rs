//! A question: what the person wrote, without the edition they were answering or their app's
//! signature.

use serde::Serialize;

use super::body::normalize_whitespace;
use super::quoted::{history_start, inline_attributions, is_quote_line};
use super::signature::signature_start;
use crate::language::Language;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// The cleaned text. Greetings and sign-offs the person typed ("Hei!", "t. Aino") are kept:
    /// they are their words and tell the coordinator who asks; only what a program added goes.
    /// Empty when the reply held nothing but quotes.
    pub text: String,
    /// From Content-Language; the caller may prefer the language of the matched delivery.
    pub language: Option<Language>,
}

impl Question {
    pub(crate) fn new(text: String, language: Option<Language>) -> Question {
        Question { text, language }
    }
}

/// The most of a question the log keeps, in characters: a few pages. The raw message keeps the
/// rest until retention deletes it; one 24 MB reply must not become a 24 MB row that every
/// listing of the log then sorts and sends.
pub const QUESTION_MAX_CHARS: usize = 10_000;

/// Marks a question cut at `QUESTION_MAX_CHARS`.
const CUT: &str = "\n[…]";

/// Removes quoted history, signatures and `>` lines, normalises whitespace, and keeps at most
/// `QUESTION_MAX_CHARS`.
pub fn clean_question_text(body: &str) -> String {
    let mut text = cleaned(body);
    if let Some((cut_at, _)) = text.char_indices().nth(QUESTION_MAX_CHARS) {
        text.truncate(cut_at);
        text.push_str(CUT);
    }
    text
}

fn cleaned(body: &str) -> String {
    let body = normalize_whitespace(body);
    let lines: Vec<&str> = body.lines().collect();
    let end = [history_start(&lines), signature_start(&lines)]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(lines.len());
    let kept = &lines[..end];
    let attributions = inline_attributions(kept);
    let own: Vec<&str> = kept
        .iter()
        .enumerate()
        .filter(|(i, line)| !is_quote_line(line) && !attributions.contains(i))
        .map(|(_, line)| *line)
        .collect();
    normalize_whitespace(&own.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_reply_is_kept_to_a_few_pages() {
        let body = "Miksi? ".repeat(1_000_000);
        let text = clean_question_text(&body);
        assert_eq!(text.chars().count(), QUESTION_MAX_CHARS + CUT.chars().count());
        assert!(text.starts_with("Miksi? Miksi?") && text.ends_with(CUT));
        assert_eq!(clean_question_text("Lyhyt kysymys?"), "Lyhyt kysymys?");
    }

    #[test]
    fn keeps_the_questions_and_the_sign_off() {
        let body = "Hei!\n\nKysymys yksi?\n\nKysymys kaksi?\n\nt. Aino\n\nLähetetty iPhonesta\n\n\
                    ma 23.11.2026 klo 8.00 Koronafaktat <news@example.fi> kirjoitti:\n> Varaudu\n>\n> myrskyyn";
        assert_eq!(
            clean_question_text(body),
            "Hei!\n\nKysymys yksi?\n\nKysymys kaksi?\n\nt. Aino"
        );
    }

    #[test]
    fn inline_answers_keep_the_answers_only() {
        let body = "On Mon, 23 Nov 2026 K <n@example.fi> wrote:\n> Stay home 72 hours.\n\nPets too?\n\n> Store water.\n\nHow much?";
        assert_eq!(clean_question_text(body), "Pets too?\n\nHow much?");
    }

    #[test]
    fn nothing_but_a_quote_leaves_nothing() {
        assert_eq!(clean_question_text("\n> only\n> quoted\n"), "");
    }
}
