use super::labels::{LabelSchema, LabelType, check_label_type};
use crate::declare_rule;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};
use crate::settings::options_of;

declare_rule! {
    /// ## What it does
    /// Reports a label of type `url` in the label schema whose value is not an absolute URI
    /// (a scheme such as `https:` followed by valid URI characters). Values that use a
    /// variable (`$SOURCE_URL`) are only known at build time and are not checked; empty
    /// values are DL3051's.
    ///
    /// ## Why is this bad?
    /// Tools follow these labels: registries link to `org.opencontainers.image.source`,
    /// scanners to the documentation URL. A relative path or a bare host name is a broken
    /// link.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="github.com/acme/app"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="https://github.com/acme/app"
    /// ```
    ///
    /// ## Options
    /// Reads the label schema of DL3049:
    /// ```toml
    /// [rules.DL3049]
    /// label-schema = { "org.opencontainers.image.source" = "url" }
    /// ```
    pub static RULE = Rule {
        code: "DL3052",
        name: "label-not-url",
        category: Category::Reliability,
        summary: "a label of type url is not a valid URL",
        options: options_of::<LabelSchema>("DL3049"),
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    check_label_type(
        ctx,
        LabelType::Url,
        is_uri,
        "a valid URL",
        "use an absolute URL such as `https://example.com/...`",
    );
}

/// An absolute URI in the sense of RFC 3986: `scheme:rest`, with only URI characters and
/// well-formed percent escapes, and a host when there is an authority (`//host`).
fn is_uri(s: &str) -> bool {
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
