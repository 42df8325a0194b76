//! Signed packs: a pack's text as the authority issued it, signed with the deployment's Ed25519
//! key, so that an influencer, a journalist or a platform can tell a genuine pack from a forged
//! or altered copy. The public key is published (as a JWK set, RFC 8037); the signature covers
//! the text after [`normalise`], so a copy that went through a mail app or an editor (other
//! line endings, spaces, wrapped lines rejoined) still verifies, and a changed word does not.

use std::fmt;
use std::path::Path;

use anyhow::Context;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::ids::BriefId;
use crate::language::Language;

const SIGNATURE_BEGIN: &str = "-----BEGIN BRIEFCAST SIGNATURE-----";
const SIGNATURE_END: &str = "-----END BRIEFCAST SIGNATURE-----";

/// The deployment's pack-signing key.
pub struct PackKey {
    pair: Ed25519KeyPair,
    public: PublicKey,
}

impl fmt::Debug for PackKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PackKey({}, ********)", self.public.id)
    }
}

/// A published key that signed packs: its 32 bytes and the id signatures name it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    bytes: Vec<u8>,
    pub id: String,
}

/// What a signed pack says of itself, above its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackHeader {
    pub brief: BriefId,
    pub language: Language,
    pub version: i32,
    /// Who issued it, in the pack's language.
    pub issuer: String,
    /// When it was approved for issue.
    pub issued: DateTime<Utc>,
    /// Its public page.
    pub page: String,
}

/// A pack whose signature checked out: what it says of itself, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedPack {
    pub header: PackHeader,
    /// The pack's text, normalised.
    pub body: String,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the text carries no briefcast signature")]
    Unsigned,
    #[error("the signature block is damaged: {0}")]
    Malformed(String),
    #[error("signed with key {0}, which is not this deployment's")]
    UnknownKey(String),
    #[error("the text was changed after it was signed: the signature does not match it")]
    Altered,
}

impl PackKey {
    /// A new random key, PKCS#8 in PEM as it is kept on disk.
    pub fn generate() -> anyhow::Result<(PackKey, String)> {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map_err(|_| anyhow::anyhow!("generating an Ed25519 key failed"))?;
        let der = pkcs8.as_ref();
        let mut pem = String::from("-----BEGIN PRIVATE KEY-----\n");
        let body = STANDARD.encode(der);
        for line in body.as_bytes().chunks(64) {
            pem.push_str(&String::from_utf8_lossy(line));
            pem.push('\n');
        }
        pem.push_str("-----END PRIVATE KEY-----\n");
        Ok((PackKey::from_pem(&pem)?, pem))
    }

    /// An Ed25519 key from PEM (PKCS#8, as `openssl genpkey -algorithm ed25519` writes it).
    pub fn from_pem(pem: &str) -> anyhow::Result<PackKey> {
        let (label, der) = crate::dispatch::dkim::pem_body(pem).map_err(|e| anyhow::anyhow!("{e}"))?;
        anyhow::ensure!(label == "PRIVATE KEY", "expected a PEM `PRIVATE KEY` (PKCS#8 Ed25519)");
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der)
            .map_err(|e| anyhow::anyhow!("not an Ed25519 PKCS#8 key: {e}"))?;
        let public = PublicKey::from_bytes(pair.public_key().as_ref());
        Ok(PackKey { pair, public })
    }

    /// The key in `path`; when `create` and there is none yet, a new one written there (0600),
    /// so that packs signed before a restart still verify after it.
    pub fn load(path: &Path, create: bool) -> anyhow::Result<PackKey> {
        match std::fs::read_to_string(path) {
            Ok(pem) => PackKey::from_pem(&pem).with_context(|| format!("reading the pack key {}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                if let Some(dir) = path.parent() {
                    crate::files::create_private_dir_all(dir)
                        .with_context(|| format!("creating folder {}", dir.display()))?;
                }
                let (key, pem) = PackKey::generate()?;
                let mut file = crate::files::create_private_new(path)
                    .with_context(|| format!("writing the new pack key {}", path.display()))?;
                std::io::Write::write_all(&mut file, pem.as_bytes())
                    .with_context(|| format!("writing the new pack key {}", path.display()))?;
                Ok(key)
            }
            Err(e) => Err(e).with_context(|| format!("reading the pack key {}", path.display())),
        }
    }

    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    /// The whole signed document: the header, the text and the signature block.
    pub fn sign(&self, header: &PackHeader, body: &str) -> String {
        let document = document(header, body);
        let signature = self.pair.sign(normalise(&document).as_bytes());
        format!(
            "{document}\n\n{SIGNATURE_BEGIN}\nKey: {}\n{}\n{SIGNATURE_END}\n",
            self.public.id,
            STANDARD.encode(signature.as_ref())
        )
    }
}

