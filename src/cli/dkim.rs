//! `briefcast dkim check`: the DNS records to publish for the configured DKIM keys, held against
//! what DNS answers.

use clap::Subcommand;
use serde::Serialize;
use serde_json::json;

use super::Output;
use crate::config::Config;
use crate::dispatch::message::DkimKey;

#[derive(Debug, Subcommand)]
pub(super) enum DkimCommand {
    /// Print the TXT record to publish for each key and compare it with what DNS has
    Check,
}

/// How a key's published record compares with the one it needs.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Published {
    /// DNS has a record with this key's public key.
    Matches,
    /// DNS has a DKIM record there, with another key (or none): mail signed with this key fails.
    Differs { found: Vec<String> },
    /// Nothing is published under the name.
    Missing,
    /// DNS could not be asked (no resolver, no network): nothing is known.
    Unknown { why: String },
}

/// The `p=` of a DKIM record, without the whitespace DNS tools split long records with.
fn public_key_of(record: &str) -> Option<String> {
    record
        .split(';')
        .map(str::trim)
        .find_map(|tag| tag.strip_prefix("p="))
        .map(|p| p.split_whitespace().collect())
}

async fn published(key: &DkimKey) -> Published {
    let resolver = match hickory_resolver::TokioResolver::builder_tokio() {
        Ok(builder) => builder.build(),
        Err(error) => return Published::Unknown { why: error.to_string() },
    };
    match resolver.txt_lookup(format!("{}.", key.dns_name())).await {
        Ok(answers) => {
            let found: Vec<String> = answers
                .iter()
                .map(|txt| {
                    txt.txt_data()
                        .iter()
                        .map(|part| String::from_utf8_lossy(part).into_owned())
                        .collect::<String>()
                })
                .collect();
            let wanted = public_key_of(&key.dns_record());
            if found.iter().any(|r| public_key_of(r) == wanted) {
                Published::Matches
            } else {
                Published::Differs { found }
            }
        }
        Err(error) if error.is_no_records_found() || error.is_nx_domain() => Published::Missing,
        Err(error) => Published::Unknown { why: error.to_string() },
    }
}

/// A record as the zone file writes it: quoted strings of at most 255 bytes each (a TXT
/// string's limit, which an RSA-2048 record passes), that resolvers join back into one.
fn quoted(record: &str) -> String {
    let chunks: Vec<String> = record
        .as_bytes()
        .chunks(255)
        .map(|c| format!("\"{}\"", String::from_utf8_lossy(c)))
        .collect();
    chunks.join(" ")
}

pub(super) async fn run(config: &Config, out: Output, command: DkimCommand) -> anyhow::Result<()> {
    let DkimCommand::Check = command;
    let keys = crate::app::dkim_keys(config)?;
    if keys.is_empty() {
        anyhow::bail!("dkim_key_file is unset: messages go out unsigned, and there is nothing to check");
    }
    let mut report = Vec::new();
    for key in &keys {
        report.push((key, published(key).await));
    }
    if out.json {
        let keys: Vec<serde_json::Value> = report
            .iter()
            .map(|(key, published)| {
                json!({
                    "selector": key.selector(),
                    "domain": key.domain(),
                    "algorithm": key.algorithm(),
                    "bits": key.bits(),
                    "name": key.dns_name(),
                    "record": key.dns_record(),
                    "published": published,
                })
            })
            .collect();
        outln!("{}", json!({ "keys": keys }));
    } else {
        for (key, published) in &report {
            let size = key.bits().map(|b| format!(", {b} bits")).unwrap_or_default();
            outln!("{} ({}{size})", key.dns_name(), key.algorithm());
            outln!("  publish:  {}. IN TXT {}", key.dns_name(), quoted(&key.dns_record()));
            match published {
                Published::Matches => outln!("  DNS:      published, and it matches"),
                Published::Missing => outln!("  DNS:      nothing published yet: mail signed with this key fails DKIM"),
                Published::Differs { found } => {
                    outln!("  DNS:      a different record is published: mail signed with this key fails DKIM");
                    for record in found {
                        outln!("            found \"{record}\"");
                    }
                }
                Published::Unknown { why } => outln!("  DNS:      could not be asked ({why})"),
            }
        }
    }
    Ok(())
}
