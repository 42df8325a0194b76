//! The roster CSV: parsing and row validation. Storing the result is the store's concern.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::influencer::PLATFORMS;
use super::{EmailAddress, Influencer};
use crate::cadence::Cadence;

/// The header DESIGN.md fixes, in order.
pub const HEADER: [&str; 11] = [
    "email",
    "name",
    "language",
    "platforms",
    "followers",
    "topics",
    "region",
    "tier",
    "cadence",
    "consent_at",
    "consent_source",
];

/// A row that was read and passed every rule, with the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterRow {
    pub line: u64,
    pub influencer: Influencer,
}

/// A row left out, and why, named by its line in the file (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedRow {
    pub line: u64,
    pub email: String,
    pub reason: String,
}

/// What a file holds once read: good rows to store and rejected rows to report.
#[derive(Debug, Default)]
pub struct ParsedRoster {
    pub rows: Vec<RosterRow>,
    pub rejected: Vec<RejectedRow>,
}

/// A file that cannot be read as a roster at all; nothing of it is imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RosterError {
    #[error("line {line}, field `{field}`: not valid UTF-8; save the file as UTF-8 and import again")]
    NotUtf8 { line: u64, field: String },
    #[error("the file is empty: expected the header `{}`", HEADER.join(","))]
    Empty,
    #[error("line 1: wrong header `{found}`: expected `{}`", HEADER.join(","))]
    WrongHeader { found: String },
    #[error("line {line}: {found} fields where the header has {}; quote fields that contain commas", HEADER.len())]
    WrongColumnCount { line: u64, found: usize },
    #[error("line {line}: {message}")]
    Malformed { line: u64, message: String },
}

/// What a reader hands the store as it goes: rows in chunks, then the rows it left out. A reader
/// that stops before `Done` has refused the file, and the store keeps nothing of it.
#[derive(Debug)]
pub enum RosterPart {
    Rows(Vec<RosterRow>),
    Done(Vec<RejectedRow>),
}

/// Rows per part: enough that the store writes in full batches, few enough that a national
/// roster is never in memory at once.
pub const ROWS_PER_PART: usize = 5_000;

/// Reads a roster file held in memory. Structural faults (encoding, header, column count) reject
/// the whole file, because a shifted column would put data in the wrong field; faults in a row's
/// values reject that row only.
pub fn parse(bytes: &[u8]) -> Result<ParsedRoster, RosterError> {
    let mut parsed = ParsedRoster::default();
    read(bytes, |part| {
        match part {
            RosterPart::Rows(rows) => parsed.rows.extend(rows),
            RosterPart::Done(rejected) => parsed.rejected = rejected,
        }
        true
    })?;
    Ok(parsed)
}

/// Reads a roster from `source` as it arrives and hands each part to `send`, which answers false
/// when nobody takes more (then reading stops). Memory holds one part and the addresses seen so
/// far (to find repeats), whatever the file's length. On a structural fault it stops with the
/// error and never sends `Done`.
pub fn read(source: impl std::io::Read, mut send: impl FnMut(RosterPart) -> bool) -> Result<(), RosterError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(source);
    let mut header = csv::StringRecord::new();
    if next_row(&mut reader, &mut header)?.is_none() {
        return Err(RosterError::Empty);
    }
    let found: Vec<&str> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if i == 0 {
                h.trim_start_matches('\u{feff}').trim()
            } else {
                h.trim()
            }
        })
        .collect();
    if found
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .ne(HEADER.iter().map(|h| h.to_string()))
    {
        return Err(RosterError::WrongHeader { found: found.join(",") });
    }

    let mut rows = Vec::new();
    let mut rejected = Vec::new();
    let mut first_line_of: HashMap<EmailAddress, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = next_row(&mut reader, &mut record)? {
        if record.len() != HEADER.len() {
            return Err(RosterError::WrongColumnCount {
                line,
                found: record.len(),
            });
        }
        let field = |i: usize| record.get(i).unwrap_or_default().trim();
        match parse_row(&field) {
            Ok(influencer) => {
                if let Some(first) = first_line_of.get(&influencer.email) {
                    rejected.push(RejectedRow {
                        line,
                        email: field(0).to_string(),
                        reason: format!("same address as line {first} (addresses compare case-insensitively)"),
                    });
                    continue;
                }
                first_line_of.insert(influencer.email.clone(), line);
                rows.push(RosterRow { line, influencer });
                if rows.len() == ROWS_PER_PART && !send(RosterPart::Rows(std::mem::take(&mut rows))) {
                    return Ok(());
                }
            }
            Err(reason) => rejected.push(RejectedRow {
                line,
                // Shown in a one-line report, so whatever broke the line is shown escaped.
                email: field(0).escape_debug().to_string(),
                reason,
            }),
        }
    }
    if !rows.is_empty() && !send(RosterPart::Rows(rows)) {
        return Ok(());
    }
    send(RosterPart::Done(rejected));
    Ok(())
}

