//! `[rules.CODE]` tables: checked against the rule's declared options when a configuration is
//! read (so errors point at the key or value), kept as plain TOML values, merged across layers
//! (file, environment) and parsed once per resolved configuration into [`RuleSettings`].
//!
//! Every source maps onto the same tables: `wharf.toml` hands its tables over as written;
//! `.hadolint.yaml` and the `HADOLINT_*` variables build tables with spans into their own
//! text, so that the rule's own validation reports positions there too.

use super::error::closest;
use crate::registry;
use crate::rule::Rule;
use crate::settings::{OptionsDecl, RuleSettings};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

/// Tables by the code of the rule that owns them; later layers are merged over earlier ones.
pub(crate) type OptionTables = BTreeMap<&'static str, toml::Table>;

/// A problem with an options table: message, help, and where (a span of the source text).
pub(crate) struct OptionsError {
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

/// The rule that owns options under each key, for "it belongs under" messages.
fn owner_of(key: &str) -> Option<&'static Rule> {
    registry::all().iter().copied().find(|r| {
        r.options
            .as_ref()
            .is_some_and(|d| d.table.is_none() && d.keys().iter().any(|k| k == key))
    })
}

/// The declaration whose table is `rule`'s own, if any.
fn own_options(rule: &Rule) -> Option<&OptionsDecl> {
    rule.options.as_ref().filter(|d| d.table.is_none())
}

/// Checks `rule`'s table and returns it as a plain value. `raw` spans index the source text.
pub(crate) fn check_table(
    rule: &'static Rule,
    raw: Spanned<DeValue<'_>>,
) -> Result<toml::Table, OptionsError> {
    let own = own_options(rule);
    let accepted = own.map(|d| d.keys()).unwrap_or_default();
    if let DeValue::Table(t) = raw.get_ref() {
        for (k, v) in t.iter() {
            let key: &str = k.get_ref();
            if accepted.iter().any(|a| a == key) {
                continue;
            }
            if let Some(owner) = owner_of(key) {
                return Err(OptionsError {
                    span: v.span(),
                    message: format!(
                        "{} has no option `{key}`; it belongs under [rules.{}]",
                        rule.code, owner.code
                    ),
                    help: None,
                });
            }
            if own.is_none() {
                let all: Vec<String> = registry::all()
                    .iter()
                    .filter_map(|r| own_options(r))
                    .flat_map(|d| d.keys())
                    .collect();
                return Err(OptionsError {
                    span: k.span(),
                    message: format!("{} has no option `{key}`", rule.code),
                    help: closest(key, all.iter().map(String::as_str)).map(str::to_string),
                });
            }
        }
    }
    if let Some(decl) = own {
        decl.parse(raw.clone()).map_err(|e| {
            let (message, help) =
                super::wharf_toml::reword_serde_message(e.message().trim_end_matches('.'));
            OptionsError {
                span: e.span().unwrap_or_else(|| raw.span()),
                message,
                help,
            }
        })?;
    }
    let value: toml::Value = serde::Deserialize::deserialize(toml::de::ValueDeserializer::from(
        raw.clone(),
    ))
    .map_err(|e| OptionsError {
        span: e.span().unwrap_or_else(|| raw.span()),
        message: e.message().to_string(),
        help: None,
    })?;
    Ok(match value {
        toml::Value::Table(t) => t,
        _ => toml::Table::new(),
    })
}

/// Merges `over` into `base`: tables key by key, lists appended (without repeating an equal
/// item), single values replaced. This is how the environment adds to a file's options.
pub(crate) fn merge(base: &mut toml::Table, over: &toml::Table) {
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (Some(toml::Value::Array(b)), toml::Value::Array(o)) => {
                for item in o {
                    if !b.contains(item) {
                        b.push(item.clone());
                    }
                }
            }
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Parses every rule's options from the merged tables; rules without a table get defaults.
/// Each table was validated when it was read, so an error here comes from merging layers.
pub(crate) fn resolve(tables: &OptionTables) -> Result<RuleSettings, String> {
    let mut out = RuleSettings::default();
    for rule in registry::all() {
        let Some(decl) = own_options(rule) else {
            continue;
        };
        let Some(table) = tables.get(rule.code) else {
            continue;
        };
        let parsed = decl
            .parse_value(toml::Value::Table(table.clone()))
            .map_err(|e| format!("options of {}: {}", rule.code, e.message()))?;
        out.insert(decl, parsed);
    }
    Ok(out)
}

/// Builders of raw values with spans, for sources that are not TOML.
pub(crate) mod raw {
    use super::*;

    pub(crate) fn string(s: &str, span: Range<usize>) -> Spanned<DeValue<'_>> {
        Spanned::new(span, DeValue::String(Cow::Borrowed(s)))
    }

    pub(crate) fn boolean<'a>(b: bool, span: Range<usize>) -> Spanned<DeValue<'a>> {
        Spanned::new(span, DeValue::Boolean(b))
    }

    pub(crate) fn array<'a>(
        items: impl IntoIterator<Item = Spanned<DeValue<'a>>>,
        span: Range<usize>,
    ) -> Spanned<DeValue<'a>> {
        let mut a = DeArray::new();
        for i in items {
            a.push(i);
        }
        Spanned::new(span, DeValue::Array(a))
    }

    pub(crate) fn table<'a>(
        entries: impl IntoIterator<Item = (&'a str, Range<usize>, Spanned<DeValue<'a>>)>,
        span: Range<usize>,
    ) -> Spanned<DeValue<'a>> {
        let mut t = DeTable::new();
        for (k, at, v) in entries {
            t.insert(Spanned::new(at, Cow::Borrowed(k)), v);
        }
        Spanned::new(span, DeValue::Table(t))
    }
}
