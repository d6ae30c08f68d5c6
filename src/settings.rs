//! Rule options: each configurable rule declares a typed options struct in its own file
//! (`options: options::<MyOptions>()` in [`declare_rule!`](crate::declare_rule)); the
//! configuration keeps every `[rules.CODE]` table raw, with the byte spans of its keys and
//! values, and hands it to the rule's declaration to parse and validate. The parsed options of
//! one configuration are [`RuleSettings`], built once and shared by every file it governs; a
//! rule reads its own with [`Context::options`](crate::rule::Context::options).
//!
//! The JSON schema of `wharf.toml`, the `## Options` section of a rule's docs and the option
//! table of `docs/configuration.md` are all generated from the struct (its doc comments, types
//! and default), so adding an option touches the rule file only.

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use toml::Spanned;
use toml::de::DeValue;

/// A `[rules.CODE]` table as written, with spans (byte offsets into the text it came from).
pub type RawOptions<'a> = Spanned<DeValue<'a>>;

/// What an options struct must be: read from TOML with serde, described with schemars, with
/// a default for a configuration that does not mention it. Every such type qualifies.
pub trait RuleOptions:
    DeserializeOwned + Serialize + JsonSchema + Default + Send + Sync + 'static
{
}

impl<T: DeserializeOwned + Serialize + JsonSchema + Default + Send + Sync + 'static> RuleOptions
    for T
{
}

type Parsed = Arc<dyn Any + Send + Sync>;

/// A rule's declaration of its options: the type, erased, with what the configuration needs
/// to parse it, describe it and document it.
#[derive(Clone, Copy)]
pub struct OptionsDecl {
    /// The rule whose `[rules.CODE]` table holds the options when several rules share one
    /// struct (the label rules read DL3049's); `None` for the declaring rule's own table.
    pub table: Option<&'static str>,
    type_id: fn() -> TypeId,
    type_name: fn() -> &'static str,
    parse: fn(RawOptions<'_>) -> Result<Parsed, toml::de::Error>,
    parse_value: fn(toml::Value) -> Result<Parsed, toml::de::Error>,
    schema: fn(&mut schemars::SchemaGenerator) -> schemars::Schema,
    default_json: fn() -> serde_json::Value,
}

/// Declares options of type `T`, read from the rule's own `[rules.CODE]` table.
pub const fn options<T: RuleOptions>() -> Option<OptionsDecl> {
    Some(OptionsDecl {
        table: None,
        type_id: TypeId::of::<T>,
        type_name: std::any::type_name::<T>,
        parse: parse::<T>,
        parse_value: parse_value::<T>,
        schema: schema::<T>,
        default_json: default_json::<T>,
    })
}

/// Declares options of type `T` that live in another rule's table (`code`), for rules that
/// share one struct.
pub const fn options_of<T: RuleOptions>(code: &'static str) -> Option<OptionsDecl> {
    match options::<T>() {
        Some(mut d) => {
            d.table = Some(code);
            Some(d)
        }
        None => None,
    }
}

fn parse<T: RuleOptions>(raw: RawOptions<'_>) -> Result<Parsed, toml::de::Error> {
    let value: T = serde::Deserialize::deserialize(toml::de::ValueDeserializer::from(raw))?;
    Ok(Arc::new(value))
}

fn parse_value<T: RuleOptions>(value: toml::Value) -> Result<Parsed, toml::de::Error> {
    let value: T = serde::Deserialize::deserialize(value)?;
    Ok(Arc::new(value))
}

fn schema<T: RuleOptions>(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
    g.subschema_for::<T>()
}

fn default_json<T: RuleOptions>() -> serde_json::Value {
    serde_json::to_value(T::default()).unwrap_or_default()
}

impl OptionsDecl {
    pub fn type_id(&self) -> TypeId {
        (self.type_id)()
    }

    /// The Rust name of the options struct, for messages.
    pub fn type_name(&self) -> &'static str {
        (self.type_name)()
    }

    /// Parses and validates a raw table. Errors carry the span of the offending key or value.
    pub fn parse(&self, raw: RawOptions<'_>) -> Result<Parsed, toml::de::Error> {
        (self.parse)(raw)
    }

    /// Parses a table without spans: options merged from several layers, each of which was
    /// validated with [`OptionsDecl::parse`] when it was read.
    pub fn parse_value(&self, value: toml::Value) -> Result<Parsed, toml::de::Error> {
        (self.parse_value)(value)
    }

    /// A reference to the options' schema, registering it with the generator.
    pub fn schema(&self, g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        (self.schema)(g)
    }

    /// The options' own schema, with its definitions inlined where it refers to them.
    pub fn full_schema(&self) -> serde_json::Value {
        let mut g = schemars::SchemaGenerator::default();
        let reference = self.schema(&mut g).to_value();
        let defs: serde_json::Map<String, serde_json::Value> = g
            .take_definitions(true)
            .into_iter()
            .collect::<serde_json::Map<_, _>>();
        let mut root = resolve_ref(&reference, &defs);
        inline_refs(&mut root, &defs, 0);
        root
    }

