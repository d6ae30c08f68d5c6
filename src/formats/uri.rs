//! URIs (RFC 3986) as label values of type `url`.

/// An absolute URI in the sense of RFC 3986: `scheme:rest`, with only URI characters and
/// well-formed percent escapes, and a host when there is an authority (`//host`).
pub fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut sc = scheme.chars();
    let scheme_ok = sc.next().is_some_and(|c| c.is_ascii_alphabetic())
        && sc.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() {
        return false;
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(|b| b.is_ascii_hexdigit());
            if !hex(i + 1) || !hex(i + 2) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c)) {
            return false;
        }
        i += 1;
    }
    if let Some(after) = rest.strip_prefix("//") {
        let authority = after.split(['/', '?', '#']).next().unwrap_or("");
        let host = authority.rsplit('@').next().unwrap_or("");
        if host.is_empty() || host.starts_with(':') {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris() {
        for ok in [
            "https://example.com",
            "http://a.b/c?d=e#f",
            "mailto:x@y.z",
            "urn:isbn:1",
        ] {
            assert!(super::is_uri(ok), "{ok}");
        }
        for bad in [
            "example.com",
            "/path",
            "https://",
            "http://exa mple.com",
            "1http://x",
            "h:%zz",
        ] {
            assert!(!super::is_uri(bad), "{bad}");
        }
    }
}
