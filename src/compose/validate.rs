//! One validator for the whole Compose Specification, driven by the table in [`super::spec`].
//!
//! It walks the YAML tree of each document with merge keys applied (so keys that arrive through
//! `<<: *defaults` are judged where they land, and reported where they are written) and
//! reports, each at the key or value itself:
//! - keys the table does not know, with the closest known key as a suggestion (`x-` keys pass
//!   where the specification allows extensions);
//! - values of the wrong kind (`interval: 30` where a duration string is due, a mapping where a
//!   list is due, `user: 1000` where a string is due);
//! - values outside their set (`cgroup: shared`), and strings that do not convert to the
//!   expected boolean, number, duration or byte size (`scale: "two"`, `mem_limit: 1xb`).
//!
//! Strings are interpolated the way compose does before it converts them: `${PORT:-80}` is
//! judged by its default, and a value with a variable that has no default is not judged. A
//! value tagged `!reset` is never judged.
//!
//! Required keys, deprecated keys and mutually exclusive keys are left to the rules.

use super::ComposeFile;
use super::interpolate;
use super::spec::{self, Table, Type};
use super::yaml::{NodeKind, NodeRef, ScalarStyle};
use crate::source::Span;
use std::collections::HashSet;

/// How deep the validator follows nested values (the tree itself bounds real files).
const MAX_DEPTH: usize = 64;

/// What is wrong with a key or value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A key the specification does not have here.
    UnknownKey {
        /// The closest known key, when one is close.
        suggestion: Option<&'static str>,
    },
    /// A value of the wrong kind.
    WrongType,
    /// A value outside its allowed set, or a string that does not convert.
    InvalidValue,
}

/// One finding of the validator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The key (unknown keys) or the value.
    pub span: Span,
    pub kind: Kind,
    /// Short and lowercase, e.g. "`interval` must be a duration, not a number".
    pub message: String,
}

/// Validates every document of a compose file against the specification.
pub fn validate(file: &ComposeFile) -> Vec<Finding> {
    let mut v = Validator::default();
    for root in file.roots() {
        v.table(root, &spec::TOP_LEVEL, 0);
    }
    v.out
}

/// Validates one node against a type (for rules that judge a part of a file).
pub fn validate_node(node: NodeRef<'_>, ty: &Type, name: &str) -> Vec<Finding> {
    let mut v = Validator::default();
    v.value(node, ty, name, 0);
    v.out
}

#[derive(Default)]
struct Validator {
    out: Vec<Finding>,
    /// Findings already made, so a mapping merged into several places is reported once.
    seen: HashSet<(Span, String)>,
}

/// What a scalar is, after YAML resolution (and interpolation for strings).
#[derive(Clone, Debug, PartialEq)]
enum Scalar {
    Null,
    Bool,
    Int,
    Float,
    /// A string; `None` when it holds a variable without a default, so its value is unknown.
    Str(Option<String>),
}

impl Validator {
    fn report(&mut self, span: Span, kind: Kind, message: String) {
        if self.seen.insert((span, message.clone())) {
            self.out.push(Finding {
                span,
                kind,
                message,
            });
        }
    }

    fn table(&mut self, node: NodeRef<'_>, table: &Table, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let mut first_key = None;
        for entry in node.entries() {
            let Some(key) = entry.key_str() else { continue };
            first_key.get_or_insert(entry.key.resolve().span());
            if table.name == "service" && key == "container_name" {
                self.container_name(entry.value);
            }
            match table.field(key) {
                Some(field) => self.value(entry.value, &field.ty, key, depth + 1),
                None if table.open || (table.extensions && key.starts_with("x-")) => {}
                None => {
                    let suggestion =
                        crate::registry::closest(key, table.fields.iter().map(|f| f.name));
                    self.report(
                        entry.key.resolve().span(),
                        Kind::UnknownKey { suggestion },
                        format!("unknown key `{key}` in {}", table.name),
                    );
                }
            }
        }
        // A key the specification requires (compose refuses the file without it), reported at
        // the mapping's first key, or at the mapping when it is empty.
        for field in table.fields.iter().filter(|f| f.required) {
            if node.get(field.name).is_none() {
                self.report(
                    first_key.unwrap_or_else(|| node.span()),
                    Kind::InvalidValue,
                    format!("`{}` is required in {}", field.name, table.name),
                );
            }
        }
    }

