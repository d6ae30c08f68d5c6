//! Conformance of wharf's Compose Specification table (`compose::spec`) with the official JSON
//! schema (`../shared/schemas/compose-spec.json`, test data only): the same keys at every
//! level, `x-` extensions and free keys where the schema has them, the same value types and
//! the same enum values. Skipped with a message when the schema is absent, failed in CI.
//!
//! Scalars compare by what they are besides a string: the schema accepts a string next to a
//! boolean or a number because compose interpolates before it converts, and the table does
//! not repeat that. Durations and byte sizes are strings (or numbers) the loader parses.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use wharf::compose::spec::{self, Table, Type};

fn schema() -> Option<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas/compose-spec.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("valid JSON")),
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{} is required in CI: {e}",
                path.display()
            );
            eprintln!("skipping: no schema at {} ({e})", path.display());
            None
        }
    }
}

/// A schema node reduced to what the table describes.
#[derive(Default, Debug)]
struct Parts<'a> {
    scalars: BTreeSet<String>,
    enums: Vec<BTreeSet<String>>,
    lists: Vec<&'a Value>,
    maps: Vec<&'a Value>,
    tables: Vec<&'a Value>,
    /// `{"type": "object"}` without anything else, or `{}`.
    any: bool,
}

struct Checker<'a> {
    root: &'a Value,
    errors: Vec<String>,
}

impl<'a> Checker<'a> {
    fn resolve(&self, mut v: &'a Value) -> &'a Value {
        while let Some(r) = v.get("$ref").and_then(Value::as_str) {
            let name = r.rsplit('/').next().unwrap();
            v = &self.root["definitions"][name];
        }
        v
    }

    fn schema_parts(&self, v: &'a Value, out: &mut Parts<'a>) {
        let v = self.resolve(v);
        if let Some(alts) = v
            .get("oneOf")
            .or_else(|| v.get("anyOf"))
            .and_then(Value::as_array)
        {
            for a in alts {
                self.schema_parts(a, out);
            }
            return;
        }
        if let Some(e) = v.get("enum").and_then(Value::as_array) {
            out.enums.push(
                e.iter()
                    .map(|x| x.as_str().unwrap_or_default().to_string())
                    .collect(),
            );
            return;
        }
        let types: Vec<&str> = match v.get("type") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => {
                out.any = true;
                return;
            }
        };
        for t in types {
            match t {
                "array" => out.lists.push(v.get("items").unwrap_or(&Value::Null)),
                "object" if v.get("properties").is_some() => out.tables.push(v),
                "object" => {
                    let pattern = v
                        .get("patternProperties")
                        .and_then(Value::as_object)
                        .and_then(|o| o.values().next());
                    let additional = v.get("additionalProperties").filter(|a| a.is_object());
                    // Free keys with values of any kind when nothing is said about them.
                    out.maps
                        .push(pattern.or(additional).unwrap_or(&Value::Null));
                }
                other => {
                    out.scalars.insert(other.to_string());
                }
            }
        }
    }

