//! Signed tokens that name a delivery: in the `Reply-To` and envelope-sender addresses and in the
//! unsubscribe link of every message, so that whatever comes back is tied to the delivery that
//! caused it without a lookup table.
//!
//! A token is lowercase base32 (RFC 4648 alphabet, no padding) of the delivery id in its shortest
//! big-endian form followed by an HMAC-SHA256 tag truncated to 80 bits. Lowercase base32 because
//! the token travels in an address local part (`questions+TOKEN@reply.domain`): RFC 5321 makes the
//! local part case-sensitive, but mailbox providers, forwarders and some MTAs fold it to lower
//! case, and base64 would lose information doing so. Base32 survives any case folding and uses
//! only characters that are valid unquoted in a local part and in a URL path.
//!
//! The purpose is bound into the tag, not written into the token: a reply token presented as an
//! unsubscribe token simply fails to verify.
//!
//! Tokens do not expire. An unsubscribe link must keep working as long as the message sits in a
//! mailbox (RFC 8058 one-click is invoked by the mailbox provider, possibly months later), a
//! question may come weeks after an edition, and a DSN may arrive days after the send (RFC 5321
//! §4.5.4.1 suggests retrying for 4–5 days). What a token can do is bounded by the one delivery it
//! names; rotating `BRIEFCAST_SECRET` invalidates all of them at once.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::ids::{BriefId, DeliveryId};
use crate::language::Language;

/// The tag byte of source links, apart from the delivery purposes'.
const SOURCE_PURPOSE: u8 = b's';

fn language_index(language: Language) -> i64 {
    match language {
        Language::Fi => 0,
        Language::Sv => 1,
        Language::En => 2,
    }
}

type HmacSha256 = Hmac<Sha256>;

/// 80 bits: forging a token takes about 2^79 online guesses, each a request or a message.
const TAG_LEN: usize = 10;
/// Separates these tags from anything else the same secret may sign.
const DOMAIN: &[u8] = b"briefcast/delivery-token/v1";

/// What a token is allowed to do. Each purpose has its own address prefix at the reply domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// `questions+TOKEN@`: a reader's reply to an edition.
    Reply,
    /// `/u/TOKEN` and `unsubscribe+TOKEN@`: the preferences page and RFC 8058 one-click.
    Unsubscribe,
    /// `bounces+TOKEN@`, the envelope sender: delivery status notifications (RFC 3464).
    Bounce,
}

impl Purpose {
    pub const ALL: [Purpose; 3] = [Purpose::Reply, Purpose::Unsubscribe, Purpose::Bounce];

    /// The local-part prefix before `+TOKEN`.
    pub fn local_prefix(self) -> &'static str {
        match self {
            Purpose::Reply => "questions",
            Purpose::Unsubscribe => "unsubscribe",
            Purpose::Bounce => "bounces",
        }
    }

    fn tag_byte(self) -> u8 {
        match self {
            Purpose::Reply => b'r',
            Purpose::Unsubscribe => b'u',
            Purpose::Bounce => b'b',
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("token is malformed")]
    Malformed,
    #[error("token signature does not match")]
    BadSignature,
}

/// The key that signs tokens. Its `Debug` never shows the secret.
#[derive(Clone)]
pub struct TokenKey(Vec<u8>);

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenKey(********)")
    }
}

impl TokenKey {
    /// A key from the configured link secret (`Config::link_secret`).
    pub fn new(secret: &str) -> TokenKey {
        TokenKey(secret.as_bytes().to_vec())
    }