    /// `container_name` must match compose's pattern `[a-zA-Z0-9][a-zA-Z0-9_.-]+` (judged
    /// after interpolation with defaults; a value with an unset variable is not judged).
    fn container_name(&mut self, value: NodeRef<'_>) {
        let value = value.resolve();
        let Some((text, _)) = value.as_scalar() else {
            return;
        };
        let Some(name) = interpolate::with_defaults(text) else {
            return;
        };
        let mut chars = name.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
            && name.len() >= 2
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !valid {
            self.report(
                value.span(),
                Kind::InvalidValue,
                format!(
                    "container name `{name}` must start with a letter or digit and hold at least two of letters, digits, `_`, `.` and `-`"
                ),
            );
        }
    }

    fn value(&mut self, node: NodeRef<'_>, ty: &Type, name: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let node = node.resolve();
        if node.tag() == Some("!reset") {
            return;
        }
        let mut alts = Vec::new();
        flatten(ty, &mut alts);
        if alts.iter().any(|t| matches!(t, Type::Any)) {
            return;
        }
        match node.kind() {
            NodeKind::Mapping(_) => {
                let form = alts.iter().find_map(|t| match t {
                    Type::Table(t) => Some(Form::Table(t)),
                    Type::Map(v) => Some(Form::Map(v)),
                    _ => None,
                });
                match form {
                    Some(Form::Table(t)) => self.table(node, t, depth),
                    Some(Form::Map(v)) => {
                        for e in node.entries() {
                            let key = e.key_str().unwrap_or(name);
                            self.value(e.value, v, key, depth + 1);
                        }
                    }
                    None => self.wrong(node, &alts, name, "a mapping"),
                }
            }
            NodeKind::Sequence(_) => match alts.iter().find_map(|t| match t {
                Type::List(item) => Some(*item),
                _ => None,
            }) {
                Some(item) => {
                    for i in node.items() {
                        self.value(i, item, name, depth + 1);
                    }
                }
                None => self.wrong(node, &alts, name, "a list"),
            },
            NodeKind::Scalar { value, style } => {
                let scalar = resolve_scalar(value, *style, node.tag());
                self.scalar(node.span(), &scalar, &alts, name);
            }
            // An alias to nothing: DC000 already says so.
            NodeKind::Alias { .. } => {}
        }
    }

    fn scalar(&mut self, span: Span, scalar: &Scalar, alts: &[Type], name: &str) {
        let scalars: Vec<&Type> = alts.iter().filter(|t| is_scalar_type(t)).collect();
        if scalars.is_empty() {
            let what = describe_scalar(scalar);
            self.wrong_at(span, alts, name, what);
            return;
        }
        // The first alternative the value fits wins; otherwise report against the first
        // one of the value's kind, or the kind mismatch.
        let mut conversion: Option<String> = None;
        for t in &scalars {
            match fits(t, scalar) {
                Fit::Yes => return,
                Fit::BadValue(why) => {
                    conversion.get_or_insert(why);
                }
                Fit::No => {}
            }
        }
        match conversion {
            Some(why) => self.report(span, Kind::InvalidValue, format!("`{name}` {why}")),
            None => self.wrong_at(span, alts, name, describe_scalar(scalar)),
        }
    }

    fn wrong(&mut self, node: NodeRef<'_>, alts: &[Type], name: &str, what: &str) {
        self.wrong_at(node.span(), alts, name, what);
    }

