//! Configuration: embedded defaults, then `briefcast.toml`, then `BRIEFCAST_*` variables.
//! Every value remembers where it came from, so an error or `briefcast config` can say so.
//!
//! Each setting is declared once, in the `settings!` list below: its group, its field and type,
//! its default, whether it is secret, how its text is read, and what it is for. From that one
//! list come the `Config` struct, the table `briefcast config` prints, the keys the file and the
//! environment accept, and the checks with their messages.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use serde::Serialize;

use crate::access::Role;
use crate::language::Language;
use crate::mask::mask_url;

/// The groups settings are listed in, in the order an operator meets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Files,
    Database,
    Http,
    Mail,
    Dispatch,
    Feeds,
    Inbound,
    Policy,
    Logging,
}

impl Group {
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Files => "files",
            Group::Database => "database",
            Group::Http => "http",
            Group::Mail => "mail",
            Group::Dispatch => "dispatch",
            Group::Feeds => "feeds",
            Group::Inbound => "inbound",
            Group::Policy => "policy",
            Group::Logging => "logging",
        }
    }
}

/// How much of a value may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secrecy {
    Public,
    /// A URL whose password is masked.
    InUrl,
    /// Never shown, not even in an error.
    Whole,
}

/// What a setting is when nothing sets it.
#[derive(Clone, Copy)]
pub enum DefaultValue {
    /// Unset: the feature it configures is off.
    Unset,
    Text(&'static str),
    /// Follows other settings (already read): the database in the data folder, links at the
    /// address listened on.
    From(fn(&Values) -> String),
}

/// One setting as declared.
pub struct Setting {
    /// The key in the file; the variable is `BRIEFCAST_` + the key in capitals.
    pub key: &'static str,
    pub group: Group,
    pub secrecy: Secrecy,
    pub default: DefaultValue,
    pub doc: &'static str,
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    File(PathBuf),
    Env(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::File(p) => write!(f, "file {}", p.display()),
            Source::Env(v) => write!(f, "environment {v}"),
        }
    }
}

/// Each setting's text as given, with where it came from.
pub type Values = BTreeMap<&'static str, (String, Source)>;

