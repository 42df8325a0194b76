//! Configuration: embedded defaults, then `briefcast.toml`, then `BRIEFCAST_*` variables.
//! Every value remembers where it came from, so an error or `briefcast config` can say so.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use serde::Serialize;

use crate::language::Language;
use crate::mask::mask_url;

/// Every setting: its key in the file (the variable is `BRIEFCAST_` + the key in capitals),
/// whether it is secret, and what it is for.
pub const SETTINGS: &[(&str, bool, &str)] = &[
    (
        "data_dir",
        false,
        "folder for the SQLite database, the outbox and the generated secret",
    ),
    (
        "content_dir",
        false,
        "templates and platform limits; built-in copies stand in for what it lacks",
    ),
    (
        "locales_dir",
        false,
        "Fluent strings, one folder per language; built-in copies stand in for what it lacks",
    ),
    ("database_url", true, "sqlite://… or postgres://…"),
    ("http_addr", false, "address the HTTP API listens on"),
    ("public_url", false, "base URL of links in messages"),
    (
        "smtp_url",
        true,
        "smtp://, smtp+starttls:// or smtps://user:pass@host:port; unset: outbox folder",
    ),
    ("from", false, "sender of editions"),
    (
        "send_rate_per_second",
        false,
        "most messages per second through the transport, across all daemons; 0: no limit",
    ),
    (
        "send_rate_per_hour",
        false,
        "most messages per hour through the transport, across all daemons; 0: no limit",
    ),
    (
        "mail_api_url",
        true,
        "HTTP mail API endpoint taking a JSON POST per message; unset: SMTP or the outbox",
    ),
    ("mail_api_token", true, "bearer token for the HTTP mail API"),
    (
        "dkim_key_file",
        false,
        "PEM private key (RSA or Ed25519) that DKIM-signs every message; unset: unsigned",
    ),
    (
        "dkim_selector",
        false,
        "DKIM selector, published as SELECTOR._domainkey.DOMAIN",
    ),
    ("dkim_domain", false, "DKIM signing domain; unset: the domain of `from`"),
    (
        "reply_domain",
        false,
        "domain of the questions+TOKEN@ and bounces+TOKEN@ addresses",
    ),
    (
        "secret",
        true,
        "key that signs links and reply tokens; unset: generated once in the data folder",
    ),
    (
        "imap_url",
        true,
        "imap:// or imaps://user:pass@host/MAILBOX to poll for replies; unset: no polling",
    ),
    (
        "retention_days",
        false,
        "days raw replies are kept before they are deleted and their questions anonymised",
    ),
    ("log_format", false, "human or json"),
    ("log_level", false, "tracing filter, e.g. info or briefcast=debug"),
    (
        "two_person_rule",
        false,
        "a brief must be approved by someone other than its author",
    ),
    (
        "missing_language",
        false,
        "hold or fallback: what a reader gets when a brief lacks their language",
    ),
    (
        "fallback_language",
        false,
        "the language sent, with a note, under the fallback policy",
    ),
    (
        "schedule_grace",
        false,
        "how late a due edition may still go out after downtime, e.g. 1h, 30m, 90s; later runs are recorded as missed",
    ),
    (
        "dispatch_lease",
        false,
        "how long a claimed batch is held, e.g. 10m; a send still unrecorded after it is uncertain",
    ),
    (
        "dispatch_batch",
        false,
        "deliveries claimed at once, their outcomes recorded in one transaction",
    ),
    ("dispatch_concurrency", false, "messages in flight at once per daemon"),
];

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