    fn check(&mut self, ty: &Type, schema: &'a Value, path: &str) {
        let mut want = Parts::default();
        self.schema_parts(schema, &mut want);
        let mut ours = Vec::new();
        flatten(ty, &mut ours);
        if ours.iter().any(|t| matches!(t, Type::Any)) {
            if !want.any {
                self.errors.push(format!(
                    "{path}: the table says anything, the schema does not"
                ));
            }
            return;
        }
        if want.any {
            self.errors.push(format!(
                "{path}: the schema says anything, the table does not"
            ));
            return;
        }
        // Scalars.
        let mut strings = false;
        let mut native = BTreeSet::new();
        let mut enums = Vec::new();
        let mut lists = Vec::new();
        let mut maps = Vec::new();
        let mut tables = Vec::new();
        for t in &ours {
            match t {
                Type::Str | Type::Duration => strings = true,
                Type::Bool => {
                    native.insert("boolean");
                }
                Type::Int => {
                    native.insert("integer");
                }
                Type::Number => {
                    native.insert("number");
                }
                // A count of bytes: whole, or any number where the schema says so.
                Type::ByteSize => {
                    strings = true;
                    let n = if want.scalars.contains("number") {
                        "number"
                    } else {
                        "integer"
                    };
                    native.insert(n);
                }
                Type::ByteString => strings = true,
                Type::Null => {
                    native.insert("null");
                }
                Type::Enum(values) => enums.push(values.iter().map(|s| s.to_string()).collect()),
                Type::List(item) => lists.push(*item),
                Type::Map(value) => maps.push(*value),
                Type::Table(table) => tables.push(*table),
                Type::ListOrMap | Type::OneOf(_) | Type::Any => unreachable!("flattened"),
            }
        }
        let schema_native: BTreeSet<&str> = want
            .scalars
            .iter()
            .map(String::as_str)
            .filter(|s| *s != "string")
            .collect();
        if schema_native != native {
            self.errors.push(format!(
                "{path}: scalar types {native:?}, the schema has {schema_native:?}"
            ));
        }
        let schema_strings = want.scalars.contains("string");
        if strings && !schema_strings {
            self.errors
                .push(format!("{path}: a string, the schema takes none"));
        }
        if schema_strings && !strings && native.is_empty() {
            self.errors.push(format!(
                "{path}: the schema takes a string, the table does not"
            ));
        }
        let mut enums_sorted: Vec<BTreeSet<String>> = enums;
        enums_sorted.sort();
        want.enums.sort();
        if enums_sorted != want.enums {
            self.errors.push(format!(
                "{path}: enum {enums_sorted:?}, the schema has {:?}",
                want.enums
            ));
        }
        // Structures: one of each kind at most, on both sides.
        if lists.len() != want.lists.len() || maps.len() != want.maps.len() {
            self.errors.push(format!(
                "{path}: {} list and {} map forms, the schema has {} and {}",
                lists.len(),
                maps.len(),
                want.lists.len(),
                want.maps.len()
            ));
            return;
        }
        for (item, s) in lists.iter().zip(&want.lists) {
            self.check(item, s, &format!("{path}[]"));
        }
        for (value, s) in maps.iter().zip(&want.maps) {
            self.check(value, s, &format!("{path}.*"));
        }
        if tables.len() != want.tables.len() {
            self.errors.push(format!(
                "{path}: {} table forms, the schema has {}",
                tables.len(),
                want.tables.len()
            ));
            return;
        }
        for (table, s) in tables.iter().zip(&want.tables) {
            self.table(table, s, path);
        }
    }

    fn table(&mut self, table: &Table, schema: &'a Value, path: &str) {
        let props = schema["properties"].as_object().unwrap();
        let theirs: BTreeSet<&str> = props.keys().map(String::as_str).collect();
        let ours: BTreeSet<&str> = table.fields.iter().map(|f| f.name).collect();
        if theirs != ours {
            self.errors.push(format!(
                "{path} ({}): keys only in the table {:?}, only in the schema {:?}",
                table.name,
                ours.difference(&theirs).collect::<Vec<_>>(),
                theirs.difference(&ours).collect::<Vec<_>>()
            ));
        }
        let extensions = schema
            .get("patternProperties")
            .and_then(Value::as_object)
            .is_some_and(|o| o.contains_key("^x-"));
        let open = schema.get("additionalProperties") != Some(&Value::Bool(false));
        if extensions != table.extensions || open != table.open {
            self.errors.push(format!(
                "{path}: x- keys {} and free keys {}, the schema says {extensions} and {open}",
                table.extensions, table.open
            ));
        }
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let ours_required: BTreeSet<&str> = table
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name)
            .collect();
        if required != ours_required {
            self.errors.push(format!(
                "{path}: required {ours_required:?}, the schema says {required:?}"
            ));
        }
        for field in table.fields {
            if let Some(s) = props.get(field.name) {
                self.check(&field.ty, s, &format!("{path}.{}", field.name));
            }
        }
    }
}

/// The alternatives of a type, `OneOf` and `ListOrMap` spelled out.
fn flatten(ty: &Type, out: &mut Vec<Type>) {
    match ty {
        Type::OneOf(alts) => alts.iter().for_each(|t| flatten(t, out)),
        Type::ListOrMap => {
            out.push(Type::List(&Type::Str));
            out.push(Type::Map(&Type::OneOf(&[
                Type::Str,
                Type::Number,
                Type::Bool,
                Type::Null,
            ])));
        }
        t => out.push(*t),
    }
}

#[test]
fn the_table_matches_the_schema() {
    let Some(root) = schema() else { return };
    let mut c = Checker {
        root: &root,
        errors: Vec::new(),
    };
    c.table(&spec::TOP_LEVEL, &root, "");
    assert!(c.errors.is_empty(), "{}", c.errors.join("\n"));
}

#[test]
fn the_service_table_has_every_service_key() {
    // About 90 keys; a handful spelled out so a broken table is obvious without the schema.
    assert!(spec::SERVICE.fields.len() >= 90);
    for key in [
        "image",
        "build",
        "healthcheck",
        "deploy",
        "develop",
        "ports",
        "volumes",
    ] {
        assert!(spec::SERVICE.field(key).is_some(), "{key}");
    }
    assert!(spec::SERVICE.field("scale").unwrap().deprecated.is_some());
}
