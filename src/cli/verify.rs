//! `briefcast verify FILE|URL`: whether a pack is the one the authority issued, and where it
//! stands now. A file is checked against this deployment (its key and its database); an address
//! of a pack page anywhere is checked against the key published beside it, and its standing
//! read from there. Anything short of a genuine, current pack exits with status 1.

use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Output, open_store};
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::pack::{Content, PublicKey, Standing};
use crate::service::packs::{self, IssuedPack, Site, Verdict};

/// A signed pack is a few kilobytes; anything past this is not one.
const MOST_BYTES: usize = 1024 * 1024;

pub(super) async fn run(config: &Config, out: Output, target: &str) -> anyhow::Result<()> {
    if target.starts_with("https://") || target.starts_with("http://") {
        return remote(out, target).await;
    }
    let text = std::fs::read_to_string(target).with_context(|| format!("reading {target}"))?;
    let store = open_store(config).await?;
    let content = Content::configured(config).context("loading templates and strings")?;
    let key = config.pack_key().context("the pack-signing key (pack_key_file)")?;
    let site = Site {
        public_url: &config.public_url,
        content: &content,
        key: &key,
    };
    let verdict = packs::verify(store.as_ref(), &site, &text, SystemClock.now()).await?;
    let (pack, part) = match verdict {
        Verdict::Signed(pack) => (pack, None),
        Verdict::Found { pack, part } => (pack, Some(part.unwrap_or_else(|| "a passage".into()))),
        Verdict::Refused(why) => anyhow::bail!("NOT GENUINE: {target}: {why}"),
        Verdict::TooShort => {
            anyhow::bail!("{target}: too little text to check; give a whole sentence or a signed copy")
        }
        Verdict::NotFound => anyhow::bail!("NOT FOUND: {target}: no pack issued here holds this text"),
    };
    let what = match &part {
        Some(part) => format!("{target} is {part} of"),
        None => format!("{target} is signed:"),
    };
    say(
        out,
        &Finding {
            what,
            standing: pack.standing,
            page: pack.header.page.clone(),
            title: title_of(&pack),
            issuer: pack.header.issuer.clone(),
            issued: pack.header.issued,
            since: pack.since,
            current: pack.current_page.clone(),
        },
    )
}

fn title_of(pack: &IssuedPack) -> String {
    pack.stored
        .brief
        .block(pack.language)
        .map(|b| b.title.clone())
        .unwrap_or_default()
}

/// What a check found of a genuine pack.
struct Finding {
    what: String,
    standing: Standing,
    page: String,
    title: String,
    issuer: String,
    issued: DateTime<Utc>,
    since: Option<DateTime<Utc>>,
    current: Option<String>,
}

fn say(out: Output, found: &Finding) -> anyhow::Result<()> {
    let Finding {
        what,
        standing,
        page,
        title,
        issuer,
        issued,
        since,
        current,
    } = found;
    let (standing, issued, since) = (*standing, *issued, *since);
    let when = |at: DateTime<Utc>| at.format("%Y-%m-%d %H:%M UTC").to_string();
    let now = match standing {
        Standing::Current => "current".to_string(),
        Standing::Withdrawn => format!("WITHDRAWN on {}: do not post it", since.map(when).unwrap_or_default()),
        Standing::Corrected => "CORRECTED since: a newer version replaces it".into(),
        Standing::Updated => "UPDATED since: a newer version replaces it".into(),
        Standing::Expired => format!("EXPIRED on {}", since.map(when).unwrap_or_default()),
    };
    let line = format!(
        "GENUINE: {what} the pack \"{title}\" ({page}), issued by {issuer} on {}; {now}{}",
        when(issued),
        current
            .as_deref()
            .map(|c| format!("; current version: {c}"))
            .unwrap_or_default()
    );
    out.line(
        json!({
            "genuine": true,
            "page": page,
            "title": title,
            "issuer": issuer,
            "issued": issued,
            "standing": standing.as_str(),
            "since": since,
            "current_page": current,
        }),
        &line,
    );
    match standing {
        Standing::Current => Ok(()),
        _ => anyhow::bail!("the pack is genuine but no longer current: {now}"),
    }
}

/// A pack page's address, as `ORIGIN/p/ID/LANG` with anything after it dropped.
fn pack_base(target: &str) -> anyhow::Result<(String, String)> {
    let url = url::Url::parse(target).with_context(|| format!("`{target}` is not an address"))?;
    let mut segments = url.path_segments().into_iter().flatten();
    let (Some("p"), Some(id), Some(lang)) = (segments.next(), segments.next(), segments.next()) else {
        anyhow::bail!("`{target}` is not the address of a pack (…/p/ID/LANG)");
    };
    let origin = url.origin().ascii_serialization();
    Ok((format!("{origin}/p/{id}/{lang}"), origin))
}

async fn fetch(client: &reqwest::Client, url: &str) -> anyhow::Result<String> {
    let response = client
        .get(url)
        .send()
        .await
        .with_context(|| format!("fetching {url}"))?;
    let status = response.status();
    anyhow::ensure!(status.is_success(), "{url} answered {status}");
    let bytes = response.bytes().await.with_context(|| format!("reading {url}"))?;
    anyhow::ensure!(bytes.len() <= MOST_BYTES, "{url} is larger than a pack");
    String::from_utf8(bytes.to_vec()).with_context(|| format!("{url} is not UTF-8 text"))
}

async fn remote(out: Output, target: &str) -> anyhow::Result<()> {
    let (base, origin) = pack_base(target)?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::limited(5))
        .build()
        .context("setting up the web client")?;
    let signed = fetch(&client, &format!("{base}/signed.txt")).await?;
    let jwks: serde_json::Value =
        serde_json::from_str(&fetch(&client, &format!("{origin}/.well-known/briefcast-pack-keys")).await?)
            .context("the published key set is not JSON")?;
    let keys = PublicKey::from_jwks(&jwks);
    anyhow::ensure!(!keys.is_empty(), "{origin} publishes no Ed25519 pack key");
    let pack = crate::pack::verify(&signed, &keys).map_err(|why| anyhow::anyhow!("NOT GENUINE: {base}: {why}"))?;
    let status: serde_json::Value = serde_json::from_str(&fetch(&client, &format!("{base}/status")).await?)
        .context("the pack's status is not JSON")?;
    let text = |name: &str| status.get(name).and_then(|v| v.as_str()).map(str::to_string);
    let standing = match text("standing").as_deref() {
        Some("current") => Standing::Current,
        Some("withdrawn") => Standing::Withdrawn,
        Some("corrected") => Standing::Corrected,
        Some("updated") => Standing::Updated,
        Some("expired") => Standing::Expired,
        other => anyhow::bail!("{base}/status gives no standing we know: {other:?}"),
    };
    let since = text("since")
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(&s).ok())
        .map(|s| s.to_utc());
    say(
        out,
        &Finding {
            what: format!("{base} is signed:"),
            standing,
            page: pack.header.page,
            title: text("title").unwrap_or_default(),
            issuer: pack.header.issuer,
            issued: pack.header.issued,
            since,
            current: text("current_page"),
        },
    )
}
