//! DKIM signatures (RFC 6376), relaxed/relaxed, one per configured key: RSA-SHA256 (PKCS#1
//! v1.5, 2048 bits and up) and Ed25519-SHA256 (RFC 8463). Both come from `aws-lc-rs` (AWS-LC,
//! BoringSSL's descendant, FIPS-validated), whose RSA is constant-time (the `rsa` crate is not:
//! RUSTSEC-2023-0071) and signs RSA-2048 as fast as OpenSSL on this machine, where `ring` took
//! 1.7 times as long. It is already in the tree as rustls's provider. With
//! an RSA and an Ed25519 key every message carries both signatures, as RFC 8463 advises: today's
//! mailbox providers verify the RSA one, and the Ed25519 one costs a few microseconds.
//!
//! Signing is done on the finished message, so what is signed is exactly what is sent, including
//! `Content-Type` and `MIME-Version`. The body is hashed once per message, for all its signatures.

use std::fmt;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair, RSA_PKCS1_SHA256, RsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// The header fields every signature covers, in this order. RFC 8058 §4: one-click unsubscription
/// is honoured only when a signature covers `List-Unsubscribe` and `List-Unsubscribe-Post`; the
/// rest binds what a reader trusts (sender, subject, reply address, date, id) and how the body is
/// to be read. Each is oversigned (RFC 6376 §8.15): listed once more than it occurs, so a field
/// of these names added on the way breaks the signature instead of being shown unsigned.
pub const SIGNED_HEADERS: &[&str] = &[
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "Reply-To",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "Content-Type",
    "MIME-Version",
    "Content-Language",
];

/// The smallest RSA key accepted: mailbox providers refuse signatures by shorter ones.
const RSA_MIN_BITS: usize = 2048;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DkimError {
    /// The key could not be read; the words never quote the key.
    #[error("{0}")]
    Key(String),
    #[error("signing failed")]
    Sign,
}

enum Pair {
    Rsa(RsaKeyPair),
    Ed25519(Ed25519KeyPair),
}

/// One signing identity: selector, domain and private key.
pub struct DkimKey {
    selector: String,
    domain: String,
    pair: Pair,
}

impl fmt::Debug for DkimKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DkimKey({} {}, ********)", self.algorithm(), self.dns_name())
    }
}

pub(crate) fn pem_body(pem: &str) -> Result<(String, Vec<u8>), DkimError> {
    let bad = |why: &str| DkimError::Key(why.to_string());
    let pem = pem.trim();
    let label = pem
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("-----BEGIN "))
        .and_then(|l| l.strip_suffix("-----"))
        .ok_or_else(|| bad("expected a PEM `PRIVATE KEY` or `RSA PRIVATE KEY`"))?;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).map(str::trim).collect();
    let der = STANDARD.decode(body).map_err(|_| bad("the PEM body is not base64"))?;
    Ok((label.to_string(), der))
}

