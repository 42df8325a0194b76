//! Quoted history: the edition (or an earlier message) that mail programs append to a reply.

/// Separators after which Outlook, Thunderbird and mobile clients put the whole earlier message.
const ORIGINAL_MESSAGE_MARKERS: [&str; 7] = [
    "original message",
    "alkuperäinen viesti",
    "alkuperäinen sanoma",
    "ursprungligt meddelande",
    "forwarded message",
    "välitetty viesti",
    "vidarebefordrat meddelande",
];

/// The first field of Outlook's header block ("From:" in en, "Lähettäjä:" in fi, "Från:" in sv).
const HEADER_BLOCK_FROM: [&str; 3] = ["from:", "lähettäjä:", "från:"];
/// The field that must follow it within a few lines for the block to count as one.
const HEADER_BLOCK_SENT: [&str; 6] = ["sent:", "lähetetty:", "skickat:", "date:", "päivämäärä:", "datum:"];

const ATTRIBUTION_ENDINGS: [&str; 3] = ["wrote:", "kirjoitti:", "skrev:"];
/// Apple Mail and Swedish Gmail put the verb in the middle: "Den … skrev Koronafakta <…>:".
const ATTRIBUTION_VERBS: [&str; 3] = [" wrote ", " kirjoitti ", " skrev "];

pub(crate) fn is_quote_line(line: &str) -> bool {
    line.trim_start().starts_with('>')
}

/// Where the appended history starts, if it does: from that line on nothing is the person's.
pub(crate) fn history_start(lines: &[&str]) -> Option<usize> {
    lines.iter().enumerate().find_map(|(i, line)| {
        if is_outlook_rule(line) || is_original_message_marker(line) || is_header_block(lines, i) {
            return Some(i);
        }
        let start = attribution_start(lines, i)?;
        // Only history if nothing but quotes follows; otherwise the person answered inline
        // (bottom-posting) and the attribution is dropped alone, with the quoted lines.
        let only_quotes_follow = lines[i + 1..].iter().all(|l| l.trim().is_empty() || is_quote_line(l));
        only_quotes_follow.then_some(start)
    })
}

/// Attribution lines of replies that continue below the quote; removed without cutting.
pub(crate) fn inline_attributions(lines: &[&str]) -> Vec<usize> {
    (0..lines.len())
        .filter_map(|i| attribution_start(lines, i).map(|start| start..=i))
        .flatten()
        .collect()
}

/// Outlook desktop draws a line of 32 underscores above the earlier message's header block.
fn is_outlook_rule(line: &str) -> bool {
    let line = line.trim();
    line.len() >= 20 && line.chars().all(|c| c == '_')
}

fn is_original_message_marker(line: &str) -> bool {
    let line = line.trim();
    if !line.starts_with("--") {
        return false;
    }
    let inner = line
        .trim_matches(|c: char| c == '-' || c.is_whitespace())
        .to_lowercase();
    ORIGINAL_MESSAGE_MARKERS.contains(&inner.as_str())
}

fn header_field_starts(line: &str, names: &[&str]) -> bool {
    let line = line.trim_start().trim_start_matches('*').to_lowercase();
    names.iter().any(|name| line.starts_with(name))
}

/// "From: …" followed within three lines by "Sent: …", in any of our languages.
fn is_header_block(lines: &[&str], i: usize) -> bool {
    header_field_starts(lines[i], &HEADER_BLOCK_FROM)
        && lines[i + 1..]
            .iter()
            .take(3)
            .any(|next| header_field_starts(next, &HEADER_BLOCK_SENT))
}

/// If line `i` ends an attribution ("On … wrote:"), the line it starts on: Gmail wraps a long
/// attribution so that "wrote:" or "kirjoitti:" can stand alone on the next line.
fn attribution_start(lines: &[&str], i: usize) -> Option<usize> {
    let line = lines[i].trim();
    let lower = line.to_lowercase();
    let ends_like_attribution = ATTRIBUTION_ENDINGS.iter().any(|e| lower.ends_with(e))
        || (lower.ends_with(':') && ATTRIBUTION_VERBS.iter().any(|v| lower.contains(v)));
    if !ends_like_attribution || is_quote_line(line) {
        return None;
    }
    let names_someone = |text: &str| text.contains('@') || text.chars().any(|c| c.is_ascii_digit());
    if names_someone(line) {
        return Some(i);
    }
    let previous = i
        .checked_sub(1)
        .map(|p| lines[p].trim())
        .filter(|p| !p.is_empty() && !is_quote_line(p));
    match previous {
        Some(previous) if names_someone(previous) => Some(i - 1),
        // A bare "kirjoitti:" is still an attribution when a quote follows it directly.
        _ => lines.get(i + 1).filter(|next| is_quote_line(next)).map(|_| i),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(text: &str) -> Option<usize> {
        history_start(&text.lines().collect::<Vec<_>>())
    }

    #[test]
    fn gmail_attributions_wrapped_or_not() {
        assert_eq!(
            start("Q?\n\nOn Mon, 23 Nov 2026 at 08:00, K <n@example.fi> wrote:\n> old"),
            Some(2)
        );
        assert_eq!(
            start("Q?\n\nma 23.11.2026 klo 8.00 K <n@example.fi>\nkirjoitti:\n\n> old"),
            Some(2)
        );
        assert_eq!(
            start("Q?\n\nDen mån 23 nov. 2026 kl 08:00 skrev K <n@example.fi>:\n> old"),
            Some(2)
        );
    }

    #[test]
    fn outlook_blocks_in_three_languages() {
        assert_eq!(
            start("Q?\n\nLähettäjä: K <n@example.fi>\nLähetetty: maanantai 23.\nAihe: x\n\nold"),
            Some(2)
        );
        assert_eq!(start("Q?\n\n*From:* K <n@example.fi>\n*Sent:* Monday\n\nold"), Some(2));
        assert_eq!(start("Q?\n________________________________\nFrån: K"), Some(1));
        assert_eq!(start("Q?\n-----Alkuperäinen viesti-----\nold"), Some(1));
    }

    #[test]
    fn a_question_mentioning_these_words_is_kept() {
        assert_eq!(
            start("The minister wrote: stay home?\nFrom: whom should we hear?"),
            None
        );
        assert_eq!(start("Mitä kirjoitti:\nsinä?"), None);
    }

    #[test]
    fn inline_answers_below_a_quote_keep_the_answer() {
        let text = "On Mon, 23 Nov 2026 K <n@example.fi> wrote:\n> Stay home 72 hours.\n\nDoes that include pets?";
        assert_eq!(start(text), None);
        assert_eq!(inline_attributions(&text.lines().collect::<Vec<_>>()), vec![0]);
    }
}
