//! Email addresses.

/// `local@domain`: the local part a dot-atom or a quoted string, the domain a dot-atom of
/// host labels or a bracketed literal.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    let atext = |c: char| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let local_ok = if local.len() >= 2 && local.starts_with('"') && local.ends_with('"') {
        let inner = &local[1..local.len() - 1];
        let mut escaped = false;
        inner.chars().all(|c| {
            let ok = escaped || (c != '"' && c != '\n');
            escaped = !escaped && c == '\\';
            ok
        }) && !escaped
    } else {
        !local.is_empty()
            && local
                .split('.')
                .all(|a| !a.is_empty() && a.chars().all(atext))
    };
    let domain_ok = if let Some(lit) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        !lit.is_empty() && !lit.contains(['[', ']', '\\'])
    } else {
        !domain.is_empty()
            && domain.len() <= 255
            && domain.split('.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
    };
    local_ok && local.len() <= 64 && domain_ok
}

#[cfg(test)]
mod tests {
    #[test]
    fn addresses() {
        for ok in [
            "a@b",
            "first.last@example.com",
            "x+tag@sub.example.org",
            "\"a b\"@example.com",
            "user@[192.0.2.1]",
        ] {
            assert!(super::is_email(ok), "{ok}");
        }
        for bad in [
            "Platform team",
            "a@",
            "@b",
            "a..b@c",
            "Jane <jane@example.com>",
            "a@-b.com",
            "a@b..c",
            "a b@c",
        ] {
            assert!(!super::is_email(bad), "{bad}");
        }
    }
}
