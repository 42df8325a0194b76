//! Text pasted into the check of a pack, or a file given to `briefcast verify`: a signed copy
//! read and checked against a key, and every post link found in it, as a reply's would be.
use std::sync::OnceLock;

use briefcast::pack::{PackKey, PublicKey, verify};
use briefcast::reach::PostUrl;

fn key() -> &'static PublicKey {
    static KEY: OnceLock<PublicKey> = OnceLock::new();
    KEY.get_or_init(|| PackKey::generate().expect("a key").0.public().clone())
}

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = String::from_utf8_lossy(data);
        // Errors are answers; only a panic or a hang is a finding.
        let _ = verify(&text, std::slice::from_ref(key()));
        let _ = PostUrl::find_all(&text);
    });
}
