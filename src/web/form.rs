//! Form bodies, URL-encoded or `multipart/form-data`, as a list of fields: what the reader's
//! page and the console post.

use axum::http::{HeaderMap, header};

/// The fields of a form body, URL-encoded or `multipart/form-data` (RFC 8058 allows both).
pub(super) fn fields(headers: &HeaderMap, body: &[u8]) -> Vec<(String, String)> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
        .map(|b| b.trim_matches('"'));
    match boundary {
        Some(boundary) if content_type.to_ascii_lowercase().starts_with("multipart/form-data") => {
            multipart_fields(&String::from_utf8_lossy(body), boundary)
        }
        _ => url::form_urlencoded::parse(body).into_owned().collect(),
    }
}

/// Text fields of a multipart/form-data body (RFC 7578): each part's name and value.
fn multipart_fields(body: &str, boundary: &str) -> Vec<(String, String)> {
    let delimiter = format!("--{boundary}");
    body.split(delimiter.as_str())
        .filter_map(|part| {
            let (head, value) = part.split_once("\r\n\r\n").or_else(|| part.split_once("\n\n"))?;
            let name = head
                .split(';')
                .map(str::trim)
                .find_map(|p| p.strip_prefix("name="))?
                .lines()
                .next()?
                .trim_matches('"');
            Some((name.to_string(), value.trim_end_matches(['\r', '\n']).to_string()))
        })
        .collect()
}

/// The first value of a field, if the form has it.
pub(super) fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Every value of a field a form repeats (checkboxes of one name), in order.
pub(super) fn values<'a>(fields: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    fields.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
}