impl PublicKey {
    fn from_bytes(bytes: &[u8]) -> PublicKey {
        let digest = Sha256::digest(bytes);
        PublicKey {
            bytes: bytes.to_vec(),
            id: hex::encode(&digest[..8]),
        }
    }

    /// The JWK set the deployment publishes (RFC 7517, Ed25519 as RFC 8037's OKP key).
    pub fn jwks(keys: &[&PublicKey]) -> serde_json::Value {
        let keys: Vec<serde_json::Value> = keys
            .iter()
            .map(|k| {
                serde_json::json!({
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": URL_SAFE_NO_PAD.encode(&k.bytes),
                    "kid": k.id,
                    "use": "sig",
                    "alg": "EdDSA",
                })
            })
            .collect();
        serde_json::json!({ "keys": keys })
    }

    /// The Ed25519 keys of a published JWK set; others are passed over.
    pub fn from_jwks(jwks: &serde_json::Value) -> Vec<PublicKey> {
        let Some(keys) = jwks.get("keys").and_then(|k| k.as_array()) else {
            return Vec::new();
        };
        keys.iter()
            .filter(|k| k.get("kty").and_then(|v| v.as_str()) == Some("OKP"))
            .filter(|k| k.get("crv").and_then(|v| v.as_str()) == Some("Ed25519"))
            .filter_map(|k| k.get("x").and_then(|v| v.as_str()))
            .filter_map(|x| URL_SAFE_NO_PAD.decode(x).ok())
            .filter(|bytes| bytes.len() == 32)
            .map(|bytes| PublicKey::from_bytes(&bytes))
            .collect()
    }
}