    /// The top-level option names (kebab-case keys) the struct accepts.
    pub fn keys(&self) -> Vec<String> {
        self.full_schema()["properties"]
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The options' default, as JSON.
    pub fn default_value(&self) -> serde_json::Value {
        (self.default_json)()
    }
}

fn resolve_ref(
    v: &serde_json::Value,
    defs: &serde_json::Map<String, serde_json::Value>,
) -> serde_json::Value {
    match v.get("$ref").and_then(|r| r.as_str()) {
        Some(r) => defs
            .get(r.rsplit('/').next().unwrap_or(""))
            .cloned()
            .unwrap_or_else(|| v.clone()),
        None => v.clone(),
    }
}

fn inline_refs(
    v: &mut serde_json::Value,
    defs: &serde_json::Map<String, serde_json::Value>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    if v.get("$ref").is_some() {
        *v = resolve_ref(v, defs);
    }
    match v {
        serde_json::Value::Object(map) => map
            .values_mut()
            .for_each(|x| inline_refs(x, defs, depth + 1)),
        serde_json::Value::Array(items) => items
            .iter_mut()
            .for_each(|x| inline_refs(x, defs, depth + 1)),
        _ => {}
    }
}

/// The options of every rule under one configuration, parsed once. Rules that the
/// configuration does not mention get their struct's default.
#[derive(Clone, Default)]
pub struct RuleSettings {
    by_type: HashMap<TypeId, Parsed>,
}

impl std::fmt::Debug for RuleSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RuleSettings({} option sets)", self.by_type.len())
    }
}

impl RuleSettings {
    /// Keeps parsed options (from [`OptionsDecl::parse`]) for the type they belong to.
    pub fn insert(&mut self, decl: &OptionsDecl, parsed: Arc<dyn Any + Send + Sync>) {
        self.by_type.insert(decl.type_id(), parsed);
    }

    /// Sets options directly; for tests and embedders.
    pub fn set<T: RuleOptions>(&mut self, value: T) {
        self.by_type.insert(TypeId::of::<T>(), Arc::new(value));
    }

    /// The options of type `T`: as configured, or `T`'s default.
    pub fn get<T: RuleOptions>(&self) -> &T {
        self.by_type
            .get(&TypeId::of::<T>())
            .and_then(|p| p.downcast_ref::<T>())
            .unwrap_or_else(|| default_of::<T>())
    }
}

/// One default value per options type, made on first use and kept for the process.
fn default_of<T: RuleOptions>() -> &'static T {
    type Defaults = Mutex<HashMap<TypeId, &'static (dyn Any + Send + Sync)>>;
    static DEFAULTS: OnceLock<Defaults> = OnceLock::new();
    let map = DEFAULTS.get_or_init(Default::default);
    let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
    let any: &'static (dyn Any + Send + Sync) = *map
        .entry(TypeId::of::<T>())
        .or_insert_with(|| Box::leak(Box::new(T::default())));
    // The entry was made for `T`, so the downcast cannot fail; the fallback keeps this total.
    any.downcast_ref::<T>()
        .unwrap_or_else(|| Box::leak(Box::new(T::default())))
}

/// Deserializes a string and checks or converts it with `check`, so that the error of a bad
/// value points at the value itself (toml attaches the span of the value being read). For
/// option types' `Deserialize` impls:
///
/// ```
/// struct Registry(String);
/// impl<'de> serde::Deserialize<'de> for Registry {
///     fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
///         wharf::settings::checked_string(d, |s| match s.contains(' ') {
///             true => Err(format!("invalid registry `{s}`")),
///             false => Ok(Registry(s.to_ascii_lowercase())),
///         })
///     }
/// }
/// ```
pub fn checked_string<'de, D, T>(d: D, check: fn(&str) -> Result<T, String>) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct V<T>(fn(&str) -> Result<T, String>);
    impl<T> serde::de::Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            (self.0)(v).map_err(E::custom)
        }
    }
    d.deserialize_str(V(check))
}

/// A kind of single-word option value (a registry, an image pattern, a variable name): what
/// one is called in an error, and whether its case is folded. Used with [`word_list`].
pub trait WordKind {
    const WHAT: &'static str;
    const LOWERCASE: bool;
}

/// One single-word option value: trimmed, not empty, without white space.
struct OptionWord<K>(String, std::marker::PhantomData<K>);

fn check_word<K: WordKind>(raw: &str) -> Result<OptionWord<K>, String> {
    let v = raw.trim();
    if v.is_empty() || v.contains(char::is_whitespace) {
        return Err(format!("invalid {} `{v}`", K::WHAT));
    }
    let v = if K::LOWERCASE {
        v.to_ascii_lowercase()
    } else {
        v.to_string()
    };
    Ok(OptionWord(v, std::marker::PhantomData))
}

impl<'de, K: WordKind> Deserialize<'de> for OptionWord<K> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked_string(d, check_word::<K>)
    }
}