    fn wrong_at(&mut self, span: Span, alts: &[Type], name: &str, what: &str) {
        let mut expected: Vec<&str> = Vec::new();
        for t in alts {
            let d = describe_type(t);
            if !expected.contains(&d) {
                expected.push(d);
            }
        }
        let expected = match expected.as_slice() {
            [] => "something else".to_string(),
            [one] => one.to_string(),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
        };
        self.report(
            span,
            Kind::WrongType,
            format!("`{name}` must be {expected}, not {what}"),
        );
    }
}

enum Form {
    Table(&'static Table),
    Map(&'static Type),
}

/// The alternatives of a type, with `OneOf` and `ListOrMap` spelled out.
fn flatten(ty: &Type, out: &mut Vec<Type>) {
    match ty {
        Type::OneOf(alts) => alts.iter().for_each(|t| flatten(t, out)),
        Type::ListOrMap => {
            out.push(Type::List(&Type::Str));
            out.push(Type::Map(&LIST_OR_MAP_VALUE));
        }
        t => out.push(*t),
    }
}

/// The values of the mapping form of `environment`, `labels` and the like.
static LIST_OR_MAP_VALUE: Type = Type::OneOf(&[Type::Str, Type::Number, Type::Bool, Type::Null]);

fn is_scalar_type(t: &Type) -> bool {
    !matches!(
        t,
        Type::List(_)
            | Type::Map(_)
            | Type::Table(_)
            | Type::ListOrMap
            | Type::OneOf(_)
            | Type::Any
    )
}

fn describe_type(t: &Type) -> &'static str {
    match t {
        Type::Str => "a string",
        Type::Bool => "a boolean",
        Type::Int => "an integer",
        Type::Number => "a number",
        Type::Duration => "a duration",
        Type::ByteSize | Type::ByteString => "a byte size",
        Type::Enum(_) => "one of its values",
        Type::Null => "empty",
        Type::List(_) => "a list",
        Type::Map(_) | Type::Table(_) => "a mapping",
        Type::ListOrMap => "a list or a mapping",
        Type::OneOf(_) | Type::Any => "a value",
    }
}

fn describe_scalar(s: &Scalar) -> &'static str {
    match s {
        Scalar::Null => "empty",
        Scalar::Bool => "a boolean",
        Scalar::Int | Scalar::Float => "a number",
        Scalar::Str(_) => "a string",
    }
}

enum Fit {
    Yes,
    No,
    /// The kind is right but the value does not convert.
    BadValue(String),
}

fn fits(t: &Type, s: &Scalar) -> Fit {
    let text = match s {
        Scalar::Str(Some(text)) => Some(text.as_str()),
        _ => None,
    };
    let unknown = matches!(s, Scalar::Str(None));
    // A string is converted to the type; a value whose variables have no default is unknown.
    let convert = |ok: fn(&str) -> bool, what: &str| -> Fit {
        if unknown {
            return Fit::Yes;
        }
        match text {
            Some(t) if ok(t) => Fit::Yes,
            Some(t) => Fit::BadValue(format!("must be {what}, not `{t}`")),
            None => Fit::No,
        }
    };
    match t {
        Type::Null => fit(matches!(s, Scalar::Null)),
        Type::Str => fit(matches!(s, Scalar::Str(_))),
        Type::Bool => match s {
            Scalar::Bool => Fit::Yes,
            _ => convert(is_bool, "a boolean"),
        },
        Type::Int => match s {
            Scalar::Int => Fit::Yes,
            _ => convert(is_int, "an integer"),
        },
        Type::Number => match s {
            Scalar::Int | Scalar::Float => Fit::Yes,
            _ => convert(is_number, "a number"),
        },
        Type::ByteSize => match s {
            Scalar::Int | Scalar::Float => Fit::Yes,
            _ => convert(is_byte_size, "a byte size such as `512m`"),
        },
        Type::ByteString => convert(is_byte_size, "a byte size such as `512m`"),
        Type::Duration => convert(is_duration, "a duration such as `30s`"),
        Type::Enum(values) => {
            if unknown {
                return Fit::Yes;
            }
            match text {
                Some(t) if values.contains(&t) => Fit::Yes,
                Some(t) => Fit::BadValue(format!(
                    "must be one of {}, not `{t}`",
                    values
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                None => Fit::No,
            }
        }
        _ => Fit::No,
    }
}

fn fit(ok: bool) -> Fit {
    if ok { Fit::Yes } else { Fit::No }
}

/// Resolves a scalar as compose's YAML reader does (YAML 1.2 core schema), then interpolates
/// strings with their defaults.
fn resolve_scalar(value: &str, style: ScalarStyle, tag: Option<&str>) -> Scalar {
    let as_string = || Scalar::Str(interpolate::with_defaults(value));
    match tag {
        Some("!!str") => return as_string(),
        Some("!!int") => return Scalar::Int,
        Some("!!float") => return Scalar::Float,
        Some("!!bool") => return Scalar::Bool,
        Some("!!null") => return Scalar::Null,
        _ => {}
    }
    if style.is_quoted() {
        return as_string();
    }
    match value {
        "" | "~" | "null" | "Null" | "NULL" => Scalar::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => Scalar::Bool,
        _ if is_yaml_int(value) => Scalar::Int,
        _ if is_yaml_float(value) => Scalar::Float,
        _ => as_string(),
    }
}

fn digits(s: &str, radix: u32) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_digit(radix) || c == '_')
}

