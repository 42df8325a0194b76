//! Signatures: the "-- " block and the lines mobile mail programs append on their own.

/// Openings of the lines phone and tablet mail apps add, in English, Finnish and Swedish.
const MOBILE_SIGNATURES: [&str; 22] = [
    "sent from my ",
    "sent from outlook",
    "sent from mail for windows",
    "sent from yahoo mail",
    "sent from samsung",
    "get outlook for ",
    "lähetetty iphonesta",
    "lähetetty ipadista",
    "lähetetty android",
    "lähetetty samsung",
    "lähetetty outlook",
    "lähetetty windowsin",
    "lähetetty mobiililaitteesta",
    "lähetetty yahoo",
    "lähetetty galaxy",
    "hanki outlook",
    "skickat från min ",
    "skickat från outlook",
    "skickat från e-post för windows",
    "skickat från yahoo",
    "skickat från samsung",
    "skaffa outlook",
];

/// Longer lines are sentences that happen to start alike, not an app's signature.
const MAX_SIGNATURE_LINE: usize = 80;

/// Where the signature starts, if there is one: from that line on nothing is the question.
pub(crate) fn signature_start(lines: &[&str]) -> Option<usize> {
    lines
        .iter()
        .position(|line| is_separator(line) || is_mobile_signature(line))
}

/// RFC 3676 §4.3: "-- " alone on a line. Some programs trim the space, so "--" counts too.
fn is_separator(line: &str) -> bool {
    line.trim_end() == "--"
}

fn is_mobile_signature(line: &str) -> bool {
    let line = line.trim();
    let lower = line.to_lowercase();
    line.chars().count() <= MAX_SIGNATURE_LINE && MOBILE_SIGNATURES.iter().any(|opening| lower.starts_with(opening))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_signatures_in_three_languages() {
        for line in [
            "Sent from my iPhone",
            "Lähetetty iPhonesta",
            "Skickat från min iPhone",
            "Lähetetty Android-laitteesta",
            "Hanki Outlook for iOS<https://aka.ms/o0ukef>",
            "Get Outlook for Android",
            "Sent from my Galaxy",
        ] {
            assert!(is_mobile_signature(line), "{line}");
        }
    }

    #[test]
    fn sentences_are_not_signatures() {
        assert!(!is_mobile_signature("Lähetetty: maanantai 23. marraskuuta 2026 8.00"));
        assert!(!is_mobile_signature(
            "Sent from my phone to all my followers yesterday, the post got many questions about water storage"
        ));
        assert_eq!(signature_start(&["Hei", "---", "ok"]), None);
        assert_eq!(signature_start(&["Hei", "-- ", "Aino"]), Some(1));
    }
}
