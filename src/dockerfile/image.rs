//! Image references (`FROM`, `COPY --from`, `RUN --mount=from=`), read with Docker's reference
//! grammar (github.com/distribution/reference) and Docker Hub's normalisation.
//!
//! ```text
//! reference  := name [ ":" tag ] [ "@" digest ]
//! name       := [ domain "/" ] path
//! domain     := the first component when it holds `.` or `:`, is `localhost`, or has an
//!               upper-case letter; otherwise the image is on Docker Hub (`docker.io`)
//! tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//! digest     := algorithm ":" hex
//! ```
//!
//! On Docker Hub an image without a namespace is an official image: `nginx` is
//! `docker.io/library/nginx`; `index.docker.io` is the same registry as `docker.io`.

use super::Word;
use crate::source::Span;
use std::ops::Range;

/// Docker Hub's canonical domain.
pub const DOCKER_HUB: &str = "docker.io";

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageRef {
    /// The reference after variable expansion, as the build would pull it.
    pub text: String,
    /// The registry as written (`ghcr.io`, `localhost:5000`); `None` for Docker Hub without
    /// an explicit domain.
    pub registry: Option<String>,
    /// The path as written, without the registry (`library/nginx`, `nginx`, `acme/app`).
    pub path: String,
    pub tag: Option<String>,
    /// `sha256:...`.
    pub digest: Option<String>,
    /// The reference depends on a variable whose value is unknown here (an `ARG` without a
    /// default): the parts above are what the defaults give, and may differ at build time.
    pub unresolved: bool,
    /// The text follows the reference grammar (lower-case path components, a valid tag).
    pub valid: bool,
    /// Where the whole reference is written.
    pub span: Span,
    /// The spans of the parts. When the reference came from variables, each is the span of
    /// the whole word: the bytes in the file are the variables, not the part.
    pub registry_span: Option<Span>,
    pub path_span: Span,
    pub tag_span: Option<Span>,
    pub digest_span: Option<Span>,
}

impl ImageRef {
    /// Parses `text` (already expanded). Spans are all `span`.
    pub fn parse(text: &str, span: Span) -> ImageRef {
        Self::parse_with(text, &|_| span)
    }

    /// Parses the expanded value of `word`. When the expansion changed nothing (no variables),
    /// the spans of the parts are exact; otherwise they are the whole word.
    pub fn from_word(word: &Word, expanded: &str, unresolved: bool) -> ImageRef {
        let literal = expanded == word.value;
        let whole = word.span;
        let mut r = Self::parse_with(expanded, &|range: Range<usize>| {
            if literal {
                word.sub_span(range.start, range.end)
            } else {
                whole
            }
        });
        r.span = whole;
        r.unresolved = unresolved;
        r
    }

    /// Parses `text`, each part's span given by `span_of` from its byte range in `text` (a
    /// compose `image:` value maps ranges into its scalar).
    pub fn parse_spanned(text: &str, span_of: &dyn Fn(Range<usize>) -> Span) -> ImageRef {
        Self::parse_with(text, span_of)
    }

    fn parse_with(text: &str, span_of: &dyn Fn(Range<usize>) -> Span) -> ImageRef {
        let (name_end, digest) = match text.find('@') {
            Some(at) => (at, Some(at + 1..text.len())),
            None => (text.len(), None),
        };
        let name = &text[..name_end];
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (path_end, tag) = match name[last_slash..].rfind(':') {
            Some(c) => (last_slash + c, Some(last_slash + c + 1..name_end)),
            None => (name_end, None),
        };
        let registry = name[..path_end].find('/').and_then(|slash| {
            let first = &name[..slash];
            let is_domain = first.contains(['.', ':'])
                || first == "localhost"
                || first.bytes().any(|b| b.is_ascii_uppercase());
            is_domain.then_some(0..slash)
        });
        let path = registry.as_ref().map_or(0, |r| r.end + 1)..path_end;
        let part = |r: &Range<usize>| text[r.clone()].to_string();
        let valid = !path.is_empty()
            && text[path.clone()].split('/').all(valid_component)
            && tag.as_ref().is_none_or(|t| valid_tag(&text[t.clone()]))
            && digest
                .as_ref()
                .is_none_or(|d| valid_digest(&text[d.clone()]));
        ImageRef {
            text: text.to_string(),
            registry: registry.as_ref().map(part),
            path: part(&path),
            tag: tag.as_ref().map(part),
            digest: digest.as_ref().map(part),
            unresolved: false,
            valid,
            span: span_of(0..text.len()),
            registry_span: registry.map(span_of),
            path_span: span_of(path),
            tag_span: tag.map(span_of),
            digest_span: digest.map(span_of),
        }
    }

    /// The registry the image is pulled from, lower-cased, with Docker Hub's aliases
    /// (`index.docker.io`, `registry-1.docker.io`) as `docker.io`.
    pub fn domain(&self) -> String {
        match &self.registry {
            None => DOCKER_HUB.to_string(),
            Some(r) => {
                let r = r.to_ascii_lowercase();
                if crate::knowledge::images::is_docker_hub_alias(&r) {
                    DOCKER_HUB.to_string()
                } else {
                    r
                }
            }
        }
    }

