//! Secrets kept out of logs, errors and `briefcast config`: URLs with their credentials masked.

/// A URL with its password replaced, fit for logs and error messages.
pub fn mask_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) => {
            let mut changed = false;
            if url.password().is_some() {
                let _ = url.set_password(Some("********"));
                changed = true;
            } else if !url.username().is_empty() && url.scheme().starts_with("http") {
                // An HTTP API's userinfo is its credential even without a password part.
                let _ = url.set_username("********");
                changed = true;
            }
            // Drivers also take passwords and keys in the query (`?password=`, `?sslpassword=`).
            let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
            if query.iter().any(|(k, _)| is_secret_parameter(k)) {
                let masked: Vec<(String, String)> = query
                    .into_iter()
                    .map(|(k, v)| {
                        let v = if is_secret_parameter(&k) {
                            "********".to_string()
                        } else {
                            v
                        };
                        (k, v)
                    })
                    .collect();
                url.query_pairs_mut().clear().extend_pairs(masked);
                changed = true;
            }
            if changed { url.to_string() } else { raw.to_string() }
        }
        // Not a URL we can parse: show only the scheme, in case the rest holds a secret.
        Err(_) => format!("{}://…", raw.split("://").next().unwrap_or("?")),
    }
}

/// Query parameters that carry a credential in a database, SMTP or API URL.
fn is_secret_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "password", "pass", "passwd", "secret", "token", "key", "apikey", "api_key",
    ]
    .iter()
    .any(|secret| name == *secret || name.ends_with(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_queries_and_api_userinfo_are_masked() {
        assert_eq!(
            mask_url("postgres://briefcast@db.example.fi/briefcast?password=hunter2&sslmode=require"),
            "postgres://briefcast@db.example.fi/briefcast?password=********&sslmode=require"
        );
        assert_eq!(
            mask_url("https://api:k3y@mail.example.fi/v1/send"),
            "https://api:********@mail.example.fi/v1/send"
        );
        assert_eq!(
            mask_url("https://k3y@mail.example.fi/v1/send"),
            "https://********@mail.example.fi/v1/send"
        );
        assert_eq!(mask_url("smtp://127.0.0.1:2525?pool=4"), "smtp://127.0.0.1:2525?pool=4");
    }
}
