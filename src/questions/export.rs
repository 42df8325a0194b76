//! The question log as CSV for the authorities.

use crate::questions::QuestionRecord;

pub const CSV_COLUMNS: [&str; 11] = [
    "id",
    "received",
    "language",
    "brief",
    "edition",
    "status",
    "authority",
    "question",
    "answer",
    "answer_link",
    "asked_by",
];

/// One row per question. Personal data stays out: `asked_by` is filled only for askers who
/// agreed to be named, and never with their address.
pub fn write_csv(questions: &[QuestionRecord]) -> anyhow::Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(CSV_COLUMNS)?;
    for q in questions {
        let asked_by = if q.may_name { q.influencer_name.clone() } else { None };
        let brief = q.brief_slug.clone().or_else(|| q.brief_id.map(|id| id.to_string()));
        let cells = [
            q.id.to_string(),
            q.received_at.to_rfc3339(),
            q.language.map(|l| l.code().to_string()).unwrap_or_default(),
            brief.unwrap_or_default(),
            q.edition_id.map(|id| id.to_string()).unwrap_or_default(),
            q.status.to_string(),
            q.authority.clone().unwrap_or_default(),
            q.text.clone(),
            q.answer.clone().unwrap_or_default(),
            q.answer_url.clone().unwrap_or_default(),
            asked_by.unwrap_or_default(),
        ];
        out.write_record(cells.iter().map(|cell| spreadsheet_safe(cell)))?;
    }
    Ok(out.into_inner()?)
}

/// Authorities open this file in a spreadsheet, and the question text is written by anyone who
/// can send mail: a cell starting with `=`, `+`, `-` or `@` would run as a formula (OWASP "CSV
/// injection"), so such cells get a leading apostrophe.
fn spreadsheet_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_do_not_run() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("Hei"), "Hei");
    }
}
