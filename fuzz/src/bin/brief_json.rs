//! A brief as JSON, as the API takes it, parsed and validated.
fn main() {
    let limits = briefcast::brief::PlatformLimits::embedded();
    afl::fuzz!(|data: &[u8]| {
        if let Ok(text) = std::str::from_utf8(data)
            && let Ok(brief) = briefcast::brief::Brief::from_json(text)
        {
            let _ = briefcast::brief::validate(&brief, &limits);
        }
    });
}