/// Declares every setting once. `vis key: Type = default, secrecy, reader;` with its doc
/// comment: the reader turns the text into the type or says why it cannot, in words that
/// follow "KEY = `VALUE`".
macro_rules! settings {
    ($( $group:ident { $( #[doc = $doc:literal] $vis:vis $key:ident : $ty:ty = $default:expr, $secrecy:ident, $read:expr; )+ } )+) => {
        /// Every setting, in the order `briefcast config` lists them.
        pub const SETTINGS: &[Setting] = &[
            $( $( Setting {
                key: stringify!($key),
                group: Group::$group,
                secrecy: Secrecy::$secrecy,
                default: $default,
                doc: $doc.trim_ascii(),
            }, )+ )+
        ];

        /// The effective configuration. Its `Debug` shows what `describe` shows, so secrets stay
        /// masked even when a config ends up in a log line.
        #[derive(Clone)]
        pub struct Config {
            $( $( #[doc = $doc] $vis $key: $ty, )+ )+
            sources: Values,
        }

        impl Config {
            fn read_all(values: Values) -> anyhow::Result<Config> {
                Ok(Config {
                    $( $( $key: read(&values, stringify!($key), Secrecy::$secrecy, $read)?, )+ )+
                    sources: values,
                })
            }
        }
    };
}

settings! {
    Files {
        /// folder for the SQLite database, the outbox and the generated secret
        pub data_dir: PathBuf = DefaultValue::Text("./briefcast-data"), Public, path;
        /// templates and platform limits; built-in copies stand in for what it lacks
        pub content_dir: PathBuf = DefaultValue::Text("./content"), Public, path;
        /// Fluent strings, one folder per language; built-in copies stand in for what it lacks
        pub locales_dir: PathBuf = DefaultValue::Text("./locales"), Public, path;
    }
    Database {
        /// sqlite://… or postgres://…
        pub database_url: String = DefaultValue::From(database_in_data_dir), InUrl, database_url;
    }
    Http {
        /// address the HTTP API listens on
        pub http_addr: SocketAddr = DefaultValue::Text("127.0.0.1:8080"), Public, socket_addr;
        /// base URL of links in messages
        pub public_url: String = DefaultValue::From(public_at_http_addr), Public, http_url;
        /// key that signs links and reply tokens; unset: generated once in the data folder
        secret: Option<String> = DefaultValue::Unset, Whole, link_secret;
        /// PEM Ed25519 private key (PKCS#8) that signs the public pack pages; unset: generated once in the data folder as pack-key.pem
        pub pack_key_file: Option<String> = DefaultValue::Unset, Public, optional;
        /// fact sources in editions link through /r/TOKEN, counting clicks per brief, language and source, never who clicked
        pub count_source_clicks: bool = DefaultValue::Text("true"), Public, boolean;
    }
    Mail {
        /// sender of editions
        pub from: String = DefaultValue::Text("briefcast <news@localhost>"), Public, text;
        /// the sender's name for Finnish readers, in From and atop every email, e.g. Valtioneuvoston kanslia; unset: the name in `from`
        pub sender_name_fi: Option<String> = DefaultValue::Unset, Public, optional;
        /// the sender's name for Swedish readers, e.g. Statsrådets kansli; unset: the name in `from`
        pub sender_name_sv: Option<String> = DefaultValue::Unset, Public, optional;
        /// the sender's name for English readers, e.g. Prime Minister's Office; unset: the name in `from`
        pub sender_name_en: Option<String> = DefaultValue::Unset, Public, optional;
        /// smtp://, smtp+starttls:// or smtps://user:pass@host:port; unset: outbox folder
        pub smtp_url: Option<String> = DefaultValue::Unset, InUrl, optional;
        /// HTTP mail API endpoint taking a JSON POST per message; unset: SMTP or the outbox
        pub mail_api_url: Option<String> = DefaultValue::Unset, InUrl, optional;
        /// bearer token for the HTTP mail API; reaches only the transport, through `mail_api_token()`
        mail_api_token: Option<String> = DefaultValue::Unset, Whole, optional;
        /// most messages per second through the transport, across all daemons; 0: no limit
        pub send_rate_per_second: u64 = DefaultValue::Text("0"), Public, rate;
        /// most messages per hour through the transport, across all daemons; 0: no limit
        pub send_rate_per_hour: u64 = DefaultValue::Text("0"), Public, rate;
        /// PEM private keys (RSA 2048+ or Ed25519) that each DKIM-sign every message, e.g. ["rsa.pem", "ed25519.pem"]; unset: unsigned
        pub dkim_key_file: Vec<PathBuf> = DefaultValue::Text(""), Public, paths;
        /// DKIM selectors, one per key in the same order, each published as SELECTOR._domainkey.DOMAIN
        pub dkim_selector: Vec<String> = DefaultValue::Text("briefcast"), Public, words;
        /// DKIM signing domain; unset: the domain of `from`
        pub dkim_domain: Option<String> = DefaultValue::Unset, Public, optional;
        /// domain of the questions+TOKEN@ and bounces+TOKEN@ addresses
        pub reply_domain: String = DefaultValue::Text("localhost"), Public, text;
    }
    Dispatch {
        /// how late a due edition may still go out after downtime, e.g. 1h, 30m, 90s; later runs are recorded as missed
        pub schedule_grace: Duration = DefaultValue::Text("1h"), Public, duration;
        /// how long a claimed batch is held, e.g. 10m; a send still unrecorded after it is uncertain
        // Ten minutes outlasts a batch of 200 even at the SMTP command timeout (30 s) per message
        // in flight; a shorter lease turns slow sends into uncertain ones.
        pub dispatch_lease: Duration = DefaultValue::Text("10m"), Public, positive_duration;
        /// deliveries claimed at once, their outcomes recorded in one transaction
        pub dispatch_batch: u32 = DefaultValue::Text("200"), Public, |v| whole_in(v, 1, 10_000);
        /// messages in flight at once per daemon
        pub dispatch_concurrency: usize = DefaultValue::Text("16"), Public, |v| whole_in(v, 1, 1_000);
        /// hard bounces, in percent of an edition's first `pause_bounce_sample` attempts, past which it pauses itself; 0: never
        pub pause_bounce_percent: u32 = DefaultValue::Text("5"), Public, |v| whole_in(v, 0, 100);
        /// how many of an edition's first attempts the bounce line judges
        pub pause_bounce_sample: u64 = DefaultValue::Text("1000"), Public, |v| whole_in(v, 1, 10_000_000);
        /// policy refusals (5xx, enhanced status 5.7.x) in a row that pause an edition; 0: never
        pub pause_policy_refusals: u32 = DefaultValue::Text("10"), Public, |v| whole_in(v, 0, 100_000);
    }
    Feeds {
        /// how often each government feed is polled, e.g. 2m; a failing feed waits twice as long after each failure, up to an hour
        pub feed_poll_interval: Duration = DefaultValue::Text("2m"), Public, positive_duration;
        /// how long a feed or an alert may take to answer, e.g. 10s
        pub feed_timeout: Duration = DefaultValue::Text("10s"), Public, positive_duration;
    }
    Inbound {
        /// imap:// or imaps://user:pass@host/MAILBOX to poll for replies; unset: no polling
        pub imap_url: Option<String> = DefaultValue::Unset, InUrl, optional;
        /// days raw replies are kept before they are deleted and their questions anonymised
        // Half a year: long enough to answer a crisis's questions and audit them, short enough
        // that raw mail (names, signatures, phone numbers) does not pile up.
        pub retention_days: u32 = DefaultValue::Text("180"), Public, days;
    }
    Policy {
        /// a brief must be approved by someone other than its author
        pub two_person_rule: bool = DefaultValue::Text("true"), Public, boolean;
        /// hold or fallback: what a reader gets when a brief lacks their language
        pub missing_language: MissingLanguage = DefaultValue::Text("hold"), Public, missing_language;
        /// the language sent, with a note, under the fallback policy
        pub fallback_language: Language = DefaultValue::Text("fi"), Public, language;
        /// roles whose accounts must sign in with an authenticator app's code too, e.g. ["approver"]
        pub require_totp: Vec<Role> = DefaultValue::Text(""), Public, roles;
        /// a console session unused this long is over
        pub session_idle_timeout: Duration = DefaultValue::Text("30m"), Public, positive_duration;
        /// no console session lasts longer than this, used or not
        // A working day: a crisis desk's shift, after which one signs in again.
        pub session_max_age: Duration = DefaultValue::Text("12h"), Public, positive_duration;
    }
    Logging {
        /// human or json
        pub log_format: LogFormat = DefaultValue::Text("human"), Public, log_format;
        /// tracing filter, e.g. info or briefcast=debug
        // sqlx logs every statement notice at info; that is noise for ops.
        pub log_level: String = DefaultValue::Text("info,sqlx=warn"), Public, text;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingLanguage {
    /// The brief does not go to readers of the missing language; the coordinator is told.
    Hold,
    /// The brief goes in the fallback language with a localized note.
    Fallback,
}

impl Config {
    /// Loads the configuration this process runs with: `path` if given (it must exist), else
    /// `BRIEFCAST_CONFIG`, else `./briefcast.toml` when present; then the environment.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
        let explicit = path
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("BRIEFCAST_CONFIG").map(PathBuf::from));
        let file = match explicit {
            Some(p) => {
                let text =
                    std::fs::read_to_string(&p).with_context(|| format!("reading config file {}", p.display()))?;
                Some((p, text))
            }
            None => {
                let p = PathBuf::from("briefcast.toml");
                std::fs::read_to_string(&p).ok().map(|text| (p, text))
            }
        };
        Config::from_sources(file.as_ref().map(|(p, t)| (p.as_path(), t.as_str())), std::env::vars())
    }

    /// Builds a configuration from a file's text and environment variables; the tests' way in.
    pub fn from_sources(
        file: Option<(&Path, &str)>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> anyhow::Result<Config> {
        let mut values = Values::new();
        if let Some((path, text)) = file {
            let table: toml::Table =
                toml::from_str(text).map_err(|e| anyhow!("config file {}: {e}", path.display()))?;
            for (key, value) in table {
                let known = setting(&key).ok_or_else(|| {
                    anyhow!(
                        "config file {}: unknown setting `{key}` (known: {})",
                        path.display(),
                        known_keys()
                    )
                })?;
                let text = match value {
                    toml::Value::String(s) => s,
                    toml::Value::Boolean(b) => b.to_string(),
                    toml::Value::Integer(i) => i.to_string(),
                    // A list of words (`require_totp = ["approver"]`), as the variable spells it.
                    toml::Value::Array(items) if items.iter().all(toml::Value::is_str) => items
                        .iter()
                        .filter_map(toml::Value::as_str)
                        .collect::<Vec<_>>()
                        .join(","),
                    other => bail!(
                        "config file {}: `{key}` must be a string, number, boolean or list of strings, not {}",
                        path.display(),
                        other.type_str()
                    ),
                };
                values.insert(known, (text, Source::File(path.to_path_buf())));
            }
        }
        for (var, value) in env {
            let Some(key) = var.strip_prefix("BRIEFCAST_") else {
                continue;
            };
            // BRIEFCAST_CONFIG names the file; BRIEFCAST_TEST_* belong to the test suites.
            if key == "CONFIG" || key.starts_with("TEST_") {
                continue;
            }
            let known = setting(&key.to_ascii_lowercase())
                .ok_or_else(|| anyhow!("environment: unknown setting {var} (known: {})", known_keys()))?;
            values.insert(known, (value, Source::Env(var.clone())));
        }
        Config::build(values)
    }

    fn build(mut values: Values) -> anyhow::Result<Config> {
        // In declaration order, so a default that follows another setting finds it filled.
        for setting in SETTINGS {
            let text = match setting.default {
                DefaultValue::Unset => continue,
                DefaultValue::Text(text) => text.to_string(),
                DefaultValue::From(derive) => derive(&values),
            };
            values.entry(setting.key).or_insert((text, Source::Default));
        }
        Config::read_all(values)
    }

    /// The key that signs links and reply tokens: configured, or generated once and kept in
    /// the data folder so that links in messages already sent keep working after a restart.
    pub fn link_secret(&self) -> anyhow::Result<String> {
        if let Some(secret) = &self.secret {
            return Ok(secret.clone());
        }
        let path = self.data_dir.join("secret");
        if let Ok(existing) = std::fs::read_to_string(&path) {
            return Ok(existing.trim().to_string());
        }
        crate::files::create_private_dir_all(&self.data_dir)
            .with_context(|| format!("creating data folder {}", self.data_dir.display()))?;
        let mut bytes = [0u8; 32];
        rand::fill(&mut bytes);
        let secret = hex::encode(bytes);
        write_private(&path, &secret).with_context(|| format!("writing generated secret to {}", path.display()))?;
        Ok(secret)
    }

    /// The key that signs public packs: the configured file, or one generated once in the data
    /// folder, so that signed copies keep verifying after a restart.
    pub fn pack_key(&self) -> anyhow::Result<crate::pack::PackKey> {
        match &self.pack_key_file {
            Some(file) => crate::pack::PackKey::load(std::path::Path::new(file), false),
            None => crate::pack::PackKey::load(&self.data_dir.join("pack-key.pem"), true),
        }
    }

    /// The HTTP mail API's bearer token, for the transport that sends with it.
    pub fn mail_api_token(&self) -> Option<&str> {
        self.mail_api_token.as_deref()
    }

    /// Whether `public_url` was left to its default, so it should follow the address actually bound.
    pub fn public_url_is_default(&self) -> bool {
        self.sources
            .get("public_url")
            .is_none_or(|(_, source)| *source == Source::Default)
    }

    /// The effective settings in their groups, secrets masked, each with where it came from.
    pub fn describe(&self) -> Vec<Described> {
        SETTINGS
            .iter()
            .map(|setting| {
                let (value, source) = match self.sources.get(setting.key) {
                    Some((value, source)) => (shown(setting.secrecy, value), source.to_string()),
                    None if setting.key == "secret" => (
                        "(generated)".to_string(),
                        format!("kept in {}", self.data_dir.join("secret").display()),
                    ),
                    None => ("(unset)".to_string(), "default".to_string()),
                };
                Described {
                    key: setting.key,
                    group: setting.group,
                    value,
                    source,
                }
            })
            .collect()
    }
}

/// One setting as `briefcast config` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Described {
    pub key: &'static str,
    pub group: Group,
    /// Masked when secret.
    pub value: String,
    pub source: String,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for described in self.describe() {
            map.entry(&described.key, &described.value);
        }
        map.finish()
    }
}

fn shown(secrecy: Secrecy, value: &str) -> String {
    match secrecy {
        Secrecy::Public => value.to_string(),
        Secrecy::InUrl => mask_url(value),
        Secrecy::Whole => "********".to_string(),
    }
}

/// Reads one setting's text (empty when unset) with its reader; a refusal names the source, the
/// key and, unless it is secret, the value.
fn read<T>(
    values: &Values,
    key: &str,
    secrecy: Secrecy,
    reader: impl Fn(&str) -> Result<T, String>,
) -> anyhow::Result<T> {
    let (value, source) = values
        .get(key)
        .map(|(v, s)| (v.as_str(), s))
        .unwrap_or(("", &Source::Default));
    reader(value).map_err(|why| match secrecy {
        Secrecy::Whole => anyhow!("{source}: {key} {why}"),
        _ => anyhow!("{source}: {key} = `{value}` {why}"),
    })
}

fn database_in_data_dir(values: &Values) -> String {
    let data_dir = values.get("data_dir").map(|(v, _)| v.as_str()).unwrap_or_default();
    format!("sqlite://{}", Path::new(data_dir).join("briefcast.db").display())
}

fn public_at_http_addr(values: &Values) -> String {
    let http_addr = values.get("http_addr").map(|(v, _)| v.as_str()).unwrap_or_default();
    format!("http://{http_addr}")
}

// The readers: text in, value or the reason it is refused.

fn text(value: &str) -> Result<String, String> {
    Ok(value.to_string())
}

fn optional(value: &str) -> Result<Option<String>, String> {
    Ok(Some(value.to_string()).filter(|s| !s.is_empty()))
}

fn path(value: &str) -> Result<PathBuf, String> {
    Ok(PathBuf::from(value))
}

/// A list: an array in the file, comma-separated in the environment.
fn words(value: &str) -> Result<Vec<String>, String> {
    Ok(value
        .split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect())
}

fn paths(value: &str) -> Result<Vec<PathBuf>, String> {
    Ok(words(value)?.into_iter().map(PathBuf::from).collect())
}

fn socket_addr(value: &str) -> Result<SocketAddr, String> {
    value
        .parse()
        .map_err(|_| "is not an address such as 127.0.0.1:8080".into())
}

fn http_url(value: &str) -> Result<String, String> {
    let url = value.trim_end_matches('/');
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url.to_string())
    } else {
        Err("must start with http:// or https://".into())
    }
}

fn database_url(value: &str) -> Result<String, String> {
    if ["sqlite:", "postgres:", "postgresql:"]
        .iter()
        .any(|p| value.starts_with(p))
    {
        Ok(value.to_string())
    } else {
        Err("must start with sqlite: or postgres:".into())
    }
}

fn link_secret(value: &str) -> Result<Option<String>, String> {
    match optional(value)? {
        Some(s) if s.len() < 32 => Err(format!(
            "is too short ({} characters); use at least 32 random characters",
            s.len()
        )),
        secret => Ok(secret),
    }
}

fn rate(value: &str) -> Result<u64, String> {
    value.parse().map_err(|_| "must be a whole number (0: no limit)".into())
}

fn whole_in<T: std::str::FromStr + PartialOrd + fmt::Display>(value: &str, low: T, high: T) -> Result<T, String> {
    value
        .parse::<T>()
        .ok()
        .filter(|n| *n >= low && *n <= high)
        .ok_or_else(|| format!("must be a whole number from {low} to {high}"))
}

fn days(value: &str) -> Result<u32, String> {
    whole_in(value, 1, 36_500).map_err(|_| "must be a whole number of days from 1 to 36500".into())
}

fn duration(value: &str) -> Result<Duration, String> {
    parse_duration(value).ok_or_else(|| "is not a duration such as 1h, 30m, 90s or 3600".into())
}

fn positive_duration(value: &str) -> Result<Duration, String> {
    parse_duration(value)
        .filter(|d| !d.is_zero())
        .ok_or_else(|| "is not a positive duration such as 10m, 90s or 600".into())
}

fn boolean(value: &str) -> Result<bool, String> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("must be true or false".into()),
    }
}