    /// True for images on Docker Hub.
    pub fn is_docker_hub(&self) -> bool {
        // `domain()` without its allocation: rules ask this of every image.
        match &self.registry {
            None => true,
            Some(r) => {
                r.eq_ignore_ascii_case(DOCKER_HUB)
                    || crate::knowledge::images::is_docker_hub_alias(r)
            }
        }
    }

    /// The repository with Docker Hub's `library/` namespace made explicit (`nginx` ->
    /// `library/nginx`), lower-cased.
    pub fn repository(&self) -> String {
        let path = self.path.to_ascii_lowercase();
        if !path.contains('/') && self.is_docker_hub() {
            format!("library/{path}")
        } else {
            path
        }
    }

    /// The fully qualified name without tag or digest: `docker.io/library/nginx`.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.domain(), self.repository())
    }

    /// The shortest name Docker accepts for the same repository: `nginx` for
    /// `docker.io/library/nginx`, `grafana/grafana` for `docker.io/grafana/grafana`.
    pub fn familiar_name(&self) -> String {
        if !self.is_docker_hub() {
            return format!("{}/{}", self.domain(), self.repository());
        }
        // On Docker Hub: the path lower-cased, without the `library/` namespace (what
        // `repository()` adds for a one-component path is taken off again).
        let path = self.path.to_ascii_lowercase();
        match path.strip_prefix("library/") {
            Some(rest) => rest.to_string(),
            None => path,
        }
    }

    /// The tag, lower-cased (`None` without a tag; Docker then pulls `latest`).
    pub fn tag_lower(&self) -> Option<String> {
        self.tag.as_deref().map(str::to_ascii_lowercase)
    }
}

fn valid_component(c: &str) -> bool {
    // [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*
    let b = c.as_bytes();
    if b.is_empty() || !is_alnum(b[0]) || !is_alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if is_alnum(b[i]) {
            i += 1;
            continue;
        }
        let sep_start = i;
        while i < b.len() && !is_alnum(b[i]) {
            i += 1;
        }
        let sep = &c[sep_start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-')) {
            return false;
        }
    }
    true
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter()
            .all(|&x| x.is_ascii_alphanumeric() || matches!(x, b'_' | b'.' | b'-'))
}

fn valid_digest(d: &str) -> bool {
    d.split_once(':').is_some_and(|(alg, hex)| {
        !alg.is_empty()
            && alg
                .bytes()
                .all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || b"+._-".contains(&x))
            && hex.len() >= 32
            && hex.bytes().all(|x| x.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ImageRef {
        ImageRef::parse(s, Span::default())
    }

    #[test]
    fn docker_hub_normalisation() {
        let r = p("nginx");
        assert_eq!(r.registry, None);
        assert_eq!(r.full_name(), "docker.io/library/nginx");
        assert_eq!(r.familiar_name(), "nginx");
        assert_eq!(p("library/nginx:1").familiar_name(), "nginx");
        assert_eq!(
            p("index.docker.io/grafana/grafana").full_name(),
            "docker.io/grafana/grafana"
        );
        assert_eq!(p("docker.io/nginx").repository(), "library/nginx");
    }

    #[test]
    fn docker_hub_names_in_any_case() {
        for (image, familiar) in [
            ("Docker.IO/library/Redis:7", "redis"),
            ("INDEX.docker.io/Grafana/grafana", "grafana/grafana"),
            ("registry-1.docker.io/library", "library"),
            ("Ghcr.io/Acme/App", "ghcr.io/acme/app"),
        ] {
            let r = p(image);
            assert_eq!(r.familiar_name(), familiar, "{image}");
            assert_eq!(r.is_docker_hub(), !familiar.contains('.'), "{image}");
            assert_eq!(r.is_docker_hub(), r.domain() == DOCKER_HUB, "{image}");
        }
    }

    #[test]
    fn domains_tags_digests() {
        let r = p("localhost:5000/a/b:1.2@sha256:0123456789abcdef0123456789abcdef");
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.path, "a/b");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(
            r.digest.as_deref(),
            Some("sha256:0123456789abcdef0123456789abcdef")
        );
        assert!(r.valid);
        let r = p("gcr.io/distroless/static:nonroot");
        assert_eq!(r.domain(), "gcr.io");
        assert_eq!(r.tag.as_deref(), Some("nonroot"));
        // A port is not a tag.
        assert_eq!(p("localhost:5000/x").tag, None);
        assert_eq!(p("localhost/x").registry.as_deref(), Some("localhost"));
        // An upper-case first component is a domain; the path must be lower-case.
        assert_eq!(p("GHCR.IO/acme/x").domain(), "ghcr.io");
        assert!(!p("acme/App").valid);
        assert!(!p("").valid);
        assert!(!p("alpine:").valid);
    }
}