/// The signed part of a pack: its header lines, a blank line, its text.
fn document(header: &PackHeader, body: &str) -> String {
    format!(
        "Pack: {}/{}\nVersion: {}\nIssuer: {}\nIssued: {}\nPage: {}\n\n{}",
        header.brief.0,
        header.language.code(),
        header.version,
        one_line(&header.issuer),
        header.issued.format("%Y-%m-%dT%H:%M:%SZ"),
        one_line(&header.page),
        body.trim()
    )
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The form a text is signed and compared in: Unicode NFC, each line's spaces collapsed, no
/// blank lines. Line breaks within a paragraph stay, so two texts that differ only in where
/// a mail app wrapped them differ; [`words`] is for comparing those.
fn normalise(text: &str) -> String {
    let composed: String = text.nfc().collect();
    composed
        .lines()
        .map(one_line)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A text as one line of words, for finding a transcribed or re-wrapped passage in a pack.
pub fn words(text: &str) -> String {
    let composed: String = text.nfc().collect();
    one_line(&composed)
}

/// Checks a signed pack against the keys that may have signed it.
pub fn verify(text: &str, keys: &[PublicKey]) -> Result<SignedPack, SignatureError> {
    let text = text.replace("\r\n", "\n");
    let Some(begin) = text.rfind(SIGNATURE_BEGIN) else {
        return Err(SignatureError::Unsigned);
    };
    let (signed, block) = text.split_at(begin);
    let block = block
        .strip_prefix(SIGNATURE_BEGIN)
        .unwrap_or_default()
        .split(SIGNATURE_END)
        .next()
        .unwrap_or_default();
    let mut lines = block.lines().map(str::trim).filter(|l| !l.is_empty());
    let key_id = lines
        .next()
        .and_then(|l| l.strip_prefix("Key:"))
        .map(str::trim)
        .ok_or_else(|| SignatureError::Malformed("no `Key:` line".into()))?;
    let signature: String = lines.collect();
    let signature = STANDARD
        .decode(signature.as_bytes())
        .map_err(|_| SignatureError::Malformed("the signature is not base64".into()))?;
    let key = keys
        .iter()
        .find(|k| k.id == key_id)
        .ok_or_else(|| SignatureError::UnknownKey(key_id.to_string()))?;
    let normalised = normalise(signed);
    UnparsedPublicKey::new(&ED25519, &key.bytes)
        .verify(normalised.as_bytes(), &signature)
        .map_err(|_| SignatureError::Altered)?;
    let (header, body) = read_header(&normalised).ok_or_else(|| {
        // Signed, yet not in the shape this module writes: not a pack of ours.
        SignatureError::Malformed("the signed text has no pack header".into())
    })?;
    Ok(SignedPack {
        header,
        body,
        key: key.id.clone(),
    })
}

fn read_header(normalised: &str) -> Option<(PackHeader, String)> {
    let mut lines = normalised.lines();
    let mut field = |name: &str| {
        lines
            .next()
            .and_then(|l| l.strip_prefix(name))
            .and_then(|v| v.strip_prefix(": "))
            .map(str::to_string)
    };
    let pack = field("Pack")?;
    let version = field("Version")?.parse().ok()?;
    let issuer = field("Issuer")?;
    let issued = DateTime::parse_from_rfc3339(&field("Issued")?).ok()?.to_utc();
    let page = field("Page")?;
    let (brief, language) = pack.split_once('/')?;
    let header = PackHeader {
        brief: BriefId(brief.parse().ok()?),
        language: language.parse().ok()?,
        version,
        issuer,
        issued,
        page,
    };
    Some((header, lines.collect::<Vec<_>>().join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> PackHeader {
        PackHeader {
            brief: BriefId(12),
            language: Language::Fi,
            version: 2,
            issuer: "Valtioneuvoston kanslia".into(),
            issued: "2026-12-01T09:00:00Z".parse().unwrap(),
            page: "https://briefcast.example.fi/p/12/fi".into(),
        }
    }

    const BODY: &str = "Varaudu myrskyyn\n\nPidä kotona vettä ja ruokaa kolmeksi päiväksi.";

    #[test]
    fn a_signed_pack_verifies_even_after_a_mail_app_touched_its_spacing() {
        let (key, _) = PackKey::generate().unwrap();
        let signed = key.sign(&header(), BODY);
        let found = verify(&signed, &[key.public().clone()]).unwrap();
        assert_eq!(found.header, header());
        assert!(found.body.contains("kolmeksi päiväksi"));
        let mangled = signed.replace('\n', "\r\n").replace("Pidä kotona", "Pidä  kotona   ");
        assert!(verify(&mangled, &[key.public().clone()]).is_ok());
    }

    #[test]
    fn a_changed_word_a_changed_header_or_another_key_is_refused() {
        let (key, _) = PackKey::generate().unwrap();
        let (other, _) = PackKey::generate().unwrap();
        let keys = [key.public().clone()];
        let signed = key.sign(&header(), BODY);
        let word = signed.replace("kolmeksi", "kahdeksi");
        assert_eq!(verify(&word, &keys), Err(SignatureError::Altered));
        let issuer = signed.replace("Valtioneuvoston kanslia", "Valtioneuvoston kansli");
        assert_eq!(verify(&issuer, &keys), Err(SignatureError::Altered));
        let forged = other.sign(&header(), BODY);
        assert!(matches!(verify(&forged, &keys), Err(SignatureError::UnknownKey(_))));
        assert_eq!(verify(BODY, &keys), Err(SignatureError::Unsigned));
    }

    #[test]
    fn the_published_key_set_gives_back_the_key() {
        let (key, pem) = PackKey::generate().unwrap();
        let jwks = PublicKey::jwks(&[key.public()]);
        assert_eq!(PublicKey::from_jwks(&jwks), vec![key.public().clone()]);
        assert_eq!(PackKey::from_pem(&pem).unwrap().public(), key.public());
    }
}