    fn tag(&self, purpose: u8, value: i64) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC accepts keys of any length");
        mac.update(DOMAIN);
        mac.update(&[purpose]);
        mac.update(&value.to_be_bytes());
        mac
    }

    /// The token naming `delivery_id` for `purpose`.
    pub fn sign(&self, purpose: Purpose, delivery_id: DeliveryId) -> String {
        self.sign_value(purpose.tag_byte(), delivery_id.0)
    }

    fn sign_value(&self, purpose: u8, value: i64) -> String {
        let id = value.to_be_bytes();
        let skip = id.iter().take_while(|b| **b == 0).count().min(7);
        let mut bytes = id[skip..].to_vec();
        let tag = self.tag(purpose, value).finalize().into_bytes();
        bytes.extend_from_slice(&tag[..TAG_LEN]);
        base32_encode(&bytes)
    }

    /// The counted link to one of a brief's fact sources (`/r/TOKEN`): it names the brief, the
    /// language and the fact, never a reader, so a click tells nothing about who clicked; the
    /// signature keeps the redirect from going anywhere but a brief's own source.
    pub fn sign_source(&self, brief: BriefId, language: Language, fact: usize) -> Option<String> {
        let fact = u16::try_from(fact).ok().filter(|f| *f < 1024)?;
        let value = brief.0.checked_mul(4096)? + language_index(language) * 1024 + i64::from(fact);
        Some(self.sign_value(SOURCE_PURPOSE, value))
    }

    /// The brief, language and fact a source link names, if this key signed it.
    pub fn verify_source(&self, token: &str) -> Result<(BriefId, Language, usize), TokenError> {
        let value = self.verify_value(SOURCE_PURPOSE, token)?;
        let language = match (value % 4096) / 1024 {
            0 => Language::Fi,
            1 => Language::Sv,
            2 => Language::En,
            _ => return Err(TokenError::Malformed),
        };
        Ok((BriefId(value / 4096), language, (value % 1024) as usize))
    }

    /// The delivery a token names, if it was signed with this key for this purpose. Accepts any
    /// letter case (see the module comment); the tag is compared in constant time.
    pub fn verify(&self, purpose: Purpose, token: &str) -> Result<DeliveryId, TokenError> {
        self.verify_value(purpose.tag_byte(), token).map(DeliveryId)
    }

    fn verify_value(&self, purpose: u8, token: &str) -> Result<i64, TokenError> {
        let bytes = base32_decode(token).ok_or(TokenError::Malformed)?;
        if bytes.len() <= TAG_LEN || bytes.len() > TAG_LEN + 8 {
            return Err(TokenError::Malformed);
        }
        let (id_bytes, tag) = bytes.split_at(bytes.len() - TAG_LEN);
        // Only the shortest form is accepted, so one delivery has exactly one token per purpose.
        if id_bytes.len() > 1 && id_bytes[0] == 0 {
            return Err(TokenError::Malformed);
        }
        let mut id = [0u8; 8];
        id[8 - id_bytes.len()..].copy_from_slice(id_bytes);
        let value = i64::from_be_bytes(id);
        self.tag(purpose, value)
            .verify_truncated_left(tag)
            .map_err(|_| TokenError::BadSignature)?;
        Ok(value)
    }

    /// `PREFIX+TOKEN@domain` for this purpose and delivery.
    pub fn address(&self, purpose: Purpose, delivery_id: DeliveryId, domain: &str) -> String {
        format!(
            "{}+{}@{}",
            purpose.local_prefix(),
            self.sign(purpose, delivery_id),
            domain
        )
    }

    /// The purpose and delivery named by an address such as `questions+TOKEN@reply.domain`
    /// (any case), or `None` when it is not one of ours or does not verify. The domain is not
    /// checked here: the caller knows which domains it receives for.
    pub fn verify_address(&self, address: &str) -> Option<(Purpose, DeliveryId)> {
        let local = address.rsplit_once('@').map_or(address, |(local, _)| local);
        let (prefix, token) = local.split_once('+')?;
        let purpose = Purpose::ALL
            .into_iter()
            .find(|p| p.local_prefix().eq_ignore_ascii_case(prefix))?;
        self.verify(purpose, token).ok().map(|id| (purpose, id))
    }
}

