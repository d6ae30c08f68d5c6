//! `wharf.toml` / `.wharf.toml`: the serde types (which also generate `wharf.schema.json`) and
//! their validation into a [`Layer`].

use super::error::{ConfigError, closest};
use super::{Layer, Pattern, ShellcheckSettings, options, resolve_selector, resolve_selector_sc};
use crate::diagnostic::Severity;
use crate::registry;
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// wharf's configuration file: `wharf.toml` or `.wharf.toml`, found in the nearest ancestor
/// directory of each linted file.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "wharf configuration")]
pub struct WharfToml {
    /// The rules to run, replacing the default set: codes (`DL3008`), names
    /// (`apt-get-unpinned`), code prefixes (`DL30`), categories (`security`) or `ALL`.
    #[schemars(with = "Option<Vec<String>>")]
    pub select: Option<Vec<Spanned<String>>>,
    /// Rules to add to the selected set (same forms as `select`).
    #[schemars(with = "Option<Vec<String>>")]
    pub extend_select: Option<Vec<Spanned<String>>>,
    /// Rules to leave out (same forms as `select`).
    #[schemars(with = "Option<Vec<String>>")]
    pub ignore: Option<Vec<Spanned<String>>>,
    /// The severity of rules, by code, name, prefix or category.
    #[schemars(with = "Option<BTreeMap<String, SeverityName>>")]
    pub severity: Option<BTreeMap<Spanned<String>, SeverityName>>,
    /// Exit with code 1 when a finding is at least this severe (default: `info`).
    pub failure_threshold: Option<SeverityName>,
    /// Globs of files and directories not to lint, relative to this file's directory. A
    /// pattern without `/` matches a file or directory name at any depth.
    #[schemars(with = "Option<Vec<String>>")]
    pub exclude: Option<Vec<Spanned<String>>>,
    /// Glob -> rules to ignore in the files it matches (same glob rules as `exclude`).
    #[schemars(with = "Option<BTreeMap<String, Vec<String>>>")]
    pub per_file_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    /// Do not honour hadolint's suppression comments (`# hadolint ignore=...`), as hadolint's
    /// option of the same name. wharf's own and BuildKit's comments keep working.
    pub disable_ignore_pragma: Option<bool>,
    /// Always exit with code 0 when the files could be linted, whatever the findings.
    pub no_fail: Option<bool>,
    /// Apply the safe fixes when checking, as `wharf check --fix` does (`--no-fix` turns it
    /// off for one run).
    pub fix: Option<bool>,
    /// When fixing (`fix`, `--fix` or `--diff`), apply the unsafe fixes too, as
    /// `--unsafe-fixes` does.
    pub unsafe_fixes: Option<bool>,
    /// Files larger than this are not linted (each is reported as an error): a number of
    /// bytes or a string such as `"20MiB"` (default: 10 MiB).
    #[schemars(with = "Option<SizeToml>")]
    pub max_file_size: Option<Spanned<SizeToml>>,
    /// Options of configurable rules, by rule code or name.
    pub rules: Option<RulesTable>,
    /// Run ShellCheck on the shell of RUN instructions and heredoc scripts (SC codes; needs
    /// the `shellcheck` program): `true`, `false`, or a table. Off by default.
    pub shellcheck: Option<ShellcheckToml>,
}

/// A size: bytes, or a string with a binary unit (`"512KiB"`, `"20MiB"`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum SizeToml {
    Bytes(u64),
    Text(String),
}

/// A severity level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    Error,
    Warning,
    Info,
    Style,
}

impl From<SeverityName> for Severity {
    fn from(s: SeverityName) -> Severity {
        match s {
            SeverityName::Error => Severity::Error,
            SeverityName::Warning => Severity::Warning,
            SeverityName::Info => Severity::Info,
            SeverityName::Style => Severity::Style,
        }
    }
}

/// `[rules.<CODE>]` tables: the options of one rule each. Only its schema is generated from
/// here; the tables are read raw (with spans) and each is checked by its rule's declaration.
#[derive(Debug, Default)]
pub struct RulesTable;

impl<'de> Deserialize<'de> for RulesTable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de::IgnoredAny::deserialize(d).map(|_| RulesTable)
    }
}

impl JsonSchema for RulesTable {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RulesTable".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut props = serde_json::Map::new();
        for rule in registry::all() {
            let Some(decl) = rule.options.as_ref().filter(|d| d.table.is_none()) else {
                continue;
            };
            let schema = decl.schema(g);
            for key in [rule.code, rule.name] {
                props.insert(key.to_string(), schema.clone().into());
            }
        }
        schemars::json_schema!({
            "description": "Options of configurable rules, keyed by rule code or name.",
            "type": "object",
            "properties": props,
            "additionalProperties": false,
        })
    }
}