/// The effective configuration. Its `Debug` shows what `describe` shows, so secrets stay masked
/// even when a config ends up in a log line.
#[derive(Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub content_dir: PathBuf,
    pub locales_dir: PathBuf,
    pub database_url: String,
    pub http_addr: SocketAddr,
    pub public_url: String,
    pub smtp_url: Option<String>,
    pub from: String,
    pub mail_api_url: Option<String>,
    /// Not public: it reaches only the transport, through `mail_api_token()`, never a printout.
    mail_api_token: Option<String>,
    pub dkim_key_file: Option<PathBuf>,
    pub dkim_selector: String,
    pub send_rate_per_second: u64,
    pub send_rate_per_hour: u64,
    pub dkim_domain: Option<String>,
    pub reply_domain: String,
    secret: Option<String>,
    pub imap_url: Option<String>,
    pub retention_days: u32,
    pub log_format: LogFormat,
    pub log_level: String,
    pub two_person_rule: bool,
    pub missing_language: MissingLanguage,
    pub fallback_language: Language,
    pub schedule_grace: std::time::Duration,
    pub dispatch_lease: std::time::Duration,
    pub dispatch_batch: u32,
    pub dispatch_concurrency: usize,
    sources: BTreeMap<&'static str, (String, Source)>,
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
        let mut values: BTreeMap<&'static str, (String, Source)> = BTreeMap::new();
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
                    other => bail!(
                        "config file {}: `{key}` must be a string, number or boolean, not {}",
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

    fn build(mut values: BTreeMap<&'static str, (String, Source)>) -> anyhow::Result<Config> {
        let mut default = |key: &'static str, value: String| {
            values.entry(key).or_insert((value, Source::Default));
        };
        default("data_dir", "./briefcast-data".into());
        default("content_dir", "./content".into());
        default("locales_dir", "./locales".into());
        default("http_addr", "127.0.0.1:8080".into());
        default("from", "briefcast <news@localhost>".into());
        default("reply_domain", "localhost".into());
        default("dkim_selector", "briefcast".into());
        default("send_rate_per_second", "0".into());
        default("send_rate_per_hour", "0".into());
        // Half a year: long enough to answer a crisis's questions and audit them, short enough
        // that raw mail (names, signatures, phone numbers) does not pile up.
        default("retention_days", "180".into());
        default("log_format", "human".into());
        // sqlx logs every statement notice at info; that is noise for ops.
        default("log_level", "info,sqlx=warn".into());
        default("two_person_rule", "true".into());
        default("missing_language", "hold".into());
        default("fallback_language", "fi".into());
        default("schedule_grace", "1h".into());
        // Ten minutes outlasts a batch of 200 even at the SMTP command timeout (30 s) per
        // message in flight; a shorter lease turns slow sends into uncertain ones.
        default("dispatch_lease", "10m".into());
        default("dispatch_batch", "200".into());
        default("dispatch_concurrency", "16".into());
        let data_dir = PathBuf::from(&values["data_dir"].0);
        values.entry("database_url").or_insert((
            format!("sqlite://{}", data_dir.join("briefcast.db").display()),
            Source::Default,
        ));
        let http_addr_text = values["http_addr"].0.clone();
        values
            .entry("public_url")
            .or_insert((format!("http://{http_addr_text}"), Source::Default));

        let get = |key: &str| values.get(key).map(|(v, _)| v.clone());
        let fail = |key: &str, why: &str| {
            let (value, source) = &values[key];
            anyhow!("{source}: {key} = `{value}` {why}")
        };
        let http_addr = http_addr_text
            .parse()
            .map_err(|_| fail("http_addr", "is not an address such as 127.0.0.1:8080"))?;
        let public_url = get("public_url").unwrap_or_default().trim_end_matches('/').to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(fail("public_url", "must start with http:// or https://"));
        }
        let log_format = match get("log_format").as_deref() {
            Some("human") => LogFormat::Human,
            Some("json") => LogFormat::Json,
            _ => return Err(fail("log_format", "must be human or json")),
        };
        let two_person_rule = match get("two_person_rule").as_deref() {
            Some("true") => true,
            Some("false") => false,
            _ => return Err(fail("two_person_rule", "must be true or false")),
        };
        let missing_language = match get("missing_language").as_deref() {
            Some("hold") => MissingLanguage::Hold,
            Some("fallback") => MissingLanguage::Fallback,
            _ => return Err(fail("missing_language", "must be hold or fallback")),
        };
        let fallback_language = get("fallback_language")
            .unwrap_or_default()
            .parse()
            .map_err(|_| fail("fallback_language", "must be fi, sv or en"))?;
        let schedule_grace = parse_duration(&get("schedule_grace").unwrap_or_default())
            .ok_or_else(|| fail("schedule_grace", "is not a duration such as 1h, 30m, 90s or 3600"))?;
        let rate = |key: &'static str| {
            get(key)
                .unwrap_or_default()
                .parse::<u64>()
                .map_err(|_| fail(key, "must be a whole number (0: no limit)"))
        };
        let send_rate_per_second = rate("send_rate_per_second")?;
        let send_rate_per_hour = rate("send_rate_per_hour")?;
        let dispatch_lease = parse_duration(&get("dispatch_lease").unwrap_or_default())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| fail("dispatch_lease", "is not a positive duration such as 10m, 90s or 600"))?;
        let dispatch_batch = get("dispatch_batch")
            .unwrap_or_default()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or_else(|| fail("dispatch_batch", "must be a whole number from 1 to 10000"))?;
        let dispatch_concurrency = get("dispatch_concurrency")
            .unwrap_or_default()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1_000).contains(n))
            .ok_or_else(|| fail("dispatch_concurrency", "must be a whole number from 1 to 1000"))?;
        let retention_days = get("retention_days")
            .unwrap_or_default()
            .parse::<u32>()
            .ok()
            .filter(|days| (1..=36_500).contains(days))
            .ok_or_else(|| fail("retention_days", "must be a whole number of days from 1 to 36500"))?;
        let database_url = get("database_url").unwrap_or_default();
        if !["sqlite:", "postgres:", "postgresql:"]
            .iter()
            .any(|p| database_url.starts_with(p))
        {
            return Err(fail("database_url", "must start with sqlite: or postgres:"));
        }
        let secret = get("secret").filter(|s| !s.is_empty());
        if let Some(s) = &secret
            && s.len() < 32
        {
            let source = &values["secret"].1;
            bail!(
                "{source}: secret is too short ({} characters); use at least 32 random characters",
                s.len()
            );
        }
        Ok(Config {
            data_dir,
            content_dir: PathBuf::from(&values["content_dir"].0),
            locales_dir: PathBuf::from(&values["locales_dir"].0),
            database_url,
            http_addr,
            public_url,
            smtp_url: get("smtp_url").filter(|s| !s.is_empty()),
            from: get("from").unwrap_or_default(),
            mail_api_url: get("mail_api_url").filter(|s| !s.is_empty()),
            mail_api_token: get("mail_api_token").filter(|s| !s.is_empty()),
            dkim_key_file: get("dkim_key_file").filter(|s| !s.is_empty()).map(PathBuf::from),
            dkim_selector: get("dkim_selector").unwrap_or_default(),
            send_rate_per_second,
            send_rate_per_hour,
            dkim_domain: get("dkim_domain").filter(|s| !s.is_empty()),
            reply_domain: get("reply_domain").unwrap_or_default(),
            secret,
            imap_url: get("imap_url").filter(|s| !s.is_empty()),
            retention_days,
            log_format,
            log_level: get("log_level").unwrap_or_default(),
            two_person_rule,
            missing_language,
            fallback_language,
            schedule_grace,
            dispatch_lease,
            dispatch_batch,
            dispatch_concurrency,
            sources: values,
        })
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

    /// The effective settings, secrets masked, each with where it came from.
    pub fn describe(&self) -> Vec<(String, String, String)> {
        SETTINGS
            .iter()
            .map(|(key, secret, _)| match self.sources.get(key) {
                Some((value, source)) => {
                    let shown = if *key == "secret" || *key == "mail_api_token" {
                        "********".to_string()
                    } else if *secret {
                        mask_url(value)
                    } else {
                        value.clone()
                    };
                    (key.to_string(), shown, source.to_string())
                }
                None if *key == "secret" => (
                    key.to_string(),
                    "(generated)".to_string(),
                    format!("kept in {}", self.data_dir.join("secret").display()),
                ),
                None => (key.to_string(), "(unset)".to_string(), "default".to_string()),
            })
            .collect()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, value, _) in self.describe() {
            map.entry(&key, &value);
        }
        map.finish()
    }
}