/// Deserializes a list of single words of kind `K`, each checked where it stands, repeats
/// dropped: `#[serde(deserialize_with = "word_list::<_, Registries>")]`.
pub fn word_list<'de, D, K>(d: D) -> Result<Vec<String>, D::Error>
where
    D: serde::Deserializer<'de>,
    K: WordKind,
{
    let mut out: Vec<String> = Vec::new();
    for OptionWord(w, _) in Vec::<OptionWord<K>>::deserialize(d)? {
        if !out.contains(&w) {
            out.push(w);
        }
    }
    Ok(out)
}

/// One row per option of a declaration: key, type, default and meaning, from the struct's
/// schema (its doc comments) and its default value.
pub fn option_rows(decl: &OptionsDecl) -> Vec<[String; 4]> {
    let schema = decl.full_schema();
    let default = decl.default_value();
    let mut out = Vec::new();
    if let Some(props) = schema["properties"].as_object() {
        for (key, prop) in props {
            let meaning = prop["description"]
                .as_str()
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            out.push([
                format!("`{key}`"),
                type_of(prop),
                default_text(&default[key.as_str()]),
                meaning,
            ]);
        }
    }
    out
}

/// Markdown describing the options of a declaration: the rows of [`option_rows`].
pub fn options_table(decl: &OptionsDecl) -> String {
    let mut out = String::from("| Option | Type | Default | Meaning |\n|---|---|---|---|\n");
    for row in option_rows(decl) {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

fn default_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "none".into(),
        other => format!("`{}`", toml_literal(other)),
    }
}

/// A JSON value written as TOML would write it (inline forms).
fn toml_literal(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Object(m) if m.is_empty() => "{}".into(),
        Value::Object(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k:?} = {}", toml_literal(v)))
                .collect();
            format!("{{ {} }}", items.join(", "))
        }
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(toml_literal).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// A short human name for a schema type: `bool`, `list of strings`, `table of string → one
/// of "a", "b"`.
fn type_of(s: &serde_json::Value) -> String {
    use serde_json::Value;
    let variants: Option<Vec<String>> =
        s["oneOf"]
            .as_array()
            .or_else(|| s["enum"].as_array())
            .map(|alts| {
                alts.iter()
                    .filter_map(|a| a.get("const").or(Some(a)).and_then(Value::as_str))
                    .map(|c| format!("`\"{c}\"`"))
                    .collect()
            });
    if let Some(v) = variants.filter(|v| !v.is_empty()) {
        return format!("one of {}", v.join(", "));
    }
    let ty = match &s["type"] {
        Value::String(t) => t.as_str(),
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or(""),
        _ => "",
    };
    match ty {
        "boolean" => "bool".into(),
        "string" => "string".into(),
        "integer" => "integer".into(),
        "number" => "number".into(),
        "array" => format!("list of {}", plural(&type_of(&s["items"]))),
        "object" => match s.get("additionalProperties") {
            Some(v) if v.is_object() => format!("table of string → {}", type_of(v)),
            _ => "table".into(),
        },
        _ => "value".into(),
    }
}

fn plural(t: &str) -> String {
    match t {
        "string" | "integer" | "number" | "bool" | "table" => format!("{t}s"),
        other => other.to_string(),
    }
}

/// The generated part of a rule's `## Options` section: where the options are read from and
/// the option table.
pub fn options_section(code: &str, decl: &OptionsDecl) -> String {
    match decl.table {
        Some(table) if table != code => {
            let keys: Vec<String> = decl.keys().iter().map(|k| format!("`{k}`")).collect();
            format!(
                "Reads {} from `[rules.{table}]`, shared with {table} (see its options).\n",
                keys.join(", ")
            )
        }
        _ => format!("Set under `[rules.{code}]`.\n\n{}", options_table(decl)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// Options of a test rule.
    #[derive(Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
    #[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
    struct Demo {
        /// Names to allow.
        allowed_names: Vec<String>,
        /// Be strict.
        strict: bool,
    }

    fn raw(text: &str) -> RawOptions<'_> {
        let t = toml::de::DeTable::parse(text).unwrap();
        let span = t.span();
        Spanned::new(span, DeValue::Table(t.into_inner()))
    }

    #[test]
    fn parses_with_spans_and_defaults() {
        let decl = options::<Demo>().unwrap();
        let parsed = decl.parse(raw("allowed-names = [\"a\"]\n")).unwrap();
        let mut rs = RuleSettings::default();
        rs.insert(&decl, parsed);
        assert_eq!(rs.get::<Demo>().allowed_names, ["a"]);
        assert!(!rs.get::<Demo>().strict);
        assert_eq!(RuleSettings::default().get::<Demo>(), &Demo::default());
        let err = decl.parse(raw("strict = true\nstrikt = 1\n")).unwrap_err();
        assert_eq!(err.span(), Some(14..20));
        assert!(err.message().contains("unknown field `strikt`"));
        assert_eq!(decl.keys(), ["allowed-names", "strict"]);
    }

    #[test]
    fn table_is_generated_from_the_struct() {
        let decl = options::<Demo>().unwrap();
        assert_eq!(
            options_table(&decl),
            "| Option | Type | Default | Meaning |\n|---|---|---|---|\n\
             | `allowed-names` | list of strings | `[]` | Names to allow. |\n\
             | `strict` | bool | `false` | Be strict. |\n"
        );
    }
}