/// `shellcheck = true | false` or a table.
#[derive(Debug, Clone, PartialEq, Eq, JsonSchema)]
#[schemars(untagged)]
pub enum ShellcheckToml {
    Enabled(bool),
    Table(ShellcheckTable),
}

/// ShellCheck settings in table form.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ShellcheckTable {
    /// Run ShellCheck (default: true once the table is given).
    pub enabled: Option<bool>,
    /// ShellCheck codes to leave out (`SC2086`).
    #[schemars(with = "Option<Vec<String>>")]
    pub exclude: Option<Vec<Spanned<String>>>,
}

impl<'de> Deserialize<'de> for ShellcheckToml {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ShellcheckToml;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean or a table")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(ShellcheckToml::Enabled(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                ShellcheckTable::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(ShellcheckToml::Table)
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads a wharf.toml text into a layer. `base` is the directory globs are relative to.
pub(crate) fn load(
    path: &Path,
    text: &str,
    base: &Path,
    warnings: &mut Vec<String>,
) -> Result<Layer, ConfigError> {
    let mut doc = DeTable::parse(text).map_err(|e| toml_error(path, text, &e))?;
    // The rule tables are taken out raw and checked by their rules; the rest is typed.
    let rules = doc.get_mut().remove("rules");
    let file: WharfToml = WharfToml::deserialize(toml::de::Deserializer::from(doc))
        .map_err(|e| toml_error(path, text, &e))?;
    let mut layer = to_layer(path, text, base, file, warnings)?;
    if let Some(rules) = rules {
        rule_tables(path, text, rules, &mut layer)?;
    }
    Ok(layer)
}

/// The `[rules.CODE]` tables, each checked by its rule's options declaration.
fn rule_tables(
    path: &Path,
    text: &str,
    rules: Spanned<DeValue<'_>>,
    layer: &mut Layer,
) -> Result<(), ConfigError> {
    let err =
        |span: std::ops::Range<usize>, msg: String| ConfigError::at(path, text, span.start, msg);
    let DeValue::Table(table) = rules.get_ref() else {
        return Err(err(
            rules.span(),
            "`rules` must be a table of rule options".into(),
        ));
    };
    for (key, value) in table.iter() {
        let Some(rule) = registry::find(key.get_ref()) else {
            return Err(err(key.span(), format!("unknown rule `{}`", key.get_ref()))
                .with_help(registry::suggest(key.get_ref())));
        };
        if layer.rule_options.contains_key(rule.code) {
            return Err(err(
                key.span(),
                format!("options of {} are given twice", rule.code),
            ));
        }
        if !value.get_ref().is_table() {
            return Err(err(
                value.span(),
                format!("[rules.{}] must be a table of options", key.get_ref()),
            ));
        }
        let checked = options::check_table(rule, value.clone())
            .map_err(|e| err(e.span, e.message).with_help(e.help))?;
        layer.rule_options.insert(rule.code, checked);
    }
    Ok(())
}

/// A toml/serde error, with serde's wording turned into ours and a did-you-mean.
fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
    let offset = e.span().map_or(0, |s| s.start);
    let raw = e.message().trim_end_matches('.');
    let (message, help) = reword_serde_message(raw);
    ConfigError::at(path, text, offset, message).with_help(help)
}

/// "unknown field `x`, expected one of `a`, `b`" -> ("unknown key `x`", closest of a, b).
pub(crate) fn reword_serde_message(raw: &str) -> (String, Option<String>) {
    for (prefix, noun) in [("unknown field `", "key"), ("unknown variant `", "value")] {
        let Some(rest) = raw.strip_prefix(prefix) else {
            continue;
        };
        let Some((word, tail)) = rest.split_once('`') else {
            continue;
        };
        let candidates: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
        let help = closest(word, candidates.iter().copied()).map(str::to_string);
        let mut message = format!("unknown {noun} `{word}`");
        if help.is_none() && !candidates.is_empty() {
            message.push_str(&format!(", expected one of: {}", candidates.join(", ")));
        }
        return (message, help);
    }
    if raw == "wanted string or table" {
        // toml's wording for a value that should have been one of a fixed set of strings.
        return ("invalid type: expected a string".to_string(), None);
    }
    (raw.to_string(), None)
}

