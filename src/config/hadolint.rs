//! hadolint's configuration, for migration: `.hadolint.yaml` / `.hadolint.yml` and the
//! `HADOLINT_*` environment variables, mapped onto a [`Layer`].

use super::Layer;
use super::error::{ConfigError, closest};
use super::options::{self, raw};
use super::yaml::{self, Pos, error_at};
use crate::diagnostic::Severity;
use crate::registry;
use crate::rule::Rule;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::DeValue;

/// hadolint's rule options and the `[rules.CODE]` table and key each one fills.
const OPTION_KEYS: &[(&str, &str, &str)] = &[
    ("trustedRegistries", "DL3026", "trusted-registries"),
    ("trusted-registries", "DL3026", "trusted-registries"),
    ("label-schema", "DL3049", "label-schema"),
    ("strict-labels", "DL3049", "strict-labels"),
    (
        "HADOLINT_TRUSTED_REGISTRIES",
        "DL3026",
        "trusted-registries",
    ),
    ("HADOLINT_REQUIRE_LABELS", "DL3049", "label-schema"),
    ("HADOLINT_STRICT_LABELS", "DL3049", "strict-labels"),
];

/// Hands one hadolint option to the rule that owns it, as a one-key table checked by the
/// rule's options declaration; `text` is what the spans of `value` index (for positions).
fn set_option(
    layer: &mut Layer,
    source: &Path,
    text: &str,
    hadolint_key: &str,
    value: Spanned<DeValue<'_>>,
) -> Result<(), ConfigError> {
    let Some(&(_, code, key)) = OPTION_KEYS.iter().find(|(k, _, _)| *k == hadolint_key) else {
        return Ok(());
    };
    let Some(rule) = registry::find(code) else {
        return Ok(());
    };
    let span = value.span();
    let table = raw::table([(key, span.clone(), value)], span);
    let checked = options::check_table(rule, table)
        .map_err(|e| ConfigError::at(source, text, e.span.start, e.message).with_help(e.help))?;
    options::merge(layer.rule_options.entry(rule.code).or_default(), &checked);
    Ok(())
}

/// The keys of `.hadolint.yaml` wharf reads.
const KEYS: &[&str] = &[
    "ignored",
    "override",
    "trustedRegistries",
    "trusted-registries",
    "failure-threshold",
    "label-schema",
    "strict-labels",
    "disable-ignore-pragma",
    "no-fail",
    "no-color",
    "format",
    "formats",
    "verbose",
];

const THRESHOLDS: &[&str] = &["error", "warning", "info", "style", "ignore", "none"];