/// Reads the next record that is not a blank line into `record` (one buffer for the whole file)
/// and returns its line; `None` at the end.
fn next_row(
    reader: &mut csv::Reader<impl std::io::Read>,
    record: &mut csv::StringRecord,
) -> Result<Option<u64>, RosterError> {
    loop {
        match reader.read_record(record) {
            Ok(false) => return Ok(None),
            Ok(true) => {}
            Err(e) => {
                return Err(match e.kind() {
                    csv::ErrorKind::Utf8 { pos, err } => RosterError::NotUtf8 {
                        line: pos.as_ref().map_or(0, |p| p.line()),
                        field: HEADER
                            .get(err.field())
                            .map_or_else(|| format!("column {}", err.field() + 1), |h| h.to_string()),
                    },
                    _ => malformed(e),
                });
            }
        }
        // A blank line, often the last one, is no row.
        if !(record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty())) {
            return Ok(Some(record.position().map_or(0, |p| p.line())));
        }
    }
}

fn malformed(e: csv::Error) -> RosterError {
    let line = e.position().map_or(0, |p| p.line());
    RosterError::Malformed {
        line,
        message: e.to_string(),
    }
}

/// Validates one row's values; the reason names the field and the rule.
fn parse_row<'a>(field: &dyn Fn(usize) -> &'a str) -> Result<Influencer, String> {
    // Every field is one line of text: a line break in a name would end up inside a mail header,
    // and a NUL byte inside an address that no mail server takes.
    for (i, name) in HEADER.iter().enumerate() {
        if let Some(c) = crate::text::line_break_in(field(i)) {
            return Err(format!(
                "{name}: contains U+{:04X}; each field is one line of text without control characters",
                c as u32
            ));
        }
    }
    let email = EmailAddress::parse(field(0)).map_err(|e| format!("email: {e}"))?;
    let language = field(2).parse().map_err(|e| format!("language: {e}"))?;
    let platforms = list(field(3));
    if let Some(unknown) = platforms.iter().find(|p| !PLATFORMS.contains(&p.as_str())) {
        return Err(format!(
            "platforms: `{unknown}` is not a known platform (known: {})",
            PLATFORMS.join(", ")
        ));
    }
    let followers = match field(4) {
        "" => 0,
        raw => raw
            .parse::<u64>()
            .map_err(|_| format!("followers: `{raw}` is not a whole number"))?,
    };
    let cadence = match field(8) {
        "" => Cadence::Weekly,
        raw => raw.parse().map_err(|e| format!("cadence: {e}"))?,
    };
    let consent_at = match field(9) {
        "" => return Err("consent_at: no consent recorded".to_string()),
        raw => DateTime::parse_from_rfc3339(raw)
            .map_err(|_| format!("consent_at: `{raw}` is not an RFC 3339 time such as 2026-03-02T10:15:00+02:00"))?
            .with_timezone(&Utc),
    };
    let consent_source = match field(10) {
        "" => return Err("consent_source: consent time given without its source".to_string()),
        raw => raw.to_string(),
    };
    Ok(Influencer {
        email,
        name: field(1).to_string(),
        language,
        platforms,
        followers,
        topics: list(field(5)),
        region: field(6).to_string(),
        tier: field(7).to_lowercase(),
        cadence,
        consent_at,
        consent_source,
    })
}