fn to_layer(
    path: &Path,
    text: &str,
    base: &Path,
    file: WharfToml,
    warnings: &mut Vec<String>,
) -> Result<Layer, ConfigError> {
    let err =
        |span: std::ops::Range<usize>, msg: String| ConfigError::at(path, text, span.start, msg);
    // Selectors, resolved: ShellCheck codes go into `sc`, a hadolint code wharf lacks becomes
    // a note.
    let selectors = |list: &Option<Vec<Spanned<String>>>,
                     sc: &mut Vec<u16>,
                     warnings: &mut Vec<String>|
     -> Result<_, ConfigError> {
        let mut out = Vec::new();
        for s in list.iter().flatten() {
            let at = ConfigError::at(path, text, s.span().start, String::new());
            let where_ = format!("{}:{}:{}", path.display(), at.line, at.column);
            out.extend(
                resolve_selector_sc(s.get_ref(), &where_, warnings, sc)
                    .map_err(|(m, h)| err(s.span(), m).with_help(h))?,
            );
        }
        Ok(out)
    };
    let mut sc = super::ShellcheckCodes::default();
    let mut sc_select = Vec::new();
    let select = match &file.select {
        Some(_) => Some(selectors(&file.select, &mut sc_select, warnings)?),
        None => None,
    };
    sc.select = (!sc_select.is_empty()).then_some(sc_select);
    let extend_select = selectors(&file.extend_select, &mut sc.extend_select, warnings)?;
    let ignore = selectors(&file.ignore, &mut sc.ignore, warnings)?;
    for (key, sev) in file.severity.iter().flatten() {
        if registry::find(key.get_ref()).is_none()
            && let Some(n) = crate::shellcheck::code_number(key.get_ref())
        {
            sc.severity.push((n, Severity::from(*sev)));
        }
    }
    // One selector where ShellCheck codes cannot be named (per-file ignores): a note.
    let mut selector =
        |s: &Spanned<String>| -> Result<Vec<&'static crate::rule::Rule>, ConfigError> {
            let at = ConfigError::at(path, text, s.span().start, String::new());
            let where_ = format!("{}:{}:{}", path.display(), at.line, at.column);
            resolve_selector(s.get_ref(), &where_, warnings)
                .map_err(|(m, h)| err(s.span(), m).with_help(h))
        };
    let mut layer = Layer {
        select,
        extend_select,
        ignore,
        sc,
        failure_threshold: file.failure_threshold.map(Severity::from),
        disable_ignore_pragma: file.disable_ignore_pragma,
        no_fail: file.no_fail,
        fix: file.fix,
        unsafe_fixes: file.unsafe_fixes,
        ..Layer::default()
    };
    let max_file_size = match &file.max_file_size {
        Some(size) => Some(
            match size.get_ref() {
                SizeToml::Bytes(n) => crate::source::parse_size(&n.to_string()),
                SizeToml::Text(t) => crate::source::parse_size(t),
            }
            .map_err(|m| err(size.span(), m))?,
        ),
        None => None,
    };
    layer.max_file_size = max_file_size;
    for (key, sev) in file.severity.iter().flatten() {
        if registry::find(key.get_ref()).is_none()
            && crate::shellcheck::code_number(key.get_ref()).is_some()
        {
            continue;
        }
        let rules = selector(key)?;
        layer
            .severity
            .extend(rules.into_iter().map(|r| (r.code, Severity::from(*sev))));
    }
    for pat in file.exclude.iter().flatten() {
        layer
            .exclude
            .push(Pattern::new(pat.get_ref(), base).map_err(|m| err(pat.span(), m))?);
    }
    for (pat, codes) in file.per_file_ignores.iter().flatten() {
        let pattern = Pattern::new(pat.get_ref(), base).map_err(|m| err(pat.span(), m))?;
        let mut rules = Vec::new();
        for c in codes {
            rules.extend(selector(c)?);
        }
        layer.per_file_ignores.push((pattern, rules));
    }
    if let Some(sc) = &file.shellcheck {
        layer.shellcheck = Some(match sc {
            ShellcheckToml::Enabled(b) => ShellcheckSettings {
                enabled: *b,
                exclude: Vec::new(),
            },
            ShellcheckToml::Table(t) => {
                let mut exclude = Vec::new();
                for c in t.exclude.iter().flatten() {
                    let code = c.get_ref();
                    if !is_shellcheck_code(code) {
                        return Err(err(
                            c.span(),
                            format!("`{code}` is not a ShellCheck code (SC1000-SC9999)"),
                        ));
                    }
                    exclude.push(code.to_ascii_uppercase());
                }
                ShellcheckSettings {
                    enabled: t.enabled.unwrap_or(true),
                    exclude,
                }
            }
        });
    }
    Ok(layer)
}

/// `SC` followed by four digits, in any case.
pub(crate) fn is_shellcheck_code(s: &str) -> bool {
    s.len() == 6
        && s.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("SC"))
        && s[2..].chars().all(|c| c.is_ascii_digit())
}
