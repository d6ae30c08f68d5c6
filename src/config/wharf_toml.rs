//! `wharf.toml` / `.wharf.toml`: the serde types (which also generate `wharf.schema.json`) and
//! their validation into a [`Layer`].

use super::error::{ConfigError, closest};
use super::{Layer, Pattern, ShellcheckSettings, resolve_selector};
use crate::diagnostic::Severity;
use crate::registry;
use crate::settings::LabelType;
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use toml::Spanned;

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
    /// Options of configurable rules, by rule code or name.
    pub rules: Option<RulesTable>,
    /// ShellCheck settings: `false` to turn it off, or a table. Accepted and kept; wharf does
    /// not run ShellCheck yet.
    pub shellcheck: Option<ShellcheckToml>,
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

/// `[rules.<CODE>]` tables: the options of one rule each.
#[derive(Debug, Default)]
pub struct RulesTable(pub BTreeMap<Spanned<String>, RuleOptionsToml>);

impl<'de> Deserialize<'de> for RulesTable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        BTreeMap::deserialize(d).map(RulesTable)
    }
}

impl JsonSchema for RulesTable {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RulesTable".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut props = serde_json::Map::new();
        for rule in registry::all() {
            let Some(schema) = options_schema(rule.code, g) else {
                continue;
            };
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

/// The schema of the options a rule accepts, `None` when it has none.
fn options_schema(code: &str, g: &mut schemars::SchemaGenerator) -> Option<schemars::Schema> {
    match code {
        "DL3026" => Some(g.subschema_for::<TrustedRegistriesOptions>()),
        "DL3049" => Some(g.subschema_for::<LabelSchemaOptions>()),
        "DF001" => Some(g.subschema_for::<NonRootImagesOptions>()),
        _ => None,
    }
}

// The schema of DL3026's options; the file itself is read through `RuleOptionsToml`.
/// Options of DL3026 (untrusted-registry).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[allow(dead_code)]
struct TrustedRegistriesOptions {
    /// Registries images may come from. `*` is a wildcard: `*.corp.example`, `ghcr.io*`, `*`.
    /// Images without a registry (`ubuntu:24.04`) come from `docker.io`.
    trusted_registries: Option<Vec<String>>,
}

/// Options of DF001 (final-stage-runs-as-root).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[allow(dead_code)]
struct NonRootImagesOptions {
    /// Base images that already run as a non-root user, beyond wharf's own list: names as
    /// Docker Hub shortens them (`myorg/base`, `ghcr.io/acme/app`), `*` as a wildcard, with an
    /// optional tag (`acme/app:*-safe`).
    non_root_images: Option<Vec<String>>,
}

/// Options of DL3049 (missing-required-label): the label schema, shared by every label rule
/// (DL3049-DL3058).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[allow(dead_code)]
struct LabelSchemaOptions {
    /// Labels every stage must have, with the type of their value.
    label_schema: Option<BTreeMap<String, LabelType>>,
    /// Also report labels that are not in the schema (DL3050).
    strict_labels: Option<bool>,
}

/// Every option any rule accepts; which rule accepts which is checked after reading, so that
/// a misplaced option gets a precise message.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleOptionsToml {
    pub trusted_registries: Option<Spanned<Vec<Spanned<String>>>>,
    pub label_schema: Option<Spanned<BTreeMap<Spanned<String>, LabelType>>>,
    pub strict_labels: Option<Spanned<bool>>,
    pub non_root_images: Option<Spanned<Vec<Spanned<String>>>>,
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
    /// Run ShellCheck on RUN instructions (default: true).
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
pub(crate) fn load(path: &Path, text: &str, base: &Path) -> Result<Layer, ConfigError> {
    let file: WharfToml = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    to_layer(path, text, base, file)
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

fn to_layer(path: &Path, text: &str, base: &Path, file: WharfToml) -> Result<Layer, ConfigError> {
    let err =
        |span: std::ops::Range<usize>, msg: String| ConfigError::at(path, text, span.start, msg);
    let selectors = |list: &Option<Vec<Spanned<String>>>| -> Result<_, ConfigError> {
        let mut out = Vec::new();
        for s in list.iter().flatten() {
            out.extend(
                resolve_selector(s.get_ref()).map_err(|(m, h)| err(s.span(), m).with_help(h))?,
            );
        }
        Ok(out)
    };
    let mut layer = Layer {
        select: match &file.select {
            Some(_) => Some(selectors(&file.select)?),
            None => None,
        },
        extend_select: selectors(&file.extend_select)?,
        ignore: selectors(&file.ignore)?,
        failure_threshold: file.failure_threshold.map(Severity::from),
        disable_ignore_pragma: file.disable_ignore_pragma,
        no_fail: file.no_fail,
        ..Layer::default()
    };
    for (key, sev) in file.severity.iter().flatten() {
        let rules =
            resolve_selector(key.get_ref()).map_err(|(m, h)| err(key.span(), m).with_help(h))?;
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
            rules.extend(
                resolve_selector(c.get_ref()).map_err(|(m, h)| err(c.span(), m).with_help(h))?,
            );
        }
        layer.per_file_ignores.push((pattern, rules));
    }
    if let Some(RulesTable(table)) = &file.rules {
        let mut seen: Vec<&str> = Vec::new();
        for (key, opts) in table {
            let Some(rule) = registry::find(key.get_ref()) else {
                return Err(err(key.span(), format!("unknown rule `{}`", key.get_ref()))
                    .with_help(registry::suggest(key.get_ref())));
            };
            if seen.contains(&rule.code) {
                return Err(err(
                    key.span(),
                    format!("options of {} are given twice", rule.code),
                ));
            }
            seen.push(rule.code);
            rule_options(&err, rule.code, opts, &mut layer)?;
        }
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

/// Which rule owns each option.
const OPTION_OWNERS: &[(&str, &str)] = &[
    ("trusted-registries", "DL3026"),
    ("label-schema", "DL3049"),
    ("strict-labels", "DL3049"),
    ("non-root-images", "DF001"),
];

fn rule_options(
    err: &dyn Fn(std::ops::Range<usize>, String) -> ConfigError,
    code: &str,
    opts: &RuleOptionsToml,
    layer: &mut Layer,
) -> Result<(), ConfigError> {
    let misplaced = |name: &str, span: std::ops::Range<usize>| -> Result<(), ConfigError> {
        let owner = OPTION_OWNERS
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, o)| *o);
        if owner == code {
            return Ok(());
        }
        let mut msg = format!("{code} has no option `{name}`");
        if !owner.is_empty() {
            msg.push_str(&format!("; it belongs under [rules.{owner}]"));
        }
        Err(err(span, msg))
    };
    if let Some(list) = &opts.trusted_registries {
        misplaced("trusted-registries", list.span())?;
        layer.trusted_registries = Some(word_list(err, list, "registry")?);
    }
    if let Some(schema) = &opts.label_schema {
        misplaced("label-schema", schema.span())?;
        let mut map = BTreeMap::new();
        for (name, ty) in schema.get_ref() {
            if name.get_ref().trim().is_empty() {
                return Err(err(name.span(), "empty label name".into()));
            }
            map.insert(name.get_ref().clone(), *ty);
        }
        layer.label_schema = Some(map);
    }
    if let Some(strict) = &opts.strict_labels {
        misplaced("strict-labels", strict.span())?;
        layer.strict_labels = Some(*strict.get_ref());
    }
    if let Some(list) = &opts.non_root_images {
        misplaced("non-root-images", list.span())?;
        layer.non_root_images = Some(word_list(err, list, "image pattern")?);
    }
    Ok(())
}

/// A list of single words (registries, image patterns), trimmed and lower-cased; an empty
/// entry or one holding whitespace is an error at that entry.
fn word_list(
    err: &dyn Fn(std::ops::Range<usize>, String) -> ConfigError,
    list: &Spanned<Vec<Spanned<String>>>,
    what: &str,
) -> Result<Vec<String>, ConfigError> {
    let mut out = Vec::new();
    for r in list.get_ref() {
        let v = r.get_ref().trim();
        if v.is_empty() || v.contains(char::is_whitespace) {
            return Err(err(r.span(), format!("invalid {what} `{v}`")));
        }
        out.push(v.to_ascii_lowercase());
    }
    Ok(out)
}