fn is_yaml_int(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if let Some(hex) = body.strip_prefix("0x") {
        return digits(hex, 16);
    }
    if let Some(oct) = body.strip_prefix("0o") {
        return digits(oct, 8);
    }
    body.starts_with(|c: char| c.is_ascii_digit()) && digits(body, 10)
}

fn is_yaml_float(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if matches!(body, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    is_decimal(body)
}

/// `1`, `1.5`, `.5`, `1e3`, `1.5E-2`.
fn is_decimal(s: &str) -> bool {
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (mantissa, None),
    };
    let int_ok = int.chars().all(|c| c.is_ascii_digit());
    let frac_ok = frac.is_none_or(|f| f.chars().all(|c| c.is_ascii_digit()));
    let some_digit = !int.is_empty() || frac.is_some_and(|f| !f.is_empty());
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    int_ok && frac_ok && some_digit && exp_ok
}

/// What compose accepts for a boolean given as a string.
fn is_bool(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "1" | "0" | "t" | "f"
    )
}

fn is_int(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    !body.is_empty() && body.chars().all(|c| c.is_ascii_digit())
}

fn is_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    is_decimal(body)
        || matches!(
            body.to_ascii_lowercase().as_str(),
            "inf" | "infinity" | "nan"
        )
}

/// A Go duration (`1h30m`, `1.5s`, `-2ms`, `0`).
fn is_duration(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if body == "0" {
        return true;
    }
    let mut rest = body;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..n];
        if number.is_empty() || number == "." {
            return false;
        }
        rest = &rest[n..];
        let Some(unit) = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"]
            .iter()
            .filter(|u| rest.starts_with(**u))
            .max_by_key(|u| u.len())
        else {
            return false;
        };
        rest = &rest[unit.len()..];
    }
    true
}

