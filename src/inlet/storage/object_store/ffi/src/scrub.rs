//! Keeping credentials out of error messages: every message the C ABI hands out
//! passes through a Scrubber.


/// Values that must never appear in an error message.
#[derive(Default, Clone)]
pub(crate) struct Scrubber {
    pub(crate) secrets: Vec<String>,
}

pub(crate) fn key_is_secret(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["secret", "key", "token", "sas", "password", "credential", "sig", "connection_string"]
        .iter()
        .any(|w| k.contains(w))
        // not secret: names of things
        && !k.ends_with("_key_id") && !k.contains("kms_key_id")
}

impl Scrubber {
    pub(crate) fn from_env_and(opts: &[(String, String)]) -> Self {
        let mut s = Scrubber::default();
        for (k, v) in std::env::vars() {
            if (k.starts_with("AWS_") || k.starts_with("AZURE_") || k.starts_with("GOOGLE_"))
                && key_is_secret(&k)
            {
                s.add(v);
            }
        }
        for (k, v) in opts {
            if key_is_secret(k) {
                s.add(v.clone());
            }
        }
        s
    }
    fn add(&mut self, v: String) {
        if v.contains(';') {
            // A connection string: its key and signature may be quoted on their own.
            for part in v.split(';') {
                if let Some((_, value)) = part.split_once('=') {
                    self.add(value.to_string());
                }
            }
        }
        // very short values would redact random text; they are not real secrets
        if v.len() >= 6 {
            self.secrets.push(v);
        }
    }
    pub(crate) fn scrub(&self, msg: &str) -> String {
        let mut out = redact_queries(msg);
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), "<redacted>");
            }
        }
        out
    }
}

/// Remove URL query strings (SAS tokens, pre-signed signatures) from a message:
/// inside every `scheme://...` token, everything from `?` up to the next
/// whitespace / quote / bracket is replaced.
pub(crate) fn redact_queries(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find("://") {
        // copy up to and including "://"
        out.push_str(&rest[..i + 3]);
        rest = &rest[i + 3..];
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')'))
            .unwrap_or(rest.len());
        let token = &rest[..end];
        match token.find('?') {
            Some(q) => {
                out.push_str(&token[..q]);
                out.push_str("?<redacted>");
            }
            None => out.push_str(token),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_query_and_secrets() {
        let s = Scrubber { secrets: vec!["supersecretvalue".into()] };
        let m = s.scrub("GET https://a.blob.core.windows.net/c/x?sv=1&sig=abc failed: supersecretvalue bad");
        assert!(!m.contains("sig=abc"), "{m}");
        assert!(!m.contains("supersecretvalue"), "{m}");
        assert!(m.contains("/c/x?<redacted> failed"), "{m}");
        let x = redact_queries("body: <?xml version=\"1.0\"?> url http://h/p?X-Amz-Signature=1 end");
        assert_eq!(x, "body: <?xml version=\"1.0\"?> url http://h/p?<redacted> end");
    }

    #[test]
    fn secret_keys() {
        assert!(key_is_secret("aws_secret_access_key"));
        assert!(key_is_secret("AZURE_STORAGE_ACCOUNT_KEY"));
        assert!(key_is_secret("azure_storage_sas_key"));
        assert!(key_is_secret("aws_session_token"));
        assert!(!key_is_secret("aws_access_key_id"));
        assert!(!key_is_secret("aws_region"));
    }
}