impl DkimKey {
    /// A key from PEM: RSA as PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`, as
    /// `openssl genpkey` writes), or Ed25519 as PKCS#8.
    pub fn from_pem(selector: &str, domain: &str, pem: &str) -> Result<DkimKey, DkimError> {
        let bad = |why: &str| DkimError::Key(why.to_string());
        let (label, der) = pem_body(pem)?;
        let pair = match label.as_str() {
            "RSA PRIVATE KEY" => Pair::Rsa(RsaKeyPair::from_der(&der).map_err(rsa_refused)?),
            "PRIVATE KEY" => match (
                RsaKeyPair::from_pkcs8(&der),
                Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der),
            ) {
                (Ok(rsa), _) => Pair::Rsa(rsa),
                (_, Ok(ed)) => Pair::Ed25519(ed),
                (Err(rsa), Err(_)) if rsa.to_string() != "WrongAlgorithm" => return Err(rsa_refused(rsa)),
                _ => return Err(bad("the PKCS#8 key is neither RSA nor Ed25519")),
            },
            _ => return Err(bad("expected a PEM `PRIVATE KEY` or `RSA PRIVATE KEY`")),
        };
        if let Pair::Rsa(rsa) = &pair
            && rsa.public_modulus_len() * 8 < RSA_MIN_BITS
        {
            return Err(bad(&format!(
                "the RSA key has {} bits; at least {RSA_MIN_BITS} are needed",
                rsa.public_modulus_len() * 8
            )));
        }
        let valid = |s: &str| {
            !s.is_empty()
                && s.split('.')
                    .all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        };
        if !valid(selector) || !valid(domain) {
            return Err(bad(&format!("`{selector}._domainkey.{domain}` is not a DNS name")));
        }
        Ok(DkimKey {
            selector: selector.to_string(),
            domain: domain.to_ascii_lowercase(),
            pair,
        })
    }

    /// The `a=` tag.
    pub fn algorithm(&self) -> &'static str {
        match self.pair {
            Pair::Rsa(_) => "rsa-sha256",
            Pair::Ed25519(_) => "ed25519-sha256",
        }
    }

    /// RSA's modulus size; none for Ed25519.
    pub fn bits(&self) -> Option<usize> {
        match &self.pair {
            Pair::Rsa(rsa) => Some(rsa.public_modulus_len() * 8),
            Pair::Ed25519(_) => None,
        }
    }

    pub fn selector(&self) -> &str {
        &self.selector
    }

    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// Where the public key is published: `SELECTOR._domainkey.DOMAIN`.
    pub fn dns_name(&self) -> String {
        format!("{}._domainkey.{}", self.selector, self.domain)
    }

    /// The TXT record to publish at `dns_name`: the RSA key as SubjectPublicKeyInfo, the
    /// Ed25519 key as its 32 bytes (RFC 8463 §4.2).
    pub fn dns_record(&self) -> String {
        match &self.pair {
            Pair::Rsa(rsa) => format!(
                "v=DKIM1; k=rsa; p={}",
                STANDARD.encode(rsa_spki(rsa.public_key().as_ref()))
            ),
            Pair::Ed25519(ed) => format!("v=DKIM1; k=ed25519; p={}", STANDARD.encode(ed.public_key().as_ref())),
        }
    }

    fn sign(&self, data: &[u8], rng: &SystemRandom) -> Result<Vec<u8>, DkimError> {
        match &self.pair {
            Pair::Rsa(rsa) => {
                let mut signature = vec![0; rsa.public_modulus_len()];
                rsa.sign(&RSA_PKCS1_SHA256, rng, data, &mut signature)
                    .map_err(|_| DkimError::Sign)?;
                Ok(signature)
            }
            // RFC 8463 §3: Ed25519 signs the SHA-256 hash of the data, not the data.
            Pair::Ed25519(ed) => Ok(ed.sign(&Sha256::digest(data)).as_ref().to_vec()),
        }
    }
}

/// Why ring refused an RSA key, in words that never quote it.
fn rsa_refused(error: aws_lc_rs::error::KeyRejected) -> DkimError {
    DkimError::Key(match error.to_string().as_str() {
        "TooSmall" => format!("the RSA key is shorter than {RSA_MIN_BITS} bits, which mailbox providers refuse"),
        "TooLarge" => "the RSA key is longer than 8192 bits".to_string(),
        other => format!("not a usable RSA key ({other})"),
    })
}

/// A DER length.
fn der_length(n: usize, out: &mut Vec<u8>) {
    match n {
        0..=127 => out.push(n as u8),
        128..=255 => out.extend([0x81, n as u8]),
        _ => out.extend([0x82, (n >> 8) as u8, n as u8]),
    }
}