const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let value = match c.to_ascii_lowercase() {
            c @ b'a'..=b'z' => c - b'a',
            c @ b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | u32::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    // Leftover bits must be zero padding of the last byte, else two strings decode alike.
    if bits >= 5 || buffer & ((1 << bits) - 1) != 0 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> TokenKey {
        TokenKey::new("0123456789abcdef0123456789abcdef-test-secret")
    }

    #[test]
    fn tokens_round_trip_for_every_purpose_and_size_of_id() {
        for purpose in Purpose::ALL {
            for id in [0, 1, 255, 256, 65_537, 9_000_000, i64::MAX, -1] {
                let token = key().sign(purpose, DeliveryId(id));
                assert_eq!(
                    key().verify(purpose, &token),
                    Ok(DeliveryId(id)),
                    "{purpose:?} {id} {token}"
                );
            }
        }
    }

    #[test]
    fn a_source_link_names_a_brief_language_and_fact_and_nothing_else_verifies_as_one() {
        for (brief, language, fact) in [(1, Language::Fi, 0), (77_000, Language::En, 3), (5, Language::Sv, 1023)] {
            let token = key().sign_source(BriefId(brief), language, fact).unwrap();
            assert_eq!(key().verify_source(&token), Ok((BriefId(brief), language, fact)));
        }
        assert_eq!(key().sign_source(BriefId(1), Language::Fi, 1024), None);
        let delivery = key().sign(Purpose::Unsubscribe, DeliveryId(4096));
        assert_eq!(key().verify_source(&delivery), Err(TokenError::BadSignature));
    }

    #[test]
    fn tokens_are_short_lowercase_and_fit_a_local_part() {
        let token = key().sign(Purpose::Reply, DeliveryId(123_456));
        assert_eq!(token.len(), 21, "{token}");
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
        );
        let widest = key().address(Purpose::Unsubscribe, DeliveryId(i64::MAX), "reply.example.fi");
        let local = widest.split('@').next().unwrap();
        assert!(local.len() <= 64, "RFC 5321 limits a local part to 64 octets: {local}");
    }

    #[test]
    fn case_folding_by_an_mta_does_not_break_a_token() {
        let address = key().address(Purpose::Reply, DeliveryId(42), "reply.example.fi");
        assert_eq!(
            key().verify_address(&address.to_uppercase()),
            Some((Purpose::Reply, DeliveryId(42)))
        );
        assert_eq!(key().verify_address(&address), Some((Purpose::Reply, DeliveryId(42))));
    }

    #[test]
    fn a_tampered_token_is_rejected() {
        let token = key().sign(Purpose::Unsubscribe, DeliveryId(77));
        for i in 0..token.len() {
            let mut bytes = token.clone().into_bytes();
            bytes[i] = if bytes[i] == b'a' { b'b' } else { b'a' };
            let tampered = String::from_utf8(bytes).unwrap();
            assert!(
                key().verify(Purpose::Unsubscribe, &tampered).is_err(),
                "{tampered} accepted"
            );
        }
        assert_eq!(
            key().verify(Purpose::Unsubscribe, &token[..token.len() - 1]),
            Err(TokenError::Malformed)
        );
        assert_eq!(
            key().verify(Purpose::Unsubscribe, "not-base32!"),
            Err(TokenError::Malformed)
        );
        assert_eq!(key().verify(Purpose::Unsubscribe, ""), Err(TokenError::Malformed));
    }

    #[test]
    fn a_token_for_another_delivery_cannot_be_made_by_swapping_the_id() {
        // Keep the tag of delivery 5 and put delivery 6 in front of it.
        let five = base32_decode(&key().sign(Purpose::Reply, DeliveryId(5))).unwrap();
        let mut six = vec![6u8];
        six.extend_from_slice(&five[1..]);
        assert_eq!(
            key().verify(Purpose::Reply, &base32_encode(&six)),
            Err(TokenError::BadSignature)
        );
        // A non-shortest encoding of the same id is refused, so tokens are unique per delivery.
        let mut padded = vec![0u8];
        padded.extend_from_slice(&five);
        assert_eq!(
            key().verify(Purpose::Reply, &base32_encode(&padded)),
            Err(TokenError::Malformed)
        );
    }

    #[test]
    fn a_token_signed_with_another_key_is_rejected() {
        let other = TokenKey::new("another-secret-of-at-least-32-characters");
        let token = other.sign(Purpose::Reply, DeliveryId(9));
        assert_eq!(key().verify(Purpose::Reply, &token), Err(TokenError::BadSignature));
    }

    #[test]
    fn a_token_is_only_good_for_its_purpose() {
        let reply = key().sign(Purpose::Reply, DeliveryId(9));
        assert_eq!(
            key().verify(Purpose::Unsubscribe, &reply),
            Err(TokenError::BadSignature)
        );
        assert_eq!(key().verify(Purpose::Bounce, &reply), Err(TokenError::BadSignature));
        let mismatched = format!("unsubscribe+{reply}@reply.example.fi");
        assert_eq!(key().verify_address(&mismatched), None);
    }

    #[test]
    fn addresses_that_are_not_ours_are_ignored() {
        for other in [
            "aino@example.fi",
            "questions@reply.example.fi",
            "sales+abc@reply.example.fi",
        ] {
            assert_eq!(key().verify_address(other), None, "{other}");
        }
    }

    #[test]
    fn the_key_is_never_shown() {
        assert!(!format!("{:?}", key()).contains("test-secret"));
    }

    #[test]
    fn base32_matches_rfc_4648_vectors_in_lowercase() {
        for (raw, encoded) in [
            ("f", "my"),
            ("fo", "mzxq"),
            ("foo", "mzxw6"),
            ("foob", "mzxw6yq"),
            ("fooba", "mzxw6ytb"),
        ] {
            assert_eq!(base32_encode(raw.as_bytes()), encoded);
            assert_eq!(base32_decode(encoded).unwrap(), raw.as_bytes());
        }
    }
}
