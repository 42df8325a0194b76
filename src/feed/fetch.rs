//! Reading a feed or an alert over HTTP: conditional requests, a timeout, a size cap and a
//! bounded number of redirects, each failure worded for the feed's status line.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};

/// What a server said about the version it sent, to ask next time whether it changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A document read, or the server's word that it has not changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    NotModified,
    Document { text: String, validators: Validators },
}

/// Redirects followed before a feed is reported as looping.
const REDIRECTS: usize = 5;

/// An HTTP client for feeds, with the limits every read obeys.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    timeout: Duration,
    max_bytes: usize,
}

impl Fetcher {
    pub fn new(timeout: Duration, max_bytes: usize) -> anyhow::Result<Fetcher> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::limited(REDIRECTS))
            .user_agent(concat!("briefcast/", env!("CARGO_PKG_VERSION"), " (feed reader)"))
            .build()?;
        Ok(Fetcher {
            client,
            timeout,
            max_bytes,
        })
    }

    /// The fetcher the configuration sets: its timeout, and the largest feed document read.
    pub fn from_config(config: &crate::config::Config) -> anyhow::Result<Fetcher> {
        Fetcher::new(config.feed_timeout, crate::brief::FEED_MAX_BYTES)
    }

    /// Reads `url`, asking with `known` whether it changed since. The error is a sentence for the
    /// feed's status line: what went wrong, never a stack of causes.
    pub async fn get(&self, url: &str, known: Option<&Validators>) -> Result<Fetched, String> {
        let mut request = self.client.get(url);
        if let Some(known) = known {
            if let Some(etag) = &known.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(since) = &known.last_modified {
                request = request.header(IF_MODIFIED_SINCE, since);
            }
        }
        let mut response = request.send().await.map_err(|e| self.worded(&e))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(format!("the server answered HTTP {status}"));
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let validators = Validators {
            etag: header(ETAG),
            last_modified: header(LAST_MODIFIED),
        };
        if response.content_length().is_some_and(|n| n > self.max_bytes as u64) {
            return Err(self.too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.worded(&e))? {
            if body.len() + chunk.len() > self.max_bytes {
                return Err(self.too_large());
            }
            body.extend_from_slice(&chunk);
        }
        let text = String::from_utf8(body).map_err(|e| {
            format!(
                "the document is not UTF-8 (invalid byte at {})",
                e.utf8_error().valid_up_to()
            )
        })?;
        Ok(Fetched::Document { text, validators })
    }

    fn too_large(&self) -> String {
        format!("the document is larger than {} bytes, the most read", self.max_bytes)
    }

    fn worded(&self, error: &reqwest::Error) -> String {
        if error.is_redirect() {
            format!("the address redirects in a loop or more than {REDIRECTS} times")
        } else if error.is_timeout() {
            format!("no answer within {} s", self.timeout.as_secs())
        } else if error.is_connect() {
            match std::error::Error::source(error) {
                Some(cause) => format!("could not connect: {cause}"),
                None => "could not connect".to_string(),
            }
        } else {
            match std::error::Error::source(error) {
                Some(cause) => format!("reading failed: {cause}"),
                None => "reading failed".to_string(),
            }
        }
    }
}