/// An RSAPublicKey wrapped as SubjectPublicKeyInfo, the form DNS records and tools expect.
fn rsa_spki(rsa_public_key: &[u8]) -> Vec<u8> {
    // AlgorithmIdentifier { rsaEncryption, NULL }
    const ALGORITHM: [u8; 15] = [
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
    ];
    let mut bits = vec![0x03];
    der_length(rsa_public_key.len() + 1, &mut bits);
    bits.push(0);
    bits.extend_from_slice(rsa_public_key);
    let mut spki = vec![0x30];
    der_length(ALGORITHM.len() + bits.len(), &mut spki);
    spki.extend_from_slice(&ALGORITHM);
    spki.extend_from_slice(&bits);
    spki
}

/// Every configured key, each signing every message.
pub struct DkimSigner {
    keys: Vec<DkimKey>,
    rng: SystemRandom,
}

impl fmt::Debug for DkimSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.keys).finish()
    }
}

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// RFC 6376 §3.4.2: a field as `name:value` with its folding undone, runs of whitespace made one
/// space, and none around the colon or at the end.
fn relaxed_header(name: &str, value: &[u8], out: &mut Vec<u8>) {
    out.extend(name.trim().bytes().map(|b| b.to_ascii_lowercase()));
    out.push(b':');
    let mut space = false;
    let start = out.len();
    for &b in value {
        match b {
            b'\r' | b'\n' => {}
            b if is_wsp(b) => space = true,
            b => {
                if space && out.len() > start {
                    out.push(b' ');
                }
                space = false;
                out.push(b);
            }
        }
    }
}

