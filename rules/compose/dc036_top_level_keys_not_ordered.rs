use super::order::written_entries;
use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a top-level key written after one that comes later in dclint's
    /// `top-level-properties-order`: the `x-` extensions (sorted), `version`, `name`,
    /// `include`, `services`, `networks`, `volumes`, `secrets`, `configs`. Other keys
    /// (`models`) go last. Off by default.
    ///
    /// ## Why is this bad?
    /// Files that put their sections in one order read alike: the anchors that later keys use
    /// first, then the services, then what they share. It is a convention, so the rule is off
    /// unless asked for.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   data:
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     volumes: [data:/var/lib/postgresql/data]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     volumes: [data:/var/lib/postgresql/data]
    /// volumes:
    ///   data:
    /// ```
    pub static RULE = Rule {
        code: "DC036",
        name: "top-level-keys-not-ordered",
        category: Category::Style,
        summary: "the top-level keys are not in the conventional order",
        aliases: &["top-level-properties-order"],
        check: Check::Compose(check),
    };
}

/// The order after the `x-` keys.
const ORDER: &[&str] = &[
    "version", "name", "include", "services", "networks", "volumes", "secrets", "configs",
];

/// Where a key goes: `x-` keys first, by name; then [`ORDER`]; then the rest.
fn rank(key: &str) -> (usize, String) {
    if key.starts_with("x-") {
        return (0, key.to_ascii_lowercase());
    }
    let i = ORDER.iter().position(|k| *k == key).unwrap_or(ORDER.len());
    (i + 1, String::new())
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    for root in ctx.file.roots() {
        let mut prev: Option<(&str, (usize, String))> = None;
        for entry in written_entries(root) {
            let Some(key) = entry.key_str() else { continue };
            let r = rank(key);
            match &prev {
                Some((p, pr)) if r < *pr => {
                    ctx.report(
                        entry.key.span(),
                        format!("top-level key `{key}` should come before `{p}`"),
                    )
                    .help("order the top level: x- extensions, version, name, include, services, networks, volumes, secrets, configs");
                }
                _ => prev = Some((key, r)),
            }
        }
    }
}