/// Roles, comma-separated (the file's list arrives joined so); none when empty.
fn roles(value: &str) -> Result<Vec<Role>, String> {
    let mut roles = Vec::new();
    for word in value.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        let role: Role = word
            .parse()
            .map_err(|_| format!("names `{word}`, which is not a role (use coordinator, approver or ops)"))?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    Ok(roles)
}

fn language(value: &str) -> Result<Language, String> {
    value.parse().map_err(|_| "must be fi, sv or en".into())
}

fn missing_language(value: &str) -> Result<MissingLanguage, String> {
    match value {
        "hold" => Ok(MissingLanguage::Hold),
        "fallback" => Ok(MissingLanguage::Fallback),
        _ => Err("must be hold or fallback".into()),
    }
}

fn log_format(value: &str) -> Result<LogFormat, String> {
    match value {
        "human" => Ok(LogFormat::Human),
        "json" => Ok(LogFormat::Json),
        _ => Err("must be human or json".into()),
    }
}

/// `90s`, `30m`, `1h`, `2d`, or plain seconds.
fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number.parse().ok()?;
    let seconds = match unit.trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    Some(Duration::from_secs(n.checked_mul(seconds)?))
}

fn setting(key: &str) -> Option<&'static str> {
    SETTINGS.iter().map(|s| s.key).find(|k| *k == key)
}