/// How one hadolint code maps to wharf.
enum Code {
    Rule(&'static Rule),
    /// A ShellCheck code (hadolint runs ShellCheck): for wharf's ShellCheck pass.
    ShellCheck(u16),
    /// A hadolint rule wharf does not have (yet): nothing to do.
    Skip,
}

/// Resolves a hadolint rule code. `Err` carries the message and a suggestion.
fn code(
    text: &str,
    where_: &dyn Fn() -> String,
    warnings: &mut Vec<String>,
) -> Result<Code, (String, Option<&'static str>)> {
    let t = text.trim();
    if let Some(rule) = registry::find(t) {
        return Ok(Code::Rule(rule));
    }
    if let Some(n) = crate::shellcheck::code_number(t) {
        return Ok(Code::ShellCheck(n));
    }
    if let Some(foreign) = registry::foreign(t) {
        let note = super::foreign_note(&where_(), t, foreign);
        if !warnings.contains(&note) {
            warnings.push(note);
        }
        return Ok(Code::Skip);
    }
    // Retired hadolint codes (DL3005, ...) still appear in old configurations.
    if registry::HADOLINT_RETIRED.contains(&t) {
        let note = super::foreign_note(&where_(), t, registry::Foreign::Hadolint);
        if !warnings.contains(&note) {
            warnings.push(note);
        }
        return Ok(Code::Skip);
    }
    Err((
        format!("unknown rule code `{t}`"),
        registry::suggest(t).or_else(|| {
            closest(
                t,
                registry::HADOLINT_CODES
                    .iter()
                    .chain(registry::HADOLINT_RETIRED)
                    .copied(),
            )
        }),
    ))
}

fn severity(name: &str) -> Option<Severity> {
    match name {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        "style" => Some(Severity::Style),
        // hadolint orders `ignore` after `style` and fails when a finding is at or above the
        // threshold, so these two make every finding fail.
        "ignore" | "none" => Some(Severity::Style),
        _ => None,
    }
}

/// Reads a `.hadolint.yaml` text.
pub(crate) fn load(
    path: &Path,
    text: &str,
    warnings: &mut Vec<String>,
) -> Result<Layer, ConfigError> {
    let root = yaml::parse(path, text)?;
    let mut layer = Layer::default();
    let loc = |at: Pos| format!("{}:{}:{}", path.display(), at.line, at.column);
    for (key, key_at, value) in yaml::top_level(path, &root)? {
        match key {
            "ignored" => {
                for (c, at) in yaml::string_list(path, key, value)? {
                    match code(c, &|| loc(at), warnings) {
                        Ok(Code::Rule(r)) => layer.ignore.push(r),
                        Ok(Code::ShellCheck(n)) => layer.sc.ignore.push(n),
                        Ok(Code::Skip) => {}
                        Err((m, h)) => return Err(error_at(path, at, m).with_help(h)),
                    }
                }
            }
            "override" => {
                let Some(entries) = yaml::optional_mapping(path, "override", value)? else {
                    continue;
                };
                // hadolint: error beats warning beats info beats style. Later entries of
                // `layer.severity` win, so push the weakest first.
                let mut levels: Vec<(Severity, Vec<&'static Rule>)> = Vec::new();
                for (level, level_at, list) in entries {
                    let sev = match level {
                        "error" | "warning" | "info" | "style" => severity(level),
                        _ => None,
                    };
                    let Some(sev) = sev else {
                        return Err(error_at(path, level_at, format!("unknown key `{level}`"))
                            .with_help(closest(level, ["error", "warning", "info", "style"])));
                    };
                    let mut rules = Vec::new();
                    for (c, at) in yaml::string_list(path, level, list)? {
                        match code(c, &|| loc(at), warnings) {
                            Ok(Code::Rule(r)) => rules.push(r),
                            Ok(Code::ShellCheck(n)) => layer.sc.severity.push((n, sev)),
                            Ok(Code::Skip) => {}
                            Err((m, h)) => return Err(error_at(path, at, m).with_help(h)),
                        }
                    }
                    levels.push((sev, rules));
                }
                levels.sort_by_key(|l| std::cmp::Reverse(l.0));
                for (sev, rules) in levels {
                    override_rules(&mut layer, sev, &rules);
                }
            }
            "trustedRegistries" | "trusted-registries" => {
                yaml::string_list(path, key, value)?;
                set_option(&mut layer, path, text, key, yaml::to_raw(value))?;
            }
            "failure-threshold" => {
                let Some(s) = value.as_str().filter(|_| !value.is_null()) else {
                    return Err(error_at(
                        path,
                        value.at(),
                        format!("`{key}` must be one of: {}", THRESHOLDS.join(", ")),
                    ));
                };
                let Some(sev) = severity(s) else {
                    return Err(error_at(
                        path,
                        value.at(),
                        format!("unknown failure threshold `{s}`"),
                    )
                    .with_help(closest(s, THRESHOLDS.iter().copied())));
                };
                layer.failure_threshold = Some(sev);
            }
            "label-schema" => {
                if yaml::optional_mapping(path, "label-schema", value)?.is_some() {
                    set_option(&mut layer, path, text, key, yaml::to_raw(value))?;
                }
            }
            "strict-labels" => {
                if let Some(b) = yaml::boolean(path, key, value)? {
                    let at = value.at().offset;
                    set_option(&mut layer, path, text, key, raw::boolean(b, at..at))?;
                }
            }
            "disable-ignore-pragma" => {
                layer.disable_ignore_pragma = yaml::boolean(path, key, value)?
            }
            "no-fail" => layer.no_fail = yaml::boolean(path, key, value)?,
            "no-color" | "verbose" => {
                yaml::boolean(path, key, value)?;
            }
            "format" => {
                if value.as_str().is_none() {
                    return Err(error_at(
                        path,
                        value.at(),
                        format!("`format` must be a string, found {}", value.kind()),
                    ));
                }
            }
            "formats" => {
                yaml::string_list(path, key, value)?;
            }
            other => {
                return Err(error_at(path, key_at, format!("unknown key `{other}`"))
                    .with_help(closest(other, KEYS.iter().copied())));
            }
        }
    }
    Ok(layer)
}

/// A hadolint override: set the severity and make sure the rule runs (hadolint turns rules
/// that are off by default on this way).
fn override_rules(layer: &mut Layer, sev: Severity, rules: &[&'static Rule]) {
    for r in rules {
        layer.severity.push((r.code, sev));
        layer.extend_select.push(r);
    }
}

/// `1`, `y`, `on`, `true`, `yes` (any case) are true; anything else is false.
fn truthy(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "1" | "y" | "on" | "true" | "yes"
    )
}

/// The comma-separated items of a variable, trimmed, with their byte offset in it.
fn items(value: &str) -> impl Iterator<Item = (&str, usize)> {
    let mut offset = 0;
    value.split(',').filter_map(move |raw| {
        let lead = raw.len() - raw.trim_start().len();
        let at = offset + lead;
        offset += raw.len() + 1;
        let t = raw.trim();
        (!t.is_empty()).then_some((t, at))
    })
}

/// The `HADOLINT_*` environment variables, as one layer between the configuration file and
/// the command line.
pub(crate) fn from_env(
    env: super::EnvLookup<'_>,
    warnings: &mut Vec<String>,
) -> Result<Layer, ConfigError> {
    let mut layer = Layer::default();
    let var_path = |name: &str| PathBuf::from(format!("${name}"));
    let codes = |name: &str,
                 warnings: &mut Vec<String>,
                 sc: &mut Vec<u16>|
     -> Result<Vec<&'static Rule>, ConfigError> {
        let mut out = Vec::new();
        if let Some(v) = env(name) {
            for (c, at) in items(&v) {
                let p = var_path(name);
                match code(c, &|| format!("${name}"), warnings) {
                    Ok(Code::Rule(r)) => out.push(r),
                    Ok(Code::ShellCheck(n)) => sc.push(n),
                    Ok(Code::Skip) => {}
                    Err((m, h)) => return Err(ConfigError::at(&p, &v, at, m).with_help(h)),
                }
            }
        }
        Ok(out)
    };
    let mut sc_ignore = Vec::new();
    layer.ignore = codes("HADOLINT_IGNORE", warnings, &mut sc_ignore)?;
    layer.sc.ignore = sc_ignore;
    for (name, sev) in [
        ("HADOLINT_OVERRIDE_STYLE", Severity::Style),
        ("HADOLINT_OVERRIDE_INFO", Severity::Info),
        ("HADOLINT_OVERRIDE_WARNING", Severity::Warning),
        ("HADOLINT_OVERRIDE_ERROR", Severity::Error),
    ] {
        let mut sc = Vec::new();
        let rules = codes(name, warnings, &mut sc)?;
        override_rules(&mut layer, sev, &rules);
        layer.sc.severity.extend(sc.into_iter().map(|n| (n, sev)));
    }
    if let Some(v) = env("HADOLINT_FAILURE_THRESHOLD") {
        let t = v.trim();
        let sev = severity(&t.to_ascii_lowercase()).ok_or_else(|| {
            ConfigError::at_line_col(
                &var_path("HADOLINT_FAILURE_THRESHOLD"),
                1,
                1,
                format!("unknown failure threshold `{t}`"),
            )
            .with_help(closest(t, THRESHOLDS.iter().copied()))
        })?;
        layer.failure_threshold = Some(sev);
    }
    let name = "HADOLINT_TRUSTED_REGISTRIES";
    if let Some(v) = env(name) {
        let regs: Vec<_> = items(&v)
            .map(|(r, at)| raw::string(r, at..at + r.len()))
            .collect();
        if !regs.is_empty() {
            let list = raw::array(regs, 0..v.len());
            set_option(&mut layer, &var_path(name), &v, name, list)?;
        }
    }
    let name = "HADOLINT_REQUIRE_LABELS";
    if let Some(v) = env(name) {
        let p = var_path(name);
        let mut entries = Vec::new();
        for (item, at) in items(&v) {
            let Some((label, ty)) = item.split_once(':') else {
                return Err(ConfigError::at(
                    &p,
                    &v,
                    at,
                    format!("expected `name:type`, found `{item}`"),
                ));
            };
            let ty_at = at + label.len() + 1 + (ty.len() - ty.trim_start().len());
            let ty = ty.trim();
            entries.push((
                label.trim(),
                at..at + label.len(),
                raw::string(ty, ty_at..ty_at + ty.len()),
            ));
        }
        set_option(&mut layer, &p, &v, name, raw::table(entries, 0..v.len()))?;
    }
    let name = "HADOLINT_STRICT_LABELS";
    if let Some(v) = env(name) {
        set_option(
            &mut layer,
            &var_path(name),
            &v,
            name,
            raw::boolean(truthy(&v), 0..v.len()),
        )?;
    }
    let flag = |name: &str| env(name).map(|v| truthy(&v));
    layer.disable_ignore_pragma = flag("HADOLINT_DISABLE_IGNORE_PRAGMA");
    layer.no_fail = flag("HADOLINT_NOFAIL");
    Ok(layer)
}
