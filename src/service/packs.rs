//! Public packs: the web version of each issued pack, its signed copy, and checking a text or a
//! signed copy against what was issued. These answer anyone, so they show only what was issued:
//! approved, past its embargo. A draft, or a brief still under embargo, does not exist here.

use chrono::{DateTime, Utc};

use crate::brief::BriefStatus;
use crate::ids::BriefId;
use crate::language::Language;
use crate::pack::{Content, PackHeader, PackKey, RenderError, SignatureError, Standing};
use crate::pack::{pack_text, verify as check_signature, words};
use crate::store::{Store, StoreError, StoredBrief};

/// One issued pack as the public sees it.
#[derive(Debug, Clone)]
pub struct IssuedPack {
    pub stored: StoredBrief,
    pub language: Language,
    pub header: PackHeader,
    /// The pack's text as signed.
    pub text: String,
    pub standing: Standing,
    /// When it was withdrawn, or expired.
    pub since: Option<DateTime<Utc>>,
    /// The page of the version that replaces it.
    pub current_page: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("no pack is published at this address")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// What a text turned out to be.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// A signed copy whose signature matches, of a pack issued here.
    Signed(IssuedPack),
    /// An unsigned text found in an issued pack: the whole of one of its parts (named by its
    /// label), or within it.
    Found { pack: IssuedPack, part: Option<String> },
    /// A signed copy changed after it was signed, or signed with another key.
    Refused(SignatureError),
    /// Too little text to say anything.
    TooShort,
    /// No issued pack holds this text.
    NotFound,
}

/// Shorter passages are in too many texts to tell anything.
const FEWEST_CHARACTERS: usize = 20;

/// Where the public pages of the packs are: `public_url` without its trailing slash.
pub struct Site<'a> {
    pub public_url: &'a str,
    pub content: &'a Content,
    pub key: &'a PackKey,
}

impl Site<'_> {
    pub fn page(&self, id: BriefId, language: Language) -> String {
        format!(
            "{}/p/{}/{}",
            self.public_url.trim_end_matches('/'),
            id.0,
            language.code()
        )
    }

    pub fn keys_url(&self) -> String {
        format!(
            "{}/.well-known/briefcast-pack-keys",
            self.public_url.trim_end_matches('/')
        )
    }

    /// The pack's signed copy, as `/p/ID/LANG/signed.txt` serves it.
    pub fn signed(&self, pack: &IssuedPack) -> String {
        self.key.sign(&pack.header, &pack.text)
    }
}

/// Whether the public may see a brief: it was approved (and not edited since), and its embargo
/// has passed. A withdrawn brief that had been issued stays, saying it is withdrawn.
fn is_issued(stored: &StoredBrief, now: DateTime<Utc>) -> bool {
    stored.approved_at.is_some()
        && stored.status != BriefStatus::Draft
        && stored.brief.meta.embargo.is_none_or(|e| now >= e)
}

/// The pack of brief `id` in `language`, if it was issued.
pub async fn issued(
    store: &dyn Store,
    site: &Site<'_>,
    id: BriefId,
    language: Language,
    now: DateTime<Utc>,
) -> Result<IssuedPack, PackError> {
    let stored = store.brief(id).await?.ok_or(PackError::NotFound)?;
    describe(store, site, stored, language, now).await
}

async fn describe(
    store: &dyn Store,
    site: &Site<'_>,
    stored: StoredBrief,
    language: Language,
    now: DateTime<Utc>,
) -> Result<IssuedPack, PackError> {
    let (Some(issued_at), true) = (stored.approved_at, is_issued(&stored, now)) else {
        return Err(PackError::NotFound);
    };
    let text = pack_text(site.content, &stored.brief, language)?.ok_or(PackError::NotFound)?;
    let later = store.later_versions(stored.id).await?;
    let replacement = later.into_iter().find(|b| is_issued(b, now));
    let current_page = replacement.as_ref().map(|b| {
        let in_language = b.brief.block(language).is_some();
        let shown = if in_language {
            language
        } else {
            b.brief.languages().first().copied().unwrap_or(language)
        };
        site.page(b.id, shown)
    });
    let expires = stored.brief.meta.expires.map(|e| e.to_utc());
    let (standing, since) = if stored.status == BriefStatus::Withdrawn {
        (Standing::Withdrawn, Some(stored.updated_at))
    } else if let Some(replacement) = &replacement {
        match replacement.supersedes_id == Some(stored.id) {
            true => (Standing::Corrected, None),
            false => (Standing::Updated, None),
        }
    } else if let Some(expired) = expires.filter(|e| now >= *e) {
        (Standing::Expired, Some(expired))
    } else {
        (Standing::Current, None)
    };
    let header = PackHeader {
        brief: stored.id,
        language,
        version: stored.version,
        issuer: site.content.sender.get(language).to_string(),
        issued: issued_at,
        page: site.page(stored.id, language),
    };
    Ok(IssuedPack {
        stored,
        language,
        header,
        text,
        standing,
        since,
        current_page,
    })
}

