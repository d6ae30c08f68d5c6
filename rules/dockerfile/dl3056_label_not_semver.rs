use super::labels::{LabelSchema, LabelType, check_label_type};
use crate::declare_rule;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};
use crate::settings::options_of;

declare_rule! {
    /// ## What it does
    /// Reports a label of type `semver` in the label schema whose value is not a Semantic
    /// Versioning 2.0.0 version: `MAJOR.MINOR.PATCH`, without leading zeros, optionally with
    /// a pre-release (`-rc.1`) and build metadata (`+build.5`). A leading `v` is not part of
    /// a version. Values that use a variable (`$VERSION`) are not checked; empty values are
    /// DL3051's.
    ///
    /// ## Why is this bad?
    /// Deployment tools compare `org.opencontainers.image.version` to decide what is newer;
    /// `1.2`, `v1.2.3` or `latest` do not compare as versions.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.version="v1.2"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.version="1.2.0"
    /// ```
    ///
    /// ## Options
    /// Reads the label schema of DL3049:
    /// ```toml
    /// [rules.DL3049]
    /// label-schema = { "org.opencontainers.image.version" = "semver" }
    /// ```
    pub static RULE = Rule {
        code: "DL3056",
        name: "label-not-semver",
        category: Category::Reliability,
        summary: "a label of type semver is not a semantic version",
        options: options_of::<LabelSchema>("DL3049"),
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    check_label_type(
        ctx,
        LabelType::Semver,
        is_semver,
        "a semantic version",
        "use MAJOR.MINOR.PATCH, such as `1.4.0` or `2.0.0-rc.1`",
    );
}

fn is_semver(s: &str) -> bool {
    let (rest, build) = match s.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (s, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let numeric = |p: &str| {
        !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()) && (p == "0" || !p.starts_with('0'))
    };
    let ident =
        |p: &str| !p.is_empty() && p.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-');
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| numeric(p))
        && pre.is_none_or(|p| {
            p.split('.')
                .all(|id| ident(id) && (!id.bytes().all(|c| c.is_ascii_digit()) || numeric(id)))
        })
        && build.is_none_or(|b| b.split('.').all(ident))
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions() {
        for ok in [
            "0.0.0",
            "1.2.3",
            "1.0.0-alpha.1",
            "1.0.0-0.3.7",
            "1.0.0+20130313144700",
            "1.0.0-beta+exp.sha.5114f85",
            "1.0.0-x-y-z.--",
        ] {
            assert!(super::is_semver(ok), "{ok}");
        }
        for bad in [
            "1.2",
            "v1.2.3",
            "01.2.3",
            "1.2.3-01",
            "1.2.3-",
            "1.2.3+",
            "1.2.3-a..b",
            "latest",
            "1.2.3.4",
        ] {
            assert!(!super::is_semver(bad), "{bad}");
        }
    }
}