/// `90s`, `30m`, `1h`, `2d`, or plain seconds.
fn parse_duration(text: &str) -> Option<std::time::Duration> {
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
    Some(std::time::Duration::from_secs(n.checked_mul(seconds)?))
}

fn setting(key: &str) -> Option<&'static str> {
    SETTINGS.iter().map(|(k, _, _)| *k).find(|k| *k == key)
}

fn known_keys() -> String {
    SETTINGS.iter().map(|(k, _, _)| *k).collect::<Vec<_>>().join(", ")
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
        let http = described.iter().find(|(k, _, _)| k == "http_addr").unwrap();
        assert_eq!(http.2, "environment BRIEFCAST_HTTP_ADDR");
    }

    #[test]
    fn every_setting_with_a_default_can_be_set() {
        for (key, _, _) in SETTINGS {
            let var = format!("BRIEFCAST_{}", key.to_ascii_uppercase());
            let value = match *key {
                "database_url" => "sqlite://x.db",
                "http_addr" => "127.0.0.1:9",
                "public_url" => "https://example.fi",
                "log_format" => "json",
                "two_person_rule" => "false",
                "missing_language" => "fallback",
                "fallback_language" => "sv",
                "secret" => "0123456789abcdef0123456789abcdef",
                "schedule_grace" => "30m",
                "retention_days" => "30",
                "send_rate_per_second" | "send_rate_per_hour" => "10",
                "dispatch_lease" => "30s",
                "dispatch_batch" | "dispatch_concurrency" => "4",
                _ => "x",
            };
            let c = Config::from_sources(None, env(&[(&var, value)]));
            assert!(c.is_ok(), "{var}: {:?}", c.err());
        }
        let described: Vec<String> = Config::from_sources(None, env(&[]))
            .unwrap()
            .describe()
            .into_iter()
            .map(|d| d.0)
            .collect();
        for key in ["content_dir", "locales_dir", "schedule_grace", "retention_days"] {
            assert!(
                described.iter().any(|k| k == key),
                "{key} missing from `briefcast config`"
            );
        }
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
}