/// A byte size as Docker reads it: a number, an optional space, an optional unit letter
/// (`k`, `m`, `g`, `t`, `p`, any case), an optional `i` and an optional `b`.
fn is_byte_size(s: &str) -> bool {
    let n = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(n);
    let number_ok = !number.is_empty()
        && !number.starts_with('.')
        && !number.ends_with('.')
        && !number.contains("..");
    let unit = unit.strip_prefix(' ').unwrap_or(unit).to_ascii_lowercase();
    let mut u = unit.as_str();
    u = u.strip_prefix(['k', 'm', 'g', 't', 'p']).unwrap_or(u);
    u = u.strip_prefix('i').unwrap_or(u);
    u = u.strip_prefix('b').unwrap_or(u);
    number_ok && u.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<(String, Kind, String)> {
        let file = crate::compose::parse(text);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        validate(&file)
            .into_iter()
            .map(|f| (f.span.text(text).to_string(), f.kind, f.message))
            .collect()
    }

    fn messages(text: &str) -> Vec<String> {
        run(text).into_iter().map(|(_, _, m)| m).collect()
    }

    #[test]
    fn unknown_keys_with_suggestions_at_the_key() {
        let text = "services:\n  web:\n    imgae: nginx\n    x-mine: 1\n    deploy:\n      resources:\n        limits: {memroy: 1g}\nx-top: 1\nservcies: {}\n";
        let got = run(text);
        assert_eq!(
            got,
            [
                (
                    "imgae".to_string(),
                    Kind::UnknownKey {
                        suggestion: Some("image")
                    },
                    "unknown key `imgae` in service".to_string()
                ),
                (
                    "memroy".to_string(),
                    Kind::UnknownKey {
                        suggestion: Some("memory")
                    },
                    "unknown key `memroy` in service.deploy.resources.limits".to_string()
                ),
                (
                    "servcies".to_string(),
                    Kind::UnknownKey {
                        suggestion: Some("services")
                    },
                    "unknown key `servcies` in top level".to_string()
                ),
            ]
        );
    }

    #[test]
    fn extensions_only_where_allowed() {
        // blkio_config and build.extends-like tables take no `x-` keys.
        assert_eq!(
            messages("services:\n  web:\n    image: a\n    extends: {service: b, x-a: 1}\n"),
            ["unknown key `x-a` in service.extends"]
        );
        assert!(
            messages("services:\n  web:\n    image: a\n    gpus: [{driver: n, anything: 1}]\n")
                .is_empty()
        );
    }

    #[test]
    fn required_keys_and_container_names() {
        let m = messages(
            "services:\n  a:\n    image: x\n    container_name: _a\n    depends_on:\n      b: {restart: true}\n      c: {}\n  b: {image: x, container_name: \"${N:-ok-1}\"}\n  c: {image: x, container_name: \"${UNSET}\"}\n",
        );
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m[0].contains("container name `_a`"), "{m:?}");
        assert!(
            m[1].contains("`condition` is required in service.depends_on"),
            "{m:?}"
        );
        assert!(m[2].contains("`condition` is required"), "{m:?}");
    }

    #[test]
    fn wrong_types_at_the_value() {
        let text = "version: 3.8\nservices:\n  web:\n    image: nginx\n    user: 1000\n    healthcheck:\n      interval: 30\n    ports: {a: 1}\n    command: 12\n    environment:\n      A: [1]\n";
        let got = run(text);
        let spans: Vec<&str> = got.iter().map(|(s, _, _)| s.as_str()).collect();
        assert_eq!(spans, ["3.8", "1000", "30", "{a: 1}", "12", "[1]"]);
        assert!(got.iter().all(|(_, k, _)| *k == Kind::WrongType));
        assert_eq!(got[0].2, "`version` must be a string, not a number");
        assert_eq!(got[2].2, "`interval` must be a duration, not a number");
        assert_eq!(got[3].2, "`ports` must be a list, not a mapping");
        assert_eq!(
            got[4].2,
            "`command` must be empty, a string or a list, not a number"
        );
        assert_eq!(
            got[5].2,
            "`A` must be a string, a number, a boolean or empty, not a list"
        );
    }

    #[test]
    fn values_out_of_their_set_and_bad_conversions() {
        let text = "services:\n  web:\n    image: nginx\n    cgroup: shared\n    scale: \"two\"\n    mem_limit: 12xb\n    privileged: maybe\n    stop_grace_period: \"90\"\n    depends_on:\n      db: {condition: service_ready}\n";
        let got = run(text);
        let spans: Vec<&str> = got.iter().map(|(s, _, _)| s.as_str()).collect();
        assert_eq!(
            spans,
            [
                "shared",
                "\"two\"",
                "12xb",
                "maybe",
                "\"90\"",
                "service_ready"
            ]
        );
        assert!(got.iter().all(|(_, k, _)| *k == Kind::InvalidValue));
        assert_eq!(
            got[0].2,
            "`cgroup` must be one of `host`, `private`, not `shared`"
        );
        assert_eq!(got[1].2, "`scale` must be an integer, not `two`");
    }

    #[test]
    fn good_values_pass() {
        let text = "services:\n  web:\n    image: nginx\n    privileged: yes\n    read_only: \"true\"\n    scale: \"3\"\n    cpus: 1.5\n    mem_limit: 1.5g\n    shm_size: 1GiB\n    memswap_limit: 1000\n    stop_grace_period: 1m30s\n    healthcheck: {interval: 10s, retries: 3, test: [CMD, curl]}\n    ports: [80, \"8080:80\", {target: 80, published: \"8080\"}]\n    environment: {A: 1, B: true, C: ~, D: x}\n    labels: [a=b]\n    networks: {default: }\n    ulimits: {nofile: {soft: 1, hard: 2}, nproc: 65535}\n    deploy:\n      resources: {limits: {memory: 512M, cpus: '0.5'}}\nvolumes:\n  data:\nnetworks:\n  front: {external: true}\n";
        assert_eq!(messages(text), Vec::<String>::new());
    }

    #[test]
    fn interpolated_values_are_judged_by_their_default() {
        let text = "services:\n  web:\n    image: ${IMAGE}\n    scale: ${N:-2}\n    cpus: ${C}\n    cgroup: ${G:-shared}\n    privileged: \"${P:-nope}\"\n    stop_grace_period: $$5\n";
        let spans: Vec<String> = run(text).into_iter().map(|(s, _, _)| s).collect();
        assert_eq!(spans, ["${G:-shared}", "\"${P:-nope}\"", "$$5"]);
    }

    #[test]
    fn merged_keys_count_where_they_land_and_are_reported_once() {
        let text = "x-base: &base\n  restrat: always\n  init: true\nservices:\n  a:\n    <<: *base\n    image: x\n  b:\n    <<: *base\n    image: y\n";
        let got = run(text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "restrat");
        let text = "x-hc: &hc {interval: 5}\nservices:\n  a: {image: x, healthcheck: *hc}\n";
        assert_eq!(run(text)[0].0, "5");
    }

    #[test]
    fn reset_tag_is_not_judged() {
        assert!(messages("services:\n  web:\n    image: a\n    ports: !reset []\n    healthcheck: !reset null\n").is_empty());
    }

    #[test]
    fn scalar_readers() {
        for s in ["1", "-1", "0x1F", "0o17", "1_000"] {
            assert!(is_yaml_int(s), "{s}");
        }
        for s in ["1.5", ".5", "1e3", "-.inf", ".nan"] {
            assert!(is_yaml_float(s), "{s}");
        }
        for s in ["1.2.3", "e3", "1e", "abc", "."] {
            assert!(!is_yaml_float(s) && !is_yaml_int(s), "{s}");
        }
        for s in ["0", "1h30m", "1.5s", "300ms", "2µs", "-1m"] {
            assert!(is_duration(s), "{s}");
        }
        for s in ["", "90", "1x", "h", "1h30"] {
            assert!(!is_duration(s), "{s}");
        }
        for s in ["1024", "512m", "1.5g", "1GiB", "100 kb", "2B"] {
            assert!(is_byte_size(s), "{s}");
        }
        for s in ["", "12xb", "m", "1..5m", "-1m"] {
            assert!(!is_byte_size(s), "{s}");
        }
        let d = interpolate::with_defaults;
        assert_eq!(d("a${X:-${Y:-b}}c").as_deref(), Some("abc"));
        assert_eq!(d("${X}"), None);
        assert_eq!(d("$$X").as_deref(), Some("$X"));
    }
}