/// Checks a text: a signed copy by its signature, then by where the pack stands now; any
/// other text by looking for it in the packs issued here.
pub async fn verify(store: &dyn Store, site: &Site<'_>, text: &str, now: DateTime<Utc>) -> Result<Verdict, PackError> {
    match check_signature(text, std::slice::from_ref(site.key.public())) {
        Ok(signed) => {
            let found = issued(store, site, signed.header.brief, signed.header.language, now).await;
            match found {
                Ok(pack) => Ok(Verdict::Signed(pack)),
                // Signed by this deployment, yet no longer issued in this form: edited back to
                // a draft, or the database lost it. Anyone relying on it should ask.
                Err(PackError::NotFound) => Ok(Verdict::NotFound),
                Err(e) => Err(e),
            }
        }
        Err(SignatureError::Unsigned) => find(store, site, text, now).await,
        Err(refused) => Ok(Verdict::Refused(refused)),
    }
}

async fn find(store: &dyn Store, site: &Site<'_>, text: &str, now: DateTime<Utc>) -> Result<Verdict, PackError> {
    let wanted = words(text);
    if wanted.chars().count() < FEWEST_CHARACTERS {
        return Ok(Verdict::TooShort);
    }
    for stored in store.briefs(None).await? {
        if !is_issued(&stored, now) {
            continue;
        }
        for language in stored.brief.languages() {
            let Some(snippets) = crate::pack::Snippets::of(&stored.brief, language) else {
                continue;
            };
            let part = parts(site.content, language, &snippets)
                .into_iter()
                .find(|(_, part)| words(part) == wanted)
                .map(|(label, _)| label);
            // Every word the brief says in this language, without rendering it: this page
            // answers anyone, so a check reads text, it does not draw a thousand packs.
            let whole = || words(&block_text(&stored.brief, language)).contains(&wanted);
            if part.is_some() || whole() {
                let pack = describe(store, site, stored.clone(), language, now).await?;
                return Ok(Verdict::Found { pack, part });
            }
        }
    }
    Ok(Verdict::NotFound)
}

/// A brief's text in one language, field after field.
fn block_text(brief: &crate::brief::Brief, language: Language) -> String {
    let Some(block) = brief.block(language) else {
        return String::new();
    };
    let mut all: Vec<&str> = vec![&block.title, &block.summary];
    all.extend(block.key_messages.iter().map(String::as_str));
    all.extend(block.dos.iter().map(String::as_str));
    all.extend(block.dont.iter().map(String::as_str));
    all.extend(block.facts.iter().map(|f| f.text.as_str()));
    if let Some(y) = &block.youtube {
        all.extend(y.talking_points.iter().map(String::as_str));
    }
    all.join("\n")
}

/// The texts of a pack meant to be posted as they are, each with its label.
fn parts(content: &Content, language: Language, snippets: &crate::pack::Snippets) -> Vec<(String, String)> {
    let label = |id: &str| content.strings.get(language, id);
    let mut parts = Vec::new();
    if let Some(i) = &snippets.instagram {
        parts.push((label("instagram-caption"), i.caption.clone()));
    }
    if let Some(t) = &snippets.tiktok {
        parts.push((label("tiktok-script"), t.script.clone()));
    }
    if let Some(y) = &snippets.youtube {
        parts.push((label("youtube-title"), y.title.clone()));
        if let Some(d) = &y.description {
            parts.push((label("youtube-description"), d.clone()));
        }
    }
    if let Some(x) = &snippets.x {
        parts.push((label("x-post"), x.post.clone()));
    }
    parts
}
