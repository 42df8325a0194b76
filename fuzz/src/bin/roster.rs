//! The roster CSV: whatever the bytes, parsing ends in rows and rejections or a file error.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Ok(parsed) = briefcast::audience::roster::parse(data) {
            for rejected in &parsed.rejected {
                assert!(!rejected.email.contains('\n'), "a report line broken by its own data");
            }
            for row in &parsed.rows {
                assert!(briefcast::text::line_break_in(&row.influencer.name).is_none());
            }
        }
    });
}