/// RFC 6376 §3.4.4: each line with its runs of whitespace made one space and none at its end,
/// empty lines at the end dropped.
fn relaxed_body(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    // Empty lines are held back until a line with text follows, so those at the end (and the
    // empty text after the last line break) are dropped.
    let mut pending_lines = 0usize;
    for line in body.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut canonical = Vec::with_capacity(line.len());
        let mut space = false;
        for &b in line {
            if is_wsp(b) {
                space = true;
            } else {
                if space {
                    canonical.push(b' ');
                }
                space = false;
                canonical.push(b);
            }
        }
        if canonical.is_empty() {
            pending_lines += 1;
            continue;
        }
        for _ in 0..pending_lines {
            out.extend_from_slice(b"\r\n");
        }
        pending_lines = 0;
        out.extend_from_slice(&canonical);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// A message's header fields as (name, value with its folding), top to bottom, and its body.
fn split_message(message: &[u8]) -> (Vec<(&str, &[u8])>, &[u8]) {
    let end = message.windows(4).position(|w| w == b"\r\n\r\n");
    let (head, body) = match end {
        Some(at) => (&message[..at + 2], &message[at + 4..]),
        None => (message, &message[message.len()..]),
    };
    let mut fields: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    let mut at = 0;
    while at < head.len() {
        let line_end = head[at..]
            .windows(2)
            .position(|w| w == b"\r\n")
            .map_or(head.len(), |p| at + p);
        let line = &head[at..line_end];
        match line.first() {
            Some(b) if is_wsp(*b) => {
                if let Some((_, range)) = fields.last_mut() {
                    range.end = line_end;
                }
            }
            _ => {
                if let Some(colon) = line.iter().position(|&b| b == b':') {
                    let name = std::str::from_utf8(&line[..colon]).unwrap_or("");
                    fields.push((name, at + colon + 1..line_end));
                }
            }
        }
        at = line_end + 2;
    }
    let fields = fields
        .into_iter()
        .map(|(name, range)| (name, head.get(range).unwrap_or_default()))
        .collect();
    (fields, body)
}

impl DkimSigner {
    pub fn new(keys: Vec<DkimKey>) -> DkimSigner {
        DkimSigner {
            keys,
            rng: SystemRandom::new(),
        }
    }

    pub fn keys(&self) -> &[DkimKey] {
        &self.keys
    }

    /// `message` (CRLF line ends, as written for the wire) with one `DKIM-Signature` per key
    /// before its first field.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, DkimError> {
        let (fields, body) = split_message(message);
        let body_hash = STANDARD.encode(Sha256::digest(relaxed_body(body)));

        // h=: each name once per field that has it, then once more (oversigned).
        let mut names: Vec<&str> = Vec::new();
        let mut data = Vec::with_capacity(1024);
        for name in SIGNED_HEADERS {
            let present: Vec<&(&str, &[u8])> = fields
                .iter()
                .rev()
                .filter(|(n, _)| n.trim().eq_ignore_ascii_case(name))
                .collect();
            for (n, value) in &present {
                relaxed_header(n, value, &mut data);
                data.extend_from_slice(b"\r\n");
                names.push(name);
            }
            names.push(name);
        }
        let signed_names = names.join(":");

        let mut out = Vec::with_capacity(message.len() + 600 * self.keys.len());
        for key in &self.keys {
            let value = format!(
                " v=1; a={}; c=relaxed/relaxed; d={}; s={};\r\n\th={signed_names};\r\n\tbh={body_hash};\r\n\tb=",
                key.algorithm(),
                key.domain,
                key.selector
            );
            let mut signed = data.clone();
            relaxed_header("DKIM-Signature", value.as_bytes(), &mut signed);
            let signature = key.sign(&signed, &self.rng)?;
            out.extend_from_slice(b"DKIM-Signature:");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(STANDARD.encode(signature).as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(message);
        Ok(out)
    }
}

/// A verifier written apart from the signer, from RFC 6376 and RFC 8463, for the tests: the
/// public key is read from the DNS record the key publishes.
#[cfg(test)]
pub(crate) mod verify {
    use super::*;
    use aws_lc_rs::signature::{ED25519, RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};

    fn collapse(text: &str) -> String {
        text.split([' ', '\t'])
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn canonical_header(name: &str, value: &str) -> String {
        format!(
            "{}:{}\r\n",
            name.trim().to_ascii_lowercase(),
            collapse(&value.replace("\r\n", ""))
        )
    }

    fn canonical_body(body: &str) -> String {
        let mut lines: Vec<String> = body.split("\r\n").map(collapse).collect();
        while lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        lines.iter().map(|l| format!("{l}\r\n")).collect()
    }

    fn tag<'a>(tags: &'a str, name: &str) -> Option<&'a str> {
        tags.split(';')
            .map(str::trim)
            .find_map(|t| t.strip_prefix(&format!("{name}=")))
    }

    /// Each `DKIM-Signature` of `message`, top down, checked against the key it names among
    /// `keys`: Ok with its `a=`, or what failed.
    pub(crate) fn verify(message: &[u8], keys: &[&DkimKey]) -> Vec<Result<String, String>> {
        let text = std::str::from_utf8(message).expect("a message in ASCII");
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((text, ""));
        let mut fields: Vec<(String, String)> = Vec::new();
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                if let Some(last) = fields.last_mut() {
                    last.1.push_str("\r\n");
                    last.1.push_str(line);
                }
            } else if let Some((name, value)) = line.split_once(':') {
                fields.push((name.to_string(), value.to_string()));
            }
        }
        let body_hash = STANDARD.encode(Sha256::digest(canonical_body(body).as_bytes()));
        fields
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("DKIM-Signature"))
            .map(|(_, value)| {
                let tags: String = value.replace("\r\n", "").split_whitespace().collect();
                let (a, s, h, bh, b) = match (
                    tag(&tags, "a"),
                    tag(&tags, "s"),
                    tag(&tags, "h"),
                    tag(&tags, "bh"),
                    tag(&tags, "b"),
                ) {
                    (Some(a), Some(s), Some(h), Some(bh), Some(b)) => (a, s, h, bh, b),
                    _ => return Err(format!("a tag is missing: {tags}")),
                };
                if bh != body_hash {
                    return Err("body hash".into());
                }
                let key = keys.iter().find(|k| k.selector() == s).ok_or("no such selector")?;
                let mut used = vec![false; fields.len()];
                let mut data = String::new();
                for name in h.split(':') {
                    let found = (0..fields.len())
                        .rev()
                        .find(|&i| !used[i] && fields[i].0.trim().eq_ignore_ascii_case(name));
                    if let Some(i) = found {
                        used[i] = true;
                        data.push_str(&canonical_header(&fields[i].0, &fields[i].1));
                    }
                }
                let b_at = value.rfind("b=").ok_or("no b=")?;
                let unsigned = &value[..b_at + 2];
                data.push_str(canonical_header("DKIM-Signature", unsigned).trim_end_matches("\r\n"));
                let signature = STANDARD.decode(b).map_err(|_| "b= is not base64")?;
                let record = key.dns_record();
                let public = STANDARD.decode(tag(&record, "p").ok_or("no p=")?).map_err(|_| "p=")?;
                let checked = match a {
                    // The RSAPublicKey inside the SubjectPublicKeyInfo: past the two headers
                    // (4 bytes each with two-byte lengths), the 15-byte algorithm and the
                    // bit string's padding byte.
                    "rsa-sha256" => UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &public[24..])
                        .verify(data.as_bytes(), &signature),
                    "ed25519-sha256" => {
                        UnparsedPublicKey::new(&ED25519, &public).verify(&Sha256::digest(data.as_bytes()), &signature)
                    }
                    other => return Err(format!("a={other}")),
                };
                checked
                    .map(|()| a.to_string())
                    .map_err(|_| "the signature does not verify".to_string())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSA2048: &str = include_str!("../../tests/fixtures/dkim/rsa2048.pem");
    const RSA2048_PKCS1: &str = include_str!("../../tests/fixtures/dkim/rsa2048-pkcs1.pem");
    const RSA3072: &str = include_str!("../../tests/fixtures/dkim/rsa3072.pem");
    const RSA1024: &str = include_str!("../../tests/fixtures/dkim/rsa1024.pem");
    const ED25519: &str = include_str!("../../tests/fixtures/dkim/ed25519.pem");

    const MESSAGE: &[u8] =
        b"From: VNK <news@vnk.example.fi>\r\nTo: aino@example.com\r\nSubject: Viikon\r\n  faktat\r\n\
        List-Unsubscribe: <https://x.fi/u/t>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\
        MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHei  Aino, \r\n\r\nfaktat\r\n\r\n";

    fn key(selector: &str, pem: &str) -> DkimKey {
        DkimKey::from_pem(selector, "vnk.example.fi", pem).unwrap()
    }

    #[test]
    fn rsa_2048_and_3072_and_ed25519_keys_sign_what_an_independent_check_verifies() {
        for (pem, algorithm, bits) in [
            (RSA2048, "rsa-sha256", Some(2048)),
            (RSA2048_PKCS1, "rsa-sha256", Some(2048)),
            (RSA3072, "rsa-sha256", Some(3072)),
            (ED25519, "ed25519-sha256", None),
        ] {
            let key = key("s1", pem);
            assert_eq!((key.algorithm(), key.bits()), (algorithm, bits));
            let signed = DkimSigner::new(vec![key]).sign(MESSAGE).unwrap();
            let key = self::key("s1", pem);
            assert_eq!(verify::verify(&signed, &[&key]), vec![Ok(algorithm.to_string())]);
        }
    }

    #[test]
    fn two_keys_give_two_signatures_and_tampering_breaks_both() {
        let (rsa, ed) = (key("rsa2026", RSA2048), key("ed2026", ED25519));
        let signer = DkimSigner::new(vec![key("rsa2026", RSA2048), key("ed2026", ED25519)]);
        let signed = signer.sign(MESSAGE).unwrap();
        let ok = vec![Ok("rsa-sha256".to_string()), Ok("ed25519-sha256".to_string())];
        assert_eq!(verify::verify(&signed, &[&rsa, &ed]), ok);
        let text = String::from_utf8(signed).unwrap();
        for (what, tampered) in [
            ("the body", text.replace("faktat\r\n\r\n", "faktaa\r\n")),
            ("the subject", text.replace("Subject: Viikon", "Subject: Vikon")),
            (
                "the unsubscribe link",
                text.replace("<https://x.fi/u/t>", "<https://evil.example/u/t>"),
            ),
            // Oversigned: a second From added on the way is not taken as unsigned.
            (
                "an added From",
                text.replacen("From: VNK", "From: Evil <e@evil.example>\r\nFrom: VNK", 1),
            ),
        ] {
            let results = verify::verify(tampered.as_bytes(), &[&rsa, &ed]);
            assert!(results.iter().all(Result::is_err), "{what}: {results:?}");
        }
        // Relays may refold a header; relaxed canonicalization keeps the signatures.
        let refolded = text.replace("Subject: Viikon\r\n  faktat", "Subject: Viikon faktat");
        assert_eq!(verify::verify(refolded.as_bytes(), &[&rsa, &ed]), ok);
    }

    #[test]
    fn short_broken_and_foreign_keys_are_refused_without_quoting_them() {
        let short = DkimKey::from_pem("s1", "vnk.example.fi", RSA1024)
            .unwrap_err()
            .to_string();
        assert!(short.contains("2048"), "{short}");
        for pem in [
            "",
            "secret-material",
            "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----",
            "-----BEGIN EC PRIVATE KEY-----\nbm90IGEga2V5\n-----END EC PRIVATE KEY-----",
        ] {
            let error = DkimKey::from_pem("s1", "example.fi", pem).unwrap_err().to_string();
            assert!(!error.contains("secret-material") && !error.contains("bm90"), "{error}");
        }
        let bad_name = DkimKey::from_pem("s 1", "example.fi", ED25519).unwrap_err().to_string();
        assert!(bad_name.contains("not a DNS name"), "{bad_name}");
    }

    #[test]
    fn the_dns_records_are_what_verifiers_read() {
        let ed = key("ed2026", ED25519);
        assert_eq!(ed.dns_name(), "ed2026._domainkey.vnk.example.fi");
        let record = ed.dns_record();
        assert!(record.starts_with("v=DKIM1; k=ed25519; p="), "{record}");
        let p = record.split_once("p=").map(|(_, p)| p).unwrap_or_default();
        assert_eq!(STANDARD.decode(p).unwrap().len(), 32);
        let rsa = key("rsa2026", RSA2048).dns_record();
        // An RSA-2048 SubjectPublicKeyInfo always starts so in base64.
        assert!(
            rsa.starts_with("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"),
            "{rsa}"
        );
    }

    #[test]
    fn relaxed_header_unfolds_and_squeezes_whitespace() {
        let mut out = Vec::new();
        relaxed_header("Subject ", b" \t Viikon \r\n\t faktat  ", &mut out);
        assert_eq!(out, b"subject:Viikon faktat");
    }

    #[test]
    fn relaxed_body_drops_trailing_space_and_empty_lines() {
        assert_eq!(relaxed_body(b"a  b \t\r\n\r\nc\r\n\r\n\r\n"), b"a b\r\n\r\nc\r\n");
        assert_eq!(relaxed_body(b""), b"");
        assert_eq!(relaxed_body(b"\r\n\r\n"), b"");
        assert_eq!(relaxed_body(b"no newline"), b"no newline\r\n");
    }

    #[test]
    fn a_folded_header_block_is_split_into_its_fields() {
        let (fields, body) = split_message(b"From: a@b.fi\r\nSubject: one\r\n two\r\n\r\nbody\r\n");
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[1], ("Subject", &b" one\r\n two"[..]));
        assert_eq!(body, b"body\r\n");
    }

    #[test]
    fn der_lengths_use_the_long_form_past_127() {
        let mut out = Vec::new();
        der_length(270, &mut out);
        assert_eq!(out, [0x82, 0x01, 0x0e]);
        let spki = rsa_spki(&[0u8; 270]);
        assert_eq!(&spki[..4], &[0x30, 0x82, 0x01, 0x22]);
    }
}