/// A `;`-separated field as a lowercased list without empty items or repeats.
pub fn list(raw: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for item in raw
        .split(';')
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
    {
        if !items.contains(&item) {
            items.push(item);
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;

    const HEAD: &str = "email,name,language,platforms,followers,topics,region,tier,cadence,consent_at,consent_source";

    fn roster(rows: &[&str]) -> String {
        let mut s = String::from(HEAD);
        for r in rows {
            s.push('\n');
            s.push_str(r);
        }
        s
    }

    const GOOD: &str =
        "aino@example.com,Aino,fi,instagram;tiktok,100,health,Uusimaa,open,daily,2026-03-02T10:15:00+02:00,form";

    #[test]
    fn reads_a_good_row() {
        let parsed = parse(roster(&[GOOD]).as_bytes()).unwrap();
        assert_eq!(parsed.rejected, vec![]);
        let i = &parsed.rows[0].influencer;
        assert_eq!(parsed.rows[0].line, 2);
        assert_eq!(i.language, Language::Fi);
        assert_eq!(i.platforms, vec!["instagram", "tiktok"]);
        assert_eq!(i.consent_at.to_rfc3339(), "2026-03-02T08:15:00+00:00");
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = format!("\u{feff}{}\r\n{}\r\n", HEAD, GOOD);
        let parsed = parse(text.as_bytes()).unwrap();
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rows[0].influencer.consent_source, "form");
    }

    #[test]
    fn quoted_fields_may_hold_commas() {
        let row = "aino@example.com,\"Virtanen, Aino\",fi,instagram,100,health,\"Helsinki, Uusimaa\",open,daily,2026-03-02T10:15:00+02:00,form";
        let parsed = parse(roster(&[row]).as_bytes()).unwrap();
        assert_eq!(parsed.rows[0].influencer.name, "Virtanen, Aino");
        assert_eq!(parsed.rows[0].influencer.region, "Helsinki, Uusimaa");
    }

    #[test]
    fn a_repeated_address_is_rejected_naming_the_first_line() {
        let parsed = parse(roster(&[GOOD, &GOOD.replace("aino@example.com", "AINO@Example.com")]).as_bytes()).unwrap();
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rejected[0].line, 3);
        assert!(
            parsed.rejected[0].reason.contains("same address as line 2"),
            "{:?}",
            parsed.rejected
        );
    }

    #[test]
    fn each_bad_value_names_its_field() {
        let cases = [
            (GOOD.replace("aino@example.com", "not-an-email"), "email:"),
            (GOOD.replace(",fi,", ",de,"), "language: language `de` is not offered"),
            (
                GOOD.replace("instagram;tiktok", "instagram;myspace"),
                "platforms: `myspace`",
            ),
            (GOOD.replace(",100,", ",lots,"), "followers: `lots`"),
            (GOOD.replace(",daily,", ",hourly,"), "cadence: cadence `hourly`"),
            (
                GOOD.replace("2026-03-02T10:15:00+02:00", ""),
                "consent_at: no consent recorded",
            ),
            (
                GOOD.replace("2026-03-02T10:15:00+02:00", "yesterday"),
                "consent_at: `yesterday`",
            ),
            (GOOD.replace(",form", ","), "consent_source:"),
        ];
        for (row, expected) in cases {
            let parsed = parse(roster(&[&row]).as_bytes()).unwrap();
            assert_eq!(parsed.rows.len(), 0, "{row}");
            assert!(
                parsed.rejected[0].reason.starts_with(expected),
                "{row}: {:?}",
                parsed.rejected
            );
            assert_eq!(parsed.rejected[0].line, 2);
        }
    }

    #[test]
    fn empty_cadence_means_weekly() {
        let parsed = parse(roster(&[&GOOD.replace(",daily,", ",,")]).as_bytes()).unwrap();
        assert_eq!(parsed.rows[0].influencer.cadence, Cadence::Weekly);
    }

    #[test]
    fn structural_faults_reject_the_whole_file() {
        assert_eq!(
            parse(b"mail,name\nx,y").unwrap_err(),
            RosterError::WrongHeader {
                found: "mail,name".into()
            }
        );
        assert_eq!(
            parse(roster(&[GOOD, "a@example.com,A,fi"]).as_bytes()).unwrap_err(),
            RosterError::WrongColumnCount { line: 3, found: 3 }
        );
        let mut latin1 = roster(&[GOOD]).into_bytes();
        latin1.extend_from_slice(b"\nj\xe4rvi@example.com,J\xe4rvi");
        assert_eq!(
            parse(&latin1).unwrap_err(),
            RosterError::NotUtf8 {
                line: 3,
                field: "email".into()
            }
        );
        assert_eq!(parse(b"").unwrap_err(), RosterError::Empty);
    }

    #[test]
    fn the_message_for_a_wrong_header_shows_the_expected_one() {
        let msg = parse(b"mail,name\n").unwrap_err().to_string();
        assert!(
            msg.starts_with("line 1: wrong header `mail,name`: expected `email,name,language,"),
            "{msg}"
        );
    }
}