fn known_keys() -> String {
    SETTINGS.iter().map(|s| s.key).collect::<Vec<_>>().join(", ")
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    crate::files::create_private_new(path)?.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn zero_configuration_works() {
        let c = Config::from_sources(None, env(&[])).unwrap();
        assert_eq!(c.database_url, "sqlite://./briefcast-data/briefcast.db");
        assert_eq!(c.http_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.public_url, "http://127.0.0.1:8080");
        assert_eq!(c.smtp_url, None);
        assert!(c.two_person_rule);
        assert_eq!(c.missing_language, MissingLanguage::Hold);
        assert_eq!(c.retention_days, 180);
    }

    #[test]
    fn retention_is_a_positive_number_of_days() {
        let c = Config::from_sources(None, env(&[("BRIEFCAST_RETENTION_DAYS", "30")])).unwrap();
        assert_eq!(c.retention_days, 30);
        for bad in ["0", "-1", "a year"] {
            let err = Config::from_sources(None, env(&[("BRIEFCAST_RETENTION_DAYS", bad)])).unwrap_err();
            assert!(err.to_string().contains("retention_days"), "{err}");
        }
    }

    #[test]
    fn environment_overrides_the_file() {
        let file = "http_addr = \"0.0.0.0:9000\"\ndata_dir = \"/srv/bc\"\n";
        let c = Config::from_sources(
            Some((Path::new("briefcast.toml"), file)),
            env(&[("BRIEFCAST_HTTP_ADDR", "127.0.0.1:7000"), ("PATH", "/bin")]),
        )
        .unwrap();
        assert_eq!(c.http_addr.to_string(), "127.0.0.1:7000");
        assert_eq!(c.database_url, "sqlite:///srv/bc/briefcast.db");
        let described = c.describe();
        let http = described.iter().find(|d| d.key == "http_addr").unwrap();
        assert_eq!(http.source, "environment BRIEFCAST_HTTP_ADDR");
        assert_eq!(http.group, Group::Http);
    }

    #[test]
    fn every_setting_with_a_default_can_be_set() {
        for key in SETTINGS.iter().map(|s| &s.key) {
            let var = format!("BRIEFCAST_{}", key.to_ascii_uppercase());
            let value = match *key {
                "database_url" => "sqlite://x.db",
                "http_addr" => "127.0.0.1:9",
                "public_url" => "https://example.fi",
                "log_format" => "json",
                "two_person_rule" | "count_source_clicks" => "false",
                "missing_language" => "fallback",
                "fallback_language" => "sv",
                "secret" => "0123456789abcdef0123456789abcdef",
                "schedule_grace" => "30m",
                "retention_days" => "30",
                "send_rate_per_second" | "send_rate_per_hour" => "10",
                "dispatch_lease" => "30s",
                "dispatch_batch" | "dispatch_concurrency" => "4",
                "pause_bounce_percent" | "pause_bounce_sample" | "pause_policy_refusals" => "3",
                "require_totp" => "approver,ops",
                "session_idle_timeout" | "session_max_age" => "1h",
                "feed_poll_interval" | "feed_timeout" => "30s",
                _ => "x",
            };
            let c = Config::from_sources(None, env(&[(&var, value)]));
            assert!(c.is_ok(), "{var}: {:?}", c.err());
        }
        let described: Vec<String> = Config::from_sources(None, env(&[]))
            .unwrap()
            .describe()
            .into_iter()
            .map(|d| d.key.to_string())
            .collect();
        for key in ["content_dir", "locales_dir", "schedule_grace", "retention_days"] {
            assert!(
                described.iter().any(|k| k == key),
                "{key} missing from `briefcast config`"
            );
        }
    }

    #[test]
    fn roles_that_need_an_authenticator_come_as_a_list_or_a_comma_separated_variable() {
        let file = Config::from_sources(
            Some((Path::new("bc.toml"), "require_totp = [\"approver\", \"ops\"]")),
            env(&[]),
        )
        .unwrap();
        assert_eq!(file.require_totp, vec![Role::Approver, Role::Ops]);
        let var = Config::from_sources(None, env(&[("BRIEFCAST_REQUIRE_TOTP", "ops, approver,ops")])).unwrap();
        assert_eq!(var.require_totp, vec![Role::Ops, Role::Approver]);
        assert!(Config::from_sources(None, env(&[])).unwrap().require_totp.is_empty());
        let err = Config::from_sources(None, env(&[("BRIEFCAST_REQUIRE_TOTP", "approvers")])).unwrap_err();
        assert!(
            err.to_string().ends_with(
                "require_totp = `approvers` names `approvers`, which is not a role (use coordinator, approver or ops)"
            ),
            "{err}"
        );
        let err = Config::from_sources(Some((Path::new("bc.toml"), "require_totp = [1]")), env(&[])).unwrap_err();
        assert!(err.to_string().contains("list of strings"), "{err}");
    }

    #[test]
    fn unknown_keys_are_named() {
        let err = Config::from_sources(Some((Path::new("/etc/bc.toml"), "databse_url = \"x\"")), env(&[])).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("config file /etc/bc.toml: unknown setting `databse_url`"),
            "{err}"
        );
        let err = Config::from_sources(None, env(&[("BRIEFCAST_SMPT_URL", "x")])).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("environment: unknown setting BRIEFCAST_SMPT_URL"),
            "{err}"
        );
        assert!(Config::from_sources(None, env(&[("BRIEFCAST_TEST_DATABASE_URL", "x")])).is_ok());
    }

    #[test]
    fn bad_values_name_their_source() {
        let err = Config::from_sources(None, env(&[("BRIEFCAST_HTTP_ADDR", "everywhere")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment BRIEFCAST_HTTP_ADDR: http_addr = `everywhere` is not an address such as 127.0.0.1:8080"
        );
    }

    #[test]
    fn secrets_are_masked() {
        let c = Config::from_sources(
            None,
            env(&[
                ("BRIEFCAST_DATABASE_URL", "postgres://briefcast:hunter2@db/briefcast"),
                ("BRIEFCAST_SMTP_URL", "smtps://news:pa55word@smtp.example.fi:465"),
                ("BRIEFCAST_SECRET", "0123456789abcdef0123456789abcdef-very-secret"),
            ]),
        )
        .unwrap();
        let shown = format!("{:?} {c:?}", c.describe());
        for secret in ["hunter2", "pa55word", "very-secret"] {
            assert!(!shown.contains(secret), "{secret} shown in {shown}");
        }
        assert!(shown.contains("postgres://briefcast:********@db/briefcast"), "{shown}");
    }

    #[test]
    fn the_schedule_grace_reads_like_people_write_it() {
        let grace =
            |v: &str| Config::from_sources(None, env(&[("BRIEFCAST_SCHEDULE_GRACE", v)])).map(|c| c.schedule_grace);
        assert_eq!(
            Config::from_sources(None, env(&[])).unwrap().schedule_grace.as_secs(),
            3600
        );
        assert_eq!(grace("90m").unwrap().as_secs(), 5400);
        assert_eq!(grace("45").unwrap().as_secs(), 45);
        assert_eq!(grace("2d").unwrap().as_secs(), 172_800);
        let err = grace("soon").unwrap_err().to_string();
        assert!(err.contains("schedule_grace = `soon` is not a duration"), "{err}");
        assert!(grace("-1h").is_err());
    }

    #[test]
    fn the_dispatcher_pace_is_configurable_and_checked() {
        let c = Config::from_sources(None, env(&[])).unwrap();
        assert_eq!(
            (c.dispatch_lease.as_secs(), c.dispatch_batch, c.dispatch_concurrency),
            (600, 200, 16)
        );
        let c = Config::from_sources(
            None,
            env(&[
                ("BRIEFCAST_DISPATCH_LEASE", "3s"),
                ("BRIEFCAST_DISPATCH_BATCH", "50"),
                ("BRIEFCAST_DISPATCH_CONCURRENCY", "2"),
            ]),
        )
        .unwrap();
        assert_eq!(
            (c.dispatch_lease.as_secs(), c.dispatch_batch, c.dispatch_concurrency),
            (3, 50, 2)
        );
        for (var, bad, key) in [
            ("BRIEFCAST_DISPATCH_LEASE", "0s", "dispatch_lease"),
            ("BRIEFCAST_DISPATCH_LEASE", "soon", "dispatch_lease"),
            ("BRIEFCAST_DISPATCH_BATCH", "0", "dispatch_batch"),
            ("BRIEFCAST_DISPATCH_CONCURRENCY", "-1", "dispatch_concurrency"),
        ] {
            let err = Config::from_sources(None, env(&[(var, bad)])).unwrap_err().to_string();
            assert!(err.contains(&format!("{key} = `{bad}`")), "{err}");
        }
    }

    #[test]
    fn the_generated_secret_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::from_sources(None, env(&[("BRIEFCAST_DATA_DIR", dir.path().to_str().unwrap())])).unwrap();
        let first = c.link_secret().unwrap();
        assert_eq!(first.len(), 64);
        assert_eq!(c.link_secret().unwrap(), first);
    }

    #[test]
    fn a_refused_secret_is_not_repeated() {
        let err = Config::from_sources(None, env(&[("BRIEFCAST_SECRET", "short-but-private")]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "environment BRIEFCAST_SECRET: secret is too short (17 characters); use at least 32 random characters"
        );
    }

    #[test]
    fn every_setting_belongs_to_a_group_listed_together() {
        let groups: Vec<Group> = SETTINGS.iter().map(|s| s.group).collect();
        let mut seen: Vec<Group> = Vec::new();
        for group in groups {
            if seen.last() != Some(&group) {
                assert!(!seen.contains(&group), "{group:?} is split in two places");
                seen.push(group);
            }
        }
        assert!(SETTINGS.iter().all(|s| !s.doc.is_empty()));
    }
}
