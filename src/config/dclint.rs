//! dclint's configuration, for migration: `.dclintrc` (JSON or YAML), mapped onto a [`Layer`].
//!
//! `rules: { <name>: <level> }` where the level is `0`/`"off"` (ignore the rule), `1`/`"warn"`
//! (warning) or `2`/`"error"` (error), optionally as `[level, { options }]`. Names go through
//! the registry, where dclint rule names are aliases of wharf's compose rules. Where dclint's
//! rule is a wider form of the wharf rule (`no-unbound-port-interfaces` judges every port,
//! DC015 only those of data services), turning it on sets the option that gives that form.

use super::error::{ConfigError, closest};
use super::options::{self, raw};
use super::yaml::{self, Node, error_at};
use super::{Layer, Pattern};
use crate::diagnostic::Severity;
use crate::registry;
use std::path::Path;

const KEYS: &[&str] = &["rules", "exclude", "quiet", "debug"];

/// dclint rules that are a wider form of the wharf rule they alias, and the boolean option of
/// that rule which gives dclint's form: a `.dclintrc` that turns the rule on asks for it.
const DCLINT_FORMS: &[(&str, &str)] = &[
    ("no-unbound-port-interfaces", "all-ports"),
    ("require-quotes-in-ports", "all-unquoted"),
];

/// Sets the option that gives dclint's form of `rule`, when `name` has one.
fn set_dclint_form(layer: &mut Layer, rule: &'static crate::rule::Rule, name: &str) {
    let Some(&(_, key)) = DCLINT_FORMS.iter().find(|(n, _)| *n == name) else {
        return;
    };
    let table = raw::table([(key, 0..0, raw::boolean(true, 0..0))], 0..0);
    // The key is the rule's own, so the check cannot fail; a failure leaves the default.
    if let Ok(checked) = options::check_table(rule, table) {
        options::merge(layer.rule_options.entry(rule.code).or_default(), &checked);
    }
}

/// `None` means off.
fn level(node: &Node) -> Option<Option<Severity>> {
    match node.as_str()?.to_ascii_lowercase().as_str() {
        "0" | "off" => Some(None),
        "1" | "warn" | "warning" => Some(Some(Severity::Warning)),
        "2" | "error" => Some(Some(Severity::Error)),
        _ => None,
    }
}

pub(crate) fn load(
    path: &Path,
    text: &str,
    base: &Path,
    warnings: &mut Vec<String>,
) -> Result<Layer, ConfigError> {
    let root = yaml::parse(path, text)?;
    let mut layer = Layer::default();
    for (key, key_at, value) in yaml::top_level(path, &root)? {
        match key {
            "rules" => {
                let Some(entries) = yaml::optional_mapping(path, "rules", value)? else {
                    continue;
                };
                for (name, name_at, setting) in entries {
                    let (lvl_node, options) = match setting {
                        Node::Seq { items, .. } if !items.is_empty() && items.len() <= 2 => {
                            (&items[0], items.get(1))
                        }
                        other => (other, None),
                    };
                    let Some(lvl) = level(lvl_node) else {
                        return Err(error_at(
                            path,
                            lvl_node.at(),
                            format!(
                                "invalid level {} for `{name}`: expected 0, 1, 2, \"off\", \"warn\" or \"error\"",
                                yaml::describe(lvl_node)
                            ),
                        ));
                    };
                    let Some(rule) = registry::find(name) else {
                        warnings.push(format!(
                            "{}:{}:{}: wharf has no rule for dclint's `{name}`; skipped",
                            path.display(),
                            name_at.line,
                            name_at.column
                        ));
                        continue;
                    };
                    if let Some(opts) = options
                        && !matches!(opts, Node::Map { entries, .. } if entries.is_empty())
                    {
                        warnings.push(format!(
                            "{}:{}:{}: options of dclint's `{name}` are not supported; the level is used",
                            path.display(),
                            opts.at().line,
                            opts.at().column
                        ));
                    }
                    match lvl {
                        None => layer.ignore.push(rule),
                        Some(sev) => {
                            layer.extend_select.push(rule);
                            layer.severity.push((rule.code, sev));
                            set_dclint_form(&mut layer, rule, name);
                        }
                    }
                }
            }
            "exclude" => {
                for (pat, at) in yaml::string_list(path, key, value)? {
                    layer
                        .exclude
                        .push(Pattern::new(pat, base).map_err(|m| error_at(path, at, m))?);
                }
            }
            "quiet" | "debug" => {
                yaml::boolean(path, key, value)?;
            }
            other => {
                return Err(error_at(path, key_at, format!("unknown key `{other}`"))
                    .with_help(closest(other, KEYS.iter().copied())));
            }
        }
    }
    Ok(layer)
}
