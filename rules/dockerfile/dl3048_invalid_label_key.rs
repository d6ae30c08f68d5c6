use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `LABEL` key that does not follow Docker's key format, also in an
    /// `ONBUILD LABEL` trigger: a key starts with a lowercase letter, ends with a lowercase
    /// letter or a digit, contains only `a-z`, `0-9`, `.`, `-`, `_` and `/`, has no `..` or
    /// `--`, and does not use the namespaces Docker reserves (`com.docker.`, `io.docker.`,
    /// `org.dockerproject.`). A key given by a variable is not judged.
    ///
    /// ## Why is this bad?
    /// Tools that query labels (`docker ps --filter label=...`, registries, scanners) expect
    /// reverse-DNS keys such as `org.opencontainers.image.source`; a key like `Maintainer`
    /// or `version 2` will not be found where they look, and the reserved namespaces belong
    /// to Docker.
    ///
    /// hadolint also reports keys given by a variable.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL Maintainer="jane@example.com"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.authors="jane@example.com"
    /// ```
    pub static RULE = Rule {
        code: "DL3048",
        name: "invalid-label-key",
        category: Category::Style,
        summary: "a LABEL key does not follow Docker's key format",
        check: Check::Dockerfile(check),
    };
}

/// Why a key is invalid, or `None` when it is fine.
fn problem(key: &str) -> Option<&'static str> {
    let reserved = ["com.docker.", "io.docker.", "org.dockerproject."];
    if !key.starts_with(|c: char| c.is_ascii_lowercase()) {
        Some("does not start with a lowercase letter")
    } else if !key.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        Some("does not end with a lowercase letter or a digit")
    } else if !key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._/-".contains(&b)) {
        Some("has characters other than `a-z`, `0-9`, `.`, `-`, `_` and `/`")
    } else if key.contains("..") || key.contains("--") {
        Some("has `..` or `--`")
    } else if reserved.iter().any(|r| key.starts_with(r)) {
        Some("is in a namespace Docker reserves")
    } else {
        None
    }
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for ins in ctx.file.iter_with_onbuild() {
        let (Kind::Label, Body::Label(pairs)) = (ins.kind, &ins.body) else {
            continue;
        };
        for kv in pairs.iter().filter(|kv| !kv.key.value.contains('$')) {
            let key = kv.key.value.as_str();
            if let Some(why) = problem(key) {
                ctx.report(kv.key.span, format!("label key `{key}` {why}"))
                    .help("use a lowercase reverse-DNS key such as `org.opencontainers.image.title`");
            }
        }
    }
}
