//! Time-based one-time passwords (RFC 6238): the second factor a person adds to their password
//! with an authenticator app on their phone.
//!
//! The parameters are the ones every authenticator app supports without asking: HMAC-SHA-1, six
//! digits, 30-second steps from the Unix epoch (RFC 6238 §4, §5). A code is accepted one step
//! either side of now, for clocks a little apart and a code typed as it turned over; the store
//! keeps the last step used so that no code is accepted twice (§5.2).

use std::fmt;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per step.
const STEP_SECONDS: i64 = 30;
/// Digits per code.
const DIGITS: u32 = 6;
/// Steps either side of now that are accepted.
const DRIFT_STEPS: i64 = 1;
/// 160 bits: the length RFC 4226 §4 recommends, and that of the HMAC-SHA-1 output.
const SECRET_BYTES: usize = 20;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A shared secret. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(********)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the authenticator secret is not the base32 text of {SECRET_BYTES} bytes")]
pub struct MalformedSecret;

impl Secret {
    pub fn generate() -> Secret {
        let mut bytes = vec![0u8; SECRET_BYTES];
        rand::fill(&mut bytes[..]);
        Secret(bytes)
    }

    /// The secret as authenticator apps take it when typed, and as it is stored: base32
    /// (RFC 4648) without padding.
    pub fn base32(&self) -> String {
        let mut out = String::with_capacity(self.0.len().div_ceil(5) * 8);
        let (mut buffer, mut bits) = (0u32, 0u32);
        for &byte in &self.0 {
            buffer = (buffer << 8) | u32::from(byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
            }
        }
        if bits > 0 {
            out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
        }
        out
    }

    /// Reads what [`Secret::base32`] wrote (spaces and case ignored, as people copy it).
    pub fn from_base32(text: &str) -> Result<Secret, MalformedSecret> {
        let mut bytes = Vec::with_capacity(SECRET_BYTES);
        let (mut buffer, mut bits) = (0u32, 0u32);
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            let c = c.to_ascii_uppercase();
            let value = BASE32.iter().position(|&b| char::from(b) == c).ok_or(MalformedSecret)?;
            buffer = (buffer << 5) | value as u32;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                bytes.push(((buffer >> bits) & 0xff) as u8);
            }
        }
        if bytes.len() == SECRET_BYTES {
            Ok(Secret(bytes))
        } else {
            Err(MalformedSecret)
        }
    }

    /// The `otpauth://` address a QR code carries to an authenticator app, which shows the
    /// code under `issuer` and the person's address.
    pub fn provisioning_uri(&self, issuer: &str, account: &str) -> String {
        let label: String = url::form_urlencoded::byte_serialize(format!("{issuer}:{account}").as_bytes()).collect();
        let issuer: String = url::form_urlencoded::byte_serialize(issuer.as_bytes()).collect();
        format!(
            "otpauth://totp/{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            label.replace('+', "%20"),
            self.base32(),
            issuer.replace('+', "%20")
        )
    }

    /// The code for one step (RFC 4226 §5.3: HOTP with the step as its counter).
    fn code_at(&self, step: i64) -> u32 {
        let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(&self.0) else {
            return u32::MAX; // HMAC takes keys of any length; no code can equal this.
        };
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = usize::from(digest[digest.len() - 1] & 0x0f);
        let word = u32::from_be_bytes([
            digest[offset],
            digest[offset + 1],
            digest[offset + 2],
            digest[offset + 3],
        ]);
        (word & 0x7fff_ffff) % 10u32.pow(DIGITS)
    }

    /// The code an app shows at `now`, as it shows it.
    pub fn code(&self, now: DateTime<Utc>) -> String {
        format!("{:0width$}", self.code_at(step_of(now)), width = DIGITS as usize)
    }

    /// The step whose code was typed, if it is one of those accepted at `now`. Spaces inside
    /// the code (apps show `123 456`) are ignored; anything else that is not six digits is not
    /// a code.
    pub fn matching_step(&self, typed: &str, now: DateTime<Utc>) -> Option<i64> {
        let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != DIGITS as usize || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let typed: u32 = digits.parse().ok()?;
        let now = step_of(now);
        // Every candidate is computed, so the time taken does not tell which one matched.
        (now - DRIFT_STEPS..=now + DRIFT_STEPS).fold(None, |found, step| {
            if self.code_at(step) == typed {
                found.or(Some(step))
            } else {
                found
            }
        })
    }
}

fn step_of(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(STEP_SECONDS)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(seconds, 0).single().unwrap()
    }

    /// RFC 6238 appendix B, SHA-1 column, cut to six digits (the last six of the eight shown).
    #[test]
    fn codes_are_those_of_rfc_6238() {
        let secret = Secret(b"12345678901234567890".to_vec());
        for (seconds, eight_digits) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(secret.code(at(seconds)), eight_digits[2..], "at {seconds}");
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_no_further() {
        let secret = Secret::generate();
        let now = at(1_800_000_015);
        let code = secret.code(now);
        assert_eq!(secret.matching_step(&code, now), Some(60_000_000));
        assert_eq!(
            secret.matching_step(&code, now + chrono::TimeDelta::seconds(30)),
            Some(60_000_000)
        );
        assert_eq!(
            secret.matching_step(&code, now - chrono::TimeDelta::seconds(30)),
            Some(60_000_000)
        );
        assert_eq!(secret.matching_step(&code, now + chrono::TimeDelta::seconds(90)), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(secret.matching_step(&spaced, now), Some(60_000_000));
        assert_eq!(secret.matching_step("12345", now), None);
        assert_eq!(secret.matching_step("１２３４５６", now), None, "only ASCII digits");
    }

    #[test]
    fn the_secret_round_trips_through_base32_and_stays_out_of_debug() {
        let secret = Secret(b"12345678901234567890".to_vec());
        assert_eq!(secret.base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(
            Secret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"),
            Ok(secret.clone())
        );
        assert_eq!(Secret::from_base32("GEZDGNBV"), Err(MalformedSecret));
        assert_eq!(
            Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1"),
            Err(MalformedSecret)
        );
        assert!(!format!("{secret:?}").contains("GEZD"));
        let uri = secret.provisioning_uri("briefcast", "aino@vnk.example.fi");
        assert_eq!(
            uri,
            "otpauth://totp/briefcast%3Aaino%40vnk.example.fi?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=briefcast&algorithm=SHA1&digits=6&period=30"
        );
    }
}
