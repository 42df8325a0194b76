//! A post's address: recognised in a reply's text or typed into the reader's form, checked to be
//! an https link to a platform we know, and written one way, so one post counts once however
//! its link was copied (`www.`, `m.`, tracking parameters, a trailing slash).

use std::fmt;

use serde::Serialize;

/// Where influencers post: the roster's name, the platform's own (the same in every language),
/// and the hosts its links use.
const PLATFORMS: &[(&str, &str, &[&str])] = &[
    ("instagram", "Instagram", &["instagram.com"]),
    ("tiktok", "TikTok", &["tiktok.com", "vm.tiktok.com", "vt.tiktok.com"]),
    ("youtube", "YouTube", &["youtube.com", "youtu.be"]),
    ("x", "X", &["x.com", "twitter.com"]),
    ("facebook", "Facebook", &["facebook.com", "fb.watch"]),
    ("linkedin", "LinkedIn", &["linkedin.com"]),
    ("threads", "Threads", &["threads.net", "threads.com"]),
    ("bluesky", "Bluesky", &["bsky.app"]),
];

/// The platforms a post may be on, as the roster names them.
pub fn platforms() -> impl Iterator<Item = &'static str> {
    PLATFORMS.iter().map(|(code, _, _)| *code)
}

/// A platform's own name, for people: `TikTok` for `tiktok`; an unknown code as it is.
pub fn platform_name(code: &str) -> &str {
    PLATFORMS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or(code, |(_, name, _)| *name)
}

/// A link to a post on a known platform, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostUrl {
    pub platform: &'static str,
    pub url: String,
}

impl fmt::Display for PostUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

/// Why a link is not a post we can count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PostUrlError {
    #[error("this is not a web address")]
    NotAnAddress,
    #[error("the address must start with https://")]
    NotHttps,
    #[error("this is not an address on Instagram, TikTok, YouTube, X, Facebook, LinkedIn, Threads or Bluesky")]
    UnknownPlatform,
    #[error("the address names the platform, not a post on it")]
    NoPost,
}

impl PostUrlError {
    /// The Fluent message that says this to a reader.
    pub fn message_id(self) -> &'static str {
        match self {
            PostUrlError::NotAnAddress => "post-error-address",
            PostUrlError::NotHttps => "post-error-https",
            PostUrlError::UnknownPlatform => "post-error-platform",
            PostUrlError::NoPost => "post-error-post",
        }
    }
}

impl PostUrl {
    pub fn parse(text: &str) -> Result<PostUrl, PostUrlError> {
        let url = url::Url::parse(text.trim()).map_err(|_| PostUrlError::NotAnAddress)?;
        let host = url.host_str().ok_or(PostUrlError::NotAnAddress)?.to_ascii_lowercase();
        let bare = host
            .strip_prefix("www.")
            .or_else(|| host.strip_prefix("m."))
            .or_else(|| host.strip_prefix("mobile."))
            .unwrap_or(&host);
        let platform = PLATFORMS
            .iter()
            .find(|(_, _, hosts)| hosts.contains(&bare))
            .map(|(code, _, _)| *code)
            .ok_or(match url.scheme() {
                "http" | "https" => PostUrlError::UnknownPlatform,
                _ => PostUrlError::NotAnAddress,
            })?;
        if url.scheme() != "https" {
            return Err(PostUrlError::NotHttps);
        }
        let path = url.path().trim_end_matches('/');
        // YouTube's watch links name the video in the query; everything else's query is tracking.
        let video = (path == "/watch")
            .then(|| url.query_pairs().find(|(k, _)| k == "v").map(|(_, v)| v.into_owned()))
            .flatten();
        if path.is_empty() || (path == "/watch" && video.is_none()) {
            return Err(PostUrlError::NoPost);
        }
        // A short link names the same video as its watch page.
        let (bare, path, video) = match bare {
            "youtu.be" => ("youtube.com", "/watch", Some(path.trim_start_matches('/').to_string())),
            _ => (bare, path, video),
        };
        let mut out = format!("https://{bare}{path}");
        if let Some(video) = video {
            out.push_str("?v=");
            out.push_str(&video);
        }
        Ok(PostUrl { platform, url: out })
    }

    /// The posts linked in a text, each once, in the order they appear. Links to other sites, and
    /// plain-http links, are not posts.
    pub fn find_all(text: &str) -> Vec<PostUrl> {
        let mut found: Vec<PostUrl> = Vec::new();
        for word in text.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '(' | ')' | '[' | ']')) {
            let Some(start) = word.find("https://") else {
                continue;
            };
            let link = word
                .get(start..)
                .unwrap_or_default()
                .trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
            if let Ok(post) = PostUrl::parse(link)
                && !found.contains(&post)
            {
                found.push(post);
            }
        }
        found
    }
}

/// The text of a reply without its links: whether anything is asked besides reporting posts.
pub fn asks_something(text: &str) -> bool {
    text.split_whitespace()
        .filter(|w| !w.contains("://"))
        .any(|w| w.contains('?'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_written_one_way_whatever_the_copy() {
        let a = PostUrl::parse("https://www.instagram.com/p/C0ffee123/?igsh=abc").unwrap();
        let b = PostUrl::parse("https://instagram.com/p/C0ffee123").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.platform, "instagram");
        let yt = PostUrl::parse("https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=30").unwrap();
        assert_eq!(yt.url, "https://youtube.com/watch?v=dQw4w9WgXcQ");
        assert_eq!(PostUrl::parse("https://youtu.be/dQw4w9WgXcQ?si=x").unwrap(), yt);
        assert_eq!(
            PostUrl::parse("https://vm.tiktok.com/ZMabc/").unwrap().platform,
            "tiktok"
        );
        assert_eq!(
            PostUrl::parse("https://bsky.app/profile/a.bsky.social/post/3k")
                .unwrap()
                .platform,
            "bluesky"
        );
    }

    #[test]
    fn other_sites_plain_http_and_bare_platforms_are_refused() {
        assert_eq!(
            PostUrl::parse("https://example.com/post/1"),
            Err(PostUrlError::UnknownPlatform)
        );
        assert_eq!(PostUrl::parse("http://instagram.com/p/1"), Err(PostUrlError::NotHttps));
        assert_eq!(PostUrl::parse("https://www.tiktok.com/"), Err(PostUrlError::NoPost));
        assert_eq!(PostUrl::parse("https://youtube.com/watch"), Err(PostUrlError::NoPost));
        assert_eq!(PostUrl::parse("instagram"), Err(PostUrlError::NotAnAddress));
        assert_eq!(PostUrl::parse("javascript:alert(1)"), Err(PostUrlError::NotAnAddress));
    }

    #[test]
    fn posts_are_found_in_a_reply_once_each() {
        let text = "Julkaisin tämän: https://www.tiktok.com/@aino/video/7312345678901234567. \
                    Ja myös (https://instagram.com/p/C0ffee123/) sekä https://tiktok.com/@aino/video/7312345678901234567 \
                    ja https://72tuntia.fi/lista";
        let found = PostUrl::find_all(text);
        assert_eq!(
            found.iter().map(|p| p.url.as_str()).collect::<Vec<_>>(),
            [
                "https://tiktok.com/@aino/video/7312345678901234567",
                "https://instagram.com/p/C0ffee123"
            ]
        );
        assert!(!asks_something(text));
        assert!(asks_something(
            "Here it is: https://x.com/a/status/1?s=20 Can I post it again next week?"
        ));
    }
}
